//! The pure translations of the FHIR importer: encounter classes, discharge dispositions, planned
//! admissions, gender, the Russian identifiers, diagnosis code systems, claim categories and the
//! adjudication categories that mean "paid".

use super::json::{Code, array, codings, concept_is, text};
use crate::domain::types::{ClaimCategory, CodeSystem, Disposition, EncounterClass, OrgKind, Sex};
use crate::import::synthea::map as synthea_map;
use serde_json::Value;

// The `Encounter.class` codes the importer reads are listed for error messages by the locale
// files' `import-fhir-class-codes`.

/// Maps an `Encounter.class` code (v3 ActCode, any case) to the register's class: IMP / ACUTE /
/// NONAC are inpatient, EMER emergency, AMB outpatient, HH home, VR virtual. A short stay (SS:
/// "admitted to a health care facility for a predetermined length of time, usually less than 24
/// hours", HL7 v3 ActCode) is day-hospital care (дневной стационар: treatment in the daytime
/// without round-the-clock observation, Federal Law No. 323-FZ, art. 32), as is the word
/// `day_hospital` (or `day-hospital`), the register's own code. Observation encounters (OBSENC),
/// pre-admission (PRENC) and field visits (FLD) count as outpatient. None of these is an admission
/// for the readmission rule. Words as Synthea's CSV writes them ("inpatient", "wellness", …) are
/// accepted too; `None` for anything else.
pub fn encounter_class(code: &str) -> Option<EncounterClass> {
    let c = code.trim().to_ascii_uppercase();
    match c.as_str() {
        "IMP" | "ACUTE" | "NONAC" => Some(EncounterClass::Inpatient),
        "EMER" => Some(EncounterClass::Emergency),
        "AMB" | "OBSENC" | "PRENC" | "FLD" => Some(EncounterClass::Outpatient),
        "SS" | "DAY_HOSPITAL" | "DAY-HOSPITAL" => Some(EncounterClass::DayHospital),
        "HH" => Some(EncounterClass::Home),
        "VR" => Some(EncounterClass::Virtual),
        _ => synthea_map::encounter_class(code),
    }
}

/// SNOMED CT types of an admission that is not to an acute hospital: skilled nursing facility
/// (449411000124106), nursing home (449421000124103), inpatient rehabilitation facility
/// (449431000124100), hospice (305336008 admission to hospice, 385763009 hospice care) and
/// palliative care department (305381007). Synthea's FHIR exporter writes its `snf` and
/// `hospice` encounters with class IMP and one of these types; its CSV exporter writes them as
/// `snf` / `hospice`, which the CSV importer maps to home care ([`synthea_map::encounter_class`]).
pub const NON_ACUTE_STAY_TYPES: &[&str] = &[
    "449411000124106",
    "449421000124103",
    "449431000124100",
    "305336008",
    "385763009",
    "305381007",
];

/// The class of an encounter of FHIR class `class` whose `Encounter.type` holds `types`: an
/// inpatient class with a non-acute stay type ([`NON_ACUTE_STAY_TYPES`]) is home care, as the
/// Synthea CSV importer reads the same stay, so that it is no index stay or readmission.
pub fn stay_class<'a>(
    class: EncounterClass,
    mut types: impl Iterator<Item = &'a str>,
) -> EncounterClass {
    if class == EncounterClass::Inpatient && types.any(|t| NON_ACUTE_STAY_TYPES.contains(&t.trim()))
    {
        EncounterClass::Home
    } else {
        class
    }
}

/// The codes of every coding of every `Encounter.type` concept.
pub fn encounter_type_codes(r: &Value) -> Vec<String> {
    array(r, "type")
        .iter()
        .flat_map(|t| codings(Some(t)).into_iter().map(|c| c.code.to_string()))
        .collect()
}

/// An earlier FHIR release recognised by a resource's shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OlderFhir {
    /// "STU3 or DSTU2", or "DSTU2".
    pub name: &'static str,
    /// The element whose shape tells it.
    pub field: &'static str,
}

/// The earlier FHIR release a resource was written in, when its shape tells: in R4
/// `Condition.clinicalStatus` is a CodeableConcept where STU3 and DSTU2 write a plain code, and
/// `Encounter.class` a Coding where DSTU2 writes a plain code; DSTU2 alone has `MedicationOrder`.
/// (HL7 FHIR R4 Condition and Encounter; STU3 and DSTU2 resource definitions.)
pub fn older_fhir_version(kind: &str, r: &Value) -> Option<OlderFhir> {
    match kind {
        "Condition" if r.get("clinicalStatus").is_some_and(Value::is_string) => Some(OlderFhir {
            name: "STU3 or DSTU2",
            field: "Condition.clinicalStatus",
        }),
        "Encounter" if r.get("class").is_some_and(Value::is_string) => Some(OlderFhir {
            name: "DSTU2",
            field: "Encounter.class",
        }),
        "MedicationOrder" => Some(OlderFhir {
            name: "DSTU2",
            field: "resourceType",
        }),
        _ => None,
    }
}

/// Maps a `hospitalization.dischargeDisposition` code: home → home, aadvice → ama, exp → died,
/// other-hcf / hosp → transfer_acute, any other code (rehab, snf, long, psy, alt-home, oth, …) →
/// other.
pub fn disposition(code: &str) -> Disposition {
    match code.trim().to_ascii_lowercase().as_str() {
        "home" => Disposition::Home,
        "aadvice" => Disposition::AgainstMedicalAdvice,
        "exp" => Disposition::Died,
        "other-hcf" | "hosp" => Disposition::TransferAcute,
        _ => Disposition::Other,
    }
}

/// An admission is planned when `Encounter.priority` is elective (v3 ActPriority `EL`) or routine
/// (`R`), or when `hospitalization.admitSource` says "elective" (local code systems do).
pub fn planned(encounter: &Value) -> bool {
    concept_is(
        encounter.get("priority"),
        &["EL", "R", "elective", "routine"],
    ) || concept_is(
        encounter
            .get("hospitalization")
            .and_then(|h| h.get("admitSource")),
        &["elective"],
    )
}

/// `Patient.gender`: male → M, female → F, other / unknown / absent → U.
pub fn sex(gender: Option<&str>) -> Option<Sex> {
    match gender.map(str::to_ascii_lowercase).as_deref() {
        Some("male") => Some(Sex::Male),
        Some("female") => Some(Sex::Female),
        Some("other") | Some("unknown") | None => Some(Sex::Unknown),
        _ => None,
    }
}

/// True when an identifier system is a Russian compulsory health insurance (OMS) policy: a URI
/// with an "oms" word (`http://fhir.ru/core/systems/OMS`, `urn:…:oms:…`), an OID under the Federal
/// Compulsory Medical Insurance Fund's arc `1.2.643.2.40`, or the N3.Health policy OIDs
/// `1.2.643.2.69.1.1.1.6.226` / `.227` / `.228` (old, temporary and unified policies).
pub fn is_oms_system(system: &str) -> bool {
    let s = system.trim().to_ascii_lowercase();
    let oid = s.strip_prefix("urn:oid:").unwrap_or(&s);
    s.split(|c: char| !c.is_ascii_alphanumeric())
        .any(|word| word == "oms")
        || oid == "1.2.643.2.40"
        || oid.starts_with("1.2.643.2.40.")
        || ["226", "227", "228"]
            .iter()
            .any(|k| oid.strip_prefix("1.2.643.2.69.1.1.1.6.") == Some(k))
}

/// True when an identifier system is SNILS: a URI containing "snils"
/// (`http://fhir.ru/core/systems/snils`), the SNILS OID `1.2.643.100.3` or N3.Health's
/// `1.2.643.2.69.1.1.1.6.223`.
pub fn is_snils_system(system: &str) -> bool {
    let s = system.trim().to_ascii_lowercase();
    let oid = s.strip_prefix("urn:oid:").unwrap_or(&s);
    s.contains("snils") || oid == "1.2.643.100.3" || oid == "1.2.643.2.69.1.1.1.6.223"
}

/// The OID of the Russian Ministry of Health's ICD-10 reference (МКБ-10), a system Russian
/// exports code conditions in.
const RU_ICD10_OID: &str = "urn:oid:1.2.643.5.1.13.13.11.1005";

/// The register's coding system of a `Condition.code` coding: SNOMED CT (`http://snomed.info/sct`)
/// or ICD-10 (`http://hl7.org/fhir/sid/icd-10`, `…/icd-10-cm`, the Ministry of Health's МКБ-10
/// OID); `None` for other systems and for a coding without a system.
pub fn diagnosis_system(system: &str) -> Option<CodeSystem> {
    let s = system.trim();
    if s.is_empty() {
        return None;
    }
    if s.eq_ignore_ascii_case(RU_ICD10_OID) {
        return Some(CodeSystem::Icd10);
    }
    synthea_map::code_system(s)
}

/// The category of a claim line from the claim's `type` when no encounter tells: institutional →
/// inpatient, professional / oral / vision → outpatient, pharmacy → drugs, anything else other.
pub fn claim_type_category(claim_type: &str) -> ClaimCategory {
    match claim_type.trim().to_ascii_lowercase().as_str() {
        "institutional" => ClaimCategory::Inpatient,
        "professional" | "oral" | "vision" => ClaimCategory::Outpatient,
        "pharmacy" => ClaimCategory::Drugs,
        _ => ClaimCategory::Other,
    }
}

/// The code of a claim's `type` (`institutional`, `pharmacy`, …), empty when absent.
pub fn claim_type(resource: &Value) -> &str {
    codings(resource.get("type"))
        .first()
        .map(|c| c.code)
        .unwrap_or("")
}

/// How strongly an adjudication category means "what the payer paid": 3 for FHIR's `payment` and
/// `benefit`, 2 for Blue Button's Medicare payment (`line_nch_pmt_amt`), 1 for its provider
/// payment (`line_prvdr_pmt_amt`, the only one Synthea writes), 0 for anything else (submitted,
/// allowed, deductible, coinsurance, …). Only the strongest kind present on a line is summed.
pub fn payment_rank(category: Option<&Value>) -> u8 {
    let rank = |c: &Code<'_>| {
        let code = c.code.to_ascii_lowercase();
        if code == "payment" || code == "benefit" {
            3
        } else if code.ends_with("line_nch_pmt_amt") {
            2
        } else if code.ends_with("line_prvdr_pmt_amt") {
            1
        } else {
            0
        }
    };
    codings(category).iter().map(rank).max().unwrap_or(0)
}

/// The kind of an organization: a hospital when its type says so (v3 `HOSP`, or "hospital" in a
/// display or text), its name does (English or Russian), or it hosts inpatient encounters in the
/// import; every other organization is `other`.
pub fn organization_kind(resource: &Value, name: &str, hosts_inpatients: bool) -> OrgKind {
    let typed = array(resource, "type").iter().any(|t| {
        concept_is(Some(t), &["HOSP"])
            || codings(Some(t))
                .iter()
                .any(|c| c.display.to_lowercase().contains("hospital"))
            || text(t, "text").is_some_and(|s| s.to_lowercase().contains("hospital"))
    });
    if typed || hosts_inpatients || name_suggests_hospital(name) {
        OrgKind::Hospital
    } else {
        OrgKind::Other
    }
}

/// English names as the Synthea importer reads them, plus Russian ones ("больница", "госпиталь",
/// "стационар", and the abbreviations ГКБ, ОКБ, ЦРБ, КБ).
fn name_suggests_hospital(name: &str) -> bool {
    if synthea_map::name_suggests_hospital(name) {
        return true;
    }
    let lower = name.to_lowercase();
    ["больниц", "госпитал", "стационар"]
        .iter()
        .any(|w| lower.contains(w))
        || lower
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| ["гкб", "окб", "црб", "кб", "одкб", "гб"].contains(&w))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn classes_dispositions_and_planned() {
        assert_eq!(encounter_class("IMP"), Some(EncounterClass::Inpatient));
        // Synthea's skilled-nursing and hospice stays: class IMP, non-acute type.
        for t in ["449411000124106", "305336008", "385763009"] {
            assert_eq!(
                stay_class(EncounterClass::Inpatient, [t].into_iter()),
                EncounterClass::Home
            );
        }
        assert_eq!(
            stay_class(EncounterClass::Inpatient, ["183452005"].into_iter()),
            EncounterClass::Inpatient,
            "an emergency hospital admission stays inpatient"
        );
        assert_eq!(
            stay_class(EncounterClass::Emergency, ["449411000124106"].into_iter()),
            EncounterClass::Emergency
        );
        assert_eq!(encounter_class("acute"), Some(EncounterClass::Inpatient));
        assert_eq!(encounter_class("EMER"), Some(EncounterClass::Emergency));
        assert_eq!(encounter_class("AMB"), Some(EncounterClass::Outpatient));
        assert_eq!(encounter_class("HH"), Some(EncounterClass::Home));
        assert_eq!(encounter_class("VR"), Some(EncounterClass::Virtual));
        assert_eq!(encounter_class("SS"), Some(EncounterClass::DayHospital));
        assert_eq!(
            encounter_class("day_hospital"),
            Some(EncounterClass::DayHospital)
        );
        assert_eq!(
            encounter_class("wellness"),
            Some(EncounterClass::Outpatient)
        );
        assert_eq!(encounter_class("XYZ"), None);
        assert_eq!(disposition("aadvice"), Disposition::AgainstMedicalAdvice);
        assert_eq!(disposition("exp"), Disposition::Died);
        assert_eq!(disposition("hosp"), Disposition::TransferAcute);
        assert_eq!(disposition("snf"), Disposition::Other);
        assert!(planned(&json!({"priority": {"coding": [{"code": "EL"}]}})));
        assert!(planned(
            &json!({"hospitalization": {"admitSource": {"text": "Elective"}}})
        ));
        assert!(!planned(&json!({"priority": {"coding": [{"code": "EM"}]}})));
    }

    #[test]
    fn russian_identifiers() {
        assert!(is_oms_system("http://fhir.ru/core/systems/OMS"));
        assert!(is_oms_system("urn:oid:1.2.643.2.40.5.100.1"));
        assert!(is_oms_system("urn:oid:1.2.643.2.69.1.1.1.6.228"));
        assert!(!is_oms_system("http://omsk.example.org/patients"));
        assert!(!is_oms_system("https://github.com/synthetichealth/synthea"));
        assert!(is_snils_system("http://fhir.ru/core/systems/snils"));
        assert!(is_snils_system("urn:oid:1.2.643.2.69.1.1.1.6.223"));
        assert!(!is_snils_system("http://hl7.org/fhir/sid/us-ssn"));
    }

    #[test]
    fn systems_categories_and_kinds() {
        assert_eq!(
            diagnosis_system("http://snomed.info/sct"),
            Some(CodeSystem::Snomed)
        );
        assert_eq!(
            diagnosis_system("http://hl7.org/fhir/sid/icd-10-cm"),
            Some(CodeSystem::Icd10)
        );
        assert_eq!(diagnosis_system(RU_ICD10_OID), Some(CodeSystem::Icd10));
        assert_eq!(diagnosis_system(""), None);
        assert_eq!(diagnosis_system("http://loinc.org"), None);
        assert_eq!(claim_type_category("pharmacy"), ClaimCategory::Drugs);
        assert_eq!(
            claim_type_category("institutional"),
            ClaimCategory::Inpatient
        );
        let pay = json!({"coding": [{"code": "payment"}]});
        let prov = json!({"coding": [{"code": "https://bluebutton.cms.gov/resources/variables/line_prvdr_pmt_amt"}]});
        assert_eq!(payment_rank(Some(&pay)), 3);
        assert_eq!(payment_rank(Some(&prov)), 1);
        assert_eq!(
            payment_rank(Some(&json!({"coding": [{"code": "submitted"}]}))),
            0
        );
        let org = json!({"type": [{"coding": [{"code": "prov"}]}]});
        assert_eq!(organization_kind(&org, "PCP190746", false), OrgKind::Other);
        assert_eq!(
            organization_kind(&org, "PCP190746", true),
            OrgKind::Hospital
        );
        assert_eq!(
            organization_kind(&org, "ГБУЗ ГКБ №1", false),
            OrgKind::Hospital
        );
        assert_eq!(
            organization_kind(&org, "Областная больница", false),
            OrgKind::Hospital
        );
    }
}
