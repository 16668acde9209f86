//! Tagger and parser.
