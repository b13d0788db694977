//! The status LED, lit while the request being served is from a signed-in session: an
//! `embedded-hal` 1.0 `OutputPin` on the board's own registers, no HAL crate.
//!
//! - LM3S6965 (`lm3s6965evb`): the user LED on GPIO port F, pin 0. QEMU models the
//!   PL061 GPIO block, so the pin keeps its level only once it is configured as an
//!   output, and reads back what was driven.
//! - MPS2 AN386 (`mps2-an386`): user LED 0, bit 0 of the FPGA I/O `LED0` register.
//! - RISC-V `virt`: QEMU models no LED or GPIO there. The scratch register of the
//!   16550 UART (`UART0`, offset 7), a byte that drives nothing and reads back what was
//!   written, stands in for the pin's output latch, so the checks still see the level
//!   through a device register rather than a variable.
//!
//! Reading the level back ([`StatefulOutputPin`]) is how the checks see the LED.

use core::convert::Infallible;
use core::ptr::{read_volatile, write_volatile};

use embedded_hal::digital::{ErrorType, OutputPin, StatefulOutputPin};

/// The one status LED of the board.
pub struct StatusLed {
    data: *mut regs::Latch,
}

#[cfg(board = "lm3s6965")]
mod regs {
    /// SYSCTL RCGC2: clock gating of the GPIO ports; bit 5 is port F.
    pub const RCGC2: *mut u32 = 0x400F_E108 as *mut u32;
    pub const RCGC2_GPIOF: u32 = 1 << 5;
    const GPIOF: usize = 0x4002_5000;
    /// Direction register: 1 = output.
    pub const DIR: *mut u32 = (GPIOF + 0x400) as *mut u32;
    /// Digital enable register.
    pub const DEN: *mut u32 = (GPIOF + 0x51C) as *mut u32;
    /// The data register is addressed through a mask in address bits 9:2; this address
    /// reads and writes pin 0 alone.
    pub const DATA_PIN0: *mut u32 = (GPIOF + (1 << 2)) as *mut u32;
    pub const PIN0: u32 = 1;
    /// The width of the register that holds the LED's level.
    pub type Latch = u32;
}

#[cfg(board = "mps2_an386")]
mod regs {
    /// FPGA I/O `LED0`: bits 1:0 drive the two user LEDs.
    pub const LED0: *mut u32 = 0x4002_8000 as *mut u32;
    pub type Latch = u32;
}

#[cfg(board = "virt")]
mod regs {
    /// `UART0` (NS16550A at 0x1000_0000, one byte per register): the scratch register.
    pub const SCRATCH: *mut u8 = 0x1000_0007 as *mut u8;
    pub type Latch = u8;
}

impl StatusLed {
    /// Configures the LED pin as an output, off.
    ///
    /// # Safety
    ///
    /// Call once: the returned value owns the LED's registers.
    #[cfg(board = "lm3s6965")]
    pub unsafe fn take() -> Self {
        use regs::*;
        // SAFETY: fixed, aligned MMIO registers of this chip; the caller guarantees
        // nothing else drives them. Read-modify-write keeps the other ports' bits.
        unsafe {
            write_volatile(RCGC2, read_volatile(RCGC2) | RCGC2_GPIOF);
            write_volatile(DIR, read_volatile(DIR) | PIN0);
            write_volatile(DEN, read_volatile(DEN) | PIN0);
        }
        let mut led = Self { data: DATA_PIN0 };
        led.write(false);
        led
    }

    /// Configures the LED, off.
    ///
    /// # Safety
    ///
    /// Call once: the returned value owns the LED register.
    #[cfg(board = "mps2_an386")]
    pub unsafe fn take() -> Self {
        let mut led = Self { data: regs::LED0 };
        led.write(false);
        led
    }

    /// Takes the stand-in LED, off.
    ///
    /// # Safety
    ///
    /// Call once: the returned value owns the UART's scratch register.
    #[cfg(board = "virt")]
    pub unsafe fn take() -> Self {
        let mut led = Self { data: regs::SCRATCH };
        led.write(false);
        led
    }

    fn write(&mut self, on: bool) {
        // SAFETY: `data` is the LED's MMIO register, owned by `self` (see `take`). On
        // the LM3S6965 the address masks the write to pin 0; on the MPS2 bit 0 is LED 0
        // and the other LED stays off; on `virt` the scratch byte drives nothing.
        unsafe { write_volatile(self.data, regs::Latch::from(on)) }
    }

    fn read(&self) -> bool {
        // SAFETY: as in `write`.
        unsafe { read_volatile(self.data) & 1 != 0 }
    }
}

impl ErrorType for StatusLed {
    type Error = Infallible;
}

impl OutputPin for StatusLed {
    fn set_low(&mut self) -> Result<(), Infallible> {
        self.write(false);
        Ok(())
    }

    fn set_high(&mut self) -> Result<(), Infallible> {
        self.write(true);
        Ok(())
    }
}

impl StatefulOutputPin for StatusLed {
    fn is_set_high(&mut self) -> Result<bool, Infallible> {
        Ok(self.read())
    }

    fn is_set_low(&mut self) -> Result<bool, Infallible> {
        Ok(!self.read())
    }
}
