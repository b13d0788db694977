//! embedded-cookie in a device web server on an ESP32-C3: the device app
//! (`examples/device-app`) served by picoserve on embassy-net, over Wi-Fi in station
//! mode (esp-radio), with an address from DHCP.
//!
//! The network's name and password are read at build time from `WIFI_SSID` and
//! `WIFI_PASSWORD` (an empty password joins an open network). With the board on USB,
//! `cargo run --release` flashes it with `espflash` and opens the serial console, which
//! prints the URL to open once DHCP gives an address, then each request's cookie
//! decisions (see README.md).

#![no_std]
#![no_main]
#![forbid(unsafe_code)]

mod board;

use core::panic::PanicInfo;

use device_app::embassy::{accept, serve};
use device_app::session::{Key, Keys};
use device_app::{HTTP_BUFFER, Transport};
use embassy_executor::Spawner;
use embassy_net::{Runner, Stack, StackResources};
use embassy_time::Timer;
use esp_hal::clock::CpuClock;
use esp_hal::gpio::{Level, Output, OutputConfig};
use esp_hal::ram;
use esp_hal::rng::{Trng, TrngSource};
use esp_hal::timer::timg::TimerGroup;
use esp_println::println;
use esp_radio::wifi::sta::StationConfig;
use esp_radio::wifi::{
    AuthenticationMethodConfig, Config, ControllerConfig, Interface, WifiController, WifiError,
};
use static_cell::StaticCell;

use board::EspC3;

esp_bootloader_esp_idf::esp_app_desc!();

/// The Wi-Fi network to join, fixed at build time.
const SSID: &str = env!("WIFI_SSID", "set WIFI_SSID to the Wi-Fi network's name (see README.md)");
/// Its WPA2 (or WPA3 transition mode) password; empty for an open network.
const PASSWORD: &str = env!(
    "WIFI_PASSWORD",
    "set WIFI_PASSWORD to the Wi-Fi network's password, empty for an open network (see README.md)"
);
// The driver's limits, checked when the firmware is built rather than at boot.
const _: () = assert!(!SSID.is_empty() && SSID.len() <= 32, "WIFI_SSID: 1 to 32 bytes");
const _: () = assert!(
    PASSWORD.is_empty() || (PASSWORD.len() >= 8 && PASSWORD.len() <= 64),
    "WIFI_PASSWORD: empty, or a WPA2 passphrase of 8 to 63 characters or 64 hex digits"
);

/// The port the device serves on.
const HTTP_PORT: u16 = 80;
/// Server tasks, each serving one connection at a time: a browser opens up to six
/// connections to a host and keeps them open, so eight serve one browser with two to
/// spare. Each takes about 14.5 KB (its task and its socket) from the RAM the stack gets;
/// eight leave the stack about twice the high-water mark the QEMU firmware measures for the
/// same app and server (README.md, "What it costs"); sixteen no longer fit.
const WEB_TASKS: usize = 8;
/// Sockets: one TCP socket per server task, and DHCP's UDP socket.
const SOCKETS: usize = WEB_TASKS + 1;
/// TCP receive and send buffers of each server task: a request's head and a form fit in
/// the first, the page is streamed through the second.
const TCP_BUFFER: usize = 1024;
/// Seconds between two tries to join the network.
const RETRY_SECS: u64 = 5;

/// The app's state: the board and the signed-in session, shared by the server tasks.
static APP: StaticCell<device_app::App<EspC3>> = StaticCell::new();
/// The session key, drawn from the TRNG at boot.
static SESSION_SECRET: StaticCell<[u8; 32]> = StaticCell::new();
/// The TRNG's entropy source, enabled for the program's lifetime.
static TRNG_SOURCE: StaticCell<TrngSource<'static>> = StaticCell::new();
static RESOURCES: StaticCell<StackResources<SOCKETS>> = StaticCell::new();

type State = &'static device_app::App<EspC3>;

/// Serves the device app on one connection at a time, forever, each connection read
/// through the app's request-head filter; the chip is reached over plain http at its
/// LAN address, and the app's cookies follow that transport.
#[embassy_executor::task(pool_size = WEB_TASKS)]
async fn web_task(id: usize, stack: Stack<'static>, state: State) -> ! {
    let app = device_app::app(state, Transport::PlainHttp);
    let (mut rx, mut tx, mut http) = ([0; TCP_BUFFER], [0; TCP_BUFFER], [0; HTTP_BUFFER]);
    loop {
        match accept(stack, HTTP_PORT, &mut rx, &mut tx).await {
            Ok(socket) => {
                if let Err(error) = serve(&app, &mut http, socket).await {
                    println!("web {id}: {error:?}");
                }
            }
            Err(error) => println!("web {id}: accept: {error:?}"),
        }
    }
}

#[embassy_executor::task]
async fn net_task(mut runner: Runner<'static, Interface>) -> ! {
    runner.run().await
}

/// Joins the network, and joins it again whenever the station is disconnected.
#[embassy_executor::task]
async fn wifi_task(mut controller: WifiController<'static>) -> ! {
    loop {
        match controller.connect_async().await {
            Ok(_) => {
                println!("Wi-Fi: joined {SSID}");
                match controller.wait_for_disconnect_async().await {
                    Ok(info) => println!("Wi-Fi: disconnected ({:?})", info.reason),
                    Err(error) => println!("Wi-Fi: {error:?}"),
                }
            }
            Err(error) => println!("Wi-Fi: cannot join {SSID}: {error:?}"),
        }
        Timer::after_secs(RETRY_SECS).await;
    }
}

/// The station's settings: the network's name, and WPA2 Personal (which also joins a
/// WPA2/WPA3 transition network) or none. The lengths are checked at build time above,
/// so the driver's checks never fail here.
fn station() -> Result<Config, WifiError> {
    let authentication = if PASSWORD.is_empty() {
        AuthenticationMethodConfig::Open
    } else {
        AuthenticationMethodConfig::Wpa2Personal(PASSWORD.try_into()?)
    };
    let config = StationConfig::default().with_ssid(SSID.try_into()?);
    Ok(Config::Station(config.with_authentication(authentication)))
}

#[esp_rtos::main]
async fn main(spawner: Spawner) -> ! {
    let peripherals = esp_hal::init(esp_hal::Config::default().with_cpu_clock(CpuClock::max()));
    // The Wi-Fi driver's buffers: 64 KiB in the RAM the bootloader used, which is free
    // once the app runs, and 36 KiB more (esp-radio's DHCP example's sizes).
    esp_alloc::heap_allocator!(#[ram(reclaimed)] size: 64 * 1024);
    esp_alloc::heap_allocator!(size: 36 * 1024);

    let timg0 = TimerGroup::new(peripherals.TIMG0);
    esp_rtos::start(timg0.timer0, peripherals.FROM_CPU_INTR0);

    // SAR ADC noise into the RNG for as long as the program runs (the app never uses ADC1),
    // so its bytes are true random numbers before the radio is on too.
    TRNG_SOURCE.init(TrngSource::new(peripherals.RNG, peripherals.ADC1));
    let Ok(rng) = Trng::try_new() else { halt("TRNG not enabled") };

    let config = station().map(|station| ControllerConfig::default().with_initial_config(station));
    let (controller, interface) =
        match config.and_then(|config| WifiController::new(peripherals.WIFI, config)) {
            Ok(controller) => (controller, Interface::station()),
            Err(error) => {
                println!("Wi-Fi: {error:?}");
                halt("Wi-Fi driver not started")
            }
        };
    let mut seed = [0; 8];
    rng.read(&mut seed);
    let (stack, runner) = embassy_net::new(
        interface,
        embassy_net::Config::dhcpv4(Default::default()),
        RESOURCES.init(StackResources::new()),
        u64::from_le_bytes(seed),
    );

    // A new key at every boot signs everyone out: the clock restarts at boot, so a
    // session signed before a reboot would otherwise verify again after it.
    let secret = SESSION_SECRET.init([0; 32]);
    rng.read(secret);
    let keys = Keys::new(Key::new(1, secret), &[]);
    // The status LED: GPIO7 on esp-rs's ESP32-C3-DevKit-RUST-1 (lit high). On another
    // board, name its LED's pin here.
    let led = Output::new(peripherals.GPIO7, Level::Low, OutputConfig::default());
    let state: State = APP.init(device_app::App::new(EspC3::new(led, rng), keys));

    spawner.spawn(wifi_task(controller).unwrap());
    spawner.spawn(net_task(runner).unwrap());
    for id in 0..WEB_TASKS {
        spawner.spawn(web_task(id, stack, state).unwrap());
    }

    // Each new lease's address, as the URL to open.
    loop {
        stack.wait_config_up().await;
        if let Some(config) = stack.config_v4() {
            println!("serving http://{}:{HTTP_PORT}/", config.address.address());
        }
        stack.wait_config_down().await;
        println!("DHCP: lease lost");
    }
}

/// Stops here with the reason on the console: the board cannot serve, and a reset would
/// only fail the same way and scroll the reason away.
fn halt(why: &str) -> ! {
    println!("halted: {why}");
    loop {
        core::hint::spin_loop();
    }
}

#[panic_handler]
fn panic(info: &PanicInfo) -> ! {
    println!("{info}");
    esp_hal::system::software_reset()
}
