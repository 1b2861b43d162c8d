//! The patients behind a Progress figure: for a site, a nurse or the whole population and one
//! column, every patient in the figure's denominator (or counted), marked when in the numerator.
//! Each row's own figure is the patient's one-patient tally, so the marks add up to the figure.

use super::board::{Column, Figure, ProgressQuery};
use super::compute::Computed;
use super::history::History;
use crate::domain::clock::Clock;
use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;
use std::collections::HashMap;

/// Whose patients to list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DrillGroup {
    /// Everyone in the query's population.
    Total,
    /// The patients assigned to a site ("" = no site).
    Site(String),
    /// The patients assigned to a nurse ("" = no nurse).
    Nurse(String),
}

/// One patient behind a figure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DrillRow {
    /// Patient id (Enter opens the card).
    pub patient_id: String,
    /// Full name.
    pub full_name: String,
    /// Main phone.
    pub phone: Option<String>,
    /// The patient's own figure in the column (0/1 for a share; readmissions can be n/m).
    pub figure: Figure,
    /// In the numerator (or counted).
    pub meets: bool,
    /// Latest HbA1c on or before the period's end (date, %).
    pub latest_hba1c: Option<(NaiveDate, f64)>,
    /// Latest blood pressure on or before the period's end (date, systolic, diastolic).
    pub latest_bp: Option<(NaiveDate, f64, f64)>,
    /// Latest visit on or before the period's end.
    pub last_visit: Option<NaiveDate>,
}

/// The list behind one figure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PatientDrill {
    /// The board's question.
    pub query: ProgressQuery,
    /// The group.
    pub group: DrillGroup,
    /// The group's display name ("" for the total or unassigned).
    pub group_name: String,
    /// The column.
    pub column: Column,
    /// The group's figure (the sum of the rows' own).
    pub figure: Figure,
    /// The patients, those in the numerator first, then by name.
    pub rows: Vec<DrillRow>,
}

/// Lists the patients behind `column` of `group` on the board of `query`.
pub fn progress_patients(
    conn: &Connection,
    clock: &Clock,
    query: &ProgressQuery,
    group: &DrillGroup,
    column: Column,
) -> rusqlite::Result<PatientDrill> {
    let c = Computed::new(conn, clock, query)?;
    let names = patient_names(conn)?;
    let mut rows = Vec::new();
    let mut tally = crate::domain::indicators::Tally::default();
    let mut extras = super::board::GroupExtras::default();
    for (i, p) in c.kept() {
        let in_group = match group {
            DrillGroup::Total => true,
            DrillGroup::Site(id) => *id == p.site_id,
            DrillGroup::Nurse(id) => *id == p.nurse_id,
        };
        if !in_group {
            continue;
        }
        let f = c.patient(i);
        tally.merge(&f.tally);
        extras.merge(&f.extras);
        let figure = column.figure(&f.tally, &f.extras);
        if !figure.applies() {
            continue;
        }
        let facts = History::indicator_facts(p, c.period.to);
        let (full_name, phone) = names.get(&p.record.id).cloned().unwrap_or_default();
        rows.push(DrillRow {
            patient_id: p.record.id.clone(),
            full_name,
            phone,
            figure,
            meets: figure.meets(),
            latest_hba1c: facts.latest_hba1c,
            latest_bp: facts.latest_bp,
            last_visit: facts.last_visit,
        });
    }
    rows.sort_by(|a, b| {
        (!a.meets, &a.full_name, &a.patient_id).cmp(&(!b.meets, &b.full_name, &b.patient_id))
    });
    let group_name = match group {
        DrillGroup::Total => String::new(),
        DrillGroup::Site(id) => c.history.site_name(id),
        DrillGroup::Nurse(id) => c.history.nurse_name(id),
    };
    Ok(PatientDrill {
        query: query.clone(),
        group: group.clone(),
        group_name,
        column,
        figure: column.figure(&tally, &extras),
        rows,
    })
}

fn patient_names(conn: &Connection) -> rusqlite::Result<HashMap<String, (String, Option<String>)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, family_name || ' ' || given_name || CASE WHEN patronymic = '' THEN '' ELSE ' ' || patronymic END,
                coalesce(nullif(phone, ''), nullif(phone2, ''))
         FROM patients",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?;
    rows.collect()
}
