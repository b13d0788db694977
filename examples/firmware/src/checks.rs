//! Counting checks: each compares a result with the value it must have, logs the
//! outcome, and counts it. The firmware exits 0 only when none failed.

use defmt::{Format, Str};

/// `check!(checks, "what", got, want)`: compares and counts, with `what` interned by
/// defmt (in the ELF's `.defmt` section, not in flash).
macro_rules! check {
    ($checks:expr, $what:literal, $got:expr, $want:expr $(,)?) => {
        $checks.check(defmt::intern!($what), $got, $want)
    };
}
pub(crate) use check;

/// Passed and failed checks so far.
pub struct Checks {
    passed: u32,
    failed: u32,
}

impl Checks {
    pub const fn new() -> Self {
        Self { passed: 0, failed: 0 }
    }

    /// Names the case the next checks belong to.
    pub fn case(&mut self, name: Str) {
        defmt::info!("{=istr}", name);
    }

    /// Counts a pass when `got == want`, a failure (logging both values) otherwise.
    pub fn check<T: PartialEq + Format>(&mut self, what: Str, got: T, want: T) {
        if got == want {
            self.pass(what);
        } else {
            self.fail(what);
            defmt::error!("  got  {}", got);
            defmt::error!("  want {}", want);
        }
    }

    // One logging call site for every check, whatever its type.
    #[inline(never)]
    fn pass(&mut self, what: Str) {
        self.passed += 1;
        defmt::info!("  ok   {=istr}", what);
    }

    #[inline(never)]
    fn fail(&mut self, what: Str) {
        self.failed += 1;
        defmt::error!("  FAIL {=istr}", what);
    }

    pub fn passed(&self) -> u32 {
        self.passed
    }

    pub fn failed(&self) -> u32 {
        self.failed
    }
}
