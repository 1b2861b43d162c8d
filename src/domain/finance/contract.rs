//! A shared-savings contract: the terms a reconciliation and the Budget tab's projection apply.
//!
//! Contracts are TOML files (their schema, and `Contract::from_toml`, are in `contract_toml.rs`). The presets under
//! `assets/programs/` are embedded in the binary; a user may copy one ([`preset_source`]), edit it,
//! and load its text with [`Contract::from_toml`] (the caller reads the file: the domain does no
//! I/O).
//!
//! Sources of the MSSP terms (as in force for performance year 2018):
//! - Track 1 (one-sided): 42 CFR 425.604 — sharing rate 50 % × quality score, variable MSR
//!   (425.604(b)), performance payment limit 10 % of the updated benchmark (425.604(e)).
//! - Track 2: 42 CFR 425.606 — sharing 60 %, payment limit 15 %, shared loss rate 1 − final sharing
//!   rate held within 40–60 % (425.606(f)), loss sharing limit 5 / 7.5 / 10 % of the updated benchmark
//!   in agreement years 1 / 2 / 3 (425.606(h)(3)).
//! - Track 3: 42 CFR 425.610 — sharing 75 %, payment limit 20 %, loss rate 1 − FSR held within
//!   40–75 % (425.610(f)), loss limit 15 % (425.610(h)(3)).
//! - Track 1+ (a CMS Innovation Center model under section 1115A, not in part 425): sharing 50 %,
//!   payment limit 10 %, flat 30 % loss rate; loss limit, see the preset file.
//! - Sequestration: the 2 % reduction of Medicare payments (Budget Control Act of 2011) that CMS
//!   applies to shared savings payments, the contract's `holdback`.

pub use super::contract_error::{ContractError, ContractProblem};
use super::msr::{MsrLookup, variable_msr};
use crate::domain::money::Money;
use serde::Serialize;

/// The default claims-lag completion factors for lag 0 / 1 / 2 / 3+ months.
pub const DEFAULT_LAG_COMPLETION: [f64; 4] = [0.60, 0.85, 0.95, 1.00];

/// The default holdback (sequestration) factor.
pub const DEFAULT_HOLDBACK: f64 = 0.02;

/// The embedded presets: (id, TOML text). Ids match the file names under `assets/programs/`.
const PRESETS: &[(&str, &str)] = &[
    (
        "mssp-2018-track-1",
        include_str!("../../../assets/programs/mssp-2018-track-1.toml"),
    ),
    (
        "mssp-2018-track-2",
        include_str!("../../../assets/programs/mssp-2018-track-2.toml"),
    ),
    (
        "mssp-2018-track-3",
        include_str!("../../../assets/programs/mssp-2018-track-3.toml"),
    ),
    (
        "mssp-2018-track-1-plus",
        include_str!("../../../assets/programs/mssp-2018-track-1-plus.toml"),
    ),
    (
        "regional-pilot",
        include_str!("../../../assets/programs/regional-pilot.toml"),
    ),
];

/// The ids of the embedded presets, in display order.
pub fn preset_ids() -> impl Iterator<Item = &'static str> {
    PRESETS.iter().map(|(id, _)| *id)
}

/// The TOML text of an embedded preset (with its comments), for a user to copy and edit.
pub fn preset_source(id: &str) -> Option<&'static str> {
    PRESETS
        .iter()
        .find(|(preset, _)| *preset == id)
        .map(|(_, text)| *text)
}

/// Where the benchmark per person-year comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum BenchmarkRule {
    /// Supplied with each reconciliation (MSSP: the updated benchmark CMS computes, 425.602).
    Supplied,
    /// A fixed amount per person-year.
    Given(Money),
    /// Computed from the baseline years' spend per person-year.
    FromBaseline(BaselineBenchmark),
}

/// A benchmark from baseline spend, after 42 CFR 425.602(a): the baseline years weighted (MSSP
/// 2018: 10 / 30 / 60 %), trended forward, then reduced by an efficiency discount (a pilot term).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BaselineBenchmark {
    /// Weights of the baseline years, oldest first; they sum to 1.
    pub weights: Vec<f64>,
    /// Trend factor applied to the weighted average (1.04 = +4 %).
    pub trend: f64,
    /// Share taken off the trended benchmark (0.02 = 2 %).
    pub efficiency_discount: f64,
    /// Baseline spend per person-year, oldest first, when the file fixes it (else supplied).
    pub spend_per_person_year: Vec<Money>,
}

/// How the minimum savings rate is set.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub enum MsrRule {
    /// A fixed fraction (two-sided tracks' chosen MSR, 425.606(b)(1)(i); pilots).
    Fixed(f64),
    /// The table by assigned beneficiaries (425.604(b)).
    Variable,
    /// From the register's own spread of spend: `z × CV / √N`, at least `floor` (see
    /// [`super::msr::spread_msr`]); `floor` alone when the spread is not known.
    Spread {
        /// The normal quantile (1.645 = one-sided 90 %).
        z: f64,
        /// The lowest MSR.
        floor: f64,
    },
}

/// How the shared loss rate follows from the final sharing rate.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub enum LossRateRule {
    /// `1 − FSR` held within `[min, max]` (425.606(f): 40–60 %; 425.610(f): 40–75 %).
    OneMinusFsr {
        /// Lowest loss rate.
        min: f64,
        /// Highest loss rate (applies when the quality standard is not met, FSR = 0).
        max: f64,
    },
    /// The same rate whatever the quality (Track 1+: 30 %).
    Flat(f64),
}

/// The downside of a two-sided contract.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LossTerms {
    /// Minimum loss rate; `None` = the MSR (425.606(b)(2)).
    pub mlr: Option<f64>,
    /// The shared loss rate rule.
    pub rate: LossRateRule,
    /// Loss sharing limit as a share of the benchmark, by agreement year (first = year 1); the last
    /// entry applies to all later years. Never empty.
    pub cap_by_agreement_year: Vec<f64>,
}

/// The quality gate that must be passed to share savings.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub enum QualityGate {
    /// The payer's own determination, given with each reconciliation (MSSP quality performance
    /// standard, 42 CFR 425.500–425.502).
    Reported,
    /// HbA1c testing coverage of the diabetic population at least this share (regional pilot).
    Hba1cCoverage {
        /// Lowest coverage that passes (0.70 = 70 %).
        min_coverage: f64,
    },
}

/// The catalogue measure (`acodesk measures`) an HbA1c-coverage gate is decided on: its label,
/// population and window are the ones every surface shows beside the gate.
pub const GATE_MEASURE: &str = "hba1c_tested_12m";

impl QualityGate {
    /// The catalogue measure the gate is decided on (`None` for the payer's own determination).
    pub fn measure(self) -> Option<&'static crate::domain::measures::Measure> {
        match self {
            QualityGate::Reported => None,
            QualityGate::Hba1cCoverage { .. } => crate::domain::measures::measure(GATE_MEASURE),
        }
    }

    /// The lowest share of the measure that passes (`None` for the payer's own determination).
    pub fn threshold(self) -> Option<f64> {
        match self {
            QualityGate::Reported => None,
            QualityGate::Hba1cCoverage { min_coverage } => Some(min_coverage),
        }
    }
}

/// Where the quality score that scales the sharing rate comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum QualityScoreSource {
    /// The payer's own score, entered by a manager (`--quality-score` or the contract's
    /// `[quality] reported_score`); a score above 0 means the payer found the standard met.
    PayerReported,
    /// Computed from the contract's coverage gate: a passed gate shares at the full rate.
    ContractGate,
    /// The payer decides (gate = "reported") and no score was entered: nothing is shared.
    NotReported,
}

/// The quality score a projection applies, whether the payer's standard counts as met, and
/// where the score comes from.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct QualityScore {
    /// The score, 0..=1.
    pub score: f64,
    /// The payer's determination of the quality standard (used by a reported gate).
    pub reported_met: bool,
    /// Where the score comes from.
    pub source: QualityScoreSource,
}

/// Claims-lag completion and seasonality, used by the Budget tab's projection.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClaimsTerms {
    /// Share of a month's claims paid by lag 0, 1, 2, … months; the last applies to later lags.
    pub lag_completion: Vec<f64>,
    /// Relative weight of each calendar month's spend (January first); flat = all 1.
    pub seasonality: [f64; 12],
}

impl Default for ClaimsTerms {
    fn default() -> Self {
        ClaimsTerms {
            lag_completion: DEFAULT_LAG_COMPLETION.to_vec(),
            seasonality: [1.0; 12],
        }
    }
}

/// A shared-savings contract. Rates are fractions (0.5 = 50 %).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contract {
    /// Short id, e.g. `mssp-2018-track-2`.
    pub id: String,
    /// Human name (English, and the fallback).
    pub name: String,
    /// The name in Russian, when the contract file gives one (`name_ru`).
    pub name_ru: Option<String>,
    /// ISO currency code of the money amounts (USD, RUB).
    pub currency: String,
    /// Where the terms come from (regulation, agreement).
    pub source: String,
    /// The benchmark per person-year.
    pub benchmark: BenchmarkRule,
    /// The claim categories the benchmark covers (empty = all): spend outside them is paid by
    /// someone else (e.g. the subsidised-drug programmes) and counts neither way.
    pub benchmark_categories: Vec<crate::domain::types::ClaimCategory>,
    /// Maximum sharing rate, before the quality score.
    pub max_sharing_rate: f64,
    /// Performance payment limit as a share of the benchmark.
    pub payment_cap: f64,
    /// Holdback (sequestration) taken off a savings payment before the cap.
    pub holdback: f64,
    /// Minimum savings rate rule.
    pub msr: MsrRule,
    /// Two-sided terms; `None` for a one-sided contract.
    pub losses: Option<LossTerms>,
    /// The quality gate.
    pub quality: QualityGate,
    /// The quality score the payer reported for the year (`[quality] reported_score`), when the
    /// manager has entered it: it scales the sharing rate (MSSP: 42 CFR 425.502, 425.604(d)).
    pub reported_quality_score: Option<f64>,
    /// Claims lag and seasonality.
    pub claims: ClaimsTerms,
}

impl Contract {
    /// True when the benchmark covers claims of `category`.
    pub fn covers(&self, category: crate::domain::types::ClaimCategory) -> bool {
        self.benchmark_categories.is_empty() || self.benchmark_categories.contains(&category)
    }

    /// The codes of the covered categories (all when the contract lists none).
    pub fn covered_codes(&self) -> Vec<&'static str> {
        crate::domain::types::ClaimCategory::ALL
            .iter()
            .filter(|c| self.covers(**c))
            .map(|c| c.as_code())
            .collect()
    }

    /// True when the network also shares losses.
    pub fn is_two_sided(&self) -> bool {
        self.losses.is_some()
    }

    /// The contract's own MSR for `assigned` beneficiaries (fixed, or the 425.604(b) table).
    pub fn msr_for(&self, assigned: u32) -> MsrLookup {
        match self.msr {
            MsrRule::Fixed(rate) => MsrLookup {
                rate,
                below_table: false,
            },
            MsrRule::Variable => variable_msr(assigned),
            MsrRule::Spread { floor, .. } => MsrLookup {
                rate: floor,
                below_table: false,
            },
        }
    }

    /// The final sharing rate: maximum sharing rate × quality score when the quality standard is
    /// met, else 0 (425.604(d), 425.606(d), 425.610(d)). The score is held within 0..=1.
    pub fn final_sharing_rate(&self, quality_score: f64, standard_met: bool) -> f64 {
        if standard_met && quality_score.is_finite() {
            self.max_sharing_rate * quality_score.clamp(0.0, 1.0)
        } else {
            0.0
        }
    }

    /// The shared loss rate for a final sharing rate; `None` for a one-sided contract.
    pub fn loss_rate(&self, final_sharing_rate: f64) -> Option<f64> {
        self.losses.as_ref().map(|terms| match terms.rate {
            LossRateRule::OneMinusFsr { min, max } => (1.0 - final_sharing_rate).clamp(min, max),
            LossRateRule::Flat(rate) => rate,
        })
    }

    /// The loss sharing limit (share of the benchmark) in an agreement year (1 = first);
    /// `None` for a one-sided contract. Year 0 is read as year 1.
    pub fn loss_cap(&self, agreement_year: u32) -> Option<f64> {
        let terms = self.losses.as_ref()?;
        let index = (agreement_year.max(1) - 1) as usize;
        terms
            .cap_by_agreement_year
            .get(index)
            .or(terms.cap_by_agreement_year.last())
            .copied()
    }

    /// True when the loss cap differs between agreement years (so the year must be known).
    pub fn loss_cap_depends_on_year(&self) -> bool {
        self.losses.as_ref().is_some_and(|terms| {
            terms
                .cap_by_agreement_year
                .windows(2)
                .any(|pair| pair[0] != pair[1])
        })
    }

    /// The quality score to apply: `entered` (a manager's `--quality-score`) first, then the
    /// contract's `reported_score`; without either, a coverage gate shares at the full rate and a
    /// gate the payer decides counts as not met. The payer reports a score only for an ACO that
    /// met its quality performance standard (42 CFR 425.502), so a reported score above 0 meets it.
    pub fn quality_score(&self, entered: Option<f64>) -> QualityScore {
        match entered.or(self.reported_quality_score) {
            Some(score) => QualityScore {
                score,
                reported_met: score > 0.0,
                source: QualityScoreSource::PayerReported,
            },
            None => QualityScore {
                score: 1.0,
                reported_met: false,
                source: match self.quality {
                    QualityGate::Reported => QualityScoreSource::NotReported,
                    QualityGate::Hba1cCoverage { .. } => QualityScoreSource::ContractGate,
                },
            },
        }
    }

    /// Whether the quality gate is passed. `reported_met` is the payer's determination (used by a
    /// [`QualityGate::Reported`] gate, and by a coverage gate when no coverage is known).
    pub fn quality_gate_met(&self, reported_met: bool, hba1c_coverage: Option<f64>) -> bool {
        match (self.quality, hba1c_coverage) {
            (QualityGate::Reported, _) => reported_met,
            (QualityGate::Hba1cCoverage { min_coverage }, Some(coverage)) => {
                coverage + 1e-12 >= min_coverage
            }
            (QualityGate::Hba1cCoverage { .. }, None) => reported_met,
        }
    }

    /// The benchmark per person-year. `baseline` is the baseline years' spend per person-year,
    /// oldest first; when empty, the file's own `spend_per_person_year` is used.
    /// Weighted average × trend × (1 − efficiency discount), rounded to the cent.
    pub fn benchmark_per_person_year(&self, baseline: &[Money]) -> Result<Money, String> {
        match &self.benchmark {
            BenchmarkRule::Given(amount) => Ok(*amount),
            BenchmarkRule::Supplied => Err(format!(
                "the contract {} has no benchmark of its own: supply the benchmark total",
                self.id
            )),
            BenchmarkRule::FromBaseline(rule) => {
                let spend = if baseline.is_empty() {
                    rule.spend_per_person_year.as_slice()
                } else {
                    baseline
                };
                if spend.len() != rule.weights.len() {
                    return Err(format!(
                        "the contract {} weighs {} baseline years but {} were given",
                        self.id,
                        rule.weights.len(),
                        spend.len()
                    ));
                }
                let weighted: f64 = spend
                    .iter()
                    .zip(&rule.weights)
                    .map(|(amount, weight)| amount.as_f64() * weight)
                    .sum();
                Ok(Money::from_f64_rounded(
                    weighted * rule.trend * (1.0 - rule.efficiency_discount),
                ))
            }
        }
    }

    /// The completion factor for a service month `lag_months` before the as-of month.
    pub fn lag_factor(&self, lag_months: u32) -> f64 {
        let factors = &self.claims.lag_completion;
        factors
            .get(lag_months as usize)
            .or(factors.last())
            .copied()
            .unwrap_or(1.0)
    }

    /// The seasonality weights scaled to average 1 (flat = all 1).
    pub fn seasonality_normalised(&self) -> [f64; 12] {
        let total: f64 = self.claims.seasonality.iter().sum();
        if total <= 0.0 || !total.is_finite() {
            return [1.0; 12];
        }
        self.claims.seasonality.map(|w| w * 12.0 / total)
    }
}

/// SHA-256 of a contract text, hex: names the exact text on the audit trail.
pub fn text_hash(text: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The benchmark total for a benchmark per person-year and a number of person-years (B).
pub fn benchmark_total(per_person_year: Money, person_years: f64) -> Money {
    Money::from_f64_rounded(per_person_year.as_f64() * person_years)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_all_parse_with_their_terms() {
        let ids: Vec<&str> = preset_ids().collect();
        assert_eq!(ids.len(), 5);
        for id in ids {
            let contract = Contract::preset(id).unwrap_or_else(|e| panic!("{e:?}"));
            assert_eq!(contract.id, id);
            assert_eq!(contract.claims.lag_completion, DEFAULT_LAG_COMPLETION);
        }
        let t1 = Contract::preset("mssp-2018-track-1").unwrap();
        assert_eq!((t1.max_sharing_rate, t1.payment_cap), (0.5, 0.10));
        assert_eq!(t1.msr, MsrRule::Variable);
        assert!(!t1.is_two_sided());
        assert_eq!(t1.holdback, 0.02);

        let t2 = Contract::preset("mssp-2018-track-2").unwrap();
        assert_eq!((t2.max_sharing_rate, t2.payment_cap), (0.6, 0.15));
        assert_eq!(
            [
                t2.loss_cap(1),
                t2.loss_cap(2),
                t2.loss_cap(3),
                t2.loss_cap(5)
            ],
            [Some(0.05), Some(0.075), Some(0.10), Some(0.10)]
        );
        assert!(t2.loss_cap_depends_on_year());
        let rate = t2.loss_rate(0.6 * 0.9).unwrap_or_default();
        assert!((rate - 0.46).abs() < 1e-15, "{rate}");
        assert_eq!(t2.loss_rate(0.0), Some(0.60));
        assert_eq!(t2.loss_rate(0.6), Some(0.40));

        let t3 = Contract::preset("mssp-2018-track-3").unwrap();
        assert_eq!((t3.max_sharing_rate, t3.payment_cap), (0.75, 0.20));
        assert_eq!(t3.loss_cap(1), Some(0.15));
        assert_eq!(t3.loss_rate(0.0), Some(0.75));
        assert_eq!(t3.loss_rate(0.75), Some(0.40));
        assert!(!t3.loss_cap_depends_on_year());

        let plus = Contract::preset("mssp-2018-track-1-plus").unwrap();
        assert_eq!((plus.max_sharing_rate, plus.payment_cap), (0.5, 0.10));
        assert_eq!(plus.loss_rate(0.0), Some(0.30));
        assert_eq!(plus.loss_rate(0.5), Some(0.30));
        assert_eq!(plus.loss_cap(1), Some(0.04));

        let pilot = Contract::preset("regional-pilot").unwrap();
        assert_eq!(pilot.currency, "RUB");
        assert_eq!(
            pilot.msr,
            MsrRule::Spread {
                z: 1.645,
                floor: 0.02
            }
        );
        assert!(!pilot.is_two_sided());
        assert_eq!(
            pilot.quality,
            QualityGate::Hba1cCoverage { min_coverage: 0.70 }
        );
        assert!(matches!(pilot.benchmark, BenchmarkRule::FromBaseline(_)));
    }

    #[test]
    fn a_user_text_loads_and_its_errors_name_the_origin_key_and_place() {
        let edited = preset_source("regional-pilot")
            .unwrap()
            .replace("max_rate = 0.50", "max_rate = 0.40");
        let contract = Contract::from_toml(&edited, "pilot.toml").unwrap();
        assert_eq!(contract.max_sharing_rate, 0.40);
        let err =
            Contract::from_toml("id = \"x\"\n[msr]\nrule = \"sliding\"\n", "my.toml").unwrap_err();
        assert_eq!(err.origin, "my.toml");
        assert_eq!(err.key.as_deref(), Some("currency"));
        assert_eq!(*err.problem, ContractProblem::RequiredText);
        assert_eq!(err.place, None, "a missing key has no place");
    }

    #[test]
    fn unknown_preset_is_a_clear_error() {
        let err = Contract::preset("track-9").unwrap_err();
        assert_eq!(err.origin, "track-9");
        match *err.problem {
            ContractProblem::NoSuchPreset { expected } => {
                assert!(expected.iter().any(|p| p == "mssp-2018-track-1"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_coverage_gate_is_one_catalogue_measure() {
        let gate = QualityGate::Hba1cCoverage { min_coverage: 0.7 };
        let m = gate
            .measure()
            .expect("the gate's measure is in the catalogue");
        assert_eq!(m.id, GATE_MEASURE);
        assert_eq!(m.lower_is_better, Some(false));
        assert_eq!(gate.threshold(), Some(0.7));
        assert!(QualityGate::Reported.measure().is_none());
    }

    #[test]
    fn a_reported_quality_score_comes_from_the_manager_then_the_contract() {
        let mut t1 = Contract::preset("mssp-2018-track-1").unwrap();
        let none = t1.quality_score(None);
        assert_eq!(
            (none.reported_met, none.source),
            (false, QualityScoreSource::NotReported)
        );
        t1.reported_quality_score = Some(0.9);
        assert_eq!(
            t1.quality_score(None),
            QualityScore {
                score: 0.9,
                reported_met: true,
                source: QualityScoreSource::PayerReported
            }
        );
        assert_eq!(t1.quality_score(Some(0.8)).score, 0.8);
        assert!(!t1.quality_score(Some(0.0)).reported_met);
        let pilot = Contract::preset("regional-pilot").unwrap();
        assert_eq!(
            pilot.quality_score(None).source,
            QualityScoreSource::ContractGate
        );
        assert_eq!(pilot.quality_score(None).score, 1.0);
    }

    #[test]
    fn final_sharing_rate_and_quality_gate() {
        let pilot = Contract::preset("regional-pilot").unwrap();
        assert_eq!(pilot.final_sharing_rate(0.9, true), 0.45);
        assert_eq!(pilot.final_sharing_rate(0.9, false), 0.0);
        assert_eq!(pilot.final_sharing_rate(1.7, true), 0.5);
        assert!(pilot.quality_gate_met(false, Some(0.70)));
        assert!(!pilot.quality_gate_met(true, Some(0.6999)));
        assert!(pilot.quality_gate_met(true, None));
        let t1 = Contract::preset("mssp-2018-track-1").unwrap();
        assert!(!t1.quality_gate_met(false, Some(0.99)));
    }

    #[test]
    fn benchmark_from_baseline_weights_trends_and_discounts() {
        let pilot = Contract::preset("regional-pilot").unwrap();
        // (0.4 × 100,000 + 0.6 × 110,000) × 1.04 × 0.98 = 106,000 × 1.0192 = 108,035.20
        let baseline = [Money::from_major(100_000), Money::from_major(110_000)];
        assert_eq!(
            pilot.benchmark_per_person_year(&baseline),
            Ok(Money(10_803_520))
        );
        assert!(pilot.benchmark_per_person_year(&baseline[..1]).is_err());
        let t1 = Contract::preset("mssp-2018-track-1").unwrap();
        assert!(t1.benchmark_per_person_year(&[]).is_err());
        assert_eq!(
            benchmark_total(Money(10_803_520), 1_000.5),
            Money(10_808_921_760)
        );
    }

    #[test]
    fn lag_factors_and_seasonality() {
        let mut pilot = Contract::preset("regional-pilot").unwrap();
        assert_eq!(
            [0, 1, 2, 3, 9].map(|lag| pilot.lag_factor(lag)),
            [0.60, 0.85, 0.95, 1.00, 1.00]
        );
        assert_eq!(pilot.seasonality_normalised(), [1.0; 12]);
        pilot.claims.seasonality = [2.0; 12];
        assert_eq!(pilot.seasonality_normalised(), [1.0; 12]);
    }
}
