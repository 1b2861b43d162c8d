//! Programme enrolment: a patient is enrolled when a diagnosis matches the programme's code list.

use crate::domain::program::{DIABETES_TOML, Program};
use rusqlite::{Connection, params};
use std::collections::HashSet;

/// Makes sure the built-in programme exists, then enrols every patient whose diagnoses match it,
/// dated by the earliest matching onset. Returns the number enrolled in the programme afterwards.
pub fn enrol_all(conn: &Connection) -> rusqlite::Result<u64> {
    enrol(conn, None)
}

/// [`enrol_all`] for these patients only (after an import that touched a few).
pub fn enrol_patients(conn: &Connection, ids: &HashSet<String>) -> rusqlite::Result<u64> {
    let ids = serde_json::to_string(ids).unwrap_or_else(|_| "[]".into());
    enrol(conn, Some(&ids))
}

fn enrol(conn: &Connection, only: Option<&str>) -> rusqlite::Result<u64> {
    let program = Program::diabetes();
    conn.execute(
        "INSERT INTO programs (id, name, definition_toml) VALUES (?1, ?2, ?3)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, definition_toml = excluded.definition_toml",
        params![program.id, program.name, DIABETES_TOML],
    )?;
    let prefixes = serde_json::to_string(&program.icd10_prefixes).unwrap_or_else(|_| "[]".into());
    let snomed = serde_json::to_string(&program.snomed_codes).unwrap_or_else(|_| "[]".into());
    // One rule, two sources of rows: every diagnosis, or those of the listed patients (by the
    // diagnoses' primary key, which starts with the patient id).
    let source = if only.is_some() {
        "(SELECT d.* FROM json_each(?4) t JOIN diagnoses d ON d.patient_id = t.value)"
    } else {
        "diagnoses"
    };
    let sql = format!(
        "INSERT INTO enrolments (patient_id, program_id, enrolled_on)
         SELECT patient_id, ?1, min(onset_date) FROM {source} AS diagnoses
         WHERE (system = 'icd10' AND EXISTS (
                    SELECT 1 FROM json_each(?2) p
                    WHERE upper(replace(diagnoses.code, '.', '')) LIKE p.value || '%'))
            OR (system = 'snomed' AND code IN (SELECT value FROM json_each(?3)))
         GROUP BY patient_id
         ON CONFLICT (patient_id, program_id) DO UPDATE SET enrolled_on = min(enrolled_on, excluded.enrolled_on)"
    );
    match only {
        Some(ids) => conn.execute(&sql, params![program.id, prefixes, snomed, ids])?,
        None => conn.execute(&sql, params![program.id, prefixes, snomed])?,
    };
    enrol_non_ascii_codes(conn, &program, only)?;
    conn.query_row(
        "SELECT count(*) FROM enrolments WHERE program_id = ?1",
        [program.id],
        |r| r.get::<_, i64>(0),
    )
    .map(|n| n as u64)
}

/// Enrols by ICD-10 codes holding a non-ASCII character ("Е11.9" typed with a Cyrillic Е), which
/// SQLite's ASCII-only `upper()` cannot fold: they are few, so they are matched here by the
/// programme's own rule ([`Program::includes`], which folds look-alike letters).
fn enrol_non_ascii_codes(
    conn: &Connection,
    program: &Program,
    only: Option<&str>,
) -> rusqlite::Result<()> {
    // A code whose byte length exceeds its character length holds a non-ASCII character.
    const NON_ASCII: &str = "system = 'icd10' AND length(code) <> length(CAST(code AS BLOB))";
    let all = format!("SELECT patient_id, code, onset_date FROM diagnoses WHERE {NON_ASCII}");
    let some = format!(
        "SELECT d.patient_id, d.code, d.onset_date FROM json_each(?1) t
         JOIN diagnoses d ON d.patient_id = t.value WHERE {NON_ASCII}"
    );
    let mut found: Vec<(String, String)> = Vec::new();
    let mut keep = |r: &rusqlite::Row<'_>| -> rusqlite::Result<()> {
        let code: String = r.get(1)?;
        if program.includes(crate::domain::types::CodeSystem::Icd10, &code) {
            found.push((r.get(0)?, r.get(2)?));
        }
        Ok(())
    };
    match only {
        Some(ids) => {
            let mut stmt = conn.prepare(&some)?;
            let mut rows = stmt.query([ids])?;
            while let Some(r) = rows.next()? {
                keep(r)?;
            }
        }
        None => {
            let mut stmt = conn.prepare(&all)?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                keep(r)?;
            }
        }
    }
    let mut insert = conn.prepare_cached(
        "INSERT INTO enrolments (patient_id, program_id, enrolled_on) VALUES (?1, ?2, ?3)
         ON CONFLICT (patient_id, program_id) DO UPDATE SET enrolled_on = min(enrolled_on, excluded.enrolled_on)",
    )?;
    for (patient, onset) in found {
        insert.execute(params![patient, program.id, onset])?;
    }
    Ok(())
}
