//! Fuzz target `config_ron`: see `safeaware_fuzz::config_ron`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| safeaware_fuzz::config_ron(data));
