//! The plain-text cleaner on scrapes written for these tests (not the seed articles):
//! headline, date, outlet, and which lines the body keeps.

use annals_clean::Cleaner;
use annals_model::{DocId, DocKind, Document, RawDoc, RawMeta};

fn clean(name: &str) -> Document {
    let path = format!("{}/tests/fixtures/text/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    Cleaner::default().clean(RawDoc {
        id: DocId(name.into()),
        source: path,
        kind: DocKind::Text,
        text,
        meta: RawMeta::default(),
    })
}

fn paragraphs(doc: &Document) -> Vec<&str> {
    doc.paragraphs.iter().map(|p| doc.text(p.range)).collect()
}

/// Every body paragraph maps back to the same text in the raw input.
fn assert_maps_back(doc: &Document) {
    for p in &doc.paragraphs {
        let text = doc.text(p.range);
        let first_word = text.split_whitespace().next().unwrap();
        let raw_at = doc.map.to_raw(p.range.start as usize).unwrap();
        assert!(
            doc.raw[raw_at..].starts_with(first_word),
            "{text:?} does not map back"
        );
    }
}

#[test]
fn wire_page_keeps_the_story_and_drops_menus_credits_and_related_links() {
    let doc = clean("wire_page.txt");
    assert_eq!(
        doc.title.as_deref(),
        Some("Syria talks resume in Geneva as ceasefire frays")
    );
    assert_eq!(doc.published.as_deref(), Some("2016-03-03"));
    assert_eq!(doc.outlet.as_deref(), Some("Reuters"));
    let p = paragraphs(&doc);
    assert_eq!(p.len(), 4, "{p:#?}");
    assert!(p[0].starts_with("GENEVA (Reuters) - United Nations mediator"));
    assert_eq!(
        p[3],
        "Diplomats expect the first round to last about ten days."
    );
    for gone in [
        "Skip to main content",
        "Markets",
        "By Jane Porter",
        "3 Min Read",
        "Reporting by",
        "Our Standards",
        "Oil prices",
    ] {
        assert!(!doc.body.contains(gone), "{gone} left in the body");
    }
    assert_maps_back(&doc);
}

#[test]
fn blog_page_prefers_the_dateline_under_the_headline_to_the_site_date() {
    let doc = clean("blog_page.txt");
    assert_eq!(doc.title.as_deref(), Some("The long road to Minsk"));
    assert_eq!(doc.published.as_deref(), Some("2016-02-09"));
    assert_eq!(doc.outlet.as_deref(), Some("Eastern Dispatch"));
    let p = paragraphs(&doc);
    assert_eq!(p.len(), 2, "{p:#?}");
    for gone in ["Share this", "Facebook", "Loading", "Related", "©"] {
        assert!(!doc.body.contains(gone), "{gone} left in the body");
    }
}

#[test]
fn crlf_page_with_agency_credit_and_an_advert_inside_the_body() {
    let doc = clean("crlf_page.txt");
    assert_eq!(
        doc.title.as_deref(),
        Some("Quake strikes off coast of Chile")
    );
    assert_eq!(doc.published, None);
    assert_eq!(doc.outlet.as_deref(), Some("The Associated Press"));
    let p = paragraphs(&doc);
    assert_eq!(p.len(), 3, "{p:#?}");
    assert!(p[0].starts_with("(AP) — A powerful earthquake"));
    assert!(!doc.body.contains('\r'));
    assert!(!doc.body.contains("Advertisement"));
    assert_maps_back(&doc);
}

#[test]
fn hard_wrapped_paragraphs_are_joined() {
    let doc = clean("wrapped_page.txt");
    assert_eq!(
        doc.title.as_deref(),
        Some("Parliament approves budget after long debate")
    );
    let p = paragraphs(&doc);
    assert_eq!(p.len(), 2, "{p:#?}");
    assert!(
        p[0].contains("after a debate that ran for more"),
        "{}",
        p[0]
    );
    assert!(p[1].ends_with("percent of output by next year."));
    assert_maps_back(&doc);
    // the join inside a paragraph maps each line to its own place in the raw text
    let at = doc.body.find("that ran").unwrap();
    assert_eq!(&doc.raw[doc.map.to_raw(at).unwrap()..][..8], "that ran");
}

#[test]
fn a_scrape_without_headline_keeps_every_body_line() {
    let doc = clean("no_headline.txt");
    assert_eq!(doc.title, None);
    assert_eq!(doc.published, None);
    let p = paragraphs(&doc);
    assert_eq!(p.len(), 3, "{p:#?}");
    assert!(!doc.body.contains("Also Read"));
    assert!(p[2].starts_with("\"This is a first step"));
}

#[test]
fn agency_page_reads_a_dateline_with_times_and_an_update_stamp() {
    let doc = clean("agency_dateline.txt");
    assert_eq!(
        doc.title.as_deref(),
        Some("Kerry and Lavrov agree on Syria aid plan")
    );
    assert_eq!(doc.published.as_deref(), Some("2016-03-03"));
    assert_eq!(doc.outlet.as_deref(), Some("Xinhua"));
    let p = paragraphs(&doc);
    assert_eq!(p.len(), 4, "{p:#?}");
    assert!(p[0].starts_with("WASHINGTON, March 3 (Xinhua) --"));
    for gone in [
        "HOME",
        "By Staff Writer",
        "Read more",
        "holds for fifth day",
    ] {
        assert!(!doc.body.contains(gone), "{gone} left in the body");
    }
}

#[test]
fn captions_credits_and_share_widgets_around_a_short_story() {
    let doc = clean("captioned_page.txt");
    assert_eq!(
        doc.title.as_deref(),
        Some("Iran nuclear deal: Sanctions lifted as IAEA confirms compliance")
    );
    assert_eq!(doc.published.as_deref(), Some("2016-01-17"));
    let p = paragraphs(&doc);
    assert_eq!(p.len(), 4, "{p:#?}");
    assert!(p[0].starts_with("International sanctions on Iran"));
    assert_eq!(
        p[3],
        "But the US imposed new sanctions related to ballistic missiles."
    );
    for gone in [
        "Image caption",
        "Image copyright",
        "From the section",
        "Share this",
        "What happens next",
    ] {
        assert!(!doc.body.contains(gone), "{gone} left in the body");
    }
}

#[test]
fn metadata_from_the_container_wins() {
    let raw = RawDoc {
        id: DocId("j1".into()),
        source: "x.jsonl:1".into(),
        kind: DocKind::Text,
        text: "Officials met on Monday to discuss the plan, a spokesman said.".into(),
        meta: RawMeta {
            title: Some("Given title".into()),
            published: Some("2016-05-01T10:00:00Z".into()),
            outlet: Some("Given Outlet".into()),
            url: None,
            ..RawMeta::default()
        },
    };
    let doc = Cleaner::default().clean(raw);
    assert_eq!(doc.title.as_deref(), Some("Given title"));
    assert_eq!(doc.published.as_deref(), Some("2016-05-01T10:00:00Z"));
    assert_eq!(doc.outlet.as_deref(), Some("Given Outlet"));
}

#[test]
fn garbage_and_empty_input_do_not_panic() {
    for text in [
        "",
        "\n\n\n",
        "...",
        "a",
        "©",
        "\u{feff}\u{a0}\n\u{a0}",
        "Views: 1\nViews: 1",
        "x\n".repeat(1000).as_str(),
    ] {
        let doc = Cleaner::default().clean(RawDoc {
            id: DocId("g".into()),
            source: "g".into(),
            kind: DocKind::Text,
            text: text.into(),
            meta: RawMeta::default(),
        });
        assert!(doc
            .paragraphs
            .iter()
            .all(|p| p.range.end as usize <= doc.body.len()));
    }
}
