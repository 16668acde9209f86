//! Static word lists, sorted at compile time by hand and searched by binary search with
//! ASCII case folding, so a lookup allocates nothing.

use std::cmp::Ordering;

/// Compare `word` (any case) with `entry` (lower case), byte by byte, folding ASCII case.
fn cmp_folded(entry: &str, word: &str) -> Ordering {
    let (a, b) = (entry.as_bytes(), word.as_bytes());
    for (x, y) in a.iter().zip(b) {
        match x.cmp(&y.to_ascii_lowercase()) {
            Ordering::Equal => {}
            o => return o,
        }
    }
    a.len().cmp(&b.len())
}

/// True when `word` (any case) is in the sorted lower-case list.
pub(crate) fn contains(list: &[&str], word: &str) -> bool {
    list.binary_search_by(|e| cmp_folded(e, word)).is_ok()
}

/// The kind of an abbreviation, which tells the segmenter what usually follows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AbbrevKind {
    /// Comes before a name: `Mr.`, `Gen.`, `Dr.`. A sentence almost never ends here.
    Title,
    /// Comes before a number: `No.`, `Sept.`, `Vol.`.
    BeforeNumber,
    /// Anything else: `Inc.`, `etc.`, `a.m.`, `U.S.`; may end a sentence.
    Other,
}

/// Titles and honorifics, written without the final period, lower case, sorted.
pub(crate) const TITLES: &[&str] = &[
    "adm", "atty", "capt", "cdr", "cmdr", "col", "cpl", "dr", "fr", "gen", "gov", "hon", "insp",
    "lt", "maj", "messrs", "mlle", "mme", "mr", "mrs", "ms", "msgr", "pfc", "pres", "prof", "rep",
    "reps", "rev", "sen", "sens", "sgt", "sr", "st", "supt",
];

/// Abbreviations that come before a number (months, `No.`, `Vol.`), lower case, sorted.
pub(crate) const BEFORE_NUMBER: &[&str] = &[
    "apr", "art", "aug", "ch", "dec", "feb", "fig", "jan", "jul", "jun", "mar", "no", "nos", "nov",
    "oct", "op", "p", "para", "pp", "sec", "sep", "sept", "vol", "vols",
];

/// Other abbreviations that take a period, lower case, sorted (multi-period ones such as
/// `U.S.` are recognised by shape, not listed).
pub(crate) const OTHER: &[&str] = &[
    "al", "ala", "approx", "apt", "ariz", "ark", "arrv", "assn", "asst", "attn", "ave", "bldg",
    "blvd", "bros", "ca", "calif", "cf", "cie", "co", "colo", "conf", "conn", "corp", "ct", "dept",
    "dist", "div", "dom", "ed", "eds", "eg", "esp", "esq", "est", "etc", "ext", "fax", "fla",
    "fri", "ft", "ga", "govt", "hwy", "ie", "ill", "inc", "ind", "info", "intl", "jr", "kan", "ky",
    "la", "lb", "lbs", "ln", "ltd", "mass", "md", "mfg", "mich", "min", "minn", "miss", "mo",
    "mon", "mont", "mt", "natl", "neb", "nev", "okla", "ore", "oz", "pa", "penn", "ph", "pl",
    "plc", "pt", "rd", "sat", "sq", "ste", "sun", "tenn", "tex", "thu", "thur", "thurs", "tue",
    "tues", "univ", "v", "va", "vs", "vt", "wash", "wed", "wis", "wyo", "yr", "yrs",
];

/// Classify `word` (written without its final period) as an abbreviation, if it is one.
pub(crate) fn abbreviation(word: &str) -> Option<AbbrevKind> {
    if contains(TITLES, word) {
        Some(AbbrevKind::Title)
    } else if contains(BEFORE_NUMBER, word) {
        Some(AbbrevKind::BeforeNumber)
    } else if contains(OTHER, word) {
        Some(AbbrevKind::Other)
    } else {
        None
    }
}

/// Prefixes that EWT keeps joined to the rest of a hyphenated word (`e-mail`,
/// `non-violence`, `co-workers`); every other hyphen is its own token.
pub(crate) const HYPHEN_PREFIXES: &[&str] = &[
    "anti", "arch", "bi", "co", "counter", "cross", "de", "e", "ex", "extra", "hyper", "infra",
    "intra", "macro", "mega", "meta", "micro", "mid", "mini", "multi", "neo", "non", "over", "pan",
    "para", "post", "pre", "pro", "pseudo", "psycho", "re", "semi", "socio", "sub", "super",
    "trans", "tri", "ultra", "un", "uni", "x",
];

/// Suffixes that EWT keeps joined after a hyphen (`career-wise`).
pub(crate) const HYPHEN_SUFFIXES: &[&str] = &["esque", "ish", "wise"];

/// Units written straight after a number that EWT splits off (`5pm` → `5 pm`).
pub(crate) const UNITS: &[&str] = &[
    "am", "b", "bn", "cc", "cm", "db", "f", "ft", "g", "gb", "ghz", "hp", "hr", "hrs", "hz", "in",
    "k", "kb", "kg", "kgs", "khz", "km", "kph", "kw", "l", "lb", "lbs", "m", "mb", "mg", "mhz",
    "mi", "min", "mins", "ml", "mm", "mph", "ms", "mw", "oz", "pm", "sec", "secs", "tb", "yr",
    "yrs",
];

/// Words that often open a sentence; after an ambiguous abbreviation (`U.S.`, `Inc.`,
/// `a.m.`) a capitalised word from this list suggests a new sentence.
pub(crate) const SENTENCE_STARTERS: &[&str] = &[
    "a",
    "after",
    "all",
    "also",
    "an",
    "and",
    "as",
    "at",
    "because",
    "before",
    "but",
    "by",
    "for",
    "he",
    "her",
    "here",
    "his",
    "how",
    "however",
    "i",
    "if",
    "in",
    "it",
    "its",
    "many",
    "meanwhile",
    "most",
    "my",
    "no",
    "now",
    "of",
    "on",
    "one",
    "our",
    "she",
    "since",
    "so",
    "some",
    "that",
    "the",
    "their",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "though",
    "to",
    "two",
    "we",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "why",
    "with",
    "yet",
    "you",
    "your",
];

/// Contractions written without an apostrophe, split as EWT does: the word and the byte
/// offset of the split (`dont` → `do` + `nt`, `cannot` → `can` + `not`).
pub(crate) const BARE_CONTRACTIONS: &[(&str, usize)] = &[
    ("aint", 2),
    ("arent", 3),
    ("cannot", 3),
    ("cant", 2),
    ("couldnt", 5),
    ("didnt", 3),
    ("doesnt", 4),
    ("dont", 2),
    ("gonna", 3),
    ("gotta", 3),
    ("hadnt", 3),
    ("hasnt", 3),
    ("havent", 4),
    ("im", 1),
    ("isnt", 2),
    ("ive", 1),
    ("shouldnt", 6),
    ("thats", 4),
    ("theres", 5),
    ("wanna", 3),
    ("wasnt", 3),
    ("werent", 4),
    ("whats", 4),
    ("wont", 2),
    ("wouldnt", 5),
    ("youre", 3),
];

/// The split offset of a bare contraction, if `word` is one.
pub(crate) fn bare_contraction(word: &str) -> Option<usize> {
    let b = word.as_bytes();
    if b.len() < 2 || b.len() > 8 {
        return None;
    }
    let end = [
        b[b.len() - 2].to_ascii_lowercase(),
        b[b.len() - 1].to_ascii_lowercase(),
    ];
    if !matches!(
        &end,
        b"nt" | b"na" | b"ta" | b"ot" | b"im" | b"ve" | b"re" | b"ts" | b"es"
    ) {
        return None;
    }
    BARE_CONTRACTIONS
        .binary_search_by(|(e, _)| cmp_folded(e, word))
        .ok()
        .map(|i| BARE_CONTRACTIONS[i].1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(l: &[&str]) -> bool {
        l.windows(2).all(|w| w[0] < w[1])
    }

    #[test]
    fn lists_are_sorted_and_lower_case() {
        for l in [
            TITLES,
            BEFORE_NUMBER,
            OTHER,
            HYPHEN_PREFIXES,
            HYPHEN_SUFFIXES,
            UNITS,
            SENTENCE_STARTERS,
        ] {
            assert!(sorted(l), "{l:?}");
            assert!(l.iter().all(|w| w.bytes().all(|b| !b.is_ascii_uppercase())));
        }
        assert!(BARE_CONTRACTIONS.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn lookups_fold_case() {
        assert_eq!(abbreviation("Mr"), Some(AbbrevKind::Title));
        assert_eq!(abbreviation("SEPT"), Some(AbbrevKind::BeforeNumber));
        assert_eq!(abbreviation("Inc"), Some(AbbrevKind::Other));
        assert_eq!(abbreviation("Putin"), None);
        assert_eq!(bare_contraction("Dont"), Some(2));
        assert!(contains(UNITS, "PM"));
    }
}
