//! Where the parser goes wrong on a treebank (gold tokens): attachment errors by the
//! gold relation of the word, and the commonest label confusions among right heads.
//!
//! ```text
//! cargo run --release -p annals-syntax --example errors [MODEL] [CONLLU] [DUMP]
//! ```

use annals_model::conllu;
use annals_syntax::{Model, Scratch};
use std::collections::BTreeMap;

fn main() {
    let mut args = std::env::args().skip(1);
    let model = args.next().unwrap_or_else(|| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../models/en_ewt.syntax").into()
    });
    let data = args
        .next()
        .unwrap_or_else(|| "../shared/ud/en_ewt-ud-dev.conllu".into());
    let m = Model::load(&model).expect("model");
    let text = std::fs::read_to_string(&data).expect("treebank");
    let sents: Vec<_> = conllu::sentences(&text).filter_map(Result::ok).collect();
    let forms: Vec<&str> = sents
        .iter()
        .flat_map(|s| s.words.iter().map(|w| w.form))
        .collect();
    let lens: Vec<usize> = sents.iter().map(|s| s.words.len()).collect();
    let mut s = Scratch::default();
    let mut out = Vec::new();
    m.analyze_many_into(&forms, &lens, &mut out, &mut s);
    let gold: Vec<_> = sents.iter().flat_map(|s| s.words.iter()).collect();
    if let Some(dump) = args.next() {
        // one line a word: sentence, id, form, gold upos, gold head, gold rel, predicted
        // upos, head, rel
        let mut o = String::new();
        let mut at = 0;
        for (k, s) in sents.iter().enumerate() {
            for w in &s.words {
                let p = &out[at];
                at += 1;
                o.push_str(&format!(
                    "{k}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
                    w.id,
                    w.form,
                    w.upos,
                    w.head,
                    w.deprel,
                    p.upos.as_str(),
                    p.head,
                    p.deprel.as_str()
                ));
            }
        }
        std::fs::write(dump, o).expect("dump");
    }
    // by gold relation: (words, head errors, label errors with the right head, tag errors)
    let mut by: BTreeMap<String, [usize; 4]> = BTreeMap::new();
    let mut conf: BTreeMap<(String, String), usize> = BTreeMap::new();
    let (mut n, mut uerr, mut lerr) = (0usize, 0usize, 0usize);
    for (g, p) in gold.iter().zip(&out) {
        let rel = g.deprel.to_string();
        let e = by.entry(rel.clone()).or_default();
        e[0] += 1;
        n += 1;
        if p.upos.as_str() != g.upos {
            e[3] += 1;
        }
        if p.head as u32 != g.head {
            e[1] += 1;
            uerr += 1;
        } else if p.deprel.as_str() != g.deprel {
            e[2] += 1;
            lerr += 1;
            *conf
                .entry((rel, p.deprel.as_str().to_string()))
                .or_default() += 1;
        }
    }
    println!("{n} words: {uerr} head errors, {lerr} label errors with the right head");
    let mut v: Vec<_> = by.into_iter().collect();
    v.sort_by_key(|(_, c)| std::cmp::Reverse(c[1] + c[2]));
    println!(
        "{:14} {:>6} {:>6} {:>6} {:>6}",
        "gold rel", "words", "head", "label", "tag"
    );
    for (r, c) in v.iter().take(30) {
        println!("{r:14} {:6} {:6} {:6} {:6}", c[0], c[1], c[2], c[3]);
    }
    let mut c: Vec<_> = conf.into_iter().collect();
    c.sort_by_key(|(_, k)| std::cmp::Reverse(*k));
    println!("label confusions (gold -> predicted):");
    for ((g, p), k) in c.iter().take(30) {
        println!("  {g:12} -> {p:12} {k}");
    }
}
