//! Tests of the sample generator: determinism, file shapes, distributions, dates and references.

use super::*;
use crate::store::records::FILES;
use std::collections::{BTreeMap, BTreeSet};

type Row = BTreeMap<String, String>;

/// Generates `patients` patients into a fresh temporary folder.
fn sample(patients: usize) -> (tempfile::TempDir, SampleSummary) {
    let dir = tempfile::TempDir::new().expect("temp dir");
    let spec = SampleSpec {
        patients,
        seed: DEFAULT_SEED,
        as_of: demo_as_of(),
    };
    let summary = generate(&spec, dir.path()).expect("generate");
    (dir, summary)
}

/// Reads one CSV file of the folder as rows keyed by column name.
fn read(dir: &Path, name: &str) -> Vec<Row> {
    let mut reader = csv::Reader::from_path(dir.join(name)).expect("open csv");
    let headers = reader.headers().expect("headers").clone();
    reader
        .records()
        .map(|r| {
            let r = r.expect("record");
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(&text[..10], "%Y-%m-%d").expect("date")
}

#[test]
fn same_seed_gives_identical_files() {
    let (a, _) = sample(200);
    let (b, _) = sample(200);
    let mut names: Vec<&str> = FILES.to_vec();
    names.push("pilot.toml");
    for name in names {
        let x = std::fs::read(a.path().join(name)).expect("read a");
        let y = std::fs::read(b.path().join(name)).expect("read b");
        assert!(x == y, "{name} differs between two runs");
    }
    let dir = tempfile::TempDir::new().expect("temp dir");
    let other = SampleSpec {
        patients: 200,
        seed: 7,
        as_of: demo_as_of(),
    };
    generate(&other, dir.path()).expect("generate");
    let x = std::fs::read(a.path().join("patients.csv")).expect("read");
    let y = std::fs::read(dir.path().join("patients.csv")).expect("read");
    assert!(x != y, "another seed should give other patients");
}

#[test]
fn every_file_has_rows_and_the_expected_header() {
    let (dir, summary) = sample(200);
    let expected: &[(&str, &str)] = &[
        ("organizations.csv", "id,name,kind,region"),
        ("staff.csv", "id,name,role,site_id"),
        (
            "patients.csv",
            "id,policy_number,snils,family_name,given_name,patronymic,sex,birth_date,death_date,\
             phone,phone2,locality,address,site_id,nurse_id,status,moved_on",
        ),
        (
            "diagnoses.csv",
            "patient_id,system,code,description,onset_date",
        ),
        (
            "observations.csv",
            "id,patient_id,date,loinc,value,unit,site_id",
        ),
        (
            "encounters.csv",
            "id,patient_id,class,start,end,organization_id,planned,disposition,cost",
        ),
        (
            "claims.csv",
            "id,patient_id,service_date,paid,category,organization_id,encounter_id,received,funding",
        ),
        ("appointments.csv", "id,patient_id,date,site_id"),
        (
            "calls.csv",
            "id,patient_id,called_at,user,outcome,next_date,note",
        ),
    ];
    assert_eq!(expected.len(), FILES.len());
    for (name, header) in expected {
        let text = std::fs::read_to_string(dir.path().join(name)).expect("read");
        assert_eq!(text.lines().next(), Some(*header), "{name}");
        let rows = summary.rows.get(*name).copied().unwrap_or(0);
        assert!(rows > 0, "{name} is empty");
        assert_eq!(text.lines().count() as u64, rows + 1, "{name} row count");
    }
    assert_eq!(summary.rows.get("organizations.csv"), Some(&8));
    assert_eq!(summary.rows.get("staff.csv"), Some(&10));
    assert_eq!(summary.rows.get("patients.csv"), Some(&200));
    let pilot = std::fs::read_to_string(dir.path().join("pilot.toml")).expect("pilot.toml");
    let value: toml::Table = pilot.parse().expect("valid toml");
    assert_eq!(value["as_of"].as_str(), Some("2026-11-20"));
    assert_eq!(value["start_date"].as_str(), Some("2026-01-01"));
    assert_eq!(value["currency"].as_str(), Some("RUB"));
    assert_eq!(value["baseline_years"].as_array().map(Vec::len), Some(2));
}

#[test]
fn empty_register_still_writes_headers() {
    let (dir, summary) = sample(0);
    assert_eq!(summary.rows.get("patients.csv"), Some(&0));
    let text = std::fs::read_to_string(dir.path().join("calls.csv")).expect("read");
    assert_eq!(
        text,
        "id,patient_id,called_at,user,outcome,next_date,note\n"
    );
}

#[test]
fn identifiers_are_well_formed() {
    let (dir, _) = sample(200);
    for p in read(dir.path(), "patients.csv") {
        let policy = &p["policy_number"];
        assert!(
            policy.len() == 16 && policy.bytes().all(|b| b.is_ascii_digit()),
            "{policy}"
        );
        let snils = &p["snils"];
        if !snils.is_empty() {
            let digits: String = snils.chars().filter(char::is_ascii_digit).collect();
            assert_eq!(snils.len(), 14, "{snils}");
            let body: u64 = digits[..9].parse().expect("digits");
            let check: u64 = digits[9..].parse().expect("digits");
            assert_eq!(ids::snils_check(body), check, "{snils}");
        }
        for phone in [&p["phone"], &p["phone2"]] {
            assert!(
                phone.is_empty() || (phone.starts_with("+7 9") && phone.len() == 16),
                "{phone}"
            );
        }
        let female = p["sex"] == "F";
        assert_eq!(
            p["patronymic"].ends_with("на"),
            female,
            "{}",
            p["patronymic"]
        );
    }
    // A known SNILS from the public check-number description: 112-233-445 95.
    assert_eq!(ids::snils_check(112_233_445), 95);
}

#[test]
fn coded_columns_hold_the_canonical_codes() {
    use crate::domain::types::{
        CallOutcome, ClaimCategory, CodeSystem, Disposition, EncounterClass, ObservationKind,
        OrgKind, PatientStatus, Sex, StaffRole,
    };
    let (dir, _) = sample(200);
    let check = |name: &str, column: &str, parses: &dyn Fn(&str) -> bool| {
        for row in read(dir.path(), name) {
            let value = &row[column];
            assert!(value.is_empty() || parses(value), "{name} {column} {value}");
        }
    };
    check("organizations.csv", "kind", &|v| {
        OrgKind::from_code(v).is_some()
    });
    check("staff.csv", "role", &|v| StaffRole::from_code(v).is_some());
    check("patients.csv", "sex", &|v| Sex::from_code(v).is_some());
    check("patients.csv", "status", &|v| {
        PatientStatus::from_code(v).is_some()
    });
    check("diagnoses.csv", "system", &|v| {
        CodeSystem::from_code(v).is_some()
    });
    check("observations.csv", "loinc", &|v| {
        ObservationKind::from_loinc(v).is_some()
    });
    check("encounters.csv", "class", &|v| {
        EncounterClass::from_code(v).is_some()
    });
    check("encounters.csv", "disposition", &|v| {
        Disposition::from_code(v).is_some()
    });
    check("claims.csv", "category", &|v| {
        ClaimCategory::from_code(v).is_some()
    });
    check("calls.csv", "outcome", &|v| {
        CallOutcome::from_code(v).is_some()
    });
    for row in read(dir.path(), "observations.csv") {
        let kind = ObservationKind::from_loinc(&row["loinc"]).expect("loinc");
        assert_eq!(row["unit"], kind.unit());
    }
    for row in read(dir.path(), "claims.csv") {
        assert!(
            crate::domain::money::Money::parse(&row["paid"]).is_ok(),
            "{}",
            row["paid"]
        );
    }
}

#[test]
fn nothing_is_dated_after_as_of_except_appointments() {
    let (dir, _) = sample(400);
    let as_of = demo_as_of();
    let window = NaiveDate::from_ymd_opt(2024, 1, 1).expect("date");
    let checks: &[(&str, &[&str])] = &[
        ("patients.csv", &["birth_date", "death_date", "moved_on"]),
        ("diagnoses.csv", &["onset_date"]),
        ("observations.csv", &["date"]),
        ("encounters.csv", &["start", "end"]),
        ("claims.csv", &["service_date"]),
        ("calls.csv", &["called_at", "next_date"]),
    ];
    for (name, columns) in checks {
        for row in read(dir.path(), name) {
            for column in *columns {
                let value = &row[*column];
                if !value.is_empty() {
                    assert!(date(value) <= as_of, "{name} {column} {value}");
                }
            }
        }
    }
    for name in ["observations.csv", "encounters.csv", "claims.csv"] {
        for row in read(dir.path(), name) {
            let first = row
                .get("date")
                .or(row.get("start"))
                .or(row.get("service_date"));
            assert!(
                date(first.expect("date column")) >= window,
                "{name} before the window"
            );
        }
    }
    for row in read(dir.path(), "calls.csv") {
        assert!(date(&row["called_at"]) < as_of);
    }
    let appointments = read(dir.path(), "appointments.csv");
    assert!(appointments.iter().any(|a| date(&a["date"]) > as_of));
    assert!(appointments.iter().any(|a| date(&a["date"]) < as_of));
}

#[test]
fn missed_appointments_and_departures_end_the_activity() {
    let (dir, _) = sample(400);
    let as_of = demo_as_of();
    // A missed appointment ends the polyclinic visits and measurements (hospital stays and
    // emergency visits go on: a patient who missed a visit is still admitted when ill, #19);
    // leaving the register ends everything.
    let mut last_activity: BTreeMap<String, NaiveDate> = BTreeMap::new();
    let mut last_any: BTreeMap<String, NaiveDate> = BTreeMap::new();
    for (name, column) in [("encounters.csv", "start"), ("observations.csv", "date")] {
        for row in read(dir.path(), name) {
            let day = date(&row[column]);
            let any = last_any.entry(row["patient_id"].clone()).or_insert(day);
            *any = (*any).max(day);
            if row
                .get("class")
                .is_some_and(|c| c == "inpatient" || c == "emergency" || c == "day_hospital")
            {
                continue;
            }
            let entry = last_activity
                .entry(row["patient_id"].clone())
                .or_insert(day);
            *entry = (*entry).max(day);
        }
    }
    let mut missed = 0;
    for a in read(dir.path(), "appointments.csv") {
        let day = date(&a["date"]);
        if day < as_of {
            missed += 1;
            assert!(
                last_activity
                    .get(&a["patient_id"])
                    .is_none_or(|last| *last < day),
                "{a:?}"
            );
        }
    }
    assert!(missed > 20, "only {missed} missed appointments");
    let patients = read(dir.path(), "patients.csv");
    for p in &patients {
        let left = [&p["death_date"], &p["moved_on"]]
            .into_iter()
            .find(|v| !v.is_empty());
        assert_eq!(left.is_some(), p["status"] != "active", "{p:?}");
        if let (Some(left), Some(last)) = (left, last_any.get(&p["id"])) {
            assert!(*last <= date(left), "{} active after leaving", p["id"]);
        }
    }
}

#[test]
fn every_reference_points_to_an_existing_row() {
    let (dir, _) = sample(400);
    let ids = |name: &str| -> BTreeSet<String> {
        read(dir.path(), name)
            .into_iter()
            .map(|r| r["id"].clone())
            .collect()
    };
    let orgs = ids("organizations.csv");
    let staff = ids("staff.csv");
    let patients = ids("patients.csv");
    let encounters = ids("encounters.csv");
    let refs: &[(&str, &str, &BTreeSet<String>)] = &[
        ("staff.csv", "site_id", &orgs),
        ("patients.csv", "site_id", &orgs),
        ("patients.csv", "nurse_id", &staff),
        ("diagnoses.csv", "patient_id", &patients),
        ("observations.csv", "patient_id", &patients),
        ("observations.csv", "site_id", &orgs),
        ("encounters.csv", "patient_id", &patients),
        ("encounters.csv", "organization_id", &orgs),
        ("claims.csv", "patient_id", &patients),
        ("claims.csv", "organization_id", &orgs),
        ("claims.csv", "encounter_id", &encounters),
        ("appointments.csv", "patient_id", &patients),
        ("appointments.csv", "site_id", &orgs),
        ("calls.csv", "patient_id", &patients),
        ("calls.csv", "user", &staff),
    ];
    for (name, column, targets) in refs {
        for row in read(dir.path(), name) {
            let value = &row[*column];
            assert!(
                value.is_empty() || targets.contains(value),
                "{name} {column} {value}"
            );
        }
    }
    for name in FILES {
        let rows = read(dir.path(), name);
        if rows.first().is_some_and(|r| r.contains_key("id")) {
            let unique: BTreeSet<&String> = rows.iter().map(|r| &r["id"]).collect();
            assert_eq!(unique.len(), rows.len(), "{name} has duplicate ids");
        }
    }
}

/// Headline figures of a generated folder, used by the distribution test and the report.
pub(super) struct Figures {
    pub hba1c_mean: f64,
    pub hba1c_ge9: f64,
    pub inpatient_365: f64,
    pub readmitted_30: f64,
}

/// Computes [`Figures`] simply from the CSV files.
pub(super) fn figures(dir: &Path, as_of: NaiveDate) -> Figures {
    let mut latest: BTreeMap<String, f64> = BTreeMap::new();
    for o in read(dir, "observations.csv") {
        if o["loinc"] == "4548-4" {
            latest.insert(o["patient_id"].clone(), o["value"].parse().expect("value"));
        }
    }
    let n = latest.len() as f64;
    let hba1c_mean = latest.values().sum::<f64>() / n;
    let hba1c_ge9 = latest.values().filter(|v| **v >= 9.0).count() as f64 / n;

    let patients = read(dir, "patients.csv").len() as f64;
    let mut stays: BTreeMap<String, Vec<Row>> = BTreeMap::new();
    for e in read(dir, "encounters.csv") {
        if e["class"] == "inpatient" {
            stays.entry(e["patient_id"].clone()).or_default().push(e);
        }
    }
    let year_ago = as_of - chrono::Duration::days(365);
    let admitted = stays
        .values()
        .filter(|s| s.iter().any(|e| date(&e["start"]) > year_ago))
        .count() as f64;
    let (mut index, mut readmitted) = (0, 0);
    for list in stays.values() {
        for (i, stay) in list.iter().enumerate() {
            if stay["end"].is_empty() || stay["disposition"] == "died" {
                continue;
            }
            let discharge = date(&stay["end"]);
            index += 1;
            let next = list[i + 1..].iter().find(|e| e["planned"] == "false");
            if next.is_some_and(|e| (date(&e["start"]) - discharge).num_days() <= 30) {
                readmitted += 1;
            }
        }
    }
    Figures {
        hba1c_mean,
        hba1c_ge9,
        inpatient_365: admitted / patients,
        readmitted_30: f64::from(readmitted) / f64::from(index),
    }
}

#[test]
fn distributions_hit_their_targets() {
    let (dir, _) = sample(2000);
    let f = figures(dir.path(), demo_as_of());
    assert!(
        (7.5..=8.5).contains(&f.hba1c_mean),
        "mean latest HbA1c {}",
        f.hba1c_mean
    );
    assert!(
        (0.22..=0.36).contains(&f.hba1c_ge9),
        "share of latest HbA1c >= 9: {}",
        f.hba1c_ge9
    );
    assert!(
        (0.15..=0.30).contains(&f.inpatient_365),
        "admitted in the last year: {}",
        f.inpatient_365
    );
    assert!(
        (0.12..=0.24).contains(&f.readmitted_30),
        "readmitted within 30 days: {}",
        f.readmitted_30
    );
}

#[test]
fn the_yearly_laboratory_panel_comes_at_a_realistic_frequency() {
    use crate::domain::kidney::AlbuminuriaCategory;
    use crate::domain::types::ObservationKind;
    let (dir, _) = sample(1000);
    let as_of = demo_as_of();
    let year_ago = as_of - chrono::Days::new(365);
    let active: BTreeSet<String> = read(dir.path(), "patients.csv")
        .into_iter()
        .filter(|r| r["status"] == "active")
        .map(|r| r["id"].clone())
        .collect();
    let mut checked = BTreeSet::new();
    let mut counts: BTreeMap<ObservationKind, (usize, f64)> = BTreeMap::new();
    let mut albuminuria = 0usize;
    for row in read(dir.path(), "observations.csv") {
        let kind = ObservationKind::from_loinc(&row["loinc"]).expect("loinc");
        let value: f64 = row["value"].parse().expect("value");
        assert_eq!(
            crate::domain::units::normalise(kind, value, &row["unit"]),
            Ok(value),
            "{row:?}"
        );
        let entry = counts.entry(kind).or_default();
        entry.0 += 1;
        entry.1 += value;
        if kind == ObservationKind::Uacr && AlbuminuriaCategory::of(value) > AlbuminuriaCategory::A1
        {
            albuminuria += 1;
        }
        if kind == ObservationKind::Creatinine
            && date(&row["date"]) > year_ago
            && active.contains(&row["patient_id"])
        {
            checked.insert(row["patient_id"].clone());
        }
    }
    let share = checked.len() as f64 / active.len() as f64;
    let mean = |k| counts.get(&k).map_or(0.0, |(n, sum)| sum / *n as f64);
    let n = |k| counts.get(&k).map_or(0, |(n, _)| *n);
    println!(
        "kidneys checked in 12 months: {share:.2}; creatinine {} (mean {:.0}), LDL {} (mean {:.1}), fasting glucose {} (mean {:.1}), UACR {} ({albuminuria} A2–A3)",
        n(ObservationKind::Creatinine),
        mean(ObservationKind::Creatinine),
        n(ObservationKind::Ldl),
        mean(ObservationKind::Ldl),
        n(ObservationKind::FastingGlucose),
        mean(ObservationKind::FastingGlucose),
        n(ObservationKind::Uacr),
    );
    // Most active patients had their kidneys checked in the year, not all: the worklist's
    // "kidney check due" has work.
    assert!((0.5..0.9).contains(&share), "{share}");
    assert!((70.0..110.0).contains(&mean(ObservationKind::Creatinine)));
    assert!((2.5..3.5).contains(&mean(ObservationKind::Ldl)));
    assert!((6.0..11.0).contains(&mean(ObservationKind::FastingGlucose)));
    // LDL in most panels, the urine ratio in fewer; albuminuria in a minority of results.
    assert!(n(ObservationKind::Ldl) > n(ObservationKind::Uacr));
    let a2 = albuminuria as f64 / n(ObservationKind::Uacr).max(1) as f64;
    assert!((0.1..0.5).contains(&a2), "{a2}");
}
