//! Trains the syntax model shipped in `models/` from UD English EWT.
//!
//! ```text
//! cargo run --release -p annals-train -- --ud ../shared/ud --out models/
//! ```
//!
//! Options: `--tagger-epochs N`, `--parser-epochs N`, `--parser-runs N` (the weights of
//! N parser runs with different seeds averaged), `--tagger-runs N` (the same for the
//! tagger), `--folds N`, `--fold-lexicon`
//! (each jackknife fold's tagger gets a lexicon built from its own training part),
//! `--clusters N`, `--explore P` and `--explore-from E` (from parser epoch E, a wrong
//! prediction is followed with probability P),
//! `--seed N`, `--prune X,U,A,L` (pruning thresholds of the XPOS, UPOS, action and label
//! tables, in quantised units), `--eval-only` (score the existing model on dev and test;
//! with `--prune`, score it pruned; with `--calibrate`, measure its label bounds on the
//! training sentences again (see `Model::calibrate`); `--write-pruned FILE` saves the
//! result).

use annals_syntax::train::{read_treebank, train, TrainConfig};
use annals_syntax::{eval_parse, Model, MODEL_FILE};
use anyhow::{bail, Context, Result};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

struct Args {
    ud: PathBuf,
    out: PathBuf,
    cfg: TrainConfig,
    eval_only: bool,
    calibrate: bool,
    prune: Option<[i16; 4]>,
    write_pruned: Option<PathBuf>,
}

fn parse_args() -> Result<Args> {
    let mut a = Args {
        ud: PathBuf::from("../shared/ud"),
        out: PathBuf::from("models"),
        cfg: TrainConfig::default(),
        eval_only: false,
        calibrate: false,
        prune: None,
        write_pruned: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        let mut val = || it.next().with_context(|| format!("{k} needs a value"));
        match k.as_str() {
            "--ud" => a.ud = val()?.into(),
            "--out" => a.out = val()?.into(),
            "--tagger-epochs" => a.cfg.tagger_epochs = val()?.parse()?,
            "--parser-epochs" => a.cfg.parser_epochs = val()?.parse()?,
            "--parser-runs" => a.cfg.parser_runs = val()?.parse()?,
            "--tagger-runs" => a.cfg.tagger_runs = val()?.parse()?,
            "--folds" => a.cfg.folds = val()?.parse()?,
            "--fold-lexicon" => a.cfg.fold_lexicon = true,
            "--explore" => a.cfg.explore = val()?.parse()?,
            "--explore-from" => a.cfg.explore_from = val()?.parse()?,
            "--clusters" => a.cfg.clusters = val()?.parse()?,
            "--seed" => a.cfg.seed = val()?.parse()?,
            "--eval-only" => a.eval_only = true,
            "--calibrate" => a.calibrate = true,
            "--write-pruned" => a.write_pruned = Some(val()?.into()),
            "--prune" => {
                let v: Vec<i16> = val()?
                    .split(',')
                    .map(str::parse)
                    .collect::<Result<_, _>>()?;
                let p: [i16; 4] = v
                    .try_into()
                    .map_err(|_| anyhow::anyhow!("--prune needs 4 numbers"))?;
                a.prune = Some(p);
                a.cfg.prune = p;
            }
            "-h" | "--help" => {
                println!("usage: annals-train [--ud DIR] [--out DIR] [--tagger-epochs N] [--tagger-runs N] [--parser-epochs N] [--parser-runs N] [--folds N] [--fold-lexicon] [--explore P] [--explore-from E] [--clusters N] [--seed N] [--prune X,U,A,L] [--eval-only]");
                std::process::exit(0);
            }
            _ => bail!("unknown argument {k}"),
        }
    }
    Ok(a)
}

fn read(p: &std::path::Path) -> Result<String> {
    std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))
}

fn run() -> Result<()> {
    let a = parse_args()?;
    let file = a.out.join(MODEL_FILE.trim_start_matches("models/"));
    let model = if a.eval_only {
        let mut m = Model::load(&file)?;
        if let Some(p) = a.prune {
            m = m.prune(p);
            eprintln!("pruned: {}; {} bytes", m.describe(), m.to_bytes().len());
        }
        if a.calibrate {
            let sents = read_treebank(&read(&a.ud.join("en_ewt-ud-train.conllu"))?)?;
            let forms: Vec<&str> = sents
                .iter()
                .flat_map(|s| s.forms.iter().map(String::as_str))
                .collect();
            let lens: Vec<usize> = sents.iter().map(|s| s.forms.len()).collect();
            m.calibrate(&forms, &lens);
            eprintln!("label bounds calibrated on {} sentences", sents.len());
        }
        if let Some(p) = &a.write_pruned {
            m.save(p)?;
        }
        m
    } else {
        let t0 = Instant::now();
        let text = read(&a.ud.join("en_ewt-ud-train.conllu"))?;
        let sents = read_treebank(&text)?;
        eprintln!("train: {} sentences; {:?}", sents.len(), a.cfg);
        let model = train(&sents, &a.cfg, |m| {
            eprintln!("[{:6.1}s] {m}", t0.elapsed().as_secs_f64())
        });
        std::fs::create_dir_all(&a.out).with_context(|| format!("creating {}", a.out.display()))?;
        model.save(&file)?;
        eprintln!(
            "[{:6.1}s] wrote {}",
            t0.elapsed().as_secs_f64(),
            file.display()
        );
        model
    };
    let t = Instant::now();
    let _ = Model::load(&file)?;
    eprintln!(
        "load: {:.1} ms, {} bytes",
        t.elapsed().as_secs_f64() * 1e3,
        std::fs::metadata(&file)?.len()
    );
    for split in ["dev", "test"] {
        let p = a.ud.join(format!("en_ewt-ud-{split}.conllu"));
        if let Ok(text) = std::fs::read_to_string(&p) {
            let t = Instant::now();
            let s = eval_parse(&model, &text);
            let secs = t.elapsed().as_secs_f64();
            println!(
                "{split}: {s} (XPOS={:.2} LAS-base={:.2}; {} words, {:.0} words/s)",
                s.xpos,
                s.las_base,
                s.words,
                s.words as f64 / secs
            );
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("annals-train: {e:#}");
            ExitCode::FAILURE
        }
    }
}
