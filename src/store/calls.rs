//! Logging follow-up calls: durable before the form closes, append-only, and with the outcome's
//! consequences (a death or a move changes the patient's status) in the same transaction.

use super::Store;
use crate::domain::types::CallOutcome;
use crate::i18n::msg;
use chrono::{NaiveDate, Utc};
use rusqlite::{OptionalExtension, TransactionBehavior, params};

/// A call as the nurse logs it.
#[derive(Debug, Clone, PartialEq)]
pub struct NewCall {
    /// The patient called.
    pub patient_id: String,
    /// The outcome.
    pub outcome: CallOutcome,
    /// The agreed visit or call-back date.
    pub next_date: Option<NaiveDate>,
    /// Free text (any script).
    pub note: String,
    /// Who logged it.
    pub user: String,
    /// The call this one corrects, if it is a correction.
    pub supersedes: Option<String>,
}

/// Why a call could not be saved, in words for the nurse (in the process's language).
#[derive(Debug)]
pub enum CallError {
    /// No such patient in the register.
    UnknownPatient(String),
    /// The database refused or failed.
    Sqlite(rusqlite::Error),
}

impl std::fmt::Display for CallError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CallError::UnknownPatient(id) => {
                f.write_str(&msg("cli-no-patient", &[("id", id.as_str().into())]))
            }
            // The dashboard shows this sentence as it is: a full disk deserves plain words.
            CallError::Sqlite(e)
                if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DiskFull) =>
            {
                f.write_str(&msg("store-call-disk-full", &[]))
            }
            CallError::Sqlite(e) => f.write_str(&msg(
                "store-call-not-saved",
                &[("error", e.to_string().as_str().into())],
            )),
        }
    }
}

impl std::error::Error for CallError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            CallError::Sqlite(e) => Some(e),
            CallError::UnknownPatient(_) => None,
        }
    }
}

impl From<rusqlite::Error> for CallError {
    fn from(e: rusqlite::Error) -> Self {
        CallError::Sqlite(e)
    }
}

/// Appends a call and applies its consequences; returns the new call's id once it is committed
/// (with `synchronous=FULL`, committed means on disk).
pub fn append(store: &mut Store, call: &NewCall) -> Result<String, CallError> {
    let device = store.device_id();
    let id = uuid::Uuid::now_v7().to_string();
    let now = Utc::now().format("%Y-%m-%dT%H:%M:%S").to_string();
    let tx = store
        .conn_mut()
        .transaction_with_behavior(TransactionBehavior::Immediate)?;
    // Only "no such row" means an unknown patient; any other failure (a locked, full or damaged
    // register) is reported as what it is.
    let exists = tx
        .query_row(
            "SELECT 1 FROM patients WHERE id = ?1",
            [&call.patient_id],
            |_| Ok(()),
        )
        .optional()?
        .is_some();
    if !exists {
        return Err(CallError::UnknownPatient(call.patient_id.clone()));
    }
    tx.execute(
        "INSERT INTO calls (id, patient_id, called_at, user_name, device, outcome, next_date, note, supersedes)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            id,
            call.patient_id,
            now,
            call.user,
            device,
            call.outcome.as_code(),
            call.next_date.map(|d| d.to_string()),
            call.note,
            call.supersedes
        ],
    )?;
    if let Some(superseded) = &call.supersedes {
        restore_after_correction(&tx, call, superseded, &device)?;
    }
    let new_status = match call.outcome {
        // The date of death is the one the nurse was told (the call's date field), or the one the
        // register already holds; never the day of the call: unknown stays unknown.
        CallOutcome::Died => Some((
            "dead",
            "UPDATE patients SET status = 'dead', death_date = coalesce(?3, death_date) WHERE id = ?1",
        )),
        CallOutcome::Moved => Some((
            "moved",
            "UPDATE patients SET status = 'moved', moved_on = coalesce(moved_on, ?2) WHERE id = ?1",
        )),
        _ => None,
    };
    if let Some((status, sql)) = new_status {
        let old: String = tx.query_row(
            "SELECT status FROM patients WHERE id = ?1",
            [&call.patient_id],
            |r| r.get(0),
        )?;
        if old != status {
            // The date comes from the change's recorded time, as sync settles it on every register.
            let at = super::assign::record_change(
                &tx,
                &call.user,
                &device,
                &call.patient_id,
                "status",
                Some(&old),
                Some(status),
            )?;
            let death_date = call.next_date.map(|d| d.to_string());
            match call.outcome {
                CallOutcome::Died => {
                    tx.execute(sql, params![call.patient_id, None::<String>, death_date])?
                }
                _ => tx.execute(sql, params![call.patient_id, at.get(..10)])?,
            };
            crate::store::views::budget_inputs::drop_cached_inputs(&tx)?;
        }
    }
    // The stored worklist learns of the call in the same transaction.
    super::worklist_index::refresh_patients(&tx, &[call.patient_id.as_str()])?;
    tx.commit()?;
    tracing::info!(call = %id, patient = %call.patient_id, outcome = %call.outcome, "call logged");
    Ok(id)
}

/// The status a patient had before their current one, from the change history (`active` when the
/// history does not say).
fn previous_status(
    tx: &rusqlite::Transaction<'_>,
    patient_id: &str,
    current: &str,
) -> rusqlite::Result<String> {
    let old: Option<Option<String>> = tx
        .query_row(
            "SELECT old_value FROM changes WHERE patient_id = ?1 AND field = 'status' AND new_value = ?2
             ORDER BY changed_at DESC LIMIT 1",
            params![patient_id, current],
            |r| r.get(0),
        )
        .optional()?;
    Ok(old
        .flatten()
        .filter(|s| s != current)
        .unwrap_or_else(|| "active".to_string()))
}

/// Sets a patient's status back (clearing the date of death or of the move that went with the
/// status left) and records the change in the history. Returns the status left, or `None` when the
/// patient already had `status`.
fn set_status(
    tx: &rusqlite::Transaction<'_>,
    user: &str,
    device: &str,
    patient_id: &str,
    status: &str,
) -> Result<Option<String>, CallError> {
    let old: Option<String> = tx
        .query_row(
            "SELECT status FROM patients WHERE id = ?1",
            [patient_id],
            |r| r.get(0),
        )
        .optional()?;
    let Some(old) = old else {
        return Err(CallError::UnknownPatient(patient_id.to_string()));
    };
    if old == status {
        return Ok(None);
    }
    super::assign::record_change(
        tx,
        user,
        device,
        patient_id,
        "status",
        Some(&old),
        Some(status),
    )?;
    tx.execute(
        "UPDATE patients SET status = ?2,
            death_date = CASE WHEN ?2 = 'dead' THEN death_date ELSE NULL END,
            moved_on = CASE WHEN ?2 = 'moved' THEN moved_on ELSE NULL END
         WHERE id = ?1",
        params![patient_id, status],
    )?;
    crate::store::views::budget_inputs::drop_cached_inputs(tx)?;
    Ok(Some(old))
}

/// A correction of a "died" or "moved" call to another outcome gives the patient back the status
/// the call took away; the history keeps both changes.
fn restore_after_correction(
    tx: &rusqlite::Transaction<'_>,
    call: &NewCall,
    superseded: &str,
    device: &str,
) -> Result<(), CallError> {
    let outcome: Option<String> = tx
        .query_row(
            "SELECT outcome FROM calls WHERE id = ?1 AND patient_id = ?2",
            params![superseded, call.patient_id],
            |r| r.get(0),
        )
        .optional()?;
    let Some(old_outcome) = outcome.as_deref().and_then(CallOutcome::from_code) else {
        return Ok(());
    };
    let took = match old_outcome {
        CallOutcome::Died => "dead",
        CallOutcome::Moved => "moved",
        _ => return Ok(()),
    };
    if old_outcome == call.outcome {
        return Ok(());
    }
    let current: String = tx.query_row(
        "SELECT status FROM patients WHERE id = ?1",
        [&call.patient_id],
        |r| r.get(0),
    )?;
    if current != took {
        return Ok(());
    }
    let back = previous_status(tx, &call.patient_id, took)?;
    set_status(tx, &call.user, device, &call.patient_id, &back)?;
    Ok(())
}

/// A manager gives a dead or moved patient back the active status (a call logged on the wrong
/// patient, a register mistake): recorded in the change history like every status change, and the
/// stored worklist learns of it in the same transaction. Returns the status left, `None` when the
/// patient was already active.
pub fn restore_active(
    store: &mut Store,
    patient_id: &str,
    user: &str,
) -> Result<Option<String>, CallError> {
    let device = store.device_id();
    let tx = store
        .conn_mut()
        .transaction_with_behavior(TransactionBehavior::Immediate)?;
    let old = set_status(&tx, user, &device, patient_id, "active")?;
    if old.is_some() {
        super::worklist_index::refresh_patients(&tx, &[patient_id])?;
    }
    tx.commit()?;
    if let Some(old) = &old {
        tracing::info!(patient = %patient_id, from = %old, "status restored to active");
    }
    Ok(old)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("r.db")).unwrap();
        store
            .conn()
            .execute_batch("INSERT INTO patients (id, family_name, given_name, sex, birth_date) VALUES ('P1','Иванов','Иван','M','1950-01-01');")
            .unwrap();
        (dir, store)
    }

    fn call(outcome: CallOutcome) -> NewCall {
        NewCall {
            patient_id: "P1".into(),
            outcome,
            next_date: None,
            note: "Перезвонить".into(),
            user: "N01".into(),
            supersedes: None,
        }
    }

    #[test]
    fn a_call_is_saved_and_a_death_changes_the_status() {
        let (_d, mut s) = store();
        let id = append(&mut s, &call(CallOutcome::NoAnswer)).unwrap();
        let calls = crate::store::patients::calls_of(s.conn(), "P1").unwrap();
        assert_eq!(calls.len(), 1);
        assert_eq!(calls[0].id, id);
        assert_eq!(calls[0].note, "Перезвонить");
        append(&mut s, &call(CallOutcome::Died)).unwrap();
        let status: String = s
            .conn()
            .query_row("SELECT status FROM patients WHERE id='P1'", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(status, "dead");
    }

    #[test]
    fn a_correction_supersedes_without_deleting() {
        let (_d, mut s) = store();
        let first = append(&mut s, &call(CallOutcome::Refused)).unwrap();
        let mut fix = call(CallOutcome::AgreedToVisit);
        fix.supersedes = Some(first.clone());
        append(&mut s, &fix).unwrap();
        let calls = crate::store::patients::calls_of(s.conn(), "P1").unwrap();
        assert_eq!(calls.len(), 2);
        assert!(calls.iter().any(|c| c.id == first && c.superseded));
    }

    fn status_and_death(s: &Store) -> (String, Option<String>) {
        s.conn()
            .query_row(
                "SELECT status, death_date FROM patients WHERE id='P1'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap()
    }

    fn status_changes(s: &Store) -> Vec<(Option<String>, Option<String>)> {
        let mut stmt = s
            .conn()
            .prepare("SELECT old_value, new_value FROM changes WHERE patient_id='P1' AND field='status' ORDER BY changed_at")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }

    #[test]
    fn a_death_keeps_the_date_told_and_an_unknown_date_stays_unknown() {
        let (_d, mut s) = store();
        append(&mut s, &call(CallOutcome::Died)).unwrap();
        assert_eq!(status_and_death(&s), ("dead".into(), None), "never today");
        let (_d2, mut s2) = store();
        let mut told = call(CallOutcome::Died);
        told.next_date = NaiveDate::from_ymd_opt(2026, 11, 2);
        append(&mut s2, &told).unwrap();
        assert_eq!(
            status_and_death(&s2),
            ("dead".into(), Some("2026-11-02".into()))
        );
    }

    #[test]
    fn correcting_a_death_or_a_move_gives_the_status_back_with_both_changes_recorded() {
        let (_d, mut s) = store();
        let mut died = call(CallOutcome::Died);
        died.next_date = NaiveDate::from_ymd_opt(2026, 11, 2);
        let first = append(&mut s, &died).unwrap();
        let mut fix = call(CallOutcome::NoAnswer);
        fix.supersedes = Some(first);
        let second = append(&mut s, &fix).unwrap();
        assert_eq!(status_and_death(&s), ("active".into(), None));
        assert_eq!(
            status_changes(&s),
            vec![
                (Some("active".into()), Some("dead".into())),
                (Some("dead".into()), Some("active".into())),
            ]
        );
        // A wrong correction to "moved" and its correction back: active again.
        let mut moved = call(CallOutcome::Moved);
        moved.supersedes = Some(second);
        let third = append(&mut s, &moved).unwrap();
        assert_eq!(status_and_death(&s).0, "moved");
        let mut back = call(CallOutcome::AgreedToVisit);
        back.supersedes = Some(third);
        append(&mut s, &back).unwrap();
        assert_eq!(status_and_death(&s).0, "active");
        assert_eq!(status_changes(&s).len(), 4);
    }

    #[test]
    fn a_manager_restores_the_status() {
        let (_d, mut s) = store();
        append(&mut s, &call(CallOutcome::Died)).unwrap();
        assert_eq!(
            restore_active(&mut s, "P1", "boss").unwrap().as_deref(),
            Some("dead")
        );
        assert_eq!(status_and_death(&s).0, "active");
        assert_eq!(restore_active(&mut s, "P1", "boss").unwrap(), None);
        assert_eq!(status_changes(&s).len(), 2);
        assert!(restore_active(&mut s, "P404", "boss").is_err());
    }

    #[test]
    fn unknown_patient_is_a_sentence() {
        let (_d, mut s) = store();
        let mut c = call(CallOutcome::NoAnswer);
        c.patient_id = "P404".into();
        assert_eq!(
            append(&mut s, &c).unwrap_err().to_string(),
            "there is no patient \"P404\" in the register"
        );
    }
}
