//! Regenerate the CAMEO data files of `data/events/` from the PETRARCH2 verb dictionary
//! and the PLOVER conversion table (both MIT, Open Event Data Alliance).
//!
//! ```sh
//! cargo run -p annals-events --example convert_cameo -- [SHARED_PEERS_DIR] [OUT_DIR]
//! ```
//!
//! `SHARED_PEERS_DIR` defaults to `../shared/peers` beside the workspace, `OUT_DIR` to the
//! workspace's `data/events`. Reads `petrarch2/dictionaries/CAMEO.2.0.txt`,
//! `PLOVER/CAMEO2PLOVER-2021.txt` and the workspace's `data/events/goldstein.tsv`; writes:
//!
//! - `cameo-verbs.tsv`: `block  verb  forms  code  flags`, one line per verb of a verb
//!   block. `verb` is lower case; a multi-word verb keeps its words apart (`ask for`).
//!   `forms` lists the irregular forms the dictionary spells out (comma-separated); regular
//!   forms are made at load time. `code` is the verb's own code, else the block's, else
//!   empty; `flags` is `own` when the verb has a code of its own ("ORDER [100]" in a block
//!   of 060): such a verb means something else than its block.
//! - `cameo-patterns.tsv`: `block  code  pattern  verbs`, one line per pattern of a block,
//!   in the dictionary's notation in lower case: `*` is the verb, `&set` a synonym set,
//!   `{a b}` a phrase, `(prep ...)` a prepositional phrase, `$` the source, `+` the target.
//!   A code written `[a:b]` keeps `a` (the source's action); `[:b]` keeps `b`; `[---]` (the
//!   dictionary's "do not code") is written `---`. `verbs` lists the verbs of the block the
//!   pattern was found with (the dictionary's comment names them), comma-separated.
//! - `cameo-synsets.tsv`: `set  word`, the synonym sets (`&currency  dollar`).
//! - `cameo-codes.tsv`: `code  quad  goldstein  plover  mode  name`, every code of the
//!   Goldstein table with its quad class (01–05 verbal cooperation, 06–08 material
//!   cooperation, 09–13 verbal conflict, 14–20 material conflict), its PLOVER event type and
//!   mode (the longest prefix listed in the 2021 table) and its name.
//!
//! The output is deterministic.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

/// Names of the CAMEO codes that the PLOVER table does not list (the 01 and 02 families),
/// from the CAMEO codebook.
const NAMES_01_02: &[(&str, &str)] = &[
    ("01", "Make public statement"),
    ("010", "Make statement"),
    ("011", "Decline comment"),
    ("012", "Make pessimistic comment"),
    ("013", "Make optimistic comment"),
    ("014", "Consider policy option"),
    ("015", "Acknowledge or claim responsibility"),
    ("016", "Deny responsibility"),
    ("017", "Engage in symbolic act"),
    ("018", "Make empathetic comment"),
    ("019", "Express accord"),
    ("02", "Appeal"),
    ("020", "Make an appeal or request"),
    ("021", "Appeal for material cooperation"),
    ("0211", "Appeal for economic cooperation"),
    ("0212", "Appeal for military cooperation"),
    ("0213", "Appeal for judicial cooperation"),
    ("0214", "Appeal for intelligence"),
    ("022", "Appeal for diplomatic cooperation"),
    ("023", "Appeal for aid"),
    ("0231", "Appeal for economic aid"),
    ("0232", "Appeal for military aid"),
    ("0233", "Appeal for humanitarian aid"),
    ("0234", "Appeal for military protection or peacekeeping"),
    ("024", "Appeal for political reform"),
    ("0241", "Appeal for change in leadership"),
    ("0242", "Appeal for policy change"),
    ("0243", "Appeal for rights"),
    ("0244", "Appeal for change in institutions, regime"),
    ("025", "Appeal to yield"),
    ("0251", "Appeal for easing of administrative sanctions"),
    ("0252", "Appeal for easing of popular dissent"),
    ("0253", "Appeal for release of persons or property"),
    (
        "0254",
        "Appeal for easing of economic sanctions, boycott, or embargo",
    ),
    (
        "0255",
        "Appeal for target to allow international involvement",
    ),
    ("0256", "Appeal for de-escalation of military engagement"),
    ("026", "Appeal to others to meet or negotiate"),
    ("027", "Appeal to others to settle dispute"),
    ("028", "Appeal to others to engage in or accept mediation"),
];

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut args = std::env::args().skip(1);
    let peers = args
        .next()
        .map_or_else(|| root.join("../shared/peers"), PathBuf::from);
    let out = args
        .next()
        .map_or_else(|| root.join("data/events"), PathBuf::from);
    let read = |p: PathBuf| {
        std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
    };
    let dict = read(peers.join("petrarch2/dictionaries/CAMEO.2.0.txt"));
    let plover = read(peers.join("PLOVER/CAMEO2PLOVER-2021.txt"));
    let goldstein = read(out.join("goldstein.tsv"));

    let (verbs, patterns, synsets) = convert_verbs(&dict);
    let codes = convert_codes(&plover, &goldstein);
    for (name, text) in [
        ("cameo-verbs.tsv", verbs),
        ("cameo-patterns.tsv", patterns),
        ("cameo-synsets.tsv", synsets),
        ("cameo-codes.tsv", codes),
    ] {
        let path = out.join(name);
        std::fs::write(&path, text)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
        eprintln!("wrote {}", path.display());
    }
}

const HEADER: &str =
    "# Converted from the PETRARCH2 CAMEO verb dictionary CAMEO.2.0.txt (MIT, Open Event Data \
Alliance) by crates/annals-events/examples/convert_cameo.rs; do not edit by hand.\n";

/// The code of a `[...]` field: `a`, `a:b` → `a`, `:b` → `b`, `---` → empty.
fn code_of(field: &str) -> String {
    let inner = field
        .trim()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .trim();
    let (a, b) = inner.split_once(':').unwrap_or((inner, ""));
    let c = if a.trim().is_empty() {
        b.trim()
    } else {
        a.trim()
    };
    if c.chars().all(|ch| ch.is_ascii_digit()) && !c.is_empty() {
        c.to_string()
    } else {
        String::new()
    }
}

/// A dictionary word in lower case, with `_` between words turned into spaces; a leading
/// `+` (the dictionary's mark for the inflected word) is dropped.
fn word(w: &str) -> String {
    w.trim_start_matches('+')
        .trim_end_matches('_')
        .replace('_', " ")
        .to_lowercase()
}

fn convert_verbs(dict: &str) -> (String, String, String) {
    let mut verbs = String::from(HEADER);
    verbs.push_str("# block\tverb\tforms\tcode\tflags\n");
    let mut patterns = String::from(HEADER);
    patterns.push_str("# block\tcode\tpattern\tverbs\n");
    let mut synsets = String::from(HEADER);
    synsets.push_str("# set\tword\n");
    let mut section = "";
    let mut set = String::new();
    let mut block = String::new();
    let mut block_code = String::new();
    // the verbs of the current block, to read the verbs a pattern's comment names
    let mut block_verbs: Vec<String> = Vec::new();
    for raw in dict.lines() {
        let line = raw.split('#').next().unwrap_or("").trim_end();
        if raw.starts_with("####") {
            section = if raw.contains("SYNONYM") {
                "syn"
            } else if raw.contains("VERB PATTERNS") {
                "verbs"
            } else {
                "other"
            };
            continue;
        }
        if line.trim().is_empty() {
            continue;
        }
        match section {
            "syn" => {
                if let Some(name) = line.strip_prefix('&') {
                    set = name.trim().trim_end_matches('_').to_lowercase();
                } else if let Some(w) = line.trim().strip_prefix('+') {
                    if !set.is_empty() {
                        let _ = writeln!(synsets, "&{set}\t{}", word(w.trim()));
                    }
                }
            }
            "verbs" => {
                if let Some(rest) = line.strip_prefix("---") {
                    // ---  NAME   [code]  ---
                    let rest = rest.trim().trim_end_matches('-').trim();
                    let (name, code) = rest.split_once('[').unwrap_or((rest, ""));
                    block = name.trim().to_lowercase();
                    block_code = code_of(code);
                    block_verbs.clear();
                } else if let Some(p) = line.strip_prefix("- ") {
                    let (pat, code) = match p.rfind('[') {
                        Some(i) if p[i..].starts_with("[---]") => (&p[..i], "---".to_string()),
                        Some(i) => (&p[..i], code_of(&p[i..])),
                        None => (p, String::new()),
                    };
                    // "# HEAD" or "# CONFIRM , REAFFIRM": the verbs it was found with
                    let found_with: Vec<String> = raw
                        .split_once('#')
                        .map(|(_, c)| c)
                        .unwrap_or("")
                        .split(|c: char| c.is_whitespace() || c == ',')
                        .map(word)
                        .filter(|w| block_verbs.contains(w))
                        .fold(Vec::new(), |mut v, w| {
                            if !v.contains(&w) {
                                v.push(w);
                            }
                            v
                        });
                    let code = if code.is_empty() {
                        block_code.clone()
                    } else {
                        code
                    };
                    if code.is_empty() {
                        continue;
                    }
                    let pat = pat
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ")
                        .to_lowercase();
                    let _ = writeln!(patterns, "{block}\t{code}\t{pat}\t{}", found_with.join(","));
                } else if !line.starts_with(' ') && !line.starts_with('~') {
                    // VERB {FORMS} [code]
                    let (head, code) = match line.find('[') {
                        Some(i) => (&line[..i], code_of(&line[i..])),
                        None => (line, String::new()),
                    };
                    let (verb, forms) = match head.find('{') {
                        Some(i) => (&head[..i], head[i + 1..].trim().trim_end_matches('}')),
                        None => (head, ""),
                    };
                    let verb = word(verb.trim());
                    if verb.is_empty() {
                        continue;
                    }
                    let forms: Vec<String> = forms.split_whitespace().map(word).collect();
                    let own = !code.is_empty() && code != block_code;
                    let code = if code.is_empty() {
                        block_code.clone()
                    } else {
                        code
                    };
                    let _ = writeln!(
                        verbs,
                        "{block}\t{verb}\t{}\t{code}\t{}",
                        forms.join(","),
                        if own { "own" } else { "" }
                    );
                    block_verbs.push(verb);
                }
            }
            _ => {}
        }
    }
    (verbs, patterns, synsets)
}

fn convert_codes(plover: &str, goldstein: &str) -> String {
    let mut table: BTreeMap<String, (String, String, String)> = BTreeMap::new();
    for line in plover.lines() {
        let Some((code, rest)) = line.split_once(':') else {
            continue;
        };
        let code = code.trim();
        if code.is_empty() || !code.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        let (fields, name) = rest.split_once('#').unwrap_or((rest, ""));
        let mut f = fields.split(',').map(str::trim);
        let kind = f.next().unwrap_or("").to_string();
        let mode = f.next().unwrap_or("").to_string();
        table.insert(code.to_string(), (kind, mode, name.trim().to_string()));
    }
    let names: BTreeMap<&str, &str> = NAMES_01_02.iter().copied().collect();
    let mut out = String::from(
        "# CAMEO codes: quad class, Goldstein score (GDELT's CAMEO.goldsteinscale.txt), PLOVER type and mode \
(CAMEO2PLOVER-2021.txt, MIT, Open Event Data Alliance) and name. Made by \
crates/annals-events/examples/convert_cameo.rs; do not edit by hand.\n# code\tquad\tgoldstein\tplover\tmode\tname\n",
    );
    for line in goldstein.lines().skip(1) {
        let Some((code, score)) = line.split_once('\t') else {
            continue;
        };
        let root: u32 = code[..2].parse().unwrap_or(0);
        let quad = match root {
            1..=5 => 1,
            6..=8 => 2,
            9..=13 => 3,
            _ => 4,
        };
        let prefix = (2..=code.len())
            .rev()
            .map(|n| &code[..n])
            .find(|p| table.contains_key(*p));
        let (kind, mode) = prefix
            .and_then(|p| table.get(p))
            .map_or((String::new(), String::new()), |(k, m, _)| {
                (k.clone(), m.clone())
            });
        let name = table
            .get(code)
            .map(|t| t.2.clone())
            .filter(|n| !n.is_empty())
            .or_else(|| names.get(code).map(|n| n.to_string()))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{code}\t{quad}\t{}\t{kind}\t{mode}\t{name}",
            score.trim()
        );
    }
    out
}
