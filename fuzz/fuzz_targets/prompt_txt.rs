//! Fuzz target `prompt_txt`: see `safeaware_fuzz::prompt_txt`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| safeaware_fuzz::prompt_txt(data));
