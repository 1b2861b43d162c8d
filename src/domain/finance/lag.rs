//! Claims lag: how complete each recent service month's paid claims are at the as-of date.
//!
//! Two methods, the one used is shown with the projection:
//! - **Measured** (a lag triangle from the register's own history): every claim line keeps the date
//!   it was received. For a service month `k` months before the as-of month, the completion is
//!   the share of the reference months' eventual spend that had been received when those months
//!   were exactly as old as this one is now (the as-of date moved back by the months between
//!   them, so the day of the month is matched too). Reference months are the
//!   [`REFERENCE_MONTHS`] months that are at least [`LAG_HORIZON_MONTHS`] old (complete). The
//!   factors are held non-decreasing with age. This is the chain-ladder "paid to date ÷ ultimate"
//!   ratio by development age, read off the triangle service month × months until received.
//! - **Contract**: the contract's `claims.lag_completion` factors by lag month, used when the
//!   register's history cannot show when its claims arrived (a single import, too few months).
//!
//! The factor for the month in progress applies to the days elapsed: the projection counts that
//! month's member-months pro rata by days elapsed, so a factor measured for the whole month is
//! converted to the elapsed part (÷ days elapsed / days in month, at most 1).

use super::contract::Contract;
use crate::domain::money::Money;
use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Months after which a service month's claims count as complete (lag ≥ 4 months). The
/// contract presets reach 100 % at lag 3; one more month keeps late corrections in the reference.
pub const LAG_HORIZON_MONTHS: u32 = 4;

/// How many complete months the measured triangle reads: a whole year, so that every calendar
/// month (its length, its holidays) weighs once and one month's unusual run of claims moves the
/// factors less. Measured on the sample pilot (seed 42, one register read as of each day of
/// November 2026): six reference months let the projected rate drift by 1.09 percentage points
/// over the month, twelve by 0.97 (README, savings section).
pub const REFERENCE_MONTHS: u32 = 12;

/// The fewest reference months with claims for a measured triangle.
pub const MIN_REFERENCE_MONTHS: u32 = 3;

/// A measured triangle is trusted only when the oldest incomplete age is at least this complete
/// (else the claims' received dates are not a history, e.g. everything arrived in one import).
pub const MIN_TRUSTED_OLDEST: f64 = 0.5;

/// Claims of one service month received on one date (`None`: the date is unknown, lines stored
/// before received dates were kept; they count as received on any date).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Receipt {
    /// Service month as [`month_index`].
    pub month: i32,
    /// The date received.
    pub received: Option<NaiveDate>,
    /// Amount paid.
    pub paid: Money,
}

/// A month as one number: year × 12 + month − 1.
pub fn month_index(year: i32, month: u32) -> i32 {
    year * 12 + month as i32 - 1
}

/// How the completion factors were found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LagMethod {
    /// Measured from the register's own received dates.
    Measured,
    /// The contract's `claims.lag_completion`.
    Contract,
}

impl LagMethod {
    /// The i18n key of the method's name.
    pub fn key(self) -> &'static str {
        match self {
            LagMethod::Measured => "lag-method-measured",
            LagMethod::Contract => "lag-method-contract",
        }
    }
}

/// The completion factors for the as-of date, by lag month (0 = the as-of month, whose factor
/// applies to the days elapsed); lags past the end are complete.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Completion {
    /// The method used.
    pub method: LagMethod,
    /// Reference months read (0 with the contract's factors).
    pub reference_months: u32,
    /// Factor by lag month, each in (0, 1], non-decreasing; the last applies to later lags.
    pub by_lag: Vec<f64>,
}

impl Completion {
    /// The factor for a service month `lag` months before the as-of month.
    pub fn factor(&self, lag: u32) -> f64 {
        self.by_lag
            .get(lag as usize)
            .or(self.by_lag.last())
            .copied()
            .unwrap_or(1.0)
    }

    /// The contract's factors.
    pub fn from_contract(contract: &Contract) -> Completion {
        let by_lag = (0..contract.claims.lag_completion.len().max(1) as u32)
            .map(|lag| contract.lag_factor(lag))
            .collect();
        Completion {
            method: LagMethod::Contract,
            reference_months: 0,
            by_lag,
        }
    }
}

/// The share of the as-of month elapsed: day of the month ÷ days in the month.
pub fn elapsed_share(as_of: NaiveDate) -> f64 {
    f64::from(as_of.day()) / f64::from(days_in_month(as_of))
}

/// Days in the month of `date`.
pub fn days_in_month(date: NaiveDate) -> u32 {
    let first = date.with_day(1).unwrap_or(date);
    let next = first.checked_add_months(Months::new(1)).unwrap_or(first);
    u32::try_from((next - first).num_days())
        .unwrap_or(30)
        .max(1)
}

/// The completion factors as of `as_of` from `receipts` (only those received by `as_of`, the
/// caller's filter): measured when the register's history allows, else the contract's.
pub fn completion(receipts: &[Receipt], as_of: NaiveDate, contract: &Contract) -> Completion {
    measure(receipts, as_of).unwrap_or_else(|| Completion::from_contract(contract))
}

/// The measured triangle, or `None` when the history is too short or shows no arrival pattern.
pub fn measure(receipts: &[Receipt], as_of: NaiveDate) -> Option<Completion> {
    let mut by_month: BTreeMap<i32, Vec<(Option<NaiveDate>, i64)>> = BTreeMap::new();
    for r in receipts {
        by_month
            .entry(r.month)
            .or_default()
            .push((r.received, r.paid.minor()));
    }
    let current = month_index(as_of.year(), as_of.month());
    let newest_reference = current - LAG_HORIZON_MONTHS as i32;
    let references: Vec<(i32, f64)> = (0..REFERENCE_MONTHS as i32)
        .map(|back| newest_reference - back)
        .filter_map(|m| {
            let total: i64 = by_month.get(&m)?.iter().map(|(_, paid)| paid).sum();
            (total > 0).then_some((m, total as f64))
        })
        .collect();
    if (references.len() as u32) < MIN_REFERENCE_MONTHS {
        return None;
    }
    let denominator: f64 = references.iter().map(|(_, total)| total).sum();
    let mut by_lag = vec![1.0; LAG_HORIZON_MONTHS as usize + 1];
    for lag in 0..LAG_HORIZON_MONTHS {
        let service = current - lag as i32;
        let mut received = 0.0;
        for (reference, _) in &references {
            // The as-of date when the reference month was as old as this one is now.
            let back = u32::try_from(service - reference).unwrap_or(0);
            let cut = as_of.checked_sub_months(Months::new(back))?;
            received += by_month
                .get(reference)
                .map(|lines| {
                    lines
                        .iter()
                        .filter(|(day, _)| day.is_none_or(|d| d <= cut))
                        .map(|(_, paid)| *paid as f64)
                        .sum::<f64>()
                })
                .unwrap_or(0.0);
        }
        by_lag[lag as usize] = (received / denominator).clamp(0.0, 1.0);
    }
    // Completion never falls with age.
    for lag in (0..LAG_HORIZON_MONTHS as usize).rev() {
        by_lag[lag] = by_lag[lag].min(by_lag[lag + 1]);
    }
    if by_lag[LAG_HORIZON_MONTHS as usize - 1] < MIN_TRUSTED_OLDEST {
        return None;
    }
    // The month in progress: the share of a whole month received so far, over the elapsed part.
    by_lag[0] = (by_lag[0] / elapsed_share(as_of)).min(1.0);
    for f in &mut by_lag {
        *f = f.max(f64::EPSILON);
    }
    Some(Completion {
        method: LagMethod::Measured,
        reference_months: references.len() as u32,
        by_lag,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// Every month of 2024–2025 spends 1,000: 400 received on the 20th of the service month,
    /// 400 on the 20th of the next, 200 on the 20th of the one after.
    fn steady(as_of: NaiveDate) -> Vec<Receipt> {
        let mut out = Vec::new();
        for y in 2024..=2025 {
            for m in 1..=12 {
                let first = d(y, m, 20);
                for (after, paid) in [(0, 400), (1, 400), (2, 200)] {
                    let day = first.checked_add_months(Months::new(after)).unwrap();
                    if day <= as_of {
                        out.push(Receipt {
                            month: month_index(y, m),
                            received: Some(day),
                            paid: Money::from_major(paid),
                        });
                    }
                }
            }
        }
        out
    }

    #[test]
    fn the_triangle_reads_the_arrival_pattern_at_the_same_day() {
        let pilot = Contract::preset("regional-pilot").unwrap();
        // As of 31 October: October has its first 40 % (whole month, so the elapsed part is the
        // whole month), September 80 %, August and older 100 %.
        let as_of = d(2025, 10, 31);
        let c = completion(&steady(as_of), as_of, &pilot);
        assert_eq!(c.method, LagMethod::Measured);
        assert_eq!(c.reference_months, 12);
        let expect = [0.4, 0.8, 1.0, 1.0, 1.0];
        for (got, want) in c.by_lag.iter().zip(expect) {
            assert!((got - want).abs() < 1e-12, "{:?}", c.by_lag);
        }
        // As of 10 October: nothing of October yet (0 → held at a tiny positive share),
        // September 40 %, August 80 %.
        let as_of = d(2025, 10, 10);
        let c = completion(&steady(as_of), as_of, &pilot);
        assert!(c.by_lag[0] < 0.01);
        assert!((c.by_lag[1] - 0.4).abs() < 1e-12, "{:?}", c.by_lag);
        assert!((c.by_lag[2] - 0.8).abs() < 1e-12);
        assert_eq!(c.factor(9), 1.0);
    }

    #[test]
    fn the_month_in_progress_is_read_over_its_elapsed_days() {
        // Half of a 30-day month elapsed, 30 % of a whole month received so far: 60 % of the
        // elapsed half.
        let as_of = d(2025, 11, 15);
        let mut receipts = Vec::new();
        for m in 1..=11 {
            let month = month_index(2025, m);
            let mid = d(2025, m, 15);
            receipts.push(Receipt {
                month,
                received: Some(mid),
                paid: Money::from_major(300),
            });
            if m < 11 {
                receipts.push(Receipt {
                    month,
                    received: Some(mid.checked_add_months(Months::new(1)).unwrap()),
                    paid: Money::from_major(700),
                });
            }
        }
        let c = measure(&receipts, as_of).unwrap();
        assert!((c.by_lag[0] - 0.6).abs() < 1e-12, "{:?}", c.by_lag);
        assert!((c.by_lag[1] - 1.0).abs() < 1e-12);
        assert!((elapsed_share(as_of) - 0.5).abs() < 1e-12);
        assert_eq!(days_in_month(d(2024, 2, 3)), 29);
    }

    #[test]
    fn one_import_or_a_short_history_falls_back_to_the_contract() {
        let pilot = Contract::preset("regional-pilot").unwrap();
        let as_of = d(2025, 10, 31);
        // Everything received on the import day: the references look empty at their age.
        let one_day: Vec<Receipt> = (1..=10)
            .map(|m| Receipt {
                month: month_index(2025, m),
                received: Some(as_of),
                paid: Money::from_major(1_000),
            })
            .collect();
        assert!(measure(&one_day, as_of).is_none());
        let c = completion(&one_day, as_of, &pilot);
        assert_eq!(c.method, LagMethod::Contract);
        assert_eq!(c.by_lag, vec![0.60, 0.85, 0.95, 1.00]);
        // Two months of history only.
        let short: Vec<Receipt> = steady(as_of)
            .into_iter()
            .filter(|r| r.month >= month_index(2025, 5))
            .collect();
        assert!(measure(&short, as_of).is_none());
    }
}
