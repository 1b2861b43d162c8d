//! Kidney function from the register's measurements: eGFR by the CKD-EPI 2021 creatinine
//! equation, the GFR category (CKD stage G1–G5) and the albuminuria category (A1–A3).
//!
//! Sources:
//! - Inker LA, Eneanya ND, Coresh J, et al. "New Creatinine- and Cystatin C–Based Equations to
//!   Estimate GFR without Race." N Engl J Med 2021;385:1737–1749, doi:10.1056/NEJMoa2102953 (the
//!   race-free creatinine equation, as the National Kidney Foundation publishes it as "CKD-EPI
//!   Creatinine Equation (2021)"): eGFR = 142 × min(Scr/κ, 1)^α × max(Scr/κ, 1)^−1.200 ×
//!   0.9938^age × 1.012 [if female], Scr in mg/dL, κ = 0.7 (female) or 0.9 (male), α = −0.241
//!   (female) or −0.302 (male); mL/min/1.73 m². The equation is for adults (18 and over).
//! - KDIGO 2012 Clinical Practice Guideline for the Evaluation and Management of Chronic Kidney
//!   Disease, Kidney Int Suppl 2013;3(1), Table 5 (GFR categories G1 ≥ 90, G2 60–89, G3a 45–59,
//!   G3b 30–44, G4 15–29, G5 < 15 mL/min/1.73 m²) and Table 6 (albuminuria categories by the
//!   albumin/creatinine ratio: A1 < 3, A2 3–30, A3 > 30 mg/mmol). The Russian diabetes algorithms
//!   (11th edition, 2023, the chapter on diabetic kidney disease) stage CKD by the same tables.

use super::dates::age_at;
use super::types::Sex;
use super::units::CREATININE_UMOL_L_PER_MG_DL;
use chrono::NaiveDate;

/// The youngest age the CKD-EPI equations were developed for.
pub const EGFR_MIN_AGE: u32 = 18;

/// eGFR in mL/min/1.73 m² by CKD-EPI 2021 from serum creatinine in µmol/L (the register's
/// unit), age in whole years and sex. `None` for a child (the equation is for adults), a sex the
/// register does not know (κ and α depend on it) or a creatinine that is not positive.
pub fn egfr_ckd_epi_2021(creatinine_umol_l: f64, age_years: u32, sex: Sex) -> Option<f64> {
    let (kappa, alpha, factor) = match sex {
        Sex::Female => (0.7, -0.241, 1.012),
        Sex::Male => (0.9, -0.302, 1.0),
        Sex::Unknown => return None,
    };
    if age_years < EGFR_MIN_AGE || creatinine_umol_l.is_nan() || creatinine_umol_l <= 0.0 {
        return None;
    }
    let scr = creatinine_umol_l / CREATININE_UMOL_L_PER_MG_DL;
    let ratio = scr / kappa;
    Some(
        142.0
            * ratio.min(1.0).powf(alpha)
            * ratio.max(1.0).powf(-1.200)
            * 0.9938_f64.powi(i32::try_from(age_years).unwrap_or(i32::MAX))
            * factor,
    )
}

/// A creatinine result with the eGFR and GFR category it gives the patient on its day.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KidneyFunction {
    /// The day of the test.
    pub date: NaiveDate,
    /// Serum creatinine, µmol/L.
    pub creatinine_umol_l: f64,
    /// eGFR by CKD-EPI 2021, mL/min/1.73 m² (`None`: no birth date or sex, or a child).
    pub egfr: Option<f64>,
    /// The GFR category of that eGFR.
    pub category: Option<GfrCategory>,
}

/// The eGFR a creatinine result of `date` gives a patient born on `birth` (age on the day of the
/// test, in whole years) of `sex`.
pub fn kidney_function(
    date: NaiveDate,
    creatinine_umol_l: f64,
    birth: Option<NaiveDate>,
    sex: Sex,
) -> KidneyFunction {
    let egfr = birth
        .and_then(|b| u32::try_from(age_at(b, date)).ok())
        .and_then(|age| egfr_ckd_epi_2021(creatinine_umol_l, age, sex));
    KidneyFunction {
        date,
        creatinine_umol_l,
        egfr,
        category: egfr.map(GfrCategory::of),
    }
}

/// The KDIGO 2012 GFR category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum GfrCategory {
    /// ≥ 90: normal or high.
    G1,
    /// 60–89: mildly decreased.
    G2,
    /// 45–59: mildly to moderately decreased.
    G3a,
    /// 30–44: moderately to severely decreased.
    G3b,
    /// 15–29: severely decreased.
    G4,
    /// < 15: kidney failure.
    G5,
}

impl GfrCategory {
    /// The category of an eGFR (mL/min/1.73 m²). The bands are read on the value rounded to a
    /// whole number, as laboratories report eGFR and as KDIGO's table writes its bands (89.6 is
    /// "90", G1; 59.4 is "59", G3a).
    pub fn of(egfr: f64) -> GfrCategory {
        let e = egfr.round();
        if e >= 90.0 {
            GfrCategory::G1
        } else if e >= 60.0 {
            GfrCategory::G2
        } else if e >= 45.0 {
            GfrCategory::G3a
        } else if e >= 30.0 {
            GfrCategory::G3b
        } else if e >= 15.0 {
            GfrCategory::G4
        } else {
            GfrCategory::G5
        }
    }

    /// The category's name as KDIGO writes it (the same in Russian texts: С1…С5 in Russian
    /// nephrology, G1…G5 in the diabetes algorithms).
    pub fn label(self) -> &'static str {
        match self {
            GfrCategory::G1 => "G1",
            GfrCategory::G2 => "G2",
            GfrCategory::G3a => "G3a",
            GfrCategory::G3b => "G3b",
            GfrCategory::G4 => "G4",
            GfrCategory::G5 => "G5",
        }
    }
}

/// The KDIGO 2012 albuminuria category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum AlbuminuriaCategory {
    /// < 3 mg/mmol: normal to mildly increased.
    A1,
    /// 3–30 mg/mmol: moderately increased.
    A2,
    /// > 30 mg/mmol: severely increased.
    A3,
}

impl AlbuminuriaCategory {
    /// The category of a urine albumin/creatinine ratio in mg/mmol (the register's unit):
    /// A1 below 3, A2 from 3 up to 30 inclusive, A3 above 30 (KDIGO 2012, Table 6).
    pub fn of(uacr_mg_mmol: f64) -> AlbuminuriaCategory {
        if uacr_mg_mmol < 3.0 {
            AlbuminuriaCategory::A1
        } else if uacr_mg_mmol <= 30.0 {
            AlbuminuriaCategory::A2
        } else {
            AlbuminuriaCategory::A3
        }
    }

    /// The category's name as KDIGO writes it.
    pub fn label(self) -> &'static str {
        match self {
            AlbuminuriaCategory::A1 => "A1",
            AlbuminuriaCategory::A2 => "A2",
            AlbuminuriaCategory::A3 => "A3",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Creatinine in mg/dL as µmol/L, the register's unit.
    fn umol(mg_dl: f64) -> f64 {
        mg_dl * CREATININE_UMOL_L_PER_MG_DL
    }

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 0.01)
    }

    #[test]
    fn the_national_kidney_foundation_worked_example() {
        // The NKF's CKD-EPI 2021 calculator: a man of 55 with creatinine 1.2 mg/dL has an eGFR of
        // 71 mL/min/1.73 m² (by hand: 142 × (1.2/0.9)^−1.2 × 0.9938^55 = 71.42).
        let e = egfr_ckd_epi_2021(umol(1.2), 55, Sex::Male).unwrap();
        assert_eq!(e.round(), 71.0);
        assert!((e - 71.42).abs() < 0.01, "{e}");
        assert_eq!(GfrCategory::of(e), GfrCategory::G2);
    }

    #[test]
    fn at_kappa_both_branches_meet() {
        // Scr = κ: both min and max terms are 1, eGFR = 142 × 0.9938^age (× 1.012 female).
        assert!(close(
            egfr_ckd_epi_2021(umol(0.9), 50, Sex::Male),
            142.0 * 0.9938_f64.powi(50)
        ));
        // 142 × 0.9938^50 = 104.05.
        assert!(close(egfr_ckd_epi_2021(umol(0.9), 50, Sex::Male), 104.05));
        // Female at κ = 0.7: 142 × 0.9938^50 × 1.012 = 105.30.
        assert!(close(egfr_ckd_epi_2021(umol(0.7), 50, Sex::Female), 105.30));
    }

    #[test]
    fn below_kappa_the_alpha_exponent_applies() {
        // Female, 40, Scr 0.5 mg/dL: 142 × (0.5/0.7)^−0.241 × 0.9938^40 × 1.012 = 121.52.
        assert!(close(egfr_ckd_epi_2021(umol(0.5), 40, Sex::Female), 121.52));
        // Male, 30, Scr 0.8 mg/dL: 142 × (0.8/0.9)^−0.302 × 0.9938^30 = 122.10.
        assert!(close(egfr_ckd_epi_2021(umol(0.8), 30, Sex::Male), 122.10));
    }

    #[test]
    fn above_kappa_the_minus_1_2_exponent_applies() {
        // Female, 60, Scr 1.0 mg/dL: 142 × (1.0/0.7)^−1.2 × 0.9938^60 × 1.012 = 64.50.
        assert!(close(egfr_ckd_epi_2021(umol(1.0), 60, Sex::Female), 64.50));
        // Male, 70, Scr 2.5 mg/dL: 142 × (2.5/0.9)^−1.2 × 0.9938^70 = 26.96 (G4).
        let e = egfr_ckd_epi_2021(umol(2.5), 70, Sex::Male).unwrap();
        assert!((e - 26.96).abs() < 0.01, "{e}");
        assert_eq!(GfrCategory::of(e), GfrCategory::G4);
    }

    #[test]
    fn no_estimate_for_children_unknown_sex_or_no_creatinine() {
        assert_eq!(egfr_ckd_epi_2021(80.0, 17, Sex::Male), None);
        assert!(egfr_ckd_epi_2021(80.0, 18, Sex::Male).is_some());
        assert_eq!(egfr_ckd_epi_2021(80.0, 50, Sex::Unknown), None);
        assert_eq!(egfr_ckd_epi_2021(0.0, 50, Sex::Female), None);
        assert_eq!(egfr_ckd_epi_2021(f64::NAN, 50, Sex::Female), None);
    }

    #[test]
    fn the_age_is_taken_on_the_day_of_the_test() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        // Born 1 June 1971: 54 on 31 May 2026, 55 the next day (the NKF example's age).
        let born = Some(d(1971, 6, 1));
        let k = kidney_function(d(2026, 6, 1), umol(1.2), born, Sex::Male);
        assert_eq!(k.egfr.map(f64::round), Some(71.0));
        assert_eq!(k.category, Some(GfrCategory::G2));
        let younger = kidney_function(d(2026, 5, 31), umol(1.2), born, Sex::Male);
        assert!(younger.egfr > k.egfr);
        let unknown = kidney_function(d(2026, 6, 1), umol(1.2), None, Sex::Male);
        assert_eq!((unknown.egfr, unknown.category), (None, None));
        let child = kidney_function(d(2026, 6, 1), 40.0, Some(d(2015, 1, 1)), Sex::Female);
        assert_eq!(child.egfr, None);
    }

    #[test]
    fn gfr_categories_at_their_boundaries() {
        use GfrCategory::*;
        for (egfr, cat) in [
            (120.0, G1),
            (90.0, G1),
            (89.5, G1),
            (89.4, G2),
            (60.0, G2),
            (59.0, G3a),
            (45.0, G3a),
            (44.0, G3b),
            (30.0, G3b),
            (29.0, G4),
            (15.0, G4),
            (14.0, G5),
            (5.0, G5),
        ] {
            assert_eq!(GfrCategory::of(egfr), cat, "{egfr}");
        }
        assert_eq!(G3a.label(), "G3a");
    }

    #[test]
    fn albuminuria_categories_at_their_boundaries() {
        use AlbuminuriaCategory::*;
        assert_eq!(AlbuminuriaCategory::of(0.0), A1);
        assert_eq!(AlbuminuriaCategory::of(2.99), A1);
        assert_eq!(AlbuminuriaCategory::of(3.0), A2);
        assert_eq!(AlbuminuriaCategory::of(30.0), A2);
        assert_eq!(AlbuminuriaCategory::of(30.01), A3);
        assert_eq!(A3.label(), "A3");
    }
}
