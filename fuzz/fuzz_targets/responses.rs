//! Fuzz target `responses`: see `safeaware_fuzz::responses`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| safeaware_fuzz::responses(data));
