//! Mention matching with the full bundled knowledge base over news text.
//!
//! The text is the sample corpus in `examples/seeds` (scraped news), repeated to about
//! 4 MB. Run with `cargo bench -p annals-actors --bench matcher`.

use annals_actors::KnowledgeBase;
use divan::counter::BytesCount;
use divan::Bencher;

fn main() {
    divan::main();
}

fn corpus() -> String {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/seeds");
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .expect("examples/seeds")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    names.sort();
    let mut one = String::new();
    for p in names {
        if let Ok(t) = std::fs::read_to_string(&p) {
            one.push_str(&t);
            one.push_str("\n\n");
        }
    }
    let mut text = String::new();
    while text.len() < 4 << 20 {
        text.push_str(&one);
    }
    text
}

#[divan::bench(sample_count = 20)]
fn find_all_mentions(bencher: Bencher) {
    let kb = KnowledgeBase::bundled();
    let text = corpus();
    bencher
        .counter(BytesCount::of_str(&text))
        .bench(|| kb.matcher().find_iter(divan::black_box(&text)).count());
}

#[divan::bench(sample_count = 3)]
fn build_bundled_kb() -> KnowledgeBase {
    KnowledgeBase::from_sources(&annals_actors::bundled_sources()).unwrap()
}
