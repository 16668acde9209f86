use crate::{Syntax, TextRange};
use serde::{Deserialize, Serialize};

/// A paragraph of the clean body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paragraph {
    /// Its bytes in the body.
    pub range: TextRange,
}

/// A sentence: its bytes and the tokens it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sentence {
    /// Its bytes in the body, from the first token's start to the last token's end.
    pub range: TextRange,
    /// Index of the paragraph that holds it.
    pub paragraph: u32,
    /// Indices into [`crate::Document::tokens`].
    pub tokens: std::ops::Range<u32>,
}

/// A token, following Universal Dependencies conventions ("don't" → "do" + "n't").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Token {
    /// Its bytes in the body. Two tokens split from one word ("do" + "n't") each cover
    /// their own part of it.
    pub range: TextRange,
    /// The form when it differs from the surface text (e.g. `n't` for `n’t`); `None`
    /// in the common case, so no allocation per token.
    pub norm: Option<Box<str>>,
    /// Whitespace follows this token in the body (CoNLL-U's `SpaceAfter=No` is `false`).
    pub space_after: bool,
    /// Tags and the dependency arc, once parsed.
    pub syn: Syntax,
}
