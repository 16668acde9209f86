//! [`RowMemo`]: an exact cache of summed score rows.
//!
//! A group of features that read only a few small values (tags, label sets, a direction)
//! takes the same values again and again in a batch of sentences: the same pair of tags,
//! the same words. The sum of the group's weights is a function of those values, so it is
//! kept under a key that holds all of them, compared in full: a hit gives exactly the sum
//! the lookups would.

/// A key: every value the features of a group read, packed losslessly, with the group's
/// number in the low byte of the first word.
pub(crate) type Key = [u64; 3];

/// A direct-mapped table of score rows by [`Key`]. A key that finds its slot taken replaces
/// the row there. [`RowMemo::new_batch`] forgets everything in constant time.
#[derive(Default)]
pub(crate) struct RowMemo {
    nclass: usize,
    keys: Vec<Key>,
    /// The batch each slot was filled in (0: never).
    batch: Vec<u32>,
    rows: Vec<i32>,
    now: u32,
}

#[inline(always)]
fn slot(k: &Key, bits: u32) -> usize {
    let h =
        (k[0] ^ k[1].rotate_left(21) ^ k[2].rotate_left(42)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (h >> (64 - bits)) as usize
}

impl RowMemo {
    /// Start a batch of `nclass`-class rows with room for `1 << bits` rows: rows kept from
    /// before are forgotten.
    pub(crate) fn new_batch(&mut self, nclass: usize, bits: u32) {
        let size = 1usize << bits;
        if self.nclass != nclass || self.keys.len() != size || self.now == u32::MAX {
            self.nclass = nclass;
            self.keys = vec![[0; 3]; size];
            self.batch = vec![0; size];
            self.rows = vec![0; size * nclass];
            self.now = 0;
        }
        self.now += 1;
    }

    #[inline(always)]
    fn bits(&self) -> u32 {
        self.keys.len().trailing_zeros()
    }

    /// The row kept under `k`.
    #[inline]
    pub(crate) fn get(&self, k: &Key) -> Option<&[i32]> {
        if self.keys.is_empty() {
            return None;
        }
        let s = slot(k, self.bits());
        if self.batch[s] == self.now && self.keys[s] == *k {
            self.rows.get(s * self.nclass..(s + 1) * self.nclass)
        } else {
            None
        }
    }

    /// Keep `row` under `k`.
    #[inline]
    pub(crate) fn put(&mut self, k: &Key, row: &[i32]) {
        if self.keys.is_empty() {
            return;
        }
        let s = slot(k, self.bits());
        self.keys[s] = *k;
        self.batch[s] = self.now;
        if let Some(r) = self.rows.get_mut(s * self.nclass..(s + 1) * self.nclass) {
            r.copy_from_slice(row);
        }
    }
}

/// Add `row` into `acc`.
#[inline(always)]
pub(crate) fn add_row(acc: &mut [i32], row: &[i32]) {
    for (a, &r) in acc.iter_mut().zip(row) {
        *a += r;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_come_back_under_their_full_key_within_a_batch() {
        let mut m = RowMemo::default();
        assert!(m.get(&[1, 2, 3]).is_none());
        m.new_batch(2, 4);
        m.put(&[1, 2, 3], &[5, -6]);
        assert_eq!(m.get(&[1, 2, 3]), Some(&[5, -6][..]));
        assert!(m.get(&[1, 2, 4]).is_none());
        for i in 0..100u64 {
            m.put(&[i, 0, 0], &[i as i32, 0]);
        }
        for i in 0..100u64 {
            // replaced or the right row, never another key's
            if let Some(r) = m.get(&[i, 0, 0]) {
                assert_eq!(r, &[i as i32, 0]);
            }
        }
        m.new_batch(2, 4);
        assert!((0..100u64).all(|i| m.get(&[i, 0, 0]).is_none()));
    }
}
