//! Train, evaluate and try the segmenter.
//!
//! ```text
//! cargo run --release -p annals-text --example segtool -- train TRAIN.conllu OUT.bin [SEED]
//! cargo run --release -p annals-text --example segtool -- eval FILE.conllu [MODEL.bin|rules]
//! cargo run --release -p annals-text --example segtool -- split < text
//! ```
use annals_text::{eval_segment, train_segmenter, Segmenter};
use std::io::Read;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let read = |p: &str| std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{p}: {e}"));
    let seg_from = |a: Option<&String>| match a.map(String::as_str) {
        None => Segmenter::new(),
        Some("rules") => Segmenter::rules_only(),
        Some(p) => {
            Segmenter::from_model_bytes(&std::fs::read(p).expect("model file")).expect("model")
        }
    };
    match args.first().map(String::as_str) {
        Some("train") => {
            let seed = args.get(3).map_or(1, |s| s.parse().expect("seed"));
            let bytes = train_segmenter(&read(&args[1]), seed);
            std::fs::write(&args[2], &bytes).expect("write model");
            eprintln!("wrote {} bytes to {}", bytes.len(), args[2]);
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
