//! The board as the device app sees it ([`device_app::Board`]): the status LED, the
//! chip's true random number generator, the clock and a log over esp-println.

use device_app::session::TOKEN_BYTES;
use device_app::{Board, Event};
use esp_hal::gpio::Output;
use esp_hal::rng::Trng;
use esp_println::println;

/// An ESP32-C3 board.
pub struct EspC3 {
    led: Output<'static>,
    rng: Trng,
}

impl EspC3 {
    /// The board with its status LED, and the TRNG (whose source `main` keeps enabled).
    pub const fn new(led: Output<'static>, rng: Trng) -> Self {
        Self { led, rng }
    }
}

impl Board for EspC3 {
    type Led = Output<'static>;

    /// The pin `main` gives (`LED_PIN`): driven high when lit.
    fn led(&mut self) -> &mut Output<'static> {
        &mut self.led
    }

    /// From the hardware RNG, fed with SAR ADC noise (the `TrngSource` `main` keeps for
    /// the program's lifetime) and with RF noise while the radio is on: true random
    /// numbers, as ESP-IDF's `esp_fill_random` gives.
    fn random(&mut self) -> [u8; TOKEN_BYTES] {
        let mut bytes = [0; TOKEN_BYTES];
        self.rng.read(&mut bytes);
        bytes
    }

    /// Seconds since boot: the chip has no battery-backed clock. The app writes
    /// `Max-Age` only, which the browser counts on its own clock, so its cookies keep
    /// their lifetimes; the session key is new at every boot (see `main`), so a session
    /// signed before a reboot does not verify after it.
    fn now(&self) -> i64 {
        embassy_time::Instant::now().as_secs().try_into().unwrap_or(i64::MAX)
    }

    /// A line per decision on the serial console (USB-Serial-JTAG or UART0, whichever
    /// the host reads), worded as the host build's log.
    fn log(&mut self, event: &Event<'_>) {
        println!("{event}");
    }
}
