//! A first load into an empty register, near SQLite's own bulk speed: the secondary indexes, the
//! name-search index and the monthly claim totals are built once at the end instead of row by row.
//!
//! Everything happens inside the import's own transaction: the indexes and triggers are dropped
//! and recreated from their own SQL as stored in `sqlite_master` (so this file never repeats the
//! schema), and a failed import rolls the drops back with the rows. No reader ever sees the
//! register without them. Unique indexes and primary keys stay: the upserts rely on them.

use rusqlite::Connection;

/// The tables a load fills row by row.
const TABLES: &[&str] = &[
    "patients",
    "diagnoses",
    "observations",
    "encounters",
    "claim_lines",
    "appointments",
];

/// The per-row triggers whose work [`BulkLoad::finish`] does in one statement each.
const DEFERRED_TRIGGERS: &[&str] = &["patients_fts_insert", "claim_lines_total_insert"];

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
        let empty: bool = tx.query_row(
            "SELECT NOT EXISTS (SELECT 1 FROM patients) AND NOT EXISTS (SELECT 1 FROM claim_lines)",
            [],
            |r| r.get(0),
        )?;
        if !empty {
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
    pub fn finish(self, tx: &Connection) -> rusqlite::Result<()> {
        for sql in &self.indexes {
            tx.execute_batch(sql)?;
        }
        tx.execute_batch("INSERT INTO patients_fts (patients_fts) VALUES ('rebuild')")?;
        // What `claim_lines_total_insert` adds row by row, for every row at once.
        tx.execute_batch(
            "DELETE FROM claim_month_totals;
             INSERT INTO claim_month_totals (month, category, organization_id, paid_minor, lines)
             SELECT substr(service_date, 1, 7), category, coalesce(organization_id, ''),
                    sum(paid_minor), count(*)
             FROM claim_lines GROUP BY 1, 2, 3",
        )?;
        for sql in &self.triggers {
            tx.execute_batch(sql)?;
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
        bulk.finish(&tx).unwrap();
        tx.commit().unwrap();
        assert_eq!(schema(store.conn()), before);
    }
}
