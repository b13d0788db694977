#![no_main]

use embedded_cookie_fuzz::set_cookie_build::{Spec, check};

libfuzzer_sys::fuzz_target!(|spec: Spec<'_>| check(&spec));
