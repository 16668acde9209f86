//! The one trait that document-level analysis stages implement.

use crate::Document;

/// A pipeline stage that adds its analysis to a document in place: segmentation adds
/// sentences and tokens, the parser fills each token's [`crate::Syntax`], and so on.
///
/// Stages are shared across worker threads, so they hold only read-only state (models,
/// compiled matchers) and keep per-call scratch space local.
pub trait Annotate: Send + Sync {
    /// Add this stage's analysis to `doc`.
    fn annotate(&self, doc: &mut Document);

    /// A short name for reports (`annals bench` times each stage under it).
    fn name(&self) -> &'static str {
        "stage"
    }
}
