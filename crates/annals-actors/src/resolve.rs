//! The actors stage: finds every actor a document names and resolves each mention to one
//! actor, the same across documents.
//!
//! Per sentence, over the tokens and tags of the parse:
//! 1. Knowledge-base matches ([`crate::Matcher`]) and runs of proper nouns the knowledge
//!    base does not know.
//! 2. Noun phrases (chunks of determiners, adjectives, nouns, names and possessives, with
//!    an `of` complement where the head asks for one), each read by its head:
//!    - a name with a title before it: "US President Barack Obama", "political analyst
//!      Lilia Shevtsova" (the title types an unknown name and gives its country and role);
//!    - an office with a country: "the Russian president", "the Kremlin chief", "Russia's
//!      top diplomat", resolved to whoever held the office on the publication date;
//!    - a government: "the Assad regime", "the Syrian authorities", "Assad's forces";
//!    - a group's description: "Islamic State militants", and "the group" or "the
//!      jihadists" for the group named last;
//!    - a coalition, with its leader, backer, size and target: "the US-led coalition",
//!      "a coalition of 65 countries", "the US and its allies";
//!    - an anonymous source: "a US official", "many commentators";
//!    - a kind of actor of a country (the Phoenix agent nouns): "Israeli troops" is
//!      Israel's military.
//! 3. Surnames and honorifics ("Shevtsova", "Mr Putin") join the person named in full
//!    earlier; "he" and "she" join the closest person of that gender, preferring subjects.
//!
//! Actor ids: the knowledge base's id; `<country>-government` and `<country>-military`
//! for state bodies; a slug of the name for actors the knowledge base does not know.

use crate::entry::{ActorKind, AliasKind, Entry, Gender};
use crate::lexicon::{self, Office};
use crate::matcher::Target;
use crate::people::PeopleIndex;
use crate::{Date, KnowledgeBase};
use annals_model::{
    ActorMention, ActorType, Annotate, DocActor, Document, MentionHow, TextRange, Upos,
};
use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;

/// The annotation stage that fills [`Document::actors`] and [`Document::mentions`].
///
/// ```
/// use annals_actors::ActorStage;
/// let stage = ActorStage::bundled();
/// // without a parse, names are still found from the knowledge base
/// let mut doc = annals_model::Document {
///     body: "Lavrov met Kerry in Geneva.".into(),
///     published: Some("2015-09-30".into()),
///     ..Default::default()
/// };
/// annals_model::Annotate::annotate(&stage, &mut doc);
/// let ids: Vec<&str> = doc.actors.iter().map(|a| a.id.as_str()).collect();
/// assert!(ids.contains(&"sergei-lavrov") && ids.contains(&"john-kerry"));
/// ```
pub struct ActorStage {
    kb: Kb,
    /// The knowledge base's people by surname and first name.
    people: PeopleIndex,
}

enum Kb {
    Static(&'static KnowledgeBase),
    Owned(Arc<KnowledgeBase>),
}

impl ActorStage {
    /// The stage over the knowledge base that ships in the binary.
    pub fn bundled() -> Self {
        let kb = KnowledgeBase::bundled();
        Self {
            kb: Kb::Static(kb),
            people: PeopleIndex::new(kb),
        }
    }

    /// The stage over a knowledge base of one's own (the bundled one plus a user file).
    pub fn new(kb: KnowledgeBase) -> Self {
        Self {
            people: PeopleIndex::new(&kb),
            kb: Kb::Owned(Arc::new(kb)),
        }
    }

    /// The knowledge base it reads.
    pub fn kb(&self) -> &KnowledgeBase {
        match &self.kb {
            Kb::Static(k) => k,
            Kb::Owned(k) => k,
        }
    }
}

impl Annotate for ActorStage {
    fn name(&self) -> &'static str {
        "actors"
    }

    fn annotate(&self, doc: &mut Document) {
        let lower = doc.body.to_ascii_lowercase();
        let (actors, mentions) = {
            let mut r = Resolver::new(self.kb(), doc, &lower);
            r.people = Some(&self.people);
            r.run();
            (r.actors, r.mentions)
        };
        doc.actors = actors;
        doc.mentions = mentions;
    }
}

/// One token as the resolver sees it.
#[derive(Debug, Clone, Copy)]
struct Tok {
    range: TextRange,
    upos: Upos,
    /// The relation to its head is a subject.
    subject: bool,
    /// Index of a whole-token knowledge-base hit that covers it.
    hit: Option<u32>,
}

/// A knowledge-base match in a sentence, in tokens.
#[derive(Debug, Clone, Copy)]
struct Hit<'k> {
    range: TextRange,
    targets: &'k [Target],
    /// First token and one past the last, when the match covers whole tokens.
    toks: Option<(usize, usize)>,
}

/// A person mention, remembered for pronouns.
#[derive(Debug, Clone, Copy)]
struct PersonSeen {
    actor: u32,
    sentence: usize,
    token: usize,
    subject: bool,
}

/// A coalition of the document, with what the text says about it.
#[derive(Debug, Clone, Copy, Default)]
struct Coalition {
    actor: u32,
    leader: Option<u32>,
    backer: Option<u32>,
    size: Option<u32>,
    target: Option<u32>,
    /// A hash of the word after "anti-" when it names no actor ("anti-terror").
    target_word: Option<u64>,
    /// Said to be new ("a new coalition"): never one already named.
    fresh: bool,
    /// Said to be wide ("global", "international", "broad"): not one of a few members.
    wide: bool,
}

/// The fewest members a coalition called global or international has.
const WIDE: u32 = 10;

impl Coalition {
    fn compatible(&self, o: &Coalition) -> bool {
        if o.fresh {
            return false;
        }
        if self.target_word.is_some()
            && o.target_word.is_some()
            && self.target_word != o.target_word
        {
            return false;
        }
        let same = |a: Option<u32>, b: Option<u32>| a.is_none() || b.is_none() || a == b;
        let size = match (self.size, o.size) {
            (Some(a), Some(b)) => a.abs_diff(b) * 4 <= a.max(b),
            (Some(n), None) if o.wide => n >= WIDE,
            (None, Some(n)) if self.wide => n >= WIDE,
            _ => true,
        };
        same(self.leader, o.leader)
            && same(self.backer, o.backer)
            && same(self.target, o.target)
            && size
    }
}

struct Resolver<'a> {
    kb: &'a KnowledgeBase,
    doc: &'a Document,
    /// The body, ASCII-lowercased (same byte offsets).
    lower: &'a str,
    date: Option<Date>,
    actors: Vec<DocActor>,
    ids: HashMap<String, u32>,
    mentions: Vec<ActorMention>,
    persons: Vec<PersonSeen>,
    /// Last word of a person's name (lowercase) → the person.
    surnames: HashMap<String, u32>,
    last_group: Option<(u32, usize)>,
    last_gov: Option<u32>,
    coalitions: Vec<Coalition>,
    /// The actor each knowledge-base entry became, so an entry is one actor.
    entry_actor: HashMap<u32, u32>,
    /// The knowledge base's people by surname, for "President Mugabe".
    people: Option<&'a PeopleIndex>,
}

/// Which of a chunk's knowledge-base hits were used by its reading, so the rest become
/// mentions of their own.
type Used = Vec<bool>;

impl<'a> Resolver<'a> {
    fn new(kb: &'a KnowledgeBase, doc: &'a Document, lower: &'a str) -> Self {
        Self {
            kb,
            doc,
            lower,
            date: doc.published.as_deref().and_then(Date::parse),
            actors: Vec::new(),
            ids: HashMap::default(),
            mentions: Vec::new(),
            persons: Vec::new(),
            surnames: HashMap::default(),
            last_group: None,
            last_gov: None,
            coalitions: Vec::new(),
            entry_actor: HashMap::default(),
            people: None,
        }
    }

    fn run(&mut self) {
        let body = self.doc.body.as_str();
        let all: Vec<(TextRange, &'a [Target])> = self
            .kb
            .matcher()
            .find_iter(body)
            .map(|m| (m.range, m.targets()))
            .collect();
        if self.doc.sentences.is_empty() {
            // no segmentation: every match is a mention of its own
            for (range, targets) in all {
                let a = self.hit_actor(Hit {
                    range,
                    targets,
                    toks: None,
                });
                let how = mention_how(targets[0].kind);
                self.push(range, a, how);
            }
            self.finish();
            return;
        }
        let mut next_hit = 0;
        let mut toks = Vec::new();
        let mut hits = Vec::new();
        for si in 0..self.doc.sentences.len() {
            let s = &self.doc.sentences[si];
            toks.clear();
            hits.clear();
            for t in self.doc.sentence_tokens(s) {
                toks.push(Tok {
                    range: t.range,
                    upos: t.syn.upos,
                    subject: t.syn.deprel.base() == "nsubj",
                    hit: None,
                });
            }
            while next_hit < all.len() && all[next_hit].0.start < s.range.start {
                next_hit += 1;
            }
            while next_hit < all.len() && all[next_hit].0.end <= s.range.end {
                let (range, targets) = all[next_hit];
                let first = toks.partition_point(|t| t.range.start < range.start);
                let last = toks.partition_point(|t| t.range.end <= range.end);
                let whole = first < last
                    && toks[first].range.start == range.start
                    && toks[last - 1].range.end == range.end;
                if whole {
                    for t in &mut toks[first..last] {
                        t.hit = Some(hits.len() as u32);
                    }
                }
                hits.push(Hit {
                    range,
                    targets,
                    toks: whole.then_some((first, last)),
                });
                next_hit += 1;
            }
            if let Some(people) = self.people {
                self.people_hits(people, &mut toks, &mut hits);
            }
            self.sentence(si, &toks, &hits);
        }
        self.finish();
    }

    /// Names the matcher missed that the people index knows ("President Bouteflika",
    /// "Francois Mitterand", "Omar El Bashir") become hits; they replace the hits they
    /// overlap ("Hassan" inside "Omar Hassan al-Bashir").
    fn people_hits(&self, people: &'a PeopleIndex, toks: &mut [Tok], hits: &mut Vec<Hit<'a>>) {
        let is_person_hit = |t: &Tok, hits: &[Hit<'a>]| {
            t.hit
                .is_some_and(|h| is_person(self.kb, hits[h as usize].targets))
        };
        let name_word = |j: usize, hits: &[Hit<'a>]| {
            toks.get(j).is_some_and(|t| {
                t.upos.is_propn()
                    && (t.hit.is_none() || is_person_hit(t, hits))
                    && !lexicon::is_title_part(self.word(t))
                    && !lexicon::is_honorific(self.word(t))
            })
        };
        let glued = |j: usize| j > 0 && toks[j - 1].range.end == toks[j].range.start;
        let mut found: Vec<Hit<'a>> = Vec::new();
        let mut i = 0;
        while i < toks.len() {
            if !name_word(i, hits) {
                i += 1;
                continue;
            }
            // the run: name words, particles before a name word, glued hyphens
            let mut j = i + 1;
            loop {
                if name_word(j, hits) {
                    j += 1;
                } else if j + 1 < toks.len()
                    && (self.word(&toks[j]) == "-" && glued(j) && glued(j + 1)
                        || matches!(
                            self.word(&toks[j]),
                            "al" | "el"
                                | "bin"
                                | "ibn"
                                | "de"
                                | "da"
                                | "dos"
                                | "du"
                                | "van"
                                | "von"
                        ))
                    && name_word(j + 1, hits)
                {
                    j += 2;
                } else {
                    break;
                }
            }
            let range =
                TextRange::new(toks[i].range.start as usize, toks[j - 1].range.end as usize);
            let (s, e) = (i, j);
            i = j;
            // already a hit as a whole
            if hits.iter().any(|h| h.range == range) {
                continue;
            }
            let titled = (s.saturating_sub(2)..s).any(|k| {
                let w = self.word(&toks[k]);
                lexicon::is_title_word(w) || lexicon::is_honorific(w)
            });
            let words: Vec<&str> = self.text(range).split_whitespace().collect();
            if words.len() < 2 && !titled {
                continue;
            }
            let Some(entry) = people.lookup(&words, titled) else {
                continue;
            };
            // a hit inside that already names this person: nothing to add
            if toks[s..e].iter().any(|t| {
                t.hit
                    .is_some_and(|h| hits[h as usize].targets.iter().any(|x| x.entry == entry))
            }) {
                continue;
            }
            found.push(Hit {
                range,
                targets: people.target(entry),
                toks: Some((s, e)),
            });
        }
        if found.is_empty() {
            return;
        }
        let overlaps = |a: TextRange, b: TextRange| a.start < b.end && b.start < a.end;
        hits.retain(|h| !found.iter().any(|f| overlaps(f.range, h.range)));
        hits.extend(found);
        hits.sort_by_key(|h| (h.range.start, std::cmp::Reverse(h.range.end)));
        for t in toks.iter_mut() {
            t.hit = None;
        }
        for (k, h) in hits.iter().enumerate() {
            if let Some((s, e)) = h.toks {
                for t in &mut toks[s..e] {
                    t.hit = Some(k as u32);
                }
            }
        }
    }

    fn finish(&mut self) {
        self.mentions
            .sort_by_key(|m| (m.range.start, std::cmp::Reverse(m.range.end)));
        self.mentions
            .dedup_by(|a, b| a.range == b.range && a.actor == b.actor);
    }

    fn word_at(&self, toks: &[Tok], i: usize) -> &'a str {
        toks.get(i).map_or("", |t| self.word(t))
    }

    fn word(&self, t: &Tok) -> &'a str {
        t.range.slice(self.lower)
    }

    fn text(&self, r: TextRange) -> &'a str {
        r.slice(&self.doc.body)
    }

    fn push(&mut self, range: TextRange, actor: u32, how: MentionHow) {
        self.mentions.push(ActorMention { range, actor, how });
    }

    // ---- actors ----

    fn actor(&mut self, a: DocActor) -> u32 {
        if let Some(&i) = self.ids.get(&a.id) {
            return i;
        }
        let i = self.actors.len() as u32;
        self.ids.insert(a.id.clone(), i);
        self.actors.push(a);
        i
    }

    /// The actor of a knowledge-base entry, made on first use.
    fn entry_actor(&mut self, e: u32) -> u32 {
        if let Some(&a) = self.entry_actor.get(&e) {
            return a;
        }
        let entry = self.kb.entry(crate::EntryId(e));
        let rec = self.record_of(entry);
        let a = self.actor(rec);
        self.entry_actor.insert(e, a);
        if entry.kind == ActorKind::Person {
            if let Some(last) = entry.name.rsplit(' ').next() {
                self.surnames.insert(last.to_ascii_lowercase(), a);
            }
        }
        a
    }

    /// The actor a match names: the entry already in the document, else the one holding
    /// an office on the date, else the first. A place inside a country is a location.
    fn hit_actor(&mut self, h: Hit<'a>) -> u32 {
        let targets = h.targets;
        let pick = if targets.len() > 1 {
            targets
                .iter()
                .find(|t| self.entry_actor.contains_key(&t.entry.0))
                .or_else(|| {
                    let d = self.date?;
                    targets
                        .iter()
                        .find(|t| self.kb.entry(t.entry).roles_on(d).next().is_some())
                })
                .unwrap_or(&targets[0])
        } else {
            &targets[0]
        };
        let t = *pick;
        if t.kind == AliasKind::Place {
            let country = self.kb.entry(t.entry);
            let name = self.text(h.range).to_string();
            return self.actor(DocActor {
                id: slug(&name),
                name,
                kind: ActorType::Location,
                country: country.country.clone(),
                affiliation: Some(country.id.clone()),
                named: true,
                ..Default::default()
            });
        }
        self.entry_actor(t.entry.0)
    }

    fn record_of(&self, e: &Entry) -> DocActor {
        let kind = match e.kind {
            ActorKind::Person => ActorType::Person,
            ActorKind::Country => ActorType::Country,
            ActorKind::Organization => ActorType::Organization,
            ActorKind::Group => ActorType::Group,
            ActorKind::Alliance => ActorType::Alliance,
            ActorKind::Location => ActorType::Location,
        };
        let roles = match self.date {
            Some(d) => e.roles_on(d).map(|r| self.role_name(&r.key)).collect(),
            None => Vec::new(),
        };
        // a country is coded as itself: the dated codes Phoenix gives a country's name are
        // its place in a former state ("Serbia" as `SCGSRB` in 1992–2006, Georgia as
        // `USRGEO`), which would code today's Serbia as Serbia and Montenegro
        let cameo = match self.date {
            Some(d) if e.kind != ActorKind::Country => e.cameo_on(d).map(str::to_string),
            _ => e.cameo.clone(),
        };
        let affiliation = match e.kind {
            ActorKind::Country => None,
            _ => e
                .country
                .as_deref()
                .and_then(|c| self.kb.country(c))
                .map(|c| c.id.clone()),
        };
        DocActor {
            id: e.id.clone(),
            name: e.name.clone(),
            kind,
            country: e.country.clone(),
            roles,
            cameo,
            affiliation,
            named: true,
            gender: e.gender,
        }
    }

    /// "RUS head of state" → "head of state of Russia".
    fn role_name(&self, key: &str) -> String {
        match key.split_once(' ') {
            Some((iso, rest)) if iso.len() == 3 && iso.bytes().all(|b| b.is_ascii_uppercase()) => {
                match self.kb.country(iso) {
                    Some(c) => format!("{rest} of {}", c.name),
                    None => key.to_string(),
                }
            }
            _ => key.to_string(),
        }
    }

    /// A country's first demonym ("Syrian"), else its name.
    fn demonym(&self, c: &Entry) -> String {
        c.aliases
            .iter()
            .find(|a| a.kind == AliasKind::Demonym)
            .map_or_else(|| c.name.clone(), |a| a.text.clone())
    }

    fn government_of(&mut self, country: &'a Entry) -> u32 {
        let id = format!("{}-government", country.id);
        let name = format!("{} government", self.demonym(country));
        let a = self.actor(DocActor {
            id,
            name,
            kind: ActorType::Organization,
            country: country.country.clone(),
            roles: Vec::new(),
            cameo: country.cameo.as_ref().map(|c| format!("{c}GOV")),
            affiliation: Some(country.id.clone()),
            named: true,
            gender: None,
        });
        self.last_gov = Some(a);
        a
    }

    fn sector_of(&mut self, country: &'a Entry, code: &str) -> Option<u32> {
        let sector = code.trim_start_matches('~');
        let base = sector.get(..3)?;
        if base == "GOV" {
            return Some(self.government_of(country));
        }
        let name = lexicon::sector_name(base)?;
        Some(self.actor(DocActor {
            id: format!("{}-{}", country.id, slug(name)),
            name: format!("{} {name}", self.demonym(country)),
            kind: if matches!(base, "REB" | "UAF" | "OPP" | "CVL" | "REF") {
                ActorType::Group
            } else {
                ActorType::Organization
            },
            country: country.country.clone(),
            roles: Vec::new(),
            cameo: country.cameo.as_ref().map(|c| format!("{c}{sector}")),
            affiliation: Some(country.id.clone()),
            named: true,
            gender: None,
        }))
    }

    // ---- sentences ----

    fn sentence(&mut self, si: usize, toks: &[Tok], hits: &[Hit<'a>]) {
        let mut used: Used = vec![false; hits.len()];
        let chunks = self.chunks(toks);
        for (k, &(a, b)) in chunks.iter().enumerate() {
            // `of` complements right after the chunk, up to two: "the government of President
            // Bashar al-Assad of Syria"
            let mut ext: Option<(usize, usize)> = None;
            let mut end = b;
            for &(c, d) in chunks.iter().skip(k + 1).take(2) {
                if c == end + 1 && self.word(&toks[end]) == "of" {
                    ext = Some((ext.map_or(c, |e| e.0), d));
                    end = d;
                } else {
                    break;
                }
            }
            self.chunk(si, toks, hits, &mut used, a, b, ext);
        }
        // hits the chunks did not use: names, demonyms, capitals on their own
        for (i, h) in hits.iter().enumerate() {
            if used[i] {
                continue;
            }
            let a = self.hit_actor(*h);
            let how = mention_how(h.targets[0].kind);
            self.push(h.range, a, how);
            if let Some((s, e)) = h.toks {
                self.note(si, toks, a, s, e);
            }
        }
        self.pronouns(si, toks);
    }

    /// Base noun phrases: `(first, one past last)` token indices.
    fn chunks(&self, toks: &[Tok]) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut start: Option<usize> = None;
        let close = |out: &mut Vec<(usize, usize)>, s: usize, e: usize, toks: &[Tok]| {
            // trim what cannot end a noun phrase
            let mut e = e;
            while e > s && !ends_np(&toks[e - 1]) {
                e -= 1;
            }
            if e > s {
                out.push((s, e));
            }
        };
        for (i, t) in toks.iter().enumerate() {
            let w = self.word(t);
            // "UN - backed", "65 - nation": a word joined by a hyphen stays in the phrase
            let glued = |j: usize| j > 0 && toks[j - 1].range.end == toks[j].range.start;
            let after_hyphen = i > 0 && self.word(&toks[i - 1]) == "-" && glued(i);
            let det = t.upos.as_str() == "DET" || is_possessive_pronoun(w);
            let upos = |j: usize| toks.get(j).map_or("", |t: &Tok| t.upos.as_str());
            // "moderate, secular, and inclusive forces": coordinated adjectives stay in
            let coordinated = start.is_some()
                && (upos(i.wrapping_sub(1)) == "ADJ"
                    || self.word_at(toks, i.wrapping_sub(1)) == ","
                        && upos(i.wrapping_sub(2)) == "ADJ")
                && matches!(w, "," | "and" | "or")
                && (upos(i + 1) == "ADJ"
                    || matches!(self.word_at(toks, i + 1), "and" | "or") && upos(i + 2) == "ADJ");
            // "is worried pro-Russian separatists": a participle after a copula is the
            // predicate, not the phrase's first adjective
            let predicate = start.is_none()
                && t.upos.as_str() == "ADJ"
                && w.ends_with("ed")
                && i > 0
                && matches!(
                    self.word(&toks[i - 1]),
                    "is" | "are" | "was" | "were" | "be" | "been" | "being" | "'s" | "'re"
                )
                && matches!(upos(i + 1), "ADJ" | "NOUN" | "PROPN");
            let np = !predicate
                && (t.hit.is_some()
                    || matches!(t.upos.as_str(), "ADJ" | "NOUN" | "PROPN" | "NUM")
                    || (is_possessive_marker(w) && start.is_some())
                    || (w == "-" && start.is_some() && glued(i))
                    || (after_hyphen && start.is_some())
                    || coordinated);
            match start {
                Some(s) if det => {
                    close(&mut out, s, i, toks);
                    start = Some(i);
                }
                Some(_) if np => {}
                Some(s) => {
                    close(&mut out, s, i, toks);
                    start = None;
                }
                None if det || np => start = Some(i),
                None => {}
            }
        }
        if let Some(s) = start {
            close(&mut out, s, toks.len(), toks);
        }
        out
    }

    /// Read one noun phrase `a..b`, with an optional `of` complement.
    #[allow(clippy::too_many_arguments)]
    fn chunk(
        &mut self,
        si: usize,
        toks: &[Tok],
        hits: &[Hit<'a>],
        used: &mut Used,
        a: usize,
        b: usize,
        ext: Option<(usize, usize)>,
    ) {
        let words: Vec<&str> = toks[a..b].iter().map(|t| self.word(t)).collect();
        let head = *words.last().unwrap_or(&"");
        let range = TextRange::new(toks[a].range.start as usize, toks[b - 1].range.end as usize);
        // hits wholly inside the chunk
        let inside: Vec<usize> = (0..hits.len())
            .filter(|&i| hits[i].range.start >= range.start && hits[i].range.end <= range.end)
            .collect();
        let last_hit = inside
            .iter()
            .copied()
            .find(|&i| hits[i].toks.is_some_and(|(_, e)| e == b));
        // a capitalised office is no name: "The Russian President added"
        let head_is_name =
            last_hit.is_some() || toks[b - 1].upos.is_propn() && !lexicon::is_title_word(head);

        // the US and its allies
        if words == ["its", "allies"] && a >= 2 && self.word(&toks[a - 1]) == "and" {
            if let Some(l) = toks[a - 2].hit {
                let h = hits[l as usize];
                let leader = self.hit_actor(h);
                let c = Coalition {
                    leader: Some(leader),
                    ..Default::default()
                };
                // with the article before the leader: "the US and its allies"
                let start = match a.checked_sub(3) {
                    Some(d) if lexicon::is_definite(self.word(&toks[d])) => toks[d].range.start,
                    _ => h.range.start,
                };
                let whole = TextRange::new(start as usize, range.end as usize);
                let actor = self.coalition(c, "its allies");
                self.push(whole, actor, MentionHow::Description);
                return;
            }
        }

        if self.people_group_chunk(toks, hits, used, &inside, a, b, ext) {
            return;
        }

        if lexicon::is_coalition_noun(head) && !head_is_name
            || last_hit.is_some_and(|i| is_alliance(self.kb, hits[i].targets))
        {
            self.coalition_chunk(si, toks, hits, used, &inside, a, b, ext, &words);
            return;
        }
        // "coalition members", "alliance partners": the coalition is named in the phrase
        if b - a >= 2
            && matches!(head, "members" | "member" | "partners" | "partner")
            && lexicon::is_coalition_noun(words[words.len() - 2])
        {
            self.coalition_chunk(
                si,
                toks,
                hits,
                used,
                &inside,
                a,
                b - 1,
                None,
                &words[..words.len() - 1],
            );
            return;
        }

        if head_is_name {
            self.name_chunk(si, toks, hits, used, &inside, a, b, last_hit, ext);
            return;
        }

        // a common-noun head: the words before it may name its country or leader
        let country = self.country_in(hits, &inside, used);
        let person = inside
            .iter()
            .copied()
            .find(|&i| is_person(self.kb, hits[i].targets));
        let definite = lexicon::is_definite(words[0]);

        if let Some((office, n)) = lexicon::office(&words) {
            let before = &words[..words.len() - n];
            // "the Kremlin chief", "Russia's top diplomat": only an office with a country, or a
            // definite one that refers back
            if let Some(who) =
                self.office_holder(office, country.map(|c| c.1), definite && before.len() <= 1)
            {
                if let Some((i, _)) = country {
                    used[i] = true;
                    let c = self.hit_actor(hits[i]);
                    self.push(hits[i].range, c, MentionHow::Adjective);
                }
                self.push(range, who, MentionHow::Description);
                self.note(si, toks, who, a, b);
                return;
            }
        }

        let force = lexicon::is_force_noun(head);
        let gov_forces =
            force && words.len() >= 2 && lexicon::is_government_noun(words[words.len() - 2]);
        if lexicon::is_government_noun(head) || (force && person.is_some()) || gov_forces {
            let gov_country = match (person, country) {
                (Some(p), _) => {
                    let e = self.kb.entry(hits[p].targets[0].entry);
                    e.country.as_deref().and_then(|c| self.kb.country(c))
                }
                (None, Some((_, c))) => Some(c),
                _ => ext.and_then(|(c, d)| self.country_of_span(hits, c, d, toks)),
            };
            let gov = match gov_country {
                Some(c) => Some(self.government_of(c)),
                None if definite
                    || words.len() >= 2 && lexicon::is_government_noun(words[words.len() - 2]) =>
                {
                    self.last_gov
                }
                None => None,
            };
            if let Some(g) = gov {
                let end = match ext {
                    Some((_, d))
                        if gov_country.is_some() && person.is_none() && country.is_none() =>
                    {
                        toks[d - 1].range.end as usize
                    }
                    _ => range.end as usize,
                };
                let whole = TextRange::new(range.start as usize, end);
                self.push(whole, g, MentionHow::Description);
                self.last_gov = Some(g);
                return;
            }
        }

        if lexicon::is_group_noun(head) {
            if let Some(&g) = inside
                .iter()
                .find(|&&i| self.kb.entry(hits[i].targets[0].entry).kind == ActorKind::Group)
            {
                used[g] = true;
                let actor = self.hit_actor(hits[g]);
                self.push(range, actor, MentionHow::Titled);
                self.last_group = Some((actor, si));
                return;
            }
            if definite && inside.is_empty() && lexicon::is_anaphoric_group_noun(head) {
                if let Some((g, seen)) = self.last_group {
                    if si <= seen + 20 {
                        self.push(range, g, MentionHow::Description);
                        self.last_group = Some((g, si));
                        return;
                    }
                }
            }
        }

        if lexicon::is_states_noun(head) {
            if let Some(&r) = inside.iter().find(|&&i| {
                matches!(
                    self.kb.entry(hits[i].targets[0].entry).kind,
                    ActorKind::Location | ActorKind::Country
                )
            }) {
                used[r] = true;
                let actor = self.hit_actor(hits[r]);
                self.push(range, actor, MentionHow::Description);
                return;
            }
        }

        if let Some(noun) = lexicon::anonymous_noun(head) {
            let quantified = !definite;
            if quantified && person.is_none() {
                // whose: a country ("a US official"), else an organisation or group named
                // in the phrase ("a senior Hamas official")
                let org = country.is_none().then(|| {
                    inside.iter().copied().find(|&i| {
                        !used[i]
                            && matches!(
                                self.kb.entry(hits[i].targets[0].entry).kind,
                                ActorKind::Organization | ActorKind::Group
                            )
                    })
                });
                let owner = country.map(|c| c.0).or(org.flatten());
                // the officials of an organisation of no country act for it: "Red Cross
                // officials" have the Red Cross's code
                let (oid, oname, ocountry, ocameo) =
                    match owner.map(|i| self.kb.entry(hits[i].targets[0].entry)) {
                        Some(e) if e.kind == ActorKind::Country => (
                            format!("{}-", e.id),
                            format!("{} ", short_name(e)),
                            e.country.clone(),
                            None,
                        ),
                        Some(e) => (
                            format!("{}-", e.id),
                            format!("{} ", e.name),
                            e.country.clone(),
                            e.country.is_none().then(|| e.cameo.clone()).flatten(),
                        ),
                        None => (String::new(), String::new(), None, None),
                    };
                let actor = self.actor(DocActor {
                    id: format!("{oid}{noun}"),
                    name: format!("{oname}{noun}"),
                    kind: ActorType::Group,
                    country: ocountry,
                    roles: Vec::new(),
                    cameo: ocameo,
                    affiliation: owner.map(|i| self.kb.entry(hits[i].targets[0].entry).id.clone()),
                    named: false,
                    gender: None,
                });
                if let Some(i) = owner {
                    used[i] = true;
                    let c = self.hit_actor(hits[i]);
                    self.push(hits[i].range, c, mention_how(hits[i].targets[0].kind));
                }
                self.push(range, actor, MentionHow::Anonymous);
                // one unnamed person ("a senior official") is who "he" or "she" may be next
                if !head.ends_with('s') || matches!(head, "witness" | "spokesperson") {
                    self.persons.push(PersonSeen {
                        actor,
                        sentence: si,
                        token: b - 1,
                        subject: toks[a..b].iter().any(|t| t.subject),
                    });
                }
                return;
            }
        }

        if lexicon::is_org_descriptor(head) {
            if let Some(&o) = inside.iter().rev().find(|&&i| {
                matches!(
                    self.kb.entry(hits[i].targets[0].entry).kind,
                    ActorKind::Organization
                )
            }) {
                used[o] = true;
                let actor = self.hit_actor(hits[o]);
                self.push(range, actor, MentionHow::Titled);
                return;
            }
        }

        // groups against a government: "groups opposed to Assad", "rebels fighting the
        // regime"
        if let Some((c, end)) = self.opposed_to(toks, hits, b) {
            if matches!(
                head,
                "groups" | "rebels" | "forces" | "fighters" | "factions" | "militias" | "parties"
            ) {
                if let Some(actor) = self.sector_of(c, "~OPP") {
                    let whole = TextRange::new(range.start as usize, end);
                    self.push(whole, actor, MentionHow::Description);
                    return;
                }
            }
        }

        // a kind of actor of a country: "Israeli troops", "separatists in eastern Ukraine"
        let Some(code) = lexicon::agent(&words)
            .filter(|(c, _)| c.starts_with('~'))
            .map(|(c, _)| c)
            .or_else(|| (head == "opposition").then_some("~OPP"))
        else {
            return;
        };
        // an opposition with no country named: the government the sentence or the text
        // is about ("strikes against the moderate opposition bolster the Assad regime")
        let place = country
            .is_none()
            .then(|| self.place_after(toks, hits, b))
            .flatten();
        let country = country.filter(|_| place.is_none()).or_else(|| {
            if place.is_some() {
                return None;
            }
            let opposes = code.starts_with("~OPP") || code.starts_with("~REB");
            let c = opposes.then(|| self.ruled_country(toks, hits)).flatten()?;
            Some((usize::MAX, c))
        });
        if let Some((i, c)) = country {
            if let Some(actor) = self.sector_of(c, code) {
                if let Some(h) = hits.get(i) {
                    used[i] = true;
                    let ca = self.hit_actor(*h);
                    self.push(h.range, ca, MentionHow::Adjective);
                }
                self.push(range, actor, MentionHow::Description);
            }
        } else if let Some((c, end)) = place {
            if let Some(actor) = self.sector_of(c, code) {
                // with a stance prefix the tokenizer split off: "pro-Russian separatists"
                let before = self.lower.get(..range.start as usize).unwrap_or("");
                let start = ["pro-", "anti-"]
                    .iter()
                    .find(|p| before.ends_with(*p))
                    .map_or(range.start as usize, |p| range.start as usize - p.len());
                let whole = TextRange::new(start, end);
                self.push(whole, actor, MentionHow::Description);
                // and without the place: "pro-Russian separatists"
                self.push(
                    TextRange::new(start, range.end as usize),
                    actor,
                    MentionHow::Description,
                );
            }
        }
    }

    /// A people or faith without a state in the country it lives in: "Yoruba leaders",
    /// "Moslem forces in east Bosnia", "ethnic Albanians in south Serbia", "the Albanian
    /// population" of a province of Montenegro. The country is the place the phrase names
    /// ("in"/"of"), else the nearest country named before it in the sentence, else after.
    /// False when the phrase is not one.
    #[allow(clippy::too_many_arguments)]
    fn people_group_chunk(
        &mut self,
        toks: &[Tok],
        hits: &[Hit<'a>],
        used: &mut Used,
        inside: &[usize],
        a: usize,
        b: usize,
        ext: Option<(usize, usize)>,
    ) -> bool {
        let demonym = |t: &Tok| {
            t.hit
                .map(|h| hits[h as usize])
                .filter(|h| h.targets[0].kind == AliasKind::Demonym)
                .map(|h| (h, self.kb.entry(h.targets[0].entry)))
                .filter(|(_, e)| e.kind == ActorKind::Country)
        };
        let is_noun = |t: &Tok| t.upos.as_str() == "NOUN";
        // (first token, one past the last, the group's name, the country of its demonym)
        let mut found: Option<(usize, usize, String, Option<&'a Entry>)> = None;
        // a demonym alone is placed by a place it names only: "Albanians" are Albania's
        let mut bare = false;
        for k in a..b {
            let w = self.word(&toks[k]);
            if let Some(name) = lexicon::people_group(w).filter(|_| toks[k].hit.is_none()) {
                // before the phrase's noun ("Yoruba leaders", "Tamil civilian refugees"),
                // or the noun itself ("Sunnis", "ethnic Turks")
                let noun_after = toks[k + 1..b].iter().any(is_noun);
                if noun_after || k + 1 == b && w.ends_with('s') {
                    found = Some((k, k + 1, name.to_string(), None));
                }
                break;
            }
            if let Some((h, e)) = demonym(&toks[k]) {
                let (_, he) = h.toks.unwrap_or((k, k + 1));
                let ethnic = k > a && self.word(&toks[k - 1]) == "ethnic";
                let settled = toks.get(he).is_some_and(|t| {
                    he < b
                        && matches!(
                            self.word(t),
                            "population" | "minority" | "minorities" | "community" | "communities"
                        )
                });
                if ethnic || settled {
                    let s = if ethnic { k - 1 } else { k };
                    let name = format!("ethnic {}", self.text(h.range));
                    found = Some((s, he, name, Some(e)));
                } else if he == b {
                    // "the Albanians of southern Serbia": a people of one country in another
                    found = Some((k, he, self.text(h.range).to_string(), Some(e)));
                    bare = true;
                }
                break;
            }
        }
        let Some((s, e, name, own)) = found else {
            return false;
        };
        // a phrase that names another actor is about that one ("Kurdish leader Barzani");
        // a country it names places the group ("Syrian Kurdish forces")
        let mut named_country = None;
        for &i in inside {
            let x = hits[i].toks.map_or(usize::MAX, |(x, _)| x);
            if (s..e).contains(&x) {
                continue;
            }
            let en = self.kb.entry(hits[i].targets[0].entry);
            if en.kind != ActorKind::Country || own.is_some_and(|o| o.id == en.id) {
                return false;
            }
            named_country = named_country.or(Some(en));
        }
        let differs = |c: &&'a Entry| own.is_none_or(|o| o.id != c.id);
        // the place of "of": a country or a place of one, not an adjective ("of the
        // Israeli-occupied West Bank" is the West Bank's)
        let place_of = |c: usize, d: usize| {
            let r = TextRange::new(toks[c].range.start as usize, toks[d - 1].range.end as usize);
            hits.iter()
                .filter(|h| h.range.start >= r.start && h.range.end <= r.end)
                .filter(|h| h.targets[0].kind != AliasKind::Demonym)
                .find_map(|h| {
                    let en = self.kb.entry(h.targets[0].entry);
                    match en.kind {
                        ActorKind::Country => Some(en),
                        ActorKind::Location => self.kb.country(en.country.as_deref()?),
                        _ => None,
                    }
                })
        };
        let place = ext
            .and_then(|(c, d)| Some((place_of(c, d)?, toks[d - 1].range.end)))
            .or_else(|| {
                self.place_after(toks, hits, b)
                    .map(|(c, end)| (c, end as u32))
            })
            .filter(|(c, _)| differs(c));
        let country = match (named_country, place) {
            (Some(c), _) => Some(c),
            (None, Some((c, _))) => Some(c),
            (None, None) if bare => None,
            (None, None) => self.nearest_country(toks, hits, a, b, own),
        };
        let Some(country) = country else {
            return false;
        };
        let group = format!("{name} in {}", short_name(country));
        let actor = self.actor(DocActor {
            id: slug(&group),
            name: group,
            kind: ActorType::Group,
            country: country.country.clone(),
            roles: Vec::new(),
            cameo: None,
            affiliation: None,
            named: true,
            gender: None,
        });
        for &i in inside {
            used[i] = true;
        }
        let end = place.map_or(toks[b - 1].range.end, |(_, end)| end);
        let whole = TextRange::new(toks[a].range.start as usize, end as usize);
        self.push(whole, actor, MentionHow::Description);
        if end != toks[b - 1].range.end {
            let short =
                TextRange::new(toks[a].range.start as usize, toks[b - 1].range.end as usize);
            self.push(short, actor, MentionHow::Description);
        }
        true
    }

    /// The country named nearest before tokens `a..b` in the sentence, else nearest after;
    /// never `not`.
    fn nearest_country(
        &self,
        toks: &[Tok],
        hits: &[Hit<'a>],
        a: usize,
        b: usize,
        not: Option<&'a Entry>,
    ) -> Option<&'a Entry> {
        let country = |h: &Hit<'a>| {
            let e = self.kb.entry(h.targets[0].entry);
            (e.kind == ActorKind::Country && not.is_none_or(|n| n.id != e.id)).then_some(e)
        };
        let (start, end) = (toks[a].range.start, toks[b - 1].range.end);
        hits.iter()
            .rev()
            .filter(|h| h.range.end <= start)
            .find_map(country)
            .or_else(|| {
                hits.iter()
                    .filter(|h| h.range.start >= end)
                    .find_map(country)
            })
    }

    /// "opposed to Assad", "fighting the Assad regime" right after token `b`: the
    /// country of the person or government opposed, and where the phrase ends.
    fn opposed_to(&self, toks: &[Tok], hits: &[Hit<'a>], b: usize) -> Option<(&'a Entry, usize)> {
        let mut j = match (self.word_at(toks, b), self.word_at(toks, b + 1)) {
            ("opposed", "to") => b + 2,
            ("fighting" | "battling" | "against", _) => b + 1,
            _ => return None,
        };
        if lexicon::is_definite(self.word_at(toks, j)) {
            j += 1;
        }
        let h = hits[toks.get(j)?.hit? as usize];
        let e = self.kb.entry(h.targets[0].entry);
        let (_, he) = h.toks?;
        let country = match e.kind {
            ActorKind::Person | ActorKind::Country => self.kb.country(e.country.as_deref()?)?,
            _ => return None,
        };
        // "the Assad regime": the phrase ends after the government noun
        let end = if lexicon::is_government_noun(self.word_at(toks, he)) {
            toks[he].range.end
        } else {
            toks[he - 1].range.end
        };
        Some((country, end as usize))
    }

    /// The country whose government a sentence is about: a person's "regime" or
    /// "government" in the sentence, else the government named last.
    fn ruled_country(&self, toks: &[Tok], hits: &[Hit<'a>]) -> Option<&'a Entry> {
        let in_sentence = hits.iter().find_map(|h| {
            let (_, e) = h.toks?;
            if !lexicon::is_government_noun(self.word_at(toks, e)) {
                return None;
            }
            let entry = self.kb.entry(h.targets[0].entry);
            (entry.kind == ActorKind::Person)
                .then(|| self.kb.country(entry.country.as_deref()?))
                .flatten()
        });
        in_sentence.or_else(|| {
            let g = &self.actors[self.last_gov? as usize];
            self.kb.country(g.country.as_deref()?)
        })
    }

    /// The country of "in <place>" right after token `b`, and where the place ends.
    fn place_after(&self, toks: &[Tok], hits: &[Hit<'a>], b: usize) -> Option<(&'a Entry, usize)> {
        if toks.get(b).map(|t| self.word(t)) != Some("in") {
            return None;
        }
        let mut j = b + 1;
        while j < toks.len()
            && (toks[j].hit.is_some()
                || matches!(toks[j].upos.as_str(), "DET" | "ADJ" | "PROPN" | "NOUN")
                || is_possessive_marker(self.word(&toks[j])))
        {
            j += 1;
        }
        if j <= b + 1 {
            return None;
        }
        let span = TextRange::new(
            toks.get(b + 1)?.range.start as usize,
            toks.get(j.checked_sub(1)?)?.range.end as usize,
        );
        hits.iter()
            .filter(|h| h.range.start >= span.start && h.range.end <= span.end)
            .find_map(|h| {
                let t = h.targets[0];
                let e = self.kb.entry(t.entry);
                (e.kind == ActorKind::Country).then_some(e)
            })
            .map(|e| (e, span.end as usize))
    }

    /// The country a chunk's modifiers name: a country's name, demonym, capital or seat
    /// before `b` (the head), or in the `of` complement.
    fn country_in(
        &self,
        hits: &[Hit<'a>],
        inside: &[usize],
        used: &Used,
    ) -> Option<(usize, &'a Entry)> {
        inside.iter().copied().find_map(|i| {
            // "pro-Russian separatists" are not Russia's: a stance, not an owner
            let before = self.lower.get(..hits[i].range.start as usize).unwrap_or("");
            if used[i] || before.ends_with("pro-") || before.ends_with("anti-") {
                return None;
            }
            let t = hits[i].targets[0];
            let e = self.kb.entry(t.entry);
            (e.kind == ActorKind::Country && t.kind != AliasKind::Place).then_some((i, e))
        })
    }

    fn country_of_span(
        &self,
        hits: &[Hit<'a>],
        c: usize,
        d: usize,
        toks: &[Tok],
    ) -> Option<&'a Entry> {
        let r = TextRange::new(toks[c].range.start as usize, toks[d - 1].range.end as usize);
        hits.iter()
            .filter(|h| h.range.start >= r.start && h.range.end <= r.end)
            .find_map(|h| {
                let e = self.kb.entry(h.targets[0].entry);
                match e.kind {
                    ActorKind::Country => Some(e),
                    ActorKind::Person => e.country.as_deref().and_then(|c| self.kb.country(c)),
                    _ => None,
                }
            })
    }

    /// Whoever holds `office` for `country` on the document's date; without a country,
    /// the last person of the document who holds it (when `refer_back`).
    fn office_holder(
        &mut self,
        office: Office,
        country: Option<&Entry>,
        refer_back: bool,
    ) -> Option<u32> {
        if let Some(c) = country {
            let iso = c.country.as_deref()?;
            let key = format!(
                "{iso} {}",
                office.key_suffix(lexicon::leader_is_head_of_government(iso))
            );
            if let Some(date) = self.date {
                let id = self.kb.holder_of(&key, date)?;
                let e = self.kb.entry_id(id)?;
                return Some(self.entry_actor(e.0));
            }
            // no date: someone the document has named who ever held the office, the
            // latest named first
            let holders: Vec<u32> = self
                .kb
                .holders(&key)
                .filter_map(|(_, e)| self.kb.entry_id(&e.id))
                .filter_map(|e| self.entry_actor.get(&e.0).copied())
                .collect();
            return self
                .persons
                .iter()
                .rev()
                .map(|p| p.actor)
                .find(|a| holders.contains(a))
                .or_else(|| holders.first().copied());
        }
        if !refer_back {
            return None;
        }
        let suffix = office.key_suffix(false);
        self.persons.iter().rev().take(12).find_map(|p| {
            let a = &self.actors[p.actor as usize];
            a.roles
                .iter()
                .any(|r| r.starts_with(suffix))
                .then_some(p.actor)
        })
    }

    /// A phrase whose head is a name.
    #[allow(clippy::too_many_arguments)]
    fn name_chunk(
        &mut self,
        si: usize,
        toks: &[Tok],
        hits: &[Hit<'a>],
        used: &mut Used,
        inside: &[usize],
        a: usize,
        b: usize,
        last_hit: Option<usize>,
        ext: Option<(usize, usize)>,
    ) {
        // the name: the last hit, or the run of proper nouns that ends the phrase
        let (ns, actor, known_person) = match last_hit {
            Some(i) => {
                let (s, _) = hits[i].toks.unwrap_or((b - 1, b));
                used[i] = true;
                let t = hits[i].targets;
                let person = is_person(self.kb, t);
                (s, Some(self.hit_actor(hits[i])), person)
            }
            None => {
                let mut s = b;
                while s > a
                    && toks[s - 1].upos.is_propn()
                    && toks[s - 1].hit.is_none()
                    && !lexicon::is_title_word(self.word(&toks[s - 1]))
                {
                    s -= 1;
                }
                if s == b {
                    return;
                }
                (s, None, false)
            }
        };
        let title: Vec<&str> = toks[a..ns].iter().map(|t| self.word(t)).collect();
        // a title inside the matched alias ("President Erdogan", "Mr Putin") counts too
        let mut core = ns;
        while core + 1 < b
            && (lexicon::is_title_part(self.word(&toks[core]))
                || is_possessive_marker(self.word(&toks[core]))
                || self.is_country_word(toks[core].range))
        {
            core += 1;
        }
        let titled = core > ns || title.iter().any(|w| lexicon::is_title_word(w));
        let name_range = TextRange::new(
            toks[core].range.start as usize,
            toks[b - 1].range.end as usize,
        );
        let name_text = self.text(name_range);
        // the title's country: the first unused country hit before the name
        let title_country = inside.iter().copied().find_map(|i| {
            if used[i] || hits[i].range.end > name_range.start {
                return None;
            }
            let e = self.kb.entry(hits[i].targets[0].entry);
            (e.kind == ActorKind::Country || (e.kind == ActorKind::Organization && titled))
                .then_some((i, e))
        });
        let ext_country = ext
            .filter(|_| titled)
            .and_then(|(c, d)| self.country_of_span(hits, c, d, toks));

        let actor = match actor {
            Some(x) => x,
            None => {
                // an unknown name: a surname of someone already named, or a new actor
                let n_words = b - ns;
                let last = self.word(&toks[b - 1]).to_string();
                let honorific = title.last().and_then(|w| lexicon::honorific_gender(w));
                if let Some(&p) = self.surnames.get(&last).filter(|_| n_words == 1) {
                    p
                } else if toks[ns..b].iter().all(|t| {
                    let w = self.word(t);
                    lexicon::is_calendar_word(w) || matches!(w, "mid" | "early" | "late" | "-")
                }) && toks[ns..b]
                    .iter()
                    .any(|t| lexicon::is_calendar_word(self.word(t)))
                    || n_words == 1 && !titled && ns == 0 && a == 0
                {
                    // dates are no names, nor is a lone capitalised word opening a sentence
                    return;
                } else {
                    let country = title_country.map(|c| c.1).or(ext_country);
                    match self.new_name(toks, a, ns, b, titled, honorific, country, name_text) {
                        Some(x) => x,
                        None => return,
                    }
                }
            }
        };
        // "King Hassan of Morocco" is not the knowledge base's Hassan of Jordan: a titled
        // person the text gives another country is someone else
        let actor = match (known_person, ext_country) {
            (true, Some(c))
                if self.actors[actor as usize]
                    .country
                    .as_deref()
                    .is_some_and(|own| c.country.as_deref() != Some(own)) =>
            {
                let honorific = title.last().and_then(|w| lexicon::honorific_gender(w));
                match self.new_name(toks, a, ns, b, titled, honorific, Some(c), name_text) {
                    Some(x) => x,
                    None => actor,
                }
            }
            _ => actor,
        };
        let is_person = known_person || self.actors[actor as usize].kind == ActorType::Person;
        if is_person && titled {
            // an office the title spells out is the title, not an actor of its own:
            // "Secretary of State" in "U.S. Secretary of State Antony Blinken"
            for &i in inside {
                if hits[i].range.end <= name_range.start
                    && self
                        .text(hits[i].range)
                        .split_whitespace()
                        .all(|w| lexicon::is_title_part(&w.to_ascii_lowercase()))
                {
                    used[i] = true;
                }
            }
            if let Some((i, _)) = title_country {
                used[i] = true;
                let c = self.hit_actor(hits[i]);
                self.push(hits[i].range, c, MentionHow::Adjective);
            }
            // President Putin of Russia
            let end = match (ext, ext_country) {
                (Some((_, d)), Some(_)) => toks[d - 1].range.end as usize,
                _ => name_range.end as usize,
            };
            // the title proper: words before it that are neither title, country,
            // possessive, determiner nor adjective ("a 2006 file photo") stay out
            let t0 = (a..ns)
                .rev()
                .find(|&i| {
                    let t = &toks[i];
                    let w = self.word(t);
                    !(lexicon::is_title_part(w)
                        || is_possessive_marker(w)
                        || t.upos.is_propn()
                        || matches!(t.upos.as_str(), "DET" | "ADJ" | "PUNCT")
                        || self.is_country_word(t.range)
                        // a noun that modifies the title: "opposition leader"
                        || t.upos.as_str() == "NOUN"
                            && lexicon::is_title_part(self.word(&toks[i + 1])))
                })
                .map_or(a, |i| i + 1);
            let whole = TextRange::new(toks[t0].range.start as usize, end);
            self.push(whole, actor, MentionHow::Titled);
            if end != name_range.end as usize {
                // the titled name without its "of Russia"
                let titled = TextRange::new(toks[t0].range.start as usize, name_range.end as usize);
                self.push(titled, actor, MentionHow::Titled);
            }
            self.push(name_range, actor, MentionHow::Name);
            self.note(si, toks, actor, a, b);
        } else if !title.is_empty() && toks[a..ns].iter().all(|t| t.upos.as_str() == "DET") {
            // "the United States", "some European powers": the determiner is kept as written
            let whole = TextRange::new(toks[a].range.start as usize, name_range.end as usize);
            self.push(whole, actor, MentionHow::Name);
            self.note(si, toks, actor, a, b);
        } else {
            self.push(name_range, actor, MentionHow::Name);
            self.note(si, toks, actor, ns, b);
        }
        if self.actors[actor as usize].kind == ActorType::Group {
            self.last_group = Some((actor, si));
        }
    }

    /// A new actor for a name the knowledge base does not know, typed from its title, its
    /// last word, the words around it and its verb.
    #[allow(clippy::too_many_arguments)]
    fn new_name(
        &mut self,
        toks: &[Tok],
        a: usize,
        ns: usize,
        b: usize,
        titled: bool,
        honorific: Option<bool>,
        country: Option<&'a Entry>,
        name: &str,
    ) -> Option<u32> {
        let last = self.word(&toks[b - 1]).to_string();
        let before = (a > 0).then(|| self.word(&toks[a - 1]));
        let after: Vec<&str> = toks[b..].iter().take(3).map(|t| self.word(t)).collect();
        let says = after.first().is_some_and(|w| lexicon::is_speech_verb(w));
        let appositive_title = after.first() == Some(&",")
            && after
                .get(1)
                .is_some_and(|w| matches!(*w, "a" | "an" | "the"))
            && after.get(2).is_some_and(|w| lexicon::is_title_word(w));
        let kind = if titled || honorific.is_some() {
            ActorType::Person
        } else if lexicon::is_group_name_end(&last) {
            ActorType::Group
        } else if lexicon::is_org_name_end(&last) {
            ActorType::Organization
        } else if appositive_title
            || (b - ns >= 2 && (says || first_names().contains(self.word(&toks[ns]))))
        {
            ActorType::Person
        } else if before.is_some_and(lexicon::is_place_preposition) {
            ActorType::Location
        } else {
            ActorType::Other
        };
        if kind == ActorType::Other && b - ns < 2 {
            return None;
        }
        let roles = if kind == ActorType::Person && titled {
            let t: Vec<&str> = toks[a..ns]
                .iter()
                .map(|t| self.text(t.range))
                .filter(|w| {
                    lexicon::is_title_word(&w.to_ascii_lowercase())
                        || w.chars().all(|c| c.is_ascii_lowercase())
                })
                .filter(|w| !lexicon::is_honorific(&w.to_ascii_lowercase()))
                .collect();
            if t.is_empty() {
                Vec::new()
            } else {
                vec![t.join(" ")]
            }
        } else {
            Vec::new()
        };
        let mut id = slug(name);
        if id.is_empty() {
            return None;
        }
        // another one of the same name, of another country: "Hassan" of Morocco
        if let (Some(&i), Some(c)) = (self.ids.get(&id), country) {
            if self.actors[i as usize].country != c.country {
                id = format!("{id}-{}", c.id);
            }
        }
        // a body named by one common word has namesakes in every country: the Latvian
        // "Court" and the Ivorian "Court" are two actors in the whole corpus
        if let (true, Some(c)) = (
            b - ns == 1 && matches!(kind, ActorType::Organization | ActorType::Group),
            country,
        ) {
            if !id.ends_with(c.id.as_str()) {
                id = format!("{id}-{}", c.id);
            }
        }
        let actor = self.actor(DocActor {
            id,
            name: name.to_string(),
            kind,
            country: country.and_then(|c| c.country.clone()),
            roles,
            cameo: None,
            affiliation: country.map(|c| c.id.clone()),
            named: true,
            gender: match honorific {
                Some(true) => Some(Gender::Male),
                Some(false) => Some(Gender::Female),
                None => None,
            },
        });
        if kind == ActorType::Person {
            self.surnames.insert(last, actor);
        }
        Some(actor)
    }

    /// A phrase about a coalition.
    #[allow(clippy::too_many_arguments)]
    fn coalition_chunk(
        &mut self,
        si: usize,
        toks: &[Tok],
        hits: &[Hit<'a>],
        used: &mut Used,
        inside: &[usize],
        a: usize,
        b: usize,
        ext: Option<(usize, usize)>,
        words: &[&str],
    ) {
        let mut c = Coalition::default();
        let mut kb_alliance = None;
        let lower = self.lower;
        for &i in inside {
            let h = hits[i];
            let e = self.kb.entry(h.targets[0].entry);
            if e.kind == ActorKind::Alliance {
                kb_alliance = Some(i);
                used[i] = true;
                self.alliance_target(si, h.range);
                continue;
            }
            // what the words around the hit say: "US-led", "UN-backed", "anti-ISIL"
            let after = lower.get(h.range.end as usize..).unwrap_or("");
            let before = lower.get(..h.range.start as usize).unwrap_or("");
            let role = if after.starts_with("-led") || after.starts_with(" - led") {
                &mut c.leader
            } else if after.starts_with("-backed") || after.starts_with("-sponsored") {
                &mut c.backer
            } else if before.ends_with("anti-") {
                &mut c.target
            } else {
                continue;
            };
            let actor = self.hit_actor(h);
            *role = Some(actor);
            used[i] = true;
            // the leader or target is named here too
            self.push(h.range, actor, mention_how(h.targets[0].kind));
        }
        let span = TextRange::new(toks[a].range.start as usize, toks[b - 1].range.end as usize);
        let flat = span.slice(lower);
        c.size = size_in(flat);
        c.fresh = words
            .iter()
            .any(|w| matches!(*w, "new" | "another" | "second" | "rival"));
        c.wide = words.iter().any(|w| {
            matches!(
                *w,
                "global"
                    | "international"
                    | "worldwide"
                    | "broad"
                    | "broader"
                    | "broadest"
                    | "wide"
            )
        });
        c.target_word = flat
            .find("anti-")
            .map(|p| word_hash(&flat[p + 5..]))
            .filter(|_| c.target.is_none());
        let mut end = toks[b - 1].range.end as usize;
        if let Some((x, y)) = ext {
            let ew: Vec<&str> = toks[x..y].iter().map(|t| self.word(t)).collect();
            if let Some(n) = ew.first().and_then(|w| number(w)) {
                if ew.len() == 1
                    || ew
                        .iter()
                        .skip(1)
                        .all(|w| matches!(*w, "countries" | "nations" | "states" | "members"))
                {
                    c.size = Some(n);
                    end = toks[y - 1].range.end as usize;
                }
            } else if toks[x..y].iter().all(|t| t.hit.is_none()) {
                // who it is made of: "a coalition of moderate, secular and inclusive forces"
                end = toks[y - 1].range.end as usize;
            }
        }
        // "against Islamic State" right after
        if b + 1 < toks.len() && self.word(&toks[b]) == "against" {
            if let Some(h) = toks[b + 1].hit {
                let h = hits[h as usize];
                if let Some((_, he)) = h.toks {
                    let t = self.hit_actor(h);
                    c.target = Some(t);
                    self.push(h.range, t, mention_how(h.targets[0].kind));
                    if self.actors[t as usize].kind == ActorType::Group {
                        self.last_group = Some((t, si));
                    }
                    end = toks[he - 1].range.end as usize;
                }
            }
        }
        // "to include Assad and Iran", "including Iran": the members named after it
        let mut j = b;
        let w = |j: usize| toks.get(j).map_or("", |t| self.word(t));
        if w(j) == "to" && w(j + 1) == "include" {
            j += 2;
        } else if matches!(w(j), "including" | "comprising") {
            j += 1;
        }
        let mut members = Vec::new();
        if j > b {
            while j < toks.len() && (toks[j].hit.is_some() || matches!(w(j), "and" | "," | "the")) {
                if let Some(h) = toks[j].hit {
                    let h = hits[h as usize];
                    end = toks[j].range.end as usize;
                    if h.toks.is_some_and(|(s, _)| s == j) {
                        members.push(h);
                    }
                }
                j += 1;
            }
        }
        for h in members {
            let m = self.hit_actor(h);
            self.push(h.range, m, mention_how(h.targets[0].kind));
        }
        let range = TextRange::new(toks[a].range.start as usize, end);
        let actor = match kb_alliance {
            Some(i) => {
                let actor = self.hit_actor(hits[i]);
                c.actor = actor;
                // an alliance with a name of its own is no coalition of two or three
                c.wide = true;
                if !self.coalitions.iter().any(|x| x.actor == actor) {
                    self.coalitions.push(c);
                }
                actor
            }
            None => {
                let label = self.text(range);
                self.coalition(c, label)
            }
        };
        self.push(range, actor, MentionHow::Description);
    }

    /// The target a knowledge-base alliance's name holds ("the global coalition against
    /// Islamic State", "the anti-ISIL coalition") is named there too.
    fn alliance_target(&mut self, si: usize, r: TextRange) {
        let text = self.lower.get(r.as_usize()).unwrap_or("");
        let Some(p) = text
            .find(" against ")
            .map(|p| p + " against ".len())
            .or_else(|| text.find("anti-").map(|p| p + "anti-".len()))
        else {
            return;
        };
        let at = r.start as usize + p;
        let rest = self.doc.body.get(at..r.end as usize).unwrap_or("");
        let Some(m) = self.kb.matcher().find_iter(rest).find(|m| {
            m.range.start == 0
                && !rest[m.range.end as usize..].starts_with(|c: char| c.is_alphanumeric())
        }) else {
            return;
        };
        let range = TextRange::new(at, at + m.range.end as usize);
        let targets = m.targets();
        let t = self.hit_actor(Hit {
            range,
            targets,
            toks: None,
        });
        self.push(range, t, mention_how(targets[0].kind));
        if self.actors[t as usize].kind == ActorType::Group {
            self.last_group = Some((t, si));
        }
    }

    /// The coalition a description names: one of the document's that fits, the knowledge
    /// base's by its canonical phrase, or a new one.
    fn coalition(&mut self, mut c: Coalition, label: &str) -> u32 {
        if let Some(found) = self.coalitions.iter_mut().rev().find(|x| x.compatible(&c)) {
            found.leader = found.leader.or(c.leader);
            found.backer = found.backer.or(c.backer);
            found.size = found.size.or(c.size);
            found.wide |= c.wide;
            found.target = found.target.or(c.target);
            return found.actor;
        }
        // the knowledge base's coalition by a canonical phrase
        let mut phrases = Vec::new();
        if let Some(l) = c.leader {
            for n in self.names_of(l) {
                phrases.push(format!("{n}-led coalition"));
            }
        }
        if let Some(t) = c.target {
            let n = self.actors[t as usize].name.clone();
            phrases.push(format!("coalition against {n}"));
            phrases.push(format!("anti-{n} coalition"));
        }
        let kb_hit = phrases.iter().find_map(|p| {
            self.kb
                .matcher()
                .find_iter(p)
                .find(|m| m.range.start == 0 && m.range.end as usize == p.len())
                .map(|m| m.entry())
        });
        let actor = match kb_hit {
            Some(e) => self.entry_actor(e.0),
            None => {
                let name = if let Some(b) = c.backer {
                    format!("{}-backed coalition", self.actors[b as usize].name)
                } else if let Some(l) = c.leader {
                    format!("{}-led coalition", self.actors[l as usize].name)
                } else if let Some(t) = c.target {
                    format!("coalition against {}", self.actors[t as usize].name)
                } else if let Some(n) = c.size {
                    format!("coalition of {n}")
                } else {
                    strip_determiner(label).to_string()
                };
                self.actor(DocActor {
                    id: slug(&name),
                    name,
                    kind: ActorType::Alliance,
                    country: None,
                    roles: Vec::new(),
                    cameo: None,
                    affiliation: c.leader.map(|l| self.actors[l as usize].id.clone()),
                    named: true,
                    gender: None,
                })
            }
        };
        c.actor = actor;
        c.wide |= kb_hit.is_some();
        self.coalitions.push(c);
        actor
    }

    /// True when the text is a country's name or adjective ("US", "Russia's", "French");
    /// a town of the country is not one ("Vladimir" in "Vladimir Putin").
    fn is_country_word(&self, r: TextRange) -> bool {
        let text = self.text(r);
        self.kb.matcher().find_iter(text).any(|m| {
            m.range.start == 0
                && m.range.end as usize == text.len()
                && matches!(m.kind(), AliasKind::Name | AliasKind::Demonym)
                && self.kb.entry(m.entry()).kind == ActorKind::Country
        })
    }

    /// The name of an actor and, for a knowledge-base actor, its other names.
    fn names_of(&self, actor: u32) -> Vec<String> {
        let a = &self.actors[actor as usize];
        let mut out = vec![a.name.clone()];
        if let Some(e) = self.kb.get(&a.id) {
            out.extend(
                e.aliases
                    .iter()
                    .filter(|x| x.kind == AliasKind::Name)
                    .take(12)
                    .map(|x| x.text.clone()),
            );
        }
        out
    }

    /// Remember a mention of `actor` over tokens `s..e` for pronouns and "the group".
    fn note(&mut self, si: usize, toks: &[Tok], actor: u32, s: usize, e: usize) {
        match self.actors[actor as usize].kind {
            ActorType::Person => {
                let subject = toks[s..e].iter().any(|t| t.subject);
                self.persons.push(PersonSeen {
                    actor,
                    sentence: si,
                    token: e - 1,
                    subject,
                });
            }
            ActorType::Group => self.last_group = Some((actor, si)),
            _ => {}
        }
    }

    /// "he" and "she": the closest person of that gender, a subject first.
    fn pronouns(&mut self, si: usize, toks: &[Tok]) {
        for (i, t) in toks.iter().enumerate() {
            if t.upos.as_str() != "PRON" {
                continue;
            }
            let male = match self.word(t) {
                "he" | "him" | "his" | "himself" => true,
                "she" | "her" | "hers" | "herself" => false,
                _ => continue,
            };
            let fits = |p: &PersonSeen, actors: &[DocActor]| match actors[p.actor as usize].gender {
                Some(Gender::Male) => male,
                Some(Gender::Female) => !male,
                None => true,
            };
            // `…, he said` / `"…," she added`: the speaker of what comes before is none of
            // the people named in it (he of "Teaming up with Assad was a mistake, he said"
            // is not Assad), so look in the sentences before
            let reports_back = t.subject
                && i > 0
                && matches!(
                    self.word(&toks[i - 1]),
                    "," | "\"" | "\u{201d}" | "\u{2019}" | "'" | "''"
                )
                && toks[i + 1..]
                    .iter()
                    .take(3)
                    .find(|n| n.upos.as_str() != "ADV")
                    .is_some_and(|n| lexicon::is_speech_verb(self.word(n)));
            // persons are noted in sentence order: only the last few sentences' are looked
            // at (a scan of all of them made a long document quadratic)
            let recent = &self.persons[self.persons.partition_point(|p| p.sentence + 3 < si)..];
            let same: Vec<&PersonSeen> = recent
                .iter()
                .filter(|p| p.sentence == si && p.token < i && fits(p, &self.actors))
                .filter(|_| !reports_back)
                .collect();
            let pick = if !same.is_empty() {
                same.iter()
                    .rev()
                    .find(|p| p.subject)
                    .or(same.last())
                    .map(|p| p.actor)
            } else {
                let mut found = None;
                for back in 1..=3 {
                    let Some(s) = si.checked_sub(back) else { break };
                    let cands: Vec<&PersonSeen> = recent
                        .iter()
                        .filter(|p| p.sentence == s && fits(p, &self.actors))
                        .collect();
                    if let Some(p) = cands.iter().find(|p| p.subject).or(cands.first()) {
                        found = Some(p.actor);
                        break;
                    }
                }
                found
            };
            if let Some(actor) = pick {
                self.push(t.range, actor, MentionHow::Pronoun);
                self.persons.push(PersonSeen {
                    actor,
                    sentence: si,
                    token: i,
                    subject: t.subject,
                });
            }
        }
    }
}

fn mention_how(k: AliasKind) -> MentionHow {
    match k {
        AliasKind::Name | AliasKind::Place => MentionHow::Name,
        AliasKind::Demonym => MentionHow::Adjective,
        AliasKind::Capital | AliasKind::Seat => MentionHow::Metonym,
    }
}

fn is_person(kb: &KnowledgeBase, t: &[Target]) -> bool {
    t.iter()
        .any(|x| kb.entry(x.entry).kind == ActorKind::Person)
}

fn is_alliance(kb: &KnowledgeBase, t: &[Target]) -> bool {
    kb.entry(t[0].entry).kind == ActorKind::Alliance
}

fn is_possessive_marker(w: &str) -> bool {
    matches!(w, "'s" | "\u{2019}s" | "'" | "\u{2019}")
}

fn is_possessive_pronoun(w: &str) -> bool {
    matches!(w, "its" | "his" | "her" | "their" | "our")
}

fn ends_np(t: &Tok) -> bool {
    t.hit.is_some() || matches!(t.upos.as_str(), "NOUN" | "PROPN" | "NUM")
}

/// A short name for ids and labels: "US" for the United States where the knowledge base
/// has such an alias, else the name.
fn short_name(c: &Entry) -> String {
    c.aliases
        .iter()
        .find(|a| {
            a.kind == AliasKind::Name
                && a.text.len() <= 3
                && a.text.bytes().all(|b| b.is_ascii_uppercase())
        })
        .map_or_else(|| c.name.clone(), |a| a.text.clone())
}

fn strip_determiner(s: &str) -> &str {
    for d in ["the ", "a ", "an ", "The ", "A ", "An "] {
        if let Some(r) = s.strip_prefix(d) {
            return r;
        }
    }
    s
}

/// The size a coalition phrase gives: "65-nation", "60 - nation", "a 20-member".
fn size_in(flat: &str) -> Option<u32> {
    let b = flat.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() && (i == 0 || !b[i - 1].is_ascii_alphanumeric()) {
            let s = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            let rest = flat[i..].trim_start_matches([' ', '-']);
            if ["nation", "member", "country", "state", "strong"]
                .iter()
                .any(|w| rest.starts_with(w))
            {
                return flat[s..i].parse().ok();
            }
        } else {
            i += 1;
        }
    }
    None
}

/// A hash of the alphanumeric run at the start of `s`.
fn word_hash(s: &str) -> u64 {
    let w: String = s.chars().take_while(|c| c.is_alphanumeric()).collect();
    w.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

/// A number written in digits or as a word up to twenty.
fn number(w: &str) -> Option<u32> {
    if let Ok(n) = w.replace(',', "").parse::<u32>() {
        return Some(n);
    }
    const WORDS: &[&str] = &[
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
        "twenty",
    ];
    WORDS.iter().position(|x| *x == w).map(|n| n as u32)
}

/// A lowercase ASCII slug: "Lilia Shevtsova" → `lilia-shevtsova`; letters outside ASCII
/// are kept as they are.
pub(crate) fn slug(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// First names: the first words of the knowledge base's people with names of two or more
/// words, lowercased; words that are also names of other things are left out.
fn first_names() -> &'static rustc_hash::FxHashSet<String> {
    static SET: std::sync::OnceLock<rustc_hash::FxHashSet<String>> = std::sync::OnceLock::new();
    SET.get_or_init(|| {
        let kb = KnowledgeBase::bundled();
        let mut set = rustc_hash::FxHashSet::default();
        for e in kb.entries() {
            if e.kind != ActorKind::Person {
                continue;
            }
            let mut w = e.name.split(' ');
            if let (Some(first), Some(_)) = (w.next(), w.next()) {
                if first.len() > 2
                    && first.chars().next().is_some_and(char::is_uppercase)
                    && !first.ends_with('.')
                {
                    set.insert(first.to_ascii_lowercase());
                }
            }
        }
        set
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_stable() {
        assert_eq!(slug("Lilia Shevtsova"), "lilia-shevtsova");
        assert_eq!(slug("US-led coalition"), "us-led-coalition");
        assert_eq!(slug("  the  UN's  "), "the-un-s");
    }

    #[test]
    fn coalitions_of_very_different_sizes_differ() {
        let a = Coalition {
            size: Some(65),
            ..Default::default()
        };
        let b = Coalition {
            size: Some(60),
            ..Default::default()
        };
        let c = Coalition {
            size: Some(2),
            ..Default::default()
        };
        assert!(a.compatible(&b));
        assert!(!a.compatible(&c));
    }
}
