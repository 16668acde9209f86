//! Finding quotes and their speakers in one document.
//!
//! 1. [`marks::pair`] pairs the quotation marks; top-level pairs become direct quotes,
//!    joined when one runs over paragraphs or is split by its cue; scare quotes (under
//!    four words inside narration) are left as part of the narration.
//! 2. Every speech verb outside a direct quote is a *cue*; its speaker is the actor
//!    mention of its subject (the parse's `nsubj`, or the mention next to it), or the
//!    speaker of the cue it depends on ("…, saying that …").
//! 3. A direct quote takes the cue in the text around it in its sentence, then a dash and
//!    a name, then the quote before it in the paragraph, the next sentence, the previous
//!    paragraph.
//! 4. A cue with a reported clause or object outside the quotes is reported speech.

use crate::lexicon::{always_cue, cue_kind, phrasal_particles, zero_that, CueKind};
use crate::marks::{self, Span};
use crate::view::{is_dash, is_final, is_mark, View};
use annals_model::{
    ActorMention, ActorType, Attribution, Document, MentionHow, Quote, SidePlace, TextRange,
};

/// A speaker found for a cue or a quote.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Speaker {
    actor: u32,
    mention: TextRange,
    pronoun: bool,
}

/// A speech verb (with its particle) in the text.
#[derive(Debug, Clone, Copy)]
struct Cue {
    /// First and last token (the particle of "called for").
    tok: usize,
    last: usize,
    kind: CueKind,
    speaker: Option<Speaker>,
    /// The cue's subject could be found, even if it names no actor.
    has_subject: bool,
}

/// A direct quote being assembled.
#[derive(Debug, Clone)]
struct Draft {
    /// The text of each part, without marks.
    inner: Vec<TextRange>,
    /// Each part with its marks (to the paragraph end for a part left open).
    outer: Vec<TextRange>,
    para: u32,
    last_para: u32,
    runs_on: bool,
    closed: bool,
}

impl Draft {
    fn words(&self, body: &str) -> usize {
        self.inner.iter().map(|r| words(r.slice(body))).sum()
    }
}

fn words(s: &str) -> usize {
    s.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

/// Does an attribution follow byte `pos`: a speech verb after at most a few words of a
/// name (`" said …`, `" Obama said`, `" the minister said`)?
fn cue_follows(body: &str, pos: usize) -> bool {
    let Some(rest) = body.get(pos..) else {
        return false;
    };
    let mut n = 0;
    for w in rest.split(|c: char| !c.is_alphanumeric() && c != '-') {
        if w.is_empty() {
            continue;
        }
        if cue_kind(w).is_some() {
            return true;
        }
        let name_like = w.chars().next().is_some_and(char::is_uppercase)
            || ["the", "a", "an", "he", "she", "they", "it", "we", "i"]
                .iter()
                .any(|f| f.eq_ignore_ascii_case(w));
        n += 1;
        if !name_like || n >= 5 {
            break;
        }
    }
    false
}

/// Find every quote of `doc`.
pub(crate) fn find(doc: &Document) -> Vec<Quote> {
    let body = doc.body.as_str();
    let spans = marks::pair(body, &doc.paragraphs, |pos| cue_follows(body, pos));
    let drafts = assemble(body, doc, &spans);
    let mut view = View::new(doc);
    for (qi, d) in drafts.iter().enumerate() {
        for r in &d.outer {
            let mut t = view.token_at_or_after(r.start);
            while t < view.len() && doc.tokens[t].range.end <= r.end {
                view.quote[t] = qi as u32 + 1;
                t += 1;
            }
        }
    }
    let cues = find_cues(&view);
    let mut f = Finder {
        v: &view,
        body,
        drafts: &drafts,
        cues,
        last_in_para: vec![None; doc.paragraphs.len()],
        out: Vec::new(),
    };
    f.resolve_cue_speakers();
    f.note_cue_speakers();
    f.direct();
    f.reported();
    let mut out = f.out;
    if out.is_empty() && doc.side == Some(SidePlace::Title) {
        out.extend(headline(doc));
    }
    out.sort_by_key(|q| (q.range.start, !q.direct));
    out
}

/// A headline's statement without quotation marks, given to who made it:
/// `Russia needs to align with the coalition - Obama`, `Russia, US to cooperate: Moscow`,
/// `Putin: West must stop meddling`. It is the headline's summary of what was said, so it
/// is reported speech (`direct: false`); the dash or the colon is its cue.
///
/// The speaker is one actor mention that fills the part after the dash or colon, or the
/// part before a colon that opens the headline. That opening part is a speaker only when
/// it names a person or a body (`Syria: …` and `Moscow: …` name what the story is about).
fn headline(doc: &Document) -> Option<Quote> {
    let body = doc.body.as_str();
    let text = body.trim_end_matches(|c: char| c.is_whitespace() || c == '.');
    let lead = body.len() - body.trim_start().len();
    // the one mention that spans exactly `a..b`, trimmed
    let speaker_in = |a: usize, b: usize, opening: bool| {
        let seg = body.get(a..b)?;
        let a = a + (seg.len() - seg.trim_start().len());
        let b = a + seg.trim().len();
        let m = doc.mentions.iter().find(|m| {
            m.range.start as usize == a
                && m.range.end as usize == b
                && !matches!(m.how, MentionHow::Pronoun | MentionHow::Adjective)
        })?;
        let kind = doc.actors.get(m.actor as usize)?.kind;
        let fits = if opening {
            matches!(
                kind,
                ActorType::Person
                    | ActorType::Organization
                    | ActorType::Group
                    | ActorType::Alliance
            ) && m.how != MentionHow::Metonym
        } else {
            kind != ActorType::Location
        };
        fits.then_some(*m)
    };
    let statement = |a: usize, b: usize| {
        let seg = body.get(a..b)?;
        let a = a + (seg.len() - seg.trim_start().len());
        let b = a + seg.trim().len();
        let inner = body.get(a..b)?;
        let marked = inner
            .chars()
            .next()
            .is_some_and(|c| is_mark(&c.to_string()));
        (words(inner) >= 3 && !marked).then(|| TextRange::new(a, b))
    };
    // `Statement - Speaker` and `Statement: Speaker`
    let dash = [" - ", " -- ", " – ", " — ", " ― "]
        .iter()
        .filter_map(|d| text.rfind(d).map(|i| (i + 1, i + d.len() - 1)))
        .max();
    let colon = text.rfind(':').map(|i| (i, i + 1));
    for (sep, how) in [
        (dash, Attribution::Dash),
        (colon, Attribution::SameSentence),
    ] {
        let Some((s, e)) = sep else { continue };
        let Some(m) = speaker_in(e, text.len(), false) else {
            continue;
        };
        if let Some(range) = statement(lead, s) {
            return Some(headline_quote(range, m, TextRange::new(s, e), how));
        }
    }
    // `Speaker: Statement`
    let c = text.find(':')?;
    let m = speaker_in(lead, c, true)?;
    let range = statement(c + 1, text.len())?;
    Some(headline_quote(
        range,
        m,
        TextRange::new(c, c + 1),
        Attribution::SameSentence,
    ))
}

fn headline_quote(range: TextRange, m: ActorMention, cue: TextRange, how: Attribution) -> Quote {
    Quote {
        range,
        continued: Vec::new(),
        speaker: Some(m.actor),
        speaker_mention: Some(m.range),
        cue: Some(cue),
        direct: false,
        how,
        confidence: 0.7,
    }
}

/// Join the top-level spans into quotes: a quote that runs on into the next paragraph, a
/// quote split by its cue; drop scare quotes.
fn assemble(body: &str, doc: &Document, spans: &[Span]) -> Vec<Draft> {
    let mut out: Vec<Draft> = Vec::new();
    let para_first = |p: u32| {
        doc.paragraphs.get(p as usize).map(|pr| {
            let t = pr.range.slice(body);
            pr.range.start + (t.len() - t.trim_start().len()) as u32
        })
    };
    for s in spans.iter().filter(|s| s.depth == 0) {
        let outer = TextRange::new(
            s.open.start as usize,
            s.close.map_or(s.inner.end, |c| c.end) as usize,
        );
        if let Some(prev) = out.last_mut() {
            let runs_on = prev.runs_on
                && s.para == prev.last_para + 1
                && para_first(s.para) == Some(s.open.start);
            let split = prev.closed
                && prev.last_para == s.para
                && prev
                    .outer
                    .last()
                    .is_some_and(|o| split_gap(body, prev.inner.last().copied(), *o, s.open));
            if runs_on || split {
                prev.inner.push(s.inner);
                prev.outer.push(outer);
                prev.last_para = s.para;
                prev.runs_on = s.runs_on;
                prev.closed = s.close.is_some();
                continue;
            }
        }
        out.push(Draft {
            inner: vec![s.inner],
            outer: vec![outer],
            para: s.para,
            last_para: s.para,
            runs_on: s.runs_on,
            closed: s.close.is_some(),
        });
    }
    // scare quotes: a few words inside narration ("a "self-defeating strategy"")
    out.retain(|d| {
        if d.words(body) >= 4 || d.inner.len() > 1 {
            return true;
        }
        let Some(o) = d.outer.first() else {
            return false;
        };
        let before = body.get(..o.start as usize).unwrap_or("").trim_end();
        let starts_para = para_first(d.para) == Some(o.start);
        starts_para || before.ends_with([',', ':', '.', '!', '?'])
    });
    out
}

/// A quote split by its cue: `"That," said Obama, "is our goal."` — the first part ends
/// with a comma, and the gap between the parts is a short cue ending in a comma.
fn split_gap(
    body: &str,
    first_inner: Option<TextRange>,
    first: TextRange,
    second_open: TextRange,
) -> bool {
    let Some(gap) = body.get(first.end as usize..second_open.start as usize) else {
        return false;
    };
    let inner_comma = first_inner.is_some_and(|r| r.slice(body).ends_with(','));
    let gap = gap.trim();
    let starts = inner_comma || gap.starts_with(',');
    let ends = gap.ends_with(',');
    let n = words(gap);
    starts
        && ends
        && (1..=8).contains(&n)
        && !gap.contains(['.', '!', '?', '\n'])
        && gap
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| cue_kind(w).is_some())
}

/// Every speech verb of the document.
fn find_cues(v: &View<'_>) -> Vec<Cue> {
    let mut out = Vec::new();
    let n = v.len();
    for t in 0..n {
        let form = v.form(t);
        if form.len() < 3 || !form.as_bytes()[0].is_ascii_alphabetic() {
            continue;
        }
        let (kind, last) = if let Some(k) = cue_kind(form) {
            (k, t)
        } else if let Some(p) =
            phrasal_particles(form).find(|p| v.form(t + 1).eq_ignore_ascii_case(p))
        {
            let _ = p;
            (CueKind::Object, t + 1)
        } else if form.eq_ignore_ascii_case("according") && v.form(t + 1).eq_ignore_ascii_case("to")
        {
            (CueKind::Clausal, t + 1)
        } else {
            continue;
        };
        let according = form.eq_ignore_ascii_case("according");
        if !according && !always_cue(form) && !v.is_verbal(t) {
            continue;
        }
        // a passive ("was told", "is expected") does not name its speaker as subject
        if !according && v.xpos(t) == "VBN" {
            let mut p = t;
            while p > 0 && v.upos(p - 1) == "ADV" {
                p -= 1;
            }
            if p > 0
                && is_any(
                    v.form(p - 1),
                    &["was", "were", "is", "are", "be", "been", "being"],
                )
            {
                continue;
            }
        }
        out.push(Cue {
            tok: t,
            last,
            kind,
            speaker: None,
            has_subject: false,
        });
    }
    out
}

struct Finder<'a, 'd> {
    v: &'a View<'d>,
    body: &'a str,
    drafts: &'a [Draft],
    cues: Vec<Cue>,
    /// The last speaker of each paragraph and where (byte offset).
    last_in_para: Vec<Option<(u32, Speaker)>>,
    out: Vec<Quote>,
}

impl Finder<'_, '_> {
    fn same_sentence(&self, a: usize, b: usize) -> bool {
        self.v.sent.get(a).is_some() && self.v.sent.get(a) == self.v.sent.get(b)
    }

    /// The speaker named by mention `m`. A pronoun's mention carries the actors stage's
    /// resolution, which is kept: one "he" is one actor in the whole output.
    fn speaker_of_mention(&self, m: usize) -> Option<Speaker> {
        let men = self.v.doc.mentions.get(m)?;
        Some(Speaker {
            actor: men.actor,
            mention: men.range,
            pronoun: men.how == MentionHow::Pronoun,
        })
    }

    /// The speaker a "he" or "she" at token `t` names when the actors stage resolved it
    /// to no one: the nearest person named as a subject outside quotes, in this
    /// paragraph or the three before, of the pronoun's gender. (Mentions inside quotes
    /// are what the speaker talks about, not who speaks.)
    fn unresolved_pronoun(&self, t: usize) -> Option<Speaker> {
        if self.v.upos(t) != "PRON" {
            return None;
        }
        let gender = View::pronoun_gender(self.v.form(t))?;
        let tok = self.v.tok(t)?;
        let para = self.v.para(t)?;
        let before = self
            .v
            .doc
            .mentions
            .partition_point(|m| m.range.start < tok.range.start);
        for i in (0..before).rev() {
            let c = self.v.doc.mentions.get(i)?;
            let ct = self.v.token_at_or_after(c.range.start);
            let cp = self.v.para(ct)?;
            if cp + 3 < para {
                break;
            }
            if matches!(c.how, MentionHow::Pronoun | MentionHow::Adjective) || self.v.in_quote(ct) {
                continue;
            }
            let Some(a) = self.v.doc.actors.get(c.actor as usize) else {
                continue;
            };
            if a.kind != ActorType::Person || a.gender.is_some_and(|g| g != gender) {
                continue;
            }
            // the outermost mention only
            if self.v.mention_at(ct) != Some(i) {
                continue;
            }
            if self.v.mention_is_subject(i) {
                return Some(Speaker {
                    actor: c.actor,
                    mention: tok.range,
                    pronoun: true,
                });
            }
        }
        None
    }

    /// The speaker a noun phrase headed by token `t` names.
    fn speaker_of_np(&self, t: usize) -> Option<Speaker> {
        match self.v.mention_at(t) {
            Some(m) if self.v.how(m) != Some(MentionHow::Adjective) => {
                return self.speaker_of_mention(m);
            }
            Some(_) => {}
            None => {
                if let Some(sp) = self.unresolved_pronoun(t) {
                    return Some(sp);
                }
            }
        }
        let (lo, hi) = self.v.subtree(t);
        let mut country: Option<u32> = None;
        for x in lo..=hi {
            if let Some(m) = self.v.mention_at(x) {
                match self.v.how(m) {
                    Some(MentionHow::Adjective) => {
                        country = country.or(Some(self.v.doc.mentions[m].actor))
                    }
                    Some(MentionHow::Pronoun) if self.v.deprel(x) == "nmod" => {}
                    Some(_) => return self.speaker_of_mention(m),
                    None => {}
                }
            }
        }
        self.speaker_by_title(t, country)
    }

    /// "The Russian President added …": a title alone, resolved to the person of the
    /// document who holds it, mentioned last before: one whose roles name the title, or,
    /// with a country named in the phrase, a person of that country.
    fn speaker_by_title(&self, t: usize, country: Option<u32>) -> Option<Speaker> {
        let head = self.v.form(t);
        if !matches!(self.v.upos(t), "NOUN" | "PROPN") || head.len() < 4 {
            return None;
        }
        let doc = self.v.doc;
        let country = country.and_then(|c| doc.actors.get(c as usize));
        let of_country = |a: &annals_model::DocActor| {
            country.is_some_and(|c| {
                (c.country.is_some() && a.country == c.country)
                    || a.affiliation.as_deref() == Some(c.id.as_str())
            })
        };
        let titled = |a: &annals_model::DocActor| {
            a.roles.iter().any(|r| {
                r.split(|c: char| !c.is_alphanumeric())
                    .any(|w| w.eq_ignore_ascii_case(head))
            })
        };
        let pos = self.v.tok(t)?.range.start;
        let before = || {
            doc.mentions
                .iter()
                .rev()
                .filter(move |m| m.range.end <= pos && m.how != MentionHow::Pronoun)
        };
        let person = |m: &&annals_model::ActorMention| {
            doc.actors
                .get(m.actor as usize)
                .is_some_and(|a| a.kind == ActorType::Person)
        };
        let m = before()
            .filter(person)
            .find(|m| {
                doc.actors
                    .get(m.actor as usize)
                    .is_some_and(|a| titled(a) && (country.is_none() || of_country(a)))
            })
            .or_else(|| {
                country?;
                before()
                    .filter(person)
                    .find(|m| doc.actors.get(m.actor as usize).is_some_and(of_country))
            })?;
        Some(Speaker {
            actor: m.actor,
            mention: self.v.tok(t)?.range,
            pronoun: false,
        })
    }

    /// The speaker of cue `c` from its own subject, and whether it has a subject at all.
    fn own_speaker(&self, c: &Cue) -> (Option<Speaker>, bool) {
        let v = self.v;
        let t = c.tok;
        if v.form(t).eq_ignore_ascii_case("according") {
            let m = v.mention_at(c.last + 1);
            return (m.and_then(|m| self.speaker_of_mention(m)), m.is_some());
        }
        // next to it: "Obama (also) said", "Putin, however, said", "the US and France today said"
        let mut p = t;
        let mut steps = 0;
        while p > 0 && steps < 6 {
            let q = p - 1;
            if !self.same_sentence(q, t) || v.in_quote(q) != v.in_quote(t) {
                break;
            }
            if let Some(m) = v.mention_at(q) {
                if v.how(m) == Some(MentionHow::Adjective) {
                    break;
                }
                return (self.speaker_of_mention(self.first_conjunct(m)), true);
            }
            let f = v.form(q);
            let skip = match f {
                "," => v.upos(p) == "ADV" || (q > 0 && v.upos(q - 1) == "ADV"),
                _ => {
                    (matches!(v.upos(q), "ADV" | "AUX" | "PART") && !f.eq_ignore_ascii_case("to"))
                        || is_any(f, TIME_WORDS)
                        || (v.upos(q) == "ADP" && q + 1 < t && is_any(v.form(q + 1), TIME_WORDS))
                }
            };
            if !skip {
                break;
            }
            p = q;
            steps += 1;
        }
        // the parse's subject, before the verb
        if let Some(s) = v.child(t, "nsubj").filter(|&s| s < t) {
            if v.in_quote(s) == v.in_quote(t) {
                let sp = self.speaker_of_np(s);
                let pron = v.upos(s) == "PRON" && sp.is_none();
                return (sp, !pron);
            }
        }
        // inverted: `," said President Obama`, "But, said Obama,"
        let before = t.checked_sub(1).map(|b| v.form(b)).unwrap_or("");
        let finite = v.is_finite_verb(t) || always_cue(v.form(t));
        let inverted = finite
            && (t == 0
                || !self.same_sentence(t - 1, t)
                || before == ","
                || is_mark(before)
                || (v.in_quote(t - 1) && !v.in_quote(t)));
        if inverted {
            let n = c.last + 1;
            if self.same_sentence(n, t) && !v.in_quote(n) {
                if let Some(m) = v.mention_at(n) {
                    return (self.speaker_of_mention(m), true);
                }
                if let Some(sp) = self.unresolved_pronoun(n) {
                    return (Some(sp), true);
                }
            }
        }
        (None, false)
    }

    /// For a mention that is the last of "X and Y", the mention of X: joint statements
    /// are given to the first named.
    fn first_conjunct(&self, m: usize) -> usize {
        let v = self.v;
        let mut m = m;
        for _ in 0..4 {
            let Some(men) = v.doc.mentions.get(m) else {
                break;
            };
            let t = v.token_at_or_after(men.range.start);
            if t < 2 || v.form(t - 1) != "and" {
                break;
            }
            match v.mention_at(t - 2) {
                Some(x)
                    if v.how(x) != Some(MentionHow::Adjective) && self.same_sentence(t - 2, t) =>
                {
                    m = x
                }
                _ => break,
            }
        }
        m
    }

    fn resolve_cue_speakers(&mut self) {
        for i in 0..self.cues.len() {
            let c = self.cues[i];
            let (sp, has) = self.own_speaker(&c);
            let (sp, has) = if sp.is_none() && !has {
                (self.inherited_speaker(i), false)
            } else {
                (sp, has || sp.is_some())
            };
            if let Some(c) = self.cues.get_mut(i) {
                c.speaker = sp;
                c.has_subject = has;
            }
        }
    }

    /// A cue with no subject of its own ("…, saying that …", "… and warned …") takes the
    /// speaker of the verb it hangs on, or of the cue before it in the sentence.
    fn inherited_speaker(&self, i: usize) -> Option<Speaker> {
        let v = self.v;
        let c = self.cues.get(i)?;
        // ", adding that …": the cue before it in the sentence
        if v.xpos(c.tok) == "VBG" && c.tok > 0 && v.form(c.tok - 1) == "," {
            let prev = self
                .cues
                .iter()
                .take(i)
                .rev()
                .take_while(|p| self.same_sentence(p.tok, c.tok))
                .find(|p| p.speaker.is_some() && v.in_quote(p.tok) == v.in_quote(c.tok));
            if let Some(p) = prev {
                return p.speaker;
            }
        }
        let mut h = c.tok;
        for _ in 0..4 {
            let Some(up) = v.head(h) else { break };
            h = up;
            let prev = self.cues[..i].binary_search_by_key(&h, |p| p.tok).ok();
            if let Some(prev) = prev.map(|k| &self.cues[k]) {
                if prev.speaker.is_some() {
                    return prev.speaker;
                }
            }
            if v.is_verbal(h) {
                if let Some(s) = v.child(h, "nsubj") {
                    if v.in_quote(s) == v.in_quote(c.tok) {
                        if let Some(sp) = self.speaker_of_np(s) {
                            return Some(sp);
                        }
                    }
                }
            }
        }
        self.cues
            .iter()
            .take(i)
            .rev()
            .take_while(|p| self.same_sentence(p.tok, c.tok))
            .find(|p| p.speaker.is_some() && v.in_quote(p.tok) == v.in_quote(c.tok))
            .and_then(|p| p.speaker)
    }

    fn note(&mut self, para: u32, pos: u32, sp: Speaker) {
        if let Some(slot) = self.last_in_para.get_mut(para as usize) {
            if slot.is_none_or(|(p, _)| p <= pos) {
                *slot = Some((pos, sp));
            }
        }
    }

    fn note_cue_speakers(&mut self) {
        for i in 0..self.cues.len() {
            let c = self.cues[i];
            if self.v.in_quote(c.tok) {
                continue;
            }
            if let (Some(sp), Some(p), Some(tok)) =
                (c.speaker, self.v.para(c.tok), self.v.tok(c.tok))
            {
                self.note(p, tok.range.start, sp);
            }
        }
    }

    /// The cues whose token is in `from..to`. Cues are in token order, one a token, so
    /// this is a binary search: scanning them all for every cue made a long document
    /// quadratic.
    fn cues_within(&self, from: usize, to: usize) -> &[Cue] {
        let a = self.cues.partition_point(|c| c.tok < from);
        let b = self.cues.partition_point(|c| c.tok < to).max(a);
        &self.cues[a..b]
    }

    /// The cue of a direct quote in the tokens `from..to`: the first (after the quote) or
    /// the last (before it) that has a speaker, else the first or last at all.
    fn cue_in(&self, from: usize, to: usize, last: bool) -> Option<&Cue> {
        let mut with: Vec<&Cue> = Vec::new();
        with.extend(self.cues_within(from, to));
        if last {
            with.reverse();
        }
        with.iter()
            .find(|c| c.speaker.is_some())
            .or(with.first())
            .copied()
    }

    /// Tokens after byte `pos` in the same paragraph, outside quotes, to the sentence end.
    fn after(&self, pos: u32, para: u32, max: usize) -> (usize, usize) {
        let v = self.v;
        let start = v.token_at_or_after(pos);
        let mut end = start;
        while end < v.len() && end - start < max && v.para(end) == Some(para) && !v.in_quote(end) {
            if is_final(v.form(end)) {
                break;
            }
            end += 1;
        }
        (start, end)
    }

    /// Tokens before byte `pos` in the same paragraph, outside quotes, from the sentence
    /// start.
    fn before(&self, pos: u32, para: u32, max: usize) -> (usize, usize) {
        let v = self.v;
        let end = v.token_at_or_after(pos);
        let mut start = end;
        while start > 0 && end - start < max {
            let p = start - 1;
            if v.para(p) != Some(para) || v.in_quote(p) || is_final(v.form(p)) {
                break;
            }
            start = p;
        }
        (start, end)
    }

    fn direct(&mut self) {
        let v = self.v;
        let mut prev_in_para: Option<(u32, Option<Speaker>)> = None;
        for d in self.drafts {
            let (Some(first), Some(last)) = (d.outer.first(), d.outer.last()) else {
                continue;
            };
            let mut how = Attribution::Unattributed;
            let mut speaker: Option<Speaker> = None;
            let mut cue: Option<TextRange> = None;
            // after each part: `"…," Obama said` / `"That," said Obama, "is …"` / `"…" - Putin`
            let ends_comma = d
                .inner
                .first()
                .is_some_and(|r| r.slice(self.body).ends_with([',', '?', '!', '—', '-']));
            let (bs, be) = self.before(first.start, d.para, 40);
            let pre_colon = be > bs && matches!(v.form(be - 1), ":" | ",");
            let mut frames: Vec<(usize, usize, bool)> = Vec::new();
            for (k, o) in d.outer.iter().enumerate() {
                let para = if k == 0 { d.para } else { d.last_para };
                let (s, e) = self.after(o.end, para, 12);
                frames.push((s, e, false));
            }
            if pre_colon && !ends_comma {
                frames.insert(0, (bs, be, true));
            } else {
                frames.push((bs, be, true));
            }
            for &(s, e, is_before) in &frames {
                if s >= e {
                    continue;
                }
                if let Some(c) = self.cue_in(s, e, is_before) {
                    speaker = c.speaker;
                    cue = Some(TextRange::new(
                        v.tok(c.tok).map_or(0, |t| t.range.start as usize),
                        v.tok(c.last).map_or(0, |t| t.range.end as usize),
                    ));
                    how = Attribution::SameSentence;
                    break;
                }
                // a dash and a name: `"…" - Vladimir Putin`
                if !is_before && is_dash(v.form(s)) {
                    if let Some(m) = v.mention_at(s + 1) {
                        speaker = self.speaker_of_mention(m);
                        cue = v.tok(s).map(|t| t.range);
                        how = Attribution::Dash;
                        break;
                    }
                }
                // a name and a colon: `Obama: "…"`
                if is_before && e >= 2 && v.form(e - 1) == ":" {
                    if let Some(m) = v.mention_at(e - 2) {
                        speaker = self.speaker_of_mention(m);
                        cue = v.tok(e - 1).map(|t| t.range);
                        how = Attribution::SameSentence;
                        break;
                    }
                }
            }
            if how == Attribution::SameSentence && speaker.is_some_and(|s| s.pronoun) {
                how = Attribution::Pronoun;
            }
            if how == Attribution::Unattributed {
                if let Some((p, Some(sp))) = prev_in_para {
                    if p == d.para {
                        speaker = Some(sp);
                        how = Attribution::Continuation;
                    }
                }
            }
            if how == Attribution::Unattributed {
                // the next sentence: `"…." The minister said this on television.`
                let (s, _) = self.after(last.end, d.last_para, 1);
                let mut t = s;
                if t < v.len() && is_final(v.form(t)) {
                    t += 1;
                }
                let mut e = t;
                while e < v.len()
                    && e - t < 8
                    && v.para(e) == Some(d.last_para)
                    && !v.in_quote(e)
                    && !is_final(v.form(e))
                {
                    e += 1;
                }
                if let Some(c) = self.cue_in(t, e, false).filter(|c| c.speaker.is_some()) {
                    speaker = c.speaker;
                    cue = Some(TextRange::new(
                        v.tok(c.tok).map_or(0, |t| t.range.start as usize),
                        v.tok(c.last).map_or(0, |t| t.range.end as usize),
                    ));
                    how = Attribution::FollowingSentence;
                }
            }
            if how == Attribution::Unattributed && bs == be && d.para > 0 {
                if let Some(Some((_, sp))) = self.last_in_para.get(d.para as usize - 1) {
                    speaker = Some(*sp);
                    how = Attribution::PreviousParagraph;
                }
            }
            if speaker.is_none()
                && how != Attribution::Unattributed
                && how != Attribution::SameSentence
            {
                how = Attribution::Unattributed;
            }
            let mut confidence: f32 = match how {
                Attribution::SameSentence => 0.9,
                Attribution::Dash => 0.85,
                Attribution::Pronoun | Attribution::Continuation => 0.8,
                Attribution::FollowingSentence => 0.7,
                Attribution::PreviousParagraph => 0.65,
                Attribution::Unattributed => 0.4,
            };
            if speaker.is_none() {
                confidence = confidence.min(0.5);
            }
            if !d.closed && !d.runs_on {
                confidence *= 0.8;
            }
            if let Some(sp) = speaker {
                self.note(d.last_para, last.start, sp);
            }
            prev_in_para = Some((d.last_para, speaker));
            let Some(&range) = d.inner.first() else {
                continue;
            };
            self.out.push(Quote {
                range,
                continued: d.inner.iter().skip(1).copied().collect(),
                speaker: speaker.map(|s| s.actor),
                speaker_mention: speaker.map(|s| s.mention),
                cue,
                direct: true,
                how,
                confidence,
            });
        }
    }

    /// Is token `t` a clause-starting conjunction to leave out of reported content?
    fn is_joiner(&self, t: usize) -> bool {
        is_any(self.v.form(t), JOINERS)
    }

    fn reported(&mut self) {
        let v = self.v;
        let mut contents: Vec<(usize, usize)> = Vec::new();
        for i in 0..self.cues.len() {
            let c = self.cues[i];
            if c.kind == CueKind::Frame {
                continue;
            }
            let inside = v.in_quote(c.tok);
            if inside && c.speaker.is_none_or(|s| s.pronoun) {
                continue;
            }
            if c.speaker.is_none() && (!c.has_subject || c.kind == CueKind::Object) {
                continue;
            }
            let left = self.left_edge(&c);
            if contents.iter().any(|&(s, e)| left >= s && left <= e) {
                continue; // reported inside another report: "adding that he believed …"
            }
            let found = self.forward(i).or_else(|| self.backward(&c, left));
            let Some((s, e)) = found else { continue };
            // words outside the direct quotes it holds
            let plain = (s..=e)
                .filter(|&t| !v.in_quote(t) && !v.is_punct(t))
                .count();
            if plain < 3 && !(inside && plain >= 2) {
                continue;
            }
            let (Some(ts), Some(te)) = (v.tok(s), v.tok(e)) else {
                continue;
            };
            contents.push((s, e));
            let sp = c.speaker;
            let cue = TextRange::new(
                v.tok(c.tok).map_or(0, |t| t.range.start as usize),
                v.tok(c.last).map_or(0, |t| t.range.end as usize),
            );
            let how = match sp {
                Some(s) if s.pronoun => Attribution::Pronoun,
                Some(_) => Attribution::SameSentence,
                None => Attribution::Unattributed,
            };
            self.out.push(Quote {
                range: TextRange::new(ts.range.start as usize, te.range.end as usize),
                continued: Vec::new(),
                speaker: sp.map(|s| s.actor),
                speaker_mention: sp.map(|s| s.mention),
                cue: Some(cue),
                direct: false,
                how,
                confidence: match how {
                    Attribution::SameSentence => 0.75,
                    Attribution::Pronoun => 0.65,
                    _ => 0.4,
                },
            });
        }
    }

    /// Where a cue's clause starts: its subject when that comes before it, else the verb.
    fn left_edge(&self, c: &Cue) -> usize {
        let v = self.v;
        if let Some(sp) = c.speaker.filter(|_| c.has_subject) {
            let t = v.token_at_or_after(sp.mention.start);
            if t < c.tok && self.same_sentence(t, c.tok) {
                return t;
            }
        }
        if let Some(s) = v.child(c.tok, "nsubj").filter(|&s| s < c.tok) {
            return v.subtree(s).0;
        }
        c.tok
    }

    /// Reported content after the cue: "said (that) …", "told reporters that …",
    /// "urged the world to …".
    fn forward(&self, i: usize) -> Option<(usize, usize)> {
        let v = self.v;
        let c = self.cues.get(i)?;
        let according = v.form(c.tok).eq_ignore_ascii_case("according");
        let mut j = c.last + 1;
        if according {
            // "according to Lavrov, …" at the start of a sentence
            let (lo, _) = (c.tok, 0);
            let first = v.sentence(lo).map(|s| s.tokens.start as usize)?;
            if c.tok != first && !(c.tok == first + 1 && self.is_joiner(first)) {
                return None;
            }
            while j < v.len() && self.same_sentence(j, c.tok) && v.form(j) != "," {
                j += 1;
            }
            j += 1;
        } else if c.kind == CueKind::Clausal {
            // "that" within a few words: "said on Monday that", "told reporters that"
            let mut k = j;
            while k < v.len() && k - j < 8 && self.same_sentence(k, c.tok) {
                let f = v.form(k);
                if f.eq_ignore_ascii_case("that")
                    && matches!(v.upos(k), "SCONJ" | "ADP" | "PRON" | "DET")
                {
                    j = k + 1;
                    while j < v.len() && v.form(j) == "," {
                        j += 1;
                    }
                    break;
                }
                if is_final(f) || f == ";" || is_mark(f) || v.is_verbal(k) {
                    break;
                }
                k += 1;
            }
            if j == c.last + 1 && is_addressee_verb(v.form(c.tok)) {
                // "told the Kremlin-backed channel it was …"
                if let Some(m) = v.mention_at(j) {
                    let end = v.doc.mentions.get(m)?.range.end;
                    j = v.token_at_or_after(end);
                } else {
                    while j < v.len()
                        && matches!(v.upos(j), "DET" | "ADJ" | "NOUN" | "PROPN" | "NUM")
                        && j - c.last < 5
                    {
                        j += 1;
                    }
                }
            }
        }
        if j >= v.len() || !self.same_sentence(j, c.tok) || v.in_quote(j) != v.in_quote(c.tok) {
            return None;
        }
        let that = j > c.last + 1 && v.form(j - 1).eq_ignore_ascii_case("that");
        if c.kind == CueKind::Clausal && !according && !that {
            // a clause without "that": only after "say", "tell", "add" …, and a clause
            // with its verb before any comma ("said Tuesday, in a major coup" is not one)
            if !zero_that(v.form(c.tok)) {
                return None;
            }
            let mut k = j;
            while k < v.len() && self.same_sentence(k, c.tok) && !v.is_finite_verb(k) {
                if v.form(k) == "," || is_final(v.form(k)) {
                    return None;
                }
                k += 1;
            }
        }
        let f = v.form(j);
        if v.is_punct(j) || is_mark(f) {
            return None;
        }
        if c.kind == CueKind::Clausal
            && !according
            && !that
            && v.upos(j) == "ADP"
            && !f.eq_ignore_ascii_case("while")
        {
            return None;
        }
        let e = self.content_end(i, j)?;
        if c.kind == CueKind::Clausal && !(j..=e).any(|t| v.is_verbal(t) && !v.in_quote(t)) {
            return None;
        }
        // reported content that is a direct quote's lead-in ("said that, despite …, "I …")
        if (j..=e).all(|t| !v.is_verbal(t) || v.in_quote(t))
            && (e + 1 < v.len() && v.in_quote(e + 1))
        {
            return None;
        }
        Some((j, e))
    }

    /// The last token of reported content that starts at `j`.
    fn content_end(&self, i: usize, j: usize) -> Option<usize> {
        let v = self.v;
        let c = self.cues.get(i)?;
        let inside = v.in_quote(c.tok);
        let stop_at = self
            .cues
            .iter()
            .skip(i + 1)
            .filter(|n| self.same_sentence(n.tok, c.tok) && v.in_quote(n.tok) == inside)
            .filter(|n| n.has_subject || (n.tok > 0 && self.is_joiner(n.tok - 1)))
            .map(|n| self.left_edge(n))
            .find(|&l| l > j);
        let mut e = j;
        let mut t = j;
        while t < v.len() && self.same_sentence(t, c.tok) {
            if stop_at.is_some_and(|s| t >= s) {
                break;
            }
            let f = v.form(t);
            if !inside && v.in_quote(t) {
                // a quote of its own stops the report; a scare quote is not in the view
                break;
            }
            if inside && v.quote.get(t) != v.quote.get(c.tok) {
                break;
            }
            if f == ";" || (inside && is_mark(f)) {
                break;
            }
            if is_final(f) {
                break;
            }
            if f == "," && t + 1 < v.len() && is_any(v.form(t + 1), CLAUSE_BREAKS) {
                break;
            }
            if !v.is_punct(t) {
                e = t;
            }
            t += 1;
        }
        // leave out a joiner before the next clause ("…, but warned")
        while e > j && (self.is_joiner(e) || v.is_punct(e)) {
            e -= 1;
        }
        (e >= j).then_some(e)
    }

    /// Reported content before the cue: "Russia should …, Obama told reporters." — or,
    /// when what comes before is no clause, after it: "Rather than …, Obama argued, Assad
    /// drives …".
    fn backward(&self, c: &Cue, left: usize) -> Option<(usize, usize)> {
        let v = self.v;
        let s = v.sentence(c.tok)?;
        let first = s.tokens.start as usize;
        // the cue ends its clause: nothing but adverbials follow before a comma or the end
        let mut k = c.last + 1;
        if let Some(sp) = c.speaker {
            let st = v.token_at_or_after(sp.mention.start);
            if st == k {
                k = v.token_at_or_after(sp.mention.end);
            }
        }
        // an addressee, a place, a time ("told reporters in Paris on Monday"), no verb
        while k < s.tokens.end as usize
            && !v.in_quote(k)
            && !v.is_verbal(k)
            && !matches!(v.form(k), ",")
            && !is_final(v.form(k))
            && k - c.last < 10
        {
            k += 1;
        }
        let next = v.form(k);
        let ends = k >= s.tokens.end as usize || next == "," || is_final(next);
        // the comma before the speaker, maybe with a closing mark: `…," he said`
        let mut comma = left;
        if comma > 0 && is_mark(v.form(comma - 1)) {
            comma -= 1;
        }
        if !ends || comma == 0 || v.form(comma - 1) != "," || comma <= first + 1 {
            return None;
        }
        let left = comma;
        let mut b = first;
        while b < left && (self.is_joiner(b) || v.is_punct(b)) {
            b += 1;
        }
        let mut e = left - 2;
        while e > b && v.is_punct(e) {
            e -= 1;
        }
        if b > e || (b..=e).any(|t| v.in_quote(t)) {
            return None;
        }
        if self.cues_within(b, e + 1).iter().any(|o| o.tok != c.tok) {
            return None;
        }
        if (b..=e).any(|t| v.is_finite_verb(t)) {
            return Some((b, e));
        }
        // "Rather than a bulwark …, Obama argued, Assad drives …"
        if next != "," {
            return None;
        }
        let j = k + 1;
        let i = self.cues.binary_search_by_key(&c.tok, |x| x.tok).ok()?;
        let e = self.content_end(i, j)?;
        (j..=e).any(|t| v.is_finite_verb(t)).then_some((j, e))
    }
}

/// Words of time that may stand between a speaker and the verb: "Obama on Monday said".
/// Conjunctions that join clauses, left out at the edges of reported content.
const JOINERS: &[&str] = &[
    "and", "but", "so", "yet", "or", "while", "whilst", "whereas", "although", "though",
];

/// Conjunctions after a comma that start a new clause, which ends reported content.
const CLAUSE_BREAKS: &[&str] = &["while", "whilst", "whereas", "although", "though"];

const TIME_WORDS: &[&str] = &[
    "today",
    "yesterday",
    "tonight",
    "tomorrow",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "earlier",
    "later",
    "also",
];

/// Is `form` one of `list`, ignoring ASCII case?
fn is_any(form: &str, list: &[&str]) -> bool {
    list.iter().any(|w| w.eq_ignore_ascii_case(form))
}

/// Verbs whose first object is the addressee: "told reporters (that) …".
fn is_addressee_verb(form: &str) -> bool {
    is_any(
        form,
        &[
            "tell",
            "tells",
            "told",
            "telling",
            "assure",
            "assured",
            "assures",
            "assuring",
            "inform",
            "informed",
            "informs",
            "informing",
            "remind",
            "reminded",
            "reminds",
            "reminding",
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use annals_model::{DocActor, Paragraph};

    /// A headline analysed on its own, with the actor mentions the actors stage would
    /// make: `(surface, id, kind, how)`.
    fn headline_doc(title: &str, names: &[(&str, &str, ActorType, MentionHow)]) -> Document {
        let mut doc = Document {
            body: title.into(),
            side: Some(SidePlace::Title),
            paragraphs: vec![Paragraph {
                range: TextRange::new(0, title.len()),
            }],
            ..Default::default()
        };
        for &(surface, id, kind, how) in names {
            let at = title.find(surface).expect("the name is in the title");
            doc.actors.push(DocActor {
                id: id.into(),
                name: surface.into(),
                kind,
                named: true,
                ..Default::default()
            });
            doc.mentions.push(ActorMention {
                range: TextRange::new(at, at + surface.len()),
                actor: doc.actors.len() as u32 - 1,
                how,
            });
        }
        doc.mentions.sort_by_key(|m| m.range.start);
        doc
    }

    /// `speaker: statement [cue]` for each quote.
    fn said(doc: &Document) -> Vec<String> {
        find(doc)
            .iter()
            .map(|q| {
                let who = q
                    .speaker
                    .map_or("-", |a| doc.actors[a as usize].id.as_str());
                let cue = q.cue.map_or("-", |c| doc.text(c));
                assert!(!q.direct);
                format!("{who}: {} [{cue}]", doc.text(q.range))
            })
            .collect()
    }

    const PERSON: ActorType = ActorType::Person;
    const NAME: MentionHow = MentionHow::Name;

    #[test]
    fn a_dash_or_a_colon_after_the_statement_names_its_speaker() {
        let doc = headline_doc(
            "Russia needs to align with US-led anti-ISIL coalition members - Obama",
            &[("Obama", "barack-obama", PERSON, NAME)],
        );
        assert_eq!(
            said(&doc),
            ["barack-obama: Russia needs to align with US-led anti-ISIL coalition members [-]"]
        );
        let doc = headline_doc(
            "Russia, US to cooperate on fighting ISIS: Moscow",
            &[("Moscow", "russia", ActorType::Country, MentionHow::Metonym)],
        );
        assert_eq!(
            said(&doc),
            ["russia: Russia, US to cooperate on fighting ISIS [:]"]
        );
        let doc = headline_doc(
            "Airstrikes hit oil trucks — US official.",
            &[("US official", "us-officials", PERSON, MentionHow::Anonymous)],
        );
        assert_eq!(said(&doc), ["us-officials: Airstrikes hit oil trucks [—]"]);
    }

    #[test]
    fn a_person_or_body_and_a_colon_before_the_statement_is_its_speaker() {
        let doc = headline_doc(
            "Putin: Russia Considering Airstrikes Against Islamic State",
            &[("Putin", "vladimir-putin", PERSON, NAME)],
        );
        assert_eq!(
            said(&doc),
            ["vladimir-putin: Russia Considering Airstrikes Against Islamic State [:]"]
        );
        // a country or a city before the colon is what the story is about
        for (name, how) in [("Syria", NAME), ("Moscow", MentionHow::Metonym)] {
            let title = format!("{name}: Russian jets strike rebel positions");
            let doc = headline_doc(&title, &[(name, "x", ActorType::Country, how)]);
            assert!(said(&doc).is_empty(), "{title}");
        }
    }

    #[test]
    fn no_headline_statement_without_a_whole_speaker_or_enough_words() {
        let person = [("Obama", "barack-obama", PERSON, NAME)];
        for title in [
            "Obama: No",                              // too short
            "Talks in Geneva - Obama and his allies", // more than the name after the dash
            "Talks on the war in Syria - Obama in Paris",
        ] {
            assert!(said(&headline_doc(title, &person)).is_empty(), "{title}");
        }
        let place = [("Homs", "homs", ActorType::Location, NAME)];
        assert!(said(&headline_doc("Ten people killed in blast - Homs", &place)).is_empty());
        // the same words in a body are no headline
        let mut doc = headline_doc("Russia needs to align with the coalition - Obama", &person);
        doc.side = None;
        assert!(said(&doc).is_empty());
    }
}
