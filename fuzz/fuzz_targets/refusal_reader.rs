//! Fuzz target `refusal_reader`: see `safeaware_fuzz::refusal_reader`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| safeaware_fuzz::refusal_reader(data));
