//! Query results for people (a table) and for programs (JSON, one object a row).

use crate::Result;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::arrow::record_batch::RecordBatch;
use datafusion::arrow::util::pretty::pretty_format_batches_with_schema;

/// Rows as a table with borders, headed by the column names (also when there are none).
pub fn table(schema: SchemaRef, batches: &[RecordBatch]) -> Result<String> {
    Ok(format!(
        "{}\n",
        pretty_format_batches_with_schema(schema, batches)?
    ))
}

/// Rows as JSON, one object a line, every column present (`null` when empty). Lists and
/// structs are JSON arrays and objects.
pub fn json_lines(batches: &[RecordBatch]) -> Result<Vec<u8>> {
    let mut w = arrow_json::WriterBuilder::new()
        .with_explicit_nulls(true)
        .build::<_, arrow_json::writer::LineDelimited>(Vec::new());
    let refs: Vec<&RecordBatch> = batches.iter().collect();
    w.write_batches(&refs)?;
    w.finish()?;
    Ok(w.into_inner())
}

/// The number of rows.
pub fn rows(batches: &[RecordBatch]) -> usize {
    batches.iter().map(RecordBatch::num_rows).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::{Int64Array, StringArray};
    use datafusion::arrow::datatypes::{DataType, Field, Schema};
    use std::sync::Arc;

    #[test]
    fn tables_and_json_lines() {
        let schema = Arc::new(Schema::new(vec![
            Field::new("a", DataType::Utf8, true),
            Field::new("n", DataType::Int64, false),
        ]));
        let b = RecordBatch::try_new(
            schema.clone(),
            vec![
                Arc::new(StringArray::from(vec![Some("russia"), None])),
                Arc::new(Int64Array::from(vec![3, 1])),
            ],
        )
        .unwrap();
        let t = table(schema.clone(), std::slice::from_ref(&b)).unwrap();
        assert!(t.contains("| a      | n |"), "{t}");
        assert!(t.contains("| russia | 3 |"), "{t}");
        let j = String::from_utf8(json_lines(&[b]).unwrap()).unwrap();
        assert_eq!(j, "{\"a\":\"russia\",\"n\":3}\n{\"a\":null,\"n\":1}\n");
        // no rows: the header still
        assert!(table(schema, &[]).unwrap().contains("| a | n |"));
        assert_eq!(json_lines(&[]).unwrap(), b"");
    }
}
