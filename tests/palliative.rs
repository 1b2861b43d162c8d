//! The hospice / palliative care mark (#18): a manager sets and clears it with `acodesk
//! palliative` and from the card in a real terminal; each change is in the history, and the
//! CMS122 and CMS165 denominators drop at once on the CLI, the report's CSV and the stored
//! Progress figures the dashboard reads.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use acodesk::store::Store;
use acodesk::store::views::progress::{
    Column, DrillGroup, Figure, ProgressQuery, progress_patients,
};
use common::tmux::{available_or_skip, dashboard, wait_exit};
use serde_json::Value;
use std::path::Path;
use std::process::Output;
use std::time::Duration;

fn run(config: Option<&str>, args: &[&str]) -> Output {
    let mut c = common::command();
    if let Some(config) = config {
        c.args(["--config", config]);
    }
    c.args(args).output().unwrap()
}

/// The patients in a Progress figure's denominator, and those of them in its numerator.
fn denominator_of(db: &Path, column: Column) -> (Vec<String>, Vec<String>) {
    let store = Store::open_existing(db).unwrap();
    let drill = progress_patients(
        store.conn(),
        &common::clock(),
        &ProgressQuery::default(),
        &DrillGroup::Total,
        column,
    )
    .unwrap();
    let counted = |row: &&acodesk::store::views::progress::DrillRow| matches!(row.figure, Figure::Ratio(r) if r.denominator == 1);
    let all = drill.rows.iter().filter(counted);
    let den: Vec<String> = all.clone().map(|r| r.patient_id.clone()).collect();
    let num: Vec<String> = all
        .filter(|r| r.meets)
        .map(|r| r.patient_id.clone())
        .collect();
    (den, num)
}

/// (numerator, denominator) of `key` in `progress --format json`'s total.
fn cli_ratio(db: &str, key: &str) -> (u64, u64) {
    let out = run(None, &["--db", db, "progress", "--format", "json"]);
    assert!(out.status.success(), "{out:?}");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let r = &v["total"][key];
    (
        r["numerator"].as_u64().unwrap(),
        r["denominator"].as_u64().unwrap(),
    )
}

fn history(db: &str, patient: &str) -> Vec<Value> {
    let out = run(
        None,
        &[
            "--db",
            db,
            "audit",
            "--patient",
            patient,
            "--format",
            "json",
        ],
    );
    assert!(out.status.success(), "{out:?}");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .filter(|e| e["subject"] == "palliative_since")
        .cloned()
        .collect()
}

#[test]
fn a_manager_marks_and_clears_palliative_care_and_both_denominators_follow_at_once() {
    let db_path = common::private_copy("palliative-cli");
    let db = db_path.to_str().unwrap();
    let config = common::manager_config("palliative-cli-config", "Орлов А. В.")
        .to_string_lossy()
        .into_owned();
    // A patient counted in both measures: poor control (CMS122) and BP control (CMS165).
    let (poor_den, poor_num) = denominator_of(&db_path, Column::PoorControl);
    let (bp_den, bp_num) = denominator_of(&db_path, Column::BpControlled);
    let patient = poor_den
        .iter()
        .find(|p| bp_den.contains(p))
        .expect("the sample has a hypertensive diabetic in both measures")
        .clone();
    let before_poor = cli_ratio(db, "hba1c_poor_control");
    let before_bp = cli_ratio(db, "bp_controlled");

    // A nurse may not; a future date is refused; nothing is written either way.
    let nurse = run(None, &["--db", db, "palliative", &patient]);
    assert!(common::one_sentence(&nurse).contains("manager"));
    let future = run(
        Some(&config),
        &["--db", db, "palliative", &patient, "--since", "2026-12-01"],
    );
    assert!(common::one_sentence(&future).contains("2026-12-01"));
    assert!(history(db, &patient).is_empty());

    let set = run(
        Some(&config),
        &["--db", db, "palliative", &patient, "--since", "01.10.2026"],
    );
    assert!(set.status.success(), "{set:?}");
    assert!(String::from_utf8_lossy(&set.stdout).contains("2026-10-01"));
    let minus = |(n, d): (u64, u64), in_num: bool| (n - u64::from(in_num), d - 1);
    let after_poor = cli_ratio(db, "hba1c_poor_control");
    let after_bp = cli_ratio(db, "bp_controlled");
    assert_eq!(
        after_poor,
        minus(before_poor, poor_num.contains(&patient)),
        "CMS122"
    );
    assert_eq!(
        after_bp,
        minus(before_bp, bp_num.contains(&patient)),
        "CMS165"
    );
    // The stored figures the dashboard reads, and the patients behind them.
    assert!(
        !denominator_of(&db_path, Column::PoorControl)
            .0
            .contains(&patient)
    );
    // The report's CSV says the same.
    let dir = common::scratch("palliative-report");
    let report = run(
        None,
        &[
            "--db",
            db,
            "report",
            "--out",
            dir.join("r.html").to_str().unwrap(),
            "--csv",
            dir.to_str().unwrap(),
        ],
    );
    assert!(report.status.success(), "{report:?}");
    let measures = std::fs::read_to_string(dir.join("measures.csv")).unwrap();
    let poor = measures
        .lines()
        .find(|l| l.starts_with("poor_control,"))
        .unwrap();
    assert!(
        poor.contains(&format!(",{},{},", after_poor.0, after_poor.1)),
        "{poor}"
    );
    // The card (JSON) carries the date.
    let card = run(None, &["--db", db, "patient", &patient, "--format", "json"]);
    let card: Value = serde_json::from_slice(&card.stdout).unwrap();
    assert_eq!(card["palliative_since"], "2026-10-01");

    // Set again: nothing changes. Cleared: the figures come back.
    let again = run(
        Some(&config),
        &["--db", db, "palliative", &patient, "--since", "2026-10-01"],
    );
    assert!(String::from_utf8_lossy(&again.stdout).contains("nothing changed"));
    let clear = run(
        Some(&config),
        &[
            "--db",
            db,
            "--lang",
            "ru",
            "palliative",
            &patient,
            "--clear",
        ],
    );
    assert!(
        String::from_utf8_lossy(&clear.stdout).contains("снята"),
        "{clear:?}"
    );
    assert_eq!(cli_ratio(db, "hba1c_poor_control"), before_poor);
    assert_eq!(cli_ratio(db, "bp_controlled"), before_bp);

    let changes = history(db, &patient);
    assert_eq!(changes.len(), 2, "{changes:?}");
    assert_eq!(changes[0]["detail"], " -> 2026-10-01");
    assert_eq!(changes[1]["detail"], "2026-10-01 -> ");
    assert!(changes.iter().all(|c| c["user"] == "Орлов А. В."));
}

/// In a real terminal, in Russian at 80×24: the manager opens a card, presses ч (x on the Russian
/// layout), accepts today's date, answers н (y), sees the mark on the card; then clears it.
#[test]
fn a_manager_marks_and_clears_palliative_care_from_the_card_in_russian() {
    if !available_or_skip() {
        return;
    }
    let db_path = common::private_copy("palliative-tmux");
    let db = db_path.to_str().unwrap();
    let config = common::manager_config("palliative-tmux-config", "Орлов А. В.")
        .to_string_lossy()
        .into_owned();
    let out = run(None, &["--db", db, "worklist", "--format", "json"]);
    let list: Value = serde_json::from_slice(&out.stdout).unwrap();
    let patient = list["rows"][0]["patient_id"].as_str().unwrap().to_string();
    let family = list["rows"][0]["full_name"]
        .as_str()
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .to_string();

    let (term, exit_file) = dashboard(
        "palliative-tmux",
        db,
        &format!("--lang ru --config '{config}'"),
        80,
        24,
    );
    // Managers start on Progress: go to the worklist and open the first patient's card.
    term.wait_for("Показатели", Duration::from_secs(30));
    term.send(&["1"]);
    term.wait_for(&family, Duration::from_secs(30));
    term.send(&["Enter"]);
    term.wait_for("Диагнозы", Duration::from_secs(10));

    term.send(&["ч"]);
    let form = term.wait_for("С какой даты", Duration::from_secs(5));
    assert!(form.contains("20.11.2026"), "today pre-filled:\n{form}");
    term.send(&["Enter"]);
    let question = term.wait_for("Отметить, что", Duration::from_secs(5));
    assert!(question.contains("CMS122"), "{question}");
    // Any key but y leaves the form; Enter again asks again; н says yes.
    term.send(&["Escape"]);
    std::thread::sleep(Duration::from_millis(300));
    assert!(history(db, &patient).is_empty(), "nothing saved on a no");
    term.send(&["Enter"]);
    term.wait_for("Отметить, что", Duration::from_secs(5));
    term.send(&["н"]);
    let card = term.wait_for("(хоспис) с 20.11.2026", Duration::from_secs(10));
    assert!(!card.contains("С какой даты"), "the form closed:\n{card}");
    assert_eq!(history(db, &patient).len(), 1);

    // Marked: ч asks to clear it.
    term.send(&["ч"]);
    term.wait_for("Снять отметку", Duration::from_secs(5));
    term.send(&["н"]);
    term.wait_for(
        "отметка о паллиативной помощи снята",
        Duration::from_secs(10),
    );

    term.send(&["Escape", "й"]);
    let code = wait_exit(&exit_file).expect("acodesk exits on й");
    assert_eq!(code.trim(), "0");
    let changes = history(db, &patient);
    assert_eq!(changes.len(), 2, "{changes:?}");
    assert_eq!(changes[0]["detail"], " -> 2026-11-20");
}

/// An import fills the flag from the source, but once a manager has cleared (or set) it, a
/// re-import of the same file leaves the manager's choice.
#[test]
fn a_reimport_does_not_undo_a_managers_choice() {
    let dir = common::scratch("palliative-import");
    let files = dir.join("files");
    common::sample_files(&files, 60);
    // The source says P000001 and P000002 are in palliative care since 1 October.
    let path = files.join("patients.csv");
    let path = &path;
    let text = std::fs::read_to_string(path).unwrap();
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        let extra = match i {
            0 => ",palliative_since",
            _ if line.starts_with("P000001,") || line.starts_with("P000002,") => ",2026-10-01",
            _ => ",",
        };
        out.push_str(line);
        out.push_str(extra);
        out.push('\n');
    }
    std::fs::write(path, out).unwrap();
    let db = dir.join("register.db");
    let db = db.to_str().unwrap();
    let files = files.to_str().unwrap();
    let import = || {
        let o = run(None, &["--db", db, "import", "csv", files]);
        assert!(o.status.success(), "{o:?}");
    };
    let since = |id: &str| {
        let o = run(None, &["--db", db, "patient", id, "--format", "json"]);
        let v: Value = serde_json::from_slice(&o.stdout).unwrap();
        v["palliative_since"].as_str().map(str::to_string)
    };
    import();
    assert_eq!(since("P000001").as_deref(), Some("2026-10-01"));
    let config = common::manager_config("palliative-import-config", "Орлов А. В.")
        .to_string_lossy()
        .into_owned();
    let clear = run(
        Some(&config),
        &["--db", db, "palliative", "P000001", "--clear"],
    );
    assert!(clear.status.success(), "{clear:?}");
    // The source moves both dates a day: the import writes P000002's, not P000001's.
    let text = std::fs::read_to_string(path).unwrap();
    std::fs::write(path, text.replace(",2026-10-01\n", ",2026-10-02\n")).unwrap();
    import();
    assert_eq!(since("P000001"), None, "the manager's clearing stands");
    assert_eq!(since("P000002").as_deref(), Some("2026-10-02"));
}
