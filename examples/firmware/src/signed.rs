//! Stateless sessions: the session cookie is a signed value holding the user and its
//! expiry, so the device keeps no session table and a session survives a restart.

use core::hint::black_box;

use embedded_cookie::SetCookieBuilder;
use embedded_cookie::signed::{self, Key, Keys, SignError, VerifyError};

use crate::checks::{Checks, check};

/// A development key, not for devices: a device keeps 32 random bytes of its own in
/// flash.
const KEY: Key<'static> = Key::new(1, b"development key: not for devices");
const NAME: &str = "sid";
const USER: &[u8] = b"user=admin";
/// The clock: Tue, 14 Nov 2023 22:13:20 GMT, in seconds since the Unix epoch.
const NOW: i64 = 1_700_000_000;
const SESSION_SECS: i64 = 3600;
/// The session cookie: its `Max-Age` is the lifetime signed into its value.
const SESSION: SetCookieBuilder<'static> =
    SetCookieBuilder::new(NAME, "").max_age(SESSION_SECS).path("/").http_only(true);

/// Signs `USER` into the session cookie at `NOW`, changes the character at `tamper`
/// if given (as a forger would), and verifies the value at `now`: whether it holds
/// `USER`.
// Not inlined, so `scripts/footprint` can measure its stack.
#[inline(never)]
fn session(now: i64, tamper: Option<usize>) -> Result<Result<bool, VerifyError>, SignError> {
    let keys = Keys::new(KEY, &[]);
    let mut value = [0u8; signed::signed_len(USER.len())];
    // The cookie to send (its value fills `value`: `signed_len` is its exact length).
    let cookie = keys.sign_cookie(SESSION, black_box(USER), NOW, &mut value)?;
    black_box(cookie);
    if let Some(c) = tamper.and_then(|at| value.get_mut(at)) {
        *c = if *c == b'A' { b'B' } else { b'A' };
    }
    let mut buf = [0u8; signed::SIGNED_OVERHEAD + USER.len()];
    let verified = keys.verify(NAME, black_box(&value), black_box(now), &mut buf);
    Ok(verified.map(|v| v.payload == USER))
}

/// The checks [`run`] makes.
pub const CHECKS: u32 = 3;

pub fn run(checks: &mut Checks) {
    checks.case(defmt::intern!("signed session cookie"));
    check!(checks, "signed session verifies", session(NOW + 60, None), Ok(Ok(true)));
    check!(
        checks,
        "expired session refused",
        session(NOW + SESSION_SECS, None),
        Ok(Err(VerifyError::Expired))
    );
    check!(checks, "changed session refused", session(NOW, Some(20)), Ok(Err(VerifyError::BadMac)));
}
