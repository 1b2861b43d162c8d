//! On a sync hub, what a write changes in the imported tables is captured as it happens, in the
//! write's own transaction: a SQLite session ([`rusqlite::session::Session`]) is attached to the
//! imported tables ([`HUB_TABLES`]) when the import's transaction begins, and before it commits
//! the session's changeset becomes one outbox entry (`sync_outbox`). A later export then costs in
//! proportion to what changed since a device's last acknowledged entry, never to the register:
//! nothing is compared with a copy of the tables.
//!
//! The session records each row's values from before its first change and reads the row again
//! when the changeset is made, so an update that puts the old values back records nothing, and a
//! rolled-back import leaves no entry (the session is dropped with it). Registers that do not
//! sync as the hub attach no session: their imports cost nothing more.
//!
//! A device-writable field an import changes (phones, status, assignment) is written into the
//! change history by the import itself ([`super::imported_values`]); [`HubCapture::finish`] also
//! writes it for any other captured write that changed such a field without a history row, so
//! sync's latest-change rule settles every register alike.

use super::imported_values::{FIELDS, IMPORT_USER};
use rusqlite::session::{ChangesetIter, Session};
use rusqlite::{Connection, OptionalExtension, Transaction, params};

/// The tables the hub imports: devices receive them and never change them. (The sync module names
/// them too: its `tables` file re-exports this list.)
pub const HUB_TABLES: [&str; 11] = [
    "organizations",
    "staff",
    "programs",
    "patients",
    "enrolments",
    "diagnoses",
    "observations",
    "encounters",
    "claim_lines",
    "appointments",
    "contract",
];

/// The current UTC time as sync records it (`YYYY-MM-DDTHH:MM:SSZ`).
pub fn now_utc() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Whether this register is a sync hub (the `meta` key `sync_role` set by `sync init --hub`).
pub fn is_hub(conn: &Connection) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM meta WHERE key = 'sync_role' AND value = 'hub')",
        [],
        |r| r.get(0),
    )
}

/// The capture of one write transaction on the hub (nothing on any other register).
pub struct HubCapture<'c> {
    session: Option<Session<'c>>,
}

impl<'c> HubCapture<'c> {
    /// Starts recording the imported tables' changes, when this register is the hub. Call inside
    /// the write's transaction, before its first write.
    pub fn begin(conn: &'c Connection) -> rusqlite::Result<HubCapture<'c>> {
        if !is_hub(conn)? {
            return Ok(HubCapture { session: None });
        }
        let mut session = Session::new(conn)?;
        for table in HUB_TABLES {
            session.attach(Some(table))?;
        }
        Ok(HubCapture {
            session: Some(session),
        })
    }

    /// Writes what was recorded as one outbox entry, in the same transaction (call just before
    /// it commits), after writing into the history any device-writable field changed without a
    /// history row. Returns the row changes captured (0: no entry).
    pub fn finish(self, tx: &Transaction<'_>) -> rusqlite::Result<u64> {
        let Some(mut session) = self.session else {
            return Ok(0);
        };
        let mut changeset = Vec::new();
        if !session.is_empty() {
            session.changeset_strm(&mut changeset)?;
        }
        drop(session);
        if changeset.is_empty() {
            return Ok(0);
        }
        let rows = record_unlogged_fields(tx, &changeset)?;
        if rows == 0 {
            return Ok(0);
        }
        tx.prepare_cached(
            "INSERT INTO sync_outbox (captured_at, rows, edits, changeset) VALUES (?1, ?2, 0, ?3)",
        )?
        .execute(params![now_utc(), rows as i64, changeset])?;
        Ok(rows)
    }
}

/// Runs `write` in one immediate transaction under a [`HubCapture`] (a write to the imported
/// tables outside an import: the contract set from the command line).
pub fn write_captured<T>(
    conn: &Connection,
    write: impl FnOnce(&Transaction<'_>) -> rusqlite::Result<T>,
) -> rusqlite::Result<T> {
    let tx = Transaction::new_unchecked(conn, rusqlite::TransactionBehavior::Immediate)?;
    let capture = HubCapture::begin(&tx)?;
    let value = write(&tx)?;
    capture.finish(&tx)?;
    tx.commit()?;
    Ok(value)
}

/// The row changes in a changeset.
pub fn count_rows(changeset: &[u8]) -> rusqlite::Result<u64> {
    use rusqlite::fallible_streaming_iterator::FallibleStreamingIterator;
    let mut input: &[u8] = changeset;
    let reader: &mut dyn std::io::Read = &mut input;
    let mut iter = ChangesetIter::start_strm(&reader)?;
    let mut n = 0;
    while iter.next()?.is_some() {
        n += 1;
    }
    Ok(n)
}

/// Counts the changeset's rows and, for each update of a patient's device-writable field whose
/// new value is not what the field's latest recorded change says, records that change (user
/// [`IMPORT_USER`]). Returns the rows.
fn record_unlogged_fields(tx: &Transaction<'_>, changeset: &[u8]) -> rusqlite::Result<u64> {
    use rusqlite::fallible_streaming_iterator::FallibleStreamingIterator;
    use rusqlite::hooks::Action;
    let positions: Vec<(usize, &str)> = {
        let mut stmt =
            tx.prepare_cached("SELECT cid, name FROM pragma_table_info('patients') ORDER BY cid")?;
        let columns: Vec<(i64, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        FIELDS
            .iter()
            .filter_map(|f| {
                columns
                    .iter()
                    .find(|(_, name)| name == f)
                    .map(|(cid, _)| (*cid as usize, *f))
            })
            .collect()
    };
    let id_position: i64 = tx.query_row(
        "SELECT cid FROM pragma_table_info('patients') WHERE pk = 1",
        [],
        |r| r.get(0),
    )?;
    let id_position = id_position as usize;
    let mut unlogged: Vec<(String, &str, Option<String>, Option<String>)> = Vec::new();
    let mut rows = 0u64;
    {
        let mut input: &[u8] = changeset;
        let reader: &mut dyn std::io::Read = &mut input;
        let mut iter = ChangesetIter::start_strm(&reader)?;
        while let Some(item) = iter.next()? {
            rows += 1;
            let op = item.op()?;
            if op.table_name() != "patients" || op.code() != Action::SQLITE_UPDATE {
                continue;
            }
            let Some(id) = item
                .old_value(id_position)
                .ok()
                .and_then(|v| v.as_str().ok().map(str::to_string))
            else {
                continue;
            };
            for (position, field) in &positions {
                // Columns the update left alone have no new value.
                let Ok(new) = item.new_value(*position) else {
                    continue;
                };
                let new: Option<String> = match new {
                    rusqlite::types::ValueRef::Null => None,
                    rusqlite::types::ValueRef::Text(t) => {
                        Some(String::from_utf8_lossy(t).into_owned())
                    }
                    _ => continue,
                };
                let old: Option<String> = item
                    .old_value(*position)
                    .ok()
                    .and_then(|v| v.as_str().ok().map(str::to_string));
                unlogged.push((id.clone(), field, old, new));
            }
        }
    }
    if unlogged.is_empty() {
        return Ok(rows);
    }
    let device: String = tx.query_row(
        "SELECT coalesce((SELECT value FROM meta WHERE key = 'device_id'), 'unknown')",
        [],
        |r| r.get(0),
    )?;
    for (id, field, old, new) in unlogged {
        let latest: Option<Option<String>> = tx
            .prepare_cached(
                "SELECT new_value FROM changes WHERE patient_id = ?1 AND field = ?2
                 ORDER BY changed_at DESC, id DESC LIMIT 1",
            )?
            .query_row(params![id, field], |r| r.get(0))
            .optional()?;
        let old = match latest {
            Some(value) if value == new => continue,
            Some(value) => value,
            None => old,
        };
        super::assign::record_change(
            tx,
            IMPORT_USER,
            &device,
            &id,
            field,
            old.as_deref(),
            new.as_deref(),
        )?;
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn register(hub: bool) -> (tempfile::TempDir, Connection) {
        let dir = tempfile::tempdir().unwrap();
        drop(crate::store::Store::open(&dir.path().join("r.db")).unwrap());
        let conn = Connection::open(dir.path().join("r.db")).unwrap();
        conn.execute_batch(
            "INSERT INTO patients (id, family_name, given_name, sex, birth_date, phone)
             VALUES ('P1', 'Петров', 'Пётр', 'M', '1950-01-01', '111111');",
        )
        .unwrap();
        if hub {
            conn.execute_batch(
                "INSERT INTO meta (key, value) VALUES ('sync_role', 'hub')
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )
            .unwrap();
        }
        (dir, conn)
    }

    fn outbox(conn: &Connection) -> Vec<(i64, Vec<u8>)> {
        let mut stmt = conn
            .prepare("SELECT rows, changeset FROM sync_outbox ORDER BY seq")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
    }

    #[test]
    fn a_hub_write_becomes_one_outbox_entry_in_its_own_transaction() {
        let (_dir, conn) = register(true);
        write_captured(&conn, |tx| {
            tx.execute_batch(
                "INSERT INTO patients (id, family_name, given_name, sex, birth_date)
                 VALUES ('P2', 'Иванова', 'Анна', 'F', '1960-02-02');
                 UPDATE patients SET locality = 'Берёзовка' WHERE id = 'P1';",
            )
        })
        .unwrap();
        let entries = outbox(&conn);
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].0, 2);
        assert_eq!(count_rows(&entries[0].1).unwrap(), 2);
    }

    #[test]
    fn nothing_changed_or_rolled_back_leaves_no_entry() {
        let (_dir, conn) = register(true);
        write_captured(&conn, |tx| {
            tx.execute_batch(
                "UPDATE patients SET family_name = 'Сидоров' WHERE id = 'P1';
                 UPDATE patients SET family_name = 'Петров' WHERE id = 'P1';",
            )
        })
        .unwrap();
        let failed: rusqlite::Result<()> = write_captured(&conn, |tx| {
            tx.execute_batch("UPDATE patients SET family_name = 'Сидоров' WHERE id = 'P1';")?;
            Err(rusqlite::Error::InvalidQuery)
        });
        assert!(failed.is_err());
        assert!(outbox(&conn).is_empty());
    }

    #[test]
    fn a_register_that_is_not_the_hub_captures_nothing() {
        let (_dir, conn) = register(false);
        write_captured(&conn, |tx| {
            tx.execute_batch("UPDATE patients SET locality = 'Берёзовка' WHERE id = 'P1';")
        })
        .unwrap();
        assert!(outbox(&conn).is_empty());
    }

    #[test]
    fn a_device_field_changed_without_history_is_written_into_it_once() {
        let (_dir, conn) = register(true);
        let history = |conn: &Connection| -> Vec<(String, Option<String>, Option<String>)> {
            let mut stmt = conn
                .prepare("SELECT user_name, old_value, new_value FROM changes ORDER BY rowid")
                .unwrap();
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .unwrap()
                .map(|r| r.unwrap())
                .collect()
        };
        write_captured(&conn, |tx| {
            tx.execute_batch("UPDATE patients SET phone = '222222' WHERE id = 'P1';")
        })
        .unwrap();
        assert_eq!(
            history(&conn),
            [(
                IMPORT_USER.to_string(),
                Some("111111".to_string()),
                Some("222222".to_string())
            )]
        );
        // The import's own rule already wrote the change: not written twice.
        write_captured(&conn, |tx| {
            crate::store::assign::record_change(
                tx,
                IMPORT_USER,
                "hub",
                "P1",
                "phone",
                Some("222222"),
                Some("333333"),
            )?;
            tx.execute_batch("UPDATE patients SET phone = '333333' WHERE id = 'P1';")
        })
        .unwrap();
        assert_eq!(history(&conn).len(), 2);
    }
}
