//! How long a patient's Progress figures hold: the first day after the as-of date on which any of
//! the patient's counters at the trend's period ends can differ, within the same month and without
//! new data. The stored Progress index recomputes a patient on that day only, so a new morning
//! costs the patients whose figures can change, not the register.
//!
//! Between the as-of date and that day the figures change only through:
//! - **new data** in the record dated after the as-of date (a reading, a visit, a stay, a call, a
//!   diagnosis, a death or a move recorded ahead): the day it happens;
//! - **the worklist verdict** behind the worklist counter: its own recheck day
//!   (`domain::worklist::recheck_on`, the same rules, no second copy);
//! - **month windows** the indicators compare dates with (`domain::indicators`): a visit in the
//!   last 3 months, HbA1c tested in the last 6, hypertension diagnosed before the year's seventh
//!   month, the rolling year of every other indicator (and being enrolled 12 months for
//!   lost-to-follow-up) — for the latest reading, visit and blood-pressure day and every dated
//!   status and diagnosis, the day the window passes it;
//! - **a birthday** (the measures' age bands);
//! - **readmission windows** closing (30 days after a discharge) and stays leaving the year.
//!
//! A new month moves every period end and the cascade's month: the store rebuilds then. Each
//! boundary is the exact first day of the new state (month arithmetic clamps at the 29th–31st, so
//! the day is found by looking at the few days around the estimate); where a rule's form is not
//! known exactly here (the readmission window's open/closed edge) the days either side are
//! rechecks too: an early recheck costs one patient's derivation, a late one would show a stale
//! figure. A property test walks random patients day by day against a full derivation
//! (`tests.rs`).

use super::{ProgressClock, Rules, Timeline, last_until};
use crate::domain::dates::age_at;
use crate::domain::measures::follow_up::LOST_TO_FOLLOW_UP_MONTHS;
use crate::domain::readmission::READMISSION_WINDOW_DAYS;
use crate::domain::worklist::recheck_on as worklist_recheck_on;
use chrono::{Datelike, Days, Months, NaiveDate};

/// The 30-day readmission window (`domain::readmission`).
const WINDOW_DAYS: u64 = READMISSION_WINDOW_DAYS.unsigned_abs();

/// How far from its month-arithmetic estimate a window's flip can fall (the 29th–31st clamp).
const CLAMP_DAYS: u64 = 4;

/// Collects the candidate days; only those after the as-of date count.
struct Candidates {
    as_of: NaiveDate,
    first: Option<NaiveDate>,
}

/// The first day from `from` (looking `2 × CLAMP_DAYS` days on) on which `holds` is true; `from`
/// itself when none is (an early recheck is only a wasted derivation).
fn first_day(from: NaiveDate, holds: impl Fn(NaiveDate) -> bool) -> NaiveDate {
    from.iter_days()
        .take((2 * CLAMP_DAYS + 1) as usize)
        .find(|d| holds(*d))
        .unwrap_or(from)
}

fn months_before(d: NaiveDate, months: u32) -> Option<NaiveDate> {
    d.checked_sub_months(Months::new(months))
}

/// Where to start looking for the flip of a window of `months` over `date`.
fn clamp_from(date: NaiveDate, months: u32) -> Option<NaiveDate> {
    date.checked_add_months(Months::new(months))?
        .checked_sub_days(Days::new(CLAMP_DAYS))
}

impl Candidates {
    fn push(&mut self, day: NaiveDate) {
        if day > self.as_of && self.first.is_none_or(|f| day < f) {
            self.first = Some(day);
        }
    }

    /// `date > end − months`: the rolling windows (`Period::rolling_year`, a visit in 3
    /// months, HbA1c tested in 6). The exact first day it stops holding.
    fn push_rolling(&mut self, date: NaiveDate, months: u32) {
        if let Some(from) = clamp_from(date, months) {
            self.push(first_day(from, |e| {
                months_before(e, months).is_some_and(|b| b >= date)
            }));
        }
    }

    /// `date + months ≤ end` (`measures::follow_up`: enrolled long enough, no contact since).
    fn push_passed(&mut self, date: NaiveDate, months: u32) {
        if let Some(day) = date.checked_add_months(Months::new(months)) {
            self.push(day);
        }
    }

    /// `date < (end − 12 months + 1 day) + 6 months`: hypertension diagnosed before the
    /// measurement year's seventh month (CMS165).
    fn push_half_year(&mut self, date: NaiveDate) {
        if let Some(from) = clamp_from(date, 6) {
            self.push(first_day(from, |e| {
                months_before(e, 12)
                    .and_then(|b| b.succ_opt())
                    .and_then(|b| b.checked_add_months(Months::new(6)))
                    .is_some_and(|b| b > date)
            }));
        }
    }
}

impl Timeline<'_> {
    /// The first day after `clock.as_of` on which this patient's figures at the clock's period
    /// ends can differ; `None` when nothing can change this month without new data.
    pub(super) fn recheck_on(&self, clock: &ProgressClock, rules: Rules<'_>) -> Option<NaiveDate> {
        let as_of = clock.as_of;
        let mut c = Candidates { as_of, first: None };
        let facts = self.record.facts(as_of, clock.calls_until);
        // New data dated ahead, and the worklist's own flips.
        if let Some(day) = worklist_recheck_on(
            self.record,
            &facts,
            as_of,
            clock.calls_until,
            rules.thresholds,
            rules.calendar,
        ) {
            c.push(day);
        }
        let dated = [
            self.record.death_date,
            self.record.moved_on,
            self.record.enrolled_on,
            self.details.moved_on,
            self.details.palliative_since,
        ];
        for day in dated.into_iter().flatten() {
            c.push(day);
        }
        for call in &self.calls {
            c.push(call.on);
        }
        for day in &self.visits {
            c.push(*day);
        }
        // Month windows, as `Tally::add` reads each date (`domain::indicators`).
        let upto = |d: &NaiveDate| *d <= as_of;
        if let Some((d, _)) = last_until(&self.hba1c, as_of, |h| h.0) {
            c.push_rolling(*d, 6);
            c.push_rolling(*d, 12);
        }
        for days in [&self.bp, &self.bp_ambulatory] {
            if let Some(b) = last_until(days, as_of, |b| b.date) {
                c.push_rolling(b.date, 12);
            }
        }
        if let Some(d) = last_until(&self.visits, as_of, |d| *d) {
            c.push_rolling(*d, 3);
            c.push_rolling(*d, 12);
            c.push_passed(*d, LOST_TO_FOLLOW_UP_MONTHS);
        }
        for d in dated.into_iter().flatten().filter(upto) {
            c.push_rolling(d, 12);
        }
        if let Some(d) = self.record.enrolled_on.filter(upto) {
            c.push_passed(d, LOST_TO_FOLLOW_UP_MONTHS);
        }
        for (d, _) in self.conditions.iter().filter(|(d, _)| upto(d)) {
            c.push_rolling(*d, 12);
            c.push_half_year(*d);
        }
        // Birthdays: the measures' age bands (29 February counted as the calendar does).
        if let Some(birth) = self.details.birth_date {
            for year in [as_of.year(), as_of.year() + 1] {
                let day = NaiveDate::from_ymd_opt(year, birth.month(), birth.day())
                    .or_else(|| NaiveDate::from_ymd_opt(year, birth.month(), 28));
                if let Some(from) = day.and_then(|d| d.checked_sub_days(Days::new(CLAMP_DAYS))) {
                    c.push(first_day(from, |e| {
                        e.pred_opt()
                            .is_some_and(|p| age_at(birth, e) != age_at(birth, p))
                    }));
                }
            }
        }
        // Readmission windows closing (30 days after a discharge, a day either side for the
        // open/closed boundary), and stays and their windows leaving the year.
        for stay in &self.stays {
            for day in [Some(stay.admitted), stay.discharged].into_iter().flatten() {
                c.push(day);
                let leaves = day
                    .checked_add_months(Months::new(12))
                    .and_then(|e| e.checked_sub_days(Days::new(CLAMP_DAYS)))
                    .map(|from| {
                        first_day(from, |e| months_before(e, 12).is_some_and(|b| b >= day))
                    });
                for from in [Some(day), leaves].into_iter().flatten() {
                    for days in WINDOW_DAYS - 1..=WINDOW_DAYS + 1 {
                        if let Some(d) = from.checked_add_days(Days::new(days)) {
                            c.push(d);
                        }
                    }
                }
            }
        }
        c.first
    }
}
