//! The Progress tab's whole answer: the indicators of the chosen period and population, the call
//! cascade of the chosen month, 30-day readmissions by the patients' assigned site, the projected
//! savings rate, each nurse's workload and call outcomes, and the twelve-month trends.

use super::ProgressView;
use super::compute::Figures;
use crate::domain::clock::Clock;
use crate::domain::indicators::{Cascade, CascadeMonth, Ratio, Tally};
use crate::domain::types::CallOutcome;
use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;
use std::collections::BTreeMap;

/// What the Progress tab asks for: the population (site, nurse) and the month.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ProgressQuery {
    /// Only the patients assigned to this site.
    pub site_id: Option<String>,
    /// Only the patients assigned to this nurse.
    pub nurse_id: Option<String>,
    /// Any day of the month to show; `None` (or the as-of month) is the as-of date. Past months
    /// are shown as they stood on their last day.
    pub month: Option<NaiveDate>,
}

/// A group's calls in the month and its worklist.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Workload {
    /// Patients on the worklist at the end of the period (the as-of date for the current month).
    pub worklist: u64,
    /// Calls dated in the month (a corrected call counts once, with its correction's outcome).
    pub calls: u64,
    /// Those calls by outcome.
    pub by_outcome: BTreeMap<CallOutcome, u64>,
}

/// The figures of a group beyond the indicators' [`Tally`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct GroupExtras {
    /// The call cascade of the month.
    pub cascade: Cascade,
    /// 30-day readmissions: readmitted index stays / index stays with a closed window, in the 12
    /// months ending 30 days before the period's end (`ReadmissionPeriod::default_for`).
    pub readmissions: Ratio,
    /// Worklist and calls.
    pub workload: Workload,
}

impl GroupExtras {
    /// Adds another group's figures.
    pub fn merge(&mut self, o: &GroupExtras) {
        self.cascade.merge(&o.cascade);
        self.readmissions += o.readmissions;
        self.workload.worklist += o.workload.worklist;
        self.workload.calls += o.workload.calls;
        for (k, v) in &o.workload.by_outcome {
            *self.workload.by_outcome.entry(*k).or_default() += v;
        }
    }
}

/// One month of the trends: the indicators of the rolling year ending on `end`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonthPoint {
    /// The month's end (the as-of date for the current month).
    pub end: NaiveDate,
    /// The indicators of `Period::rolling_year(end)`.
    pub tally: Tally,
    /// Readmissions among the index stays discharged in this month (closed windows only, as of
    /// the as-of date: the last month is mostly still open).
    pub readmissions: Ratio,
}

/// Everything the Progress tab shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProgressBoard {
    /// The question this answers.
    pub query: ProgressQuery,
    /// The as-of date of the figures.
    pub as_of: NaiveDate,
    /// The indicators of the period for the chosen population, per site and per nurse.
    pub view: ProgressView,
    /// The other figures of the whole chosen population.
    pub total: GroupExtras,
    /// The other figures per site, in `view.sites` order.
    pub sites: Vec<GroupExtras>,
    /// The other figures per nurse, in `view.nurses` order.
    pub nurses: Vec<GroupExtras>,
    /// The month of the cascade and the calls.
    pub month: CascadeMonth,
    /// The twelve months up to the as-of date, oldest first (whatever month is chosen).
    pub series: Vec<MonthPoint>,
    /// The pilot's projected savings rate at the period's end (pilot-wide, never filtered); `None`
    /// when there is no projection (no baseline claims).
    pub savings_rate: Option<f64>,
    /// The contract's quality gate at the period's end (pilot-wide, never filtered): its catalogue
    /// measure, value, threshold and whether it is met; `None` for a gate the payer reports.
    pub quality_gate: Option<crate::store::views::budget::Gate>,
    /// Sites with enrolled patients (id, name), for the site filter.
    pub site_options: Vec<(String, String)>,
    /// Nurses with enrolled patients in the chosen site (id, name), for the nurse filter.
    pub nurse_options: Vec<(String, String)>,
}

impl ProgressBoard {
    /// The ends of the months the month filter steps through (as in `series`).
    pub fn months(&self) -> Vec<NaiveDate> {
        self.series.iter().map(|m| m.end).collect()
    }
}

/// Computes the Progress tab's figures for `query` as of `clock`: from the stored index (rebuilt
/// first when the day or the rules changed), or on the spot for a historical clock or a month it
/// does not hold.
pub fn progress_board(
    conn: &Connection,
    clock: &Clock,
    query: &ProgressQuery,
) -> rusqlite::Result<ProgressBoard> {
    let end = crate::store::progress_index::progress_clock(clock).board_end(query.month);
    Figures::for_board(conn, clock, end)?.board(conn, query, end)
}

/// The same board always computed on the spot from every enrolled patient's events, never from
/// the stored index: what the stored figures are checked against.
pub fn progress_board_computed(
    conn: &Connection,
    clock: &Clock,
    query: &ProgressQuery,
) -> rusqlite::Result<ProgressBoard> {
    let pc = crate::store::progress_index::progress_clock(clock);
    let end = pc.board_end(query.month);
    let mut ends = pc.month_ends();
    if !ends.contains(&end) {
        ends.push(end);
    }
    Figures::computed(conn, pc, ends)?.board(conn, query, end)
}

/// A figure in a table cell: a count, or a share with its numerator and denominator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Figure {
    /// A number of patients or calls.
    Count(u64),
    /// A share.
    Ratio(Ratio),
}

impl Figure {
    /// The value columns sort by: the count, or the share (`None` without a denominator).
    pub fn sort_value(self) -> Option<f64> {
        match self {
            Figure::Count(n) => Some(n as f64),
            Figure::Ratio(r) => r.rate(),
        }
    }

    /// True when a patient's own figure puts them behind the group's: in the denominator, or a
    /// count above zero.
    pub fn applies(self) -> bool {
        match self {
            Figure::Count(n) => n > 0,
            Figure::Ratio(r) => r.denominator > 0,
        }
    }

    /// True when a patient's own figure counts in the numerator (or the count).
    pub fn meets(self) -> bool {
        match self {
            Figure::Count(n) => n > 0,
            Figure::Ratio(r) => r.numerator > 0,
        }
    }
}

/// A column of the Progress tables: one figure of a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Column {
    /// Enrolled active patients.
    Active,
    /// Patients on the worklist.
    Worklist,
    /// Calls in the month.
    Calls,
    /// Calls in the month with this outcome.
    Outcome(CallOutcome),
    /// HbA1c tested in 6 months.
    Hba1cTested,
    /// HbA1c poor control (QID 001).
    PoorControl,
    /// HbA1c < 7 %.
    Controlled,
    /// BP < 140/90.
    BpControlled,
    /// No visit in 3 months.
    MissedVisit,
    /// No visit in 12 months.
    Lost,
    /// 30-day readmissions.
    Readmitted,
    /// Overdue on the 1st (cascade).
    Overdue,
    /// Contactable, of the overdue.
    Contactable,
    /// Called, of the contactable.
    Called,
    /// Reached, of the called.
    Reached,
    /// Returned to care, of the reached.
    Returned,
}

impl Column {
    /// The site table's columns.
    pub const SITES: [Column; 13] = [
        Column::Active,
        Column::Hba1cTested,
        Column::PoorControl,
        Column::Controlled,
        Column::BpControlled,
        Column::MissedVisit,
        Column::Lost,
        Column::Readmitted,
        Column::Overdue,
        Column::Contactable,
        Column::Called,
        Column::Reached,
        Column::Returned,
    ];

    /// The indicators with a twelve-month trend.
    pub const TRENDS: [Column; 7] = [
        Column::Hba1cTested,
        Column::PoorControl,
        Column::Controlled,
        Column::BpControlled,
        Column::MissedVisit,
        Column::Lost,
        Column::Readmitted,
    ];

    /// The nurse table's columns: workload and call outcomes first, then the site table's.
    pub fn nurses() -> Vec<Column> {
        let mut c = vec![Column::Active, Column::Worklist, Column::Calls];
        c.extend(CallOutcome::ALL.iter().map(|o| Column::Outcome(*o)));
        c.extend(Column::SITES.iter().skip(1).copied());
        c
    }

    /// The message id of the column's short header; `-long` appended gives its description
    /// (outcomes: `outcome-<code>`).
    pub fn key(self) -> String {
        let base = match self {
            Column::Active => "ind-active",
            Column::Worklist => "ind-worklist",
            Column::Calls => "ind-calls",
            Column::Outcome(o) => return format!("outcome-short-{}", o.as_code()),
            Column::Hba1cTested => "ind-hba1c-tested",
            Column::PoorControl => "ind-poor-control",
            Column::Controlled => "ind-controlled",
            Column::BpControlled => "ind-bp-controlled",
            Column::MissedVisit => "ind-missed-visit",
            Column::Lost => "ind-lost",
            Column::Readmitted => "ind-readmitted",
            Column::Overdue => "ind-overdue",
            Column::Contactable => "ind-contactable",
            Column::Called => "ind-called",
            Column::Reached => "ind-reached",
            Column::Returned => "ind-returned",
        };
        format!("{base}-short")
    }

    /// A stable snake_case name for CSV headers ("poor_control", "calls_no_answer").
    pub fn code(self) -> String {
        match self {
            Column::Outcome(o) => format!("calls_{}", o.as_code()),
            other => other
                .key()
                .trim_start_matches("ind-")
                .trim_end_matches("-short")
                .replace('-', "_"),
        }
    }

    /// The catalogue's entry for the column's figure (`None` for the calls by outcome).
    pub fn measure(self) -> Option<&'static crate::domain::measures::Measure> {
        crate::domain::measures::measure(&self.code())
    }

    /// The column's one-line description in `i18n`'s language: the catalogue's label (which names
    /// the window), or for a call outcome its message.
    pub fn long_label(self, i18n: &crate::i18n::I18n) -> String {
        let ru = i18n.lang() == crate::i18n::Lang::Ru;
        match self.measure() {
            Some(m) => m.label.get(if ru { "ru" } else { "en" }).to_string(),
            None => i18n.t(&self.long_key()),
        }
    }

    /// The message id of the column's one-line description.
    pub fn long_key(self) -> String {
        match self {
            Column::Outcome(o) => format!("outcome-{}", o.as_code()),
            other => other.key().replace("-short", "-long"),
        }
    }

    /// `Some(true)` when a lower share is better, `Some(false)` when higher is, `None` for counts.
    pub fn lower_is_better(self) -> Option<bool> {
        match self {
            Column::PoorControl | Column::MissedVisit | Column::Lost | Column::Readmitted => {
                Some(true)
            }
            Column::Hba1cTested
            | Column::Controlled
            | Column::BpControlled
            | Column::Contactable
            | Column::Called
            | Column::Reached
            | Column::Returned => Some(false),
            _ => None,
        }
    }

    /// The group's figure in this column.
    pub fn figure(self, t: &Tally, x: &GroupExtras) -> Figure {
        let w = &x.workload;
        match self {
            Column::Active => Figure::Count(t.enrolled_active),
            Column::Worklist => Figure::Count(w.worklist),
            Column::Calls => Figure::Count(w.calls),
            Column::Outcome(o) => Figure::Count(w.by_outcome.get(&o).copied().unwrap_or(0)),
            Column::Overdue => Figure::Count(x.cascade.overdue),
            Column::Readmitted => Figure::Ratio(x.readmissions),
            Column::Contactable => Figure::Ratio(x.cascade.contactable),
            Column::Called => Figure::Ratio(x.cascade.called),
            Column::Reached => Figure::Ratio(x.cascade.reached),
            Column::Returned => Figure::Ratio(x.cascade.returned),
            tally => Figure::Ratio(tally.tally_ratio(t).unwrap_or_default()),
        }
    }

    fn tally_ratio(self, t: &Tally) -> Option<Ratio> {
        Some(match self {
            Column::Hba1cTested => t.hba1c_tested_6m,
            Column::PoorControl => t.hba1c_poor_control,
            Column::Controlled => t.hba1c_controlled,
            Column::BpControlled => t.bp_controlled,
            Column::MissedVisit => t.missed_visit_3m,
            Column::Lost => t.lost_to_follow_up_12m,
            _ => return None,
        })
    }

    /// The column's share in one month of the trends (`None` for columns without a trend).
    pub fn trend(self, m: &MonthPoint) -> Option<Ratio> {
        match self {
            Column::Readmitted => Some(m.readmissions),
            other => other.tally_ratio(&m.tally),
        }
    }
}
