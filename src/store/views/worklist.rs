//! The worklist as every surface shows it: the rules of `domain::worklist` over the register's
//! facts, joined with names and phones, filtered, sorted and counted. TUI, CLI and report call this
//! one function, so their counts agree.

use crate::domain::calendar::Calendar;
use crate::domain::clock::{Clock, ClockKind};
use crate::domain::phone_choice::{PhoneChoice, number_to_dial};
use crate::domain::text::query_words;
use crate::domain::worklist::{
    LostToFollowUp, Priority, Reason, Section, Thresholds, WorklistEntry, lost_to_follow_up_on,
    place,
};
use crate::store::patient_feed::{Scope, for_each_record};
use crate::store::patients::full_name_sql;
use crate::store::worklist_index;
use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Which part of the worklist to show.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct WorklistFilter {
    /// Only this nurse's patients ("mine" when it is the user's own id).
    pub nurse_id: Option<String>,
    /// Only this site's patients.
    pub site_id: Option<String>,
    /// Only entries with this reason.
    pub reason: Option<Reason>,
    /// Only patients with a phone number.
    pub has_phone: bool,
    /// Free-text search: name (any script, ё = е), phone or policy number.
    pub search: String,
    /// The section of the worklist (`domain::worklist::place`): to call unless asked otherwise.
    pub section: Section,
    /// Only patients enrolled in this programme (`None`: all programmes).
    pub program: Option<String>,
}

impl WorklistFilter {
    /// The TUI's filter key: everyone → mine (when the user is a nurse) → with a phone → everyone.
    pub fn cycle_scope(&mut self, my_id: Option<&str>) {
        match (self.nurse_id.is_some(), self.has_phone) {
            (false, false) if my_id.is_some() => self.nurse_id = my_id.map(String::from),
            (_, false) => self.has_phone = true,
            _ => {
                self.nurse_id = None;
                self.has_phone = false;
            }
        }
    }
}

/// One line of the worklist.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WorklistRow {
    /// Patient id.
    pub patient_id: String,
    /// Patient's full name.
    pub full_name: String,
    /// The number to dial: the main one, or the second when the main is missing or was reported
    /// invalid (see [`crate::domain::phone_choice`]).
    pub phone: Option<String>,
    /// Why `phone` is that number (`None`: no number at all).
    pub phone_choice: Option<PhoneChoice>,
    /// Age in years at the as-of date.
    pub age: Option<i32>,
    /// Site name.
    pub site: String,
    /// Site id.
    pub site_id: Option<String>,
    /// Nurse name.
    pub nurse: String,
    /// Why, how late, how urgent.
    pub entry: WorklistEntry,
}

/// A patient lost to follow-up (no visit in 12 months): the separate list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LostRow {
    /// Patient id.
    pub patient_id: String,
    /// Full name.
    pub full_name: String,
    /// The number to dial (as on the worklist's rows).
    pub phone: Option<String>,
    /// Why `phone` is that number.
    pub phone_choice: Option<PhoneChoice>,
    /// The last visit, if any.
    pub last_visit: Option<NaiveDate>,
    /// Site name.
    pub site: String,
    /// A nurse took the patient off the list before they became lost: still lost to follow-up
    /// (counted in the figure), shown apart after the others.
    pub taken_off: bool,
}

/// The computed worklist.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WorklistView {
    /// The date the rules ran for.
    pub as_of: NaiveDate,
    /// Entries after the filter, in worklist order.
    pub rows: Vec<WorklistRow>,
    /// Entries per reason (after the filter).
    pub by_reason: BTreeMap<String, u64>,
    /// Entries per priority (after the filter).
    pub by_priority: BTreeMap<String, u64>,
    /// Patients lost to follow-up (after the filter), a separate list.
    pub lost_to_follow_up: Vec<LostRow>,
    /// Active enrolled patients the rules looked at (before the filter).
    pub evaluated: u64,
    /// Sites with patients (id, name), for the site filter.
    pub sites: Vec<(String, String)>,
    /// Nurses (id, name, home site), for the nurse filter and assignment.
    pub nurses: Vec<(String, String, Option<String>)>,
    /// Entries matching the filter in the whole list (`rows` may be one page of them); `None`
    /// while the TUI's counts are on their way.
    pub total: Option<u64>,
    /// Patients lost to follow-up matching the filter (`lost_to_follow_up` may be the first few):
    /// the catalogue's `lost` figure, taken-off patients included.
    pub lost_total: Option<u64>,
    /// Of those, the ones a nurse took off the list (`LostRow::taken_off`).
    pub lost_taken_off: Option<u64>,
    /// Of those, the ones also on the call list (after the filter): the lost-to-follow-up
    /// section and the call list overlap by this many patients.
    pub lost_on_list: Option<u64>,
    /// Where the next page starts, when `rows` is a page and there are more.
    pub next: Option<super::worklist_page::PageKey>,
}

struct Person {
    name: String,
    phone: Option<String>,
    phone_choice: Option<PhoneChoice>,
    birth: Option<NaiveDate>,
    site_id: Option<String>,
    site: String,
    nurse_id: Option<String>,
    nurse: String,
    search_text: String,
}

/// One patient's verdict: on the list (with the entry), lost to follow-up, or both.
struct Verdict {
    patient_id: String,
    entry: Option<WorklistEntry>,
    lost: Option<LostToFollowUp>,
    last_visit: Option<NaiveDate>,
}

/// Computes the worklist for `clock` with the default thresholds and Russia's calendar.
///
/// For today (and the demo's fixed date) the verdicts come from the stored worklist
/// (`store::worklist_index`), rebuilt first when the day changed; for a historical `--as-of` they
/// are computed on the spot from the same records by the same rules.
pub fn worklist(
    conn: &Connection,
    clock: &Clock,
    filter: &WorklistFilter,
) -> rusqlite::Result<WorklistView> {
    let verdicts = match clock.kind {
        ClockKind::Historical => {
            let (thresholds, calendar) = worklist_index::rules();
            computed_verdicts(conn, clock, &thresholds, &calendar)?
        }
        _ => {
            worklist_index::ensure_fresh(conn, clock)?;
            stored_verdicts(conn, clock.as_of)?
        }
    };
    assemble(conn, clock, filter, verdicts)
}

/// Computes the worklist with explicit thresholds and calendar, always on the spot.
pub fn worklist_with(
    conn: &Connection,
    clock: &Clock,
    filter: &WorklistFilter,
    thresholds: &Thresholds,
    calendar: &Calendar,
) -> rusqlite::Result<WorklistView> {
    let verdicts = computed_verdicts(conn, clock, thresholds, calendar)?;
    assemble(conn, clock, filter, verdicts)
}

fn computed_verdicts(
    conn: &Connection,
    clock: &Clock,
    thresholds: &Thresholds,
    calendar: &Calendar,
) -> rusqlite::Result<Vec<Verdict>> {
    let (as_of, calls_until) = (clock.as_of, clock.calls_until());
    let mut out = Vec::new();
    // On a past date the lost-to-follow-up count takes the population of that day, as Progress
    // does: a patient who has died or moved since then is counted (and listed with no call to
    // make), so the historical register is read whole; today's lists need the active only.
    let scope = if clock.kind == crate::domain::clock::ClockKind::Historical {
        Scope::Enrolled
    } else {
        Scope::All
    };
    for_each_record(conn, scope, |record| {
        let facts = record.facts(as_of, calls_until);
        let entry = if record.status == crate::domain::types::PatientStatus::Active {
            place(&facts, as_of, thresholds, calendar)
        } else {
            None
        };
        let lost = lost_to_follow_up_on(&record, &facts, as_of, thresholds);
        if entry.is_some() || lost.is_some() {
            out.push(Verdict {
                patient_id: record.id,
                entry,
                lost,
                last_visit: facts.latest_visit,
            });
        }
        Ok(())
    })?;
    Ok(out)
}

fn stored_verdicts(conn: &Connection, as_of: NaiveDate) -> rusqlite::Result<Vec<Verdict>> {
    let mut stmt = conn.prepare_cached(
        "SELECT patient_id, entry_json, lost, last_visit FROM worklist_entries WHERE section IS NOT NULL OR lost <> ?1",
    )?;
    let rows = stmt.query_map([worklist_index::LOST_NO], |r| {
        Ok(Verdict {
            patient_id: r.get(0)?,
            entry: worklist_index::entry_from_json(r.get(1)?, as_of)?,
            lost: worklist_index::lost_of_column(r.get(2)?),
            last_visit: r
                .get::<_, Option<String>>(3)?
                .as_deref()
                .and_then(crate::domain::dates::date_of_timestamp),
        })
    })?;
    rows.collect()
}

fn assemble(
    conn: &Connection,
    clock: &Clock,
    filter: &WorklistFilter,
    verdicts: Vec<Verdict>,
) -> rusqlite::Result<WorklistView> {
    let as_of = clock.as_of;
    let people = load_people(conn, clock.kind == ClockKind::Historical)?;
    let words = query_words(&filter.search);
    let in_program = match &filter.program {
        Some(id) => Some(enrolled_in(conn, id)?),
        None => None,
    };
    let keep = |p: &Person| -> bool {
        filter
            .nurse_id
            .as_ref()
            .is_none_or(|n| p.nurse_id.as_ref() == Some(n))
            && filter
                .site_id
                .as_ref()
                .is_none_or(|s| p.site_id.as_ref() == Some(s))
            && (!filter.has_phone || p.phone.is_some())
            && words.iter().all(|w| p.search_text.contains(w.as_str()))
    };
    let in_program = |id: &str| in_program.as_ref().is_none_or(|set| set.contains(id));
    let mut rows = Vec::new();
    let mut lost = Vec::new();
    let mut lost_on_list = 0u64;
    let mut lost_taken_off = 0u64;
    for v in verdicts {
        let Some(person) = people.get(&v.patient_id) else {
            continue;
        };
        if !keep(person) || !in_program(&v.patient_id) {
            continue;
        }
        if let Some(l) = v.lost {
            let taken_off = l == LostToFollowUp::TakenOff;
            lost_taken_off += u64::from(taken_off);
            lost.push(LostRow {
                patient_id: v.patient_id.clone(),
                full_name: person.name.clone(),
                phone: person.phone.clone(),
                phone_choice: person.phone_choice,
                last_visit: v.last_visit,
                site: person.site.clone(),
                taken_off,
            });
        }
        let Some(entry) = v.entry.filter(|e| e.section == filter.section) else {
            continue;
        };
        if filter.reason.is_some_and(|r| !entry.has(r)) {
            continue;
        }
        if v.lost.is_some() {
            lost_on_list += 1;
        }
        rows.push(WorklistRow {
            patient_id: v.patient_id,
            full_name: person.name.clone(),
            phone: person.phone.clone(),
            phone_choice: person.phone_choice,
            age: person.birth.map(|b| age_at(b, as_of)),
            site: person.site.clone(),
            site_id: person.site_id.clone(),
            nurse: person.nurse.clone(),
            entry,
        });
    }
    rows.sort_by(|a, b| a.entry.sort_key().cmp(&b.entry.sort_key()));
    // As the stored list's index orders them: the ones to call first, the taken-off ones after.
    lost.sort_by(|a, b| {
        a.taken_off
            .cmp(&b.taken_off)
            .then(a.last_visit.cmp(&b.last_visit))
            .then(a.patient_id.cmp(&b.patient_id))
    });
    let mut by_reason = BTreeMap::new();
    let mut by_priority = BTreeMap::new();
    for r in Reason::ALL {
        by_reason.insert(r.as_code().to_string(), 0);
    }
    for p in Priority::ALL {
        by_priority.insert(p.as_code().to_string(), 0);
    }
    for row in &rows {
        for r in &row.entry.reasons {
            *by_reason.entry(r.as_code().to_string()).or_insert(0) += 1;
        }
        *by_priority
            .entry(row.entry.priority.as_code().to_string())
            .or_insert(0) += 1;
    }
    let (rows_len, lost_len) = (rows.len() as u64, lost.len() as u64);
    let evaluated = conn.query_row(
        "SELECT count(DISTINCT p.id) FROM patients p JOIN enrolments e ON e.patient_id = p.id AND e.ended_on IS NULL WHERE p.status = 'active'",
        [],
        |r| r.get::<_, i64>(0),
    )? as u64;
    Ok(WorklistView {
        as_of,
        rows,
        by_reason,
        by_priority,
        lost_to_follow_up: lost,
        evaluated,
        sites: crate::store::assign::sites(conn)?,
        nurses: crate::store::assign::nurses(conn)?,
        total: Some(rows_len),
        lost_total: Some(lost_len),
        lost_taken_off: Some(lost_taken_off),
        lost_on_list: Some(lost_on_list),
        next: None,
    })
}

pub use crate::domain::dates::age_at;

/// The patients with an open enrolment in programme `id`.
pub fn enrolled_in(conn: &Connection, id: &str) -> rusqlite::Result<HashSet<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT patient_id FROM enrolments WHERE program_id = ?1 AND ended_on IS NULL",
    )?;
    let rows = stmt.query_map([id], |r| r.get(0))?;
    rows.collect()
}

/// The active patients' names, phones and assignments; with `every_status`, every patient's (a
/// past date's lost-to-follow-up list can hold one who has died or moved since).
fn load_people(conn: &Connection, every_status: bool) -> rusqlite::Result<HashMap<String, Person>> {
    let invalid = crate::store::phones::main_reported_invalid_all(conn)?;
    let mut stmt = conn.prepare_cached(
        concat!("SELECT p.id, ", full_name_sql!(), ",
                p.phone, p.birth_date, p.site_id, coalesce(o.name, ''), p.nurse_id, coalesce(s.name, ''), p.search_text, p.phone2
         FROM patients p LEFT JOIN organizations o ON o.id = p.site_id LEFT JOIN staff s ON s.id = p.nurse_id
         WHERE ?1 OR p.status = 'active'"),
    )?;
    let rows = stmt.query_map([every_status], |r| {
        let id = r.get::<_, String>(0)?;
        let main: Option<String> = r.get(2)?;
        let second: Option<String> = r.get(9)?;
        let dial = number_to_dial(main.as_deref(), second.as_deref(), invalid.contains(&id));
        Ok((
            id,
            Person {
                name: r.get(1)?,
                phone: dial.as_ref().map(|(n, _)| n.clone()),
                phone_choice: dial.map(|(_, c)| c),
                birth: r
                    .get::<_, String>(3)
                    .ok()
                    .and_then(|d| crate::domain::dates::date_of_timestamp(&d)),
                site_id: r.get(4)?,
                site: r.get(5)?,
                nurse_id: r.get(6)?,
                nurse: r.get(7)?,
                search_text: r.get(8)?,
            },
        ))
    })?;
    rows.collect()
}

/// The TUI's view of the worklist: one page (after `after`) without counts, which follow in a
/// second request ([`super::worklist_page::counts`]) so the first page shows at once.
pub fn worklist_first_page(
    conn: &Connection,
    clock: &Clock,
    filter: &WorklistFilter,
    after: Option<&super::worklist_page::PageKey>,
    limit: usize,
) -> rusqlite::Result<WorklistView> {
    let page = super::worklist_page::page(conn, clock, filter, after, limit)?;
    Ok(WorklistView {
        as_of: clock.as_of,
        rows: page.rows,
        by_reason: BTreeMap::new(),
        by_priority: BTreeMap::new(),
        lost_to_follow_up: Vec::new(),
        evaluated: 0,
        sites: crate::store::assign::sites(conn)?,
        nurses: crate::store::assign::nurses(conn)?,
        total: None,
        lost_total: None,
        lost_taken_off: None,
        lost_on_list: None,
        next: page.next,
    })
}
