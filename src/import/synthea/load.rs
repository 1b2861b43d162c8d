//! The file-level machinery of the Synthea importer: opening files by required columns, streaming
//! rows with counts and reject files, explaining database refusals, and look-ups in the register.

use super::map;
use crate::import::csv_dir::ImportOptions;
use crate::import::csv_file::{CsvFile, LocatedError, Row};
use crate::import::rejects::Rejects;
use crate::store::import_summary::{ImportSummary, TableCounts};
use crate::store::writes::Upsert;
use color_eyre::eyre::Result;
use rusqlite::{Connection, OptionalExtension};
use std::collections::HashSet;
use std::path::Path;

/// What one row wrote: a table name and the upsert's outcome, for each record.
pub type Wrote = Vec<(&'static str, Upsert)>;

/// The organizations with an inpatient stay in encounters.csv (a first, read-only pass; rows that
/// do not parse are left for the real pass to report).
pub fn inpatient_organizations(path: &Path) -> HashSet<String> {
    let mut set = HashSet::new();
    let Ok(mut file) = CsvFile::open(path) else {
        return set;
    };
    let column = organization_column(&file);
    while let Ok(Some(row)) = file.next_row() {
        if map::encounter_class(row.text("encounterclass"))
            == Some(crate::domain::types::EncounterClass::Inpatient)
        {
            if let Some(org) = row.optional(column) {
                set.insert(org);
            }
        }
    }
    set
}

/// The column of encounters.csv naming the organization: ORGANIZATION, or PROVIDER in the oldest
/// exports (which have no ORGANIZATION column and name the organization there).
pub fn organization_column(file: &CsvFile) -> &'static str {
    if has_column(file, "organization") {
        "organization"
    } else {
        "provider"
    }
}

/// True when the file's header has `column` (lower case).
pub fn has_column(file: &CsvFile, column: &str) -> bool {
    file.require(&[column]).is_ok()
}

/// The RxNorm codes of medications.csv (a first, read-only pass): their payments in
/// claims_transactions.csv are `drugs`.
pub fn medication_codes(path: &Path) -> HashSet<String> {
    let mut set = HashSet::new();
    let Ok(mut file) = CsvFile::open(path) else {
        return set;
    };
    while let Ok(Some(row)) = file.next_row() {
        if let Some(code) = row.optional("code") {
            set.insert(code);
        }
    }
    set
}

/// True when `name` in `dir` is there but holds no byte at all (what a partial export leaves).
pub fn is_empty_file(dir: &Path, name: &str) -> bool {
    std::fs::metadata(dir.join(name)).is_ok_and(|m| m.is_file() && m.len() == 0)
}

/// Opens `name` in `dir` when it exists, refusing a header without the `required` columns. A
/// 0-byte file other than patients.csv is left out (the caller warns, see [`is_empty_file`]).
/// An encounters.csv with DATE where later versions have START is Synthea 1.x's, refused as such.
pub fn open(dir: &Path, name: &str, required: &[&str]) -> Result<Option<CsvFile>> {
    let path = dir.join(name);
    if !path.is_file() || (name != "patients.csv" && is_empty_file(dir, name)) {
        return Ok(None);
    }
    let file = CsvFile::open(&path)?;
    if name == "encounters.csv" && !has_column(&file, "start") && has_column(&file, "date") {
        return Err(LocatedError {
            file: file.name().to_string(),
            line: 1,
            column: Some("DATE".into()),
            message: crate::i18n::msg("import-synthea-version-1", &[]),
        }
        .into());
    }
    if let Some(missing) = required.iter().find(|c| !has_column(&file, c)) {
        let all: Vec<String> = required.iter().map(|c| c.to_ascii_uppercase()).collect();
        let missing = missing.to_ascii_uppercase();
        return Err(LocatedError {
            file: file.name().to_string(),
            line: 1,
            column: Some(missing.clone()),
            message: crate::i18n::msg(
                "import-synthea-missing-column",
                &[
                    ("column", missing.as_str().into()),
                    ("file", name.into()),
                    ("expected", all.join(", ").as_str().into()),
                ],
            ),
        }
        .into());
    }
    Ok(Some(file))
}

/// The counts of `table` in the summary, added (in load order) on first use.
pub fn counts_of<'s>(summary: &'s mut ImportSummary, table: &str) -> &'s mut TableCounts {
    let at = match summary.tables.iter().position(|(t, _)| t == table) {
        Some(i) => i,
        None => {
            summary
                .tables
                .push((table.to_string(), TableCounts::default()));
            summary.tables.len() - 1
        }
    };
    &mut summary.tables[at].1
}

/// Synthea's column names are upper case: errors name them so.
pub fn synthea_column(mut e: LocatedError) -> LocatedError {
    e.column = e.column.map(|c| c.to_ascii_uppercase());
    e
}

/// Streams the rows of `file` through `each`, counting what was written; a bad row stops the
/// import, or with `skip_bad_rows` is counted under `table` and written to the reject file.
pub fn stream(
    mut file: CsvFile,
    table: &'static str,
    options: ImportOptions,
    summary: &mut ImportSummary,
    mut each: impl FnMut(&Row<'_>) -> std::result::Result<Wrote, LocatedError>,
) -> Result<()> {
    counts_of(summary, table);
    let mut rejects = Rejects::new(Path::new(file.name()), options.skip_bad_rows);
    while let Some(row) = file.next_row()? {
        // The row as text first: an empty row, a quote left open, a row cut short (at the
        // file's end: "the file ends in the middle of a row") are named as such.
        match row
            .check()
            .and_then(|()| each(&row))
            .map_err(synthea_column)
        {
            Ok(wrote) => {
                for (t, u) in wrote {
                    let c = counts_of(summary, t);
                    match u {
                        Upsert::Inserted => c.inserted += 1,
                        Upsert::Updated => c.updated += 1,
                        Upsert::Unchanged => c.unchanged += 1,
                    }
                }
            }
            Err(e) if options.skip_bad_rows => {
                counts_of(summary, table).rejected += 1;
                rejects.add(&row, &e)?;
            }
            Err(e) => return Err(e.into()),
        }
    }
    if let Some((path, n)) = rejects.finish()? {
        summary.warnings.push(crate::i18n::msg(
            "import-rejected-written",
            &[
                ("count", n.into()),
                ("path", path.display().to_string().as_str().into()),
            ],
        ));
    }
    Ok(())
}

/// Turns a database refusal into a sentence: which referenced patient or organization is missing.
pub fn refused(conn: &Connection, row: &Row<'_>, e: rusqlite::Error) -> LocatedError {
    if let rusqlite::Error::SqliteFailure(f, _) = &e {
        if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY {
            let checks = [
                (
                    "patient",
                    "SELECT 1 FROM patients WHERE id = ?1",
                    "patients.csv",
                ),
                (
                    "patientid",
                    "SELECT 1 FROM patients WHERE id = ?1",
                    "patients.csv",
                ),
                (
                    "organization",
                    "SELECT 1 FROM organizations WHERE id = ?1",
                    "organizations.csv",
                ),
            ];
            for (column, sql, source) in checks {
                let value = row.text(column);
                if value.is_empty() {
                    continue;
                }
                let found = conn.query_row(sql, [value], |_| Ok(())).optional();
                if matches!(found, Ok(None)) {
                    return row.error(
                        column,
                        crate::i18n::msg(
                            "import-unknown-reference",
                            &[("value", value.into()), ("source", source.into())],
                        ),
                    );
                }
            }
        }
    }
    let mut err = row.error(
        "",
        crate::i18n::msg(
            "import-register-refused-row",
            &[("error", e.to_string().as_str().into())],
        ),
    );
    err.column = None;
    err
}

/// The class of an encounter already in the register.
pub fn encounter_class_of(
    conn: &Connection,
    id: &str,
) -> rusqlite::Result<Option<crate::domain::types::EncounterClass>> {
    let code: Option<String> = conn
        .prepare_cached("SELECT class FROM encounters WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    Ok(code
        .as_deref()
        .and_then(crate::domain::types::EncounterClass::from_code))
}

/// The organization of an encounter: `None` when the register has no such encounter.
pub fn site_of_encounter(conn: &Connection, id: &str) -> rusqlite::Result<Option<Option<String>>> {
    conn.prepare_cached("SELECT organization_id FROM encounters WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()
}

/// True when the register has this organization.
pub fn organization_exists(conn: &Connection, id: &str) -> rusqlite::Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM organizations WHERE id = ?1")?
        .query_row([id], |_| Ok(()))
        .optional()?
        .is_some())
}
