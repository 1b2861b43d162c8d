//! The phone line of the call form and the card: both numbers, main first, each labelled, the one to dial bold and
//! a main number reported invalid said so (the rule is `domain::phone_choice`).

use crate::domain::phone_choice::{PhoneChoice, number_to_dial};
use crate::tui::app::App;
use ratatui::style::Modifier;
use ratatui::text::Span;

/// "main +7 … · second 8 …": the number `number_to_dial` picks in bold, never cut.
/// `slots`: the main and the second number as the register holds them; `main_invalid`: the main
/// one was reported invalid and not changed since.
pub fn spans(app: &App, slots: &[Option<String>; 2], main_invalid: bool) -> Vec<Span<'static>> {
    let i18n = &app.ctx.i18n;
    let theme = &app.ctx.theme;
    let [main, second] = slots;
    let choice = number_to_dial(main.as_deref(), second.as_deref(), main_invalid);
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
            if main_invalid {
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
