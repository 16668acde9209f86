//! Loading, merging and indexing the knowledge base.

use crate::date::{Date, Span};
use crate::entry::{parse_gender, ActorKind, AliasKind, Code, Entry, EntryId, Gender, Role};
use crate::error::{Error, Result};
use crate::matcher::Matcher;
use rustc_hash::FxHashMap as HashMap;
use serde::Deserialize;
use std::path::Path;
use std::sync::OnceLock;

/// The format of one knowledge-base source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A tab-separated table; its header line says which table (see `data/actors/README.md`).
    Tsv,
    /// A user file in the TOML schema of [`KnowledgeBase::with_user_file`].
    Toml,
}

/// One source text of a knowledge base: a file name (for messages) and its contents.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    /// Name used in error messages.
    pub name: &'a str,
    /// The text.
    pub text: &'a str,
    /// How to read it.
    pub format: Format,
}

impl<'a> Source<'a> {
    /// A TSV source.
    pub fn tsv(name: &'a str, text: &'a str) -> Self {
        Source {
            name,
            text,
            format: Format::Tsv,
        }
    }

    /// A TOML user source.
    pub fn toml(name: &'a str, text: &'a str) -> Self {
        Source {
            name,
            text,
            format: Format::Toml,
        }
    }
}

/// The files in `data/actors/`, compiled into the binary, in load order: hand-curated
/// tables first (their entries win ties between ambiguous aliases), then the converted
/// Phoenix tables, then the office tenures.
pub const BUNDLED: &[(&str, &str)] = &[
    (
        "countries.tsv",
        include_str!("../../../data/actors/countries.tsv"),
    ),
    (
        "organizations.tsv",
        include_str!("../../../data/actors/organizations.tsv"),
    ),
    (
        "groups.tsv",
        include_str!("../../../data/actors/groups.tsv"),
    ),
    (
        "people.tsv",
        include_str!("../../../data/actors/people.tsv"),
    ),
    (
        "offices.tsv",
        include_str!("../../../data/actors/offices.tsv"),
    ),
    (
        "phoenix-actors.tsv",
        include_str!("../../../data/actors/phoenix-actors.tsv"),
    ),
    (
        "phoenix-places.tsv",
        include_str!("../../../data/actors/phoenix-places.tsv"),
    ),
];

const COUNTRY_HEADER: &str = "iso3\tid\tname\taliases\tdemonyms\tcapitals\tseats";
const ENTRY_HEADER: &str = "id\ttype\tname\tcountry\tcameo\tgender\taliases\tcodes";
const OFFICE_HEADER: &str = "role\tperson\tname\tgender\tfrom\tto";
const ALIAS_HEADER: &str = "id\tkind\taliases";

/// The actor knowledge base: entries, indexes by id, country and role, and the compiled
/// [`Matcher`] over all their aliases.
#[derive(Debug, Clone)]
pub struct KnowledgeBase {
    entries: Vec<Entry>,
    by_id: HashMap<String, EntryId>,
    by_country: HashMap<String, EntryId>,
    roles: HashMap<String, Vec<(Span, EntryId)>>,
    matcher: Matcher,
}

impl KnowledgeBase {
    /// The knowledge base shipped in the binary (`data/actors/`), built once on first use.
    ///
    /// # Panics
    /// When the bundled data does not load, which the crate's tests rule out.
    pub fn bundled() -> &'static KnowledgeBase {
        static KB: OnceLock<KnowledgeBase> = OnceLock::new();
        KB.get_or_init(|| {
            KnowledgeBase::from_sources(&bundled_sources())
                .unwrap_or_else(|e| panic!("bundled actor data is broken: {e}"))
        })
    }

    /// The bundled knowledge base plus the actors of a user TOML file (the CLI's
    /// `--actors FILE`). An actor whose `id` already exists adds its aliases and roles to
    /// that entry; a new id makes a new entry.
    ///
    /// The schema:
    ///
    /// ```toml
    /// [[actor]]
    /// id = "lilia-shevtsova"        # required: a stable slug
    /// name = "Lilia Shevtsova"      # required for a new actor
    /// type = "person"               # person | country | organization | group | alliance | location
    /// country = "RUS"               # optional, ISO 3166 alpha-3
    /// cameo = "RUSEDU"              # optional CAMEO actor code
    /// gender = "female"             # optional, people only: male | female
    /// aliases = ["Shevtsova"]       # optional surface forms; the name is always one
    ///
    /// [[actor.roles]]               # optional, any number
    /// role = "RUS foreign minister" # a role key (see data/actors/README.md)
    /// from = "2004-03-09"           # optional, YYYY-MM-DD
    /// to = "2024-01-01"             # optional; absent while the role lasts
    /// ```
    pub fn with_user_file(path: impl AsRef<Path>) -> Result<KnowledgeBase> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|error| Error::Io {
            path: path.to_path_buf(),
            error,
        })?;
        let name = path.display().to_string();
        let mut sources = bundled_sources();
        sources.push(Source::toml(&name, &text));
        KnowledgeBase::from_sources(&sources)
    }

    /// Build a knowledge base from sources, merged in order: entries with the same id are
    /// one entry (the first source fills each field, later ones add aliases, codes and
    /// roles). Office and alias tables are applied after all entity tables.
    pub fn from_sources(sources: &[Source<'_>]) -> Result<KnowledgeBase> {
        let mut b = Builder::default();
        let mut later = Vec::new();
        for src in sources {
            match src.format {
                Format::Toml => later.push(*src),
                Format::Tsv => {
                    let (header, rows) = tsv_rows(src)?;
                    match header {
                        COUNTRY_HEADER => b.countries(src.name, rows)?,
                        ENTRY_HEADER => b.entries(src.name, rows)?,
                        OFFICE_HEADER | ALIAS_HEADER => later.push(*src),
                        other => {
                            return Err(Error::Syntax {
                                source_name: src.name.to_string(),
                                line: 1,
                                message: format!("unknown table header `{other}`"),
                            })
                        }
                    }
                }
            }
        }
        for src in later {
            match src.format {
                Format::Toml => b.toml(src.name, src.text)?,
                Format::Tsv => {
                    let (header, rows) = tsv_rows(&src)?;
                    if header == OFFICE_HEADER {
                        b.offices(src.name, rows)?;
                    } else {
                        b.aliases(src.name, rows)?;
                    }
                }
            }
        }
        b.finish()
    }

    /// The entry with this id.
    pub fn get(&self, id: &str) -> Option<&Entry> {
        self.by_id.get(id).map(|&i| &self.entries[i.index()])
    }

    /// The index of the entry with this id.
    pub fn entry_id(&self, id: &str) -> Option<EntryId> {
        self.by_id.get(id).copied()
    }

    /// The entry at an index from this knowledge base (a match's [`crate::ActorMatch::entry`]).
    pub fn entry(&self, id: EntryId) -> &Entry {
        &self.entries[id.index()]
    }

    /// All entries.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The country entry of an ISO 3166 alpha-3 code.
    pub fn country(&self, iso3: &str) -> Option<&Entry> {
        self.by_country.get(iso3).map(|&i| &self.entries[i.index()])
    }

    /// The compiled alias matcher.
    pub fn matcher(&self) -> &Matcher {
        &self.matcher
    }

    /// The id of whoever held `role` on `date`: `("USA head of state", 2015-09-28)` →
    /// `barack-obama`. Role keys compare case-insensitively. A tenure holds from its first
    /// day up to, not including, its end day; when tenures overlap, the latest-starting wins.
    pub fn holder_of(&self, role: &str, date: Date) -> Option<&str> {
        self.roles
            .get(&role.trim().to_lowercase())?
            .iter()
            .filter(|(span, _)| span.contains(date))
            .max_by_key(|(span, _)| span.from)
            .map(|&(_, e)| self.entries[e.index()].id.as_str())
    }

    /// Every tenure of `role`, in order of start date.
    pub fn holders(&self, role: &str) -> impl Iterator<Item = (Span, &Entry)> {
        self.roles
            .get(&role.trim().to_lowercase())
            .into_iter()
            .flatten()
            .map(|&(s, e)| (s, &self.entries[e.index()]))
    }

    /// The role keys known, lowercased.
    pub fn role_keys(&self) -> impl Iterator<Item = &str> {
        self.roles.keys().map(String::as_str)
    }
}

/// The bundled sources, as [`Source`]s.
pub fn bundled_sources() -> Vec<Source<'static>> {
    BUNDLED.iter().map(|&(n, t)| Source::tsv(n, t)).collect()
}

type Rows<'a> = Vec<(usize, Vec<&'a str>)>;

fn tsv_rows<'a>(src: &Source<'a>) -> Result<(&'a str, Rows<'a>)> {
    let mut header = None;
    let mut rows = Vec::new();
    for (i, line) in src.text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        match header {
            None => header = Some(line),
            Some(h) => {
                let cols: Vec<&str> = line.split('\t').collect();
                let want = h.split('\t').count();
                if cols.len() > want {
                    return Err(Error::Syntax {
                        source_name: src.name.to_string(),
                        line: i + 1,
                        message: format!("{} columns, the header has {want}", cols.len()),
                    });
                }
                rows.push((i + 1, cols));
            }
        }
    }
    let header = header.ok_or_else(|| Error::Syntax {
        source_name: src.name.to_string(),
        line: 1,
        message: "no header line".into(),
    })?;
    Ok((header, rows))
}

fn col<'a>(cols: &[&'a str], i: usize) -> &'a str {
    cols.get(i).map_or("", |s| s.trim())
}

fn list(s: &str) -> impl Iterator<Item = &str> {
    s.split('|').map(str::trim).filter(|t| !t.is_empty())
}

fn opt(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

/// Demonym plurals made automatically: "Syrian" → "Syrians", "Iraqi" → "Iraqis".
fn demonym_plural(d: &str) -> Option<String> {
    let last = d.chars().next_back()?;
    (d.chars().all(|c| c.is_alphabetic()) && matches!(last, 'n' | 'i')).then(|| format!("{d}s"))
}

#[derive(Default)]
struct Builder {
    entries: Vec<Entry>,
    by_id: HashMap<String, EntryId>,
    by_country: HashMap<String, EntryId>,
    /// Where each entry was first defined, for messages.
    origin: Vec<String>,
}

struct NewEntry<'a> {
    id: &'a str,
    kind: Option<ActorKind>,
    name: &'a str,
    country: Option<String>,
    cameo: Option<String>,
    gender: Option<Gender>,
}

impl Builder {
    fn syntax(src: &str, line: usize, message: String) -> Error {
        Error::Syntax {
            source_name: src.to_string(),
            line,
            message,
        }
    }

    /// The entry with this id, made when new (then `kind` and `name` are required).
    fn upsert(&mut self, src: &str, n: NewEntry<'_>) -> Result<EntryId> {
        let invalid = |message: &str| Error::Invalid {
            source_name: src.to_string(),
            id: n.id.to_string(),
            message: message.to_string(),
        };
        if n.id.is_empty() || n.id.chars().any(char::is_whitespace) {
            return Err(invalid("an id must be a non-empty slug without spaces"));
        }
        if let Some(&i) = self.by_id.get(n.id) {
            let e = &mut self.entries[i.index()];
            if e.country.is_none() {
                e.country = n.country;
            }
            if e.cameo.is_none() {
                e.cameo = n.cameo;
            }
            if e.gender.is_none() {
                e.gender = n.gender;
            }
            e.add_alias(n.name, AliasKind::Name);
            return Ok(i);
        }
        let kind = n.kind.ok_or_else(|| invalid("a new actor needs a type"))?;
        if n.name.is_empty() {
            return Err(invalid("a new actor needs a name"));
        }
        let i = EntryId(self.entries.len() as u32);
        let mut e = Entry {
            id: n.id.to_string(),
            name: n.name.to_string(),
            kind,
            country: n.country,
            cameo: n.cameo,
            gender: n.gender,
            roles: Vec::new(),
            codes: Vec::new(),
            aliases: Vec::new(),
        };
        e.add_alias(n.name, AliasKind::Name);
        self.entries.push(e);
        self.origin.push(src.to_string());
        self.by_id.insert(n.id.to_string(), i);
        Ok(i)
    }

    fn countries(&mut self, src: &str, rows: Rows<'_>) -> Result<()> {
        for (line, c) in rows {
            let iso3 = col(&c, 0);
            if iso3.len() != 3 || !iso3.bytes().all(|b| b.is_ascii_uppercase()) {
                return Err(Self::syntax(src, line, format!("bad ISO code `{iso3}`")));
            }
            let i = self.upsert(
                src,
                NewEntry {
                    id: col(&c, 1),
                    kind: Some(ActorKind::Country),
                    name: col(&c, 2),
                    country: Some(iso3.to_string()),
                    cameo: Some(iso3.to_string()),
                    gender: None,
                },
            )?;
            self.by_country.insert(iso3.to_string(), i);
            let e = &mut self.entries[i.index()];
            for a in list(col(&c, 3)) {
                e.add_alias(a, AliasKind::Name);
            }
            for d in list(col(&c, 4)) {
                e.add_alias(d, AliasKind::Demonym);
                if let Some(p) = demonym_plural(d) {
                    e.add_alias(&p, AliasKind::Demonym);
                }
            }
            for a in list(col(&c, 5)) {
                e.add_alias(a, AliasKind::Capital);
            }
            for a in list(col(&c, 6)) {
                e.add_alias(a, AliasKind::Seat);
            }
        }
        Ok(())
    }

    fn entries(&mut self, src: &str, rows: Rows<'_>) -> Result<()> {
        for (line, c) in rows {
            let kind = match col(&c, 1) {
                "" => None,
                k => Some(
                    ActorKind::parse(k)
                        .ok_or_else(|| Self::syntax(src, line, format!("unknown type `{k}`")))?,
                ),
            };
            let gender = match col(&c, 5) {
                "" => None,
                g => Some(
                    parse_gender(g)
                        .ok_or_else(|| Self::syntax(src, line, format!("unknown gender `{g}`")))?,
                ),
            };
            let i = self.upsert(
                src,
                NewEntry {
                    id: col(&c, 0),
                    kind,
                    name: col(&c, 2),
                    country: opt(col(&c, 3)),
                    cameo: opt(col(&c, 4)),
                    gender,
                },
            )?;
            let mut codes = Vec::new();
            for code in list(col(&c, 7)) {
                let (code, span) = match code.split_once('@') {
                    None => (code, Span::default()),
                    Some((code, span)) => (
                        code,
                        Span::parse(span).ok_or_else(|| {
                            Self::syntax(src, line, format!("bad date span `{span}`"))
                        })?,
                    ),
                };
                codes.push(Code {
                    code: code.to_string(),
                    span,
                });
            }
            let e = &mut self.entries[i.index()];
            for a in list(col(&c, 6)) {
                e.add_alias(a, AliasKind::Name);
            }
            for code in codes {
                if !e.codes.contains(&code) {
                    e.codes.push(code);
                }
            }
        }
        Ok(())
    }

    fn offices(&mut self, src: &str, rows: Rows<'_>) -> Result<()> {
        for (line, c) in rows {
            let span = |i| -> Result<Option<Date>> {
                match col(&c, i) {
                    "" => Ok(None),
                    d => Date::parse(d)
                        .map(Some)
                        .ok_or_else(|| Self::syntax(src, line, format!("bad date `{d}`"))),
                }
            };
            let span = Span {
                from: span(4)?,
                to: span(5)?,
            };
            let gender = parse_gender(col(&c, 3));
            let keys: Vec<&str> = list(col(&c, 0)).collect();
            let country = keys
                .first()
                .and_then(|k| k.split_whitespace().next())
                .filter(|p| self.by_country.contains_key(*p))
                .map(str::to_string);
            let i = self.upsert(
                src,
                NewEntry {
                    id: col(&c, 1),
                    kind: Some(ActorKind::Person),
                    name: col(&c, 2),
                    country,
                    cameo: None,
                    gender,
                },
            )?;
            for k in keys {
                self.entries[i.index()].roles.push(Role {
                    key: k.to_string(),
                    span,
                });
            }
        }
        Ok(())
    }

    fn aliases(&mut self, src: &str, rows: Rows<'_>) -> Result<()> {
        for (line, c) in rows {
            let id = col(&c, 0);
            let kind = match col(&c, 1) {
                "name" => AliasKind::Name,
                "demonym" => AliasKind::Demonym,
                "capital" => AliasKind::Capital,
                "seat" => AliasKind::Seat,
                "place" => AliasKind::Place,
                k => return Err(Self::syntax(src, line, format!("unknown alias kind `{k}`"))),
            };
            let &i = self
                .by_id
                .get(id)
                .ok_or_else(|| Self::syntax(src, line, format!("unknown actor id `{id}`")))?;
            for a in list(col(&c, 2)) {
                self.entries[i.index()].add_alias(a, kind);
            }
        }
        Ok(())
    }

    fn toml(&mut self, src: &str, text: &str) -> Result<()> {
        let file: UserFile = toml::from_str(text).map_err(|error| Error::Toml {
            source_name: src.to_string(),
            error,
        })?;
        for a in file.actor {
            let invalid = |message: String| Error::Invalid {
                source_name: src.to_string(),
                id: a.id.clone(),
                message,
            };
            let kind = match a.kind.as_deref() {
                None => None,
                Some(k) => Some(
                    ActorKind::parse(k).ok_or_else(|| invalid(format!("unknown type `{k}`")))?,
                ),
            };
            let gender = match a.gender.as_deref() {
                None => None,
                Some(g) => {
                    Some(parse_gender(g).ok_or_else(|| invalid(format!("unknown gender `{g}`")))?)
                }
            };
            let i = self.upsert(
                src,
                NewEntry {
                    id: &a.id,
                    kind,
                    name: a.name.as_deref().unwrap_or(""),
                    country: a.country.clone(),
                    cameo: a.cameo.clone(),
                    gender,
                },
            )?;
            let mut roles = Vec::new();
            for r in &a.roles {
                let date = |d: &Option<String>| -> Result<Option<Date>> {
                    d.as_deref().map(str::parse).transpose()
                };
                roles.push(Role {
                    key: r.role.clone(),
                    span: Span {
                        from: date(&r.from)?,
                        to: date(&r.to)?,
                    },
                });
            }
            let e = &mut self.entries[i.index()];
            for al in &a.aliases {
                e.add_alias(al, AliasKind::Name);
            }
            e.roles.extend(roles);
        }
        Ok(())
    }

    fn finish(self) -> Result<KnowledgeBase> {
        for (e, origin) in self.entries.iter().zip(&self.origin) {
            if let Some(c) = &e.country {
                if !self.by_country.contains_key(c) {
                    return Err(Error::Invalid {
                        source_name: origin.clone(),
                        id: e.id.clone(),
                        message: format!("unknown country code `{c}`"),
                    });
                }
            }
        }
        let mut roles: HashMap<String, Vec<(Span, EntryId)>> = HashMap::default();
        for (i, e) in self.entries.iter().enumerate() {
            for r in &e.roles {
                roles
                    .entry(r.key.trim().to_lowercase())
                    .or_default()
                    .push((r.span, EntryId(i as u32)));
            }
        }
        for v in roles.values_mut() {
            v.sort_by_key(|(s, _)| (s.from, s.to));
        }
        let matcher = Matcher::build(&self.entries);
        Ok(KnowledgeBase {
            entries: self.entries,
            by_id: self.by_id,
            by_country: self.by_country,
            roles,
            matcher,
        })
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct UserFile {
    #[serde(default)]
    actor: Vec<UserActor>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct UserActor {
    id: String,
    name: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    country: Option<String>,
    cameo: Option<String>,
    gender: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    roles: Vec<UserRole>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct UserRole {
    role: String,
    from: Option<String>,
    to: Option<String>,
}
