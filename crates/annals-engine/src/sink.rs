//! Output sinks: where finished documents go.
//!
//! - [`JsonSink`]: the contract's single JSON object. Documents are written as they
//!   arrive, so the body text of a large corpus is never held; the cross-document arrays
//!   follow at the end.
//! - [`JsonlSink`]: one JSON record a line, each tagged with its `kind`.
//! - [`TableSink`]: an aligned summary for people.
//! - [`ConlluSink`]: every sentence's tokens, tags and parse in CoNLL-U.

use crate::cross::{Cross, DocReports, Gathered};
use crate::record::{
    actor_records, document_record, event_records, event_reports, merge_actor, quote_records,
    EventReport,
};
use crate::relations::{relation_records, relation_reports, RelationReport};
use crate::spill::{Chains, Spill};
use crate::stories::{story_input, story_records};
use annals_model::output::ActorRecord;
use annals_model::Document;
use annals_stories::StoryInput;
use std::any::Any;
use std::collections::HashMap;
use std::io::{self, Write};

/// What a sink makes of a document alone, on the worker thread that analysed it.
pub type Prepared = Box<dyn Any + Send>;

/// Receives finished documents in input order.
pub trait Sink {
    /// One analysed document.
    fn document(&mut self, doc: &Document) -> io::Result<()>;
    /// A function of a document alone whose result [`Sink::prepared`] takes. The engine
    /// runs it on the worker thread that analysed the document, so that this part of the
    /// sink's work is done in parallel and its own thread only gathers. `None` (the
    /// default): the engine calls [`Sink::document`].
    fn preparer(&self) -> Option<fn(&Document) -> Prepared> {
        None
    }
    /// One analysed document with what [`Sink::preparer`] made of it.
    fn prepared(&mut self, doc: &Document, _prepared: Prepared) -> io::Result<()> {
        self.document(doc)
    }
    /// The run is over: write what is still held.
    fn finish(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// What the JSON and JSONL sinks take from a document, made where it was analysed.
pub struct Derived {
    /// The document's record as a JSON object.
    pub record: Vec<u8>,
    /// Its actors with their mentions in it.
    pub actors: Vec<ActorRecord>,
    /// Its quotes, each a JSON object.
    pub quotes: Vec<Vec<u8>>,
    /// Its event reports.
    pub events: Vec<EventReport>,
    /// Its story input and relation and stance reports.
    pub reports: DocReports,
}

impl Derived {
    /// Everything the JSON and JSONL sinks write or gather of `doc`; an error only when a
    /// record does not serialise.
    pub fn of(doc: &Document) -> io::Result<Self> {
        Ok(Self {
            record: serde_json::to_vec(&document_record(doc))?,
            actors: actor_records(doc),
            quotes: quote_records(doc)
                .iter()
                .map(serde_json::to_vec)
                .collect::<Result<_, _>>()?,
            events: event_reports(doc),
            reports: DocReports::of(doc),
        })
    }

    fn prepare(doc: &Document) -> Prepared {
        Box::new(Derived::of(doc))
    }

    fn take(doc: &Document, p: Prepared) -> io::Result<Derived> {
        match p.downcast::<io::Result<Derived>>() {
            Ok(d) => *d,
            Err(_) => Derived::of(doc),
        }
    }
}

/// Actors joined across documents by id, in order of first mention, with their mentions
/// spilled (document after document) rather than held.
#[derive(Default)]
struct Actors {
    all: Vec<ActorRecord>,
    index: HashMap<String, usize>,
    mentions: Option<Chains>,
}

impl Actors {
    /// Join `a` with the actor of its id; its mentions go to the spill when `spill`.
    fn add(&mut self, mut a: ActorRecord, spill: bool) -> io::Result<()> {
        let mentions = std::mem::take(&mut a.mentions);
        let i = add_actor(&mut self.all, &mut self.index, a);
        if spill {
            if !mentions.is_empty() {
                let mut chunk = serde_json::to_vec(&mentions)?;
                chunk.pop(); // the list's items only: `[` and `]` go
                chunk.remove(0);
                self.mentions
                    .get_or_insert_with(Chains::new)
                    .push(i, &chunk)?;
            }
        } else {
            self.all[i].mentions.extend(mentions);
        }
        Ok(())
    }

    /// Write the actors as a JSON array, each with its spilled mentions.
    fn write_json(&mut self, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(b"[")?;
        for (i, a) in self.all.iter().enumerate() {
            if i > 0 {
                out.write_all(b",")?;
            }
            let json = serde_json::to_vec(a)?;
            // `mentions` is the record's last field: `..."mentions":[]}`
            let open = json.strip_suffix(b"]}").ok_or_else(|| {
                io::Error::other("an actor record that does not end in its mentions")
            })?;
            out.write_all(open)?;
            if let Some(chains) = &mut self.mentions {
                chains.write_chain(i, b",", out)?;
            }
            out.write_all(b"]}")?;
        }
        out.write_all(b"]")
    }
}

/// Writes the contract's JSON object, streaming the documents array. Actors are joined
/// across documents by id and written at the end, in order of first mention. What the
/// end needs and no cross-document step reads (the actors' mentions and the quotes) is
/// spilled to a temporary file as it comes, not held.
pub struct JsonSink<W: Write> {
    out: W,
    actors: Actors,
    quotes: Spill,
    gathered: Gathered,
    started: bool,
    count: usize,
}

impl<W: Write> JsonSink<W> {
    /// A sink writing to `out`.
    pub fn new(out: W) -> Self {
        Self {
            out,
            actors: Actors::default(),
            quotes: Spill::new(),
            gathered: Gathered::default(),
            started: false,
            count: 0,
        }
    }

    fn start(&mut self) -> io::Result<()> {
        if !self.started {
            self.out.write_all(b"{\"documents\": [")?;
            self.started = true;
        }
        Ok(())
    }
}

impl<W: Write> Sink for JsonSink<W> {
    fn document(&mut self, doc: &Document) -> io::Result<()> {
        self.prepared(doc, Derived::prepare(doc))
    }

    fn preparer(&self) -> Option<fn(&Document) -> Prepared> {
        Some(Derived::prepare)
    }

    fn prepared(&mut self, doc: &Document, p: Prepared) -> io::Result<()> {
        let d = Derived::take(doc, p)?;
        self.start()?;
        self.out
            .write_all(if self.count == 0 { b"\n" } else { b",\n" })?;
        self.out.write_all(&d.record)?;
        self.count += 1;
        for a in d.actors {
            self.actors.add(a, true)?;
        }
        for q in &d.quotes {
            if self.quotes.len() > 0 {
                self.quotes.append(b",")?;
            }
            self.quotes.append(q)?;
        }
        self.gathered.add_events(d.events)?;
        self.gathered.add_doc(d.reports)?;
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        self.start()?;
        write!(self.out, "\n],\n\"actors\": ")?;
        self.actors.write_json(&mut self.out)?;
        write!(self.out, ",\n\"quotes\": [")?;
        self.quotes.drain_into(&mut self.out)?;
        write!(self.out, "],\n\"events\": [")?;
        // the cross-document records are written as they are made, not held: the
        // arrays in `Cross`'s order, each opened as its first record comes (or when a
        // later kind does, empty)
        let out = &mut self.out;
        let mut section = 0;
        let mut first = true;
        self.gathered.finish(&self.actors.all, |x| {
            let (n, json) = match &x {
                Cross::Event(e) => (0, serde_json::to_vec(e)?),
                Cross::Story(s) => (1, serde_json::to_vec(s)?),
                Cross::Relation(r) => (2, serde_json::to_vec(r)?),
                Cross::Stance(s) => (3, serde_json::to_vec(s)?),
                Cross::Dyad(d) => (4, serde_json::to_vec(d)?),
            };
            while section < n {
                section += 1;
                out.write_all(CROSS_ARRAYS[section])?;
                first = true;
            }
            if !std::mem::take(&mut first) {
                out.write_all(b",")?;
            }
            out.write_all(&json)
        })?;
        while section < 4 {
            section += 1;
            self.out.write_all(CROSS_ARRAYS[section])?;
        }
        self.out.write_all(b"]")?;
        writeln!(self.out, "\n}}")?;
        self.out.flush()
    }
}

/// What opens each cross-document array of the JSON object after the first (events),
/// closing the one before.
const CROSS_ARRAYS: [&[u8]; 5] = [
    b"",
    b"],\n\"stories\": [",
    b"],\n\"relations\": [",
    b"],\n\"stances\": [",
    b"],\n\"dyads\": [",
];

/// Add an actor record, joining it with the one of the same id; returns its place.
fn add_actor(
    all: &mut Vec<ActorRecord>,
    index: &mut HashMap<String, usize>,
    a: ActorRecord,
) -> usize {
    match index.get(&a.id) {
        Some(&i) => {
            merge_actor(&mut all[i], a);
            i
        }
        None => {
            index.insert(a.id.clone(), all.len());
            all.push(a);
            all.len() - 1
        }
    }
}

/// Writes one JSON record a line: `{"kind": "document", ...}`, then `{"kind": "actor",
/// ...}` for each actor of that document with its mentions there, then `{"kind":
/// "quote", ...}` for each of its quotes and `{"kind": "event", ...}` for each of its events
/// (merged within the document). A reader joins actor records by id. At the end come the
/// cross-document records, as in [`JsonSink`]: `{"kind": "story", ...}`, `"relation"`,
/// `"stance"` and `"dyad"` lines. For them the sink holds what [`JsonSink`] holds apart
/// from the documents' text, mentions and quotes: each document's story clustering input,
/// event, relation and stance reports, and one record per actor without its mentions.
/// A story's timeline entries name their events by their number among the events merged
/// across documents (the `events` array of the JSON format); each entry carries its
/// date, actors, code and action, so it reads on its own.
pub struct JsonlSink<W: Write> {
    out: W,
    /// Every actor seen, without mentions (dyads roll people up to their affiliation).
    actors: Vec<ActorRecord>,
    actor_index: HashMap<String, usize>,
    gathered: Gathered,
}

impl<W: Write> JsonlSink<W> {
    /// A sink writing to `out`.
    pub fn new(out: W) -> Self {
        Self {
            out,
            actors: Vec::new(),
            actor_index: HashMap::new(),
            gathered: Gathered::default(),
        }
    }

    fn line<T: serde::Serialize>(&mut self, kind: &str, record: T) -> io::Result<()> {
        serde_json::to_writer(&mut self.out, &Tagged { kind, record })?;
        self.out.write_all(b"\n")
    }

    fn tagged_line(&mut self, kind: &str, object: &[u8]) -> io::Result<()> {
        tagged_line(&mut self.out, kind, object)
    }
}

/// `{"kind": "<kind>", ` and the rest of a JSON object, a line.
fn tagged_line(out: &mut impl Write, kind: &str, object: &[u8]) -> io::Result<()> {
    write!(out, "{{\"kind\":\"{kind}\"")?;
    if object.len() > 2 {
        out.write_all(b",")?;
    }
    out.write_all(object.get(1..).unwrap_or(b"}"))?;
    out.write_all(b"\n")
}

#[derive(serde::Serialize)]
struct Tagged<'a, T: serde::Serialize> {
    kind: &'a str,
    #[serde(flatten)]
    record: T,
}

impl<W: Write> Sink for JsonlSink<W> {
    fn document(&mut self, doc: &Document) -> io::Result<()> {
        self.prepared(doc, Derived::prepare(doc))
    }

    fn preparer(&self) -> Option<fn(&Document) -> Prepared> {
        Some(Derived::prepare)
    }

    fn prepared(&mut self, doc: &Document, p: Prepared) -> io::Result<()> {
        let d = Derived::take(doc, p)?;
        self.tagged_line("document", &d.record)?;
        for a in d.actors {
            self.line("actor", &a)?;
            let a = ActorRecord {
                mentions: Vec::new(),
                ..a
            };
            add_actor(&mut self.actors, &mut self.actor_index, a);
        }
        for q in &d.quotes {
            self.tagged_line("quote", q)?;
        }
        for e in event_records(&d.events) {
            self.line("event", e)?;
        }
        self.gathered.add_events(d.events)?;
        self.gathered.add_doc(d.reports)?;
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        let actors = std::mem::take(&mut self.actors);
        // the merged events went out document by document, as each document's own
        let out = &mut self.out;
        self.gathered.finish(&actors, |x| {
            let (kind, json) = match &x {
                Cross::Event(_) => return Ok(()),
                Cross::Story(s) => ("story", serde_json::to_vec(s)?),
                Cross::Relation(r) => ("relation", serde_json::to_vec(r)?),
                Cross::Stance(s) => ("stance", serde_json::to_vec(s)?),
                Cross::Dyad(d) => ("dyad", serde_json::to_vec(d)?),
            };
            tagged_line(out, kind, &json)
        })?;
        self.out.flush()
    }
}

/// Writes a table for people: one row a document, then one row a quote.
pub struct TableSink<W: Write> {
    out: W,
    rows: usize,
    /// The quote rows, written after the documents (cut to their cells' width).
    quotes: Vec<String>,
    /// Every document's event reports, merged and written at the end.
    events: Vec<EventReport>,
    /// Story clustering inputs, relations and direct quotes, for the stories section.
    stories: Vec<StoryInput>,
    relations: Vec<RelationReport>,
    key_quotes: Vec<annals_model::output::QuoteRecord>,
}

impl<W: Write> TableSink<W> {
    /// A sink writing to `out`.
    pub fn new(out: W) -> Self {
        Self {
            out,
            rows: 0,
            quotes: Vec::new(),
            events: Vec::new(),
            stories: Vec::new(),
            relations: Vec::new(),
            key_quotes: Vec::new(),
        }
    }

    /// Per story: title, dates, outlets, timeline, key quotes and relations.
    fn write_stories(&mut self, events: &[annals_model::output::EventRecord]) -> io::Result<()> {
        let stories = story_records(std::mem::take(&mut self.stories), events)?;
        let relations = relation_records(&self.relations, events, &Default::default())?;
        for st in &stories {
            writeln!(
                self.out,
                "\nSTORY {}  {}\n  dates:    {}\n  outlets:  {}\n  docs:     {}",
                st.id,
                st.title,
                if st.date_range.is_empty() {
                    "-".to_string()
                } else {
                    st.date_range.join(" .. ")
                },
                if st.outlets.is_empty() {
                    "-".to_string()
                } else {
                    st.outlets.join(", ")
                },
                st.docs.join(", "),
            )?;
            for c in &st.copies {
                writeln!(
                    self.out,
                    "  copy:     {} of {} ({:.2})",
                    c.doc, c.of, c.similarity
                )?;
            }
            if !st.timeline.is_empty() {
                writeln!(self.out, "  timeline:")?;
                for t in st.timeline.iter().take(8) {
                    let row = format!(
                        "    {} {} {} {} {}",
                        cell(t.date.as_deref().unwrap_or("-"), 10),
                        cell(t.source.as_deref().unwrap_or("-"), 22),
                        cell(&t.cameo, 5),
                        cell(t.target.as_deref().unwrap_or("-"), 22),
                        cell(&t.action.replace('\n', " "), 30),
                    );
                    writeln!(self.out, "{}", row.trim_end())?;
                }
            }
            let quotes: Vec<_> = self
                .key_quotes
                .iter()
                .filter(|q| st.docs.contains(&q.doc))
                .take(3)
                .collect();
            if !quotes.is_empty() {
                writeln!(self.out, "  quotes:")?;
                for q in quotes {
                    writeln!(
                        self.out,
                        "    {} {}",
                        cell(q.speaker.as_deref().unwrap_or("-"), 22),
                        cell(&q.text.replace('\n', " "), 80).trim_end()
                    )?;
                }
            }
            let rels: Vec<_> = relations
                .iter()
                .filter(|r| r.evidence.iter().any(|e| st.docs.contains(&e.doc)))
                .take(8)
                .collect();
            if !rels.is_empty() {
                writeln!(self.out, "  relations:")?;
                for r in rels {
                    writeln!(
                        self.out,
                        "    {} {} {}",
                        cell(&r.a, 24),
                        cell(&r.relation, 16),
                        r.b
                    )?;
                }
            }
            for e in &st.summary {
                writeln!(
                    self.out,
                    "  summary:  [{}] {}",
                    e.doc,
                    e.sentence.replace('\n', " ")
                )?;
            }
        }
        Ok(())
    }
}

/// Cut `s` to at most `n` chars, marking the cut with `…`, padded to `n`.
fn cell(s: &str, n: usize) -> String {
    let mut out: String = s.chars().take(n).collect();
    if s.chars().count() > n {
        out.pop();
        out.push('…');
    }
    format!("{out:<n$}")
}

impl<W: Write> Sink for TableSink<W> {
    fn document(&mut self, doc: &Document) -> io::Result<()> {
        if self.rows == 0 {
            writeln!(
                self.out,
                "{} {} {} {} {:>5} {:>6} {:>7}",
                cell("DOCUMENT", 24),
                cell("PUBLISHED", 10),
                cell("OUTLET", 18),
                cell("TITLE", 48),
                "PARAS",
                "SENTS",
                "TOKENS"
            )?;
        }
        self.rows += 1;
        self.events.extend(event_reports(doc));
        self.stories.push(story_input(doc));
        self.relations.extend(relation_reports(doc));
        self.key_quotes.extend(
            quote_records(doc)
                .into_iter()
                .filter(|q| q.direct && q.speaker.is_some() && q.place.is_none()),
        );
        for q in quote_records(doc) {
            self.quotes.push(format!(
                "{} {} {} {} {}",
                cell(&q.doc, 24),
                cell(q.speaker.as_deref().unwrap_or("-"), 22),
                cell(if q.direct { "direct" } else { "reported" }, 8),
                cell(q.cue.as_deref().unwrap_or("-"), 14),
                cell(
                    &match &q.place {
                        // a headline's or a caption's quote says where it is
                        Some(p) => format!("[{p}] {}", q.text.replace('\n', " ")),
                        None => q.text.replace('\n', " "),
                    },
                    70
                ),
            ));
        }
        writeln!(
            self.out,
            "{} {} {} {} {:>5} {:>6} {:>7}",
            cell(doc.id.as_str(), 24),
            cell(
                doc.published
                    .as_deref()
                    .map_or("-", |p| p.get(..10).unwrap_or(p)),
                10
            ),
            cell(doc.outlet.as_deref().unwrap_or("-"), 18),
            cell(doc.title.as_deref().unwrap_or("(no headline)"), 48),
            doc.paragraphs.len(),
            doc.sentences.len(),
            doc.tokens.len()
        )
    }

    fn finish(&mut self) -> io::Result<()> {
        if self.rows == 0 {
            writeln!(self.out, "(no documents)")?;
        }
        if !self.quotes.is_empty() {
            writeln!(
                self.out,
                "\n{} {} {} {} QUOTE",
                cell("DOCUMENT", 24),
                cell("SPEAKER", 22),
                cell("KIND", 8),
                cell("CUE", 14),
            )?;
            for row in &self.quotes {
                writeln!(self.out, "{}", row.trim_end())?;
            }
        }
        let events = event_records(&self.events);
        self.write_stories(&events)?;
        if !events.is_empty() {
            writeln!(
                self.out,
                "\n{} {} {} {} {} {} ACTION",
                cell("DATE", 10),
                cell("SOURCE", 22),
                cell("CAMEO", 5),
                cell("PLOVER", 10),
                cell("TARGET", 22),
                cell("REPORTS", 7),
            )?;
            for e in &events {
                let row = format!(
                    "{} {} {} {} {} {:>7} {}",
                    cell(e.date.as_deref().unwrap_or("-"), 10),
                    cell(e.source.as_deref().unwrap_or("-"), 22),
                    cell(&e.cameo, 5),
                    cell(e.plover.as_deref().unwrap_or("-"), 10),
                    cell(e.target.as_deref().unwrap_or("-"), 22),
                    e.mentions.len(),
                    cell(&e.action.replace('\n', " "), 40),
                );
                writeln!(self.out, "{}", row.trim_end())?;
            }
        }
        self.out.flush()
    }
}

/// Writes every sentence in CoNLL-U, one `# newdoc` block per document.
pub struct ConlluSink<W: Write> {
    out: W,
    buf: String,
}

impl<W: Write> ConlluSink<W> {
    /// A sink writing to `out`.
    pub fn new(out: W) -> Self {
        Self {
            out,
            buf: String::new(),
        }
    }
}

impl<W: Write> Sink for ConlluSink<W> {
    fn document(&mut self, doc: &Document) -> io::Result<()> {
        self.buf.clear();
        annals_syntax::write_conllu(doc, &mut self.buf).map_err(io::Error::other)?;
        self.out.write_all(self.buf.as_bytes())
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use annals_model::DocId;

    fn doc() -> Document {
        Document {
            id: DocId("d1".into()),
            body: "Body text.".into(),
            title: Some("A \"quoted\" title".into()),
            ..Default::default()
        }
    }

    #[test]
    fn json_sink_writes_one_valid_object_with_every_array() {
        let mut buf = Vec::new();
        let mut s = JsonSink::new(&mut buf);
        s.document(&doc()).unwrap();
        s.document(&doc()).unwrap();
        s.finish().unwrap();
        let v: serde_json::Value = serde_json::from_slice(&buf).unwrap();
        assert_eq!(v["documents"].as_array().unwrap().len(), 2);
        assert_eq!(v["documents"][0]["title"], "A \"quoted\" title");
        for k in [
            "actors",
            "quotes",
            "events",
            "stories",
            "relations",
            "stances",
        ] {
            assert!(v[k].is_array(), "{k}");
        }
    }

    #[test]
    fn json_sink_is_valid_with_no_documents() {
        let mut buf = Vec::new();
        JsonSink::new(&mut buf).finish().unwrap();
        let v: serde_json::Value = serde_json::from_slice(&buf).unwrap();
        assert_eq!(v["documents"].as_array().unwrap().len(), 0);
    }

    #[test]
    fn jsonl_lines_are_tagged_records() {
        let mut buf = Vec::new();
        let mut s = JsonlSink::new(&mut buf);
        s.document(&doc()).unwrap();
        let line: serde_json::Value = serde_json::from_slice(&buf).unwrap();
        assert_eq!(line["kind"], "document");
        assert_eq!(line["id"], "d1");
    }

    #[test]
    fn table_cuts_long_cells() {
        assert_eq!(cell("abcdef", 4), "abc…");
        assert_eq!(cell("ab", 4), "ab  ");
    }
}
