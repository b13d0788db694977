//! The request-head filter in front of the device's parser: a browser at the device's
//! LAN address brings other apps' cookies, and the filter passes on a head whose
//! `Cookie` fields hold only the cookies the policy declares, fed in the small chunks a
//! socket hands over, into the device's head buffer. A head two parsers could frame
//! differently is refused.

use core::hint::black_box;

use defmt::intern;
use embedded_cookie::head::{HeadError, HeadErrorKind, HeadFilter, Phase};

use crate::checks::{Checks, check};
use crate::policy::POLICY;

/// The filter of a new connection: a policy whose names do not fit the filter's
/// buffer fails the build.
const NEW: HeadFilter<'static, 'static, 5> = match HeadFilter::new(&POLICY) {
    Ok(filter) => filter,
    Err(_) => panic!("a name of the device policy is too long for the head filter"),
};

/// Bytes of the connection handed to the filter at a time.
const CHUNK: usize = 16;

/// A browser at the device's address with the cookies of the router that had it
/// before, over two `Cookie` fields.
const FOREIGN: &[u8] = b"GET /status HTTP/1.1\r\n\
    Host: 192.168.1.20\r\n\
    Cookie: _ga=GA1.1.1318465132; csrftoken=Xq3vT9kLw2; sysauth_http=0f3a9c; theme=dark\r\n\
    Accept: text/html\r\n\
    Cookie: _hjSession_3527418=eyJpZCI6IjkxZjAifQ==; sessionid=q8Zt2VwX4kLmN0pR\r\n\r\n";

/// What the device's parser reads of [`FOREIGN`].
const KEPT: &[u8] = b"GET /status HTTP/1.1\r\n\
    Host: 192.168.1.20\r\n\
    Cookie: csrftoken=Xq3vT9kLw2\r\n\
    Accept: text/html\r\n\
    Cookie: sessionid=q8Zt2VwX4kLmN0pR\r\n\r\n";

/// A body a server framing by `Content-Length` would read as a second request.
const SMUGGLED: &[u8] = b"POST /login HTTP/1.1\r\n\
    Content-Length: 5\r\n\
    Transfer-Encoding: chunked\r\n\r\n";

/// Filters `head`, fed [`CHUNK`] bytes at a time, into `buf`: the bytes written, as
/// many as fit.
///
/// Not inlined, so `scripts/footprint` can count the code it reaches and measure its
/// stack.
#[inline(never)]
pub fn filter<'b>(
    filter: &mut HeadFilter<'_, '_, 5>,
    head: &[u8],
    buf: &'b mut [u8],
) -> Result<&'b [u8], HeadError> {
    let mut written = 0;
    for mut chunk in black_box(head).chunks(CHUNK) {
        while !chunk.is_empty() {
            let Some(room @ [_, ..]) = buf.get_mut(written..) else { break };
            let progress = filter.filter(chunk, room)?;
            written += progress.written;
            chunk = chunk.get(progress.read..).unwrap_or_default();
        }
    }
    Ok(buf.get(..written).unwrap_or_default())
}

/// The checks [`run`] makes.
pub const CHECKS: u32 = 3;

/// Checks what the filter keeps of a head and that it refuses an ambiguous one.
pub fn run(checks: &mut Checks) {
    checks.case(intern!("request-head filter"));
    let mut buf = [0u8; 192];
    let mut connection = NEW;
    let got = filter(&mut connection, FOREIGN, &mut buf);
    check!(checks, "only declared cookies reach the parser", got, Ok(KEPT));
    let idle = connection.phase() == Phase::Idle;
    check!(checks, "ready for the next request", idle, true);
    let mut connection = NEW;
    let refused = filter(&mut connection, SMUGGLED, &mut buf).map(<[u8]>::len);
    let want = HeadError { kind: HeadErrorKind::TransferEncoding, offset: 41 };
    check!(checks, "Transfer-Encoding refused", refused, Err(want));
}
