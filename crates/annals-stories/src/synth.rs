//! A generated corpus for benchmarks and tests: articles about many news events, each
//! reported by a few outlets on nearby days, some of them syndicated copies.
//!
//! Each event has its own topic words (drawn from a large vocabulary), a few actors, a
//! dyadic event and a day; each article mixes its event's words with common words, and
//! a copy repeats an earlier article with a word or two changed. Deterministic for a
//! seed.

use crate::{InputEvent, InputSentence, StoryInput};

/// A small deterministic generator (xorshift64*).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }

    /// The next number.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number below `n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
}

/// A generated article with the event it reports.
#[derive(Debug, Clone)]
pub struct Article {
    /// What story clustering sees.
    pub input: StoryInput,
    /// The generated event's number: articles with the same number belong together.
    pub event: usize,
    /// The article this one is a near-copy of (its index in the corpus).
    pub copy_of: Option<usize>,
}

/// `n` articles about about `n / 5` events over `n / 100` days (100 articles a day), a
/// tenth of them copies of an earlier article.
pub fn corpus(n: usize, seed: u64) -> Vec<Article> {
    let mut rng = Rng::new(seed);
    let vocab = 20_000usize;
    let common = 400usize;
    let actors = 2_000usize;
    let events = (n / 5).max(1);
    let days = (n / 100).max(1) as i32;
    let word = |i: usize| format!("w{i}");
    // each event: topic words, actors, a day
    let mut topic: Vec<(Vec<usize>, Vec<usize>, i32)> = Vec::with_capacity(events);
    for e in 0..events {
        let words = (0..15)
            .map(|_| common + rng.below(vocab - common))
            .collect();
        let acts = (0..4).map(|_| rng.below(actors)).collect();
        // events in time order, so that the stream of articles runs forward in time
        topic.push((words, acts, (e as i64 * days as i64 / events as i64) as i32));
    }
    let mut out: Vec<Article> = Vec::with_capacity(n);
    for a in 0..n {
        if a > 10 && rng.below(10) == 0 {
            // a syndicated copy of a recent article, a word changed
            let src = a - 1 - rng.below(10.min(a - 1));
            let mut copy = out[src].clone();
            copy.input.id = format!("a{a}");
            copy.copy_of = Some(src);
            if !copy.input.terms.is_empty() {
                let k = rng.below(copy.input.terms.len());
                copy.input.terms[k] = crate::hash_word(&word(rng.below(common)));
            }
            out.push(copy);
            continue;
        }
        // articles come in about the order of their events: each reports one of the
        // events near the running position
        let here = a * events / n;
        let e = (here + rng.below(100)).saturating_sub(50).min(events - 1);
        let (words, acts, day) = &topic[e];
        let len = 150 + rng.below(150);
        let mut terms = Vec::with_capacity(len);
        for _ in 0..len {
            let w = match rng.below(10) {
                0..=3 => words[rng.below(words.len())],
                4..=7 => rng.below(common),
                _ => common + rng.below(vocab - common),
            };
            terms.push(crate::hash_word(&word(w)));
        }
        let actor = |i: usize| format!("actor-{i}");
        let input = StoryInput {
            id: format!("a{a}"),
            title: Some(format!("Article {a}")),
            outlet: Some(format!("Outlet {}", rng.below(50))),
            day: Some(day + rng.below(3) as i32),
            paragraph_ends: vec![(len / 3) as u32, (2 * len / 3) as u32],
            actors: acts
                .iter()
                .map(|&x| (actor(x), 1 + rng.below(5) as u32))
                .collect(),
            events: vec![InputEvent {
                source: actor(acts[0]),
                target: actor(acts[1]),
                cameo: "040".into(),
                day: Some(*day),
            }],
            sentences: vec![InputSentence {
                index: 0,
                text: format!("Lead sentence of article {a}."),
                start: 0,
                end: 10,
                terms: terms[..20.min(terms.len())].to_vec(),
                events: 1,
                quote: false,
            }],
            terms,
        };
        out.push(Article {
            input,
            event: e,
            copy_of: None,
        });
    }
    out
}

/// Pair precision, recall and F1 of a clustering against the generated events.
pub fn pair_scores(articles: &[Article], story_of: &[u32]) -> (f64, f64, f64) {
    use std::collections::HashMap;
    let pairs = |key: &dyn Fn(usize) -> u64| -> HashMap<u64, u64> {
        let mut m: HashMap<u64, u64> = HashMap::new();
        for i in 0..articles.len() {
            *m.entry(key(i)).or_default() += 1;
        }
        m
    };
    let c2 = |n: u64| n * n.saturating_sub(1) / 2;
    let gold: u64 = pairs(&|i| articles[i].event as u64)
        .values()
        .map(|&n| c2(n))
        .sum();
    let pred: u64 = pairs(&|i| story_of[i] as u64)
        .values()
        .map(|&n| c2(n))
        .sum();
    let both: u64 = pairs(&|i| ((articles[i].event as u64) << 32) | story_of[i] as u64)
        .values()
        .map(|&n| c2(n))
        .sum();
    let p = both as f64 / pred.max(1) as f64;
    let r = both as f64 / gold.max(1) as f64;
    let f = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    (p, r, f)
}

/// Precision and recall of near-copy links (`links[i]`: the earlier article `i` was found
/// to copy) against the generated copies: a link is right when both articles are copies
/// of one original (or one is the other's original); a generated copy is found when it
/// has a right link.
pub fn copy_scores(articles: &[Article], links: &[Option<usize>]) -> (f64, f64) {
    let original = |mut i: usize| {
        while let Some(j) = articles[i].copy_of {
            i = j;
        }
        i
    };
    let right = links
        .iter()
        .enumerate()
        .filter(|(i, l)| l.is_some_and(|j| original(j) == original(*i)))
        .count();
    let found = links.iter().filter(|l| l.is_some()).count();
    let copies = articles.iter().filter(|a| a.copy_of.is_some()).count();
    (
        right as f64 / found.max(1) as f64,
        right as f64 / copies.max(1) as f64,
    )
}
