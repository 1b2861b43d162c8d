//! Ids and references: the first, read-only pass of the FHIR importer builds an [`Index`] of what
//! every later pass needs to know about resources it has not reached yet, and resolves references
//! (`urn:uuid:…`, `Patient/123`, `Organization?identifier=system|value`) to register ids.
//!
//! The index keeps ids, never resources: the Bundle entries' `fullUrl`s, the identifiers of
//! organizations and patients, the organizations hosting inpatient stays, the claims and
//! encounters that ExplanationOfBenefits cover, and one billed total per claim — a few dozen bytes
//! per resource of those kinds.

use super::json::{Bad, add, array, bad, codings, first, money, reference, text};
use super::map::{claim_type, diagnosis_system, encounter_class};
use super::source::{Entry, Input, Item, read_all};
use crate::domain::money::Money;
use crate::domain::types::CodeSystem;
use crate::domain::types::EncounterClass;
use crate::import::synthea::map::snomed_to_icd10;
use color_eyre::eyre::Result;
use serde_json::Value;
use std::collections::{HashMap, HashSet};

/// The longest id accepted (FHIR's own limit is 64 characters; bulk exports sometimes exceed it).
const MAX_ID: usize = 256;

/// The register id of a resource: its `id`, or else the uuid of its Bundle entry's `fullUrl`
/// (`urn:uuid:…`) or the last segment of a RESTful `fullUrl`.
pub fn resource_id(e: &Entry<'_>) -> Result<String, Bad> {
    let field = format!("{}.id", e.kind);
    let id = text(e.resource, "id").or_else(|| {
        let url = e.full_url?;
        match url.strip_prefix("urn:uuid:") {
            Some(uuid) => Some(uuid.trim()),
            None => strip_history(url).rsplit('/').next(),
        }
        .filter(|s| !s.is_empty())
    });
    match id {
        Some(id) if id.len() <= MAX_ID => Ok(id.to_string()),
        Some(_) => Err(bad(
            field,
            crate::i18n::msg("import-fhir-id-too-long", &[("max", MAX_ID.into())]),
        )),
        None => Err(bad(field, crate::i18n::msg("import-fhir-no-id", &[]))),
    }
}

fn strip_history(url: &str) -> &str {
    match url.find("/_history/") {
        Some(i) => &url[..i],
        None => url,
    }
}

/// True for a resource that was recorded by mistake or cancelled (`status` entered-in-error or
/// cancelled): the importer skips it.
pub fn voided(resource: &Value) -> bool {
    matches!(
        text(resource, "status"),
        Some("entered-in-error") | Some("cancelled")
    )
}

/// What the later passes need to know ahead (see the module documentation).
#[derive(Debug, Default)]
pub struct Index {
    full_urls: HashMap<String, (String, String)>,
    identifiers: HashMap<String, String>,
    inpatient_refs: Vec<String>,
    eob_claim_refs: Vec<String>,
    eob_encounter_refs: Vec<String>,
    claim_totals: HashMap<String, (String, Money)>,
    eob_totals: HashMap<String, (String, Money)>,
    /// Organizations hosting an inpatient encounter of the import.
    pub inpatient_orgs: HashSet<String>,
    /// Claims an ExplanationOfBenefit of the import settles (its `claim`).
    pub eob_claims: HashSet<String>,
    /// Encounters an ExplanationOfBenefit of the import pays for (its items' `encounter`).
    pub eob_encounters: HashSet<String>,
    /// The billed cost of each encounter: the totals of its non-pharmacy Claims, or when it has
    /// none, the submitted totals of its ExplanationOfBenefits.
    pub encounter_costs: HashMap<String, Money>,
    /// Each Condition's ICD-10 code (its own ICD-10 coding, or the twin of a mapped SNOMED CT
    /// concept), for the Encounters whose rank-1 diagnosis names it.
    pub condition_icd10: HashMap<String, String>,
}

/// Reads every input once, noting what the index needs; unreadable items are left for the
/// loading passes to report.
pub fn scan(inputs: &[Input]) -> Result<Index> {
    let mut index = Index::default();
    read_all(inputs, |item| {
        if let Item::Resource(e) = item {
            // An earlier FHIR release is refused before anything is read into the register.
            if let Some(version) = super::map::older_fhir_version(e.kind, e.resource) {
                let mut error = e.error(bad(version.field, ""));
                error.message = crate::i18n::msg(
                    "import-fhir-old-version",
                    &[("version", version.name.into())],
                );
                return Err(error.into());
            }
            index.note(&e);
        }
        Ok(())
    })?;
    index.finish();
    Ok(index)
}

/// The encounter references of a claim's items, each once, in order.
pub fn item_encounters(resource: &Value) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for item in array(resource, "item") {
        for r in array(item, "encounter") {
            if let Some(r) = text(r, "reference") {
                if !out.contains(&r) {
                    out.push(r);
                }
            }
        }
    }
    out
}

impl Index {
    fn note(&mut self, e: &Entry<'_>) {
        let Ok(id) = resource_id(e) else {
            return;
        };
        if let Some(url) = e.full_url {
            self.full_urls
                .insert(url.to_string(), (e.kind.to_string(), id.clone()));
        }
        let r = e.resource;
        match e.kind {
            "Organization" | "Patient" => {
                for ident in array(r, "identifier") {
                    if let (Some(s), Some(v)) = (text(ident, "system"), text(ident, "value")) {
                        self.identifiers
                            .insert(format!("{}|{s}|{v}", e.kind), id.clone());
                    }
                }
            }
            "Encounter" if !voided(r) => {
                let types = super::map::encounter_type_codes(r);
                let class = codings(first(r, "class"))
                    .first()
                    .and_then(|c| encounter_class(c.code))
                    .map(|c| super::map::stay_class(c, types.iter().map(String::as_str)));
                if class == Some(EncounterClass::Inpatient) {
                    if let Some(org) = reference(r, "serviceProvider") {
                        self.inpatient_refs.push(org.to_string());
                    }
                }
            }
            "Condition" => {
                let codes = codings(r.get("code"));
                let own = codes
                    .iter()
                    .find(|c| diagnosis_system(c.system) == Some(CodeSystem::Icd10))
                    .map(|c| crate::domain::codes::fold_icd10(c.code));
                let mapped = || {
                    codes
                        .iter()
                        .filter(|c| diagnosis_system(c.system) == Some(CodeSystem::Snomed))
                        .find_map(|c| snomed_to_icd10(c.code))
                        .map(|(icd, _)| icd.to_string())
                };
                if let Some(code) = own.or_else(mapped) {
                    self.condition_icd10.insert(id.clone(), code);
                }
            }
            "Claim" if !voided(r) && claim_type(r) != "pharmacy" => {
                let encounter = item_encounters(r).first().map(|s| s.to_string());
                if let (Some(enc), Ok(Some(total))) = (encounter, money(r, "total", "")) {
                    self.claim_totals.insert(id, (enc, total));
                }
            }
            "ExplanationOfBenefit" if !voided(r) => {
                if let Some(claim) = reference(r, "claim") {
                    self.eob_claim_refs.push(claim.to_string());
                }
                let encounters = item_encounters(r);
                self.eob_encounter_refs
                    .extend(encounters.iter().map(|s| s.to_string()));
                let submitted = array(r, "total").iter().find(|t| {
                    codings(t.get("category"))
                        .iter()
                        .any(|c| c.code == "submitted")
                });
                if let (Some(enc), Some(t)) = (encounters.first(), submitted) {
                    if claim_type(r) != "pharmacy" {
                        if let Ok(Some(amount)) = money(t, "amount", "") {
                            self.eob_totals.insert(id, (enc.to_string(), amount));
                        }
                    }
                }
            }
            _ => {}
        }
    }

    fn finish(&mut self) {
        let refs = std::mem::take(&mut self.inpatient_refs);
        self.inpatient_orgs = refs
            .iter()
            .filter_map(|r| self.resolve(r, "Organization"))
            .collect();
        let refs = std::mem::take(&mut self.eob_claim_refs);
        self.eob_claims = refs
            .iter()
            .filter_map(|r| self.resolve(r, "Claim"))
            .collect();
        let refs = std::mem::take(&mut self.eob_encounter_refs);
        self.eob_encounters = refs
            .iter()
            .filter_map(|r| self.resolve(r, "Encounter"))
            .collect();
        let mut costs: HashMap<String, Money> = HashMap::new();
        for (enc, total) in std::mem::take(&mut self.claim_totals).into_values() {
            if let Some(enc) = self.resolve(&enc, "Encounter") {
                let c = costs.entry(enc).or_default();
                *c = add(*c, total);
            }
        }
        let mut from_eobs: HashMap<String, Money> = HashMap::new();
        for (enc, total) in std::mem::take(&mut self.eob_totals).into_values() {
            if let Some(enc) = self.resolve(&enc, "Encounter") {
                if !costs.contains_key(&enc) {
                    let c = from_eobs.entry(enc).or_default();
                    *c = add(*c, total);
                }
            }
        }
        costs.extend(from_eobs);
        self.encounter_costs = costs;
    }

    /// The id a reference names, when it names a resource of type `kind`:
    /// - a Bundle entry's `fullUrl` (`urn:uuid:…` or absolute) → that entry's id;
    /// - `Kind?identifier=system|value` (Synthea's conditional references) → the resource of the
    ///   import with that identifier, or else `value` (Synthea's ids equal their identifiers; the
    ///   caller checks the register has it);
    /// - `Kind/id`, `http://server/fhir/Kind/id/_history/2` → `id`; a bare id → itself;
    /// - `urn:uuid:x` not in the import → `x`.
    ///
    /// `None` for a contained reference (`#…`), another type, or a query other than identifier.
    pub fn resolve(&self, reference: &str, kind: &str) -> Option<String> {
        let r = reference.trim();
        if r.is_empty() || r.starts_with('#') {
            return None;
        }
        if let Some((t, id)) = self.full_urls.get(r) {
            return (t == kind).then(|| id.clone());
        }
        if let Some((path, query)) = r.split_once('?') {
            if path.rsplit('/').next() != Some(kind) {
                return None;
            }
            let wanted = query
                .split('&')
                .find_map(|p| p.strip_prefix("identifier="))?
                .replace("%7C", "|")
                .replace("%7c", "|");
            if let Some(id) = self.identifiers.get(&format!("{kind}|{wanted}")) {
                return Some(id.clone());
            }
            return wanted
                .rsplit('|')
                .next()
                .filter(|v| !v.is_empty())
                .map(str::to_string);
        }
        if let Some(uuid) = r.strip_prefix("urn:uuid:") {
            return Some(uuid.to_string()).filter(|u| !u.is_empty());
        }
        if r.starts_with("urn:") {
            return None;
        }
        let mut parts = strip_history(r).rsplit('/');
        let id = parts.next().filter(|s| !s.is_empty())?;
        match parts.next() {
            Some(t) if t == kind => Some(id.to_string()),
            Some(_) => None,
            None => Some(id.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_resolve_in_every_form() {
        let mut index = Index::default();
        index
            .full_urls
            .insert("urn:uuid:abc".into(), ("Patient".into(), "abc".into()));
        index
            .identifiers
            .insert("Organization|https://s|X1".into(), "org-1".into());
        assert_eq!(
            index.resolve("urn:uuid:abc", "Patient").as_deref(),
            Some("abc")
        );
        assert_eq!(index.resolve("urn:uuid:abc", "Encounter"), None);
        assert_eq!(
            index
                .resolve("Organization?identifier=https://s|X1", "Organization")
                .as_deref(),
            Some("org-1")
        );
        assert_eq!(
            index
                .resolve("Organization?identifier=https://s|Y2", "Organization")
                .as_deref(),
            Some("Y2")
        );
        assert_eq!(
            index.resolve("Practitioner?identifier=a|b", "Organization"),
            None
        );
        assert_eq!(
            index.resolve("Patient/123", "Patient").as_deref(),
            Some("123")
        );
        assert_eq!(
            index
                .resolve("http://x/fhir/Patient/9/_history/2", "Patient")
                .as_deref(),
            Some("9")
        );
        assert_eq!(index.resolve("Group/1", "Patient"), None);
        assert_eq!(index.resolve("#coverage", "Coverage"), None);
        assert_eq!(
            index.resolve("urn:uuid:zzz", "Patient").as_deref(),
            Some("zzz")
        );
        assert_eq!(index.resolve("", "Patient"), None);
        assert_eq!(index.resolve("Patient/", "Patient"), None);
    }
}
