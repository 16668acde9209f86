//! The error type of this crate.

use std::path::PathBuf;

/// What can go wrong while loading a knowledge base or compiling its matcher.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A line of a TSV source is malformed.
    #[error("{source_name}:{line}: {message}")]
    Syntax {
        /// The source's name (a file name).
        source_name: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// A user TOML file does not follow the schema.
    #[error("{source_name}: {error}")]
    Toml {
        /// The source's name (a file name).
        source_name: String,
        /// The parser's message.
        error: toml::de::Error,
    },
    /// An entry is inconsistent: unknown country code, missing name, bad type…
    #[error("{source_name}: actor `{id}`: {message}")]
    Invalid {
        /// The source's name.
        source_name: String,
        /// The entry's id.
        id: String,
        /// What is wrong.
        message: String,
    },
    /// A date is not `YYYY-MM-DD`.
    #[error("bad date `{0}`: expected YYYY-MM-DD")]
    BadDate(String),
    /// A user file cannot be read.
    #[error("reading {path}: {error}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        error: std::io::Error,
    },
}

/// A `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
