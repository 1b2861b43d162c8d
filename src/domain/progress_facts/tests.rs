use super::*;
use crate::domain::patient_record::{CallEvent, EncounterEvent, ObservationEvent};
use crate::domain::progress_counts::{CALLS, OVERDUE};
use crate::domain::types::{CallOutcome, EncounterClass};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn obs(kind: ObservationKind, date: NaiveDate, value: f64) -> ObservationEvent {
    ObservationEvent {
        kind,
        date,
        value,
        at_site: true,
    }
}

fn stay(id: &str, from: NaiveDate, to: NaiveDate) -> EncounterEvent {
    EncounterEvent {
        id: id.into(),
        class: EncounterClass::Inpatient,
        start: from,
        end: Some(to),
        organization_id: Some("H".into()),
        planned: false,
        disposition: None,
        principal_dx: None,
    }
}

fn patient() -> (PatientRecord, PatientDetails) {
    let mut r = PatientRecord::new("P1", PatientStatus::Active);
    r.enrolled_on = Some(d(2020, 1, 1));
    r.observations = vec![
        obs(ObservationKind::Hba1c, d(2026, 3, 10), 9.5),
        obs(ObservationKind::Hba1c, d(2026, 9, 10), 6.5),
        obs(ObservationKind::Hba1c, d(2026, 9, 10), 6.9),
        obs(ObservationKind::Systolic, d(2026, 9, 10), 150.0),
        obs(ObservationKind::Systolic, d(2026, 9, 10), 130.0),
        obs(ObservationKind::Diastolic, d(2026, 9, 10), 85.0),
    ];
    r.encounters = vec![
        stay("S1", d(2026, 5, 1), d(2026, 5, 5)),
        stay("S2", d(2026, 5, 20), d(2026, 5, 22)),
    ];
    r.calls = vec![
        CallEvent {
            at: d(2026, 11, 3).and_hms_opt(9, 0, 0).unwrap(),
            outcome: CallOutcome::NoAnswer,
            next_date: None,
        },
        CallEvent {
            at: d(2026, 11, 4).and_hms_opt(9, 0, 0).unwrap(),
            outcome: CallOutcome::NoAnswer,
            next_date: None,
        },
    ];
    let details = PatientDetails {
        birth_date: Some(d(1960, 1, 1)),
        moved_on: None,
        site_id: "PC1".into(),
        nurse_id: "N1".into(),
        has_phone: true,
        palliative_since: None,
    };
    (r, details)
}

fn clock() -> ProgressClock {
    ProgressClock {
        as_of: d(2026, 11, 20),
        calls_until: d(2026, 11, 20),
    }
}

fn facts_at(r: &PatientRecord, details: &PatientDetails, ends: &[NaiveDate]) -> Vec<MonthFacts> {
    let thresholds = Thresholds::default();
    let calendar = Calendar::russia();
    let rules = Rules {
        thresholds: &thresholds,
        calendar: &calendar,
    };
    derive(r, details, &clock(), ends, rules)
}

#[test]
fn each_end_tallies_the_facts_known_by_then() {
    let (r, details) = patient();
    let ends = clock().month_ends();
    assert_eq!(ends.len(), 12);
    let months = facts_at(&r, &details, &ends);
    let timeline = Timeline::new(&r, &details);
    for (end, m) in ends.iter().zip(&months) {
        let mut t = Tally::default();
        t.add(&timeline.indicator_facts(*end), &Period::rolling_year(*end));
        assert_eq!(m.counts.tally(), t, "{end}");
        assert_eq!(m.counts.0[PATIENTS], 1);
    }
    // The day's highest HbA1c; the day's lowest systolic.
    let last = months.last().unwrap();
    assert_eq!(last.drill.latest_hba1c, Some((d(2026, 9, 10), 6.9)));
    assert_eq!(last.drill.latest_bp, Some((d(2026, 9, 10), 130.0, 85.0)));
    let april = &months[ends.iter().position(|e| *e == d(2026, 4, 30)).unwrap()];
    assert_eq!(april.drill.latest_hba1c, Some((d(2026, 3, 10), 9.5)));
    assert_eq!(april.drill.latest_bp, None);
    assert_eq!(april.counts.tally().hba1c_poor_control.numerator, 1);
}

#[test]
fn clinical_facts_read_diagnoses_stays_and_the_palliative_flag() {
    let (mut r, mut details) = patient();
    let end = d(2026, 11, 20);
    let facts = |r: &PatientRecord, details: &PatientDetails| {
        Timeline::new(r, details).indicator_facts(end).clinical
    };
    assert!(!facts(&r, &details).palliative);
    // The patient flag from its start date on.
    details.palliative_since = Some(d(2026, 12, 1));
    assert!(!facts(&r, &details).palliative, "not yet");
    details.palliative_since = Some(d(2024, 1, 1));
    assert!(
        facts(&r, &details).palliative,
        "began before the period, still in care"
    );
    details.palliative_since = None;
    // Z51.5 counts in the period only; frailty and hypertension from their onset.
    r.icd10 = vec![
        ("Z51.5".into(), d(2025, 1, 1)),
        ("R54".into(), d(2019, 1, 1)),
        ("I10".into(), d(2018, 5, 1)),
        ("I11.9".into(), d(2021, 1, 1)),
    ];
    let c = facts(&r, &details);
    assert!(!c.palliative && c.frailty && !c.advanced_illness);
    assert_eq!(c.hypertension_since, Some(d(2018, 5, 1)));
    // A reading on a day in hospital does not count for CMS165; the day before does.
    r.observations = vec![
        obs(ObservationKind::Systolic, d(2026, 10, 1), 130.0),
        obs(ObservationKind::Diastolic, d(2026, 10, 1), 80.0),
        obs(ObservationKind::Systolic, d(2026, 10, 5), 120.0),
        obs(ObservationKind::Diastolic, d(2026, 10, 5), 70.0),
    ];
    r.encounters = vec![stay("s1", d(2026, 10, 2), d(2026, 10, 6))];
    let c = facts(&r, &details);
    assert_eq!(c.latest_bp_ambulatory, Some((d(2026, 10, 1), 130.0, 80.0)));
    let all = Timeline::new(&r, &details).indicator_facts(end).latest_bp;
    assert_eq!(all, Some((d(2026, 10, 5), 120.0, 70.0)));
}

#[test]
fn calls_and_readmissions_fall_in_their_months() {
    let (r, details) = patient();
    let ends = clock().month_ends();
    let months = facts_at(&r, &details, &ends);
    let november = months.last().unwrap();
    assert_eq!(november.counts.0[CALLS], 2);
    assert_eq!(
        november.counts.by_outcome().get(&CallOutcome::NoAnswer),
        Some(&2)
    );
    assert_eq!(months[ends.len() - 2].counts.0[CALLS], 0);
    // May: S1 discharged on the 5th, readmitted on the 20th (S2's window closed by November).
    let may = ends.iter().position(|e| *e == d(2026, 5, 31)).unwrap();
    assert_eq!(
        months[may].counts.readmissions(SERIES_READMISSIONS),
        Ratio {
            numerator: 1,
            denominator: 2
        }
    );
    // An end outside the trend has no trend readmissions.
    let other = facts_at(&r, &details, &[d(2026, 5, 31), d(2025, 5, 31)]);
    assert_eq!(other[0].counts, months[may].counts);
    assert_eq!(
        other[1].counts.readmissions(SERIES_READMISSIONS),
        Ratio::default()
    );
}

#[test]
fn only_active_patients_are_overdue_or_on_the_worklist() {
    let (mut r, mut details) = patient();
    let ends = clock().month_ends();
    let active = facts_at(&r, &details, &ends);
    assert!(
        active.iter().any(|m| m.counts.0[OVERDUE] == 1),
        "three no-answers or an HbA1c overdue put them on the list some month"
    );
    r.status = PatientStatus::Moved;
    details.moved_on = Some(d(2026, 6, 1));
    let moved = facts_at(&r, &details, &ends);
    assert!(
        moved
            .iter()
            .all(|m| m.counts.0[OVERDUE] == 0 && m.counts.0[WORKLIST] == 0)
    );
    assert_eq!(moved.last().unwrap().counts.tally().moves, 1);
    assert_eq!(moved.last().unwrap().counts.tally().enrolled_active, 0);
}

#[test]
fn the_board_end_of_a_month() {
    let c = clock();
    assert_eq!(c.board_end(None), c.as_of);
    assert_eq!(c.board_end(Some(d(2026, 11, 1))), c.as_of);
    assert_eq!(c.board_end(Some(d(2026, 12, 1))), c.as_of);
    assert_eq!(c.board_end(Some(d(2026, 10, 7))), d(2026, 10, 31));
    assert_eq!(c.cascade_month(c.as_of).last, c.as_of);
    assert_eq!(c.cascade_month(d(2026, 10, 31)).last, d(2026, 10, 31));
}
