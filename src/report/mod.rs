//! The printable pilot-progress report: one self-contained HTML file (inline CSS, charts as inline
//! SVG, no scripts, nothing fetched) that opens offline and prints on A4, plus the same tables as
//! CSV files and as one .xlsx workbook on request.
//!
//! Every figure comes from the functions the screens and the CLI use (`views::progress`,
//! `views::readmissions`, `views::budget`, `views::worklist`), so the three show equal numbers.
//! Every text comes from the locale files; dates and numbers from `i18n.fmt`.

mod csv;
pub mod csv_cells;
pub mod csv_headers;
mod csv_sections;
mod data;
mod finance;
mod hearts;
mod html;
mod sections;
mod svg;
mod svg_lines;
mod tables;
mod xlsx;

use crate::i18n::I18n;
use chrono::NaiveDate;
use color_eyre::eyre::{Result, WrapErr, bail};
use rusqlite::Connection;
use std::path::PathBuf;

/// What `acodesk report` writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportOptions {
    /// The date the figures are as of (`--to`).
    pub as_of: NaiveDate,
    /// First day of the indicators' period (`--from`); the rolling year ending `as_of` when absent.
    pub from: Option<NaiveDate>,
    /// The HTML file to write.
    pub out: PathBuf,
    /// A folder to write every table into as CSV (`--csv DIR`).
    pub csv_dir: Option<PathBuf>,
    /// A workbook to write every table into, one sheet each (`--xlsx FILE`).
    pub xlsx: Option<PathBuf>,
}

/// Writes the report (and the CSV files when asked).
pub fn write_report(conn: &Connection, i18n: &I18n, options: &ReportOptions) -> Result<()> {
    let data = gather(conn, options.as_of, options.from)?;
    let text = html::document(&data, i18n);
    if let Some(parent) = options.out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).wrap_err_with(|| file_doing("file-creating", parent))?;
    }
    std::fs::write(&options.out, text)
        .wrap_err_with(|| file_doing("file-writing", &options.out))?;
    if let Some(dir) = &options.csv_dir {
        csv::write_all(&data, dir, i18n)?;
    }
    if let Some(path) = &options.xlsx {
        xlsx::write(&csv::tables(&data, i18n), path)?;
    }
    Ok(())
}

/// The HTML as a string (for tests), for the rolling year ending `as_of`.
pub fn render_html(conn: &Connection, i18n: &I18n, as_of: NaiveDate) -> Result<String> {
    render_html_for(conn, i18n, as_of, None)
}

/// The HTML as a string for an explicit start of the indicators' period.
pub fn render_html_for(
    conn: &Connection,
    i18n: &I18n,
    as_of: NaiveDate,
    from: Option<NaiveDate>,
) -> Result<String> {
    let data = gather(conn, as_of, from)?;
    Ok(html::document(&data, i18n))
}

fn gather(
    conn: &Connection,
    as_of: NaiveDate,
    from: Option<NaiveDate>,
) -> Result<data::ReportData> {
    if let Some(from) = from.filter(|f| *f > as_of) {
        bail!(
            "{}",
            crate::i18n::msg(
                "report-period-reversed",
                &[
                    ("from", from.to_string().as_str().into()),
                    ("to", as_of.to_string().as_str().into()),
                ],
            )
        );
    }
    data::gather(conn, as_of, from).wrap_err_with(|| crate::i18n::msg("report-computing", &[]))
}

/// "creating PATH" / "writing PATH" in the user's language, as an error's context.
fn file_doing(key: &str, path: &std::path::Path) -> String {
    let path = path.display().to_string();
    crate::i18n::msg(key, &[("path", path.as_str().into())])
}

/// Escapes text for HTML and SVG (element content and quoted attribute values).
pub(crate) fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::esc;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            esc("<b>Ёлкина & «Ко» 'x' \"y\"</b>"),
            "&lt;b&gt;Ёлкина &amp; «Ко» &#39;x&#39; &quot;y&quot;&lt;/b&gt;"
        );
    }
}
