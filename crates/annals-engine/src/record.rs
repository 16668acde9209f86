//! From analysed documents to the records of the output contract.

use annals_model::output::DocumentRecord;
use annals_model::Document;

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
