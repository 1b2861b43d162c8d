//! The hub's base copy: the imported tables as they were at the last capture, in a file beside
//! the register (`<register>.sync-base`, owner-only). The session extension's `diff` compares the
//! register with it, so whatever an import changed — new rows, updated rows, removed rows — is
//! captured without the importers knowing about sync.
//!
//! The capture and the base's catching up are two transactions: the capture commits first, so a
//! crash between them makes the next capture take the same changes again (applying them twice
//! changes nothing), never lose them.

use super::tables::{HUB_TABLES, Shape, ident};
use rusqlite::types::Value;
use rusqlite::{Connection, params_from_iter};
use std::path::{Path, PathBuf};

/// The schema name the base is attached under.
pub const SCHEMA: &str = "sync_base";

/// Where the base copy of the register at `db` lives.
pub fn path_for(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".sync-base");
    PathBuf::from(name)
}

/// Attaches the base (creating it owner-only if missing, with empty tables: the next capture then
/// carries every imported row) and brings its tables to the register's shapes. Call outside any
/// transaction.
pub fn attach(conn: &Connection, db: &Path) -> rusqlite::Result<()> {
    let path = path_for(db);
    crate::store::backup::create_private_if_missing(&path)
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
    conn.execute("ATTACH DATABASE ?1 AS sync_base", [path.to_string_lossy()])?;
    for table in HUB_TABLES {
        let main = Shape::of(conn, "main", table)?;
        let base = Shape::of(conn, SCHEMA, table)?;
        if base.columns.is_empty() {
            conn.execute_batch(&main.create_sql(SCHEMA, table))?;
        } else if base != main {
            // A later migration added columns: the base gains them (empty), so the next capture
            // carries their values.
            for column in main.columns.iter().filter(|c| !base.columns.contains(c)) {
                conn.execute_batch(&format!(
                    "ALTER TABLE {}.{} ADD COLUMN {}",
                    ident(SCHEMA),
                    ident(table),
                    ident(column)
                ))?;
            }
        }
    }
    Ok(())
}

/// Detaches the base.
pub fn detach(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch("DETACH DATABASE sync_base")
}

/// Makes the base an exact copy of the register's imported tables (when the hub is set up).
pub fn fill(conn: &Connection) -> rusqlite::Result<()> {
    for table in HUB_TABLES {
        let shape = Shape::of(conn, "main", table)?;
        let columns: Vec<String> = shape.columns.iter().map(|c| ident(c)).collect();
        let columns = columns.join(", ");
        conn.execute_batch(&format!(
            "DELETE FROM {schema}.{t}; INSERT INTO {schema}.{t} ({columns}) SELECT {columns} FROM main.{t};",
            schema = ident(SCHEMA),
            t = ident(table),
        ))?;
    }
    Ok(())
}

/// The changeset that turns the base into the register's imported tables (empty: no change).
pub fn diff(conn: &Connection) -> rusqlite::Result<Vec<u8>> {
    let mut session = rusqlite::session::Session::new(conn)?;
    for table in HUB_TABLES {
        session.attach(Some(table))?;
        session.diff::<&str, &str>(SCHEMA, table)?;
    }
    let mut out = Vec::new();
    if !session.is_empty() {
        session.changeset_strm(&mut out)?;
    }
    Ok(out)
}

/// Applies a changeset made by [`diff`] to the base, from the changeset's own values (never from
/// the register, which may have moved on since).
pub fn advance(conn: &Connection, changeset: &[u8]) -> rusqlite::Result<()> {
    use rusqlite::fallible_streaming_iterator::FallibleStreamingIterator;
    use rusqlite::hooks::Action;
    if changeset.is_empty() {
        return Ok(());
    }
    let tx = conn.unchecked_transaction()?;
    let mut input: &[u8] = changeset;
    let reader: &mut dyn std::io::Read = &mut input;
    let mut iter = rusqlite::session::ChangesetIter::start_strm(&reader)?;
    let mut shapes: std::collections::HashMap<String, Shape> = Default::default();
    while let Some(item) = iter.next()? {
        let op = item.op()?;
        let table = op.table_name().to_string();
        if !shapes.contains_key(&table) {
            shapes.insert(table.clone(), Shape::of(&tx, SCHEMA, &table)?);
        }
        let shape = &shapes[&table];
        let target = format!("{}.{}", ident(SCHEMA), ident(&table));
        let key_positions: Vec<usize> =
            shape.key.iter().filter_map(|k| shape.position(k)).collect();
        match op.code() {
            Action::SQLITE_INSERT => {
                let values: Vec<Value> = (0..shape.columns.len())
                    .map(|i| item.new_value(i).and_then(owned))
                    .collect::<rusqlite::Result<_>>()?;
                let marks: Vec<String> = (1..=values.len()).map(|i| format!("?{i}")).collect();
                tx.prepare_cached(&format!(
                    "INSERT OR REPLACE INTO {target} VALUES ({})",
                    marks.join(", ")
                ))?
                .execute(params_from_iter(values))?;
            }
            Action::SQLITE_DELETE => {
                let key: Vec<Value> = key_positions
                    .iter()
                    .map(|i| item.old_value(*i).and_then(owned))
                    .collect::<rusqlite::Result<_>>()?;
                tx.prepare_cached(&format!("DELETE FROM {target} WHERE {}", shape.key_match()))?
                    .execute(params_from_iter(key))?;
            }
            Action::SQLITE_UPDATE => {
                let key: Vec<Value> = key_positions
                    .iter()
                    .map(|i| item.old_value(*i).and_then(owned))
                    .collect::<rusqlite::Result<_>>()?;
                for (i, column) in shape.columns.iter().enumerate() {
                    // Columns the update left alone have no new value.
                    let Ok(value) = item.new_value(i) else {
                        continue;
                    };
                    let mut values = key.clone();
                    values.push(owned(value)?);
                    tx.prepare_cached(&format!(
                        "UPDATE {target} SET {} = ?{} WHERE {}",
                        ident(column),
                        key.len() + 1,
                        shape.key_match()
                    ))?
                    .execute(params_from_iter(values))?;
                }
            }
            _ => {}
        }
    }
    tx.commit()
}

fn owned(value: rusqlite::types::ValueRef<'_>) -> rusqlite::Result<Value> {
    Value::try_from(value).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Blob, Box::new(e))
    })
}
