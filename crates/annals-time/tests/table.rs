//! The date-resolution table of issue 6: expressions with a publication date and a tense,
//! and the span, date and precision they resolve to (or `None`: not a date).
//!
//! Most rows are published on Tuesday 29 September 2015 (`TUE`), whose week runs from
//! Monday 28 September to Sunday 4 October.

use annals_time::{resolve, Date, Precision, Precision::*, Tense, Tense::*};

/// Tuesday 29 September 2015.
const TUE: Option<&str> = Some("2015-09-29");
/// Sunday 4 October 2015.
const SUN: Option<&str> = Some("2015-10-04");
/// Tuesday 5 January 2016.
const JAN: Option<&str> = Some("2016-01-05");
/// Wednesday 30 December 2015.
const DEC: Option<&str> = Some("2015-12-30");
const NONE: Option<&str> = None;

/// Text, publication date, tense, and the expected (span, start date, precision).
type Row = (
    &'static str,
    Option<&'static str>,
    Tense,
    Option<(&'static str, &'static str, Precision)>,
);

#[rustfmt::skip]
const TABLE: &[Row] = &[
    // Weekdays: bare ones by tense; "this/last/next" by calendar week.
    ("Obama met Putin on Monday",          TUE, Past,    Some(("Monday", "2015-09-28", Day))),
    ("Obama will meet Putin on Monday",    TUE, Future,  Some(("Monday", "2015-10-05", Day))),
    ("the vote on Tuesday",                TUE, Past,    Some(("Tuesday", "2015-09-29", Day))),
    ("talks ended on Wednesday",           TUE, Past,    Some(("Wednesday", "2015-09-23", Day))),
    ("talks resume on Wednesday",          TUE, Future,  Some(("Wednesday", "2015-09-30", Day))),
    ("the Sunday vote",                    TUE, Present, Some(("Sunday", "2015-09-27", Day))),
    ("Thursday's summit",                  TUE, Present, Some(("Thursday", "2015-10-01", Day))),
    ("last Monday",                        TUE, Past,    Some(("last Monday", "2015-09-21", Day))),
    ("next Monday",                        TUE, Future,  Some(("next Monday", "2015-10-05", Day))),
    ("this Monday",                        TUE, Past,    Some(("this Monday", "2015-09-28", Day))),
    ("next Friday",                        TUE, Future,  Some(("next Friday", "2015-10-09", Day))),
    ("last Sunday",                        TUE, Past,    Some(("last Sunday", "2015-09-27", Day))),
    ("this past Monday",                   TUE, Past,    Some(("this past Monday", "2015-09-28", Day))),
    ("this coming Tuesday",                TUE, Future,  Some(("this coming Tuesday", "2015-10-06", Day))),
    ("clashes on Monday night",            TUE, Past,    Some(("Monday night", "2015-09-28", Day))),
    ("late Friday",                        TUE, Past,    Some(("Friday", "2015-09-25", Day))),
    ("Monday's attack",                    TUE, Past,    Some(("Monday", "2015-09-28", Day))),
    ("on Friday",                          NONE, Past,   None),
    ("on Monday",                          SUN, Past,    Some(("Monday", "2015-09-28", Day))),
    ("last Monday",                        SUN, Past,    Some(("last Monday", "2015-09-21", Day))),
    ("Tues. talks",                        TUE, Future,  Some(("Tues", "2015-09-29", Day))),
    // Days around publication.
    ("today",                              TUE, Present, Some(("today", "2015-09-29", Day))),
    ("yesterday",                          TUE, Past,    Some(("yesterday", "2015-09-28", Day))),
    ("tomorrow",                           TUE, Future,  Some(("tomorrow", "2015-09-30", Day))),
    ("tonight",                            TUE, Future,  Some(("tonight", "2015-09-29", Day))),
    ("this morning",                       TUE, Past,    Some(("this morning", "2015-09-29", Day))),
    ("last night",                         TUE, Past,    Some(("last night", "2015-09-28", Day))),
    ("yesterday afternoon",                TUE, Past,    Some(("yesterday afternoon", "2015-09-28", Day))),
    ("the day before yesterday",           TUE, Past,    Some(("the day before yesterday", "2015-09-27", Day))),
    ("the day after tomorrow",             TUE, Future,  Some(("the day after tomorrow", "2015-10-01", Day))),
    ("earlier today",                      TUE, Past,    Some(("today", "2015-09-29", Day))),
    ("yesterday",                          NONE, Past,   None),
    // Explicit dates, with and without a year.
    ("on Sept. 30, 2015",                  TUE, Past,    Some(("Sept. 30, 2015", "2015-09-30", Day))),
    ("on Sept. 30",                        TUE, Past,    Some(("Sept. 30", "2014-09-30", Day))),
    ("on Sept. 30",                        TUE, Future,  Some(("Sept. 30", "2015-09-30", Day))),
    ("on Sept. 28",                        TUE, Past,    Some(("Sept. 28", "2015-09-28", Day))),
    ("on Dec.1",                           TUE, Future,  Some(("Dec.1", "2015-12-01", Day))),
    ("on Dec.1",                           TUE, Past,    Some(("Dec.1", "2014-12-01", Day))),
    ("on Dec. 1",                          JAN, Past,    Some(("Dec. 1", "2015-12-01", Day))),
    ("on Jan. 3",                          DEC, Future,  Some(("Jan. 3", "2016-01-03", Day))),
    ("September 30, 2015",                 NONE, Past,   Some(("September 30, 2015", "2015-09-30", Day))),
    ("30 September 2015",                  NONE, Past,   Some(("30 September 2015", "2015-09-30", Day))),
    ("on 2015-09-30",                      NONE, Past,   Some(("2015-09-30", "2015-09-30", Day))),
    ("on Sep 30th",                        TUE, Future,  Some(("Sep 30th", "2015-09-30", Day))),
    ("on the 30th of September",           TUE, Future,  Some(("30th of September", "2015-09-30", Day))),
    ("on Sept.  30",                       TUE, Future,  Some(("Sept.  30", "2015-09-30", Day))),
    ("Monday, Sept. 28, 2015",             NONE, Past,   Some(("Monday, Sept. 28, 2015", "2015-09-28", Day))),
    ("In this Tuesday, Dec. 19, 2006 file photo", TUE, Past, Some(("Tuesday, Dec. 19, 2006", "2006-12-19", Day))),
    ("Tuesday, Sept 29",                   TUE, Present, Some(("Tuesday, Sept 29", "2015-09-29", Day))),
    ("on Feb. 29",                         TUE, Past,    None),
    ("on Feb. 29",                         TUE, Future,  Some(("Feb. 29", "2016-02-29", Day))),
    ("on Sept. 30",                        NONE, Past,   None),
    ("since March 15",                     TUE, Past,    Some(("March 15", "2015-03-15", Day))),
    ("on May 5",                           TUE, Future,  Some(("May 5", "2016-05-05", Day))),
    ("SEPT. 30, 2015",                     NONE, Past,   Some(("SEPT. 30, 2015", "2015-09-30", Day))),
    ("on 1 October",                       TUE, Future,  Some(("1 October", "2015-10-01", Day))),
    ("on Feb. 31",                         TUE, Past,    None),
    ("on Oct. 3",                          TUE, Present, Some(("Oct. 3", "2015-10-03", Day))),
    // Months.
    ("in February",                        TUE, Past,    Some(("February", "2015-02-01", Month))),
    ("in February",                        TUE, Future,  Some(("February", "2016-02-01", Month))),
    ("in September",                       TUE, Past,    Some(("September", "2015-09-01", Month))),
    ("in September",                       TUE, Future,  Some(("September", "2015-09-01", Month))),
    ("in early March",                     TUE, Past,    Some(("March", "2015-03-01", Month))),
    ("by mid-October",                     TUE, Future,  Some(("October", "2015-10-01", Month))),
    ("last February",                      TUE, Past,    Some(("last February", "2015-02-01", Month))),
    ("next February",                      TUE, Future,  Some(("next February", "2016-02-01", Month))),
    ("this February",                      TUE, Past,    Some(("this February", "2015-02-01", Month))),
    ("next September",                     TUE, Future,  Some(("next September", "2016-09-01", Month))),
    ("in September 2015",                  NONE, Past,   Some(("September 2015", "2015-09-01", Month))),
    ("elections in May",                   TUE, Future,  Some(("May", "2016-05-01", Month))),
    ("the end of May",                     TUE, Past,    Some(("May", "2015-05-01", Month))),
    ("Theresa May said",                   TUE, Past,    None),
    ("you may go",                         TUE, Future,  None),
    ("in February",                        NONE, Past,   None),
    ("earlier this month",                 TUE, Past,    Some(("this month", "2015-09-01", Month))),
    ("later this month",                   TUE, Future,  Some(("this month", "2015-09-01", Month))),
    ("last month",                         TUE, Past,    Some(("last month", "2015-08-01", Month))),
    ("next month",                         TUE, Future,  Some(("next month", "2015-10-01", Month))),
    ("last month",                         JAN, Past,    Some(("last month", "2015-12-01", Month))),
    // Weeks and weekends (a weekend is given as the Monday of its week).
    ("this week",                          TUE, Past,    Some(("this week", "2015-09-28", Week))),
    ("last week",                          TUE, Past,    Some(("last week", "2015-09-21", Week))),
    ("next week",                          TUE, Future,  Some(("next week", "2015-10-05", Week))),
    ("earlier this week",                  TUE, Past,    Some(("this week", "2015-09-28", Week))),
    ("over the weekend",                   TUE, Past,    Some(("the weekend", "2015-09-21", Week))),
    ("over the weekend",                   TUE, Future,  Some(("the weekend", "2015-09-28", Week))),
    ("last weekend",                       TUE, Past,    Some(("last weekend", "2015-09-21", Week))),
    ("this weekend",                       SUN, Future,  Some(("this weekend", "2015-09-28", Week))),
    ("next weekend",                       TUE, Future,  Some(("next weekend", "2015-10-05", Week))),
    // Years.
    ("this year",                          TUE, Past,    Some(("this year", "2015-01-01", Year))),
    ("last year",                          TUE, Past,    Some(("last year", "2014-01-01", Year))),
    ("next year",                          TUE, Future,  Some(("next year", "2016-01-01", Year))),
    ("in 2014",                            NONE, Past,   Some(("2014", "2014-01-01", Year))),
    ("since 2011",                         TUE, Past,    Some(("2011", "2011-01-01", Year))),
    ("in late 2014",                       TUE, Past,    Some(("2014", "2014-01-01", Year))),
    ("last year's election",               TUE, Past,    Some(("last year", "2014-01-01", Year))),
    // So many units ago / from now.
    ("a year ago",                         TUE, Past,    Some(("a year ago", "2014-01-01", Year))),
    ("two days ago",                       TUE, Past,    Some(("two days ago", "2015-09-27", Day))),
    ("three weeks ago",                    TUE, Past,    Some(("three weeks ago", "2015-09-07", Week))),
    ("a month ago",                        TUE, Past,    Some(("a month ago", "2015-08-01", Month))),
    ("10 days ago",                        TUE, Past,    Some(("10 days ago", "2015-09-19", Day))),
    ("a couple of days ago",               TUE, Past,    Some(("a couple of days ago", "2015-09-27", Day))),
    ("in two days",                        TUE, Future,  Some(("in two days", "2015-10-01", Day))),
    ("in two days",                        TUE, Past,    None),
    ("in a week",                          TUE, Future,  Some(("in a week", "2015-10-05", Week))),
    ("two days ago",                       NONE, Past,   None),
    // Durations, ages, vague spans, anchors to other events: not dates.
    ("for three days",                     TUE, Past,    None),
    ("a 90-minute meeting",                TUE, Past,    None),
    ("the 28-year-old",                    TUE, Past,    None),
    ("in the past five years",             TUE, Past,    None),
    ("a four-year war",                    TUE, Past,    None),
    ("24 hours",                           TUE, Past,    None),
    ("in the coming days",                 TUE, Future,  None),
    ("the next day",                       TUE, Past,    None),
    ("over the next week",                 TUE, Future,  None),
    ("the last 12 months",                 TUE, Past,    None),
    ("two days later",                     TUE, Past,    None),
    ("a few days ago",                     TUE, Past,    None),
    ("in the 1990s",                       TUE, Past,    None),
    ("for the first time in a year",       TUE, Future,  None),
    ("in two days of talks",               TUE, Future,  None),
    ("a crowd of 5,000",                   TUE, Past,    None),
    ("at 5:30",                            TUE, Past,    None),
    ("a year-long siege",                  TUE, Past,    None),
];

#[test]
fn table() {
    assert!(TABLE.len() >= 80, "the table has {} rows", TABLE.len());
    let mut failures = Vec::new();
    for &(text, published, tense, expected) in TABLE {
        let published = published.map(|p| Date::parse(p).expect("a valid publication date"));
        let got = resolve(text, published, tense)
            .map(|r| (&text[r.range.clone()], r.start.to_string(), r.precision));
        let want = expected.map(|(span, date, p)| (span, date.to_string(), p));
        if got != want {
            failures.push(format!(
                "{text:?} published {} {tense:?}: got {got:?}, want {want:?}",
                published.map_or("-".to_string(), |p| p.to_string()),
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} rows fail:\n{}",
        failures.len(),
        TABLE.len(),
        failures.join("\n")
    );
}
