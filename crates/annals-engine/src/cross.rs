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

use crate::record::{event_records, event_reports, EventReport};
use crate::relations::{
    dyad_records, relation_records, relation_reports, stance_records, stance_reports,
    RelationReport, StanceReport,
};
use crate::stories::{records_of, story_input};
use annals_model::output::Analysis;
use annals_model::Document;
use annals_stories::{Clusterer, StoryInput};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

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
#[derive(Debug)]
pub struct Gathered {
    events: Vec<EventReport>,
    clusterer: Clusterer,
    pending: Vec<StoryInput>,
    documents: usize,
    relations: Vec<RelationReport>,
    stances: Vec<StanceReport>,
}

impl Default for Gathered {
    fn default() -> Self {
        Self {
            events: Vec::new(),
            clusterer: Clusterer::bundled(),
            pending: Vec::new(),
            documents: 0,
            relations: Vec::new(),
            stances: Vec::new(),
        }
    }
}

impl Gathered {
    /// An analysed document.
    pub fn add(&mut self, doc: &Document) {
        self.add_events(event_reports(doc));
        self.add_doc(DocReports::of(doc));
    }

    /// Event reports of documents, in document order.
    pub fn add_events(&mut self, reports: impl IntoIterator<Item = EventReport>) {
        self.events.extend(reports);
    }

    /// The other reports of the next document.
    pub fn add_doc(&mut self, r: DocReports) {
        self.pending.push(r.story);
        self.documents += 1;
        if self.pending.len() >= STORY_BATCH {
            self.clusterer.add_batch(std::mem::take(&mut self.pending));
        }
        self.relations.extend(r.relations);
        self.stances.extend(r.stances);
    }

    /// Documents with story inputs gathered so far.
    pub fn documents(&self) -> usize {
        self.documents
    }

    /// Fill the cross-document arrays of `out` (events, stories, relations, stances,
    /// dyads) and empty `self`; `out.actors` must be filled already (dyads roll people up
    /// to their affiliation).
    pub fn finish_into(&mut self, out: &mut Analysis) {
        out.events = event_records(&self.events);
        if !self.pending.is_empty() {
            self.clusterer.add_batch(std::mem::take(&mut self.pending));
        }
        out.stories = records_of(&self.clusterer, &out.events);
        self.clusterer = Clusterer::bundled();
        self.documents = 0;
        let copies: HashSet<String> = out
            .stories
            .iter()
            .flat_map(|s| s.copies.iter().map(|c| c.doc.clone()))
            .collect();
        out.relations = relation_records(&self.relations, &out.events, &copies);
        out.stances = stance_records(&self.stances);
        out.dyads = dyad_records(&out.events, &out.actors);
        self.events.clear();
        self.relations.clear();
        self.stances.clear();
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

    #[test]
    fn gathering_nothing_makes_nothing() {
        let mut out = Analysis::default();
        Gathered::default().finish_into(&mut out);
        assert!(out.events.is_empty() && out.stories.is_empty() && out.relations.is_empty());
    }
}
