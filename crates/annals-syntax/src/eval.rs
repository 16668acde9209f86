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
    let (mut up, mut xp, mut ua, mut la, mut lb, mut n) = (0usize, 0, 0, 0, 0, 0);
    let mut sc = ParseScores::default();
    for sent in conllu::sentences(conllu) {
        let Ok(sent) = sent else {
            sc.skipped += 1;
            continue;
        };
        forms.clear();
        forms.extend(sent.words.iter().map(|w| w.form));
        model.analyze_into(&forms, &mut out, &mut s);
        for (w, p) in sent.words.iter().zip(&out) {
            n += 1;
            up += (p.upos == Upos::from_label(w.upos)) as usize;
            xp += (p.xpos == Xpos::from_label(w.xpos)) as usize;
            if p.head as u32 == w.head {
                ua += 1;
                let g = DepRel::from_label(w.deprel);
                la += (p.deprel == g && g != DepRel::UNKNOWN) as usize;
                lb += (p.deprel.base() == w.deprel.split(':').next().unwrap_or("")) as usize;
            }
        }
        sc.sentences += 1;
    }
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
