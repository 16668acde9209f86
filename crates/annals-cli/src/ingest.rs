//! `annals ingest`: analyse inputs into a store; `annals serve`: serve a store.
//!
//! The ingest streams documents through the pipeline into [`StoreSink`], which writes
//! them in batches, one transaction each, and brings the search index up to date after
//! each. Each document is stored with what the cross-document step needs of it: its
//! event reports and its [`DocReports`] (story clustering input, relation and stance
//! reports). Inputs whose content is stored already are not analysed again. At the end,
//! the reports of every stored document, in the order they were stored, go through the
//! engine's own cross-document step ([`Gathered`], as `annals analyze --format json`
//! does), and the merged events, stories, relations and stances it makes replace the
//! stored ones in one transaction. A run that is killed leaves every finished batch
//! stored and those records stale; running it again skips what is stored, analyses the
//! rest and rebuilds them.

use crate::analyze::{closing_line, report_problem, Progress};
use crate::{IngestArgs, ServeArgs};
use annals_engine::cross::{DocReports, Gathered};
use annals_engine::record::{
    actor_records, document_record, event_reports, quote_records, EventReport,
};
use annals_engine::sink::{Prepared, Sink};
use annals_ingest::{IngestOptions, IngestStats, Skip};
use annals_model::output::{Analysis, Evidence};
use annals_model::{Document, EventDate, Modality};
use annals_store::{content_hash, BatchOutcome, CrossRecords, DocBundle, EventReportRow, Store};
use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use std::io;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};

/// An engine event report as the store keeps it: everything the cross-document merge
/// reads, but the publication date, which is the document's.
#[derive(Serialize, Deserialize)]
struct SavedReport {
    source: Option<String>,
    target: Option<String>,
    cameo: String,
    symmetric: bool,
    date: Option<EventDate>,
    date_text: Option<String>,
    modality: Modality,
    confidence: f32,
    narrative: bool,
    #[serde(default)]
    pending: Option<(String, annals_model::PendingTime)>,
    evidence: Evidence,
}

impl SavedReport {
    fn of(r: EventReport) -> Self {
        Self {
            source: r.source,
            target: r.target,
            cameo: r.cameo,
            symmetric: r.symmetric,
            date: r.date,
            date_text: r.date_text,
            modality: r.modality,
            confidence: r.confidence,
            narrative: r.narrative,
            pending: r.pending,
            evidence: r.evidence,
        }
    }

    fn into_report(self, published: Option<&str>) -> EventReport {
        EventReport {
            source: self.source,
            target: self.target,
            cameo: self.cameo,
            symmetric: self.symmetric,
            date: self.date,
            date_text: self.date_text,
            published: published.and_then(annals_time::Date::parse),
            modality: self.modality,
            confidence: self.confidence,
            narrative: self.narrative,
            pending: self.pending,
            evidence: self.evidence,
        }
    }
}

/// The store's bundle for an analysed document.
pub(crate) fn bundle(doc: &Document) -> io::Result<DocBundle> {
    let mut b = DocBundle::new(document_record(doc), content_hash(&doc.raw));
    b.actors = actor_records(doc);
    b.quotes = quote_records(doc);
    for r in event_reports(doc) {
        b.reports.push(EventReportRow {
            source: r.source.clone(),
            target: r.target.clone(),
            cameo: r.cameo.clone(),
            date: r.date.map(|d| d.iso()),
            data: serde_json::to_value(SavedReport::of(r))?,
        });
    }
    b.cross = Some(serde_json::to_value(DocReports::of(doc))?);
    Ok(b)
}

/// What [`rebuild_cross`] made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CrossCounts {
    /// Stored documents without story input and relation and stance reports (stored by
    /// an annals from before it kept them): they are in no story.
    pub without_reports: usize,
    pub events: usize,
    pub stories: usize,
    pub relations: usize,
    pub stances: usize,
}

/// Make the cross-document records (merged events, stories, relations, stances) again
/// from the reports of every stored document, in the order they were stored, with the
/// engine's own cross-document step, and replace the stored ones in one transaction.
/// Dyads are not kept: the store has no place for them (the actor page adds up its
/// events itself).
pub(crate) fn rebuild_cross(store: &Store) -> Result<CrossCounts> {
    let mut gathered = Gathered::default();
    let mut reports = Vec::new();
    for s in store.event_reports()? {
        let saved: SavedReport = serde_json::from_value(s.data)
            .with_context(|| format!("a stored event report of {}", s.doc))?;
        reports.push(saved.into_report(s.published.as_deref()));
    }
    gathered.add_events(reports);
    for s in store.doc_reports()? {
        let r: DocReports = serde_json::from_value(s.data)
            .with_context(|| format!("the stored story input and reports of {}", s.doc))?;
        gathered.add_doc(r);
    }
    let without_reports = store
        .status()?
        .documents
        .saturating_sub(gathered.documents());
    let mut all = Analysis::default();
    gathered.finish_into(&mut all);
    store.replace_cross(CrossRecords {
        events: &all.events,
        stories: &all.stories,
        relations: &all.relations,
        stances: &all.stances,
    })?;
    Ok(CrossCounts {
        without_reports,
        events: all.events.len(),
        stories: all.stories.len(),
        relations: all.relations.len(),
        stances: all.stances.len(),
    })
}

/// Writes documents to the store in batches of `batch_size`, one transaction each.
pub(crate) struct StoreSink<'a> {
    store: &'a Store,
    batch: Vec<DocBundle>,
    batch_size: usize,
    pub(crate) outcome: BatchOutcome,
}

impl<'a> StoreSink<'a> {
    pub(crate) fn new(store: &'a Store, batch_size: usize) -> Self {
        Self {
            store,
            batch: Vec::new(),
            batch_size: batch_size.max(1),
            outcome: BatchOutcome::default(),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let out = self
            .store
            .write_batch(&self.batch)
            .map_err(io::Error::other)?;
        self.batch.clear();
        self.outcome.stored += out.stored;
        self.outcome.replaced += out.replaced;
        self.outcome.unchanged += out.unchanged;
        self.store.sync_index().map_err(io::Error::other)?;
        Ok(())
    }
}

impl StoreSink<'_> {
    fn add(&mut self, b: DocBundle) -> io::Result<()> {
        self.batch.push(b);
        if self.batch.len() >= self.batch_size {
            self.flush()?;
        }
        Ok(())
    }
}

impl Sink for StoreSink<'_> {
    fn document(&mut self, doc: &Document) -> io::Result<()> {
        self.add(bundle(doc)?)
    }

    /// A document's records are made on the worker that analysed it.
    fn preparer(&self) -> Option<fn(&Document) -> Prepared> {
        Some(|doc| Box::new(bundle(doc)))
    }

    fn prepared(&mut self, doc: &Document, p: Prepared) -> io::Result<()> {
        match p.downcast::<io::Result<DocBundle>>() {
            Ok(b) => self.add((*b)?),
            Err(_) => self.document(doc),
        }
    }

    fn finish(&mut self) -> io::Result<()> {
        self.flush()
    }
}

pub fn run(args: IngestArgs) -> Result<ExitCode> {
    let threads = args.run.threads();
    let store = Store::open(&args.db).with_context(|| format!("opening {}", args.db.display()))?;
    // a run that was killed between its database and its index commits
    store
        .sync_index()
        .context("bringing the search index up to date")?;
    let pipeline = args.run.pipeline()?;
    let bar = args.run.bar();
    // what is stored already is not analysed again
    let known = AtomicUsize::new(0);
    let lookup_failed = AtomicUsize::new(0);
    let items = annals_ingest::open(
        &args.paths,
        IngestOptions {
            max_doc_bytes: args.run.max_doc_bytes,
        },
    )
    .filter(|item| match item {
        Ok(raw) => match store.has_content(&content_hash(&raw.text)) {
            Ok(true) => {
                known.fetch_add(1, Ordering::Relaxed);
                false
            }
            Ok(false) => true,
            Err(_) => {
                lookup_failed.fetch_add(1, Ordering::Relaxed);
                true // the batch will tell
            }
        },
        Err(_) => true,
    });
    let mut stats = IngestStats::default();
    let mut sink = StoreSink::new(&store, args.batch);
    let mut progress = Progress {
        inner: &mut sink,
        bar: &bar,
    };
    let on_problem = |p: annals_engine::Problem<'_, Skip>| report_problem(p, &mut stats, &bar);
    let summary = annals_engine::run(items, &pipeline, threads, &mut progress, on_problem)
        .with_context(|| format!("writing to {}", args.db.display()))?;
    progress
        .finish()
        .with_context(|| format!("writing to {}", args.db.display()))?;
    bar.finish_and_clear();
    let status = store.status()?;
    let rebuilt = if status.events_stale {
        Some(rebuild_cross(&store).context("rebuilding the records made across documents")?)
    } else {
        None
    };
    if let Some(n) = rebuilt.map(|r| r.without_reports).filter(|&n| n > 0) {
        eprintln!(
            "annals: warning: {n} stored documents have no story input (an earlier annals stored them): they are in no story and give no relations or stances; ingest them into a new store to include them"
        );
    }
    if !args.run.quiet {
        let out = sink.outcome;
        let known = known.load(Ordering::Relaxed) + out.unchanged;
        eprintln!("{}", closing_line(&summary, &stats));
        eprintln!(
            "annals: {}: {} documents stored, {} replaced, {} already stored; the store holds {} documents, {} actors, {} quotes, {} events, {} stories, {} relations, {} stances{}",
            args.db.display(),
            out.stored,
            out.replaced,
            known,
            status.documents,
            status.actors,
            status.quotes,
            rebuilt.map_or(status.events, |r| r.events),
            rebuilt.map_or(status.stories, |r| r.stories),
            rebuilt.map_or(status.relations, |r| r.relations),
            rebuilt.map_or(status.stances, |r| r.stances),
            if rebuilt.is_some() { " (made now)" } else { "" },
        );
    }
    Ok(if summary.skipped > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

pub fn serve(args: ServeArgs) -> Result<ExitCode> {
    if !args.db.exists() {
        anyhow::bail!(
            "no store at {}; make one with `annals ingest PATH... --db {}`",
            args.db.display(),
            args.db.display()
        );
    }
    let store = Store::open(&args.db).with_context(|| format!("opening {}", args.db.display()))?;
    if store.index_behind().unwrap_or(false) {
        if let Err(e) = store.sync_index() {
            eprintln!("annals: warning: the search index is behind the database ({e}); run annals ingest to bring it up to date");
        }
    }
    if store.status().is_ok_and(|s| s.events_stale) {
        eprintln!(
            "annals: warning: an ingest stopped before it made its events, stories, relations and stances; run it again to finish"
        );
    }
    let config = annals_server::Config {
        addr: args.addr,
        rate_per_second: args.rate,
        max_body_bytes: args.max_body_bytes,
        ..annals_server::Config::default()
    };
    annals_server::serve(store, config).with_context(|| format!("serving on {}", args.addr))?;
    Ok(ExitCode::SUCCESS)
}
