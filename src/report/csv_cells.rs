//! The cells of every CSV file and workbook acodesk writes, one way everywhere: a number stays a
//! number (no thousands separator, no currency sign: the unit is in the header or a column of its
//! own), a share is a percent with one decimal (empty when nobody is in the denominator), money is
//! in whole units with two decimals. [`CsvStyle`] decides the rest by language: English files are
//! comma-separated with a decimal point; Russian ones are what a Russian office's Excel opens on a
//! double-click — `;` between cells, a decimal comma, Russian headers and a UTF-8 byte-order mark.

use crate::domain::indicators::Ratio;
use crate::domain::money::Money;
use crate::i18n::Lang;
use std::io::Write;

/// One cell of a table written as CSV or as a workbook sheet.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text, written as it is.
    Text(String),
    /// A whole number.
    Int(i64),
    /// A decimal number with this many places.
    Dec(f64, usize),
    /// Money in minor units (kopecks, cents), written in whole units with two places.
    Money(i64),
    /// Nothing (a share with an empty denominator, a missing date).
    Empty,
}

impl Cell {
    /// The cell as CSV text in `style`.
    pub fn text(&self, style: &CsvStyle) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Int(n) => n.to_string(),
            Cell::Dec(x, places) => style.decimal_text(&format!("{x:.places$}")),
            Cell::Money(minor) => {
                let abs = minor.unsigned_abs();
                let sign = if *minor < 0 { "-" } else { "" };
                style.decimal_text(&format!("{sign}{}.{:02}", abs / 100, abs % 100))
            }
            Cell::Empty => String::new(),
        }
    }

    /// The cell's number, for a workbook (`None` for text and empty cells).
    pub fn number(&self) -> Option<(f64, usize)> {
        match self {
            Cell::Int(n) => Some((*n as f64, 0)),
            Cell::Dec(x, places) => Some((*x, *places)),
            Cell::Money(minor) => Some((*minor as f64 / 100.0, 2)),
            Cell::Text(_) | Cell::Empty => None,
        }
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }
}

impl From<&String> for Cell {
    fn from(s: &String) -> Cell {
        Cell::Text(s.clone())
    }
}

impl From<u64> for Cell {
    fn from(n: u64) -> Cell {
        Cell::Int(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

impl From<i64> for Cell {
    fn from(n: i64) -> Cell {
        Cell::Int(n)
    }
}

impl From<usize> for Cell {
    fn from(n: usize) -> Cell {
        Cell::Int(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

impl From<Money> for Cell {
    fn from(m: Money) -> Cell {
        Cell::Money(m.minor())
    }
}

/// A table's rows, the header first.
pub type Rows = Vec<Vec<Cell>>;

/// A header row from column ids.
pub fn header<const N: usize>(names: [&str; N]) -> Vec<Cell> {
    names.map(Cell::from).to_vec()
}

/// How a CSV file is written in a language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CsvStyle {
    /// The language of the headers and numbers.
    pub lang: Lang,
    /// The cell separator: `,` in English, `;` in Russian (where `,` is the decimal separator).
    pub delimiter: u8,
    /// The decimal separator: `.` or `,`.
    pub decimal: char,
    /// Whether the file starts with a UTF-8 byte-order mark.
    pub bom: bool,
}

/// The UTF-8 byte-order mark.
pub const BOM: &[u8] = "\u{feff}".as_bytes();

impl CsvStyle {
    /// The report's files: a byte-order mark in both languages (so Excel set to Russian reads the
    /// Cyrillic names of an English file too), `;` and a decimal comma in Russian.
    pub fn file(lang: Lang) -> CsvStyle {
        CsvStyle {
            bom: true,
            ..CsvStyle::stream(lang)
        }
    }

    /// A command's CSV on standard output: in English plain `,`-separated text with no
    /// byte-order mark (for pipes and scripts), in Russian as a file (`;`, decimal comma, BOM).
    pub fn stream(lang: Lang) -> CsvStyle {
        match lang {
            Lang::Ru => CsvStyle {
                lang,
                delimiter: b';',
                decimal: ',',
                bom: true,
            },
            Lang::En => CsvStyle {
                lang,
                delimiter: b',',
                decimal: '.',
                bom: false,
            },
        }
    }

    /// A number written with a decimal point, with this style's decimal separator.
    pub fn decimal_text(&self, with_point: &str) -> String {
        if self.decimal == '.' {
            with_point.to_string()
        } else {
            with_point.replace('.', &self.decimal.to_string())
        }
    }

    /// Writes rows as CSV in this style (the byte-order mark first when the style has one).
    pub fn write(&self, out: &mut dyn Write, rows: &[Vec<Cell>]) -> std::io::Result<()> {
        if self.bom {
            out.write_all(BOM)?;
        }
        let mut w = ::csv::WriterBuilder::new()
            .delimiter(self.delimiter)
            .from_writer(out);
        for row in rows {
            w.write_record(row.iter().map(|c| c.text(self)))
                .map_err(std::io::Error::other)?;
        }
        w.flush()
    }
}

/// A share as a percent with one decimal, empty with an empty denominator.
pub fn pct(r: Ratio) -> Cell {
    r.rate().map_or(Cell::Empty, |x| Cell::Dec(x * 100.0, 1))
}

/// Numerator, denominator and percent.
pub fn ratio_cells(r: Ratio) -> [Cell; 3] {
    [r.numerator.into(), r.denominator.into(), pct(r)]
}

/// Money in whole units with two decimals.
pub fn money(m: Money) -> Cell {
    m.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_stay_numbers_in_both_languages() {
        let en = CsvStyle::file(Lang::En);
        let ru = CsvStyle::file(Lang::Ru);
        let m = money(Money(-22_952_883_950));
        assert_eq!(m.text(&en), "-229528839.50");
        assert_eq!(m.text(&ru), "-229528839,50");
        let share = pct(Ratio {
            numerator: 1,
            denominator: 3,
        });
        assert_eq!(share.text(&en), "33.3");
        assert_eq!(share.text(&ru), "33,3");
        assert_eq!(pct(Ratio::default()), Cell::Empty);
        assert_eq!(Cell::from("E11.9").text(&ru), "E11.9", "text is left alone");
        assert_eq!(Cell::from(1_234_567u64).text(&ru), "1234567");
    }

    #[test]
    fn a_russian_file_has_a_bom_semicolons_and_quotes_what_needs_it() {
        let rows = vec![
            header(["site", "pct"]),
            vec!["Поликлиника; № 1".into(), Cell::Dec(7.25, 2)],
        ];
        let mut out = Vec::new();
        CsvStyle::file(Lang::Ru).write(&mut out, &rows).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text, "\u{feff}site;pct\n\"Поликлиника; № 1\";7,25\n");
        let mut out = Vec::new();
        CsvStyle::stream(Lang::En).write(&mut out, &rows).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text, "site,pct\nПоликлиника; № 1,7.25\n");
    }
}
