//! Business-day calendars: which days the polyclinics and the care coordinators work.
//!
//! A business day is a Monday–Friday that is not a listed holiday, or a Saturday/Sunday that a
//! government decree made a working day (Russia's production calendar moves days off around public
//! holidays, so some Saturdays are worked). Deadlines such as "call within 2 business days of a
//! discharge" are computed here so that every surface agrees on them.
//!
//! Calendars are plain data parsed from TOML (`holidays = [...]`, `working_weekends = [...]`); the
//! built-in ones are embedded from `assets/calendars/`. Loading a user's file is the caller's job:
//! pass its text to [`Calendar::from_toml_str`].

use chrono::{Datelike, Days, NaiveDate, Weekday};
use std::collections::BTreeSet;
use std::fmt;
use std::sync::OnceLock;

/// The embedded Russian production calendar (2023–2027, 2027 provisional).
const RU_TOML: &str = include_str!("../../assets/calendars/ru.toml");
/// The embedded weekends-only calendar.
const NONE_TOML: &str = include_str!("../../assets/calendars/none.toml");

/// The keys a calendar file may contain.
const KEYS: &[&str] = &["holidays", "working_weekends", "description"];

/// A business-day calendar: weekends and listed holidays are days off, listed weekend days are worked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    name: String,
    holidays: BTreeSet<NaiveDate>,
    working_weekends: BTreeSet<NaiveDate>,
}

/// Why a calendar file was rejected; `key` names the offending key (with its index for list items).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarError {
    /// The calendar's name as passed to [`Calendar::from_toml_str`].
    pub calendar: String,
    /// The key at fault, e.g. `holidays[3]`; `None` for a TOML syntax error.
    pub key: Option<String>,
    /// What is wrong, in plain words.
    pub message: String,
}

impl fmt::Display for CalendarError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.key {
            Some(key) => write!(
                f,
                "calendar \"{}\": `{}`: {}",
                self.calendar, key, self.message
            ),
            None => write!(f, "calendar \"{}\": {}", self.calendar, self.message),
        }
    }
}

impl std::error::Error for CalendarError {}

impl Calendar {
    /// The Russian production calendar for 2023–2027 (embedded `assets/calendars/ru.toml`, named
    /// `ru`). Years outside that range fall back to weekends only; see [`Calendar::lists_year`].
    pub fn russia() -> Calendar {
        static RU: OnceLock<Calendar> = OnceLock::new();
        RU.get_or_init(|| {
            // The embedded file is checked by a unit test, so the fallback is never taken in practice.
            Calendar::from_toml_str("ru", RU_TOML).unwrap_or_else(|_| Calendar::empty("ru"))
        })
        .clone()
    }

    /// A calendar where only Saturdays and Sundays are days off (embedded `none.toml`, named `none`).
    pub fn weekends_only() -> Calendar {
        Calendar::from_toml_str("none", NONE_TOML).unwrap_or_else(|_| Calendar::empty("none"))
    }

    /// A built-in calendar by its code (`ru` or `none`, case-insensitive), for settings files.
    pub fn builtin(code: &str) -> Option<Calendar> {
        match code.trim().to_ascii_lowercase().as_str() {
            "ru" => Some(Calendar::russia()),
            "none" => Some(Calendar::weekends_only()),
            _ => None,
        }
    }

    /// The codes accepted by [`Calendar::builtin`].
    pub const BUILTIN: &'static [&'static str] = &["ru", "none"];

    fn empty(name: &str) -> Calendar {
        Calendar {
            name: name.to_string(),
            holidays: BTreeSet::new(),
            working_weekends: BTreeSet::new(),
        }
    }

    /// Parses a calendar file's text. Both lists are optional; dates are TOML dates (`2024-01-01`) or
    /// ISO strings. Rejected with an error naming the key: unknown keys, non-dates, a working weekend
    /// that is not a Saturday or Sunday, and a date listed both as a holiday and as a working day.
    pub fn from_toml_str(name: &str, text: &str) -> Result<Calendar, CalendarError> {
        let err = |key: Option<String>, message: String| CalendarError {
            calendar: name.to_string(),
            key,
            message,
        };
        let table: toml::Table = toml::from_str(text).map_err(|e| err(None, e.to_string()))?;
        let mut cal = Calendar::empty(name);
        for (key, value) in &table {
            match key.as_str() {
                "holidays" => {
                    cal.holidays = date_list(key, value).map_err(|(k, m)| err(Some(k), m))?
                }
                "working_weekends" => {
                    cal.working_weekends =
                        date_list(key, value).map_err(|(k, m)| err(Some(k), m))?
                }
                "description" if value.is_str() => {}
                "description" => return Err(err(Some(key.clone()), "expected a string".into())),
                _ => {
                    let message = format!("unknown key; expected one of {}", KEYS.join(", "));
                    return Err(err(Some(key.clone()), message));
                }
            }
        }
        if let Some(day) = cal.working_weekends.iter().find(|d| !is_weekend(**d)) {
            let message = format!("{day} is a {}, not a Saturday or Sunday", day.weekday());
            return Err(err(Some("working_weekends".into()), message));
        }
        if let Some(day) = cal.working_weekends.intersection(&cal.holidays).next() {
            let message = format!("{day} is also listed in `holidays`");
            return Err(err(Some("working_weekends".into()), message));
        }
        Ok(cal)
    }

    /// The calendar's name (`ru`, `none`, or the name given to [`Calendar::from_toml_str`]).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// True when `year` has at least one listed holiday, so the UI can warn when a deadline falls in
    /// a year the calendar file does not cover (there only weekends are skipped).
    pub fn lists_year(&self, year: i32) -> bool {
        self.holidays.iter().any(|d| d.year() == year)
    }

    /// True when `date` is a listed non-working day (public holiday or transferred day off).
    pub fn is_holiday(&self, date: NaiveDate) -> bool {
        self.holidays.contains(&date)
    }

    /// True when `date` is worked: a weekday that is not a holiday, or a transferred working weekend.
    pub fn is_business_day(&self, date: NaiveDate) -> bool {
        if is_weekend(date) {
            self.working_weekends.contains(&date)
        } else {
            !self.holidays.contains(&date)
        }
    }

    /// The `n`-th business day after `date` (`date` itself is not counted; `n = 0` returns `date`).
    /// Saturates at [`NaiveDate::MAX`] instead of overflowing.
    pub fn add_business_days(&self, date: NaiveDate, n: u32) -> NaiveDate {
        let mut cur = date;
        let mut left = i64::from(n);
        // Jump whole weeks while far from the target: a week holds at most 7 business days, so a
        // jump of left/7 weeks never overshoots.
        while left > 7 {
            let weeks = left / 7;
            let Some(next) = cur.checked_add_days(Days::new(weeks.unsigned_abs() * 7)) else {
                return NaiveDate::MAX;
            };
            left -= self.business_days_between(cur, next);
            cur = next;
        }
        while left > 0 {
            let Some(next) = cur.succ_opt() else {
                return NaiveDate::MAX;
            };
            cur = next;
            if self.is_business_day(cur) {
                left -= 1;
            }
        }
        cur
    }

    /// The first business day strictly after `date`.
    pub fn next_business_day(&self, date: NaiveDate) -> NaiveDate {
        self.add_business_days(date, 1)
    }

    /// `date` when it is a business day, otherwise the next one (moves a date off a holiday).
    pub fn business_day_on_or_after(&self, date: NaiveDate) -> NaiveDate {
        if self.is_business_day(date) {
            date
        } else {
            self.next_business_day(date)
        }
    }

    /// The number of business days in `(a, b]`: after `a`, up to and including `b`; negative (the
    /// count in `(b, a]`) when `b` is before `a`. So `add_business_days(a, between(a, b)) == b` for a
    /// business day `b` after `a`.
    pub fn business_days_between(&self, a: NaiveDate, b: NaiveDate) -> i64 {
        if b < a {
            return -self.business_days_between(b, a);
        }
        if a == b {
            return 0;
        }
        let after_a = match a.succ_opt() {
            Some(d) => d,
            None => return 0,
        };
        let weekdays = weekday_rank(b) - weekday_rank(a);
        let holidays = self
            .holidays
            .range(after_a..=b)
            .filter(|d| !is_weekend(**d))
            .count();
        let worked = self.working_weekends.range(after_a..=b).count();
        weekdays - count_i64(holidays) + count_i64(worked)
    }
}

/// Saturday or Sunday.
fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// A running count of Monday–Friday days: `rank(d) - rank(d - 1)` is 1 exactly for weekdays.
/// Day 0 is 0001-01-01, a Monday; Euclidean division keeps it right for earlier dates too.
fn weekday_rank(date: NaiveDate) -> i64 {
    let day = i64::from(date.num_days_from_ce()) - 1;
    let (weeks, rest) = (day.div_euclid(7), day.rem_euclid(7));
    weeks * 5 + (rest + 1).min(5)
}

fn count_i64(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Reads a list of dates; the error carries the key with the item's index.
fn date_list(key: &str, value: &toml::Value) -> Result<BTreeSet<NaiveDate>, (String, String)> {
    let items = value
        .as_array()
        .ok_or_else(|| (key.to_string(), "expected a list of dates".to_string()))?;
    let mut out = BTreeSet::new();
    for (i, item) in items.iter().enumerate() {
        let date = match item {
            toml::Value::Datetime(dt) => match (dt.date, dt.time, dt.offset) {
                (Some(d), None, None) => {
                    NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
                }
                _ => None,
            },
            toml::Value::String(s) => NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok(),
            _ => None,
        };
        match date {
            Some(d) => {
                out.insert(d);
            }
            None => {
                let message = format!("{item} is not a date like 2024-03-05");
                return Err((format!("{key}[{i}]"), message));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn business_days_in_year(cal: &Calendar, year: i32) -> i64 {
        cal.business_days_between(d(year - 1, 12, 31), d(year, 12, 31))
    }

    #[test]
    fn embedded_calendars_parse() {
        let ru = Calendar::from_toml_str("ru", RU_TOML).unwrap();
        assert_eq!(Calendar::russia(), ru);
        assert_eq!(ru.name(), "ru");
        let none = Calendar::from_toml_str("none", NONE_TOML).unwrap();
        assert_eq!(Calendar::weekends_only(), none);
        assert_eq!(none, Calendar::empty("none"));
        assert_eq!(Calendar::builtin(" RU "), Some(ru));
        assert_eq!(Calendar::builtin("none"), Some(none));
        assert_eq!(Calendar::builtin("fr"), None);
        for code in Calendar::BUILTIN {
            assert!(Calendar::builtin(code).is_some());
        }
    }

    #[test]
    fn russian_totals_match_the_official_production_calendars() {
        let ru = Calendar::russia();
        assert_eq!(business_days_in_year(&ru, 2023), 247);
        assert_eq!(business_days_in_year(&ru, 2024), 248);
        assert_eq!(business_days_in_year(&ru, 2025), 247);
        assert_eq!(business_days_in_year(&ru, 2026), 247);
        for year in 2023..=2027 {
            assert!(ru.lists_year(year));
        }
        assert!(!ru.lists_year(2028));
        assert!(!Calendar::weekends_only().lists_year(2025));
    }

    #[test]
    fn transferred_working_saturdays() {
        let ru = Calendar::russia();
        for sat in [
            d(2024, 4, 27),
            d(2024, 11, 2),
            d(2024, 12, 28),
            d(2025, 11, 1),
        ] {
            assert_eq!(sat.weekday(), Weekday::Sat);
            assert!(ru.is_business_day(sat), "{sat}");
            assert!(!Calendar::weekends_only().is_business_day(sat));
        }
        // Decree No. 1335 moved no day off to 27 December 2025: an ordinary Saturday.
        assert!(!ru.is_business_day(d(2025, 12, 27)));
        // Fri 26 Apr 2024 + 1 = the working Saturday; + 2 skips the 28 Apr–1 May days off.
        assert_eq!(ru.add_business_days(d(2024, 4, 26), 1), d(2024, 4, 27));
        assert_eq!(ru.add_business_days(d(2024, 4, 26), 2), d(2024, 5, 2));
    }

    #[test]
    fn russian_holidays_are_skipped() {
        let ru = Calendar::russia();
        // New Year 2026: 31 Dec 2025 to 11 Jan 2026 off.
        assert_eq!(ru.next_business_day(d(2025, 12, 30)), d(2026, 1, 12));
        assert_eq!(ru.add_business_days(d(2025, 12, 30), 2), d(2026, 1, 13));
        // 8 March 2024 is a Friday.
        assert!(!ru.is_business_day(d(2024, 3, 8)));
        assert_eq!(ru.add_business_days(d(2024, 3, 7), 1), d(2024, 3, 11));
        // 8 March 2026 is a Sunday: the day off moves to Monday 9 March.
        assert_eq!(ru.add_business_days(d(2026, 3, 6), 1), d(2026, 3, 10));
        // The 2025 bridge days: 2 May, 8 May, 13 June; 24 February 2025 is worked.
        assert!(!ru.is_business_day(d(2025, 5, 2)));
        assert!(!ru.is_business_day(d(2025, 6, 13)));
        assert!(ru.is_business_day(d(2025, 2, 24)));
        assert!(ru.is_holiday(d(2025, 5, 8)));
        assert!(!ru.is_holiday(d(2025, 5, 7)));
        // Year end 2024: 30 and 31 December off, then 1–8 January 2025.
        assert_eq!(ru.next_business_day(d(2024, 12, 27)), d(2024, 12, 28));
        assert_eq!(ru.next_business_day(d(2024, 12, 28)), d(2025, 1, 9));
    }

    #[test]
    fn weekends_only_calendar() {
        let cal = Calendar::weekends_only();
        let fri = d(2025, 1, 3);
        assert!(cal.is_business_day(d(2025, 1, 1)));
        assert_eq!(cal.add_business_days(fri, 0), fri);
        assert_eq!(cal.add_business_days(fri, 1), d(2025, 1, 6));
        assert_eq!(cal.add_business_days(fri, 2), d(2025, 1, 7));
        assert_eq!(cal.next_business_day(d(2025, 1, 4)), d(2025, 1, 6));
        assert_eq!(cal.business_day_on_or_after(d(2025, 1, 5)), d(2025, 1, 6));
        assert_eq!(cal.business_day_on_or_after(fri), fri);
        assert_eq!(cal.business_days_between(fri, d(2025, 1, 10)), 5);
        assert_eq!(cal.business_days_between(d(2025, 1, 10), fri), -5);
        assert_eq!(cal.business_days_between(fri, fri), 0);
        // 2024 is a leap year with 262 weekdays.
        assert_eq!(business_days_in_year(&cal, 2024), 262);
        assert_eq!(cal.add_business_days(d(2024, 2, 28), 1), d(2024, 2, 29));
    }

    #[test]
    fn rejects_bad_files_naming_the_key() {
        let e =
            Calendar::from_toml_str("x", "holidays = [2024-01-01, \"2024-13-01\"]").unwrap_err();
        assert_eq!(e.key.as_deref(), Some("holidays[1]"));
        assert!(e.to_string().contains("calendar \"x\""), "{e}");
        let e = Calendar::from_toml_str("x", "holiday = []").unwrap_err();
        assert_eq!(e.key.as_deref(), Some("holiday"));
        let e = Calendar::from_toml_str("x", "working_weekends = [2024-04-26]").unwrap_err();
        assert!(e.message.contains("Fri"), "{e}");
        let e = Calendar::from_toml_str(
            "x",
            "holidays = [2024-04-27]\nworking_weekends = [2024-04-27]",
        )
        .unwrap_err();
        assert_eq!(e.key.as_deref(), Some("working_weekends"));
        let e = Calendar::from_toml_str("x", "holidays = 5").unwrap_err();
        assert_eq!(e.key.as_deref(), Some("holidays"));
        let e = Calendar::from_toml_str("x", "holidays = [2024-01-01T10:00:00]").unwrap_err();
        assert_eq!(e.key.as_deref(), Some("holidays[0]"));
        let e = Calendar::from_toml_str("x", "holidays = [").unwrap_err();
        assert_eq!(e.key, None);
        let ok =
            Calendar::from_toml_str("x", "description = \"test\"\nholidays = [\"2024-01-02\"]");
        assert!(!ok.unwrap().is_business_day(d(2024, 1, 2)));
    }

    #[test]
    fn saturates_at_the_end_of_time() {
        let cal = Calendar::russia();
        assert_eq!(cal.add_business_days(NaiveDate::MAX, 1), NaiveDate::MAX);
        assert_eq!(
            cal.add_business_days(d(2024, 1, 1), u32::MAX),
            NaiveDate::MAX
        );
        assert!(cal.business_days_between(NaiveDate::MIN, NaiveDate::MAX) > 0);
    }

    fn any_date() -> impl Strategy<Value = NaiveDate> {
        (NaiveDate::MIN.num_days_from_ce()..=NaiveDate::MAX.num_days_from_ce())
            .prop_map(|n| NaiveDate::from_num_days_from_ce_opt(n).unwrap())
    }

    proptest! {
        #[test]
        fn weekday_rank_counts_weekdays(date in any_date()) {
            if let Some(prev) = date.pred_opt() {
                let step = weekday_rank(date) - weekday_rank(prev);
                prop_assert_eq!(step, i64::from(!is_weekend(date)));
            }
        }

        #[test]
        fn between_agrees_with_stepping(start in 738_000i32..741_000, n in 0u32..400) {
            let cal = Calendar::russia();
            let a = NaiveDate::from_num_days_from_ce_opt(start).unwrap();
            let b = cal.add_business_days(a, n);
            prop_assert!(n == 0 || cal.is_business_day(b));
            prop_assert_eq!(cal.business_days_between(a, b), i64::from(n));
            let mut slow = a;
            for _ in 0..n {
                slow = slow.succ_opt().unwrap();
                while !cal.is_business_day(slow) {
                    slow = slow.succ_opt().unwrap();
                }
            }
            prop_assert_eq!(slow, b);
        }
    }
}
