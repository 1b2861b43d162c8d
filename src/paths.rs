//! Where acodesk keeps its data, configuration and logs (per-user platform directories).

use directories::ProjectDirs;
use std::path::PathBuf;

/// The platform directories for acodesk, or `None` when the system has no home directory.
fn dirs() -> Option<ProjectDirs> {
    ProjectDirs::from("org", "acodesk", "acodesk")
}

/// Folder for registers (the default and demo databases).
pub fn data_dir() -> PathBuf {
    dirs()
        .map(|d| d.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from(".acodesk"))
}

/// Folder for `config.toml` and `keymap.toml`.
pub fn config_dir() -> PathBuf {
    dirs()
        .map(|d| d.config_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from(".acodesk"))
}

/// Folder for log files (never the terminal while the TUI runs).
pub fn log_dir() -> PathBuf {
    dirs()
        .map(|d| d.data_local_dir().join("logs"))
        .unwrap_or_else(|| PathBuf::from(".acodesk/logs"))
}

/// The register opened when no `--db` or `ACODESK_DB` is given.
pub fn default_db() -> PathBuf {
    data_dir().join("register.db")
}

/// The register `acodesk demo` builds from the sample pilot.
pub fn demo_db() -> PathBuf {
    data_dir().join("demo.db")
}
