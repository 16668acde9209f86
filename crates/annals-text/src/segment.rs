//! The [`Segmenter`]: tokens and sentences for a document, paragraph by paragraph.

use crate::model::{self, Model, ModelError, NFEAT};
use crate::rules::{self, Rule, TokInfo};
use crate::tokenize::{tokenize_into, Span};
use annals_model::{Annotate, Document, Paragraph, Sentence, TextRange, Token};
use std::sync::{Arc, OnceLock};

/// The bundled model, trained by [`crate::train_segmenter`] on UD English EWT.
static BUNDLED_BYTES: &[u8] = include_bytes!("../../../models/segmenter.bin");

fn bundled() -> Option<Arc<Model>> {
    static MODEL: OnceLock<Option<Arc<Model>>> = OnceLock::new();
    MODEL
        .get_or_init(|| Model::from_bytes(BUNDLED_BYTES).ok().map(Arc::new))
        .clone()
}

/// Splits paragraphs into sentences and tokens.
///
/// A rule layer settles the clear cases (`Mr.` before a name, `."` before `he said`); a
/// small neural network over hashed features, trained on UD English EWT and bundled with the crate,
/// decides the rest, including boundaries with no final punctuation, common in web text.
/// Paragraphs are hard boundaries: a sentence never spans two.
///
/// ```
/// use annals_text::Segmenter;
/// let seg = Segmenter::new();
/// let s = seg.sentences("Mr. Putin arrived at 3 p.m. Monday. He left.");
/// assert_eq!(s, ["Mr. Putin arrived at 3 p.m. Monday.", "He left."]);
/// ```
#[derive(Debug, Clone)]
pub struct Segmenter {
    model: Option<Arc<Model>>,
}

impl Default for Segmenter {
    fn default() -> Self {
        Self::new()
    }
}

impl Segmenter {
    /// A segmenter with the bundled model (rules only if the bundled model is absent).
    pub fn new() -> Self {
        Segmenter { model: bundled() }
    }

    /// A segmenter that uses the rule layer alone.
    pub fn rules_only() -> Self {
        Segmenter { model: None }
    }

    /// A segmenter with a model read from the bytes [`crate::train_segmenter`] returns.
    pub fn from_model_bytes(bytes: &[u8]) -> Result<Self, ModelError> {
        Ok(Segmenter {
            model: Some(Arc::new(Model::from_bytes(bytes)?)),
        })
    }

    /// Shift the model's decision threshold by `delta` (positive: more boundaries, higher
    /// recall; negative: fewer, higher precision). No effect without a model.
    pub fn with_bias(mut self, delta: f32) -> Self {
        if let Some(m) = &mut self.model {
            Arc::make_mut(m).shift(delta);
        }
        self
    }

    /// True when a learned model decides the open cases.
    pub fn has_model(&self) -> bool {
        self.model.is_some()
    }

    /// Split one paragraph into sentences, returned as trimmed slices of `text`.
    pub fn sentences<'a>(&self, text: &'a str) -> Vec<&'a str> {
        let (mut spans, mut ends) = (Vec::new(), Vec::new());
        self.split_into(text, &mut spans, &mut ends);
        let mut out = Vec::with_capacity(ends.len());
        let mut start = 0;
        for &e in &ends {
            out.push(&text[spans[start].start..spans[e - 1].end]);
            start = e;
        }
        out
    }

    /// Tokenize one paragraph into `spans` (offsets into `text`) and write to `ends` the
    /// exclusive end index, in `spans`, of every sentence. Both vectors are cleared first.
    pub fn split_into(&self, text: &str, spans: &mut Vec<Span>, ends: &mut Vec<usize>) {
        spans.clear();
        ends.clear();
        tokenize_into(text, 0, spans);
        let mut info = Vec::with_capacity(spans.len());
        self.boundaries(text, spans, &mut info, ends);
    }

    /// For each gap of a paragraph, in order: the byte end of the token before it, the
    /// kind of decision (`b'N'` rule no, `b'Y'` rule yes, `b's'` skipped as not worth
    /// scoring, `b'm'` model or rule-only maybe) and the model score (0 when not scored).
    /// The sentence start follows this segmenter's own decisions, as in [`Self::sentences`].
    /// For error analysis (the `segerr` example).
    #[doc(hidden)]
    pub fn gap_report(&self, text: &str) -> Vec<(usize, u8, f32)> {
        let mut spans = Vec::new();
        tokenize_into(text, 0, &mut spans);
        let mut out = Vec::with_capacity(spans.len());
        self.decide(text, &spans, &mut Vec::new(), |i, kind, score, _| {
            out.push((spans[i].end, kind, score))
        });
        out
    }

    fn boundaries(
        &self,
        text: &str,
        spans: &[Span],
        info: &mut Vec<TokInfo>,
        ends: &mut Vec<usize>,
    ) {
        if spans.is_empty() {
            return;
        }
        self.decide(text, spans, info, |i, _, _, yes| {
            if yes {
                ends.push(i + 1);
            }
        });
        ends.push(spans.len());
        cap_lengths(text, spans, ends);
    }

    /// Decide every gap of a paragraph in order, calling `on_gap(i, kind, score, yes)` for
    /// the gap after token `i` (kinds and score as in [`Self::gap_report`]).
    #[inline]
    fn decide(
        &self,
        text: &str,
        spans: &[Span],
        info: &mut Vec<TokInfo>,
        mut on_gap: impl FnMut(usize, u8, f32, bool),
    ) {
        if spans.is_empty() {
            return;
        }
        rules::infos(text, spans, info);
        let mut feats = [0u64; NFEAT];
        let mut start = 0;
        for i in 0..spans.len() - 1 {
            let r = rules::rule(text, spans, info, i);
            let (kind, score, yes) = match (&self.model, r) {
                (_, Rule::No) => (b'N', 0.0, false),
                (_, Rule::Yes) => (b'Y', 0.0, true),
                (None, Rule::Maybe { yes, .. }) => (b'm', 0.0, yes),
                (Some(m), r) => {
                    if rules::worth_scoring(info, i, r) {
                        model::features(info, i, r, start, &mut feats);
                        let s = m.score(&feats);
                        (b'm', s, s > 0.0)
                    } else {
                        (b's', 0.0, false)
                    }
                }
            };
            on_gap(i, kind, score, yes);
            if yes {
                start = i + 1;
            }
        }
    }
}

/// Paragraph ranges of a body with none given: blocks separated by blank lines.
fn paragraphs_of(body: &str) -> Vec<Paragraph> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut last_end = 0;
    let mut pos = 0;
    for line in body.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        if content.trim().is_empty() {
            if let Some(s) = start.take() {
                out.push(Paragraph {
                    range: TextRange::new(s, last_end),
                });
            }
        } else {
            if start.is_none() {
                start = Some(pos + (content.len() - content.trim_start().len()));
            }
            last_end = pos + content.trim_end().len();
        }
        pos += line.len();
    }
    if let Some(s) = start {
        out.push(Paragraph {
            range: TextRange::new(s, last_end),
        });
    }
    out
}

/// The most tokens a sentence may have. Longer runs without a boundary (a table or a list
/// run together, text without stops, hostile input) are cut: the parser, the quote finder
/// and the event coder do per-sentence work that grows with the square of its length (a
/// 200 KB paragraph of "said the U.S. official" took 70 s). The longest sentence of the
/// UD English treebank has 159 tokens.
pub const MAX_SENTENCE_TOKENS: usize = 256;

/// Cut every sentence longer than [`MAX_SENTENCE_TOKENS`]: after the last punctuation
/// token in the final quarter of the allowed length, else at the length itself.
fn cap_lengths(text: &str, spans: &[Span], ends: &mut Vec<usize>) {
    let mut start = 0;
    let fits = ends.iter().all(|&e| {
        let ok = e - start <= MAX_SENTENCE_TOKENS;
        start = e;
        ok
    });
    if fits {
        return;
    }
    let punct = |i: usize| {
        text[spans[i].start..spans[i].end]
            .chars()
            .all(|c| !c.is_alphanumeric())
    };
    let mut out = Vec::with_capacity(ends.len() + 1);
    let mut start = 0;
    for &e in ends.iter() {
        while e - start > MAX_SENTENCE_TOKENS {
            let limit = start + MAX_SENTENCE_TOKENS;
            let cut = (start + MAX_SENTENCE_TOKENS * 3 / 4..limit)
                .rev()
                .find(|&i| punct(i))
                .map_or(limit, |i| i + 1);
            out.push(cut);
            start = cut;
        }
        out.push(e);
        start = e;
    }
    *ends = out;
}

impl Annotate for Segmenter {
    fn name(&self) -> &'static str {
        "segment"
    }

    /// Fill `doc.sentences` and `doc.tokens` (replacing any there). When the document has
    /// no paragraphs, blocks of the body separated by blank lines become its paragraphs.
    fn annotate(&self, doc: &mut Document) {
        doc.sentences.clear();
        doc.tokens.clear();
        if doc.paragraphs.is_empty() && !doc.body.trim().is_empty() {
            doc.paragraphs = paragraphs_of(&doc.body);
        }
        let body = doc.body.as_str();
        doc.tokens.reserve(body.len() / 5);
        let (mut spans, mut ends, mut info) = (Vec::new(), Vec::new(), Vec::new());
        for (pi, para) in doc.paragraphs.iter().enumerate() {
            let base = para.range.start as usize;
            let text = para.range.slice(body);
            spans.clear();
            ends.clear();
            tokenize_into(text, 0, &mut spans);
            self.boundaries(text, &spans, &mut info, &mut ends);
            let mut start = 0;
            for &e in &ends {
                let first = doc.tokens.len() as u32;
                for sp in &spans[start..e] {
                    let (s, end) = (base + sp.start, base + sp.end);
                    let space_after = body[end..].chars().next().is_some_and(char::is_whitespace);
                    doc.tokens.push(Token {
                        range: TextRange::new(s, end),
                        norm: sp.norm.map(Box::from),
                        space_after,
                        syn: Default::default(),
                    });
                }
                doc.sentences.push(Sentence {
                    range: TextRange::new(base + spans[start].start, base + spans[e - 1].end),
                    paragraph: pi as u32,
                    tokens: first..doc.tokens.len() as u32,
                });
                start = e;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn sentences_are_cut_at_the_length_limit() {
        let text = "said the U.S. official, ".repeat(400);
        let seg = Segmenter::new();
        let (mut spans, mut ends) = (Vec::new(), Vec::new());
        seg.split_into(&text, &mut spans, &mut ends);
        assert!(ends.len() > 1, "one sentence of {} tokens", spans.len());
        let mut start = 0;
        for &e in &ends {
            assert!(e - start <= MAX_SENTENCE_TOKENS, "{} tokens", e - start);
            // cut after a comma when there is one near the limit
            assert!(e == spans.len() || &text[spans[e - 1].start..spans[e - 1].end] == ",");
            start = e;
        }
        assert_eq!(*ends.last().unwrap(), spans.len());
        // ordinary sentences are untouched
        assert_eq!(
            seg.sentences("He left. She stayed."),
            ["He left.", "She stayed."]
        );
    }

    use super::*;

    #[test]
    fn finds_paragraphs_when_none_are_given() {
        let p = paragraphs_of("Head line\n\n  Body one.\nStill one.\n\n\nTwo.\n");
        let body = "Head line\n\n  Body one.\nStill one.\n\n\nTwo.\n";
        let texts: Vec<&str> = p.iter().map(|p| p.range.slice(body)).collect();
        assert_eq!(texts, ["Head line", "Body one.\nStill one.", "Two."]);
    }

    #[test]
    fn annotates_a_document() {
        let body = "Putin speaks\n\nHe said it. Then he left.".to_string();
        let mut doc = Document {
            body,
            ..Default::default()
        };
        Segmenter::rules_only().annotate(&mut doc);
        assert_eq!(doc.paragraphs.len(), 2);
        let s: Vec<(&str, u32)> = doc
            .sentences
            .iter()
            .map(|s| (doc.text(s.range), s.paragraph))
            .collect();
        assert_eq!(
            s,
            [
                ("Putin speaks", 0),
                ("He said it.", 1),
                ("Then he left.", 1)
            ]
        );
        let last = doc.tokens.last().unwrap();
        assert_eq!(doc.text(last.range), ".");
        assert!(!last.space_after);
        assert!(!doc.tokens[doc.tokens.len() - 2].space_after);
        assert!(doc.tokens[0].space_after);
    }
}
