//! The catalogue's active population, one definition for Progress's figures and the Worklist's
//! lost-to-follow-up list (kept apart from the catalogue's `mod.rs`, which reads
//! `domain::indicators`, so that the indicators can ask it without a cycle of files).

use crate::domain::types::PatientStatus;
use chrono::NaiveDate;

/// The catalogue's active population on `end` (every "Enrolled patients active …" population):
/// enrolled by then (an unknown enrolment date counts as long ago), not dead and not moved away by
/// then (a dead or moved status without its date counts as before `end`). Progress's figures and
/// the Worklist's lost-to-follow-up list both ask this, so both count the same patients on any
/// as-of date.
pub fn active_at(
    status: PatientStatus,
    enrolled_on: Option<NaiveDate>,
    death_date: Option<NaiveDate>,
    moved_on: Option<NaiveDate>,
    end: NaiveDate,
) -> bool {
    let died_by_end = death_date.is_some_and(|d| d <= end)
        || (status == PatientStatus::Dead && death_date.is_none());
    let moved_by_end = moved_on.is_some_and(|d| d <= end)
        || (status == PatientStatus::Moved && moved_on.is_none());
    enrolled_on.is_none_or(|d| d <= end) && !died_by_end && !moved_by_end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_active_population_is_decided_by_the_dates_on_the_day() {
        use crate::domain::types::PatientStatus::{Active, Dead, Moved};
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        let end = d(9, 30);
        assert!(active_at(Active, Some(d(1, 1)), None, None, end));
        assert!(
            active_at(Active, None, None, None, end),
            "unknown enrolment"
        );
        assert!(
            !active_at(Active, Some(d(10, 1)), None, None, end),
            "enrolled later"
        );
        assert!(
            active_at(Dead, Some(d(1, 1)), Some(d(10, 1)), None, end),
            "died later"
        );
        assert!(!active_at(Dead, Some(d(1, 1)), Some(d(9, 30)), None, end));
        assert!(
            !active_at(Dead, Some(d(1, 1)), None, None, end),
            "dead, no date"
        );
        assert!(
            active_at(Moved, Some(d(1, 1)), None, Some(d(10, 1)), end),
            "moved later"
        );
        assert!(
            !active_at(Moved, Some(d(1, 1)), None, None, end),
            "moved, no date"
        );
    }
}
