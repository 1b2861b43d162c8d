//! Reads a contract from TOML, naming the file and the dotted key in every error.
//!
//! Schema (rates are fractions between 0 and 1; money is a string "123456.78" or a number):
//!
//! ```toml
//! id = "regional-pilot"            # required
//! name = "Regional diabetes pilot" # required
//! name_ru = "Региональный пилот"    # optional: the name shown in Russian (else `name`)
//! currency = "RUB"                 # required, ISO code
//! source = "agreement of …"        # optional citation of the rules
//!
//! [benchmark]                      # optional: absent = supplied with each reconciliation
//! categories = ["inpatient", "day_hospital", "outpatient", "emergency", "other"]  # optional: what it covers (all)
//! per_person_year = "123456.78"    # either a fixed amount …
//! [benchmark.from_baseline]        # … or computed from the baseline years
//! weights = [0.4, 0.6]             # oldest first, must sum to 1
//! trend = 1.04                     # factor > 0
//! efficiency_discount = 0.02       # share taken off
//! spend_per_person_year = ["100000.00", "110000.00"]  # optional, else supplied at run time
//!
//! [sharing]
//! max_rate = 0.5                   # required
//! payment_cap = 0.10               # required, share of the benchmark
//! holdback = 0.02                  # optional, default 0.02 (sequestration)
//!
//! [msr]
//! rule = "fixed"                   # "fixed", "variable" (42 CFR 425.604(b) table) or "spread"
//! rate = 0.02                      # required with "fixed"
//! z = 1.645                        # with "spread": MSR = z × CV / √N of the register's spend
//! floor = 0.02                     # with "spread": the lowest MSR (default 0)
//!
//! [losses]                         # present = two-sided
//! mlr = 0.02                       # optional, default = the MSR
//! rate_rule = "one_minus_fsr"      # or "flat"
//! min_rate = 0.40                  # with one_minus_fsr
//! max_rate = 0.60                  # with one_minus_fsr
//! rate = 0.30                      # with flat
//! cap_by_agreement_year = [0.05, 0.075, 0.10]  # last applies to later years
//!
//! [quality]
//! gate = "reported"                # or "hba1c_coverage"; default "reported"
//! min_hba1c_coverage = 0.70        # with hba1c_coverage
//! reported_score = 0.92            # optional: the quality score the payer reported (0..=1)
//!
//! [claims]
//! lag_completion = [0.60, 0.85, 0.95, 1.00]  # optional, this default; lag 0, 1, 2, 3+ months
//! seasonality = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]  # optional, 12 weights, default flat
//! ```

use super::contract::{
    BaselineBenchmark, BenchmarkRule, ClaimsTerms, Contract, DEFAULT_HOLDBACK, LossRateRule,
    LossTerms, MsrRule, QualityGate, preset_ids, preset_source,
};
use super::contract_error::{ContractError, ContractProblem};
use super::toml_section::{Res, Section, describe, money_of, number_of, syntax_error};
use crate::domain::money::Money;
use toml::{Table, Value};

impl Contract {
    /// Parses a contract from TOML text and refuses implausible values (see
    /// `plausible.rs`); `origin` names the file in errors, which carry the line and column.
    pub fn from_toml(text: &str, origin: &str) -> Result<Contract, ContractError> {
        let contract = parse(text, origin).map_err(|e| e.located(text))?;
        super::plausible::check(&contract, origin).map_err(|e| e.located(text))?;
        Ok(contract)
    }

    /// Parses a contract without the plausibility checks: a contract accepted deliberately with
    /// `--force`, or the register's own copy (checked when it was stored).
    pub fn from_toml_unchecked(text: &str, origin: &str) -> Result<Contract, ContractError> {
        parse(text, origin).map_err(|e| e.located(text))
    }

    /// An embedded preset by id (see [`preset_ids`]).
    pub fn preset(id: &str) -> Result<Contract, ContractError> {
        let text = preset_source(id).ok_or_else(|| ContractError {
            origin: id.to_string(),
            key: None,
            place: None,
            problem: Box::new(ContractProblem::NoSuchPreset {
                expected: preset_ids().map(str::to_string).collect(),
            }),
        })?;
        Contract::from_toml(text, &format!("assets/programs/{id}.toml"))
    }
}

/// Parses contract TOML; `origin` names the file in errors.
pub(crate) fn parse(text: &str, origin: &str) -> Result<Contract, ContractError> {
    let table: Table = text
        .parse()
        .map_err(|e: toml::de::Error| syntax_error(text, origin, &e))?;
    let root = Section {
        origin,
        path: String::new(),
        table: &table,
    };
    root.only(&[
        "id",
        "name",
        "name_ru",
        "currency",
        "source",
        "benchmark",
        "sharing",
        "msr",
        "losses",
        "quality",
        "claims",
    ])?;
    let id = root.required_text("id")?;
    if !id
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(root.err("id", ContractProblem::IdCharacters));
    }
    let currency = root.required_text("currency")?;
    if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(root.err("currency", ContractProblem::CurrencyCode));
    }
    let sharing = root
        .sub("sharing")?
        .ok_or_else(|| root.err("sharing", table_required("sharing")))?;
    sharing.only(&["max_rate", "payment_cap", "holdback"])?;
    let msr = root
        .sub("msr")?
        .ok_or_else(|| root.err("msr", table_required("msr")))?;
    Ok(Contract {
        id: id.to_string(),
        name: root.required_text("name")?.to_string(),
        name_ru: root
            .text("name_ru")?
            .filter(|n| !n.trim().is_empty())
            .map(str::to_string),
        currency: currency.to_string(),
        source: root.text("source")?.unwrap_or_default().to_string(),
        benchmark: parse_benchmark(root.sub("benchmark")?)?,
        benchmark_categories: parse_categories(root.sub("benchmark")?)?,
        max_sharing_rate: sharing.required_fraction("max_rate")?,
        payment_cap: sharing.required_fraction("payment_cap")?,
        holdback: sharing.fraction("holdback")?.unwrap_or(DEFAULT_HOLDBACK),
        msr: parse_msr(&msr)?,
        losses: root.sub("losses")?.map(|s| parse_losses(&s)).transpose()?,
        quality: parse_quality(root.sub("quality")?)?,
        reported_quality_score: match root.sub("quality")? {
            Some(section) => section.fraction("reported_score")?,
            None => None,
        },
        claims: parse_claims(root.sub("claims")?)?,
    })
}

/// `[benchmark] categories`: the claim categories the benchmark covers (absent: all).
fn parse_categories(section: Option<Section<'_>>) -> Res<Vec<crate::domain::types::ClaimCategory>> {
    use crate::domain::types::ClaimCategory;
    let Some(section) = section else {
        return Ok(Vec::new());
    };
    match section.table.get("categories") {
        None => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| {
                v.as_str()
                    .and_then(ClaimCategory::from_code)
                    .ok_or_else(|| section.err("categories", categories(describe(v))))
            })
            .collect(),
        Some(other) => Err(section.err("categories", categories(describe(other)))),
    }
}

fn parse_benchmark(section: Option<Section<'_>>) -> Res<BenchmarkRule> {
    let Some(section) = section else {
        return Ok(BenchmarkRule::Supplied);
    };
    section.only(&["per_person_year", "from_baseline", "categories"])?;
    let given = section.money("per_person_year")?;
    let baseline = section.sub("from_baseline")?;
    match (given, baseline) {
        (Some(_), Some(_)) => Err(section.err("from_baseline", ContractProblem::BenchmarkBoth)),
        (Some(amount), None) if amount > Money::ZERO => Ok(BenchmarkRule::Given(amount)),
        (Some(_), None) => Err(section.err("per_person_year", ContractProblem::NotPositiveAmount)),
        (None, None) => Ok(BenchmarkRule::Supplied),
        (None, Some(rule)) => {
            rule.only(&[
                "weights",
                "trend",
                "efficiency_discount",
                "spend_per_person_year",
            ])?;
            let weights = rule
                .fractions("weights")?
                .ok_or_else(|| rule.err("weights", required("[0.4, 0.6]")))?;
            let total: f64 = weights.iter().sum();
            if (total - 1.0).abs() > 1e-9 {
                return Err(rule.err("weights", ContractProblem::WeightsSum { total }));
            }
            let trend = rule.number("trend")?.unwrap_or(1.0);
            if trend <= 0.0 {
                return Err(rule.err("trend", ContractProblem::TrendNotPositive));
            }
            let spend = match rule.table.get("spend_per_person_year") {
                None => Vec::new(),
                Some(Value::Array(items)) => items
                    .iter()
                    .map(money_of)
                    .collect::<Option<Vec<Money>>>()
                    .filter(|list| list.len() == weights.len())
                    .ok_or_else(|| {
                        rule.err(
                            "spend_per_person_year",
                            ContractProblem::SpendCount {
                                count: weights.len(),
                            },
                        )
                    })?,
                Some(other) => {
                    return Err(rule.err(
                        "spend_per_person_year",
                        ContractProblem::ExpectedAmounts {
                            found: describe(other),
                        },
                    ));
                }
            };
            Ok(BenchmarkRule::FromBaseline(BaselineBenchmark {
                weights,
                trend,
                efficiency_discount: rule.fraction("efficiency_discount")?.unwrap_or(0.0),
                spend_per_person_year: spend,
            }))
        }
    }
}

fn parse_msr(section: &Section<'_>) -> Res<MsrRule> {
    section.only(&["rule", "rate", "z", "floor"])?;
    let rule = section.required_text("rule")?;
    if rule != "spread" {
        for key in ["z", "floor"] {
            if section.table.contains_key(key) {
                return Err(section.err(key, ContractProblem::OnlyWithSpread));
            }
        }
    }
    match rule {
        "spread" => match section.table.get("rate") {
            Some(_) => Err(section.err("rate", ContractProblem::OnlyWithFixed)),
            None => Ok(MsrRule::Spread {
                z: section.number("z")?.unwrap_or(1.645),
                floor: section.fraction("floor")?.unwrap_or(0.0),
            }),
        },
        "fixed" => Ok(MsrRule::Fixed(section.fraction("rate")?.ok_or_else(
            || {
                section.err(
                    "rate",
                    ContractProblem::RequiredWithFixed {
                        example: "0.02".into(),
                    },
                )
            },
        )?)),
        "variable" => match section.table.get("rate") {
            Some(_) => Err(section.err("rate", ContractProblem::OnlyWithFixed)),
            None => Ok(MsrRule::Variable),
        },
        other => Err(section.err("rule", choice(&["fixed", "variable", "spread"], other))),
    }
}

fn parse_losses(section: &Section<'_>) -> Res<LossTerms> {
    section.only(&[
        "mlr",
        "rate_rule",
        "min_rate",
        "max_rate",
        "rate",
        "cap_by_agreement_year",
    ])?;
    let rate = match section.required_text("rate_rule")? {
        "one_minus_fsr" => {
            let min = section.required_fraction("min_rate")?;
            let max = section.required_fraction("max_rate")?;
            if min > max {
                return Err(section.err("min_rate", ContractProblem::MinAboveMax));
            }
            LossRateRule::OneMinusFsr { min, max }
        }
        "flat" => LossRateRule::Flat(section.required_fraction("rate")?),
        other => {
            return Err(section.err("rate_rule", choice(&["one_minus_fsr", "flat"], other)));
        }
    };
    let caps = section
        .fractions("cap_by_agreement_year")?
        .ok_or_else(|| section.err("cap_by_agreement_year", required("[0.05, 0.075, 0.10]")))?;
    Ok(LossTerms {
        mlr: section.fraction("mlr")?,
        rate,
        cap_by_agreement_year: caps,
    })
}

fn parse_quality(section: Option<Section<'_>>) -> Res<QualityGate> {
    let Some(section) = section else {
        return Ok(QualityGate::Reported);
    };
    section.only(&["gate", "min_hba1c_coverage", "reported_score"])?;
    match section.text("gate")?.unwrap_or("reported") {
        "reported" => Ok(QualityGate::Reported),
        "hba1c_coverage" => Ok(QualityGate::Hba1cCoverage {
            min_coverage: section.required_fraction("min_hba1c_coverage")?,
        }),
        other => Err(section.err("gate", choice(&["reported", "hba1c_coverage"], other))),
    }
}

fn parse_claims(section: Option<Section<'_>>) -> Res<ClaimsTerms> {
    let mut terms = ClaimsTerms::default();
    let Some(section) = section else {
        return Ok(terms);
    };
    section.only(&["lag_completion", "seasonality"])?;
    if let Some(factors) = section.fractions("lag_completion")? {
        if factors.iter().any(|f| *f <= 0.0) {
            return Err(section.err("lag_completion", ContractProblem::LagNotPositive));
        }
        terms.lag_completion = factors;
    }
    if let Some(value) = section.table.get("seasonality") {
        let weights: Option<Vec<f64>> = match value {
            Value::Array(items) => items
                .iter()
                .map(|v| number_of(v).filter(|w| *w > 0.0))
                .collect(),
            _ => None,
        };
        terms.seasonality = weights
            .and_then(|w| <[f64; 12]>::try_from(w).ok())
            .ok_or_else(|| section.err("seasonality", ContractProblem::Seasonality))?;
    }
    Ok(terms)
}

fn table_required(name: &str) -> ContractProblem {
    ContractProblem::TableRequired {
        name: name.to_string(),
    }
}

fn required(example: &str) -> ContractProblem {
    ContractProblem::Required {
        example: example.to_string(),
    }
}

fn choice(expected: &[&str], found: &str) -> ContractProblem {
    ContractProblem::Choice {
        expected: expected.iter().map(|w| w.to_string()).collect(),
        found: found.to_string(),
    }
}

fn categories(found: super::contract_error::Found) -> ContractProblem {
    ContractProblem::ExpectedCategories {
        expected: crate::domain::types::ClaimCategory::ALL
            .iter()
            .map(|c| c.as_code().to_string())
            .collect(),
        found,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::finance::contract_error::{Found, Place};

    const MINIMAL: &str = "id = \"x\"\nname = \"X\"\ncurrency = \"RUB\"\n\
        [sharing]\nmax_rate = 0.5\npayment_cap = 0.1\n[msr]\nrule = \"fixed\"\nrate = 0.02\n";

    /// The error of a text that must be refused (located, as `Contract::from_toml` returns it).
    fn error(text: &str) -> ContractError {
        match Contract::from_toml_unchecked(text, "my.toml") {
            Ok(_) => panic!("expected an error"),
            Err(e) => e,
        }
    }

    fn at(line: u64, column: u64) -> Option<Place> {
        Some(Place { line, column })
    }

    #[test]
    fn minimal_contract_takes_the_defaults() {
        let c = parse(MINIMAL, "my.toml").unwrap();
        assert_eq!(c.holdback, 0.02);
        assert_eq!(c.benchmark, BenchmarkRule::Supplied);
        assert_eq!(c.quality, QualityGate::Reported);
        assert_eq!(c.claims, ClaimsTerms::default());
        assert!(c.losses.is_none());
    }

    #[test]
    fn a_russian_name_is_optional() {
        let c = parse(MINIMAL, "t.toml").unwrap();
        assert_eq!((c.name.as_str(), c.name_ru), ("X", None));
        let text = MINIMAL.replacen("name = \"X\"\n", "name = \"X\"\nname_ru = \"Икс\"\n", 1);
        let c = parse(&text, "t.toml").unwrap();
        assert_eq!(c.name_ru.as_deref(), Some("Икс"));
        for preset in crate::domain::finance::contract::preset_ids() {
            let c = Contract::preset(preset).unwrap();
            assert!(c.name_ru.is_some(), "{preset} has no Russian name");
        }
    }

    #[test]
    fn errors_name_the_file_the_key_and_the_place() {
        let bad = MINIMAL.replace("max_rate = 0.5", "max_rate = \"half\"");
        assert_eq!(
            error(&bad),
            ContractError {
                origin: "my.toml".into(),
                key: Some("sharing.max_rate".into()),
                place: at(5, 12),
                problem: Box::new(ContractProblem::ExpectedNumber {
                    found: Found::Literal("\"half\"".into())
                }),
            }
        );
        let pct = error(&MINIMAL.replace("payment_cap = 0.1", "payment_cap = 10"));
        assert_eq!(
            (pct.key.as_deref(), pct.place, *pct.problem),
            (
                Some("sharing.payment_cap"),
                at(6, 15),
                ContractProblem::NotAFraction { found: 10.0 }
            )
        );
        let typo = error(&MINIMAL.replace("payment_cap", "paymnet_cap"));
        assert_eq!(
            (typo.key.as_deref(), typo.place),
            (Some("sharing.paymnet_cap"), at(6, 1))
        );
        assert!(matches!(*typo.problem, ContractProblem::UnknownKey { .. }));
        let missing = error(&MINIMAL.replace("rate = 0.02\n", ""));
        assert_eq!(
            (missing.key.as_deref(), missing.place),
            (Some("msr.rate"), None)
        );
        let seasons = error(&format!("{MINIMAL}[claims]\nseasonality = [1, 2]\n"));
        assert_eq!(
            (seasons.key.as_deref(), seasons.place, *seasons.problem),
            (
                Some("claims.seasonality"),
                at(11, 15),
                ContractProblem::Seasonality
            )
        );
        let weights = error(&format!(
            "{MINIMAL}[benchmark.from_baseline]\nweights = [0.5, 0.6]\n"
        ));
        assert_eq!(
            weights.key.as_deref(),
            Some("benchmark.from_baseline.weights")
        );
        assert_eq!(weights.place, at(11, 11));
        assert!(
            matches!(*weights.problem, ContractProblem::WeightsSum { total } if (total - 1.1).abs() < 1e-9)
        );
    }

    #[test]
    fn the_payer_s_quality_score_is_a_fraction() {
        let text = format!("{MINIMAL}[quality]\nreported_score = 0.92\n");
        let c = parse(&text, "my.toml").unwrap();
        assert_eq!(c.reported_quality_score, Some(0.92));
        let e = error(&format!("{MINIMAL}[quality]\nreported_score = 92\n"));
        assert_eq!(
            (e.key.as_deref(), e.place, *e.problem),
            (
                Some("quality.reported_score"),
                at(11, 18),
                ContractProblem::NotAFraction { found: 92.0 }
            )
        );
    }

    #[test]
    fn syntax_errors_give_the_line_the_column_and_the_key() {
        let broken = error(&MINIMAL.replace("max_rate = 0.5", "max_rate = 0.5."));
        assert_eq!(broken.key.as_deref(), Some("sharing.max_rate"));
        assert_eq!(broken.place.map(|p| p.line), Some(5));
        assert!(matches!(*broken.problem, ContractProblem::Syntax { .. }));
        let header = error("[sharing\n");
        assert_eq!((header.key, header.place), (None, at(1, 9)));
    }

    #[test]
    fn two_sided_and_baseline_sections_parse() {
        let text = format!(
            "{MINIMAL}[losses]\nrate_rule = \"flat\"\nrate = 0.3\ncap_by_agreement_year = [0.04]\n\
             [benchmark.from_baseline]\nweights = [0.4, 0.6]\ntrend = 1.04\nefficiency_discount = 0.02\n\
             spend_per_person_year = [\"100000.00\", 110000]\n"
        );
        let c = parse(&text, "my.toml").unwrap();
        assert_eq!(c.loss_rate(0.2), Some(0.3));
        assert_eq!(c.reported_quality_score, None);
        assert_eq!(c.benchmark_per_person_year(&[]), Ok(Money(10_803_520)));
    }
}
