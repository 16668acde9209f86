//! `annals analyze` on a folder mixing good inputs with bad ones: every good one is
//! analysed, every bad one is named with its reason, the exit code says so, nothing panics.

use std::process::Command;

const ARTICLE: &str = "Ministers met in Vienna on Friday to discuss the ceasefire, officials said.\n\nThe talks will resume next week, a spokesman added.\n";

#[test]
fn bad_files_are_reported_and_the_rest_is_analysed() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(p.join("good1.txt"), ARTICLE).unwrap();
    std::fs::write(p.join("good2.html"), format!("<html><head><title>Talks</title></head><body><article><p>{ARTICLE}</p></article></body></html>")).unwrap();
    std::fs::write(
        p.join("mixed.jsonl"),
        format!(
            "{}\n{{\"id\": \"broken\", \"text\": \n{}\n",
            serde_json::json!({"id": "j1", "text": ARTICLE}),
            serde_json::json!({"id": "j2", "text": ARTICLE})
        ),
    )
    .unwrap();
    std::fs::write(
        p.join("binary.txt"),
        b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00>\x00\x01\x00\x00\x00",
    )
    .unwrap();
    std::fs::write(p.join("empty.txt"), b"").unwrap();
    // legacy bytes: decoded as Windows-1252, analysed, and named in a note
    std::fs::write(
        p.join("invalid.txt"),
        b"Ministers met in Vienna on Friday \xff\xfe to discuss the ceasefire, officials said.\n",
    )
    .unwrap();
    // UTF-8 with a stray byte: corrupted, skipped with the offset of the bad byte
    let mut corrupt = "Café owners in Zürich said on Friday they would strike."
        .as_bytes()
        .to_vec();
    corrupt.insert(20, 0xff);
    std::fs::write(p.join("corrupt.txt"), corrupt).unwrap();
    std::fs::write(p.join("huge.txt"), vec![b'a'; 50 * 1024 * 1024]).unwrap();

    let out = Command::new(env!("CARGO_BIN_EXE_annals"))
        .args(["analyze", "--format", "jsonl"])
        .arg(p)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let ids: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| v["kind"] == "document")
        .map(|v| v["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, ["good1", "good2", "invalid", "j1", "j2"], "{stderr}");
    for (file, reason) in [
        ("invalid.txt", "not UTF-8; decoded as"),
        ("corrupt.txt", "invalid UTF-8"),
        ("binary.txt", "binary"),
        ("empty.txt", "empty"),
        ("huge.txt", "oversized"),
        ("mixed.jsonl:2", "malformed JSON"),
    ] {
        assert!(
            stderr
                .lines()
                .any(|l| l.contains(file) && l.contains(reason)),
            "{file}: {reason} not reported in\n{stderr}"
        );
    }
    let last = stderr.lines().last().unwrap();
    assert!(
        last.contains("5 documents read, 5 analysed, 5 skipped"),
        "{last}"
    );
}

#[test]
fn a_missing_path_is_reported_not_fatal() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.txt"), ARTICLE).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_annals"))
        .args(["analyze", "--format", "table"])
        .arg(dir.path().join("a.txt"))
        .arg(dir.path().join("nope.txt"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("nope.txt"), "{stderr}");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("a "),
        "the good file is still analysed"
    );
}

#[test]
fn stdin_is_read_with_a_dash() {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_annals"))
        .args(["analyze", "-", "--format", "json"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(ARTICLE.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["documents"][0]["body"]
        .as_str()
        .unwrap()
        .starts_with("Ministers met in Vienna"));
}
