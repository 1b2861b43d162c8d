//! The Progress tab: the population and month in force, the month's call cascade, 30-day
//! readmissions and projected savings, then the sites (or nurses) compared on every figure, sortable
//! by any column with the weakest highlighted, the trends, or the patients behind a figure.

mod drill;
mod hearts;
mod trends;

use super::widgets::{percent, ratio};
use crate::domain::indicators::Ratio;
use crate::i18n::I18n;
use crate::store::views::progress::{Column, Figure, ProgressBoard};
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::app::progress_state::{GroupRow, ProgressMode, ProgressState, figure};
use crate::tui::keymap::KeyCodeOrd;
use crate::tui::views::widgets::width;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Block, Borders, Cell, Paragraph, Row, StatefulWidget, Table, TableState, Widget, Wrap,
};

/// Width of a figure column.
const FIGURE_WIDTH: u16 = 8;

/// Draws the tab into `area`.
pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let i18n = &app.ctx.i18n;
    let theme = &app.ctx.theme;
    let ui = &app.progress_ui;
    let Some(b) = &ui.board else {
        Paragraph::new(i18n.t("loading"))
            .style(theme.dim)
            .render(area, buf);
        return;
    };
    let summary = summary(app, b);
    let cascade = cascade(i18n, b);
    // Each block wraps: give it the lines its text takes.
    let lines = |l: &Line<'_>| -> u16 {
        let text: String = l.spans.iter().map(|s| s.content.as_ref()).collect();
        wrapped_lines(&text, area.width).clamp(1, 5)
    };
    let [summary_area, cascade_area, main_area, hint_area] = Layout::vertical([
        Constraint::Length(lines(&summary)),
        Constraint::Length(lines(&cascade)),
        Constraint::Min(4),
        Constraint::Length(1),
    ])
    .areas(area);
    Paragraph::new(summary)
        .wrap(Wrap { trim: true })
        .render(summary_area, buf);
    Paragraph::new(cascade)
        .wrap(Wrap { trim: true })
        .render(cascade_area, buf);
    if let Some(d) = &ui.drill {
        drill::render(app, d, main_area, buf);
    } else if let Some(h) = &ui.hearts {
        hearts::render(app, h, main_area, buf);
    } else if ui.mode == ProgressMode::Trends {
        trends::render(app, b, main_area, buf);
    } else {
        table(app, main_area, buf);
    }
    hints(app, hint_area, buf);
}

/// The group's name for display.
fn group_name(i18n: &I18n, row: &GroupRow<'_>) -> String {
    match row.0 {
        None => i18n.t("progress-total"),
        Some(g) if g.name.is_empty() => i18n.t("unassigned"),
        Some(g) => g.name.clone(),
    }
}

/// A figure as a cell: the share (the numbers behind it are in the detail lines) or the count.
fn cell_text(i18n: &I18n, f: Figure) -> String {
    match f {
        Figure::Count(n) => i18n.fmt.int(n as i64),
        Figure::Ratio(r) => percent(i18n, r),
    }
}

/// A figure with its numbers: "34.8% (24/69)" or the count.
pub(super) fn full_text(i18n: &I18n, f: Figure) -> String {
    match f {
        Figure::Count(n) => i18n.fmt.int(n as i64),
        Figure::Ratio(r) => ratio(i18n, r),
    }
}

/// One flowing line: the population, the period, the filters in force, readmissions and savings.
fn summary(app: &App, b: &ProgressBoard) -> Line<'static> {
    let i18n = &app.ctx.i18n;
    let theme = &app.ctx.theme;
    let t = &b.view.total;
    let all = i18n.t("progress-all");
    let name_of = |options: &[(String, String)], id: &Option<String>| {
        id.as_ref().map_or(all.clone(), |id| {
            options
                .iter()
                .find(|(o, _)| o == id)
                .map_or(id.clone(), |(_, n)| n.clone())
        })
    };
    let month = i18n.fmt.month(b.month.first);
    let filters = i18n.t_args(
        "progress-filters",
        &[
            (
                "site",
                name_of(&b.site_options, &b.query.site_id).as_str().into(),
            ),
            (
                "nurse",
                name_of(&b.nurse_options, &b.query.nurse_id).as_str().into(),
            ),
            ("month", month.as_str().into()),
        ],
    );
    let savings = b
        .savings_rate
        .map_or_else(|| "—".to_string(), |r| i18n.fmt.percent(r));
    // The contract's quality gate next to its indicator, under the catalogue's label and window
    // (the same figure as on the Budget tab): the value, the threshold, met or not.
    let gate = b.quality_gate.map(|g| {
        let f = g.figure(i18n.lang());
        let (word, style) = if f.met {
            (i18n.t("gate-met"), theme.good)
        } else {
            (i18n.t("gate-not-met"), theme.urgent)
        };
        (
            format!(
                " · {} {} ≥ {}: ",
                f.label,
                ratio(i18n, f.value),
                i18n.fmt.percent(f.threshold)
            ),
            word,
            style,
        )
    });
    let mut spans = vec![
        Span::styled(
            i18n.t_args(
                "progress-active",
                &[("count", (t.enrolled_active as i64).into())],
            ),
            theme.title,
        ),
        Span::raw(format!(
            " · {} {} · {} {} · {} {} · ",
            i18n.t("progress-new"),
            t.new_enrolments,
            i18n.t("progress-deaths"),
            t.deaths,
            i18n.t("progress-moves"),
            t.moves
        )),
        Span::styled(
            format!(
                "{} – {} · ",
                i18n.fmt.date(b.view.period.from),
                i18n.fmt.date(b.view.period.to)
            ),
            theme.dim,
        ),
        Span::styled(filters, theme.key),
        Span::raw(format!(
            " · {} {} · {} {}",
            i18n.t("progress-readmitted"),
            ratio(i18n, b.total.readmissions),
            i18n.t("progress-savings"),
            savings
        )),
    ];
    if let Some((text, word, style)) = gate {
        spans.push(Span::raw(text));
        spans.push(Span::styled(word, style));
    }
    Line::from(spans)
}

/// The call cascade of the month: each stage with its share of the stage before.
fn cascade(i18n: &I18n, b: &ProgressBoard) -> Line<'static> {
    let c = &b.total.cascade;
    let month = i18n.fmt.month(b.month.first);
    let mut text = format!(
        "{} {} {}",
        i18n.t_args("progress-cascade", &[("month", month.as_str().into())]),
        i18n.t("cascade-overdue"),
        i18n.fmt.int(c.overdue as i64)
    );
    for (key, r) in [
        ("cascade-contactable", c.contactable),
        ("cascade-called", c.called),
        ("cascade-reached", c.reached),
        ("cascade-returned", c.returned),
    ] {
        text.push_str(&format!(" → {} {}", i18n.t(key), ratio(i18n, r)));
    }
    Line::from(text)
}

/// The columns that fit, as a window over `columns` that keeps the sort column in view.
fn visible_columns(ui: &ProgressState, columns: &[Column], width: u16, name_min: u16) -> usize {
    let fit = (width.saturating_sub(name_min + 1) / (FIGURE_WIDTH + 1)).max(1) as usize;
    let fit = fit.min(columns.len());
    match ui.sort {
        Some(i) if i >= fit => i + 1 - fit,
        _ => 0,
    }
}

/// The site or nurse table, and the numbers behind the selected row.
fn table(app: &App, area: Rect, buf: &mut Buffer) {
    let i18n = &app.ctx.i18n;
    let theme = &app.ctx.theme;
    let ui = &app.progress_ui;
    let rows = ui.rows();
    // A tall, wide screen also shows the trends under the table.
    let table_height = rows.len() as u16 + 2;
    let below = area.width >= 120 && area.height >= table_height + 4 + 16;
    // On a short screen the table keeps its rows (the total row above all) and the numbers
    // behind the selected row give up their spare lines first.
    let detail_height = area.height.saturating_sub(table_height).clamp(2, 4);
    let [table_area, detail_area, trends_area] = Layout::vertical([
        if below {
            Constraint::Length(table_height)
        } else {
            Constraint::Min(3)
        },
        Constraint::Length(detail_height),
        if below {
            Constraint::Min(0)
        } else {
            Constraint::Length(0)
        },
    ])
    .areas(area);
    if below && let Some(b) = &ui.board {
        trends::grid(app, b, trends_area, buf);
    }
    let columns = ui.columns();
    let name_min: u16 = if area.width >= 120 { 30 } else { 20 };
    let start = visible_columns(ui, &columns, area.width, name_min);
    let fit = ((area.width.saturating_sub(name_min + 1)) / (FIGURE_WIDTH + 1)).max(1) as usize;
    let shown: Vec<(usize, Column)> = columns
        .iter()
        .copied()
        .enumerate()
        .skip(start)
        .take(fit)
        .collect();
    let name_width = area
        .width
        .saturating_sub(shown.len() as u16 * (FIGURE_WIDTH + 1)) as usize;
    let groups = rows.len().saturating_sub(1);
    // The weakest group per share column: the highest where lower is better, else the lowest.
    let weakest: Vec<Option<usize>> = shown
        .iter()
        .map(|(_, c)| {
            let lower = c.lower_is_better()?;
            let rates: Vec<(usize, f64)> = rows[..groups]
                .iter()
                .enumerate()
                .filter_map(|(i, r)| match figure(*c, r) {
                    Figure::Ratio(x) => x.rate().map(|v| (i, v)),
                    Figure::Count(_) => None,
                })
                .collect();
            let pick = if lower {
                rates.iter().max_by(|a, b| a.1.total_cmp(&b.1))
            } else {
                rates.iter().min_by(|a, b| a.1.total_cmp(&b.1))
            };
            pick.map(|(i, _)| *i).filter(|_| rates.len() > 1)
        })
        .collect();
    let first = if ui.mode == ProgressMode::Nurses {
        "col-nurse"
    } else {
        "col-site"
    };
    let mut header = vec![Cell::from(i18n.t(first))];
    header.extend(shown.iter().map(|(i, c)| {
        let label = i18n.t(&c.key());
        if ui.sort == Some(*i) {
            let mark = if ui.descending() { "▼" } else { "▲" };
            Cell::from(Span::styled(format!("{mark}{label}"), theme.key))
        } else {
            let arrow = match c.lower_is_better() {
                Some(true) => "↓",
                Some(false) => "↑",
                None => "",
            };
            Cell::from(format!("{label}{arrow}"))
        }
    }));
    let longest = rows
        .iter()
        .map(|r| width(&group_name(i18n, r)))
        .max()
        .unwrap_or(0);
    let mut widths = vec![Constraint::Length(
        (longest.max(name_min as usize).min(name_width) as u16).max(1),
    )];
    widths.extend(std::iter::repeat_n(
        Constraint::Length(FIGURE_WIDTH),
        shown.len(),
    ));
    let table_rows: Vec<Row> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let name = middle_truncate(&group_name(i18n, r), name_width);
            let mut cells = vec![Cell::from(name)];
            for (c, (_, column)) in shown.iter().enumerate() {
                let style = if weakest[c] == Some(i) {
                    theme.urgent
                } else {
                    theme.text
                };
                cells.push(Cell::from(Span::styled(
                    cell_text(i18n, figure(*column, r)),
                    style,
                )));
            }
            let row = Row::new(cells);
            if r.0.is_none() {
                row.style(theme.title)
            } else {
                row
            }
        })
        .collect();
    let title = if ui.mode == ProgressMode::Nurses {
        i18n.t("progress-by-nurse")
    } else {
        i18n.t("progress-by-site")
    };
    let table = Table::new(table_rows, widths)
        .header(Row::new(header).style(theme.title))
        .row_highlight_style(theme.selected)
        .block(Block::default().borders(Borders::TOP).title(title));
    let mut state = TableState::default().with_selected(Some(ui.selected));
    StatefulWidget::render(table, table_area, buf, &mut state);

    // The numbers behind the selected row's shares in view (the sort column described first).
    let Some(row) = rows.get(ui.selected) else {
        return;
    };
    let mut parts = Vec::new();
    if let Some(current) = ui.sort.and_then(|i| columns.get(i)) {
        parts.push(format!(
            "{}: {}",
            current.long_label(i18n),
            full_text(i18n, figure(*current, row))
        ));
    }
    if ui.mode == ProgressMode::Nurses {
        // The month's calls by outcome, the ones made only.
        let w = &row.2.workload;
        let outcomes: Vec<String> = w
            .by_outcome
            .iter()
            .filter(|(_, n)| **n > 0)
            .map(|(o, n)| format!("{} {n}", i18n.t(&format!("outcome-{}", o.as_code()))))
            .collect();
        parts.push(format!(
            "{} {}: {}",
            i18n.t(&Column::Calls.key()),
            w.calls,
            outcomes.join(", ")
        ));
    }
    // The shares in view first, then the others, each with the numbers behind it.
    let in_view = |c: &Column| shown.iter().any(|(_, s)| s == c);
    let shares = columns
        .iter()
        .enumerate()
        .filter(|(i, c)| ui.sort != Some(*i) && c.lower_is_better().is_some());
    let (first, rest): (Vec<_>, Vec<_>) = shares.partition(|(_, c)| in_view(c));
    parts.extend(
        first
            .into_iter()
            .chain(rest)
            .map(|(_, c)| format!("{} {}", i18n.t(&c.key()), full_text(i18n, figure(*c, row)))),
    );
    Paragraph::new(vec![
        Line::styled(group_name(i18n, row), theme.title),
        Line::from(parts.join(" · ")),
    ])
    .wrap(Wrap { trim: true })
    .block(Block::default().borders(Borders::TOP))
    .render(detail_area, buf);
}

/// The tab's own keys, from the keymap in force.
fn hints(app: &App, area: Rect, buf: &mut Buffer) {
    let theme = &app.ctx.theme;
    let i18n = &app.ctx.i18n;
    let list: &[(Action, &str)] = if app.progress_ui.drill.is_some() {
        &[
            (Action::Open, "action-open"),
            (Action::LogCall, "action-log-call"),
            (Action::Back, "action-back"),
        ]
    } else {
        &[
            (Action::SortNext, "progress-hint-sort"),
            (Action::SortReverse, "progress-hint-reverse"),
            (Action::ToggleView, "progress-hint-view"),
            (Action::FilterSite, "progress-hint-site"),
            (Action::FilterNurse, "progress-hint-nurse"),
            (Action::FilterMonth, "progress-hint-month"),
            (Action::Open, "progress-hint-open"),
            (Action::FilterProgram, "progress-hint-program"),
        ]
    };
    let list: &[(Action, &str)] =
        if app.progress_ui.hearts.is_some() && app.progress_ui.drill.is_none() {
            &[
                (Action::FilterProgram, "progress-hint-program-next"),
                (Action::FilterSite, "progress-hint-site"),
                (Action::FilterNurse, "progress-hint-nurse"),
                (Action::FilterMonth, "progress-hint-month"),
                (Action::Back, "action-back"),
            ]
        } else {
            list
        };
    let gap = if area.width >= 120 { "  " } else { " " };
    let mut spans = Vec::new();
    let mut used = 0usize;
    for (action, label) in list {
        // A letter reads better than a bracket when both are bound.
        let keys = app.ctx.keymap.keys_for(*action);
        let key = keys
            .iter()
            .find(|k| {
                !k.ctrl && !k.alt && matches!(k.code, KeyCodeOrd::Char(c) if c.is_alphabetic())
            })
            .map(|k| k.label())
            .or_else(|| app.ctx.keymap.hint(*action));
        if let Some(key) = key {
            let (key, label) = (format!("{key} "), format!("{}{gap}", i18n.t(label)));
            // A hint that does not fit whole is left out rather than cut.
            let wide = width(&key) + width(label.trim_end());
            if used + wide > usize::from(area.width) {
                continue;
            }
            used += width(&key) + width(&label);
            spans.push(Span::styled(key, theme.key));
            spans.push(Span::styled(label, theme.dim));
        }
    }
    Paragraph::new(Line::from(spans)).render(area, buf);
}

/// The lines `text` takes when word-wrapped at `width` (breaking at spaces, not at no-break spaces).
fn wrapped_lines(text: &str, width: u16) -> u16 {
    let width = usize::from(width.max(1));
    let (mut lines, mut used) = (1usize, 0usize);
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let w = super::widgets::width(word);
        if used > 0 && used + 1 + w <= width {
            used += 1 + w;
        } else {
            if used > 0 {
                lines += 1;
            }
            lines += w.saturating_sub(1) / width;
            used = w % width;
        }
    }
    u16::try_from(lines).unwrap_or(u16::MAX)
}

/// Cuts a name to `max` columns in the middle, keeping its end: site names often differ only
/// there ("Городская поликлиника № 1", "… № 2").
fn middle_truncate(text: &str, max: usize) -> String {
    if width(text) <= max || max < 5 {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let tail = (max - 1) / 2;
    let head = max - 1 - tail;
    let start: String = chars.iter().take(head).collect();
    let end: String = chars[chars.len().saturating_sub(tail)..].iter().collect();
    format!("{}…{}", start.trim_end(), end.trim_start())
}

/// A share written on a chart bar `width` columns wide: "65.8", or "66" on narrow bars.
pub(super) fn bar_text(i18n: &I18n, r: Ratio, width: u16) -> String {
    match r.rate() {
        Some(x) if width >= 4 => i18n.fmt.decimal(x * 100.0, 1),
        Some(x) => i18n.fmt.decimal(x * 100.0, 0),
        None => "—".into(),
    }
}
