//! Helpers shared by the integration tests that run the `annals` binary.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The repository's root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Start `annals serve` on a free port; returns the child and its base URL.
pub fn serve(db: &Path) -> (std::process::Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_annals"))
        .current_dir(root())
        .args(["serve", "--db"])
        .arg(db)
        .args(["--addr", "127.0.0.1:0"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let url = loop {
        let line = lines.next().expect("serve printed its address").unwrap();
        if let Some(at) = line.find("http://") {
            break line[at..].trim_end_matches('/').to_string();
        }
    };
    // keep draining stderr so the server never blocks on it
    std::thread::spawn(move || for _ in lines {});
    (child, url)
}

/// The `annals` binary, to run from the repository's root.
pub fn annals() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_annals"));
    c.current_dir(root());
    c
}

/// Run `cmd` to its end; fails the test with its stderr unless it exits 0.
pub fn succeed(cmd: &mut Command) -> std::process::Output {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{cmd:?} exited {}:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The lines a child writes to its (piped) standard error, as they come, read on a
/// thread of their own so that the child never blocks on a full pipe.
pub fn stderr_lines(child: &mut std::process::Child) -> std::sync::mpsc::Receiver<String> {
    let (tx, rx) = std::sync::mpsc::channel();
    let stderr = child
        .stderr
        .take()
        .expect("a child with its standard error piped");
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}
