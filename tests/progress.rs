#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The Progress figures: each indicator and the call cascade on hand-built cohorts and a hand-built
//! register, the trends and the cascade against the views they must equal, the same figures on the
//! screen, from the CLI and in the report, the stored figures against those computed on the spot,
//! and the tab driven key by key.

mod common;
#[path = "progress/register.rs"]
mod register;
#[path = "progress/screen.rs"]
mod screen;
#[path = "progress/stored.rs"]
mod stored;

use acodesk::config::{Config, Role};
use acodesk::domain::clock::{Clock, ClockKind};
use acodesk::domain::indicators::{
    Cascade, CascadeCall, CascadeFacts, CascadeMonth, CascadeStage, ClinicalFacts, IndicatorFacts,
    Period, Ratio, Tally, cascade_stage,
};
use acodesk::domain::types::PatientStatus;
use acodesk::i18n::{I18n, Lang};
use acodesk::store::Store;
use acodesk::store::views::progress::{
    Column, DrillGroup, Figure, ProgressBoard, ProgressQuery, progress_board, progress_for,
    progress_patients,
};
use acodesk::store::views::{self, WorklistFilter};
use acodesk::tui::app::App;
use acodesk::tui::app::progress_state::ProgressMode;
use acodesk::tui::context::AppContext;
use acodesk::tui::data::{Request, handle};
use acodesk::tui::keymap::Keymap;
use acodesk::tui::theme::Theme;
use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::sync::Arc;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn r(numerator: u64, denominator: u64) -> Ratio {
    Ratio {
        numerator,
        denominator,
    }
}

// ---------------------------------------------------------------- hand-built cohorts, pure rules

fn someone() -> IndicatorFacts {
    IndicatorFacts {
        status: PatientStatus::Active,
        birth_date: Some(d(1960, 6, 1)),
        enrolled_on: Some(d(2015, 1, 1)),
        death_date: None,
        moved_on: None,
        latest_hba1c: Some((d(2026, 10, 1), 8.0)),
        latest_bp: Some((d(2026, 10, 1), 130.0, 80.0)),
        last_visit: Some(d(2026, 10, 1)),
        clinical: ClinicalFacts {
            latest_bp_ambulatory: Some((d(2026, 10, 1), 130.0, 80.0)),
            hypertension_since: Some(d(2020, 3, 1)),
            ..ClinicalFacts::default()
        },
    }
}

#[test]
fn indicators_on_a_hand_built_cohort() {
    let period = Period::rolling_year(d(2026, 11, 30));
    let cohort = [
        // 18 on the period's last day: in the HbA1c measures; no HbA1c at all counts as poor control.
        IndicatorFacts {
            birth_date: Some(d(2008, 11, 30)),
            latest_hba1c: None,
            ..someone()
        },
        // 17 on the last day: outside them.
        IndicatorFacts {
            birth_date: Some(d(2008, 12, 1)),
            ..someone()
        },
        // 75 on the last day: in; an HbA1c before the period is as good as none.
        IndicatorFacts {
            birth_date: Some(d(1951, 11, 30)),
            latest_hba1c: Some((d(2025, 11, 30), 6.0)),
            ..someone()
        },
        // 76: out.
        IndicatorFacts {
            birth_date: Some(d(1950, 11, 30)),
            ..someone()
        },
        // Moved mid-period: a move, not active, in no denominator.
        IndicatorFacts {
            status: PatientStatus::Moved,
            moved_on: Some(d(2026, 6, 1)),
            ..someone()
        },
        // The day's lowest systolic and diastolic (the store folds same-day readings): 139/89.
        IndicatorFacts {
            latest_bp: Some((d(2026, 9, 1), 139.0, 89.0)),
            clinical: ClinicalFacts {
                latest_bp_ambulatory: Some((d(2026, 9, 1), 139.0, 89.0)),
                ..someone().clinical
            },
            ..someone()
        },
    ];
    let mut t = Tally::default();
    for f in &cohort {
        t.add(f, &period);
    }
    assert_eq!(t.enrolled_active, 5);
    assert_eq!(t.moves, 1);
    // 18, 75 and the 66-year-olds are in; 17 and 76 are out; missing and out-of-period HbA1c are poor.
    assert_eq!(t.hba1c_poor_control, r(2, 3), "18 and 75 in, 17 and 76 out");
    assert_eq!(t.hba1c_tested_6m, r(3, 5));
    // CMS165 is 18-85: the 17-year-old is out, the 76-year-old in.
    assert_eq!(t.bp_controlled, r(4, 4));
    assert_eq!(t.bp_controlled_all_diabetics, r(5, 5));
    assert_eq!(t.missed_visit_3m, r(0, 5));
    // A group's tally is the sum of its patients' own.
    let mut merged = Tally::default();
    for f in &cohort {
        let mut one = Tally::default();
        one.add(f, &period);
        merged.merge(&one);
    }
    assert_eq!(merged, t);
}

#[test]
fn the_cascade_on_hand_built_patients() {
    let month = CascadeMonth::of(d(2026, 11, 30), d(2026, 12, 15), d(2026, 12, 15));
    let call = |day: u32, reached: bool| CascadeCall {
        on: d(2026, 11, day),
        reached,
    };
    let visit = [d(2026, 11, 20)];
    // (overdue on the 1st, has a phone, calls, visits, the stage reached)
    type Patient<'a> = (bool, bool, Vec<CascadeCall>, &'a [NaiveDate], CascadeStage);
    let patients: Vec<Patient> = vec![
        (
            false,
            true,
            vec![call(2, true)],
            &visit,
            CascadeStage::NotOverdue,
        ),
        (
            true,
            false,
            vec![call(2, true)],
            &visit,
            CascadeStage::Overdue,
        ),
        (true, true, vec![], &visit, CascadeStage::Contactable),
        (
            true,
            true,
            vec![call(2, false), call(3, false)],
            &visit,
            CascadeStage::Called,
        ),
        // First call on the 2nd: a visit on the 20th is 18 days later.
        (
            true,
            true,
            vec![call(2, false), call(10, true)],
            &visit,
            CascadeStage::Reached,
        ),
        (
            true,
            true,
            vec![call(9, true)],
            &visit,
            CascadeStage::Returned,
        ),
    ];
    let mut c = Cascade::default();
    for (overdue, phone, calls, visits, stage) in &patients {
        let f = CascadeFacts {
            overdue_on_first: *overdue,
            has_phone: *phone,
            calls,
            visits,
        };
        assert_eq!(cascade_stage(&f, &month), *stage, "{stage:?}");
        c.add(&f, &month);
    }
    assert_eq!(c.overdue, 5);
    assert_eq!(c.contactable, r(4, 5));
    assert_eq!(c.called, r(3, 4));
    assert_eq!(c.reached, r(2, 3));
    assert_eq!(c.returned, r(1, 2));
}

// ---------------------------------------------------------------- the shared sample register

/// A clock for the figures as they were on `as_of` (later calls ignored).
fn historical(as_of: NaiveDate) -> Clock {
    Clock {
        as_of,
        kind: ClockKind::Historical,
    }
}

pub(crate) fn shared() -> Store {
    Store::open_existing(common::shared_register()).unwrap()
}

fn board(store: &Store, query: &ProgressQuery) -> ProgressBoard {
    progress_board(store.conn(), &common::clock(), query).unwrap()
}

#[test]
fn the_trend_is_progress_for_at_each_month_end() {
    let store = shared();
    let b = board(&store, &ProgressQuery::default());
    assert_eq!(b.series.len(), 12);
    assert_eq!(b.series.last().unwrap().end, common::as_of());
    for m in &b.series {
        let v = progress_for(store.conn(), Period::rolling_year(m.end)).unwrap();
        assert_eq!(m.tally, v.total, "{}", m.end);
        let computed =
            views::progress::progress_for_computed(store.conn(), Period::rolling_year(m.end))
                .unwrap();
        assert_eq!(v, computed, "{}", m.end);
    }
    // The readmission bars count the stays discharged in each month, as the readmission view does.
    let readm = views::readmissions(store.conn(), common::as_of()).unwrap();
    for month in &readm.summary.by_month {
        if let Some(m) = b
            .series
            .iter()
            .find(|m| m.end.format("%Y-%m").to_string() == month.month)
        {
            assert_eq!(m.readmissions, r(month.readmissions, month.index_stays));
        }
    }
}

#[test]
fn overdue_on_the_first_is_the_worklist_of_that_morning() {
    let store = shared();
    let conn = store.conn();
    for month in [None, Some(d(2026, 10, 15)), Some(d(2026, 6, 1))] {
        let q = ProgressQuery {
            month,
            ..ProgressQuery::default()
        };
        let b = board(&store, &q);
        let first =
            views::worklist(conn, &historical(b.month.first), &WorklistFilter::default()).unwrap();
        assert_eq!(
            b.total.cascade.overdue,
            first.rows.len() as u64,
            "{month:?}"
        );
        let sites: u64 = b.sites.iter().map(|s| s.cascade.overdue).sum();
        assert_eq!(sites, b.total.cascade.overdue);
        // The very patients, not just their number.
        let drill = progress_patients(
            conn,
            &common::clock(),
            &q,
            &DrillGroup::Total,
            Column::Overdue,
        )
        .unwrap();
        let mut mine: Vec<&str> = drill.rows.iter().map(|r| r.patient_id.as_str()).collect();
        let mut theirs: Vec<&str> = first.rows.iter().map(|r| r.patient_id.as_str()).collect();
        mine.sort_unstable();
        theirs.sort_unstable();
        assert_eq!(mine, theirs, "{month:?}");
    }
}

#[test]
fn worklist_sizes_and_readmissions_match_their_own_views() {
    let store = shared();
    let conn = store.conn();
    let b = board(&store, &ProgressQuery::default());
    let list = views::worklist(conn, &common::clock(), &WorklistFilter::default()).unwrap();
    let on_list = list.total.unwrap_or(list.rows.len() as u64);
    assert_eq!(b.total.workload.worklist, on_list);
    let readm = views::readmissions(conn, common::as_of()).unwrap();
    let s = &readm.summary;
    assert_eq!(b.total.readmissions, r(s.readmissions, s.index_stays));
    let by_site = b.sites.iter().fold(Ratio::default(), |mut a, x| {
        a += x.readmissions;
        a
    });
    assert_eq!(by_site, b.total.readmissions);
    let calls: u64 = b.nurses.iter().map(|n| n.workload.calls).sum();
    assert_eq!(calls, b.total.workload.calls);
}

#[test]
fn the_patients_behind_a_figure_add_up_to_it() {
    let store = shared();
    let conn = store.conn();
    let q = ProgressQuery::default();
    let b = board(&store, &q);
    let site = &b.view.sites[0];
    for column in [
        Column::PoorControl,
        Column::BpControlled,
        Column::Readmitted,
        Column::Called,
        Column::Active,
    ] {
        let list = progress_patients(
            conn,
            &common::clock(),
            &q,
            &DrillGroup::Site(site.id.clone()),
            column,
        )
        .unwrap();
        assert_eq!(
            list.figure,
            column.figure(&site.tally, &b.sites[0]),
            "{column:?}"
        );
        match list.figure {
            Figure::Ratio(x) => {
                let (num, den) = list
                    .rows
                    .iter()
                    .fold((0, 0), |(n, d), row| match row.figure {
                        Figure::Ratio(y) => (n + y.numerator, d + y.denominator),
                        Figure::Count(_) => (n, d),
                    });
                assert_eq!(r(num, den), x, "{column:?}");
                let marked = list.rows.iter().filter(|r| r.meets).count();
                assert!(
                    list.rows.iter().take(marked).all(|r| r.meets),
                    "counted first"
                );
            }
            Figure::Count(n) => assert_eq!(list.rows.len() as u64, n, "{column:?}"),
        }
    }
}
