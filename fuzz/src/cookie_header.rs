//! `CookieHeader::parse_with` and `CookieHeader::parse_lines`, in both modes.

use embedded_cookie::{Config, Cookie, CookieError, CookieErrorKind, CookieHeader, Limits, Mode};

use crate::is_ows;

/// Limits small enough that fuzz inputs reach every one of them.
pub const SMALL: Limits = Limits { max_header_len: 512, max_pairs: 8, max_pair_len: 64 };

/// Every mode with the default limits and with [`SMALL`].
pub const CONFIGS: [Config; 4] = [
    Config { mode: Mode::Lenient, limits: Limits::DEFAULT },
    Config { mode: Mode::Strict, limits: Limits::DEFAULT },
    Config { mode: Mode::Lenient, limits: SMALL },
    Config { mode: Mode::Strict, limits: SMALL },
];

/// `data` as one header value, in every configuration.
pub fn check(data: &[u8]) {
    for limits in [Limits::DEFAULT, SMALL] {
        let lenient = Config { mode: Mode::Lenient, limits };
        let strict = Config { mode: Mode::Strict, limits };
        let l = CookieHeader::parse_with(data, &lenient);
        let s = CookieHeader::parse_with(data, &strict);
        check_result(data, &lenient, &l);
        check_result(data, &strict, &s);
        if let Ok(s) = s {
            let l = l.expect("strict mode accepted what lenient mode refused");
            assert!(s.iter().eq(l.iter()), "strict and lenient read different cookies");
        }
    }
}

/// `data` split at `\n` into header lines (a `\n` can never be inside one), in every
/// configuration: the lines read as the lines read one by one, in order.
pub fn check_lines(data: &[u8]) {
    let lines: Vec<&[u8]> = data.split(|&b| b == b'\n').collect();
    for config in &CONFIGS {
        let alone: Vec<_> = lines.iter().map(|l| CookieHeader::parse_with(*l, config)).collect();
        match CookieHeader::parse_lines(&lines, config) {
            Ok(h) => {
                assert_eq!(h.iter().count(), h.len());
                assert!(h.len() <= config.limits.max_pairs);
                for c in &h {
                    check_cookie(lines[c.line()], c.line(), config, &c);
                }
                let each = alone.iter().enumerate().flat_map(|(i, r)| {
                    let h = r.as_ref().expect("a line of a valid header was refused alone");
                    h.iter().map(move |c| (i, c.name(), c.value(), c.offset(), c.value_offset()))
                });
                assert!(
                    h.iter()
                        .map(|c| (c.line(), c.name(), c.value(), c.offset(), c.value_offset()))
                        .eq(each)
                );
            }
            Err(e) => {
                let line = lines.get(e.line).expect("error names a line that does not exist");
                assert!(e.offset <= line.len(), "{e:?} past the end of its line");
                for earlier in &alone[..e.line] {
                    assert!(earlier.is_ok(), "a line before the failing one was refused alone");
                }
                // The limits on the whole header are reached later than on a line alone.
                if !matches!(e.kind, CookieErrorKind::HeaderTooLong | CookieErrorKind::TooManyPairs)
                {
                    let alone = alone[e.line].as_ref().expect_err("the failing line passed alone");
                    assert_eq!((alone.kind, alone.offset), (e.kind, e.offset));
                }
            }
        }
    }
}

fn check_result(input: &[u8], config: &Config, result: &Result<CookieHeader<'_>, CookieError>) {
    match result {
        Ok(h) => {
            assert_eq!(h.iter().count(), h.len());
            assert_eq!(h.is_empty(), h.len() == 0);
            assert!(h.len() <= config.limits.max_pairs, "more cookies than the limit");
            assert!(!input.iter().copied().any(is_ctl), "a control byte was accepted");
            for c in h {
                check_cookie(input, 0, config, &c);
                let first = h.get(c.name()).expect("a cookie's own name finds nothing");
                assert!(first.offset() <= c.offset() && first.name() == c.name());
                assert!(h.count(c.name()) >= 1);
            }
            match h.collect::<8>() {
                Ok(all) => assert!(all.iter().copied().eq(h.iter())),
                Err(e) => {
                    assert_eq!(e.kind, CookieErrorKind::CapacityExceeded);
                    assert_eq!(Some(e.offset), h.iter().nth(8).map(|c| c.offset()));
                }
            }
        }
        Err(e) => check_error(input, config, e),
    }
}

/// A cookie is the bytes at its offsets, trimmed, free of `;` and control bytes,
/// within the limits; in strict mode it follows the RFC 6265 grammar.
fn check_cookie(line: &[u8], index: usize, config: &Config, c: &Cookie<'_>) {
    let (name, value) = (c.name(), c.value());
    assert_eq!(c.line(), index);
    assert_eq!(line.get(c.offset()..c.offset() + name.len()), Some(name), "name offset");
    assert_eq!(
        line.get(c.value_offset()..c.value_offset() + value.len()),
        Some(value),
        "value offset"
    );
    let between = &line[c.offset() + name.len()..c.value_offset()];
    assert_eq!(
        between.iter().filter(|&&b| !is_ows(b)).collect::<Vec<_>>(),
        [&b'='],
        "between name and value"
    );
    assert!(!name.is_empty() && !name.contains(&b'='));
    for part in [name, value] {
        assert!(!part.iter().any(|&b| b == b';' || is_ctl(b)), "`;` or a control byte in {part:?}");
        assert!(
            !part.first().is_some_and(|&b| is_ows(b)) && !part.last().is_some_and(|&b| is_ows(b))
        );
    }
    assert!(name.len() + value.len() <= config.limits.max_pair_len, "cookie longer than the limit");
    match value {
        [b'"', inner @ .., b'"'] => assert_eq!(c.unquoted(), inner),
        _ => assert_eq!(c.unquoted(), value),
    }
    if config.mode == Mode::Strict {
        assert!(name.iter().all(|&b| is_tchar(b)), "strict name {name:?}");
        let octets = match value {
            [b'"', inner @ .., b'"'] => inner,
            _ => value,
        };
        assert!(octets.iter().all(|&b| is_cookie_octet(b)), "strict value {value:?}");
        assert!(c.name_str().is_some() && c.value_str().is_some());
    }
}

/// An error is inside the input, of a kind the mode can give, and a limit error is
/// where the limit was reached: lifting that limit finds what exceeded it there.
fn check_error(input: &[u8], config: &Config, e: &CookieError) {
    use CookieErrorKind::*;
    assert_eq!(e.line, 0);
    assert!(e.offset <= input.len(), "{e:?} past the end of {} bytes", input.len());
    let limits = config.limits;
    match e.kind {
        ControlCharacter => assert!(is_ctl(input[e.offset]), "{e:?} names no control byte"),
        HeaderTooLong => {
            assert!(input.len() > limits.max_header_len);
            assert_eq!(e.offset, limits.max_header_len);
        }
        TooManyPairs => {
            let lifted = Config { limits: Limits { max_pairs: usize::MAX, ..limits }, ..*config };
            match CookieHeader::parse_with(input, &lifted) {
                Ok(h) => {
                    assert_eq!(h.iter().nth(limits.max_pairs).map(|c| c.offset()), Some(e.offset))
                }
                Err(later) => assert!(later.offset >= e.offset),
            }
        }
        PairTooLong => {
            let lifted =
                Config { limits: Limits { max_pair_len: usize::MAX, ..limits }, ..*config };
            match CookieHeader::parse_with(input, &lifted) {
                Ok(h) => {
                    let c =
                        h.iter().find(|c| c.offset() == e.offset).expect("no cookie at the error");
                    assert!(c.name().len() + c.value().len() > limits.max_pair_len);
                }
                Err(later) => assert!(later.offset >= e.offset),
            }
        }
        kind => {
            assert_eq!(config.mode, Mode::Strict, "lenient mode gave {kind:?}");
            // A control byte is reported as such wherever strict mode meets it.
            let at = input.get(e.offset).copied();
            assert!(!at.is_some_and(is_ctl), "{e:?} names a control byte");
        }
    }
}

/// A control byte other than HTAB.
pub fn is_ctl(b: u8) -> bool {
    (b < 0x20 && b != b'\t') || b == 0x7f
}

fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

fn is_cookie_octet(b: u8) -> bool {
    matches!(b, 0x21 | 0x23..=0x2B | 0x2D..=0x3A | 0x3C..=0x5B | 0x5D..=0x7E)
}
