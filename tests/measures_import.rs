#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The measures' inputs on import: the optional principal diagnosis of an encounter (acodesk CSV
//! column `principal_dx`, FHIR `Encounter.diagnosis` with rank 1), the patients' hospice or
//! palliative care flag (CSV column `palliative_since`), ICD-10 codes written with
//! Cyrillic look-alike letters folded to Latin so they enrol, and the readmission cohort exclusion
//! applied to an imported stay.

use acodesk::import::csv_dir::{ImportOptions, import_dir};
use acodesk::import::fhir::import_fhir;
use acodesk::store::Store;
use acodesk::store::views::readmissions::{Population, compute};
use std::path::Path;

const STRICT: ImportOptions = ImportOptions {
    skip_bad_rows: false,
};

fn valid() -> &'static Path {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/import/valid"
    ))
}

fn one(store: &Store, sql: &str) -> Option<String> {
    store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn csv_principal_diagnosis_and_cyrillic_codes() {
    let dir = tempfile::tempdir().unwrap();
    let files = dir.path().join("files");
    std::fs::create_dir_all(&files).unwrap();
    for entry in std::fs::read_dir(valid()).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), files.join(entry.file_name())).unwrap();
    }
    // E1 gains a principal diagnosis typed with a Cyrillic С; P2 a diabetes code with a Cyrillic Е.
    let enc = std::fs::read_to_string(files.join("encounters.csv")).unwrap();
    let mut lines: Vec<String> = enc.lines().map(String::from).collect();
    lines[0].push_str(",principal_dx");
    for (i, line) in lines.iter_mut().enumerate().skip(1) {
        line.push_str(if i == 1 { ",С18.7" } else { "," });
    }
    std::fs::write(files.join("encounters.csv"), lines.join("\n") + "\n").unwrap();
    let mut diag = std::fs::read_to_string(files.join("diagnoses.csv")).unwrap();
    diag.push_str("P2,icd10,Е11.9,Сахарный диабет 2 типа,2016-05-01\n");
    std::fs::write(files.join("diagnoses.csv"), diag).unwrap();

    // P1 in palliative care since February 2024 (the patient flag of CMS122 and CMS165).
    let pat = std::fs::read_to_string(files.join("patients.csv")).unwrap();
    let mut lines: Vec<String> = pat.lines().map(String::from).collect();
    lines[0].push_str(",palliative_since");
    for line in lines.iter_mut().skip(1) {
        line.push_str(if line.starts_with("P1,") {
            ",01.02.2024"
        } else {
            ","
        });
    }
    std::fs::write(files.join("patients.csv"), lines.join("\n") + "\n").unwrap();

    let mut store = Store::open(&dir.path().join("r.db")).unwrap();
    import_dir(&mut store, &files, STRICT).unwrap();
    let flag = |store: &Store| {
        one(
            store,
            "SELECT palliative_since FROM patients WHERE id = 'P1'",
        )
    };
    assert_eq!(flag(&store).as_deref(), Some("2024-02-01"));
    assert_eq!(
        one(
            &store,
            "SELECT palliative_since FROM patients WHERE id = 'P2'"
        ),
        None
    );
    // A later file without the column keeps what the register holds.
    std::fs::write(files.join("patients.csv"), pat).unwrap();
    import_dir(&mut store, &files, STRICT).unwrap();
    assert_eq!(flag(&store).as_deref(), Some("2024-02-01"));
    assert_eq!(
        one(
            &store,
            "SELECT principal_dx FROM encounters WHERE id = 'E1'"
        )
        .as_deref(),
        Some("C18.7"),
        "folded to a Latin C"
    );
    assert_eq!(
        one(
            &store,
            "SELECT principal_dx FROM encounters WHERE id = 'E2'"
        ),
        None
    );
    assert_eq!(
        one(
            &store,
            "SELECT enrolled_on FROM enrolments WHERE patient_id = 'P2'"
        )
        .as_deref(),
        Some("2016-05-01"),
        "a diabetes code with a Cyrillic letter enrols"
    );
    assert_eq!(
        one(
            &store,
            "SELECT group_concat(code) FROM diagnoses WHERE patient_id = 'P2' AND system = 'icd10'"
        )
        .as_deref(),
        Some("E11.9"),
        "stored folded to a Latin E"
    );
    // E1 (cancer treatment) is no index stay of the readmission measure.
    let as_of = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
    let period = acodesk::domain::readmission::ReadmissionPeriod {
        from: chrono::NaiveDate::from_ymd_opt(2023, 1, 1).unwrap(),
        to: as_of,
        as_of,
    };
    let view = compute(store.conn(), &period, &Population::All, 10).unwrap();
    assert!(
        view.summary
            .outcomes
            .iter()
            .all(|o| o.index.last_encounter_id != "E1"),
        "{:?}",
        view.summary.outcomes
    );
}

#[test]
fn fhir_rank_one_diagnosis_is_the_principal_diagnosis() {
    let bundle = r#"{
  "resourceType": "Bundle", "type": "transaction",
  "entry": [
    {"fullUrl": "urn:uuid:p1", "resource": {"resourceType": "Patient", "id": "p1",
      "name": [{"family": "Петров", "given": ["Иван"]}], "gender": "male", "birthDate": "1950-01-01"}},
    {"fullUrl": "urn:uuid:h1", "resource": {"resourceType": "Organization", "id": "h1", "name": "Больница"}},
    {"fullUrl": "urn:uuid:c1", "resource": {"resourceType": "Condition", "id": "c1",
      "subject": {"reference": "urn:uuid:p1"}, "onsetDateTime": "2024-03-01",
      "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10", "code": "F20.0"}]}}},
    {"fullUrl": "urn:uuid:c2", "resource": {"resourceType": "Condition", "id": "c2",
      "subject": {"reference": "urn:uuid:p1"}, "onsetDateTime": "2024-03-01",
      "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10", "code": "I10"}]}}},
    {"fullUrl": "urn:uuid:c3", "resource": {"resourceType": "Condition", "id": "c3",
      "subject": {"reference": "urn:uuid:p1"}, "onsetDateTime": "2020-01-01",
      "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10", "code": "Е11.9"}]}}},
    {"fullUrl": "urn:uuid:c4", "resource": {"resourceType": "Condition", "id": "c4",
      "subject": {"reference": "urn:uuid:p1"}, "onsetDateTime": "2020-01-01",
      "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10", "code": "E11.9"}]}}},
    {"fullUrl": "urn:uuid:e1", "resource": {"resourceType": "Encounter", "id": "e1", "status": "finished",
      "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "IMP"},
      "subject": {"reference": "urn:uuid:p1"}, "serviceProvider": {"reference": "urn:uuid:h1"},
      "period": {"start": "2024-03-01T10:00:00", "end": "2024-03-10T10:00:00"},
      "diagnosis": [
        {"condition": {"reference": "urn:uuid:c2"}, "rank": 2},
        {"condition": {"reference": "urn:uuid:c1"}, "rank": 1}
      ]}},
    {"fullUrl": "urn:uuid:e2", "resource": {"resourceType": "Encounter", "id": "e2", "status": "finished",
      "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "IMP"},
      "subject": {"reference": "urn:uuid:p1"}, "serviceProvider": {"reference": "urn:uuid:h1"},
      "actualPeriod": {"start": "2024-05-01T10:00:00", "end": "2024-05-03T10:00:00"},
      "diagnosis": [{"condition": [{"concept": {"coding": [
        {"system": "http://hl7.org/fhir/sid/icd-10", "code": "К70.3"}]}}], "rank": 1}]}},
    {"fullUrl": "urn:uuid:e3", "resource": {"resourceType": "Encounter", "id": "e3", "status": "finished",
      "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB"},
      "subject": {"reference": "urn:uuid:p1"},
      "period": {"start": "2024-06-01T10:00:00", "end": "2024-06-01T10:30:00"},
      "diagnosis": [{"condition": {"reference": "urn:uuid:c2"}}]}}
  ]
}"#;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bundle.json");
    std::fs::write(&file, bundle).unwrap();
    let mut store = Store::open(&dir.path().join("r.db")).unwrap();
    import_fhir(&mut store, &[file], STRICT).unwrap();
    let dx = |id: &str| {
        store
            .conn()
            .query_row(
                "SELECT principal_dx FROM encounters WHERE id = ?1",
                [id],
                |r| r.get::<_, Option<String>>(0),
            )
            .unwrap()
    };
    assert_eq!(dx("e1").as_deref(), Some("F20.0"), "the rank-1 Condition");
    assert_eq!(
        dx("e2").as_deref(),
        Some("K70.3"),
        "an inline R5 concept, Cyrillic К folded"
    );
    assert_eq!(dx("e3"), None, "no rank 1");
    // A Condition coded "Е11.9" with a Cyrillic Е is stored folded: with its Latin twin of the
    // same onset it is one diagnosis, one row.
    let diabetes: Vec<String> = store
        .conn()
        .prepare("SELECT code FROM diagnoses WHERE patient_id = 'p1' AND onset_date = '2020-01-01'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(diabetes, vec!["E11.9".to_string()]);
}
