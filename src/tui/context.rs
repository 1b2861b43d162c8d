//! What every part of the TUI needs to know: fixed while it runs, except the date of a dashboard
//! working on today, which rolls over at midnight.

use super::keymap::Keymap;
use super::theme::Theme;
use crate::config::Config;
use crate::domain::clock::Clock;
use crate::domain::pilot::PilotInfo;
use crate::i18n::I18n;
use chrono::NaiveDate;
use std::path::PathBuf;
use std::sync::Mutex;

/// The fixed context of a TUI session.
#[derive(Debug)]
pub struct AppContext {
    /// The register's path (the worker opens its own connection to it).
    pub db_path: PathBuf,
    /// Strings and formatting in the user's language.
    pub i18n: I18n,
    /// The user's configuration.
    pub config: Config,
    /// Key bindings.
    pub keymap: Keymap,
    /// Styles.
    pub theme: Theme,
    /// The date lists are computed for (today, the demo's date, or `--as-of`).
    pub clock: RollingClock,
    /// The pilot's identity.
    pub pilot: PilotInfo,
    /// This register's device id (recorded with each call).
    pub device: String,
}

impl AppContext {
    /// The pilot's name in the user's language.
    pub fn pilot_name(&self) -> &str {
        match self.i18n.lang() {
            crate::i18n::Lang::En if !self.pilot.name_en.is_empty() => &self.pilot.name_en,
            _ => &self.pilot.name,
        }
    }
}

/// The session's clock, shared by the screen and the worker. A clock on today moves to the new
/// date when the worker notices midnight has passed ([`RollingClock::roll_to`]), so a dashboard
/// left open overnight shows the new day's list; a fixed or historical clock never moves.
#[derive(Debug)]
pub struct RollingClock(Mutex<Clock>);

impl RollingClock {
    /// A clock starting at `clock`.
    pub fn new(clock: Clock) -> RollingClock {
        RollingClock(Mutex::new(clock))
    }

    /// The clock now.
    pub fn get(&self) -> Clock {
        match self.0.lock() {
            Ok(c) => *c,
            Err(poisoned) => *poisoned.into_inner(),
        }
    }

    /// Moves a clock on today to `today` when that is a later date; true when it moved.
    pub fn roll_to(&self, today: NaiveDate) -> bool {
        let mut clock = match self.0.lock() {
            Ok(c) => c,
            Err(poisoned) => poisoned.into_inner(),
        };
        if clock.kind == crate::domain::clock::ClockKind::Today && today > clock.as_of {
            clock.as_of = today;
            true
        } else {
            false
        }
    }
}

impl From<Clock> for RollingClock {
    fn from(clock: Clock) -> RollingClock {
        RollingClock::new(clock)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::clock::ClockKind;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).unwrap()
    }

    #[test]
    fn a_clock_on_today_rolls_forward_only() {
        let clock = RollingClock::new(Clock::today(day(6)));
        assert!(!clock.roll_to(day(6)), "the same day is no roll");
        assert!(
            !clock.roll_to(day(5)),
            "a clock set back by the system does not move the list back"
        );
        assert!(clock.roll_to(day(7)));
        assert_eq!(clock.get().as_of, day(7));
    }

    #[test]
    fn fixed_and_historical_clocks_never_move() {
        for kind in [ClockKind::Fixed, ClockKind::Historical] {
            let clock = RollingClock::new(Clock {
                as_of: day(6),
                kind,
            });
            assert!(!clock.roll_to(day(7)));
            assert_eq!(clock.get().as_of, day(6));
        }
    }
}
