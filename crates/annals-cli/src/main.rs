//! `annals`: the command-line front end. It parses flags into settings and wires the
//! stages; the work happens in the library crates.

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod analyze;
mod bench;
#[cfg(feature = "distributed")]
mod dist;
mod ingest;

/// mimalloc: the pipeline makes many small short-lived allocations per sentence, and
/// start-up builds maps of tens of thousands of entries; glibc's allocator spends a
/// quarter of start-up in malloc and free.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "annals",
    version,
    about = "Turn raw news into a sourced picture of actors, statements and events."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Analyse .txt, .html, .jsonl and .warc(.gz) files, folders, or stdin (`-`).
    Analyze(AnalyzeArgs),
    /// Analyse inputs like `analyze` and keep the results in a store (SQLite with a
    /// full-text index beside it). Content stored already is skipped; a stopped run
    /// resumes where it stopped.
    Ingest(IngestArgs),
    /// Serve a store's JSON API (documented at /openapi.json) and web UI.
    Serve(ServeArgs),
    /// Time the whole analysis, step by step, on a generated corpus (200 MB by default),
    /// on one thread and on all cores, with the peak memory of each run.
    Bench(BenchArgs),
    /// Score a stage against a CoNLL-U treebank.
    #[command(subcommand)]
    Eval(EvalCommand),
    /// Write a store's documents, actors, mentions, quotes and events as Hive-partitioned
    /// Parquet (split by date=YYYY-MM-DD), for annals query, Spark, Trino or DuckDB.
    #[cfg(feature = "distributed")]
    Export(dist::ExportArgs),
    /// Run a Ballista scheduler (with annals' SQL functions) until stopped.
    #[cfg(feature = "distributed")]
    Scheduler(dist::SchedulerArgs),
    /// Run a Ballista executor (with annals' SQL functions and pipeline) for a scheduler,
    /// until stopped.
    #[cfg(feature = "distributed")]
    Executor(dist::ExecutorArgs),
    /// Run SQL, or a ready-made analysis, over an export: here (DataFusion) or on a
    /// cluster (Ballista).
    #[cfg(feature = "distributed")]
    Query(dist::QueryArgs),
}

#[derive(Subcommand)]
enum EvalCommand {
    /// Sentence boundaries: rebuild running text from `# text` lines (paragraphs at
    /// `# newpar`), segment it, and score against the treebank's sentences.
    Segment {
        /// A CoNLL-U file.
        file: PathBuf,
    },
    /// Tagging and parsing with the treebank's own tokens: UPOS, UAS and LAS in percent,
    /// punctuation included.
    Parse {
        /// A CoNLL-U file.
        file: PathBuf,
    },
    /// Actors: for each marked source and target actor of a PLOVER-style gold file
    /// (`PLOVER_GSR_CAMEO.json`), whether annals finds its country.
    Actors {
        /// A JSON array of records with `text`, `date`, `source` and `target`.
        file: PathBuf,
    },
}

/// Output formats of `annals analyze`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    /// One JSON object: the output contract.
    Json,
    /// One JSON record a line, tagged with its `kind`.
    Jsonl,
    /// A summary table for people.
    Table,
    /// Every sentence's tokens, tags and dependency parse, in CoNLL-U.
    Conllu,
}

#[derive(clap::Args)]
struct AnalyzeArgs {
    /// Files or folders to read; `-` reads stdin.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "json")]
    format: Format,
    #[command(flatten)]
    run: RunArgs,
}

/// The settings `analyze` and `ingest` share: how to run the pipeline.
#[derive(clap::Args)]
struct RunArgs {
    /// Worker threads (default: one per core).
    #[arg(long)]
    threads: Option<usize>,
    /// Skip any document larger than this many bytes.
    #[arg(long, default_value_t = 10 * 1024 * 1024)]
    max_doc_bytes: u64,
    /// A TOML file of actors of one's own, added to the bundled knowledge base (schema in
    /// data/actors/README.md).
    #[arg(long, value_name = "FILE")]
    actors: Option<PathBuf>,
    /// Print no progress bar and no closing summary.
    #[arg(long, short)]
    quiet: bool,
}

impl RunArgs {
    /// The worker count: `--threads`, else one per core.
    fn threads(&self) -> usize {
        self.threads
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
    }

    /// The standard pipeline, with the user's actors file when given.
    fn pipeline(&self) -> Result<annals_engine::Pipeline> {
        match &self.actors {
            Some(path) => {
                let kb = annals_actors::KnowledgeBase::with_user_file(path)
                    .with_context(|| format!("reading actors from {}", path.display()))?;
                annals_engine::Pipeline::with_actors(annals_actors::ActorStage::new(kb))
            }
            None => annals_engine::Pipeline::standard(),
        }
        .context("loading the bundled models")
    }

    /// A progress spinner on a terminal, unless `--quiet`.
    fn bar(&self) -> indicatif::ProgressBar {
        if interactive() && !self.quiet {
            analyze::spinner()
        } else {
            indicatif::ProgressBar::hidden()
        }
    }
}

#[derive(clap::Args)]
struct IngestArgs {
    /// Files or folders to read; `-` reads stdin.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// The store: a SQLite file, created when missing (its index goes in FILE.index/).
    #[arg(long, value_name = "FILE")]
    db: PathBuf,
    /// Documents written per transaction.
    #[arg(long, default_value_t = 64)]
    batch: usize,
    #[command(flatten)]
    run: RunArgs,
}

#[derive(clap::Args)]
struct BenchArgs {
    /// Size of the generated corpus in megabytes (10^6 bytes of article text).
    #[arg(long, default_value_t = 200.0)]
    mb: f64,
    /// The second run's worker threads (default: one per core); the first has one.
    #[arg(long)]
    threads: Option<usize>,
    /// The corpus's seed: the same seed, the same corpus.
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// A CoNLL-U file whose running text (`# text` lines) joins the samples as
    /// paragraphs to draw from.
    #[arg(long, value_name = "FILE")]
    treebank: Option<PathBuf>,
    /// Write the corpus to FILE as JSONL (one article a line, as `analyze` reads it) and
    /// stop: the same input for other tools, such as the side-by-side comparison.
    #[arg(long, value_name = "FILE")]
    write: Option<PathBuf>,
}

#[derive(clap::Args)]
struct ServeArgs {
    /// The store made by `annals ingest`.
    #[arg(long, value_name = "FILE")]
    db: PathBuf,
    /// Address to listen on; the default answers this machine only.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: std::net::SocketAddr,
    /// Requests a second each client may make on average (bursts of 200 allowed).
    #[arg(long, default_value_t = 50.0)]
    rate: f64,
    /// Largest request body accepted, in bytes.
    #[arg(long, default_value_t = 64 * 1024)]
    max_body_bytes: u64,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Analyze(args) => analyze::run(args),
        Command::Ingest(args) => ingest::run(args),
        Command::Serve(args) => ingest::serve(args),
        Command::Bench(args) => bench::run(args),
        Command::Eval(EvalCommand::Segment { file }) => eval_segment(&file),
        Command::Eval(EvalCommand::Parse { file }) => eval_parse(&file),
        Command::Eval(EvalCommand::Actors { file }) => eval_actors(&file),
        #[cfg(feature = "distributed")]
        Command::Export(args) => dist::export(args),
        #[cfg(feature = "distributed")]
        Command::Scheduler(args) => dist::scheduler(args),
        #[cfg(feature = "distributed")]
        Command::Executor(args) => dist::executor(args),
        #[cfg(feature = "distributed")]
        Command::Query(args) => dist::query(args),
    };
    match result {
        Ok(code) => code,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(io::stderr(), "annals: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// True when stderr is a terminal a person watches.
fn interactive() -> bool {
    io::stderr().is_terminal()
}

/// Read a whole file for the eval commands, naming it on failure.
fn read_file(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
}

fn eval_parse(file: &Path) -> Result<ExitCode> {
    let text = read_file(file)?;
    let model =
        annals_engine::bundled_syntax_model().context("loading the bundled syntax model")?;
    let scores = annals_syntax::eval_parse(&model, &text);
    println!("{scores}");
    Ok(ExitCode::SUCCESS)
}

fn eval_actors(file: &Path) -> Result<ExitCode> {
    let text = read_file(file)?;
    let pipeline = annals_engine::Pipeline::standard().context("loading the bundled models")?;
    let scores = annals_engine::eval::actor_countries(&text, &pipeline)
        .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    println!("{scores}");
    Ok(ExitCode::SUCCESS)
}

fn eval_segment(file: &Path) -> Result<ExitCode> {
    let text = read_file(file)?;
    let scores = annals_text::eval_segment(&text, &annals_text::Segmenter::new());
    println!("{scores}");
    Ok(ExitCode::SUCCESS)
}
