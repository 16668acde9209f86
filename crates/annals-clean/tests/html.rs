//! HTML main-content extraction on page fixtures (`tests/fixtures/html/`) and on hostile
//! input made at test time.

use annals_clean::html::{extract, HtmlArticle};

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/html/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn texts(a: &HtmlArticle) -> Vec<&str> {
    a.paragraphs.iter().map(|p| p.text.as_str()).collect()
}

/// Every located paragraph starts, in the raw HTML, with its first word.
fn assert_offsets_point_at_text(raw: &str, a: &HtmlArticle) {
    for p in &a.paragraphs {
        if let Some(at) = p.raw_offset {
            let first_word: String = p.text.chars().take_while(|c| c.is_alphanumeric()).collect();
            assert!(raw.is_char_boundary(at), "offset {at} inside a character");
            assert!(
                raw[at..].starts_with(&first_word) || raw[at..].starts_with('&'),
                "{:?} located at {at}: {:?}",
                p.text,
                &raw[at..(at + 30).min(raw.len())]
            );
        }
    }
}

#[test]
fn news_page_keeps_the_story_and_drops_the_furniture() {
    let raw = fixture("news_page.html");
    let a = extract(&raw, Some("https://gazette.example/world/port-strike"));
    assert_eq!(
        a.title.as_deref(),
        Some("Port strike halts grain exports"),
        "og/JSON-LD/h1, not <title>"
    );
    assert_eq!(
        a.published.as_deref(),
        Some("2016-03-14"),
        "JSON-LD datePublished in @graph"
    );
    assert_eq!(
        a.outlet.as_deref(),
        Some("The Harbour Gazette"),
        "JSON-LD publisher (no og:site_name needed)"
    );
    assert_eq!(
        texts(&a),
        [
            "Dockworkers at the country’s largest port walked out on Monday, halting grain exports worth an estimated €40 million a week, union officials said.",
            "“We will not return until the contract is signed,” said Andrei Pop, the leader of the dockers’ union, speaking outside the main gate.",
            "The ministry of transport said talks would resume on Wednesday. A spokeswoman declined to say whether the government would meet the union’s demand for a 12% pay rise.",
            "Traders said prices for wheat futures rose 3% in early trading & barges were already queueing on the river.",
        ]
    );
    let all = texts(&a).join("\n");
    for furniture in [
        "cookie",
        "Related stories",
        "Share on",
        "All rights reserved",
        "Business",
        "Advertisement",
        "dataLayer",
    ] {
        assert!(
            !all.contains(furniture),
            "{furniture:?} leaked into the body"
        );
    }
    assert_offsets_point_at_text(&raw, &a);
    assert!(
        raw[a.paragraphs[1].raw_offset.unwrap()..].starts_with("&ldquo;We will"),
        "entity start located"
    );
}

#[test]
fn blog_post_with_time_element_and_br_breaks() {
    let raw = fixture("blog_post.html");
    let a = extract(&raw, None);
    assert_eq!(
        a.title.as_deref(),
        Some("Walking the old railway line"),
        "<title> minus ' - Field Notes'"
    );
    assert_eq!(
        a.published.as_deref(),
        Some("2014-05-18"),
        "<time datetime>"
    );
    assert_eq!(a.outlet.as_deref(), Some("Field Notes"), "application-name");
    let t = texts(&a);
    assert!(t[0].starts_with("The line closed in 1964"), "{t:?}");
    assert!(
        t.contains(
            &"Near the tunnel a farmer told me the bricks had been sold off in the seventies."
        ),
        "<br><br> splits: {t:?}"
    );
    assert!(
        t.iter()
            .all(|p| !p.contains("Archive") && !p.contains("May 2014")),
        "sidebar dropped: {t:?}"
    );
    assert_offsets_point_at_text(&raw, &a);
}

#[test]
fn page_with_only_og_tags_and_div_paragraphs() {
    let raw = fixture("og_only.html");
    let a = extract(&raw, None);
    assert_eq!(a.title.as_deref(), Some("Council approves new tram route"));
    assert_eq!(a.published.as_deref(), Some("2017-11-02"));
    assert_eq!(a.outlet.as_deref(), Some("Northern Echo Daily"));
    assert_eq!(a.paragraphs.len(), 3, "{:?}", texts(&a));
    assert!(a.paragraphs[2].text.starts_with("Opponents said the route"));
    assert_offsets_point_at_text(&raw, &a);
}

#[test]
fn truncated_page_still_gives_its_paragraphs() {
    let raw = fixture("broken.html");
    let a = extract(&raw, None);
    assert_eq!(
        a.title.as_deref(),
        Some("Minister resigns over leaked memo")
    );
    assert_eq!(
        a.published.as_deref(),
        Some("2015-09-29"),
        "RFC 2822 date in <meta name=date>"
    );
    assert_eq!(a.outlet, None);
    let t = texts(&a);
    assert!(t.len() >= 3, "{t:?}");
    assert!(t[1].contains("\"lost the confidence of colleagues\""));
    assert_offsets_point_at_text(&raw, &a);
}

#[test]
fn front_page_has_no_article() {
    let a = extract(&fixture("no_article.html"), None);
    assert_eq!(
        a.title.as_deref(),
        Some("Front page"),
        "'Harbour Gazette – ' prefix removed"
    );
    assert_eq!(a.published, None);
    assert!(
        a.paragraphs.is_empty(),
        "headline links are not paragraphs: {:?}",
        texts(&a)
    );
}

#[test]
fn fallback_to_plain_paragraphs_when_readability_finds_nothing() {
    let a = extract("<p>Only one short line.</p>", None);
    assert_eq!(texts(&a), ["Only one short line."]);
    assert_eq!(a.paragraphs[0].raw_offset, Some(3));
}

#[test]
fn never_panics_on_hostile_input() {
    let nested = format!(
        "{}<p>deep text</p>{}",
        "<div>".repeat(20_000),
        "</div>".repeat(5_000)
    );
    let huge = format!(
        "<html><body>{}</body></html>",
        "<p>Lorem ipsum dolor sit amet, consectetur. &amp; &#x1F600; &#99999999; &bogus;</p>\n"
            .repeat(20_000)
    );
    let garbage: String = (0u32..20_000)
        .filter_map(|i| char::from_u32((i * 7919) % 0x3000))
        .collect();
    let inputs = [
        String::new(),
        "   ".into(),
        "just text, no markup".into(),
        "<".into(),
        "<html><head><title>".into(),
        "<script>never closed".into(),
        "<meta property='og:title' content=''><meta property='og:site_name'>".into(),
        "<script type='application/ld+json'>{\"@graph\": [[[[[[[[</script>".into(),
        format!(
            "<script type='application/ld+json'>{}{}</script>",
            "[".repeat(10_000),
            "]".repeat(10_000)
        ),
        "<title>Ünïcödé | Ünïcödé</title><meta property='og:site_name' content='ünïcödé'>".into(),
        "<table><tr><td><p>cell<td>cell 2</table>".into(),
        nested,
        huge,
        garbage,
    ];
    for (i, html) in inputs.iter().enumerate() {
        let a = extract(html, Some("not a url"));
        for p in &a.paragraphs {
            assert!(!p.text.is_empty(), "input {i}: empty paragraph");
            if let Some(at) = p.raw_offset {
                assert!(html.is_char_boundary(at), "input {i}");
            }
        }
    }
}

#[test]
fn raw_pieces_are_verbatim_and_cover_most_of_the_text() {
    for name in [
        "news_page.html",
        "blog_post.html",
        "og_only.html",
        "broken.html",
    ] {
        let raw = fixture(name);
        let a = extract(&raw, None);
        let (mut total, mut covered) = (0, 0);
        for p in &a.paragraphs {
            let mut last = 0;
            for piece in &p.pieces {
                assert!(piece.text >= last, "{name}: pieces in order");
                last = piece.text + piece.len;
                assert_eq!(
                    &p.text[piece.text..piece.text + piece.len],
                    &raw[piece.raw..piece.raw + piece.len],
                    "{name}"
                );
                covered += piece.len;
            }
            total += p.text.len();
        }
        assert!(
            covered * 100 >= total * 90,
            "{name}: {covered} of {total} bytes mapped"
        );
    }
}
