//! The whole pipeline (clean, segment, tag, parse) on generated hostile text: no input may
//! make it panic, and every range it produces must slice the body.

use annals_engine::Pipeline;
use annals_model::{DocId, DocKind, RawDoc, RawMeta};

/// A small deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

const PIECES: &[&str] = &[
    "Obama",
    "said",
    "the",
    "U.S.",
    "Mr.",
    "Dec.1",
    "No. 10",
    "\"",
    "“",
    "”",
    "’",
    "'s",
    "n't",
    "don’t",
    "...",
    "…",
    "--",
    " - ",
    "—",
    "(",
    ")",
    "[",
    "]",
    ":",
    ";",
    ",",
    ".",
    "?",
    "!",
    "\n",
    "\n\n",
    "\r\n",
    "\u{a0}",
    "\u{feff}",
    "\t",
    " ",
    "  ",
    "é",
    "ß",
    "İ",
    "ﬁ",
    "Σ",
    "中文",
    "العربية",
    "🙂",
    "\u{200b}",
    "\u{301}",
    "http://x.y/z?a=b",
    "a@b.co",
    "250,000",
    "3.5",
    "20:11",
    "$5",
    "©",
    "Views: 12",
    "Tags:",
    "<p>",
    "</p>",
    "&amp;",
    "1 December 2015",
    "Sept. 30,",
    "FILE -",
    "(Photo: AP)",
    "A",
    "I",
    "e.g.",
];

fn text(rng: &mut Rng) -> String {
    let n = (rng.next() % 200) as usize;
    let mut s = String::new();
    for _ in 0..n {
        s.push_str(rng.pick(PIECES));
        if rng.next().is_multiple_of(3) {
            s.push(' ');
        }
    }
    s
}

#[test]
fn generated_hostile_text_never_panics_and_ranges_stay_in_bounds() {
    let pipeline = Pipeline::standard().unwrap();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for case in 0..600 {
        let kind = if case % 5 == 0 {
            DocKind::Html
        } else {
            DocKind::Text
        };
        let raw = RawDoc {
            id: DocId(format!("case{case}")),
            source: format!("case{case}"),
            kind,
            text: text(&mut rng),
            meta: RawMeta::default(),
        };
        let input = raw.text.clone();
        let doc = pipeline.process(raw);
        for p in &doc.paragraphs {
            assert!(
                doc.body.get(p.range.as_usize()).is_some(),
                "paragraph out of bounds for {input:?}"
            );
        }
        for s in &doc.sentences {
            assert!(
                doc.body.get(s.range.as_usize()).is_some(),
                "sentence out of bounds for {input:?}"
            );
            let toks = doc.sentence_tokens(s);
            assert_eq!(
                toks.len(),
                s.tokens.len(),
                "sentence token range for {input:?}"
            );
            for t in toks {
                assert!(
                    doc.body.get(t.range.as_usize()).is_some(),
                    "token out of bounds for {input:?}"
                );
                assert!(
                    t.syn.head as usize <= toks.len(),
                    "head {} outside a sentence of {} tokens for {input:?}",
                    t.syn.head,
                    toks.len()
                );
            }
        }
        for piece in doc.map.pieces() {
            let (c, r, n) = (piece.clean as usize, piece.raw as usize, piece.len as usize);
            assert_eq!(
                doc.body.get(c..c + n),
                doc.raw.get(r..r + n),
                "offset map copies differ for {input:?}"
            );
        }
    }
}

/// A paragraph with no sentence end ran the per-sentence stages (the quote finder's
/// speaker search, the parser's features) in time quadratic in its length: 200 KB of
/// "said the U.S. official" took 13 s in a debug build (a 10 MiB one, hours). Sentences
/// are now cut at `MAX_SENTENCE_TOKENS`, and the time is linear.
#[test]
fn a_paragraph_without_stops_is_analysed_in_linear_time() {
    let pipeline = Pipeline::standard().unwrap();
    let text = "said the U.S. official ".repeat(400_000 / 23);
    let started = std::time::Instant::now();
    let doc = pipeline.process(RawDoc {
        id: DocId("long".into()),
        source: "long".into(),
        kind: DocKind::Text,
        text,
        meta: RawMeta::default(),
    });
    let took = started.elapsed();
    assert!(
        doc.sentences.len() > 100,
        "{} sentences",
        doc.sentences.len()
    );
    for s in &doc.sentences {
        assert!(s.tokens.len() <= annals_text::MAX_SENTENCE_TOKENS);
    }
    assert!(
        took < std::time::Duration::from_secs(20),
        "400 KB without a stop took {took:?}"
    );
}
