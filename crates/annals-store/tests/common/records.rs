//! Small hand-made records for the store's and the server's tests.

use annals_model::output::{ActorRecord, Mention};

/// A country actor with one mention: `alias`, where it first stands in `body`.
pub fn actor(id: &str, name: &str, doc: &str, body: &str, alias: &str) -> ActorRecord {
    let start = body.find(alias).expect("alias in body") as u32;
    ActorRecord {
        id: id.into(),
        name: name.into(),
        kind: "country".into(),
        country: None,
        roles: vec![],
        cameo: None,
        affiliation: None,
        aliases: vec![alias.into()],
        named: true,
        mentions: vec![Mention {
            doc: doc.into(),
            start,
            end: start + alias.len() as u32,
            text: alias.into(),
            place: None,
        }],
    }
}
