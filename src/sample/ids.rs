//! Personal identifiers: unique OMS policy numbers and SNILS (with valid check digits) derived from
//! the patient number by a keyed decimal permutation, and mobile phone numbers.

use super::draw::splitmix;

/// A keyed permutation of `0..10^digits`: three rounds of an affine map and a digit rotation, so
/// consecutive patients get unrelated-looking numbers and no two patients share one.
fn scramble(x: u64, digits: u32, key: u64) -> u64 {
    let m = 10u128.pow(digits);
    let split = 10u128.pow(digits / 2);
    let rest = 10u128.pow(digits - digits / 2);
    let mut v = u128::from(x) % m;
    for round in 0..3u64 {
        let k = splitmix(key ^ round.wrapping_mul(0x9E37_79B9));
        let mut a = u128::from(k | 1) % m;
        if a % 5 == 0 {
            a = (a + 2) % m;
        }
        let b = u128::from(splitmix(k)) % m;
        v = (v * a + b) % m;
        v = (v % rest) * split + v / rest;
    }
    v as u64
}

/// A unique 16-digit OMS policy number: region prefix 29, a scrambled serial, a Luhn check digit.
pub(super) fn policy_number(index: u64, seed: u64) -> String {
    let serial = scramble(index, 13, seed ^ 0x0005_0115);
    let body = format!("29{serial:013}");
    format!("{body}{}", luhn_digit(&body))
}

/// The Luhn check digit of a string of digits.
fn luhn_digit(digits: &str) -> u32 {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 0 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                d
            }
        })
        .sum();
    (10 - sum % 10) % 10
}

/// SNILS numbers with check numbers start above 001-001-998.
const SNILS_FIRST: u64 = 1_001_999;

/// A unique SNILS `123-456-789 01` with a valid check number (cycle-walking keeps the permutation
/// inside the valid range).
pub(super) fn snils(index: u64, seed: u64) -> String {
    let key = seed ^ 0x5A5A_5A5A;
    let mut n = scramble(SNILS_FIRST + index % (1_000_000_000 - SNILS_FIRST), 9, key);
    while n < SNILS_FIRST {
        n = scramble(n, 9, key);
    }
    format!(
        "{:03}-{:03}-{:03} {:02}",
        n / 1_000_000,
        n / 1000 % 1000,
        n % 1000,
        snils_check(n)
    )
}

/// The SNILS check number of the nine-digit body ([`crate::domain::identifiers`] holds the rule).
pub(super) fn snils_check(n: u64) -> u64 {
    crate::domain::identifiers::snils_check_number(n)
}

/// A Russian mobile number, `+7 9XX XXX-XX-XX`.
pub(super) fn mobile(rng: &mut fastrand::Rng) -> String {
    format!(
        "+7 9{:02} {:03}-{:02}-{:02}",
        rng.u32(..100),
        rng.u32(..1000),
        rng.u32(..100),
        rng.u32(..100)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn scramble_is_a_permutation() {
        let images: BTreeSet<u64> = (0..1000).map(|x| scramble(x, 3, 42)).collect();
        assert_eq!(images.len(), 1000);
        assert!(images.iter().all(|v| *v < 1000));
    }

    #[test]
    fn identifiers_are_unique_and_valid() {
        let policies: BTreeSet<String> = (1..=20_000).map(|i| policy_number(i, 42)).collect();
        assert_eq!(policies.len(), 20_000);
        assert!(
            policies
                .iter()
                .all(|p| p.len() == 16 && luhn_digit(&p[..15]).to_string() == p[15..])
        );
        let snils: BTreeSet<String> = (1..=20_000).map(|i| snils(i, 42)).collect();
        assert_eq!(snils.len(), 20_000);
        assert_eq!(snils_check(112_233_445), 95);
    }
}
