//! Runs the stages before the quotes stage on a text, as the engine does.

#![allow(dead_code)]

use annals_model::{
    Annotate, DocId, DocKind, Document, Paragraph, RawDoc, RawMeta, SidePlace, TextRange,
};
use annals_quotes::QuoteStage;
use std::sync::OnceLock;

fn stages() -> &'static Vec<Box<dyn Annotate>> {
    static STAGES: OnceLock<Vec<Box<dyn Annotate>>> = OnceLock::new();
    STAGES.get_or_init(|| {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
        let model =
            annals_syntax::Model::load(format!("{root}/models/en_ewt.syntax")).expect("model");
        vec![
            Box::new(annals_text::Segmenter::new()),
            Box::new(annals_syntax::Pipeline::new(model)),
            Box::new(annals_actors::ActorStage::bundled()),
            Box::new(QuoteStage::new()),
        ]
    })
}

/// Clean, segment, parse, find actors and quotes in `text` (paragraphs split by blank
/// lines), published on `date`.
pub fn analyse(text: &str, date: &str) -> Document {
    let mut doc = annals_clean::Cleaner::default().clean(RawDoc {
        id: DocId("t".into()),
        source: "t".into(),
        kind: DocKind::Text,
        text: text.into(),
        meta: RawMeta {
            title: Some("A headline for the test".into()),
            published: Some(date.into()),
            ..Default::default()
        },
    });
    for s in stages() {
        s.annotate(&mut doc);
    }
    doc
}

/// A headline analysed on its own, as the engine does: one paragraph, `side` set.
pub fn analyse_headline(title: &str, date: &str) -> Document {
    let mut doc = Document {
        body: title.into(),
        published: Some(date.into()),
        side: Some(SidePlace::Title),
        paragraphs: vec![Paragraph {
            range: TextRange::new(0, title.len()),
        }],
        ..Default::default()
    };
    for s in stages() {
        s.annotate(&mut doc);
    }
    doc
}

/// One line a quote: `D|R speaker-id [how] cue: text (+ continued)`.
pub fn lines(doc: &Document) -> Vec<String> {
    doc.quotes
        .iter()
        .map(|q| {
            let speaker = q
                .speaker
                .and_then(|a| doc.actors.get(a as usize))
                .map_or("-", |a| a.id.as_str());
            let mut s = format!(
                "{} {} [{}] {}: {}",
                if q.direct { "D" } else { "R" },
                speaker,
                q.how,
                q.cue.map_or("-", |c| doc.text(c)),
                doc.text(q.range)
            );
            for c in &q.continued {
                s.push_str(" + ");
                s.push_str(doc.text(*c));
            }
            s
        })
        .collect()
}
