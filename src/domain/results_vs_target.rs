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

#[cfg(test)]
mod tests {
    use super::*;

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
