//! `acodesk import csv DIR`: loads a folder in acodesk's CSV format in one transaction.
//!
//! All of it or none of it: the first bad row aborts the import and nothing is written, unless
//! `skip_bad_rows` is set, in which case good rows are kept and each bad one is written with its
//! line number and reason to `<file>.rejects.csv` beside the input.
//!
//! Each row is first checked as text ([`Row::check`]: cut-short lines, over-long cells, control
//! characters), then parsed — both on a reader thread ([`csv_stream`]) — then written. The same
//! id twice in a file with different values is refused, naming both lines; an identical repeat is
//! fine (see [`Repeats`] for how each is told, and why a first load keeps no memory per row). A
//! progress bar by bytes read is drawn on stderr when it is a terminal.
//!
//! A first load into an empty register also builds its indexes at the end
//! ([`crate::store::bulk_load`]) and runs under a rollback journal when nobody else has the
//! register open ([`RollbackJournal`]).

use super::csv_file::{LocatedError, Row};
use super::csv_repeats;
use super::csv_rows::{CsvRecord, record_key};
use super::csv_stream::{self, FromReader, Parsed, RepeatCheck};
use super::progress::Progress;
use super::rejects::Rejects;
use crate::domain::pilot::PilotInfo;
use crate::domain::types::ObservationKind;
use crate::domain::units;
use crate::i18n::msg;
use crate::store::Store;
use crate::store::bulk_load::{ClaimTotals, RollbackJournal};
use crate::store::import_summary::{ImportSummary, TableCounts};
use crate::store::records::*;
use crate::store::writes::{self, Upsert};
use color_eyre::eyre::{Result, WrapErr, eyre};
use rusqlite::{Transaction, TransactionBehavior};
use std::path::Path;

/// The page cache during an import, in KiB (SQLite's negative `cache_size`), twice the store's
/// usual 32 MB: a 6 000-patient register (36 MB) is then written once at commit instead of being
/// spilled page by page mid-transaction. A cap, not an allocation; 256 MB was 10–15 % faster at
/// 30 000 patients but cost 100 MB more resident memory.
const IMPORT_CACHE_KIB: i64 = 64 * 1024;

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
        ("threads", setting("threads")?),
        ("mmap_size", setting("mmap_size")?),
        ("ignore_check_constraints", 0),
    ];
    let journal = RollbackJournal::for_first_load(store.conn())
        .wrap_err_with(|| msg("import-setting-up", &[]))?;
    let result = import_with_pragmas(store, dir, pilot.as_ref(), options, &mut progress);
    // The connection may be used again (the demo, tests): back to its usual settings either way.
    let restored = journal.restore(store.conn()).and_then(|()| {
        restore
            .iter()
            .try_for_each(|(name, value)| store.conn().pragma_update(None, name, value))
    });
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
    ("claim_lines", "funding"),
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
    // The index builds at the end of a first load sort whole tables: SQLite may use the second
    // core for them (the reader thread is idle by then).
    conn.pragma_update(None, "threads", 2)
        .wrap_err_with(|| msg("import-setting-up", &[]))?;
    conn.pragma_update(None, "ignore_check_constraints", true)
        .wrap_err_with(|| msg("import-setting-up", &[]))?;
    // A later import keeps statement journals in memory: once one statement (an FTS5 merge)
    // journals more than 64 KB SQLite spills the journal to a temporary file for the rest of the
    // transaction, and every later row's journal became a write() system call, a third of the
    // import's time. A statement journal holds one statement's pages, so memory stays bounded.
    // A first load has no per-row search-index work, and its index builds sort every row of a
    // table: their sorter must be free to spill to temporary files, or it holds whole tables in
    // memory (a gigabyte at 1,000,000 patients). (Changing temp_store drops TEMP objects; the
    // register creates none.)
    let first_load = crate::store::bulk_load::is_first_load(conn)
        .wrap_err_with(|| msg("import-setting-up", &[]))?;
    conn.pragma_update(
        None,
        "temp_store",
        if first_load { "FILE" } else { "MEMORY" },
    )
    .wrap_err_with(|| msg("import-setting-up", &[]))?;
    // A first load reads back few of the pages it writes, and mapped pages would count against
    // its memory on top of the page cache; a later import compares every row with the register
    // and keeps the map.
    if first_load {
        conn.pragma_update(None, "mmap_size", 0)
            .wrap_err_with(|| msg("import-setting-up", &[]))?;
    }
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
    // On a sync hub, what this import changes becomes an outbox entry in this transaction.
    let capture = crate::store::hub_changes::HubCapture::begin(&tx)
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
        first_load: bulk.is_some(),
    };
    let (sites, events) = (run.repeats(false), run.repeats(true));
    run.load::<OrganizationRow>(sites, |tx, r| Ok(writes::organization(tx, &r)?))?;
    run.load::<StaffRow>(sites, |tx, r| Ok(writes::staff(tx, &r)?))?;
    run.load::<PatientRow>(events, |tx, r| {
        patients += 1;
        let write = writes::patient(tx, &r)?;
        touched.note(&r.id, write);
        Ok(write)
    })?;
    run.load::<DiagnosisRow>(events, |tx, r| {
        let write = writes::diagnosis(tx, &r)?;
        touched.note(&r.patient_id, write);
        Ok(write)
    })?;
    run.load::<ObservationRow>(events, |tx, mut r| {
        let Some(kind) = ObservationKind::from_loinc(&r.loinc) else {
            return Ok(Upsert::Unchanged);
        };
        r.value = units::normalise(kind, r.value, &r.unit).map_err(RowFailure::Value)?;
        r.unit = kind.unit().to_string();
        let write = writes::observation(tx, &r, kind)?;
        touched.note(&r.patient_id, write);
        Ok(write)
    })?;
    run.load::<EncounterRow>(events, |tx, r| {
        let write = writes::encounter(tx, &r)?;
        touched.note(&r.patient_id, write);
        Ok(write)
    })?;
    let mut claim_totals = bulk.as_ref().map(|_| ClaimTotals::default());
    run.load::<ClaimRow>(events, |tx, r| {
        let write = writes::claim(tx, &r)?;
        if let (Some(totals), Upsert::Inserted) = (claim_totals.as_mut(), write) {
            totals.add(
                r.service_date,
                writes::received_on(&r),
                r.category.as_code(),
                r.organization_id.as_deref(),
                r.paid.minor(),
            );
        }
        touched.note(&r.patient_id, write);
        Ok(write)
    })?;
    run.load::<AppointmentRow>(events, |tx, r| {
        let write = writes::appointment(tx, &r)?;
        touched.note(&r.patient_id, write);
        Ok(write)
    })?;
    run.load::<CallRow>(events, |tx, r| {
        let mut write = writes::imported_call(tx, &r)?;
        // The call log is append-only, so a repeated call is never updated: in a first load a
        // repeat that differs is reported as an update, which refuses it as a repeat.
        if events == Repeats::ByRegister
            && write == Upsert::Unchanged
            && writes::imported_call_differs(tx, &r)?
        {
            write = Upsert::Updated;
        }
        touched.note(&r.patient_id, write);
        Ok(write)
    })?;
    if let Some(bulk) = bulk {
        progress.stage("indexing");
        bulk.finish(&tx, claim_totals)
            .wrap_err("building the indexes of the first load")?;
    }
    progress.stage("enrolling");
    summary.enrolled = super::finish_import(&tx, None, &touched)?;
    progress.stage("committing");
    capture
        .finish(&tx)
        .wrap_err_with(|| msg("import-committing", &[]))?;
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
    PilotInfo::from_toml_str(&text).map(Some).map_err(|e| {
        eyre!(
            "{}: {}",
            path.display(),
            crate::toml_error::describe(&text, &e)
        )
    })
}

/// `message`, about an observation's value, followed by how many rows of the observations file
/// at `path` have a value the register refuses (wrong unit or implausible), so that the user
/// knows whether to fix one row or re-export, or to import with `--skip-bad-rows`. A second
/// pass over the file, made only when a strict import has already failed.
fn with_value_failures(message: String, path: &Path) -> String {
    let Ok(mut file) = super::csv_file::CsvFile::open(path) else {
        return message;
    };
    let mut count = 0u64;
    let mut record = csv::StringRecord::new();
    while let Ok(true) = file.read_into(&mut record) {
        let row = file.row(&record);
        let Ok(r) = ObservationRow::from_row(&row) else {
            continue;
        };
        if let Some(kind) = ObservationKind::from_loinc(&r.loinc) {
            if units::normalise(kind, r.value, &r.unit).is_err() {
                count += 1;
            }
        }
    }
    format!(
        "{message} ({})",
        msg("import-value-failures-in-file", &[("count", count.into())])
    )
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
    /// A first load (see [`Repeats`]).
    first_load: bool,
}

/// How a file's load tells a record repeated in the file with different values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Repeats {
    /// By the file's own keys, sorted ([`super::csv_rows::SeenKeys`]): the register may already
    /// hold the record from an earlier import, which a newer version legitimately updates.
    BySortedKeys,
    /// By the register: in a first load the table was empty, so a row that would update an
    /// existing one repeats an earlier row of the same file. Memory stays flat.
    ByRegister,
}

impl Run<'_, '_> {
    /// How the rows of a table are checked for repeats: `empty_on_first_load` says the table is
    /// empty whenever the register has no patients and no claims (not so for the sites and staff).
    fn repeats(&self, empty_on_first_load: bool) -> Repeats {
        if self.first_load && empty_on_first_load {
            Repeats::ByRegister
        } else {
            Repeats::BySortedKeys
        }
    }

    /// Streams one file of type `R` through `write`, counting what happened. The file is read
    /// and parsed on a second thread ([`csv_stream`]) while this one writes.
    fn load<R: CsvRecord + Send>(
        &mut self,
        repeats: Repeats,
        mut write: impl FnMut(&Transaction<'_>, R) -> std::result::Result<Upsert, RowFailure>,
    ) -> Result<()> {
        let path = self.dir.join(R::FILE);
        if !path.is_file() {
            return Ok(());
        }
        std::thread::scope(|scope| {
            let (to_writer, from_reader) =
                std::sync::mpsc::sync_channel(csv_stream::QUEUED_BATCHES);
            let (spare_out, spare_in) = std::sync::mpsc::channel();
            let reader_path = path.clone();
            let check = match (repeats, self.options.skip_bad_rows) {
                (Repeats::ByRegister, _) => RepeatCheck::None,
                (Repeats::BySortedKeys, false) => RepeatCheck::AfterTheRows,
                (Repeats::BySortedKeys, true) => RepeatCheck::BeforeTheRows,
            };
            scope.spawn(move || csv_stream::read::<R>(&reader_path, check, to_writer, spare_in));
            self.write_rows(&path, repeats, &from_reader, &spare_out, &mut write)
        })
    }

    /// The writer's half of [`Run::load`]: every row the reader sends, in order.
    fn write_rows<R: CsvRecord>(
        &mut self,
        path: &Path,
        repeats: Repeats,
        from_reader: &std::sync::mpsc::Receiver<FromReader<R>>,
        spare: &std::sync::mpsc::Sender<Vec<csv::StringRecord>>,
        write: &mut impl FnMut(&Transaction<'_>, R) -> std::result::Result<Upsert, RowFailure>,
    ) -> Result<()> {
        let tx = self.tx;
        let header = match from_reader.recv() {
            Ok(FromReader::Header(h)) => h,
            Ok(FromReader::Failed(e)) => return Err(e.into()),
            Ok(FromReader::Rows(..)) | Err(_) => {
                return Err(eyre!("the reader of {} stopped early", path.display()));
            }
        };
        for col in &header.unknown {
            self.summary.warnings.push(msg(
                "import-unknown-column",
                &[
                    ("file", header.name.as_str().into()),
                    ("column", col.as_str().into()),
                ],
            ));
        }
        self.progress.start_file(R::FILE);
        let mut counts = TableCounts::default();
        let mut rejects = Rejects::new(path, self.options.skip_bad_rows);
        let mut rejected_lines: Vec<u64> = Vec::new();
        let mut lookups = 0u32;
        let mut bytes = 0;
        // With `--skip-bad-rows` a repeat found by the register must leave the first version
        // in place: each row is then written inside a savepoint it can be rolled back to.
        let undoable = repeats == Repeats::ByRegister && self.options.skip_bad_rows;
        for message in from_reader.iter() {
            let batch = match message {
                FromReader::Rows(batch, read) => {
                    bytes = read;
                    batch
                }
                FromReader::Failed(e) => return Err(e.into()),
                FromReader::Header(_) => continue,
            };
            let mut records = Vec::with_capacity(batch.len());
            for Parsed { record, parsed } in batch {
                let row = Row::new(&header.name, &header.columns, &record);
                let outcome = parsed.and_then(|parsed| {
                    if undoable {
                        tx.execute_batch("SAVEPOINT import_row")
                            .map_err(|e| explain_sqlite(tx, &row, R::FILE, e))?;
                    }
                    let result = match write(tx, parsed) {
                        Ok(Upsert::Updated) if repeats == Repeats::ByRegister => {
                            let key = R::from_row(&row)
                                .map(|again| record_key(&row, &again))
                                .unwrap_or_default();
                            Err(csv_repeats::refusal::<R>(
                                path,
                                &row,
                                key,
                                &rejected_lines,
                                &mut lookups,
                            ))
                        }
                        Ok(u) => Ok(u),
                        Err(RowFailure::Value(m)) => {
                            let mut e = row.error(value_column::<R>(), m);
                            if !self.options.skip_bad_rows && R::FILE == ObservationRow::FILE {
                                e.message = with_value_failures(e.message, path);
                            }
                            Err(e)
                        }
                        Err(RowFailure::Sqlite(e)) => Err(explain_sqlite(tx, &row, R::FILE, e)),
                    };
                    if undoable {
                        let end = if result.is_ok() {
                            "RELEASE import_row"
                        } else {
                            "ROLLBACK TO import_row; RELEASE import_row"
                        };
                        tx.execute_batch(end)
                            .map_err(|e| explain_sqlite(tx, &row, R::FILE, e))?;
                    }
                    result
                });
                match outcome {
                    Ok(Upsert::Inserted) => counts.inserted += 1,
                    Ok(Upsert::Updated) => counts.updated += 1,
                    Ok(Upsert::Unchanged) => counts.unchanged += 1,
                    Err(e) if self.options.skip_bad_rows => {
                        counts.rejected += 1;
                        rejected_lines.push(row.line());
                        rejects.add(&row, &e)?;
                    }
                    Err(e) => return Err(e.into()),
                }
                records.push(record);
            }
            let _ = spare.send(records);
            self.progress.set_file_bytes(bytes);
        }
        self.progress.finish_file(bytes);
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
