//! Search under load: `/api/search` at a constant rate, open loop, on a store of generated
//! news documents, over loopback. Prints the latency percentiles and the errors.
//!
//! ```sh
//! cargo bench -p annals-server --bench search_load                  # 100,000 documents, 200 requests/s, 30 s
//! cargo bench -p annals-server --bench search_load -- --docs 20000 --rate 400 --seconds 10
//! cargo bench -p annals-server --bench search_load -- --url http://127.0.0.1:8080   # a running `annals serve`
//! ```
//!
//! - **The store** is generated straight through the store's API (the analysis would take
//!   hours for 100,000 documents): news-like articles (sentences from a word chain learnt
//!   on the sample corpus, with real actor, place and verb names from `data/`), each with
//!   its actors and their mentions, quotes with speakers, event reports with CAMEO codes,
//!   a publication day in 2015–2016 and an outlet, and stories of about eight documents.
//!   It is written in batches of 1,000 documents with the index synced after each, and
//!   kept in `TARGET/search-bench/` for the next run (`--db PATH` to choose; `--fresh` to
//!   make it again). Deterministic.
//! - **The server** is the application `annals serve` runs ([`annals_server::router`]),
//!   on a runtime of two workers as `serve` makes, bound to `127.0.0.1:0`; its rate limit
//!   is lifted for the run, so it does not answer 429 to the one client it has.
//! - **The load** is open loop: request *i* is due at `start + i / rate`, whatever
//!   happened to the ones before, and its latency runs from that due time to the end of
//!   its response (so a stall is charged to every request it delays: no coordinated
//!   omission). Requests go over keep-alive connections, a new one opened whenever none is
//!   free. The queries vary: one or two words from the corpus (common and rare), a phrase,
//!   an excluded word, and filters (actor, speaker, CAMEO code, a month of dates, outlet,
//!   story, documents or quotes only), 20 or 50 hits, sometimes the second page. A warm-up
//!   of a fifth of the run (at least 3 s) at the same rate comes first and is not counted.
//!
//! Run without `--bench` (as `cargo test --benches` does) it only says how to run it.

use annals_model::output::{ActorRecord, DocumentRecord, Mention, QuoteRecord, StoryRecord};
use annals_store::{content_hash, DocBundle, EventReportRow, Store};
use std::collections::HashMap;
use std::io::Write as _;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if !args.iter().any(|a| a == "--bench") {
        println!("search_load: run it with `cargo bench -p annals-server --bench search_load`");
        return;
    }
    let opts = match Options::parse(&args) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("search_load: {e}");
            std::process::exit(2);
        }
    };
    if let Err(e) = run(&opts) {
        eprintln!("search_load: {e}");
        std::process::exit(1);
    }
}

struct Options {
    docs: usize,
    rate: f64,
    seconds: f64,
    db: Option<PathBuf>,
    url: Option<String>,
    fresh: bool,
}

impl Options {
    fn parse(args: &[String]) -> Result<Self, String> {
        let mut o = Options {
            docs: 100_000,
            rate: 200.0,
            seconds: 30.0,
            db: None,
            url: None,
            fresh: false,
        };
        let mut it = args.iter();
        while let Some(a) = it.next() {
            let mut value = |name: &str| {
                it.next()
                    .cloned()
                    .ok_or_else(|| format!("{name} needs a value"))
            };
            match a.as_str() {
                "--bench" => {}
                "--docs" => o.docs = number(&value("--docs")?)?,
                "--rate" => o.rate = number(&value("--rate")?)?,
                "--seconds" => o.seconds = number(&value("--seconds")?)?,
                "--db" => o.db = Some(PathBuf::from(value("--db")?)),
                "--url" => o.url = Some(value("--url")?.trim_end_matches('/').to_string()),
                "--fresh" => o.fresh = true,
                other => return Err(format!("unknown argument {other:?}")),
            }
        }
        if o.rate <= 0.0 || o.seconds <= 0.0 || o.docs == 0 {
            return Err("--docs, --rate and --seconds must be above 0".into());
        }
        Ok(o)
    }
}

fn number<T: std::str::FromStr>(s: &str) -> Result<T, String> {
    s.parse().map_err(|_| format!("{s:?} is not a number"))
}

fn run(o: &Options) -> Result<(), Box<dyn std::error::Error>> {
    let corpus = Corpus::load()?;
    // the server's runtime, when it runs here: kept until the end
    let mut server = None;
    let url = match &o.url {
        Some(u) => u.clone(),
        None => {
            let db = o.db.clone().unwrap_or_else(|| {
                target_dir()
                    .join("search-bench")
                    .join(format!("docs-{}.db", o.docs))
            });
            let store = prepare_store(&db, o.docs, o.fresh, &corpus)?;
            let s = store.status()?;
            println!(
                "store: {} ({} documents, {} actors, {} quotes, {} event reports, {} stories)",
                db.display(),
                s.documents,
                s.actors,
                s.quotes,
                s.event_reports,
                s.stories
            );
            let (rt, addr) = start_server(store)?;
            server = Some(rt);
            format!("http://{addr}")
        }
    };
    let queries = QueryGen::new(&corpus, o.docs);
    let client = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()?;
    let warm = (o.seconds / 5.0).max(3.0);
    println!(
        "load: {url}/api/search, {} requests/s open loop, {warm:.0} s warm-up, then {} s measured",
        o.rate, o.seconds
    );
    let mut qgen = queries;
    client.block_on(drive(&url, o.rate, warm, &mut qgen))?;
    let report = client.block_on(drive(&url, o.rate, o.seconds, &mut qgen))?;
    report.print(o.rate, o.seconds);
    drop(server);
    Ok(())
}

/// The target directory this bench was built in (`TARGET/release/deps/search_load-…`).
fn target_dir() -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|p| Some(p.parent()?.parent()?.parent()?.to_path_buf()))
        .unwrap_or_else(|| PathBuf::from("target"))
}

fn start_server(
    store: Store,
) -> Result<(tokio::runtime::Runtime, SocketAddr), Box<dyn std::error::Error>> {
    // as `annals serve` runs it: two workers, the store on the blocking pool
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let config = annals_server::Config {
        addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        rate_per_second: 1e9,
        burst: 1e9,
        ..annals_server::Config::default()
    };
    let listener = rt.block_on(tokio::net::TcpListener::bind(config.addr))?;
    let addr = listener.local_addr()?;
    let app = annals_server::router(Arc::new(store), &config);
    rt.spawn(async move {
        let _ = axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await;
    });
    Ok((rt, addr))
}

// ---------------------------------------------------------------------------------------
// the generated corpus

/// A small deterministic generator (splitmix64).
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed)
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    /// An index below `n`, small ones far more often (about Zipf's law).
    fn zipf(&mut self, n: usize) -> usize {
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        (((n as f64 + 1.0).powf(u) - 1.0) as usize).min(n.saturating_sub(1))
    }
    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len())]
    }
}

struct Actor {
    id: String,
    name: String,
    kind: String,
    /// The word a reader would search for: a surname or the name.
    short: String,
}

/// What documents are made of: actors, places, verbs, outlets and a word chain.
struct Corpus {
    actors: Vec<Actor>,
    places: Vec<String>,
    verbs: Vec<String>,
    outlets: Vec<&'static str>,
    /// word → the words that follow it in the sample corpus
    chain: HashMap<String, Vec<String>>,
    starts: Vec<String>,
    /// content words of the sample corpus, most frequent first
    words: Vec<String>,
}

const CODES: &[&str] = &[
    "010", "012", "020", "036", "040", "042", "043", "046", "051", "057", "061", "071", "111",
    "112", "120", "130", "138", "140", "163", "172", "173", "180", "190", "193", "195",
];

impl Corpus {
    fn load() -> Result<Self, Box<dyn std::error::Error>> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let read = |p: &str| std::fs::read_to_string(root.join(p));
        let mut actors = Vec::new();
        // countries: iso3, id, name, aliases, demonyms, capitals
        let mut places = Vec::new();
        for line in read("data/actors/countries.tsv")?.lines().skip(1) {
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() > 5 {
                actors.push(Actor {
                    id: f[1].into(),
                    name: f[2].into(),
                    kind: "country".into(),
                    short: f[2].into(),
                });
                places.extend(f[5].split('|').filter(|c| !c.is_empty()).map(String::from));
            }
        }
        // people and organisations: id, type, name, …
        for file in ["data/actors/people.tsv", "data/actors/organizations.tsv"] {
            for line in read(file)?.lines().skip(1) {
                let f: Vec<&str> = line.split('\t').collect();
                if f.len() > 2 {
                    let short = if f[1] == "person" {
                        f[2].rsplit(' ').next().unwrap_or(f[2])
                    } else {
                        f[2]
                    };
                    actors.push(Actor {
                        id: f[0].into(),
                        name: f[2].into(),
                        kind: f[1].into(),
                        short: short.into(),
                    });
                }
            }
        }
        // the actors of 2015's news first, so that they are the frequent ones
        let first = [
            "russia",
            "united-states",
            "syria",
            "vladimir-putin",
            "barack-obama",
            "islamic-state",
            "turkey",
            "iran",
            "france",
            "bashar-al-assad",
            "united-nations",
            "united-kingdom",
        ];
        actors.sort_by_key(|a| first.iter().position(|x| *x == a.id).unwrap_or(first.len()));
        for line in read("data/actors/phoenix-places.tsv")?.lines().skip(1) {
            if let Some(aliases) = line.split('\t').nth(2) {
                places.extend(
                    aliases
                        .split('|')
                        .filter(|p| p.chars().all(|c| c.is_alphabetic() || c == ' '))
                        .take(6)
                        .map(String::from),
                );
            }
        }
        let mut verbs: Vec<String> = read("data/events/cameo-verbs.tsv")?
            .lines()
            .filter_map(|l| l.split('\t').nth(1))
            .filter(|v| !v.is_empty() && v.chars().all(|c| c.is_ascii_lowercase()))
            .map(String::from)
            .collect();
        verbs.sort();
        verbs.dedup();
        let mut chain: HashMap<String, Vec<String>> = HashMap::new();
        let mut starts = Vec::new();
        let mut freq: HashMap<String, usize> = HashMap::new();
        let mut seeds: Vec<PathBuf> = std::fs::read_dir(root.join("examples/seeds"))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        seeds.sort();
        for path in seeds {
            let text = std::fs::read_to_string(path)?;
            let words: Vec<&str> = text
                .split_whitespace()
                .filter(|w| w.chars().any(char::is_alphanumeric) && !w.contains("http"))
                .collect();
            for pair in words.windows(2) {
                chain
                    .entry(pair[0].to_string())
                    .or_default()
                    .push(pair[1].to_string());
                if pair[0].ends_with('.') && pair[1].starts_with(char::is_uppercase) {
                    starts.push(pair[1].to_string());
                }
            }
            for w in words {
                let w: String = w.chars().filter(|c| c.is_alphabetic()).collect();
                if w.len() > 3 {
                    *freq.entry(w.to_lowercase()).or_default() += 1;
                }
            }
        }
        let mut words: Vec<(String, usize)> = freq.into_iter().collect();
        words.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        if starts.is_empty() || actors.len() < 20 || places.is_empty() || verbs.is_empty() {
            return Err("the sample corpus or data/ is missing".into());
        }
        Ok(Corpus {
            actors,
            places,
            verbs,
            outlets: vec![
                "Reuters",
                "Associated Press",
                "AFP",
                "Voice of America",
                "Ahram Online",
                "Trend News Agency",
                "Business Standard",
                "Forces News",
                "Al Jazeera",
                "Deutsche Welle",
                "The Hindu",
                "Daily Sabah",
                "Kyiv Post",
                "Tehran Times",
                "Xinhua",
            ],
            chain,
            starts,
            words: words.into_iter().map(|(w, _)| w).collect(),
        })
    }

    /// A sentence of `min..max` words walked along the chain, ended with a full stop.
    fn filler(&self, rng: &mut Rng, out: &mut String, min: usize, max: usize) {
        let mut w = rng.pick(&self.starts).as_str();
        let len = min + rng.below(max - min);
        for i in 0..len {
            if i > 0 {
                out.push(' ');
            }
            let last = i + 1 == len;
            if last {
                out.push_str(w.trim_end_matches(|c: char| !c.is_alphanumeric()));
                out.push('.');
            } else {
                out.push_str(w);
            }
            w = match self.chain.get(w) {
                Some(next) => rng.pick(next).as_str(),
                None => rng.pick(&self.starts).as_str(),
            };
        }
    }
}

/// The documents of one story share its actors, place, verb, code and days.
struct StoryPlan {
    actors: Vec<usize>,
    place: String,
    verb: String,
    code: &'static str,
    day: i64,
}

fn story_plan(c: &Corpus, story: usize, stories: usize) -> StoryPlan {
    let mut rng = Rng::new(0x5eed_0000 + story as u64);
    let n = c.actors.len();
    let mut actors = Vec::new();
    while actors.len() < 3 {
        let a = rng.zipf(n);
        if !actors.contains(&a) {
            actors.push(a);
        }
    }
    StoryPlan {
        actors,
        place: rng.pick(&c.places).clone(),
        verb: rng.pick(&c.verbs).clone(),
        code: CODES[rng.zipf(CODES.len())],
        // two years of news, in story order
        day: (story as i64 * 730) / stories.max(1) as i64,
    }
}

/// `YYYY-MM-DD` of a day counted from 2015-01-01.
fn date_of(day: i64) -> String {
    let z = day + 16_436 + 719_468; // days from 0000-03-01
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

const DOCS_PER_STORY: usize = 8;

/// Document `i` of a corpus of `n`, with its actors, mentions, quotes and event reports.
fn make_doc(c: &Corpus, i: usize, n: usize) -> DocBundle {
    let stories = n.div_ceil(DOCS_PER_STORY);
    let story = i / DOCS_PER_STORY;
    let plan = story_plan(c, story, stories);
    let mut rng = Rng::new(0xd0c0_0000 + i as u64);
    let id = format!("g{i:06}");
    // its actors: the story's, and a few of its own
    let mut actors = plan.actors.clone();
    for _ in 0..2 + rng.below(4) {
        let a = rng.zipf(c.actors.len());
        if !actors.contains(&a) {
            actors.push(a);
        }
    }
    let mut body = String::with_capacity(4096);
    let mut mentions: HashMap<usize, Vec<(u32, u32)>> = HashMap::new();
    let mut quotes = Vec::new();
    let mut name = |body: &mut String, a: usize, rng: &mut Rng| {
        let actor = &c.actors[a];
        let text = if rng.chance(60) {
            &actor.name
        } else {
            &actor.short
        };
        let start = body.len() as u32;
        body.push_str(text);
        mentions
            .entry(a)
            .or_default()
            .push((start, body.len() as u32));
    };
    let (a, b) = (plan.actors[0], plan.actors[1]);
    // the lead: who did what to whom, where
    body.push_str(&plan.place.to_uppercase());
    body.push_str(" — ");
    name(&mut body, a, &mut rng);
    body.push_str(&format!(" moved to {} ", plan.verb));
    name(&mut body, b, &mut rng);
    body.push_str(&format!(
        " in {} on {}, officials said. ",
        plan.place,
        ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"][rng.below(5)]
    ));
    c.filler(&mut rng, &mut body, 10, 25);
    let paragraphs = 8 + rng.below(12);
    let mut sentences = 2;
    for _ in 0..paragraphs {
        body.push_str("\n\n");
        for s in 0..1 + rng.below(3) {
            if s > 0 {
                body.push(' ');
            }
            sentences += 1;
            match rng.below(10) {
                // a quote with its speaker
                0 | 1 => {
                    let speaker = actors[rng.zipf(actors.len())];
                    body.push('"');
                    let start = body.len() as u32;
                    c.filler(&mut rng, &mut body, 8, 20);
                    body.pop();
                    let end = body.len() as u32;
                    body.push_str(",\" ");
                    name(&mut body, speaker, &mut rng);
                    body.push_str(" said.");
                    quotes.push((speaker, start, end));
                }
                // an actor's part in the story
                2..=4 => {
                    let x = actors[rng.below(actors.len())];
                    name(&mut body, x, &mut rng);
                    body.push_str(&format!(" has {} ", rng.pick(&c.verbs)));
                    c.filler(&mut rng, &mut body, 6, 18);
                }
                _ => c.filler(&mut rng, &mut body, 8, 28),
            }
        }
    }
    let day = plan.day + rng.below(4) as i64;
    let published = date_of(day);
    let title = format!(
        "{} {} {} in {}",
        c.actors[a].short, plan.verb, c.actors[b].short, plan.place
    );
    let outlet = c.outlets[rng.zipf(c.outlets.len())];
    let tokens = body.split_whitespace().count();
    let doc = DocumentRecord {
        id: id.clone(),
        source: format!("generated/{id}.txt"),
        title: Some(title),
        published: Some(published.clone()),
        outlet: Some(outlet.into()),
        url: None,
        paragraphs: paragraphs + 1,
        sentences,
        tokens,
        body,
    };
    let mut bundle = DocBundle::new(doc, String::new());
    let mut mentioned: Vec<usize> = mentions.keys().copied().collect();
    mentioned.sort_unstable();
    for x in mentioned {
        let actor = &c.actors[x];
        let ms = &mentions[&x];
        bundle.actors.push(ActorRecord {
            id: actor.id.clone(),
            name: actor.name.clone(),
            kind: actor.kind.clone(),
            country: None,
            roles: vec![],
            cameo: None,
            affiliation: None,
            aliases: vec![actor.name.clone()],
            named: true,
            mentions: ms
                .iter()
                .map(|&(start, end)| Mention {
                    doc: id.clone(),
                    start,
                    end,
                    text: bundle.document.body[start as usize..end as usize].to_string(),
                    place: None,
                })
                .collect(),
        });
    }
    for (speaker, start, end) in quotes {
        bundle.quotes.push(QuoteRecord {
            doc: id.clone(),
            speaker: Some(c.actors[speaker].id.clone()),
            text: bundle.document.body[start as usize..end as usize].to_string(),
            direct: true,
            cue: Some("said".into()),
            start,
            end,
            place: None,
            continued: vec![],
            how: "same-sentence".into(),
            confidence: 0.9,
        });
    }
    // the story's event, and a few more
    let report = |s: usize, t: usize, code: &str| EventReportRow {
        source: Some(c.actors[s].id.clone()),
        target: Some(c.actors[t].id.clone()),
        cameo: code.into(),
        date: Some(published.clone()),
        data: serde_json::Value::Null,
    };
    bundle.reports.push(report(a, b, plan.code));
    for _ in 0..rng.below(6) {
        let s = actors[rng.below(actors.len())];
        let t = actors[rng.below(actors.len())];
        if s != t {
            bundle
                .reports
                .push(report(s, t, CODES[rng.zipf(CODES.len())]));
        }
    }
    bundle.hash = content_hash(&bundle.document.body);
    bundle
}

/// Open the store at `db`, generating its documents and stories when it does not hold
/// `n` documents yet.
fn prepare_store(
    db: &Path,
    n: usize,
    fresh: bool,
    c: &Corpus,
) -> Result<Store, Box<dyn std::error::Error>> {
    if fresh && db.exists() {
        std::fs::remove_file(db)?;
        let mut index = db.as_os_str().to_owned();
        index.push(".index");
        let _ = std::fs::remove_dir_all(PathBuf::from(index));
        for ext in ["-wal", "-shm"] {
            let mut p = db.as_os_str().to_owned();
            p.push(ext);
            let _ = std::fs::remove_file(PathBuf::from(p));
        }
    }
    if let Some(dir) = db.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let store = Store::open(db)?;
    let status = store.status()?;
    if status.documents >= n && !status.events_stale && !store.index_behind()? {
        return Ok(store);
    }
    let have = status.documents.min(n);
    let started = Instant::now();
    const BATCH: usize = 1_000;
    let mut i = have;
    while i < n {
        let end = (i + BATCH).min(n);
        let batch: Vec<DocBundle> = (i..end).map(|k| make_doc(c, k, n)).collect();
        store.write_batch(&batch)?;
        store.sync_index()?;
        i = end;
        print!(
            "\rgenerating the store: {i} of {n} documents ({:.0} s)",
            started.elapsed().as_secs_f64()
        );
        let _ = std::io::stdout().flush();
    }
    if have < n {
        println!();
    }
    store.sync_index()?; // a run stopped between a batch and its index
    let stories: Vec<StoryRecord> = (0..n.div_ceil(DOCS_PER_STORY))
        .map(|s| {
            let docs: Vec<String> = (s * DOCS_PER_STORY..((s + 1) * DOCS_PER_STORY).min(n))
                .map(|k| format!("g{k:06}"))
                .collect();
            StoryRecord {
                id: format!("s{}", s + 1),
                title: format!("Story {}", s + 1),
                docs,
                ..Default::default()
            }
        })
        .collect();
    // no events are generated: the stories, and the cross-document records marked fresh
    store.replace_cross(annals_store::CrossRecords {
        stories: &stories,
        ..Default::default()
    })?;
    println!(
        "the store is ready: {n} documents, {} stories ({:.0} s)",
        stories.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(store)
}

// ---------------------------------------------------------------------------------------
// queries

struct QueryGen {
    rng: Rng,
    words: Vec<String>,
    actors: Vec<(String, String)>,
    outlets: Vec<String>,
    stories: usize,
}

impl QueryGen {
    fn new(c: &Corpus, docs: usize) -> Self {
        let mut words: Vec<String> = c.words.iter().take(600).cloned().collect();
        words.extend(
            c.places
                .iter()
                .take(300)
                .filter(|p| !p.contains(' '))
                .cloned(),
        );
        words.extend(c.verbs.iter().take(200).cloned());
        Self {
            rng: Rng::new(42),
            words,
            actors: c
                .actors
                .iter()
                .take(120)
                .map(|a| (a.id.clone(), a.short.clone()))
                .collect(),
            outlets: c.outlets.iter().map(|o| o.to_string()).collect(),
            stories: docs.div_ceil(DOCS_PER_STORY),
        }
    }

    fn word(&mut self) -> String {
        let i = self.rng.zipf(self.words.len());
        self.words[i].clone()
    }

    fn actor_name(&mut self) -> String {
        let i = self.rng.zipf(self.actors.len());
        self.actors[i].1.clone()
    }

    fn actor_id(&mut self) -> String {
        let i = self.rng.zipf(self.actors.len());
        self.actors[i].0.clone()
    }

    /// The path and query of the next search.
    fn next(&mut self) -> String {
        let q = match self.rng.below(20) {
            0..=6 => self.word(),
            7..=10 => format!("{} {}", self.word(), self.word()),
            11 | 12 => self.actor_name(),
            13 => format!("\"{}\"", self.actor_name()),
            14 => format!("{} -{}", self.word(), self.word()),
            15 => String::new(), // filters only
            _ => format!("{} {}", self.actor_name(), self.word()),
        };
        let mut p: Vec<(&str, String)> = vec![("q", q.clone())];
        let mut filtered = false;
        if self.rng.chance(20) {
            p.push(("actor", self.actor_id()));
            filtered = true;
        }
        if self.rng.chance(10) {
            p.push(("speaker", self.actor_id()));
            filtered = true;
        }
        let r = &mut self.rng;
        if r.chance(15) {
            p.push(("code", CODES[r.zipf(CODES.len())][..2 + r.below(2)].into()));
            filtered = true;
        }
        if r.chance(20) {
            let from = r.below(700) as i64;
            p.push(("from", date_of(from)));
            p.push(("to", date_of(from + 30)));
            filtered = true;
        }
        if r.chance(10) {
            p.push(("outlet", r.pick(&self.outlets).clone()));
            filtered = true;
        }
        if r.chance(5) {
            p.push(("story", format!("s{}", 1 + r.below(self.stories))));
            filtered = true;
        }
        match r.below(20) {
            0..=2 => p.push(("kind", "quotes".into())),
            3..=5 => p.push(("kind", "documents".into())),
            _ => {}
        }
        if q.is_empty() && !filtered {
            p.push(("actor", self.actors[0].0.clone()));
        }
        let r = &mut self.rng;
        if r.chance(30) {
            p.push(("limit", "50".into()));
        }
        if r.chance(10) {
            p.push(("offset", "20".into()));
        }
        let mut s = String::from("/api/search?");
        for (i, (k, v)) in p.iter().enumerate() {
            if i > 0 {
                s.push('&');
            }
            s.push_str(k);
            s.push('=');
            s.push_str(&encode(v));
        }
        s
    }
}

/// Percent-encoding of a query value.
fn encode(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for b in v.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// the load

#[derive(Default)]
struct Report {
    latencies: Vec<Duration>,
    /// The slowest requests: latency and path.
    slowest: Vec<(Duration, String)>,
    errors: HashMap<String, usize>,
    sent: usize,
    /// How late the latest request was sent after it was due.
    worst_send_lag: Duration,
    bytes: usize,
}

impl Report {
    fn print(mut self, rate: f64, seconds: f64) {
        self.latencies.sort_unstable();
        let n = self.latencies.len();
        let pct = |p: f64| -> f64 {
            if n == 0 {
                return f64::NAN;
            }
            let rank = ((p / 100.0) * n as f64).ceil().max(1.0) as usize;
            self.latencies[rank.min(n) - 1].as_secs_f64() * 1000.0
        };
        let errors: usize = self.errors.values().sum();
        println!(
            "requests: {} sent at {rate} a second for {seconds} s, {n} answered 200, {errors} errors",
            self.sent
        );
        for (e, k) in &self.errors {
            println!("  error: {e} × {k}");
        }
        println!(
            "latency (ms, from the time each request was due): p50 {:.2}  p90 {:.2}  p99 {:.2}  p99.9 {:.2}  max {:.2}",
            pct(50.0),
            pct(90.0),
            pct(99.0),
            pct(99.9),
            pct(100.0)
        );
        println!(
            "mean response {:.1} KiB; the sender was at worst {:.2} ms late",
            self.bytes as f64 / n.max(1) as f64 / 1024.0,
            self.worst_send_lag.as_secs_f64() * 1000.0
        );
        self.slowest.sort_by_key(|s| std::cmp::Reverse(s.0));
        println!("slowest:");
        for (latency, path) in self.slowest.iter().take(SLOWEST) {
            println!("  {:7.2} ms {path}", latency.as_secs_f64() * 1000.0);
        }
    }
}

type Pool = Arc<Mutex<Vec<TcpStream>>>;

/// How many of the slowest requests the report names.
const SLOWEST: usize = 8;

/// Send searches at `rate` a second for `seconds`, open loop; wait for every answer.
async fn drive(
    url: &str,
    rate: f64,
    seconds: f64,
    queries: &mut QueryGen,
) -> Result<Report, Box<dyn std::error::Error>> {
    let addr = url
        .strip_prefix("http://")
        .ok_or("only http:// URLs")?
        .to_string();
    let pool: Pool = Arc::default();
    let total = (rate * seconds).round() as usize;
    let interval = Duration::from_secs_f64(1.0 / rate);
    let start = tokio::time::Instant::now() + Duration::from_millis(20);
    let mut tasks = Vec::with_capacity(total);
    let mut worst_lag = Duration::ZERO;
    for i in 0..total {
        let due = start + interval.mul_f64(i as f64);
        let path = queries.next();
        tokio::time::sleep_until(due).await;
        worst_lag = worst_lag.max(tokio::time::Instant::now().saturating_duration_since(due));
        let (pool, addr) = (pool.clone(), addr.clone());
        tasks.push(tokio::spawn(async move {
            let r = tokio::time::timeout(Duration::from_secs(10), get(&pool, &addr, &path)).await;
            let latency = tokio::time::Instant::now().duration_since(due);
            (
                match r {
                    Ok(r) => r,
                    Err(_) => Err("timed out after 10 s".to_string()),
                },
                latency,
                path,
            )
        }));
    }
    let mut report = Report {
        sent: total,
        worst_send_lag: worst_lag,
        ..Report::default()
    };
    for t in tasks {
        match t.await {
            Ok((Ok(bytes), latency, path)) => {
                report.latencies.push(latency);
                report.bytes += bytes;
                report.slowest.push((latency, path));
                if report.slowest.len() > 64 {
                    report.slowest.sort_by_key(|s| std::cmp::Reverse(s.0));
                    report.slowest.truncate(SLOWEST);
                }
            }
            Ok((Err(e), _, _)) => *report.errors.entry(e).or_default() += 1,
            Err(e) => *report.errors.entry(e.to_string()).or_default() += 1,
        }
    }
    Ok(report)
}

/// One GET on a pooled keep-alive connection (or a new one); the body's length when the
/// answer is 200.
async fn get(pool: &Pool, addr: &str, path: &str) -> Result<usize, String> {
    let pooled = pool.lock().unwrap_or_else(|e| e.into_inner()).pop();
    let mut conn = match pooled {
        Some(c) => c,
        None => {
            let c = TcpStream::connect(addr)
                .await
                .map_err(|e| format!("connect: {e}"))?;
            c.set_nodelay(true).map_err(|e| e.to_string())?;
            c
        }
    };
    let req = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nAccept: application/json\r\n\r\n");
    conn.write_all(req.as_bytes())
        .await
        .map_err(|e| format!("write: {e}"))?;
    let mut buf = Vec::with_capacity(16 * 1024);
    let mut chunk = [0u8; 16 * 1024];
    let (head_end, status, length) = loop {
        let n = conn
            .read(&mut chunk)
            .await
            .map_err(|e| format!("read: {e}"))?;
        if n == 0 {
            return Err("connection closed".into());
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(at) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..at]).to_string();
            let status: u16 = head
                .get(9..12)
                .and_then(|s| s.parse().ok())
                .ok_or("a malformed status line")?;
            let length = head
                .lines()
                .find_map(|l| {
                    let (k, v) = l.split_once(':')?;
                    k.eq_ignore_ascii_case("content-length")
                        .then(|| v.trim().parse::<usize>().ok())?
                })
                .ok_or("no content-length")?;
            break (at + 4, status, length);
        }
    };
    while buf.len() < head_end + length {
        let n = conn
            .read(&mut chunk)
            .await
            .map_err(|e| format!("read: {e}"))?;
        if n == 0 {
            return Err("connection closed in the body".into());
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    pool.lock().unwrap_or_else(|e| e.into_inner()).push(conn);
    if status == 200 {
        Ok(length)
    } else {
        let body = String::from_utf8_lossy(&buf[head_end..])
            .chars()
            .take(120)
            .collect::<String>();
        Err(format!("HTTP {status}: {body}"))
    }
}
