//! Signed and private cookie values: RFC 4231 vectors through `Key::mac`, the format
//! recomputed with RustCrypto's crates directly, every tampering refused with its
//! error, key rotation, expiry, and round trips of any payload.

use base64ct::{Base64UrlUnpadded, Encoding};
use chacha20poly1305::{AeadInPlace, KeyInit, XChaCha20Poly1305, XNonce};
use embedded_cookie::SetCookieBuilder;
use embedded_cookie::date::ImfFixdate;
use embedded_cookie::signed::{
    self, CSRF_TOKEN_LEN, Key, Keys, NONCE_LEN, SignError, Verified, VerifyError,
};
use hmac::{Hmac, Mac};
use proptest::prelude::*;
use sha2::Sha256;

const SECRET_1: &[u8] = b"development key: not for devices";
const SECRET_2: &[u8] = b"the key after it, not for devices";
const KEY_1: Key<'static> = Key::new(1, SECRET_1);
const KEY_2: Key<'static> = Key::new(2, SECRET_2);
const NOW: i64 = 1_700_000_000;
const LATER: i64 = NOW + 3600;

/// A payload and whether a previous key signed it, or why it was refused.
type Outcome = Result<(Vec<u8>, bool), VerifyError>;

fn hex(s: &str) -> Vec<u8> {
    let s: String = s.split_whitespace().collect();
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

#[test]
fn rfc_4231_hmac_sha256_vectors() {
    // (test case, key, data, HMAC-SHA256); case 5 is the output truncated to 128 bits.
    let big_key = vec![0xaa; 131];
    let cases: [(u8, Vec<u8>, Vec<u8>, &str); 7] = [
        (
            1,
            vec![0x0b; 20],
            b"Hi There".to_vec(),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
        ),
        (
            2,
            b"Jefe".to_vec(),
            b"what do ya want for nothing?".to_vec(),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
        ),
        (
            3,
            vec![0xaa; 20],
            vec![0xdd; 50],
            "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
        ),
        (
            4,
            hex("0102030405060708090a0b0c0d0e0f10111213141516171819"),
            vec![0xcd; 50],
            "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
        ),
        (5, vec![0x0c; 20], b"Test With Truncation".to_vec(), "a3b6167473100ee06e0c796c2955552b"),
        (
            6,
            big_key.clone(),
            b"Test Using Larger Than Block-Size Key - Hash Key First".to_vec(),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
        ),
        (
            7,
            big_key,
            b"This is a test using a larger than block-size key and a larger than block-size \
              data. The key needs to be hashed before being used by the HMAC algorithm."
                .to_vec(),
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
        ),
    ];
    for (case, key, data, want) in cases {
        let want = hex(want);
        let mac = Key::new(0, &key).mac(&data);
        assert_eq!(&mac[..want.len()], &want[..], "RFC 4231 test case {case}");
    }
}

fn decode(value: &str) -> Vec<u8> {
    let mut buf = vec![0; value.len()];
    Base64UrlUnpadded::decode(value, &mut buf).unwrap().to_vec()
}

fn encode(raw: &[u8]) -> String {
    let mut buf = vec![0; raw.len() * 2 + 4];
    Base64UrlUnpadded::encode(raw, &mut buf).unwrap().to_string()
}

fn sign(keys: &Keys, name: &str, payload: &[u8], expires: i64) -> String {
    let mut out = vec![0; signed::signed_len(payload.len())];
    keys.sign(name, payload, expires, &mut out).unwrap().to_string()
}

fn seal(keys: &Keys, name: &str, payload: &[u8], expires: i64, nonce: u8) -> String {
    let mut out = vec![0; signed::private_len(payload.len())];
    let fill = |n: &mut [u8]| {
        n.fill(nonce);
        Ok::<(), ()>(())
    };
    keys.seal_with(name, payload, expires, fill, &mut out).unwrap().to_string()
}

fn verify(keys: &Keys, name: &str, value: &[u8], now: i64) -> Outcome {
    let mut buf = [0u8; 256];
    keys.verify(name, value, now, &mut buf).map(|v| (v.payload.to_vec(), v.old_key))
}

fn open(keys: &Keys, name: &str, value: &[u8], now: i64) -> Outcome {
    let mut buf = [0u8; 256];
    keys.open(name, value, now, &mut buf).map(|v| (v.payload.to_vec(), v.old_key))
}

#[test]
fn signed_value_is_the_documented_format() {
    for payload in [&b""[..], b"u", b"user=7", &[0xff; 100]] {
        let value = sign(&Keys::new(KEY_1, &[]), "sid", payload, LATER);
        let mut raw = vec![1];
        raw.extend_from_slice(&LATER.to_be_bytes());
        raw.extend_from_slice(payload);
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(SECRET_1).unwrap();
        mac.update(b"embedded-cookie signed v1\0");
        mac.update(&3u64.to_be_bytes());
        mac.update(b"sid");
        mac.update(&raw);
        raw.extend_from_slice(&mac.finalize().into_bytes());
        assert_eq!(value, encode(&raw), "payload {payload:?}");
        assert_eq!(value.len(), signed::signed_len(payload.len()));
    }
}

#[test]
fn private_value_is_the_documented_format() {
    let payload = b"role=admin";
    let value = seal(&Keys::new(KEY_1, &[]), "sid", payload, LATER, 7);
    let key: [u8; 32] = KEY_1.mac(b"embedded-cookie private key v1\0");
    let mut sealed = LATER.to_be_bytes().to_vec();
    sealed.extend_from_slice(payload);
    let nonce = [7u8; NONCE_LEN];
    let tag = XChaCha20Poly1305::new(&key.into())
        .encrypt_in_place_detached(XNonce::from_slice(&nonce), b"sid", &mut sealed)
        .unwrap();
    let mut raw = vec![1];
    raw.extend_from_slice(&nonce);
    raw.extend_from_slice(&sealed);
    raw.extend_from_slice(&tag);
    assert_eq!(value, encode(&raw));
    assert!(!raw.windows(payload.len()).any(|w| w == payload), "the payload shows");
}

#[test]
fn csrf_token_is_the_documented_format() {
    let keys = Keys::new(KEY_1, &[]);
    let mut out = [0u8; CSRF_TOKEN_LEN];
    let token = keys.csrf_token(b"session value", &mut out).unwrap();
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(SECRET_1).unwrap();
    mac.update(b"embedded-cookie csrf v1\0session value");
    assert_eq!(token, encode(&mac.finalize().into_bytes()));
}

#[test]
fn verify_returns_what_was_signed() {
    let keys = Keys::new(KEY_1, &[]);
    let value = sign(&keys, "sid", b"user=7", LATER);
    let mut buf = [0u8; 64];
    let got = keys.verify("sid", value.as_bytes(), NOW, &mut buf).unwrap();
    let want = Verified { payload: b"user=7", expires: LATER, key_id: 1, old_key: false };
    assert_eq!(got, want);
    let sealed = seal(&keys, "sid", b"user=7", LATER, 0);
    assert_eq!(keys.open("sid", sealed.as_bytes(), NOW, &mut buf), Ok(want));
}

/// Every bit of every byte flipped: the key id byte names another key, any other
/// byte breaks the MAC or tag.
#[test]
fn any_changed_byte_is_refused() {
    let keys = Keys::new(KEY_1, &[]);
    for private in [false, true] {
        let value = if private {
            seal(&keys, "sid", b"user=7", LATER, 3)
        } else {
            sign(&keys, "sid", b"user=7", LATER)
        };
        let raw = decode(&value);
        for at in 0..raw.len() {
            for bit in 0..8 {
                let mut changed = raw.clone();
                changed[at] ^= 1 << bit;
                let changed = encode(&changed);
                let got = if private {
                    open(&keys, "sid", changed.as_bytes(), NOW)
                } else {
                    verify(&keys, "sid", changed.as_bytes(), NOW)
                };
                let want = if at == 0 { VerifyError::UnknownKey } else { VerifyError::BadMac };
                assert_eq!(got, Err(want), "private {private}, byte {at}, bit {bit}");
            }
        }
    }
}

#[test]
fn changed_characters_and_lengths_are_refused() {
    let keys = Keys::new(KEY_1, &[]);
    let value = sign(&keys, "sid", b"user=7", LATER);
    let last = value.len() - 1;
    let short = &value[..signed::signed_len(0) - 1];
    let cases: [(&str, String, VerifyError); 10] = [
        ("empty", String::new(), VerifyError::BadEncoding),
        ("padding added", format!("{value}="), VerifyError::BadEncoding),
        ("standard alphabet", value.replace(['-', '_'], "+") + "+A", VerifyError::BadEncoding),
        ("a dot", format!("{}.{}", &value[..5], &value[6..]), VerifyError::BadEncoding),
        ("one char more: a byte more", format!("{value}A"), VerifyError::BadMac),
        ("two chars more: no base64", format!("{value}AA"), VerifyError::BadEncoding),
        ("non-canonical last char", noncanonical(&value), VerifyError::BadEncoding),
        ("shorter than a MAC", short.to_string(), VerifyError::BadEncoding),
        ("last char cut", value[..last].to_string(), VerifyError::BadEncoding),
        (
            "last three chars cut: two bytes less",
            value[..last - 2].to_string(),
            VerifyError::BadMac,
        ),
    ];
    for (what, changed, want) in cases {
        assert_eq!(verify(&keys, "sid", changed.as_bytes(), NOW), Err(want), "{what}");
    }
}

/// The value with unused low bits set in its last character: the same bytes, but
/// not the encoding that signing makes.
fn noncanonical(value: &str) -> String {
    // A signed value of a 6-byte payload is 47 bytes: 62 full characters and one
    // holding 4 of its bits, so the next character up decodes to the same bytes.
    assert_eq!(value.len() % 4, 3);
    let (head, last) = value.split_at(value.len() - 1);
    let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let i = alphabet.find(last).unwrap();
    format!("{head}{}", &alphabet[i + 1..i + 2])
}

#[test]
fn a_value_is_bound_to_its_cookie_name() {
    let keys = Keys::new(KEY_1, &[]);
    // Long enough that the signed value could be a private one.
    let payload = b"user=7, role=admin";
    let signed = sign(&keys, "sid", payload, LATER);
    let private = seal(&keys, "sid", payload, LATER, 1);
    for other in ["csrftoken", "Sid", "sid ", ""] {
        assert_eq!(verify(&keys, other, signed.as_bytes(), NOW), Err(VerifyError::BadMac));
        assert_eq!(open(&keys, other, private.as_bytes(), NOW), Err(VerifyError::BadMac));
    }
    // Nor is a signed value a private one, or the other way round.
    assert_eq!(open(&keys, "sid", signed.as_bytes(), NOW), Err(VerifyError::BadMac));
    assert_eq!(verify(&keys, "sid", private.as_bytes(), NOW), Err(VerifyError::BadMac));
}

#[test]
fn a_value_is_valid_until_its_expiry() {
    let keys = Keys::new(KEY_1, &[]);
    let signed = sign(&keys, "sid", b"u", LATER);
    let private = seal(&keys, "sid", b"u", LATER, 1);
    let cases = [
        (NOW, Ok((b"u".to_vec(), false))),
        (LATER - 1, Ok((b"u".to_vec(), false))),
        (LATER, Err(VerifyError::Expired)),
        (i64::MAX, Err(VerifyError::Expired)),
    ];
    for (now, want) in cases {
        assert_eq!(verify(&keys, "sid", signed.as_bytes(), now), want, "now {now}");
        assert_eq!(open(&keys, "sid", private.as_bytes(), now), want, "now {now}");
    }
    // A forged value is a bad MAC, whatever expiry it claims.
    let mut raw = decode(&signed);
    raw[1..9].copy_from_slice(&i64::MAX.to_be_bytes());
    assert_eq!(verify(&keys, "sid", encode(&raw).as_bytes(), LATER), Err(VerifyError::BadMac));
}

#[test]
fn an_expiry_before_1970_is_expired_at_any_clock() {
    let keys = Keys::new(KEY_1, &[]);
    // (expiry, clock, valid): times are `i64` seconds, negative before 1970.
    let cases = [
        (-1, i64::MIN, false),
        (-1, -2, false),
        (-3600, -7200, false),
        (0, -1, true),
        (3600, -1, true),
        (3600, 0, true),
        (3600, 3600, false),
    ];
    for (expires, now, valid) in cases {
        let want = if valid { Ok((b"u".to_vec(), false)) } else { Err(VerifyError::Expired) };
        let signed = sign(&keys, "sid", b"u", expires);
        assert_eq!(verify(&keys, "sid", signed.as_bytes(), now), want, "{expires} at {now}");
        let private = seal(&keys, "sid", b"u", expires, 1);
        assert_eq!(open(&keys, "sid", private.as_bytes(), now), want, "{expires} at {now}");
    }
}

#[test]
fn sign_cookie_takes_the_lifetime_from_the_cookie() {
    let keys = Keys::new(KEY_1, &[]);
    let at = ImfFixdate::new(LATER).unwrap();
    let sid = SetCookieBuilder::new("sid", "").path("/");
    // (cookie, its lifetime from NOW, or the error)
    let cases = [
        (sid.max_age(3600), Ok(3600)),
        (sid.expires(at), Ok(3600)),
        (sid.expires(at).max_age(60), Ok(60)),
        (sid.max_age(0), Ok(0)),
        (sid, Err(SignError::NoExpiry)),
    ];
    for (cookie, want) in cases {
        let mut out = [0u8; 64];
        let got = keys.sign_cookie(cookie, b"user=7", NOW, &mut out);
        let got = got.map(|signed| {
            let value = signed.value_str().unwrap().to_owned();
            assert_eq!(signed.value(""), cookie, "only the value changes");
            let mut buf = [0u8; 64];
            let expires = keys.verify("sid", value.as_bytes(), NOW - 1, &mut buf).unwrap().expires;
            assert_eq!(value, sign(&keys, "sid", b"user=7", expires), "what sign makes");
            expires - NOW
        });
        assert_eq!(got, want, "{cookie:?}");
    }
    // Signed for the cookie's own name: no other cookie takes it.
    let mut out = [0u8; 64];
    let signed = keys.sign_cookie(sid.max_age(60), b"u", NOW, &mut out).unwrap();
    let value = signed.value_str().unwrap().to_owned();
    assert_eq!(verify(&keys, "other", value.as_bytes(), NOW), Err(VerifyError::BadMac));
    let mut out = [0u8; 62];
    let short = keys.sign_cookie(sid.max_age(60), b"user=7", NOW, &mut out);
    assert_eq!(short, Err(SignError::BufferTooSmall { needed: 63 }));
}

#[test]
fn keys_rotate() {
    let before = Keys::new(KEY_1, &[]);
    let previous = [KEY_1];
    let rotated = Keys::new(KEY_2, &previous);
    let removed = Keys::new(KEY_2, &[]);
    let same_id = Keys::new(Key::new(1, SECRET_2), &[]);
    let old = sign(&before, "sid", b"u", LATER);
    let new = sign(&rotated, "sid", b"u", LATER);
    let sealed = seal(&before, "sid", b"u", LATER, 9);
    let cases: [(&str, &Keys, &str, Outcome); 6] = [
        ("old value, rotated keys", &rotated, &old, Ok((b"u".to_vec(), true))),
        ("new value, rotated keys", &rotated, &new, Ok((b"u".to_vec(), false))),
        ("old value, old key removed", &removed, &old, Err(VerifyError::UnknownKey)),
        ("new value, before the rotation", &before, &new, Err(VerifyError::UnknownKey)),
        ("old value, its id on another secret", &same_id, &old, Err(VerifyError::BadMac)),
        ("old value, the same keys", &before, &old, Ok((b"u".to_vec(), false))),
    ];
    for (what, keys, value, want) in cases {
        assert_eq!(verify(keys, "sid", value.as_bytes(), NOW), want, "{what}");
    }
    assert_eq!(open(&rotated, "sid", sealed.as_bytes(), NOW), Ok((b"u".to_vec(), true)));
    assert_eq!(open(&removed, "sid", sealed.as_bytes(), NOW), Err(VerifyError::UnknownKey));
}

#[test]
fn the_current_key_wins_over_a_previous_key_with_its_id() {
    let previous = [Key::new(2, SECRET_1)];
    let keys = Keys::new(KEY_2, &previous);
    let value = sign(&Keys::new(previous[0], &[]), "sid", b"u", LATER);
    assert_eq!(verify(&keys, "sid", value.as_bytes(), NOW), Err(VerifyError::BadMac));
}

#[test]
fn buffers_too_small_are_errors() {
    let keys = Keys::new(KEY_1, &[]);
    let needed = signed::signed_len(6);
    let mut out = vec![0; needed - 1];
    let want = Err(SignError::BufferTooSmall { needed });
    assert_eq!(keys.sign("sid", b"user=7", LATER, &mut out), want);
    let needed = signed::private_len(6);
    let mut out = vec![0; needed - 1];
    let fill = |_: &mut [u8]| Ok::<(), ()>(());
    let want = Err(SignError::BufferTooSmall { needed });
    assert_eq!(keys.seal_with("sid", b"user=7", LATER, fill, &mut out), want);
    let mut out = [0u8; CSRF_TOKEN_LEN - 1];
    let want = Err(SignError::BufferTooSmall { needed: CSRF_TOKEN_LEN });
    assert_eq!(keys.csrf_token(b"s", &mut out), want);

    // Verify needs the decoded length: 47 bytes for a value of 63 characters.
    let value = sign(&keys, "sid", b"user=7", LATER);
    let mut buf = [0u8; 47];
    assert!(keys.verify("sid", value.as_bytes(), NOW, &mut buf).is_ok());
    let err = keys.verify("sid", value.as_bytes(), NOW, &mut buf[..46]);
    assert_eq!(err, Err(VerifyError::TooLong));
}

#[test]
fn csrf_tokens_follow_the_session_and_the_keys() {
    let before = Keys::new(KEY_1, &[]);
    let previous = [KEY_1];
    let rotated = Keys::new(KEY_2, &previous);
    let removed = Keys::new(KEY_2, &[]);
    let mut out = [0u8; CSRF_TOKEN_LEN];
    let token = before.csrf_token(b"session", &mut out).unwrap().to_string();
    let cases: [(&str, &Keys, &[u8], &str, bool); 7] = [
        ("same key", &before, b"session", &token, true),
        ("rotated keys", &rotated, b"session", &token, true),
        ("key removed", &removed, b"session", &token, false),
        ("other session", &before, b"session2", &token, false),
        ("empty token", &before, b"session", "", false),
        ("token cut", &before, b"session", &token[..42], false),
        ("token longer", &before, b"session", &format!("{token}A"), false),
    ];
    for (what, keys, session, token, want) in cases {
        assert_eq!(keys.check_csrf_token(session, token.as_bytes()), want, "{what}");
    }
}

#[test]
fn debug_never_shows_the_secret() {
    let shown = format!("{:?}", Keys::new(KEY_1, &[KEY_2]));
    assert!(shown.contains("id: 1") && shown.contains("id: 2"), "{shown}");
    assert!(!shown.contains("development"), "{shown}");
}

#[test]
fn errors_read_as_text() {
    assert_eq!(
        SignError::BufferTooSmall { needed: 63 }.to_string(),
        "buffer too small: 63 bytes needed"
    );
    assert_eq!(SignError::Random.to_string(), "random source failed");
    assert_eq!(SignError::NoExpiry.to_string(), "cookie without Max-Age or Expires");
    let cases = [
        (VerifyError::TooLong, "value too long"),
        (VerifyError::BadEncoding, "bad encoding"),
        (VerifyError::UnknownKey, "unknown key"),
        (VerifyError::BadMac, "bad MAC"),
        (VerifyError::Expired, "expired"),
    ];
    for (err, text) in cases {
        assert_eq!(err.to_string(), text);
    }
}

proptest! {
    #[test]
    fn any_payload_that_fits_comes_back(
        name in "[!#-+.-9A-Z^-z|~]{0,16}",
        payload in proptest::collection::vec(any::<u8>(), 0..160),
        expires in 1..=i64::MAX,
        nonce in any::<u8>(),
    ) {
        let keys = Keys::new(KEY_1, &[]);
        let want = Ok((payload.clone(), false));
        let value = sign(&keys, &name, &payload, expires);
        prop_assert_eq!(verify(&keys, &name, value.as_bytes(), expires - 1), want.clone());
        let value = seal(&keys, &name, &payload, expires, nonce);
        prop_assert_eq!(open(&keys, &name, value.as_bytes(), expires - 1), want);
    }
}

#[test]
fn seal_takes_a_rand_core_rng() {
    let keys = Keys::new(KEY_1, &[]);
    let mut rng = rand_core::OsRng;
    let (mut a, mut b) = ([0u8; 80], [0u8; 80]);
    let a = keys.seal("sid", b"u", LATER, &mut rng, &mut a).unwrap();
    let b = keys.seal("sid", b"u", LATER, &mut rng, &mut b).unwrap();
    assert_ne!(a, b, "two nonces");
    assert_eq!(open(&keys, "sid", a.as_bytes(), NOW), Ok((b"u".to_vec(), false)));
}
