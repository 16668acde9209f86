//! The shipped model: accuracy floor on a slice of the EWT test set, robustness on odd
//! input, the Annotate stage, and (when `../shared/ud` is present) the full dev set.

use annals_model::{Annotate, Document, Sentence, TextRange, Token};
use annals_syntax::{eval_parse, write_conllu, Model, Pipeline};
use std::sync::OnceLock;

const MODEL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../models/en_ewt.syntax");

fn model() -> &'static Model {
    static M: OnceLock<Model> = OnceLock::new();
    M.get_or_init(|| Model::load(MODEL).expect("the shipped model loads"))
}

#[test]
fn accuracy_floor_on_the_test_slice() {
    let text = include_str!("fixtures/ewt-slice.conllu");
    let s = eval_parse(model(), text);
    println!("ewt-slice: {s} ({} words)", s.words);
    assert_eq!(s.sentences, 200);
    // measured on the shipped model: UPOS 96.98, UAS 84.49, LAS 79.85; under a point of slack
    assert!(s.upos >= 96.2, "UPOS regressed: {s}");
    assert!(s.uas >= 83.5, "UAS regressed: {s}");
    assert!(s.las >= 79.0, "LAS regressed: {s}");
}

#[test]
fn batched_analysis_equals_one_sentence_at_a_time() {
    let text = include_str!("fixtures/ewt-slice.conllu");
    let sents: Vec<Vec<&str>> = annals_model::conllu::sentences(text)
        .map(|s| s.unwrap().words.iter().map(|w| w.form).collect())
        .collect();
    let m = model();
    let forms: Vec<&str> = sents.iter().flatten().copied().collect();
    let mut lens: Vec<usize> = sents.iter().map(Vec::len).collect();
    lens.insert(3, 0); // an empty sentence in the middle is fine
    let mut all = Vec::new();
    m.analyze_many_into(&forms, &lens, &mut all, &mut Default::default());
    let one: Vec<_> = sents.iter().flat_map(|s| m.analyze(s)).collect();
    assert_eq!(all, one);
}

#[test]
fn label_bounds_keep_the_decisions_on_the_calibration_sentences() {
    let text = include_str!("fixtures/ewt-slice.conllu");
    let sents: Vec<Vec<&str>> = annals_model::conllu::sentences(text)
        .map(|s| s.unwrap().words.iter().map(|w| w.form).collect())
        .collect();
    let forms: Vec<&str> = sents.iter().flatten().copied().collect();
    let lens: Vec<usize> = sents.iter().map(Vec::len).collect();
    // pruning by 0 keeps every weight and drops the bounds: every label is scored
    let exact = model().prune([0; 4]);
    let mut calibrated = exact.clone();
    calibrated.calibrate(&forms, &lens);
    let (mut a, mut b, mut c) = (Vec::new(), Vec::new(), Vec::new());
    exact.analyze_many_into(&forms, &lens, &mut a, &mut Default::default());
    calibrated.analyze_many_into(&forms, &lens, &mut b, &mut Default::default());
    model().analyze_many_into(&forms, &lens, &mut c, &mut Default::default());
    assert_eq!(a, b);
    let same = a.iter().zip(&c).filter(|(x, y)| x == y).count();
    println!(
        "shipped bounds: {same} of {} words as with every label scored",
        a.len()
    );
    assert!(same * 1000 >= a.len() * 998, "{same} of {}", a.len());
}

#[test]
fn model_bytes_round_trip() {
    let bytes = std::fs::read(MODEL).unwrap();
    let m = Model::from_bytes(&bytes).unwrap();
    assert_eq!(
        m.to_bytes(),
        bytes,
        "re-encoding a loaded model gives the same bytes"
    );
    assert!(Model::from_bytes(&bytes[..bytes.len() / 2]).is_err());
    assert!(Model::from_bytes(b"not a model").is_err());
    assert!(Model::load("/nonexistent/model").is_err());
}

#[test]
fn odd_input_does_not_panic() {
    let m = model();
    assert!(m.analyze::<&str>(&[]).is_empty());
    let one = m.analyze(&["Hello"]);
    assert_eq!(one[0].head, 0);
    let weird = [
        "😀",
        "",
        " ",
        "\u{0}",
        "ǅ",
        "İİİ",
        "\t",
        "a\u{301}",
        "---",
        "https://x.y/z?q=1",
    ];
    let out = m.analyze(&weird);
    assert_eq!(out.len(), weird.len());
    for n in [1000, 5000] {
        let long: Vec<String> = (0..n)
            .map(|i| {
                if i % 17 == 16 {
                    ".".into()
                } else {
                    format!("w{i}")
                }
            })
            .collect();
        let out = m.analyze(&long);
        assert_eq!(out.len(), n);
        let roots = out.iter().filter(|s| s.head == 0).count();
        assert_eq!(roots, 1, "one root even for {n} tokens");
        assert!(out.iter().all(|s| (s.head as usize) <= n));
    }
}

#[test]
fn parses_a_sentence_sensibly() {
    let out = model().analyze(&[
        "The", "minister", "said", "the", "plan", "would", "fail", ".",
    ]);
    let tags: Vec<&str> = out.iter().map(|s| s.upos.as_str()).collect();
    assert_eq!(
        tags,
        ["DET", "NOUN", "VERB", "DET", "NOUN", "AUX", "VERB", "PUNCT"]
    );
    assert_eq!(out[2].deprel.as_str(), "root");
    assert_eq!(out[1].head, 3);
    assert_eq!(out[1].deprel.as_str(), "nsubj");
    assert_eq!(out[6].head, 3);
}

#[test]
fn annotates_a_document_and_writes_conllu() {
    let body = "Rain fell. It stopped";
    let mut doc = Document {
        body: body.into(),
        ..Default::default()
    };
    let spans = [(0, 4), (5, 9), (9, 10), (11, 13), (14, 21)];
    doc.tokens = spans
        .iter()
        .map(|&(a, b)| Token {
            range: TextRange::new(a, b),
            norm: None,
            space_after: b != 9,
            syn: Default::default(),
        })
        .collect();
    doc.sentences = vec![
        Sentence {
            range: TextRange::new(0, 10),
            paragraph: 0,
            tokens: 0..3,
        },
        Sentence {
            range: TextRange::new(11, 21),
            paragraph: 0,
            tokens: 3..5,
        },
        Sentence {
            range: TextRange::new(21, 21),
            paragraph: 0,
            tokens: 5..5,
        },
    ];
    Pipeline::new(model().clone()).annotate(&mut doc);
    assert_eq!(doc.tokens[1].syn.head, 0);
    assert_eq!(doc.tokens[0].syn.head, 2);
    assert_eq!(doc.tokens[4].syn.deprel.as_str(), "root");
    let mut out = String::new();
    write_conllu(&doc, &mut out).unwrap();
    assert!(out.contains("# text = Rain fell.\n"), "{out}");
    assert!(
        out.contains("\n2\tfell\t_\tVERB\tVBD\t_\t0\troot\t_\tSpaceAfter=No\n"),
        "{out}"
    );
}

#[test]
fn full_dev_set_when_available() {
    let p = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/ud/en_ewt-ud-dev.conllu"
    );
    let Ok(text) = std::fs::read_to_string(p) else {
        println!("skipping: {p} is absent");
        return;
    };
    let s = eval_parse(model(), &text);
    println!("dev: {s}");
    assert!(s.upos >= 94.0 && s.uas >= 82.0 && s.las >= 78.0, "{s}");
}
