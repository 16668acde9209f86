//! The events stage inside the standard pipeline: who did what to whom, and when.

use annals_engine::record::{event_records, event_reports};
use annals_engine::Pipeline;
use annals_model::output::EventRecord;
use annals_model::{DocId, DocKind, Document, RawDoc, RawMeta};

fn analyse(id: &str, text: &str, published: Option<&str>) -> Document {
    let raw = RawDoc {
        id: DocId(id.into()),
        source: id.into(),
        kind: DocKind::Text,
        text: text.into(),
        meta: RawMeta {
            title: Some("A headline".into()),
            published: published.map(Into::into),
            ..Default::default()
        },
    };
    Pipeline::standard().expect("models load").process(raw)
}

fn records(docs: &[Document]) -> Vec<EventRecord> {
    let reports: Vec<_> = docs.iter().flat_map(event_reports).collect();
    event_records(&reports)
}

/// `source -> target root date` for each event, for assertions a person can read.
fn lines(events: &[EventRecord]) -> Vec<String> {
    events
        .iter()
        .map(|e| {
            format!(
                "{} -> {} {} {}",
                e.source.as_deref().unwrap_or("-"),
                e.target.as_deref().unwrap_or("-"),
                &e.cameo[..2],
                e.date.as_deref().unwrap_or("-")
            )
        })
        .collect()
}

#[test]
fn a_meeting_is_dated_by_its_weekday_not_the_publication_date() {
    // published Wednesday 9 March 2016: "on Monday" is the 7th
    let doc = analyse(
        "a",
        "German Chancellor Angela Merkel met Russian President Vladimir Putin in Berlin on Monday, officials said.",
        Some("2016-03-09"),
    );
    let got = lines(&records(&[doc]));
    assert!(
        got.iter()
            .any(|l| l == "angela-merkel -> vladimir-putin 04 2016-03-07"),
        "{got:?}"
    );
}

#[test]
fn sanctions_and_attacks_have_their_codes_and_classes() {
    let doc = analyse(
        "a",
        "The United States imposed sanctions on Iran.\n\nIsraeli jets bombed Hamas positions in Gaza.",
        Some("2016-03-09"),
    );
    let ev = records(&[doc]);
    let sanction = ev
        .iter()
        .find(|e| e.cameo.starts_with("16"))
        .unwrap_or_else(|| panic!("no sanction in {:?}", lines(&ev)));
    assert_eq!(sanction.source.as_deref(), Some("united-states"));
    assert_eq!(sanction.target.as_deref(), Some("iran"));
    assert_eq!(sanction.quad_class, 4);
    assert!(sanction.goldstein < 0.0);
    // every event points back to its sentence and the words of its action
    for e in &ev {
        let m = &e.mentions[0];
        assert!(
            m.sentence.contains(m.action.as_deref().unwrap_or("")),
            "{m:?}"
        );
    }
}

#[test]
fn no_date_in_the_text_means_no_date() {
    let doc = analyse(
        "a",
        "Russia annexed Crimea from Ukraine.",
        Some("2016-03-09"),
    );
    let ev = records(&[doc]);
    let annex = ev
        .iter()
        .find(|e| e.target.as_deref() == Some("ukraine"))
        .unwrap_or_else(|| panic!("no annexation in {:?}", lines(&ev)));
    assert_eq!(annex.source.as_deref(), Some("russia"));
    assert_eq!(annex.date, None, "never the publication date");
}

#[test]
fn a_denied_action_is_not_coded_and_a_considered_one_is_a_threat() {
    let doc = analyse(
        "a",
        "Turkey did not attack Syria.\n\nTurkey is considering airstrikes against Syria.",
        Some("2016-03-09"),
    );
    let ev = records(&[doc]);
    assert!(
        !ev.iter()
            .any(|e| e.cameo.starts_with("19") || e.cameo.starts_with("18")),
        "{:?}",
        lines(&ev)
    );
    let threat = ev
        .iter()
        .find(|e| e.cameo.starts_with("13"))
        .unwrap_or_else(|| panic!("no threat in {:?}", lines(&ev)));
    assert_eq!(threat.modality, "considered");
}

#[test]
fn two_outlets_reporting_one_meeting_give_one_event_per_side() {
    let a = analyse(
        "a",
        "Chinese President Xi Jinping held talks with Indian Prime Minister Narendra Modi on Tuesday.",
        Some("2016-03-09"),
    );
    let b = analyse(
        "b",
        "Mr Modi and Mr Xi met for two hours, their first meeting this year.",
        None,
    );
    let ev = records(&[a, b]);
    // b tells both sides of the meeting (Modi with Xi and Xi with Modi); each side is
    // one event, and a's report joins Xi's
    let meetings: Vec<_> = ev
        .iter()
        .filter(|e| e.cameo.starts_with("04") && e.source.as_deref() == Some("xi-jinping"))
        .collect();
    assert_eq!(meetings.len(), 1, "{:?}", lines(&ev));
    let mut docs: Vec<&str> = meetings[0]
        .mentions
        .iter()
        .map(|m| m.doc.as_str())
        .collect();
    docs.dedup();
    assert_eq!(docs, ["a", "b"]);
    assert_eq!(meetings[0].date.as_deref(), Some("2016-03-08"));
}

#[test]
fn refusing_or_not_doing_a_cooperative_act_is_a_rejection() {
    let doc = analyse(
        "a",
        "Pakistan has refused to deploy peacekeepers in Iraq.\n\nSerbia on Thursday flatly rejected an Australian ultimatum.",
        Some("2016-03-09"),
    );
    let ev = records(&[doc]);
    let got = lines(&ev);
    assert!(
        got.iter()
            .any(|l| l.starts_with("pakistan -> ") && l.contains(" 12 ")),
        "{got:?}"
    );
    assert!(
        got.iter()
            .any(|l| l.starts_with("serbia -> ") && l.contains(" 12 ")),
        "{got:?}"
    );
}

#[test]
fn a_yearless_date_in_an_undated_page_takes_the_year_of_the_story() {
    // page a is dated; page b has no date, reports the same meeting, and names an
    // earlier call on "September 15" without a year
    let a = analyse(
        "a",
        "Chinese President Xi Jinping held talks with Indian Prime Minister Narendra Modi on Tuesday.",
        Some("2016-10-05"),
    );
    let b = analyse(
        "b",
        "Mr Modi and Mr Xi met for two hours on Tuesday.\n\nThe talks were arranged after Japan imposed sanctions on North Korea on September 15.",
        None,
    );
    let got = lines(&records(&[a, b]));
    assert!(
        got.iter()
            .any(|l| l == "japan -> north-korea 16 2016-09-15"),
        "{got:?}"
    );
}

#[test]
fn a_reported_demand_linked_only_by_the_quotes_stage_is_the_speakers() {
    let doc = analyse(
        "a",
        "Iran should stop supporting the rebels, German Chancellor Angela Merkel told reporters in Berlin on Monday.",
        Some("2016-03-09"),
    );
    let got = lines(&records(&[doc]));
    assert!(
        got.iter()
            .any(|l| l == "angela-merkel -> iran 10 2016-03-07"),
        "{got:?}"
    );
}

#[test]
fn a_hostile_act_announced_with_a_condition_is_a_threat_and_a_cooperative_one_an_offer() {
    let doc = analyse(
        "a",
        "The European Union will impose sanctions on Iran unless it stops enriching uranium.\n\nFrance would welcome Russia in the coalition if it stops bombing the rebels.",
        Some("2016-03-09"),
    );
    let ev = records(&[doc]);
    let got = lines(&ev);
    assert!(
        got.iter()
            .any(|l| l.starts_with("european-union -> iran 13")),
        "{got:?}"
    );
    assert!(
        !got.iter().any(|l| l.starts_with("france -> russia 13")),
        "{got:?}"
    );
}

#[test]
fn what_only_a_condition_supposes_is_not_coded_and_the_threat_is_made_to_whoever_must_meet_it() {
    let doc = analyse(
        "a",
        "Turkey will expel the Dutch ambassador if the Netherlands bans the rally.\n\nEgypt would welcome Israeli envoys if they came to Cairo.",
        Some("2016-03-09"),
    );
    let got = lines(&records(&[doc]));
    // the threat, to the country that must meet the condition
    assert!(
        got.iter()
            .any(|l| l.starts_with("turkey -> netherlands") && l.contains(" 13 ")),
        "{got:?}"
    );
    // neither the ban nor the envoys' coming happened
    assert!(
        !got.iter().any(|l| l.starts_with("netherlands ->")),
        "{got:?}"
    );
    assert!(!got.iter().any(|l| l.contains(" 04 ")), "{got:?}");
}

#[test]
fn what_a_demand_asks_for_is_not_coded_and_its_subject_is_the_target() {
    let doc = analyse(
        "a",
        "France demanded that Germany release the prisoners.\n\nChina urged Japan to withdraw its troops.",
        Some("2016-03-09"),
    );
    let got = lines(&records(&[doc]));
    assert!(
        got.iter().any(|l| l.starts_with("france -> germany 10")),
        "{got:?}"
    );
    assert!(
        got.iter().any(|l| l.starts_with("china -> japan ")),
        "{got:?}"
    );
    // no release by Germany, no withdrawal by anyone
    assert!(!got.iter().any(|l| l.starts_with("germany ->")), "{got:?}");
    assert!(
        !got.iter()
            .any(|l| l.contains(" 08 ") && !l.starts_with("china")),
        "{got:?}"
    );
}

#[test]
fn an_attack_tried_is_coded_and_an_announced_suspension_is_the_suspension() {
    let doc = analyse(
        "a",
        "Gunmen tried to assassinate the Pakistani prime minister on Monday.\n\nTurkey announced a suspension of its talks with Russia.",
        Some("2016-03-09"),
    );
    let ev = records(&[doc]);
    let attempt = ev
        .iter()
        .find(|e| e.cameo.starts_with("18"))
        .unwrap_or_else(|| panic!("no attempt in {:?}", lines(&ev)));
    assert_eq!(
        (attempt.cameo.as_str(), attempt.modality.as_str()),
        ("185", "asserted")
    );
    assert!(
        lines(&ev)
            .iter()
            .any(|l| l.starts_with("turkey -> ") && l.contains(" 16 ")),
        "{:?}",
        lines(&ev)
    );
}

#[test]
fn a_nominal_act_reaches_the_party_of_what_it_is_of() {
    let doc = analyse(
        "a",
        "Canada announced a suspension of flights to Egypt.",
        Some("2016-03-09"),
    );
    let got = lines(&records(&[doc]));
    assert!(
        got.iter().any(|l| l.starts_with("canada -> egypt 16")),
        "{got:?}"
    );
}

#[test]
fn what_an_accusation_alleges_is_not_coded() {
    let doc = analyse(
        "a",
        "Venezuela accused Colombia of sheltering armed groups and of attacking its border posts.",
        Some("2016-03-09"),
    );
    let got = lines(&records(&[doc]));
    assert!(
        got.iter()
            .any(|l| l.starts_with("venezuela -> colombia 11")),
        "{got:?}"
    );
    // the sheltering and the attacks are Venezuela's allegation, not events
    assert!(!got.iter().any(|l| l.starts_with("colombia ->")), "{got:?}");
    assert!(!got.iter().any(|l| l.contains(" 19 ")), "{got:?}");
}

#[test]
fn mobilising_reservists_is_a_mobilisation_not_a_rally() {
    let doc = analyse(
        "a",
        "Britain mobilized army reservists for a possible war against Iraq on Tuesday.",
        Some("2003-01-08"),
    );
    let got = lines(&records(&[doc]));
    assert!(
        got.iter()
            .any(|l| l.starts_with("united-kingdom -> ") && l.contains(" 15 ")),
        "{got:?}"
    );
    assert!(!got.iter().any(|l| l.contains(" 14 ")), "{got:?}");
}

#[test]
fn an_intent_verb_says_no_more_than_its_coded_complement() {
    // "prepared to resume shelling" is the threat to shell, not an intent to cooperate
    let doc = analyse(
        "a",
        "The Macedonian army prepared to resume shelling Albanian rebel positions.",
        Some("2001-06-08"),
    );
    let got = lines(&records(&[doc]));
    assert!(got.iter().any(|l| l.contains(" 13 ")), "{got:?}");
    assert!(!got.iter().any(|l| l.contains(" 03 ")), "{got:?}");
}

#[test]
fn the_purpose_of_a_protest_is_no_event_of_its_own() {
    let doc = analyse(
        "a",
        "Kurdish farmers staged a protest in Ankara on Monday to demand compensation from the Turkish government.",
        Some("2001-06-08"),
    );
    let got = lines(&records(&[doc]));
    assert!(got.iter().any(|l| l.contains(" 14 ")), "{got:?}");
    assert!(!got.iter().any(|l| l.contains(" 10 ")), "{got:?}");
}

#[test]
fn a_country_is_coded_as_itself_whatever_state_it_belonged_to() {
    // Phoenix dates Serbia as part of Serbia and Montenegro (SCGSRB) in 1992–2006
    let doc = analyse(
        "a",
        "Serbia on Thursday rejected an Australian ultimatum.",
        Some("2000-03-09"),
    );
    let serbia = doc
        .actors
        .iter()
        .find(|a| a.id == "serbia")
        .unwrap_or_else(|| panic!("no Serbia in {:?}", doc.actors));
    assert_eq!(serbia.cameo.as_deref(), Some("SRB"));
    let got = lines(&records(&[doc]));
    assert!(
        got.iter().any(|l| l.starts_with("serbia -> australia 12")),
        "{got:?}"
    );
}

#[test]
fn coordinated_subjects_of_an_intent_intend_it_toward_each_other() {
    let doc = analyse(
        "a",
        "Russia and China intend to seek joint ways of fighting Islamic State.",
        Some("2015-09-29"),
    );
    let got = lines(&records(&[doc]));
    assert!(
        got.iter().any(|l| l.starts_with("russia -> china 03")),
        "{got:?}"
    );
}

#[test]
fn coordinated_parties_of_a_joint_act_each_keep_their_event() {
    // the merge must not fold the second side back into the first
    let doc = analyse(
        "a",
        "Jordan and Britain agreed to hold joint military exercises next month.",
        Some("2015-09-29"),
    );
    let got = lines(&records(&[doc]));
    for want in ["jordan -> united-kingdom 03", "united-kingdom -> jordan 03"] {
        assert!(got.iter().any(|l| l.starts_with(want)), "{want}: {got:?}");
    }
}

#[test]
fn each_coordinated_target_gets_its_event_but_a_second_verbs_object_does_not() {
    let doc = analyse(
        "a",
        "Russia imposed sanctions on Georgia and Moldova on Monday.",
        Some("2015-09-29"),
    );
    let got = lines(&records(&[doc]));
    for want in ["russia -> georgia 16", "russia -> moldova 16"] {
        assert!(got.iter().any(|l| l.starts_with(want)), "{want}: {got:?}");
    }
    // "bombed" is coordinated with "attacked", not with "Aleppo": Russia bombed Turkey,
    // and attacked only Aleppo
    let doc = analyse("b", "Russia attacked Aleppo and bombed Turkey.", None);
    let got = lines(&records(&[doc]));
    assert!(
        got.iter().any(|l| l.starts_with("russia -> turkey 19")),
        "{got:?}"
    );
    assert_eq!(
        got.iter().filter(|l| l.starts_with("russia -> ")).count(),
        2,
        "{got:?}"
    );
}

#[test]
fn a_time_word_the_parse_took_for_a_subject_is_not_the_source() {
    let doc = analyse(
        "a",
        "Ghana today threatened to expel Nigerian traders.",
        Some("2015-09-29"),
    );
    let got = lines(&records(&[doc]));
    assert!(
        got.iter()
            .any(|l| l.starts_with("ghana -> nigeria-business 13")),
        "{got:?}"
    );
}

#[test]
fn coordinated_subjects_of_an_offer_keep_the_actor_it_is_made_to() {
    let doc = analyse(
        "a",
        "Kenya and Tanzania today said they would welcome Uganda into the bloc.",
        Some("2015-09-29"),
    );
    let got = lines(&records(&[doc]));
    for want in ["kenya -> uganda 03", "tanzania -> uganda 03"] {
        assert!(got.iter().any(|l| l.starts_with(want)), "{want}: {got:?}");
    }
    assert!(
        !got.iter().any(|l| l.starts_with("kenya -> tanzania")),
        "{got:?}"
    );
}

#[test]
fn a_passive_whose_subject_is_the_source_acts_on_its_oblique() {
    let doc = analyse(
        "a",
        "Egypt is opposed to Turkish mediation in the talks.",
        Some("2015-09-29"),
    );
    let got = lines(&records(&[doc]));
    assert!(
        got.iter().any(|l| l.starts_with("egypt -> turkey 12")),
        "{got:?}"
    );
}

#[test]
fn a_verb_the_parse_read_as_a_modifier_of_a_noun_is_the_predicate() {
    // parsed as one noun phrase, "abused" an adjective of "immigrants"
    let doc = analyse("a", "Kenyan police abused Somali immigrants.", None);
    let got = lines(&records(&[doc]));
    assert!(
        got.iter()
            .any(|l| l.starts_with("kenya-police -> somalia-civilians 18")),
        "{got:?}"
    );
    // of two participles, the one with an object: "guided" modifies "missiles"
    let doc = analyse(
        "b",
        "British jets using precision guided missiles killed four Iraqis in an attack.",
        None,
    );
    let got = lines(&records(&[doc]));
    assert!(
        got.iter()
            .any(|l| l.starts_with("united-kingdom") && l.contains(" -> iraq 18")),
        "{got:?}"
    );
}

#[test]
fn a_symmetric_act_is_each_partys() {
    let doc = analyse("a", "Kenya held talks with Uganda on Monday.", None);
    let got = lines(&records(&[doc]));
    for want in ["kenya -> uganda 04", "uganda -> kenya 04"] {
        assert!(got.iter().any(|l| l.starts_with(want)), "{want}: {got:?}");
    }
    // an attack is not
    let doc = analyse("b", "Kenya attacked Uganda on Monday.", None);
    let got = lines(&records(&[doc]));
    assert!(
        !got.iter().any(|l| l.starts_with("uganda -> kenya")),
        "{got:?}"
    );
}

#[test]
fn coordinated_words_that_name_the_parties_give_both_sources() {
    let doc = analyse(
        "a",
        "The Kenyan and Ugandan sides have agreed to share information.",
        None,
    );
    let got = lines(&records(&[doc]));
    for want in ["kenya -> uganda 03", "uganda -> kenya 03"] {
        assert!(got.iter().any(|l| l.starts_with(want)), "{want}: {got:?}");
    }
}

#[test]
fn the_complement_of_a_passive_without_an_agent_is_its_subjects_act() {
    let doc = analyse(
        "a",
        "Kenya is scheduled to attend a summit in Uganda.",
        None,
    );
    let got = lines(&records(&[doc]));
    assert!(
        got.iter().any(|l| l.starts_with("kenya -> uganda 04")),
        "{got:?}"
    );
}

#[test]
fn three_parties_that_meet_meet_each_other_not_the_place() {
    for (id, text) in [
        ("a", "Kenya, Uganda and Tanzania met yesterday."),
        (
            "b",
            "The Kenyans, the Ugandans, and Tanzania met in Arusha on Friday.",
        ),
    ] {
        let got = lines(&records(&[analyse(id, text, None)]));
        for want in [
            "kenya -> uganda 04",
            "kenya -> tanzania 04",
            "uganda -> kenya 04",
            "uganda -> tanzania 04",
            "tanzania -> kenya 04",
            "tanzania -> uganda 04",
        ] {
            assert!(got.iter().any(|l| l.starts_with(want)), "{want}: {got:?}");
        }
        assert!(!got.iter().any(|l| l.contains("arusha")), "{got:?}");
    }
}

#[test]
fn an_inflected_light_verb_turns_its_object_into_the_event() {
    // "renewed": the light verb's lemma is found from its inflected form
    let doc = analyse(
        "a",
        "Egypt and Sudan renewed negotiations today on the border.",
        None,
    );
    let got = lines(&records(&[doc]));
    for want in ["egypt -> sudan 04", "sudan -> egypt 04"] {
        assert!(got.iter().any(|l| l.starts_with(want)), "{want}: {got:?}");
    }
}

#[test]
fn the_two_countries_are_the_pair_last_named_together() {
    let doc = analyse(
        "a",
        "Kenya and Uganda signed a trade deal on Monday. The two countries also agreed to \
         reopen their border. Both sides then held talks with Tanzania.",
        None,
    );
    let got = lines(&records(&[doc]));
    for want in [
        "kenya -> uganda 03",
        "uganda -> kenya 03",
        "kenya -> tanzania 04",
        "uganda -> tanzania 04",
    ] {
        assert!(got.iter().any(|l| l.starts_with(want)), "{want}: {got:?}");
    }
    // with no pair named before, "the two sides" is nobody
    let doc = analyse("b", "The two sides agreed to reopen the border.", None);
    assert!(records(&[doc]).is_empty());
}

#[test]
fn a_government_that_announces_it_is_prepared_to_act_threatens_it() {
    let doc = analyse(
        "a",
        "Kenya's government announced that it is prepared to impose martial law in Nairobi.",
        None,
    );
    let got = lines(&records(&[doc]));
    assert!(
        got.iter()
            .any(|l| l.starts_with("kenya-government -> ") && l.contains(" 13 ")),
        "{got:?}"
    );
}

#[test]
fn a_past_form_the_parse_took_for_the_head_noun_is_the_verb() {
    // "shot" read as a noun with "Ukraine" its compound and "down" a preposition
    let doc = analyse(
        "a",
        "Ukraine shot down a Russian helicopter near the border.",
        None,
    );
    let got = lines(&records(&[doc]));
    assert!(
        got.iter().any(|l| l.starts_with("ukraine -> russia 19")),
        "{got:?}"
    );
}
