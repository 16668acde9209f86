//! `annals eval actors` on the PLOVER gold sentences: the country of each marked source
//! and target actor.

use std::path::Path;
#[allow(dead_code)] // each test file uses some of the helpers
mod common;

#[test]
fn plover_actors_get_their_country() {
    let gold = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/peers/PLOVER/PLOVER_GSR_CAMEO.json");
    if !gold.exists() {
        eprintln!(
            "skipped: {} is absent (it ships to developers and CI only)",
            gold.display()
        );
        return;
    }
    let out = common::succeed(common::annals().args(["eval", "actors"]).arg(&gold));
    let text = String::from_utf8_lossy(&out.stdout);
    let rate: f64 = text
        .lines()
        .last()
        .and_then(|l| l.split("country_rate=").nth(1))
        .and_then(|r| r.trim().parse().ok())
        .unwrap_or_else(|| panic!("no country_rate in: {text}"));
    // the acceptance bar is 0.90; measured 0.916
    assert!(rate >= 0.90, "country rate {rate:.4} < 0.90\n{text}");
}
