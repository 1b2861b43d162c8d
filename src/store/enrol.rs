//! Programme enrolment: a patient is enrolled in every programme one of whose codes matches a
//! diagnosis of hers, dated by the earliest onset of a matching diagnosis. The programmes are
//! those in force (`store::rules::programs`): the built-in files merged with the region's.

use crate::domain::program::Program;
use crate::store::rules::{programs, programs_fingerprint};
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::HashSet;

/// The `meta` key holding the fingerprint of the programmes the enrolments were made with.
const ENROLLED_WITH: &str = "enrolled_with_programmes";

/// Writes every programme in force to `programs`, then enrols every patient whose diagnoses match
/// one, dated by the earliest matching onset. Returns the patients enrolled in any programme
/// afterwards.
pub fn enrol_all(conn: &Connection) -> rusqlite::Result<u64> {
    // A programme no longer defined (a region's file removed) leaves with its enrolments.
    let ids: Vec<&str> = programs().iter().map(|p| p.id.as_str()).collect();
    let ids = serde_json::to_string(&ids).unwrap_or_else(|_| "[]".into());
    conn.execute(
        "DELETE FROM enrolments WHERE program_id NOT IN (SELECT value FROM json_each(?1))",
        [&ids],
    )?;
    conn.execute(
        "DELETE FROM programs WHERE id NOT IN (SELECT value FROM json_each(?1))",
        [&ids],
    )?;
    for program in programs() {
        enrol(conn, program, None)?;
    }
    mark_enrolled(conn)?;
    enrolled_patients(conn)
}

/// [`enrol_all`] for these patients only (after an import that touched a few).
pub fn enrol_patients(conn: &Connection, ids: &HashSet<String>) -> rusqlite::Result<u64> {
    let ids = serde_json::to_string(ids).unwrap_or_else(|_| "[]".into());
    for program in programs() {
        enrol(conn, program, Some(&ids))?;
    }
    enrolled_patients(conn)
}

/// True when the register's enrolments were made with other programme definitions than those in
/// force (a register from before hypertension shipped, or a region's file added or changed) and
/// it has patients to enrol.
pub fn needs_reenrolment(conn: &Connection) -> rusqlite::Result<bool> {
    let stored: Option<String> = conn
        .query_row(
            "SELECT value FROM meta WHERE key = ?1",
            [ENROLLED_WITH],
            |r| r.get(0),
        )
        .optional()?;
    if stored.as_deref() == Some(programs_fingerprint().as_str()) {
        return Ok(false);
    }
    conn.query_row("SELECT EXISTS (SELECT 1 FROM diagnoses)", [], |r| r.get(0))
}

/// Enrols the whole register again with the programmes in force, when [`needs_reenrolment`],
/// inside the caller's transaction, and marks the derived lists stale. Returns whether it did.
pub fn reenrol_if_needed(conn: &Connection) -> rusqlite::Result<bool> {
    if !needs_reenrolment(conn)? {
        return Ok(false);
    }
    enrol_all(conn)?;
    crate::store::worklist_index::invalidate(conn)?;
    Ok(true)
}

fn mark_enrolled(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![ENROLLED_WITH, programs_fingerprint()],
    )?;
    Ok(())
}

fn enrolled_patients(conn: &Connection) -> rusqlite::Result<u64> {
    conn.query_row(
        "SELECT count(DISTINCT patient_id) FROM enrolments",
        [],
        |r| r.get::<_, i64>(0),
    )
    .map(|n| n as u64)
}

fn enrol(conn: &Connection, program: &Program, only: Option<&str>) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO programs (id, name, definition_toml) VALUES (?1, ?2, ?3)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, definition_toml = excluded.definition_toml",
        params![program.id, program.name, program.source],
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
    enrol_non_ascii_codes(conn, program, only)?;
    Ok(())
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
