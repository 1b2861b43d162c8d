//! Capture: turning what a register has not yet put in its outbox into outbox entries, each one
//! SQLite session changeset, in one transaction with the marks that say how far capture got.
//!
//! - The append-only tables are swept by rowid (rows are never updated or deleted, so every row
//!   past the mark is new): the rows are copied into an in-memory scratch table of the same shape
//!   under a session, which records them as a changeset of inserts. A device sweeps only the rows
//!   it wrote itself (their `device` column); the hub sweeps every row, so it relays each device's
//!   calls to the others.
//! - On the hub, the imported tables are compared with the base copy by the session's `diff`
//!   (see [`super::base`]), after the import's changes to device-writable fields have been
//!   written into the history ([`super::rules::record_imported_changes`]).
//!
//! Capture runs when a bundle is made; between captures the rows themselves are the record, so a
//! crash at any moment loses nothing and records nothing twice.

use super::tables::{APPEND_ONLY, Shape};
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
    let attached_base = role == Role::Hub;
    let result = (|| {
        for table in APPEND_ONLY {
            let shape = Shape::of(conn, "main", table)?;
            conn.execute_batch(&shape.create_sql(SCRATCH, table))?;
        }
        if attached_base {
            base::attach(conn, &db)?;
        }
        let tx = Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?;
        let mut captured = Captured::default();
        let mut diff = Vec::new();
        if role == Role::Hub {
            rules::record_imported_changes(&tx, &me)?;
            resend_dates(&tx)?;
            diff = base::diff(&tx)?;
            if !diff.is_empty() {
                let rows = count_rows(&diff)?;
                add_entry(&tx, rows, 0, &diff)?;
                captured.entries += 1;
                captured.rows += rows;
            }
        }
        let only = (role == Role::Device).then_some(me.as_str());
        let (changeset, rows, edits) = sweep(&tx, only)?;
        if rows > 0 {
            add_entry(&tx, rows, edits, &changeset)?;
            captured.entries += 1;
            captured.rows += rows;
        }
        tx.commit()?;
        base::advance(conn, &diff)?;
        Ok::<_, rusqlite::Error>(captured)
    })();
    let _ = conn.execute_batch("DETACH DATABASE sync_scratch");
    if attached_base {
        let _ = base::detach(conn);
    }
    Ok(result?)
}

/// Makes the next diff carry the hub's death and move dates of every patient whose history
/// changed since the last capture. A register sets these dates as a status passes through dead
/// or moved, so one that saw an intermediate status keeps a date another never set; the hub's
/// version, sent again, settles them everywhere. (The base is set to a value no date has; the
/// diff's new values then restore it in [`base::advance`].)
fn resend_dates(tx: &Connection) -> rusqlite::Result<()> {
    let mark = mark(tx, "changes")?;
    tx.execute(
        "UPDATE sync_base.patients SET death_date = '~', moved_on = '~'
         WHERE id IN (SELECT patient_id FROM main.changes WHERE rowid > ?1 AND field = 'status')",
        [mark],
    )?;
    Ok(())
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
pub fn count_rows(changeset: &[u8]) -> rusqlite::Result<u64> {
    use rusqlite::fallible_streaming_iterator::FallibleStreamingIterator;
    let mut input: &[u8] = changeset;
    let reader: &mut dyn std::io::Read = &mut input;
    let mut iter = rusqlite::session::ChangesetIter::start_strm(&reader)?;
    let mut n = 0;
    while iter.next()?.is_some() {
        n += 1;
    }
    Ok(n)
}
