//! Every minimised crasher the fuzzers found (`fuzz/regressions/<target>/`) and the seed
//! corpus (`fuzz/seeds/<target>/`, plus the cleaner's HTML fixtures for `html`), replayed
//! through the same function the fuzz target calls. Runs on stable in `cargo test`.

use std::path::PathBuf;

/// Seed folders shared with another crate's tests, so no page is kept twice.
const SHARED_SEEDS: &[(&str, &str)] = &[("html", "crates/annals-clean/tests/fixtures/html")];

fn files_in(dir: &std::path::Path) -> Vec<PathBuf> {
    match std::fs::read_dir(dir) {
        Ok(rd) => rd
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .collect(),
        Err(_) => Vec::new(),
    }
}

fn files(kind: &str, target: &str) -> Vec<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut out = files_in(&root.join("fuzz").join(kind).join(target));
    if kind == "seeds" {
        for (t, dir) in SHARED_SEEDS {
            if *t == target {
                out.extend(files_in(&root.join(dir)));
            }
        }
    }
    out.sort();
    out
}

fn replay(kind: &str) -> usize {
    let mut n = 0;
    for target in annals_fuzz::TARGETS {
        for path in files(kind, target) {
            let data = std::fs::read(&path).unwrap();
            let started = std::time::Instant::now();
            let r = std::panic::catch_unwind(|| annals_fuzz::run(target, &data));
            assert!(r.is_ok(), "{target}: {} panics", path.display());
            // a hang the fuzzer found must stay fixed too (generous: debug build, shared CI)
            assert!(
                started.elapsed().as_secs() < 20,
                "{target}: {} took {:?}",
                path.display(),
                started.elapsed()
            );
            n += 1;
        }
    }
    n
}

#[test]
fn regressions_do_not_panic() {
    replay("regressions");
}

#[test]
fn seeds_do_not_panic() {
    let n = replay("seeds");
    assert!(
        n >= annals_fuzz::TARGETS.len(),
        "every target has seeds ({n} files)"
    );
}
