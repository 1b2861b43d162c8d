//! A screen shown while slow first-time work runs (building the demo register), so the first
//! frame appears at once instead of after several seconds of a blank terminal.

use color_eyre::eyre::{Result, eyre};
use crossterm::event::{self, Event, KeyCode, KeyModifiers};
use ratatui::layout::{Constraint, Layout};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph};
use std::time::{Duration, Instant};

/// Runs `work` on a thread while the terminal shows `message` with the seconds elapsed. `q`, Esc
/// or ctrl-c gives up (the work leaves nothing half-made behind: it builds beside its target).
pub fn while_preparing<T: Send + 'static>(
    message: &str,
    hint: &str,
    work: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    let handle = std::thread::spawn(work);
    let mut terminal = ratatui::init();
    let started = Instant::now();
    let mut cancelled = false;
    while !handle.is_finished() {
        let seconds = started.elapsed().as_secs();
        let _ = terminal.draw(|frame| {
            let [_, middle, _] = Layout::vertical([
                Constraint::Fill(1),
                Constraint::Length(5),
                Constraint::Fill(1),
            ])
            .areas(frame.area());
            let text = vec![
                Line::from(format!("{message} {seconds} s")),
                Line::from(""),
                Line::from(hint.to_string()),
            ];
            frame.render_widget(
                Paragraph::new(text)
                    .centered()
                    .block(Block::default().borders(Borders::ALL).title(" acodesk ")),
                middle,
            );
        });
        if event::poll(Duration::from_millis(200)).unwrap_or(false) {
            if let Ok(Event::Key(k)) = event::read() {
                let ctrl_c =
                    k.code == KeyCode::Char('c') && k.modifiers.contains(KeyModifiers::CONTROL);
                if matches!(k.code, KeyCode::Char('q') | KeyCode::Esc) || ctrl_c {
                    cancelled = true;
                    break;
                }
            }
        }
    }
    ratatui::restore();
    if cancelled {
        return Err(eyre!(
            "stopped before the demo register was ready; nothing was left half-made"
        ));
    }
    handle
        .join()
        .map_err(|_| eyre!("the preparation failed unexpectedly"))?
}
