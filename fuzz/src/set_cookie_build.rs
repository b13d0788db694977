//! `SetCookieBuilder`: build from structured input, parse back, compare.

use arbitrary::Arbitrary;
use embedded_cookie::date::ImfFixdate;
use embedded_cookie::set_cookie::{
    BuildError, MAX_ATTRIBUTE_VALUE_LEN, MAX_NAME_VALUE_LEN, Prefix, Priority, SameSite, SetCookie,
    SetCookieBuilder, Spec,
};

/// One cookie to build, every field free.
#[derive(Arbitrary, Debug)]
pub struct CookieSpec<'a> {
    name: &'a str,
    value: &'a str,
    expires: Option<i64>,
    max_age: Option<i64>,
    domain: Option<&'a str>,
    path: Option<&'a str>,
    secure: bool,
    http_only: bool,
    same_site: Option<u8>,
    partitioned: bool,
    priority: Option<u8>,
    /// The size of the buffer `encode` gets.
    buf_len: u16,
}

impl<'a> CookieSpec<'a> {
    fn same_site(&self) -> Option<SameSite> {
        self.same_site
            .map(|n| [SameSite::Strict, SameSite::Lax, SameSite::None][usize::from(n % 3)])
    }

    fn priority(&self) -> Option<Priority> {
        self.priority.map(|n| [Priority::Low, Priority::Medium, Priority::High][usize::from(n % 3)])
    }

    fn builder(&self) -> SetCookieBuilder<'a> {
        let mut b = SetCookieBuilder::new(self.name, self.value)
            .secure(self.secure)
            .http_only(self.http_only)
            .partitioned(self.partitioned);
        if let Some(at) = self.expires.and_then(|s| ImfFixdate::new(s).ok()) {
            b = b.expires(at);
        }
        if let Some(secs) = self.max_age {
            b = b.max_age(secs);
        }
        if let Some(d) = self.domain {
            b = b.domain(d);
        }
        if let Some(p) = self.path {
            b = b.path(p);
        }
        if let Some(s) = self.same_site() {
            b = b.same_site(s);
        }
        if let Some(p) = self.priority() {
            b = b.priority(p);
        }
        b
    }
}

/// parse(build(x)) == x under both rule sets; every way of writing gives the same
/// bytes; a refusal names a rule the input breaks and writes nothing.
pub fn check(spec: &CookieSpec<'_>) {
    let builder = spec.builder();
    let mut buf = vec![0xAA; usize::from(spec.buf_len)];
    let encoded = builder.encode(&mut buf);
    let header = match builder.to_heapless::<8192>() {
        Ok(h) => h,
        Err(e) => {
            assert_eq!(encoded, Err(e));
            assert!(buf.iter().all(|&b| b == 0xAA), "a refused cookie wrote bytes");
            return check_refusal(spec, e);
        }
    };
    let bytes = header.as_bytes();
    assert_eq!(builder.encoded_len(), Ok(bytes.len()));
    match encoded {
        Ok(n) => assert_eq!(&buf[..n], bytes),
        Err(e) => {
            assert_eq!(e, BuildError::BufferTooSmall { needed: bytes.len() });
            assert!(buf.len() < bytes.len() && buf.iter().all(|&b| b == 0xAA));
        }
    }
    let mut text = String::new();
    builder.encode_fmt(&mut text).unwrap();
    assert_eq!(text.as_bytes(), bytes);
    assert!(bytes.iter().all(|&b| (0x20..0x7f).contains(&b)), "a byte a header cannot hold");

    for rules in [Spec::Rfc6265bis, Spec::Rfc6265] {
        let c = SetCookie::parse_with(bytes, rules).expect("a built header was ignored");
        assert_eq!((c.name(), c.value()), (spec.name.as_bytes(), spec.value.as_bytes()));
        assert_eq!(c.expires(), spec.expires.filter(|s| ImfFixdate::new(*s).is_ok()));
        assert_eq!(c.max_age(), spec.max_age);
        let domain = spec.domain.map(|d| d.strip_prefix('.').unwrap_or(d).to_ascii_lowercase());
        assert_eq!(c.domain(), domain.as_deref().map(str::as_bytes));
        assert_eq!(c.path(), spec.path.map(str::as_bytes));
        assert_eq!(
            (c.secure(), c.http_only(), c.partitioned()),
            (spec.secure, spec.http_only, spec.partitioned)
        );
        assert_eq!((c.same_site(), c.priority()), (spec.same_site(), spec.priority()));
        assert_eq!(c.unknown().count(), 0);
        assert!(c.check_prefix().is_ok(), "a built cookie breaks its prefix rules");
        // Built output is canonical: rebuilding the parsed cookie writes it again.
        assert_eq!(c.to_builder().to_heapless::<8192>().as_deref(), Ok(header.as_str()));
    }
}

/// The rule a refusal names is broken by the input.
fn check_refusal(spec: &CookieSpec<'_>, e: BuildError) {
    let tchar = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
    let octet = |b: &u8| matches!(b, 0x21 | 0x23..=0x2B | 0x2D..=0x3A | 0x3C..=0x5B | 0x5D..=0x7E);
    let value = spec.value.as_bytes();
    let inner = match value {
        [b'"', inner @ .., b'"'] => inner,
        v => v,
    };
    match e {
        BuildError::InvalidName => assert!(spec.name.is_empty() || !spec.name.bytes().all(tchar)),
        BuildError::InvalidValue => assert!(!inner.iter().all(octet)),
        BuildError::CookieTooLong => {
            assert!(spec.name.len() + spec.value.len() > MAX_NAME_VALUE_LEN)
        }
        BuildError::InvalidDomain => assert!(spec.domain.is_some()),
        BuildError::InvalidPath => {
            assert!(spec.path.is_some_and(|p| !p.starts_with('/')
                || p.bytes().any(|b| !(0x21..0x7f).contains(&b) || b == b';')))
        }
        BuildError::AttributeTooLong => {
            let long = |s: Option<&str>| s.is_some_and(|s| s.len() > MAX_ATTRIBUTE_VALUE_LEN);
            assert!(long(spec.domain) || long(spec.path));
        }
        BuildError::NegativeMaxAge => assert!(spec.max_age.is_some_and(|s| s < 0)),
        BuildError::Prefix(_) => {
            assert!(Prefix::of(spec.name.as_bytes()).is_some() || spec.name.is_empty())
        }
        BuildError::SameSiteNoneWithoutSecure => {
            assert!(spec.same_site() == Some(SameSite::None) && !spec.secure)
        }
        BuildError::PartitionedWithoutSecure => assert!(spec.partitioned && !spec.secure),
        other => panic!("unexpected {other:?}"),
    }
}
