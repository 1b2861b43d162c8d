//! The Budget figures: spend against the contract's budget, completed for claims lag and projected
//! to the year end, with what the network would earn. Reads only the monthly aggregates kept at
//! import (`claim_month_totals`, by service month and received date), never the claim lines
//! themselves; only the claims received by the as-of date count (#19).

use crate::domain::finance::benchmark::{BaselineYear, BenchmarkSource, BenchmarkSteps};
use crate::domain::finance::contract::Contract;
use crate::domain::finance::lag::{
    Completion, LAG_HORIZON_MONTHS, REFERENCE_MONTHS, Receipt, completion, month_index,
};
use crate::domain::finance::projection::{
    MonthActuals, Projection, ProjectionInput, WhatIf, project,
};
use crate::domain::indicators::Ratio;
use crate::domain::money::Money;
use crate::domain::pilot::PilotInfo;
use crate::domain::types::ClaimCategory;
use chrono::{Datelike, NaiveDate};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use std::collections::BTreeMap;

/// One month of the performance year on the Budget tab.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BudgetMonth {
    /// 1 = January.
    pub month: u32,
    /// Claims paid for services in the month (after the what-if).
    pub paid: Money,
    /// The month's budget (benchmark per person-year / 12 × member-months × seasonality).
    pub budget: Money,
    /// Member-months of enrolment.
    pub member_months: u32,
}

/// Everything the Budget tab shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BudgetView {
    /// The contract's id and name.
    pub contract_id: String,
    /// The contract's human name (English).
    pub contract_name: String,
    /// The contract's name in Russian, when its file gives one.
    pub contract_name_ru: Option<String>,
    /// Currency of every amount.
    pub currency: String,
    /// The performance year.
    pub performance_year: i32,
    /// Benchmark per person-year.
    pub benchmark_per_person_year: Money,
    /// Baseline years' spend per person-year.
    pub baseline: Vec<(i32, Money)>,
    /// The projection (budget and spend to date, projected spend, savings, earned).
    pub projection: Projection,
    /// Months of the performance year up to the as-of month.
    pub months: Vec<BudgetMonth>,
    /// Year-to-date paid by category (the categories the benchmark covers).
    pub by_category: Vec<(ClaimCategory, Money)>,
    /// Year-to-date paid in categories the benchmark does not cover (paid by others).
    pub outside_benchmark: Vec<(ClaimCategory, Money)>,
    /// The claim categories the contract's benchmark covers (the others are paid by others and
    /// count neither in the benchmark nor in the spend).
    pub covered: Vec<ClaimCategory>,
    /// Year-to-date paid by organization name.
    pub by_organization: Vec<(String, Money)>,
    /// HbA1c testing coverage in the rolling year (the regional pilot's quality gate).
    pub hba1c_coverage: Ratio,
    /// The coverage the gate requires, when it is a coverage gate.
    pub gate_min_coverage: Option<f64>,
    /// The catalogue measure the gate is decided on, when it is a coverage gate
    /// ([`crate::domain::finance::contract::GATE_MEASURE`]).
    pub gate_measure: Option<&'static crate::domain::measures::Measure>,
    /// Assigned (enrolled, active) beneficiaries.
    pub assigned: u32,
    /// The what-if in force.
    pub what_if: WhatIf,
    /// Why no projection could be made (e.g. no baseline claims), if so.
    pub problem: Option<String>,
    /// What makes the projection doubtful (a stale claims feed, a month with no claims, a
    /// benchmark the register cannot compute, savings inside the MSR band), in the process's
    /// language; empty when nothing is.
    pub problems: Vec<String>,
    /// The benchmark's derivation (baseline years → weighted → trended → discounted).
    pub benchmark: BenchmarkSteps,
    /// The claims-lag completion factors used.
    pub completion: Completion,
    /// The latest date a claim line was received by the as-of date, when any date is known.
    pub last_received: Option<NaiveDate>,
    /// How the MSR was chosen (in the process's language).
    pub msr_method: String,
    /// True when the contract's MSR table does not reach the pilot's size (the CMS table below
    /// 5,000 assigned): no shared savings are computed, and `problems` says why.
    pub msr_undefined: bool,
    /// Utilisation per 1,000 person-years and spend per person-year, by site.
    pub utilisation: crate::domain::finance::utilisation::Utilisation,
}

/// The quality gate's figure as every surface shows it: the catalogue measure's id, label and
/// window, its value, the threshold and whether the gate is met.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GateFigure {
    /// The catalogue id (`acodesk measures`).
    pub measure: &'static str,
    /// The catalogue's label in the chosen language.
    pub label: &'static str,
    /// The catalogue's window in the chosen language.
    pub window: &'static str,
    /// The figure (numerator / denominator).
    pub value: Ratio,
    /// The share the gate requires.
    pub threshold: f64,
    /// Whether the projection counts the gate as passed.
    pub met: bool,
}

/// The coverage gate as the projection decided it, with the catalogue measure it is decided on.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Gate {
    /// The catalogue measure.
    pub measure: &'static crate::domain::measures::Measure,
    /// Its value for the pilot.
    pub value: Ratio,
    /// The share the gate requires.
    pub threshold: f64,
    /// Whether the projection counts the gate as passed.
    pub met: bool,
}

impl Gate {
    /// The figure with the catalogue's label and window in `lang`.
    pub fn figure(&self, lang: crate::i18n::Lang) -> GateFigure {
        let code = if lang == crate::i18n::Lang::Ru {
            "ru"
        } else {
            "en"
        };
        GateFigure {
            measure: self.measure.id,
            label: self.measure.label.get(code),
            window: self.measure.window.get(code),
            value: self.value,
            threshold: self.threshold,
            met: self.met,
        }
    }
}

impl BudgetView {
    /// True when the contract's benchmark covers `category`.
    pub fn covers(&self, category: ClaimCategory) -> bool {
        self.covered.contains(&category)
    }

    /// Year-to-date paid in `category` when the benchmark leaves it out (zero when nothing).
    pub fn outside(&self, category: ClaimCategory) -> Money {
        self.outside_benchmark
            .iter()
            .find(|(c, _)| *c == category)
            .map_or(Money::ZERO, |(_, m)| *m)
    }

    /// The coverage gate (`None` when the contract's gate is the payer's own determination).
    pub fn gate(&self) -> Option<Gate> {
        Some(Gate {
            measure: self.gate_measure?,
            value: self.hba1c_coverage,
            threshold: self.gate_min_coverage?,
            met: self.projection.quality_gate_met,
        })
    }

    /// The coverage gate's figure with its catalogue label and window in `lang`.
    pub fn quality_gate(&self, lang: crate::i18n::Lang) -> Option<GateFigure> {
        self.gate().map(|g| g.figure(lang))
    }

    /// The contract's name in `lang`: its Russian name when there is one, else the English one.
    pub fn contract_name_in(&self, lang: crate::i18n::Lang) -> &str {
        match (lang, &self.contract_name_ru) {
            (crate::i18n::Lang::Ru, Some(ru)) => ru,
            _ => &self.contract_name,
        }
    }
}

/// The pilot's identity from the register (written by the import of `pilot.toml`).
pub fn pilot_info(conn: &Connection) -> rusqlite::Result<PilotInfo> {
    let json: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = 'pilot'", [], |r| {
            r.get(0)
        })
        .optional()?;
    Ok(json
        .and_then(|j| serde_json::from_str(&j).ok())
        .unwrap_or_else(PilotInfo::unnamed))
}

/// The pilot's active contract: the register's own copy when one was saved, else the preset the
/// pilot names.
pub fn active_contract(conn: &Connection, pilot: &PilotInfo) -> Result<Contract, String> {
    let saved: Option<(String, String)> = conn
        .query_row("SELECT preset, toml FROM contract WHERE id = 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()
        .map_err(|e| e.to_string())?;
    match saved {
        Some((preset, text)) => {
            Contract::from_toml_unchecked(&text, &format!("the register's contract ({preset})"))
                .map_err(|e| e.to_string())
        }
        None => Contract::preset(&pilot.contract).map_err(|e| e.to_string()),
    }
}

/// Member-months per calendar month from `first` (a month start) for `count` months.
///
/// A patient counts in every month from the month of enrolment to the month of death or move,
/// inclusive. One grouped scan gives each (first month, last month) span and its head-count; the
/// months are then filled in memory, so the cost does not grow with the number of months asked.
fn member_months(
    spans: &[(String, String, u64)],
    first: NaiveDate,
    count: u32,
) -> Vec<(NaiveDate, u32)> {
    let mut out = Vec::new();
    let mut month = first;
    for _ in 0..count {
        let key = month.format("%Y-%m").to_string();
        let n: u64 = spans
            .iter()
            .filter(|(s, e, _)| *s <= key && key <= *e)
            .map(|(_, _, n)| n)
            .sum();
        out.push((month, u32::try_from(n).unwrap_or(u32::MAX)));
        month = month
            .checked_add_months(chrono::Months::new(1))
            .unwrap_or(month);
    }
    out
}

/// What the Budget tab needs from the patient tables, cached in `meta` for one as-of date: the
/// enrolment spans and the HbA1c coverage. Claims never touch it (their monthly totals are kept
/// by triggers), so refreshing the tab after new claims reads only aggregates. Imports and status
/// changes drop the cache (see `worklist_index::invalidate` and `calls::append`).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct PatientInputs {
    as_of: NaiveDate,
    spans: Vec<(String, String, u64)>,
    covered: u64,
    assigned: u64,
    /// Spend per patient in the calendar year before the as-of year (currency units): the sum
    /// and the sum of squares over the patients with claims, for the spread MSR.
    spend_sum: f64,
    spend_squares: f64,
    /// The performance year the utilisation is for.
    year: i32,
    /// The claim categories the spend spread counts (JSON list of codes).
    categories: String,
    /// Utilisation over the performance year so far.
    utilisation: crate::domain::finance::utilisation::Utilisation,
}

/// The meta key of the cache.
pub const PATIENT_INPUTS_KEY: &str = "budget_patient_inputs";

/// Drops the cached patient figures (after a write that changes them); the next refresh recomputes.
pub fn drop_cached_inputs(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM meta WHERE key = ?1", [PATIENT_INPUTS_KEY])?;
    Ok(())
}

fn patient_inputs(
    conn: &Connection,
    as_of: NaiveDate,
    year: i32,
    covered: &str,
) -> rusqlite::Result<PatientInputs> {
    let cached: Option<String> = conn
        .query_row(
            "SELECT value FROM meta WHERE key = ?1",
            [PATIENT_INPUTS_KEY],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(inputs) = cached
        .and_then(|c| serde_json::from_str::<PatientInputs>(&c).ok())
        .filter(|i| i.as_of == as_of && i.year == year && i.categories == covered)
    {
        return Ok(inputs);
    }
    let cov = coverage(conn, as_of)?;
    let (spend_sum, spend_squares) = spend_spread(conn, as_of.year() - 1, covered)?;
    let inputs = PatientInputs {
        as_of,
        spans: enrolment_spans(conn)?,
        covered: cov.numerator,
        assigned: cov.denominator,
        spend_sum,
        spend_squares,
        year,
        categories: covered.to_string(),
        utilisation: super::budget_use::utilisation(conn, year, as_of)?,
    };
    if let Ok(json) = serde_json::to_string(&inputs) {
        // A read-only connection cannot keep the cache: compute again next time, no harm done.
        let _ = conn.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![PATIENT_INPUTS_KEY, json],
        );
    }
    Ok(inputs)
}

/// Σ spend and Σ spend² per patient over the claims of `year` (one pass over that year's lines,
/// kept in the patient-figures cache).
fn spend_spread(conn: &Connection, year: i32, covered: &str) -> rusqlite::Result<(f64, f64)> {
    conn.prepare_cached(
        "SELECT coalesce(sum(s), 0), coalesce(sum(s * s), 0) FROM (
             SELECT sum(paid_minor) / 100.0 AS s FROM claim_lines
             WHERE service_date BETWEEN ?1 AND ?2
               AND category IN (SELECT value FROM json_each(?3))
             GROUP BY patient_id)",
    )?
    .query_row(
        params![
            format!("{year:04}-01-01"),
            format!("{year:04}-12-31"),
            covered
        ],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

/// Patients enrolled at some time in `year`, from the enrolment spans.
fn people_in_year(spans: &[(String, String, u64)], year: i32) -> u64 {
    let (first, last) = (format!("{year:04}-01"), format!("{year:04}-12"));
    spans
        .iter()
        .filter(|(s, e, _)| *s <= last && *e >= first)
        .map(|(_, _, n)| n)
        .sum()
}

/// (first month, last month, patients) of every enrolment span, months as `YYYY-MM` (a patient
/// in several programmes counts once, from her earliest enrolment).
fn enrolment_spans(conn: &Connection) -> rusqlite::Result<Vec<(String, String, u64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT substr(e.enrolled_on, 1, 7) AS first_month,
                substr(min(coalesce(p.death_date, '9999-12'), coalesce(p.moved_on, '9999-12')), 1, 7) AS last_month,
                count(*)
         FROM (SELECT patient_id, min(enrolled_on) AS enrolled_on FROM enrolments WHERE ended_on IS NULL GROUP BY patient_id) e
         JOIN patients p ON p.id = e.patient_id
         GROUP BY first_month, last_month",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)? as u64,
        ))
    })?;
    rows.collect()
}

/// HbA1c testing coverage over the rolling year ending `as_of`, and the assigned (active enrolled)
/// patients: the same figures as `Tally::hba1c_tested_period` and `Tally::enrolled_active` of the
/// Progress tab (a test holds them equal), without computing every other indicator.
fn coverage(conn: &Connection, as_of: NaiveDate) -> rusqlite::Result<Ratio> {
    let period = crate::domain::indicators::Period::rolling_year(as_of);
    conn.prepare_cached(
        "SELECT count(*),
                coalesce(sum(EXISTS (SELECT 1 FROM observations o
                                     WHERE o.patient_id = p.id AND o.kind = 'hba1c' AND o.date BETWEEN ?1 AND ?2)), 0)
         FROM patients p JOIN (SELECT patient_id, min(enrolled_on) AS enrolled_on FROM enrolments WHERE ended_on IS NULL GROUP BY patient_id) e ON e.patient_id = p.id
         WHERE e.enrolled_on <= ?2
           AND NOT (p.death_date IS NOT NULL AND p.death_date <= ?2) AND NOT (p.death_date IS NULL AND p.status = 'dead')
           AND NOT (p.moved_on IS NOT NULL AND p.moved_on <= ?2) AND NOT (p.moved_on IS NULL AND p.status = 'moved')",
    )?
    .query_row(params![period.from.to_string(), period.to.to_string()], |r| {
        Ok(Ratio { denominator: r.get::<_, i64>(0)? as u64, numerator: r.get::<_, i64>(1)? as u64 })
    })
}

/// Days without a new claim after which the claims feed is flagged as stale: a monthly register
/// of cases plus a fortnight's grace.
pub const STALE_CLAIMS_DAYS: i64 = 45;

/// Paid claims received by `as_of`, per month and category for a year, from the aggregates (a
/// line without a received date counts as received).
fn paid_by_month(
    conn: &Connection,
    year: i32,
    as_of: NaiveDate,
    covered: &str,
) -> rusqlite::Result<BTreeMap<u32, BTreeMap<ClaimCategory, Money>>> {
    let mut stmt = conn.prepare_cached(
        "SELECT month, category, sum(paid_minor) FROM claim_month_totals
         WHERE month >= ?1 AND month <= ?2 AND received_on <= ?3
           AND category IN (SELECT value FROM json_each(?4))
         GROUP BY month, category",
    )?;
    let rows = stmt.query_map(
        params![
            format!("{year:04}-01"),
            format!("{year:04}-12"),
            as_of.to_string(),
            covered
        ],
        |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
            ))
        },
    )?;
    let mut out: BTreeMap<u32, BTreeMap<ClaimCategory, Money>> = BTreeMap::new();
    for row in rows {
        let (month, category, paid) = row?;
        let Some(m) = month.get(5..7).and_then(|m| m.parse::<u32>().ok()) else {
            continue;
        };
        let category = ClaimCategory::from_code(&category).unwrap_or(ClaimCategory::Other);
        *out.entry(m)
            .or_default()
            .entry(category)
            .or_insert(Money::ZERO) += Money(paid);
    }
    Ok(out)
}

/// The receipts the lag triangle reads: every service month from the oldest reference month to
/// the as-of month, by received date (only those received by `as_of`).
fn receipts(conn: &Connection, as_of: NaiveDate, covered: &str) -> rusqlite::Result<Vec<Receipt>> {
    let current = month_index(as_of.year(), as_of.month());
    let oldest = current - (LAG_HORIZON_MONTHS + REFERENCE_MONTHS) as i32;
    let key = |index: i32| {
        format!(
            "{:04}-{:02}",
            index.div_euclid(12),
            index.rem_euclid(12) + 1
        )
    };
    let mut stmt = conn.prepare_cached(
        "SELECT month, received_on, sum(paid_minor) FROM claim_month_totals
         WHERE month >= ?1 AND month <= ?2 AND received_on <= ?3
           AND category IN (SELECT value FROM json_each(?4))
         GROUP BY month, received_on",
    )?;
    let rows = stmt.query_map(
        params![key(oldest), key(current), as_of.to_string(), covered],
        |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
            ))
        },
    )?;
    let mut out = Vec::new();
    for row in rows {
        let (month, received, paid) = row?;
        let (Some(y), Some(m)) = (
            month.get(0..4).and_then(|y| y.parse::<i32>().ok()),
            month.get(5..7).and_then(|m| m.parse::<u32>().ok()),
        ) else {
            continue;
        };
        out.push(Receipt {
            month: month_index(y, m),
            received: NaiveDate::parse_from_str(&received, "%Y-%m-%d").ok(),
            paid: Money(paid),
        });
    }
    Ok(out)
}

/// The latest received date by `as_of`, when any line has one.
fn last_received(conn: &Connection, as_of: NaiveDate) -> rusqlite::Result<Option<NaiveDate>> {
    let latest: Option<String> = conn
        .prepare_cached(
            "SELECT max(received_on) FROM claim_month_totals
             WHERE received_on <> '' AND received_on <= ?1 AND lines > 0",
        )?
        .query_row([as_of.to_string()], |r| r.get(0))?;
    Ok(latest.and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()))
}

/// Computes the Budget tab as of `as_of`, with no what-if.
pub fn budget(conn: &Connection, as_of: NaiveDate) -> rusqlite::Result<BudgetView> {
    budget_with(conn, as_of, &WhatIf::default())
}

/// Computes the Budget tab with a what-if.
pub fn budget_with(
    conn: &Connection,
    as_of: NaiveDate,
    what_if: &WhatIf,
) -> rusqlite::Result<BudgetView> {
    budget_for(conn, as_of, what_if, &BudgetOptions::default())
}

/// What a caller may set beside the what-if.
#[derive(Debug, Clone, Default)]
pub struct BudgetOptions {
    /// A contract to use instead of the register's (the `--dry-run` of a contract change).
    pub contract: Option<Contract>,
    /// A benchmark total for the year, for a contract whose benchmark the register cannot compute.
    pub benchmark_total: Option<Money>,
}

/// Computes the Budget tab with a what-if and options.
pub fn budget_for(
    conn: &Connection,
    as_of: NaiveDate,
    what_if: &WhatIf,
    options: &BudgetOptions,
) -> rusqlite::Result<BudgetView> {
    use crate::i18n::msg;
    let pilot = pilot_info(conn)?;
    let year = pilot
        .start_date
        .map(|d| d.year())
        .filter(|y| *y <= as_of.year())
        .unwrap_or(as_of.year());
    let baseline_years: Vec<i32> = if pilot.baseline_years.is_empty() {
        vec![year - 2, year - 1]
    } else {
        pilot.baseline_years.clone()
    };
    let mut problem = None;
    let mut problems = Vec::new();
    let contract = match &options.contract {
        Some(c) => c.clone(),
        None => match active_contract(conn, &pilot) {
            Ok(c) => c,
            Err(e) => {
                problem = Some(e);
                Contract::preset("regional-pilot")
                    .map_err(|e| rusqlite::Error::InvalidParameterName(e.to_string()))?
            }
        },
    };

    // Only the categories the benchmark covers count, on both sides.
    let covered = serde_json::to_string(&contract.covered_codes()).unwrap_or_default();
    let inputs = patient_inputs(conn, as_of, year, &covered)?;
    // Baseline spend per person-year.
    let mut baseline = Vec::new();
    for y in &baseline_years {
        let paid: Money = paid_by_month(conn, *y, as_of, &covered)?
            .values()
            .flat_map(|c| c.values())
            .copied()
            .sum();
        let first = NaiveDate::from_ymd_opt(*y, 1, 1).unwrap_or(as_of);
        let by_month = member_months(&inputs.spans, first, 12);
        let mm: u32 = by_month.iter().map(|(_, n)| n).sum();
        let months = by_month.iter().filter(|(_, n)| *n > 0).count() as u32;
        baseline.push(BaselineYear::new(*y, months, paid, mm));
    }
    let mut steps = BenchmarkSteps::derive(&contract, baseline.clone());
    if let Some(total) = options.benchmark_total {
        // Per person-year from the total over the year's projected person-years (set below).
        steps = BenchmarkSteps::fixed(BenchmarkSource::Given, total);
    }
    let benchmark_per_person_year = match steps.source {
        BenchmarkSource::Missing => {
            let key = if matches!(
                contract.benchmark,
                crate::domain::finance::contract::BenchmarkRule::Supplied
            ) {
                "budget-problem-benchmark-needed"
            } else {
                "budget-problem-no-baseline"
            };
            // No benchmark, no projection: the surfaces show the reason instead of 0 ₽.
            problem.get_or_insert_with(|| msg(key, &[("contract", contract.id.as_str().into())]));
            Money::ZERO
        }
        _ => steps.per_capita,
    };

    let paid = paid_by_month(conn, year, as_of, &covered)?;
    let year_start = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(as_of);
    let mm = member_months(&inputs.spans, year_start, 12);
    let elapsed = crate::domain::finance::projection::months_elapsed(year, as_of);
    let months_input: Vec<MonthActuals> = mm
        .iter()
        .enumerate()
        .map(|(i, (_, n))| {
            let month = i as u32 + 1;
            MonthActuals {
                month,
                paid: if month <= elapsed {
                    paid.get(&month).cloned().unwrap_or_default()
                } else {
                    BTreeMap::new()
                },
                member_months: if month <= elapsed { *n } else { 0 },
            }
        })
        .collect();
    let coverage = Ratio {
        numerator: inputs.covered,
        denominator: inputs.assigned,
    };
    let assigned = u32::try_from(coverage.denominator).unwrap_or(u32::MAX);
    let gate_min_coverage = contract.quality.threshold();
    let completion = completion(&receipts(conn, as_of, &covered)?, as_of, &contract);
    // The spread MSR from the register's own spend (the year before the as-of year).
    let spread_people = people_in_year(&inputs.spans, as_of.year() - 1);
    let cv = crate::domain::finance::msr::coefficient_of_variation(
        inputs.spend_sum,
        inputs.spend_squares,
        spread_people,
    );
    let spread = match contract.msr {
        crate::domain::finance::contract::MsrRule::Spread { z, floor } => cv.and_then(|cv| {
            crate::domain::finance::msr::spread_msr(z, cv, u64::from(assigned), floor)
                .map(|m| (m, cv))
        }),
        _ => None,
    };
    let mut input = ProjectionInput {
        contract: &contract,
        benchmark_per_person_year,
        benchmark_total: None,
        performance_year: year,
        as_of,
        months: &months_input,
        completion: &completion,
        assigned_beneficiaries: assigned,
        // The pilot's quality score scales the sharing rate; with only the coverage gate agreed,
        // a passed gate shares at the full rate.
        quality_score: 1.0,
        quality_reported_met: false,
        hba1c_coverage: coverage.rate(),
        msr: spread.map(|(m, _)| m),
        mlr: None,
        agreement_year: 1,
        what_if,
    };
    let mut projection = project(&input);
    if let Some(total) = options.benchmark_total
        && projection.person_years > 0.0
    {
        input.benchmark_per_person_year =
            Money::from_f64_rounded(total.as_f64() / projection.person_years);
        input.benchmark_total = Some(total);
        projection = project(&input);
        steps.per_capita = input.benchmark_per_person_year;
        steps.weighted = steps.per_capita;
        steps.trended = steps.per_capita;
    }
    let benchmark_per_person_year = input.benchmark_per_person_year;

    // Flags: a stale claims feed, an elapsed month with no claims.
    let last_received = last_received(conn, as_of)?;
    if let Some(last) = last_received {
        let days = (as_of - last).num_days();
        if days > STALE_CLAIMS_DAYS {
            problems.push(msg(
                "budget-problem-stale",
                &[
                    ("date", last.to_string().as_str().into()),
                    ("days", days.into()),
                    ("limit", STALE_CLAIMS_DAYS.into()),
                ],
            ));
        }
    }
    let empty: Vec<String> = projection
        .months
        .iter()
        .filter(|m| m.paid == Money::ZERO && m.month < elapsed && m.member_months > 0.0)
        .map(|m| format!("{year:04}-{:02}", m.month))
        .collect();
    if !empty.is_empty() {
        problems.push(msg(
            "budget-problem-empty-months",
            &[("months", empty.join(", ").as_str().into())],
        ));
    }
    let msr_method = msr_method(&contract, assigned, spread.map(|(_, cv)| cv));
    // The CMS MSR table (42 CFR 425.604(b)) starts at 5,000 assigned beneficiaries, the fewest an
    // ACO may have (42 CFR 425.110(a)); CMS's later tables rise steeply below it. Rather than
    // borrow the 5,000 rate, the Budget refuses to compute shared savings for a smaller pilot
    // under such a contract and says why (`finance reconcile` keeps its flagged 5,000 rate).
    let msr_undefined = matches!(
        contract.msr,
        crate::domain::finance::contract::MsrRule::Variable
    ) && assigned < crate::domain::finance::msr::TABLE_MINIMUM;
    if msr_undefined {
        problems.push(msg(
            "budget-problem-msr-below-table",
            &[
                ("count", i64::from(assigned).into()),
                (
                    "minimum",
                    i64::from(crate::domain::finance::msr::TABLE_MINIMUM).into(),
                ),
            ],
        ));
        let pay = &mut projection.payout;
        pay.generated = Money::ZERO;
        pay.before_holdback = Money::ZERO;
        pay.holdback = Money::ZERO;
        pay.cap_applied = false;
        pay.earned = Money::ZERO;
        projection.projected_earned = Money::ZERO;
    }
    // A gate the payer decides (the MSSP quality performance standard) is not in the register:
    // the projection counts it as not met, and says so rather than show a bare "not met".
    if matches!(
        contract.quality,
        crate::domain::finance::contract::QualityGate::Reported
    ) {
        problems.push(msg("budget-problem-quality-reported", &[]));
    }
    let rate = projection.projected_savings_rate;
    if steps.source != BenchmarkSource::Missing && rate != 0.0 && rate.abs() < projection.msr {
        problems.push(msg(
            "budget-problem-msr-band",
            &[
                ("rate", percent(rate).as_str().into()),
                ("msr", percent(projection.msr).as_str().into()),
            ],
        ));
    }
    let weights = contract.seasonality_normalised();
    let months: Vec<BudgetMonth> = months_input
        .iter()
        .take(elapsed as usize)
        .zip(&projection.months)
        .map(|(m, pm)| {
            let idx = (m.month as usize).saturating_sub(1).min(11);
            BudgetMonth {
                month: m.month,
                paid: pm.paid,
                budget: Money::from_f64_rounded(
                    benchmark_per_person_year.as_f64() / 12.0 * pm.member_months * weights[idx],
                ),
                member_months: m.member_months,
            }
        })
        .collect();
    // Spend outside the benchmark (paid by others), year to date.
    let all = serde_json::to_string(
        &ClaimCategory::ALL
            .iter()
            .map(|c| c.as_code())
            .collect::<Vec<_>>(),
    )
    .unwrap_or_default();
    let outside_benchmark: Vec<(ClaimCategory, Money)> = {
        let mut sums: BTreeMap<ClaimCategory, Money> = BTreeMap::new();
        for (m, cats) in paid_by_month(conn, year, as_of, &all)? {
            if m > elapsed {
                continue;
            }
            for (c, v) in cats {
                if !contract.covers(c) {
                    *sums.entry(c).or_insert(Money::ZERO) += v;
                }
            }
        }
        sums.into_iter().collect()
    };
    let mut by_category: BTreeMap<ClaimCategory, Money> = BTreeMap::new();
    for m in months_input.iter().take(elapsed as usize) {
        for (c, v) in &m.paid {
            *by_category.entry(*c).or_insert(Money::ZERO) += *v;
        }
    }
    let mut stmt = conn.prepare_cached(
        "SELECT coalesce(o.name, t.organization_id), sum(t.paid_minor) FROM claim_month_totals t
         LEFT JOIN organizations o ON o.id = t.organization_id
         WHERE t.month >= ?1 AND t.month <= ?2 AND t.received_on <= ?3
           AND t.category IN (SELECT value FROM json_each(?4))
         GROUP BY t.organization_id ORDER BY 2 DESC",
    )?;
    let by_organization = stmt
        .query_map(
            params![
                format!("{year:04}-01"),
                format!("{year:04}-{elapsed:02}"),
                as_of.to_string(),
                covered
            ],
            |r| Ok((r.get::<_, String>(0)?, Money(r.get(1)?))),
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(BudgetView {
        contract_id: contract.id.clone(),
        contract_name: contract.name.clone(),
        contract_name_ru: contract.name_ru.clone(),
        currency: if pilot.currency.is_empty() {
            contract.currency.clone()
        } else {
            pilot.currency.clone()
        },
        performance_year: year,
        benchmark_per_person_year,
        baseline: baseline.iter().map(|y| (y.year, y.per_capita)).collect(),
        projection,
        months,
        by_category: by_category.into_iter().collect(),
        outside_benchmark,
        covered: ClaimCategory::ALL
            .iter()
            .copied()
            .filter(|c| contract.covers(*c))
            .collect(),
        by_organization,
        hba1c_coverage: coverage,
        gate_min_coverage,
        gate_measure: contract.quality.measure(),
        assigned,
        what_if: what_if.clone(),
        problem,
        problems,
        benchmark: steps,
        completion,
        last_received,
        msr_method,
        msr_undefined,
        utilisation: inputs.utilisation.clone(),
    })
}

/// How the contract's MSR is chosen, in words.
fn msr_method(contract: &Contract, assigned: u32, cv: Option<f64>) -> String {
    use crate::domain::finance::contract::MsrRule;
    use crate::i18n::msg;
    match contract.msr {
        MsrRule::Fixed(rate) => msg(
            "budget-msr-fixed",
            &[("rate", decimal(rate * 100.0, 1).as_str().into())],
        ),
        MsrRule::Variable => msg(
            "budget-msr-variable",
            &[("count", i64::from(assigned).into())],
        ),
        MsrRule::Spread { floor, .. } => match cv {
            Some(cv) => msg(
                "budget-msr-spread",
                &[
                    ("cv", decimal(cv, 2).as_str().into()),
                    ("count", i64::from(assigned).into()),
                ],
            ),
            None => msg(
                "budget-msr-fixed",
                &[("rate", decimal(floor * 100.0, 1).as_str().into())],
            ),
        },
    }
}

/// A number as the user's language writes it (`1.88`, `1,88`), for the MSR method sentence, which
/// is built in the process's language.
fn decimal(x: f64, places: usize) -> String {
    crate::i18n::strings(crate::i18n::process_lang())
        .fmt
        .decimal(x, places)
}

/// A share as the user's language writes it (`1.8%`, `1,8 %`), for the problem sentences, which are
/// built in the process's language.
fn percent(share: f64) -> String {
    crate::i18n::strings(crate::i18n::process_lang())
        .fmt
        .percent(share)
}
