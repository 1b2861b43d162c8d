//! The words for the card's other measurements (creatinine with eGFR, UACR, LDL, fasting
//! glucose), shared by the TUI card and `acodesk patient`.

use super::I18n;
use crate::domain::results_vs_target::LabItem;
use chrono::NaiveDate;

/// The measurement's name ("eGFR", "LDL"…), for the label of an item or a missing measurement.
pub fn name(i18n: &I18n, index: usize) -> String {
    let key = match index {
        0 => "lab-creatinine",
        1 => "lab-uacr",
        2 => "lab-ldl",
        _ => "lab-fasting-glucose",
    };
    i18n.t(key)
}

/// The item's value with its unit and category, and its date: "106 µmol/L, eGFR 71 G2",
/// "3,4 mg/mmol A2", "2,9 mmol/L".
pub fn value(i18n: &I18n, item: &LabItem) -> (String, NaiveDate) {
    let f = &i18n.fmt;
    match item {
        LabItem::Kidney(k) => {
            let mut text = format!(
                "{} {}",
                f.decimal(k.creatinine_umol_l, 0),
                i18n.t("unit-umol-l")
            );
            if let (Some(egfr), Some(cat)) = (k.egfr, k.category) {
                let stage = cat.label().trim_start_matches('G');
                text.push_str(&format!(
                    ", {} {} {}",
                    i18n.t("lab-egfr"),
                    f.decimal(egfr, 0),
                    i18n.t_args("gfr-category", &[("stage", stage.into())])
                ));
            }
            (text, k.date)
        }
        LabItem::Uacr(date, v, cat) => {
            let stage = cat.label().trim_start_matches('A');
            (
                format!(
                    "{} {} {}",
                    f.decimal(*v, 1),
                    i18n.t("unit-mg-mmol"),
                    i18n.t_args("albuminuria-category", &[("stage", stage.into())])
                ),
                *date,
            )
        }
        LabItem::Ldl(date, v) | LabItem::FastingGlucose(date, v) => (
            format!("{} {}", f.decimal(*v, 1), i18n.t("unit-mmol-l")),
            *date,
        ),
    }
}
