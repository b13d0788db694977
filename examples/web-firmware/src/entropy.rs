//! Randomness on a board without a random number generator.
//!
//! The MPS2 AN386 has no TRNG. What is unpredictable on it is *when* things happen: each
//! received Ethernet frame stirs the LAN9118's 25 MHz `FREE_RUN` counter into an
//! accumulator, and under QEMU those arrival times carry the host's scheduling and
//! network jitter. Each draw hashes the accumulator into a 256-bit pool with SHA-256 and
//! hands out a hash of the pool, so an output reveals neither the pool nor the outputs
//! after it.
//!
//! That makes the demo's tokens and its session key (drawn at boot, see `main`) differ
//! from run to run and unguessable from the tokens a visitor sees, but the entropy is
//! only as good as the timing, and at boot the pool holds little more than the time
//! boot took: a device takes its tokens and keys from its TRNG (or a CSPRNG seeded
//! from one).

use core::cell::Cell;

use critical_section::Mutex;
use sha2::{Digest, Sha256};

/// Timing samples since the last draw, folded together (cheap enough for the interrupt).
static SAMPLES: Mutex<Cell<u64>> = Mutex::new(Cell::new(0));
/// The pool, and how many draws were made from it.
static POOL: Mutex<Cell<([u8; 32], u64)>> = Mutex::new(Cell::new(([0; 32], 0)));

/// SplitMix64's finaliser: every bit of a sample reaches every bit of the accumulator.
const fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Adds a timing sample (called from the Ethernet interrupt).
pub fn stir(sample: u32) {
    critical_section::with(|cs| {
        let samples = SAMPLES.borrow(cs);
        samples.set(mix(samples.get().rotate_left(23) ^ u64::from(sample)));
    });
}

/// Fills `out` with bytes drawn from the pool. Called from tasks only (thread mode), so
/// no other draw runs between reading the pool and writing it back.
pub fn fill(out: &mut [u8]) {
    let (samples, (pool, draws)) =
        critical_section::with(|cs| (SAMPLES.borrow(cs).take(), POOL.borrow(cs).get()));
    let now = crate::lan9118::free_run();
    let pool: [u8; 32] = Sha256::new()
        .chain_update(pool)
        .chain_update(samples.to_le_bytes())
        .chain_update(now.to_le_bytes())
        .chain_update(draws.to_le_bytes())
        .finalize()
        .into();
    critical_section::with(|cs| POOL.borrow(cs).set((pool, draws + 1)));
    for (i, chunk) in out.chunks_mut(32).enumerate() {
        let block = Sha256::new()
            .chain_update(b"out")
            .chain_update(pool)
            .chain_update((i as u64).to_le_bytes())
            .finalize();
        chunk.copy_from_slice(&block[..chunk.len()]);
    }
}

/// 64 bits from the pool.
pub fn next_u64() -> u64 {
    let mut bytes = [0; 8];
    fill(&mut bytes);
    u64::from_le_bytes(bytes)
}
