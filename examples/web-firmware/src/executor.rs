//! The executor: embassy's raw executor, polled in a loop that sleeps with WFI.
//!
//! embassy-executor's own Cortex-M executor sleeps with WFE and wakes with SEV. QEMU
//! treats WFE as a mere yield, so that executor spins at 100% of a host core. Here a woken
//! task sets a flag (the `__pender`), and the loop sleeps with WFI, which QEMU does
//! model, whenever no task is woken: the next interrupt (the SysTick, a received frame)
//! ends the sleep.

use core::sync::atomic::{AtomicBool, Ordering};

use embassy_executor::{Spawner, raw};
use static_cell::StaticCell;

/// Set when a task is woken; cleared before each poll.
static WOKEN: AtomicBool = AtomicBool::new(false);

#[unsafe(export_name = "__pender")]
fn pender(_context: *mut ()) {
    WOKEN.store(true, Ordering::Release);
}

/// Runs `init` with a spawner, then polls the tasks forever.
pub fn run(init: impl FnOnce(Spawner)) -> ! {
    static EXECUTOR: StaticCell<raw::Executor> = StaticCell::new();
    let executor: &'static raw::Executor = EXECUTOR.init(raw::Executor::new(core::ptr::null_mut()));
    init(executor.spawner());
    loop {
        WOKEN.store(false, Ordering::Release);
        // SAFETY: the executor is polled from this loop alone, never re-entrantly.
        unsafe { executor.poll() };
        // With interrupts masked, no wake can slip between the check and the sleep; WFI
        // still ends on a pending interrupt, which runs once they are unmasked.
        cortex_m::interrupt::free(|_| {
            if !WOKEN.load(Ordering::Acquire) {
                cortex_m::asm::wfi();
            }
        });
    }
}
