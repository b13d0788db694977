//! Signed and private cookie values: stateless sessions in fixed buffers.
//!
//! A device that keeps a session table spends RAM, forgets every session on a reboot
//! and caps how many people can sign in. A signed value keeps the session in the
//! cookie instead: the payload (a user id, a role), an expiry from the caller's clock
//! and the id of the key, authenticated with HMAC-SHA256 over the cookie's name as
//! well, so a value made for one cookie is refused as another. A private value is
//! the same encrypted with XChaCha20-Poly1305 (feature `private`), so the browser
//! cannot read what it holds. The server keeps only its keys, and a session survives
//! a restart as long as the key does.
//!
//! ```
//! use embedded_cookie::signed::{Key, Keys, VerifyError};
//!
//! // A development key: a device keeps 32 random bytes of its own in flash.
//! const KEY: Key<'static> = Key::new(1, b"development key: not for devices");
//! let keys = Keys::new(KEY, &[]);
//! let now = 1_700_000_000; // seconds since the epoch, from the device's clock
//!
//! let mut value = [0u8; 96];
//! let value = keys.sign("sid", b"user=7", now + 3600, &mut value)?;
//!
//! let mut buf = [0u8; 64];
//! let session = keys.verify("sid", value.as_bytes(), now, &mut buf)?;
//! assert_eq!((session.payload, session.old_key), (&b"user=7"[..], false));
//!
//! assert_eq!(keys.verify("other", value.as_bytes(), now, &mut buf), Err(VerifyError::BadMac));
//! assert_eq!(keys.verify("sid", value.as_bytes(), now + 3600, &mut buf), Err(VerifyError::Expired));
//! # Ok::<(), Box<dyn core::error::Error>>(())
//! ```
//!
//! # Format
//!
//! A value is URL-safe base64 without padding (RFC 4648 §5: `A-Z a-z 0-9 - _`, every
//! byte a `cookie-octet`) of:
//!
//! | value | bytes |
//! | --- | --- |
//! | signed | key id (1), expiry (8, big-endian two's complement seconds since the epoch), payload, HMAC-SHA256 (32) |
//! | private | key id (1), nonce (24), encrypted expiry (8) and payload, Poly1305 tag (16) |
//!
//! A signed value is [`SIGNED_OVERHEAD`] (41) bytes longer than its payload before
//! base64, a private one [`PRIVATE_OVERHEAD`] (49); [`signed_len`] and
//! [`private_len`] give the length of the cookie value.
//!
//! - Signed: the MAC is `HMAC-SHA256(secret, "embedded-cookie signed v1\0" ||
//!   len(name) as u64 big-endian || name || key id || expiry || payload)`.
//! - Private: XChaCha20-Poly1305 with a key of `HMAC-SHA256(secret,
//!   "embedded-cookie private key v1\0")`, a random 24-byte nonce and the cookie name
//!   as associated data. Random nonces of 24 bytes do not repeat in practice, however
//!   many values a key seals.
//! - CSRF tokens: `base64(HMAC-SHA256(secret, "embedded-cookie csrf v1\0" || session))`.
//!
//! The labels keep the three uses of one secret apart; a message of your own passed
//! to [`Key::mac`] must not start with one of them.
//!
//! # What verify checks, in order
//!
//! The length (a value that decodes to more than the caller's buffer is
//! [`VerifyError::TooLong`]), the base64 (constant time, canonical only:
//! [`VerifyError::BadEncoding`]), the key id ([`VerifyError::UnknownKey`]), the MAC
//! or tag (compared in constant time: [`VerifyError::BadMac`]), and only then the
//! expiry ([`VerifyError::Expired`]): nothing of a forged value is read. A value is
//! valid while `now < expiry`.
//!
//! # Time
//!
//! Expiry and `now` are the crate's one clock type: seconds since the Unix epoch as
//! an `i64` (see [the crate docs](crate#time)). An expiry before 1970 (negative) is
//! expired whatever `now` says: it comes from a clock that was never set, and a value
//! made by such a clock must not verify once the clock is set, nor while it is not.
//!
//! # Signing a cookie to send
//!
//! [`Keys::sign_cookie`] takes the [`SetCookieBuilder`] of the cookie to set and
//! signs the payload for its name, valid for as long as its `Max-Age` (or until its
//! `Expires`) from `now`: the lifetime is written once, in the cookie.
//!
//! # Keys and rotation
//!
//! [`Keys`] holds the current key, which signs, and a short list of previous keys,
//! which still verify. A value signed with a previous key verifies with
//! [`Verified::old_key`] set: sign it again with the current key and send it, and
//! every session moves to the new key as it is used, without anyone signing out.
//! Remove a previous key once the longest lifetime you sign has passed. The secret
//! is borrowed: keep it in flash, 32 random bytes or more.
//!
//! # What it does not protect against
//!
//! - A stolen value that has not expired is valid until it expires, from anywhere:
//!   there is no session table to revoke it from. Keep lifetimes short (minutes to
//!   hours, re-issued while the user is active), send the cookie with `Secure`,
//!   `HttpOnly` and `SameSite`, and rotate the key to sign everyone out.
//! - Replay: the same value can be sent again until it expires, and a user can send
//!   back an older value of their own that has not expired.
//! - A signed payload is readable by anyone who has the cookie; use a private value
//!   to hide it. Neither hides the payload's length.
//! - A clock that is wrong or can be set back makes expired values valid again.
//! - A leaked key lets anyone make valid values: the key is the whole security.

use core::fmt;

use base64ct::{Base64UrlUnpadded, Encoding};
use hmac::digest::KeyInit;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::SetCookieBuilder;

#[cfg(feature = "private")]
use chacha20poly1305::{AeadInPlace, Tag, XChaCha20Poly1305, XNonce};

type HmacSha256 = Hmac<Sha256>;

/// Bytes of an HMAC-SHA256.
pub const MAC_LEN: usize = 32;
const EXPIRY_LEN: usize = 8;
/// Bytes a signed value adds to its payload before base64: key id, expiry and MAC.
pub const SIGNED_OVERHEAD: usize = 1 + EXPIRY_LEN + MAC_LEN;
/// Bytes of a nonce of a private value.
#[cfg(feature = "private")]
pub const NONCE_LEN: usize = 24;
#[cfg(feature = "private")]
const TAG_LEN: usize = 16;
/// Bytes a private value adds to its payload before base64: key id, nonce, expiry
/// and tag.
#[cfg(feature = "private")]
pub const PRIVATE_OVERHEAD: usize = 1 + NONCE_LEN + EXPIRY_LEN + TAG_LEN;
/// Length of a CSRF token from [`Keys::csrf_token`]: a MAC in base64.
pub const CSRF_TOKEN_LEN: usize = base64_len(MAC_LEN);

const SIGNED_LABEL: &[u8] = b"embedded-cookie signed v1\0";
#[cfg(feature = "private")]
const PRIVATE_KEY_LABEL: &[u8] = b"embedded-cookie private key v1\0";
const CSRF_LABEL: &[u8] = b"embedded-cookie csrf v1\0";
/// The HMAC-SHA256 block: a key up to this long is used as it is, zero-padded.
const BLOCK_LEN: usize = 64;

/// Length of the cookie value [`Keys::sign`] makes of a payload of `payload_len` bytes.
///
/// ```
/// assert_eq!(embedded_cookie::signed::signed_len(6), 63);
/// ```
pub const fn signed_len(payload_len: usize) -> usize {
    base64_len(payload_len.saturating_add(SIGNED_OVERHEAD))
}

/// Length of the cookie value [`Keys::seal`] makes of a payload of `payload_len` bytes.
///
/// ```
/// assert_eq!(embedded_cookie::signed::private_len(6), 74);
/// ```
#[cfg(feature = "private")]
pub const fn private_len(payload_len: usize) -> usize {
    base64_len(payload_len.saturating_add(PRIVATE_OVERHEAD))
}

/// Unpadded base64 of `n` bytes: four characters for every three bytes, and two or
/// three for the last one or two.
const fn base64_len(n: usize) -> usize {
    n / 3 * 4 + (n % 3 * 4).div_ceil(3)
}

/// Bytes that unpadded base64 of `n` characters decodes to (at most; a length of
/// `4k + 1` is no base64 at all).
const fn decoded_len(n: usize) -> usize {
    n / 4 * 3 + (n % 4 * 3) / 4
}

/// One secret and its id, the byte that says in each value which key signed it.
///
/// The secret is borrowed, from flash or from where the device keeps it; `Debug`
/// shows the id only. HMAC takes a secret of any length, but one shorter than 32
/// random bytes weakens every value.
#[derive(Clone, Copy)]
pub struct Key<'k> {
    id: u8,
    secret: &'k [u8],
}

impl<'k> Key<'k> {
    /// A key with id `id`.
    pub const fn new(id: u8, secret: &'k [u8]) -> Self {
        Self { id, secret }
    }

    /// The key id that values signed with this key carry.
    pub const fn id(&self) -> u8 {
        self.id
    }

    /// HMAC-SHA256 (RFC 2104) of `message` under this key's secret: the MAC the values
    /// use, for tokens of your own.
    ///
    /// ```
    /// use embedded_cookie::signed::Key;
    ///
    /// // RFC 4231 test case 2.
    /// let mac = Key::new(0, b"Jefe").mac(b"what do ya want for nothing?");
    /// assert_eq!(mac[..4], [0x5b, 0xdc, 0xc1, 0x46]);
    /// ```
    pub fn mac(&self, message: &[u8]) -> [u8; MAC_LEN] {
        self.mac_of(&[message])
    }

    /// The MAC of the concatenation of `parts`.
    // Inlined, with `hmac`, into its caller: one frame on the deepest path.
    #[inline(always)]
    fn mac_of(&self, parts: &[&[u8]]) -> [u8; MAC_LEN] {
        let mut mac = self.hmac();
        for part in parts {
            mac.update(part);
        }
        mac.finalize().into_bytes().into()
    }

    /// A MAC keyed with the secret. RFC 2104 pads a key up to the block length with
    /// zeros and hashes a longer one first; HMAC's fixed-size constructor takes the
    /// padded block and cannot fail, where its slice constructor returns a `Result`.
    fn hmac(&self) -> HmacSha256 {
        let mut block = [0u8; BLOCK_LEN];
        if self.secret.len() > BLOCK_LEN {
            copy(&mut block, &Sha256::digest(self.secret));
        } else {
            copy(&mut block, self.secret);
        }
        <HmacSha256 as KeyInit>::new(&block.into())
    }

    fn signed_mac(&self, name: &[u8], signed: &[u8]) -> [u8; MAC_LEN] {
        let name_len = (name.len() as u64).to_be_bytes();
        self.mac_of(&[SIGNED_LABEL, &name_len, name, signed])
    }

    #[cfg(feature = "private")]
    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(&self.mac(PRIVATE_KEY_LABEL).into())
    }
}

impl fmt::Debug for Key<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Key").field("id", &self.id).finish_non_exhaustive()
    }
}

/// The id only, as `Debug`: a secret never reaches a log.
#[cfg(feature = "defmt")]
impl defmt::Format for Key<'_> {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(f, "Key {{ id: {=u8}, .. }}", self.id);
    }
}

/// The current key, which signs, and the previous keys, which still verify.
///
/// Give every key its own id: the current key is looked up first, and a previous
/// key with the current key's id is never used.
#[derive(Clone, Copy, Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Keys<'k> {
    current: Key<'k>,
    previous: &'k [Key<'k>],
}

/// A value that verified: its payload, in the caller's buffer, and what it carried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Verified<'b> {
    /// The payload that was signed or sealed.
    pub payload: &'b [u8],
    /// The expiry, in seconds since the epoch.
    pub expires: i64,
    /// The id of the key that signed it.
    pub key_id: u8,
    /// Signed with a previous key: sign the payload again with the current key and
    /// send the new value.
    pub old_key: bool,
}

/// Why a value could not be signed or sealed. Nothing usable is written when one of
/// these is returned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum SignError {
    /// The buffer is shorter than the value, which needs `needed` bytes.
    BufferTooSmall {
        /// The exact length of the value.
        needed: usize,
    },
    /// The cookie given to [`Keys::sign_cookie`] has neither `Max-Age` nor `Expires`,
    /// so the value would have no expiry.
    NoExpiry,
    /// The random source failed to give a nonce.
    #[cfg(feature = "private")]
    Random,
}

impl SignError {
    /// A short, stable description, e.g. `"buffer too small"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::BufferTooSmall { .. } => "buffer too small",
            Self::NoExpiry => "cookie without Max-Age or Expires",
            #[cfg(feature = "private")]
            Self::Random => "random source failed",
        }
    }
}

impl fmt::Display for SignError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BufferTooSmall { needed } => {
                write!(f, "{}: {needed} bytes needed", self.as_str())
            }
            _ => f.write_str(self.as_str()),
        }
    }
}

impl core::error::Error for SignError {}

/// Why a value was refused, in the order verification checks (see the
/// [module docs](self)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum VerifyError {
    /// The value decodes to more bytes than the buffer given to verify holds.
    TooLong,
    /// Not canonical unpadded URL-safe base64, or too short to be a value.
    BadEncoding,
    /// No key of [`Keys`] has the value's key id (a removed key, or a forgery).
    UnknownKey,
    /// The MAC or tag does not match: the value, or the cookie name it is read
    /// as, is not one this key signed.
    BadMac,
    /// Authentic, but its expiry has passed.
    Expired,
}

impl VerifyError {
    /// A short, stable description, e.g. `"bad MAC"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::TooLong => "value too long",
            Self::BadEncoding => "bad encoding",
            Self::UnknownKey => "unknown key",
            Self::BadMac => "bad MAC",
            Self::Expired => "expired",
        }
    }
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl core::error::Error for VerifyError {}

impl<'k> Keys<'k> {
    /// The current key and the previous ones, newest first.
    pub const fn new(current: Key<'k>, previous: &'k [Key<'k>]) -> Self {
        Self { current, previous }
    }

    /// The key that signs.
    pub const fn current(&self) -> &Key<'k> {
        &self.current
    }

    /// Signs `payload` for the cookie `name`, valid until `expires` (seconds since the
    /// epoch), with the current key, into `out`; returns the cookie value, which is
    /// [`signed_len`]`(payload.len())` bytes long.
    ///
    /// ```
    /// use embedded_cookie::signed::{Key, Keys, SignError};
    ///
    /// let keys = Keys::new(Key::new(1, b"development key: not for devices"), &[]);
    /// let mut out = [0u8; 64];
    /// assert_eq!(keys.sign("sid", b"user=7", 1_700_003_600, &mut out)?.len(), 63);
    /// let err = keys.sign("sid", b"user=7", 1_700_003_600, &mut out[..62]);
    /// assert_eq!(err, Err(SignError::BufferTooSmall { needed: 63 }));
    /// # Ok::<(), SignError>(())
    /// ```
    pub fn sign<'o>(
        &self,
        name: &str,
        payload: &[u8],
        expires: i64,
        out: &'o mut [u8],
    ) -> Result<&'o str, SignError> {
        self.sign_name(name.as_bytes(), payload, expires, out)
    }

    /// Signs `payload` for the cookie `cookie` sets, valid for its lifetime from `now`,
    /// into `out`; returns the cookie with the signed value, ready to check and send.
    ///
    /// The expiry is `now` plus the cookie's `Max-Age`, or, without one, its `Expires`
    /// (the attribute a browser obeys too): the lifetime is written once, in the
    /// cookie. A cookie with neither is [`SignError::NoExpiry`]. The returned
    /// cookie borrows its value from `out`, which needs
    /// [`signed_len`]`(payload.len())` bytes.
    ///
    /// ```
    /// use embedded_cookie::SetCookieBuilder;
    /// use embedded_cookie::signed::{Key, Keys, signed_len};
    ///
    /// const SESSION: SetCookieBuilder<'static> =
    ///     SetCookieBuilder::new("sid", "").max_age(3600).path("/").http_only(true);
    /// let keys = Keys::new(Key::new(1, b"development key: not for devices"), &[]);
    /// let now = 1_700_000_000;
    ///
    /// let mut value = [0u8; signed_len(6)];
    /// let cookie = keys.sign_cookie(SESSION, b"user=7", now, &mut value)?;
    /// let line = cookie.to_heapless::<128>()?;
    /// assert!(line.ends_with("; Max-Age=3600; Path=/; HttpOnly"));
    ///
    /// // The value the browser sends back verifies for an hour.
    /// let sent = cookie.value_str().unwrap_or_default();
    /// let mut buf = [0u8; 64];
    /// assert_eq!(keys.verify("sid", sent.as_bytes(), now + 3599, &mut buf)?.payload, b"user=7");
    /// assert!(keys.verify("sid", sent.as_bytes(), now + 3600, &mut buf).is_err());
    /// # Ok::<(), Box<dyn core::error::Error>>(())
    /// ```
    pub fn sign_cookie<'o>(
        &self,
        cookie: SetCookieBuilder<'o>,
        payload: &[u8],
        now: i64,
        out: &'o mut [u8],
    ) -> Result<SetCookieBuilder<'o>, SignError> {
        let expires = expiry(&cookie, now)?;
        let name = cookie.fields().name;
        let value = self.sign_name(name, payload, expires, out)?;
        Ok(cookie.value(value))
    }

    fn sign_name<'o>(
        &self,
        name: &[u8],
        payload: &[u8],
        expires: i64,
        out: &'o mut [u8],
    ) -> Result<&'o str, SignError> {
        let raw_len = payload.len().saturating_add(SIGNED_OVERHEAD);
        let out = sized(out, raw_len)?;
        let (signed, mac) = split(raw_part(out, raw_len), raw_len - MAC_LEN);
        write_header(signed, self.current.id, expires, payload);
        copy(mac, &self.current.signed_mac(name, signed));
        Ok(encode_in_place(out, raw_len))
    }

    /// Verifies a signed `value` of the cookie `name` at time `now` (seconds since the
    /// epoch), decoding it into `buf`; returns its payload, borrowed from `buf`.
    ///
    /// `buf` needs the decoded length, three quarters of the value's; a longer value
    /// is refused before anything else is read ([`VerifyError::TooLong`]).
    pub fn verify<'b>(
        &self,
        name: &str,
        value: &[u8],
        now: i64,
        buf: &'b mut [u8],
    ) -> Result<Verified<'b>, VerifyError> {
        let (raw, key, old_key) = self.decode(value, buf, SIGNED_OVERHEAD)?;
        let mac_at = raw.len().saturating_sub(MAC_LEN);
        let (signed, mac) = raw.split_at_checked(mac_at).ok_or(VerifyError::BadEncoding)?;
        if !bool::from(key.signed_mac(name.as_bytes(), signed).ct_eq(mac)) {
            return Err(VerifyError::BadMac);
        }
        let (expiry, payload) = split_expiry(signed.get(1..).unwrap_or_default());
        check_expiry(expiry, now)?;
        Ok(Verified { payload, expires: expiry, key_id: key.id, old_key })
    }

    /// A CSRF token for the session cookie value `session`, made with the current key
    /// into `out`: [`CSRF_TOKEN_LEN`] bytes of base64.
    ///
    /// The token is derived from the session (signed double submit): the server keeps
    /// nothing, puts the token in its forms (or a cookie that scripts read and send
    /// back in a header), and on every unsafe request checks the token sent against the
    /// session cookie with [`Keys::check_csrf_token`]. A page of another site can make
    /// the browser send the session cookie, but cannot read the token.
    ///
    /// ```
    /// use embedded_cookie::signed::{Key, Keys, CSRF_TOKEN_LEN};
    ///
    /// let keys = Keys::new(Key::new(1, b"development key: not for devices"), &[]);
    /// let mut out = [0u8; CSRF_TOKEN_LEN];
    /// let token = keys.csrf_token(b"the session cookie's value", &mut out)?;
    /// assert!(keys.check_csrf_token(b"the session cookie's value", token.as_bytes()));
    /// assert!(!keys.check_csrf_token(b"another session", token.as_bytes()));
    /// # Ok::<(), embedded_cookie::signed::SignError>(())
    /// ```
    pub fn csrf_token<'o>(&self, session: &[u8], out: &'o mut [u8]) -> Result<&'o str, SignError> {
        let out = sized(out, MAC_LEN)?;
        copy(raw_part(out, MAC_LEN), &csrf_mac(&self.current, session));
        Ok(encode_in_place(out, MAC_LEN))
    }

    /// Whether `token` is the CSRF token of `session` under the current key or a
    /// previous one, compared in constant time.
    pub fn check_csrf_token(&self, session: &[u8], token: &[u8]) -> bool {
        let mut raw = [0u8; CSRF_TOKEN_LEN];
        let mut ok = subtle::Choice::from(0);
        for key in core::iter::once(&self.current).chain(self.previous) {
            if let Ok(expected) = Base64UrlUnpadded::encode(&csrf_mac(key, session), &mut raw) {
                ok |= expected.as_bytes().ct_eq(token);
            }
        }
        ok.into()
    }

    /// The key with id `id` and whether it is a previous one.
    fn find(&self, id: u8) -> Option<(&Key<'k>, bool)> {
        if self.current.id == id {
            return Some((&self.current, false));
        }
        self.previous.iter().find(|k| k.id == id).map(|k| (k, true))
    }

    /// Decodes `value` into `buf` and finds its key: the raw bytes, at least `min_len`
    /// of them, the key, and whether it is a previous one.
    fn decode<'b>(
        &self,
        value: &[u8],
        buf: &'b mut [u8],
        min_len: usize,
    ) -> Result<(&'b mut [u8], &Key<'k>, bool), VerifyError> {
        if decoded_len(value.len()) > buf.len() {
            return Err(VerifyError::TooLong);
        }
        let raw = match Base64UrlUnpadded::decode(value, buf) {
            Ok(raw) if raw.len() >= min_len => raw.len(),
            _ => return Err(VerifyError::BadEncoding),
        };
        let raw = buf.get_mut(..raw).unwrap_or_default();
        let id = raw.first().copied().unwrap_or_default();
        let (key, old) = self.find(id).ok_or(VerifyError::UnknownKey)?;
        Ok((raw, key, old))
    }
}

#[cfg(feature = "private")]
impl Keys<'_> {
    /// Encrypts `payload` for the cookie `name`, valid until `expires`, with the
    /// current key and a nonce from `rng`, into `out`; returns the cookie value, which
    /// is [`private_len`]`(payload.len())` bytes long. Any `rand_core` RNG that is a
    /// `CryptoRng` will do (a fallible one's error is [`SignError::Random`]);
    /// [`Keys::seal_with`] takes a closure instead.
    ///
    /// ```
    /// use embedded_cookie::signed::{Key, Keys};
    ///
    /// let keys = Keys::new(Key::new(1, b"development key: not for devices"), &[]);
    /// let mut rng = rand_core::OsRng;
    /// let mut out = [0u8; 96];
    /// let value = keys.seal("sid", b"role=admin", 1_700_003_600, &mut rng, &mut out)?;
    /// assert_eq!(value.len(), 79);
    ///
    /// let mut buf = [0u8; 64];
    /// let session = keys.open("sid", value.as_bytes(), 1_700_000_000, &mut buf)?;
    /// assert_eq!(session.payload, b"role=admin");
    /// # Ok::<(), Box<dyn core::error::Error>>(())
    /// ```
    pub fn seal<'o, R>(
        &self,
        name: &str,
        payload: &[u8],
        expires: i64,
        rng: &mut R,
        out: &'o mut [u8],
    ) -> Result<&'o str, SignError>
    where
        R: rand_core::TryCryptoRng + ?Sized,
    {
        self.seal_with(name, payload, expires, |nonce| rng.try_fill_bytes(nonce), out)
    }

    /// [`Keys::seal`] with the nonce from a closure, for a device's own random source:
    /// `fill_nonce` fills the [`NONCE_LEN`] bytes it is given from a cryptographically
    /// secure source, or fails ([`SignError::Random`]).
    ///
    /// ```
    /// use embedded_cookie::signed::{Key, Keys, SignError};
    ///
    /// let keys = Keys::new(Key::new(1, b"development key: not for devices"), &[]);
    /// let mut out = [0u8; 96];
    /// let broken_trng = |_: &mut [u8]| Err(());
    /// let err = keys.seal_with("sid", b"role=admin", 1_700_003_600, broken_trng, &mut out);
    /// assert_eq!(err, Err(SignError::Random));
    /// ```
    pub fn seal_with<'o, E>(
        &self,
        name: &str,
        payload: &[u8],
        expires: i64,
        fill_nonce: impl FnOnce(&mut [u8]) -> Result<(), E>,
        out: &'o mut [u8],
    ) -> Result<&'o str, SignError> {
        let raw_len = payload.len().saturating_add(PRIVATE_OVERHEAD);
        let out = sized(out, raw_len)?;
        let needed = out.len();
        let mut nonce = [0u8; NONCE_LEN];
        fill_nonce(&mut nonce).map_err(|_| SignError::Random)?;
        let (head, tag) = split(raw_part(out, raw_len), raw_len - TAG_LEN);
        let (id_nonce, plain) = split(head, 1 + NONCE_LEN);
        let (id, nonce_bytes) = split(id_nonce, 1);
        id.fill(self.current.id);
        copy(nonce_bytes, &nonce);
        write_expiry(plain, expires, payload);
        let nonce = XNonce::from(nonce);
        // The in-place API refuses only a message over 256 GiB, which no buffer holds.
        let sealed =
            self.current.cipher().encrypt_in_place_detached(&nonce, name.as_bytes(), plain);
        let sealed = sealed.map_err(|_| SignError::BufferTooSmall { needed })?;
        copy(tag, &sealed);
        Ok(encode_in_place(out, raw_len))
    }

    /// Verifies and decrypts a private `value` of the cookie `name` at time `now`,
    /// into `buf`; returns its payload, borrowed from `buf`. The checks and their
    /// order are those of [`Keys::verify`].
    pub fn open<'b>(
        &self,
        name: &str,
        value: &[u8],
        now: i64,
        buf: &'b mut [u8],
    ) -> Result<Verified<'b>, VerifyError> {
        let (raw, key, old_key) = self.decode(value, buf, PRIVATE_OVERHEAD)?;
        // `decode` checked the length: these splits cannot fail.
        let short = VerifyError::BadEncoding;
        let (head, tag) =
            raw.split_at_mut_checked(raw.len().saturating_sub(TAG_LEN)).ok_or(short)?;
        let (id_nonce, sealed) = head.split_at_mut_checked(1 + NONCE_LEN).ok_or(short)?;
        let nonce = <[u8; NONCE_LEN]>::try_from(id_nonce.get(1..).unwrap_or_default());
        let tag = <[u8; TAG_LEN]>::try_from(&*tag);
        let (Ok(nonce), Ok(tag)) = (nonce, tag) else { return Err(short) };
        key.cipher()
            .decrypt_in_place_detached(
                &XNonce::from(nonce),
                name.as_bytes(),
                sealed,
                &Tag::from(tag),
            )
            .map_err(|_| VerifyError::BadMac)?;
        let (expiry, payload) = split_expiry(sealed);
        check_expiry(expiry, now)?;
        Ok(Verified { payload, expires: expiry, key_id: key.id, old_key })
    }
}

/// The moment a value signed for `cookie` at `now` expires: `now` plus its `Max-Age`,
/// or its `Expires`.
fn expiry(cookie: &SetCookieBuilder<'_>, now: i64) -> Result<i64, SignError> {
    let fields = cookie.fields();
    match (fields.max_age, fields.expires) {
        (Some(secs), _) => Ok(now.saturating_add(secs)),
        (None, Some(at)) => Ok(at.secs()),
        (None, None) => Err(SignError::NoExpiry),
    }
}

/// `out` cut to the base64 length of a raw value of `raw_len` bytes, which is built
/// in its last `raw_len` bytes ([`raw_part`]) and then encoded in place.
fn sized(out: &mut [u8], raw_len: usize) -> Result<&mut [u8], SignError> {
    let needed = base64_len(raw_len);
    out.get_mut(..needed).ok_or(SignError::BufferTooSmall { needed })
}

/// The last `raw_len` bytes of `out`.
fn raw_part(out: &mut [u8], raw_len: usize) -> &mut [u8] {
    let start = out.len().saturating_sub(raw_len);
    out.get_mut(start..).unwrap_or_default()
}

/// Encodes the raw value in the last `raw_len` bytes of `out` into all of `out`, from
/// the front, three bytes at a time. `out` is exactly as long as the base64, so the
/// raw value starts a third of its length or more ahead of where the next four
/// characters go, and every group is read before anything is written over it.
fn encode_in_place(out: &mut [u8], raw_len: usize) -> &str {
    let start = out.len().saturating_sub(raw_len);
    let mut written = 0;
    for at in (start..out.len()).step_by(3) {
        let mut group = [0u8; 3];
        let src = out.get(at..).unwrap_or_default();
        let len = src.len().min(group.len());
        for (g, s) in group.iter_mut().zip(src) {
            *g = *s;
        }
        let mut chars = [0u8; 4];
        let chars = Base64UrlUnpadded::encode(group.get(..len).unwrap_or_default(), &mut chars)
            .unwrap_or_default();
        let dst = out.get_mut(written..written + chars.len()).unwrap_or_default();
        copy(dst, chars.as_bytes());
        written += chars.len();
    }
    // Base64 is ASCII: this never falls back to the empty string.
    core::str::from_utf8(out).unwrap_or_default()
}

/// Writes key id, expiry and payload into `signed`, which is exactly as long.
fn write_header(signed: &mut [u8], id: u8, expires: i64, payload: &[u8]) {
    if let Some((first, rest)) = signed.split_first_mut() {
        *first = id;
        write_expiry(rest, expires, payload);
    }
}

/// Writes expiry and payload into `dst`, which is exactly as long.
fn write_expiry(dst: &mut [u8], expires: i64, payload: &[u8]) {
    let bytes = expires.to_be_bytes().into_iter().chain(payload.iter().copied());
    for (d, b) in dst.iter_mut().zip(bytes) {
        *d = b;
    }
}

/// The expiry and the payload after it.
fn split_expiry(bytes: &[u8]) -> (i64, &[u8]) {
    let (expiry, payload) = bytes.split_at(EXPIRY_LEN.min(bytes.len()));
    let mut be = [0u8; EXPIRY_LEN];
    for (b, e) in be.iter_mut().zip(expiry) {
        *b = *e;
    }
    (i64::from_be_bytes(be), payload)
}

/// A value is valid while `now` is before its expiry, and never with an expiry before
/// 1970 (see the module docs).
fn check_expiry(expires: i64, now: i64) -> Result<(), VerifyError> {
    if expires >= 0 && now < expires { Ok(()) } else { Err(VerifyError::Expired) }
}

fn csrf_mac(key: &Key<'_>, session: &[u8]) -> [u8; MAC_LEN] {
    key.mac_of(&[CSRF_LABEL, session])
}

/// Copies `src` to the start of `dst`. Where this module copies, the lengths are equal
/// by construction; unlike `copy_from_slice`, this has no panic path to link.
fn copy(dst: &mut [u8], src: &[u8]) {
    for (d, s) in dst.iter_mut().zip(src) {
        *d = *s;
    }
}

/// `buf` split at `at`, or at its end if it is shorter: the same split where `at` is
/// in range by construction, without a panic path to link.
fn split(buf: &mut [u8], at: usize) -> (&mut [u8], &mut [u8]) {
    buf.split_at_mut(at.min(buf.len()))
}
