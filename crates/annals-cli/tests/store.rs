//! `annals ingest` and `annals serve` on the sample corpus: the store holds what `analyze`
//! prints (events, stories, relations, stances), a second ingest changes nothing, an
//! ingest split over two runs or killed and resumed ends as one run does, and the server
//! answers on loopback.

use annals_store::{EventFilter, SearchQuery, Store};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Stdio;

#[allow(dead_code)] // each test file uses some of the helpers
mod common;
use common::{annals, root, serve, succeed};
use std::time::{Duration, Instant};

fn ingest(paths: &[&Path], db: &Path) -> String {
    let out = succeed(
        annals()
            .arg("ingest")
            .args(paths)
            .arg("--db")
            .arg(db)
            .args(["--threads", "2"]),
    );
    String::from_utf8_lossy(&out.stderr).to_string()
}

fn analyze(path: &Path) -> serde_json::Value {
    let out = succeed(annals().arg("analyze").arg(path).args([
        "--format",
        "json",
        "--threads",
        "2",
        "--quiet",
    ]));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Events as (code, source, target, date, reports), counted: what must not depend on
/// how the corpus reached the store.
fn event_keys<'a>(events: impl Iterator<Item = &'a serde_json::Value>) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for e in events {
        let key = format!(
            "{} {} {} {} {}",
            e["cameo"],
            e["source"],
            e["target"],
            e["date"],
            e["mentions"].as_array().map_or(0, Vec::len)
        );
        *m.entry(key).or_default() += 1;
    }
    m
}

fn stored_events(store: &Store) -> Vec<serde_json::Value> {
    store
        .events(&EventFilter {
            limit: 1000,
            ..Default::default()
        })
        .unwrap()
        .items
}

/// A story without its ids of events (the store gives merged events ids of its own):
/// members, copies, title, dates, outlets, summary and the timeline's entries.
fn story_key(s: &serde_json::Value) -> serde_json::Value {
    let mut s = s.clone();
    for t in s["timeline"].as_array_mut().into_iter().flatten() {
        t.as_object_mut().unwrap().remove("event");
    }
    s
}

fn stored_stories(store: &Store) -> Vec<serde_json::Value> {
    store
        .stories()
        .unwrap()
        .iter()
        .map(|s| story_key(&store.story(&s.id).unwrap().story))
        .collect()
}

/// Records as sorted JSON strings: the same set, whatever order they are listed in.
fn sorted(records: &[serde_json::Value]) -> Vec<String> {
    let mut v: Vec<String> = records.iter().map(|r| r.to_string()).collect();
    v.sort();
    v
}

/// The store's stories, relations and stances are the ones `analyze` prints.
fn assert_cross_records_as_analyze(store: &Store, json: &serde_json::Value) {
    let stories = stored_stories(store);
    let expected: Vec<serde_json::Value> = json["stories"]
        .as_array()
        .unwrap()
        .iter()
        .map(story_key)
        .collect();
    assert_eq!(stories, expected, "the stories analyze makes, in its order");
    let relations = store.relations(None).unwrap();
    assert_eq!(
        sorted(&relations),
        sorted(json["relations"].as_array().unwrap())
    );
    let stances = store.stances(None).unwrap();
    assert_eq!(
        sorted(&stances),
        sorted(json["stances"].as_array().unwrap())
    );
}

#[test]
fn ingest_stores_stories_relations_and_stances_as_analyze_makes_them() {
    let dir = tempfile::tempdir().unwrap();
    let seeds = root().join("examples/seeds");
    let json = analyze(&seeds);
    let db = dir.path().join("one.db");
    let stderr = ingest(&[&seeds], &db);
    assert!(stderr.contains("(made now)"), "{stderr}");
    let store = Store::open(&db).unwrap();
    let status = store.status().unwrap();
    assert!(!status.events_stale);
    assert!(status.stories > 0 && status.relations > 0 && status.stances > 0);
    // every document is in a story
    let mut members: Vec<String> = store
        .stories()
        .unwrap()
        .iter()
        .flat_map(|s| store.story(&s.id).unwrap().documents)
        .map(|d| d.id)
        .collect();
    members.sort();
    let mut docs: Vec<String> = store
        .documents(&Default::default())
        .unwrap()
        .items
        .into_iter()
        .map(|d| d.id)
        .collect();
    docs.sort();
    assert_eq!(members, docs);
    assert_cross_records_as_analyze(&store, &json);
    // each timeline entry names a stored event
    for s in store.stories().unwrap() {
        let page = store.story(&s.id).unwrap();
        let entries = page.story["timeline"].as_array().unwrap();
        assert_eq!(page.timeline.len(), entries.len(), "{}", s.id);
        for (t, e) in entries.iter().zip(&page.timeline) {
            assert_eq!(t["event"], e["id"]);
        }
    }
    let before = stored_stories(&store);
    drop(store);

    // again: nothing new, nothing rebuilt, the same records
    let again = ingest(&[&seeds], &db);
    assert!(!again.contains("(made now)"), "{again}");
    let store = Store::open(&db).unwrap();
    assert_eq!(stored_stories(&store), before);
    assert_cross_records_as_analyze(&store, &json);
    drop(store);

    // the corpus in two runs: the first two files, then the folder
    let db = dir.path().join("two.db");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&seeds)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let first: Vec<&Path> = files[..2].iter().map(PathBuf::as_path).collect();
    ingest(&first, &db);
    let store = Store::open(&db).unwrap();
    assert_eq!(store.status().unwrap().documents, 2);
    let partial = store.stories().unwrap();
    assert!(!partial.is_empty());
    drop(store);
    let rest = ingest(&[&seeds], &db);
    assert!(
        rest.contains("3 documents stored, 0 replaced, 2 already stored"),
        "{rest}"
    );
    let store = Store::open(&db).unwrap();
    assert_eq!(stored_stories(&store), before, "as one run made them");
    assert_cross_records_as_analyze(&store, &json);
}

#[test]
fn documents_stored_without_story_input_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("old.db");
    // a document as an annals from before story inputs were kept stored it
    let store = Store::open(&db).unwrap();
    let body = "Russia and Turkey held talks in Ankara on Monday.";
    let doc = annals_model::output::DocumentRecord {
        id: "old".into(),
        source: "old.txt".into(),
        title: None,
        published: Some("2015-10-05".into()),
        outlet: None,
        url: None,
        body: body.into(),
        paragraphs: 1,
        sentences: 1,
        tokens: 10,
    };
    let bundle = annals_store::DocBundle::new(doc, annals_store::content_hash(body));
    store.write_batch(&[bundle]).unwrap();
    drop(store);
    let seed = root().join("examples/seeds/000_ae3c5143b341e0fa.txt");
    let stderr = ingest(&[&seed], &db);
    assert!(
        stderr.contains("warning: 1 stored documents have no story input"),
        "{stderr}"
    );
    let store = Store::open(&db).unwrap();
    let status = store.status().unwrap();
    assert_eq!((status.documents, status.stories), (2, 1));
}

#[test]
fn ingest_stores_what_analyze_prints_and_a_second_ingest_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("annals.db");
    let seeds = root().join("examples/seeds");
    let stderr = ingest(&[&seeds], &db);
    assert!(
        stderr.contains("5 documents stored, 0 replaced, 0 already stored"),
        "{stderr}"
    );
    let json = analyze(&seeds);
    let store = Store::open(&db).unwrap();
    let status = store.status().unwrap();
    assert_eq!(status.documents, 5);
    assert!(!status.events_stale);
    assert_eq!(status.actors, json["actors"].as_array().unwrap().len());
    assert_eq!(status.quotes, json["quotes"].as_array().unwrap().len());
    let events = stored_events(&store);
    assert!(!events.is_empty());
    assert_eq!(
        event_keys(events.iter()),
        event_keys(json["events"].as_array().unwrap().iter()),
        "the store merges events across documents as analyze does"
    );
    let obama = store.actor("barack-obama").unwrap();
    assert!(!obama.quotes.is_empty());
    let hits = store
        .search(&SearchQuery {
            q: "coalition".into(),
            speaker: Some("barack-obama".into()),
            ..Default::default()
        })
        .unwrap();
    assert!(hits.total > 0);
    drop(store);

    let again = ingest(&[&seeds], &db);
    assert!(
        again.contains("0 documents stored, 0 replaced, 5 already stored"),
        "{again}"
    );
    assert!(
        again.contains("0 documents read"),
        "nothing analysed again: {again}"
    );
    let store = Store::open(&db).unwrap();
    let after = store.status().unwrap();
    assert_eq!(
        (
            after.documents,
            after.actors,
            after.quotes,
            after.events,
            after.event_reports
        ),
        (
            status.documents,
            status.actors,
            status.quotes,
            status.events,
            status.event_reports
        )
    );
}

/// The sample corpus four times over, each copy with a line of its own so that its
/// content differs.
fn bigger_corpus(dir: &Path) -> PathBuf {
    let corpus = dir.join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    for entry in std::fs::read_dir(root().join("examples/seeds")).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let stem = path.file_stem().unwrap().to_string_lossy().to_string();
        for n in 0..4 {
            let copy = format!("{text}\n\nThis is copy number {n} of the report.\n");
            std::fs::write(corpus.join(format!("{stem}_{n}.txt")), copy).unwrap();
        }
    }
    corpus
}

#[test]
fn a_killed_ingest_leaves_a_consistent_store_and_the_next_run_resumes() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = bigger_corpus(dir.path());
    let db = dir.path().join("killed.db");
    let mut child = annals()
        .arg("ingest")
        .arg(&corpus)
        .arg("--db")
        .arg(&db)
        .args(["--batch", "2", "--threads", "1", "--quiet"])
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // kill it once a batch or two is committed
    let start = Instant::now();
    let stored = loop {
        std::thread::sleep(Duration::from_millis(20));
        if db.exists() {
            if let Ok(store) = Store::open(&db) {
                let n = store.status().map_or(0, |s| s.documents);
                if n >= 2 {
                    break n;
                }
            }
        }
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "no batch was committed"
        );
    };
    assert!(
        child.try_wait().unwrap().is_none(),
        "the ingest was still running"
    );
    child.kill().unwrap(); // SIGKILL: no clean-up of any kind
    child.wait().unwrap();

    let store = Store::open(&db).unwrap();
    let status = store.status().unwrap();
    assert!(
        status.documents >= stored && status.documents < 20,
        "{status:?}"
    );
    assert_eq!(status.documents % 2, 0, "whole batches only: {status:?}");
    assert!(status.events_stale, "the merge had not run");
    // every stored document is whole: its quotes and reports are there
    let kept = status.documents;
    drop(store);

    let stderr = ingest(&[&corpus], &db);
    assert!(
        stderr.contains(&format!(
            "{} documents stored, 0 replaced, {kept} already stored",
            20 - kept
        )),
        "{stderr}"
    );
    let store = Store::open(&db).unwrap();
    let status = store.status().unwrap();
    assert_eq!(status.documents, 20);
    assert!(!status.events_stale);
    assert!(!store.index_behind().unwrap());
    // the same as one uninterrupted analysis
    let json = analyze(&corpus);
    assert_eq!(status.quotes, json["quotes"].as_array().unwrap().len());
    assert_eq!(
        event_keys(stored_events(&store).iter()),
        event_keys(json["events"].as_array().unwrap().iter())
    );
    assert_cross_records_as_analyze(&store, &json);
    let hits = store
        .search(&SearchQuery {
            q: "\"copy number 3\"".into(),
            kind: annals_store::SearchKind::Documents,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(hits.total, 5, "each seed's fourth copy, indexed once");
}

fn http_get(url: &str, path: &str) -> (u16, String) {
    let addr = url.trim_start_matches("http://");
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let status = out[9..12].parse().unwrap();
    let body = out.split_once("\r\n\r\n").map_or("", |x| x.1).to_string();
    (status, body)
}

#[test]
fn serve_answers_on_loopback() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("annals.db");
    let missing = annals().args(["serve", "--db"]).arg(&db).output().unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("annals ingest"));
    let seed = root().join("examples/seeds/000_ae3c5143b341e0fa.txt");
    ingest(&[&seed], &db);
    let (mut child, url) = serve(&db);
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let (status, body) = http_get(&url, "/api/status");
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"documents\":1"), "{body}");
    let (status, body) = http_get(&url, "/api/documents/nope");
    assert_eq!(status, 404);
    assert!(body.contains("\"code\":\"not_found\""), "{body}");
    let (status, body) = http_get(&url, "/");
    assert_eq!(status, 200);
    assert!(body.contains("/assets/app.js"));
    child.kill().unwrap();
    child.wait().unwrap();
}
