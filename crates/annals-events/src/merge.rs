//! Cross-document merge: one real-world event reported by several outlets becomes one
//! event with several mentions.
//!
//! Two reports are of the same event when they have
//! - the same source and target (in either order for a symmetric action such as "met");
//! - different sentences: one sentence's reports are distinct events (the coder codes
//!   "A and B agreed" as A → B and B → A, one report for each side); a sentence that
//!   tells both directions has each merge only with reports of the same direction;
//! - the same CAMEO root code;
//! - compatible dates: equal at the coarser of their precisions, or one of them undated;
//! - and, when either is undated, publication dates at most a week apart (a report
//!   without a publication date is compatible with any); a report with its source or
//!   target unknown is merged only with one dated to the same time.
//!
//! The merged event takes the most precise date its reports give; reports that had none
//! take it too, with basis `cross-document`.

use annals_model::{DateBasis, DatePrecision, EventDate};
use annals_time::Date;
use std::collections::HashMap;

/// One event report to merge.
#[derive(Debug, Clone)]
pub struct MergeInput<'a> {
    /// The source actor's global id.
    pub source: Option<&'a str>,
    /// The target actor's global id.
    pub target: Option<&'a str>,
    /// CAMEO code.
    pub cameo: &'a str,
    /// Whether source and target can swap.
    pub symmetric: bool,
    /// The report's own date.
    pub date: Option<EventDate>,
    /// The publication date of the report's document.
    pub published: Option<Date>,
    /// The report's document and the sentence's offset in it, when known: reports of one
    /// sentence are never merged.
    pub sentence: Option<(&'a str, u32)>,
}

/// One merged event: the reports (indexes into the input) and the date they agree on.
#[derive(Debug, Clone, PartialEq)]
pub struct Merged {
    /// Indexes of the merged reports, in input order.
    pub members: Vec<usize>,
    /// The most precise date the reports give.
    pub date: Option<EventDate>,
}

fn rank(d: &EventDate) -> (u8, u8) {
    let basis = match d.basis {
        DateBasis::Text => 0,
        DateBasis::CrossDocument => 1,
        DateBasis::Context => 2,
    };
    (d.precision as u8, basis)
}

fn days(d: &EventDate) -> Option<i64> {
    Date::new(d.ymd.0, d.ymd.1, d.ymd.2).map(Date::days_since_epoch)
}

/// Do two dates name the same time, at the coarser precision?
fn same_time(a: &EventDate, b: &EventDate) -> bool {
    let coarse = a.precision.max(b.precision);
    match coarse {
        DatePrecision::Day => a.ymd == b.ymd,
        DatePrecision::Week => match (days(a), days(b)) {
            (Some(x), Some(y)) => {
                (x - y).abs() < 7 && (x.min(y) - 4).div_euclid(7) == (x.max(y) - 4).div_euclid(7)
            }
            _ => false,
        },
        DatePrecision::Month => a.ymd.0 == b.ymd.0 && a.ymd.1 == b.ymd.1,
        DatePrecision::Year => a.ymd.0 == b.ymd.0,
    }
}

/// Source, target (ordered for symmetric actions) and root code.
type Key<'a> = (Option<&'a str>, Option<&'a str>, &'a str);

/// A report's source and target, as told.
type Way<'a> = (Option<&'a str>, Option<&'a str>);

/// A document and the offset of one of its sentences.
type Sentence<'a> = (&'a str, u32);

struct Cluster<'a> {
    members: Vec<usize>,
    /// The first report's source and target.
    way: Way<'a>,
    sentences: Vec<Sentence<'a>>,
    date: Option<EventDate>,
    published: Vec<Date>,
}

/// Group reports of the same event. Each report lands in exactly one group; groups come
/// out in the order of their first report.
pub fn merge<'a>(inputs: &[MergeInput<'a>]) -> Vec<Merged> {
    let mut clusters: Vec<Cluster<'a>> = Vec::new();
    let mut index: HashMap<Key<'_>, Vec<usize>> = HashMap::new();
    let key = |e: &MergeInput<'a>| -> Key<'a> {
        let (a, b) = if e.symmetric && e.target.is_some() && e.source > e.target {
            (e.target, e.source)
        } else {
            (e.source, e.target)
        };
        (a, b, e.cameo.get(..2).unwrap_or(e.cameo))
    };
    // the sentences that tell both directions of a symmetric act: each direction merges
    // only with reports of the same direction
    let mut ways: HashMap<(Sentence<'a>, Key<'a>), Vec<Way<'a>>> = HashMap::new();
    for e in inputs {
        if let Some(at) = e.sentence {
            let w = ways.entry((at, key(e))).or_default();
            if !w.contains(&(e.source, e.target)) {
                w.push((e.source, e.target));
            }
        }
    }
    for (i, e) in inputs.iter().enumerate() {
        let k = key(e);
        let both_ways = e
            .sentence
            .is_some_and(|at| ways.get(&(at, k)).is_some_and(|w| w.len() > 1));
        let bucket = index.entry(k).or_default();
        // with a party unknown, the actors do not tell one event from another: only the
        // same date does
        let partial = e.source.is_none() || e.target.is_none();
        let fits = |c: &Cluster<'a>| {
            if e.sentence.is_some_and(|x| c.sentences.contains(&x)) {
                return false;
            }
            let dated = match (&c.date, &e.date) {
                (Some(x), Some(y)) => return same_time(x, y),
                _ if partial => return false,
                _ => false,
            };
            dated
                || e.published.is_none()
                || c.published.is_empty()
                || c.published.iter().any(|p| {
                    e.published
                        .is_some_and(|q| (p.days_since_epoch() - q.days_since_epoch()).abs() <= 7)
                })
        };
        // a group told in the report's own direction first: one side's report of a
        // meeting joins that side's event
        let same_way = |c: &Cluster<'a>| c.way == (e.source, e.target);
        let found = bucket
            .iter()
            .copied()
            .find(|&c| same_way(&clusters[c]) && fits(&clusters[c]))
            .or_else(|| {
                bucket
                    .iter()
                    .copied()
                    .find(|&c| !both_ways && fits(&clusters[c]))
            });
        match found {
            Some(c) => {
                let c = &mut clusters[c];
                c.members.push(i);
                if let Some(d) = e.date {
                    if c.date.is_none_or(|x| rank(&d) < rank(&x)) {
                        c.date = Some(d);
                    }
                }
                c.published.extend(e.published);
                c.sentences.extend(e.sentence);
            }
            None => {
                bucket.push(clusters.len());
                clusters.push(Cluster {
                    members: vec![i],
                    way: (e.source, e.target),
                    date: e.date,
                    published: e.published.into_iter().collect(),
                    sentences: e.sentence.into_iter().collect(),
                });
            }
        }
    }
    clusters
        .into_iter()
        .map(|c| Merged {
            members: c.members,
            date: c.date,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u8, d: u8) -> Option<EventDate> {
        Some(EventDate {
            ymd: (y, m, d),
            precision: DatePrecision::Day,
            basis: DateBasis::Text,
            range: None,
        })
    }

    fn input<'a>(s: &'a str, t: &'a str, code: &'a str, date: Option<EventDate>) -> MergeInput<'a> {
        MergeInput {
            source: Some(s),
            target: Some(t),
            cameo: code,
            symmetric: code.starts_with("04"),
            date,
            published: None,
            sentence: None,
        }
    }

    #[test]
    fn symmetric_reports_of_one_meeting_merge() {
        let a = input("obama", "putin", "040", day(2015, 9, 28));
        let b = input("putin", "obama", "046", None);
        let m = merge(&[a, b]);
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].members, [0, 1]);
        assert_eq!(m[0].date, day(2015, 9, 28));
    }

    #[test]
    fn the_two_sides_of_one_sentence_stay_two_events() {
        // "Jordan and Britain agreed …": Jordan → Britain and Britain → Jordan
        let mut a = input("jordan", "britain", "030", None);
        a.symmetric = true;
        a.sentence = Some(("d1", 0));
        let mut b = input("britain", "jordan", "030", None);
        b.symmetric = true;
        b.sentence = Some(("d1", 0));
        // another document's report of the agreement joins its own side's
        let mut c = input("britain", "jordan", "030", None);
        c.symmetric = true;
        c.sentence = Some(("d2", 40));
        let m = merge(&[a.clone(), b.clone(), c.clone()]);
        assert_eq!(
            m.iter().map(|g| g.members.clone()).collect::<Vec<_>>(),
            [vec![0], vec![1, 2]]
        );
        // and so it does when it comes first: the two sides of d1 each find their own
        let m = merge(&[c, a, b]);
        assert_eq!(
            m.iter().map(|g| g.members.clone()).collect::<Vec<_>>(),
            [vec![0, 2], vec![1]]
        );
    }

    #[test]
    fn different_days_codes_or_directions_stay_apart() {
        let m = merge(&[
            input("russia", "syria", "195", day(2015, 9, 30)),
            input("russia", "syria", "195", day(2015, 10, 7)),
            input("russia", "syria", "111", day(2015, 9, 30)),
            input("syria", "russia", "195", day(2015, 9, 30)),
        ]);
        assert_eq!(m.len(), 4);
    }

    #[test]
    fn undated_reports_merge_only_when_published_close() {
        let mut a = input("us", "russia", "163", None);
        a.published = Date::new(2015, 9, 1);
        let mut b = a.clone();
        b.published = Date::new(2015, 9, 5);
        let mut c = a.clone();
        c.published = Date::new(2017, 1, 1);
        let m = merge(&[a, b, c]);
        assert_eq!(
            m.iter().map(|g| g.members.len()).collect::<Vec<_>>(),
            [2, 1]
        );
    }

    #[test]
    fn reports_with_an_unknown_party_merge_only_on_the_same_date() {
        let mut a = input("-", "us-military", "190", None);
        a.source = None;
        a.published = Date::new(2015, 9, 1);
        // undated, published the same week: two attacks on US troops by unknown hands
        let b = a.clone();
        let mut c = a.clone();
        c.date = day(2015, 8, 31);
        let mut d = a.clone();
        d.date = day(2015, 8, 31);
        let m = merge(&[a, b, c, d]);
        assert_eq!(
            m.iter().map(|g| g.members.len()).collect::<Vec<_>>(),
            [1, 1, 2]
        );
    }
}
