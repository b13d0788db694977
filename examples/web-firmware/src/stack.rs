//! How deep the stack has been: the top of RAM, where the stack grows down from, is
//! painted at boot, and a task reports when the untouched paint shrinks. This measures
//! what a static bound cannot settle here (picoserve's and the wakers' indirect calls):
//! the deepest stack of serving real requests, interrupts included.

use core::ptr::{read_volatile, write_volatile};

use embassy_time::Timer;

/// What the painted words hold until the stack reaches them.
const PAINT: u32 = 0xA5A5_A5A5;
/// How much of the stack is painted: far more than the firmware uses.
const PAINTED: usize = 256 * 1024;
/// Room left unpainted below the painter's own frame.
const MARGIN: usize = 256;

unsafe extern "C" {
    /// The initial stack pointer, set by cortex-m-rt's linker script: the top of RAM.
    static _stack_start: u32;
}

fn top() -> usize {
    // Only the symbol's address is taken, never its value.
    &raw const _stack_start as usize
}

fn bottom() -> usize {
    top() - PAINTED
}

/// Paints the stack region below the current frame. Call first thing, with interrupts
/// still masked at their sources: nothing else may be using that memory.
pub fn paint() {
    let below = cortex_m::register::msp::read() as usize - MARGIN;
    for addr in (bottom()..below).step_by(4) {
        // SAFETY: a word-aligned address between the end of the statics and the stack
        // pointer: stack memory nothing uses yet.
        unsafe { write_volatile(addr as *mut u32, PAINT) };
    }
}

/// The deepest the stack has been, in bytes (`PAINTED` if the paint is all gone).
pub fn high_water() -> usize {
    let untouched = (bottom()..top())
        .step_by(4)
        // SAFETY: word-aligned stack memory, read only.
        .take_while(|&addr| unsafe { read_volatile(addr as *const u32) } == PAINT)
        .count();
    PAINTED - untouched * 4
}

/// Logs the stack's high-water mark each time it grows (checked every few seconds).
#[embassy_executor::task]
pub async fn report() -> ! {
    let mut reported = 0;
    loop {
        let depth = high_water();
        if depth > reported {
            defmt::info!("stack: {=usize} B deep at most so far", depth);
            reported = depth;
        }
        Timer::after_secs(2).await;
    }
}
