//! The patients behind a Progress figure: those counted in it first (marked ✓), then the rest of
//! its denominator, with the latest HbA1c, blood pressure and visit. Enter opens a patient's card.

use super::full_text;
use crate::store::views::progress::{DrillGroup, Figure};
use crate::tui::app::App;
use crate::tui::app::progress_state::DrillState;
use crate::tui::views::widgets::truncate;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{
    Block, Borders, Cell, Paragraph, Row, StatefulWidget, Table, TableState, Widget, Wrap,
};

/// Draws the list into `area`.
pub fn render(app: &App, d: &DrillState, area: Rect, buf: &mut Buffer) {
    let i18n = &app.ctx.i18n;
    let theme = &app.ctx.theme;
    let [title_area, table_area] =
        Layout::vertical([Constraint::Length(3), Constraint::Min(2)]).areas(area);
    let Some(list) = &d.list else {
        Paragraph::new(i18n.t("loading"))
            .style(theme.dim)
            .render(area, buf);
        return;
    };
    let group = match &list.group {
        DrillGroup::Total => i18n.t("progress-total"),
        _ if list.group_name.is_empty() => i18n.t("unassigned"),
        _ => list.group_name.clone(),
    };
    Paragraph::new(vec![
        Line::styled(
            format!(
                "{group} · {} {}",
                i18n.t(&list.column.key()),
                full_text(i18n, list.figure)
            ),
            theme.title,
        ),
        Line::styled(
            format!(
                "{} · {}",
                list.column.long_label(i18n),
                i18n.t("progress-drill-legend")
            ),
            theme.dim,
        ),
    ])
    .wrap(Wrap { trim: true })
    .render(title_area, buf);
    if list.rows.is_empty() {
        Paragraph::new(i18n.t("progress-drill-empty"))
            .style(theme.dim)
            .block(Block::default().borders(Borders::TOP))
            .render(table_area, buf);
        return;
    }
    let wide = area.width >= 120;
    let rows: Vec<Row> = list
        .rows
        .iter()
        .map(|r| {
            let mark = if r.meets { "✓" } else { "·" };
            let hba1c = r.latest_hba1c.map_or_else(String::new, |(d, v)| {
                format!("{} {}", i18n.fmt.decimal(v, 1), i18n.fmt.date(d))
            });
            let bp = r
                .latest_bp
                .map_or_else(String::new, |(_, s, d)| format!("{s:.0}/{d:.0}"));
            let visit = r.last_visit.map_or_else(String::new, |d| i18n.fmt.date(d));
            let own = match r.figure {
                // A share's own figure is 0/1 (the mark says it); readmissions can be n/m.
                Figure::Ratio(x) if x.denominator > 1 => {
                    format!("{}/{}", x.numerator, x.denominator)
                }
                Figure::Count(n) if n > 1 => n.to_string(),
                _ => String::new(),
            };
            let mut cells = vec![
                Cell::from(format!("{mark} {own}")),
                Cell::from(truncate(&r.full_name, if wide { 40 } else { 24 })),
                Cell::from(r.phone.clone().unwrap_or_default()),
                Cell::from(hba1c),
                Cell::from(bp),
                Cell::from(visit),
            ];
            if wide {
                cells.push(Cell::from(r.patient_id.clone()));
            }
            Row::new(cells)
        })
        .collect();
    let mut header = vec![
        String::new(),
        i18n.t("col-patient"),
        i18n.t("col-phone"),
        i18n.t("progress-col-hba1c"),
        i18n.t("progress-col-bp"),
        i18n.t("progress-col-last-visit"),
    ];
    // The mark, and a patient's own count when it is more than one (readmissions 1/2, calls).
    let mark_width = list
        .rows
        .iter()
        .map(|r| match r.figure {
            Figure::Ratio(x) if x.denominator > 1 => {
                format!("{}/{}", x.numerator, x.denominator).len()
            }
            Figure::Count(n) if n > 1 => n.to_string().len(),
            _ => 0,
        })
        .max()
        .unwrap_or(0) as u16
        + 2;
    let mut widths = vec![
        Constraint::Length(mark_width),
        if wide {
            Constraint::Length(42)
        } else {
            Constraint::Min(16)
        },
        Constraint::Length(16),
        Constraint::Length(15),
        Constraint::Length(7),
        Constraint::Length(10),
    ];
    if wide {
        header.push(i18n.t("col-id"));
        widths.push(Constraint::Length(10));
    }
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(theme.title))
        .row_highlight_style(theme.selected)
        .block(Block::default().borders(Borders::TOP));
    let mut state = TableState::default().with_selected(Some(d.selected));
    StatefulWidget::render(table, table_area, buf, &mut state);
}
