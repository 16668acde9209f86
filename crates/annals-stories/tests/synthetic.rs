//! Story clustering on a generated corpus: articles about the same generated event end
//! up together, others apart, and copies are found, when the corpus comes in batches.

use annals_stories::synth::{corpus, pair_scores};
use annals_stories::Clusterer;

#[test]
fn a_generated_corpus_in_batches_is_clustered_by_event() {
    let articles = corpus(3_000, 11);
    let mut c = Clusterer::bundled();
    let mut story_of = Vec::new();
    let mut copies = 0;
    for batch in articles.chunks(500) {
        for a in c.add_batch(batch.iter().map(|a| a.input.clone()).collect()) {
            copies += a.copy_of.is_some() as usize;
            story_of.push(a.story);
        }
    }
    let (p, r, f) = pair_scores(&articles, &story_of);
    eprintln!(
        "pair precision {p:.3} recall {r:.3} f1 {f:.3}, {copies} copies, {} stories",
        c.stories().len()
    );
    assert!(p >= 0.9 && r >= 0.8, "precision {p:.3} recall {r:.3}");
    // about a tenth are generated as copies of an earlier article
    assert!((200..=400).contains(&copies), "{copies} copies");
}
