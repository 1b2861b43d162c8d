//! One patient of the sample register: demographics, identifiers, care team, engagement and the
//! dates that bound everything generated for them (enrolment, death or move, lost to follow-up).

use super::Ctx;
use super::conditions::Conditions;
use super::draw::{add_days, between, chance, days, pick, weighted};
use super::ids::{mobile, policy_number, snils};
use super::names;
use super::network::{SITES, Site, site_weights};
use super::observations::Physiology;
use super::places;
use crate::domain::types::{PatientStatus, Sex};
use crate::store::records::PatientRow;
use chrono::{Datelike, NaiveDate, Weekday};

/// The kind of diabetes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum DmType {
    /// E10.
    Type1,
    /// E11.
    Type2,
    /// E13.
    OtherSpecified,
    /// E14.
    Unspecified,
}

/// How regularly a patient comes to the polyclinic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Engagement {
    /// Visits every 1.5–4 months, HbA1c every 3–6 months.
    Engaged,
    /// Visits a few times a year, HbA1c once or twice a year.
    Irregular,
    /// Stopped coming more than a year ago.
    Lost,
}

/// How the patient leaves the register, if they do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Fate {
    /// Still followed at the as-of date.
    Active,
    /// Died on this date (in hospital or not).
    Died(NaiveDate, bool),
    /// Moved away on this date.
    Moved(NaiveDate),
}

/// Everything the generators need to know about one patient.
pub(super) struct Patient {
    /// The patient's number (1-based), which seeds streams of its own (day-hospital courses).
    pub index: u64,
    /// `P000001`…
    pub id: String,
    /// Sex is female.
    pub female: bool,
    /// Diabetes type.
    pub dm: DmType,
    /// Age in whole years at the as-of date.
    pub age: i32,
    /// Birth date.
    pub birth: NaiveDate,
    /// Diabetes onset (inside the current year for new enrolments).
    pub onset: NaiveDate,
    /// First day events are generated for (window start, or onset for new enrolments).
    pub start: NaiveDate,
    /// Last day of routine activity: before `end` for patients lost to follow-up or who missed
    /// their last appointment.
    pub activity_end: NaiveDate,
    /// Last day of acute care (hospital stays, emergency visits) and of subsidised drugs: the
    /// patient's end, or the end of routine activity for patients lost to follow-up. A missed
    /// polyclinic appointment does not stop it: a patient who did not come to a visit is still
    /// admitted when ill, and the last prescription (valid up to 90 days) is still dispensed.
    /// Ending all care at the missed visit made the generated spend fall over the months before
    /// the as-of date, a trend no claims-lag method can see coming (#19).
    pub care_end: NaiveDate,
    /// The missed appointment, for patients who did not come to their last scheduled visit.
    pub missed_appointment: Option<NaiveDate>,
    /// Death or move.
    pub fate: Fate,
    /// Home polyclinic.
    pub site: &'static Site,
    /// The nurse who makes the calls (the assigned one, else the site's first nurse).
    pub caller: &'static str,
    /// Has at least one phone number.
    pub has_phone: bool,
    /// The phone on record is wrong: every call ends with `invalid_number`.
    pub bad_number: bool,
    /// How regularly the patient comes.
    pub engagement: Engagement,
    /// Diabetes and comorbidities.
    pub conditions: Conditions,
    /// Personal means of the measured values.
    pub physiology: Physiology,
    /// Expected unplanned hospital admissions per year.
    pub admission_rate: f64,
    /// Receives subsidised drugs every month; the personal monthly amount in roubles.
    pub drug_roubles: Option<f64>,
    row: PatientRow,
}

impl Patient {
    /// Draws patient number `index` (1-based).
    pub(super) fn draw(rng: &mut fastrand::Rng, index: u64, ctx: &Ctx) -> Patient {
        let id = format!("P{index:06}");
        let female = chance(rng, 0.55);
        let dm = match weighted(rng, &[900, 80, 12, 8]) {
            0 => DmType::Type2,
            1 => DmType::Type1,
            2 => DmType::OtherSpecified,
            _ => DmType::Unspecified,
        };
        let age = draw_age(rng, dm);
        let anchor = NaiveDate::from_ymd_opt(
            ctx.as_of.year() - age,
            ctx.as_of.month(),
            ctx.as_of.day().min(28),
        )
        .unwrap_or(ctx.as_of);
        let birth = add_days(anchor, -days(rng, 0, 364));
        let site = &SITES[weighted(rng, &site_weights())];
        let name = names::draw(rng, female, birth.year());
        let conditions = Conditions::draw(rng, age, female, dm);

        // Enrolment: most were diagnosed years before the window, a few during the current year.
        let year_days = between(ctx.year_start, ctx.as_of);
        let new_enrolment = year_days > 30 && chance(rng, 0.04);
        let onset = if new_enrolment {
            add_days(ctx.year_start, days(rng, 0, year_days - 14))
        } else {
            let earliest = add_days(birth, 365 * if dm == DmType::Type1 { 6 } else { 28 });
            let latest = add_days(ctx.window_start, -30);
            let span = between(earliest, latest).clamp(0, 365 * 20);
            add_days(latest, -days(rng, 0, span))
        };
        let start = if new_enrolment {
            onset
        } else {
            ctx.window_start
        };

        // Life histories are drawn up to the start of the as-of month, so the pilots generated
        // on different days of one month share their past (#19: the projection is compared
        // across as-of days); care continues up to the as-of date itself.
        let month_start = ctx.as_of.with_day(1).unwrap_or(ctx.as_of);
        let fate = draw_fate(rng, age, &conditions, start, month_start);
        let end = match fate {
            Fate::Active => ctx.as_of,
            Fate::Died(d, _) | Fate::Moved(d) => d,
        };
        let lagging = site.lagging;
        let engagement = match weighted(
            rng,
            if lagging {
                &[47, 35, 18]
            } else {
                &[655, 290, 55]
            },
        ) {
            0 => Engagement::Engaged,
            1 => Engagement::Irregular,
            _ => Engagement::Lost,
        };
        let mut activity_end = end;
        if engagement == Engagement::Lost {
            activity_end = activity_end.min(add_days(month_start, -365 - days(rng, 1, 500)));
        }
        let care_end = activity_end;
        let missed_appointment = if fate == Fate::Active {
            let p = match engagement {
                Engagement::Lost => 0.3,
                _ if lagging => 0.2,
                _ => 0.12,
            };
            chance(rng, p).then(|| {
                let d = add_days(ctx.as_of, -days(rng, 3, 88));
                match d.weekday() {
                    Weekday::Sat => add_days(d, -1),
                    Weekday::Sun => add_days(d, -2),
                    _ => d,
                }
            })
        } else {
            None
        };
        let missed_appointment = missed_appointment.filter(|d| *d > start);
        if let Some(missed) = missed_appointment {
            activity_end = activity_end.min(add_days(missed, -1));
        }

        let nurse = chance(rng, 0.97).then(|| *pick(rng, site.nurses));
        let caller = nurse.unwrap_or(site.nurses.first().copied().unwrap_or("N01"));
        let has_phone = chance(rng, 0.92);
        let phone = has_phone.then(|| mobile(rng));
        let phone2 = (has_phone && chance(rng, 0.22)).then(|| mobile(rng));
        let bad_number = has_phone && chance(rng, 0.05);
        let in_town = rng.u32(..100) < site.town_share;
        let locality = if in_town {
            site.town
        } else {
            *pick(rng, site.villages)
        };
        let address = places::address(rng, in_town);

        let physiology = Physiology::draw(rng, female, dm, &conditions, engagement, lagging);
        let admission_rate = admission_rate(age, dm, &conditions, physiology.poor_control);
        let on_drugs = chance(rng, if dm == DmType::Type1 { 0.9 } else { 0.52 });
        let drug_roubles = on_drugs.then(|| rng.f64() * 2800.0 + 800.0);

        let (status, death_date, moved_on) = match fate {
            Fate::Active => (PatientStatus::Active, None, None),
            Fate::Died(d, _) => (PatientStatus::Dead, Some(d), None),
            Fate::Moved(d) => (PatientStatus::Moved, None, Some(d)),
        };
        let row = PatientRow {
            id: id.clone(),
            policy_number: Some(policy_number(index, ctx.seed)),
            snils: chance(rng, 0.99).then(|| snils(index, ctx.seed)),
            family_name: name.family,
            given_name: name.given.to_string(),
            patronymic: name.patronymic.to_string(),
            sex: if female { Sex::Female } else { Sex::Male },
            birth_date: birth,
            death_date,
            phone,
            phone2,
            locality: locality.to_string(),
            address,
            site_id: Some(site.id.to_string()),
            nurse_id: nurse.map(str::to_string),
            status,
            moved_on,
            palliative_since: None,
        };
        Patient {
            index,
            id,
            female,
            dm,
            age,
            birth,
            onset,
            start,
            activity_end,
            care_end,
            missed_appointment,
            fate,
            site,
            caller,
            has_phone,
            bad_number,
            engagement,
            conditions,
            physiology,
            admission_rate,
            drug_roubles,
            row,
        }
    }

    /// The row of `patients.csv`.
    pub(super) fn row(&self) -> &PatientRow {
        &self.row
    }
}

/// Age at the as-of date: type 1 from 16 to 40, type 2 mostly 45–85 peaking in the mid-sixties.
fn draw_age(rng: &mut fastrand::Rng, dm: DmType) -> i32 {
    if dm == DmType::Type1 {
        return rng.i32(16..=40);
    }
    match rng.u32(..100) {
        0..5 => rng.i32(32..=44),
        5..95 => 45 + ((rng.f64() + rng.f64()) / 2.0 * 41.0) as i32,
        _ => rng.i32(86..=93),
    }
}

/// Death (about 2.5 % over the window, more among the old and the sick) or a move (about 2 %).
fn draw_fate(
    rng: &mut fastrand::Rng,
    age: i32,
    c: &Conditions,
    start: NaiveDate,
    as_of: NaiveDate,
) -> Fate {
    let mut p_die = 0.014;
    if age >= 75 {
        p_die += 0.02;
    }
    if age >= 85 {
        p_die += 0.03;
    }
    for (has, extra) in [
        (c.heart_failure, 0.03),
        (c.ckd, 0.01),
        (c.cancer, 0.04),
        (c.dementia, 0.02),
    ] {
        if has {
            p_die += extra;
        }
    }
    let p_move = if age < 60 {
        0.027
    } else if age >= 80 {
        0.01
    } else {
        0.018
    };
    let span = between(add_days(start, 30), add_days(as_of, -1));
    if span < 0 {
        return Fate::Active;
    }
    let r = rng.f64();
    let date = add_days(start, 30 + days(rng, 0, span));
    if r < p_die {
        Fate::Died(date, chance(rng, 0.4))
    } else if r < p_die + p_move {
        Fate::Moved(date)
    } else {
        Fate::Active
    }
}

/// Expected unplanned admissions a year, from age and comorbidities.
fn admission_rate(age: i32, dm: DmType, c: &Conditions, poor_control: bool) -> f64 {
    let mut rate = 0.16;
    for (has, extra) in [
        (age >= 75, 0.1),
        (dm == DmType::Type1, 0.06),
        (c.heart_failure, 0.45),
        (c.ckd, 0.16),
        (c.ihd, 0.1),
        (c.copd, 0.15),
        (c.cancer, 0.25),
        (c.dementia, 0.12),
        (poor_control, 0.08),
    ] {
        if has {
            rate += extra;
        }
    }
    rate
}
