//! The annals store: analysed documents and what was read from them, kept in an embedded
//! SQLite database with a tantivy full-text index beside it.
//!
//! ```text
//! annals ingest ─▶ DocBundle per document ─▶ Store::write_batch (one SQLite transaction)
//!                                              └▶ Store::sync_index (tantivy, catches up)
//!              ─▶ at the end: Store::{event_reports, doc_reports} ─▶ engine's cross-document
//!                 step ─▶ Store::replace_cross (events, stories, relations, stances)
//! annals serve ─▶ Store::{documents, actor, story, events, search, …} ─▶ JSON
//! ```
//!
//! - [`Store`] is synchronous and `Send + Sync`: one SQLite connection behind a mutex
//!   (WAL mode, so an ingest and a server can share the file) and a tantivy reader.
//! - [`DocBundle`]: one analysed document with its actors, quotes, event reports and the
//!   rest of what the cross-document step needs of it (story input, relation and stance
//!   reports; opaque here).
//!   [`Store::write_batch`] writes many in one transaction. A document whose content hash
//!   ([`content_hash`] of its raw text) is stored already is skipped: re-ingesting is
//!   idempotent. A document id that comes back with other content replaces the old one.
//! - What is read across documents is kept twice: each document's **reports** (the
//!   engine's own serialisation, opaque here) and the **cross-document records** (merged
//!   events, stories, relations, stances), which the ingest rebuilds from the reports of
//!   every document with the engine's own code and replaces in one transaction
//!   ([`Store::replace_cross`]). A killed ingest leaves them stale but consistent;
//!   [`Status::events_stale`] says so, and the next ingest rebuilds them.
//! - Stories, relations and stances are kept keyed by their fields, with each record's
//!   full JSON, so fields added later survive.
//! - Exports ([`Store::export_documents`], [`Store::export_actors`],
//!   [`Store::export_mentions`], [`Store::export_quotes`], [`Store::export_events`])
//!   stream every row in day order, for a writer that partitions by day.
//! - Search ([`Store::search`]) covers document bodies and titles and quotes, filtered by
//!   actor, speaker, event code, dates, story and outlet ([`SearchQuery`]).
//!
//! ```
//! use annals_store::{content_hash, DocBundle, Store};
//! use annals_model::output::DocumentRecord;
//! let dir = tempfile::tempdir().unwrap();
//! let store = Store::open(dir.path().join("annals.db")).unwrap();
//! let body = "Russia and Turkey held talks in Ankara on Monday.";
//! let doc = DocumentRecord { id: "d1".into(), source: "d1.txt".into(), title: Some("Talks".into()),
//!     published: Some("2015-10-05".into()), outlet: None, url: None, body: body.into(),
//!     paragraphs: 1, sentences: 1, tokens: 10 };
//! let bundle = DocBundle::new(doc, content_hash(body));
//! assert_eq!(store.write_batch(std::slice::from_ref(&bundle)).unwrap().stored, 1);
//! assert_eq!(store.write_batch(&[bundle]).unwrap().unchanged, 1); // idempotent
//! store.sync_index().unwrap();
//! let hits = store.search(&annals_store::SearchQuery { q: "ankara".into(), ..Default::default() }).unwrap();
//! assert_eq!(hits.hits[0].doc, "d1");
//! ```
#![warn(missing_docs)]

mod export;
mod query;
mod schema;
mod search;
mod write;

pub use export::{ExportActor, ExportDocument, ExportMention, ExportQuote};
pub use query::{
    ActorPage, ActorSummary, DocumentPage, DocumentSummary, EventFilter, ListFilter, MonthPoint,
    Page, Partner, Status, StoryPage, StorySummary,
};
pub use search::{SearchHit, SearchKind, SearchQuery, SearchResults, SnippetPart};
pub use write::{
    BatchOutcome, CrossRecords, DocBundle, EventReportRow, StoredDocReports, StoredReport,
};

use rusqlite::Connection;
use sha2::Digest;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The database failed.
    #[error("database: {0}")]
    Sql(#[from] rusqlite::Error),
    /// The full-text index failed.
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    /// A search query could not be parsed.
    #[error("bad search query: {0}")]
    Query(String),
    /// A parameter is not valid (a date that is not `YYYY-MM-DD`, say).
    #[error("invalid {name}: {reason}")]
    Invalid {
        /// The parameter.
        name: &'static str,
        /// Why.
        reason: String,
    },
    /// No record of that kind has that id.
    #[error("no {what} {id:?}")]
    NotFound {
        /// `document`, `actor`, `story`, `event`.
        what: &'static str,
        /// The id asked for.
        id: String,
    },
    /// A stored record is not valid JSON (a damaged database).
    #[error("stored record: {0}")]
    Json(#[from] serde_json::Error),
    /// A file could not be opened or created.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The database was made by a newer annals.
    #[error("the store has schema version {found}; this annals reads version {supported}")]
    Version {
        /// The database's version.
        found: i64,
        /// Ours.
        supported: i64,
    },
}

/// The store's result.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The SHA-256 of a document's raw text, in hex: the key that makes ingest idempotent.
pub fn content_hash(raw: &str) -> String {
    let digest = sha2::Sha256::digest(raw.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// An annals store: a SQLite file and, beside it, its full-text index (`FILE.index/`).
pub struct Store {
    conn: Mutex<Connection>,
    path: PathBuf,
    index: search::TextIndex,
}

impl Store {
    /// Open the store at `path`, creating the database (and the index folder beside it)
    /// when they do not exist. The database runs in WAL mode.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref().to_path_buf();
        let conn = Connection::open(&path)?;
        schema::prepare(&conn)?;
        let index = search::TextIndex::open(&index_dir(&path))?;
        Ok(Self {
            conn: Mutex::new(conn),
            path,
            index,
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The SQLite journal mode in force (`wal`).
    pub fn journal_mode(&self) -> Result<String> {
        Ok(self
            .conn()
            .query_row("PRAGMA journal_mode", [], |r| r.get::<_, String>(0))?)
    }

    /// SQLite's `PRAGMA integrity_check`: `["ok"]` for a sound database, else its
    /// findings.
    pub fn integrity_check(&self) -> Result<Vec<String>> {
        let conn = self.conn();
        let mut st = conn.prepare("PRAGMA integrity_check")?;
        let rows = st.query_map([], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every stored document's id and [`content_hash`], by id: what two stores must share
    /// to hold the same documents.
    pub fn document_hashes(&self) -> Result<Vec<(String, String)>> {
        let conn = self.conn();
        let mut st = conn.prepare("SELECT id, hash FROM documents ORDER BY id")?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        // a panic while holding the lock leaves no half transaction: rusqlite rolls back
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The index folder of the database at `db`: `db` with `.index` appended.
fn index_dir(db: &Path) -> PathBuf {
    let mut s = db.as_os_str().to_owned();
    s.push(".index");
    PathBuf::from(s)
}

/// Check a `YYYY-MM-DD` date parameter.
pub(crate) fn check_date(name: &'static str, d: &Option<String>) -> Result<()> {
    if let Some(d) = d {
        let b = d.as_bytes();
        let ok = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        if !ok {
            return Err(Error::Invalid {
                name,
                reason: format!("{d:?} is not a YYYY-MM-DD date"),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_hash_is_sha256_hex() {
        assert_eq!(
            content_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn dates_are_checked() {
        assert!(check_date("from", &Some("2015-10-05".into())).is_ok());
        assert!(check_date("from", &None).is_ok());
        for bad in ["2015-10", "20151005", "2015-1o-05", "' OR 1=1 --"] {
            assert!(check_date("from", &Some(bad.into())).is_err(), "{bad}");
        }
    }
}
