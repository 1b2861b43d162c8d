//! The Progress tab's HEARTS panel: the chosen programme's figures as Simple publishes them, per
//! site of the population in force with the total, the catalogue's label of each column below.
//! The figures come from `store::hearts` (the rules of `domain::hearts`), as on
//! `acodesk progress --program`.

use super::middle_truncate;
use crate::tui::app::App;
use crate::tui::app::progress_state::HeartsPanel;
use crate::tui::views::widgets::width;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, Widget, Wrap};

/// Draws the panel into `area`.
pub(super) fn render(app: &App, panel: &HeartsPanel, area: Rect, buf: &mut Buffer) {
    let i18n = &app.ctx.i18n;
    let theme = &app.ctx.theme;
    let Some(answer) = &panel.answer else {
        Paragraph::new(i18n.t("loading"))
            .style(theme.dim)
            .render(area, buf);
        return;
    };
    let Some(b) = &answer.board else {
        Paragraph::new(i18n.t("progress-hearts-none"))
            .style(theme.dim)
            .wrap(Wrap { trim: true })
            .render(area, buf);
        return;
    };
    let lang = match i18n.lang() {
        crate::i18n::Lang::Ru => "ru",
        crate::i18n::Lang::En => "en",
    };
    let figures = b.total.figures();
    let legend: Vec<String> = figures
        .iter()
        .filter_map(|(name, _)| {
            crate::domain::measures::hearts::hearts_measure(name).map(|m| {
                format!(
                    "{} — {}",
                    i18n.t(&format!("hearts-col-{name}")),
                    m.label.get(lang)
                )
            })
        })
        .collect();
    let legend = legend.join("; ");
    // The table takes its rows (title, header, sites, total); the legend what is left.
    let table_height = u16::try_from(b.sites.len() + 3).unwrap_or(u16::MAX);
    let [table_area, legend_area] =
        Layout::vertical([Constraint::Length(table_height), Constraint::Min(0)]).areas(area);
    let board = app.progress_ui.board.as_ref();
    let site_name = |id: &str| -> String {
        if id.is_empty() {
            return i18n.t("unassigned");
        }
        board
            .and_then(|bd| bd.site_options.iter().find(|(o, _)| o == id))
            .map_or_else(|| id.to_string(), |(_, n)| n.clone())
    };
    let labels: Vec<String> = figures
        .iter()
        .map(|(name, _)| i18n.t(&format!("hearts-col-{name}")))
        .collect();
    let column_widths: Vec<u16> = labels.iter().map(|l| (width(l) as u16).max(5)).collect();
    let figures_width: u16 = column_widths.iter().map(|w| w + 1).sum();
    let name_width = area.width.saturating_sub(figures_width).max(8);
    let mut widths = vec![Constraint::Length(name_width)];
    widths.extend(column_widths.iter().map(|w| Constraint::Length(*w)));
    let mut header = vec![Cell::from(i18n.t("col-site"))];
    header.extend(labels.iter().map(|l| Cell::from(l.clone())));
    let row = |name: String, c: &crate::domain::hearts::Counts| -> Row<'static> {
        let mut cells = vec![Cell::from(middle_truncate(&name, name_width as usize))];
        cells.extend(
            c.figures()
                .iter()
                .map(|(_, n)| Cell::from(i18n.fmt.int(*n as i64))),
        );
        Row::new(cells)
    };
    let mut rows: Vec<Row> = b
        .sites
        .iter()
        .map(|(id, c)| row(site_name(id), c))
        .collect();
    rows.push(row(i18n.t("progress-total"), &b.total).style(theme.title));
    let title = i18n.t_args(
        "progress-hearts-panel",
        &[
            ("program", b.name_in(i18n.lang().code()).into()),
            ("as_of", i18n.fmt.date(b.end).as_str().into()),
        ],
    );
    Table::new(rows, widths)
        .header(Row::new(header).style(theme.title))
        .block(Block::default().borders(Borders::TOP).title(title))
        .render(table_area, buf);
    Paragraph::new(Line::styled(legend, theme.dim))
        .wrap(Wrap { trim: true })
        .block(Block::default().borders(Borders::TOP))
        .render(legend_area, buf);
}
