//! Turning FHIR resources into the register's records and upserting them: Organization, Patient,
//! Condition, Encounter and Observation (claims are in `fhir_claims.rs`). Every reference to a
//! patient must name one of the import or of the register; other references are kept only when
//! the register has what they name.

use super::json::{
    Bad, array, bad, codings, date, first, partial_date, reference, text, timestamp,
};
use super::map::{self, diagnosis_system, is_oms_system, is_snils_system};
use super::refs::{Index, voided};
use crate::domain::money::Money;
use crate::domain::types::{CodeSystem, EncounterClass, PatientStatus};
use crate::import::synthea::map::{snomed_to_icd10, strip_name_digits};
use crate::store::records::{DiagnosisRow, EncounterRow, OrganizationRow, PatientRow};
use crate::store::writes::{self, Upsert};
use rusqlite::{OptionalExtension, Transaction};
use serde_json::Value;

/// Why a resource was not loaded: a bad element (located by the caller), or a database failure.
pub enum Failure {
    /// The resource is wrong.
    Bad(Bad),
    /// The register failed.
    Db(rusqlite::Error),
}

impl From<Bad> for Failure {
    fn from(b: Bad) -> Self {
        Failure::Bad(b)
    }
}

impl From<rusqlite::Error> for Failure {
    fn from(e: rusqlite::Error) -> Self {
        Failure::Db(e)
    }
}

/// What loading one resource wrote: a table name and the upsert's outcome, per record.
pub type Wrote = Vec<(&'static str, Upsert)>;
/// The result of loading one resource.
pub type Outcome = Result<Wrote, Failure>;

/// Things counted along the way for the summary's warnings.
#[derive(Debug, Default)]
pub struct Tallies {
    /// References to organizations neither imported nor in the register (left empty).
    pub unknown_orgs: u64,
    /// Observations naming an encounter the register does not have (site left empty).
    pub unknown_encounters: u64,
    /// Conditions coded only in systems other than SNOMED CT and ICD-10.
    pub other_systems: u64,
    /// Resources skipped as entered-in-error, cancelled or refuted.
    pub voided: u64,
    /// Claims skipped because an ExplanationOfBenefit settles them.
    pub claims_replaced: u64,
    /// Claim lines of earlier imports removed (replaced by an ExplanationOfBenefit or a newer version).
    pub lines_removed: u64,
}

/// What the loading passes share.
pub struct Ctx<'a, 't> {
    /// The import's transaction.
    pub tx: &'a Transaction<'t>,
    /// The first pass's index.
    pub index: &'a Index,
    /// Counts for the warnings.
    pub tallies: Tallies,
}

fn exists(tx: &Transaction<'_>, sql: &str, id: &str) -> rusqlite::Result<bool> {
    Ok(tx
        .prepare_cached(sql)?
        .query_row([id], |_| Ok(()))
        .optional()?
        .is_some())
}

impl Ctx<'_, '_> {
    /// The patient a required reference names; an error when it names none the register has.
    pub fn patient(&self, r: &Value, key: &str, field: &str) -> Result<String, Failure> {
        let Some(reference) = reference(r, key) else {
            return Err(bad(
                field,
                crate::i18n::msg("import-fhir-no-patient-reference", &[]),
            )
            .into());
        };
        match self.index.resolve(reference, "Patient") {
            Some(id) if exists(self.tx, "SELECT 1 FROM patients WHERE id = ?1", &id)? => Ok(id),
            _ => Err(bad(
                field,
                crate::i18n::msg(
                    "import-fhir-unknown-patient",
                    &[("value", reference.into())],
                ),
            )
            .into()),
        }
    }

    /// The organization a reference names, when the register has it (counted when it does not).
    pub fn organization(&mut self, reference: Option<&str>) -> rusqlite::Result<Option<String>> {
        let Some(reference) = reference else {
            return Ok(None);
        };
        if let Some(id) = self.index.resolve(reference, "Organization") {
            if exists(self.tx, "SELECT 1 FROM organizations WHERE id = ?1", &id)? {
                return Ok(Some(id));
            }
            self.tallies.unknown_orgs += 1;
        }
        Ok(None)
    }

    /// The class and organization of an encounter in the register.
    pub fn encounter(
        &self,
        id: &str,
    ) -> rusqlite::Result<Option<(EncounterClass, Option<String>)>> {
        let row: Option<(String, Option<String>)> = self
            .tx
            .prepare_cached("SELECT class, organization_id FROM encounters WHERE id = ?1")?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        Ok(row.and_then(|(c, o)| EncounterClass::from_code(&c).map(|c| (c, o))))
    }
}

/// Organization → organizations: name (or the first alias, or the id), kind
/// ([`map::organization_kind`]), region = the first address's state.
pub fn organization(ctx: &mut Ctx<'_, '_>, r: &Value, id: String) -> Outcome {
    let name = text(r, "name")
        .or_else(|| array(r, "alias").iter().find_map(Value::as_str))
        .unwrap_or(&id)
        .to_string();
    let region = array(r, "address")
        .first()
        .and_then(|a| text(a, "state"))
        .unwrap_or("")
        .to_string();
    let kind = map::organization_kind(r, &name, ctx.index.inpatient_orgs.contains(&id));
    let row = OrganizationRow {
        id,
        name,
        kind,
        region,
    };
    Ok(vec![("organizations", writes::organization(ctx.tx, &row)?)])
}

fn pick(items: &[Value], usable: impl Fn(&Value) -> bool) -> Option<&Value> {
    let ok = |v: &&Value| usable(v) && !matches!(text(v, "use"), Some("old") | Some("maiden"));
    items
        .iter()
        .filter(ok)
        .find(|v| matches!(text(v, "use"), Some("official") | Some("home")))
        .or_else(|| items.iter().find(ok))
}

/// Patient → patients (see the module documentation of `fhir.rs` for each element). A nurse and a
/// "moved" status set in the register are kept: FHIR carries neither.
pub fn patient(ctx: &mut Ctx<'_, '_>, r: &Value, id: String) -> Outcome {
    let name = pick(array(r, "name"), |n| text(n, "family").is_some());
    let family = name.and_then(|n| text(n, "family")).ok_or_else(|| {
        bad(
            "Patient.name.family",
            crate::i18n::msg("import-fhir-no-family-name", &[]),
        )
    })?;
    let given: Vec<String> = name
        .map(|n| array(n, "given"))
        .unwrap_or(&[])
        .iter()
        .filter_map(Value::as_str)
        .filter(|g| !g.trim().is_empty())
        .map(strip_name_digits)
        .collect();
    let gender = text(r, "gender");
    let sex = map::sex(gender).ok_or_else(|| {
        bad(
            "Patient.gender",
            crate::i18n::msg(
                "import-fhir-bad-gender",
                &[("value", gender.unwrap_or("").into())],
            ),
        )
    })?;
    let birth_date = partial_date(r, "birthDate", "Patient.birthDate")?.ok_or_else(|| {
        bad(
            "Patient.birthDate",
            crate::i18n::msg("import-fhir-no-birth-date", &[]),
        )
    })?;
    let birth_date = super::json::plausible(birth_date, "Patient.birthDate")?;
    let death_date = partial_date(r, "deceasedDateTime", "Patient.deceasedDateTime")?;
    if death_date.is_some_and(|d| d < birth_date) {
        return Err(bad(
            "Patient.deceasedDateTime",
            crate::i18n::msg("import-before-birth", &[]),
        )
        .into());
    }
    let dead = death_date.is_some() || r.get("deceasedBoolean") == Some(&Value::Bool(true));
    let mut phones = array(r, "telecom")
        .iter()
        .filter(|t| matches!(text(t, "system"), Some("phone") | Some("sms")))
        .filter_map(|t| text(t, "value"))
        .map(str::to_string);
    let (phone, phone2) = (phones.next(), phones.next());
    let address = pick(array(r, "address"), |_| true);
    let lines: Vec<&str> = address
        .map(|a| array(a, "line"))
        .unwrap_or(&[])
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let street = if lines.is_empty() {
        address
            .and_then(|a| text(a, "text"))
            .unwrap_or("")
            .to_string()
    } else {
        lines.join(", ")
    };
    let identifier = |is: fn(&str) -> bool| {
        array(r, "identifier")
            .iter()
            .filter(|i| text(i, "system").is_some_and(is))
            .find_map(|i| text(i, "value"))
            .map(str::to_string)
    };
    let mut site_id = None;
    for reference in array(r, "generalPractitioner")
        .iter()
        .filter_map(|g| text(g, "reference"))
    {
        if ctx.index.resolve(reference, "Organization").is_some() {
            site_id = ctx.organization(Some(reference))?;
            if site_id.is_some() {
                break;
            }
        }
    }
    if site_id.is_none() {
        site_id = ctx.organization(super::json::reference(r, "managingOrganization"))?;
    }
    let kept: Option<(Option<String>, String, Option<String>)> = ctx
        .tx
        .prepare_cached("SELECT nurse_id, status, moved_on FROM patients WHERE id = ?1")?
        .query_row([&id], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .optional()?;
    let (nurse_id, moved) = match kept {
        Some((nurse, status, moved_on)) if status == PatientStatus::Moved.as_code() && !dead => {
            (nurse, Some(moved_on))
        }
        Some((nurse, _, _)) => (nurse, None),
        None => (None, None),
    };
    let status = match (&moved, dead) {
        (_, true) => PatientStatus::Dead,
        (Some(_), false) => PatientStatus::Moved,
        (None, false) => PatientStatus::Active,
    };
    let row = PatientRow {
        id,
        policy_number: identifier(is_oms_system),
        snils: identifier(is_snils_system),
        family_name: strip_name_digits(family),
        given_name: given.first().cloned().unwrap_or_default(),
        patronymic: given.get(1..).unwrap_or(&[]).join(" "),
        sex,
        birth_date,
        death_date,
        phone,
        phone2,
        locality: address
            .and_then(|a| text(a, "city"))
            .unwrap_or("")
            .to_string(),
        address: street,
        site_id,
        nurse_id,
        status,
        moved_on: moved
            .flatten()
            .and_then(|d| chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
        palliative_since: None,
    };
    Ok(vec![("patients", writes::patient(ctx.tx, &row)?)])
}

/// Condition → diagnoses: one per SNOMED CT or ICD-10 coding, plus the ICD-10 twin of a mapped
/// SNOMED CT concept when the condition has no ICD-10 coding of its own.
pub fn condition(ctx: &mut Ctx<'_, '_>, r: &Value) -> Outcome {
    if codings(r.get("verificationStatus"))
        .iter()
        .any(|c| matches!(c.code, "entered-in-error" | "refuted"))
    {
        ctx.tallies.voided += 1;
        return Ok(vec![("diagnoses", Upsert::Unchanged)]);
    }
    let patient_id = ctx.patient(r, "subject", "Condition.subject")?;
    let onset_date = match date(r, "onsetDateTime", "Condition.onsetDateTime")? {
        Some(d) => d,
        None => match r.get("onsetPeriod") {
            Some(p) => date(p, "start", "Condition.onsetPeriod.start")?,
            None => None,
        }
        .or(date(r, "recordedDate", "Condition.recordedDate")?)
        .ok_or_else(|| {
            bad(
                "Condition.onsetDateTime",
                crate::i18n::msg("import-fhir-no-onset", &[]),
            )
        })?,
    };
    let concept = r.get("code");
    let fallback = concept.and_then(|c| text(c, "text")).unwrap_or("");
    let coded: Vec<(CodeSystem, &str, &str)> = codings(concept)
        .iter()
        .filter_map(|c| {
            let d = if c.display.is_empty() {
                fallback
            } else {
                c.display
            };
            diagnosis_system(c.system).map(|s| (s, c.code, d))
        })
        .collect();
    if coded.is_empty() {
        ctx.tallies.other_systems += 1;
        return Ok(vec![("diagnoses", Upsert::Unchanged)]);
    }
    let has_icd10 = coded.iter().any(|c| c.0 == CodeSystem::Icd10);
    let mut wrote = Vec::new();
    for (system, code, description) in coded {
        let row = DiagnosisRow {
            patient_id: patient_id.clone(),
            system,
            // Stored folded: "Е11.9" typed with a Cyrillic Е is the diagnosis E11.9.
            code: crate::domain::codes::stored_diagnosis_code(system, code),
            description: description.to_string(),
            onset_date,
        };
        wrote.push(("diagnoses", writes::diagnosis(ctx.tx, &row)?));
        if let (CodeSystem::Snomed, false, Some((icd, title))) =
            (system, has_icd10, snomed_to_icd10(code))
        {
            let twin = DiagnosisRow {
                system: CodeSystem::Icd10,
                code: icd.to_string(),
                description: title.to_string(),
                ..row
            };
            wrote.push(("diagnoses", writes::diagnosis(ctx.tx, &twin)?));
        }
    }
    Ok(wrote)
}

/// Encounter → encounters (see the module documentation of `fhir.rs`).
pub fn encounter(ctx: &mut Ctx<'_, '_>, r: &Value, id: String) -> Outcome {
    if voided(r) {
        ctx.tallies.voided += 1;
        return Ok(vec![("encounters", Upsert::Unchanged)]);
    }
    let patient_id = ctx.patient(r, "subject", "Encounter.subject")?;
    let codes = codings(first(r, "class"));
    let class = match codes.first() {
        None => {
            return Err(bad(
                "Encounter.class",
                crate::i18n::msg("import-fhir-no-class", &[]),
            )
            .into());
        }
        Some(c) => codes
            .iter()
            .find_map(|c| map::encounter_class(c.code))
            .ok_or_else(|| {
                bad(
                    "Encounter.class",
                    crate::i18n::msg("import-fhir-bad-class", &[("value", c.code.into())]),
                )
            })?,
    };
    let types = map::encounter_type_codes(r);
    let class = map::stay_class(class, types.iter().map(String::as_str));
    let (period, path) = match r.get("period") {
        Some(p) => (Some(p), "Encounter.period"),
        None => (r.get("actualPeriod"), "Encounter.actualPeriod"),
    };
    let start = match period {
        Some(p) => timestamp(p, "start", &format!("{path}.start"))?,
        None => None,
    }
    .ok_or_else(|| {
        bad(
            format!("{path}.start"),
            crate::i18n::msg("import-fhir-no-encounter-start", &[]),
        )
    })?;
    if let Some(day) = crate::domain::dates::date_of_timestamp(&start) {
        super::json::plausible(day, &format!("{path}.start"))?;
    }
    let end = match period {
        Some(p) => timestamp(p, "end", &format!("{path}.end"))?,
        None => None,
    };
    if end.as_ref().is_some_and(|e| e.get(..10) < start.get(..10)) {
        return Err(bad(
            format!("{path}.end"),
            crate::i18n::msg("import-fhir-end-before-start", &[]),
        )
        .into());
    }
    let organization_id = ctx.organization(reference(r, "serviceProvider"))?;
    let stay = r.get("hospitalization").or_else(|| r.get("admission"));
    let disposition = codings(stay.and_then(|h| h.get("dischargeDisposition")))
        .first()
        .map(|c| map::disposition(c.code));
    let cost = ctx
        .index
        .encounter_costs
        .get(&id)
        .copied()
        .unwrap_or(Money::ZERO);
    let row = EncounterRow {
        id,
        patient_id,
        class,
        start,
        end,
        organization_id,
        planned: map::planned(r),
        disposition,
        cost,
        principal_dx: principal_diagnosis(ctx.index, r),
    };
    Ok(vec![("encounters", writes::encounter(ctx.tx, &row)?)])
}

/// The principal diagnosis of an Encounter: the ICD-10 code of its `diagnosis` entry with rank 1,
/// from the referenced Condition (R4 `condition` Reference, R5 `condition[].reference`) or an
/// inline ICD-10 concept (R5 `condition[].concept`). Cyrillic look-alike letters fold to Latin.
fn principal_diagnosis(index: &Index, r: &Value) -> Option<String> {
    let entry = array(r, "diagnosis")
        .iter()
        .find(|d| d.get("rank").and_then(Value::as_u64) == Some(1))?;
    let conditions: Vec<&Value> = match entry.get("condition") {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(one) => vec![one],
        None => Vec::new(),
    };
    conditions.into_iter().find_map(|c| {
        let inline = codings(c.get("concept"))
            .into_iter()
            .find(|k| diagnosis_system(k.system) == Some(CodeSystem::Icd10))
            .map(|k| crate::domain::codes::fold_icd10(k.code));
        inline.or_else(|| {
            let reference = text(c, "reference")
                .or_else(|| c.get("reference").and_then(|x| text(x, "reference")))?;
            let id = index.resolve(reference, "Condition")?;
            index.condition_icd10.get(&id).cloned()
        })
    })
}
