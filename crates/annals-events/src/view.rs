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
    /// Relation, universal and Penn tag of each token: the parse's, unless
    /// [`Sent::repair_predicate`] changed them.
    rels: Vec<&'static str>,
    upos: Vec<&'static str>,
    xpos: Vec<&'static str>,
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
            rels: toks.iter().map(|t| t.syn.deprel.as_str()).collect(),
            upos: toks.iter().map(|t| t.syn.upos.as_str()).collect(),
            xpos: toks.iter().map(|t| t.syn.xpos.as_str()).collect(),
        })
    }

    /// The root read as a noun that is a past form after the noun it governs: "Turkey
    /// shot down a Russian warplane" (shot/NOUN, Turkey/compound, warplane/nmod with
    /// "down" for its case).
    fn root_verb(&mut self, root: usize, past: &dyn Fn(&str) -> bool) -> bool {
        let Some(subj) = self.kids[root]
            .iter()
            .copied()
            .rfind(|&k| k < root && matches!(self.rels[k], "compound" | "nmod:poss"))
        else {
            return false;
        };
        let next_to = (subj + 1..root).all(|i| self.upos[i] == "ADV");
        if !matches!(self.upos[root], "NOUN" | "PROPN") || !past(&self.lower[root]) || !next_to {
            return false;
        }
        self.upos[root] = "VERB";
        self.xpos[root] = "VBD";
        self.rels[subj] = "nsubj";
        let right: Vec<usize> = self.kids[root]
            .iter()
            .copied()
            .filter(|&k| k > root)
            .collect();
        for k in right {
            if !matches!(self.rels[k], "nmod" | "compound" | "appos") {
                continue;
            }
            // a particle the parse took for a preposition: "shot down a warplane"
            let particle = self.kids[k].iter().copied().find(|&c| {
                self.rels[c] == "case"
                    && c == root + 1
                    && matches!(self.lower[c].as_str(), "down" | "up" | "off" | "out")
            });
            match particle {
                Some(c) => {
                    self.head[c] = Some(root);
                    self.rels[c] = "compound:prt";
                    self.rels[k] = "obj";
                }
                None if self.kids[k].iter().any(|&c| self.rels[c] == "case") => {
                    self.rels[k] = "obl"
                }
                None => self.rels[k] = "obj",
            }
        }
        let n = self.len();
        let mut kids = vec![Vec::new(); n];
        for (i, h) in self.head.iter().enumerate() {
            if let Some(h) = *h {
                if h != i {
                    kids[h].push(i);
                }
            }
        }
        self.kids = kids;
        true
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
        self.rels[i]
    }

    /// The universal part of speech of token `i`.
    pub fn upos(&self, i: usize) -> &'static str {
        self.upos[i]
    }

    /// The Penn tag of token `i`.
    pub fn xpos(&self, i: usize) -> &'static str {
        self.xpos[i]
    }

    /// A passive subject of a verb with no passive auxiliary that is in a finite active
    /// form or has a direct object ("Both sides then held talks", parsed as a passive)
    /// is its subject. Returns whether the tree changed.
    pub fn repair_voice(&mut self) -> bool {
        let mut changed = false;
        for i in 0..self.len() {
            let Some(h) = self.head[i] else { continue };
            let active = matches!(self.xpos[h], "VBD" | "VBZ" | "VBP")
                || self.kids[h].iter().any(|&k| self.rels[k] == "obj");
            if self.rels[i] == "nsubj:pass"
                && active
                && !self.kids[h].iter().any(|&k| self.rels[k] == "aux:pass")
            {
                self.rels[i] = "nsubj";
                changed = true;
            }
        }
        changed
    }

    /// Give a sentence the parse left without a predicate its verb: a greedy parse reads
    /// "Kenyan police abused Somali immigrants" or "Hundreds of people blocked streets"
    /// as one noun phrase, the verb a modifier of a noun. A sentence whose root is a
    /// nominal (not a verb, no copula) and that has a past-tense verb (or a word `past`
    /// knows as a past form, tagged as an adjective) right after a noun phrase, modifying
    /// a noun, has that verb for its root: the phrase before it becomes its subject (the
    /// passive's, before "by"), the phrase after it its object, and what hung on the
    /// subject after the verb ("from Somali militants") its obliques. A root that is
    /// itself a past form after a noun ("Turkey shot down a warplane", "shot" a noun
    /// with "Turkey" its compound) is the verb, the noun its subject. Returns whether the
    /// tree changed.
    pub fn repair_predicate(&mut self, past: &dyn Fn(&str) -> bool) -> bool {
        let n = self.len();
        let Some(root) = (0..n).find(|&i| self.head[i].is_none()) else {
            return false;
        };
        let nominal = |u: &str| matches!(u, "NOUN" | "PROPN" | "PRON" | "NUM" | "ADJ");
        if !nominal(self.upos[root]) || self.kids[root].iter().any(|&k| self.rels[k] == "cop") {
            return false;
        }
        // a clause with a subject of its own under a nominal root is the sentence's
        // predicate ("LYON: Interpol has said …")
        let clause = (0..n).any(|i| {
            matches!(self.rels[i], "nsubj" | "nsubj:pass" | "csubj")
                && self.head[i].is_some_and(|h| matches!(self.upos[h], "VERB" | "AUX"))
        });
        if clause {
            return false;
        }
        if self.root_verb(root, past) {
            return true;
        }
        let left_nominal = |v: usize| {
            let mut l = v;
            while l > 0 && self.upos[l - 1] == "ADV" {
                l -= 1;
            }
            (l > 0 && matches!(self.upos[l - 1], "NOUN" | "PROPN")).then(|| l - 1)
        };
        let candidate = |v: usize| -> Option<(u8, usize)> {
            // a past tense first; then a participle with an object ("abused Somali
            // immigrants"); then one right before its noun ("guided missiles"); last one
            // followed by a preposition, a modifier more likely ("affiliated with")
            let past_form = match (self.upos[v], self.xpos[v]) {
                ("VERB", "VBD") => true,
                ("VERB", "VBN") => false,
                ("VERB" | "ADJ" | "NOUN", _) if past(&self.lower[v]) => false,
                _ => return None,
            };
            let next = (v + 1 < n).then_some(v + 1);
            let past = match next {
                _ if past_form => 0,
                Some(x) if matches!(self.upos[x], "ADP" | "SCONJ") => 3,
                Some(x) if self.head[v] == Some(x) => 2,
                _ => 1,
            };
            let modifier = matches!(self.rels[v], "amod" | "acl" | "compound" | "conj" | "advcl");
            let own_clause = self.kids[v]
                .iter()
                .any(|&k| matches!(self.rels[k], "mark" | "nsubj" | "nsubj:pass" | "aux"));
            let on_nominal =
                self.rels[v] == "advcl" || self.head[v].is_some_and(|h| nominal(self.upos[h]));
            if !modifier || own_clause || !on_nominal {
                return None;
            }
            Some((past, left_nominal(v)?))
        };
        let Some((v, l)) = (0..n)
            .filter_map(|v| candidate(v).map(|(rank, l)| (rank, v, l)))
            .min()
            .map(|(_, v, l)| (v, l))
        else {
            return false;
        };
        // the subject: the top of the phrase that ends before the verb
        let mut subj = l;
        while let Some(h) = self.head[subj].filter(|&h| h < v) {
            subj = h;
        }
        // the object: the top of the phrase that starts after it
        let first_after = (v + 1..n).find(|&i| self.upos[i] != "PUNCT");
        let passive = first_after.is_some_and(|i| self.lower[i] == "by");
        let mut obj = first_after;
        while let Some(h) = obj.and_then(|o| self.head[o]).filter(|&h| h > v) {
            obj = Some(h);
        }
        let old_head = self.head.clone();
        self.head[v] = None;
        self.rels[v] = "root";
        if self.upos[v] != "VERB" {
            self.upos[v] = "VERB";
            self.xpos[v] = "VBD";
        }
        self.head[subj] = Some(v);
        self.rels[subj] = if passive { "nsubj:pass" } else { "nsubj" };
        let obj = obj.filter(|&o| o != v && o != subj);
        if let Some(o) = obj {
            let case = self.kids[o].iter().any(|&k| self.rels[k] == "case");
            if old_head[o] != Some(v) || (self.rels[o] == "obl:agent" && !case) {
                self.head[o] = Some(v);
                self.rels[o] = match (case, passive) {
                    (true, true) => "obl:agent",
                    (true, false) => "obl",
                    (false, _) => "obj",
                };
            }
        }
        for (i, &was) in old_head.iter().enumerate() {
            if i == v || i == subj || Some(i) == obj {
                continue;
            }
            match was {
                // what the subject's phrase had after the verb is the verb's
                Some(h) if h < v && i > v && self.head[i] == Some(h) => {
                    match (self.rels[i], obj) {
                        // more of the object: "shelled positions and a base"
                        ("conj" | "appos", Some(o)) => self.head[i] = Some(o),
                        ("conj" | "appos", None) => {
                            self.head[i] = Some(v);
                            self.rels[i] = "obj";
                        }
                        ("nmod", _) => {
                            self.head[i] = Some(v);
                            self.rels[i] = "obl";
                        }
                        _ => self.head[i] = Some(v),
                    }
                }
                // and what the object's phrase had before it is the subject's
                Some(h) if h > v && i < v && self.head[i] == Some(h) => {
                    self.head[i] = Some(subj);
                }
                _ => {}
            }
        }
        let mut kids = vec![Vec::new(); n];
        for (i, h) in self.head.iter().enumerate() {
            if let Some(h) = *h {
                if h != i {
                    kids[h].push(i);
                }
            }
        }
        self.kids = kids;
        true
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
        self.phrase_actor_at(h).and_then(|t| self.actor[t])
    }

    /// The token whose actor [`Sent::phrase_actor`] gives.
    fn phrase_actor_at(&self, h: usize) -> Option<usize> {
        if self.actor[h].is_some() {
            return Some(h);
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
                if self.actor[k].is_some() {
                    return Some(k);
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
    }

    /// The actors of a nominal and of its conjuncts: "Obama and Putin", also when the
    /// coordination is of the words that name them ("the Turkish and Greek sides").
    pub fn phrase_actors(&self, h: usize) -> Vec<u32> {
        let at = self.phrase_actor_at(h);
        let mut out: Vec<u32> = at.and_then(|t| self.actor[t]).into_iter().collect();
        let modifier = at.filter(|&t| t != h && self.head[t] == Some(h));
        let mut conjuncts: Vec<usize> = self
            .children(h, "conj")
            .chain(modifier.into_iter().flat_map(|t| self.children(t, "conj")))
            .collect();
        // "A, B and C" may chain each conjunct to the one before
        let mut k = 0;
        while k < conjuncts.len() && conjuncts.len() < 16 {
            for c in self.children(conjuncts[k], "conj").collect::<Vec<_>>() {
                if !conjuncts.contains(&c) {
                    conjuncts.push(c);
                }
            }
            k += 1;
        }
        for c in conjuncts {
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
