//! Programmes as files (#21): the built-in diabetes and hypertension programmes enrol from the
//! sample, and a region adds a third one (chronic heart failure, I50) with a file in the
//! `programmes/` folder beside its config — no code — and sees its patients enrolled and on the
//! worklist, each reason naming its programme.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use serde_json::Value;

fn count(db: &std::path::Path, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

fn worklist(db: &str, config: &std::path::Path) -> Value {
    let out = common::command()
        .env("ACODESK_CONFIG", config)
        .args(["--db", db, "worklist", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The programmes named by the findings of the worklist's rows.
fn programmes_named(v: &Value) -> Vec<String> {
    let mut named: Vec<String> = v["rows"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["entry"]["findings"].as_array().unwrap().iter())
        .flat_map(|f| {
            f["programs"]
                .as_array()
                .map(|p| p.iter().map(|x| x.as_str().unwrap().to_string()).collect())
                .unwrap_or_else(Vec::new)
        })
        .collect();
    named.sort();
    named.dedup();
    named
}

#[test]
fn the_sample_enrols_in_both_programmes_with_the_earliest_onset() {
    let db = common::shared_register();
    let diabetes = count(
        db,
        "SELECT count(*) FROM enrolments WHERE program_id = 'diabetes'",
    );
    let hypertension = count(
        db,
        "SELECT count(*) FROM enrolments WHERE program_id = 'hypertension'",
    );
    assert!(
        diabetes > 0 && hypertension > 0,
        "{diabetes} {hypertension}"
    );
    // The date is the earliest onset of a qualifying diagnosis, per programme.
    let wrong = count(
        db,
        "SELECT count(*) FROM enrolments e WHERE e.program_id = 'hypertension'
           AND e.enrolled_on <> (SELECT min(onset_date) FROM diagnoses d
                                 WHERE d.patient_id = e.patient_id
                                   AND ((d.system = 'icd10'
                                         AND substr(replace(d.code, '.', ''), 1, 3)
                                             IN ('I10', 'I11', 'I12', 'I13', 'I14', 'I15'))
                                        OR (d.system = 'snomed'
                                            AND d.code IN ('59621000', '38341003'))))",
    );
    assert_eq!(wrong, 0);
    let rows = count(
        db,
        "SELECT count(*) FROM programs WHERE id IN ('diabetes', 'hypertension')
           AND definition_toml LIKE '%id = \"' || id || '\"%'",
    );
    assert_eq!(rows, 2, "the programs table holds both definitions");
}

#[test]
fn a_region_adds_a_programme_with_a_file() {
    let db = common::private_copy("programmes-chf");
    let config_dir = common::scratch("programmes-chf-config");
    let config = config_dir.join("config.toml");
    let before = worklist(db.to_str().unwrap(), &config);
    assert!(
        !programmes_named(&before).contains(&"chf".to_string()),
        "{:?}",
        programmes_named(&before)
    );
    std::fs::create_dir_all(config_dir.join("programmes")).unwrap();
    std::fs::write(
        config_dir.join("programmes/chf.toml"),
        "id = \"chf\"\nname = \"Chronic heart failure\"\nname_ru = \"Хроническая сердечная недостаточность\"\n\
         icd10 = [\"I50\"]\n[watch.bp]\nevery_months = 1\n",
    )
    .unwrap();
    let after = worklist(db.to_str().unwrap(), &config);
    let named = programmes_named(&after);
    assert!(named.contains(&"chf".to_string()), "{named:?}");
    assert!(named.contains(&"hypertension".to_string()), "{named:?}");
    let enrolled = count(
        &db,
        "SELECT count(*) FROM enrolments WHERE program_id = 'chf'",
    );
    let with_i50 = count(
        &db,
        "SELECT count(DISTINCT patient_id) FROM diagnoses WHERE code LIKE 'I50%'",
    );
    assert!(enrolled > 0);
    assert_eq!(enrolled, with_i50, "every patient with I50 is enrolled");
    // Taking the file away takes the programme and its enrolments away.
    std::fs::remove_file(config_dir.join("programmes/chf.toml")).unwrap();
    let gone = worklist(db.to_str().unwrap(), &config);
    assert!(!programmes_named(&gone).contains(&"chf".to_string()));
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM enrolments WHERE program_id = 'chf'"
        ),
        0
    );
}

#[test]
fn a_bad_programme_file_is_one_sentence_naming_file_line_and_column() {
    let db = common::shared_register();
    let config_dir = common::scratch("programmes-bad-config");
    std::fs::create_dir_all(config_dir.join("programmes")).unwrap();
    std::fs::write(
        config_dir.join("programmes/chf.toml"),
        "id = \"chf\"\nname = \"CHF\"\nname_ru = \"ХСН\"\nicd10 = [\"I55-I50\"]\n",
    )
    .unwrap();
    let out = common::command()
        .env("ACODESK_CONFIG", config_dir.join("config.toml"))
        .args(["--db", db.to_str().unwrap(), "worklist"])
        .output()
        .unwrap();
    let err = common::one_sentence(&out);
    assert!(
        err.contains("chf.toml") && err.contains("line 4, column 10"),
        "{err}"
    );
}

fn json(args: &[&str]) -> Value {
    let out = common::command().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn program_flag_on_worklist_readmissions_and_stats() {
    let db = common::shared_register();
    let db = db.to_str().unwrap();
    let rows = |v: &Value| v["rows"].as_array().unwrap().len();
    let all = json(&["--db", db, "worklist", "--format", "json"]);
    let ht = json(&[
        "--db",
        db,
        "worklist",
        "--program",
        "hypertension",
        "--format",
        "json",
    ]);
    let dm = json(&[
        "--db",
        db,
        "worklist",
        "--program",
        "diabetes",
        "--format",
        "json",
    ]);
    assert!(
        rows(&ht) > 0 && rows(&ht) < rows(&all),
        "{} {}",
        rows(&ht),
        rows(&all)
    );
    assert!(rows(&dm) > 0 && rows(&dm) <= rows(&all));
    // Every hypertension-only reason on the diabetes list belongs to a patient in both.
    let enrolled = |id: &str| -> std::collections::HashSet<String> {
        let conn = rusqlite::Connection::open(db).unwrap();
        let mut stmt = conn
            .prepare("SELECT patient_id FROM enrolments WHERE program_id = ?1")
            .unwrap();
        stmt.query_map([id], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let hypertensive = enrolled("hypertension");
    for r in ht["rows"].as_array().unwrap() {
        assert!(hypertensive.contains(r["patient_id"].as_str().unwrap()));
    }
    // Readmissions: one programme's index stays are among the enrolled patients', which are among
    // the register's.
    let stays = |args: &[&str]| -> u64 {
        let mut a = vec!["--db", db, "readmissions", "--format", "json"];
        a.extend_from_slice(args);
        json(&a)["index_stays"].as_u64().unwrap()
    };
    let (enrolled_stays, register) = (stays(&[]), stays(&["--program", "all"]));
    let ht_stays = stays(&["--program", "hypertension"]);
    assert!(ht_stays <= enrolled_stays && enrolled_stays <= register);
    assert!(ht_stays > 0);
    // Stats: that programme's enrolment and its patients by status.
    let st = json(&[
        "--db",
        db,
        "stats",
        "--program",
        "hypertension",
        "--format",
        "json",
    ]);
    let keys: Vec<&String> = st["enrolled"].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["hypertension"]);
    let by_status: u64 = st["by_status"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(by_status, st["enrolled"]["hypertension"].as_u64().unwrap());
    // An unknown programme is one sentence listing the known ones.
    let out = common::command()
        .args(["--db", db, "worklist", "--program", "asthma"])
        .output()
        .unwrap();
    let err = common::one_sentence(&out);
    assert!(
        err.contains("asthma") && err.contains("diabetes, hypertension"),
        "{err}"
    );
}

#[test]
fn the_card_shows_the_programmes_and_the_bp_trend_against_the_target() {
    let db = common::shared_register();
    let conn = rusqlite::Connection::open(db).unwrap();
    // A hypertensive patient with two BP days in the 12 months before the fixture date.
    let id: String = conn
        .query_row(
            "SELECT e.patient_id FROM enrolments e
             WHERE e.program_id = 'hypertension'
               AND (SELECT count(DISTINCT date) FROM observations o
                    WHERE o.patient_id = e.patient_id AND o.kind = 'systolic'
                      AND o.date > '2025-11-20' AND o.date <= '2026-11-20') >= 2
             ORDER BY e.patient_id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    for (lang, programmes, trend) in [
        (
            "en",
            "Programmes",
            "BP trend, target below 140/90 (Hypertension)",
        ),
        (
            "ru",
            "Программы",
            "Динамика АД, цель ниже 140/90 (Артериальная гипертензия)",
        ),
    ] {
        let out = common::command()
            .args(["--db", db.to_str().unwrap(), "--lang", lang, "patient", &id])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8_lossy(&out.stdout);
        let line = text
            .lines()
            .find(|l| l.contains(trend))
            .unwrap_or_else(|| panic!("{text}"));
        assert!(line.contains(" → "), "two readings at least: {line}");
        assert!(text.lines().any(|l| l.contains(programmes)), "{text}");
    }
}

#[test]
fn an_import_says_how_many_patients_each_programme_enrolled_in_the_users_language() {
    let dir = common::scratch("programmes-import-lines");
    common::sample_files(&dir.join("files"), 200);
    let out = common::command()
        .args(["--lang", "ru", "import", "csv"])
        .arg(dir.join("files"))
        .arg("--db")
        .arg(dir.join("register.db"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    let line = |name: &str| {
        text.lines()
            .find(|l| l.ends_with(&format!("в программу «{name}»")))
            .unwrap_or_else(|| panic!("no line for {name}: {text}"))
            .to_string()
    };
    assert!(line("Сахарный диабет").starts_with("200 "), "{text}");
    let htn: u64 = line("Артериальная гипертензия")
        .split_whitespace()
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(htn > 0 && htn < 200, "{text}");
}
