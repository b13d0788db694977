#![no_main]

use embedded_cookie_fuzz::set_cookie_build::{CookieSpec, check};

libfuzzer_sys::fuzz_target!(|spec: CookieSpec<'_>| check(&spec));
