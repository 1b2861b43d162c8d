//! Reading, checking and parsing a CSV file on a thread of its own, while the importer's thread
//! writes the rows already parsed into the register.
//!
//! An import is two kinds of work of about the same size: turning text into typed records
//! (decoding, CSV, [`Row::check`], [`CsvRecord::from_row`], and gathering the keys for the
//! in-file repeat check when the register cannot tell) and SQLite's own work. On the two cores of
//! a coordinator's laptop they overlap. The reader sends rows in batches through a bounded channel, so memory stays flat
//! whatever the file's size (at most [`QUEUED_BATCHES`] batches of [`BATCH_ROWS`] rows in
//! flight), and the writer hands the batches' record buffers back to be reused.
//!
//! Order is kept: the writer sees every row, good or bad, in file order, then the reader's
//! fatal error if there is one (a line no CSV reader can get past, an unreadable file, or a record
//! repeated with different values: see [`RepeatCheck`]).

use super::csv_file::{CsvFile, LocatedError, Row};
use super::csv_repeats;
use super::csv_rows::{CsvRecord, SeenKeys};
use std::collections::HashMap;
use std::path::Path;
use std::sync::mpsc::{Receiver, SyncSender};

/// Rows per batch: large enough that the channel costs nothing per row, small enough that the
/// writer starts at once.
pub const BATCH_ROWS: usize = 512;

/// Batches parsed ahead of the writer at most.
pub const QUEUED_BATCHES: usize = 8;

/// What the reader knows about the file once its header is read.
pub struct Header {
    /// The file's name as given (for error messages).
    pub name: String,
    /// The header's column names, trimmed and lower-cased.
    pub columns: Vec<String>,
    /// Columns the format does not know (ignored, with a warning).
    pub unknown: Vec<String>,
}

/// One data row as read, with what parsing made of it.
pub struct Parsed<R> {
    /// The row's fields as read (for error messages and the reject file).
    pub record: csv::StringRecord,
    /// The typed record, or why the row is refused.
    pub parsed: Result<R, LocatedError>,
}

/// What the reader sends: the header first, then batches of rows, and last (perhaps) the error
/// that stopped it.
pub enum FromReader<R> {
    /// The header was read and has every required column.
    Header(Header),
    /// The next rows, in file order, and the bytes of the file read so far.
    Rows(Vec<Parsed<R>>, u64),
    /// The file cannot be read further (or at all).
    Failed(LocatedError),
}

/// How the reader checks for records repeated in the file with different values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RepeatCheck {
    /// Not at all: the writer tells repeats by the register (a first load).
    None,
    /// While reading, refusing the first repeat after the last row: the import is all or nothing,
    /// so the rows already written are rolled back with it. One pass over the file.
    AfterTheRows,
    /// In a first pass over the file, then each repeat is refused at its own row (the other rows
    /// are kept, with `--skip-bad-rows`). Two passes.
    BeforeTheRows,
}

/// Reads the file at `path` as records of type `R` and sends them to `out` until the end of the
/// file, an unreadable line, or the writer hanging up, checking for repeats as `check` says
/// ([`SeenKeys`]). Record buffers returned through `spare` are reused.
pub fn read<R: CsvRecord>(
    path: &Path,
    check: RepeatCheck,
    out: SyncSender<FromReader<R>>,
    spare: Receiver<Vec<csv::StringRecord>>,
) {
    let refused = match check {
        RepeatCheck::BeforeTheRows => match repeats_of::<R>(path) {
            Ok(repeats) => repeats,
            Err(e) => {
                let _ = out.send(FromReader::Failed(e));
                return;
            }
        },
        _ => HashMap::new(),
    };
    let mut file = match CsvFile::open(path).and_then(|f| f.require(R::REQUIRED).map(|()| f)) {
        Ok(f) => f,
        Err(e) => {
            let _ = out.send(FromReader::Failed(e));
            return;
        }
    };
    let header = Header {
        name: file.name().to_string(),
        columns: file.headers().to_vec(),
        unknown: file.unknown_columns(R::KNOWN),
    };
    if out.send(FromReader::Header(header)).is_err() {
        return;
    }
    let mut seen = (check == RepeatCheck::AfterTheRows).then(|| SeenKeys::new::<R>(&file));
    let mut buffers: Vec<csv::StringRecord> = Vec::new();
    loop {
        let mut rows = Vec::with_capacity(BATCH_ROWS);
        let mut stop = None;
        while rows.len() < BATCH_ROWS {
            if buffers.is_empty() {
                buffers = spare.try_recv().unwrap_or_default();
            }
            let mut record = buffers.pop().unwrap_or_default();
            match file.read_into(&mut record) {
                Ok(true) => {
                    let parsed = parse(&file.row(&record), seen.as_mut(), &refused);
                    rows.push(Parsed { record, parsed });
                }
                Ok(false) => {
                    stop = Some(None);
                    break;
                }
                Err(e) => {
                    stop = Some(Some(e));
                    break;
                }
            }
        }
        if !rows.is_empty() && out.send(FromReader::Rows(rows, file.bytes_read())).is_err() {
            return;
        }
        match stop {
            None => {}
            Some(None) => {
                if let Some(seen) = seen {
                    if let Some(e) = first_repeat::<R>(path, file.name(), seen) {
                        let _ = out.send(FromReader::Failed(e));
                    }
                }
                return;
            }
            Some(Some(e)) => {
                let _ = out.send(FromReader::Failed(e));
                return;
            }
        }
    }
}

/// Checks the row as text, parses it, and notes its key (`seen`) or refuses it as a repeat found
/// beforehand (`refused`: its line and the line the record first appeared on).
fn parse<R: CsvRecord>(
    row: &Row<'_>,
    seen: Option<&mut SeenKeys>,
    refused: &HashMap<u64, u64>,
) -> Result<R, LocatedError> {
    row.check()?;
    let record = R::from_row(row)?;
    if let Some(first) = refused.get(&row.line()) {
        return Err(super::csv_rows::repeated_record::<R>(row, Some(*first)));
    }
    if let Some(seen) = seen {
        seen.add(row, &record)?;
    }
    Ok(record)
}

/// The rows of `path` that repeat a record with different values (line → first line), by a
/// pass over the whole file. Rows the reader will refuse anyway are left out; so is everything
/// after a line no CSV reader can get past (the import stops there).
fn repeats_of<R: CsvRecord>(path: &Path) -> Result<HashMap<u64, u64>, LocatedError> {
    let Ok(mut file) = CsvFile::open(path) else {
        // The pass that follows reports why the file cannot be read.
        return Ok(HashMap::new());
    };
    let mut seen = SeenKeys::new::<R>(&file);
    let mut record = csv::StringRecord::new();
    let mut last_line = 0;
    while let Ok(true) = file.read_into(&mut record) {
        let row = file.row(&record);
        last_line = row.line();
        if row.check().is_err() {
            continue;
        }
        if let Ok(parsed) = R::from_row(&row) {
            seen.add(&row, &parsed)?;
        }
    }
    let repeats = seen
        .finish()
        .map_err(|e| super::csv_rows::duplicate_check_failed::<R>(file.name(), last_line, &e))?;
    Ok(repeats
        .into_iter()
        .map(|r| (r.line, r.first_line))
        .collect())
}

/// The refusal of the first row `seen` found repeating a record with different values, if any.
fn first_repeat<R: CsvRecord>(path: &Path, name: &str, seen: SeenKeys) -> Option<LocatedError> {
    match seen.finish() {
        Ok(repeats) => repeats
            .first()
            .map(|r| csv_repeats::refusal_at::<R>(path, name, *r)),
        Err(e) => Some(super::csv_rows::duplicate_check_failed::<R>(name, 0, &e)),
    }
}
