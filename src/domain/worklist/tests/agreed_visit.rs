//! "Agreed to visit" makes an appointment (issue #20 item 8): the missed-visit rule counts it
//! once it passes without a visit and the agreed-visit section's grace days are over; a later
//! call before the date rearranges it; a visit keeps it. Records go through
//! `PatientRecord::facts`, as the store feeds them.

use super::super::*;
use super::{at, d, ru, t};
use crate::domain::patient_record::{CallEvent, EncounterEvent, ObservationEvent, PatientRecord};
use crate::domain::types::{CallOutcome, EncounterClass, ObservationKind, PatientStatus};
use chrono::NaiveDate;

/// A quiet patient (recent visit, nothing due) who agreed on `called` to visit on `agreed`.
fn agreed(called: NaiveDate, agreed: NaiveDate) -> PatientRecord {
    let mut r = PatientRecord::new("p", PatientStatus::Active);
    r.enrolled_on = Some(d(2020, 1, 15));
    r.encounters.push(visit(d(2025, 6, 1)));
    r.observations.push(ObservationEvent {
        kind: ObservationKind::Hba1c,
        date: d(2025, 6, 1),
        value: 7.1,
        at_site: true,
    });
    r.calls.push(CallEvent {
        at: at(called, 10),
        outcome: CallOutcome::AgreedToVisit,
        next_date: Some(agreed),
    });
    r
}

fn visit(on: NaiveDate) -> EncounterEvent {
    EncounterEvent {
        id: format!("e{on}"),
        class: EncounterClass::Outpatient,
        start: on,
        end: Some(on),
        organization_id: None,
        planned: true,
        disposition: None,
        principal_dx: None,
    }
}

fn placed(r: &PatientRecord, as_of: NaiveDate) -> Option<WorklistEntry> {
    place(&r.facts(as_of, as_of), as_of, &t(), &ru())
}

#[test]
fn the_agreed_date_is_an_appointment_missed_after_the_grace_days() {
    let (called, date) = (d(2025, 6, 16), d(2025, 6, 20));
    let r = agreed(called, date);
    assert_eq!(r.scheduled_visits(called).collect::<Vec<_>>(), vec![date]);
    // Waiting until the agreed date and the grace days (3), not pulled back the day after.
    for day in [called, date, d(2025, 6, 21), d(2025, 6, 23)] {
        let e = placed(&r, day).unwrap();
        assert_eq!(e.section, Section::AgreedVisit, "{day}");
    }
    // Then on the calls, for the missed visit: due on the agreed date, late from it.
    let e = placed(&r, d(2025, 6, 24)).unwrap();
    assert_eq!(e.section, Section::ToCall);
    assert_eq!(e.reasons, vec![Reason::MissedVisit]);
    assert_eq!((e.due, e.days_overdue), (date, 4));
    // High once more than `missed_visit_high_after_days` (30) late, as any missed appointment.
    assert_eq!(placed(&r, d(2025, 7, 21)).unwrap().priority, Priority::High);
}

#[test]
fn a_visit_on_or_after_the_agreed_date_keeps_it() {
    let mut r = agreed(d(2025, 6, 16), d(2025, 6, 20));
    r.encounters.push(visit(d(2025, 6, 20)));
    assert_eq!(
        placed(&r, d(2025, 6, 30)),
        None,
        "kept: nothing to call about"
    );
}

#[test]
fn a_later_call_before_the_date_rearranges_the_visit() {
    let mut r = agreed(d(2025, 6, 16), d(2025, 6, 20));
    // On the 18th she asked to come on the 25th instead.
    r.calls.push(CallEvent {
        at: at(d(2025, 6, 18), 9),
        outcome: CallOutcome::AgreedToVisit,
        next_date: Some(d(2025, 6, 25)),
    });
    assert_eq!(
        r.scheduled_visits(d(2025, 6, 18)).collect::<Vec<_>>(),
        vec![d(2025, 6, 25)]
    );
    let e = placed(&r, d(2025, 6, 24)).unwrap();
    assert_eq!(
        (e.section, e.section_date),
        (Section::AgreedVisit, Some(d(2025, 6, 25)))
    );
    // A call made after the date does not undo the missed appointment.
    let mut late = agreed(d(2025, 6, 16), d(2025, 6, 20));
    late.calls.push(CallEvent {
        at: at(d(2025, 6, 26), 9),
        outcome: CallOutcome::NoAnswer,
        next_date: None,
    });
    let facts = late.facts(d(2025, 6, 26), d(2025, 6, 26));
    assert_eq!(facts.latest_appointment, Some(d(2025, 6, 20)));
}

#[test]
fn a_call_the_clock_does_not_count_yet_makes_no_appointment() {
    let r = agreed(d(2025, 6, 16), d(2025, 6, 20));
    // Historical clock before the call: its appointment is not known yet.
    let facts = r.facts(d(2025, 6, 25), d(2025, 6, 15));
    assert_eq!(facts.latest_appointment, None);
}
