//! Fuzz target `verdict_rules`: see `safeaware_fuzz::verdict_rules`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| safeaware_fuzz::verdict_rules(data));
