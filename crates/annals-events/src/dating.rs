//! When an event happened: the time expression attached to its clause, read in the
//! clause's tense against the publication date; the passage's date for narrative clauses
//! without one of their own; and time expressions kept pending when the page has no date.

use crate::view::{in_clause, is_clause_rel, Sent};
use annals_model::{
    ClauseTense, DateBasis, DatePrecision, Event, EventDate, Modality, PendingTime, TextRange,
};
use annals_time::{Date, Precision, Tense};

pub(crate) fn tense_of(s: &Sent, p: usize, modality: Modality) -> Tense {
    if matches!(modality, Modality::Planned) {
        return Tense::Future;
    }
    let mut t = match s.xpos(p) {
        "VBD" | "VBN" => Tense::Past,
        _ => Tense::Present,
    };
    // a bare participle clause shares the time of the verb it hangs on: "he said,
    // proposing a resolution"
    let bare = !s.kids[p]
        .iter()
        .any(|&k| matches!(s.rel(k), "aux" | "aux:pass" | "cop" | "mark"));
    if s.xpos(p) == "VBG" && bare && matches!(s.rel(p), "advcl" | "ccomp" | "parataxis" | "conj") {
        if let Some(h) = s.head[p].filter(|&h| s.upos(h) == "VERB") {
            return tense_of(s, h, Modality::Asserted);
        }
    }
    for &k in &s.kids[p] {
        if matches!(s.rel(k), "aux" | "aux:pass" | "cop") {
            match s.xpos(k) {
                "VBD" => t = Tense::Past,
                "MD" if matches!(s.word(k), "will" | "'ll" | "shall") => t = Tense::Future,
                _ => {}
            }
        }
    }
    t
}

/// Is this predicate in a perfect tense ("had annexed", "have had talks")? Such a clause
/// tells of something before the passage's time, so it takes no date from context.
pub(crate) fn past_perfect(s: &Sent, p: usize) -> bool {
    s.kids[p]
        .iter()
        .any(|&k| s.rel(k) == "aux" && matches!(s.word(k), "had" | "have" | "has" | "'ve" | "'d"))
}

/// The date of the event headed by `p`: the time expression inside its clause.
pub(crate) fn date_of(
    s: &Sent,
    p: usize,
    modality: Modality,
    times: &[annals_time::TimeExpr],
    sent_start: u32,
    published: Option<Date>,
) -> (Option<EventDate>, Option<PendingTime>) {
    let tense = tense_of(s, p, modality);
    let mut best: Option<(usize, EventDate)> = None;
    let mut pending: Option<(usize, PendingTime)> = None;
    for te in times {
        let start = sent_start + te.range.start as u32;
        let end = sent_start + te.range.end as u32;
        // the expression's head token: the one whose head lies outside it
        let toks: Vec<usize> = (0..s.len())
            .filter(|&i| s.range(i).start >= start && s.range(i).end <= end)
            .collect();
        let Some(&h) = toks
            .iter()
            .find(|&&i| s.head[i].is_none_or(|x| !toks.contains(&x)))
        else {
            continue;
        };
        // the expression belongs to the nearest predicate above it
        let Some(attached) = clause_of(s, h) else {
            continue;
        };
        if !(attached == p || in_clause(s, p, attached) && nearest_pred(s, p) == attached) {
            continue;
        }
        let dist = h.abs_diff(p);
        let Some(r) = te.resolve(published, tense) else {
            // resolvable later against a date inferred for the document
            if published.is_none() && pending.as_ref().is_none_or(|b| dist < b.0) {
                let tense = match tense {
                    Tense::Past => ClauseTense::Past,
                    Tense::Present => ClauseTense::Present,
                    Tense::Future => ClauseTense::Future,
                };
                let range = TextRange::new(start as usize, end as usize);
                pending = Some((dist, PendingTime { range, tense }));
            }
            continue;
        };
        let range = TextRange::new(start as usize, end as usize);
        let date = event_date(&r, DateBasis::Text, range);
        if best.as_ref().is_none_or(|b| dist < b.0) {
            best = Some((dist, date));
        }
    }
    (best.map(|b| b.1), pending.map(|b| b.1))
}

/// The event date a resolved time expression gives.
fn event_date(r: &annals_time::Resolved, basis: DateBasis, range: TextRange) -> EventDate {
    EventDate {
        ymd: (r.start.year(), r.start.month(), r.start.day()),
        precision: match r.precision {
            Precision::Day => DatePrecision::Day,
            Precision::Week => DatePrecision::Week,
            Precision::Month => DatePrecision::Month,
            Precision::Year => DatePrecision::Year,
        },
        basis,
        range: Some(range),
    }
}

/// Resolve an event's pending time expression (its text in the body) against a date
/// inferred for its document from the corpus: "on September 15" in a page without a
/// year takes the year of `reference`. The basis is `cross-document`.
pub fn resolve_pending(text: &str, pending: PendingTime, reference: Date) -> Option<EventDate> {
    let tense = match pending.tense {
        ClauseTense::Past => Tense::Past,
        ClauseTense::Present => Tense::Present,
        ClauseTense::Future => Tense::Future,
    };
    let r = annals_time::resolve(text, Some(reference), tense)?;
    Some(event_date(&r, DateBasis::CrossDocument, pending.range))
}

/// The predicate (verb or clause head) that a token's phrase depends on.
pub(crate) fn clause_of(s: &Sent, t: usize) -> Option<usize> {
    let mut x = s.head[t]?;
    for _ in 0..s.len() {
        if matches!(s.upos(x), "VERB" | "AUX") || s.head[x].is_none() || is_clause_rel(s.rel(x)) {
            return Some(x);
        }
        x = s.head[x]?;
    }
    None
}

pub(crate) fn nearest_pred(s: &Sent, p: usize) -> usize {
    if matches!(s.upos(p), "VERB" | "AUX") {
        return p;
    }
    clause_of(s, p).unwrap_or(p)
}

/// Events with no date of their own take the document's anchor date when they narrate in
/// the simple past (not a past perfect, not an intention): the first day an event of the
/// document is dated to. News names the day of its main story once, early, and goes on
/// telling that day's events without repeating it; a later, different day is named where
/// it applies ("Moscow said Tuesday") and does not move the anchor.
pub(crate) fn propagate_dates(events: &mut [(Event, bool, bool)]) {
    let anchor = events.iter().filter(|x| x.2).find_map(|(e, _, _)| {
        e.date
            .filter(|d| d.basis == DateBasis::Text && d.precision == DatePrecision::Day)
    });
    let Some(d) = anchor else { return };
    for (e, narrative, _) in events.iter_mut() {
        if e.date.is_none() && *narrative && e.pending_time.is_none() {
            e.date = Some(EventDate {
                basis: DateBasis::Context,
                range: None,
                ..d
            });
            e.confidence *= 0.8;
        }
    }
}
