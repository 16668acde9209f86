//! From analysed documents to the records of the output contract.

use annals_model::output::{ActorRecord, DocumentRecord, Mention, QuotePart, QuoteRecord};
use annals_model::{Document, MentionHow, SidePlace, TextRange};

/// The contract's document record for a document.
pub fn document_record(doc: &Document) -> DocumentRecord {
    DocumentRecord {
        id: doc.id.0.clone(),
        source: doc.source.clone(),
        title: doc.title.clone(),
        published: doc.published.clone(),
        outlet: doc.outlet.clone(),
        url: doc.url.clone(),
        body: doc.body.clone(),
        paragraphs: doc.paragraphs.len(),
        sentences: doc.sentences.len(),
        tokens: doc.tokens.len(),
    }
}

/// The contract's actor records for the actors of one document, with that document's
/// mentions. The same actor in another document has the same id; [`merge_actor`] joins
/// them.
///
/// Aliases are the distinct surface forms of the mentions, pronouns left out, in order of
/// first appearance.
pub fn actor_records(doc: &Document) -> Vec<ActorRecord> {
    let mut out: Vec<ActorRecord> = doc
        .actors
        .iter()
        .map(|a| ActorRecord {
            id: a.id.clone(),
            name: a.name.clone(),
            kind: a.kind.as_str().to_string(),
            country: a.country.clone(),
            roles: a.roles.clone(),
            cameo: a.cameo.clone(),
            affiliation: a.affiliation.clone(),
            aliases: Vec::new(),
            named: a.named,
            mentions: Vec::new(),
        })
        .collect();
    let body = doc.mentions.iter().map(|m| (None, m.range, m.actor, m.how));
    let side = doc
        .side_mentions
        .iter()
        .map(|m| (Some(m.place), m.range, m.actor, m.how));
    for (place, range, actor, how) in body.chain(side) {
        let Some(rec) = out.get_mut(actor as usize) else {
            continue;
        };
        let text = match place {
            None => doc.body.get(range.as_usize()),
            Some(SidePlace::Title) => doc.title.as_deref().and_then(|t| t.get(range.as_usize())),
            Some(SidePlace::Caption) => doc.raw.get(range.as_usize()),
        };
        let Some(text) = text else {
            continue;
        };
        if how != MentionHow::Pronoun {
            // the form as written, and without its article ("the Assad regime", "Assad regime")
            for form in [Some(text), strip_article(text)].into_iter().flatten() {
                if !rec.aliases.iter().any(|a| a == form) {
                    rec.aliases.push(form.to_string());
                }
            }
        }
        rec.mentions.push(Mention {
            doc: doc.id.0.clone(),
            start: range.start,
            end: range.end,
            text: text.to_string(),
            place: place.map(|p| place_name(p).to_string()),
        });
    }
    out.retain(|r| !r.mentions.is_empty());
    out
}

/// The contract's quote records for the quotes of one document, direct and reported:
/// the body's in body order, then the headline's and the captions'. The speaker is the
/// actor's id; `text` is exactly the text between `start` and `end` of the body, or, with
/// `place`, of the headline (`title`) or the raw input (`caption`).
pub fn quote_records(doc: &Document) -> Vec<QuoteRecord> {
    let body = doc.quotes.iter().map(|q| (None, q));
    let side = doc.side_quotes.iter().map(|s| (Some(s.place), &s.quote));
    body.chain(side)
        .filter_map(|(place, q)| {
            let text = match place {
                None => doc.body.as_str(),
                Some(SidePlace::Title) => doc.title.as_deref()?,
                Some(SidePlace::Caption) => doc.raw.as_str(),
            };
            let slice = |r: TextRange| text.get(r.as_usize()).map(str::to_string);
            Some(QuoteRecord {
                doc: doc.id.0.clone(),
                speaker: q
                    .speaker
                    .and_then(|a| doc.actors.get(a as usize))
                    .map(|a| a.id.clone()),
                text: slice(q.range)?,
                direct: q.direct,
                cue: q.cue.and_then(slice),
                start: q.range.start,
                end: q.range.end,
                place: place.map(|p| place_name(p).to_string()),
                continued: q
                    .continued
                    .iter()
                    .filter_map(|&r| {
                        Some(QuotePart {
                            start: r.start,
                            end: r.end,
                            text: slice(r)?,
                        })
                    })
                    .collect(),
                how: q.how.as_str().to_string(),
                confidence: (q.confidence * 100.0).round() / 100.0,
            })
        })
        .collect()
}

/// The contract's name of a side text: `title` or `caption`.
fn place_name(p: SidePlace) -> &'static str {
    match p {
        SidePlace::Title => "title",
        SidePlace::Caption => "caption",
    }
}

/// A phrase without its leading article, when it has one.
fn strip_article(s: &str) -> Option<&str> {
    let (first, rest) = s.split_once(' ')?;
    matches!(first.to_ascii_lowercase().as_str(), "the" | "a" | "an")
        .then_some(rest)
        .filter(|r| !r.is_empty())
}

/// Join `more` (the same actor, from another document) into `into`: roles and aliases
/// are unioned in order, mentions appended.
pub fn merge_actor(into: &mut ActorRecord, more: ActorRecord) {
    for r in more.roles {
        if !into.roles.contains(&r) {
            into.roles.push(r);
        }
    }
    for a in more.aliases {
        if !into.aliases.contains(&a) {
            into.aliases.push(a);
        }
    }
    into.country = into.country.take().or(more.country);
    into.cameo = into.cameo.take().or(more.cameo);
    into.affiliation = into.affiliation.take().or(more.affiliation);
    into.mentions.extend(more.mentions);
}
