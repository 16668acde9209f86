//! The cross-document step: what each document gives it, and the records it makes at the
//! end of a run.
//!
//! ```text
//! Document ─▶ event reports + DocReports (story input, relation and stance reports)
//!          ─▶ Gathered (in document order) ─▶ finish_into: events, stories, relations,
//!                                              stances, dyads
//! ```
//!
//! The output sinks gather from analysed documents ([`Gathered::add`]); a store keeps each
//! document's reports (they serialise) and gathers them again from every stored document
//! ([`Gathered::add_events`], [`Gathered::add_doc`]), so both make the same records by the
//! same code.

use crate::held::HeldReports;
use crate::record::{event_reports, EventReport};
use crate::relations::{
    relation_reports, stance_reports, Dyads, RelationReport, Relations, StanceReport, Stances,
};
use crate::spill::Chains;
use crate::stories::{story_input, Timelines};
use annals_model::output::{
    ActorRecord, Analysis, DyadRecord, EventRecord, RelationRecord, StanceRecord, StoryRecord,
};
use annals_model::Document;
use annals_stories::{Clusterer, InputSentence, StoryInput};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::io;

/// What one document gives the cross-document step besides its event reports: its story
/// clustering input and its relation and stance reports. No body text beyond the summary
/// candidates and evidence sentences.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DocReports {
    /// The document as story clustering sees it.
    pub story: StoryInput,
    /// Its relation reports.
    #[serde(default)]
    pub relations: Vec<RelationReport>,
    /// Its stance reports.
    #[serde(default)]
    pub stances: Vec<StanceReport>,
}

impl DocReports {
    /// The reports of an analysed document.
    pub fn of(doc: &Document) -> Self {
        Self {
            story: story_input(doc),
            relations: relation_reports(doc),
            stances: stance_reports(doc),
        }
    }
}

/// Story inputs clustered at a time. Story clustering is online: documents go to the
/// clusterer in batches as they are gathered, so their word hashes are not held to the
/// end, and a batch's documents count in each other's word weights.
pub const STORY_BATCH: usize = 1000;

/// What the cross-document records are made of, gathered document by document: event
/// reports (merged across documents at the end), story clustering (online, in batches of
/// [`STORY_BATCH`]), relations and stances. Documents must be added in a stable order (the
/// input order, or the order a store keeps them in): story numbers and merged events
/// follow it.
///
/// Event reports are not held in memory: their merge keys go to an external sort, the
/// rest of each to a temporary spill, its sentence to another (a sentence with several
/// events once), and [`Gathered::finish`] merges them bucket by bucket and hands the
/// merged events out one at a time (`held.rs`).
pub struct Gathered {
    events: HeldReports,
    clusterer: Clusterer,
    /// The summary sentences of the stories' members, a chain per story, taken from the
    /// clusterer after each batch and read back one story at a time at the end.
    story_sentences: Chains,
    pending: Vec<StoryInput>,
    documents: usize,
    relations: Relations,
    stances: Stances,
}

impl std::fmt::Debug for Gathered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gathered")
            .field("events", &self.events.len())
            .field("documents", &self.documents)
            .field("relations", &self.relations)
            .field("stances", &self.stances)
            .finish()
    }
}

impl Default for Gathered {
    fn default() -> Self {
        Self {
            events: HeldReports::default(),
            clusterer: Clusterer::bundled(),
            story_sentences: Chains::new(),
            pending: Vec::new(),
            documents: 0,
            relations: Relations::new(),
            stances: Stances::default(),
        }
    }
}

/// One cross-document record, as [`Gathered::finish`] hands them out: every event, then
/// every story, relation, stance and dyad, in that order.
#[derive(Debug)]
pub enum Cross {
    /// A merged event.
    Event(EventRecord),
    /// A story, with its timeline of merged events.
    Story(StoryRecord),
    /// A relation, from the relation reports and the merged events.
    Relation(RelationRecord),
    /// A stance.
    Stance(StanceRecord),
    /// An actor pair and the merged events between them.
    Dyad(DyadRecord),
}

impl Gathered {
    /// An analysed document.
    pub fn add(&mut self, doc: &Document) -> io::Result<()> {
        self.add_events(event_reports(doc))?;
        self.add_doc(DocReports::of(doc))
    }

    /// Event reports of documents, in document order.
    pub fn add_events(&mut self, reports: impl IntoIterator<Item = EventReport>) -> io::Result<()> {
        for r in reports {
            self.events.add(r)?;
        }
        Ok(())
    }

    /// The other reports of the next document.
    pub fn add_doc(&mut self, r: DocReports) -> io::Result<()> {
        self.pending.push(r.story);
        self.documents += 1;
        if self.pending.len() >= STORY_BATCH {
            self.cluster_pending()?;
        }
        for x in r.relations {
            self.relations.add_report(x)?;
        }
        for x in r.stances {
            self.stances.add(x)?;
        }
        Ok(())
    }

    /// Cluster the documents waiting, and move their summary sentences to the spill.
    fn cluster_pending(&mut self) -> io::Result<()> {
        self.clusterer.add_batch(std::mem::take(&mut self.pending));
        for (story, member, sentences) in self.clusterer.take_sentences() {
            let chunk = serde_json::to_vec(&(member, sentences))?;
            self.story_sentences.push(story as usize, &chunk)?;
        }
        Ok(())
    }

    /// Documents with story inputs gathered so far.
    pub fn documents(&self) -> usize {
        self.documents
    }

    /// Make the cross-document records and empty `self`: they go to `each` one at a
    /// time, in order (see [`Cross`]), so that none of them is held. `actors` are the
    /// run's actors (dyads roll people up to their affiliation).
    pub fn finish(
        &mut self,
        actors: &[ActorRecord],
        mut each: impl FnMut(Cross) -> io::Result<()>,
    ) -> io::Result<()> {
        if !self.pending.is_empty() {
            self.cluster_pending()?;
        }
        let clusterer = std::mem::replace(&mut self.clusterer, Clusterer::bundled());
        let mut story_sentences = std::mem::replace(&mut self.story_sentences, Chains::new());
        self.documents = 0;
        let mut reports = std::mem::take(&mut self.events);
        let mut relations = std::mem::take(&mut self.relations);
        let stances = std::mem::take(&mut self.stances);
        let mut timelines = Timelines::new(&clusterer);
        let mut dyads = Dyads::new(actors);
        reports.finish(|e| {
            timelines.add(&e)?;
            relations.add_event(&e)?;
            dyads.add(&e);
            each(Cross::Event(e))
        })?;
        drop(reports);
        timelines.records_with(
            |story| {
                let mut held = vec![Vec::new(); story.members.len()];
                for chunk in story_sentences.read_chain(story.id as usize)? {
                    let (member, sentences): (u32, Vec<InputSentence>) =
                        serde_json::from_slice(&chunk)?;
                    if let Some(m) = held.get_mut(member as usize) {
                        *m = sentences;
                    }
                }
                Ok(held)
            },
            |s| each(Cross::Story(s)),
        )?;
        // near-copies: their evidence counts, but not as documents of a relation
        let copies: HashSet<String> = clusterer
            .stories()
            .iter()
            .flat_map(|s| s.members.iter())
            .filter(|m| m.copy_of.is_some())
            .map(|m| m.doc.clone())
            .collect();
        drop(clusterer);
        relations.records_with(&copies, |r| each(Cross::Relation(r)))?;
        stances.records_with(|s| each(Cross::Stance(s)))?;
        for d in dyads.records() {
            each(Cross::Dyad(d))?;
        }
        Ok(())
    }

    /// [`Gathered::finish`] into the cross-document arrays of `out` (events, stories,
    /// relations, stances, dyads); `out.actors` must be filled already.
    pub fn finish_into(&mut self, out: &mut Analysis) -> io::Result<()> {
        let (mut events, mut stories, mut relations, mut stances, mut dyads) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
        self.finish(&out.actors, |x| {
            match x {
                Cross::Event(e) => events.push(e),
                Cross::Story(s) => stories.push(s),
                Cross::Relation(r) => relations.push(r),
                Cross::Stance(s) => stances.push(s),
                Cross::Dyad(d) => dyads.push(d),
            }
            Ok(())
        })?;
        out.events = events;
        out.stories = stories;
        out.relations = relations;
        out.stances = stances;
        out.dyads = dyads;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use annals_model::output::Evidence;
    use annals_model::RelationKind;

    #[test]
    fn doc_reports_round_trip_through_json() {
        let ev = Evidence {
            doc: "d1".into(),
            sentence: "Russia backed the rebels.".into(),
            start: Some(0),
            end: Some(25),
            action: Some("backed".into()),
            action_start: Some(7),
            action_end: Some(13),
        };
        let r = DocReports {
            story: StoryInput {
                id: "d1".into(),
                title: Some("Backing".into()),
                day: Some(16_706),
                terms: vec![u64::MAX, 1, annals_stories::hash_word("rebels")],
                actors: vec![("russia".into(), 2)],
                ..Default::default()
            },
            relations: vec![RelationReport {
                a: "russia".into(),
                b: "rebels".into(),
                kind: RelationKind::Supports,
                hedged: false,
                evidence: ev.clone(),
            }],
            stances: vec![StanceReport {
                holder: "russia".into(),
                topic: "the rebels".into(),
                topic_actors: vec!["rebels".into()],
                polarity: "support".into(),
                cue: "backed".into(),
                evidence: ev,
            }],
        };
        let json = serde_json::to_string(&r).unwrap();
        assert_eq!(serde_json::from_str::<DocReports>(&json).unwrap(), r);
    }

    fn report(doc: &str, sentence: &str, start: u32, source: &str, cameo: &str) -> EventReport {
        EventReport {
            source: Some(source.into()),
            target: Some("yland".into()),
            cameo: cameo.into(),
            symmetric: false,
            date: None,
            date_text: None,
            published: annals_time::Date::parse("2015-09-30"),
            modality: annals_model::Modality::Asserted,
            confidence: 0.8,
            narrative: true,
            pending: None,
            evidence: Evidence {
                doc: doc.into(),
                sentence: sentence.into(),
                start: Some(start),
                end: Some(start + sentence.len() as u32),
                action: Some("met".into()),
                action_start: Some(start + 6),
                action_end: Some(start + 9),
            },
        }
    }

    #[test]
    fn merged_events_from_spilled_sentences_equal_those_made_in_memory() {
        // two reports of one sentence (its text kept once), the same event in another
        // document, and sentences past the spill's in-memory part
        let long = "x".repeat(3 << 20);
        let reports = vec![
            report(
                "d1",
                "Xland met Yland and praised Yland.",
                0,
                "xland",
                "040",
            ),
            report(
                "d1",
                "Xland met Yland and praised Yland.",
                0,
                "xland",
                "051",
            ),
            report("d1", &long, 40, "zland", "190"),
            report("d2", "Xland met Yland on Tuesday.", 0, "xland", "040"),
            report("d2", &long, 30, "zland", "190"),
            report("d2", "Wland accused Yland.", 9_000_000, "wland", "112"),
        ];
        // d3 has no date of its own: it shares the dated meeting, so its undated
        // narrative report takes that day, and "on Monday" resolves against it
        let mut reports = reports;
        reports[0].date = Some(annals_model::EventDate {
            ymd: (2015, 9, 29),
            precision: annals_model::DatePrecision::Day,
            basis: annals_model::DateBasis::Text,
            range: None,
        });
        reports[0].date_text = Some("Tuesday".into());
        let mut undated = |sentence: &str, start: u32, source: &str, cameo: &str| {
            let mut r = report("d3", sentence, start, source, cameo);
            r.published = None;
            reports.push(r);
        };
        undated("Xland met Yland.", 0, "xland", "040");
        undated("Vland shelled Yland.", 20, "vland", "195");
        undated("Uland will meet Yland on Monday.", 40, "uland", "036");
        let r = reports.last_mut().unwrap();
        r.narrative = false;
        r.pending = Some((
            "on Monday".into(),
            annals_model::PendingTime {
                range: annals_model::TextRange { start: 62, end: 71 },
                tense: annals_model::ClauseTense::Future,
            },
        ));
        let want = crate::record::event_records(&reports);
        assert_eq!(want.len(), 6, "two merged events and four single ones");
        let dated = |cameo: &str| {
            let e = want.iter().find(|e| e.cameo == cameo).unwrap();
            (e.date.clone(), e.date_basis.clone(), e.date_text.clone())
        };
        assert_eq!(
            dated("195"),
            (
                Some("2015-09-29".into()),
                Some("cross-document".into()),
                None
            )
        );
        assert_eq!(dated("036").2.as_deref(), Some("on Monday"));
        // external sorts of two records at a time
        let mut g = Gathered {
            events: HeldReports::with_run(Some(2)),
            ..Gathered::default()
        };
        g.add_events(reports[..3].to_vec()).unwrap();
        g.add_events(reports[3..6].to_vec()).unwrap();
        g.add_events(reports[6..].to_vec()).unwrap();
        let (mut got, mut dyads) = (Vec::new(), 0);
        g.finish(&[], |x| {
            match x {
                Cross::Event(e) => got.push(e),
                Cross::Dyad(_) => dyads += 1,
                _ => {}
            }
            Ok(())
        })
        .unwrap();
        assert_eq!(got, want);
        assert_eq!(dyads, 5, "xland, zland, wland, vland, uland with yland");
        let mut out = Analysis::default();
        g.finish_into(&mut out).unwrap();
        assert!(out.events.is_empty(), "finishing empties what was gathered");
    }

    #[test]
    fn gathering_nothing_makes_nothing() {
        let mut out = Analysis::default();
        Gathered::default().finish_into(&mut out).unwrap();
        assert!(out.events.is_empty() && out.stories.is_empty() && out.relations.is_empty());
    }
}
