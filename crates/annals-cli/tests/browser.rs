//! End-to-end browser tests: a store of the sample corpus, as `annals ingest` makes it
//! (with the stories, relations and stances of the analysis), plus a hostile document;
//! `annals serve` on it; then `e2e/desk.test.mjs`, where playwright-core drives Debian's
//! headless chromium through the UI. Without node, chromium or playwright-core (`bash
//! e2e/setup.sh` installs the last two) they are skipped, saying why, except when the
//! environment variable `CI` is set: then they fail.
//!
//! Screenshots of each page go to `SCREENSHOT_DIR`, by default `e2e-screenshots` in the
//! target directory (`target/e2e-screenshots`, or under `CARGO_TARGET_DIR`).

use std::path::{Path, PathBuf};
use std::process::Command;

#[allow(dead_code)] // each test file uses some of the helpers
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

/// Where the screenshots go: `SCREENSHOT_DIR`, else `e2e-screenshots` in the target
/// directory this test was built in.
fn screenshot_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("SCREENSHOT_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(d);
    }
    // the binary is TARGET/PROFILE/annals
    let exe = Path::new(env!("CARGO_BIN_EXE_annals"));
    let target = exe
        .parent()
        .and_then(Path::parent)
        .map_or_else(|| root().join("target"), Path::to_path_buf);
    target.join("e2e-screenshots")
}

#[test]
fn the_desk_in_a_browser() {
    if let Some(why) = missing() {
        let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty());
        assert!(
            !ci,
            "browser tests cannot run in CI: {why}; `bash e2e/setup.sh` installs what they need"
        );
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
    common::succeed(
        common::annals()
            .args(["ingest", "examples/seeds"])
            .arg(&xss)
            .arg("--db")
            .arg(&db),
    );
    let store = annals_store::Store::open(&db).unwrap();
    let status = store.status().unwrap();
    assert!(
        status.stories > 1 && !status.events_stale,
        "the ingest made the stories: {status:?}"
    );
    drop(store);

    let (mut server, url) = common::serve(&db);
    let shots = screenshot_dir();
    let out = Command::new("node")
        .current_dir(root())
        .args(["--test", "--test-reporter=spec", "e2e/desk.test.mjs"])
        .env("ANNALS_URL", &url)
        .env("SCREENSHOT_DIR", &shots)
        .output()
        .unwrap();
    server.kill().unwrap();
    server.wait().unwrap();
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    eprintln!("{report}");
    eprintln!("screenshots: {}", shots.display());
    assert!(
        out.status.success(),
        "browser tests failed (screenshots in {}):\n{report}",
        shots.display()
    );
    assert!(
        !report.contains("# skipped") || report.contains("# skipped 0"),
        "{report}"
    );
}
