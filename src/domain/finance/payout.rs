//! The last steps of the savings waterfall, each amount shown: savings × sharing rate × quality
//! score = shared before the holdback; − holdback; held to the payment cap = earned.
//!
//! The amounts come from the same [`reconcile`] that `finance reconcile` uses (so the 548 ACOs of
//! CMS's 2018 results stay exact); this module only spells out its intermediate figures:
//! `earned = 0` below the MSR, else `min(savings × sharing rate × quality score × (1 − holdback),
//! payment cap × benchmark)` — the order CMS paid in 2018 (the 2 % sequestration before the cap,
//! 42 CFR 425.604(e)).
//!
//! [`reconcile`]: super::reconcile::reconcile

use super::contract::Contract;
use super::reconcile::{Reconciliation, round_cents};
use crate::domain::money::Money;
use serde::{Deserialize, Serialize};

/// The payout steps of one (projected or final) year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Payout {
    /// Savings counted (the whole savings when the MSR is reached, else 0; losses likewise).
    pub generated: Money,
    /// The contract's maximum sharing rate.
    pub sharing_rate: f64,
    /// The quality score applied (0..=1); 0 when the quality gate is not passed.
    pub quality_score: f64,
    /// Sharing rate × quality score.
    pub final_sharing_rate: f64,
    /// Generated × final sharing rate (before the holdback).
    pub before_holdback: Money,
    /// The holdback (sequestration) rate.
    pub holdback_rate: f64,
    /// The amount held back.
    pub holdback: Money,
    /// The payment cap as an amount (cap rate × benchmark total).
    pub payment_cap: Money,
    /// The cap as a share of the benchmark.
    pub payment_cap_rate: f64,
    /// True when the payment (or loss) cap bound.
    pub cap_applied: bool,
    /// Earned (> 0) or owed (< 0).
    pub earned: Money,
}

impl Payout {
    /// The steps of `result` under `contract` for a benchmark total and quality score.
    pub fn of(
        contract: &Contract,
        result: &Reconciliation,
        benchmark_total: Money,
        quality_score: f64,
        gate_met: bool,
    ) -> Payout {
        let quality = if gate_met && quality_score.is_finite() {
            quality_score.clamp(0.0, 1.0)
        } else {
            0.0
        };
        let g = result.generated.minor() as f64;
        let (before, held) = if result.generated > Money::ZERO {
            let before = g * result.final_sharing_rate;
            (before, before * contract.holdback)
        } else {
            (0.0, 0.0)
        };
        Payout {
            generated: result.generated,
            sharing_rate: contract.max_sharing_rate,
            quality_score: quality,
            final_sharing_rate: result.final_sharing_rate,
            before_holdback: round_cents(before),
            holdback_rate: contract.holdback,
            holdback: round_cents(held),
            payment_cap: round_cents(contract.payment_cap * benchmark_total.minor() as f64),
            payment_cap_rate: contract.payment_cap,
            cap_applied: result.cap_applied,
            earned: result.earned,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::finance::reconcile::{ReconcileInput, reconcile};

    fn run(id: &str, spend: i64, quality: f64) -> Payout {
        let contract = Contract::preset(id).unwrap();
        let input = ReconcileInput {
            assigned_beneficiaries: 10_000,
            benchmark_total: Money::from_major(100_000_000),
            expenditure_total: Money::from_major(spend),
            quality_score: quality,
            quality_standard_met: true,
            msr: None,
            mlr: None,
            agreement_year: 1,
            disaster_adjustment: Money::ZERO,
        };
        let r = reconcile(&contract, &input);
        Payout::of(&contract, &r, input.benchmark_total, quality, true)
    }

    #[test]
    fn each_preset_spells_out_its_arithmetic() {
        // Track 1, N = 10,000 → MSR 3 %: 4,000,000 × 0.5 × 0.9 = 1,800,000; holdback 2 % = 36,000.
        let p = run("mssp-2018-track-1", 96_000_000, 0.9);
        assert_eq!(p.before_holdback, Money::from_major(1_800_000));
        assert_eq!(p.holdback, Money::from_major(36_000));
        assert_eq!(p.earned, Money::from_major(1_764_000));
        assert_eq!(p.payment_cap, Money::from_major(10_000_000));
        assert!(!p.cap_applied);
        // Track 3 with a 30 % saving: 30,000,000 × 0.75 × 1 × 0.98 = 22,050,000 > cap 20,000,000.
        let p = run("mssp-2018-track-3", 70_000_000, 1.0);
        assert!(p.cap_applied);
        assert_eq!(p.earned, Money::from_major(20_000_000));
        assert_eq!(p.before_holdback, Money::from_major(22_500_000));
        // Below the MSR nothing is generated.
        let p = run("mssp-2018-track-2", 99_000_000, 1.0);
        assert_eq!((p.generated, p.earned), (Money::ZERO, Money::ZERO));
        // Every preset: earned = min(before − holdback, cap) to the cent, when savings.
        for id in super::super::contract::preset_ids() {
            let p = run(id, 90_000_000, 0.8);
            let expect = (p.before_holdback - p.holdback).min(p.payment_cap);
            assert!((p.earned - expect).minor().abs() <= 1, "{id}: {p:?}");
        }
    }
}
