//! Scale-out for annals on Apache DataFusion and Ballista: the store as Hive-partitioned
//! Parquet, annals' SQL functions, an embedded Ballista scheduler and executor, and SQL
//! over the exported data run locally or on a cluster.
//!
//! The crate is empty unless its `engine` feature is on (annals-cli's `distributed`
//! feature turns it on), so that `cargo build` and `cargo test --workspace` never compile
//! DataFusion.
//!
//! ```text
//! annals store ──export::export_parquet──▶ DIR/{documents,actors,mentions,quotes,events}/date=YYYY-MM-DD/part-N.parquet
//!                                              │
//!            session::Session::local ◀─────────┤ ListingTables with the `date` partition column
//!            session::Session::remote ◀────────┘ (df://HOST:PORT: Ballista's client)
//!                     │ SQL, presets::Preset
//!                     ▼
//!   cluster::run_scheduler (Ballista scheduler: plans with functions::all())
//!            │ stages, one task a partition
//!            ▼
//!   cluster::run_executor ×N (Ballista executors: run the tasks with functions::all(),
//!            annals_analyze runs the annals pipeline on each row of raw text)
//! ```
//!
//! - [`export::export_parquet`] streams a [`annals_store::Store`] into Parquet, one file
//!   open at a time ([`tables::Table`] has the schemas).
//! - [`functions::all`]: `quad_class`, `goldstein`, `cameo_name`, `plover`,
//!   `annals_analyze` and `annals_worker`, registered identically on local sessions, on
//!   the scheduler's sessions and on every executor's function registry (Ballista decodes
//!   a plan's functions by name on each side).
//! - [`session::Session`] registers the exported tables (and raw JSONL texts) and runs SQL;
//!   [`presets::Preset`] holds the ready-made analyses (stories, actor-pair series, top
//!   speakers, re-analysis on the executors).
//! - [`cluster`] runs Ballista's scheduler and executor in this process until a
//!   [`cluster::StopWhen`] condition: a deadline, standard input closing, the parent
//!   exiting, or SIGTERM/SIGINT.
//!
// The example is compiled as a doctest only with `engine`: without it the crate is empty
// and the example could not compile (`cargo test --workspace` tests the crate without it).
#![cfg_attr(
    feature = "engine",
    doc = r#"
```no_run
use annals_dist::{export, presets::Preset, session::{Session, SessionOptions}};
let store = annals_store::Store::open("desk.db")?;
export::export_parquet(&store, "out".as_ref(), &Default::default())?;
let rt = tokio::runtime::Runtime::new()?;
let rows = rt.block_on(async {
    let s = Session::local(&SessionOptions::default()).await?;
    s.register_export("out".as_ref()).await?;
    s.sql(Preset::Speakers.sql()).await
})?;
print!("{}", annals_dist::output::table(rows.schema, &rows.batches)?);
# Ok::<(), Box<dyn std::error::Error>>(())
```
"#
)]
#![cfg(feature = "engine")]
#![warn(missing_docs)]

pub mod cluster;
pub mod export;
pub mod functions;
pub mod logging;
pub mod output;
pub mod presets;
pub mod session;
pub mod tables;

pub use datafusion;

use std::path::{Path, PathBuf};

/// What can go wrong.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The store failed.
    #[error("store: {0}")]
    Store(#[from] annals_store::Error),
    /// DataFusion failed (planning or running a query, reading files).
    #[error("{0}")]
    DataFusion(#[from] datafusion::error::DataFusionError),
    /// Arrow failed (building a batch).
    #[error("arrow: {0}")]
    Arrow(#[from] datafusion::arrow::error::ArrowError),
    /// Parquet failed (writing a file).
    #[error("parquet: {0}")]
    Parquet(#[from] datafusion::parquet::errors::ParquetError),
    /// Ballista failed (the scheduler or an executor).
    #[error("ballista: {0}")]
    Ballista(#[from] ballista_core::error::BallistaError),
    /// A file or folder could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A setting or an input is not valid.
    #[error("{0}")]
    Invalid(String),
}

impl Error {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> Self {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    /// As a DataFusion error (inside a function DataFusion calls).
    pub(crate) fn into_datafusion(self) -> datafusion::error::DataFusionError {
        match self {
            Error::DataFusion(e) => e,
            other => datafusion::error::DataFusionError::External(Box::new(other)),
        }
    }
}

/// This crate's result.
pub type Result<T, E = Error> = std::result::Result<T, E>;
