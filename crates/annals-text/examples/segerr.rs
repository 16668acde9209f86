//! The sentence-boundary errors of the bundled (or a given) model on a treebank, and what
//! fixing each kind of error would be worth.
//!
//! ```text
//! cargo run --release -p annals-text --example segerr -- FILE.conllu [MODEL.bin]
//! ```
//!
//! Paragraphs are rebuilt as `eval_segment` does. Each error line reads `MISS` (a gold
//! boundary not found) or `FALSE` (a predicted boundary not in the gold), how the gap was
//! decided (`N`/`Y` by a rule, `s` skipped as not worth scoring, `m` by the model, with
//! the model's score), its kind (what ends the text before the gap) and the text around
//! it with `|` at the gap. A summary follows: errors by kind, and the sentence scores an
//! oracle would reach by getting every gap of a kind right.
use annals_text::Segmenter;
use std::collections::{BTreeMap, BTreeSet};

/// Paragraphs rebuilt from `# text` lines, with the gold sentence end offsets.
fn paragraphs(conllu: &str) -> Vec<(String, BTreeSet<usize>)> {
    let mut out: Vec<(String, BTreeSet<usize>)> = Vec::new();
    let mut newpar = false;
    for line in conllu.lines() {
        if line.starts_with("# newpar") || line.starts_with("# newdoc") {
            newpar = true;
        } else if let Some(t) = line.strip_prefix("# text = ") {
            if newpar || out.is_empty() {
                out.push((String::new(), BTreeSet::new()));
                newpar = false;
            }
            let p = out.last_mut().expect("pushed");
            if !p.0.is_empty() {
                p.0.push(' ');
            }
            p.0.push_str(t.trim());
            p.1.insert(p.0.len());
        }
    }
    out
}

/// What ends the text before a gap: sentence punctuation (maybe inside closers), weaker
/// punctuation, or nothing (then split by the case of the next word).
fn kind(text: &str, at: usize) -> &'static str {
    let left = text[..at].trim_end_matches([')', '"', '\'', '”', '’', ']']);
    let right = text[at..].trim_start();
    match left.chars().last() {
        Some('.' | '!' | '?' | '…') => "after . ! ?",
        Some(':' | ';' | ',' | '-') => "after : ; , -",
        _ if right.starts_with(char::is_lowercase) => "no punct, lower next",
        _ => "no punct, other next",
    }
}

/// Sentences (start, end) of a paragraph cut at `ends`, trimmed as the scorer trims them.
fn sentences(text: &str, ends: &BTreeSet<usize>) -> BTreeSet<(usize, usize)> {
    let mut out = BTreeSet::new();
    let mut s = 0;
    for &e in ends.iter().chain(std::iter::once(&text.len())) {
        if e <= s {
            continue;
        }
        let seg = &text[s..e];
        let a = s + seg.len() - seg.trim_start().len();
        if a < e {
            out.insert((a, e));
        }
        s = e;
    }
    out
}

#[derive(Default)]
struct Prf {
    predicted: usize,
    gold: usize,
    correct: usize,
}

impl Prf {
    fn add(&mut self, text: &str, gold: &BTreeSet<usize>, pred: &BTreeSet<usize>) {
        let (g, p) = (sentences(text, gold), sentences(text, pred));
        self.gold += g.len();
        self.predicted += p.len();
        self.correct += p.intersection(&g).count();
    }

    fn show(&self) -> String {
        let p = self.correct as f64 / self.predicted.max(1) as f64;
        let r = self.correct as f64 / self.gold.max(1) as f64;
        format!(
            "P={p:.4} R={r:.4} F1={:.4}",
            2.0 * p * r / (p + r).max(1e-9)
        )
    }
}

const KINDS: [&str; 4] = [
    "after . ! ?",
    "after : ; , -",
    "no punct, lower next",
    "no punct, other next",
];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(file) = args.first() else {
        eprintln!("usage: segerr FILE.conllu [MODEL.bin]");
        return;
    };
    let text = std::fs::read_to_string(file).expect("treebank");
    let seg = match args.get(1) {
        Some(p) => Segmenter::from_model_bytes(&std::fs::read(p).expect("model")).expect("model"),
        None => Segmenter::new(),
    };
    let mut errors: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    let mut now = Prf::default();
    let mut oracle: Vec<Prf> = (0..KINDS.len() + 1).map(|_| Prf::default()).collect();
    for (para, mut gold) in paragraphs(&text) {
        gold.remove(&para.len());
        let mut pred: BTreeSet<usize> = seg
            .sentences(&para)
            .iter()
            .map(|s| s.as_ptr() as usize - para.as_ptr() as usize + s.len())
            .collect();
        pred.remove(&para.len());
        now.add(&para, &gold, &pred);
        let report = seg.gap_report(&para);
        let how = |at: usize| {
            report
                .iter()
                .find(|r| r.0 == at)
                .map_or("?".into(), |r| format!("{}{:+.1}", r.1 as char, r.2))
        };
        let show = |at: usize| {
            let mut a = at.saturating_sub(60);
            while !para.is_char_boundary(a) {
                a -= 1;
            }
            let mut b = (at + 60).min(para.len());
            while !para.is_char_boundary(b) {
                b += 1;
            }
            format!("{}|{}", &para[a..at], &para[at..b])
        };
        for (label, set) in [
            ("MISS ", gold.difference(&pred)),
            ("FALSE", pred.difference(&gold)),
        ] {
            for &at in set {
                let k = kind(&para, at);
                *errors.entry((label, k)).or_default() += 1;
                println!("{label} {:7} [{k}] {}", how(at), show(at));
            }
        }
        // oracles: every gap of one kind (or, last, every punctuated gap) decided right
        for (o, prf) in oracle.iter_mut().enumerate() {
            let fixed = |at: &usize| {
                let k = kind(&para, *at);
                if o < KINDS.len() {
                    k == KINDS[o]
                } else {
                    k.starts_with("after")
                }
            };
            let mut p: BTreeSet<usize> = pred.iter().copied().filter(|a| !fixed(a)).collect();
            p.extend(gold.iter().copied().filter(fixed));
            prf.add(&para, &gold, &p);
        }
    }
    println!("\nerrors by kind of gap:");
    for ((label, k), n) in &errors {
        println!("  {label} {k:22} {n}");
    }
    println!("sentences now:                      {}", now.show());
    for (o, prf) in oracle.iter().enumerate() {
        let what = KINDS.get(o).copied().unwrap_or("any punctuation");
        println!("oracle, every gap {what:20} right: {}", prf.show());
    }
}
