//! Tests of whole entries and lists: combining reasons, leaving and re-joining the list, the
//! unreachable flag, lost to follow-up, the call form's dates, codes and sort order.

use super::super::*;
use super::{at, call, d, discharged, only, quiet, ru, t, wk};
use crate::domain::calendar::Calendar;
use crate::domain::types::{CallOutcome, PatientStatus};
use chrono::NaiveDate;

/// A patient with every trigger at once.
fn busy(id: &str, status: PatientStatus, as_of: NaiveDate) -> PatientFacts {
    PatientFacts {
        latest_appointment: Some(d(2025, 4, 1)),
        latest_visit: Some(d(2025, 3, 1)),
        latest_hba1c: Some(Hba1cFact {
            date: d(2024, 10, 1),
            percent: 10.2,
        }),
        latest_bp: Some(BpFact {
            date: d(2025, 3, 1),
            systolic: Some(185.0),
            diastolic: Some(100.0),
        }),
        latest_call: call(d(2025, 6, 5), CallOutcome::NoAnswer, Some(d(2025, 6, 6))),
        consecutive_no_answers: 3,
        readmission_window: Some(ReadmissionWindow {
            discharge: d(2025, 6, 2),
            lace: 12,
        }),
        status,
        ..discharged(id, as_of, d(2025, 6, 2))
    }
}

#[test]
fn an_entry_combines_its_reasons() {
    let as_of = d(2025, 6, 16);
    let e = evaluate(&busy("p", PatientStatus::Active, as_of), as_of, &t(), &ru()).unwrap();
    // The BP of 1 March is 107 days old: no longer urgent, "not measured" since 30 May.
    let expected = [
        Reason::PostDischarge,
        Reason::MissedVisit,
        Reason::Hba1cOverdue,
        Reason::PoorControl,
        Reason::CallBack,
        Reason::ReadmissionRisk,
        Reason::BpNotMeasured,
        Reason::TransitionalVisit,
    ];
    assert_eq!(e.reasons, expected.to_vec());
    assert_eq!(
        e.findings.iter().map(|f| f.reason).collect::<Vec<_>>(),
        e.reasons
    );
    assert_eq!(e.priority, Priority::Urgent);
    // The row is decided by the overdue post-discharge call (a deadline, urgent), with its own
    // date and days, not by the missed visit's 76 days or the old HbA1c's date.
    assert_eq!(e.deciding().unwrap().reason, Reason::PostDischarge);
    assert_eq!((e.due, e.days_overdue), (d(2025, 6, 4), 12));
    let stale = e.findings[6].clone();
    assert_eq!(
        (stale.due, stale.days_overdue, stale.priority),
        (d(2025, 5, 30), 17, Priority::Normal)
    );
    // LACE 12: the face-to-face visit was due within 7 days of the discharge of 2 June.
    let visit = e.findings[7].clone();
    assert_eq!(
        (visit.due, visit.days_overdue, visit.priority),
        (d(2025, 6, 9), 7, Priority::High)
    );
    assert!(e.unreachable);
    assert!(e.has(Reason::CallBack));
    let post = e.findings[0].clone();
    assert_eq!((post.due, post.days_overdue), (d(2025, 6, 4), 12));
}

#[test]
fn dead_and_moved_patients_leave_every_list() {
    let as_of = d(2025, 6, 16);
    for status in [PatientStatus::Dead, PatientStatus::Moved] {
        let mut p = busy("p", status, as_of);
        assert_eq!(evaluate(&p, as_of, &t(), &ru()), None);
        p.latest_visit = None;
        p.enrolled_on = None;
        assert!(!is_lost_to_follow_up(&p, as_of, &t()));
        p.status = PatientStatus::Active;
        assert!(is_lost_to_follow_up(&p, as_of, &t()));
    }
}

#[test]
fn removal_holds_until_a_new_trigger() {
    let as_of = d(2025, 6, 16);
    let removed_on = d(2025, 6, 1);
    let mut p = quiet("p", as_of);
    p.latest_appointment = Some(d(2025, 5, 20));
    p.latest_visit = Some(d(2025, 5, 1));
    p.latest_hba1c = Some(Hba1cFact {
        date: d(2024, 11, 1),
        percent: 9.5,
    });
    p.latest_call = call(removed_on, CallOutcome::Refused, None);
    p.latest_contact_at = Some(at(removed_on, 10));
    // The refusal alone (no marker) removes: missed visit, HbA1c due 1 May and poor control are older.
    assert_eq!(evaluate(&p, as_of, &t(), &ru()), None);
    p.latest_call = None;
    p.removed = Some(Removal {
        on: removed_on,
        reason: CallOutcome::InvalidNumber,
    });
    assert_eq!(evaluate(&p, as_of, &t(), &ru()), None);
    // A discharge on the removal day does not count; one after it re-adds the patient, alone.
    p.latest_acute = Some(AcuteEvent {
        kind: AcuteKind::InpatientDischarge,
        date: removed_on,
    });
    assert_eq!(evaluate(&p, as_of, &t(), &ru()), None);
    p.latest_acute = Some(AcuteEvent {
        kind: AcuteKind::InpatientDischarge,
        date: d(2025, 6, 9),
    });
    let e = evaluate(&p, as_of, &t(), &ru()).unwrap();
    assert_eq!(
        e.reasons,
        vec![Reason::PostDischarge, Reason::TransitionalVisit]
    );
    // So does an appointment missed after it, a new poor result, an HbA1c falling due after it.
    p.latest_acute = None;
    p.latest_appointment = Some(d(2025, 6, 5));
    assert_eq!(
        only(&evaluate(&p, as_of, &t(), &ru())).0,
        Reason::MissedVisit
    );
    p.latest_appointment = None;
    p.latest_hba1c = Some(Hba1cFact {
        date: d(2025, 6, 3),
        percent: 9.1,
    });
    assert_eq!(
        only(&evaluate(&p, as_of, &t(), &ru())).0,
        Reason::PoorControl
    );
    p.latest_hba1c = Some(Hba1cFact {
        date: d(2024, 12, 5),
        percent: 7.0,
    });
    assert_eq!(only(&evaluate(&p, as_of, &t(), &ru())).1, d(2025, 6, 5));
    // Never tested and no enrolment date: no datable trigger, stays off.
    p.latest_hba1c = None;
    p.enrolled_on = None;
    assert_eq!(evaluate(&p, as_of, &t(), &ru()), None);
    assert!(removes_from_list(CallOutcome::AlreadyVisited));
    assert!(!removes_from_list(CallOutcome::NoAnswer));
}

#[test]
fn unreachable_after_three_unanswered_calls() {
    let as_of = d(2025, 6, 16);
    let mut p = quiet("p", as_of);
    p.latest_call = call(d(2025, 6, 13), CallOutcome::NoAnswer, Some(as_of));
    p.consecutive_no_answers = 2;
    let e = evaluate(&p, as_of, &t(), &ru()).unwrap();
    assert!(!e.unreachable);
    p.consecutive_no_answers = 3;
    let e = evaluate(&p, as_of, &t(), &ru()).unwrap();
    assert!(e.unreachable, "flagged");
    assert_eq!(e.reasons, vec![Reason::CallBack], "and still listed");
}

#[test]
fn lost_to_follow_up_is_a_separate_rule() {
    let mut p = quiet("p", d(2025, 6, 16));
    // A visit exactly 12 months before is outside the 12 months (as Progress counts it).
    p.latest_visit = Some(d(2024, 6, 17));
    assert!(!is_lost_to_follow_up(&p, d(2025, 6, 16), &t()));
    assert!(is_lost_to_follow_up(&p, d(2025, 6, 17), &t()));
    // Enrolled less than 12 months ago: not lost, however old the last visit (Simple, HEARTS).
    let enrolled = p.enrolled_on;
    p.enrolled_on = Some(d(2024, 7, 1));
    p.latest_visit = Some(d(2023, 1, 1));
    assert!(!is_lost_to_follow_up(&p, d(2025, 6, 30), &t()));
    assert!(is_lost_to_follow_up(&p, d(2025, 7, 1), &t()));
    p.enrolled_on = enrolled;
    p.latest_visit = None;
    p.enrolled_on = Some(d(2025, 1, 10));
    assert!(
        !is_lost_to_follow_up(&p, d(2025, 6, 17), &t()),
        "newly enrolled"
    );
    p.enrolled_on = None;
    assert!(
        is_lost_to_follow_up(&p, d(2025, 6, 17), &t()),
        "nothing known"
    );
    // Removal: lost since 17 June 2025 (visit 17 June 2024); removed later hides, earlier does not.
    p.latest_visit = Some(d(2024, 6, 17));
    p.removed = Some(Removal {
        on: d(2025, 6, 20),
        reason: CallOutcome::Refused,
    });
    assert!(!is_lost_to_follow_up(&p, d(2025, 7, 1), &t()));
    // Taken off the list, but still lost: the figure counts them, the list shows them apart.
    assert_eq!(
        lost_to_follow_up(&p, d(2025, 7, 1), &t()),
        Some(LostToFollowUp::TakenOff)
    );
    p.removed = Some(Removal {
        on: d(2025, 6, 10),
        reason: CallOutcome::Refused,
    });
    assert!(is_lost_to_follow_up(&p, d(2025, 7, 1), &t()));
    assert_eq!(
        lost_to_follow_up(&p, d(2025, 7, 1), &t()),
        Some(LostToFollowUp::Listed)
    );
    assert_eq!(lost_to_follow_up(&p, d(2025, 6, 16), &t()), None);
}

#[test]
fn default_next_dates_for_the_call_form() {
    let mon = d(2025, 6, 16);
    let next = |o, day, cal: &Calendar| default_next_date(o, day, &t(), cal);
    assert_eq!(
        next(CallOutcome::AgreedToVisit, mon, &ru()),
        Some(d(2025, 6, 23))
    );
    assert_eq!(
        next(CallOutcome::CallBackLater, mon, &ru()),
        Some(d(2025, 6, 23))
    );
    assert_eq!(
        next(CallOutcome::NoAnswer, d(2025, 6, 20), &ru()),
        Some(d(2025, 6, 23))
    );
    // Seven days from Christmas Eve is 31 December: moved past the New Year holidays.
    let eve = d(2025, 12, 24);
    assert_eq!(
        next(CallOutcome::CallBackLater, eve, &ru()),
        Some(d(2026, 1, 12))
    );
    assert_eq!(
        next(CallOutcome::CallBackLater, eve, &wk()),
        Some(d(2025, 12, 31))
    );
    assert_eq!(
        next(CallOutcome::NoAnswer, d(2025, 12, 30), &ru()),
        Some(d(2026, 1, 12))
    );
    for outcome in CallOutcome::ALL {
        assert_eq!(
            next(*outcome, mon, &ru()).is_some(),
            outcome.takes_date(),
            "{outcome}"
        );
    }
}

#[test]
fn codes_round_trip() {
    let codes: Vec<&str> = Reason::ALL.iter().map(|r| r.as_code()).collect();
    let expected = [
        "post_discharge",
        "missed_visit",
        "hba1c_overdue",
        "poor_control",
        "bp_urgent",
        "call_back",
        "readmission_risk",
        "bp_not_measured",
        "after_emergency",
        "tcm_visit",
        "bp_uncontrolled",
        "kidney_check",
    ];
    assert_eq!(codes, expected);
    for r in Reason::ALL {
        assert_eq!(Reason::from_code(r.as_code()), Some(*r));
        assert_eq!(r.to_string(), r.as_code());
    }
    for p in Priority::ALL {
        assert_eq!(Priority::from_code(p.as_code()), Some(*p));
    }
    assert_eq!(Priority::from_code(" URGENT "), Some(Priority::Urgent));
    assert_eq!(Reason::from_code("nope"), None);
    assert_eq!(
        serde_json::to_string(&Reason::BpUrgent).unwrap(),
        "\"bp_urgent\""
    );
}

#[test]
fn priority_ordering_and_sort_key() {
    assert!(Priority::Urgent < Priority::High && Priority::High < Priority::Normal);
    let as_of = d(2025, 6, 16);
    let mut normal_late = quiet("a", as_of);
    normal_late.latest_appointment = Some(d(2025, 6, 1)); // 15 days, normal
    let mut normal_less = quiet("b", as_of);
    normal_less.latest_appointment = Some(d(2025, 6, 11)); // 5 days, normal
    let mut normal_tie = quiet("c", as_of);
    normal_tie.latest_appointment = Some(d(2025, 6, 11)); // 5 days, normal, id after b
    let high = discharged("d", as_of, d(2025, 6, 16)); // due, high
    let urgent = discharged("e", as_of, d(2025, 6, 2)); // overdue, urgent
    let patients = vec![
        normal_tie,
        normal_less,
        quiet("z", as_of),
        high,
        normal_late,
        urgent,
    ];
    let list = build_worklist(&patients, as_of, &t(), &ru());
    let ids: Vec<&str> = list.iter().map(|e| e.patient_id.as_str()).collect();
    assert_eq!(ids, ["e", "d", "a", "b", "c"]);
    let priorities: Vec<Priority> = list.iter().map(|e| e.priority).collect();
    let expected = [
        Priority::Urgent,
        Priority::High,
        Priority::Normal,
        Priority::Normal,
        Priority::Normal,
    ];
    assert_eq!(priorities, expected);
    assert!(list.windows(2).all(|w| w[0].sort_key() <= w[1].sort_key()));
}
