//! Hostile input for the Cookie header and cookie dates: every byte value in every
//! position, inputs far past the limits, and runs built to make a parser backtrack.
//! Each gives a typed error or the documented result, never a panic. That the work is
//! linear is shown by `work_grows_linearly` in `tests/hostile_work.rs`; `Set-Cookie`
//! lines have their own file, `tests/hostile_set_cookie.rs`.

mod hostile_common;

use embedded_cookie::date::{self, DateError, parse_cookie_date};
use embedded_cookie::head::{HeadFilter, Phase};
use embedded_cookie::policy::Policy;
use embedded_cookie::{Config, CookieError, CookieErrorKind, CookieHeader, Limits, Mode};
use hostile_common::{byte_values, is_ctl, trim};

type Pairs = Vec<(Vec<u8>, Vec<u8>)>;

const LENIENT: Config = Config::new();
const STRICT: Config = Config::strict();

fn pairs(h: &CookieHeader<'_>) -> Pairs {
    h.iter().map(|c| (c.name().to_vec(), c.value().to_vec())).collect()
}

/// The lenient mode of the `cookie` module docs, written as plainly as possible: the
/// first control byte is an error; otherwise split at `;`, cut at the first `=`, trim
/// SP and HTAB, skip pairs with no `=` or an empty name.
fn lenient_model(header: &[u8]) -> Result<Pairs, usize> {
    if let Some(at) = header.iter().position(|&b| is_ctl(b)) {
        return Err(at);
    }
    let mut out = Vec::new();
    for segment in header.split(|&b| b == b';') {
        let Some(eq) = segment.iter().position(|&b| b == b'=') else { continue };
        let name = trim(&segment[..eq]);
        if !name.is_empty() {
            out.push((name.to_vec(), trim(&segment[eq + 1..]).to_vec()));
        }
    }
    Ok(out)
}

/// RFC 6265 §4.2.1, written as plainly as possible: pairs joined by exactly `"; "`,
/// token names, cookie-octet values optionally in one pair of `"`, OWS at the ends.
fn strict_model(header: &[u8]) -> bool {
    let tchar = |b: &u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(b);
    let octet = |b: &u8| matches!(b, 0x21 | 0x23..=0x2B | 0x2D..=0x3A | 0x3C..=0x5B | 0x5D..=0x7E);
    let body = trim(header);
    !body.is_empty()
        && body.split(|&b| b == b';').enumerate().all(|(i, pair)| {
            let pair = if i == 0 { pair } else { pair.strip_prefix(b" ").unwrap_or(b";") };
            let Some(eq) = pair.iter().position(|&b| b == b'=') else { return false };
            let value = match &pair[eq + 1..] {
                [b'"', inner @ .., b'"'] => inner,
                value => value,
            };
            eq > 0 && pair[..eq].iter().all(tchar) && value.iter().all(octet)
        })
}

/// Checks both modes on `header`, with `changed` the offset of the hostile byte:
/// lenient mode gives what its model gives; strict mode accepts what RFC 6265
/// accepts, reads it as lenient mode does, and refuses the rest with an error inside
/// the header, a control character exactly when that byte is one. The strict error,
/// if any, is returned.
fn check_both_modes(header: &[u8], changed: usize) -> Option<CookieError> {
    let lenient = CookieHeader::parse_with(header, &LENIENT);
    match (&lenient, lenient_model(header)) {
        (Ok(h), Ok(want)) => assert_eq!(pairs(h), want, "{header:?}"),
        (Err(e), Err(at)) => {
            assert_eq!((e.kind, e.offset), (CookieErrorKind::ControlCharacter, at))
        }
        (got, want) => panic!("{header:?}: got {got:?}, want {want:?}"),
    }
    match CookieHeader::parse_with(header, &STRICT) {
        Ok(h) => {
            assert!(strict_model(header), "strict mode accepted {header:?}");
            assert_eq!(pairs(&h), pairs(&lenient.unwrap()), "{header:?}");
            None
        }
        Err(e) => {
            assert!(!strict_model(header), "strict mode refused {header:?}: {e}");
            assert!(e.offset <= header.len(), "{header:?}: {e}");
            assert_eq!(
                e.kind == CookieErrorKind::ControlCharacter,
                is_ctl(header[changed]),
                "{header:?}: {e}"
            );
            Some(e)
        }
    }
}

#[test]
fn every_byte_inserted_at_every_position_of_a_cookie_header() {
    let template = b"ab=cd; ef=\"gh\"";
    for at in 0..=template.len() {
        for b in byte_values() {
            let mut header = template.to_vec();
            header.insert(at, b);
            // The header was valid up to the new byte, so strict mode finds nothing
            // wrong before it, but for a quote the new byte left open.
            if let Some(e) = check_both_modes(&header, at) {
                assert!(
                    e.offset >= at || e.kind == CookieErrorKind::UnbalancedQuote,
                    "{header:?}: {e}"
                );
            }
        }
    }
}

#[test]
fn every_byte_in_place_of_every_byte_of_a_cookie_header() {
    let template = b"ab=cd; ef=\"gh\"";
    for at in 0..template.len() {
        for b in byte_values() {
            let mut header = template.to_vec();
            header[at] = b;
            check_both_modes(&header, at);
        }
    }
}

#[test]
fn every_byte_in_place_of_every_byte_of_a_cookie_date() {
    let template = b"Wed, 09 Jun 2021 10:18:14 GMT";
    let want = parse_cookie_date(template);
    assert_eq!(want, Ok(1_623_233_894));
    let is_delimiter =
        |b: u8| matches!(b, 0x09 | 0x20..=0x2F | 0x3B..=0x40 | 0x5B..=0x60 | 0x7B..=0x7E);
    for at in 0..template.len() {
        // The weekday and the zone are ignored whatever they hold, unless they start
        // with a digit; the delimiters are interchangeable.
        let ignored = !(3..26).contains(&at);
        for b in byte_values() {
            let mut input = *template;
            input[at] = b;
            let got = parse_cookie_date(&input);
            if let Ok(secs) = got {
                assert!((date::MIN..=date::MAX).contains(&secs));
            }
            if (ignored && !b.is_ascii_digit()) || (is_delimiter(template[at]) && is_delimiter(b)) {
                assert_eq!(got, want, "{:?}", String::from_utf8_lossy(&input));
            }
        }
    }
}

/// Limits lifted as far as `usize` goes, for inputs far past the defaults.
const UNLIMITED: Limits =
    Limits { max_header_len: usize::MAX, max_pairs: usize::MAX, max_pair_len: usize::MAX };

fn with(mode: Mode, limits: Limits) -> Config {
    Config { mode, limits }
}

fn err(input: &[u8], config: &Config) -> (CookieErrorKind, usize) {
    let e: CookieError = CookieHeader::parse_with(input, config).unwrap_err();
    (e.kind, e.offset)
}

#[test]
#[cfg_attr(miri, ignore = "large input")]
fn a_64_kib_header() {
    let mut header = b"big=".to_vec();
    header.resize(64 * 1024, b'v');
    let header_only = Limits { max_header_len: 64 * 1024, ..Limits::DEFAULT };
    for mode in [Mode::Lenient, Mode::Strict] {
        assert_eq!(
            err(&header, &with(mode, Limits::DEFAULT)),
            (CookieErrorKind::HeaderTooLong, 8192)
        );
        assert_eq!(err(&header, &with(mode, header_only)), (CookieErrorKind::PairTooLong, 0));
        let h = CookieHeader::parse_with(&header, &with(mode, UNLIMITED)).unwrap();
        assert_eq!(h.get("big").unwrap().value().len(), 64 * 1024 - 4);
    }
}

#[test]
#[cfg_attr(miri, ignore = "large input")]
fn ten_thousand_pairs() {
    let header: Vec<u8> =
        (0..10_000).map(|i| format!("c{i}={i}")).collect::<Vec<_>>().join("; ").into_bytes();
    let pair_181 = header.windows(6).position(|w| w == b"c180=1").unwrap();
    let header_only = Limits { max_header_len: usize::MAX, ..Limits::DEFAULT };
    for mode in [Mode::Lenient, Mode::Strict] {
        assert_eq!(
            err(&header, &with(mode, Limits::DEFAULT)),
            (CookieErrorKind::HeaderTooLong, 8192)
        );
        assert_eq!(
            err(&header, &with(mode, header_only)),
            (CookieErrorKind::TooManyPairs, pair_181)
        );
        let h = CookieHeader::parse_with(&header, &with(mode, UNLIMITED)).unwrap();
        assert_eq!((h.len(), h.iter().count()), (10_000, 10_000));
        assert_eq!(h.get("c9999").unwrap().value(), b"9999");
        assert_eq!(h.collect::<180>().unwrap_err().offset, pair_181);
    }
}

/// A head whose `Cookie` field holds a mebibyte of foreign cookies, fed one byte at
/// a time through a one-byte output: the filter's state stays the same size, and
/// the server sees the head with only the session.
#[test]
#[cfg_attr(miri, ignore = "large input")]
fn a_mebibyte_of_cookies_through_the_head_filter_a_byte_at_a_time() {
    let policy = Policy::<2>::load("sessionid | necessary").unwrap();
    let mut filter = HeadFilter::new(&policy).unwrap();
    let foreign: String = (0..1 << 20)
        .map(|i| match i % 16 {
            7 => '=',
            15 => ';',
            _ => 'x',
        })
        .collect();
    let head = format!("GET / HTTP/1.1\r\nCookie: {foreign}=; sessionid=s; {foreign}\r\n\r\n");
    let mut seen = Vec::new();
    let mut out = [0u8; 1];
    for byte in head.as_bytes().chunks(1) {
        let mut byte = byte;
        while !byte.is_empty() {
            let progress = filter.filter(byte, &mut out).unwrap();
            seen.extend_from_slice(&out[..progress.written]);
            byte = &byte[progress.read..];
        }
    }
    while let Ok(progress) = filter.filter(b"", &mut out) {
        if progress.written == 0 {
            break;
        }
        seen.extend_from_slice(&out[..progress.written]);
    }
    assert_eq!(seen, b"GET / HTTP/1.1\r\nCookie: sessionid=s\r\n\r\n");
    assert_eq!(filter.phase(), Phase::Idle);
}

#[test]
#[cfg_attr(miri, ignore = "large input")]
fn a_mebibyte_of_semicolons() {
    let header = vec![b';'; 1 << 20];
    for mode in [Mode::Lenient, Mode::Strict] {
        assert_eq!(
            err(&header, &with(mode, Limits::DEFAULT)),
            (CookieErrorKind::HeaderTooLong, 8192)
        );
    }
    // Lenient: nothing but empty pairs, all skipped. Strict: no name where one must be.
    assert!(CookieHeader::parse_with(&header, &with(Mode::Lenient, UNLIMITED)).unwrap().is_empty());
    assert_eq!(err(&header, &with(Mode::Strict, UNLIMITED)), (CookieErrorKind::InvalidName, 0));
}

#[test]
#[cfg_attr(miri, ignore = "large input")]
fn deep_runs_of_quotes_and_equals() {
    const N: usize = 100_000;
    let run = |prefix: &[u8], b: u8| [prefix, &vec![b; N][..]].concat();
    let quotes = run(b"", b'"');
    let equals = run(b"", b'=');
    let value_quotes = run(b"a=", b'"');
    let value_equals = run(b"a=", b'=');
    let alternating: Vec<u8> = b"a=".iter().chain(b"\"=".repeat(N / 2).iter()).copied().collect();
    let lenient =
        |h: &[u8]| pairs(&CookieHeader::parse_with(h, &with(Mode::Lenient, UNLIMITED)).unwrap());
    let strict =
        |h: &[u8]| CookieHeader::parse_with(h, &with(Mode::Strict, UNLIMITED)).map(|h| pairs(&h));
    // No `=`, or nothing before it: no cookie. Otherwise the run is the value, raw.
    assert_eq!(lenient(&quotes), []);
    assert_eq!(lenient(&equals), []);
    for header in [&value_quotes, &value_equals, &alternating] {
        assert_eq!(lenient(header), [(b"a".to_vec(), header[2..].to_vec())]);
    }
    let unquoted =
        CookieHeader::parse_with(&value_quotes, &with(Mode::Lenient, UNLIMITED)).unwrap();
    assert_eq!(unquoted.get("a").unwrap().unquoted().len(), N - 2);
    // Strict: `=` is a cookie-octet, `"` only a pair of quotes around the value.
    let strict_err = |h: &[u8]| strict(h).map_err(|e| (e.kind, e.offset));
    assert_eq!(strict_err(&quotes), Err((CookieErrorKind::InvalidName, 0)));
    assert_eq!(strict_err(&equals), Err((CookieErrorKind::InvalidName, 0)));
    assert_eq!(strict_err(&value_quotes), Err((CookieErrorKind::InvalidValue, 4)));
    assert_eq!(strict_err(&value_equals), Ok(lenient(&value_equals)));
    assert_eq!(strict_err(&alternating), Err((CookieErrorKind::InvalidValue, 5)));
}

#[test]
#[cfg_attr(miri, ignore = "large input")]
fn dates_of_ten_thousand_tokens() {
    let tokens = |token: &str| token.repeat(10_000).into_bytes();
    let cases: [(Vec<u8>, Result<i64, DateError>); 6] = [
        (tokens("1 "), Err(DateError::MissingTime)),
        (tokens("Jan "), Err(DateError::MissingTime)),
        (tokens("1:1:1 "), Err(DateError::MissingMonth)),
        (tokens(";"), Err(DateError::MissingTime)),
        ([tokens("x "), b"09 Jun 2021 10:18:14".to_vec()].concat(), Ok(1_623_233_894)),
        (tokens("Wed, 09 Jun 2021 10:18:14 GMT "), Ok(1_623_233_894)),
    ];
    for (input, want) in cases {
        assert_eq!(parse_cookie_date(&input), want, "{:?}", &input[..20]);
    }
}
