//! [`Error`]: every error of the crate in one type, for a request handler's `?`.

use core::fmt;

use crate::cookie::{CookieError, CookieWriteError};
use crate::date::DateError;
use crate::enforce::{Reason, ResponseError};
use crate::head::{HeadError, NameTooLong};
use crate::jar::{JarError, UrlError};
use crate::policy::{LoadError, LoadErrorKind};
use crate::set_cookie::{BuildError, PrefixError, SetCookieError};
#[cfg(feature = "signed")]
use crate::signed::{SignError, VerifyError};

/// Any error of this crate: each function returns its own small error type, and
/// each converts into this one with `From`, so a handler that parses, enforces,
/// builds and signs can `?` them all. Match a variant for what went wrong, or show
/// it: `Display` is the inner error's.
///
/// ```
/// # #[cfg(feature = "signed")] {
/// use embedded_cookie::signed::{Key, Keys};
/// use embedded_cookie::{Consent, CookieHeader, Enforcer, Error, Policy, SetCookieBuilder};
///
/// const SESSION: SetCookieBuilder<'static> =
///     SetCookieBuilder::new("sid", "").max_age(3600).path("/").http_only(true);
///
/// /// Signs the visitor in: the `Set-Cookie` line of a new session, in `line`.
/// fn sign_in<'l>(
///     cookie_header: &str,
///     policy: &Policy<'_, 4>,
///     keys: &Keys<'_>,
///     now: i64,
///     line: &'l mut [u8],
/// ) -> Result<&'l [u8], Error> {
///     let header = CookieHeader::parse(cookie_header)?; // a parse: `CookieError`
///     let consent = Consent::from_header(&header, "consent", policy.revision()).consent;
///     let enforcer = Enforcer::new(policy, &consent);
///     let mut value = [0u8; 64];
///     let session = keys.sign_cookie(SESSION, b"user=7", now, &mut value)?; // `SignError`
///     let checked = enforcer.response(session, now);
///     let n = checked.write(line)?; // enforce and build: `ResponseError`
///     SESSION.value("x").written_len()?; // a build alone: `BuildError`
///     Ok(&line[..n])
/// }
///
/// let policy = Policy::<4>::load("@revision 1\nsid | necessary | | | | | httponly\nconsent | necessary")?;
/// let keys = Keys::new(Key::new(1, b"development key: not for devices"), &[]);
/// let mut line = [0u8; 128];
/// let sent = sign_in("consent=1.1.", &policy, &keys, 1_700_000_000, &mut line)?;
/// assert!(sent.starts_with(b"sid=") && sent.ends_with(b"; Max-Age=3600; Path=/; HttpOnly"));
///
/// // Each error keeps its type, and says what it is.
/// let err = sign_in("sid=\0", &policy, &keys, 1_700_000_000, &mut line).unwrap_err();
/// assert!(matches!(err, Error::Cookie(_)));
/// let err = sign_in("", &policy, &keys, 1_700_000_000, &mut line[..8]).unwrap_err();
/// assert_eq!(err.to_string(), "buffer too small: 99 bytes needed");
/// # }
/// # Ok::<(), embedded_cookie::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum Error {
    /// A `Cookie` header that could not be read ([`CookieHeader`](crate::CookieHeader)).
    Cookie(CookieError),
    /// A `Cookie` header that could not be written ([`CookieWriter`](crate::CookieWriter),
    /// [`RequestCookies::write`](crate::enforce::RequestCookies::write)).
    CookieWrite(CookieWriteError),
    /// A `Set-Cookie` line a browser ignores ([`SetCookie`](crate::SetCookie)).
    SetCookie(SetCookieError),
    /// A `__Secure-` or `__Host-` name whose rules a line breaks
    /// ([`SetCookie::check_prefix`](crate::SetCookie::check_prefix)).
    Prefix(PrefixError),
    /// A cookie the builder refused to write ([`SetCookieBuilder`](crate::SetCookieBuilder)),
    /// or one the enforcer allowed and the builder then refused.
    Build(BuildError),
    /// A cookie the policy or the consent blocks
    /// ([`ResponseCookie::write`](crate::enforce::ResponseCookie::write)).
    Blocked(Reason),
    /// A cookie date ([`date`](crate::date)).
    Date(DateError),
    /// A policy text that did not load ([`Policy::load`](crate::Policy::load)).
    Policy(LoadError),
    /// A rule the policy refused ([`Policy::insert`](crate::Policy::insert)).
    Rule(LoadErrorKind),
    /// A `Set-Cookie` the jar did not store ([`Jar`](crate::Jar)).
    Jar(JarError),
    /// A URL the jar could not read ([`Url`](crate::Url)).
    Url(UrlError),
    /// A request head the head filter refused ([`HeadFilter`](crate::HeadFilter)).
    Head(HeadError),
    /// A policy whose names are too long for the head filter
    /// ([`HeadFilter::new`](crate::HeadFilter::new)).
    NameTooLong(NameTooLong),
    /// A value that could not be signed or sealed (feature `signed`).
    #[cfg(feature = "signed")]
    Sign(SignError),
    /// A signed or private value refused (feature `signed`).
    #[cfg(feature = "signed")]
    Verify(VerifyError),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Cookie(e) => e.fmt(f),
            Self::CookieWrite(e) => e.fmt(f),
            Self::SetCookie(e) => e.fmt(f),
            Self::Prefix(e) => e.fmt(f),
            Self::Build(e) => e.fmt(f),
            Self::Blocked(reason) => write!(f, "blocked: {reason}"),
            Self::Date(e) => e.fmt(f),
            Self::Policy(e) => e.fmt(f),
            Self::Rule(e) => e.fmt(f),
            Self::Jar(e) => e.fmt(f),
            Self::Url(e) => e.fmt(f),
            Self::Head(e) => e.fmt(f),
            Self::NameTooLong(e) => e.fmt(f),
            #[cfg(feature = "signed")]
            Self::Sign(e) => e.fmt(f),
            #[cfg(feature = "signed")]
            Self::Verify(e) => e.fmt(f),
        }
    }
}

/// `Display` shows the inner error, so it is not repeated as a `source`.
impl core::error::Error for Error {}

/// `From` each error type into its variant.
macro_rules! from {
    ($($(#[$cfg:meta])* $ty:ty => $variant:ident,)+) => {
        $(
            $(#[$cfg])*
            impl From<$ty> for Error {
                fn from(e: $ty) -> Self {
                    Self::$variant(e)
                }
            }
        )+
    };
}

from! {
    CookieError => Cookie,
    CookieWriteError => CookieWrite,
    SetCookieError => SetCookie,
    PrefixError => Prefix,
    BuildError => Build,
    DateError => Date,
    LoadError => Policy,
    LoadErrorKind => Rule,
    JarError => Jar,
    UrlError => Url,
    HeadError => Head,
    NameTooLong => NameTooLong,
    #[cfg(feature = "signed")]
    SignError => Sign,
    #[cfg(feature = "signed")]
    VerifyError => Verify,
}

/// A blocked cookie is [`Error::Blocked`], a refused build [`Error::Build`]: the
/// same variants as the errors of their own.
impl From<ResponseError> for Error {
    fn from(e: ResponseError) -> Self {
        match e {
            ResponseError::Blocked(reason) => Self::Blocked(reason),
            ResponseError::Build(e) => Self::Build(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::string::ToString;

    use super::*;
    use crate::cookie::CookieErrorKind;
    use crate::head::HeadErrorKind;

    /// Every error type converts into its variant, and reads as the inner error.
    #[test]
    fn every_error_converts_and_reads_as_itself() {
        let cookie = CookieError { kind: CookieErrorKind::ControlCharacter, offset: 3, line: 0 };
        let head = HeadError { kind: HeadErrorKind::BareCr, offset: 9 };
        let load = LoadError { kind: LoadErrorKind::DuplicateName, line: 2 };
        let cases: [(Error, Error, std::string::String); 15] = [
            (cookie.into(), Error::Cookie(cookie), cookie.to_string()),
            (
                CookieWriteError::BufferTooSmall { needed: 5 }.into(),
                Error::CookieWrite(CookieWriteError::BufferTooSmall { needed: 5 }),
                "buffer too small: 5 bytes needed".into(),
            ),
            (
                SetCookieError::MissingEquals.into(),
                Error::SetCookie(SetCookieError::MissingEquals),
                SetCookieError::MissingEquals.to_string(),
            ),
            (
                PrefixError::DomainSet.into(),
                Error::Prefix(PrefixError::DomainSet),
                PrefixError::DomainSet.to_string(),
            ),
            (
                BuildError::InvalidName.into(),
                Error::Build(BuildError::InvalidName),
                "invalid name".into(),
            ),
            (
                ResponseError::Build(BuildError::InvalidPath).into(),
                Error::Build(BuildError::InvalidPath),
                "invalid Path".into(),
            ),
            (
                ResponseError::Blocked(Reason::Undeclared).into(),
                Error::Blocked(Reason::Undeclared),
                ResponseError::Blocked(Reason::Undeclared).to_string(),
            ),
            (
                DateError::MissingYear.into(),
                Error::Date(DateError::MissingYear),
                DateError::MissingYear.to_string(),
            ),
            (load.into(), Error::Policy(load), load.to_string()),
            (
                LoadErrorKind::CapacityExceeded.into(),
                Error::Rule(LoadErrorKind::CapacityExceeded),
                LoadErrorKind::CapacityExceeded.to_string(),
            ),
            (
                JarError::DomainMismatch.into(),
                Error::Jar(JarError::DomainMismatch),
                JarError::DomainMismatch.to_string(),
            ),
            (
                UrlError::MissingHost.into(),
                Error::Url(UrlError::MissingHost),
                UrlError::MissingHost.to_string(),
            ),
            (head.into(), Error::Head(head), head.to_string()),
            (
                NameTooLong { len: 40 }.into(),
                Error::NameTooLong(NameTooLong { len: 40 }),
                NameTooLong { len: 40 }.to_string(),
            ),
            #[cfg(feature = "signed")]
            (VerifyError::Expired.into(), Error::Verify(VerifyError::Expired), "expired".into()),
            #[cfg(not(feature = "signed"))]
            (cookie.into(), Error::Cookie(cookie), cookie.to_string()),
        ];
        for (got, want, text) in cases {
            assert_eq!(got, want);
            assert_eq!(got.to_string(), text, "{want:?}");
        }
        #[cfg(feature = "signed")]
        assert_eq!(Error::from(SignError::NoExpiry), Error::Sign(SignError::NoExpiry));
    }
}
