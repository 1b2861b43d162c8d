//! Opening the register: the pragmas every connection needs, and migrations by `PRAGMA user_version`.

use super::schema::MIGRATIONS;
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long a writer waits for another process's write to finish before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Why a register could not be opened: each variant reads as one sentence for the user.
#[derive(Debug)]
pub enum StoreError {
    /// The file was written by a newer acodesk; it is left untouched.
    NewerSchema {
        path: PathBuf,
        found: u32,
        known: u32,
    },
    /// The file exists but is not an SQLite database (or is damaged beyond opening).
    NotADatabase { path: PathBuf },
    /// The file does not exist and the caller asked not to create it.
    Missing { path: PathBuf },
    /// A file operation failed (creating the register), with what we were doing.
    Io {
        path: PathBuf,
        doing: &'static str,
        source: std::io::Error,
    },
    /// The file is encrypted and no passphrase given opens it.
    Key(super::key::KeyError),
    /// Any other SQLite failure, with what we were doing.
    Sqlite {
        path: PathBuf,
        doing: &'static str,
        source: rusqlite::Error,
    },
}

impl std::fmt::Display for StoreError {
    /// One sentence in the process's language (see [`crate::i18n::msg`]); paths and SQLite's own
    /// words are kept as they are.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::i18n::msg;
        /// The locale key of a `doing` phrase; a phrase without one is shown as written.
        fn doing_text(doing: &str) -> String {
            let key = match doing {
                "creating the file" => "store-doing-creating-file",
                "opening the file" => "store-doing-opening-file",
                "opening the file for writing" => "store-doing-opening-for-writing",
                "setting the busy timeout" => "store-doing-busy-timeout",
                "reading the schema version" => "store-doing-reading-schema-version",
                "reading the schema" => "store-doing-reading-schema",
                "migrating the schema" => "store-doing-migrating",
                "switching to WAL" => "store-doing-wal",
                "setting synchronous=FULL" => "store-doing-synchronous",
                "enabling foreign keys" => "store-doing-foreign-keys",
                "sizing the page cache" => "store-doing-page-cache",
                "enabling memory-mapped reads" => "store-doing-mmap",
                "opening the backup" => "store-doing-opening-backup",
                other => return other.to_string(),
            };
            msg(key, &[])
        }
        let failed =
            |f: &mut std::fmt::Formatter<'_>, path: &PathBuf, doing: &str, error: String| {
                let path = path.display().to_string();
                let doing = doing_text(doing);
                let args = [
                    ("path", path.as_str().into()),
                    ("doing", doing.as_str().into()),
                    ("error", error.as_str().into()),
                ];
                f.write_str(&msg("store-failed", &args))
            };
        match self {
            StoreError::NewerSchema { path, found, known } => {
                let path = path.display().to_string();
                let args = [
                    ("path", path.as_str().into()),
                    ("found", u64::from(*found).into()),
                    ("known", u64::from(*known).into()),
                ];
                f.write_str(&msg("store-newer-schema", &args))
            }
            StoreError::NotADatabase { path } => {
                let path = path.display().to_string();
                f.write_str(&msg(
                    "store-not-a-database",
                    &[("path", path.as_str().into())],
                ))
            }
            StoreError::Missing { path } => {
                let path = path.display().to_string();
                f.write_str(&msg("store-missing", &[("path", path.as_str().into())]))
            }
            StoreError::Key(e) => e.fmt(f),
            StoreError::Sqlite {
                path,
                doing,
                source,
            } => failed(f, path, doing, source.to_string()),
            StoreError::Io {
                path,
                doing,
                source,
            } => failed(f, path, doing, source.to_string()),
        }
    }
}

impl std::error::Error for StoreError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StoreError::Sqlite { source, .. } => Some(source),
            StoreError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// An open register: one SQLite connection with WAL, foreign keys, `synchronous=FULL` and a busy timeout.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    encrypted: bool,
}

impl Store {
    /// Opens (creating if needed) the register at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        Self::open_with(path, true)
    }

    /// Opens an existing register; a missing file is an error rather than a new empty register.
    pub fn open_existing(path: &Path) -> Result<Store, StoreError> {
        Self::open_with(path, false)
    }

    fn open_with(path: &Path, create: bool) -> Result<Store, StoreError> {
        let path_buf = path.to_path_buf();
        if !create && !path.exists() {
            return Err(StoreError::Missing { path: path_buf });
        }
        // SQLite takes a file shorter than its smallest page (512 bytes) for an empty database and
        // would write a new register over it: a few stray bytes are not a register.
        if std::fs::metadata(path).is_ok_and(|m| m.len() > 0 && m.len() < 512) {
            return Err(StoreError::NotADatabase { path: path_buf });
        }
        let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        if create {
            flags |= OpenFlags::SQLITE_OPEN_CREATE;
            // A new register is readable by its owner only (SQLite gives -wal and -shm the same mode).
            super::backup::create_private_if_missing(path).map_err(|source| StoreError::Io {
                path: path_buf.clone(),
                doing: "creating the file",
                source,
            })?;
        }
        let sqlite = |doing: &'static str| {
            let p = path_buf.clone();
            move |source: rusqlite::Error| classify(p, doing, source)
        };
        // The passphrase, when the file needs one, is the connection's first statement.
        let (conn, encrypted) =
            super::key::open(path, flags, BUSY_TIMEOUT).map_err(|e| match e {
                super::key::OpenFailure::Key(k) => StoreError::Key(k),
                super::key::OpenFailure::Sqlite(s) => sqlite("opening the file")(s),
            })?;
        // SQLite quietly opens a write-protected file read-only: a register opened to be written
        // into (imports) says so at once rather than failing half-way.
        if create && conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(false) {
            return Err(StoreError::Io {
                path: path_buf,
                doing: "opening the file for writing",
                source: std::io::ErrorKind::PermissionDenied.into(),
            });
        }
        conn.busy_timeout(BUSY_TIMEOUT)
            .map_err(sqlite("setting the busy timeout"))?;
        // Read the version before any pragma that could write to the file.
        let found: u32 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(sqlite("reading the schema version"))?;
        let known = MIGRATIONS.len() as u32;
        if found > known {
            return Err(StoreError::NewerSchema {
                path: path_buf,
                found,
                known,
            });
        }
        if found > 0 {
            // An existing register must have our tables; anything else is someone else's database.
            let ours: Option<String> = conn
                .query_row(
                    "SELECT name FROM sqlite_schema WHERE type = 'table' AND name = 'meta'",
                    [],
                    |r| r.get(0),
                )
                .optional()
                .map_err(sqlite("reading the schema"))?;
            if ours.is_none() {
                return Err(StoreError::NotADatabase { path: path_buf });
            }
        } else {
            // Version 0 is a new, empty file; another application's database is never migrated into.
            let objects: i64 = conn
                .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
                .map_err(sqlite("reading the schema"))?;
            if objects > 0 {
                return Err(StoreError::NotADatabase { path: path_buf });
            }
        }
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(sqlite("switching to WAL"))?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(sqlite("setting synchronous=FULL"))?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(sqlite("enabling foreign keys"))?;
        // A 32 MB page cache and 64 MB of memory-mapped reads (together they bound the memory a
        // register of any size costs): the worklist's aggregates touch most pages,
        // and the default 2 MB cache turns them into hundreds of thousands of read() calls.
        conn.pragma_update(None, "cache_size", -32_000)
            .map_err(sqlite("sizing the page cache"))?;
        conn.pragma_update(None, "mmap_size", 64i64 * 1024 * 1024)
            .map_err(sqlite("enabling memory-mapped reads"))?;
        let mut store = Store {
            conn,
            path: path_buf,
            encrypted,
        };
        store.migrate(found)?;
        store.reenrol()?;
        Ok(store)
    }

    /// Enrols the register again when its enrolments were made with other programme definitions
    /// (a register from before hypertension shipped, a region's programme file added or changed):
    /// one immediate transaction, captured for the devices on a sync hub. A device register takes
    /// its enrolments from the hub and is left as it is; a read-only one too.
    fn reenrol(&mut self) -> Result<(), StoreError> {
        let path = self.path.clone();
        let fail = |source| StoreError::Sqlite {
            path: path.clone(),
            doing: "enrolling patients in the programmes",
            source,
        };
        let device: bool = self
            .conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM meta WHERE key = 'sync_role' AND value = 'device')",
                [],
                |r| r.get(0),
            )
            .map_err(fail)?;
        let readonly = self.conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(true);
        if device || readonly || !super::enrol::needs_reenrolment(&self.conn).map_err(fail)? {
            return Ok(());
        }
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(fail)?;
        let capture = super::hub_changes::HubCapture::begin(&tx).map_err(fail)?;
        if super::enrol::reenrol_if_needed(&tx).map_err(fail)? {
            tracing::info!(path = %self.path.display(), "enrolled the register in the programmes in force");
        }
        capture.finish(&tx).map_err(fail)?;
        tx.commit().map_err(fail)?;
        Ok(())
    }

    /// Applies every migration after `from`, each in its own transaction with its version bump.
    ///
    /// Each step takes the write lock first (`BEGIN IMMEDIATE`) and reads `user_version` again
    /// under it: when two processes open an old register together, the second waits for the
    /// first's step and then skips it instead of failing on tables that already exist.
    fn migrate(&mut self, from: u32) -> Result<(), StoreError> {
        if from as usize >= MIGRATIONS.len() {
            return Ok(());
        }
        for (index, step) in MIGRATIONS.iter().enumerate().skip(from as usize) {
            let version = index as u32 + 1;
            let path = self.path.clone();
            let fail = |source| StoreError::Sqlite {
                path: path.clone(),
                doing: "migrating the schema",
                source,
            };
            let tx = self
                .conn
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
                .map_err(fail)?;
            let current: u32 = tx
                .query_row("PRAGMA user_version", [], |r| r.get(0))
                .map_err(fail)?;
            if current >= version {
                // Another process applied this step while we waited for the lock.
                tx.commit().map_err(fail)?;
                continue;
            }
            tx.execute_batch(step).map_err(fail)?;
            tx.pragma_update(None, "user_version", version)
                .map_err(fail)?;
            if version == 1 {
                let device = uuid::Uuid::now_v7().to_string();
                tx.execute(
                    "INSERT INTO meta (key, value) VALUES ('device_id', ?1), ('created_at', ?2)",
                    (
                        device,
                        chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
                    ),
                )
                .map_err(fail)?;
            }
            tx.commit().map_err(fail)?;
            tracing::info!(version, path = %self.path.display(), "migrated register");
        }
        Ok(())
    }

    /// The underlying connection, for the query modules of this crate.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// The underlying connection, mutably (transactions).
    pub fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    /// Where this register lives.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the register is encrypted (opened with the held passphrase).
    pub fn is_encrypted(&self) -> bool {
        self.encrypted
    }

    /// The schema version this register is at.
    pub fn schema_version(&self) -> rusqlite::Result<u32> {
        self.conn.query_row("PRAGMA user_version", [], |r| r.get(0))
    }

    /// A counter that changes whenever another connection commits a write: polling it tells the TUI
    /// to refresh without rescanning any table.
    pub fn data_version(&self) -> rusqlite::Result<i64> {
        self.conn.query_row("PRAGMA data_version", [], |r| r.get(0))
    }

    /// Reads a value from the `meta` table.
    pub fn meta(&self, key: &str) -> rusqlite::Result<Option<String>> {
        self.conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()
    }

    /// Writes a value to the `meta` table.
    pub fn set_meta(&self, key: &str, value: &str) -> rusqlite::Result<()> {
        self.conn.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )?;
        Ok(())
    }

    /// This register's device id (created with the register; identifies call-log entries' origin).
    pub fn device_id(&self) -> String {
        self.meta("device_id")
            .ok()
            .flatten()
            .unwrap_or_else(|| "unknown".into())
    }
}

fn classify(path: PathBuf, doing: &'static str, source: rusqlite::Error) -> StoreError {
    if let rusqlite::Error::SqliteFailure(e, _) = &source {
        if matches!(
            e.code,
            rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt
        ) {
            return StoreError::NotADatabase { path };
        }
    }
    StoreError::Sqlite {
        path,
        doing,
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_register_is_at_the_latest_version_with_pragmas() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.db");
        let store = Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), MIGRATIONS.len() as u32);
        let mode: String = store
            .conn()
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        let fk: i64 = store
            .conn()
            .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
            .unwrap();
        assert_eq!(fk, 1);
        let sync: i64 = store
            .conn()
            .query_row("PRAGMA synchronous", [], |r| r.get(0))
            .unwrap();
        assert_eq!(sync, 2, "synchronous=FULL");
        assert!(!store.device_id().is_empty());
        drop(store);
        // Reopening is a no-op migration.
        let again = Store::open(&path).unwrap();
        assert_eq!(again.schema_version().unwrap(), MIGRATIONS.len() as u32);
    }

    #[test]
    fn newer_schema_is_refused_and_left_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("newer.db");
        {
            let c = Connection::open(&path).unwrap();
            c.execute_batch("CREATE TABLE meta(key TEXT, value TEXT); PRAGMA user_version = 999;")
                .unwrap();
        }
        let before = std::fs::read(&path).unwrap();
        let err = Store::open(&path).err().unwrap();
        assert!(matches!(err, StoreError::NewerSchema { found: 999, .. }));
        assert!(err.to_string().contains("newer version of acodesk"));
        assert_eq!(std::fs::read(&path).unwrap(), before);
    }

    #[test]
    fn a_few_stray_bytes_are_refused_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        for bytes in [&b"x"[..], &[0u8; 100][..], &b"SQLite format 3\0"[..]] {
            let path = dir.path().join("short.db");
            std::fs::write(&path, bytes).unwrap();
            for open in [Store::open, Store::open_existing] {
                let err = open(&path).err().expect("refused");
                assert!(matches!(err, StoreError::NotADatabase { .. }), "{err}");
                assert_eq!(std::fs::read(&path).unwrap(), bytes, "left untouched");
            }
        }
    }

    #[test]
    fn a_file_that_is_not_sqlite_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notes.db");
        std::fs::write(
            &path,
            b"these are my notes, not a database, and long enough to have a header",
        )
        .unwrap();
        let before = std::fs::read(&path).unwrap();
        let err = Store::open(&path).err().unwrap();
        assert!(matches!(err, StoreError::NotADatabase { .. }), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), before);
    }

    #[test]
    fn another_apps_database_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("other.db");
        {
            let c = Connection::open(&path).unwrap();
            c.execute_batch("CREATE TABLE x(a); PRAGMA user_version = 1;")
                .unwrap();
        }
        assert!(matches!(
            Store::open(&path),
            Err(StoreError::NotADatabase { .. })
        ));
    }

    #[test]
    fn upgrade_from_an_older_version_applies_the_remaining_steps() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        {
            // A version-0 file (created but never migrated) is upgraded through every step.
            let c = Connection::open(&path).unwrap();
            c.execute_batch("PRAGMA user_version = 0;").unwrap();
        }
        let store = Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), MIGRATIONS.len() as u32);
    }

    #[test]
    fn two_processes_opening_an_old_register_together_both_succeed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        {
            // A register left at the first schema version by an older acodesk.
            let mut c = Connection::open(&path).unwrap();
            let tx = c.transaction().unwrap();
            tx.execute_batch(MIGRATIONS[0]).unwrap();
            tx.pragma_update(None, "user_version", 1).unwrap();
            tx.commit().unwrap();
        }
        for _round in 0..3 {
            let copy = dir.path().join(format!("copy-{_round}.db"));
            std::fs::copy(&path, &copy).unwrap();
            let openers: Vec<_> = (0..4)
                .map(|_| {
                    let copy = copy.clone();
                    std::thread::spawn(move || Store::open(&copy).map(|s| s.schema_version()))
                })
                .collect();
            for opener in openers {
                let version = opener.join().unwrap().expect("every opener succeeds");
                assert_eq!(version.unwrap(), MIGRATIONS.len() as u32);
            }
        }
    }

    #[test]
    fn the_call_log_is_append_only() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("r.db")).unwrap();
        store.conn().execute_batch(
            "INSERT INTO patients (id, family_name, given_name, sex, birth_date) VALUES ('P1','A','B','F','1950-01-01');
             INSERT INTO calls (id, patient_id, called_at, user_name, device, outcome) VALUES ('c1','P1','2024-01-01T10:00:00','u','d','no_answer');",
        ).unwrap();
        assert!(store.conn().execute("DELETE FROM calls", []).is_err());
        assert!(
            store
                .conn()
                .execute("UPDATE calls SET note = 'x'", [])
                .is_err()
        );
    }
}
