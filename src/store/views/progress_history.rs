//! One pass over the register for the Progress figures: every enrolled patient's events are loaded
//! once, then the indicators of any period (the twelve month ends of the trends) and the worklist
//! of any earlier day (the cascade's "overdue on the 1st") are derived in memory.
//!
//! Each patient's events are a `domain::patient_record::PatientRecord`, so the worklist verdicts
//! come from the one derivation of the rules' facts the Worklist tab uses
//! (`PatientRecord::facts`); [`History::indicator_facts`] gives what the indicators need for a
//! period end.

use crate::domain::dates::date_of_timestamp;
use crate::domain::indicators::IndicatorFacts;
use crate::domain::patient_record::{CallEvent, EncounterEvent, ObservationEvent, PatientRecord};
use crate::domain::readmission::Stay;
use crate::domain::types::{
    CallOutcome, Disposition, EncounterClass, ObservationKind, PatientStatus,
};
use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::Connection;
use rusqlite::types::ValueRef;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// A day column as days since 1970-01-01, computed by SQLite (the small tables; the big ones are
/// read as text by [`ymd`]): chrono's parser was most of the load's time in debug builds.
macro_rules! day {
    ($column:literal) => {
        concat!("unixepoch(substr(", $column, ", 1, 10)) / 86400")
    };
}

/// FNV-1a: the patient-id lookups of the load (tens of thousands of short keys).
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h = (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type Index = HashMap<String, usize, BuildHasherDefault<Fnv>>;

/// Patient-id lookups that remember the last id: rows usually come grouped by patient.
struct Lookup<'a> {
    index: &'a Index,
    key: String,
    found: Option<usize>,
}

impl<'a> Lookup<'a> {
    fn new(index: &'a Index) -> Self {
        Lookup {
            index,
            key: String::new(),
            found: None,
        }
    }

    fn find(&mut self, key: &str) -> Option<usize> {
        if key != self.key {
            self.key.clear();
            self.key.push_str(key);
            self.found = self.index.get(key).copied();
        }
        self.found
    }
}

/// One day's blood pressure: the lowest systolic and the lowest diastolic of the day.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct BpDay {
    pub date: NaiveDate,
    pub systolic: Option<f64>,
    pub diastolic: Option<f64>,
}

/// Everything the Progress figures use about one enrolled patient.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PatientHistory {
    /// The events, as the worklist rules take them (id, status, enrolment and death too).
    pub record: PatientRecord,
    pub birth_date: Option<NaiveDate>,
    pub moved_on: Option<NaiveDate>,
    /// Assigned site id ("" when none).
    pub site_id: String,
    /// Assigned nurse id ("" when none).
    pub nurse_id: String,
    /// A phone number on record (as the worklist's "with a phone" filter has it).
    pub has_phone: bool,
    /// HbA1c results by (date, value): the last of a day is its highest.
    pub hba1c: Vec<(NaiveDate, f64)>,
    /// Blood pressure by day, in date order.
    pub bp: Vec<BpDay>,
    /// Visit days in order: encounters of any class and measurements at a network site.
    pub visits: Vec<NaiveDate>,
    /// Inpatient stays, as the readmission rule takes them.
    pub stays: Vec<Stay>,
}

/// Every enrolled patient's history, with the names of sites and nurses.
#[derive(Debug, Clone, Default)]
pub(crate) struct History {
    pub patients: Vec<PatientHistory>,
    pub site_names: HashMap<String, String>,
    pub nurse_names: HashMap<String, String>,
}

/// 1970-01-01 in days from the Common Era.
const EPOCH_DAYS_FROM_CE: i64 = 719_163;

/// A day from a `day!` column, or from a text column starting with YYYY-MM-DD.
fn date(v: ValueRef<'_>) -> Option<NaiveDate> {
    match v {
        ValueRef::Integer(days) => i32::try_from(days + EPOCH_DAYS_FROM_CE)
            .ok()
            .and_then(NaiveDate::from_num_days_from_ce_opt),
        ValueRef::Text(t) => {
            ymd(t).or_else(|| std::str::from_utf8(t).ok().and_then(date_of_timestamp))
        }
        _ => None,
    }
}

/// The date at the start of `YYYY-MM-DD…`, read digit by digit (the common case, cheaply).
fn ymd(t: &[u8]) -> Option<NaiveDate> {
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        t.get(range)?.iter().try_fold(0u32, |n, b| {
            b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
        })
    };
    if t.get(4) != Some(&b'-') || t.get(7) != Some(&b'-') {
        return None;
    }
    let year = i32::try_from(digits(0..4)?).ok()?;
    NaiveDate::from_ymd_opt(year, digits(5..7)?, digits(8..10)?)
}

/// The stored kind codes, matched without `from_code`'s case folding (one allocation a row).
fn observation_kind(code: &str) -> Option<ObservationKind> {
    match code {
        "hba1c" => Some(ObservationKind::Hba1c),
        "systolic" => Some(ObservationKind::Systolic),
        "diastolic" => Some(ObservationKind::Diastolic),
        other => ObservationKind::from_code(other),
    }
}

/// The stored class codes, as [`observation_kind`].
fn encounter_class(code: &str) -> Option<EncounterClass> {
    match code {
        "outpatient" => Some(EncounterClass::Outpatient),
        "inpatient" => Some(EncounterClass::Inpatient),
        "emergency" => Some(EncounterClass::Emergency),
        other => EncounterClass::from_code(other),
    }
}

/// The last element with a date on or before `end` in a date-sorted slice.
fn last_until<T>(items: &[T], end: NaiveDate, date_of: impl Fn(&T) -> NaiveDate) -> Option<&T> {
    let n = items.partition_point(|x| date_of(x) <= end);
    n.checked_sub(1).and_then(|i| items.get(i))
}

impl History {
    /// Loads every patient with an open enrolment (whatever their status). `worklist` also loads
    /// what only the worklist rules need (appointments, calls, diagnoses for LACE).
    pub fn load(conn: &Connection, worklist: bool) -> rusqlite::Result<History> {
        let mut h = History::default();
        let mut index = Index::default();
        let mut stmt = conn.prepare_cached(concat!(
            "SELECT p.id, p.status, ",
            day!("p.birth_date"),
            ", ",
            day!("min(e.enrolled_on)"),
            ", ",
            day!("p.death_date"),
            ", ",
            day!("p.moved_on"),
            ", coalesce(p.site_id, ''), coalesce(p.nurse_id, ''),
                    p.phone IS NOT NULL OR p.phone2 IS NOT NULL
             FROM patients p JOIN enrolments e ON e.patient_id = p.id AND e.ended_on IS NULL
             GROUP BY p.id ORDER BY p.id"
        ))?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: String = r.get(0)?;
            index.insert(id.clone(), h.patients.len());
            let status =
                PatientStatus::from_code(r.get_ref(1)?.as_str()?).unwrap_or(PatientStatus::Active);
            let mut record = PatientRecord::new(id, status);
            record.enrolled_on = date(r.get_ref(3)?);
            record.death_date = date(r.get_ref(4)?);
            h.patients.push(PatientHistory {
                record,
                birth_date: date(r.get_ref(2)?),
                moved_on: date(r.get_ref(5)?),
                site_id: r.get(6)?,
                nurse_id: r.get(7)?,
                has_phone: r.get(8)?,
                hba1c: Vec::new(),
                bp: Vec::new(),
                visits: Vec::new(),
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
        h.load_observations(conn, &index)?;
        h.load_encounters(conn, &index)?;
        if worklist {
            h.load_worklist_extras(conn, &index)?;
        }
        for p in &mut h.patients {
            p.derive();
        }
        Ok(h)
    }

    fn load_observations(&mut self, conn: &Connection, index: &Index) -> rusqlite::Result<()> {
        // Other measurements matter only as visits.
        let mut stmt = conn.prepare_cached(
            "SELECT patient_id, kind, date, value, site_id IS NOT NULL FROM observations
             WHERE kind IN ('hba1c', 'systolic', 'diastolic') OR site_id IS NOT NULL",
        )?;
        let mut lookup = Lookup::new(index);
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let Some(i) = lookup.find(r.get_ref(0)?.as_str()?) else {
                continue;
            };
            let (Some(kind), Some(date)) = (
                observation_kind(r.get_ref(1)?.as_str()?),
                date(r.get_ref(2)?),
            ) else {
                continue;
            };
            self.patients[i].record.observations.push(ObservationEvent {
                kind,
                date,
                value: r.get(3)?,
                at_site: r.get(4)?,
            });
        }
        Ok(())
    }

    fn load_encounters(&mut self, conn: &Connection, index: &Index) -> rusqlite::Result<()> {
        let mut stmt = conn.prepare_cached(
            "SELECT patient_id, class, start_at, end_at, id, organization_id, planned, disposition
             FROM encounters",
        )?;
        let mut lookup = Lookup::new(index);
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let Some(i) = lookup.find(r.get_ref(0)?.as_str()?) else {
                continue;
            };
            let (Some(class), Some(start)) = (
                encounter_class(r.get_ref(1)?.as_str()?),
                date(r.get_ref(2)?),
            ) else {
                continue;
            };
            // Only stays need their id, organization and disposition (the readmission rule).
            let stay = class == EncounterClass::Inpatient;
            let disposition: Option<String> = if stay { r.get(7)? } else { None };
            self.patients[i].record.encounters.push(EncounterEvent {
                id: if stay { r.get(4)? } else { String::new() },
                class,
                start,
                end: date(r.get_ref(3)?),
                organization_id: if stay { r.get(5)? } else { None },
                planned: r.get(6)?,
                disposition: disposition.as_deref().and_then(Disposition::from_code),
            });
        }
        Ok(())
    }

    fn load_worklist_extras(&mut self, conn: &Connection, index: &Index) -> rusqlite::Result<()> {
        let mut stmt = conn.prepare_cached(concat!(
            "SELECT patient_id, ",
            day!("date"),
            " FROM appointments"
        ))?;
        let mut lookup = Lookup::new(index);
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            if let (Some(i), Some(d)) = (lookup.find(r.get_ref(0)?.as_str()?), date(r.get_ref(1)?))
            {
                self.patients[i].record.appointments.push(d);
            }
        }
        // LACE's Charlson part, for the patients with a stay.
        let mut stmt = conn.prepare_cached(concat!(
            "SELECT patient_id, code, ",
            day!("onset_date"),
            " FROM diagnoses WHERE system = 'icd10'"
        ))?;
        let mut lookup = Lookup::new(index);
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let Some(i) = lookup.find(r.get_ref(0)?.as_str()?) else {
                continue;
            };
            let record = &mut self.patients[i].record;
            if !record
                .encounters
                .iter()
                .any(|e| e.class == EncounterClass::Inpatient)
            {
                continue;
            }
            if let Some(onset) = date(r.get_ref(2)?) {
                record.icd10.push((r.get(1)?, onset));
            }
        }
        // The standing calls (a correction replaces the call it supersedes), in the order made.
        let mut stmt = conn.prepare_cached(concat!(
            "SELECT id, patient_id, called_at, outcome, ",
            day!("next_date"),
            ", supersedes FROM calls"
        ))?;
        let mut lookup = Lookup::new(index);
        let mut rows = stmt.query([])?;
        let mut superseded: HashSet<String> = HashSet::new();
        let mut calls: Vec<(usize, NaiveDateTime, String, CallEvent)> = Vec::new();
        while let Some(r) = rows.next()? {
            if let Some(s) = r.get::<_, Option<String>>(5)? {
                superseded.insert(s);
            }
            let Some(i) = lookup.find(r.get_ref(1)?.as_str()?) else {
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
            let next_date = date(r.get_ref(4)?);
            calls.push((
                i,
                at,
                r.get(0)?,
                CallEvent {
                    at,
                    outcome,
                    next_date,
                },
            ));
        }
        calls.retain(|(_, _, id, _)| !superseded.contains(id));
        calls.sort_by(|a, b| (a.0, a.1, &a.2).cmp(&(b.0, b.1, &b.2)));
        for (i, _, _, call) in calls {
            self.patients[i].record.calls.push(call);
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
            status: p.record.status,
            birth_date: p.birth_date,
            enrolled_on: p.record.enrolled_on,
            death_date: p.record.death_date,
            moved_on: p.moved_on,
            latest_hba1c: last_until(&p.hba1c, end, |h| h.0).copied(),
            latest_bp: bp,
            last_visit: last_until(&p.visits, end, |d| *d).copied(),
        }
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

impl PatientHistory {
    /// Sorts the record's events into the date-ordered lists the indicators read.
    fn derive(&mut self) {
        let r = &self.record;
        let mut bp_raw: Vec<(NaiveDate, bool, f64)> = Vec::new();
        for o in &r.observations {
            match o.kind {
                ObservationKind::Hba1c => self.hba1c.push((o.date, o.value)),
                ObservationKind::Systolic => bp_raw.push((o.date, true, o.value)),
                ObservationKind::Diastolic => bp_raw.push((o.date, false, o.value)),
                _ => {}
            }
            if o.at_site {
                self.visits.push(o.date);
            }
        }
        self.visits.extend(r.encounters.iter().map(|e| e.start));
        // Stable sorts: the rows mostly come in date order, in a few sorted runs.
        self.hba1c
            .sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
        self.visits.sort();
        self.visits.dedup();
        self.bp = bp_days(bp_raw);
        self.stays = r.stays();
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
