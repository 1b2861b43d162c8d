//! Reading [`PatientRecord`]s from the register: every active enrolled patient by a streaming merge
//! of the event tables (memory stays flat whatever the register's size), or one patient by its
//! indexes. Both feed the same pure derivation in `domain::patient_record`.

use crate::domain::dates::date_of_timestamp;
use crate::domain::patient_record::{CallEvent, EncounterEvent, ObservationEvent, PatientRecord};
use crate::domain::types::{
    CallOutcome, Disposition, EncounterClass, ObservationKind, PatientStatus,
};
use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Connection, Row, params};

/// Which patients to read.
#[derive(Debug, Clone, Copy)]
pub enum Scope<'a> {
    /// Every active patient enrolled in a programme, in id order.
    All,
    /// One patient (when active and enrolled).
    Patient(&'a str),
}

/// The queries of one event table: all rows in patient order, or one patient's rows.
struct Feed {
    all: &'static str,
    one: &'static str,
}

const HEADERS: Feed = Feed {
    all: "SELECT p.id, p.status, e.enrolled_on, p.death_date FROM patients p
          JOIN enrolments e ON e.patient_id = p.id AND e.ended_on IS NULL
          WHERE p.status = 'active' ORDER BY p.id",
    one: "SELECT p.id, p.status, e.enrolled_on, p.death_date FROM patients p
          JOIN enrolments e ON e.patient_id = p.id AND e.ended_on IS NULL
          WHERE p.status = 'active' AND p.id = ?1",
};
const ENCOUNTERS: Feed = Feed {
    all: "SELECT patient_id, id, class, start_at, end_at, organization_id, planned, disposition
          FROM encounters ORDER BY patient_id",
    one: "SELECT patient_id, id, class, start_at, end_at, organization_id, planned, disposition
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
    text.as_deref().and_then(date_of_timestamp)
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
    let pick = |feed: &Feed| match scope {
        Scope::All => feed.all,
        Scope::Patient(_) => feed.one,
    };
    let mut statements = [
        HEADERS,
        ENCOUNTERS,
        OBSERVATIONS,
        APPOINTMENTS,
        CALLS,
        DIAGNOSES,
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
            match scope {
                Scope::All => $stmt.query([])?,
                Scope::Patient(id) => $stmt.query(params![id])?,
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
        enc.take_for(&id, &mut record.encounters)?;
        obs.take_for(&id, &mut record.observations)?;
        app.take_for(&id, &mut record.appointments)?;
        cal.take_for(&id, &mut record.calls)?;
        dia.take_for(&id, &mut record.icd10)?;
        each(record)?;
    }
    Ok(())
}
