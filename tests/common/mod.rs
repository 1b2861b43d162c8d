//! Shared fixtures of the integration tests: a small sample register built once per test binary.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod tmux;

use acodesk::domain::clock::{Clock, ClockKind};
use acodesk::import::csv_dir::{ImportOptions, import_dir};
use acodesk::sample::{SampleSpec, generate};
use acodesk::store::Store;
use chrono::NaiveDate;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The as-of date of every fixture register.
pub fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()
}

/// The fixture clock (fixed, as in the demo).
pub fn clock() -> Clock {
    Clock {
        as_of: as_of(),
        kind: ClockKind::Fixed,
    }
}

/// A scratch folder that lives as long as the test process (the folders of test processes that
/// have ended are removed the next time any test asks for one, so runs do not fill the disk).
pub fn scratch(name: &str) -> PathBuf {
    static SWEPT: OnceLock<()> = OnceLock::new();
    SWEPT.get_or_init(sweep_ended_runs);
    let dir = std::env::temp_dir().join(format!("acodesk-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Removes the scratch folders of test processes that are no longer running (Linux: a process
/// is running while `/proc/<pid>` exists; elsewhere nothing is removed).
fn sweep_ended_runs() {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name
            .strip_prefix("acodesk-test-")
            .and_then(|rest| rest.split('-').next())
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Writes a sample pilot of `patients` patients into `dir`.
pub fn sample_files(dir: &Path, patients: usize) {
    generate(
        &SampleSpec {
            patients,
            seed: 42,
            as_of: as_of(),
        },
        dir,
    )
    .unwrap();
}

/// Builds a register from a fresh sample of `patients` patients; returns its path.
pub fn build_register(name: &str, patients: usize) -> PathBuf {
    let dir = scratch(name);
    let files = dir.join("files");
    sample_files(&files, patients);
    let db = dir.join("register.db");
    let mut store = Store::open(&db).unwrap();
    import_dir(&mut store, &files, ImportOptions::default()).unwrap();
    store.set_meta("clock_as_of", &as_of().to_string()).unwrap();
    db
}

/// A config file for a manager named `user_name`, in a scratch folder `name`; its path.
pub fn manager_config(name: &str, user_name: &str) -> PathBuf {
    let config = scratch(name).join("config.toml");
    std::fs::write(
        &config,
        format!("role = \"manager\"\nuser_name = \"{user_name}\"\n"),
    )
    .unwrap();
    config
}

/// A shared read-mostly register of 400 patients (build once per test binary).
pub fn shared_register() -> &'static Path {
    static DB: OnceLock<PathBuf> = OnceLock::new();
    DB.get_or_init(|| build_register("shared", 400))
}

/// Copies the shared register to a private path a test may write to.
pub fn private_copy(name: &str) -> PathBuf {
    let dir = scratch(name);
    let db = dir.join("register.db");
    let src = Store::open_existing(shared_register()).unwrap();
    src.conn()
        .execute("VACUUM INTO ?1", [db.to_string_lossy().to_string()])
        .unwrap();
    db
}

/// The path of the release or debug binary under test.
pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_acodesk")
}

/// A home folder of the test process's own (config, data and log folders inside it), so that no
/// test reads or writes the developer's own configuration, keymap, worklist rules or registers.
pub fn test_home() -> &'static Path {
    static HOME: OnceLock<PathBuf> = OnceLock::new();
    HOME.get_or_init(|| scratch("home"))
}

/// A command for the binary with a clean environment: English, no user config, a private home.
pub fn command() -> std::process::Command {
    let mut c = std::process::Command::new(bin());
    let home = test_home();
    c.env("ACODESK_CONFIG", "/nonexistent/acodesk-config.toml")
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env("XDG_STATE_HOME", home.join(".local/state"))
        .env("XDG_CACHE_HOME", home.join(".cache"))
        .env_remove("ACODESK_DB")
        .env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .env("USER", "test-nurse");
    c
}

/// Exit code 1 and exactly one line on stderr, without a panic; returns the line.
pub fn one_sentence(out: &std::process::Output) -> String {
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr).trim().to_string();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(!err.contains("panicked"), "{err}");
    err
}

/// `PRAGMA integrity_check` of a register (opened plain) answers "ok".
pub fn integrity_ok(db: &Path) {
    let c = rusqlite::Connection::open(db).unwrap();
    let check: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok", "{}", db.display());
}
