//! Tokens per second of tagging and parsing, batched and one sentence at a time, run
//! alternately so that both see the same machine load; prints the best of each.
//!
//! ```text
//! cargo run --release -p annals-syntax --example speed [MODEL] [CONLLU] [ROUNDS]
//! ```

use annals_syntax::{Model, Scratch};
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let model = args.next().unwrap_or_else(|| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../models/en_ewt.syntax").into()
    });
    let data = args.next().unwrap_or_else(|| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/ewt-slice.conllu"
        )
        .into()
    });
    let rounds: usize = args.next().map_or(15, |r| r.parse().expect("rounds"));
    let t = Instant::now();
    let m = Model::load(&model).expect("model");
    println!("load {:.1} ms", t.elapsed().as_secs_f64() * 1e3);
    let text = std::fs::read_to_string(&data).expect("treebank");
    let sents: Vec<Vec<&str>> = annals_model::conllu::sentences(&text)
        .filter_map(Result::ok)
        .map(|s| s.words.iter().map(|w| w.form).collect())
        .collect();
    let forms: Vec<&str> = sents.iter().flatten().copied().collect();
    let lens: Vec<usize> = sents.iter().map(Vec::len).collect();
    let mut s = Scratch::default();
    let mut out = Vec::new();
    let (mut best_batch, mut best_one) = (f64::MAX, f64::MAX);
    for _ in 0..rounds {
        let t = Instant::now();
        m.analyze_many_into(&forms, &lens, &mut out, &mut s);
        best_batch = best_batch.min(t.elapsed().as_secs_f64());
        let t = Instant::now();
        for sent in &sents {
            m.analyze_into(sent, &mut out, &mut s);
        }
        best_one = best_one.min(t.elapsed().as_secs_f64());
    }
    let n = forms.len() as f64;
    println!(
        "{} tokens: batched {:.0} tok/s, one by one {:.0} tok/s",
        forms.len(),
        n / best_batch,
        n / best_one
    );
}
