//! Print counts of the bundled knowledge base: entries by type, aliases, people with
//! roles, role keys and tenures, compiled patterns and automaton memory.
//!
//! ```sh
//! cargo run -p annals-actors --example kb_stats
//! ```

use annals_actors::{ActorKind, KnowledgeBase};
use std::collections::BTreeMap;

fn main() {
    let t = std::time::Instant::now();
    let kb = KnowledgeBase::bundled();
    let built = t.elapsed();
    let mut by_kind: BTreeMap<&str, usize> = BTreeMap::new();
    let (mut aliases, mut holders, mut tenures, mut gendered) = (0, 0, 0, 0);
    for e in kb.entries() {
        *by_kind.entry(e.kind.as_str()).or_default() += 1;
        aliases += e.aliases.len();
        if !e.roles.is_empty() {
            holders += 1;
            tenures += e.roles.len();
        }
        if e.kind == ActorKind::Person && e.gender.is_some() {
            gendered += 1;
        }
    }
    println!("entries: {}", kb.entries().len());
    for (k, n) in by_kind {
        println!("  {k}: {n}");
    }
    println!("aliases: {aliases}");
    println!(
        "office holders: {holders} people, {tenures} tenures, {} role keys",
        kb.role_keys().count()
    );
    println!("people with gender: {gendered}");
    println!(
        "patterns: {}, automata: {} KB, built in {built:?}",
        kb.matcher().pattern_count(),
        kb.matcher().memory_usage() >> 10
    );
}
