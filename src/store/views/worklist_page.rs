//! The worklist a page at a time, for the TUI: keyset paging over the stored worklist's order
//! index, so the first page and every next page cost the same at 6,000 or 1,000,000 patients.
//! The filter means exactly what it means in [`super::worklist::worklist`] (a test holds them equal).

use super::worklist::{LostRow, WorklistFilter, WorklistRow, age_at};
use crate::domain::clock::Clock;
use crate::domain::dates::date_of_timestamp;
use crate::domain::phone_choice::{PhoneChoice, main_reported_invalid, number_to_dial};
use crate::domain::text::query_words;
use crate::domain::worklist::{LostToFollowUp, Priority, Reason, Section};
use crate::store::patients::full_name_sql;
use crate::store::worklist_index::{self, entry_from_json, reason_bit};
use rusqlite::{Connection, params};
use serde::Serialize;
use std::collections::BTreeMap;

/// The number to dial from a row holding the main number at `main` and, from `rest` on, the
/// second number, the latest "invalid number" call in force and the main number's latest change.
fn dial_from_row(
    r: &rusqlite::Row<'_>,
    main: usize,
    rest: usize,
) -> rusqlite::Result<Option<(String, PhoneChoice)>> {
    let first: Option<String> = r.get(main)?;
    let second: Option<String> = r.get(rest)?;
    let invalid = main_reported_invalid(
        r.get::<_, Option<String>>(rest + 1)?.as_deref(),
        r.get::<_, Option<String>>(rest + 2)?.as_deref(),
    );
    Ok(number_to_dial(first.as_deref(), second.as_deref(), invalid))
}

/// Where a page starts: the last row of the previous page in list order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PageKey {
    /// The stored order rank (`worklist_index::order_rank`: priority, then clinical flags last).
    pub priority: i64,
    /// Days since 1970-01-01 of the day lateness started (see `worklist_index::NOTHING_LATE`).
    pub late_since: i64,
    /// Patient id.
    pub patient_id: String,
}

/// One page of the worklist.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WorklistPage {
    /// The rows, in list order.
    pub rows: Vec<WorklistRow>,
    /// The key of the last row (start of the next page), when there may be more.
    pub next: Option<PageKey>,
}

/// Counts of the whole filtered list (asked for separately: they scan it).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct WorklistCounts {
    /// Entries in the filter's section.
    pub total: u64,
    /// Entries per section code (every section, whichever the filter shows).
    pub by_section: BTreeMap<String, u64>,
    /// Entries per priority code.
    pub by_priority: BTreeMap<String, u64>,
    /// Entries per reason code.
    pub by_reason: BTreeMap<String, u64>,
    /// Patients lost to follow-up (the catalogue's `lost` figure, taken-off patients included).
    pub lost_total: u64,
    /// Of those, the ones a nurse took off the list.
    pub lost_taken_off: u64,
    /// Of those, the ones also on the (filtered) call list.
    pub lost_on_list: u64,
    /// The first of them (longest without a visit first).
    pub lost: Vec<LostRow>,
}

fn filter_params(filter: &WorklistFilter) -> (Option<String>, Option<String>, i64, bool, String) {
    let words = serde_json::to_string(&query_words(&filter.search)).unwrap_or_else(|_| "[]".into());
    (
        filter.nurse_id.clone(),
        filter.site_id.clone(),
        filter.reason.map(reason_bit).unwrap_or(0),
        filter.has_phone,
        words,
    )
}

/// A page of the worklist after `after` (the first page when `None`), rebuilding the stored
/// worklist first if the day changed.
pub fn page(
    conn: &Connection,
    clock: &Clock,
    filter: &WorklistFilter,
    after: Option<&PageKey>,
    limit: usize,
) -> rusqlite::Result<WorklistPage> {
    worklist_index::ensure_fresh(conn, clock)?;
    let (nurse, site, reason, phone, words) = filter_params(filter);
    let (ap, ad, aid) = after.map_or((-1, i64::MIN, String::new()), |k| {
        (k.priority, k.late_since, k.patient_id.clone())
    });
    let mut stmt = conn.prepare_cached(
        concat!("SELECT w.patient_id, w.entry_json, w.priority, w.late_since,
                ", full_name_sql!(), ",
                p.phone, p.birth_date, coalesce(o.name, ''), p.site_id, coalesce(s.name, ''), p.phone2,
                (SELECT max(c.called_at) FROM calls c
                  WHERE c.patient_id = p.id AND c.outcome = 'invalid_number'
                    AND NOT EXISTS (SELECT 1 FROM calls x WHERE x.supersedes = c.id)),
                (SELECT max(ch.changed_at) FROM changes ch WHERE ch.patient_id = p.id AND ch.field = 'phone')
         FROM worklist_entries w
         JOIN patients p ON p.id = w.patient_id
         LEFT JOIN organizations o ON o.id = p.site_id
         LEFT JOIN staff s ON s.id = p.nurse_id
         WHERE w.section = ?10
           AND (w.priority, w.late_since, w.patient_id) > (?6, ?7, ?8)
           AND (?1 IS NULL OR w.nurse_id = ?1)
           AND (?2 IS NULL OR w.site_id = ?2)
           AND (?3 = 0 OR w.reasons & ?3 != 0)
           AND (NOT ?4 OR p.phone IS NOT NULL OR p.phone2 IS NOT NULL)
           AND NOT EXISTS (SELECT 1 FROM json_each(?5) q WHERE instr(p.search_text, q.value) = 0)
           AND (?11 IS NULL OR EXISTS (SELECT 1 FROM enrolments e WHERE e.patient_id = w.patient_id AND e.program_id = ?11 AND e.ended_on IS NULL))
         ORDER BY w.section, w.priority, w.late_since, w.patient_id
         LIMIT ?9"),
    )?;
    let mut rows = Vec::new();
    let mut last = None;
    let mut query = stmt.query(params![
        nurse,
        site,
        reason,
        phone,
        words,
        ap,
        ad,
        aid,
        limit as i64,
        filter.section.as_code(),
        filter.program
    ])?;
    while let Some(r) = query.next()? {
        let patient_id: String = r.get(0)?;
        last = Some(PageKey {
            priority: r.get(2)?,
            late_since: r.get(3)?,
            patient_id: patient_id.clone(),
        });
        let Some(entry) = entry_from_json(r.get(1)?, clock.as_of)? else {
            continue;
        };
        let dial = dial_from_row(r, 5, 10)?;
        rows.push(WorklistRow {
            patient_id,
            full_name: r.get(4)?,
            phone: dial.as_ref().map(|(n, _)| n.clone()),
            phone_choice: dial.map(|(_, c)| c),
            age: r
                .get::<_, Option<String>>(6)?
                .as_deref()
                .and_then(date_of_timestamp)
                .map(|b| age_at(b, clock.as_of)),
            site: r.get(7)?,
            site_id: r.get(8)?,
            nurse: r.get(9)?,
            entry,
        });
    }
    let next = if rows.len() == limit { last } else { None };
    Ok(WorklistPage { rows, next })
}

/// Where the last page of the filtered list starts (the key of the row before it; `None`: the
/// list fits on the first page), so `End` reaches the end of the whole list, not of the page.
pub fn last_page_start(
    conn: &Connection,
    clock: &Clock,
    filter: &WorklistFilter,
    limit: usize,
) -> rusqlite::Result<Option<PageKey>> {
    worklist_index::ensure_fresh(conn, clock)?;
    let (nurse, site, reason, phone, words) = filter_params(filter);
    let mut stmt = conn.prepare_cached(
        "SELECT w.priority, w.late_since, w.patient_id
         FROM worklist_entries w
         JOIN patients p ON p.id = w.patient_id
         WHERE w.section = ?7
           AND (?1 IS NULL OR w.nurse_id = ?1)
           AND (?2 IS NULL OR w.site_id = ?2)
           AND (?3 = 0 OR w.reasons & ?3 != 0)
           AND (NOT ?4 OR p.phone IS NOT NULL OR p.phone2 IS NOT NULL)
           AND NOT EXISTS (SELECT 1 FROM json_each(?5) q WHERE instr(p.search_text, q.value) = 0)
           AND (?8 IS NULL OR EXISTS (SELECT 1 FROM enrolments e WHERE e.patient_id = w.patient_id AND e.program_id = ?8 AND e.ended_on IS NULL))
         ORDER BY w.section DESC, w.priority DESC, w.late_since DESC, w.patient_id DESC
         LIMIT 1 OFFSET ?6",
    )?;
    let mut rows = stmt.query(params![
        nurse,
        site,
        reason,
        phone,
        words,
        limit as i64,
        filter.section.as_code(),
        filter.program
    ])?;
    match rows.next()? {
        Some(r) => Ok(Some(PageKey {
            priority: r.get(0)?,
            late_since: r.get(1)?,
            patient_id: r.get(2)?,
        })),
        None => Ok(None),
    }
}

/// The counts of the filtered list, and the first `lost_limit` patients lost to follow-up.
pub fn counts(
    conn: &Connection,
    clock: &Clock,
    filter: &WorklistFilter,
    lost_limit: usize,
) -> rusqlite::Result<WorklistCounts> {
    worklist_index::ensure_fresh(conn, clock)?;
    let (nurse, site, reason, phone, words) = filter_params(filter);
    let mut c = WorklistCounts::default();
    for p in Priority::ALL {
        c.by_priority.insert(p.as_code().to_string(), 0);
    }
    for s in Section::ALL {
        c.by_section.insert(s.as_code().to_string(), 0);
    }
    let shown = filter.section.as_code();
    // Without a phone or name filter the counts need no patient row: a scan of the stored list
    // alone (a third of the time at 1,000,000 patients).
    let needs_patient = phone || words != "[]";
    let mut stmt = conn.prepare_cached(if needs_patient {
        "SELECT w.priority, w.reasons, w.section, w.lost FROM worklist_entries w JOIN patients p ON p.id = w.patient_id
         WHERE (?1 IS NULL OR w.nurse_id = ?1)
           AND (?2 IS NULL OR w.site_id = ?2)
           AND (NOT ?3 OR p.phone IS NOT NULL OR p.phone2 IS NOT NULL)
           AND NOT EXISTS (SELECT 1 FROM json_each(?4) q WHERE instr(p.search_text, q.value) = 0)
           AND (?5 IS NULL OR EXISTS (SELECT 1 FROM enrolments e WHERE e.patient_id = w.patient_id AND e.program_id = ?5 AND e.ended_on IS NULL))"
    } else {
        "SELECT w.priority, w.reasons, w.section, w.lost FROM worklist_entries w
         WHERE (?1 IS NULL OR w.nurse_id = ?1)
           AND (?2 IS NULL OR w.site_id = ?2)
           AND (?3 IS NULL OR EXISTS (SELECT 1 FROM enrolments e WHERE e.patient_id = w.patient_id AND e.program_id = ?3 AND e.ended_on IS NULL))"
    })?;
    let mut reason_counts = [0u64; Reason::ALL.len()];
    let mut query = if needs_patient {
        stmt.query(params![nurse, site, phone, words, filter.program])?
    } else {
        stmt.query(params![nurse, site, filter.program])?
    };
    while let Some(r) = query.next()? {
        let (priority, reasons, section, lost): (i64, i64, Option<String>, i64) =
            (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
        let lost = worklist_index::lost_of_column(lost);
        if let Some(l) = lost {
            c.lost_total += 1;
            c.lost_taken_off += u64::from(l == LostToFollowUp::TakenOff);
        }
        let Some(section) = section else { continue };
        if reason != 0 && reasons & reason == 0 {
            continue;
        }
        if let Some(n) = c.by_section.get_mut(section.as_str()) {
            *n += 1;
        }
        if section != shown {
            continue;
        }
        if lost.is_some() {
            c.lost_on_list += 1;
        }
        c.total += 1;
        if let Some(p) = worklist_index::priority_of_column(priority) {
            *c.by_priority.entry(p.as_code().to_string()).or_insert(0) += 1;
        }
        for (i, slot) in reason_counts.iter_mut().enumerate().take(Reason::ALL.len()) {
            if reasons & (1 << i) != 0 {
                *slot += 1;
            }
        }
    }
    for (i, r) in Reason::ALL.iter().enumerate() {
        c.by_reason.insert(
            r.as_code().to_string(),
            reason_counts.get(i).copied().unwrap_or(0),
        );
    }
    let mut stmt = conn.prepare_cached(
        concat!("SELECT w.patient_id,
                ", full_name_sql!(), ",
                p.phone, w.last_visit, coalesce(o.name, ''), p.phone2,
                (SELECT max(c.called_at) FROM calls c
                  WHERE c.patient_id = p.id AND c.outcome = 'invalid_number'
                    AND NOT EXISTS (SELECT 1 FROM calls x WHERE x.supersedes = c.id)),
                (SELECT max(ch.changed_at) FROM changes ch WHERE ch.patient_id = p.id AND ch.field = 'phone'),
                w.lost
         FROM worklist_entries w JOIN patients p ON p.id = w.patient_id LEFT JOIN organizations o ON o.id = p.site_id
         WHERE w.lost >= ?6
           AND (?1 IS NULL OR w.nurse_id = ?1)
           AND (?2 IS NULL OR w.site_id = ?2)
           AND (NOT ?3 OR p.phone IS NOT NULL OR p.phone2 IS NOT NULL)
           AND NOT EXISTS (SELECT 1 FROM json_each(?4) q WHERE instr(p.search_text, q.value) = 0)
           AND (?7 IS NULL OR EXISTS (SELECT 1 FROM enrolments e WHERE e.patient_id = w.patient_id AND e.program_id = ?7 AND e.ended_on IS NULL))
         ORDER BY w.lost, w.last_visit, w.patient_id
         LIMIT ?5"),
    )?;
    let rows = stmt.query_map(
        params![
            filter.nurse_id,
            filter.site_id,
            filter.has_phone,
            words,
            lost_limit as i64,
            worklist_index::LOST_LISTED,
            filter.program
        ],
        |r| {
            let dial = dial_from_row(r, 2, 5)?;
            Ok(LostRow {
                patient_id: r.get(0)?,
                full_name: r.get(1)?,
                phone: dial.as_ref().map(|(n, _)| n.clone()),
                phone_choice: dial.map(|(_, c)| c),
                last_visit: r
                    .get::<_, Option<String>>(3)?
                    .as_deref()
                    .and_then(date_of_timestamp),
                site: r.get(4)?,
                taken_off: r.get::<_, i64>(8)? == worklist_index::LOST_TAKEN_OFF,
            })
        },
    )?;
    c.lost = rows.collect::<rusqlite::Result<_>>()?;
    Ok(c)
}
