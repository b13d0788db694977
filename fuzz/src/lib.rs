//! The invariants behind the fuzz targets of `embedded-cookie`, one module per entry
//! point. Each target hands the fuzzer's bytes to one `check` function here; a broken
//! invariant panics, which libFuzzer records as a crash together with its input.
//!
//! The checks assert what the library promises, not only that it returns: offsets
//! point at the bytes they name, values hold no `;` or control byte, a limit that is
//! reached is reported where it was reached, strict and lenient mode agree where both
//! accept, and written dates read back.

pub mod cookie_header;
pub mod cookie_writer;
pub mod date;
pub mod differential;
pub mod enforce;
pub mod head;
pub mod jar;
pub mod policy;
pub mod set_cookie;
pub mod set_cookie_build;
pub mod signed;

use embedded_cookie::Limits;

/// Limits lifted as far as `usize` goes.
pub const UNLIMITED: Limits =
    Limits { max_header_len: usize::MAX, max_pairs: usize::MAX, max_pair_len: usize::MAX };

/// SP or HTAB.
pub fn is_ows(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// Where `inner` starts within `outer`, if it is a non-empty subslice of it (an
/// empty slice may point anywhere).
pub fn offset_in(outer: &[u8], inner: &[u8]) -> Option<usize> {
    let start = (inner.as_ptr() as usize).checked_sub(outer.as_ptr() as usize)?;
    (start + inner.len() <= outer.len() || inner.is_empty()).then_some(start)
}
