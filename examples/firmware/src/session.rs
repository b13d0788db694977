//! Who is asking: the `Cookie` header of each request, read with the crate's
//! `CookieHeader`, gives the session and the language; the status LED shows whether the
//! request came from the signed-in session.

use defmt::{Format, Str, intern};
use embedded_cookie::{Config, CookieError, CookieErrorKind, CookieHeader, Limits, Mode};
use embedded_hal::digital::{OutputPin, StatefulOutputPin};
use httparse::Header;

use crate::checks::{Checks, check};
use crate::http;
use crate::led::StatusLed;
use crate::requests::{self, SESSION_ID};

/// A small device's limits: at most 8 cookies in at most 1 KiB.
pub const CONFIG: Config = Config {
    mode: Mode::Lenient,
    limits: Limits { max_header_len: 1024, max_pairs: 8, max_pair_len: 256 },
};

/// Most `Cookie` fields in one request.
const MAX_FIELDS: usize = 4;

/// What the device learns from a request's cookies.
#[derive(Debug, PartialEq, Format)]
pub struct Visitor<'a> {
    pub signed_in: bool,
    pub language: Option<&'a [u8]>,
    pub cookies: usize,
}

/// Reads the cookies of a request from its `Cookie` fields, read as one header.
///
/// Not inlined, so `scripts/footprint` can measure its stack.
#[inline(never)]
pub fn visitor<'a>(lines: &'a [&'a [u8]]) -> Result<Visitor<'a>, CookieError> {
    let header = CookieHeader::parse_lines(lines, &CONFIG)?;
    Ok(Visitor {
        signed_in: header
            .get("sessionid")
            .is_some_and(|c| same_secret(c.value(), SESSION_ID.as_bytes())),
        language: header.get("django_language").map(|c| c.value()),
        cookies: header.len(),
    })
}

/// Compares two secrets in time that depends on their lengths only: no early exit on
/// the first differing byte, so timing does not reveal how much of a guess was right.
pub fn same_secret(a: &[u8], b: &[u8]) -> bool {
    let mut diff = u8::from(a.len() != b.len());
    for (x, y) in a.iter().zip(b) {
        diff |= x ^ y;
    }
    diff == 0
}

/// The values of the `Cookie` fields among `headers`, or `None` when there are more than the device reads.
pub fn cookie_fields<'a>(headers: &[Header<'a>]) -> Option<heapless::Vec<&'a [u8], MAX_FIELDS>> {
    let mut lines = heapless::Vec::new();
    for field in headers.iter().filter(|h| h.name.eq_ignore_ascii_case("cookie")) {
        lines.push(field.value).ok()?;
    }
    Some(lines)
}

/// The checks [`run`] makes: three for each of the six requests.
pub const CHECKS: u32 = 6 * 3;

/// Serves every request of the session story and checks what was read and the LED.
pub fn run(checks: &mut Checks, led: &mut StatusLed) {
    let mut case = |name, raw, want| serve(checks, led, name, raw, want);
    case(
        intern!("first visit: no cookie"),
        requests::FIRST_VISIT,
        Ok(Visitor { signed_in: false, language: None, cookies: 0 }),
    );
    case(
        intern!("signed in, language de"),
        requests::SIGNED_IN,
        Ok(Visitor { signed_in: true, language: Some(b"de"), cookies: 3 }),
    );
    case(
        intern!("look-alike names are not the session"),
        requests::LOOKALIKE,
        Ok(Visitor { signed_in: false, language: None, cookies: 2 }),
    );
    case(
        intern!("forged session id"),
        requests::FORGED,
        Ok(Visitor { signed_in: false, language: None, cookies: 1 }),
    );
    case(
        intern!("two Cookie fields read as one header"),
        requests::SPLIT,
        Ok(Visitor { signed_in: true, language: Some(b"fr"), cookies: 2 }),
    );
    case(
        intern!("ninth cookie: the limit, at its offset"),
        requests::TOO_MANY,
        Err(CookieError { kind: CookieErrorKind::TooManyPairs, line: 0, offset: 40 }),
    );
}

fn serve(
    checks: &mut Checks,
    led: &mut StatusLed,
    name: Str,
    raw: &[u8],
    want: Result<Visitor<'_>, CookieError>,
) {
    checks.case(name);
    let mut storage = http::headers();
    let lines = http::receive(raw, &mut storage).and_then(cookie_fields);
    check!(checks, "request and its Cookie fields read", lines.is_some(), true);
    let Some(lines) = lines else { return };
    let got = visitor(&lines);
    let Ok(()) = led.set_state(got.as_ref().is_ok_and(|v| v.signed_in).into());
    let Ok(lit) = led.is_set_high();
    let want_lit = want.as_ref().is_ok_and(|v| v.signed_in);
    check!(checks, "cookies", got, want);
    check!(checks, "LED lit iff signed in", lit, want_lit);
}
