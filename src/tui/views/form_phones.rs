//! The call form's phone line: both numbers, main first, each labelled, the one to dial bold and
//! a main number reported invalid said so (the rule is `domain::phone_choice`).

use crate::domain::phone_choice::{PhoneChoice, number_to_dial};
use crate::tui::app::App;
use crate::tui::call_form::CallInfo;
use ratatui::style::Modifier;
use ratatui::text::Span;

/// "main +7 … · second 8 …": the number `number_to_dial` picks in bold, never cut.
pub fn spans(app: &App, info: &CallInfo) -> Vec<Span<'static>> {
    let i18n = &app.ctx.i18n;
    let theme = &app.ctx.theme;
    let [main, second] = &info.slots;
    let choice = number_to_dial(main.as_deref(), second.as_deref(), info.main_invalid);
    let Some((_, choice)) = choice else {
        return vec![Span::styled(i18n.t("no-phone"), theme.urgent)];
    };
    let dial = theme.key.add_modifier(Modifier::BOLD);
    let mut out = Vec::new();
    match main {
        Some(m) => {
            out.push(Span::styled(
                format!("{} ", i18n.t("phone-main-short")),
                theme.dim,
            ));
            let style = if choice == PhoneChoice::Main {
                dial
            } else {
                theme.urgent
            };
            out.push(Span::styled(m.clone(), style));
            if info.main_invalid {
                out.push(Span::styled(
                    format!(" ({})", i18n.t("phone-reported-invalid")),
                    theme.urgent,
                ));
            }
        }
        None => out.push(Span::styled(
            format!("{} —", i18n.t("phone-main-short")),
            theme.dim,
        )),
    }
    if let Some(s) = second {
        out.push(Span::styled(
            format!(" · {} ", i18n.t("phone-second-short")),
            theme.dim,
        ));
        let style = if choice == PhoneChoice::Main {
            theme.text
        } else {
            dial
        };
        out.push(Span::styled(s.clone(), style));
    }
    out
}
