//! Fuzz target `journal`: see `safeaware_fuzz::journal`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| safeaware_fuzz::journal(data));
