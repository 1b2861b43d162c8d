//! Claim lines: one per finished encounter plus monthly drug claims, thinned for the months whose
//! claims have not all arrived yet at the as-of date.

use super::Ctx;
use super::care::Enc;
use super::draw::{chance, months_before, uniform};
use super::patient::Patient;
use crate::domain::money::Money;
use crate::domain::types::{ClaimCategory, EncounterClass};
use chrono::{Datelike, NaiveDate};

/// A claim line before it gets its id.
pub(super) struct Claim {
    /// Service date: the discharge date for stays, the visit date otherwise.
    pub date: NaiveDate,
    /// Amount paid.
    pub paid: Money,
    /// Spending category.
    pub category: ClaimCategory,
    /// Billing organization.
    pub org: &'static str,
    /// Index into the patient's encounters, for encounter claims.
    pub encounter: Option<usize>,
}

/// Share of claim lines already received for a service date this many months before the as-of month.
fn completeness(months: i32) -> f64 {
    match months {
        ..=0 => 0.6,
        1 => 0.85,
        2 => 0.95,
        _ => 1.0,
    }
}

/// The claim lines received by the as-of date, in service-date order.
pub(super) fn claims(p: &Patient, encs: &[Enc], ctx: &Ctx, rng: &mut fastrand::Rng) -> Vec<Claim> {
    let mut out = Vec::new();
    for (i, e) in encs.iter().enumerate() {
        let Some((end, _)) = e.end else { continue };
        let (date, category) = match e.class {
            EncounterClass::Inpatient => (end, ClaimCategory::Inpatient),
            EncounterClass::Emergency => (e.day, ClaimCategory::Emergency),
            _ => (e.day, ClaimCategory::Outpatient),
        };
        out.push(Claim {
            date,
            paid: e.cost,
            category,
            org: e.org,
            encounter: Some(i),
        });
    }
    if let Some(monthly) = p.drug_roubles {
        let first = p.start.year() * 12 + p.start.month0() as i32;
        let last = p.activity_end.year() * 12 + p.activity_end.month0() as i32;
        for m in first..=last {
            let day = rng.u32(1..=28);
            let Some(date) =
                NaiveDate::from_ymd_opt(m.div_euclid(12), m.rem_euclid(12) as u32 + 1, day)
            else {
                continue;
            };
            if date >= p.start && date <= p.activity_end && chance(rng, 0.72) {
                let roubles = monthly * ctx.price_index(date.year()) * uniform(rng, 0.95, 1.05);
                out.push(Claim {
                    date,
                    paid: Money::from_f64_rounded(roubles.clamp(800.0, 4000.0)),
                    category: ClaimCategory::Drugs,
                    org: p.site.id,
                    encounter: None,
                });
            }
        }
    }
    out.retain(|c| {
        let keep = completeness(months_before(c.date, ctx.as_of));
        keep >= 1.0 || chance(rng, keep)
    });
    out.sort_by_key(|c| c.date);
    out
}
