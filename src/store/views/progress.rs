//! The Progress figures: the indicators of `domain::indicators` per site, per nurse and for the whole
//! pilot. Used by the Progress tab, `acodesk progress` and the report.
//!
//! Each enrolled patient's contribution to every figure at each period end is derived once
//! (`domain::progress_facts`) and kept with its group's sums in the stored index
//! (`store::progress_index`), so an answer reads the sums of a few hundred (site, nurse) groups
//! ([`board`]) or one group's patients ([`drill`]). A clock or a period the index does not hold is
//! computed on the spot from the same derivation, streaming one patient at a time ([`compute`]).

pub mod board;
mod compute;
pub mod drill;

pub use board::{
    Column, Figure, GroupExtras, MonthPoint, ProgressBoard, ProgressQuery, Workload,
    progress_board, progress_board_computed,
};
pub use drill::{
    DrillGroup, DrillRow, PatientDrill, progress_patients, progress_patients_computed,
};

use crate::domain::indicators::{Period, Tally};
use crate::domain::progress_facts::{PatientDetails, Timeline};
use crate::store::patient_feed::{Scope, for_each_patient};
use chrono::NaiveDate;
use compute::{Figures, Names};
use rusqlite::Connection;
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
}

/// Computes the indicators for the rolling year ending `as_of`.
pub fn progress(conn: &Connection, as_of: NaiveDate) -> rusqlite::Result<ProgressView> {
    progress_for(conn, Period::rolling_year(as_of))
}

/// Computes the indicators for an explicit period: every patient with an open enrolment, tallied by
/// `Tally::add` on the facts known at the period's end. A rolling year ending on a period end the
/// stored index holds is read from it; any other period is computed on the spot.
pub fn progress_for(conn: &Connection, period: Period) -> rusqlite::Result<ProgressView> {
    let stored = match crate::store::progress_index::stored_clock(conn)? {
        Some(clock) if period == Period::rolling_year(period.to) => clock
            .month_ends()
            .iter()
            .position(|e| *e == period.to)
            .map(|i| (clock, i)),
        _ => None,
    };
    match stored {
        Some((clock, i)) => Ok(Figures::stored(conn, clock)?.view(i, &|_, _| true)),
        None => progress_for_computed(conn, period),
    }
}

/// The indicators for `period` computed on the spot from every enrolled patient's events (one
/// patient at a time), never from the stored index: what the stored figures are checked against.
pub fn progress_for_computed(conn: &Connection, period: Period) -> rusqlite::Result<ProgressView> {
    let mut total = Tally::default();
    let mut sites: BTreeMap<String, Tally> = BTreeMap::new();
    let mut nurses: BTreeMap<String, Tally> = BTreeMap::new();
    for_each_patient(conn, Scope::Enrolled, |record, details: PatientDetails| {
        let mut t = Tally::default();
        t.add(
            &Timeline::new(&record, &details).indicator_facts(period.to),
            &period,
        );
        total.merge(&t);
        sites.entry(details.site_id).or_default().merge(&t);
        nurses.entry(details.nurse_id).or_default().merge(&t);
        Ok(())
    })?;
    let names = Names::load(conn)?;
    let group = |(id, tally): (String, Tally), name: String| GroupTally { id, name, tally };
    Ok(ProgressView {
        period,
        total,
        sites: sites
            .into_iter()
            .map(|(id, t)| {
                let name = names.site(&id);
                group((id, t), name)
            })
            .collect(),
        nurses: nurses
            .into_iter()
            .map(|(id, t)| {
                let name = names.nurse(&id);
                group((id, t), name)
            })
            .collect(),
    })
}
