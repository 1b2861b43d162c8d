//! The Patients tab: the whole register in Russian-alphabet order, searchable by name, phone or policy.

use crate::tui::app::App;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Block, Borders, Cell, Paragraph, Row, StatefulWidget, Table, TableState, Widget,
};

/// Draws the patient list into `area`.
pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let i18n = &app.ctx.i18n;
    let theme = &app.ctx.theme;
    let p = &app.patients;
    let [search, table_area] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(2)]).areas(area);
    let cursor = if p.typing { "▏" } else { "" };
    let prompt = if p.search.is_empty() && !p.typing {
        i18n.t("search-hint")
    } else {
        format!("{}{cursor}", p.search)
    };
    let page = p.previous_pages.len() + 1;
    Paragraph::new(Line::from(vec![
        Span::styled("/ ", theme.key),
        Span::styled(prompt, if p.typing { theme.text } else { theme.dim }),
        Span::styled(
            format!(
                "  · {}",
                i18n.t_args("page-n", &[("page", (page as i64).into())])
            ),
            theme.dim,
        ),
    ]))
    .render(search, buf);
    if !p.loaded {
        Paragraph::new(i18n.t("loading"))
            .style(theme.dim)
            .render(table_area, buf);
        return;
    }
    if p.rows.is_empty() {
        let scoped = app.sync.is_some_and(|s| s.scoped) && !p.search.is_empty();
        let text = if scoped {
            format!(
                "{} {}",
                i18n.t("search-no-match"),
                i18n.t("search-outside-scope")
            )
        } else {
            i18n.t("search-no-match")
        };
        Paragraph::new(text)
            .wrap(ratatui::widgets::Wrap { trim: true })
            .style(theme.dim)
            .block(Block::default().borders(Borders::TOP))
            .render(table_area, buf);
        return;
    }
    let wide = area.width >= 120;
    // Every column but the name has its width; the name takes the rest and shrinks with an
    // ellipsis, so a phone is never cut (one column of spacing between columns).
    let phone = super::phone_cell::column_width(app, p.rows.iter().map(|r| r.phone.as_deref())) + 1;
    let fixed: u16 = if wide {
        10 + phone + 8 + 22 + 20 + 9 + 6
    } else {
        10 + phone + 8 + 3
    };
    let name_width = area.width.saturating_sub(fixed).max(8);
    let mut widths = vec![
        Constraint::Length(name_width),
        Constraint::Length(10),
        Constraint::Length(phone),
        Constraint::Length(8),
    ];
    let mut header = vec![
        Cell::from(i18n.t("col-patient")),
        Cell::from(i18n.t("col-born")),
        Cell::from(i18n.t("col-phone")),
        Cell::from(i18n.t("col-status")),
    ];
    if wide {
        widths.extend([
            Constraint::Length(22),
            Constraint::Length(20),
            Constraint::Length(9),
        ]);
        header.extend([
            Cell::from(i18n.t("col-site")),
            Cell::from(i18n.t("col-nurse")),
            Cell::from(i18n.t("col-id")),
        ]);
    }
    let rows = p.rows.iter().map(|r| {
        let status_style = match r.status {
            crate::domain::types::PatientStatus::Active => theme.text,
            _ => theme.dim,
        };
        let mut cells = vec![
            Cell::from(super::widgets::truncate(&r.full_name, name_width as usize)),
            Cell::from(r.birth_date.map(|d| i18n.fmt.date(d)).unwrap_or_default()),
            Cell::from(r.phone.clone().unwrap_or_else(|| i18n.t("no-phone"))),
            Cell::from(Span::styled(
                i18n.t(&format!("status-{}", r.status.as_code())),
                status_style,
            )),
        ];
        if wide {
            cells.extend([
                Cell::from(r.site.clone()),
                Cell::from(r.nurse.clone()),
                Cell::from(r.id.clone()),
            ]);
        }
        Row::new(cells)
    });
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(theme.title))
        .row_highlight_style(theme.selected)
        .block(Block::default().borders(Borders::TOP));
    let mut state = TableState::default().with_selected(Some(p.selected));
    StatefulWidget::render(table, table_area, buf, &mut state);
}
