//! Reading, checking and parsing a CSV file on a thread of its own, while the importer's thread
//! writes the rows already parsed into the register.
//!
//! An import is two kinds of work of about the same size: turning text into typed records
//! (decoding, CSV, [`Row::check`], [`CsvRecord::from_row`], and the in-file duplicate check when
//! one is kept in memory) and SQLite's own work. On the two cores of a coordinator's laptop they
//! overlap. The reader sends rows in batches through a bounded channel, so memory stays flat
//! whatever the file's size (at most [`QUEUED_BATCHES`] batches of [`BATCH_ROWS`] rows in
//! flight), and the writer hands the batches' record buffers back to be reused.
//!
//! Order is kept: the writer sees every row, good or bad, in file order, then the reader's
//! fatal error if there is one (a line no CSV reader can get past, an unreadable file), so an
//! import reports the same first error as a single thread would.

use super::csv_file::{CsvFile, LocatedError, Row};
use super::csv_rows::{CsvRecord, SeenKeys};
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

/// Reads the file at `path` as records of type `R` and sends them to `out` until the end of the
/// file, an unreadable line, or the writer hanging up. With `repeats_in_memory` the reader also
/// refuses a record repeated with different values ([`SeenKeys`], which keeps a few bytes per
/// row); without it the writer detects repeats through the register itself. Record buffers
/// returned through `spare` are reused.
pub fn read<R: CsvRecord>(
    path: &Path,
    repeats_in_memory: bool,
    out: SyncSender<FromReader<R>>,
    spare: Receiver<Vec<csv::StringRecord>>,
) {
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
    let mut seen = repeats_in_memory.then(|| SeenKeys::new::<R>(&file));
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
                    let parsed = parse(&file.row(&record), seen.as_mut());
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
            Some(None) => return,
            Some(Some(e)) => {
                let _ = out.send(FromReader::Failed(e));
                return;
            }
        }
    }
}

/// Checks the row as text, parses it, and compares it with the earlier rows when asked to.
fn parse<R: CsvRecord>(row: &Row<'_>, seen: Option<&mut SeenKeys>) -> Result<R, LocatedError> {
    row.check()?;
    let record = R::from_row(row)?;
    if let Some(seen) = seen {
        seen.check(row, &record)?;
    }
    Ok(record)
}
