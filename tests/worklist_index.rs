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
    // The copy may carry the shared register's stored worklist: start without one.
    worklist_index::invalidate(store.conn()).unwrap();
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
    // Asked to be called back, she waits in that section of the new nurse's list.
    let mine = WorklistFilter {
        nurse_id: Some(nurse.clone()),
        section: acodesk::domain::worklist::Section::CallBack,
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
    // A reason that stays from one day to the next keeps its due date and is a day later (the
    // entry's own figure may drop: a new reason of higher priority can come to decide it).
    let mut same = 0;
    for r2 in &v2.rows {
        let Some(r1) = v1.rows.iter().find(|r| r.patient_id == r2.patient_id) else {
            continue;
        };
        for f2 in &r2.entry.findings {
            if let Some(f1) = r1.entry.findings.iter().find(|f| f.reason == f2.reason) {
                if f1.due == f2.due && f1.days_overdue > 0 {
                    assert_eq!(f2.days_overdue, f1.days_overdue + 1, "{}", r2.patient_id);
                    same += 1;
                }
            }
        }
    }
    assert!(same > 0);
}

#[test]
fn pages_and_counts_equal_the_full_list_for_every_filter() {
    use acodesk::domain::worklist::Reason;
    use acodesk::store::views::worklist_page::{counts, page};
    let store = Store::open_existing(common::shared_register()).unwrap();
    let clock = common::clock();
    let filters = [
        WorklistFilter::default(),
        WorklistFilter {
            nurse_id: Some("N02".into()),
            ..WorklistFilter::default()
        },
        WorklistFilter {
            site_id: Some("ORG-PC5".into()),
            has_phone: true,
            ..WorklistFilter::default()
        },
        WorklistFilter {
            reason: Some(Reason::PoorControl),
            ..WorklistFilter::default()
        },
        WorklistFilter {
            search: "ова".into(),
            ..WorklistFilter::default()
        },
    ];
    for f in &filters {
        let full = worklist(store.conn(), &clock, f).unwrap();
        let mut paged = Vec::new();
        let mut after = None;
        loop {
            let p = page(store.conn(), &clock, f, after.as_ref(), 37).unwrap();
            paged.extend(p.rows.iter().map(|r| r.patient_id.clone()));
            match p.next {
                Some(k) => after = Some(k),
                None => break,
            }
        }
        let expected: Vec<String> = full.rows.iter().map(|r| r.patient_id.clone()).collect();
        assert_eq!(paged, expected, "{f:?}");
        let c = counts(store.conn(), &clock, f, 1000).unwrap();
        assert_eq!(c.total, full.rows.len() as u64, "{f:?}");
        assert_eq!(c.by_priority, full.by_priority, "{f:?}");
        assert_eq!(c.by_reason, full.by_reason, "{f:?}");
        assert_eq!(c.lost, full.lost_to_follow_up, "{f:?}");
        // The overlap of the two lists: lost-to-follow-up patients also on the call list,
        // counted by both paths and equal to the ids the two lists share.
        let on_list: std::collections::HashSet<&str> =
            full.rows.iter().map(|r| r.patient_id.as_str()).collect();
        let shared = full
            .lost_to_follow_up
            .iter()
            .filter(|l| on_list.contains(l.patient_id.as_str()))
            .count() as u64;
        assert_eq!(full.lost_on_list, Some(shared), "{f:?}");
        assert_eq!(c.lost_on_list, shared, "{f:?}");
        // Lost to follow-up counts the taken-off patients too, on both paths (#18 item 5).
        assert_eq!(Some(c.lost_total), full.lost_total, "{f:?}");
        assert_eq!(Some(c.lost_taken_off), full.lost_taken_off, "{f:?}");
        let taken_off = full
            .lost_to_follow_up
            .iter()
            .filter(|l| l.taken_off)
            .count() as u64;
        assert_eq!(full.lost_taken_off, Some(taken_off), "{f:?}");
    }
    let everyone = worklist(store.conn(), &clock, &WorklistFilter::default()).unwrap();
    assert!(
        everyone.lost_on_list.unwrap() > 0,
        "the sample has lost patients on the call list"
    );
}

/// The daily refresh recomputes only the patients whose recheck day has come, and the list it
/// leaves equals the list computed from scratch, day after day (and after a week's gap).
#[test]
fn each_new_day_recomputes_only_the_patients_due_and_equals_a_full_computation() {
    use acodesk::domain::clock::Clock;
    let db = common::private_copy("index-days");
    let store = Store::open_existing(&db).unwrap();
    let start = common::as_of() - chrono::Days::new(200);
    let first = Clock::today(start);
    worklist_index::rebuild(store.conn(), &first).unwrap();
    let patients = store
        .conn()
        .query_row("SELECT count(*) FROM worklist_recheck", [], |r| {
            r.get::<_, i64>(0)
        })
        .unwrap() as u64;
    assert!(patients > 300, "every evaluated patient has a recheck day");
    let f = WorklistFilter::default();
    let (mut day, mut days, mut recomputed) = (start, 0u64, 0u64);
    while day < common::as_of() {
        // Day by day for two months, then a week at a time (a laptop left shut).
        day = day + chrono::Days::new(if days < 60 { 1 } else { 7 });
        days += 1;
        let clock = Clock::today(day);
        recomputed += worklist_index::advance(store.conn(), &clock).unwrap();
        let stored = worklist(store.conn(), &clock, &f).unwrap();
        let computed = worklist_with(
            store.conn(),
            &clock,
            &f,
            &Thresholds::default(),
            &Calendar::russia(),
        )
        .unwrap();
        assert_eq!(key(&stored), key(&computed), "on {day}");
        assert_eq!(
            stored.lost_to_follow_up, computed.lost_to_follow_up,
            "on {day}"
        );
        assert_eq!(stored.by_priority, computed.by_priority, "on {day}");
    }
    let per_day = recomputed / days;
    assert!(
        per_day * 5 < patients,
        "a day recomputes a fraction of the register: {per_day} of {patients} a day on average"
    );
}

/// A stored entry that does not decode is an error, never a patient silently dropped from the list.
#[test]
fn a_damaged_stored_entry_is_an_error_not_a_shorter_list() {
    let db = common::private_copy("index-damaged");
    let store = Store::open_existing(&db).unwrap();
    let f = WorklistFilter::default();
    let before = worklist(store.conn(), &common::clock(), &f).unwrap();
    assert!(!before.rows.is_empty());
    store
        .conn()
        .execute(
            "UPDATE worklist_entries SET entry_json = '{not json' WHERE patient_id = ?1",
            [&before.rows[0].patient_id],
        )
        .unwrap();
    assert!(
        worklist(store.conn(), &common::clock(), &f).is_err(),
        "the damaged entry is reported"
    );
}

/// Two processes on a new morning: the second waits for the first's refresh under the write lock,
/// looks again and finds the derived tables fresh, so it writes nothing (before, both rebuilt,
/// one after the other).
#[test]
fn a_second_process_waits_for_the_first_refresh_and_does_not_redo_it() {
    use acodesk::store::progress_index;
    use acodesk::store::views::progress::{ProgressQuery, progress_board};
    use std::time::Duration;
    let db = common::private_copy("refresh-once");
    let first = Store::open_existing(&db).unwrap();
    worklist_index::invalidate(first.conn()).unwrap();
    progress_index::invalidate(first.conn()).unwrap();
    let clock = common::clock();
    // The first process holds the write lock while it refreshes.
    first.conn().execute_batch("BEGIN IMMEDIATE").unwrap();
    let second = std::thread::spawn({
        let db = db.clone();
        move || {
            let store = Store::open_existing(&db).unwrap();
            let before = store.conn().total_changes();
            worklist_index::ensure_fresh(store.conn(), &clock).unwrap();
            progress_board(store.conn(), &clock, &ProgressQuery::default()).unwrap();
            store.conn().total_changes() - before
        }
    });
    std::thread::sleep(Duration::from_millis(300));
    worklist_index::ensure_fresh(first.conn(), &clock).unwrap();
    // The board also fills the Budget tab's cache, which a board read would otherwise write.
    progress_board(first.conn(), &clock, &ProgressQuery::default()).unwrap();
    first.conn().execute_batch("COMMIT").unwrap();
    assert_eq!(
        second.join().unwrap(),
        0,
        "the second process rebuilt what the first had just rebuilt"
    );
    assert!(worklist_index::is_fresh(first.conn(), &clock).unwrap());
    assert!(progress_index::is_fresh(first.conn(), &clock).unwrap());
}
