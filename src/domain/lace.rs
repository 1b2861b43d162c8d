//! LACE index of the risk of death or unplanned readmission within 30 days of discharge
//! (van Walraven et al., CMAJ 2010;182:551): Length of stay, Acuity of admission, Comorbidity
//! (Charlson, see [`crate::domain::charlson`]) and Emergency department visits in the previous
//! six months. Scored at every discharge; pure arithmetic on plain values.

use chrono::{Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::domain::charlson::charlson_score;

/// The LACE total at or above which a discharge is flagged high risk, unless configured otherwise.
pub const DEFAULT_HIGH_RISK_THRESHOLD: u8 = 10;

/// How far back emergency visits count for the E part.
pub const ED_LOOKBACK_MONTHS: u32 = 6;

/// A LACE score with its four parts, so the UI can explain the total.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LaceScore {
    /// L: points for the length of stay (0–7).
    pub l: u8,
    /// A: 3 when the admission was acute/emergent (not planned), else 0.
    pub a: u8,
    /// C: points for the Charlson score (0–3 as is, 4 or more → 5).
    pub c: u8,
    /// E: emergency visits in the six months before admission, capped at 4.
    pub e: u8,
    /// The raw Charlson comorbidity score behind `c`.
    pub charlson: u32,
    /// L + A + C + E (0–19).
    pub total: u8,
}

impl LaceScore {
    /// True when the total reaches `threshold` (see [`DEFAULT_HIGH_RISK_THRESHOLD`]).
    pub fn is_high_risk(&self, threshold: u8) -> bool {
        self.total >= threshold
    }

    /// True when the total reaches the default threshold of 10.
    pub fn is_high_risk_default(&self) -> bool {
        self.is_high_risk(DEFAULT_HIGH_RISK_THRESHOLD)
    }
}

/// L points for a length of stay in days: <1 → 0, 1–3 → the days, 4–6 → 4, 7–13 → 5, ≥14 → 7.
pub fn length_points(los_days: i64) -> u8 {
    match los_days {
        i64::MIN..=0 => 0,
        1 => 1,
        2 => 2,
        3 => 3,
        4..=6 => 4,
        7..=13 => 5,
        _ => 7,
    }
}

/// A points: 3 for an acute (unplanned) admission, 0 for a planned one.
pub fn acuity_points(planned: bool) -> u8 {
    if planned { 0 } else { 3 }
}

/// C points for a Charlson score: 0–3 → the score, 4 or more → 5.
pub fn comorbidity_points(charlson: u32) -> u8 {
    match charlson {
        0..=3 => u8::try_from(charlson).unwrap_or(5),
        _ => 5,
    }
}

/// E points for a number of emergency visits: 0–3 → the count, 4 or more → 4.
pub fn emergency_points(visits: usize) -> u8 {
    visits.min(4) as u8
}

/// Emergency visits counted for E: those dated from six months before `admitted` up to `admitted`
/// (both inclusive), minus the one that led to the admission — an emergency visit on the admission
/// date or the day before; at most one is excluded. Visits after the admission date never count.
pub fn prior_emergency_visits(admitted: NaiveDate, emergency_visit_dates: &[NaiveDate]) -> usize {
    let start = admitted
        .checked_sub_months(Months::new(ED_LOOKBACK_MONTHS))
        .unwrap_or(NaiveDate::MIN);
    let day_before = admitted.checked_sub_days(Days::new(1)).unwrap_or(admitted);
    let in_window = emergency_visit_dates
        .iter()
        .filter(|d| **d >= start && **d <= admitted)
        .count();
    let leading = emergency_visit_dates
        .iter()
        .any(|d| *d == admitted || *d == day_before);
    in_window.saturating_sub(usize::from(leading))
}

/// LACE score from an already computed Charlson score (for callers that cache comorbidity).
/// Length of stay is `discharged − admitted` in calendar days.
pub fn lace_from_charlson(
    admitted: NaiveDate,
    discharged: NaiveDate,
    planned: bool,
    charlson: u32,
    emergency_visit_dates: &[NaiveDate],
) -> LaceScore {
    let l = length_points(discharged.signed_duration_since(admitted).num_days());
    let a = acuity_points(planned);
    let c = comorbidity_points(charlson);
    let e = emergency_points(prior_emergency_visits(admitted, emergency_visit_dates));
    LaceScore {
        l,
        a,
        c,
        e,
        charlson,
        total: l + a + c + e,
    }
}

/// LACE score of one discharge: dates of the (episode's) admission and discharge, whether it was
/// planned, the ICD-10 codes present at discharge (dot optional) and the dates of the patient's
/// emergency visits (any range; the six-month window is applied here).
pub fn lace(
    admitted: NaiveDate,
    discharged: NaiveDate,
    planned: bool,
    icd10_codes_present: &[&str],
    emergency_visit_dates: &[NaiveDate],
) -> LaceScore {
    lace_from_charlson(
        admitted,
        discharged,
        planned,
        charlson_score(icd10_codes_present),
        emergency_visit_dates,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn worked_example_is_high_risk() {
        // 5-day unplanned stay, CHF + diabetes with complications, 2 earlier ED visits.
        let ed = [d(2024, 1, 10), d(2024, 3, 2)];
        let s = lace(
            d(2024, 5, 1),
            d(2024, 5, 6),
            false,
            &["I50.9", "E11.2"],
            &ed,
        );
        assert_eq!((s.l, s.a, s.c, s.e, s.charlson), (4, 3, 3, 2, 3));
        assert_eq!(s.total, 12);
        assert!(s.is_high_risk_default());
        assert!(!s.is_high_risk(13));
    }

    #[test]
    fn same_day_planned_healthy_scores_zero() {
        let s = lace(d(2024, 5, 1), d(2024, 5, 1), true, &[], &[]);
        assert_eq!(
            s,
            LaceScore {
                l: 0,
                a: 0,
                c: 0,
                e: 0,
                charlson: 0,
                total: 0
            }
        );
        assert!(!s.is_high_risk_default());
    }

    #[test]
    fn caps_on_long_stays_many_visits_and_heavy_comorbidity() {
        let ed: Vec<NaiveDate> = (1..=6).map(|m| d(2024, m, 15)).collect();
        let s = lace(d(2024, 7, 1), d(2024, 7, 20), false, &["C78.0", "B20"], &ed);
        assert_eq!((s.l, s.a, s.c, s.e, s.charlson), (7, 3, 5, 4, 12));
        assert_eq!(s.total, 19);
    }

    #[test]
    fn length_of_stay_bands() {
        let expected = [
            (-1, 0),
            (0, 0),
            (1, 1),
            (2, 2),
            (3, 3),
            (4, 4),
            (6, 4),
            (7, 5),
            (13, 5),
            (14, 7),
            (400, 7),
        ];
        for (days, points) in expected {
            assert_eq!(length_points(days), points, "{days} days");
        }
    }

    #[test]
    fn comorbidity_and_emergency_bands() {
        let c: Vec<u8> = (0..=6).map(comorbidity_points).collect();
        assert_eq!(c, [0, 1, 2, 3, 5, 5, 5]);
        let e: Vec<u8> = (0..=6).map(emergency_points).collect();
        assert_eq!(e, [0, 1, 2, 3, 4, 4, 4]);
        assert_eq!(acuity_points(false), 3);
        assert_eq!(acuity_points(true), 0);
    }

    #[test]
    fn the_visit_that_led_to_admission_is_not_counted() {
        let adm = d(2024, 5, 10);
        // On the admission date, or the day before: excluded.
        assert_eq!(prior_emergency_visits(adm, &[adm]), 0);
        assert_eq!(prior_emergency_visits(adm, &[d(2024, 5, 9)]), 0);
        // Two days before: a genuine earlier visit.
        assert_eq!(prior_emergency_visits(adm, &[d(2024, 5, 8)]), 1);
        // At most one is excluded.
        assert_eq!(prior_emergency_visits(adm, &[adm, d(2024, 5, 9)]), 1);
        assert_eq!(prior_emergency_visits(adm, &[adm, adm, d(2024, 4, 1)]), 2);
    }

    #[test]
    fn six_month_window_is_inclusive_and_ignores_later_visits() {
        let adm = d(2024, 5, 10);
        assert_eq!(prior_emergency_visits(adm, &[d(2023, 11, 10)]), 1);
        assert_eq!(prior_emergency_visits(adm, &[d(2023, 11, 9)]), 0);
        assert_eq!(prior_emergency_visits(adm, &[d(2024, 5, 11)]), 0);
        // Order and duplicates in the input do not matter beyond counting visits.
        let ed = [d(2024, 3, 1), d(2023, 1, 1), d(2024, 5, 12), d(2024, 2, 1)];
        assert_eq!(prior_emergency_visits(adm, &ed), 2);
    }

    #[test]
    fn lace_from_charlson_matches_lace() {
        let ed = [d(2024, 2, 1)];
        let a = lace(
            d(2024, 3, 1),
            d(2024, 3, 4),
            false,
            &["E11.9", "N18.3"],
            &ed,
        );
        let b = lace_from_charlson(d(2024, 3, 1), d(2024, 3, 4), false, 3, &ed);
        assert_eq!(a, b);
        assert_eq!(a.total, 3 + 3 + 3 + 1);
    }
}
