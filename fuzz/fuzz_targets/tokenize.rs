#![no_main]
//! `cargo +nightly fuzz run tokenize`: see annals_fuzz::tokenize for what it checks.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| annals_fuzz::tokenize(data));
