//! `annals bench`: the whole analysis on a reproducible corpus, timed per step, on one
//! thread and on several, with the peak memory of each run.
//!
//! The corpus is generated, never read from disk, so it is the same on every machine and
//! every run of a seed: news-like documents of 6 to 12 paragraphs drawn from the bundled
//! sample articles (and, with `--treebank`, running text of a CoNLL-U file), each with its
//! names of people and countries swapped for others of the same kind, a publication date in
//! 2015 and a headline. Documents are made as the run asks for them, so the corpus is
//! never held in memory.

use crate::BenchArgs;
use annals_engine::sink::{JsonSink, Sink};
use annals_model::{DocId, DocKind, RawDoc, RawMeta};
use anyhow::{Context, Result};
use std::process::ExitCode;
use std::time::{Duration, Instant};

/// The bundled sample articles (`examples/seeds`), compiled in.
const SAMPLES: [&str; 5] = [
    include_str!("../../../examples/seeds/000_ae3c5143b341e0fa.txt"),
    include_str!("../../../examples/seeds/001_af2db25ba9912acf.txt"),
    include_str!("../../../examples/seeds/002_bcc8cc84eb283dea.txt"),
    include_str!("../../../examples/seeds/003_785db448c0e5f037.txt"),
    include_str!("../../../examples/seeds/004_080c772065630276.txt"),
];

/// Names swapped in generated documents: each group's names stand for one another.
const SWAPS: [&[&str]; 6] = [
    &["Obama", "Merkel", "Cameron", "Abe", "Modi", "Erdogan"],
    &[
        "Putin",
        "Xi Jinping",
        "Rouhani",
        "Netanyahu",
        "Zuma",
        "Rousseff",
    ],
    &["Hollande", "Renzi", "Trudeau", "Rajoy", "Tusk", "Juncker"],
    &[
        "Assad",
        "Maduro",
        "Mugabe",
        "Kim Jong-un",
        "Lukashenko",
        "Sisi",
    ],
    &["Russia", "China", "Iran", "Turkey", "India", "Brazil"],
    &["Syria", "Yemen", "Libya", "Ukraine", "Mali", "Iraq"],
];

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15).max(1))
    }
    fn below(&mut self, n: usize) -> usize {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        (x.wrapping_mul(0x2545_f491_4f6c_dd1d) % n.max(1) as u64) as usize
    }
}

/// The paragraphs documents are drawn from.
struct Pool {
    paragraphs: Vec<String>,
}

impl Pool {
    /// The samples' paragraphs of eight words or more, and the treebank's running text
    /// in paragraphs (its `# newpar` marks, else every five sentences).
    fn new(treebank: Option<&str>) -> Pool {
        let mut paragraphs: Vec<String> = SAMPLES
            .iter()
            .flat_map(|t| t.split("\n\n"))
            .map(|p| p.trim().replace('\n', " "))
            .filter(|p| p.split_whitespace().count() >= 8)
            .collect();
        if let Some(conllu) = treebank {
            let mut current = String::new();
            let mut sentences = 0;
            for line in conllu.lines() {
                if line.starts_with("# newpar") || sentences == 5 {
                    if current.split_whitespace().count() >= 8 {
                        paragraphs.push(std::mem::take(&mut current));
                    }
                    current.clear();
                    sentences = 0;
                }
                if let Some(text) = line.strip_prefix("# text = ") {
                    if !current.is_empty() {
                        current.push(' ');
                    }
                    current.push_str(text.trim());
                    sentences += 1;
                }
            }
            if current.split_whitespace().count() >= 8 {
                paragraphs.push(current);
            }
        }
        Pool { paragraphs }
    }

    /// Document `n` of the corpus of `seed`, and its word count.
    fn document(&self, seed: u64, n: usize) -> (RawDoc, usize) {
        let mut rng = Rng::new(seed ^ (n as u64).wrapping_mul(0xd6e8_feb8_6659_fd93));
        let pick: Vec<usize> = SWAPS.iter().map(|g| rng.below(g.len())).collect();
        let swap = |p: &str| -> String {
            let mut out = p.to_string();
            for (g, &k) in SWAPS.iter().zip(&pick) {
                if k != 0 {
                    out = out.replace(g[0], g[k]);
                }
            }
            out
        };
        let count = 6 + rng.below(7);
        let mut body = String::new();
        for _ in 0..count {
            let p = &self.paragraphs[rng.below(self.paragraphs.len())];
            body.push_str(&swap(p));
            body.push_str("\n\n");
        }
        let title = swap(
            body.split(['.', '\n'])
                .next()
                .unwrap_or("")
                .split_whitespace()
                .take(12)
                .collect::<Vec<_>>()
                .join(" ")
                .as_str(),
        );
        let day = 1 + rng.below(365);
        let published = annals_time::Date::parse("2015-01-01")
            .and_then(|d| d.add_days(day as i64 - 1))
            .map(|d| d.to_string())
            .unwrap_or_default();
        let words = body.split_whitespace().count();
        let doc = RawDoc {
            id: DocId(format!("bench-{n}")),
            source: format!("bench#{n}"),
            kind: DocKind::Text,
            text: body,
            meta: RawMeta {
                title: Some(title),
                published: Some(published),
                outlet: Some(format!("Outlet {}", rng.below(40))),
                ..RawMeta::default()
            },
        };
        (doc, words)
    }
}

/// The corpus of a run: how many documents reach the size.
struct Corpus {
    documents: usize,
    bytes: usize,
    words: usize,
}

impl Corpus {
    fn measure(pool: &Pool, seed: u64, bytes: usize) -> Corpus {
        let mut c = Corpus {
            documents: 0,
            bytes: 0,
            words: 0,
        };
        while c.bytes < bytes {
            let (d, w) = pool.document(seed, c.documents);
            c.bytes += d.text.len();
            c.words += w;
            c.documents += 1;
        }
        c
    }
}

/// Peak resident memory of this process in bytes (Linux), from `/proc/self/status`.
fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Start counting the peak from now (Linux: `clear_refs` 5 resets it); false if it
/// cannot be reset, and the peak is then the process's since it started.
fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// What one run measured.
struct Run {
    threads: usize,
    wall: Duration,
    steps: Vec<annals_engine::StageTime>,
    cross: Duration,
    analysed: usize,
    peak: Option<u64>,
    peak_since_start: bool,
}

fn run_once(
    pipeline: &annals_engine::Pipeline,
    pool: &Pool,
    seed: u64,
    corpus: &Corpus,
    threads: usize,
) -> Result<Run> {
    let peak_since_start = !reset_peak_rss();
    pipeline.take_stage_times();
    let started = Instant::now();
    let docs =
        (0..corpus.documents).map(|n| Ok::<_, std::convert::Infallible>(pool.document(seed, n).0));
    // the contract's JSON, thrown away: the cross-document step (events merged, stories,
    // relations) is part of the job
    let mut sink = JsonSink::new(std::io::sink());
    let summary = annals_engine::run(docs, pipeline, threads, &mut sink, |_| {})
        .context("running the pipeline")?;
    let steps = pipeline.take_stage_times();
    let before_cross = Instant::now();
    sink.finish()
        .context("writing the cross-document records")?;
    let cross = before_cross.elapsed();
    Ok(Run {
        threads,
        wall: started.elapsed(),
        steps,
        cross,
        analysed: summary.analysed,
        peak: peak_rss(),
        peak_since_start,
    })
}

/// The corpus as JSONL, in the fields `analyze` reads.
fn write_corpus(pool: &Pool, seed: u64, corpus: &Corpus, path: &std::path::Path) -> Result<()> {
    use std::io::Write;
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    for n in 0..corpus.documents {
        let (d, _) = pool.document(seed, n);
        let line = serde_json::json!({
            "id": d.id.0,
            "title": d.meta.title,
            "published": d.meta.published,
            "outlet": d.meta.outlet,
            "text": d.text,
        });
        serde_json::to_writer(&mut out, &line)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}

fn per_second(n: usize, t: Duration) -> f64 {
    n as f64 / t.as_secs_f64().max(1e-9)
}

fn report(run: &Run, corpus: &Corpus) {
    println!(
        "\n{} thread{}: {:.1} s, {:.0} words/s, {:.1} documents/s ({} analysed), peak RSS {}{}",
        run.threads,
        if run.threads == 1 { "" } else { "s" },
        run.wall.as_secs_f64(),
        per_second(corpus.words, run.wall),
        per_second(corpus.documents, run.wall),
        run.analysed,
        run.peak.map_or("unknown".to_string(), |b| format!(
            "{:.0} MB",
            b as f64 / 1e6
        )),
        if run.peak_since_start {
            " (since the process started)"
        } else {
            ""
        }
    );
    println!(
        "  {:<22} {:>10} {:>7} {:>14} {:>12}",
        "step", "time (s)", "share", "words/s", "documents/s"
    );
    let total: Duration = run.steps.iter().map(|s| s.time).sum::<Duration>() + run.cross;
    let rows = run
        .steps
        .iter()
        .map(|s| (s.name, s.time))
        .chain(std::iter::once(("cross-document", run.cross)));
    for (name, t) in rows {
        println!(
            "  {:<22} {:>10.2} {:>6.1}% {:>14.0} {:>12.1}",
            name,
            t.as_secs_f64(),
            100.0 * t.as_secs_f64() / total.as_secs_f64().max(1e-9),
            per_second(corpus.words, t),
            per_second(corpus.documents, t),
        );
    }
    println!("  (a step's time is summed over the threads; words/s of a step is per core)");
}

pub fn run(args: BenchArgs) -> Result<ExitCode> {
    let treebank = match &args.treebank {
        Some(p) => {
            Some(std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?)
        }
        None => None,
    };
    let pool = Pool::new(treebank.as_deref());
    let corpus = Corpus::measure(&pool, args.seed, (args.mb * 1e6) as usize);
    println!(
        "annals bench: {} documents, {:.1} MB, {} words (seed {}{})",
        corpus.documents,
        corpus.bytes as f64 / 1e6,
        corpus.words,
        args.seed,
        if args.treebank.is_some() {
            ", with treebank text"
        } else {
            ""
        }
    );
    if let Some(path) = &args.write {
        write_corpus(&pool, args.seed, &corpus, path)
            .with_context(|| format!("writing {}", path.display()))?;
        println!("written to {}", path.display());
        return Ok(ExitCode::SUCCESS);
    }
    let load = Instant::now();
    let pipeline = annals_engine::Pipeline::standard()
        .context("loading the bundled models")?
        .timed();
    println!(
        "models loaded in {:.0} ms",
        load.elapsed().as_secs_f64() * 1e3
    );
    let all = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let mut counts = vec![1];
    if all > 1 {
        counts.push(all);
    }
    let mut runs = Vec::new();
    for threads in counts {
        let r = run_once(&pipeline, &pool, args.seed, &corpus, threads)?;
        report(&r, &corpus);
        runs.push(r);
    }
    if let [one, many] = &runs[..] {
        println!(
            "\nspeed-up on {} threads: {:.2}x",
            many.threads,
            one.wall.as_secs_f64() / many.wall.as_secs_f64().max(1e-9)
        );
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_corpus_is_reproducible_and_varied() {
        let pool = Pool::new(None);
        let (a, wa) = pool.document(7, 3);
        let (b, wb) = pool.document(7, 3);
        assert_eq!((a.text.as_str(), wa), (b.text.as_str(), wb));
        assert_eq!(a.meta.published, b.meta.published);
        let texts: std::collections::HashSet<String> =
            (0..50).map(|n| pool.document(7, n).0.text).collect();
        assert!(texts.len() >= 49, "{} distinct of 50", texts.len());
        assert!(wa >= 6 * 8, "{wa} words");
        let c = Corpus::measure(&pool, 7, 100_000);
        assert!(c.bytes >= 100_000 && c.documents > 1);
    }

    #[test]
    fn the_written_corpus_reads_back_as_the_same_documents() {
        let pool = Pool::new(None);
        let corpus = Corpus::measure(&pool, 3, 20_000);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("corpus.jsonl");
        write_corpus(&pool, 3, &corpus, &path).unwrap();
        let read: Vec<RawDoc> = annals_ingest::open(
            std::slice::from_ref(&path),
            annals_ingest::IngestOptions::default(),
        )
        .map(|r| r.unwrap())
        .collect();
        assert_eq!(read.len(), corpus.documents);
        for (n, d) in read.iter().enumerate() {
            let (want, _) = pool.document(3, n);
            assert_eq!(d.id, want.id);
            assert_eq!(d.text, want.text);
            assert_eq!(d.meta.title, want.meta.title);
            assert_eq!(d.meta.published, want.meta.published);
        }
    }

    #[test]
    fn treebank_text_joins_the_pool_in_paragraphs() {
        let conllu = "# newpar\n# text = The first sentence has exactly eight words here.\n1\tThe\n\n# text = A second one follows it in the same paragraph.\n";
        let pool = Pool::new(Some(conllu));
        let base = Pool::new(None).paragraphs.len();
        assert_eq!(pool.paragraphs.len(), base + 1);
        assert!(pool.paragraphs[base].starts_with("The first sentence"));
        assert!(pool.paragraphs[base].ends_with("same paragraph."));
    }
}
