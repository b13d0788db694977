//! `SetCookieBuilder`: build from structured input, parse back, compare.

use arbitrary::Arbitrary;
use embedded_cookie::date::ImfFixdate;
use embedded_cookie::set_cookie::{
    BuildError, MAX_ATTRIBUTE_VALUE_LEN, MAX_NAME_VALUE_LEN, PrefixError, Priority, SameSite,
    SetCookie, SetCookieBuilder, Spec,
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
    /// The size of the buffer `write` gets.
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

    /// What the builder checks.
    fn fields(&self) -> Fields<'a> {
        Fields {
            name: self.name.as_bytes(),
            value: self.value.as_bytes(),
            domain: self.domain.map(str::as_bytes),
            path: self.path.map(str::as_bytes),
            max_age: self.max_age,
            secure: self.secure,
            same_site: self.same_site(),
            partitioned: self.partitioned,
        }
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
/// bytes; an input that breaks no rule is built, and a refusal names a rule the
/// input breaks (by the field that breaks it) and writes nothing.
pub fn check(spec: &CookieSpec<'_>) {
    let builder = spec.builder();
    let mut buf = vec![0xAA; usize::from(spec.buf_len)];
    let encoded = builder.write(&mut buf);
    let header = match builder.to_heapless::<8192>() {
        Ok(h) => h,
        Err(e) => {
            assert_eq!(encoded, Err(e));
            assert!(buf.iter().all(|&b| b == 0xAA), "a refused cookie wrote bytes");
            let broken = builder_rules_broken(&spec.fields());
            assert!(broken.contains(&e), "refused with {e:?}; the input breaks {broken:?}");
            return;
        }
    };
    let broken = builder_rules_broken(&spec.fields());
    assert!(broken.is_empty(), "built, though the input breaks {broken:?}");
    let bytes = header.as_bytes();
    assert_eq!(builder.written_len(), Ok(bytes.len()));
    match encoded {
        Ok(n) => assert_eq!(&buf[..n], bytes),
        Err(e) => {
            assert_eq!(e, BuildError::BufferTooSmall { needed: bytes.len() });
            assert!(buf.len() < bytes.len() && buf.iter().all(|&b| b == 0xAA));
        }
    }
    assert_eq!(builder.to_string().as_bytes(), bytes, "Display");
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

/// The fields a builder checks, as bytes.
pub struct Fields<'a> {
    pub name: &'a [u8],
    pub value: &'a [u8],
    /// As handed to the builder: it writes it without one leading `.`.
    pub domain: Option<&'a [u8]>,
    pub path: Option<&'a [u8]>,
    pub max_age: Option<i64>,
    pub secure: bool,
    pub same_site: Option<SameSite>,
    pub partitioned: bool,
}

/// Every rule a builder with `f` breaks, each as the error that names it, from the
/// builder's documented rules (the byte classes written out here, not the crate's).
pub fn builder_rules_broken(f: &Fields<'_>) -> Vec<BuildError> {
    let tchar = |b: &u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(b);
    let octet = |b: &u8| matches!(b, 0x21 | 0x23..=0x2B | 0x2D..=0x3A | 0x3C..=0x5B | 0x5D..=0x7E);
    let domain_octet = |b: &u8| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'.';
    let path_octet = |b: &u8| (0x21..0x7f).contains(b) && *b != b';';
    let inner = match f.value {
        [b'"', inner @ .., b'"'] => inner,
        v => v,
    };
    let mut broken = Vec::new();
    if f.name.is_empty() || !f.name.iter().all(tchar) {
        broken.push(BuildError::InvalidName);
    }
    if !inner.iter().all(octet) {
        broken.push(BuildError::InvalidValue);
    }
    if f.name.len() + f.value.len() > MAX_NAME_VALUE_LEN {
        broken.push(BuildError::CookieTooLong);
    }
    if let Some(domain) = f.domain.map(|d| d.strip_prefix(b".").unwrap_or(d)) {
        if domain.is_empty()
            || !domain.iter().all(domain_octet)
            || domain.starts_with(b".")
            || domain.ends_with(b".")
        {
            broken.push(BuildError::InvalidDomain);
        }
        if domain.len() > MAX_ATTRIBUTE_VALUE_LEN {
            broken.push(BuildError::AttributeTooLong);
        }
    }
    if let Some(path) = f.path {
        if !path.starts_with(b"/") || !path.iter().all(path_octet) {
            broken.push(BuildError::InvalidPath);
        }
        if path.len() > MAX_ATTRIBUTE_VALUE_LEN {
            broken.push(BuildError::AttributeTooLong);
        }
    }
    if f.max_age.is_some_and(|s| s < 0) {
        broken.push(BuildError::NegativeMaxAge);
    }
    broken.extend(prefix_rule_broken(f).map(BuildError::Prefix));
    if f.same_site == Some(SameSite::None) && !f.secure {
        broken.push(BuildError::SameSiteNoneWithoutSecure);
    }
    if f.partitioned && !f.secure {
        broken.push(BuildError::PartitionedWithoutSecure);
    }
    broken
}

/// The prefix rule `f` breaks, from RFC 6265bis §4.1.3 (prefixes compared without
/// case), the first in the order the crate documents.
pub fn prefix_rule_broken(f: &Fields<'_>) -> Option<PrefixError> {
    let prefixed = |s: &[u8]| {
        let mut prefixes = [&b"__secure-"[..], b"__host-"].into_iter();
        prefixes.find(|p| s.get(..p.len()).is_some_and(|head| head.eq_ignore_ascii_case(p)))
    };
    if f.name.is_empty() && prefixed(f.value).is_some() {
        return Some(PrefixError::PrefixedNamelessValue);
    }
    let host = prefixed(f.name)? == b"__host-";
    if !f.secure {
        Some(PrefixError::MissingSecure)
    } else if host && f.path != Some(b"/") {
        Some(PrefixError::PathNotRoot)
    } else if host && f.domain.is_some() {
        Some(PrefixError::DomainSet)
    } else {
        None
    }
}
