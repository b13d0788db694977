//! What enforcement decides for one cookie name: the rule, whether it needs
//! consent, and the verdict.

use core::fmt;

use crate::consent::Consent;
use crate::policy::{Policy, Requirement, Rule, Transport, Transports, Undeclared};
use crate::set_cookie::{AttributeName, Prefix};

/// Why a cookie is denied.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum Reason {
    /// Its category needs a consent the visitor has not given.
    NoConsent,
    /// No rule declares it and the policy blocks undeclared cookies.
    Undeclared,
    /// A `Set-Cookie` whose name is empty (a nameless cookie) or not an RFC 6265
    /// token (RFC 6265 parsing keeps control bytes): no rule can declare it and
    /// no `Set-Cookie` builder writes it, so it is blocked even where undeclared
    /// cookies are reported, and even when it deletes.
    InvalidName,
    /// A `Set-Cookie` carries this attribute with a value its rule does not
    /// declare (another `Path` or `Domain`), which hardening cannot fix without
    /// making it another cookie.
    Attribute(AttributeName),
    /// Its rule does not allow the transport the request came over
    /// ([`Rule::transports`]): an HTTPS-only cookie over plain `http`, a plain
    /// `http` one over HTTPS; or its name starts with `__Secure-` or `__Host-`
    /// (in any case) and the transport is plain `http`, whatever its rule or
    /// `@undeclared report` says.
    Transport,
}

texts! {
    /// `"no consent"`, `"undeclared"`, `"invalid name"`, `"attribute violation"`
    /// or `"wrong transport"`.
    Reason {
        Self::NoConsent => "no consent",
        Self::Undeclared => "undeclared",
        Self::InvalidName => "invalid name",
        Self::Attribute(_) => "attribute violation",
        Self::Transport => "wrong transport",
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

texts! {
    /// `"allow"`, `"harden"` or `"block"`.
    Verdict {
        Self::Allow => "allow",
        Self::Harden => "harden",
        Self::Block(_) => "block",
    }
}

impl Verdict {
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

/// Classifies `name` under `policy` and decides it under `effective`, a consent
/// already checked against the policy's revision, over `transport`. A transport
/// the name may not use blocks it before consent is asked: the cookie is not the
/// one the visitor consented to (over plain `http`, anyone on the path could
/// have planted it).
pub(super) fn decide<'p, 'a, const N: usize>(
    policy: &'p Policy<'a, N>,
    name: &[u8],
    effective: &Consent,
    transport: Transport,
) -> Decision<'p, 'a> {
    let mut decision = by_consent(policy, name, effective);
    if decision.verdict != Verdict::Block(Reason::Undeclared)
        && !transports(decision.rule, name).allows(transport)
    {
        decision.verdict = Verdict::Block(Reason::Transport);
    }
    decision
}

/// The transports a cookie named `name` may use: HTTPS only for a `__Secure-`
/// or `__Host-` name (a browser takes it from nowhere else), else its rule's, and
/// any for an undeclared one.
fn transports(rule: Option<&Rule<'_>>, name: &[u8]) -> Transports {
    match (rule, Prefix::of(name)) {
        (_, Some(_)) => Transports::Tls,
        (Some(rule), None) => rule.transports(),
        (None, None) => Transports::Any,
    }
}

/// The decision before the transport is asked.
fn by_consent<'p, 'a, const N: usize>(
    policy: &'p Policy<'a, N>,
    name: &[u8],
    effective: &Consent,
) -> Decision<'p, 'a> {
    match policy.classify(name) {
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
            verdict: match policy.undeclared() {
                Undeclared::Block => Verdict::Block(Reason::Undeclared),
                Undeclared::Report => Verdict::Allow,
            },
        },
    }
}
