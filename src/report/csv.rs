//! `--csv DIR`: every table of the report as a CSV file with the same figures, for spreadsheets.
//!
//! Machine-readable on purpose: UTF-8 with a byte-order mark (so Excel set to Russian opens the
//! file on a double-click without garbling the Cyrillic names), ISO dates and months, plain
//! numbers (no thousands separator, no currency sign), money in whole currency units with two
//! decimals, shares as percents with one decimal (empty when nobody is in the denominator). In
//! English: comma-separated, a decimal point and stable English column ids; with `--lang ru`:
//! `;`-separated, a decimal comma and Russian headers (`csv_headers`), as a Russian office's Excel
//! expects. The same tables go into the workbook (`xlsx`).

use super::csv_cells::{Cell, CsvStyle, Rows, header, money, pct, ratio_cells};
use super::data::{NurseRow, ReportData};
use crate::domain::indicators::Ratio;
use crate::domain::money::Money;
use crate::i18n::{I18n, msg};
use color_eyre::eyre::{Result, WrapErr};
use std::io::Write;
use std::path::Path;

/// "creating PATH" / "writing PATH" in the user's language, as an error's context.
fn doing(key: &str, path: &Path) -> String {
    let path = path.display().to_string();
    msg(key, &[("path", path.as_str().into())])
}

/// Every table of the report as (file name, rows with the header in `i18n`'s language): sites,
/// nurses, readmissions by month, budget months, measures, then the twins of the report's other
/// tables (`csv_sections`) and the HEARTS tables of each programme. The CSV files and the
/// workbook's sheets are these.
pub(crate) fn tables(d: &ReportData, i18n: &I18n) -> Vec<(String, Rows)> {
    let mut out = vec![
        ("sites.csv", sites(d, i18n)),
        ("nurses.csv", nurses(d, i18n)),
        ("readmissions_by_month.csv", readmissions(d)),
        ("budget_months.csv", budget_months(d)),
        ("measures.csv", measures(d, i18n)),
    ];
    out.extend(super::csv_sections::all(d, i18n));
    let mut out: Vec<(String, Rows)> = out
        .into_iter()
        .map(|(name, rows)| (name.to_string(), rows))
        .collect();
    out.extend(super::hearts::csv_files(d));
    for (_, rows) in &mut out {
        if let Some(h) = rows.first_mut() {
            super::csv_headers::translate(h, i18n);
        }
    }
    out
}

/// Writes every table of [`tables`] as a CSV file into `dir`, in the style of `i18n`'s language.
pub(crate) fn write_all(d: &ReportData, dir: &Path, i18n: &I18n) -> Result<()> {
    std::fs::create_dir_all(dir).wrap_err_with(|| doing("file-creating", dir))?;
    let style = CsvStyle::file(i18n.lang());
    for (name, rows) in tables(d, i18n) {
        write(dir, &name, &rows, &style)?;
    }
    Ok(())
}

/// measures.csv: every catalogue figure of the pilot as a whole, with the catalogue's id, label and
/// window (in the report's language), so a spreadsheet can match it to the screen and the
/// command line.
fn measures(d: &ReportData, i18n: &I18n) -> Rows {
    use crate::domain::measures::{Value, measure, tally_figures};
    let lang = i18n.lang().code();
    let mut rows = vec![header([
        "id",
        "label",
        "window",
        "value",
        "numerator",
        "denominator",
        "pct",
    ])];
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
        let mut row: Vec<Cell> = vec![
            id.into(),
            m.label.get(lang).into(),
            m.window.get(lang).into(),
        ];
        match value {
            Value::Count(n) => row.extend([n.into(), Cell::Empty, Cell::Empty, Cell::Empty]),
            Value::Share(r) => {
                row.push(Cell::Empty);
                row.extend(ratio_cells(r));
            }
        }
        rows.push(row);
    }
    rows
}

fn write(dir: &Path, name: &str, rows: &Rows, style: &CsvStyle) -> Result<()> {
    let path = dir.join(name);
    let mut file = std::io::BufWriter::new(
        std::fs::File::create(&path).wrap_err_with(|| doing("file-creating", &path))?,
    );
    style
        .write(&mut file, rows)
        .and_then(|()| file.flush())
        .wrap_err_with(|| doing("file-writing", &path))?;
    Ok(())
}

fn sites(d: &ReportData, i18n: &I18n) -> Rows {
    let v = &d.progress;
    let mut head = header([
        "site_id",
        "site",
        "active",
        "new_enrolments",
        "deaths",
        "moves",
    ]);
    for (key, _, _) in v.total.ratios() {
        let code = key.trim_start_matches("ind-").replace('-', "_");
        for part in ["num", "den", "pct"] {
            head.push(format!("{code}_{part}").into());
        }
    }
    head.push("weakest_in".into());
    let mut rows = vec![head];
    let mut push = |id: &str, name: &str, t: &crate::domain::indicators::Tally, weak: String| {
        let mut row: Vec<Cell> = vec![
            id.into(),
            name.into(),
            t.enrolled_active.into(),
            t.new_enrolments.into(),
            t.deaths.into(),
            t.moves.into(),
        ];
        for (_, r, _) in t.ratios() {
            row.extend(ratio_cells(r));
        }
        row.push(weak.into());
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
        // Patients without a site: a labelled row, not an empty one.
        let (id, name) = if s.id.is_empty() {
            ("unassigned", i18n.t("unassigned"))
        } else {
            (s.id.as_str(), s.name.clone())
        };
        push(id, &name, &s.tally, weak.join(" "));
    }
    push("total", &i18n.t("progress-total"), &v.total, String::new());
    rows
}

fn nurses(d: &ReportData, i18n: &I18n) -> Rows {
    let head = header([
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
    ]);
    let mut rows = vec![head];
    let row = |id: &str, name: String, r: &NurseRow| {
        let mut row: Vec<Cell> = vec![
            id.into(),
            name.into(),
            r.active.into(),
            r.worklist.into(),
            r.calls.total.into(),
            r.calls.reached.into(),
            pct(r.calls.reached_ratio()),
            r.calls.agreed_visit.into(),
            r.calls.not_reached.into(),
        ];
        row.extend(ratio_cells(r.hba1c_tested));
        row.extend(ratio_cells(r.poor_control));
        row
    };
    // The patients without a nurse: a labelled row (`unassigned`), not an empty one.
    rows.extend(d.nurses.iter().map(|r| {
        if r.id.is_empty() {
            row("unassigned", i18n.t("unassigned"), r)
        } else {
            row(&r.id, r.name.clone(), r)
        }
    }));
    rows.push(row("total", i18n.t("progress-total"), &d.nurses_total));
    rows
}

fn readmissions(d: &ReportData) -> Rows {
    let s = &d.readmissions.summary;
    let mut rows = vec![header([
        "month",
        "index_stays",
        "readmissions",
        "rate_pct",
        "above_target",
        "counted_from",
    ])];
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
            month.into(),
            index.into(),
            readmitted.into(),
            pct(r),
            r.rate().map_or(Cell::Empty, |x| {
                (x > crate::domain::readmission::TARGET_RATE)
                    .to_string()
                    .into()
            }),
            counted_from(month).into(),
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
    let mut rows = vec![header([
        "month",
        "member_months",
        "budget",
        "paid",
        "budget_cumulative",
        "paid_cumulative",
        "currency",
    ])];
    let (mut budget, mut paid) = (Money::ZERO, Money::ZERO);
    for m in &b.months {
        budget += m.budget;
        paid += m.paid;
        rows.push(vec![
            format!("{:04}-{:02}", b.performance_year, m.month).into(),
            Cell::Int(i64::from(m.member_months)),
            money(m.budget),
            money(m.paid),
            money(budget),
            money(paid),
            (&b.currency).into(),
        ]);
    }
    rows
}
