//! Print the role of every line of a plain-text scrape: `cargo run -p annals-clean --example roles FILE`.
fn main() {
    for path in std::env::args().skip(1) {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let s = annals_clean::scrape::analyze(&text);
        println!(
            "== {path}\n   title: {:?}\n   published: {:?}\n   outlet: {:?}",
            s.title,
            s.published.map(|d| d.to_string()),
            s.outlet
        );
        for l in &s.lines {
            if l.role != annals_clean::scrape::Role::Blank {
                let t: String = l.text.chars().take(70).collect();
                println!("{:>3} {:<24} {t}", l.no, format!("{:?}", l.role));
            }
        }
    }
}
