//! The Budget tab's year-end projection: budget and spend to date, claims-lag completion, the
//! projected year-end spend, and what it would earn under the contract (via [`reconcile`]).
//!
//! - Months so far: January to the as-of month of the performance year (all twelve once the year
//!   is over, none before it starts).
//! - Budget to date: benchmark per person-year / 12 × member-months so far, each month weighted by
//!   the contract's seasonality (scaled to average 1, so flat seasonality is the plain product).
//! - Completed spend: each month's paid claims ÷ the completion factor for its lag, the number of
//!   months between the service month and the as-of month (lag 0 = the as-of month itself).
//! - Projected spend: completed spend per seasonally weighted member-month so far × the weighted
//!   member-months of the whole year. Months after the as-of month take their member-months from
//!   the input when given, else the latest elapsed month's (current enrolment carried forward).
//!   With no experience yet the projection assumes spend on benchmark.
//! - Benchmark total: per person-year × projected member-months / 12.
//! - What-if: a multiplier per claim category (e.g. inpatient × 0.95) applied to every month's paid
//!   claims, so it flows through spend to date, completion, projection and earnings.

use super::contract::Contract;
use super::reconcile::{ReconcileInput, reconcile, round_cents};
use crate::domain::money::Money;
use crate::domain::types::ClaimCategory;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One service month of the performance year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonthActuals {
    /// Service month, 1 = January (other values are ignored).
    pub month: u32,
    /// Claims paid so far for services in this month, by category.
    pub paid: BTreeMap<ClaimCategory, Money>,
    /// Member-months of enrolment in this month.
    pub member_months: u32,
}

/// Per-category spend multipliers for a what-if; a category not listed stays at 1.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WhatIf {
    /// Multiplier by category (0.95 = 5 % less).
    pub multipliers: BTreeMap<ClaimCategory, f64>,
}

impl WhatIf {
    /// The multiplier for a category (1 when not set or not a finite non-negative number).
    pub fn factor(&self, category: ClaimCategory) -> f64 {
        match self.multipliers.get(&category) {
            Some(m) if m.is_finite() && *m >= 0.0 => *m,
            _ => 1.0,
        }
    }
}

/// Everything the projection needs.
#[derive(Debug, Clone)]
pub struct ProjectionInput<'a> {
    /// The contract (MSR, sharing, caps, lag factors, seasonality).
    pub contract: &'a Contract,
    /// Benchmark per person-year (see [`Contract::benchmark_per_person_year`]).
    pub benchmark_per_person_year: Money,
    /// The performance year (calendar year).
    pub performance_year: i32,
    /// The date the figures are as of.
    pub as_of: NaiveDate,
    /// Paid claims and member-months by service month.
    pub months: &'a [MonthActuals],
    /// Assigned beneficiaries (selects a variable MSR).
    pub assigned_beneficiaries: u32,
    /// Quality score, a fraction 0..=1.
    pub quality_score: f64,
    /// The payer's quality determination (used when the gate has no coverage to test).
    pub quality_reported_met: bool,
    /// HbA1c testing coverage so far, for a coverage gate.
    pub hba1c_coverage: Option<f64>,
    /// MSR/MLR overrides, as in [`ReconcileInput`].
    pub msr: Option<f64>,
    /// MLR override.
    pub mlr: Option<f64>,
    /// Agreement year (1 = first).
    pub agreement_year: u32,
    /// The what-if multipliers.
    pub what_if: &'a WhatIf,
}

/// The Budget tab's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Projection {
    /// Benchmark total for the projected member-months of the year.
    pub benchmark_total: Money,
    /// Budget for the months so far.
    pub budget_to_date: Money,
    /// Claims paid so far for the months so far (after the what-if).
    pub spend_to_date: Money,
    /// Projected year-end spend, completed for claims lag.
    pub projected_spend: Money,
    /// Benchmark total − projected spend.
    pub projected_savings: Money,
    /// Projected savings / benchmark total.
    pub projected_savings_rate: f64,
    /// The MSR the savings must reach.
    pub msr: f64,
    /// What the projection would earn (> 0) or owe (< 0).
    pub projected_earned: Money,
    /// Whether the quality gate is currently passed.
    pub quality_gate_met: bool,
}

/// Months of the performance year elapsed by `as_of` (0..=12), its month included.
pub fn months_elapsed(performance_year: i32, as_of: NaiveDate) -> u32 {
    match as_of.year().cmp(&performance_year) {
        std::cmp::Ordering::Less => 0,
        std::cmp::Ordering::Equal => as_of.month(),
        std::cmp::Ordering::Greater => 12,
    }
}

/// Months between a service month of the performance year and the as-of month (never negative).
pub fn lag_months(performance_year: i32, service_month: u32, as_of: NaiveDate) -> u32 {
    let as_of_index = i64::from(as_of.year()) * 12 + i64::from(as_of.month());
    let service_index = i64::from(performance_year) * 12 + i64::from(service_month);
    u32::try_from((as_of_index - service_index).max(0)).unwrap_or(u32::MAX)
}

/// Projects the year. Pure; amounts are rounded to the cent only in the result.
pub fn project(input: &ProjectionInput<'_>) -> Projection {
    let contract = input.contract;
    let elapsed = months_elapsed(input.performance_year, input.as_of) as usize;
    let weights = contract.seasonality_normalised();

    // Paid (cents, after the what-if) and member-months per calendar month.
    let mut paid = [0.0f64; 12];
    let mut member_months = [0.0f64; 12];
    for month in input.months {
        let Some(index) = (month.month as usize).checked_sub(1).filter(|i| *i < 12) else {
            continue;
        };
        paid[index] += month
            .paid
            .iter()
            .map(|(category, amount)| amount.minor() as f64 * input.what_if.factor(*category))
            .sum::<f64>();
        member_months[index] += f64::from(month.member_months);
    }
    // Months after the as-of month: given enrolment, else the latest elapsed month's carried forward.
    let current = member_months[..elapsed]
        .iter()
        .rev()
        .find(|mm| **mm > 0.0)
        .copied()
        .unwrap_or(0.0);
    for mm in member_months.iter_mut().skip(elapsed) {
        if *mm <= 0.0 {
            *mm = current;
        }
    }

    let mut spend_to_date = 0.0;
    let mut completed = 0.0;
    let mut weighted_mm_so_far = 0.0;
    for m in 0..elapsed {
        spend_to_date += paid[m];
        let lag = lag_months(input.performance_year, m as u32 + 1, input.as_of);
        completed += paid[m] / contract.lag_factor(lag);
        weighted_mm_so_far += member_months[m] * weights[m];
    }
    let weighted_mm_year: f64 = member_months
        .iter()
        .zip(&weights)
        .map(|(mm, w)| mm * w)
        .sum();
    let mm_year: f64 = member_months.iter().sum();

    let per_member_month = input.benchmark_per_person_year.minor() as f64 / 12.0;
    let benchmark_total = round_cents(per_member_month * mm_year);
    let budget_to_date = round_cents(per_member_month * weighted_mm_so_far);
    let projected_spend = if weighted_mm_so_far > 0.0 {
        round_cents(completed / weighted_mm_so_far * weighted_mm_year)
    } else {
        benchmark_total
    };

    let quality_gate_met =
        contract.quality_gate_met(input.quality_reported_met, input.hba1c_coverage);
    let result = reconcile(
        contract,
        &ReconcileInput {
            assigned_beneficiaries: input.assigned_beneficiaries,
            benchmark_total,
            expenditure_total: projected_spend,
            quality_score: input.quality_score,
            quality_standard_met: quality_gate_met,
            msr: input.msr,
            mlr: input.mlr,
            agreement_year: input.agreement_year,
            disaster_adjustment: Money::ZERO,
        },
    );
    Projection {
        benchmark_total,
        budget_to_date,
        spend_to_date: round_cents(spend_to_date),
        projected_spend,
        projected_savings: result.savings,
        projected_savings_rate: result.savings_rate,
        msr: result.msr,
        projected_earned: result.earned,
        quality_gate_met,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn month(month: u32, inpatient: i64, outpatient: i64) -> MonthActuals {
        MonthActuals {
            month,
            paid: BTreeMap::from([
                (ClaimCategory::Inpatient, Money::from_major(inpatient)),
                (ClaimCategory::Outpatient, Money::from_major(outpatient)),
            ]),
            member_months: 1_000,
        }
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    /// Four months paid 100 % / 95 % / 85 % / 60 % of a steady 1,000,000 a month (half inpatient).
    fn spring() -> Vec<MonthActuals> {
        vec![
            month(1, 500_000, 500_000),
            month(2, 475_000, 475_000),
            month(3, 425_000, 425_000),
            month(4, 300_000, 300_000),
        ]
    }

    fn run(
        contract: &Contract,
        months: &[MonthActuals],
        as_of: NaiveDate,
        what_if: &WhatIf,
    ) -> Projection {
        project(&ProjectionInput {
            contract,
            benchmark_per_person_year: Money::from_major(13_200),
            performance_year: 2024,
            as_of,
            months,
            assigned_beneficiaries: 1_000,
            quality_score: 0.9,
            quality_reported_met: false,
            hba1c_coverage: Some(0.75),
            msr: None,
            mlr: None,
            agreement_year: 1,
            what_if,
        })
    }

    #[test]
    fn lag_completion_worked_numbers() {
        let pilot = Contract::preset("regional-pilot").unwrap();
        let p = run(&pilot, &spring(), date(2024, 4, 15), &WhatIf::default());
        // Lags 3 / 2 / 1 / 0 → factors 1.00 / 0.95 / 0.85 / 0.60 → 1,000,000 a month completed.
        // 4,000,000 over 4,000 member-months = 1,000 each × 12,000 for the year.
        assert_eq!(p.spend_to_date, Money::from_major(3_400_000));
        assert_eq!(p.projected_spend, Money::from_major(12_000_000));
        // 13,200 / 12 = 1,100 per member-month.
        assert_eq!(p.budget_to_date, Money::from_major(4_400_000));
        assert_eq!(p.benchmark_total, Money::from_major(13_200_000));
        assert_eq!(p.projected_savings, Money::from_major(1_200_000));
        assert!((p.projected_savings_rate - 1.0 / 11.0).abs() < 1e-12);
        assert_eq!(p.msr, 0.02);
        assert!(p.quality_gate_met);
        // 1,200,000 × 0.5 × 0.9 × 0.98 = 529,200 (cap 1,320,000).
        assert_eq!(p.projected_earned, Money::from_major(529_200));
    }

    #[test]
    fn what_if_flows_through() {
        let pilot = Contract::preset("regional-pilot").unwrap();
        let what_if = WhatIf {
            multipliers: BTreeMap::from([(ClaimCategory::Inpatient, 0.95)]),
        };
        let p = run(&pilot, &spring(), date(2024, 4, 15), &what_if);
        assert_eq!(p.spend_to_date, Money::from_major(3_315_000));
        // Completed 3,900,000 → 975 per member-month → 11,700,000.
        assert_eq!(p.projected_spend, Money::from_major(11_700_000));
        assert_eq!(p.projected_savings, Money::from_major(1_500_000));
        assert_eq!(p.projected_earned, Money::from_major(661_500));
    }

    #[test]
    fn seasonality_weights_budget_and_projection() {
        let mut pilot = Contract::preset("regional-pilot").unwrap();
        pilot.claims.seasonality = [1.5, 1.5, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.5, 0.5];
        // As of February: January lag 1 (0.85), February lag 0 (0.60).
        let months = [month(1, 637_500, 637_500), month(2, 450_000, 450_000)];
        let p = run(&pilot, &months, date(2024, 2, 10), &WhatIf::default());
        // Budget: 1,100 × (1,000 × 1.5 + 1,000 × 1.5) = 3,300,000.
        assert_eq!(p.budget_to_date, Money::from_major(3_300_000));
        // Completed 3,000,000 over 3,000 weighted member-months × 12,000 for the year.
        assert_eq!(p.projected_spend, Money::from_major(12_000_000));
    }

    #[test]
    fn quality_gate_and_year_boundaries() {
        let pilot = Contract::preset("regional-pilot").unwrap();
        let mut input = ProjectionInput {
            contract: &pilot,
            benchmark_per_person_year: Money::from_major(13_200),
            performance_year: 2024,
            as_of: date(2025, 3, 1),
            months: &spring(),
            assigned_beneficiaries: 1_000,
            quality_score: 0.9,
            quality_reported_met: true,
            hba1c_coverage: Some(0.65),
            msr: None,
            mlr: None,
            agreement_year: 1,
            what_if: &WhatIf::default(),
        };
        let p = project(&input);
        assert!(!p.quality_gate_met);
        assert_eq!(p.projected_earned, Money::ZERO);
        // A year over: every month is complete (lag ≥ 3), only 4 months had enrolment.
        assert_eq!(p.projected_spend, Money::from_major(3_400_000));
        assert_eq!(p.benchmark_total, Money::from_major(4_400_000));
        // Before the year: no experience, spend assumed on benchmark.
        input.as_of = date(2023, 12, 31);
        let p = project(&input);
        assert_eq!(p.spend_to_date, Money::ZERO);
        assert_eq!(p.projected_savings, Money::ZERO);
        assert_eq!(lag_months(2024, 11, date(2025, 1, 5)), 2);
        assert_eq!(lag_months(2024, 5, date(2024, 3, 5)), 0);
    }

    #[test]
    fn serialises_with_the_budget_tab_keys() {
        let pilot = Contract::preset("regional-pilot").unwrap();
        let p = run(&pilot, &spring(), date(2024, 4, 15), &WhatIf::default());
        let json = serde_json::to_value(&p).unwrap();
        let keys: Vec<&str> = json
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let mut expected = vec![
            "benchmark_total",
            "budget_to_date",
            "spend_to_date",
            "projected_spend",
            "projected_savings",
            "projected_savings_rate",
            "msr",
            "projected_earned",
            "quality_gate_met",
        ];
        expected.sort_unstable();
        let mut keys = keys;
        keys.sort_unstable();
        assert_eq!(keys, expected);
    }
}
