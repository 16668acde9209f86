//! `annals analyze` on the bundled sample corpus: the document records a person would check.

#[allow(dead_code)] // each test file uses some of the helpers
mod common;
use common::root;

fn analyze_seeds() -> serde_json::Value {
    let out = common::succeed(common::annals().args([
        "analyze",
        "examples/seeds",
        "--format",
        "json",
        "--threads",
        "2",
    ]));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("5 documents read, 5 analysed, 0 skipped"),
        "{stderr}"
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// One document as a reader checks it: metadata, then the first and last paragraphs.
fn card(d: &serde_json::Value) -> String {
    let body = d["body"].as_str().unwrap();
    let paras: Vec<&str> = body.split("\n\n").collect();
    format!(
        "id: {}\nsource: {}\ntitle: {}\npublished: {}\noutlet: {}\nparagraphs: {}\nfirst: {}\nlast: {}\n",
        d["id"].as_str().unwrap(),
        d["source"].as_str().unwrap(),
        d["title"],
        d["published"],
        d["outlet"],
        paras.len(),
        paras[0],
        paras[paras.len() - 1],
    )
}

#[test]
fn seed_documents() {
    let v = analyze_seeds();
    let docs = v["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 5);
    for d in docs {
        let id = d["id"].as_str().unwrap().to_string();
        insta::assert_snapshot!(id, card(d));
    }
    for key in [
        "actors",
        "quotes",
        "events",
        "stories",
        "relations",
        "stances",
    ] {
        assert!(v[key].is_array(), "{key} missing");
    }
}

#[test]
fn seed_bodies_hold_no_site_furniture() {
    let v = analyze_seeds();
    for d in v["documents"].as_array().unwrap() {
        let body = d["body"].as_str().unwrap();
        for furniture in [
            "Views:",
            "Tags:",
            "Short link",
            "©",
            "Join Our Newsletter",
            "No media source",
            "Also Read",
            "(Photo: AP)",
        ] {
            assert!(!body.contains(furniture), "{furniture:?} in {}", d["id"]);
        }
        assert!(
            !body.contains("\n\n\n"),
            "paragraphs are joined by one blank line"
        );
    }
}

/// Scores the output with the project's evaluation script when `../shared` is present.
#[test]
fn seed_documents_meet_the_gold_standard() {
    let shared = root().join("../shared");
    let score = shared.join("eval/score.py");
    if !score.exists() {
        eprintln!(
            "skipped: {} is absent (it ships to developers and CI only)",
            score.display()
        );
        return;
    }
    let v = analyze_seeds();
    let dir = tempfile::tempdir().unwrap();
    let pred = dir.path().join("out.json");
    std::fs::write(&pred, serde_json::to_vec(&v).unwrap()).unwrap();
    let out = std::process::Command::new("python3")
        .arg(&score)
        .arg("--gold")
        .arg(shared.join("seeds-gold/gold.json"))
        .arg("--pred")
        .arg(&pred)
        .args([
            "--min",
            "documents.title_accuracy=1.0",
            "--min",
            "documents.date_accuracy=1.0",
        ])
        .args([
            "--min",
            "documents.boilerplate_removed=0.97",
            "--min",
            "documents.body_kept=1.0",
        ])
        // the actors stage's acceptance bars (measured: recall 1.000, alias merge 0.985)
        .args([
            "--min",
            "actors.recall=0.95",
            "--min",
            "actors.alias_merge=0.95",
        ])
        // the quotes stage (measured: quotes f1 1.000, attribution 1.000; reported speech
        // f1 0.960, attribution 0.940)
        .args([
            "--min",
            "quotes.f1=0.97",
            "--min",
            "quotes.attribution_f1=0.95",
            "--min",
            "indirect_quotes.f1=0.9",
            "--min",
            "indirect_quotes.attribution_f1=0.85",
        ])
        // the events stage: a regression floor below what it measures (recall 0.567,
        // code agreement 0.706); issue 6's bars are 0.80 and 0.60
        .args([
            "--min",
            "events.recall=0.75",
            "--min",
            "events.code_agreement=0.7",
        ])
        // stories, relations and stances (issue 7's bars 0.90, 0.60, 0.50; measured
        // pair f1 1.000, relations recall 0.667, stances recall 0.721)
        .args([
            "--min",
            "stories.pair_f1=0.9",
            "--min",
            "relations.recall=0.6",
            "--min",
            "stances.recall=0.5",
        ])
        .output();
    let Ok(out) = out else {
        eprintln!("skipped: python3 is not available");
        return;
    };
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
