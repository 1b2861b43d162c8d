//! Reading one CSV file of an import with errors that name the file, the line and the column.
//!
//! Accepts what regional spreadsheets produce: UTF-8 with or without a byte-order mark or
//! Windows-1251 (detected, see [`super::encoding`]), `,` or `;` as delimiter (sniffed from the
//! header line), header names in any order and any case; unknown columns are reported as warnings
//! by the caller. Whatever the bytes, a problem is one [`LocatedError`], never a panic.
//!
//! [`Row::check`] refuses what no column type can be trusted with: a row with fewer fields than
//! the header (a line cut short), non-empty fields beyond the header, a cell longer than
//! [`MAX_CELL_BYTES`], and control characters (NUL, C0 other than tab and line breaks, DEL, C1).

use super::csv_rows::{is_normal_timestamp, iso_date};
use super::encoding::{self, ReadStats, Refusal};
use crate::domain::dates::{
    DateProblem, check_plausible, is_dotted, normalise_timestamp, parse_date, parse_date_time,
};
use crate::domain::money::Money;
use crate::i18n::msg;
use chrono::NaiveDate;
use std::collections::HashSet;
use std::fmt;
use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::rc::Rc;

/// The longest cell accepted: longer is refused as "too long" (names, addresses and notes are far
/// shorter; a longer cell is a quote left open or a damaged file).
pub const MAX_CELL_BYTES: usize = 64 * 1024;

/// One bad value in an input file: `FILE:LINE:COLUMN: what is wrong, what was expected`.
#[derive(Debug, Clone, PartialEq)]
pub struct LocatedError {
    /// The file's name as the user gave it.
    pub file: String,
    /// The 1-based line number (0 when the problem is the file as a whole).
    pub line: u64,
    /// The column's header name, when one column is at fault.
    pub column: Option<String>,
    /// What is wrong and what was expected, as one sentence.
    pub message: String,
}

impl fmt::Display for LocatedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if self.line > 0 {
            write!(f, ":{}", self.line)?;
        }
        if let Some(c) = &self.column {
            write!(f, ":{c}")?;
        }
        // One line whatever the cell held: a value quoted in the message may carry a line break
        // (a cell whose closing quote is missing runs on into the next lines) or other controls.
        f.write_str(": ")?;
        for ch in self.message.chars() {
            if ch.is_control() {
                write!(f, "{}", ch.escape_default())?;
            } else {
                write!(f, "{ch}")?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for LocatedError {}

/// An open CSV file being read row by row (streaming: memory does not grow with the file).
pub struct CsvFile {
    name: String,
    reader: csv::Reader<Box<dyn Read>>,
    headers: Vec<String>,
    record: csv::StringRecord,
    stats: Rc<ReadStats>,
    /// The byte position of the last record read when the file ends inside it (no line break
    /// after it): that row is cut short.
    cut_at: Option<u64>,
}

impl CsvFile {
    /// Opens `path`, detects its encoding lazily, sniffs its delimiter and reads its header line.
    pub fn open(path: &Path) -> Result<CsvFile, LocatedError> {
        let name = path.display().to_string();
        let whole = |message: String| LocatedError {
            file: name.clone(),
            line: 0,
            column: None,
            message,
        };
        let file = File::open(path).map_err(|e| whole(cannot_read(&e)))?;
        let (decoder, stats) = encoding::decoding(Box::new(file));
        // A second handle, so the encoding is decided by the whole file (see `encoding`).
        let mut decoder = match File::open(path) {
            Ok(second) => decoder.with_second_handle(Box::new(second)),
            Err(_) => decoder,
        };
        let head = decoder.head().map_err(|e| whole(cannot_read(&e)))?;
        if head.is_empty() {
            return Err(whole(msg("import-file-empty", &[])));
        }
        if is_lfs_pointer(head) {
            return Err(whole(msg("import-lfs-pointer", &[])));
        }
        let delimiter = sniff_delimiter(head);
        Self::with_reader(name, Box::new(decoder), stats, delimiter)
    }

    /// Reads CSV from any reader (used by tests and by importers of embedded data); the bytes
    /// may be UTF-8 or Windows-1251 as for [`CsvFile::open`].
    pub fn from_reader(
        name: String,
        input: Box<dyn Read>,
        delimiter: u8,
    ) -> Result<CsvFile, LocatedError> {
        let (decoder, stats) = encoding::decoding(input);
        Self::with_reader(name, Box::new(decoder), stats, delimiter)
    }

    fn with_reader(
        name: String,
        input: Box<dyn Read>,
        stats: Rc<ReadStats>,
        delimiter: u8,
    ) -> Result<CsvFile, LocatedError> {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .has_headers(true)
            .buffer_capacity(1 << 16)
            .from_reader(input);
        let header = reader
            .headers()
            .map_err(|e| csv_error(&name, &e, None, 1))?
            .clone();
        stats.mark();
        let headers: Vec<String> = header
            .iter()
            .map(|h| h.trim().trim_start_matches('\u{feff}').to_lowercase())
            .collect();
        let header_error = |column: Option<String>, key: &str| LocatedError {
            file: name.clone(),
            line: 1,
            column,
            message: msg(key, &[]),
        };
        if headers.iter().all(|h| h.is_empty()) {
            return Err(header_error(None, "import-header-empty"));
        }
        if headers.iter().any(|h| first_control(h).is_some()) {
            return Err(header_error(None, "import-header-control"));
        }
        let mut names = HashSet::new();
        for h in headers.iter().filter(|h| !h.is_empty()) {
            if !names.insert(h) {
                return Err(header_error(Some(h.clone()), "import-header-duplicate"));
            }
        }
        Ok(CsvFile {
            name,
            reader,
            headers,
            record: csv::StringRecord::new(),
            stats,
            cut_at: None,
        })
    }

    /// Bytes of the file read so far, as on disk (for a progress bar).
    pub fn bytes_read(&self) -> u64 {
        self.stats.raw_bytes()
    }

    /// The encoding detected so far (`None` while the file has been all ASCII).
    pub fn encoding(&self) -> Option<encoding::Encoding> {
        self.stats.encoding()
    }

    /// The file's name, for messages.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Fails with a clear message when a required column is missing from the header.
    pub fn require(&self, required: &[&str]) -> Result<(), LocatedError> {
        for col in required {
            if self.column_index(col).is_none() {
                return Err(LocatedError {
                    file: self.name.clone(),
                    line: 1,
                    column: Some((*col).to_string()),
                    message: msg(
                        "import-header-missing-column",
                        &[
                            ("column", (*col).into()),
                            ("expected", required.join(", ").as_str().into()),
                        ],
                    ),
                });
            }
        }
        Ok(())
    }

    /// The position of `column` in the header, for [`Row::cell`].
    pub fn column_index(&self, column: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == column)
    }

    /// Header columns that are not in `known` (the caller warns about them and ignores them).
    pub fn unknown_columns(&self, known: &[&str]) -> Vec<String> {
        self.headers
            .iter()
            .filter(|h| !h.is_empty() && !known.contains(&h.as_str()))
            .cloned()
            .collect()
    }

    /// Reads the next data row; `Ok(None)` at the end of the file.
    pub fn next_row(&mut self) -> Result<Option<Row<'_>>, LocatedError> {
        let mut record = std::mem::take(&mut self.record);
        let more = self.read_into(&mut record);
        self.record = record;
        Ok(more?.then(|| self.row(&self.record)))
    }

    /// Reads the next data row into `record` (reusing its memory); `Ok(false)` at the end of the
    /// file. [`CsvFile::row`] then gives the typed accessors over it.
    pub fn read_into(&mut self, record: &mut csv::StringRecord) -> Result<bool, LocatedError> {
        let next_line = self.reader.position().line();
        match self.reader.read_record(record) {
            Ok(more) => {
                if more {
                    self.stats.mark();
                    let at = self.reader.position().byte();
                    if self.stats.ends_unterminated_at(at) {
                        self.cut_at = record.position().map(csv::Position::byte);
                    }
                }
                Ok(more)
            }
            Err(e) => Err(csv_error(&self.name, &e, Some(&self.headers), next_line)),
        }
    }

    /// A record read by [`CsvFile::read_into`] with this file's name and columns.
    pub fn row<'a>(&'a self, record: &'a csv::StringRecord) -> Row<'a> {
        let mut row = Row::new(&self.name, &self.headers, record);
        row.cut = self.cut_at.is_some() && self.cut_at == record.position().map(|p| p.byte());
        row
    }

    /// The header's column names, trimmed and lower-cased.
    pub fn headers(&self) -> &[String] {
        &self.headers
    }
}

/// A CSV reader's error as a located sentence; `line` is used when the error has no position.
fn csv_error(name: &str, e: &csv::Error, headers: Option<&[String]>, line: u64) -> LocatedError {
    let mut line = e.position().map(|p| p.line()).unwrap_or(line);
    let mut column = None;
    let message = match e.kind() {
        csv::ErrorKind::Utf8 { err, .. } => {
            column = headers.and_then(|h| h.get(err.field())).cloned();
            msg("import-not-utf8", &[])
        }
        csv::ErrorKind::Io(io) => match io.get_ref().and_then(|r| r.downcast_ref::<Refusal>()) {
            Some(refusal) => {
                line = refusal.line.unwrap_or(line);
                refusal.message.clone()
            }
            None => cannot_read(io),
        },
        _ => msg(
            "import-not-csv",
            &[("error", e.to_string().as_str().into())],
        ),
    };
    LocatedError {
        file: name.to_string(),
        line,
        column,
        message,
    }
}

/// "cannot be read: …" for an I/O error (the system's own words are kept as they are).
pub(crate) fn cannot_read(e: &std::io::Error) -> String {
    msg(
        "import-cannot-read",
        &[("error", e.to_string().as_str().into())],
    )
}

/// A list of accepted values ("a, b or c") with its "or" in the user's language.
pub(crate) fn or_list(expected: &str) -> String {
    expected.replace(" or ", &format!(" {} ", msg("import-list-or", &[])))
}

/// The sentence for a date that [`parse_date`] refused, in the user's language.
pub(crate) fn date_problem(text: &str) -> String {
    match parse_date_time(text) {
        Err(p) => date_sentence(&p),
        Ok(_) => msg("import-bad-date", &[("value", text.trim().into())]),
    }
}

/// The sentence for a timestamp that [`normalise_timestamp`] refused, in the user's language
/// (`_english` is the domain's own sentence, kept for callers that have it).
pub(crate) fn timestamp_problem(text: &str, _english: &str) -> String {
    date_problem(text)
}

/// A [`DateProblem`] as a sentence in the user's language.
pub(crate) fn date_sentence(p: &DateProblem) -> String {
    let day = |d: &NaiveDate| d.format("%d.%m.%Y").to_string();
    match p {
        DateProblem::Required => msg("import-date-required", &[]),
        DateProblem::NotADate(t) => msg("import-bad-date", &[("value", t.as_str().into())]),
        DateProblem::NotATimestamp(t) if is_dotted(t) => msg(
            "import-bad-timestamp-dotted",
            &[("value", t.as_str().into())],
        ),
        DateProblem::NotATimestamp(t) => {
            msg("import-bad-timestamp", &[("value", t.as_str().into())])
        }
        DateProblem::TwoDigitYear {
            text,
            as_1900s,
            as_2000s,
        } => msg(
            "import-date-two-digit-year",
            &[
                ("value", text.as_str().into()),
                ("as_2000s", as_2000s.as_str().into()),
                ("as_1900s", as_1900s.as_str().into()),
            ],
        ),
        DateProblem::ExcelSerial { text, date } => msg(
            "import-date-excel-serial",
            &[
                ("value", text.as_str().into()),
                ("date", day(date).as_str().into()),
            ],
        ),
        DateProblem::OutOfRange {
            text,
            earliest,
            latest,
        } => msg(
            "import-date-implausible",
            &[
                ("value", text.as_str().into()),
                ("earliest", day(earliest).as_str().into()),
                ("latest", day(latest).as_str().into()),
            ],
        ),
    }
}

/// The sentence for an amount that [`Money::parse`] refused with `english`, in the user's language.
pub(crate) fn money_problem(text: &str, english: &str) -> String {
    let value = [("value", text.into())];
    if text.trim().is_empty() {
        msg("import-money-required", &[])
    } else if english.contains("too large") {
        msg("import-money-too-large", &value)
    } else {
        msg("import-bad-money", &value)
    }
}

/// Picks `;` when the header line has more semicolons than commas (Russian Excel's default).
fn sniff_delimiter(head: &[u8]) -> u8 {
    let first_line = head
        .split(|b| *b == b'\n' || *b == b'\r')
        .next()
        .unwrap_or(head);
    let semicolons = first_line.iter().filter(|b| **b == b';').count();
    let commas = first_line.iter().filter(|b| **b == b',').count();
    if semicolons > commas { b';' } else { b',' }
}

/// `12 345,6` (space, no-break space U+00A0 or narrow no-break space U+202F between groups of three
/// digits) without its separators; `None` when the text has no such groups.
fn without_thousand_separators(t: &str) -> Option<String> {
    let (int, frac) = match t.find([',', '.']) {
        Some(i) => t.split_at(i),
        None => (t, ""),
    };
    let mut groups = int.split([' ', '\u{a0}', '\u{202f}']);
    let first = groups.next()?;
    let digits = |g: &str| g.bytes().all(|b| b.is_ascii_digit());
    let first_ok = !first.is_empty()
        && first.trim_start_matches('-').len() <= 3
        && digits(first.trim_start_matches('-'));
    let mut rest = groups.peekable();
    rest.peek()?;
    if !first_ok || !rest.all(|g| g.len() == 3 && digits(g)) {
        return None;
    }
    Some(format!(
        "{}{frac}",
        int.replace([' ', '\u{a0}', '\u{202f}'], "")
    ))
}

/// True when `head`, the file's first bytes, is a Git LFS pointer (the repository's stand-in
/// for a large file that was never fetched), per the spec's first line
/// (<https://github.com/git-lfs/git-lfs/blob/main/docs/spec.md>).
pub(crate) fn is_lfs_pointer(head: &[u8]) -> bool {
    head.starts_with(b"version https://git-lfs.github.com/spec/")
}

/// True when `text` may hold a control character or a line break (the slow checks are needed).
fn may_hold_controls(text: &str) -> bool {
    // No byte below space, no DEL and no 0xC2 (the lead byte of U+0080..U+009F).
    text.bytes().any(|b| b < 0x20 || b == 0x7F || b == 0xC2)
}

/// The first character of `text` that is a control character other than tab, CR and LF.
fn first_control(text: &str) -> Option<char> {
    if !may_hold_controls(text) {
        return None;
    }
    control_in(text)
}

/// [`first_control`] without its fast path.
fn control_in(text: &str) -> Option<char> {
    text.chars()
        .find(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}

/// True when a quoted cell that runs over several lines holds what look like whole rows of the
/// file (each continuation line has at least half the delimiters of a row of `fields` fields):
/// a quote opened and never closed where it should have been, not an address written on two lines.
fn swallows_rows(cell: &str, fields: usize) -> bool {
    let wanted = (fields.saturating_sub(1) / 2).max(1);
    let mut any = false;
    for line in cell.split('\n').skip(1).filter(|l| !l.trim().is_empty()) {
        let delimiters = line.bytes().filter(|b| *b == b',' || *b == b';').count();
        if delimiters < wanted {
            return false;
        }
        any = true;
    }
    any
}

/// One data row, with typed accessors whose errors name the file, line and column.
pub struct Row<'a> {
    file: &'a str,
    line: u64,
    record: &'a csv::StringRecord,
    headers: &'a [String],
    /// The file ends inside this row (no line break after it).
    cut: bool,
}

impl<'a> Row<'a> {
    /// A row of the file `file` with columns `headers`, read into `record` (its line is the
    /// record's own position, so a record may be carried to another thread and viewed there).
    pub fn new(file: &'a str, headers: &'a [String], record: &'a csv::StringRecord) -> Row<'a> {
        Row {
            file,
            line: record.position().map(|p| p.line()).unwrap_or(0),
            record,
            headers,
            cut: false,
        }
    }

    /// Refuses a row no column type can be trusted with (see the module documentation): a cell
    /// over [`MAX_CELL_BYTES`] or with a control character, fewer fields than the header (naming
    /// the first missing column), or non-empty fields beyond it.
    pub fn check(&self) -> Result<(), LocatedError> {
        let column = |i: usize| self.headers.get(i).map(String::as_str).unwrap_or("");
        if self.record.iter().all(|c| c.trim().is_empty()) {
            // `;;;;` — what Excel writes for a row it once held.
            return Err(self.whole_row(msg("import-row-empty", &[])));
        }
        for (i, cell) in self.record.iter().enumerate() {
            let slow = may_hold_controls(cell);
            if slow && cell.contains('\n') && swallows_rows(cell, self.headers.len()) {
                // Line breaks a quote open to the file's end takes in last are no line of their own.
                let breaks: usize = self
                    .record
                    .iter()
                    .map(|c| c.trim_end_matches('\n').matches('\n').count())
                    .sum();
                let last = self.line + breaks as u64;
                return Err(self.error(
                    column(i),
                    msg(
                        "import-quote-unclosed",
                        &[("first", self.line.into()), ("last", last.into())],
                    ),
                ));
            }
            if cell.len() > MAX_CELL_BYTES {
                return Err(self.error(
                    column(i),
                    msg(
                        "import-cell-too-long",
                        &[
                            ("size", (cell.len() / 1024).into()),
                            ("max", (MAX_CELL_BYTES / 1024).into()),
                        ],
                    ),
                ));
            }
            if let Some(c) = slow.then(|| control_in(cell)).flatten() {
                return Err(self.error(
                    column(i),
                    msg(
                        "import-cell-control",
                        &[("code", format!("U+{:04X}", u32::from(c)).as_str().into())],
                    ),
                ));
            }
        }
        let (have, want) = (self.record.len(), self.headers.len());
        if have < want && self.cut {
            return Err(self.error(
                column(have),
                msg(
                    "import-row-cut",
                    &[("have", have.into()), ("want", want.into())],
                ),
            ));
        }
        if have < want {
            return Err(self.error(
                column(have),
                msg(
                    "import-row-short",
                    &[("have", have.into()), ("want", want.into())],
                ),
            ));
        }
        if self.record.iter().skip(want).any(|c| !c.trim().is_empty()) {
            return Err(self.whole_row(msg(
                "import-row-extra",
                &[("have", have.into()), ("want", want.into())],
            )));
        }
        Ok(())
    }

    /// An error about the row as a whole (no one column at fault).
    fn whole_row(&self, message: String) -> LocatedError {
        LocatedError {
            file: self.file.to_string(),
            line: self.line,
            column: None,
            message,
        }
    }

    /// The row as the file had it, fields joined by commas (for reject files).
    pub fn raw(&self) -> String {
        self.record.iter().collect::<Vec<_>>().join(",")
    }

    /// The 1-based line number of this row.
    pub fn line(&self) -> u64 {
        self.line
    }

    /// The file's name as the user gave it.
    pub fn file(&self) -> &'a str {
        self.file
    }

    /// An error about `column` on this row.
    pub fn error(&self, column: &str, message: impl Into<String>) -> LocatedError {
        LocatedError {
            file: self.file.to_string(),
            line: self.line,
            column: Some(column.to_string()),
            message: message.into(),
        }
    }

    /// The trimmed text of a column; empty when the column or the cell is absent.
    pub fn text(&self, column: &str) -> &'a str {
        // A linear search: a dozen short names, compared by length first, beat hashing the name.
        self.headers
            .iter()
            .position(|h| h == column)
            .and_then(|i| self.record.get(i))
            .map(str::trim)
            .unwrap_or("")
    }

    /// The trimmed text of the cell at `index` (from [`CsvFile::column_index`]); empty when absent.
    pub fn cell(&self, index: usize) -> &'a str {
        self.record.get(index).map(str::trim).unwrap_or("")
    }

    /// A column that must not be empty.
    pub fn required(&self, column: &str) -> Result<String, LocatedError> {
        let t = self.text(column);
        if t.is_empty() {
            Err(self.error(column, msg("import-value-required", &[])))
        } else {
            Ok(t.to_string())
        }
    }

    /// A column that may be empty (`None`).
    pub fn optional(&self, column: &str) -> Option<String> {
        let t = self.text(column);
        if t.is_empty() {
            None
        } else {
            Some(t.to_string())
        }
    }

    /// A required date (ISO or dd.mm.yyyy).
    pub fn date(&self, column: &str) -> Result<NaiveDate, LocatedError> {
        let t = self.text(column);
        match iso_date(t) {
            Some(d) => Ok(d),
            None => parse_date(t).map_err(|_| self.error(column, date_problem(t))),
        }
    }

    /// An optional policy number or SNILS (`snils`): refused when Excel rewrote it in scientific
    /// notation (its last digits are lost) or, for a SNILS, when it is not eleven digits or fails
    /// its check number ([`crate::domain::identifiers::check_snils`]); the sentence says how to
    /// export it again.
    pub fn identifier(&self, column: &str, snils: bool) -> Result<Option<String>, LocatedError> {
        use crate::domain::identifiers::{SnilsProblem, check_snils, is_excel_scientific};
        let t = self.text(column);
        if t.is_empty() {
            return Ok(None);
        }
        let value = [("value", t.into())];
        if is_excel_scientific(t) {
            return Err(self.error(column, msg("import-id-excel-scientific", &value)));
        }
        if snils {
            match check_snils(t) {
                Ok(()) => {}
                Err(SnilsProblem::NotElevenDigits { .. }) => {
                    return Err(self.error(column, msg("import-snils-digits", &value)));
                }
                Err(SnilsProblem::CheckNumber { expected }) => {
                    return Err(self.error(
                        column,
                        msg(
                            "import-snils-check",
                            &[
                                ("value", t.into()),
                                ("expected", format!("{expected:02}").as_str().into()),
                            ],
                        ),
                    ));
                }
            }
        }
        Ok(Some(t.to_string()))
    }

    /// A required date that a birth, a service or an observation can have: from 1900 to two years
    /// past the import's as-of date ([`check_plausible`]).
    pub fn plausible_date(&self, column: &str) -> Result<NaiveDate, LocatedError> {
        let d = self.date(column)?;
        self.plausible(column, d)?;
        Ok(d)
    }

    /// A required timestamp whose date a service can have (see [`Row::plausible_date`]).
    pub fn plausible_timestamp(&self, column: &str) -> Result<String, LocatedError> {
        let ts = self.timestamp(column)?;
        if let Some(d) = crate::domain::dates::date_of_timestamp(&ts) {
            self.plausible(column, d)?;
        }
        Ok(ts)
    }

    fn plausible(&self, column: &str, d: NaiveDate) -> Result<(), LocatedError> {
        // Per row only two comparisons; the sentence is built for a date outside the range.
        let (earliest, latest) = super::plausible_dates();
        if d >= earliest && d <= latest {
            return Ok(());
        }
        check_plausible(d, self.text(column), super::as_of())
            .map_err(|p| self.error(column, date_sentence(&p)))
    }

    /// An optional date.
    pub fn optional_date(&self, column: &str) -> Result<Option<NaiveDate>, LocatedError> {
        if self.text(column).is_empty() {
            Ok(None)
        } else {
            self.date(column).map(Some)
        }
    }

    /// A required timestamp, normalised to `YYYY-MM-DDTHH:MM:SS` with the written date kept.
    pub fn timestamp(&self, column: &str) -> Result<String, LocatedError> {
        let t = self.text(column);
        if is_normal_timestamp(t) {
            return Ok(t.to_string());
        }
        normalise_timestamp(t).map_err(|m| self.error(column, timestamp_problem(t, &m)))
    }

    /// An optional timestamp.
    pub fn optional_timestamp(&self, column: &str) -> Result<Option<String>, LocatedError> {
        if self.text(column).is_empty() {
            Ok(None)
        } else {
            self.timestamp(column).map(Some)
        }
    }

    /// A decimal number; a decimal comma is accepted.
    pub fn number(&self, column: &str) -> Result<f64, LocatedError> {
        let t = self.text(column);
        if t.is_empty() {
            return Err(self.error(column, msg("import-number-required", &[])));
        }
        // Spaces, no-break spaces (Excel's thousand separator in a Russian locale) and narrow
        // no-break spaces between digits are thousand separators.
        let t_plain = if t.bytes().any(|b| b == b' ' || b >= 0x80) {
            without_thousand_separators(t)
        } else {
            None
        };
        t_plain
            .as_deref()
            .unwrap_or(t)
            .replace(',', ".")
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| self.error(column, msg("import-bad-number", &[("value", t.into())])))
    }

    /// A non-negative amount of money (empty reads as zero).
    pub fn money(&self, column: &str) -> Result<Money, LocatedError> {
        let t = self.text(column);
        if t.is_empty() {
            return Ok(Money::ZERO);
        }
        let m = Money::parse(t).map_err(|e| self.error(column, money_problem(t, &e)))?;
        if m.minor() < 0 {
            return Err(self.error(column, msg("import-money-negative", &[("value", t.into())])));
        }
        Ok(m)
    }

    /// A boolean: true/false, 1/0, yes/no, да/нет (empty is false).
    pub fn flag(&self, column: &str) -> Result<bool, LocatedError> {
        let t = self.text(column).to_lowercase();
        match t.as_str() {
            "" | "false" | "0" | "no" | "n" | "нет" => Ok(false),
            "true" | "1" | "yes" | "y" | "да" => Ok(true),
            _ => Err(self.error(
                column,
                msg("import-bad-flag", &[("value", t.as_str().into())]),
            )),
        }
    }

    /// A code from a closed list, parsed by `parse`; the error lists what was expected.
    pub fn code<T>(
        &self,
        column: &str,
        parse: fn(&str) -> Option<T>,
        expected: String,
    ) -> Result<T, LocatedError> {
        let t = self.text(column);
        parse(t).ok_or_else(|| {
            self.error(
                column,
                msg(
                    "import-bad-code",
                    &[
                        ("value", t.into()),
                        ("expected", or_list(&expected).as_str().into()),
                    ],
                ),
            )
        })
    }

    /// An optional code from a closed list.
    pub fn optional_code<T>(
        &self,
        column: &str,
        parse: fn(&str) -> Option<T>,
        expected: String,
    ) -> Result<Option<T>, LocatedError> {
        if self.text(column).is_empty() {
            Ok(None)
        } else {
            self.code(column, parse, expected).map(Some)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_located_error_is_one_line_whatever_the_value() {
        let e = LocatedError {
            file: "encounters.csv".into(),
            line: 2,
            column: Some("cost".into()),
            message: "\"45 000,50#\nE2,P3\r\t\u{7}\" is not an amount".into(),
        };
        let text = e.to_string();
        assert!(!text.chars().any(char::is_control), "{text}");
        assert_eq!(
            text,
            "encounters.csv:2:cost: \"45 000,50#\\nE2,P3\\r\\t\\u{7}\" is not an amount"
        );
    }
    use crate::i18n::{Lang, strings};

    #[test]
    fn sentences_for_refused_dates_times_and_amounts_keep_the_domain_wording_in_english() {
        // The helpers pick a locale key from the domain's English sentence: if the domain's words
        // change, this fails rather than the Russian silently falling back to the wrong sentence.
        for t in [
            "",
            "  ",
            "31.02.1950",
            "2024-13-01",
            "yesterday",
            "05.03.24",
            "45356",
            "05.03.2024 25:00",
        ] {
            assert_eq!(date_problem(t), parse_date(t).unwrap_err(), "{t:?}");
        }
        let far = check_plausible(
            NaiveDate::from_ymd_opt(9999, 12, 31).unwrap(),
            "9999-12-31",
            NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        )
        .unwrap_err();
        assert_eq!(date_sentence(&far), far.english());
        for t in [
            "2024-03-05T25:00",
            "05.03.2024 25:61",
            "31.02.2024 10:00",
            "",
        ] {
            let english = normalise_timestamp(t).unwrap_err();
            assert_eq!(timestamp_problem(t, &english), english, "{t:?}");
        }
        for t in ["", "12.345", "abc", "99999999999999999999"] {
            let english = Money::parse(t).unwrap_err();
            assert_eq!(money_problem(t, &english), english, "{t:?}");
        }
        assert_eq!(or_list("F, M or U"), "F, M or U");
    }

    #[test]
    fn russian_row_sentences_agree_with_their_numbers() {
        let ru = strings(Lang::Ru);
        let extra = |have: usize| {
            ru.t_args(
                "import-row-extra",
                &[("have", have.into()), ("want", 3usize.into())],
            )
        };
        assert!(extra(1).starts_with("в строке 1 поле,"), "{}", extra(1));
        assert!(extra(4).starts_with("в строке 4 поля,"), "{}", extra(4));
        assert!(extra(5).starts_with("в строке 5 полей,"), "{}", extra(5));
        let short = ru.t_args(
            "import-row-short",
            &[("have", 2usize.into()), ("want", 21usize.into())],
        );
        assert!(short.contains("после 2 из 21 поля заголовка"), "{short}");
        let bad = ru.t_args("import-bad-date", &[("value", "31.02.1950".into())]);
        assert_eq!(
            bad,
            "«31.02.1950» — не дата: ожидалась дата в формате ДД.ММ.ГГГГ или ГГГГ-ММ-ДД"
        );
    }
}
