//! A phone in a table cell: never cut (the column is as wide as the widest number on screen),
//! and marked when it is not the plain main number (see `domain::phone_choice`).

use super::widgets::width;
use crate::domain::phone_choice::PhoneChoice;
use crate::tui::app::App;
use ratatui::text::Span;

/// The cell's text and style: the number (or "no phone"); a second number shown because the
/// main one was reported invalid is amber, a main number reported invalid with nothing else red.
pub fn cell(app: &App, phone: Option<&str>, choice: Option<PhoneChoice>) -> Span<'static> {
    let theme = &app.ctx.theme;
    match phone {
        None => Span::styled(app.ctx.i18n.t("no-phone"), theme.dim),
        Some(n) => {
            let style = match choice {
                Some(PhoneChoice::SecondMainInvalid) => theme.warn,
                Some(PhoneChoice::MainReportedInvalid) => theme.urgent,
                _ => theme.text,
            };
            Span::styled(n.to_string(), style)
        }
    }
}

/// The column's width: the widest of the numbers, "no phone" and the header (at least 16, the
/// width of "+7 961 512-90-12", so the columns do not jump from page to page).
pub fn column_width<'a>(app: &App, phones: impl Iterator<Item = Option<&'a str>>) -> u16 {
    let i18n = &app.ctx.i18n;
    let mut w = width(&i18n.t("col-phone"))
        .max(width(&i18n.t("no-phone")))
        .max(16);
    for p in phones.flatten() {
        w = w.max(width(p));
    }
    w.min(u16::MAX as usize) as u16
}
