//! Linear classifiers over hashed features: the run-time [`Weights`] and the averaged
//! perceptron [`Trainer`] that produces them.
//!
//! A feature is a 64-bit hash. At run time each feature that survived pruning owns a short
//! sparse row of `(class, weight)` entries, quantised to 16 bits with one scale per table.
//! Scoring a state walks the rows of its features and adds into an `i32` score per class:
//! no allocation, no floating point.

use crate::bin::{Reader, Writer};
use crate::Error;

#[derive(Clone, Copy, Default)]
struct Slot {
    key: u64,
    start: u32,
    len: u32,
}

/// Run-time weights: a hash table from feature to a sparse row of quantised weights.
#[derive(Clone)]
pub struct Weights {
    nclass: usize,
    mask: usize,
    slots: Vec<Slot>,
    /// Packed entries: class in the low 8 bits, the weight (i16) above.
    entries: Vec<i32>,
    scale: f32,
}

impl std::fmt::Debug for Weights {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Weights")
            .field("nclass", &self.nclass)
            .field("features", &self.features())
            .field("entries", &self.entries.len())
            .finish()
    }
}

fn table_size(n: usize) -> usize {
    (n * 2 + 16).next_power_of_two()
}

impl Weights {
    /// Number of classes.
    pub fn nclass(&self) -> usize {
        self.nclass
    }

    /// Number of features with at least one weight.
    pub fn features(&self) -> usize {
        self.slots.iter().filter(|s| s.key != 0).count()
    }

    /// The weight of a quantised unit, for turning scores back into real numbers.
    pub fn scale(&self) -> f32 {
        self.scale
    }

    fn from_rows(nclass: usize, scale: f32, rows: &[(u64, Vec<(u8, i16)>)]) -> Self {
        let size = table_size(rows.len());
        let mask = size - 1;
        let mut slots = vec![Slot::default(); size];
        let mut entries = Vec::with_capacity(rows.iter().map(|r| r.1.len()).sum());
        for (key, row) in rows {
            let start = entries.len() as u32;
            entries.extend(row.iter().map(|&(c, w)| ((w as i32) << 8) | c as i32));
            let mut i = (*key as usize) & mask;
            while slots[i].key != 0 {
                i = (i + 1) & mask;
            }
            slots[i] = Slot { key: *key, start, len: row.len() as u32 };
        }
        Weights { nclass, mask, slots, entries, scale }
    }

    #[inline(always)]
    fn row(&self, key: u64) -> &[i32] {
        let mut i = (key as usize) & self.mask;
        loop {
            let s = self.slots[i];
            if s.key == key {
                let a = s.start as usize;
                return self.entries.get(a..a + s.len as usize).unwrap_or(&[]);
            }
            if s.key == 0 {
                return &[];
            }
            i = (i + 1) & self.mask;
        }
    }

    /// Add the weights of `feats` into `scores` (one per class; not cleared here).
    #[inline]
    pub fn score(&self, feats: &[u64], scores: &mut [i32]) {
        for &f in feats {
            for &e in self.row(f) {
                if let Some(s) = scores.get_mut((e & 0xFF) as usize) {
                    *s += e >> 8;
                }
            }
        }
    }

    pub(crate) fn write(&self, w: &mut Writer) {
        w.u32(self.nclass as u32);
        w.f32(self.scale);
        let mut used: Vec<Slot> = self.slots.iter().copied().filter(|s| s.key != 0).collect();
        used.sort_by_key(|s| s.key);
        w.u32(used.len() as u32);
        for s in &used {
            w.u64(s.key);
        }
        for s in &used {
            w.u8(s.len as u8);
        }
        for s in &used {
            for &e in &self.entries[s.start as usize..(s.start + s.len) as usize] {
                w.u8((e & 0xFF) as u8);
                w.i16((e >> 8) as i16);
            }
        }
    }

    pub(crate) fn read(r: &mut Reader) -> Result<Self, Error> {
        let nclass = r.u32()? as usize;
        if nclass == 0 || nclass > 256 {
            return Err(Error::Format(format!("bad class count {nclass}")));
        }
        let scale = r.f32()?;
        let n = r.u32()? as usize;
        let keys = r.bytes(n.checked_mul(8).ok_or_else(|| Error::Format("size".into()))?)?;
        let lens = r.bytes(n)?;
        let total: usize = lens.iter().map(|&l| l as usize).sum();
        let ents = r.bytes(total * 3)?;
        let size = table_size(n);
        let mask = size - 1;
        let mut slots = vec![Slot::default(); size];
        let mut entries = Vec::with_capacity(total);
        for e in ents.chunks_exact(3) {
            let c = e[0] as i32;
            if c as usize >= nclass {
                return Err(Error::Format("class out of range".into()));
            }
            let w = i16::from_le_bytes([e[1], e[2]]) as i32;
            entries.push((w << 8) | c);
        }
        let mut start = 0u32;
        for (k, &len) in keys.chunks_exact(8).zip(lens) {
            let key = u64::from_le_bytes(k.try_into().expect("8 bytes"));
            if key == 0 {
                return Err(Error::Format("zero feature key".into()));
            }
            let mut i = (key as usize) & mask;
            while slots[i].key != 0 {
                i = (i + 1) & mask;
            }
            slots[i] = Slot { key, start, len: len as u32 };
            start += len as u32;
        }
        Ok(Weights { nclass, mask, slots, entries, scale })
    }
}

/// An averaged perceptron over hashed features with dense rows, used only in training.
pub struct Trainer {
    nclass: usize,
    mask: usize,
    keys: Vec<u64>,
    rows: Vec<u32>,
    w: Vec<f32>,
    u: Vec<f64>,
    /// Instances seen (for averaging).
    c: f64,
}

impl Trainer {
    /// A trainer for `nclass` classes.
    pub fn new(nclass: usize) -> Self {
        let size = 1 << 16;
        Trainer {
            nclass,
            mask: size - 1,
            keys: vec![0; size],
            rows: vec![0; size],
            w: Vec::new(),
            u: Vec::new(),
            c: 1.0,
        }
    }

    /// Number of classes.
    pub fn nclass(&self) -> usize {
        self.nclass
    }

    #[inline]
    fn find(&self, key: u64) -> Option<usize> {
        let mut i = (key as usize) & self.mask;
        loop {
            let k = self.keys[i];
            if k == key {
                return Some(self.rows[i] as usize);
            }
            if k == 0 {
                return None;
            }
            i = (i + 1) & self.mask;
        }
    }

    fn nrows(&self) -> usize {
        self.w.len() / self.nclass
    }

    fn insert(&mut self, key: u64) -> usize {
        if let Some(r) = self.find(key) {
            return r;
        }
        if (self.nrows() + 1) * 2 > self.keys.len() {
            self.grow();
        }
        let r = self.nrows();
        self.w.resize(self.w.len() + self.nclass, 0.0);
        self.u.resize(self.u.len() + self.nclass, 0.0);
        let mut i = (key as usize) & self.mask;
        while self.keys[i] != 0 {
            i = (i + 1) & self.mask;
        }
        self.keys[i] = key;
        self.rows[i] = r as u32;
        r
    }

    fn grow(&mut self) {
        let size = self.keys.len() * 2;
        let mask = size - 1;
        let mut keys = vec![0u64; size];
        let mut rows = vec![0u32; size];
        for (&k, &r) in self.keys.iter().zip(&self.rows) {
            if k != 0 {
                let mut i = (k as usize) & mask;
                while keys[i] != 0 {
                    i = (i + 1) & mask;
                }
                keys[i] = k;
                rows[i] = r;
            }
        }
        self.keys = keys;
        self.rows = rows;
        self.mask = mask;
    }

    /// Current (not averaged) scores of `feats`, added into `scores`.
    #[inline]
    pub fn score(&self, feats: &[u64], scores: &mut [f32]) {
        for &f in feats {
            if let Some(r) = self.find(f) {
                let row = &self.w[r * self.nclass..(r + 1) * self.nclass];
                for (s, w) in scores.iter_mut().zip(row) {
                    *s += w;
                }
            }
        }
    }

    /// Count one training instance (call once per decision, after any update).
    pub fn tick(&mut self) {
        self.c += 1.0;
    }

    /// Move weights towards `good` and away from `bad`.
    pub fn update(&mut self, feats: &[u64], good: usize, bad: usize) {
        if good == bad {
            return;
        }
        let c = self.c;
        for &f in feats {
            let r = self.insert(f) * self.nclass;
            self.w[r + good] += 1.0;
            self.u[r + good] += c;
            self.w[r + bad] -= 1.0;
            self.u[r + bad] -= c;
        }
    }

    /// Averaged, pruned, quantised run-time weights. Entries whose averaged magnitude is
    /// below `min_abs` are dropped.
    pub fn finish(&self, min_abs: f32) -> Weights {
        let mut feats: Vec<(u64, usize)> = self
            .keys
            .iter()
            .zip(&self.rows)
            .filter(|(k, _)| **k != 0)
            .map(|(k, r)| (*k, *r as usize))
            .collect();
        feats.sort_unstable_by_key(|f| f.0);
        let avg = |r: usize, c: usize| -> f32 {
            let i = r * self.nclass + c;
            (self.w[i] as f64 - self.u[i] / self.c) as f32
        };
        let mut max = 0f32;
        for &(_, r) in &feats {
            for c in 0..self.nclass {
                max = max.max(avg(r, c).abs());
            }
        }
        let scale = if max > 0.0 { max / 32767.0 } else { 1.0 };
        let mut rows = Vec::with_capacity(feats.len());
        for &(k, r) in &feats {
            let mut row = Vec::new();
            for c in 0..self.nclass {
                let a = avg(r, c);
                if a.abs() >= min_abs {
                    let q = (a / scale).round() as i32;
                    if q != 0 {
                        row.push((c as u8, q.clamp(-32767, 32767) as i16));
                    }
                }
            }
            if !row.is_empty() {
                rows.push((k, row));
            }
        }
        Weights::from_rows(self.nclass, scale, &rows)
    }
}

/// The index of the highest score among classes allowed by `ok`; ties go to the lower index.
#[inline]
pub fn argmax_by<T: PartialOrd + Copy>(scores: &[T], ok: impl Fn(usize) -> bool) -> Option<usize> {
    let mut best: Option<(usize, T)> = None;
    for (i, &s) in scores.iter().enumerate() {
        if ok(i) && best.is_none_or(|(_, b)| s > b) {
            best = Some((i, s));
        }
    }
    best.map(|b| b.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_a_separable_problem_and_round_trips() {
        let mut t = Trainer::new(3);
        let data: Vec<(Vec<u64>, usize)> =
            (0..30).map(|i| (vec![100 + (i % 3) as u64, 7], (i % 3) as usize)).collect();
        for _ in 0..5 {
            for (f, y) in &data {
                let mut s = [0f32; 3];
                t.score(f, &mut s);
                let p = argmax_by(&s, |_| true).unwrap();
                t.update(f, *y, p);
                t.tick();
            }
        }
        let w = t.finish(0.0);
        for (f, y) in &data {
            let mut s = [0i32; 3];
            w.score(f, &mut s);
            assert_eq!(argmax_by(&s, |_| true), Some(*y));
        }
        let mut out = Writer::default();
        w.write(&mut out);
        let bytes = out.into_inner();
        let back = Weights::read(&mut Reader::new(&bytes)).unwrap();
        for (f, _) in &data {
            let (mut a, mut b) = ([0i32; 3], [0i32; 3]);
            w.score(f, &mut a);
            back.score(f, &mut b);
            assert_eq!(a, b);
        }
        assert!(Weights::read(&mut Reader::new(&bytes[..bytes.len() - 1])).is_err());
    }
}
