//! The call cascade of one month, and the month ends the Progress trends are computed at.
//!
//! The cascade follows the patients who were on the worklist on the 1st of the month through the
//! nurses' calls of that month. Each stage is a subset of the one before it, so the bars only ever
//! shrink and each share is "of the previous stage":
//!
//! 1. **overdue on the 1st** — on the worklist as of the 1st (the worklist rules, calls logged
//!    after the 1st ignored);
//! 2. **contactable** — of those, a phone number on record;
//! 3. **called** — of those, at least one call dated in the month (corrected calls count once);
//! 4. **reached** — of those, at least one call of the month whose outcome is a contact
//!    (`CallOutcome::is_contact`);
//! 5. **returned to care** — of those, a visit (an encounter, or a measurement at a network site)
//!    dated from the day of the month's first call to [`RETURN_WITHIN_DAYS`] days after it, both
//!    inclusive (a same-day visit after a morning call counts). Visits after the as-of date are not
//!    known yet, so the last stage of the current month still grows.

use super::Ratio;
use chrono::{Datelike, Days, Months, NaiveDate};
use serde::Serialize;

/// A visit this many days after the month's first call still counts as a return to care.
pub const RETURN_WITHIN_DAYS: u64 = 15;

/// The 1st of `d`'s month.
pub fn month_first(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

/// The last day of `d`'s month.
pub fn month_last(d: NaiveDate) -> NaiveDate {
    month_first(d)
        .checked_add_months(Months::new(1))
        .and_then(|n| n.pred_opt())
        .unwrap_or(d)
}

/// The ends of the `count` months up to `as_of`, oldest first: every earlier month ends on its last
/// day, the month of `as_of` ends on `as_of` itself (its later days have not happened yet).
pub fn month_ends(as_of: NaiveDate, count: u32) -> Vec<NaiveDate> {
    let first = month_first(as_of);
    let mut ends: Vec<NaiveDate> = (1..count)
        .rev()
        .filter_map(|back| first.checked_sub_months(Months::new(back)))
        .map(month_last)
        .collect();
    ends.push(as_of);
    ends
}

/// The month a cascade is counted for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CascadeMonth {
    /// The 1st of the month: who was overdue that morning.
    pub first: NaiveDate,
    /// The last day whose calls count: the month's last day, or earlier in the current month.
    pub last: NaiveDate,
    /// Visits after this day are not known yet (the as-of date).
    pub visits_until: NaiveDate,
}

impl CascadeMonth {
    /// The month of `month_end`, with calls counted up to `calls_until` and visits known up to
    /// `as_of`.
    pub fn of(month_end: NaiveDate, as_of: NaiveDate, calls_until: NaiveDate) -> CascadeMonth {
        CascadeMonth {
            first: month_first(month_end),
            last: month_last(month_end).min(calls_until),
            visits_until: as_of,
        }
    }

    fn contains(&self, d: NaiveDate) -> bool {
        self.first <= d && d <= self.last
    }
}

/// One follow-up call as the cascade sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CascadeCall {
    /// The day of the call.
    pub on: NaiveDate,
    /// The outcome was a contact (`CallOutcome::is_contact`).
    pub reached: bool,
}

/// What the cascade needs to know about one patient; calls and visits may be in any order and
/// outside the month (they are filtered here).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CascadeFacts<'a> {
    /// On the worklist on the 1st of the month.
    pub overdue_on_first: bool,
    /// A phone number on record.
    pub has_phone: bool,
    /// The patient's calls (corrected calls already replaced by their correction).
    pub calls: &'a [CascadeCall],
    /// The patient's visit days.
    pub visits: &'a [NaiveDate],
}

/// How far down the cascade one patient got, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CascadeStage {
    /// Not on the worklist on the 1st: outside the cascade.
    NotOverdue,
    /// Overdue, but no phone on record.
    Overdue,
    /// Has a phone, not called in the month.
    Contactable,
    /// Called, never reached.
    Called,
    /// Reached, no visit within the days after the first call.
    Reached,
    /// Came back to care after the first call.
    Returned,
}

/// The stage one patient reached in `month` (see the module documentation for the rule).
pub fn cascade_stage(f: &CascadeFacts<'_>, month: &CascadeMonth) -> CascadeStage {
    if !f.overdue_on_first {
        return CascadeStage::NotOverdue;
    }
    if !f.has_phone {
        return CascadeStage::Overdue;
    }
    let in_month = || f.calls.iter().filter(|c| month.contains(c.on));
    let Some(first_call) = in_month().map(|c| c.on).min() else {
        return CascadeStage::Contactable;
    };
    if !in_month().any(|c| c.reached) {
        return CascadeStage::Called;
    }
    let until = first_call
        .checked_add_days(Days::new(RETURN_WITHIN_DAYS))
        .unwrap_or(first_call)
        .min(month.visits_until);
    if f.visits.iter().any(|v| first_call <= *v && *v <= until) {
        CascadeStage::Returned
    } else {
        CascadeStage::Reached
    }
}

/// The cascade of a group of patients: each share is of the stage before it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Cascade {
    /// On the worklist on the 1st.
    pub overdue: u64,
    /// With a phone, of the overdue.
    pub contactable: Ratio,
    /// Called in the month, of the contactable.
    pub called: Ratio,
    /// Reached, of the called.
    pub reached: Ratio,
    /// Returned to care within the days after the first call, of the reached.
    pub returned: Ratio,
}

impl Cascade {
    /// Counts one patient who got to `stage`.
    pub fn add_stage(&mut self, stage: CascadeStage) {
        if stage == CascadeStage::NotOverdue {
            return;
        }
        self.overdue += 1;
        let steps = [
            (&mut self.contactable, CascadeStage::Contactable),
            (&mut self.called, CascadeStage::Called),
            (&mut self.reached, CascadeStage::Reached),
            (&mut self.returned, CascadeStage::Returned),
        ];
        for (ratio, needed) in steps {
            ratio.denominator += 1;
            if stage < needed {
                return;
            }
            ratio.numerator += 1;
        }
    }

    /// Counts one patient.
    pub fn add(&mut self, f: &CascadeFacts<'_>, month: &CascadeMonth) {
        self.add_stage(cascade_stage(f, month));
    }

    /// Adds another group's cascade.
    pub fn merge(&mut self, o: &Cascade) {
        self.overdue += o.overdue;
        self.contactable += o.contactable;
        self.called += o.called;
        self.reached += o.reached;
        self.returned += o.returned;
    }

    /// The four shares as (message id, ratio), in cascade order.
    pub fn ratios(&self) -> [(&'static str, Ratio); 4] {
        [
            ("ind-contactable", self.contactable),
            ("ind-called", self.called),
            ("ind-reached", self.reached),
            ("ind-returned", self.returned),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn november() -> CascadeMonth {
        CascadeMonth::of(d(2026, 11, 30), d(2026, 12, 31), d(2026, 12, 31))
    }

    fn call(day: u32, reached: bool) -> CascadeCall {
        CascadeCall {
            on: d(2026, 11, day),
            reached,
        }
    }

    fn stage(
        overdue: bool,
        phone: bool,
        calls: &[CascadeCall],
        visits: &[NaiveDate],
    ) -> CascadeStage {
        cascade_stage(
            &CascadeFacts {
                overdue_on_first: overdue,
                has_phone: phone,
                calls,
                visits,
            },
            &november(),
        )
    }

    #[test]
    fn month_ends_end_on_as_of() {
        let ends = month_ends(d(2026, 3, 15), 4);
        assert_eq!(
            ends,
            vec![
                d(2025, 12, 31),
                d(2026, 1, 31),
                d(2026, 2, 28),
                d(2026, 3, 15)
            ]
        );
        assert_eq!(
            month_ends(d(2024, 3, 31), 2),
            vec![d(2024, 2, 29), d(2024, 3, 31)]
        );
        assert_eq!(month_ends(d(2026, 3, 15), 12).len(), 12);
    }

    #[test]
    fn each_stage_is_a_subset_of_the_previous() {
        let visit = [d(2026, 11, 12)];
        assert_eq!(
            stage(false, true, &[call(3, true)], &visit),
            CascadeStage::NotOverdue
        );
        assert_eq!(
            stage(true, false, &[call(3, true)], &visit),
            CascadeStage::Overdue
        );
        assert_eq!(stage(true, true, &[], &visit), CascadeStage::Contactable);
        assert_eq!(
            stage(true, true, &[call(3, false)], &visit),
            CascadeStage::Called
        );
        assert_eq!(
            stage(true, true, &[call(3, true)], &[]),
            CascadeStage::Reached
        );
        assert_eq!(
            stage(true, true, &[call(3, true)], &visit),
            CascadeStage::Returned
        );
    }

    #[test]
    fn only_calls_of_the_month_count() {
        let october = CascadeCall {
            on: d(2026, 10, 31),
            reached: true,
        };
        let december = CascadeCall {
            on: d(2026, 12, 1),
            reached: true,
        };
        assert_eq!(
            stage(true, true, &[october, december], &[]),
            CascadeStage::Contactable
        );
        // A no-answer in the month and a contact outside it: called, not reached.
        assert_eq!(
            stage(true, true, &[october, call(5, false)], &[]),
            CascadeStage::Called
        );
    }

    #[test]
    fn return_window_runs_from_the_first_call_for_fifteen_days() {
        let calls = [call(20, true), call(2, false)];
        // The first call is on the 2nd: the window is 2–17 November, both inclusive.
        assert_eq!(
            stage(true, true, &calls, &[d(2026, 11, 2)]),
            CascadeStage::Returned
        );
        assert_eq!(
            stage(true, true, &calls, &[d(2026, 11, 17)]),
            CascadeStage::Returned
        );
        assert_eq!(
            stage(true, true, &calls, &[d(2026, 11, 18)]),
            CascadeStage::Reached
        );
        assert_eq!(
            stage(true, true, &calls, &[d(2026, 11, 1)]),
            CascadeStage::Reached
        );
        // The window may run into the next month.
        let late = [call(25, true)];
        assert_eq!(
            stage(true, true, &late, &[d(2026, 12, 10)]),
            CascadeStage::Returned
        );
    }

    #[test]
    fn visits_after_as_of_are_not_known_yet() {
        let month = CascadeMonth::of(d(2026, 11, 20), d(2026, 11, 20), d(2026, 11, 20));
        assert_eq!(month.last, d(2026, 11, 20));
        let f = CascadeFacts {
            overdue_on_first: true,
            has_phone: true,
            calls: &[call(10, true), call(21, true)],
            visits: &[d(2026, 11, 22)],
        };
        assert_eq!(cascade_stage(&f, &month), CascadeStage::Reached);
    }

    #[test]
    fn tally_counts_each_stage_against_the_previous() {
        let mut c = Cascade::default();
        for s in [
            CascadeStage::NotOverdue,
            CascadeStage::Overdue,
            CascadeStage::Contactable,
            CascadeStage::Called,
            CascadeStage::Reached,
            CascadeStage::Returned,
            CascadeStage::Returned,
        ] {
            c.add_stage(s);
        }
        let r = |numerator, denominator| Ratio {
            numerator,
            denominator,
        };
        assert_eq!(c.overdue, 6);
        assert_eq!(c.contactable, r(5, 6));
        assert_eq!(c.called, r(4, 5));
        assert_eq!(c.reached, r(3, 4));
        assert_eq!(c.returned, r(2, 3));
        // A group's cascade is the sum of its patients' own.
        let mut merged = Cascade::default();
        for s in [
            CascadeStage::Returned,
            CascadeStage::Called,
            CascadeStage::NotOverdue,
        ] {
            let mut one = Cascade::default();
            one.add_stage(s);
            merged.merge(&one);
        }
        assert_eq!(
            (merged.overdue, merged.called, merged.returned),
            (2, r(2, 2), r(1, 1))
        );
    }
}
