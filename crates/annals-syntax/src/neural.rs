//! A feed-forward neural transition parser (after Chen & Manning 2014): the same
//! arc-hybrid transitions and dynamic oracle as [`crate::parser`], but the classifier is a
//! network with one hidden layer instead of an averaged perceptron over hashed feature
//! conjunctions.
//!
//! A configuration is described by [`FEATS`] categorical features (the words, word
//! clusters, suffixes, Penn and universal tags of nodes on the stack and the buffer, the
//! Penn tags, clusters and labels of their children, distances and child counts). Each feature slot has a
//! small vocabulary, and every (slot, value) pair owns one row of the first layer: the
//! hidden layer is `relu(b1 + Σ rows)`. This is the "precomputation trick" taken to its
//! end: the first layer's contribution of each (position, value) *is* the parameter, so
//! training and decoding both cost one vector add per feature, with no embedding product.
//! The output layer gives three action scores (SHIFT, LEFT, RIGHT) and, for the chosen
//! arc's direction, one score per label ([`NeuralNet::label_scores`]).
//!
//! Training ([`train_neural`]): minibatches of sentences parsed with the current weights
//! (dropout on the hidden layer, rare words replaced by the unknown word now and then),
//! the loss of an action is `-log Σ p(a)` over the actions the dynamic oracle allows,
//! Adam (rows updated lazily, only when used), and an exponential moving average of the
//! weights for decoding (feature rows dropped now and then as well). Deterministic: each
//! half of a minibatch is worked out on its own thread with its own random numbers, and
//! the two gradients are added in a fixed order, so one or two threads give the same
//! weights.
//!
//! Decoding ([`Decoder`], from [`NeuralParser::quantize`]): 16-bit weights, and the hidden
//! layer summed from group sums kept per node (exactly the row-by-row sum), so that a
//! transition costs about a dozen vector adds, three dot products and, for an arc, one
//! per label seen with its direction and dependent tag.
//!
//! A prototype: not part of [`crate::Model`] or its file yet (see `models/README.md`).

use crate::bin::{Reader, Writer};
use crate::lex::Lex;
use crate::parser::{dist, projectivize, Gold, State, LEFT, NONE, RIGHT, SHIFT};
use crate::train::{GoldSent, Rng};
use crate::Error;
use annals_model::{DepRel, Upos, Xpos};
use std::collections::BTreeMap;

/// Node positions whose Penn tag is a feature: `s0 s1 s2 b0 b1 b2`, then the children
/// (`s0l1 s0l2 s0r1 s0r2 s1l1 s1l2 s1r1 s1r2 s0l1l1 s0r1r1 s1l1l1 s1r1r1 b0l1 b0l2`).
const NPOS: usize = 20;
/// Of those, the first `WPOS` also give their word.
const WPOS: usize = 6;
/// Positions whose word cluster is a feature (indices into the node positions).
const CPOS: [usize; 10] = [0, 1, 2, 3, 4, 5, 6, 8, 12, 18];
/// Positions whose 3-letter suffix is a feature.
const SPOS: [usize; 3] = [0, 3, 4];
/// Children (positions 6..20) give their label.
const LPOS: usize = NPOS - 6;
/// Features of a configuration: the above, distances and counts, then the universal
/// tags of the six stack and buffer positions.
pub const FEATS: usize = NPOS + WPOS + CPOS.len() + SPOS.len() + LPOS + 2 + 5 + UPOS_POS;
/// Positions (the first ones) whose universal tag is a feature.
const UPOS_POS: usize = 6;

const SUF_BUCKETS: u32 = 2048;
const CLUSTERS: u32 = 1024;

/// Hyperparameters of [`train_neural`].
#[derive(Debug, Clone)]
pub struct NeuralConfig {
    /// Hidden units (rounded up to a multiple of 16).
    pub hidden: usize,
    /// Passes over the training sentences.
    pub epochs: usize,
    /// Sentences per update.
    pub batch: usize,
    /// Adam learning rate.
    pub lr: f32,
    /// Learning rate decay per epoch (multiplied).
    pub lr_decay: f32,
    /// Dropout on the hidden layer.
    pub dropout: f32,
    /// Dropout of whole feature rows (the input layer).
    pub feat_dropout: f32,
    /// A word seen `c` times is replaced by the unknown word with probability
    /// `word_dropout / (word_dropout + c)`.
    pub word_dropout: f32,
    /// Words seen at least this often get their own rows.
    pub min_word_freq: u32,
    /// From this epoch on (0-based), wrong predictions are followed with probability
    /// `explore`.
    pub explore_from: usize,
    /// See `explore_from`.
    pub explore: f64,
    /// Decay of the moving average of the weights (per update).
    pub ema: f32,
    /// Random seed.
    pub seed: u64,
    /// Threads (1 or 2); the result is the same either way.
    pub threads: usize,
}

impl Default for NeuralConfig {
    fn default() -> Self {
        NeuralConfig {
            hidden: 256,
            epochs: 10,
            batch: 16,
            lr: 1e-3,
            lr_decay: 0.85,
            dropout: 0.3,
            feat_dropout: 0.0,
            word_dropout: 0.25,
            min_word_freq: 3,
            explore_from: 1,
            explore: 0.5,
            ema: 0.999,
            seed: 1,
            threads: 2,
        }
    }
}

/// The vocabularies: normalised word hash → id (by frequency), with counts.
#[derive(Debug, Clone, Default)]
pub struct Vocab {
    keys: Vec<u64>,
    ids: Vec<u32>,
    counts: Vec<u32>,
    /// By id: the word's cluster and suffix values (functions of the normalised word).
    clus: Vec<u32>,
    suf: Vec<u32>,
}

impl Vocab {
    fn build(data: &[TrainSent], min: u32) -> Vocab {
        let mut c: BTreeMap<u64, (u32, u32, u32)> = BTreeMap::new();
        for s in data {
            for l in s.lex {
                let n = node_of(l, None, 0, 0);
                c.entry(l.norm).or_insert((0, n.clus, n.suf)).0 += 1;
            }
        }
        let mut v: Vec<(u64, (u32, u32, u32))> =
            c.into_iter().filter(|&(_, n)| n.0 >= min).collect();
        // most frequent first (ties by key): ids are stable for the same data
        v.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(&b.0)));
        let mut by_key: Vec<(u64, u32)> =
            v.iter().enumerate().map(|(i, x)| (x.0, i as u32)).collect();
        by_key.sort_unstable();
        Vocab {
            keys: by_key.iter().map(|x| x.0).collect(),
            ids: by_key.iter().map(|x| x.1).collect(),
            counts: v.iter().map(|x| x.1 .0).collect(),
            clus: v.iter().map(|x| x.1 .1).collect(),
            suf: v.iter().map(|x| x.1 .2).collect(),
        }
    }

    /// Words with their own rows.
    pub fn len(&self) -> usize {
        self.counts.len()
    }

    /// True when there is none.
    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    fn get(&self, norm: u64) -> Option<u32> {
        self.keys.binary_search(&norm).ok().map(|i| self.ids[i])
    }
}

/// What the features read of one node.
#[derive(Clone, Copy, Default, Debug)]
struct NNode {
    word: u32,
    tag: u32,
    upos: u32,
    clus: u32,
    suf: u32,
}

/// Value 0 of every slot: no node; 1: the root.
const NO: NNode = NNode {
    word: 0,
    tag: 0,
    upos: 0,
    clus: 0,
    suf: 0,
};
const ROOT: NNode = NNode {
    word: 1,
    tag: 1,
    upos: 1,
    clus: 1,
    suf: 1,
};

/// Slot vocabulary sizes and their first rows.
#[derive(Debug, Clone)]
struct Layout {
    /// First row of each feature slot.
    off: [u32; FEATS],
    rows: usize,
}

fn nlab() -> usize {
    DepRel::count()
}

impl Layout {
    fn new(words: usize) -> Layout {
        let tag = 2 + Xpos::count() as u32;
        let word = 3 + words as u32;
        let clus = 2 + CLUSTERS;
        let suf = 2 + SUF_BUCKETS;
        let lab = 1 + nlab() as u32;
        let mut sizes = Vec::with_capacity(FEATS);
        sizes.extend([tag; NPOS]);
        sizes.extend([word; WPOS]);
        sizes.extend([clus; CPOS.len()]);
        sizes.extend([suf; SPOS.len()]);
        sizes.extend([lab; LPOS]);
        sizes.extend([9, 9]); // distances s0–b0, s1–s0
        sizes.extend([8, 8, 8, 8, 5]); // child counts, stack depth
        sizes.extend([2 + Upos::count() as u32; UPOS_POS]);
        assert_eq!(sizes.len(), FEATS);
        let mut off = [0u32; FEATS];
        let mut at = 0u32;
        for (o, s) in off.iter_mut().zip(&sizes) {
            *o = at;
            at += s;
        }
        Layout {
            off,
            rows: at as usize,
        }
    }
}

/// The feature values of a word (`word`: its vocabulary id, if any).
fn node_of(l: &Lex, word: Option<u32>, xpos: u8, upos: u8) -> NNode {
    NNode {
        word: word.map_or(2, |i| 3 + i),
        tag: 2 + xpos as u32,
        upos: 2 + upos as u32,
        clus: if l.cluster == 0 {
            2 + CLUSTERS - 1
        } else {
            2 + (l.cluster & (CLUSTERS - 1))
        },
        suf: 2 + (l.suf[2] % SUF_BUCKETS as u64) as u32,
    }
}

fn nodes(lex: &[Lex], xpos: &[u8], upos: &[u8], vocab: &Vocab, out: &mut Vec<NNode>) {
    out.clear();
    for ((l, &x), &u) in lex.iter().zip(xpos).zip(upos) {
        out.push(node_of(l, vocab.get(l.norm), x, u));
    }
    out.push(ROOT);
}

/// The feature rows of a configuration.
fn features(st: &State, nd: &[NNode], lay: &Layout, out: &mut [u32; FEATS]) {
    let ch = |v: &[u16], i: u16| if i == NONE { NONE } else { v[i as usize] };
    let (s0, s1, s2) = (st.s(0), st.s(1), st.s(2));
    let (b0, b1, b2) = (st.buf(0), st.buf(1), st.buf(2));
    let (s0l1, s0r1, s1l1, s1r1) = (
        ch(&st.lc1, s0),
        ch(&st.rc1, s0),
        ch(&st.lc1, s1),
        ch(&st.rc1, s1),
    );
    let p: [u16; NPOS] = [
        s0,
        s1,
        s2,
        b0,
        b1,
        b2,
        s0l1,
        ch(&st.lc2, s0),
        s0r1,
        ch(&st.rc2, s0),
        s1l1,
        ch(&st.lc2, s1),
        s1r1,
        ch(&st.rc2, s1),
        ch(&st.lc1, s0l1),
        ch(&st.rc1, s0r1),
        ch(&st.lc1, s1l1),
        ch(&st.rc1, s1r1),
        ch(&st.lc1, b0),
        ch(&st.lc2, b0),
    ];
    let node = |i: u16| -> &NNode {
        if i == NONE {
            &NO
        } else {
            &nd[i as usize]
        }
    };
    let mut k = 0;
    let mut put = |v: u32| {
        out[k] = lay.off[k] + v;
        k += 1;
    };
    for &i in &p {
        put(node(i).tag);
    }
    for &i in &p[..WPOS] {
        put(node(i).word);
    }
    for &c in &CPOS {
        put(node(p[c]).clus);
    }
    for &c in &SPOS {
        put(node(p[c]).suf);
    }
    for &i in &p[6..] {
        put(if i == NONE {
            0
        } else {
            st.label[i as usize] as u32 + 1
        });
    }
    let d = |a: u16, b: u16| dist(a, b).min(8) as u32;
    put(d(s0, b0));
    put(d(s1, s0));
    let cnt = |v: &[u8], i: u16| {
        if i == NONE {
            7
        } else {
            v[i as usize].min(6) as u32
        }
    };
    put(cnt(&st.nl, s0));
    put(cnt(&st.nr, s0));
    put(cnt(&st.nl, b0));
    put(cnt(&st.nr, s1));
    put(st.stack.len().min(4) as u32);
    for &i in &p[..UPOS_POS] {
        put(node(i).upos);
    }
}

/// The network's weights, `f32`.
#[derive(Debug, Clone)]
pub struct NeuralNet {
    h: usize,
    /// `rows × h`: the first layer's contribution of each (slot, value).
    rows: Vec<f32>,
    b1: Vec<f32>,
    /// `outputs × h`: three actions, then the labels of LEFT arcs, then of RIGHT arcs.
    w2: Vec<f32>,
    b2: Vec<f32>,
}

fn nout() -> usize {
    3 + 2 * nlab()
}

#[inline]
fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0f32; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    for (x, y) in ca.zip(cb) {
        for k in 0..8 {
            acc[k] += x[k] * y[k];
        }
    }
    let mut s = acc.iter().sum::<f32>();
    let r = a.len() / 8 * 8;
    for k in r..a.len() {
        s += a[k] * b[k];
    }
    s
}

#[inline]
fn axpy(y: &mut [f32], a: f32, x: &[f32]) {
    for (y, x) in y.iter_mut().zip(x) {
        *y += a * x;
    }
}

impl NeuralNet {
    fn new(rows: usize, h: usize, rng: &mut Rng) -> NeuralNet {
        let mut u = |a: f32| (rng.next_f64() as f32 * 2.0 - 1.0) * a;
        let a1 = (3.0 / FEATS as f32).sqrt();
        let rows_v: Vec<f32> = (0..rows * h).map(|_| u(a1)).collect();
        let o = nout();
        let a2 = (6.0 / (h + o) as f32).sqrt();
        let w2: Vec<f32> = (0..o * h).map(|_| u(a2)).collect();
        NeuralNet {
            h,
            rows: rows_v,
            b1: vec![0.01; h],
            w2,
            b2: vec![0.0; o],
        }
    }

    /// The hidden layer (before dropout) of a configuration's features.
    fn hidden(&self, feats: &[u32], out: &mut [f32]) {
        out.copy_from_slice(&self.b1);
        let h = self.h;
        for &f in feats {
            let r = &self.rows[f as usize * h..f as usize * h + h];
            for (o, x) in out.iter_mut().zip(r) {
                *o += x;
            }
        }
        for o in out.iter_mut() {
            *o = o.max(0.0);
        }
    }

    fn out_score(&self, o: usize, hid: &[f32]) -> f32 {
        self.b2[o] + dot(&self.w2[o * self.h..(o + 1) * self.h], hid)
    }

    /// Action scores (illegal ones `-inf`).
    fn action_scores(&self, st: &State, hid: &[f32]) -> [f32; 3] {
        let mut s = [f32::NEG_INFINITY; 3];
        for (a, x) in s.iter_mut().enumerate() {
            if st.legal(a) {
                *x = self.out_score(a, hid);
            }
        }
        s
    }

    /// Label scores of an arc in direction `j` (0 LEFT, 1 RIGHT).
    pub(crate) fn label_scores(&self, j: usize, hid: &[f32], out: &mut [f32]) {
        let base = 3 + j * nlab();
        for (l, x) in out.iter_mut().enumerate() {
            *x = self.out_score(base + l, hid);
        }
    }

    /// Number of weights.
    pub fn params(&self) -> usize {
        self.rows.len() + self.b1.len() + self.w2.len() + self.b2.len()
    }
}

/// The best label of a non-root arc.
fn best_label(sc: &[f32]) -> usize {
    let root = DepRel::from_label("root").0 as usize;
    let mut best = (f32::NEG_INFINITY, 1);
    for (l, &x) in sc.iter().enumerate() {
        if l != 0 && l != root && x > best.0 {
            best = (x, l);
        }
    }
    best.1
}

fn argmax3(s: &[f32; 3]) -> usize {
    let mut b = SHIFT;
    for a in [LEFT, RIGHT] {
        if s[a] > s[b] {
            b = a;
        }
    }
    b
}

/// A trained neural parser: vocabulary, layout and weights.
#[derive(Debug, Clone)]
pub struct NeuralParser {
    vocab: Vocab,
    lay: Layout,
    /// The weights.
    pub net: NeuralNet,
}

/// Reusable buffers for [`NeuralParser::parse`].
#[derive(Default)]
pub struct NeuralScratch {
    st: State,
    nd: Vec<NNode>,
    hid: Vec<f32>,
    lab: Vec<f32>,
}

impl NeuralParser {
    /// Parse one sentence with its Penn tags; `head` (1-based, 0 = root) and `label`
    /// receive one entry per word.
    pub fn parse(
        &self,
        lex: &[Lex],
        xpos: &[u8],
        upos: &[u8],
        head: &mut Vec<u16>,
        label: &mut Vec<u8>,
        s: &mut NeuralScratch,
    ) {
        let n = lex.len();
        nodes(lex, xpos, upos, &self.vocab, &mut s.nd);
        s.st.reset(n);
        s.hid.resize(self.net.h, 0.0);
        s.lab.resize(nlab(), 0.0);
        let root = DepRel::from_label("root").0;
        let mut feats = [0u32; FEATS];
        while !s.st.terminal() {
            features(&s.st, &s.nd, &self.lay, &mut feats);
            self.net.hidden(&feats, &mut s.hid);
            let sc = self.net.action_scores(&s.st, &s.hid);
            let a = argmax3(&sc);
            let l = if a == SHIFT {
                0
            } else if s.st.arc_of(a).0 as usize == n {
                root
            } else {
                self.net.label_scores(a - 1, &s.hid, &mut s.lab);
                best_label(&s.lab) as u8
            };
            s.st.apply(a, l);
        }
        head.clear();
        label.clear();
        for i in 0..n {
            let h = s.st.head[i];
            head.push(if h == NONE || h as usize >= n {
                0
            } else {
                h + 1
            });
            label.push(s.st.label[i]);
        }
    }

    /// Fill in the words' cluster and suffix values from sentences that contain them
    /// (for files of the first format, which did not keep them).
    pub fn fill_word_values(&mut self, data: &[TrainSent]) {
        for s in data {
            for l in s.lex {
                if let Some(i) = self.vocab.get(l.norm) {
                    let nd = node_of(l, None, 0, 0);
                    self.vocab.clus[i as usize] = nd.clus;
                    self.vocab.suf[i as usize] = nd.suf;
                }
            }
        }
    }

    /// The same vocabulary and features with random weights and `hidden` units (to
    /// measure decoding speed by width without training).
    pub fn with_random_weights(&self, hidden: usize, seed: u64) -> NeuralParser {
        let h = hidden.div_ceil(16).max(1) * 16;
        NeuralParser {
            vocab: self.vocab.clone(),
            lay: self.lay.clone(),
            net: NeuralNet::new(self.lay.rows, h, &mut Rng::new(seed)),
        }
    }

    /// Round the first layer's rows to what 8 bits per weight can hold, with one scale
    /// per feature slot (to measure what storing them so would cost).
    pub fn round_rows_to_8_bits(&mut self) {
        let h = self.net.h;
        for k in 0..FEATS {
            let a = self.lay.off[k] as usize * h;
            let b = if k + 1 < FEATS {
                self.lay.off[k + 1] as usize * h
            } else {
                self.net.rows.len()
            };
            let rows = &mut self.net.rows[a..b];
            let m = rows.iter().fold(0f32, |m, x| m.max(x.abs()));
            if m > 0.0 {
                let sc = m / 127.0;
                for x in rows.iter_mut() {
                    *x = (*x / sc).round() * sc;
                }
            }
        }
    }

    /// Sizes, for reports.
    pub fn describe(&self) -> String {
        format!(
            "{} words, {} rows × {} hidden, {} weights",
            self.vocab.len(),
            self.lay.rows,
            self.net.h,
            self.net.params()
        )
    }
}

/// One training sentence: lexical attributes, predicted (jackknifed) Penn tags, gold tree.
pub struct TrainSent<'a> {
    /// Lexical attributes.
    pub lex: &'a [Lex],
    /// Predicted Penn tags.
    pub xpos: &'a [u8],
    /// Predicted universal tags.
    pub upos: &'a [u8],
    /// The gold annotation.
    pub gold: &'a GoldSent,
}

/// Gradients of one half of a minibatch.
struct Grad {
    rows: Vec<f32>,
    touched: Vec<u32>,
    is_touched: Vec<bool>,
    b1: Vec<f32>,
    w2: Vec<f32>,
    b2: Vec<f32>,
    examples: usize,
    loss: f64,
}

impl Grad {
    fn new(net: &NeuralNet) -> Grad {
        Grad {
            rows: vec![0.0; net.rows.len()],
            touched: Vec::new(),
            is_touched: vec![false; net.rows.len() / net.h],
            b1: vec![0.0; net.h],
            w2: vec![0.0; net.w2.len()],
            b2: vec![0.0; net.b2.len()],
            examples: 0,
            loss: 0.0,
        }
    }

    fn clear(&mut self, h: usize) {
        for &r in &self.touched {
            self.rows[r as usize * h..(r as usize + 1) * h].fill(0.0);
            self.is_touched[r as usize] = false;
        }
        self.touched.clear();
        self.b1.fill(0.0);
        self.w2.fill(0.0);
        self.b2.fill(0.0);
        self.examples = 0;
        self.loss = 0.0;
    }

    /// Add `other` into `self`.
    fn absorb(&mut self, other: &Grad, h: usize) {
        for &r in &other.touched {
            let r = r as usize;
            if !self.is_touched[r] {
                self.is_touched[r] = true;
                self.touched.push(r as u32);
            }
            axpy(
                &mut self.rows[r * h..(r + 1) * h],
                1.0,
                &other.rows[r * h..(r + 1) * h],
            );
        }
        axpy(&mut self.b1, 1.0, &other.b1);
        axpy(&mut self.w2, 1.0, &other.w2);
        axpy(&mut self.b2, 1.0, &other.b2);
        self.examples += other.examples;
        self.loss += other.loss;
    }
}

/// Per-thread buffers for working out a sentence's gradient.
struct Work {
    st: State,
    nd: Vec<NNode>,
    hid: Vec<f32>,
    mask: Vec<f32>,
    dh: Vec<f32>,
    lab: Vec<f32>,
}

/// Parse one training sentence with the current weights and add its gradient to `g`.
#[allow(clippy::too_many_arguments)]
fn sentence_grad(
    net: &NeuralNet,
    lay: &Layout,
    vocab: &Vocab,
    s: &TrainSent,
    gold: &Gold,
    cfg: &NeuralConfig,
    explore: bool,
    rng: &mut Rng,
    w: &mut Work,
    g: &mut Grad,
) {
    let n = s.lex.len();
    let h = net.h;
    let nl = nlab();
    let root = DepRel::from_label("root").0;
    nodes(s.lex, s.xpos, s.upos, vocab, &mut w.nd);
    // word dropout
    for nd in w.nd.iter_mut().take(n) {
        if nd.word >= 3 {
            let c = vocab.counts[(nd.word - 3) as usize] as f32;
            if (rng.next_f64() as f32) < cfg.word_dropout / (cfg.word_dropout + c) {
                nd.word = 2;
            }
        }
    }
    w.st.reset(n);
    w.hid.resize(h, 0.0);
    w.mask.resize(h, 0.0);
    w.dh.resize(h, 0.0);
    w.lab.resize(nl, 0.0);
    let keep = 1.0 - cfg.dropout;
    let mut feats = [0u32; FEATS];
    while !w.st.terminal() {
        features(&w.st, &w.nd, lay, &mut feats);
        // feature dropout: each row kept with probability 1 - p, scaled up
        let mut fmask = [1f32; FEATS];
        if cfg.feat_dropout > 0.0 {
            let keep = 1.0 / (1.0 - cfg.feat_dropout);
            for m in fmask.iter_mut() {
                *m = if (rng.next_f64() as f32) < cfg.feat_dropout {
                    0.0
                } else {
                    keep
                };
            }
        }
        w.hid.copy_from_slice(&net.b1);
        for (&f, &m) in feats.iter().zip(&fmask) {
            if m != 0.0 {
                axpy(&mut w.hid, m, &net.rows[f as usize * h..f as usize * h + h]);
            }
        }
        for x in w.hid.iter_mut() {
            *x = x.max(0.0);
        }
        // dropout mask (scaled), one byte of randomness per unit
        let thr = (cfg.dropout * 256.0) as u64;
        let mut bits = 0u64;
        for (j, m) in w.mask.iter_mut().enumerate() {
            if j % 8 == 0 {
                bits = rng.next_u64();
            }
            *m = if (bits & 255) < thr { 0.0 } else { 1.0 / keep };
            bits >>= 8;
        }
        for (x, m) in w.hid.iter_mut().zip(&w.mask) {
            *x *= m;
        }
        let costs = gold.costs(&w.st);
        let sc = net.action_scores(&w.st, &w.hid);
        let minc = costs.iter().copied().min().unwrap_or(0);
        // softmax over legal actions; loss -log Σ_{zero cost} p
        let mx = sc.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        let mut p = [0f32; 3];
        let mut z = 0.0;
        for a in 0..3 {
            if sc[a] > f32::NEG_INFINITY {
                p[a] = (sc[a] - mx).exp();
                z += p[a];
            }
        }
        let mut pgood = 0.0;
        for a in 0..3 {
            p[a] /= z;
            if costs[a] == minc {
                pgood += p[a];
            }
        }
        w.dh.fill(0.0);
        let mut dl = [0f32; 3];
        for a in 0..3 {
            if sc[a] > f32::NEG_INFINITY {
                let good = if costs[a] == minc { p[a] / pgood } else { 0.0 };
                dl[a] = p[a] - good;
            }
        }
        g.loss -= (pgood.max(1e-30) as f64).ln();
        g.examples += 1;
        let mut any = false;
        for (a, &d) in dl.iter().enumerate() {
            if d != 0.0 {
                any = true;
                axpy(&mut w.dh, d, &net.w2[a * h..(a + 1) * h]);
                axpy(&mut g.w2[a * h..(a + 1) * h], d, &w.hid);
                g.b2[a] += d;
            }
        }
        // the label of a zero-cost arc that attaches s0 to its gold head
        let mut gold_arc: Option<(usize, u8)> = None;
        for a in [LEFT, RIGHT] {
            if costs[a] == minc && sc[a] > f32::NEG_INFINITY {
                let (hd, d) = w.st.arc_of(a);
                if gold.head[d as usize] == hd && hd as usize != n {
                    gold_arc = Some((a, s.gold.deprel[d as usize].0));
                }
            }
        }
        let mut lab_of = [None::<u8>; 3];
        if let Some((a, gl)) = gold_arc {
            let j = a - 1;
            net.label_scores(j, &w.hid, &mut w.lab);
            let pred = best_label(&w.lab) as u8;
            lab_of[a] = Some(pred);
            let mx = w.lab.iter().copied().fold(f32::NEG_INFINITY, f32::max);
            let mut z = 0.0;
            for x in w.lab.iter_mut() {
                *x = (*x - mx).exp();
                z += *x;
            }
            let base = 3 + j * nl;
            g.loss -= ((w.lab[gl as usize] / z).max(1e-30) as f64).ln();
            for l in 0..nl {
                let d = w.lab[l] / z - (l == gl as usize) as u32 as f32;
                if d.abs() > 1e-6 {
                    any = true;
                    let o = base + l;
                    axpy(&mut w.dh, d, &net.w2[o * h..(o + 1) * h]);
                    axpy(&mut g.w2[o * h..(o + 1) * h], d, &w.hid);
                    g.b2[o] += d;
                }
            }
        }
        if any {
            // through dropout and relu (the mask is 0 where dropped; hid is 0 where relu cut)
            for j in 0..h {
                w.dh[j] *= if w.hid[j] > 0.0 { w.mask[j] } else { 0.0 };
            }
            axpy(&mut g.b1, 1.0, &w.dh);
            for (&f, &m) in feats.iter().zip(&fmask) {
                if m == 0.0 {
                    continue;
                }
                let r = f as usize;
                if !g.is_touched[r] {
                    g.is_touched[r] = true;
                    g.touched.push(f);
                }
                axpy(&mut g.rows[r * h..(r + 1) * h], m, &w.dh);
            }
        }
        // next transition
        let pred = argmax3(&sc);
        let follow_pred = costs[pred] == minc || (explore && rng.next_f64() < cfg.explore);
        let next = if follow_pred {
            pred
        } else {
            let mut b = usize::MAX;
            for a in 0..3 {
                if costs[a] == minc && (b == usize::MAX || sc[a] > sc[b]) {
                    b = a;
                }
            }
            b
        };
        let l = if next == SHIFT {
            0
        } else if w.st.arc_of(next).0 as usize == n {
            root
        } else {
            let pred_l = match lab_of[next] {
                Some(l) => l,
                None => {
                    net.label_scores(next - 1, &w.hid, &mut w.lab);
                    best_label(&w.lab) as u8
                }
            };
            match gold_arc {
                // the gold label on a gold arc, unless exploring
                Some((a, gl)) if a == next && !(explore && rng.next_f64() < cfg.explore) => gl,
                _ => pred_l,
            }
        };
        w.st.apply(next, l);
    }
}

/// Adam state for the weights.
struct Adam {
    m: NeuralNet,
    v: NeuralNet,
    /// Steps each row was updated at (for its bias correction).
    row_t: Vec<u32>,
    t: u32,
}

fn adam_update(
    p: &mut [f32],
    m: &mut [f32],
    v: &mut [f32],
    g: &[f32],
    lr: f32,
    t: u32,
    scale: f32,
) {
    const B1: f32 = 0.9;
    const B2: f32 = 0.999;
    let c1 = 1.0 - B1.powi(t as i32);
    let c2 = 1.0 - B2.powi(t as i32);
    let step = lr * c2.sqrt() / c1;
    for i in 0..p.len() {
        let gi = g[i] * scale;
        m[i] = B1 * m[i] + (1.0 - B1) * gi;
        v[i] = B2 * v[i] + (1.0 - B2) * gi * gi;
        p[i] -= step * m[i] / (v[i].sqrt() + 1e-8);
    }
}

/// Dev-set hook: called after every epoch with the averaged weights.
pub type EpochHook<'a> = dyn FnMut(usize, &NeuralParser) + 'a;

/// Train a neural parser on sentences with predicted tags. `log` gets progress lines;
/// `hook` is called after each epoch with the averaged model (e.g. to score it on dev).
pub fn train_neural(
    data: &[TrainSent],
    cfg: &NeuralConfig,
    mut log: impl FnMut(&str),
    hook: &mut EpochHook,
) -> NeuralParser {
    let vocab = Vocab::build(data, cfg.min_word_freq);
    let lay = Layout::new(vocab.len());
    let mut rng = Rng::new(cfg.seed);
    // the decoder works on 16 hidden units at a time
    let mut net = NeuralNet::new(lay.rows, cfg.hidden.div_ceil(16).max(1) * 16, &mut rng);
    let h = net.h;
    let zero = |n: &NeuralNet| NeuralNet {
        h: n.h,
        rows: vec![0.0; n.rows.len()],
        b1: vec![0.0; n.b1.len()],
        w2: vec![0.0; n.w2.len()],
        b2: vec![0.0; n.b2.len()],
    };
    let mut adam = Adam {
        m: zero(&net),
        v: zero(&net),
        row_t: vec![0; lay.rows],
        t: 0,
    };
    let mut avg = net.clone();
    log(&format!(
        "neural: {} words, {} rows, {} features, {} weights",
        vocab.len(),
        lay.rows,
        FEATS,
        net.params()
    ));
    let golds: Vec<Gold> = data
        .iter()
        .map(|s| {
            let mut hd = s.gold.head.clone();
            projectivize(&mut hd);
            Gold::new(&hd)
        })
        .collect();
    let mut order: Vec<usize> = (0..data.len())
        .filter(|&i| !data[i].lex.is_empty() && data[i].lex.len() < u16::MAX as usize - 1)
        .collect();
    let mut grads = [Grad::new(&net), Grad::new(&net)];
    let new_work = || Work {
        st: State::default(),
        nd: Vec::new(),
        hid: Vec::new(),
        mask: Vec::new(),
        dh: Vec::new(),
        lab: Vec::new(),
    };
    let mut works = [new_work(), new_work()];
    let mut lr = cfg.lr;
    let mut avg_t = vec![0u32; lay.rows];
    let catch_up_all = |avg: &mut [f32], p: &[f32], avg_t: &mut [u32], r: usize, now: u32| {
        let k = now.saturating_sub(avg_t[r]);
        if k > 0 {
            let f = cfg.ema.powi(k as i32);
            for (a, p) in avg[r * h..(r + 1) * h]
                .iter_mut()
                .zip(&p[r * h..(r + 1) * h])
            {
                *a = p + f * (*a - p);
            }
            avg_t[r] = now;
        }
    };
    for epoch in 0..cfg.epochs {
        rng.shuffle(&mut order);
        let explore = epoch >= cfg.explore_from;
        let (mut loss, mut ex) = (0.0, 0usize);
        let t0 = std::time::Instant::now();
        for (bi, batch) in order.chunks(cfg.batch.max(1)).enumerate() {
            let half = batch.len().div_ceil(2);
            let parts = [&batch[..half], &batch[half..]];
            let seed = cfg.seed ^ ((epoch as u64) << 40) ^ ((bi as u64) << 8);
            let run = |part: &[usize], k: usize, w: &mut Work, g: &mut Grad| {
                g.clear(h);
                let mut r = Rng::new(seed.wrapping_add(k as u64 * 0x9E37_79B9));
                for &i in part {
                    sentence_grad(
                        &net, &lay, &vocab, &data[i], &golds[i], cfg, explore, &mut r, w, g,
                    );
                }
            };
            {
                let [g0, g1] = &mut grads;
                let [w0, w1] = &mut works;
                if cfg.threads >= 2 {
                    std::thread::scope(|sc| {
                        sc.spawn(|| run(parts[1], 1, w1, g1));
                        run(parts[0], 0, w0, g0);
                    });
                } else {
                    run(parts[0], 0, w0, g0);
                    run(parts[1], 1, w1, g1);
                }
                g0.absorb(g1, h);
            }
            let g = &grads[0];
            loss += g.loss;
            ex += g.examples;
            if g.examples == 0 {
                continue;
            }
            let scale = 1.0 / g.examples as f32;
            adam.t += 1;
            let t = adam.t;
            for &r in &g.touched {
                let r = r as usize;
                catch_up_all(&mut avg.rows, &net.rows, &mut avg_t, r, t - 1);
                adam.row_t[r] += 1;
                let rt = adam.row_t[r];
                let span = r * h..(r + 1) * h;
                adam_update(
                    &mut net.rows[span.clone()],
                    &mut adam.m.rows[span.clone()],
                    &mut adam.v.rows[span.clone()],
                    &g.rows[span],
                    lr,
                    rt,
                    scale,
                );
            }
            adam_update(
                &mut net.b1,
                &mut adam.m.b1,
                &mut adam.v.b1,
                &g.b1,
                lr,
                t,
                scale,
            );
            adam_update(
                &mut net.w2,
                &mut adam.m.w2,
                &mut adam.v.w2,
                &g.w2,
                lr,
                t,
                scale,
            );
            adam_update(
                &mut net.b2,
                &mut adam.m.b2,
                &mut adam.v.b2,
                &g.b2,
                lr,
                t,
                scale,
            );
            // moving average: touched rows and the dense parts every step; untouched rows
            // have not changed, so their average only moves towards the same value
            let d = cfg.ema.min(1.0 - 1.0 / t as f32);
            let ema = |a: &mut [f32], p: &[f32]| {
                for (a, p) in a.iter_mut().zip(p) {
                    *a = d * *a + (1.0 - d) * p;
                }
            };
            for &r in &g.touched {
                let span = r as usize * h..(r as usize + 1) * h;
                ema(&mut avg.rows[span.clone()], &net.rows[span]);
                avg_t[r as usize] = t;
            }
            ema(&mut avg.b1, &net.b1);
            ema(&mut avg.w2, &net.w2);
            ema(&mut avg.b2, &net.b2);
        }
        lr *= cfg.lr_decay;
        log(&format!(
            "epoch {epoch}: loss {:.4} over {ex} transitions, {:.1}s",
            loss / ex.max(1) as f64,
            t0.elapsed().as_secs_f64()
        ));
        for r in 0..lay.rows {
            catch_up_all(&mut avg.rows, &net.rows, &mut avg_t, r, adam.t);
        }
        let model = NeuralParser {
            vocab: vocab.clone(),
            lay: lay.clone(),
            net: avg.clone(),
        };
        hook(epoch, &model);
    }
    NeuralParser {
        vocab,
        lay,
        net: avg,
    }
}

const MAGIC: &[u8; 8] = b"ANNLNEU2";
/// The first format, without the words' cluster and suffix values.
const MAGIC1: &[u8; 8] = b"ANNLNEUR";

fn write_f32s(w: &mut Writer, v: &[f32]) {
    w.u32(v.len() as u32);
    for &x in v {
        w.f32(x);
    }
}

fn read_f32s(r: &mut Reader) -> Result<Vec<f32>, Error> {
    let n = r.u32()? as usize;
    let b = r.bytes(
        n.checked_mul(4)
            .ok_or_else(|| Error::Format("size".into()))?,
    )?;
    Ok(b.chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect())
}

impl NeuralParser {
    /// Encode (weights as `f32`).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.raw(MAGIC);
        w.u32(self.vocab.len() as u32);
        for i in 0..self.vocab.len() {
            w.u64(self.vocab.keys[i]);
            w.u32(self.vocab.ids[i]);
        }
        for i in 0..self.vocab.len() {
            w.u32(self.vocab.counts[i]);
            w.u32(self.vocab.clus[i]);
            w.u32(self.vocab.suf[i]);
        }
        w.u32(self.net.h as u32);
        write_f32s(&mut w, &self.net.rows);
        write_f32s(&mut w, &self.net.b1);
        write_f32s(&mut w, &self.net.w2);
        write_f32s(&mut w, &self.net.b2);
        w.into_inner()
    }

    /// Decode what [`NeuralParser::to_bytes`] wrote.
    pub fn from_bytes(b: &[u8]) -> Result<NeuralParser, Error> {
        let mut r = Reader::new(b);
        let m = r.bytes(8)?;
        let v1 = m == MAGIC1;
        if m != MAGIC && !v1 {
            return Err(Error::Format("not a neural parser".into()));
        }
        let n = r.u32()? as usize;
        let mut vocab = Vocab::default();
        for _ in 0..n {
            vocab.keys.push(r.u64()?);
            vocab.ids.push(r.u32()?);
        }
        for _ in 0..n {
            vocab.counts.push(r.u32()?);
            let (c, s) = if v1 {
                (u32::MAX, u32::MAX)
            } else {
                (r.u32()?, r.u32()?)
            };
            vocab.clus.push(c);
            vocab.suf.push(s);
        }
        let h = r.u32()? as usize;
        let lay = Layout::new(n);
        let net = NeuralNet {
            h,
            rows: read_f32s(&mut r)?,
            b1: read_f32s(&mut r)?,
            w2: read_f32s(&mut r)?,
            b2: read_f32s(&mut r)?,
        };
        if h == 0
            || net.rows.len() != lay.rows * h
            || net.b1.len() != h
            || net.w2.len() != nout() * h
            || net.b2.len() != nout()
            || !r.at_end()
        {
            return Err(Error::Format("bad neural parser sizes".into()));
        }
        Ok(NeuralParser { vocab, lay, net })
    }
}

/// Feature indices (into the [`features`] array) of the groups whose sums the decoder
/// keeps (see [`Decoder`]). A node in role `r` (`s0 s1 s2 b0 b1 b2`, the first six node
/// positions) gives its tag (feature `r`), word (`20 + r`), cluster (`26 + r`) and, in
/// roles `s0 b0 b1`, suffix (`36 37 38`): [`role_feats`]. Then what depends on `s0`,
/// `s1` or `b0` with its children, and the rest.
///
/// The children groups are split by side: a node gets its left children while it is
/// `b0` and its right children while it is `s1` (then it becomes `s0`), so the left
/// half of `s0`'s group never changes once the node is on the stack.
const G_K0L: [usize; 8] = [6, 7, 14, 32, 39, 40, 47, 55];
const G_K0R: [usize; 8] = [8, 9, 15, 33, 41, 42, 48, 56];
const G_K1L: [usize; 6] = [10, 11, 16, 43, 44, 49];
const G_K1R: [usize; 8] = [12, 13, 17, 34, 45, 46, 50, 58];
const G_KB: [usize; 6] = [18, 19, 35, 51, 52, 57];
/// The distances and the stack depth (summed at load for every combination).
const G_FRESH: [usize; 3] = [53, 54, 59];
const FRESH_COMBOS: usize = 9 * 9 * 5;
/// Children groups kept per node.
const KGROUPS: usize = 5;
const ROLES: usize = 6;

/// The features a node gives in role `r`: (feature index, value) of its tag, universal
/// tag, word, cluster and, in some roles, suffix.
fn role_feats(r: usize, nd: &NNode) -> ([(usize, u32); 5], usize) {
    // the tag and the universal tag first: they are not part of a word's block
    let u = (60 + r, nd.upos);
    let f = [(r, nd.tag), u, (20 + r, nd.word), (26 + r, nd.clus), (0, 0)];
    match r {
        0 => ([f[0], u, f[2], f[3], (36, nd.suf)], 5),
        3 => ([f[0], u, f[2], f[3], (37, nd.suf)], 5),
        4 => ([f[0], u, f[2], f[3], (38, nd.suf)], 5),
        _ => (f, 4),
    }
}

/// The parser with its weights quantised to 16 bits, for decoding.
///
/// The hidden layer is a sum of integer rows, so any grouping of them gives exactly the
/// same sum (additions wrap; the scales are chosen so that the hidden layer itself does
/// not). When a sentence starts, the decoder sums each node's rows in each of the six
/// roles (one block read per known word: its word, cluster and suffix rows are summed
/// per role at load); a node's children groups are summed when it is in the role and
/// kept until it gets another child. A transition then adds 13 kept vectors and 3 rows
/// instead of 60 rows.
#[derive(Debug, Clone)]
pub struct Decoder {
    vocab: Vocab,
    lay: Layout,
    h: usize,
    rows: Vec<i16>,
    b1: Vec<i16>,
    w2: Vec<i16>,
    b2: Vec<i32>,
    /// Real value of one unit of the hidden layer and of the output weights.
    pub scales: (f32, f32),
    /// `h` zeros.
    zero: Vec<i16>,
    /// Sums of the groups of an absent node in each role, and of absent `s1`'s children
    /// (left, right).
    none: [Vec<i16>; ROLES + 2],
    /// The rows of the distances and the stack depth summed, for every combination.
    fresh: Vec<i16>,
    /// For each word of the vocabulary, in each role: its word, cluster and suffix rows
    /// summed (`ROLES × h` per word), so that a node's role sums read one block.
    wblock: Vec<i16>,
    /// The labels scored for an arc, by direction (0 LEFT, 1 RIGHT) and the dependent's
    /// Penn tag (`64 × dir + tag`): every label but the root's until
    /// [`Decoder::set_label_masks`].
    labmask: Vec<u64>,
    /// The same by direction, dependent and head tag (`4096 × dir + 64 × dep + head`;
    /// 0: never seen, `labmask` is used).
    labmask2: Vec<u64>,
}

fn quant(v: &[f32], scale: f32) -> Vec<i16> {
    v.iter()
        .map(|&x| (x / scale).round().clamp(-32767.0, 32767.0) as i16)
        .collect()
}

#[inline]
fn add_i16(acc: &mut [i16], r: &[i16]) {
    for (a, x) in acc.iter_mut().zip(r) {
        *a = a.wrapping_add(*x);
    }
}

/// `Σ a·b` in 32 bits (wrapping), 16 products at a time: written so that the compiler
/// uses `pmaddwd`. `a.len()` is a multiple of 16.
#[inline]
fn dot_i16(a: &[i16], b: &[i16]) -> i32 {
    let mut s = 0i32;
    for (x, y) in a.chunks_exact(16).zip(b.chunks_exact(16)) {
        let x: &[i16; 16] = x.try_into().expect("16");
        let y: &[i16; 16] = y.try_into().expect("16");
        let mut t = 0i32;
        for k in 0..16 {
            t = t.wrapping_add(x[k] as i32 * y[k] as i32);
        }
        s = s.wrapping_add(t);
    }
    s
}

/// `out = Σ srcs` lane by lane (wrapping), 16 lanes at a time so that each lane's sum
/// stays in registers. Every source is `out.len()` long, a multiple of 16.
#[inline]
fn sum_into(out: &mut [i16], srcs: &[&[i16]]) {
    for (c, o) in out.chunks_exact_mut(16).enumerate() {
        let mut v = [0i16; 16];
        for s in srcs {
            let s: &[i16; 16] = s[c * 16..c * 16 + 16].try_into().expect("16");
            for k in 0..16 {
                v[k] = v[k].wrapping_add(s[k]);
            }
        }
        o.copy_from_slice(&v);
    }
}

/// Per-sentence kept sums of the [`Decoder`].
#[derive(Default)]
pub struct DecodeScratch {
    st: State,
    nd: Vec<NNode>,
    /// Per node: its sums in the six roles, then its children groups (`KEEP × h`).
    keep: Vec<i16>,
    /// Per node: the child counts (left or right) its children groups were made with
    /// (`u16::MAX`: not yet).
    k_at: Vec<[u16; KGROUPS]>,
    hid: Vec<i16>,
}

/// Vectors kept per node.
const KEEP: usize = ROLES + KGROUPS;

impl NeuralParser {
    /// Quantise for decoding. `max_hidden` bounds the absolute value of any hidden unit
    /// before the ReLU (measure it with [`NeuralParser::max_hidden`]).
    pub fn quantize(&self, max_hidden: f32) -> Decoder {
        let h = self.net.h;
        // hidden units in 1/s1 steps: room for twice the largest seen
        let s1 = (2.0 * max_hidden).max(1e-3) / 32767.0;
        let w2max = self.net.w2.iter().fold(0f32, |m, x| m.max(x.abs()));
        let s2 = w2max.max(1e-6) / 8191.0;
        let rows = quant(&self.net.rows, s1);
        let b1 = quant(&self.net.b1, s1);
        let w2 = quant(&self.net.w2, s2);
        let b2 = self
            .net
            .b2
            .iter()
            .map(|&x| (x / (s1 * s2)).round() as i32)
            .collect();
        let mut d = Decoder {
            vocab: self.vocab.clone(),
            lay: self.lay.clone(),
            h,
            rows,
            b1,
            w2,
            b2,
            scales: (s1, s2),
            zero: vec![0; h],
            none: Default::default(),
            fresh: Vec::new(),
            wblock: Vec::new(),
            labmask: Vec::new(),
            labmask2: vec![0; 2 * 4096],
        };
        let root = DepRel::from_label("root").0 as u32;
        let all = (1u64 << nlab().min(64)).wrapping_sub(1) & !1 & !(1u64 << root);
        d.labmask = vec![all; 128];
        let lay = &self.lay;
        let row = |d: &Decoder, i: usize, v: u32| {
            let r = (lay.off[i] + v) as usize;
            d.rows[r * h..(r + 1) * h].to_vec()
        };
        for r in 0..ROLES {
            let (f, k) = role_feats(r, &NO);
            let mut acc = vec![0i16; h];
            for &(i, v) in &f[..k] {
                add_i16(&mut acc, &row(&d, i, v));
            }
            d.none[r] = acc;
        }
        for (k, g) in [&G_K1L[..], &G_K1R[..]].into_iter().enumerate() {
            let mut acc = vec![0i16; h];
            for &i in g {
                add_i16(&mut acc, &row(&d, i, if i == 58 { 7 } else { 0 }));
            }
            d.none[ROLES + k] = acc;
        }
        let mut fresh = vec![0i16; FRESH_COMBOS * h];
        for (c, out) in fresh.chunks_exact_mut(h).enumerate() {
            let v = [c as u32 / 45, c as u32 / 5 % 9, c as u32 % 5];
            for (&i, &v) in G_FRESH.iter().zip(&v) {
                add_i16(out, &row(&d, i, v));
            }
        }
        d.fresh = fresh;
        let nw = self.vocab.len();
        let mut wb = vec![0i16; nw * ROLES * h];
        for w in 0..nw {
            let nd = NNode {
                word: 3 + w as u32,
                tag: 0,
                upos: 0,
                clus: self.vocab.clus[w],
                suf: self.vocab.suf[w],
            };
            if nd.clus == u32::MAX {
                continue;
            }
            for r in 0..ROLES {
                let (f, k) = role_feats(r, &nd);
                let at = (w * ROLES + r) * h;
                for &(i, v) in &f[2..k] {
                    add_i16(&mut wb[at..at + h], &row(&d, i, v));
                }
            }
        }
        d.wblock = wb;
        d
    }

    /// The largest absolute value of a hidden unit (before the ReLU) over the
    /// configurations the parser goes through on these sentences.
    pub fn max_hidden(&self, sents: &[(&[Lex], &[u8], &[u8])]) -> f32 {
        let mut m = 0f32;
        let mut st = State::default();
        let mut nd = Vec::new();
        let mut feats = [0u32; FEATS];
        let h = self.net.h;
        let mut pre = vec![0f32; h];
        let mut lab = vec![0f32; nlab()];
        for &(lex, xp, up) in sents {
            nodes(lex, xp, up, &self.vocab, &mut nd);
            st.reset(lex.len());
            while !st.terminal() {
                features(&st, &nd, &self.lay, &mut feats);
                pre.copy_from_slice(&self.net.b1);
                for &f in &feats {
                    axpy(
                        &mut pre,
                        1.0,
                        &self.net.rows[f as usize * h..f as usize * h + h],
                    );
                }
                m = pre.iter().fold(m, |m, x| m.max(x.abs()));
                for x in pre.iter_mut() {
                    *x = x.max(0.0);
                }
                let sc = self.net.action_scores(&st, &pre);
                let a = argmax3(&sc);
                let l = if a == SHIFT {
                    0
                } else {
                    self.net.label_scores(a - 1, &pre, &mut lab);
                    best_label(&lab) as u8
                };
                st.apply(a, l);
            }
        }
        m
    }
}

impl Decoder {
    #[inline]
    fn row(&self, f: u32) -> &[i16] {
        let r = f as usize * self.h;
        &self.rows[r..r + self.h]
    }

    fn sum_group(&self, feats: &[u32; FEATS], g: &[usize], out: &mut [i16]) {
        let mut srcs: [&[i16]; 16] = [&[]; 16];
        for (s, &i) in srcs.iter_mut().zip(g) {
            *s = self.row(feats[i]);
        }
        sum_into(out, &srcs[..g.len()]);
    }

    /// The hidden layer (before the ReLU) of a configuration, summed feature by feature
    /// (what [`Decoder::hidden_kept`] must equal; the tests check it).
    #[cfg(test)]
    fn hidden_plain(&self, feats: &[u32; FEATS], out: &mut [i16]) {
        out.copy_from_slice(&self.b1);
        for &f in feats {
            add_i16(out, self.row(f));
        }
    }

    /// A node's sums in the six roles into `out` (`ROLES × h`).
    fn role_sums(&self, nd: &NNode, out: &mut [i16]) {
        let h = self.h;
        let w = nd.word as usize;
        let known = w >= 3
            && self.vocab.clus.get(w - 3) == Some(&nd.clus)
            && self.vocab.suf.get(w - 3) == Some(&nd.suf);
        for (r, o) in out.chunks_exact_mut(h).enumerate() {
            let (f, k) = role_feats(r, nd);
            // the hidden bias goes with s0, which is always there
            let b1: &[i16] = if r == 0 { &self.b1 } else { &self.zero };
            let tag = self.row(self.lay.off[f[0].0] + f[0].1);
            let upos = self.row(self.lay.off[f[1].0] + f[1].1);
            if known {
                let at = ((w - 3) * ROLES + r) * h;
                sum_into(o, &[b1, tag, upos, &self.wblock[at..at + h]]);
            } else {
                let mut srcs: [&[i16]; 6] = [b1, &[], &[], &[], &[], &[]];
                for (s, &(i, v)) in srcs[1..].iter_mut().zip(&f[..k]) {
                    *s = self.row(self.lay.off[i] + v);
                }
                sum_into(o, &srcs[..k + 1]);
            }
        }
    }

    /// The hidden layer before the ReLU from the kept sums (see the type's
    /// documentation); the children groups that changed are summed again first.
    fn hidden_kept(&self, feats: &[u32; FEATS], s: &mut DecodeScratch) {
        let h = self.h;
        let st = &s.st;
        let (s0, s1, s2) = (st.s(0), st.s(1), st.s(2));
        let (b0, b1, b2) = (st.buf(0), st.buf(1), st.buf(2));
        let blk = |i: u16, k: usize| (i as usize * KEEP + k) * h;
        let groups: [(u16, &[usize], bool); KGROUPS] = [
            (s0, &G_K0L, true),
            (s0, &G_K0R, false),
            (s1, &G_K1L, true),
            (s1, &G_K1R, false),
            (b0, &G_KB, true),
        ];
        for (k, &(i, g, left)) in groups.iter().enumerate() {
            if i == NONE {
                continue;
            }
            let c = if left {
                st.nl[i as usize]
            } else {
                st.nr[i as usize]
            };
            // (a count that saturated is no key: summed every time)
            if s.k_at[i as usize][k] != c as u16 || c == u8::MAX {
                let at = blk(i, ROLES + k);
                self.sum_group(feats, g, &mut s.keep[at..at + h]);
                s.k_at[i as usize][k] = c as u16;
            }
        }
        let keep = &s.keep;
        let get = |i: u16, k: usize, none: usize| {
            if i == NONE {
                &self.none[none][..]
            } else {
                &keep[blk(i, k)..blk(i, k) + h]
            }
        };
        let v = |j: usize| feats[G_FRESH[j]] - self.lay.off[G_FRESH[j]];
        let fc = ((v(0) * 9 + v(1)) * 5 + v(2)) as usize * h;
        let srcs: [&[i16]; 12] = [
            get(s0, 0, 0),
            get(s1, 1, 1),
            get(s2, 2, 2),
            get(b0, 3, 3),
            get(b1, 4, 4),
            get(b2, 5, 5),
            get(s0, ROLES, 0),
            get(s0, ROLES + 1, 0),
            get(s1, ROLES + 2, ROLES),
            get(s1, ROLES + 3, ROLES + 1),
            get(b0, ROLES + 4, 0),
            &self.fresh[fc..fc + h],
        ];
        sum_into(&mut s.hid, &srcs);
    }

    /// Start a sentence: the role sums of every node.
    fn start(&self, s: &mut DecodeScratch) {
        let h = self.h;
        let n = s.nd.len();
        s.keep.resize(n * KEEP * h, 0);
        s.k_at.clear();
        s.k_at.resize(n, [u16::MAX; KGROUPS]);
        s.hid.resize(h, 0);
        for (nd, k) in s.nd.iter().zip(s.keep.chunks_exact_mut(KEEP * h)) {
            self.role_sums(nd, &mut k[..ROLES * h]);
        }
    }

    fn score(&self, o: usize, hid: &[i16]) -> i32 {
        self.b2[o].wrapping_add(dot_i16(&self.w2[o * self.h..(o + 1) * self.h], hid))
    }

    /// Parse one sentence (as [`NeuralParser::parse`]).
    pub fn parse(
        &self,
        lex: &[Lex],
        xpos: &[u8],
        upos: &[u8],
        head: &mut Vec<u16>,
        label: &mut Vec<u8>,
        s: &mut DecodeScratch,
    ) {
        let n = lex.len();
        nodes(lex, xpos, upos, &self.vocab, &mut s.nd);
        s.st.reset(n);
        self.start(s);
        let nl = nlab();
        let root = DepRel::from_label("root").0;
        let mut feats = [0u32; FEATS];
        while !s.st.terminal() {
            let st = &s.st;
            let legal = [st.legal(SHIFT), st.legal(LEFT), st.legal(RIGHT)];
            // forced moves need no scores: SHIFT onto an empty stack, the root's arc
            if legal == [true, false, false] {
                s.st.apply(SHIFT, 0);
                continue;
            }
            if legal == [false, true, false] && st.arc_of(LEFT).0 as usize == n {
                s.st.apply(LEFT, root);
                continue;
            }
            features(st, &s.nd, &self.lay, &mut feats);
            self.hidden_kept(&feats, s);
            for x in s.hid.iter_mut() {
                *x = (*x).max(0);
            }
            let mut best = (i32::MIN, SHIFT);
            for (a, &ok) in legal.iter().enumerate() {
                if ok {
                    let v = self.score(a, &s.hid);
                    if best.0 == i32::MIN || v > best.0 {
                        best = (v, a);
                    }
                }
            }
            let a = best.1;
            let l = if a == SHIFT {
                0
            } else if s.st.arc_of(a).0 as usize == n {
                root
            } else {
                let base = 3 + (a - 1) * nl;
                let d = s.st.s(0) as usize;
                let hd = s.st.arc_of(a).0 as usize;
                let (dt, ht) = ((xpos[d] & 63) as usize, (xpos[hd] & 63) as usize);
                let mut m = self.labmask2[(a - 1) * 4096 + dt * 64 + ht];
                if m == 0 {
                    m = self.labmask[(a - 1) * 64 + dt];
                }
                let mut b = (i32::MIN, 1u8);
                while m != 0 {
                    let l = m.trailing_zeros() as usize;
                    m &= m - 1;
                    let v = self.score(base + l, &s.hid);
                    if v > b.0 {
                        b = (v, l as u8);
                    }
                }
                b.1
            };
            s.st.apply(a, l);
        }
        head.clear();
        label.clear();
        for i in 0..n {
            let hd = s.st.head[i];
            head.push(if hd == NONE || hd as usize >= n {
                0
            } else {
                hd + 1
            });
            label.push(s.st.label[i]);
        }
    }

    /// Score only the labels seen in `data` for an arc's direction and its dependent's
    /// Penn tag (all of them for a pair never seen). Labels outside a set are never chosen,
    /// so this can change the result where the best label was never seen so.
    /// With `pairs`, by the head's tag as well (falling back to the dependent's alone for
    /// a pair never seen).
    pub fn set_label_masks(&mut self, data: &[TrainSent], pairs: bool) {
        self.labmask2.iter_mut().for_each(|m| *m = 0);
        let root = DepRel::from_label("root").0;
        let mut seen = vec![0u64; 128];
        for s in data {
            for (d, (&h, l)) in s.gold.head.iter().zip(&s.gold.deprel).enumerate() {
                if h == 0 || l.0 == 0 || l.0 == root || l.0 >= 64 {
                    continue;
                }
                let dir = (h as usize - 1 > d) as usize;
                // LEFT (0) when the head comes after the dependent
                let j = 1 - dir;
                let (dt, ht) = (
                    (s.xpos[d] & 63) as usize,
                    (s.xpos[h as usize - 1] & 63) as usize,
                );
                seen[j * 64 + dt] |= 1 << l.0;
                if pairs {
                    self.labmask2[j * 4096 + dt * 64 + ht] |= 1 << l.0;
                }
            }
        }
        for (m, s) in self.labmask.iter_mut().zip(&seen) {
            if *s != 0 {
                *m = *s;
            }
        }
    }

    /// Bytes of weights.
    pub fn weight_bytes(&self) -> usize {
        2 * (self.rows.len() + self.b1.len() + self.w2.len()) + 4 * self.b2.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use annals_model::Upos;

    /// A toy treebank: "Dogs bark .", "The dog saw a cat .", "Cats see dogs ."
    fn toy() -> Vec<GoldSent> {
        let mk = |w: &[(&str, &str, u16, &str)]| GoldSent {
            forms: w.iter().map(|x| x.0.to_string()).collect(),
            upos: w.iter().map(|_| Upos::UNKNOWN).collect(),
            xpos: w.iter().map(|x| Xpos::from_label(x.1)).collect(),
            head: w.iter().map(|x| x.2).collect(),
            deprel: w.iter().map(|x| DepRel::from_label(x.3)).collect(),
        };
        vec![
            mk(&[
                ("Dogs", "NNS", 2, "nsubj"),
                ("bark", "VBP", 0, "root"),
                (".", ".", 2, "punct"),
            ]),
            mk(&[
                ("The", "DT", 2, "det"),
                ("dog", "NN", 3, "nsubj"),
                ("saw", "VBD", 0, "root"),
                ("a", "DT", 5, "det"),
                ("cat", "NN", 3, "obj"),
                (".", ".", 3, "punct"),
            ]),
            mk(&[
                ("Cats", "NNS", 2, "nsubj"),
                ("see", "VBP", 0, "root"),
                ("dogs", "NNS", 2, "obj"),
                (".", ".", 2, "punct"),
            ]),
        ]
    }

    #[test]
    fn learns_a_toy_treebank() {
        let gold = toy();
        let lex: Vec<Vec<Lex>> = gold
            .iter()
            .map(|g| g.forms.iter().map(|f| Lex::of(f)).collect())
            .collect();
        let xp: Vec<Vec<u8>> = gold
            .iter()
            .map(|g| g.xpos.iter().map(|x| x.0).collect())
            .collect();
        let up: Vec<Vec<u8>> = gold.iter().map(|g| vec![0; g.forms.len()]).collect();
        let data: Vec<TrainSent> = (0..gold.len())
            .flat_map(|_| 0..gold.len())
            .map(|i| TrainSent {
                lex: &lex[i],
                xpos: &xp[i],
                upos: &up[i],
                gold: &gold[i],
            })
            .collect();
        let cfg = NeuralConfig {
            hidden: 32,
            epochs: 12,
            batch: 2,
            lr: 0.01,
            min_word_freq: 1,
            ema: 0.9,
            threads: 1,
            ..NeuralConfig::default()
        };
        let p = train_neural(&data, &cfg, |_| {}, &mut |_, _| {});
        let p = NeuralParser::from_bytes(&p.to_bytes()).expect("round trip");
        let q = p.quantize(20.0);
        let (mut h, mut l) = (Vec::new(), Vec::new());
        let (mut qh, mut ql) = (Vec::new(), Vec::new());
        for (i, g) in gold.iter().enumerate() {
            p.parse(
                &lex[i],
                &xp[i],
                &up[i],
                &mut h,
                &mut l,
                &mut NeuralScratch::default(),
            );
            assert_eq!(h, g.head, "sentence {i}");
            let want: Vec<u8> = g.deprel.iter().map(|d| d.0).collect();
            assert_eq!(l, want, "sentence {i}");
            q.parse(
                &lex[i],
                &xp[i],
                &up[i],
                &mut qh,
                &mut ql,
                &mut DecodeScratch::default(),
            );
            assert_eq!((&qh, &ql), (&h, &l), "quantised, sentence {i}");
        }
    }

    #[test]
    fn kept_sums_are_the_plain_sums() {
        // random weights, random sentences, random legal transitions: at every step the
        // decoder's hidden layer from kept group sums equals the row-by-row sum
        let mut rng = Rng::new(3);
        let words: Vec<String> = (0..40).map(|i| format!("w{i}")).collect();
        let lex: Vec<Lex> = words.iter().map(|w| Lex::of(w)).collect();
        let gold: Vec<GoldSent> = vec![GoldSent {
            forms: words.clone(),
            upos: vec![Upos::UNKNOWN; 40],
            xpos: (0..40).map(|i| Xpos(1 + i as u8 % 40)).collect(),
            head: (0..40).map(|i| if i == 0 { 0 } else { 1 }).collect(),
            deprel: vec![DepRel::from_label("dep"); 40],
        }];
        let data = [TrainSent {
            lex: &lex,
            xpos: &[1; 40],
            upos: &[1; 40],
            gold: &gold[0],
        }];
        let vocab = Vocab::build(&data, 1);
        let lay = Layout::new(vocab.len());
        let net = NeuralNet::new(lay.rows, 32, &mut rng);
        let p = NeuralParser { vocab, lay, net };
        let q = p.quantize(4.0);
        let mut s = DecodeScratch::default();
        let mut plain = vec![0i16; q.h];
        let mut feats = [0u32; FEATS];
        for n in [1usize, 2, 3, 7, 20, 40] {
            for _ in 0..10 {
                let xp: Vec<u8> = (0..n).map(|_| (rng.next_f64() * 50.0) as u8).collect();
                let up: Vec<u8> = (0..n).map(|_| (rng.next_f64() * 17.0) as u8).collect();
                // set up the scratch as `parse` does
                q.parse(
                    &lex[..n],
                    &xp,
                    &up,
                    &mut Vec::new(),
                    &mut Vec::new(),
                    &mut s,
                );
                nodes(&lex[..n], &xp, &up, &q.vocab, &mut s.nd);
                s.st.reset(n);
                q.start(&mut s);
                while !s.st.terminal() {
                    if !s.st.stack.is_empty() {
                        features(&s.st, &s.nd, &q.lay, &mut feats);
                        q.hidden_kept(&feats, &mut s);
                        q.hidden_plain(&feats, &mut plain);
                        assert_eq!(s.hid, plain);
                    }
                    let legal: Vec<usize> = [SHIFT, LEFT, RIGHT]
                        .into_iter()
                        .filter(|&a| s.st.legal(a))
                        .collect();
                    let a = legal[(rng.next_f64() * legal.len() as f64) as usize];
                    s.st.apply(a, (rng.next_f64() * 50.0) as u8 + 1);
                }
            }
        }
    }
}
