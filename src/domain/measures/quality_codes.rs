//! The ICD-10 code groups of CMS122 and CMS165 (hospice/palliative care, frailty, advanced
//! illness, essential hypertension, end-stage renal disease, pregnancy), from
//! `assets/codes/quality_measures_icd10.toml`, embedded and parsed once.

use std::sync::LazyLock;

use crate::domain::codes::CodeGroups;

/// The embedded list, as shipped in `assets/codes`.
pub const QUALITY_CODES_TOML: &str =
    include_str!("../../../assets/codes/quality_measures_icd10.toml");

static LIST: LazyLock<Result<CodeGroups, String>> =
    LazyLock::new(|| CodeGroups::parse(QUALITY_CODES_TOML));

/// The parsed list (a unit test guards the asset).
pub fn quality_codes() -> Result<&'static CodeGroups, &'static str> {
    LIST.as_ref().map_err(String::as_str)
}

/// The groups one ICD-10 code falls in, as bits of [`Condition`] values.
pub fn condition_mask(code: &str) -> u32 {
    quality_codes().map_or(0, |l| l.mask(code))
}

/// A condition the quality measures read from diagnoses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Condition {
    /// Hospice or palliative care (exclusion of CMS122 and CMS165).
    Palliative,
    /// Frailty (with advanced illness at 66+, an exclusion).
    Frailty,
    /// Advanced illness.
    AdvancedIllness,
    /// Essential hypertension (CMS165's denominator).
    Hypertension,
    /// End-stage renal disease, dialysis or a kidney transplant (CMS165 exclusion).
    Esrd,
    /// Pregnancy (CMS165 exclusion).
    Pregnancy,
    /// Diabetes mellitus (CMS122's denominator; the worklist's kidney-function check).
    Diabetes,
}

impl Condition {
    /// The group key in the asset.
    pub fn key(self) -> &'static str {
        match self {
            Condition::Palliative => "palliative",
            Condition::Frailty => "frailty",
            Condition::AdvancedIllness => "advanced_illness",
            Condition::Hypertension => "hypertension",
            Condition::Esrd => "esrd",
            Condition::Pregnancy => "pregnancy",
            Condition::Diabetes => "diabetes",
        }
    }

    /// The condition's bit in [`condition_mask`].
    pub fn bit(self) -> u32 {
        quality_codes().map_or(0, |l| l.bit(self.key()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has(code: &str, c: Condition) -> bool {
        condition_mask(code) & c.bit() != 0
    }

    #[test]
    fn the_shipped_list_parses_with_every_condition() {
        let l = quality_codes().unwrap();
        let keys: Vec<_> = l.groups().map(|g| g.key.as_str()).collect();
        for c in [
            Condition::Palliative,
            Condition::Frailty,
            Condition::AdvancedIllness,
            Condition::Hypertension,
            Condition::Esrd,
            Condition::Pregnancy,
            Condition::Diabetes,
        ] {
            assert!(keys.contains(&c.key()), "{}", c.key());
            assert_ne!(c.bit(), 0);
        }
    }

    #[test]
    fn codes_fall_in_their_groups() {
        assert!(has("Z51.5", Condition::Palliative));
        assert!(has("R54", Condition::Frailty));
        assert!(has("W19", Condition::Frailty));
        assert!(has("G30.1", Condition::AdvancedIllness));
        assert!(has("I50.0", Condition::AdvancedIllness));
        assert!(has("I10", Condition::Hypertension));
        assert!(has("I15.0", Condition::Hypertension));
        assert!(!has("I16", Condition::Hypertension));
        assert!(has("N18.5", Condition::Esrd) && has("N18.5", Condition::AdvancedIllness));
        assert!(has("Z99.2", Condition::Esrd));
        assert!(has("O24.4", Condition::Pregnancy));
        // A Cyrillic О in a pregnancy code, as Russian systems write it.
        assert!(has("О24.4", Condition::Pregnancy));
        assert_eq!(condition_mask("E11.9"), Condition::Diabetes.bit());
        // A Cyrillic Е, and the Russian register's E12 and E14.
        assert!(has("Е11.9", Condition::Diabetes));
        assert!(has("E14.9", Condition::Diabetes) && has("E10.2", Condition::Diabetes));
        assert!(!has("E15", Condition::Diabetes));
        assert_eq!(condition_mask("J45.9"), 0);
    }
}
