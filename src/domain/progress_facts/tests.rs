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

/// Random patients for the recheck walk: events within 14 months before and 6 weeks after the
/// walk's months, so that windows, birthdays and stays start and end during the walk.
mod recheck_walk {
    use super::*;
    use crate::domain::patient_record::{CallEvent, EncounterEvent, ObservationEvent};
    use crate::domain::types::{CallOutcome, EncounterClass};
    use chrono::Days;
    use proptest::prelude::*;

    /// The first days of the months walked (a 31-day month, February of a leap and of a
    /// common year, a 30-day month).
    const MONTHS: [(i32, u32); 4] = [(2026, 3), (2024, 2), (2027, 2), (2026, 11)];

    fn date_around(start: NaiveDate) -> BoxedStrategy<NaiveDate> {
        let n = start.num_days_from_ce();
        (n - 430..n + 45)
            .prop_map(|n| NaiveDate::from_num_days_from_ce_opt(n).unwrap())
            .boxed()
    }

    prop_compose! {
        fn observation(start: NaiveDate)(
            kind in proptest::sample::select(vec![
                ObservationKind::Hba1c, ObservationKind::Systolic, ObservationKind::Diastolic,
                ObservationKind::Glucose,
            ]),
            date in date_around(start),
            value in 5.0f64..200.0,
            at_site in any::<bool>(),
        ) -> ObservationEvent {
            ObservationEvent { kind, date, value, at_site }
        }
    }

    prop_compose! {
        fn encounter(start: NaiveDate)(
            class in proptest::sample::select(vec![
                EncounterClass::Inpatient, EncounterClass::Emergency, EncounterClass::Outpatient,
            ]),
            from in date_around(start),
            days in 0u64..12,
            planned in any::<bool>(),
            id in 0u32..1000,
        ) -> EncounterEvent {
            EncounterEvent {
                id: format!("E{id}"),
                class,
                start: from,
                end: from.checked_add_days(Days::new(days)),
                organization_id: Some("H".into()),
                planned,
                disposition: None,
                principal_dx: None,
            }
        }
    }

    prop_compose! {
        fn call(start: NaiveDate)(
            on in date_around(start),
            outcome in proptest::sample::select(CallOutcome::ALL.to_vec()),
        ) -> CallEvent {
            CallEvent { at: on.and_hms_opt(10, 0, 0).unwrap(), outcome, next_date: None }
        }
    }

    fn birth() -> BoxedStrategy<Option<NaiveDate>> {
        prop_oneof![
            Just(Some(d(1960, 2, 29))),
            Just(Some(d(2008, 3, 10))),
            (1930i32..2010, 1u32..13, 1u32..29)
                .prop_map(|(y, m, day)| NaiveDate::from_ymd_opt(y, m, day)),
        ]
        .boxed()
    }

    prop_compose! {
        fn patient(start: NaiveDate)(
            observations in proptest::collection::vec(observation(start), 0..8),
            encounters in proptest::collection::vec(encounter(start), 0..4),
            calls in proptest::collection::vec(call(start), 0..4),
            appointments in proptest::collection::vec(date_around(start), 0..2),
            diagnoses in proptest::collection::vec(
                (proptest::sample::select(vec!["I10", "I10", "I10", "Z51.5", "R54", "G30.1", "N18.5", "O09.9", "E11.9"]),
                 date_around(start)),
                0..4,
            ),
            enrolled_on in proptest::option::of(date_around(start)),
            death_date in proptest::option::weighted(0.15, date_around(start)),
            moved_on in proptest::option::weighted(0.1, date_around(start)),
            palliative_since in proptest::option::weighted(0.1, date_around(start)),
            birth_date in birth(),
        ) -> (PatientRecord, PatientDetails) {
            let mut r = PatientRecord::new("P", PatientStatus::Active);
            r.observations = observations;
            r.encounters = encounters;
            r.calls = calls;
            r.appointments = appointments;
            r.icd10 = diagnoses.into_iter().map(|(c, d)| (c.to_string(), d)).collect();
            r.enrolled_on = enrolled_on;
            r.death_date = death_date;
            let details = PatientDetails {
                birth_date,
                moved_on,
                site_id: "S".into(),
                nurse_id: "N".into(),
                has_phone: true,
                palliative_since,
            };
            (r, details)
        }
    }

    fn walk_start() -> impl Strategy<Value = NaiveDate> {
        proptest::sample::select(MONTHS.to_vec()).prop_map(|(y, m)| d(y, m, 1))
    }

    fn derived(
        r: &PatientRecord,
        details: &PatientDetails,
        clock: &ProgressClock,
    ) -> (Vec<MonthFacts>, Option<NaiveDate>) {
        let thresholds = Thresholds::default();
        let calendar = Calendar::russia();
        let rules = Rules {
            thresholds: &thresholds,
            calendar: &calendar,
        };
        derive_with_recheck(r, details, clock, &clock.month_ends(), rules)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1024))]

        /// Until a patient's recheck day, every figure at every period end equals a full
        /// derivation for the day (the last period end being the day itself), and the recheck
        /// day is always after the as-of date; with today's clock (calls count up to the day) and
        /// a fixed one (calls count whenever they are dated).
        #[test]
        fn between_rechecks_the_figures_do_not_change(
            (start, (record, details), fixed) in walk_start()
                .prop_flat_map(|s| (Just(s), patient(s), any::<bool>())),
        ) {
            let clock_on = |day: NaiveDate| ProgressClock {
                as_of: day,
                calls_until: if fixed { d(9999, 12, 31) } else { day },
            };
            let mut base = clock_on(start);
            let (mut facts, mut until) = derived(&record, &details, &base);
            let mut day = start;
            while let Some(next) = day.succ_opt().filter(|n| n.month() == start.month()) {
                day = next;
                let (now, recheck) = derived(&record, &details, &clock_on(day));
                if until.is_some_and(|u| day >= u) {
                    prop_assert!(recheck.is_none_or(|r| r > day));
                    base = clock_on(day);
                    facts = now;
                    until = recheck;
                    continue;
                }
                prop_assert_eq!(
                    &now, &facts,
                    "on {} the figures differ from those of {} (recheck {:?})", day, base.as_of, until
                );
            }
        }
    }
}
