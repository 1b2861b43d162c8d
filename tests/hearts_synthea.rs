//! The HEARTS figures recomputed on third-party data (the shared Synthea export, when present)
//! with plain SQL over the imported register, written from Simple's definitions independently of
//! `domain::hearts`, and compared with `store::hearts::hearts_board` at every quarter end of the
//! data, for diabetes and hypertension as the importer enrols them (the hypertension enrolment
//! itself checked against plain SQL over the export's diagnoses).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use acodesk::domain::hearts::Bucket;
use acodesk::import::csv_dir::ImportOptions;
use acodesk::import::synthea::import_synthea;
use acodesk::store::Store;
use acodesk::store::hearts::hearts_board;
use chrono::{Datelike, Months, NaiveDate};
use std::collections::BTreeMap;
use std::path::Path;

/// The figures by name of `program` at `t`, from SQL alone.
fn by_sql(store: &Store, program: &str, t: NaiveDate) -> BTreeMap<String, u64> {
    let t3 = t.checked_sub_months(Months::new(3)).unwrap().to_string();
    let t12 = t.checked_sub_months(Months::new(12)).unwrap().to_string();
    let sql = "
        WITH contact(patient_id, day) AS (
            SELECT patient_id, substr(start_at, 1, 10) FROM encounters
            UNION
            SELECT patient_id, date FROM observations
            WHERE kind IN ('systolic', 'diastolic', 'hba1c', 'glucose')
        ),
        assigned AS (
            SELECT e.patient_id AS id, e.enrolled_on,
                   EXISTS (SELECT 1 FROM contact c WHERE c.patient_id = e.patient_id
                           AND c.day > ?3 AND c.day <= ?1) AS seen_year,
                   EXISTS (SELECT 1 FROM contact c WHERE c.patient_id = e.patient_id
                           AND c.day > ?2 AND c.day <= ?1) AS seen_3m
            FROM enrolments e JOIN patients p ON p.id = e.patient_id
            WHERE e.program_id = ?4 AND e.enrolled_on <= ?1
              AND (e.ended_on IS NULL OR e.ended_on > ?1)
              AND NOT (p.death_date IS NOT NULL AND p.death_date <= ?1)
              AND NOT (p.status = 'dead' AND p.death_date IS NULL)
              AND NOT (p.status = 'moved' AND (p.moved_on IS NULL OR p.moved_on <= ?1))
        ),
        classified AS (
            SELECT a.*, (a.seen_year OR a.enrolled_on > ?3) AS under_care,
                   (a.seen_year OR a.enrolled_on > ?3) AND a.enrolled_on <= ?2 AS in_den,
                   (SELECT max(o.date) FROM observations o WHERE o.patient_id = a.id
                      AND o.kind IN ('hba1c', 'glucose') AND o.date > ?2 AND o.date <= ?1) AS bs_day,
                   (SELECT max(o.date) FROM observations o WHERE o.patient_id = a.id
                      AND o.kind = 'systolic' AND o.date > ?2 AND o.date <= ?1
                      AND EXISTS (SELECT 1 FROM observations d WHERE d.patient_id = a.id
                                  AND d.kind = 'diastolic' AND d.date = o.date)) AS bp_day
            FROM assigned a
        ),
        valued AS (
            SELECT c.*,
                   (SELECT min(value) FROM observations WHERE patient_id = c.id
                      AND kind = 'hba1c' AND date = c.bs_day) AS a1c,
                   (SELECT min(value) FROM observations WHERE patient_id = c.id
                      AND kind = 'glucose' AND date = c.bs_day) AS glucose,
                   (SELECT min(value) FROM observations WHERE patient_id = c.id
                      AND kind = 'systolic' AND date = c.bp_day) AS sys,
                   (SELECT min(value) FROM observations WHERE patient_id = c.id
                      AND kind = 'diastolic' AND date = c.bp_day) AS dia
            FROM classified c
        )
        SELECT 'assigned', count(*) FROM valued
        UNION ALL SELECT 'under_care', count(*) FROM valued WHERE under_care
        UNION ALL SELECT 'lost_to_follow_up', count(*) FROM valued WHERE NOT under_care
        UNION ALL SELECT 'denominator', count(*) FROM valued WHERE in_den
        UNION ALL
        SELECT CASE
                 WHEN ?4 = 'hypertension' THEN CASE
                   WHEN bp_day IS NULL AND seen_3m THEN 'visited_no_bp'
                   WHEN bp_day IS NULL THEN 'missed_visit'
                   WHEN sys < 140 AND dia < 90 THEN 'controlled'
                   ELSE 'uncontrolled' END
                 WHEN bs_day IS NULL AND seen_3m THEN 'visited_no_bs'
                 WHEN bs_day IS NULL THEN 'missed_visit'
                 WHEN a1c IS NOT NULL AND a1c < 7.0 THEN 'bs_under_200'
                 WHEN a1c IS NOT NULL AND a1c < 9.0 THEN 'bs_200_to_299'
                 WHEN a1c IS NOT NULL THEN 'bs_300_plus'
                 WHEN round(glucose * 18.016) < 200 THEN 'bs_under_200'
                 WHEN round(glucose * 18.016) < 300 THEN 'bs_200_to_299'
                 ELSE 'bs_300_plus'
               END, count(*)
        FROM valued WHERE in_den GROUP BY 1";
    let mut st = store.conn().prepare(sql).unwrap();
    let rows = st
        .query_map(rusqlite::params![t.to_string(), t3, t12, program], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64))
        })
        .unwrap();
    let mut out = BTreeMap::new();
    for r in rows {
        let (k, v) = r.unwrap();
        *out.entry(k).or_insert(0) += v;
    }
    out
}

#[test]
fn diabetes_and_hypertension_hearts_equal_a_plain_sql_recomputation_on_synthea() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/synthea-59");
    if !dir.join("patients.csv").exists() {
        println!(
            "skipped: the shared Synthea export is not at {}",
            dir.display()
        );
        return;
    }
    let db = common::scratch("hearts-synthea").join("register.db");
    let mut store = Store::open(&db).unwrap();
    import_synthea(&mut store, &dir, ImportOptions::default()).unwrap();
    // The importer enrols the hypertensive patients itself: the same rows as plain SQL over the
    // diagnoses (ICD-10 I10–I15, SNOMED 59621000 / 38341003, from the earliest onset).
    let rows = |sql: &str| -> Vec<(String, String)> {
        let mut st = store.conn().prepare(sql).unwrap();
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let expected = rows(
        "SELECT patient_id, min(onset_date) FROM diagnoses
         WHERE (system = 'icd10' AND substr(code, 1, 3) BETWEEN 'I10' AND 'I15')
            OR (system = 'snomed' AND code IN ('59621000', '38341003'))
         GROUP BY patient_id ORDER BY patient_id",
    );
    let enrolled = rows(
        "SELECT patient_id, enrolled_on FROM enrolments WHERE program_id = 'hypertension'
         ORDER BY patient_id",
    );
    assert!(!expected.is_empty());
    assert_eq!(enrolled, expected);
    let (first, last): (String, String) = store
        .conn()
        .query_row(
            "SELECT min(enrolled_on), (SELECT max(date) FROM observations) FROM enrolments",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let day = |s: &str| NaiveDate::parse_from_str(&s[..10], "%Y-%m-%d").unwrap();
    let (first, last) = (day(&first), day(&last));
    let mut totals: BTreeMap<(&str, String), u64> = BTreeMap::new();
    for program in ["diabetes", "hypertension"] {
        let p = (program.to_string(), program.to_string());
        // Every quarter end from the first enrolment to the data's last day.
        let mut t = NaiveDate::from_ymd_opt(first.year(), (first.month0() / 3) * 3 + 1, 1)
            .unwrap()
            .checked_add_months(Months::new(3))
            .unwrap()
            .pred_opt()
            .unwrap();
        while t <= last {
            let board = hearts_board(store.conn(), &p, t, &[], None, None).unwrap();
            let ours: BTreeMap<String, u64> = board
                .total
                .figures()
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .filter(|(k, v)| *v > 0 || !Bucket::ALL.iter().any(|b| b.id() == k))
                .collect();
            assert_eq!(ours, by_sql(&store, program, t), "{program} at {t}");
            for (k, v) in ours {
                *totals.entry((program, k)).or_default() += v;
            }
            t = t
                .succ_opt()
                .unwrap()
                .checked_add_months(Months::new(3))
                .unwrap()
                .pred_opt()
                .unwrap();
        }
    }
    println!("summed over the quarter ends: {totals:?}");
    for key in ["denominator", "controlled", "uncontrolled"] {
        assert!(
            totals.contains_key(&("hypertension", key.to_string())),
            "{key}"
        );
    }
    assert!(totals.contains_key(&("diabetes", "denominator".to_string())));
}
