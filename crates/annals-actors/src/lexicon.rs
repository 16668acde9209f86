//! The English words the resolver reads noun phrases with: titles and honorifics, role
//! nouns and the offices they name, words for governments, groups, coalitions and anonymous
//! sources, and the Phoenix agent nouns (`data/actors/agents.tsv`) with their CAMEO sectors.
//!
//! All lookups take ASCII-lowercased words.

use rustc_hash::FxHashMap as HashMap;
use std::sync::OnceLock;

/// Which office a role noun names, as the suffix of a knowledge-base role key
/// (`"RUS" + " head of state"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Office {
    /// President, leader, chief: the head of state (or of government where that is the
    /// leader, see [`leader_is_head_of_government`]).
    Leader,
    /// Head of state only: king, queen, emir, monarch.
    HeadOfState,
    /// Prime minister, premier, chancellor.
    HeadOfGovernment,
    /// Foreign minister, top diplomat, secretary of state.
    ForeignMinister,
    /// Defence minister or secretary.
    DefenceMinister,
    /// Vice president.
    VicePresident,
    /// Secretary-general (of an organisation: the UN's).
    SecretaryGeneral,
}

impl Office {
    /// The role-key suffix in `data/actors/offices.tsv`.
    pub(crate) fn key_suffix(self, parliamentary: bool) -> &'static str {
        match self {
            Office::Leader if parliamentary => "head of government",
            Office::Leader | Office::HeadOfState => "head of state",
            Office::HeadOfGovernment => "head of government",
            Office::ForeignMinister => "foreign minister",
            Office::DefenceMinister => "defence minister",
            Office::VicePresident => "vice president",
            Office::SecretaryGeneral => "secretary-general",
        }
    }
}

/// Role nouns, longest first where one ends another ("prime minister" before "minister").
/// Several words are written with spaces and compared word by word.
const OFFICES: &[(&str, Office)] = &[
    ("prime minister", Office::HeadOfGovernment),
    ("premier", Office::HeadOfGovernment),
    ("chancellor", Office::HeadOfGovernment),
    ("head of government", Office::HeadOfGovernment),
    ("foreign minister", Office::ForeignMinister),
    ("foreign secretary", Office::ForeignMinister),
    ("secretary of state", Office::ForeignMinister),
    ("top diplomat", Office::ForeignMinister),
    ("chief diplomat", Office::ForeignMinister),
    ("defence minister", Office::DefenceMinister),
    ("defense minister", Office::DefenceMinister),
    ("defence secretary", Office::DefenceMinister),
    ("defense secretary", Office::DefenceMinister),
    ("secretary of defense", Office::DefenceMinister),
    ("vice president", Office::VicePresident),
    ("vice-president", Office::VicePresident),
    ("secretary-general", Office::SecretaryGeneral),
    ("secretary general", Office::SecretaryGeneral),
    ("head of state", Office::HeadOfState),
    ("president", Office::Leader),
    ("leader", Office::Leader),
    ("chief", Office::Leader),
    ("strongman", Office::Leader),
    ("ruler", Office::Leader),
    ("king", Office::HeadOfState),
    ("queen", Office::HeadOfState),
    ("emir", Office::HeadOfState),
    ("monarch", Office::HeadOfState),
];

/// The office named by the words that end a noun phrase, and how many words it took.
pub(crate) fn office(words: &[&str]) -> Option<(Office, usize)> {
    OFFICES.iter().find_map(|&(phrase, o)| {
        let n = phrase.split(' ').count();
        (words.len() >= n && ends_with(words, phrase)).then_some((o, n))
    })
}

/// Countries where "the leader" is the head of government: parliamentary systems, and
/// monarchies whose prime minister leads.
pub(crate) fn leader_is_head_of_government(iso3: &str) -> bool {
    matches!(
        iso3,
        "GBR"
            | "DEU"
            | "JPN"
            | "ITA"
            | "CAN"
            | "AUS"
            | "IND"
            | "ISR"
            | "ESP"
            | "NLD"
            | "BEL"
            | "SWE"
            | "NOR"
            | "DNK"
            | "IRQ"
            | "PAK"
            | "GRC"
            | "HUN"
            | "CZE"
            | "AUT"
            | "IRL"
            | "NZL"
            | "THA"
            | "MYS"
            | "ETH"
            | "BGD"
            | "NPL"
            | "LBN"
    )
}

/// True when the words of `phrase` are the last words of `words`.
fn ends_with(words: &[&str], phrase: &str) -> bool {
    let p: Vec<&str> = phrase.split(' ').collect();
    words.len() >= p.len() && words[words.len() - p.len()..] == p[..]
}

/// Words that make a name before them a person's title: "President", "analyst", "Mr".
/// Offices count too (see [`office`]).
pub(crate) fn is_title_word(w: &str) -> bool {
    is_honorific(w)
        || office(&[w]).is_some()
        || matches!(
            w,
            "minister"
                | "secretary"
                | "spokesman"
                | "spokeswoman"
                | "spokesperson"
                | "ambassador"
                | "envoy"
                | "diplomat"
                | "analyst"
                | "expert"
                | "commentator"
                | "correspondent"
                | "journalist"
                | "reporter"
                | "editor"
                | "senator"
                | "sen."
                | "congressman"
                | "congresswoman"
                | "rep."
                | "representative"
                | "governor"
                | "gov."
                | "mayor"
                | "general"
                | "gen."
                | "lt."
                | "col."
                | "colonel"
                | "commander"
                | "admiral"
                | "adm."
                | "officer"
                | "official"
                | "adviser"
                | "advisor"
                | "aide"
                | "director"
                | "professor"
                | "prof."
                | "judge"
                | "justice"
                | "lawyer"
                | "attorney"
                | "activist"
                | "cleric"
                | "imam"
                | "pope"
                | "bishop"
                | "archbishop"
                | "sheikh"
                | "prince"
                | "princess"
                | "crown"
                | "chairman"
                | "chairwoman"
                | "chair"
                | "ceo"
                | "founder"
                | "head"
                | "deputy"
                | "candidate"
                | "lawmaker"
                | "mp"
                | "speaker"
                | "commissioner"
                | "coordinator"
                | "negotiator"
                | "scientist"
                | "researcher"
                | "economist"
                | "historian"
                | "writer"
                | "author"
                | "militant"
        )
}

/// A word of a title that may open a name in the knowledge base ("Prime Minister David
/// Cameron", "Secretary of State John Kerry"): a title word or a word of a longer title.
pub(crate) fn is_title_part(w: &str) -> bool {
    is_title_word(w)
        || matches!(
            w,
            "prime"
                | "foreign"
                | "defence"
                | "defense"
                | "vice"
                | "of"
                | "state"
                | "top"
                | "supreme"
                | "interior"
                | "finance"
                | "former"
                | "acting"
                | "then"
        )
}

/// Honorifics: "Mr", "Mrs", "Dr". Returns true for the word with or without its dot.
pub(crate) fn is_honorific(w: &str) -> bool {
    honorific_gender(w).is_some() || matches!(w, "dr" | "dr." | "sir" | "dame" | "lord" | "lady")
}

/// The gender an honorific implies: Some(true) male, Some(false) female.
pub(crate) fn honorific_gender(w: &str) -> Option<bool> {
    match w {
        "mr" | "mr." | "sir" | "lord" | "monsieur" | "herr" => Some(true),
        "mrs" | "mrs." | "ms" | "ms." | "miss" | "madam" | "dame" | "lady" | "madame" => {
            Some(false)
        }
        _ => None,
    }
}

/// Nouns for a country's government when a country or its leader modifies them.
pub(crate) fn is_government_noun(w: &str) -> bool {
    matches!(
        w,
        "government"
            | "governments"
            | "regime"
            | "authorities"
            | "administration"
            | "leadership"
            | "cabinet"
            | "junta"
    )
}

/// Nouns for armed forces: a leader's forces are the government's, a country's are its
/// military.
pub(crate) fn is_force_noun(w: &str) -> bool {
    matches!(
        w,
        "forces" | "troops" | "army" | "military" | "soldiers" | "armed forces"
    )
}

/// Nouns that name an armed group or its members, so that "the group" or "the
/// jihadists" can stand for the group last named, and "Islamic State militants" is the
/// group itself.
pub(crate) fn is_group_noun(w: &str) -> bool {
    matches!(
        w,
        "group"
            | "militants"
            | "jihadists"
            | "fighters"
            | "extremists"
            | "terrorists"
            | "fundamentalists"
            | "insurgents"
            | "militia"
            | "militias"
            | "organisation"
            | "organization"
            | "outfit"
            | "movement"
            | "network"
    )
}

/// Group nouns that refer back to the last group named when they stand with only a
/// determiner and adjectives ("the group", "the terror group", "the jihadists").
pub(crate) fn is_anaphoric_group_noun(w: &str) -> bool {
    matches!(
        w,
        "group" | "militants" | "jihadists" | "extremists" | "terrorists" | "outfit"
    )
}

/// Peoples and faiths without a state of their own, by the words that name them: their
/// members are placed in the country they live in ("Yoruba leaders", "Moslem forces in
/// east Bosnia", "Tamil refugees"). The name is the group's.
pub(crate) fn people_group(w: &str) -> Option<&'static str> {
    Some(match w {
        "kurd" | "kurds" | "kurdish" => "Kurds",
        "hutu" | "hutus" => "Hutu",
        "tutsi" | "tutsis" => "Tutsi",
        "tamil" | "tamils" => "Tamils",
        "karen" => "Karen",
        "kachin" => "Kachin",
        "rohingya" | "rohingyas" => "Rohingya",
        "yoruba" | "yorubas" => "Yoruba",
        "ibo" | "igbo" | "ibos" | "igbos" => "Igbo",
        "hausa" | "hausas" => "Hausa",
        "fulani" => "Fulani",
        "ijaw" => "Ijaw",
        "ogoni" => "Ogoni",
        "pashtun" | "pashtuns" | "pushtun" | "pushtuns" => "Pashtuns",
        "baluch" | "baloch" | "baluchi" => "Baluch",
        "hazara" | "hazaras" => "Hazaras",
        "uighur" | "uighurs" | "uyghur" | "uyghurs" => "Uighurs",
        "tibetan" | "tibetans" => "Tibetans",
        "chechen" | "chechens" => "Chechens",
        "berber" | "berbers" | "kabyle" | "kabyles" => "Berbers",
        "tuareg" | "tuaregs" => "Tuareg",
        "bedouin" | "bedouins" => "Bedouin",
        "druze" => "Druze",
        "alawite" | "alawites" | "alewite" | "alewites" | "alevi" | "alevis" => "Alawites",
        "copt" | "copts" | "coptic" => "Copts",
        "maronite" | "maronites" => "Maronites",
        "yazidi" | "yazidis" => "Yazidis",
        "shiite" | "shiites" | "shia" | "shi'ite" | "shi'ites" => "Shiites",
        "sunni" | "sunnis" => "Sunnis",
        "moslem" | "moslems" | "muslim" | "muslims" => "Muslims",
        "islamist" | "islamists" | "islamic" => "Islamists",
        "christian" | "christians" => "Christians",
        "catholic" | "catholics" => "Catholics",
        "protestant" | "protestants" => "Protestants",
        "jewish" | "jews" => "Jews",
        "hindu" | "hindus" => "Hindus",
        "sikh" | "sikhs" => "Sikhs",
        "buddhist" | "buddhists" => "Buddhists",
        "roma" | "romany" => "Roma",
        "basque" | "basques" => "Basques",
        "catalan" | "catalans" => "Catalans",
        _ => return None,
    })
}

/// Nouns that make a coalition.
pub(crate) fn is_coalition_noun(w: &str) -> bool {
    matches!(w, "coalition" | "alliance" | "allies" | "bloc")
}

/// Nouns for an unnamed source: "a US official", "many commentators".
pub(crate) fn anonymous_noun(w: &str) -> Option<&'static str> {
    Some(match w {
        "official" | "officials" => "officials",
        "diplomat" | "diplomats" => "diplomats",
        "source" | "sources" => "sources",
        "commentator" | "commentators" => "commentators",
        "analyst" | "analysts" => "analysts",
        "expert" | "experts" => "experts",
        "observer" | "observers" => "observers",
        "spokesman" | "spokeswoman" | "spokesperson" => "spokespeople",
        "aide" | "aides" => "aides",
        "witness" | "witnesses" => "witnesses",
        "residents" | "resident" => "residents",
        "activist" | "activists" => "activists",
        "critic" | "critics" => "critics",
        _ => return None,
    })
}

/// Nouns for the states of a region or of a group of countries ("European powers",
/// "Arab states"): the phrase names the region's actor.
pub(crate) fn is_states_noun(w: &str) -> bool {
    matches!(
        w,
        "powers" | "countries" | "nations" | "states" | "governments" | "capitals"
    )
}

/// Nouns that describe a medium or an organisation named inside the phrase: "the
/// Kremlin-backed RT television channel" is RT.
pub(crate) fn is_org_descriptor(w: &str) -> bool {
    matches!(
        w,
        "channel"
            | "newspaper"
            | "daily"
            | "broadcaster"
            | "network"
            | "agency"
            | "station"
            | "television"
            | "weekly"
            | "magazine"
            | "website"
            | "outlet"
            | "company"
            | "firm"
            | "party"
    )
}

/// Determiners that make a phrase definite (it refers back).
pub(crate) fn is_definite(w: &str) -> bool {
    matches!(w, "the" | "this" | "that" | "these" | "those")
}

/// Speech verbs, by lemma-like form, for typing a name that says something.
pub(crate) fn is_speech_verb(w: &str) -> bool {
    matches!(
        w,
        "said"
            | "says"
            | "say"
            | "told"
            | "tells"
            | "added"
            | "adds"
            | "stated"
            | "declared"
            | "argued"
            | "warned"
            | "insisted"
            | "explained"
            | "noted"
            | "wrote"
            | "asked"
            | "claimed"
            | "announced"
    )
}

/// Name endings of organisations: "Defence Ministry", "Wall Street Journal".
pub(crate) fn is_org_name_end(w: &str) -> bool {
    matches!(
        w,
        "ministry"
            | "council"
            | "party"
            | "agency"
            | "committee"
            | "commission"
            | "corporation"
            | "corp"
            | "corp."
            | "inc"
            | "inc."
            | "ltd"
            | "ltd."
            | "bank"
            | "university"
            | "institute"
            | "foundation"
            | "association"
            | "union"
            | "organization"
            | "organisation"
            | "journal"
            | "times"
            | "post"
            | "news"
            | "network"
            | "court"
            | "parliament"
            | "assembly"
            | "senate"
            | "congress"
            | "department"
            | "office"
            | "service"
            | "authority"
            | "command"
            | "group"
            | "company"
            | "club"
            | "school"
            | "college"
            | "hospital"
            | "channel"
            | "tv"
            | "radio"
            | "television"
            | "daily"
            | "herald"
            | "tribune"
            | "gazette"
            | "press"
    )
}

/// Name endings of armed groups: "… Brigades", "… Front".
pub(crate) fn is_group_name_end(w: &str) -> bool {
    matches!(
        w,
        "brigade" | "brigades" | "front" | "militia" | "army" | "movement" | "battalion"
    )
}

/// Month and weekday names, and their abbreviations: capitalised, tagged as proper
/// nouns, and never actors.
pub(crate) fn is_calendar_word(w: &str) -> bool {
    let w = w.trim_end_matches('.');
    // "mid-August", "early-March"
    let w = match w.split_once('-') {
        Some(("mid" | "early" | "late", rest)) => rest,
        _ => w,
    };
    matches!(
        w,
        "january"
            | "february"
            | "march"
            | "april"
            | "may"
            | "june"
            | "july"
            | "august"
            | "september"
            | "october"
            | "november"
            | "december"
            | "jan"
            | "feb"
            | "mar"
            | "apr"
            | "jun"
            | "jul"
            | "aug"
            | "sep"
            | "sept"
            | "oct"
            | "nov"
            | "dec"
            | "monday"
            | "tuesday"
            | "wednesday"
            | "thursday"
            | "friday"
            | "saturday"
            | "sunday"
            | "mon"
            | "tue"
            | "tues"
            | "wed"
            | "thu"
            | "thur"
            | "thurs"
            | "fri"
            | "sat"
            | "sun"
    )
}

/// Words before a name that make it a place: "in Aleppo", "near Homs".
pub(crate) fn is_place_preposition(w: &str) -> bool {
    matches!(
        w,
        "in" | "at" | "near" | "from" | "to" | "across" | "outside" | "inside" | "around"
    )
}

/// The CAMEO sector code of an agent noun phrase (`troops` → `~MIL`), from
/// `data/actors/agents.tsv`. `words` are the last words of a noun phrase; the longest
/// phrase that ends them wins. Returns the code and the number of words it took.
pub(crate) fn agent(words: &[&str]) -> Option<(&'static str, usize)> {
    let table = agents();
    for n in (1..=3.min(words.len())).rev() {
        let key = words[words.len() - n..].join(" ");
        if let Some(code) = table.get(key.as_str()) {
            return Some((code, n));
        }
    }
    None
}

/// The agents table, parsed once.
fn agents() -> &'static HashMap<&'static str, &'static str> {
    static TABLE: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    TABLE.get_or_init(|| {
        AGENTS
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .skip(1)
            .filter_map(|l| l.split_once('\t'))
            .collect()
    })
}

/// `data/actors/agents.tsv`, compiled in.
const AGENTS: &str = include_str!("../../../data/actors/agents.tsv");

/// The name of a CAMEO sector for an actor's name: `MIL` → "military".
pub(crate) fn sector_name(code: &str) -> Option<&'static str> {
    Some(match code {
        "GOV" => "government",
        "MIL" => "military",
        "COP" => "police",
        "REB" => "rebels",
        "OPP" => "opposition",
        "JUD" => "judiciary",
        "LEG" => "legislature",
        "MED" => "media",
        "BUS" => "business",
        "CVL" => "civilians",
        "REF" => "refugees",
        "LAB" => "labour",
        "EDU" => "education",
        "REL" => "religious groups",
        "SPY" => "intelligence services",
        "HLH" => "health sector",
        "AGR" => "agriculture",
        "ELI" => "elites",
        "UAF" => "armed groups",
        "CRM" => "criminals",
        "HRI" => "rights activists",
        "ENV" => "environmental groups",
        "IGO" => "international organisations",
        "NGO" => "non-governmental organisations",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_words_include_mid_month() {
        assert!(is_calendar_word("mid-august"));
        assert!(is_calendar_word("sept."));
        assert!(!is_calendar_word("mid-east"));
    }

    #[test]
    fn offices_take_the_longest_ending() {
        assert_eq!(
            office(&["british", "prime", "minister"]),
            Some((Office::HeadOfGovernment, 2))
        );
        assert_eq!(
            office(&["top", "diplomat"]),
            Some((Office::ForeignMinister, 2))
        );
        assert_eq!(office(&["kremlin", "chief"]), Some((Office::Leader, 1)));
        assert_eq!(office(&["minister"]), None);
        assert_eq!(
            Office::Leader.key_suffix(leader_is_head_of_government("GBR")),
            "head of government"
        );
    }

    #[test]
    fn agent_nouns_come_from_the_phoenix_table() {
        assert_eq!(agent(&["israeli", "troops"]), Some(("~MIL", 1)));
        assert_eq!(agent(&["riot", "police"]).map(|a| a.0), Some("~COP"));
        assert_eq!(agent(&["weather"]), None);
        assert_eq!(sector_name("MIL"), Some("military"));
    }
}
