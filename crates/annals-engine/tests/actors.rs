//! The actors stage inside the standard pipeline: who a text names, and which mentions
//! are one actor.

use annals_engine::Pipeline;
use annals_model::{DocId, DocKind, Document, MentionHow, RawDoc, RawMeta, SidePlace};

fn analyse(text: &str, published: &str) -> Document {
    let raw = RawDoc {
        id: DocId("t".into()),
        source: "t".into(),
        kind: DocKind::Text,
        text: text.into(),
        meta: RawMeta {
            title: Some("A headline".into()),
            published: Some(published.into()),
            ..Default::default()
        },
    };
    Pipeline::standard().expect("models load").process(raw)
}

/// The surface forms that name the actor `id`, in body order.
fn forms<'d>(doc: &'d Document, id: &str) -> Vec<&'d str> {
    doc.mentions
        .iter()
        .filter(|m| doc.actors[m.actor as usize].id == id)
        .map(|m| doc.text(m.range))
        .collect()
}

const STORY: &str = "\
US President Barack Obama met the Russian president in New York on Monday, a US official said.

Mr Putin told reporters that the Islamic State group was a threat. He said the group had to be defeated.

Political analyst Jane Whitlock said the talks were tense. Whitlock added that the Assad regime relied on Moscow.

The US-led coalition has struck the jihadists for a year. The coalition of 65 countries will meet again.
";

#[test]
fn titles_offices_and_surnames_join_one_person() {
    let doc = analyse(STORY, "2015-09-29");
    let obama = forms(&doc, "barack-obama");
    assert!(obama.contains(&"US President Barack Obama"), "{obama:?}");
    assert!(obama.contains(&"Barack Obama"), "{obama:?}");
    // "the Russian president" on 2015-09-29 is Putin, as is "Mr Putin", and "He" after him
    let putin = forms(&doc, "vladimir-putin");
    assert_eq!(putin, ["the Russian president", "Mr Putin", "Putin", "He"]);
    let he = doc
        .mentions
        .iter()
        .find(|m| doc.text(m.range) == "He")
        .expect("pronoun resolved");
    assert_eq!(he.how, MentionHow::Pronoun);
}

#[test]
fn unknown_names_are_typed_from_their_titles() {
    let doc = analyse(STORY, "2015-09-29");
    let jw = doc
        .actors
        .iter()
        .find(|a| a.id == "jane-whitlock")
        .expect("a new person from the title");
    assert_eq!(jw.kind.as_str(), "person");
    assert_eq!(jw.roles, ["analyst"]);
    assert_eq!(
        forms(&doc, "jane-whitlock"),
        [
            "Political analyst Jane Whitlock",
            "Jane Whitlock",
            "Whitlock"
        ]
    );
}

#[test]
fn governments_groups_coalitions_and_anonymous_sources() {
    let doc = analyse(STORY, "2015-09-29");
    assert_eq!(forms(&doc, "syria-government"), ["the Assad regime"]);
    let is = forms(&doc, "islamic-state");
    assert!(is.contains(&"the Islamic State group"), "{is:?}");
    assert!(is.contains(&"the group"), "{is:?}");
    assert!(is.contains(&"the jihadists"), "{is:?}");
    let coalition = forms(&doc, "us-led-coalition");
    assert!(coalition.contains(&"The US-led coalition"), "{coalition:?}");
    assert!(
        coalition.contains(&"The coalition of 65 countries"),
        "{coalition:?}"
    );
    let official = doc
        .actors
        .iter()
        .find(|a| a.id == "united-states-officials")
        .expect("an anonymous source");
    assert!(!official.named);
    assert_eq!(official.country.as_deref(), Some("USA"));
    let russia = forms(&doc, "russia");
    assert!(russia.contains(&"Moscow"), "{russia:?}");
}

#[test]
fn without_a_date_an_office_goes_to_a_holder_the_text_names() {
    let doc = analyse(
        "Barack Obama spoke first in New York. Later the US president met reporters.\n",
        "",
    );
    assert_eq!(
        forms(&doc, "barack-obama"),
        ["Barack Obama", "the US president"]
    );
}

#[test]
fn a_kind_of_actor_takes_its_country_from_in_a_place_and_never_panics_at_the_edge() {
    let doc = analyse(
        "Moscow backed pro-Russian separatists in eastern Ukraine. Rebels fought in. Troops in, the city.\n",
        "2015-09-29",
    );
    let rebels = forms(&doc, "ukraine-rebels");
    // the phrase with its place, and the phrase alone
    assert_eq!(
        rebels,
        [
            "pro-Russian separatists in eastern Ukraine",
            "pro-Russian separatists"
        ]
    );
    assert!(forms(&doc, "russia-rebels").is_empty());
    for m in &doc.mentions {
        assert!(m.range.start <= m.range.end && (m.range.end as usize) <= doc.body.len());
    }
}

#[test]
fn headlines_and_captions_name_actors_too() {
    // a scrape: headline, a photo caption the cleaner sets aside, then the body
    let text = "\
Merkel and Hollande meet on Ukraine

German Chancellor Angela Merkel, left, and French President Francois Hollande arrive in Paris, Monday, Feb. 2, 2015. (AP Photo/Michel Euler)

Germany and France pressed for a new ceasefire in eastern Ukraine on Monday, officials in both capitals said after a long meeting.

The talks in Paris lasted four hours and ended without a joint statement, though both sides called them useful.
";
    let raw = RawDoc {
        id: DocId("t".into()),
        source: "t".into(),
        kind: DocKind::Text,
        text: text.into(),
        meta: RawMeta::default(),
    };
    let doc = Pipeline::standard().expect("models load").process(raw);
    assert!(
        !doc.body.contains("Angela Merkel"),
        "the caption is not body"
    );
    assert_eq!(doc.captions.len(), 1);
    let side: Vec<(&str, SidePlace, &str)> = doc
        .side_mentions
        .iter()
        .map(|m| {
            let text = match m.place {
                SidePlace::Title => &doc.title.as_deref().unwrap()[m.range.as_usize()],
                SidePlace::Caption => &doc.raw[m.range.as_usize()],
            };
            (doc.actors[m.actor as usize].id.as_str(), m.place, text)
        })
        .collect();
    assert!(
        side.contains(&("angela-merkel", SidePlace::Title, "Merkel")),
        "{side:?}"
    );
    assert!(
        side.contains(&(
            "angela-merkel",
            SidePlace::Caption,
            "German Chancellor Angela Merkel"
        )),
        "{side:?}"
    );
    assert!(
        side.contains(&("francois-hollande", SidePlace::Caption, "Francois Hollande")),
        "{side:?}"
    );
    // an actor the body names too keeps one index: France in the caption is the body's France
    let france: Vec<u32> = doc
        .mentions
        .iter()
        .map(|m| m.actor)
        .chain(doc.side_mentions.iter().map(|m| m.actor))
        .filter(|&i| doc.actors[i as usize].id == "france")
        .collect();
    assert!(
        france.len() >= 2 && france.iter().all(|&i| i == france[0]),
        "{france:?}"
    );
}

#[test]
fn oppositions_and_coalitions_read_from_their_context() {
    let doc = analyse(
        "\
Turkey is worried armed groups opposed to Assad could lose ground. Jets struck the moderate opposition, which only bolsters the Assad regime.

The US-led coalition against Islamic State met in Paris. Diplomats said coalition members would target the terror group again.

Iran and Russia are a coalition of two. Washington says it has a global coalition organised, and it wants a new coalition of moderate, secular, and inclusive forces.
",
        "2015-09-29",
    );
    // no "worried" in the phrase; an opposition with no country is the one of the
    // government the sentence names
    let opposition = forms(&doc, "syria-opposition");
    assert_eq!(
        opposition,
        ["armed groups opposed to Assad", "the moderate opposition"]
    );
    // the target inside the coalition's name is named, and "the terror group" is it
    let is = forms(&doc, "islamic-state");
    assert!(is.contains(&"the terror group"), "{is:?}");
    // a global coalition is not the coalition of two
    let coalition = forms(&doc, "us-led-coalition");
    assert!(coalition.contains(&"a global coalition"), "{coalition:?}");
    assert!(coalition.contains(&"coalition"), "{coalition:?}");
    let fresh = doc
        .actors
        .iter()
        .find(|a| a.name.starts_with("new coalition"))
        .expect("a new coalition");
    assert_eq!(
        fresh.name,
        "new coalition of moderate, secular, and inclusive forces"
    );
}

#[test]
fn peoples_without_a_state_are_placed_where_they_live() {
    let doc = analyse(
        "\
Ethnic Albanians in south Serbia are demanding more rights. Egyptian police dispersed Moslem fundamentalist demonstrators.

A group of Yoruba leaders said they would back Nigerian President Olusegun Obasanjo. The Albanians were not consulted.
",
        "2001-03-01",
    );
    let country_of = |form: &str| {
        doc.mentions
            .iter()
            .find(|m| doc.text(m.range) == form)
            .and_then(|m| doc.actors[m.actor as usize].country.clone())
    };
    // the place the phrase names, else the nearest country before it, else after
    assert_eq!(
        country_of("Ethnic Albanians in south Serbia").as_deref(),
        Some("SRB")
    );
    assert_eq!(
        country_of("Moslem fundamentalist demonstrators").as_deref(),
        Some("EGY")
    );
    assert_eq!(country_of("Yoruba leaders").as_deref(), Some("NGA"));
    // a demonym alone is its own country's people
    assert_eq!(country_of("The Albanians").as_deref(), Some("ALB"));
}

#[test]
fn misspelt_and_titled_names_find_the_knowledge_base_person() {
    let doc = analyse(
        "\
President Francois Mitterand welcomed the visitors. Young Algerians pressed President Bouteflika's government for change.

King Hassan of Morocco said he would host the talks.
",
        "1990-03-01",
    );
    let ids: Vec<&str> = doc.actors.iter().map(|a| a.id.as_str()).collect();
    assert!(ids.contains(&"francois-mitterrand"), "{ids:?}");
    assert!(ids.contains(&"abdelaziz-bouteflika"), "{ids:?}");
    // a person the text gives another country than the knowledge base's namesake
    let hassan = doc
        .mentions
        .iter()
        .find(|m| doc.text(m.range) == "King Hassan")
        .map(|m| &doc.actors[m.actor as usize])
        .expect("King Hassan");
    assert_eq!(hassan.country.as_deref(), Some("MAR"));
}

#[test]
fn an_unnamed_official_belongs_to_the_body_named_with_it_and_can_be_he() {
    let doc = analyse(
        "\
A senior Hamas official said the group was ready to negotiate. He said talks could resume soon.

U.S. Secretary of State Antony Blinken said the talks would continue.
",
        "2024-05-01",
    );
    let official = forms(&doc, "hamas-officials");
    assert_eq!(official, ["A senior Hamas official", "He"]);
    let a = doc
        .actors
        .iter()
        .find(|a| a.id == "hamas-officials")
        .unwrap();
    assert!(!a.named);
    assert_eq!(a.affiliation.as_deref(), Some("hamas"));
    // the office in a title is no actor of its own
    assert!(doc
        .actors
        .iter()
        .all(|a| !a.id.contains("secretary-of-state")));
}

#[test]
fn a_capitalised_office_is_its_holder_not_a_name() {
    // no publication date: the office goes to a holder the text has named
    let doc = analyse(
        "\"We will not stand aside,\" said Vladimir Putin.\n\nThe Russian President added that his country would act within the law.\n",
        "",
    );
    assert_eq!(
        forms(&doc, "vladimir-putin"),
        ["Vladimir Putin", "The Russian President", "his"]
    );
}

#[test]
fn a_body_named_by_one_common_word_is_told_apart_by_its_country() {
    let ids = |text: &str| -> Vec<String> {
        let doc = analyse(text, "2015-09-29");
        doc.actors
            .iter()
            .filter(|a| a.name == "Court")
            .map(|a| a.id.clone())
            .collect()
    };
    // both documents' "Court" would otherwise be one actor of the whole corpus
    let kenya = ids("Kenya's Supreme Court ruled on Monday that the election was void.");
    let peru = ids("Peru's Supreme Court ruled on Monday that the decree was void.");
    assert_eq!(kenya.len(), 1, "{kenya:?}");
    assert_eq!(peru.len(), 1, "{peru:?}");
    assert_ne!(kenya, peru);
}

#[test]
fn the_officials_of_an_organisation_of_no_country_have_its_code() {
    let doc = analyse(
        "Red Cross officials visited the prison in Nairobi on Tuesday.",
        "2015-09-29",
    );
    let officials = doc
        .actors
        .iter()
        .find(|a| a.id == "icrc-officials")
        .expect("the officials");
    let icrc = doc
        .actors
        .iter()
        .find(|a| a.id == "icrc")
        .expect("the Red Cross");
    assert!(icrc.cameo.is_some());
    assert_eq!(officials.cameo, icrc.cameo);
}
