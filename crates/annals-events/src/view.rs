//! One sentence as the coder reads it: lower-case words, the dependency tree with child
//! lists, and the actor each token names.

use annals_model::{Document, Token};

/// Relations that open a clause of its own: the coder does not look through them for a
/// predicate's arguments or pattern words.
pub fn is_clause_rel(rel: &str) -> bool {
    matches!(
        rel,
        "ccomp"
            | "advcl"
            | "parataxis"
            | "acl"
            | "acl:relcl"
            | "csubj"
            | "list"
            | "discourse"
            | "vocative"
            | "reparandum"
    )
}

/// One sentence, indexed.
pub struct Sent<'d> {
    /// The document.
    pub doc: &'d Document,
    /// The sentence's index in the document.
    pub index: usize,
    /// Index in `doc.tokens` of the first token.
    pub first: usize,
    /// Lower-case forms.
    pub lower: Vec<String>,
    /// Head of each token (sentence positions), `None` for the root or unparsed.
    pub head: Vec<Option<usize>>,
    /// Children of each token, in order.
    pub kids: Vec<Vec<usize>>,
    /// The actor each token names (the outermost mention covering it).
    pub actor: Vec<Option<u32>>,
    /// The time expressions of the sentence, their ranges relative to its start.
    pub times: Vec<annals_time::TimeExpr>,
    /// Whether each token lies inside a time expression ("today", "on Tuesday").
    pub timed: Vec<bool>,
}

impl<'d> Sent<'d> {
    /// The view of sentence `index`; `mention_of` is [`mention_of_tokens`] of the document.
    pub fn new(doc: &'d Document, index: usize, mention_of: &[Option<u32>]) -> Option<Self> {
        let s = doc.sentences.get(index)?;
        let first = s.tokens.start as usize;
        let toks = doc.tokens.get(first..s.tokens.end as usize)?;
        let n = toks.len();
        let lower = toks.iter().map(|t| form(doc, t).to_lowercase()).collect();
        let head: Vec<Option<usize>> = toks
            .iter()
            .map(|t| match t.syn.head {
                0 | u16::MAX => None,
                h if (h as usize) <= n => Some(h as usize - 1),
                _ => None,
            })
            .collect();
        let mut kids = vec![Vec::new(); n];
        for (i, h) in head.iter().enumerate() {
            if let Some(h) = *h {
                if h != i {
                    kids[h].push(i);
                }
            }
        }
        let actor = (first..first + n)
            .map(|t| mention_of.get(t).copied().flatten())
            .collect();
        let at = s.range.start;
        let times = annals_time::scan(doc.body.get(s.range.as_usize()).unwrap_or(""));
        let timed = toks
            .iter()
            .map(|t| {
                times.iter().any(|te| {
                    t.range.start >= at + te.range.start as u32
                        && t.range.end <= at + te.range.end as u32
                })
            })
            .collect();
        Some(Sent {
            doc,
            index,
            first,
            lower,
            head,
            kids,
            actor,
            times,
            timed,
        })
    }

    /// Tokens in the sentence.
    pub fn len(&self) -> usize {
        self.lower.len()
    }

    /// True for a sentence without tokens.
    pub fn is_empty(&self) -> bool {
        self.lower.is_empty()
    }

    /// Token `i` of the sentence.
    pub fn tok(&self, i: usize) -> &'d Token {
        &self.doc.tokens[self.first + i]
    }

    /// The dependency relation of token `i`.
    pub fn rel(&self, i: usize) -> &'static str {
        self.tok(i).syn.deprel.as_str()
    }

    /// The universal part of speech of token `i`.
    pub fn upos(&self, i: usize) -> &'static str {
        self.tok(i).syn.upos.as_str()
    }

    /// The Penn tag of token `i`.
    pub fn xpos(&self, i: usize) -> &'static str {
        self.tok(i).syn.xpos.as_str()
    }

    /// The lower-case form of token `i`.
    pub fn word(&self, i: usize) -> &str {
        &self.lower[i]
    }

    /// The first child of `i` with relation `rel` (or, for a bare relation, any subtype).
    pub fn child(&self, i: usize, rel: &str) -> Option<usize> {
        self.kids[i].iter().copied().find(|&k| {
            let r = self.rel(k);
            r == rel || (!rel.contains(':') && r.split(':').next() == Some(rel))
        })
    }

    /// Children of `i` with relation `rel` or a subtype of it.
    pub fn children<'a>(&'a self, i: usize, rel: &'a str) -> impl Iterator<Item = usize> + 'a {
        self.kids[i]
            .iter()
            .copied()
            .filter(move |&k| self.rel(k) == rel || self.rel(k).split(':').next() == Some(rel))
    }

    /// The case marker (preposition) of a nominal: "with" in "with Putin".
    pub fn case_of(&self, i: usize) -> Option<&str> {
        self.kids[i]
            .iter()
            .copied()
            .find(|&k| self.rel(k) == "case" && self.upos(k) != "PART")
            .map(|k| self.word(k))
    }

    /// Tokens of the subtree of `i` in sentence order, not entering the children whose
    /// relation `skip` accepts.
    pub fn subtree(&self, i: usize, skip: &dyn Fn(&str) -> bool) -> Vec<usize> {
        let mut out = vec![i];
        let mut stack = vec![i];
        while let Some(t) = stack.pop() {
            for &k in &self.kids[t] {
                if !skip(self.rel(k)) && !out.contains(&k) {
                    out.push(k);
                    stack.push(k);
                }
            }
        }
        out.sort_unstable();
        out
    }

    /// The actor a nominal names: its own, else the nearest one inside its phrase
    /// (breadth-first, not through clauses, conjuncts or prepositional phrases other than
    /// "of").
    pub fn phrase_actor(&self, h: usize) -> Option<u32> {
        if let Some(a) = self.actor[h] {
            return Some(a);
        }
        let mut queue = std::collections::VecDeque::from([h]);
        let mut seen = 0;
        while let Some(t) = queue.pop_front() {
            seen += 1;
            if seen > 24 {
                break;
            }
            for &k in &self.kids[t] {
                let r = self.rel(k);
                if is_clause_rel(r)
                    || matches!(
                        r,
                        "conj" | "cc" | "punct" | "case" | "det" | "amod" | "appos"
                    )
                {
                    continue;
                }
                if r == "nmod" && !matches!(self.case_of(k), Some("of") | None) {
                    continue;
                }
                if let Some(a) = self.actor[k] {
                    return Some(a);
                }
                queue.push_back(k);
            }
        }
        // an adjective of a country names the actor when nothing else does
        // ("Russian warplanes")
        self.kids[h]
            .iter()
            .copied()
            .find(|&k| self.rel(k) == "amod" && self.actor[k].is_some())
            .and_then(|k| self.actor[k])
    }

    /// The actors of a nominal and of its conjuncts: "Obama and Putin".
    pub fn phrase_actors(&self, h: usize) -> Vec<u32> {
        let mut out: Vec<u32> = self.phrase_actor(h).into_iter().collect();
        for c in self.children(h, "conj") {
            if let Some(a) = self.phrase_actor(c) {
                if !out.contains(&a) {
                    out.push(a);
                }
            }
        }
        out
    }

    /// The body range of token `i`.
    pub fn range(&self, i: usize) -> annals_model::TextRange {
        self.tok(i).range
    }
}

fn form<'d>(doc: &'d Document, t: &Token) -> &'d str {
    doc.body.get(t.range.as_usize()).unwrap_or("")
}

/// The outermost mention covering each token of the document: its actor.
pub fn mention_of_tokens(doc: &Document) -> Vec<Option<u32>> {
    let n = doc.tokens.len();
    let mut out: Vec<Option<u32>> = vec![None; n];
    let mut span: Vec<u32> = vec![0; n];
    let mut ti = 0usize;
    for m in &doc.mentions {
        while ti < n && doc.tokens[ti].range.end <= m.range.start {
            ti += 1;
        }
        let len = m.range.end.saturating_sub(m.range.start);
        let mut t = ti;
        while t < n && doc.tokens[t].range.start < m.range.end {
            if out[t].is_none() || span[t] < len {
                out[t] = Some(m.actor);
                span[t] = len;
            }
            t += 1;
        }
    }
    out
}

/// Is `t` inside the clause headed by `clause` (not inside a clause nested deeper)?
pub(crate) fn in_clause(s: &Sent, t: usize, clause: usize) -> bool {
    let mut x = t;
    for _ in 0..s.len() {
        if x == clause {
            return true;
        }
        match s.head[x] {
            Some(h) => x = h,
            None => return false,
        }
    }
    false
}
