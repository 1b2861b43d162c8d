//! A re-import never undoes a nurse's or a manager's change: a field users change as well as the
//! importer — the phones, the status and the assignment ([`FIELDS`]) — changes through an import
//! only when the source's value changed since the previous import of that patient. The value the
//! import last wrote is kept for that comparison (`patient_imported`); when the source did
//! change, the new value is written into the change history (user [`IMPORT_USER`]) in the
//! import's own transaction, so sync's rule — the latest change by its recorded time wins —
//! settles imports and users' changes alike on every register (`src/sync/rules.rs`).
//!
//! `patient_imported` holds a row only for patients a later import compared; for the others
//! the last imported value is derived: the value before the first recorded change of the field,
//! or, with no change recorded, the current value (a first load writes no row per patient).

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
    let current: Option<(Values, bool)> = tx
        .prepare_cached(
            "SELECT p.phone, p.phone2, p.status, p.nurse_id, i.patient_id IS NOT NULL,
                    i.phone, i.phone2, i.status, i.nurse_id
             FROM patients p LEFT JOIN patient_imported i ON i.patient_id = p.id WHERE p.id = ?1",
        )?
        .query_row([id], |r| {
            let current: Values = [r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?];
            Ok((current, r.get(4)?))
        })
        .optional()?;
    let Some((current, has_row)) = current else {
        return Ok(None);
    };
    let previous: Values = if has_row {
        tx.prepare_cached(
            "SELECT phone, phone2, status, nurse_id FROM patient_imported WHERE patient_id = ?1",
        )?
        .query_row([id], |r| Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?]))?
    } else {
        let mut derived = current.clone();
        for (i, field) in FIELDS.iter().enumerate() {
            let first: Option<Option<String>> = tx
                .prepare_cached(
                    "SELECT old_value FROM changes WHERE patient_id = ?1 AND field = ?2
                     ORDER BY changed_at, id LIMIT 1",
                )?
                .query_row(params![id, field], |r| r.get(0))
                .optional()?;
            if let Some(value) = first {
                derived[i] = value;
            }
        }
        derived
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
