//! The per-patient figures behind the Progress board and its patient lists: one patient's tally,
//! cascade stage, readmissions and calls, summed into groups. A group's figures are the sum of its
//! patients' own, so the list behind a figure always adds up to it.

use super::board::{GroupExtras, MonthPoint, ProgressBoard, ProgressQuery};
use super::history::{History, PatientHistory};
use crate::domain::clock::Clock;
use crate::domain::indicators::{
    CascadeCall, CascadeFacts, CascadeMonth, Period, Ratio, Tally, cascade_stage, month_ends,
};
use crate::domain::readmission::{PatientStays, ReadmissionPeriod, evaluate_patient};
use crate::domain::types::PatientStatus;
use crate::domain::worklist::evaluate;
use chrono::{Datelike, NaiveDate};
use rusqlite::Connection;
use std::collections::BTreeMap;

/// Months in the trends.
pub(crate) const TREND_MONTHS: u32 = 12;

/// One patient's figures.
#[derive(Debug, Clone, Default)]
pub(crate) struct PatientFigures {
    pub tally: Tally,
    pub extras: GroupExtras,
}

/// The register loaded once, with the answers that need every patient at once (who was on the
/// worklist on the 1st and at the period's end).
pub(crate) struct Computed {
    pub history: History,
    pub query: ProgressQuery,
    pub as_of: NaiveDate,
    /// The indicators' period: the rolling year ending on the chosen month's end (or as-of).
    pub period: Period,
    pub month: CascadeMonth,
    /// Per patient: on the worklist on the 1st of the month (calls after the 1st ignored).
    overdue: Vec<bool>,
    /// Per patient: on the worklist at the period's end.
    on_worklist: Vec<bool>,
    /// Per patient: within the chosen site and nurse.
    pub keep: Vec<bool>,
}

impl Computed {
    /// Loads the register and evaluates the worklist on the two days the board needs.
    pub fn new(conn: &Connection, clock: &Clock, query: &ProgressQuery) -> rusqlite::Result<Self> {
        let history = History::load(conn, true)?;
        let as_of = clock.as_of;
        let end = query
            .month
            .map(crate::domain::indicators::cascade::month_last)
            .filter(|d| *d < as_of)
            .unwrap_or(as_of);
        // The current month counts the calls the clock counts (the demo's fixed clock counts calls
        // logged now); a past month stands as it was on its last day.
        let calls_until = if end == as_of {
            clock.calls_until()
        } else {
            end
        };
        let month = CascadeMonth::of(end, as_of, calls_until);
        let overdue = worklist_flags(&history, month.first, month.first);
        let on_worklist = worklist_flags(&history, end, calls_until);
        let keep = history
            .patients
            .iter()
            .map(|p| {
                query.site_id.as_ref().is_none_or(|s| *s == p.site_id)
                    && query.nurse_id.as_ref().is_none_or(|n| *n == p.nurse_id)
            })
            .collect();
        Ok(Computed {
            history,
            query: query.clone(),
            as_of,
            period: Period::rolling_year(end),
            month,
            overdue,
            on_worklist,
            keep,
        })
    }

    /// The kept patients with their index.
    pub fn kept(&self) -> impl Iterator<Item = (usize, &PatientHistory)> {
        self.history
            .patients
            .iter()
            .enumerate()
            .filter(|(i, _)| self.keep[*i])
    }

    /// One patient's figures for the chosen period and month.
    pub fn patient(&self, i: usize) -> PatientFigures {
        let p = &self.history.patients[i];
        let mut tally = Tally::default();
        tally.add(&History::indicator_facts(p, self.period.to), &self.period);
        let calls: Vec<CascadeCall> = p
            .record
            .calls
            .iter()
            .map(|c| CascadeCall {
                on: c.at.date(),
                reached: c.outcome.is_contact(),
            })
            .collect();
        let mut x = GroupExtras::default();
        x.cascade.add_stage(cascade_stage(
            &CascadeFacts {
                overdue_on_first: self.overdue[i],
                has_phone: p.has_phone,
                calls: &calls,
                visits: &p.visits,
            },
            &self.month,
        ));
        x.readmissions = readmissions(p, &ReadmissionPeriod::default_for(self.period.to));
        x.workload.worklist = u64::from(self.on_worklist[i]);
        for c in &p.record.calls {
            let day = c.at.date();
            if self.month.first <= day && day <= self.month.last {
                x.workload.calls += 1;
                *x.workload.by_outcome.entry(c.outcome).or_default() += 1;
            }
        }
        PatientFigures { tally, extras: x }
    }

    /// Sums the kept patients into the board.
    pub fn board(&self, conn: &Connection) -> rusqlite::Result<ProgressBoard> {
        let mut total = GroupExtras::default();
        let mut sites: BTreeMap<&str, GroupExtras> = BTreeMap::new();
        let mut nurses: BTreeMap<&str, GroupExtras> = BTreeMap::new();
        let mut tallies = Vec::new();
        for (i, p) in self.kept() {
            let f = self.patient(i);
            total.merge(&f.extras);
            sites.entry(&p.site_id).or_default().merge(&f.extras);
            nurses.entry(&p.nurse_id).or_default().merge(&f.extras);
            tallies.push((p, f.tally));
        }
        let view = super::group_view(&self.history, self.period, tallies);
        let savings_rate = crate::store::views::budget(conn, self.period.to)
            .ok()
            .filter(|b| b.problem.is_none())
            .map(|b| b.projection.projected_savings_rate);
        Ok(ProgressBoard {
            query: self.query.clone(),
            as_of: self.as_of,
            view,
            total,
            sites: sites.into_values().collect(),
            nurses: nurses.into_values().collect(),
            month: self.month,
            series: self.series(),
            savings_rate,
            site_options: self.options(|_| true, |p| &p.site_id, |id| self.history.site_name(id)),
            nurse_options: self.options(
                |p| self.query.site_id.as_ref().is_none_or(|s| *s == p.site_id),
                |p| &p.nurse_id,
                |id| self.history.nurse_name(id),
            ),
        })
    }

    /// The distinct non-empty ids of the patients `within`, by name.
    fn options(
        &self,
        within: impl Fn(&PatientHistory) -> bool,
        id: impl Fn(&PatientHistory) -> &String,
        name: impl Fn(&str) -> String,
    ) -> Vec<(String, String)> {
        let mut ids: Vec<&String> = self
            .history
            .patients
            .iter()
            .filter(|p| within(p))
            .map(id)
            .filter(|id| !id.is_empty())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        let mut out: Vec<(String, String)> =
            ids.into_iter().map(|id| (id.clone(), name(id))).collect();
        out.sort_by(|a, b| (&a.1, &a.0).cmp(&(&b.1, &b.0)));
        out
    }

    /// The twelve month ends up to as-of, for the kept patients.
    fn series(&self) -> Vec<MonthPoint> {
        let ends = month_ends(self.as_of, TREND_MONTHS);
        let mut points: Vec<MonthPoint> = ends
            .iter()
            .map(|end| MonthPoint {
                end: *end,
                tally: Tally::default(),
                readmissions: Ratio::default(),
            })
            .collect();
        let periods: Vec<Period> = ends.iter().map(|e| Period::rolling_year(*e)).collect();
        let first = ends.first().map_or(self.as_of, |e| {
            crate::domain::indicators::cascade::month_first(*e)
        });
        let readmission_period = ReadmissionPeriod {
            from: first,
            to: self.as_of,
            as_of: self.as_of,
        };
        for (_, p) in self.kept() {
            for (point, period) in points.iter_mut().zip(&periods) {
                point
                    .tally
                    .add(&History::indicator_facts(p, period.to), period);
            }
            for o in evaluate_patient(
                &PatientStays::new(&p.record.id, p.record.death_date, &p.stays),
                &readmission_period,
            ) {
                let Some(discharged) = o.index.discharged.filter(|_| !o.open_window) else {
                    continue;
                };
                let month = (discharged.year(), discharged.month());
                if let Some(point) = points
                    .iter_mut()
                    .find(|m| (m.end.year(), m.end.month()) == month)
                {
                    point.readmissions.denominator += 1;
                    point.readmissions.numerator += u64::from(o.readmitted());
                }
            }
        }
        points
    }
}

/// One patient's readmissions in `period`: readmitted / index stays with a closed window.
pub(crate) fn readmissions(p: &PatientHistory, period: &ReadmissionPeriod) -> Ratio {
    let mut r = Ratio::default();
    if p.stays.is_empty() {
        return r;
    }
    let stays = PatientStays::new(&p.record.id, p.record.death_date, &p.stays);
    for o in evaluate_patient(&stays, period) {
        if !o.open_window {
            r.denominator += 1;
            r.numerator += u64::from(o.readmitted());
        }
    }
    r
}

/// Per patient: on the worklist as of `as_of` counting calls up to `calls_until`: the verdict
/// `views::worklist` gives, from the same derivation of the facts (`PatientRecord::facts`) and the
/// same rules (default thresholds, Russia's calendar). Only active patients can be on it.
pub(crate) fn worklist_flags(
    history: &History,
    as_of: NaiveDate,
    calls_until: NaiveDate,
) -> Vec<bool> {
    let (thresholds, calendar) = crate::store::worklist_index::rules();
    history
        .patients
        .iter()
        .map(|p| {
            p.record.status == PatientStatus::Active
                && evaluate(
                    &p.record.facts(as_of, calls_until),
                    as_of,
                    &thresholds,
                    &calendar,
                )
                .is_some()
        })
        .collect()
}
