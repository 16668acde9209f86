#![no_main]
//! `cargo +nightly fuzz run segment`: see annals_fuzz::segment for what it checks.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| annals_fuzz::segment(data));
