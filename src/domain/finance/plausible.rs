//! Values a contract may hold but almost surely did not mean: `trend = 10.4` for 1.04, a discount
//! of 50 %, completion factors that fall with lag. Each is refused with a sentence naming the key
//! and the plausible range; `finance contract --use FILE --force` accepts one deliberately.

use super::contract::{BenchmarkRule, Contract, MsrRule, QualityGate};
use super::contract_error::{ContractError, ContractProblem};

/// The trend factor's plausible range (a year's growth of −20 % to +30 %).
pub const TREND_RANGE: (f64, f64) = (0.8, 1.3);
/// The efficiency discount's plausible range.
pub const DISCOUNT_RANGE: (f64, f64) = (0.0, 0.10);
/// The maximum sharing rate's plausible range (MSSP: 50–75 %).
pub const SHARING_RANGE: (f64, f64) = (0.0, 0.80);
/// The payment cap's plausible range (MSSP: 10–20 % of the benchmark).
pub const CAP_RANGE: (f64, f64) = (0.0, 0.30);
/// The holdback's plausible range (US sequestration: 2 %).
pub const HOLDBACK_RANGE: (f64, f64) = (0.0, 0.10);
/// A fixed MSR's plausible range (CMS's tables reach 12.2 % at the smallest sizes).
pub const MSR_RANGE: (f64, f64) = (0.0, 0.15);
/// The spread MSR's normal quantile (one-sided 84 % to 99.9 %).
pub const Z_RANGE: (f64, f64) = (1.0, 3.1);
/// A seasonality weight's plausible range (relative to the average month).
pub const SEASONALITY_RANGE: (f64, f64) = (0.25, 4.0);

fn range_error(origin: &str, key: &str, found: f64, (min, max): (f64, f64)) -> ContractError {
    ContractError::at_key(
        origin,
        key,
        ContractProblem::OutOfRange {
            found,
            min,
            max,
            entry: None,
        },
    )
}

fn within(origin: &str, key: &str, found: f64, range: (f64, f64)) -> Result<(), ContractError> {
    if found.is_finite() && found >= range.0 - 1e-12 && found <= range.1 + 1e-12 {
        Ok(())
    } else {
        Err(range_error(origin, key, found, range))
    }
}

/// Refuses the first implausible value of `contract`.
pub fn check(contract: &Contract, origin: &str) -> Result<(), ContractError> {
    if let BenchmarkRule::FromBaseline(rule) = &contract.benchmark {
        within(
            origin,
            "benchmark.from_baseline.trend",
            rule.trend,
            TREND_RANGE,
        )?;
        within(
            origin,
            "benchmark.from_baseline.efficiency_discount",
            rule.efficiency_discount,
            DISCOUNT_RANGE,
        )?;
    }
    within(
        origin,
        "sharing.max_rate",
        contract.max_sharing_rate,
        SHARING_RANGE,
    )?;
    within(
        origin,
        "sharing.payment_cap",
        contract.payment_cap,
        CAP_RANGE,
    )?;
    within(
        origin,
        "sharing.holdback",
        contract.holdback,
        HOLDBACK_RANGE,
    )?;
    match contract.msr {
        MsrRule::Fixed(rate) => within(origin, "msr.rate", rate, MSR_RANGE)?,
        MsrRule::Spread { z, floor } => {
            within(origin, "msr.z", z, Z_RANGE)?;
            within(origin, "msr.floor", floor, MSR_RANGE)?;
        }
        MsrRule::Variable => {}
    }
    if let QualityGate::Hba1cCoverage { min_coverage } = contract.quality {
        within(
            origin,
            "quality.min_hba1c_coverage",
            min_coverage,
            (0.0, 1.0),
        )?;
    }
    let factors = &contract.claims.lag_completion;
    for (lag, f) in factors.iter().enumerate() {
        if !(*f > 0.0 && *f <= 1.0) {
            return Err(ContractError::at_key(
                origin,
                "claims.lag_completion",
                ContractProblem::LagAboveOne { lag, found: *f },
            ));
        }
        if lag > 0 && *f + 1e-12 < factors[lag - 1] {
            return Err(ContractError::at_key(
                origin,
                "claims.lag_completion",
                ContractProblem::LagFalls {
                    lag,
                    found: *f,
                    previous: factors[lag - 1],
                },
            ));
        }
    }
    for (month, w) in contract.claims.seasonality.iter().enumerate() {
        within(origin, "claims.seasonality", *w, SEASONALITY_RANGE).map_err(|mut e| {
            if let ContractProblem::OutOfRange { entry, .. } = &mut *e.problem {
                *entry = Some(month);
            }
            e
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::finance::contract::{preset_ids, preset_source};

    fn edited(from: &str, to: &str) -> Result<Contract, ContractError> {
        let text = preset_source("regional-pilot").unwrap();
        assert!(text.contains(from), "{from}");
        Contract::from_toml(&text.replace(from, to), "pilot.toml")
    }

    #[test]
    fn the_presets_are_plausible() {
        for id in preset_ids() {
            Contract::preset(id).unwrap_or_else(|e| panic!("{id}: {e:?}"));
        }
    }

    #[test]
    fn each_range_is_named_with_its_key() {
        let e = edited("trend = 1.04", "trend = 10.4").unwrap_err();
        assert_eq!(e.key.as_deref(), Some("benchmark.from_baseline.trend"));
        assert_eq!(
            *e.problem,
            ContractProblem::OutOfRange {
                found: 10.4,
                min: 0.8,
                max: 1.3,
                entry: None
            }
        );
        assert!(e.place.is_some());
        let e = edited("efficiency_discount = 0.02", "efficiency_discount = 0.2").unwrap_err();
        assert_eq!(
            e.key.as_deref(),
            Some("benchmark.from_baseline.efficiency_discount")
        );
        let e = edited("payment_cap = 0.10", "payment_cap = 0.9").unwrap_err();
        assert_eq!(e.key.as_deref(), Some("sharing.payment_cap"));
        let e = edited("floor = 0.02", "floor = 0.5").unwrap_err();
        assert_eq!(e.key.as_deref(), Some("msr.floor"));
        let e = edited("z = 1.645", "z = 16.45").unwrap_err();
        assert_eq!(e.key.as_deref(), Some("msr.z"));
        let e = edited("[0.60, 0.85, 0.95, 1.00]", "[0.60, 0.95, 0.85, 1.00]").unwrap_err();
        assert_eq!(
            *e.problem,
            ContractProblem::LagFalls {
                lag: 2,
                found: 0.85,
                previous: 0.95
            }
        );
        let e = edited("[0.60, 0.85, 0.95, 1.00]", "[0.60, 0.85, 0.95, 1.20]").unwrap_err();
        assert_eq!(e.key.as_deref(), Some("claims.lag_completion"));
        // Accepted deliberately: the unchecked parse keeps the value.
        let text = preset_source("regional-pilot")
            .unwrap()
            .replace("trend = 1.04", "trend = 1.35");
        let forced = Contract::from_toml_unchecked(&text, "pilot.toml").unwrap();
        assert!(matches!(forced.benchmark, BenchmarkRule::FromBaseline(ref b) if b.trend == 1.35));
    }

    #[test]
    fn a_season_out_of_range_points_at_its_month() {
        let text = preset_source("regional-pilot")
            .unwrap()
            .replace("seasonality = [1, 1, 1,", "seasonality = [1, 1, 9,");
        let e = Contract::from_toml(&text, "p.toml").unwrap_err();
        assert_eq!(e.key.as_deref(), Some("claims.seasonality"));
        assert!(matches!(
            *e.problem,
            ContractProblem::OutOfRange { entry: Some(2), .. }
        ));
        let line = text.lines().position(|l| l.contains("[1, 1, 9,")).unwrap() as u64 + 1;
        assert_eq!(e.place.map(|p| (p.line, p.column)), Some((line, 22)));
    }

    #[test]
    fn the_benchmark_lists_the_categories_it_covers() {
        use crate::domain::types::ClaimCategory;
        let pilot = Contract::preset("regional-pilot").unwrap();
        assert!(!pilot.covers(ClaimCategory::Drugs));
        assert!(pilot.covers(ClaimCategory::Inpatient));
        let mssp = Contract::preset("mssp-2018-track-1").unwrap();
        assert!(mssp.covers(ClaimCategory::Drugs));
        let e = edited("\"emergency\", \"other\"]", "\"emergency\", \"pharmacy\"]").unwrap_err();
        assert_eq!(e.key.as_deref(), Some("benchmark.categories"));
    }
}
