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

use super::audit;
use super::schema::MIGRATIONS;
use super::{Store, StoreError};
use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, ErrorCode, OpenFlags, OptionalExtension};
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
            Sqlite {
                doing,
                path,
                source,
            } => write!(f, "{}: {doing} failed: {source}", path.display()),
        }
    }
}

impl std::error::Error for BackupError {}

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

/// Creates `path` as an empty file readable and writable by its owner only (0600 on Unix),
/// unless it exists already (then it is left as it is).
pub fn create_private_if_missing(path: &Path) -> std::io::Result<()> {
    match create_private(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// Creates a new file readable and writable by its owner only (0600 on Unix, whatever the umask);
/// fails if it exists.
pub fn create_private(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(0o600);
        let file = options.open(path)?;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        Ok(file)
    }
    #[cfg(not(unix))]
    options.open(path)
}

/// Flushes a file's contents to the disk.
fn sync_file(path: &Path) -> std::io::Result<()> {
    std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)?
        .sync_all()
}

/// Flushes a folder's entries (a rename into it) to the disk; a no-op where folders cannot be
/// opened.
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    std::fs::File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// `path` with `suffix` appended to its file name (`register.db` + `-wal`).
pub fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(suffix);
    path.with_file_name(name)
}

/// The absolute path `path` names, whether or not the file exists yet.
fn canonical(path: &Path) -> Option<PathBuf> {
    if let Ok(p) = path.canonicalize() {
        return Some(p);
    }
    Some(parent_of(path).canonicalize().ok()?.join(path.file_name()?))
}

fn same_file(a: &Path, b: &Path) -> bool {
    matches!((canonical(a), canonical(b)), (Some(x), Some(y)) if x == y)
}

/// A scratch file removed (with its SQLite side files) when dropped, unless kept.
struct Scratch {
    path: PathBuf,
    keep: bool,
}

impl Scratch {
    fn create(path: PathBuf) -> Result<Scratch, BackupError> {
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

/// `PRAGMA integrity_check`: `None` when it says ok, else the first problems it lists.
fn integrity_problems(conn: &Connection) -> rusqlite::Result<Option<String>> {
    let mut stmt = conn.prepare("PRAGMA integrity_check(5)")?;
    let lines: Vec<String> = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok((lines != ["ok"]).then(|| lines.join("; ")))
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
    let mut dst = Connection::open_with_flags(
        &path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
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
        &target.display().to_string(),
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

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestoreReport {
    /// Where the register that was replaced is kept (`None`: there was none).
    pub kept: Option<PathBuf>,
    /// The backup's schema version (older ones are migrated on the way in).
    pub schema: u32,
}

/// A free name for the register being replaced: `<db>.before-restore`, else `…-2`, `…-3`, ….
fn free_keep_name(db: &Path) -> PathBuf {
    let taken = |p: &Path| p.exists() || with_suffix(p, "-wal").exists();
    let first = with_suffix(db, ".before-restore");
    if !taken(&first) {
        return first;
    }
    (2u32..)
        .map(|n| with_suffix(db, &format!(".before-restore-{n}")))
        .find(|p| !taken(p))
        .unwrap_or(first)
}

/// Opens the backup read-only and checks it holds an acodesk register this version can read.
fn open_source(source: &Path) -> Result<(Connection, u32), BackupError> {
    let not_ours = |e: rusqlite::Error| {
        if is_damage(&e) {
            BackupError::NotARegister {
                path: source.to_path_buf(),
                why: "not an SQLite database, or damaged".into(),
            }
        } else {
            BackupError::Sqlite {
                doing: "opening the backup",
                path: source.to_path_buf(),
                source: e,
            }
        }
    };
    let conn = Connection::open_with_flags(
        source,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(not_ours)?;
    conn.busy_timeout(LOCK_WAIT).map_err(not_ours)?;
    let version: u32 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(not_ours)?;
    let known = MIGRATIONS.len() as u32;
    if version > known {
        return Err(BackupError::Newer {
            path: source.to_path_buf(),
            found: version,
            known,
        });
    }
    let meta = conn
        .query_row(
            "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'meta'",
            [],
            |_| Ok(()),
        )
        .optional()
        .map_err(not_ours)?;
    if version == 0 || meta.is_none() {
        return Err(BackupError::NotARegister {
            path: source.to_path_buf(),
            why: "it holds no acodesk tables".into(),
        });
    }
    Ok((conn, version))
}

/// Takes the current register from under nobody: refuses if another connection has it open
/// (a WAL database can leave WAL mode only when no one else has it open), then holds an exclusive
/// lock until the returned connection is dropped. A damaged register cannot be locked and is
/// replaced as it is. Keeps a copy (with any journal) as `keep`.
///
/// The returned file handle must outlive the rename too: closing any descriptor of a file drops
/// every POSIX lock this process holds on it, SQLite's included.
fn take_over(db: &Path, keep: &Path) -> Result<Held, BackupError> {
    let conn = Connection::open_with_flags(
        db,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(sql_err("opening the current register", db))?;
    let lock = || -> rusqlite::Result<bool> {
        conn.busy_timeout(LOCK_WAIT)?;
        conn.execute_batch("BEGIN IMMEDIATE; ROLLBACK;")?;
        if !single_file(&conn)? {
            return Ok(false);
        }
        conn.execute_batch("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE;")?;
        Ok(true)
    };
    let held = match lock() {
        Ok(true) => Some(conn),
        Ok(false) => {
            return Err(BackupError::InUse {
                path: db.to_path_buf(),
            });
        }
        Err(e) if is_busy(&e) => {
            return Err(BackupError::InUse {
                path: db.to_path_buf(),
            });
        }
        Err(e) if is_damage(&e) => None,
        Err(e) => return Err(sql_err("locking the current register", db)(e)),
    };
    let mut copy = create_private(keep).map_err(io_err("creating", keep))?;
    let mut from = std::fs::File::open(db).map_err(io_err("reading", db))?;
    std::io::copy(&mut from, &mut copy).map_err(io_err("copying the register to", keep))?;
    let held = Held {
        _conn: held,
        _file: from,
    };
    copy.sync_all().map_err(io_err("flushing", keep))?;
    // Side files belong to the old file: they go with its copy, never next to the restored one.
    for suffix in ["-wal", "-journal"] {
        let side = with_suffix(db, suffix);
        if side.exists() {
            std::fs::rename(&side, with_suffix(keep, suffix)).map_err(io_err("moving", &side))?;
        }
    }
    let shm = with_suffix(db, "-shm");
    if shm.exists() {
        std::fs::remove_file(&shm).map_err(io_err("removing", &shm))?;
    }
    Ok(held)
}

/// The replaced register, held (locked when healthy) until the checked copy is in its place.
struct Held {
    _conn: Option<Connection>,
    _file: std::fs::File,
}

/// Replaces the register at `db` with the backup at `source`, after checking the backup on a copy;
/// keeps the replaced register as `<db>.before-restore`. The dashboard must be closed: a restore
/// refuses while any other connection has the register open. Records the restore, as `user`, in the
/// restored register's audit trail.
pub fn restore_from(db: &Path, source: &Path, user: &str) -> Result<RestoreReport, BackupError> {
    if !source.is_file() {
        return Err(BackupError::Missing {
            path: source.to_path_buf(),
        });
    }
    if same_file(db, source) {
        return Err(BackupError::SameFile {
            path: source.to_path_buf(),
        });
    }
    let (src, schema) = open_source(source)?;
    let folder = parent_of(db);
    std::fs::create_dir_all(&folder).map_err(io_err("creating the folder", &folder))?;
    let mut candidate = Scratch::create(with_suffix(db, ".restoring"))?;
    let path = candidate.path.clone();
    {
        let mut dst = Connection::open_with_flags(
            &path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(sql_err("opening the copy", &path))?;
        copy_all(&src, &mut dst).map_err(sql_err("copying the backup", source))?;
        single_file(&dst).map_err(sql_err("finishing the copy", &path))?;
    }
    drop(src);
    let keep = db.exists().then(|| free_keep_name(db));
    {
        let store = Store::open_existing(&path).map_err(|e| match e {
            StoreError::NotADatabase { .. } => BackupError::NotARegister {
                path: source.to_path_buf(),
                why: "not an SQLite database, or damaged".into(),
            },
            other => BackupError::NotARegister {
                path: source.to_path_buf(),
                why: other.to_string(),
            },
        })?;
        if let Some(report) =
            integrity_problems(store.conn()).map_err(sql_err("checking the backup", source))?
        {
            return Err(BackupError::Damaged {
                path: source.to_path_buf(),
                report,
            });
        }
        let detail = match &keep {
            Some(k) => format!("the replaced register is kept as {}", k.display()),
            None => "there was no register to replace".into(),
        };
        audit::record(
            store.conn(),
            user,
            &store.device_id(),
            "restore",
            None,
            &source.display().to_string(),
            &detail,
        )
        .map_err(sql_err("recording the restore in the audit trail", &path))?;
        single_file(store.conn()).map_err(sql_err("finishing the copy", &path))?;
    }
    sync_file(&path).map_err(io_err("flushing the copy to disk", &path))?;
    let lock = match &keep {
        Some(k) => Some(take_over(db, k)?),
        None => None,
    };
    std::fs::rename(&path, db).map_err(io_err("moving the checked copy to", db))?;
    candidate.keep = true;
    sync_dir(&folder).map_err(io_err("flushing the folder of", db))?;
    drop(lock);
    tracing::info!(schema, "register restored from a backup");
    Ok(RestoreReport { kept: keep, schema })
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

    #[test]
    fn the_keep_name_never_reuses_an_earlier_one() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("r.db");
        assert_eq!(free_keep_name(&db), dir.path().join("r.db.before-restore"));
        std::fs::write(dir.path().join("r.db.before-restore"), b"x").unwrap();
        assert_eq!(
            free_keep_name(&db),
            dir.path().join("r.db.before-restore-2")
        );
    }
}
