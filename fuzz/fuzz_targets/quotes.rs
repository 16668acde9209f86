#![no_main]
//! `cargo +nightly fuzz run quotes`: see annals_fuzz::quotes for what it checks.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| annals_fuzz::quotes(data));
