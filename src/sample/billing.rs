//! Claim lines: one per finished encounter (paid by the Fund, ОМС) plus monthly drug claims (paid
//! by the subsidised-drug programme, ЛЛО), each with the date the payer received it; only the lines received by the as-of date are written, so recent months are
//! incomplete the way a real claims feed is (and the register can measure that lag, #19).

use super::Ctx;
use super::care::Enc;
use super::draw::{chance, uniform};
use super::patient::Patient;
use crate::domain::money::Money;
use crate::domain::types::{ClaimCategory, EncounterClass, Funding};
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
    /// The date the payer received the line (see [`received`]).
    pub received: NaiveDate,
    /// Who pays: the Fund (ОМС) for care, the subsidised-drug programme (ЛЛО) for drugs.
    pub funding: Funding,
}

/// Mean days from the service to the claim being submitted, beyond the first two.
const MEAN_SUBMISSION_DAYS: f64 = 16.0;

/// The latest a claim arrives, in days after the service.
const LATEST_SUBMISSION_DAYS: f64 = 150.0;

/// The date a claim for a service on `date` reaches the payer: 2 days plus an exponential delay
/// (mean [`MEAN_SUBMISSION_DAYS`], at most [`LATEST_SUBMISSION_DAYS`]). About 45 % of a month's
/// claims arrive within the month, 90 % by the end of the next, 99 % by the end of the one after.
fn received(date: NaiveDate, rng: &mut fastrand::Rng) -> NaiveDate {
    let delay = 2.0 - MEAN_SUBMISSION_DAYS * (1.0 - rng.f64()).ln();
    let days = delay.min(LATEST_SUBMISSION_DAYS) as u64;
    date.checked_add_days(chrono::Days::new(days))
        .unwrap_or(date)
}

/// The claim lines received by the as-of date, in service-date order.
pub(super) fn claims(p: &Patient, encs: &[Enc], ctx: &Ctx, rng: &mut fastrand::Rng) -> Vec<Claim> {
    let mut out = Vec::new();
    // Delays from a generator of their own, so that the claims drawn do not depend on them.
    let mut lag = fastrand::Rng::with_seed(rng.u64(..));
    for (i, e) in encs.iter().enumerate() {
        let Some((end, _)) = e.end else { continue };
        let (date, category) = match e.class {
            EncounterClass::Inpatient => (end, ClaimCategory::Inpatient),
            EncounterClass::Emergency => (e.day, ClaimCategory::Emergency),
            // A day-hospital course is billed as one case at its end, like a stay.
            EncounterClass::DayHospital => (end, ClaimCategory::DayHospital),
            _ => (e.day, ClaimCategory::Outpatient),
        };
        out.push(Claim {
            date,
            paid: e.cost,
            category,
            org: e.org,
            encounter: Some(i),
            received: received(date, &mut lag),
            funding: Funding::Oms,
        });
    }
    if let Some(monthly) = p.drug_roubles {
        let first = p.start.year() * 12 + p.start.month0() as i32;
        let last = p.care_end.year() * 12 + p.care_end.month0() as i32;
        for m in first..=last {
            let day = rng.u32(1..=28);
            let Some(date) =
                NaiveDate::from_ymd_opt(m.div_euclid(12), m.rem_euclid(12) as u32 + 1, day)
            else {
                continue;
            };
            if date >= p.start && date <= p.care_end && chance(rng, 0.72) {
                let roubles = monthly * ctx.price_index(date.year()) * uniform(rng, 0.95, 1.05);
                out.push(Claim {
                    date,
                    paid: Money::from_f64_rounded(roubles.clamp(800.0, 4000.0)),
                    category: ClaimCategory::Drugs,
                    org: p.site.id,
                    encounter: None,
                    received: received(date, &mut lag),
                    // A diabetic's outpatient drugs are dispensed under the subsidised-drug
                    // programmes (ЛЛО/ОНЛС), paid from the federal and regional budgets, not by
                    // the Fund.
                    funding: Funding::Llo,
                });
            }
        }
    }
    out.retain(|c| c.received <= ctx.as_of);
    out.sort_by_key(|c| c.date);
    out
}
