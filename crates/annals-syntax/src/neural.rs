//! A feed-forward neural transition parser (after Chen & Manning 2014): the same
//! arc-hybrid transitions and dynamic oracle as [`crate::parser`], but the classifier is a
//! network with one hidden layer instead of an averaged perceptron over hashed feature
//! conjunctions.
//!
//! A configuration is described by [`FEATS`] categorical features (the words, word
//! clusters, suffixes and Penn tags of nodes on the stack and the buffer and of their
//! children, the children's labels, distances and child counts). Each feature slot has a
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
//! weights for decoding. Deterministic: each half of a minibatch is worked out on its own
//! thread with its own random numbers, and the two gradients are added in a fixed order.

use crate::lex::Lex;
use crate::parser::{dist, projectivize, Gold, State, LEFT, NONE, RIGHT, SHIFT};
use crate::train::{GoldSent, Rng};
use annals_model::{DepRel, Xpos};
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
/// Features of a configuration.
pub const FEATS: usize = NPOS + WPOS + CPOS.len() + SPOS.len() + LPOS + 2 + 5;

const SUF_BUCKETS: u32 = 2048;
const CLUSTERS: u32 = 1024;

/// Hyperparameters of [`train_neural`].
#[derive(Debug, Clone)]
pub struct NeuralConfig {
    /// Hidden units.
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
}

impl Vocab {
    fn build(data: &[TrainSent], min: u32) -> Vocab {
        let mut c: BTreeMap<u64, u32> = BTreeMap::new();
        for s in data {
            for l in s.lex {
                *c.entry(l.norm).or_insert(0) += 1;
            }
        }
        let mut v: Vec<(u64, u32)> = c.into_iter().filter(|&(_, n)| n >= min).collect();
        // most frequent first (ties by key): ids are stable for the same data
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let counts = v.iter().map(|x| x.1).collect();
        let mut by_key: Vec<(u64, u32)> =
            v.iter().enumerate().map(|(i, x)| (x.0, i as u32)).collect();
        by_key.sort_unstable();
        Vocab {
            keys: by_key.iter().map(|x| x.0).collect(),
            ids: by_key.iter().map(|x| x.1).collect(),
            counts,
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
    clus: u32,
    suf: u32,
}

/// Value 0 of every slot: no node; 1: the root.
const NO: NNode = NNode {
    word: 0,
    tag: 0,
    clus: 0,
    suf: 0,
};
const ROOT: NNode = NNode {
    word: 1,
    tag: 1,
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

fn nodes(lex: &[Lex], xpos: &[u8], vocab: &Vocab, out: &mut Vec<NNode>) {
    out.clear();
    for (l, &x) in lex.iter().zip(xpos) {
        out.push(NNode {
            word: vocab.get(l.norm).map_or(2, |i| 3 + i),
            tag: 2 + x as u32,
            clus: if l.cluster == 0 {
                2 + CLUSTERS - 1
            } else {
                2 + (l.cluster & (CLUSTERS - 1))
            },
            suf: 2 + (l.suf[2] % SUF_BUCKETS as u64) as u32,
        });
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
        head: &mut Vec<u16>,
        label: &mut Vec<u8>,
        s: &mut NeuralScratch,
    ) {
        let n = lex.len();
        nodes(lex, xpos, &self.vocab, &mut s.nd);
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
    nodes(s.lex, s.xpos, vocab, &mut w.nd);
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
        net.hidden(&feats, &mut w.hid);
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
            for &f in &feats {
                let r = f as usize;
                if !g.is_touched[r] {
                    g.is_touched[r] = true;
                    g.touched.push(f);
                }
                axpy(&mut g.rows[r * h..(r + 1) * h], 1.0, &w.dh);
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
    let mut net = NeuralNet::new(lay.rows, cfg.hidden, &mut rng);
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
