//! Calendar dates for role tenures and dated CAMEO codes.

use std::fmt;
use std::str::FromStr;

/// A calendar date (proleptic Gregorian), ordered by year, month, day.
///
/// Parsed from `YYYY-MM-DD`; a longer ISO date-time (`2015-09-28T10:00:00Z`) is accepted
/// and its time dropped, so a document's `published` field can be passed as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year.
    pub year: u16,
    /// Month, 1–12.
    pub month: u8,
    /// Day, 1–31.
    pub day: u8,
}

impl Date {
    /// A date; `None` when the month or day is out of range.
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        ((1..=12).contains(&month) && (1..=31).contains(&day)).then_some(Date { year, month, day })
    }

    /// Parse `YYYY-MM-DD`, ignoring anything after the day (a time, a zone).
    pub fn parse(s: &str) -> Option<Date> {
        let s = s.trim();
        let b = s.as_bytes();
        if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        if b.len() > 10 && b[10].is_ascii_digit() {
            return None;
        }
        let num = |r: std::ops::Range<usize>| -> Option<u16> {
            let t = s.get(r)?;
            t.bytes()
                .all(|c| c.is_ascii_digit())
                .then(|| t.parse().ok())
                .flatten()
        };
        Date::new(num(0..4)?, num(5..7)? as u8, num(8..10)? as u8)
    }
}

impl FromStr for Date {
    type Err = crate::Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Date::parse(s).ok_or_else(|| crate::Error::BadDate(s.to_string()))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A half-open span of dates `[from, to)`; an open end is `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    /// First day, or `None` when unknown or from the beginning.
    pub from: Option<Date>,
    /// The day it ended (the successor's first day), or `None` while it lasts.
    pub to: Option<Date>,
}

impl Span {
    /// True when `date` lies in the span.
    pub fn contains(&self, date: Date) -> bool {
        self.from.is_none_or(|f| f <= date) && self.to.is_none_or(|t| date < t)
    }

    /// Parse `FROM..TO` where either side may be empty (`2009-01-20..`, `..1999-12-31`).
    pub(crate) fn parse(s: &str) -> Option<Span> {
        let (a, b) = s.split_once("..")?;
        let side = |t: &str| -> Option<Option<Date>> {
            if t.trim().is_empty() {
                Some(None)
            } else {
                Date::parse(t).map(Some)
            }
        };
        Some(Span {
            from: side(a)?,
            to: side(b)?,
        })
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(d) = self.from {
            write!(f, "{d}")?;
        }
        f.write_str("..")?;
        if let Some(d) = self.to {
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_dates_and_spans() {
        assert_eq!(Date::parse("2015-09-28"), Date::new(2015, 9, 28));
        assert_eq!(Date::parse("2015-09-28T10:00:00Z"), Date::new(2015, 9, 28));
        assert_eq!(Date::parse("2015-13-01"), None);
        assert_eq!(Date::parse("20150928"), None);
        let s = Span::parse("2009-01-20..").unwrap();
        assert!(s.contains(Date::new(2015, 1, 1).unwrap()));
        assert!(!s.contains(Date::new(2009, 1, 19).unwrap()));
        let s = Span::parse("2009-01-20..2017-01-20").unwrap();
        assert!(!s.contains(Date::new(2017, 1, 20).unwrap()));
        assert_eq!(s.to_string(), "2009-01-20..2017-01-20");
    }
}
