//! An explicit `BEGIN IMMEDIATE … COMMIT` on a shared connection, for the derived indexes that
//! rebuild themselves either alone or inside a caller's write.

use rusqlite::Connection;

/// A write transaction rolled back if dropped uncommitted; a no-op inside a transaction the
/// caller already holds (the caller's commit decides).
pub(crate) struct WriteGuard<'c> {
    conn: &'c Connection,
    owned: bool,
}

impl<'c> WriteGuard<'c> {
    /// Begins an immediate transaction unless one is open already.
    pub(crate) fn begin(conn: &'c Connection) -> rusqlite::Result<WriteGuard<'c>> {
        let owned = conn.is_autocommit();
        if owned {
            conn.execute_batch("BEGIN IMMEDIATE")?;
        }
        Ok(WriteGuard { conn, owned })
    }

    /// Commits the transaction this guard began (nothing when it began none).
    pub(crate) fn commit(mut self) -> rusqlite::Result<()> {
        if self.owned {
            self.owned = false;
            self.conn.execute_batch("COMMIT")?;
        }
        Ok(())
    }
}

/// Brings a derived index up to date at most once across processes: nothing when `fresh` says
/// it is; otherwise the write lock is taken (`BEGIN IMMEDIATE`, waiting for another process's
/// refresh to finish), `fresh` is asked again — the other process may have done the work while
/// this one waited — and only then does `refresh` run, inside that transaction. Without the second
/// look two dashboards opened on a new morning would both rebuild (66 s each at 1,000,000
/// patients), one after the other.
pub(crate) fn refresh_once(
    conn: &Connection,
    fresh: impl Fn(&Connection) -> rusqlite::Result<bool>,
    refresh: impl FnOnce(&Connection) -> rusqlite::Result<()>,
) -> rusqlite::Result<()> {
    if fresh(conn)? {
        return Ok(());
    }
    let guard = WriteGuard::begin(conn)?;
    if !fresh(conn)? {
        refresh(conn)?;
    }
    guard.commit()
}

impl Drop for WriteGuard<'_> {
    fn drop(&mut self) {
        if self.owned {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }
}
