//! The conflict rules, in one place.
//!
//! - Calls, changes and audit entries never conflict: they are append-only with ids unique without
//!   the hub (UUIDv7); an entry that is already present is left as it is.
//! - A patient's phones, status, assignment and palliative-care flag ([`DEVICE_FIELDS`]) are whatever the latest change
//!   of that field in the `changes` history says, by its recorded time, ties broken by the greater
//!   change id. Every register holds the same history once it has synced, so every register
//!   settles on the same value; the losing value stays in the history. Pulled rows therefore never
//!   overwrite a local change that has not been sent: that change is in the local history and
//!   takes part in the rule, and it is sent at the next exchange.
//! - Records the hub imports ([`super::tables::HUB_TABLES`]) are the hub's: a device's bundle that
//!   touches them is refused, and the hub's version replaces the device's.
//! - When an import on the hub changes a device-writable field, that change enters the history
//!   in the import's own transaction (user `import`: `crate::store::imported_values`, and
//!   `crate::store::hub_changes` for any other captured write), so the rule covers it too.

use super::tables::DEVICE_FIELDS;
use crate::store::palliative::write_palliative;
use crate::store::phones::{WhichPhone, refresh_search_text, write_phone};
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use std::collections::BTreeSet;

/// The user recorded for changes an import made (defined with the import's rule).
pub use crate::store::imported_values::IMPORT_USER;

/// The value the history says a field should have: the latest change's new value, if any change
/// was recorded (`Some(None)`: changed to empty).
pub fn latest_change(
    conn: &Connection,
    patient_id: &str,
    field: &str,
) -> rusqlite::Result<Option<(Option<String>, String)>> {
    conn.prepare_cached(
        "SELECT new_value, changed_at FROM changes WHERE patient_id = ?1 AND field = ?2
         ORDER BY changed_at DESC, id DESC LIMIT 1",
    )?
    .query_row(params![patient_id, field], |r| Ok((r.get(0)?, r.get(1)?)))
    .optional()
}

fn current_value(
    conn: &Connection,
    patient_id: &str,
    field: &str,
) -> rusqlite::Result<Option<String>> {
    let sql = match field {
        "phone" => "SELECT phone FROM patients WHERE id = ?1",
        "phone2" => "SELECT phone2 FROM patients WHERE id = ?1",
        "status" => "SELECT status FROM patients WHERE id = ?1",
        "palliative_since" => "SELECT palliative_since FROM patients WHERE id = ?1",
        _ => "SELECT nurse_id FROM patients WHERE id = ?1",
    };
    Ok(conn
        .prepare_cached(sql)?
        .query_row([patient_id], |r| r.get::<_, Option<String>>(0))
        .optional()?
        .flatten())
}

/// Brings each patient's device-writable fields to what the history says, and the folded search
/// text to the phones it then holds. Returns true when a status changed (the Budget tab's cached
/// figures depend on it).
pub fn settle_patients(conn: &Connection, patients: &BTreeSet<String>) -> rusqlite::Result<bool> {
    let mut status_changed = false;
    for id in patients {
        for field in DEVICE_FIELDS {
            let Some((value, at)) = latest_change(conn, id, field)? else {
                continue;
            };
            if current_value(conn, id, field)? == value {
                continue;
            }
            let value = value.as_deref();
            match field {
                "phone" => write_phone(conn, id, WhichPhone::First, value)?,
                "phone2" => write_phone(conn, id, WhichPhone::Second, value)?,
                "status" => {
                    status_changed = true;
                    conn.prepare_cached(
                        "UPDATE patients SET status = ?2,
                            death_date = CASE WHEN ?2 = 'dead' THEN coalesce(death_date, ?3) ELSE death_date END,
                            moved_on = CASE WHEN ?2 = 'moved' THEN coalesce(moved_on, ?3) ELSE moved_on END
                         WHERE id = ?1",
                    )?
                    .execute(params![id, value, at.get(..10)])?;
                }
                "palliative_since" => write_palliative(conn, id, value)?,
                _ => {
                    conn.prepare_cached("UPDATE patients SET nurse_id = ?2 WHERE id = ?1")?
                        .execute(params![id, value])?;
                }
            };
        }
        // The folded search text is derived from the phones each register settled: a hub's
        // record carries the text of the phones the hub held when it imported.
        refresh_search_text(conn, id)?;
    }
    Ok(status_changed)
}

/// On a hub that still has an earlier acodesk's base copy, attached as `sync_base` (see
/// [`super::base`]): writes into the history every
/// device-writable field an import changed since the last capture (a value that differs from the
/// base and from what the history says). Returns the changes written.
pub fn record_imported_changes(tx: &Transaction<'_>, hub_device: &str) -> rusqlite::Result<u64> {
    let mut written = 0;
    for field in DEVICE_FIELDS {
        let sql = match field {
            "phone" => {
                "SELECT m.id, b.phone, m.phone FROM main.patients m JOIN sync_base.patients b ON b.id = m.id
                 WHERE m.phone IS NOT b.phone"
            }
            "phone2" => {
                "SELECT m.id, b.phone2, m.phone2 FROM main.patients m JOIN sync_base.patients b ON b.id = m.id
                 WHERE m.phone2 IS NOT b.phone2"
            }
            "status" => {
                "SELECT m.id, b.status, m.status FROM main.patients m JOIN sync_base.patients b ON b.id = m.id
                 WHERE m.status IS NOT b.status"
            }
            "palliative_since" => {
                "SELECT m.id, b.palliative_since, m.palliative_since FROM main.patients m
                 JOIN sync_base.patients b ON b.id = m.id
                 WHERE m.palliative_since IS NOT b.palliative_since"
            }
            _ => {
                "SELECT m.id, b.nurse_id, m.nurse_id FROM main.patients m JOIN sync_base.patients b ON b.id = m.id
                 WHERE m.nurse_id IS NOT b.nurse_id"
            }
        };
        let differing: Vec<(String, Option<String>, Option<String>)> = {
            let mut stmt = tx.prepare(sql)?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        for (id, base, now) in differing {
            let history = latest_change(tx, &id, field)?;
            let old = match &history {
                Some((value, _)) if *value == now => continue,
                Some((value, _)) => value.clone(),
                None => base,
            };
            crate::store::assign::record_change(
                tx,
                IMPORT_USER,
                hub_device,
                &id,
                field,
                old.as_deref(),
                now.as_deref(),
            )?;
            written += 1;
        }
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conn() -> Connection {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::Store::open(&dir.path().join("r.db")).unwrap();
        drop(store);
        let conn = Connection::open(dir.path().join("r.db")).unwrap();
        std::mem::forget(dir);
        conn.execute_batch(
            "INSERT INTO patients (id, family_name, given_name, sex, birth_date, phone)
             VALUES ('P1', 'Петров', 'Пётр', 'M', '1950-01-01', '111111');",
        )
        .unwrap();
        conn
    }

    fn change(conn: &Connection, id: &str, at: &str, field: &str, value: &str) {
        conn.execute(
            "INSERT INTO changes (id, changed_at, user_name, device, patient_id, field, old_value, new_value)
             VALUES (?1, ?2, 'u', 'd', 'P1', ?3, NULL, ?4)",
            params![id, at, field, value],
        )
        .unwrap();
    }

    fn field(conn: &Connection, sql: &str) -> Option<String> {
        conn.query_row(sql, [], |r| r.get(0)).unwrap()
    }

    #[test]
    fn the_latest_change_wins_whatever_the_order_it_arrived_in() {
        let ids: BTreeSet<String> = ["P1".to_string()].into();
        for order in [[0, 1], [1, 0]] {
            let c = conn();
            let changes = [
                ("a", "2026-11-20T10:00:00", "222222"),
                ("b", "2026-11-20T11:00:00", "333333"),
            ];
            for i in order {
                let (id, at, value) = changes[i];
                change(&c, id, at, "phone", value);
                settle_patients(&c, &ids).unwrap();
            }
            assert_eq!(
                field(&c, "SELECT phone FROM patients").as_deref(),
                Some("333333")
            );
            let search = field(&c, "SELECT search_text FROM patients").unwrap();
            assert!(search.contains("333333"), "{search}");
        }
    }

    #[test]
    fn ties_go_to_the_greater_change_id_and_a_death_is_dated() {
        let c = conn();
        change(&c, "b", "2026-11-20T10:00:00", "phone", "444444");
        change(&c, "a", "2026-11-20T10:00:00", "phone", "555555");
        change(&c, "c", "2026-11-19T09:00:00", "status", "dead");
        let changed = settle_patients(&c, &["P1".to_string()].into()).unwrap();
        assert!(changed);
        assert_eq!(
            field(&c, "SELECT phone FROM patients").as_deref(),
            Some("444444")
        );
        assert_eq!(
            field(&c, "SELECT death_date FROM patients").as_deref(),
            Some("2026-11-19")
        );
    }

    #[test]
    fn the_palliative_mark_settles_from_the_latest_change_set_or_cleared() {
        let c = conn();
        let ids: BTreeSet<String> = ["P1".to_string()].into();
        change(
            &c,
            "a",
            "2026-11-20T10:00:00",
            "palliative_since",
            "2026-10-01",
        );
        settle_patients(&c, &ids).unwrap();
        assert_eq!(
            field(&c, "SELECT palliative_since FROM patients").as_deref(),
            Some("2026-10-01")
        );
        // A later clearing (no new value) wins.
        c.execute(
            "INSERT INTO changes (id, changed_at, user_name, device, patient_id, field, old_value, new_value)
             VALUES ('b', '2026-11-21T10:00:00', 'u', 'd', 'P1', 'palliative_since', '2026-10-01', NULL)",
            [],
        )
        .unwrap();
        settle_patients(&c, &ids).unwrap();
        assert_eq!(field(&c, "SELECT palliative_since FROM patients"), None);
    }
}
