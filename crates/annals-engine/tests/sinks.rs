//! The JSON and JSONL sinks through the engine: the work each sink prepares on the worker
//! threads gives the same output as the sink's own `document`, and an actor's mentions,
//! spilled document by document, come back joined in input order.

use annals_engine::sink::{JsonSink, JsonlSink, Sink};
use annals_engine::Pipeline;
use annals_model::{DocId, DocKind, RawDoc, RawMeta};
use std::sync::OnceLock;

fn pipeline() -> &'static Pipeline {
    static P: OnceLock<Pipeline> = OnceLock::new();
    P.get_or_init(|| Pipeline::standard().expect("models load"))
}

const TEXTS: [&str; 4] = [
    "Russian President Vladimir Putin met French President Francois Hollande in Moscow on Monday. \"We agreed to share intelligence,\" Putin said.",
    "Hollande said France would keep up its airstrikes in Syria. Putin did not comment.",
    "The talks in Vienna ended without a deal, officials said on Friday.",
    "Putin told reporters that Russia backs the Syrian government. Hollande disagreed.",
];

fn raws() -> Vec<RawDoc> {
    TEXTS
        .iter()
        .enumerate()
        .map(|(i, t)| RawDoc {
            id: DocId(format!("d{i}")),
            source: format!("d{i}.txt"),
            kind: DocKind::Text,
            text: t.to_string(),
            meta: RawMeta {
                published: Some(format!("2015-10-0{}", i + 1)),
                ..RawMeta::default()
            },
        })
        .collect()
}

/// The output of `sink` fed through the engine on two threads (the prepared path).
fn through_engine(mut sink: impl Sink) {
    let items = raws().into_iter().map(Ok::<_, std::convert::Infallible>);
    let summary = annals_engine::run(items, pipeline(), 2, &mut sink, |_| {}).unwrap();
    assert_eq!(summary.analysed, TEXTS.len());
    sink.finish().unwrap();
}

/// The output of `sink` fed one document at a time with `Sink::document`.
fn one_by_one(mut sink: impl Sink) {
    for raw in raws() {
        sink.document(&pipeline().process(raw)).unwrap();
    }
    sink.finish().unwrap();
}

#[test]
fn prepared_on_workers_or_not_the_json_is_the_same() {
    let (mut a, mut b) = (Vec::new(), Vec::new());
    through_engine(JsonSink::new(&mut a));
    one_by_one(JsonSink::new(&mut b));
    assert_eq!(String::from_utf8_lossy(&a), String::from_utf8_lossy(&b));
    let (mut a, mut b) = (Vec::new(), Vec::new());
    through_engine(JsonlSink::new(&mut a));
    one_by_one(JsonlSink::new(&mut b));
    assert_eq!(String::from_utf8_lossy(&a), String::from_utf8_lossy(&b));
}

#[test]
fn spilled_mentions_and_quotes_come_back_joined_in_order() {
    let mut buf = Vec::new();
    through_engine(JsonSink::new(&mut buf));
    let v: serde_json::Value = serde_json::from_slice(&buf).expect("valid JSON");
    let putin = v["actors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == "vladimir-putin")
        .expect("Putin is an actor");
    let docs: Vec<&str> = putin["mentions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["doc"].as_str().unwrap())
        .collect();
    let mut sorted = docs.clone();
    sorted.sort();
    assert_eq!(docs, sorted, "mentions in input order");
    for d in ["d0", "d1", "d3"] {
        assert!(docs.contains(&d), "{d} mentions Putin: {docs:?}");
    }
    for m in putin["mentions"].as_array().unwrap() {
        let i: usize = m["doc"].as_str().unwrap()[1..].parse().unwrap();
        let (s, e) = (m["start"].as_u64().unwrap(), m["end"].as_u64().unwrap());
        assert_eq!(
            &TEXTS[i][s as usize..e as usize],
            m["text"].as_str().unwrap()
        );
    }
    let quotes = v["quotes"].as_array().unwrap();
    assert!(
        quotes
            .iter()
            .any(|q| q["doc"] == "d0" && q["text"] == "We agreed to share intelligence,"),
        "{quotes:#?}"
    );
    assert!(quotes.iter().any(|q| q["doc"] == "d3"), "{quotes:#?}");
}
