//! Time the bundled knowledge base's build and the actor stage's people index:
//! `cargo run --release -p annals-actors --example load_time`.
use std::time::Instant;

fn main() {
    let t = Instant::now();
    let kb = annals_actors::KnowledgeBase::bundled();
    let built = t.elapsed();
    let t = Instant::now();
    let stage = annals_actors::ActorStage::bundled();
    let people = t.elapsed();
    println!(
        "knowledge base ({} entries): {:.1} ms; actor stage (people index): {:.1} ms",
        kb.entries().len(),
        built.as_secs_f64() * 1e3,
        people.as_secs_f64() * 1e3
    );
    drop(stage);
}
