//! Enforcing a policy and a consent on the cookies of a request and of a
//! response, without allocating.
//!
//! An [`Enforcer`] is a [`Policy`] under one visitor's [`Consent`]. A consent
//! applies only to the policy revision it was given for: against a policy of
//! another revision, the enforcer applies a necessary-only consent, as if the
//! visitor had not answered yet.
//!
//! # Request
//!
//! [`Enforcer::request`] pairs each cookie of a `Cookie` header with its
//! [`Decision`]: the rule that covers it, whether it needs consent, and the
//! [`Verdict`]. [`RequestCookies::write`] writes the allowed ones into a
//! buffer as a `Cookie` header value: what the application may see.
//! [`RequestCookies::withdrawals`] gives the removal headers for the declared
//! cookies the consent no longer allows.
//!
//! ```
//! use embedded_cookie::consent::Consent;
//! use embedded_cookie::enforce::{Enforcer, Reason, Verdict};
//! use embedded_cookie::policy::Policy;
//! use embedded_cookie::CookieHeader;
//!
//! let policy = Policy::<4>::load("@revision 1\nsessionid | necessary\nconsent | necessary")?;
//! let header = CookieHeader::parse("sessionid=s1; _ga=GA1.2; consent=1.1.")?;
//! let consent = Consent::from_header(&header, "consent", policy.revision()).consent;
//! let request = Enforcer::new(&policy, &consent).request(&header);
//!
//! let ga = request.iter().find(|c| c.cookie.name() == b"_ga").unwrap();
//! assert_eq!(ga.decision.verdict, Verdict::Block(Reason::Undeclared));
//!
//! let mut buf = [0u8; 64];
//! let n = request.write(&mut buf)?;
//! assert_eq!(&buf[..n], b"sessionid=s1; consent=1.1.");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Response
//!
//! [`Enforcer::response`] checks a cookie the server is about to set, as it
//! holds it: a [`SetCookieBuilder`], or a parsed [`SetCookie`](crate::SetCookie)
//! line. It blocks what the policy or the consent refuses, adds the attributes
//! the cookie's rule requires, caps its lifetime, and gives the header to send
//! ([`ResponseCookie`]).
//!
//! # Transport
//!
//! The server tells the enforcer how the request came
//! ([`Enforcer::over`]; [`Enforcer::new`] takes TLS). Plain `http` exposes every
//! cookie to anyone on the path, who reads them and can plant new ones; a
//! browser neither keeps nor sends `Secure` cookies there. So a cookie set over
//! plain `http` must never be trusted as the HTTPS one: give it a distinct name
//! and a rule of its own, as OpenWrt's LuCI does (`sysauth_https` with `Secure`
//! over HTTPS, `sysauth_http` without it over plain `http`, both
//! `HttpOnly; SameSite=Strict`), and keep every rule that needs HTTPS
//! HTTPS-only (see [the policy's transports](crate::policy#transport)).
//!
//! - A request or response cookie whose rule does not allow the transport, or a
//!   `__Secure-` or `__Host-` one over plain `http` (declared or not), is blocked
//!   with [`Reason::Transport`], before consent is asked.
//! - Over plain `http` hardening never adds `Secure`, and removes a `Secure` the
//!   application set on a cookie its rule allows there (the browser would drop
//!   the cookie); an undeclared cookie under `@undeclared report` passes as it is.
//! - Deletions pass on any transport. Over plain `http` a removal goes without
//!   `Secure` (a `__Secure-` or `__Host-` name's aside): a browser refuses a
//!   `Secure` one from there, and ignores any attempt from there to delete or
//!   overwrite a `Secure` cookie (Chromium's "leave secure cookies alone"), so it
//!   deletes only a copy that plain `http` could have set.

mod decision;
mod request;
mod response;

use crate::consent::Consent;
use crate::cookie::CookieHeader;
use crate::policy::Policy;
use crate::set_cookie::SetCookieBuilder;

pub use crate::policy::Transport;

pub use decision::{Decision, Reason, Verdict};
pub use request::{RequestCookie, RequestCookies, Withdrawal};
pub use response::{EXPIRED_BEFORE, Hardened, ResponseCookie, ResponseError};

/// A policy under one visitor's consent: decides cookie names, filters the
/// cookies of a request and checks those of a response. It borrows the policy
/// and is cheap to copy; make one per request.
///
/// ```
/// use embedded_cookie::consent::{Categories, Consent};
/// use embedded_cookie::enforce::{Enforcer, Reason, Verdict};
/// use embedded_cookie::policy::{Category, Policy};
///
/// let policy = Policy::<4>::load("@revision 2\nuid | marketing")?;
/// let refused = Enforcer::new(&policy, &Consent::necessary_only(2));
/// assert_eq!(refused.decide("uid").verdict, Verdict::Block(Reason::NoConsent));
/// let granted = Consent::new(Categories::NONE.with(Category::Marketing), 2);
/// assert_eq!(Enforcer::new(&policy, &granted).decide(b"uid").verdict, Verdict::Allow);
/// // A consent for revision 1 does not apply to revision 2.
/// let old = Enforcer::new(&policy, &Consent::new(Categories::ALL, 1));
/// assert_eq!(old.consent(), Consent::necessary_only(2));
/// assert_eq!(old.decide(b"uid").verdict, Verdict::Block(Reason::NoConsent));
/// # Ok::<(), embedded_cookie::policy::LoadError>(())
/// ```
#[derive(Clone, Copy, Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Enforcer<'p, 'a, const N: usize> {
    policy: &'p Policy<'a, N>,
    consent: Consent,
    transport: Transport,
}

impl<'p, 'a, const N: usize> Enforcer<'p, 'a, N> {
    /// `policy` under `consent`, or under a necessary-only consent if `consent`
    /// was given for another revision of the policy, for a request over TLS
    /// ([`over`](Self::over) says otherwise).
    pub const fn new(policy: &'p Policy<'a, N>, consent: &Consent) -> Self {
        let consent = if consent.revision() == policy.revision() {
            *consent
        } else {
            Consent::necessary_only(policy.revision())
        };
        Self { policy, consent, transport: Transport::Tls }
    }

    /// The same enforcer for a request that came over `transport`: the server
    /// knows it (its TLS listener or its plain one), the crate cannot. See
    /// [Transport](crate::enforce#transport).
    ///
    /// ```
    /// use embedded_cookie::consent::Consent;
    /// use embedded_cookie::enforce::{Enforcer, Reason, Transport, Verdict};
    /// use embedded_cookie::policy::Policy;
    ///
    /// let policy = Policy::<2>::load("@revision 1
    /// sessionid_https | necessary | | | | | secure httponly samesite=strict transport=tls
    /// sessionid_http  | necessary | | | | | httponly samesite=strict transport=http")?;
    /// let consent = Consent::necessary_only(1);
    /// let plain = Enforcer::new(&policy, &consent).over(Transport::PlainHttp);
    /// assert_eq!(plain.transport(), Transport::PlainHttp);
    /// assert_eq!(plain.decide("sessionid_http").verdict, Verdict::Allow);
    /// assert_eq!(plain.decide("sessionid_https").verdict, Verdict::Block(Reason::Transport));
    /// let tls = Enforcer::new(&policy, &consent);
    /// assert_eq!(tls.decide("sessionid_http").verdict, Verdict::Block(Reason::Transport));
    /// # Ok::<(), embedded_cookie::policy::LoadError>(())
    /// ```
    pub const fn over(self, transport: Transport) -> Self {
        Self { transport, ..self }
    }

    /// The transport the request came over: [`Transport::Tls`] unless
    /// [`over`](Self::over) said otherwise.
    pub const fn transport(&self) -> Transport {
        self.transport
    }

    /// The policy enforced.
    pub const fn policy(&self) -> &'p Policy<'a, N> {
        self.policy
    }

    /// The consent that applies: the one given, if it was given for the policy's
    /// revision, else necessary only.
    pub const fn consent(&self) -> Consent {
        self.consent
    }

    /// Classifies `name` and decides it.
    pub fn decide<Name: AsRef<[u8]> + ?Sized>(&self, name: &Name) -> Decision<'p, 'a> {
        decision::decide(self.policy, name.as_ref(), &self.consent, self.transport)
    }

    /// The cookies of a request header with their decisions. Nothing is copied:
    /// the result borrows the header and the policy.
    ///
    /// ```
    /// use embedded_cookie::consent::Consent;
    /// use embedded_cookie::enforce::{Enforcer, Reason, Verdict};
    /// use embedded_cookie::policy::Policy;
    /// use embedded_cookie::CookieHeader;
    ///
    /// let policy = Policy::<4>::load("@revision 1\nsid | necessary\nlang | preferences")?;
    /// let header = CookieHeader::parse("sid=s1; lang=fr; _ga=GA1.2")?;
    /// let request = Enforcer::new(&policy, &Consent::necessary_only(1)).request(&header);
    ///
    /// let allowed: Vec<_> = request.allowed().map(|c| c.name()).collect();
    /// assert_eq!(allowed, [b"sid"]);
    /// let denied: Vec<_> = request.denied().map(|c| (c.cookie.name(), c.decision.verdict)).collect();
    /// assert_eq!(denied, [
    ///     (&b"lang"[..], Verdict::Block(Reason::NoConsent)),
    ///     (&b"_ga"[..], Verdict::Block(Reason::Undeclared)),
    /// ]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn request<'h>(&self, header: &CookieHeader<'h>) -> RequestCookies<'h, 'p, 'a, N> {
        RequestCookies {
            header: *header,
            policy: self.policy,
            consent: self.consent,
            transport: self.transport,
        }
    }

    /// Checks a cookie the server is about to set, at `now` (seconds since the
    /// Unix epoch, from the caller's clock: the crate never reads one), and gives
    /// the header that may be sent. The cookie is taken as the server holds it:
    /// a [`SetCookieBuilder`], or a parsed [`SetCookie`](crate::SetCookie) line
    /// (`&SetCookie`).
    ///
    /// - a cookie whose name is empty or not a token is blocked
    ///   ([`Reason::InvalidName`]): no rule can declare it and it cannot be
    ///   written, so not even `@undeclared report` lets it through;
    /// - over a transport its rule does not allow, or over plain `http` with a
    ///   `__Secure-` or `__Host-` name, a cookie that does not delete is blocked
    ///   ([`Reason::Transport`]; see [Transport](crate::enforce#transport));
    /// - a cookie that deletes is always allowed, whoever declared it and whatever
    ///   the consent and the transport, and sent as the crate's own removal, never
    ///   with the application's value: an empty value, `Max-Age=0`, an `Expires`
    ///   in 1970, and the scope of its rule as a [withdrawal](Withdrawal::builder)
    ///   over the same transport has it
    ///   (an undeclared cookie keeps the attributes it was sent with, made to meet
    ///   its name prefix). It deletes when the expiry that decides (`Max-Age` over
    ///   `Expires`) is a `Max-Age` of zero or less, or an `Expires` at or before
    ///   `now` or before [`EXPIRED_BEFORE`] (2023): the device's clock decides
    ///   only whether the value is replaced by nothing, never whether a value the
    ///   consent does not allow leaves (a browser whose clock is behind would keep
    ///   it), and a clock behind real time (seconds since boot) never turns a
    ///   deletion into a live cookie: an `Expires` in 1970 or 1999 deletes at any
    ///   `now`. An `Expires` from 2023 on that a clock behind reads as the future
    ///   is taken as a live cookie, as that clock says;
    /// - an undeclared cookie, or one whose category is not consented to, is
    ///   blocked ([`Reason::Undeclared`], [`Reason::NoConsent`]);
    /// - a `Path` or `Domain` other than the rule's is blocked
    ///   ([`Reason::Attribute`]): changing it would make it another cookie. A
    ///   missing one is set to the rule's; a rule without `Domain` blocks any;
    /// - a missing `Secure` or `HttpOnly` the rule requires is added (`Secure`
    ///   over TLS only; over plain `http` a `Secure` is removed, and a
    ///   `SameSite=None` or `Partitioned` cookie, which needs it, is then
    ///   [`BuildError::SameSiteNoneWithoutSecure`](crate::BuildError::SameSiteNoneWithoutSecure)
    ///   or [`PartitionedWithoutSecure`](crate::BuildError::PartitionedWithoutSecure)
    ///   when written), a `SameSite`
    ///   weaker than the rule's (`Strict` > `Lax` > `None` or absent) is raised,
    ///   and a lifetime over the rule's is capped: a `Max-Age` over it is lowered
    ///   to it, and an `Expires` after `now` plus the lifetime is removed, with
    ///   `Max-Age` set to the lifetime if the cookie had none. The cap is a
    ///   `Max-Age` rather than an earlier date because browsers count it on their
    ///   own clock (and apply it over `Expires`), so a device clock that is off
    ///   cannot make the cookie expire on arrival: [`Verdict::Harden`]. A
    ///   session cookie (neither `Max-Age` nor `Expires`) stays one: a `Max-Age`
    ///   would keep it after the browser closes, which the application chose
    ///   not to do (a login on a shared computer). A browser that restores
    ///   sessions may keep it longer than the lifetime; an application that
    ///   needs the bound there too sets `Max-Age` itself.
    ///
    /// ```
    /// use embedded_cookie::consent::Consent;
    /// use embedded_cookie::enforce::{Enforcer, Verdict};
    /// use embedded_cookie::policy::Policy;
    /// use embedded_cookie::set_cookie::{AttributeName, SetCookie, SetCookieBuilder};
    ///
    /// let policy = Policy::<4>::load(
    ///     "@revision 1\nsid | necessary | | | | | secure httponly samesite=lax max-age=2w path=/",
    /// )?;
    /// let enforcer = Enforcer::new(&policy, &Consent::necessary_only(1));
    /// let now = 1_700_000_000; // from the device's clock
    ///
    /// // A cookie built in code is checked as it is.
    /// let checked = enforcer.response(SetCookieBuilder::new("sid", "s1").path("/"), now);
    /// assert_eq!(checked.decision.verdict, Verdict::Harden);
    /// assert!(checked.hardened.contains(AttributeName::HttpOnly));
    /// let mut buf = [0u8; 128];
    /// let n = checked.write(&mut buf)?;
    /// assert_eq!(&buf[..n], b"sid=s1; Path=/; Secure; HttpOnly; SameSite=Lax");
    ///
    /// // A line from elsewhere is parsed first. A past date deletes the cookie,
    /// // even an undeclared one: sent as a removal, without its value.
    /// let gone = SetCookie::parse("_ga=GA1.2; Expires=Thu, 01 Jan 1970 00:00:00 GMT")?;
    /// let checked = enforcer.response(&gone, now);
    /// assert_eq!(checked.decision.verdict, Verdict::Allow);
    /// let n = checked.write(&mut buf)?;
    /// assert_eq!(&buf[..n], b"_ga=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn response<'x>(
        &self,
        cookie: impl Into<SetCookieBuilder<'x>>,
        now: i64,
    ) -> ResponseCookie<'p, 'a, 'x>
    where
        'a: 'x,
    {
        response::check(self.policy, &self.consent, self.transport, cookie.into(), now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consent::Categories;
    use crate::cookie::CookieWriteError;
    use crate::policy::Category;
    use crate::policy::{Requirement, Undeclared};
    use std::vec::Vec;

    const POLICY_TEXT: &str = "@revision 3
sid     | necessary
lang    | preferences
_pk_*   | statistics anonymised
_ga_*   | statistics
ad      | marketing
fb      | marketing third-party
";

    fn names_and_verdicts(header: &str, consent: Consent, undeclared: Undeclared) -> Vec<Verdict> {
        let text = std::format!("@undeclared {}\n{POLICY_TEXT}", undeclared.as_str());
        let policy = Policy::<8>::load(&text).unwrap();
        let header = CookieHeader::parse(header).unwrap();
        let request = Enforcer::new(&policy, &consent).request(&header);
        request.iter().map(|c| c.decision.verdict).collect()
    }

    #[test]
    fn verdicts_follow_consent_and_undeclared_action() {
        // One letter per cookie: allowed, blocked for lack of consent, undeclared.
        let letter = |v: Verdict| match v {
            Verdict::Allow => 'a',
            Verdict::Block(Reason::NoConsent) => 'c',
            Verdict::Block(Reason::Undeclared) => 'u',
            other => panic!("{other:?} for a request cookie"),
        };
        let header = "sid=1; lang=fr; _pk_id=2; _ga_X=3; ad=4; fb=5; other=6";
        let stats = Categories::NONE.with(Category::Statistics);
        let cases = [
            (Consent::necessary_only(3), Undeclared::Block, "acacccu"),
            (Consent::new(stats, 3), Undeclared::Block, "acaaccu"),
            (Consent::new(Categories::ALL, 3), Undeclared::Report, "aaaaaaa"),
            // Given for revision 2: void under revision 3.
            (Consent::new(Categories::ALL, 2), Undeclared::Block, "acacccu"),
        ];
        for (consent, undeclared, want) in cases {
            let got: std::string::String =
                names_and_verdicts(header, consent, undeclared).into_iter().map(letter).collect();
            assert_eq!(got, want, "{consent:?} {undeclared:?}");
        }
    }

    /// Two necessary cookies, nothing else declared, revision 1.
    fn necessary() -> Policy<'static, 2> {
        Policy::load("@revision 1\nsessionid | necessary\ncsrftoken | necessary").unwrap()
    }

    #[test]
    fn allowed_subset_is_written_as_a_cookie_header() {
        let header = CookieHeader::parse("a=1;sessionid=x y;  _ga=2; csrftoken=\"q\"").unwrap();
        let policy = necessary();
        let request = Enforcer::new(&policy, &Consent::necessary_only(1)).request(&header);
        let want: &[u8] = b"sessionid=x y; csrftoken=\"q\"";
        let mut buf = [0u8; 64];
        assert_eq!(request.write(&mut buf), Ok(want.len()));
        assert_eq!(&buf[..want.len()], want);
        for size in 0..want.len() {
            let mut small = std::vec![0u8; size];
            let err = CookieWriteError::BufferTooSmall { needed: want.len() };
            assert_eq!(request.write(&mut small), Err(err));
        }
        let mut exact = std::vec![0u8; want.len()];
        assert_eq!(request.write(&mut exact), Ok(want.len()));
        assert_eq!(request.denied().count(), 2);
    }

    #[test]
    fn nothing_allowed_writes_nothing() {
        let header = CookieHeader::parse("_ga=1").unwrap();
        let policy = necessary();
        let request = Enforcer::new(&policy, &Consent::new(Categories::ALL, 1)).request(&header);
        assert_eq!(request.write(&mut []), Ok(0));
        assert_eq!(request.allowed().count(), 0);
    }

    #[test]
    fn decide_takes_any_name_bytes() {
        let policy = necessary();
        let enforcer = Enforcer::new(&policy, &Consent::necessary_only(1));
        let owned = std::string::String::from("csrftoken");
        let verdicts =
            [enforcer.decide("csrftoken"), enforcer.decide(&owned), enforcer.decide(b"x")]
                .map(|d| d.verdict);
        assert_eq!(verdicts, [Verdict::Allow, Verdict::Allow, Verdict::Block(Reason::Undeclared)]);
    }

    /// Request cookies on each transport: a rule's transports, a prefix's TLS, and
    /// the transport asked before the consent.
    #[test]
    fn request_verdicts_by_transport() {
        let policy = Policy::<8>::load(
            "@revision 1
@undeclared report
tls   | necessary   | | | | | secure
http  | necessary   | | | | | httponly transport=http
any   | necessary   | | | | | secure transport=any
plain | necessary
ad    | marketing   | | | | | secure
lang  | preferences | | | | | transport=any
_*    | necessary",
        )
        .unwrap();
        // Allowed, no consent, wrong transport.
        let letter = |v: Verdict| match v {
            Verdict::Allow => 'a',
            Verdict::Block(Reason::NoConsent) => 'c',
            Verdict::Block(Reason::Transport) => 't',
            other => panic!("{other:?} for a request cookie"),
        };
        let header = CookieHeader::parse(
            "tls=1; http=2; any=3; plain=4; ad=5; lang=6; __Host-x=7; _x=8; __secure-y=9; other=10",
        )
        .unwrap();
        let cases = [(Transport::Tls, "ataaccaaaa"), (Transport::PlainHttp, "taaatctata")];
        for (transport, want) in cases {
            let enforcer = Enforcer::new(&policy, &Consent::necessary_only(1)).over(transport);
            let got: std::string::String =
                enforcer.request(&header).iter().map(|c| letter(c.decision.verdict)).collect();
            assert_eq!(got, want, "over {transport}");
        }
    }

    /// LuCI's pair: the session cookie over HTTPS with `Secure`, a distinct one
    /// over plain `http` without it, both `HttpOnly; SameSite=Strict`; neither
    /// is read or set on the other's transport.
    #[test]
    fn luci_pair_by_transport() {
        let policy = Policy::<2>::load(
            "@revision 1
sessionid_https | necessary | | | | | secure httponly samesite=strict transport=tls
sessionid_http  | necessary | | | | | httponly samesite=strict transport=http",
        )
        .unwrap();
        let header = CookieHeader::parse("sessionid_https=A; sessionid_http=B").unwrap();
        let cases = [
            (
                Transport::Tls,
                "sessionid_https=A",
                "sessionid_https",
                "Secure; HttpOnly; SameSite=Strict",
            ),
            (
                Transport::PlainHttp,
                "sessionid_http=B",
                "sessionid_http",
                "HttpOnly; SameSite=Strict",
            ),
        ];
        for (transport, read, set, attributes) in cases {
            let enforcer = Enforcer::new(&policy, &Consent::necessary_only(1)).over(transport);
            let mut buf = [0u8; 96];
            let n = enforcer.request(&header).write(&mut buf).unwrap();
            assert_eq!(&buf[..n], read.as_bytes(), "over {transport}");
            for name in ["sessionid_https", "sessionid_http"] {
                let checked = enforcer.response(SetCookieBuilder::new(name, "s"), 0);
                let sent = checked.write(&mut buf).map(|n| buf[..n].to_vec());
                if name == set {
                    assert_eq!(sent, Ok(std::format!("{name}=s; {attributes}").into_bytes()));
                } else {
                    assert_eq!(sent, Err(ResponseError::Blocked(Reason::Transport)), "{name}");
                }
            }
        }
    }

    #[test]
    fn undeclared_is_never_exempt() {
        let policy = necessary();
        let d = Enforcer::new(&policy, &Consent::new(Categories::ALL, 1)).decide(b"_ga");
        assert_eq!((d.rule, d.requirement), (None, Requirement::Required));
    }
}
