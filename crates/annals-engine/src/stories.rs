//! From analysed documents to stories: each document's [`StoryInput`], and at the end
//! of a run the story records (members, dates, outlets, near-copies, timeline, summary).

use crate::spill::Chains;
use annals_model::output::{CopyLink, EventRecord, Evidence, StoryRecord, TimelineEntry};
use annals_model::{DateBasis, DatePrecision, Document};
use annals_stories::{
    day_of_iso, days_from_civil, iso_of_day, summarize_with, Clusterer, InputEvent, InputSentence,
    Story, StoryInput, Summary,
};
use std::collections::HashMap;
use std::io;

/// Sentences of a document offered to the summary: the lead ones and those that report
/// an event between two actors or a statement, at most this many.
const CANDIDATES: usize = 12;
/// Lead sentences always offered.
const LEAD: usize = 5;
/// Sentences in a story's summary.
const SUMMARY: usize = 4;

fn content_word(upos: &str) -> bool {
    matches!(upos, "NOUN" | "PROPN" | "VERB" | "ADJ")
}

fn day_of(d: &annals_model::EventDate) -> i32 {
    let (y, m, dd) = d.ymd;
    days_from_civil(y, m as u32, dd as u32)
}

/// What a document gives story clustering.
pub fn story_input(doc: &Document) -> StoryInput {
    let mut terms: Vec<u64> = Vec::with_capacity(doc.tokens.len() / 2);
    let mut paragraph_ends = Vec::new();
    let mut sentence_terms: Vec<(usize, usize)> = Vec::with_capacity(doc.sentences.len());
    let mut lower = String::new();
    let mut last_para = None;
    for s in &doc.sentences {
        if last_para.is_some_and(|p| p != s.paragraph) {
            paragraph_ends.push(terms.len() as u32);
        }
        last_para = Some(s.paragraph);
        let start = terms.len();
        for t in doc.sentence_tokens(s) {
            if !content_word(t.syn.upos.as_str()) {
                continue;
            }
            let form = doc.token_form(t);
            if !form.chars().any(char::is_alphanumeric) {
                continue;
            }
            lower.clear();
            lower.extend(form.chars().flat_map(char::to_lowercase));
            terms.push(annals_stories::hash_word(&lower));
        }
        sentence_terms.push((start, terms.len()));
    }
    let mut counts: HashMap<&str, u32> = HashMap::new();
    for m in &doc.mentions {
        if let Some(a) = doc.actors.get(m.actor as usize) {
            *counts.entry(a.id.as_str()).or_default() += 1;
        }
    }
    let mut actors: Vec<(String, u32)> = counts
        .into_iter()
        .map(|(a, n)| (a.to_string(), n))
        .collect();
    actors.sort();
    let id = |a: Option<u32>| {
        a.and_then(|a| doc.actors.get(a as usize))
            .map(|a| a.id.clone())
    };
    let mut events = Vec::new();
    let mut per_sentence: HashMap<u32, u32> = HashMap::new();
    let mut latest: Option<i32> = None;
    for e in &doc.events {
        let day = e
            .date
            .filter(|d| d.precision == DatePrecision::Day)
            .map(|d| (day_of(&d), d.basis));
        if let Some((d, DateBasis::Text)) = day {
            latest = Some(latest.map_or(d, |x| x.max(d)));
        }
        if let (Some(source), Some(target)) = (id(e.source), id(e.target)) {
            *per_sentence.entry(e.sentence).or_default() += 1;
            events.push(InputEvent {
                source,
                target,
                cameo: e.cameo.clone(),
                day: day.map(|x| x.0),
            });
        }
    }
    let quoted: Vec<annals_model::TextRange> = doc
        .quotes
        .iter()
        .filter(|q| q.speaker.is_some())
        .map(|q| q.range)
        .collect();
    let mut sentences = Vec::new();
    for (i, s) in doc.sentences.iter().enumerate() {
        if sentences.len() >= CANDIDATES {
            break;
        }
        let evs = per_sentence.get(&(i as u32)).copied().unwrap_or(0);
        let quote = quoted
            .iter()
            .any(|q| q.start < s.range.end && s.range.start < q.end);
        if i >= LEAD && evs == 0 && !quote {
            continue;
        }
        let (a, b) = sentence_terms[i];
        sentences.push(InputSentence {
            index: i as u32,
            text: doc.text(s.range).to_string(),
            start: s.range.start,
            end: s.range.end,
            terms: terms[a..b].to_vec(),
            events: evs,
            quote,
        });
    }
    StoryInput {
        id: doc.id.0.clone(),
        title: doc.title.clone(),
        outlet: doc.outlet.clone(),
        day: doc.published.as_deref().and_then(day_of_iso).or(latest),
        terms,
        paragraph_ends,
        actors,
        events,
        sentences,
    }
}

/// Cluster the documents into stories and describe each: members, date range, outlets,
/// near-copies, the timeline of the merged `events` its members report, a summary.
/// Stories are numbered `s1`, `s2`, … in order of their first document.
pub fn story_records(
    inputs: Vec<StoryInput>,
    events: &[EventRecord],
) -> io::Result<Vec<StoryRecord>> {
    let mut c = Clusterer::bundled();
    let mut inputs = inputs.into_iter().peekable();
    // in the batches the cross-document step uses, so that both make the same stories
    while inputs.peek().is_some() {
        c.add_batch(inputs.by_ref().take(crate::cross::STORY_BATCH).collect());
    }
    records_of(&c, events)
}

/// The story records of a clusterer's stories (see [`story_records`]).
pub fn records_of(c: &Clusterer, events: &[EventRecord]) -> io::Result<Vec<StoryRecord>> {
    let mut t = Timelines::new(c);
    for e in events {
        t.add(e)?;
    }
    let mut out = Vec::new();
    t.records_with(
        |s| Ok(s.members.iter().map(|m| m.sentences.clone()).collect()),
        |r| {
            out.push(r);
            Ok(())
        },
    )?;
    Ok(out)
}

/// [`records_of`] made as the merged events come, so that they need not be held: each
/// event joins the timeline of the story most of its reports belong to. The timelines
/// wait in a temporary [`Chains`] spill, one chain per story.
pub struct Timelines<'a> {
    c: &'a Clusterer,
    story_of: HashMap<&'a str, usize>,
    timelines: Chains,
    buf: Vec<u8>,
}

impl<'a> Timelines<'a> {
    /// The clusterer's stories, with empty timelines.
    pub fn new(c: &'a Clusterer) -> Self {
        let mut story_of: HashMap<&str, usize> = HashMap::new();
        for (i, s) in c.stories().iter().enumerate() {
            for m in &s.members {
                story_of.insert(m.doc.as_str(), i);
            }
        }
        Self {
            c,
            story_of,
            timelines: Chains::new(),
            buf: Vec::new(),
        }
    }

    /// A merged event.
    pub fn add(&mut self, e: &EventRecord) -> io::Result<()> {
        let mut votes: HashMap<usize, usize> = HashMap::new();
        let mut docs: Vec<&str> = e.mentions.iter().map(|m| m.doc.as_str()).collect();
        docs.sort_unstable();
        docs.dedup();
        for d in &docs {
            if let Some(&s) = self.story_of.get(d) {
                *votes.entry(s).or_default() += 1;
            }
        }
        let Some((s, n)) = votes
            .into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
        else {
            return Ok(());
        };
        let entry = TimelineEntry {
            date: e.date.clone(),
            event: e.id.clone(),
            source: e.source.clone(),
            cameo: e.cameo.clone(),
            target: e.target.clone(),
            action: e.action.clone(),
            reports: n,
        };
        self.buf.clear();
        serde_json::to_writer(&mut self.buf, &entry)?;
        self.timelines.push(s, &self.buf)
    }

    /// The story records, one at a time to `each`, the summary sentences of each story's
    /// members (kept elsewhere: [`Clusterer::take_sentences`]) given by `sentences`.
    pub fn records_with(
        self,
        mut sentences: impl FnMut(&Story) -> io::Result<Vec<Vec<InputSentence>>>,
        mut each: impl FnMut(StoryRecord) -> io::Result<()>,
    ) -> io::Result<()> {
        let Self {
            c, mut timelines, ..
        } = self;
        for (i, s) in c.stories().iter().enumerate() {
            let timeline = timelines
                .read_chain(i)?
                .iter()
                .map(|x| serde_json::from_slice(x))
                .collect::<Result<_, _>>()?;
            let held = sentences(s)?;
            let sum = summarize_with(c, s, |m| held.get(m).map_or(&[], Vec::as_slice), SUMMARY);
            each(story_record(s, timeline, sum))?;
        }
        Ok(())
    }
}

fn story_record(s: &Story, mut timeline: Vec<TimelineEntry>, sum: Summary) -> StoryRecord {
    timeline.sort_by(|a, b| match (&a.date, &b.date) {
        (Some(x), Some(y)) => x.cmp(y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    let mut outlets: Vec<String> = Vec::new();
    for m in &s.members {
        if let Some(o) = &m.outlet {
            if !outlets.contains(o) {
                outlets.push(o.clone());
            }
        }
    }
    // the days: the members' own, widened by the dated events of the timeline
    // close to them (background events of months before stay out); without
    // dated members, the latest dated events
    let mut days: Vec<i32> = s.members.iter().filter_map(|m| m.day).collect();
    let event_days: Vec<i32> = timeline
        .iter()
        .filter_map(|t| t.date.as_deref().and_then(day_of_iso))
        .collect();
    let (lo, hi) = match (days.iter().min(), days.iter().max()) {
        (Some(&a), Some(&b)) => (a - 3, b + 3),
        _ => match event_days.iter().max() {
            Some(&m) => (m - 3, m),
            None => (0, -1),
        },
    };
    days.extend(event_days.into_iter().filter(|d| (lo..=hi).contains(d)));
    let date_range = match (days.iter().min(), days.iter().max()) {
        (Some(&a), Some(&b)) => vec![iso_of_day(a), iso_of_day(b)],
        _ => Vec::new(),
    };
    StoryRecord {
        id: format!("s{}", s.id + 1),
        title: sum.title,
        docs: s.members.iter().map(|m| m.doc.clone()).collect(),
        date_range,
        outlets,
        copies: s
            .members
            .iter()
            .filter_map(|m| {
                Some(CopyLink {
                    doc: m.doc.clone(),
                    of: m.copy_of.clone()?,
                    similarity: (m.copy_similarity * 100.0).round() / 100.0,
                })
            })
            .collect(),
        timeline,
        summary: sum
            .sentences
            .into_iter()
            .map(|(doc, x)| Evidence {
                doc,
                sentence: x.text,
                start: Some(x.start),
                end: Some(x.end),
                action: None,
                action_start: None,
                action_end: None,
            })
            .collect(),
    }
}
