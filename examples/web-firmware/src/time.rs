//! embassy-time's clock: SysTick, interrupting once a millisecond (the 1 kHz tick the
//! crate is built for), from the 25 MHz system clock of the MPS2 AN386.
//!
//! A tick wakes the CPU only to count it, and to wake the timers that are due. A tickless
//! driver (a CMSDK timer programmed for the next alarm) would sleep longer between
//! interrupts; under QEMU a 1 kHz tick costs little host CPU, and this is shorter.

use core::cell::{Cell, RefCell};
use core::task::Waker;

use cortex_m::peripheral::SYST;
use cortex_m::peripheral::syst::SystClkSource;
use cortex_m_rt::exception;
use critical_section::Mutex;
use embassy_time_driver::Driver;
use embassy_time_queue_utils::Queue;

/// The MPS2 AN386's system clock (FPGA image AN386: 25 MHz).
const SYSTEM_CLOCK_HZ: u32 = 25_000_000;

struct SysTickDriver {
    /// Milliseconds since `start`.
    ticks: Mutex<Cell<u64>>,
    /// When the earliest timer in `queue` is due (`u64::MAX`: none).
    alarm: Mutex<Cell<u64>>,
    queue: Mutex<RefCell<Queue>>,
}

embassy_time_driver::time_driver_impl!(static DRIVER: SysTickDriver = SysTickDriver {
    ticks: Mutex::new(Cell::new(0)),
    alarm: Mutex::new(Cell::new(u64::MAX)),
    queue: Mutex::new(RefCell::new(Queue::new())),
});

impl Driver for SysTickDriver {
    fn now(&self) -> u64 {
        critical_section::with(|cs| self.ticks.borrow(cs).get())
    }

    fn schedule_wake(&self, at: u64, waker: &Waker) {
        critical_section::with(|cs| {
            let mut queue = self.queue.borrow(cs).borrow_mut();
            if queue.schedule_wake(at, waker) {
                // Wakes what is due already, and says when the next one is.
                let next = queue.next_expiration(self.ticks.borrow(cs).get());
                self.alarm.borrow(cs).set(next);
            }
        });
    }
}

/// Starts the millisecond tick.
pub fn start(mut syst: SYST) {
    syst.set_clock_source(SystClkSource::Core);
    syst.set_reload(SYSTEM_CLOCK_HZ / 1000 - 1);
    syst.clear_current();
    syst.enable_interrupt();
    syst.enable_counter();
}

#[exception]
fn SysTick() {
    critical_section::with(|cs| {
        let ticks = DRIVER.ticks.borrow(cs);
        let now = ticks.get() + 1;
        ticks.set(now);
        if now >= DRIVER.alarm.borrow(cs).get() {
            let next = DRIVER.queue.borrow(cs).borrow_mut().next_expiration(now);
            DRIVER.alarm.borrow(cs).set(next);
        }
    });
}
