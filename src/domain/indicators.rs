//! The pilot's quality indicators, one definition each, on plain per-patient facts. The Progress
//! tab, `acodesk progress` and the report all tally with [`Tally::add`], so their figures agree.
//!
//! Sources: Quality ID 001 (NQF 0059) Diabetes: HbA1c poor control — ages 18–75 with diabetes,
//! most recent HbA1c in the period > 9.0 % or missing (inverse measure); Quality ID 236 (NQF 0018)
//! Controlling high blood pressure — most recent reading < 140/90, same-day readings use the lowest
//! systolic and the lowest diastolic, no reading counts as not controlled; HEARTS / Simple: missed
//! visit = no visit in 3 months, lost to follow-up = no visit in 12 months.

use super::types::PatientStatus;
use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;

#[path = "indicators_cascade.rs"]
pub mod cascade;
pub use cascade::{
    Cascade, CascadeCall, CascadeFacts, CascadeMonth, CascadeStage, cascade_stage, month_ends,
};

/// The measurement period: both ends inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    /// First day.
    pub from: NaiveDate,
    /// Last day (the as-of date).
    pub to: NaiveDate,
}

impl Period {
    /// The 12 months ending on `as_of`.
    pub fn rolling_year(as_of: NaiveDate) -> Period {
        let from = as_of
            .checked_sub_months(Months::new(12))
            .and_then(|d| d.succ_opt())
            .unwrap_or(as_of);
        Period { from, to: as_of }
    }

    fn contains(&self, d: NaiveDate) -> bool {
        self.from <= d && d <= self.to
    }
}

/// What the indicators need to know about one enrolled patient.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorFacts {
    /// Status now.
    pub status: PatientStatus,
    /// Birth date.
    pub birth_date: Option<NaiveDate>,
    /// Enrolment date.
    pub enrolled_on: Option<NaiveDate>,
    /// Death date.
    pub death_date: Option<NaiveDate>,
    /// Date moved away.
    pub moved_on: Option<NaiveDate>,
    /// The most recent HbA1c on or before the period's end (date, %).
    pub latest_hba1c: Option<(NaiveDate, f64)>,
    /// The most recent BP day on or before the period's end: (date, lowest systolic, lowest diastolic).
    pub latest_bp: Option<(NaiveDate, f64, f64)>,
    /// The latest visit on or before the period's end.
    pub last_visit: Option<NaiveDate>,
}

/// A share with its numerator and denominator (every percentage is shown with both).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Ratio {
    /// Patients meeting the indicator.
    pub numerator: u64,
    /// Patients it applies to.
    pub denominator: u64,
}

impl Ratio {
    /// The share, `None` when nobody is in the denominator.
    pub fn rate(&self) -> Option<f64> {
        (self.denominator > 0).then(|| self.numerator as f64 / self.denominator as f64)
    }

    fn count(&mut self, applies: bool, meets: bool) {
        if applies {
            self.denominator += 1;
            if meets {
                self.numerator += 1;
            }
        }
    }
}

impl std::ops::AddAssign for Ratio {
    fn add_assign(&mut self, other: Ratio) {
        self.numerator += other.numerator;
        self.denominator += other.denominator;
    }
}

/// The indicators of one group (a site, a nurse, a month or the whole pilot).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Tally {
    /// Active at the end of the period.
    pub enrolled_active: u64,
    /// Enrolled during the period.
    pub new_enrolments: u64,
    /// Died during the period.
    pub deaths: u64,
    /// Moved away during the period.
    pub moves: u64,
    /// HbA1c tested in the 6 months before the period's end (active patients).
    pub hba1c_tested_6m: Ratio,
    /// HbA1c tested at least once in the period (active patients): the regional pilot's quality gate.
    pub hba1c_tested_period: Ratio,
    /// Quality ID 001: ages 18–75, latest HbA1c in the period > 9.0 % or missing. Lower is better.
    pub hba1c_poor_control: Ratio,
    /// Latest HbA1c in the period < 7.0 % (same denominator as poor control).
    pub hba1c_controlled: Ratio,
    /// Band < 7 % among those with a result in the period.
    pub hba1c_band_under_7: Ratio,
    /// Band 7–8.9 %.
    pub hba1c_band_7_to_9: Ratio,
    /// Band ≥ 9 %.
    pub hba1c_band_9_plus: Ratio,
    /// Quality ID 236 style: latest BP in the period < 140/90; none = not controlled.
    pub bp_controlled: Ratio,
    /// No visit in the 3 months before the period's end (active patients).
    pub missed_visit_3m: Ratio,
    /// No visit in the 12 months before the period's end (active patients).
    pub lost_to_follow_up_12m: Ratio,
}

/// Indicator thresholds (from the contract/programme; the defaults are the published ones).
pub const POOR_CONTROL_ABOVE: f64 = 9.0;
/// HbA1c below this is controlled.
pub const CONTROLLED_BELOW: f64 = 7.0;

fn age_at(birth: NaiveDate, on: NaiveDate) -> i32 {
    let mut age = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age
}

fn months_before(d: NaiveDate, months: u32) -> NaiveDate {
    d.checked_sub_months(Months::new(months)).unwrap_or(d)
}

impl Tally {
    /// Adds one patient to the group's figures for `period`.
    pub fn add(&mut self, f: &IndicatorFacts, period: &Period) {
        let end = period.to;
        let died_by_end = f.death_date.is_some_and(|d| d <= end)
            || (f.status == PatientStatus::Dead && f.death_date.is_none());
        let moved_by_end = f.moved_on.is_some_and(|d| d <= end)
            || (f.status == PatientStatus::Moved && f.moved_on.is_none());
        let enrolled_by_end = f.enrolled_on.is_none_or(|d| d <= end);
        if f.death_date.is_some_and(|d| period.contains(d)) {
            self.deaths += 1;
        }
        if f.moved_on.is_some_and(|d| period.contains(d)) {
            self.moves += 1;
        }
        if f.enrolled_on.is_some_and(|d| period.contains(d)) {
            self.new_enrolments += 1;
        }
        let active = enrolled_by_end && !died_by_end && !moved_by_end;
        if !active {
            return;
        }
        self.enrolled_active += 1;

        let six_months_ago = months_before(end, 6);
        let tested_6m = f
            .latest_hba1c
            .is_some_and(|(d, _)| d > six_months_ago && d <= end);
        self.hba1c_tested_6m.count(true, tested_6m);
        self.hba1c_tested_period.count(
            true,
            f.latest_hba1c.is_some_and(|(d, _)| period.contains(d)),
        );

        let age = f.birth_date.map(|b| age_at(b, end));
        let in_measure_age = age.is_some_and(|a| (18..=75).contains(&a));
        let hba1c_in_period = f
            .latest_hba1c
            .filter(|(d, _)| period.contains(*d))
            .map(|(_, v)| v);
        self.hba1c_poor_control.count(
            in_measure_age,
            hba1c_in_period.is_none_or(|v| v > POOR_CONTROL_ABOVE),
        );
        self.hba1c_controlled.count(
            in_measure_age,
            hba1c_in_period.is_some_and(|v| v < CONTROLLED_BELOW),
        );
        if let Some(v) = hba1c_in_period {
            self.hba1c_band_under_7.count(true, v < 7.0);
            self.hba1c_band_7_to_9.count(true, (7.0..9.0).contains(&v));
            self.hba1c_band_9_plus.count(true, v >= 9.0);
        }

        let bp_in_period = f.latest_bp.filter(|(d, _, _)| period.contains(*d));
        self.bp_controlled.count(
            true,
            bp_in_period.is_some_and(|(_, s, d)| s < 140.0 && d < 90.0),
        );

        let visited_since = |months: u32| {
            f.last_visit
                .is_some_and(|v| v > months_before(end, months) && v <= end)
        };
        self.missed_visit_3m.count(true, !visited_since(3));
        self.lost_to_follow_up_12m.count(true, !visited_since(12));
    }

    /// Adds another group's figures: every figure is a count over patients, so the tally of a
    /// group is the sum of its patients' one-patient tallies.
    pub fn merge(&mut self, o: &Tally) {
        self.enrolled_active += o.enrolled_active;
        self.new_enrolments += o.new_enrolments;
        self.deaths += o.deaths;
        self.moves += o.moves;
        self.hba1c_tested_6m += o.hba1c_tested_6m;
        self.hba1c_tested_period += o.hba1c_tested_period;
        self.hba1c_poor_control += o.hba1c_poor_control;
        self.hba1c_controlled += o.hba1c_controlled;
        self.hba1c_band_under_7 += o.hba1c_band_under_7;
        self.hba1c_band_7_to_9 += o.hba1c_band_7_to_9;
        self.hba1c_band_9_plus += o.hba1c_band_9_plus;
        self.bp_controlled += o.bp_controlled;
        self.missed_visit_3m += o.missed_visit_3m;
        self.lost_to_follow_up_12m += o.lost_to_follow_up_12m;
    }

    /// The indicators a manager compares sites by, as (message id, ratio, lower is better).
    pub fn ratios(&self) -> [(&'static str, Ratio, bool); 6] {
        [
            ("ind-hba1c-tested", self.hba1c_tested_6m, false),
            ("ind-poor-control", self.hba1c_poor_control, true),
            ("ind-controlled", self.hba1c_controlled, false),
            ("ind-bp-controlled", self.bp_controlled, false),
            ("ind-missed-visit", self.missed_visit_3m, true),
            ("ind-lost", self.lost_to_follow_up_12m, true),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn base() -> IndicatorFacts {
        IndicatorFacts {
            status: PatientStatus::Active,
            birth_date: Some(d(1960, 6, 1)),
            enrolled_on: Some(d(2015, 1, 1)),
            death_date: None,
            moved_on: None,
            latest_hba1c: Some((d(2024, 10, 1), 8.0)),
            latest_bp: Some((d(2024, 10, 1), 130.0, 80.0)),
            last_visit: Some(d(2024, 10, 1)),
        }
    }

    fn period() -> Period {
        Period::rolling_year(d(2024, 12, 31))
    }

    #[test]
    fn rolling_year_is_twelve_months_inclusive() {
        assert_eq!(period().from, d(2024, 1, 1));
        assert_eq!(Period::rolling_year(d(2024, 2, 29)).from, d(2023, 3, 1));
    }

    #[test]
    fn missing_hba1c_is_poor_control() {
        let mut t = Tally::default();
        t.add(
            &IndicatorFacts {
                latest_hba1c: None,
                ..base()
            },
            &period(),
        );
        assert_eq!(
            t.hba1c_poor_control,
            Ratio {
                numerator: 1,
                denominator: 1
            }
        );
        assert_eq!(
            t.hba1c_tested_6m,
            Ratio {
                numerator: 0,
                denominator: 1
            }
        );
        // A result before the period also counts as missing.
        let mut t = Tally::default();
        t.add(
            &IndicatorFacts {
                latest_hba1c: Some((d(2023, 12, 31), 6.0)),
                ..base()
            },
            &period(),
        );
        assert_eq!(t.hba1c_poor_control.numerator, 1);
    }

    #[test]
    fn poor_control_is_strictly_above_nine() {
        let mut t = Tally::default();
        t.add(
            &IndicatorFacts {
                latest_hba1c: Some((d(2024, 10, 1), 9.0)),
                ..base()
            },
            &period(),
        );
        t.add(
            &IndicatorFacts {
                latest_hba1c: Some((d(2024, 10, 1), 9.1)),
                ..base()
            },
            &period(),
        );
        assert_eq!(
            t.hba1c_poor_control,
            Ratio {
                numerator: 1,
                denominator: 2
            }
        );
        assert_eq!(
            t.hba1c_band_9_plus.numerator, 2,
            "the ≥ 9 band includes 9.0"
        );
    }

    #[test]
    fn age_boundaries_18_and_75_at_period_end() {
        let mut t = Tally::default();
        t.add(
            &IndicatorFacts {
                birth_date: Some(d(2006, 12, 31)),
                ..base()
            },
            &period(),
        ); // 18 on the last day
        t.add(
            &IndicatorFacts {
                birth_date: Some(d(2007, 1, 1)),
                ..base()
            },
            &period(),
        ); // 17
        t.add(
            &IndicatorFacts {
                birth_date: Some(d(1949, 1, 1)),
                ..base()
            },
            &period(),
        ); // 75
        t.add(
            &IndicatorFacts {
                birth_date: Some(d(1948, 12, 31)),
                ..base()
            },
            &period(),
        ); // 76
        assert_eq!(t.hba1c_poor_control.denominator, 2);
        assert_eq!(t.enrolled_active, 4);
    }

    #[test]
    fn bp_needs_both_below_and_none_is_not_controlled() {
        let mut t = Tally::default();
        t.add(
            &IndicatorFacts {
                latest_bp: Some((d(2024, 5, 1), 139.0, 89.0)),
                ..base()
            },
            &period(),
        );
        t.add(
            &IndicatorFacts {
                latest_bp: Some((d(2024, 5, 1), 140.0, 80.0)),
                ..base()
            },
            &period(),
        );
        t.add(
            &IndicatorFacts {
                latest_bp: None,
                ..base()
            },
            &period(),
        );
        assert_eq!(
            t.bp_controlled,
            Ratio {
                numerator: 1,
                denominator: 3
            }
        );
    }

    #[test]
    fn a_patient_who_moved_mid_period_counts_as_a_move_not_as_active() {
        let mut t = Tally::default();
        t.add(
            &IndicatorFacts {
                status: PatientStatus::Moved,
                moved_on: Some(d(2024, 6, 1)),
                ..base()
            },
            &period(),
        );
        assert_eq!(t.moves, 1);
        assert_eq!(t.enrolled_active, 0);
        assert_eq!(t.hba1c_poor_control.denominator, 0);
    }

    #[test]
    fn visits_three_and_twelve_months() {
        let mut t = Tally::default();
        t.add(
            &IndicatorFacts {
                last_visit: Some(d(2024, 9, 30)),
                ..base()
            },
            &period(),
        );
        t.add(
            &IndicatorFacts {
                last_visit: Some(d(2024, 10, 1)),
                ..base()
            },
            &period(),
        );
        t.add(
            &IndicatorFacts {
                last_visit: Some(d(2023, 12, 31)),
                ..base()
            },
            &period(),
        );
        t.add(
            &IndicatorFacts {
                last_visit: None,
                ..base()
            },
            &period(),
        );
        assert_eq!(
            t.missed_visit_3m,
            Ratio {
                numerator: 3,
                denominator: 4
            }
        );
        assert_eq!(
            t.lost_to_follow_up_12m,
            Ratio {
                numerator: 2,
                denominator: 4
            }
        );
    }
}
