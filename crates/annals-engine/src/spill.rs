//! Spilling: what a run gathers for its end but does not need before, kept in a temporary
//! file instead of memory, so that a sink's memory does not grow with the corpus.
//!
//! A [`Spill`] holds its first few megabytes in memory and moves to an unnamed temporary
//! file (in `TMPDIR`) beyond that, so small runs never touch the disk. [`Chains`] keeps,
//! in one spill, a chain of byte chunks per key (an actor's mentions, document after
//! document) and writes each chain back in the order its chunks came.

use std::io::{self, Read, Seek, SeekFrom, Write};
use tempfile::SpooledTempFile;

/// Bytes kept in memory before a spill moves to a temporary file.
const IN_MEMORY: usize = 4 << 20;

/// An append-only temporary store of bytes.
pub(crate) struct Spill {
    file: SpooledTempFile,
    len: u64,
}

impl Spill {
    pub(crate) fn new() -> Self {
        Self {
            file: tempfile::spooled_tempfile(IN_MEMORY),
            len: 0,
        }
    }

    /// Append `bytes`; returns where they start.
    pub(crate) fn append(&mut self, bytes: &[u8]) -> io::Result<u64> {
        let at = self.len;
        self.file.write_all(bytes)?;
        self.len += bytes.len() as u64;
        Ok(at)
    }

    /// Bytes appended so far.
    pub(crate) fn len(&self) -> u64 {
        self.len
    }

    /// Copy everything appended into `out`; the spill is empty afterwards.
    pub(crate) fn drain_into(&mut self, out: &mut dyn Write) -> io::Result<()> {
        self.file.flush()?;
        self.file.seek(SeekFrom::Start(0))?;
        io::copy(&mut (&mut self.file).take(self.len), out)?;
        *self = Spill::new();
        Ok(())
    }

    /// Read `buf.len()` bytes at `at`.
    fn read_at(&mut self, at: u64, buf: &mut [u8]) -> io::Result<()> {
        self.file.seek(SeekFrom::Start(at))?;
        self.file.read_exact(buf)
    }
}

/// A chunk's header: where the key's previous chunk starts (+1; 0 for none), and the
/// chunk's length.
const HEADER: usize = 12;

/// One chain of byte chunks per key (keys are small numbers), in one [`Spill`].
pub(crate) struct Chains {
    spill: Spill,
    /// Per key: where its latest chunk starts, plus one (0: no chunk yet).
    last: Vec<u64>,
}

impl Chains {
    pub(crate) fn new() -> Self {
        Self {
            spill: Spill::new(),
            last: Vec::new(),
        }
    }

    /// Add a chunk to the chain of `key`.
    pub(crate) fn push(&mut self, key: usize, chunk: &[u8]) -> io::Result<()> {
        if self.last.len() <= key {
            self.last.resize(key + 1, 0);
        }
        let len = u32::try_from(chunk.len()).map_err(io::Error::other)?;
        let mut header = [0u8; HEADER];
        header[..8].copy_from_slice(&self.last[key].to_le_bytes());
        header[8..].copy_from_slice(&len.to_le_bytes());
        let at = self.spill.append(&header)?;
        self.spill.append(chunk)?;
        self.last[key] = at + 1;
        Ok(())
    }

    /// Write the chunks of `key` in the order they came, `sep` between two.
    pub(crate) fn write_chain(
        &mut self,
        key: usize,
        sep: &[u8],
        out: &mut dyn Write,
    ) -> io::Result<()> {
        let mut starts = Vec::new();
        let mut at = self.last.get(key).copied().unwrap_or(0);
        let mut header = [0u8; HEADER];
        while at != 0 {
            self.spill.read_at(at - 1, &mut header)?;
            let len = u32::from_le_bytes([header[8], header[9], header[10], header[11]]);
            starts.push((at - 1 + HEADER as u64, len as usize));
            at = u64::from_le_bytes(header[..8].try_into().map_err(io::Error::other)?);
        }
        let mut buf = Vec::new();
        for (i, &(start, len)) in starts.iter().rev().enumerate() {
            if i > 0 {
                out.write_all(sep)?;
            }
            buf.resize(len, 0);
            self.spill.read_at(start, &mut buf)?;
            out.write_all(&buf)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spill_gives_back_what_was_appended_past_its_memory_part() {
        let mut s = Spill::new();
        let chunk: Vec<u8> = (0..=255u8).cycle().take(1 << 20).collect();
        for _ in 0..6 {
            s.append(&chunk).unwrap();
        }
        assert_eq!(s.len(), 6 << 20);
        let mut out = Vec::new();
        s.drain_into(&mut out).unwrap();
        assert_eq!(out.len(), 6 << 20);
        assert!(out.chunks(1 << 20).all(|c| c == chunk.as_slice()));
        assert_eq!(s.len(), 0);
    }

    #[test]
    fn chains_come_back_per_key_in_order() {
        let mut c = Chains::new();
        for i in 0..1000usize {
            c.push(i % 3, format!("{i}").as_bytes()).unwrap();
        }
        c.push(7, b"alone").unwrap();
        let mut out = Vec::new();
        c.write_chain(1, b",", &mut out).unwrap();
        let want: Vec<String> = (0..1000)
            .filter(|i| i % 3 == 1)
            .map(|i| i.to_string())
            .collect();
        assert_eq!(String::from_utf8(out).unwrap(), want.join(","));
        let mut out = Vec::new();
        c.write_chain(7, b",", &mut out).unwrap();
        assert_eq!(out, b"alone");
        let mut out = Vec::new();
        c.write_chain(5, b",", &mut out).unwrap();
        c.write_chain(99, b",", &mut out).unwrap();
        assert!(out.is_empty(), "keys without chunks write nothing");
    }
}
