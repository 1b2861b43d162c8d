//! Measured values: each patient's personal HbA1c, blood-pressure and weight levels, HbA1c tests
//! on the patient's own schedule, vital signs taken at polyclinic visits, and the yearly
//! laboratory panel the guidelines ask for (creatinine, LDL, fasting glucose, urine albumin).

use super::Ctx;
use super::care::Enc;
use super::conditions::Conditions;
use super::draw::{add_days, chance, days, normal, patient_rng, round1};
use super::network::DIAGNOSTIC;
use super::patient::{DmType, Engagement, Patient};
use crate::domain::types::{EncounterClass, ObservationKind};
use chrono::{Datelike, NaiveDate};

/// A patient's personal levels, around which measurements scatter.
pub(super) struct Physiology {
    /// HbA1c runs high (the poorly controlled group).
    pub poor_control: bool,
    hba1c: f64,
    /// HbA1c tests stop half a year or more before the as-of date.
    overdue: bool,
    systolic: f64,
    diastolic: f64,
    weight: f64,
}

impl Physiology {
    /// Draws the levels: HbA1c from a two-group mixture (population mean about 8 %, three in ten
    /// poorly controlled), blood pressure around 140/85, a few with very high pressure.
    pub(super) fn draw(
        rng: &mut fastrand::Rng,
        female: bool,
        dm: DmType,
        c: &Conditions,
        engagement: Engagement,
        lagging: bool,
    ) -> Physiology {
        let mut p_poor = 0.31;
        if lagging {
            p_poor += 0.12;
        }
        p_poor += match engagement {
            Engagement::Engaged => -0.03,
            Engagement::Irregular => 0.07,
            Engagement::Lost => 0.12,
        };
        if dm == DmType::Type1 {
            p_poor += 0.08;
        }
        let poor_control = chance(rng, p_poor);
        let hba1c = if poor_control {
            normal(rng, 10.2, 1.2)
        } else {
            normal(rng, 7.1, 0.75)
        };
        let overdue = match engagement {
            Engagement::Engaged => chance(rng, if lagging { 0.3 } else { 0.1 }),
            Engagement::Irregular => chance(rng, 0.15),
            Engagement::Lost => false,
        };
        let (systolic, diastolic) = if chance(rng, 0.025) {
            (normal(rng, 188.0, 6.0), normal(rng, 108.0, 5.0))
        } else if c.hypertension {
            let s = normal(rng, 143.0, 11.0);
            (s, 86.0 + 0.4 * (s - 143.0) + normal(rng, 0.0, 5.0))
        } else {
            (normal(rng, 128.0, 9.0), normal(rng, 79.0, 6.0))
        };
        let male = if female { 0.0 } else { 10.0 };
        let weight = if dm == DmType::Type1 {
            normal(rng, 68.0 + male, 11.0)
        } else {
            normal(rng, 84.0 + male, 15.0)
        };
        Physiology {
            poor_control,
            hba1c: hba1c.clamp(5.6, 14.5),
            overdue,
            systolic,
            diastolic,
            weight: weight.clamp(42.0, 180.0),
        }
    }
}

/// A measurement before it gets its id.
pub(super) struct Obs {
    /// Date taken.
    pub date: NaiveDate,
    /// What was measured.
    pub kind: ObservationKind,
    /// Value in the kind's canonical unit, already rounded.
    pub value: f64,
    /// Where it was taken.
    pub site: &'static str,
}

/// All measurements of a patient, in date order (blood-pressure pairs stay together).
pub(super) fn observations(
    p: &Patient,
    encs: &[Enc],
    ctx: &Ctx,
    rng: &mut fastrand::Rng,
) -> Vec<Obs> {
    let mut out = Vec::new();
    hba1c_tests(p, ctx, rng, &mut out);
    let ph = &p.physiology;
    for e in encs {
        let at_home = match e.class {
            EncounterClass::Outpatient => false,
            EncounterClass::Home => true,
            _ => continue,
        };
        let site = p.site.id;
        if chance(rng, if at_home { 0.7 } else { 0.4 }) {
            let readings = if chance(rng, 0.06) { 2 } else { 1 };
            for i in 0..readings {
                let calmer = 6.0 * f64::from(i);
                let s = normal(rng, ph.systolic - calmer, 9.0)
                    .clamp(85.0, 240.0)
                    .round();
                let d = normal(rng, ph.diastolic - calmer / 2.0, 6.0)
                    .clamp(45.0, 140.0)
                    .round();
                out.push(Obs {
                    date: e.day,
                    kind: ObservationKind::Systolic,
                    value: s,
                    site,
                });
                out.push(Obs {
                    date: e.day,
                    kind: ObservationKind::Diastolic,
                    value: d.min(s - 15.0),
                    site,
                });
            }
        }
        if chance(rng, 0.15) {
            let w = round1(normal(rng, ph.weight, 1.2));
            out.push(Obs {
                date: e.day,
                kind: ObservationKind::Weight,
                value: w,
                site,
            });
        }
        if chance(rng, 0.05) {
            let g = normal(rng, 1.59 * ph.hba1c - 2.59, 1.3).clamp(3.0, 30.0);
            out.push(Obs {
                date: e.day,
                kind: ObservationKind::Glucose,
                value: round1(g),
                site,
            });
        }
    }
    // A stream of its own, so the panel leaves every other draw of the sample as it was.
    lab_panels(
        p,
        ctx,
        &mut patient_rng(ctx.seed ^ LAB_STREAM, p.index),
        &mut out,
    );
    out.sort_by_key(|o| o.date);
    out
}

/// Mixed into the seed of the laboratory panels' stream.
const LAB_STREAM: u64 = 0x1AB_5EED;

/// The laboratory panel the Russian diabetes algorithms (11th edition, 2023) ask for at least once
/// a year: creatinine (eGFR), the lipid profile (LDL), fasting glucose and the urine
/// albumin/creatinine ratio. A sample assumption, not a published rate: engaged patients have it
/// every 11–15 months, irregular ones every 16–25, lost ones until they stop coming; some never
/// have one in the window (more at lagging sites), so the worklist's kidney check has work.
/// Within a panel creatinine is always measured, LDL in 80 %, fasting glucose in 60 % and the
/// urine ratio in 35 % (albuminuria screening is the least done). Values scatter around the
/// patient's own levels: creatinine about 72 (women) or 90 (men) µmol/L, about doubled with
/// chronic kidney disease; UACR mostly A1, A2–A3 with kidney disease or poor control; LDL about
/// 3.0 mmol/L; fasting glucose below the mean glucose of the patient's HbA1c.
fn lab_panels(p: &Patient, ctx: &Ctx, rng: &mut fastrand::Rng, out: &mut Vec<Obs>) {
    let never = match p.engagement {
        Engagement::Engaged => 0.06,
        Engagement::Irregular => 0.2,
        Engagement::Lost => 0.35,
    } + if p.site.lagging { 0.1 } else { 0.0 };
    if chance(rng, never) {
        return;
    }
    let (lo, hi) = match p.engagement {
        Engagement::Engaged => (330, 450),
        Engagement::Irregular | Engagement::Lost => (480, 760),
    };
    let ph = &p.physiology;
    let ckd = p.conditions.ckd;
    let creatinine = if p.female {
        normal(rng, 72.0, 11.0)
    } else {
        normal(rng, 90.0, 13.0)
    } * if ckd {
        normal(rng, 1.9, 0.5).max(1.3)
    } else {
        1.0
    };
    let uacr_log = if ckd {
        normal(rng, 2.3, 1.1)
    } else if ph.poor_control {
        normal(rng, 0.6, 1.0)
    } else {
        normal(rng, 0.0, 0.9)
    };
    let ldl = normal(rng, 3.0, 0.9).clamp(1.0, 7.0);
    let mut day = add_days(p.start, days(rng, 0, hi));
    let last = p.activity_end.min(ctx.as_of);
    while day <= last {
        let site = if chance(rng, 0.5) {
            DIAGNOSTIC
        } else {
            p.site.id
        };
        let mut push = |kind, value: f64| {
            out.push(Obs {
                date: day,
                kind,
                value,
                site,
            })
        };
        let c = normal(rng, creatinine, creatinine * 0.06).clamp(35.0, 900.0);
        push(ObservationKind::Creatinine, c.round());
        if chance(rng, 0.8) {
            let v = normal(rng, ldl, 0.35).clamp(0.6, 8.0);
            push(ObservationKind::Ldl, round1(v));
        }
        if chance(rng, 0.6) {
            let g = normal(rng, 1.59 * ph.hba1c - 3.9, 0.9).clamp(3.5, 25.0);
            push(ObservationKind::FastingGlucose, round1(g));
        }
        if chance(rng, 0.35) {
            let v = normal(rng, uacr_log, 0.3).clamp(-1.5, 6.0).exp();
            push(ObservationKind::Uacr, round1(v));
        }
        day = add_days(day, days(rng, lo, hi));
    }
}

/// HbA1c tests every 3–6 months for engaged patients, less often for the others; overdue patients
/// had their last test more than half a year before the as-of date.
fn hba1c_tests(p: &Patient, ctx: &Ctx, rng: &mut fastrand::Rng, out: &mut Vec<Obs>) {
    let ph = &p.physiology;
    let (lo, hi) = match p.engagement {
        Engagement::Engaged if p.site.lagging => (120, 240),
        Engagement::Engaged => (90, 180),
        Engagement::Irregular => (180, 540),
        Engagement::Lost => (120, 360),
    };
    let mut last = p.activity_end;
    if ph.overdue {
        last = last.min(add_days(ctx.as_of, -days(rng, 181, 300)));
    }
    let new_enrolment = p.start == p.onset;
    let mut day = if new_enrolment {
        add_days(p.onset, days(rng, 0, 14))
    } else {
        add_days(p.start, days(rng, 0, hi))
    };
    let mut first = true;
    let diag_share = if p.site.lagging { 0.3 } else { 0.6 };
    while day <= last {
        let mut mean = ph.hba1c;
        if day.year() == ctx.year && p.engagement == Engagement::Engaged {
            mean -= 0.25;
        }
        if first && new_enrolment {
            mean += 1.0;
        }
        let value = round1(normal(rng, mean, 0.45).clamp(4.5, 16.0));
        let site = if chance(rng, diag_share) {
            DIAGNOSTIC
        } else {
            p.site.id
        };
        out.push(Obs {
            date: day,
            kind: ObservationKind::Hba1c,
            value,
            site,
        });
        first = false;
        day = add_days(day, days(rng, lo, hi));
    }
}
