//! Near-duplicate documents and paragraphs: MinHash signatures of content-word shingles
//! in an LSH index.
//!
//! A document whose shingles overlap an earlier one's by at least the threshold (Jaccard,
//! estimated from the signatures) is a copy of it: syndicated wire copy, a reposted
//! article. Paragraphs are indexed the same way, so a paragraph repeated across documents
//! is told apart from new text.
//!
//! The index is built for a stream whose old items leave it: one flat map from band to
//! items (an item alone in its bucket, the usual case, held inline), signatures in one
//! slab whose freed slots are reused. `gaoya`'s index, which it replaces, kept a hash
//! set per bucket and a vector per signature: 32 small allocations per item inserted and
//! as many frees per item removed, and in a long run the allocator's work and the
//! scattering of those sets made every step of clustering slower as the run went on.
//!
//! The signatures are computed here too, into the caller's buffers, by the scheme of
//! `gaoya`'s hasher: 128 hash functions `(a·h + b mod 2³²) mod (2³¹ − 1)` over 32-bit
//! shingle hashes, the minimum of each kept. The inner loop runs over the 128 functions
//! for one shingle, which the compiler vectorises, and a document allocates nothing.

use crate::cluster::HashKeyed;

/// Words in a shingle.
const SHINGLE: usize = 4;
/// Fewest content words a paragraph needs to be indexed.
const MIN_PARAGRAPH: usize = 8;
/// LSH bands and rows per band: 32 × 4 = 128 MinHash values per signature.
const BANDS: usize = 32;
const ROWS: usize = 4;
const HASHES: usize = BANDS * ROWS;

const MERSENNE_31: u32 = (1 << 31) - 1;

/// The 128 hash functions of a MinHash signature.
struct MinHasher {
    a: [u32; HASHES],
    b: [u32; HASHES],
}

impl MinHasher {
    /// The functions drawn from a fixed seed (splitmix64), so signatures are the same in
    /// every run.
    fn new() -> Self {
        let mut state = 0x243f_6a88_85a3_08d3u64;
        let mut next = move || {
            state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        };
        let mut a = [0u32; HASHES];
        let mut b = [0u32; HASHES];
        for k in 0..HASHES {
            a[k] = 1 + (next() % (MERSENNE_31 as u64 - 1)) as u32;
            b[k] = (next() % MERSENNE_31 as u64) as u32;
        }
        MinHasher { a, b }
    }

    /// The signature of a set of 64-bit item hashes, written into `sig` (`HASHES` values);
    /// all zeros when there are none.
    fn signature(&self, items: impl Iterator<Item = u64>, sig: &mut [u32]) {
        let sig = &mut sig[..HASHES];
        sig.fill(u32::MAX);
        let mut any = false;
        for item in items {
            any = true;
            // fold the item to 32 bits; the reduction by the Mersenne prime is a mask, a
            // shift and an add (the result may be the prime itself: still one hash value)
            let h = (item ^ (item >> 32)) as u32;
            for ((s, &a), &b) in sig.iter_mut().zip(&self.a).zip(&self.b) {
                let x = h.wrapping_mul(a).wrapping_add(b);
                *s = (*s).min((x & MERSENNE_31) + (x >> 31));
            }
        }
        if !any {
            sig.fill(0);
        }
    }
}

/// Buffers for [`Dedup::document_signatures`], kept by the caller from one document to
/// the next.
#[derive(Debug, Default)]
pub(crate) struct SignatureBuffers {
    shingles: Vec<u64>,
    rest: Vec<u64>,
    other: Vec<u32>,
    /// The document's signature.
    pub(crate) document: Vec<u32>,
    /// The indexed paragraphs: their number and signature (`HASHES` values each, in
    /// `paragraph_signatures`).
    pub(crate) paragraphs: Vec<usize>,
    pub(crate) paragraph_signatures: Vec<u32>,
}

impl SignatureBuffers {
    /// The signatures of the indexed paragraphs, with their numbers.
    pub(crate) fn paragraphs(&self) -> impl Iterator<Item = (usize, &[u32])> + '_ {
        self.paragraphs
            .iter()
            .copied()
            .zip(self.paragraph_signatures.chunks_exact(HASHES))
    }
}

/// A near-copy found by [`Dedup`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DupLink {
    /// The earlier item it copies (a document or paragraph number as given).
    pub of: u32,
    /// Estimated Jaccard similarity of their shingles.
    pub similarity: f32,
}

/// A band map value with this bit set is an index into [`Dedup::lists`]; without it, the
/// one item in the bucket (nearly always the case).
const LIST: u32 = 1 << 31;

/// Most items a bucket keeps, the latest: a paragraph of boilerplate repeated in thousands
/// of articles would otherwise make every lookup compare it with all of them. Copies share
/// most of their 32 bands, so a recent one is still found.
const BUCKET_CAP: usize = 16;

/// A hasher for keys that are hashes already: spreads a 32-bit key over 64 bits, so the
/// map's probe position and tag bits both vary.
#[derive(Default, Clone, Copy)]
struct SpreadHasher(u64);

impl std::hash::Hasher for SpreadHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ b as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.0 = (n as u64 | (n as u64) << 32).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

/// Band key → item, or [`LIST`] | list number: eight bytes an entry, so the map of a
/// stream's live items stays small enough for the cache.
type BandMap = std::collections::HashMap<u32, u32, std::hash::BuildHasherDefault<SpreadHasher>>;

/// A MinHash/LSH index of documents or paragraphs.
///
/// The index is a single flat map from (band, band values) to the items in that bucket,
/// and the signatures live in one slab whose freed slots are reused: inserting,
/// querying and removing an item allocate nothing in the steady state, so the work per
/// item stays the same however many items have come and gone.
pub struct Dedup {
    hasher: MinHasher,
    /// Band key ([`band_key`]) → the item in that bucket, or its list of items.
    buckets: BandMap,
    /// The items of buckets that hold more than one (or an item number with the
    /// [`LIST`] bit), and the numbers of free lists.
    lists: Vec<Vec<u32>>,
    free_lists: Vec<u32>,
    /// Item ([`item_key`]) → its slot in `signatures`.
    slots: HashKeyed<u32>,
    /// `HASHES` values per slot.
    signatures: Vec<u32>,
    /// Slots of removed items, to reuse.
    free: Vec<u32>,
    /// Items already compared in a lookup.
    seen: Vec<u32>,
    threshold: f32,
}

impl std::fmt::Debug for Dedup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Dedup({} items)", self.len())
    }
}

/// The map key of an item number: a bijective mix, so that the pass-through hasher of
/// [`HashKeyed`] sees well spread bits.
fn item_key(id: u32) -> u64 {
    (id as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// The map key of band `band` of a signature: 32 bits of a hash of its values (keys
/// that collide only add a candidate, which its signature then rules out).
fn band_key(band: usize, sig: &[u32]) -> u32 {
    let mut h = (band as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    for &v in &sig[band * ROWS..(band + 1) * ROWS] {
        h = (h ^ v as u64).wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 29;
    }
    (h.wrapping_mul(0xc4ce_b9fe_1a85_ec53) >> 32) as u32
}

/// The share of equal values of two signatures: their estimated Jaccard similarity.
fn similarity(a: &[u32], b: &[u32]) -> f32 {
    let same = a.iter().zip(b).filter(|(x, y)| x == y).count();
    same as f32 / a.len().max(1) as f32
}

impl Dedup {
    /// An index that links items whose shingle sets overlap by `threshold` or more (0.7 is
    /// a near-copy). 32 bands of 4 rows: pairs at 0.7 are found with probability > 0.9999.
    pub fn new(threshold: f32) -> Self {
        Dedup {
            hasher: MinHasher::new(),
            buckets: BandMap::default(),
            lists: Vec::new(),
            free_lists: Vec::new(),
            slots: HashKeyed::default(),
            signatures: Vec::new(),
            free: Vec::new(),
            seen: Vec::new(),
            threshold,
        }
    }

    /// The signature of a sequence of word hashes: its shingles of four words (the words
    /// themselves when there are fewer).
    pub fn signature(&self, terms: &[u64]) -> Vec<u32> {
        let mut sig = vec![0; HASHES];
        if terms.len() < SHINGLE {
            self.hasher.signature(terms.iter().copied(), &mut sig);
        } else {
            self.hasher.signature(shingles(terms), &mut sig);
        }
        sig
    }

    /// The signatures of a document and of its paragraphs long enough to be indexed
    /// (`paragraphs` are ranges of `terms` that cover it in order), each shingle hashed
    /// once: a paragraph's signature is that of its own shingles, and the document's is
    /// their element-wise minimum with that of the shingles no such paragraph holds, which
    /// is the same as [`Dedup::signature`] of the whole.
    pub(crate) fn document_signatures(
        &self,
        terms: &[u64],
        paragraphs: &[std::ops::Range<usize>],
        buf: &mut SignatureBuffers,
    ) {
        buf.document.resize(HASHES, 0);
        buf.paragraphs.clear();
        buf.paragraph_signatures.clear();
        if terms.len() < SHINGLE {
            self.hasher
                .signature(terms.iter().copied(), &mut buf.document);
            return;
        }
        let SignatureBuffers {
            shingles: all,
            rest,
            other,
            document: doc,
            paragraphs: numbers,
            paragraph_signatures: sigs,
        } = buf;
        all.clear();
        all.extend(shingles(terms));
        rest.clear();
        doc.fill(u32::MAX);
        let mut next = 0; // the first shingle not yet counted
        for (pi, r) in paragraphs.iter().enumerate() {
            if !indexable_paragraph(r.len()) {
                continue;
            }
            // shingle j covers terms j..j + SHINGLE
            let own = r.start..r.end + 1 - SHINGLE;
            rest.extend_from_slice(&all[next..own.start]);
            next = own.end;
            let at = sigs.len();
            sigs.resize(at + HASHES, 0);
            let sig = &mut sigs[at..];
            self.hasher.signature(all[own].iter().copied(), sig);
            for (d, &v) in doc.iter_mut().zip(sig.iter()) {
                *d = (*d).min(v);
            }
            numbers.push(pi);
        }
        rest.extend_from_slice(&all[next..]);
        if !rest.is_empty() {
            other.resize(HASHES, 0);
            self.hasher.signature(rest.iter().copied(), other);
            for (d, &v) in doc.iter_mut().zip(other.iter()) {
                *d = (*d).min(v);
            }
        }
    }

    /// The best earlier item this one copies, if any, then index it under `id` (an `id`
    /// already indexed is replaced).
    pub fn check_and_insert(&mut self, id: u32, terms: &[u64]) -> Option<DupLink> {
        let sig = self.signature(terms);
        self.check_and_insert_signature(id, &sig)
    }

    /// [`Dedup::check_and_insert`] with the signature given.
    pub(crate) fn check_and_insert_signature(&mut self, id: u32, sig: &[u32]) -> Option<DupLink> {
        assert_eq!(sig.len(), HASHES, "a signature of this index");
        let mut seen = std::mem::take(&mut self.seen);
        let best = self.best(sig, &mut seen);
        self.seen = seen;
        self.remove(id);
        let slot = match self.free.pop() {
            Some(slot) => {
                let at = slot as usize * HASHES;
                self.signatures[at..at + HASHES].copy_from_slice(sig);
                slot
            }
            None => {
                self.signatures.extend_from_slice(sig);
                (self.signatures.len() / HASHES - 1) as u32
            }
        };
        self.slots.insert(item_key(id), slot);
        for band in 0..BANDS {
            let key = band_key(band, sig);
            match self.buckets.get(&key).copied() {
                None if id & LIST == 0 => {
                    self.buckets.insert(key, id);
                }
                None => {
                    let l = self.new_list(&[id]);
                    self.buckets.insert(key, l);
                }
                Some(v) if v & LIST != 0 => {
                    let items = &mut self.lists[(v & !LIST) as usize];
                    if items.len() >= BUCKET_CAP {
                        items.remove(0);
                    }
                    items.push(id);
                }
                Some(other) => {
                    let l = self.new_list(&[other, id]);
                    self.buckets.insert(key, l);
                }
            }
        }
        best
    }

    /// A list of these items (a freed one reused); returns its band map value.
    fn new_list(&mut self, items: &[u32]) -> u32 {
        let n = match self.free_lists.pop() {
            Some(n) => n,
            None => {
                self.lists.push(Vec::new());
                (self.lists.len() - 1) as u32
            }
        };
        let list = &mut self.lists[n as usize];
        list.clear();
        list.extend_from_slice(items);
        n | LIST
    }

    /// The items of a band map value.
    fn items<'a>(&'a self, v: &'a u32) -> &'a [u32] {
        if v & LIST != 0 {
            &self.lists[(v & !LIST) as usize]
        } else {
            std::slice::from_ref(v)
        }
    }

    fn signature_of(&self, slot: u32) -> &[u32] {
        let at = slot as usize * HASHES;
        &self.signatures[at..at + HASHES]
    }

    /// The best indexed item a signature copies: the most similar at or above the
    /// threshold, the earliest of equals.
    fn best(&self, sig: &[u32], seen: &mut Vec<u32>) -> Option<DupLink> {
        let mut best: Option<DupLink> = None;
        seen.clear();
        for band in 0..BANDS {
            let Some(v) = self.buckets.get(&band_key(band, sig)) else {
                continue;
            };
            let items = self.items(v);
            for &other in items {
                if seen.contains(&other) {
                    continue;
                }
                seen.push(other);
                let Some(&slot) = self.slots.get(&item_key(other)) else {
                    continue;
                };
                let s = similarity(self.signature_of(slot), sig);
                let better =
                    best.is_none_or(|b| s.total_cmp(&b.similarity).then(b.of.cmp(&other)).is_gt());
                if s >= self.threshold && better {
                    best = Some(DupLink {
                        of: other,
                        similarity: s,
                    });
                }
            }
        }
        best
    }

    /// Take an item out of the index (an old one that nothing new will copy).
    pub fn remove(&mut self, id: u32) {
        let Some(slot) = self.slots.remove(&item_key(id)) else {
            return;
        };
        for band in 0..BANDS {
            let key = band_key(band, self.signature_of(slot));
            let Some(v) = self.buckets.get(&key).copied() else {
                continue;
            };
            if v & LIST == 0 {
                if v == id {
                    self.buckets.remove(&key);
                }
                continue;
            }
            let n = (v & !LIST) as usize;
            let items = &mut self.lists[n];
            if let Some(i) = items.iter().position(|&x| x == id) {
                items.remove(i); // in order: the oldest stays first
            }
            match items[..] {
                [] => {
                    self.buckets.remove(&key);
                    self.free_lists.push(n as u32);
                }
                [one] if one & LIST == 0 => {
                    self.buckets.insert(key, one);
                    self.free_lists.push(n as u32);
                }
                _ => {}
            }
        }
        self.free.push(slot);
    }

    /// Items indexed.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// True when nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The hashes of the shingles of four words of `terms`, in order.
fn shingles(terms: &[u64]) -> impl Iterator<Item = u64> + '_ {
    terms.windows(SHINGLE).map(|w| {
        w.iter().fold(0u64, |h, &t| {
            h.rotate_left(17) ^ t.wrapping_mul(0x9e37_79b9_7f4a_7c15)
        })
    })
}

/// True when a paragraph is long enough to be indexed.
fn indexable_paragraph(len: usize) -> bool {
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

    #[test]
    fn boilerplate_repeated_everywhere_keeps_buckets_small_and_is_still_found() {
        let text = words(
            "follow our live coverage on social media and sign up for the morning \
             newsletter to get the news delivered every day",
        );
        let mut d = Dedup::new(0.7);
        assert_eq!(d.check_and_insert(0, &text), None);
        for id in 1..200 {
            let link = d
                .check_and_insert(id, &text)
                .expect("a copy of an earlier one");
            assert!(link.of < id && link.similarity == 1.0);
        }
        let longest = d.lists.iter().map(Vec::len).max().unwrap_or(0);
        assert!(longest <= BUCKET_CAP, "a bucket of {longest}");
        // the latest items are the ones kept, and removing them all empties the index
        for id in 0..200 {
            d.remove(id);
        }
        assert!(d.is_empty() && d.buckets.is_empty(), "{}", d.buckets.len());
    }

    #[test]
    fn a_removed_item_is_no_longer_found_and_its_slot_is_reused() {
        let text = words(
            "parliament passed budget vote opposition walked out minister resigned \
             protests capital police dispersed crowds evening curfew announced",
        );
        let mut d = Dedup::new(0.7);
        assert_eq!(d.check_and_insert(0, &text), None);
        d.remove(0);
        assert!(d.is_empty());
        assert_eq!(d.check_and_insert(1, &text), None, "0 was removed");
        let link = d.check_and_insert(2, &text).expect("a copy of 1");
        assert_eq!((link.of, link.similarity), (1, 1.0));
        assert_eq!(d.signatures.len(), 2 * HASHES, "the freed slot was reused");
    }

    #[test]
    fn document_signatures_equal_those_of_the_whole_and_of_each_paragraph() {
        let terms: Vec<u64> = (0..40u64)
            .map(|i| crate::hash_word(&format!("w{}", i % 29)))
            .collect();
        // paragraphs of 12, 3 (too short to index) and 25 words
        let ranges = [0..12, 12..15, 15..40];
        let d = Dedup::new(0.7);
        let mut buf = SignatureBuffers::default();
        d.document_signatures(&terms, &ranges, &mut buf);
        assert_eq!(buf.document, d.signature(&terms));
        assert_eq!(buf.paragraphs, [0, 2]);
        for (pi, sig) in buf.paragraphs() {
            assert_eq!(
                sig,
                d.signature(&terms[ranges[pi].clone()]),
                "paragraph {pi}"
            );
        }
    }
}
