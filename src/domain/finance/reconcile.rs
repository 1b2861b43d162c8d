//! The year-end reconciliation: savings or losses against the benchmark, and what is earned or owed.
//!
//! Rules (42 CFR 425.604 for one-sided, 425.606 Track 2, 425.610 Track 3, as in force for 2018):
//! - `S = B − E`, savings rate `S / B` (B the benchmark total, E the expenditure total).
//! - Generated = the whole `S` (first dollar, not the excess) when `S > 0` and the rate ≥ MSR, or
//!   `S < 0` and `−rate ≥ MLR`; else 0 (425.604(c)–(d), 425.606(c)–(d), (g)).
//! - Final sharing rate = maximum sharing rate × quality score when the quality standard is met, else 0.
//! - Savings: `min(generated × FSR × (1 − holdback), payment cap × B)`: the 2 % sequestration comes
//!   before the performance payment limit (425.604(e), 425.606(e), 425.610(e)).
//! - Losses, two-sided only: `generated × loss rate`, no further than the loss sharing limit
//!   (`−loss cap × B`, 425.606(h)(3), 425.610(h)(3)), then reduced by the extreme and uncontrollable
//!   circumstances adjustment (425.606(i), 425.610(i)). One-sided contracts owe nothing.
//! - Rates are f64 on currency units; amounts stay in cents and `earned` is rounded to the cent
//!   (half away from zero) at the end only.

use super::contract::Contract;
use crate::domain::money::Money;
use serde::{Deserialize, Serialize};

/// Tolerance of the MSR/MLR comparisons, so a rate equal to the threshold in decimal is not lost to
/// binary representation (e.g. 2,000,000 / 100,000,000 against 0.02).
const RATE_EPSILON: f64 = 1e-12;

/// One network's year as the reconciliation sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReconcileInput {
    /// Assigned beneficiaries N (selects the variable MSR).
    pub assigned_beneficiaries: u32,
    /// Benchmark total B.
    pub benchmark_total: Money,
    /// Expenditure total E.
    pub expenditure_total: Money,
    /// Quality score, a fraction 0..=1.
    pub quality_score: f64,
    /// Whether the quality standard (the contract's gate) was met.
    pub quality_standard_met: bool,
    /// The MSR to use; `None` = the contract's rule (fixed, or the 425.604(b) table).
    pub msr: Option<f64>,
    /// The MLR to use; `None` = the contract's MLR, else the MSR.
    pub mlr: Option<f64>,
    /// Agreement year (1 = first), selecting the loss cap.
    pub agreement_year: u32,
    /// Extreme and uncontrollable circumstances adjustment as published (≤ 0): it shrinks a loss.
    /// A positive value is read by its magnitude.
    pub disaster_adjustment: Money,
}

/// The result of a reconciliation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reconciliation {
    /// `S = B − E` (negative = a loss).
    pub savings: Money,
    /// `S / B` (0 when B is not positive).
    pub savings_rate: f64,
    /// The MSR applied.
    pub msr: f64,
    /// The MLR applied (also for one-sided contracts, where it only decides `generated`).
    pub mlr: f64,
    /// True when the MSR came from below the table (N < 5,000 read as 5,000).
    pub msr_below_table: bool,
    /// Generated savings (> 0) or losses (< 0), first dollar; 0 inside the corridor.
    pub generated: Money,
    /// Final sharing rate.
    pub final_sharing_rate: f64,
    /// Shared loss rate (two-sided contracts only).
    pub loss_rate: Option<f64>,
    /// Earned (> 0, paid to the network) or owed (< 0) after caps and adjustments, to the cent.
    pub earned: Money,
    /// True when the payment cap or the loss cap bound.
    pub cap_applied: bool,
}

/// Reconciles one year under `contract`. Pure; never fails (a non-positive benchmark earns 0).
pub fn reconcile(contract: &Contract, input: &ReconcileInput) -> Reconciliation {
    let b = input.benchmark_total;
    let savings = b - input.expenditure_total;
    let b_cents = b.minor() as f64;
    let s_cents = savings.minor() as f64;
    let savings_rate = if b > Money::ZERO {
        s_cents / b_cents
    } else {
        0.0
    };

    let table = contract.msr_for(input.assigned_beneficiaries);
    let (msr, msr_below_table) = match input.msr {
        Some(rate) => (rate, false),
        None => (table.rate, table.below_table),
    };
    let mlr = input
        .mlr
        .or_else(|| contract.losses.as_ref().and_then(|l| l.mlr))
        .unwrap_or(msr);

    let final_sharing_rate =
        contract.final_sharing_rate(input.quality_score, input.quality_standard_met);
    let loss_rate = contract.loss_rate(final_sharing_rate);

    let beyond_msr = savings > Money::ZERO && savings_rate + RATE_EPSILON >= msr;
    let beyond_mlr = savings < Money::ZERO && -savings_rate + RATE_EPSILON >= mlr;
    let generated = if b > Money::ZERO && (beyond_msr || beyond_mlr) {
        savings
    } else {
        Money::ZERO
    };
    let g_cents = generated.minor() as f64;

    let mut cap_applied = false;
    let earned_cents = if generated > Money::ZERO {
        let shared = g_cents * final_sharing_rate * (1.0 - contract.holdback);
        let cap = contract.payment_cap * b_cents;
        if shared > cap {
            cap_applied = true;
            cap
        } else {
            shared
        }
    } else if generated < Money::ZERO {
        match (loss_rate, contract.loss_cap(input.agreement_year)) {
            (Some(rate), Some(loss_cap)) => {
                // The rule, in its order: generated × loss rate − disaster adjustment (which
                // is ≤ 0, so it shrinks the loss and never turns it into a payment), then held
                // no further than the loss cap. 42 CFR 425.606(i) can be read as reducing the loss
                // after the limit instead; the two differ only when the cap binds.
                let relief = input.disaster_adjustment.minor().unsigned_abs() as f64;
                let shared = (g_cents * rate + relief).min(0.0);
                let floor = -loss_cap * b_cents;
                if shared < floor {
                    cap_applied = true;
                    floor
                } else {
                    shared
                }
            }
            _ => 0.0,
        }
    } else {
        0.0
    };

    Reconciliation {
        savings,
        savings_rate,
        msr,
        mlr,
        msr_below_table,
        generated,
        final_sharing_rate,
        loss_rate,
        earned: round_cents(earned_cents),
        cap_applied,
    }
}

/// Rounds an amount in cents to a whole cent, half away from zero. A value within binary noise of
/// a half cent (relative 4e-15, i.e. a tie in decimal arithmetic) is treated as the tie.
pub fn round_cents(cents: f64) -> Money {
    if !cents.is_finite() {
        return Money::ZERO;
    }
    let magnitude = cents.abs();
    let whole = magnitude.floor();
    let tolerance = (magnitude * 4e-15).max(1e-9);
    let rounded = if magnitude - whole + tolerance >= 0.5 {
        whole + 1.0
    } else {
        whole
    };
    let minor = rounded as i64;
    Money(if cents < 0.0 { -minor } else { minor })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn preset(id: &str) -> Contract {
        Contract::preset(id).unwrap_or_else(|e| panic!("{e:?}"))
    }

    /// A 10,000-beneficiary network with a 100,000,000.00 benchmark, quality 90 % met, year 1.
    fn input(expenditure_major: i64) -> ReconcileInput {
        ReconcileInput {
            assigned_beneficiaries: 10_000,
            benchmark_total: Money::from_major(100_000_000),
            expenditure_total: Money::from_major(expenditure_major),
            quality_score: 0.9,
            quality_standard_met: true,
            msr: None,
            mlr: None,
            agreement_year: 1,
            disaster_adjustment: Money::ZERO,
        }
    }

    #[test]
    fn first_dollar_sharing_above_the_msr() {
        // N = 10,000 → MSR 3.0 %; S = 4,000,000 (4 %) → the whole S is generated.
        let r = reconcile(&preset("mssp-2018-track-1"), &input(96_000_000));
        assert_eq!(r.savings, Money::from_major(4_000_000));
        assert!((r.savings_rate - 0.04).abs() < 1e-15);
        assert!((r.msr - 0.03).abs() < 1e-15);
        assert_eq!(r.generated, Money::from_major(4_000_000));
        assert!((r.final_sharing_rate - 0.45).abs() < 1e-15);
        // 4,000,000 × 0.45 × 0.98 = 1,764,000
        assert_eq!(r.earned, Money::from_major(1_764_000));
        assert!(!r.cap_applied);
        assert_eq!(r.loss_rate, None);
    }

    #[test]
    fn savings_below_the_msr_generate_nothing() {
        // 2.9 % < 3.0 %
        let r = reconcile(&preset("mssp-2018-track-1"), &input(97_100_000));
        assert_eq!(r.savings, Money::from_major(2_900_000));
        assert_eq!(r.generated, Money::ZERO);
        assert_eq!(r.earned, Money::ZERO);
        // Exactly at the MSR counts.
        let r = reconcile(&preset("mssp-2018-track-1"), &input(97_000_000));
        assert_eq!(r.generated, Money::from_major(3_000_000));
    }

    #[test]
    fn the_payment_cap_binds_after_the_holdback() {
        // S = 30 % of B; 30,000,000 × 0.6 × 0.98 = 17,640,000 > 15 % × B = 15,000,000.
        let mut i = input(70_000_000);
        i.quality_score = 1.0;
        let r = reconcile(&preset("mssp-2018-track-2"), &i);
        assert_eq!(r.earned, Money::from_major(15_000_000));
        assert!(r.cap_applied);
        // Track 1: 30,000,000 × 0.5 × 0.98 = 14,700,000 > 10,000,000.
        let r = reconcile(&preset("mssp-2018-track-1"), &i);
        assert_eq!(r.earned, Money::from_major(10_000_000));
        assert!(r.cap_applied);
        // 20 % savings: 20,000,000 × 0.5 × 0.98 = 9,800,000 < 10,000,000 — the holdback comes first.
        let r = reconcile(&preset("mssp-2018-track-1"), &input(80_000_000));
        assert_eq!(r.earned, Money::from_major(8_820_000));
        assert!(!r.cap_applied);
    }

    #[test]
    fn two_sided_loss_and_its_cap_by_agreement_year() {
        let t2 = preset("mssp-2018-track-2");
        // Loss 4 %: −4,000,000 × (1 − 0.54 = 0.46) = −1,840,000, within every year's cap.
        let r = reconcile(&t2, &input(104_000_000));
        assert_eq!(r.generated, Money::from_major(-4_000_000));
        assert_eq!(r.earned, Money::from_major(-1_840_000));
        assert!(!r.cap_applied);
        // Loss 30 %: −30,000,000 × 0.46 = −13,800,000, capped at 5 / 7.5 / 10 % of B.
        for (year, cap) in [
            (1, 5_000_000),
            (2, 7_500_000),
            (3, 10_000_000),
            (4, 10_000_000),
        ] {
            let mut i = input(130_000_000);
            i.agreement_year = year;
            let r = reconcile(&t2, &i);
            assert_eq!(r.earned, Money::from_major(-cap), "year {year}");
            assert!(r.cap_applied);
        }
        // Track 3: 1 − 0.675 = 0.325 is held at the 40 % floor: −12,000,000, within the 15 % cap.
        let r = reconcile(&preset("mssp-2018-track-3"), &input(130_000_000));
        assert_eq!(r.loss_rate, Some(0.40));
        assert_eq!(r.earned, Money::from_major(-12_000_000));
        assert!(!r.cap_applied);
        // Track 1+: flat 30 %: −9,000,000, capped at 4 % = −4,000,000.
        let r = reconcile(&preset("mssp-2018-track-1-plus"), &input(130_000_000));
        assert_eq!(r.earned, Money::from_major(-4_000_000));
        assert!(r.cap_applied);
    }

    #[test]
    fn quality_failure_earns_nothing_and_loses_at_the_upper_rate() {
        let mut i = input(90_000_000);
        i.quality_standard_met = false;
        let r = reconcile(&preset("mssp-2018-track-1"), &i);
        assert_eq!(r.generated, Money::from_major(10_000_000));
        assert_eq!(r.final_sharing_rate, 0.0);
        assert_eq!(r.earned, Money::ZERO);
        let mut i = input(104_000_000);
        i.quality_standard_met = false;
        let r = reconcile(&preset("mssp-2018-track-2"), &i);
        assert_eq!(r.loss_rate, Some(0.60));
        assert_eq!(r.earned, Money::from_major(-2_400_000));
        let r = reconcile(&preset("mssp-2018-track-3"), &i);
        assert_eq!(r.loss_rate, Some(0.75));
        assert_eq!(r.earned, Money::from_major(-3_000_000));
    }

    #[test]
    fn one_sided_losses_owe_nothing() {
        let r = reconcile(&preset("mssp-2018-track-1"), &input(110_000_000));
        assert_eq!(r.generated, Money::from_major(-10_000_000));
        assert_eq!(r.earned, Money::ZERO);
        assert!(!r.cap_applied);
    }

    #[test]
    fn losses_inside_the_mlr_corridor_owe_nothing() {
        let mut i = input(101_500_000);
        i.msr = Some(0.02);
        let r = reconcile(&preset("mssp-2018-track-2"), &i);
        assert_eq!((r.generated, r.earned), (Money::ZERO, Money::ZERO));
        i.mlr = Some(0.01);
        let r = reconcile(&preset("mssp-2018-track-2"), &i);
        // −1,500,000 × 0.46 = −690,000
        assert_eq!(r.earned, Money::from_major(-690_000));
    }

    #[test]
    fn the_disaster_adjustment_shrinks_a_loss() {
        let mut i = input(104_000_000);
        i.disaster_adjustment = Money::from_major(-340_000);
        let r = reconcile(&preset("mssp-2018-track-2"), &i);
        assert_eq!(r.earned, Money::from_major(-1_500_000));
        // Applied before the loss cap, as the rule is written: a capped loss stays at the cap.
        let mut i = input(130_000_000);
        i.disaster_adjustment = Money::from_major(-1_000_000);
        let r = reconcile(&preset("mssp-2018-track-2"), &i);
        assert_eq!(r.earned, Money::from_major(-5_000_000));
        assert!(r.cap_applied);
        // It never turns a loss into a payment, and savings ignore it.
        let mut i = input(104_000_000);
        i.disaster_adjustment = Money::from_major(-5_000_000);
        assert_eq!(
            reconcile(&preset("mssp-2018-track-2"), &i).earned,
            Money::ZERO
        );
        let mut i = input(96_000_000);
        i.disaster_adjustment = Money::from_major(-5_000_000);
        assert_eq!(
            reconcile(&preset("mssp-2018-track-2"), &i).earned,
            Money::from_major(2_116_800)
        );
    }

    #[test]
    fn earned_is_rounded_to_the_cent_half_away_from_zero() {
        // 12,345.67 saved of 100,000.00 (12.3 %), quality 0.87, MSR 3.9 % (Track 1, 2 % holdback):
        // 1,234,567 c × 0.5 × 0.87 × 0.98 = 526,295.9121 c → 5,262.96
        let pilot = preset("mssp-2018-track-1");
        let i = ReconcileInput {
            assigned_beneficiaries: 1_200,
            benchmark_total: Money(10_000_000),
            expenditure_total: Money(10_000_000 - 1_234_567),
            quality_score: 0.87,
            quality_standard_met: true,
            msr: None,
            mlr: None,
            agreement_year: 1,
            disaster_adjustment: Money::ZERO,
        };
        assert_eq!(reconcile(&pilot, &i).earned, Money(526_296));
        // A decimal tie: 0.50 saved × 0.5 × 0.98 = 24.5 c → 25 c; and −24.5 c → −25 c.
        assert_eq!(round_cents(50.0 * 0.5 * 0.98), Money(25));
        assert_eq!(round_cents(-(50.0 * 0.5 * 0.98)), Money(-25));
        assert_eq!(round_cents(24.499), Money(24));
        assert_eq!(round_cents(-0.4), Money(0));
        assert_eq!(round_cents(1_234_567_890.5), Money(1_234_567_891));
    }

    #[test]
    fn below_table_msr_is_flagged_and_an_override_wins() {
        let mut i = input(96_000_000);
        i.assigned_beneficiaries = 3_000;
        let r = reconcile(&preset("mssp-2018-track-1"), &i);
        assert!(r.msr_below_table);
        assert!((r.msr - 0.039).abs() < 1e-15);
        i.msr = Some(0.05);
        let r = reconcile(&preset("mssp-2018-track-1"), &i);
        assert!(!r.msr_below_table);
        assert_eq!(r.generated, Money::ZERO);
    }

    #[test]
    fn a_non_positive_benchmark_earns_nothing() {
        let mut i = input(1_000);
        i.benchmark_total = Money::ZERO;
        let r = reconcile(&preset("mssp-2018-track-2"), &i);
        assert_eq!(
            (r.savings_rate, r.generated, r.earned),
            (0.0, Money::ZERO, Money::ZERO)
        );
    }

    const PRESETS: [&str; 5] = [
        "mssp-2018-track-1",
        "mssp-2018-track-2",
        "mssp-2018-track-3",
        "mssp-2018-track-1-plus",
        "regional-pilot",
    ];

    fn any_input() -> impl Strategy<Value = (usize, ReconcileInput)> {
        (
            0..PRESETS.len(),
            (
                0u32..120_000,
                1i64..1_000_000_000_000, // up to 10 billion
                0i64..2_000_000_000_000,
            ),
            (0.0f64..=1.0, any::<bool>(), prop::option::of(0.0f64..0.05)),
            (prop::option::of(0.0f64..0.05), 1u32..6, -500_000_000i64..=0),
        )
            .prop_map(|(p, (n, b, e), (q, met, msr), (mlr, year, disaster))| {
                (
                    p,
                    ReconcileInput {
                        assigned_beneficiaries: n,
                        benchmark_total: Money(b),
                        expenditure_total: Money(e),
                        quality_score: q,
                        quality_standard_met: met,
                        msr,
                        mlr,
                        agreement_year: year,
                        disaster_adjustment: Money(disaster),
                    },
                )
            })
    }

    proptest! {
        #[test]
        fn earned_stays_within_the_caps((p, i) in any_input()) {
            let contract = preset(PRESETS[p]);
            let r = reconcile(&contract, &i);
            let b = i.benchmark_total.minor() as f64;
            prop_assert!(r.earned.minor() as f64 <= contract.payment_cap * b + 0.5);
            let loss_cap = contract.loss_cap(i.agreement_year).unwrap_or(0.0);
            prop_assert!(r.earned.minor() as f64 >= -loss_cap * b - 0.5);
        }

        #[test]
        fn earned_never_rises_with_expenditure((p, i) in any_input(), extra in 0i64..200_000_000_000) {
            let contract = preset(PRESETS[p]);
            let lower = reconcile(&contract, &i);
            let mut more = i.clone();
            more.expenditure_total = i.expenditure_total + Money(extra);
            let higher = reconcile(&contract, &more);
            prop_assert!(higher.earned <= lower.earned, "{:?} then {:?}", lower, higher);
        }
    }
}
