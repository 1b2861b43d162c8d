//! A nurse corrects a patient's phone numbers. The old number is kept in the `changes` history,
//! and the search index follows the new one.

use super::Store;
use crate::domain::text::patient_search_text;
use rusqlite::{Connection, OptionalExtension, params};

/// Which of the patient's two numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WhichPhone {
    /// The main number (`phone`).
    First,
    /// The second number (`phone2`).
    Second,
}

impl WhichPhone {
    /// The field's name in the register and in the change history.
    pub fn field(self) -> &'static str {
        match self {
            WhichPhone::First => "phone",
            WhichPhone::Second => "phone2",
        }
    }
}

/// Why a number could not be changed, in words for the nurse.
#[derive(Debug)]
pub enum PhoneError {
    /// No such patient.
    UnknownPatient(String),
    /// The text is not a phone number.
    NotANumber(String),
    /// The database failed.
    Sqlite(rusqlite::Error),
}

impl std::fmt::Display for PhoneError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::i18n::msg;
        let text = match self {
            PhoneError::UnknownPatient(id) => {
                msg("phone-unknown-patient", &[("patient", id.as_str().into())])
            }
            PhoneError::NotANumber(text) => {
                msg("phone-not-a-number", &[("value", text.as_str().into())])
            }
            PhoneError::Sqlite(e) => msg(
                "phone-not-saved",
                &[("error", e.to_string().as_str().into())],
            ),
        };
        f.write_str(&text)
    }
}

impl std::error::Error for PhoneError {}

impl From<rusqlite::Error> for PhoneError {
    fn from(e: rusqlite::Error) -> Self {
        PhoneError::Sqlite(e)
    }
}

/// The patients whose main number was reported invalid and not changed since (see
/// [`crate::domain::phone_choice::main_reported_invalid`]): the whole register at once, for the
/// full worklist. Reads only the "invalid number" calls, a small part of the call log.
pub fn main_reported_invalid_all(
    conn: &Connection,
) -> rusqlite::Result<std::collections::HashSet<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.patient_id, max(c.called_at),
                (SELECT max(ch.changed_at) FROM changes ch
                  WHERE ch.patient_id = c.patient_id AND ch.field = 'phone')
         FROM calls c
         WHERE c.outcome = 'invalid_number'
           AND NOT EXISTS (SELECT 1 FROM calls x WHERE x.supersedes = c.id)
         GROUP BY c.patient_id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, Option<String>>(1)?,
            r.get::<_, Option<String>>(2)?,
        ))
    })?;
    let mut out = std::collections::HashSet::new();
    for row in rows {
        let (id, report, set) = row?;
        if crate::domain::phone_choice::main_reported_invalid(report.as_deref(), set.as_deref()) {
            out.insert(id);
        }
    }
    Ok(out)
}

/// True when this patient's main number was reported invalid and not changed since (the rule of
/// [`crate::domain::phone_choice::main_reported_invalid`]).
pub fn main_reported_invalid_for(conn: &Connection, patient_id: &str) -> rusqlite::Result<bool> {
    let (report, set): (Option<String>, Option<String>) = conn
        .prepare_cached(
            "SELECT (SELECT max(c.called_at) FROM calls c
                      WHERE c.patient_id = ?1 AND c.outcome = 'invalid_number'
                        AND NOT EXISTS (SELECT 1 FROM calls x WHERE x.supersedes = c.id)),
                    (SELECT max(ch.changed_at) FROM changes ch
                      WHERE ch.patient_id = ?1 AND ch.field = 'phone')",
        )?
        .query_row([patient_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(crate::domain::phone_choice::main_reported_invalid(
        report.as_deref(),
        set.as_deref(),
    ))
}

/// True for text a person would write as a phone number: digits, spaces, `+ - ( )`, 5 to 15 digits.
pub fn is_phone_number(text: &str) -> bool {
    let digits = text.chars().filter(char::is_ascii_digit).count();
    (5..=15).contains(&digits)
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')'))
}

/// Sets (or with `None` clears) one of a patient's numbers; returns false when it already was
/// that. The old value goes to the history, the worklist's "has a phone" follows.
pub fn set_phone(
    store: &mut Store,
    patient_id: &str,
    which: WhichPhone,
    number: Option<&str>,
    user: &str,
) -> Result<bool, PhoneError> {
    let number = number.map(str::trim).filter(|n| !n.is_empty());
    if let Some(n) = number {
        if !is_phone_number(n) {
            return Err(PhoneError::NotANumber(n.to_string()));
        }
    }
    super::assign::change_patient_field(
        store,
        user,
        patient_id,
        which.field(),
        number,
        |tx| {
            tx.query_row(
                "SELECT phone, phone2 FROM patients WHERE id = ?1",
                [patient_id],
                |r| {
                    Ok(match which {
                        WhichPhone::First => r.get(0)?,
                        WhichPhone::Second => r.get(1)?,
                    })
                },
            )
            .optional()
        },
        |tx| write_phone(tx, patient_id, which, number),
    )?
    .ok_or_else(|| PhoneError::UnknownPatient(patient_id.to_string()))
}

/// Writes one number and refreshes the patient's folded search text (inside the caller's
/// transaction). Sync settles phones through this too.
pub fn write_phone(
    conn: &Connection,
    patient_id: &str,
    which: WhichPhone,
    number: Option<&str>,
) -> rusqlite::Result<()> {
    let sql = match which {
        WhichPhone::First => "UPDATE patients SET phone = ?2 WHERE id = ?1",
        WhichPhone::Second => "UPDATE patients SET phone2 = ?2 WHERE id = ?1",
    };
    conn.prepare_cached(sql)?
        .execute(params![patient_id, number])?;
    refresh_search_text(conn, patient_id)
}

/// Recomputes a patient's folded search text from the name, phones, policy and SNILS.
pub fn refresh_search_text(conn: &Connection, patient_id: &str) -> rusqlite::Result<()> {
    type Row = (
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    );
    let row: Option<Row> = conn
        .prepare_cached(
            "SELECT family_name, given_name, patronymic, phone, phone2, policy_number, snils
             FROM patients WHERE id = ?1",
        )?
        .query_row([patient_id], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            ))
        })
        .optional()?;
    let Some((family, given, patronymic, phone, phone2, policy, snils)) = row else {
        return Ok(());
    };
    let text = patient_search_text(
        &[family.as_str(), given.as_str(), patronymic.as_str()],
        &[
            phone.as_deref(),
            phone2.as_deref(),
            policy.as_deref(),
            snils.as_deref(),
        ],
    );
    conn.prepare_cached(
        "UPDATE patients SET search_text = ?2 WHERE id = ?1 AND search_text IS NOT ?2",
    )?
    .execute(params![patient_id, text])?;
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
                "INSERT INTO patients (id, family_name, given_name, sex, birth_date, phone)
                 VALUES ('P1', 'Иванов', 'Иван', 'M', '1950-01-01', '+7 900 000-00-01');",
            )
            .unwrap();
        (dir, store)
    }

    #[test]
    fn a_new_number_keeps_the_old_in_the_history_and_is_searchable() {
        let (_d, mut s) = store();
        assert!(
            set_phone(
                &mut s,
                "P1",
                WhichPhone::First,
                Some("8 912 345-67-89"),
                "N01"
            )
            .unwrap()
        );
        assert!(
            !set_phone(
                &mut s,
                "P1",
                WhichPhone::First,
                Some("8 912 345-67-89"),
                "N01"
            )
            .unwrap()
        );
        let (old, new): (String, String) = s
            .conn()
            .query_row(
                "SELECT old_value, new_value FROM changes WHERE patient_id = 'P1' AND field = 'phone'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(
            (old.as_str(), new.as_str()),
            ("+7 900 000-00-01", "8 912 345-67-89")
        );
        let search: String = s
            .conn()
            .query_row(
                "SELECT search_text FROM patients WHERE id = 'P1'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert!(search.contains("9123456789"), "{search}");
        assert!(!search.contains("9000000001"), "{search}");
    }

    #[test]
    fn a_second_number_can_be_cleared_and_bad_text_is_refused() {
        let (_d, mut s) = store();
        assert!(
            set_phone(
                &mut s,
                "P1",
                WhichPhone::Second,
                Some("(3452) 12-34-56"),
                "N01"
            )
            .unwrap()
        );
        assert!(set_phone(&mut s, "P1", WhichPhone::Second, None, "N01").unwrap());
        assert!(matches!(
            set_phone(&mut s, "P1", WhichPhone::First, Some("call me"), "N01"),
            Err(PhoneError::NotANumber(_))
        ));
        assert!(matches!(
            set_phone(&mut s, "P9", WhichPhone::First, Some("12345"), "N01"),
            Err(PhoneError::UnknownPatient(_))
        ));
    }
}

#[cfg(test)]
mod reported_invalid_tests {
    use super::*;
    use crate::domain::types::CallOutcome;
    use crate::store::calls::{NewCall, append};

    fn call(outcome: CallOutcome, supersedes: Option<String>) -> NewCall {
        NewCall {
            patient_id: "P1".into(),
            outcome,
            next_date: None,
            note: String::new(),
            user: "N01".into(),
            supersedes,
        }
    }

    #[test]
    fn an_invalid_number_call_stands_until_corrected_or_the_number_changes() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(&dir.path().join("r.db")).unwrap();
        s.conn()
            .execute_batch(
                "INSERT INTO patients (id, family_name, given_name, sex, birth_date, phone, phone2)
                 VALUES ('P1', 'Иванов', 'Иван', 'M', '1950-01-01', '+7 900 000-00-01', '8 (3452) 12-34-56');",
            )
            .unwrap();
        assert!(!main_reported_invalid_for(s.conn(), "P1").unwrap());
        // A call that reached the patient says nothing about the number.
        append(&mut s, &call(CallOutcome::NoAnswer, None)).unwrap();
        assert!(!main_reported_invalid_for(s.conn(), "P1").unwrap());
        let id = append(&mut s, &call(CallOutcome::InvalidNumber, None)).unwrap();
        assert!(main_reported_invalid_for(s.conn(), "P1").unwrap());
        assert!(main_reported_invalid_all(s.conn()).unwrap().contains("P1"));
        // Corrected to "no answer": the report is gone.
        append(&mut s, &call(CallOutcome::NoAnswer, Some(id))).unwrap();
        assert!(!main_reported_invalid_for(s.conn(), "P1").unwrap());
        // Reported again, then the nurse enters the right number: the report ends.
        append(&mut s, &call(CallOutcome::InvalidNumber, None)).unwrap();
        assert!(main_reported_invalid_for(s.conn(), "P1").unwrap());
        std::thread::sleep(std::time::Duration::from_millis(1100));
        set_phone(
            &mut s,
            "P1",
            WhichPhone::First,
            Some("+7 900 000-00-02"),
            "N01",
        )
        .unwrap();
        assert!(!main_reported_invalid_for(s.conn(), "P1").unwrap());
        assert!(main_reported_invalid_all(s.conn()).unwrap().is_empty());
    }
}
