//! Logging follow-up calls: durable before the form closes, append-only, and with the outcome's
//! consequences (a death or a move changes the patient's status) in the same transaction.

use super::Store;
use crate::domain::types::CallOutcome;
use crate::i18n::msg;
use chrono::{NaiveDate, Utc};
use rusqlite::{TransactionBehavior, params};

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
    let exists = tx
        .query_row(
            "SELECT 1 FROM patients WHERE id = ?1",
            [&call.patient_id],
            |_| Ok(()),
        )
        .is_ok();
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
    let new_status = match call.outcome {
        CallOutcome::Died => Some((
            "dead",
            "UPDATE patients SET status = 'dead', death_date = coalesce(death_date, ?2) WHERE id = ?1",
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
            tx.execute(sql, params![call.patient_id, at.get(..10)])?;
            tx.execute(
                "DELETE FROM meta WHERE key = ?1",
                [crate::store::views::budget::PATIENT_INPUTS_KEY],
            )?;
        }
    }
    // The stored worklist learns of the call in the same transaction.
    super::worklist_index::refresh_patients(&tx, &[call.patient_id.as_str()])?;
    tx.commit()?;
    tracing::info!(call = %id, patient = %call.patient_id, outcome = %call.outcome, "call logged");
    Ok(id)
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
