//! Turning one row of a Synthea CSV file into the register's records. Columns are looked up by
//! lower-cased name (the reader folds the header), so `Id`, `ID` and `id` are the same column.

use super::map::{
    SYNTHEA_CLASSES, claim_category, code_system, encounter_class, medication_claim_id,
    observation_id, organization_kind, paid_by_patient, snomed_to_icd10, strip_name_digits,
    tracked_observation,
};
use crate::domain::money::Money;
use crate::domain::types::{CodeSystem, ObservationKind, PatientStatus, Sex};
use crate::domain::units;
use crate::import::csv_file::{LocatedError, Row};
use crate::store::records::{
    ClaimRow, DiagnosisRow, EncounterRow, ObservationRow, OrganizationRow, PatientRow,
};
use std::collections::HashSet;

/// Columns every Synthea organizations.csv has.
pub const ORGANIZATION_COLUMNS: &[&str] = &["id", "name"];
/// Columns every Synthea patients.csv has.
pub const PATIENT_COLUMNS: &[&str] = &["id", "birthdate", "first", "last", "gender"];
/// Columns every Synthea conditions.csv has.
pub const CONDITION_COLUMNS: &[&str] = &["start", "patient", "code"];
/// Columns every Synthea encounters.csv has.
pub const ENCOUNTER_COLUMNS: &[&str] = &["id", "start", "patient", "encounterclass"];
/// Columns every Synthea observations.csv has.
pub const OBSERVATION_COLUMNS: &[&str] = &["date", "patient", "code", "value"];
/// Columns every Synthea medications.csv has.
pub const MEDICATION_COLUMNS: &[&str] = &["start", "patient", "code"];
/// Columns every Synthea claims_transactions.csv has.
pub const TRANSACTION_COLUMNS: &[&str] = &["id", "patientid", "type", "fromdate"];

/// A non-negative amount of US dollars, rounded to the cent (Synthea writes costs as floating
/// point, e.g. `1306.5500000000002`); an empty cell is zero.
fn amount(r: &Row<'_>, column: &str) -> Result<Money, LocatedError> {
    if r.text(column).is_empty() {
        return Ok(Money::ZERO);
    }
    let value = r.number(column)?;
    if value < 0.0 {
        return Err(r.error(
            column,
            format!(
                "\"{}\" is negative: expected an amount of zero or more",
                r.text(column)
            ),
        ));
    }
    Ok(Money::from_f64_rounded(value))
}

/// organizations.csv: `kind` from the name or the inpatient stays it had, `region` = STATE.
pub fn organization(
    r: &Row<'_>,
    inpatient: &HashSet<String>,
) -> Result<OrganizationRow, LocatedError> {
    let id = r.required("id")?;
    let name = r.required("name")?;
    Ok(OrganizationRow {
        kind: organization_kind(&name, inpatient.contains(&id)),
        id,
        name,
        region: r.text("state").to_string(),
    })
}

/// patients.csv: names without Synthea's digits, MIDDLE (v3) as the patronymic, dead when a
/// DEATHDATE is written. Synthea has no phone, policy number, SNILS or home site.
pub fn patient(r: &Row<'_>) -> Result<PatientRow, LocatedError> {
    let id = r.required("id")?;
    let birth_date = r.plausible_date("birthdate")?;
    let death_date = r.optional_date("deathdate")?;
    if death_date.is_some_and(|d| d < birth_date) {
        return Err(r.error(
            "deathdate",
            "is before the birth date: expected a date after it",
        ));
    }
    let family_name = strip_name_digits(&r.required("last")?);
    let given_name = strip_name_digits(&r.required("first")?);
    let middle = r.text("middle");
    let patronymic = if middle.is_empty() {
        String::new()
    } else {
        strip_name_digits(middle)
    };
    Ok(PatientRow {
        id,
        policy_number: None,
        snils: None,
        family_name,
        given_name,
        patronymic,
        sex: r.code("gender", Sex::from_code, Sex::expected())?,
        birth_date,
        death_date,
        phone: None,
        phone2: None,
        locality: r.text("city").to_string(),
        address: r.text("address").to_string(),
        site_id: None,
        nurse_id: None,
        status: if death_date.is_some() {
            PatientStatus::Dead
        } else {
            PatientStatus::Active
        },
        moved_on: None,
        palliative_since: None,
    })
}

/// The columns of an encounters.csv that changed between Synthea versions.
#[derive(Debug, Clone, Copy)]
pub struct EncounterColumns {
    /// `total_claim_cost` (v2.x and later) or `cost` (older exports).
    pub cost: &'static str,
    /// Whether `payer_coverage` is present.
    pub coverage: bool,
    /// `organization`, or in the oldest exports (no such column) `provider`, which then named the
    /// organization; the caller keeps a `provider` value only when it is a known organization.
    pub organization: &'static str,
}

/// encounters.csv: the encounter, and the amount its derived claim line pays (PAYER_COVERAGE, or
/// the encounter's cost when the export has no coverage column). Synthea marks no admission as
/// planned and writes no discharge disposition.
pub fn encounter(
    r: &Row<'_>,
    columns: EncounterColumns,
) -> Result<(EncounterRow, Money), LocatedError> {
    let id = r.required("id")?;
    let start = r.plausible_timestamp("start")?;
    let end = r.optional_timestamp("stop")?;
    if end.as_ref().is_some_and(|e| e.get(..10) < start.get(..10)) {
        return Err(r.error(
            "stop",
            "is before the start: expected the end on or after the start",
        ));
    }
    let written = r.text("encounterclass");
    let class = encounter_class(written).ok_or_else(|| {
        r.error(
            "encounterclass",
            format!(
                "\"{written}\" is not an encounter class Synthea writes: expected {SYNTHEA_CLASSES}"
            ),
        )
    })?;
    let cost = amount(r, columns.cost)?;
    let paid = if columns.coverage {
        amount(r, "payer_coverage")?
    } else {
        cost
    };
    let row = EncounterRow {
        id,
        patient_id: r.required("patient")?,
        class,
        start,
        end,
        organization_id: r.optional(columns.organization),
        planned: false,
        disposition: None,
        cost,
        // REASONCODE is SNOMED CT in Synthea's own exports; an ICD-10 code there is kept.
        principal_dx: r
            .optional("reasoncode")
            .and_then(|c| crate::domain::codes::icd10_shaped(&c)),
    };
    Ok((row, paid))
}

/// The one claim line derived from an encounter when the export has no claims_transactions.csv.
pub fn encounter_claim(
    r: &Row<'_>,
    e: &EncounterRow,
    paid: Money,
) -> Result<ClaimRow, LocatedError> {
    Ok(ClaimRow {
        id: format!("SYN-CLAIM-{}", e.id),
        patient_id: e.patient_id.clone(),
        service_date: r.date("start")?,
        paid,
        category: claim_category(e.class),
        organization_id: e.organization_id.clone(),
        encounter_id: Some(e.id.clone()),
        received: None,
        funding: None,
    })
}

/// conditions.csv: the diagnosis in its own system (`None` for a system the register does not
/// keep), plus the ICD-10 twin of a mapped SNOMED CT concept, with the same onset.
pub fn condition(
    r: &Row<'_>,
) -> Result<Option<(DiagnosisRow, Option<DiagnosisRow>)>, LocatedError> {
    let Some(system) = code_system(r.text("system")) else {
        return Ok(None);
    };
    let diagnosis = DiagnosisRow {
        patient_id: r.required("patient")?,
        system,
        // Stored folded: "Е11.9" typed with a Cyrillic Е is the diagnosis E11.9.
        code: crate::domain::codes::stored_diagnosis_code(system, &r.required("code")?),
        description: r.text("description").to_string(),
        onset_date: r.date("start")?,
    };
    let twin = match system {
        CodeSystem::Snomed => snomed_to_icd10(&diagnosis.code).map(|(icd, title)| DiagnosisRow {
            system: CodeSystem::Icd10,
            code: icd.to_string(),
            description: title.to_string(),
            ..diagnosis.clone()
        }),
        CodeSystem::Icd10 => None,
    };
    Ok(Some((diagnosis, twin)))
}

/// A tracked observation read from observations.csv, before its site is known.
pub struct SyntheaObservation {
    /// The record, with `site_id` still empty and the value in the register's unit.
    pub row: ObservationRow,
    /// What it measures.
    pub kind: ObservationKind,
    /// The encounter it was taken at, when written.
    pub encounter: Option<String>,
    /// The instant it was taken, in UTC, when DATE has a time (see [`crate::import::facts`]).
    pub taken_at: Option<String>,
}

/// observations.csv: `None` for the codes the register does not track (their values, often text,
/// are not read); tracked values are converted to the register's unit (glucose mg/dL → mmol/L).
pub fn observation(r: &Row<'_>) -> Result<Option<SyntheaObservation>, LocatedError> {
    let code = r.text("code");
    let Some(kind) = tracked_observation(code) else {
        return Ok(None);
    };
    let patient_id = r.required("patient")?;
    let date = r.plausible_date("date")?;
    let written = r.number("value")?;
    let unit = r.text("units");
    let value = units::normalise(kind, written, unit).map_err(|m| r.error("value", m))?;
    let encounter = r.optional("encounter");
    let id = observation_id(
        &patient_id,
        r.text("date"),
        code,
        encounter.as_deref().unwrap_or(""),
        r.text("value"),
    );
    Ok(Some(SyntheaObservation {
        row: ObservationRow {
            id,
            patient_id,
            date,
            loinc: code.to_string(),
            value,
            unit: kind.unit().to_string(),
            site_id: None,
        },
        kind,
        encounter,
        taken_at: crate::domain::dates::utc_instant(r.text("date")),
    }))
}

/// A PAYMENT line of claims_transactions.csv, before its category and organization are checked.
pub struct SyntheaPayment {
    /// The claim line; `category` is outpatient until the encounter's class is known.
    pub row: ClaimRow,
    /// PLACEOFSERVICE, kept only when the register knows the organization.
    pub place: Option<String>,
    /// A medication's payment (its category is `drugs`, whatever the encounter).
    pub drug: bool,
}

/// What one line of claims_transactions.csv is to the register.
pub enum Transaction {
    /// A charge, adjustment or transfer: no money paid.
    NoPayment,
    /// The patient's own payment (copay, cash, cheque, card): not the insurer's spend.
    ByPatient,
    /// The insurer's payment: a claim line.
    ByPayer(SyntheaPayment),
}

/// claims_transactions.csv: a payment by the insurer pays PAYMENTS (or AMOUNT), dated FROMDATE,
/// for encounter APPOINTMENTID; `medications` are the RxNorm codes of medications.csv, whose
/// payments are `drugs`.
pub fn payment(r: &Row<'_>, medications: &HashSet<String>) -> Result<Transaction, LocatedError> {
    if !r.text("type").eq_ignore_ascii_case("payment") {
        return Ok(Transaction::NoPayment);
    }
    if paid_by_patient(r.text("method")) {
        return Ok(Transaction::ByPatient);
    }
    let column = if r.text("payments").is_empty() {
        "amount"
    } else {
        "payments"
    };
    let drug = medications.contains(r.text("procedurecode"));
    Ok(Transaction::ByPayer(SyntheaPayment {
        row: ClaimRow {
            id: format!("SYN-CT-{}", r.required("id")?),
            patient_id: r.required("patientid")?,
            service_date: r.plausible_date("fromdate")?,
            paid: amount(r, column)?,
            category: if drug {
                crate::domain::types::ClaimCategory::Drugs
            } else {
                claim_category(crate::domain::types::EncounterClass::Outpatient)
            },
            organization_id: None,
            encounter_id: r.optional("appointmentid"),
            received: None,
            funding: None,
        },
        place: r.optional("placeofservice"),
        drug,
    }))
}

/// medications.csv, when the export has no claims_transactions.csv: the insurer's share of a
/// prescription (PAYER_COVERAGE) as one `drugs` claim line dated START, for encounter ENCOUNTER.
pub fn medication_claim(r: &Row<'_>) -> Result<ClaimRow, LocatedError> {
    let patient_id = r.required("patient")?;
    let encounter = r.optional("encounter");
    Ok(ClaimRow {
        id: medication_claim_id(&[
            &patient_id,
            r.text("start"),
            r.text("stop"),
            r.text("code"),
            encounter.as_deref().unwrap_or(""),
            r.text("base_cost"),
            r.text("dispenses"),
        ]),
        patient_id,
        service_date: r.plausible_date("start")?,
        paid: amount(r, "payer_coverage")?,
        category: crate::domain::types::ClaimCategory::Drugs,
        organization_id: None,
        encounter_id: encounter,
        received: None,
        funding: None,
    })
}
