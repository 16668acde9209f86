//! External sorting: records of a fixed size, sorted in runs that fit in memory, the
//! runs kept in a [`Spill`] and merged back in order, so that sorting a corpus's worth of
//! records holds one run and a small buffer per run.
//!
//! ```text
//! push, push, … ─▶ runs of RUN_BYTES, each sorted, in a spill ─▶ sorted(): k-way merge
//! ```
//!
//! A record's [`Ord`] is the order: records that must keep their arrival order among
//! equals carry a sequence number as their last field.

use crate::spill::Spill;
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::io;

/// A record of [`Fixed::SIZE`] bytes.
pub(crate) trait Fixed: Ord + Sized {
    /// Its size in bytes.
    const SIZE: usize;
    /// Append its bytes (exactly [`Fixed::SIZE`]) to `out`.
    fn put(&self, out: &mut Vec<u8>);
    /// The record of `bytes` ([`Fixed::SIZE`] of them, as [`Fixed::put`] wrote).
    fn get(bytes: &[u8]) -> io::Result<Self>;
}

/// Bytes of records sorted in memory at a time.
const RUN_BYTES: usize = 4 << 20;
/// Bytes read from a run at a time while merging.
const READ_BYTES: usize = 64 << 10;

/// Records pushed in any order and given back sorted ([`Sorter::sorted`]).
pub(crate) struct Sorter<T> {
    run: Vec<T>,
    run_len: usize,
    spill: Spill,
    /// The runs written: their first byte in the spill and their number of records.
    runs: Vec<(u64, u64)>,
    buf: Vec<u8>,
}

impl<T: Fixed> Sorter<T> {
    pub(crate) fn new() -> Self {
        Self::with_run((RUN_BYTES / T::SIZE.max(1)).max(1))
    }

    /// A sorter that sorts `run_len` records at a time in memory.
    pub(crate) fn with_run(run_len: usize) -> Self {
        Self {
            run: Vec::new(),
            run_len: run_len.max(1),
            spill: Spill::new(),
            runs: Vec::new(),
            buf: Vec::new(),
        }
    }

    pub(crate) fn push(&mut self, t: T) -> io::Result<()> {
        self.run.push(t);
        if self.run.len() >= self.run_len {
            self.write_run()?;
        }
        Ok(())
    }

    fn write_run(&mut self) -> io::Result<()> {
        if self.run.is_empty() {
            return Ok(());
        }
        self.run.sort_unstable();
        let at = self.spill.len();
        for chunk in self.run.chunks(READ_BYTES / T::SIZE.max(1) + 1) {
            self.buf.clear();
            for t in chunk {
                t.put(&mut self.buf);
            }
            self.spill.append(&self.buf)?;
        }
        self.runs.push((at, self.run.len() as u64));
        self.run.clear();
        Ok(())
    }

    /// Everything pushed, in order.
    pub(crate) fn sorted(mut self) -> io::Result<Sorted<T>> {
        if self.runs.is_empty() {
            self.run.sort_unstable();
            return Ok(Sorted {
                memory: Some((self.run, 0)),
                spill: self.spill,
                runs: Vec::new(),
                heap: BinaryHeap::new(),
            });
        }
        self.write_run()?;
        let runs = self
            .runs
            .iter()
            .map(|&(at, n)| Run {
                start: at,
                len: n,
                next: 0,
                buf: Vec::new(),
                pos: 0,
            })
            .collect();
        let mut s = Sorted {
            memory: None,
            spill: self.spill,
            runs,
            heap: BinaryHeap::new(),
        };
        s.rewind()?;
        Ok(s)
    }
}

struct Run {
    /// Its first byte in the spill, and its number of records.
    start: u64,
    len: u64,
    /// Records read from the spill so far.
    next: u64,
    /// Records read and not yet given out (`pos` the first of them).
    buf: Vec<u8>,
    pos: usize,
}

/// Sorted records, read back one at a time ([`Sorted::next_record`]).
pub(crate) struct Sorted<T> {
    /// All of them, when they fitted in one run, and the next to give out.
    memory: Option<(Vec<T>, usize)>,
    spill: Spill,
    runs: Vec<Run>,
    /// The least record not yet given out of each run, with its run.
    heap: BinaryHeap<Reverse<(T, usize)>>,
}

impl<T: Fixed> Sorted<T> {
    /// The next record in order, `None` after the last.
    pub(crate) fn next_record(&mut self) -> io::Result<Option<T>>
    where
        T: Copy,
    {
        if let Some((all, next)) = &mut self.memory {
            let t = all.get(*next).copied();
            *next += 1;
            return Ok(t);
        }
        let Some(Reverse((t, run))) = self.heap.pop() else {
            return Ok(None);
        };
        if let Some(next) = self.read(run)? {
            self.heap.push(Reverse((next, run)));
        }
        Ok(Some(t))
    }

    /// Start again from the first record.
    pub(crate) fn rewind(&mut self) -> io::Result<()> {
        if let Some((_, next)) = &mut self.memory {
            *next = 0;
        }
        self.heap.clear();
        for r in &mut self.runs {
            r.next = 0;
            r.buf.clear();
            r.pos = 0;
        }
        for i in 0..self.runs.len() {
            if let Some(t) = self.read(i)? {
                self.heap.push(Reverse((t, i)));
            }
        }
        Ok(())
    }

    /// The next record of run `i`.
    fn read(&mut self, i: usize) -> io::Result<Option<T>> {
        let r = &mut self.runs[i];
        if r.pos >= r.buf.len() {
            let left = r.len - r.next;
            if left == 0 {
                return Ok(None);
            }
            let n = left.min((READ_BYTES / T::SIZE.max(1)).max(1) as u64);
            r.buf.resize(n as usize * T::SIZE, 0);
            self.spill
                .read_at(r.start + r.next * T::SIZE as u64, &mut r.buf)?;
            r.next += n;
            r.pos = 0;
        }
        let t = T::get(&r.buf[r.pos..r.pos + T::SIZE])?;
        r.pos += T::SIZE;
        Ok(Some(t))
    }
}

/// Little-endian writing and reading of a record's fields.
pub(crate) mod bytes {
    use std::io;

    pub(crate) fn put_u32(out: &mut Vec<u8>, x: u32) {
        out.extend_from_slice(&x.to_le_bytes());
    }

    pub(crate) fn put_u64(out: &mut Vec<u8>, x: u64) {
        out.extend_from_slice(&x.to_le_bytes());
    }

    /// Reads fields in the order they were put.
    pub(crate) struct Reader<'a>(pub(crate) &'a [u8]);

    impl Reader<'_> {
        fn take<const N: usize>(&mut self) -> io::Result<[u8; N]> {
            let (head, rest) = self
                .0
                .split_first_chunk::<N>()
                .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "a short record"))?;
            self.0 = rest;
            Ok(*head)
        }
        pub(crate) fn u8(&mut self) -> io::Result<u8> {
            Ok(self.take::<1>()?[0])
        }
        pub(crate) fn u32(&mut self) -> io::Result<u32> {
            Ok(u32::from_le_bytes(self.take()?))
        }
        pub(crate) fn u64(&mut self) -> io::Result<u64> {
            Ok(u64::from_le_bytes(self.take()?))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::bytes::{put_u32, put_u64, Reader};
    use super::*;

    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
    struct Rec {
        key: u32,
        seq: u64,
    }

    impl Fixed for Rec {
        const SIZE: usize = 12;
        fn put(&self, out: &mut Vec<u8>) {
            put_u32(out, self.key);
            put_u64(out, self.seq);
        }
        fn get(b: &[u8]) -> io::Result<Self> {
            let mut r = Reader(b);
            Ok(Rec {
                key: r.u32()?,
                seq: r.u64()?,
            })
        }
    }

    fn records(n: u64) -> Vec<Rec> {
        // a scrambled order with many equal keys
        (0..n)
            .map(|seq| Rec {
                key: (seq.wrapping_mul(2_654_435_761) % 97) as u32,
                seq,
            })
            .collect()
    }

    fn sort_with(run: usize, input: &[Rec]) -> Vec<Rec> {
        let mut s = Sorter::with_run(run);
        for &r in input {
            s.push(r).unwrap();
        }
        let mut sorted = s.sorted().unwrap();
        let mut out = Vec::new();
        while let Some(r) = sorted.next_record().unwrap() {
            out.push(r);
        }
        // and again, from the start
        sorted.rewind().unwrap();
        let mut again = Vec::new();
        while let Some(r) = sorted.next_record().unwrap() {
            again.push(r);
        }
        assert_eq!(again, out);
        out
    }

    #[test]
    fn tiny_runs_sort_as_memory_does() {
        let input = records(10_000);
        let mut want = input.clone();
        want.sort();
        for run in [1, 2, 7, 100, 9_999, 10_000, 1 << 20] {
            assert_eq!(sort_with(run, &input), want, "runs of {run}");
        }
        // equal keys keep their arrival order through the sequence number
        let got = sort_with(3, &input);
        assert!(got
            .windows(2)
            .all(|w| w[0].key < w[1].key || w[0].seq < w[1].seq));
    }

    #[test]
    fn runs_past_the_spills_memory_part_read_back() {
        // more than the spill keeps in memory: the runs go to a temporary file
        let input = records(800_000);
        let mut want = input.clone();
        want.sort();
        assert_eq!(sort_with(100_000, &input), want);
    }

    #[test]
    fn nothing_sorts_to_nothing() {
        assert!(sort_with(4, &[]).is_empty());
    }

    #[test]
    fn a_short_record_is_an_error_not_a_panic() {
        assert!(Rec::get(&[1, 2, 3]).is_err());
    }
}
