//! The engine: wires the stages into a pipeline and streams a corpus through it.
//!
//! ```text
//! inputs ─▶ reader thread ─▶ bounded queue ─▶ N workers (clean → annotate…) ─▶ reorder ─▶ Sink
//! ```
//!
//! - [`Pipeline`] holds the [`Cleaner`] and the [`Annotate`] stages, all shared read-only
//!   between workers.
//! - [`run`] streams items through it: at most a few documents per worker are in flight, so
//!   memory stays flat however large the corpus. Output keeps the input order. The workers
//!   are plain scoped threads over a bounded queue rather than a rayon pool: the input is a
//!   stream of unknown length read by one thread, and the output must leave in input order
//!   as it comes, which a bounded queue and a reorder buffer give directly (rayon's
//!   `par_bridge` does not keep order; its indexed iterators need the input collected).
//! - A sink's own per-document work ([`sink::Sink::preparer`]) runs on the worker too, so
//!   the thread that writes only gathers.
//! - A [`Sink`] receives each finished document: JSON, JSONL, a table for people (see
//!   [`sink`]).
//! - At the end of a run, [`cross::Gathered`] makes the cross-document records (merged
//!   events, stories, relations, stances, dyads) from what each document gave
//!   ([`cross::DocReports`] and its event reports): the sinks and the store's ingest share it.
//! - Input that cannot be read is data: it reaches the `on_problem` callback in order as a
//!   [`Problem`], and the [`Summary`] counts it. So do documents that cleaning leaves
//!   without text, and documents a stage panics on: that costs the document only.
//!
//! ```
//! use annals_engine::{run, Pipeline, Problem, sink::Sink};
//! use annals_model::{DocId, DocKind, Document, RawDoc, RawMeta};
//! struct Count(usize);
//! impl Sink for Count {
//!     fn document(&mut self, _d: &Document) -> std::io::Result<()> { self.0 += 1; Ok(()) }
//! }
//! let raw = |id: &str| RawDoc { id: DocId(id.into()), source: id.into(), kind: DocKind::Text,
//!     text: "A long enough sentence of prose for the body to keep it here.".into(), meta: RawMeta::default() };
//! let items: Vec<Result<RawDoc, String>> = vec![Ok(raw("a")), Err("b: empty file".into()), Ok(raw("c"))];
//! let mut sink = Count(0);
//! let mut skipped = Vec::new();
//! let summary = run(items.into_iter(), &Pipeline::default(), 2, &mut sink, |p| {
//!     if let Problem::Input(e) = p { skipped.push(e.clone()) }
//! })
//! .unwrap();
//! assert_eq!((sink.0, summary.analysed, skipped.len()), (2, 2, 1));
//! ```
#![warn(missing_docs)]

pub mod cross;
pub mod eval;
mod held;
pub mod record;
pub mod relations;
pub mod sink;
mod sort;
mod spill;
pub mod stories;

use annals_clean::Cleaner;
use annals_model::{
    Annotate, Document, Paragraph, Quote, RawDoc, SideMention, SidePlace, SideQuote, TextRange,
};
use sink::Sink;
use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Mutex};

/// The stages a document goes through, in order.
#[derive(Default)]
pub struct Pipeline {
    cleaner: Cleaner,
    stages: Vec<Box<dyn Annotate>>,
    /// Time spent in each step, summed over threads, when [`Pipeline::timed`].
    clock: Option<StageClock>,
}

/// Nanoseconds spent in each step of [`Pipeline::process`]: cleaning, each stage, and the
/// headline and captions.
struct StageClock {
    nanos: Vec<std::sync::atomic::AtomicU64>,
}

/// The time a step of the pipeline took, summed over the documents and threads of a run.
#[derive(Debug, Clone, PartialEq)]
pub struct StageTime {
    /// The step: `clean`, a stage's [`Annotate::name`], or `side texts`.
    pub name: &'static str,
    /// Its time, summed over threads (so up to threads × the run's wall time).
    pub time: std::time::Duration,
}

impl Pipeline {
    /// A pipeline of a cleaner and annotation stages run in the given order.
    pub fn new(cleaner: Cleaner, stages: Vec<Box<dyn Annotate>>) -> Self {
        Self {
            cleaner,
            stages,
            clock: None,
        }
    }

    /// The same pipeline, timing each of its steps (see [`Pipeline::stage_times`]).
    pub fn timed(mut self) -> Self {
        let steps = self.stages.len() + 2;
        self.clock = Some(StageClock {
            nanos: (0..steps).map(|_| Default::default()).collect(),
        });
        self
    }

    /// The names of the steps: `clean`, each stage's name, `side texts`.
    pub fn step_names(&self) -> Vec<&'static str> {
        let mut names = vec!["clean"];
        names.extend(self.stages.iter().map(|s| s.name()));
        names.push("side texts");
        names
    }

    /// The time each step took so far (all zero unless [`Pipeline::timed`]), and reset.
    pub fn take_stage_times(&self) -> Vec<StageTime> {
        let names = self.step_names();
        names
            .into_iter()
            .enumerate()
            .map(|(i, name)| StageTime {
                name,
                time: std::time::Duration::from_nanos(self.clock.as_ref().map_or(0, |c| {
                    c.nanos[i].swap(0, std::sync::atomic::Ordering::Relaxed)
                })),
            })
            .collect()
    }

    /// Add the time since `since` to step `i`, when timed; returns the time now.
    fn tick(&self, i: usize, since: Option<std::time::Instant>) -> Option<std::time::Instant> {
        let (clock, since) = (self.clock.as_ref()?, since?);
        let now = std::time::Instant::now();
        let spent = now.duration_since(since).as_nanos() as u64;
        clock.nanos[i].fetch_add(spent, std::sync::atomic::Ordering::Relaxed);
        Some(now)
    }

    /// The standard pipeline: cleaning; sentence segmentation and tokenization; tagging
    /// and parsing with the bundled model; actors from the bundled knowledge base; quotes;
    /// events; relations and stances.
    pub fn standard() -> Result<Self, annals_syntax::Error> {
        Self::loading_actors(annals_actors::ActorStage::bundled)
    }

    /// The standard pipeline with an actors stage of one's own (a knowledge base with a
    /// user's actors added: [`annals_actors::KnowledgeBase::with_user_file`]).
    pub fn with_actors(actors: annals_actors::ActorStage) -> Result<Self, annals_syntax::Error> {
        Self::loading_actors(move || actors)
    }

    /// The standard pipeline, its actors stage made by `actors` while the other stages
    /// load on a second thread: start-up takes the longer of the two, not their sum.
    fn loading_actors(
        actors: impl FnOnce() -> annals_actors::ActorStage + Send,
    ) -> Result<Self, annals_syntax::Error> {
        let (actors, rest) = std::thread::scope(|scope| {
            let rest = scope.spawn(|| {
                bundled_syntax_model().map(|m| {
                    (
                        annals_syntax::Pipeline::new(m),
                        annals_events::EventStage::bundled(),
                        annals_relations::RelationStage::bundled(),
                    )
                })
            });
            let actors = actors();
            // a panic while loading is a broken bundled model: let it surface as one
            (
                actors,
                rest.join().unwrap_or_else(|p| std::panic::resume_unwind(p)),
            )
        });
        let (syntax, events, relations) = rest?;
        Ok(Self::new(
            Cleaner::default(),
            vec![
                Box::new(annals_text::Segmenter::new()),
                Box::new(syntax),
                Box::new(actors),
                Box::new(annals_quotes::QuoteStage::new()),
                Box::new(events),
                Box::new(relations),
            ],
        ))
    }

    /// Clean and annotate one document: the body, then the headline and the captions.
    pub fn process(&self, raw: RawDoc) -> Document {
        let mut t = self.clock.as_ref().map(|_| std::time::Instant::now());
        let mut doc = self.cleaner.clean(raw);
        t = self.tick(0, t);
        for (i, s) in self.stages.iter().enumerate() {
            s.annotate(&mut doc);
            t = self.tick(i + 1, t);
        }
        self.annotate_side_texts(&mut doc);
        self.tick(self.stages.len() + 1, t);
        doc
    }

    /// Run the stages on the headline and on each caption as small documents of their
    /// own, and keep the actors they name and the quotes they hold: an actor the body
    /// also names keeps its index, a new one is added. Their mentions go to
    /// [`Document::side_mentions`], their quotes to [`Document::side_quotes`], with
    /// ranges into the headline or, for a caption, into the raw text.
    fn annotate_side_texts(&self, doc: &mut Document) {
        let mut texts: Vec<(SidePlace, usize, String)> = Vec::new();
        if let Some(t) = doc.title.as_deref().filter(|t| !t.trim().is_empty()) {
            texts.push((SidePlace::Title, 0, t.to_string()));
        }
        for r in &doc.captions {
            if let Some(t) = doc.raw.get(r.as_usize()) {
                texts.push((SidePlace::Caption, r.start as usize, t.to_string()));
            }
        }
        for (place, offset, text) in texts {
            let mut sub = Document {
                id: doc.id.clone(),
                published: doc.published.clone(),
                paragraphs: vec![Paragraph {
                    range: TextRange::new(0, text.len()),
                }],
                body: text,
                side: Some(place),
                ..Document::default()
            };
            for s in &self.stages {
                s.annotate(&mut sub);
            }
            // the sub-document's actor indexes as the document's
            let mut index: Vec<Option<u32>> = vec![None; sub.actors.len()];
            let mut actor_of = |i: u32, doc: &mut Document| -> Option<u32> {
                let slot = index.get_mut(i as usize)?;
                if slot.is_none() {
                    let a = &sub.actors[i as usize];
                    let at = doc.actors.iter().position(|x| x.id == a.id);
                    *slot = Some(at.unwrap_or_else(|| {
                        doc.actors.push(a.clone());
                        doc.actors.len() - 1
                    }) as u32);
                }
                *slot
            };
            let shift =
                |r: TextRange| TextRange::new(offset + r.start as usize, offset + r.end as usize);
            for m in &sub.mentions {
                let Some(actor) = actor_of(m.actor, doc) else {
                    continue;
                };
                doc.side_mentions.push(SideMention {
                    place,
                    range: shift(m.range),
                    actor,
                    how: m.how,
                });
            }
            for q in &sub.quotes {
                let speaker = q.speaker.and_then(|a| actor_of(a, doc));
                doc.side_quotes.push(SideQuote {
                    place,
                    quote: Quote {
                        range: shift(q.range),
                        continued: q.continued.iter().map(|&r| shift(r)).collect(),
                        speaker,
                        speaker_mention: q.speaker_mention.map(shift),
                        cue: q.cue.map(shift),
                        ..q.clone()
                    },
                });
            }
        }
    }
}

/// The tagger and parser model that ships in the repository (`models/en_ewt.syntax`),
/// compiled into the binary so that it runs with no files beside it.
static SYNTAX_MODEL: &[u8] = include_bytes!("../../../models/en_ewt.syntax");

/// Load the bundled tagger and parser model.
pub fn bundled_syntax_model() -> Result<annals_syntax::Model, annals_syntax::Error> {
    annals_syntax::Model::from_bytes(SYNTAX_MODEL)
}

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Documents read from the inputs.
    pub read: usize,
    /// Documents analysed and written.
    pub analysed: usize,
    /// Inputs skipped: unreadable input, documents with no text, documents a stage
    /// failed on.
    pub skipped: usize,
}

/// Why something yielded no output, reported in input order.
#[derive(Debug)]
pub enum Problem<'a, E> {
    /// The input could not be read as a document (the ingest stage's reason).
    Input(&'a E),
    /// The document was read, but cleaning left no article text (the source is given).
    NoText(&'a str),
    /// A stage failed on this document (the source is given); the run went on.
    Failed(&'a str),
}

enum Outcome<E> {
    Done(Box<Document>, Option<sink::Prepared>),
    Skipped(E),
    NoText(String),
    Failed(String),
}

/// Stream `items` through `pipeline` on `threads` workers, in input order, into `sink`.
///
/// Each input that yields no document goes to `on_problem` at its place in the order:
/// an `Err` item, a document whose cleaned body is empty, or one a stage panicked on. Returns when the input is
/// exhausted; an error is returned only when the sink fails to write (a broken pipe, a
/// full disk): the run stops there.
pub fn run<I, E, F>(
    items: I,
    pipeline: &Pipeline,
    threads: usize,
    sink: &mut dyn Sink,
    mut on_problem: F,
) -> std::io::Result<Summary>
where
    I: Iterator<Item = Result<RawDoc, E>> + Send,
    E: Send,
    F: FnMut(Problem<'_, E>),
{
    let threads = threads.max(1);
    let (work_tx, work_rx) = mpsc::sync_channel::<(usize, Result<RawDoc, E>)>(threads * 2);
    let (done_tx, done_rx) = mpsc::sync_channel::<(usize, Outcome<E>)>(threads * 2);
    let work_rx = Mutex::new(work_rx);
    let prepare = sink.preparer();
    let mut summary = Summary::default();
    let stop = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let stop = &stop;
        scope.spawn(move || {
            for (seq, item) in items.enumerate() {
                if stop.load(Ordering::Relaxed) || work_tx.send((seq, item)).is_err() {
                    break; // the run was stopped
                }
            }
        });
        for _ in 0..threads {
            let done_tx = done_tx.clone();
            let work_rx = &work_rx;
            scope.spawn(move || loop {
                let next = work_rx.lock().map(|rx| rx.recv());
                let Ok(Ok((seq, item))) = next else { break };
                let outcome = match item {
                    Err(e) => Outcome::Skipped(e),
                    Ok(raw) => {
                        let source = raw.source.clone();
                        // the sink's own work on the document is done here too, in parallel
                        let done = catch_unwind(AssertUnwindSafe(|| {
                            let doc = pipeline.process(raw);
                            let prepared = match prepare {
                                Some(f) if !doc.body.trim().is_empty() => Some(f(&doc)),
                                _ => None,
                            };
                            (doc, prepared)
                        }));
                        match done {
                            Ok((doc, _)) if doc.body.trim().is_empty() => Outcome::NoText(source),
                            Ok((doc, prepared)) => Outcome::Done(Box::new(doc), prepared),
                            Err(_) => Outcome::Failed(source),
                        }
                    }
                };
                if done_tx.send((seq, outcome)).is_err() {
                    break;
                }
            });
        }
        drop(done_tx);
        let mut pending = BTreeMap::new();
        let mut next = 0usize;
        let mut result = Ok(());
        while let Ok((seq, outcome)) = done_rx.recv() {
            pending.insert(seq, outcome);
            while let Some(outcome) = pending.remove(&next) {
                next += 1;
                match outcome {
                    Outcome::Done(doc, prepared) => {
                        summary.read += 1;
                        if result.is_ok() {
                            result = match prepared {
                                Some(p) => sink.prepared(&doc, p),
                                None => sink.document(&doc),
                            };
                            summary.analysed += 1;
                        }
                    }
                    Outcome::Skipped(e) => {
                        summary.skipped += 1;
                        on_problem(Problem::Input(&e));
                    }
                    Outcome::NoText(source) => {
                        summary.read += 1;
                        summary.skipped += 1;
                        on_problem(Problem::NoText(&source));
                    }
                    Outcome::Failed(source) => {
                        summary.read += 1;
                        summary.skipped += 1;
                        on_problem(Problem::Failed(&source));
                    }
                }
            }
            if result.is_err() {
                break; // dropping the receiver stops the workers, which stops the reader
            }
        }
        if result.is_err() {
            // stop the reader, release workers blocked on sending, and unblock the reader
            stop.store(true, Ordering::Relaxed);
            drop(done_rx);
            if let Ok(rx) = work_rx.lock() {
                while rx.recv().is_ok() {}
            }
        }
        result
    })?;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use annals_model::{DocId, DocKind, RawMeta};

    struct Collect(Vec<String>);
    impl Sink for Collect {
        fn document(&mut self, d: &Document) -> std::io::Result<()> {
            self.0.push(d.id.0.clone());
            Ok(())
        }
    }

    /// A stage that panics on documents whose body mentions "boom".
    struct Fragile;
    impl Annotate for Fragile {
        fn annotate(&self, doc: &mut Document) {
            assert!(!doc.body.contains("boom"), "fragile stage");
        }
    }

    fn raw(id: &str, text: &str) -> RawDoc {
        RawDoc {
            id: DocId(id.into()),
            source: format!("{id}.txt"),
            kind: DocKind::Text,
            text: text.into(),
            meta: RawMeta::default(),
        }
    }

    #[test]
    fn order_is_kept_and_every_problem_is_reported_in_place() {
        let prose = "Officials met on Monday to discuss the ceasefire, a spokesman said.";
        let boom = "Officials said the boom was heard across the city on Monday night.";
        let mut items: Vec<Result<RawDoc, String>> = Vec::new();
        for i in 0..50 {
            items.push(Ok(raw(&format!("d{i}"), prose)));
        }
        items.insert(10, Err("bad.jsonl:3: malformed JSON".into()));
        items.insert(20, Ok(raw("empty", "...\n\n")));
        items.insert(30, Ok(raw("fragile", boom)));
        let pipeline = Pipeline::new(Cleaner::default(), vec![Box::new(Fragile)]);
        let mut sink = Collect(Vec::new());
        let mut problems = Vec::new();
        let prev_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {})); // keep the expected panic out of the test log
        let summary = run(items.into_iter(), &pipeline, 3, &mut sink, |p| {
            problems.push(match p {
                Problem::Input(e) => e.clone(),
                Problem::NoText(s) => format!("no text: {s}"),
                Problem::Failed(s) => format!("failed: {s}"),
            })
        })
        .unwrap();
        std::panic::set_hook(prev_hook);
        let want: Vec<String> = (0..50).map(|i| format!("d{i}")).collect();
        assert_eq!(sink.0, want);
        assert_eq!(
            problems,
            [
                "bad.jsonl:3: malformed JSON",
                "no text: empty.txt",
                "failed: fragile.txt"
            ]
        );
        assert_eq!(
            summary,
            Summary {
                read: 52,
                analysed: 50,
                skipped: 3
            }
        );
    }

    #[test]
    fn a_failing_sink_stops_the_run_without_hanging() {
        struct Broken;
        impl Sink for Broken {
            fn document(&mut self, _: &Document) -> std::io::Result<()> {
                Err(std::io::Error::new(
                    std::io::ErrorKind::BrokenPipe,
                    "closed",
                ))
            }
        }
        let prose = "Officials met on Monday to discuss the ceasefire, a spokesman said.";
        let items = (0..10_000).map(|i| Ok::<_, String>(raw(&format!("d{i}"), prose)));
        let err = run(items, &Pipeline::default(), 2, &mut Broken, |_| {}).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::BrokenPipe);
    }
}
