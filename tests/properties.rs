//! Property tests of the Cookie header parser and of cookie dates.

use embedded_cookie::date::{self, ImfFixdate, parse_cookie_date};
use embedded_cookie::{Config, CookieErrorKind, CookieHeader, Mode};
use proptest::prelude::*;

/// Header bytes: anything, or pairs of short tokens, values and hostile bytes
/// (quotes, `=`, spaces, control bytes, bytes above ASCII) joined by `;` with
/// and without spaces, so that many-pair headers and every separator are common.
fn header_bytes() -> impl Strategy<Value = Vec<u8>> {
    let piece = r#"(?s-u:[a-z"= ,\\\x00-\x1f\x7f\x80-\xff]{0,6})"#;
    let pairs = proptest::collection::vec(
        (
            proptest::string::bytes_regex(piece).unwrap(),
            prop_oneof![Just("; "), Just(";"), Just(" ;"), Just(";;")],
        ),
        0..16,
    )
    .prop_map(|pairs| {
        pairs.into_iter().flat_map(|(p, sep)| [p, sep.as_bytes().to_vec()].concat()).collect()
    });
    prop_oneof![proptest::collection::vec(any::<u8>(), 0..300), pairs]
}

/// A byte that breaks the RFC 6265 grammar wherever it stands: neither a `tchar`
/// nor a `cookie-octet` nor a separator (`;`, `=`, SP, `"`, HTAB).
fn offending_byte() -> impl Strategy<Value = u8> {
    prop_oneof![Just(b','), Just(b'\\'), 0x00..=0x08u8, 0x0a..=0x1fu8, Just(0x7f), 0x80..=0xffu8]
}

/// An RFC 6265 `token`.
fn token() -> impl Strategy<Value = String> {
    "[!#$%&'*+.^_`|~0-9A-Za-z-]{1,16}"
}

/// An RFC 6265 `cookie-value`: cookie-octets, optionally in one pair of quotes.
fn cookie_value() -> impl Strategy<Value = String> {
    let octets = "[!#-+\\--:<-\\[\\]-~]{0,24}";
    prop_oneof![octets.prop_map(|v| v), octets.prop_map(|v| format!("\"{v}\""))]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    /// No byte string panics, in either mode; every cookie's offsets point at its
    /// own bytes; no value holds `;` or a control byte.
    #[test]
    fn any_bytes_give_a_result(input in header_bytes(), strict in any::<bool>()) {
        let config = Config { mode: if strict { Mode::Strict } else { Mode::Lenient }, ..Config::new() };
        match CookieHeader::parse_with(&input, &config) {
            Ok(h) => {
                prop_assert_eq!(h.iter().count(), h.len());
                for c in &h {
                    prop_assert_eq!(&input[c.offset()..c.offset() + c.name().len()], c.name());
                    prop_assert_eq!(&input[c.value_offset()..c.value_offset() + c.value().len()], c.value());
                    prop_assert!(!c.value().iter().any(|&b| b == b';' || (b < 0x20 && b != b'\t') || b == 0x7f));
                }
            }
            Err(e) => prop_assert!(e.offset <= input.len()),
        }
    }

    /// Bytes without `;` or control bytes never fail in lenient mode.
    #[test]
    fn lenient_accepts_all_but_controls(input in "[^;\\x00-\\x08\\x0a-\\x1f\\x7f]{0,200}") {
        prop_assert!(CookieHeader::parse(&input).is_ok());
    }

    /// Valid pairs written as a header parse back to the same pairs, in both modes.
    #[test]
    fn written_pairs_parse_back(pairs in proptest::collection::vec((token(), cookie_value()), 1..20)) {
        let header = pairs.iter().map(|(n, v)| format!("{n}={v}")).collect::<Vec<_>>().join("; ");
        for config in [Config::new(), Config::strict()] {
            let h = CookieHeader::parse_with(&header, &config).unwrap();
            let got: Vec<(String, String)> = h
                .iter()
                .map(|c| (c.name_str().unwrap().to_owned(), c.value_str().unwrap().to_owned()))
                .collect();
            prop_assert_eq!(&got, &pairs);
        }
    }

    /// Splitting a header into lines at its separators changes nothing but positions.
    #[test]
    fn lines_read_like_one_header(pairs in proptest::collection::vec((token(), cookie_value()), 1..10)) {
        let lines: Vec<String> = pairs.iter().map(|(n, v)| format!("{n}={v}")).collect();
        let joined = lines.join("; ");
        let line_bytes: Vec<&[u8]> = lines.iter().map(|l| l.as_bytes()).collect();
        let one = CookieHeader::parse_with(&joined, &Config::strict()).unwrap();
        let many = CookieHeader::parse_lines(&line_bytes, &Config::strict()).unwrap();
        prop_assert!(one.iter().map(|c| (c.name(), c.value())).eq(many.iter().map(|c| (c.name(), c.value()))));
    }

    /// A strict error always names a byte inside the input, or its end.
    #[test]
    fn strict_errors_point_inside(input in "[a-z=; \"\\\\,\\t]{0,60}") {
        if let Err(e) = CookieHeader::parse_with(&input, &Config::strict()) {
            prop_assert!(e.offset <= input.len());
            prop_assert!(e.kind != CookieErrorKind::ControlCharacter);
        }
    }

    /// One offending byte put anywhere in a valid strict header is the error, at
    /// its own offset: a control byte as `ControlCharacter`, any other as the part
    /// of the grammar it breaks.
    #[test]
    fn strict_error_points_at_the_offending_byte(
        pairs in proptest::collection::vec((token(), cookie_value()), 1..8),
        at in any::<prop::sample::Index>(),
        bad in offending_byte(),
    ) {
        let mut header = pairs.iter().map(|(n, v)| format!("{n}={v}")).collect::<Vec<_>>().join("; ").into_bytes();
        let at = at.index(header.len() + 1);
        header.insert(at, bad);
        let e = CookieHeader::parse_with(&header, &Config::strict()).unwrap_err();
        prop_assert_eq!(e.offset, at, "{:?} in {:?}", e.kind, String::from_utf8_lossy(&header));
        let control = bad < 0x20 || bad == 0x7f;
        let part = [CookieErrorKind::InvalidName, CookieErrorKind::InvalidValue, CookieErrorKind::InvalidSeparator];
        prop_assert!(if control { e.kind == CookieErrorKind::ControlCharacter } else { part.contains(&e.kind) }, "{:?}", e.kind);
    }

    /// Every moment an IMF-fixdate can hold is written as the `time` crate writes
    /// it, and read back unchanged, from ours and from its.
    #[test]
    fn imf_fixdate_agrees_with_the_time_crate(secs in date::MIN..=date::MAX) {
        let text = ImfFixdate::new(secs).unwrap().to_string();
        let oracle = time_crate_fixdate(secs);
        prop_assert_eq!(&text, &oracle);
        prop_assert_eq!(parse_cookie_date(text.as_bytes()), Ok(secs));
        prop_assert_eq!(parse_cookie_date(oracle.as_bytes()), Ok(secs));
    }

    /// Any bytes give a date in range or an error.
    #[test]
    fn any_bytes_give_a_date_or_an_error(input in proptest::collection::vec(any::<u8>(), 0..200)) {
        if let Ok(secs) = parse_cookie_date(&input) {
            prop_assert!((date::MIN..=date::MAX).contains(&secs));
        }
    }
}

/// `secs` as an IMF-fixdate, by the `time` crate's calendar.
fn time_crate_fixdate(secs: i64) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp(secs).unwrap();
    format!(
        "{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT",
        &t.weekday().to_string()[..3],
        t.day(),
        &t.month().to_string()[..3],
        t.year(),
        t.hour(),
        t.minute(),
        t.second()
    )
}
