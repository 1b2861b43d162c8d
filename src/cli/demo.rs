//! `acodesk demo`: builds the sample pilot's register once, then opens the dashboard on it.
//!
//! The register is regenerated from the default seed and the demo's fixed date, which gives the
//! same files as sample-data/ (a test holds them equal), so the demo works wherever the binary is.
//! It is built beside its final path and renamed into place, so an interrupted build never leaves
//! a half-made demo behind; a file that is not a demo register is never written to.

use super::Session;
use super::commands::open_tui;
use crate::i18n::msg;
use crate::import::csv_dir::{ImportOptions, import_dir};
use crate::sample::{SampleSpec, generate};
use crate::store::Store;
use color_eyre::eyre::{Result, WrapErr, eyre};
use std::path::{Path, PathBuf};

/// Creates (or reuses) the demo register at `session.db`, then opens the TUI.
pub fn run(session: Session) -> Result<()> {
    if session.db.exists() {
        ensure_demo(&session.db)?;
    } else {
        // The first run builds the register: show a screen at once rather than a blank terminal.
        let db = session.db.clone();
        crate::tui::preparing::while_preparing(
            &session.i18n.t("demo-building"),
            &session.i18n.t("demo-building-hint"),
            move || ensure_demo(&db),
        )?;
    }
    open_tui(session)
}

/// Makes sure `path` holds the demo register, building it when absent.
pub fn ensure_demo(path: &Path) -> Result<()> {
    if path.exists() {
        let store = Store::open_existing(path)?;
        if store.meta("demo")?.as_deref() == Some("1") {
            return Ok(());
        }
        let path = path.display().to_string();
        return Err(eyre!(
            "{}",
            msg("cli-demo-not-demo", &[("path", path.as_str().into())])
        ));
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).wrap_err_with(|| {
            let dir = dir.display().to_string();
            msg("file-creating", &[("path", dir.as_str().into())])
        })?;
    }
    let building = sibling(path, ".building");
    let sample_dir = sibling(path, ".sample");
    let _ = std::fs::remove_file(&building);
    let _ = std::fs::remove_dir_all(&sample_dir);
    let spec = SampleSpec::demo();
    generate(&spec, &sample_dir).wrap_err_with(|| msg("cli-demo-generating", &[]))?;
    {
        let mut store = Store::open(&building)?;
        import_dir(&mut store, &sample_dir, ImportOptions::default())?;
        store.set_meta("demo", "1")?;
        store.set_meta("clock_as_of", &spec.as_of.to_string())?;
        store
            .conn()
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
    }
    std::fs::rename(&building, path).wrap_err_with(|| {
        let path = path.display().to_string();
        msg("cli-demo-moving", &[("path", path.as_str().into())])
    })?;
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(sibling(&building, suffix));
    }
    let _ = std::fs::remove_dir_all(&sample_dir);
    Ok(())
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(suffix);
    path.with_file_name(name)
}
