//! `annals analyze --format jsonl`: after the per-document lines come the cross-document
//! records, as in the JSON format: stories, relations, stances and dyads.

#[allow(dead_code)] // each test file uses some of the helpers
mod common;

/// Two reports of the same talks, a day apart, from two outlets.
const INPUT: &str = r#"{"id": "talks-1", "title": "Russia and US hold Syria talks in Geneva", "published": "2015-10-01", "outlet": "Wire A", "text": "Russian Foreign Minister Sergei Lavrov met US Secretary of State John Kerry in Geneva on Thursday for talks on the war in Syria.\n\nRussia backed the Syrian government of Bashar al-Assad, while the United States supports the moderate opposition.\n\nKerry said the United States opposes any role for Assad in a future government. \"We will not accept Assad staying in power,\" Kerry told reporters after the talks."}
{"id": "talks-2", "title": "Lavrov and Kerry meet in Geneva over Syria", "published": "2015-10-02", "outlet": "Daily B", "text": "US Secretary of State John Kerry held talks with Russian Foreign Minister Sergei Lavrov in Geneva about the war in Syria.\n\nMoscow backed Assad, and Washington supports the rebels fighting him.\n\nLavrov said Russia opposes foreign intervention in Syria. \"The Syrian people must decide their future,\" Lavrov told reporters in Geneva."}
"#;

#[test]
fn jsonl_ends_with_stories_relations_stances_and_dyads() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("talks.jsonl");
    std::fs::write(&input, INPUT).unwrap();
    let out = common::succeed(
        common::annals()
            .args(["analyze", "--format", "jsonl", "--quiet"])
            .arg(&input),
    );
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let of_kind =
        |k: &str| -> Vec<&serde_json::Value> { lines.iter().filter(|l| l["kind"] == k).collect() };
    assert_eq!(of_kind("document").len(), 2);
    // both reports of the talks are one story
    let stories = of_kind("story");
    assert_eq!(stories.len(), 1, "{stories:#?}");
    assert_eq!(
        stories[0]["docs"],
        serde_json::json!(["talks-1", "talks-2"])
    );
    assert!(!stories[0]["summary"].as_array().unwrap().is_empty());
    // relations, stances and dyads are there, with their fields
    let relations = of_kind("relation");
    assert!(
        relations
            .iter()
            .any(|r| r["relation"] == "supports" && r["a"] == "russia"),
        "{relations:#?}"
    );
    let stances = of_kind("stance");
    assert!(!stances.is_empty());
    assert!(stances.iter().all(|s| s["holder"].is_string()));
    let dyads = of_kind("dyad");
    assert!(!dyads.is_empty());
    assert!(dyads.iter().all(|d| d["events"].as_u64().unwrap() > 0));
    // the cross-document records come after every document's own lines
    let first_story = lines.iter().position(|l| l["kind"] == "story").unwrap();
    let last_event = lines.iter().rposition(|l| l["kind"] == "event");
    assert!(last_event.is_none_or(|e| e < first_story));
}
