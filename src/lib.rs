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

mod class;
pub mod consent;
pub mod cookie;
pub mod cookie_writer;
pub mod date;
mod decimal;
pub mod enforce;
pub mod error;
mod grammar;
pub mod jar;
pub mod policy;
pub mod set_cookie;
#[cfg(feature = "signed")]
pub mod signed;
pub mod url;

pub use cookie::{Config, Cookie, CookieHeader, Iter, Limits, Mode};
pub use cookie_writer::{CookieWriteError, CookieWriter};
pub use error::{Error, ErrorKind};
pub use jar::{Jar, JarError};
pub use set_cookie::{BuildError, Ignored, Rules, SetCookie, SetCookieBuilder};
pub use url::Url;
