//! The pilot's quality indicators, one definition each, on plain per-patient facts. The Progress
//! tab, `acodesk progress` and the report all tally with [`Tally::add`], so their figures agree.
//!
//! Every indicator keeps its own window whatever period a report asks for: the window ends on the
//! period's last day (12 months for the published measures, 6 and 3 months where the label says
//! so); the period only decides the flows (new enrolments, deaths, moves). The catalogue in
//! `domain::measures` names each figure, its window and its source.
//!
//! Sources: Quality ID 001 / CMS122 (NQF 0059) Diabetes: glycemic status > 9 % — ages 18–75 at
//! the period's end, with diabetes (the programme) and a visit in the 12-month measurement period;
//! exclusions hospice or palliative care, and at 66+ frailty with advanced illness; numerator the
//! most recent HbA1c in the period > 9.0 % or none (inverse measure). Quality ID 236 / CMS165
//! (NQF 0018) Controlling high blood pressure — ages 18–85 with essential hypertension diagnosed
//! before or in the first six months of the period and a visit in it; exclusions end-stage renal
//! disease/dialysis/kidney transplant, pregnancy, hospice or palliative care, frailty with advanced
//! illness at 66–80 and frailty alone at 81+; numerator the most recent day's lowest systolic and
//! lowest diastolic < 140/90, readings taken on a day in hospital or in the emergency department
//! not counting, none counting as not controlled. Simple / WHO HEARTS: missed visit = no visit in
//! 3 months; lost to follow-up = enrolled more than 12 months ago and no visit in 12 months
//! (`measures::follow_up`).

use super::measures::follow_up::{
    LOST_TO_FOLLOW_UP_MONTHS, enrolled_long_enough, lost_to_follow_up,
};
use super::types::PatientStatus;
use chrono::{Months, NaiveDate};
use serde::Serialize;

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
    /// Diagnoses and readings the published measures' denominators and exclusions read.
    pub clinical: ClinicalFacts,
}

/// What CMS122 and CMS165 read beyond the latest results, for a period ending on a given day
/// (diagnoses from ICD-10 codes in `assets/codes/quality_measures_icd10.toml`).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ClinicalFacts {
    /// The most recent BP day on or before the period's end that was not a day in hospital or in
    /// the emergency department: (date, lowest systolic, lowest diastolic).
    pub latest_bp_ambulatory: Option<(NaiveDate, f64, f64)>,
    /// Hospice or palliative care (Z51.5) recorded in the 12-month period.
    pub palliative: bool,
    /// A frailty diagnosis recorded on or before the period's end.
    pub frailty: bool,
    /// An advanced-illness diagnosis recorded on or before the period's end.
    pub advanced_illness: bool,
    /// Earliest onset of essential hypertension (ICD-10 I10–I15).
    pub hypertension_since: Option<NaiveDate>,
    /// End-stage renal disease, dialysis or a kidney transplant on or before the period's end.
    pub esrd: bool,
    /// A pregnancy code with onset in the 12-month period.
    pub pregnancy: bool,
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
    /// HbA1c tested at least once in the 12 months to the period's end (active patients): the
    /// regional pilot's quality gate.
    pub hba1c_tested_period: Ratio,
    /// Quality ID 001 / CMS122 (see the module notes). Lower is better.
    pub hba1c_poor_control: Ratio,
    /// Latest HbA1c in the 12 months < 7.0 % (CMS122's denominator).
    pub hba1c_controlled: Ratio,
    /// Band < 7 % among those with a result in the period.
    pub hba1c_band_under_7: Ratio,
    /// Band 7–8.9 %.
    pub hba1c_band_7_to_9: Ratio,
    /// Band ≥ 9 %.
    pub hba1c_band_9_plus: Ratio,
    /// Quality ID 236 / CMS165 (see the module notes).
    pub bp_controlled: Ratio,
    /// No visit in the 3 months before the period's end (active patients).
    pub missed_visit_3m: Ratio,
    /// Lost to follow-up (`measures::follow_up`) among active patients enrolled more than 12
    /// months before the period's end.
    pub lost_to_follow_up_12m: Ratio,
    /// Acodesk's own: latest BP in the 12 months (any setting) < 140/90 among all active diabetic
    /// patients, none counting as not controlled.
    pub bp_controlled_all_diabetics: Ratio,
}

/// CMS122's threshold: poor control is an HbA1c strictly above this percentage. The worklist's
/// poor-control finding uses the same comparison ([`is_poor_control`]) and this default.
pub const POOR_CONTROL_ABOVE: f64 = 9.0;

/// True when an HbA1c result is poor control: strictly above `threshold` (CMS122: > 9.0 %).
pub fn is_poor_control(percent: f64, threshold: f64) -> bool {
    percent > threshold
}

/// CMS165's control threshold: systolic below this...
pub const BP_SYSTOLIC_BELOW: f64 = 140.0;
/// ...and diastolic below this (mmHg).
pub const BP_DIASTOLIC_BELOW: f64 = 90.0;

/// Ages of CMS122's denominator (at the period's end).
pub const CMS122_AGES: std::ops::RangeInclusive<i32> = 18..=75;
/// Ages of CMS165's denominator (at the period's end).
pub const CMS165_AGES: std::ops::RangeInclusive<i32> = 18..=85;
/// HbA1c below this is controlled.
pub const CONTROLLED_BELOW: f64 = 7.0;

/// True when an HbA1c result is controlled: below [`CONTROLLED_BELOW`] (Simple's < 7 % band).
pub fn hba1c_controlled(percent: f64) -> bool {
    percent < CONTROLLED_BELOW
}

/// True when a blood-pressure reading is controlled: below [`BP_SYSTOLIC_BELOW`] /
/// [`BP_DIASTOLIC_BELOW`] (CMS165: < 140/90).
pub fn bp_controlled(systolic: f64, diastolic: f64) -> bool {
    systolic < BP_SYSTOLIC_BELOW && diastolic < BP_DIASTOLIC_BELOW
}

fn months_before(d: NaiveDate, months: u32) -> NaiveDate {
    d.checked_sub_months(Months::new(months)).unwrap_or(d)
}

impl Tally {
    /// Adds one patient to the group's figures for `period`.
    pub fn add(&mut self, f: &IndicatorFacts, period: &Period) {
        let end = period.to;
        if f.death_date.is_some_and(|d| period.contains(d)) {
            self.deaths += 1;
        }
        if f.moved_on.is_some_and(|d| period.contains(d)) {
            self.moves += 1;
        }
        if f.enrolled_on.is_some_and(|d| period.contains(d)) {
            self.new_enrolments += 1;
        }
        // The catalogue's active population (shared with the Worklist's lost-to-follow-up list).
        let active = crate::domain::measures::population::active_at(
            f.status,
            f.enrolled_on,
            f.death_date,
            f.moved_on,
            end,
        );
        if !active {
            return;
        }
        self.enrolled_active += 1;

        // The indicators' own window: the 12 months ending on the period's last day.
        let year = Period::rolling_year(end);
        let c = &f.clinical;
        let six_months_ago = months_before(end, 6);
        let tested_6m = f
            .latest_hba1c
            .is_some_and(|(d, _)| d > six_months_ago && d <= end);
        self.hba1c_tested_6m.count(true, tested_6m);
        self.hba1c_tested_period
            .count(true, f.latest_hba1c.is_some_and(|(d, _)| year.contains(d)));

        let age = f.birth_date.map(|b| crate::domain::dates::age_at(b, end));
        let visit_in_year = f.last_visit.is_some_and(|v| year.contains(v));
        let frail_and_ill =
            |from_age: i32| age.is_some_and(|a| a >= from_age) && c.frailty && c.advanced_illness;
        // CMS122: 18–75, a visit in the period; hospice/palliative care and (66+) frailty with
        // advanced illness are excluded.
        let in_cms122 = age.is_some_and(|a| CMS122_AGES.contains(&a))
            && visit_in_year
            && !c.palliative
            && !frail_and_ill(66);
        let hba1c_in_year = f
            .latest_hba1c
            .filter(|(d, _)| year.contains(*d))
            .map(|(_, v)| v);
        self.hba1c_poor_control.count(
            in_cms122,
            hba1c_in_year.is_none_or(|v| is_poor_control(v, POOR_CONTROL_ABOVE)),
        );
        self.hba1c_controlled
            .count(in_cms122, hba1c_in_year.is_some_and(hba1c_controlled));
        if let Some(v) = hba1c_in_year {
            self.hba1c_band_under_7.count(true, v < 7.0);
            self.hba1c_band_7_to_9.count(true, (7.0..9.0).contains(&v));
            self.hba1c_band_9_plus.count(true, v >= 9.0);
        }

        // CMS165: 18–85, hypertension diagnosed before or in the first six months of the period,
        // a visit in it; ESRD, pregnancy, palliative care, frailty with advanced illness at 66–80
        // and frailty alone at 81+ are excluded.
        let six_months_in = year
            .from
            .checked_add_months(Months::new(6))
            .unwrap_or(year.from);
        let in_cms165 = age.is_some_and(|a| CMS165_AGES.contains(&a))
            && c.hypertension_since.is_some_and(|d| d < six_months_in)
            && visit_in_year
            && !c.esrd
            && !c.pregnancy
            && !c.palliative
            && !frail_and_ill(66)
            && !(age.is_some_and(|a| a >= 81) && c.frailty);
        let controlled = |bp: Option<(NaiveDate, f64, f64)>| {
            bp.filter(|(d, _, _)| year.contains(*d))
                .is_some_and(|(_, s, d)| bp_controlled(s, d))
        };
        self.bp_controlled
            .count(in_cms165, controlled(c.latest_bp_ambulatory));
        self.bp_controlled_all_diabetics
            .count(true, controlled(f.latest_bp));

        let visited_since = |months: u32| {
            f.last_visit
                .is_some_and(|v| v > months_before(end, months) && v <= end)
        };
        self.missed_visit_3m.count(true, !visited_since(3));
        self.lost_to_follow_up_12m.count(
            enrolled_long_enough(f.enrolled_on, end, LOST_TO_FOLLOW_UP_MONTHS),
            lost_to_follow_up(f.enrolled_on, f.last_visit, end, LOST_TO_FOLLOW_UP_MONTHS),
        );
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
        self.bp_controlled_all_diabetics += o.bp_controlled_all_diabetics;
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
            clinical: ClinicalFacts {
                latest_bp_ambulatory: Some((d(2024, 10, 1), 130.0, 80.0)),
                hypertension_since: Some(d(2020, 1, 1)),
                ..ClinicalFacts::default()
            },
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
            t.bp_controlled_all_diabetics,
            Ratio {
                numerator: 1,
                denominator: 3
            }
        );
    }

    fn one(f: IndicatorFacts) -> Tally {
        let mut t = Tally::default();
        t.add(&f, &period());
        t
    }

    fn clinical(c: ClinicalFacts) -> IndicatorFacts {
        IndicatorFacts {
            clinical: c,
            ..base()
        }
    }

    fn with(edit: impl FnOnce(&mut ClinicalFacts)) -> IndicatorFacts {
        let mut f = base();
        edit(&mut f.clinical);
        f
    }

    #[test]
    fn cms122_needs_a_visit_in_the_measurement_period() {
        let t = one(IndicatorFacts {
            last_visit: Some(d(2023, 12, 31)),
            latest_hba1c: None,
            ..base()
        });
        assert_eq!(t.hba1c_poor_control.denominator, 0);
        assert_eq!(one(base()).hba1c_poor_control.denominator, 1);
    }

    #[test]
    fn cms122_excludes_palliative_care_and_frailty_with_advanced_illness_at_66() {
        assert_eq!(
            one(with(|c| c.palliative = true))
                .hba1c_poor_control
                .denominator,
            0
        );
        let frail_ill = |birth| {
            let mut f = with(|c| {
                c.frailty = true;
                c.advanced_illness = true;
            });
            f.birth_date = Some(birth);
            one(f).hba1c_poor_control.denominator
        };
        assert_eq!(frail_ill(d(1958, 12, 31)), 0, "66 on the period's end");
        assert_eq!(frail_ill(d(1959, 1, 1)), 1, "65");
        // Frailty alone does not exclude.
        let mut f = with(|c| c.frailty = true);
        f.birth_date = Some(d(1950, 1, 1));
        assert_eq!(one(f).hba1c_poor_control.denominator, 1);
    }

    #[test]
    fn a_report_period_does_not_shrink_the_indicators_window() {
        // A quarter's report: HbA1c from March is inside the 12 months to 31 December.
        let quarter = Period {
            from: d(2024, 10, 1),
            to: d(2024, 12, 31),
        };
        let f = IndicatorFacts {
            latest_hba1c: Some((d(2024, 3, 1), 10.0)),
            enrolled_on: Some(d(2024, 11, 1)),
            ..base()
        };
        let mut t = Tally::default();
        t.add(&f, &quarter);
        assert_eq!(
            t.hba1c_poor_control,
            Ratio {
                numerator: 1,
                denominator: 1
            }
        );
        assert_eq!(t.hba1c_tested_period.numerator, 1);
        // The flows belong to the period.
        assert_eq!(t.new_enrolments, 1);
    }

    #[test]
    fn cms165_needs_hypertension_diagnosed_by_the_first_six_months() {
        let onset = |d| {
            one(with(|c| c.hypertension_since = Some(d)))
                .bp_controlled
                .denominator
        };
        assert_eq!(onset(d(2024, 6, 30)), 1, "in the first six months");
        assert_eq!(onset(d(2024, 7, 1)), 0, "after them");
        assert_eq!(
            one(with(|c| c.hypertension_since = None))
                .bp_controlled
                .denominator,
            0
        );
    }

    #[test]
    fn cms165_ages_18_to_85() {
        let age = |birth| {
            one(IndicatorFacts {
                birth_date: Some(birth),
                ..base()
            })
            .bp_controlled
            .denominator
        };
        assert_eq!(age(d(1939, 1, 1)), 1, "85");
        assert_eq!(age(d(1938, 12, 31)), 0, "86");
        assert_eq!(age(d(2006, 12, 31)), 1, "18");
    }

    #[test]
    fn cms165_exclusions() {
        assert_eq!(one(with(|c| c.esrd = true)).bp_controlled.denominator, 0);
        assert_eq!(
            one(with(|c| c.pregnancy = true)).bp_controlled.denominator,
            0
        );
        assert_eq!(
            one(with(|c| c.palliative = true)).bp_controlled.denominator,
            0
        );
        let mut f = with(|c| c.frailty = true);
        f.birth_date = Some(d(1943, 1, 1)); // 81
        assert_eq!(one(f).bp_controlled.denominator, 0, "frailty alone at 81+");
        let mut f = with(|c| c.frailty = true);
        f.birth_date = Some(d(1950, 1, 1)); // 74
        assert_eq!(one(f).bp_controlled.denominator, 1);
        // A visit in the period is required.
        let f = IndicatorFacts {
            last_visit: Some(d(2023, 12, 1)),
            ..base()
        };
        assert_eq!(one(f).bp_controlled.denominator, 0);
    }

    #[test]
    fn cms165_counts_the_latest_ambulatory_day_below_140_90() {
        let bp = |s, di| {
            one(clinical(ClinicalFacts {
                latest_bp_ambulatory: Some((d(2024, 11, 1), s, di)),
                hypertension_since: Some(d(2020, 1, 1)),
                ..ClinicalFacts::default()
            }))
            .bp_controlled
        };
        assert_eq!(
            bp(139.0, 89.0),
            Ratio {
                numerator: 1,
                denominator: 1
            }
        );
        assert_eq!(bp(140.0, 80.0).numerator, 0);
        assert_eq!(bp(130.0, 90.0).numerator, 0);
        // None (or only hospital/ED readings, which the facts leave out) is not controlled,
        // even with a controlled reading taken in hospital.
        let t = one(IndicatorFacts {
            latest_bp: Some((d(2024, 11, 1), 120.0, 70.0)),
            ..with(|c| c.latest_bp_ambulatory = None)
        });
        assert_eq!(
            t.bp_controlled,
            Ratio {
                numerator: 0,
                denominator: 1
            }
        );
        assert_eq!(t.bp_controlled_all_diabetics.numerator, 1);
    }

    #[test]
    fn lost_to_follow_up_counts_only_patients_enrolled_over_12_months_ago() {
        let t = one(IndicatorFacts {
            enrolled_on: Some(d(2024, 3, 1)),
            last_visit: None,
            ..base()
        });
        assert_eq!(
            t.lost_to_follow_up_12m,
            Ratio {
                numerator: 0,
                denominator: 0
            }
        );
        let t = one(IndicatorFacts {
            enrolled_on: Some(d(2023, 12, 31)),
            last_visit: None,
            ..base()
        });
        assert_eq!(
            t.lost_to_follow_up_12m,
            Ratio {
                numerator: 1,
                denominator: 1
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
