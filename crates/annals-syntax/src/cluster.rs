//! Word clusters learnt from raw text (placeholder until the exchange algorithm lands).

use std::collections::BTreeMap;

/// Learn clusters: word → bit string with a leading 1.
pub fn learn<'a>(
    _sents: impl Iterator<Item = &'a [String]>,
    _k: usize,
    _seed: u64,
) -> BTreeMap<String, u32> {
    BTreeMap::new()
}
