//! Full-text search with tantivy over document titles and bodies and quotes.
//!
//! The index is derived from the database and can always be rebuilt from it: it records in
//! its commit payload the last document `seq` it holds, and [`Store::sync_index`] indexes
//! every document stored after that (a replaced document is deleted by its id first).
//! So a crash between the database commit and the index commit loses nothing: the next
//! sync catches up.
//!
//! Each document is one index entry of kind `document` and each quote one of kind
//! `quote`. Both carry the document's filter values: the actors it mentions (`actor`), the
//! speakers of its quotes (`speaker`; for a quote, its own speaker), the CAMEO codes of its
//! events with every prefix of two digits or more (`code`), its outlet and its day. The
//! story filter is resolved in the database to the story's documents.

use crate::{check_date, Error, Result, Store};
use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use serde_json::Value;
use std::ops::Bound;
use std::path::Path;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, Occur, Query, QueryParser, RangeQuery, TermQuery, TermSetQuery,
};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, Value as _, FAST, INDEXED, STORED, STRING, TEXT,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

/// The tantivy index and its fields.
pub(crate) struct TextIndex {
    index: Index,
    reader: IndexReader,
    f: Fields,
}

#[derive(Clone, Copy)]
struct Fields {
    kind: Field,
    doc: Field,
    n: Field,
    title: Field,
    headline: Field,
    text: Field,
    outlet: Field,
    day: Field,
    actor: Field,
    speaker: Field,
    code: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let f = Fields {
        kind: b.add_text_field("kind", STRING | STORED),
        doc: b.add_text_field("doc", STRING | STORED),
        n: b.add_i64_field("n", STORED),
        // searched on documents only; `headline` shows it on every hit
        title: b.add_text_field("title", TEXT),
        headline: b.add_text_field("headline", STORED),
        text: b.add_text_field("text", TEXT | STORED),
        outlet: b.add_text_field("outlet", STRING),
        day: b.add_i64_field("day", INDEXED | FAST),
        actor: b.add_text_field("actor", STRING),
        speaker: b.add_text_field("speaker", STRING),
        code: b.add_text_field("code", STRING),
    };
    (b.build(), f)
}

impl TextIndex {
    pub(crate) fn open(dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(dir).map_err(|source| Error::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let (schema, f) = schema();
        let directory = tantivy::directory::MmapDirectory::open(dir)
            .map_err(|e| Error::Index(tantivy::TantivyError::from(e)))?;
        let index = Index::open_or_create(directory, schema)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(Self { index, reader, f })
    }

    /// A searcher on the index as last committed, by this process or another (an ingest
    /// beside a server). The reader is reloaded only when the committed segments differ
    /// from the ones it holds: a reload opens every segment again and starts with empty
    /// caches of decompressed documents, which made each search slower when it was done
    /// every time.
    fn searcher(&self) -> Result<tantivy::Searcher> {
        let metas = self.index.load_metas()?;
        let searcher = self.reader.searcher();
        let held = searcher.segment_readers();
        let same = held.len() == metas.segments.len()
            && metas.segments.iter().all(|m| {
                held.iter()
                    .any(|r| r.segment_id() == m.id() && r.delete_opstamp() == m.delete_opstamp())
            });
        if same {
            return Ok(searcher);
        }
        self.reader.reload()?;
        Ok(self.reader.searcher())
    }

    /// The last document `seq` the index holds.
    fn indexed_seq(&self) -> Result<i64> {
        let metas = self.index.load_metas()?;
        Ok(metas
            .payload
            .and_then(|p| p.parse::<i64>().ok())
            .unwrap_or(0))
    }
}

/// Which entries a search returns.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SearchKind {
    /// Documents and quotes.
    #[default]
    All,
    /// Documents only.
    Documents,
    /// Quotes only.
    Quotes,
}

/// A search: words (tantivy's query syntax: `"a phrase"`, `-not`, `title:word`; every
/// word must match) and filters, all optional.
#[derive(Debug, Clone, Default)]
pub struct SearchQuery {
    /// The words; empty: every entry that passes the filters.
    pub q: String,
    /// Documents, quotes or both.
    pub kind: SearchKind,
    /// An actor id the document mentions.
    pub actor: Option<String>,
    /// An actor id that speaks (in the quote; for a document, in one of its quotes).
    pub speaker: Option<String>,
    /// A CAMEO code or code prefix (`19`, `190`) of an event the document reports.
    pub code: Option<String>,
    /// First day, `YYYY-MM-DD`, of the publication date.
    pub from: Option<String>,
    /// Last day, `YYYY-MM-DD`.
    pub to: Option<String>,
    /// A story id: its documents only.
    pub story: Option<String>,
    /// An outlet's name (any case).
    pub outlet: Option<String>,
    /// At most this many hits (0: 20).
    pub limit: usize,
    /// Skip this many hits.
    pub offset: usize,
}

/// A piece of a snippet: text, and whether it matched the query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SnippetPart {
    /// The text, as stored (escape it to show it).
    pub text: String,
    /// True for matched words.
    pub hit: bool,
}

/// One hit.
#[derive(Debug, Clone, Serialize)]
pub struct SearchHit {
    /// `document` or `quote`.
    pub kind: String,
    /// The document's id.
    pub doc: String,
    /// The document's title.
    pub title: Option<String>,
    /// For a quote: the quote record.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quote: Option<Value>,
    /// The relevance score (0 when there were no words).
    pub score: f32,
    /// The best passage, in parts.
    pub snippet: Vec<SnippetPart>,
}

/// A page of hits.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    /// How many entries match in all.
    pub total: usize,
    /// The hits of this page, best first.
    pub hits: Vec<SearchHit>,
    /// Names of the quotes' speakers, by id.
    pub names: std::collections::BTreeMap<String, String>,
}

/// `YYYY-MM-DD` as the integer `YYYYMMDD`.
fn day_number(d: &str) -> Option<i64> {
    d.get(..10)?.replace('-', "").parse().ok()
}

/// A CAMEO code and its prefixes of two digits or more.
fn code_prefixes(code: &str) -> impl Iterator<Item = &str> {
    (2..=code.len()).filter_map(move |n| code.get(..n))
}

/// A document row to index: seq, id, day, outlet, record JSON.
type DocRow = (i64, String, Option<String>, Option<String>, String);

impl Store {
    /// Index every document stored since the last sync; returns how many. Takes the
    /// index's writer lock for the time it runs.
    pub fn sync_index(&self) -> Result<usize> {
        let ix = &self.index;
        let f = ix.f;
        let done = ix.indexed_seq()?;
        let conn = self.conn();
        let mut docs = conn.prepare(
            "SELECT seq, id, day, outlet, json FROM documents WHERE seq > ?1 ORDER BY seq",
        )?;
        let rows: Vec<DocRow> = docs
            .query_map([done], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?
            .collect::<Result<_, _>>()?;
        if rows.is_empty() {
            return Ok(0);
        }
        let mut writer: IndexWriter = ix.index.writer_with_num_threads(1, 50_000_000)?;
        let strings = |sql: &str, seq: i64| -> Result<Vec<String>> {
            let mut st = conn.prepare_cached(sql)?;
            let v = st
                .query_map([seq], |r| r.get::<_, String>(0))?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(v)
        };
        let mut last = done;
        for (seq, id, day, outlet, json) in &rows {
            last = *seq;
            let rec: annals_model::output::DocumentRecord = serde_json::from_str(json)?;
            let actors = strings("SELECT DISTINCT actor FROM mentions WHERE doc_seq=?1", *seq)?;
            let speakers = strings(
                "SELECT DISTINCT speaker FROM quotes WHERE doc_seq=?1 AND speaker IS NOT NULL",
                *seq,
            )?;
            let codes = strings(
                "SELECT DISTINCT cameo FROM event_reports WHERE doc_seq=?1",
                *seq,
            )?;
            let common = |d: &mut TantivyDocument| {
                d.add_text(f.doc, id);
                if let Some(t) = &rec.title {
                    d.add_text(f.headline, t);
                }
                if let Some(o) = outlet {
                    d.add_text(f.outlet, o.to_lowercase());
                }
                if let Some(n) = day.as_deref().and_then(day_number) {
                    d.add_i64(f.day, n);
                }
                for a in &actors {
                    d.add_text(f.actor, a);
                }
                for c in &codes {
                    for p in code_prefixes(c) {
                        d.add_text(f.code, p);
                    }
                }
            };
            writer.delete_term(Term::from_field_text(f.doc, id));
            let mut d = TantivyDocument::default();
            d.add_text(f.kind, "document");
            common(&mut d);
            if let Some(t) = &rec.title {
                d.add_text(f.title, t);
            }
            d.add_text(f.text, &rec.body);
            for s in &speakers {
                d.add_text(f.speaker, s);
            }
            writer.add_document(d)?;
            let mut st =
                conn.prepare_cached("SELECT n, speaker, json FROM quotes WHERE doc_seq=?1")?;
            let quotes = st
                .query_map([seq], |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, Option<String>>(1)?,
                        r.get::<_, String>(2)?,
                    ))
                })?
                .collect::<Result<Vec<_>, _>>()?;
            for (n, speaker, qjson) in quotes {
                let q: annals_model::output::QuoteRecord = serde_json::from_str(&qjson)?;
                let mut d = TantivyDocument::default();
                d.add_text(f.kind, "quote");
                d.add_i64(f.n, n);
                common(&mut d);
                let mut text = q.text.clone();
                for part in &q.continued {
                    text.push(' ');
                    text.push_str(&part.text);
                }
                d.add_text(f.text, &text);
                if let Some(s) = speaker {
                    d.add_text(f.speaker, s);
                }
                writer.add_document(d)?;
            }
        }
        let mut commit = writer.prepare_commit()?;
        commit.set_payload(&last.to_string());
        commit.commit()?;
        writer.wait_merging_threads()?;
        ix.reader.reload()?;
        Ok(rows.len())
    }

    /// Whether documents are stored that the index does not hold yet.
    pub fn index_behind(&self) -> Result<bool> {
        let done = self.index.indexed_seq()?;
        let max: i64 =
            self.conn()
                .query_row("SELECT COALESCE(MAX(seq), 0) FROM documents", [], |r| {
                    r.get(0)
                })?;
        Ok(max > done)
    }

    /// Search documents and quotes.
    pub fn search(&self, q: &SearchQuery) -> Result<SearchResults> {
        check_date("from", &q.from)?;
        check_date("to", &q.to)?;
        let ix = &self.index;
        let f = ix.f;
        let searcher = ix.searcher()?;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let words = q.q.trim();
        let text_query: Option<Box<dyn Query>> = if words.is_empty() {
            None
        } else {
            let mut parser = QueryParser::for_index(&ix.index, vec![f.title, f.text]);
            parser.set_conjunction_by_default();
            let (query, _errors) = parser.parse_query_lenient(words);
            Some(query)
        };
        match &text_query {
            Some(t) => clauses.push((Occur::Must, t.box_clone())),
            None => clauses.push((Occur::Must, Box::new(AllQuery))),
        }
        let term = |field: Field, v: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, v),
                IndexRecordOption::Basic,
            ))
        };
        match q.kind {
            SearchKind::All => {}
            SearchKind::Documents => clauses.push((Occur::Must, term(f.kind, "document"))),
            SearchKind::Quotes => clauses.push((Occur::Must, term(f.kind, "quote"))),
        }
        if let Some(a) = non_empty(&q.actor) {
            clauses.push((Occur::Must, term(f.actor, a)));
        }
        if let Some(s) = non_empty(&q.speaker) {
            clauses.push((Occur::Must, term(f.speaker, s)));
        }
        if let Some(c) = non_empty(&q.code) {
            clauses.push((Occur::Must, term(f.code, c)));
        }
        if let Some(o) = non_empty(&q.outlet) {
            clauses.push((Occur::Must, term(f.outlet, &o.to_lowercase())));
        }
        if q.from.is_some() || q.to.is_some() {
            let bound = |d: &Option<String>| match d.as_deref().and_then(day_number) {
                Some(n) => Bound::Included(Term::from_field_i64(f.day, n)),
                None => Bound::Unbounded,
            };
            clauses.push((
                Occur::Must,
                Box::new(RangeQuery::new(bound(&q.from), bound(&q.to))),
            ));
        }
        if let Some(story) = non_empty(&q.story) {
            let conn = self.conn();
            let mut st = conn.prepare("SELECT doc FROM story_docs WHERE story=?1")?;
            let docs = st
                .query_map(params![story], |r| r.get::<_, String>(0))?
                .collect::<Result<Vec<_>, _>>()?;
            clauses.push((
                Occur::Must,
                Box::new(TermSetQuery::new(
                    docs.iter().map(|d| Term::from_field_text(f.doc, d)),
                )),
            ));
        }
        let query = BooleanQuery::new(clauses);
        let limit = if q.limit == 0 { 20 } else { q.limit.min(200) };
        let (top, total) = searcher.search(
            &query,
            &(
                TopDocs::with_limit(limit)
                    .and_offset(q.offset)
                    .order_by_score(),
                Count,
            ),
        )?;
        let snippets = match &text_query {
            Some(t) => {
                let mut g = SnippetGenerator::create(&searcher, t.as_ref(), f.text)?;
                g.set_max_num_chars(240);
                Some(g)
            }
            None => None,
        };
        let mut hits = Vec::with_capacity(top.len());
        let mut quote_ns: Vec<Option<i64>> = Vec::with_capacity(top.len());
        for (score, addr) in top {
            let d: TantivyDocument = searcher.doc(addr)?;
            let get = |field: Field| {
                d.get_first(field)
                    .and_then(|v| v.as_str())
                    .map(str::to_string)
            };
            let kind = get(f.kind).unwrap_or_default();
            let doc = get(f.doc).unwrap_or_default();
            let text = get(f.text).unwrap_or_default();
            let quote = match d.get_first(f.n).and_then(|v| v.as_i64()) {
                Some(n) if kind == "quote" => Some(n),
                _ => None,
            };
            let snippet = match &snippets {
                Some(g) => {
                    let s = g.snippet(&text);
                    if s.is_empty() {
                        lead(&text)
                    } else {
                        split_snippet(s.fragment(), s.highlighted())
                    }
                }
                None => lead(&text),
            };
            quote_ns.push(quote);
            hits.push(SearchHit {
                kind,
                doc,
                title: get(f.headline),
                quote: None,
                score: if text_query.is_some() { score } else { 0.0 },
                snippet,
            });
        }
        // the quote records and their speakers' names, under one lock of the database
        let conn = self.conn();
        let mut st = conn.prepare_cached(
            "SELECT q.json FROM quotes q JOIN documents d ON d.seq=q.doc_seq WHERE d.id=?1 AND q.n=?2",
        )?;
        for (hit, n) in hits.iter_mut().zip(quote_ns) {
            let Some(n) = n else { continue };
            let json: Option<String> =
                st.query_row(params![hit.doc, n], |r| r.get(0)).optional()?;
            hit.quote = match json {
                Some(j) => Some(serde_json::from_str(&j)?),
                None => None,
            };
        }
        drop(st);
        let speakers = hits
            .iter()
            .filter_map(|h| h.quote.as_ref()?["speaker"].as_str().map(str::to_string))
            .collect();
        let names = crate::query::names_of(&conn, speakers)?;
        Ok(SearchResults { total, hits, names })
    }
}

fn non_empty(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// The first 240 characters, as one part.
fn lead(text: &str) -> Vec<SnippetPart> {
    let cut: String = text.chars().take(240).collect();
    vec![SnippetPart {
        hit: false,
        text: if cut.len() < text.len() {
            format!("{cut}…")
        } else {
            cut
        },
    }]
}

/// A fragment cut at its highlighted byte ranges.
fn split_snippet(fragment: &str, hl: &[std::ops::Range<usize>]) -> Vec<SnippetPart> {
    let mut out = Vec::new();
    let mut at = 0;
    for r in hl {
        if r.start >= r.end || r.start < at {
            continue;
        }
        let (Some(before), Some(hit)) = (fragment.get(at..r.start), fragment.get(r.clone())) else {
            continue;
        };
        if !before.is_empty() {
            out.push(SnippetPart {
                text: before.to_string(),
                hit: false,
            });
        }
        out.push(SnippetPart {
            text: hit.to_string(),
            hit: true,
        });
        at = r.end;
    }
    if let Some(rest) = fragment.get(at..).filter(|r| !r.is_empty()) {
        out.push(SnippetPart {
            text: rest.to_string(),
            hit: false,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_prefixes_start_at_two_digits() {
        assert_eq!(
            code_prefixes("1902").collect::<Vec<_>>(),
            ["19", "190", "1902"]
        );
        assert_eq!(code_prefixes("04").collect::<Vec<_>>(), ["04"]);
    }

    #[test]
    fn snippets_split_at_highlights() {
        let parts = split_snippet("talks in Ankara on Monday", &[9..15, 20..20]);
        let texts: Vec<(&str, bool)> = parts.iter().map(|p| (p.text.as_str(), p.hit)).collect();
        assert_eq!(
            texts,
            [
                ("talks in ", false),
                ("Ankara", true),
                (" on Monday", false)
            ]
        );
    }
}
