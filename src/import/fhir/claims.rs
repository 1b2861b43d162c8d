//! Claim and ExplanationOfBenefit → claim lines.
//!
//! One line per item that carries an amount: for an ExplanationOfBenefit the item's adjudications
//! of the strongest "paid" category ([`payment_rank`]: `payment` / `benefit`, else Blue Button's
//! Medicare payment, else its provider payment), else the item's `net`; for a Claim the item's
//! `net`. When no item carries an amount, one line carries the whole resource: the EOB's
//! `payment.amount` (or its `total` of a paid category), the Claim's `total`. Line ids are
//! `Claim/<id>/<item sequence>` or `ExplanationOfBenefit/<id>/<item sequence>` (without the
//! sequence for a whole-resource line), so the lines of both kinds never collide with each other
//! or with other importers' ids.
//!
//! An ExplanationOfBenefit (what was paid) wins over the Claim (what was billed) for the same
//! care: a Claim the EOB names in `claim`, or whose items name an encounter an EOB's items name,
//! is skipped, whether the EOB is in this import or already in the register; and importing an EOB
//! removes the lines of such Claims left by earlier imports. A pharmacy Claim (category `drugs`)
//! is other care than its encounter's institutional or professional EOB: only an EOB naming it or
//! a pharmacy EOB of its encounter replaces it (Synthea writes each prescription as a pharmacy
//! Claim with no EOB, naming the visit's encounter, whose EOB pays the visit). A newer version of a resource
//! replaces its lines, removing the ones it no longer has.

use super::json::{Bad, add, array, bad, date, money, reference, text};
use super::map::{claim_type, claim_type_category, payment_rank};
use super::refs::{item_encounters, voided};
use super::resources::{Ctx, Outcome};
use crate::domain::money::Money;
use crate::domain::types::ClaimCategory;
use crate::import::synthea::map::claim_category;
use crate::store::records::ClaimRow;
use crate::store::writes::Upsert;
use chrono::NaiveDate;
use rusqlite::{OptionalExtension, params};
use serde_json::Value;

const EOB: &str = "ExplanationOfBenefit";

/// The paid amount of one EOB item: the sum of its adjudications of the strongest paid category.
fn adjudicated(item: &Value, field: &str) -> Result<Option<Money>, Bad> {
    let adjudications = array(item, "adjudication");
    let best = adjudications
        .iter()
        .map(|a| payment_rank(a.get("category")))
        .max()
        .unwrap_or(0);
    if best == 0 {
        return Ok(None);
    }
    let mut sum = Money::ZERO;
    for (i, a) in adjudications.iter().enumerate() {
        if payment_rank(a.get("category")) == best {
            let f = format!("{field}.adjudication[{i}].amount");
            sum = add(sum, money(a, "amount", &f)?.unwrap_or(Money::ZERO));
        }
    }
    Ok(Some(sum))
}

/// The date of a Period's start, when there is one.
fn period_start(v: &Value, key: &str, field: &str) -> Result<Option<NaiveDate>, Bad> {
    match v.get(key) {
        Some(p) => date(p, "start", &format!("{field}.start")),
        None => Ok(None),
    }
}

/// The amount a whole resource carries when no item does.
fn whole_amount(r: &Value, kind: &str) -> Result<Option<Money>, Bad> {
    if kind != EOB {
        return money(r, "total", "Claim.total");
    }
    if let Some(p) = r.get("payment") {
        if let Some(m) = money(p, "amount", "ExplanationOfBenefit.payment.amount")? {
            return Ok(Some(m));
        }
    }
    let totals = array(r, "total");
    let best = totals
        .iter()
        .map(|t| payment_rank(t.get("category")))
        .max()
        .unwrap_or(0);
    if best == 0 {
        return Ok(None);
    }
    let mut sum = Money::ZERO;
    for (i, t) in totals.iter().enumerate() {
        if payment_rank(t.get("category")) == best {
            let f = format!("ExplanationOfBenefit.total[{i}].amount");
            sum = add(sum, money(t, "amount", &f)?.unwrap_or(Money::ZERO));
        }
    }
    Ok(Some(sum))
}

/// True when the register already has EOB lines for one of these encounters, of drugs when
/// `drugs` (a pharmacy Claim) and of anything else otherwise.
fn settled_in_register(
    ctx: &Ctx<'_, '_>,
    encounters: &[String],
    drugs: bool,
) -> rusqlite::Result<bool> {
    let mut stmt = ctx.tx.prepare_cached(
        "SELECT 1 FROM claim_lines WHERE encounter_id = ?1 AND substr(id, 1, 21) = 'ExplanationOfBenefit/'
           AND (category = 'drugs') = ?2 LIMIT 1",
    )?;
    for e in encounters {
        if stmt
            .query_row(params![e, drugs], |_| Ok(()))
            .optional()?
            .is_some()
        {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Removes the lines of resource `prefix` (`Claim/<id>`) other than `keep`; returns how many.
fn remove_lines(ctx: &Ctx<'_, '_>, prefix: &str, keep: &[String]) -> rusqlite::Result<u64> {
    let keep = serde_json::to_string(keep).unwrap_or_else(|_| "[]".into());
    let n = ctx
        .tx
        .prepare_cached(
            "DELETE FROM claim_lines WHERE (id = ?1 OR substr(id, 1, length(?1) + 1) = ?1 || '/')
           AND id NOT IN (SELECT value FROM json_each(?2))",
        )?
        .execute(params![prefix, keep])?;
    Ok(n as u64)
}

/// Claim or ExplanationOfBenefit (`kind`) → claim lines (see the module documentation).
pub fn claim(ctx: &mut Ctx<'_, '_>, r: &Value, kind: &str, id: String) -> Outcome {
    let is_eob = kind == EOB;
    if voided(r) {
        ctx.tallies.voided += 1;
        return Ok(vec![("claims", Upsert::Unchanged)]);
    }
    let encounters: Vec<String> = item_encounters(r)
        .iter()
        .filter_map(|e| ctx.index.resolve(e, "Encounter"))
        .collect();
    let ctype = claim_type(r);
    // A pharmacy Claim is not the care an institutional or professional EOB of its encounter
    // pays (Synthea writes prescriptions as pharmacy Claims without an EOB, naming the visit's
    // encounter): only an EOB naming it, or a drugs EOB of its encounter, replaces it.
    let pharmacy = ctype == "pharmacy";
    if !is_eob
        && (ctx.index.eob_claims.contains(&id)
            || (!pharmacy
                && encounters
                    .iter()
                    .any(|e| ctx.index.eob_encounters.contains(e)))
            || settled_in_register(ctx, &encounters, pharmacy)?)
    {
        ctx.tallies.claims_replaced += 1;
        return Ok(vec![("claims", Upsert::Unchanged)]);
    }
    let patient_id = ctx.patient(r, "patient", &format!("{kind}.patient"))?;
    let mut known = Vec::new();
    for e in &encounters {
        if let Some((class, org)) = ctx.encounter(e)? {
            known.push((e.clone(), class, org));
        }
    }
    let category = match (ctype, known.first()) {
        ("pharmacy", _) => ClaimCategory::Drugs,
        (_, Some((_, class, _))) => claim_category(*class),
        (t, None) => claim_type_category(t),
    };
    let organization_id = match ctx.organization(reference(r, "provider"))? {
        Some(org) => Some(org),
        None => known.first().and_then(|k| k.2.clone()),
    };
    let default_date = match period_start(r, "billablePeriod", &format!("{kind}.billablePeriod"))? {
        Some(d) => Some(d),
        None => date(r, "created", &format!("{kind}.created"))?,
    };
    let first_encounter = known.first().map(|k| k.0.clone());
    let mut lines = Vec::new();
    for (i, item) in array(r, "item").iter().enumerate() {
        let field = format!("{kind}.item[{i}]");
        let paid = match (is_eob, adjudicated(item, &field)?) {
            (true, Some(m)) => Some(m),
            _ => money(item, "net", &format!("{field}.net"))?,
        };
        let Some(paid) = paid else {
            continue;
        };
        let service_date = match date(item, "servicedDate", &format!("{field}.servicedDate"))? {
            Some(d) => Some(d),
            None => period_start(item, "servicedPeriod", &format!("{field}.servicedPeriod"))?,
        }
        .or(default_date)
        .ok_or_else(|| {
            bad(
                format!("{field}.servicedDate"),
                crate::i18n::msg("import-fhir-no-service-date", &[]),
            )
        })?;
        let own = array(item, "encounter")
            .iter()
            .filter_map(|e| text(e, "reference"))
            .filter_map(|e| ctx.index.resolve(e, "Encounter"))
            .find(|e| known.iter().any(|k| &k.0 == e));
        let sequence = item
            .get("sequence")
            .and_then(Value::as_u64)
            .unwrap_or(i as u64 + 1);
        lines.push(ClaimRow {
            id: format!("{kind}/{id}/{sequence}"),
            patient_id: patient_id.clone(),
            service_date,
            paid,
            category,
            organization_id: organization_id.clone(),
            encounter_id: own.or_else(|| first_encounter.clone()),
            received: None,
            funding: None,
        });
    }
    if lines.is_empty() {
        let field = if is_eob {
            "ExplanationOfBenefit.payment"
        } else {
            "Claim.total"
        };
        let paid = whole_amount(r, kind)?
            .ok_or_else(|| bad(field, crate::i18n::msg("import-fhir-no-amounts", &[])))?;
        let service_date = default_date.ok_or_else(|| {
            bad(
                format!("{kind}.billablePeriod"),
                crate::i18n::msg("import-fhir-no-claim-date", &[]),
            )
        })?;
        lines.push(ClaimRow {
            id: format!("{kind}/{id}"),
            patient_id,
            service_date,
            paid,
            category,
            organization_id,
            encounter_id: first_encounter,
            received: None,
            funding: None,
        });
    }
    let mut wrote = Vec::new();
    for line in &lines {
        wrote.push(("claims", crate::import::facts::claim(ctx.tx, line)?));
    }
    let ids: Vec<String> = lines.into_iter().map(|l| l.id).collect();
    ctx.tallies.lines_removed += remove_lines(ctx, &format!("{kind}/{id}"), &ids)?;
    if is_eob {
        if let Some(claim) = reference(r, "claim").and_then(|c| ctx.index.resolve(c, "Claim")) {
            ctx.tallies.lines_removed += remove_lines(ctx, &format!("Claim/{claim}"), &[])?;
        }
        // The Claims of its encounters it pays for: of drugs for a pharmacy EOB, of anything
        // else otherwise (a prescription's pharmacy Claim stays beside the visit's EOB).
        let mut stmt = ctx.tx.prepare_cached(
            "DELETE FROM claim_lines WHERE encounter_id = ?1 AND substr(id, 1, 6) = 'Claim/'
               AND (category = 'drugs') = ?2",
        )?;
        for e in &encounters {
            ctx.tallies.lines_removed += stmt.execute(params![e, pharmacy])? as u64;
        }
    }
    Ok(wrote)
}
