//! Reading everything out, in order, for an export: documents, actors, actor mentions,
//! quotes and merged events, each with the day it belongs to.
//!
//! Each scan streams rows to a callback in day order (undated rows last), so that a
//! writer partitioning by day keeps one output open at a time and memory stays flat
//! however large the store. The connection is held for the whole scan: an ingest waits
//! for it (its busy timeout), a reader does not.

use crate::{Error, Result, Store};
use annals_model::output::{ActorRecord, DocumentRecord, EventRecord, QuoteRecord};
use rusqlite::OptionalExtension;

/// A stored document with what the store knows of it.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportDocument {
    /// The document record, with its body.
    pub record: DocumentRecord,
    /// The day it was published (`YYYY-MM-DD`), when its publication date gives one.
    pub day: Option<String>,
    /// [`crate::content_hash`] of its raw text.
    pub hash: String,
    /// The stories it belongs to, in story order: `(id, title)`.
    pub stories: Vec<(String, String)>,
}

/// An actor, joined over documents, with its first day and counts.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportActor {
    /// The actor record, without its mentions (see [`Store::export_mentions`]).
    pub record: ActorRecord,
    /// The earliest day of a dated document that mentions it.
    pub first_seen: Option<String>,
    /// The latest such day.
    pub last_seen: Option<String>,
    /// Its mentions over all documents.
    pub mentions: usize,
    /// The documents that mention it.
    pub documents: usize,
}

/// One mention of an actor in a document.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportMention {
    /// The document's id.
    pub doc: String,
    /// The document's day.
    pub day: Option<String>,
    /// The actor's id.
    pub actor: String,
    /// Byte offsets: into the body, or into the headline (`place: "title"`) or the raw
    /// input (`place: "caption"`).
    pub start: u32,
    /// End offset (exclusive).
    pub end: u32,
    /// The words of the mention.
    pub text: String,
    /// `title`, `caption`, or none for the body.
    pub place: Option<String>,
}

/// A quote with the day of its document.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportQuote {
    /// The quote record.
    pub record: QuoteRecord,
    /// Its place in its document's quotes, from 0.
    pub n: usize,
    /// The document's day.
    pub day: Option<String>,
}

impl Store {
    /// Every document, by day (undated last), then in the order they were stored.
    pub fn export_documents<E: From<Error>>(
        &self,
        mut f: impl FnMut(ExportDocument) -> Result<(), E>,
    ) -> Result<(), E> {
        let conn = self.conn();
        let mut stories = conn
            .prepare(
                "SELECT s.id, s.title FROM story_docs sd JOIN stories s ON s.id = sd.story
                 WHERE sd.doc = ?1 ORDER BY s.ord",
            )
            .map_err(Error::from)?;
        let mut st = conn
            .prepare("SELECT json, day, hash, id FROM documents ORDER BY day IS NULL, day, seq")
            .map_err(Error::from)?;
        let mut rows = st.query([]).map_err(Error::from)?;
        while let Some(r) = rows.next().map_err(Error::from)? {
            let json: String = r.get(0).map_err(Error::from)?;
            let id: String = r.get(3).map_err(Error::from)?;
            let of = stories
                .query_map([&id], |r| Ok((r.get(0)?, r.get(1)?)))
                .map_err(Error::from)?
                .collect::<rusqlite::Result<Vec<_>>>()
                .map_err(Error::from)?;
            f(ExportDocument {
                record: serde_json::from_str(&json).map_err(Error::from)?,
                day: r.get(1).map_err(Error::from)?,
                hash: r.get(2).map_err(Error::from)?,
                stories: of,
            })?;
        }
        Ok(())
    }

    /// Every actor, by the first day a dated document mentions it (actors only undated
    /// documents mention last), then by id.
    pub fn export_actors<E: From<Error>>(
        &self,
        mut f: impl FnMut(ExportActor) -> Result<(), E>,
    ) -> Result<(), E> {
        let conn = self.conn();
        let mut st = conn
            .prepare(
                "SELECT a.json, MIN(d.day), MAX(d.day), COUNT(m.actor), COUNT(DISTINCT m.doc_seq)
                 FROM actors a
                 LEFT JOIN mentions m ON m.actor = a.id
                 LEFT JOIN documents d ON d.seq = m.doc_seq
                 GROUP BY a.id
                 ORDER BY MIN(d.day) IS NULL, MIN(d.day), a.id",
            )
            .map_err(Error::from)?;
        let mut rows = st.query([]).map_err(Error::from)?;
        while let Some(r) = rows.next().map_err(Error::from)? {
            let json: String = r.get(0).map_err(Error::from)?;
            let mut record: ActorRecord = serde_json::from_str(&json).map_err(Error::from)?;
            record.mentions.clear();
            f(ExportActor {
                record,
                first_seen: r.get(1).map_err(Error::from)?,
                last_seen: r.get(2).map_err(Error::from)?,
                mentions: r.get::<_, i64>(3).map_err(Error::from)? as usize,
                documents: r.get::<_, i64>(4).map_err(Error::from)? as usize,
            })?;
        }
        Ok(())
    }

    /// Every actor mention, by its document's day (undated last), document and offset.
    pub fn export_mentions<E: From<Error>>(
        &self,
        mut f: impl FnMut(ExportMention) -> Result<(), E>,
    ) -> Result<(), E> {
        let conn = self.conn();
        let mut st = conn
            .prepare(
                "SELECT m.doc, d.day, m.actor, m.start, m.end, m.text, m.place
                 FROM mentions m JOIN documents d ON d.seq = m.doc_seq
                 ORDER BY d.day IS NULL, d.day, d.seq, m.place IS NOT NULL, m.place, m.start",
            )
            .map_err(Error::from)?;
        let mut rows = st.query([]).map_err(Error::from)?;
        while let Some(r) = rows.next().map_err(Error::from)? {
            f(ExportMention {
                doc: r.get(0).map_err(Error::from)?,
                day: r.get(1).map_err(Error::from)?,
                actor: r.get(2).map_err(Error::from)?,
                start: r.get(3).map_err(Error::from)?,
                end: r.get(4).map_err(Error::from)?,
                text: r.get(5).map_err(Error::from)?,
                place: r.get(6).map_err(Error::from)?,
            })?;
        }
        Ok(())
    }

    /// Every quote, by its document's day (undated last), document and place in it.
    pub fn export_quotes<E: From<Error>>(
        &self,
        mut f: impl FnMut(ExportQuote) -> Result<(), E>,
    ) -> Result<(), E> {
        let conn = self.conn();
        let mut st = conn
            .prepare(
                "SELECT q.json, q.n, d.day FROM quotes q JOIN documents d ON d.seq = q.doc_seq
                 ORDER BY d.day IS NULL, d.day, d.seq, q.n",
            )
            .map_err(Error::from)?;
        let mut rows = st.query([]).map_err(Error::from)?;
        while let Some(r) = rows.next().map_err(Error::from)? {
            let json: String = r.get(0).map_err(Error::from)?;
            f(ExportQuote {
                record: serde_json::from_str(&json).map_err(Error::from)?,
                n: r.get::<_, i64>(1).map_err(Error::from)? as usize,
                day: r.get(2).map_err(Error::from)?,
            })?;
        }
        Ok(())
    }

    /// Every merged event, by its own date (undated last), then in the order the
    /// cross-document step made them. Its reports (`mentions`) name its documents.
    pub fn export_events<E: From<Error>>(
        &self,
        mut f: impl FnMut(EventRecord) -> Result<(), E>,
    ) -> Result<(), E> {
        let conn = self.conn();
        let mut st = conn
            .prepare("SELECT json FROM events ORDER BY date IS NULL, date, ord")
            .map_err(Error::from)?;
        let mut rows = st.query([]).map_err(Error::from)?;
        while let Some(r) = rows.next().map_err(Error::from)? {
            let json: String = r.get(0).map_err(Error::from)?;
            f(serde_json::from_str(&json).map_err(Error::from)?)?;
        }
        Ok(())
    }

    /// Whether the cross-document records (events, stories) are out of date: an ingest
    /// stopped before it rebuilt them.
    pub fn events_stale(&self) -> Result<bool> {
        let conn = self.conn();
        let v: Option<String> = conn
            .query_row("SELECT value FROM meta WHERE key='events_stale'", [], |r| {
                r.get(0)
            })
            .optional()?;
        Ok(v.as_deref() == Some("1"))
    }
}

#[cfg(test)]
mod tests {
    use crate::{content_hash, DocBundle, Store};
    use annals_model::output::{ActorRecord, DocumentRecord, Mention, QuoteRecord};

    fn doc(id: &str, published: Option<&str>) -> DocumentRecord {
        DocumentRecord {
            id: id.into(),
            source: format!("{id}.txt"),
            title: Some(format!("Title {id}")),
            published: published.map(Into::into),
            outlet: None,
            url: None,
            body: format!("Russia and Turkey met ({id})."),
            paragraphs: 1,
            sentences: 1,
            tokens: 6,
        }
    }

    fn bundle(id: &str, published: Option<&str>) -> DocBundle {
        let d = doc(id, published);
        let mut b = DocBundle::new(d.clone(), content_hash(&d.body));
        b.actors.push(ActorRecord {
            id: "russia".into(),
            name: "Russia".into(),
            kind: "country".into(),
            country: Some("RUS".into()),
            roles: vec![],
            cameo: Some("RUS".into()),
            affiliation: None,
            aliases: vec!["Russia".into()],
            named: true,
            mentions: vec![Mention {
                doc: id.into(),
                start: 0,
                end: 6,
                text: "Russia".into(),
                place: None,
            }],
        });
        b.quotes.push(QuoteRecord {
            doc: id.into(),
            speaker: Some("russia".into()),
            text: "we met".into(),
            direct: true,
            cue: Some("said".into()),
            start: 0,
            end: 6,
            place: None,
            continued: vec![],
            how: "same-sentence".into(),
            confidence: 0.9,
        });
        b
    }

    #[test]
    fn scans_come_in_day_order_with_undated_last() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path().join("s.db")).unwrap();
        store
            .write_batch(&[
                bundle("late", Some("2015-10-02T10:00:00Z")),
                bundle("none", None),
                bundle("early", Some("2015-09-28")),
            ])
            .unwrap();
        let mut docs = Vec::new();
        store
            .export_documents::<crate::Error>(|d| {
                docs.push((d.record.id, d.day, !d.record.body.is_empty()));
                Ok(())
            })
            .unwrap();
        assert_eq!(
            docs,
            [
                ("early".into(), Some("2015-09-28".into()), true),
                ("late".into(), Some("2015-10-02".into()), true),
                ("none".into(), None, true),
            ]
        );
        let mut mentions = Vec::new();
        store
            .export_mentions::<crate::Error>(|m| {
                mentions.push((m.doc, m.day, m.actor, m.start, m.end));
                Ok(())
            })
            .unwrap();
        assert_eq!(mentions.len(), 3);
        assert_eq!(mentions[0].0, "early");
        assert_eq!(mentions[2], ("none".into(), None, "russia".into(), 0, 6));
        let mut actors = Vec::new();
        store
            .export_actors::<crate::Error>(|a| {
                actors.push(a);
                Ok(())
            })
            .unwrap();
        assert_eq!(actors.len(), 1);
        let a = &actors[0];
        assert_eq!(a.record.id, "russia");
        assert!(a.record.mentions.is_empty());
        assert_eq!(
            (a.first_seen.as_deref(), a.last_seen.as_deref()),
            (Some("2015-09-28"), Some("2015-10-02"))
        );
        assert_eq!((a.mentions, a.documents), (3, 3));
        let mut quotes = Vec::new();
        store
            .export_quotes::<crate::Error>(|q| {
                quotes.push((q.record.doc, q.n, q.day));
                Ok(())
            })
            .unwrap();
        assert_eq!(quotes[0], ("early".into(), 0, Some("2015-09-28".into())));
        assert_eq!(quotes[2].2, None);
        // documents were stored and the events not merged since: what `annals export`
        // warns of
        assert!(store.events_stale().unwrap());
    }

    #[test]
    fn a_callback_error_stops_the_scan() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path().join("s.db")).unwrap();
        store
            .write_batch(&[bundle("a", None), bundle("b", None)])
            .unwrap();
        let mut seen = 0;
        let r = store.export_documents(|_| {
            seen += 1;
            Err(crate::Error::Query("stop".into()))
        });
        assert!(r.is_err());
        assert_eq!(seen, 1);
    }
}
