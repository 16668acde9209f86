//! Bounded line reading: a line longer than the limit is consumed but never stored whole.

use std::io::{self, BufRead};

/// What [`read_line_bounded`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Line {
    /// End of input before any byte.
    Eof,
    /// A line (with its `\n`, if any) is in the buffer.
    Fits,
    /// The line had this many bytes, more than the limit; the buffer is empty.
    TooLong(u64),
}

/// Read one line into `buf` (cleared first), storing at most `max` bytes plus the `\n`.
/// A longer line is read to its end and dropped, so memory stays bounded by `max`.
pub(crate) fn read_line_bounded<R: BufRead + ?Sized>(
    r: &mut R,
    buf: &mut Vec<u8>,
    max: usize,
) -> io::Result<Line> {
    buf.clear();
    let mut total: u64 = 0;
    let mut too_long = false;
    loop {
        let avail = match r.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if avail.is_empty() {
            return Ok(match (total, too_long) {
                (0, _) => Line::Eof,
                (n, true) => Line::TooLong(n),
                _ => Line::Fits,
            });
        }
        let (n, found) = match avail.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (avail.len(), false),
        };
        total += n as u64;
        if !too_long {
            let content = if found { n - 1 } else { n };
            if buf.len() + content > max {
                too_long = true;
                buf.clear();
                buf.shrink_to(max.min(1 << 16));
            } else {
                buf.extend_from_slice(&avail[..n]);
            }
        }
        r.consume(n);
        if found {
            return Ok(if too_long {
                Line::TooLong(total)
            } else {
                Line::Fits
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_lines_and_drops_long_ones() {
        let data = b"short\nthis one is far too long\nok\nlast";
        let mut r = io::BufReader::with_capacity(4, &data[..]);
        let mut buf = Vec::new();
        assert_eq!(read_line_bounded(&mut r, &mut buf, 8).unwrap(), Line::Fits);
        assert_eq!(buf, b"short\n");
        assert_eq!(
            read_line_bounded(&mut r, &mut buf, 8).unwrap(),
            Line::TooLong(25)
        );
        assert!(buf.is_empty());
        assert_eq!(read_line_bounded(&mut r, &mut buf, 8).unwrap(), Line::Fits);
        assert_eq!(buf, b"ok\n");
        assert_eq!(read_line_bounded(&mut r, &mut buf, 8).unwrap(), Line::Fits);
        assert_eq!(buf, b"last");
        assert_eq!(read_line_bounded(&mut r, &mut buf, 8).unwrap(), Line::Eof);
    }
}
