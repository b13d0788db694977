//! Signed and private values: arbitrary bytes are never accepted unless they are
//! exactly what a server key makes, and a value made for another name, by another
//! key, for another expiry or changed after it was made is refused, with the error
//! the module docs give for it.
//!
//! The oracle never asks the library: signed values are made here from the format the
//! module docs give (HMAC-SHA256 over the label, the name's length and the name, the
//! key id, the expiry and the payload), and what `verify` and `open` must answer is
//! worked out from how the value was made (the key lookup, the name, the changes, the
//! clock), in the order the docs give: unknown key, bad MAC, expired.

use arbitrary::{Arbitrary, Unstructured};
use base64ct::{Base64UrlUnpadded, Encoding};
use embedded_cookie::signed::{self, Key, Keys, NONCE_LEN, Verified, VerifyError};
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The secrets in play: distinct as HMAC keys (none is another zero-padded, none over
/// the 64-byte block).
const SECRETS: [&[u8]; 4] = [
    b"fuzzing key one, never a real one",
    b"fuzzing key two, never a real one",
    b"fuzzing key two's shadow, never used",
    b"a key the server does not hold",
];
/// The server signs with key 2 and still verifies with key 1. Its other previous key
/// has the current key's id: the docs say it is never used.
const CURRENT: Key<'static> = Key::new(2, SECRETS[1]);
const PREVIOUS: [Key<'static>; 2] = [Key::new(1, SECRETS[0]), Key::new(2, SECRETS[2])];
const NOW: i64 = 1_700_000_000;

/// The server's key for a key id, and whether it is a previous one: the table above,
/// written out (the current key first, so id 2 is never the shadowed key).
fn server_secret(id: u8) -> Option<(&'static [u8], bool)> {
    match id {
        2 => Some((SECRETS[1], false)),
        1 => Some((SECRETS[0], true)),
        _ => None,
    }
}

/// The key a value is made with.
#[derive(Arbitrary, Debug, Clone, Copy)]
enum Maker {
    /// The server's current key.
    Current,
    /// The server's previous key: accepted, with `old_key` set.
    Previous,
    /// The previous key that shares the current key's id: refused.
    Shadowed,
    /// A secret the server does not hold, under the current key's id.
    OtherSecret,
    /// A secret the server does not hold, under any id (1 and 2 included).
    OtherKey(u8),
}

impl Maker {
    fn key(self) -> (u8, &'static [u8]) {
        match self {
            Self::Current => (2, SECRETS[1]),
            Self::Previous => (1, SECRETS[0]),
            Self::Shadowed => (2, SECRETS[2]),
            Self::OtherSecret => (2, SECRETS[3]),
            Self::OtherKey(id) => (id, SECRETS[3]),
        }
    }
}

/// A value offered to the server: how it was made and what happened to it since.
#[derive(Arbitrary, Debug)]
struct Offer<'a> {
    /// The cookie the server reads it as.
    name: &'a str,
    /// The cookie it was made for, when not `name`.
    made_for: Option<&'a str>,
    maker: Maker,
    payload: &'a [u8],
    expires: i64,
    /// The server's clock, relative to `expires` (saturating).
    clock: i16,
    /// A signed value's expiry bytes overwritten with this after signing.
    relabel: Option<i64>,
    /// One byte of the decoded value (index modulo its length) XORed with a mask
    /// after it was made (and before the relabel).
    tamper: Option<(u16, u8)>,
}

/// `data` builds an [`Offer`], made both signed and sealed; the rest of it is a
/// cookie value verified and opened as it is, at three clocks.
pub fn check(data: &[u8]) {
    let mut u = Unstructured::new(data);
    let Ok(offer) = Offer::arbitrary(&mut u) else { return };
    let raw_value = u.take_rest();
    let keys = Keys::new(CURRENT, &PREVIOUS);
    for now in [i64::MIN, -1, 0, NOW, i64::MAX] {
        check_value(&keys, offer.name, raw_value, now);
    }
    offer_signed(&keys, &offer, data.len());
    offer_sealed(&keys, &offer, data.len());
}

/// What the server must answer for a value made by `maker` for `made_for`, carrying
/// key id `carried_id`, `intact` unless changed since, read as `name` at `now`.
fn expected(
    offer: &Offer,
    carried_id: u8,
    intact: bool,
    now: i64,
) -> Result<(u8, bool), VerifyError> {
    let (_, made_secret) = offer.maker.key();
    let (secret, old_key) = server_secret(carried_id).ok_or(VerifyError::UnknownKey)?;
    let same_name = offer.made_for.is_none_or(|made| made == offer.name);
    if !intact || secret != made_secret || !same_name {
        return Err(VerifyError::BadMac);
    }
    // Expired at its expiry, and always before 1970 (the module docs).
    if now >= offer.expires || offer.expires < 0 {
        return Err(VerifyError::Expired);
    }
    Ok((carried_id, old_key))
}

/// A signed value as the module docs define it: key id, expiry (big-endian), payload,
/// then HMAC-SHA256 under `secret` of the label, the name's length (u64 big-endian),
/// the name and those bytes.
fn make_signed(secret: &[u8], id: u8, name: &str, expires: i64, payload: &[u8]) -> Vec<u8> {
    let mut raw = vec![id];
    raw.extend_from_slice(&expires.to_be_bytes());
    raw.extend_from_slice(payload);
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key");
    mac.update(b"embedded-cookie signed v1\0");
    mac.update(&(name.len() as u64).to_be_bytes());
    mac.update(name.as_bytes());
    mac.update(&raw);
    raw.extend_from_slice(&mac.finalize().into_bytes());
    raw
}

/// URL-safe base64 without padding, as the values are written.
fn base64(raw: &[u8]) -> String {
    let mut out = vec![0; raw.len().div_ceil(3) * 4];
    Base64UrlUnpadded::encode(raw, &mut out).expect("sized buffer").to_owned()
}

/// Applies the offer's tamper to `raw`.
fn tamper(offer: &Offer, raw: &mut [u8]) {
    if let Some((at, mask)) = offer.tamper {
        let at = usize::from(at) % raw.len();
        raw[at] ^= mask;
    }
}

/// What the server answers, compared with what it must.
fn assert_answer(
    what: &str,
    offer: &Offer,
    got: Result<Verified, VerifyError>,
    want: Result<(u8, bool), VerifyError>,
) {
    let got = got.map(|v| (v.payload.to_vec(), v.expires, v.key_id, v.old_key));
    let want = want.map(|(id, old)| (offer.payload.to_vec(), offer.expires, id, old));
    assert_eq!(got, want, "{what} of {offer:?}");
}

fn clock(offer: &Offer) -> i64 {
    offer.expires.saturating_add(offer.clock.into())
}

/// The offer as a signed value, made here: `verify` answers as `expected` says, and
/// `sign` with the same key makes the same value.
fn offer_signed(keys: &Keys, offer: &Offer, seed: usize) {
    let (id, secret) = offer.maker.key();
    let made_for = offer.made_for.unwrap_or(offer.name);
    let made = make_signed(secret, id, made_for, offer.expires, offer.payload);

    let mut out = vec![0; signed::signed_len(offer.payload.len())];
    let signed =
        Keys::new(Key::new(id, secret), &[]).sign(made_for, offer.payload, offer.expires, &mut out);
    assert_eq!(signed.map(str::as_bytes), Ok(base64(&made).as_bytes()), "sign");
    let now = clock(offer);
    let read = |v: &[u8], b: &mut [u8]| keys.verify(offer.name, v, now, b).map(|_| ());
    assert_changed_is_refused(&base64(&made), seed, read);

    let mut raw = made.clone();
    tamper(offer, &mut raw);
    if let Some(expires) = offer.relabel {
        raw[1..9].copy_from_slice(&expires.to_be_bytes());
    }
    let intact = raw == made;
    let value = base64(&raw);
    let mut buf = vec![0; raw.len()];
    let got = keys.verify(offer.name, value.as_bytes(), now, &mut buf);
    assert_answer("verify", offer, got, expected(offer, raw[0], intact, now));
}

/// The offer as a private value, sealed with the maker's key (the relabel does not
/// apply: the expiry is encrypted): `open` answers as `expected` says.
fn offer_sealed(keys: &Keys, offer: &Offer, seed: usize) {
    let nonce_byte = seed as u8;
    let (id, secret) = offer.maker.key();
    let made_for = offer.made_for.unwrap_or(offer.name);
    let nonce = |n: &mut [u8]| {
        n.fill(nonce_byte);
        Ok::<(), ()>(())
    };
    let mut out = vec![0; signed::private_len(offer.payload.len())];
    let maker = Keys::new(Key::new(id, secret), &[]);
    let sealed = maker.seal_with(made_for, offer.payload, offer.expires, nonce, &mut out);
    let mut raw = vec![0; sealed.as_ref().map_or(0, |v| v.len())];
    let sealed = sealed.expect("sized buffer");
    let raw_len = Base64UrlUnpadded::decode(sealed, &mut raw).expect("base64").len();
    raw.truncate(raw_len);
    assert_eq!(raw[1..1 + NONCE_LEN], [nonce_byte; NONCE_LEN], "the nonce given");
    let now = clock(offer);
    assert_changed_is_refused(sealed, seed, |v, b| keys.open(offer.name, v, now, b).map(|_| ()));

    let made = raw.clone();
    tamper(offer, &mut raw);
    let intact = raw == made;
    let value = base64(&raw);
    let mut buf = vec![0; raw.len()];
    let got = keys.open(offer.name, value.as_bytes(), now, &mut buf);
    assert_answer("open", offer, got, expected(offer, raw[0], intact, now));
}

/// Verify and open of arbitrary bytes: an accepted value is unexpired and is exactly
/// what the server key of its id makes of what it holds (made here for a signed value;
/// sealed again with the nonce it carries for a private one).
fn check_value(keys: &Keys, name: &str, value: &[u8], now: i64) {
    let mut buf = vec![0; value.len()];
    if let Ok(got) = keys.verify(name, value, now, &mut buf) {
        assert!(0 <= got.expires && now < got.expires, "accepted an expired value");
        let (secret, old_key) = server_secret(got.key_id).expect("accepted, so a server key");
        assert_eq!(got.old_key, old_key, "old_key of key {}", got.key_id);
        let again = make_signed(secret, got.key_id, name, got.expires, got.payload);
        assert_eq!(base64(&again).as_bytes(), value, "accepted a value no key signed");
    }
    if let Ok(got) = keys.open(name, value, now, &mut buf) {
        assert!(0 <= got.expires && now < got.expires, "accepted an expired value");
        let payload = got.payload.to_vec();
        let mut raw = vec![0; value.len()];
        let raw = Base64UrlUnpadded::decode(value, &mut raw).expect("opened, so base64");
        let nonce = raw.get(1..1 + NONCE_LEN).expect("opened, so long enough").to_vec();
        let (secret, old_key) = server_secret(got.key_id).expect("opened, so a server key");
        assert_eq!(got.old_key, old_key, "old_key of key {}", got.key_id);
        let fill = |n: &mut [u8]| {
            n.copy_from_slice(&nonce);
            Ok::<(), ()>(())
        };
        let mut out = vec![0; value.len()];
        let key = Key::new(got.key_id, secret);
        let again = Keys::new(key, &[]).seal_with(name, &payload, got.expires, fill, &mut out);
        assert_eq!(again.map(str::as_bytes), Ok(value), "accepted a value no key sealed");
    }
}

/// One character of `value`, chosen by `seed`, replaced by another base64 character:
/// never accepted (another spelling of the same bytes included).
fn assert_changed_is_refused(
    value: &str,
    seed: usize,
    read: impl Fn(&[u8], &mut [u8]) -> Result<(), VerifyError>,
) {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut changed = value.as_bytes().to_vec();
    let at = seed % changed.len();
    let old = ALPHABET.iter().position(|&c| c == changed[at]).expect("base64");
    changed[at] = ALPHABET[(old + 1 + seed % 63) % 64];
    let mut buf = vec![0; changed.len()];
    assert!(read(&changed, &mut buf).is_err(), "accepted a changed value");
}
