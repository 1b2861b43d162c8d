//! The import's progress bar on stderr: bytes read across all the files of an import, with the
//! file being read. Quiet (nothing drawn, nothing written) when stderr is not a terminal, so
//! scripts, logs and tests see only the summary, and when a full-screen UI owns the terminal (raw
//! mode on: the demo builds its register behind a "preparing" screen).

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::path::Path;

/// Progress through the bytes of the files of one import.
pub struct Progress {
    bar: Option<ProgressBar>,
    /// Bytes of the files finished before the current one.
    done: u64,
    /// The step under way (a file or a stage) and when it started.
    step: Option<(String, std::time::Instant)>,
}

impl Progress {
    /// A bar over the total size of `files` (missing files count as empty), drawn only when
    /// stderr is a terminal.
    pub fn for_files<'a>(files: impl IntoIterator<Item = &'a Path>) -> Progress {
        let total: u64 = files
            .into_iter()
            .filter_map(|p| std::fs::metadata(p).ok())
            .map(|m| m.len())
            .sum();
        let bar = terminal_is_free().then(|| {
            let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
            let style = ProgressStyle::with_template(
                "{spinner} {msg:<19} [{bar:30}] {binary_bytes}/{binary_total_bytes} ({eta})",
            )
            .map(|s| s.progress_chars("=> "))
            .unwrap_or_else(|_| ProgressStyle::default_bar());
            bar.set_style(style);
            bar
        });
        Progress {
            bar,
            done: 0,
            step: None,
        }
    }

    /// A progress that draws nothing (for callers that report progress themselves).
    pub fn hidden() -> Progress {
        Progress {
            bar: None,
            done: 0,
            step: None,
        }
    }

    /// Logs how long the previous step took (the log shows where a long import spends its time)
    /// and starts timing `next` (nothing when empty).
    fn step(&mut self, next: &str) {
        if let Some((name, started)) = self.step.take() {
            tracing::info!(
                "import step {name}: {:.1} s",
                started.elapsed().as_secs_f64()
            );
        }
        if !next.is_empty() {
            self.step = Some((next.to_string(), std::time::Instant::now()));
        }
    }

    /// Names the file being read.
    pub fn start_file(&mut self, name: &str) {
        self.step(name);
        if let Some(bar) = &self.bar {
            bar.set_message(name.to_string());
        }
    }

    /// `bytes` of the current file have been read.
    pub fn set_file_bytes(&mut self, bytes: u64) {
        if self.bar.is_some() && !terminal_is_free() {
            // A full-screen UI took the terminal meanwhile: stop drawing over it.
            if let Some(bar) = self.bar.take() {
                bar.set_draw_target(ProgressDrawTarget::hidden());
            }
        }
        if let Some(bar) = &self.bar {
            bar.set_position(self.done + bytes);
        }
    }

    /// The current file is finished; it was `bytes` long.
    pub fn finish_file(&mut self, bytes: u64) {
        self.done += bytes;
        self.set_file_bytes(0);
    }

    /// Says what the import is doing after the files (enrolment, commit).
    /// `what` is one of `indexing`, `enrolling`, `committing` (shown in the user's language, logged
    /// as it is).
    pub fn stage(&mut self, what: &str) {
        self.step(what);
        if let Some(bar) = &self.bar {
            bar.set_message(crate::i18n::msg(&format!("import-stage-{what}"), &[]));
        }
    }

    /// Removes the bar so the summary prints on a clean line.
    pub fn finish(&mut self) {
        self.step("");
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// True when stderr is a terminal that no full-screen UI holds in raw mode.
fn terminal_is_free() -> bool {
    std::io::stderr().is_terminal() && !crossterm::terminal::is_raw_mode_enabled().unwrap_or(true)
}

impl Drop for Progress {
    fn drop(&mut self) {
        // An import that fails part-way leaves no half-drawn bar above its error.
        self.finish();
    }
}
