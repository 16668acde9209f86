//! The word table: every word the resolver reacts to, classified once per token.
//!
//! Lookup lowercases the word into a stack buffer and matches it against string literals,
//! which the compiler turns into a decision tree: no allocation and no list scanning.

/// A unit of time in "two days ago", "this week", "in three months".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unit {
    Day,
    Week,
    Month,
    Year,
}

/// The class of a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum W {
    /// A weekday, 0 = Monday.
    Weekday(u8),
    /// A month, 1–12; `full` when spelt out (not an abbreviation).
    Month {
        m: u8,
        full: bool,
    },
    /// A number word ("two", "twelve").
    Num(u16),
    /// "a", "an": one, in "a year ago".
    A,
    /// "couple" ("a couple of days ago").
    Couple,
    Unit(Unit),
    Today,
    Yesterday,
    Tomorrow,
    Tonight,
    /// "morning", "afternoon", "evening".
    PartOfDay,
    Night,
    Last,
    Next,
    This,
    Ago,
    In,
    /// A preposition that puts a bare month or year in context ("since", "during").
    Prep,
    /// "by", "from", "through", "to", "before", "after": context for a bare year, but too
    /// common before names ("a letter from May") to put an ambiguous month in context.
    WeakPrep,
    /// "early", "late", "mid", "end", "beginning", "start", "middle".
    Mod,
    Of,
    The,
    Weekend,
    Past,
    Coming,
    /// A word that makes a following unit an anchor to another event or a duration
    /// ("following", "previous", "same", "few", "several", "recent").
    Vague,
    Other,
}

/// Classify `word` (a run of letters); `cap` tells whether its first letter is upper case.
pub(crate) fn classify(word: &str, cap: bool) -> W {
    let b = word.as_bytes();
    if b.len() > 10 || !word.is_ascii() {
        return W::Other;
    }
    let mut buf = [0u8; 10];
    for (o, c) in buf.iter_mut().zip(b) {
        *o = c.to_ascii_lowercase();
    }
    let lower = &buf[..b.len()];
    let month = |m: u8, full: bool| W::Month { m, full };
    // Words that are also common English words or names count only when capitalised.
    let only_cap = |w: W| if cap { w } else { W::Other };
    match lower {
        b"monday" => W::Weekday(0),
        b"tuesday" => W::Weekday(1),
        b"tues" | b"tue" => only_cap(W::Weekday(1)),
        b"wednesday" => W::Weekday(2),
        b"weds" => only_cap(W::Weekday(2)),
        b"thursday" => W::Weekday(3),
        b"thurs" | b"thur" | b"thu" => only_cap(W::Weekday(3)),
        b"friday" => W::Weekday(4),
        b"fri" => only_cap(W::Weekday(4)),
        b"saturday" => W::Weekday(5),
        b"sunday" => W::Weekday(6),
        b"january" => month(1, true),
        b"jan" => only_cap(month(1, false)),
        b"february" => month(2, true),
        b"feb" => only_cap(month(2, false)),
        b"march" => only_cap(month(3, false)),
        b"mar" => only_cap(month(3, false)),
        b"april" => month(4, true),
        b"apr" => only_cap(month(4, false)),
        // "May" is a modal verb and a name; it needs a capital and a day, a year or context.
        b"may" => only_cap(month(5, false)),
        b"june" => month(6, true),
        b"jun" => only_cap(month(6, false)),
        b"july" => month(7, true),
        b"jul" => only_cap(month(7, false)),
        b"august" => month(8, true),
        b"aug" => only_cap(month(8, false)),
        b"september" => month(9, true),
        b"sept" | b"sep" => only_cap(month(9, false)),
        b"october" => month(10, true),
        b"oct" => only_cap(month(10, false)),
        b"november" => month(11, true),
        b"nov" => only_cap(month(11, false)),
        b"december" => month(12, true),
        b"dec" => only_cap(month(12, false)),
        b"one" => W::Num(1),
        b"two" => W::Num(2),
        b"three" => W::Num(3),
        b"four" => W::Num(4),
        b"five" => W::Num(5),
        b"six" => W::Num(6),
        b"seven" => W::Num(7),
        b"eight" => W::Num(8),
        b"nine" => W::Num(9),
        b"ten" => W::Num(10),
        b"eleven" => W::Num(11),
        b"twelve" => W::Num(12),
        b"fifteen" => W::Num(15),
        b"twenty" => W::Num(20),
        b"thirty" => W::Num(30),
        b"forty" => W::Num(40),
        b"fifty" => W::Num(50),
        b"hundred" => W::Num(100),
        b"a" | b"an" => W::A,
        b"couple" => W::Couple,
        b"day" | b"days" => W::Unit(Unit::Day),
        b"week" | b"weeks" => W::Unit(Unit::Week),
        b"month" | b"months" => W::Unit(Unit::Month),
        b"year" | b"years" => W::Unit(Unit::Year),
        b"today" => W::Today,
        b"yesterday" => W::Yesterday,
        b"tomorrow" => W::Tomorrow,
        b"tonight" => W::Tonight,
        b"morning" | b"afternoon" | b"evening" => W::PartOfDay,
        b"night" => W::Night,
        b"last" => W::Last,
        b"next" => W::Next,
        b"this" => W::This,
        b"ago" => W::Ago,
        b"in" => W::In,
        b"since" | b"until" | b"till" | b"during" | b"throughout" => W::Prep,
        b"by" | b"from" | b"through" | b"to" | b"before" | b"after" => W::WeakPrep,
        b"early" | b"late" | b"mid" | b"end" | b"beginning" | b"start" | b"middle" => W::Mod,
        b"of" => W::Of,
        b"the" => W::The,
        b"weekend" => W::Weekend,
        b"past" => W::Past,
        b"coming" | b"upcoming" => W::Coming,
        b"following" | b"previous" | b"same" | b"few" | b"several" | b"recent" | b"first"
        | b"final" | b"other" | b"that" | b"every" | b"each" => W::Vague,
        _ => W::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ambiguous_words_need_a_capital() {
        assert_eq!(classify("may", false), W::Other);
        assert_eq!(classify("May", true), W::Month { m: 5, full: false });
        assert_eq!(classify("march", false), W::Other);
        assert_eq!(classify("september", false), W::Month { m: 9, full: true });
        assert_eq!(classify("SEPT", true), W::Month { m: 9, full: false });
        assert_eq!(classify("sat", false), W::Other);
        assert_eq!(classify("Sat", true), W::Other);
        assert_eq!(classify("Überall", true), W::Other);
        assert_eq!(classify("internationally", false), W::Other);
    }
}
