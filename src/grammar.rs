//! The nom core of the Cookie header grammars. Private: nothing of nom leaves this
//! module, and callers turn a short read into the crate's own [`Error`](crate::Error).
//!
//! Every parser here is a `complete` parser over `&[u8]` with `()` as its error, so
//! a failed branch costs nothing to build.
//!
//! The lenient reading has no grammar to speak of (a name ends at the first `=`, a
//! pair at `;`): it is two searches, word at a time, in [`class`].

use nom::bytes::complete::take_while;
use nom::{IResult, Parser};

use crate::class;

type Res<'a, O> = IResult<&'a [u8], O, ()>;

/// Strict scan: `cookie-name = token`, possibly empty (the caller reports that).
pub(crate) fn token(input: &[u8]) -> Res<'_, &[u8]> {
    take_while(class::is_token).parse(input)
}

/// Strict scan: `*cookie-octet`.
pub(crate) fn cookie_octets(input: &[u8]) -> Res<'_, &[u8]> {
    take_while(class::is_cookie_octet).parse(input)
}
