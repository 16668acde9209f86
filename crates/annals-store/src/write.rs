//! Writing: batches of documents, and the cross-document records that replace their
//! predecessors whole.

use crate::{Result, Store};
use annals_model::output::{
    ActorRecord, DocumentRecord, EventRecord, QuoteRecord, RelationRecord, StanceRecord,
    StoryRecord,
};
use rusqlite::{params, OptionalExtension, Transaction};
use serde_json::Value;
use std::collections::HashMap;

/// One analysed document, ready to be stored.
#[derive(Debug, Clone)]
pub struct DocBundle {
    /// The document.
    pub document: DocumentRecord,
    /// [`crate::content_hash`] of its raw text.
    pub hash: String,
    /// Its actors, with their mentions in this document.
    pub actors: Vec<ActorRecord>,
    /// Its quotes.
    pub quotes: Vec<QuoteRecord>,
    /// Its event reports, merged within the document only.
    pub reports: Vec<EventReportRow>,
    /// What else the engine needs of it to make the cross-document records again
    /// (its story clustering input, relation and stance reports): the engine's
    /// serialisation, not read here. `None` for a document that gives nothing.
    pub cross: Option<Value>,
}

impl DocBundle {
    /// A bundle of a document alone.
    pub fn new(document: DocumentRecord, hash: String) -> Self {
        Self {
            document,
            hash,
            actors: Vec::new(),
            quotes: Vec::new(),
            reports: Vec::new(),
            cross: None,
        }
    }
}

/// One document's report of an event. `data` is whatever the engine needs to merge the
/// reports of all documents again (the store does not read it); the other fields are for
/// queries.
#[derive(Debug, Clone, PartialEq)]
pub struct EventReportRow {
    /// Source actor id.
    pub source: Option<String>,
    /// Target actor id.
    pub target: Option<String>,
    /// CAMEO code.
    pub cameo: String,
    /// `YYYY-MM-DD…`, or none.
    pub date: Option<String>,
    /// The engine's serialisation of the report.
    pub data: Value,
}

/// A stored event report, for the merge across documents.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredReport {
    /// The document's id.
    pub doc: String,
    /// The document's publication date.
    pub published: Option<String>,
    /// [`EventReportRow::data`].
    pub data: Value,
}

/// A stored document's [`DocBundle::cross`], for the cross-document step.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredDocReports {
    /// The document's id.
    pub doc: String,
    /// [`DocBundle::cross`].
    pub data: Value,
}

/// The records made across documents, which replace the stored ones together.
#[derive(Debug, Clone, Copy, Default)]
pub struct CrossRecords<'a> {
    /// Events merged across documents.
    pub events: &'a [EventRecord],
    /// Stories; their timelines name events by the ids in `events`.
    pub stories: &'a [StoryRecord],
    /// Relations.
    pub relations: &'a [RelationRecord],
    /// Stances.
    pub stances: &'a [StanceRecord],
}

/// What a batch did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BatchOutcome {
    /// Documents stored for the first time.
    pub stored: usize,
    /// Documents whose content was stored already: left as they were.
    pub unchanged: usize,
    /// Documents whose id was stored with other content: replaced.
    pub replaced: usize,
}

impl Store {
    /// Whether a document with this content hash is stored.
    pub fn has_content(&self, hash: &str) -> Result<bool> {
        Ok(self
            .conn()
            .query_row(
                "SELECT 1 FROM documents WHERE hash=?1 LIMIT 1",
                [hash],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
    }

    /// Store a batch of documents in one transaction: all of them or, on any failure,
    /// none. A document whose content hash is stored already is skipped; one whose id is
    /// stored with another hash replaces it. Actors are joined by id with the stored
    /// ones (roles and aliases unioned). Marks the cross-document records (events,
    /// stories, relations, stances) stale when any document was added.
    pub fn write_batch(&self, docs: &[DocBundle]) -> Result<BatchOutcome> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let batch: i64 = tx.query_row(
            "SELECT COALESCE(MAX(batch), 0) + 1 FROM documents",
            [],
            |r| r.get(0),
        )?;
        let mut out = BatchOutcome::default();
        for d in docs {
            let known: Option<i64> = tx
                .query_row(
                    "SELECT seq FROM documents WHERE hash=?1 LIMIT 1",
                    [&d.hash],
                    |r| r.get(0),
                )
                .optional()?;
            if known.is_some() {
                out.unchanged += 1;
                continue;
            }
            let deleted = tx.execute("DELETE FROM documents WHERE id=?1", [&d.document.id])?;
            if deleted > 0 {
                out.replaced += 1;
            } else {
                out.stored += 1;
            }
            insert_document(&tx, d, batch)?;
        }
        if out.stored + out.replaced > 0 {
            tx.execute("UPDATE meta SET value='1' WHERE key='events_stale'", [])?;
        }
        tx.commit()?;
        Ok(out)
    }

    /// Every stored event report, in the order the documents were stored.
    pub fn event_reports(&self) -> Result<Vec<StoredReport>> {
        let conn = self.conn();
        let mut st = conn.prepare(
            "SELECT r.doc, d.published, r.json FROM event_reports r
             JOIN documents d ON d.seq = r.doc_seq ORDER BY r.doc_seq, r.n",
        )?;
        let rows = st.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (doc, published, json) = row?;
            out.push(StoredReport {
                doc,
                published,
                data: serde_json::from_str(&json)?,
            });
        }
        Ok(out)
    }

    /// Every stored document's [`DocBundle::cross`], in the order the documents were
    /// stored (the order [`Store::event_reports`] keeps). Documents stored without one
    /// are left out.
    pub fn doc_reports(&self) -> Result<Vec<StoredDocReports>> {
        let conn = self.conn();
        let mut st = conn.prepare("SELECT doc, json FROM doc_reports ORDER BY doc_seq")?;
        let rows = st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (doc, json) = row?;
            out.push(StoredDocReports {
                doc,
                data: serde_json::from_str(&json)?,
            });
        }
        Ok(out)
    }

    /// Replace every cross-document record (events, stories, relations, stances) in one
    /// transaction, and mark them fresh. Event ids are made stable as in
    /// [`Store::replace_events`], and the stories' timelines follow them.
    pub fn replace_cross(&self, r: CrossRecords<'_>) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let ids = write_events(&tx, r.events)?;
        let mut stories = r.stories.to_vec();
        for s in &mut stories {
            for t in &mut s.timeline {
                if let Some(id) = ids.get(&t.event) {
                    t.event.clone_from(id);
                }
            }
        }
        write_stories(&tx, &to_values(&stories)?)?;
        write_keyed(
            &tx,
            "relations",
            "a, b, relation",
            ["a", "b", "relation"],
            &to_values(r.relations)?,
        )?;
        write_keyed(
            &tx,
            "stances",
            "holder, topic, polarity",
            ["holder", "topic", "polarity"],
            &to_values(r.stances)?,
        )?;
        tx.execute("UPDATE meta SET value='0' WHERE key='events_stale'", [])?;
        tx.commit()?;
        Ok(())
    }

    /// Replace the merged events with `events` in one transaction, and mark them fresh.
    ///
    /// Ids are made stable across rebuilds: an event's id is taken from its first report
    /// (document, action offsets, code), so a link to an event still holds after more
    /// documents are ingested. The records' own ids are replaced.
    pub fn replace_events(&self, events: &[EventRecord]) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        write_events(&tx, events)?;
        tx.execute("UPDATE meta SET value='0' WHERE key='events_stale'", [])?;
        tx.commit()?;
        Ok(())
    }

    /// Replace the stories with `stories` (one transaction).
    pub fn replace_stories(&self, stories: &[StoryRecord]) -> Result<()> {
        let json: Vec<Value> = to_values(stories)?;
        self.replace_stories_json(&json)
    }

    /// Replace the stories with these JSON records: objects with at least `id`, `title`
    /// and `docs`; other fields are kept as they are.
    pub fn replace_stories_json(&self, stories: &[Value]) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        write_stories(&tx, stories)?;
        tx.commit()?;
        Ok(())
    }

    /// Replace the relations (one transaction). Records with the same `a`, `b` and
    /// `relation` are one row: the last one given.
    pub fn replace_relations(&self, relations: &[RelationRecord]) -> Result<()> {
        let json = to_values(relations)?;
        self.replace_keyed("relations", "a, b, relation", ["a", "b", "relation"], &json)
    }

    /// Replace the stances (one transaction), keyed by `holder`, `topic` and `polarity`.
    pub fn replace_stances(&self, stances: &[StanceRecord]) -> Result<()> {
        let json = to_values(stances)?;
        self.replace_keyed(
            "stances",
            "holder, topic, polarity",
            ["holder", "topic", "polarity"],
            &json,
        )
    }

    fn replace_keyed(
        &self,
        table: &str,
        columns: &str,
        keys: [&str; 3],
        records: &[Value],
    ) -> Result<()> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        write_keyed(&tx, table, columns, keys, records)?;
        tx.commit()?;
        Ok(())
    }
}

/// Replace the merged events; returns each record's id mapped to the stable id it was
/// stored under.
fn write_events(tx: &Transaction<'_>, events: &[EventRecord]) -> Result<HashMap<String, String>> {
    tx.execute("DELETE FROM events", [])?;
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut ids = HashMap::with_capacity(events.len());
    let mut insert = tx.prepare_cached(
        "INSERT INTO events(id, ord, date, source, target, cameo, quad_class, goldstein, json)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    let mut link =
        tx.prepare_cached("INSERT OR IGNORE INTO event_docs(event, doc) VALUES (?1, ?2)")?;
    for (ord, e) in events.iter().enumerate() {
        let mut e = e.clone();
        let base = stable_event_id(&e);
        let n = seen.entry(base.clone()).or_default();
        *n += 1;
        let id = if *n == 1 { base } else { format!("{base}-{n}") };
        let given = std::mem::replace(&mut e.id, id);
        ids.insert(given, e.id.clone());
        insert.execute(params![
            e.id,
            ord as i64,
            e.date,
            e.source,
            e.target,
            e.cameo,
            e.quad_class,
            e.goldstein as f64,
            serde_json::to_string(&e)?
        ])?;
        for m in &e.mentions {
            link.execute(params![e.id, m.doc])?;
        }
    }
    Ok(ids)
}

/// Replace the stories with these JSON records (see [`Store::replace_stories_json`]).
fn write_stories(tx: &Transaction<'_>, stories: &[Value]) -> Result<()> {
    tx.execute("DELETE FROM stories", [])?;
    for (ord, s) in stories.iter().enumerate() {
        let id = str_field(s, "id");
        tx.execute(
            "INSERT OR REPLACE INTO stories(id, ord, title, json) VALUES (?1, ?2, ?3, ?4)",
            params![id, ord as i64, str_field(s, "title"), s.to_string()],
        )?;
        for doc in s["docs"].as_array().into_iter().flatten() {
            if let Some(doc) = doc.as_str() {
                tx.execute(
                    "INSERT OR IGNORE INTO story_docs(story, doc) VALUES (?1, ?2)",
                    params![id, doc],
                )?;
            }
        }
    }
    Ok(())
}

/// Replace a table of records keyed by three of their fields.
fn write_keyed(
    tx: &Transaction<'_>,
    table: &str,
    columns: &str,
    keys: [&str; 3],
    records: &[Value],
) -> Result<()> {
    tx.execute(&format!("DELETE FROM {table}"), [])?;
    let mut insert = tx.prepare(&format!(
        "INSERT OR REPLACE INTO {table}({columns}, json) VALUES (?1, ?2, ?3, ?4)"
    ))?;
    for r in records {
        insert.execute(params![
            str_field(r, keys[0]),
            str_field(r, keys[1]),
            str_field(r, keys[2]),
            r.to_string()
        ])?;
    }
    Ok(())
}

fn to_values<T: serde::Serialize>(records: &[T]) -> Result<Vec<Value>> {
    records
        .iter()
        .map(|r| serde_json::to_value(r).map_err(Into::into))
        .collect()
}

fn str_field<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().unwrap_or_default()
}

/// `e` and the first twelve hex digits of the SHA-256 of the first report's document,
/// action offsets (or sentence) and code.
fn stable_event_id(e: &EventRecord) -> String {
    let key = match e.mentions.first() {
        Some(m) => format!(
            "{}\u{1}{:?}\u{1}{:?}\u{1}{}\u{1}{}",
            m.doc,
            m.action_start,
            m.start,
            if m.action_start.is_some() {
                ""
            } else {
                &m.sentence
            },
            e.cameo
        ),
        None => format!("{}\u{1}{}", e.action, e.cameo),
    };
    format!("e{}", &crate::content_hash(&key)[..12])
}

fn insert_document(tx: &Transaction<'_>, d: &DocBundle, batch: i64) -> Result<()> {
    let doc = &d.document;
    let day = doc
        .published
        .as_deref()
        .and_then(|p| p.get(..10))
        .filter(|p| crate::check_date("published", &Some(p.to_string())).is_ok());
    tx.execute(
        "INSERT INTO documents(id, hash, batch, source, title, published, day, outlet, json)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            doc.id,
            d.hash,
            batch,
            doc.source,
            doc.title,
            doc.published,
            day,
            doc.outlet,
            serde_json::to_string(doc)?
        ],
    )?;
    let seq = tx.last_insert_rowid();
    for a in &d.actors {
        upsert_actor(tx, a)?;
        for m in &a.mentions {
            tx.execute(
                "INSERT INTO mentions(doc_seq, doc, actor, start, end, text, place)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![seq, m.doc, a.id, m.start, m.end, m.text, m.place],
            )?;
        }
    }
    for (n, q) in d.quotes.iter().enumerate() {
        tx.execute(
            "INSERT INTO quotes(doc_seq, doc, n, speaker, direct, json) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![seq, q.doc, n as i64, q.speaker, q.direct, serde_json::to_string(q)?],
        )?;
    }
    for (n, r) in d.reports.iter().enumerate() {
        tx.execute(
            "INSERT INTO event_reports(doc_seq, doc, n, source, target, cameo, date, json)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                seq,
                doc.id,
                n as i64,
                r.source,
                r.target,
                r.cameo,
                r.date,
                r.data.to_string()
            ],
        )?;
    }
    if let Some(cross) = &d.cross {
        tx.execute(
            "INSERT INTO doc_reports(doc_seq, doc, json) VALUES (?1, ?2, ?3)",
            params![seq, doc.id, cross.to_string()],
        )?;
    }
    Ok(())
}

/// Store an actor, or join it with the stored one of the same id: roles and aliases are
/// unioned in order, the first known country, CAMEO code and affiliation kept. Its
/// mentions live in their own table.
fn upsert_actor(tx: &Transaction<'_>, a: &ActorRecord) -> Result<()> {
    let stored: Option<String> = tx
        .query_row("SELECT json FROM actors WHERE id=?1", [&a.id], |r| r.get(0))
        .optional()?;
    let mut rec = a.clone();
    rec.mentions.clear();
    if let Some(json) = stored {
        let mut old: ActorRecord = serde_json::from_str(&json)?;
        for r in rec.roles.drain(..) {
            if !old.roles.contains(&r) {
                old.roles.push(r);
            }
        }
        for x in rec.aliases.drain(..) {
            if !old.aliases.contains(&x) {
                old.aliases.push(x);
            }
        }
        old.country = old.country.take().or(rec.country.take());
        old.cameo = old.cameo.take().or(rec.cameo.take());
        old.affiliation = old.affiliation.take().or(rec.affiliation.take());
        rec = old;
    }
    tx.execute(
        "INSERT OR REPLACE INTO actors(id, name, type, country, named, json)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            rec.id,
            rec.name,
            rec.kind,
            rec.country,
            rec.named,
            serde_json::to_string(&rec)?
        ],
    )?;
    Ok(())
}
