//! Training: reading treebanks, the lexicon, jackknifed tags, and the whole recipe that
//! produces a [`Model`]. Deterministic: the same data and seed give the same bytes.

use crate::lex::{norm_hash, Lex, LexEntry, Lexicon};
use crate::parser::train_parser;
use crate::tagger::{train_tagger, train_tagger_runs, TagScratch, Tagger};
use crate::{Error, Model};
use annals_model::{conllu, DepRel, Upos, Xpos};
use std::collections::BTreeMap;

/// One gold sentence of a treebank, owned.
#[derive(Debug, Clone, Default)]
pub struct GoldSent {
    /// Word forms.
    pub forms: Vec<String>,
    /// Gold universal tags.
    pub upos: Vec<Upos>,
    /// Gold Penn tags.
    pub xpos: Vec<Xpos>,
    /// Gold heads, 1-based, 0 = root.
    pub head: Vec<u16>,
    /// Gold relations.
    pub deprel: Vec<DepRel>,
}

/// Read every sentence of a CoNLL-U text (words only; multiword tokens are ignored).
pub fn read_treebank(text: &str) -> Result<Vec<GoldSent>, Error> {
    let mut out = Vec::new();
    for s in conllu::sentences(text) {
        let s = s.map_err(|e| Error::Conllu(e.to_string()))?;
        let n = s.words.len();
        let mut g = GoldSent::default();
        for w in &s.words {
            g.forms.push(w.form.to_string());
            g.upos.push(Upos::from_label(w.upos));
            g.xpos.push(Xpos::from_label(w.xpos));
            g.head.push(if w.head as usize > n {
                0
            } else {
                w.head as u16
            });
            g.deprel.push(DepRel::from_label(w.deprel));
        }
        if n > 0 && n < u16::MAX as usize {
            out.push(g);
        }
    }
    Ok(out)
}

/// A small deterministic random number generator (SplitMix64).
pub struct Rng(u64);

impl Rng {
    /// Seeded generator.
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x5DEE_CE66_D1CE_4E5B)
    }
    /// Next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        crate::hash::finish(self.0)
    }
    /// Uniform in `[0, 1)`.
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Fisher–Yates shuffle.
    pub fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next_u64() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

/// Training settings.
#[derive(Debug, Clone)]
pub struct TrainConfig {
    /// Passes over the data for the tagger.
    pub tagger_epochs: usize,
    /// Tagger training runs whose weights are averaged (the shipped tagger only; the
    /// jackknife folds' taggers are one run each); 1 = one run.
    pub tagger_runs: usize,
    /// Passes for the parser.
    pub parser_epochs: usize,
    /// Parser training runs (seeds `seed`, `seed + 1000`, …) whose averaged weights are
    /// averaged again (parameter mixing); 1 = one run.
    pub parser_runs: usize,
    /// Folds for jackknifing the tags the parser trains on.
    pub folds: usize,
    /// Whether each jackknife fold's tagger gets a lexicon (tag dictionary, frequency
    /// buckets, clusters of the words it saw) built from its own training part only, so
    /// that the held-out part is as unseen as dev and test text are; otherwise the
    /// lexicon of the whole training set (held-out words then look known). Measured
    /// without gain (dev UAS/LAS 84.53/81.00 against 84.54/80.96), so off by default.
    pub fold_lexicon: bool,
    /// Word clusters to learn from the training text (0 = none).
    pub clusters: usize,
    /// From this parser epoch on (0-based), a wrong prediction is followed (exploration
    /// of the dynamic oracle) with probability `explore`.
    pub explore_from: usize,
    /// See `explore_from`.
    pub explore: f64,
    /// Random seed (the default, 2, was the best of seeds 1–3 on the dev set).
    pub seed: u64,
    /// Pruning thresholds in quantised units (`[xpos, upos, action, label]`, see
    /// [`Model::prune`]): keeps the shipped file small.
    pub prune: [i16; 4],
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            tagger_epochs: 10,
            parser_epochs: 15,
            parser_runs: 3,
            tagger_runs: 3,
            folds: 5,
            fold_lexicon: false,
            clusters: 384,
            explore_from: 1,
            explore: 0.9,
            seed: 2,
            prune: [300, 300, 500, 300],
        }
    }
}

fn freq_bucket(c: u32) -> u8 {
    (32 - c.leading_zeros()).min(8) as u8
}

/// Build the lexicon: frequency bucket, tag set (words seen 3+ times), and clusters.
pub fn build_lexicon<'a>(
    train: impl IntoIterator<Item = &'a GoldSent>,
    clusters: &BTreeMap<u64, u32>,
) -> Lexicon {
    let mut counts: BTreeMap<u64, (u32, [u32; 64])> = BTreeMap::new();
    for s in train {
        for (f, x) in s.forms.iter().zip(&s.xpos) {
            let e = counts.entry(norm_hash(f)).or_insert((0, [0; 64]));
            e.0 += 1;
            e.1[(x.0 & 63) as usize] += 1;
        }
    }
    let mut entries: BTreeMap<u64, LexEntry> = BTreeMap::new();
    for (k, (c, tags)) in &counts {
        let mut ambig = 0u64;
        if *c >= 3 {
            for (t, &n) in tags.iter().enumerate() {
                if n > 0 && n * 20 >= *c {
                    ambig |= 1 << t;
                }
            }
        }
        entries.insert(
            *k,
            LexEntry {
                cluster: 0,
                ambig,
                freq: freq_bucket(*c),
            },
        );
    }
    for (&w, &c) in clusters {
        entries.entry(w).or_default().cluster = c;
    }
    Lexicon::from_entries(entries.into_iter().collect())
}

/// Train the whole model. `log` receives progress lines.
pub fn train(train: &[GoldSent], cfg: &TrainConfig, mut log: impl FnMut(&str)) -> Model {
    let clusters = if cfg.clusters > 0 {
        crate::cluster::learn(
            train.iter().map(|s| s.forms.as_slice()),
            cfg.clusters,
            cfg.seed,
        )
    } else {
        BTreeMap::new()
    };
    log(&format!("clusters: {} words", clusters.len()));
    let lexicon = build_lexicon(train, &clusters);
    let lexed: Vec<Vec<Lex>> = train
        .iter()
        .map(|s| s.forms.iter().map(|f| lexicon.lex(f)).collect())
        .collect();
    // jackknifed tags for the parser
    let n = train.len();
    let (mut xp, mut up) = jackknife_tags(train, &lexed, &clusters, cfg, &mut log);
    let data: Vec<(Vec<Lex>, &GoldSent)> = (0..n).map(|i| (lexed[i].clone(), &train[i])).collect();
    let tagger: Tagger = train_tagger_runs(
        &data,
        cfg.tagger_epochs,
        cfg.seed,
        cfg.tagger_runs,
        [cfg.prune[0], cfg.prune[1]],
    );
    log(&format!("tagger: {}", tagger.describe()));
    drop(data);
    let pdata: Vec<_> = (0..n)
        .map(|i| {
            (
                lexed[i].clone(),
                std::mem::take(&mut xp[i]),
                std::mem::take(&mut up[i]),
                &train[i],
            )
        })
        .collect();
    let parser = train_parser(&pdata, cfg, [cfg.prune[2], cfg.prune[3]]);
    log(&format!("parser: {}", parser.describe()));
    let mut model = Model {
        lexicon,
        tagger,
        parser,
    };
    let forms: Vec<&str> = train
        .iter()
        .flat_map(|s| s.forms.iter().map(String::as_str))
        .collect();
    let lens: Vec<usize> = train.iter().map(|s| s.forms.len()).collect();
    model.calibrate(&forms, &lens);
    log("label bounds calibrated on the training sentences");
    model
}

/// Penn and universal tags of every training sentence as a tagger that did not see it
/// would predict them (`cfg.folds` jackknife folds, each tagged by a tagger trained on the
/// other folds; with one fold, the gold tags). `lexed` holds the sentences' [`Lex`] under
/// the lexicon of the whole training set, `clusters` the clusters it was built with. The
/// parsers train on these tags, so that they see tagging errors like those of new text.
#[allow(clippy::type_complexity)]
pub fn jackknife_tags(
    train: &[GoldSent],
    lexed: &[Vec<Lex>],
    clusters: &BTreeMap<u64, u32>,
    cfg: &TrainConfig,
    mut log: impl FnMut(&str),
) -> (Vec<Vec<u8>>, Vec<Vec<u8>>) {
    let n = train.len();
    let folds = cfg.folds.max(1);
    let mut xp: Vec<Vec<u8>> = train
        .iter()
        .map(|s| s.xpos.iter().map(|t| t.0).collect())
        .collect();
    let mut up: Vec<Vec<u8>> = train
        .iter()
        .map(|s| s.upos.iter().map(|t| t.0).collect())
        .collect();
    if folds > 1 {
        for k in 0..folds {
            let in_part = |i: &usize| i % folds != k;
            // the fold's own lexicon: what its tagger could know (clusters are learnt from
            // the text alone, and kept for the words seen twice in the part, as the
            // clusters keep the words seen twice in the whole text)
            let flexed: Vec<Vec<Lex>> = if cfg.fold_lexicon {
                let mut seen: BTreeMap<u64, u32> = BTreeMap::new();
                for i in (0..n).filter(in_part) {
                    for f in &train[i].forms {
                        *seen.entry(norm_hash(f)).or_insert(0) += 1;
                    }
                }
                let fc: BTreeMap<u64, u32> = clusters
                    .iter()
                    .filter(|(w, _)| seen.get(w).is_some_and(|&c| c >= 2))
                    .map(|(&w, &c)| (w, c))
                    .collect();
                let fl = build_lexicon((0..n).filter(in_part).map(|i| &train[i]), &fc);
                train
                    .iter()
                    .map(|s| s.forms.iter().map(|f| fl.lex(f)).collect())
                    .collect()
            } else {
                lexed.to_vec()
            };
            let part: Vec<(Vec<Lex>, &GoldSent)> = (0..n)
                .filter(in_part)
                .map(|i| (flexed[i].clone(), &train[i]))
                .collect();
            let t = train_tagger(
                &part,
                cfg.tagger_epochs,
                cfg.seed.wrapping_add(k as u64 + 1),
                [0, 0],
            );
            let mut s = TagScratch::default();
            let (mut ok, mut all) = (0usize, 0usize);
            for i in (0..n).filter(|i| i % folds == k) {
                t.tag(&flexed[i], &mut xp[i], &mut up[i], &mut s);
                ok += up[i]
                    .iter()
                    .zip(&train[i].upos)
                    .filter(|(a, b)| **a == b.0)
                    .count();
                all += up[i].len();
            }
            log(&format!(
                "jackknife fold {k}: UPOS {:.2}",
                100.0 * ok as f64 / all.max(1) as f64
            ));
        }
    }
    (xp, up)
}
