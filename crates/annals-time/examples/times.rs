//! Print the time expressions in each line of standard input, resolved in the past tense.
//!
//! `cargo run -p annals-time --example times -- 2015-09-29 < article.txt`

use std::io::BufRead;

use annals_time::{scan, Date, Tense};

fn main() {
    let published = std::env::args().nth(1).and_then(|s| Date::parse(&s));
    for line in std::io::stdin().lock().lines().map_while(Result::ok) {
        for e in scan(&line) {
            let r = e.resolve(published, Tense::Past);
            let shown = r.map_or("-".to_string(), |r| {
                format!("{} {}", r.start, r.precision.as_str())
            });
            println!("{:<28} {shown}", &line[e.range.clone()]);
        }
    }
}
