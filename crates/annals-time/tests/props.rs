//! Properties over arbitrary input: no panic, every range on char boundaries inside the
//! text, ranges in order and not overlapping.

use annals_time::{find_times, scan, Date, Tense};
use proptest::prelude::*;

fn check(text: &str, published: Option<Date>) {
    let mut last = 0;
    for e in scan(text) {
        assert!(e.range.start < e.range.end && e.range.end <= text.len());
        assert!(text.is_char_boundary(e.range.start) && text.is_char_boundary(e.range.end));
        assert!(e.range.start >= last, "overlap in {text:?}");
        last = e.range.end;
        for tense in [Tense::Past, Tense::Present, Tense::Future] {
            if let Some(r) = e.resolve(published, tense) {
                assert_eq!(r.range, e.range);
            }
        }
    }
    for tense in [Tense::Past, Tense::Present, Tense::Future] {
        for r in find_times(text, published, tense) {
            assert!(text.get(r.range.clone()).is_some());
        }
    }
}

fn words() -> impl Strategy<Value = String> {
    let word = prop::sample::select(vec![
        "on",
        "Monday",
        "last",
        "next",
        "this",
        "week",
        "weekend",
        "the",
        "in",
        "February",
        "May",
        "Sept",
        ".",
        ",",
        "30",
        "2015",
        "-",
        "09",
        "ago",
        "two",
        "days",
        "a",
        "year",
        "month",
        "yesterday",
        "night",
        "of",
        "30th",
        "past",
        "coming",
        "day",
        "before",
        "tomorrow",
        "é",
        "  ",
        "4294967296",
        "99999",
        "0",
        "mid",
        "early",
    ]);
    prop::collection::vec((word, any::<bool>()), 0..12).prop_map(|ws| {
        ws.into_iter()
            .map(|(w, glue)| if glue { w.to_string() } else { format!(" {w}") })
            .collect()
    })
}

proptest! {
    #[test]
    fn arbitrary_strings(text in any::<String>(), days in -1_000_000i64..1_000_000) {
        check(&text, Date::from_days_since_epoch(days));
        check(&text, None);
    }

    #[test]
    fn time_words_in_any_order(text in words(), days in -1_000_000i64..1_000_000) {
        check(&text, Date::from_days_since_epoch(days));
    }
}

#[test]
fn extreme_publication_dates() {
    for p in [Date::new(i32::MAX, 12, 31), Date::new(i32::MIN, 1, 1)] {
        for text in [
            "next year",
            "last year",
            "in two years",
            "tomorrow",
            "yesterday",
            "next February",
            "last week",
            "Dec. 31",
            "Jan. 1",
            "99999 years ago",
            "next weekend",
            "on Monday",
        ] {
            check(text, p);
            for tense in [Tense::Past, Tense::Present, Tense::Future] {
                let _ = find_times(text, p, tense);
            }
        }
    }
}
