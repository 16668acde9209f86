#![no_main]
//! `cargo +nightly fuzz run text`: see annals_fuzz::text for what it checks.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| annals_fuzz::text(data));
