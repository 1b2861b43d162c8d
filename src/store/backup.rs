//! Backups and restores of the register, and the file-safety helpers they share with
//! [`Store::open`](super::Store::open): owner-only files, fsync of files and folders.
//!
//! A backup is taken with SQLite's online backup API in one step, i.e. from one read snapshot:
//! with WAL, the dashboard and other processes keep reading and writing while it runs, and the
//! copy is consistent as of the moment it started. It is written beside its final name, checked,
//! fsynced, and renamed into place, so a half-written backup never carries the final name.
//!
//! A restore checks the backup on a copy (an acodesk register, schema not newer, integrity ok)
//! before it touches the register, refuses while another connection has the register open, keeps
//! the current register as `<db>.before-restore`, and moves the checked copy into place with one
//! rename.

mod files;
mod restore;

pub use files::{create_private, create_private_if_missing, display_path, with_suffix};
pub use restore::{RestoreReport, restore_from};

use super::Store;
use super::audit;
use files::same_file;
pub(crate) use files::{parent_of, sync_dir, sync_file};
use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, ErrorCode, OpenFlags};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long a restore waits for another connection to let go of the register before refusing.
const LOCK_WAIT: Duration = Duration::from_secs(2);

/// Why a backup or restore did not happen, as one sentence for the user.
#[derive(Debug)]
pub enum BackupError {
    /// The backup's file name is taken.
    Exists { path: PathBuf },
    /// The file named is the register itself.
    SameFile { path: PathBuf },
    /// The backup to restore does not exist.
    Missing { path: PathBuf },
    /// The file is not an acodesk register, or is damaged beyond opening.
    NotARegister { path: PathBuf, why: String },
    /// The backup was written by a newer acodesk.
    Newer {
        path: PathBuf,
        found: u32,
        known: u32,
    },
    /// The file opened but failed `PRAGMA integrity_check`.
    Damaged { path: PathBuf, report: String },
    /// Another connection (the dashboard, an import) has the register open.
    InUse { path: PathBuf },
    /// A file operation failed.
    Io {
        doing: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    /// The backup or the register is encrypted and the passphrase held does not open it.
    Key(crate::store::key::KeyError),
    /// The backup is not encrypted and the register is: restoring it would leave the patients
    /// unencrypted.
    Unencrypted { path: PathBuf },
    /// A converted copy did not match the register (`what`: the schema, a table's rows…); the
    /// register was not changed.
    Differs { path: PathBuf, what: String },
    /// SQLite failed.
    Sqlite {
        doing: &'static str,
        path: PathBuf,
        source: rusqlite::Error,
    },
}

impl std::fmt::Display for BackupError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use BackupError::*;
        match self {
            Exists { path } => write!(
                f,
                "{} already exists, and a backup never overwrites a file: give a new file name",
                path.display()
            ),
            SameFile { path } => write!(f, "{} is the register itself", path.display()),
            Missing { path } => write!(f, "{} does not exist", path.display()),
            NotARegister { path, why } => write!(
                f,
                "{} is not an acodesk register ({why}); the register was not changed",
                path.display()
            ),
            Newer { path, found, known } => write!(
                f,
                "{} was written by a newer version of acodesk (schema {found}; this version knows up to \
                 {known}); the register was not changed",
                path.display()
            ),
            Damaged { path, report } => write!(
                f,
                "{} failed the integrity check ({report}); nothing was changed: use an older backup",
                path.display()
            ),
            InUse { path } => write!(
                f,
                "{} is open in another acodesk (the dashboard, an import or a call being saved): close it \
                 and try again; nothing was changed",
                path.display()
            ),
            Io {
                doing,
                path,
                source,
            } => write!(f, "{}: {doing} failed: {source}", path.display()),
            Key(e) => e.fmt(f),
            Differs { path, what } => f.write_str(&crate::i18n::msg(
                "convert-differs",
                &[
                    ("path", path.display().to_string().as_str().into()),
                    ("what", what.as_str().into()),
                ],
            )),
            Unencrypted { path } => f.write_str(&crate::i18n::msg(
                "restore-unencrypted",
                &[("path", path.display().to_string().as_str().into())],
            )),
            Sqlite {
                doing,
                path,
                source,
            } => write!(f, "{}: {doing} failed: {source}", path.display()),
        }
    }
}

impl std::error::Error for BackupError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            BackupError::Io { source, .. } => Some(source),
            BackupError::Sqlite { source, .. } => Some(source),
            BackupError::Key(e) => Some(e),
            _ => None,
        }
    }
}

fn io_err(doing: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> BackupError {
    let path = path.to_path_buf();
    move |source| BackupError::Io {
        doing,
        path,
        source,
    }
}

fn sql_err(doing: &'static str, path: &Path) -> impl FnOnce(rusqlite::Error) -> BackupError {
    let path = path.to_path_buf();
    move |source| BackupError::Sqlite {
        doing,
        path,
        source,
    }
}

fn code_of(e: &rusqlite::Error) -> Option<ErrorCode> {
    match e {
        rusqlite::Error::SqliteFailure(f, _) => Some(f.code),
        _ => None,
    }
}

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        code_of(e),
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
    )
}

fn is_damage(e: &rusqlite::Error) -> bool {
    matches!(
        code_of(e),
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt)
    )
}

/// A scratch file removed (with its SQLite side files) when dropped, unless kept.
pub(crate) struct Scratch {
    pub(crate) path: PathBuf,
    pub(crate) keep: bool,
}

impl Scratch {
    /// Creates `path` afresh (owner-only), removing what was left there by an earlier run.
    pub(crate) fn create(path: PathBuf) -> Result<Scratch, BackupError> {
        let scratch = Scratch { path, keep: false };
        scratch.remove();
        create_private(&scratch.path).map_err(io_err("creating the file", &scratch.path))?;
        Ok(scratch)
    }

    fn remove(&self) {
        for suffix in ["", "-journal", "-wal", "-shm"] {
            let _ = std::fs::remove_file(with_suffix(&self.path, suffix));
        }
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if !self.keep {
            self.remove();
        }
    }
}

/// Copies every page of `from` into `to` in one step, i.e. from one read snapshot of `from`.
fn copy_all(from: &Connection, to: &mut Connection) -> rusqlite::Result<()> {
    let backup = Backup::new(from, to)?;
    for _ in 0..200 {
        match backup.step(-1)? {
            StepResult::Done => return Ok(()),
            _ => std::thread::sleep(Duration::from_millis(50)),
        }
    }
    Err(rusqlite::Error::SqliteFailure(
        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
        Some("the source stayed busy for 10 s".into()),
    ))
}

/// `PRAGMA integrity_check`: `None` when it says ok, else its first two findings on one line.
///
/// A file so damaged that the check itself stops with "database disk image is malformed" (a
/// damaged page of the schema or of a table's root) fails the check too: that is its finding.
fn integrity_problems(conn: &Connection) -> rusqlite::Result<Option<String>> {
    let run = || -> rusqlite::Result<Vec<String>> {
        let mut stmt = conn.prepare("PRAGMA integrity_check(3)")?;
        stmt.query_map([], |r| r.get(0))?.collect()
    };
    let rows = match run() {
        Ok(rows) => rows,
        Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseCorrupt) => {
            return Ok(Some(e.to_string()));
        }
        Err(e) => return Err(e),
    };
    if rows == ["ok"] {
        return Ok(None);
    }
    let findings: Vec<&str> = rows
        .iter()
        .flat_map(|r| r.lines())
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("***"))
        .take(2)
        .collect();
    Ok(Some(findings.join("; ")))
}

/// Switches a connection's file to a rollback journal, so the file alone holds everything.
fn single_file(conn: &Connection) -> rusqlite::Result<bool> {
    let mode: String = conn.query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))?;
    Ok(mode.eq_ignore_ascii_case("delete"))
}

/// What a backup wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupReport {
    /// The backup file.
    pub path: PathBuf,
    /// Its size.
    pub bytes: u64,
    /// Patients in it.
    pub patients: u64,
}

/// Writes a consistent copy of the register to `target` (a new file, owner-only), while other
/// connections keep working; records the backup in the audit trail as `user`.
pub fn backup_to(store: &Store, target: &Path, user: &str) -> Result<BackupReport, BackupError> {
    if target.exists() {
        return Err(BackupError::Exists {
            path: target.to_path_buf(),
        });
    }
    if same_file(store.path(), target) {
        return Err(BackupError::SameFile {
            path: target.to_path_buf(),
        });
    }
    let mut partial = Scratch::create(with_suffix(target, ".partial"))?;
    let path = partial.path.clone();
    // The backup of an encrypted register is encrypted with the same passphrase.
    let key = crate::store::key::held().filter(|_| store.is_encrypted());
    let mut dst = crate::store::key::open_keyed(
        &path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        LOCK_WAIT,
        key,
    )
    .map_err(sql_err("opening the backup file", &path))?;
    copy_all(store.conn(), &mut dst).map_err(sql_err("copying the register", store.path()))?;
    single_file(&dst).map_err(sql_err("finishing the backup file", &path))?;
    if let Some(report) = integrity_problems(&dst).map_err(sql_err("checking the backup", &path))? {
        return Err(BackupError::Damaged {
            path: store.path().to_path_buf(),
            report,
        });
    }
    let patients: i64 = dst
        .query_row("SELECT count(*) FROM patients", [], |r| r.get(0))
        .map_err(sql_err("checking the backup", &path))?;
    dst.close()
        .map_err(|(_, e)| e)
        .map_err(sql_err("closing the backup file", &path))?;
    sync_file(&path).map_err(io_err("flushing the backup to disk", &path))?;
    let bytes = std::fs::metadata(&path)
        .map_err(io_err("reading the size of", &path))?
        .len();
    // On record before it is available under its name: a backup is a copy of every patient.
    audit::record(
        store.conn(),
        user,
        &store.device_id(),
        "backup",
        None,
        &display_path(target),
        &format!("{bytes} bytes, {patients} patients"),
    )
    .map_err(sql_err(
        "recording the backup in the audit trail",
        store.path(),
    ))?;
    std::fs::rename(&path, target).map_err(io_err("renaming the finished backup to", target))?;
    partial.keep = true;
    sync_dir(&parent_of(target)).map_err(io_err("flushing the folder of", target))?;
    Ok(BackupReport {
        path: target.to_path_buf(),
        bytes,
        patients: patients as u64,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    fn mode(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn a_backup_is_a_single_owner_only_file_and_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("r.db")).unwrap();
        let target = dir.path().join("copy.db");
        let report = backup_to(&store, &target, "anna").unwrap();
        assert_eq!(report.patients, 0);
        assert!(!with_suffix(&target, "-wal").exists());
        assert!(!with_suffix(&target, ".partial").exists());
        #[cfg(unix)]
        assert_eq!(mode(&target), 0o600);
        assert!(matches!(
            backup_to(&store, &target, "anna"),
            Err(BackupError::Exists { .. })
        ));
        assert!(matches!(
            backup_to(&store, store.path(), "anna"),
            Err(BackupError::Exists { .. } | BackupError::SameFile { .. })
        ));
        let n: i64 = store
            .conn()
            .query_row(
                "SELECT count(*) FROM audit WHERE action = 'backup'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 1, "only the backup that was written is on record");
    }
}
