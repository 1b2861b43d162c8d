//! Converting the call log's UTC timestamps to the user's local time for display.

use chrono::{Local, NaiveDateTime, TimeZone, Utc};

/// The local wall-clock time of a UTC timestamp.
pub fn utc_to_local(utc: NaiveDateTime) -> NaiveDateTime {
    Utc.from_utc_datetime(&utc)
        .with_timezone(&Local)
        .naive_local()
}
