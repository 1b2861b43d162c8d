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

impl Drop for WriteGuard<'_> {
    fn drop(&mut self) {
        if self.owned {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }
}
