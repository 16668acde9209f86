//! Quotation marks: which characters are marks, and how they pair.
//!
//! Marks are paired within a paragraph with a stack. Curly marks and guillemets say by
//! their shape whether they open or close; a straight mark is read from its context (a
//! space or an opening bracket before it opens, a space or punctuation after it closes).
//! A closing mark closes the nearest open mark of its kind, and any marks opened after
//! that one are dropped as strays, so an unbalanced mark never shifts the pairing of the
//! marks after it. The stack is emptied at every paragraph end, except for the news
//! convention of a quote that runs on: a paragraph that leaves a quote open and a next
//! paragraph that opens again.
//!
//! Single marks are told apart from apostrophes: a mark between letters ("don't") is an
//! apostrophe, one before an elided number or word ("'90s", "'em") too, and one after a
//! word ("States’") closes only a single quote that is open.

use annals_model::{Paragraph, TextRange};

/// The family a mark belongs to: a closing mark closes an opening one of its family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Double,
    Single,
    Guillemet,
    SingleGuillemet,
}

/// What a mark can do where it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Open,
    Close,
    /// Closes when a mark of its family is open, else opens (a straight mark with the
    /// same context on both sides).
    Either,
    /// Closes a single quote that is open, else is an apostrophe.
    CloseIfOpen,
}

/// A pair of marks found in the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    /// The opening mark.
    pub open: TextRange,
    /// The closing mark; `None` when the quote runs to the paragraph end.
    pub close: Option<TextRange>,
    /// The text between the marks, without surrounding white space.
    pub inner: TextRange,
    /// The paragraph it is in.
    pub para: u32,
    /// How many open marks enclose it (0: a top-level quote).
    pub depth: u8,
    /// Left open at the paragraph end while the next paragraph opens a quote again.
    pub runs_on: bool,
}

fn is_open_punct(c: char) -> bool {
    matches!(
        c,
        '(' | '[' | '{' | '<' | '—' | '–' | '-' | '/' | '“' | '‘' | '«' | '‹' | '„'
    )
}

fn is_close_punct(c: char) -> bool {
    matches!(
        c,
        '.' | ','
            | ';'
            | ':'
            | '!'
            | '?'
            | ')'
            | ']'
            | '}'
            | '>'
            | '…'
            | '—'
            | '–'
            | '-'
            | '/'
            | '”'
            | '’'
            | '»'
            | '›'
            | '"'
            | '\''
    )
}

/// Elisions that start with an apostrophe: "'90s", "'em", "'til".
fn elision_follows(after: &str) -> bool {
    let mut chars = after.chars();
    if chars.next().is_some_and(|c| c.is_ascii_digit()) {
        return true;
    }
    let word: &str = after
        .split(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    ["em", "til", "cause", "n", "tis", "twas", "bout", "round"]
        .iter()
        .any(|e| e.eq_ignore_ascii_case(word))
}

/// A mark's family and shape, from the character and its neighbours.
fn classify(
    c: char,
    prev: Option<char>,
    next: Option<char>,
    after: &str,
) -> Option<(Family, Shape)> {
    let space_before = prev.is_none_or(|p| p.is_whitespace() || is_open_punct(p));
    let space_after = next.is_none_or(|n| n.is_whitespace() || is_close_punct(n));
    let alnum = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    match c {
        '"' => Some((
            Family::Double,
            match (space_before, space_after) {
                (true, false) => Shape::Open,
                (false, true) => Shape::Close,
                _ => Shape::Either,
            },
        )),
        '“' | '„' | '‟' => Some((Family::Double, Shape::Open)),
        '”' => Some((Family::Double, Shape::Close)),
        '«' => Some((Family::Guillemet, Shape::Open)),
        '»' => Some((Family::Guillemet, Shape::Close)),
        '‹' => Some((Family::SingleGuillemet, Shape::Open)),
        '›' => Some((Family::SingleGuillemet, Shape::Close)),
        '\'' | '‘' | '’' | '‚' | '‛' => {
            if alnum(prev) && alnum(next) {
                return None; // don't, it's, O'Brien
            }
            if space_before && !space_after {
                if elision_follows(after) {
                    return None;
                }
                return Some((Family::Single, Shape::Open));
            }
            if c == '‘' || c == '‚' || c == '‛' {
                return (!space_after).then_some((Family::Single, Shape::Open));
            }
            if !space_before && space_after {
                // "the States’ allies": a plural possessive before a lower-case word
                let possessive = matches!(prev, Some('s' | 'S'))
                    && next.is_some_and(char::is_whitespace)
                    && after.trim_start().starts_with(|c: char| c.is_lowercase());
                if possessive {
                    return None;
                }
                return Some((Family::Single, Shape::CloseIfOpen));
            }
            None
        }
        _ => None,
    }
}

#[derive(Debug, Clone, Copy)]
struct Opened {
    family: Family,
    mark: TextRange,
}

/// Pair the quotation marks of every paragraph. `cue_follows(pos)` says whether a speech
/// cue follows byte `pos` closely (`" said …`, `" Obama said`): a closing mark followed by
/// its cue closes the quote that opened the paragraph even when a stray mark opened
/// inside it.
pub(crate) fn pair(
    body: &str,
    paragraphs: &[Paragraph],
    cue_follows: impl Fn(usize) -> bool,
) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut stack: Vec<Opened> = Vec::new();
    for (pi, para) in paragraphs.iter().enumerate() {
        let Some(text) = body.get(para.range.as_usize()) else {
            continue;
        };
        let base = para.range.start as usize;
        let para_start = base + (text.len() - text.trim_start().len());
        stack.clear();
        let mut prev: Option<char> = None;
        let mut iter = text.char_indices().peekable();
        while let Some((i, c)) = iter.next() {
            let next = iter.peek().map(|&(_, n)| n);
            let after = text.get(i + c.len_utf8()..).unwrap_or("");
            let Some((family, shape)) = classify(c, prev, next, after) else {
                prev = Some(c);
                continue;
            };
            prev = Some(c);
            let mark = TextRange::new(base + i, base + i + c.len_utf8());
            let open_at = stack.iter().rposition(|o| o.family == family);
            let closes = match shape {
                Shape::Open => false,
                Shape::Close => true,
                Shape::Either | Shape::CloseIfOpen => open_at.is_some(),
            };
            if !closes {
                if shape != Shape::CloseIfOpen {
                    stack.push(Opened { family, mark });
                }
                continue;
            }
            let Some(mut at) = open_at else {
                continue; // a stray closing mark
            };
            // a stray mark opened inside a quote that opened the paragraph, and the
            // paragraph's quote closes here before its cue
            if let Some(first) = stack.iter().position(|o| o.family == family) {
                if first < at
                    && stack
                        .get(first)
                        .is_some_and(|o| o.mark.start as usize == para_start)
                    && cue_follows(mark.end as usize)
                {
                    at = first;
                }
            }
            let Some(opened) = stack.get(at).copied() else {
                continue;
            };
            stack.truncate(at);
            if let Some(inner) = inner_range(body, opened.mark.end as usize, mark.start as usize) {
                spans.push(Span {
                    open: opened.mark,
                    close: Some(mark),
                    inner,
                    para: pi as u32,
                    depth: 0,
                    runs_on: false,
                });
            }
        }
        // a quote left open: it runs on when the next paragraph opens again; one that
        // opened the paragraph is taken to the paragraph end
        if let Some(bottom) = stack.first().copied() {
            let next_opens = paragraphs
                .get(pi + 1)
                .and_then(|p| body.get(p.range.as_usize()))
                .and_then(|t| t.trim_start().chars().next())
                .and_then(|c| {
                    let n = None;
                    classify(c, None, n, "")
                        .filter(|(f, s)| *f == bottom.family && *s != Shape::Close)
                })
                .is_some();
            let at_start = bottom.mark.start as usize == para_start;
            // a quote opened by its cue ("he said: "…") may run on; one opened inside
            // narration ("a "blunder and left.") is a stray mark
            let introduced = at_start
                || body
                    .get(..bottom.mark.start as usize)
                    .is_some_and(|b| b.trim_end().ends_with([':', ',', '.', '!', '?']));
            if (next_opens && introduced) || at_start {
                if let Some(inner) =
                    inner_range(body, bottom.mark.end as usize, para.range.end as usize)
                {
                    spans.push(Span {
                        open: bottom.mark,
                        close: None,
                        inner,
                        para: pi as u32,
                        depth: 0,
                        runs_on: next_opens,
                    });
                }
            }
        }
    }
    set_depths(&mut spans);
    spans
}

/// Sort spans by position and count for each how many others hold it. Pairs from one
/// stack are nested or apart, never crossing, and strays left open hold nothing.
fn set_depths(spans: &mut [Span]) {
    let end = |s: &Span| s.close.map_or(s.inner.end, |c| c.end);
    spans.sort_by_key(|s| (s.open.start, std::cmp::Reverse(end(s))));
    let mut ends: Vec<u32> = Vec::new();
    for s in spans.iter_mut() {
        while ends.last().is_some_and(|&e| e <= s.open.start) {
            ends.pop();
        }
        s.depth = ends.len().min(u8::MAX as usize) as u8;
        ends.push(end(s));
    }
}

/// The range between `start` and `end` without white space at either end; `None` when
/// nothing is left.
fn inner_range(body: &str, start: usize, end: usize) -> Option<TextRange> {
    let text = body.get(start..end)?;
    let lead = text.len() - text.trim_start().len();
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return None;
    }
    Some(TextRange::new(start + lead, start + lead + trimmed.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paras(body: &str) -> Vec<Paragraph> {
        let mut out = Vec::new();
        let mut start = 0;
        for part in body.split("\n\n") {
            out.push(Paragraph {
                range: TextRange::new(start, start + part.len()),
            });
            start += part.len() + 2;
        }
        out
    }

    fn texts(body: &str) -> Vec<(String, u8)> {
        pair(body, &paras(body), |pos| {
            body.get(pos..)
                .is_some_and(|r| r.trim_start().starts_with("said"))
        })
        .iter()
        .map(|s| (s.inner.slice(body).to_string(), s.depth))
        .collect()
    }

    #[test]
    fn straight_and_curly_marks_pair() {
        let b = "\"We will win the war,\" she said. Then “another one here” and «une autre».";
        assert_eq!(
            texts(b),
            [
                ("We will win the war,".into(), 0),
                ("another one here".into(), 0),
                ("une autre".into(), 0)
            ]
        );
    }

    #[test]
    fn apostrophes_are_not_marks() {
        let b = "The States’ view in the '90s: don't 'panic about it' now, said the boss's aide.";
        assert_eq!(texts(b), [("panic about it".into(), 0)]);
    }

    #[test]
    fn nested_quotes_and_a_stray_mark() {
        let b = "\"He told me 'go home now' twice,\" she said.\n\nA stray \" here, then \"a quote that closes\" fine.";
        assert_eq!(
            texts(b),
            [
                ("He told me 'go home now' twice,".into(), 0),
                ("go home now".into(), 1),
                ("a quote that closes".into(), 0)
            ]
        );
    }

    #[test]
    fn a_quote_runs_over_paragraphs() {
        let b = "\"First part of it.\n\n\"Second part,\" he said.";
        let p = paras(b);
        let spans = pair(b, &p, |_| false);
        assert_eq!(spans.len(), 2);
        assert!(spans[0].runs_on && spans[0].close.is_none());
        assert_eq!(spans[0].inner.slice(b), "First part of it.");
        assert_eq!(spans[1].inner.slice(b), "Second part,");
    }
}
