//! The readmission measure's cohort exclusions: index stays whose principal diagnosis is medical
//! treatment of cancer, primary psychiatric disease or rehabilitation (CMS hospital-wide
//! readmission measure, "Index cohort exclusions"; the Tuva Project's `readmissions__exclusion`).
//!
//! The ICD-10 ranges and their sources live in `assets/codes/hwr_cohort_exclusions_icd10.toml`,
//! embedded in the binary and parsed once.

use std::sync::LazyLock;

use super::codes::CodeGroups;

/// The embedded exclusion list, as shipped in `assets/codes`.
pub const HWR_EXCLUSIONS_TOML: &str =
    include_str!("../../assets/codes/hwr_cohort_exclusions_icd10.toml");

/// The parsed list of excluded groups (see [`CodeGroups`]).
pub type ExclusionList = CodeGroups;

static HWR: LazyLock<Result<ExclusionList, String>> =
    LazyLock::new(|| CodeGroups::parse(HWR_EXCLUSIONS_TOML));

/// The embedded list, parsed on first use (a unit test guards the asset).
pub fn hwr_exclusions() -> Result<&'static ExclusionList, &'static str> {
    HWR.as_ref().map_err(String::as_str)
}

/// True when a stay with this principal diagnosis is not an index stay. A stay without a principal
/// diagnosis is never excluded.
pub fn excluded_principal(principal_dx: Option<&str>) -> bool {
    principal_dx
        .filter(|c| !c.trim().is_empty())
        .is_some_and(|c| hwr_exclusions().is_ok_and(|l| l.group_of(c).is_some()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: &str) -> Option<&'static str> {
        hwr_exclusions()
            .unwrap()
            .group_of(code)
            .map(|g| g.key.as_str())
    }

    #[test]
    fn the_shipped_list_parses_with_three_groups() {
        let keys: Vec<_> = hwr_exclusions()
            .unwrap()
            .groups()
            .map(|g| g.key.as_str())
            .collect();
        assert_eq!(keys, ["cancer", "psychiatry", "rehabilitation"]);
    }

    #[test]
    fn cancer_treatment_is_excluded() {
        assert_eq!(key("C18.7"), Some("cancer"));
        assert_eq!(key("C97"), Some("cancer"));
        assert_eq!(key("D47.1"), Some("cancer"));
        assert_eq!(key("Z51.1"), Some("cancer"));
        // Cyrillic С as Russian systems write it.
        assert_eq!(key("С18"), Some("cancer"));
        // Benign neoplasms and carcinoma in situ are not in CCS 11-45's medical-treatment group.
        assert_eq!(key("D12.6"), None);
    }

    #[test]
    fn psychiatry_is_excluded_but_dementia_and_substance_use_are_not() {
        assert_eq!(key("F20.0"), Some("psychiatry"));
        assert_eq!(key("F32.2"), Some("psychiatry"));
        assert_eq!(key("F03"), None);
        assert_eq!(key("F10.2"), None);
    }

    #[test]
    fn rehabilitation_is_excluded() {
        assert_eq!(key("Z50.1"), Some("rehabilitation"));
        assert_eq!(key("Z44.0"), Some("rehabilitation"));
        assert_eq!(key("Z51.8"), None);
    }

    #[test]
    fn no_principal_diagnosis_excludes_nothing() {
        assert!(!excluded_principal(None));
        assert!(!excluded_principal(Some(" ")));
        assert!(!excluded_principal(Some("I21.0")));
        assert!(excluded_principal(Some("F25")));
    }
}
