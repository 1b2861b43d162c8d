//! Styles in one place, so views never pick colours themselves; `NO_COLOR` turns colour off.

use ratatui::style::{Color, Modifier, Style};

/// The styles the views draw with.
#[derive(Debug, Clone)]
pub struct Theme {
    /// Plain text.
    pub text: Style,
    /// Less important text (hints, secondary columns).
    pub dim: Style,
    /// Headings and the header bar.
    pub title: Style,
    /// The header bar's background.
    pub bar: Style,
    /// The selected row.
    pub selected: Style,
    /// Urgent items.
    pub urgent: Style,
    /// High-priority items / warnings.
    pub warn: Style,
    /// Good news (savings, targets met).
    pub good: Style,
    /// Key names in hints.
    pub key: Style,
    /// The active tab.
    pub tab_active: Style,
    /// Chart lines: the primary series.
    pub series: Style,
    /// Chart lines: the reference series (budget, target).
    pub reference: Style,
}

impl Theme {
    /// Colours unless `NO_COLOR` is set (https://no-color.org), in which case only bold/reverse.
    pub fn from_env() -> Theme {
        if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
            Theme::monochrome()
        } else {
            Theme::colour()
        }
    }

    /// The colour theme (16 ANSI colours, readable on old terminals and over SSH).
    pub fn colour() -> Theme {
        Theme {
            text: Style::new(),
            dim: Style::new().fg(Color::DarkGray),
            title: Style::new().add_modifier(Modifier::BOLD),
            bar: Style::new().fg(Color::Black).bg(Color::Cyan),
            selected: Style::new().add_modifier(Modifier::REVERSED),
            urgent: Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            warn: Style::new().fg(Color::Yellow),
            good: Style::new().fg(Color::Green),
            key: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            tab_active: Style::new()
                .fg(Color::Cyan)
                .add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            series: Style::new().fg(Color::Cyan),
            reference: Style::new().fg(Color::Yellow),
        }
    }

    /// No colours: emphasis by bold, underline and reverse only.
    pub fn monochrome() -> Theme {
        Theme {
            text: Style::new(),
            dim: Style::new(),
            title: Style::new().add_modifier(Modifier::BOLD),
            bar: Style::new().add_modifier(Modifier::REVERSED),
            selected: Style::new().add_modifier(Modifier::REVERSED),
            urgent: Style::new().add_modifier(Modifier::BOLD),
            warn: Style::new().add_modifier(Modifier::BOLD),
            good: Style::new(),
            key: Style::new().add_modifier(Modifier::BOLD),
            tab_active: Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            series: Style::new(),
            reference: Style::new().add_modifier(Modifier::DIM),
        }
    }
}
