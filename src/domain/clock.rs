//! Which day the figures are computed for, and which logged calls count.

use chrono::NaiveDate;

/// How the as-of date was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockKind {
    /// Today: the normal working mode.
    Today,
    /// The register's own fixed date (the demo): its data stops there, but calls the user logs
    /// now still count, so working the demo's worklist behaves as it would for real.
    Fixed,
    /// `--as-of`: the figures as they were on that date; later calls are ignored.
    Historical,
}

/// The as-of date and how it was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    /// The date lists and figures are computed for.
    pub as_of: NaiveDate,
    /// How it was chosen.
    pub kind: ClockKind,
}

impl Clock {
    /// Today.
    pub fn today(as_of: NaiveDate) -> Clock {
        Clock {
            as_of,
            kind: ClockKind::Today,
        }
    }

    /// The last date of calls that count.
    pub fn calls_until(&self) -> NaiveDate {
        match self.kind {
            // The end of time as a date every store can write and compare as text (9999-12-31).
            ClockKind::Fixed => NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(NaiveDate::MAX),
            ClockKind::Today | ClockKind::Historical => self.as_of,
        }
    }

    /// True when the as-of date is not today (the header says so).
    pub fn is_fixed(&self) -> bool {
        self.kind != ClockKind::Today
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_clocks_count_every_call_and_the_date_round_trips_as_text() {
        let as_of = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        let fixed = Clock {
            as_of,
            kind: ClockKind::Fixed,
        };
        let until = fixed.calls_until();
        assert!(until > NaiveDate::from_ymd_opt(3000, 1, 1).unwrap());
        assert_eq!(until.to_string().parse::<NaiveDate>().unwrap(), until);
        assert!(
            "2026-11-23" <= until.to_string().as_str(),
            "compares as text too"
        );
        assert_eq!(Clock::today(as_of).calls_until(), as_of);
    }
}
