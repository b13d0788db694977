//! `CookieWriter`: cookies pushed into a buffer read back as the same cookies.

use arbitrary::Arbitrary;
use embedded_cookie::{Config, CookieHeader, CookieWriteError, CookieWriter};

use crate::cookie_header::is_ctl;
use crate::{UNLIMITED, is_ows};

/// Cookies to push into a buffer of `buf_len` bytes.
#[derive(Arbitrary, Debug)]
pub struct Pushes<'a> {
    buf_len: u16,
    cookies: Vec<(&'a [u8], &'a [u8])>,
}

/// Accepted cookies are written `"; "`-joined and read back in order; a refused one
/// breaks the rule its error names and leaves the header as it was.
pub fn check(input: &Pushes<'_>) {
    let mut buf = vec![0u8; usize::from(input.buf_len)];
    let mut writer = CookieWriter::new(&mut buf);
    let mut accepted = Vec::new();
    for &(name, value) in &input.cookies {
        let before = writer.as_bytes().to_vec();
        match writer.push(name, value) {
            Ok(()) => accepted.push((name, value)),
            Err(e) => {
                assert_eq!(writer.as_bytes(), before, "a refused cookie changed the header");
                let bad = |part: &[u8], extra: u8| {
                    part.first().copied().is_some_and(is_ows)
                        || part.last().copied().is_some_and(is_ows)
                        || part.iter().any(|&b| b == b';' || b == extra || is_ctl(b))
                };
                match e {
                    CookieWriteError::InvalidName => {
                        assert!(bad(name, b'=') || (name.is_empty() && value.is_empty()))
                    }
                    // A nameless cookie is written as its value alone, so an `=` in it
                    // would make a name.
                    CookieWriteError::InvalidValue => {
                        assert!(bad(value, b';') || (name.is_empty() && value.contains(&b'=')))
                    }
                    CookieWriteError::BufferTooSmall { needed } => {
                        let sep = if before.is_empty() { 0 } else { 2 };
                        let eq = usize::from(!name.is_empty());
                        assert_eq!(needed, before.len() + sep + name.len() + eq + value.len());
                        assert!(needed > input.buf_len.into());
                    }
                    other => panic!("unexpected {other:?}"),
                }
            }
        }
    }
    let header = writer.as_bytes();
    assert_eq!(writer.len(), header.len());
    // Each cookie is one `"; "`-separated segment: `name=value`, or the value alone.
    let segments: Vec<Vec<u8>> = accepted
        .iter()
        .map(|(n, v)| if n.is_empty() { v.to_vec() } else { [n, &b"="[..], v].concat() })
        .collect();
    assert_eq!(header, segments.join(&b"; "[..]).as_slice());
    // A server reads the named cookies back; a nameless one, having no `=`, it skips.
    let parsed = CookieHeader::parse_with(header, &Config { limits: UNLIMITED, ..Config::new() })
        .expect("a written header was refused");
    let named = accepted.iter().copied().filter(|(n, _)| !n.is_empty());
    assert!(parsed.iter().map(|c| (c.name(), c.value())).eq(named));
}
