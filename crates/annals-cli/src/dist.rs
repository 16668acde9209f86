//! `annals export`, `scheduler`, `executor` and `query`: the distributed mode (cargo
//! feature `distributed`), over `annals-dist`.

use annals_dist::cluster::{ExecutorOptions, SchedulerOptions, StopWhen};
use annals_dist::export::ExportOptions;
use annals_dist::presets::Preset;
use annals_dist::session::{QueryOptions, SessionOptions};
use annals_dist::tables::Table;
use anyhow::{Context, Result};
use clap::ValueEnum;
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

#[derive(clap::Args)]
pub struct ExportArgs {
    /// The folder to write Hive-partitioned Parquet into: documents/, actors/, mentions/,
    /// quotes/ and events/, each split into date=YYYY-MM-DD/ folders.
    #[arg(long, value_name = "DIR")]
    parquet: PathBuf,
    /// The store made by `annals ingest`.
    #[arg(long, value_name = "FILE")]
    db: PathBuf,
    /// Replace the tables of an earlier export in DIR.
    #[arg(long)]
    overwrite: bool,
    /// Start a further file in a partition after this many rows.
    #[arg(long, default_value_t = 1_000_000)]
    rows_per_file: usize,
}

/// When a scheduler or executor stops by itself, besides SIGTERM and Ctrl-C.
#[derive(clap::Args)]
pub struct StopArgs {
    /// Stop after this many seconds.
    #[arg(long, value_name = "SECS")]
    exit_after: Option<f64>,
    /// Stop when standard input closes (for a supervisor that holds a pipe to it).
    #[arg(long)]
    exit_on_stdin_close: bool,
    /// Stop when the process that started this one exits.
    #[arg(long)]
    exit_with_parent: bool,
    /// Log Ballista's progress (info) on standard error, not only warnings.
    #[arg(long, short)]
    verbose: bool,
}

impl StopArgs {
    fn stop_when(&self) -> Result<StopWhen> {
        let after = match self.exit_after {
            Some(s) if s.is_finite() && s >= 0.0 => Some(Duration::from_secs_f64(s)),
            Some(s) => anyhow::bail!("--exit-after {s}: give a number of seconds"),
            None => None,
        };
        Ok(StopWhen {
            after,
            stdin_closes: self.exit_on_stdin_close,
            parent_exits: self.exit_with_parent,
        })
    }

    fn log(&self, role: &'static str) {
        annals_dist::logging::init(role, self.verbose);
    }
}

#[derive(clap::Args)]
pub struct SchedulerArgs {
    /// Address to listen on (port 0: any free port; the one taken is printed).
    #[arg(long, default_value = "127.0.0.1:50050")]
    bind: SocketAddr,
    /// The host name executors and clients reach it by (default: the bind address).
    #[arg(long)]
    external_host: Option<String>,
    /// Executors that must be alive before its /readyz says ready.
    #[arg(long, default_value_t = 1)]
    min_executors: usize,
    #[command(flatten)]
    stop: StopArgs,
}

#[derive(clap::Args)]
pub struct ExecutorArgs {
    /// The scheduler's HOST:PORT.
    #[arg(long)]
    scheduler: String,
    /// Address of its Arrow Flight service (results are fetched from it).
    #[arg(long, default_value = "127.0.0.1:50051")]
    bind: SocketAddr,
    /// Port of its gRPC service, to which the scheduler pushes tasks (default: the
    /// Flight port + 1).
    #[arg(long)]
    grpc_port: Option<u16>,
    /// The host name the scheduler and clients reach it by (default: the bind address).
    #[arg(long)]
    external_host: Option<String>,
    /// Tasks run at once (default: one per core).
    #[arg(long, default_value_t = 0)]
    vcores: usize,
    /// Where shuffle files go (default: a temporary folder, removed at the end).
    #[arg(long, value_name = "DIR")]
    work_dir: Option<PathBuf>,
    /// Its id in the cluster (default: HOST:PORT of its Flight service).
    #[arg(long)]
    id: Option<String>,
    #[command(flatten)]
    stop: StopArgs,
}

/// The ready-made analyses of `annals query --preset`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum PresetArg {
    /// Each story: documents, outlets, days, events (cooperation, conflict, mean Goldstein).
    Stories,
    /// Actor pairs by ISO week: quad class counts, mean Goldstein score, tone.
    Dyads,
    /// The most quoted speakers.
    Speakers,
    /// The annals pipeline run on every document's text, where its partition is read:
    /// the events it codes.
    Reanalyze,
}

impl PresetArg {
    fn preset(self) -> Preset {
        match self {
            PresetArg::Stories => Preset::Stories,
            PresetArg::Dyads => Preset::Dyads,
            PresetArg::Speakers => Preset::Speakers,
            PresetArg::Reanalyze => Preset::Reanalyze,
        }
    }
}

/// Output formats of `annals query`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum QueryFormat {
    /// A table for people.
    Table,
    /// One JSON object a row, a line each.
    Json,
}

#[derive(clap::Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["sql", "preset", "show_preset"])))]
pub struct QueryArgs {
    /// The SQL to run.
    sql: Option<String>,
    /// A ready-made analysis instead of SQL.
    #[arg(long, value_enum)]
    preset: Option<PresetArg>,
    /// Print a preset's SQL and exit.
    #[arg(long, value_enum, value_name = "PRESET")]
    show_preset: Option<PresetArg>,
    /// Run on the Ballista cluster of this scheduler (df://HOST:PORT); default: here.
    #[arg(long, value_name = "URL")]
    cluster: Option<String>,
    /// An export made by `annals export --parquet`: its tables are documents, actors,
    /// mentions, quotes and events.
    #[arg(long, value_name = "DIR")]
    data: Option<PathBuf>,
    /// Raw articles, a JSONL file or a folder of them (id, text or html, title,
    /// published, outlet, url): the table `raw`, for annals_analyze(text).
    #[arg(long, value_name = "PATH")]
    raw: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: QueryFormat,
    /// Partitions to split work into (default: one per core here).
    #[arg(long, default_value_t = 0)]
    partitions: usize,
    /// On a cluster, first wait at most this many seconds for the scheduler to have its
    /// minimum of executors.
    #[arg(long, value_name = "SECS")]
    wait: Option<u64>,
}

pub fn export(args: ExportArgs) -> Result<ExitCode> {
    let store = annals_store::Store::open(&args.db)
        .with_context(|| format!("opening the store {}", args.db.display()))?;
    let opts = ExportOptions {
        overwrite: args.overwrite,
        rows_per_file: args.rows_per_file,
        ..Default::default()
    };
    let summary = annals_dist::export::export_parquet(&store, &args.parquet, &opts)
        .with_context(|| format!("exporting into {}", args.parquet.display()))?;
    if summary.events_stale {
        eprintln!(
            "annals: warning: the store's events and stories are out of date (an ingest \
             stopped before it rebuilt them): run annals ingest again to rebuild them"
        );
    }
    let files: usize = summary.tables.values().map(|t| t.files).sum();
    let partitions: std::collections::BTreeSet<&String> = summary
        .tables
        .values()
        .flat_map(|t| t.partitions.iter())
        .collect();
    let counts: Vec<String> = Table::ALL
        .iter()
        .map(|t| format!("{} {}", summary.rows(*t), t.name()))
        .collect();
    eprintln!(
        "annals: {}: exported {} in {files} Parquet files over {} date partitions",
        args.parquet.display(),
        counts.join(", "),
        partitions.len()
    );
    Ok(ExitCode::SUCCESS)
}

pub fn scheduler(args: SchedulerArgs) -> Result<ExitCode> {
    args.stop.log("scheduler");
    let opts = SchedulerOptions {
        bind: args.bind,
        external_host: args.external_host,
        min_executors: args.min_executors,
        stop: args.stop.stop_when()?,
    };
    annals_dist::cluster::run_scheduler(&opts).context("the scheduler stopped")?;
    Ok(ExitCode::SUCCESS)
}

pub fn executor(args: ExecutorArgs) -> Result<ExitCode> {
    args.stop.log("executor");
    let opts = ExecutorOptions {
        scheduler: args.scheduler,
        bind: args.bind,
        grpc_port: args.grpc_port,
        external_host: args.external_host,
        vcores: args.vcores,
        work_dir: args.work_dir,
        id: args.id,
        stop: args.stop.stop_when()?,
    };
    annals_dist::cluster::run_executor(&opts).context("the executor stopped")?;
    Ok(ExitCode::SUCCESS)
}

pub fn query(args: QueryArgs) -> Result<ExitCode> {
    if let Some(p) = args.show_preset {
        print!("{}", p.preset().sql());
        return Ok(ExitCode::SUCCESS);
    }
    annals_dist::logging::init("query", false);
    let sql = match (args.preset, args.sql) {
        (Some(p), None) => p.preset().sql().to_string(),
        (None, Some(sql)) => sql,
        _ => anyhow::bail!("give either SQL or --preset, not both"),
    };
    if args.data.is_none() && args.raw.is_none() {
        anyhow::bail!("give --data DIR (an export) or --raw PATH (JSONL articles) to query");
    }
    let opts = QueryOptions {
        cluster: args.cluster,
        data: args.data,
        raw: args.raw,
        sql,
        session: SessionOptions {
            target_partitions: args.partitions,
        },
        wait: args.wait.map(Duration::from_secs),
    };
    let rows = annals_dist::session::run(&opts).context("the query failed")?;
    let mut out = std::io::stdout().lock();
    match args.format {
        QueryFormat::Table => {
            out.write_all(annals_dist::output::table(rows.schema, &rows.batches)?.as_bytes())?
        }
        QueryFormat::Json => out.write_all(&annals_dist::output::json_lines(&rows.batches)?)?,
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
