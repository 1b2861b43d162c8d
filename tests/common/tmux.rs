//! A real terminal for end-to-end tests: the binary runs in a detached tmux session of a given
//! size, keys are sent as a person types them and the screen is read back with capture-pane.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// One tmux session, killed when dropped.
pub struct Tmux {
    session: String,
}

impl Tmux {
    /// Starts `command` (a shell command line) in a new session of `width`×`height`.
    pub fn start(command: &str, width: u16, height: u16) -> Tmux {
        // Tests run in parallel threads of one process: each session gets its own name.
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let session = format!("acodesk-tmux-{}-{n}", std::process::id());
        let status = Command::new("tmux")
            .args([
                "-u",
                "new-session",
                "-d",
                "-s",
                &session,
                "-x",
                &width.to_string(),
                "-y",
                &height.to_string(),
                command,
            ])
            .status()
            .unwrap();
        assert!(status.success(), "tmux could not start");
        Tmux { session }
    }

    /// The screen as text, one line per row.
    pub fn screen(&self) -> String {
        let out = Command::new("tmux")
            .args(["capture-pane", "-p", "-t", &self.session])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Sends keys by tmux name ("Enter", "Escape", "c", "й"), one at a time.
    pub fn send(&self, keys: &[&str]) {
        for k in keys {
            Command::new("tmux")
                .args(["send-keys", "-t", &self.session, k])
                .status()
                .unwrap();
            std::thread::sleep(Duration::from_millis(150));
        }
    }

    /// Types text literally (no key names).
    pub fn type_text(&self, text: &str) {
        Command::new("tmux")
            .args(["send-keys", "-t", &self.session, "-l", text])
            .status()
            .unwrap();
        std::thread::sleep(Duration::from_millis(150));
    }

    /// Waits until `what` is on the screen and returns the screen; fails with the screen shown.
    pub fn wait_for(&self, what: &str, timeout: Duration) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(what) {
                return screen;
            }
            assert!(
                start.elapsed() < timeout,
                "\"{what}\" did not appear; the screen was:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["kill-session", "-t", &self.session])
            .status();
    }
}

/// True when tmux can run; otherwise says so and is false (outside CI only: CI installs tmux).
pub fn available_or_skip() -> bool {
    if Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI must install tmux (.ci/run does)"
    );
    eprintln!("note: tmux is not installed; skipping the end-to-end terminal test");
    false
}

/// The exit status the session's command wrote to `exit_file`, waiting up to 10 s for it.
pub fn wait_exit(exit_file: &Path) -> Option<String> {
    let start = Instant::now();
    while !exit_file.exists() && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(100));
    }
    std::fs::read_to_string(exit_file).ok()
}

/// Opens the dashboard on `db` in a `width`×`height` session, as the user `e2e-nurse` with no
/// configuration of the machine's own, with `extra` arguments (e.g. `--lang ru`). Returns the
/// session and the file the exit status is written to when the dashboard ends.
pub fn dashboard(
    name: &str,
    db: &str,
    extra: &str,
    width: u16,
    height: u16,
) -> (Tmux, std::path::PathBuf) {
    let exit_file = super::scratch(&format!("{name}-exit")).join("exit");
    let command = format!(
        "env LANG=C.UTF-8 ACODESK_CONFIG=/nonexistent/config.toml USER=e2e-nurse '{}' --db '{db}' {extra}; echo $? > '{}'; sleep 5",
        super::bin(),
        exit_file.display()
    );
    (Tmux::start(&command, width, height), exit_file)
}
