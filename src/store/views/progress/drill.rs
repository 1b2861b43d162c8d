//! The patients behind a Progress figure: for a site, a nurse or the whole population and one
//! column, every patient in the figure's denominator (or counted), marked when in the numerator.
//! Each row's own figure is the patient's one-patient tally, so the marks add up to the figure.

use super::board::{Column, Figure, GroupExtras, ProgressQuery};
use super::compute::{Names, use_stored};
use crate::domain::clock::Clock;
use crate::domain::progress_codec::decode_months;
use crate::domain::progress_counts::Counts;
use crate::domain::progress_facts::{MonthFacts, Rules, derive};
use crate::store::patient_feed::{Scope, for_each_patient};
use crate::store::patients::full_name_sql;
use crate::store::progress_index::{self, progress_clock};
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

/// Whose patients to list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DrillGroup {
    /// Everyone in the query's population.
    Total,
    /// The patients assigned to a site ("" = no site).
    Site(String),
    /// The patients assigned to a nurse ("" = no nurse).
    Nurse(String),
}

/// One patient behind a figure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DrillRow {
    /// Patient id (Enter opens the card).
    pub patient_id: String,
    /// Full name.
    pub full_name: String,
    /// Main phone.
    pub phone: Option<String>,
    /// The patient's own figure in the column (0/1 for a share; readmissions can be n/m).
    pub figure: Figure,
    /// In the numerator (or counted).
    pub meets: bool,
    /// Latest HbA1c on or before the period's end (date, %).
    pub latest_hba1c: Option<(NaiveDate, f64)>,
    /// Latest blood pressure on or before the period's end (date, systolic, diastolic).
    pub latest_bp: Option<(NaiveDate, f64, f64)>,
    /// Latest visit on or before the period's end.
    pub last_visit: Option<NaiveDate>,
}

/// The list behind one figure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PatientDrill {
    /// The board's question.
    pub query: ProgressQuery,
    /// The group.
    pub group: DrillGroup,
    /// The group's display name ("" for the total or unassigned).
    pub group_name: String,
    /// The column.
    pub column: Column,
    /// The group's figure (the sum of the rows' own).
    pub figure: Figure,
    /// The patients, those in the numerator first, then by name.
    pub rows: Vec<DrillRow>,
}

/// Lists the patients behind `column` of `group` on the board of `query`: the group's patients
/// from the stored index (rebuilt first when the day or the rules changed), or computed on the
/// spot for a historical clock or a month the index does not hold.
pub fn progress_patients(
    conn: &Connection,
    clock: &Clock,
    query: &ProgressQuery,
    group: &DrillGroup,
    column: Column,
) -> rusqlite::Result<PatientDrill> {
    let end = progress_clock(clock).board_end(query.month);
    let mut list = Listing::new(query, group, column);
    if use_stored(conn, clock, end)? {
        let i = progress_clock(clock)
            .month_ends()
            .iter()
            .position(|e| *e == end)
            .unwrap_or(0);
        stored_patients(conn, &list.scope(), &mut |p, facts| {
            let months = decode_months(facts).map_err(progress_index::malformed)?;
            if let Some(m) = months.get(i) {
                list.add(p, m);
            }
            Ok(())
        })?;
    } else {
        list.compute(conn, clock, end)?;
    }
    list.finish(conn)
}

/// The same list always computed on the spot, never from the stored index: what the stored
/// lists are checked against.
pub fn progress_patients_computed(
    conn: &Connection,
    clock: &Clock,
    query: &ProgressQuery,
    group: &DrillGroup,
    column: Column,
) -> rusqlite::Result<PatientDrill> {
    let end = progress_clock(clock).board_end(query.month);
    let mut list = Listing::new(query, group, column);
    list.compute(conn, clock, end)?;
    list.finish(conn)
}

/// A patient as the list needs them: id, site, nurse, name and phone.
struct Person {
    id: String,
    site_id: String,
    nurse_id: String,
    full_name: String,
    phone: Option<String>,
}

/// The site and nurse a list is restricted to (`None`: any), or nobody when the board's filter
/// and the group disagree.
#[derive(Debug, Clone, Default)]
struct ListScope {
    site: Option<String>,
    nurse: Option<String>,
    nobody: bool,
}

impl ListScope {
    fn contains(&self, site: &str, nurse: &str) -> bool {
        !self.nobody
            && self.site.as_deref().is_none_or(|s| s == site)
            && self.nurse.as_deref().is_none_or(|n| n == nurse)
    }
}

/// The rows of a list as they are found, and the group's counters.
struct Listing<'q> {
    query: &'q ProgressQuery,
    group: &'q DrillGroup,
    column: Column,
    sum: Counts,
    rows: Vec<DrillRow>,
}

impl<'q> Listing<'q> {
    fn new(query: &'q ProgressQuery, group: &'q DrillGroup, column: Column) -> Self {
        Listing {
            query,
            group,
            column,
            sum: Counts::default(),
            rows: Vec::new(),
        }
    }

    /// The board's filter narrowed to the group.
    fn scope(&self) -> ListScope {
        let mut scope = ListScope {
            site: self.query.site_id.clone(),
            nurse: self.query.nurse_id.clone(),
            nobody: false,
        };
        let (slot, id) = match self.group {
            DrillGroup::Total => return scope,
            DrillGroup::Site(id) => (&mut scope.site, id),
            DrillGroup::Nurse(id) => (&mut scope.nurse, id),
        };
        if slot.as_ref().is_some_and(|s| s != id) {
            scope.nobody = true;
        }
        *slot = Some(id.clone());
        scope
    }

    /// Counts one patient of the group, and lists them when the figure applies to them.
    fn add(&mut self, p: Person, m: &MonthFacts) {
        self.sum.merge(&m.counts);
        let figure = self
            .column
            .figure(&m.counts.tally(), &GroupExtras::of(&m.counts));
        if !figure.applies() {
            return;
        }
        self.rows.push(DrillRow {
            patient_id: p.id,
            full_name: p.full_name,
            phone: p.phone,
            figure,
            meets: figure.meets(),
            latest_hba1c: m.drill.latest_hba1c,
            latest_bp: m.drill.latest_bp,
            last_visit: m.drill.last_visit,
        });
    }

    /// Every enrolled patient of the group, derived on the spot at `end`.
    fn compute(
        &mut self,
        conn: &Connection,
        clock: &Clock,
        end: NaiveDate,
    ) -> rusqlite::Result<()> {
        let pc = progress_clock(clock);
        let (thresholds, calendar) = crate::store::worklist_index::rules();
        let rules = Rules {
            thresholds: &thresholds,
            calendar: &calendar,
        };
        let scope = self.scope();
        let mut name = conn.prepare_cached(concat!(
            "SELECT ",
            full_name_sql!(),
            ", coalesce(nullif(phone, ''), nullif(phone2, '')) FROM patients WHERE id = ?1"
        ))?;
        for_each_patient(conn, Scope::Enrolled, |record, details| {
            if !scope.contains(&details.site_id, &details.nurse_id) {
                return Ok(());
            }
            let months = derive(&record, &details, &pc, &[end], rules);
            let (full_name, phone) = name
                .query_row([&record.id], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?
                .unwrap_or_default();
            if let Some(m) = months.first() {
                self.add(
                    Person {
                        id: record.id,
                        site_id: details.site_id,
                        nurse_id: details.nurse_id,
                        full_name,
                        phone,
                    },
                    m,
                );
            }
            Ok(())
        })
    }

    /// Orders the rows (those in the numerator first, then by name) and names the group.
    fn finish(mut self, conn: &Connection) -> rusqlite::Result<PatientDrill> {
        self.rows.sort_by(|a, b| {
            (!a.meets, &a.full_name, &a.patient_id).cmp(&(!b.meets, &b.full_name, &b.patient_id))
        });
        let names = Names::load(conn)?;
        let group_name = match self.group {
            DrillGroup::Total => String::new(),
            DrillGroup::Site(id) => names.site(id),
            DrillGroup::Nurse(id) => names.nurse(id),
        };
        Ok(PatientDrill {
            query: self.query.clone(),
            group: self.group.clone(),
            group_name,
            column: self.column,
            figure: self
                .column
                .figure(&self.sum.tally(), &GroupExtras::of(&self.sum)),
            rows: self.rows,
        })
    }
}

/// The stored rows of the patients in `scope`, with their names, by the (site, nurse) index.
fn stored_patients(
    conn: &Connection,
    scope: &ListScope,
    each: &mut dyn FnMut(Person, &[u8]) -> rusqlite::Result<()>,
) -> rusqlite::Result<()> {
    if scope.nobody {
        return Ok(());
    }
    macro_rules! select {
        ($where:literal) => {
            concat!(
                "SELECT f.patient_id, f.site_id, f.nurse_id, f.facts, ",
                full_name_sql!(),
                ", coalesce(nullif(p.phone, ''), nullif(p.phone2, ''))
                 FROM progress_facts f JOIN patients p ON p.id = f.patient_id ",
                $where
            )
        };
    }
    // The (site, nurse) pairs to read: one site, a nurse's sites, or everyone.
    let pairs: Vec<(Option<String>, Option<String>)> = match (&scope.site, &scope.nurse) {
        (None, Some(nurse)) => {
            let mut stmt = conn.prepare_cached(
                "SELECT DISTINCT site_id FROM progress_totals WHERE nurse_id = ?1",
            )?;
            let sites = stmt.query_map([nurse], |r| r.get::<_, String>(0))?;
            sites
                .map(|s| s.map(|s| (Some(s), Some(nurse.clone()))))
                .collect::<rusqlite::Result<_>>()?
        }
        (site, nurse) => vec![(site.clone(), nurse.clone())],
    };
    for (site, nurse) in pairs {
        let mut stmt = match (&site, &nurse) {
            (Some(_), Some(_)) => {
                conn.prepare_cached(select!("WHERE f.site_id = ?1 AND f.nurse_id = ?2"))?
            }
            (Some(_), None) => {
                conn.prepare_cached(select!("WHERE f.site_id = ?1 AND ?2 IS NULL"))?
            }
            _ => conn.prepare_cached(select!("WHERE ?1 IS NULL AND ?2 IS NULL"))?,
        };
        let mut rows = stmt.query(params![site, nurse])?;
        while let Some(r) = rows.next()? {
            let person = Person {
                id: r.get(0)?,
                site_id: r.get(1)?,
                nurse_id: r.get(2)?,
                full_name: r.get(4)?,
                phone: r.get(5)?,
            };
            let facts = r.get_ref(3)?.as_blob()?;
            if scope.contains(&person.site_id, &person.nurse_id) {
                each(person, facts)?;
            }
        }
    }
    Ok(())
}
