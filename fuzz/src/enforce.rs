//! Classification and enforcement: a random policy, consent and headers.

use embedded_cookie::consent::{Categories, Consent};
use embedded_cookie::enforce::{Enforcer, Reason, ResponseError, Verdict};
use embedded_cookie::policy::{Category, Policy, Requirement, Undeclared};
use embedded_cookie::set_cookie::{Expiry, SetCookie};
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
/// rule says.
pub fn check(data: &[u8]) {
    let mut parts = data.split(|&b| b == SEPARATOR);
    let text = core::str::from_utf8(parts.next().unwrap_or_default()).unwrap_or_default();
    let (value, header, line) = (parts.next(), parts.next(), parts.next());
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
                    reading.consent.to_value().as_bytes(),
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

    if let Ok(header) = CookieHeader::parse(header.unwrap_or_default()) {
        check_request(&policy, &header, &consent);
        let from_header = Consent::from_header(&header, CONSENT_NAME, revision);
        match header.get(CONSENT_NAME) {
            Some(c) => assert_eq!(from_header, Consent::parse(c.value(), revision)),
            None => assert_eq!(from_header.consent, Consent::necessary_only(revision)),
        }
        // The consent the request itself carries, as a server would use it.
        check_request(&policy, &header, &from_header.consent);
    }
    if let Ok(line) = SetCookie::parse(line.unwrap_or_default()) {
        check_response(&policy, &line, &consent);
    }
}

fn check_request<const N: usize>(
    policy: &Policy<'_, N>,
    header: &CookieHeader<'_>,
    consent: &Consent,
) {
    let enforcer = Enforcer::new(policy, consent);
    let effective = enforcer.consent();
    let request = enforcer.request(header);
    assert!(request.iter().map(|c| c.cookie).eq(header.iter()), "cookies lost or reordered");
    for c in request.iter() {
        let d = c.decision;
        assert_eq!(d, enforcer.decide(c.cookie.name()));
        assert_eq!(d.rule, policy.classify(c.cookie.name()));
        let allowed = match d.rule {
            Some(rule) => {
                rule.requirement() == Requirement::Exempt || effective.grants(rule.category)
            }
            None => policy.undeclared() == Undeclared::Report,
        };
        assert_eq!(d.verdict.is_allowed(), allowed, "{d:?} under {effective:?}");
        assert!(
            d.verdict == Verdict::Allow
                || matches!(d.verdict, Verdict::Block(Reason::NoConsent | Reason::Undeclared))
        );
    }
    let allowed: Vec<_> = request.allowed().collect();
    assert_eq!(allowed.len() + request.denied().count(), header.len());
    let mut buf = vec![0u8; 8192];
    let n = request.write_allowed(&mut buf).expect("the allowed cookies did not fit 8 KiB");
    let written =
        CookieHeader::parse(&buf[..n]).expect("the allowed cookies were written unreadable");
    assert!(
        written
            .iter()
            .map(|c| (c.name(), c.value()))
            .eq(allowed.iter().map(|c| (c.name(), c.value())))
    );
    if n > 0 {
        let err = request.write_allowed(&mut buf[..n - 1]).unwrap_err();
        assert_eq!(err, CookieWriteError::BufferTooSmall { needed: n });
    }
    let mut names = Vec::new();
    for w in request.withdrawals() {
        assert!(!names.contains(&w.cookie.name()), "a name withdrawn twice");
        names.push(w.cookie.name());
        let d = enforcer.decide(w.cookie.name());
        assert_eq!((d.rule, d.verdict), (Some(w.rule), Verdict::Block(Reason::NoConsent)));
    }
    // Consent for every category allows every declared cookie.
    let all = Consent::new(
        CATEGORIES.iter().fold(Categories::NONE, |s, &c| s.with(c)),
        policy.revision(),
    );
    assert!(
        Enforcer::new(policy, &all)
            .request(header)
            .iter()
            .all(|c| c.decision.rule.is_none() || c.decision.verdict.is_allowed())
    );
}

fn check_response<const N: usize>(policy: &Policy<'_, N>, line: &SetCookie<'_>, consent: &Consent) {
    let checked = Enforcer::new(policy, consent).response(line, NOW);
    let verdict = checked.decision.verdict;
    // The browser deletes on receipt when the expiry that wins is not after now.
    let deletes = match line.expiry() {
        Some(Expiry::MaxAge(secs)) => secs <= 0,
        Some(Expiry::Expires(at)) => at <= NOW,
        None => false,
    };
    let mut buf = vec![0u8; 8192];
    match (verdict, checked.write(&mut buf)) {
        (Verdict::Block(reason), Err(ResponseError::Blocked(r))) => {
            assert_eq!(reason, r);
            // Only a name no header could carry blocks a deletion.
            assert!(!deletes || reason == Reason::InvalidName, "a deleting cookie was blocked");
            assert!(checked.builder().is_none());
        }
        (Verdict::Block(_), other) => panic!("a blocked cookie gave {other:?}"),
        (_, Ok(n)) => {
            let sent = SetCookie::parse(&buf[..n]).expect("the header to send does not parse");
            assert_eq!(sent.name(), line.name());
            if deletes {
                return;
            }
            let Some(rule) = checked.decision.rule else {
                assert_eq!(policy.undeclared(), Undeclared::Report, "an undeclared cookie was set");
                return;
            };
            let want = rule.attributes;
            assert!(sent.secure() || !want.secure, "Secure not added");
            assert!(sent.http_only() || !want.http_only, "HttpOnly not added");
            if let Some(path) = want.path {
                assert_eq!(sent.path(), Some(path.as_bytes()));
            }
            if let Some(cap) = want.max_age {
                let cap = i64::from(cap);
                let capped = match sent.expiry() {
                    Some(Expiry::MaxAge(secs)) => secs <= cap,
                    Some(Expiry::Expires(at)) => at <= NOW + cap,
                    None => true,
                };
                assert!(capped, "lifetime not capped to {cap} s");
            }
            assert_eq!(verdict == Verdict::Harden, !checked.hardened.is_empty());
        }
        (_, Err(ResponseError::Build(_))) => {}
        (_, Err(e)) => panic!("an allowed cookie gave {e:?}"),
    }
}
