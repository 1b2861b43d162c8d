//! The savings waterfall as lines, one per step, for every surface (the Budget tab's section,
//! `finance --format table|csv`, the report): baseline years → weighted → trended → discounted =
//! benchmark per person-year × person-years = benchmark total; paid to date + estimated not yet
//! billed + projected for the rest = projected spend; savings and rate; the MSR and how it was
//! chosen; × sharing rate × quality score = before the holdback; − holdback; the payment cap;
//! earned. Each line carries its amount and rate as numbers (for CSV) beside its label.

use super::budget::BudgetView;
use crate::domain::finance::benchmark::BenchmarkSource;
use crate::domain::finance::utilisation::UNSTATED_FUNDING;
use crate::domain::money::Money;
use crate::domain::types::{ClaimCategory, Funding};
use crate::i18n::{Arg, I18n};

/// One step of the waterfall.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// A stable machine name (CSV `step` column), e.g. `benchmark_total`.
    pub id: String,
    /// The label in the session's language.
    pub label: String,
    /// The amount, when the step has one.
    pub amount: Option<Money>,
    /// The rate or factor, when the step has one (fractions: 0.02 = 2 %).
    pub rate: Option<f64>,
    /// A remark (incomplete month, cap binds, method).
    pub note: String,
}

impl Step {
    /// The decimals of a rate shown as a plain number rather than a percent: the person-years
    /// (1) and the quality score (2, as the payer writes it: 0.92).
    pub fn plain_decimals(&self) -> Option<usize> {
        match self.id.as_str() {
            "person_years" => Some(1),
            "quality_score" => Some(2),
            _ => None,
        }
    }
}

fn step(id: impl Into<String>, label: String, amount: Option<Money>, rate: Option<f64>) -> Step {
    Step {
        id: id.into(),
        label,
        amount,
        rate,
        note: String::new(),
    }
}

/// How a category the benchmark leaves out is named on every surface (the waterfall, the Budget
/// tab's categories, the report's spend table), in place of a misleading 0 line: outpatient drugs
/// paid by the subsidised-drug programme say so ("drugs: paid by LLO, outside the OMS
/// benchmark"), any other category "…: outside the benchmark, paid by others".
pub fn outside_label(v: &BudgetView, category: ClaimCategory, i18n: &I18n) -> String {
    let name = i18n.t(&format!("category-{}", category.as_code()));
    let llo = Funding::Llo.as_code();
    let paid_by_llo = v
        .utilisation
        .total
        .spend_by_funding
        .get(llo)
        .is_some_and(|m| *m > Money::ZERO);
    let key = if category == ClaimCategory::Drugs && paid_by_llo {
        "outside-llo"
    } else {
        "outside-other"
    };
    i18n.t_args(key, &[("category", name.as_str().into())])
}

/// The waterfall of `v`, labelled in `i18n`'s language.
pub fn waterfall(v: &BudgetView, i18n: &I18n) -> Vec<Step> {
    let p = &v.projection;
    let b = &v.benchmark;
    let cur = v.currency.as_str();
    let t = |key: &str, args: &[(&str, Arg<'_>)]| i18n.t_args(key, args);
    let mut out = Vec::new();
    match b.source {
        BenchmarkSource::Baseline => {
            for y in &b.baseline {
                out.push(step(
                    format!("baseline_{}", y.year),
                    t(
                        "wf-baseline-year",
                        &[
                            ("year", y.year.to_string().as_str().into()),
                            ("months", i64::from(y.months).into()),
                            ("paid", i18n.fmt.money(y.paid, cur).as_str().into()),
                            ("py", i18n.fmt.decimal(y.person_years, 1).as_str().into()),
                        ],
                    ),
                    Some(y.per_capita),
                    Some(y.person_years),
                ));
            }
            let weights: Vec<String> = b.weights.iter().map(|w| i18n.fmt.decimal(*w, 2)).collect();
            out.push(step(
                "weighted",
                t(
                    "wf-weighted",
                    &[("weights", weights.join(" / ").as_str().into())],
                ),
                Some(b.weighted),
                None,
            ));
            out.push(step(
                "trended",
                t(
                    "wf-trended",
                    &[("trend", i18n.fmt.decimal(b.trend, 3).as_str().into())],
                ),
                Some(b.trended),
                Some(b.trend),
            ));
            out.push(step(
                "benchmark_per_capita",
                t(
                    "wf-discounted",
                    &[(
                        "discount",
                        i18n.fmt.percent(b.efficiency_discount).as_str().into(),
                    )],
                ),
                Some(b.per_capita),
                Some(b.efficiency_discount),
            ));
        }
        source => {
            let which = match source {
                BenchmarkSource::Given => "wf-benchmark-source-given",
                _ => "wf-benchmark-source-contract",
            };
            let mut s = step(
                "benchmark_per_capita",
                t(
                    "wf-benchmark-given",
                    &[("source", i18n.t(which).as_str().into())],
                ),
                Some(v.benchmark_per_person_year),
                None,
            );
            if source == BenchmarkSource::Missing {
                s.amount = None;
                s.note = v.problem.clone().unwrap_or_default();
            }
            out.push(s);
        }
    }
    out.push(step(
        "person_years",
        t("wf-person-years", &[]),
        None,
        Some(p.person_years),
    ));
    out.push(step(
        "benchmark_total",
        t("wf-benchmark-total", &[]),
        Some(p.benchmark_total),
        None,
    ));
    out.push(step(
        "paid_to_date",
        t("wf-paid", &[]),
        Some(p.spend_to_date),
        None,
    ));
    if !v.outside_benchmark.is_empty() {
        let names: Vec<String> = v
            .outside_benchmark
            .iter()
            .map(|(c, _)| outside_label(v, *c, i18n))
            .collect();
        let mut s = step(
            "outside_benchmark",
            names.join("; "),
            Some(v.outside_benchmark.iter().map(|(_, m)| *m).sum()),
            None,
        );
        s.note = i18n.t("wf-outside-note");
        out.push(s);
    }
    // Who pays the year's claims (all categories, inside the benchmark or not), when the source
    // names a payer for any line: the Fund (ОМС), the subsidised-drug programme (ЛЛО).
    let by_funding = &v.utilisation.total.spend_by_funding;
    if by_funding.keys().any(|k| k != UNSTATED_FUNDING) {
        for (funding, paid) in by_funding {
            out.push(step(
                format!("paid_by_{funding}"),
                t(
                    "wf-funding",
                    &[(
                        "payer",
                        i18n.t(&format!("funding-{funding}")).as_str().into(),
                    )],
                ),
                Some(*paid),
                None,
            ));
        }
    }
    for m in &p.months {
        let mut s = step(
            format!("month_{:02}", m.month),
            t(
                "wf-month",
                &[
                    (
                        "month",
                        format!("{}-{:02}", v.performance_year, m.month)
                            .as_str()
                            .into(),
                    ),
                    ("paid", i18n.fmt.money(m.paid, cur).as_str().into()),
                    ("completion", i18n.fmt.percent(m.completion).as_str().into()),
                    (
                        "unbilled",
                        i18n.fmt.money(m.estimated_unbilled, cur).as_str().into(),
                    ),
                ],
            ),
            Some(m.estimated_unbilled),
            Some(m.completion),
        );
        s.note = if m.mature {
            i18n.t("wf-month-incomplete")
        } else {
            i18n.t("wf-month-too-early")
        };
        // Complete months add nothing: only the incomplete ones are listed.
        if m.incomplete {
            out.push(s);
        }
    }
    let mut unbilled = step(
        "estimated_unbilled",
        t("wf-unbilled", &[]),
        Some(p.estimated_unbilled),
        None,
    );
    unbilled.note = lag_method(v, i18n);
    out.push(unbilled);
    // A what-if in force: said on every surface, just before the figures it changes.
    if v.what_if.is_active() {
        let factors: Vec<String> = v
            .what_if
            .multipliers
            .iter()
            .filter(|(_, m)| (**m - 1.0).abs() > 1e-9)
            .map(|(c, m)| {
                format!(
                    "{} ×{}",
                    i18n.t(&format!("category-{}", c.as_code())),
                    i18n.fmt.decimal(*m, 2)
                )
            })
            .collect();
        let mut s = step(
            "what_if",
            t(
                "wf-what-if",
                &[
                    ("factors", factors.join(", ").as_str().into()),
                    ("month", i64::from(p.what_if_from).into()),
                ],
            ),
            None,
            None,
        );
        s.note = i18n.t("wf-what-if-note");
        out.push(s);
    }
    out.push(step(
        "projected_remaining",
        t("wf-remaining", &[]),
        Some(p.projected_remaining),
        None,
    ));
    out.push(step(
        "projected_spend",
        t("wf-projected", &[]),
        Some(p.projected_spend),
        None,
    ));
    out.push(step(
        "projected_savings",
        t("wf-savings", &[]),
        Some(p.projected_savings),
        Some(p.projected_savings_rate),
    ));
    let mut msr = step("msr", t("wf-msr", &[]), None, Some(p.msr));
    msr.note = v.msr_method.clone();
    out.push(msr);
    let pay = &p.payout;
    // The score the sharing rate is multiplied by, and where it comes from (in the note, so
    // that a before/after comparison shows each side's own source).
    let mut quality = step(
        "quality_score",
        t("wf-quality-score", &[]),
        None,
        Some(pay.quality_score),
    );
    quality.note = quality_source(v, i18n);
    out.push(quality);
    let mut generated = step(
        "generated",
        t(
            "wf-sharing",
            &[
                ("rate", i18n.fmt.percent(pay.sharing_rate).as_str().into()),
                (
                    "quality",
                    i18n.fmt.decimal(pay.quality_score, 2).as_str().into(),
                ),
            ],
        ),
        Some(pay.generated),
        Some(pay.final_sharing_rate),
    );
    if v.msr_undefined {
        generated.note = i18n.t("wf-msr-undefined");
    } else if pay.generated == Money::ZERO && p.projected_savings > Money::ZERO {
        generated.note = i18n.t("wf-below-msr");
    }
    out.push(generated);
    out.push(step(
        "before_holdback",
        t("wf-before-holdback", &[]),
        Some(pay.before_holdback),
        None,
    ));
    out.push(step(
        "holdback",
        t(
            "wf-holdback",
            &[("rate", i18n.fmt.percent(pay.holdback_rate).as_str().into())],
        ),
        Some(pay.holdback),
        Some(pay.holdback_rate),
    ));
    let mut cap = step(
        "payment_cap",
        t(
            "wf-cap",
            &[(
                "rate",
                i18n.fmt.percent(pay.payment_cap_rate).as_str().into(),
            )],
        ),
        Some(pay.payment_cap),
        Some(pay.payment_cap_rate),
    );
    cap.note = i18n.t(if pay.cap_applied {
        "wf-cap-binds"
    } else {
        "wf-cap-free"
    });
    out.push(cap);
    out.push(step(
        "projected_earned",
        t("wf-earned", &[]),
        Some(p.projected_earned),
        None,
    ));
    // With no benchmark there is no benchmark total, savings or cap to show (not 0 ₽).
    if b.source == BenchmarkSource::Missing {
        for s in &mut out {
            if matches!(
                s.id.as_str(),
                "benchmark_total" | "projected_savings" | "payment_cap"
            ) {
                s.amount = None;
                s.rate = None;
            }
        }
    }
    out
}

/// "Claims lag: measured from the register's lag triangle (6 reference months)" or the contract's.
pub fn lag_method(v: &BudgetView, i18n: &I18n) -> String {
    let method = i18n.t_args(
        v.completion.method.key(),
        &[("months", i64::from(v.completion.reference_months).into())],
    );
    i18n.t_args("wf-lag", &[("method", method.as_str().into())])
}

/// One site's utilisation in words: admissions, emergency visits, bed-days and visits (and
/// day-hospital stays, when there are any) per 1,000 person-years, and spend per person-year.
pub fn use_line(
    u: &crate::domain::finance::utilisation::SiteUse,
    i18n: &crate::i18n::I18n,
    currency: &str,
) -> String {
    let n = |count| i18n.fmt.int(u.per_thousand(count).round() as i64);
    let day_hospital = if u.day_hospital_stays > 0 {
        i18n.t_args(
            "use-day-hospital",
            &[("stays", n(u.day_hospital_stays).as_str().into())],
        )
    } else {
        String::new()
    };
    i18n.t_args(
        "use-line",
        &[
            ("admissions", n(u.admissions).as_str().into()),
            ("emergency", n(u.emergency_visits).as_str().into()),
            ("bed_days", n(u.bed_days).as_str().into()),
            ("visits", n(u.outpatient_visits).as_str().into()),
            ("day_hospital", day_hospital.as_str().into()),
            (
                "spend",
                i18n.fmt
                    .money(u.spend_per_person_year(None), currency)
                    .as_str()
                    .into(),
            ),
        ],
    )
}

/// Where the quality score comes from, in words: payer-reported, the contract's gate, or not
/// reported.
pub fn quality_source(v: &BudgetView, i18n: &I18n) -> String {
    use crate::domain::finance::contract::QualityScoreSource;
    i18n.t(match v.quality.source {
        QualityScoreSource::PayerReported => "wf-quality-payer-reported",
        QualityScoreSource::ContractGate => "wf-quality-contract-gate",
        QualityScoreSource::NotReported => "wf-quality-not-reported",
    })
}
