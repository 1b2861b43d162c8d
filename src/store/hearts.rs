//! The per-patient facts of one programme that the HEARTS rules ([`crate::domain::hearts`]) read:
//! enrolment, death, moving away, the days of encounters and the BP, HbA1c and glucose readings
//! in a span of days. Three statements, each one pass over the programme's enrolments joined to an
//! index by patient (`observations_by_patient`, `encounters_by_patient`), bound parameters only.

use crate::domain::dates::date_of_timestamp;
use crate::domain::hearts::{
    Counts, Exit, Outcome, PatientFacts, Quarter, Reading, ReadingKind, Status, months_before,
};
use chrono::{Datelike, NaiveDate};
use rusqlite::{Connection, params};
use std::collections::{BTreeMap, HashMap};

/// One enrolled patient of a programme with their HEARTS facts.
#[derive(Debug, Clone, PartialEq)]
pub struct HeartsPatient {
    /// Patient id.
    pub id: String,
    /// Assigned site id ("" when none).
    pub site_id: String,
    /// Assigned nurse id ("" when none).
    pub nurse_id: String,
    /// What the rules read.
    pub facts: PatientFacts,
}

impl HeartsPatient {
    /// The patient's state at `as_of`.
    pub fn status(&self, as_of: NaiveDate, outcome: Outcome) -> Status {
        self.facts.status(as_of, outcome)
    }
}

/// The programmes of the register (id, name), by id: the ids `--program` accepts.
pub fn programs(conn: &Connection) -> rusqlite::Result<Vec<(String, String)>> {
    let mut st = conn.prepare_cached("SELECT id, name FROM programs ORDER BY id")?;
    let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect()
}

fn day(text: Option<String>) -> Option<NaiveDate> {
    text.as_deref().and_then(|t| ymd(t.as_bytes()))
}

/// The date at the start of `YYYY-MM-DD…`, read digit by digit (chrono's format parser was most
/// of a pass's time); anything else goes to `date_of_timestamp`.
fn ymd(t: &[u8]) -> Option<NaiveDate> {
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        t.get(range)?.iter().try_fold(0u32, |n, b| {
            b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
        })
    };
    if t.get(4) != Some(&b'-') || t.get(7) != Some(&b'-') {
        return std::str::from_utf8(t).ok().and_then(date_of_timestamp);
    }
    let year = i32::try_from(digits(0..4)?).ok()?;
    NaiveDate::from_ymd_opt(year, digits(5..7)?, digits(8..10)?)
}

/// The date of a text column read in place (no allocation).
fn day_ref(v: rusqlite::types::ValueRef<'_>) -> Option<NaiveDate> {
    v.as_str().ok().and_then(|t| ymd(t.as_bytes()))
}

/// Every patient enrolled in `program_id`, with the encounters and readings dated after `after`
/// and on or before `to` (the HEARTS windows of the as-of dates asked for must fall inside).
pub fn hearts_patients(
    conn: &Connection,
    program_id: &str,
    after: NaiveDate,
    to: NaiveDate,
) -> rusqlite::Result<Vec<HeartsPatient>> {
    let mut patients = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut st = conn.prepare_cached(
        "SELECT e.patient_id, e.enrolled_on, e.ended_on, p.status, p.death_date, p.moved_on,
                coalesce(p.site_id, ''), coalesce(p.nurse_id, '')
         FROM enrolments e JOIN patients p ON p.id = e.patient_id
         WHERE e.program_id = ?1
         ORDER BY e.patient_id",
    )?;
    let mut rows = st.query(params![program_id])?;
    while let Some(r) = rows.next()? {
        let Some(enrolled_on) = day(r.get(1)?) else {
            continue;
        };
        let status: String = r.get(3)?;
        let exit = |flag: bool, date: Option<NaiveDate>| match (flag, date) {
            (_, Some(d)) => Exit::On(d),
            (true, None) => Exit::Undated,
            (false, None) => Exit::No,
        };
        let id: String = r.get(0)?;
        index.insert(id.clone(), patients.len());
        patients.push(HeartsPatient {
            id,
            site_id: r.get(6)?,
            nurse_id: r.get(7)?,
            facts: PatientFacts {
                enrolled_on,
                ended_on: day(r.get(2)?),
                death: exit(status == "dead", day(r.get(4)?)),
                moved: exit(
                    status == "moved",
                    day(r.get(5)?).filter(|_| status == "moved"),
                ),
                encounter_days: Vec::new(),
                readings: Vec::new(),
            },
        });
    }
    let (after_s, to_s) = (after.to_string(), to.to_string());
    let mut st = conn.prepare_cached(
        "SELECT o.patient_id, o.kind, o.date, o.value
         FROM enrolments e JOIN observations o ON o.patient_id = e.patient_id
         WHERE e.program_id = ?1 AND o.kind IN ('systolic', 'diastolic', 'hba1c', 'glucose')
           AND o.date > ?2 AND o.date <= ?3",
    )?;
    let mut rows = st.query(params![program_id, after_s, to_s])?;
    while let Some(r) = rows.next()? {
        let (Some(&i), Some(kind), Some(date)) = (
            index.get(r.get_ref(0)?.as_str()?),
            ReadingKind::from_code(r.get_ref(1)?.as_str()?),
            day_ref(r.get_ref(2)?),
        ) else {
            continue;
        };
        patients[i].facts.readings.push(Reading {
            date,
            kind,
            value: r.get(3)?,
        });
    }
    // The day of an encounter is its start's date; `start_at` sorts as text, so the bounds are
    // the day after `after` and the day after `to`.
    let next = |d: NaiveDate| d.succ_opt().unwrap_or(d).to_string();
    let mut st = conn.prepare_cached(
        "SELECT n.patient_id, n.start_at
         FROM enrolments e JOIN encounters n ON n.patient_id = e.patient_id
         WHERE e.program_id = ?1 AND n.start_at >= ?2 AND n.start_at < ?3",
    )?;
    let mut rows = st.query(params![program_id, next(after), next(to)])?;
    while let Some(r) = rows.next()? {
        if let (Some(&i), Some(date)) = (index.get(r.get_ref(0)?.as_str()?), day_ref(r.get_ref(1)?))
        {
            patients[i].facts.encounter_days.push(date);
        }
    }
    Ok(patients)
}

/// One programme's HEARTS figures at the board's end date, for the chosen population, in total,
/// per site and nurse, and at each month end asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct HeartsBoard {
    /// Programme id.
    pub program: String,
    /// Programme name, as the `programs` table holds it.
    pub name: String,
    /// The as-of date T of `total`, `sites` and `nurses`.
    pub end: NaiveDate,
    /// The chosen population.
    pub total: Counts,
    /// Per assigned site id.
    pub sites: BTreeMap<String, Counts>,
    /// Per assigned nurse id.
    pub nurses: BTreeMap<String, Counts>,
    /// At each month end asked for, oldest first.
    pub months: Vec<(NaiveDate, Counts)>,
}

impl HeartsBoard {
    /// The programme's name in `language` ("ru" or else English), from its definition in force;
    /// the `programs` table's name for a programme no longer defined.
    pub fn name_in(&self, language: &str) -> &str {
        crate::store::rules::programs()
            .iter()
            .find(|p| p.id == self.program)
            .map_or(self.name.as_str(), |p| p.name_in(language))
    }
}

impl HeartsBoard {
    /// The figures of a site or nurse id (zero for a group without patients in the programme).
    pub fn group(&self, by_nurse: bool, id: &str) -> Counts {
        let map = if by_nurse { &self.nurses } else { &self.sites };
        map.get(id)
            .cloned()
            .unwrap_or_else(|| Counts::new(self.total.outcome))
    }

    /// The figures at a month end asked for.
    pub fn month(&self, end: NaiveDate) -> Counts {
        self.months
            .iter()
            .find(|(e, _)| *e == end)
            .map(|(_, c)| c.clone())
            .unwrap_or_else(|| Counts::new(self.total.outcome))
    }
}

/// Computes [`HeartsBoard`] for `program` at `end` and at `month_ends`, for the patients of
/// `site_id` and `nurse_id` when given.
pub fn hearts_board(
    conn: &Connection,
    program: &(String, String),
    end: NaiveDate,
    month_ends: &[NaiveDate],
    site_id: Option<&str>,
    nurse_id: Option<&str>,
) -> rusqlite::Result<HeartsBoard> {
    let outcome = Outcome::for_program(&program.0);
    let first = month_ends.iter().copied().chain([end]).min().unwrap_or(end);
    let last = month_ends.iter().copied().chain([end]).max().unwrap_or(end);
    let patients = hearts_patients(conn, &program.0, months_before(first, 12), last)?;
    let mut board = HeartsBoard {
        program: program.0.clone(),
        name: program.1.clone(),
        end,
        total: Counts::new(outcome),
        sites: BTreeMap::new(),
        nurses: BTreeMap::new(),
        months: month_ends
            .iter()
            .map(|e| (*e, Counts::new(outcome)))
            .collect(),
    };
    for p in patients.iter().filter(|p| {
        site_id.is_none_or(|s| s == p.site_id) && nurse_id.is_none_or(|n| n == p.nurse_id)
    }) {
        let s = p.status(end, outcome);
        board.total.add(&s);
        board
            .sites
            .entry(p.site_id.clone())
            .or_insert_with(|| Counts::new(outcome))
            .add(&s);
        board
            .nurses
            .entry(p.nurse_id.clone())
            .or_insert_with(|| Counts::new(outcome))
            .add(&s);
        for (e, c) in &mut board.months {
            c.add(&p.status(*e, outcome));
        }
    }
    Ok(board)
}

/// One quarter's cohort in Simple's quarterly cohort report: the patients enrolled in it (not dead,
/// moved away or ended by the end of the two following quarters) and their buckets over those
/// two quarters.
#[derive(Debug, Clone, PartialEq)]
pub struct Cohort {
    /// The enrolment quarter.
    pub quarter: Quarter,
    /// The cohort's patients.
    pub patients: u64,
    /// Their buckets (`Counts::bucket`; the other counts are not used).
    pub buckets: Counts,
}

/// A month's registrations: enrolments in the month and all enrolments up to its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Registrations {
    /// The month's first day.
    pub month: NaiveDate,
    /// Patients enrolled in the month.
    pub monthly: u64,
    /// Patients enrolled up to the month's end.
    pub cumulative: u64,
}

/// What the report shows of one programme: the board, monthly and cumulative registrations over
/// the twelve months, and the last four quarterly cohorts whose two following quarters have ended.
#[derive(Debug, Clone, PartialEq)]
pub struct HeartsReport {
    /// The figures at the report date, per site and nurse, and at the month ends.
    pub board: HeartsBoard,
    /// Registrations of each month of `month_ends`.
    pub registrations: Vec<Registrations>,
    /// The cohorts, oldest first.
    pub cohorts: Vec<Cohort>,
}

/// [`HeartsReport`] of every programme of the register, as of `end` with `month_ends`.
pub fn hearts_reports(
    conn: &Connection,
    end: NaiveDate,
    month_ends: &[NaiveDate],
) -> rusqlite::Result<Vec<HeartsReport>> {
    // The last four quarters whose cohort window (the two quarters after) ended by `end`.
    let mut q = Quarter::of(end).prev();
    while q.cohort_window().to > end {
        q = q.prev();
    }
    let quarters: Vec<Quarter> = {
        let mut v = vec![q, q.prev(), q.prev().prev(), q.prev().prev().prev()];
        v.reverse();
        v
    };
    let mut out = Vec::new();
    for program in programs(conn)? {
        let board = hearts_board(conn, &program, end, month_ends, None, None)?;
        let outcome = board.total.outcome;
        let after = quarters[0].cohort_window().after.min(months_before(
            month_ends.iter().copied().min().unwrap_or(end),
            12,
        ));
        let patients = hearts_patients(conn, &program.0, after, end)?;
        let registrations = month_ends
            .iter()
            .map(|e| {
                let first = e.with_day(1).unwrap_or(*e);
                let last = month_last(first).min(*e);
                Registrations {
                    month: first,
                    monthly: patients
                        .iter()
                        .filter(|p| (first..=last).contains(&p.facts.enrolled_on))
                        .count() as u64,
                    cumulative: patients
                        .iter()
                        .filter(|p| p.facts.enrolled_on <= last)
                        .count() as u64,
                }
            })
            .collect();
        let cohorts = quarters
            .iter()
            .map(|q| {
                let mut c = Cohort {
                    quarter: *q,
                    patients: 0,
                    buckets: Counts::new(outcome),
                };
                for p in &patients {
                    if let Some(b) = p.facts.cohort_bucket(*q, outcome) {
                        c.patients += 1;
                        c.buckets.add(&Status {
                            bucket: Some(b),
                            ..Status::default()
                        });
                    } else if outcome == Outcome::Counts
                        && Quarter::of(p.facts.enrolled_on) == *q
                        && p.facts.assigned(q.cohort_window().to)
                    {
                        c.patients += 1;
                    }
                }
                c
            })
            .collect();
        out.push(HeartsReport {
            board,
            registrations,
            cohorts,
        });
    }
    Ok(out)
}

/// The last day of `day`'s month.
fn month_last(day: NaiveDate) -> NaiveDate {
    day.with_day(1)
        .and_then(|f| f.checked_add_months(chrono::Months::new(1)))
        .and_then(|n| n.pred_opt())
        .unwrap_or(day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::hearts::Bucket;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn gathers_a_hypertension_patients_facts_from_the_register() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::Store::open(&dir.path().join("r.db")).unwrap();
        let c = store.conn();
        c.execute_batch(
            "INSERT INTO programs VALUES ('hypertension', 'Hypertension', '');
             INSERT INTO patients (id, family_name, given_name, sex, birth_date, status, death_date)
               VALUES ('p1', 'A', 'B', 'F', '1950-01-01', 'active', NULL),
                      ('p2', 'C', 'D', 'M', '1950-01-01', 'dead', NULL),
                      ('p3', 'E', 'F', 'M', '1950-01-01', 'active', NULL);
             INSERT INTO enrolments VALUES ('p1', 'hypertension', '2020-01-01', NULL),
                                           ('p2', 'hypertension', '2020-01-01', NULL);
             INSERT INTO observations (id, patient_id, kind, loinc, value, unit, date) VALUES
               ('o1', 'p1', 'systolic', '8480-6', 150, 'mm[Hg]', '2025-03-10'),
               ('o2', 'p1', 'diastolic', '8462-4', 85, 'mm[Hg]', '2025-03-10'),
               ('o3', 'p1', 'systolic', '8480-6', 135, 'mm[Hg]', '2025-03-10'),
               ('o4', 'p1', 'weight', '29463-7', 80, 'kg', '2025-03-11'),
               ('o5', 'p3', 'systolic', '8480-6', 120, 'mm[Hg]', '2025-03-10');
             INSERT INTO encounters (id, patient_id, class, start_at) VALUES
               ('e1', 'p1', 'outpatient', '2025-03-31T23:00:00'),
               ('e2', 'p1', 'outpatient', '2025-04-01T08:00:00');",
        )
        .unwrap();
        let t = d("2025-03-31");
        let ps = hearts_patients(c, "hypertension", d("2023-03-31"), t).unwrap();
        assert_eq!(ps.len(), 2, "p3 is not enrolled");
        let p1 = ps.iter().find(|p| p.id == "p1").unwrap();
        assert_eq!(p1.facts.readings.len(), 3, "the weight is not a reading");
        assert_eq!(
            p1.facts.encounter_days,
            vec![t],
            "the day after T is left out"
        );
        let p2 = ps.iter().find(|p| p.id == "p2").unwrap();
        assert_eq!(p2.facts.death, Exit::Undated);
        let mut counts = Counts::new(Outcome::BloodPressure);
        for p in &ps {
            counts.add(&p.status(t, Outcome::BloodPressure));
        }
        assert_eq!(counts.assigned, 1);
        assert_eq!(counts.bucket(Bucket::Controlled), 1, "135/85 that day");
        assert_eq!(
            programs(c).unwrap(),
            vec![("hypertension".to_string(), "Hypertension".to_string())]
        );
    }
}
