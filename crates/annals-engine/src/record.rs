//! From analysed documents to the records of the output contract.

use annals_events::{merge, MergeInput, Merged};
use annals_model::output::{
    ActorRecord, DocumentRecord, EventRecord, Evidence, Mention, QuotePart, QuoteRecord,
};
use annals_model::{
    DateBasis, DatePrecision, Document, EventDate, MentionHow, Modality, SidePlace, TextRange,
};
use std::collections::HashMap;
use std::sync::Arc;

/// The contract's document record for a document.
pub fn document_record(doc: &Document) -> DocumentRecord {
    DocumentRecord {
        id: doc.id.0.clone(),
        source: doc.source.clone(),
        title: doc.title.clone(),
        published: doc.published.clone(),
        outlet: doc.outlet.clone(),
        url: doc.url.clone(),
        body: doc.body.clone(),
        paragraphs: doc.paragraphs.len(),
        sentences: doc.sentences.len(),
        tokens: doc.tokens.len(),
    }
}

/// The contract's actor records for the actors of one document, with that document's
/// mentions. The same actor in another document has the same id; [`merge_actor`] joins
/// them.
///
/// Aliases are the distinct surface forms of the mentions, pronouns left out, in order of
/// first appearance.
pub fn actor_records(doc: &Document) -> Vec<ActorRecord> {
    let mut out: Vec<ActorRecord> = doc
        .actors
        .iter()
        .map(|a| ActorRecord {
            id: a.id.clone(),
            name: a.name.clone(),
            kind: a.kind.as_str().to_string(),
            country: a.country.clone(),
            roles: a.roles.clone(),
            cameo: a.cameo.clone(),
            affiliation: a.affiliation.clone(),
            aliases: Vec::new(),
            named: a.named,
            mentions: Vec::new(),
        })
        .collect();
    let body = doc.mentions.iter().map(|m| (None, m.range, m.actor, m.how));
    let side = doc
        .side_mentions
        .iter()
        .map(|m| (Some(m.place), m.range, m.actor, m.how));
    for (place, range, actor, how) in body.chain(side) {
        let Some(rec) = out.get_mut(actor as usize) else {
            continue;
        };
        let text = match place {
            None => doc.body.get(range.as_usize()),
            Some(SidePlace::Title) => doc.title.as_deref().and_then(|t| t.get(range.as_usize())),
            Some(SidePlace::Caption) => doc.raw.get(range.as_usize()),
        };
        let Some(text) = text else {
            continue;
        };
        if how != MentionHow::Pronoun {
            // the form as written, and without its article ("the Assad regime", "Assad regime")
            for form in [Some(text), strip_article(text)].into_iter().flatten() {
                if !rec.aliases.iter().any(|a| a == form) {
                    rec.aliases.push(form.to_string());
                }
            }
        }
        rec.mentions.push(Mention {
            doc: doc.id.0.clone(),
            start: range.start,
            end: range.end,
            text: text.to_string(),
            place: place.map(|p| place_name(p).to_string()),
        });
    }
    out.retain(|r| !r.mentions.is_empty());
    out
}

/// The contract's quote records for the quotes of one document, direct and reported:
/// the body's in body order, then the headline's and the captions'. The speaker is the
/// actor's id; `text` is exactly the text between `start` and `end` of the body, or, with
/// `place`, of the headline (`title`) or the raw input (`caption`).
pub fn quote_records(doc: &Document) -> Vec<QuoteRecord> {
    let body = doc.quotes.iter().map(|q| (None, q));
    let side = doc.side_quotes.iter().map(|s| (Some(s.place), &s.quote));
    body.chain(side)
        .filter_map(|(place, q)| {
            let text = match place {
                None => doc.body.as_str(),
                Some(SidePlace::Title) => doc.title.as_deref()?,
                Some(SidePlace::Caption) => doc.raw.as_str(),
            };
            let slice = |r: TextRange| text.get(r.as_usize()).map(str::to_string);
            Some(QuoteRecord {
                doc: doc.id.0.clone(),
                speaker: q
                    .speaker
                    .and_then(|a| doc.actors.get(a as usize))
                    .map(|a| a.id.clone()),
                text: slice(q.range)?,
                direct: q.direct,
                cue: q.cue.and_then(slice),
                start: q.range.start,
                end: q.range.end,
                place: place.map(|p| place_name(p).to_string()),
                continued: q
                    .continued
                    .iter()
                    .filter_map(|&r| {
                        Some(QuotePart {
                            start: r.start,
                            end: r.end,
                            text: slice(r)?,
                        })
                    })
                    .collect(),
                how: q.how.as_str().to_string(),
                confidence: (q.confidence * 100.0).round() / 100.0,
            })
        })
        .collect()
}

/// The contract's name of a side text: `title` or `caption`.
fn place_name(p: SidePlace) -> &'static str {
    match p {
        SidePlace::Title => "title",
        SidePlace::Caption => "caption",
    }
}

/// A phrase without its leading article, when it has one.
fn strip_article(s: &str) -> Option<&str> {
    let (first, rest) = s.split_once(' ')?;
    matches!(first.to_ascii_lowercase().as_str(), "the" | "a" | "an")
        .then_some(rest)
        .filter(|r| !r.is_empty())
}

/// Join `more` (the same actor, from another document) into `into`: roles and aliases
/// are unioned in order, mentions appended.
pub fn merge_actor(into: &mut ActorRecord, more: ActorRecord) {
    for r in more.roles {
        if !into.roles.contains(&r) {
            into.roles.push(r);
        }
    }
    for a in more.aliases {
        if !into.aliases.contains(&a) {
            into.aliases.push(a);
        }
    }
    into.country = into.country.take().or(more.country);
    into.cameo = into.cameo.take().or(more.cameo);
    into.affiliation = into.affiliation.take().or(more.affiliation);
    into.mentions.extend(more.mentions);
}

/// One document's report of an event, with global actor ids, ready to be merged with
/// other documents' reports of the same event ([`event_records`]). It serialises without
/// its publication date, which the document gives.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct EventReport {
    /// Source actor id.
    pub source: Option<String>,
    /// Target actor id.
    pub target: Option<String>,
    /// CAMEO code.
    pub cameo: String,
    /// Whether source and target can swap.
    pub symmetric: bool,
    /// The report's own date.
    pub date: Option<EventDate>,
    /// The time expression the date was read from.
    pub date_text: Option<String>,
    /// The document's publication date.
    #[serde(skip)]
    pub published: Option<annals_time::Date>,
    /// Asserted, planned, …
    pub modality: Modality,
    /// The coder's confidence.
    pub confidence: f32,
    /// Whether an undated report may take its passage's date.
    pub narrative: bool,
    /// A time expression the document's own date could not resolve (its text, and where
    /// and in which tense it stands); resolved against a date inferred from the corpus.
    #[serde(default)]
    pub pending: Option<(String, annals_model::PendingTime)>,
    /// The sentence and the action words.
    pub evidence: Evidence,
}

/// The event reports of one document.
pub fn event_reports(doc: &Document) -> Vec<EventReport> {
    let id = |a: Option<u32>| {
        a.and_then(|a| doc.actors.get(a as usize))
            .map(|a| a.id.clone())
    };
    let published = doc.published.as_deref().and_then(annals_time::Date::parse);
    doc.events
        .iter()
        .map(|e| {
            let sentence = doc.sentences.get(e.sentence as usize).map(|s| s.range);
            EventReport {
                source: id(e.source),
                target: id(e.target),
                cameo: e.cameo.clone(),
                symmetric: e.symmetric,
                date: e.date,
                date_text: e
                    .date
                    .and_then(|d| d.range)
                    .map(|r| doc.text(r).to_string()),
                published,
                modality: e.modality,
                confidence: e.confidence,
                narrative: e.narrative,
                pending: e.pending_time.map(|p| (doc.text(p.range).to_string(), p)),
                evidence: Evidence {
                    doc: doc.id.0.clone(),
                    sentence: sentence
                        .map(|r| doc.text(r).to_string())
                        .unwrap_or_default(),
                    start: sentence.map(|r| r.start),
                    end: sentence.map(|r| r.end),
                    action: Some(doc.text(e.action).to_string()),
                    action_start: Some(e.action.start),
                    action_end: Some(e.action.end),
                },
            }
        })
        .collect()
}

/// An interned name: an actor id, a CAMEO code or a document id ([`Names`]).
pub type Name = u32;

/// Names kept once each, numbered in order of first use.
#[derive(Debug, Default)]
pub struct Names {
    index: HashMap<Arc<str>, Name>,
    names: Vec<Arc<str>>,
}

impl Names {
    /// The number of `s`, given it if new.
    pub fn intern(&mut self, s: &str) -> Name {
        if let Some(&n) = self.index.get(s) {
            return n;
        }
        let n = self.names.len() as Name;
        let s: Arc<str> = Arc::from(s);
        self.names.push(s.clone());
        self.index.insert(s, n);
        n
    }

    /// The name numbered `n` (empty for a number not given out).
    pub fn get(&self, n: Name) -> &str {
        self.names.get(n as usize).map_or("", |s| s)
    }
}

/// What merging a report with the others needs of it, in a few dozen bytes: the rest of
/// the report (its evidence, date text, confidence) can wait elsewhere until its merged
/// event is made.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReportKey {
    /// Source actor id.
    pub source: Option<Name>,
    /// Target actor id.
    pub target: Option<Name>,
    /// CAMEO code.
    pub cameo: Name,
    /// The reporting document's id.
    pub doc: Name,
    /// The sentence's offset in the document, when known.
    pub sentence: Option<u32>,
    /// Whether source and target can swap.
    pub symmetric: bool,
    /// Whether an undated report may take its passage's date.
    pub narrative: bool,
    /// Whether it has a time expression to resolve against an inferred date.
    pub pending: bool,
    /// The report's own date.
    pub date: Option<EventDate>,
    /// The document's publication date.
    pub published: Option<annals_time::Date>,
}

impl ReportKey {
    /// The key of a report, its names interned in `names`.
    pub fn of(r: &EventReport, names: &mut Names) -> Self {
        Self {
            source: r.source.as_deref().map(|s| names.intern(s)),
            target: r.target.as_deref().map(|s| names.intern(s)),
            cameo: names.intern(&r.cameo),
            doc: names.intern(&r.evidence.doc),
            sentence: r.evidence.start,
            symmetric: r.symmetric,
            narrative: r.narrative,
            pending: r.pending.is_some(),
            date: r.date,
            published: r.published,
        }
    }
}

/// Event reports as the cross-document merge reads them: every report's key at once, and
/// whole reports one at a time, when their merged event is made.
pub trait Reports {
    /// What reading a whole report can fail with.
    type Error;
    /// The keys of all reports, in document order.
    fn keys(&self) -> &[ReportKey];
    /// The names the keys number.
    fn names(&self) -> &Names;
    /// The whole report `i`, its evidence sentence included.
    fn report(&mut self, i: usize) -> Result<EventReport, Self::Error>;
}

/// Reports held whole in memory.
struct InMemory<'a> {
    reports: &'a [EventReport],
    keys: Vec<ReportKey>,
    names: Names,
}

impl Reports for InMemory<'_> {
    type Error = std::convert::Infallible;
    fn keys(&self) -> &[ReportKey] {
        &self.keys
    }
    fn names(&self) -> &Names {
        &self.names
    }
    fn report(&mut self, i: usize) -> Result<EventReport, Self::Error> {
        Ok(self.reports[i].clone())
    }
}

/// A date a report takes from the corpus: the date, and the time expression it was read
/// from when that changes too.
pub(crate) struct Anchored {
    pub(crate) date: EventDate,
    pub(crate) text: Option<String>,
}

fn merge_inputs<'a>(
    keys: &[ReportKey],
    names: &'a Names,
    anchored: &HashMap<usize, Anchored>,
) -> Vec<MergeInput<'a>> {
    keys.iter()
        .enumerate()
        .map(|(i, k)| MergeInput {
            source: k.source.map(|n| names.get(n)),
            target: k.target.map(|n| names.get(n)),
            cameo: names.get(k.cameo),
            symmetric: k.symmetric,
            date: anchored.get(&i).map(|a| a.date).or(k.date),
            published: k.published,
            sentence: k.sentence.map(|at| (names.get(k.doc), at)),
        })
        .collect()
}

/// The day each document with no date of its own (no publication date, no date in its
/// text) takes from the events it shares with dated documents: the day most of its
/// undated reports' merged events are dated to.
fn document_anchors(keys: &[ReportKey], merged: &[Merged]) -> HashMap<Name, (i32, u8, u8)> {
    use std::collections::{BTreeMap, HashSet};
    let dated_docs: HashSet<Name> = keys
        .iter()
        .filter(|r| r.published.is_some() || r.date.is_some_and(|d| d.basis == DateBasis::Text))
        .map(|r| r.doc)
        .collect();
    let mut votes: HashMap<Name, BTreeMap<(i32, u8, u8), usize>> = HashMap::new();
    for m in merged {
        let Some(d) = m
            .date
            .filter(|d| d.precision == DatePrecision::Day && d.basis != DateBasis::CrossDocument)
        else {
            continue;
        };
        for &x in &m.members {
            let k = &keys[x];
            if !dated_docs.contains(&k.doc) && k.date.is_none() {
                *votes.entry(k.doc).or_default().entry(d.ymd).or_default() += 1;
            }
        }
    }
    votes
        .into_iter()
        .filter_map(|(doc, v)| {
            v.into_iter()
                .max_by_key(|&(ymd, n)| (n, std::cmp::Reverse(ymd)))
                .map(|(ymd, _)| (doc, ymd))
        })
        .collect()
}

/// Date the undated reports of documents without a date of their own from the events
/// they share with dated documents ([`document_anchors`]): a time expression such as
/// "on September 15" is resolved against the inferred day; a narrative report takes it.
fn anchor_undated<R: Reports>(
    reports: &mut R,
    merged: &[Merged],
) -> Result<HashMap<usize, Anchored>, R::Error> {
    let anchors = document_anchors(reports.keys(), merged);
    let mut out = HashMap::new();
    if anchors.is_empty() {
        return Ok(out);
    }
    let mut pending = Vec::new();
    for (i, k) in reports.keys().iter().enumerate() {
        let Some(&ymd) = anchors.get(&k.doc) else {
            continue;
        };
        if k.date.is_some() {
            continue;
        }
        if k.pending {
            pending.push((i, ymd));
        } else if k.narrative {
            let date = EventDate {
                ymd,
                precision: DatePrecision::Day,
                basis: DateBasis::CrossDocument,
                range: None,
            };
            out.insert(i, Anchored { date, text: None });
        }
    }
    for (i, ymd) in pending {
        let r = reports.report(i)?;
        let Some((text, p)) = r.pending else {
            continue;
        };
        let anchor = annals_time::Date::new(ymd.0, ymd.1, ymd.2);
        if let Some(date) = anchor.and_then(|a| annals_events::resolve_pending(&text, p, a)) {
            out.insert(
                i,
                Anchored {
                    date,
                    text: Some(text),
                },
            );
        }
    }
    Ok(out)
}

/// The contract's event records: reports of the same real-world event (same actors, same
/// root code, compatible dates; see [`annals_events::merge`]) become one record with one
/// mention per report. Ids are `e1`, `e2`, … in order of first report.
///
/// A document with no date of its own (no publication date, no dated event) that reports
/// an event another document dates takes that date as its anchor: its other undated
/// narrative reports are dated to it, with basis `cross-document`.
pub fn event_records(reports: &[EventReport]) -> Vec<EventRecord> {
    let mut names = Names::default();
    let keys = reports
        .iter()
        .map(|r| ReportKey::of(r, &mut names))
        .collect();
    let mut held = InMemory {
        reports,
        keys,
        names,
    };
    let mut out = Vec::new();
    let made = each_event_record(&mut held, |e| {
        out.push(e);
        Ok(())
    });
    match made {
        Ok(()) => out,
        Err(never) => match never {},
    }
}

/// [`event_records`], one record at a time to `emit`, in order, so that neither the
/// records nor the whole reports need be held: the merge reads the reports' keys, and
/// each merged event reads its own reports whole.
pub fn each_event_record<R: Reports>(
    reports: &mut R,
    mut emit: impl FnMut(EventRecord) -> Result<(), R::Error>,
) -> Result<(), R::Error> {
    let none = HashMap::new();
    let first = merge(&merge_inputs(reports.keys(), reports.names(), &none));
    let anchored = anchor_undated(reports, &first)?;
    let merged = if anchored.is_empty() {
        first
    } else {
        merge(&merge_inputs(reports.keys(), reports.names(), &anchored))
    };
    let mut members: Vec<EventReport> = Vec::new();
    for (i, m) in merged.into_iter().enumerate() {
        members.clear();
        for &x in &m.members {
            let mut r = reports.report(x)?;
            if let Some(a) = anchored.get(&x) {
                r.date = Some(a.date);
                if let Some(t) = &a.text {
                    r.date_text = Some(t.clone());
                }
            }
            members.push(r);
        }
        if let Some(e) = record_of(i, m.date, &mut members) {
            emit(e)?;
        }
    }
    Ok(())
}

/// The record of merged event number `i` (from 0), dated `date`, from its reports in
/// document order (their evidence is taken).
pub(crate) fn record_of(
    i: usize,
    date: Option<EventDate>,
    reports: &mut Vec<EventReport>,
) -> Option<EventRecord> {
    // the most confident report speaks for the event (the first of equals)
    let best = (0..reports.len()).max_by(|&a, &b| {
        reports[a]
            .confidence
            .total_cmp(&reports[b].confidence)
            .then(b.cmp(&a))
    })?;
    let date_text = reports
        .iter()
        .find(|x| x.date.is_some() && x.date == date)
        .and_then(|x| x.date_text.clone());
    let basis = date.map(|d| {
        let all_dated = reports.iter().all(|x| x.date.is_some());
        if all_dated {
            d.basis.as_str()
        } else if d.basis == DateBasis::Text && reports.len() > 1 {
            // some reports had no date of their own: they take this one
            "cross-document"
        } else {
            d.basis.as_str()
        }
    });
    let confidence = reports.iter().map(|x| x.confidence).fold(0.0f32, f32::max);
    let r = &reports[best];
    let info = annals_events::code_info(&r.cameo);
    let mut e = EventRecord {
        id: format!("e{}", i + 1),
        date: date.map(|d| d.iso()),
        date_precision: date.map(|d| d.precision.as_str().to_string()),
        source: r.source.clone(),
        target: r.target.clone(),
        cameo: r.cameo.clone(),
        quad_class: info.map_or(0, |c| c.quad),
        goldstein: info.map_or(0.0, |c| c.goldstein),
        action: r.evidence.action.clone().unwrap_or_default(),
        mentions: Vec::with_capacity(reports.len()),
        date_basis: basis.map(str::to_string),
        date_text,
        plover: info.map(|c| c.plover.clone()).filter(|p| !p.is_empty()),
        plover_mode: info.map(|c| c.mode.clone()).filter(|p| !p.is_empty()),
        modality: r.modality.as_str().to_string(),
        symmetric: r.symmetric,
        confidence: (confidence * 100.0).round() / 100.0,
    };
    e.mentions.extend(reports.drain(..).map(|x| x.evidence));
    Some(e)
}
