//! The bodies of the fuzz targets, one function per target: each takes arbitrary bytes,
//! runs one stage on them and asserts the stage's invariants (no panic, every range it
//! returns slices its input on character boundaries, output bounded by input).
//!
//! ```text
//! fuzz/fuzz_targets/<target>.rs ──libFuzzer──▶ annals_fuzz::<target>(&[u8])
//! tests/regressions.rs ── fuzz/regressions/<target>/* and fuzz/seeds/<target>/* ──▶ the same
//! ```
//!
//! The fuzz crate (`fuzz/`, nightly, outside the workspace) is a thin wrapper; this crate
//! builds on stable, so every crasher a fuzzer ever found is replayed by `cargo test`.
//!
//! ```
//! annals_fuzz::tokenize(b"Mr. Smith said \"no\".");
//! for name in annals_fuzz::TARGETS {
//!     annals_fuzz::run(name, b"<p>Friday, Jan. 3, 2014</p>");
//! }
//! ```
#![warn(missing_docs)]

use annals_model::{DocId, DocKind, Document, RawDoc, RawMeta, TextRange};
use std::io::Cursor;
use std::sync::OnceLock;

/// Every target, by the name of its fuzz target and regression folder.
pub const TARGETS: &[&str] = &[
    "html", "text", "segment", "tokenize", "dates", "quotes", "jsonl", "warc",
];

/// Run target `name` on `data`. Panics on an unknown name (a test's mistake).
pub fn run(name: &str, data: &[u8]) {
    match name {
        "html" => html(data),
        "text" => text(data),
        "segment" => segment(data),
        "tokenize" => tokenize(data),
        "dates" => dates(data),
        "quotes" => quotes(data),
        "jsonl" => jsonl(data),
        "warc" => warc(data),
        _ => panic!("no fuzz target {name:?}"),
    }
}

/// Bytes as text the way ingest would see them: lossy UTF-8.
fn as_text(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}

fn raw(text: String, kind: DocKind) -> RawDoc {
    RawDoc {
        id: DocId("fuzz".into()),
        source: "fuzz".into(),
        kind,
        text,
        meta: RawMeta::default(),
    }
}

/// The invariants of a cleaned document: paragraphs slice the body, and the offset map
/// copies bytes that are equal in body and raw text.
fn check_clean(doc: &Document) {
    for p in &doc.paragraphs {
        assert!(
            doc.body.get(p.range.as_usize()).is_some(),
            "paragraph {:?} does not slice the body",
            p.range
        );
    }
    for piece in doc.map.pieces() {
        let (c, r, n) = (piece.clean as usize, piece.raw as usize, piece.len as usize);
        assert_eq!(
            doc.body.get(c..c + n),
            doc.raw.get(r..r + n),
            "offset map piece {piece:?} copies different bytes"
        );
    }
}

/// The HTML cleaner: [`annals_clean::html::extract`], then the whole cleaning stage on an
/// HTML document.
pub fn html(data: &[u8]) {
    let s = as_text(data);
    let article = annals_clean::html::extract(&s, Some("https://example.com/a/b"));
    for p in &article.paragraphs {
        assert!(
            p.text.len() <= s.len() * 4 + 16,
            "a paragraph grew out of bounds"
        );
    }
    let doc = annals_clean::Cleaner::default().clean(raw(s, DocKind::Html));
    check_clean(&doc);
}

/// The plain-text cleaner: [`annals_clean::scrape::analyze`] and the cleaning stage on a
/// text document.
pub fn text(data: &[u8]) {
    let s = as_text(data);
    let scrape = annals_clean::scrape::analyze(&s);
    for line in &scrape.lines {
        assert_eq!(
            s.get(line.start..line.start + line.text.len()),
            Some(line.text)
        );
    }
    let doc = annals_clean::Cleaner::default().clean(raw(s, DocKind::Text));
    check_clean(&doc);
}

fn segmenter() -> &'static annals_text::Segmenter {
    static SEG: OnceLock<annals_text::Segmenter> = OnceLock::new();
    SEG.get_or_init(annals_text::Segmenter::new)
}

/// The sentence segmenter: sentences are in order, do not overlap and slice the text.
pub fn segment(data: &[u8]) {
    let s = as_text(data);
    let mut spans = Vec::new();
    let mut ends = Vec::new();
    segmenter().split_into(&s, &mut spans, &mut ends);
    check_spans(&s, &spans);
    let mut last = 0;
    for &e in &ends {
        assert!(
            e >= last && e <= spans.len(),
            "sentence ends {ends:?} out of order"
        );
        last = e;
    }
    let mut at = 0;
    for sentence in segmenter().sentences(&s) {
        let start = sentence.as_ptr() as usize - s.as_ptr() as usize;
        assert!(start >= at, "sentences overlap");
        at = start + sentence.len();
        assert!(at <= s.len());
    }
}

/// The tokenizer: tokens are non-empty, in order, do not overlap and slice the text.
pub fn tokenize(data: &[u8]) {
    let s = as_text(data);
    let spans = annals_text::tokenize(&s);
    check_spans(&s, &spans);
}

fn check_spans(s: &str, spans: &[annals_text::Span]) {
    let mut at = 0;
    for sp in spans {
        assert!(sp.start >= at, "token {sp:?} overlaps the one before");
        assert!(sp.start < sp.end, "empty token {sp:?}");
        assert!(
            s.get(sp.start..sp.end).is_some(),
            "token {sp:?} does not slice"
        );
        at = sp.end;
    }
}

/// The date resolver: the first two bytes pick a publication date (or none) and a tense;
/// the rest is the text. Also the cleaner's dateline finder and date parser.
pub fn dates(data: &[u8]) {
    use annals_time::{Date, Tense};
    let (head, rest) = data.split_at(data.len().min(2));
    let pick = head.first().copied().unwrap_or(0);
    let tense = match pick % 3 {
        0 => Tense::Past,
        1 => Tense::Present,
        _ => Tense::Future,
    };
    let published = match pick / 3 % 4 {
        0 => None,
        1 => Date::parse("2015-09-30"),
        2 => Date::parse("2000-02-29"),
        _ => Date::from_days_since_epoch(i64::from(head.get(1).copied().unwrap_or(0)) * 997),
    };
    let s = as_text(rest);
    for r in annals_time::find_times(&s, published, tense) {
        assert!(
            s.get(r.range.clone()).is_some(),
            "{:?} does not slice",
            r.range
        );
    }
    for e in annals_time::scan(&s) {
        assert!(s.get(e.range.clone()).is_some());
        let _ = e.resolve(published, tense);
    }
    for line in s.lines().take(64) {
        if let Some(f) = annals_clean::dates::find_date(line) {
            assert!(f.start <= f.end && line.get(f.start..f.end).is_some());
        }
        let _ = annals_clean::dates::parse_date(line);
    }
    let _ = Date::parse(&s);
}

fn pipeline() -> &'static annals_engine::Pipeline {
    static P: OnceLock<annals_engine::Pipeline> = OnceLock::new();
    P.get_or_init(|| annals_engine::Pipeline::standard().expect("the bundled models load"))
}

/// The quote extractor, on a document the whole pipeline annotated (cleaning, sentences,
/// parse, actors, quotes, events): every quote, cue and speaker range slices the body and
/// every speaker is an actor. The first byte picks text or HTML.
pub fn quotes(data: &[u8]) {
    let (kind, rest) = match data.split_first() {
        Some((b, rest)) if b % 4 == 0 => (DocKind::Html, rest),
        Some((_, rest)) => (DocKind::Text, rest),
        None => (DocKind::Text, data),
    };
    let doc = pipeline().process(raw(as_text(rest), kind));
    check_clean(&doc);
    let slices = |r: TextRange| doc.body.get(r.as_usize()).is_some();
    for q in &doc.quotes {
        assert!(
            slices(q.range),
            "quote {:?} does not slice the body",
            q.range
        );
        assert!(q.continued.iter().all(|&r| slices(r)));
        assert!(q.cue.is_none_or(slices), "cue {:?}", q.cue);
        assert!(q.speaker_mention.is_none_or(slices));
        if let Some(s) = q.speaker {
            assert!(
                (s as usize) < doc.actors.len(),
                "speaker {s} is not an actor"
            );
        }
        assert!(
            (0.0..=1.0).contains(&q.confidence),
            "confidence {}",
            q.confidence
        );
    }
}

/// Small limits, so the fuzzer reaches the oversized paths.
fn opts() -> annals_ingest::IngestOptions {
    annals_ingest::IngestOptions {
        max_doc_bytes: 4096,
    }
}

/// The JSONL reader: every item is a document or a skip naming its line; the number of
/// items is bounded by the number of lines.
pub fn jsonl(data: &[u8]) {
    let lines = data.split(|&b| b == b'\n').count();
    let mut n = 0;
    for item in annals_ingest::read_jsonl(Cursor::new(data.to_vec()), "fuzz.jsonl", &opts()) {
        n += 1;
        assert!(n <= lines, "more items than lines");
        match item {
            Ok(doc) => assert!(!doc.text.trim().is_empty(), "an empty document"),
            Err(skip) => assert!(skip.line.is_some_and(|l| l >= 1 && l <= lines)),
        }
    }
}

/// The WARC reader: every item is a document or a skip naming its record, and reading
/// ends.
pub fn warc(data: &[u8]) {
    let mut n = 0;
    for item in annals_ingest::read_warc(Cursor::new(data.to_vec()), "fuzz.warc", &opts()) {
        n += 1;
        assert!(n <= data.len() + 1, "more records than bytes");
        match item {
            Ok(doc) => assert!(doc.text.len() <= 4 * data.len() + 16),
            Err(skip) => assert!(skip.record.is_some()),
        }
    }
}
