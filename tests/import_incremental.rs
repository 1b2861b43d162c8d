//! A first load builds its indexes at the end and a later import refreshes only the patients it
//! touched: both leave the register exactly as row-by-row maintenance would.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use acodesk::domain::calendar::Calendar;
use acodesk::domain::worklist::{Reason, Thresholds};
use acodesk::import::csv_dir::{ImportOptions, import_dir};
use acodesk::store::Store;
use acodesk::store::views::worklist::{WorklistFilter, worklist, worklist_with};
use acodesk::store::worklist_index;
use rusqlite::Connection;

fn totals(conn: &Connection, sql: &str) -> Vec<(String, String, String, i64, i64)> {
    conn.prepare(sql)
        .unwrap()
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

#[test]
fn a_first_load_has_the_same_totals_search_and_schema_as_row_by_row_writes() {
    let store = Store::open_existing(common::shared_register()).unwrap();
    let conn = store.conn();
    let kept = totals(
        conn,
        "SELECT month || ' ' || received_on, category, organization_id, paid_minor, lines
         FROM claim_month_totals WHERE lines > 0 ORDER BY 1, 2, 3",
    );
    let recomputed = totals(
        conn,
        "SELECT substr(service_date, 1, 7) || ' ' || coalesce(received_on, ''), category,
                coalesce(organization_id, ''), sum(paid_minor), count(*)
         FROM claim_lines GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
    );
    assert!(!kept.is_empty());
    assert_eq!(kept, recomputed);
    conn.execute_batch(
        "INSERT INTO patients_fts (patients_fts, rank) VALUES ('integrity-check', 1)",
    )
    .expect("the search index matches the patients");
    let fresh = Store::open(&common::scratch("schema-fresh").join("r.db")).unwrap();
    let schema = |c: &Connection| -> Vec<(String, String)> {
        c.prepare("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    };
    assert_eq!(
        schema(conn),
        schema(fresh.conn()),
        "every index and trigger is back"
    );
}

#[test]
fn a_small_import_refreshes_only_the_touched_patients() {
    let db = common::private_copy("import-touched");
    let mut store = Store::open_existing(&db).unwrap();
    let clock = common::clock();
    let f = WorklistFilter::default();
    let before = worklist(store.conn(), &clock, &f).unwrap();
    assert!(worklist_index::is_fresh(store.conn(), &clock).unwrap());
    // A patient off the list, discharged yesterday after 19 days in hospital (an unplanned stay
    // of 14+ days alone scores LACE 7 + 3 = 10: high risk of readmission).
    let off_list: String = store
        .conn()
        .query_row(
            "SELECT p.id FROM patients p JOIN enrolments e ON e.patient_id = p.id
             WHERE p.status = 'active' AND p.id NOT IN (SELECT patient_id FROM worklist_entries)
             ORDER BY p.id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(before.rows.iter().all(|r| r.patient_id != off_list));
    let dir = common::scratch("import-touched-files");
    let yesterday = clock.as_of.pred_opt().unwrap();
    std::fs::write(
        dir.join("encounters.csv"),
        format!(
            "id,patient_id,class,start,end,organization_id,planned,disposition,cost\n\
             E-NEW-1,{off_list},inpatient,{}T10:00:00,{yesterday}T12:00:00,,false,home,50000\n",
            clock.as_of - chrono::Days::new(20)
        ),
    )
    .unwrap();
    let summary = import_dir(&mut store, &dir, ImportOptions::default()).unwrap();
    assert!(summary.enrolled > 0);
    assert!(
        worklist_index::is_fresh(store.conn(), &clock).unwrap(),
        "the stored worklist was refreshed in place, not thrown away"
    );
    let after = worklist(store.conn(), &clock, &f).unwrap();
    let row = after
        .rows
        .iter()
        .find(|r| r.patient_id == off_list)
        .expect("the discharged patient is on the list");
    assert!(row.entry.has(Reason::PostDischarge));
    assert!(
        row.entry.has(Reason::ReadmissionRisk),
        "the readmission flag of the touched patient is up to date: {:?}",
        row.entry.reasons
    );
    let computed = worklist_with(
        store.conn(),
        &clock,
        &f,
        &Thresholds::default(),
        &Calendar::russia(),
    )
    .unwrap();
    let ids = |v: &acodesk::store::views::worklist::WorklistView| {
        v.rows
            .iter()
            .map(|r| {
                (
                    r.patient_id.clone(),
                    serde_json::to_string(&r.entry).unwrap(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&after), ids(&computed));
    assert_eq!(after.rows.len(), before.rows.len() + 1);
}
