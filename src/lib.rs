//! `Cookie` and `Set-Cookie` headers, a cookie policy and the visitor's consent, for
//! web servers and HTTP clients on microcontrollers: `no_std`, no allocation, no
//! panic.
//!
//! # Panic policy
//!
//! No function of this crate panics, whatever bytes it is given: library code has no
//! `unwrap`, `expect`, `panic!` or slice indexing (clippy denies them), every limit
//! that input can reach is a typed error that names it, and the work per input byte
//! is bounded. Nothing allocates: results borrow the input or live in buffers and
//! tables the caller owns, of a capacity fixed at compile time.
//!
//! # Where to start
//!
//! | you want to | use |
//! | --- | --- |
//! | read the cookies of a request | [`CookieHeader`] ([`cookie`]) |
//! | set a cookie in a response | [`SetCookieBuilder`] ([`set_cookie`]) |
//! | read a `Set-Cookie` line as a browser does | [`SetCookie`] ([`set_cookie`]) |
//! | declare which cookies the site uses, and why | [`Policy`], [`Rule`], [`Category`] ([`policy`]) |
//! | read and write the visitor's consent | [`Consent`], [`ConsentStatus`] ([`consent`]) |
//! | let through only what the policy and the consent allow | [`Enforcer`], [`Verdict`], [`ResponseCookie`], [`Transport`] ([`enforce`]) |
//! | `?` any error of the crate in a request handler | [`Error`] |
//! | keep the cookies servers set, as an HTTP client | [`Jar`] ([`jar`]) |
//! | pass a server only the declared cookies of each request head, with a small head buffer | [`HeadFilter`] ([`head`]) |
//! | read or write cookie dates | [`date`] |
//! | keep a session in the cookie itself, signed or encrypted (features `signed`, `private`) | `signed` |
//!
//! Output has one verb each way: `write` into a `&mut [u8]` (the length back),
//! `to_heapless` into a `heapless::String<N>`, and `Display` into any `fmt::Write`
//! (a `Set-Cookie` line ready to send is [`SetCookieBuilder`] or [`ResponseCookie`]).
//!
//! A server's request, in short: read the header, read the consent from it, and
//! check what comes in and what goes out against the policy.
//!
//! ```
//! use embedded_cookie::{Consent, CookieHeader, Enforcer, Policy, SetCookieBuilder, Verdict};
//!
//! let policy = Policy::<4>::load(
//!     "@revision 1\n\
//!      sid     | necessary   | | | | | secure httponly samesite=lax path=/\n\
//!      consent | necessary\n\
//!      lang    | preferences",
//! )?;
//! let header = CookieHeader::parse("sid=42; lang=fr; consent=1.1.")?;
//! let consent = Consent::from_header(&header, "consent", policy.revision()).consent;
//! let enforcer = Enforcer::new(&policy, &consent);
//!
//! // The visitor refused preferences: the application does not see `lang`.
//! let mut buf = [0u8; 64];
//! let n = enforcer.request(&header).write(&mut buf)?;
//! assert_eq!(&buf[..n], b"sid=42; consent=1.1.");
//!
//! // A cookie the server sets gets what its rule requires.
//! let checked = enforcer.response(SetCookieBuilder::new("sid", "43"), 1_700_000_000);
//! assert_eq!(checked.decision.verdict, Verdict::Harden);
//! let n = checked.write(&mut buf)?;
//! assert_eq!(&buf[..n], b"sid=43; Path=/; Secure; HttpOnly; SameSite=Lax");
//! # Ok::<(), embedded_cookie::Error>(())
//! ```
//!
//! # Time
//!
//! Every moment the crate takes or gives is one type: seconds since the Unix epoch
//! (1970-01-01 00:00:00 UTC) as an `i64`, the `now` of [`Enforcer::response`], the
//! jar and signed values alike, and what [`date`] reads and writes. A negative time is
//! a moment before 1970: cookie dates reach back to 1601 ([`date::MIN`]), and an
//! `Expires` there deletes a cookie. A signed value whose expiry is before 1970 is
//! expired whatever the clock says (a clock that was never set made it).
//!
//! # Features
//!
//! - `defmt`: `defmt::Format` for every public type, for logging on a device.
//! - `signed`: signed cookie values with an expiry, bound to the cookie's name, with
//!   key rotation and CSRF tokens derived from a session (HMAC-SHA256, RustCrypto).
//! - `private`: `signed`, and encrypted values (XChaCha20-Poly1305).
//!
//! The library builds for `thumbv6m-none-eabi` and `thumbv7em-none-eabihf`; the
//! README measures what it costs a firmware in flash and stack.
#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)
)]

#[cfg(test)]
extern crate std;

#[macro_use]
mod texts;

pub mod consent;
pub mod cookie;
pub mod date;
mod decimal;
pub mod enforce;
mod error;
pub mod head;
pub mod jar;
mod octets;
pub mod policy;
mod punycode;
pub mod set_cookie;
#[cfg(feature = "signed")]
pub mod signed;

pub use consent::{Consent, ConsentStatus};
pub use cookie::{
    Config, Cookie, CookieError, CookieErrorKind, CookieHeader, CookieWriteError, CookieWriter,
    Cookies, Limits, Mode,
};
pub use enforce::{Enforcer, ResponseCookie, Verdict};
pub use error::Error;
pub use head::HeadFilter;
pub use jar::{Jar, JarError, Url};
pub use policy::{Category, Policy, Rule, Transport};
pub use set_cookie::{BuildError, SetCookie, SetCookieBuilder, SetCookieError, Spec};

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

/// The guide's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../docs/guide.md")]
struct GuideDoctests;
