//! Set-Cookie building and parsing together: every valid built cookie parses back
//! to the same cookie, and no field lets a header be injected.

use std::fmt;

use embedded_cookie::date::{self, ImfFixdate};
use embedded_cookie::set_cookie::{
    BuildError, Prefix, PrefixError, Priority, SameSite, SetCookie, SetCookieBuilder, Spec,
};
use embedded_cookie::{CookieWriteError, CookieWriter};
use proptest::prelude::*;

/// Everything a generated cookie holds, owned, valid by construction.
#[derive(Debug, Clone)]
struct CookieSpec {
    prefix: Option<Prefix>,
    name: String,
    value: String,
    expires: Option<i64>,
    max_age: Option<i64>,
    domain: Option<String>,
    path: Option<String>,
    secure: bool,
    http_only: bool,
    same_site: Option<SameSite>,
    partitioned: bool,
    priority: Option<Priority>,
}

fn same_site() -> impl Strategy<Value = Option<SameSite>> {
    prop_oneof![
        Just(None),
        Just(Some(SameSite::Strict)),
        Just(Some(SameSite::Lax)),
        Just(Some(SameSite::None))
    ]
}

fn priority() -> impl Strategy<Value = Option<Priority>> {
    prop_oneof![
        Just(None),
        Just(Some(Priority::Low)),
        Just(Some(Priority::Medium)),
        Just(Some(Priority::High))
    ]
}

fn spec() -> impl Strategy<Value = CookieSpec> {
    let prefix = prop_oneof![Just(None), Just(Some(Prefix::Secure)), Just(Some(Prefix::Host))];
    let octets = "[!#-+\\--:<-\\[\\]-~]{0,24}";
    let value = prop_oneof![octets.prop_map(|v| v), octets.prop_map(|v| format!("\"{v}\""))];
    let max_age = prop_oneof![0..100_000i64, 0..=i64::MAX];
    let domain = "\\.?[a-zA-Z0-9-]{1,10}(\\.[a-zA-Z0-9-]{1,10}){0,3}";
    let path = "/[!-:<-~]{0,20}";
    (
        (prefix, "[!#$%&'*+.^_`|~0-9A-Za-z-]{1,16}", value),
        (proptest::option::of(date::MIN..=date::MAX), proptest::option::of(max_age)),
        (proptest::option::of(domain), proptest::option::of(path)),
        (any::<bool>(), any::<bool>(), same_site(), any::<bool>(), priority()),
    )
        .prop_map(|((prefix, name, value), (expires, max_age), (domain, path), flags)| {
            let (mut secure, http_only, same_site, partitioned, priority) = flags;
            secure |= prefix.is_some() || same_site == Some(SameSite::None) || partitioned;
            let name = match prefix {
                Some(p) => format!("{}{name}", p.as_str()),
                None => name,
            };
            let (domain, path) = match prefix {
                Some(Prefix::Host) => (None, Some("/".to_owned())),
                _ => (domain, path),
            };
            CookieSpec {
                prefix,
                name,
                value,
                expires,
                max_age,
                domain,
                path,
                secure,
                http_only,
                same_site,
                partitioned,
                priority,
            }
        })
}

fn builder(s: &CookieSpec) -> SetCookieBuilder<'_> {
    let mut b = SetCookieBuilder::new(&s.name, &s.value)
        .secure(s.secure)
        .http_only(s.http_only)
        .partitioned(s.partitioned);
    if let Some(at) = s.expires {
        b = b.expires(ImfFixdate::new(at).unwrap());
    }
    if let Some(secs) = s.max_age {
        b = b.max_age(secs);
    }
    if let Some(d) = &s.domain {
        b = b.domain(d);
    }
    if let Some(p) = &s.path {
        b = b.path(p);
    }
    if let Some(x) = s.same_site {
        b = b.same_site(x);
    }
    if let Some(x) = s.priority {
        b = b.priority(x);
    }
    b
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    /// Build, write, parse (by either rules): the same cookie comes back, field by
    /// field, and writing the parsed cookie again gives the same bytes.
    #[test]
    fn built_cookies_parse_back(s in spec()) {
        let b = builder(&s);
        let len = b.written_len().unwrap();
        let mut buf = vec![0u8; len];
        prop_assert_eq!(b.write(&mut buf), Ok(len));
        prop_assert_eq!(b.to_string().into_bytes(), buf.clone());
        for rules in [Spec::Rfc6265bis, Spec::Rfc6265] {
            let c = SetCookie::parse_with(&buf, rules).unwrap();
            prop_assert_eq!(c.name(), s.name.as_bytes());
            prop_assert_eq!(c.value(), s.value.as_bytes());
            prop_assert_eq!(c.expires(), s.expires);
            prop_assert_eq!(c.max_age(), s.max_age);
            let domain = s.domain.as_deref().map(|d| d.trim_start_matches('.').to_ascii_lowercase());
            prop_assert_eq!(c.domain(), domain.as_deref().map(str::as_bytes));
            prop_assert_eq!(c.path(), s.path.as_deref().map(str::as_bytes));
            prop_assert_eq!((c.secure(), c.http_only(), c.partitioned()), (s.secure, s.http_only, s.partitioned));
            prop_assert_eq!(c.same_site(), s.same_site);
            prop_assert_eq!(c.priority(), s.priority);
            prop_assert_eq!(c.unknown().count(), 0);
            prop_assert_eq!(c.check_prefix(), Ok(s.prefix));
            let again = c.to_builder().to_heapless::<4096>().unwrap();
            prop_assert_eq!(again.as_bytes(), &buf[..]);
        }
    }

    /// Any bytes give a view or a reason, under either rules; the view only
    /// borrows the input, and under RFC 6265bis holds no control byte.
    #[test]
    fn any_bytes_give_a_view_or_a_reason(input in proptest::collection::vec(any::<u8>(), 0..300), old in any::<bool>()) {
        let rules = if old { Spec::Rfc6265 } else { Spec::Rfc6265bis };
        if let Ok(c) = SetCookie::parse_with(&input, rules) {
            let range = input.as_ptr_range();
            for part in [c.name(), c.value()].into_iter().chain(c.domain()).chain(c.path()) {
                prop_assert!(part.is_empty() || range.contains(&part.as_ptr()));
                prop_assert!(!part.contains(&b';'));
                if !old {
                    prop_assert!(!part.iter().any(|&b| (b < 0x20 && b != b'\t') || b == 0x7f));
                }
            }
            if let Some(at) = c.expiry_time(1_700_000_000) {
                prop_assert!((date::MIN..=date::MAX).contains(&at));
            }
            if let Err(e) = c.check_prefix() {
                prop_assert!(Prefix::of(c.name()).is_some() || c.name().is_empty(), "{e:?}");
            }
            // The builder counts what it writes, or refuses as writing does.
            let built = c.to_builder().to_heapless::<8192>();
            prop_assert_eq!(c.to_builder().written_len(), built.map(|h| h.len()));
        }
    }

    /// Lines of attribute soup: parsing never panics and unknown() lists exactly
    /// the attributes whose names RFC 6265bis does not define, in order.
    #[test]
    fn attribute_soup(line in "[a-z]{0,3}(=[ -:<-~]{0,8})?(; ?(max-age|Max-Age|expires|domain|path|secure|samesite|priority|partitioned|httponly|HTTPONLY|x|max-ag)(=[ -:<-~]{0,12})?){0,8}") {
        const KNOWN: [&str; 9] = [
            "expires", "max-age", "domain", "path", "secure", "httponly", "samesite",
            "partitioned", "priority",
        ];
        if let Ok(c) = SetCookie::parse(&line) {
            let known = |name: &[u8]| KNOWN.iter().any(|k| name.eq_ignore_ascii_case(k.as_bytes()));
            let unknown: Vec<_> = c.attributes().filter(|a| !known(a.name())).collect();
            prop_assert_eq!(c.unknown().collect::<Vec<_>>(), unknown);
        }
    }
}

/// CR, LF, NUL and `;` in each field of the builder: refused with that field's
/// error, nothing written; the same bytes in a parsed line make RFC 6265bis
/// ignore it (all but `;`, which only ends the part it is in).
#[test]
fn no_header_injection() {
    for bad in ["\r", "\n", "\0", ";", "\r\nSet-Cookie: evil=1"] {
        let text = format!("x{bad}y");
        let path = format!("/x{bad}y");
        let base = SetCookieBuilder::new("sid", "1");
        let cases = [
            (SetCookieBuilder::new(&text, "1"), BuildError::InvalidName),
            (base.value(&text), BuildError::InvalidValue),
            (base.domain(&text), BuildError::InvalidDomain),
            (base.path(&path), BuildError::InvalidPath),
        ];
        for (builder, want) in cases {
            assert_eq!(builder.written_len(), Err(want), "{bad:?}");
            let mut buf = [0u8; 64];
            assert_eq!(builder.write(&mut buf), Err(want));
            assert_eq!(buf, [0u8; 64], "{bad:?}: wrote before refusing");
            let mut s = String::new();
            assert_eq!(fmt::write(&mut s, format_args!("{builder}")), Err(fmt::Error));
            assert!(s.is_empty());
            assert_eq!(builder.to_heapless::<64>(), Err(want));
        }
        let mut buf = [0u8; 64];
        let mut w = CookieWriter::new(&mut buf);
        assert_eq!(w.push(text.as_bytes(), b"1"), Err(CookieWriteError::InvalidName), "{bad:?}");
        assert_eq!(w.push(b"a", text.as_bytes()), Err(CookieWriteError::InvalidValue), "{bad:?}");
        assert!(w.is_empty());
        if bad != ";" {
            for line in [
                format!("sid={text}"),
                format!("sid=1; Path={path}"),
                format!("sid=1; Domain={text}"),
            ] {
                assert!(SetCookie::parse(&line).is_err(), "{line:?}");
            }
        }
    }
}

/// The header a removal writes makes a browser drop the cookie at once, and a
/// `__Host-` removal still meets the prefix rules.
#[test]
fn removal_round_trip() {
    let sid = SetCookieBuilder::new("__Host-sid", "abc").secure(true).path("/").http_only(true);
    let out = sid.removal().to_heapless::<128>().unwrap();
    let c = SetCookie::parse(&out).unwrap();
    assert_eq!((c.name(), c.value(), c.path()), (&b"__Host-sid"[..], &b""[..], Some(&b"/"[..])));
    assert_eq!(c.max_age(), Some(0));
    assert_eq!(c.expires(), Some(0));
    assert_eq!(c.expiry_time(1_700_000_000), Some(date::MIN));
    assert_eq!(c.check_prefix(), Ok(Some(Prefix::Host)));
    let no_secure = sid.secure(false).removal();
    assert_eq!(no_secure.written_len(), Err(BuildError::Prefix(PrefixError::MissingSecure)));
}
