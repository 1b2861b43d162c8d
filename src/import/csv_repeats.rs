//! Finding where a repeated record first appeared, or the row of a repeat found at the end of
//! its file, by reading the file again.
//!
//! A first load keeps no per-row memory to tell a record repeated with different values from a
//! new one (memory stays flat in the file's size): the register itself notices, because in an
//! empty register only an earlier row of the same file can already hold the record's key. The
//! refusal should still name the earlier line, so the file is read again up to the repeat —
//! once per such refusal, and only on that error path.

use super::csv_file::{CsvFile, LocatedError};
use super::csv_repeat_finder::Repeat;
use super::csv_rows::{CsvRecord, record_key};
use std::path::Path;

/// How many repeats of one file are looked up by reading it again; later ones in the same file
/// (with `--skip-bad-rows`) name "an earlier line" instead, so a file full of repeats is not
/// read once per row.
pub const MAX_LOOKUPS_PER_FILE: u32 = 20;

/// The first line of `path` before `before` whose record has `key`, skipping the lines in
/// `rejected` (refused earlier, so not in the register); `None` if the file cannot be read again
/// or holds no such line.
pub fn first_line<R: CsvRecord>(
    path: &Path,
    key: u128,
    before: u64,
    rejected: &[u64],
) -> Option<u64> {
    let mut file = CsvFile::open(path).ok()?;
    let mut record = csv::StringRecord::new();
    while file.read_into(&mut record).ok()? {
        let row = file.row(&record);
        if row.line() >= before {
            return None;
        }
        if rejected.binary_search(&row.line()).is_ok() || row.check().is_err() {
            continue;
        }
        if let Ok(parsed) = R::from_row(&row) {
            if record_key(&row, &parsed) == key {
                return Some(row.line());
            }
        }
    }
    None
}

/// The refusal of the repeated row `row` of `path`, naming the line of its first appearance
/// when it can be found within the file's lookup budget (`lookups`, counted here).
pub fn refusal<R: CsvRecord>(
    path: &Path,
    row: &super::csv_file::Row<'_>,
    record_key_hash: u128,
    rejected: &[u64],
    lookups: &mut u32,
) -> LocatedError {
    let first = if *lookups < MAX_LOOKUPS_PER_FILE {
        *lookups += 1;
        first_line::<R>(path, record_key_hash, row.line(), rejected)
    } else {
        None
    };
    super::csv_rows::repeated_record::<R>(row, first)
}

/// The refusal of `repeat`, a row of `path` (named `name` in messages) found repeating a record
/// with different values after the file was read: the file is read again up to that row, to
/// name its record. If the row can no longer be read (the file changed meanwhile), the refusal
/// names the line only.
pub fn refusal_at<R: CsvRecord>(path: &Path, name: &str, repeat: Repeat) -> LocatedError {
    if let Ok(mut file) = CsvFile::open(path) {
        let mut record = csv::StringRecord::new();
        while let Ok(true) = file.read_into(&mut record) {
            let row = file.row(&record);
            if row.line() == repeat.line {
                return super::csv_rows::repeated_record::<R>(&row, Some(repeat.first_line));
            }
            if row.line() > repeat.line {
                break;
            }
        }
    }
    LocatedError {
        file: name.to_string(),
        line: repeat.line,
        column: R::KEY.first().map(|c| c.to_string()),
        message: crate::i18n::msg(
            "import-duplicate-record-changed-file",
            &[("first", repeat.first_line.into())],
        ),
    }
}
