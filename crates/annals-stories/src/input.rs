//! What one document contributes to story clustering. It serialises (serde), so a store
//! can keep it and cluster its documents again later without their text.

/// A stable 64-bit hash of a word (FNV-1a over its lowercase bytes), so that the same
/// word has the same hash in every run and every batch.
pub fn hash_word(w: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in w.bytes() {
        h ^= b.to_ascii_lowercase() as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// A dyadic event a document reports: who did what to whom.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct InputEvent {
    /// Source actor id.
    pub source: String,
    /// Target actor id.
    pub target: String,
    /// CAMEO code.
    pub cameo: String,
    /// The event's own day (days since 1970-01-01), when the text dates it.
    pub day: Option<i32>,
}

/// A sentence that may go into a story's summary.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct InputSentence {
    /// Its index in the document.
    pub index: u32,
    /// Its text.
    pub text: String,
    /// Its bytes in the body.
    pub start: u32,
    /// End of its bytes in the body.
    pub end: u32,
    /// Hashes of its content words ([`hash_word`]).
    pub terms: Vec<u64>,
    /// How many events with a source and a target it reports.
    pub events: u32,
    /// True when it holds a quote or reported speech with a known speaker.
    pub quote: bool,
}

/// One document as story clustering sees it.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct StoryInput {
    /// Document id.
    pub id: String,
    /// Headline.
    pub title: Option<String>,
    /// Outlet.
    pub outlet: Option<String>,
    /// The document's day (days since 1970-01-01): its publication date, else the latest
    /// day its text dates an event to.
    pub day: Option<i32>,
    /// Hashes of its content words ([`hash_word`]) in body order.
    pub terms: Vec<u64>,
    /// Where each paragraph ends in `terms` (exclusive), in order; empty for one paragraph.
    pub paragraph_ends: Vec<u32>,
    /// Actor ids with their mention counts.
    pub actors: Vec<(String, u32)>,
    /// Events with both a source and a target.
    pub events: Vec<InputEvent>,
    /// Candidate sentences for the summary, in body order.
    pub sentences: Vec<InputSentence>,
}

impl StoryInput {
    /// [`hash_word`] of each word.
    pub fn hash_words<'a>(words: impl IntoIterator<Item = &'a str>) -> Vec<u64> {
        words
            .into_iter()
            .filter(|w| !w.is_empty())
            .map(hash_word)
            .collect()
    }

    /// The paragraphs as ranges of `terms`.
    pub fn paragraphs(&self) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
        let mut start = 0usize;
        let ends = self
            .paragraph_ends
            .iter()
            .map(|&e| e as usize)
            .chain(std::iter::once(self.terms.len()));
        ends.filter_map(move |e| {
            let e = e.min(self.terms.len());
            if e <= start {
                return None;
            }
            let r = start..e;
            start = e;
            Some(r)
        })
    }
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date (the first ten bytes of an ISO date or
/// date-time), or `None`.
pub fn day_of_iso(s: &str) -> Option<i32> {
    let s = s.get(..10)?;
    let mut it = s.split('-');
    let y: i32 = it.next()?.parse().ok()?;
    let m: u32 = it.next()?.parse().ok()?;
    let d: u32 = it.next()?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    Some(days_from_civil(y, m, d))
}

/// Days since 1970-01-01 (H. Hinnant's algorithm).
pub fn days_from_civil(y: i32, m: u32, d: u32) -> i32 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = (y - era * 400) as u32;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe as i32 - 719_468
}

/// `YYYY-MM-DD` of days since 1970-01-01.
pub fn iso_of_day(z: i32) -> String {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = (z - era * 146_097) as u32;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe as i32 + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_round_trip() {
        for s in ["1970-01-01", "2015-09-28", "2016-02-29", "1999-12-31"] {
            assert_eq!(iso_of_day(day_of_iso(s).unwrap()), s);
        }
        assert_eq!(day_of_iso("1970-01-02"), Some(1));
        assert_eq!(day_of_iso("2015-13-01"), None);
    }

    #[test]
    fn paragraphs_split_terms() {
        let d = StoryInput {
            terms: vec![1, 2, 3, 4, 5],
            paragraph_ends: vec![2, 2, 4],
            ..Default::default()
        };
        let p: Vec<_> = d.paragraphs().collect();
        assert_eq!(p, vec![0..2, 2..4, 4..5]);
        assert_eq!(hash_word("Russia"), hash_word("russia"));
    }
}
