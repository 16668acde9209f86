//! Reading relations and stances off one document's parse.

use crate::lexicon::{Class, Cue, Lexicon, Pos};
use annals_events::view::{mention_of_tokens, Sent};
use annals_model::{
    ActorType, Document, MentionHow, Polarity, Relation, RelationKind, Stance, TextRange,
};

/// Most tokens a topic phrase keeps.
const TOPIC_TOKENS: usize = 18;

struct Ctx<'d> {
    doc: &'d Document,
    lex: &'d Lexicon,
    mention_of: Vec<Option<u32>>,
    /// The outermost mention (index into `doc.mentions`) covering each token.
    mention_at: Vec<Option<u32>>,
    relations: Vec<Relation>,
    stances: Vec<Stance>,
}

/// The relations and stances of a document.
pub(crate) fn extract(lex: &Lexicon, doc: &Document) -> (Vec<Relation>, Vec<Stance>) {
    let mut cx = Ctx {
        doc,
        lex,
        mention_of: mention_of_tokens(doc),
        mention_at: mention_at_tokens(doc),
        relations: Vec::new(),
        stances: Vec::new(),
    };
    for si in 0..doc.sentences.len() {
        let Some(s) = Sent::new(doc, si, &cx.mention_of) else {
            continue;
        };
        cx.sentence(&s);
    }
    let mut rels = cx.relations;
    rels.dedup_by(|a, b| a.a == b.a && a.b == b.b && a.kind == b.kind && a.sentence == b.sentence);
    let mut st = cx.stances;
    st.dedup_by(|a, b| {
        a.holder == b.holder
            && a.topic == b.topic
            && a.polarity == b.polarity
            && a.sentence == b.sentence
    });
    (rels, st)
}

fn mention_at_tokens(doc: &Document) -> Vec<Option<u32>> {
    let n = doc.tokens.len();
    let mut out: Vec<Option<u32>> = vec![None; n];
    let mut span: Vec<u32> = vec![0; n];
    let mut ti = 0usize;
    for (mi, m) in doc.mentions.iter().enumerate() {
        while ti < n && doc.tokens[ti].range.end <= m.range.start {
            ti += 1;
        }
        let len = m.range.len() as u32;
        let mut t = ti;
        while t < n && doc.tokens[t].range.start < m.range.end {
            if out[t].is_none() || span[t] < len {
                out[t] = Some(mi as u32);
                span[t] = len;
            }
            t += 1;
        }
    }
    out
}

impl<'d> Ctx<'d> {
    fn kind(&self, a: u32) -> ActorType {
        self.doc
            .actors
            .get(a as usize)
            .map_or(ActorType::Other, |x| x.kind)
    }

    fn sentence(&mut self, s: &Sent) {
        for i in 0..s.len() {
            self.compounds(s, i);
            self.coalition(s, i);
            self.modal_stance(s, i);
            let cues: Vec<&Cue> = self.lex.cues(s.word(i)).collect();
            for cue in cues {
                if !pos_fits(cue.pos, s.upos(i), s.xpos(i)) {
                    continue;
                }
                if let Some(p) = &cue.particle {
                    let has = s.kids[i]
                        .iter()
                        .any(|&k| s.word(k) == p && matches!(s.upos(k), "ADP" | "ADV" | "PART"));
                    let next = i + 1 < s.len() && s.word(i + 1) == p;
                    if !has && !next {
                        continue;
                    }
                }
                match cue.pos {
                    Pos::Verb | Pos::Adj => self.predicate(s, i, cue),
                    Pos::Noun => self.nominal(s, i, cue),
                }
            }
        }
    }

    // ----- who -----

    /// The actors of the subject of predicate `i`, through control, coordination,
    /// participles and passives; a first-person or missing subject inside a quote is its
    /// speaker.
    fn holders(&self, s: &Sent, i: usize) -> Vec<u32> {
        if s.rel(i) == "csubj" {
            return Vec::new(); // "Teaming up with Assad was …": nobody's in particular
        }
        let mut at = i;
        for _ in 0..5 {
            // a passive's agent
            if s.child(at, "nsubj:pass").is_some() {
                let agent = s.kids[at].iter().copied().find(|&k| {
                    s.rel(k) == "obl:agent" || (s.rel(k) == "obl" && s.case_of(k) == Some("by"))
                });
                return agent.map(|k| s.phrase_actors(k)).unwrap_or_default();
            }
            if let Some(subj) = s.child(at, "nsubj") {
                let a = s.phrase_actors(subj);
                if !a.is_empty() {
                    return a;
                }
                if matches!(s.word(subj), "i" | "we" | "us") {
                    return self.speaker(s, subj).into_iter().collect();
                }
                // a relative pronoun: the nearest phrase above that names an actor
                if matches!(s.word(subj), "that" | "which" | "who") {
                    let mut up = at;
                    for _ in 0..5 {
                        let Some(h) = s.head[up] else { break };
                        if s.actor[h].is_some() {
                            return s.phrase_actors(h);
                        }
                        up = h;
                    }
                    return Vec::new();
                }
                // "the two countries", "they": the reporting clause's speaker
                return self.reporter(s, at).into_iter().collect();
            }
            let Some(h) = s.head[at] else { break };
            // a participle hanging on a name: "Iran and Russia, supporting Assad"
            if s.actor[h].is_some() && matches!(s.upos(h), "NOUN" | "PROPN") {
                return s.phrase_actors(h);
            }
            match s.rel(at) {
                "xcomp" | "conj" | "advcl" => at = h,
                "acl" | "amod" => return s.phrase_actor(h).into_iter().collect(),
                "acl:relcl" => return s.phrase_actor(h).into_iter().collect(),
                _ => break,
            }
        }
        self.speaker(s, i).into_iter().collect()
    }

    /// The speaker of the quote or reported speech that holds token `i`.
    fn speaker(&self, s: &Sent, i: usize) -> Option<u32> {
        let r = s.range(i);
        self.doc
            .quotes
            .iter()
            .filter(|q| q.range.start <= r.start && r.end <= q.range.end)
            .find_map(|q| q.speaker)
    }

    /// The subject of the speech verb whose complement holds `i`, or the quote's speaker.
    fn reporter(&self, s: &Sent, i: usize) -> Option<u32> {
        let mut at = i;
        for _ in 0..4 {
            let h = s.head[at]?;
            if s.rel(at) == "ccomp" || s.rel(at) == "parataxis" {
                if let Some(subj) = s.child(h, "nsubj") {
                    if let Some(a) = s.phrase_actor(subj) {
                        return Some(a);
                    }
                }
            }
            at = h;
        }
        self.speaker(s, i)
    }

    // ----- modifiers -----

    fn negated(&self, s: &Sent, i: usize) -> bool {
        let own = s.kids[i].iter().any(|&k| {
            matches!(s.rel(k), "advmod" | "neg" | "det") && self.lex.is("negation", s.word(k))
        });
        // "refuse to cooperate", "failed to resolve"
        let refused = s.rel(i) == "xcomp"
            && s.head[i]
                .is_some_and(|h| self.lex.cues(s.word(h)).any(|c| c.class == Class::Refuse));
        // "did not support backing Assad": the governing verb's negation
        let governed = matches!(s.rel(i), "xcomp" | "obj" | "ccomp")
            && s.head[i].is_some_and(|h| {
                s.kids[h].iter().any(|&k| {
                    matches!(s.rel(k), "advmod" | "neg") && self.lex.is("negation", s.word(k))
                })
            });
        own ^ refused ^ governed
    }

    fn hedged(&self, s: &Sent, i: usize) -> bool {
        let mut at = i;
        for _ in 0..3 {
            if s.kids[at]
                .iter()
                .any(|&k| matches!(s.rel(k), "aux" | "advmod") && self.lex.is("hedge", s.word(k)))
            {
                return true;
            }
            if self.conditioned(s, at) {
                return true;
            }
            match (s.rel(at), s.head[at]) {
                ("xcomp" | "conj", Some(h)) => at = h,
                _ => break,
            }
        }
        false
    }

    /// True when a clause of condition hangs on `i` ("if it changes its strategy").
    fn conditioned(&self, s: &Sent, i: usize) -> bool {
        s.children(i, "advcl").any(|c| {
            s.kids[c]
                .iter()
                .any(|&k| s.rel(k) == "mark" && self.lex.is("condition", s.word(k)))
        }) || s.kids[i]
            .iter()
            .any(|&k| s.rel(k) == "mark" && self.lex.is("condition", s.word(k)))
    }

    // ----- output -----

    fn relation(
        &mut self,
        s: &Sent,
        a: u32,
        b: u32,
        kind: RelationKind,
        cue: TextRange,
        hedged: bool,
    ) {
        if a == b {
            return;
        }
        // a person's relation to their own country or office is no news
        let (x, y) = (&self.doc.actors[a as usize], &self.doc.actors[b as usize]);
        let person_of = |p: &annals_model::DocActor, c: &annals_model::DocActor| {
            p.kind == ActorType::Person && p.affiliation.as_deref() == Some(c.id.as_str())
        };
        if (person_of(x, y) || person_of(y, x)) && kind != RelationKind::MemberOf {
            return;
        }
        self.relations.push(Relation {
            a,
            b,
            kind,
            sentence: s.index as u32,
            cue,
            hedged,
        });
    }

    fn stance(
        &mut self,
        s: &Sent,
        holder: u32,
        head: usize,
        extra: &[usize],
        polarity: Polarity,
        cue: TextRange,
    ) {
        let mut toks = s.subtree(head, &|r| r == "punct" || r == "parataxis");
        for &e in extra {
            for t in s.subtree(e, &|r| r == "punct") {
                if !toks.contains(&t) {
                    toks.push(t);
                }
            }
        }
        toks.sort_unstable();
        while toks.first().is_some_and(|&t| {
            matches!(s.rel(t), "mark" | "cc" | "punct" | "case" | "advmod") && t != head
        }) {
            toks.remove(0);
        }
        if toks.is_empty() {
            return;
        }
        toks.truncate(TOPIC_TOKENS);
        let (topic, actors) = self.render(s, &toks);
        if topic.split_whitespace().count() == 0 {
            return;
        }
        let range = TextRange {
            start: s.range(toks[0]).start,
            end: s.range(*toks.last().unwrap()).end,
        };
        // a person's staying in power
        let removal = toks.iter().any(|&t| {
            let w = s.word(t);
            self.lex.markers("removal").iter().any(|m| {
                m.split(' ').next().is_some_and(|m0| w.starts_with(m0)) && w.len() <= m.len() + 3
            })
        });
        let in_power = toks.iter().any(|&t| self.lex.is("power", s.word(t)));
        let person = actors
            .iter()
            .copied()
            .find(|&a| self.kind(a) == ActorType::Person && a != holder);
        if let Some(p) = person.filter(|_| removal || in_power) {
            let staying = if removal && !in_power {
                match polarity {
                    Polarity::Support => Polarity::Oppose,
                    Polarity::Oppose => Polarity::Support,
                    c => c,
                }
            } else {
                polarity
            };
            if removal && !in_power && polarity == Polarity::Support {
                self.relation(s, holder, p, RelationKind::Opposes, cue, false);
            }
            self.stances.push(Stance {
                holder,
                topic: format!("{} staying in power", self.doc.actors[p as usize].name),
                topic_range: range,
                topic_actors: vec![p],
                polarity: staying,
                sentence: s.index as u32,
                cue,
            });
        }
        self.stances.push(Stance {
            holder,
            topic,
            topic_range: range,
            topic_actors: actors,
            polarity,
            sentence: s.index as u32,
            cue,
        });
    }

    /// A phrase with its actor mentions written as the actors' names.
    fn render(&self, s: &Sent, toks: &[usize]) -> (String, Vec<u32>) {
        let mut out = String::new();
        let mut actors = Vec::new();
        let mut last_mention = None;
        for (n, &t) in toks.iter().enumerate() {
            let ti = s.first + t;
            let m = self.mention_at.get(ti).copied().flatten();
            if m.is_some() && m == last_mention {
                continue;
            }
            last_mention = m;
            if n > 0 && (toks[n - 1] + 1 != t || s.tok(toks[n - 1]).space_after) {
                out.push(' ');
            }
            match m.map(|m| &self.doc.mentions[m as usize]) {
                Some(men) => {
                    let a = &self.doc.actors[men.actor as usize];
                    if !actors.contains(&men.actor) {
                        actors.push(men.actor);
                    }
                    if men.how == MentionHow::Adjective {
                        out.push_str(self.doc.text(men.range));
                    } else {
                        out.push_str(&a.name);
                    }
                }
                None => out.push_str(self.doc.text(s.range(t))),
            }
        }
        (out.trim().to_string(), actors)
    }

    // ----- predicates -----

    /// The heads a cue's other side or topic may be: objects, and obliques and
    /// complements with the cue's prepositions.
    fn complements(&self, s: &Sent, i: usize, cue: &Cue) -> (Vec<usize>, Vec<usize>) {
        let mut objects = Vec::new();
        let mut clauses = Vec::new();
        for &k in &s.kids[i] {
            let r = s.rel(k);
            let case = s.case_of(k);
            match r {
                "obj" | "iobj" if cue.preps.is_empty() || cue.pos == Pos::Verb => objects.push(k),
                "obl" | "nmod" if case.is_some_and(|c| cue.preps.iter().any(|p| p == c)) => {
                    objects.push(k)
                }
                "xcomp" | "ccomp" | "csubj" => clauses.push(k),
                // "called for him to leave power"
                "advcl"
                    if cue.class == Class::Advocate
                        && s.kids[k]
                            .iter()
                            .any(|&m| s.rel(m) == "mark" && s.word(m) == "to") =>
                {
                    clauses.push(k)
                }
                _ => {}
            }
        }
        (objects, clauses)
    }

    fn predicate(&mut self, s: &Sent, i: usize, cue: &Cue) {
        let cue_range = s.range(i);
        let (objects, clauses) = self.complements(s, i, cue);
        let negated = self.negated(s, i);
        let hedged = self.hedged(s, i);
        let holders = self.holders(s, i);
        if holders.is_empty() {
            return;
        }
        // the other side: an object or a prepositional phrase with the cue's preposition
        let with_prep = |k: usize| {
            s.case_of(k)
                .is_some_and(|c| cue.preps.iter().any(|p| p == c))
        };
        let targets: Vec<u32> = objects
            .iter()
            .filter(|&&k| {
                cue.preps.is_empty()
                    || with_prep(k)
                    || matches!(cue.class, Class::Oppose | Class::Support | Class::Join)
            })
            .flat_map(|&k| {
                // only a phrase that is an actor, not "backing Assad"
                if s.actor[k].is_some() || s.upos(k) == "PROPN" || s.upos(k) == "PRON" {
                    self.actors_inside(s, k, &holders)
                } else {
                    Vec::new()
                }
            })
            .collect();
        let kind = match cue.class {
            Class::Support => Some(RelationKind::Supports),
            Class::Oppose => Some(RelationKind::Opposes),
            Class::Cooperate => Some(RelationKind::CooperatesWith),
            Class::Negotiate => {
                // "called Lavrov" is a call, "called for" is a demand, "called him a tyrant"
                // is neither
                let person_object = objects.iter().any(|&k| {
                    s.rel(k) == "obj"
                        && s.phrase_actor(k)
                            .is_some_and(|a| self.kind(a) == ActorType::Person)
                });
                let plain = clauses.is_empty();
                (cue.preps.is_empty() && person_object && plain
                    || !cue.preps.is_empty() && objects.iter().any(|&k| with_prep(k)))
                .then_some(RelationKind::NegotiatesWith)
            }
            Class::Join => Some(RelationKind::MemberOf),
            Class::Ally => Some(RelationKind::Ally),
            _ => None,
        };
        if let Some(kind) = kind.filter(|_| !negated) {
            for &b in &targets {
                if kind == RelationKind::MemberOf && self.kind(b) != ActorType::Alliance {
                    continue;
                }
                for &a in &holders {
                    self.relation(s, a, b, kind, cue_range, hedged);
                }
            }
            // coordinated subjects that act together ("brokered by France and Germany")
            if matches!(
                kind,
                RelationKind::CooperatesWith | RelationKind::NegotiatesWith
            ) && holders.len() > 1
                && targets.is_empty()
            {
                for (n, &a) in holders.iter().enumerate() {
                    for &b in &holders[n + 1..] {
                        self.relation(s, a, b, kind, cue_range, hedged);
                    }
                }
            }
        }
        // stances
        let base = match cue.class {
            Class::Support | Class::Advocate => Polarity::Support,
            Class::Oppose | Class::Worry => Polarity::Oppose,
            _ => return,
        };
        let phrasal_out = cue.particle.as_deref() == Some("out");
        let polarity = match (negated, base) {
            (true, Polarity::Oppose) if phrasal_out => Polarity::Conditional,
            (true, Polarity::Support) => Polarity::Oppose,
            (true, Polarity::Oppose) => Polarity::Support,
            (false, Polarity::Support) if self.conditioned(s, i) => Polarity::Conditional,
            (_, p) => p,
        };
        // the topic: every complement ("him to leave power"); for an oppose verb the
        // reason too ("criticised the US for striking …")
        let mut parts: Vec<usize> = objects.iter().chain(clauses.iter()).copied().collect();
        if cue.class == Class::Oppose {
            parts.extend(
                s.kids[i]
                    .iter()
                    .copied()
                    .filter(|&k| matches!(s.case_of(k), Some("for" | "over"))),
            );
        }
        parts.sort_unstable();
        parts.dedup();
        let Some((&topic, extra)) = parts.split_first() else {
            return;
        };
        // "urged Mr Putin to help keep the accord": the topic is the course urged
        for &h in &holders {
            self.stance(s, h, topic, extra, polarity, cue_range);
        }
    }

    /// "Russia should align …", "this must not mean keeping Assad in power": what a
    /// speaker says ought (not) to happen.
    fn modal_stance(&mut self, s: &Sent, i: usize) {
        if !matches!(s.upos(i), "VERB" | "AUX" | "NOUN" | "ADJ") {
            return;
        }
        let Some(modal) = s.kids[i]
            .iter()
            .copied()
            .find(|&k| s.rel(k) == "aux" && self.lex.is("modal-should", s.word(k)))
        else {
            return;
        };
        let Some(speaker) = self.speaker(s, i).or_else(|| self.reporter(s, i)) else {
            return;
        };
        let polarity = if self.negated(s, i) {
            Polarity::Oppose
        } else {
            Polarity::Support
        };
        let mut toks = s.subtree(i, &|r| {
            matches!(r, "punct" | "parataxis" | "advcl" | "mark" | "cc") || r == "conj"
        });
        toks.retain(|&t| {
            t != modal && !(s.rel(t) == "advmod" && self.lex.is("negation", s.word(t)))
        });
        toks.truncate(TOPIC_TOKENS);
        if toks.len() < 2 {
            return;
        }
        let (topic, actors) = self.render(s, &toks);
        let range = TextRange {
            start: s.range(toks[0]).start,
            end: s.range(*toks.last().unwrap()).end,
        };
        let person = actors
            .iter()
            .copied()
            .find(|&a| self.kind(a) == ActorType::Person && a != speaker);
        if let Some(p) = person.filter(|_| toks.iter().any(|&t| self.lex.is("power", s.word(t)))) {
            self.stances.push(Stance {
                holder: speaker,
                topic: format!("{} staying in power", self.doc.actors[p as usize].name),
                topic_range: range,
                topic_actors: vec![p],
                polarity,
                sentence: s.index as u32,
                cue: s.range(modal),
            });
        }
        self.stances.push(Stance {
            holder: speaker,
            topic,
            topic_range: range,
            topic_actors: actors,
            polarity,
            sentence: s.index as u32,
            cue: s.range(modal),
        });
    }

    // ----- nominals -----

    /// The actors a noun belongs to: its possessor, a country adjective or name before it
    /// ("US and Turkish support"), else the subject of the verb it is the object of.
    fn owners(&self, s: &Sent, n: usize) -> Vec<u32> {
        let mut out = Vec::new();
        for &k in &s.kids[n] {
            if matches!(s.rel(k), "nmod:poss" | "amod" | "compound") {
                let own = if s.rel(k) == "nmod:poss" && s.actor[k].is_none() {
                    // "its": the document's pronoun resolution, else nothing
                    None
                } else {
                    s.actor[k]
                };
                if let Some(a) = own {
                    if !out.contains(&a) {
                        out.push(a);
                    }
                    for c in s.children(k, "conj") {
                        if let Some(a) = s.actor[c] {
                            if !out.contains(&a) {
                                out.push(a);
                            }
                        }
                    }
                }
            }
        }
        // the noun's own actor is not its owner ("the Kremlin-backed RT")
        if let Some(me) = s.actor[n] {
            out.retain(|&a| a != me);
        }
        out
    }

    fn nominal(&mut self, s: &Sent, n: usize, cue: &Cue) {
        let cue_range = s.range(n);
        // "Russia and its allies": a member of the coalition the actors stage found
        if cue.class == Class::Ally {
            if let Some(me) = s.actor[n].filter(|&a| self.kind(a) == ActorType::Alliance) {
                if s.rel(n) == "conj" {
                    if let Some(x) = s.head[n].and_then(|h| s.actor[h]) {
                        if self.kind(x) != ActorType::Alliance {
                            self.relation(s, x, me, RelationKind::MemberOf, cue_range, false);
                        }
                    }
                }
            }
            return;
        }
        let kind = match cue.class {
            Class::Support => RelationKind::Supports,
            Class::Oppose => RelationKind::Opposes,
            Class::Negotiate => RelationKind::NegotiatesWith,
            Class::Advocate | Class::Worry | Class::Mistake => {
                self.nominal_stance(s, n, cue);
                return;
            }
            _ => return,
        };
        let governor = s.head[n].filter(|_| matches!(s.rel(n), "obj" | "nsubj" | "obl"));
        let mut holders = self.owners(s, n);
        // "the threat the group poses to Russia": the relative clause's subject
        let relcl = s.children(n, "acl:relcl").next();
        if holders.is_empty() {
            if let Some(v) = relcl {
                holders = self.holders(s, v);
            } else if let Some(g) = governor.filter(|_| s.rel(n) == "obj") {
                holders = self.holders(s, g);
            }
        }
        let with_prep = |k: usize| {
            s.case_of(k)
                .is_some_and(|c| cue.preps.iter().any(|p| p == c))
        };
        let mut targets: Vec<u32> = s.kids[n]
            .iter()
            .copied()
            .filter(|&k| matches!(s.rel(k), "nmod" | "acl") && with_prep(k))
            .filter(|&k| s.actor[k].is_some() || matches!(s.upos(k), "PROPN" | "PRON"))
            .flat_map(|k| s.phrase_actors(k))
            .collect();
        for v in relcl.into_iter().chain(governor) {
            targets.extend(
                s.kids[v]
                    .iter()
                    .copied()
                    .filter(|&k| s.rel(k) == "obl" && with_prep(k))
                    .filter(|&k| s.actor[k].is_some() || matches!(s.upos(k), "PROPN" | "PRON"))
                    .flat_map(|k| s.phrase_actors(k)),
            );
        }
        // "groups … enjoy US and Turkish support": the support goes to the enjoyer
        if targets.is_empty() && kind == RelationKind::Supports {
            if let Some(g) = governor.filter(|&g| self.lex.is("receive", s.word(g))) {
                targets = self.holders(s, g);
            }
        }
        let hedged = governor.is_some_and(|g| self.hedged(s, g));
        let negated = governor.is_some_and(|g| self.negated(s, g));
        if negated {
            return;
        }
        for &b in &targets {
            for &a in &holders {
                self.relation(s, a, b, kind, cue_range, hedged);
            }
        }
    }

    /// "the need to close the border", "our common goal is to defeat ISIL", "concern
    /// that a Russian build-up could escalate", "a mistake to not cooperate".
    fn nominal_stance(&mut self, s: &Sent, n: usize, cue: &Cue) {
        // the course: a clause or phrase hanging on the noun, or the copula's complement
        let course = s.kids[n]
            .iter()
            .copied()
            .find(|&k| {
                matches!(s.rel(k), "acl" | "xcomp" | "ccomp" | "csubj" | "acl:relcl")
                    || (s.rel(k) == "nmod"
                        && s.case_of(k)
                            .is_some_and(|c| cue.preps.iter().any(|p| p == c)))
            })
            .or_else(|| {
                // "our goal is to defeat ISIL": the noun is the subject of the copula clause
                let h = s.head[n]?;
                (s.rel(n) == "nsubj").then_some(h)
            });
        let Some(course) = course else { return };
        if course == n {
            return;
        }
        let mut holders = self.owners(s, n);
        if holders.is_empty() {
            let clause = if s.rel(n) == "nsubj" {
                s.head[n]
            } else {
                Some(n)
            };
            let mut at = clause.unwrap_or(n);
            // climb to the clause the noun is in: "expressing concern" → its subject
            for _ in 0..3 {
                match (s.rel(at), s.head[at]) {
                    ("obj" | "obl" | "nsubj" | "root", _) if s.child(at, "nsubj").is_some() => {
                        break
                    }
                    ("obj" | "obl", Some(h)) => at = h,
                    _ => break,
                }
            }
            holders = self.holders(s, at);
        }
        if holders.is_empty() {
            return;
        }
        let mut polarity = match cue.class {
            Class::Worry => Polarity::Oppose,
            Class::Mistake => Polarity::Oppose,
            _ => Polarity::Support,
        };
        // "a mistake to not cooperate", "a mistake to refuse to co-operate"
        let mut flips = self.negated(s, course);
        if let Some(x) = s.child(course, "xcomp") {
            if x != course
                && self
                    .lex
                    .cues(s.word(course))
                    .any(|c| c.class == Class::Refuse)
            {
                flips = !flips;
            }
        }
        if flips {
            polarity = match polarity {
                Polarity::Oppose => Polarity::Support,
                Polarity::Support => Polarity::Oppose,
                c => c,
            };
        }
        for &h in &holders {
            self.stance(s, h, course, &[], polarity, s.range(n));
        }
    }

    // ----- phrases that carry a relation -----

    /// "the Kremlin-backed RT", "the US-led coalition", "anti-ISIL", "pro-Russian".
    fn compounds(&mut self, s: &Sent, k: usize) {
        let w = s.word(k).to_string();
        // the noun the compound modifies and its actor
        let head_actor = |s: &Sent, k: usize| -> Option<u32> {
            let h = s.head[k]?;
            s.actor[h].or_else(|| s.phrase_actor(h))
        };
        let part = |w: &str, class: &str| self.lex.markers(class).iter().any(|m| m == w);
        // X - backed / X - led, or one token "X-backed"
        let (left, right) = match w.rsplit_once('-') {
            Some((l, r)) if !l.is_empty() && !r.is_empty() => (Some(l.to_string()), r.to_string()),
            _ => (None, w.clone()),
        };
        let compound_kind = if part(&right, "compound-support") {
            Some(RelationKind::Supports)
        } else if part(&right, "compound-member") {
            Some(RelationKind::MemberOf)
        } else {
            None
        };
        if let Some(kind) = compound_kind {
            let x_text = match left {
                Some(_) => {
                    let t = s.range(k);
                    let text = self.doc.text(t);
                    text.rsplit_once('-').map(|(l, _)| l.to_string())
                }
                None if k >= 2 && s.word(k - 1) == "-" => {
                    Some(self.doc.text(s.range(k - 2)).to_string())
                }
                None => None,
            };
            if let (Some(x), Some(b)) = (x_text.and_then(|t| self.kb_actor(&t)), head_actor(s, k)) {
                self.relation(s, x, b, kind, s.range(k), false);
            }
            return;
        }
        for (class, kind) in [
            ("prefix-oppose", RelationKind::Opposes),
            ("prefix-support", RelationKind::Supports),
        ] {
            for p in self.lex.markers(class) {
                if let Some(rest) = w.strip_prefix(p.as_str()).filter(|r| !r.is_empty()) {
                    let text = self.doc.text(s.range(k));
                    let rest_text = text.get(text.len() - rest.len()..).unwrap_or(rest);
                    if let (Some(x), Some(a)) = (self.kb_actor(rest_text), head_actor(s, k)) {
                        self.relation(s, a, x, kind, s.range(k), false);
                    }
                    return;
                }
            }
        }
    }

    /// The actors of phrase `k`; a name inside a longer mention of one of `holders`
    /// ("groups opposed to Assad" is one mention) is looked up on its own.
    fn actors_inside(&self, s: &Sent, k: usize, holders: &[u32]) -> Vec<u32> {
        let a = s.phrase_actors(k);
        if a.iter().any(|x| holders.contains(x)) {
            let text = self.doc.text(s.range(k));
            if let Some(inner) = self.kb_actor(text).filter(|x| !holders.contains(x)) {
                return vec![inner];
            }
        }
        a
    }

    /// The document's actor that the knowledge base names by exactly this text.
    fn kb_actor(&self, text: &str) -> Option<u32> {
        let kb = annals_actors::KnowledgeBase::bundled();
        let text = text.trim();
        let id = kb
            .matcher()
            .find_iter(text)
            .find(|m| m.range.start == 0 && m.range.end as usize == text.len())
            .map(|m| kb.entry(m.entry()).id.as_str())?;
        self.doc
            .actors
            .iter()
            .position(|a| a.id == id)
            .map(|p| p as u32)
    }

    /// "X is a coalition of two -- Y and Z", "X and Y have a coalition of 65 countries",
    /// "the coalition against X".
    fn coalition(&mut self, s: &Sent, i: usize) {
        let Some(c) = s.actor[i].filter(|&a| self.kind(a) == ActorType::Alliance) else {
            return;
        };
        // the head token of the coalition's phrase
        if s.head[i].is_some_and(|h| s.actor[h] == Some(c)) {
            return;
        }
        let cue = s.range(i);
        // copula: "Russia right now is a coalition of two"
        if s.child(i, "cop").is_some() {
            if let Some(subj) = s.child(i, "nsubj") {
                for x in s.phrase_actors(subj) {
                    self.relation(s, x, c, RelationKind::MemberOf, cue, false);
                }
            }
            // its members, listed after it
            for &k in &s.kids[i] {
                if matches!(s.rel(k), "appos" | "list" | "dep" | "parataxis") {
                    let mut members = s.phrase_actors(k);
                    members.retain(|&m| m != c);
                    for m in members {
                        self.relation(s, m, c, RelationKind::MemberOf, cue, false);
                    }
                }
            }
        }
        // "X and Y have a coalition", "the coalition we've put together"
        if s.rel(i) == "obj" {
            if let Some(v) = s.head[i] {
                if matches!(
                    s.word(v),
                    "have"
                        | "has"
                        | "had"
                        | "form"
                        | "formed"
                        | "lead"
                        | "leads"
                        | "led"
                        | "built"
                        | "build"
                ) {
                    for x in self.holders(s, v) {
                        if self.kind(x) != ActorType::Alliance {
                            self.relation(s, x, c, RelationKind::MemberOf, cue, false);
                        }
                    }
                }
            }
        }
        // "the coalition against Islamic State"
        for &k in &s.kids[i] {
            if s.rel(k) == "nmod" && s.case_of(k) == Some("against") {
                for x in s.phrase_actors(k) {
                    self.relation(s, c, x, RelationKind::Opposes, cue, false);
                }
            }
        }
    }
}

fn pos_fits(pos: Pos, upos: &str, xpos: &str) -> bool {
    match pos {
        Pos::Verb => upos == "VERB",
        Pos::Noun => matches!(upos, "NOUN"),
        Pos::Adj => matches!(upos, "ADJ") || (upos == "VERB" && xpos == "VBN"),
    }
}
