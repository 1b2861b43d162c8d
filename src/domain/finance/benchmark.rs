//! The first steps of the savings waterfall: baseline spend per person-year for each baseline year
//! → weighted → trended → discounted = the benchmark per person-year (42 CFR 425.602(a) weights and
//! trend; the efficiency discount is a pilot term). Every intermediate figure is kept so that a
//! reader can rebuild the benchmark by hand.

use super::contract::{BenchmarkRule, Contract};
use crate::domain::money::Money;
use serde::{Deserialize, Serialize};

/// One baseline year as the register measured it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BaselineYear {
    /// Calendar year.
    pub year: i32,
    /// Months with enrolment.
    pub months: u32,
    /// Claims paid for the year's services.
    pub paid: Money,
    /// Member-months / 12.
    pub person_years: f64,
    /// Paid ÷ person-years.
    pub per_capita: Money,
}

impl BaselineYear {
    /// A year's figures from its paid claims and member-months.
    pub fn new(year: i32, months: u32, paid: Money, member_months: u32) -> BaselineYear {
        let person_years = f64::from(member_months) / 12.0;
        let per_capita = if member_months > 0 {
            Money::from_f64_rounded(paid.as_f64() / person_years)
        } else {
            Money::ZERO
        };
        BaselineYear {
            year,
            months,
            paid,
            person_years,
            per_capita,
        }
    }
}

/// Where the benchmark per person-year came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BenchmarkSource {
    /// The baseline years, weighted, trended and discounted.
    Baseline,
    /// A fixed amount in the contract.
    Contract,
    /// A benchmark total given by the user (`--benchmark-total`).
    Given,
    /// None: the contract needs a benchmark the register cannot compute.
    Missing,
}

/// The benchmark's derivation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BenchmarkSteps {
    /// Where it came from.
    pub source: BenchmarkSource,
    /// The baseline years, oldest first (empty unless from the baseline).
    pub baseline: Vec<BaselineYear>,
    /// Their weights.
    pub weights: Vec<f64>,
    /// Σ weight × per capita.
    pub weighted: Money,
    /// The trend factor.
    pub trend: f64,
    /// Weighted × trend.
    pub trended: Money,
    /// The efficiency discount.
    pub efficiency_discount: f64,
    /// The benchmark per person-year (trended × (1 − discount), or the contract's amount).
    pub per_capita: Money,
}

impl BenchmarkSteps {
    /// The steps under `contract` from the register's baseline years.
    pub fn derive(contract: &Contract, baseline: Vec<BaselineYear>) -> BenchmarkSteps {
        match &contract.benchmark {
            BenchmarkRule::Given(amount) => {
                BenchmarkSteps::fixed(BenchmarkSource::Contract, *amount)
            }
            BenchmarkRule::Supplied => BenchmarkSteps::fixed(BenchmarkSource::Missing, Money::ZERO),
            BenchmarkRule::FromBaseline(rule) => {
                let spend: Vec<Money> = baseline.iter().map(|y| y.per_capita).collect();
                let per_capita = contract
                    .benchmark_per_person_year(&spend)
                    .unwrap_or(Money::ZERO);
                let weighted: f64 = spend
                    .iter()
                    .zip(&rule.weights)
                    .map(|(m, w)| m.as_f64() * w)
                    .sum();
                BenchmarkSteps {
                    source: if per_capita > Money::ZERO {
                        BenchmarkSource::Baseline
                    } else {
                        BenchmarkSource::Missing
                    },
                    baseline,
                    weights: rule.weights.clone(),
                    weighted: Money::from_f64_rounded(weighted),
                    trend: rule.trend,
                    trended: Money::from_f64_rounded(weighted * rule.trend),
                    efficiency_discount: rule.efficiency_discount,
                    per_capita,
                }
            }
        }
    }

    /// A benchmark with no baseline steps.
    pub fn fixed(source: BenchmarkSource, per_capita: Money) -> BenchmarkSteps {
        BenchmarkSteps {
            source,
            baseline: Vec::new(),
            weights: Vec::new(),
            weighted: per_capita,
            trend: 1.0,
            trended: per_capita,
            efficiency_discount: 0.0,
            per_capita,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_regional_benchmark_is_rebuilt_step_by_step() {
        let pilot = Contract::preset("regional-pilot").unwrap();
        let years = vec![
            BaselineYear::new(2024, 12, Money::from_major(120_000_000), 12_000),
            BaselineYear::new(2025, 12, Money::from_major(132_000_000), 12_000),
        ];
        assert_eq!(years[0].per_capita, Money::from_major(120_000));
        let steps = BenchmarkSteps::derive(&pilot, years);
        assert_eq!(steps.source, BenchmarkSource::Baseline);
        let weighted: f64 = steps
            .baseline
            .iter()
            .zip(&steps.weights)
            .map(|(y, w)| y.per_capita.as_f64() * w)
            .sum();
        assert_eq!(steps.weighted, Money::from_f64_rounded(weighted));
        let expect = weighted * steps.trend * (1.0 - steps.efficiency_discount);
        assert_eq!(steps.per_capita, Money::from_f64_rounded(expect));
        let mssp = Contract::preset("mssp-2018-track-1").unwrap();
        assert_eq!(
            BenchmarkSteps::derive(&mssp, Vec::new()).source,
            BenchmarkSource::Missing
        );
    }
}
