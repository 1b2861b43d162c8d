//! The individual worklist rules behind [`super::evaluate`]; the module documentation of
//! `worklist` is their specification.

use super::{
    Finding, PatientFacts, Priority, Reason, Thresholds, default_next_date, removes_from_list,
};
use crate::domain::calendar::Calendar;
use crate::domain::types::CallOutcome;
use chrono::{Days, Months, NaiveDate};

/// A finding with the date that triggered it, which decides whether it counts after a removal.
pub(super) struct Candidate {
    pub(super) finding: Finding,
    /// `None`: no datable trigger, so it never re-adds a removed patient.
    pub(super) trigger: Option<NaiveDate>,
}

/// `date` + `months` calendar months, clamped to the month's end; `None` past the last date.
pub(super) fn add_months(date: NaiveDate, months: u32) -> Option<NaiveDate> {
    date.checked_add_months(Months::new(months))
}

/// `date` + `days`, saturating at [`NaiveDate::MAX`].
pub(super) fn add_days_saturating(date: NaiveDate, days: u32) -> NaiveDate {
    date.checked_add_days(Days::new(u64::from(days)))
        .unwrap_or(NaiveDate::MAX)
}

/// Calendar days from `from` to `to` (negative when `to` is earlier).
fn days_from(from: NaiveDate, to: NaiveDate) -> i64 {
    to.signed_duration_since(from).num_days()
}

/// Calendar days `as_of` is past `due`, never negative.
fn overdue(due: NaiveDate, as_of: NaiveDate) -> i64 {
    days_from(due, as_of).max(0)
}

/// The effective removal date: the later of the store's removal marker and the latest call, when
/// that call's outcome removes the patient.
pub(super) fn removal_date(facts: &PatientFacts) -> Option<NaiveDate> {
    let marker = facts.removed.map(|r| r.on);
    let by_call = facts
        .latest_call
        .filter(|c| removes_from_list(c.outcome))
        .map(|c| c.at.date());
    marker.max(by_call)
}

/// Whether a trigger counts: always without a removal, else only when strictly after it.
pub(super) fn counts_after_removal(
    removed_on: Option<NaiveDate>,
    trigger: Option<NaiveDate>,
) -> bool {
    match removed_on {
        None => true,
        Some(removed) => trigger.is_some_and(|d| d > removed),
    }
}

fn candidate(
    reason: Reason,
    due: NaiveDate,
    days_overdue: i64,
    priority: Priority,
    trigger: Option<NaiveDate>,
) -> Candidate {
    Candidate {
        finding: Finding {
            reason,
            due,
            days_overdue,
            priority,
        },
        trigger,
    }
}

/// Every rule's finding for the patient, before the removal filter.
pub(super) fn candidates(
    facts: &PatientFacts,
    as_of: NaiveDate,
    t: &Thresholds,
    cal: &Calendar,
) -> Vec<Candidate> {
    [
        post_discharge(facts, as_of, t, cal),
        missed_visit(facts, as_of, t),
        hba1c_overdue(facts, as_of, t),
        poor_control(facts, t),
        bp_urgent(facts, t),
        call_back(facts, as_of, t, cal),
        readmission_risk(facts, as_of, t),
    ]
    .into_iter()
    .flatten()
    .collect()
}

fn post_discharge(
    facts: &PatientFacts,
    as_of: NaiveDate,
    t: &Thresholds,
    cal: &Calendar,
) -> Option<Candidate> {
    let event = facts.latest_acute?;
    let age = days_from(event.date, as_of);
    if age < 0 || age > i64::from(t.transitional_care_days) {
        return None;
    }
    if facts
        .latest_contact_at
        .is_some_and(|c| c.date() >= event.date)
    {
        return None;
    }
    let due = cal.add_business_days(event.date, t.post_discharge_call_business_days);
    let priority = if as_of > due {
        Priority::Urgent
    } else {
        Priority::High
    };
    Some(candidate(
        Reason::PostDischarge,
        due,
        overdue(due, as_of),
        priority,
        Some(event.date),
    ))
}

fn missed_visit(facts: &PatientFacts, as_of: NaiveDate, t: &Thresholds) -> Option<Candidate> {
    let appointment = facts.latest_appointment?;
    if appointment >= as_of || facts.latest_visit.is_some_and(|v| v >= appointment) {
        return None;
    }
    let late = overdue(appointment, as_of);
    let priority = if late > i64::from(t.missed_visit_high_after_days) {
        Priority::High
    } else {
        Priority::Normal
    };
    Some(candidate(
        Reason::MissedVisit,
        appointment,
        late,
        priority,
        Some(appointment),
    ))
}

fn hba1c_overdue(facts: &PatientFacts, as_of: NaiveDate, t: &Thresholds) -> Option<Candidate> {
    let (due, trigger) = match facts.latest_hba1c {
        Some(last) => {
            let due = add_months(last.date, t.hba1c_interval_months)?;
            if due >= as_of {
                return None;
            }
            (due, Some(due))
        }
        None => match facts.enrolled_on {
            Some(enrolled) if enrolled > as_of => return None,
            Some(enrolled) => (enrolled, Some(enrolled)),
            None => (as_of, None),
        },
    };
    Some(candidate(
        Reason::Hba1cOverdue,
        due,
        overdue(due, as_of),
        Priority::Normal,
        trigger,
    ))
}

fn poor_control(facts: &PatientFacts, t: &Thresholds) -> Option<Candidate> {
    let last = facts.latest_hba1c?;
    // The same comparison as CMS122's numerator (strictly above the threshold, 9.0 % by default).
    crate::domain::indicators::is_poor_control(last.percent, t.hba1c_poor_control_pct).then(|| {
        candidate(
            Reason::PoorControl,
            last.date,
            0,
            Priority::High,
            Some(last.date),
        )
    })
}

fn bp_urgent(facts: &PatientFacts, t: &Thresholds) -> Option<Candidate> {
    let bp = facts.latest_bp?;
    let high = bp.systolic.is_some_and(|s| s >= t.bp_urgent_systolic)
        || bp.diastolic.is_some_and(|d| d >= t.bp_urgent_diastolic);
    high.then(|| {
        candidate(
            Reason::BpUrgent,
            bp.date,
            0,
            Priority::Urgent,
            Some(bp.date),
        )
    })
}

fn call_back(
    facts: &PatientFacts,
    as_of: NaiveDate,
    t: &Thresholds,
    cal: &Calendar,
) -> Option<Candidate> {
    let call = facts.latest_call?;
    if !matches!(
        call.outcome,
        CallOutcome::CallBackLater | CallOutcome::NoAnswer
    ) {
        return None;
    }
    let next = call
        .next_date
        .or_else(|| default_next_date(call.outcome, call.at.date(), t, cal))?;
    if next > as_of {
        return None;
    }
    Some(candidate(
        Reason::CallBack,
        next,
        overdue(next, as_of),
        Priority::Normal,
        Some(next),
    ))
}

fn readmission_risk(facts: &PatientFacts, as_of: NaiveDate, t: &Thresholds) -> Option<Candidate> {
    let window = facts.readmission_window?;
    let age = days_from(window.discharge, as_of);
    if window.lace < t.lace_high_risk || age < 0 || age > i64::from(t.readmission_window_days) {
        return None;
    }
    Some(candidate(
        Reason::ReadmissionRisk,
        window.discharge,
        0,
        Priority::Urgent,
        Some(window.discharge),
    ))
}
