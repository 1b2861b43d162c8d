//! One patient's events as plain values, and the one derivation of the worklist rules' facts from
//! them. The store feeds records either for every patient (a streaming merge of the tables, for
//! the daily rebuild and for historical dates) or for one patient (after a call, an assignment or
//! an import): both go through [`PatientRecord::facts`], so they cannot disagree.

use super::lace::lace;
use super::readmission::{PatientStays, ReadmissionPeriod, Stay, evaluate_patient};
use super::types::{CallOutcome, Disposition, EncounterClass, ObservationKind, PatientStatus};
use super::worklist::{
    AcuteEvent, AcuteKind, BpFact, CallFact, GlucoseFact, Hba1cFact, PatientFacts,
    ProgramEnrolment, ReadmissionWindow, Removal, is_prior_mi_or_stroke, removes_from_list,
};
use chrono::{Days, NaiveDate, NaiveDateTime};

/// The visit dates agreed on `calls` (in the order they were made, no superseded call among
/// them) made by `calls_until`: the appointments "agreed to visit" makes (see
/// [`PatientRecord::scheduled_visits`]). The card lists them with the register's appointments.
pub fn agreed_visits(calls: &[CallEvent], calls_until: NaiveDate) -> Vec<NaiveDate> {
    let counted = |c: &CallEvent| c.at.date() <= calls_until;
    calls
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let date = c.next_date?;
            let rearranged = calls
                .get(i + 1..)
                .unwrap_or_default()
                .iter()
                .any(|later| counted(later) && later.at.date() < date);
            (c.outcome == CallOutcome::AgreedToVisit && counted(c) && !rearranged).then_some(date)
        })
        .collect()
}

/// An encounter as the rules need it.
#[derive(Debug, Clone, PartialEq)]
pub struct EncounterEvent {
    /// Encounter id.
    pub id: String,
    /// Setting.
    pub class: EncounterClass,
    /// Calendar date of the start (admission) timestamp.
    pub start: NaiveDate,
    /// Calendar date of the end (discharge) timestamp.
    pub end: Option<NaiveDate>,
    /// Organization.
    pub organization_id: Option<String>,
    /// Planned admission.
    pub planned: bool,
    /// How a stay ended.
    pub disposition: Option<Disposition>,
    /// Principal (rank 1) ICD-10 diagnosis, when the source records it.
    pub principal_dx: Option<String>,
}

/// A measurement.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ObservationEvent {
    /// What was measured.
    pub kind: ObservationKind,
    /// When.
    pub date: NaiveDate,
    /// Value in the register's unit.
    pub value: f64,
    /// Taken at a network site (so it counts as a visit).
    pub at_site: bool,
}

/// A logged call that no correction superseded.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CallEvent {
    /// When (UTC as recorded).
    pub at: NaiveDateTime,
    /// Outcome.
    pub outcome: CallOutcome,
    /// Agreed visit or call-back date.
    pub next_date: Option<NaiveDate>,
}

/// Everything the worklist needs to know about one patient.
#[derive(Debug, Clone, PartialEq)]
pub struct PatientRecord {
    /// Register id.
    pub id: String,
    /// Status.
    pub status: PatientStatus,
    /// Programme enrolment date.
    pub enrolled_on: Option<NaiveDate>,
    /// Death date.
    pub death_date: Option<NaiveDate>,
    /// The date the patient moved away, when known.
    pub moved_on: Option<NaiveDate>,
    /// Encounters, any order.
    pub encounters: Vec<EncounterEvent>,
    /// Observations, any order.
    pub observations: Vec<ObservationEvent>,
    /// Scheduled appointment dates, any order.
    pub appointments: Vec<NaiveDate>,
    /// Calls in the order they were made.
    pub calls: Vec<CallEvent>,
    /// ICD-10 codes with their onset, for LACE's Charlson part and the high-risk mark.
    pub icd10: Vec<(String, NaiveDate)>,
    /// The programmes the patient is enrolled in (open enrolments), with their rules.
    pub programs: Vec<ProgramEnrolment>,
}

impl PatientRecord {
    /// An empty record.
    pub fn new(id: impl Into<String>, status: PatientStatus) -> PatientRecord {
        PatientRecord {
            id: id.into(),
            status,
            enrolled_on: None,
            death_date: None,
            moved_on: None,
            encounters: Vec::new(),
            observations: Vec::new(),
            appointments: Vec::new(),
            calls: Vec::new(),
            icd10: Vec::new(),
            programs: Vec::new(),
        }
    }

    /// The worklist facts as of `as_of`: events after it are ignored, except calls, which count
    /// up to `calls_until` (see `Clock::calls_until`). Ties on a date are broken so the result does
    /// not depend on the order events arrive in: a discharge beats an emergency visit on the same
    /// day, the higher HbA1c of one day counts, and a day's BP is its lowest systolic and diastolic.
    pub fn facts(&self, as_of: NaiveDate, calls_until: NaiveDate) -> PatientFacts {
        let mut f = PatientFacts::new(self.id.clone(), self.status);
        f.enrolled_on = self.enrolled_on.filter(|d| *d <= as_of);
        f.programs = self
            .programs
            .iter()
            .map(|p| ProgramEnrolment {
                enrolled_on: p.enrolled_on.filter(|d| *d <= as_of),
                ..p.clone()
            })
            .collect();
        f.prior_mi_or_stroke = self
            .icd10
            .iter()
            .any(|(code, onset)| *onset <= as_of && is_prior_mi_or_stroke(code));
        for e in &self.encounters {
            if e.start <= as_of {
                f.latest_visit = f.latest_visit.max(Some(e.start));
            }
            let acute = match e.class {
                EncounterClass::Inpatient => e.end.map(|d| AcuteEvent {
                    kind: AcuteKind::InpatientDischarge,
                    date: d,
                }),
                EncounterClass::Emergency => Some(AcuteEvent {
                    kind: AcuteKind::EmergencyVisit,
                    date: e.start,
                }),
                _ => None,
            };
            if let Some(a) = acute.filter(|a| a.date <= as_of) {
                let better = match f.latest_acute {
                    None => true,
                    Some(cur) => {
                        (a.date, a.kind == AcuteKind::InpatientDischarge)
                            > (cur.date, cur.kind == AcuteKind::InpatientDischarge)
                    }
                };
                if better {
                    f.latest_acute = Some(a);
                }
            }
        }
        let mut bp: Option<BpFact> = None;
        for o in self.observations.iter().filter(|o| o.date <= as_of) {
            if o.at_site {
                f.latest_visit = f.latest_visit.max(Some(o.date));
            }
            match o.kind {
                ObservationKind::Hba1c => {
                    let better = f
                        .latest_hba1c
                        .is_none_or(|h| (o.date, o.value) > (h.date, h.percent));
                    if better {
                        f.latest_hba1c = Some(Hba1cFact {
                            date: o.date,
                            percent: o.value,
                        });
                    }
                }
                ObservationKind::Glucose => {
                    let better = f
                        .latest_glucose
                        .is_none_or(|g| (o.date, o.value) > (g.date, g.mmol_per_l));
                    if better {
                        f.latest_glucose = Some(GlucoseFact {
                            date: o.date,
                            mmol_per_l: o.value,
                        });
                    }
                }
                ObservationKind::Systolic | ObservationKind::Diastolic => {
                    if bp.is_none_or(|b| o.date > b.date) {
                        bp = Some(BpFact {
                            date: o.date,
                            systolic: None,
                            diastolic: None,
                        });
                    }
                    if let Some(b) = bp.as_mut().filter(|b| b.date == o.date) {
                        let slot = if o.kind == ObservationKind::Systolic {
                            &mut b.systolic
                        } else {
                            &mut b.diastolic
                        };
                        *slot = Some(slot.map_or(o.value, |v: f64| v.min(o.value)));
                    }
                }
                ObservationKind::Creatinine => {
                    f.latest_creatinine = f.latest_creatinine.max(Some(o.date));
                }
                _ => {}
            }
        }
        f.latest_bp = bp;
        let diabetes = crate::domain::measures::quality_codes::Condition::Diabetes.bit();
        f.diabetes_since = self
            .icd10
            .iter()
            .filter(|(code, onset)| {
                *onset <= as_of
                    && crate::domain::measures::quality_codes::condition_mask(code) & diabetes != 0
            })
            .map(|(_, onset)| *onset)
            .min();
        f.latest_appointment = self
            .scheduled_visits(calls_until)
            .filter(|d| *d <= as_of)
            .max();
        for c in self.calls.iter().filter(|c| c.at.date() <= calls_until) {
            if c.outcome.is_contact() {
                f.latest_contact_at = f.latest_contact_at.max(Some(c.at));
            }
            f.consecutive_no_answers = if c.outcome == CallOutcome::NoAnswer {
                f.consecutive_no_answers + 1
            } else {
                0
            };
            if removes_from_list(c.outcome) {
                f.removed = Some(Removal {
                    on: c.at.date(),
                    reason: c.outcome,
                });
            }
            f.latest_call = Some(CallFact {
                at: c.at,
                outcome: c.outcome,
                next_date: c.next_date,
            });
        }
        f.readmission_window = self.readmission_window(as_of);
        f
    }

    /// The visits the patient is expected at, any order: the register's appointments and the
    /// dates agreed on calls made by `calls_until` — "agreed to visit" makes an appointment
    /// (issue #20), so the missed-visit rule counts it when it passes without a visit. An agreed
    /// date stops counting when a later call was made before it (that call rearranged the visit:
    /// another date, a call-back, a refusal); a corrected call is not in the record at all, so
    /// its date goes with it. An agreed call without a date makes none.
    pub fn scheduled_visits(&self, calls_until: NaiveDate) -> impl Iterator<Item = NaiveDate> + '_ {
        self.appointments
            .iter()
            .copied()
            .chain(agreed_visits(&self.calls, calls_until))
    }

    /// The open 30-day window after a discharge that has not been followed by a readmission yet,
    /// with its LACE; the highest LACE when there are several (the rules decide if it is high).
    pub fn readmission_window(&self, as_of: NaiveDate) -> Option<ReadmissionWindow> {
        self.open_windows(as_of)
            .into_iter()
            .filter(|w| !w.readmitted)
            .map(|w| ReadmissionWindow {
                discharge: w.discharged,
                lace: u32::from(w.lace.total),
            })
            .max_by_key(|w| (w.lace, w.discharge))
    }

    /// Every index discharge of the last 30 days (the open windows), with LACE at that discharge.
    pub fn open_windows(&self, as_of: NaiveDate) -> Vec<OpenWindowFact> {
        let stays = self.stays();
        if stays.is_empty() {
            return Vec::new();
        }
        let period = ReadmissionPeriod {
            from: as_of.checked_sub_days(Days::new(29)).unwrap_or(as_of),
            to: as_of,
            as_of,
        };
        let emergency: Vec<NaiveDate> = self
            .encounters
            .iter()
            .filter(|e| e.class == EncounterClass::Emergency)
            .map(|e| e.start)
            .collect();
        evaluate_patient(
            &PatientStays::new(&self.id, self.death_date, &stays).moved_on(self.moved_on),
            &period,
        )
        .into_iter()
        .filter(|o| o.open_window)
        .filter_map(|o| {
            let discharged = o.index.discharged?;
            let codes: Vec<&str> = self
                .icd10
                .iter()
                .filter(|(_, onset)| *onset <= discharged)
                .map(|(c, _)| c.as_str())
                .collect();
            let visits: Vec<NaiveDate> = emergency
                .iter()
                .copied()
                .filter(|d| *d <= o.index.admitted)
                .collect();
            Some(OpenWindowFact {
                discharged,
                days_left: o.days_left.unwrap_or(0),
                organization_id: o.index.organization_id.clone(),
                lace: lace(
                    o.index.admitted,
                    discharged,
                    o.index.planned,
                    &codes,
                    &visits,
                ),
                readmitted: o.readmission.is_some(),
            })
        })
        .collect()
    }

    /// The inpatient stays, as the readmission rule takes them.
    pub fn stays(&self) -> Vec<Stay> {
        self.encounters
            .iter()
            .filter(|e| e.class == EncounterClass::Inpatient)
            .map(|e| Stay {
                encounter_id: e.id.clone(),
                admitted: e.start,
                discharged: e.end,
                organization_id: e.organization_id.clone(),
                planned: e.planned,
                disposition: e.disposition,
                principal_dx: e.principal_dx.clone(),
            })
            .collect()
    }
}

/// An open readmission window of one patient.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenWindowFact {
    /// Index discharge date.
    pub discharged: NaiveDate,
    /// Days of the 30 left.
    pub days_left: i64,
    /// The discharging organization.
    pub organization_id: Option<String>,
    /// LACE at that discharge.
    pub lace: super::lace::LaceScore,
    /// Already readmitted.
    pub readmitted: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn enc(
        id: &str,
        class: EncounterClass,
        start: NaiveDate,
        end: Option<NaiveDate>,
    ) -> EncounterEvent {
        EncounterEvent {
            id: id.into(),
            class,
            start,
            end,
            organization_id: Some("H".into()),
            planned: false,
            disposition: None,
            principal_dx: None,
        }
    }

    #[test]
    fn facts_ignore_later_events_and_break_ties_the_same_way_in_any_order() {
        let mut r = PatientRecord::new("P1", PatientStatus::Active);
        r.encounters = vec![
            enc(
                "E1",
                EncounterClass::Emergency,
                d(2024, 5, 10),
                Some(d(2024, 5, 10)),
            ),
            enc(
                "E2",
                EncounterClass::Inpatient,
                d(2024, 5, 1),
                Some(d(2024, 5, 10)),
            ),
            enc(
                "E3",
                EncounterClass::Outpatient,
                d(2024, 7, 1),
                Some(d(2024, 7, 1)),
            ),
        ];
        r.observations = vec![
            ObservationEvent {
                kind: ObservationKind::Hba1c,
                date: d(2024, 4, 1),
                value: 8.0,
                at_site: true,
            },
            ObservationEvent {
                kind: ObservationKind::Hba1c,
                date: d(2024, 4, 1),
                value: 9.5,
                at_site: true,
            },
            ObservationEvent {
                kind: ObservationKind::Systolic,
                date: d(2024, 4, 1),
                value: 150.0,
                at_site: true,
            },
            ObservationEvent {
                kind: ObservationKind::Systolic,
                date: d(2024, 4, 1),
                value: 140.0,
                at_site: true,
            },
            ObservationEvent {
                kind: ObservationKind::Diastolic,
                date: d(2024, 4, 1),
                value: 95.0,
                at_site: true,
            },
        ];
        let as_of = d(2024, 6, 1);
        let f = r.facts(as_of, as_of);
        assert_eq!(
            f.latest_acute,
            Some(AcuteEvent {
                kind: AcuteKind::InpatientDischarge,
                date: d(2024, 5, 10)
            })
        );
        assert_eq!(
            f.latest_visit,
            Some(d(2024, 5, 10)),
            "the July visit is after as-of"
        );
        assert_eq!(f.latest_hba1c.unwrap().percent, 9.5);
        assert_eq!(
            f.latest_bp,
            Some(BpFact {
                date: d(2024, 4, 1),
                systolic: Some(140.0),
                diastolic: Some(95.0)
            })
        );
        let mut reversed = r.clone();
        reversed.encounters.reverse();
        reversed.observations.reverse();
        assert_eq!(reversed.facts(as_of, as_of), f);
    }

    #[test]
    fn calls_count_up_to_calls_until() {
        let mut r = PatientRecord::new("P1", PatientStatus::Active);
        let at = |day: u32| d(2024, 6, day).and_hms_opt(10, 0, 0).unwrap();
        r.calls = vec![
            CallEvent {
                at: at(1),
                outcome: CallOutcome::NoAnswer,
                next_date: None,
            },
            CallEvent {
                at: at(2),
                outcome: CallOutcome::NoAnswer,
                next_date: None,
            },
            CallEvent {
                at: at(5),
                outcome: CallOutcome::Refused,
                next_date: None,
            },
        ];
        let f = r.facts(d(2024, 6, 3), d(2024, 6, 3));
        assert_eq!(f.consecutive_no_answers, 2);
        assert!(f.removed.is_none());
        let f = r.facts(d(2024, 6, 3), NaiveDate::MAX);
        assert_eq!(f.consecutive_no_answers, 0);
        assert_eq!(f.removed.unwrap().reason, CallOutcome::Refused);
        assert_eq!(f.latest_contact_at, Some(at(5)));
    }

    #[test]
    fn a_high_lace_open_window_not_yet_readmitted() {
        let mut r = PatientRecord::new("P1", PatientStatus::Active);
        r.encounters = vec![
            enc("ED", EncounterClass::Emergency, d(2024, 5, 1), None),
            enc(
                "S1",
                EncounterClass::Inpatient,
                d(2024, 5, 1),
                Some(d(2024, 5, 15)),
            ),
        ];
        r.icd10 = vec![
            ("I50.9".into(), d(2020, 1, 1)),
            ("E11.2".into(), d(2020, 1, 1)),
        ];
        // L 7 (14 days) + A 3 + C 3 (CHF 1 + diabetes with complications 2) + E 0 = 13.
        let w = r.readmission_window(d(2024, 5, 20)).unwrap();
        assert_eq!(
            w,
            ReadmissionWindow {
                discharge: d(2024, 5, 15),
                lace: 13
            }
        );
        assert!(
            r.readmission_window(d(2024, 6, 20)).is_none(),
            "the window closed"
        );
        r.encounters.push(enc(
            "S2",
            EncounterClass::Inpatient,
            d(2024, 5, 18),
            Some(d(2024, 5, 19)),
        ));
        assert!(
            r.readmission_window(d(2024, 5, 20)).map(|w| w.discharge) != Some(d(2024, 5, 15)),
            "readmitted already"
        );
    }
}
