//! Train the prototype neural parser ([`annals_syntax::neural`]) on UD English EWT and
//! score it on dev after every epoch; then measure its speed on test.
//!
//! ```text
//! cargo run --release -p annals-syntax --example neural -- [UD_DIR] [key=value ...]
//! ```
//!
//! Keys: `hidden`, `epochs`, `batch`, `lr`, `lr_decay`, `dropout`, `word_dropout`,
//! `min_word_freq`, `explore_from`, `explore`, `ema`, `seed`, `threads`, `test=1` (score
//! test as well). The tagger and lexicon are those of the shipped model; the training
//! sentences get jackknifed tags (5 folds, as `annals-train` does), cached in
//! `$NEURAL_CACHE` (default `target/neural-jk.bin`) after the first run.

use annals_model::DepRel;
use annals_syntax::lex::Lex;
use annals_syntax::neural::{
    train_neural, DecodeScratch, Decoder, NeuralConfig, NeuralParser, NeuralScratch, TrainSent,
};
use annals_syntax::train::{jackknife_tags, read_treebank, GoldSent, TrainConfig};
use annals_syntax::{Model, Scratch};
use std::collections::BTreeMap;
use std::time::Instant;

/// A split tagged by the shipped tagger: lexical attributes, Penn tags, and the gold.
struct Tagged {
    gold: Vec<GoldSent>,
    lex: Vec<Vec<Lex>>,
    xpos: Vec<Vec<u8>>,
    upos: Vec<Vec<u8>>,
    upos_ok: usize,
    words: usize,
}

fn tag_split(m: &Model, text: &str) -> Tagged {
    let gold = read_treebank(text).expect("treebank");
    let mut s = Scratch::default();
    let mut out = Vec::new();
    let (mut lex, mut xpos, mut upos) = (Vec::new(), Vec::new(), Vec::new());
    let (mut ok, mut words) = (0, 0);
    for g in &gold {
        m.tag_many_into(&g.forms, &[g.forms.len()], &mut out, &mut s);
        lex.push(g.forms.iter().map(|f| m.lexicon().lex(f)).collect());
        xpos.push(out.iter().map(|x| x.xpos.0).collect());
        upos.push(out.iter().map(|x| x.upos.0).collect());
        ok += out
            .iter()
            .zip(&g.upos)
            .filter(|(a, b)| a.upos == **b)
            .count();
        words += g.forms.len();
    }
    Tagged {
        gold,
        lex,
        xpos,
        upos,
        upos_ok: ok,
        words,
    }
}

fn score(p: &NeuralParser, t: &Tagged) -> (f64, f64) {
    let mut s = NeuralScratch::default();
    let (mut h, mut l) = (Vec::new(), Vec::new());
    let (mut ua, mut la) = (0usize, 0usize);
    for (((g, lex), xp), up) in t.gold.iter().zip(&t.lex).zip(&t.xpos).zip(&t.upos) {
        p.parse(lex, xp, up, &mut h, &mut l, &mut s);
        for i in 0..g.forms.len() {
            if h[i] == g.head[i] {
                ua += 1;
                la += (l[i] == g.deprel[i].0 && g.deprel[i] != DepRel::UNKNOWN) as usize;
            }
        }
    }
    let n = t.words as f64;
    (100.0 * ua as f64 / n, 100.0 * la as f64 / n)
}

fn qscore0(q: &Decoder, t: &Tagged) -> (f64, f64) {
    let mut s = DecodeScratch::default();
    let (mut h, mut l) = (Vec::new(), Vec::new());
    let (mut ua, mut la) = (0usize, 0usize);
    for (((g, lex), xp), up) in t.gold.iter().zip(&t.lex).zip(&t.xpos).zip(&t.upos) {
        q.parse(lex, xp, up, &mut h, &mut l, &mut s);
        for i in 0..g.forms.len() {
            if h[i] == g.head[i] {
                ua += 1;
                la += (l[i] == g.deprel[i].0 && g.deprel[i] != DepRel::UNKNOWN) as usize;
            }
        }
    }
    let n = t.words as f64;
    (100.0 * ua as f64 / n, 100.0 * la as f64 / n)
}

fn main() {
    let mut args = std::env::args().skip(1).peekable();
    let ud = match args.peek() {
        Some(a) if !a.contains('=') => args.next().unwrap_or_default(),
        _ => "../shared/ud".to_string(),
    };
    let mut cfg = NeuralConfig::default();
    let mut test = false;
    for a in args {
        let (k, v) = a.split_once('=').expect("key=value");
        match k {
            "hidden" => cfg.hidden = v.parse().expect("hidden"),
            "epochs" => cfg.epochs = v.parse().expect("epochs"),
            "batch" => cfg.batch = v.parse().expect("batch"),
            "lr" => cfg.lr = v.parse().expect("lr"),
            "lr_decay" => cfg.lr_decay = v.parse().expect("lr_decay"),
            "dropout" => cfg.dropout = v.parse().expect("dropout"),
            "feat_dropout" => cfg.feat_dropout = v.parse().expect("feat_dropout"),
            "word_dropout" => cfg.word_dropout = v.parse().expect("word_dropout"),
            "min_word_freq" => cfg.min_word_freq = v.parse().expect("min_word_freq"),
            "explore_from" => cfg.explore_from = v.parse().expect("explore_from"),
            "explore" => cfg.explore = v.parse().expect("explore"),
            "ema" => cfg.ema = v.parse().expect("ema"),
            "seed" => cfg.seed = v.parse().expect("seed"),
            "threads" => cfg.threads = v.parse().expect("threads"),
            "test" => test = v == "1",
            _ => panic!("unknown key {k}"),
        }
    }
    eprintln!("{cfg:?}");
    let t0 = Instant::now();
    let model = Model::load(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../models/en_ewt.syntax"
    ))
    .expect("shipped model");
    let read = |s: &str| std::fs::read_to_string(format!("{ud}/en_ewt-ud-{s}.conllu")).expect("ud");
    let train = read_treebank(&read("train")).expect("train");
    let lexed: Vec<Vec<Lex>> = train
        .iter()
        .map(|s| s.forms.iter().map(|f| model.lexicon().lex(f)).collect())
        .collect();
    let cache = std::env::var("NEURAL_CACHE").unwrap_or_else(|_| "target/neural-jk.bin".into());
    let total: usize = train.iter().map(|s| s.forms.len()).sum();
    let (xp, up): (Vec<Vec<u8>>, Vec<Vec<u8>>) = match std::fs::read(&cache) {
        Ok(b) if b.len() == 2 * total => {
            let split = |b: &[u8]| {
                let mut at = 0;
                train
                    .iter()
                    .map(|s| {
                        let v = b[at..at + s.forms.len()].to_vec();
                        at += s.forms.len();
                        v
                    })
                    .collect()
            };
            (split(&b[..total]), split(&b[total..]))
        }
        _ => {
            let (xp, up) = jackknife_tags(
                &train,
                &lexed,
                &BTreeMap::new(),
                &TrainConfig::default(),
                |m| eprintln!("[{:6.1}s] {m}", t0.elapsed().as_secs_f64()),
            );
            std::fs::write(&cache, [xp.concat(), up.concat()].concat()).expect("cache");
            (xp, up)
        }
    };
    eprintln!(
        "[{:6.1}s] jackknifed tags ready",
        t0.elapsed().as_secs_f64()
    );
    let dev = tag_split(&model, &read("dev"));
    let data: Vec<TrainSent> = (0..train.len())
        .map(|i| TrainSent {
            lex: &lexed[i],
            xpos: &xp[i],
            upos: &up[i],
            gold: &train[i],
        })
        .collect();
    let t1 = Instant::now();
    let p = if let Ok(f) = std::env::var("NEURAL_IN") {
        let mut p =
            NeuralParser::from_bytes(&std::fs::read(&f).expect("model file")).expect("model");
        p.fill_word_values(&data);
        p
    } else {
        let mut hook = |e: usize, p: &NeuralParser| {
            let (u, l) = score(p, &dev);
            eprintln!(
                "[{:6.1}s] epoch {e}: dev UPOS {:.2} UAS {u:.2} LAS {l:.2}",
                t1.elapsed().as_secs_f64(),
                100.0 * dev.upos_ok as f64 / dev.words as f64
            );
        };
        let p = train_neural(
            &data,
            &cfg,
            |m| eprintln!("[{:6.1}s] {m}", t1.elapsed().as_secs_f64()),
            &mut hook,
        );
        eprintln!(
            "trained in {:.1}s: {}",
            t1.elapsed().as_secs_f64(),
            p.describe()
        );
        if let Ok(out) = std::env::var("NEURAL_OUT") {
            std::fs::write(&out, p.to_bytes()).expect("write model");
            eprintln!("wrote {out}");
        }
        p
    };
    let tst = tag_split(&model, &read("test"));
    if test {
        let (u, l) = score(&p, &tst);
        println!(
            "test: UPOS {:.2} UAS {u:.2} LAS {l:.2}",
            100.0 * tst.upos_ok as f64 / tst.words as f64
        );
    }
    let (u, l) = score(&p, &dev);
    println!("dev f32: UAS {u:.2} LAS {l:.2}");
    if std::env::var("NEURAL_I8").is_ok() {
        let mut p8 = p.clone();
        p8.round_rows_to_8_bits();
        let (u, l) = score(&p8, &dev);
        println!("dev f32, rows rounded to 8 bits: UAS {u:.2} LAS {l:.2}");
    }
    let cal: Vec<(&[Lex], &[u8], &[u8])> = lexed
        .iter()
        .zip(&xp)
        .zip(&up)
        .take(2000)
        .map(|((l, x), u)| (&l[..], &x[..], &u[..]))
        .collect();
    if let Ok(hs) = std::env::var("NEURAL_WIDTHS") {
        // decoding speed by hidden width, random weights (CPU time, best of 5)
        for hw in hs.split(',') {
            let hw: usize = hw.parse().expect("width");
            // 0: the trained weights
            let r = if hw == 0 {
                p.clone()
            } else {
                p.with_random_weights(hw, 7)
            };
            let mut q = r.quantize(r.max_hidden(&cal[..200]));
            q.set_label_masks(&data, false);
            let mut ds = DecodeScratch::default();
            let (mut h, mut l) = (Vec::new(), Vec::new());
            let mut best = f64::MAX;
            for _ in 0..5 {
                let c = cpu_secs();
                for ((lex, xp), up) in tst.lex.iter().zip(&tst.xpos).zip(&tst.upos) {
                    q.parse(lex, xp, up, &mut h, &mut l, &mut ds);
                }
                best = best.min(cpu_secs() - c);
            }
            println!(
                "hidden {hw}: parse {:.0} tokens/s (CPU time)",
                tst.words as f64 / best
            );
        }
        return;
    }
    let mh = p.max_hidden(&cal);
    let mut q = p.quantize(mh);
    let (u, l) = qscore0(&q, &dev);
    println!("dev i16, every label scored: UAS {u:.2} LAS {l:.2}");
    q.set_label_masks(&data, true);
    let (u, l) = qscore0(&q, &dev);
    println!("dev i16, labels seen with the dependent and head tags: UAS {u:.2} LAS {l:.2}");
    q.set_label_masks(&data, false);
    println!(
        "quantised: max hidden {mh:.2}, scales {:?}, {} bytes of weights",
        q.scales,
        q.weight_bytes()
    );
    let qscore = |t: &Tagged| qscore0(&q, t);
    if std::env::var("NEURAL_ERRORS").is_ok() {
        // where the neural parser and the shipped one differ on test: head errors by
        // sentence length and by the word's gold universal tag
        let mut ds = DecodeScratch::default();
        let (mut h, mut l) = (Vec::new(), Vec::new());
        let (mut sc, mut out) = (Scratch::default(), Vec::new());
        let mut by_len: BTreeMap<usize, [usize; 3]> = BTreeMap::new();
        let mut by_tag: BTreeMap<&str, [usize; 3]> = BTreeMap::new();
        for (((g, lex), xp), up) in tst.gold.iter().zip(&tst.lex).zip(&tst.xpos).zip(&tst.upos) {
            q.parse(lex, xp, up, &mut h, &mut l, &mut ds);
            model.analyze_many_into(&g.forms, &[g.forms.len()], &mut out, &mut sc);
            let b = (g.forms.len() / 10 * 10).min(50);
            for i in 0..g.forms.len() {
                let ne = (h[i] != g.head[i]) as usize;
                let se = (out[i].head != g.head[i]) as usize;
                for e in [
                    by_len.entry(b).or_default(),
                    by_tag.entry(g.upos[i].as_str()).or_default(),
                ] {
                    e[0] += 1;
                    e[1] += ne;
                    e[2] += se;
                }
            }
        }
        println!("test head errors: words, neural, shipped");
        for (b, e) in &by_len {
            println!("  length {b}+: {} {} {}", e[0], e[1], e[2]);
        }
        for (t, e) in &by_tag {
            println!("  {t}: {} {} {}", e[0], e[1], e[2]);
        }
        return;
    }
    if let Ok(k) = std::env::var("NEURAL_BENCH") {
        // only decoding, `k` times over test (for `perf stat`: run with 0 and with k)
        let k: usize = k.parse().expect("NEURAL_BENCH");
        let mut ds = DecodeScratch::default();
        let (mut h, mut l) = (Vec::new(), Vec::new());
        let (t, c) = (Instant::now(), cpu_secs());
        for _ in 0..k {
            for ((lex, xp), up) in tst.lex.iter().zip(&tst.xpos).zip(&tst.upos) {
                q.parse(lex, xp, up, &mut h, &mut l, &mut ds);
            }
        }
        let n = (k * tst.words) as f64;
        println!(
            "decoded {k} times: {:.0} tokens/s wall, {:.0} by CPU time",
            n / t.elapsed().as_secs_f64(),
            n / (cpu_secs() - c)
        );
        return;
    }
    let (u, l) = qscore(&dev);
    println!("dev i16, labels seen with the dependent tag: UAS {u:.2} LAS {l:.2}");
    if test {
        let (u, l) = qscore(&tst);
        println!(
            "test i16: UPOS {:.2} UAS {u:.2} LAS {l:.2}",
            100.0 * tst.upos_ok as f64 / tst.words as f64
        );
    }
    // speed on test, one thread, best of `rounds`: tagging (batched, as the pipeline
    // does), parsing alone (tags and lexical attributes given), f32 and i16
    let rounds = 9;
    let forms: Vec<&str> = tst
        .gold
        .iter()
        .flat_map(|g| g.forms.iter().map(String::as_str))
        .collect();
    let lens: Vec<usize> = tst.gold.iter().map(|g| g.forms.len()).collect();
    let (mut sc, mut out) = (Scratch::default(), Vec::new());
    let mut ds = DecodeScratch::default();
    let mut s = NeuralScratch::default();
    let (mut h, mut l) = (Vec::new(), Vec::new());
    // best wall and CPU times of: tagging, the shipped tag+parse, f32 parse, i16 parse,
    // and tagging + i16 parsing as a pipeline would run them (64 sentences at a time:
    // tag them, then the tagger's lexical attributes and tags of each go to the decoder)
    let mut best = [(f64::MAX, f64::MAX); 7];
    for _ in 0..rounds {
        let mut time = |k: usize, f: &mut dyn FnMut()| {
            let (t, c) = (Instant::now(), cpu_secs());
            f();
            let (w, c) = (t.elapsed().as_secs_f64(), cpu_secs() - c);
            best[k] = (best[k].0.min(w), best[k].1.min(c));
        };
        time(0, &mut || {
            model.tag_many_into(&forms, &lens, &mut out, &mut sc)
        });
        time(1, &mut || {
            model.analyze_many_into(&forms, &lens, &mut out, &mut sc)
        });
        time(2, &mut || {
            for ((lex, xp), up) in tst.lex.iter().zip(&tst.xpos).zip(&tst.upos) {
                p.parse(lex, xp, up, &mut h, &mut l, &mut s);
            }
        });
        time(3, &mut || {
            for ((lex, xp), up) in tst.lex.iter().zip(&tst.xpos).zip(&tst.upos) {
                q.parse(lex, xp, up, &mut h, &mut l, &mut ds);
            }
        });
        time(4, &mut || {
            let mut at = 0;
            for ls in lens.chunks(64) {
                let m: usize = ls.iter().sum();
                let fs = &forms[at..at + m];
                model.tag_many_into(fs, ls, &mut out, &mut sc);
                let (lex, xp, up) = sc.tagged();
                let mut i = 0;
                for &n in ls {
                    q.parse(
                        &lex[i..i + n],
                        &xp[i..i + n],
                        &up[i..i + n],
                        &mut h,
                        &mut l,
                        &mut ds,
                    );
                    i += n;
                }
                at += m;
            }
        });
        time(6, &mut || {
            model.tag_many_into(&forms, &lens, &mut out, &mut sc);
            let (lex, xp, up) = sc.tagged();
            let mut i = 0;
            for &n in &lens {
                q.parse(
                    &lex[i..i + n],
                    &xp[i..i + n],
                    &up[i..i + n],
                    &mut h,
                    &mut l,
                    &mut ds,
                );
                i += n;
            }
        });
        time(5, &mut || {
            let mut at = 0;
            for ls in lens.chunks(64) {
                let m: usize = ls.iter().sum();
                model.tag_many_into(&forms[at..at + m], ls, &mut out, &mut sc);
                at += m;
            }
        });
    }
    let n = tst.words as f64;
    let names = [
        "tag",
        "shipped tag+parse",
        "neural parse f32",
        "neural parse i16",
        "tag + neural i16 parse",
        "tag, 64 sentences at a time",
        "tag + neural i16 parse, the whole set tagged at once (as the bench)",
    ];
    println!(
        "test, {} tokens, tokens/s by wall time (by CPU time of this thread):",
        tst.words
    );
    for (k, name) in names.iter().enumerate() {
        println!("  {name}: {:.0} ({:.0})", n / best[k].0, n / best[k].1);
    }
}

/// CPU time of this thread so far, in seconds (Linux `schedstat`; 0 elsewhere).
fn cpu_secs() -> f64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .map_or(0.0, |ns| ns as f64 * 1e-9)
}
