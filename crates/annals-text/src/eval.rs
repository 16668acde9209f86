//! Scoring segmentation and tokenization against a CoNLL-U treebank.
//!
//! The running text is rebuilt from the `# text` lines: sentences of one paragraph (as
//! marked by `# newpar` or `# newdoc`) joined by one space, each paragraph on its own.

use crate::segment::Segmenter;
use crate::tokenize::{tokenize_into, Span};
use std::collections::HashSet;
use std::fmt;

/// One paragraph rebuilt from a treebank, with its gold sentences and words.
#[derive(Debug, Clone, Default)]
pub(crate) struct GoldParagraph {
    /// The text: the sentences joined by single spaces.
    pub text: String,
    /// Sentence byte ranges in `text`, without surrounding whitespace.
    pub sentences: Vec<std::ops::Range<usize>>,
    /// Word byte ranges in `text`, where the words could be aligned with the text.
    pub words: Vec<std::ops::Range<usize>>,
    /// Sentences whose words could not be aligned with their text.
    pub unaligned: usize,
}

/// Rebuild the paragraphs of a CoNLL-U text. Malformed blocks are skipped.
pub(crate) fn rebuild(conllu: &str) -> Vec<GoldParagraph> {
    let mut out: Vec<GoldParagraph> = Vec::new();
    for sent in annals_model::conllu::sentences(conllu).flatten() {
        let Some(text) = sent.text else { continue };
        if sent.newpar || out.is_empty() {
            out.push(GoldParagraph::default());
        }
        let p = out.last_mut().expect("pushed above");
        if !p.text.is_empty() {
            p.text.push(' ');
        }
        let base = p.text.len();
        p.text.push_str(text);
        let lead = text.len() - text.trim_start().len();
        let s = base + lead;
        let e = base + text.trim_end().len();
        if s < e {
            p.sentences.push(s..e);
        }
        // align the words (UD multiword tokens are always split inside one surface string)
        let mut pos = 0;
        let mut words = Vec::with_capacity(sent.words.len());
        let mut ok = true;
        for w in &sent.words {
            let rest = &text[pos..];
            let skip = rest.len() - rest.trim_start().len();
            if rest[skip..].starts_with(w.form) {
                let a = pos + skip;
                words.push(base + a..base + a + w.form.len());
                pos = a + w.form.len();
            } else {
                ok = false;
                break;
            }
        }
        if ok {
            p.words.extend(words);
        } else {
            p.unaligned += 1;
        }
    }
    out
}

/// Precision, recall and F1 of one kind of unit.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Prf {
    /// Units predicted.
    pub predicted: usize,
    /// Units in the gold standard.
    pub gold: usize,
    /// Predicted units that match a gold one.
    pub correct: usize,
}

impl Prf {
    /// Correct / predicted.
    pub fn precision(&self) -> f64 {
        if self.predicted == 0 {
            0.0
        } else {
            self.correct as f64 / self.predicted as f64
        }
    }

    /// Correct / gold.
    pub fn recall(&self) -> f64 {
        if self.gold == 0 {
            0.0
        } else {
            self.correct as f64 / self.gold as f64
        }
    }

    /// Harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

/// The scores of [`eval_segment`].
///
/// `Display` prints a token line and then, last, the sentence line:
///
/// ```text
/// tokens P=0.9801 R=0.9755 F1=0.9778
/// sentences P=0.9712 R=0.9655 F1=0.9683
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct SegmentScores {
    /// Sentence boundaries: a predicted sentence is correct when its start and end match a
    /// gold sentence.
    pub sentences: Prf,
    /// Tokens: a predicted token is correct when its start and end match a gold word, in
    /// the sentences whose words could be aligned with the text.
    pub tokens: Prf,
}

impl SegmentScores {
    /// Sentence precision.
    pub fn precision(&self) -> f64 {
        self.sentences.precision()
    }

    /// Sentence recall.
    pub fn recall(&self) -> f64 {
        self.sentences.recall()
    }

    /// Sentence F1.
    pub fn f1(&self) -> f64 {
        self.sentences.f1()
    }
}

impl fmt::Display for SegmentScores {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = &self.tokens;
        writeln!(
            f,
            "tokens P={:.4} R={:.4} F1={:.4}",
            t.precision(),
            t.recall(),
            t.f1()
        )?;
        let s = &self.sentences;
        write!(
            f,
            "sentences P={:.4} R={:.4} F1={:.4}",
            s.precision(),
            s.recall(),
            s.f1()
        )
    }
}

/// Segment the running text of a CoNLL-U treebank with `seg` and score the sentences and
/// tokens against it. Blocks that fail to parse are skipped.
pub fn eval_segment(conllu: &str, seg: &Segmenter) -> SegmentScores {
    let mut scores = SegmentScores::default();
    let mut spans = Vec::new();
    let mut ends = Vec::new();
    for gp in rebuild(conllu) {
        seg.split_into(&gp.text, &mut spans, &mut ends);
        let gold: HashSet<(usize, usize)> = gp.sentences.iter().map(|r| (r.start, r.end)).collect();
        scores.sentences.gold += gold.len();
        let mut start = 0;
        for &e in &ends {
            if e > start {
                scores.sentences.predicted += 1;
                if gold.contains(&(spans[start].start, spans[e - 1].end)) {
                    scores.sentences.correct += 1;
                }
            }
            start = e;
        }
        if gp.unaligned == 0 {
            score_tokens(&gp, &mut scores.tokens);
        }
    }
    scores
}

fn score_tokens(gp: &GoldParagraph, prf: &mut Prf) {
    let mut spans: Vec<Span> = Vec::new();
    tokenize_into(&gp.text, 0, &mut spans);
    let gold: HashSet<(usize, usize)> = gp.words.iter().map(|r| (r.start, r.end)).collect();
    prf.gold += gold.len();
    prf.predicted += spans.len();
    prf.correct += spans
        .iter()
        .filter(|s| gold.contains(&(s.start, s.end)))
        .count();
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWO: &str = "# newdoc id = d\n# text = Hi there.\n1\tHi\thi\tINTJ\tUH\t_\t0\troot\t_\t_\n2\tthere\tthere\tADV\tRB\t_\t1\tadvmod\t_\tSpaceAfter=No\n3\t.\t.\tPUNCT\t.\t_\t1\tpunct\t_\t_\n\n# text = Bye.\n1\tBye\tbye\tINTJ\tUH\t_\t0\troot\t_\tSpaceAfter=No\n2\t.\t.\tPUNCT\t.\t_\t1\tpunct\t_\t_\n\n";

    #[test]
    fn rebuilds_paragraphs_and_words() {
        let p = rebuild(TWO);
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].text, "Hi there. Bye.");
        assert_eq!(p[0].sentences, vec![0..9, 10..14]);
        assert_eq!(p[0].words.len(), 5);
    }

    #[test]
    fn scores_a_perfect_segmentation() {
        let s = eval_segment(TWO, &Segmenter::rules_only());
        assert_eq!(
            s.sentences,
            Prf {
                predicted: 2,
                gold: 2,
                correct: 2
            }
        );
        assert_eq!(s.tokens.correct, 5);
        let shown = s.to_string();
        assert!(shown
            .lines()
            .last()
            .unwrap()
            .starts_with("sentences P=1.0000 R=1.0000 F1=1.0000"));
    }
}
