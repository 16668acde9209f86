//! WARC (CC-NEWS style): HTML `response` records, streamed one record at a time.
//!
//! Only the current record's block is held in memory, and only when it is within the size
//! limit; larger blocks and non-`response` records are skipped by reading past them.

use crate::decode::{charset_param, decode, find, Hints};
use crate::lines::{read_line_bounded, Line};
use crate::{Item, Skip, SkipReason};
use annals_model::{DocId, DocKind, RawDoc, RawMeta};
use std::io::{self, BufRead, Read};

/// The most bytes a WARC header line may have.
const MAX_HEADER_LINE: usize = 64 * 1024;
/// The most header lines a WARC record may have.
const MAX_HEADER_LINES: usize = 512;

/// Streams the HTML responses of one WARC input.
pub(crate) struct WarcReader {
    reader: Box<dyn BufRead + Send>,
    path: String,
    stem: String,
    /// Number of the current record (1-based, counting every record of the file).
    n: usize,
    max: usize,
    done: bool,
}

/// The headers of one WARC record (names lowercased).
struct Headers(Vec<(String, String)>);

impl Headers {
    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

impl WarcReader {
    pub(crate) fn new(
        reader: Box<dyn BufRead + Send>,
        path: String,
        stem: String,
        max: usize,
    ) -> Self {
        WarcReader {
            reader,
            path,
            stem,
            n: 0,
            max,
            done: false,
        }
    }

    fn skipped(&self, reason: SkipReason) -> Item {
        Err(Skip {
            source: self.path.clone(),
            line: None,
            record: Some(self.n),
            reason,
        })
    }

    /// A fatal problem: report it and stop reading this file.
    fn fail(&mut self, reason: SkipReason) -> Option<Item> {
        self.done = true;
        Some(self.skipped(reason))
    }

    /// Read a record's headers; `Ok(None)` at the end of the input.
    fn read_headers(&mut self) -> Result<Option<Headers>, SkipReason> {
        let mut buf = Vec::new();
        // the version line, after any blank lines that end the previous record
        loop {
            match read_line_bounded(&mut self.reader, &mut buf, MAX_HEADER_LINE) {
                Ok(Line::Eof) => return Ok(None),
                Ok(Line::TooLong(_)) => {
                    return Err(SkipReason::MalformedWarc(
                        "expected a WARC/1.x version line".into(),
                    ))
                }
                Ok(Line::Fits) if buf.iter().all(u8::is_ascii_whitespace) => continue,
                Ok(Line::Fits) if buf.starts_with(b"WARC/") => break,
                Ok(Line::Fits) => {
                    return Err(SkipReason::MalformedWarc(
                        "expected a WARC/1.x version line".into(),
                    ))
                }
                Err(e) => return Err(SkipReason::Unreadable(e.to_string())),
            }
        }
        let mut headers: Vec<(String, String)> = Vec::new();
        loop {
            match read_line_bounded(&mut self.reader, &mut buf, MAX_HEADER_LINE) {
                Ok(Line::Eof) => {
                    return Err(SkipReason::MalformedWarc("truncated record header".into()))
                }
                Ok(Line::TooLong(_)) => {
                    return Err(SkipReason::MalformedWarc("header line too long".into()))
                }
                Ok(Line::Fits) => {}
                Err(e) => return Err(SkipReason::Unreadable(e.to_string())),
            }
            let line = String::from_utf8_lossy(&buf);
            let line = line.trim_end_matches(['\r', '\n']);
            if line.is_empty() {
                return Ok(Some(Headers(headers)));
            }
            if headers.len() >= MAX_HEADER_LINES {
                return Err(SkipReason::MalformedWarc("too many header lines".into()));
            }
            if line.starts_with([' ', '\t']) {
                if let Some((_, v)) = headers.last_mut() {
                    v.push(' ');
                    v.push_str(line.trim());
                }
            } else if let Some((k, v)) = line.split_once(':') {
                headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
            } else {
                return Err(SkipReason::MalformedWarc(format!(
                    "bad header line {line:?}"
                )));
            }
        }
    }

    /// Read past `len` bytes of block.
    fn discard(&mut self, len: u64) -> Result<(), SkipReason> {
        let copied = io::copy(&mut (&mut self.reader).take(len), &mut io::sink())
            .map_err(|e| SkipReason::Unreadable(e.to_string()))?;
        if copied < len {
            return Err(SkipReason::MalformedWarc("truncated record block".into()));
        }
        Ok(())
    }
}

impl Iterator for WarcReader {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        while !self.done {
            let headers = match self.read_headers() {
                Ok(Some(h)) => h,
                Ok(None) => {
                    self.done = true;
                    return None;
                }
                Err(reason) => {
                    self.n += 1;
                    return self.fail(reason);
                }
            };
            self.n += 1;
            let Some(len) = headers
                .get("content-length")
                .and_then(|v| v.parse::<u64>().ok())
            else {
                return self.fail(SkipReason::MalformedWarc("no valid Content-Length".into()));
            };
            let is_response = headers
                .get("warc-type")
                .is_some_and(|t| t.eq_ignore_ascii_case("response"));
            let is_http = match headers.get("content-type") {
                Some(t) => t.to_ascii_lowercase().starts_with("application/http"),
                None => true,
            };
            if !is_response || !is_http {
                if let Err(reason) = self.discard(len) {
                    return self.fail(reason);
                }
                continue;
            }
            if len > self.max as u64 {
                if let Err(reason) = self.discard(len) {
                    return self.fail(reason);
                }
                return Some(self.skipped(SkipReason::Oversized {
                    bytes: len,
                    limit: self.max as u64,
                }));
            }
            let mut block = Vec::with_capacity(len as usize);
            match (&mut self.reader).take(len).read_to_end(&mut block) {
                Ok(n) if (n as u64) < len => {
                    return self.fail(SkipReason::MalformedWarc("truncated record block".into()))
                }
                Ok(_) => {}
                Err(e) => return self.fail(SkipReason::Unreadable(e.to_string())),
            }
            return Some(self.document(&headers, &block));
        }
        None
    }
}

impl WarcReader {
    /// Turn an HTTP response block into a document, or say why not.
    fn document(&self, warc: &Headers, block: &[u8]) -> Item {
        let http = match parse_http(block) {
            Ok(h) => h,
            Err(reason) => return self.skipped(reason),
        };
        if !(200..300).contains(&http.status) {
            return self.skipped(SkipReason::NotArticle(format!(
                "HTTP status {}",
                http.status
            )));
        }
        let content_type = http.header("content-type").unwrap_or("");
        let mime = content_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        let body_starts_with_tag = block[http.body_start..]
            .iter()
            .find(|b| !b.is_ascii_whitespace())
            .is_some_and(|&b| b == b'<');
        let is_html = match mime.as_str() {
            "text/html" | "application/xhtml+xml" => true,
            "" => body_starts_with_tag,
            _ => false,
        };
        if !is_html {
            return self.skipped(SkipReason::NotArticle(format!("content type {mime}")));
        }
        let body = match http_body(&http, &block[http.body_start..], self.max) {
            Ok(b) => b,
            Err(reason) => return self.skipped(reason),
        };
        let url = warc
            .get("warc-target-uri")
            .map(|u| u.trim_matches(['<', '>']).to_string());
        let tld = url.as_deref().and_then(tld_of);
        let hints = Hints {
            declared: charset_param(content_type.as_bytes()),
            html: true,
            tld: tld.as_deref().map(str::as_bytes),
        };
        let (text, encoding) = match decode(&body, hints) {
            Ok((t, e)) => (t, e.map(str::to_string)),
            Err(reason) => return self.skipped(reason),
        };
        let id = warc
            .get("warc-record-id")
            .map(|v| v.trim_matches(['<', '>']))
            .map(|v| v.strip_prefix("urn:uuid:").unwrap_or(v).to_string())
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| format!("{}-{}", self.stem, self.n));
        Ok(RawDoc {
            id: DocId(id),
            source: format!("{}#{}", self.path, self.n),
            kind: DocKind::Html,
            text,
            meta: RawMeta {
                title: None,
                published: None,
                outlet: None,
                url,
                crawled: warc.get("warc-date").map(str::to_string),
                encoding,
            },
        })
    }
}

/// A parsed HTTP response head.
struct HttpHead {
    status: u16,
    headers: Vec<(String, String)>,
    body_start: usize,
}

impl HttpHead {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

fn parse_http(block: &[u8]) -> Result<HttpHead, SkipReason> {
    let bad = |m: &str| SkipReason::MalformedWarc(format!("HTTP response: {m}"));
    let (head_end, body_start) = match (find(block, b"\r\n\r\n"), find(block, b"\n\n")) {
        (Some(a), Some(b)) if b + 2 < a + 4 => (b, b + 2),
        (Some(a), _) => (a, a + 4),
        (None, Some(b)) => (b, b + 2),
        (None, None) => return Err(bad("no end of headers")),
    };
    let head = String::from_utf8_lossy(&block[..head_end]);
    let mut lines = head.lines();
    let status_line = lines.next().unwrap_or("");
    if !status_line.starts_with("HTTP/") {
        return Err(bad("no status line"));
    }
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse::<u16>().ok())
        .ok_or_else(|| bad("no status code"))?;
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Ok(HttpHead {
        status,
        headers,
        body_start,
    })
}

/// The payload with transfer and content encodings undone (Common Crawl usually stores it
/// decoded already and renames those headers, in which case this is the identity).
fn http_body(http: &HttpHead, raw: &[u8], max: usize) -> Result<Vec<u8>, SkipReason> {
    let chunked = http
        .header("transfer-encoding")
        .is_some_and(|t| t.to_ascii_lowercase().contains("chunked"));
    let body = if chunked {
        dechunk(raw).unwrap_or_else(|| raw.to_vec())
    } else {
        raw.to_vec()
    };
    let encoding = http
        .header("content-encoding")
        .unwrap_or("identity")
        .trim()
        .to_ascii_lowercase();
    let mut out = Vec::new();
    let limit = max as u64 + 1;
    let res = match encoding.as_str() {
        "" | "identity" => return Ok(body),
        "gzip" | "x-gzip" => flate2::read::MultiGzDecoder::new(&body[..])
            .take(limit)
            .read_to_end(&mut out),
        "deflate" => {
            let zlib = flate2::read::ZlibDecoder::new(&body[..])
                .take(limit)
                .read_to_end(&mut out);
            if zlib.is_err() {
                out.clear();
                flate2::read::DeflateDecoder::new(&body[..])
                    .take(limit)
                    .read_to_end(&mut out)
            } else {
                zlib
            }
        }
        other => {
            return Err(SkipReason::InvalidEncoding(format!(
                "unsupported content encoding {other}"
            )))
        }
    };
    match res {
        Ok(n) if n as u64 >= limit => Err(SkipReason::Oversized {
            bytes: n as u64,
            limit: max as u64,
        }),
        Ok(_) => Ok(out),
        Err(e) => Err(SkipReason::InvalidEncoding(format!(
            "bad {encoding} body: {e}"
        ))),
    }
}

/// Undo `Transfer-Encoding: chunked`; `None` when the body is not chunked after all.
fn dechunk(mut raw: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(raw.len());
    loop {
        let eol = find(raw, b"\n")?;
        let size_line = std::str::from_utf8(&raw[..eol]).ok()?.trim();
        let size_hex = size_line.split(';').next()?.trim();
        let size = usize::from_str_radix(size_hex, 16).ok()?;
        raw = &raw[eol + 1..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(raw.get(..size)?);
        raw = &raw[size..];
        raw = raw
            .strip_prefix(b"\r\n")
            .or_else(|| raw.strip_prefix(b"\n"))
            .unwrap_or(raw);
    }
}

/// The top-level domain of a URL's host, lowercased (`"https://www.lemonde.fr/x"` → `"fr"`).
fn tld_of(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let host = host.split(':').next()?;
    let tld = host.rsplit('.').next()?.to_ascii_lowercase();
    (!tld.is_empty() && tld.bytes().all(|b| b.is_ascii_alphabetic())).then_some(tld)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dechunks() {
        assert_eq!(
            dechunk(b"4\r\nWiki\r\n5\r\npedia\r\n0\r\n\r\n").unwrap(),
            b"Wikipedia"
        );
        assert_eq!(dechunk(b"<html>"), None);
    }

    #[test]
    fn tlds() {
        assert_eq!(tld_of("https://www.lemonde.fr/a/b").as_deref(), Some("fr"));
        assert_eq!(
            tld_of("http://user@example.co.uk:8080/").as_deref(),
            Some("uk")
        );
        assert_eq!(tld_of("http://127.0.0.1/"), None);
    }
}
