//! One pass over the register for the Progress figures: every enrolled patient's dated facts are
//! loaded once, then the indicators of any period (the twelve month ends of the trends) and the
//! worklist of any earlier day (the cascade's "overdue on the 1st") are derived in memory.
//!
//! The derivations mirror the SQL they replace: [`History::indicator_facts`] gives what the
//! indicators' query gave for a period end, [`History::worklist_facts`] what
//! `views::facts::load_facts` gives for an as-of date (tests/progress.rs checks both against the
//! register's own answers).

use crate::domain::dates::date_of_timestamp;
use crate::domain::indicators::IndicatorFacts;
use crate::domain::readmission::Stay;
use crate::domain::types::{CallOutcome, Disposition, PatientStatus};
use crate::domain::worklist::{
    AcuteEvent, AcuteKind, BpFact, CallFact, Hba1cFact, PatientFacts, Removal, removes_from_list,
};
use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::Connection;
use rusqlite::types::ValueRef;
use std::collections::{HashMap, HashSet};

/// One day's blood pressure: the lowest systolic and the lowest diastolic of the day.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct BpDay {
    pub date: NaiveDate,
    pub systolic: Option<f64>,
    pub diastolic: Option<f64>,
}

/// One standing call (a corrected call is replaced by its correction).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CallRecord {
    pub at: NaiveDateTime,
    pub outcome: CallOutcome,
    pub next_date: Option<NaiveDate>,
    id: String,
}

/// Everything the Progress figures use about one enrolled patient, every list sorted by date.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PatientHistory {
    pub id: String,
    pub status: PatientStatus,
    pub birth_date: Option<NaiveDate>,
    pub enrolled_on: Option<NaiveDate>,
    pub death_date: Option<NaiveDate>,
    pub moved_on: Option<NaiveDate>,
    /// Assigned site id ("" when none).
    pub site_id: String,
    /// Assigned nurse id ("" when none).
    pub nurse_id: String,
    /// A phone number on record.
    pub has_phone: bool,
    pub hba1c: Vec<(NaiveDate, f64)>,
    pub bp: Vec<BpDay>,
    /// Visit days: encounters of any class and measurements taken at a network site.
    pub visits: Vec<NaiveDate>,
    /// Inpatient discharges and emergency visits.
    pub acute: Vec<AcuteEvent>,
    pub appointments: Vec<NaiveDate>,
    pub calls: Vec<CallRecord>,
    /// Inpatient stays (in no particular order).
    pub stays: Vec<Stay>,
}

/// Every enrolled patient's history, with the names of sites and nurses.
#[derive(Debug, Clone, Default)]
pub(crate) struct History {
    pub patients: Vec<PatientHistory>,
    pub site_names: HashMap<String, String>,
    pub nurse_names: HashMap<String, String>,
}

fn date(v: ValueRef<'_>) -> Option<NaiveDate> {
    v.as_str().ok().and_then(date_of_timestamp)
}

/// The last element with a date on or before `end` in a date-sorted slice.
fn last_until<T>(items: &[T], end: NaiveDate, date_of: impl Fn(&T) -> NaiveDate) -> Option<&T> {
    let n = items.partition_point(|x| date_of(x) <= end);
    n.checked_sub(1).and_then(|i| items.get(i))
}

impl History {
    /// Loads every patient with an open enrolment. `worklist` also loads what the worklist rules
    /// need (acute events, appointments, calls and stays); the indicators alone do not.
    pub fn load(conn: &Connection, worklist: bool) -> rusqlite::Result<History> {
        let mut h = History::default();
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut stmt = conn.prepare_cached(
            "SELECT p.id, p.status, p.birth_date, min(e.enrolled_on), p.death_date, p.moved_on,
                    coalesce(p.site_id, ''), coalesce(p.nurse_id, ''),
                    coalesce(p.phone, '') <> '' OR coalesce(p.phone2, '') <> ''
             FROM patients p JOIN enrolments e ON e.patient_id = p.id AND e.ended_on IS NULL
             GROUP BY p.id ORDER BY p.id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: String = r.get(0)?;
            index.insert(id.clone(), h.patients.len());
            h.patients.push(PatientHistory {
                id,
                status: PatientStatus::from_code(&r.get::<_, String>(1)?)
                    .unwrap_or(PatientStatus::Active),
                birth_date: date(r.get_ref(2)?),
                enrolled_on: date(r.get_ref(3)?),
                death_date: date(r.get_ref(4)?),
                moved_on: date(r.get_ref(5)?),
                site_id: r.get(6)?,
                nurse_id: r.get(7)?,
                has_phone: r.get(8)?,
                hba1c: Vec::new(),
                bp: Vec::new(),
                visits: Vec::new(),
                acute: Vec::new(),
                appointments: Vec::new(),
                calls: Vec::new(),
                stays: Vec::new(),
            });
        }
        for (sql, names) in [
            ("SELECT id, name FROM organizations", &mut h.site_names),
            ("SELECT id, name FROM staff", &mut h.nurse_names),
        ] {
            let mut stmt = conn.prepare_cached(sql)?;
            for row in stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))? {
                let (id, name) = row?;
                names.insert(id, name);
            }
        }
        let mut bp_raw: Vec<Vec<(NaiveDate, bool, f64)>> = vec![Vec::new(); h.patients.len()];
        let mut stmt = conn.prepare_cached(
            "SELECT patient_id, kind, date, value, site_id IS NOT NULL FROM observations
             WHERE kind IN ('hba1c', 'systolic', 'diastolic') OR site_id IS NOT NULL",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let Some(&i) = index.get(r.get_ref(0)?.as_str()?) else {
                continue;
            };
            let Some(day) = date(r.get_ref(2)?) else {
                continue;
            };
            let p = &mut h.patients[i];
            let value: f64 = r.get(3)?;
            match r.get_ref(1)?.as_str()? {
                "hba1c" => p.hba1c.push((day, value)),
                "systolic" => bp_raw[i].push((day, true, value)),
                "diastolic" => bp_raw[i].push((day, false, value)),
                _ => {}
            }
            if r.get::<_, bool>(4)? {
                p.visits.push(day);
            }
        }
        let mut stmt = conn.prepare_cached(
            "SELECT patient_id, class, start_at, end_at, id, organization_id, planned, disposition
             FROM encounters",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let Some(&i) = index.get(r.get_ref(0)?.as_str()?) else {
                continue;
            };
            let Some(start) = date(r.get_ref(2)?) else {
                continue;
            };
            let p = &mut h.patients[i];
            p.visits.push(start);
            if !worklist {
                continue;
            }
            let end = date(r.get_ref(3)?);
            match r.get_ref(1)?.as_str()? {
                "emergency" => p.acute.push(AcuteEvent {
                    kind: AcuteKind::EmergencyVisit,
                    date: start,
                }),
                "inpatient" => {
                    if let Some(end) = end {
                        p.acute.push(AcuteEvent {
                            kind: AcuteKind::InpatientDischarge,
                            date: end,
                        });
                    }
                    let disposition: Option<String> = r.get(7)?;
                    // Any order: the readmission rule sorts a patient's stays itself.
                    p.stays.push(Stay {
                        encounter_id: r.get(4)?,
                        admitted: start,
                        discharged: end,
                        organization_id: r.get(5)?,
                        planned: r.get(6)?,
                        disposition: disposition.as_deref().and_then(Disposition::from_code),
                    });
                }
                _ => {}
            }
        }
        if worklist {
            h.load_worklist_extras(conn, &index)?;
        }
        for (p, raw) in h.patients.iter_mut().zip(bp_raw) {
            p.hba1c.sort_by_key(|(d, _)| *d);
            p.visits.sort_unstable();
            p.visits.dedup();
            p.acute.sort_by_key(|a| a.date);
            p.appointments.sort_unstable();
            p.bp = bp_days(raw);
        }
        Ok(h)
    }

    fn load_worklist_extras(
        &mut self,
        conn: &Connection,
        index: &HashMap<String, usize>,
    ) -> rusqlite::Result<()> {
        let mut stmt = conn.prepare_cached("SELECT patient_id, date FROM appointments")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            if let (Some(&i), Some(d)) = (index.get(r.get_ref(0)?.as_str()?), date(r.get_ref(1)?)) {
                self.patients[i].appointments.push(d);
            }
        }
        let mut stmt = conn.prepare_cached(
            "SELECT id, patient_id, called_at, outcome, next_date, supersedes FROM calls",
        )?;
        let mut rows = stmt.query([])?;
        let mut superseded: HashSet<String> = HashSet::new();
        let mut calls: Vec<(usize, CallRecord)> = Vec::new();
        while let Some(r) = rows.next()? {
            if let Some(s) = r.get::<_, Option<String>>(5)? {
                superseded.insert(s);
            }
            let Some(&i) = index.get(r.get_ref(1)?.as_str()?) else {
                continue;
            };
            let Some(outcome) = CallOutcome::from_code(r.get_ref(3)?.as_str()?) else {
                continue;
            };
            let Ok(at) =
                NaiveDateTime::parse_from_str(r.get_ref(2)?.as_str()?, "%Y-%m-%dT%H:%M:%S")
            else {
                continue;
            };
            calls.push((
                i,
                CallRecord {
                    at,
                    outcome,
                    next_date: date(r.get_ref(4)?),
                    id: r.get(0)?,
                },
            ));
        }
        for (i, c) in calls {
            if !superseded.contains(&c.id) {
                self.patients[i].calls.push(c);
            }
        }
        for p in &mut self.patients {
            p.calls.sort_by(|a, b| (a.at, &a.id).cmp(&(b.at, &b.id)));
        }
        Ok(())
    }

    /// The indicators' facts of one patient for a period ending on `end`.
    pub fn indicator_facts(p: &PatientHistory, end: NaiveDate) -> IndicatorFacts {
        let bp = last_until(&p.bp, end, |b| b.date).and_then(|b| match (b.systolic, b.diastolic) {
            (Some(s), Some(d)) => Some((b.date, s, d)),
            _ => None,
        });
        IndicatorFacts {
            status: p.status,
            birth_date: p.birth_date,
            enrolled_on: p.enrolled_on,
            death_date: p.death_date,
            moved_on: p.moved_on,
            latest_hba1c: last_until(&p.hba1c, end, |h| h.0).copied(),
            latest_bp: bp,
            last_visit: last_until(&p.visits, end, |d| *d).copied(),
        }
    }

    /// The worklist rules' facts of one patient as of `as_of`, counting calls up to
    /// `calls_until`, as `views::facts::load_facts` builds them (without the readmission window,
    /// which the caller adds). `None` for patients who are not active.
    pub fn worklist_facts(
        p: &PatientHistory,
        as_of: NaiveDate,
        calls_until: NaiveDate,
    ) -> Option<PatientFacts> {
        if p.status != PatientStatus::Active {
            return None;
        }
        let mut f = PatientFacts::new(p.id.clone(), p.status);
        f.enrolled_on = p.enrolled_on.filter(|d| *d <= as_of);
        f.latest_acute = last_until(&p.acute, as_of, |a| a.date).copied();
        f.latest_visit = last_until(&p.visits, as_of, |d| *d).copied();
        f.latest_appointment = last_until(&p.appointments, as_of, |d| *d).copied();
        f.latest_hba1c = last_until(&p.hba1c, as_of, |h| h.0).map(|(date, v)| Hba1cFact {
            date: *date,
            percent: *v,
        });
        f.latest_bp = last_until(&p.bp, as_of, |b| b.date).map(|b| BpFact {
            date: b.date,
            systolic: b.systolic,
            diastolic: b.diastolic,
        });
        for c in p.calls.iter().take_while(|c| c.at.date() <= calls_until) {
            if c.outcome.is_contact() {
                f.latest_contact_at = Some(c.at);
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
        Some(f)
    }

    /// The display name of a site id ("" when unknown or unassigned).
    pub fn site_name(&self, id: &str) -> String {
        self.site_names.get(id).cloned().unwrap_or_default()
    }

    /// The display name of a nurse id ("" when unknown or unassigned).
    pub fn nurse_name(&self, id: &str) -> String {
        self.nurse_names.get(id).cloned().unwrap_or_default()
    }
}

/// Folds raw readings into days: the lowest systolic and the lowest diastolic of each day.
fn bp_days(mut raw: Vec<(NaiveDate, bool, f64)>) -> Vec<BpDay> {
    raw.sort_by_key(|(d, _, _)| *d);
    let mut days: Vec<BpDay> = Vec::new();
    for (d, systolic, v) in raw {
        if days.last().is_none_or(|b| b.date != d) {
            days.push(BpDay {
                date: d,
                systolic: None,
                diastolic: None,
            });
        }
        if let Some(day) = days.last_mut() {
            let slot = if systolic {
                &mut day.systolic
            } else {
                &mut day.diastolic
            };
            *slot = Some(slot.map_or(v, |old| old.min(v)));
        }
    }
    days
}
