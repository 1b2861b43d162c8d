//! The stored Progress figures (`store::progress_index`) against the same figures computed on the
//! spot from every patient's events: for every period end, every group and the patient lists, on
//! the shared register, and again after each kind of write has moved them by difference.

use super::*;
use acodesk::domain::types::CallOutcome;
use acodesk::store::assign::{assign_patient, assign_site};
use acodesk::store::calls::{NewCall, append};
use acodesk::store::progress_index;
use acodesk::store::views::progress::{
    progress_board_computed, progress_for_computed, progress_patients_computed,
};

/// The queries checked: everyone, one site, one nurse, and that nurse within the site.
fn queries(b: &ProgressBoard) -> Vec<ProgressQuery> {
    let site = b
        .view
        .sites
        .iter()
        .find(|s| !s.id.is_empty())
        .map(|s| s.id.clone());
    let nurse = b
        .view
        .nurses
        .iter()
        .find(|n| !n.id.is_empty())
        .map(|n| n.id.clone());
    vec![
        ProgressQuery::default(),
        ProgressQuery {
            site_id: site.clone(),
            ..ProgressQuery::default()
        },
        ProgressQuery {
            nurse_id: nurse.clone(),
            ..ProgressQuery::default()
        },
        ProgressQuery {
            site_id: site,
            nurse_id: nurse,
            month: None,
        },
    ]
}

/// Asserts the stored boards equal the computed ones at every month of the trend, for each query,
/// and the indicators equal those of the old per-patient tally at every month end.
fn assert_stored_equals_computed(store: &Store, with_lists: bool) {
    let conn = store.conn();
    let clock = common::clock();
    let b = board(store, &ProgressQuery::default());
    assert!(progress_index::is_fresh(conn, &clock).unwrap());
    for m in &b.series {
        let old_way = progress_for_computed(conn, Period::rolling_year(m.end)).unwrap();
        assert_eq!(m.tally, old_way.total, "{}", m.end);
        assert_eq!(
            views::progress::progress_for(conn, Period::rolling_year(m.end)).unwrap(),
            old_way,
            "{}",
            m.end
        );
        for q in queries(&b) {
            let q = ProgressQuery {
                month: Some(m.end),
                ..q
            };
            let stored = progress_board(conn, &clock, &q).unwrap();
            let computed = progress_board_computed(conn, &clock, &q).unwrap();
            assert_eq!(stored, computed, "{q:?}");
            if q == (ProgressQuery {
                month: Some(m.end),
                ..ProgressQuery::default()
            }) {
                assert_eq!(stored.view, old_way, "{}", m.end);
            }
        }
    }
    if !with_lists {
        return;
    }
    let groups = [
        DrillGroup::Total,
        DrillGroup::Site(b.view.sites[0].id.clone()),
        DrillGroup::Nurse(b.view.nurses[0].id.clone()),
    ];
    for month in [None, Some(b.series[8].end)] {
        let q = ProgressQuery {
            month,
            ..ProgressQuery::default()
        };
        for group in &groups {
            for column in [
                Column::Active,
                Column::PoorControl,
                Column::BpControlled,
                Column::Lost,
                Column::Readmitted,
                Column::Overdue,
                Column::Returned,
                Column::Worklist,
                Column::Outcome(CallOutcome::NoAnswer),
            ] {
                let stored = progress_patients(conn, &clock, &q, group, column).unwrap();
                let computed = progress_patients_computed(conn, &clock, &q, group, column).unwrap();
                assert_eq!(stored, computed, "{group:?} {column:?} {month:?}");
            }
        }
    }
}

#[test]
fn the_stored_figures_equal_the_computed_ones_for_every_period_and_group() {
    let store = Store::open_existing(&common::private_copy("progress-stored")).unwrap();
    assert_stored_equals_computed(&store, true);
}

fn call(store: &mut Store, patient: &str, outcome: CallOutcome) {
    append(
        store,
        &NewCall {
            patient_id: patient.into(),
            outcome,
            next_date: None,
            note: String::new(),
            user: "test".into(),
            supersedes: None,
        },
    )
    .unwrap();
}

#[test]
fn every_write_moves_the_stored_figures_by_difference() {
    let mut store = Store::open_existing(&common::private_copy("progress-writes")).unwrap();
    let b = board(&store, &ProgressQuery::default());
    let stamp = store_meta(&store);
    let patients: Vec<String> = {
        let mut stmt = store
            .conn()
            .prepare("SELECT patient_id FROM progress_facts ORDER BY patient_id LIMIT 6")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    call(&mut store, &patients[0], CallOutcome::NoAnswer);
    call(&mut store, &patients[1], CallOutcome::AgreedToVisit);
    call(&mut store, &patients[2], CallOutcome::Died);
    call(&mut store, &patients[3], CallOutcome::Moved);
    // Another nurse for one patient, then every active patient of a site to one nurse.
    let other_nurse = b
        .view
        .nurses
        .iter()
        .rev()
        .find(|n| !n.id.is_empty())
        .unwrap()
        .id
        .clone();
    assign_patient(&mut store, &patients[4], &other_nurse, "test").unwrap();
    let site = b
        .view
        .sites
        .iter()
        .find(|s| !s.id.is_empty())
        .unwrap()
        .id
        .clone();
    assign_site(&mut store, &site, &other_nurse, false, "test").unwrap();
    // Refreshed by difference, never rebuilt: the stored clock is the one written first.
    assert_eq!(store_meta(&store), stamp);
    assert_stored_equals_computed(&store, false);
    assert_ne!(
        board(&store, &ProgressQuery::default()),
        b,
        "the writes changed the figures"
    );
}

#[test]
fn an_import_or_another_day_rebuilds_and_a_past_day_is_computed() {
    let store = Store::open_existing(&common::private_copy("progress-stale")).unwrap();
    let conn = store.conn();
    let clock = common::clock();
    let b = board(&store, &ProgressQuery::default());
    acodesk::store::worklist_index::invalidate(conn).unwrap();
    assert!(!progress_index::is_fresh(conn, &clock).unwrap());
    assert_eq!(board(&store, &ProgressQuery::default()), b);
    assert!(progress_index::is_fresh(conn, &clock).unwrap());
    // A historical clock is computed on the spot and leaves today's index alone.
    let past = historical(d(2026, 9, 15));
    let q = ProgressQuery::default();
    assert_eq!(
        progress_board(conn, &past, &q).unwrap(),
        progress_board_computed(conn, &past, &q).unwrap()
    );
    assert!(progress_index::is_fresh(conn, &clock).unwrap());
    // A month older than the trend is computed too.
    let old = ProgressQuery {
        month: Some(d(2025, 3, 1)),
        ..ProgressQuery::default()
    };
    let stored = progress_board(conn, &clock, &old).unwrap();
    assert_eq!(stored, progress_board_computed(conn, &clock, &old).unwrap());
    assert_eq!(stored.view.period.to, d(2025, 3, 31));
    // Another day rebuilds.
    let tomorrow = Clock {
        as_of: d(2026, 11, 21),
        kind: ClockKind::Fixed,
    };
    progress_board(conn, &tomorrow, &q).unwrap();
    assert!(progress_index::is_fresh(conn, &tomorrow).unwrap());
    assert!(!progress_index::is_fresh(conn, &clock).unwrap());
}

fn store_meta(store: &Store) -> String {
    store
        .conn()
        .query_row(
            "SELECT value FROM meta WHERE key = 'progress_clock'",
            [],
            |r| r.get(0),
        )
        .unwrap()
}

/// A new day of the same month recomputes only the patients whose recheck day has come, and the
/// figures equal those computed on the spot, every day of the month, with calls counted up to the
/// day (the dashboard's clock) and whenever dated (a fixed clock); a new month rebuilds.
#[test]
fn each_new_day_of_a_month_recomputes_only_the_patients_due_and_equals_a_full_computation() {
    let store = Store::open_existing(&common::private_copy("progress-days")).unwrap();
    let conn = store.conn();
    for kind in [ClockKind::Today, ClockKind::Fixed] {
        let on = |day: u32| Clock {
            as_of: d(2026, 11, day),
            kind,
        };
        progress_index::rebuild(conn, &on(1)).unwrap();
        let enrolled = conn
            .query_row("SELECT count(*) FROM progress_facts", [], |r| {
                r.get::<_, i64>(0)
            })
            .unwrap() as u64;
        assert!(enrolled > 100, "{enrolled}");
        let mut recomputed = 0;
        for day in 2..=30 {
            let clock = on(day);
            let n = progress_index::advance(conn, &clock)
                .unwrap()
                .expect("a later day of the same month advances");
            recomputed += n;
            assert!(progress_index::is_fresh(conn, &clock).unwrap());
            let q = ProgressQuery::default();
            let stored = progress_board(conn, &clock, &q).unwrap();
            // Every group on a few days (the computation on the spot is the slow part).
            let all = if day % 7 == 2 {
                queries(&stored)
            } else {
                vec![q]
            };
            for q in all {
                assert_eq!(
                    progress_board(conn, &clock, &q).unwrap(),
                    progress_board_computed(conn, &clock, &q).unwrap(),
                    "{kind:?} on {day} November, {q:?}"
                );
            }
        }
        assert!(
            recomputed < 29 * enrolled / 4,
            "{recomputed} patients recomputed over 29 days of {enrolled} ({kind:?})"
        );
        eprintln!("{kind:?}: {recomputed} recomputed over 29 days, {enrolled} enrolled");
        // A new month moves every period end: no advance, a rebuild.
        let december = Clock {
            as_of: d(2026, 12, 1),
            kind,
        };
        assert_eq!(progress_index::advance(conn, &december).unwrap(), None);
    }
}
