//! Drawing: `impl Widget for &App`. Views borrow the state and never change it, never do I/O.

mod budget;
mod budget_waterfall;
mod card;
mod card_results;
mod form;
mod form_phones;
mod help;
mod patients;
mod phone_cell;
mod picker;
mod progress;
mod readmissions;
mod widgets;
mod worklist;

use super::action::Action;
use super::app::{App, Question, Severity, Tab};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

/// The footer's hints per context: the actions worth a reminder, in order.
fn hint_actions(app: &App) -> &'static [Action] {
    if app.card.is_some() {
        return &[
            Action::LogCall,
            Action::NextPatient,
            Action::PrevPatient,
            Action::EditPhone,
            Action::CorrectCall,
            Action::Assign,
            Action::Back,
            Action::Help,
        ];
    }
    match app.tab {
        Tab::Worklist => &[
            Action::LogCall,
            Action::Open,
            Action::NextSection,
            Action::Search,
            Action::Filter,
            Action::FilterSite,
            Action::FilterReason,
            Action::FilterProgram,
            Action::CallSheet,
            Action::Help,
            Action::Quit,
        ],
        Tab::Patients => &[
            Action::Search,
            Action::Open,
            Action::LogCall,
            Action::PageDown,
            Action::NextTab,
            Action::Help,
            Action::Quit,
        ],
        Tab::Readmissions => &[
            Action::Open,
            Action::LogCall,
            Action::ToggleView,
            Action::NextTab,
            Action::Help,
            Action::Quit,
        ],
        Tab::Budget => &[
            Action::Down,
            Action::Decrease,
            Action::Increase,
            Action::ResetWhatIf,
            Action::NextTab,
            Action::Help,
            Action::Quit,
        ],
        // The tab's own hint line already shows open, sort, view and the filters.
        Tab::Progress => &[Action::NextTab, Action::Help, Action::Quit],
    }
}

/// True when a window of this size is too small to draw anything but a note saying so (while it
/// is, no key acts: see `App::resize`).
pub fn too_small(width: u16, height: u16) -> bool {
    width < 20 || height < 6
}

impl Widget for &App {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let theme = &self.ctx.theme;
        buf.set_style(area, theme.text);
        if too_small(area.width, area.height) {
            Paragraph::new(self.ctx.i18n.t("too-small"))
                .wrap(ratatui::widgets::Wrap { trim: true })
                .render(area, buf);
            return;
        }
        let [header, tabs, body, footer] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Min(1),
            Constraint::Length(1),
        ])
        .areas(area);
        self.render_header(header, buf);
        self.render_tabs(tabs, buf);
        // The call and phone forms dock under the list (or the card), which stays in sight
        // above them with the patient called still selected.
        let docked = match (&self.form, &self.phone_form) {
            (Some(f), _) => Some(form::height(self, f, body.width)),
            (None, Some(pf)) => Some(form::phone_height(pf)),
            _ => None,
        };
        let (body, dock) = match docked {
            Some(h) => {
                let h = h.min(body.height);
                let [list, dock] =
                    Layout::vertical([Constraint::Min(0), Constraint::Length(h)]).areas(body);
                (list, Some(dock))
            }
            None => (body, None),
        };
        match self.tab {
            Tab::Worklist => worklist::render(self, body, buf),
            Tab::Patients => patients::render(self, body, buf),
            Tab::Readmissions => readmissions::render(self, body, buf),
            Tab::Budget => budget::render(self, body, buf),
            Tab::Progress => progress::render(self, body, buf),
        }
        if let Some(card) = &self.card {
            card::render(self, card, body, buf);
        }
        self.render_footer(footer, buf);
        if let (Some(form), Some(dock)) = (&self.form, dock) {
            form::render(self, form, dock, buf);
        }
        if let Some(picker) = &self.picker {
            picker::render(self, picker, area, buf);
        }
        if let (None, Some(pf), Some(dock)) = (&self.form, &self.phone_form, dock) {
            form::render_phone(self, pf, dock, buf);
        }
        if let Some(pf) = &self.palliative_form {
            form::render_palliative(self, pf, area, buf);
        }
        if self.help {
            help::render(self, area, buf);
        }
        if let Some(question) = &self.question {
            self.render_question(question, area, buf);
        }
    }
}

impl App {
    fn render_question(&self, question: &Question, area: Rect, buf: &mut Buffer) {
        let i18n = &self.ctx.i18n;
        let theme = &self.ctx.theme;
        let text = match question {
            Question::QuitUnsaved => i18n.t("question-quit-unsaved"),
            Question::RestoreStatus(_, name) => {
                i18n.t_args("question-restore-status", &[("name", name.as_str().into())])
            }
            Question::SetPalliative(_, name, date) => i18n.t_args(
                "question-palliative-set",
                &[
                    ("name", name.as_str().into()),
                    ("date", i18n.fmt.date(*date).as_str().into()),
                ],
            ),
            Question::ClearPalliative(_, name, date) => i18n.t_args(
                "question-palliative-clear",
                &[
                    ("name", name.as_str().into()),
                    ("date", i18n.fmt.date(*date).as_str().into()),
                ],
            ),
        };
        // 54 columns inside the frame; words wrap, so a row holds about 50 characters.
        let rows = (widgets::width(&text) as u16).div_ceil(50).max(1);
        let popup = widgets::centered(area, 56, rows + 3);
        ratatui::widgets::Clear.render(popup, buf);
        Paragraph::new(vec![
            Line::styled(text, theme.urgent),
            Line::styled(i18n.t("question-hint"), theme.key),
        ])
        .wrap(ratatui::widgets::Wrap { trim: true })
        .block(
            ratatui::widgets::Block::default()
                .borders(ratatui::widgets::Borders::ALL)
                .title(Span::styled(
                    format!(" {} ", i18n.t("question-title")),
                    theme.title,
                )),
        )
        .render(popup, buf);
    }
}

impl App {
    fn render_header(&self, area: Rect, buf: &mut Buffer) {
        let i18n = &self.ctx.i18n;
        let theme = &self.ctx.theme;
        buf.set_style(area, theme.bar);
        let date = i18n.fmt.date(self.ctx.clock.get().as_of);
        let when = if self.ctx.clock.get().is_fixed() {
            i18n.t_args("header-as-of", &[("date", date.as_str().into())])
        } else {
            date
        };
        let right = format!("{when} · {} ", self.ctx.config.user());
        let left = format!(" acodesk · {}", self.ctx.pilot_name());
        let sync = self.sync_indicator();
        let sync_width = sync
            .as_ref()
            .map_or(0, |(text, _)| widgets::width(text) as u16 + 3);
        let right_width = widgets::width(&right) as u16 + sync_width;
        let left_area = Rect {
            width: area.width.saturating_sub(right_width + 1),
            ..area
        };
        Paragraph::new(widgets::truncate(&left, left_area.width as usize))
            .style(theme.bar)
            .render(left_area, buf);
        if right_width < area.width {
            let r = Rect {
                x: area.x + area.width - right_width,
                width: right_width,
                ..area
            };
            let mut spans = Vec::new();
            if let Some((text, style)) = sync {
                spans.push(Span::styled(format!(" {text} "), style));
                spans.push(Span::styled(" ", theme.bar));
            }
            spans.push(Span::styled(right, theme.bar));
            Paragraph::new(Line::from(spans))
                .style(theme.bar)
                .render(r, buf);
        }
    }

    /// The header's sync indicator: the last sync's age and the unsent changes, amber when the
    /// last sync is older than the warning age, red past the alert age or never.
    fn sync_indicator(&self) -> Option<(String, Style)> {
        use crate::sync::status::Freshness;
        let badge = self.sync.as_ref()?;
        let i18n = &self.ctx.i18n;
        let unsent = ("unsent", badge.unsent.into());
        let text = match badge.days {
            Some(days) => i18n.t_args("sync-header", &[("days", days.into()), unsent]),
            None => i18n.t_args("sync-header-never", &[unsent]),
        };
        let theme = &self.ctx.theme;
        let style = match badge.freshness {
            Freshness::Fresh => theme.bar,
            Freshness::Stale => theme.warn.add_modifier(ratatui::style::Modifier::REVERSED),
            Freshness::Overdue => theme
                .urgent
                .add_modifier(ratatui::style::Modifier::REVERSED),
        };
        Some((text, style))
    }

    fn render_tabs(&self, area: Rect, buf: &mut Buffer) {
        let theme = &self.ctx.theme;
        let mut spans = Vec::new();
        for (i, tab) in Tab::ALL.iter().enumerate() {
            let style = if *tab == self.tab {
                theme.tab_active
            } else {
                theme.dim
            };
            spans.push(Span::styled(format!(" {} ", i + 1), theme.key));
            spans.push(Span::styled(self.ctx.i18n.t(tab.title_key()), style));
            spans.push(Span::raw(" "));
        }
        Paragraph::new(Line::from(spans)).render(area, buf);
    }

    fn render_footer(&self, area: Rect, buf: &mut Buffer) {
        let theme = &self.ctx.theme;
        if let Some((message, severity)) = &self.status {
            let style = match severity {
                Severity::Info => theme.good,
                Severity::Error => theme.urgent,
            };
            // The message takes the room it needs (the key hints give way): a sentence that
            // explains a refusal must be read whole.
            let width = (widgets::width(message) + 2).min(area.width as usize) as u16;
            let status_area = Rect {
                x: area.x + area.width - width,
                width,
                ..area
            };
            let hints_area = Rect {
                width: area.width - width,
                ..area
            };
            self.render_hints(hints_area, buf);
            Paragraph::new(widgets::truncate(message, width as usize))
                .style(style)
                .render(status_area, buf);
        } else {
            self.render_hints(area, buf);
        }
    }

    fn render_hints(&self, area: Rect, buf: &mut Buffer) {
        let theme = &self.ctx.theme;
        let mut spans: Vec<Span> = Vec::new();
        let mut used = 0usize;
        for action in hint_actions(self) {
            let Some(key) = self.ctx.keymap.hint(*action) else {
                continue;
            };
            let label = self.ctx.i18n.t(action.label_key());
            let piece = widgets::width(&key) + widgets::width(&label) + 3;
            if used + piece > area.width as usize {
                break;
            }
            used += piece;
            spans.push(Span::styled(format!(" {key}"), theme.key));
            spans.push(Span::styled(format!(" {label} "), Style::default()));
        }
        Paragraph::new(Line::from(spans))
            .style(theme.dim)
            .render(area, buf);
    }
}
