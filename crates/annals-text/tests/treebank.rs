//! Scores against UD English EWT when the treebank is present in `../shared/ud`
//! (it is not shipped with the repository; the test skips without it).

use annals_text::{eval_segment, Segmenter};
use std::path::PathBuf;

fn treebank(name: &str) -> Option<String> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/ud")
        .join(name);
    match std::fs::read_to_string(&p) {
        Ok(s) => Some(s),
        Err(_) => {
            println!("skipping: {} not found", p.display());
            None
        }
    }
}

#[test]
fn dev_scores_stay_above_the_floor() {
    let Some(dev) = treebank("en_ewt-ud-dev.conllu") else {
        return;
    };
    let s = eval_segment(&dev, &Segmenter::new());
    println!("{s}");
    assert!(s.tokens.f1() > 0.98, "{s}");
    assert!(s.f1() > 0.885, "{s}");
}
