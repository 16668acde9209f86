//! Online, incremental story clustering.
//!
//! A story is a centroid: the summed weights of its members' content words, actors and
//! events (each cut to its strongest entries), and the days it covers. A new document
//! is compared with the stories that share one of its most distinctive features,
//! found in an inverted index whose postings are read from the most recent end and only
//! so far ([`Settings::postings`]): the work per document is bounded, so clustering a
//! corpus costs about linear time in its size.
//!
//! Similarity of a document and a story: the weighted mean of `cos(words)` and
//! `cos(actors)` (words alone when a side names no actor), plus `events · shared
//! events`; words and actors are weighted by inverse document frequency,
//! shared events (same two actors and CAMEO root, days not apart) weighted by how
//! specific their code is ([`crate::EventWeights`]); all of it damped when the document's
//! day lies away from the story's days.

use crate::dedup::{Dedup, SignatureBuffers};
use crate::input::{hash_word, InputSentence, StoryInput};
use crate::weights::{EventWeights, Stopwords};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Keys here are already hashes: a hasher that passes them through.
#[derive(Default, Clone, Copy)]
pub(crate) struct PassHasher(u64);

impl Hasher for PassHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ b as u64;
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// A map keyed by a hash.
pub(crate) type HashKeyed<V> = HashMap<u64, V, BuildHasherDefault<PassHasher>>;

/// A story's number within one [`Clusterer`].
pub type StoryId = u32;

/// The knobs of clustering.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Least similarity to join a story.
    pub threshold: f32,
    /// Weight of word similarity.
    pub text: f32,
    /// Weight of actor similarity.
    pub actors: f32,
    /// Weight of shared events, added to the mean of the other two.
    pub events: f32,
    /// Shared event weight that counts as full evidence.
    pub events_full: f32,
    /// Days apart that cost nothing.
    pub days_free: i32,
    /// Beyond them, similarity falls by e every this many days.
    pub days_scale: f32,
    /// A story more than this many days before a document is not a candidate.
    pub window: i32,
    /// Strongest words kept per story centroid.
    pub centroid_terms: usize,
    /// Most distinctive words of a document looked up in the index.
    pub query_terms: usize,
    /// Postings read per feature, most recent first.
    pub postings: usize,
    /// Candidates (those sharing the most features) compared in full.
    pub compared: usize,
    /// Least Jaccard similarity of shingles for a near-copy.
    pub copy: f32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            threshold: 0.5,
            text: 0.4,
            actors: 0.3,
            events: 0.3,
            events_full: 2.0,
            days_free: 2,
            days_scale: 3.0,
            window: 14,
            centroid_terms: 64,
            query_terms: 12,
            postings: 32,
            compared: 24,
            copy: 0.7,
        }
    }
}

/// Where a document went.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    /// The document's id.
    pub doc: String,
    /// Its story.
    pub story: StoryId,
    /// True when it opened the story.
    pub new_story: bool,
    /// Its similarity to the story it joined (1 for a new story).
    pub similarity: f32,
    /// The earlier document it is a near-copy of, with the estimated Jaccard similarity.
    pub copy_of: Option<(String, f32)>,
    /// Its paragraphs that repeat an earlier document's paragraph: (paragraph, document
    /// id, that document's paragraph).
    pub repeated_paragraphs: Vec<(u32, String, u32)>,
}

/// One member of a story.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// Document id.
    pub doc: String,
    /// Headline.
    pub title: Option<String>,
    /// Outlet.
    pub outlet: Option<String>,
    /// Day.
    pub day: Option<i32>,
    /// The document it copies, if any.
    pub copy_of: Option<String>,
    /// The estimated Jaccard similarity to that document.
    pub copy_similarity: f32,
    /// Candidate summary sentences.
    pub sentences: Vec<InputSentence>,
}

/// A story: its members and centroid.
#[derive(Debug, Clone, PartialEq)]
pub struct Story {
    /// Its number.
    pub id: StoryId,
    /// Its documents, in the order they joined.
    pub members: Vec<Member>,
    /// First day covered.
    pub first_day: Option<i32>,
    /// Last day covered.
    pub last_day: Option<i32>,
    /// Word hash → summed weight, strongest first after each update.
    terms: Vec<(u64, f32)>,
    actors: Vec<(u64, f32)>,
    events: Vec<EventFeature>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct EventFeature {
    key: u64,
    weight: f32,
    day: Option<i32>,
}

impl Story {
    /// The summed word weights of the centroid, strongest first.
    pub fn terms(&self) -> &[(u64, f32)] {
        &self.terms
    }
}

/// A document's features, weighted.
#[derive(Default)]
struct Features {
    terms: Vec<(u64, f32)>,
    actors: Vec<(u64, f32)>,
    events: Vec<EventFeature>,
}

/// Buffers one document's clustering fills and the next one reuses: with them, adding a
/// document allocates only what the stories keep.
#[derive(Default)]
struct Scratch {
    features: Features,
    /// Word counts, then candidate stories with the features they share.
    counts: HashKeyed<u32>,
    query: Vec<(u64, f32)>,
    /// The idf of each of the document's words, in its order (looked up once).
    doc_idf: Vec<f32>,
    candidates: Vec<(StoryId, u32)>,
    /// Index keys: the centroid's words before a join, then the keys to index.
    keys: Vec<u64>,
    merged: Vec<(u64, f32)>,
    ranges: Vec<std::ops::Range<usize>>,
    signatures: SignatureBuffers,
}

/// The clusterer's state: stories, the index, document frequencies. Feed it batches
/// with [`Clusterer::add_batch`]; a later batch joins the stories of earlier ones.
pub struct Clusterer {
    settings: Settings,
    weights: EventWeights,
    stop: Stopwords,
    stories: Vec<Story>,
    /// Feature hash → stories, in order of indexing.
    index: HashKeyed<Vec<StoryId>>,
    term_df: HashKeyed<u32>,
    actor_df: HashKeyed<u32>,
    docs: u32,
    /// Document number → (id, story).
    doc_ids: Vec<(String, StoryId)>,
    dedup: Dedup,
    paragraphs: Dedup,
    /// Paragraph number → (document number, paragraph in it).
    paragraph_of: Vec<(u32, u32)>,
    /// Dated documents still in the near-copy indexes: (day, document, first and end
    /// paragraph number), oldest first.
    indexed: std::collections::VecDeque<(i32, u32, u32, u32)>,
    /// The latest day seen.
    latest: Option<i32>,
    scratch: Scratch,
    /// Counts of documents and words change only when a batch is counted: its number.
    epoch: u32,
    /// Per story, its centroid's word weights as of an epoch (see [`Weighed`]).
    weighed: Vec<Weighed>,
}

/// A story centroid's inverse document frequencies and norm, as of an epoch. Within a
/// batch they cannot change unless the centroid does, so a story compared with many
/// documents looks its words up once, not once per document: the same numbers, computed
/// the same way, with far fewer lookups in a table that grows with the corpus.
#[derive(Debug, Default, Clone)]
struct Weighed {
    /// The epoch they were computed in; 0: never, or the centroid changed since.
    epoch: u32,
    /// The idf of each centroid word, in the centroid's order.
    idf: Vec<f32>,
    /// The centroid's norm with those weights.
    norm: f32,
    /// The same for its actors.
    actor_idf: Vec<f32>,
    actor_norm: f32,
}

impl std::fmt::Debug for Clusterer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Clusterer({} documents, {} stories)",
            self.docs,
            self.stories.len()
        )
    }
}

/// Members of a story whose sentences are kept for its summary.
const SUMMARY_MEMBERS: usize = 12;

/// Index keys of the three kinds of feature, kept apart.
const ACTOR_SALT: u64 = 0x5bd1_e995_0000_0001;
const EVENT_SALT: u64 = 0x5bd1_e995_0000_0002;

impl Clusterer {
    /// A clusterer with the default settings and the bundled data.
    pub fn bundled() -> Self {
        Self::new(
            Settings::default(),
            EventWeights::bundled(),
            Stopwords::bundled(),
        )
    }

    /// A clusterer with these settings and tables.
    pub fn new(settings: Settings, weights: EventWeights, stop: Stopwords) -> Self {
        let copy = settings.copy;
        Clusterer {
            settings,
            weights,
            stop,
            stories: Vec::new(),
            index: HashKeyed::default(),
            term_df: HashKeyed::default(),
            actor_df: HashKeyed::default(),
            docs: 0,
            doc_ids: Vec::new(),
            dedup: Dedup::new(copy),
            paragraphs: Dedup::new(copy),
            paragraph_of: Vec::new(),
            indexed: std::collections::VecDeque::new(),
            latest: None,
            scratch: Scratch::default(),
            epoch: 0,
            weighed: Vec::new(),
        }
    }

    /// The stories so far, by id.
    pub fn stories(&self) -> &[Story] {
        &self.stories
    }

    /// Documents seen.
    pub fn documents(&self) -> usize {
        self.docs as usize
    }

    /// Inverse document frequency of a word hash.
    pub fn term_idf(&self, t: u64) -> f32 {
        idf(self.docs, self.term_df.get(&t).copied().unwrap_or(0))
    }

    /// Add a batch of documents: update the document frequencies with all of them, then
    /// assign each, in order, to a story (an existing one or a new one).
    pub fn add_batch(&mut self, batch: Vec<StoryInput>) -> Vec<Assignment> {
        let mut seen: Vec<u64> = Vec::new();
        for d in &batch {
            seen.clear();
            seen.extend(d.terms.iter().copied().filter(|&t| !self.stop.contains(t)));
            seen.sort_unstable();
            seen.dedup();
            for &t in &seen {
                *self.term_df.entry(t).or_default() += 1;
            }
            seen.clear();
            seen.extend(d.actors.iter().map(|(a, _)| hash_word(a)));
            seen.sort_unstable();
            seen.dedup();
            for &a in &seen {
                *self.actor_df.entry(a).or_default() += 1;
            }
        }
        self.docs += batch.len() as u32;
        self.epoch = self.epoch.wrapping_add(1).max(1);
        let out = batch.into_iter().map(|d| self.add_one(d)).collect();
        self.expire();
        out
    }

    /// Forget what a new document can no longer join or copy: postings of stories whose
    /// last day is more than the window before the latest day, and dated documents and
    /// paragraphs as old from the near-copy indexes. So the index holds the active
    /// stories only, and the work per document stays flat as the corpus grows.
    fn expire(&mut self) {
        let Some(latest) = self.latest else { return };
        let horizon = latest - self.settings.window;
        while let Some(&(day, doc, p0, p1)) = self.indexed.front() {
            if day >= horizon {
                break;
            }
            self.indexed.pop_front();
            self.dedup.remove(doc);
            for p in p0..p1 {
                self.paragraphs.remove(p);
            }
        }
        let stories = &self.stories;
        let open = |s: StoryId| stories[s as usize].last_day.is_none_or(|d| d >= horizon);
        self.index.retain(|_, p| {
            p.retain(|&s| open(s));
            !p.is_empty()
        });
    }

    /// Fill `sc.features` with the document's weighted features.
    fn features(&self, d: &StoryInput, sc: &mut Scratch) {
        let Scratch {
            features, counts, ..
        } = sc;
        counts.clear();
        for &t in &d.terms {
            if !self.stop.contains(t) {
                *counts.entry(t).or_default() += 1;
            }
        }
        let Features {
            terms,
            actors,
            events,
        } = features;
        terms.clear();
        terms.extend(counts.drain().map(|(t, n)| (t, 1.0 + (n as f32).ln())));
        terms.sort_unstable_by_key(|t| t.0);
        actors.clear();
        actors.extend(
            d.actors
                .iter()
                .filter(|a| a.1 > 0)
                .map(|(a, n)| (hash_word(a), 1.0 + (*n as f32).ln())),
        );
        actors.sort_unstable_by_key(|a| a.0);
        actors.dedup_by_key(|a| a.0);
        events.clear();
        events.extend(
            d.events
                .iter()
                .filter(|e| !e.source.is_empty() && !e.target.is_empty() && e.source != e.target)
                .map(|e| {
                    let (x, y) = if e.source <= e.target {
                        (&e.source, &e.target)
                    } else {
                        (&e.target, &e.source)
                    };
                    let root = e.cameo.get(..2).unwrap_or(&e.cameo);
                    let key = hash_word(x).rotate_left(21)
                        ^ hash_word(y).wrapping_mul(31)
                        ^ hash_word(root).rotate_left(42)
                        ^ EVENT_SALT;
                    EventFeature {
                        key,
                        weight: self.weights.weight(&e.cameo),
                        day: e.day,
                    }
                }),
        );
        events.sort_by(|a, b| a.key.cmp(&b.key).then(b.weight.total_cmp(&a.weight)));
        events.dedup_by_key(|e| e.key);
    }

    fn add_one(&mut self, d: StoryInput) -> Assignment {
        let mut sc = std::mem::take(&mut self.scratch);
        let number = self.doc_ids.len() as u32;
        // the document's and its paragraphs' signatures, each shingle hashed once
        sc.ranges.clear();
        sc.ranges.extend(d.paragraphs());
        self.dedup
            .document_signatures(&d.terms, &sc.ranges, &mut sc.signatures);
        let copy = self
            .dedup
            .check_and_insert_signature(number, &sc.signatures.document);
        let p0 = self.paragraph_of.len() as u32;
        let mut repeated = Vec::new();
        for (pi, sig) in sc.signatures.paragraphs() {
            let pnum = self.paragraph_of.len() as u32;
            self.paragraph_of.push((number, pi as u32));
            if let Some(l) = self.paragraphs.check_and_insert_signature(pnum, sig) {
                let (od, op) = self.paragraph_of[l.of as usize];
                if od != number {
                    repeated.push((pi as u32, self.doc_ids[od as usize].0.clone(), op));
                }
            }
        }
        if let Some(day) = d.day {
            self.latest = Some(self.latest.map_or(day, |x| x.max(day)));
            self.indexed
                .push_back((day, number, p0, self.paragraph_of.len() as u32));
        }
        self.features(&d, &mut sc);
        let (story, similarity, new_story) = match copy {
            Some(l) => (self.doc_ids[l.of as usize].1, l.similarity, false),
            None => match self.best_story(&mut sc, d.day) {
                Some((s, sim)) if sim >= self.settings.threshold => (s, sim, false),
                _ => {
                    let id = self.stories.len() as StoryId;
                    self.stories.push(Story {
                        id,
                        members: Vec::new(),
                        first_day: None,
                        last_day: None,
                        terms: Vec::new(),
                        actors: Vec::new(),
                        events: Vec::new(),
                    });
                    (id, 1.0, true)
                }
            },
        };
        let copy_of = copy.map(|l| (self.doc_ids[l.of as usize].0.clone(), l.similarity));
        let doc = d.id.clone();
        self.doc_ids.push((d.id.clone(), story));
        self.join(story, d, &mut sc, copy_of.clone());
        self.scratch = sc;
        Assignment {
            doc,
            story,
            new_story,
            similarity,
            copy_of,
            repeated_paragraphs: repeated,
        }
    }

    /// The most similar candidate story.
    /// The most similar candidate story for the document whose features `sc` holds.
    fn best_story(&mut self, sc: &mut Scratch, day: Option<i32>) -> Option<(StoryId, f32)> {
        let Scratch {
            features: f,
            counts: hits,
            query,
            doc_idf,
            candidates: cands,
            ..
        } = sc;
        doc_idf.clear();
        doc_idf.extend(f.terms.iter().map(|&(t, _)| self.term_idf(t)));
        // the document's most distinctive words, actors and events
        query.clear();
        query.extend(
            f.terms
                .iter()
                .zip(doc_idf.iter())
                .map(|(&(t, w), &i)| (t, w * i)),
        );
        query.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        query.truncate(self.settings.query_terms);
        let keys = query
            .iter()
            .map(|q| q.0)
            .chain(f.actors.iter().map(|a| a.0 ^ ACTOR_SALT))
            .chain(f.events.iter().map(|e| e.key));
        // candidates with the number of features they share with the document
        hits.clear();
        for k in keys {
            if let Some(p) = self.index.get(&k) {
                for &s in p.iter().rev().take(self.settings.postings) {
                    *hits.entry(s as u64).or_default() += 1;
                }
            }
        }
        cands.clear();
        cands.extend(
            hits.drain()
                .map(|(s, n)| (s as StoryId, n))
                .filter(|&(s, _)| self.in_window(&self.stories[s as usize], day)),
        );
        // only the candidates that share the most features are compared in full
        cands.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(b.0.cmp(&a.0)));
        cands.truncate(self.settings.compared);
        for &(s, _) in cands.iter() {
            self.weigh(s);
        }
        let doc_norm = norm_weighed(&f.terms, doc_idf);
        let doc_actor_norm = norm(&f.actors, |a| self.actor_idf(a));
        cands
            .iter()
            .map(|&(s, _)| {
                (
                    s,
                    self.similarity(
                        f,
                        (doc_norm, doc_actor_norm),
                        day,
                        &self.stories[s as usize],
                    ),
                )
            })
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
    }

    /// Bring story `s`'s [`Weighed`] up to the current epoch.
    fn weigh(&mut self, s: StoryId) {
        let i = s as usize;
        if self.weighed.len() <= i {
            self.weighed
                .resize_with(self.stories.len().max(i + 1), Weighed::default);
        }
        let w = &mut self.weighed[i];
        if w.epoch == self.epoch {
            return;
        }
        let s = &self.stories[i];
        let docs = self.docs;
        w.norm = weigh_into(&s.terms, &mut w.idf, |t| {
            idf(docs, self.term_df.get(&t).copied().unwrap_or(0))
        });
        w.actor_norm = weigh_into(&s.actors, &mut w.actor_idf, |a| {
            idf(docs, self.actor_df.get(&a).copied().unwrap_or(0))
        });
        w.epoch = self.epoch;
    }

    fn in_window(&self, s: &Story, day: Option<i32>) -> bool {
        match (day, s.last_day) {
            (Some(d), Some(last)) => d <= last + self.settings.window,
            _ => true,
        }
    }

    /// Similarity of a document's features to a story.
    fn actor_idf(&self, a: u64) -> f32 {
        idf(self.docs, self.actor_df.get(&a).copied().unwrap_or(0))
    }

    /// Similarity of a document's features (with its words' and actors' norms) to a story.
    fn similarity(
        &self,
        f: &Features,
        (doc_norm, doc_actor_norm): (f32, f32),
        day: Option<i32>,
        s: &Story,
    ) -> f32 {
        let st = &self.settings;
        let (text, actors) = match self.weighed.get(s.id as usize) {
            Some(w) if w.epoch == self.epoch => (
                cosine_weighed(&f.terms, doc_norm, &s.terms, &w.idf, w.norm),
                cosine_weighed(
                    &f.actors,
                    doc_actor_norm,
                    &s.actors,
                    &w.actor_idf,
                    w.actor_norm,
                ),
            ),
            _ => (
                cosine_with(&f.terms, doc_norm, &s.terms, |t| self.term_idf(t)),
                cosine_with(&f.actors, doc_actor_norm, &s.actors, |a| self.actor_idf(a)),
            ),
        };
        let mut shared = 0.0f32;
        for e in &f.events {
            if let Some(o) = s.events.iter().find(|o| o.key == e.key) {
                let apart = matches!((e.day, o.day), (Some(a), Some(b)) if (a - b).abs() > 3);
                if !apart {
                    shared += e.weight.min(o.weight);
                }
            }
        }
        let events = (shared / st.events_full).min(1.0);
        // actors count when both sides name some; shared events only add
        let base = if f.actors.is_empty() || s.actors.is_empty() {
            text
        } else {
            (st.text * text + st.actors * actors) / (st.text + st.actors)
        };
        let sim = base + st.events * events;
        sim * self.time_factor(day, s)
    }

    fn time_factor(&self, day: Option<i32>, s: &Story) -> f32 {
        let (Some(d), Some(first), Some(last)) = (day, s.first_day, s.last_day) else {
            return 1.0;
        };
        let gap = if d < first {
            first - d
        } else if d > last {
            d - last
        } else {
            0
        };
        if gap <= self.settings.days_free {
            1.0
        } else {
            (-((gap - self.settings.days_free) as f32) / self.settings.days_scale).exp()
        }
    }

    /// Add the document whose features `sc` holds to story `id`.
    fn join(
        &mut self,
        id: StoryId,
        d: StoryInput,
        sc: &mut Scratch,
        copy_of: Option<(String, f32)>,
    ) {
        let keep = self.settings.centroid_terms;
        let Scratch {
            features: f,
            keys,
            merged,
            ..
        } = sc;
        let s = &mut self.stories[id as usize];
        // the summary reads the first members' sentences: later ones keep none, so a
        // long story holds little
        let with_sentences = s.members.len() < SUMMARY_MEMBERS && copy_of.is_none();
        s.members.push(Member {
            doc: d.id,
            title: d.title,
            outlet: d.outlet,
            day: d.day,
            copy_of: copy_of.as_ref().map(|c| c.0.clone()),
            copy_similarity: copy_of.as_ref().map_or(0.0, |c| c.1),
            sentences: if with_sentences {
                d.sentences
            } else {
                Vec::new()
            },
        });
        if let Some(day) = d.day {
            s.first_day = Some(s.first_day.map_or(day, |x| x.min(day)));
            s.last_day = Some(s.last_day.map_or(day, |x| x.max(day)));
        }
        if copy_of.is_some() {
            return; // a copy adds no evidence of its own
        }
        // the centroid's words before, then (below) the keys to index it under
        keys.clear();
        keys.extend(s.terms.iter().map(|t| t.0));
        let before = keys.len();
        add_into(&mut s.terms, &f.terms, keep, merged);
        if let Some(w) = self.weighed.get_mut(id as usize) {
            w.epoch = 0; // the centroid changed
        }
        add_into(&mut s.actors, &f.actors, 32, merged);
        for &e in &f.events {
            let len = s.events.len();
            match s.events.iter_mut().find(|o| o.key == e.key) {
                Some(o) => {
                    o.weight = o.weight.max(e.weight);
                    o.day = o.day.or(e.day);
                }
                None if len < 64 => s.events.push(e),
                None => {}
            }
        }
        // index the story under its new strong words, its actors and its events (both
        // lists of words are sorted by key)
        for t in &s.terms {
            if keys[..before].binary_search(&t.0).is_err() {
                keys.push(t.0);
            }
        }
        keys.drain(..before);
        keys.extend(f.actors.iter().map(|a| a.0 ^ ACTOR_SALT));
        keys.extend(s.events.iter().map(|e| e.key));
        for &k in keys.iter() {
            let p = self.index.entry(k).or_default();
            if p.last() != Some(&id) {
                p.push(id);
            }
        }
    }
}

/// Smoothed inverse document frequency.
fn idf(docs: u32, df: u32) -> f32 {
    ((1.0 + docs as f32) / (1.0 + df as f32)).ln() + 1.0
}

/// Add weighted features into a centroid kept sorted by key, then keep the `keep`
/// strongest (the centroid stays sorted by key). `merged` is a buffer: it leaves with the
/// centroid's old storage.
fn add_into(
    centroid: &mut Vec<(u64, f32)>,
    add: &[(u64, f32)],
    keep: usize,
    merged: &mut Vec<(u64, f32)>,
) {
    merged.clear();
    let (mut i, mut j) = (0, 0);
    while i < centroid.len() || j < add.len() {
        match (centroid.get(i), add.get(j)) {
            (Some(a), Some(b)) if a.0 == b.0 => {
                merged.push((a.0, a.1 + b.1));
                i += 1;
                j += 1;
            }
            (Some(a), Some(b)) if a.0 < b.0 => {
                merged.push(*a);
                i += 1;
            }
            (Some(a), None) => {
                merged.push(*a);
                i += 1;
            }
            (_, Some(b)) => {
                merged.push(*b);
                j += 1;
            }
            (None, None) => break,
        }
    }
    if merged.len() > keep {
        merged.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        merged.truncate(keep);
        merged.sort_unstable_by_key(|t| t.0);
    }
    std::mem::swap(centroid, merged);
}

/// The norm of a sparse vector, each entry scaled by `idf` of its key.
fn norm(v: &[(u64, f32)], idf: impl Fn(u64) -> f32) -> f32 {
    v.iter()
        .map(|&(k, w)| {
            let x = w * idf(k);
            x * x
        })
        .sum::<f32>()
        .sqrt()
}

/// Cosine of two key-sorted sparse vectors, each entry scaled by `idf` of its key.
pub(crate) fn cosine(a: &[(u64, f32)], b: &[(u64, f32)], idf: impl Fn(u64) -> f32) -> f32 {
    cosine_with(a, norm(a, &idf), b, idf)
}

/// [`cosine`] with the first vector's norm given.
fn cosine_with(a: &[(u64, f32)], norm_a: f32, b: &[(u64, f32)], idf: impl Fn(u64) -> f32) -> f32 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let dot = sparse_dot(a, b, |_, k| idf(k));
    quotient(dot, norm_a * norm(b, &idf))
}

/// [`cosine_with`] with the second vector's idf (in its order) and norm given: the same
/// arithmetic in the same order, so the same result.
fn cosine_weighed(
    a: &[(u64, f32)],
    norm_a: f32,
    b: &[(u64, f32)],
    b_idf: &[f32],
    norm_b: f32,
) -> f32 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let dot = sparse_dot(a, b, |j, _| b_idf.get(j).copied().unwrap_or(0.0));
    quotient(dot, norm_a * norm_b)
}

/// The dot product of two key-sorted sparse vectors, each shared key's product scaled by
/// the square of `w(index in b, key)`.
fn sparse_dot(a: &[(u64, f32)], b: &[(u64, f32)], w: impl Fn(usize, u64) -> f32) -> f32 {
    let (mut i, mut j, mut dot) = (0, 0, 0.0f32);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Equal => {
                let x = w(j, a[i].0);
                dot += a[i].1 * b[j].1 * x * x;
                i += 1;
                j += 1;
            }
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
        }
    }
    dot
}

fn quotient(dot: f32, n: f32) -> f32 {
    if n > 0.0 {
        dot / n
    } else {
        0.0
    }
}

/// The norm of `v` with the idf of each entry given, in its order: as [`norm`] computes it.
fn norm_weighed(v: &[(u64, f32)], idfs: &[f32]) -> f32 {
    v.iter()
        .zip(idfs)
        .map(|(&(_, x), &f)| {
            let y = x * f;
            y * y
        })
        .sum::<f32>()
        .sqrt()
}

/// Fill `idfs` with `idf` of each key of `v`, in order; returns `v`'s norm with them.
fn weigh_into(v: &[(u64, f32)], idfs: &mut Vec<f32>, idf: impl Fn(u64) -> f32) -> f32 {
    idfs.clear();
    idfs.extend(v.iter().map(|&(k, _)| idf(k)));
    norm_weighed(v, idfs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::InputEvent;

    fn doc(id: &str, words: &str, day: Option<i32>) -> StoryInput {
        StoryInput {
            id: id.into(),
            day,
            terms: StoryInput::hash_words(words.split_whitespace()),
            ..Default::default()
        }
    }

    #[test]
    fn cached_weights_give_the_same_similarity_to_the_bit() {
        let docs: Vec<StoryInput> = crate::synth::corpus(600, 3)
            .into_iter()
            .map(|a| a.input)
            .collect();
        let mut c = Clusterer::bundled();
        let (first, second) = docs.split_at(300);
        c.add_batch(first.to_vec());
        // counts change with the next batch: the caches must follow
        c.add_batch(second[..150].to_vec());
        let mut sc = Scratch::default();
        let mut compared = 0;
        for d in &second[150..] {
            c.features(d, &mut sc);
            let doc_norm = norm(&sc.features.terms, |t| c.term_idf(t));
            for s in 0..c.stories.len() {
                c.weigh(s as StoryId);
                let st = &c.stories[s];
                let w = &c.weighed[s];
                let cached =
                    cosine_weighed(&sc.features.terms, doc_norm, &st.terms, &w.idf, w.norm);
                let fresh = cosine_with(&sc.features.terms, doc_norm, &st.terms, |t| c.term_idf(t));
                assert_eq!(cached.to_bits(), fresh.to_bits(), "story {s}");
                compared += usize::from(fresh > 0.0);
                let fa = &sc.features.actors;
                let an = norm(fa, |a| c.actor_idf(a));
                let cached = cosine_weighed(fa, an, &st.actors, &w.actor_idf, w.actor_norm);
                let fresh = cosine(fa, &st.actors, |a| c.actor_idf(a));
                assert_eq!(cached.to_bits(), fresh.to_bits(), "story {s}, actors");
            }
        }
        assert!(compared > 100, "{compared} non-zero similarities compared");
    }

    #[test]
    fn centroids_keep_their_strongest_words_sorted() {
        let mut c = vec![(1, 1.0), (5, 1.0)];
        add_into(&mut c, &[(2, 3.0), (5, 1.0)], 2, &mut Vec::new());
        assert_eq!(c, vec![(2, 3.0), (5, 2.0)]);
    }

    #[test]
    fn a_later_batch_joins_an_earlier_story_and_time_keeps_stories_apart() {
        let mut c = Clusterer::bundled();
        let talks = "geneva ceasefire talks envoy delegations syria opposition negotiators";
        let first = c.add_batch(vec![
            doc("a", talks, Some(100)),
            doc(
                "b",
                "volcano eruption ash lava evacuation island",
                Some(100),
            ),
        ]);
        assert!(first.iter().all(|a| a.new_story));
        let rev: String = talks.split(' ').rev().collect::<Vec<_>>().join(" ");
        let second = c.add_batch(vec![
            doc("c", talks, Some(101)),
            // the same words a year later (not a copy) are another story
            doc("d", &rev, Some(465)),
        ]);
        assert_eq!(second[0].story, first[0].story);
        assert!(!second[0].new_story);
        assert!(second[1].new_story);
        assert_eq!(c.stories().len(), 3);
        assert_eq!(c.documents(), 4);
    }

    #[test]
    fn copies_are_linked_and_join_the_original_story() {
        let text = "parliament passed budget vote opposition walked out minister resigned \
                    protests capital police dispersed crowds evening curfew announced";
        let mut c = Clusterer::bundled();
        let a = c.add_batch(vec![doc("orig", text, None), doc("copy", text, None)]);
        assert_eq!(a[1].story, a[0].story);
        let (of, sim) = a[1].copy_of.clone().unwrap();
        assert_eq!(of, "orig");
        assert!(sim > 0.99);
        assert_eq!(c.stories()[0].members[1].copy_of.as_deref(), Some("orig"));
    }

    #[test]
    fn shared_specific_events_link_documents_whose_words_differ() {
        let ev = |cameo: &str| InputEvent {
            source: "x-land".into(),
            target: "y-land".into(),
            cameo: cameo.into(),
            day: None,
        };
        let mk = |id: &str, words: &str, cameo: &str| StoryInput {
            events: vec![ev(cameo), ev("192")],
            actors: vec![("x-land".into(), 3), ("y-land".into(), 3)],
            ..doc(id, words, None)
        };
        let mut c = Clusterer::bundled();
        let a = c.add_batch(vec![
            mk("a", "summit leaders met palace hours", "040"),
            mk("b", "presidents talks capital lunch", "040"),
            doc("c", "football league match goals season", None),
        ]);
        assert_eq!(a[0].story, a[1].story, "{a:?}");
        assert_ne!(a[2].story, a[0].story);
    }
}
