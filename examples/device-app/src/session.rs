//! Sign-in and CSRF without a session table. The session cookie is a signed value
//! (`embedded_cookie::signed`) holding the user and its expiry: the device keeps only
//! its keys, any number of people can be signed in, and a session survives a restart
//! as long as the key does and the clock goes on. The board gives the keys to
//! [`App::new`](crate::App::new): a device keeps 32 random bytes of its own (in flash,
//! so sessions survive a reboot, on a board whose real-time clock goes on through it),
//! or derives a new key at every boot, which signs everyone out (a board whose clock
//! restarts at boot must: a value signed before the reboot would verify again, its
//! expiry seconds away, after it). A key written in the source is known to everyone
//! who reads the source: with it, anyone can sign in as anyone. The CSRF token of a signed-in visitor is
//! derived from the session (signed double submit); before sign-in it is a random
//! token that the `csrftoken` cookie and the form must both carry. Every comparison
//! of secrets is constant-time, through `subtle`.

use core::fmt::Write as _;

use embedded_cookie::signed::{self, CSRF_TOKEN_LEN};
pub use embedded_cookie::signed::{Key, Keys};
use subtle::ConstantTimeEq;

/// Bytes of randomness in a random token.
pub const TOKEN_BYTES: usize = 16;

/// The demo account.
pub const USER: &str = "admin";
const PASSWORD: &str = "admin";

/// How long a session lasts: the `sessionid` cookie's `Max-Age`, and the expiry
/// signed into its value.
pub const SESSION_SECS: i64 = 3600;

/// Characters of the longest token: a session value of [`USER`].
pub const TOKEN_LEN: usize = signed::signed_len(USER.len());

/// A token: a session value, a CSRF token, or 128 random bits as 32 hex digits.
/// All are cookie-octets, so any cookie can hold them, and a form field needs no
/// escaping.
pub type Token = heapless::String<TOKEN_LEN>;

const _: () = assert!(CSRF_TOKEN_LEN <= TOKEN_LEN && 2 * TOKEN_BYTES <= TOKEN_LEN);

/// A random token from `bytes`.
pub fn token(bytes: [u8; TOKEN_BYTES]) -> Token {
    let mut token = Token::new();
    for b in bytes {
        // 16 bytes, 32 digits: within the token's capacity, so this cannot fail.
        let _ = write!(token, "{b:02x}");
    }
    token
}

/// The keys that sign and verify sessions. Nothing else: the sessions themselves
/// are in the visitors' cookies.
#[derive(Debug)]
pub struct Sessions {
    keys: Keys<'static>,
}

impl Sessions {
    /// Sessions signed and verified with `keys` (the current key signs; a previous
    /// one still verifies the sessions it signed until they expire).
    pub const fn new(keys: Keys<'static>) -> Self {
        Self { keys }
    }

    /// Checks the credentials at `now` (seconds, the board's clock); on success the
    /// session value to send in `sessionid`.
    pub fn sign_in(&self, user: &str, password: &str, now: i64) -> Option<Token> {
        let known =
            user.as_bytes().ct_eq(USER.as_bytes()) & password.as_bytes().ct_eq(PASSWORD.as_bytes());
        if !bool::from(known) {
            return None;
        }
        let mut value = [0u8; TOKEN_LEN];
        let expires = clock(now).saturating_add(SESSION_SECS.unsigned_abs());
        let value = self.keys.sign("sessionid", user.as_bytes(), expires, &mut value).ok()?;
        Token::try_from(value).ok()
    }

    /// Whether `sent`, the request's `sessionid` cookie, is a session this device
    /// signed that has not expired at `now`.
    pub fn is_signed_in(&self, sent: Option<&[u8]>, now: i64) -> bool {
        let mut buf = [0u8; TOKEN_LEN];
        sent.is_some_and(|sent| self.keys.verify("sessionid", sent, clock(now), &mut buf).is_ok())
    }

    /// The CSRF token of a signed-in visitor: derived from the session value.
    pub fn csrf_token(&self, session: &[u8]) -> Token {
        let mut out = [0u8; CSRF_TOKEN_LEN];
        let token = self.keys.csrf_token(session, &mut out).unwrap_or_default();
        Token::try_from(token).unwrap_or_default()
    }

    /// The POST is the page's own. Signed in (a valid `session` at `now`): the token
    /// sent in the `X-CSRFToken` header or the form's `csrfmiddlewaretoken` field is
    /// the one derived from the session. Otherwise: the `csrftoken` cookie came back
    /// in the header or the field, which another site cannot read. The header wins
    /// when both are sent.
    pub fn csrf_ok(
        &self,
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
            Some(session) if self.is_signed_in(Some(session), now) => {
                self.keys.check_csrf_token(session, sent)
            }
            _ => cookie.is_some_and(|cookie| !cookie.is_empty() && bool::from(cookie.ct_eq(sent))),
        }
    }
}

/// The board's clock as the signed values count it; a clock before 1970 reads as 0.
fn clock(now: i64) -> u64 {
    u64::try_from(now).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_700_000_000;
    const KEYS: Keys<'static> =
        Keys::new(Key::new(1, b"device-app test key: not for devices"), &[]);

    #[test]
    fn sessions_are_signed_values_that_expire() {
        let sessions = Sessions::new(KEYS);
        assert_eq!(sessions.sign_in("admin", "guess", NOW), None);
        assert_eq!(sessions.sign_in("root", "admin", NOW), None);
        let id = sessions.sign_in("admin", "admin", NOW).unwrap();
        let end = NOW + SESSION_SECS;
        let mut changed = id.clone().into_bytes();
        changed[10] = if changed[10] == b'A' { b'B' } else { b'A' };
        let cases: [(&str, Option<&[u8]>, i64, bool); 5] = [
            ("fresh", Some(id.as_bytes()), NOW, true),
            ("after a restart, the clock going on", Some(id.as_bytes()), end - 1, true),
            ("expired", Some(id.as_bytes()), end, false),
            ("changed", Some(&changed), NOW, false),
            ("none", None, NOW, false),
        ];
        for (what, sent, now, want) in cases {
            assert_eq!(Sessions::new(KEYS).is_signed_in(sent, now), want, "{what}");
        }
    }

    #[test]
    fn csrf_is_derived_from_the_session_or_double_submitted() {
        let sessions = Sessions::new(KEYS);
        let id = sessions.sign_in("admin", "admin", NOW).unwrap();
        let other = sessions.sign_in("admin", "admin", NOW + 1).unwrap();
        let derived = sessions.csrf_token(id.as_bytes());
        let (session, derived) = (Some(id.as_bytes()), Some(derived.as_str()));
        // (what, session, csrftoken cookie, X-CSRFToken, form field, passes)
        type Case<'a> =
            (&'a str, Option<&'a [u8]>, Option<&'a [u8]>, Option<&'a str>, Option<&'a str>, bool);
        let cases: [Case; 11] = [
            ("derived, in the header", session, None, derived, None, true),
            ("derived, in the form", session, None, None, derived, true),
            ("another session's", Some(other.as_bytes()), None, derived, None, false),
            ("cookie echoed, signed in", session, Some(b"t0k"), Some("t0k"), None, false),
            ("header wins", session, None, Some("bad"), derived, false),
            ("nothing sent", session, derived.map(str::as_bytes), None, None, false),
            ("cookie echoed, anonymous", None, Some(b"t0k"), Some("t0k"), None, true),
            ("cookie echoed in the form", None, Some(b"t0k"), None, Some("t0k"), true),
            ("a prefix", None, Some(b"t0k"), Some("t0"), None, false),
            ("no cookie", None, None, Some("t0k"), Some("t0k"), false),
            ("empty cookie", None, Some(b""), Some(""), None, false),
        ];
        for (what, session, cookie, header, field, want) in cases {
            assert_eq!(sessions.csrf_ok(session, cookie, header, field, NOW), want, "{what}");
        }
    }

    #[test]
    fn random_tokens_are_hex() {
        assert_eq!(token([0xab; TOKEN_BYTES]).as_str(), "ab".repeat(TOKEN_BYTES));
    }
}
