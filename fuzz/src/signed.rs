//! Signed and private values: arbitrary bytes are never accepted unless they are
//! exactly what a known key makes, and a value that was made comes back.

use base64ct::{Base64UrlUnpadded, Encoding};
use embedded_cookie::signed::{self, Key, Keys, NONCE_LEN, VerifyError};

const KEY_1: Key<'static> = Key::new(1, b"fuzzing key one, never a real one");
const KEY_2: Key<'static> = Key::new(2, b"fuzzing key two, never a real one");
const PREVIOUS: [Key<'static>; 1] = [KEY_1];
const NOW: u64 = 1_700_000_000;

/// `data` is a cookie name, 0xFF, then a value. The value is verified and opened as it
/// is (at three clocks), then signed and sealed as a payload, read back, and read
/// back again with one character changed.
pub fn check(data: &[u8]) {
    let (name, value) = match data.iter().position(|&b| b == 0xFF) {
        Some(at) => (data.get(..at).unwrap_or_default(), data.get(at + 1..).unwrap_or_default()),
        None => (&b"sid"[..], data),
    };
    let name = core::str::from_utf8(name).unwrap_or("sid");
    let keys = Keys::new(KEY_2, &PREVIOUS);
    for now in [0, NOW, u64::MAX] {
        check_value(&keys, name, value, now);
    }

    let mut out = vec![0; signed::signed_len(value.len())];
    let made = keys.sign(name, value, NOW + 1, &mut out).expect("sized buffer");
    let mut buf = vec![0; value.len() + signed::PRIVATE_OVERHEAD];
    let back = keys.verify(name, made.as_bytes(), NOW, &mut buf).expect("signed value");
    assert_eq!((back.payload, back.old_key, back.expires), (value, false, NOW + 1));
    assert_changed_is_refused(made, data.len(), |v, b| keys.verify(name, v, NOW, b).map(|_| ()));

    let mut out = vec![0; signed::private_len(value.len())];
    let nonce = |n: &mut [u8]| {
        n.fill(data.len() as u8);
        Ok::<(), ()>(())
    };
    let made = keys.seal_with(name, value, NOW + 1, nonce, &mut out).expect("sized buffer");
    let back = keys.open(name, made.as_bytes(), NOW, &mut buf).expect("sealed value");
    assert_eq!((back.payload, back.old_key, back.expires), (value, false, NOW + 1));
    assert_changed_is_refused(made, data.len(), |v, b| keys.open(name, v, NOW, b).map(|_| ()));
}

/// Verify and open of arbitrary bytes: an accepted value is unexpired and is exactly
/// what its key makes of what it holds, with the nonce it carries.
fn check_value(keys: &Keys, name: &str, value: &[u8], now: u64) {
    let mut buf = vec![0; value.len()];
    if let Ok(got) = keys.verify(name, value, now, &mut buf) {
        assert!(now < got.expires, "accepted an expired value");
        let key = if got.key_id == 1 { KEY_1 } else { KEY_2 };
        let mut out = vec![0; value.len()];
        let again = Keys::new(key, &[]).sign(name, got.payload, got.expires, &mut out);
        assert_eq!(again.map(str::as_bytes), Ok(value), "accepted a value no key signed");
    }
    if let Ok(got) = keys.open(name, value, now, &mut buf) {
        assert!(now < got.expires, "accepted an expired value");
        let payload = got.payload.to_vec();
        let mut raw = vec![0; value.len()];
        let raw = Base64UrlUnpadded::decode(value, &mut raw).expect("opened, so base64");
        let nonce = raw.get(1..1 + NONCE_LEN).expect("opened, so long enough").to_vec();
        let key = if got.key_id == 1 { KEY_1 } else { KEY_2 };
        let fill = |n: &mut [u8]| {
            n.copy_from_slice(&nonce);
            Ok::<(), ()>(())
        };
        let mut out = vec![0; value.len()];
        let again = Keys::new(key, &[]).seal_with(name, &payload, got.expires, fill, &mut out);
        assert_eq!(again.map(str::as_bytes), Ok(value), "accepted a value no key sealed");
    }
}

/// One character of `value`, chosen by `seed`, replaced by another base64 character:
/// never accepted.
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
