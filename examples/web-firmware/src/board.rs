//! The board as the device app sees it ([`device_app::Board`]): the status LED, the
//! randomness, the clock and the log of the MPS2 AN386 under QEMU.

use device_app::session::TOKEN_BYTES;
use device_app::{Board, Event};

use crate::entropy;
use crate::led::StatusLed;

/// The MPS2 AN386 under QEMU.
pub struct Mps2 {
    led: StatusLed,
}

impl Mps2 {
    pub const fn new(led: StatusLed) -> Self {
        Self { led }
    }
}

impl Board for Mps2 {
    type Led = StatusLed;

    /// FPGA I/O `LED0`, bit 0 (`examples/firmware/src/led.rs`).
    fn led(&mut self) -> &mut StatusLed {
        &mut self.led
    }

    /// From frame arrival times through a SHA-256 pool: the board has no TRNG (see
    /// [`entropy`]).
    fn random(&mut self) -> [u8; TOKEN_BYTES] {
        let mut bytes = [0; TOKEN_BYTES];
        entropy::fill(&mut bytes);
        bytes
    }

    /// Seconds since boot: the board has no real-time clock. The app writes `Max-Age`
    /// only, which the browser counts on its own clock, so its cookies keep their
    /// lifetimes; the session key is new at every boot (see `main`), so a session
    /// signed before a reboot does not verify after it.
    fn now(&self) -> i64 {
        embassy_time::Instant::now().as_secs().try_into().unwrap_or(i64::MAX)
    }

    /// A defmt frame per decision, over semihosting, worded as the host build's log.
    fn log(&mut self, event: &Event<'_>) {
        match *event {
            Event::Received { name, verdict } => {
                defmt::info!("request cookie {=[u8]:a}: {}", name, verdict);
            }
            Event::Sent { name, verdict } => defmt::info!("Set-Cookie {=str}: {}", name, verdict),
            Event::NotWritten(why) => defmt::warn!("Set-Cookie not written: {=str}", why),
            Event::Session(true) => defmt::info!("signed in: LED on"),
            Event::Session(false) => defmt::info!("signed out: LED off"),
        }
    }
}
