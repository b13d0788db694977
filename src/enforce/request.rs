//! The cookies of a request under a policy and a consent: which the application
//! may see, and the removal headers for those the consent no longer allows.
//!
//! # Withdrawal
//!
//! A browser deletes a cookie only when a removal names the same name, `Domain`
//! and `Path`; the `Cookie` header shows the name alone, so the removal takes the
//! rest from the cookie's rule. What it cannot reach:
//!
//! - a cookie stored under a `Path` or `Domain` its rule does not declare (a rule
//!   without `path=` is taken to mean `/`, where site-wide cookies live; one
//!   without `domain=` to mean host-only): declare them in the rule;
//! - a cookie stored under a third party's domain (an advertising network's):
//!   a browser accepts a `Domain` only if it covers the responding host, so only
//!   that party can delete it. Withdrawal here stops the site from reading or
//!   setting it; the visitor's choice must also reach the third party's script.

use super::decision::{Decision, Reason, Verdict, decide};
use crate::consent::Consent;
use crate::cookie::{Cookie, CookieHeader, CookieWriteError, CookieWriter};
use crate::policy::{Policy, Rule, Transport};
use crate::set_cookie::{AttributeName, BuildError, Prefix, SetCookieBuilder};

/// One cookie of a request and its decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct RequestCookie<'h, 'p, 'a> {
    /// The cookie as the request sent it.
    pub cookie: Cookie<'h>,
    /// Its rule and verdict.
    pub decision: Decision<'p, 'a>,
}

/// The cookies of a request under a policy and a consent, from
/// [`Enforcer::request`](crate::enforce::Enforcer::request).
#[derive(Clone, Copy, Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct RequestCookies<'h, 'p, 'a, const N: usize> {
    pub(super) header: CookieHeader<'h>,
    pub(super) policy: &'p Policy<'a, N>,
    /// Already checked against the policy's revision.
    pub(super) consent: Consent,
    pub(super) transport: Transport,
}

impl<'h, 'p, 'a, const N: usize> RequestCookies<'h, 'p, 'a, N> {
    /// Every cookie with its decision, in header order.
    pub fn iter(
        &self,
    ) -> impl Iterator<Item = RequestCookie<'h, 'p, 'a>> + Clone + use<'h, 'p, 'a, N> {
        let (policy, consent, transport) = (self.policy, self.consent, self.transport);
        self.header.iter().map(move |cookie| RequestCookie {
            cookie,
            decision: decide(policy, cookie.name(), &consent, transport),
        })
    }

    /// The cookies the application may see.
    pub fn allowed(&self) -> impl Iterator<Item = Cookie<'h>> + Clone + use<'h, 'p, 'a, N> {
        self.iter().filter(|c| c.decision.verdict.is_allowed()).map(|c| c.cookie)
    }

    /// The cookies it may not, with their decisions.
    pub fn denied(&self) -> impl Iterator<Item = RequestCookie<'h, 'p, 'a>> + use<'h, 'p, 'a, N> {
        self.iter().filter(|c| !c.decision.verdict.is_allowed())
    }

    /// Writes the allowed cookies into `buf` as a `Cookie` header value
    /// (`a=1; b=2`, values as received) and returns its length. A buffer too
    /// small is [`CookieWriteError::BufferTooSmall`] with the length of the whole
    /// value, and nothing is written.
    ///
    /// ```
    /// use embedded_cookie::consent::Consent;
    /// use embedded_cookie::cookie::CookieWriteError;
    /// use embedded_cookie::enforce::Enforcer;
    /// use embedded_cookie::policy::Policy;
    /// use embedded_cookie::CookieHeader;
    ///
    /// let policy = Policy::<2>::load("@revision 1\nsessionid | necessary\ncsrftoken | necessary")?;
    /// let header = CookieHeader::parse("sessionid=abc; csrftoken=tok")?;
    /// let request = Enforcer::new(&policy, &Consent::necessary_only(1)).request(&header);
    /// let mut small = [0u8; 8];
    /// let err = request.write(&mut small).unwrap_err();
    /// assert_eq!(err, CookieWriteError::BufferTooSmall { needed: 28 });
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn write(&self, buf: &mut [u8]) -> Result<usize, CookieWriteError> {
        let mut out = CookieWriter::new(buf);
        out.push_all(self.allowed().map(|c| (c.name(), c.value())))?;
        Ok(out.len())
    }

    /// The declared cookies of the request that the consent does not allow, each
    /// name once: send one removal header for each. Undeclared cookies are not
    /// listed, since no rule says which `Path` and `Domain` would delete them, nor
    /// cookies blocked for their transport ([`Reason::Transport`]): the consent
    /// did not decide them. Each removal is written for the request's transport
    /// ([`Withdrawal::builder`]).
    ///
    /// The work is constant per cookie: the names already listed are kept in a
    /// table of eight, by hash. A request with more denied names than that may
    /// see a name that lost its place listed again; a second removal of the same
    /// cookie is harmless, and a name is never left out.
    ///
    /// ```
    /// use embedded_cookie::consent::Consent;
    /// use embedded_cookie::enforce::Enforcer;
    /// use embedded_cookie::policy::Policy;
    /// use embedded_cookie::CookieHeader;
    ///
    /// let policy = Policy::<4>::load("@revision 2\nlang | preferences | | | | | path=/ secure")?;
    /// let header = CookieHeader::parse("lang=fr; lang=en; other=1")?;
    /// // The visitor withdrew consent: revision 2, nothing granted.
    /// let request = Enforcer::new(&policy, &Consent::necessary_only(2)).request(&header);
    /// let mut buf = [0u8; 96];
    /// let removals: Vec<_> = request
    ///     .withdrawals()
    ///     .map(|w| w.write(&mut buf).map(|n| buf[..n].to_vec()))
    ///     .collect::<Result<_, _>>()?;
    /// assert_eq!(removals, [&b"lang=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; Secure"[..]]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn withdrawals(&self) -> impl Iterator<Item = Withdrawal<'h, 'p, 'a>> + use<'h, 'p, 'a, N> {
        // Names already listed, direct-mapped by hash: constant work per cookie.
        // A slot holds one name, so a miss only means "not seen lately" and the
        // name is listed again, never skipped.
        let mut listed: [Option<&'h [u8]>; LISTED] = [None; LISTED];
        let transport = self.transport;
        self.iter().filter_map(move |checked| {
            let rule = checked.decision.rule?;
            if checked.decision.verdict != Verdict::Block(Reason::NoConsent) {
                return None;
            }
            let name = checked.cookie.name();
            if let Some(slot) = listed.get_mut(bucket(name, LISTED)) {
                if *slot == Some(name) {
                    return None;
                }
                *slot = Some(name);
            }
            Some(Withdrawal { cookie: checked.cookie, rule, transport })
        })
    }
}

/// The slot of `name` among `slots`: its first and last eight bytes and its
/// length, mixed by one multiplication and mapped without a division.
fn bucket(name: &[u8], slots: usize) -> usize {
    let word = |bytes: &[u8]| {
        let mut word = [0u8; 8];
        word.iter_mut().zip(bytes).for_each(|(to, from)| *to = *from);
        u64::from_be_bytes(word)
    };
    let tail = name.get(name.len().saturating_sub(8)..).unwrap_or(name);
    let mixed = (word(name) ^ word(tail).rotate_left(29) ^ name.len() as u64)
        .wrapping_mul(0x9E37_79B9_7F4A_7C15);
    ((u128::from(mixed) * slots as u128) >> 64) as usize
}

/// How many names [`RequestCookies::withdrawals`] remembers to list each once.
const LISTED: usize = 8;

/// A cookie to delete: the request's cookie and the rule that declares it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Withdrawal<'h, 'p, 'a> {
    /// The cookie as the request sent it.
    pub cookie: Cookie<'h>,
    /// Its rule, whose `Path` and `Domain` the removal repeats.
    pub rule: &'p Rule<'a>,
    /// The transport of the request, which the removal is written for.
    pub transport: Transport,
}

impl<'h, 'a> Withdrawal<'h, '_, 'a> {
    /// The removal header: the cookie's name, an empty value, `Max-Age=0`, an
    /// `Expires` in 1970, the rule's `Path` (`/` if it declares none), its
    /// `Domain`, and `Secure` if the rule requires it and the transport is TLS
    /// (a browser refuses a `Secure` one from plain `http`, so there the removal
    /// goes without it: it deletes the copy plain `http` could have set, and the
    /// browser leaves a `Secure` one alone). A `__Secure-` or `__Host-`
    /// name (in any case) is deleted only by a removal that meets its prefix's
    /// rules, so it always gets `Secure`, and a `__Host-` one `Path=/` and no
    /// `Domain`, whatever its rule says. A name that is not UTF-8 cannot be
    /// written: [`BuildError::InvalidName`].
    ///
    /// ```
    /// use embedded_cookie::consent::Consent;
    /// use embedded_cookie::enforce::Enforcer;
    /// use embedded_cookie::policy::Policy;
    /// use embedded_cookie::CookieHeader;
    ///
    /// let policy = Policy::<4>::load("@revision 1
    /// _ga*       | statistics | | | | | domain=example.com
    /// __Host-pid | marketing")?;
    /// let header = CookieHeader::parse("_ga=GA1.2.3; __Host-pid=9")?;
    /// let request = Enforcer::new(&policy, &Consent::necessary_only(1)).request(&header);
    /// let removals = request
    ///     .withdrawals()
    ///     .map(|w| w.builder()?.to_heapless::<96>())
    ///     .collect::<Result<Vec<_>, _>>()?;
    /// assert_eq!(removals, [
    ///     "_ga=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Domain=example.com; Path=/",
    ///     "__Host-pid=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; Secure",
    /// ]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn builder<'x>(&self) -> Result<SetCookieBuilder<'x>, BuildError>
    where
        'h: 'x,
        'a: 'x,
    {
        let name = self.cookie.name_str().ok_or(BuildError::InvalidName)?;
        Ok(removal(name, self.rule, self.transport))
    }

    /// Writes the removal header into `buf` and returns its length.
    pub fn write(&self, buf: &mut [u8]) -> Result<usize, BuildError> {
        self.builder()?.write(buf)
    }
}

/// The removal of the cookie `name` under `rule` over `transport`: see
/// [`Withdrawal::builder`].
pub(super) fn removal<'x>(
    name: &'x str,
    rule: &Rule<'x>,
    transport: Transport,
) -> SetCookieBuilder<'x> {
    let want = &rule.attributes;
    let builder = SetCookieBuilder::new(name, "")
        .secure(want.secure && matches!(transport, Transport::Tls))
        .path(want.path.unwrap_or("/"))
        .removal();
    let builder = match want.domain {
        Some(domain) => builder.domain(domain),
        None => builder,
    };
    meet_prefix(builder, name.as_bytes())
}

/// `builder` made to meet the rules of `name`'s prefix, which only a removal that
/// meets them deletes: `Secure` for both, and `Path=/` without `Domain` for
/// `__Host-` (in any case).
pub(super) fn meet_prefix<'x>(builder: SetCookieBuilder<'x>, name: &[u8]) -> SetCookieBuilder<'x> {
    match Prefix::of(name) {
        Some(Prefix::Host) => builder.secure(true).path("/").without(AttributeName::Domain),
        Some(Prefix::Secure) => builder.secure(true),
        None => builder,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CookieHeader;
    use crate::consent::{Categories, Consent};
    use crate::enforce::Enforcer;
    use crate::policy::{Category, Policy};
    use std::string::String;
    use std::vec::Vec;

    fn removals(header: &str, consent: Consent) -> Vec<Result<String, BuildError>> {
        let policy = Policy::<8>::load(
            "@revision 1
sid        | necessary
_ga_*      | statistics | | | | | path=/ domain=example.com
__Host-ab  | marketing  | | | | | secure path=/
pref       | preferences
app        | preferences | | | | | path=/app
__Secure-t | preferences
__host-h   | marketing  | | | | | path=/app domain=example.com",
        )
        .unwrap();
        let header = CookieHeader::parse(header).unwrap();
        let request = Enforcer::new(&policy, &consent).request(&header);
        let mut buf = [0u8; 128];
        request
            .withdrawals()
            .map(|w| w.write(&mut buf).map(|n| String::from_utf8(buf[..n].to_vec()).unwrap()))
            .collect()
    }

    const GONE: &str = "=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0";

    /// A removal deletes only the cookie of the same name, path and domain, and a
    /// prefixed one only with the attributes its prefix requires.
    #[test]
    fn removals_repeat_the_rule_scope() {
        let header = "sid=1; _ga_X=2; __Host-ab=3; pref=4; x=5; app=6; __Secure-t=7; __host-h=8";
        let got = removals(header, Consent::necessary_only(1));
        let want = [
            // The rule's Domain and Path.
            std::format!("_ga_X{GONE}; Domain=example.com; Path=/"),
            std::format!("__Host-ab{GONE}; Path=/; Secure"),
            // No `path=` in the rule: `/`, not the request's directory.
            std::format!("pref{GONE}; Path=/"),
            std::format!("app{GONE}; Path=/app"),
            // A prefix needs `Secure` whatever the rule says ...
            std::format!("__Secure-t{GONE}; Path=/; Secure"),
            // ... and `__Host-` (any case) `Path=/` and no `Domain`.
            std::format!("__host-h{GONE}; Path=/; Secure"),
        ];
        assert_eq!(got, want.map(Ok));
    }

    /// Over plain `http` a removal goes without the `Secure` a browser refuses
    /// from there; a cookie blocked for its transport is not withdrawn.
    #[test]
    fn withdrawals_are_written_for_the_transport() {
        use crate::policy::Transport;
        let policy = Policy::<4>::load(
            "@revision 1
lang | preferences | | | | | path=/ secure transport=any
ad   | marketing   | | | | | secure",
        )
        .unwrap();
        let header = CookieHeader::parse("lang=fr; ad=1").unwrap();
        let cases = [
            (
                Transport::Tls,
                std::vec![
                    std::format!("lang{GONE}; Path=/; Secure"),
                    std::format!("ad{GONE}; Path=/; Secure")
                ],
            ),
            (Transport::PlainHttp, std::vec![std::format!("lang{GONE}; Path=/")]),
        ];
        for (transport, want) in cases {
            let enforcer = Enforcer::new(&policy, &Consent::necessary_only(1)).over(transport);
            let mut buf = [0u8; 96];
            let got: Vec<String> = enforcer
                .request(&header)
                .withdrawals()
                .map(|w| {
                    assert_eq!(w.transport, transport);
                    let n = w.write(&mut buf).unwrap();
                    String::from_utf8(buf[..n].to_vec()).unwrap()
                })
                .collect();
            assert_eq!(got, want, "{transport}");
        }
    }

    #[test]
    fn granted_or_exempt_cookies_are_kept() {
        let stats = Consent::new(Categories::NONE.with(Category::Statistics), 1);
        let got = removals("sid=1; _ga_X=2", stats);
        assert!(got.is_empty(), "{got:?}");
        assert!(removals("sid=1; _ga_X=2", Consent::new(Categories::ALL, 1)).is_empty());
    }

    #[test]
    fn a_stale_consent_withdraws_everything_consented() {
        let got = removals("pref=1", Consent::new(Categories::ALL, 0));
        assert_eq!(got, [Ok(std::format!("pref{GONE}; Path=/"))]);
    }

    #[test]
    fn each_name_is_removed_once_and_bad_names_are_reported() {
        let got = removals("pref=1; pref=2; _ga_\u{e9}=3", Consent::necessary_only(1));
        assert_eq!(got, [Ok(std::format!("pref{GONE}; Path=/")), Err(BuildError::InvalidName)]);
    }

    /// Every denied name is listed, however many collide in the table of listed
    /// names; only a name that lost its place there may be listed again.
    #[test]
    fn colliding_names_are_all_listed() {
        let policy = Policy::<1>::load("@revision 1\nc* | marketing").unwrap();
        let names: Vec<String> = (0..64).map(|i| std::format!("c{i}")).collect();
        let twice: Vec<String> =
            names.iter().chain(&names).map(|n| std::format!("{n}=1")).collect();
        let text = twice.join("; ");
        let header = CookieHeader::parse(&text).unwrap();
        let request = Enforcer::new(&policy, &Consent::necessary_only(1)).request(&header);
        let listed: Vec<&[u8]> = request.withdrawals().map(|w| w.cookie.name()).collect();
        for name in &names {
            let times = listed.iter().filter(|l| **l == name.as_bytes()).count();
            assert!((1..=2).contains(&times), "{name}: {times}");
        }
        // A name repeated next to itself always keeps its place.
        let header = CookieHeader::parse("c1=1; c1=2; c2=1; c2=2").unwrap();
        let request = Enforcer::new(&policy, &Consent::necessary_only(1)).request(&header);
        assert_eq!(request.withdrawals().count(), 2);
    }
}
