//! The call sheet (issue #20 item 10): `acodesk worklist --call-sheet DIR` writes the list as a
//! printable HTML page and a CSV whose rows are the worklist's rows — the same patients in the
//! same order, with the same reasons and due dates as `acodesk worklist` prints and the Worklist
//! tab pages through — for a section, a filter and the "no visit in 12 months" list.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use acodesk::store::Store;
use acodesk::store::views::WorklistFilter;
use acodesk::store::views::worklist::worklist_first_page;
use std::path::{Path, PathBuf};
use std::process::Output;

fn run(args: &[&str]) -> Output {
    let out = common::command().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The CSV records of `text` (a leading byte-order mark dropped), header first.
fn records(text: &str, delimiter: u8) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .delimiter(delimiter)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect()
}

/// Writes a call sheet with `extra` flags into a fresh folder; returns the CSV's and the HTML's
/// paths and the status sentence.
fn sheet(db: &str, dir: &Path, extra: &[&str]) -> (PathBuf, PathBuf, String) {
    let mut args = vec![
        "--db",
        db,
        "worklist",
        "--call-sheet",
        dir.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let out = run(&args);
    let said = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let mut csv = None;
    let mut html = None;
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        match p.extension().and_then(|x| x.to_str()) {
            Some("csv") => csv = Some(p),
            Some("html") => html = Some(p),
            _ => {}
        }
    }
    let (csv, html) = (csv.unwrap(), html.unwrap());
    // The folder and the name the two files share.
    assert!(said.contains(dir.to_str().unwrap()), "{said}");
    let stem = html.file_stem().unwrap().to_str().unwrap();
    assert_eq!(csv.file_stem().unwrap().to_str().unwrap(), stem);
    assert!(said.contains(&format!("{stem}.html")), "{said}");
    (csv, html, said)
}

#[test]
fn the_sheet_rows_are_the_worklist_rows_shown() {
    let db = common::private_copy("sheet-rows");
    let db_s = db.to_str().unwrap();
    let base = db.parent().unwrap().to_path_buf();
    for (n, flags) in [
        vec![],
        vec!["--reason", "hba1c_overdue"],
        vec!["--section", "removed"],
    ]
    .into_iter()
    .enumerate()
    {
        let dir = base.join(format!("sheet-{n}"));
        let (csv, html, _) = sheet(db_s, &dir, &flags);
        let got = records(&std::fs::read_to_string(&csv).unwrap(), b',');
        let mut args = vec!["--db", db_s, "worklist", "--format", "csv"];
        args.extend_from_slice(&flags);
        let shown = records(&String::from_utf8(run(&args).stdout).unwrap(), b',');
        // Header: priority, patient, phone, reasons, days_overdue, due, nurse, site, id.
        // Sheet: #, patient, phones, reason, due, result, notes, id.
        assert_eq!(
            got.len(),
            shown.len(),
            "{flags:?}: one sheet row per list row"
        );
        assert!(
            got.len() > 1 || n == 2,
            "{flags:?}: the fixture lists someone"
        );
        for (i, (s, w)) in got.iter().zip(&shown).enumerate().skip(1) {
            assert_eq!(s[0], i.to_string());
            assert_eq!(s[1], w[1], "name");
            assert!(
                s[2].starts_with(&w[2]) || w[2].is_empty(),
                "main phone first"
            );
            assert_eq!(s[3], w[3], "reasons");
            assert_eq!(s[4], w[5], "due date");
            assert_eq!(
                (s[5].as_str(), s[6].as_str()),
                ("", ""),
                "blank result, notes"
            );
            assert_eq!(s[7], w[8], "id");
        }
        let page = std::fs::read_to_string(&html).unwrap();
        for row in got.iter().skip(1) {
            assert!(page.contains(&format!("<td class=\"id\">{}</td>", row[7])));
        }
    }

    // The Worklist tab pages through the stored list: the same patients in the same order.
    let store = Store::open_existing(&db).unwrap();
    let tab = worklist_first_page(
        store.conn(),
        &common::clock(),
        &WorklistFilter::default(),
        None,
        100_000,
    )
    .unwrap();
    let (csv, _, _) = sheet(db_s, &base.join("sheet-tab"), &[]);
    let ids: Vec<String> = records(&std::fs::read_to_string(csv).unwrap(), b',')
        .into_iter()
        .skip(1)
        .map(|r| r[7].clone())
        .collect();
    let tab_ids: Vec<String> = tab.rows.iter().map(|r| r.patient_id.clone()).collect();
    assert_eq!(ids, tab_ids);
}

#[test]
fn the_lost_list_and_a_russian_sheet_never_overwriting() {
    let db = common::private_copy("sheet-lost");
    let db_s = db.to_str().unwrap();
    let dir = db.parent().unwrap().join("lost");
    let (csv, _, _) = sheet(db_s, &dir, &["--lost"]);
    let got = records(&std::fs::read_to_string(&csv).unwrap(), b',');
    let json: serde_json::Value =
        serde_json::from_slice(&run(&["--db", db_s, "worklist", "--format", "json"]).stdout)
            .unwrap();
    let lost: Vec<&str> = json["lost_to_follow_up"]
        .as_array()
        .unwrap()
        .iter()
        // The patients a nurse took off the list stay in the count but not on the sheet.
        .filter(|r| r["taken_off"] == false)
        .map(|r| r["patient_id"].as_str().unwrap())
        .collect();
    let ids: Vec<&str> = got.iter().skip(1).map(|r| r[7].as_str()).collect();
    assert_eq!(ids, lost);
    assert!(
        csv.file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("call-sheet-lost-")
    );

    // In Russian: `;`-separated with a byte-order mark (Russian Excel opens it as it is), Russian
    // headings; a second sheet in the same minute gets its own names.
    let ru = db.parent().unwrap().join("ru");
    run(&[
        "--lang",
        "ru",
        "--db",
        db_s,
        "worklist",
        "--call-sheet",
        ru.to_str().unwrap(),
    ]);
    let out = run(&[
        "--lang",
        "ru",
        "--db",
        db_s,
        "worklist",
        "--call-sheet",
        ru.to_str().unwrap(),
    ]);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.starts_with("Лист обзвона"), "{said}");
    let files: Vec<PathBuf> = std::fs::read_dir(&ru)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 4, "never overwritten: {files:?}");
    let csv = files
        .iter()
        .find(|p| p.extension().is_some_and(|x| x == "csv"))
        .unwrap();
    let text = std::fs::read_to_string(csv).unwrap();
    assert!(text.starts_with('\u{feff}'));
    let rows = records(&text, b';');
    assert_eq!(rows[0][1], "Пациент");
    assert!(rows.len() > 1);
}
