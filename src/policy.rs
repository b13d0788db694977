//! Cookie policies: which cookies a site uses, who provides each, what for, and
//! whether it needs the visitor's consent, as a fixed-capacity table that a
//! firmware keeps in flash or loads from a text it stores.
//!
//! # Rules and categories
//!
//! A [`Rule`] covers one cookie name, or every name starting with a prefix
//! ([`Pattern`]). It carries the provider, function, [`Location`] and purpose that a
//! published policy lists, a [`Category`] (necessary, preferences, statistics,
//! marketing), a [`Party`] (first or third), an `anonymised` flag for statistics,
//! and the [`RequiredAttributes`] the cookie must be set with. Whether a cookie needs
//! consent follows from category, party and anonymisation ([`Rule::requirement`])
//! and can be overridden per rule.
//!
//! # Classification
//!
//! [`Policy::classify`] finds the rule of a name: an exact rule if one exists,
//! else the longest prefix rule; no rule means the cookie is *undeclared*, and
//! [`Undeclared`] says whether it is blocked (the default) or allowed and reported.
//! Lookups never scan the table: an exact name is one binary search of the sorted
//! exact rules, and a name without an exact rule one more of the sorted prefix
//! rules, so the work grows with the logarithm of the table's size (see
//! `benches/classify.rs`).
//!
//! # Building a table
//!
//! - From a policy text, at compile time:
//!   [`compile_policy!`](crate::compile_policy!) reads the text into a `const` or
//!   `static` table, and a bad line fails the build with its number and fault (see [Compiled policies](#compiled-policies)).
//! - From [`Rule`]s, at compile time: [`Policy::from_rules`] sorts and checks them.
//! - From a text the device keeps: [`Policy::load_into`] fills a table in place
//!   (the one to use on a device, see [Memory](Policy#memory)), borrowing the
//!   text (every string of the table points into it), and fails on the first bad
//!   line; [`Policy::load_reporting_into`] keeps the good lines and reports every
//!   bad one. [`Policy::load`] and [`Policy::load_reporting`] return a new table.
//! - One rule at a time: [`Policy::insert`].
//!
//! Every refusal is a [`LoadError`]: its [`LoadErrorKind`] and its line. Reaching
//! the capacity is [`LoadErrorKind::CapacityExceeded`]; nothing is dropped silently.
//!
//! # The policy text
//!
//! One item per line; lines end with LF or CRLF; SP and HTAB around lines and
//! fields are ignored.
//!
//! - An empty line, or one whose first character is `#`, is skipped. A `#` later
//!   in a line is text (purposes hold URLs with fragments).
//! - `@revision N`: the policy revision, a decimal `u32` (0 if absent). A consent
//!   given for another revision is void.
//! - `@undeclared block` or `@undeclared report`: the [`Undeclared`] action
//!   (`block` if absent). Each directive may appear once.
//! - Any other line is a rule of up to seven fields separated by `|`; the first
//!   two are required, the others may be empty or left out:
//!
//! ```text
//! name | category [flags] | provider | function | location | purpose | attributes
//! ```
//!
//! | field | syntax |
//! | --- | --- |
//! | name | an RFC 6265 token; `text*` is a prefix; `"text"` is exact even if it ends in `*` (quote a name starting with `#` too) |
//! | category | `necessary`, `preferences`, `statistics` or `marketing` |
//! | flags | `anonymised`, `first-party` (default) or `third-party`, `consent=exempt` or `consent=required` |
//! | location | empty, `front`, `back` or `front+back` |
//! | attributes | `secure`, `httponly`, `samesite=strict\|lax\|none`, `max-age=N[s\|h\|d\|w\|y]`, `path=/…`, `domain=…`, `transport=tls\|http\|any` |
//!
//! Keywords are ASCII case-insensitive (directives and their values, categories,
//! flags, locations, attribute names, `samesite` values and lifetime units:
//! `@REVISION 2`, `FRONT`, `max-age=1H`); names and texts are kept as written. A
//! `max-age` counts seconds, or hours, days, weeks or 365-day years with a unit,
//! and is at least 1 second (`max-age=0` would delete each cookie as it is set).
//! Free texts cannot hold `|`, and attribute values cannot hold spaces.
//!
//! ```
//! use embedded_cookie::policy::{Category, Party, Policy, Requirement};
//!
//! let text = "\
//! ## Device web interface
//! @revision 4
//! session  | necessary                  | Acme   | Login    | back  | Keeps the admin logged in | secure httponly samesite=strict path=/
//! lang     | preferences                | Acme   | Language | front | Remembers the language    | max-age=1y
//! _pk_id.* | statistics anonymised      | Matomo | Audience | front | Anonymous visit counts    | max-age=13w
//! _ga_*    | statistics third-party     | Google | Audience | front | Visit statistics
//! ";
//! let policy = Policy::<16>::load(text)?;
//! let matomo = policy.classify(b"_pk_id.1.a3f2").unwrap();
//! assert_eq!(matomo.requirement(), Requirement::Exempt);
//! let ga = policy.classify(b"_ga_X1Y2").unwrap();
//! assert_eq!((ga.party, ga.requirement()), (Party::Third, Requirement::Required));
//! assert_eq!(policy.classify(b"lang").unwrap().category, Category::Preferences);
//! # Ok::<(), embedded_cookie::policy::LoadError>(())
//! ```
//!
//! # Compiled policies
//!
//! A firmware writes its policy once, as a text file, and compiles it into its
//! table: [`Policy::load`] is a `const fn`, so the text is read while the firmware
//! builds, by the same code that reads a text at run time.
//!
//! ```
//! use embedded_cookie::policy::{Category, Policy, Requirement};
//!
//! // On a device: `compile_policy!(include_str!("../device.policy"))`.
//! static POLICY: Policy<'static, 2> = embedded_cookie::compile_policy!("\
//! @revision 1
//! sessionid       | necessary                  | | Sign-in  | back       | | secure httponly samesite=lax max-age=2w path=/
//! django_language | preferences consent=exempt | | Language | front+back | | secure samesite=lax max-age=1y path=/
//! ");
//!
//! let language = POLICY.classify("django_language").unwrap();
//! assert_eq!(language.category, Category::Preferences);
//! assert_eq!(language.requirement(), Requirement::Exempt);
//! ```
//!
//! A bad line is a compile error naming its line and fault
//! (`evaluation panicked: cookie policy line 3: unknown category`, pointing at the
//! `compile_policy!` call), and a firmware that only uses compiled tables links no
//! loader: `scripts/footprint` fails a firmware build that does, and
//! `examples/panic-never` proves that no panic is reachable, the loader at run time
//! included.
//!
//! Why a `const fn` reader, rather than a proc macro in a companion crate or a
//! `build.rs` that writes `Rule`s:
//!
//! - *flash*: the same code (none) and the same table of [`Rule`]s; but a table's
//!   strings borrow the text, so the whole text is in flash beside it, comments and
//!   column padding included, where generated Rust would hold only the strings of
//!   the rules. In `examples/firmware`, whose `device.policy` is 1,664 bytes, that
//!   is 1,612 bytes of `.rodata` more than the same rules typed as `Rule`s
//!   (`scripts/footprint`); a firmware short of flash keeps its text terse.
//! - *compile time*: nothing to build first (a proc macro builds `syn` and its own
//!   crate, seconds on a cold build; a `build.rs` compiles and runs a host program).
//!   The `const` evaluator is slow, though: compiling the device app's 6 rules
//!   adds about 0.2 s to its build, 100 rules about 3 s, 200 about 9 s, and near
//!   500 rules the compiler stops with its `long_running_const_eval` lint (allow
//!   it on the item to go on). Compile the rules a device sets; load a large list
//!   such as the Open Cookie Database at run time.
//! - *error messages*: the `const` panic names the line and the fault, and points
//!   at the `compile_policy!` call that names the file; a proc macro could point
//!   into the text only when the text is written in the source, and a `build.rs`
//!   failure points at no source at all.
//! - *one reader*: a proc macro or a `build.rs` would hold a second reader, or link
//!   the crate into the build and still turn its table into Rust source; the `const
//!   fn` reader is the one [`Policy::load`] uses, so a text compiles exactly when it
//!   loads, into the same table.
//!
//! # Transport
//!
//! A device is often reached over plain `http` (`http://192.168.1.20/`,
//! `http://sensor.local/`), where anyone on the path reads every cookie and can
//! plant one, and where a browser keeps no `Secure` cookie. A cookie set over
//! plain `http` must never be trusted as the HTTPS one, so a rule says which
//! transports its cookies may be read and set on ([`Rule::transports`],
//! `transport=` in the text):
//!
//! - `transport=tls`: HTTPS only, the default for a rule that requires `secure`
//!   or whose name starts with `__Secure-` or `__Host-`;
//! - `transport=http`: plain `http` only, so that it never poses as an HTTPS
//!   cookie; `secure` is refused with it ([`LoadErrorKind::InvalidTransport`]),
//!   since a browser refuses `Secure` from plain `http`;
//! - `transport=any`: both, the default for the other rules; a rule with
//!   `secure` gets `Secure` over HTTPS and goes without it over plain `http`.
//!
//! `__Secure-` and `__Host-` names and `samesite=none` are HTTPS-only: a rule
//! allowing them on plain `http` is refused. The server says which transport a
//! request came over ([`Enforcer::over`](crate::enforce::Enforcer::over)).
//!
//! OpenWrt's LuCI does this: its session cookie is `sysauth_https`, `Secure`,
//! over HTTPS, and a distinct `sysauth_http` without it over plain `http`, both
//! `HttpOnly; SameSite=Strict`:
//!
//! ```
//! use embedded_cookie::policy::{Policy, Transports};
//!
//! let policy = Policy::<2>::load("\
//! sessionid_https | necessary | | Sign-in | back | Keeps the admin signed in over HTTPS | secure httponly samesite=strict transport=tls
//! sessionid_http  | necessary | | Sign-in | back | Keeps the admin signed in over http  | httponly samesite=strict transport=http
//! ")?;
//! assert_eq!(policy.classify("sessionid_http").unwrap().transports(), Transports::PlainHttp);
//! # Ok::<(), embedded_cookie::policy::LoadError>(())
//! ```

mod error;
mod rule;
mod table;
mod text;
mod transport;

pub use error::{LoadError, LoadErrorKind};
pub use rule::{
    Category, Location, Party, Pattern, RequiredAttributes, Requirement, Rule, Undeclared,
};
pub use table::Policy;
pub use transport::{Transport, Transports};

/// A policy text compiled into a table at compile time: a
/// [`Policy`](crate::policy::Policy) read by [`Policy::load`](crate::policy::Policy::load)
/// inside a `const` block, so that a bad line fails the build with its number and
/// its fault, and the firmware links no loader.
///
/// ```
/// use embedded_cookie::policy::{Category, Policy};
///
/// static POLICY: Policy<'static, 2> = embedded_cookie::compile_policy!("\
/// @revision 2
/// sid  | necessary   | | Sign-in  | back | Keeps the admin signed in | secure httponly samesite=strict path=/
/// lang | preferences | | Language | front | Remembers the language   | max-age=1y
/// ");
/// assert_eq!(POLICY.classify("lang").unwrap().category, Category::Preferences);
/// assert_eq!(POLICY.revision(), 2);
/// ```
///
/// A bad line is a compile error (`cookie policy line 2: unknown category`):
///
/// ```compile_fail,E0080
/// static POLICY: embedded_cookie::policy::Policy<'static, 2> =
///     embedded_cookie::compile_policy!("sid | necessary\nlang | tasty");
/// ```
#[macro_export]
macro_rules! compile_policy {
    ($text:expr) => {
        const {
            match $crate::policy::Policy::load($text) {
                ::core::result::Result::Ok(policy) => policy,
                ::core::result::Result::Err(e) => e.panic(),
            }
        }
    };
}
