//! The Progress tab: sites compared on the pilot's indicators, the weakest of each highlighted.

use super::widgets::{percent, ratio};
use crate::domain::indicators::Ratio;
use crate::tui::app::App;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Block, Borders, Cell, Paragraph, Row, StatefulWidget, Table, TableState, Widget,
};

/// Draws the tab into `area`.
pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let i18n = &app.ctx.i18n;
    let theme = &app.ctx.theme;
    let Some(v) = &app.progress else {
        Paragraph::new(i18n.t("loading"))
            .style(theme.dim)
            .render(area, buf);
        return;
    };
    let [summary_area, table_area, detail_area] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Min(4),
        Constraint::Length(4),
    ])
    .areas(area);
    let t = &v.total;
    Paragraph::new(vec![
        Line::from(vec![
            Span::styled(
                i18n.t_args(
                    "progress-active",
                    &[("count", (t.enrolled_active as i64).into())],
                ),
                theme.title,
            ),
            Span::raw(format!(
                " · {} {} · {} {} · {} {}",
                i18n.t("progress-new"),
                t.new_enrolments,
                i18n.t("progress-deaths"),
                t.deaths,
                i18n.t("progress-moves"),
                t.moves
            )),
        ]),
        Line::styled(
            format!(
                "{} – {}",
                i18n.fmt.date(v.period.from),
                i18n.fmt.date(v.period.to)
            ),
            theme.dim,
        ),
    ])
    .render(summary_area, buf);

    let columns = t.ratios();
    // The weakest site per column: the highest share where lower is better, else the lowest.
    let weakest: Vec<Option<usize>> = columns
        .iter()
        .enumerate()
        .map(|(c, (_, _, lower_better))| {
            let rates: Vec<(usize, f64)> = v
                .sites
                .iter()
                .enumerate()
                .filter_map(|(i, s)| s.tally.ratios()[c].1.rate().map(|r| (i, r)))
                .collect();
            let pick = if *lower_better {
                rates.iter().max_by(|a, b| a.1.total_cmp(&b.1))
            } else {
                rates.iter().min_by(|a, b| a.1.total_cmp(&b.1))
            };
            pick.map(|(i, _)| *i).filter(|_| rates.len() > 1)
        })
        .collect();
    let mut header = vec![
        Cell::from(i18n.t("col-site")),
        Cell::from(i18n.t("progress-col-active")),
    ];
    header.extend(columns.iter().map(|(key, _, lower)| {
        let arrow = if *lower { "↓" } else { "↑" };
        Cell::from(format!("{}{arrow}", i18n.t(&format!("{key}-short"))))
    }));
    let mut widths = vec![Constraint::Min(16), Constraint::Length(6)];
    widths.extend(std::iter::repeat_n(Constraint::Length(8), columns.len()));
    let site_row = |name: String,
                    active: u64,
                    ratios: [(&'static str, Ratio, bool); 6],
                    index: Option<usize>| {
        let mut cells = vec![Cell::from(name), Cell::from(i18n.fmt.int(active as i64))];
        for (c, (_, r, _)) in ratios.iter().enumerate() {
            let style = if index.is_some() && weakest[c] == index {
                theme.urgent
            } else {
                theme.text
            };
            cells.push(Cell::from(Span::styled(percent(i18n, *r), style)));
        }
        Row::new(cells)
    };
    let mut rows: Vec<Row> = v
        .sites
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let name = if s.name.is_empty() {
                i18n.t("unassigned")
            } else {
                s.name.clone()
            };
            site_row(name, s.tally.enrolled_active, s.tally.ratios(), Some(i))
        })
        .collect();
    rows.push(
        site_row(
            i18n.t("progress-total"),
            t.enrolled_active,
            t.ratios(),
            None,
        )
        .style(theme.title),
    );
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(theme.title))
        .row_highlight_style(theme.selected)
        .block(
            Block::default()
                .borders(Borders::TOP)
                .title(i18n.t("progress-by-site")),
        );
    let mut state = TableState::default().with_selected(Some(v.selected));
    StatefulWidget::render(table, table_area, buf, &mut state);

    // The numbers behind the selected site's percentages.
    if let Some(site) = v.sites.get(v.selected) {
        let parts: Vec<String> = site
            .tally
            .ratios()
            .iter()
            .map(|(key, r, _)| format!("{} {}", i18n.t(&format!("{key}-short")), ratio(i18n, *r)))
            .collect();
        let name = if site.name.is_empty() {
            i18n.t("unassigned")
        } else {
            site.name.clone()
        };
        Paragraph::new(vec![
            Line::styled(name, theme.title),
            Line::from(parts.join(" · ")),
        ])
        .wrap(ratatui::widgets::Wrap { trim: true })
        .block(Block::default().borders(Borders::TOP))
        .render(detail_area, buf);
    }
}
