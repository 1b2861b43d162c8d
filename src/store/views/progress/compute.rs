//! The Progress counters of every (site, nurse) group at each period end — read from the stored
//! index (`store::progress_index`), or computed on the spot for a clock or a period it does not
//! hold — and the board, the indicators and the trends summed from them. Both sources derive each
//! patient's counters with `domain::progress_facts::derive`, so their figures are the same.

use super::board::{GroupExtras, MonthPoint, ProgressBoard, ProgressQuery, Workload};
use super::{GroupTally, ProgressView};
use crate::domain::clock::{Clock, ClockKind};
use crate::domain::indicators::Period;
use crate::domain::progress_counts::{
    CALLS, Counts, PATIENTS, READMISSIONS, SERIES_READMISSIONS, WORKLIST,
};
use crate::domain::progress_facts::{ProgressClock, Rules, derive};
use crate::store::patient_feed::{Scope, for_each_patient};
use crate::store::progress_index;
use chrono::NaiveDate;
use rusqlite::Connection;
use std::collections::{BTreeMap, HashMap};

impl GroupExtras {
    /// A group's figures beyond the indicators, from its counters.
    pub(crate) fn of(c: &Counts) -> GroupExtras {
        GroupExtras {
            cascade: c.cascade(),
            readmissions: c.readmissions(READMISSIONS),
            workload: Workload {
                worklist: c.0[WORKLIST],
                calls: c.0[CALLS],
                by_outcome: c.by_outcome(),
            },
        }
    }
}

/// The display names of sites and nurses.
pub(crate) struct Names {
    sites: HashMap<String, String>,
    nurses: HashMap<String, String>,
}

impl Names {
    /// Reads every organization's and staff member's name.
    pub fn load(conn: &Connection) -> rusqlite::Result<Names> {
        let read = |sql: &str| -> rusqlite::Result<HashMap<String, String>> {
            let mut stmt = conn.prepare_cached(sql)?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            rows.collect()
        };
        Ok(Names {
            sites: read("SELECT id, name FROM organizations")?,
            nurses: read("SELECT id, name FROM staff")?,
        })
    }

    /// The display name of a site id ("" when unknown or unassigned).
    pub fn site(&self, id: &str) -> String {
        self.sites.get(id).cloned().unwrap_or_default()
    }

    /// The display name of a nurse id ("" when unknown or unassigned).
    pub fn nurse(&self, id: &str) -> String {
        self.nurses.get(id).cloned().unwrap_or_default()
    }
}

/// True when the stored index can answer for `clock` at period end `end`: it is fresh for the
/// clock, or is made so (a historical clock the index does not hold is computed on the spot
/// instead, leaving today's index alone).
pub(crate) fn use_stored(
    conn: &Connection,
    clock: &Clock,
    end: NaiveDate,
) -> rusqlite::Result<bool> {
    let pc = progress_index::progress_clock(clock);
    if !pc.month_ends().contains(&end) {
        return Ok(false);
    }
    if progress_index::is_fresh(conn, clock)? {
        return Ok(true);
    }
    if clock.kind == ClockKind::Historical {
        return Ok(false);
    }
    progress_index::ensure_fresh(conn, clock)?;
    Ok(true)
}

/// The counters of every (site, nurse) group at each period end.
pub(crate) struct Figures {
    /// The clock they were derived for.
    pub clock: ProgressClock,
    /// The period ends, in the order of each group's counters.
    pub ends: Vec<NaiveDate>,
    /// Per (site id, nurse id), the counters at each end.
    pub groups: BTreeMap<(String, String), Vec<Counts>>,
    /// Site and nurse names.
    pub names: Names,
}

impl Figures {
    /// The stored sums (the index must be fresh or at least current).
    pub fn stored(conn: &Connection, clock: ProgressClock) -> rusqlite::Result<Figures> {
        let ends = clock.month_ends();
        let mut groups: BTreeMap<(String, String), Vec<Counts>> = BTreeMap::new();
        for (end, site, nurse, counts) in progress_index::totals(conn)? {
            if let Some(i) = ends.iter().position(|e| *e == end) {
                groups
                    .entry((site, nurse))
                    .or_insert_with(|| vec![Counts::default(); ends.len()])[i] = counts;
            }
        }
        Ok(Figures {
            clock,
            ends,
            groups,
            names: Names::load(conn)?,
        })
    }

    /// Every enrolled patient's counters at `ends`, summed on the spot, one patient at a time.
    pub fn computed(
        conn: &Connection,
        clock: ProgressClock,
        ends: Vec<NaiveDate>,
    ) -> rusqlite::Result<Figures> {
        let (thresholds, calendar) = crate::store::worklist_index::rules();
        let rules = Rules {
            thresholds: &thresholds,
            calendar: &calendar,
        };
        let mut groups: BTreeMap<(String, String), Vec<Counts>> = BTreeMap::new();
        for_each_patient(conn, Scope::Enrolled, |record, details| {
            let months = derive(&record, &details, &clock, &ends, rules);
            let sums = groups
                .entry((details.site_id, details.nurse_id))
                .or_insert_with(|| vec![Counts::default(); ends.len()]);
            for (sum, m) in sums.iter_mut().zip(&months) {
                sum.merge(&m.counts);
            }
            Ok(())
        })?;
        Ok(Figures {
            clock,
            ends,
            groups,
            names: Names::load(conn)?,
        })
    }

    /// The figures a board for `clock` at `end` needs: stored when the index can answer, else
    /// computed at the trend's month ends and `end`.
    pub fn for_board(conn: &Connection, clock: &Clock, end: NaiveDate) -> rusqlite::Result<Self> {
        let pc = progress_index::progress_clock(clock);
        if use_stored(conn, clock, end)? {
            return Figures::stored(conn, pc);
        }
        let mut ends = pc.month_ends();
        if !ends.contains(&end) {
            ends.push(end);
        }
        Figures::computed(conn, pc, ends)
    }

    /// The groups with enrolled patients at end `i` that `keep` keeps, with their counters there.
    fn kept<'a>(
        &'a self,
        i: usize,
        keep: &'a dyn Fn(&str, &str) -> bool,
    ) -> impl Iterator<Item = (&'a str, &'a str, &'a Counts)> + 'a {
        self.groups
            .iter()
            .filter(move |((s, n), c)| keep(s, n) && c[i].0[PATIENTS] > 0)
            .map(move |((s, n), c)| (s.as_str(), n.as_str(), &c[i]))
    }

    /// The counters at end `i` of the pilot, per site and per nurse (each ordered by id).
    #[allow(clippy::type_complexity)]
    fn sums<'a>(
        &'a self,
        i: usize,
        keep: &'a dyn Fn(&str, &str) -> bool,
    ) -> (Counts, BTreeMap<&'a str, Counts>, BTreeMap<&'a str, Counts>) {
        let mut total = Counts::default();
        let mut sites: BTreeMap<&str, Counts> = BTreeMap::new();
        let mut nurses: BTreeMap<&str, Counts> = BTreeMap::new();
        for (site, nurse, c) in self.kept(i, keep) {
            total.merge(c);
            sites.entry(site).or_default().merge(c);
            nurses.entry(nurse).or_default().merge(c);
        }
        (total, sites, nurses)
    }

    /// The indicators of the rolling year ending at `ends[i]` for the groups `keep` keeps.
    pub fn view(&self, i: usize, keep: &dyn Fn(&str, &str) -> bool) -> ProgressView {
        let (total, sites, nurses) = self.sums(i, keep);
        self.view_of(i, &total, &sites, &nurses)
    }

    fn view_of(
        &self,
        i: usize,
        total: &Counts,
        sites: &BTreeMap<&str, Counts>,
        nurses: &BTreeMap<&str, Counts>,
    ) -> ProgressView {
        let group = |id: &str, c: &Counts, name: String| GroupTally {
            id: id.to_string(),
            name,
            tally: c.tally(),
        };
        ProgressView {
            period: Period::rolling_year(self.ends[i]),
            total: total.tally(),
            sites: sites
                .iter()
                .map(|(id, c)| group(id, c, self.names.site(id)))
                .collect(),
            nurses: nurses
                .iter()
                .map(|(id, c)| group(id, c, self.names.nurse(id)))
                .collect(),
        }
    }

    /// The Progress tab's board for `query` (`end` must be one of the ends).
    pub fn board(
        &self,
        conn: &Connection,
        query: &ProgressQuery,
        end: NaiveDate,
    ) -> rusqlite::Result<ProgressBoard> {
        let i = self.ends.iter().position(|e| *e == end).unwrap_or(0);
        let keep = |site: &str, nurse: &str| {
            query.site_id.as_deref().is_none_or(|s| s == site)
                && query.nurse_id.as_deref().is_none_or(|n| n == nurse)
        };
        let (total, sites, nurses) = self.sums(i, &keep);
        let view = self.view_of(i, &total, &sites, &nurses);
        let budget = crate::store::views::budget(conn, end).ok();
        let quality_gate = budget.as_ref().and_then(|b| b.gate());
        let savings_rate = budget
            .filter(|b| b.problem.is_none())
            .map(|b| b.projection.projected_savings_rate);
        let all = |_: &str, _: &str| true;
        let in_site = |site: &str, _: &str| query.site_id.as_deref().is_none_or(|s| s == site);
        Ok(ProgressBoard {
            query: query.clone(),
            as_of: self.clock.as_of,
            view,
            total: GroupExtras::of(&total),
            sites: sites.values().map(GroupExtras::of).collect(),
            nurses: nurses.values().map(GroupExtras::of).collect(),
            month: self.clock.cascade_month(end),
            series: self.series(&keep),
            savings_rate,
            quality_gate,
            site_options: self.options(i, &all, true, |id| self.names.site(id)),
            nurse_options: self.options(i, &in_site, false, |id| self.names.nurse(id)),
        })
    }

    /// The trend: the indicators at each of the clock's month ends, and readmissions by the month
    /// of discharge, for the groups `keep` keeps.
    fn series(&self, keep: &dyn Fn(&str, &str) -> bool) -> Vec<MonthPoint> {
        self.clock
            .month_ends()
            .into_iter()
            .filter_map(|end| {
                let i = self.ends.iter().position(|e| *e == end)?;
                let (total, _, _) = self.sums(i, keep);
                Some(MonthPoint {
                    end,
                    tally: total.tally(),
                    readmissions: total.readmissions(SERIES_READMISSIONS),
                })
            })
            .collect()
    }

    /// The distinct non-empty ids of the groups `within` (with enrolled patients), by name.
    fn options(
        &self,
        i: usize,
        within: &dyn Fn(&str, &str) -> bool,
        by_site: bool,
        name: impl Fn(&str) -> String,
    ) -> Vec<(String, String)> {
        let mut ids: Vec<&str> = self
            .kept(i, within)
            .map(|(s, n, _)| if by_site { s } else { n })
            .filter(|id| !id.is_empty())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        let mut out: Vec<(String, String)> = ids
            .into_iter()
            .map(|id| (id.to_string(), name(id)))
            .collect();
        out.sort_by(|a, b| (&a.1, &a.0).cmp(&(&b.1, &b.0)));
        out
    }
}
