//! Event reports held for the cross-document merge without holding them in memory.
//!
//! ```text
//! add: report ─▶ key (merge bucket, dates, where the rest is) ─▶ external sort by bucket
//!            └─▶ the rest (JSON) and its sentence ─▶ spills
//! finish: buckets in turn ─▶ annals_events::merge ─▶ members sorted by their event's first
//!         report ─▶ each event's reports read back ─▶ its record
//! ```
//!
//! Reports merge only within a bucket (source, target ordered for symmetric actions,
//! root code; see [`annals_events::merge`]), so merging the buckets one at a time, each
//! in report order, groups the reports as merging all of them at once does; a second
//! external sort puts the merged events in order of their first report, their numbering.
//! Memory: the largest bucket, a byte per document, and the anchored reports of documents
//! with no date of their own.

use crate::record::{record_of, Anchored, EventReport, Name, Names};
use crate::sort::bytes::{put_u32, put_u64, Reader};
use crate::sort::{Fixed, Sorted, Sorter};
use crate::spill::Spill;
use annals_events::{merge, MergeInput};
use annals_model::output::EventRecord;
use annals_model::{DateBasis, DatePrecision, EventDate, TextRange};
use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};
use std::io;

/// Where bytes are in a spill: start and length.
type At = (u64, u32);

/// A report as the merge reads it.
#[derive(Debug, Clone, Copy)]
struct Keyed {
    /// Source + 1 (0: none), target + 1, root code: the merge bucket.
    bucket: [Name; 3],
    /// The report's number, in document order.
    index: u64,
    /// Its document's number.
    doc: u32,
    narrative: bool,
    pending: bool,
    /// Whether source and target can swap, and whether the bucket holds them swapped
    /// from the way the report told them.
    symmetric: bool,
    swapped: bool,
    /// The sentence's offset in its document ([`NO_START`]: not known).
    start: u32,
    date: Option<EventDate>,
    published: Option<annals_time::Date>,
    report: At,
    sentence: At,
}

/// [`Keyed::start`] of a report whose sentence offset is not known.
const NO_START: u32 = u32::MAX;

impl PartialEq for Keyed {
    fn eq(&self, o: &Self) -> bool {
        self.cmp(o) == Ordering::Equal
    }
}
impl Eq for Keyed {}
impl PartialOrd for Keyed {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Keyed {
    fn cmp(&self, o: &Self) -> Ordering {
        (self.bucket, self.index).cmp(&(o.bucket, o.index))
    }
}

/// A report as the records are made from it: its event's first report, the event's date.
#[derive(Debug, Clone, Copy)]
struct Member {
    first: u64,
    index: u64,
    date: Option<EventDate>,
    report: At,
    sentence: At,
}

impl PartialEq for Member {
    fn eq(&self, o: &Self) -> bool {
        self.cmp(o) == Ordering::Equal
    }
}
impl Eq for Member {}
impl PartialOrd for Member {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Member {
    fn cmp(&self, o: &Self) -> Ordering {
        (self.first, self.index).cmp(&(o.first, o.index))
    }
}

const DATE: usize = 18;

fn put_date(out: &mut Vec<u8>, d: Option<EventDate>) {
    let Some(d) = d else {
        out.extend_from_slice(&[0; DATE]);
        return;
    };
    out.push(1);
    put_u32(out, d.ymd.0 as u32);
    out.push(d.ymd.1);
    out.push(d.ymd.2);
    out.push(match d.precision {
        DatePrecision::Day => 0,
        DatePrecision::Week => 1,
        DatePrecision::Month => 2,
        DatePrecision::Year => 3,
    });
    out.push(match d.basis {
        DateBasis::Text => 0,
        DateBasis::Context => 1,
        DateBasis::CrossDocument => 2,
    });
    let r = d.range;
    out.push(r.is_some() as u8);
    let r = r.unwrap_or_default();
    put_u32(out, r.start);
    put_u32(out, r.end);
}

fn get_date(r: &mut Reader) -> io::Result<Option<EventDate>> {
    let bad = || io::Error::new(io::ErrorKind::InvalidData, "a spilled date");
    let some = r.u8()? == 1;
    let y = r.u32()? as i32;
    let (m, d) = (r.u8()?, r.u8()?);
    let precision = match r.u8()? {
        0 => DatePrecision::Day,
        1 => DatePrecision::Week,
        2 => DatePrecision::Month,
        3 => DatePrecision::Year,
        _ if !some => DatePrecision::Day,
        _ => return Err(bad()),
    };
    let basis = match r.u8()? {
        0 => DateBasis::Text,
        1 => DateBasis::Context,
        2 => DateBasis::CrossDocument,
        _ => return Err(bad()),
    };
    let ranged = r.u8()? == 1;
    let range = TextRange {
        start: r.u32()?,
        end: r.u32()?,
    };
    Ok(some.then_some(EventDate {
        ymd: (y, m, d),
        precision,
        basis,
        range: ranged.then_some(range),
    }))
}

fn put_at(out: &mut Vec<u8>, (at, len): At) {
    put_u64(out, at);
    put_u32(out, len);
}

fn get_at(r: &mut Reader) -> io::Result<At> {
    Ok((r.u64()?, r.u32()?))
}

impl Fixed for Keyed {
    const SIZE: usize = 12 + 8 + 4 + 1 + 4 + DATE + 7 + 12 + 12;
    fn put(&self, out: &mut Vec<u8>) {
        for n in self.bucket {
            put_u32(out, n);
        }
        put_u64(out, self.index);
        put_u32(out, self.doc);
        out.push(
            self.narrative as u8
                | (self.pending as u8) << 1
                | (self.symmetric as u8) << 2
                | (self.swapped as u8) << 3,
        );
        put_u32(out, self.start);
        put_date(out, self.date);
        match self.published {
            Some(p) => {
                out.push(1);
                put_u32(out, p.year() as u32);
                out.push(p.month());
                out.push(p.day());
            }
            None => out.extend_from_slice(&[0; 7]),
        }
        put_at(out, self.report);
        put_at(out, self.sentence);
    }
    fn get(b: &[u8]) -> io::Result<Self> {
        let mut r = Reader(b);
        let bucket = [r.u32()?, r.u32()?, r.u32()?];
        let index = r.u64()?;
        let doc = r.u32()?;
        let flags = r.u8()?;
        let start = r.u32()?;
        let date = get_date(&mut r)?;
        let some = r.u8()? == 1;
        let (y, m, d) = (r.u32()? as i32, r.u8()?, r.u8()?);
        let published = match some {
            true => Some(annals_time::Date::new(y, m, d).ok_or_else(|| {
                io::Error::new(io::ErrorKind::InvalidData, "a spilled publication date")
            })?),
            false => None,
        };
        Ok(Keyed {
            bucket,
            index,
            doc,
            narrative: flags & 1 != 0,
            pending: flags & 2 != 0,
            symmetric: flags & 4 != 0,
            swapped: flags & 8 != 0,
            start,
            date,
            published,
            report: get_at(&mut r)?,
            sentence: get_at(&mut r)?,
        })
    }
}

impl Fixed for Member {
    const SIZE: usize = 8 + 8 + DATE + 12 + 12;
    fn put(&self, out: &mut Vec<u8>) {
        put_u64(out, self.first);
        put_u64(out, self.index);
        put_date(out, self.date);
        put_at(out, self.report);
        put_at(out, self.sentence);
    }
    fn get(b: &[u8]) -> io::Result<Self> {
        let mut r = Reader(b);
        Ok(Member {
            first: r.u64()?,
            index: r.u64()?,
            date: get_date(&mut r)?,
            report: get_at(&mut r)?,
            sentence: get_at(&mut r)?,
        })
    }
}

/// Event reports held for the merge: keys in an external sort, the rest in spills.
pub(crate) struct HeldReports {
    names: Names,
    keys: Sorter<Keyed>,
    run: Option<usize>,
    count: u64,
    reports: Spill,
    sentences: Spill,
    /// The last report's document id, number, sentence start and where its sentence is.
    last: Option<(String, u32, Option<u32>, At)>,
    /// Per document number: whether it has a date of its own (a publication date or a
    /// date read from its text).
    dated: Vec<bool>,
    buf: Vec<u8>,
}

impl Default for HeldReports {
    fn default() -> Self {
        Self::with_run(None)
    }
}

impl HeldReports {
    /// Reports held with external sorts of `run` records at a time (`None`: a few
    /// megabytes' worth).
    pub(crate) fn with_run(run: Option<usize>) -> Self {
        Self {
            names: Names::default(),
            keys: sorter(run),
            run,
            count: 0,
            reports: Spill::new(),
            sentences: Spill::new(),
            last: None,
            dated: Vec::new(),
            buf: Vec::new(),
        }
    }

    /// Reports held.
    pub(crate) fn len(&self) -> u64 {
        self.count
    }

    /// A report; reports come in document order, a document's together.
    pub(crate) fn add(&mut self, mut r: EventReport) -> io::Result<()> {
        let sentence = std::mem::take(&mut r.evidence.sentence);
        let start = r.evidence.start;
        let same_doc = match &self.last {
            Some((id, n, s, at)) if *id == r.evidence.doc => {
                Some((*n, (*s == start).then_some(*at)))
            }
            _ => None,
        };
        let (doc, sentence_at) = match same_doc {
            // the reports of one sentence come together: its text is kept once
            Some((n, Some(at))) => (n, at),
            Some((n, None)) => (n, self.append_sentence(&sentence)?),
            None => {
                self.dated.push(false);
                let n = u32::try_from(self.dated.len() - 1).map_err(io::Error::other)?;
                (n, self.append_sentence(&sentence)?)
            }
        };
        self.last = Some((r.evidence.doc.clone(), doc, start, sentence_at));
        if r.published.is_some() || r.date.is_some_and(|d| d.basis == DateBasis::Text) {
            self.dated[doc as usize] = true;
        }
        let swapped = r.symmetric && r.target.is_some() && r.source > r.target;
        let (a, b) = if swapped {
            (&r.target, &r.source)
        } else {
            (&r.source, &r.target)
        };
        let root = r.cameo.get(..2).unwrap_or(&r.cameo);
        let bucket = [
            a.as_deref().map_or(0, |s| self.names.intern(s) + 1),
            b.as_deref().map_or(0, |s| self.names.intern(s) + 1),
            self.names.intern(root),
        ];
        let (date, published) = (r.date, r.published);
        let (narrative, pending) = (r.narrative, r.pending.is_some());
        self.buf.clear();
        serde_json::to_writer(&mut self.buf, &r)?;
        let len = u32::try_from(self.buf.len()).map_err(io::Error::other)?;
        let report = (self.reports.append(&self.buf)?, len);
        self.keys.push(Keyed {
            bucket,
            index: self.count,
            doc,
            narrative,
            pending,
            symmetric: r.symmetric,
            swapped,
            start: start.unwrap_or(NO_START),
            date,
            published,
            report,
            sentence: sentence_at,
        })?;
        self.count += 1;
        Ok(())
    }

    fn append_sentence(&mut self, s: &str) -> io::Result<At> {
        let len = u32::try_from(s.len()).map_err(io::Error::other)?;
        Ok((self.sentences.append(s.as_bytes())?, len))
    }

    /// The whole report whose rest is at `report` and sentence at `sentence`.
    fn report(&mut self, report: At, sentence: At) -> io::Result<EventReport> {
        self.buf.resize(report.1 as usize, 0);
        self.reports.read_at(report.0, &mut self.buf)?;
        let mut r: EventReport = serde_json::from_slice(&self.buf)?;
        let mut text = vec![0; sentence.1 as usize];
        self.sentences.read_at(sentence.0, &mut text)?;
        r.evidence.sentence =
            String::from_utf8(text).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
        Ok(r)
    }

    /// The merged events, one at a time to `emit`, in order of their first report, as
    /// [`crate::record::each_event_record`] makes them; `self` is emptied.
    pub(crate) fn finish(
        &mut self,
        mut emit: impl FnMut(EventRecord) -> io::Result<()>,
    ) -> io::Result<()> {
        let mut held = std::mem::take(self);
        let keys = std::mem::replace(&mut held.keys, sorter(held.run));
        let mut keys = keys.sorted()?;
        let none = HashMap::new();
        let mut votes = Votes::default();
        let first = held.merge_pass(&mut keys, &none, Some(&mut votes))?;
        let anchored = held.anchor(&mut keys, votes)?;
        let members = if anchored.is_empty() {
            first
        } else {
            drop(first);
            keys.rewind()?;
            held.merge_pass(&mut keys, &anchored, None)?
        };
        drop(keys);
        let mut members = members.sorted()?;
        let mut event: Vec<EventReport> = Vec::new();
        let mut current: Option<(u64, Option<EventDate>)> = None;
        let mut i = 0;
        loop {
            let m = members.next_record()?;
            if let Some((first, date)) = current {
                if m.is_none_or(|m| m.first != first) {
                    if let Some(e) = record_of(i, date, &mut event) {
                        emit(e)?;
                    }
                    event.clear();
                    i += 1;
                }
            }
            let Some(m) = m else { break };
            current = Some((m.first, m.date));
            let mut r = held.report(m.report, m.sentence)?;
            if let Some(a) = anchored.get(&m.index) {
                r.date = Some(a.date);
                if let Some(t) = &a.text {
                    r.date_text = Some(t.clone());
                }
            }
            event.push(r);
        }
        Ok(())
    }

    /// Merge bucket after bucket (`keys` sorted by bucket), their dates as anchored;
    /// returns the members of every merged event, and counts `votes` when given.
    fn merge_pass(
        &self,
        keys: &mut Sorted<Keyed>,
        anchored: &HashMap<u64, Anchored>,
        mut votes: Option<&mut Votes>,
    ) -> io::Result<Sorter<Member>> {
        let mut out = sorter(self.run);
        let mut bucket: Vec<Keyed> = Vec::new();
        loop {
            let k = keys.next_record()?;
            if bucket
                .first()
                .is_some_and(|b| k.is_none_or(|k| k.bucket != b.bucket))
            {
                let name = |n: Name| (n > 0).then(|| self.names.get(n - 1));
                // a sentence is known by its document's number and its offset
                let docs: Vec<String> = bucket.iter().map(|k| k.doc.to_string()).collect();
                let inputs: Vec<MergeInput> = bucket
                    .iter()
                    .zip(&docs)
                    .map(|(k, doc)| {
                        let (a, b) = (name(k.bucket[0]), name(k.bucket[1]));
                        MergeInput {
                            // the way the report told them
                            source: if k.swapped { b } else { a },
                            target: if k.swapped { a } else { b },
                            cameo: self.names.get(k.bucket[2]),
                            symmetric: k.symmetric,
                            date: anchored.get(&k.index).map(|a| a.date).or(k.date),
                            published: k.published,
                            sentence: (k.start != NO_START).then_some((doc.as_str(), k.start)),
                        }
                    })
                    .collect();
                for m in merge(&inputs) {
                    let Some(&x) = m.members.first() else {
                        continue;
                    };
                    let first = bucket[x].index;
                    if let Some(v) = votes.as_deref_mut() {
                        v.count(&m.date, m.members.iter().map(|&x| &bucket[x]), &self.dated);
                    }
                    for &x in &m.members {
                        let k = &bucket[x];
                        out.push(Member {
                            first,
                            index: k.index,
                            date: m.date,
                            report: k.report,
                            sentence: k.sentence,
                        })?;
                    }
                }
                bucket.clear();
            }
            match k {
                Some(k) => bucket.push(k),
                None => break,
            }
        }
        Ok(out)
    }

    /// The dates the undated reports of documents with no date of their own take from
    /// the events they share with dated documents (see `record::anchor_undated`).
    fn anchor(
        &mut self,
        keys: &mut Sorted<Keyed>,
        votes: Votes,
    ) -> io::Result<HashMap<u64, Anchored>> {
        let anchors = votes.anchors();
        let mut out = HashMap::new();
        if anchors.is_empty() {
            return Ok(out);
        }
        keys.rewind()?;
        while let Some(k) = keys.next_record()? {
            let Some(&ymd) = anchors.get(&k.doc) else {
                continue;
            };
            if k.date.is_some() {
                continue;
            }
            if k.pending {
                let r = self.report(k.report, k.sentence)?;
                let Some((text, p)) = r.pending else {
                    continue;
                };
                let anchor = annals_time::Date::new(ymd.0, ymd.1, ymd.2);
                if let Some(date) = anchor.and_then(|a| annals_events::resolve_pending(&text, p, a))
                {
                    out.insert(
                        k.index,
                        Anchored {
                            date,
                            text: Some(text),
                        },
                    );
                }
            } else if k.narrative {
                let date = EventDate {
                    ymd,
                    precision: DatePrecision::Day,
                    basis: DateBasis::CrossDocument,
                    range: None,
                };
                out.insert(k.index, Anchored { date, text: None });
            }
        }
        Ok(out)
    }
}

fn sorter<T: Fixed>(run: Option<usize>) -> Sorter<T> {
    match run {
        Some(n) => Sorter::with_run(n),
        None => Sorter::new(),
    }
}

/// Per document with no date of its own, the days of the dated merged events its
/// undated reports belong to, counted.
#[derive(Default)]
struct Votes(HashMap<u32, BTreeMap<(i32, u8, u8), usize>>);

impl Votes {
    fn count<'a>(
        &mut self,
        date: &Option<EventDate>,
        members: impl Iterator<Item = &'a Keyed>,
        dated: &[bool],
    ) {
        let Some(d) = date
            .filter(|d| d.precision == DatePrecision::Day && d.basis != DateBasis::CrossDocument)
        else {
            return;
        };
        for k in members {
            if !dated.get(k.doc as usize).copied().unwrap_or(true) && k.date.is_none() {
                *self.0.entry(k.doc).or_default().entry(d.ymd).or_default() += 1;
            }
        }
    }

    /// The day each document takes: the one most of its votes went to (the earliest of
    /// equals).
    fn anchors(self) -> HashMap<u32, (i32, u8, u8)> {
        self.0
            .into_iter()
            .filter_map(|(doc, v)| {
                v.into_iter()
                    .max_by_key(|&(ymd, n)| (n, std::cmp::Reverse(ymd)))
                    .map(|(ymd, _)| (doc, ymd))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_members_read_back_as_written() {
        let k = Keyed {
            bucket: [3, 0, 7],
            index: 1 << 40,
            doc: 9,
            narrative: true,
            pending: false,
            symmetric: true,
            swapped: true,
            start: 77,
            date: Some(EventDate {
                ymd: (-44, 3, 15),
                precision: DatePrecision::Week,
                basis: DateBasis::Context,
                range: Some(TextRange { start: 5, end: 9 }),
            }),
            published: annals_time::Date::new(2015, 9, 30),
            report: (u64::MAX, 3),
            sentence: (12, u32::MAX),
        };
        let mut b = Vec::new();
        k.put(&mut b);
        assert_eq!(b.len(), Keyed::SIZE);
        let back = Keyed::get(&b).unwrap();
        assert_eq!(
            (
                back.bucket,
                back.index,
                back.doc,
                back.narrative,
                back.pending
            ),
            (k.bucket, k.index, k.doc, k.narrative, k.pending)
        );
        assert_eq!(
            (back.symmetric, back.swapped, back.start),
            (k.symmetric, k.swapped, k.start)
        );
        assert_eq!((back.date, back.published), (k.date, k.published));
        assert_eq!((back.report, back.sentence), (k.report, k.sentence));
        let m = Member {
            first: 4,
            index: 5,
            date: None,
            report: (1, 2),
            sentence: (3, 4),
        };
        b.clear();
        m.put(&mut b);
        assert_eq!(b.len(), Member::SIZE);
        let back = Member::get(&b).unwrap();
        assert_eq!(
            (
                back.first,
                back.index,
                back.date,
                back.report,
                back.sentence
            ),
            (4, 5, None, (1, 2), (3, 4))
        );
    }
}
