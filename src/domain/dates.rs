//! Parsing of the dates and timestamps that regional exports contain: one grammar for both.
//!
//! A date is `YYYY-MM-DD` or `D.M.YYYY` (day and month of one or two digits), always with a
//! four-digit year; a timestamp is a date, then `T` or a space, then `H:MM`, `H:MM:SS` or
//! `H:MM:SS.fff`, with an optional zone (`Z`, `+03:00`, `+0300`) that is dropped without
//! conversion. A date column accepts a timestamp (its written calendar date is kept); a
//! timestamp column accepts a bare date (midnight). Two forms are refused with their own reason:
//! a two-digit year (`05.03.24`: which century is a guess, so the user is shown the four-digit
//! forms), and an Excel serial day number (`45356`, what Excel writes for a date cell formatted
//! as a number), named as such with the date it stands for.

use chrono::{Datelike, NaiveDate, NaiveTime};

/// Why a text is not a date or a timestamp of the grammar (see the module documentation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateProblem {
    /// Nothing written.
    Required,
    /// A year of two digits: the same date with the year written in full, in either century.
    TwoDigitYear {
        /// The date as written.
        text: String,
        /// The 19xx reading, written in the text's own style.
        as_1900s: String,
        /// The 20xx reading, written in the text's own style.
        as_2000s: String,
    },
    /// A whole number Excel writes for a date cell formatted as a number (1900 date system).
    ExcelSerial {
        /// The number as written.
        text: String,
        /// The date Excel means by it.
        date: NaiveDate,
    },
    /// Not a date at all.
    NotADate(String),
    /// A date followed by something that is not a time of day.
    NotATimestamp(String),
    /// A real date that cannot be true of the fact it dates (before 1900, or too far ahead).
    OutOfRange {
        /// The date as written.
        text: String,
        /// The earliest date accepted.
        earliest: NaiveDate,
        /// The latest date accepted.
        latest: NaiveDate,
    },
}

impl DateProblem {
    /// The problem as one English sentence (the import's locale files have both languages).
    pub fn english(&self) -> String {
        match self {
            DateProblem::Required => "a date is required".into(),
            DateProblem::TwoDigitYear {
                text,
                as_1900s,
                as_2000s,
            } => format!(
                "\"{text}\" has a two-digit year: write the year in full, like {as_2000s} or {as_1900s}"
            ),
            DateProblem::ExcelSerial { text, date } => format!(
                "\"{text}\" is an Excel serial day number (it means {}), not a date: format the \
                 column as a date in Excel before saving",
                date.format("%d.%m.%Y")
            ),
            DateProblem::NotADate(t) => {
                format!("\"{t}\" is not a date like 2024-03-05 or 05.03.2024")
            }
            DateProblem::NotATimestamp(t) if is_dotted(t) => {
                format!("\"{t}\" is not a timestamp like 05.03.2024 14:30")
            }
            DateProblem::NotATimestamp(t) => {
                format!("\"{t}\" is not a timestamp like 2024-03-05T14:30:00")
            }
            DateProblem::OutOfRange {
                text,
                earliest,
                latest,
            } => format!(
                "\"{text}\" cannot be right here: expected a date from {} to {}",
                earliest.format("%d.%m.%Y"),
                latest.format("%d.%m.%Y")
            ),
        }
    }
}

/// True when the date part of `text` is written with dots (05.03.2024), so that a message can
/// show the example in the same style.
pub fn is_dotted(text: &str) -> bool {
    text.trim()
        .split([' ', 'T'])
        .next()
        .is_some_and(|d| d.contains('.'))
}

/// The earliest date a birth, a service or an observation can have in the register.
pub const EARLIEST_PLAUSIBLE: NaiveDate = match NaiveDate::from_ymd_opt(1900, 1, 1) {
    Some(d) => d,
    None => NaiveDate::MIN,
};

/// How far past the as-of date a birth, service or observation date may lie (clocks and data
/// entry run a little ahead; years ahead is a typing mistake or a damaged cell).
pub const PLAUSIBLE_YEARS_AHEAD: u32 = 2;

/// The latest date a birth, service or observation can have when the as-of date is `as_of`.
pub fn latest_plausible(as_of: NaiveDate) -> NaiveDate {
    as_of
        .checked_add_months(chrono::Months::new(12 * PLAUSIBLE_YEARS_AHEAD))
        .unwrap_or(NaiveDate::MAX)
}

/// Refuses a birth, service or observation date before 1900 or more than two years past `as_of`.
pub fn check_plausible(date: NaiveDate, text: &str, as_of: NaiveDate) -> Result<(), DateProblem> {
    let latest = latest_plausible(as_of);
    if date < EARLIEST_PLAUSIBLE || date > latest {
        return Err(DateProblem::OutOfRange {
            text: text.trim().to_string(),
            earliest: EARLIEST_PLAUSIBLE,
            latest,
        });
    }
    Ok(())
}

/// Parses a date or a timestamp of the grammar into its written date and time of day (`None`
/// for a bare date).
pub fn parse_date_time(text: &str) -> Result<(NaiveDate, Option<NaiveTime>), DateProblem> {
    let t = text.trim();
    if t.is_empty() {
        return Err(DateProblem::Required);
    }
    let (date_part, time_part) = match t.find(['T', ' ']) {
        Some(i) => (&t[..i], Some(t[i + 1..].trim_start())),
        None => (t, None),
    };
    let date = date_of(date_part, t)?;
    let time = match time_part {
        None => None,
        Some(rest) => Some(time_of(rest).ok_or_else(|| DateProblem::NotATimestamp(t.into()))?),
    };
    Ok((date, time))
}

/// The date part: `YYYY-MM-DD` or `D.M.YYYY`.
fn date_of(part: &str, whole: &str) -> Result<NaiveDate, DateProblem> {
    let not_a_date = || DateProblem::NotADate(whole.into());
    let number = |s: &str, max_len: usize| -> Option<u32> {
        (!s.is_empty() && s.len() <= max_len && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    if let Some(serial) = excel_serial(part) {
        return Err(DateProblem::ExcelSerial {
            text: whole.into(),
            date: serial,
        });
    }
    let (year_text, month, day, dotted) = if let Some((y, rest)) = part.split_once('-') {
        let (m, d) = rest.split_once('-').ok_or_else(not_a_date)?;
        (y, number(m, 2), number(d, 2), false)
    } else {
        let mut it = part.split('.');
        let (d, m, y) = (it.next(), it.next(), it.next());
        if it.next().is_some() {
            return Err(not_a_date());
        }
        let (Some(d), Some(m), Some(y)) = (d, m, y) else {
            return Err(not_a_date());
        };
        (y, number(m, 2), number(d, 2), true)
    };
    let (Some(month), Some(day)) = (month, day) else {
        return Err(not_a_date());
    };
    let year = number(year_text, 4).ok_or_else(not_a_date)?;
    if year_text.len() == 2 {
        let write = |century: u32| {
            let y = century + year;
            if dotted {
                format!("{day:02}.{month:02}.{y}")
            } else {
                format!("{y}-{month:02}-{day:02}")
            }
        };
        let valid = |century: u32| {
            i32::try_from(century + year)
                .ok()
                .and_then(|y| NaiveDate::from_ymd_opt(y, month, day))
                .is_some()
        };
        if valid(1900) || valid(2000) {
            return Err(DateProblem::TwoDigitYear {
                text: whole.into(),
                as_1900s: write(1900),
                as_2000s: write(2000),
            });
        }
        return Err(not_a_date());
    }
    if year_text.len() != 4 {
        return Err(not_a_date());
    }
    i32::try_from(year)
        .ok()
        .and_then(|y| NaiveDate::from_ymd_opt(y, month, day))
        .ok_or_else(not_a_date)
}

/// The date an Excel serial day number stands for (1900 date system, whose day 60 is the
/// non-existent 29.02.1900, so from day 61 on day 0 is 30.12.1899), for a whole number of up to
/// five digits optionally followed by a fraction of a day (`45356.5`): what Excel writes for a
/// date cell formatted as a number. Microsoft: "Date systems in Excel" (serial 1 is 1 January
/// 1900; the 1900 system treats 1900 as a leap year).
fn excel_serial(part: &str) -> Option<NaiveDate> {
    let whole = match part.split_once(['.', ',']) {
        Some((w, f)) if f.bytes().all(|b| b.is_ascii_digit()) && !f.is_empty() => w,
        Some(_) => return None,
        None => part,
    };
    if whole.is_empty() || whole.len() > 5 || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Up to two digits before a dot is a day of `D.M.YYYY`, not a serial with a fraction.
    if whole.len() <= 2 && part.contains('.') {
        return None;
    }
    let serial: i64 = whole.parse().ok()?;
    // Four digits that read as a year are a year written alone, not a day number.
    if whole.len() == 4 && (1800..=2200).contains(&serial) {
        return None;
    }
    if serial < 61 {
        // Early 1900 (and Excel's phantom 29 February): no export of this register's data holds it.
        return NaiveDate::from_ymd_opt(1899, 12, 31)?
            .checked_add_days(chrono::Days::new(u64::try_from(serial).ok()?));
    }
    NaiveDate::from_ymd_opt(1899, 12, 30)?
        .checked_add_days(chrono::Days::new(u64::try_from(serial).ok()?))
}

/// The time part: `H:MM`, `H:MM:SS` or `H:MM:SS.fff`, then an optional zone.
fn time_of(rest: &str) -> Option<NaiveTime> {
    let zone_at = rest
        .char_indices()
        .skip(1)
        .find(|(_, c)| matches!(c, 'Z' | 'z' | '+' | '-'))
        .map(|(i, _)| i);
    let (clock, zone) = match zone_at {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    if !zone_ok(zone) {
        return None;
    }
    let clock = clock.trim_end();
    let (clock, fraction) = match clock.split_once('.') {
        Some((c, f)) if !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()) => (c, Some(f)),
        Some(_) => return None,
        None => (clock, None),
    };
    let parts: Vec<&str> = clock.split(':').collect();
    let field = |s: &str, max: u32, len: std::ops::RangeInclusive<usize>| -> Option<u32> {
        (len.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
            .filter(|v| *v < max)
    };
    let (h, m, s) = match parts.as_slice() {
        [h, m] if fraction.is_none() => (field(h, 24, 1..=2)?, field(m, 60, 2..=2)?, 0),
        [h, m, s] => (
            field(h, 24, 1..=2)?,
            field(m, 60, 2..=2)?,
            field(s, 61, 2..=2)?.min(59),
        ),
        _ => return None,
    };
    NaiveTime::from_hms_opt(h, m, s)
}

/// An empty zone, `Z`, or `±HH:MM` / `±HHMM` / `±HH`.
fn zone_ok(zone: &str) -> bool {
    let zone = zone.trim();
    if zone.is_empty() || zone.eq_ignore_ascii_case("z") {
        return true;
    }
    let Some(offset) = zone.strip_prefix(['+', '-']) else {
        return false;
    };
    let digits: String = offset.chars().filter(|c| *c != ':').collect();
    matches!(digits.len(), 2 | 4) && digits.bytes().all(|b| b.is_ascii_digit())
}

/// Whole years from `birth` to `on` (a birthday on 29 February is reached on 1 March in other
/// years): the one age every rule, measure and screen uses.
pub fn age_at(birth: NaiveDate, on: NaiveDate) -> i32 {
    let mut age = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age
}

/// Parses an ISO date (2024-03-05), a Russian one (05.03.2024), or the date part of a timestamp
/// (2024-03-05T23:30:00Z is 5 March: the calendar date as written, no time-zone conversion).
/// The error is one English sentence ([`DateProblem::english`]).
pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    parse_date_time(text)
        .map(|(d, _)| d)
        .map_err(|e| e.english())
}

/// Normalises a timestamp as recorded to `YYYY-MM-DDTHH:MM:SS` (a bare date becomes midnight).
/// The zone suffix is dropped without conversion, as the readmission rule requires.
pub fn normalise_timestamp(text: &str) -> Result<String, String> {
    let (date, time) = parse_date_time(text).map_err(|e| e.english())?;
    let time = time.unwrap_or(NaiveTime::MIN);
    Ok(format!(
        "{}T{}",
        date.format("%Y-%m-%d"),
        time.format("%H:%M:%S")
    ))
}

/// The instant a timestamp names, in UTC, as `YYYY-MM-DDTHH:MM:SSZ`: its zone offset applied
/// (`2021-11-28T19:26:50-08:00` is `2021-11-29T03:26:50Z`), a timestamp without a zone taken as
/// UTC (what Synthea's CSV export writes, with `Z`); `None` for a bare date or text outside the
/// grammar. Used to recognise one fact written by two exports (a FHIR Bundle in local time with
/// its offset, Synthea's CSV in UTC), never to change the dates the register shows.
pub fn utc_instant(text: &str) -> Option<String> {
    let (date, time) = parse_date_time(text).ok()?;
    let time = time?;
    let t = text.trim();
    let rest = &t[t.find(['T', ' '])? + 1..];
    let zone = rest
        .char_indices()
        .skip(1)
        .find(|(_, c)| matches!(c, 'Z' | 'z' | '+' | '-'))
        .map_or("", |(i, _)| rest[i..].trim());
    let offset_minutes: i64 = match zone.strip_prefix(['+', '-']) {
        None => 0,
        Some(digits) => {
            let digits: String = digits.chars().filter(|c| *c != ':').collect();
            let hours: i64 = digits.get(..2)?.parse().ok()?;
            let minutes: i64 = digits
                .get(2..)
                .filter(|m| !m.is_empty())
                .map_or(Some(0), |m| m.parse().ok())?;
            let sign = if zone.starts_with('-') { -1 } else { 1 };
            sign * (hours * 60 + minutes)
        }
    };
    let utc = date.and_time(time) - chrono::Duration::minutes(offset_minutes);
    Some(utc.format("%Y-%m-%dT%H:%M:%SZ").to_string())
}

/// The calendar date of a stored timestamp (its first ten characters).
pub fn date_of_timestamp(ts: &str) -> Option<NaiveDate> {
    ts.get(..10)
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn age_turns_on_the_birthday_and_on_1_march_for_29_february() {
        assert_eq!(age_at(d(1960, 5, 10), d(2026, 5, 9)), 65);
        assert_eq!(age_at(d(1960, 5, 10), d(2026, 5, 10)), 66);
        assert_eq!(age_at(d(2000, 2, 29), d(2001, 2, 28)), 0);
        assert_eq!(age_at(d(2000, 2, 29), d(2001, 3, 1)), 1);
        assert_eq!(age_at(d(2000, 2, 29), d(2004, 2, 29)), 4);
    }

    #[test]
    fn a_timestamp_with_an_offset_names_its_utc_instant() {
        assert_eq!(
            utc_instant("2021-11-28T19:26:50-08:00").as_deref(),
            Some("2021-11-29T03:26:50Z")
        );
        assert_eq!(
            utc_instant("2021-11-29T03:26:50Z").as_deref(),
            Some("2021-11-29T03:26:50Z")
        );
        assert_eq!(
            utc_instant("05.03.2024 01:30+0300").as_deref(),
            Some("2024-03-04T22:30:00Z")
        );
        assert_eq!(
            utc_instant("2024-03-05T10:00:00.123+05:30").as_deref(),
            Some("2024-03-05T04:30:00Z")
        );
        assert_eq!(
            utc_instant("2024-03-05 10:00").as_deref(),
            Some("2024-03-05T10:00:00Z")
        );
        assert_eq!(utc_instant("2024-03-05"), None);
        assert_eq!(utc_instant("05.03.24 10:00"), None);
    }

    #[test]
    fn dates_in_both_styles() {
        assert_eq!(parse_date("2024-02-29"), Ok(d(2024, 2, 29)));
        assert_eq!(parse_date("29.02.2024"), Ok(d(2024, 2, 29)));
        assert_eq!(parse_date("5.3.2024"), Ok(d(2024, 3, 5)));
        assert_eq!(parse_date("2021-03-04T23:30:00Z"), Ok(d(2021, 3, 4)));
        assert_eq!(parse_date("04.03.2021 08:15"), Ok(d(2021, 3, 4)));
        assert!(parse_date("2023-02-29").is_err());
        assert!(parse_date("").is_err());
        assert!(parse_date("2024-03-05garbage").is_err());
        assert!(parse_date("05/03/2024").is_err());
    }

    #[test]
    fn two_digit_years_are_refused_with_the_four_digit_forms() {
        for (text, y19, y20) in [
            ("05.03.24", "05.03.1924", "05.03.2024"),
            ("11.10.71", "11.10.1971", "11.10.2071"),
            ("24-03-05", "1924-03-05", "2024-03-05"),
        ] {
            let e = parse_date_time(text).unwrap_err();
            assert_eq!(
                e,
                DateProblem::TwoDigitYear {
                    text: text.into(),
                    as_1900s: y19.into(),
                    as_2000s: y20.into()
                }
            );
            assert!(e.english().contains(y20), "{}", e.english());
        }
        // The same in a timestamp column.
        assert!(matches!(
            parse_date_time("05.03.24 14:30"),
            Err(DateProblem::TwoDigitYear { .. })
        ));
        // A year of three digits is simply not a date.
        assert!(matches!(
            parse_date_time("05.03.024"),
            Err(DateProblem::NotADate(_))
        ));
    }

    #[test]
    fn excel_serial_days_are_named_with_the_date_they_mean() {
        // Microsoft's own examples: 1 January 2008 is serial 39448.
        assert_eq!(
            parse_date_time("39448"),
            Err(DateProblem::ExcelSerial {
                text: "39448".into(),
                date: d(2008, 1, 1)
            })
        );
        assert!(matches!(
            parse_date_time("45356,5"),
            Err(DateProblem::ExcelSerial { date, .. }) if date == d(2024, 3, 5)
        ));
        assert!(parse_date("45356").unwrap_err().contains("05.03.2024"));
    }

    #[test]
    fn timestamps_keep_the_written_date_in_every_form_of_the_grammar() {
        for (text, want) in [
            ("2021-03-04T23:30:00Z", "2021-03-04T23:30:00"),
            ("2021-03-04T23:30:00+03:00", "2021-03-04T23:30:00"),
            ("2021-03-04T23:30:00.123-0500", "2021-03-04T23:30:00"),
            ("2021-03-04", "2021-03-04T00:00:00"),
            ("2021-03-04 9:15", "2021-03-04T09:15:00"),
            ("04.03.2021 08:15", "2021-03-04T08:15:00"),
            ("04.03.2021 08:15:30", "2021-03-04T08:15:30"),
            ("4.3.2021 8:15", "2021-03-04T08:15:00"),
            ("04.03.2021T08:15", "2021-03-04T08:15:00"),
        ] {
            assert_eq!(normalise_timestamp(text).as_deref(), Ok(want), "{text}");
        }
        for bad in [
            "2024-03-05T25:00",
            "05.03.2024 25:61",
            "2024-03-05T14:3",
            "2024-03-05 noon",
        ] {
            assert!(
                matches!(parse_date_time(bad), Err(DateProblem::NotATimestamp(_))),
                "{bad}"
            );
        }
        assert_eq!(
            date_of_timestamp("2021-03-04T23:30:00"),
            Some(d(2021, 3, 4))
        );
    }

    #[test]
    fn implausible_dates_are_refused_with_the_range() {
        let as_of = d(2026, 12, 5);
        assert!(check_plausible(d(1900, 1, 1), "", as_of).is_ok());
        assert!(check_plausible(d(2028, 12, 5), "", as_of).is_ok());
        assert!(check_plausible(d(1899, 12, 31), "", as_of).is_err());
        assert!(check_plausible(d(2028, 12, 6), "", as_of).is_err());
        let e = check_plausible(d(9999, 12, 31), "9999-12-31", as_of).unwrap_err();
        assert!(
            e.english().contains("from 01.01.1900 to 05.12.2028"),
            "{}",
            e.english()
        );
        assert!(check_plausible(d(71, 10, 11), "0071-10-11", as_of).is_err());
    }
}
