//! `--xlsx FILE`: the report's tables as one Excel workbook, one sheet per table (the same rows
//! as the CSV files, `csv::tables`), so a manager's Excel opens it with no import dialog whatever
//! its regional settings. Numbers are written as numbers (shares with one decimal, money with
//! two, counts whole); the header row is bold and frozen; sheets are named after the CSV files
//! (`sites`, `readmissions_by_hospital`, …: at most 31 characters, as Excel requires).

use super::csv_cells::Rows;
use color_eyre::eyre::{Result, WrapErr, eyre};
use rust_xlsxwriter::{Format, Workbook};
use std::path::Path;

/// Excel's longest sheet name.
pub const MAX_SHEET_NAME: usize = 31;

/// The sheet name of a table's CSV file name: the name without `.csv`, cut to 31 characters.
pub fn sheet_name(file: &str) -> String {
    file.trim_end_matches(".csv")
        .chars()
        .take(MAX_SHEET_NAME)
        .collect()
}

/// Writes `tables` (file name, rows with the header first) into the workbook `path`.
pub(crate) fn write(tables: &[(String, Rows)], path: &Path) -> Result<()> {
    let doing = || {
        let p = path.display().to_string();
        crate::i18n::msg("file-writing", &[("path", p.as_str().into())])
    };
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let formats: Vec<Format> = (0..=4)
        .map(|places| {
            let pattern = if places == 0 {
                "0".to_string()
            } else {
                format!("0.{}", "0".repeat(places))
            };
            Format::new().set_num_format(pattern)
        })
        .collect();
    for (file, rows) in tables {
        let sheet = book.add_worksheet();
        sheet
            .set_name(sheet_name(file))
            .map_err(|e| eyre!("{e}"))
            .wrap_err_with(doing)?;
        let mut widths: Vec<usize> = Vec::new();
        for (r, row) in rows.iter().enumerate() {
            let r = u32::try_from(r).map_err(|e| eyre!("{e}"))?;
            for (c, cell) in row.iter().enumerate() {
                let col = u16::try_from(c).map_err(|e| eyre!("{e}"))?;
                let shown = match cell.number() {
                    Some((x, places)) => {
                        let f = formats.get(places).or(formats.last());
                        match f {
                            Some(f) => sheet.write_number_with_format(r, col, x, f),
                            None => sheet.write_number(r, col, x),
                        }
                        .map_err(|e| eyre!("{e}"))
                        .wrap_err_with(doing)?;
                        format!("{x:.places$}").chars().count()
                    }
                    None => {
                        let text =
                            cell.text(&super::csv_cells::CsvStyle::file(crate::i18n::Lang::En));
                        if !text.is_empty() {
                            if r == 0 {
                                sheet.write_string_with_format(r, col, &text, &bold)
                            } else {
                                sheet.write_string(r, col, &text)
                            }
                            .map_err(|e| eyre!("{e}"))
                            .wrap_err_with(doing)?;
                        }
                        text.chars().count()
                    }
                };
                if widths.len() <= c {
                    widths.resize(c + 1, 0);
                }
                if let Some(w) = widths.get_mut(c) {
                    *w = (*w).max(shown);
                }
            }
        }
        for (c, w) in widths.iter().enumerate() {
            let col = u16::try_from(c).map_err(|e| eyre!("{e}"))?;
            // Wide enough for the longest cell, within reason (labels wrap past 60).
            let width = (*w).clamp(6, 60) as f64 + 1.0;
            sheet
                .set_column_width(col, width)
                .map_err(|e| eyre!("{e}"))
                .wrap_err_with(doing)?;
        }
        sheet
            .set_freeze_panes(1, 0)
            .map_err(|e| eyre!("{e}"))
            .wrap_err_with(doing)?;
    }
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).wrap_err_with(doing)?;
    }
    book.save(path)
        .map_err(|e| eyre!("{e}"))
        .wrap_err_with(doing)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_fit_excel() {
        assert_eq!(sheet_name("sites.csv"), "sites");
        assert_eq!(
            sheet_name("spend_per_person_year_by_site.csv"),
            "spend_per_person_year_by_site"
        );
        let long = sheet_name("a_very_long_table_name_that_excel_would_refuse.csv");
        assert_eq!(long.chars().count(), MAX_SHEET_NAME);
    }
}
