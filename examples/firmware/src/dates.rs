//! Cookie dates on a device with a real-time clock: when a session ends, written as an
//! IMF-fixdate for `Expires`, and `Expires` values read back the way browsers read them.

use core::hint::black_box;

use embedded_cookie::date::{self, DateError, IMF_FIXDATE_LEN, ImfFixdate};

use crate::checks::{Checks, check};

/// The clock: Tue, 14 Nov 2023 22:13:20 GMT, in seconds since the Unix epoch.
pub const NOW: i64 = 1_700_000_000;

/// How long a session lasts.
pub const SESSION_SECS: i64 = 3600;

// Not inlined, so `scripts/footprint` can measure their stack.
#[inline(never)]
fn fixdate(secs: i64) -> Result<[u8; IMF_FIXDATE_LEN], DateError> {
    ImfFixdate::new(black_box(secs)).map(ImfFixdate::to_bytes)
}

#[inline(never)]
fn parse(text: &[u8]) -> Result<i64, DateError> {
    date::parse_cookie_date(black_box(text))
}

/// The checks [`run`] makes.
pub const CHECKS: u32 = 6;

pub fn run(checks: &mut Checks) {
    checks.case(defmt::intern!("cookie dates"));
    check!(
        checks,
        "session end as IMF-fixdate",
        fixdate(NOW + SESSION_SECS),
        Ok(*b"Tue, 14 Nov 2023 23:13:20 GMT"),
    );
    check!(checks, "the epoch, for expiring", fixdate(0), Ok(*b"Thu, 01 Jan 1970 00:00:00 GMT"));
    check!(checks, "past year 9999", fixdate(date::MAX + 1), Err(DateError::OutOfRange));
    check!(
        checks,
        "IMF-fixdate read back",
        parse(b"Tue, 14 Nov 2023 23:13:20 GMT"),
        Ok(NOW + 3600)
    );
    check!(
        checks,
        "RFC 850 date, two-digit year",
        parse(b"Tuesday, 14-Nov-23 23:13:20 GMT"),
        Ok(NOW + 3600)
    );
    check!(checks, "31 April refused", parse(b"31 Apr 2023 00:00:00"), Err(DateError::InvalidDay));
}
