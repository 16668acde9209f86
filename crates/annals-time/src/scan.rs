//! One pass over a sentence: tokens, then the longest time expression at each token.

use std::ops::Range;

use crate::lexicon::{classify, Unit, W};
use crate::{Rel, TimeExpr, What};

/// A token: a run of letters, a run of digits (with an ordinal suffix), or one other
/// character. Whitespace only sets `space` on the next token.
#[derive(Debug, Clone, Copy)]
struct Tok {
    start: usize,
    end: usize,
    /// Whitespace between this token and the previous one.
    space: bool,
    kind: K,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum K {
    Word(W),
    /// Digits: value (saturated at `u32::MAX`), digit count, ordinal suffix ("30th").
    Num {
        v: u32,
        digits: u8,
        ordinal: bool,
    },
    /// One punctuation or symbol character (ASCII byte, or 0 for a non-ASCII one).
    Punct(u8),
}

fn tokenize(text: &str, out: &mut Vec<Tok>) {
    let mut it = text.char_indices().peekable();
    let mut space = true;
    while let Some((start, c)) = it.next() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        let mut end = start + c.len_utf8();
        let kind = if c.is_alphabetic() {
            while let Some(&(i, c)) = it.peek() {
                if !c.is_alphabetic() {
                    break;
                }
                end = i + c.len_utf8();
                it.next();
            }
            let cap = c.is_uppercase();
            K::Word(classify(&text[start..end], cap))
        } else if c.is_ascii_digit() {
            let mut v = u32::from(c as u8 - b'0');
            let mut digits = 1u8;
            while let Some(&(i, c)) = it.peek() {
                if !c.is_ascii_digit() {
                    break;
                }
                v = v
                    .saturating_mul(10)
                    .saturating_add(u32::from(c as u8 - b'0'));
                digits = digits.saturating_add(1);
                end = i + 1;
                it.next();
            }
            let num_end = end;
            while let Some(&(i, c)) = it.peek() {
                if !c.is_alphanumeric() {
                    break;
                }
                end = i + c.len_utf8();
                it.next();
            }
            let suffix = &text[num_end..end];
            if suffix.is_empty() {
                K::Num {
                    v,
                    digits,
                    ordinal: false,
                }
            } else if ["st", "nd", "rd", "th"]
                .iter()
                .any(|s| s.eq_ignore_ascii_case(suffix))
            {
                K::Num {
                    v,
                    digits,
                    ordinal: true,
                }
            } else {
                // "1990s", "10am", "3D": not a number the resolver uses.
                K::Word(W::Other)
            }
        } else {
            K::Punct(if c.is_ascii() { c as u8 } else { 0 })
        };
        out.push(Tok {
            start,
            end,
            space,
            kind,
        });
        space = false;
    }
}

/// What a match attempt at one token gives.
enum Step {
    /// A time expression over tokens `from..to`.
    Found(What, usize, usize),
    /// Tokens up to `to` belong to a phrase that is not a date ("the next week", "last
    /// five years"); skip them so that a shorter reading inside is not taken.
    Skip(usize),
    None,
}

struct Cx<'a> {
    text: &'a str,
    t: &'a [Tok],
}

impl Cx<'_> {
    fn word(&self, i: usize) -> Option<W> {
        match self.t.get(i)?.kind {
            K::Word(w) => Some(w),
            _ => None,
        }
    }

    fn is(&self, i: usize, w: W) -> bool {
        self.word(i) == Some(w)
    }

    fn is_text(&self, i: usize, s: &str) -> bool {
        self.t
            .get(i)
            .is_some_and(|t| self.text[t.start..t.end].eq_ignore_ascii_case(s))
    }

    fn punct(&self, i: usize, p: u8) -> bool {
        self.t.get(i).is_some_and(|t| t.kind == K::Punct(p))
    }

    /// Token `i` is glued to the previous one (no whitespace).
    fn glued(&self, i: usize) -> bool {
        self.t.get(i).is_some_and(|t| !t.space)
    }

    /// A hyphen glued on either side of token `i` ("four-year", "year-old").
    fn hyphenated(&self, i: usize) -> bool {
        (i > 0 && self.punct(i - 1, b'-') && self.glued(i))
            || (self.punct(i + 1, b'-') && self.glued(i + 1))
    }

    fn num(&self, i: usize) -> Option<(u32, u8, bool)> {
        match self.t.get(i)?.kind {
            K::Num { v, digits, ordinal } => Some((v, digits, ordinal)),
            _ => None,
        }
    }

    /// A day of the month: 1–31, one or two digits, ordinal suffix allowed.
    fn day(&self, i: usize) -> Option<u8> {
        let (v, digits, _) = self.num(i)?;
        // Not a time ("5:30") or a decimal ("5.5") or a part of a bigger number ("5,000").
        let glued_more =
            (self.punct(i + 1, b':') || self.punct(i + 1, b'.') || self.punct(i + 1, b','))
                && self.glued(i + 1)
                && self.num(i + 2).is_some()
                && self.glued(i + 2);
        (digits <= 2 && (1..=31).contains(&v) && !glued_more).then_some(v as u8)
    }

    /// A four-digit year, 1000–2999, not an ordinal.
    fn year(&self, i: usize) -> Option<i32> {
        let (v, digits, ordinal) = self.num(i)?;
        (digits == 4 && !ordinal && (1000..=2999).contains(&v)).then_some(v as i32)
    }

    /// A count before a unit: digits, a number word, "a"/"an", "a couple of".
    /// Returns the count and the token after it.
    fn count(&self, i: usize) -> Option<(i64, usize)> {
        if let Some((v, digits, ordinal)) = self.num(i) {
            return (!ordinal && digits <= 4).then_some((i64::from(v), i + 1));
        }
        match self.word(i)? {
            W::Num(n) => Some((i64::from(n), i + 1)),
            W::A if self.is(i + 1, W::Couple) && self.is(i + 2, W::Of) => Some((2, i + 3)),
            W::A => Some((1, i + 1)),
            _ => None,
        }
    }

    /// A unit at `i` that is not part of a hyphenated compound ("90-minute", "year-old").
    fn unit(&self, i: usize) -> Option<Unit> {
        match self.word(i)? {
            W::Unit(u) if !self.hyphenated(i) => Some(u),
            _ => None,
        }
    }

    /// The token before `i`, skipping "early", "late", "mid" and hyphens; and whether a
    /// modifier was skipped.
    fn context_before(&self, i: usize) -> (Option<W>, bool) {
        let mut j = i;
        let mut modded = false;
        while j > 0 {
            j -= 1;
            match self.t[j].kind {
                K::Punct(b'-') => {}
                K::Word(W::Mod) => modded = true,
                // "the end of May", "the middle of 2014"
                K::Word(W::Of) if j > 0 && self.is(j - 1, W::Mod) => modded = true,
                K::Word(w) => return (Some(w), modded),
                _ => return (None, modded),
            }
        }
        (None, modded)
    }

    /// A month name followed by a day, or a day followed by a month; the date, the token
    /// after it.
    fn month_day(&self, i: usize) -> Option<(What, usize)> {
        let (m, d, mut next) = if let Some(W::Month { m, .. }) = self.word(i) {
            let j = if self.punct(i + 1, b'.') {
                i + 2
            } else {
                i + 1
            };
            (m, self.day(j)?, j + 1)
        } else {
            // "30 September", "30th of September", "the 30th of Sept."
            let d = self.day(i)?;
            let j = if self.is(i + 1, W::Of) { i + 2 } else { i + 1 };
            let Some(W::Month { m, .. }) = self.word(j) else {
                return None;
            };
            let after = if self.punct(j + 1, b'.') && self.year(j + 2).is_some() {
                j + 2
            } else {
                j + 1
            };
            (m, d, after)
        };
        // An optional year: "Sept. 30, 2015", "30 September 2015".
        let comma = usize::from(self.punct(next, b','));
        if let Some(y) = self.year(next + comma) {
            next += comma + 1;
            return Some((What::Date(crate::Date::new(y, m, d)?), next));
        }
        if crate::date::days_in_month(2000, m) < d {
            return None;
        }
        Some((What::MonthDay(m, d), next))
    }

    fn step(&self, i: usize) -> Step {
        let t = self.t;
        match t[i].kind {
            K::Num { .. } => {
                // ISO 8601: 2015-09-30
                if let (Some(y), Some((m, 1..=2, false)), Some((d, 1..=2, false))) =
                    (self.year(i), self.num(i + 2), self.num(i + 4))
                {
                    if self.punct(i + 1, b'-')
                        && self.punct(i + 3, b'-')
                        && (i + 1..=i + 4).all(|j| self.glued(j))
                    {
                        return match crate::Date::new(y, m as u8, d as u8) {
                            Some(date) => Step::Found(What::Date(date), i, i + 5),
                            None => Step::Skip(i + 5),
                        };
                    }
                }
                if let Some((what, end)) = self.month_day(i) {
                    return Step::Found(what, i, end);
                }
                if let Some(y) = self.year(i) {
                    let (before, modded) = self.context_before(i);
                    let ctx = modded || matches!(before, Some(W::In | W::Prep | W::WeakPrep));
                    // "in 2014-15" is still 2014; "in 2014 people" cannot be told apart.
                    if ctx
                        && !(self.punct(i + 1, b'-')
                            && self.glued(i + 1)
                            && self.word(i + 2).is_some())
                    {
                        return Step::Found(What::Year(y), i, i + 1);
                    }
                }
                if let Some((n, j)) = self.count(i) {
                    return self.ago(i, n, j);
                }
                Step::None
            }
            K::Punct(_) => Step::None,
            K::Word(w) => self.step_word(i, w),
        }
    }

    /// "<count> <unit> ago"; `j` is the token after the count.
    fn ago(&self, i: usize, n: i64, j: usize) -> Step {
        match self.unit(j) {
            Some(u) if self.is(j + 1, W::Ago) => Step::Found(What::Offset(u, -n), i, j + 2),
            _ => Step::None,
        }
    }

    fn step_word(&self, i: usize, w: W) -> Step {
        let part_of_day = |j: usize| {
            if self.is(j, W::PartOfDay) || self.is(j, W::Night) {
                j + 1
            } else {
                j
            }
        };
        match w {
            W::Weekday(wd) => {
                // "Monday, Sept. 28": the date decides.
                let j = if self.punct(i + 1, b',') {
                    i + 2
                } else {
                    i + 1
                };
                if let Some((what, end)) = self.month_day(j) {
                    return Step::Found(what, i, end);
                }
                Step::Found(What::Weekday(wd, Rel::Tense), i, part_of_day(i + 1))
            }
            W::Month { m, full } => {
                if let Some((what, end)) = self.month_day(i) {
                    return Step::Found(what, i, end);
                }
                let j = if self.punct(i + 1, b'.') {
                    i + 2
                } else {
                    i + 1
                };
                if let Some(y) = self.year(j) {
                    return Step::Found(What::Month(y, m), i, j + 1);
                }
                let (before, modded) = self.context_before(i);
                let ctx = modded || matches!(before, Some(W::In | W::Prep | W::Of));
                if ctx || (full && !self.hyphenated(i)) {
                    Step::Found(What::MonthOf(m, Rel::Tense), i, i + 1)
                } else {
                    Step::None
                }
            }
            W::Today | W::Tonight => Step::Found(What::Offset(Unit::Day, 0), i, part_of_day(i + 1)),
            W::Yesterday => Step::Found(What::Offset(Unit::Day, -1), i, part_of_day(i + 1)),
            W::Tomorrow => Step::Found(What::Offset(Unit::Day, 1), i, part_of_day(i + 1)),
            W::The => {
                // "the day before yesterday", "the day after tomorrow"
                if self.is(i + 1, W::Unit(Unit::Day)) {
                    if self.is_text(i + 2, "before") && self.is(i + 3, W::Yesterday) {
                        return Step::Found(What::Offset(Unit::Day, -2), i, i + 4);
                    }
                    if self.is_text(i + 2, "after") && self.is(i + 3, W::Tomorrow) {
                        return Step::Found(What::Offset(Unit::Day, 2), i, i + 4);
                    }
                }
                if self.is(i + 1, W::Weekend) {
                    return Step::Found(What::Weekend(Rel::Tense), i, i + 2);
                }
                // "the next week", "the past five years", "the last month", "the coming
                // days": spans counted from now, not calendar units.
                if matches!(
                    self.word(i + 1),
                    Some(W::Next | W::Last | W::Past | W::Coming | W::Vague)
                ) {
                    let mut j = i + 2;
                    while j < self.t.len() && j < i + 5 {
                        if self.unit(j).is_some() || self.is(j, W::Weekend) {
                            return Step::Skip(j + 1);
                        }
                        j += 1;
                    }
                    return Step::Skip(i + 2);
                }
                Step::None
            }
            W::This | W::Last | W::Next => self.step_deictic(i, w),
            W::In => {
                // "in two days", "in a week": from the publication date, future tense only;
                // "the first time in two years" is a span.
                if i > 0 && self.is_text(i - 1, "time") {
                    return Step::None;
                }
                match self.count(i + 1) {
                    Some((n, j)) => match self.unit(j) {
                        Some(u) if !self.is(j + 1, W::Of) && !self.is(j + 1, W::Ago) => {
                            Step::Found(What::InFuture(u, n), i, j + 1)
                        }
                        _ => Step::None,
                    },
                    None => Step::None,
                }
            }
            W::Num(_) | W::A => match self.count(i) {
                Some((n, j)) => self.ago(i, n, j),
                None => Step::None,
            },
            _ => Step::None,
        }
    }

    /// "this", "last", "next" at `i`.
    fn step_deictic(&self, i: usize, w: W) -> Step {
        let rel = match w {
            W::This => Rel::This,
            W::Last => Rel::Last,
            _ => Rel::Next,
        };
        let mut j = i + 1;
        let mut rel2 = rel;
        // "this past Monday", "this coming week"
        if w == W::This {
            if self.is(j, W::Past) {
                rel2 = Rel::Last;
                j += 1;
            } else if self.is(j, W::Coming) {
                rel2 = Rel::Next;
                j += 1;
            }
        }
        let Some(next) = self.word(j) else {
            // "last 12 months": a span, not a date.
            return if self.num(j).is_some() {
                Step::Skip(j + 1)
            } else {
                Step::None
            };
        };
        let offset = match rel2 {
            Rel::Last => -1,
            Rel::Next => 1,
            _ => 0,
        };
        match next {
            W::Weekday(wd) => {
                // "In this Tuesday, Dec. 19, 2006 file photo": the date decides.
                let k = if self.punct(j + 1, b',') {
                    j + 2
                } else {
                    j + 1
                };
                if let Some((what, end)) = self.month_day(k) {
                    return Step::Found(what, j, end);
                }
                // "this past Monday" is the most recent Monday; "last Monday" is the Monday
                // of the previous week.
                let r = match (rel, rel2) {
                    (Rel::This, Rel::Last) => Rel::PastThis,
                    (Rel::This, Rel::Next) => Rel::ComingThis,
                    _ => rel2,
                };
                let end = if self.is(j + 1, W::PartOfDay) || self.is(j + 1, W::Night) {
                    j + 2
                } else {
                    j + 1
                };
                Step::Found(What::Weekday(wd, r), i, end)
            }
            W::Month { m, .. } => Step::Found(What::MonthOf(m, rel2), i, j + 1),
            W::PartOfDay | W::Night if rel2 != Rel::Next => {
                // "this morning", "tonight", "last night", "last evening"
                let off = if rel2 == Rel::Last || (rel == Rel::Last) {
                    -1
                } else {
                    0
                };
                Step::Found(What::Offset(Unit::Day, off), i, j + 1)
            }
            W::Weekend => Step::Found(
                What::Weekend(if rel2 == Rel::This { Rel::Tense } else { rel2 }),
                i,
                j + 1,
            ),
            W::Unit(Unit::Day) => Step::Skip(j + 1),
            W::Unit(u) if !self.hyphenated(j) => Step::Found(What::Offset(u, offset), i, j + 1),
            W::Num(_) | W::Vague | W::Couple => Step::Skip(j + 1),
            _ => Step::None,
        }
    }
}

/// Every time expression in `text`, in order, none overlapping.
pub(crate) fn scan(text: &str) -> Vec<TimeExpr> {
    let mut toks = Vec::with_capacity(text.len() / 4 + 1);
    tokenize(text, &mut toks);
    let cx = Cx { text, t: &toks };
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        match cx.step(i) {
            Step::Found(what, from, to) => {
                let to = to.clamp(from + 1, toks.len());
                let range: Range<usize> = toks[from].start..toks[to - 1].end;
                out.push(TimeExpr { what, range });
                i = to;
            }
            Step::Skip(to) => i = to.max(i + 1),
            Step::None => i += 1,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(text: &str) -> Vec<&str> {
        scan(text).into_iter().map(|e| &text[e.range]).collect()
    }

    #[test]
    fn a_sentence_in_one_pass() {
        let text = "Russian jets struck Syria on Wednesday, Sept. 30, a day after Obama and \
                    Putin met for 90 minutes in New York; talks resume next week and a deal \
                    is expected in February or by mid-2016.";
        assert_eq!(
            spans(text),
            ["Wednesday, Sept. 30", "next week", "February", "2016"]
        );
    }

    #[test]
    fn tokens_keep_byte_offsets_and_ordinals() {
        let mut toks = Vec::new();
        tokenize("é Sep 30th, 1990s", &mut toks);
        let got: Vec<(usize, usize, bool)> =
            toks.iter().map(|t| (t.start, t.end, t.space)).collect();
        assert_eq!(
            got,
            [
                (0, 2, true),
                (3, 6, true),
                (7, 11, true),
                (11, 12, false),
                (13, 18, true)
            ]
        );
        assert_eq!(
            toks[2].kind,
            K::Num {
                v: 30,
                digits: 2,
                ordinal: true
            }
        );
        assert_eq!(toks[4].kind, K::Word(W::Other));
    }

    #[test]
    fn durations_ages_and_spans_are_skipped_whole() {
        // "next week" inside "the next week" must not be read on its own.
        assert!(spans("over the next week and the past five years").is_empty());
        assert!(spans("the 28-year-old, a 90-minute meeting, a four-year war").is_empty());
        assert!(spans("for three days, 24 hours, 5,000 people at 5:30").is_empty());
        assert_eq!(spans("last 12 months, but last year"), ["last year"]);
    }

    #[test]
    fn iso_dates_need_glued_parts() {
        assert_eq!(spans("on 2015-09-30 at noon"), ["2015-09-30"]);
        assert!(spans("2015 - 09 - 30").is_empty());
        assert!(spans("2015-13-45").is_empty());
    }
}
