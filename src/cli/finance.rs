//! `acodesk finance` (the Budget tab's projection and its waterfall as a table, CSV or JSON) and
//! `acodesk finance contract` (show, dry-run or change the active contract, on the audit trail).

use super::Session;
use super::args::{FinanceArgs, Format};
use super::output::{Table, print};
use crate::domain::finance::contract::{Contract, preset_source, text_hash};
use crate::domain::finance::projection::WhatIf;
use crate::domain::money::Money;
use crate::domain::types::ClaimCategory;
use crate::i18n::msg;
use crate::store::Store;
use crate::store::views::budget::{BudgetOptions, BudgetView, budget_for, pilot_info};
use crate::store::views::budget_steps::{lag_method, use_line, waterfall};
use color_eyre::eyre::{Result, eyre};
use serde::Serialize;

/// A money amount as a JSON/CSV number (currency units, two decimals).
fn num(m: Money) -> f64 {
    m.as_f64()
}

/// One month of the projection in the JSON output.
#[derive(Serialize)]
struct MonthOut {
    month: u32,
    member_months: f64,
    paid: f64,
    completion: f64,
    estimated_unbilled: f64,
    incomplete: bool,
    mature: bool,
}

/// One baseline year in the JSON output.
#[derive(Serialize)]
struct BaselineOut {
    year: i32,
    months: u32,
    paid: f64,
    person_years: f64,
    per_capita: f64,
}

/// One site's utilisation in the JSON output.
#[derive(Serialize)]
struct UseOut {
    site: String,
    person_years: f64,
    admissions: u64,
    admissions_per_1000: f64,
    emergency_visits: u64,
    emergency_visits_per_1000: f64,
    bed_days: u64,
    bed_days_per_1000: f64,
    outpatient_visits: u64,
    outpatient_visits_per_1000: f64,
    day_hospital_stays: u64,
    day_hospital_stays_per_1000: f64,
    spend_per_person_year: f64,
    spend_per_person_year_by_category: std::collections::BTreeMap<ClaimCategory, f64>,
    /// Year-to-date paid by who pays it (`oms`, `llo`, `unstated`), every category.
    spend_by_funding: std::collections::BTreeMap<String, f64>,
}

fn use_out(u: &crate::domain::finance::utilisation::SiteUse) -> UseOut {
    UseOut {
        site: u.site.clone(),
        person_years: u.person_years,
        admissions: u.admissions,
        admissions_per_1000: u.per_thousand(u.admissions),
        emergency_visits: u.emergency_visits,
        emergency_visits_per_1000: u.per_thousand(u.emergency_visits),
        bed_days: u.bed_days,
        bed_days_per_1000: u.per_thousand(u.bed_days),
        outpatient_visits: u.outpatient_visits,
        outpatient_visits_per_1000: u.per_thousand(u.outpatient_visits),
        day_hospital_stays: u.day_hospital_stays,
        day_hospital_stays_per_1000: u.per_thousand(u.day_hospital_stays),
        spend_per_person_year: num(u.spend_per_person_year(None)),
        spend_per_person_year_by_category: u
            .spend
            .keys()
            .map(|c| (*c, num(u.spend_per_person_year(Some(*c)))))
            .collect(),
        spend_by_funding: u
            .spend_by_funding
            .iter()
            .map(|(f, m)| (f.clone(), num(*m)))
            .collect(),
    }
}

/// The JSON of `finance --format json`: every step of the waterfall, money as numbers.
#[derive(Serialize)]
struct Out<'a> {
    as_of: chrono::NaiveDate,
    contract: &'a str,
    currency: &'a str,
    benchmark_source: crate::domain::finance::benchmark::BenchmarkSource,
    baseline: Vec<BaselineOut>,
    baseline_weights: &'a [f64],
    baseline_weighted: f64,
    trend: f64,
    trended: f64,
    efficiency_discount: f64,
    benchmark_per_capita: Option<f64>,
    person_years: f64,
    benchmark_total: Option<f64>,
    budget_to_date: f64,
    paid_to_date: f64,
    estimated_unbilled: f64,
    projected_remaining: f64,
    projected_spend: f64,
    projected_savings: Option<f64>,
    projected_savings_rate: Option<f64>,
    msr: f64,
    msr_method: &'a str,
    sharing_rate: f64,
    quality_score: f64,
    /// `payer_reported`, `contract_gate` or `not_reported`.
    quality_score_source: crate::domain::finance::contract::QualityScoreSource,
    final_sharing_rate: f64,
    before_holdback: f64,
    holdback_rate: f64,
    holdback: f64,
    payment_cap: f64,
    payment_cap_rate: f64,
    cap_applied: bool,
    projected_earned: f64,
    quality_gate_met: bool,
    /// The gate's catalogue measure, value and threshold (as on Progress); `None` for a gate the
    /// payer reports.
    quality_gate: Option<crate::store::views::budget::GateFigure>,
    hba1c_coverage: crate::domain::indicators::Ratio,
    assigned: u32,
    lag_method: crate::domain::finance::lag::LagMethod,
    lag_reference_months: u32,
    completion_by_lag: &'a [f64],
    elapsed_share: f64,
    months: Vec<MonthOut>,
    last_received: Option<chrono::NaiveDate>,
    /// Claims paid in the performance year to date by the categories the benchmark covers (the
    /// report's spend table), by category code.
    spend_by_category: std::collections::BTreeMap<&'static str, f64>,
    /// The same for the categories outside the benchmark (paid by others).
    spend_outside_benchmark: std::collections::BTreeMap<&'static str, f64>,
    what_if: &'a WhatIf,
    what_if_from: u32,
    utilisation: Vec<UseOut>,
    utilisation_total: UseOut,
    problems: Vec<String>,
}

fn out_of(v: &BudgetView, as_of: chrono::NaiveDate, lang: crate::i18n::Lang) -> Out<'_> {
    use crate::domain::finance::benchmark::BenchmarkSource;
    let p = &v.projection;
    let known = v.benchmark.source != BenchmarkSource::Missing;
    let pay = &p.payout;
    let mut problems = v.problems.clone();
    if let Some(problem) = &v.problem {
        problems.insert(0, problem.clone());
    }
    Out {
        as_of,
        contract: &v.contract_id,
        currency: &v.currency,
        benchmark_source: v.benchmark.source,
        baseline: v
            .benchmark
            .baseline
            .iter()
            .map(|y| BaselineOut {
                year: y.year,
                months: y.months,
                paid: num(y.paid),
                person_years: y.person_years,
                per_capita: num(y.per_capita),
            })
            .collect(),
        baseline_weights: &v.benchmark.weights,
        baseline_weighted: num(v.benchmark.weighted),
        trend: v.benchmark.trend,
        trended: num(v.benchmark.trended),
        efficiency_discount: v.benchmark.efficiency_discount,
        benchmark_per_capita: known.then(|| num(v.benchmark_per_person_year)),
        person_years: p.person_years,
        benchmark_total: known.then(|| num(p.benchmark_total)),
        budget_to_date: num(p.budget_to_date),
        paid_to_date: num(p.spend_to_date),
        estimated_unbilled: num(p.estimated_unbilled),
        projected_remaining: num(p.projected_remaining),
        projected_spend: num(p.projected_spend),
        projected_savings: known.then(|| num(p.projected_savings)),
        projected_savings_rate: known.then_some(p.projected_savings_rate),
        msr: p.msr,
        msr_method: &v.msr_method,
        sharing_rate: pay.sharing_rate,
        quality_score: pay.quality_score,
        quality_score_source: v.quality.source,
        final_sharing_rate: pay.final_sharing_rate,
        before_holdback: num(pay.before_holdback),
        holdback_rate: pay.holdback_rate,
        holdback: num(pay.holdback),
        payment_cap: num(pay.payment_cap),
        payment_cap_rate: pay.payment_cap_rate,
        cap_applied: pay.cap_applied,
        projected_earned: num(p.projected_earned),
        quality_gate_met: p.quality_gate_met,
        quality_gate: v.quality_gate(lang),
        hba1c_coverage: v.hba1c_coverage,
        assigned: v.assigned,
        lag_method: v.completion.method,
        lag_reference_months: v.completion.reference_months,
        completion_by_lag: &v.completion.by_lag,
        elapsed_share: p.elapsed_share,
        months: p
            .months
            .iter()
            .map(|m| MonthOut {
                month: m.month,
                member_months: m.member_months,
                paid: num(m.paid),
                completion: m.completion,
                estimated_unbilled: num(m.estimated_unbilled),
                incomplete: m.incomplete,
                mature: m.mature,
            })
            .collect(),
        last_received: v.last_received,
        spend_by_category: v
            .by_category
            .iter()
            .map(|(c, m)| (c.as_code(), num(*m)))
            .collect(),
        spend_outside_benchmark: v
            .outside_benchmark
            .iter()
            .map(|(c, m)| (c.as_code(), num(*m)))
            .collect(),
        what_if: &v.what_if,
        what_if_from: p.what_if_from,
        utilisation: v.utilisation.by_site.iter().map(use_out).collect(),
        utilisation_total: use_out(&v.utilisation.total),
        problems,
    }
}

/// Parses `--what-if inpatient=0.95` entries.
fn what_if_of(entries: &[String], from: Option<u32>) -> Result<WhatIf> {
    let mut what_if = WhatIf {
        multipliers: Default::default(),
        from_month: from,
    };
    for entry in entries {
        let parsed = entry.split_once('=').and_then(|(c, f)| {
            let category = ClaimCategory::from_code(c.trim())?;
            let factor: f64 = f.trim().parse().ok()?;
            (factor.is_finite() && factor >= 0.0).then_some((category, factor))
        });
        let (category, factor) = parsed.ok_or_else(|| {
            eyre!(
                "{}",
                msg(
                    "cli-what-if-bad",
                    &[
                        ("entry", entry.as_str().into()),
                        ("categories", ClaimCategory::expected().as_str().into())
                    ]
                )
            )
        })?;
        what_if.multipliers.insert(category, factor);
    }
    Ok(what_if)
}

/// The options `--benchmark-total` and `--quality-score` give.
fn options_of(benchmark_total: Option<&str>, quality_score: Option<&str>) -> Result<BudgetOptions> {
    let benchmark_total = benchmark_total
        .map(|text| {
            Money::parse(text)
                .ok()
                .filter(|m| *m > Money::ZERO)
                .ok_or_else(|| {
                    eyre!(
                        "{}",
                        msg("cli-benchmark-total-bad", &[("value", text.into())])
                    )
                })
        })
        .transpose()?;
    let quality_score = quality_score
        .map(|text| {
            text.trim()
                .replace(',', ".")
                .parse::<f64>()
                .ok()
                .filter(|x| (0.0..=1.0).contains(x))
                .ok_or_else(|| {
                    eyre!(
                        "{}",
                        msg("cli-quality-score-bad", &[("value", text.into())])
                    )
                })
        })
        .transpose()?;
    Ok(BudgetOptions {
        contract: None,
        benchmark_total,
        quality_score,
    })
}

/// `acodesk finance`: the projection and its waterfall.
pub fn projection(session: &Session, store: &Store, a: &FinanceArgs) -> Result<()> {
    let as_of = session.clock(store).as_of;
    let what_if = what_if_of(&a.what_if, a.what_if_from)?;
    let options = options_of(a.benchmark_total.as_deref(), a.quality_score.as_deref())?;
    let view = budget_for(store.conn(), as_of, &what_if, &options)?;
    let out = out_of(&view, as_of, session.i18n.lang());
    match a.format {
        Format::Json => print(Format::Json, &out, || Table {
            header: Vec::new(),
            rows: Vec::new(),
        }),
        Format::Csv => print(Format::Csv, &out, || csv_table(&view, session)),
        Format::Table => print(Format::Table, &out, || text_table(&view, session)),
    }
}

/// The waterfall with numeric columns: step, label, amount, rate, note.
fn csv_table(v: &BudgetView, session: &Session) -> Table {
    let rows = waterfall(v, &session.i18n)
        .into_iter()
        .map(|s| {
            vec![
                s.id,
                s.label,
                s.amount.map(|m| m.to_string()).unwrap_or_default(),
                s.rate.map(|r| r.to_string()).unwrap_or_default(),
                s.note,
            ]
        })
        .chain(problems(v).into_iter().map(|p| {
            vec![
                "problem".into(),
                p,
                String::new(),
                String::new(),
                String::new(),
            ]
        }))
        .chain(use_rows(v))
        .collect();
    Table {
        header: ["step", "label", "amount", "rate", "note"]
            .map(String::from)
            .to_vec(),
        rows,
    }
}

fn problems(v: &BudgetView) -> Vec<String> {
    v.problem.iter().chain(&v.problems).cloned().collect()
}

/// Utilisation rows of the CSV: `use_<measure>` steps per site, rate per 1,000 person-years in
/// the rate column (spend per person-year in the amount column).
fn use_rows(v: &BudgetView) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for u in v.utilisation.by_site.iter().chain([&v.utilisation.total]) {
        let site = if u.site.is_empty() {
            "network".to_string()
        } else {
            u.site.clone()
        };
        for (id, count) in [
            ("use_admissions", u.admissions),
            ("use_emergency_visits", u.emergency_visits),
            ("use_bed_days", u.bed_days),
            ("use_outpatient_visits", u.outpatient_visits),
            ("use_day_hospital_stays", u.day_hospital_stays),
        ] {
            rows.push(vec![
                id.to_string(),
                site.clone(),
                String::new(),
                u.per_thousand(count).to_string(),
                count.to_string(),
            ]);
        }
        rows.push(vec![
            "use_spend_per_person_year".to_string(),
            site.clone(),
            u.spend_per_person_year(None).to_string(),
            String::new(),
            u.person_years.to_string(),
        ]);
        for c in u.spend.keys() {
            rows.push(vec![
                format!("use_spend_per_person_year_{}", c.as_code()),
                site.clone(),
                u.spend_per_person_year(Some(*c)).to_string(),
                String::new(),
                String::new(),
            ]);
        }
    }
    rows
}

/// The waterfall as the Budget tab's section shows it.
fn text_table(v: &BudgetView, session: &Session) -> Table {
    let i18n = &session.i18n;
    let cur = v.currency.as_str();
    let mut rows: Vec<Vec<String>> = waterfall(v, i18n)
        .into_iter()
        .map(|s| {
            let value = match (s.amount, s.rate) {
                (Some(m), _) => i18n.fmt.money(m, cur),
                (None, Some(r)) if s.plain_decimals().is_some() => {
                    i18n.fmt.decimal(r, s.plain_decimals().unwrap_or(1))
                }
                (None, Some(r)) => i18n.fmt.percent(r),
                (None, None) => "—".into(),
            };
            let value = match (s.amount, s.rate, s.id.as_str()) {
                (Some(_), Some(r), "projected_savings") => {
                    format!("{value} ({})", i18n.fmt.percent(r))
                }
                _ => value,
            };
            vec![s.label, value, s.note]
        })
        .collect();
    rows.push(vec![
        i18n.t("budget-quality-gate"),
        i18n.t(if v.projection.quality_gate_met {
            "gate-met"
        } else {
            "gate-not-met"
        }),
        v.quality_gate(i18n.lang()).map_or_else(String::new, |g| {
            format!(
                "{}: {} ≥ {}",
                g.label,
                i18n.fmt.ratio(g.value),
                i18n.fmt.percent(g.threshold)
            )
        }),
    ]);
    for p in problems(v) {
        rows.push(vec!["⚠".into(), p, String::new()]);
    }
    rows.push(vec![String::new(); 3]);
    rows.push(vec![i18n.t("use-title"), String::new(), String::new()]);
    for u in v.utilisation.by_site.iter().chain([&v.utilisation.total]) {
        let site = if u.site.is_empty() {
            i18n.t("use-network")
        } else {
            u.site.clone()
        };
        rows.push(vec![site, use_line(u, i18n, cur), String::new()]);
    }
    Table {
        header: vec![
            i18n.t("wf-title"),
            v.contract_name_in(i18n.lang()).to_string(),
            lag_method(v, i18n),
        ],
        rows,
    }
}

/// What `finance contract` was asked.
pub struct ContractRequest<'a> {
    /// The preset id or file to make active.
    pub choice: Option<&'a str>,
    /// Show the Budget figures before and after, change nothing.
    pub dry_run: bool,
    /// Accept values outside the plausible ranges.
    pub force: bool,
}

/// `acodesk finance contract [--use PRESET|FILE] [--dry-run] [--force]`: prints the active
/// contract's TOML, or stores a preset or a checked user file as the register's active contract
/// (managers), on the audit trail; `--dry-run` shows the Budget figures before and after instead.
pub fn contract(session: &Session, store: &Store, request: &ContractRequest<'_>) -> Result<()> {
    let saved: Option<(String, String)> =
        rusqlite::OptionalExtension::optional(store.conn().query_row(
            "SELECT preset, toml FROM contract WHERE id = 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        ))?;
    let current = match &saved {
        Some((name, text)) => (name.clone(), text.clone()),
        None => {
            let pilot = pilot_info(store.conn())?;
            let text = preset_source(&pilot.contract)
                .map(String::from)
                .unwrap_or_default();
            (pilot.contract, text)
        }
    };
    let Some(choice) = request.choice else {
        out!("{}", current.1)?;
        return Ok(());
    };
    if !request.dry_run && session.config.role != crate::config::Role::Manager {
        return Err(eyre!("{}", msg("cli-contract-managers-only", &[])));
    }
    let (name, text) = match preset_source(choice) {
        Some(text) => (choice.to_string(), text.to_string()),
        None => {
            let path = std::path::Path::new(choice);
            let text = std::fs::read_to_string(path).map_err(|e| {
                eyre!(
                    "{}",
                    msg(
                        "cli-contract-unreadable",
                        &[
                            ("choice", choice.into()),
                            ("error", e.to_string().as_str().into())
                        ]
                    )
                )
            })?;
            (
                path.file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                text,
            )
        }
    };
    // Refuse a contract that does not parse or holds an implausible value, with the file and
    // key named; --force accepts an implausible value deliberately (never a malformed file).
    let parsed = if request.force {
        Contract::from_toml_unchecked(&text, choice)
    } else {
        Contract::from_toml(&text, choice)
    }
    .map_err(|e| eyre!("{}", crate::i18n::contract::sentence(&session.i18n, &e)))?;
    let shown = match (session.i18n.lang(), &parsed.name_ru) {
        (crate::i18n::Lang::Ru, Some(ru)) => ru.clone(),
        _ => parsed.name.clone(),
    };
    if request.dry_run {
        let as_of = session.clock(store).as_of;
        let before = crate::store::views::budget(store.conn(), as_of)?;
        let after = budget_for(
            store.conn(),
            as_of,
            &WhatIf::default(),
            &BudgetOptions {
                contract: Some(parsed),
                ..BudgetOptions::default()
            },
        )?;
        return print(Format::Table, &(), || {
            before_after(&before, &after, session)
        });
    }
    let detail = format!(
        "{} {} -> {} {}",
        current.0,
        text_hash(&current.1),
        name,
        text_hash(&text)
    );
    let (user, device) = (session.config.user(), store.device_id());
    // On a sync hub the new contract becomes an outbox entry in the same transaction.
    crate::store::hub_changes::write_captured(store.conn(), |tx| {
        tx.execute(
            "INSERT INTO contract (id, preset, toml) VALUES (1, ?1, ?2)
             ON CONFLICT (id) DO UPDATE SET preset = excluded.preset, toml = excluded.toml",
            rusqlite::params![name, text],
        )?;
        crate::store::audit::record(tx, &user, &device, "contract", None, &name, &detail)?;
        Ok(())
    })?;
    outln!("{shown} ({})", parsed.id)?;
    Ok(())
}

/// The Budget figures under the active contract and under the proposed one.
fn before_after(before: &BudgetView, after: &BudgetView, session: &Session) -> Table {
    let i18n = &session.i18n;
    let before_steps = waterfall(before, i18n);
    let after_steps = waterfall(after, i18n);
    let show = |v: &BudgetView, s: Option<&crate::store::views::budget_steps::Step>| match s {
        Some(s) => match (s.amount, s.rate) {
            (Some(m), _) => i18n.fmt.money(m, &v.currency),
            // Each side's own source of the quality score.
            (None, Some(r)) if s.id == "quality_score" => {
                format!("{} · {}", i18n.fmt.decimal(r, 2), s.note)
            }
            (None, Some(r)) if s.plain_decimals().is_some() => {
                i18n.fmt.decimal(r, s.plain_decimals().unwrap_or(1))
            }
            (None, Some(r)) => i18n.fmt.percent(r),
            (None, None) => "—".into(),
        },
        None => "—".into(),
    };
    let mut ids: Vec<(String, String)> = Vec::new();
    for s in before_steps.iter().chain(&after_steps) {
        if !ids.iter().any(|(id, _)| *id == s.id) {
            ids.push((s.id.clone(), s.label.clone()));
        }
    }
    let mut rows: Vec<Vec<String>> = ids
        .into_iter()
        .map(|(id, label)| {
            vec![
                label,
                show(before, before_steps.iter().find(|s| s.id == id)),
                show(after, after_steps.iter().find(|s| s.id == id)),
            ]
        })
        .collect();
    for p in problems(after) {
        rows.push(vec!["⚠".into(), String::new(), p]);
    }
    Table {
        header: vec![
            i18n.t("wf-title"),
            before.contract_name_in(i18n.lang()).to_string(),
            after.contract_name_in(i18n.lang()).to_string(),
        ],
        rows,
    }
}
