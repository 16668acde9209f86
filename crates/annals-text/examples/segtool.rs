//! Train, evaluate and try the segmenter.
//!
//! ```text
//! cargo run --release -p annals-text --example segtool -- train TRAIN.conllu OUT.bin [SEED]
//! cargo run --release -p annals-text --example segtool -- eval FILE.conllu [MODEL.bin|rules]
//! cargo run --release -p annals-text --example segtool -- split < text
//! cargo run --release -p annals-text --example segtool -- tune TRAIN DEV [EPOCHS BITS RATE DROPOUT]
//! ```
//!
//! `tune` trains with the seed in `SEED` (default 1) and scores DEV at several thresholds.
use annals_text::{eval_segment, train_segmenter, train_segmenter_with, Segmenter, TrainOptions};
use std::io::Read;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let read = |p: &str| std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{p}: {e}"));
    let bias: f32 = std::env::var("SEG_BIAS").map_or(0.0, |b| b.parse().expect("SEG_BIAS"));
    let seg_from = |a: Option<&String>| match a.map(String::as_str) {
        None => Segmenter::new().with_bias(bias),
        Some("rules") => Segmenter::rules_only(),
        Some(p) => Segmenter::from_model_bytes(&std::fs::read(p).expect("model file"))
            .expect("model")
            .with_bias(bias),
    };
    match args.first().map(String::as_str) {
        Some("train") => {
            let seed = args.get(3).map_or(1, |s| s.parse().expect("seed"));
            let bytes = train_segmenter(&read(&args[1]), seed);
            std::fs::write(&args[2], &bytes).expect("write model");
            eprintln!("wrote {} bytes to {}", bytes.len(), args[2]);
        }
        Some("tune") => {
            // segtool tune TRAIN DEV [EPOCHS BITS RATE DROPOUT]: train, then score dev at several thresholds
            let d = TrainOptions::default();
            let opt = TrainOptions {
                epochs: args.get(3).map_or(d.epochs, |s| s.parse().expect("epochs")),
                bits: args.get(4).map_or(d.bits, |s| s.parse().expect("bits")),
                rate: args.get(5).map_or(d.rate, |s| s.parse().expect("rate")),
                dropout: args
                    .get(6)
                    .map_or(d.dropout, |s| s.parse().expect("dropout")),
                seed: std::env::var("SEED").map_or(1, |s| s.parse().expect("SEED")),
                ..d
            };
            let t0 = std::time::Instant::now();
            let bytes = train_segmenter_with(&read(&args[1]), &opt);
            eprintln!("{opt:?}: trained in {:.1?}", t0.elapsed());
            let dev = read(&args[2]);
            for k in -4..=4 {
                let delta = k as f32 * 0.5;
                let seg = Segmenter::from_model_bytes(&bytes)
                    .expect("model")
                    .with_bias(delta);
                let s = eval_segment(&dev, &seg);
                println!(
                    "bias {delta:+.1}: {}",
                    s.to_string().lines().last().unwrap_or("")
                );
            }
        }
        Some("eval") => {
            let seg = seg_from(args.get(2));
            println!("{}", eval_segment(&read(&args[1]), &seg));
        }
        Some("split") => {
            let mut text = String::new();
            std::io::stdin().read_to_string(&mut text).expect("stdin");
            let seg = seg_from(args.get(1));
            for para in text.split("\n\n") {
                for s in seg.sentences(para) {
                    println!("{s}");
                }
                println!();
            }
        }
        _ => eprintln!(
            "usage: segtool train TRAIN OUT [SEED] | eval FILE [MODEL|rules] | split [MODEL|rules]"
        ),
    }
}
