//! The Readmissions figures: the published 30-day rule over the register's stays, open windows with
//! their LACE risk, and the readmitted pairs. Used by the tab, `acodesk readmissions` and the report.

use crate::domain::dates::date_of_timestamp;
use crate::domain::lace::{LaceScore, lace};
use crate::domain::readmission::{
    Episode, PatientStays, ReadmissionPeriod, ReadmissionSummary, ReadmissionTally, Stay,
    evaluate_patient,
};
use crate::domain::types::Disposition;
use crate::store::patients::full_name_sql;
use chrono::{Days, NaiveDate};
use rusqlite::{Connection, params};
use serde::Serialize;

/// Which patients the rule runs over.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Population {
    /// The patients enrolled in any programme (default).
    #[default]
    Enrolled,
    /// Every patient in the register (`--program all`).
    All,
    /// The patients enrolled in this programme (`--program hypertension`).
    Program(String),
}

/// A discharge whose 30-day window is still open: the nurse can still act.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OpenWindow {
    /// Patient id.
    pub patient_id: String,
    /// Patient's name.
    pub full_name: String,
    /// First phone.
    pub phone: Option<String>,
    /// Discharge date of the index episode.
    pub discharged: NaiveDate,
    /// Days of the window left.
    pub days_left: i64,
    /// The discharging organization's name.
    pub organization: String,
    /// LACE at this discharge, with its four parts.
    pub lace: LaceScore,
    /// LACE at or above the high-risk threshold.
    pub high_risk: bool,
    /// Already readmitted within the window.
    pub readmitted: bool,
}

/// An index episode that was readmitted, with both episodes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReadmittedPair {
    /// Patient id.
    pub patient_id: String,
    /// Patient's name.
    pub full_name: String,
    /// The index episode.
    pub index: Episode,
    /// The readmission.
    pub readmission: Episode,
    /// Days from discharge to readmission.
    pub days_between: i64,
}

/// Everything the Readmissions tab shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReadmissionsView {
    /// The rule's figures over the closed windows of the period.
    pub summary: ReadmissionSummary,
    /// Open windows, most urgent (high risk, fewest days left) first.
    pub open_windows: Vec<OpenWindow>,
    /// Readmitted index episodes of the period, latest first.
    pub pairs: Vec<ReadmittedPair>,
    /// Organization id → name, for the by-hospital table.
    pub organizations: Vec<(String, String)>,
}

struct PatientRow {
    id: String,
    name: String,
    phone: Option<String>,
    death: Option<NaiveDate>,
    moved_on: Option<NaiveDate>,
}

/// Runs the rule for `period` (closed windows) and lists the open windows as of `period.as_of`.
pub fn compute(
    conn: &Connection,
    period: &ReadmissionPeriod,
    population: &Population,
    lace_threshold: u32,
) -> rusqlite::Result<ReadmissionsView> {
    let as_of = period.as_of;
    let open_period = ReadmissionPeriod {
        from: as_of.checked_sub_days(Days::new(29)).unwrap_or(as_of),
        to: as_of,
        as_of,
    };
    let all = matches!(population, Population::All);
    let mut stmt = conn.prepare_cached(
        concat!("SELECT p.id, ", full_name_sql!(), ",
                p.phone, p.death_date,
                e.id, e.start_at, e.end_at, e.organization_id, e.planned, e.disposition,
                e.principal_dx, p.moved_on
         FROM encounters e JOIN patients p ON p.id = e.patient_id
         WHERE e.class = 'inpatient'
           AND (?1 OR EXISTS (SELECT 1 FROM enrolments en WHERE en.patient_id = p.id AND en.ended_on IS NULL
                                AND (?2 IS NULL OR en.program_id = ?2)))
         ORDER BY p.id, e.start_at"),
    )?;
    let program = match population {
        Population::Program(id) => Some(id.as_str()),
        _ => None,
    };
    let mut rows = stmt.query(params![all, program])?;
    let mut tally = ReadmissionTally::new(*period);
    let mut open_windows = Vec::new();
    let mut pairs = Vec::new();
    let mut current: Option<PatientRow> = None;
    let mut stays: Vec<Stay> = Vec::new();
    let mut finish = |p: &PatientRow,
                      stays: &[Stay],
                      open: &mut Vec<OpenWindow>,
                      pairs: &mut Vec<ReadmittedPair>|
     -> rusqlite::Result<()> {
        let ps = PatientStays::new(&p.id, p.death, stays).moved_on(p.moved_on);
        let closed = evaluate_patient(&ps, period);
        for o in &closed {
            if let (Some(r), Some(d)) = (&o.readmission, o.index.discharged) {
                pairs.push(ReadmittedPair {
                    patient_id: p.id.clone(),
                    full_name: p.name.clone(),
                    index: o.index.clone(),
                    readmission: r.clone(),
                    days_between: (r.admitted - d).num_days(),
                });
            }
        }
        tally.add_outcomes(closed);
        for o in evaluate_patient(&ps, &open_period) {
            let (Some(discharged), true) = (o.index.discharged, o.open_window) else {
                continue;
            };
            let score = lace_at(conn, &p.id, o.index.admitted, discharged, o.index.planned)?;
            open.push(OpenWindow {
                patient_id: p.id.clone(),
                full_name: p.name.clone(),
                phone: p.phone.clone(),
                discharged,
                days_left: o.days_left.unwrap_or(0),
                organization: o.index.organization_id.clone().unwrap_or_default(),
                high_risk: u32::from(score.total) >= lace_threshold,
                lace: score,
                readmitted: o.readmission.is_some(),
            });
        }
        Ok(())
    };
    while let Some(r) = rows.next()? {
        let id: String = r.get(0)?;
        if current.as_ref().is_some_and(|c| c.id != id) {
            if let Some(p) = current.take() {
                finish(&p, &stays, &mut open_windows, &mut pairs)?;
            }
            stays.clear();
        }
        if current.is_none() {
            current = Some(PatientRow {
                id: id.clone(),
                name: r.get(1)?,
                phone: r.get(2)?,
                death: r
                    .get::<_, Option<String>>(3)?
                    .as_deref()
                    .and_then(date_of_timestamp),
                moved_on: r
                    .get::<_, Option<String>>(11)?
                    .as_deref()
                    .and_then(date_of_timestamp),
            });
        }
        let start: String = r.get(5)?;
        let Some(admitted) = date_of_timestamp(&start) else {
            continue;
        };
        stays.push(Stay {
            encounter_id: r.get(4)?,
            admitted,
            discharged: r
                .get::<_, Option<String>>(6)?
                .as_deref()
                .and_then(date_of_timestamp),
            organization_id: r.get(7)?,
            planned: r.get(8)?,
            disposition: r
                .get::<_, Option<String>>(9)?
                .as_deref()
                .and_then(Disposition::from_code),
            principal_dx: r.get(10)?,
        });
    }
    if let Some(p) = current.take() {
        finish(&p, &stays, &mut open_windows, &mut pairs)?;
    }
    let mut organizations = Vec::new();
    let mut stmt = conn.prepare_cached("SELECT id, name FROM organizations ORDER BY id")?;
    for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
        organizations.push(row?);
    }
    for w in &mut open_windows {
        if let Some((_, name)) = organizations.iter().find(|(id, _)| *id == w.organization) {
            w.organization = name.clone();
        }
    }
    open_windows.sort_by(|a, b| {
        (!a.high_risk, a.readmitted, a.days_left, &a.patient_id).cmp(&(
            !b.high_risk,
            b.readmitted,
            b.days_left,
            &b.patient_id,
        ))
    });
    pairs.sort_by(|a, b| {
        b.index
            .discharged
            .cmp(&a.index.discharged)
            .then(a.patient_id.cmp(&b.patient_id))
    });
    Ok(ReadmissionsView {
        summary: tally.finish(),
        open_windows,
        pairs,
        organizations,
    })
}

/// The LACE index of one stay: ICD-10 diagnoses with onset on or before discharge, and the
/// patient's emergency visits before admission.
pub fn lace_at(
    conn: &Connection,
    patient_id: &str,
    admitted: NaiveDate,
    discharged: NaiveDate,
    planned: bool,
) -> rusqlite::Result<LaceScore> {
    let mut stmt = conn.prepare_cached(
        "SELECT code FROM diagnoses WHERE patient_id = ?1 AND system = 'icd10' AND onset_date <= ?2",
    )?;
    let codes: Vec<String> = stmt
        .query_map(params![patient_id, discharged.to_string()], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt = conn.prepare_cached(
        "SELECT substr(start_at, 1, 10) FROM encounters
         WHERE patient_id = ?1 AND class = 'emergency' AND substr(start_at, 1, 10) <= ?2",
    )?;
    let visits: Vec<NaiveDate> = stmt
        .query_map(params![patient_id, admitted.to_string()], |r| {
            r.get::<_, String>(0)
        })?
        .filter_map(|d| d.ok().and_then(|d| date_of_timestamp(&d)))
        .collect();
    let code_refs: Vec<&str> = codes.iter().map(String::as_str).collect();
    Ok(lace(admitted, discharged, planned, &code_refs, &visits))
}
