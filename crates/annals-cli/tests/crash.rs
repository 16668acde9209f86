//! Store crash safety: `annals ingest` killed with SIGKILL at seeded random points. After
//! each kill the store opens and SQLite's integrity check passes; a second run then ends
//! with exactly what one uninterrupted run stores: the same document ids and content
//! hashes, and the same counts of actors, quotes, events, stories, relations and stances.
//!
//! `ANNALS_KILL_TRIALS` sets the number of trials (default 20), `ANNALS_KILL_SEED` the seed.

use annals_store::{Status, Store};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[allow(dead_code)] // each test file uses some of the helpers
mod common;
use common::root;

/// xorshift64: the kill points reproduce from the seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn ingest(corpus: &Path, db: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_annals"));
    c.current_dir(root())
        .arg("ingest")
        .arg(corpus)
        .arg("--db")
        .arg(db)
        .args(["--batch", "1", "--threads", "2", "--quiet"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    c
}

fn run_to_end(corpus: &Path, db: &Path) {
    let out = ingest(corpus, db).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The sample corpus and a few generated reports of its own, small enough that a run takes
/// about a second in a debug build.
fn corpus(dir: &Path) -> PathBuf {
    let corpus = dir.join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    for entry in std::fs::read_dir(root().join("examples/seeds")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, corpus.join(path.file_name().unwrap())).unwrap();
    }
    let places = ["Vienna", "Geneva", "Cairo", "Moscow"];
    for (n, place) in places.iter().enumerate() {
        std::fs::write(
            corpus.join(format!("gen_{n}.txt")),
            format!(
                "Ministers met in {place} on Friday to discuss the ceasefire, officials said.\n\n\
                 \"We will not give up,\" Barack Obama said. Russia condemned the strikes on \
                 Tuesday, and Iran accused Saudi Arabia of sabotage.\n\n\
                 The talks will resume next week, a spokesman added. Report {n}.\n"
            ),
        )
        .unwrap();
    }
    corpus
}

/// What must not depend on how the corpus reached the store.
#[derive(Debug, PartialEq, Eq)]
struct Snapshot {
    documents: Vec<(String, String)>,
    counts: [usize; 7],
}

fn snapshot(db: &Path) -> Snapshot {
    let store = Store::open(db).unwrap();
    assert_eq!(store.integrity_check().unwrap(), ["ok"]);
    let s: Status = store.status().unwrap();
    assert!(!s.events_stale, "a finished run leaves nothing stale");
    assert!(!store.index_behind().unwrap(), "the index is up to date");
    Snapshot {
        documents: store.document_hashes().unwrap(),
        counts: [
            s.documents,
            s.actors,
            s.quotes,
            s.events,
            s.stories,
            s.relations,
            s.stances,
        ],
    }
}

#[cfg(unix)]
#[test]
fn ingest_killed_at_random_points_recovers_to_a_clean_run() {
    let trials: usize = std::env::var("ANNALS_KILL_TRIALS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let seed: u64 = std::env::var("ANNALS_KILL_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5eed_cafe_f00d_d00d);
    let dir = tempfile::tempdir().unwrap();
    let corpus = corpus(dir.path());

    let clean_db = dir.path().join("clean.db");
    let started = Instant::now();
    run_to_end(&corpus, &clean_db);
    let clean_time = started.elapsed();
    let clean = snapshot(&clean_db);
    assert_eq!(clean.documents.len(), 9, "{clean:?}");
    assert!(clean.counts[3] > 0 && clean.counts[4] > 0, "{clean:?}");

    let mut rng = Rng(seed | 1);
    let range_ms = (clean_time.as_millis() as u64).max(50) * 11 / 10;
    let mut killed_mid_run = 0;
    for trial in 0..trials {
        let db = dir.path().join(format!("trial{trial}.db"));
        let delay = Duration::from_millis(rng.next() % range_ms);
        let mut child = ingest(&corpus, &db).spawn().unwrap();
        std::thread::sleep(delay);
        let finished = child.try_wait().unwrap().is_some();
        child.kill().ok(); // SIGKILL: no clean-up of any kind
        child.wait().unwrap();
        if !finished {
            killed_mid_run += 1;
        }
        if db.exists() {
            let store = Store::open(&db).unwrap_or_else(|e| {
                panic!("trial {trial} ({delay:?}): the store does not open: {e}")
            });
            assert_eq!(
                store.integrity_check().unwrap(),
                ["ok"],
                "trial {trial} ({delay:?})"
            );
            let s = store.status().unwrap();
            assert!(s.documents <= clean.documents.len(), "trial {trial}: {s:?}");
        }
        run_to_end(&corpus, &db);
        let after = snapshot(&db);
        assert_eq!(after, clean, "trial {trial}: killed after {delay:?}");
        std::fs::remove_file(&db).ok();
        std::fs::remove_dir_all(db.with_extension("db.index")).ok();
    }
    eprintln!(
        "{trials} kill trials (seed {seed:#x}, kill points in 0..{range_ms} ms, a clean run \
         took {clean_time:?}): {killed_mid_run} killed mid-run, all recovered"
    );
    assert!(
        killed_mid_run * 2 >= trials,
        "most kills should land while the ingest runs ({killed_mid_run} of {trials})"
    );
}
