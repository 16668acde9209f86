//! Near-copy detection against the exact Jaccard similarity of 4-word shingles:
//! `cargo run --release -p annals-stories --example dedup_quality`. Pairs of generated
//! 200-word texts, the second with 0–40 words replaced (exact Jaccard about 1 down to
//! 0.2); a pair should be linked when its exact Jaccard is at least the threshold, 0.7.
use annals_stories::synth::Rng;
use annals_stories::{hash_word, Dedup};
use std::collections::HashSet;

fn shingles(t: &[u64]) -> HashSet<&[u64]> {
    t.windows(4).collect()
}

fn main() {
    let mut rng = Rng::new(11);
    let (mut agree, mut missed, mut extra, mut near, mut near_agree) = (0, 0, 0, 0, 0);
    let pairs = 4_000;
    for i in 0..pairs {
        let a: Vec<u64> = (0..200)
            .map(|_| hash_word(&format!("w{}", rng.below(5_000))))
            .collect();
        let mut b = a.clone();
        for _ in 0..rng.below(41) {
            let k = rng.below(b.len());
            b[k] = hash_word(&format!("x{}", rng.below(5_000)));
        }
        let (sa, sb) = (shingles(&a), shingles(&b));
        let j = sa.intersection(&sb).count() as f64 / sa.union(&sb).count() as f64;
        let mut d = Dedup::new(0.7);
        d.check_and_insert(2 * i, &a);
        let linked = d.check_and_insert(2 * i + 1, &b).is_some();
        let should = j >= 0.7;
        if linked == should {
            agree += 1;
        } else if should {
            missed += 1;
        } else {
            extra += 1;
        }
        if (0.6..0.8).contains(&j) {
            near += 1;
            near_agree += (linked == should) as usize;
        }
    }
    println!(
        "{pairs} pairs: agree {:.4}, missed {missed}, extra {extra}; exact Jaccard 0.6-0.8: {near} pairs, agree {:.3}",
        agree as f64 / pairs as f64,
        near_agree as f64 / near.max(1) as f64
    );
}
