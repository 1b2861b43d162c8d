//! The individual worklist rules behind [`super::evaluate`]; the module documentation of
//! `worklist` is their specification.

use super::{
    AcuteKind, BpLimit, Finding, PatientFacts, Priority, ProgramEnrolment, Reason, Section,
    Thresholds, default_next_date, removes_from_list,
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

/// The outcome behind the effective removal (see [`removal_date`]): the later of the marker and
/// a removing latest call.
pub(super) fn removal_reason(facts: &PatientFacts) -> Option<CallOutcome> {
    let marker = facts.removed.map(|r| (r.on, r.reason));
    let by_call = facts
        .latest_call
        .filter(|c| removes_from_list(c.outcome))
        .map(|c| (c.at.date(), c.outcome));
    match (marker, by_call) {
        (Some(m), Some(c)) => Some(if c.0 >= m.0 { c.1 } else { m.1 }),
        (m, c) => m.or(c).map(|x| x.1),
    }
}

/// The waiting section the latest call puts the patient in on `as_of`, with its date (the agreed
/// visit's or the call-back's) and the call's date (a trigger after it
/// brings her back to the calls): agreed to visit until the agreed date plus
/// `agreed_visit_grace_days`; call back (or no answer) until the call-back date.
pub(super) fn waiting(
    facts: &PatientFacts,
    as_of: NaiveDate,
    t: &Thresholds,
    cal: &Calendar,
) -> Option<(Section, NaiveDate, NaiveDate)> {
    let call = facts.latest_call?;
    let called = call.at.date();
    let date = call
        .next_date
        .or_else(|| default_next_date(call.outcome, called, t, cal))?;
    match call.outcome {
        CallOutcome::AgreedToVisit => {
            let until = add_days_saturating(date, t.agreed_visit_grace_days);
            (as_of <= until).then_some((Section::AgreedVisit, date, called))
        }
        CallOutcome::CallBackLater | CallOutcome::NoAnswer => {
            (as_of < date).then_some((Section::CallBack, date, called))
        }
        _ => None,
    }
}

/// Whether a finding brings a patient waiting in `section` (since the call on `called`, until
/// `date`) back to the calls: a trigger after the call does, except the agreed visit itself — the
/// appointment the call made (see `PatientRecord::scheduled_visits`) is missed only once the
/// grace days have passed, when the patient leaves the section anyway.
pub(super) fn brings_back(
    c: &Candidate,
    section: Section,
    date: NaiveDate,
    called: NaiveDate,
) -> bool {
    let the_agreed_visit = section == Section::AgreedVisit
        && c.finding.reason == Reason::MissedVisit
        && c.trigger == Some(date);
    c.trigger.is_some_and(|d| d > called) && !the_agreed_visit
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
            programs: Vec::new(),
            since: None,
        },
        trigger,
    }
}

/// `c` as raised by the programme `p`.
fn of_program(mut c: Candidate, p: &ProgramEnrolment) -> Candidate {
    c.finding.programs = vec![p.program_id.clone()];
    c
}

/// Every rule's finding for the patient, before the removal filter: the common reasons once, the
/// programme reasons for each programme the patient is in. A reason two programmes raise is one
/// finding, the more deciding of the two ([`Finding::rank`]), naming both programmes.
pub(super) fn candidates(
    facts: &PatientFacts,
    as_of: NaiveDate,
    t: &Thresholds,
    cal: &Calendar,
) -> Vec<Candidate> {
    let common = [
        post_discharge(facts, as_of, t, cal),
        missed_visit(facts, as_of, t),
        call_back(facts, as_of, t, cal),
        readmission_risk(facts, as_of, t),
        after_emergency(facts, as_of, t, cal),
        transitional_visit(facts, as_of, t),
        kidney_check(facts, as_of, t),
    ];
    let mut all: Vec<Candidate> = common.into_iter().flatten().collect();
    for p in &facts.programs {
        let own = [
            hba1c_overdue(facts, p, as_of, t),
            poor_control(facts, p, as_of, t),
            bp_urgent(facts, p, as_of, t),
            bp_uncontrolled(facts, p, as_of),
            bp_not_measured(facts, p, as_of),
        ];
        for c in own.into_iter().flatten().map(|c| of_program(c, p)) {
            merge(&mut all, c);
        }
    }
    all
}

/// Adds `c` to `all`, or merges it with the finding of the same reason already there.
fn merge(all: &mut Vec<Candidate>, c: Candidate) {
    match all
        .iter_mut()
        .find(|x| x.finding.reason == c.finding.reason)
    {
        None => all.push(c),
        Some(x) => {
            let mut programs = std::mem::take(&mut x.finding.programs);
            for p in &c.finding.programs {
                if !programs.contains(p) {
                    programs.push(p.clone());
                }
            }
            // The more deciding finding stays; on a tie the earlier trigger (it counts after
            // fewer removals than the later one would not).
            if (c.finding.rank(), c.trigger) < (x.finding.rank(), x.trigger) {
                *x = c;
            }
            x.finding.programs = programs;
        }
    }
}

/// The acute event of `kind` whose transitional-care period (its day and the next
/// `transitional_care_days`) holds `as_of`.
fn open_event(
    facts: &PatientFacts,
    kind: AcuteKind,
    as_of: NaiveDate,
    t: &Thresholds,
) -> Option<NaiveDate> {
    let event = facts.latest_acute.filter(|e| e.kind == kind)?;
    let age = days_from(event.date, as_of);
    (age >= 0 && age <= i64::from(t.transitional_care_days)).then_some(event.date)
}

/// The call after an acute event: due `post_discharge_call_business_days` business days after
/// it, met by any successful contact on or after its day.
fn contact_after(
    reason: Reason,
    event: NaiveDate,
    facts: &PatientFacts,
    as_of: NaiveDate,
    t: &Thresholds,
    cal: &Calendar,
    late: Priority,
) -> Option<Candidate> {
    if facts.latest_contact_at.is_some_and(|c| c.date() >= event) {
        return None;
    }
    let due = cal.add_business_days(event, t.post_discharge_call_business_days);
    let priority = if as_of > due { late } else { Priority::High };
    Some(candidate(
        reason,
        due,
        overdue(due, as_of),
        priority,
        Some(event),
    ))
}

/// Transitional care (CMS codes 99495/99496; CMS MLN booklet "Transitional Care Management
/// Services", MLN908628): an interactive contact within 2 business days of an inpatient (or
/// observation) discharge; the period is the discharge day and the next 29 days. Emergency visits
/// are not discharges under the codes: they raise [`after_emergency`] instead.
fn post_discharge(
    facts: &PatientFacts,
    as_of: NaiveDate,
    t: &Thresholds,
    cal: &Calendar,
) -> Option<Candidate> {
    let event = open_event(facts, AcuteKind::InpatientDischarge, as_of, t)?;
    contact_after(
        Reason::PostDischarge,
        event,
        facts,
        as_of,
        t,
        cal,
        Priority::Urgent,
    )
}

/// The call after an emergency visit: due like the post-discharge call, for the same period, but
/// its own reason and never above high priority (it is no transitional-care deadline).
fn after_emergency(
    facts: &PatientFacts,
    as_of: NaiveDate,
    t: &Thresholds,
    cal: &Calendar,
) -> Option<Candidate> {
    let event = open_event(facts, AcuteKind::EmergencyVisit, as_of, t)?;
    contact_after(
        Reason::AfterEmergency,
        event,
        facts,
        as_of,
        t,
        cal,
        Priority::High,
    )
}

/// The transitional-care face-to-face visit: due within `tcm_visit_high_risk_days` (7, CPT 99496)
/// of a discharge whose LACE is high, else within `tcm_visit_days` (14, CPT 99495); met by a visit
/// after the discharge day. Normal priority until due, high once late, for the discharge's period.
fn transitional_visit(facts: &PatientFacts, as_of: NaiveDate, t: &Thresholds) -> Option<Candidate> {
    let discharge = open_event(facts, AcuteKind::InpatientDischarge, as_of, t)?;
    if facts.latest_visit.is_some_and(|v| v > discharge) {
        return None;
    }
    let due = add_days_saturating(discharge, tcm_visit_days(facts, discharge, t));
    let priority = if as_of > due {
        Priority::High
    } else {
        Priority::Normal
    };
    Some(candidate(
        Reason::TransitionalVisit,
        due,
        overdue(due, as_of),
        priority,
        Some(discharge),
    ))
}

/// Days from a discharge to its face-to-face visit's due date: the short span when the
/// readmission window of that discharge has a high LACE.
pub(super) fn tcm_visit_days(facts: &PatientFacts, discharge: NaiveDate, t: &Thresholds) -> u32 {
    let high = facts
        .readmission_window
        .is_some_and(|w| w.discharge == discharge && w.lace >= t.lace_high_risk);
    if high {
        t.tcm_visit_high_risk_days
    } else {
        t.tcm_visit_days
    }
}

/// True while a reading dated `date` is recent enough to make its clinical flag urgent.
pub(super) fn is_recent(date: NaiveDate, as_of: NaiveDate, t: &Thresholds) -> bool {
    days_from(date, as_of) <= i64::from(t.clinical_flag_recency_days)
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

/// The months between two HbA1c tests of a programme that watches HbA1c.
pub(super) fn hba1c_months(p: &ProgramEnrolment, t: &Thresholds) -> Option<u32> {
    p.rules.watch_hba1c.then(|| {
        p.rules
            .hba1c_every_months
            .unwrap_or(t.hba1c_interval_months)
    })
}

/// The date a programme's "no reading ever" counts from: its own enrolment, else the patient's.
pub(super) fn anchor(facts: &PatientFacts, p: &ProgramEnrolment) -> Option<NaiveDate> {
    p.enrolled_on.or(facts.enrolled_on)
}

fn hba1c_overdue(
    facts: &PatientFacts,
    p: &ProgramEnrolment,
    as_of: NaiveDate,
    t: &Thresholds,
) -> Option<Candidate> {
    let months = hba1c_months(p, t)?;
    let last = facts.latest_hba1c.map(|h| h.date);
    overdue_reading(Reason::Hba1cOverdue, last, months, anchor(facts, p), as_of)
}

/// "BP not measured for N months" for a programme that watches BP (`[watch.bp]`).
fn bp_not_measured(
    facts: &PatientFacts,
    p: &ProgramEnrolment,
    as_of: NaiveDate,
) -> Option<Candidate> {
    let months = p.rules.bp_every_months?;
    let last = facts.latest_bp.map(|b| b.date);
    let mut c = overdue_reading(Reason::BpNotMeasured, last, months, anchor(facts, p), as_of)?;
    c.finding.since = last;
    Some(c)
}

/// A reading due `months` after the last one (or since `enrolled` when there is none): overdue
/// when the due date is before `as_of`, normal priority.
fn overdue_reading(
    reason: Reason,
    last: Option<NaiveDate>,
    months: u32,
    enrolled: Option<NaiveDate>,
    as_of: NaiveDate,
) -> Option<Candidate> {
    let (due, trigger) = match last {
        Some(last) => {
            let due = add_months(last, months)?;
            if due >= as_of {
                return None;
            }
            (due, Some(due))
        }
        None => match enrolled {
            Some(enrolled) if enrolled > as_of => return None,
            Some(enrolled) => (enrolled, Some(enrolled)),
            None => (as_of, None),
        },
    };
    Some(candidate(
        reason,
        due,
        overdue(due, as_of),
        Priority::Normal,
        trigger,
    ))
}

/// "BP not controlled at the last visit and no visit since": the latest reading at or above the
/// programme's limit (140/90), no visit after its day, and its follow-up days passed. Normal
/// priority, late from the day after the follow-up days.
fn bp_uncontrolled(
    facts: &PatientFacts,
    p: &ProgramEnrolment,
    as_of: NaiveDate,
) -> Option<Candidate> {
    let rule = p.rules.bp_uncontrolled?;
    let bp = facts.latest_bp?;
    if !rule.limit.reached_by(bp.systolic, bp.diastolic)
        || facts.latest_visit.is_some_and(|v| v > bp.date)
    {
        return None;
    }
    let due = add_days_saturating(bp.date, rule.follow_up_days);
    (due < as_of).then(|| {
        candidate(
            Reason::BpUncontrolled,
            due,
            overdue(due, as_of),
            Priority::Normal,
            Some(due),
        )
    })
}

/// Poor control: high priority while the result is recent, normal once it is older than
/// `clinical_flag_recency_days` (the HbA1c-overdue rule then asks for a new test).
fn poor_control(
    facts: &PatientFacts,
    p: &ProgramEnrolment,
    as_of: NaiveDate,
    t: &Thresholds,
) -> Option<Candidate> {
    if !p.rules.poor_control {
        return None;
    }
    let above = p
        .rules
        .poor_control_above_pct
        .unwrap_or(t.hba1c_poor_control_pct);
    let last = facts.latest_hba1c?;
    let priority = if is_recent(last.date, as_of, t) {
        Priority::High
    } else {
        Priority::Normal
    };
    // The same comparison as CMS122's numerator (strictly above the threshold, 9.0 % by default).
    crate::domain::indicators::is_poor_control(last.percent, above)
        .then(|| candidate(Reason::PoorControl, last.date, 0, priority, Some(last.date)))
}

/// Urgent BP while the reading is recent; an older urgent reading is "BP not measured" since
/// the reading date + `clinical_flag_recency_days`, at normal priority, late from then on.
fn bp_urgent(
    facts: &PatientFacts,
    p: &ProgramEnrolment,
    as_of: NaiveDate,
    t: &Thresholds,
) -> Option<Candidate> {
    if !p.rules.bp_urgent {
        return None;
    }
    let bp = facts.latest_bp?;
    let limit = p.rules.bp_urgent_at.unwrap_or(BpLimit {
        systolic: t.bp_urgent_systolic,
        diastolic: t.bp_urgent_diastolic,
    });
    let high = limit.reached_by(bp.systolic, bp.diastolic);
    if !high {
        return None;
    }
    if is_recent(bp.date, as_of, t) {
        return Some(candidate(
            Reason::BpUrgent,
            bp.date,
            0,
            Priority::Urgent,
            Some(bp.date),
        ));
    }
    let due = add_days_saturating(bp.date, t.clinical_flag_recency_days);
    let mut c = candidate(
        Reason::BpNotMeasured,
        due,
        overdue(due, as_of),
        Priority::Normal,
        Some(bp.date),
    );
    c.finding.since = Some(bp.date);
    Some(c)
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

/// The day a diabetic patient's kidney check falls due: the last creatinine + the interval, or —
/// with none — the later of the enrolment and the diabetes diagnosis's onset (a patient enrolled
/// for another programme is asked for it from the day she is known to be diabetic). `None` when
/// the patient has no diabetes diagnosis by `as_of`, or the interval runs past the calendar.
pub(super) fn kidney_check_due(
    facts: &PatientFacts,
    as_of: NaiveDate,
    t: &Thresholds,
) -> Option<NaiveDate> {
    let diabetic = facts.diabetes_since.filter(|d| *d <= as_of)?;
    match facts.latest_creatinine {
        Some(last) => add_months(last, t.kidney_check_interval_months),
        None => Some(facts.enrolled_on.map_or(diabetic, |e| e.max(diabetic))),
    }
}

/// Kidney function not checked within `kidney_check_interval_months` (12) for a diabetic patient
/// (the Russian diabetes algorithms, 11th edition 2023: creatinine and eGFR at least yearly).
/// Overdue the day after the due date when a result exists, from the due date itself when there is
/// none (as [`hba1c_overdue`]).
fn kidney_check(facts: &PatientFacts, as_of: NaiveDate, t: &Thresholds) -> Option<Candidate> {
    let due = kidney_check_due(facts, as_of, t)?;
    let late = if facts.latest_creatinine.is_some() {
        due < as_of
    } else {
        due <= as_of
    };
    late.then(|| {
        candidate(
            Reason::KidneyCheck,
            due,
            overdue(due, as_of),
            Priority::Normal,
            Some(due),
        )
    })
}
