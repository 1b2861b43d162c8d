//! One hand-built case per clause of the HEARTS rules (Simple, "What we report").

use super::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn r(date: &str, kind: ReadingKind, value: f64) -> Reading {
    Reading {
        date: d(date),
        kind,
        value,
    }
}

fn bp(date: &str, sys: f64, dia: f64) -> [Reading; 2] {
    [
        r(date, ReadingKind::Systolic, sys),
        r(date, ReadingKind::Diastolic, dia),
    ]
}

fn enrolled(on: &str) -> PatientFacts {
    PatientFacts {
        enrolled_on: d(on),
        ..PatientFacts::default()
    }
}

const T: &str = "2025-03-31";

#[test]
fn three_months_before_the_end_of_may_is_the_end_of_february() {
    assert_eq!(months_before(d("2025-05-31"), 3), d("2025-02-28"));
    assert_eq!(months_before(d("2024-05-31"), 3), d("2024-02-29"));
    assert_eq!(months_before(d("2025-03-31"), 12), d("2024-03-31"));
}

#[test]
fn the_window_holds_day_90_and_not_day_91() {
    // 1 January to 31 March 2025 is 90 days; 31 December is the 91st day back.
    let w = Window::months_ending(d(T), 3);
    assert!(w.contains(d("2025-01-01")));
    assert!(w.contains(d(T)));
    assert!(!w.contains(d("2024-12-31")));
    assert!(!w.contains(d("2025-04-01")), "nothing after T");
    assert_eq!((d(T) - d("2025-01-01")).num_days() + 1, 90);
}

#[test]
fn assigned_means_enrolled_by_t_alive_and_not_moved() {
    let t = d(T);
    assert!(enrolled(T).assigned(t), "enrolled on T itself");
    assert!(!enrolled("2025-04-01").assigned(t), "enrolled after T");
    let died_on_t = PatientFacts {
        death: Exit::On(t),
        ..enrolled("2020-01-01")
    };
    assert!(!died_on_t.assigned(t), "dead on T is not assigned");
    assert!(died_on_t.assigned(d("2025-03-30")), "alive the day before");
    let undated = PatientFacts {
        death: Exit::Undated,
        ..enrolled("2020-01-01")
    };
    assert!(!undated.assigned(t), "an undated death excludes at every T");
    let moved = PatientFacts {
        moved: Exit::On(d("2025-01-10")),
        ..enrolled("2020-01-01")
    };
    assert!(!moved.assigned(t));
    let ended = PatientFacts {
        ended_on: Some(d("2025-02-01")),
        ..enrolled("2020-01-01")
    };
    assert!(!ended.assigned(t));
}

#[test]
fn a_contact_is_an_encounter_or_a_bp_hba1c_or_glucose_measurement() {
    let w = Window::months_ending(d(T), 3);
    let mut p = enrolled("2020-01-01");
    assert!(!p.contact_in(w));
    p.encounter_days.push(d("2025-02-01"));
    assert!(p.contact_in(w));
    for kind in [
        ReadingKind::Systolic,
        ReadingKind::Diastolic,
        ReadingKind::Hba1c,
        ReadingKind::Glucose,
    ] {
        let p = PatientFacts {
            readings: vec![r("2025-02-01", kind, 5.0)],
            ..enrolled("2020-01-01")
        };
        assert!(p.contact_in(w), "{kind:?}");
    }
}

#[test]
fn under_care_is_a_contact_in_the_year_or_enrolled_in_it() {
    let t = d(T);
    let seen = PatientFacts {
        encounter_days: vec![d("2024-04-01")],
        ..enrolled("2020-01-01")
    };
    let s = seen.status(t, Outcome::Counts);
    assert!(s.assigned && s.under_care && !s.lost_to_follow_up);
    // The first day of the year window is 1 April 2024; 31 March 2024 is outside it.
    let last_seen_too_early = PatientFacts {
        encounter_days: vec![d("2024-03-31")],
        ..enrolled("2020-01-01")
    };
    let s = last_seen_too_early.status(t, Outcome::Counts);
    assert!(!s.under_care && s.lost_to_follow_up);
    // Enrolled in the year without a contact: under care (Simple counts new registrations).
    let s = enrolled("2024-06-01").status(t, Outcome::Counts);
    assert!(s.under_care && !s.lost_to_follow_up);
}

#[test]
fn lost_to_follow_up_starts_at_enrolment_exactly_twelve_months_before_t() {
    let t = d(T);
    let s = enrolled("2024-03-31").status(t, Outcome::Counts);
    assert!(s.lost_to_follow_up, "enrolled exactly T − 12 months");
    let s = enrolled("2024-04-01").status(t, Outcome::Counts);
    assert!(!s.lost_to_follow_up && s.under_care, "a day later");
}

#[test]
fn the_denominator_is_under_care_and_enrolled_three_months_before_t() {
    // T = 31 May 2024: T − 3 months = 29 February 2024.
    let t = d("2024-05-31");
    let on_cut = enrolled("2024-02-29").status(t, Outcome::BloodPressure);
    assert!(on_cut.in_denominator);
    assert_eq!(on_cut.bucket, Some(Bucket::MissedVisit));
    let after = enrolled("2024-03-01").status(t, Outcome::BloodPressure);
    assert!(after.under_care && !after.in_denominator);
    assert_eq!(after.bucket, None);
    let lost = enrolled("2020-01-01").status(t, Outcome::BloodPressure);
    assert!(!lost.in_denominator, "lost to follow-up is outside");
}

#[test]
fn bp_controlled_below_140_over_90_on_the_latest_day() {
    let w = Window::months_ending(d(T), 3);
    let p = |readings: Vec<Reading>| PatientFacts {
        readings,
        ..enrolled("2020-01-01")
    };
    assert_eq!(
        p(bp("2025-03-01", 139.0, 89.0).to_vec()).bp_bucket(w),
        Bucket::Controlled
    );
    assert_eq!(
        p(bp("2025-03-01", 140.0, 80.0).to_vec()).bp_bucket(w),
        Bucket::Uncontrolled
    );
    assert_eq!(
        p(bp("2025-03-01", 120.0, 90.0).to_vec()).bp_bucket(w),
        Bucket::Uncontrolled
    );
    // The latest day wins over an earlier controlled one.
    let mut later = bp("2025-01-05", 120.0, 70.0).to_vec();
    later.extend(bp("2025-03-20", 170.0, 95.0));
    assert_eq!(p(later).bp_bucket(w), Bucket::Uncontrolled);
}

#[test]
fn two_readings_on_one_day_take_the_lowest_systolic_and_lowest_diastolic() {
    let w = Window::months_ending(d(T), 3);
    let mut readings = bp("2025-03-10", 150.0, 85.0).to_vec();
    readings.extend(bp("2025-03-10", 135.0, 92.0));
    let p = PatientFacts {
        readings,
        ..enrolled("2020-01-01")
    };
    assert_eq!(p.bp_bucket(w), Bucket::Controlled, "135/85");
}

#[test]
fn a_day_needs_both_a_systolic_and_a_diastolic_reading() {
    let w = Window::months_ending(d(T), 3);
    let mut readings = bp("2025-01-10", 160.0, 100.0).to_vec();
    readings.push(r("2025-03-10", ReadingKind::Systolic, 120.0));
    let p = PatientFacts {
        readings,
        ..enrolled("2020-01-01")
    };
    assert_eq!(
        p.bp_bucket(w),
        Bucket::Uncontrolled,
        "the lone systolic day is skipped"
    );
}

#[test]
fn no_bp_is_visited_no_bp_with_a_contact_else_missed_visit() {
    let w = Window::months_ending(d(T), 3);
    let visited = PatientFacts {
        encounter_days: vec![d("2025-01-01")],
        readings: bp("2024-12-31", 120.0, 70.0).to_vec(),
        ..enrolled("2020-01-01")
    };
    assert_eq!(
        visited.bp_bucket(w),
        Bucket::VisitedNoBp,
        "the BP is on day 91"
    );
    let glucose_only = PatientFacts {
        readings: vec![r("2025-02-01", ReadingKind::Glucose, 6.0)],
        ..enrolled("2020-01-01")
    };
    assert_eq!(glucose_only.bp_bucket(w), Bucket::VisitedNoBp);
    let missed = PatientFacts {
        encounter_days: vec![d("2024-12-31")],
        ..enrolled("2020-01-01")
    };
    assert_eq!(missed.bp_bucket(w), Bucket::MissedVisit);
}

#[test]
fn hba1c_bands_are_under_7_then_7_to_8_9_then_9_and_over() {
    assert_eq!(hba1c_band(6.99), Bucket::BsUnder200);
    assert_eq!(hba1c_band(7.0), Bucket::Bs200To299);
    assert_eq!(hba1c_band(8.99), Bucket::Bs200To299);
    assert_eq!(hba1c_band(9.0), Bucket::Bs300Plus);
}

#[test]
fn glucose_bands_are_200_and_300_mg_dl_from_mmol_l() {
    // 200 mg/dL = 11.1 mmol/L; 300 mg/dL = 16.65 mmol/L (16.7 as the issue rounds it).
    assert_eq!(glucose_band(11.0), Bucket::BsUnder200);
    assert_eq!(glucose_band(11.05), Bucket::BsUnder200, "199 mg/dL");
    assert_eq!(glucose_band(11.1), Bucket::Bs200To299, "200 mg/dL");
    assert_eq!(glucose_band(16.6), Bucket::Bs200To299, "299 mg/dL");
    assert_eq!(glucose_band(16.65), Bucket::Bs300Plus, "300 mg/dL");
    assert_eq!(glucose_band(16.7), Bucket::Bs300Plus);
}

#[test]
fn hba1c_wins_over_glucose_on_the_same_day() {
    let w = Window::months_ending(d(T), 3);
    let p = PatientFacts {
        readings: vec![
            r("2025-03-01", ReadingKind::Glucose, 20.0),
            r("2025-03-01", ReadingKind::Hba1c, 6.5),
        ],
        ..enrolled("2020-01-01")
    };
    assert_eq!(p.bs_bucket(w), Bucket::BsUnder200);
    // A later glucose day wins over an earlier HbA1c.
    let p = PatientFacts {
        readings: vec![
            r("2025-02-01", ReadingKind::Hba1c, 6.5),
            r("2025-03-01", ReadingKind::Glucose, 20.0),
        ],
        ..enrolled("2020-01-01")
    };
    assert_eq!(p.bs_bucket(w), Bucket::Bs300Plus);
}

#[test]
fn no_blood_sugar_is_visited_no_bs_with_a_contact_else_missed_visit() {
    let w = Window::months_ending(d(T), 3);
    let bp_only = PatientFacts {
        readings: bp("2025-03-01", 120.0, 70.0).to_vec(),
        ..enrolled("2020-01-01")
    };
    assert_eq!(bp_only.bs_bucket(w), Bucket::VisitedNoBs);
    let old = PatientFacts {
        readings: vec![r("2024-12-31", ReadingKind::Hba1c, 6.0)],
        ..enrolled("2020-01-01")
    };
    assert_eq!(old.bs_bucket(w), Bucket::MissedVisit, "day 91 is outside");
}

#[test]
fn counts_partition_assigned_and_the_denominator() {
    let t = d(T);
    let mut c = Counts::new(Outcome::BloodSugar);
    let patients = [
        PatientFacts {
            readings: vec![r("2025-03-01", ReadingKind::Hba1c, 9.5)],
            ..enrolled("2020-01-01")
        },
        enrolled("2020-01-01"),
        enrolled("2025-03-01"),
        PatientFacts {
            death: Exit::On(t),
            ..enrolled("2020-01-01")
        },
    ];
    for p in &patients {
        c.add(&p.status(t, Outcome::BloodSugar));
    }
    assert_eq!(c.assigned, 3);
    assert_eq!(c.under_care + c.lost_to_follow_up, c.assigned);
    assert_eq!(c.denominator, 1);
    assert_eq!(c.bucket(Bucket::Bs300Plus), 1);
    let json = serde_json::to_value(&c).unwrap();
    assert_eq!(json["lost_to_follow_up"], 1);
    assert_eq!(json["bs_300_plus"], 1);
    assert!(
        json.get("controlled").is_none(),
        "diabetes has no BP buckets"
    );
    let names: Vec<_> = c.figures().iter().map(|f| f.0).collect();
    assert_eq!(
        names,
        [
            "assigned",
            "under_care",
            "lost_to_follow_up",
            "denominator",
            "bs_under_200",
            "bs_200_to_299",
            "bs_300_plus",
            "visited_no_bs",
            "missed_visit"
        ]
    );
}

#[test]
fn a_quarterly_cohort_is_judged_over_the_two_following_quarters() {
    let q = Quarter::of(d("2024-02-10"));
    assert_eq!(q.label(), "2024-Q1");
    assert_eq!(q.cohort_window().after, d("2024-03-31"));
    assert_eq!(q.cohort_window().to, d("2024-09-30"));
    let p = PatientFacts {
        readings: bp("2024-09-30", 130.0, 80.0).to_vec(),
        ..enrolled("2024-02-10")
    };
    assert_eq!(
        p.cohort_bucket(q, Outcome::BloodPressure),
        Some(Bucket::Controlled)
    );
    assert_eq!(p.cohort_bucket(q.next(), Outcome::BloodPressure), None);
    let in_quarter_only = PatientFacts {
        readings: bp("2024-03-31", 130.0, 80.0).to_vec(),
        ..enrolled("2024-02-10")
    };
    assert_eq!(
        in_quarter_only.cohort_bucket(q, Outcome::BloodPressure),
        Some(Bucket::MissedVisit),
        "a reading in the enrolment quarter itself does not count"
    );
    let died = PatientFacts {
        death: Exit::On(d("2024-08-01")),
        ..enrolled("2024-02-10")
    };
    assert_eq!(died.cohort_bucket(q, Outcome::BloodPressure), None);
}
