//! Plain-text scrapes: find the article inside a page copied as text.
//!
//! A scrape holds the article's paragraphs among site furniture: navigation, section
//! labels, view counters, media-player text, photo captions, tag lists, related-story
//! headlines, copyright lines. Nothing here knows any site. Each line is judged by
//! general signals:
//!
//! - **shape**: word count, closing punctuation, share of function words (prose is full
//!   of "the", "of", "to"; menus and headlines are not);
//! - **patterns**: counters (`Views: 1254`, `0:00 0:03:17`), labels (`Tags:`), caption
//!   credits (`(Photo: AP)`, `FILE -`), copyright lines;
//! - **repetition**: a teaser that repeats the opening of a body paragraph, a repeated
//!   caption or intro;
//! - **position**: the body runs from the first prose paragraph to the last; the headline
//!   and dateline come before it, and what follows the last prose paragraph is furniture.
//!
//! The headline is the line before the body whose content words the body repeats most;
//! the publication date comes from a dateline near it; the outlet from a copyright line
//! or a wire-agency credit.

use crate::dates::{find_date, is_calendar_word, Date};

/// What a line of a scrape turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Empty or whitespace only.
    Blank,
    /// Part of the article body.
    Body,
    /// The headline.
    Title,
    /// A dateline (publication date, maybe a credit).
    Dateline,
    /// A copy of body text or of the headline (teaser, repeated intro).
    Duplicate,
    /// Site furniture, with the signal that decided it.
    Furniture(Furniture),
}

/// Why a line was judged furniture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Furniture {
    /// No letters at all (`...`).
    NoWords,
    /// A counter or clock: `Views: 1254`, `0:00 0:03:17 0:00`.
    Counter,
    /// A short label: `Tags:`, `Short link:`.
    Label,
    /// A copyright line.
    Copyright,
    /// A photo caption or credit.
    Caption,
    /// A date with little else, not taken as the dateline.
    Date,
    /// A short line that is not prose (menu item, widget, section name).
    Fragment,
    /// Before the first or after the last body paragraph.
    OutsideBody,
}

/// One line of the scrape.
#[derive(Debug, Clone)]
pub struct Line<'a> {
    /// 1-based line number.
    pub no: usize,
    /// Byte offset of the trimmed text in the raw input.
    pub start: usize,
    /// The trimmed text.
    pub text: &'a str,
    /// Its role.
    pub role: Role,
}

/// A scrape taken apart.
#[derive(Debug, Clone)]
pub struct Scrape<'a> {
    /// Every line, with its role.
    pub lines: Vec<Line<'a>>,
    /// The headline.
    pub title: Option<&'a str>,
    /// The publication date.
    pub published: Option<Date>,
    /// The outlet, with the wire agency when both are named (`Ahram Online/AFP`).
    pub outlet: Option<String>,
}

impl Scrape<'_> {
    /// The body lines, in order.
    pub fn body(&self) -> impl Iterator<Item = &Line<'_>> {
        self.lines.iter().filter(|l| l.role == Role::Body)
    }
}

/// English function words, sorted for binary search.
const STOPWORDS: &[&str] = &[
    "a", "about", "after", "against", "all", "also", "an", "and", "any", "are", "as", "at", "be",
    "because", "been", "before", "being", "between", "both", "but", "by", "can", "could", "did",
    "do", "does", "during", "each", "for", "from", "had", "has", "have", "having", "he", "her",
    "here", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its", "just", "may", "me",
    "more", "most", "must", "my", "no", "not", "now", "of", "on", "one", "only", "or", "other",
    "our", "out", "over", "said", "says", "she", "should", "so", "some", "such", "than", "that",
    "the", "their", "them", "then", "there", "these", "they", "this", "those", "through", "to",
    "too", "under", "until", "up", "us", "very", "was", "we", "were", "what", "when", "where",
    "which", "while", "who", "whom", "why", "will", "with", "would", "you", "your",
];

fn is_stopword(lower: &str) -> bool {
    STOPWORDS.binary_search(&lower).is_ok()
}

/// Wire agencies whose name in a dateline or credit marks the story's source, with the
/// full name a copyright line may use.
const AGENCIES: &[(&str, &str)] = &[
    ("AAP", "Australian Associated Press"),
    ("AFP", "Agence France-Presse"),
    ("ANI", "Asian News International"),
    ("ANSA", "ANSA"),
    ("AP", "Associated Press"),
    ("Anadolu", "Anadolu"),
    ("Bernama", "Bernama"),
    ("DPA", "Deutsche Presse-Agentur"),
    ("EFE", "EFE"),
    ("IANS", "Indo-Asian News Service"),
    ("Interfax", "Interfax"),
    ("Kyodo", "Kyodo"),
    ("PA", "Press Association"),
    ("PTI", "Press Trust of India"),
    ("RIA", "RIA Novosti"),
    ("Reuters", "Reuters"),
    ("TASS", "TASS"),
    ("UNI", "United News of India"),
    ("UPI", "United Press International"),
    ("Xinhua", "Xinhua"),
    ("Yonhap", "Yonhap"),
    ("dpa", "Deutsche Presse-Agentur"),
];

/// Shape statistics of one line.
#[derive(Debug, Clone, Copy, Default)]
struct Shape {
    words: usize,
    alpha_words: usize,
    capitalised: usize,
    stop: usize,
    digits: usize,
    chars: usize,
    terminal: bool,
    colon_end: bool,
    opens_quote: bool,
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '\'' | '“' | '”' | '‘' | '’' | '«' | '»')
}

fn shape(text: &str) -> Shape {
    let mut s = Shape::default();
    let mut buf = String::new();
    for w in text.split_whitespace() {
        s.words += 1;
        let core = w.trim_matches(|c: char| !c.is_alphanumeric());
        if core.chars().any(char::is_alphabetic) {
            s.alpha_words += 1;
            if core.starts_with(char::is_uppercase) {
                s.capitalised += 1;
            }
            buf.clear();
            buf.extend(core.chars().flat_map(char::to_lowercase));
            if is_stopword(&buf) {
                s.stop += 1;
            }
        }
    }
    for c in text.chars() {
        if !c.is_whitespace() {
            s.chars += 1;
            if c.is_ascii_digit() {
                s.digits += 1;
            }
        }
    }
    let end =
        text.trim_end_matches(|c: char| is_quote(c) || matches!(c, ')' | ']') || c.is_whitespace());
    s.terminal = end.ends_with(['.', '!', '?', '…']);
    s.colon_end = end.ends_with(':');
    s.opens_quote = text.starts_with(is_quote);
    s
}

impl Shape {
    fn stop_ratio(&self) -> f32 {
        if self.alpha_words == 0 {
            0.0
        } else {
            self.stop as f32 / self.alpha_words as f32
        }
    }

    fn cap_ratio(&self) -> f32 {
        if self.alpha_words == 0 {
            0.0
        } else {
            self.capitalised as f32 / self.alpha_words as f32
        }
    }

    /// Reads as running prose: a full sentence, or a long line dense in function words.
    /// Title Case lines ("Our Standards: The Trust Principles.") are not prose.
    fn prose(&self) -> bool {
        (self.words >= 6 && self.terminal && self.stop_ratio() >= 0.15 && self.cap_ratio() < 0.7)
            || (self.words >= 4 && self.terminal && self.opens_quote)
            // a long sentence dense in names ("President Francois Mitterand welcomed
            // the visitors.") has few function words but is no menu
            || (self.words >= 12 && self.terminal && self.stop_ratio() >= 0.08 && self.cap_ratio() < 0.6)
            || (self.words >= 14 && self.stop_ratio() >= 0.3)
    }

    /// May stand in a body between prose paragraphs.
    fn body_compatible(&self) -> bool {
        self.prose() || self.terminal || self.colon_end && self.words > 3 || self.words >= 8
    }
}

/// Lowercase words of letters and digits only: the key lines are compared by.
fn key(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for w in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(w.chars().flat_map(char::to_lowercase));
    }
    out
}

fn furniture_pattern(text: &str, sh: &Shape) -> Option<Furniture> {
    if sh.alpha_words == 0 {
        return Some(if sh.digits > 0 {
            Furniture::Counter
        } else {
            Furniture::NoWords
        });
    }
    let lower = text.to_lowercase();
    if lower.starts_with('©') || lower.starts_with("copyright") || lower.starts_with("(c) ") {
        return Some(Furniture::Copyright);
    }
    if is_caption(text, &lower) {
        return Some(Furniture::Caption);
    }
    // short line carrying a number and no sentence: counters, clocks, scores of widgets
    if sh.digits > 0 && sh.alpha_words <= 3 && !sh.terminal && find_date(text).is_none() {
        return Some(Furniture::Counter);
    }
    if sh.colon_end && sh.words <= 3 {
        return Some(Furniture::Label);
    }
    None
}

fn is_caption(text: &str, lower: &str) -> bool {
    const MARKS: &[&str] = &[
        "(photo",
        "photo:",
        "photo credit",
        "file photo",
        "(ap photo",
        "ap photo/",
        "getty images",
        "image caption",
        "photograph:",
        "(picture",
        "picture:",
        "credit:",
        "/reuters)",
        "(reuters photo",
        "afp photo",
        "(epa",
        "epa/",
        "(image:",
    ];
    let t = text.trim_start();
    t.starts_with("FILE -")
        || t.starts_with("FILE –")
        || t.starts_with("FILE —")
        || MARKS.iter().any(|m| lower.contains(m))
}

/// A line that is a date with at most a few other words: a dateline candidate.
fn date_line(text: &str, sh: &Shape) -> Option<Date> {
    let f = find_date(text)?;
    // words that belong to dates and times: a second date ("Updated: 3 March 2016"),
    // zones, AM/PM
    const CLOCK: &[&str] = &[
        "utc", "gmt", "bst", "cet", "cest", "est", "edt", "cst", "pst", "pdt", "et", "msk", "ist",
        "am", "pm", "a.m", "p.m",
    ];
    let others = text[..f.start]
        .split_whitespace()
        .chain(text[f.end..].split_whitespace())
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '.'))
        .map(|w| w.trim_end_matches('.'))
        .filter(|w| w.chars().any(char::is_alphabetic))
        .filter(|w| {
            let lower = w.to_ascii_lowercase();
            !CLOCK.contains(&lower.as_str()) && !is_calendar_word(w)
        })
        .count();
    (others <= 5 && sh.words <= 20).then_some(f.date)
}

/// The outlet named by a copyright line: `© 2010 Ahram Online.` → `Ahram Online`.
fn copyright_holder(text: &str) -> Option<String> {
    let mut t = text.trim();
    for p in ["©", "Copyright", "copyright", "COPYRIGHT", "(c)", "(C)"] {
        t = t.trim_start_matches(p).trim_start();
    }
    let t =
        t.trim_start_matches(|c: char| c.is_ascii_digit() || matches!(c, '-' | '–' | ',' | ' '));
    let cut = ["All rights", "all rights", "ALL RIGHTS", ". ", "|"]
        .iter()
        .filter_map(|m| t.find(m))
        .min()
        .unwrap_or(t.len());
    let name = t[..cut].trim().trim_end_matches(['.', ',', ';']).trim();
    (!name.is_empty() && name.split_whitespace().count() <= 6).then(|| name.to_string())
}

/// A wire agency named as a word of `text`.
fn agency_in(text: &str) -> Option<&'static (&'static str, &'static str)> {
    text.split(|c: char| !c.is_alphanumeric())
        .find_map(|w| AGENCIES.iter().find(|a| a.0 == w))
}

/// A crude stem for matching headline words to body words: "resumed" and "resume" share
/// "resum". Only used to compare words, never shown.
fn stem(w: &str) -> &str {
    match w.char_indices().nth(5) {
        Some((i, _)) => &w[..i],
        None => w,
    }
}

/// Join hard-wrapped lines into one: a line cut mid-sentence (long, no closing
/// punctuation) followed directly by a line that continues it (lower-case start, or the
/// first ends in a comma). The joined line's text is the raw span, newlines included.
fn join_wrapped<'a>(raw: &'a str, lines: &mut Vec<Line<'a>>) {
    let mut out: Vec<Line<'a>> = Vec::with_capacity(lines.len());
    for l in lines.drain(..) {
        if let Some(prev) = out.last_mut() {
            let p = prev.text.trim_end();
            let continues = l.role == Role::Body
                && prev.role == Role::Body
                && prev.no + 1 == l.no - (prev.text.matches('\n').count())
                && p.len() >= 40
                && !p.ends_with(['.', '!', '?', ':', '"', '”', '…'])
                && (l.text.starts_with(char::is_lowercase) || p.ends_with([',', ';', '-']));
            if continues {
                prev.text = &raw[prev.start..l.start + l.text.len()];
                continue;
            }
        }
        out.push(l);
    }
    *lines = out;
}

/// Take a plain-text scrape apart: roles per line, headline, date and outlet.
pub fn analyze(raw: &str) -> Scrape<'_> {
    let mut lines: Vec<Line<'_>> = Vec::new();
    let mut pos = 0;
    for (i, l) in raw.split('\n').enumerate() {
        let lead = l.len()
            - l.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
                .len();
        let text = l.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
        let role = if text.is_empty() {
            Role::Blank
        } else {
            Role::Body
        };
        lines.push(Line {
            no: i + 1,
            start: pos + lead,
            text,
            role,
        });
        pos += l.len() + 1;
    }
    join_wrapped(raw, &mut lines);
    let shapes: Vec<Shape> = lines.iter().map(|l| shape(l.text)).collect();
    let keys: Vec<String> = lines.iter().map(|l| key(l.text)).collect();

    // 1. patterns that mark furniture wherever they stand
    for (l, sh) in lines.iter_mut().zip(&shapes) {
        if l.role == Role::Body {
            if let Some(f) = furniture_pattern(l.text, sh) {
                l.role = Role::Furniture(f);
            }
        }
    }

    // 2. repeated body text: a repeated intro or caption, or a teaser cut off mid-sentence
    for i in 0..lines.len() {
        if lines[i].role != Role::Body || shapes[i].words < 6 {
            continue;
        }
        let dup = (0..lines.len()).any(|j| {
            j != i
                && lines[j].role == Role::Body
                && keys[j].starts_with(keys[i].as_str())
                // an earlier identical copy, or a longer line this one is a cut-off teaser of
                && if keys[j].len() == keys[i].len() { j < i } else { !shapes[i].terminal }
        });
        if dup {
            lines[i].role = Role::Duplicate;
        }
    }

    // 3. the body: first prose line to last prose line
    let prose = |i: usize| lines[i].role == Role::Body && shapes[i].prose();
    let first = (0..lines.len()).find(|&i| prose(i));
    let last = (0..lines.len()).rev().find(|&i| prose(i));
    let (first, last) = match (first, last) {
        (Some(f), Some(l)) => (f, l),
        // no prose at all: keep every line that is not furniture
        _ => (0, lines.len().saturating_sub(1)),
    };
    let no_prose = !(0..lines.len()).any(prose);

    // 4. headline: before the body, the line whose content words the body repeats most
    let body_words: std::collections::HashSet<&str> = (first..=last)
        .filter(|&i| lines[i].role == Role::Body)
        .flat_map(|i| keys[i].split(' '))
        .map(stem)
        .collect();
    let mut title: Option<(usize, f32)> = None;
    // without any overlap, the longest headline-shaped line of three words or more
    let mut fallback: Option<(usize, usize)> = None;
    if !no_prose {
        for i in 0..first {
            let sh = &shapes[i];
            if lines[i].role != Role::Body
                || sh.words < 2
                || sh.words > 25
                || sh.terminal && !sh.opens_quote
            {
                continue;
            }
            if date_line(lines[i].text, sh).is_some() {
                continue;
            }
            // (a line still in the body passed the furniture patterns in step 1)
            if sh.words >= 3 && fallback.is_none_or(|(_, w)| sh.words > w) {
                fallback = Some((i, sh.words));
            }
            let content: Vec<&str> = keys[i]
                .split(' ')
                .filter(|w| w.len() > 1 && !is_stopword(w))
                .collect();
            if content.is_empty() {
                continue;
            }
            let shared = content
                .iter()
                .filter(|w| body_words.contains(stem(w)))
                .count();
            let overlap = shared as f32 / content.len() as f32;
            let score = overlap * content.len().min(5) as f32 / 5.0;
            if overlap >= 0.34 && title.is_none_or(|(_, s)| score > s) {
                title = Some((i, score));
            }
        }
    }
    let title_idx = title.map(|(i, _)| i).or(fallback.map(|(i, _)| i));
    if let Some(t) = title_idx {
        lines[t].role = Role::Title;
        for i in 0..lines.len() {
            if i != t && lines[i].role == Role::Body && keys[i] == keys[t] {
                lines[i].role = Role::Duplicate;
            }
        }
    }

    // 5. dateline: a date line after the headline, else the first one before the body
    let mut dateline: Option<(usize, Date)> = None;
    let search_end = if no_prose { lines.len() } else { first };
    let candidates: Vec<(usize, Date)> = (0..search_end)
        .filter(|&i| {
            matches!(
                lines[i].role,
                Role::Body | Role::Furniture(Furniture::Counter)
            )
        })
        .filter_map(|i| date_line(lines[i].text, &shapes[i]).map(|d| (i, d)))
        .collect();
    if let Some(t) = title_idx {
        dateline = candidates.iter().copied().find(|&(i, _)| i > t);
    }
    if dateline.is_none() {
        dateline = candidates.first().copied();
    }
    for &(i, _) in &candidates {
        lines[i].role = if Some(i) == dateline.map(|d| d.0) {
            Role::Dateline
        } else {
            Role::Furniture(Furniture::Date)
        };
    }

    // 6. roles by position, and short fragments inside the body
    for i in 0..lines.len() {
        if lines[i].role != Role::Body {
            continue;
        }
        if !no_prose && (i < first || i > last) {
            lines[i].role = Role::Furniture(Furniture::OutsideBody);
        } else if !shapes[i].body_compatible() {
            lines[i].role = Role::Furniture(Furniture::Fragment);
        }
    }
    // a text of one line is what was given as the article, even a short one without a
    // full stop ("Congress asks Obama to help Iran")
    let mut given = lines.iter_mut().filter(|l| l.role != Role::Blank);
    if let (Some(only), None) = (given.next(), given.next()) {
        if only.role == Role::Furniture(Furniture::Fragment) {
            only.role = Role::Body;
        }
    }

    // 7. outlet: a copyright holder, with the wire agency of the dateline or first paragraph
    let holder = lines
        .iter()
        .filter(|l| l.role == Role::Furniture(Furniture::Copyright))
        .find_map(|l| copyright_holder(l.text));
    let agency = dateline
        .and_then(|(i, _)| agency_in(lines[i].text))
        .or_else(|| {
            lines
                .iter()
                .find(|l| l.role == Role::Body)
                .and_then(|l| credit_in_opening(l.text))
        });
    let outlet = match (holder, agency) {
        (Some(h), Some(&(abbr, full))) if !h.contains(abbr) && !h.contains(full) => {
            Some(format!("{h}/{abbr}"))
        }
        (Some(h), _) => Some(h),
        (None, a) => a.map(|a| a.0.to_string()),
    };

    Scrape {
        title: title_idx.map(|i| lines[i].text),
        published: dateline.map(|d| d.1),
        outlet,
        lines,
    }
}

/// An agency credit at the head of the first paragraph: `MOSCOW (Reuters) -`, `(AFP) -`.
fn credit_in_opening(text: &str) -> Option<&'static (&'static str, &'static str)> {
    let head = text.get(..text.len().min(60))?;
    let open = head.find('(')?;
    let close = head[open..].find(')')? + open;
    let inner = &head[open + 1..close];
    let agency = AGENCIES.iter().find(|a| a.0 == inner.trim())?;
    let after = head[close + 1..].trim_start();
    after.starts_with(['-', '–', '—', ':']).then_some(agency)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shape_tells_prose_from_furniture() {
        assert!(
            shape("Russia began air operations in Syria on Sept. 30 to support the regime.")
                .prose()
        );
        assert!(
            !shape("Royal Marine Commandos test drone swarm tech for coastline attacks").prose()
        );
        assert!(!shape("Join Our Newsletter").prose());
        assert!(shape("\"We are now thinking about creating relevant mechanisms.\"").prose());
    }

    #[test]
    fn a_text_of_one_short_line_is_its_own_body() {
        let s = analyze("Kenya and Uganda met yesterday\n");
        assert_eq!(
            s.body().map(|l| l.text).collect::<Vec<_>>(),
            ["Kenya and Uganda met yesterday"]
        );
        // among other lines the same fragment is furniture
        let page = "Kenya and Uganda met yesterday\n\nThe leaders of the two \
                    countries met in Nairobi on Tuesday to discuss the border.\n\nShare this\n";
        assert!(analyze(page).body().all(|l| l.text.ends_with('.')));
    }

    #[test]
    fn copyright_and_credits_name_the_outlet() {
        assert_eq!(
            copyright_holder("© 2010 Ahram Online.").as_deref(),
            Some("Ahram Online")
        );
        assert_eq!(
            copyright_holder("Copyright 2015 The Daily Star. All rights reserved.").as_deref(),
            Some("The Daily Star")
        );
        assert_eq!(
            agency_in("AFP , Tuesday 29 Sep 2015").map(|a| a.0),
            Some("AFP")
        );
        assert_eq!(
            credit_in_opening("MOSCOW (Reuters) - Russia said on Monday").map(|a| a.0),
            Some("Reuters")
        );
        assert_eq!(credit_in_opening("The (new) rules - all of them"), None);
    }

    #[test]
    fn counters_and_labels_are_furniture() {
        for s in [
            "Views: 1254",
            "0:00 0:03:17 0:00",
            "Last Update 15:0",
            "Tags:",
            "Short link:",
            "...",
        ] {
            assert!(furniture_pattern(s, &shape(s)).is_some(), "{s}");
        }
        for s in ["The talks lasted 90 minutes.", "Russia and Assad"] {
            assert!(furniture_pattern(s, &shape(s)).is_none(), "{s}");
        }
    }
}
