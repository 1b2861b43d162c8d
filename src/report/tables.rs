//! The report's tables and the charts drawn from them: sites compared, key indicators by site,
//! readmissions by month, the nurses, the budget by month.

use super::data::ReportData;
use super::esc;
use super::html::{int, month_start, msg, text};
use super::svg::{self, Bar};
use crate::domain::indicators::Ratio;
use crate::domain::readmission::TARGET_RATE;
use crate::i18n::{I18n, Lang};
use crate::store::views::progress::GroupTally;
use chrono::{Datelike, NaiveDate};
use std::fmt::Write;

/// Indices into `Tally::ratios()` of the indicators charted by site.
const CHARTED: [usize; 3] = [0, 1, 3];

/// A share with no decimals, for chart axes: "25%" / "25 %".
fn pct0(i18n: &I18n, share: f64) -> String {
    let n = i18n.fmt.decimal(share * 100.0, 0);
    match i18n.lang() {
        Lang::Ru => format!("{n}\u{a0}%"),
        Lang::En => format!("{n}%"),
    }
}

/// A site's name, or "not assigned".
pub(crate) fn group_name(g: &GroupTally, i18n: &I18n) -> String {
    if g.name.is_empty() {
        i18n.t("unassigned")
    } else {
        g.name.clone()
    }
}

/// A month "YYYY-MM" as its first day.
pub(crate) fn parse_month(month: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").ok()
}

fn ratio_cell(out: &mut String, i18n: &I18n, r: Ratio, weak: bool) {
    if weak {
        let _ = write!(
            out,
            "<td class=\"n weak\"><b>▼ {}</b></td>",
            esc(&i18n.fmt.ratio(r))
        );
    } else {
        let _ = write!(out, "<td class=\"n\">{}</td>", esc(&i18n.fmt.ratio(r)));
    }
}

/// The site comparison table: every indicator as "percent (num/den)", the weakest marked.
pub(crate) fn sites(out: &mut String, d: &ReportData, i18n: &I18n) {
    let v = &d.progress;
    let _ = write!(
        out,
        "<section id=\"sites\" class=\"long\">\n<h2>{}</h2>\n<p class=\"note\">{}</p>\n\
         <table class=\"sites\">\n<thead><tr><th>{}</th><th class=\"n\">{}</th>",
        text(i18n, "report-sites"),
        text(i18n, "report-sites-note"),
        text(i18n, "col-site"),
        text(i18n, "progress-col-active"),
    );
    for (key, _, lower) in v.total.ratios() {
        let _ = write!(
            out,
            "<th class=\"n\">{}&nbsp;{}</th>",
            text(i18n, &format!("{key}-short")),
            if lower { "↓" } else { "↑" }
        );
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for (i, s) in v.sites.iter().enumerate() {
        let _ = write!(
            out,
            "<tr><td>{}</td><td class=\"n\">{}</td>",
            esc(&group_name(s, i18n)),
            int(i18n, s.tally.enrolled_active)
        );
        for (c, (_, r, _)) in s.tally.ratios().iter().enumerate() {
            ratio_cell(
                out,
                i18n,
                *r,
                d.weakest.get(c).copied().flatten() == Some(i),
            );
        }
        out.push_str("</tr>\n");
    }
    let _ = write!(
        out,
        "<tr class=\"total\"><td>{}</td><td class=\"n\">{}</td>",
        text(i18n, "progress-total"),
        int(i18n, v.total.enrolled_active)
    );
    for (_, r, _) in v.total.ratios() {
        ratio_cell(out, i18n, r, false);
    }
    out.push_str("</tr>\n</tbody></table>\n");
    // The long names of the short column titles.
    out.push_str("<p class=\"note\">");
    let legend: Vec<String> = v
        .total
        .ratios()
        .iter()
        .map(|(key, _, _)| {
            format!(
                "<b>{}</b> — {}",
                text(i18n, &format!("{key}-short")),
                esc(&catalogue_label(i18n, key))
            )
        })
        .collect();
    out.push_str(&legend.join("; "));
    out.push_str("</p>\n</section>\n");
}

/// A bar chart by site for each charted indicator, with the pilot total as a reference line.
pub(crate) fn site_charts(out: &mut String, d: &ReportData, i18n: &I18n) {
    let v = &d.progress;
    if v.sites.is_empty() {
        return;
    }
    let _ = write!(
        out,
        "<section id=\"site-charts\" class=\"long\">\n<div class=\"keep\">\n<h2>{}</h2>\n<p class=\"note\">{}</p>\n",
        text(i18n, "report-site-charts"),
        text(i18n, "report-site-charts-note"),
    );
    let ticks = [0.0, 0.25, 0.5, 0.75, 1.0].map(|x| pct0(i18n, x));
    for (n, c) in CHARTED.into_iter().enumerate() {
        let (key, total, _) = v.total.ratios()[c];
        let bars: Vec<Bar> = v
            .sites
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let r = s.tally.ratios()[c].1;
                Bar {
                    label: group_name(s, i18n),
                    value: r.rate(),
                    text: i18n.fmt.ratio(r),
                    marked: d.weakest.get(c).copied().flatten() == Some(i),
                }
            })
            .collect();
        let title = catalogue_label(i18n, key);
        let reference_label = i18n.t_args(
            "report-chart-total",
            &[("value", i18n.fmt.share(total).as_str().into())],
        );
        let chart = svg::hbars(
            &format!("chart-{key}"),
            &title,
            &bars,
            total.rate().map(|r| (r, reference_label.as_str())),
            &ticks,
        );
        let _ = write!(
            out,
            "<figure><figcaption>{}</figcaption>\n{chart}\n</figure>\n",
            esc(&title)
        );
        if n == 0 {
            // The heading stays with the first chart.
            out.push_str("</div>\n");
        }
    }
    out.push_str("</section>\n");
}

/// The readmission rate by month: summary, chart against the target, table.
pub(crate) fn readmissions(out: &mut String, d: &ReportData, i18n: &I18n) {
    let s = &d.readmissions.summary;
    let total = Ratio {
        numerator: s.readmissions,
        denominator: s.index_stays,
    };
    let target = i18n.fmt.percent(TARGET_RATE);
    let _ = write!(
        out,
        "<section id=\"readmissions\" class=\"long\">\n<div class=\"keep\">\n<h2>{}</h2>\n<p class=\"note\">{}</p>\n<p class=\"lead\"><b>{}: {}</b> · {}</p>\n",
        text(i18n, "report-readm"),
        msg(
            i18n,
            "report-readm-period",
            &[
                ("from", &i18n.fmt.date(s.period.from)),
                ("to", &i18n.fmt.date(s.period.to)),
                ("as_of", &i18n.fmt.date(s.period.as_of)),
            ],
        ),
        text(i18n, "readm-rate"),
        esc(&i18n.fmt.ratio(total)),
        msg(
            i18n,
            "report-readm-open",
            &[
                (
                    "count",
                    &int(i18n, d.readmissions.open_windows.len() as u64)
                ),
                (
                    "since",
                    &i18n.fmt.date(
                        s.period
                            .as_of
                            .checked_sub_days(chrono::Days::new(30))
                            .unwrap_or(s.period.as_of)
                    )
                ),
            ]
        ),
    );
    // The period rarely starts on the 1st: its first month is partial, and says from when (as the
    // Readmissions tab's chart title does).
    let from = s.period.from;
    let partial =
        |d: NaiveDate| from.day() != 1 && d.year() == from.year() && d.month() == from.month();
    let plain_month = |m: &str| parse_month(m).map_or_else(|| m.to_string(), |d| i18n.fmt.month(d));
    let month_label = |m: &str| {
        parse_month(m).map_or_else(
            || m.to_string(),
            |d| {
                if partial(d) {
                    i18n.t_args(
                        "report-readm-partial-month",
                        &[
                            ("month", i18n.fmt.month(d).as_str().into()),
                            ("from", i18n.fmt.date(from).as_str().into()),
                        ],
                    )
                } else {
                    i18n.fmt.month(d)
                }
            },
        )
    };
    let bars: Vec<Bar> = s
        .by_month
        .iter()
        .map(|m| Bar {
            label: format!(
                "{}\n{}/{}",
                plain_month(&m.month),
                int(i18n, m.readmissions),
                int(i18n, m.index_stays)
            ),
            value: m.rate,
            text: m.rate.map_or_else(|| "—".into(), |r| i18n.fmt.percent(r)),
            marked: m.rate.is_some_and(|r| r > TARGET_RATE),
        })
        .collect();
    let mut caption = i18n.t_args("report-readm-chart", &[("target", target.as_str().into())]);
    if from.day() != 1 {
        caption.push_str(&i18n.t_args(
            "report-readm-chart-partial",
            &[("from", i18n.fmt.date(from).as_str().into())],
        ));
    }
    let target_label = format!("{} {target}", i18n.t("readm-target"));
    let chart = svg::month_bars(
        "chart-readmissions",
        &caption,
        &bars,
        (TARGET_RATE, &target_label),
        &|v| pct0(i18n, v),
    );
    let _ = write!(
        out,
        "<figure><figcaption>{}</figcaption>\n{chart}\n</figure>\n</div>\n",
        esc(&caption)
    );
    let _ = write!(
        out,
        "<table class=\"readmissions\">\n<thead><tr><th>{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th></tr></thead>\n<tbody>\n",
        text(i18n, "report-col-month"),
        text(i18n, "readm-col-index_stays"),
        text(i18n, "readm-col-readmissions"),
        text(i18n, "readm-col-rate"),
    );
    for m in &s.by_month {
        let r = Ratio {
            numerator: m.readmissions,
            denominator: m.index_stays,
        };
        let _ = write!(
            out,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>",
            esc(&month_label(&m.month)),
            int(i18n, m.index_stays),
            int(i18n, m.readmissions)
        );
        if m.rate.is_some_and(|r| r > TARGET_RATE) {
            let _ = writeln!(
                out,
                "<td class=\"n weak\"><b>▲ {}</b></td></tr>",
                esc(&i18n.fmt.share(r))
            );
        } else {
            let _ = writeln!(out, "<td class=\"n\">{}</td></tr>", esc(&i18n.fmt.share(r)));
        }
    }
    // The total is marked against the target like a month (and like the CSV's `above_target`).
    let total_cell = if total.rate().is_some_and(|r| r > TARGET_RATE) {
        format!(
            "<td class=\"n weak\"><b>▲ {}</b></td>",
            esc(&i18n.fmt.share(total))
        )
    } else {
        format!("<td class=\"n\">{}</td>", esc(&i18n.fmt.share(total)))
    };
    let _ = write!(
        out,
        "<tr class=\"total\"><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>{total_cell}</tr>\n</tbody></table>\n</section>\n",
        text(i18n, "progress-total"),
        int(i18n, s.index_stays),
        int(i18n, s.readmissions),
    );
}

/// The nurses: workload, worklist, call outcomes, two key indicators.
pub(crate) fn nurses(out: &mut String, d: &ReportData, i18n: &I18n) {
    let period = d.progress.period;
    let _ = write!(
        out,
        "<section id=\"nurses\" class=\"long\">\n<h2>{}</h2>\n<p class=\"note\">{}</p>\n<table class=\"nurses\">\n<thead><tr>",
        text(i18n, "report-nurses"),
        msg(
            i18n,
            "report-nurses-note",
            &[
                ("date", &i18n.fmt.date(d.as_of)),
                ("from", &i18n.fmt.date(period.from)),
                ("to", &i18n.fmt.date(period.to)),
            ],
        ),
    );
    let _ = write!(out, "<th>{}</th>", text(i18n, "col-nurse"));
    for key in [
        "progress-col-active",
        "report-col-worklist",
        "report-col-calls",
        "report-col-reached",
        "report-col-agreed",
        "report-col-not-reached",
        "ind-hba1c-tested-short",
        "ind-poor-control-short",
    ] {
        let _ = write!(out, "<th class=\"n\">{}</th>", text(i18n, key));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    let row = |out: &mut String, class: &str, name: &str, r: &super::data::NurseRow| {
        let _ = writeln!(
            out,
            "<tr{class}><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            esc(name),
            int(i18n, r.active),
            int(i18n, r.worklist),
            int(i18n, r.calls.total),
            esc(&i18n.fmt.ratio(r.calls.reached_ratio())),
            int(i18n, r.calls.agreed_visit),
            int(i18n, r.calls.not_reached),
            esc(&i18n.fmt.ratio(r.hba1c_tested)),
            esc(&i18n.fmt.ratio(r.poor_control)),
        );
    };
    for r in &d.nurses {
        let name = if r.name.is_empty() {
            i18n.t("unassigned")
        } else {
            r.name.clone()
        };
        row(out, "", &name, r);
    }
    row(
        out,
        " class=\"total\"",
        &i18n.t("progress-total"),
        &d.nurses_total,
    );
    out.push_str("</tbody></table>\n</section>\n");
}

/// The budget by month, with cumulative sums (the figures of the budget chart).
pub(crate) fn budget_months(out: &mut String, d: &ReportData, i18n: &I18n) {
    let b = &d.budget;
    if b.months.is_empty() {
        return;
    }
    let _ = write!(out, "<table class=\"budget-months\">\n<thead><tr>");
    for (i, key) in [
        "report-col-month",
        "report-col-member-months",
        "report-col-budget",
        "report-col-paid",
        "report-col-cum-budget",
        "report-col-cum-paid",
    ]
    .iter()
    .enumerate()
    {
        let class = if i == 0 { "" } else { " class=\"n\"" };
        let _ = write!(out, "<th{class}>{}</th>", text(i18n, key));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    let money = |m| esc(&i18n.fmt.money(m, &b.currency));
    let mut budget_cum = crate::domain::money::Money::ZERO;
    let mut paid_cum = crate::domain::money::Money::ZERO;
    for m in &b.months {
        budget_cum += m.budget;
        paid_cum += m.paid;
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            esc(&i18n.fmt.month(month_start(b.performance_year, m.month))),
            int(i18n, u64::from(m.member_months)),
            money(m.budget),
            money(m.paid),
            money(budget_cum),
            money(paid_cum),
        );
    }
    out.push_str("</tbody></table>\n");
}

/// The catalogue's id of a `Tally::ratios()` message id ("ind-poor-control" → "poor_control").
pub(crate) fn measure_id(key: &str) -> String {
    key.trim_start_matches("ind-").replace('-', "_")
}

/// The catalogue's label of a `Tally::ratios()` figure in the report's language (the message id
/// itself if the catalogue lacked it, which a test rules out).
pub(crate) fn catalogue_label(i18n: &I18n, key: &str) -> String {
    crate::domain::measures::measure(&measure_id(key)).map_or_else(
        || key.to_string(),
        |m| m.label.get(i18n.lang().code()).to_string(),
    )
}

/// The method appendix: every measure of the catalogue with its population, numerator,
/// denominator, window, what a report period changes, and its source.
/// A measure's source in the report's language: the catalogue writes acodesk's own definitions
/// as "acodesk's own"; publications keep their own titles.
fn source_text(source: &str, i18n: &I18n) -> String {
    match source.strip_prefix("acodesk's own") {
        // Unescaped: the caller escapes the whole text once.
        Some(rest) => format!("{}{rest}", i18n.t("measure-source-own")),
        None => source.to_string(),
    }
}

pub(crate) fn method(out: &mut String, i18n: &I18n) {
    let lang = i18n.lang().code();
    let _ = write!(
        out,
        "<section id=\"method\" class=\"long\">\n<h2>{}</h2>\n<p class=\"note\">{}</p>\n\
         <table class=\"method\">\n<thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>\n",
        text(i18n, "report-method"),
        text(i18n, "report-method-note"),
        text(i18n, "measures-col-label"),
        text(i18n, "report-method-col-population"),
        text(i18n, "report-method-col-numerator"),
        text(i18n, "report-method-col-denominator"),
        text(i18n, "report-method-col-window"),
        text(i18n, "report-method-col-period"),
        text(i18n, "report-method-col-source"),
    );
    for m in crate::domain::measures::CATALOGUE {
        let _ = writeln!(
            out,
            "<tr><td><b>{}</b></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(m.label.get(lang)),
            esc(m.population.get(lang)),
            esc(m.numerator.get(lang)),
            esc(m.denominator.get(lang)),
            esc(m.window.get(lang)),
            esc(m.period.get(lang)),
            esc(&source_text(m.source, i18n)),
        );
    }
    out.push_str("</tbody></table>\n</section>\n");
}
