//! The stored worklist (kept current by every write) always equals the worklist computed on the
//! spot from the raw tables by the same rules.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use acodesk::domain::calendar::Calendar;
use acodesk::domain::types::CallOutcome;
use acodesk::domain::worklist::Thresholds;
use acodesk::store::Store;
use acodesk::store::calls::{NewCall, append};
use acodesk::store::views::worklist::{WorklistFilter, WorklistView, worklist, worklist_with};
use acodesk::store::worklist_index;

fn key(v: &WorklistView) -> Vec<(String, String)> {
    v.rows
        .iter()
        .map(|r| {
            (
                r.patient_id.clone(),
                serde_json::to_string(&r.entry).unwrap(),
            )
        })
        .collect()
}

fn assert_same(store: &Store) {
    let clock = common::clock();
    let f = WorklistFilter::default();
    let stored = worklist(store.conn(), &clock, &f).unwrap();
    let computed = worklist_with(
        store.conn(),
        &clock,
        &f,
        &Thresholds::default(),
        &Calendar::russia(),
    )
    .unwrap();
    assert_eq!(key(&stored), key(&computed));
    assert_eq!(stored.lost_to_follow_up, computed.lost_to_follow_up);
    assert_eq!(stored.by_priority, computed.by_priority);
}

#[test]
fn stored_equals_computed_through_calls_status_changes_and_assignments() {
    let db = common::private_copy("index-equal");
    let mut store = Store::open_existing(&db).unwrap();
    assert!(!worklist_index::is_fresh(store.conn(), &common::clock()).unwrap());
    assert_same(&store);
    assert!(
        worklist_index::is_fresh(store.conn(), &common::clock()).unwrap(),
        "built on first read"
    );

    let first = worklist(store.conn(), &common::clock(), &WorklistFilter::default()).unwrap();
    let ids: Vec<String> = first
        .rows
        .iter()
        .take(6)
        .map(|r| r.patient_id.clone())
        .collect();
    for (id, outcome) in ids.iter().zip([
        CallOutcome::NoAnswer,
        CallOutcome::AgreedToVisit,
        CallOutcome::Refused,
        CallOutcome::Died,
        CallOutcome::Moved,
        CallOutcome::CallBackLater,
    ]) {
        let call = NewCall {
            patient_id: id.clone(),
            outcome,
            next_date: acodesk::domain::worklist::default_next_date(
                outcome,
                common::as_of(),
                &Thresholds::default(),
                &Calendar::russia(),
            ),
            note: String::new(),
            user: "t".into(),
            supersedes: None,
        };
        append(&mut store, &call).unwrap();
        assert_same(&store);
    }
    let nurse: String = store
        .conn()
        .query_row(
            "SELECT id FROM staff WHERE role = 'nurse' ORDER BY id DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    acodesk::store::assign::assign_patient(&mut store, &ids[5], &nurse, "m").unwrap();
    assert_same(&store);
    let mine = WorklistFilter {
        nurse_id: Some(nurse.clone()),
        ..WorklistFilter::default()
    };
    let v = worklist(store.conn(), &common::clock(), &mine).unwrap();
    assert!(
        v.rows.iter().any(|r| r.patient_id == ids[5]),
        "the reassigned patient is on the new nurse's list"
    );

    // A full rebuild gives what the incremental updates gave.
    let before =
        key(&worklist(store.conn(), &common::clock(), &WorklistFilter::default()).unwrap());
    worklist_index::rebuild(store.conn(), &common::clock()).unwrap();
    let after = key(&worklist(store.conn(), &common::clock(), &WorklistFilter::default()).unwrap());
    assert_eq!(before, after);
}

#[test]
fn a_new_day_rebuilds_the_stored_worklist() {
    let db = common::private_copy("index-day");
    let store = Store::open_existing(&db).unwrap();
    let today = common::clock();
    let v1 = worklist(store.conn(), &today, &WorklistFilter::default()).unwrap();
    let tomorrow = acodesk::domain::clock::Clock {
        as_of: today.as_of.succ_opt().unwrap(),
        ..today
    };
    assert!(!worklist_index::is_fresh(store.conn(), &tomorrow).unwrap());
    let v2 = worklist(store.conn(), &tomorrow, &WorklistFilter::default()).unwrap();
    assert!(worklist_index::is_fresh(store.conn(), &tomorrow).unwrap());
    assert_eq!(v2.as_of, tomorrow.as_of);
    assert!(
        v2.rows.iter().map(|r| r.entry.days_overdue).sum::<i64>()
            >= v1.rows.iter().map(|r| r.entry.days_overdue).sum::<i64>()
    );
}
