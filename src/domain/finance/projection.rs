//! The Budget tab's year-end projection: budget and spend to date, claims-lag completion, the
//! projected year-end spend, and what it would earn under the contract (via [`reconcile`]).
//!
//! - Months so far: January to the as-of month of the performance year (all twelve once the year
//!   is over, none before it starts). The as-of month counts pro rata by the days elapsed (day ÷
//!   days in the month): its member-months and budget so far, and its claims completed as the
//!   claims of those days, so the figures do not jump with the day of the month (#19).
//! - Budget to date: benchmark per person-year / 12 × member-months so far, each month weighted by
//!   the contract's seasonality (scaled to average 1, so flat seasonality is the plain product).
//! - Completed spend: each month's completion factor `c` ([`Completion`]: measured from the
//!   register's lag triangle or the contract's factors, by lag month, 0 = the as-of month). A
//!   mature month (`c` ≥ [`MATURE_COMPLETION`]) is completed as paid ÷ `c` (chain ladder); a
//!   younger one as paid + (1 − `c`) × its expected spend (Bornhuetter–Ferguson), the expected
//!   spend being the mature months' completed spend per weighted member-month (the benchmark's
//!   when no month is mature yet). Dividing a young month's few claims by a small factor would
//!   swing the projection with the day of the month; the expected spend does not.
//! - Projected spend: completed spend per seasonally weighted member-month of the months so far
//!   × the weighted member-months of the whole year. Months after the as-of month take their
//!   member-months from the input when given, else the latest elapsed month's (current enrolment
//!   carried forward). With no experience yet the projection assumes spend on benchmark.
//!   Projected spend = paid to date + estimated not yet billed + projected for the rest.
//! - Benchmark total: per person-year × person-years (projected member-months / 12).
//! - What-if: a multiplier per claim category (e.g. inpatient × 0.95) applied to the spend of the
//!   months from a given month (default: the as-of month) to the year end — only what can still
//!   happen; spend already incurred is not rewritten.

use super::contract::Contract;
use super::lag::{Completion, LagMethod, elapsed_share};
use super::payout::Payout;
use super::reconcile::{ReconcileInput, reconcile, round_cents};
use crate::domain::money::Money;
use crate::domain::types::ClaimCategory;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The completion from which a month's paid claims are divided by it (chain ladder) rather than
/// topped up with its expected spend (Bornhuetter–Ferguson).
pub const MATURE_COMPLETION: f64 = 0.95;

/// One service month of the performance year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonthActuals {
    /// Service month, 1 = January (other values are ignored).
    pub month: u32,
    /// Claims received by the as-of date for services in this month, by category.
    pub paid: BTreeMap<ClaimCategory, Money>,
    /// Member-months of enrolment in this month (the whole month).
    pub member_months: u32,
}

/// Per-category spend multipliers for a what-if, acting on the months still to come; a category
/// not listed stays at 1.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WhatIf {
    /// Multiplier by category (0.95 = 5 % less).
    pub multipliers: BTreeMap<ClaimCategory, f64>,
    /// The first month the change acts on (1 = January); `None` = the as-of month.
    pub from_month: Option<u32>,
}

impl WhatIf {
    /// The multiplier for a category (1 when not set or not a finite non-negative number).
    pub fn factor(&self, category: ClaimCategory) -> f64 {
        match self.multipliers.get(&category) {
            Some(m) if m.is_finite() && *m >= 0.0 => *m,
            _ => 1.0,
        }
    }

    /// True when some multiplier differs from 1.
    pub fn is_active(&self) -> bool {
        self.multipliers.values().any(|m| (m - 1.0).abs() > 1e-9)
    }
}

/// Everything the projection needs.
#[derive(Debug, Clone)]
pub struct ProjectionInput<'a> {
    /// The contract (MSR, sharing, caps, seasonality).
    pub contract: &'a Contract,
    /// Benchmark per person-year (see [`Contract::benchmark_per_person_year`]).
    pub benchmark_per_person_year: Money,
    /// The year's benchmark total when the user supplied it (`--benchmark-total`): kept exactly
    /// as given instead of the rounded per person-year × person-years.
    pub benchmark_total: Option<Money>,
    /// The performance year (calendar year).
    pub performance_year: i32,
    /// The date the figures are as of.
    pub as_of: NaiveDate,
    /// Claims received by the as-of date and member-months by service month.
    pub months: &'a [MonthActuals],
    /// The claims-lag completion factors.
    pub completion: &'a Completion,
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

/// One month of the performance year as the projection counts it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProjectedMonth {
    /// 1 = January.
    pub month: u32,
    /// Member-months counted so far (the as-of month pro rata by days elapsed).
    pub member_months: f64,
    /// Claims received by the as-of date.
    pub paid: Money,
    /// The completion factor applied (1 for a complete month).
    pub completion: f64,
    /// Completed − paid: estimated not yet billed.
    pub estimated_unbilled: Money,
    /// True when the month's claims are not all in yet (completion below 1).
    pub incomplete: bool,
    /// True when the month is mature (completed by chain ladder); false when topped up with its
    /// expected spend.
    pub mature: bool,
}

/// The Budget tab's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Projection {
    /// Benchmark total for the projected member-months of the year.
    pub benchmark_total: Money,
    /// Person-years of the year (projected member-months / 12).
    pub person_years: f64,
    /// Budget for the months so far (the as-of month pro rata).
    pub budget_to_date: Money,
    /// Claims received for the months so far.
    pub spend_to_date: Money,
    /// Completed − paid over the months so far.
    pub estimated_unbilled: Money,
    /// Spend projected for the rest of the year (and for months too early to count).
    pub projected_remaining: Money,
    /// Projected year-end spend = paid + unbilled + remaining.
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
    /// The payout steps (sharing, quality, holdback, cap).
    pub payout: Payout,
    /// How the lag completion was found.
    pub lag_method: LagMethod,
    /// The months so far.
    pub months: Vec<ProjectedMonth>,
    /// The share of the as-of month elapsed (1 outside the performance year).
    pub elapsed_share: f64,
    /// The first month a what-if acts on (the as-of month unless set), 13 = none left.
    pub what_if_from: u32,
}

/// The what-if's multiplier of total spend: each category's multiplier weighted by its share of
/// the spend so far (1 with no spend yet).
fn what_if_factor(what_if: &WhatIf, paid: &[BTreeMap<ClaimCategory, f64>]) -> f64 {
    let mut by_category: BTreeMap<ClaimCategory, f64> = BTreeMap::new();
    for month in paid {
        for (category, amount) in month {
            *by_category.entry(*category).or_insert(0.0) += amount;
        }
    }
    let total: f64 = by_category.values().sum();
    if total <= 0.0 {
        return 1.0;
    }
    by_category
        .iter()
        .map(|(category, amount)| amount / total * what_if.factor(*category))
        .sum()
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
    let in_year = input.as_of.year() == input.performance_year;
    let current_share = if in_year {
        elapsed_share(input.as_of)
    } else {
        1.0
    };
    let weights = contract.seasonality_normalised();

    // Paid (cents) by category and member-months per calendar month.
    let mut paid: [BTreeMap<ClaimCategory, f64>; 12] = Default::default();
    let mut member_months = [0.0f64; 12];
    for month in input.months {
        let Some(index) = (month.month as usize).checked_sub(1).filter(|i| *i < 12) else {
            continue;
        };
        for (category, amount) in &month.paid {
            *paid[index].entry(*category).or_insert(0.0) += amount.minor() as f64;
        }
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
    // The share of each month so far (the as-of month pro rata).
    let share = |m: usize| -> f64 {
        if m + 1 < elapsed {
            1.0
        } else if m + 1 == elapsed {
            current_share
        } else {
            0.0
        }
    };

    let per_member_month = input.benchmark_per_person_year.minor() as f64 / 12.0;
    // Each elapsed month: paid, completion factor, weighted member-months so far.
    let rows: Vec<(f64, f64, f64)> = (0..elapsed)
        .map(|m| {
            let lag = lag_months(input.performance_year, m as u32 + 1, input.as_of);
            let factor = input.completion.factor(lag).clamp(0.0, 1.0);
            let weighted = member_months[m] * share(m) * weights[m];
            (paid[m].values().sum::<f64>(), factor, weighted)
        })
        .collect();
    // The expected spend per weighted member-month: the mature months', else the benchmark's.
    let (mature_spend, mature_weight) = rows
        .iter()
        .filter(|(_, c, w)| *c >= MATURE_COMPLETION && *w > 0.0)
        .fold((0.0, 0.0), |(s, w), (p, c, mw)| (s + p / c, w + mw));
    let expected_rate = if mature_weight > 0.0 {
        mature_spend / mature_weight
    } else {
        per_member_month
    };
    let mut months = Vec::with_capacity(elapsed);
    let (mut spend_to_date, mut unbilled) = (0.0, 0.0);
    let (mut completed_so_far, mut weighted_so_far) = (0.0, 0.0);
    let mut done = [(0.0f64, 0.0f64); 12];
    for (m, (month_paid, factor, weighted)) in rows.iter().copied().enumerate() {
        spend_to_date += month_paid;
        let mature = factor >= MATURE_COMPLETION;
        let completed = if mature {
            month_paid / factor
        } else {
            month_paid + (1.0 - factor) * expected_rate * weighted
        };
        completed_so_far += completed;
        weighted_so_far += weighted;
        unbilled += completed - month_paid;
        done[m] = (completed, weighted);
        months.push(ProjectedMonth {
            month: m as u32 + 1,
            member_months: member_months[m] * share(m),
            paid: round_cents(month_paid),
            completion: factor,
            estimated_unbilled: round_cents(completed - month_paid),
            incomplete: factor < 1.0,
            mature,
        });
    }
    let mm_year: f64 = member_months.iter().sum();

    let benchmark_total = input
        .benchmark_total
        .unwrap_or_else(|| round_cents(per_member_month * mm_year));
    let budget_to_date = round_cents(per_member_month * weighted_so_far);
    // The what-if acts on the spend still to come, from its first month (never before the
    // as-of month: spend already incurred is not rewritten).
    let first_open = if in_year { elapsed as u32 } else { 13 };
    let what_if_from = input
        .what_if
        .from_month
        .unwrap_or(first_open)
        .max(first_open)
        .clamp(1, 13);
    let what_if = what_if_factor(input.what_if, &paid[..elapsed]);
    let projected_cents = if weighted_so_far > 0.0 {
        // Completed spend per weighted member-month of experience.
        let rate = completed_so_far / weighted_so_far;
        (0..12)
            .map(|m| {
                let (completed, weighted_done) = done[m];
                let rest = rate * (member_months[m] * weights[m] - weighted_done).max(0.0);
                let factor = if m as u32 + 1 >= what_if_from {
                    what_if
                } else {
                    1.0
                };
                completed + rest * factor
            })
            .sum()
    } else {
        benchmark_total.minor() as f64
    };
    let projected_spend = round_cents(projected_cents);
    let spend_to_date = round_cents(spend_to_date);
    let estimated_unbilled = round_cents(unbilled);

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
    let payout = Payout::of(
        contract,
        &result,
        benchmark_total,
        input.quality_score,
        quality_gate_met,
    );
    Projection {
        benchmark_total,
        person_years: mm_year / 12.0,
        budget_to_date,
        spend_to_date,
        estimated_unbilled,
        projected_remaining: projected_spend - spend_to_date - estimated_unbilled,
        projected_spend,
        projected_savings: result.savings,
        projected_savings_rate: result.savings_rate,
        msr: result.msr,
        projected_earned: result.earned,
        quality_gate_met,
        payout,
        lag_method: input.completion.method,
        months,
        elapsed_share: current_share,
        what_if_from,
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
            benchmark_total: None,
            performance_year: 2024,
            as_of,
            months,
            completion: &Completion::from_contract(contract),
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
        let p = run(&pilot, &spring(), date(2024, 4, 30), &WhatIf::default());
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
        // 1,200,000 × 0.5 × 0.9 = 540,000 (the regional preset has no holdback; cap 1,320,000).
        assert_eq!(p.projected_earned, Money::from_major(540_000));
        // The waterfall adds up: paid + unbilled + remaining = projected.
        assert_eq!(p.estimated_unbilled, Money::from_major(600_000));
        assert_eq!(p.projected_remaining, Money::from_major(8_000_000));
        assert!((p.person_years - 1_000.0).abs() < 1e-9);
        assert_eq!(p.months.iter().filter(|m| m.incomplete).count(), 3);
    }

    #[test]
    fn the_month_in_progress_counts_its_days_only() {
        let pilot = Contract::preset("regional-pilot").unwrap();
        // As of 15 April (half of 30 days): April's claims are those of 15 days, 60 % in.
        let mut months = spring();
        months[3] = month(4, 150_000, 150_000);
        let p = run(&pilot, &months, date(2024, 4, 15), &WhatIf::default());
        // April: 300,000 / 0.6 = 500,000 over 500 member-months: the same 1,000 a month.
        assert_eq!(p.projected_spend, Money::from_major(12_000_000));
        assert_eq!(p.budget_to_date, Money::from_major(3_850_000));
        assert!((p.months[3].member_months - 500.0).abs() < 1e-9);
        // The benchmark still counts the whole year's member-months.
        assert_eq!(p.benchmark_total, Money::from_major(13_200_000));
    }

    #[test]
    fn a_supplied_benchmark_total_is_kept_exactly() {
        let pilot = Contract::preset("regional-pilot").unwrap();
        let total = Money::from_major(13_200_017) + Money(3);
        let p = project(&ProjectionInput {
            contract: &pilot,
            benchmark_per_person_year: Money::from_major(13_200),
            benchmark_total: Some(total),
            performance_year: 2024,
            as_of: date(2024, 4, 30),
            months: &spring(),
            completion: &Completion::from_contract(&pilot),
            assigned_beneficiaries: 1_000,
            quality_score: 0.9,
            quality_reported_met: false,
            hba1c_coverage: Some(0.75),
            msr: None,
            mlr: None,
            agreement_year: 1,
            what_if: &WhatIf::default(),
        });
        assert_eq!(p.benchmark_total, total);
        assert_eq!(p.projected_savings, total - p.projected_spend);
    }

    #[test]
    fn what_if_flows_through() {
        let pilot = Contract::preset("regional-pilot").unwrap();
        let mut what_if = WhatIf {
            multipliers: BTreeMap::from([(ClaimCategory::Inpatient, 0.95)]),
            from_month: None,
        };
        let p = run(&pilot, &spring(), date(2024, 4, 30), &what_if);
        // Spend already incurred stays as it was.
        assert_eq!(p.spend_to_date, Money::from_major(3_400_000));
        // January–April completed 4,000,000; May–December 8,000,000 × (0.5 × 0.95 + 0.5).
        assert_eq!(p.projected_spend, Money::from_major(11_800_000));
        assert_eq!(p.what_if_from, 4);
        // From October only: 3 months × 1,000,000 × 0.975 + 9,000,000.
        what_if.from_month = Some(10);
        let p = run(&pilot, &spring(), date(2024, 4, 30), &what_if);
        assert_eq!(p.projected_spend, Money::from_major(11_925_000));
        // A month already past is not rewritten: from February reads as from April.
        what_if.from_month = Some(2);
        let p = run(&pilot, &spring(), date(2024, 4, 30), &what_if);
        assert_eq!(p.projected_spend, Money::from_major(11_800_000));
    }

    #[test]
    fn seasonality_weights_budget_and_projection() {
        let mut pilot = Contract::preset("regional-pilot").unwrap();
        pilot.claims.seasonality = [1.5, 1.5, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.5, 0.5];
        // As of February: January lag 1 (0.85), February lag 0 (0.60).
        let months = [month(1, 637_500, 637_500), month(2, 450_000, 450_000)];
        let p = run(&pilot, &months, date(2024, 2, 29), &WhatIf::default());
        // Budget: 1,100 × (1,000 × 1.5 + 1,000 × 1.5) = 3,300,000.
        assert_eq!(p.budget_to_date, Money::from_major(3_300_000));
        // No month is mature: both are topped up with the benchmark's 1,100 per weighted
        // member-month: January 1,275,000 + 0.15 × 1,650,000 = 1,522,500, February 900,000 +
        // 0.40 × 1,650,000 = 1,560,000; 3,082,500 over 3,000 → 1,027.5 × 9,000 more.
        assert_eq!(p.projected_spend, Money::from_major(12_330_000));
    }

    #[test]
    fn quality_gate_and_year_boundaries() {
        let pilot = Contract::preset("regional-pilot").unwrap();
        let mut input = ProjectionInput {
            contract: &pilot,
            benchmark_per_person_year: Money::from_major(13_200),
            benchmark_total: None,
            performance_year: 2024,
            as_of: date(2025, 3, 1),
            months: &spring(),
            completion: &Completion::from_contract(&pilot),
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
        let p = run(&pilot, &spring(), date(2024, 4, 30), &WhatIf::default());
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
            "person_years",
            "estimated_unbilled",
            "projected_remaining",
            "payout",
            "lag_method",
            "months",
            "elapsed_share",
            "what_if_from",
        ];
        expected.sort_unstable();
        let mut keys = keys;
        keys.sort_unstable();
        assert_eq!(keys, expected);
    }
}
