//! Tokenization following Universal Dependencies English (EWT) conventions.
//!
//! The text is cut at whitespace into chunks; each chunk is then split, left to right, into
//! leading punctuation, a core, and trailing punctuation, and the core is split at the
//! connectors EWT splits (`search-engine` → `search` `-` `engine`, `and/or` → `and` `/`
//! `or`) and at clitics (`don't` → `do` `n't`, `Obama's` → `Obama` `'s`, `dont` → `do`
//! `nt`). Numbers (`250,000`, `3.5`, `20:11`, `9/11/2001`), abbreviations (`U.S.`,
//! `Mr.`), URLs and e-mail addresses stay whole.
//!
//! Everything works on byte offsets into the input and allocates nothing but the output.

use crate::lexicon::{self, abbreviation};

/// One token: a byte range of the input and, where the token's form differs from its
/// surface text, the normalised form (`n't` for `n’t`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// The form when it differs from the surface text.
    pub norm: Option<&'static str>,
}

impl Span {
    fn new(start: usize, end: usize) -> Self {
        Span {
            start,
            end,
            norm: None,
        }
    }
}

/// Tokenize `text`; offsets are relative to `text`.
///
/// ```
/// let t = annals_text::tokenize("I don't know.");
/// let forms: Vec<&str> = t.iter().map(|s| &"I don't know."[s.start..s.end]).collect();
/// assert_eq!(forms, ["I", "do", "n't", "know", "."]);
/// ```
pub fn tokenize(text: &str) -> Vec<Span> {
    let mut out = Vec::with_capacity(text.len() / 5 + 1);
    tokenize_into(text, 0, &mut out);
    out
}

/// Tokenize `text` and append the tokens to `out`, with `base` added to every offset.
pub fn tokenize_into(text: &str, base: usize, out: &mut Vec<Span>) {
    let mut t = Tok { text, base, out };
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        // skip whitespace
        let c = char_at(text, i);
        if c.is_whitespace() {
            i += c.len_utf8();
            continue;
        }
        let s = i;
        while i < b.len() {
            let c = char_at(text, i);
            if c.is_whitespace() {
                break;
            }
            i += c.len_utf8();
        }
        t.chunk(s, i);
    }
}

#[inline]
fn char_at(text: &str, i: usize) -> char {
    let b = text.as_bytes()[i];
    if b < 0x80 {
        b as char
    } else {
        text[i..].chars().next().unwrap_or('\0')
    }
}

#[inline]
fn char_before(text: &str, i: usize) -> char {
    let b = text.as_bytes()[i - 1];
    if b < 0x80 {
        b as char
    } else {
        text[..i].chars().next_back().unwrap_or('\0')
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | '`' | '‘')
}

/// Sentence-final punctuation that groups into one token (`?!`, `...`).
fn is_terminal(c: char) -> bool {
    matches!(c, '.' | '!' | '?')
}

const EMOTICONS: &[&str] = &[
    ":(", ":)", ":-(", ":-)", ":-D", ":-P", ":/", ":D", ":P", ":p", ";)", ";-)", "<3", "=)",
];

const TLDS: &[&str] = &[
    "au", "biz", "ca", "cn", "co", "com", "de", "edu", "eu", "fr", "gov", "in", "info", "int",
    "io", "jp", "mil", "net", "nz", "org", "ru", "tv", "uk", "us",
];

/// True when `s` looks like a URL, an e-mail address or a bare domain name.
fn is_url(s: &str) -> bool {
    let b = s.as_bytes();
    let starts = |p: &str| b.len() > p.len() && b[..p.len()].eq_ignore_ascii_case(p.as_bytes());
    if starts("http://")
        || starts("https://")
        || starts("ftp://")
        || starts("www.")
        || starts("mailto:")
    {
        return true;
    }
    if !s.is_ascii() {
        return false;
    }
    if let Some(at) = s.find('@') {
        let (user, host) = (&s[..at], &s[at + 1..]);
        return !user.is_empty()
            && host.contains('.')
            && host
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'.' || c == b'-')
            && !host.ends_with('.');
    }
    // bare domain: labels of [A-Za-z0-9-] joined by dots, the last a known TLD, the first
    // with at least two letters (so `U.S` and `3.5` are not domains).
    let mut labels = s.split('.');
    let first = labels.next().unwrap_or("");
    let Some(last) = s.rsplit('.').next() else {
        return false;
    };
    let path_free = last.split('/').next().unwrap_or("");
    s.contains('.')
        && first.len() >= 2
        && first.bytes().any(|c| c.is_ascii_alphabetic())
        && s.split('/')
            .next()
            .unwrap_or("")
            .split('.')
            .all(|l| !l.is_empty() && l.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-'))
        && lexicon::contains(TLDS, path_free)
}

struct Tok<'a, 'o> {
    text: &'a str,
    base: usize,
    out: &'o mut Vec<Span>,
}

impl Tok<'_, '_> {
    fn push(&mut self, s: usize, e: usize) {
        if s < e {
            self.out.push(Span::new(self.base + s, self.base + e));
        }
    }

    fn push_norm(&mut self, s: usize, e: usize, norm: Option<&'static str>) {
        if s < e {
            self.out.push(Span {
                start: self.base + s,
                end: self.base + e,
                norm,
            });
        }
    }

    /// Emit punctuation in `[s, e)`, grouping runs of one character (`--`, `!!!`) and
    /// runs of sentence-final marks (`?!`, `...`).
    fn punct(&mut self, s: usize, e: usize) {
        let text = self.text;
        let mut i = s;
        while i < e {
            let c = char_at(text, i);
            let mut j = i + c.len_utf8();
            while j < e {
                let d = char_at(text, j);
                if d == c || (is_terminal(c) && is_terminal(d)) {
                    j += d.len_utf8();
                } else {
                    break;
                }
            }
            self.push(i, j);
            i = j;
        }
    }

    fn chunk(&mut self, s: usize, e: usize) {
        let text = self.text;
        let chunk = &text[s..e];
        let cb = chunk.as_bytes();
        // fast paths: a plain word, or a plain word and one punctuation mark
        let alpha = cb
            .iter()
            .position(|b| !b.is_ascii_alphabetic())
            .unwrap_or(cb.len());
        if alpha == cb.len() {
            return self.word(s, e);
        }
        if alpha > 0 && alpha + 1 == cb.len() {
            match cb[alpha] {
                b',' | b';' | b':' | b'!' | b'?' | b')' | b'"' => {
                    self.word(s, s + alpha);
                    return self.push(s + alpha, e);
                }
                b'.' => {
                    if takes_period(&chunk[..alpha]) {
                        return self.push(s, e);
                    }
                    self.word(s, s + alpha);
                    return self.push(s + alpha, e);
                }
                _ => {}
            }
        }
        if cb.len() <= 3 && EMOTICONS.contains(&chunk) {
            return self.push(s, e);
        }
        // leading punctuation
        let mut ls = s;
        while ls < e {
            let c = char_at(text, ls);
            if c.is_alphanumeric() || !self.splits_leading(c, ls, e) {
                break;
            }
            ls += c.len_utf8();
        }
        if ls == e {
            return self.punct(s, e);
        }
        // URLs and e-mail addresses stay whole, less trailing punctuation
        if cb.iter().any(|&b| matches!(b, b'.' | b'@' | b':')) && is_url(&text[ls..e]) {
            let mut ue = e;
            let has_paren = text[ls..e].contains('(');
            while ue > ls {
                let c = char_before(text, ue);
                if matches!(
                    c,
                    '.' | ',' | ';' | ':' | '!' | '?' | ']' | '}' | '"' | '\'' | '”' | '’' | '>'
                ) || (c == ')' && !has_paren)
                {
                    ue -= c.len_utf8();
                } else {
                    break;
                }
            }
            self.punct(s, ls);
            self.push(ls, ue);
            return self.punct(ue, e);
        }
        // trailing punctuation
        let mut ce = e;
        while ce > ls {
            let c = char_before(text, ce);
            if c.is_alphanumeric() || !splits_trailing(c) {
                break;
            }
            ce -= c.len_utf8();
        }
        // an abbreviation keeps its period: `U.S.`, `Mr.`, `etc.` (but `etc...` does not)
        if ce < e
            && text.as_bytes()[ce] == b'.'
            && !text[ce + 1..e].starts_with('.')
            && takes_period(&text[ls..ce])
        {
            ce += 1;
        }
        self.punct(s, ls);
        self.core(ls, ce);
        self.punct(ce, e);
    }

    /// Whether leading character `c` at `i` splits off the front of the chunk.
    fn splits_leading(&self, c: char, i: usize, e: usize) -> bool {
        let text = self.text;
        let next = |k: usize| {
            if i + k < e {
                Some(char_at(text, i + k))
            } else {
                None
            }
        };
        match c {
            // '99
            '\'' | '’' => {
                let rest = &text[i + c.len_utf8()..e];
                let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
                !(digits == 2 && rest[2..].chars().all(|d| !d.is_alphanumeric()))
            }
            '@' => !next(1).is_some_and(char::is_alphanumeric),
            '-' | '+' => {
                // a sign before a number stays on it unless it is a dash
                !(next(1).is_some_and(|d| d.is_ascii_digit()) && i == 0)
            }
            _ => true,
        }
    }

    /// Split the core `[s, e)` of a chunk at the connectors EWT splits.
    fn core(&mut self, s: usize, e: usize) {
        let text = self.text;
        let mut piece = s; // start of the current word piece
        let mut seg = s; // start of the current alphanumeric segment
        let mut i = s;
        while i < e {
            let c = char_at(text, i);
            let len = c.len_utf8();
            if c.is_alphanumeric() || c == '_' || c == '@' {
                i += len;
                continue;
            }
            let prev = if i > s { char_before(text, i) } else { '\0' };
            let next = if i + len < e {
                char_at(text, i + len)
            } else {
                '\0'
            };
            let alnum_both = prev.is_alphanumeric() && next.is_alphanumeric();
            let digits_both = prev.is_ascii_digit() && next.is_ascii_digit();
            let run = {
                let mut j = i + len;
                while j < e && char_at(text, j) == c {
                    j += len;
                }
                j
            };
            let action = match c {
                '.' if alnum_both => {
                    let left = &text[seg..i];
                    if matches!(
                        abbreviation(left),
                        Some(lexicon::AbbrevKind::Title | lexicon::AbbrevKind::BeforeNumber)
                    ) && left.bytes().all(|b| b.is_ascii_alphabetic())
                        && !text[i + 1..e].contains('.')
                    {
                        Action::SplitAfter
                    } else if prev.is_lowercase()
                        && i - seg >= 2
                        && next.is_uppercase()
                        && text[i + len..e]
                            .chars()
                            .nth(1)
                            .is_some_and(char::is_lowercase)
                    {
                        Action::Split(run)
                    } else {
                        Action::Keep
                    }
                }
                // the period an abbreviation took (see `chunk`)
                '.' if i + len == e => Action::Keep,
                ',' | ':' if digits_both => Action::Keep,
                '/' if digits_both || (alnum_both && i - seg == 1) => Action::Keep,
                '-' if alnum_both && run == i + 1 => {
                    if keeps_hyphen(text, seg, i, e) {
                        Action::Keep
                    } else {
                        Action::Split(run)
                    }
                }
                '&' if prev.is_alphabetic() && next.is_alphabetic() => Action::Keep,
                c if is_apostrophe(c) && (alnum_both || (i == s && next.is_ascii_digit())) => {
                    Action::Keep
                }
                _ => Action::Split(run),
            };
            match action {
                Action::Keep => {
                    i += len;
                    seg = i;
                }
                Action::SplitAfter => {
                    self.word(piece, i + len);
                    i += len;
                    piece = i;
                    seg = i;
                }
                Action::Split(end) => {
                    self.word(piece, i);
                    self.punct(i, end);
                    i = end;
                    piece = i;
                    seg = i;
                }
            }
        }
        self.word(piece, e);
    }

    /// Emit one word piece, splitting clitics and units.
    fn word(&mut self, s: usize, e: usize) {
        if s >= e {
            return;
        }
        let text = self.text;
        let w = &text[s..e];
        if let Some(k) = lexicon::bare_contraction(w) {
            self.push(s, s + k);
            return self.push(s + k, e);
        }
        // clitics: the last apostrophe and what follows it
        if let Some((a, ap)) = w.char_indices().rev().find(|&(_, c)| is_apostrophe(c)) {
            let suffix = &w[a + ap.len_utf8()..];
            let curly = ap != '\'';
            if a > 0 {
                let norm = |ascii: &'static str| if curly { Some(ascii) } else { None };
                let clitic = match suffix.len() {
                    1 if suffix.eq_ignore_ascii_case("s") => Some(norm("'s")),
                    1 if suffix.eq_ignore_ascii_case("m") => Some(norm("'m")),
                    1 if suffix.eq_ignore_ascii_case("d") => Some(norm("'d")),
                    2 if suffix.eq_ignore_ascii_case("re") => Some(norm("'re")),
                    2 if suffix.eq_ignore_ascii_case("ve") => Some(norm("'ve")),
                    2 if suffix.eq_ignore_ascii_case("ll") => Some(norm("'ll")),
                    _ => None,
                };
                if let Some(norm) = clitic {
                    self.word_plain(s, s + a);
                    return self.push_norm(s + a, e, norm);
                }
                if suffix.eq_ignore_ascii_case("t")
                    && a >= 2
                    && w.as_bytes()[a - 1].eq_ignore_ascii_case(&b'n')
                {
                    let norm = if curly { Some("n't") } else { None };
                    self.push(s, s + a - 1);
                    return self.push_norm(s + a - 1, e, norm);
                }
            }
        }
        self.word_plain(s, e)
    }

    /// Emit a word piece with no clitic, splitting a unit off a number (`5pm`).
    fn word_plain(&mut self, s: usize, e: usize) {
        let w = &self.text[s..e];
        let b = w.as_bytes();
        if !b.is_empty() && b[0].is_ascii_digit() {
            if let Some(j) = b.iter().position(u8::is_ascii_alphabetic) {
                let head_ok = b[..j]
                    .iter()
                    .all(|&c| c.is_ascii_digit() || matches!(c, b'.' | b',' | b':'));
                let tail = &w[j..];
                if head_ok
                    && b[j - 1].is_ascii_digit()
                    && tail.bytes().all(|c| c.is_ascii_alphabetic())
                    && lexicon::contains(lexicon::UNITS, tail)
                {
                    self.push(s, s + j);
                    return self.push(s + j, e);
                }
            }
        }
        self.push(s, e)
    }
}

enum Action {
    /// The connector stays inside the word.
    Keep,
    /// The connector ends the current piece and stays on it (`Dec.` in `Dec.1`).
    SplitAfter,
    /// The connector run up to this offset is its own token.
    Split(usize),
}

/// Trailing characters that split off the end of a chunk.
fn splits_trailing(c: char) -> bool {
    !matches!(c, '+' | '@' | '_' | '#' | '$' | '&')
}

/// Whether the core before a period takes it: known abbreviations, initials, and dotted
/// forms such as `U.S`, `e.g`, `a.m`.
fn takes_period(core: &str) -> bool {
    let b = core.as_bytes();
    if b.is_empty() {
        return false;
    }
    if b.iter().all(u8::is_ascii_alphabetic) {
        return abbreviation(core).is_some() || (b.len() == 1 && b[0].is_ascii_uppercase());
    }
    // dotted: letters separated by single periods, each segment at most 3 letters
    b.contains(&b'.')
        && core
            .split('.')
            .all(|p| !p.is_empty() && p.len() <= 3 && p.bytes().all(|c| c.is_ascii_alphabetic()))
}

/// Whether the hyphen at `h` (with the alphanumeric segment `[seg, h)` before it) stays
/// inside the word, as EWT keeps prefixes (`non-violence`) and phone numbers.
fn keeps_hyphen(text: &str, seg: usize, h: usize, e: usize) -> bool {
    let left = &text[seg..h];
    let right_end = text[h + 1..e]
        .find(|c: char| !c.is_alphanumeric())
        .map_or(e, |k| h + 1 + k);
    let right = &text[h + 1..right_end];
    let lb = left.as_bytes();
    if lb.iter().all(u8::is_ascii_digit) && right.bytes().all(|c| c.is_ascii_digit()) {
        // phone numbers and dates keep their hyphens: 713-853-3989, 11-20-2000
        let more = text[right_end..e].starts_with('-');
        let before = seg > 0 && text.as_bytes()[seg - 1] == b'-';
        return more || before || (lb.len() == 3 && (right.len() == 3 || right.len() == 4));
    }
    let lower = lb.iter().all(u8::is_ascii_lowercase);
    let title =
        lb.len() > 1 && lb[0].is_ascii_uppercase() && lb[1..].iter().all(u8::is_ascii_lowercase);
    ((lower || title) && lexicon::contains(lexicon::HYPHEN_PREFIXES, left))
        || lexicon::contains(lexicon::HYPHEN_SUFFIXES, right)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<&str> {
        tokenize(s).iter().map(|t| &s[t.start..t.end]).collect()
    }

    #[test]
    fn splits_clitics_and_punctuation() {
        assert_eq!(
            toks("I'm sure Obama's dog can't."),
            ["I", "'m", "sure", "Obama", "'s", "dog", "ca", "n't", "."]
        );
        assert_eq!(
            toks("(Hello), \"world\"!"),
            ["(", "Hello", ")", ",", "\"", "world", "\"", "!"]
        );
    }

    #[test]
    fn normalises_curly_clitics() {
        let s = "don’t";
        let t = tokenize(s);
        assert_eq!(t.len(), 2);
        assert_eq!(t[1].norm, Some("n't"));
        assert_eq!(t[0].norm, None);
    }

    #[test]
    fn keeps_urls_and_numbers_whole() {
        assert_eq!(
            toks("See http://x.com/a-b."),
            ["See", "http://x.com/a-b", "."]
        );
        assert_eq!(
            toks("$250,000 at 20:11, 3.5%"),
            ["$", "250,000", "at", "20:11", ",", "3.5", "%"]
        );
        assert_eq!(toks("mail bob@example.com"), ["mail", "bob@example.com"]);
    }
}
