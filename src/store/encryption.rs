//! Changing a register's encryption: encrypting a plaintext register, changing the passphrase,
//! decrypting. One procedure does all three, so that nothing can be lost on the way:
//!
//! 1. the register is taken from under nobody (refused while another connection has it open, then
//!    held with an exclusive lock until the end);
//! 2. SQLCipher's `sqlcipher_export` copies schema and rows into a new owner-only file beside it,
//!    keyed with the new passphrase (or none);
//! 3. the copy is opened afresh with that passphrase and compared with the register: the schema,
//!    every table's row count and a checksum of its rows, the schema version; its integrity is
//!    checked;
//! 4. only then is it flushed and renamed over the register, in one step.
//!
//! The old file is not kept: a plaintext copy left beside an encrypted register would defeat the
//! point. A failure at any step removes the new file and leaves the register as it was.

use super::backup::{BackupError, Scratch, parent_of, sync_dir, sync_file, with_suffix};
use super::key::{self, Passphrase};
use super::schema::MIGRATIONS;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};
use std::collections::BTreeMap;
use std::hash::Hasher;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long the conversion waits for another connection to let go of the register.
const LOCK_WAIT: Duration = Duration::from_secs(2);

/// What a conversion copied (and checked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Converted {
    /// The register.
    pub path: PathBuf,
    /// Tables compared.
    pub tables: usize,
    /// Rows compared, all tables together.
    pub rows: u64,
}

/// One table's rows in short: how many, and an order-independent checksum of their values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableDigest {
    /// Rows.
    pub rows: u64,
    /// The wrapping sum of a hash of each row's values.
    pub checksum: u64,
}

/// Every table of `schema` (`main` or an attached name) with its digest, by name.
pub fn digest(conn: &Connection, schema: &str) -> rusqlite::Result<BTreeMap<String, TableDigest>> {
    let tables: Vec<String> = conn
        .prepare(&format!(
            "SELECT name FROM {}.sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
            quote_ident(schema)
        ))?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = BTreeMap::new();
    for table in tables {
        // Identifiers cannot be bound: the names come from the register's own schema, quoted.
        let sql = format!(
            "SELECT * FROM {}.{}",
            quote_ident(schema),
            quote_ident(&table)
        );
        let mut stmt = conn.prepare(&sql)?;
        let columns = stmt.column_count();
        let mut rows = stmt.query([])?;
        let mut d = TableDigest {
            rows: 0,
            checksum: 0,
        };
        while let Some(row) = rows.next()? {
            let mut h = std::hash::DefaultHasher::new();
            for i in 0..columns {
                match row.get_ref(i)? {
                    ValueRef::Null => h.write_u8(0),
                    ValueRef::Integer(n) => {
                        h.write_u8(1);
                        h.write_i64(n);
                    }
                    ValueRef::Real(x) => {
                        h.write_u8(2);
                        h.write_u64(x.to_bits());
                    }
                    ValueRef::Text(t) => {
                        h.write_u8(3);
                        h.write_usize(t.len());
                        h.write(t);
                    }
                    ValueRef::Blob(b) => {
                        h.write_u8(4);
                        h.write_usize(b.len());
                        h.write(b);
                    }
                }
            }
            d.rows += 1;
            d.checksum = d.checksum.wrapping_add(h.finish());
        }
        out.insert(table, d);
    }
    Ok(out)
}

fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The schema as a sorted list of (type, name, table, SQL).
fn schema_of(conn: &Connection, schema: &str) -> rusqlite::Result<Vec<[Option<String>; 4]>> {
    let mut rows: Vec<[Option<String>; 4]> = conn
        .prepare(&format!(
            "SELECT type, name, tbl_name, sql FROM {}.sqlite_schema",
            quote_ident(schema)
        ))?
        .query_map([], |r| Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?]))?
        .collect::<rusqlite::Result<_>>()?;
    rows.sort();
    Ok(rows)
}

fn sql_err(doing: &'static str, path: &Path) -> impl FnOnce(rusqlite::Error) -> BackupError {
    let path = path.to_path_buf();
    move |source| BackupError::Sqlite {
        doing,
        path,
        source,
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

fn code(e: &rusqlite::Error) -> Option<rusqlite::ErrorCode> {
    match e {
        rusqlite::Error::SqliteFailure(f, _) => Some(f.code),
        _ => None,
    }
}

/// Opens the register with `from` and takes it from under nobody: refuses while another connection
/// has it open, then holds an exclusive lock for as long as the connection lives.
fn take(db: &Path, from: Option<&Passphrase>) -> Result<Connection, BackupError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = key::open_keyed(db, flags, LOCK_WAIT, from).map_err(|e| match (code(&e), from) {
        (Some(rusqlite::ErrorCode::NotADatabase), Some(_)) => {
            BackupError::Key(key::KeyError::Wrong {
                path: db.to_path_buf(),
            })
        }
        (Some(rusqlite::ErrorCode::NotADatabase), None) => BackupError::NotARegister {
            path: db.to_path_buf(),
            why: "not an SQLite database, or damaged".into(),
        },
        _ => sql_err("opening the register", db)(e),
    })?;
    let in_use = || BackupError::InUse {
        path: db.to_path_buf(),
    };
    let busy = |e: rusqlite::Error| match code(&e) {
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => in_use(),
        _ => sql_err("locking the register", db)(e),
    };
    conn.execute_batch("BEGIN IMMEDIATE; ROLLBACK;")
        .map_err(busy)?;
    // Leaving WAL needs every other connection gone; it also folds the WAL into the file.
    let mode: String = conn
        .query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))
        .map_err(busy)?;
    if !mode.eq_ignore_ascii_case("delete") {
        return Err(in_use());
    }
    conn.execute_batch("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; COMMIT;")
        .map_err(busy)?;
    Ok(conn)
}

/// Rewrites the register at `db`, now readable with `from` (`None`: plaintext), as a file readable
/// with `to` (`None`: plaintext), checking the copy row for row before it replaces the register.
/// Refused while anyone else has the register open.
pub fn convert(
    db: &Path,
    from: Option<&Passphrase>,
    to: Option<&Passphrase>,
) -> Result<Converted, BackupError> {
    if !db.is_file() {
        return Err(BackupError::Missing {
            path: db.to_path_buf(),
        });
    }
    let src = take(db, from)?;
    let version: u32 = src
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(sql_err("reading the schema version", db))?;
    let has_meta = src
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'meta'",
            [],
            |r| r.get::<_, i64>(0),
        )
        .map_err(sql_err("reading the schema", db))?;
    if version == 0 || has_meta == 0 || version > MIGRATIONS.len() as u32 {
        return Err(BackupError::NotARegister {
            path: db.to_path_buf(),
            why: "it holds no acodesk tables of a known version".into(),
        });
    }
    let mut scratch = Scratch::create(with_suffix(db, ".converting"))?;
    let target = scratch.path.clone();
    let target_text = target
        .to_str()
        .ok_or_else(|| {
            io_err("naming", &target)(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "the path is not UTF-8",
            ))
        })?
        .to_string();
    let new_key = to.map(Passphrase::expose).unwrap_or("");
    src.execute(
        "ATTACH DATABASE ?1 AS converted KEY ?2",
        (target_text.as_str(), new_key),
    )
    .map_err(sql_err("creating the new file", &target))?;
    src.query_row("SELECT sqlcipher_export('converted')", [], |_| Ok(()))
        .map_err(sql_err("copying the register", &target))?;
    src.pragma_update(Some("converted"), "user_version", version)
        .map_err(sql_err("copying the schema version", &target))?;
    src.execute_batch("DETACH DATABASE converted")
        .map_err(sql_err("closing the new file", &target))?;
    let checked = verify(&src, db, &target, to, version)?;
    sync_file(&target).map_err(io_err("flushing the new file to disk", &target))?;
    std::fs::rename(&target, db).map_err(io_err("replacing", db))?;
    scratch.keep = true;
    sync_dir(&parent_of(db)).map_err(io_err("flushing the folder of", db))?;
    drop(src);
    tracing::info!(
        encrypted = to.is_some(),
        tables = checked.tables,
        rows = checked.rows,
        "register encryption changed"
    );
    Ok(checked)
}

/// Opens the new file with its own passphrase and compares it with the register.
fn verify(
    src: &Connection,
    db: &Path,
    target: &Path,
    to: Option<&Passphrase>,
    version: u32,
) -> Result<Converted, BackupError> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let copy = key::open_keyed(target, flags, LOCK_WAIT, to)
        .map_err(sql_err("opening the new file", target))?;
    let differs = |what: String| BackupError::Differs {
        path: db.to_path_buf(),
        what,
    };
    let copied: u32 = copy
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(sql_err("checking the new file", target))?;
    if copied != version {
        return Err(differs("the schema version".into()));
    }
    if schema_of(src, "main").map_err(sql_err("reading the schema", db))?
        != schema_of(&copy, "main").map_err(sql_err("checking the new file", target))?
    {
        return Err(differs("the schema".into()));
    }
    let before = digest(src, "main").map_err(sql_err("reading the register", db))?;
    let after = digest(&copy, "main").map_err(sql_err("checking the new file", target))?;
    for (table, d) in &before {
        if after.get(table) != Some(d) {
            return Err(differs(format!("the rows of {table}")));
        }
    }
    let ok: String = copy
        .query_row("PRAGMA integrity_check(1)", [], |r| r.get(0))
        .map_err(sql_err("checking the new file", target))?;
    if ok != "ok" {
        return Err(BackupError::Damaged {
            path: target.to_path_buf(),
            report: ok,
        });
    }
    copy.close()
        .map_err(|(_, e)| e)
        .map_err(sql_err("closing the new file", target))?;
    Ok(Converted {
        path: db.to_path_buf(),
        tables: before.len(),
        rows: before.values().map(|d| d.rows).sum(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;
    use zeroize::Zeroizing;

    fn pass(text: &str) -> Passphrase {
        Passphrase::new(Zeroizing::new(text.to_string())).unwrap()
    }

    fn filled(dir: &Path) -> PathBuf {
        let db = dir.join("r.db");
        let store = Store::open(&db).unwrap();
        store
            .conn()
            .execute_batch(
                "INSERT INTO patients (id, family_name, given_name, sex, birth_date)
                 VALUES ('P1','Смирнова','Анна','F','1950-01-01'), ('P2','Lee','Bo','M','1960-02-03');",
            )
            .unwrap();
        db
    }

    #[test]
    fn encrypt_rekey_decrypt_keep_every_row() {
        let dir = tempfile::tempdir().unwrap();
        let db = filled(dir.path());
        let plain = digest(&Connection::open(&db).unwrap(), "main").unwrap();
        let (a, b) = (pass("first passphrase"), pass("second"));
        convert(&db, None, Some(&a)).unwrap();
        assert!(key::looks_encrypted(&db));
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE;
        let with_a = key::open_keyed(&db, flags, LOCK_WAIT, Some(&a)).unwrap();
        assert_eq!(digest(&with_a, "main").unwrap(), plain);
        drop(with_a);
        convert(&db, Some(&a), Some(&b)).unwrap();
        assert!(key::open_keyed(&db, flags, LOCK_WAIT, Some(&a)).is_err());
        convert(&db, Some(&b), None).unwrap();
        assert!(!key::looks_encrypted(&db));
        assert_eq!(
            digest(&Connection::open(&db).unwrap(), "main").unwrap(),
            plain
        );
        assert!(!with_suffix(&db, ".converting").exists());
    }

    #[test]
    fn a_register_in_use_or_a_wrong_passphrase_is_refused_and_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let db = filled(dir.path());
        let open = Store::open_existing(&db).unwrap();
        assert!(matches!(
            convert(&db, None, Some(&pass("x"))),
            Err(BackupError::InUse { .. })
        ));
        drop(open);
        convert(&db, None, Some(&pass("right"))).unwrap();
        let before = std::fs::read(&db).unwrap();
        assert!(matches!(
            convert(&db, Some(&pass("wrong")), None),
            Err(BackupError::Key(key::KeyError::Wrong { .. }))
        ));
        assert_eq!(std::fs::read(&db).unwrap(), before);
    }

    #[test]
    fn the_lock_keeps_others_out_until_the_end() {
        let dir = tempfile::tempdir().unwrap();
        let db = filled(dir.path());
        let held = take(&db, None).unwrap();
        let other = Connection::open(&db).unwrap();
        other.busy_timeout(Duration::ZERO).unwrap();
        assert!(
            other
                .query_row("SELECT count(*) FROM patients", [], |r| r.get::<_, i64>(0))
                .is_err()
        );
        drop(held);
        assert_eq!(
            other
                .query_row("SELECT count(*) FROM patients", [], |r| r.get::<_, i64>(0))
                .unwrap(),
            2
        );
    }
}
