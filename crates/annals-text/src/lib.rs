//! Sentence segmentation and tokenization.
