//! `acodesk audit`, `acodesk backup` and `acodesk restore`: the commands that keep patient data
//! accountable and recoverable (see the README's Security section).

use super::Session;
use super::args::{AuditArgs, ImportCommand};
use super::output::{Table, print};
use crate::store::Store;
use crate::store::audit::{self, AuditFilter};
use crate::store::backup::{backup_to, display_path, restore_from};
use color_eyre::eyre::{Report, Result};
use std::path::{Path, PathBuf};

/// `acodesk audit`: the audit trail, oldest first, optionally for one patient or one user.
pub fn audit(session: &Session, a: AuditArgs) -> Result<()> {
    let store = Store::open_existing(&session.db)?;
    let filter = AuditFilter {
        patient: a.patient,
        user: a.user,
    };
    let entries = audit::entries(store.conn(), &filter)?;
    let i18n = &session.i18n;
    print(a.format, &entries, || Table {
        header: [
            "at", "user", "device", "action", "patient", "subject", "detail",
        ]
        .map(|h| i18n.t(&format!("audit-col-{h}")))
        .to_vec(),
        rows: entries
            .iter()
            .map(|e| {
                vec![
                    e.at.clone(),
                    e.user.clone(),
                    e.device.clone(),
                    e.action.clone(),
                    e.patient_id.clone().unwrap_or_default(),
                    e.subject.clone(),
                    e.detail.clone(),
                ]
            })
            .collect(),
    })
}

/// `acodesk backup FILE`: a consistent, owner-only copy of the register, safe while the dashboard
/// is open.
pub fn backup(session: &Session, file: &Path) -> Result<()> {
    let store = Store::open_existing(&session.db)?;
    let report = backup_to(&store, file, &session.config.user())?;
    let path = report.path.display().to_string();
    outln!(
        "{}",
        session.i18n.t_args(
            "backup-written",
            &[
                ("path", path.as_str().into()),
                ("patients", report.patients.into()),
                ("bytes", report.bytes.into()),
            ],
        )
    )?;
    Ok(())
}

/// `acodesk restore FILE`: replaces the register with a checked backup, keeping the old one.
pub fn restore(session: &Session, file: &Path) -> Result<()> {
    let report = restore_from(&session.db, file, &session.config.user())?;
    let i18n = &session.i18n;
    let db = session.db.display().to_string();
    let kept = report.kept.as_ref().map(|k| k.display().to_string());
    let line = match &kept {
        Some(kept) => i18n.t_args(
            "restore-done",
            &[("path", db.as_str().into()), ("kept", kept.as_str().into())],
        ),
        None => i18n.t_args("restore-done-new", &[("path", db.as_str().into())]),
    };
    outln!("{line}")?;
    Ok(())
}

/// How an import command names its source in the audit trail: the kind and the files or folder.
pub(super) fn import_source(c: &ImportCommand) -> String {
    match c {
        ImportCommand::Csv { dir, .. } => format!("csv {}", display_path(dir)),
        ImportCommand::Synthea { dir, .. } => format!("synthea {}", display_path(dir)),
        ImportCommand::Fhir { paths, .. } => format!(
            "fhir {}",
            paths
                .iter()
                .map(|p| display_path(p.as_path()))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        // Kinds added later are named by their arguments until they get a line of their own.
        #[allow(unreachable_patterns)]
        other => format!("{other:?}"),
    }
}

/// Whether a failure came from a full disk: SQLite's `SQLITE_FULL` (or a WAL index that cannot
/// grow), or `ENOSPC` from a file operation, anywhere in the chain.
pub fn is_disk_full(report: &Report) -> bool {
    report.chain().any(|e| {
        if let Some(rusqlite::Error::SqliteFailure(f, _)) = e.downcast_ref::<rusqlite::Error>() {
            // SQLITE_IOERR_SHMSIZE: the WAL index (`-wal`'s `-shm`) could not grow — on a full
            // disk, opening the register fails this way before any write.
            return f.code == rusqlite::ErrorCode::DiskFull
                || f.extended_code == rusqlite::ffi::SQLITE_IOERR_SHMSIZE;
        }
        if let Some(io) = e.downcast_ref::<std::io::Error>() {
            return io.kind() == std::io::ErrorKind::StorageFull || io.raw_os_error() == Some(28);
        }
        // Errors that keep only the text of their cause (importers, the worker) still say so.
        let text = e.to_string();
        text.contains("database or disk is full") || text.contains("No space left on device")
    })
}

/// The one sentence for a command that ran out of disk space, naming the register.
pub fn disk_full_sentence(db: Option<PathBuf>, demo: bool) -> String {
    let db = db.unwrap_or_else(|| match demo {
        true => crate::paths::demo_db(),
        false => crate::paths::default_db(),
    });
    crate::i18n::msg(
        "disk-full",
        &[("path", db.display().to_string().as_str().into())],
    )
}

/// An error message as the one line the user sees: a message of several lines (a TOML parser's
/// report with its excerpt of the file) keeps its lines other than the excerpt, joined with ": ";
/// control characters (a `\r` in a quoted key) are shown escaped, never sent to the terminal.
pub fn one_line(message: &str) -> String {
    let is_excerpt = |line: &str| {
        line.trim_start_matches(|c: char| c.is_ascii_digit())
            .trim_start()
            .starts_with('|')
    };
    let lines: Vec<&str> = message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !is_excerpt(l))
        .collect();
    let mut out = String::with_capacity(message.len());
    for c in lines.join(": ").chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::one_line;

    #[test]
    fn a_toml_report_becomes_one_line_with_its_place_and_reason() {
        let report = "worklist.toml: TOML parse error at line 2, column 24\n  |\n2 | abc\n  |    ^\nkey with no value, expected `=`\n";
        assert_eq!(
            one_line(report),
            "worklist.toml: TOML parse error at line 2, column 24: key with no value, expected `=`"
        );
        assert_eq!(one_line("bad key `a\rb\u{e}`"), "bad key `a\\rb\\u{e}`");
        assert_eq!(one_line("plain sentence"), "plain sentence");
    }
}
