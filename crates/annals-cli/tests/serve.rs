//! `annals serve` as a process: it stops on SIGTERM after finishing the request in flight
//! and exits 0, limits requests over the wire, and survives a soak on loopback with no
//! errors and flat memory.
//!
//! The soak runs `ANNALS_SOAK_SECS` seconds (default 20) and prints its figures (requests,
//! errors, resident memory at start and end); run it longer with e.g.
//! `ANNALS_SOAK_SECS=600 cargo test -p annals-cli --test serve soak -- --nocapture`.

#![cfg(unix)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

#[allow(dead_code)] // each test file uses some of the helpers
mod common;
use common::root;

/// One store of the sample corpus, shared by the tests of this file.
fn store() -> &'static Path {
    static DB: OnceLock<PathBuf> = OnceLock::new();
    DB.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap().keep();
        let db = dir.join("annals.db");
        common::succeed(
            common::annals()
                .args(["ingest", "examples/seeds", "--quiet", "--db"])
                .arg(&db),
        );
        db
    })
}

/// A running `annals serve`: its address, and its stderr lines as they come.
struct Server {
    child: Child,
    addr: String,
    stderr: mpsc::Receiver<String>,
}

fn serve(extra: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_annals"))
        .current_dir(root())
        .args(["serve", "--addr", "127.0.0.1:0", "--db"])
        .arg(store())
        .args(extra)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let rx = common::stderr_lines(&mut child);
    let mut said = Vec::new();
    let addr = loop {
        let line = rx
            .recv_timeout(Duration::from_secs(60))
            .unwrap_or_else(|e| panic!("serve printed no address ({e}); it said: {said:?}"));
        if let Some(at) = line.find("http://") {
            break line[at + 7..].trim_end_matches('/').to_string();
        }
        said.push(line);
    };
    Server {
        child,
        addr,
        stderr: rx,
    }
}

impl Server {
    fn signal(&self, sig: &str) {
        let ok = Command::new("kill")
            .args([sig, &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(ok.success());
    }

    /// Wait for the process to end, within `limit`.
    fn wait(&mut self, limit: Duration) -> std::process::ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                return s;
            }
            if start.elapsed() > limit {
                self.child.kill().ok();
                panic!("annals serve did not stop within {limit:?}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            self.child.kill().ok();
            self.child.wait().ok();
        }
    }
}

/// One HTTP/1.1 response: status, headers (lowercased names), body.
struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Read one response from a keep-alive connection (Content-Length or chunked bodies).
fn read_response(r: &mut BufReader<TcpStream>) -> std::io::Result<Response> {
    let bad = |m: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, m.to_string());
    let mut line = String::new();
    r.read_line(&mut line)?;
    let status: u16 = line
        .get(9..12)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| bad(&format!("status line {line:?}")))?;
    let mut headers = Vec::new();
    loop {
        line.clear();
        if r.read_line(&mut line)? == 0 {
            return Err(bad("truncated head"));
        }
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        if let Some((k, v)) = l.split_once(':') {
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    let mut resp = Response {
        status,
        headers,
        body: Vec::new(),
    };
    if let Some(n) = resp.header("content-length") {
        let n: usize = n.parse().map_err(|_| bad("content-length"))?;
        resp.body.resize(n, 0);
        r.read_exact(&mut resp.body)?;
    } else if resp.header("transfer-encoding") == Some("chunked") {
        loop {
            line.clear();
            r.read_line(&mut line)?;
            let n = usize::from_str_radix(line.trim(), 16).map_err(|_| bad("chunk size"))?;
            let mut chunk = vec![0; n + 2];
            r.read_exact(&mut chunk)?;
            if n == 0 {
                break;
            }
            resp.body.extend_from_slice(&chunk[..n]);
        }
    } else {
        r.read_to_end(&mut resp.body)?;
    }
    Ok(resp)
}

fn connect(addr: &str) -> (TcpStream, BufReader<TcpStream>) {
    let s = TcpStream::connect(addr).unwrap();
    s.set_nodelay(true).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let r = BufReader::new(s.try_clone().unwrap());
    (s, r)
}

fn get(addr: &str, path: &str) -> Response {
    let (mut s, mut r) = connect(addr);
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    read_response(&mut r).unwrap()
}

#[test]
fn sigterm_finishes_the_request_in_flight_and_exits_zero() {
    let mut server = serve(&[]);
    let addr = server.addr.clone();
    assert_eq!(get(&addr, "/api/status").status, 200);
    // a request half sent when the signal comes: its head, but not the blank line
    let (mut s, mut r) = connect(&addr);
    write!(s, "GET /api/documents HTTP/1.1\r\nHost: {addr}\r\n").unwrap();
    s.flush().unwrap();
    // and a finished request whose response is not read yet
    let (mut s2, mut r2) = connect(&addr);
    write!(s2, "GET /api/actors HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
    std::thread::sleep(Duration::from_millis(300));
    server.signal("-TERM");
    let said = server
        .stderr
        .recv_timeout(Duration::from_secs(10))
        .expect("serve says it is shutting down");
    assert!(said.contains("shutting down"), "{said}");
    // a new connection is refused once the listener is closed
    std::thread::sleep(Duration::from_millis(200));
    write!(s, "Connection: close\r\n\r\n").unwrap();
    let resp = read_response(&mut r).expect("the request in flight is answered");
    assert_eq!(resp.status, 200);
    let v: serde_json::Value = serde_json::from_slice(&resp.body).unwrap();
    assert_eq!(v["total"], 5, "{v}");
    let resp = read_response(&mut r2).expect("the unread response arrives whole");
    assert_eq!(resp.status, 200);
    serde_json::from_slice::<serde_json::Value>(&resp.body).unwrap();
    drop((s, r, s2, r2));
    let status = server.wait(Duration::from_secs(15));
    assert_eq!(status.code(), Some(0), "exit status {status:?}");
    assert!(
        TcpStream::connect(&addr).is_err(),
        "nothing listens after exit"
    );
}

#[test]
fn limits_hold_over_the_wire() {
    let server = serve(&["--rate", "1", "--max-body-bytes", "16"]);
    let addr = server.addr.clone();
    // a body over the limit, declared
    let (mut s, mut r) = connect(&addr);
    write!(
        s,
        "POST /api/search HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 1000\r\nConnection: close\r\n\r\n{}",
        "x".repeat(1000)
    )
    .unwrap();
    let resp = read_response(&mut r).unwrap();
    assert_eq!(resp.status, 413);
    assert!(String::from_utf8_lossy(&resp.body).contains("payload_too_large"));
    // a request target over 4096 bytes
    let resp = get(&addr, &format!("/api/search?q={}", "a".repeat(5000)));
    assert_eq!(resp.status, 414);
    // the burst (200) then the rate (1 a second) on one keep-alive connection
    let (mut s, mut r) = connect(&addr);
    let mut limited = None;
    for n in 0..260 {
        write!(s, "GET /api/status HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
        let resp = read_response(&mut r).unwrap();
        match resp.status {
            200 => {}
            429 => {
                assert!(resp.header("retry-after").is_some());
                limited = Some(n);
                break;
            }
            other => panic!("status {other}"),
        }
    }
    let n = limited.expect("the rate limit answers 429");
    assert!((195..=210).contains(&n), "limited after {n} requests");
}

/// What the soak clients ask, and the status each must get.
const ROUTES: &[(&str, u16)] = &[
    ("/api/status", 200),
    ("/api/documents", 200),
    ("/api/documents?limit=2&offset=1", 200),
    ("/api/actors", 200),
    ("/api/actors?q=obama", 200),
    ("/api/events", 200),
    ("/api/stories", 200),
    ("/api/relations", 200),
    ("/api/search?q=ceasefire", 200),
    ("/api/search?q=%22talks%22&kind=quotes", 200),
    ("/api/documents/no-such-document", 404),
    ("/api/events?from=not-a-date", 400),
    ("/", 200),
    ("/assets/app.js", 200),
    ("/openapi.json", 200),
];

#[test]
fn soak_on_loopback_has_no_errors_and_flat_memory() {
    let secs: u64 = std::env::var("ANNALS_SOAK_SECS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let server = serve(&["--rate", "1000000"]);
    let addr = server.addr.clone();
    // the ids of a document and an actor, to read their pages too
    let docs: serde_json::Value =
        serde_json::from_slice(&get(&addr, "/api/documents").body).unwrap();
    let actors: serde_json::Value =
        serde_json::from_slice(&get(&addr, "/api/actors").body).unwrap();
    let mut routes: Vec<(String, u16)> = ROUTES.iter().map(|(p, s)| (p.to_string(), *s)).collect();
    routes.push((
        format!(
            "/api/documents/{}",
            docs["items"][0]["id"].as_str().unwrap()
        ),
        200,
    ));
    routes.push((
        format!("/api/actors/{}", actors["items"][0]["id"].as_str().unwrap()),
        200,
    ));
    let routes = Arc::new(routes);

    let requests = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let first_error = Arc::new(std::sync::Mutex::new(None::<String>));
    let clients: Vec<_> = (0..4)
        .map(|c| {
            let (addr, routes, requests, errors, stop, first_error) = (
                addr.clone(),
                routes.clone(),
                requests.clone(),
                errors.clone(),
                stop.clone(),
                first_error.clone(),
            );
            std::thread::spawn(move || {
                let mut i = c;
                while !stop.load(Ordering::Relaxed) {
                    // a fresh connection every 50 requests, so connections come and go too
                    let (mut s, mut r) = connect(&addr);
                    for _ in 0..50 {
                        let (path, want) = &routes[i % routes.len()];
                        i += 7;
                        // one write a request: several small ones meet Nagle and delayed ACKs
                        let req = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n\r\n");
                        let got = s
                            .write_all(req.as_bytes())
                            .and_then(|()| read_response(&mut r));
                        requests.fetch_add(1, Ordering::Relaxed);
                        let problem = match got {
                            Ok(resp) if resp.status == *want => None,
                            Ok(resp) => Some(format!("{path}: status {}", resp.status)),
                            Err(e) => Some(format!("{path}: {e}")),
                        };
                        if let Some(p) = problem {
                            errors.fetch_add(1, Ordering::Relaxed);
                            first_error.lock().unwrap().get_or_insert(p);
                            break;
                        }
                        if stop.load(Ordering::Relaxed) {
                            break;
                        }
                    }
                }
            })
        })
        .collect();
    let start = Instant::now();
    let total = Duration::from_secs(secs);
    // memory is measured once the caches and allocator have warmed up
    std::thread::sleep(total / 5);
    let rss_start = server.rss_kib();
    let requests_at_start = requests.load(Ordering::Relaxed);
    let mut rss_peak = rss_start;
    while start.elapsed() < total {
        std::thread::sleep(Duration::from_millis(500));
        rss_peak = rss_peak.max(server.rss_kib());
    }
    let rss_end = server.rss_kib();
    stop.store(true, Ordering::Relaxed);
    for c in clients {
        c.join().unwrap();
    }
    let elapsed = start.elapsed();
    let n = requests.load(Ordering::Relaxed);
    let e = errors.load(Ordering::Relaxed);
    eprintln!(
        "soak: {:.1} s, {n} requests ({:.0}/s), {e} errors, RSS {rss_start} KiB after warm-up \
         ({requests_at_start} requests), {rss_end} KiB at the end, peak {rss_peak} KiB",
        elapsed.as_secs_f64(),
        n as f64 / elapsed.as_secs_f64()
    );
    assert_eq!(e, 0, "first error: {:?}", first_error.lock().unwrap());
    assert!(n > requests_at_start + 100, "the soak made requests: {n}");
    assert!(rss_start > 0, "RSS is readable from /proc");
    // flat: within a quarter, or 16 MiB for a small process, of the warmed-up size
    let allowed = (rss_start / 4).max(16 * 1024);
    assert!(
        rss_end <= rss_start + allowed,
        "memory grew from {rss_start} KiB to {rss_end} KiB"
    );
}
