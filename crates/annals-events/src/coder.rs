//! The clause-level coder: predicates and nominal events, their source and target from the
//! parse, their code from the dictionaries, their modality and their date.

use crate::dating::{date_of, past_perfect, propagate_dates, tense_of};
use crate::lexicon::{Elem, Lexicon};
use crate::view::{in_clause, is_clause_rel, mention_of_tokens, Sent};
use annals_model::{Document, Event, Modality, TextRange};
use annals_time::{Date, Tense};

/// Verbs that report speech: their content clause is coded with the speaker as source.
const SAY: &[&str] = &[
    "say",
    "tell",
    "state",
    "declare",
    "announce",
    "add",
    "insist",
    "claim",
    "argue",
    "note",
    "explain",
    "stress",
    "confirm",
    "reply",
    "respond",
    "write",
    "assert",
    "maintain",
    "acknowledge",
    "admit",
    "believe",
    "think",
    "reiterate",
    "indicate",
    "signal",
    "suggest",
    "warn",
    "affirm",
    "contend",
];

/// Verbs whose complement is an intended or considered action: "plans to visit".
fn intent_verb(lemma: &str) -> Option<Modality> {
    Some(match lemma {
        "want" | "plan" | "intend" | "seek" | "hope" | "aim" | "prepare" | "expect" | "wish"
        | "mean" | "promise" | "pledge" | "vow" | "swear" | "offer" | "agree" | "propose"
        | "threaten" | "vote" | "move" | "try" | "tries" | "tried" | "trying" | "attempt"
        | "ready" | "willing" | "prepared" | "determined" | "eager" | "set" | "due" | "likely"
        | "going" => Modality::Planned,
        "consider" | "weigh" | "mull" | "contemplate" | "explore" | "discuss" => {
            Modality::Considered
        }
        // a decision is the act decided: "the court decided to allow him to run"
        "decide" => Modality::Asserted,
        "fail" | "refuse" | "decline" => Modality::Failed,
        _ => return None,
    })
}

/// The code an intended (planned, considered, conditional) action gets: the intent to
/// cooperate (03) for cooperation, the threat (13) for force.
fn intent_code(code: &str) -> String {
    let root = code.get(..2).unwrap_or("");
    let c = match root {
        "04" => "036",
        "05" => "030",
        "06" => "031",
        "07" => match code {
            "071" => "0331",
            "072" => "0332",
            "073" => "0333",
            "074" => "0334",
            _ => "033",
        },
        "08" => "035",
        "14" => "130",
        "15" | "18" | "19" | "20" => "138",
        "16" => "131",
        "17" => "137",
        _ => return code.to_string(),
    };
    c.to_string()
}

/// The rejection (12) that refusing or denying a cooperative action (03 to 08) amounts
/// to: not meeting is rejecting talks (125), not yielding is refusing to yield (124).
fn rejection_code(code: &str) -> Option<&'static str> {
    Some(match code.get(..2)? {
        "04" => "125",
        "08" => "124",
        "06" | "07" => "121",
        "03" | "05" => "120",
        _ => return None,
    })
}

/// Is an announced action a threat? It is when it comes with a condition the target
/// must meet ("will withdraw its force unless …", "may halt mediation if …") or is
/// what a speaker warns of ("warned that police will no longer tolerate rallies").
fn is_threat(lex: &Lexicon, s: &Sent, d: &Draft) -> bool {
    let conditioned = s.kids[d.head].iter().any(|&k| {
        s.rel(k) == "advcl"
            && s.kids[k]
                .iter()
                .any(|&m| s.rel(m) == "mark" && matches!(s.word(m), "unless" | "if"))
    });
    let warned = d
        .say
        .is_some_and(|v| matches!(lemma_of(lex, s, v).as_str(), "warn" | "threaten"));
    // a condition on a cooperative act is an offer, not a threat: "would welcome Russia
    // if it refocuses its strikes"
    is_hostile(&d.code) && (conditioned || warned)
}

/// Can announcing the act be a threat: a withdrawal, a rejection or conflict (08, 12, 14
/// to 20)?
fn is_hostile(code: &str) -> bool {
    matches!(
        code.get(..2).unwrap_or(""),
        "08" | "12" | "14" | "15" | "16" | "17" | "18" | "19" | "20"
    )
}

/// The threat (13) an announced, conditioned action amounts to: sanctions threaten
/// non-force measures (131), repression 137, force 138, anything else 130.
fn threat_code(code: &str) -> &'static str {
    match code.get(..2).unwrap_or("") {
        "16" | "08" => "131",
        "17" => "137",
        "18" | "19" | "20" => "138",
        _ => "130",
    }
}

/// A predicate under construction.
#[derive(Debug, Clone)]
struct Draft {
    head: usize,
    /// Last token of the action words (particles, the light verb's noun).
    action: (usize, usize),
    source: Option<u32>,
    /// More sources when the subject is coordinated ("Obama and Putin met").
    more_sources: Vec<u32>,
    target: Option<u32>,
    code: String,
    modality: Modality,
    symmetric: bool,
    /// Tokens the pattern used, so that a nominal among them is not coded again.
    used: Vec<usize>,
    confidence: f32,
    /// The speech verb whose content this is: its date is the statement's.
    say: Option<usize>,
    /// The target is no argument of the predicate but an actor found deeper in its
    /// phrase ("seek joint ways of fighting IS").
    weak_target: bool,
}

impl Draft {
    /// The verb this predicate is the open complement of: "refused" in "refused to pay".
    fn head_of_xcomp(&self, s: &Sent) -> Option<usize> {
        (s.rel(self.head) == "xcomp")
            .then(|| s.head[self.head])
            .flatten()
    }
}

/// Code every sentence of a document.
pub(crate) fn code_document(lex: &Lexicon, doc: &Document) -> Vec<Event> {
    let mention_of = mention_of_tokens(doc);
    let published = doc
        .published
        .as_deref()
        .and_then(|p| Date::parse(p.get(..10).unwrap_or(p)));
    let mut events = Vec::new();
    let mut pair: Option<(u32, u32)> = None;
    for si in 0..doc.sentences.len() {
        let Some(mut s) = Sent::new(doc, si, &mention_of) else {
            continue;
        };
        s.repair_voice();
        s.repair_predicate(&|w| lex.is_past_form(w));
        if s.len() > 150 {
            continue;
        }
        // the pair "the two countries" stands for: named together in this sentence
        // before it, else in an earlier one
        let here = named_pair(&s);
        events.extend(code_sentence(lex, &s, published, here.or(pair)));
        pair = here.or(pair);
    }
    propagate_dates(&mut events);
    let mut events: Vec<Event> = events.into_iter().map(|(e, _, _)| e).collect();
    dedup(&mut events);
    events
}

fn verb_entry(lex: &Lexicon, s: &Sent, i: usize) -> Option<(u32, usize)> {
    let ids = lex.forms.get(s.word(i))?;
    let mut best: Option<(u32, usize)> = None;
    for &id in ids {
        let v = &lex.verbs[id as usize];
        // particles follow the verb (with at most one word between: "called Putin for")
        let mut end = i;
        let mut ok = true;
        for w in &v.rest {
            match (end + 1..(end + 3).min(s.len())).find(|&j| s.word(j) == &**w) {
                Some(j) => end = j,
                None => {
                    ok = false;
                    break;
                }
            }
        }
        if ok && best.is_none_or(|(b, _)| lex.verbs[b as usize].rest.len() < v.rest.len()) {
            best = Some((id, end));
        }
    }
    best
}

/// The pattern that selects the most specific code for a verb, given the words before and
/// after it; the verb's own code when none matches. `None` when nothing codes it, or when
/// the best pattern says not to code ("---"). A verb with a code of its own ("order" among
/// verbs of managing) takes only the patterns found with it, not its block's others; so
/// does every verb for patterns of particles only (phrasal verbs: "head for").
///
/// Of patterns with as many words, one found with this verb wins, then, of one-word
/// patterns, the one whose word lies nearest the verb: "mobilized army reservists for a
/// war against Iraq" is mobilising the army (`* &military`), not rallying against
/// (`* against`).
fn choose_code(
    lex: &Lexicon,
    verb: u32,
    pre: &[(usize, &str)],
    post: &[(usize, &str)],
) -> Option<(String, Vec<usize>)> {
    let v = &lex.verbs[verb as usize];
    // the verb's position: before the first word after it, else after the last before it
    let at = post
        .first()
        .map(|&(t, _)| t.saturating_sub(1))
        .or_else(|| pre.last().map(|&(t, _)| t + 1))
        .unwrap_or(0);
    let mut best: Option<(PatternRank, &str, Vec<usize>)> = None;
    for p in &lex.blocks[v.block as usize] {
        let w = p.weight();
        if w == 0 || best.as_ref().is_some_and(|b| b.0 .0 > w) {
            continue;
        }
        let found_with = p.verbs.is_empty() || p.verbs.iter().any(|x| verb_name_is(v, x));
        if !found_with && (p.only || v.own || p.phrasal) {
            continue;
        }
        let Some(mut used) = subsequence(lex, &p.post, post) else {
            continue;
        };
        let Some(more) = subsequence(lex, &p.pre, pre) else {
            continue;
        };
        used.extend(more);
        // (one word only: between longer patterns the dictionary's order decides)
        let reach = match w {
            1 => used.iter().map(|&u| u.abs_diff(at)).max().unwrap_or(0),
            _ => 0,
        };
        let own = !p.verbs.is_empty() && found_with;
        let rank = (w, own, std::cmp::Reverse(reach));
        if best.as_ref().is_some_and(|b| b.0 >= rank) {
            continue;
        }
        best = Some((rank, &p.code, used));
    }
    match best {
        Some((_, "---", _)) => None,
        Some((_, code, used)) => Some((code.to_string(), used)),
        None if !v.code.is_empty() => Some((v.code.to_string(), Vec::new())),
        None => None,
    }
}

/// How well a pattern fits: its number of words, whether it was found with the verb, and
/// (reversed) how far its farthest word lies from the verb.
type PatternRank = (usize, bool, std::cmp::Reverse<usize>);

/// Is `name` ("set up") the verb `v` with its particles?
fn verb_name_is(v: &crate::lexicon::Verb, name: &str) -> bool {
    let mut words = name.split(' ');
    words.next() == Some(&*v.lemma) && words.eq(v.rest.iter().map(|r| &**r))
}

/// Do the pattern's words occur in this order among `words`? The tokens they matched.
fn subsequence(lex: &Lexicon, elems: &[Elem], words: &[(usize, &str)]) -> Option<Vec<usize>> {
    let mut used = Vec::new();
    let mut j = 0;
    for e in elems {
        if matches!(e, Elem::Source | Elem::Target) {
            continue;
        }
        // a pattern word with spaces ("air strike") matches consecutive words
        let parts: Vec<Elem> = match e {
            Elem::Word { text, exact } if text.contains(' ') => text
                .split(' ')
                .map(|t| Elem::Word {
                    text: t.into(),
                    exact: *exact,
                })
                .collect(),
            _ => vec![e.clone()],
        };
        loop {
            if j + parts.len() > words.len() {
                return None;
            }
            if parts
                .iter()
                .enumerate()
                .all(|(k, p)| lex.word_matches(p, words[j + k].1))
            {
                used.extend((j..j + parts.len()).map(|k| words[k].0));
                j += parts.len();
                break;
            }
            j += 1;
        }
    }
    Some(used)
}

/// The speaker of the direct quote a first-person pronoun stands in.
fn first_person_speaker(s: &Sent, x: usize) -> Option<u32> {
    if !is_pronoun_we(s.word(x)) {
        return None;
    }
    let r = s.range(x);
    s.doc
        .quotes
        .iter()
        .filter(|q| q.direct)
        .find(|q| {
            std::iter::once(&q.range)
                .chain(&q.continued)
                .any(|qr| qr.start <= r.start && r.end <= qr.end)
        })
        .and_then(|q| q.speaker)
}

fn is_pronoun_we(w: &str) -> bool {
    matches!(w, "we" | "i" | "us" | "me")
}

/// The subject of a predicate, looking up through control and coordination: "agreed to
/// cooperate", "met Putin and discussed Syria", "Addressing the UN, Putin called".
fn subject(s: &Sent, p: usize) -> Option<usize> {
    let mut t = p;
    for _ in 0..4 {
        // the subject nearest the verb (a bad parse can give two), not a time expression
        // the parse took for one ("Iran today threatened")
        if let Some(x) = s.kids[t]
            .iter()
            .copied()
            .filter(|&k| matches!(s.rel(k), "nsubj" | "csubj"))
            .min_by_key(|&k| (s.timed[k], k.abs_diff(t)))
        {
            return Some(x);
        }
        // the complement of a passive without an agent is its subject's act: "Obama is
        // scheduled to attend", "Iran was urged to stop"
        if t != p && s.rel(p) == "xcomp" && s.head[p] == Some(t) {
            let agent = s.kids[t].iter().any(|&k| {
                s.rel(k) == "obl:agent" || (s.rel(k) == "obl" && s.case_of(k) == Some("by"))
            });
            if let Some(x) = s.child(t, "nsubj:pass").filter(|_| !agent) {
                return Some(x);
            }
        }
        // a passive's agent is its source
        if s.child(t, "nsubj:pass").is_some() {
            let direct = s.kids[t].iter().copied().find(|&k| {
                s.rel(k) == "obl:agent" || (s.rel(k) == "obl" && s.case_of(k) == Some("by"))
            });
            // the parse may hang "by France" on another phrase: "brokered in February
            // by France"
            return direct.or_else(|| {
                s.subtree(t, &|r: &str| is_clause_rel(r) || r == "conj")
                    .into_iter()
                    .filter(|&k| k > t)
                    .find(|&k| s.case_of(k) == Some("by") && s.phrase_actor(k).is_some())
            });
        }
        if matches!(s.xpos(t), "VBD" | "VBZ" | "VBP") {
            if let Some(x) = linear_subject(s, t) {
                return Some(x);
            }
        }
        let h = s.head[t]?;
        match s.rel(t) {
            // a verb the parse coordinated with the object of the verb before it
            // ("Russia attacked Aleppo and bombed Homs"): that verb's subject
            "conj"
                if s.upos(t) == "VERB"
                    && matches!(s.upos(h), "NOUN" | "PROPN" | "PRON")
                    && s.head[h].is_some_and(|v| s.upos(v) == "VERB") =>
            {
                t = s.head[h]?
            }
            "xcomp" | "conj" | "advcl" => t = h,
            // a participle clause the parse took for a complement: "he said,
            // proposing a resolution"
            "ccomp" | "parataxis" if s.xpos(t) == "VBG" => t = h,
            "acl" => return Some(h),
            "acl:relcl" => return Some(h),
            _ => return None,
        }
    }
    None
}

/// The actors of a subject with its conjuncts, also when the parse attached the
/// coordination elsewhere ("Mr Obama and Mr Putin" under an apposition).
fn subject_actors(s: &Sent, x: usize) -> Vec<u32> {
    let mut out = s.phrase_actors(x);
    if s.rel(x) == "conj" {
        if let Some(a) = s.head[x].and_then(|h| s.actor[h]) {
            if !out.contains(&a) {
                out.insert(0, a);
            }
        }
    }
    // "A and B", "A, B and C" just before, however the parse took them: walk left over
    // the name, then "and" or a comma, then the other name, and so on
    let mut i = x;
    let mut at = s.actor[x];
    while at.is_some() {
        while i > 0 && s.actor[i - 1].is_some() && s.actor[i - 1] == at {
            i -= 1;
        }
        let mut j = i;
        while j > 0 && matches!(s.word(j - 1), "and" | ",") {
            j -= 1;
        }
        if j == i || j == 0 {
            break;
        }
        at = s.actor[j - 1];
        if let Some(a) = at {
            if !out.contains(&a) {
                out.insert(0, a);
            }
        }
        i = j - 1;
    }
    out
}

/// The actor of the noun phrase that ends just before predicate `p`, across adverbs,
/// auxiliaries and a time word: "European Community foreign ministers agreed",
/// "The German government today welcomed".
fn left_np_actor(s: &Sent, p: usize) -> Option<u32> {
    let mut i = p;
    while i > 0 {
        let w = s.word(i - 1);
        let time_word = matches!(
            w,
            "today" | "yesterday" | "tonight" | "now" | "also" | "again"
        );
        if matches!(s.upos(i - 1), "ADV" | "AUX" | "PART") || time_word {
            i -= 1;
        } else {
            break;
        }
    }
    let mut steps = 0;
    while i > 0 && steps < 8 {
        i -= 1;
        steps += 1;
        if let Some(a) = s.actor[i] {
            return Some(a);
        }
        let inside = matches!(s.upos(i), "NOUN" | "PROPN" | "ADJ" | "DET" | "NUM")
            || matches!(s.word(i), "(" | ")");
        if !inside {
            return None;
        }
    }
    None
}

/// A finite verb the parse left without a subject: the actor just before it, across
/// adverbs and auxiliaries ("…, Putin also held talks").
fn linear_subject(s: &Sent, p: usize) -> Option<usize> {
    let mut i = p;
    while i > 0 {
        i -= 1;
        match s.upos(i) {
            "ADV" | "AUX" | "PART" => continue,
            "PROPN" | "NOUN" | "PRON" if s.actor[i].is_some() => return Some(i),
            _ => return None,
        }
    }
    None
}

/// The target a predicate names among its own arguments: the subject of a passive, its
/// object, or an oblique with a preposition of direction.
///
/// Actors in `not` (the sources) are passed over: a passive without an agent whose
/// subject is the source ("Egypt is opposed to Turkish mediation") acts on its oblique.
fn argument_target(s: &Sent, p: usize, passive: bool, not: &[u32]) -> Option<u32> {
    let actor = |k: usize| s.phrase_actor(k).filter(|a| !not.contains(a));
    if passive {
        if let Some(x) = s.child(p, "nsubj:pass") {
            if let Some(a) = actor(x) {
                return Some(a);
            }
        }
    }
    for rel in ["obj", "iobj"] {
        for k in s.children(p, rel) {
            if let Some(a) = actor(k) {
                return Some(a);
            }
        }
    }
    for k in s.kids[p]
        .iter()
        .copied()
        .filter(|&k| matches!(s.rel(k), "obl" | "obl:npmod"))
    {
        let case = s.case_of(k).unwrap_or("");
        if matches!(
            case,
            "with"
                | "against"
                | "on"
                | "to"
                | "toward"
                | "towards"
                | "at"
                | "into"
                | "from"
                | "for"
                | "over"
                | "upon"
                | "in"
                | "about"
                | "between"
        ) {
            if let Some(a) = actor(k) {
                return Some(a);
            }
        }
    }
    None
}

/// The target of a predicate: its object, else an oblique with a preposition of
/// direction ("with", "against", "on", "to"), else an object inside its complement
/// ("urged Putin to help", "agreed to cooperate with Russia").
fn target(s: &Sent, p: usize, passive: bool, not: &[u32]) -> Option<u32> {
    if let Some(a) = argument_target(s, p, passive, not) {
        return Some(a);
    }
    if let Some(a) = object_target(s, p) {
        return Some(a);
    }
    // the target of its complement: "agreed to provide aid for Romania", also when the
    // parse made the infinitive an adverbial clause
    let infinitives = s.kids[p].iter().copied().filter(|&k| {
        s.rel(k) == "xcomp"
            || (s.rel(k) == "advcl"
                && s.kids[k]
                    .iter()
                    .any(|&m| s.rel(m) == "mark" && s.word(m) == "to"))
    });
    for k in infinitives {
        if let Some(a) = target(s, k, false, not) {
            return Some(a);
        }
    }
    // a transitive verb the parse gave no object: the actor named right after it
    // ("called Russian Foreign Minister Sergei Lavrov")
    if let Some(a) = actor_after(s, p, passive) {
        return Some(a);
    }
    // the first actor inside the predicate's own phrase, to its right: "offered its
    // troops to Lebanon's president", "provide food aid to refugees in Liberia"
    // (the predicate's own conjuncts and clauses are other events; below its phrases a
    // conjunct is more of the same: "photographs and intelligence to Macedonia")
    let top_skip = |r: &str| {
        matches!(
            r,
            "nsubj"
                | "nsubj:pass"
                | "csubj"
                | "ccomp"
                | "parataxis"
                | "advcl"
                | "punct"
                | "conj"
                | "cc"
                | "acl:relcl"
                | "appos"
                | "dep"
                | "list"
        )
    };
    let deep_skip = |r: &str| {
        matches!(
            r,
            "nsubj"
                | "nsubj:pass"
                | "csubj"
                | "ccomp"
                | "parataxis"
                | "advcl"
                | "punct"
                | "acl:relcl"
        )
    };
    let mut found: Option<usize> = None;
    for &k in &s.kids[p] {
        if top_skip(s.rel(k)) {
            continue;
        }
        for t in s.subtree(k, &deep_skip) {
            if t > p && s.actor[t].is_some_and(|a| !not.contains(&a)) && found.is_none_or(|f| t < f)
            {
                found = Some(t);
            }
        }
    }
    found.and_then(|t| s.actor[t])
}

/// The party of a predicate's nominal object: "held talks with Obama", "launched strikes
/// on IS".
fn object_target(s: &Sent, p: usize) -> Option<u32> {
    for k in s.children(p, "obj") {
        for n in s.children(k, "nmod") {
            if matches!(
                s.case_of(n),
                Some("with" | "against" | "on" | "to" | "between" | "of")
            ) {
                if let Some(a) = s.phrase_actor(n) {
                    return Some(a);
                }
            }
        }
    }
    None
}

fn actor_after(s: &Sent, p: usize, passive: bool) -> Option<u32> {
    if s.child(p, "obj").is_none() && !passive {
        let mut j = p + 1;
        while j < s.len() && matches!(s.upos(j), "DET" | "ADV") {
            j += 1;
        }
        if j < s.len() && matches!(s.upos(j), "PROPN" | "ADJ" | "NOUN" | "PRON") {
            if let Some(a) = s.actor[j] {
                return Some(a);
            }
        }
    }
    None
}

/// The modality a predicate inherits from the verbs it depends on: "considering joining
/// … in carrying out airstrikes" is considered all the way down.
fn inherited_modality(lex: &Lexicon, s: &Sent, p: usize) -> Option<Modality> {
    let mut t = p;
    for _ in 0..4 {
        if !matches!(s.rel(t), "xcomp" | "advcl" | "obl" | "conj" | "obj") {
            return None;
        }
        let h = s.head[t]?;
        if let Some(m) = intent_verb(&lemma_of(lex, s, h)) {
            return Some(m);
        }
        match own_modality(s, h) {
            Modality::Asserted => {}
            m => return Some(m),
        }
        t = h;
    }
    None
}

/// The modality of a predicate from its auxiliaries and negation.
fn own_modality(s: &Sent, p: usize) -> Modality {
    let mut m = Modality::Asserted;
    for &k in &s.kids[p] {
        match (s.rel(k), s.word(k)) {
            ("advmod", "not" | "n't" | "never") => return Modality::Negated,
            ("aux", "will" | "'ll" | "shall" | "wo") => m = Modality::Planned,
            ("aux", "would" | "could" | "might" | "may" | "'d" | "should" | "must" | "can") => {
                m = Modality::Conditional
            }
            _ => {}
        }
    }
    m
}

/// The first two actors a sentence names together ("Kenya and Uganda").
fn named_pair(s: &Sent) -> Option<(u32, u32)> {
    (0..s.len()).find_map(|t| {
        let all = s.phrase_actors(t);
        match all[..] {
            [a, b, ..] if s.actor[t].is_some() => Some((a, b)),
            _ => None,
        }
    })
}

/// Is nominal `x` "the two countries", "both sides": a pair noun with "two" or "both"
/// and no actor of its own?
fn is_pair_phrase(lex: &Lexicon, s: &Sent, x: usize) -> bool {
    s.phrase_actor(x).is_none()
        && lex.pair_nouns.iter().any(|n| **n == *s.word(x))
        && s.kids[x]
            .iter()
            .any(|&k| matches!(s.word(k), "two" | "both"))
}

fn code_sentence(
    lex: &Lexicon,
    s: &Sent,
    published: Option<Date>,
    pair: Option<(u32, u32)>,
) -> Vec<(Event, bool, bool)> {
    let n = s.len();
    let mut drafts: Vec<Draft> = Vec::new();
    let tokens = s.doc.sentences[s.index].range;
    let times = &s.times;
    // words of time expressions, with their prepositions, carry no action: "called
    // Lavrov on Tuesday" is no "call on"
    let in_time =
        |t: usize| s.timed[t] || (s.rel(t) == "case" && s.head[t].is_some_and(|h| s.timed[h]));
    let mut consumed = vec![false; n];
    // statement verbs that only carry a nominal event
    let mut light_heads: Vec<usize> = Vec::new();
    // verbs
    for p in 0..n {
        let verbal = s.upos(p) == "VERB" || (s.upos(p) == "NOUN" && s.xpos(p).starts_with("VB"));
        // a participle inside an actor's name or used as an adjective is no predicate:
        // "US-led coalition", "suspected militants", "according to"
        if !verbal || s.actor[p].is_some() || s.rel(p) == "amod" || s.word(p) == "according" {
            continue;
        }
        let Some((vid, end)) = verb_entry(lex, s, p) else {
            continue;
        };
        let verb = &lex.verbs[vid as usize];
        if SAY.contains(&&*verb.lemma) && s.child(p, "ccomp").is_some() {
            continue; // coded through its content clause
        }
        let skip = |r: &str| {
            is_clause_rel(r)
                || matches!(
                    r,
                    "nsubj" | "nsubj:pass" | "csubj" | "punct" | "conj" | "cc"
                )
        };
        let post_toks: Vec<usize> = s
            .subtree(p, &skip)
            .into_iter()
            .filter(|&t| t > end && !in_time(t))
            .take(14)
            .collect();
        let post: Vec<(usize, &str)> = post_toks.iter().map(|&t| (t, s.word(t))).collect();
        // words before the verb are its own dependents (subject, adverbs) and the words of
        // its subject's phrase, through "of" ("the first deployment of NATO peacekeeping
        // troops have arrived"): "Israeli military policies" in "riots against Israeli
        // military policies are continuing" are no military subject
        let mut subject_phrase: Vec<usize> = s.kids[p]
            .iter()
            .copied()
            .filter(|&k| matches!(s.rel(k), "nsubj" | "nsubj:pass"))
            .collect();
        let mut k = 0;
        while k < subject_phrase.len() && subject_phrase.len() < 16 {
            let t = subject_phrase[k];
            k += 1;
            for &c in &s.kids[t] {
                let ok = match s.rel(c) {
                    "nmod" | "obl" => matches!(s.case_of(c), Some("of") | None),
                    r => !matches!(r, "acl:relcl" | "punct" | "cc" | "conj" | "appos"),
                };
                if ok && c < p {
                    subject_phrase.push(c);
                }
            }
        }
        let pre: Vec<(usize, &str)> = (p.saturating_sub(6)..p)
            .filter(|&t| s.head[t] == Some(p) || subject_phrase.contains(&t))
            .map(|t| (t, s.word(t)))
            .collect();
        let Some((code, used)) = choose_code(lex, vid, &pre, &post) else {
            continue;
        };
        // a statement whose object names the act is that act: "announced a suspension of
        // air links", "declared a curfew"
        if code.starts_with("01")
            && s.child(p, "obj")
                .is_some_and(|o| noun_entry(lex, s, o).is_some())
        {
            light_heads.push(p);
            continue;
        }
        let passive = s.child(p, "nsubj:pass").is_some() || s.child(p, "aux:pass").is_some();
        let subj = subject(s, p);
        let mut sources = subj.map(|x| subject_actors(s, x)).unwrap_or_default();
        // "the two countries agreed": the pair last named together
        if let (true, Some((a, b))) = (subj.is_some_and(|x| is_pair_phrase(lex, s, x)), pair) {
            sources = vec![a, b];
        }
        // "I" and "we" in a direct quote are its speaker
        if sources.is_empty() {
            if let Some(a) = subj.and_then(|x| first_person_speaker(s, x)) {
                sources.push(a);
            }
        }
        // a subject the parse missed or mislabelled: the actor in the noun phrase just
        // before the verb ("A top U.S. official today praised")
        if sources.is_empty() && subj.is_none_or(|x| x < p) {
            if let Some(a) = left_np_actor(s, p) {
                sources.push(a);
            }
        }
        // a subject of no known side speaks for the side its phrase names: "a member of
        // the Syrian parliament, Mohammed Mamoun", "rebels in the Ivory Coast"
        if let Some(x) = subj {
            if sources.first().is_none_or(|&a| !has_side(s, a)) {
                if let Some(a) = side_in_phrase(s, x) {
                    match sources.first_mut() {
                        Some(first) => *first = a,
                        None => sources.push(a),
                    }
                }
            }
        }
        let tgt = target(s, p, passive, &sources);
        let mut modality = own_modality(s, p);
        // a complement of an intent verb or adjective: "plans to visit", "ready to work"
        if s.rel(p) == "xcomp" {
            if let Some(h) = s.head[p] {
                let hl = lemma_of(lex, s, h);
                if let Some(m) = intent_verb(&hl) {
                    modality = m;
                }
                if own_modality(s, h) == Modality::Negated {
                    modality = Modality::Negated;
                }
            }
        }
        if modality == Modality::Asserted {
            if let Some(m) = inherited_modality(lex, s, p) {
                modality = m;
            }
        }
        // "is considering airstrikes": the pattern codes the action, the verb its status
        if modality == Modality::Asserted && intent_verb(&verb.lemma) == Some(Modality::Considered)
        {
            modality = Modality::Considered;
        }
        let symmetric = lex.symmetric.iter().any(|x| **x == *verb.lemma);
        for &u in &used {
            consumed[u] = true;
        }
        drafts.push(Draft {
            head: p,
            action: (p, end),
            source: sources.first().copied(),
            more_sources: sources.get(1..).unwrap_or(&[]).to_vec(),
            target: tgt,
            code,
            modality,
            symmetric,
            used,
            confidence: 0.7,
            say: None,
            // a place ("met in Arusha") is where, not whom
            weak_target: tgt.is_some_and(|t| is_place(s, t))
                || (tgt.is_some()
                    && argument_target(s, p, passive, &sources).is_none()
                    && object_target(s, p).is_none()),
        });
    }
    // "not rule out X": X is considered
    for d in &mut drafts {
        let lemma = lemma_of(lex, s, d.head);
        if lemma == "rule" && d.modality == Modality::Negated {
            d.modality = Modality::Considered;
            if let Some(o) = s.child(d.head, "obj") {
                if let Some(nn) = noun_entry(lex, s, o) {
                    d.code = nn.0;
                }
            }
        }
    }
    // nominal events
    for (t, &used) in consumed.iter().enumerate() {
        if used || !matches!(s.upos(t), "NOUN" | "PROPN") {
            continue;
        }
        let Some((code, symmetric, first)) = noun_entry(lex, s, t) else {
            continue;
        };
        if drafts
            .iter()
            .any(|d| d.used.contains(&t) || (Some(d.head) == s.head[t] && s.rel(t) == "obj"))
        {
            continue;
        }
        // the source: "Russia's airstrikes", "Russian airstrikes", "strikes by Russia",
        // else the subject of the light verb that governs it ("held talks")
        let mut source = None;
        for &k in &s.kids[t] {
            let r = s.rel(k);
            if matches!(r, "nmod:poss" | "compound" | "amod") && s.actor[k].is_some() {
                source = s.phrase_actor(k);
                break;
            }
            if r == "nmod" && s.case_of(k) == Some("by") {
                source = s.phrase_actor(k);
                break;
            }
        }
        let mut modality = Modality::Asserted;
        let mut gov = None;
        let mut co_source = None;
        if let Some(h) = s.head[t] {
            let hl = lemma_of(lex, s, h);
            let light = matches!(s.rel(t), "obj" | "nsubj:pass")
                && (lex.light.contains_key(s.word(h))
                    || lex.light.contains_key(hl.as_str())
                    || intent_verb(&hl).is_some()
                    || light_heads.contains(&h));
            if light {
                gov = Some(h);
                if source.is_none() {
                    let x = subject(s, h);
                    source = x.and_then(|x| s.phrase_actor(x));
                    // "both sides held talks"
                    if let (true, Some((a, b))) =
                        (x.is_some_and(|x| is_pair_phrase(lex, s, x)), pair)
                    {
                        source = Some(a);
                        co_source = Some(b);
                    }
                }
                modality = own_modality(s, h);
                if let Some(m) = intent_verb(&hl) {
                    modality = m;
                }
                if hl == "rule" && modality == Modality::Negated {
                    modality = Modality::Considered;
                }
                if modality == Modality::Asserted {
                    if let Some(m) = inherited_modality(lex, s, h) {
                        modality = m;
                    }
                }
            } else if source.is_none()
                && (symmetric || code.starts_with("04"))
                && s.rel(t) == "obl"
                && matches!(s.case_of(t), Some("for" | "into"))
                && s.upos(h) == "VERB"
            {
                // who goes somewhere for talks holds them: "negotiators return to Geneva
                // for talks"
                source = subject(s, h).and_then(|x| s.phrase_actor(x));
                modality = own_modality(s, h);
            }
        }
        let mut target = None;
        for k in s.children(t, "nmod") {
            if matches!(
                s.case_of(k),
                Some("with" | "against" | "on" | "of" | "to" | "between" | "in" | "over")
            ) {
                if let Some(a) = s.phrase_actor(k) {
                    if Some(a) != source {
                        target = Some(a);
                        break;
                    }
                }
            }
        }
        // the party of what the act is "of": "a suspension of air links with Serbia",
        // "the resumption of aid to Egypt"
        if target.is_none() {
            target = s
                .children(t, "nmod")
                .filter(|&k| s.case_of(k) == Some("of"))
                .flat_map(|k| s.children(k, "nmod").collect::<Vec<_>>())
                .filter(|&m| {
                    matches!(
                        s.case_of(m),
                        Some("with" | "against" | "on" | "to" | "between")
                    )
                })
                .find_map(|m| s.phrase_actor(m).filter(|&a| Some(a) != source));
        }
        if source.is_none() && target.is_none() {
            continue;
        }
        // "talks between A and B"
        if source.is_none() {
            if let Some(k) = s
                .children(t, "nmod")
                .find(|&k| s.case_of(k) == Some("between"))
            {
                let both = s.phrase_actors(k);
                if both.len() >= 2 {
                    source = Some(both[0]);
                    target = Some(both[1]);
                }
            }
        }
        let head = gov.unwrap_or(t);
        drafts.push(Draft {
            head,
            action: (first.min(gov.unwrap_or(first)), t.max(gov.unwrap_or(t))),
            source,
            more_sources: co_source.into_iter().collect(),
            target,
            code,
            modality,
            symmetric,
            used: vec![t],
            confidence: 0.6,
            say: None,
            weak_target: false,
        });
    }
    // speech: the content clause's event is the speaker's statement when its subject is
    // the speaker or the speaker's side; a demand when the content says another actor
    // should act
    let mut extra = Vec::new();
    for (say, content, speaker, co_speakers) in speech_frames(lex, s) {
        // (the subject of a passive content too: "announced that it is prepared to")
        let inner_subj = subject(s, content).or_else(|| s.child(content, "nsubj:pass"));
        // a person, a state or a state's body ("Kenya's government") speaks for its side;
        // a newspaper does not
        let speaks_for_state = s.doc.actors.get(speaker as usize).is_some_and(|x| {
            matches!(
                x.kind,
                annals_model::ActorType::Person | annals_model::ActorType::Country
            ) || x
                .cameo
                .as_deref()
                .is_some_and(|c| matches!(c.get(3..6), Some("GOV" | "MIL" | "LEG" | "JUD")))
        });
        let inner_actor = inner_subj.and_then(|x| s.phrase_actor(x));
        let same_side = |a: Option<u32>| -> bool {
            match a {
                // "the rebels said they will release …": a pronoun subject is the
                // speaker, whoever speaks; no subject at all only for a person or state
                None => match inner_subj {
                    None => speaks_for_state,
                    Some(x) => {
                        is_pronoun_we(s.word(x)) || matches!(s.word(x), "it" | "they" | "countries")
                    }
                },
                Some(a) => a == speaker || (speaks_for_state && same_country(s.doc, a, speaker)),
            }
        };
        for d in drafts.iter_mut() {
            if !in_clause(s, d.head, content) {
                continue;
            }
            if say.is_some() {
                d.say = say;
            }
            if same_side(d.source) || (d.source.is_none() && speaks_for_state) {
                if d.source != Some(speaker) {
                    // the other actor of "the two countries agreed" stays the target
                    d.source = Some(speaker);
                }
                d.more_sources.clear();
                // "Obama and Putin said they will …": both
                if inner_subj.is_some_and(|x| matches!(s.word(x), "they" | "we")) {
                    d.more_sources = co_speakers.clone();
                }
            }
            if d.modality == Modality::Asserted && tense_of(s, d.head, d.modality) == Tense::Future
            {
                d.modality = Modality::Planned;
            }
        }
        // "Obama said Russia should align with the coalition": a demand to Russia
        let should = s.kids[content]
            .iter()
            .any(|&k| s.rel(k) == "aux" && matches!(s.word(k), "should" | "must" | "ought"))
            || s.kids[content].iter().any(|&k| {
                s.rel(k) == "xcomp" && matches!(s.word(content), "need" | "needs" | "have" | "has")
            });
        if should {
            if let Some(a) =
                inner_actor.filter(|&a| a != speaker && !same_country(s.doc, a, speaker))
            {
                drafts.retain(|d| !in_clause(s, d.head, content) || d.source != Some(a));
                let cue = say.unwrap_or(content);
                extra.push(Draft {
                    head: content,
                    action: (cue, cue),
                    source: Some(speaker),
                    more_sources: Vec::new(),
                    target: Some(a),
                    code: "100".into(),
                    modality: Modality::Asserted,
                    symmetric: false,
                    used: Vec::new(),
                    confidence: 0.5,
                    say,
                    weak_target: false,
                });
            }
        } else if let (Some(v), Some(a)) = (say, inner_actor) {
            // a statement about another actor that codes no action of its own: "Obama
            // said Russia's view of the threat creates a converging interest"
            let coded = drafts.iter().any(|d| in_clause(s, d.head, content));
            if !coded && a != speaker && !same_country(s.doc, a, speaker) {
                extra.push(Draft {
                    head: v,
                    action: (v, v),
                    source: Some(speaker),
                    more_sources: Vec::new(),
                    target: Some(a),
                    code: "010".into(),
                    modality: Modality::Asserted,
                    symmetric: false,
                    used: Vec::new(),
                    confidence: 0.4,
                    say,
                    weak_target: false,
                });
            }
        }
    }
    drafts.extend(extra);
    // what a demand or an appeal asks for is no event of its own: "demanded that Hamas
    // renounce violence" codes the demand, to Hamas; "urged Russia to withdraw" the
    // appeal to Russia (but "wants to help Israel" is the subject's own intent)
    let asked: Vec<(usize, usize)> = drafts
        .iter()
        .filter(|d| matches!(d.code.get(..2), Some("10" | "02")))
        .flat_map(|d| {
            s.kids[d.head]
                .iter()
                .copied()
                .filter(|&k| {
                    s.rel(k) == "ccomp" || (s.rel(k) == "xcomp" && s.child(d.head, "obj").is_some())
                })
                .map(move |k| (d.head, k))
        })
        .collect();
    for d in drafts.iter_mut() {
        if d.target.is_none() {
            if let Some(&(_, c)) = asked
                .iter()
                .find(|&&(h, c)| h == d.head && s.rel(c) == "ccomp")
            {
                d.target = subject(s, c)
                    .and_then(|x| s.phrase_actor(x))
                    .filter(|&a| Some(a) != d.source);
            }
        }
    }
    drafts.retain(|d| {
        !asked
            .iter()
            .any(|&(h, c)| h != d.head && in_clause(s, d.head, c))
    });
    // what an accusation alleges is no event the text asserts: "accused the United States
    // of violating human rights", "charged its neighbour with supporting dissidents" (but
    // "swore to fight" is a vow)
    let alleged: Vec<(usize, usize)> = drafts
        .iter()
        .filter(|d| d.code.starts_with("11") && intent_verb(&lemma_of(lex, s, d.head)).is_none())
        .flat_map(|d| {
            s.kids[d.head]
                .iter()
                .copied()
                .filter(|&k| {
                    matches!(s.rel(k), "ccomp" | "advcl" | "xcomp" | "acl")
                        || (s.rel(k) == "obl" && s.upos(k) == "VERB")
                })
                // the parse may hang "of attacking …" on the accused: "accused Colombia
                // of attacking"
                .chain(s.children(d.head, "obj").flat_map(|o| {
                    s.kids[o].iter().copied().filter(|&k| {
                        s.rel(k) == "acl"
                            && s.kids[k].iter().any(|&m| {
                                s.rel(m) == "mark" && matches!(s.word(m), "of" | "for" | "with")
                            })
                    })
                }))
                .map(move |k| (d.head, k))
        })
        .collect();
    drafts.retain(|d| {
        !alleged
            .iter()
            .any(|&(h, c)| h != d.head && in_clause(s, d.head, c))
    });
    // what is only supposed is no event: "unless Baghdad accepted its conditions"
    drafts.retain(|d| !in_condition(s, d.head));
    // intended and considered actions are coded as the intent or the threat
    let mut finals: Vec<(Draft, String)> = Vec::new();
    for mut d in drafts {
        // an attack tried is an attack: "tried to storm the building"; an attempt on a
        // life is its own code (185)
        let tried = d.head_of_xcomp(s).is_some_and(|h| {
            matches!(
                lemma_of(lex, s, h).as_str(),
                "try" | "tries" | "tried" | "trying" | "attempt"
            )
        });
        if tried
            && d.modality == Modality::Planned
            && lex.code(&d.code).is_some_and(|c| c.quad == 4)
        {
            d.modality = Modality::Asserted;
            if d.code == "186" {
                d.code = "185".into();
            }
        }
        if d.modality == Modality::Negated || d.modality == Modality::Failed {
            // not cooperating, or refusing to, is a rejection: "will not accept refugees",
            // "refused to deploy peacekeepers"; a failed or denied attack is no event
            let refused = d.modality == Modality::Negated
                || d.head_of_xcomp(s)
                    .is_some_and(|h| matches!(lemma_of(lex, s, h).as_str(), "refuse" | "decline"));
            match rejection_code(&d.code) {
                Some(c) if refused => {
                    d.code = c.to_string();
                    d.modality = Modality::Asserted;
                }
                _ => continue,
            }
        }
        // what one threatens to do is the threat: "threatened to ban voting", "threatened
        // to resign"
        let threatened = d
            .head_of_xcomp(s)
            .is_some_and(|h| lemma_of(lex, s, h) == "threaten");
        let code = match d.modality {
            _ if threatened && is_hostile(&d.code) => threat_code(&d.code).to_string(),
            _ if threatened => "130".to_string(),
            Modality::Planned | Modality::Conditional if is_threat(lex, s, &d) => {
                threat_code(&d.code).to_string()
            }
            Modality::Planned | Modality::Considered | Modality::Conditional => {
                intent_code(&d.code)
            }
            _ => d.code.clone(),
        };
        if lex.code(&code).is_none() {
            continue;
        }
        finals.push((d, code));
    }
    // a threat under a condition is made to whoever must meet it: "will withdraw unless
    // the president arranges a ceasefire"
    for (d, c) in finals.iter_mut() {
        if c.starts_with("13") && d.target.is_none() {
            d.target = s.kids[d.head]
                .iter()
                .copied()
                .filter(|&k| s.rel(k) == "advcl" && condition_mark(s, k))
                .find_map(|k| subject(s, k).and_then(|x| s.phrase_actor(x)))
                .filter(|&a| Some(a) != d.source);
        }
    }
    // an intent verb whose complement is coded says no more than the complement's intent:
    // "prepared to resume shelling" is the threat to shell, "offered to negotiate with
    // Armenia" the offer to negotiate, "decided to allow" the allowing; the complement
    // takes the verb's target when it has none ("promised Mozambique to continue aid")
    let complemented: Vec<(usize, Option<u32>)> = finals
        .iter()
        .filter(|(d, _)| intent_verb(&lemma_of(lex, s, d.head)).is_some())
        .filter(|(d, _)| {
            finals.iter().any(|(e, c)| {
                e.head != d.head
                    && e.head_of_xcomp(s) == Some(d.head)
                    && matches!(c.get(..2), Some("03" | "12" | "13"))
            })
        })
        .map(|(d, _)| (d.head, d.target))
        .collect();
    if !complemented.is_empty() {
        for (d, _) in finals.iter_mut() {
            if d.target.is_none() {
                if let Some(&(_, t)) = complemented
                    .iter()
                    .find(|&&(h, _)| d.head_of_xcomp(s) == Some(h))
                {
                    d.target = t.filter(|&a| Some(a) != d.source);
                }
            }
        }
        finals.retain(|(d, _)| !complemented.iter().any(|&(h, _)| h == d.head));
    }
    // a sentence's events are those of its main clauses: what an adverbial clause or a
    // noun's modifier tells ("staged demonstrations to demand reforms", "the curfew
    // imposed after a coup toppled the government") is background, coded only when the
    // main clauses code nothing
    let heads: Vec<usize> = finals.iter().map(|(d, _)| d.head).collect();
    if finals
        .iter()
        .any(|(d, _)| d.source.is_some() && !subordinate(s, d.head, &heads))
    {
        finals.retain(|(d, _)| !subordinate(s, d.head, &heads));
    }
    let mut out = Vec::new();
    for (d, code) in finals {
        let mut target = d.target;
        if target == d.source {
            target = None;
        }
        if d.source.is_none() && target.is_none() {
            continue;
        }
        if code.starts_with("01") && target.is_none() {
            continue;
        }
        let (own_date, pending) = date_of(s, d.head, d.modality, times, tokens.start, published);
        // a date on the speech verb ("Moscow said Tuesday") is when the statement was
        // made; it dates the statement but is not the day the passage narrates
        let anchors = own_date.is_some();
        let date = own_date.or_else(|| {
            d.say
                .and_then(|v| date_of(s, v, Modality::Asserted, times, tokens.start, published).0)
        });
        let pending_time = if date.is_none() { pending } else { None };
        let cooperative = lex.code(&code).is_some_and(|c| c.quad <= 2);
        // meeting, consulting, negotiating, signing and cooperating go both ways
        let symmetric = d.symmetric
            || (code.starts_with("04") && !code.starts_with("042") && !code.starts_with("043"))
            || code.starts_with("057")
            || code.starts_with("06");
        let action = TextRange::new(
            s.range(d.action.0).start as usize,
            s.range(d.action.1).end as usize,
        );
        let all: Vec<u32> = d
            .source
            .into_iter()
            .chain(d.more_sources.iter().copied())
            .collect();
        // "attacked Iraq and Libya": one event for each coordinated target
        let more_targets: Vec<u32> = target
            .map(|t| coordinated_with(s, t))
            .unwrap_or_default()
            .into_iter()
            .filter(|a| !all.contains(a))
            .collect();
        let narrative = narrative_of(s, &d);
        for src in std::iter::once(d.source).chain(d.more_sources.iter().map(|&a| Some(a))) {
            let mut tgt = if target == src { None } else { target };
            // "Russia and the United States intend to …": each toward the other, also
            // when an actor lies deeper in what they intend ("… to seek joint ways of
            // fighting the Islamic State group"), but not past an actor the act is done
            // to ("the United States and France would welcome Russia")
            let mut partners = Vec::new();
            if (tgt.is_none() || d.weak_target) && cooperative && all.len() >= 2 {
                partners = all.iter().copied().filter(|&a| Some(a) != src).collect();
                tgt = partners.first().copied();
            }
            if src.is_none() && tgt.is_none() {
                continue;
            }
            // each of three or more parties toward each other ("Kenya, Uganda and
            // Tanzania met"), and each coordinated target
            let more = partners
                .iter()
                .skip(1)
                .chain(&more_targets)
                .map(|&t| Some(t))
                .filter(|&t| t != src);
            for tgt in std::iter::once(tgt).chain(more) {
                out.push((
                    Event {
                        sentence: s.index as u32,
                        action,
                        source: src,
                        target: tgt,
                        cameo: code.clone(),
                        modality: d.modality,
                        symmetric,
                        date,
                        confidence: d.confidence,
                        narrative,
                        pending_time,
                    },
                    narrative,
                    anchors,
                ));
            }
        }
    }
    // coordinated subjects of a symmetric action meet each other: "Obama and Putin met"
    for (e, _, _) in &mut out {
        if e.symmetric && e.target.is_none() {
            if let Some(other) = coordinated_partner(s, e) {
                e.target = Some(other);
            }
        }
    }
    // a symmetric action is each party's: "Xi held talks with Modi" is Modi's talks with
    // Xi too
    let mut reverse = Vec::new();
    for (e, narrative, anchors) in &out {
        let (Some(a), Some(b)) = (e.source, e.target) else {
            continue;
        };
        let told = |x: &Event| {
            x.source == Some(b) && x.target == Some(a) && x.cameo.get(..2) == e.cameo.get(..2)
        };
        // (a place met in does not meet back)
        if e.symmetric
            && !is_place(s, b)
            && !out.iter().any(|(x, _, _)| told(x))
            && !reverse.iter().any(|(x, _, _)| told(x))
        {
            let mut r = e.clone();
            r.source = Some(b);
            r.target = Some(a);
            reverse.push((r, *narrative, *anchors));
        }
    }
    out.extend(reverse);
    out
}

/// May the event of draft `d` take its passage's date? A simple past narrates at that
/// time; the content of a statement made in the simple past was said at that time.
fn narrative_of(s: &Sent, d: &Draft) -> bool {
    match d.say {
        Some(v) => tense_of(s, v, Modality::Asserted) == Tense::Past && !past_perfect(s, v),
        None => {
            d.modality == Modality::Asserted
                && tense_of(s, d.head, d.modality) == Tense::Past
                && !past_perfect(s, d.head)
        }
    }
}

/// The other actors coordinated with actor `a` in the sentence: "Iraq and Libya",
/// "Sierra Leonean and Liberian refugees", "Congo, Zaire and Angola". Conjuncts of a
/// nominal only: "attacked Aleppo and bombed Idlib" coordinates verbs.
fn coordinated_with(s: &Sent, a: u32) -> Vec<u32> {
    let nominal = |t: usize| matches!(s.upos(t), "NOUN" | "PROPN" | "ADJ" | "PRON" | "NUM");
    let mut out = Vec::new();
    for t in 0..s.len() {
        if s.actor[t] != Some(a) || s.head[t].is_some_and(|h| s.actor[h] == Some(a)) {
            continue;
        }
        // the first conjunct heads the others
        let first = match s.head[t] {
            Some(h) if s.rel(t) == "conj" && nominal(h) && nominal(t) => h,
            _ => t,
        };
        if !nominal(first) {
            continue;
        }
        let group = std::iter::once(first).chain(
            s.children(first, "conj")
                .filter(|&c| nominal(c))
                .collect::<Vec<_>>(),
        );
        for m in group {
            let other = match s.actor[m] {
                Some(x) => Some(x),
                None if s.upos(m) == "ADJ" => None,
                None => s.phrase_actor(m),
            };
            if let Some(x) = other.filter(|&x| x != a && !out.contains(&x)) {
                out.push(x);
            }
        }
    }
    out
}

/// Is predicate `p` background to its sentence: inside an adverbial clause or a noun's
/// modifier (participle, relative clause), or a nominal event that is an argument of
/// another predicate ("riots … continued", "killed in an attack")?
fn subordinate(s: &Sent, p: usize, heads: &[usize]) -> bool {
    // a nominal event is background to the coded predicate it is an argument of
    // ("riots … are still continuing"); of a predicate that codes nothing it is the
    // clause's event ("I have had repeated conversations with Erdogan")
    let nominal = matches!(s.upos(p), "NOUN" | "PROPN");
    if nominal
        && matches!(
            s.rel(p),
            "nsubj" | "nsubj:pass" | "obj" | "iobj" | "obl" | "nmod" | "appos" | "compound"
        )
        && s.head[p].is_some_and(|h| heads.contains(&h))
    {
        return true;
    }
    let mut x = p;
    for _ in 0..s.len() {
        if background_clause(s, x, heads) {
            return true;
        }
        match s.head[x] {
            Some(h) => x = h,
            None => return false,
        }
    }
    false
}

/// Does `x` head a background clause: a relative clause, a participle or infinitive
/// modifying a noun ("refugees fleeing the war", "an appeal to lay down their arms"), or
/// a purpose or manner clause of the predicate ("staged demonstrations to demand
/// reforms", "rioted, setting fire to mattresses")? A clause with a subject of its own or
/// opened by another subordinator ("after a coup toppled the government") tells an event
/// of its own.
fn background_clause(s: &Sent, x: usize, heads: &[usize]) -> bool {
    let rel = s.rel(x);
    if rel == "acl:relcl" {
        return true;
    }
    if !matches!(rel, "acl" | "advcl") {
        return false;
    }
    let subject = s.kids[x]
        .iter()
        .any(|&k| matches!(s.rel(k), "nsubj" | "nsubj:pass" | "expl"));
    if subject {
        return false;
    }
    let mark = s.kids[x]
        .iter()
        .find(|&&k| s.rel(k) == "mark")
        .map(|&k| s.word(k));
    match mark {
        // the content of a noun that another event acts on: "rejected an appeal to lay
        // down their arms"; else what is said to be done is done ("the failure of
        // Western efforts to isolate Moscow")
        Some("to") if rel == "acl" => s.head[x].is_some_and(|n| {
            s.head[n].is_some_and(|v| heads.contains(&v))
                && matches!(s.rel(n), "obj" | "nsubj" | "nsubj:pass" | "obl")
        }),
        Some("to") => true,
        Some(_) => false,
        // a participle: on a noun always, on a predicate when it is a present participle
        // ("…, killing 156 people"); a bare past form there may be a main verb the parse
        // misread ("a report released Tuesday alleged …")
        None => rel == "acl" || s.xpos(x) == "VBG",
    }
}

/// Is actor `a` a place (a city, a region), not a party that acts?
fn is_place(s: &Sent, a: u32) -> bool {
    s.doc
        .actors
        .get(a as usize)
        .is_some_and(|x| x.kind == annals_model::ActorType::Location)
}

/// Does actor `a` belong to a known side: a country, or a CAMEO code of its own?
fn has_side(s: &Sent, a: u32) -> bool {
    s.doc
        .actors
        .get(a as usize)
        .is_some_and(|x| x.country.is_some() || x.cameo.is_some())
}

/// The nearest actor of a known side in the phrase of nominal `x`, through its
/// appositions, possessors, adjectives and "of"/"from"/"in" phrases ("Algeria's leading
/// activist", "activists from the Fatah party"), not through clauses or conjuncts.
fn side_in_phrase(s: &Sent, x: usize) -> Option<u32> {
    let mut queue = std::collections::VecDeque::from([x]);
    // the phrase an apposition belongs to
    if s.rel(x) == "appos" {
        queue.extend(s.head[x]);
    }
    let mut seen = 0;
    while let Some(t) = queue.pop_front() {
        seen += 1;
        if seen > 24 {
            break;
        }
        if let Some(a) = s.actor[t].filter(|&a| has_side(s, a)) {
            return Some(a);
        }
        for &k in &s.kids[t] {
            let ok = match s.rel(k) {
                "appos" | "nmod:poss" | "amod" | "compound" | "flat" => true,
                "nmod" => matches!(s.case_of(k), Some("of" | "from" | "in")),
                _ => false,
            };
            if ok {
                queue.push_back(k);
            }
        }
    }
    None
}

/// Does clause `k` state a condition ("if …", "unless …", "until …")?
fn condition_mark(s: &Sent, k: usize) -> bool {
    s.kids[k].iter().any(|&m| {
        s.rel(m) == "mark" && matches!(s.word(m), "if" | "unless" | "until" | "lest" | "whether")
    })
}

/// Is predicate `p` inside a condition: "unless Baghdad accepted its conditions", "if
/// war starts"?
fn in_condition(s: &Sent, p: usize) -> bool {
    let mut x = p;
    for _ in 0..s.len() {
        if s.rel(x) == "advcl" && condition_mark(s, x) {
            return true;
        }
        match s.head[x] {
            Some(h) => x = h,
            None => return false,
        }
    }
    false
}

/// The statements of a sentence: (speech verb, head of the content, speaker). From the
/// parse, a speech verb with a content clause ("Obama said Russia should …"); from the
/// quotes stage, the part of a direct or reported quote that lies in this sentence, when
/// the parse did not link it ("Russia should align …, Obama told reporters").
fn speech_frames(lex: &Lexicon, s: &Sent) -> Vec<(Option<usize>, usize, u32, Vec<u32>)> {
    let mut out = Vec::new();
    for say in 0..s.len() {
        if s.upos(say) != "VERB" || !SAY.contains(&lemma_of(lex, s, say).as_str()) {
            continue;
        }
        let Some(content) = s.child(say, "ccomp") else {
            continue;
        };
        if let Some(x) = subject(s, say) {
            let all = subject_actors(s, x);
            if let Some((&speaker, more)) = all.split_first() {
                out.push((Some(say), content, speaker, more.to_vec()));
            }
        }
    }
    let sent = s.doc.sentences[s.index].range;
    for q in &s.doc.quotes {
        let Some(speaker) = q.speaker else { continue };
        for part in std::iter::once(q.range).chain(q.continued.iter().copied()) {
            if part.end <= sent.start || part.start >= sent.end {
                continue;
            }
            let inside = |t: usize| {
                let r = s.range(t);
                r.start >= part.start && r.end <= part.end
            };
            let say = q.cue.and_then(|c| {
                (0..s.len()).find(|&t| {
                    let r = s.range(t);
                    r.start >= c.start && r.end <= c.end && s.upos(t) == "VERB"
                })
            });
            // the predicates that head the quoted part
            for t in 0..s.len() {
                let top = inside(t) && s.head[t].is_none_or(|h| !inside(h));
                let predicate = matches!(s.upos(t), "VERB" | "AUX" | "ADJ")
                    || s.kids[t].iter().any(|&k| s.rel(k) == "cop");
                if !top || !predicate {
                    continue;
                }
                if out
                    .iter()
                    .any(|&(_, c, _, _)| c == t || in_clause(s, t, c) || in_clause(s, c, t))
                {
                    continue;
                }
                out.push((say, t, speaker, Vec::new()));
            }
        }
    }
    out
}

/// For a symmetric event without a target whose subject is coordinated, the other
/// conjunct.
fn coordinated_partner(s: &Sent, e: &Event) -> Option<u32> {
    let src = e.source?;
    for t in 0..s.len() {
        if s.actor[t] == Some(src) && matches!(s.rel(t), "nsubj" | "conj") {
            let h = if s.rel(t) == "conj" { s.head[t]? } else { t };
            let all = s.phrase_actors(h);
            if let Some(&o) = all.iter().find(|&&a| a != src) {
                return Some(o);
            }
        }
    }
    None
}

fn same_country(doc: &Document, a: u32, b: u32) -> bool {
    let (Some(x), Some(y)) = (doc.actors.get(a as usize), doc.actors.get(b as usize)) else {
        return false;
    };
    use annals_model::ActorType;
    // a country or its government stands for its leader's side ("Washington" for Obama)
    let state = |t: ActorType| matches!(t, ActorType::Country);
    (state(x.kind) || state(y.kind)) && x.country.is_some() && x.country == y.country
}

/// The lemma of a token: the dictionary verb it is a form of, else its lower-case form.
fn lemma_of(lex: &Lexicon, s: &Sent, i: usize) -> String {
    match lex.forms.get(s.word(i)).and_then(|v| v.first()) {
        Some(&id) => lex.verbs[id as usize].lemma.to_string(),
        // the light verb the dictionaries do not list: "had talks"
        None if matches!(s.word(i), "has" | "had" | "having") => "have".to_string(),
        None => s.word(i).to_string(),
    }
}

/// A nominal event at token `t` ("talks", "air strikes"): its code, whether it is
/// symmetric, and its first token.
fn noun_entry(lex: &Lexicon, s: &Sent, t: usize) -> Option<(String, bool, usize)> {
    if t > 0 && s.head[t - 1] == Some(t) {
        let two = format!("{} {}", s.word(t - 1), s.word(t));
        if let Some(n) = lex.nouns.get(two.as_str()) {
            return Some((n.code.to_string(), n.symmetric, t - 1));
        }
    }
    let n = lex.nouns.get(s.word(t))?;
    Some((n.code.to_string(), n.symmetric, t))
}

/// One event per action, source, target and code in a document: the same sentence can
/// code a verb and its nominal.
fn dedup(events: &mut Vec<Event>) {
    let mut seen: Vec<(u32, Option<u32>, Option<u32>, String)> = Vec::new();
    events.retain(|e| {
        let key = (
            e.sentence,
            e.source,
            e.target,
            e.cameo.get(..2).unwrap_or("").to_string(),
        );
        if seen.contains(&key) {
            false
        } else {
            seen.push(key);
            true
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verb(lex: &Lexicon, lemma: &str) -> u32 {
        *lex.forms[lemma]
            .iter()
            .find(|&&v| {
                &*lex.verbs[v as usize].lemma == lemma && lex.verbs[v as usize].rest.is_empty()
            })
            .unwrap_or_else(|| panic!("no verb {lemma}"))
    }

    fn code(lex: &Lexicon, lemma: &str, after: &[&str]) -> Option<String> {
        let post: Vec<(usize, &str)> = after.iter().enumerate().map(|(i, w)| (i + 1, *w)).collect();
        choose_code(lex, verb(lex, lemma), &[], &post).map(|(c, _)| c)
    }

    #[test]
    fn a_verb_with_a_code_of_its_own_keeps_it_against_its_blocks_other_patterns() {
        let lex = Lexicon::bundled();
        // "order" (100) sits among verbs of managing, where "head * to" is an intent (030)
        assert_eq!(
            code(&lex, "order", &["the", "army", "to", "stop"]).as_deref(),
            Some("100")
        );
        // "head * to" still holds for "head"
        assert_eq!(code(&lex, "head", &["to"]).as_deref(), Some("030"));
    }

    #[test]
    fn a_phrasal_pattern_belongs_to_the_verb_it_was_found_with() {
        let lex = Lexicon::bundled();
        // "head for" is a trip (042); "control for" is not
        assert_eq!(
            code(&lex, "head", &["for", "moscow"]).as_deref(),
            Some("042")
        );
        assert_ne!(
            code(&lex, "control", &["for", "years"]).as_deref(),
            Some("042")
        );
    }

    #[test]
    fn of_one_word_patterns_the_word_nearest_the_verb_decides() {
        let lex = Lexicon::bundled();
        // "* &military" (mobilising forces, 154) against "* against" (rallying, 141)
        let words = ["army", "reservists", "for", "a", "war", "against", "iraq"];
        assert_eq!(code(&lex, "mobilize", &words).as_deref(), Some("154"));
        assert_eq!(
            code(&lex, "rally", &["against", "the", "war"]).as_deref(),
            Some("141")
        );
    }

    #[test]
    fn accepting_demands_or_conditions_is_yielding() {
        let lex = Lexicon::bundled();
        for what in ["demands", "conditions"] {
            assert_eq!(code(&lex, "accept", &["the", what]).as_deref(), Some("080"));
        }
        // accepting a proposal stays an agreement to it
        assert_eq!(
            code(&lex, "accept", &["the", "proposal"]).as_deref(),
            Some("032")
        );
    }

    #[test]
    fn the_dictionarys_do_not_code_patterns_code_nothing() {
        let lex = Lexicon::bundled();
        // "- * (FROM RACE) [---]": withdrawing from a race is no retreat
        assert_eq!(code(&lex, "withdraw", &["from", "race"]), None);
        assert!(code(&lex, "withdraw", &["from", "the", "border"]).is_some());
    }
}
