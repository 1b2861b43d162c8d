//! Capture: turning what a register has not yet put in its outbox into outbox entries, each one
//! SQLite session changeset, in one transaction with the marks that say how far capture got.
//!
//! - The append-only tables are swept by rowid (rows are never updated or deleted, so every row
//!   past the mark is new): the rows are copied into an in-memory scratch table of the same shape
//!   under a session, which records them as a changeset of inserts. A device sweeps only the rows
//!   it wrote itself (their `device` column); the hub sweeps every row, so it relays each device's
//!   calls to the others.
//! - On the hub, the imported tables need no capture here: each import wrote its own outbox entry
//!   in its transaction ([`crate::store::hub_changes`]). The hub only sends again the death and
//!   move dates of patients whose status changed since the last capture ([`resend_dates`]).
//!
//! Everything here reads only what is past the marks, so a capture costs in proportion to what
//! changed since the last one, not to the register. Capture runs when a bundle is made; between
//! captures the rows themselves are the record, so a crash at any moment loses nothing and records
//! nothing twice.
//!
//! A hub set up by an acodesk that compared the imported tables with a base copy
//! (`<register>.sync-base`) diffs against that copy once more at its first capture, so imports
//! not yet captured then are sent, and removes it ([`super::base`]).

use super::tables::{APPEND_ONLY, Shape, ident};
use super::{Role, SyncError, base, now_utc, require_role, rules};
use crate::store::Store;
use rusqlite::{Connection, Transaction, TransactionBehavior, params};

/// The schema name of the in-memory scratch database.
const SCRATCH: &str = "sync_scratch";

/// What one capture added to the outbox.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Captured {
    /// New outbox entries.
    pub entries: u64,
    /// Row changes in them.
    pub rows: u64,
}

/// Captures everything new into the outbox.
pub fn capture(store: &mut Store) -> Result<Captured, SyncError> {
    let role = require_role(store.conn())?;
    let me = store.device_id();
    let db = store.path().to_path_buf();
    let conn = store.conn();
    conn.execute_batch("ATTACH DATABASE ':memory:' AS sync_scratch")?;
    let legacy_base = role == Role::Hub && base::path_for(&db).exists();
    let result = (|| {
        for table in APPEND_ONLY {
            let shape = Shape::of(conn, "main", table)?;
            conn.execute_batch(&shape.create_sql(SCRATCH, table))?;
        }
        if legacy_base {
            base::attach(conn, &db)?;
        }
        let tx = Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?;
        let mut captured = Captured::default();
        let mut add = |tx: &Connection, rows: u64, edits: u64, changeset: &[u8]| {
            captured.entries += 1;
            captured.rows += rows;
            add_entry(tx, rows, edits, changeset)
        };
        if role == Role::Hub {
            if legacy_base {
                rules::record_imported_changes(&tx, &me)?;
                let diff = base::diff(&tx)?;
                if !diff.is_empty() {
                    add(&tx, count_rows(&diff)?, 0, &diff)?;
                }
            }
            let (dates, rows) = resend_dates(&tx)?;
            if rows > 0 {
                add(&tx, rows, 0, &dates)?;
            }
        }
        let only = (role == Role::Device).then_some(me.as_str());
        let (changeset, rows, edits) = sweep(&tx, only)?;
        if rows > 0 {
            add(&tx, rows, edits, &changeset)?;
        }
        tx.commit()?;
        Ok::<_, rusqlite::Error>(captured)
    })();
    let _ = conn.execute_batch("DETACH DATABASE sync_scratch");
    if legacy_base {
        let _ = base::detach(conn);
        if result.is_ok() {
            // Captured: the base is no longer needed (a crash before this line only diffs again,
            // and applying the same changes twice changes nothing).
            if let Err(e) = std::fs::remove_file(base::path_for(&db)) {
                tracing::warn!(error = %e, "removing the hub's old base copy");
            }
        }
    }
    Ok(result?)
}

/// The changeset that gives every register the hub's status, death and move dates of each
/// patient whose history has a status change past the mark, and its rows. A register sets these
/// dates as a status passes through dead or moved (when it has no date yet), so one that saw an
/// intermediate status keeps a date another never set; the hub's version, sent again with the
/// status it goes with (so the receiver does not date the status anew), settles them everywhere.
/// The patients' rows are copied into the scratch database with values no register holds (`~`),
/// then given the real ones under a session: each becomes an update of those three columns, which
/// a receiver applies whatever it held (a data conflict, resolved with the hub's version) before
/// it settles the status from its history.
fn resend_dates(tx: &Connection) -> rusqlite::Result<(Vec<u8>, u64)> {
    let mark = mark(tx, "changes")?;
    let shape = Shape::of(tx, "main", "patients")?;
    tx.execute_batch(&shape.create_sql(SCRATCH, "patients"))?;
    let columns: Vec<String> = shape
        .columns
        .iter()
        .map(|c| match c.as_str() {
            "status" | "death_date" | "moved_on" => "'~'".to_string(),
            _ => ident(c),
        })
        .collect();
    let copied = tx.execute(
        &format!(
            "INSERT INTO sync_scratch.patients SELECT {} FROM main.patients
             WHERE id IN (SELECT patient_id FROM main.changes WHERE rowid > ?1 AND field = 'status')",
            columns.join(", ")
        ),
        [mark],
    )?;
    let mut out = Vec::new();
    if copied > 0 {
        let mut session = rusqlite::session::Session::new_with_name(tx, SCRATCH)?;
        session.attach(Some("patients"))?;
        tx.execute(
            "UPDATE sync_scratch.patients SET
                status = (SELECT m.status FROM main.patients m WHERE m.id = patients.id),
                death_date = (SELECT m.death_date FROM main.patients m WHERE m.id = patients.id),
                moved_on = (SELECT m.moved_on FROM main.patients m WHERE m.id = patients.id)",
            [],
        )?;
        session.changeset_strm(&mut out)?;
    }
    tx.execute_batch("DROP TABLE sync_scratch.patients")?;
    Ok((out, copied as u64))
}

/// Copies the rows past each mark (only this device's, when `only` is given) into the scratch
/// tables under a session, and moves the marks. Returns the changeset, its rows, and of those the
/// calls and changes.
fn sweep(tx: &Connection, only: Option<&str>) -> rusqlite::Result<(Vec<u8>, u64, u64)> {
    let mut session = rusqlite::session::Session::new_with_name(tx, SCRATCH)?;
    session.attach::<&str>(None)?;
    let (mut rows, mut edits) = (0u64, 0u64);
    for table in APPEND_ONLY {
        let (max_sql, copy_sql) = match table {
            "calls" => (
                "SELECT coalesce(max(rowid), 0) FROM main.calls",
                "INSERT INTO sync_scratch.calls SELECT * FROM main.calls
                 WHERE rowid > ?1 AND rowid <= ?2 AND (?3 IS NULL OR device = ?3)",
            ),
            "changes" => (
                "SELECT coalesce(max(rowid), 0) FROM main.changes",
                "INSERT INTO sync_scratch.changes SELECT * FROM main.changes
                 WHERE rowid > ?1 AND rowid <= ?2 AND (?3 IS NULL OR device = ?3)",
            ),
            _ => (
                "SELECT coalesce(max(rowid), 0) FROM main.audit",
                "INSERT INTO sync_scratch.audit SELECT * FROM main.audit
                 WHERE rowid > ?1 AND rowid <= ?2 AND (?3 IS NULL OR device = ?3)",
            ),
        };
        let mark = mark(tx, table)?;
        let max: i64 = tx.query_row(max_sql, [], |r| r.get(0))?;
        if max <= mark {
            continue;
        }
        let copied = tx.execute(copy_sql, params![mark, max, only])? as u64;
        rows += copied;
        if table != "audit" {
            edits += copied;
        }
        tx.execute(
            "INSERT INTO sync_marks (tbl, last_rowid) VALUES (?1, ?2)
             ON CONFLICT (tbl) DO UPDATE SET last_rowid = excluded.last_rowid",
            params![table, max],
        )?;
    }
    let mut out = Vec::new();
    if rows > 0 {
        session.changeset_strm(&mut out)?;
    }
    Ok((out, rows, edits))
}

/// How far an append-only table has been swept.
pub fn mark(conn: &Connection, table: &str) -> rusqlite::Result<i64> {
    conn.query_row(
        "SELECT coalesce((SELECT last_rowid FROM sync_marks WHERE tbl = ?1), 0)",
        [table],
        |r| r.get(0),
    )
}

/// Moves every mark to the end of its table: rows already there are not captured (used when a
/// register becomes the hub or a device, whose peers start from a copy of it).
pub fn mark_everything_captured(conn: &Connection) -> rusqlite::Result<()> {
    for table in APPEND_ONLY {
        let sql = match table {
            "calls" => "SELECT coalesce(max(rowid), 0) FROM calls",
            "changes" => "SELECT coalesce(max(rowid), 0) FROM changes",
            _ => "SELECT coalesce(max(rowid), 0) FROM audit",
        };
        let max: i64 = conn.query_row(sql, [], |r| r.get(0))?;
        conn.execute(
            "INSERT INTO sync_marks (tbl, last_rowid) VALUES (?1, ?2)
             ON CONFLICT (tbl) DO UPDATE SET last_rowid = excluded.last_rowid",
            params![table, max],
        )?;
    }
    Ok(())
}

fn add_entry(tx: &Connection, rows: u64, edits: u64, changeset: &[u8]) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT INTO sync_outbox (captured_at, rows, edits, changeset) VALUES (?1, ?2, ?3, ?4)",
        params![now_utc(), rows as i64, edits as i64, changeset],
    )?;
    Ok(())
}

/// The row changes in a changeset.
pub use crate::store::hub_changes::count_rows;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_old_hubs_base_copy_is_diffed_once_then_removed() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("hub.db");
        let mut store = Store::open(&db).unwrap();
        super::super::setup::init_hub(&mut store).unwrap();
        // An earlier acodesk's base copy that has not caught up with an import.
        base::attach(store.conn(), &db).unwrap();
        base::detach(store.conn()).unwrap();
        store
            .conn()
            .execute_batch(
                "INSERT INTO patients (id, family_name, given_name, sex, birth_date)
                 VALUES ('P1', 'Петрова', 'Анна', 'F', '1950-01-01');",
            )
            .unwrap();
        assert!(base::path_for(&db).exists());
        let first = capture(&mut store).unwrap();
        assert_eq!((first.entries, first.rows), (1, 1));
        assert!(!base::path_for(&db).exists(), "the base is removed");
        // From now on only what imports captured themselves is sent.
        assert_eq!(capture(&mut store).unwrap(), Captured::default());
    }
}
