//! JSONL: one article per line, read line by line with a bounded buffer.

use crate::decode::finish;
use crate::lines::{read_line_bounded, Line};
use crate::{Item, Skip, SkipReason};
use annals_model::{DocId, DocKind, RawDoc, RawMeta};
use serde::Deserialize;
use std::io::BufRead;

/// One JSONL record. Unknown fields are ignored.
#[derive(Deserialize)]
struct Record {
    id: Option<serde_json::Value>,
    text: Option<String>,
    html: Option<String>,
    title: Option<String>,
    #[serde(alias = "date")]
    published: Option<String>,
    outlet: Option<String>,
    url: Option<String>,
}

/// Streams the records of one JSONL input.
pub(crate) struct JsonlReader {
    reader: Box<dyn BufRead + Send>,
    /// The path as given, for `source` and skips.
    path: String,
    /// The file stem, for ids of records without one.
    stem: String,
    line: usize,
    max: usize,
    buf: Vec<u8>,
    done: bool,
}

impl JsonlReader {
    pub(crate) fn new(
        reader: Box<dyn BufRead + Send>,
        path: String,
        stem: String,
        max: usize,
    ) -> Self {
        JsonlReader {
            reader,
            path,
            stem,
            line: 0,
            max,
            buf: Vec::new(),
            done: false,
        }
    }

    fn skipped(&self, reason: SkipReason) -> Item {
        Err(Skip {
            source: self.path.clone(),
            line: Some(self.line),
            record: None,
            reason,
        })
    }

    /// Turn the line in `buf` into an item; `None` for a blank line.
    fn parse(&self) -> Option<Item> {
        let mut bytes = &self.buf[..];
        if self.line == 1 {
            bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
        }
        let s = match std::str::from_utf8(bytes) {
            Ok(s) => s.trim(),
            Err(e) => {
                return Some(self.skipped(SkipReason::InvalidEncoding(format!(
                    "JSON line is not UTF-8 ({e})"
                ))))
            }
        };
        if s.is_empty() {
            return None;
        }
        let rec: Record = match serde_json::from_str(s) {
            Ok(r) => r,
            Err(e) => return Some(self.skipped(SkipReason::MalformedJson(json_message(&e)))),
        };
        let (text, kind) = match (rec.text, rec.html) {
            (Some(t), _) if !t.trim().is_empty() => (t, DocKind::Text),
            (_, Some(h)) if !h.trim().is_empty() => (h, DocKind::Html),
            (None, None) => {
                return Some(self.skipped(SkipReason::MalformedJson(
                    "neither a `text` nor an `html` field".into(),
                )))
            }
            _ => return Some(self.skipped(SkipReason::Empty)),
        };
        let text = match finish(text) {
            Ok(t) => t,
            Err(reason) => return Some(self.skipped(reason)),
        };
        let id = match rec.id {
            Some(serde_json::Value::String(s)) if !s.trim().is_empty() => s,
            Some(serde_json::Value::Number(n)) => n.to_string(),
            _ => format!("{}:{}", self.stem, self.line),
        };
        let clean = |o: Option<String>| o.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        Some(Ok(RawDoc {
            id: DocId(id),
            source: format!("{}:{}", self.path, self.line),
            kind,
            text,
            meta: RawMeta {
                title: clean(rec.title),
                published: clean(rec.published),
                outlet: clean(rec.outlet),
                url: clean(rec.url),
                ..RawMeta::default()
            },
        }))
    }
}

/// serde_json's message with the position given as a column only (every record is one line).
fn json_message(e: &serde_json::Error) -> String {
    let full = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    match full.strip_suffix(&suffix) {
        Some(msg) if e.column() > 0 => format!("{msg} at column {}", e.column()),
        Some(msg) => msg.to_string(),
        None => full,
    }
}

impl Iterator for JsonlReader {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        while !self.done {
            self.line += 1;
            match read_line_bounded(&mut self.reader, &mut self.buf, self.max) {
                Ok(Line::Eof) => self.done = true,
                Ok(Line::TooLong(bytes)) => {
                    return Some(self.skipped(SkipReason::Oversized {
                        bytes,
                        limit: self.max as u64,
                    }))
                }
                Ok(Line::Fits) => {
                    if let Some(item) = self.parse() {
                        return Some(item);
                    }
                }
                Err(e) => {
                    self.done = true;
                    return Some(self.skipped(SkipReason::Unreadable(e.to_string())));
                }
            }
        }
        None
    }
}
