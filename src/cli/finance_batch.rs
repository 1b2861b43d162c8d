//! `acodesk finance reconcile`: the year-end reconciliation of many networks from one CSV file.
//!
//! Input columns, by header name in any order (unknown columns are ignored; a `;` separator is
//! accepted when the header uses it):
//!
//! | column | meaning |
//! |---|---|
//! | `id` | the network's id, copied to the output |
//! | `preset` | contract preset, e.g. `mssp-2018-track-2` (also `track-2`, `Track 1+`) |
//! | `assigned_beneficiaries` | N; needed when `msr` is blank and the contract uses the table |
//! | `person_years` | used only when `benchmark_total` is blank (B = per person-year × person-years) |
//! | `benchmark_total`, `expenditure_total` | B and E |
//! | `quality_score` | fraction 0..=1; may be blank when the standard was not met |
//! | `met_quality_standard` | true/false (also yes/no, 1/0) |
//! | `msr`, `mlr` | blank: the contract's rule (the 42 CFR 425.604(b) table); `mlr` blank = the MSR |
//! | `agreement_year` | 1, 2, 3…; needed for a shared loss when the cap depends on it (Track 2) |
//! | `disaster_adjustment` | as published (≤ 0), shrinks a loss; blank = 0 |
//! | `hba1c_coverage` | optional; decides an HbA1c-coverage quality gate when given |
//!
//! Percent columns (`msr`, `mlr`, `quality_score`, `hba1c_coverage`) take fractions (0.02); a value
//! above 1 is read as a percentage (2 → 0.02), as is a value written with `%` ("1.5%"). Money
//! columns take plain numbers; more than two decimals (published results carry floats) are rounded
//! to the cent, half away from zero.
//!
//! Output columns in this order: `id, savings, savings_rate, msr, generated, final_sharing_rate,
//! earned, cap_applied` (earned > 0 is paid to the network, < 0 owed by it). CSV money is printed
//! `1234.56`; JSON is an array of objects with the same keys, money and rates as numbers. Any bad
//! row stops the batch with `FILE:LINE: column "X": …` before anything is written.

use crate::domain::finance::cells::{Cells, reconcile_input};
use crate::domain::finance::{Contract, Reconciliation, preset_ids, reconcile};
use color_eyre::eyre::{Result, WrapErr, eyre};
use serde::Serialize;
use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::Path;

/// The output format of the batch.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum OutputFormat {
    /// Comma-separated, with a header line.
    #[default]
    Csv,
    /// A JSON array of objects.
    Json,
}

impl std::str::FromStr for OutputFormat {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "csv" => Ok(OutputFormat::Csv),
            "json" => Ok(OutputFormat::Json),
            other => Err(format!("\"{other}\" is not a format, expected csv or json")),
        }
    }
}

impl std::fmt::Display for OutputFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            OutputFormat::Csv => "csv",
            OutputFormat::Json => "json",
        })
    }
}

/// One reconciled input row.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchRow {
    /// The row's `id`.
    pub id: String,
    /// Its line in the input file.
    pub line: u64,
    /// The contract preset id it was reconciled under.
    pub preset: String,
    /// The result.
    pub result: Reconciliation,
}

/// Reconciles every row of `input` and writes the results to `out`; returns the number of rows.
/// Nothing is written when any row is bad.
pub fn reconcile_file(input: &Path, format: OutputFormat, out: &mut dyn Write) -> Result<usize> {
    let file = std::fs::File::open(input)
        .wrap_err_with(|| format!("{}: the file could not be opened", input.display()))?;
    let rows = reconcile_reader(file, &input.display().to_string())?;
    write_rows(&rows, format, out)?;
    Ok(rows.len())
}

/// The output column names, in order.
pub const OUTPUT_COLUMNS: [&str; 8] = [
    "id",
    "savings",
    "savings_rate",
    "msr",
    "generated",
    "final_sharing_rate",
    "earned",
    "cap_applied",
];

/// Writes reconciled rows as CSV or JSON.
pub fn write_rows(rows: &[BatchRow], format: OutputFormat, out: &mut dyn Write) -> Result<()> {
    let mut buffer = Vec::new();
    match format {
        OutputFormat::Csv => {
            // The commands' CSV style: with --lang ru `;`, a decimal comma, a BOM, Russian headers.
            let table = super::output::Table {
                header: OUTPUT_COLUMNS.iter().map(|c| c.to_string()).collect(),
                rows: rows
                    .iter()
                    .map(|row| {
                        let r = &row.result;
                        vec![
                            row.id.clone(),
                            r.savings.to_string(),
                            rate_out(r.savings_rate).to_string(),
                            rate_out(r.msr).to_string(),
                            r.generated.to_string(),
                            rate_out(r.final_sharing_rate).to_string(),
                            r.earned.to_string(),
                            r.cap_applied.to_string(),
                        ]
                    })
                    .collect(),
            };
            table.write_csv(&mut buffer, crate::i18n::process_lang())?;
        }
        OutputFormat::Json => {
            let objects: Vec<JsonRow<'_>> = rows.iter().map(JsonRow::from).collect();
            serde_json::to_writer_pretty(&mut buffer, &objects)?;
            buffer.push(b'\n');
        }
    }
    out.write_all(&buffer)?;
    out.flush()?;
    Ok(())
}

#[derive(Serialize)]
struct JsonRow<'a> {
    id: &'a str,
    savings: f64,
    savings_rate: f64,
    msr: f64,
    generated: f64,
    final_sharing_rate: f64,
    earned: f64,
    cap_applied: bool,
}

impl<'a> From<&'a BatchRow> for JsonRow<'a> {
    fn from(row: &'a BatchRow) -> Self {
        let r = &row.result;
        JsonRow {
            id: &row.id,
            savings: r.savings.as_f64(),
            savings_rate: rate_out(r.savings_rate),
            msr: rate_out(r.msr),
            generated: r.generated.as_f64(),
            final_sharing_rate: rate_out(r.final_sharing_rate),
            earned: r.earned.as_f64(),
            cap_applied: r.cap_applied,
        }
    }
}

/// A rate for output: rounded to 10 decimals (drops binary noise), never "-0".
fn rate_out(rate: f64) -> f64 {
    let r = (rate * 1e10).round() / 1e10;
    if r == 0.0 || !r.is_finite() { 0.0 } else { r }
}

/// Reads and reconciles every row; `origin` names the input in error messages.
pub fn reconcile_reader(mut reader: impl Read, origin: &str) -> Result<Vec<BatchRow>> {
    let mut text = String::new();
    reader
        .read_to_string(&mut text)
        .wrap_err_with(|| format!("{origin}: the file could not be read as UTF-8 text"))?;
    let first_line = text.lines().next().unwrap_or("");
    let delimiter = if first_line.matches(';').count() > first_line.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut csv = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = csv.headers().map_err(|e| csv_error(origin, &e))?.clone();
    let columns: HashMap<String, usize> = headers
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let name = name.trim_start_matches('\u{feff}').trim();
            (name.to_ascii_lowercase(), i)
        })
        .collect();
    if headers.iter().all(str::is_empty) {
        return Err(eyre!(
            "{origin}:1: the file is empty, expected a header line with the columns id, preset, \
             benchmark_total, expenditure_total, quality_score, met_quality_standard, …"
        ));
    }
    for required in ["id", "preset", "expenditure_total", "met_quality_standard"] {
        if !columns.contains_key(required) {
            return Err(eyre!(
                "{origin}:1: column \"{required}\": missing from the header, expected the columns \
                 id, preset, benchmark_total (or person_years), expenditure_total, quality_score, \
                 met_quality_standard and optionally assigned_beneficiaries, msr, mlr, \
                 agreement_year, disaster_adjustment"
            ));
        }
    }
    let mut contracts: HashMap<String, Contract> = HashMap::new();
    let mut rows = Vec::new();
    for record in csv.records() {
        let record = record.map_err(|e| csv_error(origin, &e))?;
        let row = Row {
            origin,
            line: record.position().map_or(0, |p| p.line()),
            record: &record,
            columns: &columns,
        };
        let id = row
            .required("id", "an identifier such as A1234")?
            .to_string();
        let preset =
            preset_id(row.required("preset", "a contract preset such as mssp-2018-track-1")?);
        if !contracts.contains_key(&preset) {
            let contract = Contract::preset(&preset).map_err(|_| {
                row.fail(
                    "preset",
                    format!(
                        "\"{}\" is not a known contract, expected one of {}",
                        row.cell("preset"),
                        preset_ids().collect::<Vec<_>>().join(", ")
                    ),
                )
            })?;
            contracts.insert(preset.clone(), contract);
        }
        let Some(contract) = contracts.get(&preset) else {
            return Err(row.fail("preset", "could not be loaded".into()));
        };
        let input = reconcile_input(&row, contract).map_err(|e| row.fail(&e.column, e.message))?;
        let result = reconcile(contract, &input);
        if result.msr_below_table {
            tracing::warn!(
                "{origin}:{}: {} assigned beneficiaries is below the MSR table; the 5,000 rate \
                 (3.9 %) was used",
                row.line,
                input.assigned_beneficiaries
            );
        }
        rows.push(BatchRow {
            id,
            line: row.line,
            preset,
            result,
        });
    }
    Ok(rows)
}

/// One input row, for reading cells with located errors.
struct Row<'a> {
    origin: &'a str,
    line: u64,
    record: &'a csv::StringRecord,
    columns: &'a HashMap<String, usize>,
}

impl Cells for Row<'_> {
    fn cell(&self, column: &str) -> &str {
        self.columns
            .get(column)
            .and_then(|i| self.record.get(*i))
            .unwrap_or("")
    }
}

impl Row<'_> {
    fn fail(&self, column: &str, message: String) -> color_eyre::Report {
        eyre!(
            "{}:{}: column \"{column}\": {message}",
            self.origin,
            self.line
        )
    }

    fn required(&self, column: &str, expected: &str) -> Result<&str> {
        match self.cell(column) {
            "" => Err(self.fail(column, format!("is blank, expected {expected}"))),
            text => Ok(text),
        }
    }
}

fn csv_error(origin: &str, error: &csv::Error) -> color_eyre::Report {
    let line = error.position().map_or(1, |p| p.line());
    match error.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => eyre!(
            "{origin}:{line}: the row has {len} fields, expected {expected_len} like the header"
        ),
        _ => eyre!("{origin}:{line}: {error}"),
    }
}

/// Normalises a preset name: case, spaces and underscores, `+` for "plus", the short MSSP forms.
fn preset_id(text: &str) -> String {
    let id = text
        .trim()
        .to_ascii_lowercase()
        .replace(['_', ' '], "-")
        .replace('+', "-plus");
    if id.starts_with("track-") {
        format!("mssp-2018-{id}")
    } else {
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::money::Money;

    const HEADER: &str = "id,preset,assigned_beneficiaries,person_years,benchmark_total,\
        expenditure_total,quality_score,met_quality_standard,msr,mlr,agreement_year,\
        disaster_adjustment,notes\n";

    fn fixture(body: &str) -> tempfile::NamedTempFile {
        let mut file = tempfile::NamedTempFile::new().unwrap();
        file.write_all(HEADER.as_bytes()).unwrap();
        file.write_all(body.as_bytes()).unwrap();
        file.flush().unwrap();
        file
    }

    const GOOD: &str = "\
A1,mssp-2018-track-1,10000,9800.5,100000000,96000000,0.9,true,,,1,,first dollar\n\
A2,Track 2,20000,,100000000.004,130000000,90,true,2,,1,,loss capped in year 1\n\
A3,mssp-2018-track-1,5000,,100000000,97000000,0.9,true,,,,,below the 3.9 % MSR\n\
A4,mssp-2018-track-2,12000,,100000000,104000000,0.9,yes,0.02,,2,-340000,disaster\n\
A5,regional-pilot,,,10000000,8765433,0.87,true,,,,,pilot\n\
A6,track-3,70000,,100000000,90000000,,false,,,,,quality failed\n";

    #[test]
    fn csv_batch_worked_rows() {
        let file = fixture(GOOD);
        let mut out = Vec::new();
        let rows = reconcile_file(file.path(), OutputFormat::Csv, &mut out).unwrap();
        assert_eq!(rows, 6);
        let text = String::from_utf8(out).unwrap();
        let expected = "\
id,savings,savings_rate,msr,generated,final_sharing_rate,earned,cap_applied
A1,4000000.00,0.04,0.03,4000000.00,0.45,1764000.00,false
A2,-30000000.00,-0.3,0.02,-30000000.00,0.54,-5000000.00,true
A3,3000000.00,0.03,0.039,0.00,0.45,0.00,false
A4,-4000000.00,-0.04,0.02,-4000000.00,0.54,-1500000.00,false
A5,1234567.00,0.1234567,0.02,1234567.00,0.435,537036.65,false
A6,10000000.00,0.1,0.02,10000000.00,0,0.00,false
";
        assert_eq!(text, expected);
    }

    #[test]
    fn json_batch_has_the_same_keys_in_order() {
        let file = fixture(GOOD);
        let mut out = Vec::new();
        reconcile_file(file.path(), OutputFormat::Json, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        let rows = value.as_array().unwrap();
        assert_eq!(rows.len(), 6);
        assert_eq!(rows[1]["earned"], serde_json::json!(-5000000.0));
        assert_eq!(rows[1]["cap_applied"], serde_json::json!(true));
        // The regional preset has no holdback: 1,234,567 × 0.435 = 537,036.645 → 537,036.65.
        assert_eq!(rows[4]["earned"], serde_json::json!(537036.65));
        let positions: Vec<usize> = OUTPUT_COLUMNS
            .iter()
            .map(|key| text.find(&format!("\"{key}\"")).unwrap())
            .collect();
        assert!(positions.windows(2).all(|p| p[0] < p[1]), "{text}");
    }

    #[test]
    fn a_bad_row_names_file_line_and_column_and_writes_nothing() {
        let file = fixture(
            "A1,mssp-2018-track-1,10000,,100000000,96000000,0.9,true,,,1,,\n\
             A2,mssp-2018-track-1,10000,,100000000,lots,0.9,true,,,1,,\n",
        );
        let mut out = Vec::new();
        let err = reconcile_file(file.path(), OutputFormat::Csv, &mut out).unwrap_err();
        let expected = format!(
            "{}:3: column \"expenditure_total\": \"lots\" is not an amount, expected a number \
             such as 1234.56",
            file.path().display()
        );
        assert_eq!(err.to_string(), expected);
        assert!(out.is_empty());
    }

    #[test]
    fn other_bad_rows() {
        let cases = [
            (
                "A,track-9,10000,,1000,900,0.9,true,,,1,,",
                "column \"preset\": \"track-9\" is not a known contract",
            ),
            (
                "A,track-2,10000,,1000,1100,0.9,true,,,,,",
                "column \"agreement_year\": is blank",
            ),
            (
                "A,track-1,,,1000,900,0.9,true,,,,,",
                "column \"assigned_beneficiaries\": is blank",
            ),
            (
                "A,track-1,10000,,1000,900,,true,,,,,",
                "column \"quality_score\": is blank",
            ),
            (
                "A,track-1,10000,,0,900,0.9,true,,,,,",
                "column \"benchmark_total\": 0.00 is not above 0",
            ),
            (
                "A,track-1,10000,,,900,0.9,true,,,,,",
                "column \"person_years\": is blank",
            ),
            (
                "A,track-1,10000,12,,900,0.9,true,,,,,",
                "column \"benchmark_total\": is blank and",
            ),
            (
                "A,track-1,10000,,1000,900,0.9,maybe,,,,,",
                "column \"met_quality_standard\": \"maybe\"",
            ),
            (
                "A,track-1,10000,,1000,900,0.9,true,250,,,,",
                "column \"msr\": \"250\" is out of range",
            ),
            (
                "A,track-1,10000,,1000,900,0.9,true",
                ":2: the row has 8 fields, expected 13",
            ),
        ];
        for (row, message) in cases {
            let file = fixture(&format!("{row}\n"));
            let err = reconcile_file(file.path(), OutputFormat::Csv, &mut Vec::new()).unwrap_err();
            let text = err.to_string();
            assert!(text.contains(":2: ") && text.contains(message), "{text}");
        }
    }

    #[test]
    fn header_checks_and_semicolons() {
        let err = reconcile_reader("id,preset\n".as_bytes(), "in.csv").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("in.csv:1: column \"expenditure_total\": missing")
        );
        let text = "ID;Preset;Benchmark_Total;Expenditure_Total;Quality_Score;Met_Quality_Standard;MSR\n\
                    X;regional-pilot;1000;900;1;true;0\n";
        let rows = reconcile_reader(text.as_bytes(), "in.csv").unwrap();
        // 100.00 saved × 0.5, no holdback in the regional preset.
        assert_eq!(rows[0].result.earned, Money(5_000));
        assert_eq!(rows[0].line, 2);
        // A Track 2 saving needs no agreement year (only a shared loss does).
        let saving = format!("{HEADER}B,track-2,10000,,1000,900,0.9,true,,,,,\n");
        let rows = reconcile_reader(saving.as_bytes(), "in.csv").unwrap();
        assert_eq!(rows[0].result.earned, Money(5_292));
        let empty = reconcile_reader("".as_bytes(), "in.csv").unwrap_err();
        assert!(empty.to_string().starts_with("in.csv:1: the file is empty"));
        assert!(
            reconcile_reader(HEADER.as_bytes(), "in.csv")
                .unwrap()
                .is_empty()
        );
        assert_eq!("JSON".parse::<OutputFormat>(), Ok(OutputFormat::Json));
        assert!("xml".parse::<OutputFormat>().is_err());
    }
}
