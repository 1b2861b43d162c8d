//! The pure translations of the Synthea importer: names, encounter classes, coding systems, the
//! SNOMED CT → ICD-10 map for the LACE index, organization kinds and stable observation ids.

use crate::domain::types::{ClaimCategory, CodeSystem, EncounterClass, ObservationKind, OrgKind};

/// Removes the digits Synthea appends to every word of a generated name ("Jorge Luis88" →
/// "Jorge Luis", "Vela532" → "Vela"). Words are re-joined with single spaces; a name made only of
/// digits is kept as written rather than emptied.
pub fn strip_name_digits(name: &str) -> String {
    let cleaned = name
        .split_whitespace()
        .map(|w| w.trim_end_matches(|c: char| c.is_ascii_digit()))
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    if cleaned.is_empty() {
        name.trim().to_string()
    } else {
        cleaned
    }
}

/// The Synthea `ENCOUNTERCLASS` values, for error messages.
pub const SYNTHEA_CLASSES: &str = "ambulatory, emergency, home, hospice, inpatient, outpatient, snf, \
     telehealth, urgentcare, virtual or wellness";

/// Maps Synthea's `ENCOUNTERCLASS` (any case) to the register's class; `None` for a value Synthea
/// does not write. Ambulatory, outpatient, wellness and urgent care are outpatient; home, hospice
/// and skilled nursing (snf) are home; virtual and telehealth are virtual.
pub fn encounter_class(text: &str) -> Option<EncounterClass> {
    match text.trim().to_ascii_lowercase().as_str() {
        "inpatient" => Some(EncounterClass::Inpatient),
        "emergency" => Some(EncounterClass::Emergency),
        "ambulatory" | "outpatient" | "wellness" | "urgentcare" => Some(EncounterClass::Outpatient),
        "home" | "hospice" | "snf" => Some(EncounterClass::Home),
        "virtual" | "telehealth" => Some(EncounterClass::Virtual),
        _ => None,
    }
}

/// The claim category of an encounter's spending: home and virtual care count as outpatient,
/// day-hospital care is its own category. (Synthea itself writes no day-hospital encounters.)
pub fn claim_category(class: EncounterClass) -> ClaimCategory {
    match class {
        EncounterClass::Inpatient => ClaimCategory::Inpatient,
        EncounterClass::Emergency => ClaimCategory::Emergency,
        EncounterClass::DayHospital => ClaimCategory::DayHospital,
        EncounterClass::Outpatient | EncounterClass::Home | EncounterClass::Virtual => {
            ClaimCategory::Outpatient
        }
    }
}

/// Maps the `SYSTEM` column of conditions.csv ("SNOMED-CT", "http://snomed.info/sct", "ICD-10",
/// "ICD-10-CM", …) to the register's coding system; an empty value is SNOMED CT (Synthea's
/// default, and the only system of exports without the column); `None` for any other system.
pub fn code_system(text: &str) -> Option<CodeSystem> {
    let t: String = text
        .trim()
        .to_ascii_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-' && *c != '_')
        .collect();
    match t.as_str() {
        "" | "snomed" | "snomedct" | "sct" | "http://snomed.info/sct" => Some(CodeSystem::Snomed),
        "icd10"
        | "icd10cm"
        | "http://hl7.org/fhir/sid/icd10"
        | "http://hl7.org/fhir/sid/icd10cm" => Some(CodeSystem::Icd10),
        _ => None,
    }
}

/// SNOMED CT concepts Synthea writes, with the ICD-10 (WHO) code and title they are also recorded
/// under, so the Charlson part of LACE and the ICD-10 enrolment list work on Synthea data. The list
/// covers diabetes and its complications, hypertension, the cardiac, cerebrovascular, renal,
/// pulmonary, dementia, rheumatic and cancer conditions of Synthea's modules; other concepts stay
/// SNOMED-only. An ICD-10 code always carries the same title, whichever concept it comes from.
pub const SNOMED_TO_ICD10: &[(&str, &str, &str)] = &[
    // Diabetes.
    (
        "44054006",
        "E11.9",
        "Type 2 diabetes mellitus without complications",
    ),
    (
        "46635009",
        "E10.9",
        "Type 1 diabetes mellitus without complications",
    ),
    (
        "73211009",
        "E14.9",
        "Unspecified diabetes mellitus without complications",
    ),
    (
        "127013003",
        "E11.2",
        "Type 2 diabetes mellitus with renal complications",
    ),
    (
        "90781000119102",
        "E11.2",
        "Type 2 diabetes mellitus with renal complications",
    ),
    (
        "157141000119108",
        "E11.2",
        "Type 2 diabetes mellitus with renal complications",
    ),
    (
        "422034002",
        "E11.3",
        "Type 2 diabetes mellitus with ophthalmic complications",
    ),
    (
        "1551000119108",
        "E11.3",
        "Type 2 diabetes mellitus with ophthalmic complications",
    ),
    (
        "1501000119109",
        "E11.3",
        "Type 2 diabetes mellitus with ophthalmic complications",
    ),
    (
        "97331000119101",
        "E11.3",
        "Type 2 diabetes mellitus with ophthalmic complications",
    ),
    (
        "60951000119105",
        "E11.3",
        "Type 2 diabetes mellitus with ophthalmic complications",
    ),
    (
        "368581000119106",
        "E11.4",
        "Type 2 diabetes mellitus with neurological complications",
    ),
    // Hypertension and the heart.
    ("59621000", "I10", "Essential (primary) hypertension"),
    ("88805009", "I50.9", "Heart failure, unspecified"),
    ("84114007", "I50.9", "Heart failure, unspecified"),
    (
        "22298006",
        "I21.9",
        "Acute myocardial infarction, unspecified",
    ),
    ("399211009", "I25.2", "Old myocardial infarction"),
    ("53741008", "I25.1", "Atherosclerotic heart disease"),
    // Cerebrovascular disease.
    ("230690007", "I63.9", "Cerebral infarction, unspecified"),
    // Chronic kidney disease.
    ("431855005", "N18.1", "Chronic kidney disease, stage 1"),
    ("431856006", "N18.2", "Chronic kidney disease, stage 2"),
    ("433144002", "N18.3", "Chronic kidney disease, stage 3"),
    ("431857002", "N18.4", "Chronic kidney disease, stage 4"),
    ("46177005", "N18.5", "Chronic kidney disease, stage 5"),
    ("709044004", "N18.9", "Chronic kidney disease, unspecified"),
    // Chronic pulmonary disease.
    (
        "13645005",
        "J44.9",
        "Chronic obstructive pulmonary disease, unspecified",
    ),
    (
        "185086009",
        "J44.9",
        "Chronic obstructive pulmonary disease, unspecified",
    ),
    ("87433001", "J43.9", "Emphysema, unspecified"),
    ("195967001", "J45.9", "Asthma, unspecified"),
    ("233678006", "J45.9", "Asthma, unspecified"),
    // Dementia and rheumatic disease.
    ("26929004", "G30.9", "Alzheimer disease, unspecified"),
    ("230265002", "G30.0", "Alzheimer disease with early onset"),
    ("69896004", "M06.9", "Rheumatoid arthritis, unspecified"),
    // Cancer (Synthea's lung, colorectal, breast and prostate modules).
    (
        "254637007",
        "C34.9",
        "Malignant neoplasm of bronchus or lung, unspecified",
    ),
    (
        "254632001",
        "C34.9",
        "Malignant neoplasm of bronchus or lung, unspecified",
    ),
    (
        "93761005",
        "C18.9",
        "Malignant neoplasm of colon, unspecified",
    ),
    (
        "363406005",
        "C18.9",
        "Malignant neoplasm of colon, unspecified",
    ),
    (
        "94260004",
        "C78.5",
        "Secondary malignant neoplasm of large intestine and rectum",
    ),
    (
        "254837009",
        "C50.9",
        "Malignant neoplasm of breast, unspecified",
    ),
    ("126906006", "C61", "Malignant neoplasm of prostate"),
];

/// The ICD-10 code and title a SNOMED CT concept is also recorded under (see [`SNOMED_TO_ICD10`]).
pub fn snomed_to_icd10(code: &str) -> Option<(&'static str, &'static str)> {
    let code = code.trim();
    SNOMED_TO_ICD10
        .iter()
        .find(|(s, _, _)| *s == code)
        .map(|(_, icd, title)| (*icd, *title))
}

/// True when an organization's name says it is a hospital ("… HOSPITAL", "… MEDICAL CENTER",
/// "… MED CTR").
pub fn name_suggests_hospital(name: &str) -> bool {
    let n = name.to_ascii_uppercase();
    [
        "HOSPITAL",
        "MEDICAL CENTER",
        "MEDICAL CENTRE",
        "MEDICAL CTR",
        "MED CTR",
        "MED CENTER",
    ]
    .iter()
    .any(|w| n.contains(w))
}

/// An organization is a hospital when its name suggests one or it has inpatient encounters in the
/// export; every other organization is `other` (Synthea does not tell clinics from labs).
pub fn organization_kind(name: &str, has_inpatient: bool) -> OrgKind {
    if has_inpatient || name_suggests_hospital(name) {
        OrgKind::Hospital
    } else {
        OrgKind::Other
    }
}

/// The observation kind of the LOINC codes this importer keeps: the register's own list
/// ([`ObservationKind::from_loinc`]) — in Synthea's exports HbA1c 4548-4, glucose 2339-0 and
/// 2345-7, blood pressure 8480-6 / 8462-4, body weight 29463-7, creatinine 38483-4 (the metabolic
/// panel) and 2160-0, the microalbumin/creatinine ratio 14959-1 and LDL 18262-6. Every other code
/// is skipped.
pub fn tracked_observation(loinc: &str) -> Option<ObservationKind> {
    ObservationKind::from_loinc(loinc)
}

/// FNV-1a, 128 bits: a small, fixed hash (unlike `std`'s, which may change between Rust versions).
fn fnv1a_128(parts: &[&str]) -> u128 {
    const OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;
    let mut hash = OFFSET;
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            hash ^= 0x1f; // unit separator: ("ab", "c") and ("a", "bc") differ
            hash = hash.wrapping_mul(PRIME);
        }
        for b in part.bytes() {
            hash ^= u128::from(b);
            hash = hash.wrapping_mul(PRIME);
        }
    }
    hash
}

/// A stable id for a Synthea observation, which has none: `SYN-` and 32 hex digits hashed from
/// the patient, the timestamp, the LOINC code, the encounter and the value as written. The value
/// is part of the key so that two different results at the same moment stay two observations
/// (an exact duplicate row collapses into one), and a re-import finds the same ids.
pub fn observation_id(
    patient: &str,
    date: &str,
    code: &str,
    encounter: &str,
    value: &str,
) -> String {
    format!(
        "SYN-{:032x}",
        fnv1a_128(&[patient, date, code, encounter, value])
    )
}

/// The stable id of a medications.csv row's claim line, hashed from the row's cells as written:
/// PATIENT, START, STOP, CODE, ENCOUNTER, BASE_COST and DISPENSES (Synthea writes two
/// prescriptions of one drug at one encounter that differ only in their stop or cost).
pub fn medication_claim_id(cells: &[&str]) -> String {
    format!("SYN-MED-{:032x}", fnv1a_128(cells))
}

/// The METHOD values of claims_transactions.csv with which the patient, not the insurer, pays:
/// the copay and the remainder in cash, by cheque or by card. The payer's own payments are
/// written `ECHECK` (Synthea's CSV data dictionary, "Claims Transactions": METHOD is `CASH`,
/// `CHECK`, `ECHECK`, `COPAY`, `SYSTEM` or `CC`).
pub const PATIENT_PAYMENT_METHODS: &[&str] = &["COPAY", "CASH", "CHECK", "CC"];

/// True when a PAYMENT line with this METHOD is the patient's own money, not the insurer's.
pub fn paid_by_patient(method: &str) -> bool {
    PATIENT_PAYMENT_METHODS
        .iter()
        .any(|m| m.eq_ignore_ascii_case(method.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_insurers_payments_are_spend() {
        for m in ["COPAY", "cash", "CHECK", "CC"] {
            assert!(paid_by_patient(m), "{m}");
        }
        for m in ["ECHECK", "", "SYSTEM"] {
            assert!(!paid_by_patient(m), "{m}");
        }
    }

    #[test]
    fn fnv_matches_the_published_vectors() {
        assert_eq!(fnv1a_128(&[""]), 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d);
        assert_eq!(fnv1a_128(&["a"]), 0xd228_cb69_6f1a_8caf_7891_2b70_4e4a_8964);
    }
}
