//! `acodesk import fhir PATH...`: loads FHIR R4 resources into the register, in one transaction.
//!
//! Each PATH is a `.json` file holding a Bundle (collection, transaction, batch, searchset: the
//! `entry[].resource`s are read) or a single resource; a `.ndjson` (or `.jsonl`) file with one
//! resource per line, as Bulk FHIR exports and insurers' bulk claims APIs deliver; or a folder,
//! whose `.json` / `.ndjson` files are read in name order (not recursively; a Bulk FHIR export's
//! `log.ndjson`, its manifest and any other file whose first value is not a resource are skipped
//! with a note). FHIR STU3 and DSTU2 resources (told by their shape:
//! [`map::older_fhir_version`]) and Git LFS pointer files are refused as such before anything is
//! written. All of it or none of
//! it: the first bad resource stops the import with `FILE:LINE:FIELD: …` (for a Bundle the entry,
//! `entry[12]`, stands for the line, and FIELD is the FHIR path, e.g.
//! `bundle.json:entry[12]:Encounter.period.start: "2021-13-01" is not a date…`; malformed JSON
//! gives serde_json's line and column), unless `skip_bad_rows` is set: bad resources then go to
//! `<file>.rejects.ndjson` with the reason, and the good ones are loaded. Nothing panics,
//! whatever the bytes.
//!
//! Memory: an NDJSON file is streamed line by line; a Bundle file is parsed whole (Bundles are
//! bounded; files over 512 MiB are refused). The inputs are read four times: a first pass notes
//! ids, `fullUrl`s and identifiers ([`refs::Index`], no resources kept), then organizations and
//! patients are loaded, then conditions and encounters, then observations and claims, so that
//! references resolve whatever order the files and entries come in.
//!
//! Ids are the resources' `id` (or, without one, the uuid of the entry's `fullUrl`), so a
//! re-import changes nothing and a newer version of a resource updates its row. References may be
//! `urn:uuid:…` (a `fullUrl` of the import), `Patient/123`, absolute URLs, or the conditional
//! `Organization?identifier=system|value` Synthea writes. The mapping:
//! - Organization → organizations: a hospital when its type (`HOSP`, "hospital") or its name says
//!   so, or it hosts an inpatient encounter of the import; else `other`; region = address.state.
//! - Practitioner → nothing (physicians are not the pilot's nurses), counted under
//!   `practitioners`. Every other type the register does not keep (DiagnosticReport, Procedure,
//!   MedicationRequest, Provenance, Location, …) is counted under `skipped`, never an error.
//! - Patient → patients: the official name (else the first current one) without Synthea's
//!   trailing digits: family, `given[0]`, and `given[1..]` as the patronymic (Russian profiles put
//!   the patronymic there); gender male / female / other / unknown → M / F / U; birthDate (a
//!   partial `1950` or `1950-07` counts from the first day); deceasedDateTime or deceasedBoolean →
//!   status dead; the first two phone numbers; the home (else first) address's city and lines;
//!   an OMS policy identifier ([`map::is_oms_system`]) → policy number, a SNILS one
//!   ([`map::is_snils_system`]) → SNILS; home site = the generalPractitioner or
//!   managingOrganization that is an organization of the import or the register. The register's
//!   nurse and a "moved" status are kept.
//! - Condition → diagnoses: each SNOMED CT and ICD-10 coding, onset = onsetDateTime (or
//!   onsetPeriod.start, or recordedDate); mapped SNOMED CT concepts also get their ICD-10 twin
//!   (the Synthea importer's map) so LACE's Charlson part works. Refuted and entered-in-error
//!   conditions are skipped.
//! - Encounter → encounters: class IMP / ACUTE / NONAC → inpatient, EMER → emergency, AMB (and
//!   SS, OBSENC, PRENC, FLD) → outpatient, HH → home, VR → virtual, except that an inpatient class
//!   whose type is a skilled-nursing, nursing-home, rehabilitation, hospice or palliative-care
//!   admission ([`map::NON_ACUTE_STAY_TYPES`]) is home care, as the Synthea CSV importer reads
//!   `snf` and `hospice`, so such a stay is no index stay or readmission; period.start / end as written
//!   (no time-zone conversion); serviceProvider → organization when known (else left empty, with
//!   a warning); dischargeDisposition home → home, aadvice → ama, exp → died, other-hcf / hosp →
//!   transfer_acute, any other → other; planned when priority is elective (EL) or routine (R), or
//!   admitSource says elective; cost = the billed total of its Claims (as Synthea's CSV
//!   TOTAL_CLAIM_COST), or of its EOBs' submitted totals. Entered-in-error and cancelled
//!   resources of every kind are skipped.
//! - Observation → observations for the LOINC codes the register tracks, including the
//!   components of a blood-pressure panel (85354-9 → `<id>/8480-6`, `<id>/8462-4`); valueQuantity
//!   converted to the register's unit (glucose mg/dL → mmol/L, HbA1c mmol/mol → %, creatinine
//!   mg/dL → µmol/L, the urine albumin/creatinine ratio mg/g → mg/mmol, LDL mg/dL → mmol/L;
//!   `domain::units`); fasting glucose 1558-6 is its own kind, apart from glucose; an implausible
//!   value or an unknown unit is an error; other codes are skipped. Site = the encounter's
//!   organization.
//! - Claim / ExplanationOfBenefit → claim lines, the EOB winning over the Claim for the same care:
//!   see `fhir_claims.rs` for the amounts, dates, categories and ids.
//!
//! Afterwards patients are enrolled by the programme's code list, and when the register has no
//! pilot description yet, one named "FHIR import" in US dollars is written.

mod claims;
mod json;
pub mod map;
mod observations;
pub mod refs;
mod rejects;
mod resources;
pub mod source;

use super::csv_dir::ImportOptions;
use crate::store::Store;
use crate::store::import_summary::{ImportSummary, TableCounts};
use crate::store::writes::Upsert;
use color_eyre::eyre::{Result, WrapErr, eyre};
use rejects::Rejects;
use resources::{Ctx, Failure, Outcome, Tallies};
use rusqlite::TransactionBehavior;
use source::{Entry, FhirError, Input, Item, Raw};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The loading passes, in order: each loads the resource types the next ones refer to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pass {
    People,
    Care,
    Results,
}

/// The summary's tables, in load order.
const TABLES: &[&str] = &[
    "organizations",
    "practitioners",
    "patients",
    "diagnoses",
    "encounters",
    "observations",
    "claims",
    "skipped",
    "unreadable",
];

/// The pass and the summary table of a resource type; `None` for the types the register does not
/// keep (counted under `skipped` in the first loading pass).
fn route(kind: &str) -> Option<(Pass, &'static str)> {
    Some(match kind {
        "Organization" => (Pass::People, "organizations"),
        "Practitioner" => (Pass::People, "practitioners"),
        "Patient" => (Pass::People, "patients"),
        "Condition" => (Pass::Care, "diagnoses"),
        "Encounter" => (Pass::Care, "encounters"),
        "Observation" => (Pass::Results, "observations"),
        "Claim" | "ExplanationOfBenefit" => (Pass::Results, "claims"),
        _ => return None,
    })
}

fn load(ctx: &mut Ctx<'_, '_>, e: &Entry<'_>) -> Outcome {
    if e.kind == "Practitioner" {
        return Ok(vec![("practitioners", Upsert::Unchanged)]);
    }
    let id = refs::resource_id(e)?;
    let r = e.resource;
    match e.kind {
        "Organization" => resources::organization(ctx, r, id),
        "Patient" => resources::patient(ctx, r, id),
        "Condition" => resources::condition(ctx, r),
        "Encounter" => resources::encounter(ctx, r, id),
        "Observation" => observations::observation(ctx, r, id),
        kind => claims::claim(ctx, r, kind, id),
    }
}

fn counts<'s>(summary: &'s mut ImportSummary, table: &str) -> &'s mut TableCounts {
    let at = match summary.tables.iter().position(|(t, _)| t == table) {
        Some(i) => i,
        None => {
            summary
                .tables
                .push((table.to_string(), TableCounts::default()));
            summary.tables.len() - 1
        }
    };
    &mut summary.tables[at].1
}

/// What the loading passes accumulate besides the register's rows.
struct Run {
    summary: ImportSummary,
    rejects: Rejects,
    skip_bad: bool,
    skipped: BTreeMap<String, u64>,
}

impl Run {
    /// A bad item: stops the import, or with `skip_bad_rows` is counted and written to the rejects.
    fn refuse(&mut self, table: &str, input: &Input, error: FhirError, raw: Raw<'_>) -> Result<()> {
        if !self.skip_bad {
            return Err(error.into());
        }
        counts(&mut self.summary, table).rejected += 1;
        self.rejects.add(input, &error, raw)
    }

    fn item(&mut self, ctx: &mut Ctx<'_, '_>, pass: Pass, item: Item<'_>) -> Result<()> {
        let e = match item {
            Item::Unreadable { error, raw, input } if pass == Pass::People => {
                return self.refuse("unreadable", input, error, raw);
            }
            Item::Unreadable { .. } => return Ok(()),
            Item::Resource(e) => e,
        };

        let Some((at, table)) = route(e.kind) else {
            if pass == Pass::People {
                counts(&mut self.summary, "skipped").unchanged += 1;
                *self.skipped.entry(shown_type(e.kind)).or_default() += 1;
            }
            return Ok(());
        };
        if at != pass {
            return Ok(());
        }
        match load(ctx, &e) {
            Ok(wrote) => {
                for (t, u) in wrote {
                    if t == "patients" {
                        self.summary.touched_patients += 1;
                    }
                    let c = counts(&mut self.summary, t);
                    match u {
                        Upsert::Inserted => c.inserted += 1,
                        Upsert::Updated => c.updated += 1,
                        Upsert::Unchanged => c.unchanged += 1,
                    }
                }
                Ok(())
            }
            Err(Failure::Bad(b)) => self.refuse(table, e.input, e.error(b), Raw::Json(e.resource)),
            Err(Failure::Db(err)) => {
                let mut located = e.error(json::bad("", ""));
                located.message = crate::i18n::msg(
                    "import-register-refused-resource",
                    &[("error", err.to_string().as_str().into())],
                );
                Err(located.into())
            }
        }
    }
}

/// A resource type as the warning shows it (the input is untrusted: odd names are not echoed).
fn shown_type(kind: &str) -> String {
    if kind.len() <= 64 && kind.chars().all(|c| c.is_ascii_alphanumeric()) {
        kind.to_string()
    } else {
        "(unnamed type)".to_string()
    }
}

/// Imports the FHIR files and folders in `paths` (see the module documentation for the mapping).
pub fn import_fhir(
    store: &mut Store,
    paths: &[PathBuf],
    options: ImportOptions,
) -> Result<ImportSummary> {
    if paths.is_empty() {
        return Err(eyre!("{}", crate::i18n::msg("import-fhir-no-file", &[])));
    }
    let (inputs, notes) = source::inputs(paths)?;
    let index = refs::scan(&inputs)?;
    let mut run = Run {
        summary: ImportSummary::default(),
        rejects: Rejects::new(options.skip_bad_rows),
        skip_bad: options.skip_bad_rows,
        skipped: BTreeMap::new(),
    };
    for table in TABLES {
        counts(&mut run.summary, table);
    }
    let tx = store
        .conn_mut()
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .wrap_err_with(|| crate::i18n::msg("import-starting-transaction", &[]))?;
    // On a sync hub, what this import changes becomes an outbox entry in this transaction.
    let capture = crate::store::hub_changes::HubCapture::begin(&tx)
        .wrap_err_with(|| crate::i18n::msg("import-starting-transaction", &[]))?;
    let mut ctx = Ctx {
        tx: &tx,
        index: &index,
        tallies: Tallies::default(),
    };
    for pass in [Pass::People, Pass::Care, Pass::Results] {
        source::read_all(&inputs, |item| run.item(&mut ctx, pass, item))?;
    }
    let tallies = std::mem::take(&mut ctx.tallies);
    let mut summary = run.summary;
    summary.warnings.extend(notes);
    warn(&mut summary, &tallies, &run.skipped);
    for (path, n) in run.rejects.finish()? {
        summary.warnings.push(crate::i18n::msg(
            "import-fhir-rejected-written",
            &[
                ("count", n.into()),
                ("path", path.display().to_string().as_str().into()),
            ],
        ));
    }
    summary.enrolled = super::finish_import(&tx, Some("FHIR import"), &super::Touched::All)?;
    capture
        .finish(&tx)
        .wrap_err_with(|| crate::i18n::msg("import-committing", &[]))?;
    tx.commit()
        .wrap_err_with(|| crate::i18n::msg("import-committing", &[]))?;
    Ok(summary)
}

fn warn(summary: &mut ImportSummary, t: &Tallies, skipped: &BTreeMap<String, u64>) {
    let w = &mut summary.warnings;
    if !skipped.is_empty() {
        let list: Vec<String> = skipped.iter().map(|(k, n)| format!("{n} {k}")).collect();
        w.push(crate::i18n::msg(
            "import-fhir-skipped-types",
            &[("list", list.join(", ").as_str().into())],
        ));
    }
    if t.unknown_orgs > 0 {
        w.push(crate::i18n::msg(
            "import-fhir-unknown-orgs",
            &[("count", t.unknown_orgs.into())],
        ));
    }
    if t.unknown_encounters > 0 {
        w.push(crate::i18n::msg(
            "import-fhir-unknown-encounters",
            &[("count", t.unknown_encounters.into())],
        ));
    }
    if t.other_systems > 0 {
        w.push(crate::i18n::msg(
            "import-fhir-other-systems",
            &[("count", t.other_systems.into())],
        ));
    }
    if t.voided > 0 {
        w.push(crate::i18n::msg(
            "import-fhir-voided",
            &[("count", t.voided.into())],
        ));
    }
    if t.claims_replaced > 0 {
        w.push(crate::i18n::msg(
            "import-fhir-claims-replaced",
            &[("count", t.claims_replaced.into())],
        ));
    }
    if t.lines_removed > 0 {
        w.push(crate::i18n::msg(
            "import-fhir-lines-removed",
            &[("count", t.lines_removed.into())],
        ));
    }
}
