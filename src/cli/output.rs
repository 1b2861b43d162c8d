//! Printing rows as an aligned table, CSV or JSON, the same rows for each.

use super::args::Format;
use color_eyre::eyre::Result;
use serde::Serialize;
use std::io::Write;
use unicode_width::UnicodeWidthStr;

/// A table to print: a header and rows of cells (already formatted for people).
pub struct Table {
    /// Column titles.
    pub header: Vec<String>,
    /// Rows.
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// Writes columns padded to their widest cell by display width (Cyrillic-safe).
    pub fn write_aligned(&self, out: &mut dyn Write) -> Result<()> {
        let columns = self.header.len();
        let mut widths: Vec<usize> = self.header.iter().map(|h| h.width()).collect();
        for row in &self.rows {
            for (i, cell) in row.iter().enumerate().take(columns) {
                widths[i] = widths[i].max(cell.width());
            }
        }
        let line = |cells: &[String], out: &mut dyn Write| -> Result<()> {
            let mut text = String::new();
            for (i, cell) in cells.iter().enumerate().take(columns) {
                text.push_str(cell);
                if i + 1 < columns {
                    text.push_str(&" ".repeat(widths[i] - cell.width() + 2));
                }
            }
            writeln!(out, "{}", text.trim_end())?;
            Ok(())
        };
        line(&self.header, out)?;
        for row in &self.rows {
            line(row, out)?;
        }
        Ok(())
    }

    /// Writes CSV with the header row.
    pub fn write_csv(&self, out: &mut dyn Write) -> Result<()> {
        let mut w = csv::Writer::from_writer(out);
        w.write_record(&self.header)?;
        for row in &self.rows {
            w.write_record(row)?;
        }
        w.flush()?;
        Ok(())
    }
}

/// Prints `value` as JSON, or `table` as a table or CSV.
pub fn print<T: Serialize>(format: Format, value: &T, table: impl FnOnce() -> Table) -> Result<()> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, value)?;
            writeln!(out)?;
        }
        Format::Csv => table().write_csv(&mut out)?,
        Format::Table => table().write_aligned(&mut out)?,
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_cyrillic_by_display_width() {
        let t = Table {
            header: vec!["Имя".into(), "N".into()],
            rows: vec![
                vec!["Фёдоров".into(), "1".into()],
                vec!["Li".into(), "22".into()],
            ],
        };
        let mut out = Vec::new();
        t.write_aligned(&mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text, "Имя      N\nФёдоров  1\nLi       22\n");
    }
}
