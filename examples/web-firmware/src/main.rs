//! embedded-cookie in a device web server: picoserve on embassy-net, on a Cortex-M4F
//! (QEMU `mps2-an386`) with the board's LAN9118 Ethernet controller.
//!
//! `cargo run` boots it under QEMU with user networking, the guest's port 80 forwarded
//! to `127.0.0.1:$DEVICE_WEB_PORT` (default 8080) on the host and its port 443 (HTTPS,
//! [`tls`]: a key and self-signed certificate the device makes itself) to
//! `127.0.0.1:$DEVICE_WEB_HTTPS_PORT` (default 8443); the URLs to open are printed.
//! Logs go out as defmt frames over semihosting, decoded by `defmt-print`: the network
//! coming up, each connection, and each request's cookie decisions.
//!
//! It serves the device app (`examples/device-app`), the same `no_std` code the host
//! build serves with tokio, on this board ([`board::Mps2`]): the FPGA I/O LED0 lit while
//! someone is signed in, randomness from frame arrival times, seconds since boot.

#![no_std]
#![no_main]
// The TLS server task's future is deep enough to overflow the default when its layout
// is computed.
#![recursion_limit = "512"]

#[cfg(not(feature = "stub-app"))]
mod board;
mod entropy;
mod executor;
mod lan9118;
mod stack;
// The same LED driver as the checking firmware's.
#[cfg(not(feature = "stub-app"))]
#[path = "../../firmware/src/led.rs"]
mod led;
mod time;
mod tls;

use core::panic::PanicInfo;

use cortex_m_rt::{ExceptionFrame, exception};
use defmt_semihosting as _;
use embassy_executor::Spawner;
use embassy_net::{Ipv4Address, Ipv4Cidr, Runner, Stack, StackResources, StaticConfigV4};
use embassy_time::{Duration, Instant};
use picoserve::Router;
use picoserve::routing::PathRouter;
use static_cell::StaticCell;
// The C library functions MbedTLS calls (`strstr`, `calloc`, `free`, ...).
use tinyrlibc as _;

use lan9118::Lan9118;

/// The port the device serves on.
const HTTP_PORT: u16 = 80;
/// Server tasks, each serving one connection at a time: a browser opens about six
/// connections to a host, and QEMU's user networking resets those nobody accepts.
const WEB_TASKS: usize = 8;
/// TCP sockets: one per server task, plain and TLS.
const SOCKETS: usize = WEB_TASKS + tls::TLS_TASKS;

/// QEMU's user networking: the guest is 10.0.2.15/24 behind the gateway 10.0.2.2.
const ADDRESS: Ipv4Cidr = Ipv4Cidr::new(Ipv4Address::new(10, 0, 2, 15), 24);
const GATEWAY: Ipv4Address = Ipv4Address::new(10, 0, 2, 2);

/// Exit status of a panic, as Rust's test harness uses.
const EXIT_PANIC: i32 = 101;
/// Exit status of a hard fault.
const EXIT_FAULT: i32 = 102;
/// Exit status when the Ethernet controller is missing.
const EXIT_NO_NIC: i32 = 103;

/// TCP receive and send buffers of each server task: a request's head and a form fit in
/// the first, the page is streamed through the second.
const TCP_BUFFER: usize = 1024;

/// The app's state: the board and the signed-in session, shared by the server tasks.
#[cfg(not(feature = "stub-app"))]
static APP: StaticCell<device_app::App<board::Mps2>> = StaticCell::new();

/// The session key, drawn from the entropy pool at boot.
#[cfg(not(feature = "stub-app"))]
static SESSION_SECRET: StaticCell<[u8; 32]> = StaticCell::new();

#[cfg(not(feature = "stub-app"))]
type State = &'static device_app::App<board::Mps2>;
#[cfg(feature = "stub-app")]
type State = ();

#[cfg(not(feature = "stub-app"))]
use device_app::HTTP_BUFFER;
use device_app::Transport;
use device_app::embassy::accept;
#[cfg(not(feature = "stub-app"))]
use device_app::embassy::serve;
#[cfg(not(feature = "stub-app"))]
use device_app::session::{Key, Keys};
#[cfg(feature = "stub-app")]
const CONFIG: picoserve::Config = picoserve::Config::const_default().keep_connection_alive();
#[cfg(feature = "stub-app")]
const HTTP_BUFFER: usize = 2048;

/// The device app on `state`, for connections over `transport`. picoserve's router
/// types cannot be named on stable Rust, so each server task builds its own.
#[cfg(not(feature = "stub-app"))]
fn app_over(state: State, transport: Transport) -> Router<impl PathRouter> {
    device_app::app(state, transport)
}

/// One fixed line: the footprint baseline (see the `stub-app` feature).
#[cfg(feature = "stub-app")]
fn app_over((): State, _: Transport) -> Router<impl PathRouter> {
    picoserve::Router::new().route("/", picoserve::routing::get(|| async { "stub\n" }))
}

#[embassy_executor::task(pool_size = WEB_TASKS)]
async fn web_task(id: usize, stack: Stack<'static>, state: State) -> ! {
    let app = app_over(state, Transport::PlainHttp);
    let mut tcp_rx = [0; TCP_BUFFER];
    let mut tcp_tx = [0; TCP_BUFFER];
    let mut http = [0; HTTP_BUFFER];
    loop {
        let socket = match accept(stack, HTTP_PORT, &mut tcp_rx, &mut tcp_tx).await {
            Ok(socket) => socket,
            Err(error) => {
                defmt::warn!("web {=usize}: accept: {}", id, error);
                continue;
            }
        };
        if let Err(error) = serve(&app, &mut http, socket).await {
            defmt::warn!("web {=usize}: {}", id, defmt::Debug2Format(&error));
        }
    }
}

/// Serves one connection of the stub: the socket as it is (the app's goes through the
/// request-head filter: `device_app::embassy::serve`).
#[cfg(feature = "stub-app")]
async fn serve<S: picoserve::io::Socket<picoserve::EmbassyRuntime>>(
    app: &Router<impl PathRouter>,
    http: &mut [u8],
    socket: S,
) -> Result<(), impl core::fmt::Debug> {
    picoserve::Server::new(app, &CONFIG, http).serve(socket).await.map(drop)
}

#[embassy_executor::task(pool_size = tls::TLS_TASKS)]
async fn tls_task(
    id: usize,
    stack: Stack<'static>,
    state: State,
    tls: &'static mbedtls_rs::Tls<'static>,
    config: &'static tls::Config,
) -> ! {
    let app = app_over(state, Transport::Tls);
    let mut tcp_rx = [0; TCP_BUFFER];
    let mut tcp_tx = [0; TCP_BUFFER];
    let mut http = [0; HTTP_BUFFER];
    loop {
        let mut socket = match accept(stack, tls::HTTPS_PORT, &mut tcp_rx, &mut tcp_tx).await {
            Ok(socket) => socket,
            Err(error) => {
                defmt::warn!("tls {=usize}: accept: {}", id, error);
                continue;
            }
        };
        let made = Instant::now();
        let config = match tls::server_config(config) {
            Ok(config) => config,
            Err(error) => {
                defmt::error!("tls: no key and certificate: {}", error);
                socket.abort();
                let _ = socket.flush().await;
                continue;
            }
        };
        let start = Instant::now();
        if start - made >= Duration::from_millis(1) {
            defmt::info!("tls: key and certificate made in {=u64} ms", (start - made).as_millis());
        }
        match mbedtls_rs::Session::new(tls.reference(), tls::Tcp(&mut socket), config) {
            Ok(mut session) => {
                serve_tls(id, &app, &mut http, &mut session, start).await;
                let _ = session.close().await;
            }
            Err(error) => defmt::warn!("tls {=usize}: session: {}", id, error),
        }
        socket.close();
        let _ = socket.flush().await;
        defmt::info!("tls {=usize}: closed; heap high-water {=usize} B", id, tls::high_water());
    }
}

/// Serves one TLS connection: the handshake, then the app over the session's halves.
async fn serve_tls<T>(
    id: usize,
    app: &Router<impl PathRouter>,
    http: &mut [u8],
    session: &mut mbedtls_rs::Session<'_, T>,
    start: Instant,
) where
    T: embedded_io_async::Read + embedded_io_async::Write + mbedtls_rs::Split,
{
    match session.split().await {
        Ok((read, write)) => {
            let took = start.elapsed().as_millis();
            let heap = tls::in_use();
            defmt::info!("tls {=usize}: handshake {=u64} ms, heap {=usize} B", id, took, heap);
            if let Err(error) = serve(app, http, tls::Halves::new(read, write)).await {
                defmt::warn!("tls {=usize}: {}", id, defmt::Debug2Format(&error));
            }
        }
        Err(error) => defmt::warn!("tls {=usize}: handshake: {}", id, error),
    }
}

#[embassy_executor::task]
async fn net_task(mut runner: Runner<'static, Lan9118>) -> ! {
    runner.run().await
}

fn main(spawner: Spawner) {
    stack::paint();
    let Some(core) = cortex_m::Peripherals::take() else { unreachable!() };
    time::start(core.SYST);
    // SAFETY: the only call; nothing else touches the controller.
    let nic = match unsafe { Lan9118::take() } {
        Ok(nic) => nic,
        Err(error) => {
            defmt::error!("no LAN9118: {}", error);
            semihosting::process::exit(EXIT_NO_NIC)
        }
    };
    let mac = nic.mac();
    defmt::info!("LAN9118 up, MAC {=[u8]:02x}", mac);

    let config = embassy_net::Config::ipv4_static(StaticConfigV4 {
        address: ADDRESS,
        gateway: Some(GATEWAY),
        dns_servers: Default::default(),
    });
    static RESOURCES: StaticCell<StackResources<SOCKETS>> = StaticCell::new();
    let resources = RESOURCES.init(StackResources::new());
    let (stack, runner) = embassy_net::new(nic, config, resources, entropy::next_u64());

    #[cfg(not(feature = "stub-app"))]
    let state: State = {
        // SAFETY: the only call; nothing else drives the LED.
        let led = unsafe { led::StatusLed::take() };
        // A new key at every boot signs everyone out: the clock restarts at boot, so a
        // session signed before a reboot would otherwise verify again after it. A device
        // with a real-time clock and a key kept in flash keeps its sessions.
        let secret = SESSION_SECRET.init([0; 32]);
        entropy::fill(secret);
        let keys = Keys::new(Key::new(1, secret), &[]);
        APP.init(device_app::App::new(board::Mps2::new(led), keys))
    };
    #[cfg(feature = "stub-app")]
    let state: State = ();

    spawner.spawn(net_task(runner).unwrap());
    spawner.spawn(stack::report().unwrap());
    for id in 0..WEB_TASKS {
        spawner.spawn(web_task(id, stack, state).unwrap());
    }
    tls::init_heap();
    static RNG: StaticCell<tls::Rng> = StaticCell::new();
    static TLS: StaticCell<mbedtls_rs::Tls<'static>> = StaticCell::new();
    static TLS_CONFIG: StaticCell<tls::Config> = StaticCell::new();
    // The only `Tls`: it cannot be made twice.
    let Ok(tls) = mbedtls_rs::Tls::new(RNG.init(tls::Rng)) else { unreachable!() };
    let tls: &'static _ = TLS.init(tls);
    let config: &'static _ = TLS_CONFIG.init(tls::Config::new());
    for id in 0..tls::TLS_TASKS {
        spawner.spawn(tls_task(id, stack, state, tls, config).unwrap());
    }
    defmt::info!("serving http://{}:{=u16}/", ADDRESS.address(), HTTP_PORT);
    defmt::info!("serving https://{}:{=u16}/", ADDRESS.address(), tls::HTTPS_PORT);
}

#[cortex_m_rt::entry]
fn entry() -> ! {
    executor::run(main)
}

/// Without a device crate, cortex-m-rt sends every interrupt here; only the Ethernet
/// controller's is unmasked.
#[exception]
unsafe fn DefaultHandler(irq: i16) {
    if irq == lan9118::IRQ {
        lan9118::on_interrupt();
    } else {
        defmt::warn!("unexpected interrupt {=i16}", irq);
    }
}

#[panic_handler]
fn panic(info: &PanicInfo) -> ! {
    defmt::error!("{}", defmt::Display2Format(info));
    semihosting::process::exit(EXIT_PANIC)
}

#[exception]
unsafe fn HardFault(frame: &ExceptionFrame) -> ! {
    defmt::error!("hard fault at pc {=u32:#010x}", frame.pc());
    semihosting::process::exit(EXIT_FAULT)
}
