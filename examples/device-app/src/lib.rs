//! A device's web app, written once as `no_std` code and served by
//! [picoserve](https://docs.rs/picoserve): by a Cortex-M firmware on embassy-net, and by
//! the host build (`cargo run --bin host -- 8080`) on tokio. Every cookie is read,
//! classified, enforced and written through `embedded-cookie`, against the
//! [`policy::POLICY`] table in flash.
//!
//! The page renders that policy table and a consent banner with one choice per
//! category that needs consent (accept all, necessary only, or the choices ticked;
//! withdraw once answered), a sign-in form (user `admin`, password `admin`) that sets
//! the session (a signed value: see [`session`]; `sessionid` over plain http,
//! `__Host-sessionid` over HTTPS: see [`policy`]) and rotates `csrftoken`, a sign-out
//! that ends the session (a copy of the value no longer signs in: see
//! [`session::Sessions`]) and removes it from the browser, a language switch that sets
//! `django_language`, and a statistics beacon whose `_stats_id` is set only with
//! consent. Every POST passes the CSRF check ([`session::Sessions::csrf_ok`]). The
//! page also lists the cookies the app received, as it received them (a cookie the
//! policy does not declare would be marked "undeclared": the policy blocks them, so
//! none is ever listed). Everything the page writes is HTML-escaped.
//!
//! # Serving it
//!
//! The board gives the app randomness, the clock, the status LED and a log
//! ([`Board`]). The app's state, [`App`], lives for the program's lifetime; [`app`]
//! builds the picoserve router around it for one listener, with the [`Transport`] its
//! connections come over (the cookies depend on it). picoserve's router types cannot be
//! named on stable Rust, so build the router where it is served (in each server task),
//! and serve each connection's socket through [`Filtered`], so that foreign cookies
//! never fill the head buffer and ambiguous framing is refused:
//!
//! ```text
//! static APP: StaticCell<device_app::App<MyBoard>> = StaticCell::new();
//! // The session keys: 32 random bytes the device keeps, or draws at every boot.
//! let keys = Keys::new(Key::new(1, secret), &[]);
//! let state: &'static device_app::App<MyBoard> = APP.init(device_app::App::new(board, keys));
//! // in each server task:
//! let app = device_app::app(state, Transport::PlainHttp);
//! loop {
//!     let mut socket = TcpSocket::new(stack, &mut rx, &mut tx);
//!     socket.accept(80).await?;
//!     let socket = device_app::Filtered::new(socket)?;
//!     picoserve::Server::new(&app, &device_app::CONFIG, &mut http_buffer).serve(socket).await;
//! }
//! ```
#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)
)]

#[cfg(test)]
extern crate std;

use core::cell::RefCell;
use core::fmt;

use critical_section::Mutex;
pub use embedded_cookie::enforce::Transport;
use embedded_cookie::enforce::Verdict;
use embedded_hal::digital::OutputPin;
use picoserve::extract::Form;
use picoserve::routing::{PathRouter, get, post};
use picoserve::{Config, Router, Timeouts};

#[cfg(feature = "embassy")]
pub mod embassy;
mod filtered;
mod handlers;
#[cfg(feature = "host")]
pub mod host;
mod page;
pub mod policy;
mod reply;
mod request;
pub mod session;

pub use filtered::{FilterError, Filtered, FilteredRead, RAW_BUFFER, Unfiltered};
pub use reply::Reply;
pub use request::{MAX_COOKIE_HEADER, Visit};

use session::{Keys, Sessions, TOKEN_BYTES};

/// What the app needs from the device it runs on.
pub trait Board {
    /// The status LED: lit by a sign-in, put out by a sign-out, so it shows the last
    /// of the two on this device. The sessions are signed values in the browsers'
    /// cookies, so the device cannot tell whether anyone is still signed in: a sign-out
    /// in one browser puts it out while another stays signed in, and a session that
    /// expires leaves it lit.
    type Led: OutputPin;

    /// The status LED.
    fn led(&mut self) -> &mut Self::Led;

    /// Fresh random bytes for a session id, a CSRF token or a visit id. They must
    /// be unpredictable to a visitor: a hardware RNG, or a CSPRNG seeded from one.
    fn random(&mut self) -> [u8; TOKEN_BYTES];

    /// Seconds since the Unix epoch. The policy compares a `Set-Cookie`'s
    /// `Expires` with it; the app writes `Max-Age` only, which browsers count on
    /// their own clock, so a device without a real-time clock may give seconds
    /// since boot: the app's cookies then keep the lifetimes they are written with.
    fn now(&self) -> i64;

    /// Logs what the app decided (defmt on a firmware, stdout on the host).
    fn log(&mut self, event: &Event<'_>);
}

/// Something the app logs: a cookie decision or the session changing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event<'a> {
    /// A cookie of the request, and whether the app gets to see it.
    Received {
        /// The cookie's name, as sent.
        name: &'a [u8],
        /// The policy's verdict under the visitor's consent.
        verdict: Verdict,
    },
    /// A `Set-Cookie` the app wrote, and what the policy did with it.
    Sent {
        /// The cookie's name.
        name: &'a str,
        /// Allowed as written, hardened, or blocked (then not sent).
        verdict: Verdict,
    },
    /// A `Set-Cookie` the app could not write (longer than its buffer), not sent.
    NotWritten(&'static str),
    /// A sign-in (`true`) or a sign-out (`false`): the LED's new state (the last of
    /// them, not whether anyone is still signed in; see [`Board::Led`]).
    Session(bool),
}

impl fmt::Display for Event<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Received { name, verdict } => {
                write!(f, "request cookie {}: {verdict}", name.escape_ascii())
            }
            Self::Sent { name, verdict } => write!(f, "Set-Cookie {name}: {verdict}"),
            Self::NotWritten(why) => write!(f, "Set-Cookie not written: {why}"),
            Self::Session(true) => f.write_str("signed in: LED on"),
            Self::Session(false) => f.write_str("signed out: LED off"),
        }
    }
}

// The same lines as `Display`, with names as text rather than byte lists.
#[cfg(feature = "defmt")]
impl defmt::Format for Event<'_> {
    fn format(&self, f: defmt::Formatter<'_>) {
        match self {
            Self::Received { name, verdict } => {
                defmt::write!(f, "request cookie {=[u8]:a}: {}", name, verdict);
            }
            Self::Sent { name, verdict } => {
                defmt::write!(f, "Set-Cookie {=str}: {}", name, verdict)
            }
            Self::NotWritten(why) => defmt::write!(f, "Set-Cookie not written: {=str}", why),
            Self::Session(true) => defmt::write!(f, "signed in: LED on"),
            Self::Session(false) => defmt::write!(f, "signed out: LED off"),
        }
    }
}

/// The app's state: the board and the signed-in session, behind a critical
/// section so server tasks (or threads) can share it.
pub struct App<B> {
    device: Mutex<RefCell<Device<B>>>,
}

/// What the state holds.
struct Device<B> {
    board: B,
    sessions: Sessions,
}

impl<B: Board> App<B> {
    /// The app on `board`, signing sessions with `keys`.
    ///
    /// The keys are the board's: anyone who knows the current key can make a session
    /// for any user, so never give a key written in the source (the host build's
    /// `host::DEVELOPMENT_KEY` is for the host build only). Keep 32
    /// random bytes per device, or draw a new key at every boot when the clock
    /// restarts at boot (see [`session`]).
    pub const fn new(board: B, keys: Keys<'static>) -> Self {
        Self { device: Mutex::new(RefCell::new(Device { board, sessions: Sessions::new(keys) })) }
    }

    /// Runs `f` on the state. `f` never runs another `with`, so the `RefCell` is
    /// never borrowed twice.
    fn with<R>(&self, f: impl FnOnce(&mut B, &mut Sessions) -> R) -> R {
        critical_section::with(|cs| {
            let mut device = self.device.borrow_ref_mut(cs);
            let Device { board, sessions } = &mut *device;
            f(board, sessions)
        })
    }

    /// Runs `f` on the board, e.g. to read the LED from outside a request.
    pub fn board<R>(&self, f: impl FnOnce(&mut B) -> R) -> R {
        self.with(|board, _| f(board))
    }
}

/// Server settings for the app: persistent connections (a browser reuses them)
/// and the timeouts picoserve defaults to.
pub const CONFIG: Config = Config::new(Timeouts::const_default()).keep_connection_alive();

/// Bytes of the buffer picoserve reads a request into: the request line, the
/// headers (every `Cookie` field, blocked cookies included) and a form's body. A
/// request that does not fit is answered `400 Bad Request` by picoserve.
pub const HTTP_BUFFER: usize = 2048;

/// The app as one listener serves it: its state, and the transport its connections
/// come over, which only the server knows (its plain listener or its TLS one). The
/// cookies depend on it (see [`policy`]).
pub struct Served<B: 'static> {
    app: &'static App<B>,
    transport: Transport,
}

// Not derived: a derive would ask `B: Copy`, and only a reference is copied.
impl<B> Clone for Served<B> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<B> Copy for Served<B> {}

/// The app's routes, with their state still to give (see [`app`]).
pub fn router<B: Board + 'static>() -> Router<impl PathRouter<Served<B>>, Served<B>> {
    Router::new()
        .route("/", get(async |visit: Visit<B>| visit.page()))
        .route("/beacon", get(async |visit: Visit<B>| visit.beacon()))
        .route("/login", post(async |visit: Visit<B>, Form(form)| visit.login(&form)))
        .route("/logout", post(async |visit: Visit<B>, Form(form)| visit.logout(&form)))
        .route("/language", post(async |visit: Visit<B>, Form(form)| visit.language(&form)))
        .route("/consent", post(async |visit: Visit<B>, Form(form)| visit.consent(&form)))
}

/// The app serving `state` to connections that came over `transport`: give it to
/// `picoserve::Server`, with each connection's socket in a [`Filtered`].
pub fn app<B: Board + 'static>(
    state: &'static App<B>,
    transport: Transport,
) -> Router<impl PathRouter> {
    router().with_state(Served { app: state, transport })
}
