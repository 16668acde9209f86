//! Story clustering on generated corpora of 10,000 and 100,000 articles (see
//! `annals_stories::synth`): the time to cluster them in batches of 1,000, generation
//! left out. `cargo bench -p annals-stories` prints both; the bar is that
//! 100,000 take at most ten times as long as 10,000.

use annals_stories::synth::corpus;
use annals_stories::Clusterer;

/// The allocator of the `annals` binary, so the figures are the ones it sees.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

#[divan::bench(args = [10_000, 100_000], sample_count = 3, sample_size = 1)]
fn cluster(bencher: divan::Bencher, n: usize) {
    bencher
        .with_inputs(|| {
            corpus(n, 7)
                .into_iter()
                .map(|a| a.input)
                .collect::<Vec<_>>()
        })
        .bench_values(|docs| {
            let mut c = Clusterer::bundled();
            let mut it = docs.into_iter();
            loop {
                let batch: Vec<_> = it.by_ref().take(1_000).collect();
                if batch.is_empty() {
                    break;
                }
                divan::black_box(c.add_batch(batch));
            }
            c.stories().len()
        });
}
