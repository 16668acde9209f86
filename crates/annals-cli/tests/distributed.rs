//! The distributed mode end to end (cargo feature `distributed`): the sample corpus is
//! ingested and exported as Parquet; a scheduler and two executors run on 127.0.0.1 as
//! `annals` processes; every preset, and the analysis of raw texts on the executors,
//! gives the same rows on the cluster as on local DataFusion; both executors ran tasks;
//! and every process stops by itself (its standard input closed, a deadline) in bounded
//! time.

#![cfg(all(unix, feature = "distributed"))]

use serde_json::Value;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

#[allow(dead_code)] // each test file uses some of the helpers
mod common;

/// How long any process may take to stop once told.
const STOP_LIMIT: Duration = Duration::from_secs(20);

/// A running `annals scheduler` or `annals executor`.
struct Proc {
    name: String,
    child: Child,
    stdin: Option<ChildStdin>,
    lines: mpsc::Receiver<String>,
    said: Vec<String>,
}

impl Proc {
    fn start(name: &str, args: &[&str]) -> Proc {
        let mut child = common::annals()
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let rx = common::stderr_lines(&mut child);
        Proc {
            name: name.into(),
            stdin: child.stdin.take(),
            child,
            lines: rx,
            said: Vec::new(),
        }
    }

    /// Wait (at most `limit`) for a line of stderr that contains `text`; the line.
    fn line_with(&mut self, text: &str, limit: Duration) -> String {
        let end = Instant::now() + limit;
        loop {
            let left = end.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.said.push(line.clone());
                    if line.contains(text) {
                        return line;
                    }
                }
                Err(e) => panic!(
                    "{} printed no line with {text:?} ({e}); it said:\n{}",
                    self.name,
                    self.said.join("\n")
                ),
            }
        }
    }

    /// Close its standard input: the sign to stop.
    fn close_stdin(&mut self) {
        drop(self.stdin.take());
    }

    /// Wait for it to exit by itself, within `limit`; its status and what it said.
    fn exits_within(&mut self, limit: Duration) -> (ExitStatus, String) {
        let start = Instant::now();
        let status = loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                break s;
            }
            assert!(
                start.elapsed() < limit,
                "{} did not stop within {limit:?}; it said:\n{}",
                self.name,
                self.said.join("\n")
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        // the reader thread ends with the pipe
        while let Ok(line) = self.lines.recv_timeout(Duration::from_secs(5)) {
            self.said.push(line);
        }
        (status, self.said.join("\n"))
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        // only when a test failed before the process stopped by itself
        if self.child.try_wait().ok().flatten().is_none() {
            self.child.kill().ok();
            self.child.wait().ok();
        }
    }
}

/// A port nothing listens on now.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The scheduler's `/readyz` answer body.
fn readyz(addr: &str) -> Option<String> {
    let mut s = TcpStream::connect(addr).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        s,
        "GET /readyz HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut answer = String::new();
    s.read_to_string(&mut answer).ok()?;
    Some(answer.split_once("\r\n\r\n")?.1.trim().to_string())
}

/// The sample corpus ingested into a store and exported: the store and the export.
fn exported(dir: &Path) -> (PathBuf, PathBuf) {
    let db = dir.join("annals.db");
    common::succeed(
        common::annals()
            .args(["ingest", "examples/seeds", "--quiet", "--db"])
            .arg(&db),
    );
    let out = dir.join("export");
    common::succeed(
        common::annals()
            .args(["export", "--parquet"])
            .arg(&out)
            .arg("--db")
            .arg(&db),
    );
    (db, out)
}

/// The seeds as JSONL files of raw articles, two files (two partitions).
fn raw_jsonl(dir: &Path) -> PathBuf {
    let raw = dir.join("raw");
    std::fs::create_dir_all(&raw).unwrap();
    let mut seeds: Vec<PathBuf> = std::fs::read_dir(common::root().join("examples/seeds"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    seeds.sort();
    for (i, part) in seeds.chunks(seeds.len().div_ceil(2)).enumerate() {
        let mut f = std::fs::File::create(raw.join(format!("part-{i}.jsonl"))).unwrap();
        for p in part {
            let id = p.file_stem().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(p).unwrap();
            writeln!(f, "{}", serde_json::json!({"id": id, "text": text})).unwrap();
        }
    }
    raw
}

/// Run `annals query … --format json` here or on the cluster; its rows, sorted.
fn query(cluster: Option<&str>, source: &[&str], what: &[&str]) -> Vec<Value> {
    let mut cmd = common::annals();
    cmd.arg("query").args(source).args(what);
    cmd.args(["--format", "json", "--partitions", "4"]);
    if let Some(addr) = cluster {
        cmd.arg("--cluster").arg(format!("df://{addr}"));
    }
    let start = Instant::now();
    let out = common::succeed(&mut cmd);
    eprintln!(
        "query {what:?} {}: {:.1?}",
        if cluster.is_some() {
            "on the cluster"
        } else {
            "locally"
        },
        start.elapsed()
    );
    let mut rows: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    rows.sort_by_key(|r| r.to_string());
    rows
}

#[test]
fn two_executors_answer_as_local_datafusion_and_every_process_stops_by_itself() {
    let tmp = tempfile::tempdir().unwrap();
    let (_db, export) = exported(tmp.path());

    // the Hive layout
    for t in ["documents", "actors", "mentions", "quotes", "events"] {
        assert!(export.join(t).is_dir(), "{t}/");
    }
    assert!(export
        .join("documents/date=2015-09-29/part-0.parquet")
        .is_file());
    assert!(export
        .join("documents/date=__HIVE_DEFAULT_PARTITION__/part-0.parquet")
        .is_file());
    assert!(export
        .join("events/date=2015-09-28/part-0.parquet")
        .is_file());
    // a second export into the same folder is refused without --overwrite
    let again = common::annals()
        .args(["export", "--parquet"])
        .arg(&export)
        .arg("--db")
        .arg(&_db)
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("--overwrite"));

    // the cluster: its processes stop when their standard input closes, when this test
    // process exits, and in any case after ten minutes
    let stop = [
        "--exit-on-stdin-close",
        "--exit-with-parent",
        "--exit-after",
        "600",
    ];
    let mut scheduler = Proc::start(
        "scheduler",
        &[
            &["scheduler", "--bind", "127.0.0.1:0", "--min-executors", "2"][..],
            &stop,
        ]
        .concat(),
    );
    let line = scheduler.line_with("listening on", Duration::from_secs(60));
    let addr = line
        .split("listening on ")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .unwrap()
        .to_string();
    let mut executors: Vec<Proc> = ["exec-a", "exec-b"]
        .iter()
        .map(|id| {
            let (flight, grpc) = (free_port(), free_port());
            let bind = format!("127.0.0.1:{flight}");
            let grpc = grpc.to_string();
            Proc::start(
                id,
                &[
                    &[
                        "executor",
                        "--scheduler",
                        &addr,
                        "--bind",
                        &bind,
                        "--grpc-port",
                        &grpc,
                        "--vcores",
                        "1",
                        "--id",
                        id,
                    ][..],
                    &stop,
                ]
                .concat(),
            )
        })
        .collect();

    // both executors registered: the scheduler says so
    let start = Instant::now();
    let mut last = None;
    while start.elapsed() < Duration::from_secs(120) {
        last = readyz(&addr);
        if last.as_deref() == Some("ready: 2 executors registered") {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(
        last.as_deref(),
        Some("ready: 2 executors registered"),
        "executors said:\n{}\n{}",
        executors[0].said.join("\n"),
        executors[1].said.join("\n")
    );

    let data = ["--data", export.to_str().unwrap()];
    for preset in ["stories", "dyads", "speakers", "reanalyze"] {
        let what = ["--preset", preset];
        let local = query(None, &data, &what);
        let remote = query(Some(&addr), &data, &what);
        assert!(!local.is_empty(), "{preset}: no rows");
        assert_eq!(
            local, remote,
            "{preset}: the cluster differs from local DataFusion"
        );
    }

    // what the presets say, checked against what the store holds
    let dyads = query(None, &data, &["--preset", "dyads"]);
    let w40 = dyads
        .iter()
        .find(|r| r["a"] == "russia" && r["b"] == "united-states" && r["week"] == "2015-W40")
        .expect("Russia and the US in the week of 28 September 2015");
    assert!(w40["events"].as_i64().unwrap() >= 5, "{w40}");
    assert_eq!(w40["tone"], "cooperation", "{w40}");
    let stories = query(None, &data, &["--preset", "stories"]);
    let docs: i64 = stories
        .iter()
        .map(|r| r["documents"].as_i64().unwrap())
        .sum();
    assert_eq!(docs, 5, "every seed is in one story: {stories:?}");
    let speakers = query(None, &data, &["--preset", "speakers"]);
    assert!(
        speakers.iter().any(|r| r["speaker"] == "barack-obama"),
        "{speakers:?}"
    );

    // the analysis of raw texts runs on both executors, partition by partition, and
    // finds what it finds locally
    let raw = raw_jsonl(tmp.path());
    let raw_arg = ["--raw", raw.to_str().unwrap()];
    let per_worker = "SELECT annals_worker() AS worker, count(*) AS documents, \
         sum(cardinality(annals_analyze(text)['events'])) AS events \
         FROM raw GROUP BY annals_worker()";
    let remote = query(Some(&addr), &raw_arg, &[per_worker]);
    let mut workers: Vec<&str> = remote
        .iter()
        .map(|r| r["worker"].as_str().unwrap())
        .collect();
    workers.sort_unstable();
    assert_eq!(workers, ["exec-a", "exec-b"], "tasks ran on both executors");
    let local = query(None, &raw_arg, &[per_worker]);
    assert_eq!(local.len(), 1);
    assert_eq!(local[0]["worker"], "local");
    let total = |rows: &[Value], k: &str| rows.iter().map(|r| r[k].as_i64().unwrap()).sum::<i64>();
    assert_eq!(total(&remote, "documents"), 5);
    assert_eq!(total(&remote, "events"), total(&local, "events"));
    assert!(total(&local, "events") > 20);
    let events = "SELECT id, e['source'] AS source, e['target'] AS target, e['cameo'] AS cameo, \
         e['quad_class'] AS quad_class, quad_class(e['cameo']) AS q, goldstein(e['cameo']) AS g \
         FROM (SELECT id, unnest(annals_analyze(text)['events']) AS e FROM raw)";
    let local = query(None, &raw_arg, &[events]);
    assert_eq!(local, query(Some(&addr), &raw_arg, &[events]));
    // the coder's quad class is the code table's
    assert!(local.iter().all(|r| r["quad_class"] == r["q"]), "{local:?}");

    // every process stops by itself once its standard input closes
    for e in &mut executors {
        e.close_stdin();
    }
    for e in &mut executors {
        let (status, said) = e.exits_within(STOP_LIMIT);
        assert!(status.success(), "{} exited {status}:\n{said}", e.name);
        assert!(said.contains("stopping (standard input closed)"), "{said}");
    }
    scheduler.close_stdin();
    let (status, said) = scheduler.exits_within(STOP_LIMIT);
    assert!(status.success(), "the scheduler exited {status}:\n{said}");
    assert!(said.contains("stopping (standard input closed)"), "{said}");
}

#[test]
fn a_scheduler_stops_at_its_deadline_and_on_sigterm() {
    let mut s = Proc::start(
        "scheduler",
        &["scheduler", "--bind", "127.0.0.1:0", "--exit-after", "1"],
    );
    s.line_with("listening on", Duration::from_secs(60));
    let (status, said) = s.exits_within(STOP_LIMIT);
    assert!(status.success(), "{status}: {said}");
    assert!(said.contains("stopping (the time given ran out)"), "{said}");

    let mut s = Proc::start("scheduler", &["scheduler", "--bind", "127.0.0.1:0"]);
    s.line_with("listening on", Duration::from_secs(60));
    let killed = Command::new("kill")
        .args(["-TERM", &s.child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let (status, said) = s.exits_within(STOP_LIMIT);
    assert!(status.success(), "{status}: {said}");
    assert!(said.contains("stopping (SIGTERM)"), "{said}");
}

#[test]
fn an_executor_with_no_scheduler_stops_at_its_deadline() {
    let scheduler = format!("127.0.0.1:{}", free_port());
    let bind = format!("127.0.0.1:{}", free_port());
    let mut e = Proc::start(
        "executor",
        &[
            "executor",
            "--scheduler",
            &scheduler,
            "--bind",
            &bind,
            "--exit-after",
            "1",
        ],
    );
    let (status, said) = e.exits_within(STOP_LIMIT);
    assert!(status.success(), "{status}: {said}");
    assert!(said.contains("stopping (the time given ran out)"), "{said}");
}
