//! Sessions that run SQL over an export: local DataFusion, or a Ballista cluster.
//!
//! Both register the same tables and the same functions, so one query gives the same
//! rows either way:
//!
//! - `documents`, `actors`, `mentions`, `quotes`, `events`: views over the exported
//!   Parquet ([`crate::tables`]) whose `date` column is the Hive partition with
//!   `__HIVE_DEFAULT_PARTITION__` read as `NULL`, as Spark and Trino read it. The
//!   partitions as they are on disk are the tables `documents_files`, … A filter on
//!   `date` prunes partitions.
//! - `raw` ([`Session::register_raw`]): JSONL files of raw articles (`id`, `text` or
//!   `html`, `title`, `published`, `outlet`, `url`), one article a line, for
//!   `annals_analyze` to read; each file is a partition.
//! - [`crate::functions::all`].
//!
//! On a cluster the client plans and the executors read the files: paths are made
//! absolute, and must be the same on every executor (one machine, or a shared
//! filesystem).

use crate::tables::{Table, PARTITION_COLUMN, UNDATED};
use crate::{functions, Error, Result};
use ballista::extension::{SessionConfigExt, SessionContextExt};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::catalog::TableProvider;
use datafusion::datasource::file_format::parquet::ParquetFormat;
use datafusion::datasource::listing::ListingOptions;
use datafusion::datasource::ViewTable;
use datafusion::execution::SessionStateBuilder;
use datafusion::prelude::{col, lit, nullif, JsonReadOptions, SessionConfig, SessionContext};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How a session plans.
#[derive(Debug, Clone, Default)]
pub struct SessionOptions {
    /// Partitions a plan splits work into (DataFusion's `target_partitions`; on a cluster,
    /// also the shuffles' partitions). 0: one per core of this machine.
    pub target_partitions: usize,
}

impl SessionOptions {
    fn partitions(&self) -> usize {
        if self.target_partitions > 0 {
            self.target_partitions
        } else {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        }
    }
}

/// A DataFusion session with annals' tables and functions, local or on a cluster.
pub struct Session {
    ctx: SessionContext,
    cluster: Option<String>,
}

impl Session {
    /// A session that runs queries in this process.
    pub async fn local(opts: &SessionOptions) -> Result<Self> {
        let config = SessionConfig::new()
            .with_target_partitions(opts.partitions())
            .with_information_schema(true);
        let ctx = SessionContext::new_with_config(config);
        Ok(Self::with_functions(ctx, None))
    }

    /// A session whose queries run on the Ballista cluster of the scheduler at `url`
    /// (`df://HOST:PORT`). Nothing is sent until the first query.
    pub async fn remote(url: &str, opts: &SessionOptions) -> Result<Self> {
        let hostport = cluster_address(url)?;
        let config = SessionConfig::new_with_ballista()
            .with_target_partitions(opts.partitions())
            .with_information_schema(true);
        let state = SessionStateBuilder::new()
            .with_default_features()
            .with_config(config)
            .build();
        let ctx = SessionContext::remote_with_state(&format!("df://{hostport}"), state).await?;
        // after the upgrade to a Ballista session, which sets the function list anew
        Ok(Self::with_functions(ctx, Some(hostport)))
    }

    fn with_functions(ctx: SessionContext, cluster: Option<String>) -> Self {
        for f in functions::all() {
            ctx.register_udf(f.as_ref().clone());
        }
        Self { ctx, cluster }
    }

    /// The scheduler's `HOST:PORT`, for a session on a cluster.
    pub fn cluster(&self) -> Option<&str> {
        self.cluster.as_deref()
    }

    /// The DataFusion context, to register more or to build DataFrames.
    pub fn context(&self) -> &SessionContext {
        &self.ctx
    }

    /// Register the tables of the export in `dir` (those present); their names.
    pub async fn register_export(&self, dir: &Path) -> Result<Vec<Table>> {
        let dir = absolute(dir)?;
        if !dir.is_dir() {
            return Err(Error::Invalid(format!(
                "{}: no such folder (make one with annals export --parquet)",
                dir.display()
            )));
        }
        let mut found = Vec::new();
        for t in Table::ALL {
            let folder = dir.join(t.name());
            if !folder.is_dir() {
                continue;
            }
            let files = format!("{}_files", t.name());
            let options = ListingOptions::new(Arc::new(ParquetFormat::default()))
                .with_file_extension(".parquet")
                .with_table_partition_cols(vec![(PARTITION_COLUMN.to_string(), DataType::Utf8)]);
            self.ctx
                .register_listing_table(
                    files.as_str(),
                    url_of_folder(&folder)?,
                    options,
                    Some(t.file_schema()),
                    None,
                )
                .await?;
            // the view: every column, and the partition with Hive's NULL read as NULL
            let mut cols: Vec<_> = t
                .file_schema()
                .fields()
                .iter()
                .map(|f| col(format!("\"{}\"", f.name())))
                .collect();
            cols.push(nullif(col(PARTITION_COLUMN), lit(UNDATED)).alias(PARTITION_COLUMN));
            let plan = self
                .ctx
                .table(files.as_str())
                .await?
                .select(cols)?
                .into_unoptimized_plan();
            let view: Arc<dyn TableProvider> = Arc::new(ViewTable::new(plan, None));
            self.ctx.register_table(t.name(), view)?;
            found.push(t);
        }
        if found.is_empty() {
            return Err(Error::Invalid(format!(
                "{} holds none of the exported tables ({})",
                dir.display(),
                Table::ALL.map(Table::name).join(", ")
            )));
        }
        Ok(found)
    }

    /// Register `path` (a JSONL file, or a folder of `.jsonl` files) as the table `raw`:
    /// raw articles for `annals_analyze`.
    pub async fn register_raw(&self, path: &Path) -> Result<()> {
        let path = absolute(path)?;
        let url = if path.is_dir() {
            url_of_folder(&path)?
        } else if path.is_file() {
            path.to_str()
                .ok_or_else(|| Error::Invalid(format!("{}: not UTF-8", path.display())))?
                .to_string()
        } else {
            return Err(Error::Invalid(format!("{}: no such file", path.display())));
        };
        let schema = raw_schema();
        // a folder: its .jsonl files; a file: itself, whatever its name
        let extension = match path.extension().and_then(|e| e.to_str()) {
            _ if path.is_dir() => ".jsonl".to_string(),
            Some(e) => format!(".{e}"),
            None => String::new(),
        };
        let options = JsonReadOptions::default()
            .schema(&schema)
            .file_extension(&extension);
        self.ctx.register_json("raw", url, options).await?;
        Ok(())
    }

    /// Run one SQL statement and collect its rows.
    pub async fn sql(&self, sql: &str) -> Result<Rows> {
        let df = self.ctx.sql(sql).await?;
        let schema = df.schema().inner().clone();
        Ok(Rows {
            schema,
            batches: df.collect().await?,
        })
    }
}

/// One query to run, and where: what `annals query` does.
#[derive(Debug, Clone, Default)]
pub struct QueryOptions {
    /// The scheduler of a cluster (`df://HOST:PORT`); none: run here.
    pub cluster: Option<String>,
    /// An export's folder, whose tables to register.
    pub data: Option<PathBuf>,
    /// Raw articles (JSONL) to register as `raw`.
    pub raw: Option<PathBuf>,
    /// The SQL.
    pub sql: String,
    /// How to plan.
    pub session: SessionOptions,
    /// On a cluster, first wait (at most this long) until the scheduler has its minimum of
    /// executors.
    pub wait: Option<std::time::Duration>,
}

/// Run a query: register the tables, wait for the cluster when asked, run the SQL.
pub fn run(opts: &QueryOptions) -> Result<Rows> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(16 * 1024 * 1024)
        .build()
        .map_err(|e| Error::io(Path::new("tokio runtime"), e))?;
    rt.block_on(async {
        let session = match &opts.cluster {
            Some(url) => {
                let s = Session::remote(url, &opts.session).await?;
                if let (Some(limit), Some(hostport)) = (opts.wait, s.cluster()) {
                    crate::cluster::wait_until_ready(hostport, limit).await?;
                }
                s
            }
            None => Session::local(&opts.session).await?,
        };
        if let Some(dir) = &opts.data {
            session.register_export(dir).await?;
        }
        if let Some(raw) = &opts.raw {
            session.register_raw(raw).await?;
        }
        session.sql(&opts.sql).await
    })
}

/// A query's rows.
#[derive(Debug, Clone)]
pub struct Rows {
    /// Their columns.
    pub schema: SchemaRef,
    /// The rows, in batches.
    pub batches: Vec<RecordBatch>,
}

/// The columns of the `raw` table: the JSONL input's fields.
pub fn raw_schema() -> Schema {
    let f = |n: &str| Field::new(n, DataType::Utf8, true);
    Schema::new(vec![
        f("id"),
        f("text"),
        f("html"),
        f("title"),
        f("published"),
        f("outlet"),
        f("url"),
    ])
}

/// `HOST:PORT` of a cluster URL: `df://HOST:PORT` (or `HOST:PORT`).
pub fn cluster_address(url: &str) -> Result<String> {
    let rest = match url.split_once("://") {
        Some(("df", rest)) => rest,
        Some((scheme, _)) => {
            return Err(Error::Invalid(format!(
                "{url}: a cluster is df://HOST:PORT, not {scheme}://"
            )))
        }
        None => url,
    };
    let rest = rest.trim_end_matches('/');
    match rest.rsplit_once(':') {
        Some((host, port)) if !host.is_empty() && port.parse::<u16>().is_ok() => {
            Ok(rest.to_string())
        }
        _ => Err(Error::Invalid(format!(
            "{url}: a cluster is df://HOST:PORT (the scheduler's address)"
        ))),
    }
}

fn absolute(p: &Path) -> Result<PathBuf> {
    std::path::absolute(p).map_err(|e| Error::io(p, e))
}

/// A folder as a listing URL: its absolute path with a closing slash, which makes
/// DataFusion list what is under it.
fn url_of_folder(p: &Path) -> Result<String> {
    let s = p
        .to_str()
        .ok_or_else(|| Error::Invalid(format!("{}: not UTF-8", p.display())))?;
    Ok(if s.ends_with('/') {
        s.to_string()
    } else {
        format!("{s}/")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cluster_addresses() {
        assert_eq!(
            cluster_address("df://127.0.0.1:50050").unwrap(),
            "127.0.0.1:50050"
        );
        assert_eq!(
            cluster_address("localhost:7000/").unwrap(),
            "localhost:7000"
        );
        for bad in ["http://h:1", "df://h", "df://:1", "df://h:port", ""] {
            assert!(cluster_address(bad).is_err(), "{bad}");
        }
    }
}
