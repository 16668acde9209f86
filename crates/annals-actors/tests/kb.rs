//! The bundled knowledge base: seed actors found under their aliases, word boundaries,
//! dated roles, user files and the consistency of the data.

use annals_actors::{ActorKind, AliasKind, Date, KnowledgeBase, Source};
use std::collections::HashSet;

/// `(text, id)` of every match in `text`.
fn found(kb: &KnowledgeBase, text: &str) -> Vec<(String, String)> {
    kb.matcher()
        .find_iter(text)
        .map(|m| {
            (
                m.range.slice(text).to_string(),
                kb.entry(m.entry()).id.clone(),
            )
        })
        .collect()
}

fn has(found: &[(String, String)], text: &str, id: &str) -> bool {
    found.iter().any(|(t, i)| t == text && i == id)
}

fn date(s: &str) -> Date {
    Date::parse(s).unwrap()
}

#[test]
fn obama_under_his_names() {
    let kb = KnowledgeBase::bundled();
    let text = "US President Barack Obama met aides. Obama said Mr Obama would speak. \
                Barack Obama later left.";
    let f = found(kb, text);
    assert!(has(&f, "Barack Obama", "barack-obama"), "{f:?}");
    assert!(has(&f, "Obama", "barack-obama"), "{f:?}");
    assert!(has(&f, "Mr Obama", "barack-obama"), "{f:?}");
    // "US President Barack Obama": either one match or "US" + the name.
    let first_obama = f.iter().find(|(_, id)| id == "barack-obama").unwrap();
    assert!(
        first_obama.0.ends_with("Barack Obama"),
        "first Obama mention is {first_obama:?}"
    );
}

#[test]
fn islamic_state_under_all_its_names() {
    let kb = KnowledgeBase::bundled();
    let text = "ISIL fighters, whom others call ISIS, IS or Daesh, fled. The Islamic State \
                group, or Islamic State, lost ground; the so-called Islamic State said so.";
    let f = found(kb, text);
    for alias in [
        "ISIL",
        "ISIS",
        "IS",
        "Daesh",
        "Islamic State group",
        "Islamic State",
    ] {
        assert!(
            has(&f, alias, "islamic-state"),
            "{alias} not found in {f:?}"
        );
    }
    assert!(
        f.iter().all(|(_, id)| id == "islamic-state"),
        "only IS in {f:?}"
    );
}

#[test]
fn seats_of_government_name_their_country() {
    let kb = KnowledgeBase::bundled();
    let text = "The Kremlin denied it. Moscow and Washington disagreed; the White House, \
                Downing Street and the Pentagon said nothing. Damascus, Beijing and Tehran \
                were silent.";
    let mut kinds = Vec::new();
    for m in kb.matcher().find_iter(text) {
        kinds.push((
            m.range.slice(text).to_string(),
            kb.entry(m.entry()).id.clone(),
            m.kind(),
        ));
    }
    let want = [
        ("Kremlin", "russia", AliasKind::Seat),
        ("Moscow", "russia", AliasKind::Capital),
        ("Washington", "united-states", AliasKind::Capital),
        ("White House", "united-states", AliasKind::Seat),
        ("Downing Street", "united-kingdom", AliasKind::Seat),
        ("Pentagon", "united-states", AliasKind::Seat),
        ("Damascus", "syria", AliasKind::Capital),
        ("Beijing", "china", AliasKind::Capital),
        ("Tehran", "iran", AliasKind::Capital),
    ];
    for (t, id, k) in want {
        assert!(
            kinds.iter().any(|(a, b, c)| a == t && b == id && *c == k),
            "{t} → {id} ({k:?}) not in {kinds:?}"
        );
    }
    let russia = kb.get("russia").unwrap();
    assert_eq!(russia.government_cameo().as_deref(), Some("RUSGOV"));
}

#[test]
fn coalitions_and_demonyms() {
    let kb = KnowledgeBase::bundled();
    let text = "The US-led coalition and the anti-ISIL coalition struck; Russian, Syrian, \
                French and British jets joined. Americans and Syrians watched.";
    let f = found(kb, text);
    assert!(has(&f, "US-led coalition", "us-led-coalition"), "{f:?}");
    assert!(has(&f, "anti-ISIL coalition", "us-led-coalition"), "{f:?}");
    for (t, id) in [
        ("Russian", "russia"),
        ("Syrian", "syria"),
        ("French", "france"),
        ("British", "united-kingdom"),
        ("Americans", "united-states"),
        ("Syrians", "syria"),
    ] {
        assert!(has(&f, t, id), "{t} not in {f:?}");
    }
}

#[test]
fn a_countrys_name_means_that_country_and_ordinary_words_name_none() {
    let kb = KnowledgeBase::bundled();
    // every entry an alias names, not just the first
    let all = |text: &str| -> Vec<(String, String)> {
        kb.matcher()
            .find_iter(text)
            .flat_map(|m| {
                let t = m.range.slice(text).to_string();
                m.targets()
                    .iter()
                    .map(move |x| (t.clone(), kb.entry(x.entry).id.clone()))
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    // Phoenix lists "American" and "Samoa" among American Samoa's names
    let f = all("Two American aid groups left Samoa.");
    assert!(has(&f, "American", "united-states"), "{f:?}");
    assert!(!f.iter().any(|(_, id)| id == "american-samoa"), "{f:?}");
    // ... "Nation" and "Caucasus" among Georgia's, "Organization" among a group's
    let f = all("The Umma (Nation) party of the Caucasus. Organization matters.");
    assert!(
        !f.iter()
            .any(|(t, _)| matches!(t.as_str(), "Nation" | "Caucasus" | "Organization")),
        "{f:?}"
    );
}

#[test]
fn word_boundaries_and_case() {
    let kb = KnowledgeBase::bundled();
    let m = |t: &str| found(kb, t);
    assert!(
        m("He sailed to the ISLAND.").is_empty(),
        "{:?}",
        m("ISLAND")
    );
    assert!(m("this is what it is").is_empty(), "{:?}", m("this is"));
    assert!(m("Tell us about it, he asked us.").is_empty());
    assert!(
        m("who knows what the un-named man saw").is_empty(),
        "{:?}",
        m("who knows what the un-named man saw")
    );
    assert!(m("Obamacare was debated.").is_empty());
    assert!(m("They ate turkey and china plates.").is_empty());
    let f = m("US troops and U.S. aid reached the UN; IS fled.");
    assert!(has(&f, "US", "united-states"), "{f:?}");
    assert!(has(&f, "U.S.", "united-states"), "{f:?}");
    assert!(has(&f, "UN", "united-nations"), "{f:?}");
    assert!(has(&f, "IS", "islamic-state"), "{f:?}");
    // A word that merely ends in an alias is not that alias ("FIS" is not "IS").
    let f = m("The Islamic Salvation Front (FIS) met.");
    assert!(!f.iter().any(|(t, _)| t == "FIS"), "{f:?}");
    assert!(
        has(&f, "Islamic Salvation Front", "islamic-salvation-front"),
        "{f:?}"
    );
    // Headlines in capitals still match names; a possessive or hyphen is a boundary.
    let f = m("OBAMA MEETS PUTIN; Russia's envoy and pro-Assad forces");
    assert!(has(&f, "OBAMA", "barack-obama"), "{f:?}");
    assert!(has(&f, "PUTIN", "vladimir-putin"), "{f:?}");
    assert!(has(&f, "Russia", "russia"), "{f:?}");
    assert!(has(&f, "Assad", "bashar-al-assad"), "{f:?}");
    // Lowercase-initial aliases match at a sentence start too, and after a hyphen.
    let f = m("Al-Qaeda and al-Qaeda; the peshmerga and anti-ISIS coalition");
    assert!(has(&f, "Al-Qaeda", "al-qaeda"), "{f:?}");
    assert!(has(&f, "al-Qaeda", "al-qaeda"), "{f:?}");
    assert!(has(&f, "peshmerga", "peshmerga"), "{f:?}");
    assert!(has(&f, "anti-ISIS coalition", "us-led-coalition"), "{f:?}");
    // A longer alias in the wrong case falls back to a shorter one at the same place.
    let f = m("Abu Bakr al-Baghdadi and Sergei lavrov");
    assert!(
        has(&f, "Abu Bakr al-Baghdadi", "abu-bakr-al-baghdadi"),
        "{f:?}"
    );
    assert!(!f.iter().any(|(t, _)| t.contains("lavrov")), "{f:?}");
    // Offsets are byte offsets, also after non-ASCII text.
    let text = "Ça va — Moscow";
    let mm: Vec<_> = kb.matcher().find_iter(text).collect();
    assert_eq!(mm.len(), 1);
    assert_eq!(mm[0].range.slice(text), "Moscow");
}

#[test]
fn dated_roles() {
    let kb = KnowledgeBase::bundled();
    let cases = [
        ("USA head of state", "2015-09-28", "barack-obama"),
        ("USA head of state", "2009-01-20", "barack-obama"),
        ("USA head of state", "2009-01-19", "george-w-bush"),
        ("usa HEAD of state", "1985-06-01", "ronald-reagan"),
        ("RUS head of state", "2015-09-28", "vladimir-putin"),
        ("RUS head of state", "2010-01-01", "dmitry-medvedev"),
        ("RUS head of government", "2010-01-01", "vladimir-putin"),
        ("RUS foreign minister", "2015-09-28", "sergei-lavrov"),
        ("USA foreign minister", "2015-09-28", "john-kerry"),
        ("USA defence minister", "2015-09-28", "ash-carter"),
        ("GBR head of government", "2015-09-28", "david-cameron"),
        ("FRA head of state", "2015-09-28", "francois-hollande"),
        ("CHN head of state", "2015-09-28", "xi-jinping"),
        ("UN secretary-general", "2015-09-28", "ban-ki-moon"),
        (
            "UN secretary-general",
            "1995-01-01",
            "boutros-boutros-ghali",
        ),
    ];
    for (role, day, want) in cases {
        assert_eq!(kb.holder_of(role, date(day)), Some(want), "{role} on {day}");
    }
    assert_eq!(kb.holder_of("USA head of state", date("1700-01-01")), None);
    assert_eq!(kb.holder_of("no such role", date("2015-01-01")), None);
    let obama = kb.get("barack-obama").unwrap();
    assert_eq!(obama.gender, Some(annals_actors::Gender::Male));
    assert!(obama
        .roles_on(date("2015-09-28"))
        .any(|r| r.key == "USA head of government"));
}

#[test]
fn user_toml_file() {
    let dir = std::env::temp_dir().join(format!("annals-actors-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("actors.toml");
    std::fs::write(
        &path,
        r#"
[[actor]]
id = "lilia-shevtsova"
name = "Lilia Shevtsova"
type = "person"
country = "RUS"
gender = "female"
aliases = ["Shevtsova"]

[[actor.roles]]
role = "RUS analyst"
from = "2000-01-01"

[[actor]]
id = "islamic-state"
aliases = ["Tanzim al-Dawla"]
"#,
    )
    .unwrap();
    let kb = KnowledgeBase::with_user_file(&path).unwrap();
    std::fs::remove_dir_all(&dir).ok();
    let text = "Political analyst Lilia Shevtsova said Tanzim al-Dawla was weak; Shevtsova added.";
    let f = found(&kb, text);
    assert!(has(&f, "Lilia Shevtsova", "lilia-shevtsova"), "{f:?}");
    assert!(has(&f, "Shevtsova", "lilia-shevtsova"), "{f:?}");
    assert!(has(&f, "Tanzim al-Dawla", "islamic-state"), "{f:?}");
    assert_eq!(
        kb.holder_of("RUS analyst", date("2015-01-01")),
        Some("lilia-shevtsova")
    );
    let e = kb.get("lilia-shevtsova").unwrap();
    assert_eq!(e.kind, ActorKind::Person);
    assert_eq!(e.country.as_deref(), Some("RUS"));

    // Errors are typed and name the problem.
    let bad = |toml: &str| {
        KnowledgeBase::from_sources(&[
            Source::tsv("countries.tsv", annals_actors::BUNDLED[0].1),
            Source::toml("user.toml", toml),
        ])
        .unwrap_err()
        .to_string()
    };
    let e = bad("[[actor]]\nid = \"x\"\nname = \"X\"\ntype = \"person\"\ncountry = \"XXX\"\n");
    assert!(e.contains("unknown country code `XXX`"), "{e}");
    let e = bad("[[actor]]\nid = \"x\"\nname = \"X\"\n");
    assert!(e.contains("needs a type"), "{e}");
    let e = bad("[[actor]]\nid = \"x\"\nnmae = \"X\"\n");
    assert!(e.contains("user.toml"), "{e}");
    assert!(KnowledgeBase::with_user_file("/no/such/file.toml").is_err());
}

#[test]
fn bundled_data_is_consistent() {
    let kb = KnowledgeBase::bundled();
    let mut ids = HashSet::new();
    let mut countries = 0;
    for e in kb.entries() {
        assert!(ids.insert(e.id.as_str()), "duplicate id {}", e.id);
        assert!(!e.id.is_empty() && !e.id.contains(char::is_whitespace));
        assert!(
            e.id.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "id {} is not a slug",
            e.id
        );
        assert!(!e.name.trim().is_empty(), "{} has no name", e.id);
        if let Some(c) = &e.country {
            assert!(kb.country(c).is_some(), "{}: unknown country {c}", e.id);
        }
        assert!(!e.aliases.is_empty(), "{} has no alias", e.id);
        for a in &e.aliases {
            assert!(!a.text.trim().is_empty(), "{} has an empty alias", e.id);
            assert_eq!(
                a.text,
                a.text.trim(),
                "{}: alias {:?} untrimmed",
                e.id,
                a.text
            );
        }
        if e.kind == ActorKind::Country {
            countries += 1;
        }
        if e.kind != ActorKind::Person {
            assert!(e.roles.is_empty(), "{} has roles but is no person", e.id);
        }
        for r in &e.roles {
            if let (Some(f), Some(t)) = (r.span.from, r.span.to) {
                assert!(f < t, "{}: role {} ends before it starts", e.id, r.key);
            }
        }
    }
    assert!(countries >= 249, "{countries} countries");
    // Every tenure of a role ends before the next one starts (or on that day).
    for key in kb.role_keys() {
        let spans: Vec<_> = kb.holders(key).map(|(s, _)| s).collect();
        for w in spans.windows(2) {
            if let (Some(end), Some(next)) = (w[0].to, w[1].from) {
                assert!(end <= next, "{key}: {} overlaps {}", w[0], w[1]);
            }
        }
    }
}
