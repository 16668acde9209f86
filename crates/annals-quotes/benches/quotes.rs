//! The quotes stage alone, over documents the earlier stages have already annotated.
//!
//! The text is the sample corpus in `examples/seeds` (scraped news). Segmentation,
//! parsing and actors run once, outside the measured loop. Run with
//! `cargo bench -p annals-quotes --bench quotes`.

use annals_model::{Annotate, DocId, DocKind, Document, RawDoc, RawMeta};
use annals_quotes::QuoteStage;
use divan::counter::BytesCount;
use divan::Bencher;

fn main() {
    divan::main();
}

fn annotated_seeds() -> Vec<Document> {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let model = annals_syntax::Model::load(format!("{root}/models/en_ewt.syntax")).expect("model");
    let stages: Vec<Box<dyn Annotate>> = vec![
        Box::new(annals_text::Segmenter::new()),
        Box::new(annals_syntax::Pipeline::new(model)),
        Box::new(annals_actors::ActorStage::bundled()),
    ];
    let mut names: Vec<_> = std::fs::read_dir(format!("{root}/examples/seeds"))
        .expect("examples/seeds")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    names.sort();
    let cleaner = annals_clean::Cleaner::default();
    names
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .map(|text| {
            let mut doc = cleaner.clean(RawDoc {
                id: DocId("seed".into()),
                source: "seed".into(),
                kind: DocKind::Text,
                text,
                meta: RawMeta::default(),
            });
            for s in &stages {
                s.annotate(&mut doc);
            }
            doc
        })
        .collect()
}

#[divan::bench(sample_count = 50)]
fn quotes_of_the_seeds(bencher: Bencher) {
    let docs = annotated_seeds();
    let stage = QuoteStage::new();
    let bytes: usize = docs.iter().map(|d| d.body.len()).sum();
    bencher
        .counter(BytesCount::new(bytes))
        .bench(|| docs.iter().map(|d| stage.quotes(d).len()).sum::<usize>());
}
