//! The card's latest results against the target (#20 item 7): the last three HbA1c and blood
//! pressure values, each judged by the pilot's one definition of control
//! ([`crate::domain::indicators::hba1c_controlled`], [`crate::domain::indicators::bp_controlled`])
//! and by the worklist's alarm thresholds ([`Thresholds::hba1c_poor_control_pct`] as CMS122
//! compares it, [`Thresholds::bp_is_urgent`]).

use crate::domain::indicators::{bp_controlled, hba1c_controlled, is_poor_control};
use crate::domain::kidney::{AlbuminuriaCategory, GfrCategory, KidneyFunction, kidney_function};
use crate::domain::types::Sex;
use crate::domain::worklist::Thresholds;
use chrono::NaiveDate;
use serde::Serialize;

/// The latest creatinine, urine albumin/creatinine ratio, LDL and fasting glucose, each with its
/// date, in the register's units (µmol/L, mg/mmol, mmol/L, mmol/L); `None` when never measured.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct LatestLabs {
    /// Serum creatinine, µmol/L.
    pub creatinine: Option<(NaiveDate, f64)>,
    /// Urine albumin/creatinine ratio, mg/mmol.
    pub uacr: Option<(NaiveDate, f64)>,
    /// LDL cholesterol, mmol/L.
    pub ldl: Option<(NaiveDate, f64)>,
    /// Fasting plasma glucose, mmol/L.
    pub fasting_glucose: Option<(NaiveDate, f64)>,
}

/// One line item of the card's other measurements.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LabItem {
    /// Creatinine (µmol/L) with the eGFR and category it gives on its day.
    Kidney(KidneyFunction),
    /// Urine albumin/creatinine ratio (mg/mmol) with its albuminuria category.
    Uacr(NaiveDate, f64, AlbuminuriaCategory),
    /// LDL cholesterol, mmol/L.
    Ldl(NaiveDate, f64),
    /// Fasting plasma glucose, mmol/L.
    FastingGlucose(NaiveDate, f64),
}

impl LabItem {
    /// The verdict the card colours the item by: eGFR and UACR by their KDIGO categories
    /// ([`egfr_verdict`], [`uacr_verdict`]); LDL and fasting glucose are shown without one (their
    /// targets depend on the patient's cardiovascular risk, which the register does not grade).
    pub fn verdict(&self) -> Verdict {
        match self {
            LabItem::Kidney(k) => k.category.map_or(Verdict::InTarget, egfr_verdict),
            LabItem::Uacr(_, _, a) => uacr_verdict(*a),
            LabItem::Ldl(..) | LabItem::FastingGlucose(..) => Verdict::InTarget,
        }
    }
}

/// The card's other measurements in the order it shows them: kidney function (creatinine with
/// its eGFR for a patient born on `birth` of `sex`), UACR, LDL, fasting glucose; `None` for a
/// measurement never taken.
pub fn lab_items(labs: &LatestLabs, birth: Option<NaiveDate>, sex: Sex) -> [Option<LabItem>; 4] {
    [
        labs.creatinine
            .map(|(d, v)| LabItem::Kidney(kidney_function(d, v, birth, sex))),
        labs.uacr
            .map(|(d, v)| LabItem::Uacr(d, v, AlbuminuriaCategory::of(v))),
        labs.ldl.map(|(d, v)| LabItem::Ldl(d, v)),
        labs.fasting_glucose
            .map(|(d, v)| LabItem::FastingGlucose(d, v)),
    ]
}

/// How many of the latest values the card shows per measure.
pub const SHOWN: usize = 3;

/// A value against the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Controlled.
    InTarget,
    /// Not controlled, below the alarm threshold.
    AboveTarget,
    /// At the worklist's alarm: poor control (HbA1c) or urgent (BP).
    Alarm,
}

/// Judges an HbA1c result (%).
pub fn hba1c_verdict(percent: f64, t: &Thresholds) -> Verdict {
    if is_poor_control(percent, t.hba1c_poor_control_pct) {
        Verdict::Alarm
    } else if hba1c_controlled(percent) {
        Verdict::InTarget
    } else {
        Verdict::AboveTarget
    }
}

/// Judges a blood-pressure reading (mm Hg).
pub fn bp_verdict(systolic: f64, diastolic: f64, t: &Thresholds) -> Verdict {
    if t.bp_is_urgent(Some(systolic), Some(diastolic)) {
        Verdict::Alarm
    } else if bp_controlled(systolic, diastolic) {
        Verdict::InTarget
    } else {
        Verdict::AboveTarget
    }
}

/// Judges kidney function by its GFR category (KDIGO 2012): G1–G2 in range, G3a–G3b decreased
/// (`AboveTarget`: out of range, drawn ↓), G4–G5 severely decreased or failure (`Alarm`).
pub fn egfr_verdict(category: GfrCategory) -> Verdict {
    match category {
        GfrCategory::G1 | GfrCategory::G2 => Verdict::InTarget,
        GfrCategory::G3a | GfrCategory::G3b => Verdict::AboveTarget,
        GfrCategory::G4 | GfrCategory::G5 => Verdict::Alarm,
    }
}

/// Judges a urine albumin/creatinine ratio by its albuminuria category (KDIGO 2012): A1 in
/// range, A2 moderately increased (`AboveTarget`), A3 severely increased (`Alarm`).
pub fn uacr_verdict(category: AlbuminuriaCategory) -> Verdict {
    match category {
        AlbuminuriaCategory::A1 => Verdict::InTarget,
        AlbuminuriaCategory::A2 => Verdict::AboveTarget,
        AlbuminuriaCategory::A3 => Verdict::Alarm,
    }
}

/// The latest [`SHOWN`] HbA1c results, latest first, with their verdicts (`series`: oldest first,
/// as the card holds them).
pub fn latest_hba1c(series: &[(NaiveDate, f64)], t: &Thresholds) -> Vec<(NaiveDate, f64, Verdict)> {
    series
        .iter()
        .rev()
        .take(SHOWN)
        .map(|(d, v)| (*d, *v, hba1c_verdict(*v, t)))
        .collect()
}

/// The latest [`SHOWN`] BP readings, latest first, with their verdicts (`series`: oldest first).
pub fn latest_bp(
    series: &[(NaiveDate, f64, f64)],
    t: &Thresholds,
) -> Vec<(NaiveDate, f64, f64, Verdict)> {
    series
        .iter()
        .rev()
        .take(SHOWN)
        .map(|(d, s, di)| (*d, *s, *di, bp_verdict(*s, *di, t)))
        .collect()
}

/// How many readings the card's BP trend shows at most.
pub const TREND_READINGS: usize = 6;

/// How far back the card's BP trend reaches, in months.
pub const TREND_MONTHS: u32 = 12;

/// The card's BP trend (#21): the readings of the last [`TREND_MONTHS`] months up to `as_of`, at
/// most the latest [`TREND_READINGS`], oldest first, each against the programme's target, and the
/// change of the systolic from the first to the last.
#[derive(Debug, Clone, PartialEq)]
pub struct BpTrend {
    /// The target the readings are judged against (below both halves).
    pub target: crate::domain::program::BpLimit,
    /// (date, systolic, diastolic, below the target), oldest first.
    pub readings: Vec<(NaiveDate, f64, f64, bool)>,
    /// The last systolic minus the first (`None` with fewer than two readings).
    pub systolic_change: Option<f64>,
}

/// The BP trend of `series` (oldest first, as the card holds it) as of `as_of`.
pub fn bp_trend(
    series: &[(NaiveDate, f64, f64)],
    as_of: NaiveDate,
    target: crate::domain::program::BpLimit,
) -> BpTrend {
    let from = as_of
        .checked_sub_months(chrono::Months::new(TREND_MONTHS))
        .unwrap_or(NaiveDate::MIN);
    let recent: Vec<&(NaiveDate, f64, f64)> = series
        .iter()
        .filter(|(d, _, _)| *d > from && *d <= as_of)
        .collect();
    let skip = recent.len().saturating_sub(TREND_READINGS);
    let readings: Vec<(NaiveDate, f64, f64, bool)> = recent
        .into_iter()
        .skip(skip)
        .map(|(d, s, di)| (*d, *s, *di, *s < target.systolic && *di < target.diastolic))
        .collect();
    let systolic_change = match (readings.first(), readings.last()) {
        (Some(a), Some(b)) if readings.len() >= 2 => Some(b.1 - a.1),
        _ => None,
    };
    BpTrend {
        target,
        readings,
        systolic_change,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bp_trend_keeps_the_last_twelve_months_oldest_first() {
        let target = crate::domain::program::BpLimit {
            systolic: 140.0,
            diastolic: 90.0,
        };
        let series: Vec<(NaiveDate, f64, f64)> = (1..=9)
            .map(|m| (d(m, 1), 170.0 - f64::from(m) * 5.0, 95.0 - f64::from(m)))
            .collect();
        let old = [(NaiveDate::from_ymd_opt(2025, 1, 14).unwrap(), 190.0, 100.0)];
        let all: Vec<_> = old.iter().copied().chain(series).collect();
        let trend = bp_trend(&all, d(10, 1), target);
        // The latest six, oldest first: April to September.
        assert_eq!(trend.readings.len(), TREND_READINGS);
        assert_eq!(trend.readings[0].0, d(4, 1));
        assert_eq!(trend.readings[5].0, d(9, 1));
        assert_eq!(trend.systolic_change, Some(-25.0));
        // 140/89 is not below 140: above the target; 135/88 is below.
        assert_eq!((trend.readings[2].1, trend.readings[2].2), (140.0, 89.0));
        assert!(!trend.readings[2].3);
        assert!(trend.readings[3].3);
        // A reading after the as-of date and one over a year old do not count.
        let one = bp_trend(&all, d(1, 15), target);
        assert_eq!(one.readings.len(), 1);
        assert_eq!(one.systolic_change, None);
    }

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    #[test]
    fn hba1c_below_seven_is_in_target_above_nine_is_an_alarm() {
        let t = Thresholds::default();
        assert_eq!(hba1c_verdict(6.9, &t), Verdict::InTarget);
        // 7.0 is not below 7: above target.
        assert_eq!(hba1c_verdict(7.0, &t), Verdict::AboveTarget);
        // CMS122 compares strictly: 9.0 is not poor control, 9.1 is.
        assert_eq!(hba1c_verdict(9.0, &t), Verdict::AboveTarget);
        assert_eq!(hba1c_verdict(9.1, &t), Verdict::Alarm);
        // The alarm follows the thresholds file.
        let strict = Thresholds {
            hba1c_poor_control_pct: 8.0,
            ..Thresholds::default()
        };
        assert_eq!(hba1c_verdict(8.5, &strict), Verdict::Alarm);
    }

    #[test]
    fn bp_below_140_90_is_in_target_180_or_110_is_an_alarm() {
        let t = Thresholds::default();
        assert_eq!(bp_verdict(139.0, 89.0, &t), Verdict::InTarget);
        assert_eq!(bp_verdict(140.0, 80.0, &t), Verdict::AboveTarget);
        assert_eq!(bp_verdict(130.0, 90.0, &t), Verdict::AboveTarget);
        assert_eq!(bp_verdict(180.0, 100.0, &t), Verdict::Alarm);
        assert_eq!(bp_verdict(150.0, 110.0, &t), Verdict::Alarm);
    }

    #[test]
    fn kidney_categories_are_judged_by_kdigo_risk() {
        assert_eq!(egfr_verdict(GfrCategory::G2), Verdict::InTarget);
        assert_eq!(egfr_verdict(GfrCategory::G3a), Verdict::AboveTarget);
        assert_eq!(egfr_verdict(GfrCategory::G4), Verdict::Alarm);
        assert_eq!(uacr_verdict(AlbuminuriaCategory::A1), Verdict::InTarget);
        assert_eq!(uacr_verdict(AlbuminuriaCategory::A2), Verdict::AboveTarget);
        assert_eq!(uacr_verdict(AlbuminuriaCategory::A3), Verdict::Alarm);
    }

    #[test]
    fn lab_items_carry_egfr_and_categories() {
        let labs = LatestLabs {
            // 1.2 mg/dL.
            creatinine: Some((d(6, 1), 106.1)),
            uacr: Some((d(5, 1), 3.0)),
            ldl: None,
            fasting_glucose: Some((d(4, 1), 6.4)),
        };
        let born = NaiveDate::from_ymd_opt(1971, 1, 1);
        let [kidney, uacr, ldl, glucose] = lab_items(&labs, born, Sex::Male);
        let Some(LabItem::Kidney(k)) = kidney else {
            panic!("{kidney:?}")
        };
        assert_eq!(k.egfr.map(f64::round), Some(71.0));
        assert_eq!(kidney.unwrap().verdict(), Verdict::InTarget);
        assert_eq!(
            uacr,
            Some(LabItem::Uacr(d(5, 1), 3.0, AlbuminuriaCategory::A2))
        );
        assert_eq!(uacr.unwrap().verdict(), Verdict::AboveTarget);
        assert_eq!(ldl, None);
        assert_eq!(glucose, Some(LabItem::FastingGlucose(d(4, 1), 6.4)));
    }

    #[test]
    fn the_last_three_latest_first() {
        let t = Thresholds::default();
        let hb = [
            (d(1, 1), 9.5),
            (d(4, 1), 8.0),
            (d(7, 1), 7.2),
            (d(10, 1), 6.5),
        ];
        let shown = latest_hba1c(&hb, &t);
        assert_eq!(
            shown,
            vec![
                (d(10, 1), 6.5, Verdict::InTarget),
                (d(7, 1), 7.2, Verdict::AboveTarget),
                (d(4, 1), 8.0, Verdict::AboveTarget),
            ]
        );
        let bp = [(d(3, 1), 185.0, 100.0)];
        assert_eq!(
            latest_bp(&bp, &t),
            vec![(d(3, 1), 185.0, 100.0, Verdict::Alarm)]
        );
        assert!(latest_bp(&[], &t).is_empty());
    }
}
