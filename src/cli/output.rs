//! Printing rows as an aligned table, CSV or JSON, the same rows for each.

use super::args::Format;
use crate::i18n::Lang;
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

    /// Writes CSV with the header row in the style of `lang` (`report::csv_cells::CsvStyle`):
    /// English `,`-separated with a decimal point and the column ids as they are; Russian with a
    /// byte-order mark, `;`, a decimal comma in every plain number cell (`12.5` → `12,5`; text such
    /// as `E11.9` or a date is left alone) and a column id translated to its Russian header.
    pub fn write_csv(&self, out: &mut dyn Write, lang: Lang) -> Result<()> {
        use crate::report::csv_cells::{Cell, CsvStyle};
        let style = CsvStyle::stream(lang);
        let i18n = crate::i18n::strings(lang);
        let header = self.header.iter().map(|h| {
            if is_column_id(h) {
                Cell::Text(crate::report::csv_headers::label(h, i18n))
            } else {
                Cell::Text(h.clone())
            }
        });
        let mut rows = vec![header.collect::<Vec<_>>()];
        for row in &self.rows {
            rows.push(
                row.iter()
                    .map(|c| Cell::Text(number_cell(c, &style)))
                    .collect(),
            );
        }
        style.write(out, &rows)?;
        Ok(())
    }
}

/// True for a snake_case column id (`poor_control_num`), which a Russian CSV translates.
fn is_column_id(h: &str) -> bool {
    !h.is_empty()
        && h.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// A cell with the style's decimal separator when it is a plain decimal number (`-12.50`).
fn number_cell(cell: &str, style: &crate::report::csv_cells::CsvStyle) -> String {
    let digits = cell.strip_prefix('-').unwrap_or(cell);
    let plain = match digits.split_once('.') {
        Some((int, frac)) => {
            !int.is_empty()
                && !frac.is_empty()
                && int.chars().all(|c| c.is_ascii_digit())
                && frac.chars().all(|c| c.is_ascii_digit())
        }
        None => false,
    };
    if plain {
        style.decimal_text(cell)
    } else {
        cell.to_string()
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
        Format::Csv => table().write_csv(&mut out, crate::i18n::process_lang())?,
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

    #[test]
    fn russian_csv_has_a_bom_semicolons_decimal_commas_and_russian_headers() {
        let t = Table {
            header: vec!["site".into(), "rate_pct".into(), "code".into()],
            rows: vec![vec![
                "Поликлиника № 1".into(),
                "12.5".into(),
                "E11.9".into(),
            ]],
        };
        let mut out = Vec::new();
        t.write_csv(&mut out, Lang::Ru).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "\u{feff}Учреждение;Доля, %;code\nПоликлиника № 1;12,5;E11.9\n"
        );
        let mut out = Vec::new();
        t.write_csv(&mut out, Lang::En).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text, "site,rate_pct,code\nПоликлиника № 1,12.5,E11.9\n");
    }
}
