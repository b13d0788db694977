//! Which transport a request came over, and which transports a rule's cookies
//! may be read and set on.

/// How a request reached the server: only the server knows (its TLS listener or
/// its plain one, or the header a trusted proxy adds), so it tells
/// [`Enforcer::over`](crate::enforce::Enforcer::over).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Transport {
    /// HTTPS: a secure origin, where a browser keeps and sends `Secure` cookies.
    #[default]
    Tls,
    /// Plain `http`: anyone on the path reads every cookie and can plant one. A
    /// browser refuses a `Set-Cookie` with `Secure` from it, never sends it a
    /// `Secure` cookie, and ignores its attempts to overwrite or delete one.
    PlainHttp,
}

texts! {
    /// `"tls"` or `"http"`, the words of the policy text's `transport=`.
    Transport: display {
        Self::Tls => "tls",
        Self::PlainHttp => "http",
    }
}

/// The transports a rule's cookies may be read and set on
/// ([`Rule::transports`](crate::policy::Rule::transports)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Transports {
    /// HTTPS only: over plain `http` the cookie is neither read nor set.
    Tls,
    /// Plain `http` only: over HTTPS the cookie is neither read nor set, so that
    /// a cookie anyone on the plain path could have planted never poses as the
    /// HTTPS one.
    PlainHttp,
    /// Both: over plain `http` without `Secure` (a browser would drop it).
    Any,
}

texts! {
    /// `"tls"`, `"http"` or `"any"`, as in the policy text.
    Transports: display {
        Self::Tls => "tls",
        Self::PlainHttp => "http",
        Self::Any => "any",
    }
}

impl Transports {
    /// Every value, in the order of the policy text's docs.
    pub const ALL: [Transports; 3] = [Self::Tls, Self::PlainHttp, Self::Any];

    /// Whether `transport` is one of them.
    ///
    /// ```
    /// use embedded_cookie::policy::{Transport, Transports};
    ///
    /// assert!(Transports::Any.allows(Transport::PlainHttp));
    /// assert!(!Transports::Tls.allows(Transport::PlainHttp));
    /// assert!(!Transports::PlainHttp.allows(Transport::Tls));
    /// ```
    pub const fn allows(self, transport: Transport) -> bool {
        matches!(
            (self, transport),
            (Self::Any, _) | (Self::Tls, Transport::Tls) | (Self::PlainHttp, Transport::PlainHttp)
        )
    }
}
