//! The part-of-speech tagger: a left-to-right averaged perceptron for Penn tags (XPOS),
//! then a second left-to-right pass for universal tags (UPOS) that sees the Penn tags of
//! both neighbours.

use crate::bin::{Reader, Writer};
use crate::hash::Feat;
use crate::lex::Lex;
use crate::linear::{argmax_by, Trainer, Weights};
use crate::train::{GoldSent, Rng};
use crate::Error;
use annals_model::{Upos, Xpos};

/// Tag id used for positions before the sentence.
const BOS: u64 = 0xFFFF_0001;
/// Tag id used for positions after the sentence.
const EOS: u64 = 0xFFFF_0002;

const PAD_BOS: Lex = Lex {
    form: 11,
    norm: 13,
    shape: 15,
    pre: [17, 19, 21],
    suf: [23, 25, 27, 29],
    flags: 0x80,
    len: 0,
    cluster: 3,
    ambig: 1 << 63,
    freq: 0,
};
const PAD_EOS: Lex = Lex {
    form: 31,
    norm: 33,
    shape: 35,
    pre: [37, 39, 41],
    suf: [43, 45, 47, 49],
    flags: 0x40,
    len: 0,
    cluster: 5,
    ambig: 1 << 62,
    freq: 0,
};

#[inline(always)]
fn at(lex: &[Lex], i: usize, d: isize) -> &Lex {
    let j = i as isize + d;
    if j < 0 {
        &PAD_BOS
    } else {
        lex.get(j as usize).unwrap_or(&PAD_EOS)
    }
}

#[inline(always)]
fn tag_at(tags: &[u8], i: usize, d: isize) -> u64 {
    let j = i as isize + d;
    if j < 0 {
        BOS
    } else {
        tags.get(j as usize).map_or(EOS, |&t| t as u64)
    }
}

/// The coarse (64-class) part of a cluster code.
#[inline(always)]
pub(crate) fn cl_small(c: u32) -> u64 {
    if c == 0 {
        0x7F7F
    } else {
        ((c >> 10) & 0x3FF) as u64
    }
}

/// The fine part of a cluster code.
#[inline(always)]
pub(crate) fn cl_big(c: u32) -> u64 {
    if c == 0 {
        0x7F7E
    } else {
        (c & 0x3FF) as u64 | 0x10000
    }
}

/// Features for the Penn tag of token `i`; `tags[..i]` hold the tags already chosen:
/// those of [`xpos_word_features`], then the seven that read a tag.
pub(crate) fn xpos_features(lex: &[Lex], i: usize, tags: &[u8], out: &mut Vec<u64>) {
    out.clear();
    xpos_word_features(lex, i, out);
    let w = at(lex, i, 0);
    let t1 = tag_at(tags, i, -1);
    let t2 = tag_at(tags, i, -2);
    let f = Feat::new;
    out.extend_from_slice(&[
        f(16).with(t1).key(),
        f(17).with(t1).with(t2).key(),
        f(18).with(t1).with(w.norm).key(),
        f(27).with(t1).with(w.ambig).key(),
        f(29).with(t2).key(),
        f(31).with(t1).with(w.suf[2]).key(),
    ]);
    if w.cluster != 0 {
        out.push(f(44).with(t1).with(cl_small(w.cluster)).key());
    }
}

/// Features for the universal tag of token `i`, given all Penn tags and `upos[..i]`.
pub(crate) fn upos_features(lex: &[Lex], i: usize, xpos: &[u8], upos: &[u8], out: &mut Vec<u64>) {
    out.clear();
    let w = at(lex, i, 0);
    let p1 = at(lex, i, -1);
    let n1 = at(lex, i, 1);
    let x0 = tag_at(xpos, i, 0);
    let xp1 = tag_at(xpos, i, -1);
    let xn1 = tag_at(xpos, i, 1);
    let xp2 = tag_at(xpos, i, -2);
    let xn2 = tag_at(xpos, i, 2);
    let u1 = tag_at(upos, i, -1);
    let f = Feat::new;
    out.extend_from_slice(&[
        f(100).key(),
        f(101).with(w.norm).key(),
        f(102).with(w.suf[2]).key(),
        f(103).with(w.suf[1]).key(),
        f(104).with(x0).key(),
        f(105).with(x0).with(w.norm).key(),
        f(106).with(xp1).key(),
        f(107).with(xn1).key(),
        f(108).with(xp1).with(x0).key(),
        f(109).with(x0).with(xn1).key(),
        f(110).with(xp2).with(x0).key(),
        f(111).with(x0).with(xn2).key(),
        f(112).with(u1).key(),
        f(113).with(u1).with(x0).key(),
        f(114).with(n1.norm).key(),
        f(115).with(p1.norm).key(),
        f(116).with(x0).with(n1.norm).key(),
        f(117).with(x0).with(p1.norm).key(),
        f(118).with(x0).with(w.shape).key(),
        f(119).with(x0).with(w.flags as u64).key(),
        f(120).with(w.ambig).key(),
        f(121).with(x0).with(cl_big(w.cluster)).key(),
        f(122).with(xp1).with(x0).with(xn1).key(),
        f(123).with(w.form).key(),
    ]);
}

/// The features of [`xpos_features`] that read no tag (all but templates 16, 17, 18, 27,
/// 29, 31 and 44), added to `out`: they are known before tagging starts. Tagging sums
/// them by role ([`xpos_role_features`]) and pair ([`xpos_pair_features`]).
pub(crate) fn xpos_word_features(lex: &[Lex], i: usize, out: &mut Vec<u64>) {
    let w = at(lex, i, 0);
    let p1 = at(lex, i, -1);
    let p2 = at(lex, i, -2);
    let n1 = at(lex, i, 1);
    let n2 = at(lex, i, 2);
    let f = Feat::new;
    out.extend_from_slice(&[
        f(0).key(),
        f(1).with(w.norm).key(),
        f(2).with(w.form).key(),
        f(3).with(w.suf[0]).key(),
        f(4).with(w.suf[1]).key(),
        f(5).with(w.suf[2]).key(),
        f(6).with(w.suf[3]).key(),
        f(7).with(w.pre[0]).key(),
        f(8).with(w.pre[1]).key(),
        f(9).with(w.pre[2]).key(),
        f(10).with(w.shape).key(),
        f(11).with(w.flags as u64).key(),
        f(12).with(p1.norm).key(),
        f(13).with(n1.norm).key(),
        f(14).with(p2.norm).key(),
        f(15).with(n2.norm).key(),
        f(19).with(w.norm).with(n1.norm).key(),
        f(20).with(p1.norm).with(w.norm).key(),
        f(21).with(n1.suf[2]).key(),
        f(22).with(p1.suf[2]).key(),
        f(23).with(n1.shape).key(),
        f(24).with(p1.shape).key(),
        f(25).with(w.ambig).key(),
        f(26).with(n1.ambig).key(),
        f(28).with(w.ambig).with(n1.ambig).key(),
        f(30).with(w.len as u64).with(w.flags as u64).key(),
        f(32).with(w.freq as u64).with(w.shape).key(),
        f(33).with(n2.ambig).key(),
    ]);
    if w.cluster != 0 {
        out.extend_from_slice(&[
            f(40).with(cl_small(w.cluster)).key(),
            f(41).with(cl_big(w.cluster)).key(),
        ]);
    }
    out.extend_from_slice(&[
        f(45).with(cl_small(n1.cluster)).key(),
        f(46).with(cl_big(n1.cluster)).key(),
        f(47).with(cl_big(p1.cluster)).key(),
    ]);
}

/// Roles a word takes in [`xpos_word_features`]: itself, and the words one and two before
/// and after it. The sums of the first [`ROLES`] are kept per word; the one or two
/// features of the others are looked up per token.
const ROLES: usize = 3;
const SELF: usize = 0;
const PREV1: usize = 1;
const NEXT1: usize = 2;
const PREV2: usize = 3;
const NEXT2: usize = 4;

/// The features of [`xpos_word_features`] that read one word only, `w`, in the role `role`
/// (at offset 0, -1, +1, -2 or +2 from the token tagged).
fn xpos_role_features(role: usize, w: &Lex, out: &mut Vec<u64>) {
    let f = Feat::new;
    match role {
        SELF => {
            out.extend_from_slice(&[
                f(0).key(),
                f(1).with(w.norm).key(),
                f(2).with(w.form).key(),
                f(3).with(w.suf[0]).key(),
                f(4).with(w.suf[1]).key(),
                f(5).with(w.suf[2]).key(),
                f(6).with(w.suf[3]).key(),
                f(7).with(w.pre[0]).key(),
                f(8).with(w.pre[1]).key(),
                f(9).with(w.pre[2]).key(),
                f(10).with(w.shape).key(),
                f(11).with(w.flags as u64).key(),
                f(25).with(w.ambig).key(),
                f(30).with(w.len as u64).with(w.flags as u64).key(),
                f(32).with(w.freq as u64).with(w.shape).key(),
            ]);
            if w.cluster != 0 {
                out.extend_from_slice(&[
                    f(40).with(cl_small(w.cluster)).key(),
                    f(41).with(cl_big(w.cluster)).key(),
                ]);
            }
        }
        PREV1 => out.extend_from_slice(&[
            f(12).with(w.norm).key(),
            f(22).with(w.suf[2]).key(),
            f(24).with(w.shape).key(),
            f(47).with(cl_big(w.cluster)).key(),
        ]),
        NEXT1 => out.extend_from_slice(&[
            f(13).with(w.norm).key(),
            f(21).with(w.suf[2]).key(),
            f(23).with(w.shape).key(),
            f(26).with(w.ambig).key(),
            f(45).with(cl_small(w.cluster)).key(),
            f(46).with(cl_big(w.cluster)).key(),
        ]),
        PREV2 => out.push(f(14).with(w.norm).key()),
        _ => out.extend_from_slice(&[f(15).with(w.norm).key(), f(33).with(w.ambig).key()]),
    }
}

/// The features of [`xpos_word_features`] that read two words, the token's and a
/// neighbour's (templates 19, 20, 28), and those of the words two before and after it.
fn xpos_pair_features(lex: &[Lex], i: usize, out: &mut Vec<u64>) {
    let (w, p1, n1) = (at(lex, i, 0), at(lex, i, -1), at(lex, i, 1));
    let f = Feat::new;
    out.extend_from_slice(&[
        f(19).with(w.norm).with(n1.norm).key(),
        f(20).with(p1.norm).with(w.norm).key(),
        f(28).with(w.ambig).with(n1.ambig).key(),
    ]);
    xpos_role_features(PREV2, at(lex, i, -2), out);
    xpos_role_features(NEXT2, at(lex, i, 2), out);
}

/// The distinct words of a batch (by every attribute the features read), so that the
/// features of a word in each of its roles are summed once however often it occurs.
#[derive(Default)]
struct Types {
    /// Open addressing table of type ids (`u32::MAX`: empty).
    table: Vec<u32>,
    lex: Vec<Lex>,
    /// The type of each token, then of the padding before and after a sentence.
    of: Vec<u32>,
    /// Per type, per role: the summed scores.
    sums: Vec<i32>,
}

impl Types {
    fn clear(&mut self, n: usize) {
        let size = (2 * n + 16).next_power_of_two();
        self.table.clear();
        self.table.resize(size, u32::MAX);
        self.lex.clear();
        self.of.clear();
    }

    /// The id of `l`'s type.
    fn intern(&mut self, l: &Lex) -> u32 {
        let mask = self.table.len() - 1;
        let h = (l.form ^ l.norm.rotate_left(23)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let mut i = (h >> 40) as usize & mask;
        loop {
            let t = self.table[i];
            if t == u32::MAX {
                let id = self.lex.len() as u32;
                self.table[i] = id;
                self.lex.push(*l);
                return id;
            }
            if self.lex[t as usize] == *l {
                return t;
            }
            i = (i + 1) & mask;
        }
    }
}

/// The features of [`xpos_features`] that read the previous tag `t1` together with the
/// word `w` (templates 18, 27, 31 and, for a word with a cluster, 44).
#[inline]
pub(crate) fn xpos_tag_word_features(w: &Lex, t1: u64, out: &mut Vec<u64>) {
    let f = Feat::new;
    out.extend_from_slice(&[
        f(18).with(t1).with(w.norm).key(),
        f(27).with(t1).with(w.ambig).key(),
        f(31).with(t1).with(w.suf[2]).key(),
    ]);
    if w.cluster != 0 {
        out.push(f(44).with(t1).with(cl_small(w.cluster)).key());
    }
}

/// The features of [`xpos_features`] that read only the two previous tags (templates 16,
/// 17 and 29).
fn xpos_tag_features(t1: u64, t2: u64) -> [u64; 3] {
    let f = Feat::new;
    [
        f(16).with(t1).key(),
        f(17).with(t1).with(t2).key(),
        f(29).with(t2).key(),
    ]
}

/// The features of [`upos_features`] that do not read universal tags (all but templates
/// 112 and 113): they are known once the Penn tags are.
pub(crate) fn upos_word_features(lex: &[Lex], i: usize, xpos: &[u8], out: &mut Vec<u64>) {
    let w = at(lex, i, 0);
    let p1 = at(lex, i, -1);
    let n1 = at(lex, i, 1);
    let x0 = tag_at(xpos, i, 0);
    let xp1 = tag_at(xpos, i, -1);
    let xn1 = tag_at(xpos, i, 1);
    let xp2 = tag_at(xpos, i, -2);
    let xn2 = tag_at(xpos, i, 2);
    let f = Feat::new;
    out.extend_from_slice(&[
        f(100).key(),
        f(101).with(w.norm).key(),
        f(102).with(w.suf[2]).key(),
        f(103).with(w.suf[1]).key(),
        f(104).with(x0).key(),
        f(105).with(x0).with(w.norm).key(),
        f(106).with(xp1).key(),
        f(107).with(xn1).key(),
        f(108).with(xp1).with(x0).key(),
        f(109).with(x0).with(xn1).key(),
        f(110).with(xp2).with(x0).key(),
        f(111).with(x0).with(xn2).key(),
        f(114).with(n1.norm).key(),
        f(115).with(p1.norm).key(),
        f(116).with(x0).with(n1.norm).key(),
        f(117).with(x0).with(p1.norm).key(),
        f(118).with(x0).with(w.shape).key(),
        f(119).with(x0).with(w.flags as u64).key(),
        f(120).with(w.ambig).key(),
        f(121).with(x0).with(cl_big(w.cluster)).key(),
        f(122).with(xp1).with(x0).with(xn1).key(),
        f(123).with(w.form).key(),
    ]);
}

/// The features of [`upos_features`] that read the previous universal tag `u1` (templates
/// 112 and 113, the latter with the Penn tag `x0`).
fn upos_tag_features(u1: u64, x0: u64) -> [u64; 2] {
    let f = Feat::new;
    [f(112).with(u1).key(), f(113).with(u1).with(x0).key()]
}

/// Scores of the features that read nothing but tags, summed for every combination of tags
/// when the tagger is built, so that tagging reads one row instead of several features.
#[derive(Clone, Default)]
struct TagTables {
    /// Penn tag classes.
    nx: usize,
    /// Universal tag classes.
    nu: usize,
    /// Rows of `nx` scores by `(t1, t2)` (templates 16, 17, 29), each `0..=nx` (`nx`: before
    /// the sentence).
    x: Vec<i32>,
    /// Rows of `nu` scores by `(u1, x0)` (templates 112, 113), `u1` in `0..=nu` (`nu`:
    /// before the sentence), `x0` in `0..nx`.
    u: Vec<i32>,
}

/// A tag id as the features see it: `BOS` for a position before the sentence.
#[inline(always)]
fn tag_feat(t: usize, n: usize) -> u64 {
    if t == n {
        BOS
    } else {
        t as u64
    }
}

impl TagTables {
    fn new(xpos: &Weights, upos: &Weights) -> Self {
        let (nx, nu) = (xpos.nclass(), upos.nclass());
        let mut x = vec![0i32; (nx + 1) * (nx + 1) * nx];
        for (k, row) in x.chunks_exact_mut(nx).enumerate() {
            let (t1, t2) = (k / (nx + 1), k % (nx + 1));
            xpos.score(&xpos_tag_features(tag_feat(t1, nx), tag_feat(t2, nx)), row);
        }
        let mut u = vec![0i32; (nu + 1) * nx * nu];
        for (k, row) in u.chunks_exact_mut(nu).enumerate() {
            let (u1, x0) = (k / nx, k % nx);
            upos.score(&upos_tag_features(tag_feat(u1, nu), x0 as u64), row);
        }
        TagTables { nx, nu, x, u }
    }

    /// The row of `(t1, t2)` for the token at `i` of a sentence tagged up to `i`.
    #[inline]
    fn xrow(&self, tags: &[u8], i: usize) -> Option<&[i32]> {
        let t = |d: usize| {
            if i < d {
                self.nx
            } else {
                tags[i - d] as usize
            }
        };
        let k = t(1) * (self.nx + 1) + t(2);
        self.x.get(k * self.nx..(k + 1) * self.nx)
    }

    /// The row of `(u1, x0)` for the token at `i`.
    #[inline]
    fn urow(&self, upos: &[u8], x0: u8, i: usize) -> Option<&[i32]> {
        let u1 = if i == 0 {
            self.nu
        } else {
            upos[i - 1] as usize
        };
        let k = u1 * self.nx + x0 as usize;
        self.u.get(k * self.nu..(k + 1) * self.nu)
    }
}

/// A trained tagger.
#[derive(Clone)]
pub struct Tagger {
    xpos: Weights,
    upos: Weights,
    /// Derived from the weights (not stored).
    tables: TagTables,
}

impl std::fmt::Debug for Tagger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tagger")
            .field("xpos", &self.xpos)
            .field("upos", &self.upos)
            .finish()
    }
}

/// Reusable buffers for tagging.
#[derive(Default)]
pub(crate) struct TagScratch {
    /// `(sentence, position)` of each lane.
    lanes: Vec<(usize, usize)>,
    /// Features of the tokens of a chunk, one after another.
    feats: Vec<u64>,
    /// Where each token's features end in `feats`.
    ends: Vec<usize>,
    /// Scores of the features that read no tag being chosen: one row per token.
    stat: Vec<i32>,
    /// The distinct words of the batch, for the Penn tag word features.
    types: Types,
    scores: Vec<i32>,
}

/// Sentences tagged side by side (see [`crate::parser::LANES`]).
const LANES: usize = 12;

/// Tokens whose word features are looked up together (their misses overlap).
const CHUNK: usize = 16;

impl Tagger {
    /// A tagger over trained weights.
    fn new(xpos: Weights, upos: Weights) -> Self {
        let tables = TagTables::new(&xpos, &upos);
        Tagger { xpos, upos, tables }
    }

    /// Tag one sentence: fills `xpos` and `upos` (each as long as `lex`).
    pub(crate) fn tag(&self, lex: &[Lex], xpos: &mut [u8], upos: &mut [u8], s: &mut TagScratch) {
        self.tag_batch(lex, &[(0, lex.len())], xpos, upos, s);
    }

    /// Tag several sentences given as `start..end` ranges of the flat `lex`; `xpos` and
    /// `upos` are flat too.
    ///
    /// A token's score is the sum of its features' weights, whatever the order, so the
    /// features that read no tag still to be chosen are summed first for every token, with
    /// many lookups in flight; the left-to-right passes then add only what depends on the
    /// tags chosen before.
    pub(crate) fn tag_batch(
        &self,
        lex: &[Lex],
        bounds: &[(usize, usize)],
        xpos: &mut [u8],
        upos: &mut [u8],
        s: &mut TagScratch,
    ) {
        let n = bounds.iter().map(|b| b.1).max().unwrap_or(0);
        // Penn tags: word features, then left to right with the previous tags
        self.xpos_word_scores(lex, bounds, n, s);
        self.xpos_pass(lex, bounds, xpos, s);
        // universal tags: everything but the previous universal tag is known now
        let xp: &[u8] = xpos;
        static_scores(
            &self.upos,
            bounds,
            n,
            &mut s.stat,
            &mut s.feats,
            &mut s.ends,
            |a, b, i, out| upos_word_features(&lex[a..b], i, &xp[a..b], out),
        );
        let nu = self.upos.nclass();
        for &(a, b) in bounds {
            for i in 0..b.saturating_sub(a) {
                let t = a + i;
                let sc = &mut s.stat[t * nu..(t + 1) * nu];
                if let Some(row) = self.tables.urow(&upos[a..b], xpos[t], i) {
                    for (x, &r) in sc.iter_mut().zip(row) {
                        *x += r;
                    }
                } else {
                    let (u1, x0) = (tag_at(&upos[a..b], i, -1), xpos[t] as u64);
                    self.upos.score(&upos_tag_features(u1, x0), sc);
                }
                upos[t] = argmax_by(sc, |c| c != 0).unwrap_or(0) as u8;
            }
        }
    }

    /// `s.stat`: the scores of [`xpos_word_features`] of every token of `bounds` (flat
    /// positions below `n`). Each distinct word's features are summed once per role (a
    /// word is as often the one tagged as the one before or after it); each token then
    /// adds the sums of its word and its neighbours' and looks up only its word pairs.
    fn xpos_word_scores(
        &self,
        lex: &[Lex],
        bounds: &[(usize, usize)],
        n: usize,
        s: &mut TagScratch,
    ) {
        let w = &self.xpos;
        let nc = w.nclass();
        let t = &mut s.types;
        t.clear(n);
        let (bos, eos) = (t.intern(&PAD_BOS), t.intern(&PAD_EOS));
        t.of.resize(n, eos);
        for &(a, b) in bounds {
            for (i, l) in lex.iter().enumerate().take(b).skip(a) {
                t.of[i] = t.intern(l);
            }
        }
        // every role of every type, a few types at a time (their loads overlap)
        let nt = t.lex.len();
        t.sums.clear();
        t.sums.resize(nt * ROLES * nc, 0);
        const TYPES: usize = 4;
        let mut ends = [0usize; TYPES * ROLES];
        let mut k0 = 0;
        while k0 < nt {
            let k1 = (k0 + TYPES).min(nt);
            s.feats.clear();
            for k in k0..k1 {
                for r in 0..ROLES {
                    xpos_role_features(r, &t.lex[k], &mut s.feats);
                    ends[(k - k0) * ROLES + r] = s.feats.len();
                }
            }
            std::hint::black_box(w.touch(&s.feats));
            let mut from = 0;
            for (j, &end) in ends[..(k1 - k0) * ROLES].iter().enumerate() {
                let row = (k0 * ROLES + j) * nc;
                w.score_touched(&s.feats[from..end], &mut t.sums[row..row + nc]);
                from = end;
            }
            k0 = k1;
        }
        // each token: the pairs looked up, then the kept sums
        let (t, feats) = (&s.types, &mut s.feats);
        static_scores(
            w,
            bounds,
            n,
            &mut s.stat,
            feats,
            &mut s.ends,
            |a, b, i, out| xpos_pair_features(&lex[a..b], i, out),
        );
        for &(a, b) in bounds {
            for i in a..b {
                let ty = |j: isize, pad: u32| -> u32 {
                    let j = i as isize + j;
                    if j < a as isize || j >= b as isize {
                        pad
                    } else {
                        t.of[j as usize]
                    }
                };
                let row = &mut s.stat[i * nc..(i + 1) * nc];
                for (r, id) in [(SELF, t.of[i]), (PREV1, ty(-1, bos)), (NEXT1, ty(1, eos))] {
                    let at = (id as usize * ROLES + r) * nc;
                    for (x, &v) in row.iter_mut().zip(&t.sums[at..at + nc]) {
                        *x += v;
                    }
                }
            }
        }
    }

    /// The left-to-right Penn tag pass over every sentence, a position of each of up to
    /// [`LANES`] sentences at a time; `s.stat` holds the word features' scores.
    fn xpos_pass(
        &self,
        lex: &[Lex],
        bounds: &[(usize, usize)],
        xpos: &mut [u8],
        s: &mut TagScratch,
    ) {
        let w = &self.xpos;
        let nx = w.nclass();
        s.lanes.clear();
        let mut next = 0;
        loop {
            while s.lanes.len() < LANES && next < bounds.len() {
                if bounds[next].0 < bounds[next].1 {
                    s.lanes.push((next, 0));
                }
                next += 1;
            }
            if s.lanes.is_empty() {
                break;
            }
            s.feats.clear();
            s.ends.clear();
            for &(si, i) in &s.lanes {
                let (a, b) = bounds[si];
                xpos_tag_word_features(&lex[a + i], tag_at(&xpos[a..b], i, -1), &mut s.feats);
                s.ends.push(s.feats.len());
            }
            // all loads of all lanes in one tight loop, then the rows they point to
            let t = w.touch(&s.feats);
            std::hint::black_box(t);
            let mut from = 0;
            for (k, lane) in s.lanes.iter_mut().enumerate() {
                let (a, b) = bounds[lane.0];
                let tok = a + lane.1;
                s.scores.clear();
                s.scores
                    .extend_from_slice(&s.stat[tok * nx..(tok + 1) * nx]);
                if let Some(row) = self.tables.xrow(&xpos[a..b], lane.1) {
                    for (x, &r) in s.scores.iter_mut().zip(row) {
                        *x += r;
                    }
                } else {
                    let t1 = tag_at(&xpos[a..b], lane.1, -1);
                    let t2 = tag_at(&xpos[a..b], lane.1, -2);
                    w.score(&xpos_tag_features(t1, t2), &mut s.scores);
                }
                w.score_touched(&s.feats[from..s.ends[k]], &mut s.scores);
                from = s.ends[k];
                xpos[tok] = argmax_by(&s.scores, |c| c != 0).unwrap_or(0) as u8;
                lane.1 += 1;
            }
            s.lanes.retain(|&(si, i)| bounds[si].0 + i < bounds[si].1);
        }
    }

    /// Drop weights below the given quantised magnitudes (xpos, upos).
    pub fn prune(&self, min_q: [i16; 2]) -> Tagger {
        Tagger::new(self.xpos.prune(min_q[0]), self.upos.prune(min_q[1]))
    }

    pub(crate) fn write(&self, w: &mut Writer) {
        self.xpos.write(w);
        self.upos.write(w);
    }

    pub(crate) fn read(r: &mut Reader, version: u32) -> Result<Self, Error> {
        let read = if version == 2 {
            Weights::read_v2
        } else {
            Weights::read
        };
        let xpos = read(r)?;
        let upos = read(r)?;
        Ok(Tagger::new(xpos, upos))
    }

    /// Sizes for reports: (features, entries) of both tables.
    pub fn describe(&self) -> String {
        format!("xpos {:?}, upos {:?}", self.xpos, self.upos)
    }
}

/// Fill `s.stat` with one row of scores per token of `bounds` (flat positions below `n`):
/// the weights of the features `feats(start, end, position in sentence, out)` appends.
fn static_scores(
    w: &Weights,
    bounds: &[(usize, usize)],
    n: usize,
    stat: &mut Vec<i32>,
    fv: &mut Vec<u64>,
    ends: &mut Vec<usize>,
    mut feats: impl FnMut(usize, usize, usize, &mut Vec<u64>),
) {
    let nc = w.nclass();
    stat.clear();
    stat.resize(n * nc, 0);
    let mut toks: [usize; CHUNK] = [0; CHUNK];
    let mut k = 0;
    let flush = |toks: &[usize], stat: &mut Vec<i32>, fv: &mut Vec<u64>, ends: &mut Vec<usize>| {
        std::hint::black_box(w.touch(fv));
        let mut from = 0;
        for (&t, &end) in toks.iter().zip(ends.iter()) {
            w.score_touched(&fv[from..end], &mut stat[t * nc..(t + 1) * nc]);
            from = end;
        }
        fv.clear();
        ends.clear();
    };
    fv.clear();
    ends.clear();
    for &(a, b) in bounds {
        for i in 0..b.saturating_sub(a) {
            feats(a, b, i, fv);
            ends.push(fv.len());
            toks[k] = a + i;
            k += 1;
            if k == CHUNK {
                flush(&toks, stat, fv, ends);
                k = 0;
            }
        }
    }
    flush(&toks[..k], stat, fv, ends);
}

/// Train a tagger on sentences whose [`Lex`] were computed with the final lexicon.
/// Weights whose quantised magnitude is below `prune` (`[xpos, upos]`) are dropped.
pub fn train_tagger(
    data: &[(Vec<Lex>, &GoldSent)],
    epochs: usize,
    seed: u64,
    prune: [i16; 2],
) -> Tagger {
    train_tagger_runs(data, epochs, seed, 1, prune)
}

/// [`train_tagger`] with the averaged weights of `runs` runs (seeds `seed`, `seed + 1000`,
/// …) averaged again (parameter mixing).
pub fn train_tagger_runs(
    data: &[(Vec<Lex>, &GoldSent)],
    epochs: usize,
    seed: u64,
    runs: usize,
    prune: [i16; 2],
) -> Tagger {
    if runs <= 1 {
        let (tx, tu) = tagger_run(data, epochs, seed);
        return Tagger::new(tx.finish(prune[0]), tu.finish(prune[1]));
    }
    let mut mx = Trainer::new(Xpos::count());
    let mut mu = Trainer::new(Upos::count());
    for r in 0..runs {
        let (tx, tu) = tagger_run(data, epochs, seed.wrapping_add(1000 * r as u64));
        mx.add_averaged(&tx, 1.0 / runs as f64);
        mu.add_averaged(&tu, 1.0 / runs as f64);
    }
    Tagger::new(mx.finish(prune[0]), mu.finish(prune[1]))
}

/// One training run of the tagger: the XPOS and UPOS trainers.
fn tagger_run(data: &[(Vec<Lex>, &GoldSent)], epochs: usize, seed: u64) -> (Trainer, Trainer) {
    let nx = Xpos::count();
    let nu = Upos::count();
    let mut tx = Trainer::new(nx);
    let mut tu = Trainer::new(nu);
    let mut order: Vec<usize> = (0..data.len()).collect();
    let mut rng = Rng::new(seed);
    let mut feats = Vec::new();
    let mut sx = vec![0f32; nx];
    let mut su = vec![0f32; nu];
    let mut xp = Vec::new();
    let mut up = Vec::new();
    for _ in 0..epochs {
        rng.shuffle(&mut order);
        for &k in &order {
            let (lex, g) = &data[k];
            xp.clear();
            xp.resize(lex.len(), 0u8);
            up.clear();
            up.resize(lex.len(), 0u8);
            for i in 0..lex.len() {
                xpos_features(lex, i, &xp, &mut feats);
                sx.iter_mut().for_each(|s| *s = 0.0);
                tx.score(&feats, &mut sx);
                let p = argmax_by(&sx, |c| c != 0).unwrap_or(0);
                let gold = g.xpos[i].0 as usize;
                if gold != 0 && p != gold {
                    tx.update(&feats, gold, p);
                }
                tx.tick();
                xp[i] = p as u8;
            }
            for i in 0..lex.len() {
                upos_features(lex, i, &xp, &up, &mut feats);
                su.iter_mut().for_each(|s| *s = 0.0);
                tu.score(&feats, &mut su);
                let p = argmax_by(&su, |c| c != 0).unwrap_or(0);
                let gold = g.upos[i].0 as usize;
                if gold != 0 && p != gold {
                    tu.update(&feats, gold, p);
                }
                tu.tick();
                up[i] = p as u8;
            }
        }
    }
    (tx, tu)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Model;

    fn sorted(mut v: Vec<u64>) -> Vec<u64> {
        v.sort_unstable();
        v
    }

    /// The shipped model and the words of the test slice, by sentence.
    fn shipped() -> (Model, Vec<Vec<Lex>>) {
        let m = Model::load(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../models/en_ewt.syntax"
        ))
        .expect("the shipped model loads");
        let text = include_str!("../tests/fixtures/ewt-slice.conllu");
        let sents = annals_model::conllu::sentences(text)
            .map(|s| {
                let s = s.expect("fixture parses");
                s.words.iter().map(|w| m.lexicon.lex(w.form)).collect()
            })
            .collect();
        (m, sents)
    }

    #[test]
    fn split_features_are_the_features() {
        let (_, sents) = shipped();
        let mut rng = Rng::new(7);
        for lex in sents.iter().take(40) {
            let xp: Vec<u8> = lex.iter().map(|_| (rng.next_f64() * 52.0) as u8).collect();
            let up: Vec<u8> = lex.iter().map(|_| (rng.next_f64() * 18.0) as u8).collect();
            for i in 0..lex.len() {
                let mut all = Vec::new();
                xpos_features(lex, i, &xp, &mut all);
                let mut parts = Vec::new();
                xpos_word_features(lex, i, &mut parts);
                // the word features are those of the words in their roles, and the pairs
                let mut roles = Vec::new();
                for (r, d) in [(SELF, 0), (PREV1, -1), (NEXT1, 1)] {
                    xpos_role_features(r, at(lex, i, d), &mut roles);
                }
                xpos_pair_features(lex, i, &mut roles);
                assert_eq!(sorted(parts.clone()), sorted(roles));
                xpos_tag_word_features(&lex[i], tag_at(&xp, i, -1), &mut parts);
                parts.extend(xpos_tag_features(tag_at(&xp, i, -1), tag_at(&xp, i, -2)));
                assert_eq!(sorted(all), sorted(parts));
                let mut all = Vec::new();
                upos_features(lex, i, &xp, &up, &mut all);
                let mut parts = Vec::new();
                upos_word_features(lex, i, &xp, &mut parts);
                parts.extend(upos_tag_features(tag_at(&up, i, -1), xp[i] as u64));
                assert_eq!(sorted(all), sorted(parts));
            }
        }
    }

    #[test]
    fn tags_are_those_of_the_features_scored_one_by_one() {
        let (m, sents) = shipped();
        let t = &m.tagger;
        let mut s = TagScratch::default();
        for lex in &sents {
            // the definition: every feature looked up, left to right
            let n = lex.len();
            let (mut xp, mut up) = (vec![0u8; n], vec![0u8; n]);
            let mut feats = Vec::new();
            for i in 0..n {
                xpos_features(lex, i, &xp, &mut feats);
                let mut sc = vec![0i32; t.xpos.nclass()];
                t.xpos.score(&feats, &mut sc);
                xp[i] = argmax_by(&sc, |c| c != 0).unwrap_or(0) as u8;
            }
            for i in 0..n {
                upos_features(lex, i, &xp, &up, &mut feats);
                let mut sc = vec![0i32; t.upos.nclass()];
                t.upos.score(&feats, &mut sc);
                up[i] = argmax_by(&sc, |c| c != 0).unwrap_or(0) as u8;
            }
            let (mut fx, mut fu) = (vec![0u8; n], vec![0u8; n]);
            t.tag(lex, &mut fx, &mut fu, &mut s);
            assert_eq!((fx, fu), (xp, up));
        }
    }
}
