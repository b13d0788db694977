//! Decimal output without `core::fmt`, whose indirect calls would pull formatting
//! code into a firmware and leave its stack use unbounded.

/// The decimal digits of a number's magnitude, written without `core::fmt`.
#[derive(Default)]
pub(crate) struct Digits([u8; 20]);

impl Digits {
    pub(crate) fn of(&mut self, n: i64) -> &[u8] {
        let mut n = n.unsigned_abs();
        let mut start = self.0.len();
        for slot in self.0.iter_mut().rev() {
            let digit;
            (n, digit) = div_rem_10(n);
            *slot = b'0' + digit;
            start -= 1;
            if n == 0 {
                break;
            }
        }
        self.0.get(start..).unwrap_or_default()
    }
}

/// `n / 10` and `n % 10`. On a 32-bit target a 64-bit `/` calls a division routine
/// of 866 B, so there it is long division in 16-bit limbs: four 32-bit divisions by
/// a constant, which compile to multiplications. A 64-bit target multiplies.
fn div_rem_10(n: u64) -> (u64, u8) {
    if cfg!(target_pointer_width = "64") {
        (n / 10, (n % 10) as u8)
    } else {
        div_rem_10_in_limbs(n)
    }
}

fn div_rem_10_in_limbs(n: u64) -> (u64, u8) {
    let (mut quotient, mut rem) = (0u64, 0u32);
    for shift in [48, 32, 16, 0] {
        let limb = (rem << 16) | ((n >> shift) as u32 & 0xFFFF);
        quotient |= u64::from(limb / 10) << shift;
        rem = limb % 10;
    }
    (quotient, rem as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The limbs, which a 64-bit target does not use, checked on it too.
    #[test]
    fn div_rem_10_in_limbs_matches_the_operators() {
        for n in [0, 1, 9, 10, 65_535, 65_536, 655_359, u64::from(u32::MAX), 1 << 63, u64::MAX] {
            assert_eq!(div_rem_10_in_limbs(n), (n / 10, (n % 10) as u8), "{n}");
        }
    }
}
