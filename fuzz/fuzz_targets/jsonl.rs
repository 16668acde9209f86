#![no_main]
//! `cargo +nightly fuzz run jsonl`: see annals_fuzz::jsonl for what it checks.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| annals_fuzz::jsonl(data));
