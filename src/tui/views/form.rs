//! The call form popup.

use crate::domain::types::CallOutcome;
use crate::tui::app::App;
use crate::tui::call_form::{CallForm, Field, OUTCOME_KEYS};
use crate::tui::views::widgets::centered;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget, Wrap};

/// The rows the call form needs at `width` columns (borders included), so the screen can give
/// it that much below the list and keep the list in sight.
pub fn height(app: &App, form: &CallForm, width: u16) -> u16 {
    let inner = width.saturating_sub(2).max(1) as usize;
    let rows: usize = lines(app, form, inner)
        .iter()
        .map(|l| l.width().max(1).div_ceil(inner))
        .sum();
    (rows + 2).min(u16::MAX as usize) as u16
}

/// Draws the form into `area` (docked under the list: see `views::render`).
pub fn render(app: &App, form: &CallForm, area: Rect, buf: &mut Buffer) {
    let i18n = &app.ctx.i18n;
    let theme = &app.ctx.theme;
    Clear.render(area, buf);
    let title = format!(" {} — {} ", i18n.t("form-title"), form.patient_name);
    let inner = area.width.saturating_sub(2).max(1) as usize;
    Paragraph::new(lines(app, form, inner))
        .wrap(Wrap { trim: false })
        .block(
            Block::default()
                .borders(Borders::ALL)
                .title(Span::styled(title, theme.title)),
        )
        .render(area, buf);
}

/// The form's lines for a width of `inner_width` columns inside the borders.
fn lines(app: &App, form: &CallForm, inner_width: usize) -> Vec<Line<'static>> {
    let i18n = &app.ctx.i18n;
    let theme = &app.ctx.theme;
    let focus_style = |f: Field| {
        if form.focus == f {
            theme.key
        } else {
            theme.dim
        }
    };
    // What the nurse dials and says, above the outcomes: phones (never cut), why, the last call.
    let mut phone_line = vec![Span::styled(
        format!("{}: ", i18n.t("form-phones")),
        theme.dim,
    )];
    match &form.info {
        None => phone_line.push(Span::raw(i18n.t("loading"))),
        Some(info) => phone_line.extend(super::form_phones::spans(
            app,
            &info.slots,
            info.main_invalid,
        )),
    }
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
    let mut lines = vec![
        Line::from(phone_line),
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
    // The outcomes in two columns when they fit side by side (four rows instead of eight), so
    // the form leaves the list in sight at 80×24.
    let cells: Vec<Vec<Span<'static>>> = OUTCOME_KEYS
        .iter()
        .map(|(key, outcome)| {
            let chosen = form.outcome == Some(*outcome);
            let marker = if chosen { "●" } else { " " };
            let style = if chosen { theme.selected } else { theme.text };
            vec![
                Span::styled(format!(" {marker} "), theme.good),
                Span::styled(format!("[{key}] "), theme.key),
                Span::styled(i18n.t(&format!("outcome-{}", outcome.as_code())), style),
            ]
        })
        .collect();
    let cell_width = |c: &Vec<Span>| c.iter().map(|s| s.width()).sum::<usize>();
    let widest = cells.iter().map(cell_width).max().unwrap_or(0);
    let half = cells.len().div_ceil(2);
    if 2 * (widest + 1) <= inner_width {
        for i in 0..half {
            let mut row = cells[i].clone();
            if let Some(right) = cells.get(i + half) {
                row.push(Span::raw(" ".repeat(widest + 1 - cell_width(&cells[i]))));
                row.extend(right.iter().cloned());
            }
            lines.push(Line::from(row));
        }
    } else {
        lines.extend(cells.into_iter().map(Line::from));
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
    // The date keys (typed digits, +/-, PgUp/PgDn, quick picks) while the date has the focus.
    if form.focus == Field::Date {
        lines.push(Line::styled(
            format!("  {}", crate::tui::date_field::hint(i18n)),
            theme.dim,
        ));
    }
    // The note starts beside its label (one row fewer, the list keeps it).
    let note = format!("{}{}", form.note, cursor(Field::Note));
    for (i, l) in note.lines().enumerate() {
        if i == 0 {
            lines.push(Line::from(vec![
                Span::styled(
                    format!("{}: ", i18n.t("form-note")),
                    focus_style(Field::Note),
                ),
                Span::raw(l.to_string()),
            ]));
        } else {
            lines.push(Line::from(format!("  {l}")));
        }
    }
    if note.is_empty() {
        lines.push(Line::styled(
            format!("{}: ", i18n.t("form-note")),
            focus_style(Field::Note),
        ));
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
    lines
}

/// The rows the phone form needs (borders included; its lines are short enough not to wrap
/// at 80 columns but for the refusal, counted as two).
pub fn phone_height(form: &crate::tui::phone_form::PhoneForm) -> u16 {
    if form.invalid { 7 } else { 5 }
}

/// Draws the phone form into `area` (docked under the list like the call form).
pub fn render_phone(
    app: &App,
    form: &crate::tui::phone_form::PhoneForm,
    area: Rect,
    buf: &mut Buffer,
) {
    use crate::store::phones::WhichPhone;
    let i18n = &app.ctx.i18n;
    let theme = &app.ctx.theme;
    Clear.render(area, buf);
    let title = format!(" {} — {} ", i18n.t("phone-form-title"), form.patient_name);
    let label = match form.which {
        WhichPhone::First => i18n.t("phone-form-main"),
        WhichPhone::Second => i18n.t("phone-form-second"),
    };
    let now = |i: usize| form.current[i].clone().unwrap_or_else(|| "—".into());
    let mut lines = vec![
        Line::styled(
            i18n.t_args(
                "phone-form-current",
                &[
                    ("main", now(0).as_str().into()),
                    ("second", now(1).as_str().into()),
                ],
            ),
            theme.dim,
        ),
        Line::from(vec![
            Span::styled(format!("{label}: "), theme.key),
            Span::styled(
                format!("{}▏", form.text),
                theme.text.add_modifier(Modifier::BOLD),
            ),
        ]),
    ];
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
        .render(area, buf);
}

/// Draws the hospice / palliative care form centred over `area`.
pub fn render_palliative(
    app: &App,
    form: &crate::tui::palliative_form::PalliativeForm,
    area: Rect,
    buf: &mut Buffer,
) {
    let i18n = &app.ctx.i18n;
    let theme = &app.ctx.theme;
    let popup = centered(area, 56, 7);
    Clear.render(popup, buf);
    let title = format!(
        " {} — {} ",
        i18n.t("palliative-form-title"),
        form.patient_name
    );
    let mut lines = vec![Line::from(vec![
        Span::styled(format!("{}: ", i18n.t("palliative-form-date")), theme.key),
        Span::styled(
            format!("{}▏", form.text),
            theme.text.add_modifier(Modifier::BOLD),
        ),
    ])];
    if form.invalid {
        lines.push(Line::styled(
            i18n.t("palliative-form-invalid"),
            theme.urgent,
        ));
    }
    lines.push(Line::styled(i18n.t("palliative-form-hint"), theme.dim));
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .block(
            Block::default()
                .borders(Borders::ALL)
                .title(Span::styled(title, theme.title)),
        )
        .render(popup, buf);
}
