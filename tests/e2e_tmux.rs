//! End to end in a real terminal: the release or debug binary runs in tmux, a call is logged by
//! keystrokes exactly as a nurse would, and read back with `acodesk patient --format json`.
//! Needs tmux (CI installs it); without it the test says so and passes only outside CI.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

struct Tmux {
    session: String,
}

impl Tmux {
    fn start(command: &str, width: u16, height: u16) -> Tmux {
        let session = format!("acodesk-test-{}", std::process::id());
        let status = Command::new("tmux")
            .args([
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

    fn screen(&self) -> String {
        let out = Command::new("tmux")
            .args(["capture-pane", "-p", "-t", &self.session])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn send(&self, keys: &[&str]) {
        for k in keys {
            Command::new("tmux")
                .args(["send-keys", "-t", &self.session, k])
                .status()
                .unwrap();
            std::thread::sleep(Duration::from_millis(150));
        }
    }

    fn wait_for(&self, what: &str, timeout: Duration) -> String {
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

fn tmux_available() -> bool {
    Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn a_nurse_logs_a_no_answer_by_keystrokes_and_the_cli_reads_it_back() {
    if !tmux_available() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install tmux (.ci/run does)"
        );
        eprintln!("note: tmux is not installed; skipping the end-to-end terminal test");
        return;
    }
    let db = common::private_copy("e2e-call");
    let db = db.to_str().unwrap();
    // The patient at the top of the worklist, as the CLI sees it.
    let out = common::command()
        .args(["--db", db, "worklist", "--format", "json"])
        .output()
        .unwrap();
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let patient = list["rows"][0]["patient_id"].as_str().unwrap().to_string();
    let name = list["rows"][0]["full_name"].as_str().unwrap().to_string();

    let exit_file = std::env::temp_dir().join(format!("acodesk-e2e-exit-{}", std::process::id()));
    let _ = std::fs::remove_file(&exit_file);
    let command = format!(
        "env LANG=C.UTF-8 ACODESK_CONFIG=/nonexistent/config.toml USER=e2e-nurse '{}' --db '{db}'; echo $? > '{}'; sleep 5",
        common::bin(),
        exit_file.display()
    );
    let term = Tmux::start(&command, 100, 30);
    let screen = term.wait_for(&name, Duration::from_secs(30));
    assert!(screen.contains("Worklist"), "{screen}");

    term.send(&["c"]);
    term.wait_for("Log a call", Duration::from_secs(5));
    term.send(&["n"]);
    term.send(&["Enter"]);
    term.wait_for("Call saved", Duration::from_secs(10));
    term.send(&["q"]);
    let start = Instant::now();
    while !exit_file.exists() && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(100));
    }
    let code = std::fs::read_to_string(&exit_file).unwrap();
    assert_eq!(code.trim(), "0", "acodesk exits cleanly on q");

    let out = common::command()
        .args(["--db", db, "patient", &patient, "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let card: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let call = &card["calls"][0];
    assert_eq!(call["outcome"], "no_answer");
    assert_eq!(call["user"], "e2e-nurse");
    assert!(
        call["next_date"].is_string(),
        "no answer: retry on the next business day"
    );
}
