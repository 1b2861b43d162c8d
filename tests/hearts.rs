#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The HEARTS figures from the binary: `acodesk progress --program P` on the sample register
//! (diabetes, enrolled by the importer) and on hypertension enrolments written here directly, the
//! same figures per site, nurse and month, and the refusal of an unknown programme.

mod common;

use serde_json::Value;
use std::path::Path;

fn run(db: &Path, args: &[&str]) -> std::process::Output {
    common::command()
        .arg("--db")
        .arg(db)
        .args(["--as-of", &common::as_of().to_string()])
        .args(args)
        .output()
        .unwrap()
}

fn json(db: &Path, args: &[&str]) -> Value {
    let out = run(db, args);
    assert!(out.status.success(), "{out:?}");
    serde_json::from_slice(&out.stdout).unwrap()
}

fn n(v: &Value, key: &str) -> u64 {
    v[key].as_u64().unwrap_or_else(|| panic!("{key} in {v}"))
}

const DIABETES: &[&str] = &[
    "assigned",
    "under_care",
    "lost_to_follow_up",
    "denominator",
    "bs_under_200",
    "bs_200_to_299",
    "bs_300_plus",
    "visited_no_bs",
    "missed_visit",
];

/// The figures partition as the rules say: assigned = under care + lost, and the buckets add up
/// to the denominator.
fn partitions(h: &Value, buckets: &[&str]) {
    assert_eq!(
        n(h, "assigned"),
        n(h, "under_care") + n(h, "lost_to_follow_up"),
        "{h}"
    );
    assert_eq!(
        n(h, "denominator"),
        buckets.iter().map(|b| n(h, b)).sum::<u64>(),
        "{h}"
    );
    assert!(n(h, "denominator") <= n(h, "under_care"));
}

#[test]
fn diabetes_hearts_figures_agree_with_the_progress_tally_and_add_up() {
    let db = common::shared_register();
    let v = json(
        db,
        &["progress", "--program", "diabetes", "--format", "json"],
    );
    let h = &v["total"]["hearts"];
    for key in DIABETES {
        assert!(h[key].is_u64(), "{key}: {h}");
    }
    assert!(h.get("controlled").is_none(), "no BP buckets for diabetes");
    assert!(n(h, "denominator") > 0);
    partitions(h, &DIABETES[4..]);
    // The same population as the tab's "active" count; lost to follow-up is the same rule as
    // the tab's 12-month figure (enrolled over 12 months ago, no contact in 12 months).
    assert_eq!(n(h, "assigned"), n(&v["total"], "enrolled_active"));
    assert_eq!(
        n(h, "lost_to_follow_up"),
        n(&v["total"]["lost_to_follow_up_12m"], "numerator")
    );
    // Per site: every group carries its figures and they add up to the total.
    let groups = v["groups"].as_array().unwrap();
    assert!(groups.len() > 1);
    for key in DIABETES {
        let sum: u64 = groups.iter().map(|g| n(&g["hearts"], key)).sum();
        assert_eq!(sum, n(h, key), "{key}");
    }
}

#[test]
fn hearts_by_nurse_and_by_month_and_in_csv() {
    let db = common::shared_register();
    let v = json(
        db,
        &[
            "progress",
            "--program",
            "diabetes",
            "--by",
            "nurse",
            "--format",
            "json",
        ],
    );
    let sum: u64 = v["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| n(&g["hearts"], "assigned"))
        .sum();
    assert_eq!(sum, n(&v["total"]["hearts"], "assigned"));
    let m = json(
        db,
        &[
            "progress",
            "--program",
            "diabetes",
            "--by",
            "month",
            "--format",
            "json",
        ],
    );
    let months = m["groups"].as_array().unwrap();
    assert_eq!(months.len(), 12);
    for g in months {
        partitions(&g["hearts"], &DIABETES[4..]);
    }
    // The last month's row is the as-of date's figures.
    assert_eq!(months[11]["hearts"], m["total"]["hearts"]);
    let out = run(
        db,
        &["progress", "--program", "diabetes", "--format", "csv"],
    );
    let csv = String::from_utf8(out.stdout).unwrap();
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    for key in DIABETES {
        assert!(header.contains(&format!("hearts_{key}").as_str()), "{key}");
    }
    let table = run(db, &["progress", "--program", "diabetes"]);
    let text = String::from_utf8(table.stdout).unwrap();
    assert!(text.contains("HEARTS: lost to follow-up"), "{text}");
}

/// Enrols the first patients of the register in hypertension, and them alone, with hand-made BP readings on the
/// as-of date's last 3 months: one controlled, one not, one seen without BP, one without contact.
fn with_hypertension(name: &str) -> std::path::PathBuf {
    let db = common::private_copy(name);
    let c = rusqlite::Connection::open(&db).unwrap();
    let t = common::as_of();
    let day = |back: i64| (t - chrono::Duration::days(back)).to_string();
    let ids: Vec<String> = {
        let mut st = c
            .prepare(
                "SELECT id FROM patients WHERE status = 'active' AND death_date IS NULL
                 ORDER BY id LIMIT 4",
            )
            .unwrap();
        st.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    // The register enrols its hypertensive patients already: only these four stay enrolled.
    c.execute(
        "INSERT OR IGNORE INTO programs (id, name, definition_toml) VALUES ('hypertension', 'Hypertension', '')",
        [],
    )
    .unwrap();
    c.execute(
        "DELETE FROM enrolments WHERE program_id = 'hypertension'",
        [],
    )
    .unwrap();
    for id in &ids {
        c.execute(
            "INSERT INTO enrolments VALUES (?1, 'hypertension', '2020-01-01', NULL)",
            [id],
        )
        .unwrap();
        // Nothing else of theirs in the window, so the hand-made rows decide.
        c.execute(
            "DELETE FROM observations WHERE patient_id = ?1 AND date > ?2",
            rusqlite::params![id, day(400)],
        )
        .unwrap();
        c.execute(
            "DELETE FROM encounters WHERE patient_id = ?1 AND start_at > ?2",
            rusqlite::params![id, day(400)],
        )
        .unwrap();
    }
    let obs = |id: &str, kind: &str, value: f64, date: &str, n: usize| {
        c.execute(
            "INSERT INTO observations (id, patient_id, kind, loinc, value, unit, date)
             VALUES (?1, ?2, ?3, '', ?4, 'mm[Hg]', ?5)",
            rusqlite::params![format!("hearts-test-{n}"), id, kind, value, date],
        )
        .unwrap();
    };
    obs(&ids[0], "systolic", 132.0, &day(10), 1);
    obs(&ids[0], "diastolic", 84.0, &day(10), 2);
    obs(&ids[1], "systolic", 150.0, &day(20), 3);
    obs(&ids[1], "diastolic", 80.0, &day(20), 4);
    obs(&ids[2], "glucose", 6.0, &day(30), 5);
    // ids[3]: seen 6 months ago only: under care, missed visit.
    obs(&ids[3], "systolic", 150.0, &day(180), 6);
    db
}

#[test]
fn hypertension_buckets_from_enrolments_written_directly() {
    let db = with_hypertension("hearts-htn");
    let v = json(
        &db,
        &["progress", "--program", "hypertension", "--format", "json"],
    );
    let h = &v["total"]["hearts"];
    assert_eq!(n(h, "assigned"), 4, "{h}");
    assert_eq!(n(h, "under_care"), 4);
    assert_eq!(n(h, "denominator"), 4);
    assert_eq!(n(h, "controlled"), 1);
    assert_eq!(n(h, "uncontrolled"), 1);
    assert_eq!(n(h, "visited_no_bp"), 1);
    assert_eq!(n(h, "missed_visit"), 1);
    assert!(h.get("bs_under_200").is_none());
    // Without --program: both programmes, each with its own figures.
    let all = json(&db, &["progress", "--format", "json"]);
    let programs: Vec<&str> = all["hearts_programs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["program"].as_str().unwrap())
        .collect();
    assert_eq!(programs, ["diabetes", "hypertension"]);
    assert_eq!(all["hearts_programs"][1]["total"], *h);
    assert!(all["total"].get("hearts").is_none());
    let csv = String::from_utf8(
        run(
            &db,
            &["progress", "--program", "hypertension", "--format", "csv"],
        )
        .stdout,
    )
    .unwrap();
    let header = csv.lines().next().unwrap();
    assert!(
        header.ends_with("hearts_visited_no_bp,hearts_missed_visit"),
        "{header}"
    );
    let all = String::from_utf8(run(&db, &["progress", "--format", "csv"]).stdout).unwrap();
    assert!(
        !all.lines().next().unwrap().contains("hearts_"),
        "one CSV per programme"
    );
}

#[test]
fn an_unknown_programme_is_refused_with_the_known_ids() {
    let db = with_hypertension("hearts-unknown");
    let err = common::one_sentence(&run(&db, &["progress", "--program", "asthma"]));
    assert!(err.contains("\"asthma\""), "{err}");
    assert!(err.contains("diabetes, hypertension"), "{err}");
    let ru = common::one_sentence(&run(
        &db,
        &["--lang", "ru", "progress", "--program", "asthma"],
    ));
    assert!(ru.contains("Неизвестная программа"), "{ru}");
}

fn read_csv(path: &Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path).unwrap();
    text.trim_start_matches('\u{feff}')
        .lines()
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

#[test]
fn the_report_has_a_hearts_section_per_programme_with_its_csv_twins() {
    let db = with_hypertension("hearts-report");
    let dir = common::scratch("hearts-report-out");
    let html = dir.join("report.html");
    let csv = dir.join("csv");
    let out = run(
        &db,
        &[
            "report",
            "--out",
            html.to_str().unwrap(),
            "--csv",
            csv.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{out:?}");
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("id=\"hearts-diabetes\"") && page.contains("id=\"hearts-hypertension\""));
    assert!(page.contains("Quarterly cohorts"));
    // The CSV total row is the figures `progress --program` prints.
    let v = json(
        &db,
        &["progress", "--program", "hypertension", "--format", "json"],
    );
    let rows = read_csv(&csv.join("hearts_hypertension.csv"));
    let total = rows.iter().find(|r| r[0] == "total").unwrap();
    for (i, name) in rows[0].iter().enumerate().skip(1) {
        assert_eq!(
            total[i].parse::<u64>().unwrap(),
            n(&v["total"]["hearts"], name),
            "{name}"
        );
    }
    // Registrations: the cumulative count grows by each month's registrations.
    let reg = read_csv(&csv.join("hearts_diabetes_registered.csv"));
    assert_eq!(reg[0], ["month", "registered", "cumulative"]);
    assert_eq!(reg.len(), 13);
    for w in reg[1..].windows(2) {
        let (a, b) = (&w[0], &w[1]);
        assert_eq!(
            b[2].parse::<u64>().unwrap(),
            a[2].parse::<u64>().unwrap() + b[1].parse::<u64>().unwrap()
        );
    }
    // Cohorts: four quarters, each cohort's buckets adding up to its size.
    let co = read_csv(&csv.join("hearts_diabetes_cohorts.csv"));
    assert_eq!(co.len(), 5);
    for r in &co[1..] {
        let size: u64 = r[1].parse().unwrap();
        let sum: u64 = r[2..].iter().map(|x| x.parse::<u64>().unwrap()).sum();
        assert_eq!(size, sum, "{r:?}");
    }
}
