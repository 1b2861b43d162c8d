//! Encounters of one patient: hospital stays (with the emergency visit before most unplanned
//! admissions, readmissions and transfers), stand-alone emergency visits and polyclinic visits.

use super::Ctx;
use super::draw::{add_days, chance, days, exp_days, patient_rng, uniform};
use super::network::HOSPITAL;
use super::patient::{Engagement, Fate, Patient};
use crate::domain::money::Money;
use crate::domain::types::{Disposition, EncounterClass};
use chrono::{Datelike, NaiveDate, Weekday};

/// An encounter before it gets its id.
pub(super) struct Enc {
    /// Setting.
    pub class: EncounterClass,
    /// Start date.
    pub day: NaiveDate,
    /// Start time, minutes after midnight.
    pub minute: u32,
    /// End date and time; `None` while the patient is still in hospital at the as-of date.
    pub end: Option<(NaiveDate, u32)>,
    /// Where it took place.
    pub org: &'static str,
    /// Planned (elective) admission.
    pub planned: bool,
    /// How a stay ended.
    pub disposition: Option<Disposition>,
    /// What it cost the fund.
    pub cost: Money,
}

/// All encounters of a patient, in start order.
pub(super) fn encounters(p: &Patient, ctx: &Ctx, rng: &mut fastrand::Rng) -> Vec<Enc> {
    let mut out = Vec::new();
    stays(p, ctx, rng, &mut out);
    emergencies(p, ctx, rng, &mut out);
    visits(p, ctx, rng, &mut out);
    // Courses from a stream of their own, so that adding them left every other draw as it was.
    let mut courses = patient_rng(ctx.seed ^ DAY_HOSPITAL_STREAM, p.index);
    day_hospital(p, ctx, &mut courses, &mut out);
    out.sort_by_key(|e| (e.day, e.minute));
    out
}

/// Mixed into the seed of the day-hospital stream.
const DAY_HOSPITAL_STREAM: u64 = 0xDA7_405B;

/// Day-hospital courses a year (дневной стационар): a sample assumption, not a published norm.
/// Diabetic patients are treated there for a planned course (insulin start or titration,
/// infusions for diabetic neuropathy, blood pressure), more often with kidney disease or poor
/// control.
fn day_hospital_rate(p: &Patient) -> f64 {
    0.06 + if p.conditions.ckd { 0.03 } else { 0.0 }
        + if p.physiology.poor_control { 0.04 } else { 0.0 }
}

/// Day-hospital courses (Federal Law No. 323-FZ, art. 32 part 3: care in the daytime not needing
/// round-the-clock observation): planned, 5–10 days, at the patient's polyclinic, or at the
/// district hospital for its patients; 18 000–32 000 ₽ a course (the order of the per-case cost
/// in the territorial programmes of state guarantees, e.g. Karelia 2025–2027: 28 979 ₽ for a
/// specialised day-hospital case in 2025). Only while the patient comes for routine care, never
/// during a hospital stay.
fn day_hospital(p: &Patient, ctx: &Ctx, rng: &mut fastrand::Rng, out: &mut Vec<Enc>) {
    let rate = day_hospital_rate(p);
    let mut day = add_days(p.start, exp_days(rng, rate));
    while day <= p.activity_end {
        day = match day.weekday() {
            Weekday::Sat => add_days(day, 2),
            Weekday::Sun => add_days(day, 1),
            _ => day,
        };
        let end = add_days(day, days(rng, 4, 9));
        let cost = price(rng, ctx, end.year(), 18_000.0, 32_000.0);
        if end <= p.activity_end && end < ctx.as_of && !in_stay(out, day) && !in_stay(out, end) {
            let start = 8 * 60 + 10 * rng.u32(0..=12);
            out.push(Enc {
                class: EncounterClass::DayHospital,
                day,
                minute: start,
                end: Some((end, 13 * 60 + 10 * rng.u32(0..=24))),
                org: p.site.id,
                planned: true,
                disposition: None,
                cost,
            });
        }
        day = add_days(end, exp_days(rng, rate));
    }
}

/// True when `day` falls inside one of the inpatient stays already generated.
fn in_stay(out: &[Enc], day: NaiveDate) -> bool {
    out.iter().any(|e| {
        e.class == EncounterClass::Inpatient
            && e.day <= day
            && e.end.is_none_or(|(end, _)| day <= end)
    })
}

/// Money for a price range in roubles, inflated by the year's price index and kept inside the range.
fn price(rng: &mut fastrand::Rng, ctx: &Ctx, year: i32, lo: f64, hi: f64) -> Money {
    let base = uniform(rng, lo, hi * 0.93) * ctx.price_index(year);
    Money::from_f64_rounded(base.clamp(lo, hi))
}

/// Length of stay in days: some same-day stays, mostly 2–14, a few long ones.
fn length_of_stay(rng: &mut fastrand::Rng, planned: bool) -> i64 {
    if planned {
        return days(rng, 3, 10);
    }
    match rng.u32(..100) {
        0..6 => 0,
        6..11 => 1,
        11..93 => 2 + (12.0 * rng.f64().powf(1.6)) as i64,
        _ => days(rng, 14, 30),
    }
}

/// The hospital a patient is admitted to: the regional hospital, or the district hospital of
/// patients living in a district.
fn admitting_org(p: &Patient, rng: &mut fastrand::Rng) -> &'static str {
    if p.site.district_hospital && chance(rng, 0.35) {
        p.site.id
    } else {
        HOSPITAL
    }
}

/// Inpatient stays with their preceding emergency visits.
fn stays(p: &Patient, ctx: &Ctx, rng: &mut fastrand::Rng, out: &mut Vec<Enc>) {
    let final_stay = match p.fate {
        Fate::Died(date, true) => Some((date, days(rng, 1, 12))),
        _ => None,
    };
    let hard_end = match final_stay {
        Some((death, los)) => add_days(death, -los - 1),
        None => p.care_end,
    };
    let can_stay_open = final_stay.is_none() && hard_end == ctx.as_of;
    let c = &p.conditions;
    let p_readmit =
        0.125 + if c.heart_failure { 0.06 } else { 0.0 } + if c.ckd { 0.03 } else { 0.0 };

    let mut day = add_days(p.start, exp_days(rng, p.admission_rate));
    while day <= hard_end {
        if !chance(rng, ctx.hospital_factor(day.year())) {
            day = add_days(day, exp_days(rng, p.admission_rate));
            continue;
        }
        let mut admit = day;
        let mut planned = chance(rng, 0.08);
        let mut org = admitting_org(p, rng);
        let mut transferred = false;
        let mut last_end;
        loop {
            let los = length_of_stay(rng, planned);
            let mut discharge = add_days(admit, los);
            let open = discharge > hard_end && can_stay_open;
            if discharge > hard_end && !open {
                discharge = hard_end.max(admit);
            }
            let start_minute = admission_time(ctx, rng, admit, planned || transferred, org, out);
            let end = (!open).then(|| {
                (
                    discharge,
                    discharge_time(rng, admit == discharge, start_minute),
                )
            });
            let transfer = !open
                && discharge < hard_end
                && p.site.district_hospital
                && chance(rng, if org == HOSPITAL { 0.04 } else { 0.25 });
            let disposition = if open {
                None
            } else if transfer {
                Some(Disposition::TransferAcute)
            } else {
                Some(match rng.u32(..100) {
                    0..92 => Disposition::Home,
                    92..96 => Disposition::AgainstMedicalAdvice,
                    _ => Disposition::Other,
                })
            };
            let cost = if open {
                Money::ZERO
            } else {
                stay_cost(rng, ctx, los, discharge.year())
            };
            out.push(Enc {
                class: EncounterClass::Inpatient,
                day: admit,
                minute: start_minute,
                end,
                org,
                planned,
                disposition,
                cost,
            });
            last_end = discharge;
            if open {
                break;
            }
            if transfer {
                admit = discharge;
                org = if org == HOSPITAL { p.site.id } else { HOSPITAL };
                planned = false;
                transferred = true;
                continue;
            }
            if chance(rng, p_readmit) {
                admit = add_days(discharge, 1 + (29.0 * rng.f64().powf(1.3)) as i64);
                if admit > hard_end {
                    break;
                }
                planned = false;
                transferred = false;
                org = admitting_org(p, rng);
                continue;
            }
            break;
        }
        day = add_days(last_end, exp_days(rng, p.admission_rate));
    }

    if let Some((death, los)) = final_stay {
        let admit = add_days(death, -los);
        let org = admitting_org(p, rng);
        let minute = admission_time(ctx, rng, admit, false, org, out);
        out.push(Enc {
            class: EncounterClass::Inpatient,
            day: admit,
            minute,
            end: Some((death, discharge_time(rng, los == 0, minute))),
            org,
            planned: false,
            disposition: Some(Disposition::Died),
            cost: stay_cost(rng, ctx, los, death.year()),
        });
    }
}

/// The admission time; unplanned admissions to the regional hospital mostly come through its
/// emergency department, whose visit is added to `out` first.
fn admission_time(
    ctx: &Ctx,
    rng: &mut fastrand::Rng,
    day: NaiveDate,
    planned_or_transfer: bool,
    org: &'static str,
    out: &mut Vec<Enc>,
) -> u32 {
    if planned_or_transfer {
        return rng.u32(9 * 60..12 * 60);
    }
    if org == HOSPITAL && chance(rng, 0.85) {
        let er_start = rng.u32(0..19 * 60);
        let er_end = er_start + rng.u32(60..240);
        out.push(Enc {
            class: EncounterClass::Emergency,
            day,
            minute: er_start,
            end: Some((day, er_end)),
            org: HOSPITAL,
            planned: false,
            disposition: None,
            cost: price(rng, ctx, day.year(), 3000.0, 9000.0),
        });
        return (er_end + rng.u32(5..40)).min(23 * 60 + 50);
    }
    rng.u32(0..23 * 60)
}

/// The discharge time: late morning to afternoon, after the admission on same-day stays.
fn discharge_time(rng: &mut fastrand::Rng, same_day: bool, start: u32) -> u32 {
    if same_day {
        (start + rng.u32(120..480)).min(23 * 60 + 55)
    } else {
        rng.u32(10 * 60..16 * 60)
    }
}

/// The cost of a stay: grows with its length, 35 000–180 000 ₽.
fn stay_cost(rng: &mut fastrand::Rng, ctx: &Ctx, los: i64, year: i32) -> Money {
    let base = (30_000.0 + 8_500.0 * los as f64) * uniform(rng, 0.85, 1.15);
    let roubles = (base * ctx.price_index(year)).clamp(35_000.0, 180_000.0);
    Money::from_f64_rounded(roubles)
}

/// Emergency visits that did not lead to an admission.
fn emergencies(p: &Patient, ctx: &Ctx, rng: &mut fastrand::Rng, out: &mut Vec<Enc>) {
    let c = &p.conditions;
    let rate = 0.15
        + if c.heart_failure { 0.2 } else { 0.0 }
        + if c.copd { 0.05 } else { 0.0 }
        + if p.age >= 80 { 0.1 } else { 0.0 };
    let mut day = add_days(p.start, exp_days(rng, rate));
    while day <= p.care_end {
        if chance(rng, ctx.emergency_factor(day.year())) && !in_stay(out, day) {
            let start = rng.u32(0..22 * 60);
            out.push(Enc {
                class: EncounterClass::Emergency,
                day,
                minute: start,
                end: Some((day, (start + rng.u32(60..300)).min(23 * 60 + 59))),
                org: HOSPITAL,
                planned: false,
                disposition: None,
                cost: price(rng, ctx, day.year(), 3000.0, 9000.0),
            });
        }
        day = add_days(day, exp_days(rng, rate));
    }
}

/// Polyclinic visits (a few at home or by video) on the patient's own schedule.
fn visits(p: &Patient, ctx: &Ctx, rng: &mut fastrand::Rng, out: &mut Vec<Enc>) {
    let (lo, hi) = match p.engagement {
        Engagement::Engaged if p.site.lagging => (120, 230),
        Engagement::Engaged => (100, 190),
        Engagement::Irregular => (160, 360),
        Engagement::Lost => (90, 200),
    };
    let mut day = add_days(p.start, days(rng, 0, hi));
    while day <= p.activity_end {
        day = match day.weekday() {
            Weekday::Sat => add_days(day, 2),
            Weekday::Sun => add_days(day, 1),
            _ => day,
        };
        if day > p.activity_end {
            break;
        }
        if in_stay(out, day) {
            day = add_days(day, days(rng, 3, 10));
            continue;
        }
        let home_share = if p.age >= 80 { 0.12 } else { 0.02 };
        let r = rng.f64();
        let (class, lo_cost, hi_cost) = if r < home_share {
            (EncounterClass::Home, 2500.0, 3500.0)
        } else if r < home_share + 0.03 {
            (EncounterClass::Virtual, 1500.0, 2000.0)
        } else {
            (EncounterClass::Outpatient, 1500.0, 3500.0)
        };
        let start = 8 * 60 + 10 * rng.u32(0..=56);
        out.push(Enc {
            class,
            day,
            minute: start,
            end: Some((day, start + 5 * rng.u32(3..=8))),
            org: p.site.id,
            planned: false,
            disposition: None,
            cost: price(rng, ctx, day.year(), lo_cost, hi_cost),
        });
        day = add_days(day, days(rng, lo, hi));
    }
}
