//! The learned part of segmentation: a small neural network that scores the gaps the
//! rule layer leaves open, over hashed features of the tokens around the gap.
//!
//! Each of the [`NFEAT`] features of a gap (words, shapes, suffixes and classes of the
//! tokens from three before to four after the gap, their conjunctions, the rule layer's
//! reason, distances to the nearest sentence punctuation, runs of capitalised words) is
//! hashed to one row of a table of `2^bits × HIDDEN` quantised weights. The rows are
//! summed into a hidden layer (ReLU), which a dot product turns into a logit. Scoring a gap
//! is a few dozen row reads and no allocation.
//!
//! File format (little endian): `b"ANSEG2"`, one byte `bits`, one byte `HIDDEN`, `f32`
//! row scale, `f32` threshold, `f32` output bias, `HIDDEN` `f32` hidden biases, `HIDDEN`
//! `f32` output weights, then `2^bits` rows of `HIDDEN` `i8` (real weight = stored × scale).

use crate::eval::{rebuild, GoldParagraph};
use crate::rules::{self, mix, Rule, TokInfo, C_CLOSE, C_SPACE_AFTER, FNV};
use crate::tokenize::{tokenize_into, Span};

const MAGIC: &[u8; 6] = b"ANSEG2";
/// Number of features of one gap.
pub(crate) const NFEAT: usize = 56;
const _: () = assert!(NFEAT * 127 <= i16::MAX as usize);
/// Hidden units of the network.
pub(crate) const HIDDEN: usize = 16;
/// Size of the header before the tables: magic, bits, hidden, scale, threshold, output bias.
const HEADER: usize = 6 + 1 + 1 + 4 + 4 + 4;

/// A loaded segmentation model: a one-hidden-layer network over hashed features.
///
/// Every feature hash selects one row of `HIDDEN` quantised weights; a gap's hidden layer
/// is the ReLU of the sum of its rows plus a bias, and its score the dot product of that
/// with the output weights.
#[derive(Debug, Clone)]
pub(crate) struct Model {
    mask: u64,
    scale: f32,
    threshold: f32,
    b2: f32,
    b1: [f32; HIDDEN],
    w2: [f32; HIDDEN],
    emb: Box<[[i8; HIDDEN]]>,
}

/// Why a model file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// The bytes are not a segmenter model.
    #[error("not a segmenter model (bad magic)")]
    BadMagic,
    /// The table size is out of range or the file is cut short.
    #[error("segmenter model is truncated or has a bad table size")]
    BadSize,
}

fn f32_at(b: &[u8], at: usize) -> f32 {
    f32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

impl Model {
    /// Read a model from its file bytes.
    pub(crate) fn from_bytes(b: &[u8]) -> Result<Self, ModelError> {
        if b.len() < HEADER || &b[..6] != MAGIC {
            return Err(ModelError::BadMagic);
        }
        let bits = b[6];
        if !(8..=24).contains(&bits) || b[7] as usize != HIDDEN {
            return Err(ModelError::BadSize);
        }
        let n = 1usize << bits;
        if b.len() != HEADER + 8 * HIDDEN + n * HIDDEN {
            return Err(ModelError::BadSize);
        }
        let (scale, threshold, b2) = (f32_at(b, 8), f32_at(b, 12), f32_at(b, 16));
        let mut b1 = [0f32; HIDDEN];
        let mut w2 = [0f32; HIDDEN];
        for k in 0..HIDDEN {
            b1[k] = f32_at(b, HEADER + 4 * k);
            w2[k] = f32_at(b, HEADER + 4 * (HIDDEN + k));
        }
        let emb = b[HEADER + 8 * HIDDEN..]
            .chunks_exact(HIDDEN)
            .map(|c| {
                let mut row = [0i8; HIDDEN];
                for (r, &v) in row.iter_mut().zip(c) {
                    *r = v as i8;
                }
                row
            })
            .collect();
        Ok(Model {
            mask: (n - 1) as u64,
            scale,
            threshold,
            b2,
            b1,
            w2,
            emb,
        })
    }

    /// Shift the decision threshold: positive values give more boundaries.
    pub(crate) fn shift(&mut self, delta: f32) {
        self.threshold -= delta;
    }

    /// The score of a gap, relative to the decision threshold; positive means a boundary.
    #[inline]
    pub(crate) fn score(&self, feats: &[u64; NFEAT]) -> f32 {
        // NFEAT × 127 fits an i16, so the rows add up in 16-bit lanes
        let mut acc = [0i16; HIDDEN];
        for &f in feats {
            let row = self.emb[(f & self.mask) as usize].map(i16::from);
            for (a, w) in acc.iter_mut().zip(row) {
                *a += w;
            }
        }
        let mut s = self.b2;
        for ((&a, &b), &w) in acc.iter().zip(&self.b1).zip(&self.w2) {
            s += (a as f32 * self.scale + b).max(0.0) * w;
        }
        s - self.threshold
    }
}

fn bucket(n: usize) -> u64 {
    match n {
        0..=3 => n as u64,
        4..=5 => 4,
        6..=8 => 5,
        9..=14 => 6,
        15..=25 => 7,
        _ => 8,
    }
}

/// Distance (capped at `cap`) from token `i` to the nearest token, stepping by `step`,
/// whose class has any of `bits`; `cap` when there is none.
fn scan(info: &[TokInfo], i: usize, step: isize, bits: u16, cap: usize) -> u64 {
    let mut k = i as isize;
    for d in 0..cap {
        if k < 0 || k as usize >= info.len() {
            return cap as u64 + 1;
        }
        if info[k as usize].class & bits != 0 {
            return d as u64;
        }
        k += step;
    }
    cap as u64
}

/// Number (capped at 4) of consecutive capitalised tokens from token `i`, by `step`.
fn caps_run(info: &[TokInfo], i: usize, step: isize) -> u64 {
    let mut k = i as isize;
    let mut n = 0;
    while n < 4
        && k >= 0
        && (k as usize) < info.len()
        && info[k as usize].class & rules::C_UPPER != 0
    {
        n += 1;
        k += step;
    }
    n
}

/// The hashed features of the gap after token `i`; `start` is the first token of the
/// current sentence.
pub(crate) fn features(info: &[TokInfo], i: usize, r: Rule, start: usize, out: &mut [u64; NFEAT]) {
    let dist = i + 1 - start;
    let reason = match r {
        Rule::Maybe { reason, yes } => reason as u64 | (yes as u64) << 8,
        Rule::No | Rule::Yes => 0,
    };
    let none = TokInfo {
        word: 1,
        shape: 1,
        suffix: 1,
        class: 0,
    };
    let at = |k: isize| {
        if k < 0 || k as usize >= info.len() {
            none
        } else {
            info[k as usize]
        }
    };
    let iu = i;
    let i = i as isize;
    let (p2, p, t, n, n2, n3) = (at(i - 2), at(i - 1), at(i), at(i + 1), at(i + 2), at(i + 3));
    // the terminal before trailing closers
    let mut k = i;
    while k > 0 && info[k as usize].class & C_CLOSE != 0 {
        k -= 1;
    }
    let term = at(k);
    let left = bucket(info.len() - 1 - iu);
    let cls = |c: TokInfo| (c.class & !(C_SPACE_AFTER | rules::C_SPACE_BEFORE)) as u64;
    let space = (t.class & C_SPACE_AFTER != 0) as u64;
    let f = |tpl: u64, a: u64, b: u64| mix(mix(mix(FNV, tpl), a), b);
    let d = bucket(dist);
    let cap = |c: TokInfo| {
        (c.class
            & (rules::C_UPPER | rules::C_LOWER | rules::C_DIGIT | rules::C_ALLCAPS | rules::C_TERM))
            as u64
    };
    let rterm = scan(info, iu + 1, 1, rules::C_TERM, 12);
    let lterm = scan(info, iu, -1, rules::C_TERM, 12);
    let (capl, capr) = (caps_run(info, iu, -1), caps_run(info, iu + 1, 1));
    let plen = bucket(info.len());
    let feats = [
        f(1, 0, 0),
        f(2, reason, 0),
        f(3, t.word, 0),
        f(4, n.word, 0),
        f(5, p.word, 0),
        f(6, n2.word, 0),
        f(7, t.shape, 0),
        f(8, n.shape, 0),
        f(9, p.shape, 0),
        f(10, n2.shape, 0),
        f(11, t.word, n.shape),
        f(12, t.shape, n.word),
        f(13, t.shape, n.shape),
        f(14, mix(p.shape, t.shape), n.shape),
        f(15, t.word, n.word),
        f(16, d, reason),
        f(17, left, reason),
        f(18, reason, n.shape),
        f(19, reason, n.word),
        f(20, space, reason),
        f(21, d, n.shape),
        f(22, term.word, n.shape),
        f(23, cls(t), cls(n)),
        f(24, p.word, t.word),
        f(25, mix(t.shape, n.shape), n2.shape),
        f(26, d, mix(t.shape, n.shape)),
        f(27, mix(mix(cap(p2), cap(p)), cap(t)), mix(cap(n), cap(n2))),
        f(28, t.suffix, 0),
        f(29, n.suffix, 0),
        f(30, d, t.shape),
        f(31, info[start].word, t.shape),
        f(32, info[start].word, mix(d, t.word)),
        f(33, n.word, cap(n)),
        f(34, t.word, cap(t)),
        f(35, mix(n.word, cap(n)), cap(t)),
        f(36, mix(n.word, cap(n)), mix(cap(t), reason)),
        f(37, p2.word, 0),
        f(38, n3.word, 0),
        f(39, p2.shape, 0),
        f(40, n3.shape, 0),
        f(41, at(i - 3).word, 0),
        f(42, at(i + 4).word, 0),
        f(43, rterm, 0),
        f(44, lterm, 0),
        f(45, rterm, lterm),
        f(46, capl, capr),
        f(47, mix(capl, capr), mix(t.shape, n.shape)),
        f(48, plen, left),
        f(49, d, rterm),
        f(50, n.word, n2.word),
        f(51, mix(p.word, t.word), n.word),
        f(52, p.suffix, 0),
        f(53, mix(t.shape, n.shape), rterm),
        f(54, t.word, capr),
        f(55, mix(p.word, t.word), n.shape),
        f(56, cls(p), mix(cls(t), cls(n))),
    ];
    *out = feats;
}

/// One training example: its features and label.
struct Example {
    feats: [u64; NFEAT],
    label: bool,
}

/// Collect the examples of one paragraph, with the gold boundaries as history.
fn examples(
    gp: &GoldParagraph,
    spans: &mut Vec<Span>,
    info: &mut Vec<TokInfo>,
    out: &mut Vec<Example>,
) {
    spans.clear();
    tokenize_into(&gp.text, 0, spans);
    rules::infos(&gp.text, spans, info);
    let ends: std::collections::HashSet<usize> = gp.sentences.iter().map(|s| s.end).collect();
    let mut start = 0;
    for i in 0..spans.len().saturating_sub(1) {
        let label = ends.contains(&spans[i].end);
        let r = rules::rule(&gp.text, spans, info, i);
        if rules::worth_scoring(info, i, r) {
            let mut feats = [0; NFEAT];
            features(info, i, r, start, &mut feats);
            out.push(Example { feats, label });
        }
        if label {
            start = i + 1;
        }
    }
}

/// A small deterministic generator for initialisation and shuffling.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// Uniform in [-1, 1).
    fn unit(&mut self) -> f32 {
        (self.next() >> 40) as f32 / (1u64 << 23) as f32 - 1.0
    }
}

/// Settings of [`train_segmenter_with`]. The defaults give the bundled model.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainOptions {
    /// Seed of initialisation and shuffling.
    pub seed: u64,
    /// Passes over the training examples.
    pub epochs: usize,
    /// Log2 of the number of feature rows.
    pub bits: u8,
    /// AdaGrad learning rate.
    pub rate: f32,
    /// Decision threshold on the output (a logit); higher gives fewer boundaries.
    pub threshold: f32,
    /// Chance of leaving out each feature of an example in training (regularisation).
    pub dropout: f32,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            seed: 1,
            epochs: 12,
            bits: 17,
            rate: 0.05,
            threshold: -1.5,
            dropout: 0.2,
        }
    }
}

/// Train a segmenter model from a CoNLL-U treebank (its `# text` lines and paragraph
/// marks) and return the model file bytes. The same input and seed give the same bytes.
///
/// The bundled model is `train_segmenter(en_ewt-ud-train.conllu, 1)`.
pub fn train_segmenter(train_conllu: &str, seed: u64) -> Vec<u8> {
    train_segmenter_with(
        train_conllu,
        &TrainOptions {
            seed,
            ..TrainOptions::default()
        },
    )
}

/// [`train_segmenter`] with explicit settings.
pub fn train_segmenter_with(train_conllu: &str, opt: &TrainOptions) -> Vec<u8> {
    let paragraphs = rebuild(train_conllu);
    let (mut spans, mut info, mut ex) = (Vec::new(), Vec::new(), Vec::new());
    for gp in &paragraphs {
        examples(gp, &mut spans, &mut info, &mut ex);
    }
    let n = 1usize << opt.bits;
    let mask = (n - 1) as u64;
    let mut rng = XorShift(opt.seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let init = 0.5 / (NFEAT as f32).sqrt();
    let mut emb: Vec<f32> = (0..n * HIDDEN).map(|_| rng.unit() * init).collect();
    let mut g_emb = vec![1e-6f32; n * HIDDEN];
    let mut b1 = [0.1f32; HIDDEN];
    let mut g_b1 = [1e-6f32; HIDDEN];
    let mut w2 = [0f32; HIDDEN];
    for w in &mut w2 {
        *w = rng.unit() / (HIDDEN as f32).sqrt();
    }
    let mut g_w2 = [1e-6f32; HIDDEN];
    let (mut b2, mut g_b2) = (0f32, 1e-6f32);
    let lr = opt.rate;
    let mut order: Vec<usize> = (0..ex.len()).collect();
    let mut z = [0f32; HIDDEN];
    let mut gh = [0f32; HIDDEN];
    let drop = (opt.dropout * (1u64 << 24) as f32) as u64;
    let mut keep = [true; NFEAT];
    // parameters averaged over the end of every epoch
    let mut avg_emb = vec![0f32; n * HIDDEN];
    let (mut avg_b1, mut avg_w2, mut avg_b2) = ([0f32; HIDDEN], [0f32; HIDDEN], 0f32);
    for _ in 0..opt.epochs {
        for k in (1..order.len()).rev() {
            order.swap(k, (rng.next() % (k as u64 + 1)) as usize);
        }
        for &e in &order {
            let x = &ex[e];
            if drop > 0 {
                for k in keep.iter_mut().skip(1) {
                    *k = rng.next() >> 40 >= drop;
                }
            }
            z.copy_from_slice(&b1);
            for (&f, _) in x.feats.iter().zip(&keep).filter(|(_, &k)| k) {
                let row = &emb[(f & mask) as usize * HIDDEN..][..HIDDEN];
                for (a, &w) in z.iter_mut().zip(row) {
                    *a += w;
                }
            }
            let mut s = b2;
            for k in 0..HIDDEN {
                s += z[k].max(0.0) * w2[k];
            }
            let p = 1.0 / (1.0 + (-s).exp());
            let g = p - if x.label { 1.0 } else { 0.0 };
            for k in 0..HIDDEN {
                gh[k] = if z[k] > 0.0 { g * w2[k] } else { 0.0 };
                let gw = g * z[k].max(0.0);
                g_w2[k] += gw * gw;
                w2[k] -= lr * gw / g_w2[k].sqrt();
                g_b1[k] += gh[k] * gh[k];
                b1[k] -= lr * gh[k] / g_b1[k].sqrt();
            }
            g_b2 += g * g;
            b2 -= lr * g / g_b2.sqrt();
            for (&f, _) in x.feats.iter().zip(&keep).filter(|(_, &k)| k) {
                let j = (f & mask) as usize * HIDDEN;
                let row = &mut emb[j..j + HIDDEN];
                let acc = &mut g_emb[j..j + HIDDEN];
                for k in 0..HIDDEN {
                    acc[k] += gh[k] * gh[k];
                    row[k] -= lr * gh[k] / acc[k].sqrt();
                }
            }
        }
        for (a, &w) in avg_emb.iter_mut().zip(&emb) {
            *a += w;
        }
        for k in 0..HIDDEN {
            avg_b1[k] += b1[k];
            avg_w2[k] += w2[k];
        }
        avg_b2 += b2;
    }
    let m = opt.epochs.max(1) as f32;
    let emb: Vec<f32> = avg_emb.iter().map(|v| v / m).collect();
    let b1 = avg_b1.map(|v| v / m);
    let w2 = avg_w2.map(|v| v / m);
    let b2 = avg_b2 / m;
    let max = emb.iter().fold(0f32, |m, v| m.max(v.abs())).max(1e-9);
    let scale = max / 127.0;
    let mut out = Vec::with_capacity(HEADER + 8 * HIDDEN + n * HIDDEN);
    out.extend_from_slice(MAGIC);
    out.push(opt.bits);
    out.push(HIDDEN as u8);
    out.extend_from_slice(&scale.to_le_bytes());
    out.extend_from_slice(&opt.threshold.to_le_bytes());
    out.extend_from_slice(&b2.to_le_bytes());
    for v in b1.iter().chain(&w2) {
        out.extend_from_slice(&v.to_le_bytes());
    }
    for v in emb {
        out.push((v / scale).round().clamp(-127.0, 127.0) as i8 as u8);
    }
    out
}
