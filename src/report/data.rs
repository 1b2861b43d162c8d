//! The report's figures, gathered once from the shared views (so the HTML and the CSV files show
//! the same numbers as the screens and the CLI), plus the per-nurse call counts.

use crate::domain::clock::{Clock, ClockKind};
use crate::domain::indicators::{Period, Ratio};
use crate::domain::pilot::PilotInfo;
use crate::domain::types::CallOutcome;
use crate::store::views::progress::{GroupTally, progress_for};
use crate::store::views::{
    self, BudgetView, ProgressView, ReadmissionsView, WorklistFilter, budget::pilot_info,
};
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::BTreeMap;

/// Call outcomes of one nurse's patients in the period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct CallCounts {
    /// Every call that stands (corrected calls are replaced by their correction).
    pub total: u64,
    /// The nurse spoke to the patient or someone answering for them.
    pub reached: u64,
    /// Agreed to come for a visit.
    pub agreed_visit: u64,
    /// No answer or a wrong number.
    pub not_reached: u64,
}

impl CallCounts {
    fn add(&mut self, outcome: CallOutcome, n: u64) {
        self.total += n;
        if outcome.is_contact() {
            self.reached += n;
        }
        match outcome {
            CallOutcome::AgreedToVisit => self.agreed_visit += n,
            CallOutcome::NoAnswer | CallOutcome::InvalidNumber => self.not_reached += n,
            _ => {}
        }
    }

    /// Reached among all calls.
    pub fn reached_ratio(&self) -> Ratio {
        Ratio {
            numerator: self.reached,
            denominator: self.total,
        }
    }
}

/// One line of the nurses' table.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NurseRow {
    /// Staff id (empty for patients without a nurse).
    pub id: String,
    /// Name (empty for patients without a nurse).
    pub name: String,
    /// Enrolled active patients (the Progress tally's `enrolled_active`).
    pub active: u64,
    /// Worklist entries for the nurse's patients as of the report date.
    pub worklist: u64,
    /// Calls to the nurse's patients in the period.
    pub calls: CallCounts,
    /// HbA1c tested in the last 6 months (the Progress tally).
    pub hba1c_tested: Ratio,
    /// HbA1c poor control (the Progress tally; lower is better).
    pub poor_control: Ratio,
}

/// Everything the report shows.
#[derive(Debug, Clone)]
pub(crate) struct ReportData {
    /// The date the figures are as of.
    pub as_of: NaiveDate,
    /// The day the report was produced.
    pub generated: NaiveDate,
    /// The pilot's identity.
    pub pilot: PilotInfo,
    /// Indicators per site, per nurse and in total.
    pub progress: ProgressView,
    /// The 30-day readmission figures.
    pub readmissions: ReadmissionsView,
    /// The budget and its projection.
    pub budget: BudgetView,
    /// The nurses' table, ordered as the Progress view orders nurses.
    pub nurses: Vec<NurseRow>,
    /// The nurses' table total.
    pub nurses_total: NurseRow,
    /// For each of `Tally::ratios()`'s columns, the index of the weakest site, if any.
    pub weakest: Vec<Option<usize>>,
}

/// Computes every figure of the report.
pub(crate) fn gather(
    conn: &Connection,
    as_of: NaiveDate,
    from: Option<NaiveDate>,
) -> rusqlite::Result<ReportData> {
    let progress = match from {
        Some(from) => progress_for(conn, Period { from, to: as_of })?,
        None => views::progress(conn, as_of)?,
    };
    let readmissions = views::readmissions(conn, as_of)?;
    let budget = views::budget(conn, as_of)?;
    let pilot = pilot_info(conn)?;
    let clock = Clock {
        as_of,
        kind: ClockKind::Historical,
    };
    let calls = call_counts(conn, progress.period)?;
    let mut nurses = Vec::new();
    let mut assigned_worklist = 0;
    for g in &progress.nurses {
        nurses.push(nurse_row(g, &calls));
    }
    for row in nurses.iter_mut().filter(|r| !r.id.is_empty()) {
        let filter = WorklistFilter {
            nurse_id: Some(row.id.clone()),
            ..WorklistFilter::default()
        };
        row.worklist = views::worklist(conn, &clock, &filter)?.rows.len() as u64;
        assigned_worklist += row.worklist;
    }
    let whole = views::worklist(conn, &clock, &WorklistFilter::default())?
        .rows
        .len() as u64;
    let unassigned_worklist = whole.saturating_sub(assigned_worklist);
    // Calls to patients of nurses with no enrolled active patient left still count in the total.
    let mut extra = Vec::new();
    for (id, counts) in &calls {
        if !nurses.iter().any(|r| &r.id == id) {
            extra.push(NurseRow {
                id: id.clone(),
                name: staff_name(conn, id)?,
                active: 0,
                worklist: 0,
                calls: *counts,
                hba1c_tested: Ratio::default(),
                poor_control: Ratio::default(),
            });
        }
    }
    nurses.extend(extra);
    match nurses.iter_mut().find(|r| r.id.is_empty()) {
        Some(row) => row.worklist = unassigned_worklist,
        None if unassigned_worklist > 0 => nurses.push(NurseRow {
            id: String::new(),
            name: String::new(),
            active: 0,
            worklist: unassigned_worklist,
            calls: CallCounts::default(),
            hba1c_tested: Ratio::default(),
            poor_control: Ratio::default(),
        }),
        None => {}
    }
    // Patients without a nurse after the nurses.
    nurses.sort_by_key(|r| r.id.is_empty());
    let mut total_calls = CallCounts::default();
    for c in calls.values() {
        total_calls.total += c.total;
        total_calls.reached += c.reached;
        total_calls.agreed_visit += c.agreed_visit;
        total_calls.not_reached += c.not_reached;
    }
    let nurses_total = NurseRow {
        id: String::new(),
        name: String::new(),
        active: progress.total.enrolled_active,
        worklist: whole,
        calls: total_calls,
        hba1c_tested: progress.total.hba1c_tested_6m,
        poor_control: progress.total.hba1c_poor_control,
    };
    let weakest = weakest_sites(&progress.sites);
    Ok(ReportData {
        as_of,
        generated: chrono::Local::now().date_naive(),
        pilot,
        progress,
        readmissions,
        budget,
        nurses,
        nurses_total,
        weakest,
    })
}

fn nurse_row(g: &GroupTally, calls: &BTreeMap<String, CallCounts>) -> NurseRow {
    NurseRow {
        id: g.id.clone(),
        name: g.name.clone(),
        active: g.tally.enrolled_active,
        worklist: 0,
        calls: calls.get(&g.id).copied().unwrap_or_default(),
        hba1c_tested: g.tally.hba1c_tested_6m,
        poor_control: g.tally.hba1c_poor_control,
    }
}

fn staff_name(conn: &Connection, id: &str) -> rusqlite::Result<String> {
    Ok(conn
        .query_row("SELECT name FROM staff WHERE id = ?1", params![id], |r| {
            r.get(0)
        })
        .optional()?
        .unwrap_or_else(|| id.to_string()))
}

/// Calls in the period per nurse of the called patient ("" = no nurse), superseded calls left out
/// (as the worklist's facts leave them out).
fn call_counts(
    conn: &Connection,
    period: Period,
) -> rusqlite::Result<BTreeMap<String, CallCounts>> {
    let mut stmt = conn.prepare_cached(
        "SELECT coalesce(p.nurse_id, ''), c.outcome, count(*) FROM calls c
         JOIN patients p ON p.id = c.patient_id
         WHERE substr(c.called_at, 1, 10) >= ?1 AND substr(c.called_at, 1, 10) <= ?2
           AND NOT EXISTS (SELECT 1 FROM calls later WHERE later.supersedes = c.id)
         GROUP BY 1, 2",
    )?;
    let rows = stmt.query_map(
        params![period.from.to_string(), period.to.to_string()],
        |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
            ))
        },
    )?;
    let mut out: BTreeMap<String, CallCounts> = BTreeMap::new();
    for row in rows {
        let (nurse, outcome, n) = row?;
        if let Some(outcome) = CallOutcome::from_code(&outcome) {
            out.entry(nurse)
                .or_default()
                .add(outcome, u64::try_from(n).unwrap_or(0));
        }
    }
    Ok(out)
}

/// The weakest site per indicator column, as the Progress tab marks it: the highest share where
/// lower is better, else the lowest; none when fewer than two sites have a share.
pub(crate) fn weakest_sites(sites: &[GroupTally]) -> Vec<Option<usize>> {
    let Some(first) = sites.first() else {
        return Vec::new();
    };
    first
        .tally
        .ratios()
        .iter()
        .enumerate()
        .map(|(c, (_, _, lower_better))| {
            let rates: Vec<(usize, f64)> = sites
                .iter()
                .enumerate()
                .filter_map(|(i, s)| s.tally.ratios()[c].1.rate().map(|r| (i, r)))
                .collect();
            let pick = if *lower_better {
                rates.iter().max_by(|a, b| a.1.total_cmp(&b.1))
            } else {
                rates.iter().min_by(|a, b| a.1.total_cmp(&b.1))
            };
            pick.map(|(i, _)| *i).filter(|_| rates.len() > 1)
        })
        .collect()
}
