//! The help overlay: every binding of the keymap, generated from it, plus the call form's keys.

use super::widgets::centered;
use crate::tui::action::Action;
use crate::tui::app::App;
use crate::tui::call_form::OUTCOME_KEYS;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget, Wrap};

const TAB_JUMPS: [Action; 5] = [
    Action::TabWorklist,
    Action::TabPatients,
    Action::TabReadmissions,
    Action::TabBudget,
    Action::TabProgress,
];

/// Draws the help overlay over `area`: bindings on the left, the call form on the right.
pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let i18n = &app.ctx.i18n;
    let theme = &app.ctx.theme;
    let popup = centered(area, 100, area.height.saturating_sub(1).max(6));
    Clear.render(popup, buf);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(format!(" {} ", i18n.t("help-title")));
    let inner = block.inner(popup);
    block.render(popup, buf);
    let row_with = |key_width: usize, keys: String, text: String| {
        Line::from(vec![
            Span::styled(format!("{keys:>key_width$} "), theme.key),
            Span::raw(text),
        ])
    };
    let row = |keys: String, text: String| row_with(11, keys, text);
    let form_row = |keys: String, text: String| row_with(9, keys, text);
    let mut left = Vec::new();
    for (action, keys) in app.ctx.keymap.all() {
        if TAB_JUMPS.contains(&action) {
            continue;
        }
        let keys: Vec<String> = keys.iter().map(|k| k.label()).collect();
        left.push(row(keys.join(" "), i18n.t(action.label_key())));
    }
    let jumps: Vec<String> = TAB_JUMPS
        .iter()
        .filter_map(|a| app.ctx.keymap.hint(*a))
        .collect();
    left.push(row(jumps.join(""), i18n.t("help-tab-jumps")));

    let mut right = Vec::new();
    if app.tab == crate::tui::app::Tab::Readmissions {
        // On the Readmissions tab: what the LACE score on each open window means.
        right.extend(lace_lines(app));
        right.push(Line::from(""));
    }
    right.push(Line::styled(i18n.t("help-form-title"), theme.title));
    for (key, outcome) in OUTCOME_KEYS {
        right.push(form_row(
            key.to_string(),
            i18n.t(&format!("outcome-{}", outcome.as_code())),
        ));
    }
    right.push(form_row("Tab".into(), i18n.t("help-form-tab")));
    // The date field (tui/date_field.rs): digits fill the mask, these move or pick the date.
    right.push(form_row("+ -".into(), i18n.t("help-form-date-day")));
    right.push(form_row("PgDn PgUp".into(), i18n.t("help-form-date-week")));
    let picks: Vec<String> = crate::tui::date_field::QUICK_PICKS
        .iter()
        .map(|(k, _, _)| k.to_string())
        .collect();
    right.push(form_row(picks.join(" "), i18n.t("help-form-date-picks")));
    right.push(form_row("Enter".into(), i18n.t("help-form-enter")));
    right.push(form_row("alt-Enter".into(), i18n.t("help-form-newline")));
    right.push(form_row("Esc".into(), i18n.t("help-form-esc")));
    right.push(Line::from(""));
    right.push(Line::styled(i18n.t("help-keymap-file"), theme.dim));

    // Taller than the window (80×24): ↓/↑/PgDn/PgUp scroll, clamped so the last line stays in
    // view; the bottom border says when there is more below.
    let scroll_for = |lines: usize| -> u16 {
        let max = lines.saturating_sub(inner.height as usize) as u16;
        app.help_scroll.min(max)
    };
    let below;
    if inner.width >= 70 {
        let [l, r] = Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)])
            .areas(inner);
        let scroll = scroll_for(left.len().max(right.len()));
        below = (scroll as usize + inner.height as usize) < left.len().max(right.len());
        Paragraph::new(left).scroll((scroll, 0)).render(l, buf);
        Paragraph::new(right)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0))
            .render(r, buf);
    } else {
        left.push(Line::from(""));
        left.extend(right);
        let scroll = scroll_for(left.len());
        below = (scroll as usize + inner.height as usize) < left.len();
        Paragraph::new(left)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0))
            .render(inner, buf);
    }
    if below {
        let hint = format!(" {} ", i18n.t("help-more"));
        let width = super::widgets::width(&hint) as u16;
        let x = popup.x + popup.width.saturating_sub(width + 2);
        buf.set_string(x, popup.y + popup.height.saturating_sub(1), hint, theme.key);
    }
}

/// LACE said plainly (van Walraven et al., CMAJ 2010;182(6):551–557, the index's points table):
/// what each letter scores, the high-risk threshold the tab flags (the one constant,
/// [`crate::domain::lace::DEFAULT_HIGH_RISK_THRESHOLD`]) and where the parts come from.
fn lace_lines(app: &App) -> Vec<Line<'static>> {
    let i18n = &app.ctx.i18n;
    let theme = &app.ctx.theme;
    let mut lines = vec![Line::styled(i18n.t("help-lace-title"), theme.title)];
    for (letter, key) in [
        ("L", "help-lace-l"),
        ("A", "help-lace-a"),
        ("C", "help-lace-c"),
        ("E", "help-lace-e"),
    ] {
        lines.push(Line::from(vec![
            Span::styled(format!("{letter:>9} "), theme.key),
            Span::raw(i18n.t(key)),
        ]));
    }
    let threshold = i64::from(crate::domain::lace::DEFAULT_HIGH_RISK_THRESHOLD);
    lines.push(Line::from(
        i18n.t_args("help-lace-threshold", &[("threshold", threshold.into())]),
    ));
    lines.push(Line::styled(i18n.t("help-lace-source"), theme.dim));
    lines
}
