//! `import_fhir` on the shared Synthea FHIR Bundles (when present), compared with the same
//! patients imported from Synthea's CSV export, and on small hand-written Bundles and NDJSON.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use acodesk::import::csv_dir::ImportOptions;
use acodesk::import::fhir::import_fhir;
use acodesk::import::summary::ImportSummary;
use acodesk::import::synthea::import_synthea;
use acodesk::store::Store;
use proptest::prelude::*;
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures/fhir").join(name)
}

fn store(dir: &Path) -> Store {
    Store::open(&dir.join("register.db")).unwrap()
}

fn count(store: &Store, sql: &str) -> i64 {
    store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

fn text(store: &Store, sql: &str) -> String {
    store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

fn nothing_new(summary: &ImportSummary) {
    for (table, c) in &summary.tables {
        assert_eq!(
            (c.inserted, c.updated),
            (0, 0),
            "{table}: a second import must change nothing"
        );
    }
}

const SKIP: ImportOptions = ImportOptions {
    skip_bad_rows: false,
};

/// (encounters, billed cost in cents) per patient, for the patients of a FHIR import.
fn per_patient(store: &Store, ids: &[String]) -> Vec<(i64, i64)> {
    ids.iter()
        .map(|id| {
            store
                .conn()
                .query_row(
                    "SELECT count(*), coalesce(sum(cost_minor), 0) FROM encounters WHERE patient_id = ?1",
                    [id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .unwrap()
        })
        .collect()
}

#[test]
fn imports_the_shared_synthea_bundles_like_the_csv_export() {
    let fhir = root().join("../shared/data/synthea-fhir");
    let csv = root().join("../shared/data/synthea-59");
    if !fhir.is_dir() {
        eprintln!("note: {} is absent, test skipped", fhir.display());
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut reg = store(dir.path());
    let s = import_fhir(&mut reg, std::slice::from_ref(&fhir), SKIP).unwrap();
    assert_eq!(count(&reg, "SELECT count(*) FROM patients"), 3);
    assert_eq!(s.count("patients").inserted, 3);
    assert_eq!(s.touched_patients, 3);
    assert_eq!(s.count("organizations").inserted, 173);
    assert_eq!(s.count("practitioners").unchanged, 173);
    assert!(s.count("skipped").unchanged > 0, "{s:?}");
    let encounters = count(&reg, "SELECT count(*) FROM encounters");
    assert_eq!(
        encounters, 55,
        "16 + 35 + 4 encounters in the three Bundles"
    );
    assert!(count(&reg, "SELECT count(*) FROM observations") > 0);
    let bp = count(
        &reg,
        "SELECT count(*) FROM observations WHERE kind IN ('systolic', 'diastolic')",
    );
    assert!(
        bp > 0,
        "blood-pressure panels give systolic and diastolic values"
    );
    assert_eq!(
        count(
            &reg,
            "SELECT count(*) FROM encounters WHERE organization_id IS NULL"
        ),
        0,
        "every serviceProvider's conditional reference resolves to the hospital Bundle"
    );
    assert_eq!(
        count(
            &reg,
            "SELECT count(*) FROM claim_lines WHERE id LIKE 'Claim/%'"
        ),
        0,
        "every Synthea Claim has its ExplanationOfBenefit, which wins"
    );
    assert!(count(&reg, "SELECT count(*) FROM claim_lines") > 0);
    assert!(
        s.warnings.iter().any(|w| w.contains("Claims were skipped")),
        "{:?}",
        s.warnings
    );
    let names = text(
        &reg,
        "SELECT group_concat(family_name || ' ' || given_name, ', ') FROM (SELECT * FROM patients ORDER BY family_name)",
    );
    assert_eq!(names, "Mills Gerardo, Russel Autumn, Vela Jorge Luis");

    let again = import_fhir(&mut reg, &[fhir], SKIP).unwrap();
    nothing_new(&again);
    assert_eq!(again.count("patients").unchanged, 3);
    assert!(
        !again.warnings.iter().any(|w| w.contains("removed")),
        "{:?}",
        again.warnings
    );

    if !csv.is_dir() {
        eprintln!("note: {} is absent, comparison skipped", csv.display());
        return;
    }
    let other = tempfile::tempdir().unwrap();
    let mut from_csv = store(other.path());
    import_synthea(&mut from_csv, &csv, SKIP).unwrap();
    let ids: Vec<String> = {
        let mut stmt = reg
            .conn()
            .prepare("SELECT id FROM patients ORDER BY id")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
    };
    // The same patients (same ids in both exports), the same number of encounters, and the same
    // billed cost: the FHIR Claim's total is the CSV's TOTAL_CLAIM_COST. Encounter ids and times
    // differ between the two exports (the CSV writes UTC, the Bundles local time with an offset,
    // kept as written), so encounters are compared by count and cost, not one by one.
    assert_eq!(per_patient(&reg, &ids), per_patient(&from_csv, &ids));
    // The blood-pressure readings match too (the CSV has one row per component).
    let bp_of = |s: &Store, kind: &str| -> i64 {
        ids.iter()
            .map(|id| {
                s.conn()
                    .query_row(
                        "SELECT count(*) FROM observations WHERE patient_id = ?1 AND kind = ?2",
                        [id.as_str(), kind],
                        |r| r.get::<_, i64>(0),
                    )
                    .unwrap()
            })
            .sum()
    };
    for kind in ["systolic", "diastolic", "weight"] {
        assert_eq!(bp_of(&reg, kind), bp_of(&from_csv, kind), "{kind}");
    }
}

#[test]
fn imports_a_bulk_ndjson_export_in_dependency_order() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = store(dir.path());
    let s = import_fhir(&mut reg, &[fixture("bulk")], SKIP).unwrap();
    assert_eq!(s.count("patients").inserted, 2);
    assert_eq!(s.count("organizations").inserted, 2);
    assert_eq!(
        s.count("encounters").inserted,
        4,
        "the entered-in-error one is skipped"
    );
    assert_eq!(s.count("claims").inserted, 4);
    assert_eq!(s.enrolled, 1, "E11.9 enrols Ivanov");

    let ivanov = reg
        .conn()
        .query_row(
            "SELECT family_name, given_name, patronymic, sex, policy_number, snils, phone, phone2, locality, address, site_id, status
             FROM patients WHERE id = 'p-ivanov'",
            [],
            |r| {
                Ok((0..12)
                    .map(|i| r.get::<_, Option<String>>(i).unwrap().unwrap_or_default())
                    .collect::<Vec<_>>())
            },
        )
        .unwrap();
    assert_eq!(
        ivanov,
        [
            "Иванов",
            "Пётр",
            "Ильич",
            "M",
            "6655443322110099",
            "123-456-789 01",
            "+7 912 000-00-01",
            "+7 343 000-00-02",
            "Екатеринбург",
            "ул. Ленина, д. 1, кв. 2",
            "org-poly",
            "active"
        ]
    );
    let smith = text(
        &reg,
        "SELECT family_name || '|' || given_name || '|' || birth_date || '|' || death_date || '|' || status || '|' || coalesce(site_id, '-') FROM patients WHERE id = 'p-smith'",
    );
    assert_eq!(smith, "Smith|Anna|1961-01-01|2024-05-01|dead|-");
    let kinds = text(
        &reg,
        "SELECT group_concat(id || ':' || kind, ',') FROM (SELECT * FROM organizations ORDER BY id)",
    );
    assert_eq!(kinds, "org-gkb1:hospital,org-poly:other");

    let enc = text(
        &reg,
        "SELECT group_concat(id || '|' || class || '|' || start_at || '|' || coalesce(end_at, '-') || '|' || planned || '|' || coalesce(disposition, '-'), ' ; ')
         FROM (SELECT * FROM encounters ORDER BY id)",
    );
    assert_eq!(
        enc,
        "enc-1|inpatient|2024-03-01T10:00:00|2024-03-05T12:00:00|1|ama ; \
         enc-2|emergency|2024-03-20T23:30:00|2024-03-21T02:00:00|0|- ; \
         enc-3|outpatient|2024-04-02T09:00:00|-|0|- ; \
         enc-4|home|2024-04-10T00:00:00|-|0|-"
    );
    let lines = text(
        &reg,
        "SELECT group_concat(id || '|' || service_date || '|' || paid_minor || '|' || category || '|' || coalesce(organization_id, '-') || '|' || coalesce(encounter_id, '-'), ' ; ')
         FROM (SELECT * FROM claim_lines ORDER BY id)",
    );
    assert_eq!(
        lines,
        "ExplanationOfBenefit/eob-1/1|2024-03-01|4200050|inpatient|org-gkb1|enc-1 ; \
         ExplanationOfBenefit/eob-1/2|2024-03-02|80000|inpatient|org-gkb1|enc-1 ; \
         ExplanationOfBenefit/eob-2/1|2024-04-02|150000|outpatient|org-poly|enc-3 ; \
         ExplanationOfBenefit/eob-3|2024-04-03|25075|drugs|-|-"
    );
    let diagnoses = text(
        &reg,
        "SELECT group_concat(patient_id || ':' || system || ':' || code, ',') FROM (SELECT * FROM diagnoses ORDER BY 1, 2, 3)",
    );
    assert_eq!(
        diagnoses, "p-ivanov:icd10:E11.9,p-smith:icd10:I10,p-smith:snomed:59621000",
        "the refuted condition is skipped; hypertension gets its ICD-10 twin"
    );
    assert!(
        s.warnings
            .iter()
            .any(|w| w.contains("org-gone") || w.contains("organizations neither")),
        "{:?}",
        s.warnings
    );

    let again = import_fhir(&mut reg, &[fixture("bulk")], SKIP).unwrap();
    nothing_new(&again);
}

#[test]
fn a_blood_pressure_panel_and_an_hba1c_in_mmol_per_mol() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = store(dir.path());
    let s = import_fhir(&mut reg, &[fixture("observations.json")], SKIP).unwrap();
    assert_eq!(s.count("observations").inserted, 4);
    assert_eq!(
        s.count("observations").unchanged,
        2,
        "heart rate and the absent value"
    );
    let rows = text(
        &reg,
        "SELECT group_concat(id || '|' || kind || '|' || loinc || '|' || value || '|' || unit || '|' || date || '|' || patient_id, ' ; ')
         FROM (SELECT * FROM observations ORDER BY id)",
    );
    assert_eq!(
        rows,
        "bp-1/8462-4|diastolic|8462-4|92.0|mm[Hg]|2024-02-01|11111111-1111-4111-8111-111111111111 ; \
         bp-1/8480-6|systolic|8480-6|145.0|mm[Hg]|2024-02-01|11111111-1111-4111-8111-111111111111 ; \
         glu-1|glucose|2345-7|10.0|mmol/L|2024-02-02|11111111-1111-4111-8111-111111111111 ; \
         hba1c-1|hba1c|4548-4|7.0|%|2024-02-01|11111111-1111-4111-8111-111111111111"
    );
    assert_eq!(
        text(&reg, "SELECT patronymic FROM patients"),
        "Сергеевна",
        "a Patient without id takes its fullUrl's uuid"
    );
}

#[test]
fn the_explanation_of_benefit_wins_over_its_claim() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = store(dir.path());
    let s = import_fhir(&mut reg, &[fixture("claim_and_eob.json")], SKIP).unwrap();
    assert_eq!(s.count("claims").inserted, 2);
    assert_eq!(
        s.count("claims").unchanged,
        2,
        "the institutional and the pharmacy Claim"
    );
    let lines = text(
        &reg,
        "SELECT group_concat(id || '|' || paid_minor || '|' || category || '|' || organization_id || '|' || encounter_id, ' ; ')
         FROM (SELECT * FROM claim_lines ORDER BY id)",
    );
    assert_eq!(
        lines,
        "ExplanationOfBenefit/eob-c1/2|24000|outpatient|org-clinic|enc-c1 ; \
         ExplanationOfBenefit/eob-c1/3|9600|outpatient|org-clinic|enc-c1"
    );
    assert_eq!(
        count(
            &reg,
            "SELECT cost_minor FROM encounters WHERE id = 'enc-c1'"
        ),
        50000,
        "the encounter's cost is the institutional Claim's billed total"
    );
    assert_eq!(
        count(&reg, "SELECT sum(paid_minor) FROM claim_month_totals"),
        33600
    );

    // An earlier import of the Claim alone is replaced when its EOB arrives.
    let dir = tempfile::tempdir().unwrap();
    let mut reg = store(dir.path());
    let bundle: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("claim_and_eob.json")).unwrap())
            .unwrap();
    let mut first = bundle.clone();
    first["entry"]
        .as_array_mut()
        .unwrap()
        .retain(|e| e["resource"]["resourceType"] != "ExplanationOfBenefit");
    let path = dir.path().join("claims-first.json");
    std::fs::write(&path, first.to_string()).unwrap();
    import_fhir(&mut reg, &[path], SKIP).unwrap();
    assert_eq!(
        count(
            &reg,
            "SELECT count(*) FROM claim_lines WHERE id LIKE 'Claim/%'"
        ),
        3
    );
    let s = import_fhir(&mut reg, &[fixture("claim_and_eob.json")], SKIP).unwrap();
    assert_eq!(
        count(
            &reg,
            "SELECT count(*) FROM claim_lines WHERE id LIKE 'Claim/%'"
        ),
        0
    );
    assert_eq!(
        count(&reg, "SELECT sum(paid_minor) FROM claim_month_totals"),
        33600
    );
    assert!(
        s.warnings
            .iter()
            .any(|w| w.starts_with("3 claim lines of earlier imports were removed")),
        "{:?}",
        s.warnings
    );
}

#[test]
fn unknown_resource_types_are_skipped_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = store(dir.path());
    let s = import_fhir(&mut reg, &[fixture("unknown_type.ndjson")], SKIP).unwrap();
    assert_eq!(s.count("patients").inserted, 1);
    assert_eq!(s.count("skipped").unchanged, 3);
    assert!(
        s.warnings
            .iter()
            .any(|w| w.ends_with("1 Basic, 1 FooBar, 1 MedicationRequest")),
        "{:?}",
        s.warnings
    );
}

#[test]
fn a_malformed_line_refuses_the_whole_import() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = store(dir.path());
    let err = import_fhir(&mut reg, &[fixture("malformed.ndjson")], SKIP).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("malformed.ndjson:3: is not valid JSON"),
        "{text}"
    );
    assert!(
        text.ends_with("expected one FHIR resource per line"),
        "{text}"
    );
    assert_eq!(
        count(&reg, "SELECT count(*) FROM patients"),
        0,
        "nothing imported"
    );
    assert_eq!(count(&reg, "SELECT count(*) FROM encounters"), 0);

    // With --skip-bad-rows the two good lines are kept and the bad one is rejected with its reason.
    std::fs::copy(
        fixture("malformed.ndjson"),
        dir.path().join("malformed.ndjson"),
    )
    .unwrap();
    let options = ImportOptions {
        skip_bad_rows: true,
    };
    let s = import_fhir(&mut reg, &[dir.path().join("malformed.ndjson")], options).unwrap();
    assert_eq!(s.count("patients").inserted, 1);
    assert_eq!(s.count("encounters").inserted, 1);
    assert_eq!(s.count("unreadable").rejected, 1);
    let rejects =
        std::fs::read_to_string(dir.path().join("malformed.ndjson.rejects.ndjson")).unwrap();
    let reject: serde_json::Value = serde_json::from_str(rejects.trim()).unwrap();
    assert_eq!(reject["at"], "3");
    assert!(
        reject["reason"]
            .as_str()
            .unwrap()
            .contains("is not valid JSON"),
        "{rejects}"
    );
    assert!(
        reject["line"]
            .as_str()
            .unwrap()
            .starts_with("{\"resourceType\":\"Observation\"")
    );
    // A folder import does not read reject files back.
    let again = import_fhir(&mut reg, &[dir.path().to_path_buf()], options).unwrap();
    nothing_new(&again);
}

#[test]
fn a_reference_to_an_unknown_patient_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = store(dir.path());
    let err = import_fhir(&mut reg, &[fixture("unknown_patient.ndjson")], SKIP).unwrap_err();
    assert!(
        err.to_string().ends_with(
            "unknown_patient.ndjson:1:Encounter.subject: \"Patient/nobody\" is not a known patient: expected a Patient of this import or already in the register"
        ),
        "{err}"
    );
}

#[test]
fn bundle_errors_name_the_entry_and_the_fhir_path() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bundle.json");
    let bundle = serde_json::json!({"resourceType": "Bundle", "type": "collection", "entry": [
        {"resource": {"resourceType": "Patient", "id": "p1", "name": [{"family": "A"}], "birthDate": "1950-01-01"}},
        {"resource": {"resourceType": "Encounter", "id": "e1", "class": {"code": "AMB"},
            "subject": {"reference": "Patient/p1"}, "period": {"start": "2021-13-01"}}},
        {"resource": {"resourceType": "Observation", "id": "o1", "subject": {"reference": "Patient/p1"},
            "code": {"coding": [{"system": "http://loinc.org", "code": "4548-4"}]},
            "effectiveDateTime": "2021-01-01", "valueQuantity": {"value": 90, "unit": "%"}}}
    ]});
    std::fs::write(&path, serde_json::to_string_pretty(&bundle).unwrap()).unwrap();
    let mut reg = store(dir.path());
    let err = import_fhir(&mut reg, std::slice::from_ref(&path), SKIP)
        .unwrap_err()
        .to_string();
    assert!(
        err.ends_with("bundle.json:entry[1]:Encounter.period.start: \"2021-13-01\" is not a date like 2024-03-05 or 05.03.2024"),
        "{err}"
    );
    let s = import_fhir(
        &mut reg,
        &[path],
        ImportOptions {
            skip_bad_rows: true,
        },
    )
    .unwrap();
    assert_eq!(
        (
            s.count("encounters").rejected,
            s.count("observations").rejected
        ),
        (1, 1)
    );
    let rejects = std::fs::read_to_string(dir.path().join("bundle.json.rejects.ndjson")).unwrap();
    assert!(
        rejects.contains(
            "entry[2]:Observation.valueQuantity.value: 90 % is not a plausible hba1c value"
        ),
        "{rejects}"
    );

    std::fs::write(
        dir.path().join("broken.json"),
        "{\n  \"resourceType\": \"Bundle\",\n  \"entry\": [\n",
    )
    .unwrap();
    let err = import_fhir(&mut reg, &[dir.path().join("broken.json")], SKIP)
        .unwrap_err()
        .to_string();
    assert!(err.contains("broken.json:4:0: is not valid JSON"), "{err}");
}

const TEMPLATES: &[&str] = &[
    r#"{"resourceType":"Patient","id":"p1","name":[{"family":"Ivanov7","given":["Ivan","Ivanovich"]}],"gender":"male","birthDate":"1950-02-03","deceasedDateTime":"2020-01-01"}"#,
    r#"{"resourceType":"Organization","id":"o1","name":"City Hospital","address":[{"state":"X"}]}"#,
    r#"{"resourceType":"Encounter","id":"e1","class":{"code":"IMP"},"subject":{"reference":"Patient/p1"},"period":{"start":"2021-01-01T10:00:00+03:00","end":"2021-01-05"},"serviceProvider":{"reference":"Organization/o1"},"hospitalization":{"dischargeDisposition":{"coding":[{"code":"home"}]}}}"#,
    r#"{"resourceType":"Condition","id":"c1","subject":{"reference":"Patient/p1"},"code":{"coding":[{"system":"http://snomed.info/sct","code":"44054006"}]},"onsetDateTime":"2010-01-01"}"#,
    r#"{"resourceType":"Observation","id":"b1","subject":{"reference":"Patient/p1"},"encounter":{"reference":"Encounter/e1"},"code":{"coding":[{"system":"http://loinc.org","code":"85354-9"}]},"effectiveDateTime":"2021-01-02","component":[{"code":{"coding":[{"system":"http://loinc.org","code":"8480-6"}]},"valueQuantity":{"value":130,"unit":"mm[Hg]"}}]}"#,
    r#"{"resourceType":"ExplanationOfBenefit","id":"x1","type":{"coding":[{"code":"institutional"}]},"patient":{"reference":"Patient/p1"},"claim":{"reference":"Claim/k1"},"billablePeriod":{"start":"2021-01-01"},"item":[{"sequence":1,"encounter":[{"reference":"Encounter/e1"}],"adjudication":[{"category":{"coding":[{"code":"benefit"}]},"amount":{"value":10.5}}]}],"payment":{"amount":{"value":10.5}}}"#,
    r#"{"resourceType":"Claim","id":"k1","type":{"coding":[{"code":"professional"}]},"patient":{"reference":"Patient/p1"},"created":"2021-01-01","item":[{"sequence":1,"net":{"value":20}}],"total":{"value":20}}"#,
    r#"{"resourceType":"Bundle","type":"collection","entry":[{"fullUrl":"urn:uuid:a","resource":{"resourceType":"Patient","name":[{"family":"B"}],"birthDate":"1960"}}]}"#,
];

fn mutate(line: &str, edits: &[(usize, u8, u8)]) -> Vec<u8> {
    let mut bytes = line.as_bytes().to_vec();
    for &(at, op, byte) in edits {
        if bytes.is_empty() {
            bytes.push(byte);
            continue;
        }
        let i = at % bytes.len();
        match op % 4 {
            0 => bytes[i] = byte,
            1 => {
                bytes.remove(i);
            }
            2 => bytes.insert(i, byte),
            _ => bytes.truncate(i),
        }
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, ..ProptestConfig::default() })]

    /// Random and mutated NDJSON never panics: it imports, or fails with a located error.
    #[test]
    fn mutated_ndjson_never_panics(
        lines in prop::collection::vec(
            (0..TEMPLATES.len(), prop::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 0..4)),
            1..10,
        ),
        noise in prop::collection::vec(any::<u8>(), 0..64),
        skip in any::<bool>(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let mut file = Vec::new();
        for (t, edits) in &lines {
            file.extend(mutate(TEMPLATES[*t], edits));
            file.push(b'\n');
        }
        file.extend(&noise);
        let path = dir.path().join("bulk.ndjson");
        std::fs::write(&path, &file).unwrap();
        // The first mutated line alone is also read as a whole .json file (a Bundle or a resource).
        let json = dir.path().join("bulk.json");
        std::fs::write(&json, file.split(|b| *b == b'\n').next().unwrap_or(&[])).unwrap();
        let mut reg = store(dir.path());
        match import_fhir(&mut reg, &[json, path], ImportOptions { skip_bad_rows: skip }) {
            Ok(_) => {}
            Err(e) => prop_assert!(e.to_string().contains("bulk."), "{e}"),
        }
    }
}
