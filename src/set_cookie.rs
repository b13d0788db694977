//! The `Set-Cookie` response header: parse one line the way a browser does, check
//! its name prefix, and build one without a heap.
//!
//! # Reading a line (user agents, auditors, policy checks)
//!
//! [`SetCookie::parse`] runs the user-agent algorithm of RFC 6265bis §5.6 on one
//! header value and gives a zero-copy view: every byte slice borrows the input.
//! Either the line is ignored as a whole, and [`SetCookieError`] says why, or every
//! attribute the browser would keep is there, last one winning.
//!
//! ```
//! use embedded_cookie::set_cookie::{Expiry, SameSite, SetCookie};
//!
//! let c = SetCookie::parse("sid=abc; Max-Age=3600; Path=/; Secure; HttpOnly; SameSite=lax")?;
//! assert_eq!((c.name(), c.value()), (&b"sid"[..], &b"abc"[..]));
//! assert_eq!(c.expiry(), Some(Expiry::MaxAge(3600)));
//! assert_eq!(c.path(), Some(&b"/"[..]));
//! assert!(c.secure() && c.http_only());
//! assert_eq!(c.same_site(), Some(SameSite::Lax));
//! # Ok::<(), embedded_cookie::set_cookie::SetCookieError>(())
//! ```
//!
//! [`Spec::Rfc6265`] selects the 2011 algorithm instead, for comparing with
//! older clients or the IETF http-state test suite. The two differ only here:
//!
//! | input | [`Spec::Rfc6265bis`] (default) | [`Spec::Rfc6265`] |
//! | --- | --- | --- |
//! | `foo` (no `=`) | nameless cookie, value `foo` | [`SetCookieError::MissingEquals`] |
//! | `=foo` | nameless cookie, value `foo` | [`SetCookieError::EmptyName`] |
//! | `=` or empty | [`SetCookieError::EmptyNameAndValue`] | ignored (no `=` / empty name) |
//! | a CTL other than HTAB | [`SetCookieError::ControlCharacter`] | kept as a byte |
//! | name + value over 4096 bytes | [`SetCookieError::TooLong`] | kept |
//! | an attribute value over 1024 bytes | that attribute ignored | kept |
//! | `Domain=` after `Domain=a.example` | no Domain (host-only) | `a.example` (empty ignored) |
//! | expiry more than 400 days ahead | capped by [`SetCookie::expiry_time`] | not capped |
//!
//! Both modes recognise every attribute below (the 2011 text predates
//! `SameSite`, `Partitioned` and `Priority`, but a reader of either wants them).
//!
//! # Attributes and the choices made where the specs leave room
//!
//! Attribute names match case-insensitively and the last valid occurrence wins.
//! Each row is pinned by a test in this module.
//!
//! - `Expires`: the cookie-date algorithm of [`crate::date`]. A date that does not
//!   parse (or lies before 1601) is ignored and an earlier `Expires` stays.
//!   [`SetCookie::expires`] is the raw moment, never capped.
//! - `Max-Age` (RFC 6265bis §5.6.2): an optional `-`, then one or more digits,
//!   nothing else. So `+5`, `5s`, `1.5`, ` `, `-` and `--1` are ignored (an
//!   earlier `Max-Age` stays); leading zeros are fine; surrounding whitespace was
//!   trimmed. A value beyond `i64` saturates to `i64::MAX` or `i64::MIN`. The
//!   same rule serves [`Spec::Rfc6265`], whose text left a lone `-` undefined.
//!   [`SetCookie::max_age`] is those raw seconds; zero or negative means "expire
//!   now", which [`SetCookie::expiry_time`] turns into [`date::MIN`](crate::date::MIN),
//!   the earliest moment a cookie date can name.
//! - Which expiry wins: `Max-Age` over `Expires`, whatever their order
//!   ([`SetCookie::expiry`]). The 400-day cap of RFC 6265bis
//!   ([`COOKIE_AGE_LIMIT`]) is applied when a moment is computed for storage, by
//!   [`SetCookie::expiry_time`], and only under [`Spec::Rfc6265bis`]; results are
//!   clamped to [`date::MIN`](crate::date::MIN)..=[`date::MAX`](crate::date::MAX).
//! - `Domain`: one leading `.` removed; the rest is kept as sent (compare it
//!   case-insensitively; the jar and `inspect` lower-case it). A value that is
//!   empty after that means host-only: `domain()` is `None`. The empty attribute
//!   itself is skipped under RFC 6265 (its §5.2.3 SHOULD) but, as in RFC 6265bis
//!   and current browsers, resets an earlier `Domain` under the default rules.
//! - `Path`: a value not starting with `/` (empty included) means the
//!   default-path, and as the last `Path` it cancels an earlier valid one:
//!   `path()` is `None` both when the attribute is absent and when it fell back.
//! - `Secure`, `HttpOnly`, `Partitioned`: present or not; any value is ignored.
//! - `SameSite`: `Strict`, `Lax` or `None`, case-insensitively; anything else
//!   means "unspecified" and, being the last, cancels an earlier valid one
//!   (RFC 6265bis §5.6.7 appends "Default"). `Priority` (`Low`, `Medium`, `High`)
//!   is read the same way.
//! - Unknown attributes are skipped and listed by [`SetCookie::unknown`], name and
//!   raw value, in order. Empty cookie-avs (`a=1;;` or a trailing `;`) are not
//!   attributes and are listed nowhere.
//!
//! # Name prefixes
//!
//! Prefix rules are a separate, explicit step, [`SetCookie::check_prefix`], since
//! a jar also needs the request's scheme to apply them. Prefixes match
//! case-insensitively (`__secure-` too), as browsers now do:
//!
//! - `__Secure-` needs `Secure`;
//! - `__Host-` needs `Secure`, `Path=/` and no `Domain`; a `Path` that fell back to
//!   the default-path fails, since the request path is unknown here;
//! - a nameless cookie whose value starts with a prefix is refused (RFC 6265bis
//!   §5.7), so it cannot pose as a prefixed cookie in a `Cookie` header.
//!
//! # Storing a cookie (clients)
//!
//! The view holds what RFC 6265bis §5.7 storage needs: [`SetCookie::name`] and
//! [`SetCookie::value`]; [`SetCookie::domain`] (`None`: host-only; otherwise
//! lower-case it and domain-match it against the request host);
//! [`SetCookie::path`] (`None`: use the request's default-path);
//! [`SetCookie::expiry_time`] (`None`: a session cookie), with the raw
//! [`SetCookie::expires`], [`SetCookie::max_age`] and which of them wins,
//! [`SetCookie::expiry`]; the flags; and [`SetCookie::check_prefix`]. What needs
//! the request (secure scheme, domain-match, public suffixes, the same-site
//! context) is the jar's.
//!
//! # Building a header (servers)
//!
//! [`SetCookieBuilder`] is a `const`-friendly description of one cookie that
//! checks everything before it writes a byte, so a refused cookie never leaves a
//! partial header behind. See its docs for the rules it enforces.

mod build;
mod fields;
mod parse;
mod prefix;

pub use build::{BuildError, SetCookieBuilder};
pub use fields::{
    AttributeName, COOKIE_AGE_LIMIT, MAX_ATTRIBUTE_VALUE_LEN, MAX_NAME_VALUE_LEN, Priority,
    SameSite,
};
pub(crate) use fields::{
    Fields, ValueError, check_domain, check_path, domain_without_dot, is_token_name,
    same_site_allowed,
};
pub use parse::{Attribute, Attributes, Expiry, SetCookie, SetCookieError, Spec};
pub use prefix::{Prefix, PrefixError};
