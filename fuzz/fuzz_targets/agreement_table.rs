//! Fuzz target `agreement_table`: see `safeaware_fuzz::agreement_table`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| safeaware_fuzz::agreement_table(data));
