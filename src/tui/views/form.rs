//! The call form popup.

use super::widgets::centered;
use crate::domain::types::CallOutcome;
use crate::tui::app::App;
use crate::tui::call_form::{CallForm, Field, OUTCOME_KEYS};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget, Wrap};

/// Draws the form centred over `area`.
pub fn render(app: &App, form: &CallForm, area: Rect, buf: &mut Buffer) {
    let i18n = &app.ctx.i18n;
    let theme = &app.ctx.theme;
    let note_lines = form.note.lines().count().max(1) as u16;
    // Lines that wrap at the popup's width take their rows: the date field's hint and an error.
    let inner = usize::from(area.width.min(64).saturating_sub(2)).max(1);
    let rows = |text: &str| super::widgets::width(text).max(1).div_ceil(inner) as u16;
    let date_hint =
        (form.focus == Field::Date).then(|| format!("  {}", crate::tui::date_field::hint(i18n)));
    let mut extra = if form.confirming { 2 } else { 0 };
    extra += date_hint.as_deref().map_or(0, rows);
    if !form.confirming {
        extra += form.error.as_deref().map_or(1, rows) - 1;
    }
    let popup = centered(area, 64, OUTCOME_KEYS.len() as u16 + 9 + note_lines + extra);
    Clear.render(popup, buf);
    let title = format!(" {} — {} ", i18n.t("form-title"), form.patient_name);
    let focus_style = |f: Field| {
        if form.focus == f {
            theme.key
        } else {
            theme.dim
        }
    };
    // What the nurse dials and says, above the outcomes: phones (never cut), why, the last call.
    let phones = match &form.info {
        None => i18n.t("loading"),
        Some(info) if info.phones.is_empty() => i18n.t("no-phone"),
        Some(info) => info.phones.join(" · "),
    };
    let why: Vec<String> = form
        .why
        .iter()
        .map(|r| super::worklist::reason_short(app, *r))
        .collect();
    let last = match form.info.as_ref().and_then(|i| i.last_call.as_ref()) {
        Some((outcome, at)) => format!(
            "{}, {}",
            i18n.t(&format!("outcome-{}", outcome.as_code())),
            crate::domain::dates::date_of_timestamp(at)
                .map(|d| i18n.fmt.date(d))
                .unwrap_or_default()
        ),
        None if form.info.is_some() => i18n.t("no-calls"),
        None => String::new(),
    };
    let inner_width = popup.width.saturating_sub(2) as usize;
    let mut lines = vec![
        Line::from(vec![
            Span::styled(format!("{}: ", i18n.t("form-phones")), theme.dim),
            Span::styled(phones, theme.key.add_modifier(Modifier::BOLD)),
        ]),
        Line::from(vec![
            Span::styled(format!("{}: ", i18n.t("form-why")), theme.dim),
            Span::raw(super::widgets::truncate(
                &why.join(", "),
                inner_width.saturating_sub(super::widgets::width(&i18n.t("form-why")) + 2),
            )),
        ]),
        Line::from(vec![
            Span::styled(format!("{}: ", i18n.t("form-last-call")), theme.dim),
            Span::raw(last),
        ]),
        Line::styled(i18n.t("form-outcome"), focus_style(Field::Outcome)),
    ];
    for (key, outcome) in OUTCOME_KEYS {
        let chosen = form.outcome == Some(*outcome);
        let marker = if chosen { "●" } else { " " };
        let style = if chosen { theme.selected } else { theme.text };
        lines.push(Line::from(vec![
            Span::styled(format!(" {marker} "), theme.good),
            Span::styled(format!("[{key}] "), theme.key),
            Span::styled(i18n.t(&format!("outcome-{}", outcome.as_code())), style),
        ]));
    }
    let takes_date = form.outcome.is_some_and(|o| o.takes_date());
    let cursor = |f: Field| if form.focus == f { "▏" } else { "" };
    let date_label = if form.outcome == Some(CallOutcome::Died) {
        i18n.t("form-death-date")
    } else if takes_date {
        i18n.t("form-date")
    } else {
        i18n.t("form-date-none")
    };
    let mut date_line = vec![Span::styled(
        format!("{date_label}: "),
        focus_style(Field::Date),
    )];
    date_line.extend(crate::tui::date_field::spans(
        &form.date,
        i18n,
        theme,
        form.focus == Field::Date,
    ));
    lines.push(Line::from(date_line));
    if let Some(hint) = date_hint {
        lines.push(Line::styled(hint, theme.dim));
    }
    lines.push(Line::styled(
        format!("{}:", i18n.t("form-note")),
        focus_style(Field::Note),
    ));
    let note = format!("{}{}", form.note, cursor(Field::Note));
    for l in note.lines() {
        lines.push(Line::from(format!("  {l}")));
    }
    if form.confirming {
        let question = match form.outcome {
            Some(CallOutcome::Died) => {
                let date = form
                    .next_date()
                    .ok()
                    .flatten()
                    .map_or_else(|| i18n.t("form-death-date-unknown"), |d| i18n.fmt.date(d));
                i18n.t_args(
                    "form-confirm-died",
                    &[
                        ("name", form.patient_name.as_str().into()),
                        ("date", date.as_str().into()),
                    ],
                )
            }
            _ => i18n.t_args(
                "form-confirm-moved",
                &[("name", form.patient_name.as_str().into())],
            ),
        };
        lines.push(Line::styled(question, theme.urgent));
        lines.push(Line::styled(i18n.t("form-confirm-hint"), theme.key));
    } else if let Some(e) = &form.error {
        lines.push(Line::styled(e.clone(), theme.urgent));
    } else if form.saving {
        lines.push(Line::styled(i18n.t("form-saving"), theme.dim));
    } else {
        lines.push(Line::styled(i18n.t("form-hint"), theme.dim));
    }
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .block(
            Block::default()
                .borders(Borders::ALL)
                .title(Span::styled(title, theme.title)),
        )
        .render(popup, buf);
}

/// Draws the phone form centred over `area`.
pub fn render_phone(
    app: &App,
    form: &crate::tui::phone_form::PhoneForm,
    area: Rect,
    buf: &mut Buffer,
) {
    use crate::store::phones::WhichPhone;
    let i18n = &app.ctx.i18n;
    let theme = &app.ctx.theme;
    let popup = centered(area, 56, 7);
    Clear.render(popup, buf);
    let title = format!(" {} — {} ", i18n.t("phone-form-title"), form.patient_name);
    let label = match form.which {
        WhichPhone::First => i18n.t("phone-form-main"),
        WhichPhone::Second => i18n.t("phone-form-second"),
    };
    let mut lines = vec![Line::from(vec![
        Span::styled(format!("{label}: "), theme.key),
        Span::styled(
            format!("{}▏", form.text),
            theme.text.add_modifier(Modifier::BOLD),
        ),
    ])];
    if form.invalid {
        lines.push(Line::styled(i18n.t("phone-form-invalid"), theme.urgent));
    }
    lines.push(Line::styled(i18n.t("phone-form-hint"), theme.dim));
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .block(
            Block::default()
                .borders(Borders::ALL)
                .title(Span::styled(title, theme.title)),
        )
        .render(popup, buf);
}
