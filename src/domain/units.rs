//! Normalising measurements to the register's units and refusing implausible values.

use super::types::ObservationKind;

/// Glucose: 1 mmol/L = 18.016 mg/dL (molar mass of glucose 180.16 g/mol).
pub const GLUCOSE_MG_DL_PER_MMOL_L: f64 = 18.016;

/// Converts a value to the register's unit for its kind (see [`ObservationKind::unit`]) and checks it
/// is physiologically plausible. The error is a sentence about the value.
pub fn normalise(kind: ObservationKind, value: f64, unit: &str) -> Result<f64, String> {
    let u = unit.trim().to_ascii_lowercase().replace(' ', "");
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
        ObservationKind::Glucose => match u.as_str() {
            "mmol/l" | "" => value,
            "mg/dl" => value / GLUCOSE_MG_DL_PER_MMOL_L,
            _ => {
                return Err(format!(
                    "unit \"{unit}\" is not one for glucose: expected mmol/L or mg/dL"
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
        ObservationKind::Glucose => (0.5, 60.0),
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
}
