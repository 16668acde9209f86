//! Dates as newspapers write them.
//!
//! [`find_date`] scans a line for the first calendar date in any common news form and
//! says where it is; [`parse_date`] reads a string that *is* a date (a meta tag, a JSON
//! field). Both return a [`Date`], written `YYYY-MM-DD`.
//!
//! Forms understood: ISO (`2015-09-29`, `2015-09-29T10:00:00Z`, `2015/09/29`),
//! day-month-year (`1 December 2015`, `Tuesday 29 Sep 2015`, `1st Dec. 2015`,
//! `Tue, 29 Sep 2015 10:00:00 GMT`), month-day-year (`December 1, 2015`,
//! `Sept. 28, 2015`, `Dec 1st 2015`), and European numeric `29.09.2015`. Ambiguous
//! slashed numbers (`01/02/2015`) are read only when one reading is impossible.
//!
//! ```
//! use annals_clean::dates::{find_date, parse_date};
//! assert_eq!(parse_date("2015-09-29T10:00:00Z").unwrap().to_string(), "2015-09-29");
//! let found = find_date("Other News Materials 1 December 2015 20:11 (UTC +04:00)").unwrap();
//! assert_eq!(found.date.to_string(), "2015-12-01");
//! assert_eq!(found.start, 21);
//! ```

use std::fmt;

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year.
    pub year: u16,
    /// Month, 1–12.
    pub month: u8,
    /// Day, 1–31.
    pub day: u8,
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Date {
    /// A date when it exists in the calendar (years 1800–2199).
    pub fn new(year: u32, month: u32, day: u32) -> Option<Date> {
        if !(1800..2200).contains(&year) || !(1..=12).contains(&month) || day == 0 {
            return None;
        }
        let leap =
            (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
        let max = match month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        (day <= max).then_some(Date {
            year: year as u16,
            month: month as u8,
            day: day as u8,
        })
    }
}

/// A date found in a line, with its byte range there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    /// The date.
    pub date: Date,
    /// First byte of the date expression (a leading weekday included).
    pub start: usize,
    /// One past its last byte.
    pub end: usize,
}

const MONTHS: [(&str, u8); 24] = [
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("april", 4),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
    ("jan", 1),
    ("feb", 2),
    ("mar", 3),
    ("apr", 4),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sep", 9),
    ("sept", 9),
    ("oct", 10),
    ("nov", 11),
    ("dec", 12),
];

const WEEKDAYS: [&str; 17] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "mon",
    "tue",
    "tues",
    "wed",
    "thu",
    "thur",
    "thurs",
    "fri",
    "sat",
    "sun",
];

fn month_of(word: &str) -> Option<u8> {
    if word.len() > 9 || word.len() < 3 {
        return None;
    }
    let mut buf = [0u8; 9];
    for (b, c) in buf.iter_mut().zip(word.bytes()) {
        *b = c.to_ascii_lowercase();
    }
    let w = std::str::from_utf8(&buf[..word.len()]).ok()?;
    MONTHS.iter().find(|(m, _)| *m == w).map(|&(_, n)| n)
}

/// A month or weekday name, full or abbreviated ("Sept", "Tue").
pub(crate) fn is_calendar_word(word: &str) -> bool {
    month_of(word).is_some() || is_weekday(word)
}

fn is_weekday(word: &str) -> bool {
    WEEKDAYS.iter().any(|d| d.eq_ignore_ascii_case(word))
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Word,
    Num,
    Sym(u8),
}

#[derive(Debug, Clone, Copy)]
struct Tok<'a> {
    text: &'a str,
    start: usize,
    end: usize,
    kind: Kind,
}

fn lex(s: &str) -> Vec<Tok<'_>> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let start = i;
        let kind = if c.is_ascii_digit() {
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            Kind::Num
        } else if c.is_ascii_alphabetic() {
            while i < b.len() && b[i].is_ascii_alphabetic() {
                i += 1;
            }
            Kind::Word
        } else if c.is_ascii() {
            i += 1;
            if c.is_ascii_whitespace() {
                continue;
            }
            Kind::Sym(c)
        } else {
            // skip a whole non-ASCII char (NBSP and the like act as spaces)
            i += s[i..].chars().next().map_or(1, char::len_utf8);
            continue;
        };
        out.push(Tok {
            text: &s[start..i],
            start,
            end: i,
            kind,
        });
    }
    out
}

fn num(t: &Tok<'_>) -> Option<u32> {
    (t.kind == Kind::Num && t.text.len() <= 4)
        .then(|| t.text.parse().ok())
        .flatten()
}

fn is_ordinal_suffix(t: Option<&Tok<'_>>) -> bool {
    t.is_some_and(|t| {
        t.kind == Kind::Word
            && ["st", "nd", "rd", "th"]
                .iter()
                .any(|s| s.eq_ignore_ascii_case(t.text))
    })
}

/// A day number at `i`, with an optional ordinal suffix; returns (day, next index).
fn day_at(toks: &[Tok<'_>], i: usize) -> Option<(u32, usize)> {
    let t = toks.get(i)?;
    let d = num(t).filter(|d| (1..=31).contains(d) && t.text.len() <= 2)?;
    let mut j = i + 1;
    if is_ordinal_suffix(toks.get(j)) && toks[j].start == t.end {
        j += 1;
    }
    Some((d, j))
}

/// A month name at `i`, with an optional abbreviation stop; returns (month, next index).
fn month_at(toks: &[Tok<'_>], i: usize) -> Option<(u8, usize)> {
    let t = toks.get(i).filter(|t| t.kind == Kind::Word)?;
    let m = month_of(t.text)?;
    // "may" and "march" are ordinary words too: require a capital
    if (m == 5 || (m == 3 && t.text.len() > 3)) && !t.text.starts_with(['M']) {
        return None;
    }
    let mut j = i + 1;
    if toks
        .get(j)
        .is_some_and(|n| n.kind == Kind::Sym(b'.') && n.start == t.end)
    {
        j += 1;
    }
    Some((m, j))
}

fn year_at(toks: &[Tok<'_>], i: usize) -> Option<(u32, usize)> {
    let t = toks.get(i)?;
    let y = num(t).filter(|_| t.text.len() == 4)?;
    Some((y, i + 1))
}

fn skip_comma(toks: &[Tok<'_>], i: usize) -> usize {
    if toks.get(i).is_some_and(|t| t.kind == Kind::Sym(b',')) {
        i + 1
    } else {
        i
    }
}

/// Try every date form starting at token `i`; returns the date and the index after it.
fn date_at(toks: &[Tok<'_>], i: usize) -> Option<(Date, usize)> {
    // ISO: 2015-09-29, 2015/09/29
    if let (Some((y, j)), Some(sep)) = (year_at(toks, i), toks.get(i + 1)) {
        if matches!(sep.kind, Kind::Sym(b'-') | Kind::Sym(b'/')) {
            let m = toks.get(j + 1).and_then(num);
            let same = toks.get(j + 2).is_some_and(|t| t.kind == sep.kind);
            let d = toks.get(j + 3).filter(|t| t.text.len() <= 2).and_then(num);
            if let (Some(m), true, Some(d)) = (m, same, d) {
                return Date::new(y, m, d).map(|date| (date, j + 4));
            }
        }
    }
    // day month [,] year: "1 December 2015", "29 Sep 2015", "1st Dec. 2015"
    if let Some((d, j)) = day_at(toks, i) {
        let j = if toks
            .get(j)
            .is_some_and(|t| t.text.eq_ignore_ascii_case("of"))
        {
            j + 1
        } else {
            j
        };
        if let Some((m, k)) = month_at(toks, j) {
            let k = skip_comma(toks, k);
            if let Some((y, e)) = year_at(toks, k) {
                return Date::new(y, m as u32, d).map(|date| (date, e));
            }
        }
        // numeric: 29.09.2015 (European) or 12/31/2015 (US), only when unambiguous or dotted
        let sep = toks.get(j).map(|t| t.kind);
        if let Some(Kind::Sym(c @ (b'.' | b'/'))) = sep {
            let b = toks.get(j + 1).filter(|t| t.text.len() <= 2).and_then(num);
            let same = toks.get(j + 2).is_some_and(|t| t.kind == Kind::Sym(c));
            if let (Some(b), true, Some((y, e))) = (b, same, year_at(toks, j + 3)) {
                // dotted dates are day-first (29.09.2015), and so is a slashed one whose
                // first number cannot be a month (31/12/2015)
                let date = if c == b'.' || d > 12 {
                    Date::new(y, b, d)
                } else if b > 12 {
                    Date::new(y, d, b) // 12/31/2015
                } else {
                    None // 01/02/2015: no telling
                };
                return date.map(|date| (date, e));
            }
        }
    }
    // month day [,] year: "December 1, 2015", "Sept. 28, 2015", "Dec 1st 2015"
    if let Some((m, j)) = month_at(toks, i) {
        if let Some((d, k)) = day_at(toks, j) {
            let k = skip_comma(toks, k);
            if let Some((y, e)) = year_at(toks, k) {
                return Date::new(y, m as u32, d).map(|date| (date, e));
            }
        }
    }
    None
}

/// The first date in `line`, with its byte range (a weekday just before it included).
pub fn find_date(line: &str) -> Option<Found> {
    let toks = lex(line);
    for i in 0..toks.len() {
        if let Some((date, e)) = date_at(&toks, i) {
            let mut start = toks[i].start;
            // include a weekday: "Tuesday 29 Sep 2015", "Tuesday, Dec. 19, 2006"
            let mut k = i;
            if k > 0 && toks[k - 1].kind == Kind::Sym(b',') {
                k -= 1;
            }
            if k > 0 && toks[k - 1].kind == Kind::Word && is_weekday(toks[k - 1].text) {
                start = toks[k - 1].start;
            }
            return Some(Found {
                date,
                start,
                end: toks[e - 1].end,
            });
        }
    }
    None
}

/// Read a string that is a date (meta tag, JSON-LD, `<time datetime>`, a dateline).
/// Returns the first date found in it.
pub fn parse_date(s: &str) -> Option<Date> {
    find_date(s).map(|f| f.date)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(s: &str) -> Option<String> {
        parse_date(s).map(|d| d.to_string())
    }

    #[test]
    fn reads_news_date_forms() {
        let cases = [
            ("2015-09-29", "2015-09-29"),
            ("2015-09-29T10:00:00+03:00", "2015-09-29"),
            ("2015/9/29", "2015-09-29"),
            ("1 December 2015 20:11 (UTC +04:00)", "2015-12-01"),
            ("AFP , Tuesday 29 Sep 2015", "2015-09-29"),
            ("Thursday, 26 November 2020", "2020-11-26"),
            ("Posted: December 1, 2015", "2015-12-01"),
            ("Monday, Sept. 28, 2015, at United Nations", "2015-09-28"),
            ("Tue, 29 Sep 2015 10:00:00 GMT", "2015-09-29"),
            ("1st Dec. 2015", "2015-12-01"),
            ("Dec 3rd 2015", "2015-12-03"),
            ("the 4th of July 1976", "1976-07-04"),
            ("29.09.2015 14:02", "2015-09-29"),
            ("12/31/2015", "2015-12-31"),
            ("31/12/2015", "2015-12-31"),
            ("Updated: March 3, 2016 at 5pm", "2016-03-03"),
            ("Feb 29, 2016", "2016-02-29"),
        ];
        for (input, want) in cases {
            assert_eq!(iso(input).as_deref(), Some(want), "{input}");
        }
    }

    #[test]
    fn rejects_non_dates() {
        for s in [
            "01/02/2015",
            "Feb 30, 2015",
            "Views: 1254",
            "0:00 0:03:17 0:00",
            "Last Update 15:0",
            "he may 5 2015",
            "32 December 2015",
            "over 250,000 people",
            "",
            "2015",
        ] {
            assert_eq!(iso(s), None, "{s}");
        }
    }

    #[test]
    fn finds_the_range_with_the_weekday() {
        let s = "FILE - In this Tuesday, Dec. 19, 2006 file photo";
        let f = find_date(s).unwrap();
        assert_eq!(&s[f.start..f.end], "Tuesday, Dec. 19, 2006");
        assert_eq!(f.date.to_string(), "2006-12-19");
    }
}
