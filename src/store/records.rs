//! The rows of acodesk's own CSV import format: one struct per file, one field per column.
//!
//! They live in the store because `store::writes` takes them: the importers (above the store)
//! parse into them, and the store never needs to know an importer.
//!
//! These structs are the single definition of the format. The sample generator writes them with
//! `csv::Writer::serialize` and the importer reads the same column names, so the two cannot drift.
//! Dates are ISO (`2024-03-05`), timestamps `2024-03-05T14:30:00`, money in currency units with two
//! decimals (`1234.56`), booleans `true`/`false`. The README documents each file.

use crate::domain::money::Money;
use crate::domain::types::{
    CallOutcome, ClaimCategory, CodeSystem, Disposition, EncounterClass, Funding, OrgKind,
    PatientStatus, Sex, StaffRole,
};
use chrono::NaiveDate;
use serde::Serialize;

/// The files of an import folder, in the order they must be loaded (later files refer to earlier ones).
pub const FILES: &[&str] = &[
    "organizations.csv",
    "staff.csv",
    "patients.csv",
    "diagnoses.csv",
    "observations.csv",
    "encounters.csv",
    "claims.csv",
    "appointments.csv",
    "calls.csv",
];

/// `organizations.csv`: the network's sites.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrganizationRow {
    pub id: String,
    pub name: String,
    pub kind: OrgKind,
    pub region: String,
}

/// `staff.csv`: nurses and managers with their home site.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StaffRow {
    pub id: String,
    pub name: String,
    pub role: StaffRole,
    pub site_id: Option<String>,
}

/// `patients.csv`: the register's people.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PatientRow {
    pub id: String,
    /// Compulsory health insurance (OMS) policy number, 16 digits.
    pub policy_number: Option<String>,
    /// Russian individual insurance account number, `123-456-789 01`.
    pub snils: Option<String>,
    pub family_name: String,
    pub given_name: String,
    pub patronymic: String,
    pub sex: Sex,
    pub birth_date: NaiveDate,
    pub death_date: Option<NaiveDate>,
    pub phone: Option<String>,
    pub phone2: Option<String>,
    pub locality: String,
    pub address: String,
    pub site_id: Option<String>,
    pub nurse_id: Option<String>,
    pub status: PatientStatus,
    /// The date the patient moved away (status `moved`).
    pub moved_on: Option<NaiveDate>,
    /// The date hospice or palliative care began (excludes the patient from CMS122 and CMS165).
    /// `None` keeps what the register holds. Not written by the sample generator.
    #[serde(skip_serializing)]
    pub palliative_since: Option<NaiveDate>,
}

/// `diagnoses.csv`: coded conditions with onset.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DiagnosisRow {
    pub patient_id: String,
    pub system: CodeSystem,
    pub code: String,
    pub description: String,
    pub onset_date: NaiveDate,
}

/// `observations.csv`: lab results and vital signs, identified by LOINC.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ObservationRow {
    pub id: String,
    pub patient_id: String,
    pub date: NaiveDate,
    pub loinc: String,
    pub value: f64,
    pub unit: String,
    pub site_id: Option<String>,
}

/// `encounters.csv`: visits and stays. `start`/`end` are timestamps as recorded.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EncounterRow {
    pub id: String,
    pub patient_id: String,
    pub class: EncounterClass,
    pub start: String,
    pub end: Option<String>,
    pub organization_id: Option<String>,
    pub planned: bool,
    pub disposition: Option<Disposition>,
    pub cost: Money,
    /// The principal (rank 1) ICD-10 diagnosis, Cyrillic look-alike letters folded to Latin.
    /// Not written by the sample generator (its encounters carry none), so its CSV keeps its columns.
    #[serde(skip_serializing)]
    pub principal_dx: Option<String>,
}

/// `claims.csv`: paid claim lines, the spend side of the budget.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClaimRow {
    pub id: String,
    pub patient_id: String,
    pub service_date: NaiveDate,
    pub paid: Money,
    pub category: ClaimCategory,
    pub organization_id: Option<String>,
    pub encounter_id: Option<String>,
    /// The date the payer received the line (`received`, optional; else the import date) (#19).
    pub received: Option<NaiveDate>,
    /// Who pays the line (`funding`: `oms` or `llo`, optional: not stated) (#19).
    pub funding: Option<Funding>,
}

/// `appointments.csv`: scheduled visits.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AppointmentRow {
    pub id: String,
    pub patient_id: String,
    pub date: NaiveDate,
    pub site_id: Option<String>,
}

/// `calls.csv`: follow-up calls logged before the import (history from another system).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CallRow {
    pub id: String,
    pub patient_id: String,
    /// UTC timestamp `2024-03-05T09:12:00`.
    pub called_at: String,
    pub user: String,
    pub outcome: CallOutcome,
    pub next_date: Option<NaiveDate>,
    pub note: String,
}
