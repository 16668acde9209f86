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

/// Run `annals analyze --format jsonl` on `args`, with a time limit (a hang is a failure,
/// not a stuck test run). Returns (exit code, ids of analysed documents, stderr).
fn analyze_jsonl(args: &[&std::path::Path]) -> (Option<i32>, Vec<String>, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_annals"));
    cmd.args(["analyze", "--format", "jsonl"]).args(args);
    let out = run_with_deadline(cmd, std::time::Duration::from_secs(120));
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let ids = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| v["kind"] == "document")
        .map(|v| v["id"].as_str().unwrap().to_string())
        .collect();
    (out.status.code(), ids, stderr)
}

fn run_with_deadline(mut cmd: Command, limit: std::time::Duration) -> std::process::Output {
    use std::process::Stdio;
    let child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(limit) {
        Ok(out) => out.unwrap(),
        Err(_) => {
            let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
            panic!("annals did not finish within {limit:?}");
        }
    }
}

fn assert_reported(stderr: &str, file: &str, reason: &str) {
    assert!(
        stderr
            .lines()
            .any(|l| l.starts_with("annals: skipped") && l.contains(file) && l.contains(reason)),
        "{file}: {reason:?} not reported in\n{stderr}"
    );
}

fn utf16(s: &str, big_endian: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let units = bom
        .then_some(0xfeff_u16)
        .into_iter()
        .chain(s.encode_utf16());
    for u in units {
        out.extend_from_slice(&if big_endian {
            u.to_be_bytes()
        } else {
            u.to_le_bytes()
        });
    }
    out
}

#[test]
fn encodings_are_decoded_or_named() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let text = "Ministers met in Zürich on Friday to discuss the ceasefire, officials said.\n";
    for (name, be, bom) in [
        ("u16le_bom", false, true),
        ("u16be_bom", true, true),
        ("u16le", false, false),
        ("u16be", true, false),
    ] {
        std::fs::write(p.join(format!("{name}.txt")), utf16(text, be, bom)).unwrap();
    }
    // one file, two encodings: UTF-8 "ü" then a Latin-1 "é"
    let mut mixed = "Ministers met in Zürich on Friday, officials said.\n"
        .as_bytes()
        .to_vec();
    mixed.extend_from_slice(b"The caf\xe9 was closed, a spokesman added.\n");
    std::fs::write(p.join("mixed.txt"), mixed).unwrap();
    // Latin-1 only: decoded, with a note
    std::fs::write(
        p.join("latin1.txt"),
        b"Ministers met in Z\xfcrich on Friday to discuss the ceasefire, officials said.\n",
    )
    .unwrap();

    let mut cmd = Command::new(env!("CARGO_BIN_EXE_annals"));
    cmd.args(["analyze", "--format", "json"]).arg(p);
    let out = run_with_deadline(cmd, std::time::Duration::from_secs(120));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let bodies: std::collections::BTreeMap<String, String> = v["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["id"].as_str().unwrap().to_string(),
                d["body"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    for id in ["u16le_bom", "u16be_bom", "u16le", "u16be", "latin1"] {
        assert_eq!(
            bodies.get(id).map(String::as_str),
            Some(text.trim()),
            "{id}: {stderr}"
        );
    }
    assert!(
        stderr.contains("latin1.txt: not UTF-8; decoded as"),
        "{stderr}"
    );
    // mixed: mostly UTF-8 with a stray legacy byte is corrupt, and named with its offset
    assert!(!bodies.contains_key("mixed"), "{bodies:?}");
    assert_reported(&stderr, "mixed.txt", "invalid encoding");
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let last = stderr.lines().last().unwrap();
    assert!(
        last.contains("5 documents read, 5 analysed, 1 skipped (invalid_encoding 1)"),
        "{last}"
    );
}

/// A 100 MB line: over the 10 MiB document limit, so skipped by name (and line, in JSONL)
/// without being held in memory, while the lines around it are analysed.
#[test]
fn a_hundred_megabyte_line_is_skipped_by_the_size_limit() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let big = vec![b'a'; 100 * 1024 * 1024];
    std::fs::write(p.join("line.txt"), &big).unwrap();
    let mut f = std::io::BufWriter::new(std::fs::File::create(p.join("feed.jsonl")).unwrap());
    writeln!(
        f,
        "{}",
        serde_json::json!({"id": "before", "text": ARTICLE})
    )
    .unwrap();
    f.write_all(b"{\"id\": \"huge\", \"text\": \"").unwrap();
    f.write_all(&big).unwrap();
    f.write_all(b"\"}\n").unwrap();
    writeln!(f, "{}", serde_json::json!({"id": "after", "text": ARTICLE})).unwrap();
    drop(f);
    drop(big);
    let started = std::time::Instant::now();
    let (code, ids, stderr) = analyze_jsonl(&[p]);
    assert_eq!(ids, ["before", "after"], "{stderr}");
    assert_reported(&stderr, "feed.jsonl:2", "oversized");
    assert_reported(&stderr, "line.txt", "oversized: 104857600 bytes");
    assert_eq!(code, Some(1));
    assert!(
        stderr
            .lines()
            .last()
            .unwrap()
            .contains("2 documents read, 2 analysed, 2 skipped (oversized 2)"),
        "{stderr}"
    );
    assert!(
        started.elapsed() < std::time::Duration::from_secs(60),
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn html_nested_ten_thousand_deep_does_not_crash() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let deep = format!(
        "<html><body>{}<p>{ARTICLE}</p>{}</body></html>",
        "<div>".repeat(10_000),
        "</div>".repeat(10_000)
    );
    std::fs::write(p.join("deep.html"), deep).unwrap();
    let spans = format!(
        "<html><body><article><p>{ARTICLE}</p></article>{}</body></html>",
        "<span><b><i>".repeat(4_000)
    );
    std::fs::write(p.join("unclosed.html"), spans).unwrap();
    // ten times deeper: was quadratic in the HTML parser (49 s), now flattened past 512
    let deeper = format!(
        "<html><body>{}<p>{ARTICLE}</p>{}</body></html>",
        "<div>".repeat(100_000),
        "</div>".repeat(100_000)
    );
    std::fs::write(p.join("deeper.html"), deeper).unwrap();
    std::fs::write(p.join("good.txt"), ARTICLE).unwrap();
    let started = std::time::Instant::now();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_annals"));
    cmd.args(["analyze", "--format", "json"]).arg(p);
    let out = run_with_deadline(cmd, std::time::Duration::from_secs(120));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let docs = v["documents"].as_array().unwrap();
    let ids: Vec<&str> = docs.iter().map(|d| d["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["deep", "deeper", "good", "unclosed"], "{stderr}");
    for d in docs {
        let body = d["body"].as_str().unwrap();
        assert!(
            body.starts_with("Ministers met in Vienna") && body.ends_with("a spokesman added."),
            "{body}"
        );
    }
    assert!(
        started.elapsed() < std::time::Duration::from_secs(30),
        "took {:?}",
        started.elapsed()
    );
}

#[cfg(unix)]
#[test]
fn a_file_that_vanishes_mid_run_is_reported() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().to_path_buf();
    std::fs::write(p.join("a.txt"), ARTICLE).unwrap();
    let fifo = p.join("b.txt");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    std::fs::write(p.join("c.txt"), ARTICLE).unwrap();
    std::fs::write(p.join("d.txt"), ARTICLE).unwrap();
    let writer = {
        let p = p.clone();
        std::thread::spawn(move || {
            // blocks until annals opens the FIFO to read it, after it listed the folder
            let mut w = std::fs::OpenOptions::new()
                .write(true)
                .open(p.join("b.txt"))
                .unwrap();
            std::fs::remove_file(p.join("c.txt")).unwrap();
            w.write_all(ARTICLE.as_bytes()).unwrap();
        })
    };
    let (code, ids, stderr) = analyze_jsonl(&[&p]);
    writer.join().unwrap();
    assert_eq!(ids, ["a", "b", "d"], "{stderr}");
    assert_reported(&stderr, "c.txt", "unreadable");
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr
            .lines()
            .last()
            .unwrap()
            .contains("3 documents read, 3 analysed, 1 skipped (unreadable 1)"),
        "{stderr}"
    );
}

#[cfg(unix)]
#[test]
fn symlink_loops_end() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(p.join("a.txt"), ARTICLE).unwrap();
    // a link to its own folder (not followed) and two links to each other (ELOOP)
    symlink(p, p.join("self")).unwrap();
    symlink(p.join("loop2.txt"), p.join("loop1.txt")).unwrap();
    symlink(p.join("loop1.txt"), p.join("loop2.txt")).unwrap();
    symlink(p.join("gone.txt"), p.join("dangling.txt")).unwrap();
    let (code, ids, stderr) = analyze_jsonl(&[p]);
    assert_eq!(ids, ["a"], "{stderr}");
    for f in ["loop1.txt", "loop2.txt", "dangling.txt"] {
        assert_reported(&stderr, f, "unreadable");
    }
    assert_eq!(code, Some(1));
    assert!(
        stderr
            .lines()
            .last()
            .unwrap()
            .contains("1 documents read, 1 analysed, 3 skipped (unreadable 3)"),
        "{stderr}"
    );
    // a loop named on the command line is reported too
    let (code, ids, stderr) = analyze_jsonl(&[&p.join("loop1.txt")]);
    assert!(ids.is_empty());
    assert_reported(&stderr, "loop1.txt", "unreadable");
    assert_eq!(code, Some(1));
}

#[cfg(unix)]
#[test]
fn unreadable_files_and_folders_are_reported() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(p.join("a.txt"), ARTICLE).unwrap();
    std::fs::write(p.join("locked.txt"), ARTICLE).unwrap();
    std::fs::create_dir(p.join("sealed")).unwrap();
    std::fs::write(p.join("sealed/inner.txt"), ARTICLE).unwrap();
    std::fs::set_permissions(p.join("locked.txt"), std::fs::Permissions::from_mode(0o000)).unwrap();
    std::fs::set_permissions(p.join("sealed"), std::fs::Permissions::from_mode(0o000)).unwrap();
    let privileged = std::fs::read(p.join("locked.txt")).is_ok();
    let (code, ids, stderr) = analyze_jsonl(&[p]);
    // let the temporary folder be removed
    std::fs::set_permissions(p.join("sealed"), std::fs::Permissions::from_mode(0o755)).unwrap();
    if privileged {
        eprintln!(
            "skipped the permission checks: this test runs with privileges (root) that read \
             files whatever their mode"
        );
        assert_eq!(ids, ["a", "locked", "inner"], "{stderr}");
        return;
    }
    assert_eq!(ids, ["a"], "{stderr}");
    assert_reported(&stderr, "locked.txt", "unreadable");
    assert_reported(&stderr, "sealed", "unreadable");
    assert_eq!(code, Some(1));
    assert!(
        stderr
            .lines()
            .last()
            .unwrap()
            .contains("1 documents read, 1 analysed, 2 skipped (unreadable 2)"),
        "{stderr}"
    );
}
