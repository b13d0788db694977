//! Sign-in and CSRF with a bounded memory of signed-out sessions. The session cookie is
//! a signed value (`embedded_cookie::signed`) holding the user, random bytes and its
//! expiry: the device keeps its keys, and, to end a copied session at sign-out, a
//! fixed-capacity list of signed-out sessions and a few cut-off times ([`Sessions`]). Any
//! number of people can be signed in, and a session survives a restart as long as the
//! key does and the clock goes on. The board gives the keys to
//! [`App::new`](crate::App::new): a device keeps 32 random bytes of its own (in flash,
//! so sessions survive a reboot, on a board whose real-time clock goes on through it),
//! or derives a new key at every boot, which signs everyone out (a board whose clock
//! restarts at boot must: a value signed before the reboot would verify again, its
//! expiry seconds away, after it). A key written in the source is known to everyone
//! who reads the source: with it, anyone can sign in as anyone.
//!
//! The CSRF token of a signed-in visitor is derived from the session (signed double
//! submit). Before sign-in it is a signed value of random bytes that the `csrftoken`
//! cookie and the form must both carry: a token the device did not sign (planted by
//! another port of the same host, a sibling subdomain, anyone on the plain-http path)
//! is refused and replaced, never written into a page. A token the device did sign can
//! still be planted by someone who fetched one (login CSRF, the limit of any double
//! submit before sign-in); sign-in then issues a token derived from the new session.
//! Every comparison of secrets is constant-time, through `subtle`.

use core::fmt::Write as _;

use embedded_cookie::enforce::Transport;
use embedded_cookie::signed::{self, CSRF_TOKEN_LEN};
pub use embedded_cookie::signed::{Key, Keys};
use subtle::ConstantTimeEq;

use crate::policy::{session, session_name};

/// Bytes of randomness the board gives at a time ([`Board::random`](crate::Board::random)).
pub const TOKEN_BYTES: usize = 16;

/// Random bytes in a session value and in a CSRF token made before sign-in: two
/// sign-ins in the same second get different sessions, and a sign-out ends one of them.
pub const NONCE_BYTES: usize = 8;

/// The demo account.
pub const USER: &str = "admin";
const PASSWORD: &str = "admin";

/// How long a session lasts: the `sessionid` cookie's `Max-Age`, and the expiry
/// signed into its value.
pub const SESSION_SECS: i64 = 3600;

/// How long a CSRF token made before sign-in is valid: the `csrftoken` cookie's
/// `Max-Age`, and the expiry signed into it.
pub const CSRF_SECS: i64 = 31_449_600;

/// Signed-out sessions the device remembers until they expire. One sign-out more
/// ends every session issued until then (see [`Sessions::sign_out`]).
pub const SIGNED_OUT: usize = 8;

/// The cookie name CSRF tokens made before sign-in are signed for. A session is signed
/// for the name of the session cookie it is sent in, one per transport
/// ([`policy::session_name`](crate::policy::session_name)): a value made for one
/// cookie is refused as any other, so a session sent over plain http never signs in
/// over HTTPS.
const CSRF_COOKIE: &str = "csrftoken";

const SESSION_PAYLOAD: usize = USER.len() + NONCE_BYTES;

/// Characters of the longest token: a session value of [`USER`].
pub const TOKEN_LEN: usize = signed::signed_len(SESSION_PAYLOAD);

/// A token: a session value, a CSRF token, or 128 random bits as 32 hex digits.
/// All are cookie-octets, so any cookie can hold them.
pub type Token = heapless::String<TOKEN_LEN>;

const _: () = assert!(
    CSRF_TOKEN_LEN <= TOKEN_LEN
        && 2 * TOKEN_BYTES <= TOKEN_LEN
        && signed::signed_len(NONCE_BYTES) <= TOKEN_LEN
        && NONCE_BYTES <= TOKEN_BYTES
);

/// A random token from `bytes`.
pub fn token(bytes: [u8; TOKEN_BYTES]) -> Token {
    let mut token = Token::new();
    for b in bytes {
        // 16 bytes, 32 digits: within the token's capacity, so this cannot fail.
        let _ = write!(token, "{b:02x}");
    }
    token
}

/// A session that was signed out before its expiry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Ended {
    nonce: [u8; NONCE_BYTES],
    expires: i64,
}

/// The keys that sign and verify sessions, and what the device remembers of the
/// sessions signed out before their expiry.
///
/// A sign-out puts the session in a list of [`SIGNED_OUT`] entries, each kept until
/// the session's own expiry, so a copy of the cookie (a stolen value, another tab)
/// no longer signs in. When the list is full, that sign-out ends instead every
/// session issued until that second, whoever holds it, and empties the list: every
/// session signed out is still ended, at the price of signing out the others (they
/// sign in again). A sign-in after it is dated after the cut-off, so it is never
/// ended by it.
///
/// A sign-out over one transport also ends the user's sessions over the other,
/// issued until that second: a browser that signed in over HTTPS and over plain http
/// holds two session cookies, and over plain http it never sends the HTTPS one, so
/// the device cannot tell which of the other transport's sessions are this browser's.
/// It keeps a cut-off per user and transport (one user here, [`USER`]: two cut-offs;
/// a device with several accounts keeps two per account), so signing out on one
/// transport ends both, at the price of signing the user out of the other transport
/// in every browser. The list and the cut-offs live in RAM: a device that keeps its key
/// across a reboot (and with it the sessions) must keep them too, or a reboot brings
/// the signed-out sessions back; the web firmware draws a new key at every boot.
#[derive(Debug)]
pub struct Sessions {
    keys: Keys<'static>,
    signed_out: heapless::Vec<Ended, SIGNED_OUT>,
    /// Sessions issued at or before this second are ended, on both transports.
    ended_until: i64,
    /// [`USER`]'s sessions over each transport ([`slot`]) issued at or before this
    /// second are ended: the last sign-out over the other transport.
    user_ended_until: [i64; 2],
}

/// A transport's place in [`Sessions::user_ended_until`].
const fn slot(transport: Transport) -> usize {
    match transport {
        Transport::Tls => 0,
        Transport::PlainHttp => 1,
    }
}

/// The transport a sign-out over `transport` also ends the user's sessions on.
const fn other(transport: Transport) -> Transport {
    match transport {
        Transport::Tls => Transport::PlainHttp,
        Transport::PlainHttp => Transport::Tls,
    }
}

impl Sessions {
    /// Sessions signed and verified with `keys` (the current key signs; a previous
    /// one still verifies the sessions it signed until they expire).
    pub const fn new(keys: Keys<'static>) -> Self {
        Self { keys, signed_out: heapless::Vec::new(), ended_until: 0, user_ended_until: [0; 2] }
    }

    /// The second until which sessions over `transport` are ended.
    fn cut_off(&self, transport: Transport) -> i64 {
        let user = self.user_ended_until.get(slot(transport)).copied().unwrap_or(0);
        self.ended_until.max(user)
    }

    /// Checks the credentials at `now` (seconds, the board's clock); on success the
    /// session value to send over `transport`, in its session cookie
    /// ([`session_name`]), signed for its name and `Max-Age` ([`session`]), holding `random`'s first [`NONCE_BYTES`].
    pub fn sign_in(
        &self,
        transport: Transport,
        user: &str,
        password: &str,
        now: i64,
        random: [u8; TOKEN_BYTES],
    ) -> Option<Token> {
        let known =
            user.as_bytes().ct_eq(USER.as_bytes()) & password.as_bytes().ct_eq(PASSWORD.as_bytes());
        if !bool::from(known) {
            return None;
        }
        let mut payload = [0u8; SESSION_PAYLOAD];
        let (name, nonce) = payload.split_at_mut(USER.len());
        name.copy_from_slice(USER.as_bytes());
        nonce.copy_from_slice(random.get(..NONCE_BYTES)?);
        // Dated after the cut-offs (a full list, a sign-out over the other transport),
        // even within their second.
        let issued = now.max(self.cut_off(transport).saturating_add(1));
        let mut value = [0u8; TOKEN_LEN];
        let cookie =
            self.keys.sign_cookie(session(transport), &payload, issued, &mut value).ok()?;
        Token::try_from(cookie.value_str()?).ok()
    }

    /// Whether `sent`, the request's session cookie over `transport`, is a session this
    /// device signed for that transport's cookie that has neither expired at `now` nor
    /// been signed out.
    pub fn is_signed_in(&self, transport: Transport, sent: Option<&[u8]>, now: i64) -> bool {
        sent.and_then(|sent| self.session(transport, sent, now)).is_some()
    }

    /// Ends the session `sent` over `transport`, and the user's sessions over the other
    /// transport issued until `now` (see [`Sessions`]); `false` (and nothing ended) if
    /// it was not a live one.
    pub fn sign_out(&mut self, transport: Transport, sent: Option<&[u8]>, now: i64) -> bool {
        let Some(ended) = sent.and_then(|sent| self.session(transport, sent, now)) else {
            return false;
        };
        self.signed_out.retain(|entry| entry.expires > now);
        if self.signed_out.push(ended).is_err() {
            self.ended_until = now;
            self.signed_out.clear();
        }
        if let Some(other) = self.user_ended_until.get_mut(slot(other(transport))) {
            *other = now;
        }
        true
    }

    /// The live session `sent` over `transport`, if it is one.
    fn session(&self, transport: Transport, sent: &[u8], now: i64) -> Option<Ended> {
        let mut buf = [0u8; TOKEN_LEN];
        let verified = self.keys.verify(session_name(transport), sent, now, &mut buf).ok()?;
        let (user, nonce) = verified.payload.split_at_checked(USER.len())?;
        let nonce: [u8; NONCE_BYTES] = nonce.try_into().ok()?;
        let ended = Ended { nonce, expires: verified.expires };
        let issued = verified.expires.saturating_sub(SESSION_SECS);
        let live = user == USER.as_bytes()
            && issued > self.cut_off(transport)
            && !self.signed_out.contains(&ended);
        live.then_some(ended)
    }

    /// The CSRF token of a signed-in visitor: derived from the session value.
    pub fn csrf_token(&self, session: &[u8]) -> Token {
        let mut out = [0u8; CSRF_TOKEN_LEN];
        let token = self.keys.csrf_token(session, &mut out).unwrap_or_default();
        Token::try_from(token).unwrap_or_default()
    }

    /// A CSRF token for a visitor who is not signed in: `random`'s first
    /// [`NONCE_BYTES`], signed for the `csrftoken` cookie, valid for [`CSRF_SECS`].
    pub fn anonymous_token(&self, now: i64, random: [u8; TOKEN_BYTES]) -> Token {
        let mut out = [0u8; TOKEN_LEN];
        let expires = now.saturating_add(CSRF_SECS);
        let nonce = random.get(..NONCE_BYTES).unwrap_or_default();
        let token = self.keys.sign(CSRF_COOKIE, nonce, expires, &mut out).unwrap_or_default();
        Token::try_from(token).unwrap_or_default()
    }

    /// Whether `token` is a CSRF token this device made with
    /// [`anonymous_token`](Self::anonymous_token) that has not expired at `now`.
    pub fn is_anonymous_token(&self, token: &[u8], now: i64) -> bool {
        let mut buf = [0u8; TOKEN_LEN];
        let verified = self.keys.verify(CSRF_COOKIE, token, now, &mut buf);
        verified.is_ok_and(|v| v.payload.len() == NONCE_BYTES)
    }

    /// The POST is the page's own. Signed in (a valid `session`, sent in the session
    /// cookie of `transport`, at `now`): the token
    /// sent in the `X-CSRFToken` header or the form's `csrfmiddlewaretoken` field is
    /// the one derived from the session. Otherwise: the `csrftoken` cookie is a token
    /// this device made and came back in the header or the field, which another site
    /// cannot read. The header wins when both are sent.
    pub fn csrf_ok(
        &self,
        transport: Transport,
        session: Option<&[u8]>,
        cookie: Option<&[u8]>,
        header: Option<&str>,
        field: Option<&str>,
        now: i64,
    ) -> bool {
        let Some(sent) = header.or(field).map(str::as_bytes) else {
            return false;
        };
        match session {
            Some(session) if self.is_signed_in(transport, Some(session), now) => {
                self.keys.check_csrf_token(session, sent)
            }
            _ => cookie.is_some_and(|cookie| {
                self.is_anonymous_token(cookie, now) && bool::from(cookie.ct_eq(sent))
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::vec::Vec;

    use embedded_cookie::enforce::Transport;

    use super::*;

    const NOW: i64 = 1_700_000_000;
    /// The transport the tests sign in over, unless they name the other.
    const HTTP: Transport = Transport::PlainHttp;
    const TLS: Transport = Transport::Tls;
    const KEYS: Keys<'static> =
        Keys::new(Key::new(1, b"device-app test key: not for devices"), &[]);

    /// Distinct random bytes for the `i`th draw.
    fn random(i: u8) -> [u8; TOKEN_BYTES] {
        [i; TOKEN_BYTES]
    }

    fn admin(sessions: &Sessions, now: i64, i: u8) -> Token {
        sessions.sign_in(HTTP, "admin", "admin", now, random(i)).unwrap()
    }

    #[test]
    fn sessions_are_signed_values_that_expire() {
        let sessions = Sessions::new(KEYS);
        assert_eq!(sessions.sign_in(HTTP, "admin", "guess", NOW, random(0)), None);
        assert_eq!(sessions.sign_in(HTTP, "root", "admin", NOW, random(0)), None);
        let id = admin(&sessions, NOW, 0);
        let end = NOW + SESSION_SECS;
        let mut changed = id.clone().into_bytes();
        changed[10] = if changed[10] == b'A' { b'B' } else { b'A' };
        let mut csrf = [0u8; TOKEN_LEN];
        let as_csrf = KEYS.sign(CSRF_COOKIE, b"admin\0\0\0\0\0\0\0\0", NOW + 60, &mut csrf);
        let cases: [(&str, Option<&[u8]>, i64, bool); 6] = [
            ("fresh", Some(id.as_bytes()), NOW, true),
            ("after a restart, the clock going on", Some(id.as_bytes()), end - 1, true),
            ("expired", Some(id.as_bytes()), end, false),
            ("changed", Some(&changed), NOW, false),
            ("signed for the csrftoken cookie", Some(as_csrf.unwrap().as_bytes()), NOW, false),
            ("none", None, NOW, false),
        ];
        for (what, sent, now, want) in cases {
            assert_eq!(Sessions::new(KEYS).is_signed_in(HTTP, sent, now), want, "{what}");
        }
    }

    #[test]
    fn two_sign_ins_in_the_same_second_differ() {
        let sessions = Sessions::new(KEYS);
        assert_ne!(admin(&sessions, NOW, 1), admin(&sessions, NOW, 2));
    }

    #[test]
    fn a_session_signs_in_only_in_the_cookie_it_was_made_for() {
        let sessions = Sessions::new(KEYS);
        let plain = admin(&sessions, NOW, 1);
        assert!(sessions.is_signed_in(HTTP, Some(plain.as_bytes()), NOW));
        assert!(!sessions.is_signed_in(TLS, Some(plain.as_bytes()), NOW), "http's over https");
        let secure = sessions.sign_in(TLS, "admin", "admin", NOW, random(2)).unwrap();
        assert!(sessions.is_signed_in(TLS, Some(secure.as_bytes()), NOW));
        assert!(!sessions.is_signed_in(HTTP, Some(secure.as_bytes()), NOW), "https's over http");
    }

    #[test]
    fn sign_out_ends_that_session_and_only_it_on_its_transport() {
        let mut sessions = Sessions::new(KEYS);
        let (a, b) = (admin(&sessions, NOW, 1), admin(&sessions, NOW, 2));
        assert!(sessions.sign_out(HTTP, Some(a.as_bytes()), NOW + 5));
        assert!(!sessions.is_signed_in(HTTP, Some(a.as_bytes()), NOW + 5), "the signed-out copy");
        assert!(sessions.is_signed_in(HTTP, Some(b.as_bytes()), NOW + 5), "another session");
        assert!(!sessions.sign_out(HTTP, Some(a.as_bytes()), NOW + 6), "already ended");
        assert!(!sessions.sign_out(HTTP, Some(b"forged"), NOW + 6));
        assert!(!sessions.sign_out(HTTP, None, NOW + 6));
        assert_eq!(sessions.signed_out.len(), 1);
    }

    #[test]
    fn a_sign_out_on_one_transport_ends_the_users_sessions_on_both() {
        // (signed out over, the other transport)
        for (over, other) in [(HTTP, TLS), (TLS, HTTP)] {
            let mut sessions = Sessions::new(KEYS);
            let sign_in = |sessions: &Sessions, transport, i| {
                sessions.sign_in(transport, "admin", "admin", NOW, random(i)).unwrap()
            };
            let (mine, same) = (sign_in(&sessions, over, 1), sign_in(&sessions, over, 2));
            let (across, across_too) = (sign_in(&sessions, other, 3), sign_in(&sessions, other, 4));
            assert!(
                !sessions.sign_out(over, Some(across.as_bytes()), NOW),
                "{over:?}: not its cookie"
            );
            assert!(
                sessions.is_signed_in(other, Some(across.as_bytes()), NOW),
                "{over:?}: nothing ended"
            );
            assert!(sessions.sign_out(over, Some(mine.as_bytes()), NOW));
            let live = |sessions: &Sessions, transport, id: &Token| {
                sessions.is_signed_in(transport, Some(id.as_bytes()), NOW)
            };
            assert!(!live(&sessions, over, &mine), "{over:?}: the session signed out");
            assert!(live(&sessions, over, &same), "{over:?}: another session on its transport");
            assert!(!live(&sessions, other, &across), "{over:?}: the other transport's");
            assert!(!live(&sessions, other, &across_too), "{over:?}: every one of them");
            // A sign-in after it, in the same second, is dated after the cut-off.
            let again = sign_in(&sessions, other, 5);
            assert!(live(&sessions, other, &again), "{over:?}: signed in again");
        }
    }

    #[test]
    fn a_full_list_ends_every_session_issued_until_then() {
        let mut sessions = Sessions::new(KEYS);
        let ids: Vec<Token> =
            (0..=SIGNED_OUT as u8 + 1).map(|i| admin(&sessions, NOW, i)).collect();
        let (listed, rest) = ids.split_at(SIGNED_OUT);
        for id in listed {
            assert!(sessions.sign_out(HTTP, Some(id.as_bytes()), NOW));
        }
        assert_eq!(sessions.ended_until, 0, "the list held them");
        assert!(rest.iter().all(|id| sessions.is_signed_in(HTTP, Some(id.as_bytes()), NOW)));
        // One more: the list is full, so every session issued until now ends.
        assert!(sessions.sign_out(HTTP, Some(rest[0].as_bytes()), NOW));
        for (i, id) in ids.iter().enumerate() {
            assert!(!sessions.is_signed_in(HTTP, Some(id.as_bytes()), NOW), "session {i}");
        }
        assert!(sessions.signed_out.is_empty());
        // A sign-in in the same second is dated after the cut-off, so it lives.
        let after = admin(&sessions, NOW, 99);
        assert!(sessions.is_signed_in(HTTP, Some(after.as_bytes()), NOW));
    }

    #[test]
    fn expired_entries_make_room() {
        let mut sessions = Sessions::new(KEYS);
        for i in 0..SIGNED_OUT as u8 {
            let id = admin(&sessions, NOW, i);
            assert!(sessions.sign_out(HTTP, Some(id.as_bytes()), NOW));
        }
        // An hour later the listed sessions have expired: the next sign-out fits.
        let later = NOW + SESSION_SECS;
        let (id, other) = (admin(&sessions, later, 50), admin(&sessions, later, 51));
        assert!(sessions.sign_out(HTTP, Some(id.as_bytes()), later));
        assert_eq!((sessions.signed_out.len(), sessions.ended_until), (1, 0));
        assert!(sessions.is_signed_in(HTTP, Some(other.as_bytes()), later));
    }

    #[test]
    fn csrf_is_derived_from_the_session_or_double_submitted() {
        let sessions = Sessions::new(KEYS);
        let id = admin(&sessions, NOW, 1);
        let other = admin(&sessions, NOW, 2);
        let derived = sessions.csrf_token(id.as_bytes());
        let (session, derived) = (Some(id.as_bytes()), Some(derived.as_str()));
        let mine = sessions.anonymous_token(NOW, random(3));
        let (mine_cookie, mine) = (Some(mine.as_bytes()), Some(mine.as_str()));
        let prefix = mine.map(|t| &t[..20]);
        // (what, session, csrftoken cookie, X-CSRFToken, form field, passes)
        type Case<'a> =
            (&'a str, Option<&'a [u8]>, Option<&'a [u8]>, Option<&'a str>, Option<&'a str>, bool);
        let cases: [Case; 13] = [
            ("derived, in the header", session, None, derived, None, true),
            ("derived, in the form", session, None, None, derived, true),
            ("another session's", Some(other.as_bytes()), None, derived, None, false),
            ("cookie echoed, signed in", session, mine_cookie, mine, None, false),
            ("header wins", session, None, Some("bad"), derived, false),
            ("nothing sent", session, derived.map(str::as_bytes), None, None, false),
            ("device's cookie echoed, anonymous", None, mine_cookie, mine, None, true),
            ("device's cookie echoed in the form", None, mine_cookie, None, mine, true),
            ("a cookie the device did not make", None, Some(b"t0k"), Some("t0k"), None, false),
            ("a prefix", None, mine_cookie, prefix, None, false),
            ("no cookie", None, None, mine, mine, false),
            ("empty cookie", None, Some(b""), Some(""), None, false),
            ("a session value as the token", None, session, Some(id.as_str()), None, false),
        ];
        for (what, session, cookie, header, field, want) in cases {
            assert_eq!(sessions.csrf_ok(HTTP, session, cookie, header, field, NOW), want, "{what}");
        }
        let expired = NOW + CSRF_SECS;
        assert!(!sessions.csrf_ok(HTTP, None, mine_cookie, mine, None, expired), "expired");
    }

    #[test]
    fn random_tokens_are_hex() {
        assert_eq!(token([0xab; TOKEN_BYTES]).as_str(), "ab".repeat(TOKEN_BYTES));
    }
}
