//! The Progress figures kept as tables, so a refresh of the Progress tab reads a few hundred sums
//! whatever the register's size.
//!
//! For one clock (as-of date, call horizon) and the worklist rules, `progress_facts` holds each
//! enrolled patient's counters and list facts at the twelve month ends of the trends
//! (`domain::progress_facts::derive`), in `progress_recheck` the first day they can change
//! (`domain::progress_facts::recheck`), and `progress_totals` their sums per period end and
//! (site, nurse). [`ensure_fresh`] brings them to a new clock: a later day of the same month
//! recomputes only the patients whose recheck day has come ([`advance`]); another month, another
//! call horizon or other rules rebuild them all ([`rebuild`], streaming, one transaction). Every
//! write brings them up to date for the touched patients inside the write's transaction
//! ([`refresh_patients`]: the patient's old counters are taken out of their group's sums and the
//! new ones added), and an import marks them stale ([`invalidate`]).

use crate::domain::calendar::Calendar;
use crate::domain::clock::Clock;
use crate::domain::patient_record::PatientRecord;
use crate::domain::progress_codec::{decode_counts, decode_months, encode_counts, encode_months};
use crate::domain::progress_counts::Counts;
use crate::domain::progress_facts::{
    MonthFacts, PatientDetails, ProgressClock, Rules, derive_with_recheck,
};
use crate::domain::worklist::Thresholds;
use crate::store::patient_feed::{Scope, for_each_patient};
use crate::store::write_guard::{WriteGuard, refresh_once};
use chrono::{Datelike, NaiveDate};
use rusqlite::types::Type;
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::HashMap;

/// Changes whenever the derivation or the stored form changes, forcing a rebuild.
pub const FACTS_VERSION: &str = "progress-facts-2";

const CLOCK_KEY: &str = "progress_clock";

/// A (period end, site, nurse) group's sums.
type Sums = HashMap<(NaiveDate, String, String), Counts>;

/// The Progress clock of a clock.
pub fn progress_clock(clock: &Clock) -> ProgressClock {
    ProgressClock {
        as_of: clock.as_of,
        calls_until: clock.calls_until(),
    }
}

fn clock_key(clock: &ProgressClock) -> String {
    format!(
        "{}|{}|{FACTS_VERSION}|{}",
        clock.as_of,
        clock.calls_until,
        rules_fingerprint()
    )
}

/// The clock the stored figures are for, when there are any computed with the current rules.
pub fn stored_clock(conn: &Connection) -> rusqlite::Result<Option<ProgressClock>> {
    let key: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [CLOCK_KEY], |r| {
            r.get(0)
        })
        .optional()?;
    Ok(key.and_then(|k| {
        let mut parts = k.splitn(3, '|');
        let clock = ProgressClock {
            as_of: parts.next()?.parse().ok()?,
            calls_until: parts.next()?.parse().ok()?,
        };
        (clock_key(&clock) == k).then_some(clock)
    }))
}

/// True when the stored figures were computed for `clock` with the current rules.
pub fn is_fresh(conn: &Connection, clock: &Clock) -> rusqlite::Result<bool> {
    Ok(stored_clock(conn)? == Some(progress_clock(clock)))
}

/// Marks the stored figures as out of date (the next reader rebuilds them).
pub fn invalidate(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM meta WHERE key = ?1", [CLOCK_KEY])?;
    Ok(())
}

use crate::store::rules::{fingerprint as rules_fingerprint, rules};

/// One patient's figures, and the first day after the as-of date they can differ.
fn derive_one(
    record: &PatientRecord,
    details: &PatientDetails,
    clock: &ProgressClock,
    ends: &[NaiveDate],
    (thresholds, calendar): &(Thresholds, Calendar),
) -> (Vec<MonthFacts>, Option<NaiveDate>) {
    derive_with_recheck(
        record,
        details,
        clock,
        ends,
        Rules {
            thresholds,
            calendar,
        },
    )
}

fn insert_facts(
    conn: &Connection,
    id: &str,
    site: &str,
    nurse: &str,
    months: &[MonthFacts],
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO progress_facts (patient_id, site_id, nurse_id, facts) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![id, site, nurse, encode_months(months)])?;
    Ok(())
}

/// Keeps a patient's recheck day (none: nothing can change this month without new data). A
/// small table of its own, so moving the day does not rewrite the patient's figures.
fn set_recheck(conn: &Connection, id: &str, day: Option<NaiveDate>) -> rusqlite::Result<()> {
    match day {
        Some(day) => conn
            .prepare_cached(
                "INSERT INTO progress_recheck (patient_id, recheck_on) VALUES (?1, ?2)
                 ON CONFLICT (patient_id) DO UPDATE SET recheck_on = excluded.recheck_on",
            )?
            .execute(params![id, day.to_string()])?,
        None => conn
            .prepare_cached("DELETE FROM progress_recheck WHERE patient_id = ?1")?
            .execute([id])?,
    };
    Ok(())
}

fn add_to(sums: &mut Sums, ends: &[NaiveDate], site: &str, nurse: &str, months: &[MonthFacts]) {
    for (end, m) in ends.iter().zip(months) {
        sums.entry((*end, site.to_string(), nurse.to_string()))
            .or_default()
            .merge(&m.counts);
    }
}

/// Recomputes every patient's figures and the sums for `clock` in one transaction, streaming the
/// register one patient at a time.
pub fn rebuild(conn: &Connection, clock: &Clock) -> rusqlite::Result<()> {
    let clock = progress_clock(clock);
    let tx = WriteGuard::begin(conn)?;
    conn.execute("DELETE FROM progress_facts", [])?;
    conn.execute("DELETE FROM progress_recheck", [])?;
    conn.execute("DELETE FROM progress_totals", [])?;
    let ends = clock.month_ends();
    let rules = rules();
    let mut sums = Sums::new();
    for_each_patient(conn, Scope::Enrolled, |record, details| {
        let derived = derive_one(&record, &details, &clock, &ends, &rules);
        insert_facts(
            conn,
            &record.id,
            &details.site_id,
            &details.nurse_id,
            &derived.0,
        )?;
        if derived.1.is_some() {
            set_recheck(conn, &record.id, derived.1)?;
        }
        add_to(
            &mut sums,
            &ends,
            &details.site_id,
            &details.nurse_id,
            &derived.0,
        );
        Ok(())
    })?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO progress_totals (period_end, site_id, nurse_id, counts) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for ((end, site, nurse), counts) in &sums {
        insert.execute(params![end.to_string(), site, nurse, encode_counts(counts)])?;
    }
    set_clock(conn, &clock)?;
    tx.commit()
}

fn set_clock(conn: &Connection, clock: &ProgressClock) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![CLOCK_KEY, clock_key(clock)],
    )?;
    Ok(())
}

/// True when figures stored for `stored` can be brought to `clock` by the patients' recheck days:
/// a later day of the same month, with the same kind of call horizon (up to the day, or all).
fn moves_forward(stored: &ProgressClock, clock: &ProgressClock) -> bool {
    let up_to_the_day = |c: &ProgressClock| c.calls_until == c.as_of;
    let same_horizon = if up_to_the_day(stored) {
        up_to_the_day(clock)
    } else {
        clock.calls_until == stored.calls_until
    };
    same_horizon
        && clock.as_of > stored.as_of
        && (clock.as_of.year(), clock.as_of.month()) == (stored.as_of.year(), stored.as_of.month())
}

/// Moves figures stored for `stored` to a later day of the same month, inside the caller's
/// transaction: the as-of period end's sums take the new date (the other period ends are the
/// same), and the patients whose recheck day has come are recomputed. Between recheck days a
/// patient's figures do not change (`domain::progress_facts::recheck`), so the result equals a
/// rebuild. Returns how many patients were recomputed.
pub fn advance(conn: &Connection, clock: &Clock) -> rusqlite::Result<Option<u64>> {
    let to = progress_clock(clock);
    let tx = WriteGuard::begin(conn)?;
    let Some(stored) = stored_clock(conn)?.filter(|s| moves_forward(s, &to)) else {
        return Ok(None);
    };
    conn.prepare_cached("UPDATE progress_totals SET period_end = ?1 WHERE period_end = ?2")?
        .execute(params![to.as_of.to_string(), stored.as_of.to_string()])?;
    let due: Vec<String> = conn
        .prepare_cached(
            // In id order: each patient's rows are read by index, and neighbouring ids share pages.
            "SELECT patient_id FROM progress_recheck WHERE recheck_on <= ?1 ORDER BY patient_id",
        )?
        .query_map([to.as_of.to_string()], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let ids: Vec<&str> = due.iter().map(String::as_str).collect();
    refresh_for(conn, &ids, &to)?;
    set_clock(conn, &to)?;
    tx.commit()?;
    Ok(Some(ids.len() as u64))
}

/// Brings the stored figures up to date for these patients, inside the caller's transaction: each
/// patient's old counters leave their group's sums, the new ones join (their new group's).
/// Nothing happens when there are no stored figures (the next reader builds them).
pub fn refresh_patients(conn: &Connection, ids: &[&str]) -> rusqlite::Result<()> {
    let Some(clock) = stored_clock(conn)? else {
        return Ok(());
    };
    refresh_for(conn, ids, &clock)
}

/// Recomputes these patients' figures for `clock` and moves their groups' sums by the difference.
fn refresh_for(conn: &Connection, ids: &[&str], clock: &ProgressClock) -> rusqlite::Result<()> {
    let ends = clock.month_ends();
    let rules = rules();
    let mut gone = Sums::new();
    let mut new = Sums::new();
    for id in ids {
        let old = patient_row(conn, id)?;
        let mut derived = None;
        for_each_patient(conn, Scope::EnrolledPatient(id), |record, details| {
            let (months, recheck_on) = derive_one(&record, &details, clock, &ends, &rules);
            derived = Some((details.site_id, details.nurse_id, months, recheck_on));
            Ok(())
        })?;
        set_recheck(conn, id, derived.as_ref().and_then(|d| d.3))?;
        // Figures that did not change (a recheck day is only when they can) stay as stored.
        if let (Some((site, nurse, months)), Some((new_site, new_nurse, new_months, _))) =
            (&old, &derived)
            && (site, nurse) == (new_site, new_nurse)
            && encode_months(months) == encode_months(new_months)
        {
            continue;
        }
        if let Some((site, nurse, months)) = &old {
            add_to(&mut gone, &ends, site, nurse, months);
            conn.prepare_cached("DELETE FROM progress_facts WHERE patient_id = ?1")?
                .execute([id])?;
        }
        if let Some((site, nurse, months, _)) = &derived {
            insert_facts(conn, id, site, nurse, months)?;
            add_to(&mut new, &ends, site, nurse, months);
        }
    }
    let mut keys: Vec<&(NaiveDate, String, String)> = gone.keys().chain(new.keys()).collect();
    keys.sort_unstable();
    keys.dedup();
    for key in keys {
        let (end, site, nurse) = key;
        let end = end.to_string();
        let stored: Option<Vec<u8>> = conn
            .prepare_cached(
                "SELECT counts FROM progress_totals WHERE period_end = ?1 AND site_id = ?2 AND nurse_id = ?3",
            )?
            .query_row(params![end, site, nurse], |r| r.get(0))
            .optional()?;
        let mut counts = match stored {
            Some(bytes) => decode_counts(&bytes).map_err(malformed)?,
            None => Counts::default(),
        };
        if let Some(old) = gone.get(key) {
            counts.unmerge(old);
        }
        if let Some(add) = new.get(key) {
            counts.merge(add);
        }
        if counts.is_zero() {
            conn.prepare_cached(
                "DELETE FROM progress_totals WHERE period_end = ?1 AND site_id = ?2 AND nurse_id = ?3",
            )?
            .execute(params![end, site, nurse])?;
        } else {
            conn.prepare_cached(
                "INSERT INTO progress_totals (period_end, site_id, nurse_id, counts) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (period_end, site_id, nurse_id) DO UPDATE SET counts = excluded.counts",
            )?
            .execute(params![end, site, nurse, encode_counts(&counts)])?;
        }
    }
    Ok(())
}

/// A stored patient's group and figures.
fn patient_row(
    conn: &Connection,
    id: &str,
) -> rusqlite::Result<Option<(String, String, Vec<MonthFacts>)>> {
    conn.prepare_cached(
        "SELECT site_id, nurse_id, facts FROM progress_facts WHERE patient_id = ?1",
    )?
    .query_row([id], |r| {
        let bytes: Vec<u8> = r.get(2)?;
        Ok((
            r.get(0)?,
            r.get(1)?,
            decode_months(&bytes).map_err(malformed)?,
        ))
    })
    .optional()
}

/// Brings the stored figures to `clock`: a later day of the same month recomputes the patients
/// whose recheck day has come ([`advance`]); another month, clock or rules rebuild them all;
/// two processes never both rebuild: the second waits for the first's write lock and finds them
/// fresh ([`refresh_once`]).
pub fn ensure_fresh(conn: &Connection, clock: &Clock) -> rusqlite::Result<()> {
    refresh_once(
        conn,
        |conn| is_fresh(conn, clock),
        |conn| match advance(conn, clock)? {
            Some(_) => Ok(()),
            None => rebuild(conn, clock),
        },
    )
}

/// Stored bytes that do not decode, as a column conversion error.
pub fn malformed(e: crate::domain::progress_codec::Malformed) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(0, Type::Blob, Box::new(e))
}

/// Every stored group's sums: (period end, site id, nurse id, counters).
pub fn totals(conn: &Connection) -> rusqlite::Result<Vec<(NaiveDate, String, String, Counts)>> {
    let mut stmt =
        conn.prepare_cached("SELECT period_end, site_id, nurse_id, counts FROM progress_totals")?;
    let rows = stmt.query_map([], |r| {
        let bytes: Vec<u8> = r.get(3)?;
        Ok((
            r.get::<_, String>(0)?,
            r.get(1)?,
            r.get(2)?,
            decode_counts(&bytes).map_err(malformed)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (end, site, nurse, counts) = row?;
        let end = end
            .parse()
            .map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, Type::Text, Box::new(e)))?;
        out.push((end, site, nurse, counts));
    }
    Ok(out)
}
