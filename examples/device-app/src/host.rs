//! The host build: the app on picoserve's tokio support, with a board whose LED
//! and log print to stdout. `cargo run --bin host -- PORT` serves it; the tests
//! start it with [`Running::start`].

extern crate std;

use std::boxed::Box;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::println;
use std::rc::Rc;
use std::thread::JoinHandle;
use std::time::{SystemTime, UNIX_EPOCH};

use core::convert::Infallible;

use embedded_hal::digital::{ErrorType, OutputPin};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

use embedded_cookie::enforce::Transport;

use crate::session::{Key, Keys, TOKEN_BYTES};
use crate::{App, Board, CONFIG, Event, Filtered, HTTP_BUFFER};

/// A status LED that prints when it changes and remembers its level.
#[derive(Debug, Default)]
pub struct PrintedLed {
    lit: bool,
}

impl PrintedLed {
    /// Whether the LED is lit.
    pub fn is_lit(&self) -> bool {
        self.lit
    }
}

impl ErrorType for PrintedLed {
    type Error = Infallible;
}

impl OutputPin for PrintedLed {
    fn set_low(&mut self) -> Result<(), Infallible> {
        self.lit = false;
        println!("LED off");
        Ok(())
    }

    fn set_high(&mut self) -> Result<(), Infallible> {
        self.lit = true;
        println!("LED on");
        Ok(())
    }
}

/// The host as a board: the OS's randomness and clock, stdout for the log.
#[derive(Debug, Default)]
pub struct Host {
    led: PrintedLed,
}

impl Host {
    /// Whether the status LED is lit.
    pub fn led_lit(&self) -> bool {
        self.led.is_lit()
    }
}

impl Board for Host {
    type Led = PrintedLed;

    fn led(&mut self) -> &mut PrintedLed {
        &mut self.led
    }

    fn random(&mut self) -> [u8; TOKEN_BYTES] {
        let mut bytes = [0; TOKEN_BYTES];
        // Without the OS's randomness no token would be safe: stop serving.
        #[allow(clippy::expect_used)]
        getrandom::fill(&mut bytes).expect("the OS random source");
        bytes
    }

    fn now(&self) -> i64 {
        let since = SystemTime::now().duration_since(UNIX_EPOCH);
        since.map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
    }

    fn log(&mut self, event: &Event<'_>) {
        println!("{event}");
    }
}

/// The host build's session key: a development key, written in the source, so
/// anyone can sign sessions with it. It is fixed so that sessions survive a restart of
/// the host build (as they survive a device's reboot while its key is kept); a device
/// never uses it, but keys 32 random bytes of its own (see [`App::new`]).
pub const DEVELOPMENT_KEY: Key<'static> =
    Key::new(1, b"device-app development key: not for devices");

/// The app's state on a new [`Host`], signing sessions with [`DEVELOPMENT_KEY`]. It
/// lives as long as the program, as a firmware's `static` does.
pub fn state() -> &'static App<Host> {
    Box::leak(Box::new(App::new(Host::default(), Keys::new(DEVELOPMENT_KEY, &[]))))
}

/// Serves the app on `listener` until accepting fails. Each connection is a task
/// on this thread, as each is a task of one executor on the firmware.
pub async fn serve(state: &'static App<Host>, listener: TcpListener) -> io::Result<()> {
    serve_until(state, listener, core::future::pending()).await
}

/// Serves the app on `listener` until `stop` completes (then the open connections are
/// dropped) or accepting fails.
pub async fn serve_until(
    state: &'static App<Host>,
    listener: TcpListener,
    stop: impl Future<Output = ()>,
) -> io::Result<()> {
    // The host build serves plain http, as a device at a LAN address does.
    let app = Rc::new(crate::app(state, Transport::PlainHttp));
    let accept = async move {
        loop {
            let (stream, _) = listener.accept().await?;
            let app = Rc::clone(&app);
            tokio::task::spawn_local(async move {
                let mut buffer = [0; HTTP_BUFFER];
                let served = match Filtered::new(stream) {
                    Ok(socket) => {
                        picoserve::Server::new_tokio(&app, &CONFIG, &mut buffer).serve(socket).await
                    }
                    Err(too_long) => return println!("connection: {too_long}"),
                };
                if let Err(e) = served {
                    println!("connection: {e}");
                }
            });
        }
    };
    tokio::task::LocalSet::new()
        .run_until(async move {
            tokio::select! {
                accepted = accept => accepted,
                () = stop => Ok(()),
            }
        })
        .await
}

/// Binds `127.0.0.1:port` (0: any free port).
pub async fn bind(port: u16) -> io::Result<TcpListener> {
    TcpListener::bind((Ipv4Addr::LOCALHOST, port)).await
}

/// The app served on a free port of 127.0.0.1 by a thread of its own, until dropped.
pub struct Running {
    /// Where it listens.
    pub addr: SocketAddr,
    /// Its state, to read the board.
    pub state: &'static App<Host>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<io::Result<()>>>,
}

impl Running {
    /// Starts the app.
    pub fn start() -> io::Result<Self> {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        let listener = runtime.block_on(bind(0))?;
        let addr = listener.local_addr()?;
        let state = state();
        let (stop, stopped) = oneshot::channel();
        let thread = std::thread::spawn(move || {
            // A dropped sender stops the server as a sent signal does.
            runtime.block_on(serve_until(state, listener, async {
                let _ = stopped.await;
            }))
        });
        Ok(Self { addr, state, stop: Some(stop), thread: Some(thread) })
    }
}

impl Drop for Running {
    /// Stops the server and waits for its thread: the port is closed on return.
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
