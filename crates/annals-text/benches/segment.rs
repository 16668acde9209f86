//! Throughput of tokenization and segmentation on news-like text.
//!
//! `cargo bench -p annals-text` reports time per iteration over a ~1 MB body; divan prints
//! bytes per second next to it.

use annals_model::{Annotate, Document};
use annals_text::{tokenize, Segmenter};
use divan::counter::BytesCount;
use divan::Bencher;

fn main() {
    divan::main();
}

const PARAGRAPHS: &[&str] = &[
    "WASHINGTON (Reuters) - The U.S. Army said on Tuesday it would send 3,000 more troops to the region by Sept. 30, a move Mr. Putin called \"a provocation.\"",
    "\"We are thinking about it,\" Gen. Joseph Dunford told reporters at 3 p.m. Monday. \"Nobody should doubt our resolve.\"",
    "Shares of Apple Inc. rose 1.5 percent to $172.50 in New York, while the S&P 500 index gained 0.3 percent. Analysts didn't expect the rally to last.",
    "Officials at No. 10 Downing Street declined to comment... Critics say the plan, which costs about 250,000 pounds a year, won't work.",
    "Putin visits Paris amid tensions",
    "Details are at www.example.com/news/2024-03-01.html or from press@example.org -- AFP",
];

fn body(target: usize) -> String {
    let mut s = String::with_capacity(target + 512);
    let mut i = 0;
    while s.len() < target {
        s.push_str(PARAGRAPHS[i % PARAGRAPHS.len()]);
        s.push_str("\n\n");
        i += 1;
    }
    s
}

#[divan::bench]
fn tokenize_only(b: Bencher) {
    let text = body(1 << 20);
    b.counter(BytesCount::of_str(&text))
        .bench(|| tokenize(divan::black_box(&text)).len());
}

#[divan::bench]
fn segment_document(b: Bencher) {
    let text = body(1 << 20);
    let seg = Segmenter::new();
    b.counter(BytesCount::of_str(&text)).bench(|| {
        let mut doc = Document {
            body: text.clone(),
            ..Default::default()
        };
        seg.annotate(&mut doc);
        doc.tokens.len()
    });
}
