//! Reading: lists and pages for people and programs.
//!
//! Records come back as the JSON they were stored with ([`Value`]), so fields a later
//! annals adds reach the reader; the summaries and aggregates are typed.

use crate::{check_date, Error, Result, Store};
use rusqlite::types::Value as SqlValue;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension};
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Filters of the document and actor lists; all optional.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    /// Documents: of this outlet (any case). Actors: name, id or an alias seen contains
    /// this (any case).
    pub q: Option<String>,
    /// Documents: published on or after this day (`YYYY-MM-DD`).
    pub from: Option<String>,
    /// Documents: published on or before this day.
    pub to: Option<String>,
    /// Documents: members of this story.
    pub story: Option<String>,
    /// Documents: mentioning this actor id. Actors: of this type (`person`, `country`…).
    pub actor: Option<String>,
    /// At most this many (0: 50; at most 500).
    pub limit: usize,
    /// Skip this many.
    pub offset: usize,
}

/// A page of a list.
#[derive(Debug, Clone, Serialize)]
pub struct Page<T> {
    /// How many match in all.
    pub total: usize,
    /// This page.
    pub items: Vec<T>,
}

/// A document in a list.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentSummary {
    /// Id.
    pub id: String,
    /// Headline.
    pub title: Option<String>,
    /// Publication date.
    pub published: Option<String>,
    /// Outlet.
    pub outlet: Option<String>,
    /// Where it was read from.
    pub source: String,
}

/// A document with everything read from it.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentPage {
    /// The document record, with its body.
    pub document: Value,
    /// Its actor mentions: `actor`, `name`, `start`, `end`, `text`, `place`.
    pub mentions: Vec<Value>,
    /// Its quotes.
    pub quotes: Vec<Value>,
    /// The merged events it reports (their mentions in other documents included).
    pub events: Vec<Value>,
    /// The stories it belongs to.
    pub stories: Vec<StorySummary>,
    /// Names of the actors the records refer to, by id.
    pub names: BTreeMap<String, String>,
}

/// An actor in a list.
#[derive(Debug, Clone, Serialize)]
pub struct ActorSummary {
    /// Id.
    pub id: String,
    /// Canonical name.
    pub name: String,
    /// person | country | organization | …
    #[serde(rename = "type")]
    pub kind: String,
    /// ISO 3166 alpha-3.
    pub country: Option<String>,
    /// False for an anonymous source.
    pub named: bool,
    /// Mentions over all documents.
    pub mentions: usize,
    /// Documents that mention it.
    pub documents: usize,
}

/// An actor with its statements, events and relations.
#[derive(Debug, Clone, Serialize)]
pub struct ActorPage {
    /// The actor record (aliases and roles joined over documents; `mentions` is the count).
    pub actor: Value,
    /// Its mentions, per document: `doc`, `start`, `end`, `text`, `place`.
    pub mentions: Vec<Value>,
    /// What it said: `{quote, title, published}`.
    pub quotes: Vec<Value>,
    /// The events it is the source or target of, by date.
    pub events: Vec<Value>,
    /// Relation records it is part of.
    pub relations: Vec<Value>,
    /// Its stances.
    pub stances: Vec<Value>,
    /// The actors it deals with: from its events and relations.
    pub partners: Vec<Partner>,
    /// Cooperation and conflict per month, from its dated events.
    pub series: Vec<MonthPoint>,
    /// Names of the actors the records refer to, by id.
    pub names: BTreeMap<String, String>,
}

/// Another actor, seen from one actor's events and relations.
#[derive(Debug, Clone, Serialize)]
pub struct Partner {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Cooperative events between the two (quad classes 1 and 2).
    pub cooperation: usize,
    /// Conflictual events (quad classes 3 and 4).
    pub conflict: usize,
    /// Sum of the events' Goldstein values.
    pub goldstein: f64,
    /// Relation names between the two (`cooperates-with`, …).
    pub relations: Vec<String>,
}

/// One month of an actor's events.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonthPoint {
    /// `YYYY-MM`.
    pub month: String,
    /// Events of quad classes 1 and 2.
    pub cooperation: usize,
    /// Events of quad classes 3 and 4.
    pub conflict: usize,
    /// Sum of Goldstein values.
    pub goldstein: f64,
}

/// A story in a list.
#[derive(Debug, Clone, Serialize)]
pub struct StorySummary {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Member documents.
    pub documents: usize,
    /// Earliest publication day among them.
    pub first: Option<String>,
    /// Latest.
    pub last: Option<String>,
}

/// A story with its documents and timeline.
#[derive(Debug, Clone, Serialize)]
pub struct StoryPage {
    /// The story record as stored.
    pub story: Value,
    /// Its summary: the record's `summary` sentences, each with its document and offsets
    /// (`doc`, `sentence`, `start`, `end`); a summary stored as one string is one
    /// sentence without a document. Empty when the record has none.
    pub summary: Vec<Value>,
    /// The first paragraph of its earliest document: `{doc, text}`.
    pub lead: Option<Value>,
    /// Its documents, oldest first.
    pub documents: Vec<DocumentSummary>,
    /// Its events: those of the record's `timeline`, in its order (by date), when it has
    /// one; else every event its documents report, dated ones by date, then undated ones.
    pub timeline: Vec<Value>,
    /// Names of the actors the records refer to, by id.
    pub names: BTreeMap<String, String>,
}

/// Filters of the event list; all optional.
#[derive(Debug, Clone, Default)]
pub struct EventFilter {
    /// An actor id, source or target.
    pub a: Option<String>,
    /// With `a`: the other actor of the pair (either way round). Alone: source or target.
    pub b: Option<String>,
    /// A CAMEO code prefix (`19`, `190`).
    pub code: Option<String>,
    /// On or after this day (`YYYY-MM-DD`); undated events are left out when a date is set.
    pub from: Option<String>,
    /// On or before this day.
    pub to: Option<String>,
    /// Reported by a document of this story.
    pub story: Option<String>,
    /// Reported by this document.
    pub doc: Option<String>,
    /// At most this many (0: 100; at most 1000).
    pub limit: usize,
    /// Skip this many.
    pub offset: usize,
}

/// What the store holds.
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    /// Documents.
    pub documents: usize,
    /// Actors.
    pub actors: usize,
    /// Quotes.
    pub quotes: usize,
    /// Event reports (one per document and event).
    pub event_reports: usize,
    /// Events merged across documents.
    pub events: usize,
    /// Stories.
    pub stories: usize,
    /// Relations.
    pub relations: usize,
    /// Stances.
    pub stances: usize,
    /// Documents were stored since the cross-document records (merged events, stories,
    /// relations, stances) were last rebuilt (an ingest was stopped before its end); the
    /// next `annals ingest` rebuilds them.
    pub events_stale: bool,
}

fn limit(l: usize, default: usize, max: usize) -> i64 {
    (if l == 0 { default } else { l.min(max) }) as i64
}

fn non_empty(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn json_rows(conn: &Connection, sql: &str, args: &[SqlValue]) -> Result<Vec<Value>> {
    let mut st = conn.prepare(sql)?;
    let rows = st.query_map(params_from_iter(args.iter()), |r| r.get::<_, String>(0))?;
    let mut out = Vec::new();
    for j in rows {
        out.push(serde_json::from_str(&j?)?);
    }
    Ok(out)
}

fn count(conn: &Connection, sql: &str, args: &[SqlValue]) -> Result<usize> {
    Ok(conn.query_row(sql, params_from_iter(args.iter()), |r| r.get::<_, i64>(0))? as usize)
}

fn not_found(what: &'static str, id: &str) -> Error {
    Error::NotFound {
        what,
        id: id.to_string(),
    }
}

/// Names of these actor ids.
pub(crate) fn names_of(
    conn: &Connection,
    ids: BTreeSet<String>,
) -> Result<BTreeMap<String, String>> {
    let mut st = conn.prepare_cached("SELECT name FROM actors WHERE id=?1")?;
    let mut out = BTreeMap::new();
    for id in ids {
        if let Some(name) = st.query_row([&id], |r| r.get::<_, String>(0)).optional()? {
            out.insert(id, name);
        }
    }
    Ok(out)
}

/// Actor ids an event, quote, relation or stance record refers to.
fn ids_in(records: &[Value], keys: &[&str], into: &mut BTreeSet<String>) {
    for r in records {
        for k in keys {
            if let Some(s) = r[*k].as_str() {
                into.insert(s.to_string());
            }
        }
    }
}

fn summaries(conn: &Connection, sql: &str, args: &[SqlValue]) -> Result<Vec<DocumentSummary>> {
    let mut st = conn.prepare(sql)?;
    let rows = st.query_map(params_from_iter(args.iter()), |r| {
        Ok(DocumentSummary {
            id: r.get(0)?,
            title: r.get(1)?,
            published: r.get(2)?,
            outlet: r.get(3)?,
            source: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

impl Store {
    /// Counts of what the store holds.
    pub fn status(&self) -> Result<Status> {
        let conn = self.conn();
        let n = |table: &str| count(&conn, &format!("SELECT COUNT(*) FROM {table}"), &[]);
        let stale: String =
            conn.query_row("SELECT value FROM meta WHERE key='events_stale'", [], |r| {
                r.get(0)
            })?;
        Ok(Status {
            documents: n("documents")?,
            actors: n("actors")?,
            quotes: n("quotes")?,
            event_reports: n("event_reports")?,
            events: n("events")?,
            stories: n("stories")?,
            relations: n("relations")?,
            stances: n("stances")?,
            events_stale: stale == "1",
        })
    }

    /// Documents, newest first, filtered.
    pub fn documents(&self, f: &ListFilter) -> Result<Page<DocumentSummary>> {
        check_date("from", &f.from)?;
        check_date("to", &f.to)?;
        let mut wh = vec!["1=1".to_string()];
        let mut args: Vec<SqlValue> = Vec::new();
        if let Some(o) = non_empty(&f.q) {
            args.push(o.into());
            wh.push(format!("lower(outlet) = lower(?{})", args.len()));
        }
        if let Some(d) = non_empty(&f.from) {
            args.push(d.into());
            wh.push(format!("day >= ?{}", args.len()));
        }
        if let Some(d) = non_empty(&f.to) {
            args.push(d.into());
            wh.push(format!("day <= ?{}", args.len()));
        }
        if let Some(s) = non_empty(&f.story) {
            args.push(s.into());
            wh.push(format!(
                "id IN (SELECT doc FROM story_docs WHERE story = ?{})",
                args.len()
            ));
        }
        if let Some(a) = non_empty(&f.actor) {
            args.push(a.into());
            wh.push(format!(
                "seq IN (SELECT doc_seq FROM mentions WHERE actor = ?{})",
                args.len()
            ));
        }
        let wh = wh.join(" AND ");
        let conn = self.conn();
        let total = count(
            &conn,
            &format!("SELECT COUNT(*) FROM documents WHERE {wh}"),
            &args,
        )?;
        args.push(limit(f.limit, 50, 500).into());
        args.push((f.offset as i64).into());
        let items = summaries(
            &conn,
            &format!(
                "SELECT id, title, published, outlet, source FROM documents WHERE {wh}
                 ORDER BY day IS NULL, day DESC, seq LIMIT ?{} OFFSET ?{}",
                args.len() - 1,
                args.len()
            ),
            &args,
        )?;
        Ok(Page { total, items })
    }

    /// One document with its mentions, quotes, events and stories.
    pub fn document(&self, id: &str) -> Result<DocumentPage> {
        let conn = self.conn();
        let (seq, json): (i64, String) = conn
            .query_row("SELECT seq, json FROM documents WHERE id=?1", [id], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?
            .ok_or_else(|| not_found("document", id))?;
        let mut st = conn.prepare(
            "SELECT m.actor, a.name, m.start, m.end, m.text, m.place FROM mentions m
             JOIN actors a ON a.id = m.actor WHERE m.doc_seq=?1 ORDER BY m.start",
        )?;
        let mentions = st
            .query_map([seq], |r| {
                Ok(serde_json::json!({
                    "actor": r.get::<_, String>(0)?,
                    "name": r.get::<_, String>(1)?,
                    "start": r.get::<_, i64>(2)?,
                    "end": r.get::<_, i64>(3)?,
                    "text": r.get::<_, String>(4)?,
                    "place": r.get::<_, Option<String>>(5)?,
                }))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let quotes = json_rows(
            &conn,
            "SELECT json FROM quotes WHERE doc_seq=?1 ORDER BY n",
            &[seq.into()],
        )?;
        let events = json_rows(
            &conn,
            "SELECT e.json FROM events e JOIN event_docs d ON d.event=e.id WHERE d.doc=?1
             ORDER BY e.ord",
            &[id.to_string().into()],
        )?;
        let stories = self.story_summaries(
            &conn,
            "WHERE s.id IN (SELECT story FROM story_docs WHERE doc=?1)",
            &[id.to_string().into()],
        )?;
        let mut ids = BTreeSet::new();
        ids_in(&quotes, &["speaker"], &mut ids);
        ids_in(&events, &["source", "target"], &mut ids);
        Ok(DocumentPage {
            document: serde_json::from_str(&json)?,
            mentions,
            quotes,
            events,
            stories,
            names: names_of(&conn, ids)?,
        })
    }

    /// Actors, most mentioned first. `q` matches name, id or an alias seen in the texts
    /// ("Daesh" finds the Islamic State); `actor` is the type.
    pub fn actors(&self, f: &ListFilter) -> Result<Page<ActorSummary>> {
        let mut wh = vec!["1=1".to_string()];
        let mut args: Vec<SqlValue> = Vec::new();
        if let Some(q) = non_empty(&f.q) {
            args.push(format!("%{}%", q.to_lowercase()).into());
            wh.push(format!(
                "(lower(a.name) LIKE ?{n} OR a.id LIKE ?{n} OR EXISTS
                   (SELECT 1 FROM json_each(a.json, '$.aliases') x WHERE lower(x.value) LIKE ?{n}))",
                n = args.len()
            ));
        }
        if let Some(t) = non_empty(&f.actor) {
            args.push(t.into());
            wh.push(format!("a.type = ?{}", args.len()));
        }
        let wh = wh.join(" AND ");
        let conn = self.conn();
        let total = count(
            &conn,
            &format!("SELECT COUNT(*) FROM actors a WHERE {wh}"),
            &args,
        )?;
        args.push(limit(f.limit, 50, 500).into());
        args.push((f.offset as i64).into());
        let mut st = conn.prepare(&format!(
            "SELECT a.id, a.name, a.type, a.country, a.named,
                    COUNT(m.actor), COUNT(DISTINCT m.doc_seq)
             FROM actors a LEFT JOIN mentions m ON m.actor = a.id WHERE {wh}
             GROUP BY a.id ORDER BY COUNT(m.actor) DESC, a.name LIMIT ?{} OFFSET ?{}",
            args.len() - 1,
            args.len()
        ))?;
        let items = st
            .query_map(params_from_iter(args.iter()), |r| {
                Ok(ActorSummary {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    kind: r.get(2)?,
                    country: r.get(3)?,
                    named: r.get(4)?,
                    mentions: r.get::<_, i64>(5)? as usize,
                    documents: r.get::<_, i64>(6)? as usize,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Page { total, items })
    }

    /// One actor with its mentions, quotes, events, relations, stances, partners and
    /// monthly cooperation and conflict.
    pub fn actor(&self, id: &str) -> Result<ActorPage> {
        let conn = self.conn();
        let json: String = conn
            .query_row("SELECT json FROM actors WHERE id=?1", [id], |r| r.get(0))
            .optional()?
            .ok_or_else(|| not_found("actor", id))?;
        let mut actor: Value = serde_json::from_str(&json)?;
        let mut st = conn.prepare(
            "SELECT doc, start, end, text, place FROM mentions WHERE actor=?1
             ORDER BY doc_seq, start LIMIT 1000",
        )?;
        let mentions = st
            .query_map([id], |r| {
                Ok(serde_json::json!({
                    "doc": r.get::<_, String>(0)?,
                    "start": r.get::<_, i64>(1)?,
                    "end": r.get::<_, i64>(2)?,
                    "text": r.get::<_, String>(3)?,
                    "place": r.get::<_, Option<String>>(4)?,
                }))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        actor["mentions"] = count(
            &conn,
            "SELECT COUNT(*) FROM mentions WHERE actor=?1",
            &[id.to_string().into()],
        )?
        .into();
        let mut st = conn.prepare(
            "SELECT q.json, d.title, d.published FROM quotes q JOIN documents d ON d.seq=q.doc_seq
             WHERE q.speaker=?1 ORDER BY d.day IS NULL, d.day, q.doc_seq, q.n LIMIT 1000",
        )?;
        let quotes = st
            .query_map([id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, Option<String>>(2)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?
            .into_iter()
            .map(|(q, title, published)| {
                Ok(serde_json::json!({
                    "quote": serde_json::from_str::<Value>(&q)?,
                    "title": title,
                    "published": published,
                }))
            })
            .collect::<Result<Vec<_>>>()?;
        let events = json_rows(
            &conn,
            "SELECT json FROM events WHERE source=?1 OR target=?1
             ORDER BY date IS NULL, date, ord LIMIT 2000",
            &[id.to_string().into()],
        )?;
        let relations = json_rows(
            &conn,
            "SELECT json FROM relations WHERE a=?1 OR b=?1 ORDER BY relation, a, b",
            &[id.to_string().into()],
        )?;
        let stances = json_rows(
            &conn,
            "SELECT json FROM stances WHERE holder=?1 ORDER BY topic",
            &[id.to_string().into()],
        )?;
        // partners and the monthly series, from the events and relations
        let mut partners: BTreeMap<String, Partner> = BTreeMap::new();
        let mut months: BTreeMap<String, MonthPoint> = BTreeMap::new();
        for e in &events {
            let quad = e["quad_class"].as_u64().unwrap_or(0);
            let g = e["goldstein"].as_f64().unwrap_or(0.0);
            let coop = matches!(quad, 1 | 2);
            let conflict = matches!(quad, 3 | 4);
            let other = if e["source"].as_str() == Some(id) {
                e["target"].as_str()
            } else {
                e["source"].as_str()
            };
            if let Some(o) = other.filter(|o| *o != id) {
                let p = partners.entry(o.to_string()).or_insert_with(|| Partner {
                    id: o.to_string(),
                    name: String::new(),
                    cooperation: 0,
                    conflict: 0,
                    goldstein: 0.0,
                    relations: Vec::new(),
                });
                p.cooperation += coop as usize;
                p.conflict += conflict as usize;
                p.goldstein += g;
            }
            if let Some(month) = e["date"].as_str().and_then(|d| d.get(..7)) {
                let m = months
                    .entry(month.to_string())
                    .or_insert_with(|| MonthPoint {
                        month: month.to_string(),
                        cooperation: 0,
                        conflict: 0,
                        goldstein: 0.0,
                    });
                m.cooperation += coop as usize;
                m.conflict += conflict as usize;
                m.goldstein += g;
            }
        }
        for r in &relations {
            let other = if r["a"].as_str() == Some(id) {
                r["b"].as_str()
            } else {
                r["a"].as_str()
            };
            if let (Some(o), Some(rel)) = (other, r["relation"].as_str()) {
                let p = partners.entry(o.to_string()).or_insert_with(|| Partner {
                    id: o.to_string(),
                    name: String::new(),
                    cooperation: 0,
                    conflict: 0,
                    goldstein: 0.0,
                    relations: Vec::new(),
                });
                if !p.relations.iter().any(|x| x == rel) {
                    p.relations.push(rel.to_string());
                }
            }
        }
        let mut ids: BTreeSet<String> = partners.keys().cloned().collect();
        ids_in(&events, &["source", "target"], &mut ids);
        ids_in(&relations, &["a", "b"], &mut ids);
        let names = names_of(&conn, ids)?;
        let mut partners: Vec<Partner> = partners
            .into_values()
            .map(|mut p| {
                p.name = names.get(&p.id).cloned().unwrap_or_else(|| p.id.clone());
                p
            })
            .collect();
        partners.sort_by(|a, b| {
            (b.cooperation + b.conflict + b.relations.len())
                .cmp(&(a.cooperation + a.conflict + a.relations.len()))
                .then_with(|| a.name.cmp(&b.name))
        });
        partners.truncate(40);
        Ok(ActorPage {
            actor,
            mentions,
            quotes,
            events,
            relations,
            stances,
            partners,
            series: months.into_values().collect(),
            names,
        })
    }

    fn story_summaries(
        &self,
        conn: &Connection,
        wh: &str,
        args: &[SqlValue],
    ) -> Result<Vec<StorySummary>> {
        let mut st = conn.prepare(&format!(
            "SELECT s.id, s.title, COUNT(sd.doc), MIN(d.day), MAX(d.day) FROM stories s
             LEFT JOIN story_docs sd ON sd.story = s.id LEFT JOIN documents d ON d.id = sd.doc
             {wh} GROUP BY s.id ORDER BY s.ord"
        ))?;
        let rows = st.query_map(params_from_iter(args.iter()), |r| {
            Ok(StorySummary {
                id: r.get(0)?,
                title: r.get(1)?,
                documents: r.get::<_, i64>(2)? as usize,
                first: r.get(3)?,
                last: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Every story, in the order they were given.
    pub fn stories(&self) -> Result<Vec<StorySummary>> {
        let conn = self.conn();
        self.story_summaries(&conn, "", &[])
    }

    /// One story with its documents and the timeline of their events.
    pub fn story(&self, id: &str) -> Result<StoryPage> {
        let conn = self.conn();
        let json: String = conn
            .query_row("SELECT json FROM stories WHERE id=?1", [id], |r| r.get(0))
            .optional()?
            .ok_or_else(|| not_found("story", id))?;
        let story: Value = serde_json::from_str(&json)?;
        let documents = summaries(
            &conn,
            "SELECT id, title, published, outlet, source FROM documents
             WHERE id IN (SELECT doc FROM story_docs WHERE story=?1)
             ORDER BY day IS NULL, day, seq",
            &[id.to_string().into()],
        )?;
        let timeline = match story["timeline"].as_array().filter(|t| !t.is_empty()) {
            // the engine's timeline: each event in the story most of its reports belong to
            Some(entries) => {
                let mut st = conn.prepare_cached("SELECT json FROM events WHERE id=?1")?;
                let mut out = Vec::with_capacity(entries.len());
                for t in entries {
                    let Some(event) = t["event"].as_str() else {
                        continue;
                    };
                    if let Some(json) = st
                        .query_row([event], |r| r.get::<_, String>(0))
                        .optional()?
                    {
                        out.push(serde_json::from_str(&json)?);
                    }
                }
                out
            }
            None => json_rows(
                &conn,
                "SELECT json FROM events WHERE id IN
                   (SELECT event FROM event_docs WHERE doc IN (SELECT doc FROM story_docs WHERE story=?1))
                 ORDER BY date IS NULL, date, ord",
                &[id.to_string().into()],
            )?,
        };
        let summary = match &story["summary"] {
            Value::Array(sentences) => sentences.clone(),
            Value::String(s) if !s.trim().is_empty() => {
                vec![serde_json::json!({ "sentence": s })]
            }
            _ => Vec::new(),
        };
        let lead = match documents.first() {
            Some(d) => {
                let body: Option<String> = conn
                    .query_row(
                        "SELECT json_extract(json, '$.body') FROM documents WHERE id=?1",
                        [&d.id],
                        |r| r.get(0),
                    )
                    .optional()?
                    .flatten();
                body.and_then(|b| {
                    let p = b
                        .split("\n\n")
                        .find(|p| !p.trim().is_empty())?
                        .trim()
                        .to_string();
                    Some(serde_json::json!({"doc": d.id, "text": p}))
                })
            }
            None => None,
        };
        let mut ids = BTreeSet::new();
        ids_in(&timeline, &["source", "target"], &mut ids);
        Ok(StoryPage {
            summary,
            story,
            lead,
            documents,
            timeline,
            names: names_of(&conn, ids)?,
        })
    }

    /// Merged events, filtered; dated ones by date, then undated ones.
    pub fn events(&self, f: &EventFilter) -> Result<Page<Value>> {
        check_date("from", &f.from)?;
        check_date("to", &f.to)?;
        let mut wh = vec!["1=1".to_string()];
        let mut args: Vec<SqlValue> = Vec::new();
        match (non_empty(&f.a), non_empty(&f.b)) {
            (Some(a), Some(b)) => {
                args.push(a.into());
                args.push(b.into());
                let (x, y) = (args.len() - 1, args.len());
                wh.push(format!(
                    "((source = ?{x} AND target = ?{y}) OR (source = ?{y} AND target = ?{x}))"
                ));
            }
            (Some(a), None) | (None, Some(a)) => {
                args.push(a.into());
                wh.push(format!("(source = ?{n} OR target = ?{n})", n = args.len()));
            }
            (None, None) => {}
        }
        if let Some(c) = non_empty(&f.code) {
            if !c.bytes().all(|b| b.is_ascii_alphanumeric()) {
                return Err(Error::Invalid {
                    name: "code",
                    reason: format!("{c:?} is not a CAMEO code"),
                });
            }
            args.push(format!("{c}%").into());
            wh.push(format!("cameo LIKE ?{}", args.len()));
        }
        if let Some(d) = non_empty(&f.from) {
            args.push(d.into());
            wh.push(format!("date >= ?{}", args.len()));
        }
        if let Some(d) = non_empty(&f.to) {
            args.push(format!("{d}\u{10ffff}").into());
            wh.push(format!("date <= ?{}", args.len()));
        }
        if let Some(s) = non_empty(&f.story) {
            args.push(s.into());
            wh.push(format!(
                "id IN (SELECT event FROM event_docs WHERE doc IN
                   (SELECT doc FROM story_docs WHERE story = ?{}))",
                args.len()
            ));
        }
        if let Some(d) = non_empty(&f.doc) {
            args.push(d.into());
            wh.push(format!(
                "id IN (SELECT event FROM event_docs WHERE doc = ?{})",
                args.len()
            ));
        }
        let wh = wh.join(" AND ");
        let conn = self.conn();
        let total = count(
            &conn,
            &format!("SELECT COUNT(*) FROM events WHERE {wh}"),
            &args,
        )?;
        args.push(limit(f.limit, 100, 1000).into());
        args.push((f.offset as i64).into());
        let items = json_rows(
            &conn,
            &format!(
                "SELECT json FROM events WHERE {wh} ORDER BY date IS NULL, date, ord
                 LIMIT ?{} OFFSET ?{}",
                args.len() - 1,
                args.len()
            ),
            &args,
        )?;
        Ok(Page { total, items })
    }

    /// One merged event.
    pub fn event(&self, id: &str) -> Result<Value> {
        let conn = self.conn();
        let json: String = conn
            .query_row("SELECT json FROM events WHERE id=?1", params![id], |r| {
                r.get(0)
            })
            .optional()?
            .ok_or_else(|| not_found("event", id))?;
        Ok(serde_json::from_str(&json)?)
    }

    /// Stances, optionally those of one holder, by holder and topic.
    pub fn stances(&self, holder: Option<&str>) -> Result<Vec<Value>> {
        let conn = self.conn();
        match holder {
            Some(h) => json_rows(
                &conn,
                "SELECT json FROM stances WHERE holder=?1 ORDER BY topic, polarity",
                &[h.to_string().into()],
            ),
            None => json_rows(
                &conn,
                "SELECT json FROM stances ORDER BY holder, topic, polarity LIMIT 5000",
                &[],
            ),
        }
    }

    /// Relations, optionally those of one actor.
    pub fn relations(&self, actor: Option<&str>) -> Result<Vec<Value>> {
        let conn = self.conn();
        match actor {
            Some(a) => json_rows(
                &conn,
                "SELECT json FROM relations WHERE a=?1 OR b=?1 ORDER BY a, b, relation",
                &[a.to_string().into()],
            ),
            None => json_rows(
                &conn,
                "SELECT json FROM relations ORDER BY a, b, relation LIMIT 5000",
                &[],
            ),
        }
    }
}
