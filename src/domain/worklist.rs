//! The care coordinators' worklist: which patients to call, why, and how urgently.
//!
//! This module is the single definition of every worklist rule; the TUI, the CLI and the report all
//! call [`evaluate`] and [`is_lost_to_follow_up`]. It is pure: the store fills one [`PatientFacts`]
//! per patient with plain values and the rules decide from those, an as-of date, the
//! [`Thresholds`] and a business-day [`Calendar`].
//!
//! # Rules
//!
//! | reason | when | due date | days overdue | priority |
//! | --- | --- | --- | --- | --- |
//! | `post_discharge` | inpatient discharge in its transitional-care period (the discharge day and the next `transitional_care_days`, 29), no successful contact on or after its date | discharge + 2 business days | as_of − due | due: High; overdue: Urgent |
//! | `tcm_visit` | inpatient discharge in its transitional-care period, no visit after the discharge day | discharge + 7 days (LACE ≥ 10) or + 14 | as_of − due | due: Normal; overdue: High |
//! | `after_emergency` | emergency visit in the last 29 days, no successful contact on or after it | visit + 2 business days | as_of − due | High |
//! | `missed_visit` | latest appointment (imported, or a date agreed on a call: `PatientRecord::scheduled_visits`) on or before as_of has passed (date < as_of) with no visit on or after it | appointment | as_of − appointment | High when > 30 days, else Normal |
//! | `hba1c_overdue` | last HbA1c + 6 months < as_of, or no HbA1c at all | last + 6 months (none: enrolment) | as_of − due | Normal |
//! | `kidney_check` | a diabetes diagnosis (ICD-10 E10–E14) with onset on or before as_of, and last creatinine + `kidney_check_interval_months` (12) < as_of, or no creatinine at all | last + 12 months (none: the later of enrolment and the diagnosis's onset) | as_of − due | Normal |
//! | `poor_control` | latest HbA1c > 9.0 % (CMS122's comparison) | result date | 0 | High while ≤ `clinical_flag_recency_days` (90) old, then Normal |
//! | `bp_urgent` | latest BP systolic ≥ 180 or diastolic ≥ 110, read ≤ 90 days ago | reading date | 0 | Urgent |
//! | `bp_not_measured` | the same BP, read more than 90 days ago | reading + 90 days | as_of − due | Normal |
//! | `call_back` | latest call is `call_back`/`no_answer` and its next date ≤ as_of | next date | as_of − next date | Normal |
//! | `readmission_risk` | open readmission window (discharge within 30 days) with LACE ≥ 10 | discharge | 0 | Urgent |
//!
//! Transitional care follows CMS codes 99495/99496 (CMS MLN booklet "Transitional Care Management
//! Services", MLN908628, and the CPT descriptors): an interactive contact within 2 business days of
//! a discharge from an inpatient stay (or observation, which the register does not record apart),
//! a face-to-face visit within 7 days (high complexity, here LACE ≥ 10) or 14 days (moderate),
//! over a period of the discharge day plus the next 29 days. An emergency visit is not such a
//! discharge: it raises `after_emergency`. The facts hold one latest acute event, so an emergency
//! visit after a discharge replaces it.
//!
//! The kidney check follows the Russian diabetes algorithms (Дедов И.И., Шестакова М.В.,
//! Майоров А.Ю., ред. «Алгоритмы специализированной медицинской помощи больным сахарным
//! диабетом», 11-й выпуск, Сахарный диабет 2023;26(2S), doi:10.14341/DM13042; the monitoring
//! table of patients with diabetes: serum creatinine with the calculated GFR at least once a
//! year). An imported eGFR without its creatinine is not tracked: eGFR is computed from creatinine
//! (`domain::kidney`), so a creatinine result is the check.
//!
//! Choices made where the brief left room:
//! - The post-discharge call is only asked for discharges in the transitional-care period (30 days by
//!   default): an older uncontacted discharge is history, not a call to make. Contact is compared
//!   by calendar date, so a contact on the discharge day counts.
//! - HbA1c "overdue after 6 months" is decided on the due date: due = last result + 6 calendar months
//!   (chrono month arithmetic, clamped to the month's end: 2023-08-31 → 2024-02-29), overdue when
//!   due < as_of. This is "last result before as_of − 6 months" except at clamped month ends, where
//!   the due-date form keeps "overdue" and "days overdue ≥ 1" consistent. With no result at all the
//!   test is due since enrolment (`enrolled_on`, days overdue counted from it); when the enrolment
//!   date is unknown it is due as of today (0 days overdue).
//! - Clinical flags (poor control, urgent BP, readmission risk) are not deadlines: 0 days overdue,
//!   due date = the date of the finding.
//! - Dead and moved patients are on no list. After a removal (see [`Removal`]) a rule counts only when
//!   its trigger date is strictly after the removal date: the discharge, the missed appointment, the
//!   HbA1c due date, the result date, the call-back date. HbA1c with no result and no enrolment date
//!   has no trigger date, so it never re-adds a removed patient.
//!
//! Ranking, as Simple's overdue list: each reason keeps its own due date and lateness; the reason
//! that decides the entry ([`WorklistEntry::deciding`]) is the most urgent, then a deadline before a
//! clinical flag (`poor_control`, `bp_urgent`), then the most days overdue. The entry's priority,
//! due date and days overdue are that reason's. Entries sort by priority (urgent first), deadlines
//! before clinical flags, days overdue (most first), then patient id: see
//! [`WorklistEntry::sort_key`].

mod recheck;
mod rules;
#[cfg(test)]
mod tests;
mod thresholds;

pub use recheck::recheck_on;
pub use thresholds::{DEFAULT_THRESHOLDS_TOML, Thresholds, ThresholdsError};

use crate::domain::calendar::Calendar;
pub use crate::domain::program::{BpLimit, ProgramRules};
use crate::domain::types::{CallOutcome, EncounterClass, PatientStatus};
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use std::cmp::Reverse;
use std::fmt;

/// Declares a closed set of codes with `as_code`, `from_code` and `ALL`, like `types.rs` does.
macro_rules! worklist_code_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            /// Every value, in declaration order (which is also the sort order).
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable snake_case code used in the CLI, reports and translations.
            pub fn as_code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// Parses a code (case-insensitive, trimmed); `None` when it is not one of `ALL`.
            pub fn from_code(code: &str) -> Option<Self> {
                let code = code.trim();
                $(if code.eq_ignore_ascii_case($code) { return Some($name::$variant); })+
                None
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_code())
            }
        }
    };
}

worklist_code_enum! {
    /// Why a patient is on the worklist. The codes are stable: UI translations and reports key on them.
    Reason {
        /// No successful contact since an inpatient discharge or emergency visit.
        PostDischarge => "post_discharge",
        /// A scheduled appointment passed without a visit.
        MissedVisit => "missed_visit",
        /// No HbA1c result within the interval (6 months).
        Hba1cOverdue => "hba1c_overdue",
        /// Latest HbA1c above the poor-control threshold (> 9.0 %, as CMS122).
        PoorControl => "poor_control",
        /// Latest blood pressure at or above the urgent threshold (180/110).
        BpUrgent => "bp_urgent",
        /// The agreed call-back date (or retry after no answer) has come.
        CallBack => "call_back",
        /// Open readmission window after a discharge with a high LACE score.
        ReadmissionRisk => "readmission_risk",
        /// "BP not measured for N months": a programme that watches BP (`[watch.bp]`) has had no
        /// reading for its months; or the latest BP was at the urgent level but is older than
        /// `clinical_flag_recency_days`. Normal priority.
        BpNotMeasured => "bp_not_measured",
        /// No successful contact since an emergency visit (not transitional care, its own reason).
        AfterEmergency => "after_emergency",
        /// The transitional-care face-to-face visit after a discharge has not happened yet.
        TransitionalVisit => "tcm_visit",
        /// The last BP was not controlled (at or above the programme's limit, 140/90) and no
        /// visit followed within the programme's follow-up days.
        BpUncontrolled => "bp_uncontrolled",
        /// A diabetic patient's kidney function (creatinine, hence eGFR) not checked within the
        /// interval (12 months).
        KidneyCheck => "kidney_check",
    }
}

impl Reason {
    /// True for the clinical flags (a reading at a dangerous level): at equal priority they come
    /// after the reasons with a deadline, whose day cannot be made up later.
    pub fn is_clinical_flag(self) -> bool {
        matches!(self, Reason::PoorControl | Reason::BpUrgent)
    }
}

worklist_code_enum! {
    /// The sections of the worklist, as Simple's overdue list has them (see [`place`]); "no visit
    /// in 12 months" is a separate list ([`is_lost_to_follow_up`]), not a section a patient is in.
    Section {
        /// Patients to call, in the list's order.
        ToCall => "to_call",
        /// Agreed to visit: off the calls until the agreed date plus the grace days.
        AgreedVisit => "agreed_visit",
        /// Asked to be called back (or did not answer): off the calls until that date.
        CallBack => "call_back",
        /// Refused or invalid number with an urgent recent reading: needs a home visit or the
        /// clinic's own contact.
        AnotherWay => "another_way",
        /// Taken off the list by a call (refused, invalid number, already visited) until a new
        /// trigger.
        Removed => "removed",
    }
}

// `worklist_code_enum!` derives one list of traits for every code enum, so the default is written
// out here rather than derived.
#[allow(clippy::derivable_impls)]
impl Default for Section {
    fn default() -> Self {
        Section::ToCall
    }
}

worklist_code_enum! {
    /// How soon to act. `Ord` puts the most urgent first (`Urgent < High < Normal`).
    Priority {
        /// Today: urgent BP, readmission risk, or an overdue post-discharge call.
        Urgent => "urgent",
        /// Soon: post-discharge call not yet overdue, poor control, visit missed over 30 days ago.
        High => "high",
        /// Routine: everything else.
        Normal => "normal",
    }
}

/// Which acute event opened a transitional-care period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AcuteKind {
    /// Discharge from an inpatient stay (the date is the discharge date).
    InpatientDischarge,
    /// An emergency department visit (the date is the visit date).
    EmergencyVisit,
}

impl AcuteKind {
    /// Maps an encounter class to the acute kind it is; `None` for outpatient, home and virtual.
    pub fn from_class(class: EncounterClass) -> Option<AcuteKind> {
        match class {
            EncounterClass::Inpatient => Some(AcuteKind::InpatientDischarge),
            EncounterClass::Emergency => Some(AcuteKind::EmergencyVisit),
            _ => None,
        }
    }

    /// The encounter class of this kind.
    pub fn class(self) -> EncounterClass {
        match self {
            AcuteKind::InpatientDischarge => EncounterClass::Inpatient,
            AcuteKind::EmergencyVisit => EncounterClass::Emergency,
        }
    }
}

/// The latest inpatient discharge or emergency visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AcuteEvent {
    /// Discharge or emergency visit.
    pub kind: AcuteKind,
    /// The discharge date (inpatient) or visit date (emergency).
    pub date: NaiveDate,
}

/// The latest call of any outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallFact {
    /// When the call was made (as recorded, no zone conversion).
    pub at: NaiveDateTime,
    /// What came of it.
    pub outcome: CallOutcome,
    /// The date it set: agreed visit, call-back or retry. When a `call_back`/`no_answer` call has
    /// none, the rules use [`default_next_date`] from the call's date.
    pub next_date: Option<NaiveDate>,
}

/// The latest HbA1c result.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Hba1cFact {
    /// The date of the test.
    pub date: NaiveDate,
    /// The value in % (NGSP).
    pub percent: f64,
}

/// The latest blood-pressure reading (either value may be missing).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BpFact {
    /// The date of the reading.
    pub date: NaiveDate,
    /// Systolic, mm Hg.
    pub systolic: Option<f64>,
    /// Diastolic, mm Hg.
    pub diastolic: Option<f64>,
}

/// An open readmission window: a discharge and its LACE total (the store decides which discharge).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadmissionWindow {
    /// The index discharge date; the window runs `readmission_window_days` from it.
    pub discharge: NaiveDate,
    /// The LACE index total of that stay.
    pub lace: u32,
}

/// A patient taken off the worklist by a call outcome (see [`removes_from_list`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Removal {
    /// The date of the call that removed the patient.
    pub on: NaiveDate,
    /// The outcome that removed them: refused, invalid_number, already_visited, moved or died.
    pub reason: CallOutcome,
}

/// Everything the rules need to know about one patient, as plain values filled by the store.
/// Every date is on or before the as-of date the store computed it for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PatientFacts {
    /// The register's patient id.
    pub patient_id: String,
    /// Active, moved or dead: only active patients are on any list.
    pub status: PatientStatus,
    /// The date the patient joined the pilot, when known (anchors "no HbA1c / no visit ever").
    pub enrolled_on: Option<NaiveDate>,
    /// The latest inpatient discharge or emergency visit.
    pub latest_acute: Option<AcuteEvent>,
    /// When the latest call whose outcome `is_contact()` was made.
    pub latest_contact_at: Option<NaiveDateTime>,
    /// The latest call of any outcome.
    pub latest_call: Option<CallFact>,
    /// How many `no_answer` calls end the call history without another outcome between them.
    pub consecutive_no_answers: u32,
    /// The latest visit: an encounter of any class, or a measurement taken at a network site.
    pub latest_visit: Option<NaiveDate>,
    /// The latest scheduled appointment on or before the as-of date (a visit on or after it, per
    /// `latest_visit`, means it was kept).
    pub latest_appointment: Option<NaiveDate>,
    /// The latest HbA1c result.
    pub latest_hba1c: Option<Hba1cFact>,
    /// The latest blood-pressure reading.
    pub latest_bp: Option<BpFact>,
    /// An open readmission window with its LACE total, if any.
    pub readmission_window: Option<ReadmissionWindow>,
    /// The latest removal from the list by a call outcome, if any.
    pub removed: Option<Removal>,
    /// The programmes the patient is enrolled in, with their rules; the programme reasons
    /// (`hba1c_overdue`, `poor_control`, `bp_urgent`, `bp_uncontrolled`, `bp_not_measured`) come
    /// from these only.
    #[serde(default)]
    pub programs: Vec<ProgramEnrolment>,
    /// A heart attack or stroke diagnosed on or before the as-of date ([`is_prior_mi_or_stroke`]).
    #[serde(default)]
    pub prior_mi_or_stroke: bool,
    /// The latest blood glucose, mmol/L (the higher of a day's values).
    #[serde(default)]
    pub latest_glucose: Option<GlucoseFact>,
    /// The earliest onset of a diabetes diagnosis (ICD-10 E10–E14), when the patient has one.
    #[serde(default)]
    pub diabetes_since: Option<NaiveDate>,
    /// The date of the latest creatinine result (eGFR is computed from it).
    #[serde(default)]
    pub latest_creatinine: Option<NaiveDate>,
}

/// A programme a patient is enrolled in, with what it watches and the reasons it raises.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProgramEnrolment {
    /// The programme's id (`diabetes`, `hypertension`, a region's own).
    pub program_id: String,
    /// The enrolment date, when on or before the as-of date (else the patient's `enrolled_on`
    /// anchors "no reading ever").
    pub enrolled_on: Option<NaiveDate>,
    /// The programme's rules.
    pub rules: ProgramRules,
}

/// The latest blood-glucose value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GlucoseFact {
    /// The date of the test.
    pub date: NaiveDate,
    /// mmol/L.
    pub mmol_per_l: f64,
}

/// ICD-10 prefixes of a prior heart attack or stroke in Simple's high-risk rule: acute and
/// subsequent myocardial infarction (I21–I22), old myocardial infarction (I25.2), cerebrovascular
/// haemorrhage and infarction (I60–I64) and their sequelae (I69).
const PRIOR_MI_OR_STROKE: [&str; 9] = [
    "I21", "I22", "I252", "I60", "I61", "I62", "I63", "I64", "I69",
];

/// True when an ICD-10 code records a heart attack or a stroke (see [`PRIOR_MI_OR_STROKE`]);
/// Cyrillic look-alike letters fold.
pub fn is_prior_mi_or_stroke(code: &str) -> bool {
    let compact = crate::domain::codes::normalize_icd10(code);
    PRIOR_MI_OR_STROKE.iter().any(|p| compact.starts_with(p))
}

/// HbA1c at or above this, %, is uncontrolled blood sugar in Simple's high-risk rule.
pub const HIGH_RISK_HBA1C_PCT: f64 = 9.0;

/// Glucose at or above this, mmol/L (300 mg/dL, Simple's random-glucose limit), is uncontrolled
/// blood sugar in Simple's high-risk rule. The register does not tell fasting from random
/// glucose, so the random limit applies to both.
pub const HIGH_RISK_GLUCOSE_MMOL: f64 = 16.7;

/// BP at or above this with a prior heart attack or stroke is high risk.
pub const HIGH_RISK_RAISED_BP: BpLimit = BpLimit {
    systolic: 140.0,
    diastolic: 90.0,
};

/// Simple's high-risk patient, as its overdue list marks one (simple-android,
/// `OverdueAppointment.kt`, the `isAtHighRisk` column): the latest BP at or above the urgent
/// limit (180/110, `bp_urgent_*`); or a prior heart attack or stroke and the latest BP at or above
/// 140/90; or uncontrolled blood sugar (latest HbA1c ≥ 9 %, or latest glucose ≥ 300 mg/dL =
/// 16.7 mmol/L). Simple's query writes the prior-event clause as systolic ≥ 140 or diastolic
/// ≥ 110; issue #21 states 140/90, which is what this follows. A mark on the worklist line, not a
/// reason: it changes with new readings or diagnoses only.
pub fn is_high_risk(facts: &PatientFacts, t: &Thresholds) -> bool {
    let (s, d) = facts
        .latest_bp
        .map_or((None, None), |b| (b.systolic, b.diastolic));
    let urgent = t.bp_is_urgent(s, d);
    let raised = facts.prior_mi_or_stroke && HIGH_RISK_RAISED_BP.reached_by(s, d);
    let sugar = facts
        .latest_hba1c
        .is_some_and(|h| h.percent >= HIGH_RISK_HBA1C_PCT)
        || facts
            .latest_glucose
            .is_some_and(|g| g.mmol_per_l >= HIGH_RISK_GLUCOSE_MMOL);
    urgent || raised || sugar
}

impl PatientFacts {
    /// Facts for a patient about whom nothing is known yet but the id and status.
    pub fn new(patient_id: impl Into<String>, status: PatientStatus) -> PatientFacts {
        PatientFacts {
            patient_id: patient_id.into(),
            status,
            enrolled_on: None,
            latest_acute: None,
            latest_contact_at: None,
            latest_call: None,
            consecutive_no_answers: 0,
            latest_visit: None,
            latest_appointment: None,
            latest_hba1c: None,
            latest_bp: None,
            readmission_window: None,
            removed: None,
            programs: Vec::new(),
            prior_mi_or_stroke: false,
            latest_glucose: None,
            diabetes_since: None,
            latest_creatinine: None,
        }
    }
}

/// One reason a patient is on the list, with its own due date, lateness and priority.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// The rule that fired.
    pub reason: Reason,
    /// When action fell due (for clinical flags: the date of the finding).
    pub due: NaiveDate,
    /// Calendar days past `due` (0 when not yet late, and for clinical flags).
    pub days_overdue: i64,
    /// This reason's priority (see the module table).
    pub priority: Priority,
    /// The programmes that raise it, in the order they are defined; empty for the reasons of
    /// every programme (missed visit, call-back, post-discharge, …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub programs: Vec<String>,
    /// The reading the reason is about, when it has one ("BP not measured": the last BP's date,
    /// so the line can say for how many months).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<NaiveDate>,
}

/// A patient's line on the worklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorklistEntry {
    /// The register's patient id.
    pub patient_id: String,
    /// The reasons, in [`Reason::ALL`] order; never empty in `to_call` (a waiting section may
    /// hold a patient whose only reason the call met).
    pub reasons: Vec<Reason>,
    /// The same reasons with their due dates, lateness and priorities.
    pub findings: Vec<Finding>,
    /// The deciding reason's days overdue (see [`WorklistEntry::deciding`]).
    pub days_overdue: i64,
    /// The deciding reason's due date.
    pub due: NaiveDate,
    /// The most urgent priority over the reasons (the deciding reason's).
    pub priority: Priority,
    /// Unanswered calls in a row reached the threshold: suggest a home visit or a letter.
    pub unreachable: bool,
    /// The patient refused or the number is invalid, yet a recent reading is urgent: kept in
    /// sight for another way to reach her (a home visit, the clinic's own contact).
    #[serde(default)]
    pub another_way: bool,
    /// The section of the worklist the patient is in (see [`place`]).
    #[serde(default)]
    pub section: Section,
    /// `agreed_visit`: the agreed date (she waits there `agreed_visit_grace_days` more);
    /// `call_back`: the call-back date; `removed`: the removal's date.
    #[serde(default)]
    pub section_date: Option<NaiveDate>,
    /// `removed` and `another_way`: the call outcome that took her off the calls.
    #[serde(default)]
    pub removed_for: Option<CallOutcome>,
    /// Simple's high-risk mark ([`is_high_risk`]).
    #[serde(default)]
    pub high_risk: bool,
}

impl Finding {
    /// How a finding ranks against the patient's other findings, most deciding first: priority,
    /// then deadline reasons before clinical flags, then days overdue (most first).
    pub fn rank(&self) -> (Priority, bool, Reverse<i64>, Reason) {
        (
            self.priority,
            self.reason.is_clinical_flag(),
            Reverse(self.days_overdue),
            self.reason,
        )
    }
}

impl WorklistEntry {
    /// The reason that decides the entry's place on the list (see [`Finding::rank`]): the row
    /// shows it, with its own due date and days overdue.
    pub fn deciding(&self) -> Option<&Finding> {
        self.findings.iter().min_by_key(|f| f.rank())
    }

    /// True when the deciding reason is a clinical flag (it sorts after deadlines of its priority).
    pub fn decided_by_clinical_flag(&self) -> bool {
        self.deciding().is_some_and(|f| f.reason.is_clinical_flag())
    }

    /// The worklist order: priority (urgent first), then deadline reasons before clinical flags,
    /// then days overdue (most first), then patient id — all from the deciding reason.
    pub fn sort_key(&self) -> (Priority, bool, Reverse<i64>, &str) {
        (
            self.priority,
            self.decided_by_clinical_flag(),
            Reverse(self.days_overdue),
            self.patient_id.as_str(),
        )
    }

    /// Takes priority, due date and days overdue from the deciding reason.
    pub(crate) fn settle(&mut self, as_of: NaiveDate) {
        let (priority, due, days) = self.deciding().map_or((Priority::Normal, as_of, 0), |f| {
            (f.priority, f.due, f.days_overdue)
        });
        self.priority = priority;
        self.due = due;
        self.days_overdue = days;
    }

    /// True when `reason` is one of the entry's reasons.
    pub fn has(&self, reason: Reason) -> bool {
        self.reasons.contains(&reason)
    }
}

/// Sorts entries into worklist order ([`WorklistEntry::sort_key`]).
pub fn sort_worklist(entries: &mut [WorklistEntry]) {
    entries.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
}

/// Evaluates every patient and returns the sorted worklist.
pub fn build_worklist(
    patients: &[PatientFacts],
    as_of: NaiveDate,
    t: &Thresholds,
    cal: &Calendar,
) -> Vec<WorklistEntry> {
    let mut entries: Vec<WorklistEntry> = patients
        .iter()
        .filter_map(|p| evaluate(p, as_of, t, cal))
        .collect();
    sort_worklist(&mut entries);
    entries
}

/// True for the call outcomes that take a patient off the worklist until a new trigger arises:
/// refused, invalid_number, already_visited, moved and died.
pub fn removes_from_list(outcome: CallOutcome) -> bool {
    matches!(
        outcome,
        CallOutcome::Refused
            | CallOutcome::InvalidNumber
            | CallOutcome::AlreadyVisited
            | CallOutcome::Moved
            | CallOutcome::Died
    )
}

/// The patient's line on the list to call as of `as_of`, or `None` when no rule fires, the patient
/// is dead or moved, removed with no newer trigger, or waiting in another section (see [`place`]).
/// See the module documentation for the rules.
pub fn evaluate(
    facts: &PatientFacts,
    as_of: NaiveDate,
    t: &Thresholds,
    cal: &Calendar,
) -> Option<WorklistEntry> {
    place(facts, as_of, t, cal).filter(|e| e.section == Section::ToCall)
}

/// The patient's line in whichever [`Section`] of the worklist she is in as of `as_of` (`None`:
/// in none). The sections, as Simple's overdue list has them:
/// - `removed`: the effective removal (refused, invalid number, already visited) stands because
///   no trigger came after it; the line carries the outcome and its date;
/// - `another_way`: refused or invalid number with no newer trigger, yet an urgent clinical flag
///   whose reading is recent: off the calls, not off the clinic's attention;
/// - `agreed_visit`: the latest call agreed a visit and `as_of` is on or before the agreed date
///   plus `agreed_visit_grace_days`, and no trigger came after that call (the agreed visit itself
///   is an appointment: once it passes without a visit, `missed_visit` brings her back after the
///   grace days, not the day after);
/// - `call_back`: the latest call is "call back" (or "no answer") and its date has not come,
///   and no trigger came after that call (on the date the `call_back` reason puts her back);
/// - `to_call`: every other patient a rule fires for.
///
/// The waiting sections may hold a line with no reason (a call that met the only one): the
/// nurse still sees where the patient went.
pub fn place(
    facts: &PatientFacts,
    as_of: NaiveDate,
    t: &Thresholds,
    cal: &Calendar,
) -> Option<WorklistEntry> {
    if facts.status != PatientStatus::Active {
        return None;
    }
    let removed_on = rules::removal_date(facts);
    let removed_for = rules::removal_reason(facts);
    // "Refused" and "invalid number" take a patient off the calls, not off the clinic's
    // attention: an urgent clinical flag stays in sight, for another way to reach her.
    let unreachable_by_phone =
        removed_for.is_some_and(|r| matches!(r, CallOutcome::Refused | CallOutcome::InvalidNumber));
    let mut another_way = false;
    let mut kept = Vec::new();
    let mut held_back = Vec::new();
    for c in rules::candidates(facts, as_of, t, cal) {
        if rules::counts_after_removal(removed_on, c.trigger) {
            kept.push(c);
        } else if unreachable_by_phone
            && c.finding.reason.is_clinical_flag()
            && c.finding.priority == Priority::Urgent
        {
            another_way = true;
            kept.push(c);
        } else {
            held_back.push(c.finding);
        }
    }
    let new_trigger = kept
        .iter()
        .any(|c| rules::counts_after_removal(removed_on, c.trigger));
    let (section, until, mut findings): (Section, Option<NaiveDate>, Vec<Finding>) =
        if removed_on.is_some() && !new_trigger {
            if another_way {
                let urgent = kept.into_iter().map(|c| c.finding).collect();
                (Section::AnotherWay, None, urgent)
            } else {
                (Section::Removed, removed_on, held_back)
            }
        } else {
            match rules::waiting(facts, as_of, t, cal) {
                Some((section, date, called))
                    if !kept
                        .iter()
                        .any(|c| rules::brings_back(c, section, date, called)) =>
                {
                    (
                        section,
                        Some(date),
                        kept.into_iter().map(|c| c.finding).collect(),
                    )
                }
                _ if kept.is_empty() => return None,
                _ => (
                    Section::ToCall,
                    None,
                    kept.into_iter().map(|c| c.finding).collect(),
                ),
            }
        };
    findings.sort_by_key(|f| f.reason);
    let mut entry = WorklistEntry {
        patient_id: facts.patient_id.clone(),
        reasons: findings.iter().map(|f| f.reason).collect(),
        findings,
        days_overdue: 0,
        due: as_of,
        priority: Priority::Normal,
        unreachable: facts.consecutive_no_answers >= t.unreachable_after_no_answers,
        another_way,
        section,
        section_date: until,
        removed_for: (section == Section::Removed || section == Section::AnotherWay)
            .then_some(removed_for)
            .flatten(),
        high_risk: is_high_risk(facts, t),
    };
    entry.settle(as_of);
    Some(entry)
}

/// A patient lost to follow-up, as the worklist's "no visit in 12 months" list shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LostToFollowUp {
    /// Lost, and on the list to call back to care.
    Listed,
    /// Lost, but a nurse took them off the list before they became lost (a removal, see
    /// [`Removal`]): still counted as lost — the figure is the published one — and shown apart.
    TakenOff,
}

/// Whether an active patient is lost to follow-up by the one definition Progress and the report
/// use ([`crate::domain::measures::follow_up::lost_to_follow_up`]: enrolled more than
/// `lost_to_follow_up_months` (12) months ago and no visit in that many months), and whether a
/// nurse's removal takes them off the list: a removal hides the patient unless the date they
/// became lost is after it. `None` when not lost.
pub fn lost_to_follow_up(
    facts: &PatientFacts,
    as_of: NaiveDate,
    t: &Thresholds,
) -> Option<LostToFollowUp> {
    if facts.status != PatientStatus::Active {
        return None;
    }
    lost_in_population(facts, as_of, t)
}

/// [`lost_to_follow_up`] for the patient as Progress counts them on `as_of`: in the catalogue's
/// active population by the record's enrolment, death and move dates
/// ([`crate::domain::measures::population::active_at`]), so a historical as-of date counts a patient who died
/// later and leaves out one enrolled later, as Progress and the report do. The stored worklist and
/// the computed one both decide with this.
pub fn lost_to_follow_up_on(
    record: &crate::domain::patient_record::PatientRecord,
    facts: &PatientFacts,
    as_of: NaiveDate,
    t: &Thresholds,
) -> Option<LostToFollowUp> {
    let active = crate::domain::measures::population::active_at(
        record.status,
        record.enrolled_on,
        record.death_date,
        record.moved_on,
        as_of,
    );
    if !active {
        return None;
    }
    lost_in_population(facts, as_of, t)
}

/// Lost, and listed or taken off, for a patient already known to be in the population.
fn lost_in_population(
    facts: &PatientFacts,
    as_of: NaiveDate,
    t: &Thresholds,
) -> Option<LostToFollowUp> {
    use crate::domain::measures::follow_up::{lost_since, lost_to_follow_up};
    let months = t.lost_to_follow_up_months;
    if !lost_to_follow_up(facts.enrolled_on, facts.latest_visit, as_of, months) {
        return None;
    }
    let trigger = lost_since(facts.enrolled_on, facts.latest_visit, months);
    Some(
        if rules::counts_after_removal(rules::removal_date(facts), trigger) {
            LostToFollowUp::Listed
        } else {
            LostToFollowUp::TakenOff
        },
    )
}

/// True when an active patient is lost to follow-up and on the list to call (not taken off by a
/// nurse): see [`lost_to_follow_up`].
pub fn is_lost_to_follow_up(facts: &PatientFacts, as_of: NaiveDate, t: &Thresholds) -> bool {
    lost_to_follow_up(facts, as_of, t) == Some(LostToFollowUp::Listed)
}

/// The date the call form proposes for an outcome recorded on `today`: an agreed visit in
/// `next_visit_days` and a call-back in `call_back_days` (calendar days, moved forward to a business
/// day), a retry after no answer in `no_answer_retry_business_days` business days (the next business
/// day). `None` for outcomes that take no date (see `CallOutcome::takes_date`).
pub fn default_next_date(
    outcome: CallOutcome,
    today: NaiveDate,
    t: &Thresholds,
    cal: &Calendar,
) -> Option<NaiveDate> {
    match outcome {
        CallOutcome::AgreedToVisit => {
            Some(cal.business_day_on_or_after(rules::add_days_saturating(today, t.next_visit_days)))
        }
        CallOutcome::CallBackLater => {
            Some(cal.business_day_on_or_after(rules::add_days_saturating(today, t.call_back_days)))
        }
        CallOutcome::NoAnswer => {
            Some(cal.add_business_days(today, t.no_answer_retry_business_days))
        }
        _ => None,
    }
}
