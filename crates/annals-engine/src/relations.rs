//! From each document's relations and stances, and the merged events, to the relation,
//! stance and dyad records of the output contract.

use crate::record::{Name, Names};
use crate::spill::Chains;
use annals_model::output::{
    ActorRecord, DyadRecord, DyadWeek, EventRecord, Evidence, RelationRecord, StanceRecord,
};
use annals_model::{Document, RelationKind, TextRange};
use annals_stories::{day_of_iso, days_from_civil, iso_of_day};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io;

/// One document's report of a relation, with global actor ids.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RelationReport {
    /// First actor.
    pub a: String,
    /// Second actor.
    pub b: String,
    /// What binds them.
    pub kind: RelationKind,
    /// Announced, intended or hedged.
    pub hedged: bool,
    /// The sentence and the cue words.
    pub evidence: Evidence,
}

/// One document's report of a stance, with global actor ids.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct StanceReport {
    /// Who holds it.
    pub holder: String,
    /// The topic phrase.
    pub topic: String,
    /// The actors the topic names.
    pub topic_actors: Vec<String>,
    /// support | oppose | conditional.
    pub polarity: String,
    /// The cue words.
    pub cue: String,
    /// The sentence.
    pub evidence: Evidence,
}

fn evidence(doc: &Document, sentence: u32, cue: TextRange) -> Evidence {
    let r = doc.sentences.get(sentence as usize).map(|s| s.range);
    Evidence {
        doc: doc.id.0.clone(),
        sentence: r.map(|r| doc.text(r).to_string()).unwrap_or_default(),
        start: r.map(|r| r.start),
        end: r.map(|r| r.end),
        action: Some(doc.text(cue).to_string()),
        action_start: Some(cue.start),
        action_end: Some(cue.end),
    }
}

/// The relation reports of one document.
pub fn relation_reports(doc: &Document) -> Vec<RelationReport> {
    let id = |a: u32| doc.actors.get(a as usize).map(|x| x.id.clone());
    doc.relations
        .iter()
        .filter_map(|r| {
            Some(RelationReport {
                a: id(r.a)?,
                b: id(r.b)?,
                kind: r.kind,
                hedged: r.hedged,
                evidence: evidence(doc, r.sentence, r.cue),
            })
        })
        .collect()
}

/// The stance reports of one document.
pub fn stance_reports(doc: &Document) -> Vec<StanceReport> {
    let id = |a: u32| doc.actors.get(a as usize).map(|x| x.id.clone());
    doc.stances
        .iter()
        .filter_map(|s| {
            Some(StanceReport {
                holder: id(s.holder)?,
                topic: s.topic.clone(),
                topic_actors: s.topic_actors.iter().filter_map(|&a| id(a)).collect(),
                polarity: s.polarity.as_str().to_string(),
                cue: doc.text(s.cue).to_string(),
                evidence: evidence(doc, s.sentence, s.cue),
            })
        })
        .collect()
}

/// Join relation reports across documents, with the relations the merged events imply
/// ([`annals_relations::relation_of_event`]): one record per pair and kind (either order
/// for symmetric kinds), with every piece of evidence. `copies` are documents that
/// near-copy another: their evidence is kept but they are not counted in `docs`.
pub fn relation_records(
    reports: &[RelationReport],
    events: &[EventRecord],
    copies: &HashSet<String>,
) -> io::Result<Vec<RelationRecord>> {
    let mut r = Relations::new();
    for x in reports {
        r.add_report(x.clone())?;
    }
    for e in events {
        r.add_event(e)?;
    }
    let mut out = Vec::new();
    r.records_with(copies, |rec| {
        out.push(rec);
        Ok(())
    })?;
    Ok(out)
}

/// [`relation_records`] made as the inputs come: every relation report first, then the
/// merged events one by one, so that neither the reports nor the events need be held.
/// The evidence and documents of each relation wait in a temporary [`Chains`] spill; in
/// memory each relation keeps its actors and kind, and each piece of evidence a few
/// numbers (to keep it once).
pub struct Relations {
    out: Vec<RelationAcc>,
    index: HashMap<(String, String, RelationKind), u32>,
    /// Per relation, its evidence (JSON objects) and the documents it was read from
    /// (JSON strings, each once, near-copies included: they are left out when written).
    evidence: Chains,
    docs: Chains,
    doc_names: Names,
    /// (relation, document) pairs in `docs`.
    seen_docs: HashSet<(u32, Name)>,
    /// (relation, document, sentence start, cue start) of the evidence kept.
    seen_evidence: HashSet<(u32, Name, Option<u32>, Option<u32>)>,
    buf: Vec<u8>,
}

struct RelationAcc {
    a: String,
    b: String,
    kind: RelationKind,
    basis: Vec<&'static str>,
    all_hedged: bool,
}

impl Default for Relations {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for Relations {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Relations({})", self.out.len())
    }
}

impl Relations {
    /// Nothing yet.
    pub fn new() -> Self {
        Self {
            out: Vec::new(),
            index: HashMap::new(),
            evidence: Chains::new(),
            docs: Chains::new(),
            doc_names: Names::default(),
            seen_docs: HashSet::new(),
            seen_evidence: HashSet::new(),
            buf: Vec::new(),
        }
    }

    /// A document's report of a relation.
    pub fn add_report(&mut self, r: RelationReport) -> io::Result<()> {
        self.add(&r.a, &r.b, r.kind, r.hedged, &r.evidence, "text")
    }

    /// A merged event: the relation its code implies, if any, with each of its mentions
    /// as evidence.
    pub fn add_event(&mut self, e: &EventRecord) -> io::Result<()> {
        let (Some(s), Some(t)) = (&e.source, &e.target) else {
            return Ok(());
        };
        let Some(kind) = annals_relations::relation_of_event(&e.cameo) else {
            return Ok(());
        };
        if matches!(e.modality.as_str(), "negated" | "failed") {
            return Ok(());
        }
        let hedged = e.modality != "asserted";
        for m in &e.mentions {
            self.add(s, t, kind, hedged, m, "events")?;
        }
        Ok(())
    }

    fn add(
        &mut self,
        a: &str,
        b: &str,
        kind: RelationKind,
        hedged: bool,
        ev: &Evidence,
        basis: &'static str,
    ) -> io::Result<()> {
        if a == b {
            return Ok(());
        }
        let (a, b) = if kind.symmetric() && b < a {
            (b, a)
        } else {
            (a, b)
        };
        let out = &mut self.out;
        let key = (a.to_string(), b.to_string(), kind);
        let i = *self.index.entry(key).or_insert_with(|| {
            out.push(RelationAcc {
                a: a.to_string(),
                b: b.to_string(),
                kind,
                basis: Vec::new(),
                all_hedged: true,
            });
            out.len() as u32 - 1
        });
        let acc = &mut self.out[i as usize];
        acc.all_hedged &= hedged;
        if !acc.basis.contains(&basis) {
            acc.basis.push(basis);
        }
        let doc = self.doc_names.intern(&ev.doc);
        if self.seen_docs.insert((i, doc)) {
            self.buf.clear();
            serde_json::to_writer(&mut self.buf, &ev.doc)?;
            self.docs.push(i as usize, &self.buf)?;
        }
        if self
            .seen_evidence
            .insert((i, doc, ev.start, ev.action_start))
        {
            self.buf.clear();
            serde_json::to_writer(&mut self.buf, ev)?;
            self.evidence.push(i as usize, &self.buf)?;
        }
        Ok(())
    }

    /// The records, in order of their first evidence, one at a time to `each`; the
    /// documents in `copies` are not counted in `docs`.
    pub fn records_with(
        mut self,
        copies: &HashSet<String>,
        mut each: impl FnMut(RelationRecord) -> io::Result<()>,
    ) -> io::Result<()> {
        for (i, acc) in std::mem::take(&mut self.out).into_iter().enumerate() {
            let evidence = self
                .evidence
                .read_chain(i)?
                .iter()
                .map(|c| serde_json::from_slice(c))
                .collect::<Result<_, _>>()?;
            let mut docs = Vec::new();
            for c in self.docs.read_chain(i)? {
                let doc: String = serde_json::from_slice(&c)?;
                if !copies.contains(&doc) {
                    docs.push(doc);
                }
            }
            each(RelationRecord {
                a: acc.a,
                b: acc.b,
                relation: acc.kind.as_str().to_string(),
                evidence,
                docs,
                basis: acc.basis.iter().map(|b| b.to_string()).collect(),
                hedged: acc.all_hedged,
            })?;
        }
        Ok(())
    }
}

/// Join stance reports across documents: one record per holder, topic (compared without
/// case) and polarity, with every piece of evidence.
pub fn stance_records(
    reports: impl IntoIterator<Item = StanceReport>,
) -> io::Result<Vec<StanceRecord>> {
    let mut s = Stances::default();
    for r in reports {
        s.add(r)?;
    }
    let mut out = Vec::new();
    s.records_with(|r| {
        out.push(r);
        Ok(())
    })?;
    Ok(out)
}

/// [`stance_records`] made as the reports come, their evidence and cues waiting in a
/// temporary [`Chains`] spill (one chain per stance) rather than in memory.
#[derive(Default)]
pub struct Stances {
    /// Per stance: its first report with no evidence and no cue.
    out: Vec<StanceRecord>,
    index: HashMap<(String, String, String), u32>,
    /// Per stance, (evidence, cue) pairs as JSON.
    evidence: Option<Chains>,
    doc_names: Names,
    /// (stance, document, sentence start) of the evidence kept.
    seen: HashSet<(u32, Name, Option<u32>)>,
    buf: Vec<u8>,
}

impl std::fmt::Debug for Stances {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Stances({})", self.out.len())
    }
}

impl Stances {
    /// A document's report of a stance.
    pub fn add(&mut self, r: StanceReport) -> io::Result<()> {
        let key = (r.holder.clone(), r.topic.to_lowercase(), r.polarity.clone());
        let out = &mut self.out;
        let i = *self.index.entry(key).or_insert_with(|| {
            out.push(StanceRecord {
                holder: r.holder.clone(),
                topic: r.topic.clone(),
                polarity: r.polarity.clone(),
                evidence: Vec::new(),
                topic_actors: r.topic_actors.clone(),
                cues: Vec::new(),
            });
            out.len() as u32 - 1
        });
        let doc = self.doc_names.intern(&r.evidence.doc);
        if self.seen.insert((i, doc, r.evidence.start)) {
            self.buf.clear();
            serde_json::to_writer(&mut self.buf, &(&r.evidence, &r.cue))?;
            self.evidence
                .get_or_insert_with(Chains::new)
                .push(i as usize, &self.buf)?;
        }
        Ok(())
    }

    /// The records, in order of their first report, one at a time to `each`.
    pub fn records_with(
        mut self,
        mut each: impl FnMut(StanceRecord) -> io::Result<()>,
    ) -> io::Result<()> {
        for (i, mut rec) in std::mem::take(&mut self.out).into_iter().enumerate() {
            if let Some(chains) = &mut self.evidence {
                for c in chains.read_chain(i)? {
                    let (ev, cue): (Evidence, String) = serde_json::from_slice(&c)?;
                    rec.evidence.push(ev);
                    rec.cues.push(cue);
                }
            }
            each(rec)?;
        }
        Ok(())
    }
}

/// The actor an actor acts for, for dyads: a person's country or organisation (their
/// `affiliation`), else itself.
fn principal<'a>(id: &'a str, actors: &'a HashMap<&str, &ActorRecord>) -> &'a str {
    match actors.get(id) {
        Some(a) if a.kind == "person" => a.affiliation.as_deref().unwrap_or(id),
        _ => id,
    }
}

/// `2015-W40` of a day.
fn iso_week(day: i32) -> String {
    let weekday = (day + 3).rem_euclid(7); // Monday 0
    let thursday = day - weekday + 3;
    let iso = iso_of_day(thursday);
    let year: i32 = iso[..4].parse().unwrap_or(1970);
    let week = (thursday - days_from_civil(year, 1, 1)) / 7 + 1;
    format!("{year}-W{week:02}")
}

fn tone(goldstein: f32) -> &'static str {
    if goldstein >= 1.0 {
        "cooperation"
    } else if goldstein <= -1.0 {
        "conflict"
    } else {
        "mixed"
    }
}

#[derive(Default)]
struct Tally {
    events: usize,
    quad: [usize; 4],
    goldstein: f32,
}

impl Tally {
    fn add(&mut self, quad: u8, g: f32) {
        self.events += 1;
        if (1..=4).contains(&quad) {
            self.quad[quad as usize - 1] += 1;
        }
        self.goldstein += g;
    }
    fn mean(&self) -> f32 {
        if self.events == 0 {
            0.0
        } else {
            (self.goldstein / self.events as f32 * 100.0).round() / 100.0
        }
    }
}

/// Pairs of actors (people rolled up to the country or organisation they act for) and
/// the events between them, either way, by quad class and Goldstein score, overall and
/// by ISO week. Most events first.
pub fn dyad_records(events: &[EventRecord], actors: &[ActorRecord]) -> Vec<DyadRecord> {
    let mut d = Dyads::new(actors);
    for e in events {
        d.add(e);
    }
    d.records()
}

/// [`dyad_records`] made as the merged events come, so that they need not be held.
pub struct Dyads<'a> {
    by_id: HashMap<&'a str, &'a ActorRecord>,
    pairs: BTreeMap<(String, String), (Tally, BTreeMap<String, Tally>)>,
}

impl<'a> Dyads<'a> {
    /// No events yet; people among `actors` roll up to their affiliation.
    pub fn new(actors: &'a [ActorRecord]) -> Self {
        Self {
            by_id: actors.iter().map(|a| (a.id.as_str(), a)).collect(),
            pairs: BTreeMap::new(),
        }
    }

    /// A merged event.
    pub fn add(&mut self, e: &EventRecord) {
        let (Some(s), Some(t)) = (&e.source, &e.target) else {
            return;
        };
        if matches!(e.modality.as_str(), "negated" | "failed") {
            return;
        }
        let (s, t) = (principal(s, &self.by_id), principal(t, &self.by_id));
        if s == t {
            return;
        }
        let key = if s < t { (s, t) } else { (t, s) };
        let entry = self
            .pairs
            .entry((key.0.to_string(), key.1.to_string()))
            .or_default();
        entry.0.add(e.quad_class, e.goldstein);
        if let Some(day) = e.date.as_deref().and_then(day_of_iso) {
            entry
                .1
                .entry(iso_week(day))
                .or_default()
                .add(e.quad_class, e.goldstein);
        }
    }

    /// The records, most events first.
    pub fn records(self) -> Vec<DyadRecord> {
        let mut out: Vec<DyadRecord> = self
            .pairs
            .into_iter()
            .map(|((a, b), (all, weeks))| DyadRecord {
                a,
                b,
                events: all.events,
                quad: all.quad,
                goldstein: all.mean(),
                tone: tone(all.mean()).to_string(),
                weeks: weeks
                    .into_iter()
                    .map(|(week, t)| DyadWeek {
                        week,
                        events: t.events,
                        quad: t.quad,
                        goldstein: t.mean(),
                        tone: tone(t.mean()).to_string(),
                    })
                    .collect(),
            })
            .collect();
        out.sort_by(|x, y| {
            y.events
                .cmp(&x.events)
                .then(x.a.cmp(&y.a))
                .then(x.b.cmp(&y.b))
        });
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_weeks() {
        assert_eq!(iso_week(day_of_iso("2015-09-28").unwrap()), "2015-W40");
        assert_eq!(iso_week(day_of_iso("2016-01-01").unwrap()), "2015-W53");
        assert_eq!(iso_week(day_of_iso("2015-12-31").unwrap()), "2015-W53");
        assert_eq!(iso_week(day_of_iso("2018-12-31").unwrap()), "2019-W01");
    }

    fn event(s: &str, t: &str, cameo: &str, quad: u8, g: f32, date: &str) -> EventRecord {
        EventRecord {
            id: "e".into(),
            date: Some(date.into()),
            date_precision: Some("day".into()),
            source: Some(s.into()),
            target: Some(t.into()),
            cameo: cameo.into(),
            quad_class: quad,
            goldstein: g,
            action: "x".into(),
            mentions: vec![Evidence {
                doc: "d1".into(),
                sentence: "s".into(),
                start: Some(0),
                end: Some(1),
                action: None,
                action_start: None,
                action_end: None,
            }],
            date_basis: None,
            date_text: None,
            plover: None,
            plover_mode: None,
            modality: "asserted".into(),
            symmetric: false,
            confidence: 1.0,
        }
    }

    #[test]
    fn dyads_roll_people_up_and_tell_weeks_apart() {
        let person = ActorRecord {
            id: "leader-x".into(),
            name: "Leader X".into(),
            kind: "person".into(),
            country: None,
            roles: vec![],
            cameo: None,
            affiliation: Some("xland".into()),
            aliases: vec![],
            named: true,
            mentions: vec![],
        };
        let evs = [
            event("leader-x", "yland", "040", 1, 1.0, "2015-09-28"),
            event("yland", "xland", "057", 2, 8.0, "2015-09-29"),
            event("xland", "yland", "190", 4, -10.0, "2015-10-06"),
        ];
        let d = dyad_records(&evs, &[person]);
        assert_eq!(d.len(), 1);
        assert_eq!(
            (d[0].a.as_str(), d[0].b.as_str(), d[0].events),
            ("xland", "yland", 3)
        );
        assert_eq!(d[0].quad, [1, 1, 0, 1]);
        let weeks: Vec<(&str, &str)> = d[0]
            .weeks
            .iter()
            .map(|w| (w.week.as_str(), w.tone.as_str()))
            .collect();
        assert_eq!(
            weeks,
            [("2015-W40", "cooperation"), ("2015-W41", "conflict")]
        );
    }

    #[test]
    fn events_imply_relations_and_copies_are_not_counted() {
        let evs = [event("xland", "yland", "040", 1, 1.0, "2015-09-28")];
        let copies: HashSet<String> = ["d1".to_string()].into();
        let r = relation_records(&[], &evs, &copies).unwrap();
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].relation, "negotiates-with");
        assert_eq!(r[0].basis, ["events"]);
        assert!(
            r[0].docs.is_empty(),
            "a copy's report is evidence, not a document"
        );
        assert_eq!(r[0].evidence.len(), 1);
    }
}
