//! The worklist's sections (issue #20, as Simple's overdue list has them): one case per clause of
//! `place`'s documentation.

use super::super::*;
use super::{call, d, discharged, quiet, ru, t};
use crate::domain::types::CallOutcome;
use chrono::NaiveDate;

/// A patient whose HbA1c fell due long ago (a reason that a call does not meet).
fn hba1c_due(as_of: NaiveDate) -> PatientFacts {
    let mut p = quiet("p", as_of);
    p.latest_hba1c = Some(Hba1cFact {
        date: d(2024, 1, 10),
        percent: 7.5,
    });
    p
}

fn section(p: &PatientFacts, as_of: NaiveDate) -> Option<Section> {
    place(p, as_of, &t(), &ru()).map(|e| e.section)
}

#[test]
fn without_a_call_a_patient_with_a_reason_is_to_call() {
    let as_of = d(2025, 6, 16);
    let p = hba1c_due(as_of);
    assert_eq!(section(&p, as_of), Some(Section::ToCall));
    assert_eq!(
        place(&p, as_of, &t(), &ru()),
        evaluate(&p, as_of, &t(), &ru())
    );
    assert_eq!(section(&quiet("q", as_of), as_of), None);
}

#[test]
fn agreed_to_visit_waits_until_the_agreed_date_and_the_grace_days() {
    let as_of = d(2025, 6, 16);
    let agreed = d(2025, 6, 20);
    let mut p = hba1c_due(as_of);
    p.latest_call = call(as_of, CallOutcome::AgreedToVisit, Some(agreed));
    let e = place(&p, as_of, &t(), &ru()).unwrap();
    assert_eq!(e.section, Section::AgreedVisit);
    assert_eq!(e.section_date, Some(agreed));
    assert_eq!(
        e.reasons,
        vec![Reason::Hba1cOverdue],
        "the reasons stay visible"
    );
    assert_eq!(evaluate(&p, as_of, &t(), &ru()), None, "off the calls");
    // The grace: 3 days after the agreed date she still waits there; the day after, back.
    assert_eq!(section(&p, d(2025, 6, 23)), Some(Section::AgreedVisit));
    assert_eq!(section(&p, d(2025, 6, 24)), Some(Section::ToCall));
    // Without a date, the call form's default date (7 days, a business day) is the agreed one.
    p.latest_call = call(as_of, CallOutcome::AgreedToVisit, None);
    let e = place(&p, as_of, &t(), &ru()).unwrap();
    assert_eq!(e.section_date, Some(d(2025, 6, 23)));
}

#[test]
fn call_back_waits_until_its_date_and_no_answer_until_the_retry() {
    let as_of = d(2025, 6, 16);
    let mut p = hba1c_due(as_of);
    p.latest_call = call(as_of, CallOutcome::CallBackLater, Some(d(2025, 6, 18)));
    assert_eq!(section(&p, as_of), Some(Section::CallBack));
    assert_eq!(section(&p, d(2025, 6, 17)), Some(Section::CallBack));
    // On the date the call-back reason puts her back on the calls.
    let e = place(&p, d(2025, 6, 18), &t(), &ru()).unwrap();
    assert_eq!(e.section, Section::ToCall);
    assert!(e.has(Reason::CallBack));
    // No answer: the next business day.
    p.latest_call = call(as_of, CallOutcome::NoAnswer, None);
    assert_eq!(section(&p, as_of), Some(Section::CallBack));
    assert_eq!(section(&p, d(2025, 6, 17)), Some(Section::ToCall));
}

#[test]
fn a_trigger_after_the_call_brings_a_waiting_patient_back() {
    let as_of = d(2025, 6, 16);
    let mut p = hba1c_due(as_of);
    p.latest_call = call(
        d(2025, 6, 10),
        CallOutcome::AgreedToVisit,
        Some(d(2025, 6, 20)),
    );
    assert_eq!(section(&p, as_of), Some(Section::AgreedVisit));
    // A discharge after the call is a new deadline.
    let mut q = discharged("p", as_of, d(2025, 6, 13));
    q.latest_hba1c = p.latest_hba1c;
    q.latest_call = p.latest_call;
    assert_eq!(section(&q, as_of), Some(Section::ToCall));
}

#[test]
fn a_waiting_section_shows_a_patient_whose_only_reason_the_call_met() {
    // The post-discharge call is met by the contact; the transitional visit is not, so she
    // waits for it; with a visit already made after the discharge she has no reason left but
    // still shows where she went until the agreed date passes.
    let as_of = d(2025, 6, 16);
    let mut p = discharged("p", as_of, d(2025, 6, 12));
    p.latest_visit = Some(d(2025, 6, 13));
    p.latest_call = call(as_of, CallOutcome::AgreedToVisit, Some(d(2025, 6, 20)));
    p.latest_contact_at = p.latest_call.map(|c| c.at);
    let e = place(&p, as_of, &t(), &ru()).unwrap();
    assert_eq!(e.section, Section::AgreedVisit);
    assert!(e.reasons.is_empty());
    assert_eq!(section(&p, d(2025, 6, 24)), None);
}

#[test]
fn removed_holds_the_outcome_and_its_date_until_a_new_trigger() {
    let as_of = d(2025, 6, 16);
    let mut p = hba1c_due(as_of);
    p.latest_call = call(d(2025, 6, 10), CallOutcome::AlreadyVisited, None);
    p.removed = Some(Removal {
        on: d(2025, 6, 10),
        reason: CallOutcome::AlreadyVisited,
    });
    let e = place(&p, as_of, &t(), &ru()).unwrap();
    assert_eq!(e.section, Section::Removed);
    assert_eq!(e.removed_for, Some(CallOutcome::AlreadyVisited));
    assert_eq!(e.section_date, Some(d(2025, 6, 10)));
    assert_eq!(
        e.reasons,
        vec![Reason::Hba1cOverdue],
        "what the removal holds back"
    );
    // A missed appointment after the removal is a new trigger: back on the calls.
    p.latest_appointment = Some(d(2025, 6, 12));
    assert_eq!(section(&p, as_of), Some(Section::ToCall));
    // Dead and moved patients are in no section.
    p.status = crate::domain::types::PatientStatus::Dead;
    assert_eq!(section(&p, as_of), None);
}

#[test]
fn section_codes_round_trip() {
    for s in Section::ALL {
        assert_eq!(Section::from_code(s.as_code()), Some(*s));
    }
    assert_eq!(Section::default(), Section::ToCall);
}
