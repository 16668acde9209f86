//! The coder's dictionaries, compiled once from the data files in `data/events/`.
//!
//! - Verbs (`cameo-verbs.tsv`, converted from PETRARCH2's CAMEO dictionary, and our own
//!   `annals-verbs.tsv`): each verb belongs to a block of verbs that share patterns; it may
//!   have a code of its own and particles ("ask for"). Every inflected form is looked up
//!   in one hash map: regular forms are made here, irregular ones come from the file.
//! - Patterns (`cameo-patterns.tsv`, `annals-patterns.tsv`): words before (`pre`) and
//!   after (`post`) the verb that select a more specific code ("hold * talks" → 040), and
//!   the verbs of the block each was found with (for annals' own: the only verbs it is
//!   for). `---` is the dictionary's "do not code".
//!   A pattern word matches any word it begins (the dictionary's convention) unless it ends
//!   in `_`; `&set` matches any word of a synonym set.
//! - Nouns (`nouns.tsv`): nominal events ("talks", "airstrikes", "annexation").
//! - Codes (`cameo-codes.tsv`): quad class, Goldstein score, PLOVER type and mode.

use std::collections::HashMap;

static CAMEO_VERBS: &str = include_str!("../../../data/events/cameo-verbs.tsv");
static CAMEO_PATTERNS: &str = include_str!("../../../data/events/cameo-patterns.tsv");
static CAMEO_SYNSETS: &str = include_str!("../../../data/events/cameo-synsets.tsv");
static CAMEO_CODES: &str = include_str!("../../../data/events/cameo-codes.tsv");
static OUR_VERBS: &str = include_str!("../../../data/events/annals-verbs.tsv");
static OUR_PATTERNS: &str = include_str!("../../../data/events/annals-patterns.tsv");
static NOUNS: &str = include_str!("../../../data/events/nouns.tsv");
static LIGHT_VERBS: &str = include_str!("../../../data/events/light-verbs.tsv");
static PAIR_NOUNS: &str = include_str!("../../../data/events/pair-nouns.tsv");

/// What a CAMEO code means: its class, score and PLOVER equivalent.
#[derive(Debug, Clone, PartialEq)]
pub struct CodeInfo {
    /// 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict.
    pub quad: u8,
    /// Goldstein conflict–cooperation score, −10 to +10.
    pub goldstein: f32,
    /// PLOVER event type ("CONSULT"), empty for codes PLOVER drops (statements, appeals).
    pub plover: String,
    /// PLOVER mode ("visit"), often empty.
    pub mode: String,
    /// The code's name ("Discuss by telephone").
    pub name: String,
}

/// One element of a pattern.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Elem {
    /// A word: matches a word it begins, or exactly when `exact`.
    Word { text: Box<str>, exact: bool },
    /// Any word of a synonym set (an index into [`Lexicon::sets`]).
    Set(u32),
    /// Where the source stands.
    Source,
    /// Where the target stands.
    Target,
}

/// A verb pattern: words before and after the verb and the code they select.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Pattern {
    pub pre: Vec<Elem>,
    pub post: Vec<Elem>,
    /// The code, or `---` when the dictionary says not to code what matches.
    pub code: Box<str>,
    /// The verbs of the block the pattern was found with (empty: unknown).
    pub verbs: Vec<Box<str>>,
    /// The pattern applies to `verbs` only (annals' own patterns that name them).
    pub only: bool,
    /// Made of prepositions and particles only: a phrasal verb ([`Pattern::is_phrasal`]).
    pub phrasal: bool,
}

/// Prepositions and particles: a pattern of these words only ("* (for)", "* back to")
/// makes a phrasal verb, whose sense belongs to the verb it was found with ("head for" is
/// travel; "control for" is not).
const PARTICLES: &[&str] = &[
    "to", "for", "with", "on", "in", "at", "from", "into", "back", "out", "off", "up", "down",
    "over", "away", "about", "against", "by", "of", "under", "through", "around", "across",
    "after", "upon", "toward", "towards", "onto", "along", "forward", "ahead", "aside",
];

impl Pattern {
    /// Is the pattern made of prepositions and particles only?
    pub fn is_phrasal(&self) -> bool {
        self.pre.iter().chain(&self.post).all(|e| match e {
            Elem::Word { text, .. } => text.split(' ').all(|w| PARTICLES.contains(&w)),
            Elem::Set(_) => false,
            Elem::Source | Elem::Target => true,
        })
    }

    /// How specific the pattern is: its number of words.
    pub fn weight(&self) -> usize {
        self.pre
            .iter()
            .chain(&self.post)
            .filter(|e| matches!(e, Elem::Word { .. } | Elem::Set(_)))
            .count()
    }
}

/// A verb entry: its words (the verb's lemma, then particles), block and code.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Verb {
    /// The words after the inflected one ("for" in "ask for"), lower case.
    pub rest: Vec<Box<str>>,
    /// The lemma ("ask").
    pub lemma: Box<str>,
    /// The block whose patterns apply.
    pub block: u32,
    /// The verb's own code, or the block's; empty when only patterns code it.
    pub code: Box<str>,
    /// The dictionary gives the verb a code of its own, unlike its block's: the patterns
    /// found with other verbs of the block do not apply to it.
    pub own: bool,
}

/// A nominal event: a noun that names an action.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Noun {
    pub code: Box<str>,
    /// True when source and target can swap ("talks").
    pub symmetric: bool,
}

/// All dictionaries, compiled.
#[derive(Debug)]
pub struct Lexicon {
    /// Inflected form → verb entries.
    pub(crate) forms: HashMap<Box<str>, Vec<u32>>,
    pub(crate) verbs: Vec<Verb>,
    /// Patterns of each block.
    pub(crate) blocks: Vec<Vec<Pattern>>,
    pub(crate) sets: Vec<Vec<Box<str>>>,
    /// Noun form (singular and plural) → noun.
    pub(crate) nouns: HashMap<Box<str>, Noun>,
    pub(crate) codes: HashMap<Box<str>, CodeInfo>,
    /// Lemmas of symmetric verbs ("meet", "talk", "agree").
    pub(crate) symmetric: Vec<Box<str>>,
    /// Form of a light verb ("held", "renewed") → its lemma.
    pub(crate) light: HashMap<Box<str>, Box<str>>,
    /// Nouns that after "the two" or "both" stand for a pair of actors ("countries").
    pub(crate) pair_nouns: Vec<Box<str>>,
}

fn rows(text: &str) -> impl Iterator<Item = Vec<&str>> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split('\t').map(str::trim).collect())
}

fn is_vowel(c: u8) -> bool {
    matches!(c, b'a' | b'e' | b'i' | b'o' | b'u')
}

impl Lexicon {
    /// Is `w` the past form of a dictionary verb ("wounded", "shot"): a form other than
    /// the lemma, its `-s` and its `-ing`?
    pub(crate) fn is_past_form(&self, w: &str) -> bool {
        self.forms.get(w).is_some_and(|ids| {
            ids.iter().any(|&id| {
                let lemma = &*self.verbs[id as usize].lemma;
                w != lemma && !w.ends_with("ing") && !(w.ends_with('s') && w.starts_with(lemma))
            })
        })
    }
}

/// The regular inflections of a one-word verb: `-s`, `-ed`, `-ing`, with the usual
/// spelling changes; a final consonant is also doubled when the word ends
/// consonant–vowel–consonant (both spellings are kept: "visited", "admitted").
pub(crate) fn inflect(w: &str) -> Vec<String> {
    let b = w.as_bytes();
    let n = b.len();
    let mut out = vec![w.to_string()];
    if n < 2 || !w.bytes().all(|c| c.is_ascii_lowercase()) {
        return out;
    }
    let last = b[n - 1];
    let before = b[n - 2];
    if last == b'y' && !is_vowel(before) {
        let stem = &w[..n - 1];
        out.push(format!("{stem}ies"));
        out.push(format!("{stem}ied"));
        out.push(format!("{w}ing"));
        return out;
    }
    if w.ends_with('s')
        || w.ends_with('x')
        || w.ends_with('z')
        || w.ends_with("ch")
        || w.ends_with("sh")
        || w.ends_with('o')
    {
        out.push(format!("{w}es"));
    } else {
        out.push(format!("{w}s"));
    }
    if last == b'e' {
        out.push(format!("{w}d"));
        if w.ends_with("ie") {
            out.push(format!("{}ying", &w[..n - 2]));
        } else if w.ends_with("ee") || w.ends_with("ye") || w.ends_with("oe") {
            out.push(format!("{w}ing"));
        } else {
            out.push(format!("{}ing", &w[..n - 1]));
        }
        return out;
    }
    out.push(format!("{w}ed"));
    out.push(format!("{w}ing"));
    let cvc = n >= 3
        && !is_vowel(last)
        && is_vowel(before)
        && !is_vowel(b[n - 3])
        && !matches!(last, b'w' | b'x' | b'y');
    if cvc {
        let c = last as char;
        out.push(format!("{w}{c}ed"));
        out.push(format!("{w}{c}ing"));
    }
    out
}

fn parse_pattern(text: &str, set_ids: &HashMap<String, u32>) -> Option<(Vec<Elem>, Vec<Elem>)> {
    let mut pre = Vec::new();
    let mut post = Vec::new();
    let mut seen_verb = false;
    let cleaned: String = text
        .chars()
        .map(|c| {
            if matches!(c, '(' | ')' | '{' | '}') {
                ' '
            } else {
                c
            }
        })
        .collect();
    for w in cleaned.split_whitespace() {
        let e = match w {
            "*" => {
                seen_verb = true;
                continue;
            }
            "$" => Elem::Source,
            "+" => Elem::Target,
            "%" | "^" | "=" => continue,
            _ if w.starts_with('&') => Elem::Set(*set_ids.get(w.trim_end_matches('_'))?),
            _ => {
                let exact = w.ends_with('_');
                let t = w.trim_end_matches('_').replace('_', " ");
                if t.is_empty() {
                    continue;
                }
                Elem::Word {
                    text: t.into(),
                    exact,
                }
            }
        };
        if seen_verb {
            post.push(e);
        } else {
            pre.push(e);
        }
    }
    seen_verb.then_some((pre, post))
}

fn parse_codes() -> HashMap<Box<str>, CodeInfo> {
    let mut codes = HashMap::new();
    for r in rows(CAMEO_CODES) {
        let [code, quad, goldstein, plover, mode, ..] = r[..] else {
            continue;
        };
        codes.insert(
            code.into(),
            CodeInfo {
                quad: quad.parse().unwrap_or(0),
                goldstein: goldstein.parse().unwrap_or(0.0),
                plover: plover.to_string(),
                mode: mode.to_string(),
                name: r.get(5).unwrap_or(&"").to_string(),
            },
        );
    }
    codes
}

/// What a CAMEO code means, from the bundled code table; a detailed code unknown to the
/// table falls back to its longest known prefix.
pub fn code_info(code: &str) -> Option<&'static CodeInfo> {
    static CODES: std::sync::OnceLock<HashMap<Box<str>, CodeInfo>> = std::sync::OnceLock::new();
    longest_prefix(CODES.get_or_init(parse_codes), code)
}

/// The entry of `code`, else of its longest prefix of at least two digits.
fn longest_prefix<'a>(codes: &'a HashMap<Box<str>, CodeInfo>, code: &str) -> Option<&'a CodeInfo> {
    (2..=code.len())
        .rev()
        .find_map(|n| code.get(..n).and_then(|p| codes.get(p)))
}

impl Lexicon {
    /// The dictionaries that ship with annals.
    pub fn bundled() -> Self {
        let mut sets: Vec<Vec<Box<str>>> = Vec::new();
        let mut set_ids: HashMap<String, u32> = HashMap::new();
        for r in rows(CAMEO_SYNSETS) {
            let [name, word, ..] = r[..] else { continue };
            let id = *set_ids.entry(name.to_string()).or_insert_with(|| {
                sets.push(Vec::new());
                sets.len() as u32 - 1
            });
            sets[id as usize].push(word.into());
        }
        let mut block_ids: HashMap<String, u32> = HashMap::new();
        let mut blocks: Vec<Vec<Pattern>> = Vec::new();
        let mut block_id = |name: &str, blocks: &mut Vec<Vec<Pattern>>| -> u32 {
            *block_ids.entry(name.to_string()).or_insert_with(|| {
                blocks.push(Vec::new());
                blocks.len() as u32 - 1
            })
        };
        let mut verbs = Vec::new();
        let mut forms: HashMap<Box<str>, Vec<u32>> = HashMap::new();
        let mut symmetric: Vec<Box<str>> = Vec::new();
        for (ours, r) in rows(CAMEO_VERBS)
            .map(|r| (false, r))
            .chain(rows(OUR_VERBS).map(|r| (true, r)))
        {
            let [block, verb, irregular, code, ..] = r[..] else {
                continue;
            };
            let code = if code == "-" { "" } else { code };
            let flags = r.get(4).copied().unwrap_or("");
            let mut words = verb.split(' ');
            let lemma = words.next().unwrap_or("");
            let rest: Vec<Box<str>> = words.map(Into::into).collect();
            if flags.split(',').any(|f| f == "symmetric")
                && !symmetric.iter().any(|s| s.as_ref() == lemma)
            {
                symmetric.push(lemma.into());
            }
            // our entry for a verb the CAMEO dictionary has: replace its code only
            let known = ours
                .then(|| {
                    verbs
                        .iter()
                        .position(|v: &Verb| &*v.lemma == lemma && v.rest == rest)
                })
                .flatten();
            if let Some(i) = known {
                verbs[i].code = code.into();
                continue;
            }
            let b = block_id(block, &mut blocks);
            let id = verbs.len() as u32;
            verbs.push(Verb {
                rest,
                lemma: lemma.into(),
                block: b,
                code: code.into(),
                own: flags.split(',').any(|f| f == "own"),
            });
            let mut all = inflect(lemma);
            for f in irregular.split(',').filter(|f| !f.is_empty()) {
                // irregular forms are written with their particles ("asked for")
                all.push(f.split(' ').next().unwrap_or(f).to_string());
            }
            for f in all {
                let e = forms.entry(f.into()).or_default();
                if !e.contains(&id) {
                    e.push(id);
                }
            }
        }
        for (ours, r) in rows(CAMEO_PATTERNS)
            .map(|r| (false, r))
            .chain(rows(OUR_PATTERNS).map(|r| (true, r)))
        {
            let [block, code, text, ..] = r[..] else {
                continue;
            };
            let b = block_id(block, &mut blocks);
            let verbs: Vec<Box<str>> = r
                .get(3)
                .unwrap_or(&"")
                .split(',')
                .filter(|v| !v.is_empty())
                .map(Into::into)
                .collect();
            if let Some((pre, post)) = parse_pattern(text, &set_ids) {
                let mut p = Pattern {
                    pre,
                    post,
                    code: code.into(),
                    only: ours && !verbs.is_empty(),
                    verbs,
                    phrasal: false,
                };
                p.phrasal = p.is_phrasal();
                blocks[b as usize].push(p);
            }
        }
        let mut nouns = HashMap::new();
        for r in rows(NOUNS) {
            let [noun, plural, code, ..] = r[..] else {
                continue;
            };
            let symmetric = r.get(3).is_some_and(|f| *f == "symmetric");
            for f in [noun, plural]
                .into_iter()
                .filter(|f| !f.is_empty() && *f != "-")
            {
                nouns.insert(
                    f.into(),
                    Noun {
                        code: code.into(),
                        symmetric,
                    },
                );
            }
        }
        let codes = parse_codes();
        let mut light: HashMap<Box<str>, Box<str>> = HashMap::new();
        for r in rows(LIGHT_VERBS) {
            let Some(&lemma) = r.first() else { continue };
            let irregular = r
                .get(1)
                .map(|f| f.split(',').map(str::trim).collect::<Vec<_>>());
            for form in inflect(lemma)
                .into_iter()
                .chain(irregular.into_iter().flatten().map(str::to_string))
            {
                light.entry(form.into()).or_insert_with(|| lemma.into());
            }
        }
        Lexicon {
            forms,
            verbs,
            blocks,
            sets,
            nouns,
            codes,
            symmetric,
            light,
            pair_nouns: rows(PAIR_NOUNS)
                .filter_map(|r| r.first().map(|&w| w.into()))
                .collect(),
        }
    }

    /// What a CAMEO code means; a detailed code unknown to the table falls back to its
    /// longest known prefix.
    pub fn code(&self, code: &str) -> Option<&CodeInfo> {
        longest_prefix(&self.codes, code)
    }

    /// Does a pattern word match a sentence word (both lower case)?
    pub(crate) fn word_matches(&self, e: &Elem, w: &str) -> bool {
        match e {
            Elem::Word { text, exact } => {
                if *exact {
                    w == &**text
                } else {
                    w.starts_with(&**text) && (w.len() - text.len() <= 3 || text.len() >= 6)
                }
            }
            Elem::Set(s) => self.sets.get(*s as usize).is_some_and(|ws| {
                ws.iter()
                    .any(|x| w.starts_with(&**x) && w.len() - x.len() <= 3)
            }),
            Elem::Source | Elem::Target => false,
        }
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn past_forms_are_told_from_the_other_forms() {
        let lex = Lexicon::bundled();
        for w in ["shot", "wounded", "abused"] {
            assert!(lex.is_past_form(w), "{w}");
        }
        for w in ["shoot", "shoots", "shooting", "attack"] {
            assert!(!lex.is_past_form(w), "{w}");
        }
    }

    #[test]
    fn light_verbs_are_known_in_their_regular_and_irregular_forms() {
        let lex = Lexicon::bundled();
        for (form, lemma) in [("renewed", "renew"), ("held", "hold"), ("stepping", "step")] {
            assert_eq!(lex.light.get(form).map(|l| &**l), Some(lemma), "{form}");
        }
        assert!(!lex.light.contains_key("said"));
    }

    use super::*;

    #[test]
    fn regular_forms() {
        assert!(inflect("visit").contains(&"visited".to_string()));
        assert!(inflect("admit").contains(&"admitted".to_string()));
        assert!(inflect("urge").contains(&"urging".to_string()));
        assert!(inflect("urge").contains(&"urged".to_string()));
        assert!(inflect("deny").contains(&"denied".to_string()));
        assert!(inflect("deny").contains(&"denies".to_string()));
        assert!(inflect("push").contains(&"pushes".to_string()));
        assert!(inflect("agree").contains(&"agreeing".to_string()));
    }

    #[test]
    fn bundled_dictionaries_load() {
        let lex = Lexicon::bundled();
        assert!(lex.verbs.len() > 1500, "{} verbs", lex.verbs.len());
        assert!(lex.blocks.iter().map(Vec::len).sum::<usize>() > 4000);
        let met = lex.forms.get("met").expect("met is a form of meet");
        assert!(met.iter().any(|&v| &*lex.verbs[v as usize].lemma == "meet"));
        let c = lex.code("0413").expect("falls back to 041");
        assert_eq!((c.quad, c.plover.as_str()), (1, "CONSULT"));
        assert_eq!(lex.code("195").map(|c| c.goldstein), Some(-10.0));
    }
}
