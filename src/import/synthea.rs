//! `acodesk import synthea DIR`: loads a Synthea CSV export into the register, in one transaction.
//!
//! All of it or none of it, and idempotent: every record is upserted by a stable id, so a second
//! import of the same export inserts and updates nothing. Columns are found by name in any case;
//! the columns that differ between Synthea versions (`MIDDLE`, `SYSTEM`, `CATEGORY`, `PROVIDER`,
//! `PAYER`, `TOTAL_CLAIM_COST` or `COST`, `PAYER_COVERAGE`) are optional. A missing required column
//! or a malformed value stops the import with `FILE:LINE:COLUMN: …` (column names upper-case, as
//! Synthea writes them), unless `skip_bad_rows` is set (bad rows then go to `<file>.rejects.csv`).
//!
//! The mapping, file by file (files are loaded in this order; only patients.csv is compulsory):
//! - organizations.csv → organizations: `hospital` when the name says so ("HOSPITAL", "MEDICAL
//!   CENTER", "MED CTR") or encounters.csv has an inpatient stay there, else `other`; region = STATE.
//! - providers.csv → nothing: Synthea's providers are physicians, not the pilot's nurses and
//!   managers. Their rows are counted as `unchanged` under `providers`.
//! - patients.csv → patients: FIRST / LAST (and v3's MIDDLE as the patronymic) without the digits
//!   Synthea appends; sex = GENDER; status `dead` when DEATHDATE is written; locality = CITY,
//!   address = ADDRESS; no phone, policy, SNILS or home site (Synthea has none).
//! - conditions.csv → diagnoses, SNOMED CT unless a SYSTEM column says ICD-10 (other systems are
//!   skipped with a warning), onset = START. Common SNOMED CT concepts are also written as ICD-10
//!   diagnoses with the same onset ([`map::SNOMED_TO_ICD10`]) so that LACE's Charlson part works.
//! - encounters.csv → encounters: class from ENCOUNTERCLASS ([`map::encounter_class`]), START /
//!   STOP with the written calendar date kept, organization = ORGANIZATION (in the oldest exports,
//!   which lack it, PROVIDER when that names a known organization), never planned (Synthea does
//!   not mark elective admissions), no disposition, cost = TOTAL_CLAIM_COST (or COST) rounded to
//!   the cent.
//! - claims: money as the insurer paid it, whichever files the export has. With
//!   claims_transactions.csv, each PAYMENT line the payer made is a claim line (PAYMENTS, dated
//!   FROMDATE, `drugs` when PROCEDURECODE is a medication of medications.csv, else the category of
//!   its encounter's class, organization = PLACEOFSERVICE when known); the patient's own payments
//!   (METHOD `COPAY`, `CASH`, `CHECK`, `CC`: [`map::PATIENT_PAYMENT_METHODS`]), charges,
//!   adjustments and transfers are counted `unchanged`, the patient's payments with a warning.
//!   Without it, each encounter gives one claim line `SYN-CLAIM-<encounter>` paying
//!   PAYER_COVERAGE (or the cost when the column is absent), dated at the start, inpatient /
//!   emergency / outpatient by class, and each medications.csv row one `drugs` line paying its
//!   PAYER_COVERAGE, dated START ([`map::medication_claim_id`]).
//! - A partial export imports what it holds: an encounter naming an organization the register
//!   does not have (organizations.csv missing or empty) is kept with an unknown organization and
//!   counted in a warning; any 0-byte file but patients.csv is skipped with a warning. A Synthea
//!   1.x encounters.csv (DATE instead of START) is refused as such.
//! - observations.csv → observations for HbA1c 4548-4, glucose 2339-0 / 2345-7 (mg/dL converted to
//!   mmol/L), blood pressure 8480-6 / 8462-4, weight 29463-7, creatinine 38483-4 / 2160-0 (mg/dL
//!   → µmol/L), the microalbumin/creatinine ratio 14959-1 (mg/g → mg/mmol) and LDL 18262-6 (mg/dL
//!   → mmol/L): the register's LOINC list, `ObservationKind::from_loinc`; every other code is
//!   counted `unchanged`. The id is hashed from patient, timestamp, code, encounter and value
//!   ([`map::observation_id`]); the site is the organization of the observation's encounter.
//!
//! Afterwards patients are enrolled by the programme's code list, and when the register has no
//! pilot description yet, one named "Synthea import" in US dollars is written.

mod load;
pub mod map;
mod rows;

use super::csv_dir::ImportOptions;
use super::facts;
use crate::store::Store;
use crate::store::import_summary::ImportSummary;
use crate::store::writes::{self, Upsert};
use color_eyre::eyre::{Result, WrapErr, eyre};
use load::{
    counts_of, encounter_class_of, has_column, inpatient_organizations, is_empty_file,
    medication_codes, open, organization_column, organization_exists, refused, site_of_encounter,
    stream,
};
use rows::EncounterColumns;
use rusqlite::TransactionBehavior;
use std::path::Path;

/// The files of an export the importer reads besides patients.csv: a 0-byte one is skipped with
/// a warning (partial exports leave them so).
const OPTIONAL_FILES: &[&str] = &[
    "organizations.csv",
    "providers.csv",
    "conditions.csv",
    "encounters.csv",
    "medications.csv",
    "claims_transactions.csv",
    "observations.csv",
];

/// Imports the Synthea CSV export in `dir` (see the module documentation for the mapping).
pub fn import_synthea(
    store: &mut Store,
    dir: &Path,
    options: ImportOptions,
) -> Result<ImportSummary> {
    if !dir.is_dir() {
        return Err(eyre!(
            "{}",
            crate::i18n::msg(
                "import-synthea-not-folder",
                &[("path", dir.display().to_string().as_str().into())],
            )
        ));
    }
    if !dir.join("patients.csv").is_file() {
        return Err(eyre!(
            "{}",
            crate::i18n::msg(
                "import-synthea-no-patients",
                &[("path", dir.display().to_string().as_str().into())],
            )
        ));
    }
    let inpatient = inpatient_organizations(&dir.join("encounters.csv"));
    let mut summary = ImportSummary::default();
    for name in OPTIONAL_FILES {
        if is_empty_file(dir, name) {
            summary.warnings.push(crate::i18n::msg(
                "import-synthea-empty-file",
                &[("file", (*name).into())],
            ));
        }
    }
    let tx = store
        .conn_mut()
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .wrap_err_with(|| crate::i18n::msg("import-starting-transaction", &[]))?;
    // On a sync hub, what this import changes becomes an outbox entry in this transaction.
    let capture = crate::store::hub_changes::HubCapture::begin(&tx)
        .wrap_err_with(|| crate::i18n::msg("import-starting-transaction", &[]))?;

    if let Some(file) = open(dir, "organizations.csv", rows::ORGANIZATION_COLUMNS)? {
        stream(file, "organizations", options, &mut summary, |row| {
            let rec = rows::organization(row, &inpatient)?;
            let u = writes::organization(&tx, &rec).map_err(|e| refused(&tx, row, e))?;
            Ok(vec![("organizations", u)])
        })?;
    }
    if let Some(file) = open(dir, "providers.csv", &[])? {
        stream(file, "providers", options, &mut summary, |_| {
            Ok(vec![("providers", Upsert::Unchanged)])
        })?;
    }
    let mut touched = 0u64;
    if let Some(file) = open(dir, "patients.csv", rows::PATIENT_COLUMNS)? {
        stream(file, "patients", options, &mut summary, |row| {
            let rec = rows::patient(row)?;
            let u = writes::patient(&tx, &rec).map_err(|e| refused(&tx, row, e))?;
            touched += 1;
            Ok(vec![("patients", u)])
        })?;
    }
    let mut other_systems = 0u64;
    if let Some(file) = open(dir, "conditions.csv", rows::CONDITION_COLUMNS)? {
        stream(file, "diagnoses", options, &mut summary, |row| {
            let Some((diagnosis, twin)) = rows::condition(row)? else {
                other_systems += 1;
                return Ok(vec![("diagnoses", Upsert::Unchanged)]);
            };
            let mut wrote = vec![(
                "diagnoses",
                writes::diagnosis(&tx, &diagnosis).map_err(|e| refused(&tx, row, e))?,
            )];
            if let Some(twin) = twin {
                let u = writes::diagnosis(&tx, &twin).map_err(|e| refused(&tx, row, e))?;
                wrote.push(("diagnoses", u));
            }
            Ok(wrote)
        })?;
    }
    if other_systems > 0 {
        summary.warnings.push(crate::i18n::msg(
            "import-synthea-other-systems",
            &[("count", other_systems.into())],
        ));
    }
    let transactions = dir.join("claims_transactions.csv").is_file()
        && !is_empty_file(dir, "claims_transactions.csv");
    let mut unknown_organizations = 0u64;
    if let Some(file) = open(dir, "encounters.csv", rows::ENCOUNTER_COLUMNS)? {
        let columns = EncounterColumns {
            cost: if has_column(&file, "total_claim_cost") {
                "total_claim_cost"
            } else {
                "cost"
            },
            coverage: has_column(&file, "payer_coverage"),
            organization: organization_column(&file),
        };
        if !transactions {
            counts_of(&mut summary, "encounters");
            counts_of(&mut summary, "claims");
        }
        stream(file, "encounters", options, &mut summary, |row| {
            let (mut rec, paid) = rows::encounter(row, columns)?;
            // An organization organizations.csv does not have (it may be missing or empty, or
            // PROVIDER of the oldest exports may name a physician) is left unknown.
            if let Some(org) = rec.organization_id.take() {
                if organization_exists(&tx, &org).map_err(|e| refused(&tx, row, e))? {
                    rec.organization_id = Some(org);
                } else if columns.organization == "organization" {
                    unknown_organizations += 1;
                }
            }
            let mut wrote = vec![(
                "encounters",
                writes::encounter(&tx, &rec).map_err(|e| refused(&tx, row, e))?,
            )];
            if !transactions {
                let claim = rows::encounter_claim(row, &rec, paid)?;
                let u = facts::claim(&tx, &claim).map_err(|e| refused(&tx, row, e))?;
                wrote.push(("claims", u));
            }
            Ok(wrote)
        })?;
    }
    if unknown_organizations > 0 {
        summary.warnings.push(crate::i18n::msg(
            "import-synthea-unknown-organizations",
            &[("count", unknown_organizations.into())],
        ));
    }
    if !transactions {
        if let Some(file) = open(dir, "medications.csv", rows::MEDICATION_COLUMNS)? {
            stream(file, "claims", options, &mut summary, |row| {
                let mut claim = rows::medication_claim(row)?;
                if let Some(encounter) = claim.encounter_id.as_deref() {
                    claim.organization_id = site_of_encounter(&tx, encounter)
                        .map_err(|e| refused(&tx, row, e))?
                        .flatten();
                }
                let u = facts::claim(&tx, &claim).map_err(|e| refused(&tx, row, e))?;
                Ok(vec![("claims", u)])
            })?;
        }
    }
    let medications = if transactions {
        medication_codes(&dir.join("medications.csv"))
    } else {
        Default::default()
    };
    let mut by_patients = 0u64;
    if let Some(file) = open(dir, "claims_transactions.csv", rows::TRANSACTION_COLUMNS)? {
        stream(file, "claims", options, &mut summary, |row| {
            let payment = match rows::payment(row, &medications)? {
                rows::Transaction::NoPayment => return Ok(vec![("claims", Upsert::Unchanged)]),
                rows::Transaction::ByPatient => {
                    by_patients += 1;
                    return Ok(vec![("claims", Upsert::Unchanged)]);
                }
                rows::Transaction::ByPayer(p) => p,
            };
            let mut claim = payment.row;
            if let Some(class) = claim
                .encounter_id
                .as_deref()
                .filter(|_| !payment.drug)
                .map(|id| encounter_class_of(&tx, id))
                .transpose()
                .map_err(|e| refused(&tx, row, e))?
                .flatten()
            {
                claim.category = map::claim_category(class);
            }
            claim.organization_id = match payment.place {
                Some(place)
                    if organization_exists(&tx, &place).map_err(|e| refused(&tx, row, e))? =>
                {
                    Some(place)
                }
                _ => None,
            };
            let u = facts::claim(&tx, &claim).map_err(|e| refused(&tx, row, e))?;
            Ok(vec![("claims", u)])
        })?;
    }
    if by_patients > 0 {
        summary.warnings.push(crate::i18n::msg(
            "import-synthea-patient-payments",
            &[("count", by_patients.into())],
        ));
    }
    let mut unknown_encounters = 0u64;
    if let Some(file) = open(dir, "observations.csv", rows::OBSERVATION_COLUMNS)? {
        stream(file, "observations", options, &mut summary, |row| {
            let Some(obs) = rows::observation(row)? else {
                return Ok(vec![("observations", Upsert::Unchanged)]);
            };
            let mut rec = obs.row;
            if let Some(encounter) = &obs.encounter {
                match site_of_encounter(&tx, encounter).map_err(|e| refused(&tx, row, e))? {
                    Some(site) => rec.site_id = site,
                    None => unknown_encounters += 1,
                }
            }
            let u = facts::observation(&tx, &rec, obs.kind, obs.taken_at.as_deref())
                .map_err(|e| refused(&tx, row, e))?;
            Ok(vec![("observations", u)])
        })?;
    }
    if unknown_encounters > 0 {
        summary.warnings.push(crate::i18n::msg(
            "import-synthea-unknown-encounters",
            &[("count", unknown_encounters.into())],
        ));
    }

    summary.enrolled = super::finish_import(&tx, Some("Synthea import"), &super::Touched::All)?;
    capture
        .finish(&tx)
        .wrap_err_with(|| crate::i18n::msg("import-committing", &[]))?;
    tx.commit()
        .wrap_err_with(|| crate::i18n::msg("import-committing", &[]))?;
    summary.touched_patients = touched;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::map::*;
    use crate::domain::types::{ClaimCategory, CodeSystem, EncounterClass, OrgKind};

    #[test]
    fn synthea_digits_are_stripped_from_names() {
        assert_eq!(strip_name_digits("Jorge Luis88"), "Jorge Luis");
        assert_eq!(strip_name_digits("Vela532"), "Vela");
        assert_eq!(strip_name_digits("Rentería94"), "Rentería");
        assert_eq!(strip_name_digits("  Mary  Ann7 "), "Mary Ann");
        assert_eq!(strip_name_digits("O'Keefe"), "O'Keefe");
        assert_eq!(strip_name_digits("123"), "123", "an all-digit name is kept");
    }

    #[test]
    fn encounter_classes_map_to_the_registers() {
        let cases = [
            ("inpatient", EncounterClass::Inpatient),
            ("EMERGENCY", EncounterClass::Emergency),
            ("ambulatory", EncounterClass::Outpatient),
            ("outpatient", EncounterClass::Outpatient),
            ("wellness", EncounterClass::Outpatient),
            ("urgentcare", EncounterClass::Outpatient),
            ("home", EncounterClass::Home),
            ("hospice", EncounterClass::Home),
            ("snf", EncounterClass::Home),
            ("virtual", EncounterClass::Virtual),
            ("telehealth", EncounterClass::Virtual),
        ];
        for (text, class) in cases {
            assert_eq!(encounter_class(text), Some(class), "{text}");
        }
        assert_eq!(encounter_class("teleport"), None);
        assert_eq!(encounter_class(""), None);
        assert_eq!(
            claim_category(EncounterClass::Home),
            ClaimCategory::Outpatient
        );
        assert_eq!(
            claim_category(EncounterClass::Virtual),
            ClaimCategory::Outpatient
        );
        assert_eq!(
            claim_category(EncounterClass::Emergency),
            ClaimCategory::Emergency
        );
    }

    #[test]
    fn snomed_concepts_get_their_icd10_twin() {
        assert_eq!(snomed_to_icd10("44054006").map(|t| t.0), Some("E11.9"));
        assert_eq!(snomed_to_icd10("46635009").map(|t| t.0), Some("E10.9"));
        assert_eq!(snomed_to_icd10("59621000").map(|t| t.0), Some("I10"));
        assert_eq!(snomed_to_icd10("88805009").map(|t| t.0), Some("I50.9"));
        assert_eq!(snomed_to_icd10("22298006").map(|t| t.0), Some("I21.9"));
        assert_eq!(snomed_to_icd10("230690007").map(|t| t.0), Some("I63.9"));
        assert_eq!(snomed_to_icd10("433144002").map(|t| t.0), Some("N18.3"));
        assert_eq!(snomed_to_icd10("46177005").map(|t| t.0), Some("N18.5"));
        assert_eq!(snomed_to_icd10("13645005").map(|t| t.0), Some("J44.9"));
        assert_eq!(
            snomed_to_icd10("15777000"),
            None,
            "prediabetes stays SNOMED-only"
        );
        // Each SNOMED concept once, each ICD-10 code with one title, every code a Charlson-style code.
        let mut seen = std::collections::HashMap::new();
        for (snomed, icd, title) in SNOMED_TO_ICD10 {
            assert_eq!(
                SNOMED_TO_ICD10.iter().filter(|e| e.0 == *snomed).count(),
                1,
                "{snomed}"
            );
            assert_eq!(*seen.entry(*icd).or_insert(*title), *title, "{icd}");
            assert!(
                crate::domain::charlson::normalize_icd10(icd).len() >= 3,
                "{icd}"
            );
        }
        // The diabetes twins enrol, and feed LACE's Charlson part.
        let program = crate::domain::program::Program::diabetes();
        assert!(program.includes(CodeSystem::Icd10, "E11.9"));
    }

    #[test]
    fn coding_systems_organizations_and_ids() {
        assert_eq!(code_system(""), Some(CodeSystem::Snomed));
        assert_eq!(code_system("SNOMED-CT"), Some(CodeSystem::Snomed));
        assert_eq!(
            code_system("http://snomed.info/sct"),
            Some(CodeSystem::Snomed)
        );
        assert_eq!(code_system("ICD-10"), Some(CodeSystem::Icd10));
        assert_eq!(code_system("ICD-10-CM"), Some(CodeSystem::Icd10));
        assert_eq!(code_system("RxNorm"), None);
        assert_eq!(
            organization_kind("PARADISE VALLEY HOSPITAL", false),
            OrgKind::Hospital
        );
        assert_eq!(
            organization_kind("UC HEALTH - HILLCREST MED CTR", false),
            OrgKind::Hospital
        );
        assert_eq!(
            organization_kind("BAY FAMILY CLINIC", true),
            OrgKind::Hospital
        );
        assert_eq!(
            organization_kind("BAY FAMILY CLINIC", false),
            OrgKind::Other
        );
        assert_eq!(
            tracked_observation("2947-0"),
            None,
            "2947-0 is sodium, not glucose"
        );
        let id = observation_id("P", "2021-01-01T00:00:00Z", "4548-4", "E", "6.1");
        assert_eq!(
            id,
            observation_id("P", "2021-01-01T00:00:00Z", "4548-4", "E", "6.1")
        );
        assert_ne!(
            id,
            observation_id("P", "2021-01-01T00:00:00Z", "4548-4", "E", "6.2")
        );
        assert_eq!(id.len(), 4 + 32);
        assert!(id.starts_with("SYN-"));
    }
}
