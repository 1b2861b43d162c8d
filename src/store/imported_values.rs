//! A re-import never undoes a nurse's or a manager's change: a field users change as well as the
//! importer — the phones, the status and the assignment ([`FIELDS`]) — changes through an import
//! only when the source's value changed since the previous import of that patient. The value the
//! import last wrote is kept for that comparison (`patient_imported`); when the source did
//! change, the new value is written into the change history (user [`IMPORT_USER`]) in the
//! import's own transaction, so sync's rule — the latest change by its recorded time wins —
//! settles imports and users' changes alike on every register (`src/sync/rules.rs`).
//!
//! `patient_imported` holds a row only for patients a later import changed; for the others the
//! last imported value is derived: the newest change an import recorded (registers older than
//! this rule), else the value before the first recorded change of the field, else the current
//! value (a first load writes no row per patient).

use rusqlite::{OptionalExtension, Transaction, params};

/// The user recorded for changes an import made.
pub const IMPORT_USER: &str = "import";

/// The patient fields both users and imports change, in the order of [`Values`].
pub const FIELDS: [&str; 4] = ["phone", "phone2", "status", "nurse_id"];

/// A patient's values of [`FIELDS`], in that order.
pub type Values = [Option<String>; 4];

/// For an existing patient `id` whose source values are `source`: decides each field, records in
/// the history the fields the source changed (when the register held something else), and keeps
/// `source` as the last imported values. Returns the values to write — the source's where it
/// changed, the register's own elsewhere — or `None` when there is no such patient yet (the
/// caller inserts it).
pub fn reconcile(
    tx: &Transaction<'_>,
    id: &str,
    source: &Values,
) -> rusqlite::Result<Option<Values>> {
    type Read = (Values, Option<Values>);
    let read: Option<Read> = tx
        .prepare_cached(
            "SELECT p.phone, p.phone2, p.status, p.nurse_id, i.patient_id IS NOT NULL,
                    i.phone, i.phone2, i.status, i.nurse_id
             FROM patients p LEFT JOIN patient_imported i ON i.patient_id = p.id WHERE p.id = ?1",
        )?
        .query_row([id], |r| {
            let current: Values = [r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?];
            let kept: bool = r.get(4)?;
            let imported = kept
                .then(|| -> rusqlite::Result<Values> {
                    Ok([r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?])
                })
                .transpose()?;
            Ok((current, imported))
        })
        .optional()?;
    let Some((current, imported)) = read else {
        return Ok(None);
    };
    let previous: Values = match imported {
        Some(values) => values,
        None => {
            // The last import's own recorded change, else the value before the first change.
            let mut derived = current.clone();
            for (i, field) in FIELDS.iter().enumerate() {
                let known: Option<Option<String>> = tx
                    .prepare_cached(
                        "SELECT value FROM (
                            SELECT new_value AS value, 0 AS rank, changed_at, id FROM changes
                             WHERE patient_id = ?1 AND field = ?2 AND user_name = ?3
                            UNION ALL
                            SELECT old_value, 1, changed_at, id FROM changes
                             WHERE patient_id = ?1 AND field = ?2)
                         ORDER BY rank, CASE rank WHEN 0 THEN changed_at END DESC,
                            changed_at, id LIMIT 1",
                    )?
                    .query_row(params![id, field, IMPORT_USER], |r| r.get(0))
                    .optional()?;
                if let Some(value) = known {
                    derived[i] = value;
                }
            }
            derived
        }
    };
    let mut values = current.clone();
    let mut source_changed = false;
    for i in 0..FIELDS.len() {
        if source[i] == previous[i] {
            continue;
        }
        source_changed = true;
        values[i] = source[i].clone();
        if current[i] != source[i] {
            let device: String = tx
                .prepare_cached(
                    "SELECT coalesce((SELECT value FROM meta WHERE key = 'device_id'), 'unknown')",
                )?
                .query_row([], |r| r.get(0))?;
            super::assign::record_change(
                tx,
                IMPORT_USER,
                &device,
                id,
                FIELDS[i],
                current[i].as_deref(),
                source[i].as_deref(),
            )?;
        }
    }
    if source_changed {
        tx.prepare_cached(
            "INSERT INTO patient_imported (patient_id, phone, phone2, status, nurse_id)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (patient_id) DO UPDATE SET phone = excluded.phone, phone2 = excluded.phone2,
                status = excluded.status, nurse_id = excluded.nurse_id",
        )?
        .execute(params![id, source[0], source[1], source[2], source[3]])?;
    }
    Ok(Some(values))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn register() -> (tempfile::TempDir, crate::store::Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::Store::open(&dir.path().join("r.db")).unwrap();
        store
            .conn()
            .execute_batch(
                "INSERT INTO patients (id, family_name, given_name, sex, birth_date, phone)
                 VALUES ('P1', 'Петров', 'Пётр', 'M', '1950-01-01', '+7 900 000-00-03');",
            )
            .unwrap();
        (dir, store)
    }

    fn change(store: &crate::store::Store, id: &str, at: &str, user: &str, old: &str, new: &str) {
        store
            .conn()
            .execute(
                "INSERT INTO changes (id, changed_at, user_name, device, patient_id, field, old_value, new_value)
                 VALUES (?1, ?2, ?3, 'd', 'P1', 'phone', ?4, ?5)",
                params![id, at, user, old, new],
            )
            .unwrap();
    }

    fn source(phone: &str) -> Values {
        [Some(phone.into()), None, Some("active".into()), None]
    }

    #[test]
    fn without_a_kept_row_the_value_before_the_first_change_is_the_last_imported() {
        let (_dir, mut store) = register();
        change(
            &store,
            "a",
            "2026-11-01T10:00:00",
            "nurse",
            "+7 900 000-00-01",
            "+7 900 000-00-02",
        );
        change(
            &store,
            "b",
            "2026-11-02T10:00:00",
            "nurse",
            "+7 900 000-00-02",
            "+7 900 000-00-03",
        );
        let tx = store.conn_mut().transaction().unwrap();
        // The stale source still says …01: the nurse's …03 stays.
        let kept = reconcile(&tx, "P1", &source("+7 900 000-00-01"))
            .unwrap()
            .unwrap();
        assert_eq!(kept[0].as_deref(), Some("+7 900 000-00-03"));
        // A source with a new number wins, and the change is recorded.
        let taken = reconcile(&tx, "P1", &source("+7 900 000-00-09"))
            .unwrap()
            .unwrap();
        assert_eq!(taken[0].as_deref(), Some("+7 900 000-00-09"));
        let recorded: i64 = tx
            .query_row(
                "SELECT count(*) FROM changes WHERE user_name = 'import'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(recorded, 1);
        assert_eq!(reconcile(&tx, "P9", &source("1")).unwrap(), None);
    }

    #[test]
    fn an_older_registers_import_change_is_the_last_imported_value() {
        let (_dir, mut store) = register();
        change(
            &store,
            "a",
            "2026-11-01T10:00:00",
            "nurse",
            "+7 900 000-00-01",
            "+7 900 000-00-02",
        );
        change(
            &store,
            "b",
            "2026-11-02T10:00:00",
            IMPORT_USER,
            "+7 900 000-00-02",
            "+7 900 000-00-05",
        );
        change(
            &store,
            "c",
            "2026-11-03T10:00:00",
            "nurse",
            "+7 900 000-00-05",
            "+7 900 000-00-03",
        );
        let tx = store.conn_mut().transaction().unwrap();
        let kept = reconcile(&tx, "P1", &source("+7 900 000-00-05"))
            .unwrap()
            .unwrap();
        assert_eq!(kept[0].as_deref(), Some("+7 900 000-00-03"));
    }
}
