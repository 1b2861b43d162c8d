//! The variable minimum savings rate (MSR) of the one-sided model.
//!
//! Source: 42 CFR 425.604(b) (Track 1, as in force for 2018), the table also used as the fallback for
//! the two-sided tracks' MSR/MLR when the ACO's chosen rate is not given (42 CFR 425.606(b)(1)(ii),
//! 425.610(b)(1)(ii)). The MSR depends on the number of assigned beneficiaries `N`; within a band that
//! runs from `n0` to `n1` (the next band's start) with rates `a` at `n0` and `b` at `n1`:
//!
//! `MSR(N) = a + (N − n0) / (n1 − n0) × (b − a)`
//!
//! Below 5,000 beneficiaries an ACO is not eligible for the Shared Savings Program (42 CFR 425.110);
//! acodesk uses the 5,000 rate (3.9 %) there and flags it rather than refusing, so a small pilot can
//! still see a figure.

/// The MSR from the spread of per-capita spend: `z × CV / √N`, at least `floor`, where CV is the
/// coefficient of variation of spend per person and `N` the number of people. With no effect at
/// all, the network's mean spend lands more than `z` standard errors below its expectation with
/// probability 1 − Φ(z) (5 % at z = 1.645, a one-sided 90 % interval). CMS built its one-sided
/// MSR table the same way, on a 90 % confidence interval that narrows with the number of
/// beneficiaries (Medicare Shared Savings Program final rule, 76 Fed. Reg. 67802, Nov. 2, 2011);
/// see also DeLia et al., "Statistical uncertainty in the Medicare shared savings program",
/// Medicare & Medicaid Research Review 2012;2(4). A small network gets a wide band: with CV 1.5,
/// 400 people give 12.3 % — the size of CMS's later small-ACO tables (up to 12.2 %).
/// `None` when the spread is unknown (no people or no spend).
pub fn spread_msr(z: f64, cv: f64, people: u64, floor: f64) -> Option<f64> {
    (people > 0 && cv.is_finite() && cv > 0.0).then(|| (z * cv / (people as f64).sqrt()).max(floor))
}

/// The coefficient of variation from the sum, the sum of squares and the number of people (those
/// with no spend count as zeros).
pub fn coefficient_of_variation(sum: f64, sum_of_squares: f64, people: u64) -> Option<f64> {
    if people == 0 || sum <= 0.0 {
        return None;
    }
    let n = people as f64;
    let mean = sum / n;
    let variance = (sum_of_squares / n - mean * mean).max(0.0);
    Some(variance.sqrt() / mean)
}

/// The bands of the table: (band start, rate at the start, rate at the next band's start).
/// Rates are fractions (0.039 = 3.9 %). The last band (60,000 and over) is flat at 2.0 %.
const BANDS: &[(u32, f64, f64)] = &[
    (5_000, 0.039, 0.036),
    (6_000, 0.036, 0.034),
    (7_000, 0.034, 0.032),
    (8_000, 0.032, 0.031),
    (9_000, 0.031, 0.030),
    (10_000, 0.030, 0.027),
    (15_000, 0.027, 0.025),
    (20_000, 0.025, 0.022),
    (50_000, 0.022, 0.020),
    (60_000, 0.020, 0.020),
];

/// The smallest number of assigned beneficiaries the table covers.
pub const TABLE_MINIMUM: u32 = 5_000;

/// The MSR looked up for a number of assigned beneficiaries.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MsrLookup {
    /// The minimum savings rate as a fraction (0.039 = 3.9 %).
    pub rate: f64,
    /// True when `N` was below 5,000 and the 5,000 rate was used instead.
    pub below_table: bool,
}

/// The variable MSR for `assigned` beneficiaries (42 CFR 425.604(b)), linear within each band.
pub fn variable_msr(assigned: u32) -> MsrLookup {
    if assigned < TABLE_MINIMUM {
        return MsrLookup {
            rate: BANDS[0].1,
            below_table: true,
        };
    }
    let mut rate = BANDS[BANDS.len() - 1].1;
    for (i, &(n0, a, b)) in BANDS.iter().enumerate() {
        let Some(&(n1, _, _)) = BANDS.get(i + 1) else {
            break;
        };
        if assigned < n1 {
            let position = f64::from(assigned - n0) / f64::from(n1 - n0);
            rate = a + position * (b - a);
            break;
        }
    }
    MsrLookup {
        rate,
        below_table: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msr(n: u32) -> f64 {
        variable_msr(n).rate
    }

    fn close(actual: f64, expected_percent: f64) {
        let expected = expected_percent / 100.0;
        assert!(
            (actual - expected).abs() < 1e-12,
            "got {actual}, expected {expected}"
        );
    }

    #[test]
    fn band_starts_take_the_low_end_rate() {
        close(msr(5_000), 3.9);
        close(msr(6_000), 3.6);
        close(msr(7_000), 3.4);
        close(msr(8_000), 3.2);
        close(msr(9_000), 3.1);
        close(msr(10_000), 3.0);
        close(msr(15_000), 2.7);
        close(msr(20_000), 2.5);
        close(msr(50_000), 2.2);
        close(msr(60_000), 2.0);
    }

    #[test]
    fn band_middles_are_interpolated() {
        close(msr(5_500), 3.75);
        close(msr(6_500), 3.5);
        close(msr(7_500), 3.3);
        close(msr(8_500), 3.15);
        close(msr(9_500), 3.05);
        close(msr(12_500), 2.85);
        close(msr(17_500), 2.6);
        close(msr(35_000), 2.35);
        close(msr(55_000), 2.1);
    }

    #[test]
    fn band_ends_approach_the_next_start() {
        // 5,999: 3.9 + 999/1000 × (3.6 − 3.9) = 3.6003 %
        close(msr(5_999), 3.6003);
        // 14,999: 3.0 + 4,999/5,000 × (2.7 − 3.0) = 2.70006 %
        close(msr(14_999), 2.70006);
        // 59,999: 2.2 + 9,999/10,000 × (2.0 − 2.2) = 2.00002 %
        close(msr(59_999), 2.00002);
        close(msr(60_000), 2.0);
        close(msr(100_000), 2.0);
        close(msr(u32::MAX), 2.0);
        assert!(!variable_msr(59_999).below_table);
    }

    #[test]
    fn below_the_table_uses_the_5000_rate_and_flags_it() {
        let small = variable_msr(4_999);
        close(small.rate, 3.9);
        assert!(small.below_table);
        assert!(variable_msr(0).below_table);
        assert!(!variable_msr(5_000).below_table);
    }

    #[test]
    fn the_table_never_rises_with_size() {
        let mut previous = msr(TABLE_MINIMUM);
        for n in (TABLE_MINIMUM..70_000).step_by(37) {
            let rate = msr(n);
            assert!(rate <= previous + 1e-15, "MSR rose at {n}");
            previous = rate;
        }
    }
}

#[cfg(test)]
mod spread_tests {
    use super::*;

    #[test]
    fn the_spread_msr_narrows_with_size() {
        // CV 1.5: 5,700 people → 1.645 × 1.5 / 75.5 = 3.27 %; 400 → 12.3 %; floor 2 % at 100,000.
        let m = spread_msr(1.645, 1.5, 5_700, 0.0).unwrap();
        assert!((m - 1.645 * 1.5 / 5_700f64.sqrt()).abs() < 1e-12);
        assert!((spread_msr(1.645, 1.5, 400, 0.0).unwrap() - 0.123375).abs() < 1e-9);
        assert_eq!(spread_msr(1.645, 1.5, 100_000, 0.02), Some(0.02));
        assert_eq!(spread_msr(1.645, 1.5, 0, 0.02), None);
        // Spend 0, 0, 30, 10 → mean 10, variance (900 + 100)/4 − 100 = 150.
        let cv = coefficient_of_variation(40.0, 1_000.0, 4).unwrap();
        assert!((cv - 150f64.sqrt() / 10.0).abs() < 1e-12);
        assert_eq!(coefficient_of_variation(0.0, 0.0, 4), None);
    }
}
