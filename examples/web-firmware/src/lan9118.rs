//! The board's Ethernet controller, an SMSC LAN9118, as an `embassy-net` driver.
//!
//! Register names and bits are the datasheet's (SMSC LAN9118 datasheet, section 5,
//! "System Control and Status Registers", and 6, "MAC Control and Status Registers").
//! The driver uses the interrupt line for receiving (`RSFL_INT`, a frame in the RX status
//! FIFO) and none for sending: QEMU's model sends a frame as soon as its last TX FIFO word
//! is written.
//!
//! What QEMU's model does differently from the datasheet, and this driver allows for:
//! - the RX status length and the RX data include the 4-byte FCS: it is stripped;
//! - `MAC_CSR_CMD`'s busy bit is never set (the wait for it is kept for real chips);
//! - the PHY link is always up, so the link state is not read from the PHY;
//! - the TX status FIFO stops at 512 entries: it is drained before each frame;
//! - touching a register the model does not implement aborts QEMU: only the registers
//!   listed here are touched;
//! - the IRQ line is active-low after reset: `IRQ_CFG` makes it active-high before the
//!   NVIC line is unmasked;
//! - `TX_FIFO_INF`'s free space is in 32-bit words, not the datasheet's bytes.
//!
//! Every wait on the chip has a bound ([`limits::poll_until`]): the reset, the MAC
//! register interface, and room in the TX data FIFO, checked before each frame is
//! written ([`limits::tx_fits`]). A reset or a MAC register access that does not finish
//! is a typed [`Error`] from [`Lan9118::take`]; a frame without room is dropped and
//! logged ([`Error::TxFifoFull`]), and TCP sends it again.

mod limits;

use core::ptr::{read_volatile, write_volatile};
use core::task::Context;

use cortex_m::peripheral::NVIC;
use embassy_net_driver::{Capabilities, HardwareAddress, LinkState};
use embassy_sync::waitqueue::AtomicWaker;

/// Where the MPS2 AN386 maps the controller.
const BASE: usize = 0x4020_0000;

// System control and status registers: byte offsets from `BASE`.
/// RX_DATA_FIFO: the received frames' bytes, a 32-bit word per read.
const RX_DATA_FIFO: usize = 0x00;
/// TX_DATA_FIFO: TX command A, TX command B, then the frame's words.
const TX_DATA_FIFO: usize = 0x20;
/// RX_STATUS_FIFO: one status word per received frame; reading pops it.
const RX_STATUS_FIFO: usize = 0x40;
/// TX_STATUS_FIFO: one status word per sent frame; reading pops it.
const TX_STATUS_FIFO: usize = 0x48;
/// ID_REV: chip ID (0x0118) and revision.
const ID_REV: usize = 0x50;
/// IRQ_CFG: the IRQ pin's enable, polarity and buffer type.
const IRQ_CFG: usize = 0x54;
/// INT_STS: interrupt status; writing 1 clears a bit.
const INT_STS: usize = 0x58;
/// INT_EN: which INT_STS bits drive the IRQ pin.
const INT_EN: usize = 0x5C;
/// BYTE_TEST: reads 0x8765_4321 when the bus is set up right.
const BYTE_TEST: usize = 0x64;
/// TX_CFG: transmitter on, TX status FIFO dump.
const TX_CFG: usize = 0x70;
/// HW_CFG: soft reset.
const HW_CFG: usize = 0x74;
/// RX_FIFO_INF: RX status FIFO used entries (bits 23:16) and RX data FIFO used bytes.
const RX_FIFO_INF: usize = 0x7C;
/// TX_FIFO_INF: TX status FIFO used entries (bits 23:16) and TX data FIFO free space.
const TX_FIFO_INF: usize = 0x80;
/// PMT_CTRL: bit 0, READY, is set once the chip can be accessed after reset.
const PMT_CTRL: usize = 0x84;
/// FREE_RUN: a free-running 25 MHz counter (see [`free_run`]).
const FREE_RUN: usize = 0x9C;
/// MAC_CSR_CMD: starts a read or write of a MAC register (below).
const MAC_CSR_CMD: usize = 0xA4;
/// MAC_CSR_DATA: the value of that read or write.
const MAC_CSR_DATA: usize = 0xA8;

// MAC control and status registers, through MAC_CSR_CMD / MAC_CSR_DATA.
/// MAC_CR: MAC control (receiver and transmitter enables).
const MAC_CR: u32 = 1;
/// ADDRH: MAC address bytes 4 and 5.
const ADDRH: u32 = 2;
/// ADDRL: MAC address bytes 0 to 3.
const ADDRL: u32 = 3;

// Bits.
const HW_CFG_SRST: u32 = 1 << 0;
const PMT_CTRL_READY: u32 = 1 << 0;
/// IRQ_CFG: IRQ_EN (bit 8), IRQ_POL active-high (bit 4), IRQ_TYPE push-pull (bit 0).
const IRQ_CFG_ACTIVE_HIGH: u32 = 0x111;
/// INT_STS / INT_EN: RX status FIFO level (above FIFO_INT's level, 0: any frame).
const RSFL_INT: u32 = 1 << 3;
const TX_CFG_TX_ON: u32 = 1 << 1;
const MAC_CR_TXEN: u32 = 1 << 3;
const MAC_CR_RXEN: u32 = 1 << 2;
const MAC_CSR_BUSY: u32 = 1 << 31;
const MAC_CSR_READ: u32 = 1 << 30;
/// TX command A: first and last segment of a frame in one buffer.
const TX_CMD_A_FIRST_LAST: u32 = (1 << 13) | (1 << 12);
/// RX status: frame length (bits 29:16, FCS included) and error summary (bit 15).
const RX_STS_LEN_SHIFT: u32 = 16;
const RX_STS_LEN_MASK: u32 = 0x3FFF;
const RX_STS_ERROR: u32 = 1 << 15;
const FCS_LEN: usize = 4;
/// Polls of `HW_CFG` and `PMT_CTRL` before a reset counts as failed: each poll is a bus
/// read, so far longer than the milliseconds the chip takes.
const RESET_POLLS: u32 = 1_000_000;
/// Polls of `MAC_CSR_CMD` before a MAC register access counts as failed.
const MAC_CSR_POLLS: u32 = 100_000;
/// Polls of `TX_FIFO_INF` for room before a frame is dropped: the FIFO drains at line
/// rate (under QEMU at once), so room comes within a frame's time.
const TX_ROOM_POLLS: u32 = 100_000;
/// Polls that empty the TX status FIFO: one more than its 512 entries.
const TX_STATUS_POLLS: u32 = 513;
/// Room for a largest frame with its FCS, in whole FIFO words.
const RX_BUF: usize = (MTU + FCS_LEN).next_multiple_of(4);

/// The controller's interrupt number on the MPS2 AN386.
pub const IRQ: i16 = 13;

/// The controller's line on the NVIC.
#[derive(Clone, Copy)]
struct Irq;

// SAFETY: `IRQ` is an interrupt number of this board.
unsafe impl cortex_m::interrupt::InterruptNumber for Irq {
    fn number(self) -> u16 {
        IRQ as u16
    }
}

/// Largest Ethernet frame without FCS: 1500 bytes of payload and the 14-byte header.
pub const MTU: usize = 1514;

/// Woken by the interrupt when a frame arrives.
static RX_WAKER: AtomicWaker = AtomicWaker::new();

/// The LAN9118, set up and running: receiver and transmitter on, receive interrupt
/// enabled.
pub struct Lan9118 {
    mac: [u8; 6],
    rx: [u8; RX_BUF],
    tx: [u8; MTU],
}

/// What went wrong with the controller.
#[derive(Clone, Copy, Debug, defmt::Format)]
pub enum Error {
    /// `BYTE_TEST` did not read 0x8765_4321: the bus is not set up for 32-bit access.
    ByteTest(u32),
    /// `ID_REV` names another chip.
    IdRev(u32),
    /// The soft reset did not finish (`HW_CFG.SRST` still set, or `PMT_CTRL.READY` not
    /// set) within [`RESET_POLLS`] reads.
    ResetTimeout,
    /// `MAC_CSR_CMD` stayed busy for [`MAC_CSR_POLLS`] reads.
    MacCsrTimeout,
    /// The TX data FIFO had no room for a frame within [`TX_ROOM_POLLS`] reads: the
    /// frame was dropped.
    TxFifoFull,
}

fn read(offset: usize) -> u32 {
    // SAFETY: `offset` is one of the register offsets above, all implemented by the
    // chip (and by QEMU's model), 32-bit aligned inside the controller's 256 bytes.
    unsafe { read_volatile((BASE + offset) as *const u32) }
}

fn write(offset: usize, value: u32) {
    // SAFETY: as in `read`.
    unsafe { write_volatile((BASE + offset) as *mut u32, value) }
}

fn mac_csr_wait() -> Result<(), Error> {
    limits::poll_until(MAC_CSR_POLLS, || read(MAC_CSR_CMD) & MAC_CSR_BUSY == 0)
        .map_err(|_| Error::MacCsrTimeout)
}

fn mac_read(register: u32) -> Result<u32, Error> {
    mac_csr_wait()?;
    write(MAC_CSR_CMD, MAC_CSR_BUSY | MAC_CSR_READ | register);
    mac_csr_wait()?;
    Ok(read(MAC_CSR_DATA))
}

fn mac_write(register: u32, value: u32) -> Result<(), Error> {
    mac_csr_wait()?;
    write(MAC_CSR_DATA, value);
    write(MAC_CSR_CMD, MAC_CSR_BUSY | register);
    mac_csr_wait()
}

/// The chip's free-running counter: 25 MHz, from reset. Under QEMU it follows the host's
/// clock, so when a frame arrives, its low bits are host timing jitter.
pub fn free_run() -> u32 {
    read(FREE_RUN)
}

impl Lan9118 {
    /// Resets the controller, reads its MAC address (from its EEPROM), turns the
    /// receiver and the transmitter on and unmasks its interrupt.
    ///
    /// # Safety
    ///
    /// Call once: the returned value owns the controller's registers and its interrupt.
    pub unsafe fn take() -> Result<Self, Error> {
        let byte_test = read(BYTE_TEST);
        if byte_test != 0x8765_4321 {
            return Err(Error::ByteTest(byte_test));
        }
        let id = read(ID_REV);
        if id >> 16 != 0x0118 {
            return Err(Error::IdRev(id));
        }
        write(HW_CFG, HW_CFG_SRST);
        let reset =
            limits::poll_until(RESET_POLLS, || read(HW_CFG) & HW_CFG_SRST == 0).and_then(|()| {
                limits::poll_until(RESET_POLLS, || read(PMT_CTRL) & PMT_CTRL_READY != 0)
            });
        reset.map_err(|_| Error::ResetTimeout)?;

        let [l0, l1, l2, l3] = mac_read(ADDRL)?.to_le_bytes();
        let [h0, h1, ..] = mac_read(ADDRH)?.to_le_bytes();
        let mac = [l0, l1, l2, l3, h0, h1];

        write(TX_CFG, TX_CFG_TX_ON);
        let cr = mac_read(MAC_CR)?;
        mac_write(MAC_CR, cr | MAC_CR_TXEN | MAC_CR_RXEN)?;

        write(INT_STS, u32::MAX);
        write(INT_EN, RSFL_INT);
        write(IRQ_CFG, IRQ_CFG_ACTIVE_HIGH);
        // SAFETY: the handler, `on_interrupt`, touches only `INT_STS` and the waker; no
        // critical section relies on this line being masked.
        unsafe { NVIC::unmask(Irq) };
        Ok(Self { mac, rx: [0; RX_BUF], tx: [0; MTU] })
    }

    /// The MAC address the controller filters on.
    pub fn mac(&self) -> [u8; 6] {
        self.mac
    }
}

/// Called from the interrupt handler: acknowledges the frame interrupt and wakes the
/// network stack. The line stays active while `INT_STS & INT_EN` is non-zero, so the
/// status bit is cleared here, and the stack reads the FIFOs.
pub fn on_interrupt() {
    write(INT_STS, RSFL_INT);
    crate::entropy::stir(free_run());
    RX_WAKER.wake();
}

fn frames_waiting() -> u32 {
    read(RX_FIFO_INF) >> 16
}

/// One received frame, read from the FIFO when consumed.
pub struct RxToken<'a> {
    buf: &'a mut [u8; RX_BUF],
}

/// Room for one frame to send.
pub struct TxToken<'a> {
    buf: &'a mut [u8; MTU],
}

impl embassy_net_driver::RxToken for RxToken<'_> {
    fn consume<R, F: FnOnce(&mut [u8]) -> R>(self, f: F) -> R {
        let status = read(RX_STATUS_FIFO);
        let len = ((status >> RX_STS_LEN_SHIFT) & RX_STS_LEN_MASK) as usize;
        // Every word of the frame leaves the FIFO, whether the frame is kept or not.
        let mut kept = 0;
        for _ in 0..len.div_ceil(4) {
            let word = read(RX_DATA_FIFO).to_le_bytes();
            if let Some(dst) = self.buf.get_mut(kept..kept + 4) {
                dst.copy_from_slice(&word);
                kept += 4;
            }
        }
        let good = status & RX_STS_ERROR == 0 && (FCS_LEN..=kept).contains(&len);
        let frame = if good { self.buf.get_mut(..len - FCS_LEN) } else { None };
        // An errored or oversized frame is handed on empty: smoltcp drops it.
        f(frame.unwrap_or(&mut []))
    }
}

impl embassy_net_driver::TxToken for TxToken<'_> {
    fn consume<R, F: FnOnce(&mut [u8]) -> R>(self, len: usize, f: F) -> R {
        let len = len.min(MTU);
        let frame = &mut self.buf[..len];
        let result = f(frame);
        // The model never stops sending for a full status FIFO, but it stops recording.
        // Bounded too: each read pops an entry, so the FIFO empties within its 512.
        let _ = limits::poll_until(TX_STATUS_POLLS, || {
            let empty = read(TX_FIFO_INF) >> 16 == 0;
            if !empty {
                read(TX_STATUS_FIFO);
            }
            empty
        });
        let room = limits::poll_until(TX_ROOM_POLLS, || limits::tx_fits(read(TX_FIFO_INF), len));
        if room.is_err() {
            defmt::warn!("LAN9118: frame of {=usize} B dropped: {}", len, Error::TxFifoFull);
            return result;
        }
        write(TX_DATA_FIFO, TX_CMD_A_FIRST_LAST | len as u32);
        // TX command B: packet tag (unused) and the frame's length.
        write(TX_DATA_FIFO, len as u32);
        for chunk in frame.chunks(4) {
            let mut word = [0; 4];
            word[..chunk.len()].copy_from_slice(chunk);
            write(TX_DATA_FIFO, u32::from_le_bytes(word));
        }
        result
    }
}

impl embassy_net_driver::Driver for Lan9118 {
    type RxToken<'a> = RxToken<'a>;
    type TxToken<'a> = TxToken<'a>;

    fn receive(&mut self, cx: &mut Context) -> Option<(RxToken<'_>, TxToken<'_>)> {
        // Registered before the check: a frame that arrives after it raises the interrupt,
        // which wakes this waker.
        RX_WAKER.register(cx.waker());
        if frames_waiting() == 0 {
            return None;
        }
        Some((RxToken { buf: &mut self.rx }, TxToken { buf: &mut self.tx }))
    }

    fn transmit(&mut self, _cx: &mut Context) -> Option<TxToken<'_>> {
        // The token checks for room when the frame is written (a bounded wait; QEMU's
        // model sends each frame at once, so there is always room there).
        Some(TxToken { buf: &mut self.tx })
    }

    fn link_state(&mut self, _cx: &mut Context) -> LinkState {
        LinkState::Up
    }

    fn capabilities(&self) -> Capabilities {
        let mut caps = Capabilities::default();
        caps.max_transmission_unit = MTU;
        caps.max_burst_size = Some(1);
        caps
    }

    fn hardware_address(&self) -> HardwareAddress {
        HardwareAddress::Ethernet(self.mac)
    }
}
