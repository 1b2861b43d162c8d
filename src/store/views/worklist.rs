//! The worklist as every surface shows it: the rules of `domain::worklist` over the register's
//! facts, joined with names and phones, filtered, sorted and counted. TUI, CLI and report call this
//! one function, so their counts agree.

use super::facts::load_facts;
use super::readmissions::{Population, compute as compute_readmissions};
use crate::domain::calendar::Calendar;
use crate::domain::clock::Clock;
use crate::domain::readmission::ReadmissionPeriod;
use crate::domain::text::query_words;
use crate::domain::worklist::{
    Priority, ReadmissionWindow, Reason, Thresholds, WorklistEntry, evaluate, is_lost_to_follow_up,
};
use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

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
    /// Phones (first is the main one).
    pub phone: Option<String>,
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
    /// Phone.
    pub phone: Option<String>,
    /// The last visit, if any.
    pub last_visit: Option<NaiveDate>,
    /// Site name.
    pub site: String,
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
}

struct Person {
    name: String,
    phone: Option<String>,
    birth: Option<NaiveDate>,
    site_id: Option<String>,
    site: String,
    nurse_id: Option<String>,
    nurse: String,
    search_text: String,
}

/// Computes the worklist for `clock` with the default thresholds and Russia's calendar.
pub fn worklist(
    conn: &Connection,
    clock: &Clock,
    filter: &WorklistFilter,
) -> rusqlite::Result<WorklistView> {
    worklist_with(
        conn,
        clock,
        filter,
        &Thresholds::default(),
        &Calendar::russia(),
    )
}

/// Computes the worklist with explicit thresholds and calendar.
pub fn worklist_with(
    conn: &Connection,
    clock: &Clock,
    filter: &WorklistFilter,
    thresholds: &Thresholds,
    calendar: &Calendar,
) -> rusqlite::Result<WorklistView> {
    let as_of = clock.as_of;
    let mut facts = load_facts(conn, as_of, clock.calls_until())?;
    // Open readmission windows with their LACE join the facts (the readmission rule's own figures).
    let period = ReadmissionPeriod::default_for(as_of);
    let lace_threshold = u8::try_from(thresholds.lace_high_risk).unwrap_or(u8::MAX);
    let readmissions = compute_readmissions(conn, &period, &Population::Enrolled, lace_threshold)?;
    let mut windows: HashMap<&str, ReadmissionWindow> = HashMap::new();
    for w in readmissions.open_windows.iter().filter(|w| !w.readmitted) {
        let candidate = ReadmissionWindow {
            discharge: w.discharged,
            lace: u32::from(w.lace.total),
        };
        windows
            .entry(w.patient_id.as_str())
            .and_modify(|c| {
                if candidate.lace > c.lace {
                    *c = candidate;
                }
            })
            .or_insert(candidate);
    }
    for f in &mut facts {
        f.readmission_window = windows.get(f.patient_id.as_str()).copied();
    }

    let people = load_people(conn)?;
    let words = query_words(&filter.search);
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
    let mut rows = Vec::new();
    let mut lost = Vec::new();
    for f in &facts {
        let Some(person) = people.get(&f.patient_id) else {
            continue;
        };
        if !keep(person) {
            continue;
        }
        if is_lost_to_follow_up(f, as_of, thresholds) {
            lost.push(LostRow {
                patient_id: f.patient_id.clone(),
                full_name: person.name.clone(),
                phone: person.phone.clone(),
                last_visit: f.latest_visit,
                site: person.site.clone(),
            });
        }
        let Some(entry) = evaluate(f, as_of, thresholds, calendar) else {
            continue;
        };
        if filter.reason.is_some_and(|r| !entry.has(r)) {
            continue;
        }
        rows.push(WorklistRow {
            patient_id: f.patient_id.clone(),
            full_name: person.name.clone(),
            phone: person.phone.clone(),
            age: person.birth.map(|b| age_at(b, as_of)),
            site: person.site.clone(),
            site_id: person.site_id.clone(),
            nurse: person.nurse.clone(),
            entry,
        });
    }
    rows.sort_by(|a, b| a.entry.sort_key().cmp(&b.entry.sort_key()));
    lost.sort_by(|a, b| {
        a.last_visit
            .cmp(&b.last_visit)
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
    Ok(WorklistView {
        as_of,
        rows,
        by_reason,
        by_priority,
        lost_to_follow_up: lost,
        evaluated: facts.len() as u64,
        sites: crate::store::assign::sites(conn)?,
        nurses: crate::store::assign::nurses(conn)?,
    })
}

/// Whole years from `birth` to `on`.
pub fn age_at(birth: NaiveDate, on: NaiveDate) -> i32 {
    use chrono::Datelike;
    let mut age = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age
}

fn load_people(conn: &Connection) -> rusqlite::Result<HashMap<String, Person>> {
    let mut stmt = conn.prepare_cached(
        "SELECT p.id, p.family_name || ' ' || p.given_name || CASE WHEN p.patronymic = '' THEN '' ELSE ' ' || p.patronymic END,
                p.phone, p.birth_date, p.site_id, coalesce(o.name, ''), p.nurse_id, coalesce(s.name, ''), p.search_text
         FROM patients p LEFT JOIN organizations o ON o.id = p.site_id LEFT JOIN staff s ON s.id = p.nurse_id
         WHERE p.status = 'active'",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            Person {
                name: r.get(1)?,
                phone: r.get(2)?,
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
