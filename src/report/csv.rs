//! `--csv DIR`: every table of the report as a CSV file with the same figures, for spreadsheets.
//!
//! Machine-readable on purpose: UTF-8 (with a byte-order mark, so Excel set to Russian opens the
//! file on a double-click without garbling the Cyrillic names), comma-separated, stable English column names, ISO dates and
//! months, plain integers, money in whole currency units with a decimal point, shares as percents
//! with one decimal (empty when nobody is in the denominator).

use super::csv_cells::{Rows, money, pct, ratio_cells};
use super::data::{NurseRow, ReportData};
use crate::domain::indicators::Ratio;
use crate::domain::money::Money;
use crate::i18n::msg;
use color_eyre::eyre::{Result, WrapErr};
use std::io::Write;
use std::path::Path;

/// The UTF-8 byte-order mark every CSV file starts with.
pub(crate) const BOM: &[u8] = "\u{feff}".as_bytes();

/// "creating PATH" / "writing PATH" in the user's language, as an error's context.
fn doing(key: &str, path: &Path) -> String {
    let path = path.display().to_string();
    msg(key, &[("path", path.as_str().into())])
}

/// Writes sites.csv, nurses.csv, readmissions_by_month.csv, budget_months.csv, measures.csv and
/// the twins of the report's other tables (`csv_sections`) into `dir`.
pub(crate) fn write_all(d: &ReportData, dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).wrap_err_with(|| doing("file-creating", dir))?;
    write(dir, "sites.csv", &sites(d))?;
    write(dir, "nurses.csv", &nurses(d))?;
    write(dir, "readmissions_by_month.csv", &readmissions(d))?;
    write(dir, "budget_months.csv", &budget_months(d))?;
    write(dir, "measures.csv", &measures(d))?;
    for (name, rows) in super::csv_sections::all(d) {
        write(dir, name, &rows)?;
    }
    for (name, rows) in super::hearts::csv_files(d) {
        write(dir, &name, &rows)?;
    }
    Ok(())
}

/// measures.csv: every catalogue figure of the pilot as a whole, with the catalogue's id, label and
/// window (English), so a spreadsheet can match it to the screen and the command line.
fn measures(d: &ReportData) -> Rows {
    use crate::domain::measures::{Value, measure, tally_figures};
    let mut rows = vec![
        [
            "id",
            "label",
            "window",
            "value",
            "numerator",
            "denominator",
            "pct",
        ]
        .map(String::from)
        .to_vec(),
    ];
    let s = &d.readmissions.summary;
    let readmitted = Value::Share(Ratio {
        numerator: s.readmissions,
        denominator: s.index_stays,
    });
    let mut figures: Vec<(&str, Value)> = tally_figures(&d.progress.total)
        .into_iter()
        .map(|f| (f.id, f.value))
        .collect();
    figures.push(("readmitted", readmitted));
    for (id, value) in figures {
        let Some(m) = measure(id) else { continue };
        let mut row = vec![
            id.to_string(),
            m.label.en.to_string(),
            m.window.en.to_string(),
        ];
        match value {
            Value::Count(n) => {
                row.extend([n.to_string(), String::new(), String::new(), String::new()])
            }
            Value::Share(r) => {
                row.push(String::new());
                row.extend(ratio_cells(r));
            }
        }
        rows.push(row);
    }
    rows
}

fn write(dir: &Path, name: &str, rows: &Rows) -> Result<()> {
    let path = dir.join(name);
    let mut file = std::io::BufWriter::new(
        std::fs::File::create(&path).wrap_err_with(|| doing("file-creating", &path))?,
    );
    file.write_all(BOM)
        .wrap_err_with(|| doing("file-writing", &path))?;
    let mut w = ::csv::Writer::from_writer(file);
    for row in rows {
        w.write_record(row)
            .wrap_err_with(|| doing("file-writing", &path))?;
    }
    w.into_inner()
        .map_err(|e| e.into_error())
        .and_then(|mut f| f.flush())
        .wrap_err_with(|| doing("file-writing", &path))?;
    Ok(())
}

fn sites(d: &ReportData) -> Rows {
    let v = &d.progress;
    let mut header: Vec<String> = [
        "site_id",
        "site",
        "active",
        "new_enrolments",
        "deaths",
        "moves",
    ]
    .map(String::from)
    .to_vec();
    for (key, _, _) in v.total.ratios() {
        let code = key.trim_start_matches("ind-").replace('-', "_");
        for part in ["num", "den", "pct"] {
            header.push(format!("{code}_{part}"));
        }
    }
    header.push("weakest_in".into());
    let mut rows = vec![header];
    let mut push = |id: &str, name: &str, t: &crate::domain::indicators::Tally, weak: String| {
        let mut row = vec![
            id.to_string(),
            name.to_string(),
            t.enrolled_active.to_string(),
            t.new_enrolments.to_string(),
            t.deaths.to_string(),
            t.moves.to_string(),
        ];
        for (_, r, _) in t.ratios() {
            row.extend(ratio_cells(r));
        }
        row.push(weak);
        rows.push(row);
    };
    for (i, s) in v.sites.iter().enumerate() {
        let weak: Vec<String> = s
            .tally
            .ratios()
            .iter()
            .enumerate()
            .filter(|(c, _)| d.weakest.get(*c).copied().flatten() == Some(i))
            .map(|(_, (key, _, _))| key.trim_start_matches("ind-").replace('-', "_"))
            .collect();
        push(&s.id, &s.name, &s.tally, weak.join(" "));
    }
    push("total", "", &v.total, String::new());
    rows
}

fn nurses(d: &ReportData) -> Rows {
    let header = [
        "nurse_id",
        "nurse",
        "active",
        "worklist",
        "calls",
        // Reached calls of all calls: the catalogue's `calls_reached`, not `reached` (patients).
        "calls_reached",
        "calls_reached_pct",
        "agreed_visit",
        "no_answer_or_wrong_number",
        "hba1c_tested_num",
        "hba1c_tested_den",
        "hba1c_tested_pct",
        "poor_control_num",
        "poor_control_den",
        "poor_control_pct",
    ];
    let mut rows = vec![header.map(String::from).to_vec()];
    let row = |id: &str, r: &NurseRow| {
        let mut row = vec![
            id.to_string(),
            r.name.clone(),
            r.active.to_string(),
            r.worklist.to_string(),
            r.calls.total.to_string(),
            r.calls.reached.to_string(),
            pct(r.calls.reached_ratio()),
            r.calls.agreed_visit.to_string(),
            r.calls.not_reached.to_string(),
        ];
        row.extend(ratio_cells(r.hba1c_tested));
        row.extend(ratio_cells(r.poor_control));
        row
    };
    rows.extend(d.nurses.iter().map(|r| row(&r.id, r)));
    rows.push(row("total", &d.nurses_total));
    rows
}

fn readmissions(d: &ReportData) -> Rows {
    let s = &d.readmissions.summary;
    let mut rows = vec![
        [
            "month",
            "index_stays",
            "readmissions",
            "rate_pct",
            "above_target",
            "counted_from",
        ]
        .map(String::from)
        .to_vec(),
    ];
    // The first day whose discharges a row counts: the period's start for its (partial) first
    // month and for the total, else the month's 1st.
    let from = s.period.from;
    let counted_from = |month: &str| {
        let first = super::tables::parse_month(month);
        match first {
            Some(d) if d > from => d.to_string(),
            _ => from.to_string(),
        }
    };
    let line = |month: &str, index: u64, readmitted: u64| {
        let r = Ratio {
            numerator: readmitted,
            denominator: index,
        };
        vec![
            month.to_string(),
            index.to_string(),
            readmitted.to_string(),
            pct(r),
            r.rate()
                .map(|x| (x > crate::domain::readmission::TARGET_RATE).to_string())
                .unwrap_or_default(),
            counted_from(month),
        ]
    };
    for m in &s.by_month {
        rows.push(line(&m.month, m.index_stays, m.readmissions));
    }
    rows.push(line("total", s.index_stays, s.readmissions));
    rows
}

fn budget_months(d: &ReportData) -> Rows {
    let b = &d.budget;
    let mut rows = vec![
        [
            "month",
            "member_months",
            "budget",
            "paid",
            "budget_cumulative",
            "paid_cumulative",
            "currency",
        ]
        .map(String::from)
        .to_vec(),
    ];
    let (mut budget, mut paid) = (Money::ZERO, Money::ZERO);
    for m in &b.months {
        budget += m.budget;
        paid += m.paid;
        rows.push(vec![
            format!("{:04}-{:02}", b.performance_year, m.month),
            m.member_months.to_string(),
            money(m.budget),
            money(m.paid),
            money(budget),
            money(paid),
            b.currency.clone(),
        ]);
    }
    rows
}
