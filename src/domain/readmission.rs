//! The 30-day all-cause unplanned readmission rule, as CMS's hospital-wide readmission measure
//! (HWR, YNHHSC/CORE for CMS, Measure Methodology Report) and the Tuva Project
//! (tuva-health/tuva, models/data_marts/readmissions) apply it, on plain values (the store feeds
//! the stays). Risk standardisation and the planned-readmission algorithm's procedure lists are not
//! part of it: "planned" is the source's elective flag.
//!
//! - Episodes, per patient, stays sorted by admission: a stay admitted on or before the episode's
//!   discharge date joins it (an overlap, a same-day continuation at the same hospital as Russian
//!   ОМС case-splitting between departments writes it, a same-day transfer); a stay admitted the
//!   day after at another organization joins it too (a next-day transfer: HWR counts "transfers to
//!   another acute care hospital on the same or next day" as one episode of care). The episode's
//!   discharge is the latest of its stays', with the organization, disposition and principal
//!   diagnosis of the stay that ends last (Tuva's `readmissions__encounter_overlap` merge).
//! - Index episodes: discharged in the period, alive at discharge, not against medical advice, not
//!   transferred to another acute hospital (Tuva's `readmissions__index_discharge_requirement`:
//!   disposition codes 02, 07, 20), not moved away within 30 days of discharge (HWR requires 30
//!   days of enrolment after discharge), and not primarily for cancer treatment, psychiatry or
//!   rehabilitation when a principal diagnosis is recorded (`readmission_cohort`).
//! - Outcome: only the patient's NEXT episode counts (Tuva's `readmissions__readmission_summary`
//!   joins `encounter_seq + 1`): the index is readmitted when it is admitted 1 to 30 days after the
//!   index discharge and is not planned. A planned next episode means no readmission, even if an
//!   unplanned one follows it. A readmission is itself an index.
//!
//! Everything is per patient, so a million patients stream through with no global map.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use chrono::{Datelike, Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::domain::readmission_cohort::excluded_principal;
use crate::domain::types::Disposition;

/// Days after an index discharge within which a new admission counts as a readmission.
pub const READMISSION_WINDOW_DAYS: i64 = 30;

/// The 30-day readmission rate the pilot aims to stay under (acodesk's own target, not a
/// published benchmark): the Readmissions tab draws it on the chart and marks months above it, the
/// report states it and flags the rate against it, the report's CSV says whether each month is
/// above it. One value for every surface.
pub const TARGET_RATE: f64 = 0.15;

/// At most this many empty months are listed in `by_month` (guards absurd periods).
const MAX_LISTED_MONTHS: usize = 1200;

/// One inpatient encounter as the rule needs it: calendar dates as recorded, no time-zone shift.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stay {
    /// The encounter's id, used for tie-breaking and shown in the action list.
    pub encounter_id: String,
    /// Calendar date written in the admission timestamp.
    pub admitted: NaiveDate,
    /// Calendar date written in the discharge timestamp; `None` while still in hospital.
    pub discharged: Option<NaiveDate>,
    /// The admitting organization, when known.
    pub organization_id: Option<String>,
    /// True for an elective (planned) admission.
    pub planned: bool,
    /// How the stay ended, when the source records it.
    pub disposition: Option<Disposition>,
    /// The principal (rank 1) ICD-10 diagnosis, when the source records it.
    #[serde(default)]
    pub principal_dx: Option<String>,
}

/// Consecutive stays of one patient joined into one hospitalization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Episode {
    /// The encounter that opened the episode.
    pub first_encounter_id: String,
    /// The encounter that ends last (the one the patient left hospital from).
    pub last_encounter_id: String,
    /// Admission date of the first stay.
    pub admitted: NaiveDate,
    /// Latest discharge date of its stays; `None` while any stay is open.
    pub discharged: Option<NaiveDate>,
    /// Organization of the stay that ends last.
    pub organization_id: Option<String>,
    /// Planned flag of the first stay.
    pub planned: bool,
    /// Disposition of the stay that ends last.
    pub disposition: Option<Disposition>,
    /// Principal diagnosis of the stay that ends last.
    #[serde(default)]
    pub principal_dx: Option<String>,
    /// How many stays the episode joins.
    pub stay_count: usize,
}

impl Episode {
    fn from_stay(s: &Stay) -> Self {
        Episode {
            first_encounter_id: s.encounter_id.clone(),
            last_encounter_id: s.encounter_id.clone(),
            admitted: s.admitted,
            discharged: s.discharged,
            organization_id: s.organization_id.clone(),
            planned: s.planned,
            disposition: s.disposition,
            principal_dx: s.principal_dx.clone(),
            stay_count: 1,
        }
    }

    /// True when `s` (admitted no earlier than this episode) continues it: it begins on or before
    /// the discharge date (overlap, same-day continuation or transfer), or the next day at another
    /// organization (a next-day transfer). An unknown organization differs from a known one.
    fn continues_with(&self, s: &Stay) -> bool {
        match self.discharged {
            None => true,
            Some(dis) => {
                s.admitted <= dis
                    || (dis.succ_opt() == Some(s.admitted)
                        && s.organization_id != self.organization_id)
            }
        }
    }

    /// Joins `s`: the episode ends at the later discharge and takes the organization, disposition
    /// and principal diagnosis of the stay that ends last (on a tie, the later-admitted one).
    fn absorb(&mut self, s: &Stay) {
        if cmp_discharge(s.discharged, self.discharged) != Ordering::Less {
            self.discharged = s.discharged;
            self.organization_id = s.organization_id.clone();
            self.disposition = s.disposition;
            self.principal_dx = s.principal_dx.clone();
            self.last_encounter_id = s.encounter_id.clone();
        }
        self.stay_count += 1;
    }
}

/// Orders discharge dates with "still in hospital" last.
fn cmp_discharge(a: Option<NaiveDate>, b: Option<NaiveDate>) -> Ordering {
    match (a, b) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

fn build_episodes<'a>(stays: impl Iterator<Item = &'a Stay>) -> Vec<Episode> {
    let mut sorted: Vec<&Stay> = stays.collect();
    sorted.sort_by(|a, b| {
        a.admitted
            .cmp(&b.admitted)
            .then_with(|| cmp_discharge(a.discharged, b.discharged))
            .then_with(|| a.encounter_id.cmp(&b.encounter_id))
    });
    let mut out: Vec<Episode> = Vec::new();
    for s in sorted {
        match out.last_mut() {
            Some(cur) if cur.continues_with(s) => cur.absorb(s),
            _ => out.push(Episode::from_stay(s)),
        }
    }
    out
}

/// Joins one patient's stays (any order) into episodes, ordered by admission.
pub fn episodes(stays: &[Stay]) -> Vec<Episode> {
    build_episodes(stays.iter())
}

/// One patient's input to the rule.
#[derive(Debug, Clone, Copy)]
pub struct PatientStays<'a> {
    /// The patient's id, copied into the outcomes.
    pub patient_id: &'a str,
    /// Date of death, when known.
    pub death_date: Option<NaiveDate>,
    /// The date the patient moved away (left the pilot's territory), when known.
    pub moved_on: Option<NaiveDate>,
    /// The patient's inpatient stays, in any order.
    pub stays: &'a [Stay],
}

impl<'a> PatientStays<'a> {
    /// Bundles one patient's id, date of death and stays (no move recorded).
    pub fn new(patient_id: &'a str, death_date: Option<NaiveDate>, stays: &'a [Stay]) -> Self {
        PatientStays {
            patient_id,
            death_date,
            moved_on: None,
            stays,
        }
    }

    /// The same patient with the date they moved away.
    pub fn moved_on(self, moved_on: Option<NaiveDate>) -> Self {
        PatientStays { moved_on, ..self }
    }
}

/// Which discharges are index candidates, and the date the data is complete up to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadmissionPeriod {
    /// First index discharge date (inclusive).
    pub from: NaiveDate,
    /// Last index discharge date (inclusive).
    pub to: NaiveDate,
    /// The as-of date: later stays are ignored, and windows not yet 30 days old are open.
    pub as_of: NaiveDate,
}

impl ReadmissionPeriod {
    /// The 12 months ending 30 days before `as_of`: `to = as_of − 30 days`, `from = to − 1 year + 1 day`.
    /// Every index window in it is closed, so no open windows occur with this period.
    pub fn default_for(as_of: NaiveDate) -> Self {
        let to = as_of
            .checked_sub_days(Days::new(READMISSION_WINDOW_DAYS.unsigned_abs()))
            .unwrap_or(NaiveDate::MIN);
        let from = to
            .checked_sub_months(Months::new(12))
            .and_then(|d| d.checked_add_days(Days::new(1)))
            .unwrap_or(NaiveDate::MIN);
        ReadmissionPeriod { from, to, as_of }
    }
}

/// The outcome of one index episode.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexOutcome {
    /// The patient's id.
    pub patient_id: String,
    /// The index episode.
    pub index: Episode,
    /// The next episode, when it is unplanned and admitted 1–30 days after the index discharge.
    pub readmission: Option<Episode>,
    /// True when fewer than 30 days have passed since discharge at the as-of date: listed for
    /// action, left out of the rate.
    pub open_window: bool,
    /// For an open window, the days left in it (`30 − (as_of − discharge)`).
    pub days_left: Option<i64>,
}

impl IndexOutcome {
    /// True when a readmission has happened (also for an open window).
    pub fn readmitted(&self) -> bool {
        self.readmission.is_some()
    }
}

fn days_between(earlier: NaiveDate, later: NaiveDate) -> i64 {
    later.signed_duration_since(earlier).num_days()
}

/// True when an index episode must be skipped for its disposition.
fn excluded_disposition(d: Option<Disposition>) -> bool {
    matches!(
        d,
        Some(Disposition::AgainstMedicalAdvice | Disposition::Died | Disposition::TransferAcute)
    )
}

/// True when the patient moved away on or before the 30th day after `discharged` (or earlier):
/// the 30 days after discharge cannot be followed.
fn moved_within_window(moved_on: Option<NaiveDate>, discharged: NaiveDate) -> bool {
    moved_on.is_some_and(|m| days_between(discharged, m) <= READMISSION_WINDOW_DAYS)
}

/// The index episodes of one patient in the period and their outcomes, ordered by discharge.
pub fn evaluate_patient(p: &PatientStays<'_>, period: &ReadmissionPeriod) -> Vec<IndexOutcome> {
    let eps = build_episodes(p.stays.iter().filter(|s| s.admitted <= period.as_of));
    let mut out = Vec::new();
    for (i, ep) in eps.iter().enumerate() {
        let Some(dis) = ep.discharged else { continue };
        if dis < period.from || dis > period.to || dis > period.as_of {
            continue;
        }
        if p.death_date.is_some_and(|death| death <= dis)
            || excluded_disposition(ep.disposition)
            || moved_within_window(p.moved_on, dis)
            || excluded_principal(ep.principal_dx.as_deref())
        {
            continue;
        }
        // Only the next episode counts: a planned one ends the index's chance of a readmission.
        let readmission = eps
            .get(i + 1)
            .filter(|r| {
                (1..=READMISSION_WINDOW_DAYS).contains(&days_between(dis, r.admitted)) && !r.planned
            })
            .cloned();
        let since = days_between(dis, period.as_of);
        let open_window = since < READMISSION_WINDOW_DAYS;
        out.push(IndexOutcome {
            patient_id: p.patient_id.to_string(),
            index: ep.clone(),
            readmission,
            open_window,
            days_left: open_window.then_some(READMISSION_WINDOW_DAYS - since),
        });
    }
    out
}

/// Readmissions in one calendar month of index discharge.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonthRate {
    /// The month, "YYYY-MM".
    pub month: String,
    /// Closed index episodes discharged in the month.
    pub index_stays: u64,
    /// Of those, the readmitted.
    pub readmissions: u64,
    /// `readmissions / index_stays`; `None` without index episodes.
    pub rate: Option<f64>,
}

/// Readmissions by the organization that discharged the index episode.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrgRate {
    /// The discharging organization (`None` when not recorded).
    pub organization_id: Option<String>,
    /// Closed index episodes it discharged.
    pub index_stays: u64,
    /// Of those, the readmitted.
    pub readmissions: u64,
    /// `readmissions / index_stays`; `None` without index episodes.
    pub rate: Option<f64>,
}

/// The readmission figures of a population for one period (closed windows only in the rates).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReadmissionSummary {
    /// The period the figures are for.
    pub period: ReadmissionPeriod,
    /// Index episodes with a closed window (the denominator).
    pub index_stays: u64,
    /// Of those, the readmitted (the numerator).
    pub readmissions: u64,
    /// `readmissions / index_stays`; `None` without index episodes.
    pub rate: Option<f64>,
    /// Every calendar month of the period, by index discharge month.
    pub by_month: Vec<MonthRate>,
    /// Each discharging organization with closed index episodes, ordered by id.
    pub by_organization: Vec<OrgRate>,
    /// Index episodes whose 30-day window is still open at the as-of date.
    pub open_windows: u64,
    /// Every index outcome (closed and open), in the order the patients were given.
    #[serde(rename = "episodes")]
    pub outcomes: Vec<IndexOutcome>,
}

fn rate(index: u64, readmitted: u64) -> Option<f64> {
    (index > 0).then(|| readmitted as f64 / index as f64)
}

/// Accumulates outcomes patient by patient into a [`ReadmissionSummary`]; lets a caller keep
/// per-patient outcomes and re-tally after recomputing only the patients that changed.
#[derive(Debug, Clone)]
pub struct ReadmissionTally {
    period: ReadmissionPeriod,
    index_stays: u64,
    readmissions: u64,
    open_windows: u64,
    months: BTreeMap<(i32, u32), (u64, u64)>,
    orgs: BTreeMap<Option<String>, (u64, u64)>,
    outcomes: Vec<IndexOutcome>,
}

impl ReadmissionTally {
    /// An empty tally for `period`.
    pub fn new(period: ReadmissionPeriod) -> Self {
        let mut months = BTreeMap::new();
        let mut m = NaiveDate::from_ymd_opt(period.from.year(), period.from.month(), 1);
        while let Some(day) = m.filter(|d| *d <= period.to && months.len() < MAX_LISTED_MONTHS) {
            months.insert((day.year(), day.month()), (0, 0));
            m = day.checked_add_months(Months::new(1));
        }
        ReadmissionTally {
            period,
            index_stays: 0,
            readmissions: 0,
            open_windows: 0,
            months,
            orgs: BTreeMap::new(),
            outcomes: Vec::new(),
        }
    }

    /// Evaluates one patient and adds the outcomes.
    pub fn add_patient(&mut self, p: &PatientStays<'_>) {
        let outcomes = evaluate_patient(p, &self.period);
        self.add_outcomes(outcomes);
    }

    /// Adds outcomes computed earlier by [`evaluate_patient`] for the same period.
    pub fn add_outcomes(&mut self, outcomes: impl IntoIterator<Item = IndexOutcome>) {
        for o in outcomes {
            if o.open_window {
                self.open_windows += 1;
            } else if let Some(dis) = o.index.discharged {
                let hit = u64::from(o.readmitted());
                self.index_stays += 1;
                self.readmissions += hit;
                let month = self.months.entry((dis.year(), dis.month())).or_default();
                month.0 += 1;
                month.1 += hit;
                let org = self
                    .orgs
                    .entry(o.index.organization_id.clone())
                    .or_default();
                org.0 += 1;
                org.1 += hit;
            }
            self.outcomes.push(o);
        }
    }

    /// The finished summary.
    pub fn finish(self) -> ReadmissionSummary {
        ReadmissionSummary {
            period: self.period,
            index_stays: self.index_stays,
            readmissions: self.readmissions,
            rate: rate(self.index_stays, self.readmissions),
            by_month: (self.months.into_iter())
                .map(|((y, m), (i, r))| MonthRate {
                    month: format!("{y:04}-{m:02}"),
                    index_stays: i,
                    readmissions: r,
                    rate: rate(i, r),
                })
                .collect(),
            by_organization: (self.orgs.into_iter())
                .map(|(organization_id, (i, r))| OrgRate {
                    organization_id,
                    index_stays: i,
                    readmissions: r,
                    rate: rate(i, r),
                })
                .collect(),
            open_windows: self.open_windows,
            outcomes: self.outcomes,
        }
    }
}

/// Applies the rule to every patient (already filtered to the population) and sums the figures.
pub fn summarize<'a>(
    patients: impl IntoIterator<Item = PatientStays<'a>>,
    period: &ReadmissionPeriod,
) -> ReadmissionSummary {
    let mut tally = ReadmissionTally::new(*period);
    for p in patients {
        tally.add_patient(&p);
    }
    tally.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// "MM-DD" in 2024, or a full ISO date.
    fn day(s: &str) -> NaiveDate {
        let full = if s.len() == 5 {
            format!("2024-{s}")
        } else {
            s.to_string()
        };
        full.parse().unwrap()
    }

    /// "id admitted discharged|- org|? [P] [disposition code] [dx=principal]", e.g.
    /// "a 03-01 03-05 H1 P ama dx=I21.0".
    fn stays(specs: &[&str]) -> Vec<Stay> {
        let stay = |spec: &&str| {
            let f: Vec<&str> = spec.split_whitespace().collect();
            Stay {
                encounter_id: f[0].into(),
                admitted: day(f[1]),
                discharged: (f[2] != "-").then(|| day(f[2])),
                organization_id: Some(f[3].to_string()).filter(|o| o != "?"),
                planned: f[4..].contains(&"P"),
                disposition: f[4..].iter().find_map(|x| Disposition::from_code(x)),
                principal_dx: f[4..]
                    .iter()
                    .find_map(|x| x.strip_prefix("dx="))
                    .map(String::from),
            }
        };
        specs.iter().map(stay).collect()
    }

    /// Episodes as "first-last MM-DD..MM-DD org [P] [disposition]".
    fn eps(specs: &[&str]) -> Vec<String> {
        let md = |d: NaiveDate| d.format("%m-%d").to_string();
        let show = |e: &Episode| {
            let dis = e.discharged.map_or("-".into(), md);
            let org = e.organization_id.as_deref().unwrap_or("?");
            let mut s = format!(
                "{}-{} {}..{dis} {org}",
                e.first_encounter_id,
                e.last_encounter_id,
                md(e.admitted)
            );
            s += if e.planned { " P" } else { "" };
            s + &e.disposition.map(|d| format!(" {d}")).unwrap_or_default()
        };
        episodes(&stays(specs)).iter().map(show).collect()
    }

    fn period([from, to, as_of]: [&str; 3]) -> ReadmissionPeriod {
        ReadmissionPeriod {
            from: day(from),
            to: day(to),
            as_of: day(as_of),
        }
    }

    /// Index discharges in 2024, as of mid-2025: every window closed.
    const YEAR: [&str; 3] = ["01-01", "12-31", "2025-06-01"];

    /// Outcomes as "index>readmission" (first encounter ids), "(n)" = open window with n days left.
    fn run(specs: &[&str], death: Option<&str>, p: [&str; 3]) -> String {
        run_moved(specs, death, None, p)
    }

    /// [`run`] for a patient who moved away on `moved`.
    fn run_moved(specs: &[&str], death: Option<&str>, moved: Option<&str>, p: [&str; 3]) -> String {
        let stays = stays(specs);
        let pat = PatientStays::new("p", death.map(day), &stays).moved_on(moved.map(day));
        let show = |o: &IndexOutcome| {
            let s = o.index.first_encounter_id.clone();
            let re = o
                .readmission
                .as_ref()
                .map(|r| format!(">{}", r.first_encounter_id));
            let left = o.days_left.map(|n| format!("({n})"));
            s + &re.unwrap_or_default() + &left.unwrap_or_default()
        };
        evaluate_patient(&pat, &period(p))
            .iter()
            .map(show)
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn same_day_transfer_to_another_organization_merges() {
        let s = ["b 03-05 03-09 H2", "a 03-01 03-05 H1 transfer_acute"];
        assert_eq!(eps(&s), ["a-b 03-01..03-09 H2"]);
        // The transfer disposition was not the last stay's, so the episode is an index.
        assert_eq!(run(&s, None, YEAR), "a");
    }

    #[test]
    fn same_day_continuation_at_the_same_hospital_is_one_episode_not_a_readmission() {
        // ОМС case-splitting: the patient changes department and the hospital writes two cases.
        let s = ["a 03-01 03-05 H1", "b 03-05 03-07 H1"];
        assert_eq!(eps(&s), ["a-b 03-01..03-07 H1"]);
        assert_eq!(run(&s, None, YEAR), "a");
        // Unknown organizations too.
        assert_eq!(eps(&["a 03-01 03-05 ?", "b 03-05 03-07 ?"]).len(), 1);
    }

    #[test]
    fn next_day_transfer_to_another_organization_is_one_episode() {
        let s = ["a 03-01 03-05 H1 transfer_acute", "b 03-06 03-09 H2 home"];
        assert_eq!(eps(&s), ["a-b 03-01..03-09 H2 home"]);
        assert_eq!(run(&s, None, YEAR), "a");
        // The next day at the same hospital is a new episode: a day-1 readmission.
        let s = ["a 03-01 03-05 H1", "b 03-06 03-09 H1"];
        assert_eq!(eps(&s).len(), 2);
        assert_eq!(run(&s, None, YEAR), "a>b b");
        // Two days later at another hospital is no transfer either.
        let s = ["a 03-01 03-05 H1", "b 03-07 03-09 H2"];
        assert_eq!(run(&s, None, YEAR), "a>b b");
        // A known organization differs from an unknown one.
        assert_eq!(eps(&["a 03-01 03-05 ?", "b 03-06 03-07 H1"]).len(), 1);
    }

    #[test]
    fn overlap_with_the_inner_stay_ending_first_keeps_the_outer_stays_discharge() {
        // b lies inside a and ends first: the episode leaves hospital from a, with a's
        // organization and disposition, so b's "against medical advice" does not drop it.
        let s = ["a 03-01 03-10 H1 home", "b 03-03 03-06 H2 ama"];
        assert_eq!(eps(&s), ["a-a 03-01..03-10 H1 home"]);
        assert_eq!(episodes(&stays(&s))[0].stay_count, 2);
        assert_eq!(run(&s, None, YEAR), "a");
        // The inner stay's principal diagnosis does not exclude the episode either.
        let s = ["a 03-01 03-10 H1 dx=I21.0", "b 03-03 03-06 H1 dx=F20.0"];
        assert_eq!(run(&s, None, YEAR), "a");
        // A chain of overlaps ends with the stay that ends last.
        let s = [
            "a 03-01 03-10 H1 P",
            "b 03-03 03-06 H1",
            "c 03-09 03-12 H1 home",
        ];
        assert_eq!(eps(&s), ["a-c 03-01..03-12 H1 P home"]);
    }

    #[test]
    fn ties_sort_by_discharge_then_id_whatever_the_input_order() {
        let s = ["z 03-01 03-02 H1", "y 03-01 03-04 H2", "x 03-01 03-04 H3"];
        assert_eq!(eps(&s), ["z-y 03-01..03-04 H2"]);
        assert_eq!(eps(&[s[2], s[1], s[0]]), eps(&s));
    }

    #[test]
    fn death_on_the_discharge_date_excludes_a_later_death_does_not() {
        let s = ["a 03-01 03-05 H1"];
        assert_eq!(run(&s, Some("03-04"), YEAR), "");
        assert_eq!(run(&s, Some("03-05"), YEAR), "");
        assert_eq!(run(&s, Some("03-06"), YEAR), "a");
    }

    #[test]
    fn ama_died_and_acute_transfer_dispositions_are_not_index() {
        for (disp, expected) in [
            ("ama", ""),
            ("died", ""),
            ("transfer_acute", ""),
            ("home", "a"),
            ("other", "a"),
        ] {
            assert_eq!(
                run(&[&format!("a 03-01 03-05 H1 {disp}")], None, YEAR),
                expected,
                "{disp}"
            );
        }
    }

    #[test]
    fn a_planned_next_episode_means_no_readmission_even_if_an_unplanned_one_follows() {
        let mut s = vec!["a 03-01 03-05 H1", "b 03-10 03-11 H1 P"];
        assert_eq!(run(&s, None, YEAR), "a b");
        s.push("c 03-20 03-21 H1");
        // a's next episode is the planned b: no readmission for a; b is readmitted by c.
        assert_eq!(run(&s, None, YEAR), "a b>c c");
    }

    #[test]
    fn only_the_next_episode_counts() {
        // b comes 31 days after a, so a is not readmitted; c readmits b only.
        let s = ["a 03-01 03-05 H1", "b 04-05 04-06 H1", "c 04-08 04-09 H1"];
        assert_eq!(run(&s, None, YEAR), "a b>c c");
    }

    #[test]
    fn a_move_within_30_days_of_discharge_excludes_the_index() {
        let s = ["a 03-01 03-05 H1", "b 03-20 03-22 H1"];
        // Moved on day 30 after a: a cannot be followed; b (discharged 03-22) neither.
        assert_eq!(run_moved(&s, None, Some("04-04"), YEAR), "");
        // Moved on day 31 after a: a is an index (readmitted); b's window is cut short.
        assert_eq!(run_moved(&s, None, Some("04-05"), YEAR), "a>b");
        assert_eq!(run_moved(&s, None, Some("04-22"), YEAR), "a>b b");
    }

    #[test]
    fn index_stays_for_cancer_psychiatry_or_rehabilitation_are_excluded_but_still_readmit() {
        for (dx, expected) in [
            ("C18.7", "x>a"),
            ("С18.7", "x>a"), // Cyrillic С
            ("F20.0", "x>a"),
            ("Z50.1", "x>a"),
            ("I21.0", "x>a a"),
            ("F10.2", "x>a a"),
        ] {
            let a = format!("a 03-01 03-05 H1 dx={dx}");
            let s = ["x 02-01 02-05 H1", a.as_str()];
            assert_eq!(run(&s, None, YEAR), expected, "{dx}");
        }
        // Without a principal diagnosis nothing is excluded.
        assert_eq!(run(&["a 03-01 03-05 H1"], None, YEAR), "a");
    }

    #[test]
    fn day_30_counts_day_31_does_not() {
        assert_eq!(
            run(&["a 03-01 03-05 H1", "b 04-04 04-06 H1"], None, YEAR),
            "a>b b"
        );
        assert_eq!(
            run(&["a 03-01 03-05 H1", "b 04-05 04-06 H1"], None, YEAR),
            "a b"
        );
    }

    #[test]
    fn open_window_29_days_before_as_of_closed_at_30() {
        let s = ["a 03-01 03-05 H1"];
        assert_eq!(run(&s, None, ["01-01", "04-03", "04-03"]), "a(1)");
        assert_eq!(run(&s, None, ["01-01", "04-04", "04-04"]), "a");
        assert_eq!(run(&s, None, ["01-01", "03-05", "03-05"]), "a(30)");
        // Already readmitted while open: listed as such, left out of the rate.
        let s = stays(&["a 03-01 03-05 H1", "b 03-10 - H1"]);
        let sum = summarize(
            [PatientStays::new("p", None, &s)],
            &period(["01-01", "03-20", "03-20"]),
        );
        let counts = (sum.index_stays, sum.readmissions, sum.open_windows);
        assert_eq!((counts, sum.rate), ((0, 0, 1), None));
        assert!(sum.outcomes[0].readmitted() && sum.outcomes[0].open_window);
    }

    #[test]
    fn a_readmission_is_also_an_index() {
        let s = ["a 03-01 03-05 H1", "b 03-20 03-22 H1", "c 04-10 04-12 H2"];
        assert_eq!(run(&s, None, YEAR), "a>b b>c c");
    }

    #[test]
    fn period_boundaries_are_inclusive() {
        let s = [
            "a 2023-12-28 2023-12-31 H1",
            "b 01-01 01-01 H1",
            "c 12-31 12-31 H3",
            "d 2025-01-01 2025-01-01 H3",
        ];
        assert_eq!(run(&s, None, YEAR), "b c>d");
    }

    #[test]
    fn a_stay_without_discharge_is_not_index_but_is_a_readmission() {
        let s = ["a 03-01 03-05 H1", "b 03-25 - H1"];
        assert_eq!(run(&s, None, YEAR), "a>b");
        // Anything admitted during an open stay belongs to it (the patient is still in hospital).
        assert_eq!(
            eps(&["b 03-25 - H1", "c 04-01 04-02 H2"]),
            ["b-b 03-25..- H1"]
        );
    }

    #[test]
    fn stays_after_as_of_are_ignored() {
        let s = ["a 03-01 03-05 H1", "b 03-20 03-22 H1"];
        assert_eq!(run(&s, None, ["01-01", "03-31", "03-19"]), "a(16)");
        // A discharge after as_of is not an index even inside [from, to].
        assert_eq!(run(&s, None, ["01-01", "03-31", "03-04"]), "");
    }

    #[test]
    fn default_period_is_the_12_months_ending_30_days_before_as_of() {
        let p = ReadmissionPeriod::default_for(day("2025-01-31"));
        assert_eq!(p, period(["01-02", "2025-01-01", "2025-01-31"]));
        let leap = ReadmissionPeriod::default_for(day("03-30"));
        assert_eq!(leap, period(["2023-03-01", "02-29", "03-30"]));
    }

    #[test]
    fn summary_counts_months_organizations_and_serializes_the_agreed_keys() {
        let (p1, p2) = (
            stays(&["a 03-01 03-05 H1", "b 03-20 03-22 H2"]),
            stays(&["c 05-01 05-02 H1"]),
        );
        let pp = period(["02-15", "05-31", "05-20"]);
        let s = summarize(
            [
                PatientStays::new("p1", None, &p1),
                PatientStays::new("p2", None, &p2),
            ],
            &pp,
        );
        assert_eq!(
            (s.index_stays, s.readmissions, s.open_windows, s.rate),
            (2, 1, 1, Some(0.5))
        );
        let months: Vec<_> = s
            .by_month
            .iter()
            .map(|m| {
                format!(
                    "{} {}/{} {:?}",
                    m.month, m.readmissions, m.index_stays, m.rate
                )
            })
            .collect();
        assert_eq!(
            months,
            [
                "2024-02 0/0 None",
                "2024-03 1/2 Some(0.5)",
                "2024-04 0/0 None",
                "2024-05 0/0 None"
            ]
        );
        let orgs: Vec<_> = s
            .by_organization
            .iter()
            .map(|o| {
                format!(
                    "{:?} {}/{}",
                    o.organization_id, o.readmissions, o.index_stays
                )
            })
            .collect();
        assert_eq!(orgs, ["Some(\"H1\") 1/1", "Some(\"H2\") 0/1"]);
        let json = serde_json::to_value(&s).unwrap();
        const KEYS: [&str; 6] = [
            "index_stays",
            "readmissions",
            "rate",
            "by_month",
            "open_windows",
            "episodes",
        ];
        assert!(KEYS.iter().all(|k| json.get(k).is_some()), "{json}");
        assert_eq!(json["open_windows"], 1);
        assert_eq!(json["episodes"][0]["index"]["discharged"], "2024-03-05");
        // Re-tallying stored outcomes gives the same summary.
        let mut tally = ReadmissionTally::new(pp);
        tally.add_outcomes(s.outcomes.clone());
        assert_eq!(tally.finish(), s);
    }

    /// Up to 14 random stays over 90 days from 2024-01-01, some open, three organizations.
    fn arb_stays() -> impl Strategy<Value = Vec<Stay>> {
        let days = (0u64..90, prop::option::weighted(0.9, 0u64..20));
        let one = (days, 0usize..3, any::<bool>(), 0usize..6);
        prop::collection::vec(one, 0..14).prop_map(|v| {
            let orgs = [None, Some("H1"), Some("H2")];
            type Raw = ((u64, Option<u64>), usize, bool, usize);
            let to_stay = |(i, ((start, los), org, planned, disp)): (usize, Raw)| {
                let admitted = day("01-01") + Days::new(start);
                Stay {
                    encounter_id: format!("e{i:02}"),
                    admitted,
                    discharged: los.map(|l| admitted + Days::new(l)),
                    organization_id: orgs[org].map(String::from),
                    planned,
                    disposition: Disposition::ALL.get(disp).copied(),
                    principal_dx: None,
                }
            };
            v.into_iter().enumerate().map(to_stay).collect()
        })
    }

    proptest! {
        #[test]
        fn episodes_never_overlap_and_index_count_is_bounded(
            stays in arb_stays(), as_of in 30u64..150, death in prop::option::of(0u64..150),
        ) {
            let base = day("01-01");
            let eps = episodes(&stays);
            prop_assert_eq!(eps.iter().map(|e| e.stay_count).sum::<usize>(), stays.len());
            for w in eps.windows(2) {
                // Each episode but the last is closed and ends before the next begins.
                prop_assert!(w[0].discharged.is_some_and(|dis| w[1].admitted > dis));
            }
            let period = ReadmissionPeriod { from: base, to: base + Days::new(120), as_of: base + Days::new(as_of) };
            let p = PatientStays::new("p", death.map(|x| base + Days::new(x)), &stays);
            let out = evaluate_patient(&p, &period);
            prop_assert!(out.len() <= eps.len());
            for o in &out {
                let dis = o.index.discharged.unwrap_or(NaiveDate::MIN);
                prop_assert!(dis >= period.from && dis <= period.to && dis <= period.as_of);
                if let Some(r) = &o.readmission {
                    let gap = days_between(dis, r.admitted);
                    prop_assert!((1..=30).contains(&gap) && !r.planned && r.admitted <= period.as_of);
                }
            }
        }
    }
}
