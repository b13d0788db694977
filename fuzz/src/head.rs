//! `HeadFilter::filter`: a connection's bytes through the request-head filter.
//!
//! The first two bytes of the input choose the chunk size (1 to 64) and the output
//! room (1 to 64); the rest is the stream. Asserted:
//!
//! - fed in those chunks through that room, the filter writes what it writes for
//!   the whole stream at once, or refuses it with the same error;
//! - for a stream it accepts and that has no `Content-Length` (so no body), the
//!   complete lines other than `Cookie` fields pass unchanged, and the cookies of
//!   its `Cookie` fields are exactly those `CookieHeader::parse` (lenient, no
//!   limits) reads from the stream's `Cookie` fields and the policy declares.

use embedded_cookie::head::{HeadError, HeadFilter};
use embedded_cookie::policy::Policy;
use embedded_cookie::{Config, CookieHeader, Mode};

use crate::UNLIMITED;

/// Two exact names, a short one random bytes hit, and a prefix.
const POLICY: &str =
    "sessionid | necessary\ncsrftoken | necessary\na | necessary\n_pk_id.* | statistics";

const LENIENT: Config = Config { mode: Mode::Lenient, limits: UNLIMITED };

pub fn check(data: &[u8]) {
    let [chunk, room, stream @ ..] = data else { return };
    let (chunk, room) = (usize::from(chunk % 64) + 1, usize::from(room % 64) + 1);
    let policy = Policy::<4>::load(POLICY).expect("the policy loads");
    let whole = run(&policy, stream, stream.len().max(1), stream.len() * 2 + 64);
    assert_eq!(run(&policy, stream, chunk, room), whole, "chunking changed the output");
    let Ok(out) = whole else { return };
    if contains_ignoring_case(stream, b"content-length") {
        return;
    }
    let (lines_in, cookies_in) = lines_and_cookies(stream);
    let (lines_out, cookies_out) = lines_and_cookies(&out);
    assert_eq!(lines_out, lines_in, "a line other than a Cookie field changed");
    let declared: Vec<_> =
        cookies_in.into_iter().filter(|(name, _)| policy.classify(name).is_some()).collect();
    assert_eq!(cookies_out, declared, "the cookies kept are not the declared ones");
}

/// `stream` through a new filter, `chunk` bytes at a time into `room` bytes of
/// output, looping as the documented contract says.
fn run(
    policy: &Policy<'_, 4>,
    stream: &[u8],
    chunk: usize,
    room: usize,
) -> Result<Vec<u8>, HeadError> {
    let mut filter = HeadFilter::new(policy).expect("the policy's names fit");
    let mut out = vec![0; room];
    let mut got = Vec::new();
    for mut chunk in stream.chunks(chunk) {
        loop {
            let progress = filter.filter(chunk, &mut out)?;
            // The contract: with room in the output, a call reads or writes, unless
            // its input is empty and nothing is held.
            let idle = chunk.is_empty();
            assert!(progress.read > 0 || progress.written > 0 || idle, "a call made no progress");
            got.extend_from_slice(&out[..progress.written]);
            chunk = &chunk[progress.read..];
            if chunk.is_empty() && progress.written < room {
                break;
            }
        }
    }
    Ok(got)
}

fn contains_ignoring_case(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle))
}

type Pair = (Vec<u8>, Vec<u8>);

/// The complete lines of a stream of heads without bodies, read plainly: empty
/// lines between heads left out, and `Cookie` fields (not request lines) taken
/// apart into their cookies.
fn lines_and_cookies(stream: &[u8]) -> (Vec<&[u8]>, Vec<Pair>) {
    let mut pieces: Vec<&[u8]> = Vec::new();
    let mut rest = stream;
    while let Some(end) = rest.windows(2).position(|w| w == b"\r\n") {
        pieces.push(&rest[..end]);
        rest = &rest[end + 2..];
    }
    let (mut lines, mut cookies, mut in_head) = (Vec::new(), Vec::new(), false);
    for line in pieces {
        if !in_head {
            if !line.is_empty() {
                in_head = true;
                lines.push(line);
            }
            continue;
        }
        if line.is_empty() {
            in_head = false;
            lines.push(line);
            continue;
        }
        match line.iter().position(|&b| b == b':') {
            Some(colon) if line[..colon].eq_ignore_ascii_case(b"cookie") => {
                let header = CookieHeader::parse_with(&line[colon + 1..], &LENIENT)
                    .expect("an accepted Cookie field parses");
                cookies.extend(header.iter().map(|c| (c.name().to_vec(), c.value().to_vec())));
            }
            _ => lines.push(line),
        }
    }
    (lines, cookies)
}
