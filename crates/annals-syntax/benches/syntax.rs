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

/// The shipped model, or the file named by `ANNALS_SYNTAX_MODEL` (for experiments).
fn model_path() -> String {
    std::env::var("ANNALS_SYNTAX_MODEL").unwrap_or_else(|_| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../models/en_ewt.syntax").to_string()
    })
}

fn model() -> Model {
    Model::load(model_path()).expect("shipped model")
}

/// The whole slice as one batch, as the pipeline tags and parses a document
/// (`Model::analyze_many_into`).
#[divan::bench(sample_count = 20)]
fn tag_and_parse(b: Bencher) {
    let m = model();
    let sents = corpus();
    let tokens: usize = sents.iter().map(Vec::len).sum();
    let forms: Vec<&str> = sents.iter().flatten().map(String::as_str).collect();
    let lens: Vec<usize> = sents.iter().map(Vec::len).collect();
    let mut s = Scratch::default();
    let mut out = Vec::new();
    b.counter(ItemsCount::new(tokens)).bench_local(|| {
        m.analyze_many_into(&forms, &lens, &mut out, &mut s);
        out.len()
    });
}

/// Tagging alone, the whole slice as one batch (`Model::tag_many_into`); parsing takes
/// the rest of `tag_and_parse`.
#[divan::bench(sample_count = 20)]
fn tag_only(b: Bencher) {
    let m = model();
    let sents = corpus();
    let tokens: usize = sents.iter().map(Vec::len).sum();
    let forms: Vec<&str> = sents.iter().flatten().map(String::as_str).collect();
    let lens: Vec<usize> = sents.iter().map(Vec::len).collect();
    let mut s = Scratch::default();
    let mut out = Vec::new();
    b.counter(ItemsCount::new(tokens)).bench_local(|| {
        m.tag_many_into(&forms, &lens, &mut out, &mut s);
        out.len()
    });
}

/// One sentence at a time (`Model::analyze_into`).
#[divan::bench(sample_count = 20)]
fn tag_and_parse_one_by_one(b: Bencher) {
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
    let bytes = std::fs::read(model_path()).expect("model");
    b.bench_local(|| Model::from_bytes(&bytes).expect("valid"));
}
