//! Managers assign patients to nurses, one by one or in bulk by site. Each change is recorded in
//! the append-only `changes` history with the old value, the user and the device.

use super::Store;
use crate::i18n::msg;
use chrono::Utc;
use rusqlite::{OptionalExtension, Transaction, TransactionBehavior, params};

/// Why an assignment could not be made, in words for the manager.
#[derive(Debug)]
pub enum AssignError {
    /// No such patient.
    UnknownPatient(String),
    /// No such nurse (or the id is a manager's).
    UnknownNurse(String),
    /// No such site.
    UnknownSite(String),
    /// The database failed.
    Sqlite(rusqlite::Error),
}

impl std::fmt::Display for AssignError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AssignError::UnknownPatient(id) => {
                f.write_str(&msg("cli-no-patient", &[("id", id.as_str().into())]))
            }
            AssignError::UnknownNurse(id) => {
                f.write_str(&msg("store-unknown-nurse", &[("id", id.as_str().into())]))
            }
            AssignError::UnknownSite(id) => {
                f.write_str(&msg("store-unknown-site", &[("id", id.as_str().into())]))
            }
            AssignError::Sqlite(e) => f.write_str(&msg(
                "store-assignment-not-saved",
                &[("error", e.to_string().as_str().into())],
            )),
        }
    }
}

impl std::error::Error for AssignError {}

impl From<rusqlite::Error> for AssignError {
    fn from(e: rusqlite::Error) -> Self {
        AssignError::Sqlite(e)
    }
}

/// Changes one field of a patient the way every edit by a user does, in one immediate
/// transaction: `read` gives the value now (`None`: no such patient); the same value changes
/// nothing; otherwise the change goes to the history ([`record_change`]), `write` stores it and
/// the patient's stored worklist and Progress figures are refreshed. `Ok(None)` for an unknown
/// patient, else whether anything changed.
pub fn change_patient_field(
    store: &mut Store,
    user: &str,
    patient_id: &str,
    field: &str,
    new: Option<&str>,
    read: impl FnOnce(&Transaction<'_>) -> rusqlite::Result<Option<Option<String>>>,
    write: impl FnOnce(&Transaction<'_>) -> rusqlite::Result<()>,
) -> rusqlite::Result<Option<bool>> {
    let device = store.device_id();
    let tx = store
        .conn_mut()
        .transaction_with_behavior(TransactionBehavior::Immediate)?;
    let Some(old) = read(&tx)? else {
        return Ok(None);
    };
    if old.as_deref() == new {
        return Ok(Some(false));
    }
    record_change(&tx, user, &device, patient_id, field, old.as_deref(), new)?;
    write(&tx)?;
    super::worklist_index::refresh_patients(&tx, &[patient_id])?;
    tx.commit()?;
    Ok(Some(true))
}

/// Records one change of a patient's field in the history (inside the caller's transaction) and
/// returns the time recorded (`YYYY-MM-DDTHH:MM:SS`, UTC).
///
/// The time is now, or one second after the latest change of the same field already recorded if
/// that is later (a laptop whose clock runs behind): a change made after seeing another is always
/// recorded as later, so under sync's rule — the latest change by its recorded time wins — it wins
/// here and everywhere else alike.
pub fn record_change(
    tx: &Transaction<'_>,
    user: &str,
    device: &str,
    patient_id: &str,
    field: &str,
    old: Option<&str>,
    new: Option<&str>,
) -> rusqlite::Result<String> {
    const FORMAT: &str = "%Y-%m-%dT%H:%M:%S";
    let latest: Option<String> = tx
        .prepare_cached("SELECT max(changed_at) FROM changes WHERE patient_id = ?1 AND field = ?2")?
        .query_row(params![patient_id, field], |r| r.get(0))?;
    let now = Utc::now().naive_utc();
    let at = match latest.and_then(|l| chrono::NaiveDateTime::parse_from_str(&l, FORMAT).ok()) {
        Some(latest) if latest >= now => latest + chrono::Duration::seconds(1),
        _ => now,
    }
    .format(FORMAT)
    .to_string();
    tx.prepare_cached(
        "INSERT INTO changes (id, changed_at, user_name, device, patient_id, field, old_value, new_value)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        uuid::Uuid::now_v7().to_string(),
        at,
        user,
        device,
        patient_id,
        field,
        old,
        new
    ])?;
    Ok(at)
}

fn check_nurse(tx: &Transaction<'_>, nurse_id: &str) -> Result<(), AssignError> {
    let found = tx
        .query_row(
            "SELECT 1 FROM staff WHERE id = ?1 AND role = 'nurse'",
            [nurse_id],
            |_| Ok(()),
        )
        .optional()?;
    found.ok_or_else(|| AssignError::UnknownNurse(nurse_id.to_string()))
}

/// Assigns one patient to a nurse; returns false when they already were.
pub fn assign_patient(
    store: &mut Store,
    patient_id: &str,
    nurse_id: &str,
    user: &str,
) -> Result<bool, AssignError> {
    let device = store.device_id();
    let tx = store
        .conn_mut()
        .transaction_with_behavior(TransactionBehavior::Immediate)?;
    check_nurse(&tx, nurse_id)?;
    let current: Option<Option<String>> = tx
        .query_row(
            "SELECT nurse_id FROM patients WHERE id = ?1",
            [patient_id],
            |r| r.get(0),
        )
        .optional()?;
    let Some(current) = current else {
        return Err(AssignError::UnknownPatient(patient_id.to_string()));
    };
    if current.as_deref() == Some(nurse_id) {
        return Ok(false);
    }
    tx.execute(
        "UPDATE patients SET nurse_id = ?2 WHERE id = ?1",
        params![patient_id, nurse_id],
    )?;
    record_change(
        &tx,
        user,
        &device,
        patient_id,
        "nurse_id",
        current.as_deref(),
        Some(nurse_id),
    )?;
    super::worklist_index::refresh_patients(&tx, &[patient_id])?;
    tx.commit()?;
    Ok(true)
}

/// Assigns every active patient of a site (or only those with no nurse) to a nurse; returns how
/// many changed.
pub fn assign_site(
    store: &mut Store,
    site_id: &str,
    nurse_id: &str,
    only_unassigned: bool,
    user: &str,
) -> Result<u64, AssignError> {
    let device = store.device_id();
    let tx = store
        .conn_mut()
        .transaction_with_behavior(TransactionBehavior::Immediate)?;
    check_nurse(&tx, nurse_id)?;
    let site = tx
        .query_row(
            "SELECT 1 FROM organizations WHERE id = ?1",
            [site_id],
            |_| Ok(()),
        )
        .optional()?;
    if site.is_none() {
        return Err(AssignError::UnknownSite(site_id.to_string()));
    }
    let targets: Vec<(String, Option<String>)> = {
        let mut stmt = tx.prepare(
            "SELECT id, nurse_id FROM patients
             WHERE site_id = ?1 AND status = 'active' AND nurse_id IS NOT ?2 AND (NOT ?3 OR nurse_id IS NULL)
             ORDER BY id",
        )?;
        let rows = stmt.query_map(params![site_id, nurse_id, only_unassigned], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for (patient, old) in &targets {
        tx.execute(
            "UPDATE patients SET nurse_id = ?2 WHERE id = ?1",
            params![patient, nurse_id],
        )?;
        record_change(
            &tx,
            user,
            &device,
            patient,
            "nurse_id",
            old.as_deref(),
            Some(nurse_id),
        )?;
    }
    let ids: Vec<&str> = targets.iter().map(|(p, _)| p.as_str()).collect();
    super::progress_index::refresh_patients(&tx, &ids)?;
    // The assignment column of the stored worklist follows.
    tx.execute(
        "UPDATE worklist_entries SET nurse_id = ?2 WHERE patient_id IN (SELECT id FROM patients WHERE site_id = ?1 AND nurse_id = ?2)",
        params![site_id, nurse_id],
    )?;
    tx.commit()?;
    Ok(targets.len() as u64)
}

/// The nurses of the register (id, name, home site id), by name.
pub fn nurses(
    conn: &rusqlite::Connection,
) -> rusqlite::Result<Vec<(String, String, Option<String>)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, name, site_id FROM staff WHERE role = 'nurse' ORDER BY name, id",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    rows.collect()
}

/// The sites patients are assigned to (id, name), by name.
pub fn sites(conn: &rusqlite::Connection) -> rusqlite::Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT o.id, o.name FROM organizations o WHERE EXISTS (SELECT 1 FROM patients p WHERE p.site_id = o.id)
         ORDER BY o.name, o.id",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("r.db")).unwrap();
        store
            .conn()
            .execute_batch(
                "INSERT INTO organizations (id, name, kind) VALUES ('PC1', 'Поликлиника 1', 'polyclinic');
                 INSERT INTO staff (id, name, role, site_id) VALUES ('N1', 'Иванова', 'nurse', 'PC1'), ('N2', 'Петрова', 'nurse', 'PC1'), ('M1', 'Главная', 'manager', 'PC1');
                 INSERT INTO patients (id, family_name, given_name, sex, birth_date, site_id, nurse_id) VALUES
                    ('P1', 'А', 'Б', 'F', '1950-01-01', 'PC1', 'N1'),
                    ('P2', 'В', 'Г', 'M', '1950-01-01', 'PC1', NULL),
                    ('P3', 'Д', 'Е', 'M', '1950-01-01', 'PC1', NULL);",
            )
            .unwrap();
        (dir, store)
    }

    #[test]
    fn one_by_one_with_history() {
        let (_d, mut s) = store();
        assert!(assign_patient(&mut s, "P1", "N2", "manager").unwrap());
        assert!(
            !assign_patient(&mut s, "P1", "N2", "manager").unwrap(),
            "no change, no history"
        );
        let (old, new): (Option<String>, String) = s
            .conn()
            .query_row(
                "SELECT old_value, new_value FROM changes WHERE patient_id = 'P1'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!((old.as_deref(), new.as_str()), (Some("N1"), "N2"));
        assert!(matches!(
            assign_patient(&mut s, "P1", "M1", "m"),
            Err(AssignError::UnknownNurse(_))
        ));
        assert!(matches!(
            assign_patient(&mut s, "P9", "N1", "m"),
            Err(AssignError::UnknownPatient(_))
        ));
    }

    #[test]
    fn in_bulk_by_site() {
        let (_d, mut s) = store();
        assert_eq!(
            assign_site(&mut s, "PC1", "N2", true, "manager").unwrap(),
            2,
            "only the unassigned"
        );
        assert_eq!(
            assign_site(&mut s, "PC1", "N2", false, "manager").unwrap(),
            1,
            "then P1 too"
        );
        let n: i64 = s
            .conn()
            .query_row("SELECT count(*) FROM changes", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 3);
        assert!(matches!(
            assign_site(&mut s, "NOPE", "N2", false, "m"),
            Err(AssignError::UnknownSite(_))
        ));
    }
}
