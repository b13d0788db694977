//! Enforcing a policy and a consent on the cookies of a request, without
//! allocating.
//!
//! A consent applies only to the policy revision it was given for: against a
//! policy of another revision, every operation here enforces a necessary-only
//! consent, as if the visitor had not answered yet.
//!
//! # Request
//!
//! [`Policy::filter_request`] pairs each cookie of a `Cookie` header with its
//! [`Decision`]: the rule that covers it, whether it needs consent, and the
//! [`Verdict`]. [`RequestCookies::write_allowed`] writes the allowed ones into a
//! buffer as a `Cookie` header value: what the application may see.
//!
//! ```
//! use embedded_cookie::consent::{self, Consent};
//! use embedded_cookie::enforce::{Reason, Verdict};
//! use embedded_cookie::policy::SEED;
//! use embedded_cookie::CookieHeader;
//!
//! let header = CookieHeader::parse("sessionid=s1; _ga=GA1.2; cookies_preferences=1.1.")?;
//! let consent = Consent::from_header(&header, consent::DEFAULT_NAME, SEED.revision()).consent;
//! let request = SEED.filter_request(&header, &consent);
//!
//! let ga = request.iter().find(|c| c.cookie.name() == b"_ga").unwrap();
//! assert_eq!(ga.decision.verdict, Verdict::Block(Reason::Undeclared));
//!
//! let mut buf = [0u8; 64];
//! let n = request.write_allowed(&mut buf)?;
//! assert_eq!(&buf[..n], b"sessionid=s1; cookies_preferences=1.1.");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use core::fmt;

use crate::consent::Consent;
use crate::cookie::{Cookie, CookieHeader};
use crate::cookie_writer::{CookieWriteError, CookieWriter};
use crate::policy::{Policy, Requirement, Rule, Undeclared};
use crate::set_cookie::AttributeName;

mod response;
mod withdraw;

pub use response::{CheckedSetCookie, Hardened, ResponseError};
pub use withdraw::Withdrawal;

/// Why a cookie is denied.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum Reason {
    /// Its category needs a consent the visitor has not given.
    NoConsent,
    /// No rule declares it and the policy blocks undeclared cookies.
    Undeclared,
    /// A `Set-Cookie` carries this attribute with a value its rule does not
    /// declare (another `Path` or `Domain`), which hardening cannot fix without
    /// making it another cookie.
    Attribute(AttributeName),
}

impl Reason {
    /// `"no consent"`, `"undeclared"` or `"attribute violation"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::NoConsent => "no consent",
            Self::Undeclared => "undeclared",
            Self::Attribute(_) => "attribute violation",
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Attribute(name) => write!(f, "{}: {}", self.as_str(), name.as_str()),
            _ => f.write_str(self.as_str()),
        }
    }
}

/// What happens to a cookie.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum Verdict {
    /// It may be used as it is.
    Allow,
    /// A `Set-Cookie` may be sent once the attributes its rule requires are added
    /// and its lifetime capped. Never given for a request cookie.
    Harden,
    /// It may not be used.
    Block(Reason),
}

impl Verdict {
    /// `"allow"`, `"harden"` or `"block"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Allow => "allow",
            Self::Harden => "harden",
            Self::Block(_) => "block",
        }
    }

    /// True unless blocked: the cookie may be used (a hardened one once
    /// hardened).
    pub const fn is_allowed(self) -> bool {
        !matches!(self, Self::Block(_))
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Block(reason) => write!(f, "block ({reason})"),
            other => f.write_str(other.as_str()),
        }
    }
}

/// A cookie name's classification under a policy and a consent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Decision<'p, 'a> {
    /// The rule that covers the name; `None` when it is undeclared.
    pub rule: Option<&'p Rule<'a>>,
    /// Whether it needs consent. An undeclared cookie is never exempt.
    pub requirement: Requirement,
    /// Allowed or not, and why.
    pub verdict: Verdict,
}

impl<'a, const N: usize> Policy<'a, N> {
    /// The consent that applies: `consent` if it was given for this revision,
    /// else necessary only.
    ///
    /// ```
    /// use embedded_cookie::consent::{Categories, Consent};
    /// use embedded_cookie::policy::SEED;
    ///
    /// let current = Consent::new(Categories::ALL, SEED.revision());
    /// assert_eq!(SEED.effective(&current), current);
    /// let stale = Consent::new(Categories::ALL, SEED.revision() - 1);
    /// assert_eq!(SEED.effective(&stale), Consent::necessary_only(SEED.revision()));
    /// ```
    pub const fn effective(&self, consent: &Consent) -> Consent {
        if consent.revision() == self.revision() {
            *consent
        } else {
            Consent::necessary_only(self.revision())
        }
    }

    /// Classifies `name` and decides it under `consent`.
    ///
    /// ```
    /// use embedded_cookie::consent::{Categories, Consent};
    /// use embedded_cookie::enforce::{Reason, Verdict};
    /// use embedded_cookie::policy::{Category, Policy};
    ///
    /// let policy = Policy::<4>::load("@revision 2\nuid | marketing")?;
    /// let refused = Consent::necessary_only(2);
    /// assert_eq!(policy.decide(b"uid", &refused).verdict, Verdict::Block(Reason::NoConsent));
    /// let granted = Consent::new(Categories::NONE.with(Category::Marketing), 2);
    /// assert_eq!(policy.decide(b"uid", &granted).verdict, Verdict::Allow);
    /// // A consent for revision 1 does not apply to revision 2.
    /// let old = Consent::new(Categories::ALL, 1);
    /// assert_eq!(policy.decide(b"uid", &old).verdict, Verdict::Block(Reason::NoConsent));
    /// # Ok::<(), embedded_cookie::policy::LoadError>(())
    /// ```
    pub fn decide(&self, name: &[u8], consent: &Consent) -> Decision<'_, 'a> {
        self.decide_with(name, &self.effective(consent))
    }

    /// [`decide`](Self::decide) with a consent already checked against the revision.
    fn decide_with(&self, name: &[u8], effective: &Consent) -> Decision<'_, 'a> {
        match self.classify(name) {
            Some(rule) => Decision {
                rule: Some(rule),
                requirement: rule.requirement(),
                verdict: if effective.allows(rule) {
                    Verdict::Allow
                } else {
                    Verdict::Block(Reason::NoConsent)
                },
            },
            None => Decision {
                rule: None,
                requirement: Requirement::Required,
                verdict: match self.undeclared() {
                    Undeclared::Block => Verdict::Block(Reason::Undeclared),
                    Undeclared::Report => Verdict::Allow,
                },
            },
        }
    }

    /// The cookies of a request header with their decisions under `consent`.
    pub fn filter_request<'h, 'p>(
        &'p self,
        header: &CookieHeader<'h>,
        consent: &Consent,
    ) -> RequestCookies<'h, 'p, 'a, N> {
        RequestCookies { header: *header, policy: self, consent: self.effective(consent) }
    }
}

/// One cookie of a request and its decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Checked<'h, 'p, 'a> {
    /// The cookie as the request sent it.
    pub cookie: Cookie<'h>,
    /// Its rule and verdict.
    pub decision: Decision<'p, 'a>,
}

/// The cookies of a request under a policy and a consent. See the
/// [module docs](self).
#[derive(Clone, Copy, Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct RequestCookies<'h, 'p, 'a, const N: usize> {
    header: CookieHeader<'h>,
    policy: &'p Policy<'a, N>,
    consent: Consent,
}

impl<'h, 'p, 'a, const N: usize> RequestCookies<'h, 'p, 'a, N> {
    /// Every cookie with its decision, in header order.
    pub fn iter(&self) -> impl Iterator<Item = Checked<'h, 'p, 'a>> + use<'h, 'p, 'a, N> {
        let (policy, consent) = (self.policy, self.consent);
        self.header.iter().map(move |cookie| Checked {
            cookie,
            decision: policy.decide_with(cookie.name(), &consent),
        })
    }

    /// The cookies the application may see.
    pub fn allowed(&self) -> impl Iterator<Item = Cookie<'h>> + use<'h, 'p, 'a, N> {
        self.iter().filter(|c| c.decision.verdict.is_allowed()).map(|c| c.cookie)
    }

    /// The cookies it may not, with their decisions.
    pub fn denied(&self) -> impl Iterator<Item = Checked<'h, 'p, 'a>> + use<'h, 'p, 'a, N> {
        self.iter().filter(|c| !c.decision.verdict.is_allowed())
    }

    /// Writes the allowed cookies into `buf` as a `Cookie` header value
    /// (`a=1; b=2`, values as received) and returns its length. A buffer too
    /// small is [`CookieWriteError::BufferTooSmall`] with the length of the whole
    /// value, and nothing is written.
    ///
    /// ```
    /// use embedded_cookie::consent::Consent;
    /// use embedded_cookie::cookie_writer::CookieWriteError;
    /// use embedded_cookie::policy::SEED;
    /// use embedded_cookie::CookieHeader;
    ///
    /// let header = CookieHeader::parse("sessionid=abc; csrftoken=tok")?;
    /// let request = SEED.filter_request(&header, &Consent::necessary_only(1));
    /// let mut small = [0u8; 8];
    /// let err = request.write_allowed(&mut small).unwrap_err();
    /// assert_eq!(err, CookieWriteError::BufferTooSmall { needed: 28 });
    /// # Ok::<(), embedded_cookie::Error>(())
    /// ```
    pub fn write_allowed(&self, buf: &mut [u8]) -> Result<usize, CookieWriteError> {
        let needed = self
            .allowed()
            .enumerate()
            .map(|(i, c)| if i > 0 { 2 } else { 0 } + c.name().len() + 1 + c.value().len())
            .sum();
        if needed > buf.len() {
            return Err(CookieWriteError::BufferTooSmall { needed });
        }
        let mut out = CookieWriter::new(buf);
        for cookie in self.allowed() {
            out.push(cookie.name(), cookie.value())?;
        }
        Ok(out.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consent::Categories;
    use crate::policy::{Category, SEED};
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
        let policy = Policy::<8>::load(POLICY_TEXT).unwrap().with_undeclared(undeclared);
        let header = CookieHeader::parse(header).unwrap();
        let request = policy.filter_request(&header, &consent);
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

    #[test]
    fn allowed_subset_is_written_as_a_cookie_header() {
        let header = CookieHeader::parse("a=1;sessionid=x y;  _ga=2; csrftoken=\"q\"").unwrap();
        let request = SEED.filter_request(&header, &Consent::necessary_only(1));
        let want: &[u8] = b"sessionid=x y; csrftoken=\"q\"";
        let mut buf = [0u8; 64];
        assert_eq!(request.write_allowed(&mut buf), Ok(want.len()));
        assert_eq!(&buf[..want.len()], want);
        for size in 0..want.len() {
            let mut small = std::vec![0u8; size];
            let err = CookieWriteError::BufferTooSmall { needed: want.len() };
            assert_eq!(request.write_allowed(&mut small), Err(err));
        }
        let mut exact = std::vec![0u8; want.len()];
        assert_eq!(request.write_allowed(&mut exact), Ok(want.len()));
        assert_eq!(request.denied().count(), 2);
    }

    #[test]
    fn nothing_allowed_writes_nothing() {
        let header = CookieHeader::parse("_ga=1").unwrap();
        let request = SEED.filter_request(&header, &Consent::new(Categories::ALL, 1));
        assert_eq!(request.write_allowed(&mut []), Ok(0));
        assert_eq!(request.allowed().count(), 0);
    }

    #[test]
    fn undeclared_is_never_exempt() {
        let d = SEED.decide(b"_ga", &Consent::new(Categories::ALL, 1));
        assert_eq!((d.rule, d.requirement), (None, Requirement::Required));
    }
}
