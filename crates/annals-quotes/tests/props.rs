//! Property tests: arbitrary text full of quotation marks and apostrophes never makes the
//! stage panic, and every quote's offsets slice the body to exactly its text.

mod common;

use annals_model::{Annotate, Document, Paragraph, TextRange};
use annals_quotes::QuoteStage;
use proptest::prelude::*;

/// Text made of words, marks of every kind, punctuation, speech verbs, names and
/// paragraph breaks.
fn newsy_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("\"".to_string()),
        Just("'".to_string()),
        Just("“".to_string()),
        Just("”".to_string()),
        Just("‘".to_string()),
        Just("’".to_string()),
        Just("«".to_string()),
        Just("»".to_string()),
        Just("„".to_string()),
        Just(" - ".to_string()),
        Just(", ".to_string()),
        Just(". ".to_string()),
        Just(": ".to_string()),
        Just("\n\n".to_string()),
        Just(" said ".to_string()),
        Just(" told reporters that ".to_string()),
        Just(" according to ".to_string()),
        Just(" Barack Obama ".to_string()),
        Just(" he ".to_string()),
        Just(" a US official ".to_string()),
        Just(" don't ".to_string()),
        Just(" '90s ".to_string()),
        "[a-zA-Zéü ]{1,12}",
        any::<char>().prop_map(|c| c.to_string()),
    ];
    proptest::collection::vec(piece, 0..60).prop_map(|v| v.concat())
}

/// Paragraphs split at blank lines, as the cleaner makes them.
fn bare_doc(body: &str) -> Document {
    let mut doc = Document {
        body: body.to_string(),
        ..Default::default()
    };
    let mut start = 0;
    for part in body.split("\n\n") {
        doc.paragraphs.push(Paragraph {
            range: TextRange::new(start, start + part.len()),
        });
        start += part.len() + 2;
    }
    doc
}

fn check(doc: &Document) -> Result<(), TestCaseError> {
    for q in &doc.quotes {
        for r in std::iter::once(q.range).chain(q.continued.iter().copied()) {
            let text = doc.body.get(r.as_usize());
            prop_assert!(
                text.is_some(),
                "range {r:?} off the body or a char boundary"
            );
            let text = text.unwrap_or_default();
            prop_assert_eq!(doc.text(r), text);
            prop_assert!(!text.is_empty());
        }
        if let Some(s) = q.speaker {
            prop_assert!((s as usize) < doc.actors.len());
        }
        if let Some(c) = q.cue {
            prop_assert!(doc.body.get(c.as_usize()).is_some());
        }
        prop_assert!((0.0..=1.0).contains(&q.confidence));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Only paragraphs: no tokens, no parse, no actors.
    #[test]
    fn marks_alone(body in newsy_text()) {
        let mut doc = bare_doc(&body);
        QuoteStage::new().annotate(&mut doc);
        check(&doc)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// The whole pipeline before the stage: cleaning, tokens, parse, actors.
    #[test]
    fn full_pipeline(body in newsy_text()) {
        let doc = common::analyse(&body, "2015-09-28");
        check(&doc)?;
    }

    /// A headline, read with the headline forms (`Statement - Speaker`, `Speaker: …`):
    /// the offsets slice the headline, which is the document's text.
    #[test]
    fn headline(title in newsy_text()) {
        let doc = common::analyse_headline(&title, "2015-09-28");
        check(&doc)?;
    }
}
