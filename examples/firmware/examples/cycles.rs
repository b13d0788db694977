//! Instructions the crate's hot paths take on a Cortex-M or RISC-V, counted under QEMU by
//! `scripts/cycles`: each measured function below runs once on the benchmarks'
//! inputs, and the script counts the instructions QEMU executes from its entry to its
//! return (see BENCHMARKS.md). Each must return its known result on these inputs, or
//! the program exits with a status that names it and the script fails: a header
//! refused at its first bytes is fast, and its count is no figure.

#![no_std]
#![no_main]

use core::hint::black_box;
use core::panic::PanicInfo;

use defmt_semihosting as _;
use embedded_cookie::policy::{Category, Pattern, Policy, Rule};
use embedded_cookie::{CookieHeader, SetCookie};

// cortex-m (riscv) provides the critical section that defmt-semihosting takes.
#[cfg(target_arch = "arm")]
use cortex_m as _;
#[cfg(target_arch = "arm")]
use cortex_m_rt::entry;
#[cfg(target_arch = "riscv32")]
use riscv as _;
#[cfg(target_arch = "riscv32")]
use riscv_rt::entry;

/// The benchmarks' `typical` header: a browser on a Django site with analytics.
const COOKIE: &[u8] = b"_ga=GA1.1.1318465132.1732780812; _gid=GA1.2.2053428187.1732780812; _gat=1; \
_fbp=fb.1.1732780812345.1234567890; _hjSessionUser_3527418=eyJpZCI6ImY0YzJhNjE4LTdiNWQtNTVhZS05ZTNhLTBjMmQ4ZjE5YjZhNyIsImNyZWF0ZWQiOjE3MzI3ODA4MTIzNDV9; \
_hjSession_3527418=eyJpZCI6IjkxZjBhY2QyIn0=; sessionid=x9k2m4p7q1w3e5r8t0y6u2i4o7p9a1s3; \
csrftoken=Zq8WkL2mN5vB7xC1zA4sD6fG9hJ0kL3p; django_language=en; cookies_preferences=necessary%2Canalytics";

/// The benchmarks' `django` input: the four lines a Django back end sends at login.
const SET_COOKIE: [&[u8]; 4] = [
    b"sessionid=x9k2m4p7q1w3e5r8t0y6u2i4o7p9a1s3; expires=Sun, 13 Dec 2026 09:00:12 GMT; HttpOnly; Max-Age=1209600; Path=/; SameSite=Lax; Secure",
    b"csrftoken=Zq8WkL2mN5vB7xC1zA4sD6fG9hJ0kL3p; expires=Sun, 28 Nov 2027 09:00:12 GMT; Max-Age=31449600; Path=/; SameSite=Lax; Secure",
    b"django_language=en; expires=Mon, 29 Nov 2027 09:00:12 GMT; Max-Age=31536000; Path=/; SameSite=Lax",
    b"cookies_preferences=necessary%2Canalytics; expires=Mon, 29 Nov 2027 09:00:12 GMT; Max-Age=31536000; Path=/; SameSite=Lax",
];

/// What `measure_cookie_parse` returns: the bytes of every name and value, the
/// header's 422 less its nine `; ` separators and ten `=`.
const NAME_AND_VALUE_BYTES: usize = 394;

/// What `measure_classify` returns: `sessionid`, `csrftoken` and `django_language`,
/// the cookies the policy declares.
const DECLARED: usize = 3;

/// What `measure_set_cookie_parse` returns: the sum of the four `Expires` dates, in
/// seconds since the epoch (13 Dec 2026, 28 Nov 2027 and 29 Nov 2027 twice, 09:00:12).
const EXPIRES_SUM: i64 = 1_797_152_412 + 1_827_392_412 + 2 * 1_827_478_812;

/// Exit statuses of a wrong result, one per measured function (`scripts/cycles` names
/// them); 101 is a panic.
const WRONG_COOKIE_PARSE: i32 = 2;
const WRONG_CLASSIFY: i32 = 3;
const WRONG_SET_COOKIE_PARSE: i32 = 4;

/// A device's policy: the session, CSRF and language cookies.
static POLICY: Policy<'static, 3> = match Policy::from_rules(
    1,
    [
        Rule::new(Pattern::Exact("sessionid"), Category::Necessary),
        Rule::new(Pattern::Exact("csrftoken"), Category::Necessary),
        Rule::new(Pattern::Exact("django_language"), Category::Preferences),
    ],
) {
    Ok(policy) => policy,
    Err(_) => panic!("the policy is invalid"),
};

/// `CookieHeader::parse`, then every cookie's name and value: the benchmarks'
/// `embedded-cookie` contender.
#[inline(never)]
#[unsafe(no_mangle)]
fn measure_cookie_parse(header: &[u8]) -> usize {
    match CookieHeader::parse(header) {
        Ok(cookies) => cookies.iter().map(|c| black_box(c.name()).len() + c.value().len()).sum(),
        Err(_) => 0,
    }
}

/// The header parsed as above, and every cookie classified.
#[inline(never)]
#[unsafe(no_mangle)]
fn measure_classify(header: &[u8]) -> usize {
    match CookieHeader::parse(header) {
        Ok(cookies) => cookies.iter().filter(|c| POLICY.classify(c.name()).is_some()).count(),
        Err(_) => 0,
    }
}

/// `SetCookie::parse` of each line, which reads the `Expires` date.
#[inline(never)]
#[unsafe(no_mangle)]
fn measure_set_cookie_parse(lines: &[&[u8]]) -> i64 {
    lines.iter().filter_map(|line| SetCookie::parse(line).ok()).filter_map(|c| c.expires()).sum()
}

#[entry]
fn main() -> ! {
    if measure_cookie_parse(black_box(COOKIE)) != NAME_AND_VALUE_BYTES {
        semihosting::process::exit(WRONG_COOKIE_PARSE)
    }
    if measure_classify(black_box(COOKIE)) != DECLARED {
        semihosting::process::exit(WRONG_CLASSIFY)
    }
    if measure_set_cookie_parse(black_box(&SET_COOKIE)) != EXPIRES_SUM {
        semihosting::process::exit(WRONG_SET_COOKIE_PARSE)
    }
    semihosting::process::exit(0)
}

#[panic_handler]
fn panic(_: &PanicInfo) -> ! {
    semihosting::process::exit(101)
}
