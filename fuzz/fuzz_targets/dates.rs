#![no_main]
//! `cargo +nightly fuzz run dates`: see annals_fuzz::dates for what it checks.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| annals_fuzz::dates(data));
