//! Time expressions in news text, resolved to calendar dates.
//!
//! An event happened on a date the sentence tells relative to the article ("on Monday",
//! "last week", "Sept. 30", "two days ago"). This crate finds those expressions and resolves
//! them against the article's publication date and the tense of the clause they sit in.
//!
//! - [`find_times`]: every time expression in a sentence, resolved to a [`Resolved`]
//!   (start [`Date`], [`Precision`], byte range in the sentence). Expressions that cannot be
//!   resolved (a relative one without a publication date, "in two days" in the past tense)
//!   are left out.
//! - [`scan`] + [`TimeExpr::resolve`]: the same in two steps, so a sentence is scanned once
//!   and each expression is resolved with the tense of the clause that holds it.
//! - [`resolve`]: one expression on its own.
//! - [`Date`] (a proleptic Gregorian civil date with weekday, day and month arithmetic),
//!   [`Weekday`], [`Tense`] (the caller derives it from the clause's verb).
//!
//! Data flow: sentence text ─[`scan`]: one pass over its tokens─▶ [`TimeExpr`]s
//! ─[`TimeExpr::resolve`] with the publication date and the tense─▶ [`Resolved`].
//!
//! ```
//! use annals_time::{find_times, Date, Precision, Tense};
//!
//! let published = Date::new(2015, 9, 29); // a Tuesday
//! let text = "Obama met Putin on Monday and said Sept. 30 talks were set for next week.";
//! let found: Vec<(&str, String, Precision)> = find_times(text, published, Tense::Past)
//!     .into_iter()
//!     .map(|r| (&text[r.range.clone()], r.start.to_string(), r.precision))
//!     .collect();
//! assert_eq!(
//!     found,
//!     [
//!         ("Monday", "2015-09-28".to_string(), Precision::Day),
//!         ("Sept. 30", "2014-09-30".to_string(), Precision::Day), // past tense: a year back
//!         ("next week", "2015-10-05".to_string(), Precision::Week),
//!     ]
//! );
//! // Without a publication date only absolute dates resolve.
//! assert!(find_times("on Monday", None, Tense::Past).is_empty());
//! assert_eq!(find_times("on Sept. 30, 2015", None, Tense::Past).len(), 1);
//! ```
//!
//! # How expressions resolve
//!
//! `pub` is the publication date; weeks run Monday to Sunday.
//!
//! | Expression | Resolves to | Precision |
//! |---|---|---|
//! | `2015-09-30`, `Sept. 30, 2015`, `30 September 2015`, `Monday, Sept. 28, 2015` | that day | day |
//! | `Sept. 30`, `Dec.1`, `Sep 30th`, `the 30th of September` | that day in the year before, of or after `pub`: the latest on or before `pub` (past tense), the earliest on or after it (future), the nearest (present) | day |
//! | `September 2015` | that month | month |
//! | `in February`, `early May`, `since March`, `September` (spelt out) | the month of that name: the latest starting no later than `pub`'s month (past), the earliest no earlier (future), the nearest (present) | month |
//! | `last February` / `next February` / `this February` | the one strictly before / after `pub`'s month / in `pub`'s year | month |
//! | `in 2014`, `since 2014`, `mid-2014` | that year (a bare four-digit number needs such a preposition or modifier) | year |
//! | `today`, `tonight`, `this morning` / `yesterday`, `last night` / `tomorrow` / `the day before yesterday` | `pub`, `pub − 1`, `pub + 1`, `pub − 2` | day |
//! | `Monday` (bare, with `on`, `late`, `Monday night`) | past: the latest Monday on or before `pub`; future: the earliest on or after; present: the nearest | day |
//! | `this Monday` / `last Monday` / `next Monday` | the Monday of `pub`'s week / of the week before / of the week after | day |
//! | `this past Monday` / `this coming Monday` | the latest Monday strictly before `pub` / the earliest strictly after | day |
//! | `this week`, `last week`, `next week`, `this coming week` | Monday of that week | week |
//! | `the weekend`, `this weekend` | the latest weekend begun by `pub` (past), the next not yet over (future), `pub`'s week's (present); given as the Monday of its week | week |
//! | `last weekend` / `next weekend` | the weekend of the week before / after `pub`'s | week |
//! | `this month` (also "earlier this month", "later this month"), `last month`, `next month` | the first of that month | month |
//! | `this year`, `last year`, `next year` | January 1 of that year | year |
//! | `two days ago`, `three weeks ago`, `a month ago`, `a year ago` | `pub` moved back, at the unit's precision (the week, month or year that holds the day) | unit's |
//! | `in two days`, `in a week` | `pub` moved forward, **future tense only** (in the past tense "in two days" is how long something took) | unit's |
//!
//! Not dates, so nothing is returned: durations ("for three days", "24 hours", "in the
//! past five years", "over the next week", "the last 12 months"), ages and compounds
//! ("the 28-year-old", "a 90-minute meeting", "four-year war"), vague spans ("in the coming
//! days", "recently", "a few days ago": their extent is unknown, so a week precision would be
//! a guess presented as a fact), decades ("the 1990s") and expressions anchored to another
//! event rather than to the article ("the next day", "two days later").
//!
//! Without a publication date, every relative expression (including a month and day without
//! a year) resolves to nothing; absolute dates still resolve. The resolver never falls back
//! to the publication date itself.
#![warn(missing_docs)]

mod date;
mod lexicon;
mod scan;

use std::ops::Range;

pub use date::{days_in_month, Date, Weekday};
use lexicon::Unit;

/// The tense of the clause an expression sits in, which decides the direction of a bare
/// weekday, month or month-and-day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tense {
    /// Happened: "on Monday" is the latest Monday on or before the publication date.
    Past,
    /// Happening or unknown: the nearest.
    Present,
    /// Will happen: the earliest on or after the publication date.
    Future,
}

/// How much of the calendar a resolved date stands for, starting at [`Resolved::start`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Precision {
    /// The day itself.
    Day,
    /// The Monday–Sunday week starting at `start` (a Monday).
    Week,
    /// The month starting at `start` (the 1st).
    Month,
    /// The year starting at `start` (January 1).
    Year,
}

impl Precision {
    /// The lower-case name used in the output contract: `day`, `week`, `month`, `year`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Precision::Day => "day",
            Precision::Week => "week",
            Precision::Month => "month",
            Precision::Year => "year",
        }
    }
}

/// A time expression resolved to a calendar span.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Resolved {
    /// The first day of the span.
    pub start: Date,
    /// The span's length: a day, a week, a month or a year.
    pub precision: Precision,
    /// The byte range of the expression in the text it was found in.
    pub range: Range<usize>,
}

/// The relation a weekday, month or weekend has to the publication date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rel {
    /// Decided by the tense.
    Tense,
    /// "this": the publication date's week or year.
    This,
    /// "last": the week (or, for a month, the occurrence) before.
    Last,
    /// "next": the week (or occurrence) after.
    Next,
    /// "this past": the latest strictly before the publication date.
    PastThis,
    /// "this coming": the earliest strictly after.
    ComingThis,
}

/// What an expression says, before resolution.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum What {
    /// A full date.
    Date(Date),
    /// A month and a day without a year.
    MonthDay(u8, u8),
    /// A month of a given year.
    Month(i32, u8),
    /// A year.
    Year(i32),
    /// A month name without a year.
    MonthOf(u8, Rel),
    /// A weekday, 0 = Monday.
    Weekday(u8, Rel),
    /// A weekend.
    Weekend(Rel),
    /// So many units from the publication date (0 = the current one).
    Offset(Unit, i64),
    /// "in two days": a forward offset that only a future-tense clause gives.
    InFuture(Unit, i64),
}

/// A time expression found in a text, not yet resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeExpr {
    what: What,
    /// The byte range of the expression in the scanned text.
    pub range: Range<usize>,
}

impl TimeExpr {
    /// Whether the expression names its date on its own ("Sept. 30, 2015", "in 2014"), so
    /// it resolves without a publication date.
    pub fn is_absolute(&self) -> bool {
        matches!(self.what, What::Date(_) | What::Month(..) | What::Year(_))
    }

    /// Resolve against the publication date and the clause's tense. `None` when the
    /// expression is relative and there is no publication date, when it is only a date in
    /// another tense ("in two days" outside the future), or when the date does not exist
    /// (Feb 29 with no leap year near the publication date).
    pub fn resolve(&self, published: Option<Date>, tense: Tense) -> Option<Resolved> {
        let (start, precision) = resolve_what(self.what, published, tense)?;
        Some(Resolved {
            start,
            precision,
            range: self.range.clone(),
        })
    }
}

/// Every time expression in `text`, in order, not overlapping, unresolved. One pass over
/// the text's tokens; the only allocations are the token buffer and the result.
pub fn scan(text: &str) -> Vec<TimeExpr> {
    scan::scan(text)
}

/// Every time expression in `text` resolved against `published` and `tense`; those that do
/// not resolve are left out (see the crate documentation for the rules).
pub fn find_times(text: &str, published: Option<Date>, tense: Tense) -> Vec<Resolved> {
    scan::scan(text)
        .iter()
        .filter_map(|e| e.resolve(published, tense))
        .collect()
}

/// The first time expression in `expr`, resolved (see [`find_times`]).
pub fn resolve(expr: &str, published: Option<Date>, tense: Tense) -> Option<Resolved> {
    find_times(expr, published, tense).into_iter().next()
}

fn resolve_what(what: What, published: Option<Date>, tense: Tense) -> Option<(Date, Precision)> {
    use Precision as P;
    match what {
        What::Date(d) => return Some((d, P::Day)),
        What::Month(y, m) => return Some((Date::new(y, m, 1)?, P::Month)),
        What::Year(y) => return Some((Date::new(y, 1, 1)?, P::Year)),
        _ => {}
    }
    let p = published?;
    match what {
        What::Date(_) | What::Month(..) | What::Year(_) => None,
        What::MonthDay(m, d) => {
            let candidates = (-1..=1).filter_map(|dy| Date::new(p.year().checked_add(dy)?, m, d));
            let day = match tense {
                Tense::Past => candidates.filter(|&c| c <= p).max(),
                Tense::Future => candidates.filter(|&c| c >= p).min(),
                Tense::Present => {
                    candidates.min_by_key(|c| (c.days_since_epoch() - p.days_since_epoch()).abs())
                }
            }?;
            Some((day, P::Day))
        }
        What::MonthOf(m, rel) => {
            let here = i64::from(p.month());
            let back = (here - i64::from(m)).rem_euclid(12);
            let fwd = (i64::from(m) - here).rem_euclid(12);
            let delta = match rel {
                Rel::Tense => match tense {
                    Tense::Past => -back,
                    Tense::Future => fwd,
                    Tense::Present if back <= fwd => -back,
                    Tense::Present => fwd,
                },
                Rel::This => i64::from(m) - here,
                Rel::Last | Rel::PastThis => -(if back == 0 { 12 } else { back }),
                Rel::Next | Rel::ComingThis => {
                    if fwd == 0 {
                        12
                    } else {
                        fwd
                    }
                }
            };
            Some((p.month_start().add_months(delta)?, P::Month))
        }
        What::Weekday(wd, rel) => Some((weekday(p, i64::from(wd), rel, tense)?, P::Day)),
        What::Weekend(rel) => {
            let sat = match rel {
                Rel::Last | Rel::PastThis => p.week_start().add_days(-2)?,
                Rel::Next | Rel::ComingThis => p.week_start().add_days(12)?,
                Rel::This => p.week_start().add_days(5)?,
                Rel::Tense => {
                    let here = i64::from(p.weekday().index());
                    match tense {
                        // The latest weekend begun by the publication date.
                        Tense::Past => weekday(p, 5, Rel::Tense, Tense::Past)?,
                        // The next weekend not yet over: a Sunday is still this weekend.
                        Tense::Future if here == 6 => p.add_days(-1)?,
                        Tense::Future => weekday(p, 5, Rel::Tense, Tense::Future)?,
                        Tense::Present => p.week_start().add_days(5)?,
                    }
                }
            };
            Some((sat.week_start(), P::Week))
        }
        What::Offset(unit, n) => offset(p, unit, n),
        What::InFuture(unit, n) => {
            if tense == Tense::Future {
                offset(p, unit, n)
            } else {
                None
            }
        }
    }
}

/// The weekday `wd` (0 = Monday) relative to `p`.
fn weekday(p: Date, wd: i64, rel: Rel, tense: Tense) -> Option<Date> {
    let here = i64::from(p.weekday().index());
    let fwd = (wd - here).rem_euclid(7); // 0..=6 days ahead
    let back = (here - wd).rem_euclid(7); // 0..=6 days back
    let delta = match rel {
        Rel::Tense => match tense {
            Tense::Past => -back,
            Tense::Future => fwd,
            Tense::Present if fwd <= 3 => fwd,
            Tense::Present => -back,
        },
        Rel::This => wd - here,
        Rel::Last => wd - here - 7,
        Rel::Next => wd - here + 7,
        Rel::PastThis => -(if back == 0 { 7 } else { back }),
        Rel::ComingThis => {
            if fwd == 0 {
                7
            } else {
                fwd
            }
        }
    };
    p.add_days(delta)
}

fn offset(p: Date, unit: Unit, n: i64) -> Option<(Date, Precision)> {
    Some(match unit {
        Unit::Day => (p.add_days(n)?, Precision::Day),
        Unit::Week => (p.week_start().add_days(n.checked_mul(7)?)?, Precision::Week),
        Unit::Month => (p.month_start().add_months(n)?, Precision::Month),
        Unit::Year => (
            p.year_start().add_months(n.checked_mul(12)?)?,
            Precision::Year,
        ),
    })
}
