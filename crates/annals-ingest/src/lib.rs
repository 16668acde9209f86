//! Ingest: streams [`RawDoc`]s from files, folders, JSONL, WARC and stdin, one at a time.
//!
//! A corpus is never held in memory whole: folders are walked lazily, JSONL is read line by
//! line and WARC record by record, and each document is capped at
//! [`IngestOptions::max_doc_bytes`]. Bad input is data, not a crash: [`open`] yields
//! [`Item`]s, each either a document or a [`Skip`] that names the input (with the JSONL line
//! or WARC record) and a [`SkipReason`].
//!
//! ```text
//! paths / "-" ──open──▶ Ingest: Iterator<Item = Result<RawDoc, Skip>> + Send ──▶ clean …
//! ```
//!
//! # Inputs
//!
//! | input | documents | `id` | `source` |
//! |---|---|---|---|
//! | `*.txt`, `*.text` | one, [`DocKind::Text`] | file stem | the path as given |
//! | `*.html`, `*.htm`, `*.xhtml` | one, [`DocKind::Html`] | file stem | the path |
//! | `*.jsonl`, `*.ndjson` (also `.gz`) | one per line | `id` field, else `{stem}:{line}` | `path:line` |
//! | `*.warc`, `*.warc.gz` (multi-member gzip) | one per HTML `response` record | the WARC-Record-ID's uuid, else `{stem}-{n}` | `path#n` |
//! | a folder | its files, recursively, sorted by name | | |
//! | `-` | stdin, sniffed: WARC, JSONL if it starts with `{`, else one document (HTML if it starts with `<`) | `stdin` | `-` |
//!
//! In a folder, files with any other extension are reported as skipped
//! ([`SkipReason::UnsupportedExtension`]); hidden entries (names starting with `.`) and
//! symbolic links to folders are passed over silently. A file named explicitly with an
//! unknown extension is sniffed like stdin.
//!
//! JSONL fields: `id` (string or number), `text` or `html` (`text` wins when both are
//! non-empty), and optional `title`, `published` (alias `date`), `outlet`, `url`; other fields
//! are ignored. For WARC, `WARC-Target-URI` becomes the URL and `WARC-Date` (the crawl time)
//! goes into `meta.crawled`, a fallback for pages that carry no date of their own.
//!
//! # Decoding
//!
//! UTF-8 with or without a BOM, UTF-16 LE/BE (with a BOM, or without one when every other
//! byte is NUL), and legacy charsets: the declared charset (HTTP header, `<meta charset>`),
//! else detection with `chardetng` (Windows-1252 covers Latin-1); the charset used is named
//! in `meta.encoding`, so the caller can say so. Text that is mostly UTF-8 but holds
//! malformed sequences is corrupted, not legacy: it is skipped as invalid encoding, with the
//! offset of the first bad byte. Line endings are kept as
//! they are (the cleaner handles `\r\n`); NUL bytes are removed. Known binary formats (by
//! magic number) and text that is more than 5% control characters are skipped as binary.
//!
//! # Example
//!
//! ```
//! use annals_ingest::{open, IngestOptions, IngestStats};
//!
//! let dir = std::env::temp_dir().join(format!("annals-ingest-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir).unwrap();
//! std::fs::write(dir.join("a.txt"), "Rain fell on Paris.\r\n").unwrap();
//! std::fs::write(dir.join("b.jsonl"), "{\"id\":\"x1\",\"text\":\"Hello.\"}\nnot json\n").unwrap();
//! std::fs::write(dir.join("c.png"), b"\x89PNG\r\n\x1a\n").unwrap();
//!
//! let mut stats = IngestStats::default();
//! let mut ids = Vec::new();
//! for item in open([&dir], IngestOptions::default()) {
//!     stats.record(&item);
//!     match item {
//!         Ok(doc) => ids.push(doc.id.0),
//!         Err(skip) => eprintln!("skipped {skip}"), // e.g. ".../b.jsonl:2: malformed JSON: …"
//!     }
//! }
//! assert_eq!(ids, ["a", "x1"]);
//! assert_eq!(stats.read, 2);
//! assert_eq!(stats.skipped["malformed_json"], 1);
//! assert_eq!(stats.skipped["unsupported_extension"], 1);
//! std::fs::remove_dir_all(&dir).unwrap();
//! ```
#![warn(missing_docs)]

mod decode;
mod jsonl;
mod lines;
mod warc;

use annals_model::{DocId, DocKind, RawDoc, RawMeta};
use decode::{decode, Hints};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, VecDeque};
use std::fmt;
use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// One thing the stream yields: a document, or the reason an input (or a part of one) was
/// skipped.
pub type Item = Result<RawDoc, Skip>;

/// Settings for [`open`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct IngestOptions {
    /// The largest document, in bytes, before decoding: a file, a JSONL line or a WARC
    /// record block. Larger ones are skipped as [`SkipReason::Oversized`] without being read
    /// into memory. Default 10 MiB.
    pub max_doc_bytes: u64,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            max_doc_bytes: 10 * 1024 * 1024,
        }
    }
}

/// An input, or part of one, that yielded no document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skip {
    /// The path as given (or `-` for stdin).
    pub source: String,
    /// The 1-based line, for JSONL.
    pub line: Option<usize>,
    /// The 1-based record number, for WARC.
    pub record: Option<usize>,
    /// Why.
    pub reason: SkipReason,
}

impl Skip {
    /// A whole input skipped (no line or record within it).
    fn whole(source: String, reason: SkipReason) -> Skip {
        Skip {
            source,
            line: None,
            record: None,
            reason,
        }
    }
}

impl fmt::Display for Skip {
    /// `path:12: malformed JSON: …`, `path#3: not an article: …` or `path: empty`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(record) = self.record {
            write!(f, "#{record}")?;
        }
        write!(f, ": {}", self.reason)
    }
}

impl std::error::Error for Skip {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.reason)
    }
}

/// Why an input yielded no document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SkipReason {
    /// An I/O error (missing file, permission, a corrupt gzip stream).
    #[error("unreadable: {0}")]
    Unreadable(String),
    /// A known binary format, or text that is mostly control characters.
    #[error("binary: {0}")]
    Binary(String),
    /// Nothing but whitespace.
    #[error("empty")]
    Empty,
    /// Larger than [`IngestOptions::max_doc_bytes`].
    #[error("oversized: {bytes} bytes, over the limit of {limit}")]
    Oversized {
        /// The size found (for a compressed body, at least this much).
        bytes: u64,
        /// The limit in force.
        limit: u64,
    },
    /// A JSONL line that is not a JSON object with a `text` or `html` field; serde_json's
    /// message.
    #[error("malformed JSON: {0}")]
    MalformedJson(String),
    /// A WARC file that cannot be parsed further (reading that file stops), or a record whose
    /// HTTP response cannot be parsed.
    #[error("malformed WARC: {0}")]
    MalformedWarc(String),
    /// Bytes that cannot be decoded to text.
    #[error("invalid encoding: {0}")]
    InvalidEncoding(String),
    /// A file in a folder whose extension is not one ingest reads.
    #[error("unsupported extension {0:?}")]
    UnsupportedExtension(String),
    /// A WARC response that is not an HTML page with a 2xx status.
    #[error("not an article: {0}")]
    NotArticle(String),
}

impl SkipReason {
    /// A stable snake_case name for counting and reports (`"malformed_json"` …).
    pub fn code(&self) -> &'static str {
        match self {
            SkipReason::Unreadable(_) => "unreadable",
            SkipReason::Binary(_) => "binary",
            SkipReason::Empty => "empty",
            SkipReason::Oversized { .. } => "oversized",
            SkipReason::MalformedJson(_) => "malformed_json",
            SkipReason::MalformedWarc(_) => "malformed_warc",
            SkipReason::InvalidEncoding(_) => "invalid_encoding",
            SkipReason::UnsupportedExtension(_) => "unsupported_extension",
            SkipReason::NotArticle(_) => "not_article",
        }
    }
}

/// Counts of documents read and inputs skipped, by [`SkipReason::code`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct IngestStats {
    /// Documents yielded.
    pub read: usize,
    /// Skips by reason code.
    pub skipped: BTreeMap<&'static str, usize>,
}

impl IngestStats {
    /// Count one item.
    pub fn record(&mut self, item: &Item) {
        match item {
            Ok(_) => self.read += 1,
            Err(skip) => *self.skipped.entry(skip.reason.code()).or_default() += 1,
        }
    }

    /// All skips together.
    pub fn skipped_total(&self) -> usize {
        self.skipped.values().sum()
    }
}

/// Stream the documents of `inputs` (files, folders, or `-` for stdin), in order.
///
/// Nothing is read until the iterator is advanced. The iterator is `Send`, so it can run
/// on a reader thread.
pub fn open<I, P>(inputs: I, opts: IngestOptions) -> Ingest
where
    I: IntoIterator<Item = P>,
    P: AsRef<Path>,
{
    Ingest {
        opts,
        queue: inputs
            .into_iter()
            .map(|p| Pending {
                path: p.as_ref().to_path_buf(),
                in_folder: false,
            })
            .collect(),
        current: None,
    }
}

/// Stream the records of one JSONL input read from `reader`, named `source` in skips
/// (`source:line`). The same reader [`open`] uses for `*.jsonl` files.
pub fn read_jsonl<R: BufRead + Send + 'static>(
    reader: R,
    source: &str,
    opts: &IngestOptions,
) -> impl Iterator<Item = Item> + Send {
    let max = usize::try_from(opts.max_doc_bytes).unwrap_or(usize::MAX);
    let stem = format_of(Path::new(source)).1;
    jsonl::JsonlReader::new(Box::new(reader), source.to_string(), stem, max)
}

/// Stream the HTML responses of one (uncompressed) WARC input read from `reader`, named
/// `source` in skips (`source#record`). The same reader [`open`] uses for `*.warc` files.
pub fn read_warc<R: BufRead + Send + 'static>(
    reader: R,
    source: &str,
    opts: &IngestOptions,
) -> impl Iterator<Item = Item> + Send {
    let max = usize::try_from(opts.max_doc_bytes).unwrap_or(usize::MAX);
    let stem = format_of(Path::new(source)).1;
    warc::WarcReader::new(Box::new(reader), source.to_string(), stem, max)
}

/// The document stream returned by [`open`].
pub struct Ingest {
    opts: IngestOptions,
    queue: VecDeque<Pending>,
    current: Option<Box<dyn Iterator<Item = Item> + Send>>,
}

impl fmt::Debug for Ingest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Ingest")
            .field("opts", &self.opts)
            .field("pending", &self.queue.len())
            .field("reading", &self.current.is_some())
            .finish()
    }
}

/// An input not yet opened.
struct Pending {
    path: PathBuf,
    /// Found by walking a folder (unknown extensions are skipped, not sniffed).
    in_folder: bool,
}

/// What opening an input produced.
enum Opened {
    /// A single item (a document or a skip), boxed: a document is large beside the other
    /// variants.
    One(Box<Item>),
    /// A stream of items.
    Stream(Box<dyn Iterator<Item = Item> + Send>),
    /// A folder whose entries were queued.
    Queued,
}

impl Opened {
    fn one(item: Item) -> Self {
        Opened::One(Box::new(item))
    }
}

/// Formats known by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Text,
    Html,
    Jsonl { gz: bool },
    Warc { gz: bool },
}

const EXTENSIONS: &[(&str, Format)] = &[
    (".warc.gz", Format::Warc { gz: true }),
    (".warc", Format::Warc { gz: false }),
    (".jsonl.gz", Format::Jsonl { gz: true }),
    (".ndjson.gz", Format::Jsonl { gz: true }),
    (".jsonl", Format::Jsonl { gz: false }),
    (".ndjson", Format::Jsonl { gz: false }),
    (".txt", Format::Text),
    (".text", Format::Text),
    (".html", Format::Html),
    (".htm", Format::Html),
    (".xhtml", Format::Html),
];

/// The format a file name's extension names, and the name without that extension.
fn format_of(path: &Path) -> (Option<Format>, String) {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let lower = name.to_ascii_lowercase();
    for (ext, format) in EXTENSIONS {
        if lower.len() > ext.len() && lower.ends_with(ext) {
            return (Some(*format), name[..name.len() - ext.len()].to_string());
        }
    }
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or(name);
    (None, stem)
}

impl Iterator for Ingest {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        loop {
            if let Some(current) = &mut self.current {
                match current.next() {
                    Some(item) => return Some(item),
                    None => self.current = None,
                }
            }
            let pending = self.queue.pop_front()?;
            match self.start(pending) {
                Opened::One(item) => return Some(*item),
                Opened::Stream(stream) => self.current = Some(stream),
                Opened::Queued => {}
            }
        }
    }
}

impl Ingest {
    fn doc_limit(&self) -> usize {
        usize::try_from(self.opts.max_doc_bytes).unwrap_or(usize::MAX)
    }

    fn start(&mut self, pending: Pending) -> Opened {
        let Pending { path, in_folder } = pending;
        let source = path.display().to_string();
        let skip = |reason| Opened::one(Err(Skip::whole(source.clone(), reason)));
        if path.as_os_str() == "-" && !in_folder {
            let reader: Box<dyn BufRead + Send> = Box::new(BufReader::new(io::stdin()));
            return self.sniffed(reader, "-".into(), "stdin".into(), None, true);
        }
        let meta = match fs::metadata(&path) {
            Ok(m) => m,
            Err(e) => return skip(SkipReason::Unreadable(e.to_string())),
        };
        if meta.is_dir() {
            return match self.queue_folder(&path) {
                Ok(()) => Opened::Queued,
                Err(e) => skip(SkipReason::Unreadable(e.to_string())),
            };
        }
        let (format, stem) = format_of(&path);
        let max = self.doc_limit();
        let open_file = |gz: bool| -> io::Result<Box<dyn BufRead + Send>> {
            let file = File::open(&path)?;
            Ok(if gz {
                Box::new(BufReader::new(flate2::read::MultiGzDecoder::new(file)))
            } else {
                Box::new(BufReader::new(file))
            })
        };
        match format {
            Some(Format::Text | Format::Html) if meta.len() > self.opts.max_doc_bytes => {
                skip(SkipReason::Oversized {
                    bytes: meta.len(),
                    limit: self.opts.max_doc_bytes,
                })
            }
            Some(Format::Text) => single(open_file(false), source, stem, Some(DocKind::Text), max),
            Some(Format::Html) => single(open_file(false), source, stem, Some(DocKind::Html), max),
            Some(Format::Jsonl { gz }) => match open_file(gz) {
                Ok(r) => Opened::Stream(Box::new(jsonl::JsonlReader::new(r, source, stem, max))),
                Err(e) => skip(SkipReason::Unreadable(e.to_string())),
            },
            Some(Format::Warc { gz }) => match open_file(gz) {
                Ok(r) => Opened::Stream(Box::new(warc::WarcReader::new(r, source, stem, max))),
                Err(e) => skip(SkipReason::Unreadable(e.to_string())),
            },
            None if in_folder => {
                let ext = path
                    .extension()
                    .map(|e| e.to_string_lossy().into_owned())
                    .unwrap_or_default();
                skip(SkipReason::UnsupportedExtension(ext))
            }
            None if meta.len() > self.opts.max_doc_bytes && !looks_like_stream(&path) => {
                skip(SkipReason::Oversized {
                    bytes: meta.len(),
                    limit: self.opts.max_doc_bytes,
                })
            }
            None => match open_file(false) {
                Ok(r) => self.sniffed(r, source, stem.clone(), Some(stem), true),
                Err(e) => skip(SkipReason::Unreadable(e.to_string())),
            },
        }
    }

    /// Queue a folder's entries (sorted by name) ahead of the remaining inputs.
    fn queue_folder(&mut self, dir: &Path) -> io::Result<()> {
        let mut entries: Vec<(std::ffi::OsString, PathBuf)> = Vec::new();
        for entry in fs::read_dir(dir)? {
            let entry = entry?;
            let name = entry.file_name();
            if name.to_string_lossy().starts_with('.') {
                continue;
            }
            let path = entry.path();
            let ty = entry.file_type()?;
            if ty.is_symlink() && fs::metadata(&path).map(|m| m.is_dir()).unwrap_or(false) {
                continue; // not followed: no cycles
            }
            entries.push((name, path));
        }
        entries.sort();
        for (_, path) in entries.into_iter().rev() {
            self.queue.push_front(Pending {
                path,
                in_folder: true,
            });
        }
        Ok(())
    }

    /// Open a stream of unknown format: gzip is unwrapped once, then WARC, JSONL (first
    /// non-blank byte `{`) or a single document.
    fn sniffed(
        &self,
        mut reader: Box<dyn BufRead + Send>,
        source: String,
        stem: String,
        id: Option<String>,
        may_unzip: bool,
    ) -> Opened {
        let max = self.doc_limit();
        let head = match reader.fill_buf() {
            Ok(h) => h,
            Err(e) => {
                return Opened::one(Err(Skip::whole(
                    source,
                    SkipReason::Unreadable(e.to_string()),
                )))
            }
        };
        if may_unzip && head.starts_with(b"\x1f\x8b") {
            let unzipped: Box<dyn BufRead + Send> =
                Box::new(BufReader::new(flate2::read::MultiGzDecoder::new(reader)));
            return self.sniffed(unzipped, source, stem, id, false);
        }
        let body = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
        let first = body.iter().find(|b| !b.is_ascii_whitespace()).copied();
        if body.starts_with(b"WARC/") {
            Opened::Stream(Box::new(warc::WarcReader::new(reader, source, stem, max)))
        } else if first == Some(b'{') {
            Opened::Stream(Box::new(jsonl::JsonlReader::new(reader, source, stem, max)))
        } else {
            single(Ok(reader), source, id.unwrap_or(stem), None, max)
        }
    }
}

/// Whether a file's first bytes say it is a stream of many documents (gzip, WARC, JSONL),
/// so the per-document size limit does not apply to the file as a whole.
fn looks_like_stream(path: &Path) -> bool {
    let mut head = [0u8; 64];
    let n = File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .unwrap_or(0);
    let head = &head[..n];
    let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    head.starts_with(b"\x1f\x8b")
        || head.starts_with(b"WARC/")
        || head.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{')
}

/// Read one whole document (at most `max` bytes) and decode it. `kind` `None` means sniff:
/// HTML when the decoded text starts with `<`.
fn single(
    reader: io::Result<Box<dyn BufRead + Send>>,
    source: String,
    id: String,
    kind: Option<DocKind>,
    max: usize,
) -> Opened {
    let skip = |reason| Opened::one(Err(Skip::whole(source.clone(), reason)));
    let mut bytes = Vec::new();
    let read = reader.and_then(|r| r.take(max as u64 + 1).read_to_end(&mut bytes));
    match read {
        Err(e) => return skip(SkipReason::Unreadable(e.to_string())),
        Ok(n) if n > max => {
            return skip(SkipReason::Oversized {
                bytes: n as u64,
                limit: max as u64,
            })
        }
        Ok(_) => {}
    }
    let html = kind.map_or_else(
        || decode::meta_charset(&bytes).is_some() || bytes.trim_ascii_start().starts_with(b"<"),
        |k| k == DocKind::Html,
    );
    let text = match decode(
        &bytes,
        Hints {
            html,
            ..Hints::default()
        },
    ) {
        Ok(t) => t,
        Err(reason) => return skip(reason),
    };
    let (text, encoding) = (text.0, text.1.map(str::to_string));
    let kind = kind.unwrap_or(if text.trim_start().starts_with('<') {
        DocKind::Html
    } else {
        DocKind::Text
    });
    Opened::one(Ok(RawDoc {
        id: DocId(id),
        source,
        kind,
        text,
        meta: RawMeta {
            encoding,
            ..RawMeta::default()
        },
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_extension() {
        assert_eq!(
            format_of(Path::new("a/CC-NEWS-1.warc.gz")),
            (Some(Format::Warc { gz: true }), "CC-NEWS-1".into())
        );
        assert_eq!(
            format_of(Path::new("x.HTML")),
            (Some(Format::Html), "x".into())
        );
        assert_eq!(format_of(Path::new("notes.md")), (None, "notes".into()));
        assert_eq!(format_of(Path::new(".txt")), (None, ".txt".into()));
    }

    #[test]
    fn skip_display_names_line_and_record() {
        let s = Skip {
            source: "a.jsonl".into(),
            line: Some(12),
            record: None,
            reason: SkipReason::MalformedJson("expected value at column 3".into()),
        };
        assert_eq!(
            s.to_string(),
            "a.jsonl:12: malformed JSON: expected value at column 3"
        );
        let s = Skip {
            source: "b.warc".into(),
            line: None,
            record: Some(3),
            reason: SkipReason::Empty,
        };
        assert_eq!(s.to_string(), "b.warc#3: empty");
    }

    #[test]
    fn ingest_is_send() {
        fn is_send<T: Send>(_: &T) {}
        is_send(&open(["-"], IngestOptions::default()));
    }
}
