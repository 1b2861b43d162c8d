//! The Progress figures: the indicators of `domain::indicators` per site, per nurse and for the whole
//! pilot. Used by the Progress tab, `acodesk progress` and the report.

use crate::domain::dates::date_of_timestamp;
use crate::domain::indicators::{IndicatorFacts, Period, Tally};
use crate::domain::types::PatientStatus;
use chrono::NaiveDate;
use rusqlite::{Connection, params};
use serde::Serialize;
use std::collections::BTreeMap;

/// One group's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupTally {
    /// Group id (site or nurse id; empty for "unassigned").
    pub id: String,
    /// Display name.
    pub name: String,
    /// The indicators.
    pub tally: Tally,
}

/// Everything the Progress tab shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProgressView {
    /// The measurement period.
    pub period: Period,
    /// The whole pilot.
    pub total: Tally,
    /// Per site (assigned polyclinic).
    pub sites: Vec<GroupTally>,
    /// Per nurse.
    pub nurses: Vec<GroupTally>,
    /// Selected site row (UI state).
    #[serde(skip)]
    pub selected: usize,
}

fn date(text: Option<String>) -> Option<NaiveDate> {
    text.as_deref().and_then(date_of_timestamp)
}

/// Computes the indicators for the rolling year ending `as_of`.
pub fn progress(conn: &Connection, as_of: NaiveDate) -> rusqlite::Result<ProgressView> {
    progress_for(conn, Period::rolling_year(as_of))
}

/// Computes the indicators for an explicit period.
pub fn progress_for(conn: &Connection, period: Period) -> rusqlite::Result<ProgressView> {
    let end = period.to.to_string();
    let mut stmt = conn.prepare_cached(
        "WITH hb AS (
            SELECT patient_id, max(date) AS d, value FROM observations
            WHERE kind = 'hba1c' AND date <= ?1 GROUP BY patient_id),
         bp_day AS (
            SELECT patient_id, max(date) AS d FROM observations
            WHERE kind IN ('systolic', 'diastolic') AND date <= ?1 GROUP BY patient_id),
         bp AS (
            SELECT o.patient_id, bp_day.d,
                   min(CASE WHEN o.kind = 'systolic' THEN o.value END) AS sys,
                   min(CASE WHEN o.kind = 'diastolic' THEN o.value END) AS dia
            FROM observations o JOIN bp_day ON bp_day.patient_id = o.patient_id AND o.date = bp_day.d
            WHERE o.kind IN ('systolic', 'diastolic') GROUP BY o.patient_id),
         visit AS (
            SELECT patient_id, max(d) AS d FROM (
                SELECT patient_id, substr(start_at, 1, 10) AS d FROM encounters WHERE substr(start_at, 1, 10) <= ?1
                UNION ALL
                SELECT patient_id, date FROM observations WHERE site_id IS NOT NULL AND date <= ?1)
            GROUP BY patient_id)
         SELECT p.status, p.birth_date, e.enrolled_on, p.death_date, p.moved_on,
                hb.d, hb.value, bp.d, bp.sys, bp.dia, visit.d,
                coalesce(p.site_id, ''), coalesce(o.name, ''), coalesce(p.nurse_id, ''), coalesce(s.name, '')
         FROM patients p
         JOIN enrolments e ON e.patient_id = p.id AND e.ended_on IS NULL
         LEFT JOIN hb ON hb.patient_id = p.id
         LEFT JOIN bp ON bp.patient_id = p.id
         LEFT JOIN visit ON visit.patient_id = p.id
         LEFT JOIN organizations o ON o.id = p.site_id
         LEFT JOIN staff s ON s.id = p.nurse_id",
    )?;
    let mut rows = stmt.query(params![end])?;
    let mut total = Tally::default();
    let mut sites: BTreeMap<String, GroupTally> = BTreeMap::new();
    let mut nurses: BTreeMap<String, GroupTally> = BTreeMap::new();
    while let Some(r) = rows.next()? {
        let hba1c = match (date(r.get(5)?), r.get::<_, Option<f64>>(6)?) {
            (Some(d), Some(v)) => Some((d, v)),
            _ => None,
        };
        let bp = match (
            date(r.get(7)?),
            r.get::<_, Option<f64>>(8)?,
            r.get::<_, Option<f64>>(9)?,
        ) {
            (Some(d), Some(s), Some(di)) => Some((d, s, di)),
            _ => None,
        };
        let facts = IndicatorFacts {
            status: PatientStatus::from_code(&r.get::<_, String>(0)?)
                .unwrap_or(PatientStatus::Active),
            birth_date: date(r.get(1)?),
            enrolled_on: date(r.get(2)?),
            death_date: date(r.get(3)?),
            moved_on: date(r.get(4)?),
            latest_hba1c: hba1c,
            latest_bp: bp,
            last_visit: date(r.get(10)?),
        };
        total.add(&facts, &period);
        let (site_id, site_name, nurse_id, nurse_name): (String, String, String, String) =
            (r.get(11)?, r.get(12)?, r.get(13)?, r.get(14)?);
        sites
            .entry(site_id.clone())
            .or_insert_with(|| GroupTally {
                id: site_id,
                name: site_name,
                tally: Tally::default(),
            })
            .tally
            .add(&facts, &period);
        nurses
            .entry(nurse_id.clone())
            .or_insert_with(|| GroupTally {
                id: nurse_id,
                name: nurse_name,
                tally: Tally::default(),
            })
            .tally
            .add(&facts, &period);
    }
    Ok(ProgressView {
        period,
        total,
        sites: sites.into_values().collect(),
        nurses: nurses.into_values().collect(),
        selected: 0,
    })
}
