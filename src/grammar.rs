//! The nom core of the Cookie header grammars. Private: nothing of nom leaves this
//! module, and callers turn a short read into the crate's own [`Error`](crate::Error).
//!
//! Every parser here is a `complete` parser over `&[u8]` with `()` as its error, so
//! a failed branch costs nothing to build.

use nom::bytes::complete::{take_till, take_while};
use nom::{IResult, Parser};

use crate::class;

type Res<'a, O> = IResult<&'a [u8], O, ()>;

/// Lenient scan: the bytes up to the next `;` or control byte.
pub(crate) fn segment(input: &[u8]) -> Res<'_, &[u8]> {
    take_till(class::ends_segment).parse(input)
}

/// Strict scan: `cookie-name = token`, possibly empty (the caller reports that).
pub(crate) fn token(input: &[u8]) -> Res<'_, &[u8]> {
    take_while(class::is_token).parse(input)
}

/// Strict scan: `*cookie-octet`.
pub(crate) fn cookie_octets(input: &[u8]) -> Res<'_, &[u8]> {
    take_while(class::is_cookie_octet).parse(input)
}
