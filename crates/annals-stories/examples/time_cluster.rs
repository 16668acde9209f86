//! Time clustering of a generated corpus: `cargo run --release -p annals-stories
//! --example time_cluster -- 10000`.
use annals_stories::synth::{copy_scores, corpus, pair_scores};
use annals_stories::Clusterer;

/// The allocator of the `annals` binary, so the figures are the ones it sees.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::time::Instant;

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000);
    let t = Instant::now();
    let articles = corpus(n, 7);
    let gen = t.elapsed();
    let inputs: Vec<_> = articles.iter().map(|a| a.input.clone()).collect();
    let faults0 = minor_faults();
    let t = Instant::now();
    let mut c = Clusterer::bundled();
    let mut story_of = Vec::with_capacity(n);
    let mut links = Vec::with_capacity(n);
    let mut it = inputs.into_iter();
    loop {
        let batch: Vec<_> = it.by_ref().take(1_000).collect();
        if batch.is_empty() {
            break;
        }
        for a in c.add_batch(batch) {
            story_of.push(a.story);
            // ids are "a" and the article's index
            links.push(a.copy_of.and_then(|(id, _)| id[1..].parse::<usize>().ok()));
        }
        if story_of.len() % 10_000 == 0 {
            eprintln!("{:>7} articles: {:.2?}", story_of.len(), t.elapsed());
        }
    }
    let took = t.elapsed();
    eprintln!("page faults while clustering: {}", minor_faults() - faults0);
    let (p, r, f) = pair_scores(&articles, &story_of);
    let (cp, cr) = copy_scores(&articles, &links);
    println!(
        "{n} articles: generated in {gen:.2?}, clustered in {took:.2?} ({:.1} µs/article), {} stories, pair p {p:.3} r {r:.3} f1 {f:.3}, copies p {cp:.4} r {cr:.4}",
        took.as_secs_f64() * 1e6 / n as f64,
        c.stories().len()
    );
}

/// Minor page faults of this process so far (Linux; 0 elsewhere).
fn minor_faults() -> u64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            let rest = &s[s.rfind(')')? + 2..];
            rest.split(' ').nth(7)?.parse().ok()
        })
        .unwrap_or(0)
}
