//! The dependency parser: arc-hybrid transitions (root at the end of the buffer, so every
//! tree has exactly one root), a greedy averaged-perceptron action classifier with rich
//! non-local features (Zhang & Nivre 2011, adapted to arc-hybrid), and labelled arcs: the
//! score of LEFT-ARC-*l* or RIGHT-ARC-*l* is the action's score plus the score of label *l*
//! for that arc (features of head, dependent and their children so far), so the label takes
//! part in choosing the transition. Trained jointly with a labelled dynamic oracle (Goldberg
//! & Nivre 2013; an arc with the right head and the wrong label costs one) and exploration.
//!
//! At run time several sentences are parsed side by side (their memory accesses overlap),
//! and an arc's labels are scored only when the arc can still win: its action score plus
//! the largest label score seen in training for such an arc must reach the best action
//! whose score needs no label ([`crate::Model::calibrate`]).

use crate::action::{ActionConsts, ActionMemo};
use crate::bin::{Reader, Writer};
use crate::hash::Feat;
use crate::lex::Lex;
use crate::linear::{argmax_by, Trainer, Weights};
use crate::memo::{add_row, Key, RowMemo};
use crate::train::{GoldSent, Rng, TrainConfig};
use crate::Error;
use annals_model::DepRel;

/// "No node".
pub(crate) const NONE: u16 = u16::MAX;

/// The longest sequence parsed as one unit; longer sentences are parsed in chunks.
pub const MAX_PARSE_LEN: usize = 2048;

/// Transitions.
pub(crate) const SHIFT: usize = 0;
pub(crate) const LEFT: usize = 1;
pub(crate) const RIGHT: usize = 2;
const NACT: usize = 3;

fn root_label() -> u8 {
    DepRel::from_label("root").0
}

/// A parser configuration plus what the features need about the partial tree.
#[derive(Default, Clone)]
pub(crate) struct State {
    /// Number of words; node `n` is the root.
    pub n: usize,
    pub stack: Vec<u16>,
    /// Front of the buffer (`n` = the root, last in the buffer).
    pub b: usize,
    pub head: Vec<u16>,
    pub label: Vec<u8>,
    pub lc1: Vec<u16>,
    pub lc2: Vec<u16>,
    pub rc1: Vec<u16>,
    pub rc2: Vec<u16>,
    pub nl: Vec<u8>,
    pub nr: Vec<u8>,
    pub lset: Vec<u64>,
    pub rset: Vec<u64>,
    /// Children attached to each node so far (exact, unlike `nl` and `nr`).
    pub kids: Vec<u16>,
    on_stack: Vec<bool>,
}

impl State {
    pub fn reset(&mut self, n: usize) {
        self.n = n;
        self.stack.clear();
        self.b = 0;
        for v in [
            &mut self.head,
            &mut self.lc1,
            &mut self.lc2,
            &mut self.rc1,
            &mut self.rc2,
        ] {
            v.clear();
            v.resize(n + 1, NONE);
        }
        for v in [&mut self.label, &mut self.nl, &mut self.nr] {
            v.clear();
            v.resize(n + 1, 0);
        }
        for v in [&mut self.lset, &mut self.rset] {
            v.clear();
            v.resize(n + 1, 0);
        }
        self.kids.clear();
        self.kids.resize(n + 1, 0);
        self.on_stack.clear();
        self.on_stack.resize(n + 1, false);
    }

    pub fn terminal(&self) -> bool {
        self.b >= self.n && self.stack.is_empty()
    }

    pub fn legal(&self, a: usize) -> bool {
        match a {
            SHIFT => self.b < self.n,
            LEFT => !self.stack.is_empty() && (self.b < self.n || self.stack.len() == 1),
            RIGHT => self.stack.len() >= 2,
            _ => false,
        }
    }

    #[inline]
    pub fn s(&self, k: usize) -> u16 {
        if k < self.stack.len() {
            self.stack[self.stack.len() - 1 - k]
        } else {
            NONE
        }
    }

    #[inline]
    pub fn buf(&self, k: usize) -> u16 {
        let i = self.b + k;
        if i <= self.n {
            i as u16
        } else {
            NONE
        }
    }

    /// The (head, dependent) an arc action would add.
    pub fn arc_of(&self, a: usize) -> (u16, u16) {
        match a {
            LEFT => (self.b as u16, self.s(0)),
            _ => (self.s(1), self.s(0)),
        }
    }

    fn add_arc(&mut self, h: u16, d: u16, l: u8) {
        let (hu, du) = (h as usize, d as usize);
        self.head[du] = h;
        self.label[du] = l;
        self.kids[hu] = self.kids[hu].wrapping_add(1);
        let bit = 1u64 << (l & 63);
        if d < h {
            self.lset[hu] |= bit;
            self.nl[hu] = self.nl[hu].saturating_add(1);
            if self.lc1[hu] == NONE || d < self.lc1[hu] {
                self.lc2[hu] = self.lc1[hu];
                self.lc1[hu] = d;
            } else if self.lc2[hu] == NONE || d < self.lc2[hu] {
                self.lc2[hu] = d;
            }
        } else {
            self.rset[hu] |= bit;
            self.nr[hu] = self.nr[hu].saturating_add(1);
            if self.rc1[hu] == NONE || d > self.rc1[hu] {
                self.rc2[hu] = self.rc1[hu];
                self.rc1[hu] = d;
            } else if self.rc2[hu] == NONE || d > self.rc2[hu] {
                self.rc2[hu] = d;
            }
        }
    }

    /// Apply a legal action; arc actions attach with `label`.
    pub fn apply(&mut self, a: usize, label: u8) {
        match a {
            SHIFT => {
                self.stack.push(self.b as u16);
                self.on_stack[self.b] = true;
                self.b += 1;
            }
            _ => {
                let (h, d) = self.arc_of(a);
                self.add_arc(h, d, label);
                self.stack.pop();
                self.on_stack[d as usize] = false;
            }
        }
    }
}

/// Per-node attributes the features read.
#[derive(Clone, Copy, Default)]
pub(crate) struct Node {
    pub w: u64,
    pub p: u64,
    pub u: u64,
    pub c: u64,
    pub suf: u64,
}

pub(crate) const NO_NODE: Node = Node {
    w: 0x51,
    p: 0x53,
    u: 0x55,
    c: 0x57,
    suf: 0x59,
};
pub(crate) const ROOT_NODE: Node = Node {
    w: 0x61,
    p: 0x63,
    u: 0x65,
    c: 0x67,
    suf: 0x69,
};

/// Fill per-node attributes for a sentence (`n` words, then the root).
pub(crate) fn nodes(lex: &[Lex], xpos: &[u8], upos: &[u8], out: &mut Vec<Node>) {
    out.clear();
    for (i, l) in lex.iter().enumerate() {
        out.push(Node {
            w: l.norm,
            p: xpos[i] as u64,
            u: upos[i] as u64,
            c: crate::tagger::cl_big(l.cluster),
            suf: l.suf[2],
        });
    }
    out.push(ROOT_NODE);
}

#[inline(always)]
pub(crate) fn dist(a: u16, b: u16) -> u64 {
    if a == NONE || b == NONE {
        return 99;
    }
    let d = (a as i64 - b as i64).unsigned_abs();
    match d {
        0..=4 => d,
        5..=7 => 5,
        8..=12 => 6,
        _ => 7,
    }
}

/// Features of a configuration for the action classifier.
pub(crate) fn action_features(st: &State, nd: &[Node], out: &mut Vec<u64>) {
    out.clear();
    let node = |i: u16| -> &Node {
        if i == NONE {
            &NO_NODE
        } else {
            nd.get(i as usize).unwrap_or(&NO_NODE)
        }
    };
    let lab = |i: u16| -> u64 {
        if i == NONE {
            0xEE
        } else {
            st.label[i as usize] as u64
        }
    };
    let get = |v: &Vec<u16>, i: u16| -> u16 {
        if i == NONE {
            NONE
        } else {
            v[i as usize]
        }
    };
    let cnt = |v: &Vec<u8>, i: u16| -> u64 {
        if i == NONE {
            0xEE
        } else {
            v[i as usize].min(6) as u64
        }
    };
    let set = |v: &Vec<u64>, i: u16| -> u64 {
        if i == NONE {
            0xEE
        } else {
            v[i as usize]
        }
    };

    let (s0i, s1i, s2i) = (st.s(0), st.s(1), st.s(2));
    let (b0i, b1i, b2i) = (st.buf(0), st.buf(1), st.buf(2));
    let (s0, s1, s2, b0, b1, b2) = (
        node(s0i),
        node(s1i),
        node(s2i),
        node(b0i),
        node(b1i),
        node(b2i),
    );
    let s0l = get(&st.lc1, s0i);
    let s0r = get(&st.rc1, s0i);
    let s0l2 = get(&st.lc2, s0i);
    let s0r2 = get(&st.rc2, s0i);
    let s1l = get(&st.lc1, s1i);
    let s1r = get(&st.rc1, s1i);
    let s1r2 = get(&st.rc2, s1i);
    let b0l = get(&st.lc1, b0i);
    let b0l2 = get(&st.lc2, b0i);
    let (ns0l, ns0r, ns0l2, ns0r2) = (node(s0l), node(s0r), node(s0l2), node(s0r2));
    let (ns1l, ns1r, ns1r2, nb0l, nb0l2) =
        (node(s1l), node(s1r), node(s1r2), node(b0l), node(b0l2));
    let d1 = dist(s0i, b0i);
    let d2 = dist(s1i, s0i);
    let f = Feat::new;
    out.extend_from_slice(&[
        f(1).with(s0.w).with(s0.p).key(),
        f(2).with(s0.w).key(),
        f(3).with(s0.p).key(),
        f(4).with(s1.w).with(s1.p).key(),
        f(5).with(s1.w).key(),
        f(6).with(s1.p).key(),
        f(7).with(b0.w).with(b0.p).key(),
        f(8).with(b0.w).key(),
        f(9).with(b0.p).key(),
        f(10).with(b1.w).with(b1.p).key(),
        f(11).with(b1.w).key(),
        f(12).with(b1.p).key(),
        f(13).with(b2.w).key(),
        f(14).with(b2.p).key(),
        f(15).with(s2.p).key(),
        f(16).with(s2.w).key(),
        // s0 & b0
        f(17).with(s0.w).with(s0.p).with(b0.w).with(b0.p).key(),
        f(18).with(s0.w).with(s0.p).with(b0.w).key(),
        f(19).with(s0.w).with(b0.w).with(b0.p).key(),
        f(20).with(s0.w).with(s0.p).with(b0.p).key(),
        f(21).with(s0.p).with(b0.w).with(b0.p).key(),
        f(22).with(s0.w).with(b0.w).key(),
        f(23).with(s0.p).with(b0.p).key(),
        f(24).with(b0.p).with(b1.p).key(),
        // s1 & s0
        f(25).with(s1.w).with(s1.p).with(s0.p).key(),
        f(26).with(s1.p).with(s0.w).with(s0.p).key(),
        f(27).with(s1.w).with(s0.w).key(),
        f(28).with(s1.p).with(s0.p).key(),
        f(29).with(s1.w).with(s1.p).with(s0.w).with(s0.p).key(),
        // triples
        f(30).with(b0.p).with(b1.p).with(b2.p).key(),
        f(31).with(s0.p).with(b0.p).with(b1.p).key(),
        f(32).with(s1.p).with(s0.p).with(b0.p).key(),
        f(33).with(s0.p).with(ns0l.p).with(b0.p).key(),
        f(34).with(s0.p).with(ns0r.p).with(b0.p).key(),
        f(35).with(s0.p).with(b0.p).with(nb0l.p).key(),
        f(36).with(s1.p).with(s0.p).with(ns0l.p).key(),
        f(37).with(s1.p).with(ns1r.p).with(s0.p).key(),
        f(38).with(s2.p).with(s1.p).with(s0.p).key(),
        f(39).with(s1.p).with(s0.p).with(ns0r.p).key(),
        // distance
        f(40).with(s0.w).with(d1).key(),
        f(41).with(s0.p).with(d1).key(),
        f(42).with(b0.w).with(d1).key(),
        f(43).with(b0.p).with(d1).key(),
        f(44).with(s0.w).with(b0.w).with(d1).key(),
        f(45).with(s0.p).with(b0.p).with(d1).key(),
        f(46).with(s1.w).with(d2).key(),
        f(47).with(s1.p).with(d2).key(),
        f(48).with(s0.w).with(d2).key(),
        f(49).with(s0.p).with(d2).key(),
        f(50).with(s1.w).with(s0.w).with(d2).key(),
        f(51).with(s1.p).with(s0.p).with(d2).key(),
        // valency
        f(52).with(s0.w).with(cnt(&st.nr, s0i)).key(),
        f(53).with(s0.p).with(cnt(&st.nr, s0i)).key(),
        f(54).with(s0.w).with(cnt(&st.nl, s0i)).key(),
        f(55).with(s0.p).with(cnt(&st.nl, s0i)).key(),
        f(56).with(s1.w).with(cnt(&st.nr, s1i)).key(),
        f(57).with(s1.p).with(cnt(&st.nr, s1i)).key(),
        f(58).with(s1.p).with(cnt(&st.nl, s1i)).key(),
        f(59).with(b0.w).with(cnt(&st.nl, b0i)).key(),
        f(60).with(b0.p).with(cnt(&st.nl, b0i)).key(),
        // children
        f(61).with(ns0l.w).key(),
        f(62).with(ns0l.p).key(),
        f(63).with(lab(s0l)).key(),
        f(64).with(ns0r.w).key(),
        f(65).with(ns0r.p).key(),
        f(66).with(lab(s0r)).key(),
        f(67).with(ns1r.w).key(),
        f(68).with(ns1r.p).key(),
        f(69).with(lab(s1r)).key(),
        f(70).with(nb0l.w).key(),
        f(71).with(nb0l.p).key(),
        f(72).with(lab(b0l)).key(),
        f(73).with(ns1l.p).key(),
        f(74).with(lab(s1l)).key(),
        f(75).with(ns0l2.w).key(),
        f(76).with(ns0l2.p).key(),
        f(77).with(lab(s0l2)).key(),
        f(78).with(ns0r2.w).key(),
        f(79).with(ns0r2.p).key(),
        f(80).with(lab(s0r2)).key(),
        f(81).with(nb0l2.w).key(),
        f(82).with(nb0l2.p).key(),
        f(83).with(lab(b0l2)).key(),
        f(84).with(s0.p).with(ns0l.p).with(ns0l2.p).key(),
        f(85).with(s0.p).with(ns0r.p).with(ns0r2.p).key(),
        f(86).with(b0.p).with(nb0l.p).with(nb0l2.p).key(),
        f(87).with(s1.p).with(ns1r.p).with(ns1r2.p).key(),
        // label sets
        f(88).with(s0.w).with(set(&st.rset, s0i)).key(),
        f(89).with(s0.p).with(set(&st.rset, s0i)).key(),
        f(90).with(s0.w).with(set(&st.lset, s0i)).key(),
        f(91).with(s0.p).with(set(&st.lset, s0i)).key(),
        f(92).with(b0.w).with(set(&st.lset, b0i)).key(),
        f(93).with(b0.p).with(set(&st.lset, b0i)).key(),
        f(94).with(s1.w).with(set(&st.rset, s1i)).key(),
        f(95).with(s1.p).with(set(&st.rset, s1i)).key(),
        // clusters
        f(96).with(s0.c).key(),
        f(97).with(b0.c).key(),
        f(98).with(s1.c).key(),
        f(99).with(s0.c).with(b0.c).key(),
        f(100).with(s0.c).with(b0.p).key(),
        f(101).with(s0.p).with(b0.c).key(),
        f(102).with(s1.c).with(s0.c).key(),
        f(103).with(s1.c).with(s0.p).key(),
        f(104).with(s1.p).with(s0.c).key(),
        f(105).with(b1.c).key(),
        // universal tags
        f(106).with(s0.u).with(b0.u).with(s1.u).key(),
        f(107).with(s0.u).with(b0.u).with(b1.u).key(),
        f(108)
            .with(st.stack.len().min(3) as u64)
            .with(b0.p)
            .with(s0.p)
            .key(),
    ]);
}

/// Features for labelling the arc `h → d`.
pub(crate) fn label_features(st: &State, nd: &[Node], h: u16, d: u16, out: &mut Vec<u64>) {
    out.clear();
    let node = |i: u16| -> &Node {
        if i == NONE {
            &NO_NODE
        } else {
            nd.get(i as usize).unwrap_or(&NO_NODE)
        }
    };
    let dir = (h > d) as u64;
    let hn = node(h);
    let dn = node(d);
    let (du, hu) = (d as usize, h as usize);
    let dl = node(st.lc1[du]);
    let dr = node(st.rc1[du]);
    let dl_lab = if st.lc1[du] == NONE {
        0xEE
    } else {
        st.label[st.lc1[du] as usize] as u64
    };
    let dprev = if d == 0 { &NO_NODE } else { node(d - 1) };
    let dnext = node(d + 1);
    let hprev = if h == 0 { &NO_NODE } else { node(h - 1) };
    let dd = dist(h, d);
    let f = |t: u32| Feat::new(200 + t).with(dir);
    out.extend_from_slice(&[
        f(0).key(),
        f(1).with(dn.w).key(),
        f(2).with(dn.p).key(),
        f(3).with(dn.w).with(dn.p).key(),
        f(4).with(hn.w).key(),
        f(5).with(hn.p).key(),
        f(6).with(hn.w).with(hn.p).key(),
        f(7).with(dn.p).with(hn.p).key(),
        f(8).with(dn.w).with(hn.p).key(),
        f(9).with(dn.p).with(hn.w).key(),
        f(10).with(dn.w).with(hn.w).key(),
        f(11).with(dn.p).with(hn.p).with(dd).key(),
        f(12).with(st.lset[du]).key(),
        f(13).with(st.rset[du]).key(),
        f(14).with(dn.p).with(st.lset[du]).key(),
        f(15).with(dn.p).with(st.rset[du]).key(),
        f(16).with(dn.p).with(dl.p).key(),
        f(17).with(dn.p).with(dr.p).key(),
        f(18).with(dl_lab).with(dn.p).key(),
        f(19).with(st.lset[hu]).with(hn.p).key(),
        f(20).with(st.rset[hu]).with(hn.p).key(),
        f(21).with(dn.suf).with(hn.p).key(),
        f(22).with(dprev.p).with(dn.p).with(hn.p).key(),
        f(23).with(dnext.p).with(dn.p).with(hn.p).key(),
        f(24).with(dn.c).with(hn.p).key(),
        f(25).with(dn.p).with(hn.c).key(),
        f(26).with(dn.u).with(hn.u).key(),
        f(27).with(dn.u).with(hn.u).with(dd).key(),
        f(28).with(dl.w).with(dn.p).key(),
        f(29).with(hprev.p).with(hn.p).with(dn.p).key(),
        f(30).with(dn.w).with(hn.w).with(hn.p).key(),
        f(31).with(dn.w).with(dn.p).with(hn.p).key(),
        f(32)
            .with(dn.p)
            .with(hn.p)
            .with(st.nl[du].min(3) as u64)
            .with(st.nr[du].min(3) as u64)
            .key(),
    ]);
}

/// What the label features of the arc `h → d` read.
struct Arc<'a> {
    dir: u64,
    hn: &'a Node,
    dn: &'a Node,
    dl: &'a Node,
    dr: &'a Node,
    dl_lab: u64,
    dprev: &'a Node,
    dnext: &'a Node,
    hprev: &'a Node,
    dd: u64,
    du: usize,
    hu: usize,
}

fn arc<'a>(st: &State, nd: &'a [Node], h: u16, d: u16) -> Arc<'a> {
    let node = |i: u16| -> &Node {
        if i == NONE {
            &NO_NODE
        } else {
            nd.get(i as usize).unwrap_or(&NO_NODE)
        }
    };
    let (du, hu) = (d as usize, h as usize);
    Arc {
        dir: (h > d) as u64,
        hn: node(h),
        dn: node(d),
        dl: node(st.lc1[du]),
        dr: node(st.rc1[du]),
        dl_lab: if st.lc1[du] == NONE {
            0xEE
        } else {
            st.label[st.lc1[du] as usize] as u64
        },
        dprev: if d == 0 { &NO_NODE } else { node(d - 1) },
        dnext: node(d + 1),
        hprev: if h == 0 { &NO_NODE } else { node(h - 1) },
        dd: dist(h, d),
        du,
        hu,
    }
}

/// Label feature groups that read only tags, label sets and the direction, so that their
/// sums are kept in a [`RowMemo`]: the key of group `g` of an arc, and its features
/// (templates 0, 2, 5, 7, 11, 26, 27; 12–18; 19, 20). Node tags, distances and labels are
/// all below 256.
fn label_group(g: usize, st: &State, a: &Arc, out: Option<&mut Vec<u64>>) -> Key {
    let f = |t: u32| Feat::new(200 + t).with(a.dir);
    let (dn, hn) = (a.dn, a.hn);
    match g {
        0 => {
            if let Some(out) = out {
                out.extend_from_slice(&[
                    f(0).key(),
                    f(2).with(dn.p).key(),
                    f(5).with(hn.p).key(),
                    f(7).with(dn.p).with(hn.p).key(),
                    f(11).with(dn.p).with(hn.p).with(a.dd).key(),
                    f(26).with(dn.u).with(hn.u).key(),
                    f(27).with(dn.u).with(hn.u).with(a.dd).key(),
                ]);
            }
            let k = 1 | a.dir << 8 | dn.p << 16 | hn.p << 24 | a.dd << 32 | dn.u << 40 | hn.u << 48;
            [k, 0, 0]
        }
        1 => {
            let (l, r) = (st.lset[a.du], st.rset[a.du]);
            if let Some(out) = out {
                out.extend_from_slice(&[
                    f(12).with(l).key(),
                    f(13).with(r).key(),
                    f(14).with(dn.p).with(l).key(),
                    f(15).with(dn.p).with(r).key(),
                    f(16).with(dn.p).with(a.dl.p).key(),
                    f(17).with(dn.p).with(a.dr.p).key(),
                    f(18).with(a.dl_lab).with(dn.p).key(),
                ]);
            }
            let k = 2 | a.dir << 8 | dn.p << 16 | a.dl.p << 24 | a.dr.p << 32 | a.dl_lab << 40;
            [k, l, r]
        }
        _ => {
            let (l, r) = (st.lset[a.hu], st.rset[a.hu]);
            if let Some(out) = out {
                out.extend_from_slice(&[
                    f(19).with(l).with(hn.p).key(),
                    f(20).with(r).with(hn.p).key(),
                ]);
            }
            [3 | a.dir << 8 | hn.p << 16, l, r]
        }
    }
}

/// Label groups kept in the memo (see [`label_group`]).
const LABEL_GROUPS: usize = 3;

/// The label features outside the kept groups: those that read words, and tag triples
/// (templates 1, 3, 4, 6, 8–10, 21–25, 28–32).
fn label_rest(st: &State, a: &Arc, out: &mut Vec<u64>) {
    let f = |t: u32| Feat::new(200 + t).with(a.dir);
    let (dn, hn) = (a.dn, a.hn);
    out.extend_from_slice(&[
        f(1).with(dn.w).key(),
        f(3).with(dn.w).with(dn.p).key(),
        f(4).with(hn.w).key(),
        f(6).with(hn.w).with(hn.p).key(),
        f(8).with(dn.w).with(hn.p).key(),
        f(9).with(dn.p).with(hn.w).key(),
        f(10).with(dn.w).with(hn.w).key(),
        f(21).with(dn.suf).with(hn.p).key(),
        f(22).with(a.dprev.p).with(dn.p).with(hn.p).key(),
        f(23).with(a.dnext.p).with(dn.p).with(hn.p).key(),
        f(24).with(dn.c).with(hn.p).key(),
        f(25).with(dn.p).with(hn.c).key(),
        f(28).with(a.dl.w).with(dn.p).key(),
        f(29).with(a.hprev.p).with(hn.p).with(dn.p).key(),
        f(30).with(dn.w).with(hn.w).with(hn.p).key(),
        f(31).with(dn.w).with(dn.p).with(hn.p).key(),
        f(32)
            .with(dn.p)
            .with(hn.p)
            .with(st.nl[a.du].min(3) as u64)
            .with(st.nr[a.du].min(3) as u64)
            .key(),
    ]);
}

/// The trained parser: action and label weights.
#[derive(Clone)]
pub struct Parser {
    action: Weights,
    label: Weights,
    /// Derived from `action` (not stored): sums of feature groups that read no node.
    consts: ActionConsts,
    /// For LEFT and RIGHT arcs, by the Penn tags of the dependent and the head
    /// ([`cell`]): the most (first [`CELLS`] entries) and the least (the next [`CELLS`])
    /// that the best label added to an arc's score on the training sentences
    /// ([`crate::Model::calibrate`]). An arc whose action score plus the most cannot reach
    /// an action whose score is complete (SHIFT, an arc to the root), or the other arc's
    /// action score plus its least, cannot win, so its labels are not scored. Until
    /// calibrated: `+inf` and `-inf` (every label scored).
    bound: Vec<f32>,
}

impl std::fmt::Debug for Parser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Parser")
            .field("action", &self.action)
            .field("label", &self.label)
            .finish()
    }
}

/// Cells of one half of [`Parser::bound`].
const CELLS: usize = 2 * 64 * 64;

/// The bound cell of an arc: direction (`j`: 0 LEFT, 1 RIGHT), dependent tag, head tag.
#[inline(always)]
fn cell(j: usize, dp: u64, hp: u64) -> usize {
    j * 4096 + (dp as usize & 63) * 64 + (hp as usize & 63)
}

fn no_bounds() -> Vec<f32> {
    let mut b = vec![f32::INFINITY; 2 * CELLS];
    b[CELLS..].fill(f32::NEG_INFINITY);
    b
}

/// Sentences parsed side by side: each step computes the features of every lane and
/// loads their weight buckets before any lane is scored, so the cache misses of
/// independent sentences overlap instead of waiting one after another.
pub(crate) const LANES: usize = 12;

/// One sentence being parsed.
#[derive(Default)]
struct Lane {
    /// Index of the job (`usize::MAX` when the lane is free).
    job: usize,
    st: State,
    nodes: Vec<Node>,
    fa: Vec<u64>,
    /// Whether `fa` was planned by `memo` (else it holds all the action features).
    planned: bool,
    memo: ActionMemo,
    fl: [Vec<u64>; 2],
    /// For each arc: the label groups not found in the memo (their keys) and the plain
    /// features, each with where its features end in `fl`.
    lplan: [Vec<(Option<Key>, usize)>; 2],
    /// For each arc: the label scores summed so far.
    lacc: [Vec<i32>; 2],
    /// Whether the LEFT / RIGHT arc needs its label scored.
    has: [bool; 2],
    /// Action scores (real units; `-inf` for illegal actions).
    act: [f32; NACT],
}

impl Lane {
    /// Take the moves that are the only legal one and need no label (SHIFT onto an
    /// empty stack, the last word to the root): no classifier needed. When the sentence is done, write its
    /// analysis to `head` and `label` and free the lane.
    fn forced(&mut self, root: u8, jobs: &[(usize, usize)], head: &mut [u16], label: &mut [u8]) {
        loop {
            if self.st.terminal() {
                let (start, end) = jobs[self.job];
                let n = end - start;
                for i in 0..n {
                    let h = self.st.head[i];
                    head[start + i] = if h == NONE || h as usize >= n {
                        0
                    } else {
                        h + 1
                    };
                    label[start + i] = self.st.label[i];
                }
                self.job = usize::MAX;
                return;
            }
            let mut legal = (0..NACT).filter(|&a| self.st.legal(a));
            let (Some(a), None) = (legal.next(), legal.next()) else {
                return;
            };
            // a forced RIGHT-ARC still needs its label
            if a != SHIFT && self.st.arc_of(a).0 as usize != self.st.n {
                return;
            }
            self.st.apply(a, if a == SHIFT { 0 } else { root });
        }
    }
}

/// Reusable buffers for parsing.
#[derive(Default)]
pub(crate) struct ParseScratch {
    lanes: Vec<Lane>,
    jobs: Vec<(usize, usize)>,
    scores: Vec<i32>,
    /// Sums of label feature groups (see [`label_group`]).
    memo: RowMemo,
    all_a: Vec<u64>,
    all_l: Vec<u64>,
    /// When set, every label is scored and the largest and least contribution of the
    /// best label, by [`cell`], are kept in `seen` (as [`Parser::bound`]).
    pub recording: bool,
    pub seen: Vec<f32>,
}

impl Parser {
    fn new(action: Weights, label: Weights, bound: Vec<f32>) -> Self {
        let consts = ActionConsts::new(&action);
        Parser {
            action,
            label,
            consts,
            bound,
        }
    }

    /// Parse several sentences given as `bounds` (`start..end` ranges of the flat `lex`,
    /// `xpos`, `upos`); `head` (1-based within each sentence, 0 = root) and `label` are
    /// flat too. Sentences longer than [`MAX_PARSE_LEN`] are parsed in chunks whose roots
    /// attach to the first chunk's root.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn parse_batch(
        &self,
        lex: &[Lex],
        xpos: &[u8],
        upos: &[u8],
        bounds: &[(usize, usize)],
        head: &mut [u16],
        label: &mut [u8],
        s: &mut ParseScratch,
    ) {
        s.jobs.clear();
        for &(a, b) in bounds {
            let mut c = a;
            while c < b {
                let e = (c + MAX_PARSE_LEN).min(b);
                s.jobs.push((c, e));
                c = e;
            }
        }
        self.run_lanes(lex, xpos, upos, head, label, s);
        for &(a, b) in bounds {
            if b - a <= MAX_PARSE_LEN {
                continue;
            }
            // later chunks' roots attach to the first chunk's root
            let mut first_root = 0u16;
            let mut start = a;
            while start < b {
                let end = (start + MAX_PARSE_LEN).min(b);
                for i in start..end {
                    if head[i] == 0 {
                        if start == a {
                            first_root = (i - a + 1) as u16;
                        } else {
                            head[i] = first_root;
                            label[i] = DepRel::from_label("parataxis").0;
                        }
                    } else {
                        head[i] = head[i].saturating_add((start - a) as u16);
                    }
                }
                start = end;
            }
        }
    }

    fn run_lanes(
        &self,
        lex: &[Lex],
        xpos: &[u8],
        upos: &[u8],
        head: &mut [u16],
        label: &mut [u8],
        s: &mut ParseScratch,
    ) {
        let ParseScratch {
            lanes,
            jobs,
            scores,
            memo,
            all_a,
            all_l,
            recording,
            seen,
        } = s;
        let recording = *recording;
        if recording && seen.len() != 2 * CELLS {
            // nothing seen yet: the most is -inf, the least +inf
            *seen = no_bounds();
            seen.iter_mut().for_each(|x| *x = -*x);
        }
        if lanes.len() < LANES {
            lanes.resize_with(LANES, Lane::default);
        }
        for l in lanes.iter_mut() {
            l.job = usize::MAX;
        }
        let root = root_label();
        let (sa, sl) = (self.action.scale(), self.label.scale());
        let nl = self.label.nclass();
        memo.new_batch(nl, 12);
        let mut next = 0;
        loop {
            // fill free lanes
            let mut active = 0;
            for l in lanes.iter_mut() {
                if l.job == usize::MAX {
                    while next < jobs.len() && jobs[next].0 == jobs[next].1 {
                        next += 1;
                    }
                    if next < jobs.len() {
                        let (a, b) = jobs[next];
                        l.job = next;
                        next += 1;
                        nodes(&lex[a..b], &xpos[a..b], &upos[a..b], &mut l.nodes);
                        l.memo.start(&self.action, &l.nodes, &mut l.fa);
                        l.st.reset(b - a);
                        l.forced(root, jobs, head, label);
                    }
                }
                active += (l.job != usize::MAX) as usize;
            }
            if active == 0 {
                if next < jobs.len() {
                    continue;
                }
                break;
            }
            // 1: action features of every lane, then all their loads in one tight loop (the
            // more independent loads in flight, the more of their misses overlap)
            all_a.clear();
            for l in lanes.iter_mut().filter(|l| l.job != usize::MAX) {
                l.planned = false;
                if !(l.st.legal(SHIFT) || l.st.legal(LEFT)) {
                    // only RIGHT-ARC is legal: just its label is needed
                    l.fa.clear();
                } else if l.st.stack.is_empty() {
                    action_features(&l.st, &l.nodes, &mut l.fa);
                } else {
                    l.memo.plan(&self.consts, &l.st, &l.nodes, &mut l.fa);
                    l.planned = true;
                }
                all_a.extend_from_slice(&l.fa);
            }
            std::hint::black_box(self.action.touch(all_a));
            // 2: action scores; an arc's label is scored only when the arc could still
            // win: its action score plus the most a label adds must beat the best action
            // whose score is already complete (SHIFT, an arc to the root)
            all_l.clear();
            for l in lanes.iter_mut().filter(|l| l.job != usize::MAX) {
                let sc = if l.planned {
                    l.memo.finish(&self.action, &l.fa)
                } else {
                    let mut sc = [0i32; NACT];
                    self.action.score_touched(&l.fa, &mut sc);
                    sc
                };
                let n = l.st.n;
                let mut exact = f32::NEG_INFINITY;
                for (a, &x) in sc.iter().enumerate() {
                    l.act[a] = f32::NEG_INFINITY;
                    if l.st.legal(a) {
                        l.act[a] = x as f32 * sa;
                        if a == SHIFT || l.st.arc_of(a).0 as usize == n {
                            exact = exact.max(l.act[a]);
                        }
                    }
                }
                // the range of each labelled arc's total
                let mut hi = [f32::NEG_INFINITY; 2];
                let mut lo = [f32::NEG_INFINITY; 2];
                for a in [LEFT, RIGHT] {
                    let j = a - 1;
                    l.has[j] = false;
                    let (h, d) = l.st.arc_of(a);
                    if l.act[a] == f32::NEG_INFINITY || h as usize == n {
                        continue;
                    }
                    (hi[j], lo[j]) = if recording {
                        (f32::INFINITY, f32::NEG_INFINITY)
                    } else {
                        let c = cell(j, l.nodes[d as usize].p, l.nodes[h as usize].p);
                        (l.act[a] + self.bound[c], l.act[a] + self.bound[CELLS + c])
                    };
                }
                for a in [LEFT, RIGHT] {
                    let j = a - 1;
                    if hi[j] == f32::NEG_INFINITY || hi[j] < exact.max(lo[1 - j]) {
                        continue;
                    }
                    let (h, d) = l.st.arc_of(a);
                    let arc = arc(&l.st, &l.nodes, h, d);
                    let (fl, plan, acc) = (&mut l.fl[j], &mut l.lplan[j], &mut l.lacc[j]);
                    fl.clear();
                    plan.clear();
                    acc.clear();
                    acc.resize(nl, 0);
                    for g in 0..LABEL_GROUPS {
                        let k = label_group(g, &l.st, &arc, None);
                        if let Some(row) = memo.get(&k) {
                            add_row(acc, row);
                        } else {
                            label_group(g, &l.st, &arc, Some(fl));
                            plan.push((Some(k), fl.len()));
                        }
                    }
                    label_rest(&l.st, &arc, fl);
                    plan.push((None, fl.len()));
                    all_l.extend_from_slice(fl);
                    l.has[j] = true;
                }
            }
            let t = self.label.touch(all_l);
            // second-level loads (full label rows of common features)
            std::hint::black_box(t);
            // 3: decide and apply
            for l in lanes.iter_mut().filter(|l| l.job != usize::MAX) {
                let mut tot = l.act;
                let mut labs = [0u8; NACT];
                let n = l.st.n;
                for a in [LEFT, RIGHT] {
                    if tot[a] == f32::NEG_INFINITY {
                        continue;
                    }
                    if l.st.arc_of(a).0 as usize == n {
                        labs[a] = root;
                        continue;
                    }
                    if !l.has[a - 1] {
                        tot[a] = f32::NEG_INFINITY; // cannot win
                        continue;
                    }
                    let j = a - 1;
                    let mut from = 0;
                    for &(k, end) in &l.lplan[j] {
                        let f = &l.fl[j][from..end];
                        from = end;
                        match k {
                            Some(k) => {
                                scores.clear();
                                scores.resize(nl, 0);
                                self.label.score_touched(f, scores);
                                memo.put(&k, scores);
                                add_row(&mut l.lacc[j], scores);
                            }
                            None => self.label.score_touched(f, &mut l.lacc[j]),
                        }
                    }
                    let scores = &l.lacc[j];
                    let c = argmax_by(scores, |c| c != 0 && c != root as usize).unwrap_or(0);
                    labs[a] = c as u8;
                    let add = scores.get(c).copied().unwrap_or(0) as f32 * sl;
                    tot[a] += add;
                    if recording {
                        let (h, d) = l.st.arc_of(a);
                        let c = cell(a - 1, l.nodes[d as usize].p, l.nodes[h as usize].p);
                        seen[c] = seen[c].max(add);
                        seen[CELLS + c] = seen[CELLS + c].min(add);
                    }
                }
                let st = &l.st;
                let a = argmax_by(&tot, |a| st.legal(a)).unwrap_or(SHIFT);
                l.st.apply(a, labs[a]);
                l.forced(root, jobs, head, label);
            }
        }
    }

    /// Drop weights below the given quantised magnitudes (action, label).
    pub fn prune(&self, min_q: [i16; 2]) -> Parser {
        // the scores change: back to scoring every label until calibrated again
        Parser::new(
            self.action.prune(min_q[0]),
            self.label.prune(min_q[1]),
            no_bounds(),
        )
    }

    /// Set the label bounds from the contributions seen while recording (see
    /// [`ParseScratch::recording`]). A pair of tags never seen takes the widest range
    /// seen with that dependent tag and direction, or else with any.
    pub(crate) fn set_bounds(&mut self, seen: &[f32]) {
        self.bound = no_bounds();
        if seen.len() != 2 * CELLS {
            return;
        }
        let (most, least) = seen.split_at(CELLS);
        let fold = |r: std::ops::Range<usize>| {
            r.fold((f32::NEG_INFINITY, f32::INFINITY), |(m, l), c| {
                (m.max(most[c]), l.min(least[c]))
            })
        };
        let all = fold(0..CELLS);
        if !all.0.is_finite() {
            return;
        }
        for j in 0..2 {
            for dp in 0..64 {
                let at = j * 4096 + dp * 64;
                let mut by_dep = fold(at..at + 64);
                if !by_dep.0.is_finite() {
                    by_dep = all;
                }
                for c in at..at + 64 {
                    let (m, l) = if most[c].is_finite() {
                        (most[c], least[c])
                    } else {
                        by_dep
                    };
                    self.bound[c] = m;
                    self.bound[CELLS + c] = l;
                }
            }
        }
    }

    pub(crate) fn write(&self, w: &mut Writer) {
        self.action.write(w);
        self.label.write(w);
        for &b in &self.bound {
            w.f32(b);
        }
    }

    pub(crate) fn read(r: &mut Reader, version: u32) -> Result<Self, Error> {
        let read = if version == 2 {
            Weights::read_v2
        } else {
            Weights::read
        };
        let action = read(r)?;
        let label = read(r)?;
        let bound = if version >= 5 {
            let b: Vec<f32> = (0..2 * CELLS).map(|_| r.f32()).collect::<Result<_, _>>()?;
            if b.iter().any(|x| x.is_nan()) {
                return Err(Error::Format("bad label bound".into()));
            }
            b
        } else {
            if version == 4 {
                // the most, by direction and dependent tag: not kept (calibrate again)
                r.bytes(128 * 4)?;
            }
            no_bounds()
        };
        Ok(Parser::new(action, label, bound))
    }

    /// Sizes for reports.
    pub fn describe(&self) -> String {
        format!("action {:?}, label {:?}", self.action, self.label)
    }
}

/// Gold tree in 0-based form with the root as node `n`, plus child lists for the oracle.
pub(crate) struct Gold {
    pub head: Vec<u16>,
    kids_start: Vec<u32>,
    kids: Vec<u16>,
}

impl Gold {
    /// From 1-based heads (0 = root).
    pub fn new(heads1: &[u16]) -> Gold {
        let n = heads1.len();
        let head: Vec<u16> = heads1
            .iter()
            .map(|&h| {
                if h == 0 || h as usize > n {
                    n as u16
                } else {
                    h - 1
                }
            })
            .collect();
        let mut cnt = vec![0u32; n + 2];
        for &h in &head {
            cnt[h as usize + 1] += 1;
        }
        for i in 1..cnt.len() {
            cnt[i] += cnt[i - 1];
        }
        let mut kids = vec![0u16; n];
        let mut fill = cnt.clone();
        for (d, &h) in head.iter().enumerate() {
            kids[fill[h as usize] as usize] = d as u16;
            fill[h as usize] += 1;
        }
        Gold {
            head,
            kids_start: cnt,
            kids,
        }
    }

    fn kids(&self, h: usize) -> &[u16] {
        &self.kids[self.kids_start[h] as usize..self.kids_start[h + 1] as usize]
    }

    /// Cost (gold arcs lost) of each action in `st`; `u32::MAX` for illegal ones.
    pub fn costs(&self, st: &State) -> [u32; NACT] {
        let mut c = [u32::MAX; NACT];
        let b = st.b;
        if st.legal(SHIFT) {
            let mut k = 0;
            let g = self.head[b] as usize;
            if g < st.n && st.on_stack[g] && g as u16 != st.s(0) {
                k += 1;
            }
            k += self
                .kids(b)
                .iter()
                .filter(|&&d| st.on_stack[d as usize])
                .count() as u32;
            c[SHIFT] = k;
        }
        let s0 = st.s(0);
        if s0 != NONE {
            let s0u = s0 as usize;
            let lost_kids = self.kids(s0u).iter().filter(|&&d| d as usize >= b).count() as u32;
            let g = self.head[s0u];
            if st.legal(LEFT) {
                let bad_head = g as usize != b && (g == st.s(1) || g as usize >= b);
                c[LEFT] = lost_kids + bad_head as u32;
            }
            if st.legal(RIGHT) {
                c[RIGHT] = lost_kids + (g as usize >= b) as u32;
            }
        }
        c
    }
}

/// Make a tree projective by lifting non-projective arcs to the head's head (1-based heads).
pub fn projectivize(heads1: &mut [u16]) {
    let n = heads1.len();
    if heads1.iter().any(|&h| h as usize > n) {
        return;
    }
    for _ in 0..n * n {
        // find the shortest non-projective arc
        let mut best: Option<(usize, usize)> = None;
        for d in 1..=n {
            let h = heads1[d - 1] as usize;
            let (a, b) = if h < d { (h, d) } else { (d, h) };
            let mut proj = true;
            for k in a + 1..b {
                // k must be dominated by h
                let mut x = k;
                let mut steps = 0;
                while x != 0 && x != h && steps <= n {
                    x = heads1[x - 1] as usize;
                    steps += 1;
                }
                if x != h {
                    proj = false;
                    break;
                }
            }
            if !proj && best.is_none_or(|(_, span)| b - a < span) {
                best = Some((d, b - a));
            }
        }
        match best {
            Some((d, _)) => {
                let h = heads1[d - 1] as usize;
                if h == 0 {
                    return;
                }
                heads1[d - 1] = heads1[h - 1];
            }
            None => return,
        }
    }
}

/// Train the parser with a dynamic oracle on `(lex, xpos, upos, gold)` sentences whose tags
/// were predicted (jackknifed).
#[allow(clippy::type_complexity)]
pub fn train_parser(
    data: &[(Vec<Lex>, Vec<u8>, Vec<u8>, &GoldSent)],
    cfg: &TrainConfig,
    prune: [i16; 2],
) -> Parser {
    let runs = cfg.parser_runs.max(1);
    if runs == 1 {
        let (ta, tl) = parser_run(data, cfg, cfg.seed);
        return Parser::new(ta.finish(prune[0]), tl.finish(prune[1]), no_bounds());
    }
    let mut ma = Trainer::new(NACT);
    let mut ml = Trainer::new(DepRel::count());
    for r in 0..runs {
        let (ta, tl) = parser_run(data, cfg, cfg.seed.wrapping_add(1000 * r as u64));
        ma.add_averaged(&ta, 1.0 / runs as f64);
        ml.add_averaged(&tl, 1.0 / runs as f64);
    }
    Parser::new(ma.finish(prune[0]), ml.finish(prune[1]), no_bounds())
}

/// One training run of the parser (see [`train_parser`]): the action and label trainers.
#[allow(clippy::type_complexity)]
fn parser_run(
    data: &[(Vec<Lex>, Vec<u8>, Vec<u8>, &GoldSent)],
    cfg: &TrainConfig,
    seed: u64,
) -> (Trainer, Trainer) {
    let epochs = cfg.parser_epochs;
    let nl = DepRel::count();
    let root = root_label();
    let mut ta = Trainer::new(NACT);
    let mut tl = Trainer::new(nl);
    let mut rng = Rng::new(seed);
    let mut order: Vec<usize> = (0..data.len()).collect();
    let golds: Vec<Gold> = data
        .iter()
        .map(|(_, _, _, g)| {
            let mut h = g.head.clone();
            projectivize(&mut h);
            Gold::new(&h)
        })
        .collect();
    let mut st = State::default();
    let mut nd = Vec::new();
    let mut feats = Vec::new();
    let mut lfe: [Vec<u64>; 2] = [Vec::new(), Vec::new()];
    let mut lsc = [vec![0f32; nl], vec![0f32; nl]];
    for epoch in 0..epochs {
        rng.shuffle(&mut order);
        let explore = epoch >= cfg.explore_from;
        for &k in &order {
            let (lex, xp, up, g) = &data[k];
            let gold = &golds[k];
            let n = lex.len();
            if n == 0 || n > MAX_PARSE_LEN {
                continue;
            }
            nodes(lex, xp, up, &mut nd);
            st.reset(n);
            while !st.terminal() {
                action_features(&st, &nd, &mut feats);
                let mut sc = [0f32; NACT];
                ta.score(&feats, &mut sc);
                let costs = gold.costs(&st);
                // labelled decisions: (action, label); an arc with the right head and the
                // wrong label costs one more
                let mut tot = sc;
                let mut plab = [0usize; NACT];
                let mut glab = [usize::MAX; NACT];
                let mut has_l = [false; NACT];
                for a in [LEFT, RIGHT] {
                    if costs[a] == u32::MAX {
                        continue;
                    }
                    let (h, d) = st.arc_of(a);
                    if h as usize == n {
                        plab[a] = root as usize;
                        continue;
                    }
                    let j = a - 1;
                    has_l[a] = true;
                    label_features(&st, &nd, h, d, &mut lfe[j]);
                    lsc[j].iter_mut().for_each(|s| *s = 0.0);
                    tl.score(&lfe[j], &mut lsc[j]);
                    let p = argmax_by(&lsc[j], |c| c != 0 && c != root as usize).unwrap_or(1);
                    plab[a] = p;
                    tot[a] += lsc[j][p];
                    let gl = g.deprel[d as usize].0 as usize;
                    if gold.head[d as usize] == h && gl != 0 && gl != root as usize {
                        glab[a] = gl;
                    }
                }
                let pred = argmax_by(&tot, |a| costs[a] != u32::MAX).unwrap_or(SHIFT);
                let minc = costs.iter().copied().min().unwrap_or(0);
                let mut blab = plab;
                let mut btot = sc;
                for a in [LEFT, RIGHT] {
                    if has_l[a] {
                        if glab[a] != usize::MAX {
                            blab[a] = glab[a];
                        }
                        btot[a] += lsc[a - 1][blab[a]];
                    }
                }
                let best = argmax_by(&btot, |a| costs[a] == minc).unwrap_or(SHIFT);
                let pcost =
                    costs[pred] + (glab[pred] != usize::MAX && plab[pred] != glab[pred]) as u32;
                if pcost > minc {
                    if best == pred {
                        tl.update(&lfe[pred - 1], blab[best], plab[pred]);
                    } else {
                        ta.update(&feats, best, pred);
                        if has_l[pred] {
                            tl.update_one(&lfe[pred - 1], plab[pred], -1.0);
                        }
                        if has_l[best] {
                            tl.update_one(&lfe[best - 1], blab[best], 1.0);
                        }
                    }
                }
                ta.tick();
                tl.tick();
                let (next, l) = if pcost == minc || (explore && rng.next_f64() < cfg.explore) {
                    (pred, plab[pred])
                } else {
                    (best, blab[best])
                };
                st.apply(next, if next == SHIFT { 0 } else { l as u8 });
            }
        }
    }
    (ta, tl)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Follow the oracle (always a zero-cost action) and return the tree built.
    fn follow_oracle(heads1: &[u16]) -> Vec<u16> {
        let n = heads1.len();
        let g = Gold::new(heads1);
        let mut st = State::default();
        st.reset(n);
        let mut steps = 0;
        while !st.terminal() {
            let c = g.costs(&st);
            let a = (0..NACT)
                .find(|&a| c[a] == 0)
                .expect("a zero-cost action exists");
            st.apply(a, 1);
            steps += 1;
            assert!(steps <= 2 * n + 1);
        }
        (0..n)
            .map(|i| {
                if st.head[i] as usize == n {
                    0
                } else {
                    st.head[i] + 1
                }
            })
            .collect()
    }

    #[test]
    fn label_groups_are_the_label_features() {
        let mut rng = Rng::new(5);
        for n in [1usize, 2, 4, 9, 20] {
            for _ in 0..20 {
                let nd: Vec<Node> = (0..n)
                    .map(|i| Node {
                        w: 100 + (rng.next_f64() * 5.0) as u64,
                        p: (rng.next_f64() * 50.0) as u64,
                        u: (rng.next_f64() * 17.0) as u64,
                        c: i as u64 % 3,
                        suf: 7 + i as u64 % 2,
                    })
                    .chain([ROOT_NODE])
                    .collect();
                let mut st = State::default();
                st.reset(n);
                while !st.terminal() {
                    for a in [LEFT, RIGHT] {
                        if !st.legal(a) {
                            continue;
                        }
                        let (h, d) = st.arc_of(a);
                        let mut all = Vec::new();
                        label_features(&st, &nd, h, d, &mut all);
                        let arc = arc(&st, &nd, h, d);
                        let mut g = Vec::new();
                        for k in 0..LABEL_GROUPS {
                            label_group(k, &st, &arc, Some(&mut g));
                        }
                        label_rest(&st, &arc, &mut g);
                        all.sort_unstable();
                        g.sort_unstable();
                        assert_eq!(all, g);
                    }
                    let legal: Vec<usize> = (0..NACT).filter(|&a| st.legal(a)).collect();
                    let a = legal[(rng.next_f64() * legal.len() as f64) as usize];
                    st.apply(a, (rng.next_f64() * 50.0) as u8 + 1);
                }
            }
        }
    }

    #[test]
    fn oracle_reproduces_projective_trees() {
        // "The dog saw a cat ." and a tree with a right-branching chain and left dependents
        let trees: &[&[u16]] = &[
            &[2, 3, 0, 5, 3, 3],
            &[0, 1, 2, 3, 4],
            &[5, 5, 5, 5, 0],
            &[2, 0, 2, 5, 2, 7, 5, 2],
            &[0],
        ];
        for t in trees {
            assert_eq!(&follow_oracle(t), t);
        }
    }

    #[test]
    fn oracle_costs_count_lost_arcs() {
        // 1 <- 2 (root); in state stack=[0], b=1: SHIFT keeps everything, LEFT loses 0's head
        let g = Gold::new(&[2, 0]);
        let mut st = State::default();
        st.reset(2);
        st.apply(SHIFT, 0);
        let c = g.costs(&st);
        assert_eq!(c[LEFT], 0);
        assert_eq!(c[SHIFT], 1, "shifting 1 loses the arc 1 -> 0");
        assert_eq!(c[RIGHT], u32::MAX);
    }

    fn is_projective(h: &[u16]) -> bool {
        let n = h.len();
        (1..=n).all(|d| {
            let hd = h[d - 1] as usize;
            let (a, b) = if hd < d { (hd, d) } else { (d, hd) };
            (a + 1..b).all(|k| {
                let mut x = k;
                for _ in 0..=n {
                    if x == 0 || x == hd {
                        break;
                    }
                    x = h[x - 1] as usize;
                }
                x == hd
            })
        })
    }

    #[test]
    fn projectivize_lifts_crossing_arcs() {
        let mut h = vec![0, 1, 2, 2];
        assert!(is_projective(&h));
        projectivize(&mut h);
        assert_eq!(h, vec![0, 1, 2, 2], "projective trees are left alone");
        let mut h = vec![3, 0, 2, 1];
        assert!(!is_projective(&h));
        projectivize(&mut h);
        assert!(is_projective(&h), "{h:?}");
        assert_eq!(follow_oracle(&h), h);
    }
}
