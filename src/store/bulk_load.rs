//! A first load into an empty register, near SQLite's own bulk speed: the secondary indexes, the
//! name-search index and the monthly claim totals are built once at the end instead of row by row.
//!
//! Everything happens inside the import's own transaction: the indexes and triggers are dropped
//! and recreated from their own SQL as stored in `sqlite_master` (so this file never repeats the
//! schema), and a failed import rolls the drops back with the rows. No reader ever sees the
//! register without them. Unique indexes and primary keys stay: the upserts rely on them.
//!
//! A first load also runs under a rollback journal instead of the register's WAL when nobody else
//! has the register open ([`RollbackJournal`]): see there why that halves what is written.

use rusqlite::Connection;

/// Whether the register holds no patients and no claims yet: an import into it is a first load.
pub fn is_first_load(conn: &Connection) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT NOT EXISTS (SELECT 1 FROM patients) AND NOT EXISTS (SELECT 1 FROM claim_lines)",
        [],
        |r| r.get(0),
    )
}

/// The register switched from WAL to a rollback journal for the length of a first load, and back.
///
/// In WAL mode every page of a transaction larger than the page cache is written twice (to the
/// WAL when the cache spills, then into the file at the checkpoint), and each later read of a
/// spilled page searches the WAL's index, a search that grows with the WAL: at 1,000,000 patients
/// that made the import four times slower than `sqlite3 .import`. Under a rollback journal a load
/// into an empty register journals only the few pages that existed before it (new pages past the
/// old end of the file need no undo record: a rollback truncates the file) and writes every new
/// page once, in place. All or nothing still holds: a crash leaves a hot journal that the next
/// open rolls back before it switches the register to WAL again.
///
/// Leaving WAL needs every other connection gone, which SQLite checks itself: when the TUI or
/// another process has the register open, the switch does not happen and the load runs in WAL
/// mode as before (slower, equally safe). While the load runs, other processes that try to open
/// the register wait (busy timeout), then get "busy".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use = "switch the register back to WAL with `restore` once the load is over"]
pub struct RollbackJournal {
    switched: bool,
}

impl RollbackJournal {
    /// Switches to a rollback journal when the register is empty and nobody else has it open;
    /// otherwise changes nothing. Call outside any transaction.
    pub fn for_first_load(conn: &Connection) -> rusqlite::Result<RollbackJournal> {
        if !is_first_load(conn)? || !journal_mode(conn)?.eq_ignore_ascii_case("wal") {
            return Ok(RollbackJournal { switched: false });
        }
        let switched = match conn.query_row("PRAGMA journal_mode = DELETE", [], |r| {
            r.get::<_, String>(0)
        }) {
            Ok(mode) => mode.eq_ignore_ascii_case("delete"),
            // Busy: someone else has the register open. Stay in WAL.
            Err(e) if is_busy(&e) => false,
            Err(e) => return Err(e),
        };
        Ok(RollbackJournal { switched })
    }

    /// Whether the load runs under the rollback journal.
    pub fn switched(&self) -> bool {
        self.switched
    }

    /// Switches the register back to WAL once the load has committed or rolled back. (Should
    /// this fail, every later open of the register switches it back anyway.)
    pub fn restore(self, conn: &Connection) -> rusqlite::Result<()> {
        if self.switched {
            conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0))?;
        }
        Ok(())
    }
}

fn journal_mode(conn: &Connection) -> rusqlite::Result<String> {
    conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))
}

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

/// The tables a load fills row by row.
const TABLES: &[&str] = &[
    "patients",
    "diagnoses",
    "observations",
    "encounters",
    "claim_lines",
    "appointments",
];

/// The page cache while the indexes of a first load are built, in KiB (see [`BulkLoad::finish`]).
const SORT_CACHE_KIB: i64 = 16 * 1024;

/// The per-row triggers whose work [`BulkLoad::finish`] does in one statement each: the search
/// index and the monthly claim totals are rebuilt whole at the end, so the update and delete
/// triggers go too (an update during a first load — a repeated row about to be refused — would
/// otherwise ask the search index to delete an entry it never got).
const DEFERRED_TRIGGERS: &[&str] = &[
    "patients_fts_insert",
    "patients_fts_update",
    "patients_fts_delete",
    "claim_lines_total_insert",
    "claim_lines_total_update",
    "claim_lines_total_delete",
];

/// A bulk load in progress: the SQL of what was dropped, to recreate it.
#[derive(Debug)]
pub struct BulkLoad {
    indexes: Vec<String>,
    triggers: Vec<String>,
}

impl BulkLoad {
    /// Starts a bulk load inside the caller's transaction when the register holds no patients
    /// and no claims yet (a first load); `None` otherwise, and nothing changes.
    pub fn begin(tx: &Connection) -> rusqlite::Result<Option<BulkLoad>> {
        if !is_first_load(tx)? {
            return Ok(None);
        }
        let tables = serde_json::to_string(TABLES).unwrap_or_default();
        let indexes = named_sql(
            tx,
            "SELECT name, sql FROM sqlite_master
             WHERE type = 'index' AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'
               AND tbl_name IN (SELECT value FROM json_each(?1))
             ORDER BY name",
            &tables,
        )?;
        let triggers = named_sql(
            tx,
            "SELECT name, sql FROM sqlite_master
             WHERE type = 'trigger' AND name IN (SELECT value FROM json_each(?1))
             ORDER BY name",
            &serde_json::to_string(DEFERRED_TRIGGERS).unwrap_or_default(),
        )?;
        for (name, _) in &indexes {
            tx.execute_batch(&format!("DROP INDEX \"{name}\""))?;
        }
        for (name, _) in &triggers {
            tx.execute_batch(&format!("DROP TRIGGER \"{name}\""))?;
        }
        Ok(Some(BulkLoad {
            indexes: indexes.into_iter().map(|(_, sql)| sql).collect(),
            triggers: triggers.into_iter().map(|(_, sql)| sql).collect(),
        }))
    }

    /// Builds what the rows skipped — the indexes, the search index, the monthly claim totals —
    /// and puts the triggers back, inside the same transaction.
    pub fn finish(self, tx: &Connection, totals: Option<ClaimTotals>) -> rusqlite::Result<()> {
        // Each sort of an index build keeps up to a page cache's worth of keys in memory, and
        // with a worker thread (PRAGMA threads) two or three such lists at once: a smaller cache
        // for this phase keeps the load's peak memory the same at any size (the index pages
        // are written in order, so they need little cache).
        tx.pragma_update(None, "cache_size", -SORT_CACHE_KIB)?;
        let timed = |what: &str, sql: &str| {
            let started = std::time::Instant::now();
            let done = tx.execute_batch(sql);
            tracing::info!(
                "first load, {what}: {:.1} s",
                started.elapsed().as_secs_f64()
            );
            done
        };
        for sql in &self.indexes {
            timed(sql.split('(').next().unwrap_or(sql), sql)?;
        }
        timed(
            "search index",
            "INSERT INTO patients_fts (patients_fts) VALUES ('rebuild')",
        )?;
        // What `claim_lines_total_insert` adds row by row, for every row at once.
        // What `claim_lines_total_insert` adds row by row, for every row at once: from the totals
        // the load kept as it went, or else by one pass over the claims (a GROUP BY sorting every
        // claim line, seconds at 100,000 patients).
        let started = std::time::Instant::now();
        tx.execute_batch("DELETE FROM claim_month_totals")?;
        match totals {
            Some(totals) => totals.write(tx)?,
            None => tx.execute_batch(
                "INSERT INTO claim_month_totals (month, received_on, category, organization_id, paid_minor, lines)
                 SELECT substr(service_date, 1, 7), coalesce(received_on, ''), category,
                        coalesce(organization_id, ''), sum(paid_minor), count(*)
                 FROM claim_lines GROUP BY 1, 2, 3, 4",
            )?,
        }
        tracing::info!(
            "first load, claim totals: {:.1} s",
            started.elapsed().as_secs_f64()
        );
        for sql in &self.triggers {
            tx.execute_batch(sql)?;
        }
        Ok(())
    }
}

/// A site's totals by (year, month, received date, category): paid in minor units and lines.
type SiteTotals =
    std::collections::HashMap<(i32, u32, chrono::NaiveDate, &'static str), (i64, i64)>;

/// The monthly claim totals of a first load, added up as its claim lines are inserted (what the
/// `claim_lines_total_insert` trigger does row by row, without it): by site, then by month and
/// category. A few thousand entries whatever the number of claims.
#[derive(Debug, Default)]
pub struct ClaimTotals {
    by_site: std::collections::HashMap<String, SiteTotals>,
}

impl ClaimTotals {
    /// Counts one inserted claim line (the trigger's `coalesce(organization_id, '')` and
    /// `substr(service_date, 1, 7)`); `received` is the date the line was stored with (see
    /// [`crate::store::writes::received_on`]).
    pub fn add(
        &mut self,
        service_date: chrono::NaiveDate,
        received: chrono::NaiveDate,
        category: &'static str,
        organization_id: Option<&str>,
        paid_minor: i64,
    ) {
        use chrono::Datelike;
        let site = organization_id.unwrap_or("");
        let months = match self.by_site.get_mut(site) {
            Some(m) => m,
            None => self.by_site.entry(site.to_string()).or_default(),
        };
        let total = months
            .entry((
                service_date.year(),
                service_date.month(),
                received,
                category,
            ))
            .or_default();
        total.0 += paid_minor;
        total.1 += 1;
    }

    fn write(self, tx: &Connection) -> rusqlite::Result<()> {
        let mut insert = tx.prepare(
            "INSERT INTO claim_month_totals (month, received_on, category, organization_id, paid_minor, lines)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for (site, months) in self.by_site {
            for ((year, month, received, category), (paid, lines)) in months {
                insert.execute(rusqlite::params![
                    format!("{year:04}-{month:02}"),
                    received.to_string(),
                    category,
                    site,
                    paid,
                    lines
                ])?;
            }
        }
        Ok(())
    }
}

fn named_sql(tx: &Connection, query: &str, arg: &str) -> rusqlite::Result<Vec<(String, String)>> {
    tx.prepare(query)?
        .query_map([arg], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    fn schema(conn: &Connection) -> Vec<(String, String)> {
        conn.prepare("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name")
            .unwrap()
            .query_map([], |r| Ok((r.get(0).unwrap(), r.get(1).unwrap())))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }

    #[test]
    fn a_bulk_load_leaves_the_schema_as_it_found_it() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("r.db")).unwrap();
        let before = schema(store.conn());
        let tx = store.conn_mut().transaction().unwrap();
        let bulk = BulkLoad::begin(&tx).unwrap().expect("an empty register");
        assert_ne!(
            schema(&tx),
            before,
            "indexes and triggers dropped during the load"
        );
        bulk.finish(&tx, None).unwrap();
        tx.commit().unwrap();
        assert_eq!(schema(store.conn()), before);
    }

    fn mode(conn: &Connection) -> String {
        journal_mode(conn).unwrap()
    }

    #[test]
    fn a_first_load_leaves_wal_only_when_nobody_else_has_the_register_open() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.db");
        let store = Store::open(&path).unwrap();

        let reader = Store::open(&path).unwrap();
        let journal = RollbackJournal::for_first_load(store.conn()).unwrap();
        assert!(
            !journal.switched(),
            "another connection is open: stay in WAL"
        );
        assert_eq!(mode(store.conn()), "wal");
        journal.restore(store.conn()).unwrap();
        drop(reader);

        let journal = RollbackJournal::for_first_load(store.conn()).unwrap();
        assert!(journal.switched());
        assert_eq!(mode(store.conn()), "delete");
        journal.restore(store.conn()).unwrap();
        assert_eq!(mode(store.conn()), "wal");

        store
            .conn()
            .execute_batch(
                "INSERT INTO organizations (id, name, kind) VALUES ('PC1', 'PC', 'polyclinic');
                 INSERT INTO patients (id, family_name, given_name, sex, birth_date)
                 VALUES ('P1', 'A', 'B', 'F', '1950-01-01');",
            )
            .unwrap();
        let journal = RollbackJournal::for_first_load(store.conn()).unwrap();
        assert!(!journal.switched(), "not a first load");
        assert_eq!(mode(store.conn()), "wal");
    }
}
