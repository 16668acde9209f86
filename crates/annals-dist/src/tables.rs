//! The five exported tables: their Arrow schemas and a row builder over them.
//!
//! Every table is split by a Hive partition column `date` (`date=YYYY-MM-DD/`), which is
//! not stored inside the files. Rows without a day go to `date=__HIVE_DEFAULT_PARTITION__`
//! ([`UNDATED`]), which Spark, Hive and Trino read as `NULL`; annals' own queries map it
//! to `NULL` too ([`crate::session`]).
//!
//! Integers are 64-bit (`quad_class` is 32-bit), scores 32-bit floats, lists are lists of
//! strings: types every Parquet reader knows.

use crate::{Error, Result};
use datafusion::arrow::array::{
    ArrayRef, BooleanBuilder, Float32Builder, Int32Builder, Int64Builder, ListBuilder,
    StringBuilder,
};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use datafusion::arrow::record_batch::RecordBatch;
use std::sync::Arc;

/// The name of the partition column of every table.
pub const PARTITION_COLUMN: &str = "date";

/// The partition value of rows without a day: Hive's and Spark's name for a `NULL`
/// partition.
pub const UNDATED: &str = "__HIVE_DEFAULT_PARTITION__";

/// One of the exported tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Table {
    /// One row a document: its metadata, story and body. `date`: its publication day.
    Documents,
    /// One row an actor, joined over documents. `date`: the first day a dated document
    /// mentions it.
    Actors,
    /// One row an actor mention. `date`: its document's day.
    Mentions,
    /// One row a quote. `date`: its document's day.
    Quotes,
    /// One row a merged event. `date`: the event's own date.
    Events,
}

impl Table {
    /// All five, in export order.
    pub const ALL: [Table; 5] = [
        Table::Documents,
        Table::Actors,
        Table::Mentions,
        Table::Quotes,
        Table::Events,
    ];

    /// The table's name, which is also its folder's.
    pub fn name(self) -> &'static str {
        match self {
            Table::Documents => "documents",
            Table::Actors => "actors",
            Table::Mentions => "mentions",
            Table::Quotes => "quotes",
            Table::Events => "events",
        }
    }

    /// The table of that name.
    pub fn from_name(name: &str) -> Option<Table> {
        Table::ALL.into_iter().find(|t| t.name() == name)
    }

    /// The schema of the files (without the partition column).
    pub fn file_schema(self) -> SchemaRef {
        use DataType::{Boolean, Float32, Int32, Int64, Utf8};
        let f = |name: &str, t: DataType, nullable: bool| Field::new(name, t, nullable);
        let list = |name: &str| {
            Field::new(
                name,
                DataType::List(Arc::new(Field::new("item", Utf8, true))),
                true,
            )
        };
        let fields = match self {
            Table::Documents => vec![
                f("id", Utf8, false),
                f("title", Utf8, true),
                f("outlet", Utf8, true),
                f("published", Utf8, true),
                f("url", Utf8, true),
                f("source", Utf8, false),
                f("story", Utf8, true),
                f("story_title", Utf8, true),
                f("paragraphs", Int64, false),
                f("sentences", Int64, false),
                f("tokens", Int64, false),
                f("words", Int64, false),
                f("hash", Utf8, false),
                f("body", Utf8, false),
            ],
            Table::Actors => vec![
                f("id", Utf8, false),
                f("name", Utf8, false),
                f("type", Utf8, false),
                f("country", Utf8, true),
                f("cameo", Utf8, true),
                f("affiliation", Utf8, true),
                f("named", Boolean, false),
                list("roles"),
                list("aliases"),
                f("mentions", Int64, false),
                f("documents", Int64, false),
                f("last_seen", Utf8, true),
            ],
            Table::Mentions => vec![
                f("doc", Utf8, false),
                f("actor", Utf8, false),
                f("start", Int64, false),
                f("end", Int64, false),
                f("text", Utf8, false),
                f("place", Utf8, true),
            ],
            Table::Quotes => vec![
                f("doc", Utf8, false),
                f("n", Int64, false),
                f("speaker", Utf8, true),
                f("cue", Utf8, true),
                f("text", Utf8, false),
                f("direct", Boolean, false),
                f("start", Int64, false),
                f("end", Int64, false),
                f("place", Utf8, true),
                f("parts", Int64, false),
                f("how", Utf8, false),
                f("confidence", Float32, false),
            ],
            Table::Events => vec![
                f("id", Utf8, false),
                f("date_precision", Utf8, true),
                f("date_basis", Utf8, true),
                f("date_text", Utf8, true),
                f("source", Utf8, true),
                f("target", Utf8, true),
                f("cameo", Utf8, false),
                f("root", Utf8, false),
                f("quad_class", Int32, false),
                f("goldstein", Float32, false),
                f("plover", Utf8, true),
                f("plover_mode", Utf8, true),
                f("action", Utf8, false),
                f("modality", Utf8, false),
                f("symmetric", Boolean, false),
                f("confidence", Float32, false),
                f("reports", Int64, false),
                list("docs"),
                f("doc", Utf8, true),
                f("sentence", Utf8, true),
                f("start", Int64, true),
                f("end", Int64, true),
                f("action_start", Int64, true),
                f("action_end", Int64, true),
            ],
        };
        Arc::new(Schema::new(fields))
    }
}

/// One value of a row, in the order of the table's fields.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Val<'a> {
    Str(Option<&'a str>),
    I64(Option<i64>),
    I32(Option<i32>),
    F32(Option<f32>),
    Bool(Option<bool>),
    List(&'a [String]),
}

enum Col {
    Str(StringBuilder),
    I64(Int64Builder),
    I32(Int32Builder),
    F32(Float32Builder),
    Bool(BooleanBuilder),
    List(ListBuilder<StringBuilder>),
}

impl Col {
    fn of(t: &DataType) -> Col {
        match t {
            DataType::Utf8 => Col::Str(StringBuilder::new()),
            DataType::Int64 => Col::I64(Int64Builder::new()),
            DataType::Int32 => Col::I32(Int32Builder::new()),
            DataType::Float32 => Col::F32(Float32Builder::new()),
            DataType::Boolean => Col::Bool(BooleanBuilder::new()),
            DataType::List(_) => Col::List(ListBuilder::new(StringBuilder::new())),
            other => unreachable!("no exported column is of type {other}"),
        }
    }

    fn finish(&mut self) -> ArrayRef {
        match self {
            Col::Str(b) => Arc::new(b.finish()),
            Col::I64(b) => Arc::new(b.finish()),
            Col::I32(b) => Arc::new(b.finish()),
            Col::F32(b) => Arc::new(b.finish()),
            Col::Bool(b) => Arc::new(b.finish()),
            Col::List(b) => Arc::new(b.finish()),
        }
    }
}

/// Rows of one table, gathered column by column into record batches.
pub(crate) struct RowBuilder {
    schema: SchemaRef,
    cols: Vec<Col>,
    rows: usize,
}

impl RowBuilder {
    pub(crate) fn new(schema: SchemaRef) -> Self {
        let cols = schema
            .fields()
            .iter()
            .map(|f| Col::of(f.data_type()))
            .collect();
        Self {
            schema,
            cols,
            rows: 0,
        }
    }

    /// Rows gathered since the last [`RowBuilder::finish`].
    pub(crate) fn len(&self) -> usize {
        self.rows
    }

    /// Add a row: one value a field, in order, each of its field's type.
    pub(crate) fn push(&mut self, vals: &[Val<'_>]) -> Result<()> {
        if vals.len() != self.cols.len() {
            return Err(Error::Invalid(format!(
                "a row of {} values for {} columns",
                vals.len(),
                self.cols.len()
            )));
        }
        // every value checked before any is added, so that a wrong row adds nothing
        for (i, (c, v)) in self.cols.iter().zip(vals).enumerate() {
            let fits = matches!(
                (c, v),
                (Col::Str(_), Val::Str(_))
                    | (Col::I64(_), Val::I64(_))
                    | (Col::I32(_), Val::I32(_))
                    | (Col::F32(_), Val::F32(_))
                    | (Col::Bool(_), Val::Bool(_))
                    | (Col::List(_), Val::List(_))
            );
            if !fits {
                return Err(Error::Invalid(format!(
                    "column {:?} cannot take {v:?}",
                    self.schema.field(i).name()
                )));
            }
        }
        for (c, v) in self.cols.iter_mut().zip(vals) {
            match (c, v) {
                (Col::Str(b), Val::Str(v)) => b.append_option(*v),
                (Col::I64(b), Val::I64(v)) => b.append_option(*v),
                (Col::I32(b), Val::I32(v)) => b.append_option(*v),
                (Col::F32(b), Val::F32(v)) => b.append_option(*v),
                (Col::Bool(b), Val::Bool(v)) => b.append_option(*v),
                (Col::List(b), Val::List(v)) => {
                    for s in v.iter() {
                        b.values().append_value(s);
                    }
                    b.append(true);
                }
                _ => unreachable!("checked above"),
            }
        }
        self.rows += 1;
        Ok(())
    }

    /// The rows gathered so far as one batch; the builder starts again empty.
    pub(crate) fn finish(&mut self) -> Result<RecordBatch> {
        let arrays = self.cols.iter_mut().map(Col::finish).collect();
        self.rows = 0;
        Ok(RecordBatch::try_new(self.schema.clone(), arrays)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_has_a_schema_and_a_name_that_round_trips() {
        for t in Table::ALL {
            assert_eq!(Table::from_name(t.name()), Some(t));
            let s = t.file_schema();
            assert!(s.field_with_name(PARTITION_COLUMN).is_err(), "{t:?}");
            assert!(s.fields().len() >= 6);
        }
    }

    #[test]
    fn rows_become_a_batch_and_a_wrong_row_is_refused() {
        let mut b = RowBuilder::new(Table::Mentions.file_schema());
        let row = [
            Val::Str(Some("d1")),
            Val::Str(Some("russia")),
            Val::I64(Some(0)),
            Val::I64(Some(6)),
            Val::Str(Some("Russia")),
            Val::Str(None),
        ];
        b.push(&row).unwrap();
        b.push(&row).unwrap();
        assert_eq!(b.len(), 2);
        let batch = b.finish().unwrap();
        assert_eq!((batch.num_rows(), batch.num_columns()), (2, 6));
        assert_eq!(b.len(), 0);
        assert!(b.push(&row[..5]).is_err());
        let mut wrong = row;
        wrong[2] = Val::Str(Some("zero"));
        assert!(b.push(&wrong).is_err());
        // nothing of the refused rows was added
        b.push(&row).unwrap();
        assert_eq!(b.finish().unwrap().num_rows(), 1);
    }
}
