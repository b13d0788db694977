//! The lenient Cookie header parser against the `cookie` crate (0.18,
//! `Cookie::split_parse`), on the inputs where both define the result.
//!
//! Known, documented differences, each excluded here explicitly:
//!
//! 1. `cookie` takes `&str` only: inputs that are not UTF-8 are skipped.
//! 2. `cookie` trims with `str::trim`, which removes every Unicode White_Space
//!    character (U+000B, U+000C, U+0085, U+00A0, U+2000..); this crate trims SP and
//!    HTAB only (RFC 6265bis §5.4 and RFC 9110 `OWS`). Inputs holding any White_Space
//!    character other than SP and HTAB are skipped.
//! 3. `cookie` accepts control bytes; this crate refuses them with
//!    `CookieErrorKind::ControlCharacter`. An input this crate refuses must be refused for
//!    that reason (limits are lifted here) and is then not compared.
//! 4. `cookie` yields `Err(MissingPair)` for a pair without `=` and `Err(EmptyName)`
//!    for `=v`; this crate skips both. Only `cookie`'s `Ok` items are compared, and
//!    its errors must be one of those two.
//!
//! Everything else must match: the same names and values (raw and without quotes),
//! in the same order.

use cookie::{Cookie, ParseError};
use embedded_cookie::{Config, CookieErrorKind, CookieHeader, Mode};

use crate::UNLIMITED;

/// Compares both parsers on `data`; see the module docs for what is excluded.
pub fn check(data: &[u8]) {
    let Ok(text) = core::str::from_utf8(data) else { return };
    if text.chars().any(|c| c.is_whitespace() && c != ' ' && c != '\t') {
        return;
    }
    for mode in [Mode::Lenient, Mode::Strict] {
        let ours = match CookieHeader::parse_with(text, &Config { mode, limits: UNLIMITED }) {
            Ok(h) => h,
            Err(_) if mode == Mode::Strict => continue,
            Err(e) => return assert_eq!(e.kind, CookieErrorKind::ControlCharacter, "{e}"),
        };
        let mut theirs = Vec::new();
        for item in Cookie::split_parse(text) {
            match item {
                Ok(c) => theirs.push((
                    c.name().to_owned(),
                    c.value().to_owned(),
                    c.value_trimmed().to_owned(),
                )),
                Err(ParseError::MissingPair | ParseError::EmptyName) => {}
                Err(e) => panic!("cookie refused {text:?}: {e}"),
            }
        }
        let ours: Vec<_> = ours
            .iter()
            .map(|c| {
                (
                    c.name_str().unwrap().to_owned(),
                    c.value_str().unwrap().to_owned(),
                    String::from_utf8(c.unquoted().to_vec()).unwrap(),
                )
            })
            .collect();
        assert_eq!(ours, theirs, "{text:?} ({mode:?})");
    }
}
