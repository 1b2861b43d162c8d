//! The base copy an earlier acodesk kept beside a hub's register (`<register>.sync-base`): the
//! imported tables as they were at the last capture, which every capture compared with the
//! register (a cost that grew with the register). Imports now capture their own changes
//! ([`crate::store::hub_changes`]); a hub that still has a base is diffed against it once, at its
//! next capture, so imports made before the upgrade and not yet captured are sent, and the base
//! is then removed ([`super::capture`]).

use super::tables::{HUB_TABLES, Shape, ident};
use rusqlite::Connection;
use std::path::{Path, PathBuf};

/// The schema name the base is attached under.
pub const SCHEMA: &str = "sync_base";

/// Where the base copy of the register at `db` lives.
pub fn path_for(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".sync-base");
    PathBuf::from(name)
}

/// Attaches the base and brings its tables to the register's shapes. Call outside any
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
