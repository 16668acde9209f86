//! `annals analyze`: stream inputs through the pipeline into a sink.

use crate::{AnalyzeArgs, Format};
use annals_engine::sink::{ConlluSink, JsonSink, JsonlSink, Prepared, Sink, TableSink};
use annals_engine::{Problem, Summary};
use annals_ingest::{IngestOptions, IngestStats, Skip};
use annals_model::Document;
use anyhow::Result;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::{self, BufWriter};
use std::process::ExitCode;

/// Wraps a sink to tick a progress bar.
pub(crate) struct Progress<'a> {
    pub(crate) inner: &'a mut dyn Sink,
    pub(crate) bar: &'a ProgressBar,
}

impl Sink for Progress<'_> {
    fn document(&mut self, doc: &Document) -> io::Result<()> {
        self.bar.inc(1);
        self.inner.document(doc)
    }
    fn preparer(&self) -> Option<fn(&Document) -> Prepared> {
        self.inner.preparer()
    }
    fn prepared(&mut self, doc: &Document, p: Prepared) -> io::Result<()> {
        self.bar.inc(1);
        self.inner.prepared(doc, p)
    }
    fn finish(&mut self) -> io::Result<()> {
        self.inner.finish()
    }
}

pub fn run(args: AnalyzeArgs) -> Result<ExitCode> {
    let threads = args.run.threads();
    let pipeline = args.run.pipeline()?;

    let stdout = io::stdout();
    let out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut sink: Box<dyn Sink> = match args.format {
        Format::Json => Box::new(JsonSink::new(out)),
        Format::Jsonl => Box::new(JsonlSink::new(out)),
        Format::Table => Box::new(TableSink::new(out)),
        Format::Conllu => Box::new(ConlluSink::new(out)),
    };
    let bar = args.run.bar();
    let items = annals_ingest::open(
        &args.paths,
        IngestOptions {
            max_doc_bytes: args.run.max_doc_bytes,
        },
    );
    // text decoded from a legacy charset is analysed, and the user is told which one
    let note_bar = bar.clone();
    let items = items.inspect(move |item| {
        if let Ok(raw) = item {
            if let Some(enc) = &raw.meta.encoding {
                let source = &raw.source;
                note_bar
                    .suspend(|| eprintln!("annals: note: {source}: not UTF-8; decoded as {enc}"));
            }
        }
    });
    let mut stats = IngestStats::default();
    let mut progress = Progress {
        inner: sink.as_mut(),
        bar: &bar,
    };
    let on_problem = |p: Problem<'_, Skip>| report_problem(p, &mut stats, &bar);
    let summary = annals_engine::run(items, &pipeline, threads, &mut progress, on_problem)?;
    progress.finish()?;
    bar.finish_and_clear();
    if !args.run.quiet {
        eprintln!("{}", closing_line(&summary, &stats));
    }
    Ok(if summary.skipped > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The spinner a person sees while documents are analysed.
pub(crate) fn spinner() -> ProgressBar {
    let b = ProgressBar::new_spinner();
    b.set_style(
        ProgressStyle::with_template("{spinner} {pos} documents analysed ({rate}) {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner())
            .with_key(
                "rate",
                |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = write!(w, "{:.0}/s", state.per_sec());
                },
            ),
    );
    b.enable_steady_tick(std::time::Duration::from_millis(200));
    b
}

/// Count a skipped input by its reason and tell the user which and why.
pub(crate) fn report_problem(p: Problem<'_, Skip>, stats: &mut IngestStats, bar: &ProgressBar) {
    let (code, message) = match p {
        Problem::Input(skip) => (skip.reason.code(), skip.to_string()),
        Problem::NoText(source) => (
            "no_text",
            format!("{source}: no article text after cleaning"),
        ),
        Problem::Failed(source) => (
            "internal_error",
            format!("{source}: internal error while analysing it (please report it)"),
        ),
    };
    *stats.skipped.entry(code).or_default() += 1;
    bar.suspend(|| eprintln!("annals: skipped {message}"));
}

/// `annals: 7 documents read, 5 analysed, 3 skipped (binary 1, empty 1, malformed_json 1)`.
pub(crate) fn closing_line(summary: &Summary, stats: &IngestStats) -> String {
    let mut line = format!(
        "annals: {} documents read, {} analysed, {} skipped",
        summary.read, summary.analysed, summary.skipped
    );
    if !stats.skipped.is_empty() {
        let reasons: Vec<String> = stats
            .skipped
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect();
        line.push_str(&format!(" ({})", reasons.join(", ")));
    }
    line
}
