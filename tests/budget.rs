//! The Budget tab's inputs computed the fast way equal their definitions elsewhere.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use acodesk::store::Store;
use acodesk::store::views;

#[test]
fn coverage_and_assigned_equal_the_progress_indicators() {
    let store = Store::open_existing(common::shared_register()).unwrap();
    let budget = views::budget(store.conn(), common::as_of()).unwrap();
    let progress = views::progress(store.conn(), common::as_of()).unwrap();
    assert_eq!(budget.hba1c_coverage, progress.total.hba1c_tested_period);
    assert_eq!(u64::from(budget.assigned), progress.total.enrolled_active);
}

#[test]
fn member_months_equal_a_month_by_month_count() {
    let store = Store::open_existing(common::shared_register()).unwrap();
    let budget = views::budget(store.conn(), common::as_of()).unwrap();
    for m in &budget.months {
        let start = format!("{}-{:02}-01", budget.performance_year, m.month);
        let n: i64 = store
            .conn()
            .query_row(
                "SELECT count(*) FROM enrolments e JOIN patients p ON p.id = e.patient_id
                 WHERE e.ended_on IS NULL AND e.enrolled_on <= date(?1, '+1 month', '-1 day')
                   AND (p.death_date IS NULL OR p.death_date >= ?1)
                   AND (p.moved_on IS NULL OR p.moved_on >= ?1)",
                [&start],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(i64::from(m.member_months), n, "{start}");
    }
}

#[test]
fn the_cached_patient_figures_follow_a_death_logged_by_a_call() {
    use acodesk::domain::types::CallOutcome;
    use acodesk::store::calls::{NewCall, append};
    let db = common::private_copy("budget-cache");
    let mut store = Store::open_existing(&db).unwrap();
    // The death is dated today (after the demo's as-of date), so count as of today.
    let today = chrono::Local::now().date_naive();
    let before = views::budget(store.conn(), today).unwrap();
    let again = views::budget(store.conn(), today).unwrap();
    assert_eq!(before.assigned, again.assigned, "served from the cache");
    let patient: String = store
        .conn()
        .query_row(
            "SELECT id FROM patients WHERE status = 'active' ORDER BY id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let call = NewCall {
        patient_id: patient,
        outcome: CallOutcome::Died,
        next_date: None,
        note: String::new(),
        user: "t".into(),
        supersedes: None,
    };
    append(&mut store, &call).unwrap();
    let after = views::budget(store.conn(), today).unwrap();
    let progress = views::progress(store.conn(), today).unwrap();
    assert_eq!(
        after.assigned + 1,
        before.assigned,
        "the cache was dropped by the death"
    );
    assert_eq!(u64::from(after.assigned), progress.total.enrolled_active);
    assert_eq!(after.hba1c_coverage, progress.total.hba1c_tested_period);
}
