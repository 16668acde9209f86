//! `annals export --parquet`: a store's documents, actors, mentions, quotes and events
//! as Hive-partitioned Parquet.
//!
//! ```text
//! DIR/documents/date=2015-09-28/part-0.parquet
//! DIR/documents/date=__HIVE_DEFAULT_PARTITION__/part-0.parquet
//! DIR/actors/…  DIR/mentions/…  DIR/quotes/…  DIR/events/…
//! ```
//!
//! The store streams each table in day order ([`annals_store::Store::export_documents`]
//! and its siblings), so one file is open at a time and memory holds one batch. A
//! partition gets a further file (`part-1.parquet`, …) every
//! [`ExportOptions::rows_per_file`] rows. Files are Snappy-compressed with statistics,
//! readable by DataFusion, Spark, Trino, DuckDB and pyarrow.
//!
//! The tables are written into a hidden folder in `DIR` first and moved into place when
//! all five are complete, so a failed export leaves any earlier export as it was.

use crate::tables::{RowBuilder, Table, Val, PARTITION_COLUMN, UNDATED};
use crate::{Error, Result};
use annals_store::Store;
use datafusion::parquet::arrow::ArrowWriter;
use datafusion::parquet::basic::Compression;
use datafusion::parquet::file::properties::WriterProperties;
use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::path::{Path, PathBuf};

/// How to export.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    /// Replace the tables of an earlier export in the folder (only the five table
    /// folders are removed; nothing else in it is touched).
    pub overwrite: bool,
    /// Start a further file in a partition after this many rows.
    pub rows_per_file: usize,
    /// Rows per record batch (and at most per Parquet page group written at once).
    pub batch_rows: usize,
}

impl Default for ExportOptions {
    fn default() -> Self {
        Self {
            overwrite: false,
            rows_per_file: 1_000_000,
            batch_rows: 8192,
        }
    }
}

/// What one table's export wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableSummary {
    /// Rows written.
    pub rows: usize,
    /// Parquet files written.
    pub files: usize,
    /// The partitions (`date` values, [`UNDATED`] for rows without a day).
    pub partitions: BTreeSet<String>,
}

/// What an export wrote, by table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportSummary {
    /// Each table's summary.
    pub tables: BTreeMap<&'static str, TableSummary>,
    /// The store's events and stories were out of date (an ingest stopped before it
    /// rebuilt them): the exported events and story ids are those of the last complete
    /// ingest.
    pub events_stale: bool,
}

impl ExportSummary {
    /// Rows written to `table`.
    pub fn rows(&self, table: Table) -> usize {
        self.tables.get(table.name()).map_or(0, |t| t.rows)
    }
}

/// True for a `YYYY-MM-DD` day: what may name a partition.
pub(crate) fn is_day(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
}

/// Export `store` into `dir` (created when missing) as Hive-partitioned Parquet.
pub fn export_parquet(store: &Store, dir: &Path, opts: &ExportOptions) -> Result<ExportSummary> {
    if opts.rows_per_file == 0 || opts.batch_rows == 0 {
        return Err(Error::Invalid(
            "rows per file and rows per batch must be at least 1".into(),
        ));
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let existing: Vec<PathBuf> = Table::ALL
        .iter()
        .map(|t| dir.join(t.name()))
        .filter(|p| p.exists())
        .collect();
    if !existing.is_empty() && !opts.overwrite {
        return Err(Error::Invalid(format!(
            "{} holds an export already ({}); pass --overwrite to replace it",
            dir.display(),
            existing
                .iter()
                .filter_map(|p| p.file_name())
                .map(|n| n.to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let staging = dir.join(format!(".annals-export-{}", std::process::id()));
    if staging.exists() {
        std::fs::remove_dir_all(&staging).map_err(|e| Error::io(&staging, e))?;
    }
    std::fs::create_dir_all(&staging).map_err(|e| Error::io(&staging, e))?;
    let written = write_tables(store, &staging, opts);
    let summary = match written {
        Ok(s) => s,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(e);
        }
    };
    for t in Table::ALL {
        let to = dir.join(t.name());
        if to.exists() {
            std::fs::remove_dir_all(&to).map_err(|e| Error::io(&to, e))?;
        }
        let from = staging.join(t.name());
        std::fs::rename(&from, &to).map_err(|e| Error::io(&to, e))?;
    }
    std::fs::remove_dir_all(&staging).map_err(|e| Error::io(&staging, e))?;
    Ok(summary)
}

fn write_tables(store: &Store, dir: &Path, opts: &ExportOptions) -> Result<ExportSummary> {
    let mut summary = ExportSummary {
        events_stale: store.events_stale()?,
        ..Default::default()
    };

    let mut w = PartitionedWriter::new(dir, Table::Documents, opts)?;
    store.export_documents(|d| {
        let r = &d.record;
        let (story, story_title) = match d.stories.first() {
            Some((id, title)) => (Some(id.as_str()), Some(title.as_str())),
            None => (None, None),
        };
        w.push(
            d.day.as_deref(),
            &[
                Val::Str(Some(&r.id)),
                Val::Str(r.title.as_deref()),
                Val::Str(r.outlet.as_deref()),
                Val::Str(r.published.as_deref()),
                Val::Str(r.url.as_deref()),
                Val::Str(Some(&r.source)),
                Val::Str(story),
                Val::Str(story_title),
                Val::I64(Some(r.paragraphs as i64)),
                Val::I64(Some(r.sentences as i64)),
                Val::I64(Some(r.tokens as i64)),
                Val::I64(Some(r.body.split_whitespace().count() as i64)),
                Val::Str(Some(&d.hash)),
                Val::Str(Some(&r.body)),
            ],
        )
    })?;
    summary.tables.insert(Table::Documents.name(), w.finish()?);

    let mut w = PartitionedWriter::new(dir, Table::Actors, opts)?;
    store.export_actors(|a| {
        let r = &a.record;
        w.push(
            a.first_seen.as_deref(),
            &[
                Val::Str(Some(&r.id)),
                Val::Str(Some(&r.name)),
                Val::Str(Some(&r.kind)),
                Val::Str(r.country.as_deref()),
                Val::Str(r.cameo.as_deref()),
                Val::Str(r.affiliation.as_deref()),
                Val::Bool(Some(r.named)),
                Val::List(&r.roles),
                Val::List(&r.aliases),
                Val::I64(Some(a.mentions as i64)),
                Val::I64(Some(a.documents as i64)),
                Val::Str(a.last_seen.as_deref()),
            ],
        )
    })?;
    summary.tables.insert(Table::Actors.name(), w.finish()?);

    let mut w = PartitionedWriter::new(dir, Table::Mentions, opts)?;
    store.export_mentions(|m| {
        w.push(
            m.day.as_deref(),
            &[
                Val::Str(Some(&m.doc)),
                Val::Str(Some(&m.actor)),
                Val::I64(Some(m.start.into())),
                Val::I64(Some(m.end.into())),
                Val::Str(Some(&m.text)),
                Val::Str(m.place.as_deref()),
            ],
        )
    })?;
    summary.tables.insert(Table::Mentions.name(), w.finish()?);

    let mut w = PartitionedWriter::new(dir, Table::Quotes, opts)?;
    store.export_quotes(|q| {
        let r = &q.record;
        w.push(
            q.day.as_deref(),
            &[
                Val::Str(Some(&r.doc)),
                Val::I64(Some(q.n as i64)),
                Val::Str(r.speaker.as_deref()),
                Val::Str(r.cue.as_deref()),
                Val::Str(Some(&r.text)),
                Val::Bool(Some(r.direct)),
                Val::I64(Some(r.start.into())),
                Val::I64(Some(r.end.into())),
                Val::Str(r.place.as_deref()),
                Val::I64(Some(r.continued.len() as i64)),
                Val::Str(Some(&r.how)),
                Val::F32(Some(r.confidence)),
            ],
        )
    })?;
    summary.tables.insert(Table::Quotes.name(), w.finish()?);

    let mut w = PartitionedWriter::new(dir, Table::Events, opts)?;
    store.export_events(|e| {
        let mut docs: Vec<String> = Vec::new();
        for m in &e.mentions {
            if !docs.contains(&m.doc) {
                docs.push(m.doc.clone());
            }
        }
        let first = e.mentions.first();
        let root: String = e.cameo.chars().take(2).collect();
        let off = |v: Option<u32>| v.map(i64::from);
        w.push(
            e.date.as_deref(),
            &[
                Val::Str(Some(&e.id)),
                Val::Str(e.date_precision.as_deref()),
                Val::Str(e.date_basis.as_deref()),
                Val::Str(e.date_text.as_deref()),
                Val::Str(e.source.as_deref()),
                Val::Str(e.target.as_deref()),
                Val::Str(Some(&e.cameo)),
                Val::Str(Some(&root)),
                Val::I32(Some(e.quad_class.into())),
                Val::F32(Some(e.goldstein)),
                Val::Str(e.plover.as_deref()),
                Val::Str(e.plover_mode.as_deref()),
                Val::Str(Some(&e.action)),
                Val::Str(Some(&e.modality)),
                Val::Bool(Some(e.symmetric)),
                Val::F32(Some(e.confidence)),
                Val::I64(Some(e.mentions.len() as i64)),
                Val::List(&docs),
                Val::Str(first.map(|m| m.doc.as_str())),
                Val::Str(first.map(|m| m.sentence.as_str())),
                Val::I64(first.and_then(|m| off(m.start))),
                Val::I64(first.and_then(|m| off(m.end))),
                Val::I64(first.and_then(|m| off(m.action_start))),
                Val::I64(first.and_then(|m| off(m.action_end))),
            ],
        )
    })?;
    summary.tables.insert(Table::Events.name(), w.finish()?);
    Ok(summary)
}

/// Writes one table's rows, which arrive grouped by partition, into
/// `table/date=…/part-N.parquet` files.
struct PartitionedWriter<'a> {
    dir: PathBuf,
    table: Table,
    opts: &'a ExportOptions,
    props: WriterProperties,
    rows: RowBuilder,
    open: Option<OpenFile>,
    /// The next file number of each partition seen, so a partition that came back would
    /// never overwrite a file.
    next_file: BTreeMap<String, usize>,
    summary: TableSummary,
}

struct OpenFile {
    partition: String,
    path: PathBuf,
    writer: ArrowWriter<File>,
    rows: usize,
}

impl<'a> PartitionedWriter<'a> {
    fn new(dir: &Path, table: Table, opts: &'a ExportOptions) -> Result<Self> {
        let dir = dir.join(table.name());
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_created_by(format!("annals {}", env!("CARGO_PKG_VERSION")))
            .build();
        Ok(Self {
            dir,
            table,
            opts,
            props,
            rows: RowBuilder::new(table.file_schema()),
            open: None,
            next_file: BTreeMap::new(),
            summary: TableSummary::default(),
        })
    }

    /// Add a row of the partition `day` (a day that is not `YYYY-MM-DD` goes, like none,
    /// to [`UNDATED`]).
    fn push(&mut self, day: Option<&str>, vals: &[Val<'_>]) -> Result<()> {
        let partition = day.filter(|d| is_day(d)).unwrap_or(UNDATED);
        let full = self
            .open
            .as_ref()
            .is_some_and(|o| o.rows + self.rows.len() >= self.opts.rows_per_file);
        if full || self.open.as_ref().is_none_or(|o| o.partition != partition) {
            self.close_file()?;
            self.open_file(partition)?;
        }
        self.rows.push(vals)?;
        self.summary.rows += 1;
        if self.rows.len() >= self.opts.batch_rows {
            self.flush()?;
        }
        Ok(())
    }

    fn open_file(&mut self, partition: &str) -> Result<()> {
        let folder = self.dir.join(format!("{PARTITION_COLUMN}={partition}"));
        std::fs::create_dir_all(&folder).map_err(|e| Error::io(&folder, e))?;
        let n = self.next_file.entry(partition.to_string()).or_insert(0);
        let path = folder.join(format!("part-{n}.parquet"));
        *n += 1;
        let file = File::create(&path).map_err(|e| Error::io(&path, e))?;
        let writer =
            ArrowWriter::try_new(file, self.table.file_schema(), Some(self.props.clone()))?;
        self.summary.files += 1;
        self.summary.partitions.insert(partition.to_string());
        self.open = Some(OpenFile {
            partition: partition.to_string(),
            path,
            writer,
            rows: 0,
        });
        Ok(())
    }

    /// Write the rows gathered to the open file.
    fn flush(&mut self) -> Result<()> {
        if self.rows.len() == 0 {
            return Ok(());
        }
        let batch = self.rows.finish()?;
        let open = self
            .open
            .as_mut()
            .ok_or_else(|| Error::Invalid("rows gathered with no file open".into()))?;
        open.rows += batch.num_rows();
        open.writer.write(&batch)?;
        Ok(())
    }

    fn close_file(&mut self) -> Result<()> {
        self.flush()?;
        if let Some(open) = self.open.take() {
            let path = open.path.clone();
            open.writer
                .close()
                .map_err(|e| Error::Invalid(format!("{}: {e}", path.display())))?;
        }
        Ok(())
    }

    fn finish(mut self) -> Result<TableSummary> {
        self.close_file()?;
        Ok(self.summary)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_checked() {
        assert!(is_day("2015-09-28"));
        for bad in ["2015-09", "2015-09-28T10:00", "../../etc", "2015/09/28", ""] {
            assert!(!is_day(bad), "{bad}");
        }
    }
}
