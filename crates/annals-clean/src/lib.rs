//! Cleaning: from a [`RawDoc`] to a [`Document`] with its clean body, headline,
//! publication date and outlet.
#![warn(missing_docs)]

pub mod dates;
pub mod html;
