//! The HTTP side of the device: requests as they come off the network, read with
//! `httparse`. This is the part a device server has with or without cookies, so the
//! footprint baseline keeps it.

use core::hint::black_box;

use httparse::{EMPTY_HEADER, Header, Status};

use crate::checks::{Checks, check};
use crate::requests;

/// Most header fields a request may have; more is a refused request.
pub const MAX_HEADERS: usize = 12;

/// One parsed request, borrowing the received bytes.
pub struct Request<'a> {
    headers: [Header<'a>; MAX_HEADERS],
    len: usize,
}

impl<'a> Request<'a> {
    /// Reads a complete request. `black_box` stands for the network: the compiler
    /// cannot see the bytes, so nothing of the cookie work is computed at build time.
    pub fn receive(raw: &'a [u8]) -> Option<Self> {
        let raw = black_box(raw);
        let mut headers = [EMPTY_HEADER; MAX_HEADERS];
        let mut request = httparse::Request::new(&mut headers);
        let Ok(Status::Complete(_)) = request.parse(raw) else { return None };
        let len = request.headers.len();
        Some(Self { headers, len })
    }

    /// The values of every field named `name` (case-insensitively), in order.
    pub fn fields<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'a [u8]> + 's {
        let headers = self.headers.get(..self.len).unwrap_or_default();
        headers.iter().filter(move |h| h.name.eq_ignore_ascii_case(name)).map(|h| h.value)
    }
}

/// Every request of the run parses as complete HTTP/1.1.
pub fn run(checks: &mut Checks) {
    checks.case(defmt::intern!("every request is complete HTTP/1.1"));
    let complete = requests::ALL.iter().filter(|raw| Request::receive(raw).is_some()).count();
    check!(checks, "requests read by httparse", complete, requests::ALL.len());
}
