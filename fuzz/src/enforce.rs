//! Classification and enforcement: a random policy, consent and headers.

use embedded_cookie::consent::{Categories, Consent};
use embedded_cookie::enforce::{EXPIRED_BEFORE, Enforcer, Reason, ResponseError, Verdict};
use embedded_cookie::policy::{
    Category, Policy, RequiredAttributes, Requirement, Rule, Transport, Transports, Undeclared,
};
use embedded_cookie::set_cookie::{BuildError, Expiry, SameSite, SetCookie, SetCookieBuilder};
use embedded_cookie::{CookieHeader, CookieWriteError};

use crate::policy::{CAPACITY, check_table};

/// The caller's clock for every response check (Tue, 14 Nov 2023 22:13:20 GMT).
const NOW: i64 = 1_700_000_000;

/// The consent cookie's name in the fuzzed headers.
const CONSENT_NAME: &str = "cookies_preferences";

/// Separates the parts of an input: a byte no UTF-8 text holds.
pub const SEPARATOR: u8 = 0xFF;

const CATEGORIES: [Category; 4] =
    [Category::Necessary, Category::Preferences, Category::Statistics, Category::Marketing];

/// `data` is a policy text, a consent cookie value, a request `Cookie` header and a
/// response `Set-Cookie` line, separated by 0xFF (plain bytes, so that seeds are
/// text and the dictionary applies). A consent cookie grants only what its canonical
/// spelling says; the allowed cookies of a request are a subset of it, in order,
/// and written back they read as that subset; every verdict follows from the rule
/// and the consent; a response cookie is sent only when allowed, hardened as its
/// rule says (`Secure`, `HttpOnly`, `SameSite` at least the rule's, the rule's
/// `Path` and `Domain`, a capped lifetime); a deletion leaves as the crate's
/// removal in the rule's `Path` and `Domain`, the same at every clock. The
/// transport comes from the input's fifth part (its first byte odd: plain
/// `http`), and the other one is checked too: nothing is read or set on a
/// transport its rule (or a `__Secure-`/`__Host-` name) does not allow, and over
/// plain `http` nothing declared leaves with `Secure` but a prefix's removal.
pub fn check(data: &[u8]) {
    let mut parts = data.split(|&b| b == SEPARATOR);
    let text = core::str::from_utf8(parts.next().unwrap_or_default()).unwrap_or_default();
    let (value, header, line) = (parts.next(), parts.next(), parts.next());
    let picked = match parts.next().and_then(|p| p.first()) {
        Some(b) if b % 2 == 1 => Transport::PlainHttp,
        _ => Transport::Tls,
    };
    let other = match picked {
        Transport::Tls => Transport::PlainHttp,
        Transport::PlainHttp => Transport::Tls,
    };
    let policy = Policy::<CAPACITY>::load_reporting(text, |_| {});
    check_table(text.as_bytes(), &policy, header.unwrap_or_default());

    let value = value.unwrap_or_default();
    let revision = policy.revision();
    for rev in [revision, revision.wrapping_add(1)] {
        let reading = Consent::parse(value, rev);
        match reading.ask_again {
            Some(_) => {
                assert_eq!(reading.consent, Consent::necessary_only(rev), "a bad cookie granted")
            }
            None => {
                assert_eq!(reading.consent.revision(), rev);
                assert_eq!(
                    reading.consent.to_heapless().as_bytes(),
                    value,
                    "a second spelling was read"
                );
            }
        }
    }
    let consent = Consent::parse(value, revision).consent;
    for c in [consent, Consent::new(consent.granted(), revision.wrapping_add(1))] {
        let effective = Enforcer::new(&policy, &c).consent();
        assert!(effective == c || effective == Consent::necessary_only(revision));
    }

    assert_eq!(Enforcer::new(&policy, &consent).transport(), Transport::Tls);
    if let Ok(header) = CookieHeader::parse(header.unwrap_or_default()) {
        let from_header = Consent::from_header(&header, CONSENT_NAME, revision);
        match header.get(CONSENT_NAME) {
            Some(c) => assert_eq!(from_header, Consent::parse(c.value(), revision)),
            None => assert_eq!(from_header.consent, Consent::necessary_only(revision)),
        }
        for transport in [picked, other] {
            check_request(&policy, &header, &consent, transport);
            // The consent the request itself carries, as a server would use it.
            check_request(&policy, &header, &from_header.consent, transport);
        }
    }
    if let Ok(line) = SetCookie::parse(line.unwrap_or_default()) {
        for transport in [picked, other] {
            check_response(&policy, &line, &consent, transport);
        }
    }
}

fn check_request<const N: usize>(
    policy: &Policy<'_, N>,
    header: &CookieHeader<'_>,
    consent: &Consent,
    transport: Transport,
) {
    let enforcer = Enforcer::new(policy, consent).over(transport);
    assert_eq!(enforcer.transport(), transport);
    let request = enforcer.request(header);
    assert!(request.iter().map(|c| c.cookie).eq(header.iter()), "cookies lost or reordered");
    for c in request.iter() {
        let d = c.decision;
        assert_eq!(d, enforcer.decide(c.cookie.name()));
        assert_eq!(d.rule, policy.classify(c.cookie.name()));
        let want = expected(policy, c.cookie.name(), d.rule, consent, transport);
        assert_eq!(d.verdict, want, "{d:?} under {consent:?} over {transport:?}");
    }
    let allowed: Vec<_> = request.allowed().collect();
    assert_eq!(allowed.len() + request.denied().count(), header.len());
    let mut buf = vec![0u8; 8192];
    let n = request.write(&mut buf).expect("the allowed cookies did not fit 8 KiB");
    let written =
        CookieHeader::parse(&buf[..n]).expect("the allowed cookies were written unreadable");
    assert!(
        written
            .iter()
            .map(|c| (c.name(), c.value()))
            .eq(allowed.iter().map(|c| (c.name(), c.value())))
    );
    if n > 0 {
        let err = request.write(&mut buf[..n - 1]).unwrap_err();
        assert_eq!(err, CookieWriteError::BufferTooSmall { needed: n });
    }
    // Every declared, unconsented name is withdrawn; a name again only after
    // another one (it lost its place in the table of names listed).
    let listed: Vec<&[u8]> = request.withdrawals().map(|w| w.cookie.name()).collect();
    for (i, w) in request.withdrawals().enumerate() {
        let d = enforcer.decide(w.cookie.name());
        assert_eq!((d.rule, d.verdict), (Some(w.rule), Verdict::Block(Reason::NoConsent)));
        assert_eq!(w.transport, transport);
        let mut out = [0u8; 8192];
        if let Ok(n) = w.write(&mut out) {
            let sent = SetCookie::parse(&out[..n]).expect("a removal does not parse");
            let secure = sent.secure();
            assert!(
                secure == (prefixed(w.cookie.name()) || transport == Transport::Tls && w.rule.attributes.secure),
                "a removal over {transport:?} with Secure {secure}"
            );
        }
        assert!(
            i == 0 || listed.get(i - 1) != Some(&w.cookie.name()),
            "a name withdrawn twice in a row"
        );
    }
    for c in header.iter() {
        let rule = policy.classify(c.name());
        if expected(policy, c.name(), rule, consent, transport) == Verdict::Block(Reason::NoConsent) {
            assert!(listed.contains(&c.name()), "an unconsented cookie not withdrawn");
        }
    }
    // Consent for every category allows every declared cookie its transport
    // allows.
    let all = Consent::new(
        CATEGORIES.iter().fold(Categories::NONE, |s, &c| s.with(c)),
        policy.revision(),
    );
    assert!(Enforcer::new(policy, &all).over(transport).request(header).iter().all(|c| {
        c.decision.rule.is_none()
            || c.decision.verdict.is_allowed()
            || c.decision.verdict == Verdict::Block(Reason::Transport)
    }));
}

/// The model of a verdict: undeclared and blocked, else the transport, else the
/// consent.
fn expected<const N: usize>(
    policy: &Policy<'_, N>,
    name: &[u8],
    rule: Option<&Rule<'_>>,
    consent: &Consent,
    transport: Transport,
) -> Verdict {
    if rule.is_none() && policy.undeclared() == Undeclared::Block {
        Verdict::Block(Reason::Undeclared)
    } else if !may_use(name, rule, transport) {
        Verdict::Block(Reason::Transport)
    } else if !may_have(policy, rule, consent) {
        Verdict::Block(Reason::NoConsent)
    } else {
        Verdict::Allow
    }
}

/// Whether a name starts with `__Secure-` or `__Host-`, in any case.
fn prefixed(name: &[u8]) -> bool {
    let starts = |p: &[u8]| name.len() >= p.len() && name[..p.len()].eq_ignore_ascii_case(p);
    starts(b"__Secure-") || starts(b"__Host-")
}

/// The model of transports, from the policy docs: a prefixed name only over
/// TLS; a rule's `transport` if given, else TLS only for `secure` or a prefixed
/// rule name, else any; an undeclared cookie any.
fn may_use(name: &[u8], rule: Option<&Rule<'_>>, transport: Transport) -> bool {
    let tls_only = |t: Option<Transports>| t == Some(Transports::Tls);
    let allowed = match rule {
        _ if prefixed(name) => Some(Transports::Tls),
        None => None,
        Some(rule) => rule.transport.or(Some(
            if rule.attributes.secure || prefixed(rule.pattern.name().as_bytes()) {
                Transports::Tls
            } else {
                Transports::Any
            },
        )),
    };
    match transport {
        Transport::Tls => allowed != Some(Transports::PlainHttp),
        Transport::PlainHttp => !tls_only(allowed),
    }
}

/// The model of consent: whether the visitor's `consent` lets a cookie of `rule`
/// through, from the rule's category and requirement, the consent's categories
/// and the revision, not from the library's own `Enforcer::consent`.
fn may_have<const N: usize>(
    policy: &Policy<'_, N>,
    rule: Option<&Rule<'_>>,
    consent: &Consent,
) -> bool {
    match rule {
        Some(rule) => {
            rule.requirement() == Requirement::Exempt
                || (consent.revision() == policy.revision() && consent.grants(rule.category))
        }
        None => policy.undeclared() == Undeclared::Report,
    }
}

/// RFC 9110 `token`: what a cookie name must be to be declared and written.
fn is_token(name: &[u8]) -> bool {
    let separator = |b: u8| b"()<>@,;:\\\"/[]?={}".contains(&b);
    !name.is_empty() && name.iter().all(|&b| b > 0x20 && b < 0x7F && !separator(b))
}

/// 2023-01-01T00:00:00Z, the date the docs of `EXPIRED_BEFORE` give: an
/// `Expires` before it deletes at any clock.
const PAST: i64 = 1_672_531_200;

/// `Enforcer::response` at clocks before, at and far after the line's `Expires`,
/// and at clocks counting from boot: whatever the clock, a value the consent does
/// not allow never leaves, and a line that deletes whatever the clock (`Max-Age`
/// of zero or less, `Expires` before 2023) leaves as the same removal at every
/// clock.
fn check_response<const N: usize>(
    policy: &Policy<'_, N>,
    line: &SetCookie<'_>,
    consent: &Consent,
    transport: Transport,
) {
    assert_eq!(EXPIRED_BEFORE, PAST);
    let mut clocks = vec![NOW, i64::MIN, i64::MAX, 0, 3_600, PAST - 1, PAST];
    if let Some(at) = line.expires() {
        clocks.extend([at.saturating_sub(1), at, at.saturating_add(1)]);
    }
    let always_deletes = match line.expiry() {
        Some(Expiry::MaxAge(secs)) => secs <= 0,
        Some(Expiry::Expires(at)) => at < PAST,
        None => false,
    };
    let mut removals = Vec::new();
    for now in clocks {
        let sent = check_response_at(policy, line, consent, transport, now);
        if always_deletes {
            removals.push(sent);
        }
    }
    assert!(removals.windows(2).all(|w| w[0] == w[1]), "a deletion turned around: {removals:?}");
}

/// One clock; returns what was written.
fn check_response_at<const N: usize>(
    policy: &Policy<'_, N>,
    line: &SetCookie<'_>,
    consent: &Consent,
    transport: Transport,
    now: i64,
) -> Result<Vec<u8>, ResponseError> {
    let checked = Enforcer::new(policy, consent).over(transport).response(line, now);
    let verdict = checked.decision.verdict;
    let rule = policy.classify(line.name());
    let deletes = match line.expiry() {
        Some(Expiry::MaxAge(secs)) => secs <= 0,
        Some(Expiry::Expires(at)) => at <= now || at < PAST,
        None => false,
    };
    let valid_name = is_token(line.name());
    let mut buf = vec![0u8; 8192];
    let written = checked.write(&mut buf).map(|n| buf[..n].to_vec());
    if !valid_name {
        assert_eq!(verdict, Verdict::Block(Reason::InvalidName));
    }
    match &written {
        Err(ResponseError::Blocked(reason)) => {
            assert_eq!(verdict, Verdict::Block(*reason));
            assert!(checked.allowed().is_none());
            // Only a name no header could carry blocks a deletion.
            assert!(!deletes || !valid_name, "a deleting cookie was blocked");
        }
        _ => assert!(verdict.is_allowed(), "a blocked cookie gave {written:?}"),
    }
    if deletes && valid_name {
        // The crate's own removal: no value, Max-Age=0, the rule's scope. It is
        // not written only when the scope it repeats cannot be: the line's own
        // (undeclared) or the rule's.
        let sent = match &written {
            Ok(sent) => sent,
            Err(ResponseError::Build(e)) => {
                let unwritable = match rule {
                    Some(rule) => !scope_writable(rule),
                    None => breaks(line, None, transport, *e),
                };
                assert!(unwritable, "a removal was not written: {e:?}");
                return written;
            }
            Err(e) => panic!("a removal was not written: {e:?}"),
        };
        let sent = SetCookie::parse(sent).expect("the removal does not parse");
        assert_eq!(
            (sent.name(), sent.value()),
            (line.name(), &b""[..]),
            "a deletion kept its value"
        );
        assert_eq!(sent.max_age(), Some(0));
        if transport == Transport::PlainHttp && rule.is_some() {
            assert_eq!(sent.secure(), prefixed(line.name()), "a removal over plain http with Secure");
        }
        if let Some(rule) = rule {
            // The rule's scope (`/` for a rule without `path=`, host-only for one
            // without `domain=`); a `__Host-` name's own: `/`, host-only.
            let host = line.name().len() >= 7 && line.name()[..7].eq_ignore_ascii_case(b"__Host-");
            let (want_path, want_domain) = match host {
                true => ("/", None),
                false => (rule.attributes.path.unwrap_or("/"), rule.attributes.domain),
            };
            assert_eq!(sent.path(), Some(want_path.as_bytes()), "a removal outside the rule's Path");
            assert!(same_domain(sent.domain(), want_domain), "a removal outside the rule's Domain");
        }
        return written;
    }
    let want_verdict = expected(policy, line.name(), rule, consent, transport);
    if valid_name && want_verdict == Verdict::Block(Reason::Transport) {
        assert_eq!(verdict, want_verdict, "a cookie set over a transport its rule refuses");
        return written;
    }
    if !may_have(policy, rule, consent) {
        assert!(
            written.is_err() && !verdict.is_allowed(),
            "an unconsented cookie left: {written:?}"
        );
        return written;
    }
    if !valid_name {
        return written;
    }
    let Some(rule) = rule else {
        assert_eq!(verdict, Verdict::Allow, "an undeclared cookie reported was changed");
        return written;
    };
    let want = rule.attributes;
    let out_of_scope = line.path().zip(want.path).is_some_and(|(p, w)| p != w.as_bytes())
        || match (line.domain(), want.domain) {
            (Some(_), None) => true,
            (Some(d), Some(w)) => !d.eq_ignore_ascii_case(w.trim_start_matches('.').as_bytes()),
            (None, _) => false,
        };
    if out_of_scope {
        assert!(
            matches!(verdict, Verdict::Block(Reason::Attribute(_))),
            "{verdict:?} out of scope"
        );
        return written;
    }
    let sent = match &written {
        Ok(sent) => sent,
        Err(ResponseError::Build(e)) => {
            assert!(breaks(line, Some(rule), transport, *e), "an allowed cookie not built: {e:?}");
            return written;
        }
        Err(e) => panic!("an allowed cookie gave {e:?}"),
    };
    let sent = SetCookie::parse(sent).expect("the header to send does not parse");
    assert_eq!((sent.name(), sent.value()), (line.name(), line.value()));
    match transport {
        Transport::Tls => assert!(sent.secure() || !want.secure, "Secure not added"),
        Transport::PlainHttp => assert!(!sent.secure(), "Secure sent over plain http"),
    }
    assert!(sent.http_only() || !want.http_only, "HttpOnly not added");
    assert!(
        strictness(sent.same_site()) >= strictness(want.same_site),
        "SameSite weaker than the rule's {:?}: {:?}",
        want.same_site,
        sent.same_site()
    );
    if let Some(path) = want.path {
        assert_eq!(sent.path(), Some(path.as_bytes()), "Path not the rule's");
    }
    assert!(same_domain(sent.domain(), want.domain), "Domain not the rule's");
    // A session cookie stays one; a persistent one keeps an expiry, capped.
    assert_eq!(sent.expiry().is_some(), line.expiry().is_some(), "an expiry added or dropped");
    if let Some(cap) = want.max_age {
        let cap = i64::from(cap);
        let capped = match sent.expiry() {
            Some(Expiry::MaxAge(secs)) => secs <= cap,
            Some(Expiry::Expires(at)) => at <= now.saturating_add(cap),
            None => true,
        };
        assert!(capped, "lifetime not capped to {cap} s");
    }
    assert_eq!(verdict == Verdict::Harden, !checked.hardened.is_empty());
    written
}

/// How much a `SameSite` value restricts, as RFC 6265bis orders them: `Strict`
/// most; `None` and an absent one (a browser's `Lax` by default, or none at all)
/// least.
fn strictness(same_site: Option<SameSite>) -> u8 {
    match same_site {
        Some(SameSite::Strict) => 2,
        Some(SameSite::Lax) => 1,
        Some(SameSite::None) | None => 0,
    }
}

/// Whether a sent `Domain` is the rule's: both absent (host-only), or the same
/// name in any case, without the leading `.` a browser ignores.
fn same_domain(sent: Option<&[u8]>, rule: Option<&str>) -> bool {
    match (sent, rule) {
        (None, None) => true,
        (Some(sent), Some(rule)) => {
            let rule = rule.strip_prefix('.').unwrap_or(rule).as_bytes();
            sent.strip_prefix(b".").unwrap_or(sent).eq_ignore_ascii_case(rule)
        }
        _ => false,
    }
}

/// Whether a builder can write the rule's `Path` and `Domain` (the loader may
/// accept one the builder refuses: issue 12 point 6).
fn scope_writable(rule: &Rule<'_>) -> bool {
    let want = rule.attributes;
    let mut b = SetCookieBuilder::new("a", "").path(want.path.unwrap_or("/"));
    if let Some(domain) = want.domain {
        b = b.domain(domain);
    }
    b.written_len().is_ok()
}

/// Whether the cookie to send breaks the rule `e` names, judged from the line.
fn breaks(
    line: &SetCookie<'_>,
    rule: Option<&Rule<'_>>,
    transport: Transport,
    e: BuildError,
) -> bool {
    let value = match line.value() {
        [b'"', inner @ .., b'"'] => inner,
        v => v,
    };
    let want = rule.map(|r| r.attributes).unwrap_or(RequiredAttributes::NONE);
    // Over plain `http` a declared cookie goes without `Secure`.
    let secure = match (rule, transport) {
        (Some(_), Transport::PlainHttp) => false,
        _ => line.secure() || want.secure,
    };
    match e {
        BuildError::InvalidValue => value.iter().any(|&b| {
            !(b == 0x21
                || (0x23..=0x2B).contains(&b)
                || (0x2D..=0x3A).contains(&b)
                || (0x3C..=0x5B).contains(&b)
                || (0x5D..=0x7E).contains(&b))
        }),
        BuildError::CookieTooLong => line.name().len() + line.value().len() > 4096,
        BuildError::InvalidDomain => line.domain().is_some_and(|d| {
            d.is_empty()
                || d.starts_with(b".")
                || d.ends_with(b".")
                || !d.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'.')
        }),
        BuildError::InvalidPath => {
            line.path().is_some_and(|p| p.iter().any(|&b| !(0x21..=0x7E).contains(&b) || b == b';'))
        }
        BuildError::AttributeTooLong => {
            line.domain().is_some_and(|d| d.len() > 1024)
                || line.path().is_some_and(|p| p.len() > 1024)
        }
        BuildError::Prefix(_) => {
            let n = line.name();
            n.len() >= 7
                && (n[..7].eq_ignore_ascii_case(b"__Host-")
                    || (n.len() >= 9 && n[..9].eq_ignore_ascii_case(b"__Secure-")))
        }
        BuildError::SameSiteNoneWithoutSecure => {
            !secure && line.same_site() == Some(SameSite::None) && want.same_site.is_none()
        }
        BuildError::PartitionedWithoutSecure => !secure && line.partitioned(),
        _ => false,
    }
}
