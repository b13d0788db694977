//! Randomness on a board without a random number generator.
//!
//! The MPS2 AN386 has no TRNG. What is unpredictable on it is *when* things happen: each
//! received Ethernet frame stirs the 25 MHz `FREE_RUN` counter of the LAN9118 into a
//! pool, and under QEMU those arrival times carry the host's scheduling and network
//! jitter. Values are drawn from the pool through the SplitMix64 finaliser.
//!
//! This is enough to make the demo's session identifiers differ from run to run; it is
//! not a cryptographic generator. A device takes its session tokens from its TRNG (or a
//! CSPRNG seeded from one).

use core::cell::Cell;

use critical_section::Mutex;

static POOL: Mutex<Cell<u64>> = Mutex::new(Cell::new(0x6A09_E667_F3BC_C908));

/// SplitMix64's increment, the golden ratio in 64 bits.
const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

/// SplitMix64's finaliser: every input bit reaches every output bit.
const fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Adds a timing sample to the pool.
pub fn stir(sample: u32) {
    critical_section::with(|cs| {
        let pool = POOL.borrow(cs);
        pool.set(mix(pool.get() ^ u64::from(sample)));
    });
}

/// 64 bits from the pool.
pub fn next_u64() -> u64 {
    critical_section::with(|cs| {
        let pool = POOL.borrow(cs);
        let next = pool.get().wrapping_add(GOLDEN);
        pool.set(next);
        mix(next)
    })
}
