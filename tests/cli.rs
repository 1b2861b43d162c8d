//! The real binary, run as a coordinator would run it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use acodesk::store::Store;
use acodesk::store::views::{self, WorklistFilter};
use serde_json::Value;
use std::path::Path;
use std::process::Output;

fn run(args: &[&str]) -> Output {
    common::command().args(args).output().unwrap()
}

fn ok_json(args: &[&str]) -> Value {
    let out = run(args);
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn data_rows(path: &Path) -> u64 {
    let text = std::fs::read_to_string(path).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    reader.records().count() as u64
}

#[test]
fn sample_then_import_then_stats_counts_every_row() {
    let dir = common::scratch("cli-import");
    let files = dir.join("files");
    let db = dir.join("r.db");
    let out = run(&[
        "sample",
        "--patients",
        "300",
        "--seed",
        "3",
        "--out",
        files.to_str().unwrap(),
        "--as-of",
        "2026-11-20",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run(&[
        "--db",
        db.to_str().unwrap(),
        "import",
        "csv",
        files.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stats = ok_json(&["--db", db.to_str().unwrap(), "stats", "--format", "json"]);
    for (table, file) in [
        ("organizations", "organizations.csv"),
        ("staff", "staff.csv"),
        ("patients", "patients.csv"),
        ("diagnoses", "diagnoses.csv"),
        ("observations", "observations.csv"),
        ("encounters", "encounters.csv"),
        ("claim_lines", "claims.csv"),
        ("appointments", "appointments.csv"),
        ("calls", "calls.csv"),
    ] {
        assert_eq!(
            stats[table].as_u64().unwrap(),
            data_rows(&files.join(file)),
            "{table}"
        );
    }
    assert_eq!(stats["enrolled"]["diabetes"].as_u64().unwrap(), 300);
}

#[test]
fn the_cli_worklist_counts_what_the_tui_counts() {
    let db = common::shared_register();
    let json = ok_json(&["--db", db.to_str().unwrap(), "worklist", "--format", "json"]);
    let store = Store::open_existing(db).unwrap();
    let view = views::worklist(store.conn(), &common::clock(), &WorklistFilter::default()).unwrap();
    assert_eq!(json["rows"].as_array().unwrap().len(), view.rows.len());
    assert!(!view.rows.is_empty());
    assert_eq!(
        json["by_priority"],
        serde_json::to_value(&view.by_priority).unwrap()
    );
    // A filter narrows both the same way.
    let nurse = ok_json(&[
        "--db",
        db.to_str().unwrap(),
        "worklist",
        "--nurse",
        "N01",
        "--format",
        "json",
    ]);
    let filter = WorklistFilter {
        nurse_id: Some("N01".into()),
        ..WorklistFilter::default()
    };
    let mine = views::worklist(store.conn(), &common::clock(), &filter).unwrap();
    assert_eq!(nurse["rows"].as_array().unwrap().len(), mine.rows.len());
    assert!(mine.rows.len() < view.rows.len());
}

#[test]
fn a_call_logged_by_the_cli_is_on_the_card() {
    let db = common::private_copy("cli-call");
    let db = db.to_str().unwrap();
    let list = ok_json(&["--db", db, "worklist", "--format", "json"]);
    let patient = list["rows"][0]["patient_id"].as_str().unwrap().to_string();
    let out = run(&[
        "--db",
        db,
        "call",
        &patient,
        "--outcome",
        "call_back",
        "--note",
        "Просит перезвонить после 18:00",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let card = ok_json(&["--db", db, "patient", &patient, "--format", "json"]);
    let call = &card["calls"][0];
    assert_eq!(call["outcome"], "call_back");
    assert_eq!(call["note"], "Просит перезвонить после 18:00");
    assert_eq!(call["user"], "test-nurse");
    assert!(
        call["next_date"].is_string(),
        "a call-back gets its default date"
    );
}

#[test]
fn bad_input_gets_one_clear_sentence_and_a_failure_code() {
    let dir = common::scratch("cli-errors");
    let missing = dir.join("missing.db");
    let out = run(&["--db", missing.to_str().unwrap(), "stats"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("does not exist"), "{err}");
    assert!(
        !missing.exists(),
        "a missing register is not created by a read command"
    );

    let notes = dir.join("notes.db");
    std::fs::write(
        &notes,
        "not a database at all, just some text that is long enough to have a header........",
    )
    .unwrap();
    let out = run(&["--db", notes.to_str().unwrap(), "stats"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("is not an acodesk register"), "{err}");

    let out = run(&[
        "--db",
        common::shared_register().to_str().unwrap(),
        "call",
        "P000001",
        "--outcome",
        "maybe",
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a call outcome"));

    let bad = dir.join("bad");
    std::fs::create_dir_all(&bad).unwrap();
    std::fs::write(
        bad.join("patients.csv"),
        "id,family_name,given_name,sex,birth_date\nP1,Иванов,Иван,M,31.02.1950\n",
    )
    .unwrap();
    let db = dir.join("new.db");
    let out = run(&[
        "--db",
        db.to_str().unwrap(),
        "import",
        "csv",
        bad.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("patients.csv:2:birth_date:"), "{err}");
}

#[test]
fn readmissions_and_finance_print_the_documented_json_keys() {
    let db = common::shared_register();
    let r = ok_json(&[
        "--db",
        db.to_str().unwrap(),
        "readmissions",
        "--format",
        "json",
    ]);
    for key in [
        "index_stays",
        "readmissions",
        "rate",
        "by_month",
        "open_windows",
    ] {
        assert!(r.get(key).is_some(), "readmissions JSON lacks {key}");
    }
    let f = ok_json(&["--db", db.to_str().unwrap(), "finance", "--format", "json"]);
    for key in [
        "benchmark_per_capita",
        "person_years",
        "benchmark_total",
        "budget_to_date",
        "paid_to_date",
        "estimated_unbilled",
        "projected_spend",
        "projected_savings",
        "projected_savings_rate",
        "msr",
        "sharing_rate",
        "quality_score",
        "holdback_rate",
        "payment_cap",
        "cap_applied",
        "projected_earned",
        "quality_gate_met",
        "problems",
    ] {
        assert!(f.get(key).is_some(), "finance JSON lacks {key}");
    }
    // Money stays numeric.
    assert!(f["projected_spend"].is_f64(), "{}", f["projected_spend"]);
}

#[test]
fn a_manager_switches_the_active_contract_and_the_budget_follows() {
    let db = common::private_copy("cli-contract");
    let db = db.to_str().unwrap();
    let dir = common::scratch("cli-contract-config");
    let config = dir.join("config.toml");
    std::fs::write(
        &config,
        "role = \"manager\"\nuser_name = \"Главный врач\"\n",
    )
    .unwrap();
    let shown = run(&["--db", db, "finance", "contract"]);
    assert!(String::from_utf8_lossy(&shown.stdout).contains("id = \"regional-pilot\""));
    let before = ok_json(&["--db", db, "finance", "--format", "json"]);
    // The regional preset's MSR from the register's spread: wide for 400 patients.
    assert!(before["msr"].as_f64().unwrap() > 0.05, "{}", before["msr"]);
    assert!(
        before["msr_method"]
            .as_str()
            .unwrap()
            .contains("standard error"),
        "{}",
        before["msr_method"]
    );

    let nurse = run(&[
        "--db",
        db,
        "finance",
        "contract",
        "--use",
        "mssp-2018-track-1",
    ]);
    assert!(!nurse.status.success(), "nurses do not change the contract");

    let out = common::command()
        .args([
            "--config",
            config.to_str().unwrap(),
            "--db",
            db,
            "finance",
            "contract",
            "--use",
            "mssp-2018-track-1",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let after = ok_json(&["--db", db, "finance", "--format", "json"]);
    assert_eq!(after["contract"], "mssp-2018-track-1");
    assert!(
        after["msr"].as_f64().unwrap() > 0.03,
        "the variable MSR of a small ACO"
    );

    let bad = dir.join("bad.toml");
    std::fs::write(
        &bad,
        "id = \"x\"\nname = \"x\"\n[sharing]\nmax_rate = \"half\"\n",
    )
    .unwrap();
    let out = common::command()
        .args([
            "--config",
            config.to_str().unwrap(),
            "--db",
            db,
            "finance",
            "contract",
            "--use",
            bad.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.toml"), "{err}");
}

#[test]
fn worklist_thresholds_and_calendar_come_from_the_users_configuration() {
    let db = common::private_copy("cli-thresholds");
    let db = db.to_str().unwrap();
    let home = common::scratch("cli-thresholds-home");
    std::fs::create_dir_all(home.join("acodesk")).unwrap();
    let count = |extra: &[(&str, &str)]| -> usize {
        let mut c = common::command();
        c.env("ACODESK_CONFIG", home.join("acodesk/config.toml"));
        for (k, v) in extra {
            c.env(k, v);
        }
        let out = c
            .args([
                "--db",
                db,
                "worklist",
                "--reason",
                "poor_control",
                "--format",
                "json",
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        v["rows"].as_array().unwrap().len()
    };
    let default = count(&[]);
    assert!(default > 0);
    std::fs::write(
        home.join("acodesk/worklist.toml"),
        "hba1c_poor_control_pct = 10.5\n",
    )
    .unwrap();
    let stricter = count(&[]);
    assert!(
        stricter < default,
        "a higher threshold lists fewer patients ({stricter} vs {default})"
    );
    std::fs::write(
        home.join("acodesk/worklist.toml"),
        "hba1c_poor_control = 10.5\n",
    )
    .unwrap();
    let mut c = common::command();
    let out = c
        .env("ACODESK_CONFIG", home.join("acodesk/config.toml"))
        .args(["--db", db, "worklist"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("worklist.toml") && err.contains("hba1c_poor_control"),
        "{err}"
    );
}

/// The LACE high-risk threshold is one setting: `lace_high_risk` in worklist.toml moves the
/// Readmissions figures (the open windows marked high risk) as it moves the worklist.
#[test]
fn lace_threshold_from_worklist_toml_reaches_readmissions() {
    let db = common::private_copy("lace-threshold");
    let db = db.to_str().unwrap();
    let home = common::scratch("lace-threshold-home");
    std::fs::create_dir_all(home.join("acodesk")).unwrap();
    let high_risk = || -> usize {
        let out = common::command()
            .env("ACODESK_CONFIG", home.join("acodesk/config.toml"))
            .args(["--db", db, "readmissions", "--format", "json"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        v["open"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|w| w["high_risk"] == Value::Bool(true))
            .count()
    };
    let default = high_risk();
    std::fs::write(home.join("acodesk/worklist.toml"), "lace_high_risk = 0\n").unwrap();
    let everyone = high_risk();
    std::fs::write(home.join("acodesk/worklist.toml"), "lace_high_risk = 20\n").unwrap();
    let nobody = high_risk();
    assert!(
        everyone > 0,
        "threshold 0 marks every open window high risk"
    );
    assert!(everyone >= default, "{everyone} vs {default}");
    assert_eq!(nobody, 0, "no LACE total reaches 20 (the maximum is 19)");
}

/// `acodesk patient` prints the card's call-first rows (#20 items 5 and 7): both phones labelled
/// (a main number reported invalid said so) and the last three HbA1c and BP values against the
/// target, in Russian.
#[test]
fn the_patient_table_shows_labelled_phones_and_results_against_the_target() {
    let db = common::private_copy("cli-card-rows");
    let db = db.to_str().unwrap();
    let list = ok_json(&["--db", db, "worklist", "--format", "json"]);
    let patient = list["rows"][0]["patient_id"].as_str().unwrap().to_string();
    let out = run(&["--db", db, "call", &patient, "--outcome", "invalid_number"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run(&["--db", db, "--lang", "ru", "patient", &patient]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let line = |start: &str| {
        text.lines()
            .find(|l| l.starts_with(start))
            .unwrap_or_else(|| panic!("no {start} row:\n{text}"))
            .to_string()
    };
    assert!(
        line("Телефон").contains("осн. ") && line("Телефон").contains("(сообщили: неверный)"),
        "{text}"
    );
    let hb = line("HbA1c < 7,0 %");
    let bp = line("АД < 140/90");
    let card = ok_json(&["--db", db, "patient", &patient, "--format", "json"]);
    let shown = |series: &Value| series.as_array().map_or(0, |a| a.len().min(3));
    assert_eq!(
        hb.matches(" · ").count() + 1,
        shown(&card["hba1c"]).max(1),
        "{hb}"
    );
    assert_eq!(
        bp.matches(" · ").count() + 1,
        shown(&card["blood_pressure"]).max(1),
        "{bp}"
    );
}
