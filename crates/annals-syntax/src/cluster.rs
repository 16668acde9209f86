//! Word clusters learnt from the training text with the exchange algorithm (Kneser & Ney
//! 1993; Martin et al. 1998): words are moved between classes to maximise the likelihood of
//! a class bigram model. Two granularities are learnt and packed into one code, so the
//! tagger and parser can back off from a rare word to words that occur in similar contexts.

use crate::lex::norm_hash;
use std::collections::BTreeMap;

fn f(x: f64) -> f64 {
    if x > 0.0 {
        x * x.ln()
    } else {
        0.0
    }
}

/// Exchange clustering of word ids into `k` classes. `bigrams` are `(left, right, count)`.
fn exchange(
    nw: usize,
    freq_order: &[usize],
    bigrams: &[(u32, u32, u32)],
    k: usize,
    iters: usize,
) -> Vec<u32> {
    let mut cls = vec![0u32; nw];
    for (rank, &w) in freq_order.iter().enumerate() {
        cls[w] = (rank % k) as u32;
    }
    let mut right: Vec<Vec<(u32, u32)>> = vec![Vec::new(); nw];
    let mut left: Vec<Vec<(u32, u32)>> = vec![Vec::new(); nw];
    let mut nl = vec![0f64; nw]; // w as the left element
    let mut nr = vec![0f64; nw];
    for &(a, b, n) in bigrams {
        right[a as usize].push((b, n));
        left[b as usize].push((a, n));
        nl[a as usize] += n as f64;
        nr[b as usize] += n as f64;
    }
    let mut big = vec![0f64; k * k];
    let mut cl = vec![0f64; k];
    let mut cr = vec![0f64; k];
    for &(a, b, n) in bigrams {
        big[cls[a as usize] as usize * k + cls[b as usize] as usize] += n as f64;
    }
    for w in 0..nw {
        cl[cls[w] as usize] += nl[w];
        cr[cls[w] as usize] += nr[w];
    }
    let mut rc = vec![0f64; k];
    let mut lc = vec![0f64; k];
    let mut rlist: Vec<usize> = Vec::new();
    let mut llist: Vec<usize> = Vec::new();
    for _ in 0..iters {
        let mut moved = 0;
        for &w in freq_order {
            let a = cls[w] as usize;
            // aggregate neighbour counts by class (self-bigrams separately)
            let mut selfn = 0f64;
            for &(v, n) in &right[w] {
                if v as usize == w {
                    selfn += n as f64;
                    continue;
                }
                let c = cls[v as usize] as usize;
                if rc[c] == 0.0 {
                    rlist.push(c);
                }
                rc[c] += n as f64;
            }
            for &(u, n) in &left[w] {
                if u as usize == w {
                    continue;
                }
                let c = cls[u as usize] as usize;
                if lc[c] == 0.0 {
                    llist.push(c);
                }
                lc[c] += n as f64;
            }
            // remove w from a
            for &c in &rlist {
                big[a * k + c] -= rc[c];
            }
            for &c in &llist {
                big[c * k + a] -= lc[c];
            }
            big[a * k + a] -= selfn;
            cl[a] -= nl[w];
            cr[a] -= nr[w];
            // best class
            let mut best = (a, f64::NEG_INFINITY);
            for t in 0..k {
                let mut d = 0.0;
                for &c in &rlist {
                    if c != t {
                        let x = big[t * k + c];
                        d += f(x + rc[c]) - f(x);
                    }
                }
                for &c in &llist {
                    if c != t {
                        let x = big[c * k + t];
                        d += f(x + lc[c]) - f(x);
                    }
                }
                let x = big[t * k + t];
                d += f(x + rc[t] + lc[t] + selfn) - f(x);
                d -= f(cl[t] + nl[w]) - f(cl[t]);
                d -= f(cr[t] + nr[w]) - f(cr[t]);
                if d > best.1 + 1e-9 {
                    best = (t, d);
                }
            }
            let t = best.0;
            for &c in &rlist {
                big[t * k + c] += rc[c];
            }
            for &c in &llist {
                big[c * k + t] += lc[c];
            }
            big[t * k + t] += selfn;
            cl[t] += nl[w];
            cr[t] += nr[w];
            if t != a {
                moved += 1;
                // the (t, t) cell absorbed the neighbours that were already in t; the
                // neighbour counts in a/t were added as (t, c) and (c, t), which is right.
                cls[w] = t as u32;
            }
            for &c in &rlist {
                rc[c] = 0.0;
            }
            for &c in &llist {
                lc[c] = 0.0;
            }
            rlist.clear();
            llist.clear();
        }
        if moved == 0 {
            break;
        }
    }
    cls
}

/// Learn clusters from sentences: normalised-word hash → code packing a 64-class and a
/// 512-class id (`1 << 20 | small << 10 | big`). Words seen fewer than twice get no code.
pub fn learn<'a>(
    sents: impl Iterator<Item = &'a [String]>,
    k: usize,
    _seed: u64,
) -> BTreeMap<u64, u32> {
    let mut ids: BTreeMap<u64, u32> = BTreeMap::new();
    let mut freq: Vec<u32> = vec![0]; // id 0: sentence boundary
    let mut seqs: Vec<Vec<u32>> = Vec::new();
    for s in sents {
        let mut seq = Vec::with_capacity(s.len());
        for w in s {
            let h = norm_hash(w);
            let next = ids.len() as u32 + 1;
            let id = *ids.entry(h).or_insert(next);
            if id as usize >= freq.len() {
                freq.push(0);
            }
            freq[id as usize] += 1;
            seq.push(id);
        }
        seqs.push(seq);
    }
    // rare words share one id
    let unk = freq.len() as u32;
    let keep = |id: u32| id == 0 || freq[id as usize] >= 2;
    let mut pairs: BTreeMap<(u32, u32), u32> = BTreeMap::new();
    for seq in &seqs {
        let mut prev = 0u32;
        for &id in seq.iter().chain(std::iter::once(&0)) {
            let id = if keep(id) { id } else { unk };
            *pairs.entry((prev, id)).or_insert(0) += 1;
            prev = id;
        }
    }
    let nw = unk as usize + 1;
    let mut total = freq.clone();
    total.push(0);
    for seq in &seqs {
        total[0] += 1;
        for &id in seq {
            if !keep(id) {
                total[unk as usize] += 1;
            }
        }
    }
    let mut order: Vec<usize> = (0..nw)
        .filter(|&w| w == unk as usize || keep(w as u32))
        .collect();
    order.sort_by_key(|&w| (std::cmp::Reverse(total[w]), w));
    let bigrams: Vec<(u32, u32, u32)> = pairs.into_iter().map(|((a, b), n)| (a, b, n)).collect();
    let small = exchange(nw, &order, &bigrams, 64, 8);
    let big = exchange(nw, &order, &bigrams, k.clamp(2, 1023), 8);
    ids.into_iter()
        .filter(|&(_, id)| keep(id))
        .map(|(h, id)| (h, 1 << 20 | small[id as usize] << 10 | big[id as usize]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_in_the_same_contexts_share_a_class() {
        let mut sents: Vec<Vec<String>> = Vec::new();
        for (i, n) in ["cat", "dog", "cow", "pig"].iter().enumerate() {
            for v in ["runs", "sleeps", "eats"] {
                for _ in 0..3 + i {
                    sents.push(vec!["the".into(), n.to_string(), v.into(), ".".into()]);
                }
            }
        }
        let c = learn(sents.iter().map(|s| s.as_slice()), 4, 1);
        let big = |w: &str| c[&norm_hash(w)] & 0x3FF;
        assert_eq!(big("cat"), big("dog"));
        assert_eq!(big("runs"), big("eats"));
        assert_ne!(big("cat"), big("runs"));
    }
}
