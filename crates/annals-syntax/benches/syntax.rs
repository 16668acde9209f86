//! Tagging + parsing throughput on the shipped model, over the EWT test slice in
//! `tests/fixtures`. Reports tokens per second (divan's item counter).
//!
//! ```text
//! cargo bench -p annals-syntax
//! ```

use annals_syntax::{Model, Scratch};
use divan::counter::ItemsCount;
use divan::Bencher;

fn main() {
    divan::main();
}

fn corpus() -> Vec<Vec<String>> {
    let text = include_str!("../tests/fixtures/ewt-slice.conllu");
    annals_model::conllu::sentences(text)
        .map(|s| {
            s.expect("fixture parses")
                .words
                .iter()
                .map(|w| w.form.to_string())
                .collect()
        })
        .collect()
}

fn model() -> Model {
    Model::load(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../models/en_ewt.syntax"
    ))
    .expect("shipped model")
}

#[divan::bench(sample_count = 20)]
fn tag_and_parse(b: Bencher) {
    let m = model();
    let sents = corpus();
    let tokens: usize = sents.iter().map(Vec::len).sum();
    let mut s = Scratch::default();
    let mut out = Vec::new();
    b.counter(ItemsCount::new(tokens)).bench_local(|| {
        for sent in &sents {
            m.analyze_into(sent, &mut out, &mut s);
        }
        out.len()
    });
}

#[divan::bench(sample_count = 5)]
fn load_model(b: Bencher) {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../models/en_ewt.syntax"
    ))
    .expect("model");
    b.bench_local(|| Model::from_bytes(&bytes).expect("valid"));
}
