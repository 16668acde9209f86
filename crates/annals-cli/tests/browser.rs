//! End-to-end browser tests: a store of the sample corpus, a story and a hostile document;
//! `annals serve` on it; then `e2e/desk.test.mjs`, where playwright-core drives Debian's
//! headless chromium through the UI. Skipped, saying why, when node, chromium or
//! playwright-core are missing (`bash e2e/setup.sh` installs the last two).

use std::path::Path;
use std::process::Command;

mod common;
use common::root;

/// Why the browser tests cannot run here, if they cannot.
fn missing() -> Option<String> {
    let node = Command::new("node").arg("--version").output();
    if !node.is_ok_and(|o| o.status.success()) {
        return Some("node is not installed".into());
    }
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !Path::new(&chromium).exists() {
        return Some(format!(
            "no chromium at {chromium} (apt-get install chromium, or set CHROMIUM)"
        ));
    }
    if !root().join("e2e/node_modules/playwright-core").exists() {
        return Some("playwright-core is not installed (cd e2e && npm ci)".into());
    }
    None
}

#[test]
fn the_desk_in_a_browser() {
    if let Some(why) = missing() {
        eprintln!("browser tests skipped: {why}; `bash e2e/setup.sh` installs what they need");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.db");
    // a document that tries to run script in the reader's browser
    let xss = dir.path().join("hostile.jsonl");
    let hostile = serde_json::json!({
        "id": "xss",
        "title": "<script>window.__xss = 1</script> Officials meet",
        "published": "2015-10-02",
        "text": "Russian and Turkish officials met in Ankara on Friday to discuss the war in Syria. \
                 A note left in the page read <img src=x onerror=\"window.__xss = 2\"> and also \
                 <script>window.__xss = 3</script> but it is only text. The officials said the \
                 talks would continue next week in Moscow, according to a statement."
    });
    std::fs::write(&xss, format!("{hostile}\n")).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_annals"))
        .current_dir(root())
        .args(["ingest", "examples/seeds"])
        .arg(&xss)
        .arg("--db")
        .arg(&db)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // the analysis makes no stories yet: give the store one, as a later annals will
    let store = annals_store::Store::open(&db).unwrap();
    let docs: Vec<String> = store
        .documents(&annals_store::ListFilter::default())
        .unwrap()
        .items
        .into_iter()
        .map(|d| d.id)
        .filter(|id| id != "xss")
        .collect();
    store
        .replace_stories_json(&[serde_json::json!({
            "id": "s1",
            "title": "Russia, the coalition and Syria",
            "docs": docs,
        })])
        .unwrap();
    drop(store);

    let (mut server, url) = common::serve(&db);
    let shots = std::env::var("SCREENSHOT_DIR").ok();
    let mut node = Command::new("node");
    node.current_dir(root())
        .args(["--test", "--test-reporter=spec", "e2e/desk.test.mjs"])
        .env("ANNALS_URL", &url);
    if let Some(s) = shots {
        node.env("SCREENSHOT_DIR", s);
    }
    let out = node.output().unwrap();
    server.kill().unwrap();
    server.wait().unwrap();
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!("{report}");
    assert!(out.status.success(), "browser tests failed:\n{report}");
    assert!(
        !report.contains("# skipped") || report.contains("# skipped 0"),
        "{report}"
    );
}
