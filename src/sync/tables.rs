//! Which tables sync carries, and their shapes (columns and primary key) as SQLite reports them.
//!
//! Not carried ([`LOCAL_TABLES`]): `meta` (each register's own settings and caches), the stored
//! worklist and progress figures (derived: each register refreshes its own), `claim_month_totals`
//! (kept by triggers on `claim_lines`), the full-text index, and the sync tables themselves.
//!
//! Table and column names cannot be bound as parameters: the few statements that need them are
//! built from the names below and from SQLite's own `pragma_table_info`, quoted with [`ident`] —
//! never from data.

use rusqlite::Connection;

/// The append-only tables: every register may add rows (unique UUIDv7 ids), none updates them.
pub const APPEND_ONLY: [&str; 3] = ["calls", "changes", "audit"];

/// The tables the hub imports: devices receive them and never change them. Device-writable patient
/// fields ([`DEVICE_FIELDS`]) travel as `changes` rows and are settled by [`super::rules`]. The
/// hub captures their changes as its imports write them ([`crate::store::hub_changes`]).
pub use crate::store::hub_changes::HUB_TABLES;

/// The tables each register keeps for itself and sync never carries: settings and caches, what is
/// derived from the carried tables (each register derives its own), and the sync bookkeeping.
/// A new table must be added here or to a carried list (a test holds every table to it).
pub const LOCAL_TABLES: [&str; 13] = [
    "meta",
    "patient_imported",
    "worklist_entries",
    "worklist_recheck",
    "progress_facts",
    "progress_recheck",
    "progress_totals",
    "claim_month_totals",
    "sync_outbox",
    "sync_peers",
    "sync_marks",
    "sync_scope_held",
    "sync_scope_drop",
];

/// The fields of a patient a device may change; the latest change by its recorded time wins.
/// `palliative_since` is the hospice/palliative-care flag a manager sets on the card.
pub const DEVICE_FIELDS: [&str; 5] = ["phone", "phone2", "status", "nurse_id", "palliative_since"];

/// True for a table a bundle may carry from this sender (the hub also tells a scoped device which
/// patients left its scope: [`super::scope::DROP_TABLE`]).
pub fn allowed_from(table: &str, sender_is_hub: bool) -> bool {
    APPEND_ONLY.contains(&table)
        || (sender_is_hub && (HUB_TABLES.contains(&table) || table == super::scope::DROP_TABLE))
}

/// An SQL identifier, double-quoted.
pub fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// A table's columns in order and its primary-key columns in key order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shape {
    /// Every column, in declaration order.
    pub columns: Vec<String>,
    /// The primary-key columns, in key order.
    pub key: Vec<String>,
}

impl Shape {
    /// Reads the shape of `schema.table`.
    pub fn of(conn: &Connection, schema: &str, table: &str) -> rusqlite::Result<Shape> {
        let mut stmt =
            conn.prepare_cached("SELECT name, pk FROM pragma_table_info(?1, ?2) ORDER BY cid")?;
        let rows: Vec<(String, i64)> = stmt
            .query_map([table, schema], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut keyed: Vec<(i64, String)> = rows
            .iter()
            .filter(|(_, pk)| *pk > 0)
            .map(|(name, pk)| (*pk, name.clone()))
            .collect();
        keyed.sort();
        Ok(Shape {
            columns: rows.into_iter().map(|(name, _)| name).collect(),
            key: keyed.into_iter().map(|(_, name)| name).collect(),
        })
    }

    /// The position of a column.
    pub fn position(&self, column: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == column)
    }

    /// `CREATE TABLE schema.table (...)` with the same columns and primary key, and no types,
    /// constraints or triggers: a plain container the session extension can record or compare.
    pub fn create_sql(&self, schema: &str, table: &str) -> String {
        let columns: Vec<String> = self.columns.iter().map(|c| ident(c)).collect();
        let key: Vec<String> = self.key.iter().map(|c| ident(c)).collect();
        format!(
            "CREATE TABLE {}.{} ({}, PRIMARY KEY ({}))",
            ident(schema),
            ident(table),
            columns.join(", "),
            key.join(", ")
        )
    }

    /// `col1 = ?1 AND col2 = ?2 …` over the key columns.
    pub fn key_match(&self) -> String {
        self.key
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{} = ?{}", ident(c), i + 1))
            .collect::<Vec<_>>()
            .join(" AND ")
    }
}

/// The column holding the patient's id in `table` (`id` for `patients` itself), if any.
pub fn patient_column(table: &str) -> Option<&'static str> {
    match table {
        "patients" => Some("id"),
        "organizations" | "staff" | "programs" | "contract" => None,
        _ => Some("patient_id"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_come_from_the_schema() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE t (b TEXT, a TEXT, c INTEGER, PRIMARY KEY (a, b)) WITHOUT ROWID;",
        )
        .unwrap();
        let shape = Shape::of(&conn, "main", "t").unwrap();
        assert_eq!(shape.columns, ["b", "a", "c"]);
        assert_eq!(shape.key, ["a", "b"]);
        assert_eq!(
            shape.create_sql("x", "t"),
            "CREATE TABLE \"x\".\"t\" (\"b\", \"a\", \"c\", PRIMARY KEY (\"a\", \"b\"))"
        );
        assert_eq!(shape.key_match(), "\"a\" = ?1 AND \"b\" = ?2");
        assert_eq!(ident("we\"ird"), "\"we\"\"ird\"");
    }

    #[test]
    fn every_table_of_the_register_is_carried_or_kept_local() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::Store::open(&dir.path().join("r.db")).unwrap();
        let mut stmt = store
            .conn()
            .prepare(
                "SELECT name FROM sqlite_schema WHERE type = 'table'
                 AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'patients_fts%'",
            )
            .unwrap();
        let tables: Vec<String> = stmt
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        for table in tables {
            let t = table.as_str();
            assert!(
                APPEND_ONLY.contains(&t) || HUB_TABLES.contains(&t) || LOCAL_TABLES.contains(&t),
                "table {t}: add it to a list of src/sync/tables.rs (carried by sync, or kept local)"
            );
        }
    }

    #[test]
    fn devices_may_send_only_append_only_rows() {
        assert!(allowed_from("calls", false));
        assert!(!allowed_from("patients", false));
        assert!(allowed_from("patients", true));
        assert!(!allowed_from("meta", true));
        assert!(!allowed_from("worklist_entries", true));
    }
}
