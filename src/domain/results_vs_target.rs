//! The card's latest results against the target (#20 item 7): the last three HbA1c and blood
//! pressure values, each judged by the pilot's one definition of control
//! ([`crate::domain::indicators::hba1c_controlled`], [`crate::domain::indicators::bp_controlled`])
//! and by the worklist's alarm thresholds ([`Thresholds::hba1c_poor_control_pct`] as CMS122
//! compares it, [`Thresholds::bp_is_urgent`]).

use crate::domain::indicators::{bp_controlled, hba1c_controlled, is_poor_control};
use crate::domain::worklist::Thresholds;
use chrono::NaiveDate;

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
