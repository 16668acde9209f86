//! Linear classifiers over hashed features: the run-time [`Weights`] and the averaged
//! perceptron [`Trainer`] that produces them.
//!
//! A feature is a 64-bit hash. At run time the weights live in 64-byte buckets, one cache
//! line each; a feature's bucket is chosen by the high bits of its hash, and inside the
//! bucket its weights are found by a 16-bit fingerprint. So one lookup reads one cache
//! line and nothing else, and the table is stored in the model file exactly as it sits in
//! memory: loading is a copy. Weights are quantised to 16 bits with one scale per table.
//! Scoring adds into an `i32` score per class: no allocation, no floating point.

use crate::bin::{Reader, Writer};
use crate::Error;

/// Classes up to this many are stored as a dense row per feature; larger class sets store
/// `(class, weight)` entries.
const INLINE: usize = 3;
/// Dense-row slots per bucket: 8 fingerprints, then 8 rows of 3 weights.
const DENSE_SLOTS: usize = 8;
/// Sparse entries per bucket: 12 fingerprints, 12 weights, 12 class bytes.
const SPARSE_SLOTS: usize = 12;
/// In sparse tables, a feature with more entries than this keeps a full row in a side
/// table (`wide`); its bucket entry has class [`WIDE`] and the row's index as weight.
/// Such features are few and common (biases, tag contexts), so their rows stay cached.
const WIDE_MIN: usize = 4;
/// The class byte of an entry that points to a wide row.
const WIDE: u16 = 0xFF;
/// Target share of bucket slots in use when sizing a table. The few features that find
/// their bucket full are the weakest there and are dropped.
const LOAD: f64 = 0.6;

/// One cache line of weights.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
#[repr(C, align(64))]
struct Bucket([u16; 32]);

#[inline(always)]
fn fp16(key: u64) -> u16 {
    ((key >> 1) as u16).max(1)
}

/// Bit `s` set when `fps[s] == fp` (compiles to a vector compare).
#[inline(always)]
fn matches<const N: usize>(fps: &[u16], fp: u16) -> u32 {
    let mut m = 0u32;
    for (s, &f) in fps.iter().take(N).enumerate() {
        m |= ((f == fp) as u32) << s;
    }
    m
}

#[inline(always)]
fn slot(key: u64, shift: u32) -> usize {
    (key >> shift) as usize
}

/// Run-time weights: a table of 64-byte buckets.
#[derive(Clone)]
pub struct Weights {
    nclass: usize,
    scale: f32,
    buckets: Vec<Bucket>,
    /// Full rows of `nclass` weights (sparse tables only).
    wide: Vec<i16>,
}

impl std::fmt::Debug for Weights {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Weights")
            .field("nclass", &self.nclass)
            .field("buckets", &self.buckets.len())
            .field("entries", &self.entry_count())
            .field("wide_rows", &(self.wide.len() / self.nclass))
            .finish()
    }
}

impl Weights {
    /// Number of classes.
    pub fn nclass(&self) -> usize {
        self.nclass
    }

    fn dense(&self) -> bool {
        self.nclass <= INLINE
    }

    /// Number of non-zero weights.
    pub fn entry_count(&self) -> usize {
        self.buckets
            .iter()
            .map(|b| {
                if self.dense() {
                    b.0[DENSE_SLOTS..].iter().filter(|&&w| w != 0).count()
                } else {
                    b.0[..SPARSE_SLOTS].iter().filter(|&&f| f != 0).count()
                }
            })
            .sum::<usize>()
            + self.wide.iter().filter(|&&w| w != 0).count()
    }

    /// The weight of a quantised unit, for turning scores back into real numbers.
    pub fn scale(&self) -> f32 {
        self.scale
    }

    #[inline(always)]
    fn bucket(&self, key: u64) -> usize {
        // multiply-shift: any bucket count, from the high 32 bits of the key
        (((key >> 32) * self.buckets.len() as u64) >> 32) as usize
    }

    /// Build from features sorted by key: `lens[k]` entries of `flat` belong to `keys[k]`.
    /// Features (dense tables) or entries (sparse tables) are placed strongest first; one
    /// that finds its bucket full, or its fingerprint taken there by another feature, is
    /// dropped: at the load chosen that is rare, and always one of the weakest.
    fn build(nclass: usize, scale: f32, keys: &[u64], lens: &[u8], flat: &[(u8, i16)]) -> Self {
        let mut offs = Vec::with_capacity(keys.len() + 1);
        let mut pos = 0usize;
        for &l in lens {
            offs.push(pos);
            pos += l as usize;
        }
        offs.push(pos);
        let row = |k: usize| flat.get(offs[k]..offs[k + 1]).unwrap_or(&[]);
        let dense = nclass <= INLINE;
        // wide rows, in key order
        let mut wide_of = vec![u32::MAX; keys.len()];
        let mut wide: Vec<i16> = Vec::new();
        if !dense {
            for (k, wk) in wide_of.iter_mut().enumerate() {
                if row(k).len() > WIDE_MIN && wide.len() / nclass < u16::MAX as usize {
                    *wk = (wide.len() / nclass) as u32;
                    let at = wide.len();
                    wide.resize(at + nclass, 0);
                    for &(c, v) in row(k) {
                        wide[at + c as usize] = v;
                    }
                }
            }
        }
        let (units, per) = if dense {
            (keys.len(), DENSE_SLOTS)
        } else {
            let narrow: usize = (0..keys.len())
                .map(|k| {
                    if wide_of[k] == u32::MAX {
                        row(k).len()
                    } else {
                        1
                    }
                })
                .sum();
            (narrow, SPARSE_SLOTS)
        };
        let nb = ((units as f64 / (per as f64 * LOAD)).ceil() as usize).max(1);
        let mut w = Weights {
            nclass,
            scale,
            buckets: vec![Bucket::default(); nb],
            wide,
        };
        // (strength, feature, entry) in placing order
        let mut order: Vec<(u16, u32, u32)> = Vec::with_capacity(units);
        for (k, &wk) in wide_of.iter().enumerate() {
            let r = row(k);
            if dense {
                let st = r.iter().map(|e| e.1.unsigned_abs()).max().unwrap_or(0);
                order.push((st, k as u32, 0));
            } else if wk != u32::MAX {
                order.push((u16::MAX, k as u32, u32::MAX));
            } else {
                for (j, e) in r.iter().enumerate() {
                    order.push((e.1.unsigned_abs(), k as u32, j as u32));
                }
            }
        }
        order.sort_unstable_by_key(|&(st, k, j)| (std::cmp::Reverse(st), k, j));
        // which feature owns each fingerprint in each bucket
        let mut owner: Vec<u32> = vec![u32::MAX; nb * per];
        for (_, k, j) in order {
            let key = keys[k as usize];
            let b0 = w.bucket(key);
            let fp = fp16(key);
            let taken = |b: usize, w: &Weights, owner: &[u32]| {
                (0..per).any(|s| w.buckets[b].0[s] == fp && owner[b * per + s] != k)
            };
            if taken(b0, &w, &owner) {
                continue; // another feature has this fingerprint here
            }
            let b = b0;
            let Some(s) = (0..per).find(|&s| w.buckets[b].0[s] == 0) else {
                continue;
            };
            let bk = &mut w.buckets[b].0;
            bk[s] = fp;
            owner[b * per + s] = k;
            if dense {
                for &(c, v) in row(k as usize) {
                    bk[DENSE_SLOTS + 3 * s + (c as usize).min(2)] = v as u16;
                }
            } else if j == u32::MAX {
                bk[SPARSE_SLOTS + s] = wide_of[k as usize] as u16;
                bk[2 * SPARSE_SLOTS + s / 2] |= WIDE << (8 * (s % 2));
            } else {
                let (c, v) = row(k as usize)[j as usize];
                bk[SPARSE_SLOTS + s] = v as u16;
                bk[2 * SPARSE_SLOTS + s / 2] |= (c as u16) << (8 * (s % 2));
            }
        }
        w
    }

    /// Load the bucket of every feature and return a value that depends on all of them.
    /// Callers that interleave several independent decisions touch all their features
    /// first, so that the cache misses overlap.
    #[inline]
    pub fn touch(&self, feats: &[u64]) -> u64 {
        let mut t = 0u64;
        for &f in feats {
            if let Some(b) = self.buckets.get(self.bucket(f)) {
                t ^= b.0[0] as u64;
            }
        }
        t
    }

    /// Add the weights of `feats` into `scores` (one per class; not cleared here).
    #[inline]
    pub fn score(&self, feats: &[u64], scores: &mut [i32]) {
        let t = self.touch(feats);
        std::hint::black_box(t);
        self.score_touched(feats, scores);
    }

    /// The scores of `feats` in a table of up to three classes (a dense one), after
    /// [`Weights::touch`]: a small loop to inline where the scores are wanted.
    #[inline(always)]
    pub fn dense_sum(&self, feats: &[u64]) -> [i32; 3] {
        const ONES: u64 = 0x0001_0001_0001_0001;
        const LO: u64 = 0x7FFF_7FFF_7FFF_7FFF;
        let mut acc = [0i32; 3];
        let n = self.buckets.len() as u64;
        for &f in feats {
            let i = (((f >> 32) * n) >> 32) as usize;
            let Some(b) = self.buckets.get(i) else {
                continue;
            };
            let b = &b.0;
            // the eight fingerprints as two words: a lane equal to `fp` becomes zero, and
            // zero lanes are found exactly (no carry crosses a lane)
            let fpx = fp16(f) as u64 * ONES;
            let w0 = u64::from(b[0])
                | u64::from(b[1]) << 16
                | u64::from(b[2]) << 32
                | u64::from(b[3]) << 48;
            let w1 = u64::from(b[4])
                | u64::from(b[5]) << 16
                | u64::from(b[6]) << 32
                | u64::from(b[7]) << 48;
            let (x0, x1) = (w0 ^ fpx, w1 ^ fpx);
            let z0 = !(((x0 & LO) + LO) | x0) & !LO;
            let z1 = !(((x1 & LO) + LO) | x1) & !LO;
            // at most one slot holds the fingerprint: slot k of the first word is bit
            // 16k, of the second 16k + 1; none: add zeros
            let z = (z0 >> 15) | (z1 >> 14);
            let t = z.trailing_zeros();
            let s = (((t >> 4) + 4 * (t & 1)) as usize) & (DENSE_SLOTS - 1);
            let m = std::hint::select_unpredictable(z != 0, -1i32, 0);
            let row = &b[DENSE_SLOTS + 3 * s..DENSE_SLOTS + 3 * s + 3];
            for (a, &w) in acc.iter_mut().zip(row) {
                *a += (w as i16 as i32) & m;
            }
        }
        acc
    }

    /// [`Weights::score`] for features whose buckets were just touched (no first pass).
    #[inline]
    pub fn score_touched(&self, feats: &[u64], scores: &mut [i32]) {
        if self.dense() {
            for (s, a) in scores.iter_mut().zip(self.dense_sum(feats)) {
                *s += a;
            }
            return;
        }
        for &f in feats {
            let Some(b) = self.buckets.get(self.bucket(f)) else {
                continue;
            };
            let b = &b.0;
            let mut hits = matches::<SPARSE_SLOTS>(&b[..SPARSE_SLOTS], fp16(f));
            while hits != 0 {
                let s = hits.trailing_zeros() as usize;
                hits &= hits - 1;
                let c = (b[2 * SPARSE_SLOTS + s / 2] >> (8 * (s % 2))) & 0xFF;
                let v = b[SPARSE_SLOTS + s];
                if c == WIDE {
                    let at = v as usize * self.nclass;
                    if let Some(r) = self.wide.get(at..at + self.nclass) {
                        for (x, &w) in scores.iter_mut().zip(r) {
                            *x += w as i32;
                        }
                    }
                } else if let Some(x) = scores.get_mut(c as usize) {
                    *x += v as i16 as i32;
                }
            }
        }
    }

    /// Drop weights whose quantised magnitude is below `min_q`.
    pub fn prune(&self, min_q: i16) -> Weights {
        let mut w = self.clone();
        let min_q = min_q.max(0) as u16;
        // wide rows: small weights go; empty rows go, the rest are renumbered in order
        let nc = self.nclass;
        let mut new_index = vec![u16::MAX; self.wide.len() / nc.max(1)];
        w.wide.clear();
        for (i, r) in self.wide.chunks_exact(nc.max(1)).enumerate() {
            if r.iter().any(|v| v.unsigned_abs() >= min_q) {
                new_index[i] = (w.wide.len() / nc) as u16;
                w.wide.extend(
                    r.iter()
                        .map(|&v| if v.unsigned_abs() >= min_q { v } else { 0 }),
                );
            }
        }
        for b in &mut w.buckets {
            let b = &mut b.0;
            if self.nclass <= INLINE {
                for s in 0..DENSE_SLOTS {
                    let row = &mut b[DENSE_SLOTS + 3 * s..DENSE_SLOTS + 3 * s + 3];
                    for v in row.iter_mut() {
                        if (*v as i16).unsigned_abs() < min_q {
                            *v = 0;
                        }
                    }
                    if row.iter().all(|&v| v == 0) {
                        b[s] = 0;
                    }
                }
            } else {
                // keep the surviving entries, in their order, at the front
                let mut kept: Vec<(u16, u16, u16)> = Vec::with_capacity(SPARSE_SLOTS);
                for s in 0..SPARSE_SLOTS {
                    let v = b[SPARSE_SLOTS + s];
                    let c = (b[2 * SPARSE_SLOTS + s / 2] >> (8 * (s % 2))) & 0xFF;
                    if b[s] == 0 {
                        continue;
                    }
                    if c == WIDE {
                        let i = new_index.get(v as usize).copied().unwrap_or(u16::MAX);
                        if i != u16::MAX {
                            kept.push((b[s], i, c));
                        }
                    } else if (v as i16).unsigned_abs() >= min_q {
                        kept.push((b[s], v, c));
                    }
                }
                *b = [0; 32];
                for (s, &(fp, v, c)) in kept.iter().enumerate() {
                    b[s] = fp;
                    b[SPARSE_SLOTS + s] = v;
                    b[2 * SPARSE_SLOTS + s / 2] |= c << (8 * (s % 2));
                }
            }
        }
        w
    }

    pub(crate) fn write(&self, w: &mut Writer) {
        w.u32(self.nclass as u32);
        w.f32(self.scale);
        w.u32(self.buckets.len() as u32);
        w.u32((self.wide.len() / self.nclass) as u32);
        for &x in &self.wide {
            w.u16(x as u16);
        }
        for b in &self.buckets {
            for &x in &b.0 {
                w.u16(x);
            }
        }
    }

    /// Read a table written by [`Weights::write`].
    pub(crate) fn read(r: &mut Reader) -> Result<Self, Error> {
        let nclass = r.u32()? as usize;
        if nclass == 0 || nclass > 256 {
            return Err(Error::Format(format!("bad class count {nclass}")));
        }
        let scale = r.f32()?;
        let nb = r.u32()? as usize;
        let nwide = r.u32()? as usize;
        let wb = r.bytes(
            nwide
                .checked_mul(nclass * 2)
                .ok_or_else(|| Error::Format("size".into()))?,
        )?;
        let wide: Vec<i16> = wb
            .chunks_exact(2)
            .map(|y| i16::from_le_bytes([y[0], y[1]]))
            .collect();
        let raw = r.bytes(
            nb.checked_mul(64)
                .ok_or_else(|| Error::Format("size".into()))?,
        )?;
        let mut buckets = vec![Bucket::default(); nb];
        for (b, src) in buckets.iter_mut().zip(raw.chunks_exact(64)) {
            for (x, y) in b.0.iter_mut().zip(src.chunks_exact(2)) {
                *x = u16::from_le_bytes([y[0], y[1]]);
            }
        }
        if nclass > INLINE {
            for b in &buckets {
                for s in 0..SPARSE_SLOTS {
                    let c = (b.0[2 * SPARSE_SLOTS + s / 2] >> (8 * (s % 2))) & 0xFF;
                    let bad = if c == WIDE {
                        b.0[SPARSE_SLOTS + s] as usize >= nwide
                    } else {
                        c as usize >= nclass
                    };
                    if bad && b.0[s] != 0 {
                        return Err(Error::Format("class out of range".into()));
                    }
                }
            }
        }
        if nb == 0 {
            return Err(Error::Format("empty weight table".into()));
        }
        Ok(Weights {
            nclass,
            scale,
            buckets,
            wide,
        })
    }

    /// Read a table of format version 2 (sorted keys, then sparse rows) into the bucket
    /// layout.
    pub(crate) fn read_v2(r: &mut Reader) -> Result<Self, Error> {
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
        let lens = r.bytes(n)?;
        let total: usize = lens.iter().map(|&l| l as usize).sum();
        let mut flat = Vec::with_capacity(total);
        for e in r.bytes(total * 3)?.chunks_exact(3) {
            if e[0] as usize >= nclass {
                return Err(Error::Format("class out of range".into()));
            }
            flat.push((e[0], i16::from_le_bytes([e[1], e[2]])));
        }
        Ok(Weights::build(nclass, scale, &keys, lens, &flat))
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

    /// A trainer with no updates whose weights are `share` times `other`'s averaged
    /// weights added to its own (which must hold plain weights: an empty trainer, or one
    /// built by this function). Averaging the models of several runs with different
    /// orders (parameter mixing): [`Trainer::finish`] of the result gives the mean.
    pub fn add_averaged(&mut self, other: &Trainer, share: f64) {
        assert_eq!(self.nclass, other.nclass);
        let mut keys: Vec<(u64, usize)> = other
            .keys
            .iter()
            .zip(&other.rows)
            .filter(|(k, _)| **k != 0)
            .map(|(k, r)| (*k, *r as usize))
            .collect();
        keys.sort_unstable_by_key(|k| k.0);
        for (k, r) in keys {
            let at = self.insert(k) * self.nclass;
            for c in 0..self.nclass {
                let i = r * self.nclass + c;
                let avg = other.w[i] as f64 - other.u[i] / other.c;
                self.w[at + c] += (avg * share) as f32;
            }
        }
    }

    /// Averaged, pruned, quantised run-time weights. Entries whose quantised magnitude is
    /// below `min_q` are dropped (see [`Weights::prune`]), before the table is sized.
    pub fn finish(&self, min_q: i16) -> Weights {
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
                let q = (avg(r, c) / scale).round() as i32;
                if q != 0 && q.unsigned_abs() >= min_q.max(0) as u32 {
                    flat.push((c as u8, q.clamp(-32767, 32767) as i16));
                }
            }
            if flat.len() > before {
                keys.push(k);
                lens.push((flat.len() - before) as u8);
            }
        }
        Weights::build(self.nclass, scale, &keys, &lens, &flat)
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
        let w = t.finish(0);
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

    #[test]
    fn sparse_tables_with_wide_rows_round_trip_and_prune() {
        // 10 classes: a bias feature gets a wide row, the word features short ones
        let nclass = 10;
        let mut t = Trainer::new(nclass);
        let k = |v: u64| crate::hash::Feat::new(2).with(v).key();
        let data: Vec<(Vec<u64>, usize)> = (0..200)
            .map(|i| (vec![k(1000 + (i % 40) as u64), k(7)], (i % 40) % nclass))
            .collect();
        for _ in 0..8 {
            for (f, y) in &data {
                let mut s = vec![0f32; nclass];
                t.score(f, &mut s);
                let p = argmax_by(&s, |_| true).unwrap();
                t.update(f, *y, p);
                t.tick();
            }
        }
        let w = t.finish(0);
        assert!(!w.wide.is_empty(), "the shared feature has a full row");
        for (f, y) in &data {
            let mut s = vec![0i32; nclass];
            w.score(f, &mut s);
            assert_eq!(argmax_by(&s, |_| true), Some(*y));
        }
        let mut out = Writer::default();
        w.write(&mut out);
        let bytes = out.into_inner();
        let back = Weights::read(&mut Reader::new(&bytes)).unwrap();
        // pruning drops the weak entries (the strongest one, 32767, stays) and keeps the
        // strong ones exactly
        let pruned = w.prune(20000);
        assert!(pruned.entry_count() < w.entry_count());
        assert!(pruned.entry_count() > 0);
        assert_eq!(w.prune(1).entry_count(), w.entry_count());
        for (f, _) in &data {
            let (mut a, mut b) = (vec![0i32; nclass], vec![0i32; nclass]);
            w.score(f, &mut a);
            back.score(f, &mut b);
            assert_eq!(a, b);
            let mut c = vec![0i32; nclass];
            w.prune(1).score(f, &mut c);
            assert_eq!(a, c);
        }
    }
}
