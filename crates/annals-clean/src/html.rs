//! Main-content extraction from HTML pages.
