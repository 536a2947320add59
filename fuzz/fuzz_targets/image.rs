//! Fuzz target `image`: see `safeaware_fuzz::image`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| safeaware_fuzz::image(data));
