//! A fixed-capacity cookie jar for devices that are HTTP clients: it keeps the
//! cookies servers set (RFC 6265 §5.3) and writes the `Cookie` header each request
//! should carry (§5.4), in memory it owns and never grows.
//!
//! ```
//! use embedded_cookie::jar::{Jar, NoPublicSuffixes};
//! use embedded_cookie::set_cookie::Spec;
//! use embedded_cookie::jar::Url;
//!
//! // 8 cookies, 512 bytes of names, values, domains and paths.
//! let mut jar: Jar<_, 8, 512> = Jar::new(Spec::Rfc6265bis, NoPublicSuffixes);
//! let now = 1_700_000_000; // seconds since the epoch, from the caller's clock
//! let login = Url::parse("https://api.example.com/v1/login")?;
//! jar.store(&login, "sid=42; Path=/v1; Secure; HttpOnly", now)?;
//! jar.store(&login, "lang=en; Domain=example.com; Path=/; Max-Age=3600", now)?;
//!
//! let mut buf = [0u8; 128];
//! let next = Url::parse("https://api.example.com/v1/status")?;
//! assert_eq!(jar.cookie_header(&next, now + 60, &mut buf)?, b"sid=42; lang=en");
//! let other = Url::parse("http://www.example.com/")?;
//! assert_eq!(jar.cookie_header(&other, now + 60, &mut buf)?, b"lang=en");
//! assert_eq!(jar.cookie_header(&other, now + 3600, &mut buf)?, b""); // expired
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Storage
//!
//! `Jar<P, COOKIES, BYTES>` holds at most `COOKIES` cookies (up to 65535),
//! whose names, values, domains and paths share one `BYTES`-byte arena. Each
//! cookie costs [`ENTRY_BYTES`] for its fixed part (flags, SameSite, creation,
//! last-access and expiry times, four lengths, an offset, where its site starts
//! and how many cookies its site holds) plus its strings in the arena.
//! When a new cookie does not fit, the jar evicts by RFC 6265bis §5.7 (RFC 6265
//! §5.3), one cookie at a time until it fits, and the [`StoreOutcome`] result counts
//! them:
//!
//! 1. the expired cookies;
//! 2. if the new cookie's site would hold more than its share
//!    ([`Jar::domain_share`], half the jar by default): that site's own cookies
//!    only, so that a site never pushes out another site's cookies while it holds
//!    more than its share;
//! 3. otherwise the cookies of sites over their share, then any cookie.
//!
//! Within each class, cookies without `Secure` go before `Secure` ones, and the
//! least recently used (sent or stored) first.
//!
//! A cookie's site is the registrable domain of its domain field (the host of a
//! host-only cookie, else its `Domain`), as browsers count cookies per site: the
//! longest suffix the jar's [`PublicSuffixes`] lists plus one label to its left
//! (`shop.bank.co.uk` is in `bank.co.uk` when `co.uk` is listed). When none is
//! listed the Public Suffix List's default rule holds, the last label is the
//! suffix, so the site is the last two labels (`a.evil.example` is in
//! `evil.example`), which is also the site under [`NoPublicSuffixes`]. An IP
//! address is its own site, and so is a domain that is itself a public suffix.
//! Counting per domain field instead (as RFC 6265bis words it) would let one site
//! spread its cookies over many hosts, each within its share, and evict another
//! site's session. The guarantee, exactly: a store after which its site holds
//! more than its share evicts no other site's cookie.
//!
//! Under 6265bis, a cookie set over an insecure scheme never evicts a `Secure`
//! cookie ("leave secure cookies alone"): when only `Secure` cookies could make
//! room it is refused with [`JarError::WouldEvictSecure`]. A cookie larger than
//! the whole arena is refused with [`JarError::TooLarge`]. Either way nothing is
//! evicted.
//!
//! The work of a store is linear in the jar's size: its site is found with one
//! question to the [`PublicSuffixes`] per label of its domain, each cookie keeps
//! the count of its site's cookies, and choosing what to evict takes one pass
//! over the cookies, then one more pass (cookies and arena) for each cookie
//! removed, expired or evicted.
//!
//! # Time
//!
//! Time is the caller's: every call takes `now` in seconds since the Unix epoch.
//! The jar never reads a clock. A cookie expires when `now` reaches its expiry
//! time (`now >= expiry`); expired cookies are removed by every call that takes
//! `now`. A session cookie never expires by time.
//!
//! [`Jar::store`] needs `now` in [`CLOCK_RANGE`], from 1601-01-01 up to but not
//! including the last second of 9999, the moments a cookie date can name: expiry
//! times are kept within that range, so against a clock outside it a cookie could
//! expire on arrival or live for ages. Such a clock is [`JarError::ClockOutOfRange`]
//! and stores nothing. [`Jar::cookie_header`] and [`Jar::remove_expired`] take
//! any `now`: compared with it, every persistent cookie has expired after the
//! range and none before it.
//!
//! # Spec
//!
//! The jar reads each `Set-Cookie` with [`SetCookie::parse_with`] under its own
//! [`Spec`], so everything the [`set_cookie`](crate::set_cookie) module docs list
//! applies (nameless cookies, control bytes, the 4096-byte limit, the 400-day
//! cap). [`Spec::Rfc6265bis`] (the default) is what browsers do today; on top of
//! [`Spec::Rfc6265`] the jar follows these steps of the RFC 6265bis storage
//! model (§5.7):
//!
//! - it refuses a `Secure` cookie set over `http`, and a cookie set over `http`
//!   that would shadow a `Secure` cookie of the same name ("leave secure cookies
//!   alone");
//! - it refuses `SameSite=None` without `Secure`, and applies the `__Secure-` and
//!   `__Host-` name prefix rules ([`SetCookie::check_prefix`]);
//! - it keys a replacement on the host-only flag too, not only on name, domain and
//!   path.
//!
//! Under both, a cookie whose name or value holds a control byte (which only RFC
//! 6265 parsing lets through) is refused rather than stored, since it could never
//! be sent back safely.
//!
//! A nameless cookie (6265bis only) is sent as its value alone (§5.8.3). Its value
//! may hold `=`: `Set-Cookie: =sid=x` is stored with an empty name and the value
//! `sid=x`, and sent as `sid=x`, which a server reads as a cookie named `sid`. The
//! storage model refuses a nameless cookie only when its value starts with
//! `__Secure-` or `__Host-`, and browsers store and send the rest (the
//! web-platform-tests `cookies/name` cases), so the jar does too. Such a cookie is
//! keyed by its empty name, so it neither replaces a `sid` cookie nor counts as one
//! for the "leave secure cookies alone" check.
//!
//! Choices where the specifications leave room:
//!
//! - Every request is treated as same-site: a device has no browsing context, so
//!   `SameSite` is stored and reported but never holds a cookie back.
//! - Only `http`, `https`, `ws` and `wss` URLs store and receive cookies, as in
//!   browsers: [`Jar::store`] refuses any other scheme
//!   ([`JarError::UnsupportedScheme`]) and [`Jar::cookie_header`] gives it an
//!   empty header. `https` and `wss` are the secure schemes; `http://localhost`
//!   is not.
//! - A host with non-ASCII letters is matched by its A-label (`bücher.example`
//!   is `xn--bcher-kva.example`), for storing and sending, and so is a `Domain`
//!   attribute with them: [`Url::parse`] and [`Host::new`](crate::jar::Host::new)
//!   convert them.
//! - Cookies created in the same second are ordered by the order they were stored.
//! - `Partitioned` is ignored: a device has no top-level site to partition by.
//! - The `__Host-` rule "host-only" is checked as "no `Domain` attribute", as
//!   [`SetCookie::check_prefix`] does; the two differ only for a `Domain` equal to
//!   a request host that is itself a public suffix.

mod matching;
mod storage;
mod suffix;
mod url;

use core::fmt;

pub use matching::{default_path, domain_match, path_match};
use suffix::is_public_suffix;
pub use suffix::{NoPublicSuffixes, PublicSuffixes};
pub use url::{Host, MAX_HOST_LEN, Url, UrlError};

use crate::cookie::{CookieWriteError, CookieWriter};
use crate::date;
use crate::octets;
use crate::set_cookie::{
    Expiry, PrefixError, SameSite, SetCookie, SetCookieError, Spec, same_site_allowed,
};
use storage::{Entry, HOST_ONLY, HTTP_ONLY, PERSISTENT, Parts, SECURE, Storage};

/// The size of a stored cookie's fixed part, beside its strings in the arena.
pub const ENTRY_BYTES: usize = core::mem::size_of::<Entry>();

/// The clock readings [`Jar::store`] takes: from [`date::MIN`] (1601-01-01) up to
/// but not including [`date::MAX`] (9999-12-31 23:59:59), so that every expiry
/// time lies within the dates a cookie can name and a positive `Max-Age` still
/// ends after `now`.
pub const CLOCK_RANGE: core::ops::Range<i64> = date::MIN..date::MAX;

/// Why a cookie was not stored, or a header not written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum JarError {
    /// The `Set-Cookie` line is ignored as a whole by the jar's [`Spec`].
    Ignored(SetCookieError),
    /// The name or value holds a control byte other than HTAB, which the jar would
    /// never send back. Only RFC 6265 parsing lets such a line through; under
    /// 6265bis it is [`SetCookieError::ControlCharacter`].
    ControlCharacter,
    /// The `Domain` attribute does not domain-match the request host (this
    /// includes a domain that is not ASCII or is longer than a host can be).
    DomainMismatch,
    /// The `Domain` attribute is a public suffix other than the request host.
    PublicSuffix,
    /// 6265bis: a `Secure` cookie arrived over an insecure scheme.
    SecureOverInsecure,
    /// 6265bis: a cookie set over an insecure scheme would shadow a `Secure`
    /// cookie of the same name whose domain and path overlap it.
    ShadowsSecure,
    /// 6265bis: `SameSite=None` without `Secure`.
    SameSiteNoneInsecure,
    /// 6265bis: the `__Secure-` or `__Host-` name prefix rules are broken.
    Prefix(PrefixError),
    /// The cookie's name, value, domain and path are larger than the whole arena,
    /// or one of them is longer than 65535 bytes. Nothing was evicted.
    TooLarge,
    /// The buffer given to [`Jar::cookie_header`] is too small for the header;
    /// [`Jar::HEADER_CAPACITY`] bytes always suffice.
    BufferTooSmall {
        /// The length of the whole header, every cookie that applies included.
        needed: usize,
    },
    /// `now` given to [`Jar::store`] lies outside [`CLOCK_RANGE`]: no expiry
    /// time could be compared with it. Nothing was stored.
    ClockOutOfRange,
    /// 6265bis: the jar is full and a cookie set over an insecure scheme could
    /// only be stored by evicting a `Secure` cookie, which such a cookie never
    /// does ("leave secure cookies alone"). Nothing was stored or evicted.
    WouldEvictSecure,
    /// The URL's scheme is not `http`, `https`, `ws` or `wss`, the schemes
    /// browsers keep cookies for. Nothing was stored.
    UnsupportedScheme,
}

texts! {
    /// A short, stable description, e.g. `"domain mismatch"`.
    JarError: display_needed, error {
        Self::Ignored(ignored) => ignored.as_str(),
        Self::ControlCharacter => "control character",
        Self::DomainMismatch => "domain mismatch",
        Self::PublicSuffix => "domain is a public suffix",
        Self::SecureOverInsecure => "secure cookie over insecure scheme",
        Self::ShadowsSecure => "would shadow a secure cookie",
        Self::SameSiteNoneInsecure => "SameSite=None without Secure",
        Self::Prefix(broken) => broken.as_str(),
        Self::TooLarge => "cookie larger than the jar",
        Self::BufferTooSmall { .. } => "buffer too small",
        Self::ClockOutOfRange => "clock outside 1601-9999",
        Self::WouldEvictSecure => "would evict a secure cookie",
        Self::UnsupportedScheme => "scheme without cookies",
    }
}

/// What [`Jar::store`] did with a cookie it accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Action {
    /// Stored as a new cookie.
    Added,
    /// Took the place of the cookie with the same name, domain and path, keeping
    /// its creation time.
    Replaced,
    /// Arrived already expired and removed the cookie with the same name, domain
    /// and path: how a server deletes a cookie.
    Deleted,
    /// Arrived already expired, with nothing to delete.
    Expired,
}

texts! {
    /// A short, stable description, e.g. `"replaced"`.
    Action: display {
        Self::Added => "added",
        Self::Replaced => "replaced",
        Self::Deleted => "deleted",
        Self::Expired => "expired on arrival",
    }
}

/// The result of [`Jar::store`]: what happened to the cookie, and what was
/// evicted to make room.
///
/// `Display` names the action, then any eviction: `added, evicted 1 expired and
/// 2 least recently used`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct StoreOutcome {
    /// What happened to the cookie.
    pub action: Action,
    /// Expired cookies removed.
    pub evicted_expired: usize,
    /// Live cookies removed, least recently used first, to make room.
    pub evicted_lru: usize,
}

impl fmt::Display for StoreOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.action.as_str())?;
        match (self.evicted_expired, self.evicted_lru) {
            (0, 0) => Ok(()),
            (expired, 0) => write!(f, ", evicted {expired} expired"),
            (0, lru) => write!(f, ", evicted {lru} least recently used"),
            (expired, lru) => {
                write!(f, ", evicted {expired} expired and {lru} least recently used")
            }
        }
    }
}

/// A cookie jar of at most `COOKIES` cookies and `BYTES` bytes of strings, with
/// public suffixes from `P`. See the [module docs](self).
#[derive(Clone, Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Jar<P, const COOKIES: usize, const BYTES: usize> {
    rules: Spec,
    suffixes: P,
    domain_share: usize,
    storage: Storage<COOKIES, BYTES>,
}

impl<P: PublicSuffixes, const COOKIES: usize, const BYTES: usize> Jar<P, COOKIES, BYTES> {
    /// A buffer this long always holds the jar's `Cookie` header: every string
    /// of every cookie plus `=` and `"; "` for each.
    pub const HEADER_CAPACITY: usize = BYTES + 3 * COOKIES;

    /// An empty jar following `rules`, asking `suffixes` about `Domain` attributes
    /// and sites.
    pub const fn new(rules: Spec, suffixes: P) -> Self {
        const { assert!(COOKIES > 0, "a jar holds at least one cookie") };
        Self { rules, suffixes, domain_share: Self::DEFAULT_DOMAIN_SHARE, storage: Storage::new() }
    }

    /// The share of the jar a site (registrable domain, see
    /// [Storage](self#storage)) holds before its own cookies are evicted first,
    /// unless [`with_domain_share`](Self::with_domain_share) sets another: half
    /// the cookies, at least one, so that one site can fill at most half a full
    /// jar at the expense of the others.
    pub const DEFAULT_DOMAIN_SHARE: usize = if COOKIES / 2 > 0 { COOKIES / 2 } else { 1 };

    /// The jar with a site's share set to `cookies` (at least one): when the
    /// jar is full, a site that would hold more than that many cookies makes
    /// room from its own (see [Storage](self#storage)).
    ///
    /// ```
    /// use embedded_cookie::jar::{Jar, NoPublicSuffixes};
    /// use embedded_cookie::set_cookie::Spec;
    ///
    /// let jar: Jar<_, 8, 512> = Jar::new(Spec::Rfc6265bis, NoPublicSuffixes);
    /// assert_eq!(jar.domain_share(), 4);
    /// assert_eq!(jar.with_domain_share(2).domain_share(), 2);
    /// ```
    pub const fn with_domain_share(mut self, cookies: usize) -> Self {
        self.domain_share = if cookies > 0 { cookies } else { 1 };
        self
    }

    /// A site's share of the jar, in cookies.
    pub const fn domain_share(&self) -> usize {
        self.domain_share
    }

    /// The rules the jar follows.
    pub fn spec(&self) -> Spec {
        self.rules
    }

    /// How many cookies the jar holds (expired ones included until a call with
    /// `now` removes them).
    pub fn len(&self) -> usize {
        self.storage.entries().len()
    }

    /// True when the jar holds no cookie.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Arena bytes in use: the names, values, domains and paths of all cookies.
    pub fn bytes_used(&self) -> usize {
        self.storage.bytes_used()
    }

    /// Removes every cookie.
    pub fn clear(&mut self) {
        self.storage.clear();
    }

    /// Removes the cookies that have expired at `now`; returns how many. Takes any
    /// `now` (see [Time](self#time)).
    ///
    /// ```
    /// use embedded_cookie::jar::{Jar, NoPublicSuffixes};
    /// use embedded_cookie::set_cookie::Spec;
    /// use embedded_cookie::jar::Url;
    ///
    /// let mut jar: Jar<_, 4, 128> = Jar::new(Spec::default(), NoPublicSuffixes);
    /// let url = Url::parse("http://sensor.local/")?;
    /// jar.store(&url, "token=abc; Max-Age=300", 1_000)?;
    /// jar.store(&url, "session=1", 1_000)?;
    /// // Before a long sleep, free the arena bytes of what has expired by now.
    /// assert_eq!(jar.remove_expired(1_299), 0);
    /// assert_eq!(jar.remove_expired(1_300), 1);
    /// assert_eq!((jar.len(), jar.bytes_used()), (1, 9 + 12)); // session cookies stay
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn remove_expired(&mut self, now: i64) -> usize {
        self.storage.remove_where(|e| e.expired(now))
    }

    /// The cookies, oldest first.
    ///
    /// ```
    /// use embedded_cookie::jar::{Jar, NoPublicSuffixes};
    /// use embedded_cookie::set_cookie::Spec;
    /// use embedded_cookie::jar::Url;
    ///
    /// let mut jar: Jar<_, 4, 128> = Jar::new(Spec::default(), NoPublicSuffixes);
    /// jar.store(&Url::parse("https://a.example/x/y")?, "id=7; Secure; Max-Age=60", 1000)?;
    /// let c = jar.iter().next().unwrap();
    /// assert_eq!((c.name(), c.value(), c.domain(), c.path()), (&b"id"[..], &b"7"[..], "a.example", &b"/x"[..]));
    /// assert_eq!((c.name_str(), c.value_str()), (Some("id"), Some("7")));
    /// assert!(c.host_only() && c.secure() && !c.http_only());
    /// assert_eq!((c.creation(), c.expiry()), (1000, Some(1060)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn iter(&self) -> StoredCookies<'_> {
        StoredCookies { entries: self.storage.entries(), arena: self.storage.arena(), next: 0 }
    }

    /// Stores the cookie of one `Set-Cookie` header value received in a response
    /// to `url` at `now`, by RFC 6265 §5.3 (RFC 6265bis §5.7 under its rules).
    ///
    /// `Ok` says whether the cookie was added, replaced one, or deleted one, and
    /// what was evicted to make room; `Err` says why it was ignored, and then the
    /// jar is unchanged. `now` must lie in [`CLOCK_RANGE`]
    /// ([`JarError::ClockOutOfRange`]).
    ///
    /// ```
    /// use embedded_cookie::jar::{Action, Jar, JarError};
    /// use embedded_cookie::set_cookie::Spec;
    /// use embedded_cookie::jar::Url;
    ///
    /// let suffixes: &[&str] = &["com", "org"];
    /// let mut jar: Jar<_, 4, 256> = Jar::new(Spec::Rfc6265bis, suffixes);
    /// let url = Url::parse("https://www.example.org/login")?;
    /// assert_eq!(jar.store(&url, "id=1", 0)?.action, Action::Added);
    /// assert_eq!(jar.store(&url, "id=2", 5)?.action, Action::Replaced);
    /// assert_eq!(jar.store(&url, "id=; Max-Age=0", 9)?.action, Action::Deleted);
    /// assert_eq!(jar.store(&url, "id=1; Domain=org", 9), Err(JarError::PublicSuffix));
    /// assert_eq!(jar.store(&url, "id=1; Domain=example.com", 9), Err(JarError::DomainMismatch));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn store<H: AsRef<[u8]> + ?Sized>(
        &mut self,
        url: &Url<'_>,
        set_cookie: &H,
        now: i64,
    ) -> Result<StoreOutcome, JarError> {
        if !CLOCK_RANGE.contains(&now) {
            return Err(JarError::ClockOutOfRange);
        }
        if !has_cookies(url) {
            return Err(JarError::UnsupportedScheme);
        }
        let cookie = SetCookie::parse_with(set_cookie, self.rules).map_err(JarError::Ignored)?;
        if cookie.name().iter().chain(cookie.value()).any(|&b| octets::is_ctl(b)) {
            return Err(JarError::ControlCharacter);
        }
        let (domain, host_only) = self.resolve_domain(url, &cookie)?;
        let site_start = suffix::site_start(&self.suffixes, domain.as_str());
        let site = domain.as_str().get(site_start..).unwrap_or_default();
        let path = cookie.path().unwrap_or_else(|| default_path(url.path().as_bytes()));
        let parts =
            Parts { name: cookie.name(), value: cookie.value(), domain: domain.as_str(), path };
        self.check_rules(&cookie, url.is_secure(), &parts, now)?;
        let existing = self.find(&parts, host_only, now);

        // `Max-Age` of zero or less deletes by itself (RFC 6265bis §5.6.2), not by
        // how its expiry time compares with the clock.
        let expiry = cookie.expiry_time(now);
        let deletes = matches!(cookie.expiry(), Some(Expiry::MaxAge(secs)) if secs <= 0);
        if deletes || expiry.is_some_and(|at| at <= now) {
            // `find` skipped the expired cookies: one is not deleted, it is gone.
            let action = match existing {
                Some(i) => {
                    self.storage.remove(i);
                    Action::Deleted
                }
                None => Action::Expired,
            };
            let evicted_expired = self.remove_expired(now);
            return Ok(StoreOutcome { action, evicted_expired, evicted_lru: 0 });
        }

        let may_evict_secure = self.rules == Spec::Rfc6265 || url.is_secure();
        let (existing, stored) = self.make_room(&parts, site, existing, may_evict_secure, now)?;
        let creation =
            existing.and_then(|i| self.storage.entries().get(i)).map_or(now, |e| e.creation);
        let mut flags = 0;
        for (set, flag) in [
            (host_only, HOST_ONLY),
            (cookie.secure(), SECURE),
            (cookie.http_only(), HTTP_ONLY),
            (expiry.is_some(), PERSISTENT),
        ] {
            if set {
                flags |= flag;
            }
        }
        let entry = Entry {
            start: 0,
            name_len: 0,
            value_len: 0,
            domain_len: 0,
            path_len: 0,
            // A host is at most MAX_HOST_LEN bytes.
            site: u8::try_from(site_start).unwrap_or(0),
            held: 0,
            flags,
            same_site: cookie.same_site(),
            creation,
            last_access: now,
            expiry: expiry.unwrap_or(i64::MAX),
        };
        let result = match existing {
            Some(i) => self.storage.replace(i, entry, &parts),
            None => self.storage.push(entry, &parts),
        };
        result.map_err(|()| JarError::TooLarge)?;
        let action = if existing.is_some() { Action::Replaced } else { Action::Added };
        Ok(StoreOutcome { action, ..stored })
    }

    /// `store`'s first step, RFC 6265 §5.3 steps 4 to 6: the cookie's domain and
    /// host-only flag, through the public suffix check.
    fn resolve_domain(
        &self,
        url: &Url<'_>,
        cookie: &SetCookie<'_>,
    ) -> Result<(Host, bool), JarError> {
        let host = url.host_str();
        let attribute = match cookie.domain() {
            None => None,
            Some(raw) => {
                let text = core::str::from_utf8(raw).map_err(|_| JarError::DomainMismatch)?;
                Some(Host::new(text).map_err(|_| JarError::DomainMismatch)?)
            }
        };
        match attribute {
            Some(d) if is_public_suffix(&self.suffixes, d.as_str()) => {
                if d.as_str() != host {
                    return Err(JarError::PublicSuffix);
                }
                Ok((url.host().clone(), true))
            }
            Some(d) if domain_match(host, d.as_str()) => Ok((d, false)),
            Some(_) => Err(JarError::DomainMismatch),
            None => Ok((url.host().clone(), true)),
        }
    }

    /// `store`'s second step: the rules of 6265bis, and the size of the cookie.
    fn check_rules(
        &self,
        cookie: &SetCookie<'_>,
        secure_scheme: bool,
        parts: &Parts<'_>,
        now: i64,
    ) -> Result<(), JarError> {
        if self.rules == Spec::Rfc6265bis {
            self.check_bis(cookie, secure_scheme, parts.domain, parts.path, now)?;
        }
        if parts.len() > BYTES || Storage::<COOKIES, BYTES>::lens(parts).is_none() {
            return Err(JarError::TooLarge);
        }
        Ok(())
    }

    /// The live cookie a new one with `parts` replaces (§5.3 step 11): same name,
    /// domain and path, and under 6265bis the same host-only flag. An expired
    /// cookie is gone whether or not it was purged yet.
    fn find(&self, parts: &Parts<'_>, host_only: bool, now: i64) -> Option<usize> {
        let bis = self.rules == Spec::Rfc6265bis;
        self.storage.entries().iter().position(|e| {
            let p = self.storage.parts(e);
            !e.expired(now)
                && p.name == parts.name
                && p.domain == parts.domain
                && p.path == parts.path
                && (!bis || e.has(HOST_ONLY) == host_only)
        })
    }

    /// `store`'s third step: evicts what must go for a cookie of `parts` in
    /// `site` to fit (in place of `existing`, if it replaces one), in the order
    /// the [module docs](self#storage) give, and returns where `existing` is now
    /// and what was evicted. Chooses every victim before it removes any, so that
    /// when no room can be made ([`JarError::WouldEvictSecure`]) nothing changes.
    /// One pass over the jar, and one more per cookie removed.
    fn make_room(
        &mut self,
        parts: &Parts<'_>,
        site: &str,
        existing: Option<usize>,
        may_evict_secure: bool,
        now: i64,
    ) -> Result<(Option<usize>, StoreOutcome), JarError> {
        let mut stored = StoreOutcome { action: Action::Added, evicted_expired: 0, evicted_lru: 0 };
        let mut gone = [false; COOKIES];
        let (mut cookies, mut bytes) = (self.len(), self.bytes_used());
        for (entry, gone) in self.storage.entries().iter().zip(gone.iter_mut()) {
            if entry.expired(now) {
                *gone = true;
                stored.evicted_expired += 1;
                cookies = cookies.saturating_sub(1);
                bytes = bytes.saturating_sub(self.storage.parts(entry).len());
            }
        }
        let kept = existing.map_or(0, |i| self.storage.len_of(i));
        let fits = |cookies: usize, bytes: usize| {
            (existing.is_some() || cookies < COOKIES)
                && BYTES.saturating_sub(bytes) + kept >= parts.len()
        };
        // Counted once, when something must go, and kept up to date per victim.
        let mut held = None;
        while !fits(cookies, bytes) {
            let held = held.get_or_insert_with(|| self.held(&gone));
            let victim = self
                .victim(&gone, held, site, existing, may_evict_secure)
                .ok_or(JarError::WouldEvictSecure)?;
            if let Some(gone) = gone.get_mut(victim) {
                *gone = true;
            }
            self.forget(&gone, held, victim);
            stored.evicted_lru += 1;
            cookies = cookies.saturating_sub(1);
            bytes = bytes.saturating_sub(self.storage.len_of(victim));
        }
        let mut index = 0;
        self.storage.remove_where(|_| {
            index += 1;
            gone.get(index - 1).copied().unwrap_or(false)
        });
        let moved = existing.map(|i| i.saturating_sub(gone.iter().take(i).filter(|&&g| g).count()));
        Ok((moved, stored))
    }

    /// How many live (not `gone`) cookies hold each entry's site, by entry. The
    /// storage keeps each site's count; a pass for each gone cookie takes it
    /// away from the others of its site.
    fn held(&self, gone: &[bool; COOKIES]) -> [u16; COOKIES] {
        let mut held = [0u16; COOKIES];
        for (held, entry) in held.iter_mut().zip(self.storage.entries()) {
            *held = entry.held;
        }
        for (victim, _) in gone.iter().enumerate().filter(|(_, gone)| **gone) {
            self.forget(gone, &mut held, victim);
        }
        held
    }

    /// Updates `held` for the removal of `victim`, now `gone`: one fewer for
    /// every live cookie of its site.
    fn forget(&self, gone: &[bool; COOKIES], held: &mut [u16; COOKIES], victim: usize) {
        let Some(site) = self.storage.entries().get(victim).map(|e| self.storage.site(e)) else {
            return;
        };
        for (i, _) in self.live(gone).filter(|(_, e)| self.storage.site(e) == site) {
            if let Some(held) = held.get_mut(i) {
                *held = held.saturating_sub(1);
            }
        }
    }

    /// The live (not `gone`) cookies: index and entry.
    fn live<'s>(
        &'s self,
        gone: &'s [bool; COOKIES],
    ) -> impl Iterator<Item = (usize, &'s Entry)> + Clone + 's {
        self.storage
            .entries()
            .iter()
            .zip(gone)
            .enumerate()
            .filter(|(_, (_, gone))| !**gone)
            .map(|(i, (e, _))| (i, e))
    }

    /// The next cookie to evict for a new one in `site`, least recently used
    /// within the first class that has one (see the [module docs](self#storage)):
    /// when `site` would hold more than its share, only its own cookies; else
    /// the cookies of sites over their share, then any. Non-`Secure` cookies go
    /// before `Secure` ones, which go only when `may_evict_secure`. Never
    /// `existing` (the cookie being replaced) or one already `gone`. `held` is
    /// [`held`](Self::held) for `gone`: one pass over the cookies.
    fn victim(
        &self,
        gone: &[bool; COOKIES],
        held: &[u16; COOKIES],
        site: &str,
        existing: Option<usize>,
        may_evict_secure: bool,
    ) -> Option<usize> {
        let live = || self.live(gone);
        let own = |e: &Entry| self.storage.site(e) == site;
        // How many cookies the site of entry `i` holds once the new one is in.
        let new = u16::from(existing.is_none());
        let holds = |i: usize, own: bool| {
            held.get(i).copied().unwrap_or(0).saturating_add(if own { new } else { 0 })
        };
        let share = u16::try_from(self.domain_share).unwrap_or(u16::MAX);
        let own_held = live().find(|(_, e)| own(e)).map_or(0, |(i, _)| holds(i, true));
        let own_over = own_held.max(new) > share;
        live()
            .map(|(i, e)| (i, e, own(e)))
            .filter(|(i, e, own)| {
                Some(*i) != existing && (may_evict_secure || !e.has(SECURE)) && (!own_over || *own)
            })
            .min_by_key(|(i, e, own)| {
                let within_share = !own_over && holds(*i, *own) <= share;
                (within_share, e.has(SECURE), e.last_access)
            })
            .map(|(i, _, _)| i)
    }

    /// The RFC 6265bis §5.7 steps RFC 6265 lacks: secure origins, `SameSite=None`
    /// and name prefixes. A `Secure` cookie that has expired at `now` shadows
    /// nothing, purged yet or not.
    fn check_bis(
        &self,
        cookie: &SetCookie<'_>,
        secure_scheme: bool,
        domain: &str,
        path: &[u8],
        now: i64,
    ) -> Result<(), JarError> {
        if cookie.secure() && !secure_scheme {
            return Err(JarError::SecureOverInsecure);
        }
        if !cookie.secure() && !secure_scheme {
            let shadows = self.storage.entries().iter().any(|e| {
                let p = self.storage.parts(e);
                e.has(SECURE)
                    && !e.expired(now)
                    && p.name == cookie.name()
                    && (domain_match(p.domain, domain) || domain_match(domain, p.domain))
                    && path_match(path, p.path)
            });
            if shadows {
                return Err(JarError::ShadowsSecure);
            }
        }
        if !same_site_allowed(cookie.same_site(), cookie.secure()) {
            return Err(JarError::SameSiteNoneInsecure);
        }
        cookie.check_prefix().map_err(JarError::Prefix)?;
        Ok(())
    }

    /// Writes into `out` the value of the `Cookie` header for a request to `url`
    /// at `now` (RFC 6265 §5.4), and returns it; empty when no cookie applies, in
    /// which case no header should be sent.
    ///
    /// Cookies go in when their domain matches the host (exactly, for host-only
    /// cookies), their path matches the request path and, for `Secure` cookies,
    /// the scheme is secure. Longer paths come first, then earlier creation times.
    /// Expired cookies are removed first; the cookies sent get `now` as their
    /// last-access time. A nameless cookie (6265bis) is written as its value alone.
    ///
    /// A header longer than `out` is [`JarError::BufferTooSmall`] with the length
    /// of the whole header; then nothing is written and no last-access time
    /// changes.
    ///
    /// ```
    /// use embedded_cookie::jar::{Jar, JarError, NoPublicSuffixes};
    /// use embedded_cookie::set_cookie::Spec;
    /// use embedded_cookie::jar::Url;
    ///
    /// let mut jar: Jar<_, 4, 128> = Jar::new(Spec::Rfc6265, NoPublicSuffixes);
    /// let url = Url::parse("http://device.local/api/login")?;
    /// jar.store(&url, "a=1", 0)?;
    /// jar.store(&url, "b=2; Path=/api/login", 0)?;
    /// let mut buf = [0u8; 8];
    /// assert_eq!(jar.cookie_header(&url, 1, &mut buf)?, b"b=2; a=1");
    /// let short = jar.cookie_header(&url, 1, &mut buf[..7]);
    /// assert_eq!(short, Err(JarError::BufferTooSmall { needed: 8 }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn cookie_header<'o>(
        &mut self,
        url: &Url<'_>,
        now: i64,
        out: &'o mut [u8],
    ) -> Result<&'o [u8], JarError> {
        self.remove_expired(now);
        if !has_cookies(url) {
            return Ok(&[]);
        }
        let host = url.host_str();
        let mut chosen: heapless::Vec<usize, COOKIES> = heapless::Vec::new();
        for (index, entry) in self.storage.entries().iter().enumerate() {
            let p = self.storage.parts(entry);
            let domain_ok =
                if entry.has(HOST_ONLY) { p.domain == host } else { domain_match(host, p.domain) };
            if domain_ok
                && path_match(url.path().as_bytes(), p.path)
                && (!entry.has(SECURE) || url.is_secure())
            {
                // There are at most COOKIES entries, so this always fits.
                if chosen.push(index).is_err() {
                    break;
                }
            }
        }
        let entries = self.storage.entries();
        sort_by_key(&mut chosen, |&i| {
            let e = entries.get(i);
            (core::cmp::Reverse(e.map_or(0, |e| e.path_len)), e.map_or(0, |e| e.creation), i)
        });
        let cookies = chosen.iter().filter_map(|&i| entries.get(i)).map(|e| self.storage.parts(e));
        let mut header = CookieWriter::new(out);
        header.push_all_stored(cookies.map(|p| (p.name, p.value))).map_err(|e| match e {
            CookieWriteError::BufferTooSmall { needed } => JarError::BufferTooSmall { needed },
            // `store` refuses every name and value the writer would.
            _ => JarError::ControlCharacter,
        })?;
        let entries = self.storage.entries_mut();
        for &i in &chosen {
            if let Some(e) = entries.get_mut(i) {
                e.last_access = now;
            }
        }
        Ok(header.finish())
    }
}

/// True for the schemes whose requests carry cookies, in any case: `http`,
/// `https`, `ws` and `wss`.
fn has_cookies(url: &Url<'_>) -> bool {
    ["http", "https", "ws", "wss"].iter().any(|s| url.scheme().eq_ignore_ascii_case(s))
}

/// Sorts `items` by `key`, by insertion: a jar holds few cookies, and core's sorts
/// link a panic path into the firmware (`examples/panic-never`).
fn sort_by_key<T, K: Ord>(items: &mut [T], key: impl Fn(&T) -> K) {
    for i in 1..items.len() {
        let mut j = i;
        while let Some(pair) = j.checked_sub(1).and_then(|before| items.get_mut(before..=j)) {
            match pair {
                [a, b] if key(a) > key(b) => core::mem::swap(a, b),
                _ => break,
            }
            j -= 1;
        }
    }
}

/// One stored cookie, borrowed from the jar: what RFC 6265 §5.3 keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct StoredCookie<'a> {
    name: &'a [u8],
    value: &'a [u8],
    domain: &'a str,
    path: &'a [u8],
    entry: Entry,
}

impl<'a> StoredCookie<'a> {
    /// The name (empty for a nameless 6265bis cookie).
    pub fn name(&self) -> &'a [u8] {
        self.name
    }

    /// The name, if it is UTF-8.
    pub fn name_str(&self) -> Option<&'a str> {
        core::str::from_utf8(self.name).ok()
    }

    /// The value.
    pub fn value(&self) -> &'a [u8] {
        self.value
    }

    /// The value, if it is UTF-8.
    pub fn value_str(&self) -> Option<&'a str> {
        core::str::from_utf8(self.value).ok()
    }

    /// The domain, lower-case: the request host for a host-only cookie, else the
    /// `Domain` attribute.
    pub fn domain(&self) -> &'a str {
        self.domain
    }

    /// The path.
    pub fn path(&self) -> &'a [u8] {
        self.path
    }

    /// True when only the exact host that set it receives it (no `Domain`).
    pub fn host_only(&self) -> bool {
        self.entry.has(HOST_ONLY)
    }

    /// True when it is sent only over `https` and `wss`.
    pub fn secure(&self) -> bool {
        self.entry.has(SECURE)
    }

    /// True when it was set with `HttpOnly`.
    pub fn http_only(&self) -> bool {
        self.entry.has(HTTP_ONLY)
    }

    /// Its `SameSite` attribute, if it had a valid one.
    pub fn same_site(&self) -> Option<SameSite> {
        self.entry.same_site
    }

    /// When it was first stored (replacements keep this time), in seconds since the epoch.
    pub fn creation(&self) -> i64 {
        self.entry.creation
    }

    /// When it was last stored or sent, in seconds since the epoch.
    pub fn last_access(&self) -> i64 {
        self.entry.last_access
    }

    /// When it expires, in seconds since the epoch; `None` for a session cookie.
    pub fn expiry(&self) -> Option<i64> {
        self.entry.has(PERSISTENT).then_some(self.entry.expiry)
    }
}

/// Iterator over the cookies of a [`Jar`], oldest first, from [`Jar::iter`].
#[derive(Clone, Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct StoredCookies<'a> {
    entries: &'a [Entry],
    arena: &'a [u8],
    next: usize,
}

impl<'a> Iterator for StoredCookies<'a> {
    type Item = StoredCookie<'a>;

    fn next(&mut self) -> Option<StoredCookie<'a>> {
        let entry = *self.entries.get(self.next)?;
        self.next += 1;
        let Parts { name, value, domain, path } = storage::parts(self.arena, &entry);
        Some(StoredCookie { name, value, domain, path, entry })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jar::suffix::TEST_SUFFIXES;
    use std::string::String;
    use std::vec::Vec;

    type TestJar = Jar<&'static [&'static str], 8, 256>;

    fn jar(rules: Spec) -> TestJar {
        Jar::new(rules, TEST_SUFFIXES)
    }

    fn set<P: PublicSuffixes, const C: usize, const B: usize>(
        jar: &mut Jar<P, C, B>,
        url: &str,
        line: &str,
        now: i64,
    ) -> Result<StoreOutcome, JarError> {
        jar.store(&Url::parse(url).unwrap(), line, now)
    }

    fn header<P: PublicSuffixes, const C: usize, const B: usize>(
        jar: &mut Jar<P, C, B>,
        url: &str,
        now: i64,
    ) -> String {
        let mut buf = std::vec![0u8; Jar::<P, C, B>::HEADER_CAPACITY];
        let got = jar.cookie_header(&Url::parse(url).unwrap(), now, &mut buf).unwrap();
        String::from_utf8(got.to_vec()).unwrap()
    }

    const fn added(evicted_expired: usize, evicted_lru: usize) -> StoreOutcome {
        StoreOutcome { action: Action::Added, evicted_expired, evicted_lru }
    }

    const ADDED: StoreOutcome = added(0, 0);

    type Outcome = Result<StoreOutcome, JarError>;

    /// One row: rules, the URL that sets, the Set-Cookie, what `store` says, then the
    /// URL that asks and the header it gets.
    #[test]
    fn store_then_send() {
        use JarError::*;
        use PrefixError::*;
        use Spec::*;
        type Row = (
            Spec,
            &'static str,
            &'static str,
            Result<StoreOutcome, JarError>,
            &'static str,
            &'static str,
        );
        #[rustfmt::skip]
        let rows: &[Row] = &[
            // Host-only versus Domain.
            (Rfc6265, "http://a.example.org/", "x=1", Ok(ADDED), "http://a.example.org/", "x=1"),
            (Rfc6265, "http://a.example.org/", "x=1", Ok(ADDED), "http://b.a.example.org/", ""),
            (Rfc6265, "http://a.example.org/", "x=1; Domain=example.org", Ok(ADDED), "http://b.example.org/", "x=1"),
            (Rfc6265, "http://a.example.org/", "x=1; Domain=.EXAMPLE.org", Ok(ADDED), "http://example.org/", "x=1"),
            (Rfc6265, "http://a.example.org/", "x=1; Domain=a.example.org", Ok(ADDED), "http://z.a.example.org/", "x=1"),
            (Rfc6265, "http://a.example.org/", "x=1; Domain=b.example.org", Err(DomainMismatch), "http://b.example.org/", ""),
            (Rfc6265, "http://a.example.org/", "x=1; Domain=ample.org", Err(DomainMismatch), "http://a.example.org/", ""),
            (Rfc6265, "http://a.example.org/", "x=1; Domain=exämple.org", Err(DomainMismatch), "http://a.example.org/", ""),
            (Rfc6265, "http://a.example.org/", "x=1; Domain=example.org.", Err(DomainMismatch), "http://a.example.org/", ""),
            (Rfc6265, "http://1.2.3.4/", "x=1; Domain=2.3.4", Err(DomainMismatch), "http://1.2.3.4/", ""),
            (Rfc6265, "http://1.2.3.4/", "x=1; Domain=1.2.3.4", Ok(ADDED), "http://1.2.3.4/", "x=1"),
            (Rfc6265bis, "http://1.2.3.4./", "x=1; Domain=3.4.", Err(DomainMismatch), "http://1.2.3.4./", ""),
            (Rfc6265bis, "http://1.2.3.4./", "x=1; Domain=1.2.3.4.", Ok(ADDED), "http://1.2.3.4./", "x=1"),
            // An empty Domain after a real one: RFC 6265 skips it, 6265bis resets to host-only.
            (Rfc6265, "http://a.example.org/", "x=1; Domain=example.org; Domain=", Ok(ADDED), "http://b.example.org/", "x=1"),
            (Rfc6265bis, "http://a.example.org/", "x=1; Domain=example.org; Domain=", Ok(ADDED), "http://b.example.org/", ""),
            // Public suffixes: refused, unless the suffix is the host itself.
            (Rfc6265, "http://a.example.org/", "x=1; Domain=org", Err(PublicSuffix), "http://a.example.org/", ""),
            (Rfc6265, "http://a.co.uk/", "x=1; Domain=co.uk", Err(PublicSuffix), "http://a.co.uk/", ""),
            (Rfc6265, "http://co.uk/", "x=1; Domain=co.uk", Ok(ADDED), "http://a.co.uk/", ""),
            (Rfc6265, "http://co.uk/", "x=1; Domain=co.uk", Ok(ADDED), "http://co.uk/", "x=1"),
            // ... with one trailing dot too, as browsers compute registrable domains.
            (Rfc6265bis, "http://www.example.com./", "x=1; Domain=com.", Err(PublicSuffix), "http://other.com./", ""),
            (Rfc6265bis, "http://www.example.co.uk./", "x=1; Domain=.CO.UK.", Err(PublicSuffix), "http://bank.co.uk./", ""),
            (Rfc6265bis, "http://www.example.co.uk./", "x=1; Domain=example.co.uk.", Ok(ADDED), "http://bank.example.co.uk./", "x=1"),
            (Rfc6265bis, "http://co.uk./", "x=1; Domain=co.uk.", Ok(ADDED), "http://a.co.uk./", ""),
            // Schemes: only http, https, ws and wss store and receive.
            (Rfc6265bis, "ftp://h.org/", "x=1", Err(UnsupportedScheme), "ftp://h.org/", ""),
            (Rfc6265bis, "http://h.org/", "x=1", Ok(ADDED), "ftp://h.org/", ""),
            (Rfc6265bis, "http://h.org/", "x=1", Ok(ADDED), "file://h.org/", ""),
            (Rfc6265bis, "WS://h.org/", "x=1", Ok(ADDED), "Http://h.org/", "x=1"),
            // Non-ASCII hosts and domains match by their A-labels.
            (Rfc6265bis, "http://bücher.example/", "x=1", Ok(ADDED), "http://xn--bcher-kva.example/", "x=1"),
            (Rfc6265bis, "http://xn--bcher-kva.example/", "x=1", Ok(ADDED), "http://BÜCHER.example/", "x=1"),
            (Rfc6265bis, "http://www.bücher.example/", "x=1; Domain=BÜCHER.example", Ok(ADDED), "http://shop.xn--bcher-kva.example/", "x=1"),
            // Paths: default-path, Path attribute, byte-for-byte matching.
            (Rfc6265, "http://h.org/a/b", "x=1", Ok(ADDED), "http://h.org/a/c", "x=1"),
            (Rfc6265, "http://h.org/a/b", "x=1", Ok(ADDED), "http://h.org/", ""),
            (Rfc6265, "http://h.org/a/b", "x=1", Ok(ADDED), "http://h.org/ab", ""),
            (Rfc6265, "http://h.org/", "x=1; Path=/A", Ok(ADDED), "http://h.org/a", ""),
            (Rfc6265, "http://h.org/a/b", "x=1; Path=/", Ok(ADDED), "http://h.org/?q", "x=1"),
            (Rfc6265, "http://h.org/a/b", "x=1; Path=/x; Path=y", Ok(ADDED), "http://h.org/a/", "x=1"),
            // Expiry: stored at 1000, asked at 1001.
            (Rfc6265, "http://h.org/", "x=1; Max-Age=1", Ok(ADDED), "http://h.org/", ""),
            (Rfc6265, "http://h.org/", "x=1; Max-Age=2", Ok(ADDED), "http://h.org/", "x=1"),
            (Rfc6265, "http://h.org/", "x=1; Max-Age=0", Ok(StoreOutcome { action: Action::Expired, ..ADDED }), "http://h.org/", ""),
            (Rfc6265, "http://h.org/", "x=1; Expires=Thu, 01 Jan 1970 00:16:41 GMT", Ok(ADDED), "http://h.org/", ""),
            (Rfc6265, "http://h.org/", "x=1; Expires=Thu, 01 Jan 1970 00:16:42 GMT", Ok(ADDED), "http://h.org/", "x=1"),
            (Rfc6265, "http://h.org/", "x=1; Max-Age=5; Expires=Thu, 01 Jan 1970 00:00:00 GMT", Ok(ADDED), "http://h.org/", "x=1"),
            // Secure: stored from http under RFC 6265, refused under 6265bis.
            (Rfc6265, "http://h.org/", "x=1; Secure", Ok(ADDED), "https://h.org/", "x=1"),
            (Rfc6265, "https://h.org/", "x=1; Secure", Ok(ADDED), "http://h.org/", ""),
            (Rfc6265bis, "http://h.org/", "x=1; Secure", Err(SecureOverInsecure), "https://h.org/", ""),
            (Rfc6265bis, "https://h.org/", "x=1; Secure", Ok(ADDED), "wss://h.org/", "x=1"),
            // SameSite and prefixes (6265bis only).
            (Rfc6265bis, "https://h.org/", "x=1; SameSite=None", Err(SameSiteNoneInsecure), "https://h.org/", ""),
            (Rfc6265bis, "https://h.org/", "x=1; SameSite=None; Secure", Ok(ADDED), "https://h.org/", "x=1"),
            (Rfc6265bis, "https://h.org/", "x=1; SameSite=Strict", Ok(ADDED), "https://h.org/", "x=1"),
            (Rfc6265, "http://h.org/", "x=1; SameSite=None", Ok(ADDED), "http://h.org/", "x=1"),
            (Rfc6265bis, "https://h.org/", "__Secure-x=1", Err(Prefix(MissingSecure)), "https://h.org/", ""),
            (Rfc6265bis, "https://h.org/", "__SECURE-x=1", Err(Prefix(MissingSecure)), "https://h.org/", ""),
            (Rfc6265bis, "https://h.org/", "__Secure-x=1; Secure", Ok(ADDED), "https://h.org/", "__Secure-x=1"),
            (Rfc6265, "http://h.org/", "__Secure-x=1", Ok(ADDED), "http://h.org/", "__Secure-x=1"),
            (Rfc6265bis, "https://h.org/", "__Host-x=1; Secure; Path=/", Ok(ADDED), "https://h.org/", "__Host-x=1"),
            (Rfc6265bis, "https://h.org/a", "__Host-x=1; Secure", Err(Prefix(PathNotRoot)), "https://h.org/", ""),
            (Rfc6265bis, "https://h.org/", "__host-x=1; Secure; Path=/; Domain=h.org", Err(Prefix(DomainSet)), "https://h.org/", ""),
            (Rfc6265bis, "https://h.org/", "__Host-x=1; Path=/", Err(Prefix(MissingSecure)), "https://h.org/", ""),
            (Rfc6265bis, "https://h.org/", "__Host-x; Secure; Path=/", Err(Prefix(PrefixedNamelessValue)), "https://h.org/", ""),
            // Nameless cookies: 6265bis stores them and sends the value alone.
            (Rfc6265bis, "http://h.org/", "=v", Ok(ADDED), "http://h.org/", "v"),
            (Rfc6265bis, "http://h.org/", "flag", Ok(ADDED), "http://h.org/", "flag"),
            (Rfc6265bis, "http://h.org/", "=sid=x", Ok(ADDED), "http://h.org/", "sid=x"),
            (Rfc6265bis, "http://h.org/", "==sid=x", Ok(ADDED), "http://h.org/", "=sid=x"),
            (Rfc6265, "http://h.org/", "=sid=x", Err(Ignored(crate::set_cookie::SetCookieError::EmptyName)), "http://h.org/", ""),
            (Rfc6265, "http://h.org/", "flag", Err(Ignored(crate::set_cookie::SetCookieError::MissingEquals)), "http://h.org/", ""),
            // Control bytes: 6265bis ignores the line; under RFC 6265 the jar refuses it.
            (Rfc6265bis, "http://h.org/", "a=b\0c", Err(Ignored(crate::set_cookie::SetCookieError::ControlCharacter)), "http://h.org/", ""),
            (Rfc6265, "http://h.org/", "a=b\0c", Err(ControlCharacter), "http://h.org/", ""),
            (Rfc6265, "http://h.org/", "a=b; Path=/\x7f", Ok(ADDED), "http://h.org/", ""),
        ];
        for (rules, from, line, want, to, sent) in rows {
            let mut jar = jar(*rules);
            assert_eq!(set(&mut jar, from, line, 1000), *want, "{rules:?} {from} {line}");
            assert_eq!(header(&mut jar, to, 1001), *sent, "{rules:?} {from} {line} -> {to}");
        }
    }

    #[test]
    fn order_is_longer_path_then_earlier_creation() {
        let mut jar = jar(Spec::Rfc6265);
        let from = "http://h.org/a/b/c";
        for (line, now) in [
            ("a=1; Path=/", 3),
            ("b=2; Path=/a", 4),
            ("c=3", 5),
            ("d=4; Path=/", 1),
            ("e=5; Path=/", 3),
        ] {
            assert_eq!(set(&mut jar, from, line, now), Ok(ADDED));
        }
        assert_eq!(header(&mut jar, from, 9), "c=3; b=2; d=4; a=1; e=5");
        // Replacing keeps the creation time, and so the place.
        let replaced = StoreOutcome { action: Action::Replaced, ..ADDED };
        assert_eq!(set(&mut jar, from, "d=new; Path=/", 9), Ok(replaced));
        assert_eq!(header(&mut jar, from, 9), "c=3; b=2; d=new; a=1; e=5");
        assert_eq!(jar.iter().find(|c| c.name() == b"d").map(|c| c.creation()), Some(1));
    }

    #[test]
    fn a_server_deletes_with_a_past_expiry() {
        let mut jar = jar(Spec::Rfc6265);
        let from = "http://h.org/";
        set(&mut jar, from, "sid=1", 10).unwrap();
        set(&mut jar, from, "sid=1; Path=/x", 10).unwrap();
        let deleted = StoreOutcome { action: Action::Deleted, ..ADDED };
        assert_eq!(set(&mut jar, from, "sid=; Max-Age=-1", 11), Ok(deleted));
        assert_eq!(header(&mut jar, "http://h.org/x", 11), "sid=1");
        assert_eq!(jar.len(), 1);
    }

    #[test]
    fn secure_cookies_are_left_alone_under_6265bis() {
        for (rules, want, sent) in [
            (Spec::Rfc6265bis, Err(JarError::ShadowsSecure), "sid=secret"),
            (Spec::Rfc6265, Ok(ADDED), "sid=evil; sid=secret"),
        ] {
            let mut jar = jar(rules);
            set(&mut jar, "https://a.h.org/", "sid=secret; Secure; Domain=h.org", 1).unwrap();
            assert_eq!(set(&mut jar, "http://a.h.org/x/", "sid=evil; Path=/x", 2), want);
            assert_eq!(header(&mut jar, "https://a.h.org/x/", 3), sent, "{rules:?}");
        }
        // A nameless cookie whose value looks like `sid=...` is keyed by its empty
        // name, as the storage model says: it does not shadow `sid` (module docs).
        let mut nameless = jar(Spec::Rfc6265bis);
        set(&mut nameless, "https://h.org/", "sid=secret; Secure", 1).unwrap();
        assert_eq!(set(&mut nameless, "http://h.org/", "=sid=evil", 2), Ok(ADDED));
        assert_eq!(header(&mut nameless, "https://h.org/", 3), "sid=secret; sid=evil");
        // A different name, or a path the secure cookie does not cover, is fine.
        let mut jar = jar(Spec::Rfc6265bis);
        set(&mut jar, "https://h.org/x/", "sid=s; Secure; Path=/x", 1).unwrap();
        assert_eq!(set(&mut jar, "http://h.org/", "sid=p; Path=/", 2), Ok(ADDED));
        assert_eq!(set(&mut jar, "http://h.org/x/", "other=1", 2), Ok(ADDED));
    }

    /// A cookie that has expired is gone before a call purges it: it shadows no
    /// new cookie and is not what a deletion deletes. One row: the cookie stored at
    /// 0, the line that follows at `now`, what `store` says, and the header then.
    #[test]
    fn expired_cookies_count_as_gone_before_they_are_purged() {
        use JarError::ShadowsSecure;
        let expired = |action| Ok(StoreOutcome { action, evicted_expired: 1, evicted_lru: 0 });
        #[rustfmt::skip]
        let rows: [(&str, &str, &str, i64, Outcome, &str); 6] = [
            ("https://h.org/", "sid=1; Secure; Max-Age=10", "sid=2", 100, Ok(added(1, 0)), "sid=2"),
            ("https://h.org/", "sid=1; Secure; Max-Age=10", "sid=2", 10, Ok(added(1, 0)), "sid=2"),
            ("https://h.org/", "sid=1; Secure; Max-Age=10", "sid=2", 9, Err(ShadowsSecure), "sid=1"),
            ("https://h.org/", "sid=1; Secure; Domain=h.org; Expires=Thu, 01 Jan 1970 00:00:10 GMT", "sid=2", 10, Ok(added(1, 0)), "sid=2"),
            ("http://h.org/", "x=1; Max-Age=10", "x=; Max-Age=0", 100, expired(Action::Expired), ""),
            ("http://h.org/", "x=1; Max-Age=10", "x=; Max-Age=0", 9, Ok(StoreOutcome { action: Action::Deleted, ..ADDED }), ""),
        ];
        for (first_url, first, line, now, want, sent) in rows {
            let mut jar = jar(Spec::Rfc6265bis);
            set(&mut jar, first_url, first, 0).unwrap();
            let got = set(&mut jar, "http://h.org/", line, now);
            assert_eq!(got, want, "{first} then {line} at {now}");
            if got.is_err() {
                assert_eq!(jar.len(), 1, "unchanged on Err");
            }
            assert_eq!(header(&mut jar, "https://h.org/", now), sent, "{first} then {line}");
        }
    }

    /// `store` takes a clock in CLOCK_RANGE only, and leaves the jar alone
    /// otherwise; at both ends of the range expiry still compares the right way.
    #[test]
    fn store_needs_a_clock_cookie_dates_can_name() {
        let (min, max) = (crate::date::MIN, crate::date::MAX);
        let deleted = Ok(StoreOutcome { action: Action::Deleted, ..ADDED });
        #[rustfmt::skip]
        let rows: [(i64, &str, Outcome, &str); 12] = [
            (i64::MIN, "a=; Max-Age=0", Err(JarError::ClockOutOfRange), "a=1"),
            (min - 1, "a=; Max-Age=0", Err(JarError::ClockOutOfRange), "a=1"),
            (min - 1, "b=1; Max-Age=60", Err(JarError::ClockOutOfRange), "a=1"),
            (max, "b=1; Max-Age=60", Err(JarError::ClockOutOfRange), "a=1"),
            (max + 1, "b=1; Max-Age=60", Err(JarError::ClockOutOfRange), "a=1"),
            (i64::MAX, "b=1", Err(JarError::ClockOutOfRange), "a=1"),
            (min, "a=; Max-Age=0", deleted, ""),
            (min, "a=; Max-Age=-9223372036854775808", deleted, ""),
            (min, "b=1; Max-Age=60", Ok(ADDED), "a=1; b=1"),
            (max - 1, "a=; Max-Age=0", deleted, ""),
            (max - 1, "b=1; Max-Age=60", Ok(ADDED), "a=1; b=1"),
            (max - 1, "b=1; Expires=Fri, 31 Dec 9999 23:59:59 GMT", Ok(ADDED), "a=1; b=1"),
        ];
        for (now, line, want, sent) in rows {
            let mut jar = jar(Spec::Rfc6265);
            let start = if CLOCK_RANGE.contains(&now) { now } else { 0 };
            set(&mut jar, "http://h.org/", "a=1", start).unwrap();
            assert_eq!(set(&mut jar, "http://h.org/", line, now), want, "{line} at {now}");
            assert_eq!(header(&mut jar, "http://h.org/", start), sent, "{line} at {now}");
        }
        // Stored at the last second the range allows, a cookie lives until max.
        let mut jar = jar(Spec::Rfc6265bis);
        set(&mut jar, "http://h.org/", "b=1; Max-Age=60", max - 1).unwrap();
        assert_eq!(jar.iter().next().and_then(|c| c.expiry()), Some(max));
        assert_eq!(header(&mut jar, "http://h.org/", max), "");
    }

    /// Sending and purging take any clock: after the range every persistent
    /// cookie has expired, before it none has, and a session cookie never does.
    #[test]
    fn any_clock_sends_and_purges_by_comparison() {
        let (min, max) = (crate::date::MIN, crate::date::MAX);
        for (now, sent, left) in [
            (i64::MIN, "p=1; s=1", 2),
            (min - 1, "p=1; s=1", 2),
            (max + 1, "s=1", 1),
            (i64::MAX, "s=1", 1),
        ] {
            let mut jar = jar(Spec::Rfc6265);
            set(&mut jar, "http://h.org/", "p=1; Expires=Fri, 31 Dec 9999 23:59:59 GMT", 0)
                .unwrap();
            set(&mut jar, "http://h.org/", "s=1", 0).unwrap();
            assert_eq!(header(&mut jar, "http://h.org/", now), sent, "at {now}");
            assert_eq!(jar.remove_expired(now), 0, "at {now}");
            assert_eq!(jar.len(), left, "at {now}");
        }
    }

    #[test]
    fn replacement_key_includes_host_only_under_6265bis() {
        for (rules, len) in [(Spec::Rfc6265bis, 2), (Spec::Rfc6265, 1)] {
            let mut jar = jar(rules);
            set(&mut jar, "http://h.org/", "x=1", 1).unwrap();
            set(&mut jar, "http://h.org/", "x=2; Domain=h.org", 2).unwrap();
            assert_eq!(jar.len(), len, "{rules:?}");
        }
    }

    #[test]
    fn lifetimes_are_capped_at_400_days_under_6265bis() {
        let day = 86_400;
        for (rules, line, expiry) in [
            (Spec::Rfc6265bis, "x=1; Max-Age=999999999", 400 * day),
            (Spec::Rfc6265, "x=1; Max-Age=999999999", 999_999_999),
            (Spec::Rfc6265bis, "x=1; Expires=Fri, 31 Dec 9999 23:59:59 GMT", 400 * day),
            (Spec::Rfc6265bis, "x=1; Max-Age=60", 60),
            (Spec::Rfc6265, "x=1; Max-Age=9223372036854775807", crate::date::MAX),
        ] {
            let mut jar = jar(rules);
            set(&mut jar, "http://h.org/", line, 0).unwrap();
            assert_eq!(
                jar.iter().next().and_then(|c| c.expiry()),
                Some(expiry),
                "{rules:?} {line}"
            );
        }
    }

    #[test]
    fn a_full_jar_evicts_expired_then_least_recently_used() {
        let mut jar: Jar<NoPublicSuffixes, 3, 64> = Jar::new(Spec::Rfc6265, NoPublicSuffixes);
        let h = "http://h.org/";
        set(&mut jar, h, "a=1; Path=/a", 1).unwrap();
        set(&mut jar, h, "b=1; Max-Age=5", 2).unwrap();
        set(&mut jar, h, "c=1; Path=/c", 3).unwrap();
        // Full (3 cookies): at 10, b has expired and goes first.
        assert_eq!(set(&mut jar, h, "d=1", 10), Ok(added(1, 0)));
        // Sending a and d refreshes them, so c is now the least recently used.
        assert_eq!(header(&mut jar, "http://h.org/a", 11), "a=1; d=1");
        assert_eq!(set(&mut jar, h, "zz=1", 12), Ok(added(0, 1)));
        let names: Vec<_> = jar.iter().map(|c| c.name().to_vec()).collect();
        assert_eq!(names, [b"a".to_vec(), b"d".to_vec(), b"zz".to_vec()]);
        // A replacement needs no free slot.
        assert_eq!(
            set(&mut jar, h, "d=2", 13),
            Ok(StoreOutcome { action: Action::Replaced, ..ADDED })
        );
        // Larger than the whole arena: refused, nothing evicted.
        let huge = std::format!("big={}", "x".repeat(64));
        assert_eq!(set(&mut jar, h, &huge, 14), Err(JarError::TooLarge));
        assert_eq!(jar.len(), 3);
    }

    /// The review's two attacks: junk from `http://` evicting a `Secure` session
    /// of the same host and then replacing it, and one site evicting another's
    /// session. One row: jar capacity, the setting URL and lines stored after the
    /// session, then what an https request to the session's host gets.
    #[test]
    fn eviction_leaves_secure_cookies_and_other_sites_alone() {
        let good = "sid=good; Secure; HttpOnly; Path=/";
        let junk: Vec<String> = (0..8).map(|i| std::format!("junk{i}=1")).collect();
        let api = "https://api.example.com/";
        let mut jar: Jar<_, 8, 1024> = Jar::new(Spec::Rfc6265bis, TEST_SUFFIXES);
        set(&mut jar, api, good, 1).unwrap();
        let http = "http://api.example.com/";
        assert_eq!(set(&mut jar, http, "sid=evil; Path=/", 2), Err(JarError::ShadowsSecure));
        for (i, line) in junk.iter().enumerate() {
            set(&mut jar, http, line, 3 + i as i64).unwrap();
        }
        assert_eq!(set(&mut jar, http, "sid=evil; Path=/", 20), Err(JarError::ShadowsSecure));
        assert!(
            header(&mut jar, api, 21).starts_with("sid=good"),
            "{:?}",
            header(&mut jar, api, 21)
        );

        let mut jar: Jar<_, 4, 1024> = Jar::new(Spec::Rfc6265bis, TEST_SUFFIXES);
        set(&mut jar, api, good, 1).unwrap();
        for (i, line) in junk.iter().enumerate() {
            set(&mut jar, "http://evil.net/", line, 2 + i as i64).unwrap();
        }
        assert_eq!(header(&mut jar, api, 20), "sid=good");
        // evil.net filled the free room, then paid for more with its own oldest.
        assert_eq!(header(&mut jar, "http://evil.net/", 20), "junk5=1; junk6=1; junk7=1");
    }

    /// The second review's attack: one https site with a `Secure` host-only
    /// cookie on each of eight of its hosts fills a jar of eight. Counted per
    /// host, each host holds one cookie, within its share, so the site's eighth
    /// cookie evicted the bank's session, and a plain-http answer could then plant
    /// `sid=evil` for https://bank.example. Counted per site (registrable domain),
    /// the evil site holds eight, over its share of four, and pays from its own.
    #[test]
    fn one_site_on_many_hosts_cannot_evict_another_sites_session() {
        let bank = "https://bank.example/";
        let mut jar: Jar<_, 8, 1024> = Jar::new(Spec::Rfc6265bis, TEST_SUFFIXES);
        set(&mut jar, bank, "sid=good; Secure; HttpOnly; Path=/", 1).unwrap();
        for (i, host) in ('a'..='h').enumerate() {
            let url = std::format!("https://{host}.evil.example/");
            set(&mut jar, &url, "x=1; Secure; Path=/", 2 + i as i64).unwrap();
        }
        assert_eq!(header(&mut jar, bank, 20), "sid=good");
        assert_eq!(
            set(&mut jar, "http://bank.example/", "sid=evil; Path=/", 21),
            Err(JarError::ShadowsSecure)
        );
        assert_eq!(header(&mut jar, bank, 22), "sid=good");
        // The evil site keeps its most recent seven: it paid for the eighth itself.
        let evil = jar.iter().filter(|c| c.domain().ends_with(".evil.example")).count();
        assert_eq!(evil, 7);
    }

    /// A public suffix list spelled as the Public Suffix List is (U-labels) keeps
    /// a `Domain` from naming a whole internationalised suffix (RFC 6265 §5.3
    /// step 5). One row: the URL that sets, the line, and what `store` says.
    #[test]
    fn unicode_public_suffixes_refuse_their_domain() {
        let psl: &[&str] = &["中国", "公司.hk", "hk"];
        let rows: [(&str, &str, Outcome); 6] = [
            ("http://shop.example.中国/", "x=1; Domain=中国", Err(JarError::PublicSuffix)),
            ("http://shop.xn--fiqs8s/", "x=1; Domain=xn--fiqs8s", Err(JarError::PublicSuffix)),
            ("http://shop.公司.hk/", "x=1; Domain=公司.HK", Err(JarError::PublicSuffix)),
            ("http://shop.公司.hk/", "x=1; Domain=xn--55qx5d.hk", Err(JarError::PublicSuffix)),
            ("http://shop.公司.hk/", "x=1; Domain=shop.公司.hk", Ok(ADDED)),
            ("http://公司.hk/", "x=1; Domain=公司.hk", Ok(ADDED)),
        ];
        for (url, line, want) in rows {
            let mut jar: Jar<_, 4, 256> = Jar::new(Spec::Rfc6265bis, psl);
            assert_eq!(set(&mut jar, url, line, 1), want, "{url} {line}");
        }
    }

    /// The eviction order of the module docs. One row: a jar of four, share two;
    /// the cookies stored (URL, line) at times 1, 2, ...; the next store and what
    /// it says; the names left, oldest first.
    #[test]
    fn eviction_order_follows_the_share_then_secure_then_lru() {
        type Row = (
            &'static [(&'static str, &'static str)],
            (&'static str, &'static str),
            Outcome,
            &'static [&'static str],
        );
        const A: &str = "https://a.org/";
        const B: &str = "https://b.org/";
        const HTTP_A: &str = "http://a.org/";
        #[rustfmt::skip]
        let rows: [Row; 7] = [
            // a.org at its share: its own least recently used goes, not b.org's.
            (&[(B, "b1=1"), (A, "a1=1"), (A, "a2=1"), (B, "b2=1")], (A, "a3=1"), Ok(added(0, 1)), &["b1", "a2", "b2", "a3"]),
            // ... its non-Secure cookie before its Secure one, older or not.
            (&[(A, "a1=1; Secure"), (A, "a2=1"), (B, "b1=1"), (B, "b2=1")], (A, "a3=1"), Ok(added(0, 1)), &["a1", "b1", "b2", "a3"]),
            // Within its share, the domain over its share pays.
            (&[(A, "a1=1"), (A, "a2=1"), (A, "a3=1"), (B, "b1=1")], (B, "b2=1"), Ok(added(0, 1)), &["a2", "a3", "b1", "b2"]),
            // Every domain within its share: the least recently used of all.
            (&[(A, "a1=1"), (B, "b1=1"), ("https://c.org/", "c1=1"), ("https://d.org/", "d1=1")], (B, "b2=1"), Ok(added(0, 1)), &["b1", "c1", "d1", "b2"]),
            // ... but non-Secure first.
            (&[(A, "a1=1; Secure"), (B, "b1=1"), ("https://c.org/", "c1=1"), ("https://d.org/", "d1=1")], (B, "b2=1"), Ok(added(0, 1)), &["a1", "c1", "d1", "b2"]),
            // Over http, a Secure cookie is never evicted: refused, nothing changes.
            (&[(A, "a1=1; Secure"), (A, "a2=1; Secure"), (B, "b1=1; Secure"), (B, "b2=1; Secure")], (HTTP_A, "x=1"), Err(JarError::WouldEvictSecure), &["a1", "a2", "b1", "b2"]),
            // Expired cookies go first, and are not counted as evicted to make room.
            (&[(A, "a1=1; Max-Age=5"), (A, "a2=1"), (B, "b1=1"), (B, "b2=1")], (HTTP_A, "x=1"), Ok(added(1, 0)), &["a2", "b1", "b2", "x"]),
        ];
        for (before, (url, line), want, left) in rows {
            let mut jar: Jar<_, 4, 256> = Jar::new(Spec::Rfc6265bis, TEST_SUFFIXES);
            assert_eq!(jar.domain_share(), 2);
            for (now, (url, line)) in (1..).zip(before) {
                set(&mut jar, url, line, now).unwrap();
            }
            assert_eq!(set(&mut jar, url, line, 10), want, "{line} after {before:?}");
            let names: Vec<_> =
                jar.iter().map(|c| String::from_utf8(c.name().to_vec()).unwrap()).collect();
            assert_eq!(names, left, "{line} after {before:?}");
        }
        // Under RFC 6265 there is no "leave secure cookies alone".
        let mut jar: Jar<_, 2, 256> = Jar::new(Spec::Rfc6265, TEST_SUFFIXES);
        set(&mut jar, A, "a1=1; Secure", 1).unwrap();
        set(&mut jar, B, "b1=1; Secure", 2).unwrap();
        assert_eq!(set(&mut jar, HTTP_A, "x=1", 3), Ok(added(0, 1)));
    }

    #[test]
    fn arena_room_drives_eviction_too() {
        let mut jar: Jar<NoPublicSuffixes, 8, 32> = Jar::new(Spec::Rfc6265, NoPublicSuffixes);
        let h = "http://h.org/";
        let ten = "0123456789";
        set(&mut jar, h, &std::format!("a={ten}"), 1).unwrap(); // 17 bytes
        assert_eq!(set(&mut jar, h, &std::format!("b={ten}"), 2), Ok(added(0, 1)));
        set(&mut jar, h, "c=1", 3).unwrap(); // 8 bytes: 25 of 32 used
        assert_eq!(jar.bytes_used(), 25);
        let replaced = |evicted_lru| {
            Ok(StoreOutcome { action: Action::Replaced, evicted_expired: 0, evicted_lru })
        };
        // b's 17 bytes plus 7 free: a 24-byte b fits in place, a 25-byte one evicts c.
        assert_eq!(set(&mut jar, h, &std::format!("b={ten}{}", "x".repeat(7)), 4), replaced(0));
        assert_eq!(set(&mut jar, h, &std::format!("b={ten}{}", "x".repeat(8)), 5), replaced(1));
        assert_eq!(jar.len(), 1);
        assert_eq!(jar.bytes_used(), 25);
    }

    /// A short buffer says how long the whole header is, writes nothing and
    /// touches no last-access time; a buffer that long is enough.
    #[test]
    fn a_short_buffer_says_what_the_header_needs_and_touches_nothing() {
        let cases: [(&[&str], &str); 4] = [
            (&["a=1"], "a=1"),
            (&["a=1", "flag", "b="], "a=1; flag; b="),
            (&["=x=y", "c=3; Path=/p"], "c=3; x=y"),
            (&["long=0123456789", "s=1"], "long=0123456789; s=1"),
        ];
        for (lines, want) in cases {
            let mut jar = jar(Spec::Rfc6265bis);
            for line in lines {
                set(&mut jar, "http://h.org/p", line, 1).unwrap();
            }
            let url = Url::parse("http://h.org/p").unwrap();
            for short in [0, 1, want.len() - 1] {
                let mut buf = std::vec![0u8; short];
                let got = jar.cookie_header(&url, 5, &mut buf);
                assert_eq!(got, Err(JarError::BufferTooSmall { needed: want.len() }), "{want}");
                assert!(buf.iter().all(|&b| b == 0), "{want}: nothing written");
                assert!(jar.iter().all(|c| c.last_access() == 1), "{want}");
            }
            let mut buf = std::vec![0u8; want.len()];
            assert_eq!(jar.cookie_header(&url, 5, &mut buf), Ok(want.as_bytes()));
            assert!(jar.iter().all(|c| c.last_access() == 5), "{want}");
        }
    }

    #[test]
    fn str_accessors_refuse_non_utf8() {
        let mut jar = jar(Spec::Rfc6265bis);
        let url = Url::parse("http://h.org/").unwrap();
        jar.store(&url, b"n=\xff", 0).unwrap();
        jar.store(&url, b"\xfe=v", 0).unwrap();
        let got: Vec<_> = jar.iter().map(|c| (c.name_str(), c.value_str())).collect();
        assert_eq!(got, [(Some("n"), None), (None, Some("v"))]);
    }

    #[test]
    fn outcomes_display_what_happened() {
        let cases = [
            (ADDED, "added"),
            (
                StoreOutcome { action: Action::Replaced, ..added(1, 0) },
                "replaced, evicted 1 expired",
            ),
            (added(0, 2), "added, evicted 2 least recently used"),
            (added(1, 2), "added, evicted 1 expired and 2 least recently used"),
            (StoreOutcome { action: Action::Expired, ..ADDED }, "expired on arrival"),
        ];
        for (stored, want) in cases {
            assert_eq!(std::format!("{stored}"), want);
        }
        assert_eq!(
            std::format!("{}", JarError::Prefix(PrefixError::PathNotRoot)),
            "__Host- name without Path=/"
        );
        assert_eq!(
            std::format!("{}", JarError::BufferTooSmall { needed: 12 }),
            "buffer too small: 12 bytes needed"
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 500, ..Default::default() })]

        /// Any sequence of stores and requests keeps the arena consistent: every
        /// cookie's strings are where its entry says, the bytes in use are exactly
        /// theirs, capacity is never exceeded, and every cookie sent matches the
        /// request.
        #[test]
        fn any_sequence_keeps_the_jar_consistent(
            steps in proptest::collection::vec(
                (0..4usize, "[a-c]{0,2}(=[x-z ]{0,12})?(; (Domain=(h.org|a.h.org|org|)|Path=/?[ab]{0,2}|Max-Age=-?[0-9]|Secure|SameSite=None)){0,3}", 0..30i64, proptest::bool::ANY),
                1..40,
            ),
            bis in proptest::bool::ANY,
        ) {
            const URLS: [&str; 4] = ["http://h.org/a/b", "https://a.h.org/", "http://a.h.org/b", "https://h.org/"];
            let rules = if bis { Spec::Rfc6265bis } else { Spec::Rfc6265 };
            let mut jar: Jar<&[&str], 4, 48> = Jar::new(rules, TEST_SUFFIXES);
            let mut now = 0;
            for (url, line, dt, ask) in steps {
                now += dt;
                let url = Url::parse(URLS[url]).unwrap();
                if ask {
                    let mut buf = [0u8; Jar::<&[&str], 4, 48>::HEADER_CAPACITY];
                    let header = jar.cookie_header(&url, now, &mut buf).unwrap().to_vec();
                    let mut matching: Vec<_> = jar
                        .iter()
                        .filter(|c| {
                            let domain_ok = if c.host_only() { c.domain() == url.host_str() } else { domain_match(url.host_str(), c.domain()) };
                            domain_ok && path_match(url.path().as_bytes(), c.path()) && (!c.secure() || url.is_secure())
                        })
                        .collect();
                    let pieces: Vec<&[u8]> = if header.is_empty() { Vec::new() } else { header.split(|&b| b == b';').map(|p| p.strip_prefix(b" ").unwrap_or(p)).collect() };
                    proptest::prop_assert_eq!(pieces.len(), matching.len());
                    let mut last_path = usize::MAX;
                    for piece in pieces {
                        // Cookies can be written alike (`a` nameless, and `a` with
                        // another path): each piece takes the unused one with the
                        // longest path, which keeps any valid order valid.
                        let c = matching
                            .iter()
                            .enumerate()
                            .filter(|(_, c)| {
                                let sent = if c.name().is_empty() { c.value().to_vec() } else { [c.name(), b"=", c.value()].concat() };
                                sent == piece
                            })
                            .max_by_key(|(_, c)| c.path().len())
                            .map(|(i, _)| i);
                        proptest::prop_assert!(c.is_some(), "{:?} not in the jar", piece);
                        let c = matching.swap_remove(c.unwrap());
                        proptest::prop_assert!(c.path().len() <= last_path, "longer paths first");
                        proptest::prop_assert!(c.expiry().is_none_or(|e| e > now) && c.last_access() == now);
                        last_path = c.path().len();
                    }
                } else {
                    let _ = jar.store(&url, &line, now);
                }
                let total: usize = jar.iter().map(|c| c.name().len() + c.value().len() + c.domain().len() + c.path().len()).sum();
                proptest::prop_assert_eq!(total, jar.bytes_used());
                proptest::prop_assert!(jar.len() <= 4 && jar.bytes_used() <= 48);
                for c in jar.iter() {
                    proptest::prop_assert!(c.path().starts_with(b"/"));
                    proptest::prop_assert!(c.domain().ends_with("h.org"));
                }
            }
        }
    }

    /// The hosts of [`a_site_over_its_share_evicts_only_its_own`]: two sites
    /// spread over several hosts each, sites under a listed suffix, an address.
    const SITE_HOSTS: [&str; 8] = [
        "a.evil.example",
        "b.evil.example",
        "c.d.evil.example",
        "bank.example",
        "www.bank.example",
        "shop.bank.co.uk",
        "x.evil.co.uk",
        "10.0.0.1",
    ];

    /// The site of a host or domain of [`SITE_HOSTS`], by its own rule: the
    /// address itself, else the last two labels, three under `co.uk`.
    fn model_site(domain: &str) -> String {
        let labels = if domain.ends_with(".co.uk") { 3 } else { 2 };
        let parts: Vec<&str> = domain.split('.').collect();
        if domain.bytes().all(|b| b.is_ascii_digit() || b == b'.') || parts.len() <= labels {
            return domain.into();
        }
        parts[parts.len() - labels..].join(".")
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 300, ..Default::default() })]

        /// The eviction guarantee, stated as the eviction rule allows it: a store
        /// after which its site (registrable domain) holds more than its share
        /// evicts none of another site's cookies, however that site spreads its
        /// cookies over hosts and `Domain` attributes. (A site within its share may
        /// make room from other sites: those over their share first, then the least
        /// recently used.)
        #[test]
        fn a_site_over_its_share_evicts_only_its_own(
            steps in proptest::collection::vec(
                (0..SITE_HOSTS.len(), "[a-f]", proptest::bool::ANY, proptest::bool::ANY, 0..3i64),
                1..60,
            ),
            share in 1..4usize,
        ) {
            let mut jar: Jar<_, 6, 512> =
                Jar::new(Spec::Rfc6265bis, TEST_SUFFIXES).with_domain_share(share);
            let mut now = 0;
            for (host, name, secure, domain, dt) in steps {
                now += dt;
                let host = SITE_HOSTS[host];
                let site = model_site(host);
                let scheme = if secure { "https" } else { "http" };
                let mut line = std::format!("{name}=1; Max-Age=50");
                if secure {
                    line.push_str("; Secure");
                }
                if domain {
                    line.push_str(&std::format!("; Domain={site}"));
                }
                let live = |jar: &Jar<_, 6, 512>| -> Vec<(Vec<u8>, String, String)> {
                    jar.iter()
                        .filter(|c| c.expiry().is_none_or(|at| at > now))
                        .map(|c| (c.name().to_vec(), String::from(c.domain()), model_site(c.domain())))
                        .collect()
                };
                let before = live(&jar);
                let Ok(stored) = set(&mut jar, &std::format!("{scheme}://{host}/"), &line, now) else {
                    continue;
                };
                let after = live(&jar);
                let held = after.iter().filter(|c| c.2 == site).count();
                if stored.evicted_lru > 0 && held > share {
                    for gone in before.iter().filter(|c| !after.contains(c)) {
                        proptest::prop_assert_eq!(&gone.2, &site, "{} over its share evicted {:?}", site, gone);
                    }
                }
            }
        }
    }

    #[test]
    fn entry_size_is_what_the_docs_say() {
        // 3 times (24) + offset (4) + 3 lengths (6) + domain length and site start
        // (2) + site count (2) + flags and SameSite (2).
        assert_eq!(ENTRY_BYTES, 40);
    }
}
