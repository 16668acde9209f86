//! The action classifier's scores of a parser configuration, summed from parts that are
//! kept from one transition to the next.
//!
//! A configuration's score is the sum of the weights of its [`action_features`]: integers,
//! so any grouping of the features gives the same sum. Most features read only one node,
//! or one node and what it has collected so far, and stay the same over several
//! transitions. They are grouped by what they read, and each group's sum is kept
//! ([`ActionMemo`]) until what it reads changes:
//!
//! - the words of a node in the roles `s0`, `s1`, `s2`, and the buffer front `b0 b1 b2` (a
//!   function of `b` alone): summed for every node when the sentence starts;
//! - a child in one of the eight child roles (`s0`'s leftmost child, …), with its label,
//!   which never changes once attached;
//! - a node on the stack with the two nodes below it, which stay while it is on the stack;
//! - a node in the role `s0`, `s1` or `b0` with its children so far (counts, label sets,
//!   the tags of the outermost children), kept until it gets another child;
//! - groups that read no node at all (an empty stack position, a missing child) are
//!   constants of the model ([`ActionConsts`]).
//!
//! What is left (pairs of `s0` with the buffer, triples across the stack and the buffer)
//! is looked up at every transition.
//!
//! [`action_features`]: crate::parser::action_features

use crate::hash::Feat;
use crate::linear::Weights;
use crate::parser::{dist, Node, State, NONE, NO_NODE};

/// Scores of the three actions.
pub(crate) type Sc = [i32; 3];

/// Child roles, in the order of their templates.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Role {
    /// Leftmost child of `s0` (templates 61, 62, 63).
    S0L = 0,
    /// Rightmost child of `s0` (64, 65, 66).
    S0R,
    /// Rightmost child of `s1` (67, 68, 69).
    S1R,
    /// Leftmost child of `b0` (70, 71, 72).
    B0L,
    /// Leftmost child of `s1` (73, 74).
    S1L,
    /// Second leftmost child of `s0` (75, 76, 77).
    S0L2,
    /// Second rightmost child of `s0` (78, 79, 80).
    S0R2,
    /// Second leftmost child of `b0` (81, 82, 83).
    B0L2,
}

const ROLES: [Role; 8] = [
    Role::S0L,
    Role::S0R,
    Role::S1R,
    Role::B0L,
    Role::S1L,
    Role::S0L2,
    Role::S0R2,
    Role::B0L2,
];

/// Static groups of a node, by role.
const S0: usize = 0;
const S1: usize = 1;
const S2: usize = 2;
/// The buffer front `b0 b1 b2` when `b` is the node.
const B: usize = 3;

/// Groups of a node with its children so far.
const DS0: usize = 0;
const DS1: usize = 1;
const DB: usize = 2;

#[inline(always)]
fn f(t: u32) -> Feat {
    Feat::new(t)
}

/// Templates 1, 2, 3, 96: `s0` alone.
fn s0_features(s0: &Node, out: &mut Vec<u64>) {
    out.extend_from_slice(&[
        f(1).with(s0.w).with(s0.p).key(),
        f(2).with(s0.w).key(),
        f(3).with(s0.p).key(),
        f(96).with(s0.c).key(),
    ]);
}

/// Templates 4, 5, 6, 98: `s1` alone.
fn s1_features(s1: &Node, out: &mut Vec<u64>) {
    out.extend_from_slice(&[
        f(4).with(s1.w).with(s1.p).key(),
        f(5).with(s1.w).key(),
        f(6).with(s1.p).key(),
        f(98).with(s1.c).key(),
    ]);
}

/// Templates 15, 16: `s2` alone.
fn s2_features(s2: &Node, out: &mut Vec<u64>) {
    out.extend_from_slice(&[f(15).with(s2.p).key(), f(16).with(s2.w).key()]);
}

/// Templates 7–14, 24, 30, 97, 105: the buffer front alone.
fn b_features(b0: &Node, b1: &Node, b2: &Node, out: &mut Vec<u64>) {
    out.extend_from_slice(&[
        f(7).with(b0.w).with(b0.p).key(),
        f(8).with(b0.w).key(),
        f(9).with(b0.p).key(),
        f(10).with(b1.w).with(b1.p).key(),
        f(11).with(b1.w).key(),
        f(12).with(b1.p).key(),
        f(13).with(b2.w).key(),
        f(14).with(b2.p).key(),
        f(24).with(b0.p).with(b1.p).key(),
        f(30).with(b0.p).with(b1.p).with(b2.p).key(),
        f(97).with(b0.c).key(),
        f(105).with(b1.c).key(),
    ]);
}

/// The templates of a child role: the child's word, tag and label (`lab`).
fn child_features(role: Role, c: &Node, lab: u64, out: &mut Vec<u64>) {
    let t = match role {
        Role::S0L => 61,
        Role::S0R => 64,
        Role::S1R => 67,
        Role::B0L => 70,
        Role::S1L => {
            out.extend_from_slice(&[f(73).with(c.p).key(), f(74).with(lab).key()]);
            return;
        }
        Role::S0L2 => 75,
        Role::S0R2 => 78,
        Role::B0L2 => 81,
    };
    out.extend_from_slice(&[
        f(t).with(c.w).key(),
        f(t + 1).with(c.p).key(),
        f(t + 2).with(lab).key(),
    ]);
}

/// Templates 25–29, 38, 46–51, 102–104: `s0` with the two nodes below it (`d2` their
/// distance).
fn stack_features(s2: &Node, s1: &Node, s0: &Node, d2: u64, out: &mut Vec<u64>) {
    out.extend_from_slice(&[
        f(25).with(s1.w).with(s1.p).with(s0.p).key(),
        f(26).with(s1.p).with(s0.w).with(s0.p).key(),
        f(27).with(s1.w).with(s0.w).key(),
        f(28).with(s1.p).with(s0.p).key(),
        f(29).with(s1.w).with(s1.p).with(s0.w).with(s0.p).key(),
        f(38).with(s2.p).with(s1.p).with(s0.p).key(),
        f(46).with(s1.w).with(d2).key(),
        f(47).with(s1.p).with(d2).key(),
        f(48).with(s0.w).with(d2).key(),
        f(49).with(s0.p).with(d2).key(),
        f(50).with(s1.w).with(s0.w).with(d2).key(),
        f(51).with(s1.p).with(s0.p).with(d2).key(),
        f(102).with(s1.c).with(s0.c).key(),
        f(103).with(s1.c).with(s0.p).key(),
        f(104).with(s1.p).with(s0.c).key(),
    ]);
}

/// What the features read of a node and its children so far (`NONE`: no node).
struct Kids<'a> {
    n: &'a Node,
    nl: u64,
    nr: u64,
    lset: u64,
    rset: u64,
    l1: &'a Node,
    l2: &'a Node,
    r1: &'a Node,
    r2: &'a Node,
}

fn kids<'a>(st: &State, nd: &'a [Node], i: u16) -> Kids<'a> {
    let node = |j: u16| node(nd, j);
    if i == NONE {
        return Kids {
            n: &NO_NODE,
            nl: 0xEE,
            nr: 0xEE,
            lset: 0xEE,
            rset: 0xEE,
            l1: &NO_NODE,
            l2: &NO_NODE,
            r1: &NO_NODE,
            r2: &NO_NODE,
        };
    }
    let u = i as usize;
    Kids {
        n: node(i),
        nl: st.nl[u].min(6) as u64,
        nr: st.nr[u].min(6) as u64,
        lset: st.lset[u],
        rset: st.rset[u],
        l1: node(st.lc1[u]),
        l2: node(st.lc2[u]),
        r1: node(st.rc1[u]),
        r2: node(st.rc2[u]),
    }
}

/// Templates 52–55, 84, 85, 88–91: `s0` with its children.
fn s0_kid_features(k: &Kids, out: &mut Vec<u64>) {
    let s0 = k.n;
    out.extend_from_slice(&[
        f(52).with(s0.w).with(k.nr).key(),
        f(53).with(s0.p).with(k.nr).key(),
        f(54).with(s0.w).with(k.nl).key(),
        f(55).with(s0.p).with(k.nl).key(),
        f(84).with(s0.p).with(k.l1.p).with(k.l2.p).key(),
        f(85).with(s0.p).with(k.r1.p).with(k.r2.p).key(),
        f(88).with(s0.w).with(k.rset).key(),
        f(89).with(s0.p).with(k.rset).key(),
        f(90).with(s0.w).with(k.lset).key(),
        f(91).with(s0.p).with(k.lset).key(),
    ]);
}

/// Templates 56–58, 87, 94, 95: `s1` with its children.
fn s1_kid_features(k: &Kids, out: &mut Vec<u64>) {
    let s1 = k.n;
    out.extend_from_slice(&[
        f(56).with(s1.w).with(k.nr).key(),
        f(57).with(s1.p).with(k.nr).key(),
        f(58).with(s1.p).with(k.nl).key(),
        f(87).with(s1.p).with(k.r1.p).with(k.r2.p).key(),
        f(94).with(s1.w).with(k.rset).key(),
        f(95).with(s1.p).with(k.rset).key(),
    ]);
}

/// Templates 59, 60, 86, 92, 93: `b0` with its (left) children.
fn b_kid_features(k: &Kids, out: &mut Vec<u64>) {
    let b0 = k.n;
    out.extend_from_slice(&[
        f(59).with(b0.w).with(k.nl).key(),
        f(60).with(b0.p).with(k.nl).key(),
        f(86).with(b0.p).with(k.l1.p).with(k.l2.p).key(),
        f(92).with(b0.w).with(k.lset).key(),
        f(93).with(b0.p).with(k.lset).key(),
    ]);
}

/// The 27 templates that mix `s0` with the buffer, or the stack top with children of
/// another node: 17–23, 31–37, 39–45, 99–101, 106–108.
fn fresh_features(st: &State, nd: &[Node], out: &mut Vec<u64>) {
    let node = |j: u16| node(nd, j);
    let get = |v: &Vec<u16>, i: u16| -> u16 {
        if i == NONE {
            NONE
        } else {
            v[i as usize]
        }
    };
    let (s0i, s1i) = (st.s(0), st.s(1));
    let (b0i, b1i) = (st.buf(0), st.buf(1));
    let (s0, s1, b0, b1) = (node(s0i), node(s1i), node(b0i), node(b1i));
    let ns0l = node(get(&st.lc1, s0i));
    let ns0r = node(get(&st.rc1, s0i));
    let ns1r = node(get(&st.rc1, s1i));
    let nb0l = node(get(&st.lc1, b0i));
    let d1 = dist(s0i, b0i);
    out.extend_from_slice(&[
        f(17).with(s0.w).with(s0.p).with(b0.w).with(b0.p).key(),
        f(18).with(s0.w).with(s0.p).with(b0.w).key(),
        f(19).with(s0.w).with(b0.w).with(b0.p).key(),
        f(20).with(s0.w).with(s0.p).with(b0.p).key(),
        f(21).with(s0.p).with(b0.w).with(b0.p).key(),
        f(22).with(s0.w).with(b0.w).key(),
        f(23).with(s0.p).with(b0.p).key(),
        f(31).with(s0.p).with(b0.p).with(b1.p).key(),
        f(32).with(s1.p).with(s0.p).with(b0.p).key(),
        f(33).with(s0.p).with(ns0l.p).with(b0.p).key(),
        f(34).with(s0.p).with(ns0r.p).with(b0.p).key(),
        f(35).with(s0.p).with(b0.p).with(nb0l.p).key(),
        f(36).with(s1.p).with(s0.p).with(ns0l.p).key(),
        f(37).with(s1.p).with(ns1r.p).with(s0.p).key(),
        f(39).with(s1.p).with(s0.p).with(ns0r.p).key(),
        f(40).with(s0.w).with(d1).key(),
        f(41).with(s0.p).with(d1).key(),
        f(42).with(b0.w).with(d1).key(),
        f(43).with(b0.p).with(d1).key(),
        f(44).with(s0.w).with(b0.w).with(d1).key(),
        f(45).with(s0.p).with(b0.p).with(d1).key(),
        f(99).with(s0.c).with(b0.c).key(),
        f(100).with(s0.c).with(b0.p).key(),
        f(101).with(s0.p).with(b0.c).key(),
        f(106).with(s0.u).with(b0.u).with(s1.u).key(),
        f(107).with(s0.u).with(b0.u).with(b1.u).key(),
        f(108)
            .with(st.stack.len().min(3) as u64)
            .with(b0.p)
            .with(s0.p)
            .key(),
    ]);
}

#[inline(always)]
fn node(nd: &[Node], i: u16) -> &Node {
    if i == NONE {
        &NO_NODE
    } else {
        nd.get(i as usize).unwrap_or(&NO_NODE)
    }
}

fn add(acc: &mut Sc, v: &Sc) {
    for (a, x) in acc.iter_mut().zip(v) {
        *a += x;
    }
}

fn sum(w: &Weights, feats: &[u64]) -> Sc {
    let mut v = [0; 3];
    w.score(feats, &mut v);
    v
}

/// The groups that read no node, summed once per model.
#[derive(Clone, Debug, Default)]
pub(crate) struct ActionConsts {
    /// `s1` and `s2` missing.
    s1: Sc,
    s2: Sc,
    /// `s1` missing, with its (missing) children.
    ds1: Sc,
    /// Each child role without a child.
    child: [Sc; 8],
}

impl ActionConsts {
    pub(crate) fn new(w: &Weights) -> Self {
        let mut v = Vec::new();
        let mut one = |fill: &dyn Fn(&mut Vec<u64>)| {
            v.clear();
            fill(&mut v);
            sum(w, &v)
        };
        let s1 = one(&|o| s1_features(&NO_NODE, o));
        let s2 = one(&|o| s2_features(&NO_NODE, o));
        let ds1 = one(&|o| {
            let none = Kids {
                n: &NO_NODE,
                nl: 0xEE,
                nr: 0xEE,
                lset: 0xEE,
                rset: 0xEE,
                l1: &NO_NODE,
                l2: &NO_NODE,
                r1: &NO_NODE,
                r2: &NO_NODE,
            };
            s1_kid_features(&none, o)
        });
        let mut child = [[0; 3]; 8];
        for r in ROLES {
            child[r as usize] = one(&|o| child_features(r, &NO_NODE, 0xEE, o));
        }
        ActionConsts { s1, s2, ds1, child }
    }
}

/// Where the sum of a run of planned features goes.
#[derive(Clone, Copy)]
enum Dst {
    /// Only into this transition's score.
    Fresh,
    /// A child role of a node.
    Child(u16, Role),
    /// The stack group of a node.
    Stack(u16),
    /// A group of a node with its children, and the node's child count it was made with.
    Kids(u16, usize, u16),
}

/// One sentence's kept group sums (see the module documentation), indexed by node.
#[derive(Default)]
pub(crate) struct ActionMemo {
    stat: Vec<[Sc; 4]>,
    child: Vec<[Sc; 8]>,
    /// Bit `r` set when `child[i][r]` is known.
    child_ok: Vec<u8>,
    stack: Vec<Sc>,
    stack_ok: Vec<bool>,
    kids: Vec<[Sc; 3]>,
    /// The child count each of `kids` was made with (`u16::MAX`: not yet).
    kids_at: Vec<[u16; 3]>,
    /// Planned runs: where each goes and where its features end.
    plan: Vec<(Dst, usize)>,
    /// The sum of the kept groups of the planned transition.
    kept: Sc,
}

impl ActionMemo {
    /// Start a sentence: forget everything, then sum the static groups of every node
    /// (`nd` holds the words and the root last).
    pub(crate) fn start(&mut self, w: &Weights, nd: &[Node], feats: &mut Vec<u64>) {
        let n = nd.len();
        self.stat.clear();
        self.stat.resize(n, [[0; 3]; 4]);
        self.child.clear();
        self.child.resize(n, [[0; 3]; 8]);
        self.child_ok.clear();
        self.child_ok.resize(n, 0);
        self.stack.clear();
        self.stack.resize(n, [0; 3]);
        self.stack_ok.clear();
        self.stack_ok.resize(n, false);
        self.kids.clear();
        self.kids.resize(n, [[0; 3]; 3]);
        self.kids_at.clear();
        self.kids_at.resize(n, [u16::MAX; 3]);
        // a few nodes at a time: all their loads first, then the sums
        const CHUNK: usize = 4;
        let at = |i: usize| nd.get(i).unwrap_or(&NO_NODE);
        let mut i0 = 0;
        while i0 < n {
            let i1 = (i0 + CHUNK).min(n);
            feats.clear();
            for (i, x) in nd.iter().enumerate().take(i1).skip(i0) {
                s0_features(x, feats);
                s1_features(x, feats);
                s2_features(x, feats);
                b_features(x, at(i + 1), at(i + 2), feats);
            }
            std::hint::black_box(w.touch(feats));
            for (k, i) in (i0..i1).enumerate() {
                let f = &feats[k * 22..(k + 1) * 22];
                self.stat[i] = [
                    w.dense_sum(&f[..4]),
                    w.dense_sum(&f[4..8]),
                    w.dense_sum(&f[8..10]),
                    w.dense_sum(&f[10..22]),
                ];
            }
            i0 = i1;
        }
    }

    /// Plan the score of the configuration `st`: add to `feats` the features of the groups
    /// not kept and of the fresh ones. [`ActionMemo::finish`] then sums them.
    pub(crate) fn plan(&mut self, c: &ActionConsts, st: &State, nd: &[Node], feats: &mut Vec<u64>) {
        self.plan.clear();
        feats.clear();
        let (s0, s1, s2, b) = (st.s(0), st.s(1), st.s(2), st.buf(0));
        let mut kept = [0; 3];
        // static groups
        let stat = |i: u16, g: usize, none: &Sc| -> Sc {
            match self.stat.get(i as usize) {
                Some(s) if i != NONE => s[g],
                _ => *none,
            }
        };
        add(&mut kept, &stat(s0, S0, &[0; 3]));
        add(&mut kept, &stat(s1, S1, &c.s1));
        add(&mut kept, &stat(s2, S2, &c.s2));
        add(&mut kept, &stat(b, B, &[0; 3]));
        // children in their roles
        let get = |v: &Vec<u16>, i: u16| -> u16 {
            if i == NONE {
                NONE
            } else {
                v[i as usize]
            }
        };
        for (role, ch) in [
            (Role::S0L, get(&st.lc1, s0)),
            (Role::S0R, get(&st.rc1, s0)),
            (Role::S1R, get(&st.rc1, s1)),
            (Role::B0L, get(&st.lc1, b)),
            (Role::S1L, get(&st.lc1, s1)),
            (Role::S0L2, get(&st.lc2, s0)),
            (Role::S0R2, get(&st.rc2, s0)),
            (Role::B0L2, get(&st.lc2, b)),
        ] {
            let r = role as usize;
            if ch == NONE {
                add(&mut kept, &c.child[r]);
            } else if self.child_ok[ch as usize] & (1 << r) != 0 {
                add(&mut kept, &self.child[ch as usize][r]);
            } else {
                child_features(role, node(nd, ch), st.label[ch as usize] as u64, feats);
                self.plan.push((Dst::Child(ch, role), feats.len()));
            }
        }
        // the stack top with the nodes below it
        if self.stack_ok[s0 as usize] {
            add(&mut kept, &self.stack[s0 as usize]);
        } else {
            let (n2, n1, n0) = (node(nd, s2), node(nd, s1), node(nd, s0));
            stack_features(n2, n1, n0, dist(s1, s0), feats);
            self.plan.push((Dst::Stack(s0), feats.len()));
        }
        // nodes with their children
        for (g, i) in [(DS0, s0), (DS1, s1), (DB, b)] {
            if i == NONE {
                // only s1 can be missing here
                add(&mut kept, &c.ds1);
                continue;
            }
            let at = st.kids[i as usize];
            if self.kids_at[i as usize][g] == at {
                add(&mut kept, &self.kids[i as usize][g]);
                continue;
            }
            let k = kids(st, nd, i);
            match g {
                DS0 => s0_kid_features(&k, feats),
                DS1 => s1_kid_features(&k, feats),
                _ => b_kid_features(&k, feats),
            }
            self.plan.push((Dst::Kids(i, g, at), feats.len()));
        }
        fresh_features(st, nd, feats);
        self.plan.push((Dst::Fresh, feats.len()));
        self.kept = kept;
    }

    /// The scores of the planned configuration, once the buckets of `feats` (as
    /// [`ActionMemo::plan`] left them) were touched; the groups summed are kept.
    pub(crate) fn finish(&mut self, w: &Weights, feats: &[u64]) -> Sc {
        let mut acc = self.kept;
        let mut from = 0;
        for &(dst, end) in &self.plan {
            let v = w.dense_sum(&feats[from..end]);
            from = end;
            add(&mut acc, &v);
            match dst {
                Dst::Fresh => {}
                Dst::Child(i, r) => {
                    self.child[i as usize][r as usize] = v;
                    self.child_ok[i as usize] |= 1 << r as usize;
                }
                Dst::Stack(i) => {
                    self.stack[i as usize] = v;
                    self.stack_ok[i as usize] = true;
                }
                Dst::Kids(i, g, at) => {
                    self.kids[i as usize][g] = v;
                    self.kids_at[i as usize][g] = at;
                }
            }
        }
        acc
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parser::{action_features, LEFT, RIGHT, SHIFT};

    /// Every feature of every group, for a configuration (the stack not empty).
    fn grouped(st: &State, nd: &[Node]) -> Vec<u64> {
        let (s0, s1, s2, b) = (st.s(0), st.s(1), st.s(2), st.buf(0));
        let node = |i: u16| node(nd, i);
        let at = |i: usize| nd.get(i).unwrap_or(&NO_NODE);
        let mut v = Vec::new();
        s0_features(node(s0), &mut v);
        s1_features(node(s1), &mut v);
        s2_features(node(s2), &mut v);
        b_features(node(b), at(b as usize + 1), at(b as usize + 2), &mut v);
        let get = |x: &Vec<u16>, i: u16| if i == NONE { NONE } else { x[i as usize] };
        let lab = |i: u16| {
            if i == NONE {
                0xEE
            } else {
                st.label[i as usize] as u64
            }
        };
        for (role, ch) in [
            (Role::S0L, get(&st.lc1, s0)),
            (Role::S0R, get(&st.rc1, s0)),
            (Role::S1R, get(&st.rc1, s1)),
            (Role::B0L, get(&st.lc1, b)),
            (Role::S1L, get(&st.lc1, s1)),
            (Role::S0L2, get(&st.lc2, s0)),
            (Role::S0R2, get(&st.rc2, s0)),
            (Role::B0L2, get(&st.lc2, b)),
        ] {
            child_features(role, node(ch), lab(ch), &mut v);
        }
        stack_features(node(s2), node(s1), node(s0), dist(s1, s0), &mut v);
        s0_kid_features(&kids(st, nd, s0), &mut v);
        s1_kid_features(&kids(st, nd, s1), &mut v);
        b_kid_features(&kids(st, nd, b), &mut v);
        fresh_features(st, nd, &mut v);
        v
    }

    #[test]
    fn the_groups_are_the_features() {
        // random legal transitions over sentences of random nodes
        let mut rng = crate::train::Rng::new(11);
        for n in [1usize, 2, 3, 5, 9, 20] {
            for _ in 0..20 {
                let nd: Vec<Node> = (0..n)
                    .map(|i| Node {
                        w: 1000 + (rng.next_f64() * 5.0) as u64,
                        p: (rng.next_f64() * 50.0) as u64,
                        u: (rng.next_f64() * 17.0) as u64,
                        c: i as u64 % 3,
                        suf: 7,
                    })
                    .chain([crate::parser::ROOT_NODE])
                    .collect();
                let mut st = State::default();
                st.reset(n);
                while !st.terminal() {
                    if !st.stack.is_empty() {
                        let mut all = Vec::new();
                        action_features(&st, &nd, &mut all);
                        let mut g = grouped(&st, &nd);
                        all.sort_unstable();
                        g.sort_unstable();
                        assert_eq!(all, g);
                    }
                    let legal: Vec<usize> = [SHIFT, LEFT, RIGHT]
                        .into_iter()
                        .filter(|&a| st.legal(a))
                        .collect();
                    let a = legal[(rng.next_f64() * legal.len() as f64) as usize];
                    st.apply(a, (rng.next_f64() * 50.0) as u8 + 1);
                }
            }
        }
    }
}
