//! Scoring against a gold treebank.

use crate::{Model, Scratch};
use annals_model::{conllu, DepRel, Syntax, Upos, Xpos};
use std::fmt;

/// Accuracy of tagging and parsing on gold tokenization, punctuation included.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ParseScores {
    /// Universal tag accuracy, percent.
    pub upos: f64,
    /// Penn tag accuracy, percent.
    pub xpos: f64,
    /// Unlabelled attachment score, percent.
    pub uas: f64,
    /// Labelled attachment score (full relation with subtype), percent.
    pub las: f64,
    /// Labelled attachment score on the relation without its subtype, percent.
    pub las_base: f64,
    /// Words scored.
    pub words: usize,
    /// Sentences scored.
    pub sentences: usize,
    /// Malformed sentence blocks skipped.
    pub skipped: usize,
}

impl fmt::Display for ParseScores {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "UPOS={:.2} UAS={:.2} LAS={:.2}",
            self.upos, self.uas, self.las
        )
    }
}

/// Tag and parse every sentence of `conllu` (its gold words) and score against its gold
/// annotation. Malformed blocks are skipped and counted.
pub fn eval_parse(model: &Model, conllu: &str) -> ParseScores {
    let mut s = Scratch::default();
    let mut out: Vec<Syntax> = Vec::new();
    let mut forms: Vec<&str> = Vec::new();
    let mut lens: Vec<usize> = Vec::new();
    let mut gold: Vec<conllu::Word> = Vec::new();
    let mut counts = [0usize; 6]; // upos, xpos, uas, las, las-base, words
    let mut sc = ParseScores::default();
    // sentences go to the model in batches (see `Model::analyze_many_into`)
    let mut flush = |forms: &mut Vec<&str>,
                     lens: &mut Vec<usize>,
                     gold: &mut Vec<conllu::Word>,
                     counts: &mut [usize; 6]| {
        model.analyze_many_into(forms, lens, &mut out, &mut s);
        for (w, p) in gold.iter().zip(&out) {
            counts[5] += 1;
            counts[0] += (p.upos == Upos::from_label(w.upos)) as usize;
            counts[1] += (p.xpos == Xpos::from_label(w.xpos)) as usize;
            if p.head as u32 == w.head {
                counts[2] += 1;
                let g = DepRel::from_label(w.deprel);
                counts[3] += (p.deprel == g && g != DepRel::UNKNOWN) as usize;
                counts[4] += (p.deprel.base() == w.deprel.split(':').next().unwrap_or("")) as usize;
            }
        }
        forms.clear();
        lens.clear();
        gold.clear();
    };
    for sent in conllu::sentences(conllu) {
        let Ok(sent) = sent else {
            sc.skipped += 1;
            continue;
        };
        forms.extend(sent.words.iter().map(|w| w.form));
        lens.push(sent.words.len());
        gold.extend(sent.words.iter().cloned());
        sc.sentences += 1;
        if lens.len() == 64 {
            flush(&mut forms, &mut lens, &mut gold, &mut counts);
        }
    }
    flush(&mut forms, &mut lens, &mut gold, &mut counts);
    let [up, xp, ua, la, lb, n] = counts;
    let pct = |k: usize| {
        if n == 0 {
            0.0
        } else {
            100.0 * k as f64 / n as f64
        }
    };
    sc.upos = pct(up);
    sc.xpos = pct(xp);
    sc.uas = pct(ua);
    sc.las = pct(la);
    sc.las_base = pct(lb);
    sc.words = n;
    sc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_format() {
        let s = ParseScores {
            upos: 95.714,
            uas: 86.2,
            las: 83.4,
            ..Default::default()
        };
        assert_eq!(s.to_string(), "UPOS=95.71 UAS=86.20 LAS=83.40");
    }
}
