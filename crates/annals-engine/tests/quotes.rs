//! The quotes stage inside the standard pipeline, and quotes in the JSON and JSONL sinks.

use annals_engine::record::quote_records;
use annals_engine::sink::{JsonSink, JsonlSink, Sink};
use annals_engine::Pipeline;
use annals_model::output::QuoteRecord;
use annals_model::{DocId, DocKind, Document, RawDoc, RawMeta};
use proptest::prelude::*;
use std::sync::OnceLock;

fn pipeline() -> &'static Pipeline {
    static P: OnceLock<Pipeline> = OnceLock::new();
    P.get_or_init(|| Pipeline::standard().expect("models load"))
}

fn analyse(text: &str) -> Document {
    analyse_titled(text, None)
}

/// The document with a headline given by the input (as a JSONL record gives one).
fn analyse_titled(text: &str, title: Option<&str>) -> Document {
    let raw = RawDoc {
        id: DocId("q".into()),
        source: "q".into(),
        kind: DocKind::Text,
        text: text.into(),
        meta: RawMeta {
            title: title.map(str::to_string),
            published: Some("2015-09-29".into()),
            ..Default::default()
        },
    };
    pipeline().process(raw)
}

const STORY: &str = "\
Barack Obama met the Russian president in New York on Monday.

\"We will keep working with our partners to end this war,\" Obama said.

Vladimir Putin told reporters that Russia would not send ground troops to Syria.
";

#[test]
fn quotes_reach_the_json_and_jsonl_sinks() {
    let doc = analyse(STORY);
    let mut buf = Vec::new();
    let mut s = JsonlSink::new(&mut buf);
    s.document(&doc).unwrap();
    s.finish().unwrap();
    let lines: Vec<serde_json::Value> = buf
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice(l).unwrap())
        .collect();
    let quotes: Vec<&serde_json::Value> = lines.iter().filter(|l| l["kind"] == "quote").collect();
    let direct = quotes
        .iter()
        .find(|q| q["direct"] == true)
        .expect("a direct quote");
    assert_eq!(direct["speaker"], "barack-obama");
    assert_eq!(
        direct["text"],
        "We will keep working with our partners to end this war,"
    );
    let (start, end) = (
        direct["start"].as_u64().unwrap() as usize,
        direct["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&doc.body[start..end], direct["text"].as_str().unwrap());
    let reported = quotes
        .iter()
        .find(|q| q["direct"] == false)
        .expect("reported speech");
    assert_eq!(reported["speaker"], "vladimir-putin");
    assert_eq!(
        reported["text"],
        "Russia would not send ground troops to Syria"
    );

    let mut buf = Vec::new();
    let mut s = JsonSink::new(&mut buf);
    s.document(&doc).unwrap();
    s.finish().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&buf).unwrap();
    assert_eq!(v["quotes"].as_array().unwrap().len(), quotes.len());
}

/// The text a quote record's offsets slice: the body, the headline or the raw input.
fn sliced<'d>(doc: &'d Document, q: &QuoteRecord) -> Option<&'d str> {
    let text = match q.place.as_deref() {
        None => doc.body.as_str(),
        Some("title") => doc.title.as_deref()?,
        Some("caption") => doc.raw.as_str(),
        Some(_) => return None,
    };
    text.get(q.start as usize..q.end as usize)
}

/// A headline's quote as a reader checks it: `headline => D|R speaker [how, cue 'c'] text`.
fn headline_line(title: &str) -> String {
    let doc = analyse_titled(STORY, Some(title));
    let title_quotes: Vec<QuoteRecord> = quote_records(&doc)
        .into_iter()
        .filter(|q| q.place.as_deref() == Some("title"))
        .collect();
    let said = title_quotes
        .iter()
        .map(|q| {
            assert_eq!(
                sliced(&doc, q),
                Some(q.text.as_str()),
                "offsets into the title"
            );
            format!(
                "{} {} [{}, cue '{}'] {}",
                if q.direct { "D" } else { "R" },
                q.speaker.as_deref().unwrap_or("-"),
                q.how,
                q.cue.as_deref().unwrap_or("-"),
                q.text
            )
        })
        .collect::<Vec<_>>()
        .join(" / ");
    format!(
        "{title}\n    => {}",
        if said.is_empty() { "(none)" } else { &said }
    )
}

#[test]
fn headline_quotes_and_their_speakers() {
    let titles = [
        "Russia needs to align with US-led anti-ISIL coalition members - Obama",
        "Russia, US to cooperate on fighting ISIS: Moscow",
        "Putin: West must stop meddling in Syria",
        "Obama: 'Daesh is going to continue to be a serious threat'",
        "\"We will not give up the fight against terror\" - Vladimir Putin",
        "Obama says Russia must change its strategy in Syria",
        "Assad must go, says Cameron",
        "Syria: Russian jets strike rebel positions near Homs",
        "Moscow: ten killed in metro blast",
        "Russia and Assad",
    ];
    let lines: Vec<String> = titles.iter().map(|t| headline_line(t)).collect();
    insta::assert_snapshot!(lines.join("\n"));
}

#[test]
fn caption_quotes_carry_their_place_and_raw_offsets() {
    let text = "\
Putin warns the West

\"We will not let the terrorists win this war,\" Vladimir Putin said at the United Nations on Monday. (Photo: AP)

Barack Obama met the Russian president in New York on Monday.

\"We will keep working with our partners to end this war,\" Obama said.
";
    let doc = analyse(text);
    let records = quote_records(&doc);
    let caption = records
        .iter()
        .find(|q| q.place.as_deref() == Some("caption"))
        .expect("the caption's quote");
    assert_eq!(caption.speaker.as_deref(), Some("vladimir-putin"));
    assert_eq!(caption.text, "We will not let the terrorists win this war,");
    assert_eq!(sliced(&doc, caption), Some(caption.text.as_str()));
    assert!(
        !doc.body.contains("terrorists"),
        "the caption is not in the body"
    );
    // the body's quote keeps its offsets into the body, and comes first
    let body = &records[0];
    assert_eq!(body.place, None);
    assert_eq!(body.speaker.as_deref(), Some("barack-obama"));
    assert_eq!(sliced(&doc, body), Some(body.text.as_str()));
    // the JSON sink writes the place
    let mut buf = Vec::new();
    let mut s = JsonSink::new(&mut buf);
    s.document(&doc).unwrap();
    s.finish().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&buf).unwrap();
    let places: Vec<&str> = v["quotes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["place"].as_str().unwrap_or("body"))
        .collect();
    assert!(
        places.contains(&"caption") && places[0] == "body",
        "{places:?}"
    );
}

/// Headlines made of words, names, dashes, colons and quotation marks.
fn headline_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("\"".to_string()),
        Just("'".to_string()),
        Just("“".to_string()),
        Just("”".to_string()),
        Just(" - ".to_string()),
        Just(" — ".to_string()),
        Just(": ".to_string()),
        Just(", ".to_string()),
        Just(" says ".to_string()),
        Just(" Obama ".to_string()),
        Just(" Vladimir Putin ".to_string()),
        Just(" Moscow ".to_string()),
        Just(" a US official ".to_string()),
        "[a-zA-Zé ]{1,10}",
        any::<char>().prop_map(|c| c.to_string()),
    ];
    proptest::collection::vec(piece, 1..20).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Every quote record's offsets slice its text exactly: the headline's for a
    /// headline quote, the body's for the others.
    #[test]
    fn quote_offsets_slice_the_text_they_are_in(title in headline_text()) {
        let doc = analyse_titled(STORY, Some(&title));
        for q in quote_records(&doc) {
            prop_assert_eq!(sliced(&doc, &q), Some(q.text.as_str()), "{:?}", q);
            prop_assert!(q.place.is_none() || q.place.as_deref() == Some("title"));
            if let Some(sp) = &q.speaker {
                prop_assert!(doc.actors.iter().any(|a| &a.id == sp));
            }
        }
    }
}
