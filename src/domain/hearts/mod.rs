//! The HEARTS indicators as the Simple app publishes them, for one programme and an as-of date T:
//! who is assigned, under care, lost to follow-up, in the denominator, and which outcome bucket
//! each patient of the denominator falls in (blood pressure for hypertension, blood sugar for
//! diabetes). Pure rules over per-patient facts; `store::hearts` gathers the facts.
//!
//! Sources (primary texts):
//! - Simple, "What we report" (simpledotorg/docs, `what-we-report.md`): total assigned patients
//!   ("not dead"), BP controlled / not controlled / visited but no BP taken / missed visits ("assigned
//!   ... registered before the last 3 months ... has a BP measure taken within the last 3 months and
//!   their last BP measure taken is < 140/90"), lost to follow-up ("didn't have a BP recorded within
//!   the last year, was registered more than a year ago"), patients under care ("had a BP recorded
//!   within the last year ... OR registered within the last year"), dead patients ("excluded from
//!   all key indicators"; "the patient's date of death is not recorded") and cohort reports.
//! - simple-server, `reporting_patient_blood_sugars` view: the blood-sugar risk states by type —
//!   random/post-prandial `< 200`, `200 <= bs < 300`, `>= 300` mg/dL; HbA1c `< 7.0`,
//!   `7.0 <= bs < 9.0`, `>= 9.0` %; the latest measurement counts.
//!
//! Where acodesk differs from the publication, and why:
//! - **Under care** follows the publication, not the shorter wording: a contact in the
//!   12 months ending T *or* enrolled in those 12 months (Simple registers a patient at a visit;
//!   acodesk's enrolment date is the diagnosis' onset, which need not be a contact). So assigned =
//!   under care + lost to follow-up, exactly.
//! - **A contact** is any encounter or any BP, HbA1c or glucose measurement (Simple: a BP, a blood
//!   sugar, an appointment created or a drug refilled; the register holds no prescriptions and no
//!   appointment-creation dates).
//! - **The reading of a day**: Simple takes the last BP by its time; the register keeps dates only
//!   and systolic and diastolic as separate rows, so acodesk takes the latest *day* with both a
//!   systolic and a diastolic reading and that day's lowest systolic and lowest diastolic (the
//!   convention of CMS165 / Quality ID 236). For blood sugar the latest day with an HbA1c or a
//!   glucose value, HbA1c first on a day with both, that day's lowest value of the kind used.
//! - **Glucose** is stored in mmol/L ([`crate::domain::units`]); it is converted to mg/dL and
//!   rounded to a whole mg/dL (Simple records whole mg/dL) before the random-glucose bands, so
//!   11.1 mmol/L counts as 200 mg/dL and 16.65 mmol/L as 300. The register does not tell fasting
//!   from random glucose; every glucose uses the random bands (Simple's fasting bands are
//!   126/200 mg/dL).
//! - **Moved away** (status `moved`) is excluded like death; an undated death or move excludes
//!   the patient at every T. An ended enrolment (`ended_on` on or before T) is not assigned.
//! - **Windows** are calendar months: "the 3 months ending T" is the days after T − 3 months up
//!   to T (31 May → 1 March–31 May; T − 3 months = 28/29 February, clamped to the month's end).

use super::units::GLUCOSE_MG_DL_PER_MMOL_L;
use chrono::{Datelike, Months, NaiveDate};
use serde::ser::{Serialize, SerializeMap, Serializer};

#[cfg(test)]
mod tests;

/// What a programme's outcome buckets measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Hypertension: controlled / uncontrolled / visited_no_bp / missed_visit.
    BloodPressure,
    /// Diabetes: bs_under_200 / bs_200_to_299 / bs_300_plus / visited_no_bs / missed_visit.
    BloodSugar,
    /// A programme without HEARTS outcome buckets: only assigned, under care, lost, denominator.
    Counts,
}

impl Outcome {
    /// The outcome HEARTS reports for a programme id (`hypertension`, `diabetes`; any other
    /// programme gets the counts only).
    pub fn for_program(program_id: &str) -> Outcome {
        match program_id {
            "hypertension" => Outcome::BloodPressure,
            "diabetes" => Outcome::BloodSugar,
            _ => Outcome::Counts,
        }
    }

    /// The buckets of the denominator, in the order they are printed.
    pub fn buckets(self) -> &'static [Bucket] {
        match self {
            Outcome::BloodPressure => &[
                Bucket::Controlled,
                Bucket::Uncontrolled,
                Bucket::VisitedNoBp,
                Bucket::MissedVisit,
            ],
            Outcome::BloodSugar => &[
                Bucket::BsUnder200,
                Bucket::Bs200To299,
                Bucket::Bs300Plus,
                Bucket::VisitedNoBs,
                Bucket::MissedVisit,
            ],
            Outcome::Counts => &[],
        }
    }
}

/// Where a patient of the denominator (or of a cohort) stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Bucket {
    /// Latest BP day's lowest readings below 140/90.
    Controlled,
    /// Latest BP day's lowest readings 140/90 or above.
    Uncontrolled,
    /// A contact in the window but no BP day.
    VisitedNoBp,
    /// HbA1c < 7.0 % or glucose < 200 mg/dL.
    BsUnder200,
    /// HbA1c 7.0–8.9 % or glucose 200–299 mg/dL.
    Bs200To299,
    /// HbA1c ≥ 9.0 % or glucose ≥ 300 mg/dL.
    Bs300Plus,
    /// A contact in the window but no blood-sugar value.
    VisitedNoBs,
    /// No contact in the window.
    MissedVisit,
}

impl Bucket {
    /// Every bucket (the index of [`Counts`]' bucket array).
    pub const ALL: [Bucket; 8] = [
        Bucket::Controlled,
        Bucket::Uncontrolled,
        Bucket::VisitedNoBp,
        Bucket::BsUnder200,
        Bucket::Bs200To299,
        Bucket::Bs300Plus,
        Bucket::VisitedNoBs,
        Bucket::MissedVisit,
    ];

    /// The bucket's JSON and CSV name (also its catalogue id after `hearts_`).
    pub fn id(self) -> &'static str {
        match self {
            Bucket::Controlled => "controlled",
            Bucket::Uncontrolled => "uncontrolled",
            Bucket::VisitedNoBp => "visited_no_bp",
            Bucket::BsUnder200 => "bs_under_200",
            Bucket::Bs200To299 => "bs_200_to_299",
            Bucket::Bs300Plus => "bs_300_plus",
            Bucket::VisitedNoBs => "visited_no_bs",
            Bucket::MissedVisit => "missed_visit",
        }
    }

    fn index(self) -> usize {
        Bucket::ALL.iter().position(|b| *b == self).unwrap_or(0)
    }
}

/// The measurements HEARTS reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadingKind {
    /// Systolic BP, mm Hg.
    Systolic,
    /// Diastolic BP, mm Hg.
    Diastolic,
    /// HbA1c, % (NGSP).
    Hba1c,
    /// Glucose, mmol/L (the register's unit).
    Glucose,
}

impl ReadingKind {
    /// The kind for the register's observation code (`systolic`, `hba1c`, ...).
    pub fn from_code(code: &str) -> Option<ReadingKind> {
        Some(match code {
            "systolic" => ReadingKind::Systolic,
            "diastolic" => ReadingKind::Diastolic,
            "hba1c" => ReadingKind::Hba1c,
            "glucose" => ReadingKind::Glucose,
            _ => return None,
        })
    }
}

/// One measurement on a day.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reading {
    /// The day it was taken.
    pub date: NaiveDate,
    /// What it measures.
    pub kind: ReadingKind,
    /// Its value in the register's unit.
    pub value: f64,
}

/// When a patient left: not at all, on a day, or on a day the register does not know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Exit {
    /// Has not left.
    #[default]
    No,
    /// Left on this day.
    On(NaiveDate),
    /// Left, day unknown: excluded at every as-of date.
    Undated,
}

impl Exit {
    /// True when the patient had left on or before `day`.
    pub fn by(self, day: NaiveDate) -> bool {
        match self {
            Exit::No => false,
            Exit::On(d) => d <= day,
            Exit::Undated => true,
        }
    }
}

/// What HEARTS needs to know about one enrolled patient.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PatientFacts {
    /// The enrolment date: the earliest onset of a qualifying diagnosis.
    pub enrolled_on: NaiveDate,
    /// The day the enrolment ended, if it did.
    pub ended_on: Option<NaiveDate>,
    /// Death.
    pub death: Exit,
    /// Moving away.
    pub moved: Exit,
    /// Days with an encounter (any class).
    pub encounter_days: Vec<NaiveDate>,
    /// BP, HbA1c and glucose measurements.
    pub readings: Vec<Reading>,
}

/// A patient's HEARTS state at one as-of date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Status {
    /// Enrolled on or before T, not dead, not moved away, enrolment not ended.
    pub assigned: bool,
    /// Assigned with a contact in the 12 months ending T, or enrolled in them.
    pub under_care: bool,
    /// Assigned, enrolled on or before T − 12 months, no contact in the 12 months ending T.
    pub lost_to_follow_up: bool,
    /// Under care and enrolled on or before T − 3 months.
    pub in_denominator: bool,
    /// The outcome bucket of a patient in the denominator (`None` outside it or for a programme
    /// without buckets).
    pub bucket: Option<Bucket>,
}

/// `day` minus `n` calendar months, clamped to the month's last day (31 May − 3 = 28/29 Feb).
pub fn months_before(day: NaiveDate, n: u32) -> NaiveDate {
    day.checked_sub_months(Months::new(n))
        .unwrap_or(NaiveDate::MIN)
}

/// A window of days: after `after`, up to and including `to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// The day before the first day of the window.
    pub after: NaiveDate,
    /// The last day of the window.
    pub to: NaiveDate,
}

impl Window {
    /// The `n` calendar months ending on `to`.
    pub fn months_ending(to: NaiveDate, n: u32) -> Window {
        Window {
            after: months_before(to, n),
            to,
        }
    }

    /// True when `day` falls in the window.
    pub fn contains(self, day: NaiveDate) -> bool {
        self.after < day && day <= self.to
    }
}

impl PatientFacts {
    /// True when the patient had a contact (an encounter, or a BP, HbA1c or glucose
    /// measurement) on a day of `w`.
    pub fn contact_in(&self, w: Window) -> bool {
        self.encounter_days.iter().any(|d| w.contains(*d))
            || self.readings.iter().any(|r| w.contains(r.date))
    }

    /// True when the patient is assigned at `as_of`.
    pub fn assigned(&self, as_of: NaiveDate) -> bool {
        self.enrolled_on <= as_of
            && !self.death.by(as_of)
            && !self.moved.by(as_of)
            && self.ended_on.is_none_or(|d| d > as_of)
    }

    /// The lowest value of `kind` on `day`.
    fn lowest(&self, kind: ReadingKind, day: NaiveDate) -> Option<f64> {
        self.readings
            .iter()
            .filter(|r| r.kind == kind && r.date == day)
            .map(|r| r.value)
            .reduce(f64::min)
    }

    /// The BP bucket in window `w`: the latest day with both a systolic and a diastolic reading,
    /// that day's lowest of each; else a contact or not.
    pub fn bp_bucket(&self, w: Window) -> Bucket {
        let latest = self
            .readings
            .iter()
            .filter(|r| r.kind == ReadingKind::Systolic && w.contains(r.date))
            .map(|r| r.date)
            .filter(|d| self.lowest(ReadingKind::Diastolic, *d).is_some())
            .max();
        match latest.and_then(|d| {
            Some((
                self.lowest(ReadingKind::Systolic, d)?,
                self.lowest(ReadingKind::Diastolic, d)?,
            ))
        }) {
            Some((sys, dia)) if sys < 140.0 && dia < 90.0 => Bucket::Controlled,
            Some(_) => Bucket::Uncontrolled,
            None if self.contact_in(w) => Bucket::VisitedNoBp,
            None => Bucket::MissedVisit,
        }
    }

    /// The blood-sugar bucket in window `w`: the latest day with an HbA1c or a glucose value
    /// (HbA1c first on a day with both); else a contact or not.
    pub fn bs_bucket(&self, w: Window) -> Bucket {
        let latest = self
            .readings
            .iter()
            .filter(|r| matches!(r.kind, ReadingKind::Hba1c | ReadingKind::Glucose))
            .filter(|r| w.contains(r.date))
            .map(|r| r.date)
            .max();
        let Some(day) = latest else {
            return if self.contact_in(w) {
                Bucket::VisitedNoBs
            } else {
                Bucket::MissedVisit
            };
        };
        if let Some(a1c) = self.lowest(ReadingKind::Hba1c, day) {
            hba1c_band(a1c)
        } else {
            // The day has a glucose value: `latest` came from one of the two kinds.
            glucose_band(self.lowest(ReadingKind::Glucose, day).unwrap_or(f64::NAN))
        }
    }

    /// The outcome bucket in window `w` for `outcome` (`None` for a programme without buckets).
    pub fn bucket(&self, w: Window, outcome: Outcome) -> Option<Bucket> {
        match outcome {
            Outcome::BloodPressure => Some(self.bp_bucket(w)),
            Outcome::BloodSugar => Some(self.bs_bucket(w)),
            Outcome::Counts => None,
        }
    }

    /// The patient's HEARTS state at `as_of`.
    pub fn status(&self, as_of: NaiveDate, outcome: Outcome) -> Status {
        if !self.assigned(as_of) {
            return Status::default();
        }
        let year = Window::months_ending(as_of, 12);
        let contact_year = self.contact_in(year);
        let enrolled_before_year = self.enrolled_on <= year.after;
        let under_care = contact_year || !enrolled_before_year;
        let in_denominator = under_care && self.enrolled_on <= months_before(as_of, 3);
        Status {
            assigned: true,
            under_care,
            lost_to_follow_up: !under_care,
            in_denominator,
            bucket: if in_denominator {
                self.bucket(Window::months_ending(as_of, 3), outcome)
            } else {
                None
            },
        }
    }
}

/// HbA1c (%) band: < 7.0, 7.0 to < 9.0, ≥ 9.0 (simple-server's risk states).
pub fn hba1c_band(percent: f64) -> Bucket {
    if percent < 7.0 {
        Bucket::BsUnder200
    } else if percent < 9.0 {
        Bucket::Bs200To299
    } else {
        Bucket::Bs300Plus
    }
}

/// Glucose band from a value in mmol/L: converted to whole mg/dL, then < 200, 200–299, ≥ 300.
pub fn glucose_band(mmol_l: f64) -> Bucket {
    let mg_dl = (mmol_l * GLUCOSE_MG_DL_PER_MMOL_L).round();
    if mg_dl < 200.0 {
        Bucket::BsUnder200
    } else if mg_dl < 300.0 {
        Bucket::Bs200To299
    } else {
        Bucket::Bs300Plus
    }
}

/// A group's HEARTS figures for one programme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counts {
    /// Which buckets apply.
    pub outcome: Outcome,
    /// Assigned patients.
    pub assigned: u64,
    /// Under care.
    pub under_care: u64,
    /// Lost to follow-up.
    pub lost_to_follow_up: u64,
    /// The denominator of the buckets.
    pub denominator: u64,
    buckets: [u64; 8],
}

impl Counts {
    /// Zero figures for `outcome`.
    pub fn new(outcome: Outcome) -> Counts {
        Counts {
            outcome,
            assigned: 0,
            under_care: 0,
            lost_to_follow_up: 0,
            denominator: 0,
            buckets: [0; 8],
        }
    }

    /// Adds one patient's state.
    pub fn add(&mut self, s: &Status) {
        self.assigned += u64::from(s.assigned);
        self.under_care += u64::from(s.under_care);
        self.lost_to_follow_up += u64::from(s.lost_to_follow_up);
        self.denominator += u64::from(s.in_denominator);
        if let Some(b) = s.bucket {
            self.buckets[b.index()] += 1;
        }
    }

    /// The number of patients in bucket `b`.
    pub fn bucket(&self, b: Bucket) -> u64 {
        self.buckets[b.index()]
    }

    /// Every figure by its name, in print order: assigned, under care, lost to follow-up,
    /// denominator, then the programme's buckets.
    pub fn figures(&self) -> Vec<(&'static str, u64)> {
        let mut v = vec![
            ("assigned", self.assigned),
            ("under_care", self.under_care),
            ("lost_to_follow_up", self.lost_to_follow_up),
            ("denominator", self.denominator),
        ];
        v.extend(
            self.outcome
                .buckets()
                .iter()
                .map(|b| (b.id(), self.bucket(*b))),
        );
        v
    }
}

impl Serialize for Counts {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let figures = self.figures();
        let mut m = s.serialize_map(Some(figures.len()))?;
        for (k, v) in figures {
            m.serialize_entry(k, &v)?;
        }
        m.end()
    }
}

/// A calendar quarter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    /// The year.
    pub year: i32,
    /// 1 to 4.
    pub q: u32,
}

impl Quarter {
    /// The quarter holding `day`.
    pub fn of(day: NaiveDate) -> Quarter {
        Quarter {
            year: day.year(),
            q: (day.month0() / 3) + 1,
        }
    }

    /// The first day.
    pub fn start(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, (self.q - 1) * 3 + 1, 1).unwrap_or(NaiveDate::MIN)
    }

    /// The last day.
    pub fn end(self) -> NaiveDate {
        self.next().start().pred_opt().unwrap_or(NaiveDate::MAX)
    }

    /// The quarter after.
    pub fn next(self) -> Quarter {
        if self.q == 4 {
            Quarter {
                year: self.year + 1,
                q: 1,
            }
        } else {
            Quarter {
                year: self.year,
                q: self.q + 1,
            }
        }
    }

    /// The quarter before.
    pub fn prev(self) -> Quarter {
        if self.q == 1 {
            Quarter {
                year: self.year - 1,
                q: 4,
            }
        } else {
            Quarter {
                year: self.year,
                q: self.q - 1,
            }
        }
    }

    /// `2026-Q1`.
    pub fn label(self) -> String {
        format!("{}-Q{}", self.year, self.q)
    }

    /// The outcome window of this quarter's cohort: the two quarters after it.
    pub fn cohort_window(self) -> Window {
        Window {
            after: self.end(),
            to: self.next().next().end(),
        }
    }
}

impl PatientFacts {
    /// The patient's state in Simple's quarterly cohort report: for a patient enrolled in
    /// `quarter` and not dead, moved away or ended by the end of the two following quarters,
    /// the bucket of those two quarters (Simple, "What we report", cohort reports: "patients
    /// registered in a given period ... their last BP in the following period"). `None` for a
    /// patient outside the cohort.
    pub fn cohort_bucket(&self, quarter: Quarter, outcome: Outcome) -> Option<Bucket> {
        if Quarter::of(self.enrolled_on) != quarter {
            return None;
        }
        let w = quarter.cohort_window();
        if !self.assigned(w.to) {
            return None;
        }
        self.bucket(w, outcome)
    }
}
