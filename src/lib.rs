#![doc = include_str!("../README.md")]
#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)
)]
//! # Panic policy
//!
//! No function of this crate panics, whatever bytes it is given: library code has no
//! `unwrap`, `expect`, `panic!` or slice indexing (clippy denies them), and every
//! limit that input can reach is a typed error.

#[cfg(test)]
extern crate std;

#[macro_use]
mod texts;

pub mod consent;
pub mod cookie;
pub mod date;
mod decimal;
pub mod enforce;
pub mod jar;
mod octets;
pub mod policy;
mod punycode;
pub mod set_cookie;
#[cfg(feature = "signed")]
pub mod signed;

pub use cookie::{
    Config, Cookie, CookieError, CookieErrorKind, CookieHeader, CookieWriteError, CookieWriter,
    Cookies, Limits, Mode,
};
pub use jar::{Jar, JarError, Url};
pub use set_cookie::{BuildError, SetCookie, SetCookieBuilder, SetCookieError, Spec};
