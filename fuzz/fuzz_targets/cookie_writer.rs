#![no_main]

use embedded_cookie_fuzz::cookie_writer::{Pushes, check};

libfuzzer_sys::fuzz_target!(|pushes: Pushes<'_>| check(&pushes));
