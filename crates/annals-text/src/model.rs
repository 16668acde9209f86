//! The learned part of segmentation: an averaged perceptron that scores the gaps the rule
//! layer leaves open, over hashed features of the tokens around the gap.
//!
//! The model is a dense table of `2^bits` quantised weights indexed by feature hash, so
//! scoring a gap is a couple of dozen array reads and no allocation.
//!
//! File format (little endian): `b"ANSEG1"`, one byte `bits`, an `f32` scale, then
//! `2^bits` `i16` weights (real weight = stored × scale).

use crate::eval::{rebuild, GoldParagraph};
use crate::rules::{self, mix, Rule, TokInfo, C_CLOSE, C_SPACE_AFTER, FNV};
use crate::tokenize::{tokenize_into, Span};

const MAGIC: &[u8; 6] = b"ANSEG1";
/// Table size of a freshly trained model.
const TRAIN_BITS: u8 = 18;
const EPOCHS: usize = 6;

/// Number of features of one gap.
pub(crate) const NFEAT: usize = 36;

/// A loaded segmentation model.
#[derive(Debug, Clone)]
pub(crate) struct Model {
    mask: u64,
    weights: Box<[i16]>,
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

impl Model {
    /// Read a model from its file bytes.
    pub(crate) fn from_bytes(b: &[u8]) -> Result<Self, ModelError> {
        if b.len() < 11 || &b[..6] != MAGIC {
            return Err(ModelError::BadMagic);
        }
        let bits = b[6];
        if !(8..=24).contains(&bits) {
            return Err(ModelError::BadSize);
        }
        let n = 1usize << bits;
        let body = &b[11..];
        if body.len() != 2 * n {
            return Err(ModelError::BadSize);
        }
        let weights = body
            .chunks_exact(2)
            .map(|c| i16::from_le_bytes([c[0], c[1]]))
            .collect();
        Ok(Model {
            mask: (n - 1) as u64,
            weights,
        })
    }

    /// The score of a gap; positive means a sentence boundary.
    #[inline]
    pub(crate) fn score(&self, feats: &[u64; NFEAT]) -> i32 {
        feats
            .iter()
            .map(|&f| self.weights[(f & self.mask) as usize] as i32)
            .sum()
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

/// The hashed features of the gap after token `i`; `dist` is the number of tokens since
/// the current sentence began.
pub(crate) fn features(info: &[TokInfo], i: usize, r: Rule, start: usize, out: &mut [u64; NFEAT]) {
    let dist = i + 1 - start;
    let reason = match r {
        Rule::Maybe { reason, .. } => reason as u64,
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
    let i = i as isize;
    let (p, t, n, n2) = (at(i - 1), at(i), at(i + 1), at(i + 2));
    // the terminal before trailing closers
    let mut k = i;
    while k > 0 && info[k as usize].class & C_CLOSE != 0 {
        k -= 1;
    }
    let term = at(k);
    let left = bucket(info.len() - 1 - i as usize);
    let cls = |c: TokInfo| (c.class & !(C_SPACE_AFTER | rules::C_SPACE_BEFORE)) as u64;
    let space = (t.class & C_SPACE_AFTER != 0) as u64;
    let f = |tpl: u64, a: u64, b: u64| mix(mix(mix(FNV, tpl), a), b);
    let d = bucket(dist);
    let cap = |c: TokInfo| {
        (c.class
            & (rules::C_UPPER | rules::C_LOWER | rules::C_DIGIT | rules::C_ALLCAPS | rules::C_TERM))
            as u64
    };
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
        f(
            27,
            mix(mix(cap(at(i - 2)), cap(p)), cap(t)),
            mix(cap(n), cap(n2)),
        ),
        f(28, t.suffix, 0),
        f(29, n.suffix, 0),
        f(30, d, t.shape),
        f(31, info[start].word, t.shape),
        f(32, info[start].word, mix(d, t.word)),
        f(33, n.word, cap(n)),
        f(34, t.word, cap(t)),
        f(35, mix(n.word, cap(n)), cap(t)),
        f(36, mix(n.word, cap(n)), mix(cap(t), reason)),
    ];
    *out = feats;
}

/// One training example: a paragraph, a gap, its features and label.
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

/// A small deterministic generator for shuffling.
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
}

/// Train a segmenter model from a CoNLL-U treebank (its `# text` lines and paragraph
/// marks) and return the model file bytes. The same input and seed give the same bytes.
///
/// The bundled model is `train_segmenter(en_ewt-ud-train.conllu, 1)`.
pub fn train_segmenter(train_conllu: &str, seed: u64) -> Vec<u8> {
    let paragraphs = rebuild(train_conllu);
    let (mut spans, mut info, mut ex) = (Vec::new(), Vec::new(), Vec::new());
    for gp in &paragraphs {
        examples(gp, &mut spans, &mut info, &mut ex);
    }
    let n = 1usize << TRAIN_BITS;
    let mask = (n - 1) as u64;
    let mut w = vec![0f32; n];
    let mut total = vec![0f64; n];
    let mut stamp = vec![0u32; n];
    let mut clock = 0u32;
    let mut order: Vec<usize> = (0..ex.len()).collect();
    let mut rng = XorShift(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    for _ in 0..EPOCHS {
        for k in (1..order.len()).rev() {
            order.swap(k, (rng.next() % (k as u64 + 1)) as usize);
        }
        for &e in &order {
            clock += 1;
            let x = &ex[e];
            let s: f32 = x.feats.iter().map(|&f| w[(f & mask) as usize]).sum();
            if (s > 0.0) != x.label {
                let delta = if x.label { 1.0 } else { -1.0 };
                for &f in &x.feats {
                    let j = (f & mask) as usize;
                    total[j] += (clock - stamp[j]) as f64 * w[j] as f64;
                    stamp[j] = clock;
                    w[j] += delta;
                }
            }
        }
    }
    let avg: Vec<f64> = (0..n)
        .map(|j| (total[j] + (clock - stamp[j]) as f64 * w[j] as f64) / clock.max(1) as f64)
        .collect();
    let max = avg.iter().fold(0f64, |m, v| m.max(v.abs())).max(1e-9);
    let scale = max / 32000.0;
    let mut out = Vec::with_capacity(11 + 2 * n);
    out.extend_from_slice(MAGIC);
    out.push(TRAIN_BITS);
    out.extend_from_slice(&(scale as f32).to_le_bytes());
    for v in avg {
        out.extend_from_slice(&((v / scale).round() as i16).to_le_bytes());
    }
    out
}
