//! Helpers shared by the store's tests (and, by path, the server's).

pub mod records;
