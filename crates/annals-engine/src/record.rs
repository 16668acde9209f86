//! From analysed documents to the records of the output contract.

use annals_events::{merge, MergeInput};
use annals_model::output::{
    ActorRecord, DocumentRecord, EventRecord, Evidence, Mention, QuotePart, QuoteRecord,
};
use annals_model::{
    DateBasis, DatePrecision, Document, EventDate, MentionHow, Modality, SidePlace, TextRange,
};

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

fn merge_inputs(reports: &[EventReport]) -> Vec<MergeInput<'_>> {
    reports
        .iter()
        .map(|r| MergeInput {
            source: r.source.as_deref(),
            target: r.target.as_deref(),
            cameo: &r.cameo,
            symmetric: r.symmetric,
            date: r.date,
            published: r.published,
        })
        .collect()
}

/// Date the undated narrative reports of documents that have no date of their own from
/// the events they share with dated documents. `None` when nothing changes.
fn anchor_undated_documents(reports: &[EventReport]) -> Option<Vec<EventReport>> {
    use std::collections::{BTreeMap, HashSet};
    let dated_docs: HashSet<&str> = reports
        .iter()
        .filter(|r| r.published.is_some() || r.date.is_some_and(|d| d.basis == DateBasis::Text))
        .map(|r| r.evidence.doc.as_str())
        .collect();
    let mut votes: BTreeMap<&str, BTreeMap<(i32, u8, u8), usize>> = BTreeMap::new();
    for m in merge(&merge_inputs(reports)) {
        let Some(d) = m
            .date
            .filter(|d| d.precision == DatePrecision::Day && d.basis != DateBasis::CrossDocument)
        else {
            continue;
        };
        for &x in &m.members {
            let doc = reports[x].evidence.doc.as_str();
            if !dated_docs.contains(doc) && reports[x].date.is_none() {
                *votes.entry(doc).or_default().entry(d.ymd).or_default() += 1;
            }
        }
    }
    if votes.is_empty() {
        return None;
    }
    let anchors: BTreeMap<&str, (i32, u8, u8)> = votes
        .into_iter()
        .filter_map(|(doc, v)| {
            v.into_iter()
                .max_by_key(|&(ymd, n)| (n, std::cmp::Reverse(ymd)))
                .map(|(ymd, _)| (doc, ymd))
        })
        .collect();
    let mut out = reports.to_vec();
    for r in &mut out {
        let Some(&ymd) = anchors.get(r.evidence.doc.as_str()) else {
            continue;
        };
        if r.date.is_some() {
            continue;
        }
        // "on September 15" in a page without a year: the year (or week) of the
        // inferred date
        if let Some((text, pending)) = &r.pending {
            let pending = *pending;
            let anchor = annals_time::Date::new(ymd.0, ymd.1, ymd.2);
            if let Some(d) = anchor.and_then(|a| annals_events::resolve_pending(text, pending, a)) {
                r.date = Some(d);
                r.date_text = Some(text.clone());
            }
            continue;
        }
        if r.narrative {
            r.date = Some(EventDate {
                ymd,
                precision: DatePrecision::Day,
                basis: DateBasis::CrossDocument,
                range: None,
            });
        }
    }
    Some(out)
}

/// One document's report of an event, with global actor ids, ready to be merged with
/// other documents' reports of the same event ([`event_records`]).
#[derive(Debug, Clone)]
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
    pub published: Option<annals_time::Date>,
    /// Asserted, planned, …
    pub modality: Modality,
    /// The coder's confidence.
    pub confidence: f32,
    /// Whether an undated report may take its passage's date.
    pub narrative: bool,
    /// A time expression the document's own date could not resolve (its text, and where
    /// and in which tense it stands); resolved against a date inferred from the corpus.
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

/// The contract's event records: reports of the same real-world event (same actors, same
/// root code, compatible dates; see [`annals_events::merge`]) become one record with one
/// mention per report. Ids are `e1`, `e2`, … in order of first report.
///
/// A document with no date of its own (no publication date, no dated event) that reports
/// an event another document dates takes that date as its anchor: its other undated
/// narrative reports are dated to it, with basis `cross-document`.
pub fn event_records(reports: &[EventReport]) -> Vec<EventRecord> {
    let mut out = Vec::new();
    let made = each_event_record(
        reports,
        |_, r| Ok(r.evidence.clone()),
        |e| {
            out.push(e);
            Ok::<(), std::convert::Infallible>(())
        },
    );
    match made {
        Ok(()) => out,
        Err(never) => match never {},
    }
}

/// [`event_records`], one record at a time to `emit`, so that they need not be held:
/// `evidence` gives a report's evidence (its index and the report, whose own evidence
/// may have been left out to save memory).
pub fn each_event_record<E>(
    reports: &[EventReport],
    mut evidence: impl FnMut(usize, &EventReport) -> Result<Evidence, E>,
    mut emit: impl FnMut(EventRecord) -> Result<(), E>,
) -> Result<(), E> {
    let anchored = anchor_undated_documents(reports);
    let reports: &[EventReport] = anchored.as_deref().unwrap_or(reports);
    for (i, m) in merge(&merge_inputs(reports)).into_iter().enumerate() {
        // the most confident report speaks for the event
        let Some(best) = m.members.iter().copied().max_by(|&a, &b| {
            reports[a]
                .confidence
                .total_cmp(&reports[b].confidence)
                .then(b.cmp(&a))
        }) else {
            continue;
        };
        let r = &reports[best];
        let info = annals_events::code_info(&r.cameo);
        let date_from = m
            .members
            .iter()
            .find(|&&x| reports[x].date.is_some() && reports[x].date == m.date)
            .map(|&x| &reports[x]);
        let basis = m.date.map(|d| {
            let all_dated = m.members.iter().all(|&x| reports[x].date.is_some());
            if all_dated {
                d.basis.as_str()
            } else if d.basis == DateBasis::Text && m.members.len() > 1 {
                // some reports had no date of their own: they take this one
                "cross-document"
            } else {
                d.basis.as_str()
            }
        });
        let confidence = m
            .members
            .iter()
            .map(|&x| reports[x].confidence)
            .fold(0.0f32, f32::max);
        let mut mentions = Vec::with_capacity(m.members.len());
        for &x in &m.members {
            mentions.push(evidence(x, &reports[x])?);
        }
        emit(EventRecord {
            id: format!("e{}", i + 1),
            date: m.date.map(|d| d.iso()),
            date_precision: m.date.map(|d| d.precision.as_str().to_string()),
            source: r.source.clone(),
            target: r.target.clone(),
            cameo: r.cameo.clone(),
            quad_class: info.map_or(0, |c| c.quad),
            goldstein: info.map_or(0.0, |c| c.goldstein),
            action: r.evidence.action.clone().unwrap_or_default(),
            mentions,
            date_basis: basis.map(str::to_string),
            date_text: date_from.and_then(|x| x.date_text.clone()),
            plover: info.map(|c| c.plover.clone()).filter(|p| !p.is_empty()),
            plover_mode: info.map(|c| c.mode.clone()).filter(|p| !p.is_empty()),
            modality: r.modality.as_str().to_string(),
            symmetric: r.symmetric,
            confidence: (confidence * 100.0).round() / 100.0,
        })?;
    }
    Ok(())
}
