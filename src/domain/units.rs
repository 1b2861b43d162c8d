//! Normalising measurements to the register's units and refusing implausible values.

use super::types::ObservationKind;

/// Glucose: 1 mmol/L = 18.016 mg/dL (molar mass of glucose 180.16 g/mol).
pub const GLUCOSE_MG_DL_PER_MMOL_L: f64 = 18.016;

/// Creatinine: 1 mg/dL = 88.42 µmol/L (molar mass of creatinine 113.12 g/mol: 10 000 / 113.12).
/// Russian laboratories report µmol/L, which the register stores.
pub const CREATININE_UMOL_L_PER_MG_DL: f64 = 88.42;

/// Urine albumin/creatinine ratio: 1 mg/mmol = 8.84 mg/g (1 mmol of creatinine weighs 0.11312 g).
/// The register stores mg/mmol, as KDIGO's albuminuria categories in SI units and Russian
/// laboratories give it.
pub const UACR_MG_G_PER_MG_MMOL: f64 = 8.84;

/// LDL cholesterol: 1 mmol/L = 38.67 mg/dL (molar mass of cholesterol 386.65 g/mol).
pub const LDL_MG_DL_PER_MMOL_L: f64 = 38.67;

/// A unit as written, folded for comparison: trimmed, lower case (Cyrillic too), spaces dropped,
/// the micro sign and the Greek mu both read as `u`.
fn fold_unit(unit: &str) -> String {
    unit.trim()
        .to_lowercase()
        .replace(' ', "")
        .replace(['µ', 'μ'], "u")
}

/// Converts a value to the register's unit for its kind (see [`ObservationKind::unit`]) and checks it
/// is physiologically plausible. The error is a sentence about the value.
pub fn normalise(kind: ObservationKind, value: f64, unit: &str) -> Result<f64, String> {
    let u = fold_unit(unit);
    let converted = match kind {
        ObservationKind::Hba1c => match u.as_str() {
            "%" | "" | "percent" | "%{hemoglobin}" => value,
            // IFCC to NGSP (DCCT): % = 0.09148 × mmol/mol + 2.152.
            "mmol/mol" => 0.09148 * value + 2.152,
            _ => {
                return Err(format!(
                    "unit \"{unit}\" is not one for HbA1c: expected % or mmol/mol"
                ));
            }
        },
        ObservationKind::Glucose | ObservationKind::FastingGlucose => match u.as_str() {
            "mmol/l" | "" | "ммоль/л" => value,
            "mg/dl" | "мг/дл" => value / GLUCOSE_MG_DL_PER_MMOL_L,
            _ => {
                return Err(format!(
                    "unit \"{unit}\" is not one for glucose: expected mmol/L or mg/dL"
                ));
            }
        },
        ObservationKind::Creatinine => match u.as_str() {
            "umol/l" | "" | "мкмоль/л" => value,
            "mg/dl" | "мг/дл" => value * CREATININE_UMOL_L_PER_MG_DL,
            "mmol/l" | "ммоль/л" => value * 1000.0,
            _ => {
                return Err(format!(
                    "unit \"{unit}\" is not one for creatinine: expected umol/L or mg/dL"
                ));
            }
        },
        ObservationKind::Uacr => match u.as_str() {
            "mg/mmol" | "" | "мг/ммоль" | "mg/mmol{creat}" => value,
            "mg/g" | "mg/g{creat}" | "mg/gcreat" | "мг/г" | "ug/mg" | "ug/mg{creat}" => {
                value / UACR_MG_G_PER_MG_MMOL
            }
            _ => {
                return Err(format!(
                    "unit \"{unit}\" is not one for the urine albumin/creatinine ratio: expected mg/mmol or mg/g"
                ));
            }
        },
        ObservationKind::Ldl => match u.as_str() {
            "mmol/l" | "" | "ммоль/л" => value,
            "mg/dl" | "мг/дл" => value / LDL_MG_DL_PER_MMOL_L,
            _ => {
                return Err(format!(
                    "unit \"{unit}\" is not one for LDL cholesterol: expected mmol/L or mg/dL"
                ));
            }
        },
        ObservationKind::Systolic | ObservationKind::Diastolic => match u.as_str() {
            "mm[hg]" | "mmhg" | "" | "мм рт.ст." | "ммрт.ст." => value,
            _ => {
                return Err(format!(
                    "unit \"{unit}\" is not one for blood pressure: expected mm[Hg]"
                ));
            }
        },
        ObservationKind::Weight => match u.as_str() {
            "kg" | "" | "кг" => value,
            "[lb_av]" | "lb" => value * 0.453_592_37,
            "g" => value / 1000.0,
            _ => {
                return Err(format!(
                    "unit \"{unit}\" is not one for weight: expected kg"
                ));
            }
        },
    };
    let (low, high) = plausible_range(kind);
    if !(low..=high).contains(&converted) {
        return Err(format!(
            "{value} {unit} is not a plausible {} value: expected {low}–{high} {}",
            kind.as_code(),
            kind.unit()
        ));
    }
    Ok((converted * 100.0).round() / 100.0)
}

/// The range of values a real measurement of this kind can take, in the register's unit.
pub fn plausible_range(kind: ObservationKind) -> (f64, f64) {
    match kind {
        // From 2 %: the NGSP scale's own floor. By the NGSP–IFCC master equation used above
        // (Hoelzel W et al., "IFCC reference system for measurement of hemoglobin A1c in human
        // blood and the national standardization schemes in the United States, Japan, and
        // Sweden", Clin Chem 2004;50(1):166–174), 0 mmol/mol IFCC is 2.15 % NGSP, so no real
        // result lies below it; values of 2.6–2.9 % occur (haemolysis, transfusion, and
        // Synthea's own generated results), and a 3 % floor refused them.
        ObservationKind::Hba1c => (2.0, 20.0),
        ObservationKind::Glucose | ObservationKind::FastingGlucose => (0.5, 60.0),
        // From 10 µmol/L (0.11 mg/dL, below any adult's) to 3,000 (34 mg/dL, untreated kidney
        // failure).
        ObservationKind::Creatinine => (10.0, 3000.0),
        // 0 (none detected) to 1,500 mg/mmol (13,000 mg/g: beyond nephrotic-range albuminuria).
        ObservationKind::Uacr => (0.0, 1500.0),
        // 0.1 to 25 mmol/L (homozygous familial hypercholesterolaemia reaches about 20).
        ObservationKind::Ldl => (0.1, 25.0),
        ObservationKind::Systolic => (50.0, 300.0),
        ObservationKind::Diastolic => (20.0, 200.0),
        ObservationKind::Weight => (1.0, 400.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_and_refuses() {
        assert_eq!(
            normalise(ObservationKind::Glucose, 180.16, "mg/dL"),
            Ok(10.0)
        );
        assert_eq!(normalise(ObservationKind::Hba1c, 53.0, "mmol/mol"), Ok(7.0));
        assert_eq!(normalise(ObservationKind::Hba1c, 8.4, "%"), Ok(8.4));
        assert!(normalise(ObservationKind::Hba1c, 90.0, "%").is_err());
        assert_eq!(normalise(ObservationKind::Hba1c, 2.6, "%"), Ok(2.6));
        assert!(normalise(ObservationKind::Hba1c, 1.9, "%").is_err());
        assert!(normalise(ObservationKind::Systolic, 120.0, "kg").is_err());
    }

    #[test]
    fn the_measurements_the_guidelines_track_are_stored_in_one_unit_each() {
        use ObservationKind::*;
        // Creatinine in µmol/L, whichever way µ is written; mg/dL × 88.42.
        assert_eq!(normalise(Creatinine, 1.0, "mg/dL"), Ok(88.42));
        assert_eq!(normalise(Creatinine, 95.0, "µmol/L"), Ok(95.0));
        assert_eq!(normalise(Creatinine, 95.0, "μmol/L"), Ok(95.0));
        assert_eq!(normalise(Creatinine, 95.0, "umol/L"), Ok(95.0));
        assert_eq!(normalise(Creatinine, 95.0, "мкмоль/л"), Ok(95.0));
        assert!(normalise(Creatinine, 1.0, "g/L").is_err());
        assert!(
            normalise(Creatinine, 1.0, "umol/L").is_err(),
            "1 µmol/L is no creatinine: a mg/dL value with the wrong unit"
        );
        // UACR in mg/mmol; mg/g ÷ 8.84 (30 mg/g is KDIGO's A2 boundary, 3 mg/mmol).
        assert_eq!(normalise(Uacr, 30.0, "mg/g"), Ok(3.39));
        assert_eq!(normalise(Uacr, 3.4, "mg/mmol"), Ok(3.4));
        assert_eq!(normalise(Uacr, 0.0, "mg/g"), Ok(0.0));
        assert!(normalise(Uacr, 3.0, "g/L").is_err());
        // LDL in mmol/L; mg/dL ÷ 38.67.
        assert_eq!(normalise(Ldl, 100.0, "mg/dL"), Ok(2.59));
        assert_eq!(normalise(Ldl, 2.6, "ммоль/л"), Ok(2.6));
        assert!(normalise(Ldl, 2.6, "mg/mmol").is_err());
        // Fasting glucose converts as glucose does.
        assert_eq!(normalise(FastingGlucose, 126.0, "mg/dL"), Ok(6.99));
        // Every kind has a canonical unit its own conversion accepts unchanged.
        for kind in ObservationKind::ALL {
            let (low, high) = plausible_range(*kind);
            let mid = ((low + high) / 2.0 * 100.0).round() / 100.0;
            assert_eq!(normalise(*kind, mid, kind.unit()), Ok(mid), "{kind}");
        }
    }
}
