//! The app on an embassy-net firmware: one server task's accept loop, each connection
//! read through [`Filtered`](crate::Filtered). picoserve's own `listen_and_serve` takes
//! the socket itself, so it cannot wrap it; this is that loop with the wrapper.

use embassy_net::Stack;
use embassy_net::tcp::{self, TcpSocket};
use embassy_time::Duration;
use picoserve::Router;
use picoserve::routing::PathRouter;

use crate::{CONFIG, FilterError};

/// Why one connection ended early.
#[derive(Debug)]
pub enum ServeError {
    /// No connection was accepted.
    Accept(tcp::AcceptError),
    /// Serving the connection failed (a refused head is answered `400` first).
    Serve(picoserve::Error<FilterError<tcp::Error>>),
}

/// The buffers of one server task: TCP receive and send, and picoserve's head buffer
/// ([`HTTP_BUFFER`](crate::HTTP_BUFFER) bytes is what the app is tested with).
pub struct Buffers<'b> {
    /// The TCP receive buffer.
    pub rx: &'b mut [u8],
    /// The TCP send buffer.
    pub tx: &'b mut [u8],
    /// picoserve's request buffer.
    pub http: &'b mut [u8],
}

/// Accepts the next connection on `port` and serves `app` on it until it closes, with
/// picoserve's `listen_and_serve` settings (TCP keep-alive 30 s, timeout 45 s). A
/// server task calls it in a loop, logging the errors its board logs.
pub async fn serve_tcp(
    stack: Stack<'_>,
    port: u16,
    app: &Router<impl PathRouter>,
    buffers: &mut Buffers<'_>,
) -> Result<(), ServeError> {
    let mut socket = TcpSocket::new(stack, &mut *buffers.rx, &mut *buffers.tx);
    socket.accept(port).await.map_err(ServeError::Accept)?;
    socket.set_keep_alive(Some(Duration::from_secs(30)));
    socket.set_timeout(Some(Duration::from_secs(45)));
    // The app's policy fits the filter (a test in `filtered` checks it).
    let Ok(socket) = crate::Filtered::new(socket) else { return Ok(()) };
    let server = picoserve::Server::new(app, &CONFIG, &mut *buffers.http);
    server.serve(socket).await.map(drop).map_err(ServeError::Serve)
}
