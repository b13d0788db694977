//! A connection's socket behind the crate's request-head filter
//! ([`embedded_cookie::head`]), for any socket picoserve serves: embassy-net's TCP on
//! the firmware, tokio's on the host, and a TLS session alike.
//!
//! picoserve reads a request's head whole into the app's [`HTTP_BUFFER`]
//! (2,048 bytes), so a browser that carries other apps' cookies for the device's
//! address (cookies ignore ports, and a LAN address is reused by many devices) would
//! get `400` once they pass about 2 KB. [`Filtered`] passes picoserve the connection's
//! bytes with every `Cookie` field cut down to the cookies the device's policy
//! declares, as they arrive, in a few hundred bytes of its own: any number of foreign
//! cookies fit. It also refuses every head two parsers could frame differently
//! (`Transfer-Encoding`, which picoserve ignores; several or invalid
//! `Content-Length`; obs-fold; a bare CR or LF; a NUL or another control byte in a
//! field), which picoserve would otherwise read its own way: such a connection is
//! answered `400 Bad Request` and closed.
//!
//! ```text
//! let socket = Filtered::new(tcp_socket)?;
//! picoserve::Server::new(&app, &CONFIG, &mut http_buffer).serve(socket).await
//! ```
//!
//! [`HTTP_BUFFER`]: crate::HTTP_BUFFER

use core::fmt::{self, Write as _};

use embedded_cookie::head::{HeadError, HeadFilter, NameTooLong};
use picoserve::io::{BaseWrite as _, Error, ErrorKind, ErrorType, Read, Socket};
use picoserve::{Timeouts, Timer};

use crate::policy::{POLICY, RULES};

/// Bytes read from the socket at a time, before the filter: the whole of the filter's
/// memory of a connection with its own state (at most 64 bytes).
pub const RAW_BUFFER: usize = 256;

/// A socket whose reads pass through the request-head filter under the device's
/// [`POLICY`](crate::policy::POLICY).
pub struct Filtered<S> {
    socket: S,
    filter: HeadFilter<'static, 'static, RULES>,
    raw: Raw,
    refused: Option<HeadError>,
}

/// What was read from the socket and not yet filtered: `bytes[start..end]`.
struct Raw {
    bytes: [u8; RAW_BUFFER],
    start: usize,
    end: usize,
}

impl<S> Filtered<S> {
    /// `socket`, filtered from its first byte. Fails only if a name of the policy is
    /// longer than the filter can hold, which the app's test rules out.
    pub fn new(socket: S) -> Result<Self, NameTooLong> {
        let filter = HeadFilter::new(&POLICY)?;
        let raw = Raw { bytes: [0; RAW_BUFFER], start: 0, end: 0 };
        Ok(Self { socket, filter, raw, refused: None })
    }
}

/// An error of the socket, or the head the filter refused.
#[derive(Debug)]
pub enum FilterError<E> {
    /// The socket's own error.
    Io(E),
    /// The head was refused: the connection is answered `400` and closed.
    Refused(HeadError),
}

impl<E: fmt::Debug> fmt::Display for FilterError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Io(e) => write!(f, "socket: {e:?}"),
            Self::Refused(e) => write!(f, "request refused: {e}"),
        }
    }
}

impl<E: fmt::Debug> core::error::Error for FilterError<E> {}

impl<E: Error> Error for FilterError<E> {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::Io(e) => e.kind(),
            Self::Refused(_) => ErrorKind::InvalidData,
        }
    }
}

/// The read half: reads from the socket, gives picoserve what the filter passes.
pub struct FilteredRead<'a, R> {
    inner: R,
    filter: &'a mut HeadFilter<'static, 'static, RULES>,
    raw: &'a mut Raw,
    refused: &'a mut Option<HeadError>,
}

impl<R: Read> ErrorType for FilteredRead<'_, R> {
    type Error = FilterError<R::Error>;
}

impl<R: Read> Read for FilteredRead<'_, R> {
    async fn read(&mut self, buf: &mut [u8]) -> Result<usize, Self::Error> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            if let Some(refused) = *self.refused {
                return Err(FilterError::Refused(refused));
            }
            let unread = self.raw.bytes.get(self.raw.start..self.raw.end).unwrap_or_default();
            match self.filter.filter(unread, buf) {
                Ok(progress) => {
                    self.raw.start += progress.read;
                    if progress.written > 0 {
                        return Ok(progress.written);
                    }
                }
                Err(refused) => *self.refused = Some(refused),
            }
            if self.refused.is_none() {
                // With room to write and nothing written, the filter read all it had:
                // read more.
                self.raw.start = 0;
                self.raw.end =
                    self.inner.read(&mut self.raw.bytes).await.map_err(FilterError::Io)?;
                if self.raw.end == 0 {
                    return Ok(0);
                }
            }
        }
    }
}

impl<Runtime, S: Socket<Runtime>> Socket<Runtime> for Filtered<S> {
    type Error = FilterError<S::Error>;
    type ReadHalf<'a>
        = FilteredRead<'a, S::ReadHalf<'a>>
    where
        S: 'a;
    type WriteHalf<'a>
        = Unfiltered<S::WriteHalf<'a>>
    where
        S: 'a;

    fn split(&mut self) -> (Self::ReadHalf<'_>, Self::WriteHalf<'_>) {
        let (read, write) = self.socket.split();
        let read = FilteredRead {
            inner: read,
            filter: &mut self.filter,
            raw: &mut self.raw,
            refused: &mut self.refused,
        };
        (read, Unfiltered(write))
    }

    /// picoserve aborts a connection whose read failed: a refused head is answered
    /// `400 Bad Request` first, and the connection closed in order.
    async fn abort<T: Timer<Runtime>>(
        mut self,
        timeouts: &Timeouts,
        timer: &T,
    ) -> Result<(), picoserve::Error<Self::Error>> {
        let Some(refused) = self.refused else {
            return self.socket.abort(timeouts, timer).await.map_err(io_error);
        };
        let mut answer = heapless::String::<160>::new();
        let reason = refused.kind.as_str();
        // Within capacity: the longest reason is a few dozen bytes.
        let _ = write!(
            answer,
            "HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Type: text/plain\r\n\
             Content-Length: {}\r\n\r\n{reason}\n",
            reason.len() + 1
        );
        let sent = async {
            let (_, mut write) = self.socket.split();
            write.write_all(answer.as_bytes()).await?;
            write.flush().await
        };
        match timer.run_with_timeout(timeouts.write, sent).await {
            Ok(Ok(())) => self.socket.shutdown(timeouts, timer).await.map_err(io_error),
            Ok(Err(e)) => Err(picoserve::Error::Write(FilterError::Io(e))),
            Err(timeout) => Err(picoserve::Error::WriteTimeout(timeout)),
        }
    }

    async fn shutdown<T: Timer<Runtime>>(
        self,
        timeouts: &Timeouts,
        timer: &T,
    ) -> Result<(), picoserve::Error<Self::Error>> {
        self.socket.shutdown(timeouts, timer).await.map_err(io_error)
    }
}

/// The write half, as the socket's, with the filter's error type.
pub struct Unfiltered<W>(W);

impl<W: ErrorType> ErrorType for Unfiltered<W> {
    type Error = FilterError<W::Error>;
}

impl<W: picoserve::io::Write> picoserve::io::BaseWrite for Unfiltered<W> {
    async fn write(&mut self, buf: &[u8]) -> Result<usize, Self::Error> {
        self.0.write(buf).await.map_err(FilterError::Io)
    }

    async fn flush(&mut self) -> Result<(), Self::Error> {
        self.0.flush().await.map_err(FilterError::Io)
    }
}

impl<W: picoserve::io::Write> picoserve::io::Write for Unfiltered<W> {
    async fn write_with<F: FnOnce(picoserve::mem::BorrowedCursor<'_>) -> R, R>(
        &mut self,
        f: F,
    ) -> Result<R, Self::Error> {
        self.0.write_with(f).await.map_err(FilterError::Io)
    }
}

/// The socket's error as the filtered socket's.
fn io_error<E: Error>(e: picoserve::Error<E>) -> picoserve::Error<FilterError<E>> {
    match e {
        picoserve::Error::BadRequest => picoserve::Error::BadRequest,
        picoserve::Error::Read(e) => picoserve::Error::Read(FilterError::Io(e)),
        picoserve::Error::ReadTimeout(t) => picoserve::Error::ReadTimeout(t),
        picoserve::Error::Write(e) => picoserve::Error::Write(FilterError::Io(e)),
        picoserve::Error::WriteTimeout(t) => picoserve::Error::WriteTimeout(t),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_fits_the_filter() {
        assert!(Filtered::new(()).is_ok());
    }
}
