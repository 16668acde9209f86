//! Finding a knowledge-base person from a name the alias matcher missed:
//!
//! - a surname after a title: "President Bouteflika" for Abdelaziz Bouteflika;
//! - a spelling slip: "Francois Mitterand", "Laurent Gbago", "Juvenal Habyariman";
//! - an Arabic article written another way: "Omar El Bashir" for Omar al-Bashir.
//!
//! People are indexed by a surname key (the last word of each of their names, folded to
//! ASCII lowercase, without a leading "al-"/"el-") and a first-name key. A lookup takes the
//! words of a name; it answers only when every candidate left is of one country, so a
//! surname many people share never picks one of them at random.

use crate::entry::{ActorKind, AliasKind};
use crate::matcher::Target;
use crate::{EntryId, KnowledgeBase};
use rustc_hash::FxHashMap as HashMap;

/// Surname and first-name keys of the knowledge base's people.
pub(crate) struct PeopleIndex {
    /// Surname key → (entry, first-name key or "").
    by_surname: HashMap<Box<str>, Vec<(u32, Box<str>)>>,
    /// Surname keys by first byte and length, for spelling slips.
    by_initial: HashMap<(u8, usize), Vec<Box<str>>>,
    /// One target per knowledge-base entry, so a lookup can stand as a matcher hit.
    targets: Vec<Target>,
    /// Each entry's country, for the one-country test.
    countries: Vec<Option<Box<str>>>,
}

/// Name words that are not first names.
fn is_particle(w: &str) -> bool {
    matches!(
        w,
        "al" | "el"
            | "bin"
            | "ibn"
            | "bint"
            | "abu"
            | "ould"
            | "de"
            | "da"
            | "do"
            | "dos"
            | "das"
            | "du"
            | "del"
            | "della"
            | "di"
            | "van"
            | "von"
            | "der"
            | "le"
            | "la"
    )
}

/// Words after a surname that are not the surname: "II", "Jr.".
fn is_suffix(w: &str) -> bool {
    matches!(
        w,
        "ii" | "iii" | "iv" | "jr" | "jr." | "sr" | "sr." | "junior" | "senior"
    )
}

/// ASCII lowercase with Latin accents folded ("François" → "francois"); apostrophes and
/// dots dropped.
fn fold(w: &str) -> String {
    let mut out = String::with_capacity(w.len());
    for c in w.chars() {
        let c = match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => {
                'a'
            }
            'ç' | 'Ç' | 'č' | 'Č' | 'ć' | 'Ć' => 'c',
            'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' | 'ě' => 'e',
            'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => 'i',
            'ñ' | 'Ñ' | 'ń' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => {
                'o'
            }
            'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => 'u',
            'ý' | 'ÿ' | 'Ý' => 'y',
            'š' | 'Š' | 'ś' | 'ş' | 'Ş' => 's',
            'ž' | 'Ž' | 'ź' | 'ż' => 'z',
            'ł' | 'Ł' => 'l',
            'ğ' => 'g',
            '\'' | '’' | '.' => continue,
            c => c.to_ascii_lowercase(),
        };
        out.push(c);
    }
    out
}

/// The surname key of a folded word: without a leading Arabic article ("al-bashir" →
/// "bashir").
fn surname_key(w: &str) -> &str {
    for p in [
        "al-", "el-", "ad-", "ar-", "as-", "ash-", "at-", "az-", "an-",
    ] {
        if let Some(rest) = w.strip_prefix(p).filter(|r| r.len() > 2) {
            return rest;
        }
    }
    w
}

/// (first-name key, surname key) of a name's words; the first name is "" when the name
/// gives none.
fn keys(words: &[&str]) -> Option<(String, String)> {
    let folded: Vec<String> = words.iter().map(|w| fold(w)).collect();
    let mut end = folded.len();
    while end > 1 && is_suffix(&folded[end - 1]) {
        end -= 1;
    }
    let last = surname_key(folded.get(end.checked_sub(1)?)?).to_string();
    if last.len() < 3 || is_particle(&last) {
        return None;
    }
    // the first part of a hyphenated first name: "jean" of "Jean-Bertrand"
    let first = folded[..end - 1]
        .iter()
        .find(|w| !is_particle(w))
        .map(|w| w.split('-').next().unwrap_or(w).to_string())
        .unwrap_or_default();
    Some((first, last))
}

/// The longest word [`distance`] compares; longer ones are never slips of each other.
const MAX_WORD: usize = 31;

/// Edit distance with adjacent transpositions (optimal string alignment), over bytes;
/// three rows on the stack, no allocation. Words over [`MAX_WORD`] bytes are `usize::MAX`
/// apart unless equal.
fn distance(a: &[u8], b: &[u8]) -> usize {
    if a == b {
        return 0;
    }
    let (n, m) = (a.len(), b.len());
    if n > MAX_WORD || m > MAX_WORD {
        return usize::MAX;
    }
    let mut prev2 = [0usize; MAX_WORD + 1];
    let mut prev = [0usize; MAX_WORD + 1];
    let mut cur = [0usize; MAX_WORD + 1];
    for (j, p) in prev.iter_mut().enumerate().take(m + 1) {
        *p = j;
    }
    for i in 1..=n {
        cur[0] = i;
        for j in 1..=m {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
        }
        prev2 = prev;
        prev = cur;
    }
    prev[m]
}

/// The slips a surname of this length may have: none under 5 letters, one up to 7, two
/// from 8.
fn slips_allowed(len: usize) -> usize {
    match len {
        0..=4 => 0,
        5..=7 => 1,
        _ => 2,
    }
}

fn first_names_agree(a: &str, b: &str) -> bool {
    a == b || a.len() >= 4 && b.len() >= 4 && distance(a.as_bytes(), b.as_bytes()) <= 1
}

impl PeopleIndex {
    /// Index the people of `kb`.
    pub(crate) fn new(kb: &KnowledgeBase) -> Self {
        let mut by_surname: HashMap<Box<str>, Vec<(u32, Box<str>)>> = HashMap::default();
        let entries = kb.entries();
        for (i, e) in entries.iter().enumerate() {
            if e.kind != ActorKind::Person {
                continue;
            }
            let names = std::iter::once(e.name.as_str()).chain(
                e.aliases
                    .iter()
                    .filter(|a| a.kind == AliasKind::Name)
                    .map(|a| a.text.as_str()),
            );
            for name in names {
                let words: Vec<&str> = name.split_whitespace().collect();
                let Some((first, last)) = keys(&words) else {
                    continue;
                };
                let list = by_surname.entry(last.into()).or_default();
                if !list
                    .iter()
                    .any(|(x, f)| *x == i as u32 && **f == *first.as_str())
                {
                    list.push((i as u32, first.into()));
                }
            }
        }
        let mut by_initial: HashMap<(u8, usize), Vec<Box<str>>> = HashMap::default();
        for k in by_surname.keys() {
            by_initial
                .entry((k.as_bytes()[0], k.len()))
                .or_default()
                .push(k.clone());
        }
        Self {
            by_surname,
            by_initial,
            targets: (0..entries.len())
                .map(|i| Target {
                    entry: EntryId(i as u32),
                    kind: AliasKind::Name,
                })
                .collect(),
            countries: entries
                .iter()
                .map(|e| e.country.as_deref().map(Box::from))
                .collect(),
        }
    }

    /// The person `words` names, if the index can tell. `titled`: a title or honorific
    /// stands before the name, so a surname alone or a misspelt one may be trusted.
    pub(crate) fn lookup(&self, words: &[&str], titled: bool) -> Option<EntryId> {
        let (first, last) = keys(words)?;
        if first.is_empty() && !titled {
            return None;
        }
        let mut fuzzy = false;
        let mut cands: Vec<(u32, &str)> = match self.by_surname.get(last.as_str()) {
            Some(v) => v.iter().map(|(e, f)| (*e, &**f)).collect(),
            None => {
                let slips = slips_allowed(last.len());
                if slips == 0 {
                    return None;
                }
                fuzzy = true;
                let initial = last.as_bytes()[0];
                (last.len().saturating_sub(slips)..=last.len() + slips)
                    .filter_map(|len| self.by_initial.get(&(initial, len)))
                    .flatten()
                    .filter(|k| distance(k.as_bytes(), last.as_bytes()) <= slips)
                    .flat_map(|k| self.by_surname[k].iter().map(|(e, f)| (*e, &**f)))
                    .collect()
            }
        };
        if !first.is_empty() {
            cands.retain(|(_, f)| first_names_agree(f, &first));
        } else if fuzzy && !titled {
            return None;
        }
        let (e0, _) = *cands.iter().min_by_key(|(e, _)| *e)?;
        let country = self.countries.get(e0 as usize)?.as_deref()?;
        cands
            .iter()
            .all(|(e, _)| {
                self.countries.get(*e as usize).and_then(|c| c.as_deref()) == Some(country)
            })
            .then_some(EntryId(e0))
    }

    /// A one-target slice naming `e`, to stand as a matcher hit.
    pub(crate) fn target(&self, e: EntryId) -> &[Target] {
        let i = e.index();
        self.targets.get(i..i + 1).unwrap_or(&[])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_and_keys() {
        assert_eq!(fold("François"), "francois");
        assert_eq!(
            keys(&["Omar", "El", "al-Bashir"]),
            Some(("omar".into(), "bashir".into()))
        );
        assert_eq!(
            keys(&["King", "Abdullah", "II"]).map(|k| k.1),
            Some("abdullah".into())
        );
        assert_eq!(distance(b"mitterand", b"mitterrand"), 1);
        assert_eq!(distance(b"abcd", b"abdc"), 1);
    }

    #[test]
    fn lookups_need_a_title_or_a_first_name_and_one_country() {
        let kb = KnowledgeBase::bundled();
        let idx = PeopleIndex::new(kb);
        let id = |w: &[&str], t: bool| idx.lookup(w, t).map(|e| kb.entry(e).id.clone());
        // a slip in the surname, with the first name to confirm it
        assert_eq!(
            id(&["Francois", "Mitterand"], false).as_deref(),
            Some("francois-mitterrand")
        );
        // a surname alone only after a title
        assert_eq!(id(&["Bouteflika"], false), None);
        assert!(id(&["Bouteflika"], true).is_some());
        // a first name that disagrees is another person
        assert_eq!(id(&["Jane", "Mitterrand"], false), None);
        // a surname of people of many countries picks none
        assert_eq!(id(&["Hassan"], true), None);
    }
}
