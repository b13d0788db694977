//! The HTTP side of the device: requests as they come off the network, read with
//! `httparse`. This is the part a device server has with or without cookies, so the
//! footprint baseline keeps it.

use core::hint::black_box;

use httparse::{EMPTY_HEADER, Header, Status};

use crate::checks::{Checks, check};
use crate::requests;

/// Most header fields a request may have; more is a refused request.
pub const MAX_HEADERS: usize = 12;

/// Room for the header fields of one request.
pub type Headers<'a> = [Header<'a>; MAX_HEADERS];

/// A new, empty [`Headers`].
pub const fn headers<'a>() -> Headers<'a> {
    [EMPTY_HEADER; MAX_HEADERS]
}

/// Reads a complete request into `storage` and returns its header fields. `black_box`
/// stands for the network: the compiler cannot see the bytes, so none of the cookie work
/// is computed at build time. Not inlined, so it is the same code with and without the
/// crate's work.
#[inline(never)]
pub fn receive<'h, 'a>(raw: &'a [u8], storage: &'h mut Headers<'a>) -> Option<&'h [Header<'a>]> {
    let mut request = httparse::Request::new(storage);
    let Ok(Status::Complete(_)) = request.parse(black_box(raw)) else { return None };
    Some(request.headers)
}

/// The checks [`run`] makes.
pub const CHECKS: u32 = 1;

/// Every request of the run parses as complete HTTP/1.1.
pub fn run(checks: &mut Checks) {
    checks.case(defmt::intern!("every request is complete HTTP/1.1"));
    let complete =
        requests::ALL.iter().filter(|raw| receive(raw, &mut headers()).is_some()).count();
    check!(checks, "requests read by httparse", complete, requests::ALL.len());
}
