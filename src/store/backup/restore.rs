//! Restoring the register from a backup: check the backup on a copy, take the register from under
//! nobody, keep it, and move the checked copy into its place with one rename.

use super::files::{create_private, parent_of, same_file, sync_dir, sync_file, with_suffix};
use super::{
    BackupError, LOCK_WAIT, Scratch, copy_all, integrity_problems, io_err, single_file, sql_err,
};
use super::{is_busy, is_damage};
use crate::store::audit;
use crate::store::key::{self, KeyError, OpenFailure};
use crate::store::schema::MIGRATIONS;
use crate::store::{Store, StoreError};
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use std::path::{Path, PathBuf};

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

/// Opens the backup read-only (with the passphrase when it is encrypted) and checks it holds an
/// acodesk register this version can read; returns the connection, the schema version and whether
/// the backup is encrypted.
fn open_source(source: &Path) -> Result<(Connection, u32, bool), BackupError> {
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
    let (conn, encrypted) = key::open(
        source,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        LOCK_WAIT,
    )
    .map_err(|e| match e {
        OpenFailure::Key(k) => BackupError::Key(k),
        OpenFailure::Sqlite(e) => not_ours(e),
    })?;
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
    Ok((conn, version, encrypted))
}

/// Takes the current register from under nobody: refuses if another connection has it open
/// (a WAL database can leave WAL mode only when no one else has it open), then holds an exclusive
/// lock until the returned connection is dropped. A damaged register cannot be locked and is
/// replaced as it is. Keeps a copy (with any journal) as `keep`.
///
/// The returned file handle must outlive the rename too: closing any descriptor of a file drops
/// every POSIX lock this process holds on it, SQLite's included.
fn take_over(db: &Path, keep: &Path) -> Result<Held, BackupError> {
    // An encrypted register is locked with its passphrase; one that the passphrase held does not
    // open is refused rather than taken for damaged (a dashboard may have it open).
    let passphrase = match key::looks_encrypted(db) {
        false => None,
        true => Some(key::held().ok_or_else(|| {
            BackupError::Key(KeyError::Locked {
                path: db.to_path_buf(),
            })
        })?),
    };
    let conn = Connection::open_with_flags(
        db,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(sql_err("opening the current register", db))?;
    if let Some(passphrase) = passphrase {
        key::apply(&conn, passphrase).map_err(sql_err("opening the current register", db))?;
    }
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
        Err(e) if is_damage(&e) && passphrase.is_some() => {
            return Err(BackupError::Key(KeyError::Wrong {
                path: db.to_path_buf(),
            }));
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
    let (src, schema, encrypted) = open_source(source)?;
    // No connection of this process has the register open yet: reading its header is safe.
    if !encrypted && key::looks_encrypted(db) {
        return Err(BackupError::Unencrypted {
            path: source.to_path_buf(),
        });
    }
    let folder = parent_of(db);
    std::fs::create_dir_all(&folder).map_err(io_err("creating the folder", &folder))?;
    let mut candidate = Scratch::create(with_suffix(db, ".restoring"))?;
    let path = candidate.path.clone();
    {
        // The copy is encrypted like the backup (SQLite's backup API copies between files of the
        // same passphrase only).
        let mut dst = key::open_keyed(
            &path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            LOCK_WAIT,
            key::held().filter(|_| encrypted),
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
            &super::display_path(source),
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
