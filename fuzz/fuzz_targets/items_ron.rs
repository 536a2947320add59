//! Fuzz target `items_ron`: see `safeaware_fuzz::items_ron`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| safeaware_fuzz::items_ron(data));
