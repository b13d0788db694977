//! `SetCookie::parse_with` under both rule sets, and the builder it hands back.

use embedded_cookie::date;
use embedded_cookie::set_cookie::{
    BuildError, COOKIE_AGE_LIMIT, MAX_ATTRIBUTE_VALUE_LEN, MAX_NAME_VALUE_LEN, Prefix, SetCookie,
    SetCookieError, Spec,
};

use crate::cookie_header::is_ctl;
use crate::set_cookie_build::{Fields, builder_rules_broken, prefix_rule_broken};
use crate::{is_ows, offset_in};

/// Moments a line may be received at, the ends of `i64` included.
const NOWS: [i64; 6] = [i64::MIN, date::MIN, -1, 0, 1_700_000_000, i64::MAX];

/// `data` as one `Set-Cookie` value under both rule sets.
pub fn check(data: &[u8]) {
    let bis = SetCookie::parse_with(data, Spec::Rfc6265bis);
    let old = SetCookie::parse_with(data, Spec::Rfc6265);
    for (rules, result) in [(Spec::Rfc6265bis, &bis), (Spec::Rfc6265, &old)] {
        match result {
            Ok(c) => check_cookie(data, rules, c),
            Err(e) => check_ignored(data, rules, *e),
        }
    }
    // Both read the name-value pair and split the attributes the same way, and agree
    // on the flags unless an attribute value is over 1024 bytes, which only RFC
    // 6265bis ignores (`Secure=<1025 bytes>` is `Secure` under RFC 6265 alone).
    if let (Ok(b), Ok(o)) = (&bis, &old) {
        assert_eq!((b.name(), b.value()), (o.name(), o.value()));
        assert!(b.attributes().eq(o.attributes()));
        let long = o.attributes().any(|a| a.value().len() > MAX_ATTRIBUTE_VALUE_LEN);
        if !long {
            assert_eq!(
                (b.secure(), b.http_only(), b.partitioned()),
                (o.secure(), o.http_only(), o.partitioned())
            );
        }
    }
}

fn check_cookie(line: &[u8], rules: Spec, c: &SetCookie<'_>) {
    let bis = rules == Spec::Rfc6265bis;
    assert_eq!(c.spec(), rules);
    let pair_end = line.iter().position(|&b| b == b';').unwrap_or(line.len());
    for part in [c.name(), c.value()] {
        assert!(
            part.is_empty() || offset_in(line, part).is_some_and(|at| at + part.len() <= pair_end),
            "{part:?} outside the pair"
        );
        assert!(
            !part.first().copied().is_some_and(is_ows) && !part.last().copied().is_some_and(is_ows)
        );
    }
    assert!(!c.name().contains(&b'='), "`=` in the name");
    if bis {
        assert!(!line.iter().copied().any(is_ctl), "a control byte was kept");
        assert!(!(c.name().is_empty() && c.value().is_empty()));
        assert!(c.name().len() + c.value().len() <= MAX_NAME_VALUE_LEN);
    } else {
        assert!(!c.name().is_empty());
    }
    for a in c.attributes() {
        for part in [a.name(), a.value()] {
            assert!(part.is_empty() || offset_in(line, part).is_some_and(|at| at >= pair_end));
            assert!(!part.contains(&b';'));
            assert!(
                !part.first().copied().is_some_and(is_ows)
                    && !part.last().copied().is_some_and(is_ows)
            );
        }
        assert!(!(a.name().is_empty() && a.value().is_empty()), "an empty cookie-av listed");
        assert!(!a.name().contains(&b'='));
    }
    // `unknown()` against the attribute names RFC 6265bis defines, listed here.
    let known = |name: &[u8]| KNOWN.iter().any(|k| name.eq_ignore_ascii_case(k));
    assert!(c.unknown().eq(c.attributes().filter(|a| !known(a.name()))));
    if let Some(domain) = c.domain() {
        assert!(!domain.is_empty() && offset_in(line, domain).is_some());
    }
    assert!(c.path().is_none_or(|p| p.starts_with(b"/")));
    assert!(c.expires().is_none_or(|at| (date::MIN..=date::MAX).contains(&at)));
    for now in NOWS {
        let Some(at) = c.expiry_time(now) else {
            assert!(c.expires().is_none() && c.max_age().is_none());
            continue;
        };
        assert!((date::MIN..=date::MAX).contains(&at));
        if bis {
            assert!(
                at <= now.saturating_add(COOKIE_AGE_LIMIT).max(date::MIN),
                "past the age limit"
            );
        }
    }
    match c.check_prefix() {
        Ok(Some(Prefix::Host)) => {
            assert!(c.secure() && c.path() == Some(b"/") && c.domain().is_none());
        }
        Ok(Some(Prefix::Secure)) => assert!(c.secure()),
        Ok(None) => assert!(Prefix::of(c.name()).is_none()),
        Err(_) => {}
    }
    assert_eq!(c.check_prefix().err(), prefix_rule_broken(&fields_of(c)), "prefix rules");
    check_rebuilt(c);
}

/// The attribute names RFC 6265bis gives a meaning, the ones `kind()` knows.
const KNOWN: [&[u8]; 9] = [
    b"expires",
    b"max-age",
    b"domain",
    b"path",
    b"secure",
    b"httponly",
    b"samesite",
    b"partitioned",
    b"priority",
];

/// What `to_builder` hands the builder: the parsed fields, a negative Max-Age as 0.
fn fields_of<'a>(c: &SetCookie<'a>) -> Fields<'a> {
    Fields {
        name: c.name(),
        value: c.value(),
        domain: c.domain(),
        path: c.path(),
        max_age: c.max_age().map(|s| s.max(0)),
        secure: c.secure(),
        same_site: c.same_site(),
        partitioned: c.partitioned(),
    }
}

/// A parsed line turned back into a builder writes a header that reads the same
/// when the cookie breaks none of the builder's rules, and is refused with one of
/// the rules it breaks otherwise.
///
/// A parsed `Domain` is handed to the builder exactly: a line with `Domain=..x` reads
/// as domain `.x`, which must be refused (`InvalidDomain`), never widened to `x`.
fn check_rebuilt(c: &SetCookie<'_>) {
    let mut broken = builder_rules_broken(&fields_of(c));
    let dotted = c.domain().is_some_and(|d| d.starts_with(b"."));
    if dotted && !broken.contains(&BuildError::InvalidDomain) {
        broken.push(BuildError::InvalidDomain);
    }
    let header = match c.to_builder().to_heapless::<8192>() {
        Ok(header) => header,
        Err(e) => {
            assert!(broken.contains(&e), "refused with {e:?}; the cookie breaks {broken:?}");
            return;
        }
    };
    assert!(broken.is_empty(), "built, though the cookie breaks {broken:?}");
    let again = SetCookie::parse(header.as_bytes()).expect("a built header was ignored");
    assert_eq!((again.name(), again.value()), (c.name(), c.value()));
    assert_eq!(again.max_age(), c.max_age().map(|s| s.max(0)));
    assert_eq!(again.expires(), c.expires());
    assert_eq!(
        again.domain().map(<[u8]>::to_ascii_lowercase),
        c.domain().map(<[u8]>::to_ascii_lowercase)
    );
    assert_eq!(again.path(), c.path());
    assert_eq!(
        (
            again.secure(),
            again.http_only(),
            again.same_site(),
            again.partitioned(),
            again.priority()
        ),
        (c.secure(), c.http_only(), c.same_site(), c.partitioned(), c.priority())
    );
    assert_eq!(again.unknown().count(), 0);
}

/// Each reason to ignore a line belongs to one rule set and holds for the line.
fn check_ignored(line: &[u8], rules: Spec, e: SetCookieError) {
    let bis = rules == Spec::Rfc6265bis;
    let pair = &line[..line.iter().position(|&b| b == b';').unwrap_or(line.len())];
    match e {
        SetCookieError::ControlCharacter => assert!(bis && line.iter().copied().any(is_ctl)),
        SetCookieError::MissingEquals => assert!(!bis && !pair.contains(&b'=')),
        SetCookieError::EmptyName => {
            let name = pair.split(|&b| b == b'=').next().unwrap_or_default();
            assert!(!bis && name.iter().all(|&b| is_ows(b)), "a name was read");
        }
        SetCookieError::EmptyNameAndValue => {
            assert!(bis && pair.iter().all(|&b| b == b'=' || is_ows(b)))
        }
        SetCookieError::TooLong => assert!(bis && pair.len() > MAX_NAME_VALUE_LEN),
        other => panic!("unexpected {other:?}"),
    }
}
