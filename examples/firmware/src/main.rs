//! embedded-cookie on a Cortex-M or RISC-V microcontroller, under QEMU.
//!
//! Serves a fixed set of raw HTTP requests the way a device web server would, through
//! `httparse` and the crate, and checks every result. Logs go out as defmt frames over
//! semihosting (`qemu-run` decodes them with `defmt-print`); the status LED is lit while
//! the request being served is from the signed-in session. The exit status, through
//! semihosting, is 0 only when every check passed and as many ran as the features
//! built in make ([`EXPECTED`]).
//!
//! The checks are the same on every architecture: only the runtime (`cortex-m-rt` or
//! `riscv-rt`, which calls [`main`]), the fault handler and the board's LED differ.
//!
//! Each cargo feature adds one part of the crate's work; without features the firmware
//! is the device shell alone (HTTP parsing, LED, logging), the footprint baseline.

#![no_std]
#![no_main]

mod checks;
#[cfg(feature = "dates")]
mod dates;
#[cfg(feature = "head")]
mod head;
mod http;
mod led;
#[cfg(feature = "policy")]
mod policy;
mod requests;
#[cfg(feature = "set-cookie")]
mod responses;
#[cfg(feature = "cookie")]
mod session;
#[cfg(feature = "signed")]
mod signed;

use core::panic::PanicInfo;

use defmt_semihosting as _;
use embedded_hal::digital::StatefulOutputPin;

// cortex-m provides the critical section that defmt-semihosting takes on Cortex-M.
#[cfg(target_arch = "arm")]
use cortex_m as _;
#[cfg(target_arch = "arm")]
use cortex_m_rt::{ExceptionFrame, entry, exception};
// riscv provides it on RISC-V (one hart: interrupts off).
#[cfg(target_arch = "riscv32")]
use riscv as _;
#[cfg(target_arch = "riscv32")]
use riscv_rt::entry;

use checks::{Checks, check};

/// The checks a run makes with the features built in. A run that makes another number
/// fails: a check skipped (or added) without saying so would otherwise pass unseen.
const EXPECTED: u32 = {
    let n = 1 + http::CHECKS; // 1: the LED is off at boot
    #[cfg(feature = "cookie")]
    let n = n + session::CHECKS;
    #[cfg(feature = "dates")]
    let n = n + dates::CHECKS;
    #[cfg(feature = "set-cookie")]
    let n = n + responses::CHECKS;
    #[cfg(feature = "policy")]
    let n = n + policy::CHECKS;
    #[cfg(all(feature = "policy", feature = "set-cookie"))]
    let n = n + responses::CONSENT_CHECKS;
    #[cfg(feature = "signed")]
    let n = n + signed::CHECKS;
    #[cfg(feature = "head")]
    let n = n + head::CHECKS;
    n
};

/// Exit status of a panic, as Rust's test harness uses.
const EXIT_PANIC: i32 = 101;
/// Exit status of a hard fault (Cortex-M) or an exception (RISC-V).
const EXIT_FAULT: i32 = 102;

#[entry]
fn main() -> ! {
    // SAFETY: the only call; nothing else drives the LED.
    let mut led = unsafe { led::StatusLed::take() };
    let mut checks = Checks::new();

    checks.case(defmt::intern!("boot"));
    let Ok(lit) = led.is_set_high();
    check!(checks, "LED off", lit, false);
    http::run(&mut checks);
    #[cfg(feature = "cookie")]
    session::run(&mut checks, &mut led);
    #[cfg(feature = "dates")]
    dates::run(&mut checks);
    #[cfg(feature = "set-cookie")]
    responses::run(&mut checks);
    #[cfg(feature = "policy")]
    policy::run(&mut checks);
    #[cfg(all(feature = "policy", feature = "set-cookie"))]
    responses::consent(&mut checks, &policy::POLICY);
    #[cfg(feature = "signed")]
    signed::run(&mut checks);
    #[cfg(feature = "head")]
    head::run(&mut checks);

    let (passed, failed) = (checks.passed(), checks.failed());
    let ok = failed == 0 && passed == EXPECTED;
    if ok {
        defmt::info!("firmware: {=u32} passed, {=u32} failed", passed, failed);
    } else {
        defmt::error!(
            "firmware: {=u32} passed, {=u32} failed, {=u32} expected",
            passed,
            failed,
            EXPECTED
        );
    }
    semihosting::process::exit(i32::from(!ok))
}

#[panic_handler]
fn panic(info: &PanicInfo) -> ! {
    defmt::error!("{}", defmt::Display2Format(info));
    semihosting::process::exit(EXIT_PANIC)
}

#[cfg(target_arch = "arm")]
#[exception]
unsafe fn HardFault(frame: &ExceptionFrame) -> ! {
    defmt::error!("hard fault at pc {=u32:#010x}", frame.pc());
    semihosting::process::exit(EXIT_FAULT)
}

/// Every exception riscv-rt does not dispatch elsewhere (none is): an illegal
/// instruction or a bad address ends the run with its cause, as a hard fault does on
/// Cortex-M, instead of riscv-rt's default, a loop that only the timeout would end.
#[cfg(target_arch = "riscv32")]
#[unsafe(export_name = "ExceptionHandler")]
fn exception(_: &riscv_rt::TrapFrame) -> ! {
    let (cause, pc) = (riscv::register::mcause::read().bits(), riscv::register::mepc::read());
    defmt::error!("exception {=usize} at pc {=usize:#010x}", cause, pc);
    semihosting::process::exit(EXIT_FAULT)
}
