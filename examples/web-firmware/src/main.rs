//! embedded-cookie in a device web server: picoserve on embassy-net, on a Cortex-M4F
//! (QEMU `mps2-an386`) with the board's LAN9118 Ethernet controller.
//!
//! `cargo run` boots it under QEMU with user networking, the guest's port 80 forwarded
//! to `127.0.0.1:$DEVICE_WEB_PORT` (default 8080) on the host; the URL to open is printed.
//! Logs go out as defmt frames over semihosting, decoded by `defmt-print`.

#![no_std]
#![no_main]

mod entropy;
mod executor;
mod lan9118;
mod time;

use core::panic::PanicInfo;

use cortex_m_rt::{ExceptionFrame, exception};
use defmt_semihosting as _;
use embassy_executor::Spawner;
use embassy_net::{Ipv4Address, Ipv4Cidr, Runner, Stack, StackResources, StaticConfigV4};
use picoserve::routing::get;
use static_cell::StaticCell;

use lan9118::Lan9118;

/// The port the device serves on.
const HTTP_PORT: u16 = 80;
/// Server tasks, each serving one connection at a time: a browser opens about six
/// connections to a host, and QEMU's user networking resets those nobody accepts.
const WEB_TASKS: usize = 8;
/// TCP sockets: one per server task.
const SOCKETS: usize = WEB_TASKS;

/// QEMU's user networking: the guest is 10.0.2.15/24 behind the gateway 10.0.2.2.
const ADDRESS: Ipv4Cidr = Ipv4Cidr::new(Ipv4Address::new(10, 0, 2, 15), 24);
const GATEWAY: Ipv4Address = Ipv4Address::new(10, 0, 2, 2);

/// Exit status of a panic, as Rust's test harness uses.
const EXIT_PANIC: i32 = 101;
/// Exit status of a hard fault.
const EXIT_FAULT: i32 = 102;
/// Exit status when the Ethernet controller is missing.
const EXIT_NO_NIC: i32 = 103;

static CONFIG: picoserve::Config = picoserve::Config::const_default().keep_connection_alive();

fn app() -> picoserve::Router<impl picoserve::routing::PathRouter> {
    picoserve::Router::new().route("/", get(|| async { "embedded-cookie device\n" }))
}

#[embassy_executor::task(pool_size = WEB_TASKS)]
async fn web_task(id: usize, stack: Stack<'static>) -> ! {
    let app = app();
    let mut tcp_rx = [0; 1024];
    let mut tcp_tx = [0; 1024];
    let mut http = [0; 2048];
    picoserve::Server::new(&app, &CONFIG, &mut http)
        .listen_and_serve(id, stack, HTTP_PORT, &mut tcp_rx, &mut tcp_tx)
        .await
        .into_never()
}

#[embassy_executor::task]
async fn net_task(mut runner: Runner<'static, Lan9118>) -> ! {
    runner.run().await
}

fn main(spawner: Spawner) {
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

    spawner.spawn(net_task(runner).unwrap());
    for id in 0..WEB_TASKS {
        spawner.spawn(web_task(id, stack).unwrap());
    }
    defmt::info!("serving http://{}:{=u16}/", ADDRESS.address(), HTTP_PORT);
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
