//! A proleptic Gregorian civil date with the arithmetic the resolver needs.

use std::fmt;

/// A day of the week, Monday first (ISO 8601).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Weekday {
    /// Monday.
    Mon,
    /// Tuesday.
    Tue,
    /// Wednesday.
    Wed,
    /// Thursday.
    Thu,
    /// Friday.
    Fri,
    /// Saturday.
    Sat,
    /// Sunday.
    Sun,
}

impl Weekday {
    const ALL: [Weekday; 7] = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ];

    /// Days since Monday, 0–6.
    pub const fn index(self) -> u8 {
        self as u8
    }

    /// The weekday `index` days after Monday (taken modulo 7).
    pub const fn from_index(index: u8) -> Weekday {
        Weekday::ALL[(index % 7) as usize]
    }
}

/// A calendar date (proleptic Gregorian), ordered by year, month, day.
///
/// Always valid: the constructors check the month and the day against the month's length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    y: i32,
    m: u8,
    d: u8,
}

/// Days in month `m` (1–12) of year `y`; 0 for a month out of range.
pub const fn days_in_month(y: i32, m: u8) -> u8 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    /// The date `y-m-d`; `None` when the month or the day is out of range.
    pub const fn new(y: i32, m: u8, d: u8) -> Option<Date> {
        if m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m) {
            Some(Date { y, m, d })
        } else {
            None
        }
    }

    /// Parse `YYYY-MM-DD`; anything after the day that is not a digit (a time, a zone) is
    /// ignored, so an ISO date-time such as a document's `published` field can be passed as
    /// it is.
    pub fn parse(s: &str) -> Option<Date> {
        let b = s.trim().as_bytes();
        if b.len() < 10 || b[4] != b'-' || b[7] != b'-' || b.get(10).is_some_and(u8::is_ascii_digit)
        {
            return None;
        }
        let num = |r: &[u8]| -> Option<u32> {
            r.iter().try_fold(0u32, |acc, &c| {
                c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
            })
        };
        Date::new(
            num(&b[0..4])? as i32,
            num(&b[5..7])? as u8,
            num(&b[8..10])? as u8,
        )
    }

    /// The year.
    pub const fn year(self) -> i32 {
        self.y
    }

    /// The month, 1–12.
    pub const fn month(self) -> u8 {
        self.m
    }

    /// The day of the month, 1–31.
    pub const fn day(self) -> u8 {
        self.d
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.y) - i64::from(self.m <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.m);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.d) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` days after 1970-01-01; `None` outside the `i32` year range.
    pub fn from_days_since_epoch(days: i64) -> Option<Date> {
        let z = days.checked_add(719_468)?;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let y = yoe.checked_add(era.checked_mul(400)?)? + i64::from(m <= 2);
        Some(Date {
            y: i32::try_from(y).ok()?,
            m,
            d,
        })
    }

    /// The day of the week.
    pub fn weekday(self) -> Weekday {
        // 1970-01-01 was a Thursday (index 3).
        Weekday::from_index((self.days_since_epoch() + 3).rem_euclid(7) as u8)
    }

    /// The date `days` days later (earlier when negative); `None` on overflow.
    pub fn add_days(self, days: i64) -> Option<Date> {
        Date::from_days_since_epoch(self.days_since_epoch().checked_add(days)?)
    }

    /// The date `months` months later (earlier when negative), its day clamped to the
    /// length of the month (Jan 31 + 1 month = Feb 28 or 29); `None` on overflow.
    pub fn add_months(self, months: i64) -> Option<Date> {
        let idx = i64::from(self.y)
            .checked_mul(12)?
            .checked_add(i64::from(self.m) - 1)?
            .checked_add(months)?;
        let y = i32::try_from(idx.div_euclid(12)).ok()?;
        let m = (idx.rem_euclid(12) + 1) as u8;
        Date::new(y, m, self.d.min(days_in_month(y, m)))
    }

    /// The first day of this date's month.
    pub const fn month_start(self) -> Date {
        Date {
            y: self.y,
            m: self.m,
            d: 1,
        }
    }

    /// The Monday of this date's Monday–Sunday week.
    pub fn week_start(self) -> Date {
        self.add_days(-i64::from(self.weekday().index()))
            .unwrap_or(self)
    }

    /// January 1 of this date's year.
    pub const fn year_start(self) -> Date {
        Date {
            y: self.y,
            m: 1,
            d: 1,
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.y, self.m, self.d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekdays_and_epoch_round_trip() {
        let d = Date::new(2015, 9, 29).unwrap();
        assert_eq!(d.weekday(), Weekday::Tue);
        assert_eq!(Date::new(1970, 1, 1).unwrap().days_since_epoch(), 0);
        assert_eq!(Date::new(2000, 2, 29).unwrap().weekday(), Weekday::Tue);
        for n in [-800_000i64, -1, 0, 1, 59, 365, 11_000, 800_000] {
            let d = Date::from_days_since_epoch(n).unwrap();
            assert_eq!(d.days_since_epoch(), n, "{d}");
        }
    }

    #[test]
    fn arithmetic() {
        let d = Date::new(2015, 1, 31).unwrap();
        assert_eq!(d.add_months(1).unwrap().to_string(), "2015-02-28");
        assert_eq!(d.add_months(-2).unwrap().to_string(), "2014-11-30");
        assert_eq!(d.add_days(29).unwrap().to_string(), "2015-03-01");
        assert_eq!(
            Date::new(2015, 9, 29).unwrap().week_start().to_string(),
            "2015-09-28"
        );
        assert_eq!(
            Date::new(2015, 10, 4).unwrap().week_start().to_string(),
            "2015-09-28"
        );
        assert_eq!(Date::new(2016, 2, 30), None);
        assert_eq!(Date::new(2016, 2, 29).map(|d| d.day()), Some(29));
        assert_eq!(Date::parse("2015-09-28T10:00:00Z"), Date::new(2015, 9, 28));
        assert_eq!(Date::parse("2015-09-281"), None);
        assert_eq!(Date::parse("2015-9-28"), None);
        let far = Date::new(i32::MAX, 12, 31).unwrap();
        assert_eq!(far.add_days(1), None);
        assert_eq!(far.add_months(1), None);
    }
}
