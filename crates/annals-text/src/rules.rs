//! Per-token facts and the rule layer of sentence segmentation.
//!
//! Every gap between two tokens of a paragraph gets a [`Rule`]: a sure "no" (`Mr.` before a
//! name, a period before a closing quote, `?"` before `she asked`), or a "maybe" with a
//! reason and the rule-only decision. The learned model, when present, decides the maybes.

use crate::lexicon::{self, AbbrevKind};
use crate::tokenize::Span;

/// Facts about one token, computed once per paragraph.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct TokInfo {
    /// Hash of the lower-cased form.
    pub word: u64,
    /// Hash of the word shape (`Xxxx`, `dd.d`, `.`).
    pub shape: u64,
    /// Hash of the last three characters, lower-cased.
    pub suffix: u64,
    /// Class bits, see the `C_` constants.
    pub class: u16,
}

pub(crate) const C_TERM: u16 = 1; // only . ! ? …
pub(crate) const C_CLOSE: u16 = 1 << 1; // closing bracket or quote
pub(crate) const C_OPEN: u16 = 1 << 2; // opening bracket or quote
pub(crate) const C_ABBR: u16 = 1 << 3; // a word that took its period
pub(crate) const C_UPPER: u16 = 1 << 4; // starts with an upper-case letter
pub(crate) const C_LOWER: u16 = 1 << 5; // starts with a lower-case letter
pub(crate) const C_DIGIT: u16 = 1 << 6; // starts with a digit
pub(crate) const C_DASH: u16 = 1 << 7; // - -- — –
pub(crate) const C_SPACE_BEFORE: u16 = 1 << 8; // whitespace before it
pub(crate) const C_SPACE_AFTER: u16 = 1 << 9; // whitespace after it
pub(crate) const C_ELLIPSIS: u16 = 1 << 10; // ... or …
pub(crate) const C_QUOTE: u16 = 1 << 11; // a quote mark
pub(crate) const C_ALLCAPS: u16 = 1 << 12; // two or more letters, all upper case
pub(crate) const C_URL: u16 = 1 << 13; // a URL, e-mail address or file name

/// The decision of the rule layer for one gap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rule {
    /// Never a boundary here.
    No,
    /// Always a boundary here (`in the U.S. The`, `“Why?” she asked. “Because.”`).
    Yes,
    /// Up to the model; `yes` is the rule-only decision, `reason` a feature.
    Maybe { reason: u8, yes: bool },
}

pub(crate) const FNV: u64 = 0xcbf2_9ce4_8422_2325;

#[inline]
pub(crate) fn mix(h: u64, v: u64) -> u64 {
    (h ^ v)
        .wrapping_mul(0x0100_0000_01b3)
        .rotate_left(29)
        .wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

fn word_hash(s: &str) -> u64 {
    let mut h = FNV;
    for b in s.bytes().take(24) {
        h = (h ^ b.to_ascii_lowercase() as u64).wrapping_mul(0x0100_0000_01b3);
    }
    h
}

fn shape_hash(s: &str) -> u64 {
    fold_shape(s.chars().map(|c| {
        if c.is_uppercase() {
            b'X'
        } else if c.is_lowercase() {
            b'x'
        } else if c.is_ascii_digit() {
            b'd'
        } else if c.is_ascii() {
            c as u8
        } else if c.is_alphabetic() {
            b'a'
        } else {
            b'~'
        }
    }))
}

/// Hash a word shape from its character classes: runs longer than two collapse, and at
/// most eight classes count. The ASCII fast path and [`shape_hash`] share it, so both give
/// the same hash for ASCII words.
#[inline]
fn fold_shape(classes: impl Iterator<Item = u8>) -> u64 {
    let (mut h, mut last, mut rep, mut n) = (FNV, 0u8, 0, 0);
    for k in classes {
        if k == last {
            rep += 1;
            if rep >= 2 {
                continue;
            }
        } else {
            rep = 0;
        }
        last = k;
        h = (h ^ k as u64).wrapping_mul(0x0100_0000_01b3);
        n += 1;
        if n >= 8 {
            break;
        }
    }
    h
}

/// A URL, an e-mail address or a file name (`report.pdf`).
fn is_link_or_file(s: &str) -> bool {
    if s.len() <= 4 || !s.bytes().any(|b| matches!(b, b'.' | b'@' | b':')) || !s.is_ascii() {
        return false;
    }
    if s.contains("://") || s.contains('@') || s.starts_with("www.") {
        return true;
    }
    match s.rsplit_once('.') {
        Some((stem, ext)) => {
            !stem.is_empty()
                && !stem.contains('.')
                && (2..=4).contains(&ext.len())
                && ext.bytes().all(|b| b.is_ascii_alphabetic())
                && stem.bytes().any(|b| b.is_ascii_alphabetic())
        }
        None => false,
    }
}

/// The facts of an ASCII token that starts with a letter or digit: the same values as the
/// general path of [`infos`], computed in one pass over the bytes.
fn ascii_word_info(s: &str, space_before: bool, space_after: bool) -> TokInfo {
    let bs = s.as_bytes();
    let mut class =
        if space_before { C_SPACE_BEFORE } else { 0 } | if space_after { C_SPACE_AFTER } else { 0 };
    let f = bs[0];
    if f.is_ascii_uppercase() {
        class |= C_UPPER;
        if bs.len() > 1 && !bs.iter().any(u8::is_ascii_lowercase) {
            class |= C_ALLCAPS;
        }
    } else if f.is_ascii_lowercase() {
        class |= C_LOWER;
    } else {
        class |= C_DIGIT;
    }
    if bs.len() > 1 && bs[bs.len() - 1] == b'.' && f.is_ascii_alphabetic() {
        class |= C_ABBR;
    }
    if is_link_or_file(s) {
        class |= C_URL;
    }
    let shape = fold_shape(bs.iter().map(|&c| {
        if c.is_ascii_uppercase() {
            b'X'
        } else if c.is_ascii_lowercase() {
            b'x'
        } else if c.is_ascii_digit() {
            b'd'
        } else {
            c
        }
    }));
    let tail = &s[s.len().saturating_sub(3)..];
    TokInfo {
        word: word_hash(s),
        shape,
        suffix: word_hash(tail) ^ 0x55,
        class,
    }
}

/// Compute the facts of every token of a paragraph.
pub(crate) fn infos(text: &str, spans: &[Span], out: &mut Vec<TokInfo>) {
    out.clear();
    let b = text.as_bytes();
    for (k, sp) in spans.iter().enumerate() {
        let s = &text[sp.start..sp.end];
        let space_before = sp.start == 0 || k == 0 || spans[k - 1].end < sp.start;
        let space_after = sp.end >= b.len() || spans.get(k + 1).is_none_or(|n| n.start > sp.end);
        let bs = s.as_bytes();
        if bs[0].is_ascii_alphanumeric() && bs.is_ascii() {
            out.push(ascii_word_info(s, space_before, space_after));
            continue;
        }
        let first = s.chars().next().unwrap_or(' ');
        let mut class = 0;
        if s.chars().all(|c| matches!(c, '.' | '!' | '?' | '…')) {
            class |= C_TERM;
            if s.starts_with("..") || s == "…" {
                class |= C_ELLIPSIS;
            }
        }
        if first.is_uppercase() {
            class |= C_UPPER;
            if s.len() > 1 && s.chars().all(|c| !c.is_alphabetic() || c.is_uppercase()) {
                class |= C_ALLCAPS;
            }
        } else if first.is_lowercase() {
            class |= C_LOWER;
        } else if first.is_ascii_digit() {
            class |= C_DIGIT;
        }
        if s.len() > 1 && s.ends_with('.') && first.is_alphabetic() {
            class |= C_ABBR;
        }
        match s {
            ")" | "]" | "}" | "”" | "»" | "’" | "''" | "’’" | ">" => class |= C_CLOSE,
            "(" | "[" | "{" | "“" | "«" | "‘" | "``" | "‘‘" | "<" => class |= C_OPEN,
            "\"" | "'" => {
                class |= if !space_before && space_after {
                    C_CLOSE
                } else {
                    C_OPEN
                };
            }
            "-" | "--" | "---" | "—" | "–" => class |= C_DASH,
            _ => {}
        }
        if matches!(
            s,
            "\"" | "'" | "”" | "“" | "’" | "‘" | "''" | "``" | "«" | "»"
        ) {
            class |= C_QUOTE;
        }
        if is_link_or_file(s) {
            class |= C_URL;
        }
        if space_before {
            class |= C_SPACE_BEFORE;
        }
        if space_after {
            class |= C_SPACE_AFTER;
        }
        let tail = s.char_indices().rev().nth(2).map_or(s, |(k, _)| &s[k..]);
        out.push(TokInfo {
            word: word_hash(s),
            shape: shape_hash(s),
            suffix: word_hash(tail) ^ 0x55,
            class,
        });
    }
}

/// Reasons, used as model features.
pub(crate) mod reason {
    pub const TERM: u8 = 1;
    pub const TERM_LOWER: u8 = 2;
    pub const ABBR_STARTER: u8 = 3;
    pub const ABBR_OTHER: u8 = 4;
    pub const ELLIPSIS: u8 = 5;
    pub const ELLIPSIS_LOWER: u8 = 6;
    pub const NONE: u8 = 7;
    pub const QUESTION: u8 = 8;
    pub const INITIAL_LOWER: u8 = 9;
    pub const COLON: u8 = 10;
    pub const ABBR_LOWER: u8 = 11;
}

/// The rule for the gap after token `i` (there is a token `i + 1`).
pub(crate) fn rule(text: &str, spans: &[Span], info: &[TokInfo], i: usize) -> Rule {
    let t = info[i];
    let n = info[i + 1];
    let tok = |k: usize| &text[spans[k].start..spans[k].end];
    // sentence-final punctuation and closers that follow it belong to the sentence
    if t.class & (C_TERM | C_ABBR) != 0 && n.class & C_CLOSE != 0 {
        return Rule::No;
    }
    if n.class & C_CLOSE != 0 && t.class & C_SPACE_AFTER == 0 {
        return Rule::No;
    }
    // punctuation that never starts a sentence
    if matches!(tok(i + 1), "," | ";" | ":" | "%" | ")" | "]" | "}") || n.class & C_TERM != 0 {
        return Rule::No;
    }
    // find the terminal this gap would close: the token itself, or one before its closers
    let mut k = i;
    let mut closers = false;
    while info[k].class & C_CLOSE != 0 && k > 0 {
        closers = true;
        k -= 1;
    }
    let term = info[k];
    let next_lower = n.class & C_LOWER != 0;
    if n.class & C_DASH != 0 && term.class & C_TERM == 0 && t.class & C_CLOSE != 0 {
        // a dash continues what comes before it: `"…" - Vladimir Putin`
        return Rule::No;
    }
    if t.class & C_DASH != 0 && i > 0 && tok(i - 1) == ")" {
        // a dateline: `TEHRAN (AFP) - An international …`
        return Rule::No;
    }
    if term.class & C_TERM != 0 {
        let mark = tok(k);
        if closers
            && next_lower
            && (mark.contains('?') || mark.contains('!') || info[i].class & C_QUOTE != 0)
        {
            // "Why?" she asked. / "We will." he said.
            return Rule::No;
        }
        if closers
            && mark == "."
            && info[i].class & C_QUOTE != 0
            && t.class & C_SPACE_AFTER != 0
            && n.class & C_UPPER != 0
        {
            // `He said: "We will." Then he left.`
            return Rule::Yes;
        }
        let after = info.get(i + 2).map_or(0, |a| a.class);
        if n.class & C_OPEN != 0 && after & C_UPPER != 0 && term.class & C_ELLIPSIS == 0 && !closers
        {
            // `… she asked. “Because.”`
            return Rule::Yes;
        }
        if term.class & C_ELLIPSIS != 0 {
            if n.class & C_UPPER != 0 && lexicon::contains(lexicon::SENTENCE_STARTERS, tok(i + 1)) {
                return Rule::Yes;
            }
            return if next_lower {
                Rule::Maybe {
                    reason: reason::ELLIPSIS_LOWER,
                    yes: false,
                }
            } else {
                Rule::Maybe {
                    reason: reason::ELLIPSIS,
                    yes: true,
                }
            };
        }
        if next_lower {
            return Rule::Maybe {
                reason: reason::TERM_LOWER,
                yes: false,
            };
        }
        if mark == "."
            && !closers
            && k >= 2
            && info[k - 2].class & C_TERM == 0
            && info[k - 1].class & (C_LOWER | C_DIGIT) != 0
            && n.class & C_UPPER != 0
            && n.class & C_ALLCAPS == 0
        {
            // `The score was 3-2. Fans cheered.`
            return Rule::Yes;
        }
        if mark.contains('?') || mark.contains('!') {
            return Rule::Maybe {
                reason: reason::QUESTION,
                yes: true,
            };
        }
        return Rule::Maybe {
            reason: reason::TERM,
            yes: true,
        };
    }
    if term.class & C_ABBR != 0 && !closers {
        let word = tok(k);
        let stem = &word[..word.len() - 1];
        let next_alnum = n.class & (C_UPPER | C_LOWER | C_DIGIT) != 0;
        let initials = stem
            .split('.')
            .all(|p| p.chars().count() == 1 && p.chars().all(char::is_uppercase));
        match lexicon::abbreviation(stem) {
            Some(AbbrevKind::Title)
                if next_alnum && !(n.class & C_LOWER != 0 && stem.len() <= 2) =>
            {
                return Rule::No
            }
            Some(AbbrevKind::BeforeNumber) if n.class & C_DIGIT != 0 => return Rule::No,
            _ => {}
        }
        let starter =
            n.class & C_UPPER != 0 && lexicon::contains(lexicon::SENTENCE_STARTERS, tok(i + 1));
        if starter && stem.len() > 1 {
            // `in the U.S. The …`, `at 3 p.m. He …`
            return Rule::Yes;
        }
        if initials && n.class & C_UPPER != 0 && !starter {
            // George W. Bush, J. K. Rowling, J.R.R. Tolkien
            return Rule::No;
        }
        if next_lower {
            return Rule::Maybe {
                reason: if initials {
                    reason::INITIAL_LOWER
                } else {
                    reason::ABBR_LOWER
                },
                yes: false,
            };
        }
        if starter {
            return Rule::Maybe {
                reason: reason::ABBR_STARTER,
                yes: true,
            };
        }
        return Rule::Maybe {
            reason: reason::ABBR_OTHER,
            yes: false,
        };
    }
    if matches!(tok(i), ":" | ";") {
        return Rule::Maybe {
            reason: reason::COLON,
            yes: false,
        };
    }
    Rule::Maybe {
        reason: reason::NONE,
        yes: false,
    }
}

/// Whether the model should look at a gap with no terminal punctuation: skip the common
/// case of two running words, or a word and punctuation that continues the sentence.
#[inline]
pub(crate) fn worth_scoring(info: &[TokInfo], i: usize, r: Rule) -> bool {
    match r {
        Rule::No | Rule::Yes => false,
        Rule::Maybe { reason, .. } if reason != reason::NONE => true,
        Rule::Maybe { .. } => {
            let n = info[i + 1].class;
            let t = info[i].class;
            // a link ends a sentence when other links or the paragraph end follow it
            let link_next = n & C_URL != 0 && info.get(i + 2).is_none_or(|a| a.class & C_URL != 0);
            !(n & C_LOWER != 0 && t & (C_LOWER | C_UPPER | C_DIGIT) != 0)
                || t & C_URL != 0
                || link_next
        }
    }
}
