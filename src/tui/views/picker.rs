//! The nurse picker popup (managers assigning patients).

use super::widgets::centered;
use crate::tui::app::App;
use crate::tui::picker::NursePicker;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget};

/// Draws the picker centred over `area`.
pub fn render(app: &App, picker: &NursePicker, area: Rect, buf: &mut Buffer) {
    let i18n = &app.ctx.i18n;
    let theme = &app.ctx.theme;
    let height = picker.nurses.len() as u16 + 5;
    let popup = centered(area, 64, height);
    Clear.render(popup, buf);
    let mut lines: Vec<Line> = picker
        .nurses
        .iter()
        .enumerate()
        .map(|(i, (_, name, _))| {
            let style = if i == picker.selected {
                theme.selected
            } else {
                theme.text
            };
            Line::styled(format!(" {name} "), style)
        })
        .collect();
    lines.push(Line::from(""));
    lines.push(Line::styled(i18n.t("picker-hint-one"), theme.dim));
    if picker.site_id.is_some() {
        lines.push(Line::from(vec![
            Span::styled("s ", theme.key),
            Span::styled(
                i18n.t_args(
                    "picker-hint-site",
                    &[("site", picker.site_name.as_str().into())],
                ),
                theme.dim,
            ),
        ]));
    }
    let title = format!(" {} — {} ", i18n.t("picker-title"), picker.patient_name);
    Paragraph::new(lines)
        .block(
            Block::default()
                .borders(Borders::ALL)
                .title(Span::styled(title, theme.title)),
        )
        .render(popup, buf);
}
