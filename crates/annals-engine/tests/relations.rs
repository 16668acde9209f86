//! The relations stage inside the standard pipeline, and stories across documents: the
//! relations, stances and story groups a person would check.

use annals_engine::relations::{
    relation_records, relation_reports, stance_records, stance_reports,
};
use annals_engine::stories::{story_input, story_records};
use annals_engine::Pipeline;
use annals_model::{DocId, DocKind, Document, RawDoc, RawMeta};

fn analyse(pipeline: &Pipeline, id: &str, text: &str, published: &str) -> Document {
    pipeline.process(RawDoc {
        id: DocId(id.into()),
        source: id.into(),
        kind: DocKind::Text,
        text: text.into(),
        meta: RawMeta {
            published: Some(published.into()),
            ..Default::default()
        },
    })
}

#[test]
fn relations_and_stances_with_their_evidence() {
    let p = Pipeline::standard().expect("models load");
    let d = analyse(
        &p,
        "d1",
        "Vladimir Putin told the Kremlin-backed RT television channel that Russia would help. \
         Obama said Russia right now is a coalition of two -- Iran and Russia. \
         Mr Putin ruled out Russian boots on the ground in Syria.",
        "2015-09-29",
    );
    let rels = relation_records(&relation_reports(&d), &[], &Default::default()).unwrap();
    let lines: Vec<String> = rels
        .iter()
        .map(|r| format!("{} {} {}", r.a, r.relation, r.b))
        .collect();
    assert!(
        lines.contains(&"russia supports rt".to_string()),
        "{lines:?}"
    );
    assert!(
        lines.iter().any(|l| l.starts_with("iran member-of")),
        "{lines:?}"
    );
    assert!(
        lines.iter().any(|l| l.starts_with("russia member-of")),
        "{lines:?}"
    );
    let rt = rels.iter().find(|r| r.b == "rt").unwrap();
    let ev = &rt.evidence[0];
    assert_eq!(ev.doc, "d1");
    // the evidence points at the exact words in the body
    let (s, e) = (
        ev.action_start.unwrap() as usize,
        ev.action_end.unwrap() as usize,
    );
    assert_eq!(&d.body[s..e], ev.action.as_deref().unwrap());
    assert!(ev.sentence.contains("Kremlin-backed RT"));

    let stances = stance_records(stance_reports(&d)).unwrap();
    let ruled = stances
        .iter()
        .find(|s| s.holder == "vladimir-putin" && s.topic.contains("boots"))
        .expect("a stance on the boots on the ground");
    assert_eq!(ruled.polarity, "oppose");
    assert_eq!(ruled.cues, ["ruled"]);
}

#[test]
fn not_ruling_out_is_conditional_and_not_supporting_is_opposing() {
    let p = Pipeline::standard().expect("models load");
    let d = analyse(
        &p,
        "d2",
        "Putin said he had not ruled out air strikes on the jihadists. \
         Cameron said he did not support backing Assad.",
        "2015-09-29",
    );
    let stances = stance_records(stance_reports(&d)).unwrap();
    let got: Vec<String> = stances
        .iter()
        .map(|s| format!("{} {} {}", s.holder, s.polarity, s.topic))
        .collect();
    assert!(
        got.iter()
            .any(|s| s.starts_with("vladimir-putin conditional air strikes")),
        "{got:?}"
    );
    assert!(
        got.iter()
            .any(|s| s.starts_with("david-cameron oppose backing Bashar al-Assad")),
        "{got:?}"
    );
}

#[test]
fn reports_of_one_meeting_are_one_story_and_other_news_another() {
    let p = Pipeline::standard().expect("models load");
    let a = analyse(
        &p,
        "a",
        "US President Barack Obama met Russian President Vladimir Putin in New York on Monday. \
         The two leaders held talks for 90 minutes on Syria and Ukraine.",
        "2015-09-29",
    );
    let b = analyse(
        &p,
        "b",
        "Barack Obama and Vladimir Putin met privately for 90 minutes at the United Nations on \
         Monday, their first talks on Syria and Ukraine in nearly a year.",
        "2015-09-29",
    );
    let c = analyse(
        &p,
        "c",
        "Heavy monsoon rains flooded villages in Bangladesh, and thousands of families left \
         their homes as rivers burst their banks.",
        "2015-07-02",
    );
    let stories =
        story_records(vec![story_input(&a), story_input(&b), story_input(&c)], &[]).unwrap();
    let groups: Vec<Vec<&str>> = stories
        .iter()
        .map(|s| s.docs.iter().map(String::as_str).collect())
        .collect();
    assert_eq!(groups, [vec!["a", "b"], vec!["c"]]);
    assert_eq!(stories[0].date_range, ["2015-09-29", "2015-09-29"]);
    assert!(!stories[0].summary.is_empty());
}
