//! Fuzz target `query`: see `safeaware_fuzz::query`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| safeaware_fuzz::query(data));
