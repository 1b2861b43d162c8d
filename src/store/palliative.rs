//! A manager marks a patient as in hospice or palliative care (or clears the mark) from the card
//! or with `acodesk palliative`. The flag is the exclusion CMS122 (Quality ID 001) and CMS165
//! (Quality ID 236) share: a patient with it on or before a period's end leaves both denominators
//! (`domain::progress_facts`). Each change goes to the `changes` history like a phone or a status
//! (field `palliative_since`, old and new ISO dates), and the stored worklist and Progress figures
//! learn of it in the same transaction, so every indicator honours it at once.

use super::Store;
use crate::i18n::msg;
use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};

/// The field's name in the register and in the change history.
pub const FIELD: &str = "palliative_since";

/// Why the flag could not be changed, in words for the manager.
#[derive(Debug)]
pub enum PalliativeError {
    /// No such patient.
    UnknownPatient(String),
    /// The date is after today: care that has not begun excludes nobody yet.
    InFuture(NaiveDate),
    /// The database failed.
    Sqlite(rusqlite::Error),
}

impl std::fmt::Display for PalliativeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = match self {
            PalliativeError::UnknownPatient(id) => {
                msg("cli-no-patient", &[("id", id.as_str().into())])
            }
            PalliativeError::InFuture(d) => msg(
                "palliative-in-future",
                &[("date", d.to_string().as_str().into())],
            ),
            PalliativeError::Sqlite(e) => msg(
                "palliative-not-saved",
                &[("error", e.to_string().as_str().into())],
            ),
        };
        f.write_str(&text)
    }
}

impl std::error::Error for PalliativeError {}

impl From<rusqlite::Error> for PalliativeError {
    fn from(e: rusqlite::Error) -> Self {
        PalliativeError::Sqlite(e)
    }
}

/// Sets the date hospice or palliative care began (`None`: clears the flag); returns false when
/// it already was that. `today` bounds the date (no future dates). The old value goes to the
/// history; the stored worklist and Progress figures are refreshed for the patient.
pub fn set_palliative(
    store: &mut Store,
    patient_id: &str,
    since: Option<NaiveDate>,
    today: NaiveDate,
    user: &str,
) -> Result<bool, PalliativeError> {
    if let Some(d) = since.filter(|d| *d > today) {
        return Err(PalliativeError::InFuture(d));
    }
    let new = since.map(|d| d.to_string());
    let changed = super::assign::change_patient_field(
        store,
        user,
        patient_id,
        FIELD,
        new.as_deref(),
        |tx| {
            tx.query_row(
                "SELECT palliative_since FROM patients WHERE id = ?1",
                [patient_id],
                |r| r.get(0),
            )
            .optional()
        },
        |tx| write_palliative(tx, patient_id, new.as_deref()),
    )?
    .ok_or_else(|| PalliativeError::UnknownPatient(patient_id.to_string()))?;
    if changed {
        tracing::info!(patient = %patient_id, to = ?new, "palliative flag changed");
    }
    Ok(changed)
}

/// Writes the flag (an ISO date, or `None`) inside the caller's transaction. Sync settles the
/// field through this too.
pub fn write_palliative(
    conn: &rusqlite::Connection,
    patient_id: &str,
    since: Option<&str>,
) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE patients SET palliative_since = ?2 WHERE id = ?1")?
        .execute(params![patient_id, since])?;
    Ok(())
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
                "INSERT INTO patients (id, family_name, given_name, sex, birth_date)
                 VALUES ('P1', 'Иванова', 'Мария', 'F', '1950-01-01');",
            )
            .unwrap();
        (dir, store)
    }

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn history(s: &Store) -> Vec<(Option<String>, Option<String>, String)> {
        let mut stmt = s
            .conn()
            .prepare(
                "SELECT old_value, new_value, user_name FROM changes
                 WHERE patient_id = 'P1' AND field = 'palliative_since' ORDER BY changed_at, id",
            )
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }

    #[test]
    fn setting_and_clearing_are_both_in_the_history() {
        let (_d, mut s) = store();
        let today = day("2026-11-30");
        assert!(set_palliative(&mut s, "P1", Some(day("2026-10-01")), today, "M01").unwrap());
        assert!(!set_palliative(&mut s, "P1", Some(day("2026-10-01")), today, "M01").unwrap());
        assert!(set_palliative(&mut s, "P1", None, today, "M02").unwrap());
        assert!(!set_palliative(&mut s, "P1", None, today, "M02").unwrap());
        assert_eq!(
            history(&s),
            vec![
                (None, Some("2026-10-01".into()), "M01".into()),
                (Some("2026-10-01".into()), None, "M02".into()),
            ]
        );
        let now: Option<String> = s
            .conn()
            .query_row(
                "SELECT palliative_since FROM patients WHERE id = 'P1'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(now, None);
    }

    #[test]
    fn a_future_date_and_an_unknown_patient_are_refused() {
        let (_d, mut s) = store();
        let today = day("2026-11-30");
        assert!(matches!(
            set_palliative(&mut s, "P1", Some(day("2026-12-01")), today, "M01"),
            Err(PalliativeError::InFuture(_))
        ));
        assert!(matches!(
            set_palliative(&mut s, "P9", Some(today), today, "M01"),
            Err(PalliativeError::UnknownPatient(_))
        ));
        assert!(history(&s).is_empty());
    }
}
