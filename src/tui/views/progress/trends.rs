//! The trends: each indicator at the end of each of the last twelve months, as bars with the share
//! written on them. Narrow screens show the chosen indicator large with the numbers behind its
//! latest figures; wide ones show every indicator at once, the chosen one framed.

use super::bar_text;
use crate::domain::indicators::Ratio;
use crate::store::views::progress::{Column, MonthPoint, ProgressBoard};
use crate::tui::app::App;
use crate::tui::views::widgets::ratio;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Borders, Paragraph, Widget, Wrap};

/// Draws the trends into `area`.
pub fn render(app: &App, b: &ProgressBoard, area: Rect, buf: &mut Buffer) {
    let i18n = &app.ctx.i18n;
    let theme = &app.ctx.theme;
    let chosen = app.progress_ui.column();
    let [title_area, charts_area] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(3)]).areas(area);
    // The caption names the chosen indicator by its catalogue label, which states its window.
    let caption = format!(
        "{} · {}",
        i18n.t("progress-trends"),
        chosen.long_label(i18n)
    );
    Paragraph::new(Line::styled(caption, theme.title)).render(title_area, buf);
    if charts_area.width >= 120 && charts_area.height >= 24 {
        grid(app, b, charts_area, buf);
        return;
    }
    let [chart_area, detail_area] =
        Layout::vertical([Constraint::Min(3), Constraint::Length(3)]).areas(charts_area);
    chart(app, b, chosen, true, chart_area, buf);
    // The numbers behind the last three months' figures.
    let lines: Vec<String> = b
        .series
        .iter()
        .rev()
        .take(3)
        .map(|m| {
            format!(
                "{}: {}",
                i18n.fmt.month(m.end),
                ratio(i18n, chosen.trend(m).unwrap_or_default())
            )
        })
        .collect();
    Paragraph::new(vec![
        Line::from(lines.join(" · ")),
        Line::styled(i18n.t("progress-trend-selected"), theme.dim),
    ])
    .wrap(Wrap { trim: true })
    .render(detail_area, buf);
}

/// Every indicator's chart, four to a row, the chosen one framed.
pub fn grid(app: &App, b: &ProgressBoard, area: Rect, buf: &mut Buffer) {
    let chosen = app.progress_ui.column();
    let [top, bottom] = Layout::vertical([Constraint::Ratio(1, 2); 2]).areas(area);
    // Four charts on top, three below.
    let mut cells: Vec<Rect> = Layout::horizontal([Constraint::Ratio(1, 4); 4])
        .split(top)
        .to_vec();
    cells.extend(
        Layout::horizontal([Constraint::Ratio(1, 3); 3])
            .split(bottom)
            .iter(),
    );
    for (column, cell) in Column::TRENDS.iter().zip(cells) {
        chart(app, b, *column, *column == chosen, cell, buf);
    }
}

/// The share of `column` in each month, and the value a bar shows: bars start from a floor below
/// the lowest share, so a change of a few points is visible (the shares are written on them).
fn bars<'a>(app: &App, column: Column, series: &[MonthPoint], width: u16) -> Vec<Bar<'a>> {
    let i18n = &app.ctx.i18n;
    let shares: Vec<(Ratio, Option<f64>)> = series
        .iter()
        .map(|m| {
            let r = column.trend(m).unwrap_or_default();
            (r, r.rate())
        })
        .collect();
    let rates: Vec<f64> = shares.iter().filter_map(|(_, x)| *x).collect();
    let low = rates.iter().copied().fold(f64::INFINITY, f64::min);
    let high = rates.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let floor = if low.is_finite() {
        (low - (high - low).max(0.02)).max(0.0)
    } else {
        0.0
    };
    series
        .iter()
        .zip(shares)
        .map(|(m, (r, rate))| {
            let value = rate.map_or(0, |x| ((x - floor) * 1000.0).round().max(1.0) as u64);
            let text = bar_text(i18n, r, width);
            let text = if text.chars().count() as u16 > width {
                String::new()
            } else {
                text
            };
            Bar::default()
                .value(value)
                .text_value(text)
                .label(Line::from(m.end.format("%m").to_string()))
        })
        .collect()
}

/// One indicator's chart in a framed box titled with its latest figure.
fn chart(app: &App, b: &ProgressBoard, column: Column, chosen: bool, area: Rect, buf: &mut Buffer) {
    let i18n = &app.ctx.i18n;
    let theme = &app.ctx.theme;
    let arrow = match column.lower_is_better() {
        Some(true) => " ↓",
        Some(false) => " ↑",
        None => "",
    };
    // The latest month's figure; readmissions by month of discharge are mostly still open in the
    // last month, so their title shows the rule's year instead.
    let latest = if column == Column::Readmitted {
        b.total.readmissions
    } else {
        b.series
            .last()
            .and_then(|m| column.trend(m))
            .unwrap_or_default()
    };
    let title = format!(
        " {}{arrow} · {} ",
        i18n.t(&column.key()),
        ratio(i18n, latest)
    );
    let block = Block::default()
        .borders(Borders::ALL)
        .title(title)
        .border_style(if chosen { theme.key } else { theme.dim });
    let inner = block.inner(area);
    block.render(area, buf);
    let n = b.series.len().max(1) as u16;
    let bar_width = (inner.width.saturating_sub(n - 1) / n).clamp(1, 6);
    let chart = BarChart::default()
        .data(BarGroup::default().bars(&bars(app, column, &b.series, bar_width)))
        .bar_width(bar_width)
        .bar_gap(1)
        .bar_style(theme.series)
        .value_style(theme.selected);
    chart.render(inner, buf);
}
