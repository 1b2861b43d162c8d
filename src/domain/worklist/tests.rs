//! Tests of the worklist rules, on fixed dates.

use super::*;
use crate::domain::calendar::Calendar;
use crate::domain::types::{CallOutcome, PatientStatus};
use chrono::{NaiveDate, NaiveDateTime};

mod agreed_visit;
mod lists;
mod programmes;
mod props;
mod sections;

pub(super) fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

pub(super) fn at(date: NaiveDate, hour: u32) -> NaiveDateTime {
    date.and_hms_opt(hour, 0, 0).unwrap()
}

pub(super) fn t() -> Thresholds {
    Thresholds::default()
}

pub(super) fn ru() -> Calendar {
    Calendar::russia()
}

pub(super) fn wk() -> Calendar {
    Calendar::weekends_only()
}

/// A patient with nothing to do as of `as_of`: recent visit, recent good HbA1c, normal BP.
pub(super) fn quiet(id: &str, as_of: NaiveDate) -> PatientFacts {
    let recent = as_of - chrono::Days::new(20);
    PatientFacts {
        enrolled_on: Some(d(2020, 1, 15)),
        latest_visit: Some(recent),
        latest_hba1c: Some(Hba1cFact {
            date: recent,
            percent: 7.1,
        }),
        latest_bp: Some(BpFact {
            date: recent,
            systolic: Some(135.0),
            diastolic: Some(85.0),
        }),
        programs: vec![diabetes()],
        ..PatientFacts::new(id, PatientStatus::Active)
    }
}

/// An enrolment in the built-in diabetes programme with no date of its own.
pub(super) fn diabetes() -> ProgramEnrolment {
    enrolment("diabetes")
}

/// An enrolment in a built-in programme with no date of its own.
pub(super) fn enrolment(id: &str) -> ProgramEnrolment {
    let program = crate::domain::program::builtin_programs()
        .into_iter()
        .find(|p| p.id == id)
        .unwrap();
    ProgramEnrolment {
        program_id: program.id,
        enrolled_on: None,
        rules: program.rules,
    }
}

pub(super) fn discharged(id: &str, as_of: NaiveDate, discharge: NaiveDate) -> PatientFacts {
    PatientFacts {
        latest_acute: Some(AcuteEvent {
            kind: AcuteKind::InpatientDischarge,
            date: discharge,
        }),
        ..quiet(id, as_of)
    }
}

pub(super) fn call(
    date: NaiveDate,
    outcome: CallOutcome,
    next_date: Option<NaiveDate>,
) -> Option<CallFact> {
    Some(CallFact {
        at: at(date, 10),
        outcome,
        next_date,
    })
}

/// The post-discharge call's finding of an entry (a discharge also raises the face-to-face visit).
pub(super) fn pd(entry: &Option<WorklistEntry>) -> (Reason, NaiveDate, i64, Priority) {
    finding(entry, Reason::PostDischarge)
}

/// One reason's finding of an entry.
pub(super) fn finding(
    entry: &Option<WorklistEntry>,
    reason: Reason,
) -> (Reason, NaiveDate, i64, Priority) {
    let e = entry.as_ref().expect("an entry");
    let f = e
        .findings
        .iter()
        .find(|f| f.reason == reason)
        .unwrap_or_else(|| panic!("{reason} in {e:?}"));
    (f.reason, f.due, f.days_overdue, f.priority)
}

pub(super) fn only(entry: &Option<WorklistEntry>) -> (Reason, NaiveDate, i64, Priority) {
    let e = entry.as_ref().expect("an entry");
    assert_eq!(e.findings.len(), 1, "{e:?}");
    (e.reasons[0], e.due, e.days_overdue, e.priority)
}

#[test]
fn quiet_patient_is_not_listed() {
    let as_of = d(2025, 6, 16);
    assert_eq!(evaluate(&quiet("p", as_of), as_of, &t(), &ru()), None);
    assert!(!is_lost_to_follow_up(&quiet("p", as_of), as_of, &t()));
}

#[test]
fn post_discharge_friday_is_due_tuesday() {
    let fri = d(2025, 6, 20);
    for cal in [wk(), ru()] {
        let p = |as_of| evaluate(&discharged("p", as_of, fri), as_of, &t(), &cal);
        let due = d(2025, 6, 24);
        assert_eq!(pd(&p(fri)), (Reason::PostDischarge, due, 0, Priority::High));
        assert_eq!(
            pd(&p(d(2025, 6, 23))),
            (Reason::PostDischarge, due, 0, Priority::High)
        );
        assert_eq!(pd(&p(due)), (Reason::PostDischarge, due, 0, Priority::High));
        let late = pd(&p(d(2025, 6, 27)));
        assert_eq!(late, (Reason::PostDischarge, due, 3, Priority::Urgent));
    }
}

#[test]
fn post_discharge_emergency_visit_counts_too() {
    let as_of = d(2025, 6, 16);
    let mut p = discharged("p", as_of, d(2025, 6, 16));
    p.latest_acute = Some(AcuteEvent {
        kind: AcuteKind::EmergencyVisit,
        date: d(2025, 6, 16),
    });
    // Transitional care follows inpatient discharges only (CMS 99495/99496): an emergency
    // visit raises its own reason, never above high priority, and no face-to-face visit.
    assert_eq!(
        only(&evaluate(&p, as_of, &t(), &ru())),
        (Reason::AfterEmergency, d(2025, 6, 18), 0, Priority::High)
    );
    assert_eq!(
        only(&evaluate(&p, d(2025, 6, 25), &t(), &ru())),
        (Reason::AfterEmergency, d(2025, 6, 18), 7, Priority::High)
    );
    assert_eq!(
        AcuteKind::from_class(EncounterClass::Emergency),
        Some(AcuteKind::EmergencyVisit)
    );
    assert_eq!(AcuteKind::from_class(EncounterClass::Outpatient), None);
    assert_eq!(
        AcuteKind::InpatientDischarge.class(),
        EncounterClass::Inpatient
    );
}

#[test]
fn post_discharge_is_resolved_by_a_contact_on_or_after_the_discharge_date() {
    let as_of = d(2025, 6, 25);
    let discharge = d(2025, 6, 20);
    let mut p = discharged("p", as_of, discharge);
    p.latest_contact_at = Some(at(d(2025, 6, 19), 16));
    assert!(
        evaluate(&p, as_of, &t(), &ru()).is_some(),
        "a contact before the discharge"
    );
    let call_made = |p: &PatientFacts| {
        evaluate(p, as_of, &t(), &ru()).is_none_or(|e| !e.has(Reason::PostDischarge))
    };
    p.latest_contact_at = Some(at(discharge, 8));
    assert!(call_made(&p));
    p.latest_contact_at = Some(at(d(2025, 6, 23), 9));
    assert!(call_made(&p));
    // The call does not replace the face-to-face visit; a visit after the discharge does.
    assert_eq!(
        only(&evaluate(&p, as_of, &t(), &ru())).0,
        Reason::TransitionalVisit
    );
    p.latest_visit = Some(d(2025, 6, 24));
    assert_eq!(evaluate(&p, as_of, &t(), &ru()), None);
}

#[test]
fn post_discharge_only_within_the_transitional_care_period() {
    let discharge = d(2025, 5, 1);
    let p = |as_of| evaluate(&discharged("p", as_of, discharge), as_of, &t(), &ru());
    // The discharge day and the next 29 days (CMS: the 30-day period starts on the discharge).
    let last_day = d(2025, 5, 30);
    assert_eq!(pd(&p(last_day)).0, Reason::PostDischarge);
    assert_eq!(p(d(2025, 5, 31)), None);
    // A discharge recorded after the as-of date is not known yet.
    assert_eq!(p(d(2025, 4, 30)), None);
}

#[test]
fn post_discharge_over_the_russian_new_year() {
    let discharge = d(2025, 12, 30);
    let p = |as_of, cal: &Calendar| evaluate(&discharged("p", as_of, discharge), as_of, &t(), cal);
    let due = d(2026, 1, 13);
    assert_eq!(
        pd(&p(d(2026, 1, 12), &ru())),
        (Reason::PostDischarge, due, 0, Priority::High)
    );
    assert_eq!(
        pd(&p(d(2026, 1, 14), &ru())),
        (Reason::PostDischarge, due, 1, Priority::Urgent)
    );
    // Without holidays the same discharge was due on 1 January, 13 days earlier.
    let plain = pd(&p(d(2026, 1, 14), &wk()));
    assert_eq!(
        plain,
        (Reason::PostDischarge, d(2026, 1, 1), 13, Priority::Urgent)
    );
}

#[test]
fn post_discharge_around_8_march_and_a_working_saturday() {
    // Thu 7 March 2024: Fri 8 March is a holiday, so Mon 11 and Tue 12.
    let p = discharged("p", d(2024, 3, 7), d(2024, 3, 7));
    assert_eq!(
        pd(&evaluate(&p, d(2024, 3, 7), &t(), &ru())).1,
        d(2024, 3, 12)
    );
    assert_eq!(
        pd(&evaluate(&p, d(2024, 3, 7), &t(), &wk())).1,
        d(2024, 3, 11)
    );
    // Thu 25 April 2024: Fri 26, then the working Saturday 27 April.
    let p = discharged("p", d(2024, 4, 25), d(2024, 4, 25));
    assert_eq!(
        pd(&evaluate(&p, d(2024, 4, 25), &t(), &ru())).1,
        d(2024, 4, 27)
    );
    // Fri 26 April 2024: Sat 27, then 28 April–1 May off, so Thu 2 May.
    let p = discharged("p", d(2024, 4, 26), d(2024, 4, 26));
    assert_eq!(
        pd(&evaluate(&p, d(2024, 4, 26), &t(), &ru())).1,
        d(2024, 5, 2)
    );
}

#[test]
fn missed_visit() {
    let appointment = d(2025, 6, 10);
    let mut p = quiet("p", d(2025, 6, 16));
    p.latest_visit = Some(d(2025, 6, 2));
    p.latest_appointment = Some(appointment);
    let e = |p: &PatientFacts, as_of| evaluate(p, as_of, &t(), &ru());
    assert_eq!(e(&p, appointment), None, "the appointment day itself");
    let row = (Reason::MissedVisit, appointment, 6, Priority::Normal);
    assert_eq!(only(&e(&p, d(2025, 6, 16))), row);
    assert_eq!(only(&e(&p, d(2025, 7, 10))).3, Priority::Normal, "30 days");
    assert_eq!(
        only(&e(&p, d(2025, 7, 11))),
        (Reason::MissedVisit, appointment, 31, Priority::High)
    );
    p.latest_visit = Some(appointment);
    assert_eq!(e(&p, d(2025, 6, 16)), None, "kept");
    p.latest_visit = Some(d(2025, 6, 12));
    assert_eq!(e(&p, d(2025, 6, 16)), None, "came later");
}

#[test]
fn hba1c_due_dates_use_calendar_months() {
    let due = |last: NaiveDate| rules::add_months(last, 6).unwrap();
    assert_eq!(due(d(2024, 2, 29)), d(2024, 8, 29));
    assert_eq!(due(d(2023, 8, 31)), d(2024, 2, 29));
    assert_eq!(due(d(2024, 8, 31)), d(2025, 2, 28));
    assert_eq!(due(d(2024, 7, 31)), d(2025, 1, 31));
    assert_eq!(rules::add_months(NaiveDate::MAX, 1), None);
}

#[test]
fn hba1c_overdue_after_six_months() {
    let case = |last: NaiveDate, as_of: NaiveDate| {
        let mut p = quiet("p", as_of);
        p.latest_hba1c = Some(Hba1cFact {
            date: last,
            percent: 7.0,
        });
        evaluate(&p, as_of, &t(), &ru())
    };
    // Leap day: due 29 August.
    assert_eq!(case(d(2024, 2, 29), d(2024, 8, 29)), None);
    let row = (Reason::Hba1cOverdue, d(2024, 8, 29), 1, Priority::Normal);
    assert_eq!(only(&case(d(2024, 2, 29), d(2024, 8, 30))), row);
    // Clamped to the leap day.
    assert_eq!(case(d(2023, 8, 31), d(2024, 2, 29)), None);
    assert_eq!(only(&case(d(2023, 8, 31), d(2024, 3, 1))).1, d(2024, 2, 29));
    // Across the year end.
    assert_eq!(case(d(2024, 6, 30), d(2024, 12, 30)), None);
    let row = (Reason::Hba1cOverdue, d(2024, 12, 30), 3, Priority::Normal);
    assert_eq!(only(&case(d(2024, 6, 30), d(2025, 1, 2))), row);
}

#[test]
fn hba1c_never_tested() {
    let as_of = d(2025, 6, 16);
    let mut p = quiet("p", as_of);
    p.latest_hba1c = None;
    p.enrolled_on = Some(d(2025, 6, 1));
    let row = (Reason::Hba1cOverdue, d(2025, 6, 1), 15, Priority::Normal);
    assert_eq!(only(&evaluate(&p, as_of, &t(), &ru())), row);
    p.enrolled_on = None;
    let row = (Reason::Hba1cOverdue, as_of, 0, Priority::Normal);
    assert_eq!(only(&evaluate(&p, as_of, &t(), &ru())), row);
    p.enrolled_on = Some(d(2025, 7, 1));
    assert_eq!(evaluate(&p, as_of, &t(), &ru()), None, "enrolled later");
}

#[test]
fn poor_control_and_urgent_bp() {
    let as_of = d(2025, 6, 16);
    let tested = d(2025, 6, 2);
    let hba1c = |percent| {
        let mut p = quiet("p", as_of);
        p.latest_hba1c = Some(Hba1cFact {
            date: tested,
            percent,
        });
        evaluate(&p, as_of, &t(), &ru())
    };
    // Strictly above 9.0 %, the comparison of CMS122's numerator.
    assert_eq!(
        only(&hba1c(9.1)),
        (Reason::PoorControl, tested, 0, Priority::High)
    );
    assert_eq!(hba1c(9.0), None);
    assert_eq!(hba1c(8.9), None);
    assert_eq!(hba1c(f64::NAN), None);
    let bp = |systolic, diastolic| {
        let mut p = quiet("p", as_of);
        p.latest_bp = Some(BpFact {
            date: tested,
            systolic,
            diastolic,
        });
        evaluate(&p, as_of, &t(), &ru())
    };
    let urgent = (Reason::BpUrgent, tested, 0, Priority::Urgent);
    assert_eq!(only(&bp(Some(180.0), Some(90.0))), urgent);
    assert_eq!(only(&bp(Some(150.0), Some(110.0))), urgent);
    assert_eq!(only(&bp(None, Some(115.0))), urgent);
    assert_eq!(bp(Some(179.0), Some(109.0)), None);
    assert_eq!(bp(None, None), None);
}

#[test]
fn call_back_due_on_the_day() {
    let as_of = d(2025, 6, 16);
    let case = |outcome, next: Option<NaiveDate>, called: NaiveDate, as_of| {
        let mut p = quiet("p", as_of);
        p.latest_call = call(called, outcome, next);
        p.latest_contact_at = Some(at(called, 10));
        evaluate(&p, as_of, &t(), &ru())
    };
    let cb = CallOutcome::CallBackLater;
    let row = (Reason::CallBack, as_of, 0, Priority::Normal);
    assert_eq!(only(&case(cb, Some(as_of), d(2025, 6, 9), as_of)), row);
    assert_eq!(case(cb, Some(d(2025, 6, 17)), d(2025, 6, 9), as_of), None);
    assert_eq!(
        only(&case(cb, Some(d(2025, 6, 13)), d(2025, 6, 9), as_of)).2,
        3
    );
    // An agreed visit's date is an appointment, not a call-back.
    let agreed = CallOutcome::AgreedToVisit;
    assert_eq!(
        case(agreed, Some(d(2025, 6, 13)), d(2025, 6, 9), as_of),
        None
    );
    // No answer on Friday 20 June without a date: retry on Monday 23 June.
    let na = CallOutcome::NoAnswer;
    assert_eq!(case(na, None, d(2025, 6, 20), d(2025, 6, 22)), None);
    let row = (Reason::CallBack, d(2025, 6, 23), 0, Priority::Normal);
    assert_eq!(only(&case(na, None, d(2025, 6, 20), d(2025, 6, 23))), row);
}

#[test]
fn readmission_risk_in_an_open_window() {
    let discharge = d(2025, 6, 2);
    let case = |lace, as_of| {
        let mut p = discharged("p", as_of, discharge);
        p.latest_contact_at = Some(at(discharge, 15));
        p.latest_visit = Some(d(2025, 6, 5)); // the face-to-face visit after the discharge
        p.readmission_window = Some(ReadmissionWindow { discharge, lace });
        evaluate(&p, as_of, &t(), &ru())
    };
    let row = (Reason::ReadmissionRisk, discharge, 0, Priority::Urgent);
    assert_eq!(only(&case(10, d(2025, 6, 16))), row);
    assert_eq!(case(9, d(2025, 6, 16)), None);
    assert_eq!(only(&case(14, d(2025, 7, 2))), row, "day 30");
    assert_eq!(case(14, d(2025, 7, 3)), None, "day 31");
}

/// A patient whose only finding is a high BP read on `reading`.
fn high_bp(id: &str, as_of: NaiveDate, reading: NaiveDate) -> PatientFacts {
    PatientFacts {
        latest_bp: Some(BpFact {
            date: reading,
            systolic: Some(190.0),
            diastolic: Some(110.0),
        }),
        ..quiet(id, as_of)
    }
}

#[test]
fn a_clinical_flag_is_urgent_only_while_its_reading_is_recent() {
    let as_of = d(2025, 6, 16);
    let recent = high_bp("p", as_of, d(2025, 3, 18)); // 90 days old
    assert_eq!(
        only(&evaluate(&recent, as_of, &t(), &ru())),
        (Reason::BpUrgent, d(2025, 3, 18), 0, Priority::Urgent)
    );
    let stale = high_bp("p", as_of, d(2025, 3, 17)); // 91 days old: not measured since 15 June
    assert_eq!(
        only(&evaluate(&stale, as_of, &t(), &ru())),
        (Reason::BpNotMeasured, d(2025, 6, 15), 1, Priority::Normal)
    );
    let t180 = Thresholds {
        clinical_flag_recency_days: 180,
        ..t()
    };
    assert_eq!(
        only(&evaluate(&stale, as_of, &t180, &ru())).0,
        Reason::BpUrgent
    );
    // Poor control keeps its reason but drops to normal priority once the result is old.
    let mut poor = quiet("p", as_of);
    poor.latest_hba1c = Some(Hba1cFact {
        date: d(2025, 2, 1),
        percent: 9.4,
    });
    assert_eq!(
        only(&evaluate(&poor, as_of, &t(), &ru())),
        (Reason::PoorControl, d(2025, 2, 1), 0, Priority::Normal)
    );
}

#[test]
fn a_stale_bp_ranks_below_a_fresh_post_discharge_deadline() {
    let as_of = d(2025, 6, 16);
    // A BP of 190/110 over a year old, and a discharge whose call fell due on Friday 13 June
    // (weekends only: the Russian calendar moves it past Russia Day).
    let stale = high_bp("a-stale", as_of, d(2024, 6, 1));
    let mut fresh = discharged("b-fresh", as_of, d(2025, 6, 11));
    fresh.latest_visit = Some(d(2025, 6, 12));
    let list = build_worklist(&[stale, fresh], as_of, &t(), &wk());
    let ids: Vec<&str> = list.iter().map(|e| e.patient_id.as_str()).collect();
    assert_eq!(ids, ["b-fresh", "a-stale"]);
    assert_eq!(
        (list[0].priority, list[0].due, list[0].days_overdue),
        (Priority::Urgent, d(2025, 6, 13), 3)
    );
    // The stale reading is late from the day it stopped being recent, not from the reading.
    assert_eq!(
        (list[1].priority, list[1].due, list[1].days_overdue),
        (Priority::Normal, d(2024, 8, 30), 290)
    );
}

#[test]
fn deadlines_come_before_clinical_flags_of_the_same_priority() {
    let as_of = d(2025, 6, 16);
    // Urgent by a fresh BP reading (0 days overdue) against urgent by an open window with LACE 12.
    let bp = high_bp("a-bp", as_of, d(2025, 6, 10));
    let mut window = quiet("z-window", as_of);
    window.readmission_window = Some(ReadmissionWindow {
        discharge: d(2025, 6, 2),
        lace: 12,
    });
    let list = build_worklist(&[bp, window], as_of, &t(), &ru());
    let ids: Vec<&str> = list.iter().map(|e| e.patient_id.as_str()).collect();
    assert_eq!(ids, ["z-window", "a-bp"]);
    assert!(list.iter().all(|e| e.priority == Priority::Urgent));
    assert!(list[1].decided_by_clinical_flag());
    // Within one entry the deadline decides too, with its own date and days.
    let mut both = high_bp("p", as_of, d(2025, 6, 10));
    both.latest_acute = Some(AcuteEvent {
        kind: AcuteKind::InpatientDischarge,
        date: d(2025, 6, 9),
    });
    both.latest_visit = Some(d(2025, 6, 10));
    let e = evaluate(&both, as_of, &t(), &ru()).unwrap();
    assert_eq!(e.deciding().unwrap().reason, Reason::PostDischarge);
    assert_eq!((e.due, e.days_overdue), (d(2025, 6, 11), 5));
}

#[test]
fn the_transitional_care_visit_is_due_in_7_days_at_high_lace_else_14_and_met_by_a_visit() {
    let discharge = d(2025, 6, 2);
    let case = |lace: u32, as_of: NaiveDate, visit: Option<NaiveDate>| {
        let mut p = discharged("p", as_of, discharge);
        p.latest_contact_at = Some(at(d(2025, 6, 3), 10)); // the call was made
        p.latest_visit = visit;
        p.readmission_window = Some(ReadmissionWindow { discharge, lace });
        let e = evaluate(&p, as_of, &t(), &ru());
        e.and_then(|e| {
            e.findings
                .iter()
                .find(|f| f.reason == Reason::TransitionalVisit)
                .map(|f| (f.due, f.days_overdue, f.priority))
        })
    };
    // LACE 12 (CPT 99496): due 9 June; late and high from 10 June.
    assert_eq!(
        case(12, d(2025, 6, 9), None),
        Some((d(2025, 6, 9), 0, Priority::Normal))
    );
    assert_eq!(
        case(12, d(2025, 6, 10), None),
        Some((d(2025, 6, 9), 1, Priority::High))
    );
    // LACE 8 (CPT 99495): due 16 June.
    assert_eq!(
        case(8, d(2025, 6, 10), None),
        Some((d(2025, 6, 16), 0, Priority::Normal))
    );
    // A visit on the discharge day is the stay itself; one after it meets the visit.
    assert!(case(8, d(2025, 6, 10), Some(discharge)).is_some());
    assert_eq!(case(8, d(2025, 6, 10), Some(d(2025, 6, 5))), None);
    // The period: the discharge day and the next 29 days.
    assert!(case(8, d(2025, 7, 1), None).is_some());
    assert_eq!(case(8, d(2025, 7, 2), None), None);
}

#[test]
fn refused_or_invalid_number_keeps_an_urgent_reading_for_another_way_to_reach() {
    let as_of = d(2025, 6, 16);
    for outcome in [CallOutcome::Refused, CallOutcome::InvalidNumber] {
        let mut p = high_bp("p", as_of, d(2025, 6, 1));
        p.latest_call = call(d(2025, 6, 10), outcome, None);
        // Off the calls, onto the "reach another way" section, with the outcome.
        assert_eq!(evaluate(&p, as_of, &t(), &ru()), None);
        let e = place(&p, as_of, &t(), &ru()).expect("kept in sight");
        assert_eq!(e.section, Section::AnotherWay, "{outcome}");
        assert_eq!(e.reasons, vec![Reason::BpUrgent]);
        assert_eq!(e.removed_for, Some(outcome));
        assert!(e.another_way, "{outcome}");
        // Once the reading is stale, the removal holds.
        let later = place(&p, d(2025, 9, 1), &t(), &ru()).unwrap();
        assert_eq!(later.section, Section::Removed);
    }
    // Other removals (already visited) and non-urgent flags are not kept.
    let mut p = high_bp("p", as_of, d(2025, 6, 1));
    p.latest_call = call(d(2025, 6, 10), CallOutcome::AlreadyVisited, None);
    assert_eq!(evaluate(&p, as_of, &t(), &ru()), None);
    assert_eq!(
        place(&p, as_of, &t(), &ru()).map(|e| e.section),
        Some(Section::Removed)
    );
    let mut q = quiet("q", as_of);
    q.latest_hba1c = Some(Hba1cFact {
        date: d(2025, 6, 1),
        percent: 11.0,
    });
    q.latest_call = call(d(2025, 6, 10), CallOutcome::Refused, None);
    assert_eq!(evaluate(&q, as_of, &t(), &ru()), None);
    assert_eq!(
        place(&q, as_of, &t(), &ru()).map(|e| e.section),
        Some(Section::Removed)
    );
}

#[test]
fn kidney_check_for_diabetics_after_twelve_months() {
    let case = |diabetic: Option<NaiveDate>, last: Option<NaiveDate>, as_of: NaiveDate| {
        let mut p = quiet("p", as_of);
        p.diabetes_since = diabetic;
        p.latest_creatinine = last;
        evaluate(&p, as_of, &t(), &ru())
    };
    let since = Some(d(2019, 5, 1));
    // Due 12 calendar months after the last creatinine, late the day after.
    assert_eq!(case(since, Some(d(2024, 2, 29)), d(2025, 2, 28)), None);
    let row = (Reason::KidneyCheck, d(2025, 2, 28), 1, Priority::Normal);
    assert_eq!(only(&case(since, Some(d(2024, 2, 29)), d(2025, 3, 1))), row);
    // Not diabetic (no E10–E14 diagnosis): never asked.
    assert_eq!(case(None, Some(d(2020, 1, 1)), d(2025, 3, 1)), None);
    assert_eq!(case(None, None, d(2025, 3, 1)), None);
    // A diagnosis dated after the day does not count yet.
    assert_eq!(case(Some(d(2025, 4, 1)), None, d(2025, 3, 1)), None);
}

#[test]
fn kidney_never_checked_is_due_from_enrolment_or_diagnosis() {
    let as_of = d(2025, 6, 16);
    let mut p = quiet("p", as_of);
    p.enrolled_on = Some(d(2025, 6, 1));
    p.diabetes_since = Some(d(2010, 1, 1));
    // Diabetic long before enrolment: due since enrolment.
    let row = (Reason::KidneyCheck, d(2025, 6, 1), 15, Priority::Normal);
    assert_eq!(only(&evaluate(&p, as_of, &t(), &ru())), row);
    // Enrolled (for another programme) before the diabetes was diagnosed: due from the diagnosis.
    p.enrolled_on = Some(d(2020, 1, 1));
    p.diabetes_since = Some(d(2025, 6, 10));
    let row = (Reason::KidneyCheck, d(2025, 6, 10), 6, Priority::Normal);
    assert_eq!(only(&evaluate(&p, as_of, &t(), &ru())), row);
    // The threshold comes from the thresholds file.
    p.latest_creatinine = Some(d(2025, 1, 10));
    let short = Thresholds {
        kidney_check_interval_months: 3,
        ..t()
    };
    let row = (Reason::KidneyCheck, d(2025, 4, 10), 67, Priority::Normal);
    assert_eq!(only(&evaluate(&p, as_of, &short, &ru())), row);
    assert_eq!(evaluate(&p, as_of, &t(), &ru()), None);
}

#[test]
fn the_record_gives_the_kidney_facts() {
    use crate::domain::patient_record::{ObservationEvent, PatientRecord};
    use crate::domain::types::ObservationKind;
    let mut r = PatientRecord::new("p", PatientStatus::Active);
    r.icd10 = vec![
        ("I10".into(), d(2015, 1, 1)),
        // A Cyrillic Е, as Russian registers type it.
        ("Е11.9".into(), d(2018, 3, 1)),
        ("E10.2".into(), d(2026, 1, 1)),
    ];
    let creatinine = |date| ObservationEvent {
        kind: ObservationKind::Creatinine,
        date,
        value: 90.0,
        at_site: false,
    };
    r.observations = vec![creatinine(d(2024, 5, 1)), creatinine(d(2025, 9, 1))];
    let f = r.facts(d(2025, 6, 1), d(2025, 6, 1));
    assert_eq!(f.diabetes_since, Some(d(2018, 3, 1)));
    assert_eq!(
        f.latest_creatinine,
        Some(d(2024, 5, 1)),
        "later results ignored"
    );
    let f = r.facts(d(2017, 6, 1), d(2017, 6, 1));
    assert_eq!(f.diabetes_since, None, "not diabetic yet");
}
