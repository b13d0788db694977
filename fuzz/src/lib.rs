//! The invariants behind the fuzz targets of `embedded-cookie`, one module per entry
//! point. Each target hands the fuzzer's bytes to one `check` function here; a broken
//! invariant panics, which libFuzzer records as a crash together with its input.
//!
//! The checks assert what the library promises, not only that it returns: offsets
//! point at the bytes they name, values hold no `;` or control byte, a limit that is
//! reached is reported where it was reached, strict and lenient mode agree where both
//! accept, and written dates read back.

pub mod cookie_header;
pub mod date;
pub mod differential;
