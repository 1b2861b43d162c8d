//! Parsing of the dates and timestamps that regional exports contain.

use chrono::NaiveDate;

/// Parses an ISO date (2024-03-05), a Russian one (05.03.2024), or the date part of an ISO timestamp
/// (2024-03-05T23:30:00Z is 5 March: the calendar date as written, no time-zone conversion).
pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("a date is required".into());
    }
    let head = t.get(..10).unwrap_or(t);
    NaiveDate::parse_from_str(head, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(head, "%d.%m.%Y"))
        .map_err(|_| format!("\"{t}\" is not a date like 2024-03-05 or 05.03.2024"))
}

/// Like [`parse_date`], but an empty field is `None`.
pub fn parse_optional_date(text: &str) -> Result<Option<NaiveDate>, String> {
    if text.trim().is_empty() {
        Ok(None)
    } else {
        parse_date(text).map(Some)
    }
}

/// Normalises a timestamp as recorded to `YYYY-MM-DDTHH:MM:SS` (a bare date becomes midnight).
/// The zone suffix is dropped without conversion, as the readmission rule requires.
pub fn normalise_timestamp(text: &str) -> Result<String, String> {
    let t = text.trim();
    let date = parse_date(t)?;
    let time = if t.len() > 10 && (t.as_bytes()[10] == b'T' || t.as_bytes()[10] == b' ') {
        let rest = &t[11..];
        let hms: String = rest.chars().take(8).collect();
        let ok = chrono::NaiveTime::parse_from_str(&hms, "%H:%M:%S")
            .or_else(|_| chrono::NaiveTime::parse_from_str(rest.get(..5).unwrap_or(""), "%H:%M"))
            .map_err(|_| format!("\"{t}\" is not a timestamp like 2024-03-05T14:30:00"))?;
        ok.format("%H:%M:%S").to_string()
    } else if t.contains(' ') && t.contains('.') {
        // 05.03.2024 14:30
        let rest = t.split_once(' ').map(|(_, r)| r).unwrap_or("");
        let ok = chrono::NaiveTime::parse_from_str(rest, "%H:%M")
            .or_else(|_| chrono::NaiveTime::parse_from_str(rest, "%H:%M:%S"))
            .map_err(|_| format!("\"{t}\" is not a timestamp like 05.03.2024 14:30"))?;
        ok.format("%H:%M:%S").to_string()
    } else {
        "00:00:00".to_string()
    };
    Ok(format!("{}T{}", date.format("%Y-%m-%d"), time))
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
    fn dates_in_both_styles() {
        assert_eq!(parse_date("2024-02-29"), Ok(d(2024, 2, 29)));
        assert_eq!(parse_date("29.02.2024"), Ok(d(2024, 2, 29)));
        assert_eq!(parse_date("2021-03-04T23:30:00Z"), Ok(d(2021, 3, 4)));
        assert!(parse_date("2023-02-29").is_err());
        assert!(parse_date("").is_err());
    }

    #[test]
    fn timestamps_keep_the_written_date() {
        assert_eq!(
            normalise_timestamp("2021-03-04T23:30:00Z").unwrap(),
            "2021-03-04T23:30:00"
        );
        assert_eq!(
            normalise_timestamp("2021-03-04").unwrap(),
            "2021-03-04T00:00:00"
        );
        assert_eq!(
            normalise_timestamp("04.03.2021 08:15").unwrap(),
            "2021-03-04T08:15:00"
        );
        assert_eq!(
            date_of_timestamp("2021-03-04T23:30:00"),
            Some(d(2021, 3, 4))
        );
    }
}
