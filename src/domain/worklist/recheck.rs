//! When a patient's worklist verdict can next change with no new data, so that a new day refreshes
//! only the patients whose day has come (store/worklist_index.rs) instead of the whole register.
//!
//! Between two such days only the days overdue move: they grow by one a day for the reasons that
//! count lateness ([`Reason::counts_lateness`]). [`WorklistEntry::aged_to`] applies that growth to a
//! stored entry, and [`WorklistEntry::late_since`] is a list order that does not move at all, so the
//! stored order stays right from one recheck to the next.
//!
//! The dates come from the rules of `worklist_rules.rs`, one line per condition that depends on the
//! day; [`recheck_dates`] adds the events the record holds after the day (a discharge planned for
//! next week, a call logged ahead of a historical clock). A date too early costs one needless
//! recomputation; a date missed would leave a wrong line, so the tests compare the refreshed list
//! with a full recomputation day by day.

use super::rules::{add_days_saturating, add_months, anchor, hba1c_months, kidney_check_due};
use super::{PatientFacts, Reason, Thresholds, WorklistEntry, default_next_date};
use crate::domain::calendar::Calendar;
use crate::domain::patient_record::PatientRecord;
use crate::domain::types::{CallOutcome, EncounterClass};
use chrono::NaiveDate;

/// Days an index discharge stays in the readmission period (see `PatientRecord::open_windows`).
const OPEN_WINDOW_DAYS: u32 = 30;

impl Reason {
    /// True for the reasons whose days overdue grow by one a day (the others always read 0).
    pub fn counts_lateness(self) -> bool {
        matches!(
            self,
            Reason::PostDischarge
                | Reason::MissedVisit
                | Reason::Hba1cOverdue
                | Reason::CallBack
                | Reason::BpNotMeasured
                | Reason::AfterEmergency
                | Reason::TransitionalVisit
                | Reason::BpUncontrolled
                | Reason::KidneyCheck
        )
    }
}

impl WorklistEntry {
    /// This entry as it reads on `as_of`, a later day before its patient's recheck date: the same
    /// reasons, dates and priority, with the days overdue grown.
    pub fn aged_to(mut self, as_of: NaiveDate) -> WorklistEntry {
        for f in &mut self.findings {
            if f.reason.counts_lateness() {
                f.days_overdue = as_of.signed_duration_since(f.due).num_days().max(0);
            }
        }
        self.settle(as_of);
        self
    }

    /// The deciding reason's due date when it is already late: `as_of` minus it is the entry's
    /// days overdue, so ordering by it (earliest first, `None` last) is the list's order by
    /// lateness on every day until the next recheck.
    pub fn late_since(&self) -> Option<NaiveDate> {
        self.deciding()
            .filter(|f| f.reason.counts_lateness() && f.days_overdue > 0)
            .map(|f| f.due)
    }
}

/// The first day after `as_of` on which the patient's worklist line (reasons, due dates,
/// priority, being lost to follow-up, or the order by lateness) can differ from what `as_of`
/// gives, other than the days overdue growing; `None` when nothing can change without new data.
pub fn recheck_on(
    record: &PatientRecord,
    facts: &PatientFacts,
    as_of: NaiveDate,
    calls_until: NaiveDate,
    t: &Thresholds,
    cal: &Calendar,
) -> Option<NaiveDate> {
    let mut dates = rule_dates(facts, as_of, t, cal);
    dates.extend(recheck_dates(record, as_of, calls_until));
    dates.into_iter().filter(|d| *d > as_of).min()
}

/// The days on which a rule's condition flips for these facts (each is the first day of the new
/// state), in the order of `worklist_rules::candidates`.
fn rule_dates(
    facts: &PatientFacts,
    as_of: NaiveDate,
    t: &Thresholds,
    cal: &Calendar,
) -> Vec<NaiveDate> {
    let next = |d: NaiveDate| d.succ_opt().unwrap_or(NaiveDate::MAX);
    let mut dates = Vec::new();
    // Post-discharge call: starts on the event, turns late (urgent) the day after it falls due,
    // ends after the transitional-care days.
    if let Some(event) = facts.latest_acute {
        dates.push(event.date);
        dates.push(next(cal.add_business_days(
            event.date,
            t.post_discharge_call_business_days,
        )));
        dates.push(next(add_days_saturating(
            event.date,
            t.transitional_care_days,
        )));
        // The face-to-face visit turns late after its 7 or 14 days.
        dates.push(next(add_days_saturating(
            event.date,
            t.tcm_visit_high_risk_days,
        )));
        dates.push(next(add_days_saturating(event.date, t.tcm_visit_days)));
    }
    // Clinical flags stop being recent the day after the recency span.
    for reading in [
        facts.latest_bp.map(|b| b.date),
        facts.latest_hba1c.map(|h| h.date),
    ]
    .into_iter()
    .flatten()
    {
        dates.push(next(add_days_saturating(
            reading,
            t.clinical_flag_recency_days,
        )));
    }
    // Missed visit: starts the day after the appointment, turns high after the threshold.
    if let Some(appointment) = facts.latest_appointment {
        dates.push(next(appointment));
        dates.push(next(add_days_saturating(
            appointment,
            t.missed_visit_high_after_days,
        )));
    }
    // Per programme: HbA1c and BP overdue the day after the interval runs out (with no reading,
    // from enrolment); BP not controlled the day after its follow-up days.
    for p in &facts.programs {
        let watched = [
            (hba1c_months(p, t), facts.latest_hba1c.map(|h| h.date)),
            (p.rules.bp_every_months, facts.latest_bp.map(|b| b.date)),
        ];
        for (months, last) in watched {
            let Some(months) = months else { continue };
            match (last, anchor(facts, p)) {
                (Some(last), _) => {
                    if let Some(due) = add_months(last, months) {
                        dates.push(next(due));
                    }
                }
                (None, Some(enrolled)) => {
                    dates.push(enrolled);
                    dates.push(next(enrolled));
                }
                // Due "today" every day: the due date moves daily.
                (None, None) => dates.push(next(as_of)),
            }
        }
        if let (Some(rule), Some(bp)) = (p.rules.bp_uncontrolled, facts.latest_bp) {
            dates.push(next(add_days_saturating(bp.date, rule.follow_up_days)));
        }
    }
    // Kidney check: from the day the patient is diabetic; with a result, the day after it falls
    // due; with none, on the due date itself.
    if let Some(since) = facts.diabetes_since {
        dates.push(since);
        let after = as_of.max(since);
        if let Some(due) = kidney_check_due(facts, after, t) {
            dates.push(due);
            dates.push(next(due));
        }
    }
    // Call back: on the agreed date, late the day after.
    if let Some(call) = facts.latest_call {
        if matches!(
            call.outcome,
            CallOutcome::CallBackLater | CallOutcome::NoAnswer
        ) {
            let planned = call
                .next_date
                .or_else(|| default_next_date(call.outcome, call.at.date(), t, cal));
            if let Some(day) = planned {
                dates.push(day);
                dates.push(next(day));
            }
        }
    }
    // Agreed to visit: back on the calls the day after the agreed date plus the grace.
    if let Some(call) = facts
        .latest_call
        .filter(|c| c.outcome == CallOutcome::AgreedToVisit)
    {
        let planned = call
            .next_date
            .or_else(|| default_next_date(call.outcome, call.at.date(), t, cal));
        if let Some(day) = planned {
            dates.push(next(add_days_saturating(day, t.agreed_visit_grace_days)));
        }
    }
    // Readmission risk: ends after the window.
    if let Some(window) = facts.readmission_window {
        dates.push(window.discharge);
        dates.push(next(add_days_saturating(
            window.discharge,
            t.readmission_window_days,
        )));
    }
    // Lost to follow-up: the day the later of the last visit and the enrolment + the months passes.
    if let Some(since) = crate::domain::measures::follow_up::lost_since(
        facts.enrolled_on,
        facts.latest_visit,
        t.lost_to_follow_up_months,
    ) {
        dates.push(since);
    }
    dates
}

/// The record's own dates after `as_of`: events the facts ignore today and count on that day
/// (calls after `calls_until`), and the day each discharge leaves the 30-day readmission period,
/// which can uncover another open window.
fn recheck_dates(
    record: &PatientRecord,
    as_of: NaiveDate,
    calls_until: NaiveDate,
) -> impl Iterator<Item = NaiveDate> + '_ {
    let encounters = record.encounters.iter().flat_map(move |e| {
        let window_end = (e.class == EncounterClass::Inpatient)
            .then_some(e.end)
            .flatten()
            .map(|d| add_days_saturating(d, OPEN_WINDOW_DAYS));
        [Some(e.start), e.end, window_end].into_iter().flatten()
    });
    let observations = record.observations.iter().map(|o| o.date);
    // Every call counts here, also those after `calls_until`: a date too many costs nothing.
    let appointments = record.scheduled_visits(NaiveDate::MAX);
    let calls = record
        .calls
        .iter()
        .map(|c| c.at.date())
        .filter(move |d| *d > calls_until);
    let diagnoses = record.icd10.iter().map(|(_, onset)| *onset);
    let own = [record.enrolled_on, record.death_date]
        .into_iter()
        .flatten()
        .chain(record.programs.iter().filter_map(|p| p.enrolled_on));
    encounters
        .chain(observations)
        .chain(appointments)
        .chain(calls)
        .chain(diagnoses)
        .chain(own)
        .filter(move |d| *d > as_of)
}
