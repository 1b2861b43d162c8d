//! What the Budget figures need from the patient tables, kept in `meta` so that opening the tab
//! again reads aggregates only. Two caches, by what they depend on:
//!
//! - the **year's** inputs (who was enrolled when, and the spread of the previous year's spend per
//!   patient for the MSR) change only with the data: a new morning reuses them;
//! - the **day's** inputs (HbA1c testing coverage over the rolling year, utilisation of the
//!   performance year so far) change with the as-of date; the utilisation is summed in memory
//!   from the year's by-day figures ([`super::budget_use::YearUse`], a third cache, read only
//!   when the day's inputs are computed), so a new morning scans neither encounters nor claims.
//!
//! Claims never touch either (their monthly totals are kept by triggers). Every write that changes
//! who is enrolled, alive or tested calls [`drop_cached_inputs`], the one place that knows the keys.
//! A cache is written at most once across processes ([`refresh_once`]), and never from a read-only
//! connection, which computes the figures and keeps nothing.

use crate::domain::finance::utilisation::Utilisation;
use crate::domain::indicators::Ratio;
use crate::store::write_guard::refresh_once;
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// The meta key of the year's inputs.
const YEAR_KEY: &str = "budget_year_inputs";
/// The meta key of the day's inputs.
const DAY_KEY: &str = "budget_day_inputs";
/// The meta key of the performance year's utilisation by day.
const YEAR_USE_KEY: &str = "budget_year_use";
/// The key of the single cache registers written before the split; dropped with the others.
const LEGACY_KEY: &str = "budget_patient_inputs";

/// The inputs no new day changes.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct YearInputs {
    /// The calendar year whose spend spread is kept (the year before the as-of year).
    spread_year: i32,
    /// The claim categories the spread counts (JSON list of codes).
    categories: String,
    /// Enrolment spans: first month, last month, patients.
    spans: Vec<(String, String, u64)>,
    /// Σ spend and Σ spend² per patient over `spread_year` (currency units).
    spend_sum: f64,
    spend_squares: f64,
}

/// The inputs of one as-of day.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct DayInputs {
    as_of: NaiveDate,
    /// The performance year the utilisation is for.
    year: i32,
    /// HbA1c testing over the rolling year ending `as_of`: tested / assigned.
    covered: u64,
    assigned: u64,
    /// Utilisation over the performance year up to `as_of`.
    utilisation: Utilisation,
}

/// What the Budget figures take from the patient tables for one as-of date.
#[derive(Debug, Clone)]
pub(super) struct PatientInputs {
    /// Enrolment spans: first month, last month, patients.
    pub spans: Vec<(String, String, u64)>,
    /// HbA1c-tested patients over the rolling year (numerator of the coverage).
    pub covered: u64,
    /// Assigned patients on the as-of date (its denominator).
    pub assigned: u64,
    /// Spend per patient in the calendar year before the as-of year: sum and sum of squares over
    /// the patients with claims, for the spread MSR.
    pub spend_sum: f64,
    pub spend_squares: f64,
    /// Utilisation over the performance year so far.
    pub utilisation: Utilisation,
}

/// Drops the cached patient figures (after a write that changes them); the next refresh recomputes.
pub fn drop_cached_inputs(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute(
        "DELETE FROM meta WHERE key IN (?1, ?2, ?3, ?4)",
        params![YEAR_KEY, DAY_KEY, YEAR_USE_KEY, LEGACY_KEY],
    )?;
    Ok(())
}

/// The inputs for `as_of`, performance year `year` and the benchmark's `covered` categories
/// (a JSON list of codes), from the caches when they fit, else computed (and kept when the
/// connection may write).
pub(super) fn patient_inputs(
    conn: &Connection,
    as_of: NaiveDate,
    year: i32,
    covered: &str,
) -> rusqlite::Result<PatientInputs> {
    let spread_year = chrono::Datelike::year(&as_of) - 1;
    let year_inputs = cached(
        conn,
        YEAR_KEY,
        |y: &YearInputs| y.spread_year == spread_year && y.categories == covered,
        |c| {
            let (spend_sum, spend_squares) = spend_spread(c, spread_year, covered)?;
            Ok(YearInputs {
                spread_year,
                categories: covered.to_string(),
                spans: enrolment_spans(c)?,
                spend_sum,
                spend_squares,
            })
        },
    )?;
    let day = cached(
        conn,
        DAY_KEY,
        |d: &DayInputs| d.as_of == as_of && d.year == year,
        |c| {
            let coverage: Ratio = coverage(c, as_of)?;
            let year_use = cached(
                c,
                YEAR_USE_KEY,
                |u: &super::budget_use::YearUse| u.year == year,
                |c| super::budget_use::year_use(c, year),
            )?;
            Ok(DayInputs {
                as_of,
                year,
                covered: coverage.numerator,
                assigned: coverage.denominator,
                utilisation: year_use.at(as_of),
            })
        },
    )?;
    Ok(PatientInputs {
        spans: year_inputs.spans,
        covered: day.covered,
        assigned: day.assigned,
        spend_sum: year_inputs.spend_sum,
        spend_squares: year_inputs.spend_squares,
        utilisation: day.utilisation,
    })
}

/// The value kept under `key` when `fits` accepts it; otherwise `compute`d and kept, at most once
/// across processes. A value that no longer decodes (written by another version) is stale, not an
/// error: it is a cache, and the figures are computed again from the register.
fn cached<T: Serialize + DeserializeOwned>(
    conn: &Connection,
    key: &str,
    fits: impl Fn(&T) -> bool,
    compute: impl Fn(&Connection) -> rusqlite::Result<T>,
) -> rusqlite::Result<T> {
    if let Some(value) = read(conn, key)?.filter(&fits) {
        return Ok(value);
    }
    if conn.is_readonly(rusqlite::MAIN_DB)? {
        return compute(conn);
    }
    let mut computed = None;
    refresh_once(
        conn,
        |c| Ok(read::<T>(c, key)?.is_some_and(|v| fits(&v))),
        |c| {
            let value = compute(c)?;
            let json = serde_json::to_string(&value)
                .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
            c.execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![key, json],
            )?;
            computed = Some(value);
            Ok(())
        },
    )?;
    match computed {
        Some(value) => Ok(value),
        // Another process kept it while this one waited for the write lock.
        None => match read(conn, key)?.filter(&fits) {
            Some(value) => Ok(value),
            None => compute(conn),
        },
    }
}

fn read<T: DeserializeOwned>(conn: &Connection, key: &str) -> rusqlite::Result<Option<T>> {
    let text: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()?;
    Ok(text.and_then(|t| serde_json::from_str(&t).ok()))
}

/// Σ spend and Σ spend² per patient over the claims of `year` (one pass over that year's lines,
/// kept with the year's inputs, see `budget_inputs`).
fn spend_spread(conn: &Connection, year: i32, covered: &str) -> rusqlite::Result<(f64, f64)> {
    conn.prepare_cached(
        "SELECT coalesce(sum(s), 0), coalesce(sum(s * s), 0) FROM (
             SELECT sum(paid_minor) / 100.0 AS s FROM claim_lines
             WHERE service_date BETWEEN ?1 AND ?2
               AND category IN (SELECT value FROM json_each(?3))
             GROUP BY patient_id)",
    )?
    .query_row(
        params![
            format!("{year:04}-01-01"),
            format!("{year:04}-12-31"),
            covered
        ],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

/// (first month, last month, patients) of every enrolment span, months as `YYYY-MM` (a patient
/// in several programmes counts once, from her earliest enrolment).
fn enrolment_spans(conn: &Connection) -> rusqlite::Result<Vec<(String, String, u64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT substr(e.enrolled_on, 1, 7) AS first_month,
                substr(min(coalesce(p.death_date, '9999-12'), coalesce(p.moved_on, '9999-12')), 1, 7) AS last_month,
                count(*)
         FROM (SELECT patient_id, min(enrolled_on) AS enrolled_on FROM enrolments WHERE ended_on IS NULL GROUP BY patient_id) e
         JOIN patients p ON p.id = e.patient_id
         GROUP BY first_month, last_month",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)? as u64,
        ))
    })?;
    rows.collect()
}

/// HbA1c testing coverage over the rolling year ending `as_of`, and the assigned (active enrolled)
/// patients: the same figures as `Tally::hba1c_tested_period` and `Tally::enrolled_active` of the
/// Progress tab (a test holds them equal), without computing every other indicator.
fn coverage(conn: &Connection, as_of: NaiveDate) -> rusqlite::Result<Ratio> {
    let period = crate::domain::indicators::Period::rolling_year(as_of);
    conn.prepare_cached(
        "SELECT count(*),
                coalesce(sum(EXISTS (SELECT 1 FROM observations o
                                     WHERE o.patient_id = p.id AND o.kind = 'hba1c' AND o.date BETWEEN ?1 AND ?2)), 0)
         FROM patients p JOIN (SELECT patient_id, min(enrolled_on) AS enrolled_on FROM enrolments WHERE ended_on IS NULL GROUP BY patient_id) e ON e.patient_id = p.id
         WHERE e.enrolled_on <= ?2
           AND NOT (p.death_date IS NOT NULL AND p.death_date <= ?2) AND NOT (p.death_date IS NULL AND p.status = 'dead')
           AND NOT (p.moved_on IS NOT NULL AND p.moved_on <= ?2) AND NOT (p.moved_on IS NULL AND p.status = 'moved')",
    )?
    .query_row(params![period.from.to_string(), period.to.to_string()], |r| {
        Ok(Ratio { denominator: r.get::<_, i64>(0)? as u64, numerator: r.get::<_, i64>(1)? as u64 })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn register() -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            .unwrap();
        conn
    }

    #[test]
    fn a_kept_value_is_reused_until_it_no_longer_fits_or_is_dropped() {
        let conn = register();
        let calls = std::cell::Cell::new(0);
        let get = |want: i32| {
            cached(
                &conn,
                YEAR_KEY,
                |v: &i32| *v == want,
                |_| {
                    calls.set(calls.get() + 1);
                    Ok(want)
                },
            )
            .unwrap()
        };
        assert_eq!(get(1), 1);
        assert_eq!(get(1), 1);
        assert_eq!(calls.get(), 1, "the second read uses the kept value");
        assert_eq!(get(2), 2);
        assert_eq!(
            calls.get(),
            2,
            "a value that does not fit is computed again"
        );
        drop_cached_inputs(&conn).unwrap();
        assert_eq!(get(2), 2);
        assert_eq!(calls.get(), 3, "a dropped cache is computed again");
    }

    #[test]
    fn a_value_that_does_not_decode_is_computed_again() {
        let conn = register();
        conn.execute(
            "INSERT INTO meta (key, value) VALUES (?1, 'not json')",
            [DAY_KEY],
        )
        .unwrap();
        let v = cached(&conn, DAY_KEY, |_: &i32| true, |_| Ok(7)).unwrap();
        assert_eq!(v, 7);
        assert_eq!(read::<i32>(&conn, DAY_KEY).unwrap(), Some(7));
    }

    #[test]
    fn dropping_also_removes_the_cache_of_older_versions() {
        let conn = register();
        conn.execute(
            "INSERT INTO meta (key, value) VALUES (?1, '{}')",
            [LEGACY_KEY],
        )
        .unwrap();
        drop_cached_inputs(&conn).unwrap();
        let left: i64 = conn
            .query_row("SELECT count(*) FROM meta", [], |r| r.get(0))
            .unwrap();
        assert_eq!(left, 0);
    }
}
