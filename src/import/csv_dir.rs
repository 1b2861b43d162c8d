//! `acodesk import csv DIR`: loads a folder in acodesk's CSV format in one transaction.
//!
//! All of it or none of it: the first bad row aborts the import and nothing is written, unless
//! `skip_bad_rows` is set, in which case good rows are kept and each bad one is written with its
//! line number and reason to `<file>.rejects.csv` beside the input.
//!
//! Each row is first checked as text ([`Row::check`]: cut-short lines, over-long cells, control
//! characters), then parsed, then compared with the earlier rows of its file ([`SeenKeys`]: the same
//! id twice with different values is refused, naming both lines; an identical repeat is fine), then
//! written. A progress bar by bytes read is drawn on stderr when it is a terminal.

use super::csv_file::{CsvFile, LocatedError, Row};
use super::csv_rows::{CsvRecord, SeenKeys};
use super::progress::Progress;
use super::records::*;
use super::rejects::Rejects;
use super::summary::{ImportSummary, TableCounts};
use crate::domain::pilot::PilotInfo;
use crate::domain::types::ObservationKind;
use crate::domain::units;
use crate::i18n::msg;
use crate::store::Store;
use crate::store::writes::{self, Upsert};
use color_eyre::eyre::{Result, WrapErr, eyre};
use rusqlite::{Transaction, TransactionBehavior};
use std::path::Path;

/// The page cache during an import, in KiB (SQLite's negative `cache_size`), twice the store's
/// usual 32 MB: a 6 000-patient register (36 MB) is then written once at commit instead of being
/// spilled page by page mid-transaction. A cap, not an allocation; 256 MB was 10–15 % faster at
/// 30 000 patients but cost 100 MB more resident memory.
const IMPORT_CACHE_KIB: i64 = 64 * 1024;

/// Rows between two updates of the progress bar.
const PROGRESS_EVERY: u32 = 1024;

/// How an import treats bad rows.
#[derive(Debug, Clone, Copy, Default)]
pub struct ImportOptions {
    /// Keep the good rows and write the bad ones to a reject file, instead of refusing the whole import.
    pub skip_bad_rows: bool,
}

/// Imports every known file present in `dir` (at least one must be) and `pilot.toml` when present.
pub fn import_dir(store: &mut Store, dir: &Path, options: ImportOptions) -> Result<ImportSummary> {
    if !dir.is_dir() {
        return Err(eyre!(msg(
            "import-dir-not-folder",
            &[("path", dir.display().to_string().as_str().into())]
        )));
    }
    let present: Vec<&str> = FILES
        .iter()
        .copied()
        .filter(|f| dir.join(f).is_file())
        .collect();
    if present.is_empty() {
        return Err(eyre!(msg(
            "import-dir-no-files",
            &[
                ("path", dir.display().to_string().as_str().into()),
                ("expected", FILES.join(", ").as_str().into()),
            ]
        )));
    }
    let pilot = read_pilot(dir)?;
    let paths: Vec<_> = present.iter().map(|f| dir.join(f)).collect();
    let mut progress = Progress::for_files(paths.iter().map(|p| p.as_path()));
    let setting = |name: &str| -> Result<i64> {
        store
            .conn()
            .query_row(&format!("PRAGMA {name}"), [], |r| r.get(0))
            .wrap_err("reading the connection's settings")
    };
    let restore = [
        ("cache_size", setting("cache_size")?),
        ("temp_store", setting("temp_store")?),
        ("ignore_check_constraints", 0),
    ];
    let result = import_with_pragmas(store, dir, pilot.as_ref(), options, &mut progress);
    // The connection may be used again (the demo, tests): back to its usual settings either way.
    let restored = restore
        .iter()
        .try_for_each(|(name, value)| store.conn().pragma_update(None, name, value));
    let summary = result?;
    restored.wrap_err("restoring the connection's settings after the import")?;
    Ok(summary)
}

/// The columns the schema CHECKs, each written by the importer from a Rust enum's code or a
/// bool (or not written by it at all: `contract.id`, `audit.action`, the latter written after
/// [`import_dir`] has restored the checks), so no imported row can fail their CHECK.
///
/// SQLite evaluates a CHECK `IN (…)` list of three or more codes by building a temporary B-tree
/// for every row written, which cost a third of the import's CPU; the import therefore turns
/// `ignore_check_constraints` on for its own transaction. A test compares this list with the
/// schema: a new CHECK fails it until the importer is shown to validate that column.
pub const CHECKED_COLUMNS: &[(&str, &str)] = &[
    ("organizations", "kind"),
    ("staff", "role"),
    ("patients", "sex"),
    ("patients", "status"),
    ("diagnoses", "system"),
    ("observations", "kind"),
    ("encounters", "class"),
    ("encounters", "planned"),
    ("encounters", "disposition"),
    ("claim_lines", "category"),
    ("calls", "outcome"),
    ("contract", "id"),
    ("audit", "action"),
];

fn import_with_pragmas(
    store: &mut Store,
    dir: &Path,
    pilot: Option<&PilotInfo>,
    options: ImportOptions,
    progress: &mut Progress,
) -> Result<ImportSummary> {
    let conn = store.conn();
    conn.pragma_update(None, "cache_size", -IMPORT_CACHE_KIB)
        .wrap_err("sizing the page cache for the import")?;
    conn.pragma_update(None, "ignore_check_constraints", true)
        .wrap_err_with(|| msg("import-setting-up", &[]))?;
    // Statement journals in memory: once one statement (an FTS5 merge) journals more than 64 KB
    // SQLite spills the journal to a temporary file for the rest of the transaction, and every
    // later row's journal became a write() system call, a third of the import's time. A
    // statement journal holds one statement's pages, so memory stays bounded. (Changing
    // temp_store drops TEMP objects; the register creates none.)
    conn.pragma_update(None, "temp_store", "MEMORY")
        .wrap_err_with(|| msg("import-setting-up", &[]))?;
    import_in_transaction(store, dir, pilot, options, progress)
}

fn import_in_transaction(
    store: &mut Store,
    dir: &Path,
    pilot: Option<&PilotInfo>,
    options: ImportOptions,
    progress: &mut Progress,
) -> Result<ImportSummary> {
    let mut summary = ImportSummary::default();
    let tx = store
        .conn_mut()
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .wrap_err_with(|| msg("import-starting-transaction", &[]))?;
    if let Some(p) = pilot {
        let json = serde_json::to_string(p).wrap_err("encoding pilot.toml")?;
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('pilot', ?1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [json],
        )?;
    }
    // A first load builds indexes, search and claim totals once at the end (store::bulk_load).
    let bulk =
        crate::store::bulk_load::BulkLoad::begin(&tx).wrap_err("preparing the first load")?;
    let mut touched = if bulk.is_some() {
        super::Touched::All
    } else {
        super::Touched::none()
    };
    let mut patients = 0u64;
    let mut run = Run {
        tx: &tx,
        dir,
        options,
        summary: &mut summary,
        progress,
    };
    run.load::<OrganizationRow>(|tx, r| Ok(writes::organization(tx, &r)?))?;
    run.load::<StaffRow>(|tx, r| Ok(writes::staff(tx, &r)?))?;
    run.load::<PatientRow>(|tx, r| {
        patients += 1;
        let write = writes::patient(tx, &r)?;
        touched.note(&r.id, write);
        Ok(write)
    })?;
    run.load::<DiagnosisRow>(|tx, r| {
        let write = writes::diagnosis(tx, &r)?;
        touched.note(&r.patient_id, write);
        Ok(write)
    })?;
    run.load::<ObservationRow>(|tx, mut r| {
        let Some(kind) = ObservationKind::from_loinc(&r.loinc) else {
            return Ok(Upsert::Unchanged);
        };
        r.value = units::normalise(kind, r.value, &r.unit).map_err(RowFailure::Value)?;
        r.unit = kind.unit().to_string();
        let write = writes::observation(tx, &r, kind)?;
        touched.note(&r.patient_id, write);
        Ok(write)
    })?;
    run.load::<EncounterRow>(|tx, r| {
        let write = writes::encounter(tx, &r)?;
        touched.note(&r.patient_id, write);
        Ok(write)
    })?;
    run.load::<ClaimRow>(|tx, r| {
        let write = writes::claim(tx, &r)?;
        touched.note(&r.patient_id, write);
        Ok(write)
    })?;
    run.load::<AppointmentRow>(|tx, r| {
        let write = writes::appointment(tx, &r)?;
        touched.note(&r.patient_id, write);
        Ok(write)
    })?;
    run.load::<CallRow>(|tx, r| {
        let write = writes::imported_call(tx, &r)?;
        touched.note(&r.patient_id, write);
        Ok(write)
    })?;
    if let Some(bulk) = bulk {
        progress.stage("indexing");
        bulk.finish(&tx)
            .wrap_err("building the indexes of the first load")?;
    }
    progress.stage("enrolling");
    summary.enrolled = super::finish_import(&tx, None, &touched)?;
    progress.stage("committing");
    tx.commit()
        .wrap_err_with(|| msg("import-committing", &[]))?;
    progress.finish();
    summary.touched_patients = patients;
    Ok(summary)
}

fn read_pilot(dir: &Path) -> Result<Option<PilotInfo>> {
    let path = dir.join("pilot.toml");
    if !path.is_file() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(&path).wrap_err_with(|| {
        msg(
            "file-reading",
            &[("path", path.display().to_string().as_str().into())],
        )
    })?;
    PilotInfo::from_toml_str(&text)
        .map(Some)
        .map_err(|e| eyre!("{}: {e}", path.display()))
}

/// Why one row could not be written.
pub enum RowFailure {
    /// A value is unacceptable (implausible, wrong unit).
    Value(String),
    /// The database refused the row (a reference to a missing patient, site, …).
    Sqlite(rusqlite::Error),
}

impl From<rusqlite::Error> for RowFailure {
    fn from(e: rusqlite::Error) -> Self {
        RowFailure::Sqlite(e)
    }
}

/// One import under way: the transaction and what every file's load reports into.
struct Run<'r, 't> {
    tx: &'r Transaction<'t>,
    dir: &'r Path,
    options: ImportOptions,
    summary: &'r mut ImportSummary,
    progress: &'r mut Progress,
}

impl Run<'_, '_> {
    /// Streams one file of type `R` through `write`, counting what happened.
    fn load<R: CsvRecord>(
        &mut self,
        mut write: impl FnMut(&Transaction<'_>, R) -> std::result::Result<Upsert, RowFailure>,
    ) -> Result<()> {
        let path = self.dir.join(R::FILE);
        if !path.is_file() {
            return Ok(());
        }
        let tx = self.tx;
        let mut file = CsvFile::open(&path)?;
        file.require(R::REQUIRED)?;
        for col in file.unknown_columns(R::KNOWN) {
            self.summary.warnings.push(msg(
                "import-unknown-column",
                &[
                    ("file", file.name().into()),
                    ("column", col.as_str().into()),
                ],
            ));
        }
        self.progress.start_file(R::FILE);
        let mut counts = TableCounts::default();
        let mut rejects = Rejects::new(&path, self.options.skip_bad_rows);
        let mut seen = SeenKeys::new::<R>(&file);
        let mut rows = 0u32;
        while let Some(row) = file.next_row()? {
            let outcome = row
                .check()
                .and_then(|()| R::from_row(&row))
                .and_then(|record| {
                    seen.check(&row, &record)?;
                    match write(tx, record) {
                        Ok(u) => Ok(u),
                        Err(RowFailure::Value(m)) => Err(row.error(value_column::<R>(), m)),
                        Err(RowFailure::Sqlite(e)) => Err(explain_sqlite(tx, &row, R::FILE, e)),
                    }
                });
            match outcome {
                Ok(Upsert::Inserted) => counts.inserted += 1,
                Ok(Upsert::Updated) => counts.updated += 1,
                Ok(Upsert::Unchanged) => counts.unchanged += 1,
                Err(e) if self.options.skip_bad_rows => {
                    counts.rejected += 1;
                    rejects.add(&row, &e)?;
                }
                Err(e) => return Err(e.into()),
            }
            rows = rows.wrapping_add(1);
            if rows % PROGRESS_EVERY == 0 {
                self.progress.set_file_bytes(file.bytes_read());
            }
        }
        self.progress.finish_file(file.bytes_read());
        if let Some((path, _)) = rejects.finish()? {
            self.summary.warnings.push(msg(
                "import-rejected-written",
                &[
                    ("count", counts.rejected.into()),
                    ("path", path.display().to_string().as_str().into()),
                ],
            ));
        }
        self.summary
            .tables
            .push((R::FILE.trim_end_matches(".csv").to_string(), counts));
        Ok(())
    }
}

fn value_column<R: CsvRecord>() -> &'static str {
    if R::KNOWN.contains(&"value") {
        "value"
    } else {
        R::REQUIRED.first().copied().unwrap_or("")
    }
}

/// Turns a database refusal into a sentence: which reference is missing, or which id is repeated.
fn explain_sqlite(
    tx: &Transaction<'_>,
    row: &Row<'_>,
    file: &str,
    e: rusqlite::Error,
) -> LocatedError {
    if let rusqlite::Error::SqliteFailure(f, _) = &e {
        if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY {
            let checks: &[(&str, &str, &str)] = &[
                (
                    "patient_id",
                    "SELECT 1 FROM patients WHERE id = ?1",
                    "patients.csv",
                ),
                (
                    "site_id",
                    "SELECT 1 FROM organizations WHERE id = ?1",
                    "organizations.csv",
                ),
                (
                    "organization_id",
                    "SELECT 1 FROM organizations WHERE id = ?1",
                    "organizations.csv",
                ),
                ("nurse_id", "SELECT 1 FROM staff WHERE id = ?1", "staff.csv"),
            ];
            for (column, sql, source) in checks {
                let value = row.text(column);
                if value.is_empty() {
                    continue;
                }
                let exists = tx.query_row(sql, [value], |_| Ok(())).is_ok();
                if !exists {
                    return row.error(
                        column,
                        msg(
                            "import-unknown-reference",
                            &[("value", value.into()), ("source", (*source).into())],
                        ),
                    );
                }
            }
        }
    }
    LocatedError {
        file: file.to_string(),
        line: row.line(),
        column: None,
        message: msg(
            "import-register-refused-row",
            &[("error", e.to_string().as_str().into())],
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_checked_column_is_one_the_importer_validates() {
        // The import skips SQLite's CHECKs (see CHECKED_COLUMNS): each must stay one the parser
        // guarantees, so a new CHECK in the schema has to be added there knowingly.
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("register.db")).unwrap();
        let mut stmt = store
            .conn()
            .prepare(
                "SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND sql LIKE '%CHECK%'",
            )
            .unwrap();
        let mut found: Vec<(String, String)> = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
            .unwrap()
            .flat_map(|r| {
                let (table, sql) = r.unwrap();
                sql.split("CHECK (")
                    .skip(1)
                    .map(|rest| {
                        let column: String = rest
                            .chars()
                            .take_while(|c| c.is_alphanumeric() || *c == '_')
                            .collect();
                        (table.clone(), column)
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        found.sort();
        let mut listed: Vec<(String, String)> = CHECKED_COLUMNS
            .iter()
            .map(|(t, c)| (t.to_string(), c.to_string()))
            .collect();
        listed.sort();
        assert_eq!(found, listed);
    }
}
