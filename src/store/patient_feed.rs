//! Reading [`PatientRecord`]s from the register: every enrolled patient by a streaming merge of the
//! event tables (memory stays flat whatever the register's size), or one patient by its indexes.
//! Both feed the same pure derivations in `domain::patient_record` (the worklist) and
//! `domain::progress_facts` (the Progress figures).

use crate::domain::dates::date_of_timestamp;
use crate::domain::patient_record::{CallEvent, EncounterEvent, ObservationEvent, PatientRecord};
use crate::domain::progress_facts::PatientDetails;
use crate::domain::types::{
    CallOutcome, Disposition, EncounterClass, ObservationKind, PatientStatus,
};
use crate::domain::worklist::ProgramEnrolment;
use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Connection, Row, params};

/// Which patients to read.
#[derive(Debug, Clone, Copy)]
pub enum Scope<'a> {
    /// Every active patient enrolled in a programme, in id order (the worklist's population).
    All,
    /// One patient (when active and enrolled).
    Patient(&'a str),
    /// Every patient enrolled in a programme whatever their status — the dead and the moved too —
    /// in id order (the Progress figures' population).
    Enrolled,
    /// One patient (when enrolled, whatever their status).
    EnrolledPatient(&'a str),
}

impl Scope<'_> {
    fn one(&self) -> Option<&str> {
        match self {
            Scope::Patient(id) | Scope::EnrolledPatient(id) => Some(id),
            Scope::All | Scope::Enrolled => None,
        }
    }
}

/// The queries of one event table: all rows in patient order, or one patient's rows.
struct Feed {
    all: &'static str,
    one: &'static str,
}

/// The patient rows: id, status, the earliest open enrolment, death, then the details.
macro_rules! headers {
    ($where:literal) => {
        concat!(
            "SELECT p.id, p.status, min(e.enrolled_on), p.death_date, p.birth_date, p.moved_on,
                    coalesce(p.site_id, ''), coalesce(p.nurse_id, ''),
                    p.phone IS NOT NULL OR p.phone2 IS NOT NULL, p.palliative_since,
                    group_concat(e.program_id || '=' || e.enrolled_on, ';')
             FROM patients p JOIN enrolments e ON e.patient_id = p.id AND e.ended_on IS NULL ",
            $where,
            " GROUP BY p.id ORDER BY p.id"
        )
    };
}

const HEADERS: Feed = Feed {
    all: headers!("WHERE p.status = 'active'"),
    one: headers!("WHERE p.status = 'active' AND p.id = ?1"),
};
const ENROLLED_HEADERS: Feed = Feed {
    all: headers!(""),
    one: headers!("WHERE p.id = ?1"),
};
const ENCOUNTERS: Feed = Feed {
    all: "SELECT patient_id, id, class, start_at, end_at, organization_id, planned, disposition,
                 principal_dx
          FROM encounters ORDER BY patient_id",
    one: "SELECT patient_id, id, class, start_at, end_at, organization_id, planned, disposition,
                 principal_dx
          FROM encounters WHERE patient_id = ?1",
};
const OBSERVATIONS: Feed = Feed {
    all: "SELECT patient_id, kind, date, value, site_id IS NOT NULL FROM observations ORDER BY patient_id",
    one: "SELECT patient_id, kind, date, value, site_id IS NOT NULL FROM observations WHERE patient_id = ?1",
};
const APPOINTMENTS: Feed = Feed {
    all: "SELECT patient_id, date FROM appointments ORDER BY patient_id",
    one: "SELECT patient_id, date FROM appointments WHERE patient_id = ?1",
};
const CALLS: Feed = Feed {
    all: "SELECT c.patient_id, c.called_at, c.outcome, c.next_date FROM calls c
          WHERE NOT EXISTS (SELECT 1 FROM calls later WHERE later.supersedes = c.id)
          ORDER BY c.patient_id, c.called_at, c.id",
    one: "SELECT c.patient_id, c.called_at, c.outcome, c.next_date FROM calls c
          WHERE c.patient_id = ?1 AND NOT EXISTS (SELECT 1 FROM calls later WHERE later.supersedes = c.id)
          ORDER BY c.called_at, c.id",
};
const DIAGNOSES: Feed = Feed {
    all: "SELECT patient_id, code, onset_date FROM diagnoses WHERE system = 'icd10' ORDER BY patient_id",
    one: "SELECT patient_id, code, onset_date FROM diagnoses WHERE system = 'icd10' AND patient_id = ?1",
};

fn date(text: Option<String>) -> Option<NaiveDate> {
    text.as_deref()
        .and_then(|t| ymd(t.as_bytes()).or_else(|| date_of_timestamp(t)))
}

/// The date at the start of `YYYY-MM-DD…`, read digit by digit: the common case, without chrono's
/// format parser (most of a full pass's time went there). Anything else is left to
/// `date_of_timestamp`, which gives the same date for these.
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

fn encounter(r: &Row<'_>) -> rusqlite::Result<Option<EncounterEvent>> {
    let Some(start) = date(r.get(3)?) else {
        return Ok(None);
    };
    Ok(
        EncounterClass::from_code(&r.get::<_, String>(2)?).map(|class| EncounterEvent {
            id: r.get(1).unwrap_or_default(),
            class,
            start,
            end: date(r.get(4).unwrap_or_default()),
            organization_id: r.get(5).unwrap_or_default(),
            planned: r.get(6).unwrap_or_default(),
            disposition: r
                .get::<_, Option<String>>(7)
                .ok()
                .flatten()
                .as_deref()
                .and_then(Disposition::from_code),
            principal_dx: r.get(8).unwrap_or_default(),
        }),
    )
}

fn observation(r: &Row<'_>) -> rusqlite::Result<Option<ObservationEvent>> {
    let kind = ObservationKind::from_code(&r.get::<_, String>(1)?);
    Ok(match (kind, date(r.get(2)?)) {
        (Some(kind), Some(date)) => Some(ObservationEvent {
            kind,
            date,
            value: r.get(3)?,
            at_site: r.get(4)?,
        }),
        _ => None,
    })
}

fn call(r: &Row<'_>) -> rusqlite::Result<Option<CallEvent>> {
    let at = NaiveDateTime::parse_from_str(&r.get::<_, String>(1)?, "%Y-%m-%dT%H:%M:%S").ok();
    let outcome = CallOutcome::from_code(&r.get::<_, String>(2)?);
    Ok(match (at, outcome) {
        (Some(at), Some(outcome)) => Some(CallEvent {
            at,
            outcome,
            next_date: date(r.get(3)?),
        }),
        _ => None,
    })
}

fn appointment(r: &Row<'_>) -> rusqlite::Result<Option<NaiveDate>> {
    Ok(date(r.get(1)?))
}

fn diagnosis(r: &Row<'_>) -> rusqlite::Result<Option<(String, NaiveDate)>> {
    Ok(date(r.get(2)?).map(|d| (r.get::<_, String>(1).unwrap_or_default(), d)))
}

/// One table's rows in patient order, with one row of look-ahead.
struct Stream<'s, T> {
    rows: rusqlite::Rows<'s>,
    map: fn(&Row<'_>) -> rusqlite::Result<Option<T>>,
    ahead: Option<(String, Option<T>)>,
    done: bool,
}

impl<'s, T> Stream<'s, T> {
    fn new(rows: rusqlite::Rows<'s>, map: fn(&Row<'_>) -> rusqlite::Result<Option<T>>) -> Self {
        Stream {
            rows,
            map,
            ahead: None,
            done: false,
        }
    }

    fn fill(&mut self) -> rusqlite::Result<()> {
        if self.ahead.is_none() && !self.done {
            match self.rows.next()? {
                Some(r) => self.ahead = Some((r.get(0)?, (self.map)(r)?)),
                None => self.done = true,
            }
        }
        Ok(())
    }

    /// Moves every row of `patient` into `into`, skipping rows of patients before it.
    fn take_for(&mut self, patient: &str, into: &mut Vec<T>) -> rusqlite::Result<()> {
        loop {
            self.fill()?;
            let Some((id, _)) = &self.ahead else {
                return Ok(());
            };
            match id.as_str().cmp(patient) {
                std::cmp::Ordering::Less => self.ahead = None,
                std::cmp::Ordering::Equal => {
                    if let Some((_, Some(item))) = self.ahead.take() {
                        into.push(item);
                    }
                }
                std::cmp::Ordering::Greater => return Ok(()),
            }
        }
    }
}

/// Calls `each` with the record of every patient in `scope`, one at a time.
pub fn for_each_record(
    conn: &Connection,
    scope: Scope<'_>,
    mut each: impl FnMut(PatientRecord) -> rusqlite::Result<()>,
) -> rusqlite::Result<()> {
    for_each_patient(conn, scope, |record, _| each(record))
}

/// Calls `each` with the record and the details of every patient in `scope`, one at a time.
pub fn for_each_patient(
    conn: &Connection,
    scope: Scope<'_>,
    mut each: impl FnMut(PatientRecord, PatientDetails) -> rusqlite::Result<()>,
) -> rusqlite::Result<()> {
    let headers = match scope {
        Scope::All | Scope::Patient(_) => &HEADERS,
        Scope::Enrolled | Scope::EnrolledPatient(_) => &ENROLLED_HEADERS,
    };
    let pick = |feed: &Feed| match scope.one() {
        None => feed.all,
        Some(_) => feed.one,
    };
    let mut statements = [
        headers,
        &ENCOUNTERS,
        &OBSERVATIONS,
        &APPOINTMENTS,
        &CALLS,
        &DIAGNOSES,
    ]
    .iter()
    .map(|f| conn.prepare_cached(pick(f)))
    .collect::<rusqlite::Result<Vec<_>>>()?;
    let [
        headers,
        encounters,
        observations,
        appointments,
        calls,
        diagnoses,
    ] = statements.as_mut_slice()
    else {
        return Ok(());
    };
    macro_rules! query {
        ($stmt:expr) => {
            match scope.one() {
                None => $stmt.query([])?,
                Some(id) => $stmt.query(params![id])?,
            }
        };
    }
    let mut header_rows = query!(headers);
    let mut enc = Stream::new(query!(encounters), encounter);
    let mut obs = Stream::new(query!(observations), observation);
    let mut app = Stream::new(query!(appointments), appointment);
    let mut cal = Stream::new(query!(calls), call);
    let mut dia = Stream::new(query!(diagnoses), diagnosis);
    while let Some(h) = header_rows.next()? {
        let id: String = h.get(0)?;
        let status =
            PatientStatus::from_code(&h.get::<_, String>(1)?).unwrap_or(PatientStatus::Active);
        let mut record = PatientRecord::new(id.clone(), status);
        record.enrolled_on = date(h.get(2)?);
        record.death_date = date(h.get(3)?);
        record.moved_on = date(h.get(5)?);
        let details = PatientDetails {
            birth_date: date(h.get(4)?),
            moved_on: date(h.get(5)?),
            site_id: h.get(6)?,
            nurse_id: h.get(7)?,
            has_phone: h.get(8)?,
            palliative_since: date(h.get(9)?),
        };
        enc.take_for(&id, &mut record.encounters)?;
        obs.take_for(&id, &mut record.observations)?;
        app.take_for(&id, &mut record.appointments)?;
        cal.take_for(&id, &mut record.calls)?;
        dia.take_for(&id, &mut record.icd10)?;
        record.programs = enrolments(h.get::<_, Option<String>>(10)?.as_deref());
        each(record, details)?;
    }
    Ok(())
}

/// The programme enrolments of the header's `id=date;id=date` column, each with the rules of
/// the programme in force (a programme no longer defined keeps the common reasons only), in the
/// order the programmes are defined.
fn enrolments(column: Option<&str>) -> Vec<ProgramEnrolment> {
    let programs = crate::store::rules::programs();
    let mut found: Vec<ProgramEnrolment> = column
        .unwrap_or_default()
        .split(';')
        .filter_map(|pair| pair.split_once('='))
        .map(|(id, on)| ProgramEnrolment {
            program_id: id.to_string(),
            enrolled_on: ymd(on.as_bytes()).or_else(|| date_of_timestamp(on)),
            rules: crate::store::rules::program(id)
                .map(|p| p.rules)
                .unwrap_or_default(),
        })
        .collect();
    found.sort_by_key(|e| {
        (
            programs
                .iter()
                .position(|p| p.id == e.program_id)
                .unwrap_or(usize::MAX),
            e.program_id.clone(),
        )
    });
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_quick_date_reader_agrees_with_the_timestamp_parser() {
        for t in [
            "2026-11-20",
            "2026-11-20T14:30:00",
            "2024-02-29",
            "2023-02-29",
            "2026-1-20",
            "20.11.2026",
            "",
            "2026-13-01",
        ] {
            assert_eq!(
                ymd(t.as_bytes()).or_else(|| date_of_timestamp(t)),
                date_of_timestamp(t),
                "{t}"
            );
        }
    }
}
