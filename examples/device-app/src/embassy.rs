//! The app on an embassy-net firmware: a server task's accept and its serving of one
//! connection, read through [`Filtered`](crate::Filtered). picoserve's own
//! `listen_and_serve` takes the socket itself, so it cannot wrap it; these are its two
//! halves, with the wrapper between them, for a plain TCP socket or a TLS session alike.
//!
//! ```text
//! let app = device_app::app(state, Transport::PlainHttp);
//! loop {
//!     match accept(stack, 80, &mut rx, &mut tx).await {
//!         Ok(socket) => serve(&app, &mut http, socket).await.unwrap_or_else(log),
//!         Err(error) => log(error),
//!     }
//! }
//! ```

use embassy_net::Stack;
use embassy_net::tcp::{AcceptError, TcpSocket};
use embassy_time::Duration;
use picoserve::io::Socket;
use picoserve::routing::PathRouter;
use picoserve::{EmbassyRuntime, Router};

use crate::{CONFIG, FilterError, Filtered};

/// Accepts the next connection on `port`, with picoserve's `listen_and_serve` settings
/// (TCP keep-alive 30 s, timeout 45 s).
pub async fn accept<'s>(
    stack: Stack<'s>,
    port: u16,
    rx: &'s mut [u8],
    tx: &'s mut [u8],
) -> Result<TcpSocket<'s>, AcceptError> {
    let mut socket = TcpSocket::new(stack, rx, tx);
    socket.accept(port).await?;
    socket.set_keep_alive(Some(Duration::from_secs(30)));
    socket.set_timeout(Some(Duration::from_secs(45)));
    Ok(socket)
}

/// Serves `app` on one connection until it closes, through the request-head filter: a
/// browser with any number of other apps' cookies for the device's address fits `http`
/// (picoserve's head buffer, [`HTTP_BUFFER`](crate::HTTP_BUFFER) bytes in the app's
/// tests), and a head two parsers could frame differently is answered `400`.
pub async fn serve<S: Socket<EmbassyRuntime>>(
    app: &Router<impl PathRouter>,
    http: &mut [u8],
    socket: S,
) -> Result<(), picoserve::Error<FilterError<S::Error>>> {
    // The app's policy fits the filter (a test in `filtered` checks it).
    let Ok(socket) = Filtered::new(socket) else { return Ok(()) };
    picoserve::Server::new(app, &CONFIG, http).serve(socket).await.map(drop)
}
