//! annals' SQL functions, the same on a local DataFusion session, on the scheduler (which
//! plans with them) and on every executor (which runs them).
//!
//! | function | returns |
//! |---|---|
//! | `quad_class(cameo)` | the CAMEO quad class, 1 verbal cooperation … 4 material conflict (`INT`) |
//! | `goldstein(cameo)` | the Goldstein score, −10 … +10 (`FLOAT`) |
//! | `cameo_name(cameo)` | the code's name ("Discuss by telephone") |
//! | `plover(cameo)` | the PLOVER event type ("CONSULT"), `NULL` for codes PLOVER drops |
//! | `annals_analyze(text [, published [, title]])` | the whole annals pipeline on one raw text: a struct of `sentences`, `tokens`, `actors`, `quotes` and `events` (lists of structs) |
//! | `annals_analyze_html(html [, published [, title]])` | the same on an HTML page |
//! | `annals_worker()` | the executor that evaluated the row (`local` outside a cluster) |
//!
//! Codes unknown to the bundled table fall back to their longest known prefix, as the
//! event coder's do; a code with no known prefix, or `NULL`, gives `NULL`.
//!
//! `annals_analyze` loads the bundled models once per process, on its first call, and
//! analyses each row like `annals analyze` analyses a plain-text document: a query
//! over a table of raw texts split into partitions thus runs the analysis on whichever
//! executors run the partitions. A document the pipeline panics on gives `NULL` (and a
//! warning in the executor's log); the other rows go on.

use annals_engine::record::{actor_records, event_records, event_reports, quote_records};
use annals_engine::Pipeline;
use annals_model::{DocId, DocKind, RawDoc, RawMeta};
use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, Float32Array, Int32Array, Int64Array, ListArray, StringArray,
    StructArray,
};
use datafusion::arrow::buffer::{NullBuffer, OffsetBuffer};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Field, Fields, Schema};
use datafusion::common::{exec_err, Result as DfResult, ScalarValue};
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, TypeSignature,
    Volatility,
};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, OnceLock};

use crate::tables::{RowBuilder, Val};

/// Every annals function, ready to register on a session or an executor's registry.
pub fn all() -> Vec<Arc<ScalarUDF>> {
    vec![
        Arc::new(ScalarUDF::from(CodeFn::new(CodeFact::QuadClass))),
        Arc::new(ScalarUDF::from(CodeFn::new(CodeFact::Goldstein))),
        Arc::new(ScalarUDF::from(CodeFn::new(CodeFact::Name))),
        Arc::new(ScalarUDF::from(CodeFn::new(CodeFact::Plover))),
        Arc::new(ScalarUDF::from(Analyze::new(false))),
        Arc::new(ScalarUDF::from(Analyze::new(true))),
        Arc::new(ScalarUDF::from(Worker::new())),
    ]
}

static WORKER: OnceLock<String> = OnceLock::new();

/// Name this process for `annals_worker()` (an executor calls it once, with its id);
/// false when it was named already.
pub fn set_worker_name(name: &str) -> bool {
    WORKER.set(name.to_string()).is_ok()
}

/// The name `annals_worker()` returns in this process.
pub fn worker_name() -> &'static str {
    WORKER.get().map_or("local", String::as_str)
}

/// Which fact of a CAMEO code a [`CodeFn`] returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum CodeFact {
    QuadClass,
    Goldstein,
    Name,
    Plover,
}

/// `quad_class`, `goldstein`, `cameo_name`, `plover`: a fact of a CAMEO code from the
/// bundled code table.
#[derive(Debug, PartialEq, Eq, Hash)]
struct CodeFn {
    fact: CodeFact,
    signature: Signature,
}

impl CodeFn {
    fn new(fact: CodeFact) -> Self {
        Self {
            fact,
            signature: Signature::string(1, Volatility::Immutable),
        }
    }
}

impl ScalarUDFImpl for CodeFn {
    fn name(&self) -> &str {
        match self.fact {
            CodeFact::QuadClass => "quad_class",
            CodeFact::Goldstein => "goldstein",
            CodeFact::Name => "cameo_name",
            CodeFact::Plover => "plover",
        }
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _args: &[DataType]) -> DfResult<DataType> {
        Ok(match self.fact {
            CodeFact::QuadClass => DataType::Int32,
            CodeFact::Goldstein => DataType::Float32,
            CodeFact::Name | CodeFact::Plover => DataType::Utf8,
        })
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> DfResult<ColumnarValue> {
        let codes = strings(&args.args[0], args.number_rows)?;
        let codes = codes.as_string::<i32>();
        let info = |i: usize| {
            (!codes.is_null(i))
                .then(|| annals_events::code_info(codes.value(i)))
                .flatten()
        };
        let n = codes.len();
        let out: ArrayRef = match self.fact {
            CodeFact::QuadClass => Arc::new(
                (0..n)
                    .map(|i| info(i).map(|c| i32::from(c.quad)))
                    .collect::<Int32Array>(),
            ),
            CodeFact::Goldstein => Arc::new(
                (0..n)
                    .map(|i| info(i).map(|c| c.goldstein))
                    .collect::<Float32Array>(),
            ),
            CodeFact::Name => Arc::new(
                (0..n)
                    .map(|i| info(i).map(|c| c.name.as_str()))
                    .collect::<StringArray>(),
            ),
            CodeFact::Plover => Arc::new(
                (0..n)
                    .map(|i| info(i).map(|c| c.plover.as_str()).filter(|p| !p.is_empty()))
                    .collect::<StringArray>(),
            ),
        };
        Ok(ColumnarValue::Array(out))
    }
}

/// An argument as a `Utf8` array of `rows` rows (string views and large strings cast).
fn strings(arg: &ColumnarValue, rows: usize) -> DfResult<ArrayRef> {
    let a = arg.to_array(rows)?;
    Ok(match a.data_type() {
        DataType::Utf8 => a,
        _ => cast(&a, &DataType::Utf8)?,
    })
}

/// `annals_worker()`: who evaluated the row.
#[derive(Debug, PartialEq, Eq, Hash)]
struct Worker {
    signature: Signature,
}

impl Worker {
    fn new() -> Self {
        Self {
            // volatile: evaluated where the row is, never folded into a constant by a
            // planner
            signature: Signature::nullary(Volatility::Volatile),
        }
    }
}

impl ScalarUDFImpl for Worker {
    fn name(&self) -> &str {
        "annals_worker"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _args: &[DataType]) -> DfResult<DataType> {
        Ok(DataType::Utf8)
    }

    fn invoke_with_args(&self, _args: ScalarFunctionArgs) -> DfResult<ColumnarValue> {
        Ok(ColumnarValue::Scalar(ScalarValue::Utf8(Some(
            worker_name().to_string(),
        ))))
    }
}

/// `annals_analyze(text [, published [, title]])`, and `annals_analyze_html` for pages.
#[derive(Debug, PartialEq, Eq, Hash)]
struct Analyze {
    html: bool,
    signature: Signature,
}

impl Analyze {
    fn new(html: bool) -> Self {
        Self {
            html,
            signature: Signature::one_of(
                vec![
                    TypeSignature::String(1),
                    TypeSignature::String(2),
                    TypeSignature::String(3),
                ],
                Volatility::Immutable,
            ),
        }
    }
}

fn list_of(fields: Fields) -> DataType {
    DataType::List(Arc::new(Field::new("item", DataType::Struct(fields), true)))
}

fn actor_fields() -> Fields {
    Fields::from(vec![
        Field::new("id", DataType::Utf8, true),
        Field::new("name", DataType::Utf8, true),
        Field::new("type", DataType::Utf8, true),
        Field::new("country", DataType::Utf8, true),
        Field::new("cameo", DataType::Utf8, true),
        Field::new("mentions", DataType::Int64, true),
    ])
}

fn quote_fields() -> Fields {
    Fields::from(vec![
        Field::new("speaker", DataType::Utf8, true),
        Field::new("cue", DataType::Utf8, true),
        Field::new("text", DataType::Utf8, true),
        Field::new("direct", DataType::Boolean, true),
        Field::new("confidence", DataType::Float32, true),
        Field::new("start", DataType::Int64, true),
        Field::new("end", DataType::Int64, true),
    ])
}

fn event_fields() -> Fields {
    Fields::from(vec![
        Field::new("date", DataType::Utf8, true),
        Field::new("date_precision", DataType::Utf8, true),
        Field::new("source", DataType::Utf8, true),
        Field::new("target", DataType::Utf8, true),
        Field::new("cameo", DataType::Utf8, true),
        Field::new("root", DataType::Utf8, true),
        Field::new("quad_class", DataType::Int32, true),
        Field::new("goldstein", DataType::Float32, true),
        Field::new("plover", DataType::Utf8, true),
        Field::new("action", DataType::Utf8, true),
        Field::new("modality", DataType::Utf8, true),
    ])
}

/// The fields of `annals_analyze`'s struct.
fn analysis_fields() -> Fields {
    Fields::from(vec![
        Field::new("sentences", DataType::Int64, true),
        Field::new("tokens", DataType::Int64, true),
        Field::new("actors", list_of(actor_fields()), true),
        Field::new("quotes", list_of(quote_fields()), true),
        Field::new("events", list_of(event_fields()), true),
    ])
}

/// The pipeline of this process, loaded on first use.
fn pipeline() -> DfResult<&'static Pipeline> {
    static PIPELINE: OnceLock<Result<Pipeline, String>> = OnceLock::new();
    match PIPELINE.get_or_init(|| {
        let t = std::time::Instant::now();
        let p = Pipeline::standard().map_err(|e| e.to_string());
        log::info!("annals pipeline loaded in {:.1?}", t.elapsed());
        p
    }) {
        Ok(p) => Ok(p),
        Err(e) => exec_err!("annals_analyze: the bundled models failed to load: {e}"),
    }
}

/// What one document gave, gathered into the lists' rows.
struct Gathered {
    counts: Vec<Option<(i64, i64)>>,
    actors: (RowBuilder, Vec<usize>),
    quotes: (RowBuilder, Vec<usize>),
    events: (RowBuilder, Vec<usize>),
}

impl ScalarUDFImpl for Analyze {
    fn name(&self) -> &str {
        if self.html {
            "annals_analyze_html"
        } else {
            "annals_analyze"
        }
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _args: &[DataType]) -> DfResult<DataType> {
        Ok(DataType::Struct(analysis_fields()))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> DfResult<ColumnarValue> {
        let rows = args.number_rows;
        let cols = args
            .args
            .iter()
            .map(|a| strings(a, rows))
            .collect::<DfResult<Vec<_>>>()?;
        let text = cols[0].as_string::<i32>();
        let published = cols.get(1).map(|c| c.as_string::<i32>());
        let title = cols.get(2).map(|c| c.as_string::<i32>());
        let opt = |a: Option<&StringArray>, i: usize| {
            a.filter(|a| !a.is_null(i))
                .map(|a| a.value(i).to_string())
                .filter(|s| !s.trim().is_empty())
        };
        let schema = |f: Fields| Arc::new(Schema::new(f));
        let mut g = Gathered {
            counts: Vec::with_capacity(rows),
            actors: (RowBuilder::new(schema(actor_fields())), Vec::new()),
            quotes: (RowBuilder::new(schema(quote_fields())), Vec::new()),
            events: (RowBuilder::new(schema(event_fields())), Vec::new()),
        };
        let pipeline = if text.null_count() < text.len() {
            Some(pipeline()?)
        } else {
            None
        };
        for i in 0..rows {
            let analysed = match pipeline.filter(|_| !text.is_null(i)) {
                Some(p) => {
                    let raw = RawDoc {
                        id: DocId(format!("row{i}")),
                        source: "annals_analyze".into(),
                        kind: if self.html {
                            DocKind::Html
                        } else {
                            DocKind::Text
                        },
                        text: text.value(i).to_string(),
                        meta: RawMeta {
                            title: opt(title, i),
                            published: opt(published, i),
                            ..Default::default()
                        },
                    };
                    match catch_unwind(AssertUnwindSafe(|| analyse(p, raw))) {
                        Ok(r) => Some(gather(r, &mut g)?),
                        Err(_) => {
                            log::warn!(
                                "annals_analyze: the pipeline panicked on a row; it is NULL"
                            );
                            None
                        }
                    }
                }
                None => None,
            };
            if analysed.is_none() {
                // a NULL row: no list items of its own
                g.actors.1.push(0);
                g.quotes.1.push(0);
                g.events.1.push(0);
            }
            g.counts.push(analysed);
        }
        let list =
            |(mut b, lens): (RowBuilder, Vec<usize>), fields: Fields| -> DfResult<ArrayRef> {
                let values = StructArray::from(b.finish().map_err(crate::Error::into_datafusion)?);
                Ok(Arc::new(ListArray::try_new(
                    Arc::new(Field::new("item", DataType::Struct(fields), true)),
                    OffsetBuffer::from_lengths(lens),
                    Arc::new(values),
                    None,
                )?))
            };
        let nulls = NullBuffer::from(g.counts.iter().map(Option::is_some).collect::<Vec<_>>());
        let sentences: Int64Array = g.counts.iter().map(|c| c.map(|c| c.0)).collect();
        let tokens: Int64Array = g.counts.iter().map(|c| c.map(|c| c.1)).collect();
        let out = StructArray::try_new(
            analysis_fields(),
            vec![
                Arc::new(sentences),
                Arc::new(tokens),
                list(g.actors, actor_fields())?,
                list(g.quotes, quote_fields())?,
                list(g.events, event_fields())?,
            ],
            Some(nulls),
        )?;
        Ok(ColumnarValue::Array(Arc::new(out)))
    }
}

/// What the pipeline read in one document.
struct Read {
    sentences: i64,
    tokens: i64,
    actors: Vec<annals_model::output::ActorRecord>,
    quotes: Vec<annals_model::output::QuoteRecord>,
    events: Vec<annals_model::output::EventRecord>,
}

/// Analyse one document (all of it before anything is added to the lists, so that a
/// panic leaves them whole).
fn analyse(p: &Pipeline, raw: RawDoc) -> Read {
    let doc = p.process(raw);
    Read {
        sentences: doc.sentences.len() as i64,
        tokens: doc.tokens.len() as i64,
        actors: actor_records(&doc),
        quotes: quote_records(&doc),
        events: event_records(&event_reports(&doc)),
    }
}

/// Add one document's actors, quotes and events to the lists; its sentence and token
/// counts.
fn gather(r: Read, g: &mut Gathered) -> DfResult<(i64, i64)> {
    let de = crate::Error::into_datafusion;
    for a in &r.actors {
        g.actors
            .0
            .push(&[
                Val::Str(Some(&a.id)),
                Val::Str(Some(&a.name)),
                Val::Str(Some(&a.kind)),
                Val::Str(a.country.as_deref()),
                Val::Str(a.cameo.as_deref()),
                Val::I64(Some(a.mentions.len() as i64)),
            ])
            .map_err(de)?;
    }
    g.actors.1.push(r.actors.len());
    for q in &r.quotes {
        g.quotes
            .0
            .push(&[
                Val::Str(q.speaker.as_deref()),
                Val::Str(q.cue.as_deref()),
                Val::Str(Some(&q.text)),
                Val::Bool(Some(q.direct)),
                Val::F32(Some(q.confidence)),
                Val::I64(Some(q.start.into())),
                Val::I64(Some(q.end.into())),
            ])
            .map_err(de)?;
    }
    g.quotes.1.push(r.quotes.len());
    for e in &r.events {
        let root: String = e.cameo.chars().take(2).collect();
        g.events
            .0
            .push(&[
                Val::Str(e.date.as_deref()),
                Val::Str(e.date_precision.as_deref()),
                Val::Str(e.source.as_deref()),
                Val::Str(e.target.as_deref()),
                Val::Str(Some(&e.cameo)),
                Val::Str(Some(&root)),
                Val::I32(Some(e.quad_class.into())),
                Val::F32(Some(e.goldstein)),
                Val::Str(e.plover.as_deref()),
                Val::Str(Some(&e.action)),
                Val::Str(Some(&e.modality)),
            ])
            .map_err(de)?;
    }
    g.events.1.push(r.events.len());
    Ok((r.sentences, r.tokens))
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::RecordBatch;
    use datafusion::prelude::SessionContext;

    fn context() -> SessionContext {
        let ctx = SessionContext::new();
        for f in all() {
            ctx.register_udf(f.as_ref().clone());
        }
        ctx
    }

    async fn rows(ctx: &SessionContext, sql: &str) -> Vec<RecordBatch> {
        ctx.sql(sql).await.unwrap().collect().await.unwrap()
    }

    #[tokio::test]
    async fn code_functions_read_the_bundled_table() {
        let ctx = context();
        let b = rows(
            &ctx,
            "SELECT quad_class(c) AS q, goldstein(c) AS g, plover(c) AS p, cameo_name(c) IS NOT NULL AS named
             FROM (VALUES ('190'), ('046'), ('0461'), ('zz'), (NULL)) AS t(c)",
        )
        .await;
        let b = &b[0];
        let q = b
            .column(0)
            .as_primitive::<datafusion::arrow::datatypes::Int32Type>();
        let g = b
            .column(1)
            .as_primitive::<datafusion::arrow::datatypes::Float32Type>();
        let p = b.column(2).as_string::<i32>();
        let named = b.column(3).as_boolean();
        assert_eq!((q.value(0), g.value(0)), (4, -10.0));
        assert_eq!(p.value(0), "ASSAULT");
        assert_eq!(q.value(1), 1);
        assert_eq!(p.value(1), "CONSULT");
        // a detailed code takes its own entry or its prefix's
        assert_eq!(q.value(2), 1);
        assert!(named.value(0) && named.value(2));
        // unknown and NULL give NULL
        assert!(q.is_null(3) && g.is_null(3) && p.is_null(3));
        assert!(q.is_null(4) && !named.value(4));
    }

    #[tokio::test]
    async fn analyze_runs_the_pipeline_on_each_row() {
        // "Turkish jets shot down …" codes 190; the event coder now codes nothing for
        // "Turkey shot down a Russian warplane …" (annals analyze neither)
        let ctx = context();
        let b = rows(
            &ctx,
            "SELECT t.n, a['sentences'] AS s, CAST(cardinality(a['actors']) AS BIGINT) AS actors,
                    CAST(cardinality(a['events']) AS BIGINT) AS events, a IS NULL AS none
             FROM (SELECT n, annals_analyze(text, published) AS a FROM (VALUES
               (1, 'Russian President Vladimir Putin met US President Barack Obama in New York on Monday. \"We talked about Syria,\" Putin told reporters.', '2015-09-29'),
               (2, NULL, NULL),
               (3, 'Turkish jets shot down a Russian warplane near the Syrian border on Tuesday.', '2015-11-25')
             ) AS v(n, text, published)) AS t ORDER BY t.n",
        )
        .await;
        let b = datafusion::arrow::compute::concat_batches(&b[0].schema(), &b).unwrap();
        let col = |i: usize| {
            b.column(i)
                .as_primitive::<datafusion::arrow::datatypes::Int64Type>()
                .clone()
        };
        let (s, actors, events) = (col(1), col(2), col(3));
        let none = b.column(4).as_boolean();
        assert_eq!(s.value(0), 2);
        assert!(actors.value(0) >= 2, "Putin and Obama");
        assert!(events.value(0) >= 1, "the meeting");
        assert!(none.value(1), "a NULL text gives NULL");
        assert!(events.value(2) >= 1, "the shooting down");

        let b = rows(
            &ctx,
            "SELECT e['source'] AS source, e['target'] AS target, e['cameo'] AS cameo,
                    e['quad_class'] AS q, e['date'] AS date
             FROM (SELECT unnest(annals_analyze(text, published)['events']) AS e
                   FROM (VALUES ('Turkish jets shot down a Russian warplane near the Syrian border on Tuesday.', '2015-11-25')) AS v(text, published))",
        )
        .await;
        let b = &b[0];
        let source = b.column(0).as_string::<i32>();
        let q = b
            .column(3)
            .as_primitive::<datafusion::arrow::datatypes::Int32Type>();
        let date = b.column(4).as_string::<i32>();
        assert_eq!(source.value(0), "turkey");
        assert_eq!(q.value(0), 4);
        assert_eq!(date.value(0), "2015-11-24");
    }

    #[tokio::test]
    async fn worker_is_local_outside_a_cluster() {
        let b = rows(&context(), "SELECT annals_worker() AS w").await;
        assert_eq!(b[0].column(0).as_string::<i32>().value(0), "local");
    }
}
