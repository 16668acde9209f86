//! Regenerate `data/actors/phoenix-actors.tsv` and `data/actors/phoenix-places.tsv` from the
//! Phoenix actor dictionaries of petrarch2 (MIT, Open Event Data Alliance).
//!
//! ```sh
//! cargo run -p annals-actors --example convert_phoenix -- [DICT_DIR] [OUT_DIR]
//! ```
//!
//! `DICT_DIR` defaults to `../shared/peers/petrarch2/dictionaries` beside the workspace,
//! `OUT_DIR` to the workspace's `data/actors`. The output is deterministic.
//!
//! What it does with the TABARI actor format:
//! - A group is a name line, its `+` synonyms and its `[CODE dates]` lines; a name line that
//!   follows a group without codes (no blank line between) is one more synonym.
//! - Dates: `YYMMDD` (YY ≤ 15 is 20YY, else 19YY) or `YYYYMMDD`; `[C A-B]`, `[C >A]`,
//!   `[C <B]`. Codes with digits and agent-only codes (`[ELI]`, `[---]`) are dropped.
//! - A country block (a name line coded with a bare ISO alpha-3 code) becomes place
//!   aliases of that country (`phoenix-places.tsv`).
//! - Everything else becomes an entry. People whose dated codes all end before 1980 are
//!   left out. A group is a person when it has dated codes or comes from CountryInfo and its
//!   name holds no organisation word; a group (armed) when its code marks rebels,
//!   insurgents or militarised groups, or it comes from the MilNonState file; else an
//!   organization.
//! - Names are title-cased (`BASHAR_AL-ASSAD` → `Bashar al-Assad`); one-word names of up to
//!   four letters stay in capitals and so match only in capitals.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::PathBuf;

const FILES: &[&str] = &[
    "Phoenix.Countries.actors.txt",
    "Phoenix.International.actors.txt",
    "Phoenix.MilNonState.actors.txt",
];

const ORG_WORDS: &[&str] = &[
    "ADMINISTRATION",
    "AGENCY",
    "ALLIANCE",
    "ARMY",
    "ASSEMBLY",
    "ASSOCIATION",
    "AUTHORITY",
    "BANK",
    "BOARD",
    "BRIGADE",
    "BRIGADES",
    "BUREAU",
    "CABINET",
    "CENTER",
    "CENTRE",
    "COALITION",
    "COMMISSION",
    "COMMITTEE",
    "COMMUNITY",
    "CONFERENCE",
    "CONGRESS",
    "CORPS",
    "COUNCIL",
    "COURT",
    "DEPARTMENT",
    "FEDERATION",
    "FORCE",
    "FORCES",
    "FOUNDATION",
    "FRONT",
    "FUND",
    "GOVERNMENT",
    "GROUP",
    "GUARD",
    "INSTITUTE",
    "INTERNATIONAL",
    "LEAGUE",
    "MINISTRY",
    "MISSION",
    "MOVEMENT",
    "NATIONS",
    "NAVY",
    "OFFICE",
    "ORGANISATION",
    "ORGANIZATION",
    "PARLIAMENT",
    "PARTY",
    "POLICE",
    "PROGRAM",
    "PROGRAMME",
    "SERVICE",
    "SOCIETY",
    "TRIBUNAL",
    "UNION",
    "UNIVERSITY",
    "WATCH",
];

const LOWER_PARTICLES: &[&str] = &[
    "al", "el", "bin", "ibn", "bint", "de", "del", "della", "der", "da", "di", "du", "dos", "das",
    "van", "von", "le", "la", "of", "the", "and", "for", "on", "in", "ad", "ud", "at", "to", "y",
];

/// One-word aliases that are ordinary words in news text; never kept alone.
const STOP: &[&str] = &[
    "police",
    "army",
    "government",
    "president",
    "minister",
    "military",
    "rebels",
    "forces",
    "court",
    "party",
    "people",
    "state",
    "union",
    "congress",
    "senate",
    "parliament",
    "opposition",
    "cabinet",
    "navy",
    "council",
    "ministry",
    "office",
    "officials",
    "security",
    "justice",
    "defense",
    "defence",
    "health",
    "interior",
    "foreign",
    "media",
    "press",
    "church",
    "students",
    "workers",
    "farmers",
    "soldiers",
    "troops",
    "militants",
    "protesters",
    "voters",
    "leaders",
    "leader",
    "authorities",
    "regime",
    "administration",
    "coalition",
    "alliance",
    "commission",
    "committee",
    "agency",
    "bank",
    "treasury",
    "embassy",
    "consulate",
    "island",
    "islands",
    "city",
    "capital",
    "north",
    "south",
    "east",
    "west",
    "central",
    "national",
    "federal",
    "royal",
    "king",
    "queen",
    "prince",
    "princess",
    "emir",
    "sheikh",
    "pope",
    "bishop",
    "cardinal",
    "imam",
    "ayatollah",
    "general",
    "colonel",
    "captain",
    "major",
    "admiral",
    "chief",
    "director",
    "secretary",
    "ambassador",
    "envoy",
    "spokesman",
    "mayor",
    "governor",
    "senator",
    "judge",
    "prosecutor",
    "attorney",
    "country",
    "republic",
    "kingdom",
    "empire",
    "province",
    "region",
    "district",
    "capital",
    "house",
    "white",
    "black",
    "red",
    "green",
    "blue",
    "new",
    "old",
    "great",
    "free",
    "united",
    // more ordinary words that Phoenix lists as a place's or a group's other name
    // ("Umma (Nation) party" is no Georgian party; "Marches were held" is not in Italy)
    "nation",
    "occupied",
    "organization",
    "organisation",
    "marches",
    // a region of several countries is no one country's name
    "caucasus",
];

const ACRONYMS: &[&str] = &[
    "US", "U.S.", "UN", "U.N.", "UK", "U.K.", "EU", "USA", "NATO", "II", "III", "IV", "IAEA",
    "UNHCR", "UNICEF", "WHO", "OPEC", "ASEAN",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Day(u16, u8, u8);

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct DatedCode {
    code: String,
    from: Option<Day>,
    to: Option<Day>,
}

#[derive(Debug, Default)]
struct Group {
    names: Vec<String>,
    codes: Vec<DatedCode>,
    countryinfo: bool,
    file: usize,
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut args = std::env::args().skip(1);
    let dict = args
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/peers/petrarch2/dictionaries"));
    let out = args
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("data/actors"));
    let countries = std::fs::read_to_string(out.join("countries.tsv"))
        .unwrap_or_else(|e| panic!("{}: {e}", out.join("countries.tsv").display()));
    let country_ids: HashMap<String, String> = countries
        .lines()
        .filter(|l| !l.starts_with('#'))
        .skip(1)
        .filter_map(|l| {
            let mut c = l.split('\t');
            Some((c.next()?.to_string(), c.next()?.to_string()))
        })
        .collect();
    let iso: HashSet<String> = country_ids.keys().cloned().collect();
    // every curated name, alias and demonym of a country (lower case) → its id: such a
    // name means that country, and Phoenix's use of it for another one is dropped
    // ("American" among American Samoa's names, "Samoa" for American Samoa)
    let mut country_names: HashMap<String, Vec<String>> = HashMap::new();
    for (name, id) in countries
        .lines()
        .filter(|l| !l.starts_with('#'))
        .skip(1)
        .flat_map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            let id = c.get(1).copied().unwrap_or("").to_string();
            [2, 3, 4]
                .into_iter()
                .filter_map(|k| c.get(k).copied())
                .flat_map(|cell| cell.split('|'))
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(|n| (n.to_lowercase(), id.clone()))
                .collect::<Vec<_>>()
        })
    {
        country_names.entry(name).or_default().push(id);
    }
    let names_other_country = |name: &str, own: &str| {
        country_names
            .get(&name.to_lowercase())
            .is_some_and(|c| !c.iter().any(|c| c == own))
    };

    let mut groups = Vec::new();
    for (fi, f) in FILES.iter().enumerate() {
        let path = dict.join(f);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            eprintln!(
                "{}: {e}\n(the Phoenix dictionaries are not here; nothing regenerated)",
                path.display()
            );
            std::process::exit(1)
        });
        parse(&text, fi, &mut groups);
    }

    // Country blocks → places; the rest → entries.
    let mut places: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut entries: BTreeMap<String, Entry> = BTreeMap::new();
    let (mut dropped_old, mut dropped_nocode) = (0, 0);
    for g in &groups {
        let codes: Vec<&DatedCode> = g.codes.iter().filter(|c| usable(&c.code)).collect();
        if codes.is_empty() {
            dropped_nocode += 1;
            continue;
        }
        let dated = codes.iter().any(|c| c.from.is_some() || c.to.is_some());
        let country_block =
            !dated && codes.len() == 1 && codes[0].code.len() == 3 && iso.contains(&codes[0].code);
        let names: Vec<String> = dedup(
            g.names
                .iter()
                .flat_map(|n| forms(n, !country_block))
                .collect(),
        );
        if names.is_empty() {
            continue;
        }
        if country_block {
            let id = &country_ids[&codes[0].code];
            places
                .entry(id.clone())
                .or_default()
                .extend(names.into_iter().filter(|n| !names_other_country(n, id)));
            continue;
        }
        if dated
            && codes
                .iter()
                .filter(|c| c.from.is_some() || c.to.is_some())
                .all(|c| c.to.is_some_and(|t| t < Day(1980, 1, 1)))
        {
            dropped_old += 1;
            continue;
        }
        let upper_name = g.names[0].to_uppercase();
        let org_word = upper_name.split(['_', ' ']).any(|w| ORG_WORDS.contains(&w));
        let first = &codes[0].code;
        let armed =
            ["REB", "INS", "UAF"].iter().any(|k| first.contains(k)) || first.starts_with("IMG");
        let kind = if (dated || g.countryinfo) && !org_word {
            "person"
        } else if armed || g.file == 2 {
            "group"
        } else {
            "organization"
        };
        let country = codes
            .iter()
            .map(|c| annals_actors::iso_of_cameo(c.code.get(..3).unwrap_or("")))
            .find(|c| iso.contains(*c))
            .unwrap_or("")
            .to_string();
        let main = codes
            .iter()
            .filter(|c| c.from.is_none() && c.to.is_none())
            .map(|c| c.code.clone())
            .next_back()
            .or_else(|| codes.iter().max_by_key(|c| c.from).map(|c| c.code.clone()))
            .unwrap_or_default();
        let name = names[0].clone();
        let mut id = slug(&name);
        if id.is_empty() {
            continue;
        }
        // Same id: merge when it is the same country (a repeated block), else number it.
        let mut n = 2;
        while let Some(e) = entries.get(&id) {
            if e.country == country && e.kind == kind {
                break;
            }
            id = format!("{}-{n}", slug(&name));
            n += 1;
        }
        let e = entries.entry(id.clone()).or_insert_with(|| Entry {
            kind,
            name: name.clone(),
            country: country.clone(),
            cameo: if kind == "person" {
                String::new()
            } else {
                main.clone()
            },
            aliases: Vec::new(),
            codes: Vec::new(),
        });
        for a in names {
            // a country's own name: for an entry of that country's id, its alias; for
            // any other, another country's name
            if names_other_country(&a, &id) {
                continue;
            }
            if a != e.name && !e.aliases.contains(&a) {
                e.aliases.push(a);
            }
        }
        for c in codes {
            let s = render_code(c);
            if !e.codes.contains(&s) {
                e.codes.push(s);
            }
        }
    }

    let mut actors = String::from(
        "# Generated by `cargo run -p annals-actors --example convert_phoenix` from the Phoenix\n\
         # actor dictionaries of petrarch2 (MIT, Copyright (c) 2014 Open Event Data Alliance);\n\
         # do not edit: fix the converter or add to the hand-curated tables instead.\n\
         id\ttype\tname\tcountry\tcameo\tgender\taliases\tcodes\n",
    );
    let (mut people, mut aliases) = (0, 0);
    for (id, e) in &entries {
        people += usize::from(e.kind == "person");
        aliases += e.aliases.len() + 1;
        writeln!(
            actors,
            "{id}\t{}\t{}\t{}\t{}\t\t{}\t{}",
            e.kind,
            e.name,
            e.country,
            e.cameo,
            e.aliases.join("|"),
            e.codes.join("|")
        )
        .unwrap();
    }
    let mut place_text = String::from(
        "# Generated by `cargo run -p annals-actors --example convert_phoenix` from the country\n\
         # blocks of Phoenix.Countries.actors.txt (MIT, Copyright (c) 2014 Open Event Data\n\
         # Alliance): other names, spellings, provinces and cities of each country.\n\
         id\tkind\taliases\n",
    );
    let mut place_count = 0;
    for (id, names) in &places {
        let names = dedup(names.clone());
        place_count += names.len();
        writeln!(place_text, "{id}\tplace\t{}", names.join("|")).unwrap();
    }
    std::fs::write(out.join("phoenix-actors.tsv"), actors).unwrap();
    std::fs::write(out.join("phoenix-places.tsv"), place_text).unwrap();
    eprintln!(
        "{} groups read; {} entries ({people} people, {aliases} names), {place_count} place names \
         of {} countries; dropped {dropped_old} people who left office before 1980 and \
         {dropped_nocode} groups without a usable code",
        groups.len(),
        entries.len(),
        places.len()
    );
}

struct Entry {
    kind: &'static str,
    name: String,
    country: String,
    cameo: String,
    aliases: Vec<String>,
    codes: Vec<String>,
}

fn dedup(v: Vec<String>) -> Vec<String> {
    let mut seen = HashSet::new();
    v.into_iter().filter(|s| seen.insert(s.clone())).collect()
}

fn usable(code: &str) -> bool {
    code.len() >= 3
        && !code.starts_with("---")
        && code.bytes().all(|b| b.is_ascii_uppercase() || b == b'-')
        && !matches!(
            code,
            "ELI" | "GOV" | "MIL" | "REB" | "OPP" | "CVL" | "BUS" | "MED" | "JUD"
        )
}

fn render_code(c: &DatedCode) -> String {
    let d = |d: Option<Day>| {
        d.map_or(String::new(), |Day(y, m, dd)| {
            format!("{y:04}-{m:02}-{dd:02}")
        })
    };
    if c.from.is_none() && c.to.is_none() {
        c.code.clone()
    } else {
        format!("{}@{}..{}", c.code, d(c.from), d(c.to))
    }
}

fn parse(text: &str, file: usize, groups: &mut Vec<Group>) {
    let mut cur: Option<Group> = None;
    let mut prev_blank = true;
    for raw in text.lines() {
        let (body, comment) = raw.split_once('#').unwrap_or((raw, ""));
        if raw.trim().is_empty() {
            prev_blank = true;
            continue;
        }
        if body.trim().is_empty() {
            // A comment line; it does not end a group.
            continue;
        }
        let (names, codes) = split_codes(body);
        let first = body.chars().next().unwrap_or(' ');
        if first == '+' {
            if let Some(g) = cur.as_mut() {
                g.names
                    .push(names.trim_start_matches('+').trim().to_string());
                g.codes.extend(codes);
            }
        } else if first.is_whitespace() || names.trim().is_empty() {
            if let Some(g) = cur.as_mut() {
                g.codes.extend(codes);
            }
        } else {
            let joins = cur.as_ref().is_some_and(|g| g.codes.is_empty()) && !prev_blank;
            if joins {
                let g = cur.as_mut().unwrap();
                g.names.push(names.trim().to_string());
                g.codes.extend(codes);
            } else {
                if let Some(g) = cur.take() {
                    groups.push(g);
                }
                cur = Some(Group {
                    names: vec![names.trim().to_string()],
                    codes,
                    countryinfo: comment.contains("CountryInfo") || comment.contains("rulers"),
                    file,
                });
            }
        }
        prev_blank = false;
    }
    if let Some(g) = cur {
        groups.push(g);
    }
}

/// Split a line body into the text before the first `[` and the codes in brackets.
fn split_codes(body: &str) -> (&str, Vec<DatedCode>) {
    let cut = body.find('[').unwrap_or(body.len());
    let mut codes = Vec::new();
    let mut rest = &body[cut..];
    while let Some(s) = rest.find('[') {
        let Some(e) = rest[s..].find(']') else { break };
        if let Some(c) = parse_code(&rest[s + 1..s + e]) {
            codes.push(c);
        }
        rest = &rest[s + e + 1..];
    }
    (&body[..cut], codes)
}

fn parse_code(inner: &str) -> Option<DatedCode> {
    let inner = inner.trim();
    let (code, dates) = inner.split_once(char::is_whitespace).unwrap_or((inner, ""));
    let dates: String = dates.chars().filter(|c| !c.is_whitespace()).collect();
    let (from, to) = if dates.is_empty() {
        (None, None)
    } else if let Some(d) = dates.strip_prefix('>') {
        (Some(day(d)?), None)
    } else if let Some(d) = dates.strip_prefix('<') {
        (None, Some(day(d)?))
    } else if let Some((a, b)) = dates.split_once('-') {
        (Some(day(a)?), Some(day(b)?))
    } else {
        (Some(day(&dates)?), None)
    };
    Some(DatedCode {
        code: code.to_string(),
        from,
        to,
    })
}

fn day(s: &str) -> Option<Day> {
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (y, rest) = match s.len() {
        6 => {
            let yy: u16 = s[..2].parse().ok()?;
            (if yy <= 15 { 2000 + yy } else { 1900 + yy }, &s[2..])
        }
        8 => (s[..4].parse().ok()?, &s[4..]),
        _ => return None,
    };
    let m: u8 = rest[..2].parse().ok()?;
    let d: u8 = rest[2..].parse().ok()?;
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then_some(Day(y, m, d))
}

/// The surface forms of a TABARI phrase: title-cased, with a parenthesised acronym split off.
fn forms(phrase: &str, short_caps: bool) -> Vec<String> {
    let p = phrase.to_uppercase().replace('_', " ");
    let mut out = Vec::new();
    let mut main = p.clone();
    if let (Some(a), Some(b)) = (p.find('('), p.find(')')) {
        if a < b {
            let inner = p[a + 1..b].trim().to_string();
            if inner.len() >= 3 && !inner.contains(' ') {
                out.push(title(&[&inner], short_caps));
            }
            main = format!("{} {}", &p[..a], &p[b + 1..]);
        }
    }
    let mut words: Vec<&str> = main.split_whitespace().collect();
    if words.len() > 1 && words[0] == "THE" {
        words.remove(0);
    }
    if words.is_empty() {
        return out;
    }
    let titled = title(&words, short_caps);
    if titled.chars().count() >= 2 {
        out.insert(0, titled);
    }
    out.retain(|f| f.contains(' ') || !STOP.contains(&f.to_lowercase().as_str()));
    out
}

fn title(words: &[&str], short_caps: bool) -> String {
    if short_caps && words.len() == 1 && words[0].chars().count() <= 4 {
        return words[0].to_string();
    }
    let mut out = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let honorific = matches!(
            *w,
            "MR" | "MRS" | "MS" | "DR" | "ST" | "JR" | "SR" | "MR." | "DR." | "ST."
        );
        if ACRONYMS.contains(w) || (!honorific && !w.chars().any(|c| "AEIOU".contains(c))) {
            out.push(w.to_string());
            continue;
        }
        let mut s = String::new();
        let mut part = String::new();
        let flush = |part: &mut String, s: &mut String, first_part: bool| {
            let lower = part.to_lowercase();
            let after_apostrophe = s.ends_with('\'');
            if (after_apostrophe && lower.chars().count() == 1)
                || (!(i == 0 && first_part) && LOWER_PARTICLES.contains(&lower.as_str()))
            {
                s.push_str(&lower);
            } else {
                let mut cs = lower.chars();
                if let Some(c) = cs.next() {
                    s.extend(c.to_uppercase());
                    s.push_str(cs.as_str());
                }
            }
            part.clear();
        };
        let mut first_part = true;
        for c in w.chars() {
            if c == '-' || c == '\'' || c == '.' {
                flush(&mut part, &mut s, first_part);
                s.push(c);
                first_part = false;
            } else {
                part.push(c);
            }
        }
        flush(&mut part, &mut s, first_part);
        out.push(s);
    }
    out.join(" ")
}

fn slug(name: &str) -> String {
    let mut s = String::new();
    for c in name.chars() {
        let c = match c {
            'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            'ñ' => 'n',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            s.push(c.to_ascii_lowercase());
        } else if c != '\'' && c != '.' && !s.ends_with('-') && !s.is_empty() {
            s.push('-');
        }
    }
    s.trim_end_matches('-').to_string()
}
