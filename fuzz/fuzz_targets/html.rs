#![no_main]
//! `cargo +nightly fuzz run html`: see annals_fuzz::html for what it checks.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| annals_fuzz::html(data));
