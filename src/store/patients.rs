//! Patient queries: the searchable list (keyset paged) and the patient card.

use crate::domain::dates::date_of_timestamp;
use crate::domain::money::Money;
use crate::domain::text::query_words;
use crate::domain::types::*;
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

/// The one SQL expression of a patient's full name as every list shows it: family, given and
/// patronymic names, the patronymic left out when empty. Unqualified columns of `patients`, for
/// queries where no other table has these names; used through `concat!`.
macro_rules! full_name_sql {
    () => {
        "family_name || ' ' || given_name || CASE WHEN patronymic = '' THEN '' ELSE ' ' || patronymic END"
    };
}
pub(crate) use full_name_sql;

/// One row of the patient list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PatientListItem {
    /// Register id.
    pub id: String,
    /// "Family Given Patronymic".
    pub full_name: String,
    /// Birth date.
    pub birth_date: Option<NaiveDate>,
    /// First phone, if any.
    pub phone: Option<String>,
    /// Assigned site's name.
    pub site: String,
    /// Assigned site's id.
    pub site_id: Option<String>,
    /// Assigned nurse's name.
    pub nurse: String,
    /// active / moved / dead.
    pub status: PatientStatus,
    /// The sort key (for keyset paging).
    #[serde(skip)]
    pub sort_name: String,
}

/// What to list: a search and an optional site, after a keyset position.
#[derive(Debug, Clone, Default)]
pub struct PatientQuery {
    /// Free text: every word must match the name, a phone, the policy number or SNILS.
    pub search: String,
    /// Only patients of this site.
    pub site_id: Option<String>,
    /// Start after this (sort_name, id); `None` for the first page.
    pub after: Option<(String, String)>,
    /// Page size.
    pub limit: usize,
}

/// A page of the patient list, ordered by the Russian alphabet then id.
pub fn list(conn: &Connection, q: &PatientQuery) -> rusqlite::Result<Vec<PatientListItem>> {
    let words = serde_json::to_string(&query_words(&q.search)).unwrap_or_else(|_| "[]".into());
    let fts = fts_query(&q.search);
    let (after_name, after_id) = q.after.clone().unwrap_or_default();
    // Two statements rather than `(?6 IS NULL OR rowid IN (…))`: with the OR the planner cannot
    // know the search is there, walks the name index and tests every patient (255 ms for a common
    // surname at 1,000,000 patients, against 20 ms from the trigram index's matches).
    let by_words = if fts.is_some() {
        "AND p.rowid IN (SELECT rowid FROM patients_fts WHERE patients_fts MATCH ?6)"
    } else {
        "AND ?6 IS NULL"
    };
    let mut stmt = conn.prepare_cached(&format!(
        concat!("SELECT p.id, ", full_name_sql!(), ",
                p.birth_date, p.phone, coalesce(o.name, ''), coalesce(s.name, ''), p.status, p.sort_name, p.site_id
         FROM patients p
         LEFT JOIN organizations o ON o.id = p.site_id
         LEFT JOIN staff s ON s.id = p.nurse_id
         WHERE (p.sort_name, p.id) > (?1, ?2)
           AND (?3 IS NULL OR p.site_id = ?3)
           AND NOT EXISTS (SELECT 1 FROM json_each(?4) w WHERE instr(p.search_text, w.value) = 0)
           {by_words}
         ORDER BY p.sort_name, p.id
         LIMIT ?5"),
        by_words = by_words
    ))?;
    let rows = stmt.query_map(
        params![after_name, after_id, q.site_id, words, q.limit as i64, fts],
        |r| {
            Ok(PatientListItem {
                id: r.get(0)?,
                full_name: r.get(1)?,
                birth_date: r
                    .get::<_, String>(2)
                    .ok()
                    .and_then(|d| date_of_timestamp(&d)),
                phone: r.get(3)?,
                site: r.get(4)?,
                nurse: r.get(5)?,
                status: PatientStatus::from_code(&r.get::<_, String>(6)?)
                    .unwrap_or(PatientStatus::Active),
                sort_name: r.get(7)?,
                site_id: r.get(8)?,
            })
        },
    )?;
    rows.collect()
}

/// The trigram full-text query for a search: every word of 3 or more characters must occur
/// (shorter words are checked by the exact filter alone). `None` when no word is long enough.
pub fn fts_query(search: &str) -> Option<String> {
    let terms: Vec<String> = query_words(search)
        .into_iter()
        .filter(|w| w.chars().count() >= 3)
        .map(|w| format!("\"{}\"", w.replace('"', "")))
        .collect();
    (!terms.is_empty()).then(|| terms.join(" AND "))
}

/// Everything the patient card shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PatientCard {
    /// Register id.
    pub id: String,
    /// Family name.
    pub family_name: String,
    /// Given name.
    pub given_name: String,
    /// Patronymic (may be empty).
    pub patronymic: String,
    /// Sex.
    pub sex: Sex,
    /// Birth date.
    pub birth_date: Option<NaiveDate>,
    /// Death date.
    pub death_date: Option<NaiveDate>,
    /// Status.
    pub status: PatientStatus,
    /// OMS policy number.
    pub policy_number: Option<String>,
    /// SNILS.
    pub snils: Option<String>,
    /// Phones.
    pub phones: Vec<String>,
    /// The main and the second number as the register holds them (either may be missing).
    pub phone_slots: [Option<String>; 2],
    /// The main number was reported invalid by a call and not changed since
    /// ([`crate::domain::phone_choice::main_reported_invalid`]).
    pub main_phone_reported_invalid: bool,
    /// Locality and address.
    pub locality: String,
    /// Street address.
    pub address: String,
    /// Site id and name.
    pub site: Option<(String, String)>,
    /// Nurse id and name.
    pub nurse: Option<(String, String)>,
    /// Diagnoses, latest onset first.
    pub diagnoses: Vec<DiagnosisItem>,
    /// HbA1c results, oldest first.
    pub hba1c: Vec<(NaiveDate, f64)>,
    /// Blood pressure readings (date, systolic, diastolic), oldest first.
    pub blood_pressure: Vec<(NaiveDate, f64, f64)>,
    /// The programmes the patient is enrolled in (open enrolments): id and date, in the order the
    /// programmes are defined.
    pub programs: Vec<(String, NaiveDate)>,
    /// The latest result of each measurement the guidelines track beyond HbA1c and BP.
    pub labs: crate::domain::results_vs_target::LatestLabs,
    /// Encounters, latest first (at most 50).
    pub encounters: Vec<EncounterItem>,
    /// Appointments, latest first.
    pub appointments: Vec<(NaiveDate, String)>,
    /// Visits agreed on calls ("agreed to visit" makes an appointment, issue #20), latest first:
    /// the dates `domain::patient_record::agreed_visits` counts, so a corrected call's is gone.
    pub agreed_visits: Vec<NaiveDate>,
    /// The whole call history, latest first.
    pub calls: Vec<CallItem>,
    /// The date hospice or palliative care began, when flagged (excludes the patient from CMS122
    /// and CMS165 from that date).
    pub palliative_since: Option<NaiveDate>,
}

/// A diagnosis on the card.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DiagnosisItem {
    /// icd10 / snomed.
    pub system: CodeSystem,
    /// The code.
    pub code: String,
    /// Its description as imported.
    pub description: String,
    /// Onset.
    pub onset_date: Option<NaiveDate>,
}

/// An encounter on the card.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EncounterItem {
    /// Encounter id.
    pub id: String,
    /// Setting.
    pub class: EncounterClass,
    /// Start date.
    pub start: Option<NaiveDate>,
    /// End date.
    pub end: Option<NaiveDate>,
    /// Organization's name.
    pub organization: String,
    /// Planned admission.
    pub planned: bool,
    /// Cost.
    pub cost: Money,
}

/// A logged call on the card.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CallItem {
    /// Call id.
    pub id: String,
    /// When (UTC, `YYYY-MM-DDTHH:MM:SS`).
    pub called_at: String,
    /// Who.
    pub user: String,
    /// On which device.
    pub device: String,
    /// Outcome.
    pub outcome: CallOutcome,
    /// The agreed visit or call-back date.
    pub next_date: Option<NaiveDate>,
    /// Free-text note.
    pub note: String,
    /// The call this one corrects.
    pub supersedes: Option<String>,
    /// True when a later entry corrects this one.
    pub superseded: bool,
}

fn date(text: Option<String>) -> Option<NaiveDate> {
    text.as_deref().and_then(date_of_timestamp)
}

/// Loads a patient's card; `None` when there is no such patient.
pub fn card(conn: &Connection, id: &str) -> rusqlite::Result<Option<PatientCard>> {
    let head = conn
        .query_row(
            "SELECT p.id, p.family_name, p.given_name, p.patronymic, p.sex, p.birth_date, p.death_date, p.status,
                    p.policy_number, p.snils, p.phone, p.phone2, p.locality, p.address,
                    p.site_id, o.name, p.nurse_id, s.name, p.palliative_since
             FROM patients p LEFT JOIN organizations o ON o.id = p.site_id LEFT JOIN staff s ON s.id = p.nurse_id
             WHERE p.id = ?1",
            [id],
            |r| {
                let phone_slots = [r.get::<_, Option<String>>(10)?, r.get::<_, Option<String>>(11)?];
                let phones: Vec<String> = phone_slots.iter().flatten().cloned().collect();
                let pair = |a: Option<String>, b: Option<String>| a.map(|a| (a, b.unwrap_or_default()));
                Ok(PatientCard {
                    id: r.get(0)?,
                    family_name: r.get(1)?,
                    given_name: r.get(2)?,
                    patronymic: r.get(3)?,
                    sex: Sex::from_code(&r.get::<_, String>(4)?).unwrap_or(Sex::Unknown),
                    birth_date: date(r.get(5)?),
                    death_date: date(r.get(6)?),
                    status: PatientStatus::from_code(&r.get::<_, String>(7)?).unwrap_or(PatientStatus::Active),
                    policy_number: r.get(8)?,
                    snils: r.get(9)?,
                    phones,
                    phone_slots,
                    main_phone_reported_invalid: false,
                    locality: r.get(12)?,
                    address: r.get(13)?,
                    site: pair(r.get(14)?, r.get(15)?),
                    nurse: pair(r.get(16)?, r.get(17)?),
                    diagnoses: Vec::new(),
                    hba1c: Vec::new(),
                    blood_pressure: Vec::new(),
                    programs: Vec::new(),
                    labs: Default::default(),
                    encounters: Vec::new(),
                    appointments: Vec::new(),
                    agreed_visits: Vec::new(),
                    calls: Vec::new(),
                    palliative_since: date(r.get(18)?),
                })
            },
        )
        .optional()?;
    let Some(mut card) = head else {
        return Ok(None);
    };
    card.main_phone_reported_invalid = super::phones::main_reported_invalid_for(conn, id)?;

    let mut stmt = conn.prepare_cached(
        "SELECT system, code, description, onset_date FROM diagnoses WHERE patient_id = ?1 ORDER BY onset_date DESC, code",
    )?;
    card.diagnoses = stmt
        .query_map([id], |r| {
            Ok(DiagnosisItem {
                system: CodeSystem::from_code(&r.get::<_, String>(0)?).unwrap_or(CodeSystem::Icd10),
                code: r.get(1)?,
                description: r.get(2)?,
                onset_date: date(r.get(3)?),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;

    let mut stmt = conn.prepare_cached(
        "SELECT date, value FROM observations WHERE patient_id = ?1 AND kind = 'hba1c' ORDER BY date",
    )?;
    card.hba1c = stmt
        .query_map([id], |r| Ok((date(r.get(0)?), r.get::<_, f64>(1)?)))?
        .filter_map(|x| x.ok().and_then(|(d, v)| d.map(|d| (d, v))))
        .collect();

    // Pair systolic and diastolic by date; several readings a day keep the lowest of each.
    let mut stmt = conn.prepare_cached(
        "SELECT date, min(CASE WHEN kind = 'systolic' THEN value END), min(CASE WHEN kind = 'diastolic' THEN value END)
         FROM observations WHERE patient_id = ?1 AND kind IN ('systolic','diastolic')
         GROUP BY date HAVING count(DISTINCT kind) = 2 ORDER BY date",
    )?;
    card.blood_pressure = stmt
        .query_map([id], |r| {
            Ok((date(r.get(0)?), r.get::<_, f64>(1)?, r.get::<_, f64>(2)?))
        })?
        .filter_map(|x| x.ok().and_then(|(d, s, di)| d.map(|d| (d, s, di))))
        .collect();

    // The latest of each kind: rows in date order, so the last one of a kind wins (on one day,
    // the higher value, as the worklist reads HbA1c).
    let mut stmt = conn.prepare_cached(
        "SELECT kind, date, value FROM observations
         WHERE patient_id = ?1 AND kind IN ('creatinine','uacr','ldl','fasting_glucose')
         ORDER BY date, value",
    )?;
    let rows = stmt.query_map([id], |r| {
        Ok((
            ObservationKind::from_code(&r.get::<_, String>(0)?),
            date(r.get(1)?),
            r.get::<_, f64>(2)?,
        ))
    })?;
    for row in rows {
        let (Some(kind), Some(day), value) = row? else {
            continue;
        };
        let slot = match kind {
            ObservationKind::Creatinine => &mut card.labs.creatinine,
            ObservationKind::Uacr => &mut card.labs.uacr,
            ObservationKind::Ldl => &mut card.labs.ldl,
            ObservationKind::FastingGlucose => &mut card.labs.fasting_glucose,
            _ => continue,
        };
        if slot.is_none_or(|(d, _)| d <= day) {
            *slot = Some((day, value));
        }
    }

    let mut stmt = conn.prepare_cached(
        "SELECT program_id, enrolled_on FROM enrolments WHERE patient_id = ?1 AND ended_on IS NULL",
    )?;
    card.programs = stmt
        .query_map([id], |r| Ok((r.get::<_, String>(0)?, date(r.get(1)?))))?
        .filter_map(|x| x.ok().and_then(|(p, d)| d.map(|d| (p, d))))
        .collect();
    let order = |id: &str| {
        crate::store::rules::programs()
            .iter()
            .position(|p| p.id == id)
            .unwrap_or(usize::MAX)
    };
    card.programs
        .sort_by(|a, b| (order(&a.0), &a.0).cmp(&(order(&b.0), &b.0)));

    let mut stmt = conn.prepare_cached(
        "SELECT e.id, e.class, e.start_at, e.end_at, coalesce(o.name, ''), e.planned, e.cost_minor
         FROM encounters e LEFT JOIN organizations o ON o.id = e.organization_id
         WHERE e.patient_id = ?1 ORDER BY e.start_at DESC LIMIT 50",
    )?;
    card.encounters = stmt
        .query_map([id], |r| {
            Ok(EncounterItem {
                id: r.get(0)?,
                class: EncounterClass::from_code(&r.get::<_, String>(1)?)
                    .unwrap_or(EncounterClass::Outpatient),
                start: date(r.get(2)?),
                end: date(r.get(3)?),
                organization: r.get(4)?,
                planned: r.get(5)?,
                cost: Money(r.get(6)?),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;

    let mut stmt = conn.prepare_cached(
        "SELECT a.date, coalesce(o.name, '') FROM appointments a LEFT JOIN organizations o ON o.id = a.site_id
         WHERE a.patient_id = ?1 ORDER BY a.date DESC",
    )?;
    card.appointments = stmt
        .query_map([id], |r| Ok((date(r.get(0)?), r.get::<_, String>(1)?)))?
        .filter_map(|x| x.ok().and_then(|(d, s)| d.map(|d| (d, s))))
        .collect();

    card.calls = calls_of(conn, id)?;
    card.agreed_visits = agreed_visits_of(&card.calls);
    Ok(Some(card))
}

/// The visits agreed on the calls of a card (latest first), by the rule the worklist uses.
fn agreed_visits_of(calls: &[CallItem]) -> Vec<NaiveDate> {
    use crate::domain::patient_record::{CallEvent, agreed_visits};
    let events: Vec<CallEvent> = calls
        .iter()
        .rev()
        .filter(|c| !c.superseded)
        .filter_map(|c| {
            let at =
                chrono::NaiveDateTime::parse_from_str(&c.called_at, "%Y-%m-%dT%H:%M:%S").ok()?;
            Some(CallEvent {
                at,
                outcome: c.outcome,
                next_date: c.next_date,
            })
        })
        .collect();
    let mut dates = agreed_visits(&events, NaiveDate::MAX);
    dates.sort_unstable_by(|a, b| b.cmp(a));
    dates
}

/// A patient's whole call history, latest first, with superseded entries marked.
pub fn calls_of(conn: &Connection, id: &str) -> rusqlite::Result<Vec<CallItem>> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.id, c.called_at, c.user_name, c.device, c.outcome, c.next_date, c.note, c.supersedes,
                EXISTS (SELECT 1 FROM calls later WHERE later.supersedes = c.id)
         FROM calls c WHERE c.patient_id = ?1 ORDER BY c.called_at DESC, c.id DESC",
    )?;
    stmt.query_map([id], |r| {
        Ok(CallItem {
            id: r.get(0)?,
            called_at: r.get(1)?,
            user: r.get(2)?,
            device: r.get(3)?,
            outcome: CallOutcome::from_code(&r.get::<_, String>(4)?)
                .unwrap_or(CallOutcome::NoAnswer),
            next_date: date(r.get(5)?),
            note: r.get(6)?,
            supersedes: r.get(7)?,
            superseded: r.get(8)?,
        })
    })?
    .collect()
}

impl CallItem {
    /// The device id shortened for display ("import" stays whole).
    pub fn device_short(&self) -> String {
        self.device.chars().take(8).collect()
    }
}
