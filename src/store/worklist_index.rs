//! The worklist kept as a table, so a page of it is an index range scan whatever the register's
//! size. It holds the rules' verdict (`domain::worklist::evaluate`) for one clock, brought up to
//! date for the touched patients by every write — a call, an assignment, an import — inside that
//! write's own transaction.
//!
//! When the day moves on, only the patients whose verdict can change by then are recomputed: each
//! evaluated patient has a recheck day (`domain::worklist::recheck_on`, table `worklist_recheck`).
//! Everyone else's line stays as stored; its days overdue are grown on reading
//! ([`entry_from_json`]) and the list's order by lateness does not move (`late_since`). A new
//! register, other rules, an earlier day or a different call horizon rebuild in full.

use crate::domain::clock::Clock;
use crate::domain::patient_record::PatientRecord;
use crate::domain::worklist::{
    LostToFollowUp, Priority, Reason, Section, WorklistEntry, lost_to_follow_up_on, place,
    recheck_on,
};
use crate::store::patient_feed::{Scope, for_each_record};
use crate::store::write_guard::{WriteGuard, refresh_once};
use chrono::NaiveDate;
use rusqlite::types::Type;
use rusqlite::{Connection, OptionalExtension, params};

/// Changes whenever the rules or their defaults change, forcing a rebuild of stored worklists.
pub const RULES_VERSION: &str = "worklist-rules-6";

/// `late_since` of an entry with nothing late: after every real day.
pub const NOTHING_LATE: i64 = 1 << 40;

/// The bit of a reason in the `reasons` column.
pub fn reason_bit(r: Reason) -> i64 {
    1 << Reason::ALL.iter().position(|x| *x == r).unwrap_or(0)
}

/// The rank of a priority (urgent first).
pub fn priority_rank(p: Priority) -> i64 {
    Priority::ALL.iter().position(|x| *x == p).unwrap_or(2) as i64
}

/// The `priority` column of an entry: twice its priority's rank, plus one when a clinical flag
/// decides it, so one ascending index puts deadlines before clinical flags of the same priority
/// (`WorklistEntry::sort_key`). [`priority_of_column`] reads the priority back.
pub fn order_rank(e: &WorklistEntry) -> i64 {
    priority_rank(e.priority) * 2 + i64::from(e.decided_by_clinical_flag())
}

/// The priority an `order_rank` value stands for.
pub fn priority_of_column(column: i64) -> Option<Priority> {
    usize::try_from(column / 2)
        .ok()
        .and_then(|i| Priority::ALL.get(i).copied())
}

/// The `priority` column of a patient who is only lost to follow-up (after every entry).
const NOT_ON_LIST: i64 = 6;

pub use crate::store::rules::{configure, rules};
use crate::store::rules::{fingerprint as rules_fingerprint, rules_ref};

fn clock_key(clock: &Clock) -> String {
    format!(
        "{}|{}|{RULES_VERSION}|{}",
        clock.as_of,
        clock.calls_until(),
        rules_fingerprint()
    )
}

fn stored_clock(conn: &Connection) -> rusqlite::Result<Option<(NaiveDate, NaiveDate)>> {
    let key: Option<String> = conn
        .query_row(
            "SELECT value FROM meta WHERE key = 'worklist_clock'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    Ok(key.and_then(|k| {
        let mut parts = k.split('|');
        let as_of = parts.next()?.parse().ok()?;
        let calls_until = parts.next()?.parse().ok()?;
        (parts.next() == Some(RULES_VERSION) && parts.next() == Some(rules_fingerprint()))
            .then_some((as_of, calls_until))
    }))
}

/// True when the stored worklist was computed for `clock` with the current rules.
pub fn is_fresh(conn: &Connection, clock: &Clock) -> rusqlite::Result<bool> {
    let key: Option<String> = conn
        .query_row(
            "SELECT value FROM meta WHERE key = 'worklist_clock'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    Ok(key.as_deref() == Some(clock_key(clock).as_str()))
}

/// Marks the stored worklist as out of date (the next reader rebuilds it).
pub fn invalidate(conn: &Connection) -> rusqlite::Result<()> {
    crate::store::progress_index::invalidate(conn)?;
    conn.execute("DELETE FROM meta WHERE key = 'worklist_clock'", [])?;
    // The Budget tab's cached patient figures go stale on the same writes.
    crate::store::views::budget_inputs::drop_cached_inputs(conn)?;
    Ok(())
}

fn store_record(
    conn: &Connection,
    record: &PatientRecord,
    as_of: NaiveDate,
    calls_until: NaiveDate,
) -> rusqlite::Result<()> {
    let (thresholds, calendar) = rules_ref();
    let facts = record.facts(as_of, calls_until);
    if let Some(day) = recheck_on(record, &facts, as_of, calls_until, thresholds, calendar) {
        conn.prepare_cached(
            "INSERT INTO worklist_recheck (patient_id, recheck_on) VALUES (?1, ?2)
             ON CONFLICT (patient_id) DO UPDATE SET recheck_on = min(recheck_on, excluded.recheck_on)",
        )?
        .execute(params![record.id, day.to_string()])?;
    }
    // The line in whichever section the patient is in; `on_list` is the list to call.
    let entry = place(&facts, as_of, thresholds, calendar);
    let lost = lost_column(lost_to_follow_up_on(record, &facts, as_of, thresholds));
    if entry.is_none() && lost == LOST_NO {
        return Ok(());
    }
    let (priority, late_since, due, reasons, json) = match &entry {
        Some(e) => (
            order_rank(e),
            e.late_since().map_or(NOTHING_LATE, day_number),
            Some(e.due.to_string()),
            e.reasons
                .iter()
                .map(|r| reason_bit(*r))
                .fold(0, |a, b| a | b),
            Some(
                serde_json::to_string(e)
                    .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?,
            ),
        ),
        None => (NOT_ON_LIST, NOTHING_LATE, None, 0, None),
    };
    conn.prepare_cached(
        "INSERT INTO worklist_entries (patient_id, on_list, lost, priority, late_since, due, reasons, entry_json,
                                       site_id, nurse_id, has_phone, last_visit, section)
         SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, p.site_id, p.nurse_id, p.phone IS NOT NULL OR p.phone2 IS NOT NULL, ?9, ?10
         FROM patients p WHERE p.id = ?1",
    )?
    .execute(params![
        record.id,
        entry.as_ref().is_some_and(|e| e.section == Section::ToCall),
        lost,
        priority,
        late_since,
        due,
        reasons,
        json,
        facts.latest_visit.map(|d| d.to_string()),
        entry.as_ref().map(|e| e.section.as_code())
    ])?;
    Ok(())
}

/// The `lost` column: not lost to follow-up.
pub const LOST_NO: i64 = 0;
/// The `lost` column: lost to follow-up and on the "no visit in 12 months" list to call.
pub const LOST_LISTED: i64 = 1;
/// The `lost` column: lost to follow-up, taken off the list by a nurse (still counted as lost).
pub const LOST_TAKEN_OFF: i64 = 2;

/// The `lost` column of a verdict.
fn lost_column(lost: Option<LostToFollowUp>) -> i64 {
    match lost {
        None => LOST_NO,
        Some(LostToFollowUp::Listed) => LOST_LISTED,
        Some(LostToFollowUp::TakenOff) => LOST_TAKEN_OFF,
    }
}

/// The verdict a `lost` column value stands for.
pub fn lost_of_column(column: i64) -> Option<LostToFollowUp> {
    match column {
        LOST_LISTED => Some(LostToFollowUp::Listed),
        LOST_TAKEN_OFF => Some(LostToFollowUp::TakenOff),
        _ => None,
    }
}

/// Days since 1970-01-01.
fn day_number(d: NaiveDate) -> i64 {
    d.signed_duration_since(NaiveDate::default()).num_days()
}

/// Recomputes the whole worklist for `clock` in one transaction. Returns the entries on the list.
pub fn rebuild(conn: &Connection, clock: &Clock) -> rusqlite::Result<u64> {
    let tx = WriteGuard::begin(conn)?;
    conn.execute("DELETE FROM worklist_entries", [])?;
    conn.execute("DELETE FROM worklist_recheck", [])?;
    let (as_of, calls_until) = (clock.as_of, clock.calls_until());
    for_each_record(conn, Scope::All, |record| {
        store_record(conn, &record, as_of, calls_until)
    })?;
    set_clock(conn, clock)?;
    tx.commit()?;
    conn.query_row(
        "SELECT count(*) FROM worklist_entries WHERE on_list = 1",
        [],
        |r| r.get::<_, i64>(0),
    )
    .map(|n| n as u64)
}

/// Brings the stored worklist up to date for `clock`: nothing when it is fresh, the patients due
/// a recheck when only the day moved forward, else a full rebuild.
/// Two processes never both do the work: the second waits for the first's write lock and finds
/// the list fresh ([`refresh_once`]).
pub fn ensure_fresh(conn: &Connection, clock: &Clock) -> rusqlite::Result<()> {
    refresh_once(
        conn,
        |conn| is_fresh(conn, clock),
        |conn| {
            match stored_clock(conn)? {
                Some((as_of, calls_until)) if moves_forward(as_of, calls_until, clock) => {
                    advance(conn, clock)?;
                }
                _ => {
                    rebuild(conn, clock)?;
                }
            }
            Ok(())
        },
    )
}

/// True when the stored worklist of (`as_of`, `calls_until`) can be brought to `clock` by the
/// patients' recheck days: a later (or the same) day with the same kind of call horizon.
fn moves_forward(as_of: NaiveDate, calls_until: NaiveDate, clock: &Clock) -> bool {
    let same_horizon = if calls_until == as_of {
        clock.calls_until() == clock.as_of
    } else {
        clock.calls_until() == calls_until
    };
    clock.as_of >= as_of && same_horizon
}

/// Moves the stored worklist to `clock`'s day: recomputes the patients whose recheck day has come,
/// in one transaction. Returns how many were recomputed.
pub fn advance(conn: &Connection, clock: &Clock) -> rusqlite::Result<u64> {
    let tx = WriteGuard::begin(conn)?;
    let (as_of, calls_until) = (clock.as_of, clock.calls_until());
    let due: Vec<String> = conn
        .prepare_cached("SELECT patient_id FROM worklist_recheck WHERE recheck_on <= ?1")?
        .query_map([as_of.to_string()], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for id in &due {
        recompute(conn, id, as_of, calls_until)?;
    }
    set_clock(conn, clock)?;
    tx.commit()?;
    Ok(due.len() as u64)
}

fn set_clock(conn: &Connection, clock: &Clock) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO meta (key, value) VALUES ('worklist_clock', ?1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [clock_key(clock)],
    )?;
    Ok(())
}

/// Replaces one patient's stored line and recheck day.
fn recompute(
    conn: &Connection,
    id: &str,
    as_of: NaiveDate,
    calls_until: NaiveDate,
) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM worklist_entries WHERE patient_id = ?1")?
        .execute([id])?;
    conn.prepare_cached("DELETE FROM worklist_recheck WHERE patient_id = ?1")?
        .execute([id])?;
    for_each_record(conn, Scope::Patient(id), |record| {
        store_record(conn, &record, as_of, calls_until)
    })
}

/// Brings the stored worklist up to date for these patients, inside the caller's transaction.
/// Nothing happens when there is no stored worklist (the next reader builds one).
pub fn refresh_patients(conn: &Connection, ids: &[&str]) -> rusqlite::Result<()> {
    crate::store::progress_index::refresh_patients(conn, ids)?;
    let Some((as_of, calls_until)) = stored_clock(conn)? else {
        return Ok(());
    };
    for id in ids {
        recompute(conn, id, as_of, calls_until)?;
    }
    Ok(())
}

/// A stored entry read back as it reads on `as_of` (the stored worklist's day): entries not
/// rechecked since an earlier day have their days overdue grown (`WorklistEntry::aged_to`).
/// No stored entry is `None`; a stored entry that does not decode is an error (a damaged or
/// foreign register), never a patient silently left off the list.
pub fn entry_from_json(
    json: Option<String>,
    as_of: NaiveDate,
) -> rusqlite::Result<Option<WorklistEntry>> {
    json.map(|j| {
        serde_json::from_str::<WorklistEntry>(&j)
            .map(|e| e.aged_to(as_of))
            .map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, Type::Text, Box::new(e)))
    })
    .transpose()
}
