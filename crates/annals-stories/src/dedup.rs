//! Near-duplicate documents and paragraphs: MinHash signatures of content-word shingles
//! in an LSH index ([`gaoya`]).
//!
//! A document whose shingles overlap an earlier one's by at least the threshold (Jaccard,
//! estimated from the signatures) is a copy of it: syndicated wire copy, a reposted
//! article. Paragraphs are indexed the same way, so a paragraph repeated across documents
//! is told apart from new text.

use gaoya::minhash::{compute_minhash_similarity, MinHashIndex, MinHasher, MinHasher32};

/// Words in a shingle.
const SHINGLE: usize = 4;
/// Fewest content words a paragraph needs to be indexed.
const MIN_PARAGRAPH: usize = 8;

/// A near-copy found by [`Dedup`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DupLink {
    /// The earlier item it copies (a document or paragraph number as given).
    pub of: u32,
    /// Estimated Jaccard similarity of their shingles.
    pub similarity: f32,
}

/// A MinHash/LSH index of documents or paragraphs.
pub struct Dedup {
    hasher: MinHasher32<fnv::FnvBuildHasher>,
    index: MinHashIndex<u32, u32>,
    threshold: f32,
}

impl std::fmt::Debug for Dedup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Dedup({} items)", self.index.size())
    }
}

impl Dedup {
    /// An index that links items whose shingle sets overlap by `threshold` or more (0.7 is
    /// a near-copy). 32 bands of 4 rows: pairs at 0.7 are found with probability > 0.9999.
    pub fn new(threshold: f32) -> Self {
        Dedup {
            hasher: MinHasher32::new(128),
            index: MinHashIndex::new(32, 4, 0.5),
            threshold,
        }
    }

    /// The signature of a sequence of word hashes: its shingles of four words (the words
    /// themselves when there are fewer).
    pub fn signature(&self, terms: &[u64]) -> Vec<u32> {
        if terms.len() < SHINGLE {
            return self.hasher.create_signature(terms.iter());
        }
        self.hasher
            .create_signature(terms.windows(SHINGLE).map(|w| {
                w.iter().fold(0u64, |h, &t| {
                    h.rotate_left(17) ^ t.wrapping_mul(0x9e37_79b9_7f4a_7c15)
                })
            }))
    }

    /// The best earlier item this one copies, if any, then index it under `id`.
    pub fn check_and_insert(&mut self, id: u32, terms: &[u64]) -> Option<DupLink> {
        let sig = self.signature(terms);
        let best = self.best(&sig);
        self.index.insert(id, sig);
        best
    }

    /// The best indexed item a signature copies.
    fn best(&self, sig: &Vec<u32>) -> Option<DupLink> {
        self.index
            .query(sig)
            .into_iter()
            .filter_map(|&other| {
                let s = compute_minhash_similarity(self.index.get_signature(&other)?, sig) as f32;
                (s >= self.threshold).then_some(DupLink {
                    of: other,
                    similarity: s,
                })
            })
            .max_by(|a, b| a.similarity.total_cmp(&b.similarity).then(b.of.cmp(&a.of)))
    }

    /// Take an item out of the index (an old one that nothing new will copy).
    pub fn remove(&mut self, id: u32) {
        self.index.remove(&id);
    }

    /// Items indexed.
    pub fn len(&self) -> usize {
        self.index.size()
    }

    /// True when nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// True when a paragraph is long enough to be indexed.
pub(crate) fn indexable_paragraph(len: usize) -> bool {
    len >= MIN_PARAGRAPH
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::StoryInput;

    fn words(s: &str) -> Vec<u64> {
        StoryInput::hash_words(s.split_whitespace())
    }

    #[test]
    fn a_copy_with_one_word_changed_is_linked_and_other_text_is_not() {
        let base = "russia united states agreed cooperate fighting islamic state group \
                    moscow announced tuesday major coup vladimir putin tries shake western \
                    isolation addressing general assembly first time decade putin called \
                    broad coalition fight jihadists ostracised west annexation crimea \
                    support separatist insurgency east ukraine held key talks obama first \
                    formal bilateral two years";
        let copy = base.replace("tuesday", "monday");
        let other = "flooding monsoon rains forced thousands villagers evacuate homes \
                     river banks burst officials disaster relief teams deployed region";
        let mut d = Dedup::new(0.8);
        assert_eq!(d.check_and_insert(0, &words(base)), None);
        let link = d.check_and_insert(1, &words(&copy)).expect("linked");
        assert_eq!(link.of, 0);
        assert!(link.similarity >= 0.8, "{}", link.similarity);
        assert_eq!(d.check_and_insert(2, &words(other)), None);
        assert_eq!(d.len(), 3);
    }
}
