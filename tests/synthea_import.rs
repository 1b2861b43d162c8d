//! `import_synthea` on the shared Synthea export (when present) and on hand-written exports in the
//! column sets of older and newer Synthea versions.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use acodesk::domain::readmission::ReadmissionPeriod;
use acodesk::import::csv_dir::ImportOptions;
use acodesk::import::fhir::import_fhir;
use acodesk::import::synthea::import_synthea;
use acodesk::store::Store;
use acodesk::store::import_summary::ImportSummary;
use acodesk::store::views::readmissions::{Population, compute};
use chrono::{Days, NaiveDate};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

fn synthea_59() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/synthea-59")
}

fn count(store: &Store, sql: &str) -> i64 {
    store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

/// The rows of a CSV file as maps from upper-cased column name to value.
fn records(path: &Path) -> Vec<HashMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let headers: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(|h| h.to_ascii_uppercase())
        .collect();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            headers
                .iter()
                .cloned()
                .zip(r.iter().map(str::to_string))
                .collect()
        })
        .collect()
}

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(&text[..10], "%Y-%m-%d").unwrap()
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

/// The 30-day rule as CMS's hospital-wide measure and the Tuva Project apply it, recomputed from
/// the raw files independently of the crate: per patient the inpatient stays sorted by admission
/// are joined into episodes (a stay beginning on or before the episode's discharge date, or the
/// next day at another organization, extends it); an index episode is discharged within
/// `from..=to` with the patient alive at discharge; it is readmitted when the NEXT episode starts
/// 1–30 days after its discharge. Synthea writes no disposition, no planned flag and SNOMED
/// reason codes (no principal ICD-10 diagnosis), so those clauses exclude nothing here.
/// Returns (index stays, readmissions).
fn recompute_readmissions(dir: &Path, from: NaiveDate, to: NaiveDate) -> (u64, u64) {
    let deaths: HashMap<String, Option<NaiveDate>> = records(&dir.join("patients.csv"))
        .into_iter()
        .map(|p| {
            let death = p
                .get("DEATHDATE")
                .filter(|d| !d.is_empty())
                .map(|d| date(d));
            (p["ID"].clone(), death)
        })
        .collect();
    // patient → (admitted, discharged, organization, id)
    type RawStay = (NaiveDate, Option<NaiveDate>, String, String);
    let mut stays: BTreeMap<String, Vec<RawStay>> = BTreeMap::new();
    for e in records(&dir.join("encounters.csv")) {
        if !e["ENCOUNTERCLASS"].eq_ignore_ascii_case("inpatient") {
            continue;
        }
        let stop = e.get("STOP").filter(|s| !s.is_empty()).map(|s| date(s));
        let org = e
            .get("ORGANIZATION")
            .or_else(|| e.get("PROVIDER"))
            .cloned()
            .unwrap_or_default();
        stays.entry(e["PATIENT"].clone()).or_default().push((
            date(&e["START"]),
            stop,
            org,
            e["ID"].clone(),
        ));
    }
    let (mut index, mut readmitted) = (0, 0);
    for (patient, mut list) in stays {
        list.sort_by(|a, b| {
            // Still in hospital sorts last among equal admissions.
            let dis = |s: &RawStay| s.1.unwrap_or(NaiveDate::MAX);
            (a.0, dis(a), &a.3).cmp(&(b.0, dis(b), &b.3))
        });
        // (admitted, discharged, organization)
        let mut episodes: Vec<(NaiveDate, Option<NaiveDate>, String)> = Vec::new();
        for (admitted, discharged, org, _) in list {
            if let Some(cur) = episodes.last_mut() {
                // CMS/Tuva: an overlap, a same-day continuation or transfer, or a next-day
                // admission at another organization (a transfer) joins the episode, which then
                // ends with the stay that ends last.
                let extends = match cur.1 {
                    None => true,
                    Some(d) => admitted <= d || (d.succ_opt() == Some(admitted) && org != cur.2),
                };
                if extends {
                    let ends_later = match (cur.1, discharged) {
                        (_, None) => true,
                        (None, Some(_)) => false,
                        (Some(a), Some(b)) => b >= a,
                    };
                    if ends_later {
                        cur.1 = discharged;
                        cur.2 = org;
                    }
                    continue;
                }
            }
            episodes.push((admitted, discharged, org));
        }
        let death = deaths.get(&patient).copied().flatten();
        for (i, ep) in episodes.iter().enumerate() {
            let Some(dis) = ep.1 else { continue };
            if dis < from || dis > to || death.is_some_and(|d| d <= dis) {
                continue;
            }
            index += 1;
            // Only the next episode counts (Synthea marks no admission planned).
            if episodes
                .get(i + 1)
                .is_some_and(|r| (1..=30).contains(&(r.0 - dis).num_days()))
            {
                readmitted += 1;
            }
        }
    }
    (index, readmitted)
}

/// Runs the crate's rule over every patient with every window closed; (index stays, readmissions).
fn crate_readmissions(store: &Store, from: NaiveDate, as_of: NaiveDate) -> (u64, u64) {
    let period = ReadmissionPeriod {
        from,
        to: as_of,
        as_of,
    };
    let view = compute(store.conn(), &period, &Population::All, 10).unwrap();
    assert_eq!(view.summary.open_windows, 0);
    (view.summary.index_stays, view.summary.readmissions)
}

#[test]
fn imports_the_shared_synthea_export() {
    let dir = synthea_59();
    if !dir.join("patients.csv").is_file() {
        println!(
            "note: {} is not there; the Synthea export test was skipped",
            dir.display()
        );
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let mut store = Store::open(&tmp.path().join("r.db")).unwrap();
    let first = import_synthea(&mut store, &dir, ImportOptions::default()).unwrap();

    let patients = records(&dir.join("patients.csv"));
    let encounters = records(&dir.join("encounters.csv"));
    assert_eq!(
        count(&store, "SELECT count(*) FROM patients"),
        patients.len() as i64
    );
    assert_eq!(
        count(&store, "SELECT count(*) FROM encounters"),
        encounters.len() as i64
    );
    assert_eq!(first.count("patients").inserted, patients.len() as u64);
    assert_eq!(first.touched_patients, patients.len() as u64);
    // One claim line per encounter (PAYER_COVERAGE) and one `drugs` line per prescription of
    // medications.csv (its PAYER_COVERAGE): the export has no claims_transactions.csv.
    let medications = records(&dir.join("medications.csv"));
    let claims = first.count("claims");
    assert_eq!(
        claims.inserted + claims.unchanged,
        (encounters.len() + medications.len()) as u64
    );
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM claim_lines WHERE category = 'drugs'"
        ),
        count(
            &store,
            "SELECT count(*) FROM claim_lines WHERE id LIKE 'SYN-MED-%'"
        )
    );
    assert!(
        count(
            &store,
            "SELECT count(*) FROM claim_lines WHERE category = 'drugs'"
        ) > 0
    );
    let hba1c = count(
        &store,
        "SELECT count(*) FROM observations WHERE kind = 'hba1c'",
    );
    assert!(hba1c > 0, "HbA1c results are imported");
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM observations WHERE kind = 'glucose' AND (value < 2 OR value > 10)"
        ),
        0,
        "Synthea's glucose (64–100 mg/dL) is converted to mmol/L"
    );
    assert!(first.enrolled >= 1, "the export has a diabetic patient");
    assert_eq!(
        count(&store, "SELECT count(DISTINCT patient_id) FROM enrolments"),
        first.enrolled as i64
    );
    assert!(
        count(
            &store,
            "SELECT count(*) FROM diagnoses WHERE system = 'icd10' AND code = 'E11.9'"
        ) >= 1
    );
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM patients WHERE family_name GLOB '*[0-9]*' OR given_name GLOB '*[0-9]*'"
        ),
        0,
        "Synthea's digits are gone from the names"
    );
    assert!(
        count(
            &store,
            "SELECT count(*) FROM organizations WHERE kind = 'hospital'"
        ) >= 1
    );
    let pilot = store.meta("pilot").unwrap().unwrap();
    assert!(pilot.contains("\"currency\":\"USD\""), "{pilot}");

    let second = import_synthea(&mut store, &dir, ImportOptions::default()).unwrap();
    nothing_new(&second);
    assert_eq!(second.count("patients").unchanged, patients.len() as u64);

    let last = encounters
        .iter()
        .flat_map(|e| [e["START"].as_str(), e["STOP"].as_str()])
        .filter(|d| !d.is_empty())
        .map(date)
        .max()
        .unwrap();
    let from = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap();
    let as_of = last.checked_add_days(Days::new(31)).unwrap();
    let expected = recompute_readmissions(&dir, from, as_of);
    let found = crate_readmissions(&store, from, as_of);
    println!(
        "synthea-59: {} patients, {} encounters, {hba1c} HbA1c, {} enrolled; readmissions: {} index stays, {} readmitted (independent: {} / {})",
        patients.len(),
        encounters.len(),
        first.enrolled,
        found.0,
        found.1,
        expected.0,
        expected.1
    );
    for (table, c) in &first.tables {
        println!(
            "  {table}: {} inserted, {} unchanged",
            c.inserted, c.unchanged
        );
    }
    assert!(expected.0 > 0, "the export has inpatient stays");
    assert_eq!(found, expected);
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

/// Two patients in the column sets of an old Synthea (v1/v2): encounters with PROVIDER naming the
/// organization and COST, no SYSTEM in conditions, no CATEGORY in observations, no claims files.
fn old_export(dir: &Path) {
    write(
        dir,
        "organizations.csv",
        "Id,NAME,ADDRESS,CITY,STATE,ZIP,PHONE,UTILIZATION\n\
         H1,GENERAL HOSPITAL,1 Main St,Springfield,MA,01101,555,10\n\
         C1,SUNNY FAMILY PRACTICE,2 Elm St,Springfield,MA,01101,555,10\n\
         L1,LAKESIDE CARE,3 Lake Rd,Springfield,MA,01101,555,1\n",
    );
    write(
        dir,
        "providers.csv",
        "Id,ORGANIZATION,NAME,GENDER,SPECIALITY,ADDRESS,CITY,STATE,ZIP,UTILIZATION\n\
         D1,H1,Gerardo48 Rentería94,M,GENERAL PRACTICE,1 Main St,Springfield,MA,01101,10\n",
    );
    write(
        dir,
        "patients.csv",
        "Id,BIRTHDATE,DEATHDATE,SSN,DRIVERS,PASSPORT,PREFIX,FIRST,LAST,SUFFIX,MAIDEN,MARITAL,RACE,ETHNICITY,GENDER,BIRTHPLACE,ADDRESS,CITY,STATE,ZIP\n\
         P1,1950-02-03,,999-1,,,Mr.,Jorge Luis88,Vela532,,,M,white,hispanic,M,Lima,12 Main St,Springfield,Massachusetts,01101\n\
         P2,1960-05-06,2021-06-01,999-2,,,Mrs.,Ann12,Smith34,,,M,white,nonhispanic,F,Boston,5 Oak Ave,Worcester,Massachusetts,01601\n",
    );
    write(
        dir,
        "encounters.csv",
        "Id,START,STOP,PATIENT,PROVIDER,ENCOUNTERCLASS,CODE,DESCRIPTION,COST,REASONCODE,REASONDESCRIPTION\n\
         E1,2020-01-01T08:00:00Z,2020-01-05T10:00:00Z,P1,H1,inpatient,1,Admission,1000.5049,,\n\
         E2,2020-01-15T23:30:00Z,2020-01-20T09:00:00Z,P1,H1,inpatient,1,Admission,2000,,\n\
         E3,2020-03-01T09:00:00Z,2020-03-01T09:30:00Z,P1,C1,wellness,1,Check-up,120.10,,\n\
         E4,2020-04-01T09:00:00Z,2020-04-01T10:00:00Z,P2,C1,ambulatory,1,Visit,80,,\n\
         E5,2021-05-20T09:00:00Z,2021-05-25T09:00:00Z,P2,L1,inpatient,1,Admission,5000,,\n",
    );
    write(
        dir,
        "conditions.csv",
        "START,STOP,PATIENT,ENCOUNTER,CODE,DESCRIPTION\n\
         2010-06-01,,P1,E3,44054006,Diabetes\n\
         2015-01-01,,P2,E4,59621000,Hypertension\n",
    );
    write(
        dir,
        "observations.csv",
        "DATE,PATIENT,ENCOUNTER,CODE,DESCRIPTION,VALUE,UNITS,TYPE\n\
         2020-03-01T09:00:00Z,P1,E3,4548-4,Hemoglobin A1c,7.9,%,numeric\n\
         2020-03-01T09:00:00Z,P1,E3,2339-0,Glucose,180.16,mg/dL,numeric\n\
         2020-03-01T09:00:00Z,P1,E3,72166-2,Tobacco smoking status,Never smoker,,text\n\
         2020-03-01T09:00:00Z,P1,E3,2947-0,Sodium,140.1,mmol/L,numeric\n\
         2020-04-01T09:00:00Z,P2,,29463-7,Body Weight,70.5,kg,numeric\n",
    );
}

#[test]
fn imports_the_column_set_of_an_older_synthea() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("csv");
    std::fs::create_dir(&dir).unwrap();
    old_export(&dir);
    let mut store = Store::open(&tmp.path().join("r.db")).unwrap();
    let s = import_synthea(&mut store, &dir, ImportOptions::default()).unwrap();
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    assert_eq!(s.count("organizations").inserted, 3);
    assert_eq!(
        s.count("providers").unchanged,
        1,
        "physicians are not staff"
    );
    assert_eq!(s.count("patients").inserted, 2);
    assert_eq!(
        s.count("diagnoses").inserted,
        4,
        "two SNOMED, two ICD-10 twins"
    );
    assert_eq!(s.count("encounters").inserted, 5);
    assert_eq!(
        s.count("claims").inserted,
        5,
        "one claim line per encounter"
    );
    assert_eq!(s.count("observations").inserted, 3);
    assert_eq!(
        s.count("observations").unchanged,
        2,
        "smoking and sodium are skipped"
    );
    assert_eq!(
        s.enrolled, 2,
        "P1 in diabetes, P2 (SNOMED 59621000) in hypertension"
    );
    assert_eq!(
        store
            .conn()
            .query_row(
                "SELECT program_id || ' ' || enrolled_on FROM enrolments WHERE patient_id = 'P2'",
                [],
                |r| r.get::<_, String>(0)
            )
            .unwrap(),
        "hypertension 2015-01-01"
    );
    let names: (String, String, String, String) = store
        .conn()
        .query_row(
            "SELECT family_name, given_name, patronymic, status FROM patients WHERE id = 'P1'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!(
        names,
        (
            "Vela".into(),
            "Jorge Luis".into(),
            String::new(),
            "active".into()
        )
    );
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM patients WHERE id = 'P2' AND status = 'dead' AND death_date = '2021-06-01'"
        ),
        1
    );
    let kinds: Vec<String> = store
        .conn()
        .prepare("SELECT kind FROM organizations ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        kinds,
        ["other", "hospital", "hospital"],
        "C1, H1, L1 (inpatient stays)"
    );
    let e2: (String, String, i64) = store
        .conn()
        .query_row(
            "SELECT start_at, organization_id, cost_minor FROM encounters WHERE id = 'E2'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(e2, ("2020-01-15T23:30:00".into(), "H1".into(), 200000));
    assert_eq!(
        count(&store, "SELECT cost_minor FROM encounters WHERE id = 'E1'"),
        100050,
        "rounded to the cent"
    );
    assert_eq!(
        count(
            &store,
            "SELECT paid_minor FROM claim_lines WHERE encounter_id = 'E1' AND category = 'inpatient' AND service_date = '2020-01-01'"
        ),
        100050,
        "without PAYER_COVERAGE the claim pays the cost"
    );
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM claim_lines WHERE category = 'outpatient'"
        ),
        2
    );
    let glucose: (f64, Option<String>) = store
        .conn()
        .query_row(
            "SELECT value, site_id FROM observations WHERE kind = 'glucose'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(glucose, (10.0, Some("C1".into())));
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM observations WHERE kind = 'weight' AND site_id IS NULL"
        ),
        1
    );
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM diagnoses WHERE system = 'icd10' AND code IN ('E11.9', 'I10')"
        ),
        2
    );
    let pilot = store.meta("pilot").unwrap().unwrap();
    assert!(
        pilot.contains("Synthea import") && pilot.contains("USD"),
        "{pilot}"
    );

    let again = import_synthea(&mut store, &dir, ImportOptions::default()).unwrap();
    nothing_new(&again);
    assert_eq!(
        count(&store, "SELECT sum(paid_minor) FROM claim_month_totals"),
        100050 + 200000 + 12010 + 8000 + 500000,
        "re-import does not double the monthly totals"
    );

    // E1 is readmitted by E2 ten days later; E2's and E5's episodes are not.
    let from = NaiveDate::from_ymd_opt(2019, 1, 1).unwrap();
    let as_of = NaiveDate::from_ymd_opt(2022, 1, 31).unwrap();
    assert_eq!(crate_readmissions(&store, from, as_of), (3, 1));
    assert_eq!(recompute_readmissions(&dir, from, as_of), (3, 1));
}

#[test]
fn imports_the_columns_of_a_newer_synthea_with_claim_transactions() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("csv");
    std::fs::create_dir(&dir).unwrap();
    old_export(&dir);
    write(
        &dir,
        "patients.csv",
        "Id,BIRTHDATE,DEATHDATE,SSN,DRIVERS,PASSPORT,PREFIX,FIRST,MIDDLE,LAST,SUFFIX,MAIDEN,MARITAL,RACE,ETHNICITY,GENDER,BIRTHPLACE,ADDRESS,CITY,STATE,COUNTY,FIPS,ZIP,LAT,LON,HEALTHCARE_EXPENSES,HEALTHCARE_COVERAGE,INCOME\n\
         P1,1950-02-03,,999-1,,,Mr.,Jorge88,Luis77,Vela532,,,M,white,hispanic,M,Lima,12 Main St,Springfield,Massachusetts,Hampden County,25013,01101,42.1,-72.5,1000.5,2000.25,50000\n\
         P2,1960-05-06,2021-06-01,999-2,,,Mrs.,Ann12,,Smith34,,,M,white,nonhispanic,F,Boston,5 Oak Ave,Worcester,Massachusetts,Worcester County,25027,01601,42.2,-71.8,10.0,20.0,40000\n",
    );
    write(
        &dir,
        "encounters.csv",
        "Id,START,STOP,PATIENT,ORGANIZATION,PROVIDER,PAYER,ENCOUNTERCLASS,CODE,DESCRIPTION,BASE_ENCOUNTER_COST,TOTAL_CLAIM_COST,PAYER_COVERAGE,REASONCODE,REASONDESCRIPTION\n\
         E1,2020-01-01T08:00:00Z,2020-01-05T10:00:00Z,P1,H1,D1,PAY,inpatient,1,Admission,100,1000.00,800.00,,\n\
         E3,2020-03-01T09:00:00Z,2020-03-01T09:30:00Z,P1,C1,D1,PAY,virtual,1,Call,50,120.10,100.00,,\n",
    );
    write(
        &dir,
        "conditions.csv",
        "START,STOP,PATIENT,ENCOUNTER,SYSTEM,CODE,DESCRIPTION\n\
         2010-06-01,,P1,E3,SNOMED-CT,44054006,Diabetes\n\
         2012-06-01,,P2,,http://hl7.org/fhir/sid/icd-10-cm,I10,Essential hypertension\n\
         2013-06-01,,P2,,RxNorm,12345,Not a condition code\n",
    );
    write(
        &dir,
        "claims_transactions.csv",
        "ID,CLAIMID,CHARGEID,PATIENTID,TYPE,AMOUNT,METHOD,FROMDATE,TODATE,PLACEOFSERVICE,PROCEDURECODE,MODIFIER1,MODIFIER2,DIAGNOSISREF1,DIAGNOSISREF2,DIAGNOSISREF3,DIAGNOSISREF4,UNITS,DEPARTMENTID,NOTES,UNITAMOUNT,TRANSFEROUTID,TRANSFERTYPE,PAYMENTS,ADJUSTMENTS,TRANSFERS,OUTSTANDING,APPOINTMENTID,LINENOTE,PATIENTINSURANCEID,FEESCHEDULEID,PROVIDERID,SUPERVISINGPROVIDERID\n\
         T1,C-1,1,P1,CHARGE,1000.00,,2020-01-01T08:00:00Z,2020-01-05T10:00:00Z,H1,1,,,1,,,,1,1,,1000.00,,,,,,1000.00,E1,,,1,D1,D1\n\
         T2,C-1,1,P1,PAYMENT,,ECHECK,2020-01-01T08:00:00Z,2020-01-05T10:00:00Z,H1,1,,,1,,,,1,1,,,,,799.996,,,200.00,E1,,,1,D1,D1\n\
         T3,C-1,1,P1,TRANSFEROUT,,,2020-01-01T08:00:00Z,2020-01-05T10:00:00Z,H1,1,,,1,,,,1,1,,,T4,p,,,200.00,0,E1,,,1,D1,D1\n\
         T4,C-2,1,P1,PAYMENT,20.00,CASH,2020-03-01T09:00:00Z,2020-03-01T09:30:00Z,C1,1,,,1,,,,1,1,,,,,20.00,,,0,E3,,,1,D1,D1\n\
         T5,C-2,1,P1,PAYMENT,100.00,ECHECK,2020-03-01T09:00:00Z,2020-03-01T09:30:00Z,NOWHERE,1,,,1,,,,1,1,,,,,,,,0,E3,,,1,D1,D1\n\
         T6,C-2,1,P1,PAYMENT,,COPAY,2020-03-01T09:00:00Z,2020-03-01T09:30:00Z,C1,1,,,1,,,,1,1,,,,,10.00,,,0,E3,,,1,D1,D1\n",
    );
    let mut store = Store::open(&tmp.path().join("r.db")).unwrap();
    store
        .set_meta("pilot", r#"{"name":"Пилот","currency":"RUB"}"#)
        .unwrap();
    let s = import_synthea(&mut store, &dir, ImportOptions::default()).unwrap();
    assert_eq!(s.warnings.len(), 2, "{:?}", s.warnings);
    assert!(
        s.warnings[1].contains(
            "2 payments were made by patients (copays, cash, cheques, cards), not by the insurer"
        ),
        "{:?}",
        s.warnings
    );
    assert!(
        s.warnings[0]
            .contains("1 condition coded in a system other than SNOMED CT or ICD-10 was skipped"),
        "{:?}",
        s.warnings
    );
    assert_eq!(
        s.count("diagnoses").inserted,
        3,
        "SNOMED, its E11.9 twin, ICD-10 I10"
    );
    assert_eq!(
        s.count("diagnoses").unchanged,
        1,
        "the RxNorm row is skipped"
    );
    assert_eq!(
        (s.count("claims").inserted, s.count("claims").unchanged),
        (2, 4),
        "the insurer's payments become claim lines; the charge, the transfer, the patient's cash \
         and copay do not"
    );
    assert_eq!(
        count(
            &store,
            "SELECT patronymic = 'Luis' AND given_name = 'Jorge' FROM patients WHERE id = 'P1'"
        ),
        1
    );
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM encounters WHERE class = 'virtual' AND cost_minor = 12010"
        ),
        1
    );
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM claim_lines WHERE id LIKE 'SYN-CLAIM-%'"
        ),
        0,
        "no derived lines when transactions are present"
    );
    let t2: (i64, String, Option<String>, String) = store
        .conn()
        .query_row(
            "SELECT paid_minor, category, organization_id, service_date FROM claim_lines WHERE id = 'SYN-CT-T2'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!(
        t2,
        (
            80000,
            "inpatient".into(),
            Some("H1".into()),
            "2020-01-01".into()
        )
    );
    let t5: (i64, String, Option<String>) = store
        .conn()
        .query_row(
            "SELECT paid_minor, category, organization_id FROM claim_lines WHERE id = 'SYN-CT-T5'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(
        t5,
        (10000, "outpatient".into(), None),
        "AMOUNT when PAYMENTS is empty; unknown place dropped"
    );
    assert_eq!(
        store.meta("pilot").unwrap().unwrap(),
        r#"{"name":"Пилот","currency":"RUB"}"#,
        "an existing pilot description is kept"
    );
    nothing_new(&import_synthea(&mut store, &dir, ImportOptions::default()).unwrap());
}

#[test]
fn a_malformed_date_refuses_the_whole_import() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("csv");
    std::fs::create_dir(&dir).unwrap();
    old_export(&dir);
    let text = std::fs::read_to_string(dir.join("encounters.csv")).unwrap();
    write(
        &dir,
        "encounters.csv",
        &text.replace("2020-01-15T23:30:00Z", "2020-02-30T23:30:00Z"),
    );
    let mut store = Store::open(&tmp.path().join("r.db")).unwrap();
    let err = import_synthea(&mut store, &dir, ImportOptions::default()).unwrap_err();
    let text = err.to_string();
    assert!(
        text.ends_with(
            "encounters.csv:3:START: \"2020-02-30T23:30:00Z\" is not a date like 2024-03-05 or 05.03.2024"
        ),
        "{text}"
    );
    for table in [
        "organizations",
        "patients",
        "diagnoses",
        "encounters",
        "claim_lines",
        "meta",
    ] {
        let n = count(
            &store,
            &format!(
                "SELECT count(*) FROM {table} WHERE {}",
                if table == "meta" {
                    "key = 'pilot'"
                } else {
                    "1"
                }
            ),
        );
        assert_eq!(n, 0, "{table}: nothing was written");
    }

    // With skip_bad_rows the bad row goes to the reject file and the rest is kept.
    let s = import_synthea(
        &mut store,
        &dir,
        ImportOptions {
            skip_bad_rows: true,
        },
    )
    .unwrap();
    assert_eq!(s.count("encounters").rejected, 1);
    assert_eq!(s.count("encounters").inserted, 4);
    let rejects = std::fs::read_to_string(dir.join("encounters.csv.rejects.csv")).unwrap();
    assert!(
        rejects.lines().nth(1).unwrap().starts_with("3,START,"),
        "{rejects}"
    );

    // A header without a compulsory column names it.
    let patients = std::fs::read_to_string(dir.join("patients.csv")).unwrap();
    write(&dir, "patients.csv", &patients.replace("GENDER", "SEX"));
    let err = import_synthea(&mut store, &dir, ImportOptions::default()).unwrap_err();
    assert!(
        err.to_string()
            .contains("patients.csv:1:GENDER: the header has no \"GENDER\" column"),
        "{err}"
    );
}

/// One small Synthea v3 run: an inpatient stay and a visit paid by the insurer, a prescription
/// at the visit, and the patient's copay and cash; with `transactions`, its claims_transactions.csv.
fn money_export(dir: &Path, transactions: bool) {
    write(
        dir,
        "organizations.csv",
        "Id,NAME,ADDRESS,CITY,STATE,ZIP,LAT,LON,PHONE,REVENUE,UTILIZATION\n\
         H1,GENERAL HOSPITAL,1 Main St,Springfield,MA,01101,0,0,555,0,2\n",
    );
    write(
        dir,
        "patients.csv",
        "Id,BIRTHDATE,DEATHDATE,SSN,FIRST,LAST,GENDER,ADDRESS,CITY\n\
         P1,1950-02-03,,999-1,Jorge88,Vela532,M,12 Main St,Springfield\n",
    );
    write(
        dir,
        "encounters.csv",
        "Id,START,STOP,PATIENT,ORGANIZATION,PROVIDER,PAYER,ENCOUNTERCLASS,CODE,DESCRIPTION,BASE_ENCOUNTER_COST,TOTAL_CLAIM_COST,PAYER_COVERAGE,REASONCODE,REASONDESCRIPTION\n\
         E1,2020-01-01T08:00:00Z,2020-01-05T10:00:00Z,P1,H1,D1,PAY,inpatient,1,Admission,100,1000.00,800.00,,\n\
         E2,2020-02-01T09:00:00Z,2020-02-01T09:30:00Z,P1,H1,D1,PAY,ambulatory,1,Visit,50,110.00,90.00,,\n",
    );
    write(
        dir,
        "medications.csv",
        "START,STOP,PATIENT,PAYER,ENCOUNTER,CODE,DESCRIPTION,BASE_COST,PAYER_COVERAGE,DISPENSES,TOTALCOST,REASONCODE,REASONDESCRIPTION\n\
         2020-02-01T09:00:00Z,,P1,PAY,E2,860975,Metformin,10.00,50.00,12,120.00,44054006,Diabetes\n",
    );
    // A weight at the admission (07:30 UTC on 1 January, 23:30 on 31 December 2019 in the
    // Bundle's -08:00) and an HbA1c at the visit.
    write(
        dir,
        "observations.csv",
        "DATE,PATIENT,ENCOUNTER,CATEGORY,CODE,DESCRIPTION,VALUE,UNITS,TYPE\n\
         2020-01-01T07:30:00Z,P1,E1,vital-signs,29463-7,Body Weight,80.0,kg,numeric\n\
         2020-02-01T09:10:00Z,P1,E2,laboratory,4548-4,Hemoglobin A1c,7.1,%,numeric\n",
    );
    if transactions {
        write(
            dir,
            "claims_transactions.csv",
            "ID,CLAIMID,CHARGEID,PATIENTID,TYPE,AMOUNT,METHOD,FROMDATE,TODATE,PLACEOFSERVICE,PROCEDURECODE,PAYMENTS,OUTSTANDING,APPOINTMENTID\n\
             T1,C1,1,P1,CHARGE,1000.00,,2020-01-01T08:00:00Z,2020-01-05T10:00:00Z,H1,1,,1000.00,E1\n\
             T2,C1,1,P1,PAYMENT,,ECHECK,2020-01-01T08:00:00Z,2020-01-05T10:00:00Z,H1,1,800.00,200.00,E1\n\
             T3,C1,1,P1,PAYMENT,,CC,2020-01-01T08:00:00Z,2020-01-05T10:00:00Z,H1,1,200.00,0,E1\n\
             T4,C2,1,P1,PAYMENT,,COPAY,2020-02-01T09:00:00Z,2020-02-01T09:30:00Z,H1,185345009,20.00,90.00,E2\n\
             T5,C2,1,P1,PAYMENT,,ECHECK,2020-02-01T09:00:00Z,2020-02-01T09:30:00Z,H1,185345009,90.00,0,E2\n\
             T6,C3,1,P1,PAYMENT,,ECHECK,2020-02-01T09:00:00Z,2020-02-01T09:30:00Z,H1,860975,50.00,70.00,E2\n\
             T7,C3,1,P1,PAYMENT,,CASH,2020-02-01T09:00:00Z,2020-02-01T09:30:00Z,H1,860975,70.00,0,E2\n",
        );
    }
}

/// The FHIR export of [`money_export`]'s run, as a payer's FHIR server writes it: local times with
/// their -08:00 offset, an ExplanationOfBenefit per encounter paying what the insurer paid
/// (`benefit`, beside the submitted charge), and the prescription's pharmacy Claim (billed 120)
/// with the pharmacy EOB that paid 50 of it.
fn money_bundle(path: &Path) {
    let adjudicated = |paid: &str, billed: &str| {
        format!(
            r#"[{{"category":{{"coding":[{{"code":"submitted"}}]}},"amount":{{"value":{billed}}}}},{{"category":{{"coding":[{{"code":"benefit"}}]}},"amount":{{"value":{paid}}}}}]"#
        )
    };
    let eob = |id: &str,
               ty: &str,
               enc: &str,
               start: &str,
               paid: &str,
               billed: &str,
               claim: &str| {
        format!(
            r#"{{"fullUrl":"urn:uuid:{id}","resource":{{"resourceType":"ExplanationOfBenefit","id":"{id}","status":"active","type":{{"coding":[{{"code":"{ty}"}}]}},"patient":{{"reference":"urn:uuid:P1"}},"billablePeriod":{{"start":"{start}"}},"provider":{{"reference":"urn:uuid:H1"}}{claim},"item":[{{"sequence":1,"encounter":[{{"reference":"urn:uuid:{enc}"}}],"servicedPeriod":{{"start":"{start}"}},"adjudication":{}}}]}}}}"#,
            adjudicated(paid, billed)
        )
    };
    let observation = |id: &str, enc: &str, code: &str, at: &str, value: &str, unit: &str| {
        format!(
            r#"{{"fullUrl":"urn:uuid:{id}","resource":{{"resourceType":"Observation","id":"{id}","status":"final","code":{{"coding":[{{"system":"http://loinc.org","code":"{code}"}}]}},"subject":{{"reference":"urn:uuid:P1"}},"encounter":{{"reference":"urn:uuid:{enc}"}},"effectiveDateTime":"{at}","valueQuantity":{{"value":{value},"unit":"{unit}","code":"{unit}"}}}}}}"#
        )
    };
    let entries = [
        r#"{"fullUrl":"urn:uuid:H1","resource":{"resourceType":"Organization","id":"H1","name":"GENERAL HOSPITAL"}}"#.to_string(),
        r#"{"fullUrl":"urn:uuid:P1","resource":{"resourceType":"Patient","id":"P1","gender":"male","birthDate":"1950-02-03","name":[{"family":"Vela532","given":["Jorge88"]}]}}"#.to_string(),
        r#"{"fullUrl":"urn:uuid:E1","resource":{"resourceType":"Encounter","id":"E1","status":"finished","class":{"code":"IMP"},"type":[{"coding":[{"system":"http://snomed.info/sct","code":"1"}]}],"subject":{"reference":"urn:uuid:P1"},"period":{"start":"2020-01-01T00:00:00-08:00","end":"2020-01-05T02:00:00-08:00"},"serviceProvider":{"reference":"urn:uuid:H1"}}}"#.to_string(),
        r#"{"fullUrl":"urn:uuid:E2","resource":{"resourceType":"Encounter","id":"E2","status":"finished","class":{"code":"AMB"},"type":[{"coding":[{"system":"http://snomed.info/sct","code":"1"}]}],"subject":{"reference":"urn:uuid:P1"},"period":{"start":"2020-02-01T01:00:00-08:00","end":"2020-02-01T01:30:00-08:00"},"serviceProvider":{"reference":"urn:uuid:H1"}}}"#.to_string(),
        observation("O1", "E1", "29463-7", "2019-12-31T23:30:00-08:00", "80", "kg"),
        observation("O2", "E2", "4548-4", "2020-02-01T01:10:00-08:00", "7.1", "%"),
        eob("EOB1", "institutional", "E1", "2020-01-01T00:00:00-08:00", "800.00", "1000.00", ""),
        eob("EOB2", "professional", "E2", "2020-02-01T01:00:00-08:00", "90.00", "110.00", ""),
        r#"{"fullUrl":"urn:uuid:RX1","resource":{"resourceType":"Claim","id":"RX1","status":"active","type":{"coding":[{"code":"pharmacy"}]},"patient":{"reference":"urn:uuid:P1"},"billablePeriod":{"start":"2020-02-01T01:00:00-08:00"},"item":[{"sequence":1,"encounter":[{"reference":"urn:uuid:E2"}]}],"total":{"value":120.00}}}"#.to_string(),
        eob("EOB3", "pharmacy", "E2", "2020-02-01T01:00:00-08:00", "50.00", "120.00", r#","claim":{"reference":"urn:uuid:RX1"}"#),
    ];
    let bundle = format!(
        r#"{{"resourceType":"Bundle","type":"transaction","entry":[{}]}}"#,
        entries.join(",")
    );
    std::fs::write(path, bundle).unwrap();
}

/// The observations of the register: (LOINC, date, value), sorted.
fn readings(store: &Store) -> Vec<(String, String, f64)> {
    let mut stmt = store
        .conn()
        .prepare("SELECT loinc, date, value FROM observations ORDER BY loinc, date")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// Spend by claim category, in minor units.
fn spend_by_category(store: &Store) -> Vec<(String, i64)> {
    let mut stmt = store
        .conn()
        .prepare(
            "SELECT category, sum(paid_minor) FROM claim_lines GROUP BY category ORDER BY category",
        )
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn one_export_gives_one_spend_figure_with_or_without_claims_transactions() {
    let mut figures = Vec::new();
    for transactions in [true, false] {
        let tmp = tempfile::tempdir().unwrap();
        money_export(tmp.path(), transactions);
        let mut store = Store::open(&tmp.path().join("r.db")).unwrap();
        import_synthea(&mut store, tmp.path(), ImportOptions::default()).unwrap();
        figures.push(spend_by_category(&store));
        nothing_new(&import_synthea(&mut store, tmp.path(), ImportOptions::default()).unwrap());
    }
    let insurer = vec![
        ("drugs".to_string(), 5_000),
        ("inpatient".to_string(), 80_000),
        ("outpatient".to_string(), 9_000),
    ];
    assert_eq!(figures[0], insurer, "from claims_transactions.csv");
    assert_eq!(figures[1], insurer, "from PAYER_COVERAGE");
}

/// The three ways one run can be imported.
#[derive(Debug, Clone, Copy)]
enum Way {
    /// Synthea's CSV with claims_transactions.csv.
    Transactions,
    /// Synthea's CSV without it (PAYER_COVERAGE).
    Coverage,
    /// The FHIR export.
    Fhir,
}

/// Imports `way` of the run in `dir` (written by [`money_export`] and [`money_bundle`]).
fn import_way(store: &mut Store, dir: &Path, way: Way) -> ImportSummary {
    match way {
        Way::Transactions => import_synthea(store, &dir.join("with"), ImportOptions::default()),
        Way::Coverage => import_synthea(store, &dir.join("without"), ImportOptions::default()),
        Way::Fhir => import_fhir(store, &[dir.join("run.json")], ImportOptions::default()),
    }
    .unwrap()
}

fn money_run() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    for (sub, transactions) in [("with", true), ("without", false)] {
        std::fs::create_dir(tmp.path().join(sub)).unwrap();
        money_export(&tmp.path().join(sub), transactions);
    }
    money_bundle(&tmp.path().join("run.json"));
    tmp
}

#[test]
fn one_run_imported_three_ways_gives_one_spend_figure() {
    let run = money_run();
    let insurer = vec![
        ("drugs".to_string(), 5_000),
        ("inpatient".to_string(), 80_000),
        ("outpatient".to_string(), 9_000),
    ];
    let mut seen = Vec::new();
    for way in [Way::Transactions, Way::Coverage, Way::Fhir] {
        let db = tempfile::tempdir().unwrap();
        let mut store = Store::open(&db.path().join("r.db")).unwrap();
        import_way(&mut store, run.path(), way);
        assert_eq!(spend_by_category(&store), insurer, "{way:?}");
        seen.push(readings(&store));
    }
    // The readings agree too: the weight taken at 23:30 on 31 December in -08:00 is dated as the
    // FHIR export writes it, the CSV's UTC instant on the next day.
    assert_eq!(seen[0], seen[1]);
    assert_eq!(seen[0].len(), 2);
    assert_eq!(seen[2].len(), 2);
}

#[test]
fn the_csv_and_the_fhir_export_of_one_run_imported_both_ways_store_each_fact_once() {
    let run = money_run();
    for (first, second) in [
        (Way::Transactions, Way::Fhir),
        (Way::Coverage, Way::Fhir),
        (Way::Fhir, Way::Transactions),
        (Way::Fhir, Way::Coverage),
    ] {
        let db = tempfile::tempdir().unwrap();
        let mut store = Store::open(&db.path().join("r.db")).unwrap();
        import_way(&mut store, run.path(), first);
        let spend = spend_by_category(&store);
        let observations = count(&store, "SELECT count(*) FROM observations");
        let lines = count(&store, "SELECT count(*) FROM claim_lines");
        let s = import_way(&mut store, run.path(), second);
        let what = format!("{first:?} then {second:?}");
        for table in ["observations", "claims"] {
            let c = s.count(table);
            assert_eq!((c.inserted, c.updated), (0, 0), "{what}: {table}");
        }
        assert_eq!(spend_by_category(&store), spend, "{what}");
        assert_eq!(
            count(&store, "SELECT count(*) FROM observations"),
            observations,
            "{what}"
        );
        assert_eq!(
            count(&store, "SELECT count(*) FROM claim_lines"),
            lines,
            "{what}"
        );
        assert_eq!(observations, 2, "{what}");
        // Encounter times stay as each export writes them (the CSV in UTC, the Bundle in local
        // time): the second export moves them, and says so.
        let moved = s.count("encounters").updated;
        assert_eq!(moved, 2, "{what}");
    }
}

#[test]
fn a_missing_or_empty_organizations_file_keeps_the_encounters_and_their_claims() {
    for organizations in [None, Some("")] {
        let tmp = tempfile::tempdir().unwrap();
        money_export(tmp.path(), false);
        match organizations {
            None => std::fs::remove_file(tmp.path().join("organizations.csv")).unwrap(),
            Some(text) => write(tmp.path(), "organizations.csv", text),
        }
        // Any other optional file left at 0 bytes is skipped too, even without --skip-bad-rows.
        write(tmp.path(), "observations.csv", "");
        let mut store = Store::open(&tmp.path().join("r.db")).unwrap();
        let s = import_synthea(&mut store, tmp.path(), ImportOptions::default()).unwrap();
        assert_eq!(s.count("encounters").inserted, 2, "{organizations:?}");
        assert_eq!(
            count(
                &store,
                "SELECT count(*) FROM encounters WHERE organization_id IS NULL"
            ),
            2
        );
        assert_eq!(count(&store, "SELECT count(*) FROM claim_lines"), 3);
        let warnings = s.warnings.join(" | ");
        assert!(
            warnings
                .contains("2 encounters name an organization that organizations.csv does not have"),
            "{warnings}"
        );
        assert!(
            warnings.contains("observations.csv is empty (0 bytes) and was skipped"),
            "{warnings}"
        );
        assert_eq!(
            warnings.contains("organizations.csv is empty (0 bytes)"),
            organizations.is_some(),
            "{warnings}"
        );
    }
}

#[test]
fn a_synthea_1_export_is_named_as_such() {
    let tmp = tempfile::tempdir().unwrap();
    money_export(tmp.path(), false);
    write(
        tmp.path(),
        "encounters.csv",
        "ID,DATE,PATIENT,CODE,DESCRIPTION,REASONCODE,REASONDESCRIPTION\n\
         E1,2017-01-01,P1,185345009,Encounter for symptom,,\n",
    );
    let mut store = Store::open(&tmp.path().join("r.db")).unwrap();
    let e = import_synthea(&mut store, tmp.path(), ImportOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("encounters.csv:1:DATE: this encounters.csv has DATE"),
        "{e}"
    );
    assert!(e.contains("it is a Synthea 1.x export"), "{e}");
}

#[test]
fn a_bad_first_row_of_a_crlf_export_is_on_line_two() {
    let tmp = tempfile::tempdir().unwrap();
    money_export(tmp.path(), false);
    write(
        tmp.path(),
        "encounters.csv",
        "Id,START,STOP,PATIENT,ORGANIZATION,ENCOUNTERCLASS,TOTAL_CLAIM_COST,PAYER_COVERAGE\r\n\
         E1,05.03.24,,P1,H1,ambulatory,10,5\r\n",
    );
    let mut store = Store::open(&tmp.path().join("r.db")).unwrap();
    let e = import_synthea(&mut store, tmp.path(), ImportOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("encounters.csv:2:START: \"05.03.24\" has a two-digit year"),
        "{e}"
    );
}

#[test]
fn a_truncated_synthea_file_is_called_truncated() {
    let tmp = tempfile::tempdir().unwrap();
    money_export(tmp.path(), false);
    let text = std::fs::read_to_string(tmp.path().join("encounters.csv")).unwrap();
    let cut = &text[..text.rfind("ambulatory").unwrap()];
    write(tmp.path(), "encounters.csv", cut);
    let mut store = Store::open(&tmp.path().join("r.db")).unwrap();
    let e = import_synthea(&mut store, tmp.path(), ImportOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("encounters.csv:3:CODE: the file ends in the middle of a row"),
        "{e}"
    );
}

/// ICD-10 codes typed with Cyrillic look-alike letters (#18 item 10) in a Synthea CSV export: a
/// diabetes condition "Е11.9" with a Cyrillic Е enrols the patient, and an encounter's REASONCODE
/// "С18.7" with a Cyrillic С is kept as its principal diagnosis, folded to Latin.
#[test]
fn cyrillic_look_alike_codes_enrol_and_fold() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("csv");
    std::fs::create_dir(&dir).unwrap();
    old_export(&dir);
    write(
        &dir,
        "encounters.csv",
        "Id,START,STOP,PATIENT,PROVIDER,ENCOUNTERCLASS,CODE,DESCRIPTION,COST,REASONCODE,REASONDESCRIPTION\n\
         E1,2020-01-01T08:00:00Z,2020-01-05T10:00:00Z,P1,H1,inpatient,1,Admission,1000,С18.7,Рак ободочной кишки\n\
         E4,2020-04-01T09:00:00Z,2020-04-01T10:00:00Z,P2,C1,ambulatory,1,Visit,80,,\n",
    );
    write(
        &dir,
        "conditions.csv",
        "START,STOP,PATIENT,ENCOUNTER,SYSTEM,CODE,DESCRIPTION\n\
         2015-01-01,,P2,E4,http://hl7.org/fhir/sid/icd-10-cm,Е11.9,Сахарный диабет 2 типа\n\
         2015-01-01,,P2,E4,http://hl7.org/fhir/sid/icd-10-cm,E11.9,Diabetes type 2\n",
    );
    let mut store = Store::open(&tmp.path().join("r.db")).unwrap();
    let s = import_synthea(&mut store, &dir, ImportOptions::default()).unwrap();
    assert_eq!(s.enrolled, 1, "P2's diabetes code with a Cyrillic Е enrols");
    assert_eq!(
        count(
            &store,
            "SELECT count(*) FROM enrolments WHERE patient_id = 'P2'"
        ),
        1
    );
    let principal: Option<String> = store
        .conn()
        .query_row(
            "SELECT principal_dx FROM encounters WHERE id = 'E1'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(principal.as_deref(), Some("C18.7"), "the Cyrillic С folded");
    // Stored folded: the two spellings of one diagnosis are one row, in Latin.
    let codes: Vec<String> = store
        .conn()
        .prepare("SELECT code FROM diagnoses WHERE patient_id = 'P2' AND system = 'icd10'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(codes, vec!["E11.9".to_string()]);
}
