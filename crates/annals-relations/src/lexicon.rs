//! The cue words and markers of `data/relations/`.

use crate::Error;
use std::collections::HashMap;

static CUES: &str = include_str!("../../../data/relations/cues.tsv");
static MARKERS: &str = include_str!("../../../data/relations/markers.tsv");

/// What a cue word states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Class {
    /// Backing: relation `supports`, stance `support`.
    Support,
    /// Being against: relation `opposes`, stance `oppose`.
    Oppose,
    /// Wanting or urging a course: stance `support`.
    Advocate,
    /// Concern about a course: stance `oppose`.
    Worry,
    /// A bad course: stance turned over.
    Mistake,
    /// Relation `cooperates-with`.
    Cooperate,
    /// Relation `negotiates-with`.
    Negotiate,
    /// Relation `ally`.
    Ally,
    /// Relation `member-of`.
    Join,
    /// Turns what it governs over.
    Refuse,
}

/// Part of speech of a cue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pos {
    /// A verb.
    Verb,
    /// A noun.
    Noun,
    /// An adjective.
    Adj,
}

/// One cue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cue {
    /// The lemma.
    pub lemma: String,
    /// The particle of a phrasal verb ("up" of "prop up").
    pub particle: Option<String>,
    /// Part of speech.
    pub pos: Pos,
    /// What it states.
    pub class: Class,
    /// Prepositions that introduce the other side or the topic.
    pub preps: Vec<String>,
}

/// The cue words by inflected form, and the marker classes.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    by_form: HashMap<String, Vec<usize>>,
    cues: Vec<Cue>,
    markers: HashMap<String, Vec<String>>,
}

fn inflect(lemma: &str, pos: Pos) -> Vec<String> {
    let mut out = vec![lemma.to_string()];
    let b = lemma.as_bytes();
    let last = *b.last().unwrap_or(&b'x');
    let vowel = |c: u8| b"aeiou".contains(&c);
    match pos {
        Pos::Adj => {}
        Pos::Noun => {
            if last == b'y' && b.len() > 1 && !vowel(b[b.len() - 2]) {
                out.push(format!("{}ies", &lemma[..lemma.len() - 1]));
            } else if matches!(last, b's' | b'x' | b'z' | b'h') {
                out.push(format!("{lemma}es"));
            } else {
                out.push(format!("{lemma}s"));
            }
        }
        Pos::Verb => {
            let stem = lemma.strip_suffix('e').unwrap_or(lemma);
            if last == b'y' && b.len() > 1 && !vowel(b[b.len() - 2]) {
                let s = &lemma[..lemma.len() - 1];
                out.push(format!("{s}ies"));
                out.push(format!("{s}ied"));
            } else if matches!(last, b's' | b'x' | b'z' | b'h') {
                out.push(format!("{lemma}es"));
                out.push(format!("{lemma}ed"));
            } else {
                out.push(format!("{lemma}s"));
                out.push(format!("{stem}ed"));
            }
            out.push(format!("{stem}ing"));
            // a short closed syllable doubles its consonant: "prop" → "propped"
            if b.len() >= 3
                && !vowel(last)
                && vowel(b[b.len() - 2])
                && !vowel(b[b.len() - 3])
                && !matches!(last, b'w' | b'x' | b'y')
            {
                out.push(format!("{lemma}{}ed", last as char));
                out.push(format!("{lemma}{}ing", last as char));
            }
            // irregular past forms of the listed verbs
            let irregular: &[(&str, &[&str])] = &[
                ("meet", &["met"]),
                ("fight", &["fought"]),
                ("seek", &["sought"]),
                ("stick", &["stuck"]),
                ("stand", &["stood"]),
                ("rule", &["ruled"]),
            ];
            for (l, forms) in irregular {
                if *l == lemma {
                    out.extend(forms.iter().map(|f| f.to_string()));
                }
            }
        }
    }
    out
}

impl Lexicon {
    /// The bundled lexicon.
    pub fn bundled() -> Self {
        Self::parse(CUES, MARKERS).expect("bundled relation cues load")
    }

    /// Read a cue table and a marker table.
    pub fn parse(cues: &str, markers: &str) -> Result<Self, Error> {
        let mut lex = Lexicon::default();
        for (i, line) in cues.lines().enumerate() {
            let line = line.trim_end();
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let err = |reason: &str| Error::Data {
                file: "cues.tsv",
                line: i + 1,
                reason: reason.into(),
            };
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() != 4 {
                return Err(err("expected 4 tab-separated fields"));
            }
            let pos = match f[1] {
                "verb" => Pos::Verb,
                "noun" => Pos::Noun,
                "adj" => Pos::Adj,
                _ => return Err(err("pos is not verb, noun or adj")),
            };
            let class = match f[2] {
                "support" => Class::Support,
                "oppose" => Class::Oppose,
                "advocate" => Class::Advocate,
                "worry" => Class::Worry,
                "mistake" => Class::Mistake,
                "cooperate" => Class::Cooperate,
                "negotiate" => Class::Negotiate,
                "ally" => Class::Ally,
                "join" => Class::Join,
                "refuse" => Class::Refuse,
                _ => return Err(err("unknown class")),
            };
            let (lemma, particle) = match f[0].split_once(' ') {
                Some((l, p)) => (l, Some(p.to_string())),
                None => (f[0], None),
            };
            let preps = if f[3] == "-" {
                Vec::new()
            } else {
                f[3].split(',').map(|p| p.trim().to_string()).collect()
            };
            let n = lex.cues.len();
            lex.cues.push(Cue {
                lemma: lemma.to_string(),
                particle,
                pos,
                class,
                preps,
            });
            for form in inflect(lemma, pos) {
                lex.by_form.entry(form).or_default().push(n);
            }
        }
        for (i, line) in markers.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let (class, words) = line.split_once('\t').ok_or(Error::Data {
                file: "markers.tsv",
                line: i + 1,
                reason: "no tab".into(),
            })?;
            lex.markers.insert(
                class.to_string(),
                words.split(',').map(|w| w.trim().to_string()).collect(),
            );
        }
        Ok(lex)
    }

    /// The cues a lower-case word form may be.
    pub fn cues(&self, form: &str) -> impl Iterator<Item = &Cue> {
        self.by_form
            .get(form)
            .into_iter()
            .flatten()
            .map(|&i| &self.cues[i])
    }

    /// True when `word` is in marker class `class`.
    pub fn is(&self, class: &str, word: &str) -> bool {
        self.markers
            .get(class)
            .is_some_and(|ws| ws.iter().any(|w| w == word))
    }

    /// The words of a marker class.
    pub fn markers(&self, class: &str) -> &[String] {
        self.markers.get(class).map_or(&[], |v| v.as_slice())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_find_their_cues() {
        let lex = Lexicon::bundled();
        let classes = |w: &str| lex.cues(w).map(|c| c.class).collect::<Vec<_>>();
        assert_eq!(classes("backed"), vec![Class::Support]);
        assert_eq!(classes("propping"), vec![Class::Support]);
        assert_eq!(classes("criticised"), vec![Class::Oppose]);
        assert!(classes("called").contains(&Class::Negotiate));
        assert!(classes("called").contains(&Class::Advocate));
        assert_eq!(classes("allies"), vec![Class::Ally]);
        assert_eq!(classes("met"), vec![Class::Negotiate]);
        assert!(lex.is("negation", "n't"));
        assert!(lex.is("removal", "step down"));
    }

    #[test]
    fn a_bad_row_names_its_line() {
        let e = Lexicon::parse("# x\nback\tverb\tsupport\n", "").unwrap_err();
        assert_eq!(e.to_string(), "cues.tsv:2: expected 4 tab-separated fields");
    }
}
