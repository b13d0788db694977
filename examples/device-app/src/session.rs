//! Sign-in and CSRF: random tokens the device keeps and compares. Everything about
//! how a session is proven lives here, so another scheme (signed cookies) replaces
//! this module alone.

use core::fmt::Write as _;

/// Bytes of randomness in a token.
pub const TOKEN_BYTES: usize = 16;
/// Characters of a token: two hex digits a byte.
pub const TOKEN_LEN: usize = 2 * TOKEN_BYTES;

/// A session id or CSRF token: 128 random bits as 32 hex digits (cookie-octets, so
/// any cookie can hold them, and a form field needs no escaping).
pub type Token = heapless::String<TOKEN_LEN>;

/// The demo account.
pub const USER: &str = "admin";
const PASSWORD: &str = "admin";

/// A token from `bytes`.
pub fn token(bytes: [u8; TOKEN_BYTES]) -> Token {
    let mut token = Token::new();
    for b in bytes {
        // 16 bytes, 32 digits: the token's capacity, so this cannot fail.
        let _ = write!(token, "{b:02x}");
    }
    token
}

/// The one signed-in session the device keeps.
#[derive(Debug, Default)]
pub struct Sessions {
    current: Option<Token>,
}

impl Sessions {
    /// No one signed in.
    pub const fn new() -> Self {
        Self { current: None }
    }

    /// Whether anyone is signed in (what the LED shows).
    pub const fn active(&self) -> bool {
        self.current.is_some()
    }

    /// Whether `sent`, the request's `sessionid` cookie, is the session's id.
    pub fn is_signed_in(&self, sent: Option<&[u8]>) -> bool {
        matches!((&self.current, sent), (Some(ours), Some(sent)) if same_secret(ours.as_bytes(), sent))
    }

    /// Checks the credentials; on success the session becomes `id`, replacing any
    /// other.
    pub fn sign_in(&mut self, user: &str, password: &str, id: &Token) -> bool {
        let known = same_secret(user.as_bytes(), USER.as_bytes())
            & same_secret(password.as_bytes(), PASSWORD.as_bytes());
        if known {
            self.current = Some(id.clone());
        }
        known
    }

    /// Ends the session.
    pub fn sign_out(&mut self) {
        self.current = None;
    }
}

/// The POST is the page's own: the `csrftoken` cookie came back in the
/// `X-CSRFToken` header or in the form's `csrfmiddlewaretoken` field, which another
/// site cannot read. The header wins when both are sent.
pub fn csrf_ok(cookie: Option<&[u8]>, header: Option<&str>, field: Option<&str>) -> bool {
    let Some(cookie) = cookie else {
        return false;
    };
    let sent = header.or(field);
    !cookie.is_empty() && sent.is_some_and(|sent| same_secret(cookie, sent.as_bytes()))
}

/// Compares two secrets in time that depends on their lengths only: every byte is
/// looked at, with no early exit, so timing does not tell how much of a guess was right.
pub fn same_secret(a: &[u8], b: &[u8]) -> bool {
    let mut diff = u8::from(a.len() != b.len());
    for (x, y) in a.iter().zip(b) {
        diff |= x ^ y;
    }
    diff == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_secret_compares_whole_secrets() {
        let cases: [(&[u8], &[u8], bool); 5] = [
            (b"abc", b"abc", true),
            (b"abc", b"abd", false),
            (b"abc", b"ab", false),
            (b"", b"", true),
            (b"", b"a", false),
        ];
        for (a, b, want) in cases {
            assert_eq!(same_secret(a, b), want, "{a:?} {b:?}");
        }
    }

    #[test]
    fn csrf_needs_the_cookie_and_the_same_token_back() {
        // (cookie, X-CSRFToken, form field, passes)
        let cases = [
            (Some("t0k"), Some("t0k"), None, true),
            (Some("t0k"), None, Some("t0k"), true),
            (Some("t0k"), Some("bad"), Some("t0k"), false),
            (Some("t0k"), None, None, false),
            (Some("t0k"), Some("t0"), None, false),
            (None, Some("t0k"), Some("t0k"), false),
            (Some(""), Some(""), None, false),
        ];
        for (cookie, header, field, want) in cases {
            let passes = csrf_ok(cookie.map(str::as_bytes), header, field);
            assert_eq!(passes, want, "{cookie:?} {header:?} {field:?}");
        }
    }

    #[test]
    fn tokens_are_hex_and_sessions_compare_them() {
        let id = token([0xab; TOKEN_BYTES]);
        assert_eq!(id.as_str(), "ab".repeat(TOKEN_BYTES));
        let mut sessions = Sessions::new();
        assert!(!sessions.sign_in("admin", "guess", &id));
        assert!(!sessions.active());
        assert!(sessions.sign_in("admin", "admin", &id));
        assert!(sessions.is_signed_in(Some(id.as_bytes())));
        assert!(!sessions.is_signed_in(Some(&id.as_bytes()[1..])));
        assert!(!sessions.is_signed_in(None));
        sessions.sign_out();
        assert!(!sessions.is_signed_in(Some(id.as_bytes())));
    }
}
