//! The SQLite schema.
//!
//! Every record keeps its full JSON (`json`), so fields a later annals adds survive a round
//! trip; the other columns are what queries filter and join on. Documents are numbered by
//! `seq` in the order they were stored; rows that belong to a document point to its `seq`
//! and go with it (`ON DELETE CASCADE`) when it is replaced.

use crate::{Error, Result};
use rusqlite::Connection;

/// The schema version this code reads and writes.
pub(crate) const VERSION: i64 = 1;

const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
-- one row a stored document; json is its DocumentRecord
CREATE TABLE IF NOT EXISTS documents (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    id        TEXT NOT NULL UNIQUE,
    hash      TEXT NOT NULL,
    batch     INTEGER NOT NULL,
    source    TEXT NOT NULL,
    title     TEXT,
    published TEXT,
    day       TEXT,          -- the first ten characters of published, when a date
    outlet    TEXT,
    json      TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_hash ON documents(hash);
CREATE INDEX IF NOT EXISTS documents_day ON documents(day);
CREATE INDEX IF NOT EXISTS documents_outlet ON documents(outlet);
-- actors joined across documents by id; json is the ActorRecord without its mentions
CREATE TABLE IF NOT EXISTS actors (
    id      TEXT PRIMARY KEY,
    name    TEXT NOT NULL,
    type    TEXT NOT NULL,
    country TEXT,
    named   INTEGER NOT NULL,
    json    TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS mentions (
    doc_seq INTEGER NOT NULL REFERENCES documents(seq) ON DELETE CASCADE,
    doc     TEXT NOT NULL,
    actor   TEXT NOT NULL,
    start   INTEGER NOT NULL,
    end     INTEGER NOT NULL,
    text    TEXT NOT NULL,
    place   TEXT,
    CHECK (start <= end)
);
CREATE INDEX IF NOT EXISTS mentions_actor ON mentions(actor, doc);
CREATE INDEX IF NOT EXISTS mentions_doc ON mentions(doc_seq);
CREATE TABLE IF NOT EXISTS quotes (
    doc_seq INTEGER NOT NULL REFERENCES documents(seq) ON DELETE CASCADE,
    doc     TEXT NOT NULL,
    n       INTEGER NOT NULL,
    speaker TEXT,
    direct  INTEGER NOT NULL,
    json    TEXT NOT NULL,
    PRIMARY KEY (doc_seq, n)
);
CREATE INDEX IF NOT EXISTS quotes_speaker ON quotes(speaker);
-- each document's event reports, as the engine serialised them (merged within the
-- document, not across documents)
CREATE TABLE IF NOT EXISTS event_reports (
    doc_seq INTEGER NOT NULL REFERENCES documents(seq) ON DELETE CASCADE,
    doc     TEXT NOT NULL,
    n       INTEGER NOT NULL,
    source  TEXT,
    target  TEXT,
    cameo   TEXT NOT NULL,
    date    TEXT,
    json    TEXT NOT NULL,
    PRIMARY KEY (doc_seq, n)
);
-- what else each document gives the cross-document step (story clustering input,
-- relation and stance reports), as the engine serialised it
CREATE TABLE IF NOT EXISTS doc_reports (
    doc_seq INTEGER PRIMARY KEY REFERENCES documents(seq) ON DELETE CASCADE,
    doc     TEXT NOT NULL,
    json    TEXT NOT NULL
);
-- the events merged across documents, rebuilt from the reports by each ingest
CREATE TABLE IF NOT EXISTS events (
    id         TEXT PRIMARY KEY,
    ord        INTEGER NOT NULL,
    date       TEXT,
    source     TEXT,
    target     TEXT,
    cameo      TEXT NOT NULL,
    quad_class INTEGER NOT NULL,
    goldstein  REAL NOT NULL,
    json       TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_source ON events(source);
CREATE INDEX IF NOT EXISTS events_target ON events(target);
CREATE INDEX IF NOT EXISTS events_date ON events(date);
CREATE TABLE IF NOT EXISTS event_docs (
    event TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    doc   TEXT NOT NULL,
    PRIMARY KEY (event, doc)
);
CREATE INDEX IF NOT EXISTS event_docs_doc ON event_docs(doc);
-- stories, relations and stances: rebuilt with the events, from every document's reports
CREATE TABLE IF NOT EXISTS stories (
    id    TEXT PRIMARY KEY,
    ord   INTEGER NOT NULL,
    title TEXT NOT NULL,
    json  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS story_docs (
    story TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    doc   TEXT NOT NULL,
    PRIMARY KEY (story, doc)
);
CREATE INDEX IF NOT EXISTS story_docs_doc ON story_docs(doc);
CREATE TABLE IF NOT EXISTS relations (
    a        TEXT NOT NULL,
    b        TEXT NOT NULL,
    relation TEXT NOT NULL,
    json     TEXT NOT NULL,
    PRIMARY KEY (a, b, relation)
);
CREATE INDEX IF NOT EXISTS relations_b ON relations(b);
CREATE TABLE IF NOT EXISTS stances (
    holder   TEXT NOT NULL,
    topic    TEXT NOT NULL,
    polarity TEXT NOT NULL,
    json     TEXT NOT NULL,
    PRIMARY KEY (holder, topic, polarity)
);
"#;

/// Set the connection up (WAL, foreign keys) and create the tables when missing.
pub(crate) fn prepare(conn: &Connection) -> Result<()> {
    // first, so that every statement below waits for a lock another process holds (two
    // servers and an ingest opening one store at once) instead of failing at once
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    // WAL: readers (a running server) and one writer (an ingest) share the file, and a
    // killed writer leaves the last committed transaction intact
    let mode: String = conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(Error::Invalid {
            name: "database",
            reason: format!("cannot switch its journal to WAL (it stays {mode})"),
        });
    }
    conn.execute_batch(
        "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;",
    )?;
    let found: Option<String> = conn
        .query_row(
            "SELECT value FROM meta WHERE key='schema_version'",
            [],
            |r| r.get(0),
        )
        .ok();
    if let Some(v) = found.and_then(|v| v.parse::<i64>().ok()) {
        if v > VERSION {
            return Err(Error::Version {
                found: v,
                supported: VERSION,
            });
        }
    }
    // IMMEDIATE: the write lock from the start, so the busy timeout applies (a deferred
    // transaction that reads and then writes fails at once if another wrote between)
    conn.execute_batch(&format!(
        "BEGIN IMMEDIATE; {SCHEMA}
         INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', '{VERSION}');
         INSERT OR IGNORE INTO meta(key, value) VALUES ('events_stale', '0');
         COMMIT;"
    ))?;
    Ok(())
}
