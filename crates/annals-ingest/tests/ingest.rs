//! Integration tests: fixtures under `tests/fixtures/`, plus WARC and oversized inputs made
//! at test time in a temporary folder.

use annals_ingest::{open, IngestOptions, IngestStats, Item, SkipReason};
use annals_model::{DocKind, RawDoc};
use flate2::{write::GzEncoder, Compression};
use std::io::Write;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn corpus() -> PathBuf {
    fixtures().join("corpus")
}

fn all(inputs: &[PathBuf]) -> Vec<Item> {
    open(inputs, IngestOptions::default()).collect()
}

fn one_doc(path: PathBuf) -> RawDoc {
    let mut items = all(&[path]);
    assert_eq!(items.len(), 1, "{items:?}");
    items.remove(0).expect("a document")
}

/// What a person checks: the order of documents (by id) and skips (by file name and reason).
fn summary(items: &[Item]) -> Vec<String> {
    items
        .iter()
        .map(|item| match item {
            Ok(doc) => format!("doc {}", doc.id),
            Err(skip) => {
                let name = Path::new(&skip.source)
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                let at = skip.line.map(|l| format!(":{l}")).unwrap_or_default();
                format!("skip {name}{at} {}", skip.reason.code())
            }
        })
        .collect()
}

#[test]
fn folder_is_walked_recursively_in_sorted_order() {
    let items = all(&[corpus()]);
    assert_eq!(
        summary(&items),
        [
            "skip blank.txt empty",
            "doc cp1252",
            "doc crlf_nul",
            "skip empty.txt empty",
            "skip garbage.txt binary",
            "skip image.txt binary",
            "doc latin1",
            "doc a1",
            "doc feed:2",
            "skip feed.jsonl:4 malformed_json",
            "doc h1",
            "skip feed.jsonl:6 empty",
            "skip feed.jsonl:7 malformed_json",
            "doc 7",
            "doc story",
            "skip notes.md unsupported_extension",
            "doc page",
            "doc utf16be",
            "doc utf16le",
            "doc utf8bom",
        ]
    );
    let mut stats = IngestStats::default();
    items.iter().for_each(|i| stats.record(i));
    assert_eq!(stats.read, 12);
    assert_eq!(stats.skipped_total(), 8);
    assert_eq!(stats.skipped["binary"], 2);
}

#[test]
fn utf16_with_bom_is_decoded() {
    let expected = "Storm hits coast.\nResidents said the wind was “unprecedented”.\n";
    for name in ["utf16le.txt", "utf16be.txt"] {
        let doc = one_doc(corpus().join(name));
        assert_eq!(doc.text, expected, "{name}");
        assert_eq!(doc.kind, DocKind::Text);
    }
}

#[test]
fn windows_1252_and_latin1_are_detected() {
    let doc = one_doc(corpus().join("cp1252.txt"));
    assert_eq!(
        doc.text,
        "“We will rebuild,” the mayor of Orléans said on Monday. The café reopened – slowly.\n"
    );
    let doc = one_doc(corpus().join("latin1.txt"));
    assert_eq!(
        doc.text,
        "The président met Müller in Señor Pérez's office; the bill came to £40.\n"
    );
}

#[test]
fn utf8_bom_is_stripped() {
    assert_eq!(
        one_doc(corpus().join("utf8bom.txt")).text,
        "Zürich police said nothing.\n"
    );
}

#[test]
fn crlf_is_kept_and_nuls_are_removed() {
    let doc = one_doc(corpus().join("crlf_nul.txt"));
    assert_eq!(doc.text, "First line of the report.\r\nSecond line, with a stray NUL.\r\n\r\nThird paragraph here.\r\n");
    assert_eq!(doc.id.as_str(), "crlf_nul");
    assert!(doc.source.ends_with("corpus/crlf_nul.txt"));
}

#[test]
fn html_file_uses_its_meta_charset() {
    let doc = one_doc(corpus().join("page.html"));
    assert_eq!(doc.kind, DocKind::Html);
    assert!(doc.text.contains("<title>Café</title>"), "{}", doc.text);
    assert!(doc.text.contains("<p>“Hi”</p>"));
}

#[test]
fn jsonl_fields_ids_and_errors() {
    let path = corpus().join("nested/feed.jsonl");
    let items = all(std::slice::from_ref(&path));
    let docs: Vec<&RawDoc> = items.iter().filter_map(|i| i.as_ref().ok()).collect();
    let a1 = docs[0];
    assert_eq!(a1.text, "Ministers met in Brussels.");
    assert_eq!(a1.meta.title.as_deref(), Some("Talks"));
    assert_eq!(a1.meta.published.as_deref(), Some("2015-12-01"));
    assert_eq!(a1.meta.outlet.as_deref(), Some("Example News"));
    assert_eq!(a1.meta.url.as_deref(), Some("https://example.com/a1"));
    assert_eq!(a1.source, format!("{}:1", path.display()));
    assert_eq!(docs[1].id.as_str(), "feed:2", "missing id → stem:line");
    assert_eq!(
        docs[1].meta.published.as_deref(),
        Some("2016-01-02"),
        "`date` is an alias"
    );
    assert_eq!(docs[2].kind, DocKind::Html);

    let bad = items.iter().find_map(|i| i.as_ref().err()).unwrap();
    assert_eq!(bad.line, Some(4));
    assert_eq!(
        bad.to_string(),
        format!(
            "{}:4: malformed JSON: EOF while parsing an object at column 32",
            path.display()
        )
    );
}

#[test]
fn explicit_file_with_unknown_extension_is_sniffed() {
    let dir = tempfile::tempdir().unwrap();
    let jsonl = dir.path().join("export.dat");
    std::fs::write(
        &jsonl,
        "{\"id\":\"x\",\"text\":\"One.\"}\n{\"id\":\"y\",\"text\":\"Two.\"}\n",
    )
    .unwrap();
    let html = dir.path().join("page.unknown");
    std::fs::write(&html, "  <html><body><p>Hi</p></body></html>").unwrap();
    let text = dir.path().join("README");
    std::fs::write(&text, "Just words.").unwrap();
    let items = all(&[jsonl, html, text]);
    assert_eq!(
        summary(&items),
        ["doc x", "doc y", "doc page", "doc README"]
    );
    assert_eq!(items[2].as_ref().unwrap().kind, DocKind::Html);
    assert_eq!(items[3].as_ref().unwrap().kind, DocKind::Text);
}

#[test]
fn missing_input_is_unreadable_and_the_stream_goes_on() {
    let items = all(&[
        PathBuf::from("/no/such/file.txt"),
        corpus().join("latin1.txt"),
    ]);
    assert!(matches!(&items[0], Err(s) if matches!(s.reason, SkipReason::Unreadable(_))));
    assert!(items[1].is_ok());
}

#[test]
fn oversized_files_and_lines_are_skipped_without_reading_them_whole() {
    let dir = tempfile::tempdir().unwrap();
    // a sparse 50 MB single-line file: rejected from its metadata
    let big = dir.path().join("big.txt");
    std::fs::File::create(&big)
        .unwrap()
        .set_len(50 * 1024 * 1024)
        .unwrap();
    // a JSONL file whose second line is 50 MB: that line is skipped, the next one is read
    let feed = dir.path().join("big.jsonl");
    {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&feed).unwrap());
        writeln!(f, "{{\"id\":\"before\",\"text\":\"ok\"}}").unwrap();
        write!(f, "{{\"id\":\"huge\",\"text\":\"").unwrap();
        let chunk = vec![b'a'; 1024 * 1024];
        for _ in 0..50 {
            f.write_all(&chunk).unwrap();
        }
        writeln!(f, "\"}}").unwrap();
        writeln!(f, "{{\"id\":\"after\",\"text\":\"ok\"}}").unwrap();
    }
    let items = all(&[big, feed]);
    assert_eq!(
        summary(&items),
        [
            "skip big.txt oversized",
            "doc before",
            "skip big.jsonl:2 oversized",
            "doc after"
        ]
    );
    assert!(items[0]
        .as_ref()
        .unwrap_err()
        .to_string()
        .ends_with("oversized: 52428800 bytes, over the limit of 10485760"));

    let small = IngestOptions { max_doc_bytes: 10 };
    let items: Vec<Item> = open([corpus().join("latin1.txt")], small).collect();
    assert!(
        matches!(&items[0], Err(s) if matches!(s.reason, SkipReason::Oversized { limit: 10, .. }))
    );
}

// ---- WARC ----------------------------------------------------------------------------

/// One WARC record with the given type, target and block.
fn warc_record(
    warc_type: &str,
    uri: &str,
    uuid: Option<&str>,
    content_type: &str,
    block: &[u8],
) -> Vec<u8> {
    let mut out = Vec::new();
    write!(out, "WARC/1.0\r\nWARC-Type: {warc_type}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2016-08-26T13:36:12Z\r\n").unwrap();
    if let Some(uuid) = uuid {
        write!(out, "WARC-Record-ID: <urn:uuid:{uuid}>\r\n").unwrap();
    }
    write!(
        out,
        "Content-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        block.len()
    )
    .unwrap();
    out.extend_from_slice(block);
    out.extend_from_slice(b"\r\n\r\n");
    out
}

/// An HTTP response block.
fn http(status: &str, headers: &[&str], body: &[u8]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status}\r\n").into_bytes();
    for h in headers {
        out.extend_from_slice(h.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(body);
    out
}

fn response(uri: &str, uuid: Option<&str>, block: &[u8]) -> Vec<u8> {
    warc_record(
        "response",
        uri,
        uuid,
        "application/http; msgtype=response",
        block,
    )
}

/// The records of a small CC-NEWS-like crawl.
fn crawl() -> Vec<Vec<u8>> {
    let gz_body = {
        let mut e = GzEncoder::new(Vec::new(), Compression::default());
        e.write_all(b"<html><body><p>Compressed page.</p></body></html>")
            .unwrap();
        e.finish().unwrap()
    };
    vec![
        warc_record(
            "warcinfo",
            "",
            None,
            "application/warc-fields",
            b"software: test\r\n",
        ),
        warc_record(
            "request",
            "https://news.example.com/a",
            None,
            "application/http; msgtype=request",
            b"GET /a HTTP/1.1\r\n\r\n",
        ),
        response(
            "https://news.example.com/a",
            Some("11111111-2222-3333-4444-555555555555"),
            &http(
                "200 OK",
                &["Content-Type: text/html; charset=UTF-8"],
                "<html><body><p>Zürich story.</p></body></html>".as_bytes(),
            ),
        ),
        response(
            "https://journal.example.fr/b",
            None,
            &http(
                "200 OK",
                &["Content-Type: text/html; charset=iso-8859-1"],
                b"<html><body><p>\x93Caf\xe9\x94</p></body></html>",
            ),
        ),
        response(
            "https://news.example.com/logo.png",
            None,
            &http("200 OK", &["Content-Type: image/png"], b"\x89PNG\r\n\x1a\n"),
        ),
        response(
            "https://news.example.com/gone",
            None,
            &http(
                "404 Not Found",
                &["Content-Type: text/html"],
                b"<html>gone</html>",
            ),
        ),
        response(
            "https://news.example.com/c",
            None,
            &http(
                "200 OK",
                &["Content-Type: text/html", "Content-Encoding: gzip"],
                &gz_body,
            ),
        ),
        response(
            "https://news.example.com/d",
            None,
            &http(
                "200 OK",
                &["Content-Type: text/html", "Transfer-Encoding: chunked"],
                b"6\r\n<p>Chu\r\n9\r\nnked.</p>\r\n0\r\n\r\n",
            ),
        ),
    ]
}

fn check_crawl(items: &[Item], path: &Path, stem: &str) {
    assert_eq!(
        summary(items),
        [
            "doc 11111111-2222-3333-4444-555555555555".to_string(),
            format!("doc {stem}-4"),
            format!(
                "skip {} not_article",
                path.file_name().unwrap().to_string_lossy()
            ),
            format!(
                "skip {} not_article",
                path.file_name().unwrap().to_string_lossy()
            ),
            format!("doc {stem}-7"),
            format!("doc {stem}-8"),
        ]
    );
    let a = items[0].as_ref().unwrap();
    assert_eq!(a.kind, DocKind::Html);
    assert_eq!(a.text, "<html><body><p>Zürich story.</p></body></html>");
    assert_eq!(a.source, format!("{}#3", path.display()));
    assert_eq!(a.meta.url.as_deref(), Some("https://news.example.com/a"));
    assert_eq!(a.meta.crawled.as_deref(), Some("2016-08-26T13:36:12Z"));
    let b = items[1].as_ref().unwrap();
    assert_eq!(
        b.text, "<html><body><p>“Café”</p></body></html>",
        "iso-8859-1 is read as windows-1252"
    );
    let png = items[2].as_ref().unwrap_err();
    assert_eq!(png.record, Some(5));
    assert!(
        png.to_string()
            .ends_with("#5: not an article: content type image/png"),
        "{png}"
    );
    assert!(items[3]
        .as_ref()
        .unwrap_err()
        .to_string()
        .ends_with("not an article: HTTP status 404"));
    assert_eq!(
        items[4].as_ref().unwrap().text,
        "<html><body><p>Compressed page.</p></body></html>"
    );
    assert_eq!(items[5].as_ref().unwrap().text, "<p>Chunked.</p>");
}

#[test]
fn warc_yields_html_responses() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("CC-NEWS-test.warc");
    std::fs::write(&path, crawl().concat()).unwrap();
    let items = all(std::slice::from_ref(&path));
    check_crawl(&items, &path, "CC-NEWS-test");
}

#[test]
fn multi_member_warc_gz_streams() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("CC-NEWS-test.warc.gz");
    let mut bytes = Vec::new();
    for record in crawl() {
        // one gzip member per record, as Common Crawl writes them
        let mut e = GzEncoder::new(Vec::new(), Compression::fast());
        e.write_all(&record).unwrap();
        bytes.extend(e.finish().unwrap());
    }
    std::fs::write(&path, bytes).unwrap();
    let items = all(std::slice::from_ref(&path));
    check_crawl(&items, &path, "CC-NEWS-test");
}

#[test]
fn warc_oversized_record_and_truncation() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.warc");
    let small = response(
        "https://x.example/s",
        None,
        &http("200 OK", &["Content-Type: text/html"], b"<p>small</p>"),
    );
    let big_body = format!("<p>{}</p>", "x".repeat(5000));
    let big = response(
        "https://x.example/b",
        None,
        &http("200 OK", &["Content-Type: text/html"], big_body.as_bytes()),
    );
    let mut bytes = [big, small.clone()].concat();
    bytes.extend_from_slice(&small[..small.len() / 2]); // a truncated last record
    std::fs::write(&path, bytes).unwrap();
    let items: Vec<Item> = open(
        [&path],
        IngestOptions {
            max_doc_bytes: 1000,
        },
    )
    .collect();
    assert_eq!(
        summary(&items),
        [
            "skip t.warc oversized",
            "doc t-2",
            "skip t.warc malformed_warc"
        ]
    );
    assert_eq!(items[2].as_ref().unwrap_err().record, Some(3));

    std::fs::write(&path, b"this is not a warc file\n").unwrap();
    let items = all(std::slice::from_ref(&path));
    assert_eq!(summary(&items), ["skip t.warc malformed_warc"]);
}

#[test]
fn the_stream_runs_on_another_thread() {
    let stream = open([corpus()], IngestOptions::default());
    let n = std::thread::spawn(move || stream.filter(Result::is_ok).count())
        .join()
        .unwrap();
    assert_eq!(n, 12);
}
