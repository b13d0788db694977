//! A streaming filter for HTTP/1.1 request heads: it stands between a connection
//! and a server's own parser (picoserve, or any), so that a server with a small
//! head buffer serves a browser that carries any number of cookies the site never
//! set.
//!
//! [`HeadFilter`] is sans-IO, like httparse: bytes in, bytes out. Feed it the
//! connection's bytes as they arrive, in chunks of any size, and hand what it
//! writes to the server. It writes the same stream, except that:
//!
//! - every `Cookie` field holds only the cookies the [`Policy`] declares
//!   ([`Policy::classify`] is `Some`), written `name=value` and joined by `; `
//!   after `Cookie: ` (the field name is written in that case whatever case it
//!   came in);
//! - a `Cookie` field left with no cookie is dropped whole (name, colon, CRLF);
//! - empty lines before a request line are dropped (RFC 9112 §2.2).
//!
//! Everything else (request lines, other fields, bodies) passes through as it
//! came, byte for byte.
//!
//! # Which cookies are kept
//!
//! Cookies are read as [`CookieHeader::parse`](crate::CookieHeader::parse) reads
//! them in lenient mode: a field is split on `;`, SP and HTAB around names and
//! values are trimmed, a segment without `=` or with an empty name is not a
//! cookie, and a name ends at its first `=`. Names match case-sensitively, as
//! everywhere in the crate.
//!
//! The filter keeps only declared cookies, also under a policy whose undeclared
//! cookies are allowed and reported ([`Undeclared::Report`]): it exists to bound
//! the head a browser sends, and undeclared cookies are what make it unbounded (a
//! LAN address is shared by every device that ever used it). A site that wants to
//! see undeclared cookies does not put the filter in front of its parser. Consent
//! is not the filter's business: [`Enforcer`](crate::enforce::Enforcer) decides
//! it later, on the cookies the filter kept.
//!
//! A cookie name is only read as far as a rule could match it: the filter holds
//! the name in a buffer of [`NAME_CAPACITY`] bytes and decides at its `=`. A
//! longer name is kept only if a prefix rule covers its first bytes. A policy
//! with a longer name or prefix is refused by [`HeadFilter::new`]
//! ([`NameTooLong`]): no name is ever compared cut short. A longer name kept by
//! a prefix rule is written as it streams in; if its segment turns out to hold
//! no `=`, it is no cookie, and stays in the field as a segment lenient parsers
//! skip.
//!
//! # What it refuses
//!
//! The filter stands before another parser, so it refuses every head that two
//! parsers could frame differently (RFC 9112 §6.3 and §11.2), with a
//! [`HeadError`]: its [`HeadErrorKind`] and the offset in the stream of the byte
//! where it was found. The server then answers `400 Bad Request` and closes the
//! connection, since where the next request starts is no longer known:
//!
//! - `Transfer-Encoding`, whatever its value: a server that frames by
//!   `Content-Length` only (picoserve does) would read a chunked body as the
//!   next request;
//! - a second `Content-Length`, or one that is not a decimal `u64`;
//! - a field line starting with SP or HTAB (obs-fold);
//! - a CR not followed by LF, and an LF without CR: the filter accepts CRLF
//!   only, so it never ends a line where the server does not;
//! - a control byte other than HTAB in a request line, field name or value;
//! - a field name that is not a token, or a field line without a colon;
//! - a request line longer than [`MAX_REQUEST_LINE`] bytes.
//!
//! After the empty line that ends a head, the body passes through unchanged, as
//! long as its `Content-Length` says (none if the field is absent); then the next
//! head on the connection is filtered.
//!
//! # Cost
//!
//! A filter is a few dozen bytes (its size is pinned by a test): the name buffer,
//! the stream offset, the body length and a few bytes of state, whatever the
//! size of the head. Each byte is looked at once, and each cookie name is
//! classified once.
//!
//! # Example
//!
//! A head fed three bytes at a time, through an output buffer of five bytes:
//!
//! ```
//! use embedded_cookie::head::HeadFilter;
//! use embedded_cookie::policy::Policy;
//!
//! let policy = Policy::<4>::load("sessionid | necessary")?;
//! let mut filter = HeadFilter::new(&policy)?;
//! let head = b"GET / HTTP/1.1\r\nHost: device.lan\r\n\
//!              Cookie: _ga=GA1.1.13; sessionid=s1; _gid=GA1.2.20\r\n\r\n";
//!
//! let mut server_sees = Vec::new();
//! let mut out = [0u8; 5];
//! for mut chunk in head.chunks(3) {
//!     // Call until the chunk is read and nothing is held back for output.
//!     loop {
//!         let progress = filter.filter(chunk, &mut out)?;
//!         server_sees.extend_from_slice(&out[..progress.written]);
//!         chunk = &chunk[progress.read..];
//!         if chunk.is_empty() && progress.written < out.len() {
//!             break;
//!         }
//!     }
//! }
//! assert_eq!(
//!     server_sees,
//!     b"GET / HTTP/1.1\r\nHost: device.lan\r\nCookie: sessionid=s1\r\n\r\n"
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! [`Undeclared::Report`]: crate::policy::Undeclared::Report

use core::fmt;

use crate::cookie::scan;
use crate::octets;
use crate::policy::Policy;

/// How many bytes of a cookie name the filter holds: a policy's names and
/// prefixes may be this long at most.
pub const NAME_CAPACITY: usize = 32;

/// The longest request line the filter passes, in bytes: the 8,000 octets RFC
/// 9112 §3 asks every recipient to support, rounded up.
pub const MAX_REQUEST_LINE: u64 = 8192;

/// Why a request head was refused. The server answers `400 Bad Request` and
/// closes the connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum HeadErrorKind {
    /// A `Transfer-Encoding` field, whatever its value: a server framing by
    /// `Content-Length` would read a chunked body as requests. At the first byte
    /// of the field name.
    TransferEncoding,
    /// A second `Content-Length` field in one head, even with the same value. At
    /// the first byte of the second field's name.
    DuplicateContentLength,
    /// A `Content-Length` that is not a decimal `u64` between optional
    /// whitespace: empty, a non-digit, a list, or too large. At the byte that
    /// broke it (the CR of an empty one).
    InvalidContentLength,
    /// A field line starting with SP or HTAB (obs-fold, RFC 9112 §5.2), or
    /// whitespace before the first field. At that byte.
    ObsFold,
    /// A CR not followed by LF. At the CR.
    BareCr,
    /// An LF not preceded by CR. At the LF.
    BareLf,
    /// A control byte other than HTAB (NUL included) in a request line, field
    /// name or value. At that byte.
    ControlByte,
    /// A field name that is not an RFC 9110 token, empty, or followed by
    /// whitespace before its colon, or a field line without a colon. At the byte
    /// that is not a token.
    InvalidFieldName,
    /// A request line longer than [`MAX_REQUEST_LINE`] bytes. At the first byte
    /// past the limit.
    RequestLineTooLong,
    /// More than 255 SP or HTAB in a row inside a kept cookie's name or value
    /// (not at its end): the filter holds a run of whitespace until it knows
    /// whether it is trailing, and holds at most 255. At the byte after the run.
    WhitespaceRunTooLong,
}

texts! {
    /// A short, stable description, e.g. `"bare CR"`.
    HeadErrorKind: display, error {
        Self::TransferEncoding => "Transfer-Encoding",
        Self::DuplicateContentLength => "duplicate Content-Length",
        Self::InvalidContentLength => "invalid Content-Length",
        Self::ObsFold => "folded field line",
        Self::BareCr => "bare CR",
        Self::BareLf => "bare LF",
        Self::ControlByte => "control byte",
        Self::InvalidFieldName => "invalid field name",
        Self::RequestLineTooLong => "request line too long",
        Self::WhitespaceRunTooLong => "whitespace run too long",
    }
}

/// A refused request head: the rule it broke, and the offset in the stream (bytes
/// since the filter was made, over every request of the connection) where.
///
/// ```
/// use embedded_cookie::head::{HeadErrorKind, HeadFilter};
/// use embedded_cookie::policy::Policy;
///
/// let policy = Policy::<1>::new(0);
/// let mut filter = HeadFilter::new(&policy)?;
/// let err = filter.filter(b"GET / HTTP/1.1\r\nHost: a\nX: b\r\n", &mut [0; 64]).unwrap_err();
/// assert_eq!((err.kind, err.offset), (HeadErrorKind::BareLf, 23));
/// assert_eq!(err.to_string(), "bare LF at 23");
/// # Ok::<(), embedded_cookie::head::NameTooLong>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct HeadError {
    /// The rule that was broken.
    pub kind: HeadErrorKind,
    /// The offset of the byte in the connection's stream.
    pub offset: u64,
}

impl fmt::Display for HeadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at {}", self.kind, self.offset)
    }
}

impl core::error::Error for HeadError {}

/// A policy whose longest name or prefix is longer than [`NAME_CAPACITY`]: the
/// filter could not tell that name from a longer one, so it refuses the policy.
///
/// ```
/// use embedded_cookie::head::{HeadFilter, NameTooLong};
/// use embedded_cookie::policy::Policy;
///
/// let policy = Policy::<1>::load("a_cookie_name_longer_than_32_bytes | necessary")?;
/// assert_eq!(HeadFilter::new(&policy).unwrap_err(), NameTooLong { len: 34 });
/// # Ok::<(), embedded_cookie::policy::LoadError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct NameTooLong {
    /// The length of the policy's longest name or prefix.
    pub len: usize,
}

impl fmt::Display for NameTooLong {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cookie name of {} bytes, more than {NAME_CAPACITY}", self.len)
    }
}

impl core::error::Error for NameTooLong {}

/// What one call of [`HeadFilter::filter`] did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Progress {
    /// Bytes of the input read: `input[..read]` is done with, the rest is the
    /// next call's.
    pub read: usize,
    /// Bytes written at the start of the output.
    pub written: usize,
}

/// Where the filter is in the connection's stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Phase {
    /// Between requests (before a request line, or in the empty lines before
    /// one), nothing held back: a connection may end here cleanly.
    Idle,
    /// Inside a request head, or holding bytes back for the output.
    Head,
    /// Inside a body, with this many bytes of it still to pass.
    Body {
        /// Bytes of the body not read yet.
        remaining: u64,
    },
}

/// Where the filter is; what each state holds is said beside it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
enum State {
    /// Before a request line; empty lines are dropped.
    Idle,
    /// The CR of an empty line before a request line: LF expected, dropped.
    IdleLf,
    /// A request line: `length` counts its bytes.
    RequestLine,
    /// The CR of the request line: LF expected.
    RequestLineLf,
    /// The start of a field line, or the empty line that ends the head.
    LineStart,
    /// A field name: `n` bytes read, `known` the names it may still be (a
    /// `cookie` candidate's bytes are held in `buf`).
    FieldName,
    /// The value of a field the filter passes whole.
    Value,
    /// The value of `Content-Length`, read into `length`.
    LengthValue,
    /// The CR of a passed field line: LF expected.
    LineLf,
    /// `Cookie`: before a cookie name (leading whitespace is dropped).
    Segment,
    /// A cookie name, `buf[..n]`.
    Name,
    /// A name that filled `buf`, then whitespace: the name is `buf` trimmed if
    /// `=` comes next, longer (and undeclared) if a name byte does.
    NameSpill,
    /// The rest of a kept name longer than `buf`, streamed; whitespace held
    /// (`n` bits of `buf`).
    NameTail,
    /// A kept cookie's value, before its first byte (whitespace dropped).
    ValueStart,
    /// A kept cookie's value, streamed; whitespace held (`n` bits of `buf`).
    CookieValue,
    /// A dropped segment, to its `;` or the end of the line.
    Skip,
    /// The CR of a `Cookie` field line: LF expected, then CRLF if a cookie was kept.
    CookieLf,
    /// The CR of the empty line ending the head: LF expected, then the body.
    HeadEndLf,
    /// A body: `length` bytes still to pass.
    Body,
    /// Refused: every call returns this error, at `offset`.
    Failed(HeadErrorKind),
}

const COOKIE: u8 = 1 << 0;
const CONTENT_LENGTH: u8 = 1 << 1;
const TRANSFER_ENCODING: u8 = 1 << 2;
/// The field names the filter reads, lowercase, each with its bit in `known`.
const FIELDS: [(u8, &[u8]); 3] = [
    (COOKIE, b"cookie"),
    (CONTENT_LENGTH, b"content-length"),
    (TRANSFER_ENCODING, b"transfer-encoding"),
];

/// `flags`: this `Cookie` field has a kept cookie (the next one is written after `; `).
const KEPT: u8 = 1 << 0;
/// `flags`: this head has a `Content-Length`.
const LENGTH_SEEN: u8 = 1 << 1;
/// `flags`: the `Content-Length` has a digit.
const DIGITS: u8 = 1 << 2;
/// `flags`: the `Content-Length` had whitespace after its digits.
const TRAILING: u8 = 1 << 3;
/// `flags`: the whitespace held in `buf` is longer than it can hold.
const SPILLED: u8 = 1 << 4;

/// `pending`: which literal comes first (the low two bits index [`LITERALS`]).
const LITERAL: u8 = 0b11;
/// `pending`: then `held` bytes of `buf`.
const HELD_BYTES: u8 = 1 << 2;
/// `pending`: then `held` whitespace bytes, one bit each in `buf` (set for HTAB).
const HELD_SPACE: u8 = 1 << 3;
/// `pending`: then `=`.
const EQUALS: u8 = 1 << 4;

const NO_LITERAL: u8 = 0;
const FIELD_START: u8 = 1;
const SEPARATOR: u8 = 2;
const CRLF: u8 = 3;
const LITERALS: [&[u8]; 4] = [b"", b"Cookie: ", b"; ", b"\r\n"];

/// Whether whole lines and whole cookies are read at once when they are all in the
/// input (`whole_line`, `whole_cookie`), beside the byte steps that read everything
/// else: on 64-bit targets only, where a server's throughput counts; on a
/// microcontroller their code (about 1 KiB on `thumbv7m`) would cost more flash than
/// the steps they save cost time. The output is the same.
const WHOLE: bool = cfg!(target_pointer_width = "64");

/// Most whitespace bytes held in a row: one bit each in `buf`, counted by a `u8`.
const MAX_HELD_SPACE: u8 = u8::MAX;

/// The streaming filter of one connection: see the [module docs](self).
///
/// It borrows the policy, holds at most one cookie name and a few counters, and
/// never allocates.
#[derive(Clone, Debug)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct HeadFilter<'p, 'a, const N: usize> {
    policy: &'p Policy<'a, N>,
    /// Bytes read since the filter was made; the offset of a refusal once failed.
    offset: u64,
    /// The request line's length, then the `Content-Length`, then the body left.
    length: u64,
    /// A held cookie name or field name, or held whitespace as bits.
    buf: [u8; NAME_CAPACITY],
    state: State,
    /// Bytes (or whitespace bits) held in `buf`; in a field name, its length.
    n: u8,
    /// The field names a field name may still be.
    known: u8,
    flags: u8,
    /// What is waiting for room in the output, in order: see [`LITERAL`].
    pending: u8,
    /// How many bytes of `pending` are written.
    pending_at: u8,
    /// How many bytes of `buf` (or whitespace bits) `pending` writes.
    held: u8,
}

/// The two ends of one call: the input and how much of it is read, the output and
/// how much of it is written.
struct Io<'i, 'o> {
    input: &'i [u8],
    read: usize,
    output: &'o mut [u8],
    written: usize,
}

impl<'i> Io<'i, '_> {
    fn rest(&self) -> &'i [u8] {
        self.input.get(self.read..).unwrap_or_default()
    }

    fn full(&self) -> bool {
        self.written >= self.output.len()
    }

    /// Writes as much of `bytes` as fits; returns how much did.
    fn put(&mut self, bytes: &[u8]) -> usize {
        // One byte is most calls: a store, not a call to `memcpy`.
        if let [b] = bytes {
            let Some(slot) = self.output.get_mut(self.written) else { return 0 };
            *slot = *b;
            self.written += 1;
            return 1;
        }
        let room = self.output.get_mut(self.written..).unwrap_or_default();
        let n = bytes.len().min(room.len());
        if let (Some(to), Some(from)) = (room.get_mut(..n), bytes.get(..n)) {
            to.copy_from_slice(from);
        }
        self.written += n;
        n
    }
}

/// A refusal found by a step: its kind, and the offset it is reported at.
type Refusal = (HeadErrorKind, u64);

impl<'p, 'a, const N: usize> HeadFilter<'p, 'a, N> {
    /// A filter for a new connection, keeping the cookies `policy` declares.
    /// Refuses a policy with a name or prefix longer than [`NAME_CAPACITY`].
    pub const fn new(policy: &'p Policy<'a, N>) -> Result<Self, NameTooLong> {
        let len = policy.longest_name();
        if len > NAME_CAPACITY {
            return Err(NameTooLong { len });
        }
        Ok(Self {
            policy,
            offset: 0,
            length: 0,
            buf: [0; NAME_CAPACITY],
            state: State::Idle,
            n: 0,
            known: 0,
            flags: 0,
            pending: 0,
            pending_at: 0,
            held: 0,
        })
    }

    /// Where the filter is: between requests, in a head, or in a body.
    pub const fn phase(&self) -> Phase {
        match self.state {
            State::Idle | State::IdleLf if self.pending == 0 => Phase::Idle,
            State::Body => Phase::Body { remaining: self.length },
            _ => Phase::Head,
        }
    }

    /// Bytes read since the filter was made, over every request of the connection.
    pub const fn offset(&self) -> u64 {
        self.offset
    }

    /// Reads `input` and writes the filtered stream into `output`.
    ///
    /// The call returns once all of `input` is read and everything held back
    /// for the output is written, or once `output` is full. Bytes that did not
    /// fit stay held and are written first by the next call (with more input or
    /// none). So each call with room in `output` reads or writes at least one
    /// byte, unless `input` is empty and nothing is held; call again with
    /// `input[progress.read..]` until it is read and `output` was not filled.
    ///
    /// A refused head is an error, and the filter stays refused: every later
    /// call returns the same error. What was written before belongs to the
    /// refused head: the server answers 400 and closes the connection.
    pub fn filter(&mut self, input: &[u8], output: &mut [u8]) -> Result<Progress, HeadError> {
        let mut io = Io { input, read: 0, output, written: 0 };
        loop {
            if let State::Failed(kind) = self.state {
                return Err(HeadError { kind, offset: self.offset });
            }
            if !self.drain(&mut io) || io.full() || io.read >= io.input.len() {
                return Ok(Progress { read: io.read, written: io.written });
            }
            if let Err((kind, offset)) = self.step(&mut io) {
                self.state = State::Failed(kind);
                self.offset = offset;
            }
        }
    }

    /// Writes what is held for the output; false if it did not all fit.
    fn drain(&mut self, io: &mut Io<'_, '_>) -> bool {
        while self.pending != 0 {
            let at = usize::from(self.pending_at);
            let literal = self.literal();
            let held = literal.len() + usize::from(self.held);
            // The literal and held name bytes as slices, the rest a byte at a time.
            let written = if let Some(rest @ [_, ..]) = literal.get(at..) {
                io.put(rest)
            } else if at < held && self.pending & HELD_SPACE == 0 {
                io.put(self.buf.get(at - literal.len()..held - literal.len()).unwrap_or_default())
            } else if let Some(b) = self.pending_byte(at) {
                io.put(&[b])
            } else {
                self.pending = 0;
                self.pending_at = 0;
                return true;
            };
            if written == 0 {
                return false;
            }
            self.pending_at += written as u8;
        }
        true
    }

    /// The literal that starts what is pending.
    fn literal(&self) -> &'static [u8] {
        LITERALS.get(usize::from(self.pending & LITERAL)).copied().unwrap_or_default()
    }

    /// Byte `i` of what is pending: the literal, the held bytes, then `=`.
    fn pending_byte(&self, i: usize) -> Option<u8> {
        let literal =
            LITERALS.get(usize::from(self.pending & LITERAL)).copied().unwrap_or_default();
        if let Some(&b) = literal.get(i) {
            return Some(b);
        }
        let i = i - literal.len();
        let held = usize::from(self.held);
        if i < held {
            return if self.pending & HELD_SPACE != 0 {
                Some(self.space_at(i))
            } else {
                self.buf.get(i).copied()
            };
        }
        (i == held && self.pending & EQUALS != 0).then_some(b'=')
    }

    /// Held whitespace byte `i`: HTAB if its bit is set, else SP.
    fn space_at(&self, i: usize) -> u8 {
        let bits = self.buf.get(i / 8).copied().unwrap_or_default();
        if bits >> (i % 8) & 1 == 1 { b'\t' } else { b' ' }
    }

    /// Holds one more whitespace byte, or marks the run too long to hold.
    fn hold_space(&mut self, b: u8) {
        if self.n == MAX_HELD_SPACE {
            self.flags |= SPILLED;
            return;
        }
        let i = usize::from(self.n);
        if let Some(bits) = self.buf.get_mut(i / 8) {
            let bit = 1 << (i % 8);
            *bits = if b == b'\t' { *bits | bit } else { *bits & !bit };
        }
        self.n += 1;
    }

    /// Before a non-whitespace byte of a kept name or value: writes the held
    /// whitespace, which was inside it. True if there was some (the byte waits).
    fn release_space(&mut self) -> Result<bool, Refusal> {
        if self.flags & SPILLED != 0 {
            return Err((HeadErrorKind::WhitespaceRunTooLong, self.offset));
        }
        if self.n == 0 {
            return Ok(false);
        }
        self.pend(NO_LITERAL | HELD_SPACE, self.n);
        self.n = 0;
        Ok(true)
    }

    /// Drops the held whitespace: it was trailing.
    fn drop_space(&mut self) {
        self.n = 0;
        self.flags &= !SPILLED;
    }

    fn pend(&mut self, pending: u8, held: u8) {
        self.pending = pending;
        self.pending_at = 0;
        self.held = held;
    }

    fn consume(&mut self, io: &mut Io<'_, '_>, n: usize) {
        io.read += n;
        self.offset += n as u64;
    }

    /// Passes `n` bytes of the input: as many as fit in the output.
    fn pass(&mut self, io: &mut Io<'_, '_>, n: usize) {
        let bytes = io.rest().get(..n).unwrap_or_default();
        let done = io.put(bytes);
        self.consume(io, done);
    }

    /// Reads one byte or one run of the input.
    fn step(&mut self, io: &mut Io<'_, '_>) -> Result<(), Refusal> {
        let rest = io.rest();
        let Some(&b) = rest.first() else { return Ok(()) };
        let at = self.offset;
        match self.state {
            State::Idle => match b {
                b'\r' => {
                    self.consume(io, 1);
                    self.state = State::IdleLf;
                }
                _ => {
                    self.length = 0;
                    self.flags = 0;
                    self.state = State::RequestLine;
                }
            },
            State::IdleLf => {
                self.expect_lf(b)?;
                self.consume(io, 1);
                self.state = State::Idle;
            }
            State::RequestLine => {
                let run = scan::split_at_control(rest).0.len();
                if run == 0 {
                    self.line_end(io, b, State::RequestLineLf)?;
                } else {
                    let left = MAX_REQUEST_LINE.saturating_sub(self.length);
                    if left == 0 {
                        return Err((HeadErrorKind::RequestLineTooLong, at));
                    }
                    let run = run.min(usize::try_from(left).unwrap_or(usize::MAX));
                    let before = io.read;
                    self.pass(io, run);
                    self.length += (io.read - before) as u64;
                }
            }
            State::RequestLineLf => {
                self.expect_lf(b)?;
                self.pass(io, 1);
                self.length = 0;
                self.state = State::LineStart;
            }
            State::LineStart => match b {
                b'\r' => {
                    self.pass(io, 1);
                    self.state = State::HeadEndLf;
                }
                b' ' | b'\t' => return Err((HeadErrorKind::ObsFold, at)),
                b'\n' => return Err((HeadErrorKind::BareLf, at)),
                _ if WHOLE && self.whole_line(io, rest) => {}
                _ => {
                    self.n = 0;
                    self.known = COOKIE | CONTENT_LENGTH | TRANSFER_ENCODING;
                    self.state = State::FieldName;
                }
            },
            // A name that cannot be `cookie` is not held: it passes as a run.
            State::FieldName if self.known & COOKIE == 0 => {
                let run = rest.iter().take_while(|&&b| octets::is_token(b)).count();
                if run == 0 {
                    self.field_name(io, b)?;
                } else {
                    let before = io.read;
                    self.pass(io, run);
                    for &b in rest.get(..io.read - before).unwrap_or_default() {
                        if self.known == 0 {
                            break;
                        }
                        self.match_field(b);
                    }
                }
            }
            State::FieldName => self.field_name(io, b)?,
            State::Value => {
                let run = scan::split_at_control(rest).0.len();
                if run == 0 {
                    self.line_end(io, b, State::LineLf)?;
                } else {
                    self.pass(io, run);
                }
            }
            State::LengthValue => self.length_value(io, b)?,
            State::LineLf => {
                self.expect_lf(b)?;
                self.pass(io, 1);
                self.state = State::LineStart;
            }
            State::Segment => match b {
                b' ' | b'\t' | b';' => {
                    let run = rest.iter().take_while(|&&b| matches!(b, b' ' | b'\t' | b';'));
                    self.consume(io, run.count());
                }
                b'=' => self.state = State::Skip,
                _ if octets::is_ctl(b) => self.cookie_line_end(io, b)?,
                _ if WHOLE && self.whole_cookie(io, rest) => self.state = State::Skip,
                _ => {
                    self.n = 0;
                    self.state = State::Name;
                }
            },
            State::Name => self.name(io, rest)?,
            State::NameSpill => match b {
                b' ' | b'\t' => self.consume(io, 1),
                b'=' => self.decide_at_equals(io),
                b';' => {
                    self.consume(io, 1);
                    self.state = State::Segment;
                }
                _ if octets::is_ctl(b) => self.cookie_line_end(io, b)?,
                _ => self.state = State::Skip,
            },
            State::NameTail => match b {
                b' ' | b'\t' => {
                    self.hold_space(b);
                    self.consume(io, 1);
                }
                b'=' => {
                    self.drop_space();
                    self.pass(io, 1);
                    self.state = State::ValueStart;
                }
                b';' => {
                    self.drop_space();
                    self.consume(io, 1);
                    self.state = State::Segment;
                }
                _ if octets::is_ctl(b) => {
                    self.drop_space();
                    self.cookie_line_end(io, b)?;
                }
                _ => {
                    if !self.release_space()? {
                        self.pass(io, 1);
                    }
                }
            },
            State::ValueStart => match b {
                b' ' | b'\t' => self.consume(io, 1),
                _ => {
                    self.drop_space();
                    self.state = State::CookieValue;
                }
            },
            State::CookieValue => self.cookie_value(io, rest)?,
            State::Skip => {
                let run = scan::split_at_segment_end::<true>(rest).0.len();
                if run > 0 {
                    self.consume(io, run);
                } else if b == b';' {
                    self.consume(io, 1);
                    self.state = State::Segment;
                } else {
                    self.cookie_line_end(io, b)?;
                }
            }
            State::CookieLf => {
                self.expect_lf(b)?;
                self.consume(io, 1);
                if self.flags & KEPT != 0 {
                    self.pend(CRLF, 0);
                }
                self.state = State::LineStart;
            }
            State::HeadEndLf => {
                self.expect_lf(b)?;
                self.pass(io, 1);
                self.state = if self.length == 0 { State::Idle } else { State::Body };
            }
            State::Body => {
                let run = rest.len().min(usize::try_from(self.length).unwrap_or(usize::MAX));
                let before = io.read;
                self.pass(io, run);
                self.length -= (io.read - before) as u64;
                if self.length == 0 {
                    self.state = State::Idle;
                }
            }
            State::Failed(kind) => return Err((kind, at)),
        }
        Ok(())
    }

    /// At the start of a field line: a line all in the input, to its CRLF, that
    /// is not one the filter reads is passed whole, if it fits the output; a
    /// `Cookie` field name whose colon is in the input starts its cookies. False
    /// if the byte steps must read the line.
    fn whole_line(&mut self, io: &mut Io<'_, '_>, rest: &[u8]) -> bool {
        let name = rest.iter().take_while(|&&b| octets::is_token(b)).count();
        let Some((field @ [_, ..], [b':', value @ ..])) = rest.split_at_checked(name) else {
            return false;
        };
        match FIELDS.iter().find(|(_, known)| known.eq_ignore_ascii_case(field)) {
            Some(&(COOKIE, _)) => {
                self.consume(io, name + 1);
                self.flags &= !KEPT;
                self.state = State::Segment;
                true
            }
            Some(_) => false,
            None => match scan::split_at_control(value) {
                (text, [b'\r', b'\n', ..]) => {
                    let len = name + 1 + text.len() + 2;
                    len <= io.output.len() - io.written && {
                        self.pass(io, len);
                        true
                    }
                }
                _ => false,
            },
        }
    }

    /// At the start of a cookie's name: a cookie all in the input, to its `;` or
    /// CR, whose name fits the buffer, is read at once. A declared one is written
    /// if it fits the output. True if it was read (the `;` or CR is next).
    fn whole_cookie(&mut self, io: &mut Io<'_, '_>, rest: &[u8]) -> bool {
        let (name, after) = scan::split_at_name_end::<true>(rest);
        let Some((b'=', value)) = after.split_first() else { return false };
        let (value, [_, ..]) = scan::split_at_segment_end::<true>(value) else { return false };
        // A value longer than the whitespace the byte steps hold may hold a run
        // they refuse: they read it.
        if name.len() > NAME_CAPACITY || value.len() > usize::from(MAX_HELD_SPACE) {
            return false;
        }
        let read = name.len() + 1 + value.len();
        let name = octets::trim_end(name);
        if self.policy.classify(name).is_some() {
            let value = octets::trim(value).1;
            let literal = if self.flags & KEPT == 0 { FIELD_START } else { SEPARATOR };
            let literal = LITERALS.get(usize::from(literal)).copied().unwrap_or_default();
            if literal.len() + name.len() + 1 + value.len() > io.output.len() - io.written {
                return false;
            }
            self.flags |= KEPT;
            for part in [literal, name, b"=", value] {
                io.put(part);
            }
        }
        self.consume(io, read);
        true
    }

    /// After a CR: anything but LF makes it a bare CR.
    fn expect_lf(&self, b: u8) -> Result<(), Refusal> {
        if b == b'\n' { Ok(()) } else { Err((HeadErrorKind::BareCr, self.offset - 1)) }
    }

    /// The control byte that ended a run of a passed line: CR (passed, then
    /// `lf`), or a refusal.
    fn line_end(&mut self, io: &mut Io<'_, '_>, b: u8, lf: State) -> Result<(), Refusal> {
        if b != b'\r' {
            return Err(control(b, self.offset));
        }
        self.pass(io, 1);
        self.state = lf;
        Ok(())
    }

    /// A control byte inside a `Cookie` field: CR ends the line, others are refused.
    fn cookie_line_end(&mut self, io: &mut Io<'_, '_>, b: u8) -> Result<(), Refusal> {
        if b != b'\r' {
            return Err(control(b, self.offset));
        }
        self.consume(io, 1);
        self.state = State::CookieLf;
        Ok(())
    }

    /// A field name, matched as it comes against the names the filter reads. A
    /// name that may still be `cookie` is held in `buf`: a `Cookie` field line is
    /// written only if a cookie is kept.
    fn field_name(&mut self, io: &mut Io<'_, '_>, b: u8) -> Result<(), Refusal> {
        let at = self.offset;
        let held = self.known & COOKIE != 0;
        if b == b':' {
            let len = usize::from(self.n);
            let field =
                FIELDS.iter().find(|(bit, name)| self.known & bit != 0 && name.len() == len);
            let name_at = at - u64::from(self.n);
            match field.map(|&(bit, _)| bit) {
                _ if len == 0 => return Err((HeadErrorKind::InvalidFieldName, at)),
                Some(TRANSFER_ENCODING) => return Err((HeadErrorKind::TransferEncoding, name_at)),
                Some(COOKIE) => {
                    self.consume(io, 1);
                    self.flags &= !KEPT;
                    self.state = State::Segment;
                    return Ok(());
                }
                Some(CONTENT_LENGTH) => {
                    if self.flags & LENGTH_SEEN != 0 {
                        return Err((HeadErrorKind::DuplicateContentLength, name_at));
                    }
                    self.flags = (self.flags | LENGTH_SEEN) & !(DIGITS | TRAILING);
                    self.length = 0;
                    self.state = State::LengthValue;
                }
                _ => self.state = State::Value,
            }
        } else if octets::is_token(b) {
            self.match_field(b);
        } else if octets::is_ctl(b) && b != b'\r' {
            return Err(control(b, at));
        } else {
            return Err((HeadErrorKind::InvalidFieldName, at));
        }
        if !held {
            self.pass(io, 1);
            return Ok(());
        }
        // The name was held as a possible `cookie`: hold this byte too, and write
        // them all once the name cannot be `cookie` any more (a `cookie` candidate
        // is at most six bytes, so `buf` has room).
        let before = usize::from(self.n) - usize::from(b != b':');
        if let Some(slot) = self.buf.get_mut(before) {
            *slot = b;
        }
        self.consume(io, 1);
        if self.known & COOKIE == 0 || b == b':' {
            self.pend(NO_LITERAL | HELD_BYTES, before as u8 + 1);
        }
        Ok(())
    }

    /// One more byte `b` of a field name: drops from `known` the names it cannot be.
    fn match_field(&mut self, b: u8) {
        let i = usize::from(self.n);
        let lower = b.to_ascii_lowercase();
        for (bit, field) in FIELDS {
            if field.get(i) != Some(&lower) {
                self.known &= !bit;
            }
        }
        self.n = self.n.saturating_add(1);
    }

    fn length_value(&mut self, io: &mut Io<'_, '_>, b: u8) -> Result<(), Refusal> {
        let at = self.offset;
        let invalid = Err((HeadErrorKind::InvalidContentLength, at));
        match b {
            b'0'..=b'9' => {
                if self.flags & TRAILING != 0 {
                    return invalid;
                }
                let Some(length) =
                    self.length.checked_mul(10).and_then(|l| l.checked_add(u64::from(b - b'0')))
                else {
                    return invalid;
                };
                self.length = length;
                self.flags |= DIGITS;
                self.pass(io, 1);
            }
            b' ' | b'\t' => {
                if self.flags & DIGITS != 0 {
                    self.flags |= TRAILING;
                }
                self.pass(io, 1);
            }
            b'\r' if self.flags & DIGITS != 0 => self.line_end(io, b, State::LineLf)?,
            b'\r' => return invalid,
            _ if octets::is_ctl(b) => return Err(control(b, at)),
            _ => return invalid,
        }
        Ok(())
    }

    /// A cookie name: held in `buf` up to its `=`, then decided.
    fn name(&mut self, io: &mut Io<'_, '_>, rest: &[u8]) -> Result<(), Refusal> {
        let run = scan::split_at_name_end::<true>(rest).0;
        if let [.., _] = run {
            let start = usize::from(self.n);
            let take = run.len().min(NAME_CAPACITY - start);
            if let (Some(to), Some(from)) = (self.buf.get_mut(start..start + take), run.get(..take))
            {
                to.copy_from_slice(from);
            }
            self.n += take as u8;
            self.consume(io, take);
            if let Some(&next) = run.get(take) {
                // A name byte past the buffer: the name is longer than any rule's
                // exact name, so only a prefix rule can cover it.
                if self.policy.has_prefix_rule_for(&self.buf) {
                    self.keep(NAME_CAPACITY as u8, 0);
                    self.n = 0;
                    self.flags &= !SPILLED;
                    self.state = State::NameTail;
                } else if octets::is_whitespace(next) {
                    self.state = State::NameSpill;
                } else {
                    self.state = State::Skip;
                }
            }
            return Ok(());
        }
        match rest.first() {
            Some(b'=') => self.decide_at_equals(io),
            Some(b';') => {
                self.consume(io, 1);
                self.state = State::Segment;
            }
            Some(&b) => self.cookie_line_end(io, b)?,
            None => {}
        }
        Ok(())
    }

    /// At the `=` after a name held in `buf[..n]`: keeps the cookie if the policy
    /// declares its name (trimmed), else skips it.
    fn decide_at_equals(&mut self, io: &mut Io<'_, '_>) {
        let name = self.buf.get(..usize::from(self.n)).unwrap_or_default();
        let name = octets::trim_end(name);
        let (declared, len) = (self.policy.classify(name).is_some(), name.len() as u8);
        self.consume(io, 1);
        if declared {
            self.keep(len, EQUALS);
            self.state = State::ValueStart;
        } else {
            self.state = State::Skip;
        }
    }

    /// Writes the start of a kept cookie: `Cookie: ` or `; `, the `held` name
    /// bytes of `buf`, and `then`.
    fn keep(&mut self, held: u8, then: u8) {
        let literal = if self.flags & KEPT == 0 { FIELD_START } else { SEPARATOR };
        self.flags |= KEPT;
        self.pend(literal | HELD_BYTES | then, held);
    }

    /// A kept cookie's value: runs without whitespace at their end are passed,
    /// whitespace is held until what follows says whether it was inside.
    fn cookie_value(&mut self, io: &mut Io<'_, '_>, rest: &[u8]) -> Result<(), Refusal> {
        let run = scan::split_at_segment_end::<true>(rest).0;
        match run {
            [] => match rest.first() {
                Some(b';') => {
                    self.drop_space();
                    self.consume(io, 1);
                    self.state = State::Segment;
                }
                Some(&b) => {
                    self.drop_space();
                    self.cookie_line_end(io, b)?;
                }
                None => {}
            },
            [b, ..] if octets::is_whitespace(*b) => {
                self.hold_space(*b);
                self.consume(io, 1);
            }
            _ => {
                if !self.release_space()? {
                    let body = octets::trim_end(run).len();
                    self.pass(io, body);
                }
            }
        }
        Ok(())
    }
}

/// The refusal of control byte `b`, found at `offset`.
fn control(b: u8, offset: u64) -> Refusal {
    let kind = if b == b'\n' { HeadErrorKind::BareLf } else { HeadErrorKind::ControlByte };
    (kind, offset)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::ToOwned;
    use std::vec::Vec;

    /// The policy of the tests: two exact names and a prefix.
    const POLICY: &str = "sessionid | necessary\ncsrftoken | necessary\n_pk_id.* | statistics";

    fn policy() -> Policy<'static, 4> {
        Policy::load(POLICY).unwrap()
    }

    /// Filters `input` fed `chunk` bytes at a time through an output of `room`
    /// bytes, as a caller following the documented contract does.
    fn run<const N: usize>(
        policy: &Policy<'_, N>,
        input: &[u8],
        chunk: usize,
        room: usize,
    ) -> Result<Vec<u8>, HeadError> {
        let mut filter = HeadFilter::new(policy).unwrap();
        let mut out = std::vec![0; room];
        let mut got = Vec::new();
        for mut chunk in input.chunks(chunk) {
            loop {
                let progress = filter.filter(chunk, &mut out)?;
                assert!(progress.read + progress.written > 0 || chunk.is_empty(), "no progress");
                got.extend_from_slice(&out[..progress.written]);
                chunk = &chunk[progress.read..];
                if chunk.is_empty() && progress.written < out.len() {
                    break;
                }
            }
        }
        Ok(got)
    }

    /// Filters `input` whole, then in every chunk size up to 7 through outputs of
    /// 1 to 5 bytes, and checks they all agree.
    fn filtered(input: &[u8]) -> Result<Vec<u8>, HeadError> {
        let policy = policy();
        let whole = run(&policy, input, input.len().max(1), 4096);
        for chunk in 1..8 {
            for room in 1..6 {
                assert_eq!(run(&policy, input, chunk, room), whole, "chunk {chunk}, room {room}");
            }
        }
        whole
    }

    /// One `#[test]` per row: `name: input => Ok(output) | Err(kind, offset)`.
    macro_rules! cases {
        ($($name:ident: $input:expr => $want:expr;)*) => {$(
            #[test]
            fn $name() {
                let want: Result<&[u8], (HeadErrorKind, u64)> = $want;
                let got = filtered($input);
                match (got, want) {
                    (Ok(got), Ok(want)) => assert_eq!(
                        got, want,
                        "{:?} != {:?}", String::from_utf8_lossy(&got), String::from_utf8_lossy(want)
                    ),
                    (Err(e), Err((kind, offset))) => assert_eq!((e.kind, e.offset), (kind, offset)),
                    (got, want) => panic!("got {got:?}, want {want:?}"),
                }
            }
        )*};
    }

    use HeadErrorKind::*;
    use std::string::String;
    cases! {
        // What passes unchanged.
        no_cookie_passes: b"GET /a;b?c HTTP/1.1\r\nHost: x\r\nAccept: */*; q=1\r\n\r\n"
            => Ok(b"GET /a;b?c HTTP/1.1\r\nHost: x\r\nAccept: */*; q=1\r\n\r\n");
        cookie_like_names_pass: b"GET / HTTP/1.1\r\nCook: 1\r\nCookies: 2\r\nCookie2: 3\r\nCo: 4\r\n\r\n"
            => Ok(b"GET / HTTP/1.1\r\nCook: 1\r\nCookies: 2\r\nCookie2: 3\r\nCo: 4\r\n\r\n");
        htab_in_value_passes: b"GET / HTTP/1.1\r\nX: a\tb\r\n\r\n" => Ok(b"GET / HTTP/1.1\r\nX: a\tb\r\n\r\n");
        empty_lines_before_request_dropped: b"\r\n\r\nGET / HTTP/1.1\r\n\r\n" => Ok(b"GET / HTTP/1.1\r\n\r\n");
        // Cookies: only the declared ones, `name=value` joined by `; `.
        foreign_cookies_dropped: b"GET / HTTP/1.1\r\nCookie: _ga=1; sessionid=s; _gid=2; csrftoken=t\r\nHost: x\r\n\r\n"
            => Ok(b"GET / HTTP/1.1\r\nCookie: sessionid=s; csrftoken=t\r\nHost: x\r\n\r\n");
        empty_field_dropped: b"GET / HTTP/1.1\r\nHost: x\r\nCookie: _ga=1; _gid=2\r\nAccept: */*\r\n\r\n"
            => Ok(b"GET / HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\n");
        field_without_cookie_dropped: b"GET / HTTP/1.1\r\nCookie:\r\nCookie:  \r\n\r\n" => Ok(b"GET / HTTP/1.1\r\n\r\n");
        field_name_any_case: b"GET / HTTP/1.1\r\ncookie: sessionid=1\r\nCOOKIE: csrftoken=2\r\ncOoKiE: x=3\r\n\r\n"
            => Ok(b"GET / HTTP/1.1\r\nCookie: sessionid=1\r\nCookie: csrftoken=2\r\n\r\n");
        cookie_names_case_sensitive: b"GET / HTTP/1.1\r\nCookie: SESSIONID=1; Sessionid=2; sessionid=3\r\n\r\n"
            => Ok(b"GET / HTTP/1.1\r\nCookie: sessionid=3\r\n\r\n");
        suffix_and_prefix_names_dropped: b"GET / HTTP/1.1\r\nCookie: evil_sessionid=1; sessionid2=2; session=3\r\n\r\n"
            => Ok(b"GET / HTTP/1.1\r\n\r\n");
        prefix_rule_keeps: b"GET / HTTP/1.1\r\nCookie: _pk_id.1.a3f=x; _pk_ses=1; _pk_id.=y\r\n\r\n"
            => Ok(b"GET / HTTP/1.1\r\nCookie: _pk_id.1.a3f=x; _pk_id.=y\r\n\r\n");
        // The leniencies of `CookieHeader::parse`, one a row.
        whitespace_trimmed: b"GET / HTTP/1.1\r\nCookie: \t sessionid \t= \ts 1\t ; csrftoken=t  \r\n\r\n"
            => Ok(b"GET / HTTP/1.1\r\nCookie: sessionid=s 1; csrftoken=t\r\n\r\n");
        missing_space_and_empty_pairs: b"GET / HTTP/1.1\r\nCookie: ;sessionid=1;; ;csrftoken=2;\r\n\r\n"
            => Ok(b"GET / HTTP/1.1\r\nCookie: sessionid=1; csrftoken=2\r\n\r\n");
        pair_without_equals_skipped: b"GET / HTTP/1.1\r\nCookie: sessionid; csrftoken=2\r\n\r\n"
            => Ok(b"GET / HTTP/1.1\r\nCookie: csrftoken=2\r\n\r\n");
        empty_name_skipped: b"GET / HTTP/1.1\r\nCookie: =sessionid; sessionid=1\r\n\r\n"
            => Ok(b"GET / HTTP/1.1\r\nCookie: sessionid=1\r\n\r\n");
        value_kept_raw: b"GET / HTTP/1.1\r\nCookie: sessionid=\"a=b, c\"; csrftoken=\"x\r\n\r\n"
            => Ok(b"GET / HTTP/1.1\r\nCookie: sessionid=\"a=b, c\"; csrftoken=\"x\r\n\r\n");
        empty_value_kept: b"GET / HTTP/1.1\r\nCookie: sessionid=; csrftoken= \r\n\r\n"
            => Ok(b"GET / HTTP/1.1\r\nCookie: sessionid=; csrftoken=\r\n\r\n");
        non_utf8_kept: b"GET / HTTP/1.1\r\nCookie: sessionid=\xff\x80\r\n\r\n"
            => Ok(b"GET / HTTP/1.1\r\nCookie: sessionid=\xff\x80\r\n\r\n");
        // Keep-alive: the body passes by its length, then the next head is filtered.
        keep_alive: b"POST /a HTTP/1.1\r\nContent-Length: 22\r\nCookie: _ga=1\r\n\r\nCookie: _ga=1\r\nX\0\n\r\n\
                      GET /b HTTP/1.1\r\ncontent-length:\t0 \r\nCookie: _ga=2; sessionid=s\r\n\r\n"
            => Ok(b"POST /a HTTP/1.1\r\nContent-Length: 22\r\n\r\nCookie: _ga=1\r\nX\0\n\r\n\
                    GET /b HTTP/1.1\r\ncontent-length:\t0 \r\nCookie: sessionid=s\r\n\r\n");
        // Framing refusals, at the byte named in `HeadErrorKind`.
        transfer_encoding: b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n" => Err((TransferEncoding, 17));
        transfer_encoding_with_length: b"POST / HTTP/1.1\r\nContent-Length: 5\r\ntransfer-encoding: x\r\n\r\n"
            => Err((TransferEncoding, 36));
        two_content_lengths: b"POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n"
            => Err((DuplicateContentLength, 36));
        content_length_list: b"POST / HTTP/1.1\r\nContent-Length: 5, 5\r\n\r\n" => Err((InvalidContentLength, 34));
        content_length_sign: b"POST / HTTP/1.1\r\nContent-Length: +5\r\n\r\n" => Err((InvalidContentLength, 33));
        content_length_empty: b"POST / HTTP/1.1\r\nContent-Length: \r\n\r\n" => Err((InvalidContentLength, 33));
        content_length_split: b"POST / HTTP/1.1\r\nContent-Length: 1 2\r\n\r\n" => Err((InvalidContentLength, 35));
        content_length_overflow: b"POST / HTTP/1.1\r\nContent-Length: 18446744073709551616\r\n\r\n"
            => Err((InvalidContentLength, 52));
        obs_fold: b"GET / HTTP/1.1\r\nX: a\r\n b\r\n\r\n" => Err((ObsFold, 22));
        space_before_first_field: b"GET / HTTP/1.1\r\n\tHost: x\r\n\r\n" => Err((ObsFold, 16));
        bare_cr_in_value: b"GET / HTTP/1.1\r\nX: a\rb\r\n\r\n" => Err((BareCr, 20));
        bare_cr_in_request_line: b"GET / HTTP/1.1\rX: a\r\n\r\n" => Err((BareCr, 14));
        bare_cr_in_cookie: b"GET / HTTP/1.1\r\nCookie: a=1\r\r\n\r\n" => Err((BareCr, 27));
        bare_cr_ending_head: b"GET / HTTP/1.1\r\n\rX" => Err((BareCr, 16));
        bare_lf_ending_line: b"GET / HTTP/1.1\r\nX: a\nY: b\r\n\r\n" => Err((BareLf, 20));
        bare_lf_ending_request_line: b"GET / HTTP/1.1\n\r\n" => Err((BareLf, 14));
        bare_lf_ending_head: b"GET / HTTP/1.1\r\n\n" => Err((BareLf, 16));
        bare_lf_in_cookie: b"GET / HTTP/1.1\r\nCookie: a=1\n\r\n" => Err((BareLf, 27));
        bare_lf_before_request: b"\nGET / HTTP/1.1\r\n\r\n" => Err((BareLf, 0));
        nul_in_value: b"GET / HTTP/1.1\r\nX: a\0b\r\n\r\n" => Err((ControlByte, 20));
        nul_in_field_name: b"GET / HTTP/1.1\r\nX\0: a\r\n\r\n" => Err((ControlByte, 17));
        nul_in_request_line: b"GET /\0 HTTP/1.1\r\n\r\n" => Err((ControlByte, 5));
        del_in_value: b"GET / HTTP/1.1\r\nX: \x7f\r\n\r\n" => Err((ControlByte, 19));
        nul_in_content_length: b"POST / HTTP/1.1\r\nContent-Length: 1\0\r\n\r\n" => Err((ControlByte, 34));
        // `sessi\0onid` never reaches the server as `sessionid`.
        nul_in_cookie_name: b"GET / HTTP/1.1\r\nCookie: sessi\0onid=1\r\n\r\n" => Err((ControlByte, 29));
        nul_in_cookie_value: b"GET / HTTP/1.1\r\nCookie: sessionid=1\0\r\n\r\n" => Err((ControlByte, 35));
        nul_in_dropped_cookie: b"GET / HTTP/1.1\r\nCookie: _ga=1\0\r\n\r\n" => Err((ControlByte, 29));
        field_name_not_token: b"GET / HTTP/1.1\r\nX(y): a\r\n\r\n" => Err((InvalidFieldName, 17));
        space_before_colon: b"GET / HTTP/1.1\r\nCookie : sessionid=1\r\n\r\n" => Err((InvalidFieldName, 22));
        empty_field_name: b"GET / HTTP/1.1\r\n: a\r\n\r\n" => Err((InvalidFieldName, 16));
        field_without_colon: b"GET / HTTP/1.1\r\nHost\r\n\r\n" => Err((InvalidFieldName, 20));
        second_request_refused_at_its_offset: b"GET / HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\nX: \0\r\n\r\n"
            => Err((ControlByte, 37));
    }

    #[test]
    fn request_line_is_bounded() {
        let mut line = b"GET /".to_vec();
        line.resize(MAX_REQUEST_LINE as usize, b'a');
        let policy = policy();
        let ok = [&line[..], b"\r\n\r\n"].concat();
        assert_eq!(run(&policy, &ok, 1000, 4096).unwrap(), ok);
        let long = [&line[..], b"a\r\n\r\n"].concat();
        let err = run(&policy, &long, 1000, 4096).unwrap_err();
        assert_eq!((err.kind, err.offset), (RequestLineTooLong, MAX_REQUEST_LINE));
    }

    /// The issue's measurement: the session among 300 foreign cookies in a 16 KiB
    /// header leaves a head whose `Cookie` field holds only the session.
    #[test]
    fn sixteen_kib_of_foreign_cookies() {
        let mut cookies: Vec<String> =
            (0..300).map(|i| std::format!("foreign_{i:03}={}", "v".repeat(42))).collect();
        cookies.insert(150, "sessionid=s3cr3t".into());
        let header = cookies.join("; ");
        assert!(header.len() >= 16 * 1024, "{}", header.len());
        let head = std::format!("GET / HTTP/1.1\r\nHost: device.lan\r\nCookie: {header}\r\n\r\n");
        for (chunk, room) in [(head.len(), 4096), (1, 1), (536, 64)] {
            let out = run(&policy(), head.as_bytes(), chunk, room).unwrap();
            assert_eq!(
                out,
                b"GET / HTTP/1.1\r\nHost: device.lan\r\nCookie: sessionid=s3cr3t\r\n\r\n"
            );
        }
    }

    /// `@undeclared report` allows undeclared cookies, but the filter still keeps
    /// only declared ones: they are what makes a head grow without bound.
    #[test]
    fn report_policy_keeps_only_declared_cookies() {
        let policy = Policy::<2>::load("@undeclared report\nsessionid | necessary").unwrap();
        let head = b"GET / HTTP/1.1\r\nCookie: _ga=1; sessionid=2\r\n\r\n";
        let out = run(&policy, head, head.len(), 256).unwrap();
        assert_eq!(out, b"GET / HTTP/1.1\r\nCookie: sessionid=2\r\n\r\n");
    }

    /// Names longer than the buffer: kept only under a prefix rule, never matched
    /// by an exact rule; a policy the buffer cannot decide is refused.
    #[test]
    fn long_names() {
        let long = "_pk_id.".to_owned() + &"x".repeat(60);
        let exact32 = "a".repeat(NAME_CAPACITY);
        let text = std::format!("_pk_id.* | statistics\n{exact32} | necessary");
        let policy = Policy::<2>::load(&text).unwrap();
        let cases: [(String, &str); 6] = [
            (std::format!("{long}=1; x{exact32}=2"), &*std::format!("{long}=1")),
            (std::format!("{long} \t x=1"), &*std::format!("{long} \t x=1")),
            (std::format!("{long}  =1  "), &*std::format!("{long}=1")),
            (std::format!("{exact32}  \t =1"), &*std::format!("{exact32}=1")),
            (std::format!("{exact32}  b=1; {exact32}b=2"), ""),
            (std::format!("{long}; a=1"), &*long),
        ];
        for (header, want) in cases {
            let head = std::format!("GET / HTTP/1.1\r\nCookie: {header}\r\n\r\n");
            let want = match want {
                "" => "GET / HTTP/1.1\r\n\r\n".to_owned(),
                kept => std::format!("GET / HTTP/1.1\r\nCookie: {kept}\r\n\r\n"),
            };
            for chunk in [1, 5, head.len()] {
                let out = run(&policy, head.as_bytes(), chunk, 7).unwrap();
                assert_eq!(String::from_utf8(out).unwrap(), want, "{header}");
            }
        }
        let wide = std::format!("{exact32}b | necessary");
        let policy = Policy::<1>::load(&wide).unwrap();
        assert_eq!(HeadFilter::new(&policy).unwrap_err(), NameTooLong { len: NAME_CAPACITY + 1 });
    }

    /// Whitespace inside a kept value is held until what follows says it was
    /// inside; more than the filter holds is refused, trailing whitespace of any
    /// length is dropped.
    #[test]
    fn whitespace_runs_in_kept_values() {
        let policy = policy();
        for (spaces, refused) in [(255, false), (256, true)] {
            let run_of = " \t".repeat(spaces / 2) + &" ".repeat(spaces % 2);
            let head = std::format!("GET / HTTP/1.1\r\nCookie: sessionid=a{run_of}b\r\n\r\n");
            let got = run(&policy, head.as_bytes(), 3, 5);
            if refused {
                let err = got.unwrap_err();
                assert_eq!((err.kind, err.offset), (WhitespaceRunTooLong, 35 + spaces as u64));
            } else {
                let want = std::format!("GET / HTTP/1.1\r\nCookie: sessionid=a{run_of}b\r\n\r\n");
                assert_eq!(got.unwrap(), want.as_bytes());
            }
            let trailing =
                std::format!("GET / HTTP/1.1\r\nCookie: sessionid=a{run_of}{run_of}\r\n\r\n");
            let got = run(&policy, trailing.as_bytes(), 3, 5).unwrap();
            assert_eq!(got, b"GET / HTTP/1.1\r\nCookie: sessionid=a\r\n\r\n");
        }
    }

    /// A refused filter stays refused; the phase tells head, body and between
    /// requests apart.
    #[test]
    fn phases_and_refusal_stick() {
        let policy = policy();
        let mut filter = HeadFilter::new(&policy).unwrap();
        let mut out = [0u8; 64];
        assert_eq!(filter.phase(), Phase::Idle);
        filter.filter(b"POST / HTTP/1.1\r\nContent-Length: 3\r\n", &mut out).unwrap();
        assert_eq!(filter.phase(), Phase::Head);
        filter.filter(b"\r\nab", &mut out).unwrap();
        assert_eq!(filter.phase(), Phase::Body { remaining: 1 });
        filter.filter(b"c", &mut out).unwrap();
        assert_eq!(filter.phase(), Phase::Idle);
        assert_eq!(filter.offset(), 41);
        let err = filter.filter(b"GET\0", &mut out).unwrap_err();
        assert_eq!(err, HeadError { kind: ControlByte, offset: 44 });
        assert_eq!(filter.filter(b"GET / HTTP/1.1\r\n\r\n", &mut out), Err(err));
        assert_eq!(filter.filter(b"", &mut out), Err(err));
    }

    /// Held bytes are written by the next call, even without input.
    #[test]
    fn held_bytes_wait_for_room() {
        let policy = policy();
        let mut filter = HeadFilter::new(&policy).unwrap();
        let head = b"GET / HTTP/1.1\r\nCookie: sessionid=1\r\n\r\n";
        let mut out = [0u8; 20];
        let p = filter.filter(head, &mut out).unwrap();
        assert_eq!((p, &out), (Progress { read: 34, written: 20 }, b"GET / HTTP/1.1\r\nCook"));
        let mut small = [0u8; 4];
        let p = filter.filter(b"", &mut small).unwrap();
        assert_eq!((p, &small), (Progress { read: 0, written: 4 }, b"ie: "));
        let p = filter.filter(b"", &mut out).unwrap();
        assert_eq!((p, &out[..10]), (Progress { read: 0, written: 10 }, &b"sessionid="[..]));
        assert_eq!(filter.phase(), Phase::Head);
    }

    /// The state of a connection, whatever its head: the goal is at most 64 bytes.
    #[test]
    fn state_is_small() {
        assert!(core::mem::size_of::<HeadFilter<'_, '_, 64>>() <= 64);
    }

    #[test]
    fn errors_display_kind_and_offset() {
        let e = HeadError { kind: TransferEncoding, offset: 17 };
        assert_eq!(std::format!("{e}"), "Transfer-Encoding at 17");
        assert_eq!(
            std::format!("{}", NameTooLong { len: 40 }),
            "cookie name of 40 bytes, more than 32"
        );
    }
}
