#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| embedded_cookie_fuzz::head::check(data));
