//! HTTPS: MbedTLS 3.6 (through `mbedtls-rs`) between embassy-net's TCP and picoserve.
//!
//! - **The key and certificate** are the device's own: the first HTTPS connection
//!   makes a P-256 key from the entropy pool and signs a certificate for it with it
//!   ([`credentials`]). Nothing secret is in the repository or the image, and a new
//!   key is made at every boot (the device has no flash it writes), so a browser
//!   warns of a new self-signed certificate after each reboot. A product instead
//!   provisions a key at manufacture, from its TRNG, kept in flash or a secure element,
//!   with a certificate from the maker's CA (as Shelly does) or one the owner installs;
//!   it can still fall back to a self-signed one like this for its first setup.
//! - **Randomness**: the handshakes and the key draw from [`entropy`](crate::entropy),
//!   a pool fed by the arrival times of Ethernet frames. Under QEMU those carry the
//!   host's scheduling jitter, little of it when the first connection comes in right
//!   after boot: enough to make every run's key differ, not enough to stand against
//!   someone who can predict or watch the frame timing. A device's key and handshakes
//!   take their randomness from its TRNG.
//! - **Bounds**: [`TLS_TASKS`] sessions at once (each its own server task; another
//!   connection waits in the TCP backlog or is reset), each with a 16 KiB incoming and
//!   a 4 KiB outgoing record buffer (the `ssl-out-content-len-4096` feature: the pages
//!   are written in smaller records; the incoming one stays 16 KiB, the most a browser
//!   may send in one record), all from a heap arena of [`HEAP`] bytes that only MbedTLS
//!   uses. The crate and the app allocate nothing. A handshake that finds the arena
//!   full fails, and that connection only is closed.

use core::alloc::{GlobalAlloc, Layout};
use core::cell::OnceCell;
use core::convert::Infallible;
use core::ffi::{c_int, c_void};
use core::mem::MaybeUninit;
use core::sync::atomic::{AtomicUsize, Ordering};

use embassy_net::tcp::{TcpReader, TcpSocket, TcpWriter};
use embedded_alloc::LlffHeap;
use mbedtls_rs::sys::{
    MBEDTLS_X509_CRT_VERSION_3, mbedtls_ecp_gen_key, mbedtls_ecp_group_id_MBEDTLS_ECP_DP_SECP256R1,
    mbedtls_md_type_t_MBEDTLS_MD_SHA256, mbedtls_pk_context, mbedtls_pk_free,
    mbedtls_pk_info_from_type, mbedtls_pk_init, mbedtls_pk_setup,
    mbedtls_pk_type_t_MBEDTLS_PK_ECKEY, mbedtls_pk_write_key_der, mbedtls_x509write_cert,
    mbedtls_x509write_crt_der, mbedtls_x509write_crt_free, mbedtls_x509write_crt_init,
    mbedtls_x509write_crt_set_basic_constraints, mbedtls_x509write_crt_set_issuer_key,
    mbedtls_x509write_crt_set_issuer_name, mbedtls_x509write_crt_set_md_alg,
    mbedtls_x509write_crt_set_serial_raw, mbedtls_x509write_crt_set_subject_key,
    mbedtls_x509write_crt_set_subject_name, mbedtls_x509write_crt_set_validity,
    mbedtls_x509write_crt_set_version,
};
use mbedtls_rs::{
    Certificate, Credentials, PrivateKey, ServerSessionConfig, SessionConfig, SessionError, X509,
};
use picoserve::io::{Read, Socket};
use picoserve::mem::{BorrowedBuffer, BorrowedCursor};

/// The port HTTPS is served on.
pub const HTTPS_PORT: u16 = 443;

/// TLS server tasks, each serving one session at a time: as many as a browser opens
/// to a host at once, so Chromium's parallel connections are all accepted.
pub const TLS_TASKS: usize = 6;

/// Bytes of the heap arena MbedTLS allocates from, for [`TLS_TASKS`] handshakes at once.
/// Measured with [`high_water`] (scripts/browser-firmware --https, 2026-12-06): a session
/// holds 28,913 B once its handshake is done (the two record buffers and its state); the
/// high-water mark is 29,751 B after one handshake alone, 57,153 B with two at once and
/// 166,761 B with six at once. The arena was sized when the two-at-once mark was taken
/// for one handshake's, so it holds about twice what six took; a smaller one wants the
/// marks of other clients than Chromium and Python first.
pub const HEAP: usize = 336 * 1024;

/// Bytes of the buffer that gathers a response into TLS records (see [`Halves`]).
const WRITE_BUFFER: usize = 1024;

/// The heap, and the most of it ever in use: the figure of the footprint table.
struct Heap {
    heap: LlffHeap,
    used: AtomicUsize,
    high_water: AtomicUsize,
}

#[global_allocator]
static ALLOCATOR: Heap =
    Heap { heap: LlffHeap::empty(), used: AtomicUsize::new(0), high_water: AtomicUsize::new(0) };

// SAFETY: every call goes to the linked-list heap, whose own `GlobalAlloc` is sound;
// the counters only observe.
unsafe impl GlobalAlloc for Heap {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract, passed on.
        let block = unsafe { self.heap.alloc(layout) };
        if !block.is_null() {
            let used = self.used.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            self.high_water.fetch_max(used, Ordering::Relaxed);
        }
        block
    }

    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        self.used.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: the caller's contract, passed on.
        unsafe { self.heap.dealloc(block, layout) }
    }
}

/// Gives the heap its arena. Call once, before the first TLS session.
pub fn init_heap() {
    static mut ARENA: [MaybeUninit<u8>; HEAP] = [MaybeUninit::uninit(); HEAP];
    // SAFETY: called once from `main`, before anything allocates; the arena is used by
    // nothing else.
    unsafe { ALLOCATOR.heap.init(&raw mut ARENA as usize, HEAP) }
}

/// Bytes of the heap in use at most so far.
pub fn high_water() -> usize {
    ALLOCATOR.high_water.load(Ordering::Relaxed)
}

/// Bytes of the heap in use now.
pub fn in_use() -> usize {
    ALLOCATOR.used.load(Ordering::Relaxed)
}

/// MbedTLS's random number generator: the entropy pool.
pub struct Rng;

impl rand_core::TryRng for Rng {
    type Error = Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        Ok(crate::entropy::next_u64() as u32)
    }

    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        Ok(crate::entropy::next_u64())
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        crate::entropy::fill(dst);
        Ok(())
    }
}

impl rand_core::TryCryptoRng for Rng {}

/// The C callback MbedTLS's key generation and signing call for random bytes.
unsafe extern "C" fn random(_: *mut c_void, out: *mut u8, len: usize) -> c_int {
    // SAFETY: MbedTLS passes a writable buffer of `len` bytes.
    crate::entropy::fill(unsafe { core::slice::from_raw_parts_mut(out, len) });
    0
}

/// The subject and issuer of the certificate (self-signed: the same).
const NAME: &core::ffi::CStr = c"CN=device.lan,O=embedded-cookie device";
/// The certificate's validity: the device has no real-time clock, so a fixed span that
/// covers any date it is used on (browsers ask no more of a self-signed certificate).
const NOT_BEFORE: &core::ffi::CStr = c"20250101000000";
const NOT_AFTER: &core::ffi::CStr = c"20491231235959";

/// Why the key or the certificate could not be made: MbedTLS's error code, and the step.
#[derive(Clone, Copy, Debug, defmt::Format)]
pub struct MakeError {
    /// The step that failed.
    pub step: &'static str,
    /// MbedTLS's (negative) error code.
    pub code: i32,
}

fn check(step: &'static str, code: c_int) -> Result<c_int, MakeError> {
    if code < 0 { Err(MakeError { step, code }) } else { Ok(code) }
}

/// The server's configuration, made at the first HTTPS connection (see [`credentials`]).
pub type Config = OnceCell<SessionConfig<'static>>;

/// The server's configuration in `config`, making the key and certificate if this is
/// the first connection. Runs to completion without awaiting, so two tasks never make
/// two keys.
pub fn server_config(config: &Config) -> Result<&SessionConfig<'static>, MakeError> {
    if let Some(config) = config.get() {
        return Ok(config);
    }
    let credentials = credentials()?;
    Ok(config.get_or_init(|| SessionConfig::Server(ServerSessionConfig::new(credentials))))
}

/// A new P-256 key from the entropy pool, and a certificate for it signed by it.
pub fn credentials() -> Result<Credentials<'static>, MakeError> {
    let mut key_der = [0u8; 160];
    let mut cert_der = [0u8; 640];
    let (key_len, cert_len) = {
        let mut pk = MaybeUninit::<mbedtls_pk_context>::uninit();
        let mut crt = MaybeUninit::<mbedtls_x509write_cert>::uninit();
        // SAFETY: the contexts are initialised by their `init` before any other call and
        // freed by their `free` after the last; every buffer is passed with its length.
        unsafe {
            mbedtls_pk_init(pk.as_mut_ptr());
            mbedtls_x509write_crt_init(crt.as_mut_ptr());
            let made = write(pk.as_mut_ptr(), crt.as_mut_ptr(), &mut key_der, &mut cert_der);
            mbedtls_x509write_crt_free(crt.as_mut_ptr());
            mbedtls_pk_free(pk.as_mut_ptr());
            made?
        }
    };
    // Both written at the end of their buffers.
    let key = key_der.get(key_der.len() - key_len..).unwrap_or_default();
    let cert = cert_der.get(cert_der.len() - cert_len..).unwrap_or_default();
    let certificate = Certificate::new(X509::DER(cert))
        .map_err(|_| MakeError { step: "certificate parse", code: 0 })?;
    let private_key =
        PrivateKey::new(X509::DER(key), None).map_err(|_| MakeError { step: "key parse", code: 0 });
    // The parsed key lives on in the heap; this copy of it does not.
    key_der.fill(0);
    core::hint::black_box(&key_der);
    Ok(Credentials { certificate, private_key: private_key? })
}

/// Makes the key in `pk` and the certificate in `crt`, and writes them (DER, at the end
/// of each buffer); their lengths.
///
/// # Safety
/// `pk` and `crt` are initialised contexts.
unsafe fn write(
    pk: *mut mbedtls_pk_context,
    crt: *mut mbedtls_x509write_cert,
    key_der: &mut [u8],
    cert_der: &mut [u8],
) -> Result<(usize, usize), MakeError> {
    let mut serial = [0u8; 16];
    crate::entropy::fill(&mut serial);
    // A positive serial number: the top bit clear.
    serial[0] &= 0x7f;
    // SAFETY: the caller's contexts; the names are NUL-terminated; the buffers are
    // passed with their lengths.
    unsafe {
        let info = mbedtls_pk_info_from_type(mbedtls_pk_type_t_MBEDTLS_PK_ECKEY);
        check("key setup", mbedtls_pk_setup(pk, info))?;
        let keypair = (*pk).private_pk_ctx.cast();
        let p256 = mbedtls_ecp_group_id_MBEDTLS_ECP_DP_SECP256R1;
        check("key", mbedtls_ecp_gen_key(p256, keypair, Some(random), core::ptr::null_mut()))?;
        mbedtls_x509write_crt_set_version(crt, MBEDTLS_X509_CRT_VERSION_3 as c_int);
        mbedtls_x509write_crt_set_md_alg(crt, mbedtls_md_type_t_MBEDTLS_MD_SHA256);
        mbedtls_x509write_crt_set_subject_key(crt, pk);
        mbedtls_x509write_crt_set_issuer_key(crt, pk);
        check("serial", mbedtls_x509write_crt_set_serial_raw(crt, serial.as_mut_ptr(), 16))?;
        check("names", mbedtls_x509write_crt_set_subject_name(crt, NAME.as_ptr()))?;
        check("names", mbedtls_x509write_crt_set_issuer_name(crt, NAME.as_ptr()))?;
        let validity =
            mbedtls_x509write_crt_set_validity(crt, NOT_BEFORE.as_ptr(), NOT_AFTER.as_ptr());
        check("validity", validity)?;
        check("constraints", mbedtls_x509write_crt_set_basic_constraints(crt, 0, -1))?;
        let cert = mbedtls_x509write_crt_der(
            crt,
            cert_der.as_mut_ptr(),
            cert_der.len(),
            Some(random),
            core::ptr::null_mut(),
        );
        let cert = check("certificate", cert)?;
        let key =
            check("key write", mbedtls_pk_write_key_der(pk, key_der.as_mut_ptr(), key_der.len()))?;
        Ok((key as usize, cert as usize))
    }
}

/// A connection's TCP socket as MbedTLS reads and writes it (a type of this crate, so
/// that it can implement `mbedtls_rs::Split`).
pub struct Tcp<'a, 's>(pub &'a mut TcpSocket<'s>);

impl embedded_io_async::ErrorType for Tcp<'_, '_> {
    type Error = embassy_net::tcp::Error;
}

impl embedded_io_async::Read for Tcp<'_, '_> {
    async fn read(&mut self, buf: &mut [u8]) -> Result<usize, Self::Error> {
        self.0.read(buf).await
    }
}

impl embedded_io_async::Write for Tcp<'_, '_> {
    async fn write(&mut self, buf: &[u8]) -> Result<usize, Self::Error> {
        self.0.write(buf).await
    }

    async fn flush(&mut self) -> Result<(), Self::Error> {
        self.0.flush().await
    }
}

impl mbedtls_rs::Split for Tcp<'_, '_> {
    type Read<'a>
        = TcpReader<'a>
    where
        Self: 'a;
    type Write<'a>
        = TcpWriter<'a>
    where
        Self: 'a;

    fn split(&mut self) -> (TcpReader<'_>, TcpWriter<'_>) {
        self.0.split()
    }
}

/// A TLS session's read and write halves as picoserve serves a socket: the read half
/// as it is, the write half behind a small buffer, so that picoserve's many small
/// writes (a header at a time) become a few records, not one each.
pub struct Halves<R, W> {
    read: R,
    write: Buffered<W>,
}

impl<R, W> Halves<R, W> {
    /// The session's halves, as `mbedtls_rs::Session::split` gives them.
    pub fn new(read: R, write: W) -> Self {
        Self { read, write: Buffered { inner: write, buf: [0; WRITE_BUFFER], len: 0 } }
    }
}

impl<R, W> Socket<picoserve::EmbassyRuntime> for Halves<R, W>
where
    R: Read<Error = SessionError>,
    W: embedded_io_async::Write<Error = SessionError>,
{
    type Error = SessionError;
    type ReadHalf<'a>
        = &'a mut R
    where
        Self: 'a;
    type WriteHalf<'a>
        = &'a mut Buffered<W>
    where
        Self: 'a;

    fn split(&mut self) -> (&mut R, &mut Buffered<W>) {
        (&mut self.read, &mut self.write)
    }

    /// Nothing to do here: the caller closes the session and the socket.
    async fn abort<T: picoserve::Timer<picoserve::EmbassyRuntime>>(
        self,
        _: &picoserve::Timeouts,
        _: &T,
    ) -> Result<(), picoserve::Error<SessionError>> {
        Ok(())
    }

    /// Sends what is buffered; the caller then closes the session and the socket.
    async fn shutdown<T: picoserve::Timer<picoserve::EmbassyRuntime>>(
        mut self,
        timeouts: &picoserve::Timeouts,
        timer: &T,
    ) -> Result<(), picoserve::Error<SessionError>> {
        match timer.run_with_timeout(timeouts.write, self.write.flush_all()).await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(picoserve::Error::Write(e)),
            Err(timeout) => Err(picoserve::Error::WriteTimeout(timeout)),
        }
    }
}

/// A TLS session's write half behind a [`WRITE_BUFFER`]-byte buffer.
pub struct Buffered<W> {
    inner: W,
    buf: [u8; WRITE_BUFFER],
    len: usize,
}

impl<W: embedded_io_async::Write> Buffered<W> {
    /// Writes the buffer out as records.
    async fn drain(&mut self) -> Result<(), W::Error> {
        let filled = self.buf.get(..self.len).unwrap_or_default();
        self.inner.write_all(filled).await?;
        self.len = 0;
        Ok(())
    }

    /// Writes the buffer out and flushes the session.
    async fn flush_all(&mut self) -> Result<(), W::Error> {
        self.drain().await?;
        self.inner.flush().await
    }
}

impl<W: embedded_io_async::ErrorType> embedded_io_async::ErrorType for Buffered<W> {
    type Error = W::Error;
}

impl<W: embedded_io_async::Write> embedded_io_async::Write for Buffered<W> {
    async fn write(&mut self, data: &[u8]) -> Result<usize, W::Error> {
        if self.len == self.buf.len() {
            self.drain().await?;
        }
        let room = self.buf.get_mut(self.len..).unwrap_or_default();
        let n = room.len().min(data.len());
        room.get_mut(..n).unwrap_or_default().copy_from_slice(data.get(..n).unwrap_or_default());
        self.len += n;
        Ok(n)
    }

    async fn flush(&mut self) -> Result<(), W::Error> {
        self.flush_all().await
    }
}

impl<W: embedded_io_async::Write> picoserve::io::Write for Buffered<W> {
    async fn write_with<F: FnOnce(BorrowedCursor<'_>) -> T, T>(
        &mut self,
        f: F,
    ) -> Result<T, W::Error> {
        if self.len == self.buf.len() {
            self.drain().await?;
        }
        let mut room = BorrowedBuffer::new(self.buf.get_mut(self.len..).unwrap_or_default());
        let out = f(room.unfilled());
        self.len += room.len();
        Ok(out)
    }
}
