//! The quotes stage inside the standard pipeline, and quotes in the JSON and JSONL sinks.

use annals_engine::sink::{JsonSink, JsonlSink, Sink};
use annals_engine::Pipeline;
use annals_model::{DocId, DocKind, Document, RawDoc, RawMeta};

fn analyse(text: &str) -> Document {
    let raw = RawDoc {
        id: DocId("q".into()),
        source: "q".into(),
        kind: DocKind::Text,
        text: text.into(),
        meta: RawMeta {
            published: Some("2015-09-29".into()),
            ..Default::default()
        },
    };
    Pipeline::standard().expect("models load").process(raw)
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
