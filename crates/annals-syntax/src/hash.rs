//! Deterministic hashing for feature strings and feature tuples.
//!
//! Features are identified by a 64-bit hash of their template id and values. The functions
//! here are fixed (not seeded per process), so a model trained on one machine reads the same
//! features on another.

const K: u64 = 0x9E37_79B9_7F4A_7C15;

/// Mix two 64-bit values into one (order-sensitive). One multiply: the high bits are
/// well mixed, which is where table indices are taken from.
#[inline(always)]
pub fn mix(a: u64, b: u64) -> u64 {
    (a ^ b).wrapping_mul(K)
}

/// Final avalanche so that the low bits used for table slots are well spread.
#[inline(always)]
pub fn finish(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// An incremental FNV-1a style hasher over bytes, with a final mix.
#[derive(Clone, Copy)]
pub struct StrHasher(u64);

impl Default for StrHasher {
    fn default() -> Self {
        StrHasher(0xCBF2_9CE4_8422_2325)
    }
}

impl StrHasher {
    /// Feed one byte.
    #[inline(always)]
    pub fn byte(&mut self, b: u8) {
        self.0 = (self.0 ^ b as u64).wrapping_mul(0x0000_0100_0000_01B3);
    }
    /// Feed a char as UTF-8 bytes.
    #[inline(always)]
    pub fn char(&mut self, c: char) {
        let mut buf = [0u8; 4];
        for &b in c.encode_utf8(&mut buf).as_bytes() {
            self.byte(b);
        }
    }
    /// Feed bytes.
    #[inline(always)]
    pub fn bytes(&mut self, s: &[u8]) {
        for &b in s {
            self.byte(b);
        }
    }
    /// The hash; never 0 (0 marks "no value").
    #[inline(always)]
    pub fn get(self) -> u64 {
        finish(self.0) | 1
    }
}

/// Hash a string.
pub fn hash_str(s: &str) -> u64 {
    let mut h = StrHasher::default();
    h.bytes(s.as_bytes());
    h.get()
}

/// A feature hash builder: template id, then values.
#[derive(Clone, Copy)]
pub struct Feat(u64);

impl Feat {
    /// Start a feature of template `t`.
    #[inline(always)]
    pub fn new(t: u32) -> Self {
        Feat(mix(0x1234_5678, t as u64))
    }
    /// Add a value.
    #[inline(always)]
    pub fn with(self, v: u64) -> Self {
        Feat(mix(self.0, v))
    }
    /// The final key (never 0).
    #[inline(always)]
    pub fn key(self) -> u64 {
        (self.0 ^ (self.0 >> 31)) | 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_stable_and_order_sensitive() {
        assert_eq!(hash_str("dog"), hash_str("dog"));
        assert_ne!(hash_str("dog"), hash_str("god"));
        assert_ne!(
            Feat::new(1).with(2).with(3).key(),
            Feat::new(1).with(3).with(2).key()
        );
        assert_ne!(Feat::new(1).with(2).key(), Feat::new(2).with(2).key());
        // pinned: a model file depends on these values
        assert_eq!(hash_str(""), finish(0xCBF2_9CE4_8422_2325) | 1);
    }
}
