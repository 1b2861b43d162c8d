//! The Budget tab: spend against budget as a gauge, the projection to year end against the MSR,
//! what the network would earn, the quality gate, the savings waterfall (every step from the
//! baseline to the amount earned, `budget_waterfall.rs`), and where the money goes. Anything that
//! makes the projection doubtful (a stale claims feed, a month without claims, a missing
//! benchmark) is a banner line.

use super::widgets::ratio;
use crate::tui::app::{App, BUDGET_CATEGORIES};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::symbols;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Axis, Block, Borders, Cell, Chart, Dataset, Gauge, GraphType, Paragraph, Row, Table, Widget,
};

/// Draws the tab into `area`.
pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let i18n = &app.ctx.i18n;
    let theme = &app.ctx.theme;
    let Some(v) = &app.budget else {
        Paragraph::new(i18n.t("loading"))
            .style(theme.dim)
            .render(area, buf);
        return;
    };
    let p = &v.projection;
    let cur = v.currency.as_str();
    let money = |m| i18n.fmt.money(m, cur);
    let [gauge_area, figures_area, lower] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(7),
        Constraint::Min(3),
    ])
    .areas(area);

    let used = if p.budget_to_date.minor() > 0 {
        p.spend_to_date.as_f64() / p.budget_to_date.as_f64()
    } else {
        0.0
    };
    let over = used > 1.0;
    Gauge::default()
        .block(Block::default().title(format!(
            "{} · {}",
            i18n.t("budget-gauge"),
            v.contract_name_in(i18n.lang())
        )))
        .gauge_style(if over { theme.urgent } else { theme.good })
        .ratio(used.clamp(0.0, 1.0))
        .label(format!(
            "{} / {} ({})",
            money(p.spend_to_date),
            money(p.budget_to_date),
            i18n.fmt.percent(used)
        ))
        .render(gauge_area, buf);

    let rate_style = if p.projected_savings_rate >= p.msr {
        theme.good
    } else {
        theme.warn
    };
    let gate = if p.quality_gate_met {
        (i18n.t("gate-met"), theme.good)
    } else {
        (i18n.t("gate-not-met"), theme.urgent)
    };
    // The gate's figure under its catalogue label (the same on Progress, the CLI and the report).
    let gate_figure = v.quality_gate(i18n.lang()).map_or_else(String::new, |g| {
        format!(
            " · {} {} ≥ {}",
            g.label,
            ratio(i18n, g.value),
            i18n.fmt.percent(g.threshold)
        )
    });
    let earned_style = if p.projected_earned.minor() > 0 {
        theme.good
    } else if p.projected_earned.minor() < 0 {
        theme.urgent
    } else {
        theme.text
    };
    let label = |k: &str| Span::styled(format!("{}: ", i18n.t(k)), theme.dim);
    // A contract whose benchmark the register cannot compute shows no benchmark and no savings
    // (not 0 ₽): the banner says how to supply it.
    let known = v.benchmark.source != crate::domain::finance::benchmark::BenchmarkSource::Missing;
    let or_dash = |text: String| if known { text } else { "—".to_string() };
    let lines = vec![
        Line::from(vec![
            label("budget-benchmark"),
            Span::raw(or_dash(format!(
                "{} ({} {})",
                money(p.benchmark_total),
                money(v.benchmark_per_person_year),
                i18n.t("per-person-year")
            ))),
        ]),
        Line::from(vec![
            label("budget-projected-spend"),
            Span::raw(money(p.projected_spend)),
        ]),
        Line::from(vec![
            label("budget-projected-savings"),
            Span::raw(format!("{} ", or_dash(money(p.projected_savings)))),
            Span::styled(
                or_dash(i18n.fmt.percent(p.projected_savings_rate)),
                rate_style,
            ),
            Span::raw(format!(" · MSR {}", i18n.fmt.percent(p.msr))),
        ]),
        Line::from(vec![
            label("budget-projected-earned"),
            Span::styled(money(p.projected_earned), earned_style),
        ]),
        Line::from(vec![
            label("budget-quality-gate"),
            Span::styled(gate.0, gate.1),
            Span::raw(gate_figure),
        ]),
        banner(app, v),
        what_if_line(app, v),
    ];
    Paragraph::new(lines).render(figures_area, buf);

    // The waterfall always; the chart beside it when the screen is wide enough.
    let (chart_area, steps_area, table_area) = if lower.width >= 160 {
        let [c, s, t] = Layout::horizontal([
            Constraint::Percentage(30),
            Constraint::Percentage(42),
            Constraint::Percentage(28),
        ])
        .spacing(1)
        .areas(lower);
        (Some(c), s, t)
    } else {
        // A blank column between the panels, so their titles and figures never run together.
        let [s, t] = Layout::horizontal([Constraint::Percentage(58), Constraint::Percentage(42)])
            .spacing(1)
            .areas(lower);
        (None, s, t)
    };
    super::budget_waterfall::render(app, v, steps_area, buf);
    if let Some(chart_area) = chart_area {
        chart(app, v, chart_area, buf);
    }
    breakdown(app, v, table_area, buf);
}

/// The first thing that makes the projection doubtful (and how many more), else the head-count.
fn banner<'a>(app: &App, v: &crate::store::views::BudgetView) -> Line<'a> {
    let i18n = &app.ctx.i18n;
    let theme = &app.ctx.theme;
    let mut all = v.problem.iter().chain(&v.problems);
    match all.next() {
        Some(first) => {
            let more = v.problems.len() + usize::from(v.problem.is_some()) - 1;
            let text = if more > 0 {
                format!("⚠ {first} (+{more})")
            } else {
                format!("⚠ {first}")
            };
            Line::from(Span::styled(text, theme.warn))
        }
        None => Line::from(Span::styled(
            i18n.t_args(
                "budget-assigned",
                &[("count", i64::from(v.assigned).into())],
            ),
            theme.dim,
        )),
    }
}

/// Cumulative spend against the cumulative budget line.
fn chart(app: &App, v: &crate::store::views::BudgetView, chart_area: Rect, buf: &mut Buffer) {
    let i18n = &app.ctx.i18n;
    let theme = &app.ctx.theme;
    // Cumulative spend against the cumulative budget line, in thousands of currency units.
    let mut spend_points = Vec::new();
    let mut budget_points = Vec::new();
    let (mut cs, mut cb) = (0.0, 0.0);
    spend_points.push((0.0, 0.0));
    budget_points.push((0.0, 0.0));
    for m in &v.months {
        cs += m.paid.as_f64() / 1000.0;
        cb += m.budget.as_f64() / 1000.0;
        spend_points.push((f64::from(m.month), cs));
        budget_points.push((f64::from(m.month), cb));
    }
    let top = cs.max(cb).max(1.0) * 1.1;
    let datasets = vec![
        Dataset::default()
            .name(i18n.t("budget-line"))
            .marker(symbols::Marker::Braille)
            .graph_type(GraphType::Line)
            .style(theme.reference)
            .data(&budget_points),
        Dataset::default()
            .name(i18n.t("spend-line"))
            .marker(symbols::Marker::Braille)
            .graph_type(GraphType::Line)
            .style(theme.series)
            .data(&spend_points),
    ];
    Chart::new(datasets)
        .block(
            Block::default()
                .borders(Borders::TOP)
                .title(i18n.t("budget-chart")),
        )
        .x_axis(Axis::default().bounds([0.0, 12.0]).labels(["1", "6", "12"]))
        .y_axis(Axis::default().bounds([0.0, top]).labels([
            String::from("0"),
            i18n.fmt.int((top / 1000.0).round() as i64) + "M",
        ]))
        .render(chart_area, buf);
}

/// Every category, with its what-if multiplier (the one the keys change is highlighted), then
/// every organization.
fn breakdown(app: &App, v: &crate::store::views::BudgetView, table_area: Rect, buf: &mut Buffer) {
    let i18n = &app.ctx.i18n;
    let theme = &app.ctx.theme;
    let cur = v.currency.as_str();
    let money = |m| i18n.fmt.money(m, cur);
    // Every category, with its what-if multiplier; the one the keys change is highlighted.
    let mut rows: Vec<Row> = BUDGET_CATEGORIES
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let style = if i == app.budget_category {
                theme.selected
            } else {
                Style::default()
            };
            // A category the benchmark leaves out (the regional preset's outpatient drugs, paid
            // by ЛЛО) says so with its amount, rather than a 0 inside the benchmark.
            if !v.covers(*c) {
                return Row::new(vec![
                    Cell::from(crate::store::views::budget_steps::outside_label(
                        v, *c, i18n,
                    )),
                    Cell::from(money(v.outside(*c))),
                ])
                .style(style.patch(theme.dim));
            }
            let paid = v
                .by_category
                .iter()
                .find(|(k, _)| k == c)
                .map_or(crate::domain::money::Money::ZERO, |(_, m)| *m);
            let factor = v.what_if.factor(*c);
            let mark = if (factor - 1.0).abs() > 1e-9 {
                format!(" ×{}", i18n.fmt.decimal(factor, 2))
            } else {
                String::new()
            };
            Row::new(vec![
                Cell::from(format!(
                    "{}{mark}",
                    i18n.t(&format!("category-{}", c.as_code()))
                )),
                Cell::from(money(paid)),
            ])
            .style(style)
        })
        .collect();
    rows.push(Row::new(vec![Cell::from(""), Cell::from("")]));
    rows.extend(
        v.by_organization
            .iter()
            .map(|(o, m)| Row::new(vec![Cell::from(o.clone()), Cell::from(money(*m))])),
    );
    // Utilisation per 1,000 person-years (managers compare sites), the network first: the counts
    // in the first column, spend per person-year in the second.
    rows.push(Row::new(vec![Cell::from(""), Cell::from("")]));
    rows.push(
        Row::new(vec![
            Cell::from(i18n.t("use-short-title")),
            Cell::from(i18n.t("use-short-spend")),
        ])
        .style(theme.dim),
    );
    for u in std::iter::once(&v.utilisation.total).chain(&v.utilisation.by_site) {
        let site = if u.site.is_empty() {
            i18n.t("use-network")
        } else {
            u.site.clone()
        };
        let n = |count| i18n.fmt.int(u.per_thousand(count).round() as i64);
        rows.push(Row::new(vec![
            Cell::from(format!(
                "{} / {} / {} / {} · {}",
                n(u.admissions),
                n(u.emergency_visits),
                n(u.bed_days),
                n(u.outpatient_visits),
                site
            )),
            Cell::from(money(u.spend_per_person_year(None))),
        ]));
    }
    let table = Table::new(rows, [Constraint::Min(14), Constraint::Length(16)])
        .block(
            Block::default()
                .borders(Borders::TOP)
                .title(i18n.t("budget-breakdown")),
        )
        .style(Style::default());
    Widget::render(table, table_area, buf);
}

/// "What-if: inpatient ×0.95" or the hint how to start one.
fn what_if_line<'a>(app: &App, v: &crate::store::views::BudgetView) -> Line<'a> {
    let i18n = &app.ctx.i18n;
    let theme = &app.ctx.theme;
    let parts: Vec<String> = v
        .what_if
        .multipliers
        .iter()
        .filter(|(_, m)| (**m - 1.0).abs() > 1e-9)
        .map(|(c, m)| {
            format!(
                "{} {:+}%",
                i18n.t(&format!("category-{}", c.as_code())),
                ((m - 1.0) * 100.0).round() as i64
            )
        })
        .collect();
    if parts.is_empty() {
        Line::from(vec![
            Span::styled(format!("{}: ", i18n.t("budget-what-if")), theme.dim),
            Span::styled(i18n.t("budget-what-if-none"), theme.dim),
        ])
    } else {
        let p = &v.projection;
        let binds = if p.payout.cap_applied {
            format!(" · {}", i18n.t("budget-what-if-cap"))
        } else if p.projected_savings > crate::domain::money::Money::ZERO
            && p.payout.generated == crate::domain::money::Money::ZERO
        {
            format!(" · {}", i18n.t("wf-below-msr"))
        } else {
            String::new()
        };
        Line::from(vec![
            Span::styled(format!("{}: ", i18n.t("budget-what-if")), theme.warn),
            Span::styled(parts.join(", "), theme.warn),
            Span::styled(
                format!(
                    " · {}{binds}",
                    i18n.t_args(
                        "budget-what-if-hypothetical",
                        &[("month", i64::from(p.what_if_from.min(12)).into())]
                    )
                ),
                theme.warn,
            ),
        ])
    }
}
