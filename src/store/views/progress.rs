//! The Progress figures: the indicators of `domain::indicators` per site, per nurse and for the whole
//! pilot. Used by the Progress tab, `acodesk progress` and the report.
//!
//! The register is read once per answer ([`history`]); the figures of any period, the twelve
//! month ends of the trends, the call cascade and the patients behind a figure are derived from
//! that one load ([`board`], [`drill`]).

#[path = "progress_board.rs"]
pub mod board;
#[path = "progress_compute.rs"]
mod compute;
#[path = "progress_drill.rs"]
pub mod drill;
#[path = "progress_history.rs"]
pub(crate) mod history;

pub use board::{
    Column, Figure, GroupExtras, MonthPoint, ProgressBoard, ProgressQuery, Workload, progress_board,
};
pub use drill::{DrillGroup, DrillRow, PatientDrill, progress_patients};

use crate::domain::indicators::{Period, Tally};
use chrono::NaiveDate;
use history::{History, PatientHistory};
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
    /// Selected site row (UI state).
    #[serde(skip)]
    pub selected: usize,
}

/// Computes the indicators for the rolling year ending `as_of`.
pub fn progress(conn: &Connection, as_of: NaiveDate) -> rusqlite::Result<ProgressView> {
    progress_for(conn, Period::rolling_year(as_of))
}

/// Computes the indicators for an explicit period: every patient with an open enrolment, tallied by
/// `Tally::add` on the facts known at the period's end.
pub fn progress_for(conn: &Connection, period: Period) -> rusqlite::Result<ProgressView> {
    let history = History::load(conn, false)?;
    let tallies = history.patients.iter().map(|p| {
        let mut t = Tally::default();
        t.add(&History::indicator_facts(p, period.to), &period);
        (p, t)
    });
    Ok(group_view(&history, period, tallies))
}

/// Sums one-patient tallies into the pilot total, the sites and the nurses (ordered by id).
pub(crate) fn group_view<'a>(
    history: &History,
    period: Period,
    tallies: impl IntoIterator<Item = (&'a PatientHistory, Tally)>,
) -> ProgressView {
    let mut total = Tally::default();
    let mut sites: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut nurses: BTreeMap<&str, Tally> = BTreeMap::new();
    for (p, t) in tallies {
        total.merge(&t);
        sites.entry(p.site_id.as_str()).or_default().merge(&t);
        nurses.entry(p.nurse_id.as_str()).or_default().merge(&t);
    }
    let group = |(id, tally): (&str, Tally), name: &dyn Fn(&str) -> String| GroupTally {
        id: id.to_string(),
        name: name(id),
        tally,
    };
    ProgressView {
        period,
        total,
        sites: sites
            .into_iter()
            .map(|g| group(g, &|id| history.site_name(id)))
            .collect(),
        nurses: nurses
            .into_iter()
            .map(|g| group(g, &|id| history.nurse_name(id)))
            .collect(),
        selected: 0,
    }
}
