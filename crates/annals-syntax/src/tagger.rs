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

/// Features for the Penn tag of token `i`; `tags[..i]` hold the tags already chosen.
pub(crate) fn xpos_features(lex: &[Lex], i: usize, tags: &[u8], out: &mut Vec<u64>) {
    out.clear();
    let w = at(lex, i, 0);
    let p1 = at(lex, i, -1);
    let p2 = at(lex, i, -2);
    let n1 = at(lex, i, 1);
    let n2 = at(lex, i, 2);
    let t1 = tag_at(tags, i, -1);
    let t2 = tag_at(tags, i, -2);
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
        f(16).with(t1).key(),
        f(17).with(t1).with(t2).key(),
        f(18).with(t1).with(w.norm).key(),
        f(19).with(w.norm).with(n1.norm).key(),
        f(20).with(p1.norm).with(w.norm).key(),
        f(21).with(n1.suf[2]).key(),
        f(22).with(p1.suf[2]).key(),
        f(23).with(n1.shape).key(),
        f(24).with(p1.shape).key(),
        f(25).with(w.ambig).key(),
        f(26).with(n1.ambig).key(),
        f(27).with(t1).with(w.ambig).key(),
        f(28).with(w.ambig).with(n1.ambig).key(),
        f(29).with(t2).key(),
        f(30).with(w.len as u64).with(w.flags as u64).key(),
        f(31).with(t1).with(w.suf[2]).key(),
        f(32).with(w.freq as u64).with(w.shape).key(),
        f(33).with(n2.ambig).key(),
    ]);
    if w.cluster != 0 {
        out.extend_from_slice(&[
            f(40).with(cl_small(w.cluster)).key(),
            f(41).with(cl_big(w.cluster)).key(),
            f(44).with(t1).with(cl_small(w.cluster)).key(),
        ]);
    }
    out.extend_from_slice(&[
        f(45).with(cl_small(n1.cluster)).key(),
        f(46).with(cl_big(n1.cluster)).key(),
        f(47).with(cl_big(p1.cluster)).key(),
    ]);
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

/// A trained tagger.
#[derive(Debug, Clone)]
pub struct Tagger {
    xpos: Weights,
    upos: Weights,
}

/// Reusable buffers for tagging.
#[derive(Default)]
pub(crate) struct TagScratch {
    /// `(sentence, position)` of each lane.
    lanes: Vec<(usize, usize)>,
    feats: Vec<Vec<u64>>,
    all: Vec<u64>,
    scores: Vec<i32>,
}

/// Sentences tagged side by side (see [`crate::parser::LANES`]).
const LANES: usize = 12;

impl Tagger {
    /// Tag one sentence: fills `xpos` and `upos` (each as long as `lex`).
    pub(crate) fn tag(&self, lex: &[Lex], xpos: &mut [u8], upos: &mut [u8], s: &mut TagScratch) {
        self.tag_batch(lex, &[(0, lex.len())], xpos, upos, s);
    }

    /// Tag several sentences given as `start..end` ranges of the flat `lex`; `xpos` and
    /// `upos` are flat too.
    pub(crate) fn tag_batch(
        &self,
        lex: &[Lex],
        bounds: &[(usize, usize)],
        xpos: &mut [u8],
        upos: &mut [u8],
        s: &mut TagScratch,
    ) {
        self.pass(lex, bounds, xpos, upos, s, false);
        self.pass(lex, bounds, xpos, upos, s, true);
    }

    /// One left-to-right pass (XPOS, or UPOS when `universal`) over every sentence, a
    /// position of each of up to [`LANES`] sentences at a time.
    fn pass(
        &self,
        lex: &[Lex],
        bounds: &[(usize, usize)],
        xpos: &mut [u8],
        upos: &mut [u8],
        s: &mut TagScratch,
        universal: bool,
    ) {
        let w = if universal { &self.upos } else { &self.xpos };
        if s.feats.len() < LANES {
            s.feats.resize_with(LANES, Vec::new);
        }
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
            s.all.clear();
            for (k, &(si, i)) in s.lanes.iter().enumerate() {
                let (a, b) = bounds[si];
                if universal {
                    upos_features(&lex[a..b], i, &xpos[a..b], &upos[a..b], &mut s.feats[k]);
                } else {
                    xpos_features(&lex[a..b], i, &xpos[a..b], &mut s.feats[k]);
                }
                s.all.extend_from_slice(&s.feats[k]);
            }
            // all loads of all lanes in one tight loop, then the rows they point to
            let t = w.touch(&s.all) ^ w.touch_wide(&s.all);
            std::hint::black_box(t);
            for (k, lane) in s.lanes.iter_mut().enumerate() {
                s.scores.clear();
                s.scores.resize(w.nclass(), 0);
                w.score_touched(&s.feats[k], &mut s.scores);
                let c = argmax_by(&s.scores, |c| c != 0).unwrap_or(0) as u8;
                let (a, _) = bounds[lane.0];
                if universal {
                    upos[a + lane.1] = c;
                } else {
                    xpos[a + lane.1] = c;
                }
                lane.1 += 1;
            }
            s.lanes.retain(|&(si, i)| bounds[si].0 + i < bounds[si].1);
        }
    }

    /// Drop weights below the given quantised magnitudes (xpos, upos).
    pub fn prune(&self, min_q: [i16; 2]) -> Tagger {
        Tagger {
            xpos: self.xpos.prune(min_q[0]),
            upos: self.upos.prune(min_q[1]),
        }
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
        Ok(Tagger {
            xpos: read(r)?,
            upos: read(r)?,
        })
    }

    /// Sizes for reports: (features, entries) of both tables.
    pub fn describe(&self) -> String {
        format!("xpos {:?}, upos {:?}", self.xpos, self.upos)
    }
}

/// Train a tagger on sentences whose [`Lex`] were computed with the final lexicon.
/// Weights whose quantised magnitude is below `prune` (`[xpos, upos]`) are dropped.
pub fn train_tagger(
    data: &[(Vec<Lex>, &GoldSent)],
    epochs: usize,
    seed: u64,
    prune: [i16; 2],
) -> Tagger {
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
    Tagger {
        xpos: tx.finish(prune[0]),
        upos: tu.finish(prune[1]),
    }
}
