//! Bytes → UTF-8: BOMs, declared charsets, detection, binary sniffing, NUL removal.
//!
//! The order of evidence, strongest first:
//!
//! 1. a byte-order mark (UTF-8, UTF-16 LE/BE);
//! 2. UTF-16 without a BOM, when NULs sit on every other byte (typical of Windows exports);
//! 3. strict UTF-8 validity: a page whose bytes are valid UTF-8 is read as UTF-8 even when it
//!    declares a legacy charset (mislabelled pages are far more common than legacy text that
//!    happens to be valid UTF-8);
//! 4. the declared charset (HTTP `Content-Type`, then `<meta charset>` for HTML);
//! 5. [`chardetng`]'s guess (Windows-1252 for Western text, which also covers Latin-1).
//!
//! Line endings are kept as they are (`\r\n` stays `\r\n`): raw offsets then match the
//! decoded text and the cleaner normalises line breaks itself.

use crate::SkipReason;
use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};

/// How many leading bytes of an HTML document are searched for `<meta charset>`.
const META_PRESCAN_BYTES: usize = 4096;

/// Known binary formats by their magic numbers.
const MAGIC: &[(&[u8], &str)] = &[
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"\x7fELF", "ELF executable"),
    (b"%PDF-", "PDF document"),
    (b"\x1f\x8b", "gzip data"),
    (b"BZh", "bzip2 data"),
    (b"\xfd7zXZ\x00", "xz data"),
    (b"\x28\xb5\x2f\xfd", "zstd data"),
    (b"7z\xbc\xaf\x27\x1c", "7-zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "OLE document"),
    (b"MZ", "Windows executable"),
    (b"\xca\xfe\xba\xbe", "Java class or Mach-O"),
    (b"\xcf\xfa\xed\xfe", "Mach-O executable"),
    (b"\x00asm", "WebAssembly module"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"OggS", "Ogg media"),
    (b"ID3", "MP3 audio"),
    (b"fLaC", "FLAC audio"),
    (b"wOFF", "WOFF font"),
    (b"wOF2", "WOFF2 font"),
];

/// The binary format whose magic number `bytes` starts with, if any.
pub(crate) fn magic(bytes: &[u8]) -> Option<&'static str> {
    // "MZ" and "BZh"/"ID3" are short: require a NUL or a non-text byte early on for those,
    // so a text file that starts with "MZ" or "ID3" is not mistaken for a binary.
    MAGIC.iter().find_map(|(m, name)| {
        if !bytes.starts_with(m) {
            return None;
        }
        if m.len() <= 3 && !bytes.iter().take(64).any(|&b| b == 0 || b > 0x7f) {
            return None;
        }
        Some(*name)
    })
}

/// Decoding hints from the container.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Hints<'a> {
    /// Charset declared outside the document (HTTP `Content-Type`).
    pub declared: Option<&'static Encoding>,
    /// Search the head for `<meta charset>`.
    pub html: bool,
    /// The top-level domain of the document's URL, which sharpens detection.
    pub tld: Option<&'a [u8]>,
}

/// Decode a whole document: the text, and the legacy charset used when it was neither
/// UTF-8 nor UTF-16. Fails with [`SkipReason::Binary`], [`SkipReason::Empty`] or
/// [`SkipReason::InvalidEncoding`] (which includes UTF-8 text corrupted by stray bytes).
pub(crate) fn decode(
    bytes: &[u8],
    hints: Hints<'_>,
) -> Result<(String, Option<&'static str>), SkipReason> {
    if bytes.is_empty() {
        return Err(SkipReason::Empty);
    }
    if let Some(kind) = magic(bytes) {
        return Err(SkipReason::Binary(kind.to_string()));
    }
    let mut legacy = None;
    let text = if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        decode_strict(enc, &bytes[bom_len..])?
    } else if let Some(enc) = utf16_without_bom(bytes) {
        decode_strict(enc, bytes)?
    } else if let Ok(s) = std::str::from_utf8(bytes) {
        s.to_owned()
    } else {
        corrupted_utf8(bytes)?;
        let (text, enc) = decode_legacy(bytes, hints)?;
        legacy = Some(enc);
        text
    };
    Ok((finish(text)?, legacy))
}

/// Text that is mostly well-formed UTF-8 beyond ASCII but holds malformed sequences too is
/// corrupted UTF-8, not a legacy charset: decoding it as Windows-1252 would turn every
/// accented letter into mojibake. Legacy text seldom forms a valid multi-byte sequence.
fn corrupted_utf8(bytes: &[u8]) -> Result<(), SkipReason> {
    let (mut multibyte, mut malformed, mut first_bad) = (0usize, 0usize, None);
    let mut at = 0;
    for chunk in bytes.utf8_chunks() {
        multibyte += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        at += chunk.valid().len();
        if !chunk.invalid().is_empty() {
            malformed += 1;
            first_bad.get_or_insert(at);
        }
        at += chunk.invalid().len();
    }
    if multibyte > 0 && multibyte >= malformed {
        return Err(SkipReason::InvalidEncoding(format!(
            "invalid UTF-8: {malformed} malformed byte sequence(s), the first at byte {}",
            first_bad.unwrap_or(0)
        )));
    }
    Ok(())
}

/// Decode with an encoding the evidence is sure of; malformed sequences are an error.
fn decode_strict(enc: &'static Encoding, bytes: &[u8]) -> Result<String, SkipReason> {
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    if had_errors {
        return Err(SkipReason::InvalidEncoding(format!(
            "malformed {}",
            enc.name()
        )));
    }
    Ok(text.into_owned())
}

/// Decode bytes that are not valid UTF-8: declared charset, then detection. Returns the
/// text and the charset's name.
fn decode_legacy(bytes: &[u8], hints: Hints<'_>) -> Result<(String, &'static str), SkipReason> {
    let usable = |e: &&'static Encoding| *e != UTF_8 && *e != UTF_16LE && *e != UTF_16BE;
    let declared = hints
        .declared
        .or_else(|| {
            if hints.html {
                meta_charset(bytes)
            } else {
                None
            }
        })
        .filter(usable);
    if let Some(enc) = declared {
        let (text, had_errors) = enc.decode_without_bom_handling(bytes);
        if !had_errors {
            return Ok((text.into_owned(), enc.name()));
        }
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let enc = detector.guess(hints.tld, chardetng::Utf8Detection::Deny);
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    if had_errors {
        return Err(SkipReason::InvalidEncoding(format!(
            "not UTF-8 and not decodable as the guessed {}",
            enc.name()
        )));
    }
    Ok((text.into_owned(), enc.name()))
}

/// UTF-16 without a BOM: at least 8 bytes, and NULs on nearly all of one parity of bytes
/// and almost none of the other (ASCII-range text in UTF-16).
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    if sample.len() < 8 {
        return None;
    }
    let half = sample.len() / 2;
    let even = sample.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd = sample
        .iter()
        .skip(1)
        .step_by(2)
        .filter(|&&b| b == 0)
        .count();
    if odd * 10 >= half * 9 && even * 20 <= half {
        Some(UTF_16LE)
    } else if even * 10 >= half * 9 && odd * 20 <= half {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Remove NULs, then reject text that is mostly control characters, and empty text.
///
/// Text counts as binary when more than 5% of its characters are NULs, C0/C1 controls other
/// than tab, line feed, form feed and carriage return, or U+FFFD replacement characters.
pub(crate) fn finish(mut text: String) -> Result<String, SkipReason> {
    let (mut chars, mut bad) = (0usize, 0usize);
    for c in text.chars() {
        chars += 1;
        if c == '\u{fffd}' || (c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\x0c')) {
            bad += 1;
        }
    }
    if bad > 0 && bad * 20 > chars {
        return Err(SkipReason::Binary(format!(
            "{bad} of {chars} characters are control characters"
        )));
    }
    if text.contains('\0') {
        text.retain(|c| c != '\0');
    }
    if text.trim().is_empty() {
        return Err(SkipReason::Empty);
    }
    Ok(text)
}

/// The charset named by a `<meta charset=…>` or `<meta http-equiv content="…; charset=…">`
/// in the first few kilobytes of an HTML document.
pub(crate) fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(META_PRESCAN_BYTES)];
    let lower: Vec<u8> = head.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = find(&lower[from..], b"<meta") {
        let start = from + i;
        let end = lower[start..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(lower.len(), |e| start + e);
        if let Some(enc) = charset_param(&lower[start..end]) {
            return Some(enc);
        }
        from = start + 5;
    }
    None
}

/// The encoding named by `charset=` in a header value or a tag.
pub(crate) fn charset_param(value: &[u8]) -> Option<&'static Encoding> {
    let lower = value.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = find(&lower[from..], b"charset") {
        let mut j = from + i + "charset".len();
        while lower.get(j).is_some_and(|b| b.is_ascii_whitespace()) {
            j += 1;
        }
        if lower.get(j) == Some(&b'=') {
            j += 1;
            while lower
                .get(j)
                .is_some_and(|b| b.is_ascii_whitespace() || *b == b'"' || *b == b'\'')
            {
                j += 1;
            }
            let k = lower[j..]
                .iter()
                .position(|b| !(b.is_ascii_alphanumeric() || b"-_.:".contains(b)))
                .map_or(lower.len(), |k| j + k);
            if let Some(enc) = Encoding::for_label(&lower[j..k]) {
                return Some(enc);
            }
        }
        from = j.max(from + i + 1);
    }
    None
}

/// The first index of `needle` in `hay`.
pub(crate) fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(bytes: &[u8]) -> Result<String, SkipReason> {
        decode(bytes, Hints::default()).map(|d| d.0)
    }

    #[test]
    fn corrupted_utf8_is_refused_and_legacy_text_is_named() {
        let err = dec(b"Caf\xc3\xa9 owners \xff said \xc3\xa9t\xc3\xa9 here.").unwrap_err();
        assert!(
            matches!(err, SkipReason::InvalidEncoding(ref m) if m.contains("byte 13")),
            "{err:?}"
        );
        let (text, enc) = decode(b"Caf\xe9 owners said \x93no\x94.", Hints::default()).unwrap();
        assert_eq!(text, "Café owners said “no”.");
        assert_eq!(enc, Some("windows-1252"));
        assert_eq!(decode(b"plain", Hints::default()).unwrap().1, None);
    }

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(dec("café".as_bytes()).unwrap(), "café");
        assert_eq!(dec(b"\xef\xbb\xbfcaf\xc3\xa9").unwrap(), "café");
    }

    #[test]
    fn utf16_with_bom_both_orders() {
        assert_eq!(dec(b"\xff\xfeh\0i\0").unwrap(), "hi");
        assert_eq!(dec(b"\xfe\xff\0h\0i").unwrap(), "hi");
    }

    #[test]
    fn utf16_without_bom_is_recognised() {
        let le: Vec<u8> = "hello world"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes())
            .collect();
        assert_eq!(dec(&le).unwrap(), "hello world");
        let be: Vec<u8> = "hello world"
            .encode_utf16()
            .flat_map(|u| u.to_be_bytes())
            .collect();
        assert_eq!(dec(&be).unwrap(), "hello world");
    }

    #[test]
    fn windows_1252_is_detected() {
        let bytes = b"\x93Quoted,\x94 said the caf\xe9 owner in the morning.";
        assert_eq!(
            dec(bytes).unwrap(),
            "\u{201c}Quoted,\u{201d} said the café owner in the morning."
        );
    }

    #[test]
    fn declared_charset_wins_over_detection() {
        let hints = Hints {
            declared: Encoding::for_label(b"windows-1251"),
            ..Hints::default()
        };
        assert_eq!(
            decode(b"\xcc\xee\xf1\xea\xe2\xe0", hints).unwrap().0,
            "Москва"
        );
    }

    #[test]
    fn meta_charset_is_found() {
        let html = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-1\"></head>";
        assert_eq!(meta_charset(html), Some(encoding_rs::WINDOWS_1252));
        assert_eq!(meta_charset(b"<meta charset='utf-8'>"), Some(UTF_8));
        assert_eq!(meta_charset(b"<p>charset=utf-8</p>"), None);
    }

    #[test]
    fn stray_nuls_are_removed_but_binary_is_rejected() {
        assert_eq!(
            dec(b"some text with a stray\0 NUL in a longer line").unwrap(),
            "some text with a stray NUL in a longer line"
        );
        assert!(matches!(
            dec(b"\x01\x02\x03\x04abc\x05\x06"),
            Err(SkipReason::Binary(_))
        ));
        assert!(matches!(
            dec(b"\x89PNG\r\n\x1a\n...."),
            Err(SkipReason::Binary(_))
        ));
    }

    #[test]
    fn empty_and_whitespace_only() {
        assert_eq!(dec(b""), Err(SkipReason::Empty));
        assert_eq!(dec(b" \r\n\t "), Err(SkipReason::Empty));
        assert_eq!(dec(b"\xef\xbb\xbf"), Err(SkipReason::Empty));
    }

    #[test]
    fn short_magic_needs_binary_evidence() {
        assert_eq!(
            dec(b"MZ is a postcode area").unwrap(),
            "MZ is a postcode area"
        );
        assert!(matches!(dec(b"MZ\x90\0\x03\0"), Err(SkipReason::Binary(_))));
    }
}
