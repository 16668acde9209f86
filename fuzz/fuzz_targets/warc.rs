#![no_main]
//! `cargo +nightly fuzz run warc`: see annals_fuzz::warc for what it checks.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| annals_fuzz::warc(data));
