//! The driver's two checks as pure functions of register values, so that the host
//! can test them: whether a frame fits the TX data FIFO, and a wait with a bound.
//!
//! This file uses nothing but `core`, so it is also a crate of its own for the host:
//! `rustc --edition 2024 --test src/lan9118/limits.rs` builds its tests (the firmware
//! itself builds only for the target; see `.ci/run`).

/// `TX_FIFO_INF` bits 15:0, `TDFREE`: the TX data FIFO's free space. QEMU's model
/// counts it in 32-bit words (the datasheet's chip counts bytes: a driver for the chip
/// compares bytes, see [`tx_fits`]).
const TDFREE_MASK: u32 = 0xFFFF;

/// Words a frame of `len` bytes takes in the TX data FIFO: TX command A, TX command B,
/// and the frame's bytes in whole words.
pub const fn tx_words(len: usize) -> usize {
    2 + len.div_ceil(4)
}

/// Whether a frame of `len` bytes fits the free space `TX_FIFO_INF` reports.
pub const fn tx_fits(tx_fifo_inf: u32, len: usize) -> bool {
    (tx_fifo_inf & TDFREE_MASK) as usize >= tx_words(len)
}

/// A wait that reached its bound: the condition never held.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimedOut;

/// Polls `done` until it holds, at most `polls` times.
pub fn poll_until(polls: u32, mut done: impl FnMut() -> bool) -> Result<(), TimedOut> {
    for _ in 0..polls {
        if done() {
            return Ok(());
        }
    }
    Err(TimedOut)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_frame_fits_only_with_room_for_its_commands_and_words() {
        // (TX_FIFO_INF, frame length, fits)
        let cases = [
            (0x0000_0000, 0, false),
            (0x0000_0002, 0, true),
            (0x0000_0002, 1, false),
            (0x0000_0003, 4, true),
            (0x0000_0003, 5, false),
            (0x0000_017D, 1514, true), // 2 + 379 words
            (0x0000_017C, 1514, false),
            // The TX status FIFO's count in bits 23:16 is not free space.
            (0x00FF_0000, 60, false),
            (0x00FF_0011, 60, true),
        ];
        for (inf, len, fits) in cases {
            assert_eq!(tx_fits(inf, len), fits, "{inf:#010x} {len}");
        }
    }

    #[test]
    fn a_wait_ends_when_done_or_at_its_bound() {
        let mut polls = 0;
        assert_eq!(
            poll_until(10, || {
                polls += 1;
                polls == 3
            }),
            Ok(())
        );
        assert_eq!(polls, 3);
        let mut polls = 0;
        assert_eq!(
            poll_until(10, || {
                polls += 1;
                false
            }),
            Err(TimedOut)
        );
        assert_eq!(polls, 10);
        assert_eq!(poll_until(0, || true), Err(TimedOut));
    }
}
