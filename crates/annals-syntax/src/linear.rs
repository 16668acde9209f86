//! Linear classifiers over hashed features: the run-time [`Weights`] and the averaged
//! perceptron [`Trainer`] that produces them.
//!
//! A feature is a 64-bit hash. At run time each feature that survived pruning owns a short
//! sparse row of `(class, weight)` entries, quantised to 16 bits with one scale per table.
//! Scoring a state walks the rows of its features and adds into an `i32` score per class:
//! no allocation, no floating point.

use crate::bin::{Reader, Writer};
use crate::Error;

/// Classes up to this many are stored inline in the hash slot (one memory access per
/// feature); larger class sets use sparse rows.
const INLINE: usize = 3;

// Table slots come from the top bits of a key, fingerprints from the middle bits.
#[inline(always)]
fn fp16(key: u64) -> i16 {
    ((key >> 16) as u16).max(1) as i16
}

#[inline(always)]
fn fp32(key: u64) -> u32 {
    ((key >> 8) as u32).max(1)
}

#[inline(always)]
fn slot(key: u64, shift: u32) -> usize {
    (key >> shift) as usize
}

/// Run-time weights: a hash table from feature to quantised weights. Small class sets
/// keep the row in the slot beside a 16-bit fingerprint; larger ones point into a packed
/// array of sparse `(class, weight)` entries.
#[derive(Clone)]
pub struct Weights {
    nclass: usize,
    shift: u32,
    /// Inline form: `[fingerprint, w0, w1, w2]`.
    inline: Vec<[i16; 4]>,
    /// Sparse form: `(fingerprint, start)`; `entries[start]` is the row length.
    slots: Vec<(u32, u32)>,
    /// Packed entries: class in the low 8 bits, the weight (i16) above.
    entries: Vec<i32>,
    nfeat: usize,
    scale: f32,
    /// Keys in insertion order (kept for writing).
    keys: Vec<u64>,
}

impl std::fmt::Debug for Weights {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Weights")
            .field("nclass", &self.nclass)
            .field("features", &self.nfeat)
            .field("entries", &self.entry_count())
            .finish()
    }
}

/// Slots per bucket: a feature lives in one of the 4 slots of the bucket its key selects,
/// so a lookup reads 32 adjacent bytes and never branches on what it finds.
const WAYS: usize = 4;

fn table_size(n: usize) -> usize {
    // slots; the load factor stays between 1/4 and 1/2
    (2 * n + 16).next_power_of_two()
}

impl Weights {
    /// Number of classes.
    pub fn nclass(&self) -> usize {
        self.nclass
    }

    /// Number of features with at least one weight.
    pub fn features(&self) -> usize {
        self.nfeat
    }

    fn entry_count(&self) -> usize {
        if self.nclass <= INLINE {
            self.nfeat * self.nclass
        } else {
            self.entries.len() - self.nfeat
        }
    }

    /// The weight of a quantised unit, for turning scores back into real numbers.
    pub fn scale(&self) -> f32 {
        self.scale
    }

    /// Build from features sorted by key: `lens[k]` entries of `flat` belong to `keys[k]`.
    /// Features are placed strongest first; a feature whose bucket is full is dropped (rare
    /// at this load factor, and always one of the weakest).
    fn build(nclass: usize, scale: f32, keys: Vec<u64>, lens: &[u8], flat: &[(u8, i16)]) -> Self {
        let size = table_size(keys.len());
        let nbuckets = size / WAYS;
        let mut w = Weights {
            nclass,
            shift: 64 - nbuckets.trailing_zeros(),
            inline: Vec::new(),
            slots: Vec::new(),
            entries: Vec::new(),
            nfeat: 0,
            scale,
            keys: Vec::new(),
        };
        let mut offs = Vec::with_capacity(keys.len() + 1);
        let mut pos = 0usize;
        for &l in lens {
            offs.push(pos);
            pos += l as usize;
        }
        offs.push(pos);
        let row = |k: usize| flat.get(offs[k]..offs[k + 1]).unwrap_or(&[]);
        let strength = |k: usize| row(k).iter().map(|e| e.1.unsigned_abs()).max().unwrap_or(0);
        // which feature each slot holds; a full bucket gives its weakest slot to a stronger
        // newcomer, so the result does not depend on anything but the set of features
        let mut held: Vec<(u32, u16)> = vec![(u32::MAX, 0); size];
        for (k, &key) in keys.iter().enumerate() {
            let base = slot(key, w.shift) * WAYS;
            let st = strength(k);
            let bucket = &mut held[base..base + WAYS];
            let i = match bucket.iter().position(|h| h.0 == u32::MAX) {
                Some(i) => i,
                None => {
                    let (i, weakest) = bucket
                        .iter()
                        .enumerate()
                        .min_by_key(|(_, h)| h.1)
                        .expect("4 ways");
                    if weakest.1 >= st {
                        continue;
                    }
                    i
                }
            };
            bucket[i] = (k as u32, st);
        }
        let mut kept = vec![false; keys.len()];
        for h in &held {
            if h.0 != u32::MAX {
                kept[h.0 as usize] = true;
            }
        }
        let mut placed: Vec<(usize, usize)> = held
            .iter()
            .enumerate()
            .filter(|(_, h)| h.0 != u32::MAX)
            .map(|(i, h)| (h.0 as usize, i))
            .collect();
        if nclass <= INLINE {
            w.inline = vec![[0; 4]; size];
            for &(k, i) in &placed {
                let mut sl = [fp16(keys[k]), 0, 0, 0];
                for &(c, v) in row(k) {
                    sl[1 + (c as usize).min(2)] = v;
                }
                w.inline[i] = sl;
            }
        } else {
            w.slots = vec![(0, 0); size];
            for &(k, i) in &placed {
                w.slots[i] = (fp32(keys[k]), 0);
            }
        }
        if nclass > INLINE {
            placed.sort_unstable_by_key(|p| p.0);
            w.entries.reserve(flat.len() + placed.len());
            for (k, i) in placed {
                w.slots[i].1 = w.entries.len() as u32;
                let r = row(k);
                w.entries.push(r.len() as i32);
                w.entries
                    .extend(r.iter().map(|&(c, v)| ((v as i32) << 8) | c as i32));
            }
        }
        w.keys = keys
            .into_iter()
            .zip(&kept)
            .filter(|(_, &k)| k)
            .map(|(k, _)| k)
            .collect();
        w.nfeat = w.keys.len();
        w
    }

    /// Where the row of `key` starts in `entries` (`u32::MAX` if absent).
    #[inline(always)]
    fn sparse_start(&self, key: u64) -> u32 {
        let fp = fp32(key);
        let base = slot(key, self.shift) * WAYS;
        let mut start = u32::MAX;
        if let Some(b) = self.slots.get(base..base + WAYS) {
            for &(f, st) in b {
                start = if f == fp { st } else { start };
            }
        }
        start
    }

    #[inline(always)]
    fn sparse_row(&self, key: u64) -> &[i32] {
        self.row_at(self.sparse_start(key))
    }

    #[inline(always)]
    fn row_at(&self, start: u32) -> &[i32] {
        if start == u32::MAX {
            return &[];
        }
        let a = start as usize;
        let len = self.entries.get(a).copied().unwrap_or(0) as usize;
        self.entries.get(a + 1..a + 1 + len).unwrap_or(&[])
    }

    #[inline(always)]
    fn inline_row(&self, key: u64) -> [i16; 4] {
        let fp = fp16(key);
        let base = slot(key, self.shift) * WAYS;
        let mut out = [0i16; 4];
        if let Some(b) = self.inline.get(base..base + WAYS) {
            for s in b {
                let m = -((s[0] == fp) as i16); // all ones when it matches
                for j in 0..4 {
                    out[j] |= s[j] & m;
                }
            }
        }
        out
    }

    /// Add the weights of `feats` into `scores` (one per class; not cleared here).
    #[inline]
    pub fn score(&self, feats: &[u64], scores: &mut [i32]) {
        if self.nclass <= INLINE {
            // touch every bucket first: the loads are independent, so their cache misses
            // overlap instead of waiting one after another inside the scoring loop
            let mut t = 0i16;
            for &f in feats {
                if let Some(s) = self.inline.get(slot(f, self.shift) * WAYS) {
                    t ^= s[0];
                }
            }
            std::hint::black_box(t);
            let mut acc = [0i32; 3];
            for &f in feats {
                let s = self.inline_row(f);
                acc[0] += s[1] as i32;
                acc[1] += s[2] as i32;
                acc[2] += s[3] as i32;
            }
            for (s, a) in scores.iter_mut().zip(acc) {
                *s += a;
            }
            return;
        }
        let mut t = 0u32;
        for &f in feats {
            if let Some(s) = self.slots.get(slot(f, self.shift) * WAYS) {
                t ^= s.0;
            }
        }
        // the same for the rows, in chunks of features
        for chunk in feats.chunks(64) {
            let mut rows = [0u32; 64];
            for (r, &f) in rows.iter_mut().zip(chunk) {
                *r = self.sparse_start(f);
                if let Some(&e) = self.entries.get(*r as usize + 1) {
                    t ^= e as u32;
                }
            }
            std::hint::black_box(t);
            for &r in &rows[..chunk.len()] {
                for &e in self.row_at(r) {
                    if let Some(s) = scores.get_mut((e & 0xFF) as usize) {
                        *s += e >> 8;
                    }
                }
            }
        }
    }

    fn row_of(&self, k: usize) -> Vec<(u8, i16)> {
        let key = self.keys[k];
        if self.nclass <= INLINE {
            let s = self.inline_row(key);
            (0..self.nclass)
                .filter(|&c| s[1 + c] != 0)
                .map(|c| (c as u8, s[1 + c]))
                .collect()
        } else {
            self.sparse_row(key)
                .iter()
                .map(|&e| ((e & 0xFF) as u8, (e >> 8) as i16))
                .collect()
        }
    }

    /// Drop entries whose quantised magnitude is below `min_q` (and features left empty).
    pub fn prune(&self, min_q: i16) -> Weights {
        let (mut keys, mut lens, mut flat) = (Vec::new(), Vec::new(), Vec::new());
        for k in 0..self.keys.len() {
            let row: Vec<(u8, i16)> = self
                .row_of(k)
                .into_iter()
                .filter(|e| e.1.unsigned_abs() >= min_q as u16)
                .collect();
            if !row.is_empty() {
                keys.push(self.keys[k]);
                lens.push(row.len() as u8);
                flat.extend(row);
            }
        }
        Weights::build(self.nclass, self.scale, keys, &lens, &flat)
    }

    pub(crate) fn write(&self, w: &mut Writer) {
        w.u32(self.nclass as u32);
        w.f32(self.scale);
        let rows: Vec<Vec<(u8, i16)>> = (0..self.keys.len()).map(|k| self.row_of(k)).collect();
        w.u32(self.keys.len() as u32);
        for &k in &self.keys {
            w.u64(k);
        }
        for r in &rows {
            w.u8(r.len() as u8);
        }
        for r in &rows {
            for &(c, v) in r {
                w.u8(c);
                w.i16(v);
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
        let kb = r.bytes(
            n.checked_mul(8)
                .ok_or_else(|| Error::Format("size".into()))?,
        )?;
        let keys: Vec<u64> = kb
            .chunks_exact(8)
            .map(|k| u64::from_le_bytes(k.try_into().expect("8 bytes")))
            .collect();
        if keys.windows(2).any(|w| w[0] >= w[1]) || keys.first() == Some(&0) {
            return Err(Error::Format("feature keys not sorted".into()));
        }
        let lens = r.bytes(n)?;
        let total: usize = lens.iter().map(|&l| l as usize).sum();
        let mut flat = Vec::with_capacity(total);
        for e in r.bytes(total * 3)?.chunks_exact(3) {
            if e[0] as usize >= nclass {
                return Err(Error::Format("class out of range".into()));
            }
            flat.push((e[0], i16::from_le_bytes([e[1], e[2]])));
        }
        Ok(Weights::build(nclass, scale, keys, lens, &flat))
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
        let mut i = slot(key, 64 - self.keys.len().trailing_zeros());
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
        let mut i = slot(key, 64 - self.keys.len().trailing_zeros());
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
                let mut i = slot(k, 64 - size.trailing_zeros());
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

    /// Move the weights of one class by `delta` (one half of an update whose two sides
    /// have different features).
    pub fn update_one(&mut self, feats: &[u64], class: usize, delta: f32) {
        let c = self.c * delta as f64;
        for &f in feats {
            let r = self.insert(f) * self.nclass;
            self.w[r + class] += delta;
            self.u[r + class] += c;
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
        let (mut keys, mut lens, mut flat) = (Vec::new(), Vec::new(), Vec::new());
        for &(k, r) in &feats {
            let before = flat.len();
            for c in 0..self.nclass {
                let a = avg(r, c);
                if a.abs() >= min_abs {
                    let q = (a / scale).round() as i32;
                    if q != 0 {
                        flat.push((c as u8, q.clamp(-32767, 32767) as i16));
                    }
                }
            }
            if flat.len() > before {
                keys.push(k);
                lens.push((flat.len() - before) as u8);
            }
        }
        Weights::build(self.nclass, scale, keys, &lens, &flat)
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
        let data: Vec<(Vec<u64>, usize)> = (0..30)
            .map(|i| {
                let k = |v: u64| crate::hash::Feat::new(1).with(v).key();
                (vec![k(100 + (i % 3) as u64), k(7)], (i % 3) as usize)
            })
            .collect();
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
