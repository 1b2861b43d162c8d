//! The programme reasons (#21): each is raised by the programmes whose file lists it, names them,
//! and the high-risk mark follows Simple's rule clause by clause.

use super::*;

fn hypertensive(id: &str, as_of: NaiveDate) -> PatientFacts {
    PatientFacts {
        programs: vec![enrolment("hypertension")],
        ..quiet(id, as_of)
    }
}

fn bp(date: NaiveDate, systolic: f64, diastolic: f64) -> Option<BpFact> {
    Some(BpFact {
        date,
        systolic: Some(systolic),
        diastolic: Some(diastolic),
    })
}

fn finding(e: &WorklistEntry, reason: Reason) -> Finding {
    e.findings
        .iter()
        .find(|f| f.reason == reason)
        .unwrap()
        .clone()
}

#[test]
fn hba1c_is_asked_only_of_a_programme_that_watches_it() {
    let as_of = d(2025, 6, 16);
    let f = PatientFacts {
        latest_hba1c: None,
        ..hypertensive("p", as_of)
    };
    assert_eq!(evaluate(&f, as_of, &t(), &ru()), None);
    let f = PatientFacts {
        programs: vec![diabetes()],
        ..f
    };
    assert!(
        evaluate(&f, as_of, &t(), &ru())
            .unwrap()
            .has(Reason::Hba1cOverdue)
    );
}

#[test]
fn bp_not_controlled_and_no_visit_since_after_the_follow_up_days() {
    let reading = d(2025, 5, 2);
    // 28 follow-up days: due on 30 May, on the list from 31 May.
    let on = |as_of: NaiveDate, s: f64, dia: f64, visit: NaiveDate| PatientFacts {
        latest_bp: bp(reading, s, dia),
        latest_visit: Some(visit),
        ..hypertensive("p", as_of)
    };
    let day = d(2025, 5, 30);
    assert_eq!(
        evaluate(&on(day, 150.0, 85.0, reading), day, &t(), &ru()),
        None
    );
    let day = d(2025, 5, 31);
    let e = evaluate(&on(day, 150.0, 85.0, reading), day, &t(), &ru()).unwrap();
    let f = finding(&e, Reason::BpUncontrolled);
    assert_eq!(
        (f.due, f.days_overdue, f.priority),
        (d(2025, 5, 30), 1, Priority::Normal)
    );
    assert_eq!(f.programs, ["hypertension"]);
    // The diastolic alone is enough; below 140/90 is controlled.
    assert!(evaluate(&on(day, 135.0, 92.0, reading), day, &t(), &ru()).is_some());
    assert_eq!(
        evaluate(&on(day, 139.0, 89.0, reading), day, &t(), &ru()),
        None
    );
    // A visit after the reading is the follow-up.
    assert_eq!(
        evaluate(&on(day, 150.0, 85.0, d(2025, 5, 20)), day, &t(), &ru()),
        None
    );
}

#[test]
fn bp_not_measured_for_the_programmes_months() {
    let reading = d(2024, 12, 10);
    let f = |as_of: NaiveDate| PatientFacts {
        latest_bp: bp(reading, 130.0, 80.0),
        latest_visit: Some(reading),
        ..hypertensive("p", as_of)
    };
    // Six months: due 10 June, on the list from 11 June.
    assert_eq!(
        evaluate(&f(d(2025, 6, 10)), d(2025, 6, 10), &t(), &ru()),
        None
    );
    let e = evaluate(&f(d(2025, 6, 11)), d(2025, 6, 11), &t(), &ru()).unwrap();
    let found = finding(&e, Reason::BpNotMeasured);
    assert_eq!((found.due, found.days_overdue), (d(2025, 6, 10), 1));
    assert_eq!(found.since, Some(reading));
    // Never measured: due since the programme's enrolment.
    let never = PatientFacts {
        latest_bp: None,
        programs: vec![ProgramEnrolment {
            enrolled_on: Some(d(2025, 3, 1)),
            ..enrolment("hypertension")
        }],
        ..quiet("p", d(2025, 6, 16))
    };
    let e = evaluate(&never, d(2025, 6, 16), &t(), &ru()).unwrap();
    let found = finding(&e, Reason::BpNotMeasured);
    assert_eq!((found.due, found.since), (d(2025, 3, 1), None));
}

#[test]
fn a_reason_two_programmes_raise_is_one_finding_naming_both() {
    let as_of = d(2025, 6, 16);
    let f = PatientFacts {
        latest_bp: bp(d(2025, 6, 10), 185.0, 100.0),
        programs: vec![diabetes(), enrolment("hypertension")],
        ..quiet("p", as_of)
    };
    let e = evaluate(&f, as_of, &t(), &ru()).unwrap();
    assert_eq!(e.reasons, [Reason::BpUrgent]);
    assert_eq!(e.findings[0].programs, ["diabetes", "hypertension"]);
    assert!(e.high_risk);
}

#[test]
fn a_programme_without_reasons_keeps_the_common_ones_untagged() {
    let as_of = d(2025, 6, 16);
    let f = PatientFacts {
        latest_bp: bp(d(2025, 6, 10), 185.0, 100.0),
        latest_appointment: Some(d(2025, 6, 1)),
        programs: vec![ProgramEnrolment {
            program_id: "chf".into(),
            enrolled_on: None,
            rules: ProgramRules::default(),
        }],
        ..quiet("p", as_of)
    };
    let e = evaluate(&f, as_of, &t(), &ru()).unwrap();
    assert_eq!(
        e.reasons,
        [Reason::MissedVisit],
        "no BP rule in this programme"
    );
    assert!(e.findings[0].programs.is_empty());
}

#[test]
fn high_risk_clause_by_clause() {
    let as_of = d(2025, 6, 16);
    let with = |bp_now: Option<BpFact>, prior: bool, hba1c: f64, glucose: Option<f64>| {
        let f = PatientFacts {
            latest_bp: bp_now,
            prior_mi_or_stroke: prior,
            latest_hba1c: Some(Hba1cFact {
                date: d(2025, 6, 1),
                percent: hba1c,
            }),
            latest_glucose: glucose.map(|g| GlucoseFact {
                date: d(2025, 6, 1),
                mmol_per_l: g,
            }),
            ..quiet("p", as_of)
        };
        is_high_risk(&f, &t())
    };
    let day = d(2025, 6, 1);
    // BP ≥ 180/110, either half.
    assert!(with(bp(day, 180.0, 80.0), false, 7.0, None));
    assert!(with(bp(day, 150.0, 110.0), false, 7.0, None));
    assert!(!with(bp(day, 179.0, 109.0), false, 7.0, None));
    // A prior heart attack or stroke and BP ≥ 140/90.
    assert!(with(bp(day, 140.0, 80.0), true, 7.0, None));
    assert!(with(bp(day, 130.0, 90.0), true, 7.0, None));
    assert!(!with(bp(day, 139.0, 89.0), true, 7.0, None));
    assert!(!with(bp(day, 150.0, 95.0), false, 7.0, None));
    // Uncontrolled blood sugar: HbA1c ≥ 9 %, glucose ≥ 16.7 mmol/L (300 mg/dL).
    assert!(with(None, false, 9.0, None));
    assert!(!with(None, false, 8.9, None));
    assert!(with(None, false, 7.0, Some(16.7)));
    assert!(!with(None, false, 7.0, Some(16.6)));
}

#[test]
fn prior_heart_attack_and_stroke_codes() {
    for code in [
        "I21.4", "I22", "I25.2", "I60.9", "I63", "I64", "I69.3", "і63",
    ] {
        // "і63" has a Ukrainian і, no look-alike of a Latin I.
        assert_eq!(is_prior_mi_or_stroke(code), code != "і63", "{code}");
    }
    for code in ["I25.1", "I20", "I65", "I50.0", "I10"] {
        assert!(!is_prior_mi_or_stroke(code), "{code}");
    }
}
