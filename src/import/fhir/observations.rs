//! Observation → observations: the LOINC codes the register tracks, on an observation and on its
//! components, converted to the register's units.

use super::json::{array, bad, codings, date, number, reference, text};
use super::refs::voided;
use super::resources::{Ctx, Outcome};
use crate::domain::types::ObservationKind;
use crate::domain::units;
use crate::store::records::ObservationRow;
use crate::store::writes::Upsert;
use serde_json::Value;

fn tracked(concept: Option<&Value>) -> Option<(ObservationKind, &str)> {
    codings(concept)
        .iter()
        .filter(|c| c.system.is_empty() || c.system == "http://loinc.org")
        .find_map(|c| ObservationKind::from_loinc(c.code).map(|k| (k, c.code)))
}

/// Observation → observations, for the LOINC codes the register tracks, on the observation itself
/// and on its components (a blood-pressure panel 85354-9 gives `<id>/8480-6` and `<id>/8462-4`).
/// Values come from `valueQuantity` converted to the register's unit; a tracked code without a
/// quantity (a data-absent reason) is skipped; an implausible value or unit is an error.
pub fn observation(ctx: &mut Ctx<'_, '_>, r: &Value, id: String) -> Outcome {
    let mut measures: Vec<(String, ObservationKind, &str, &Value, String)> = Vec::new();
    if let (Some((kind, code)), Some(q)) = (tracked(r.get("code")), r.get("valueQuantity")) {
        measures.push((
            id.clone(),
            kind,
            code,
            q,
            "Observation.valueQuantity".into(),
        ));
    }
    for (i, c) in array(r, "component").iter().enumerate() {
        if let (Some((kind, code)), Some(q)) = (tracked(c.get("code")), c.get("valueQuantity")) {
            measures.push((
                format!("{id}/{code}"),
                kind,
                code,
                q,
                format!("Observation.component[{i}].valueQuantity"),
            ));
        }
    }
    if measures.is_empty() || voided(r) {
        ctx.tallies.voided += u64::from(voided(r));
        return Ok(vec![("observations", Upsert::Unchanged)]);
    }
    let patient_id = ctx.patient(r, "subject", "Observation.subject")?;
    let period_start = match r.get("effectivePeriod") {
        Some(p) => date(p, "start", "Observation.effectivePeriod.start")?,
        None => None,
    };
    let when = date(r, "effectiveDateTime", "Observation.effectiveDateTime")?
        .or(period_start)
        .or(date(r, "effectiveInstant", "Observation.effectiveInstant")?)
        .or(date(r, "issued", "Observation.issued")?)
        .ok_or_else(|| {
            bad(
                "Observation.effectiveDateTime",
                crate::i18n::msg("import-fhir-no-effective", &[]),
            )
        })?;
    let when = super::json::plausible(when, "Observation.effective")?;
    // The instant in UTC, to recognise the same reading imported from Synthea's CSV.
    let taken_at = text(r, "effectiveDateTime")
        .or_else(|| r.get("effectivePeriod").and_then(|p| text(p, "start")))
        .or_else(|| text(r, "effectiveInstant"))
        .and_then(crate::domain::dates::utc_instant);
    let mut site_id = None;
    if let Some(enc) = reference(r, "encounter").and_then(|e| ctx.index.resolve(e, "Encounter")) {
        match ctx.encounter(&enc)? {
            Some((_, org)) => site_id = org,
            None => ctx.tallies.unknown_encounters += 1,
        }
    }
    let mut wrote = Vec::new();
    for (oid, kind, code, q, field) in measures {
        let Some(value) = number(q, "value", &format!("{field}.value"))? else {
            continue;
        };
        let unit = text(q, "code").or(text(q, "unit")).unwrap_or("");
        let value =
            units::normalise(kind, value, unit).map_err(|m| bad(format!("{field}.value"), m))?;
        let row = ObservationRow {
            id: oid,
            patient_id: patient_id.clone(),
            date: when,
            loinc: code.to_string(),
            value,
            unit: kind.unit().to_string(),
            site_id: site_id.clone(),
        };
        wrote.push((
            "observations",
            crate::import::facts::observation(ctx.tx, &row, kind, taken_at.as_deref())?,
        ));
    }
    if wrote.is_empty() {
        wrote.push(("observations", Upsert::Unchanged));
    }
    Ok(wrote)
}
