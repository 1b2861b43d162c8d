//! The report's figures, gathered once from the shared views (so the HTML and the CSV files show
//! the same numbers as the screens and the CLI), plus the per-nurse call counts.

use crate::domain::clock::{Clock, ClockKind};
use crate::domain::indicators::{Period, Ratio};
use crate::domain::pilot::PilotInfo;
use crate::domain::types::CallOutcome;
use crate::store::audit::{LastImport, last_imports};
use crate::store::stats::{FeedFreshness, freshness};
use crate::store::views::progress::{
    GroupTally, ProgressBoard, ProgressQuery, progress_board, progress_for,
};
use crate::store::views::{
    self, BudgetView, ProgressView, ReadmissionsView, WorklistFilter, budget::pilot_info,
};
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::{BTreeMap, HashMap};

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
    /// The Progress tab's board as of the report date (the whole pilot): the call cascade of the
    /// as-of month, readmissions by site, the twelve-month trends.
    pub board: ProgressBoard,
    /// The latest import of each source on record.
    pub imports: Vec<LastImport>,
    /// How recent each feed of the register is.
    pub freshness: Vec<FeedFreshness>,
    /// Each programme's HEARTS figures, registrations and quarterly cohorts.
    pub hearts: Vec<crate::store::hearts::HeartsReport>,
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
    // One worklist for everyone, split by the patient's nurse: the per-nurse counts add up to
    // the whole list exactly.
    let worklist = views::worklist(conn, &clock, &WorklistFilter::default())?;
    let nurse_of = nurse_of_patients(conn)?;
    let mut worklist_by_nurse: BTreeMap<String, u64> = BTreeMap::new();
    for row in &worklist.rows {
        let nurse = nurse_of.get(&row.patient_id).cloned().unwrap_or_default();
        *worklist_by_nurse.entry(nurse).or_default() += 1;
    }
    let mut nurses: Vec<NurseRow> = progress.nurses.iter().map(nurse_row).collect();
    // Nurses with calls or worklist entries but no enrolled active patient still get a line, so
    // the lines add up to the total.
    for id in calls.keys().chain(worklist_by_nurse.keys()) {
        if !nurses.iter().any(|r| &r.id == id) {
            let name = if id.is_empty() {
                String::new()
            } else {
                staff_name(conn, id)?
            };
            nurses.push(NurseRow {
                id: id.clone(),
                name,
                active: 0,
                worklist: 0,
                calls: CallCounts::default(),
                hba1c_tested: Ratio::default(),
                poor_control: Ratio::default(),
            });
        }
    }
    for row in &mut nurses {
        row.calls = calls.get(&row.id).copied().unwrap_or_default();
        row.worklist = worklist_by_nurse.get(&row.id).copied().unwrap_or(0);
    }
    let whole = worklist.rows.len() as u64;
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
    let board = progress_board(conn, &clock, &ProgressQuery::default())?;
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
        imports: last_imports(conn)?,
        freshness: freshness(conn, as_of)?,
        hearts: crate::store::hearts::hearts_reports(conn, as_of, &board.months())?,
        board,
    })
}

fn nurse_row(g: &GroupTally) -> NurseRow {
    NurseRow {
        id: g.id.clone(),
        name: g.name.clone(),
        active: g.tally.enrolled_active,
        worklist: 0,
        calls: CallCounts::default(),
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

/// Patient id → nurse id ("" when none).
fn nurse_of_patients(conn: &Connection) -> rusqlite::Result<HashMap<String, String>> {
    let mut stmt = conn.prepare_cached("SELECT id, coalesce(nurse_id, '') FROM patients")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    rows.collect()
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
