#![allow(clippy::unwrap_used, clippy::expect_used)]
//! CSV a Russian office opens and the report's workbook (#18 item 9): with `--lang ru` the
//! report's CSV files and a command's CSV have a byte-order mark, `;` between cells, a decimal
//! comma and Russian headers, with numbers kept numeric; English stays `,` and a decimal point;
//! `report --xlsx` writes one sheet per table with numbers as numbers.

mod common;

use calamine::{Data, Reader, Xlsx, open_workbook};
use std::path::Path;

fn run(db: &Path, args: &[&str]) -> Vec<u8> {
    let out = common::command()
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "{args:?}: {out:?}");
    out.stdout
}

/// Parses a CSV file written with `;` after its byte-order mark.
fn read_ru(bytes: &[u8]) -> Vec<Vec<String>> {
    let body = bytes
        .strip_prefix("\u{feff}".as_bytes())
        .expect("a Russian CSV starts with a byte-order mark");
    csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .from_reader(body)
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect()
}

fn report(db: &Path, lang: &str, dir: &Path) {
    let to = common::as_of().to_string();
    let html = dir.join("r.html");
    let csv = dir.join("csv");
    let xlsx = dir.join("r.xlsx");
    let args = [
        "--lang",
        lang,
        "report",
        "--to",
        &to,
        "--out",
        html.to_str().unwrap(),
        "--csv",
        csv.to_str().unwrap(),
        "--xlsx",
        xlsx.to_str().unwrap(),
    ];
    run(db, &args);
}

#[test]
fn the_russian_report_csv_reads_back_with_semicolons_a_bom_and_decimal_commas() {
    let db = common::shared_register();
    let dir = common::scratch("report-ru-csv");
    report(db, "ru", &dir.join("ru"));
    report(db, "en", &dir.join("en"));
    let ru = read_ru(&std::fs::read(dir.join("ru/csv/sites.csv")).unwrap());
    let en_text = std::fs::read_to_string(dir.join("en/csv/sites.csv")).unwrap();
    let en: Vec<Vec<String>> = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(en_text.trim_start_matches('\u{feff}').as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    // Russian headers, the same columns.
    let header = &ru[0];
    assert_eq!(header[0], "Код учреждения");
    assert!(
        header.iter().all(|h| !h.contains('_')),
        "every header translated: {header:?}"
    );
    assert_eq!(header.len(), en[0].len());
    // The total row: labelled, the same numbers, a decimal comma where English has a point.
    let total_ru = ru.iter().find(|r| r[0] == "total").unwrap();
    let total_en = en.iter().find(|r| r[0] == "total").unwrap();
    assert_eq!(total_ru[1], "Всего");
    let mut decimals = 0;
    for (r, e) in total_ru.iter().zip(total_en).skip(2) {
        if e.contains('.') && e.parse::<f64>().is_ok() {
            assert_eq!(*r, e.replace('.', ","));
            let back: f64 = r.replace(',', ".").parse().unwrap();
            assert_eq!(back, e.parse::<f64>().unwrap());
            decimals += 1;
        } else if !e.is_empty() && e.parse::<u64>().is_ok() {
            assert_eq!(r, e, "a count is the same plain number");
        }
    }
    assert!(decimals > 0, "the total row has percents");
    // No unlabelled rows in any file: the first two cells of a body row are never both empty.
    for entry in std::fs::read_dir(dir.join("ru/csv")).unwrap() {
        let path = entry.unwrap().path();
        let rows = read_ru(&std::fs::read(&path).unwrap());
        for row in rows.iter().skip(1) {
            assert!(
                !row[0].is_empty() || row.get(1).is_some_and(|c| !c.is_empty()),
                "an unlabelled row in {}: {row:?}",
                path.display()
            );
        }
    }
    // Money stays numeric: no currency sign or thousands separator in budget_months.csv.
    let months = read_ru(&std::fs::read(dir.join("ru/csv/budget_months.csv")).unwrap());
    for row in months.iter().skip(1) {
        for cell in &row[1..6] {
            assert!(
                cell.replace(',', ".").parse::<f64>().is_ok(),
                "a number: {cell:?}"
            );
        }
    }
    // English keeps commas, a decimal point and the ids.
    assert_eq!(en[0][0], "site_id");
}

#[test]
fn the_workbook_has_one_sheet_per_table_with_numbers_as_numbers() {
    let db = common::shared_register();
    let dir = common::scratch("report-xlsx");
    report(db, "ru", &dir);
    let files: Vec<String> = std::fs::read_dir(dir.join("csv"))
        .unwrap()
        .map(|e| {
            e.unwrap()
                .file_name()
                .to_string_lossy()
                .trim_end_matches(".csv")
                .to_string()
        })
        .collect();
    let mut book: Xlsx<_> = open_workbook(dir.join("r.xlsx")).unwrap();
    let mut sheets = book.sheet_names().to_vec();
    sheets.sort();
    let mut expected = files.clone();
    expected.sort();
    assert_eq!(sheets, expected, "one sheet per table");
    assert!(sheets.iter().all(|s| s.chars().count() <= 31));
    // The sites sheet: the same cells as the CSV, numbers stored as numbers.
    let csv = read_ru(&std::fs::read(dir.join("csv/sites.csv")).unwrap());
    let range = book.worksheet_range("sites").unwrap();
    let rows: Vec<&[Data]> = range.rows().collect();
    assert_eq!(rows.len(), csv.len());
    assert_eq!(rows[0][0], Data::String(csv[0][0].clone()));
    let total = csv.iter().position(|r| r[0] == "total").unwrap();
    let active: f64 = csv[total][2].parse().unwrap();
    assert_eq!(rows[total][2], Data::Float(active));
    let pct_col = csv[0].iter().position(|h| h.ends_with(": %")).unwrap();
    let pct: f64 = csv[total][pct_col].replace(',', ".").parse().unwrap();
    // The full share, shown with one decimal (the cell's number format): the CSV's rounding.
    let Data::Float(x) = rows[total][pct_col] else {
        panic!("{:?}", rows[total][pct_col])
    };
    assert_eq!((x * 10.0).round() / 10.0, pct);
}

#[test]
fn a_command_csv_in_russian_has_a_bom_semicolons_and_russian_headers() {
    let db = common::shared_register();
    let to = common::as_of().to_string();
    let ru = run(
        db,
        &[
            "--lang", "ru", "--as-of", &to, "progress", "--format", "csv",
        ],
    );
    let rows = read_ru(&ru);
    assert_eq!(rows[0][0], "Код");
    let total = rows.iter().find(|r| r[0] == "total").unwrap();
    assert!(
        total.iter().any(|c| c.contains(',')),
        "decimal commas: {total:?}"
    );
    assert!(
        total
            .iter()
            .skip(2)
            .all(|c| c.is_empty() || c.replace(',', ".").parse::<f64>().is_ok()),
        "numbers only: {total:?}"
    );
    let en = run(db, &["--as-of", &to, "progress", "--format", "csv"]);
    let text = String::from_utf8(en).unwrap();
    assert!(text.starts_with("id,"), "English: no BOM, commas");
}
