//! Charlson comorbidity score from ICD-10 diagnoses: the Quan et al. 2005 ICD-10 coding algorithm
//! (Med Care 2005;43:1130) with the original Charlson weights, as used by the LACE index.
//!
//! The code list lives in `assets/codes/charlson_quan2005_icd10.toml`, is embedded in the binary and
//! parsed once. [`CharlsonTable::parse`] is pure, so any other list in the same format can be tested.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

/// The embedded Quan 2005 ICD-10 list, as shipped in `assets/codes`.
pub const QUAN2005_ICD10_TOML: &str =
    include_str!("../../assets/codes/charlson_quan2005_icd10.toml");

/// At most this many conditions fit in a table (conditions are tracked as bits of a `u32`).
pub const MAX_CONDITIONS: usize = 32;

/// One Charlson condition as written in the code list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CharlsonCondition {
    /// Stable identifier, e.g. `diabetes_complicated`.
    pub key: String,
    /// Label for people, e.g. "Diabetes with chronic complication".
    pub name: String,
    /// The Charlson weight added when the condition is present.
    pub weight: u32,
    /// ICD-10 prefixes and prefix ranges as written in the list ("I25.2", "I60-I69").
    pub codes: Vec<String>,
    /// Keys of the conditions this one replaces when both are present (hierarchy rules).
    #[serde(default)]
    pub supersedes: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTable {
    condition: Vec<CharlsonCondition>,
}

/// A parsed code list: the conditions plus a prefix index for fast look-up.
#[derive(Debug, Clone)]
pub struct CharlsonTable {
    conditions: Vec<CharlsonCondition>,
    /// Normalised prefix → bit set of the conditions it indicates.
    prefixes: HashMap<String, u32>,
    /// For each condition, the bit set of the conditions it supersedes.
    supersedes: Vec<u32>,
    min_prefix: usize,
    max_prefix: usize,
}

use crate::domain::codes::expand_entry;
/// Normalises an ICD-10 code for matching (see [`crate::domain::codes::normalize_icd10`]): trims,
/// drops dots and spaces, folds Cyrillic look-alike letters to Latin, upper-cases.
pub use crate::domain::codes::normalize_icd10;

impl CharlsonTable {
    /// Parses and checks a code list in the TOML format of `assets/codes/charlson_quan2005_icd10.toml`.
    pub fn parse(toml_text: &str) -> Result<Self, String> {
        let raw: RawTable = toml::from_str(toml_text).map_err(|e| e.to_string())?;
        let conditions = raw.condition;
        if conditions.is_empty() || conditions.len() > MAX_CONDITIONS {
            return Err(format!(
                "a Charlson table needs 1 to {MAX_CONDITIONS} conditions, this one has {}",
                conditions.len()
            ));
        }
        let mut index: HashMap<&str, usize> = HashMap::new();
        for (i, c) in conditions.iter().enumerate() {
            if c.key.trim().is_empty() {
                return Err(format!("condition {} has an empty key", i + 1));
            }
            if index.insert(c.key.as_str(), i).is_some() {
                return Err(format!("condition \"{}\" is listed twice", c.key));
            }
        }
        let mut prefixes: HashMap<String, u32> = HashMap::new();
        let mut supersedes = Vec::with_capacity(conditions.len());
        for (i, c) in conditions.iter().enumerate() {
            if c.codes.is_empty() {
                return Err(format!("condition \"{}\" has no codes", c.key));
            }
            for entry in &c.codes {
                for p in expand_entry(entry).map_err(|e| format!("{}: {e}", c.key))? {
                    *prefixes.entry(p).or_insert(0) |= 1 << i;
                }
            }
            let mut mask = 0u32;
            for key in &c.supersedes {
                match index.get(key.as_str()) {
                    Some(&j) if j != i => mask |= 1 << j,
                    Some(_) => return Err(format!("condition \"{key}\" cannot supersede itself")),
                    None => {
                        return Err(format!(
                            "condition \"{}\" supersedes unknown \"{key}\"",
                            c.key
                        ));
                    }
                }
            }
            supersedes.push(mask);
        }
        let min_prefix = prefixes.keys().map(String::len).min().unwrap_or(0);
        let max_prefix = prefixes.keys().map(String::len).max().unwrap_or(0);
        Ok(CharlsonTable {
            conditions,
            prefixes,
            supersedes,
            min_prefix,
            max_prefix,
        })
    }

    /// The conditions of the list, in the order written.
    pub fn conditions(&self) -> &[CharlsonCondition] {
        &self.conditions
    }

    /// Bit set of the conditions indicated by one code, before the hierarchy rules.
    fn code_mask(&self, code: &str) -> u32 {
        let code = normalize_icd10(code);
        let longest = code.len().min(self.max_prefix);
        (self.min_prefix..=longest)
            .filter_map(|len| code.get(..len))
            .filter_map(|p| self.prefixes.get(p))
            .fold(0, |acc, m| acc | m)
    }

    /// Bit set of the conditions present among `codes`, after the hierarchy rules.
    fn present_mask(&self, codes: &[&str]) -> u32 {
        let found = codes.iter().fold(0u32, |acc, c| acc | self.code_mask(c));
        let superseded = self
            .supersedes
            .iter()
            .enumerate()
            .filter(|(i, _)| found & (1 << i) != 0)
            .fold(0u32, |acc, (_, m)| acc | m);
        found & !superseded
    }

    /// The conditions present among `codes` (dot optional), after the hierarchy rules, in list order.
    pub fn conditions_present(&self, codes: &[&str]) -> Vec<&CharlsonCondition> {
        let mask = self.present_mask(codes);
        self.conditions
            .iter()
            .enumerate()
            .filter(|(i, _)| mask & (1 << i) != 0)
            .map(|(_, c)| c)
            .collect()
    }

    /// The Charlson score of `codes`: the sum of the weights of the conditions present, each once.
    pub fn score(&self, codes: &[&str]) -> u32 {
        self.conditions_present(codes)
            .iter()
            .map(|c| c.weight)
            .sum()
    }
}

static QUAN2005: LazyLock<Result<CharlsonTable, String>> =
    LazyLock::new(|| CharlsonTable::parse(QUAN2005_ICD10_TOML));

/// The embedded Quan 2005 ICD-10 table, parsed on first use. An error means the shipped asset is
/// broken (a unit test guards against that).
pub fn quan2005() -> Result<&'static CharlsonTable, &'static str> {
    QUAN2005.as_ref().map_err(String::as_str)
}

/// Charlson score of a discharge's ICD-10 codes (with or without the dot: E11.2 or E112) under the
/// Quan 2005 algorithm with the original weights. Duplicate codes count once.
/// Returns 0 if the embedded list failed to parse, which the unit tests rule out.
pub fn charlson_score(icd10_codes: &[&str]) -> u32 {
    quan2005().map(|t| t.score(icd10_codes)).unwrap_or(0)
}

/// Keys of the Quan 2005 conditions present among the codes, after the hierarchy rules, for display.
pub fn charlson_conditions(icd10_codes: &[&str]) -> Vec<&'static str> {
    quan2005()
        .map(|t| {
            t.conditions_present(icd10_codes)
                .into_iter()
                .map(|c| c.key.as_str())
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// Checks that no prefix is written twice in one condition; used by the tests of the shipped list.
    fn duplicate_prefixes(table: &CharlsonTable) -> Vec<String> {
        let mut dups = Vec::new();
        for c in &table.conditions {
            let mut seen = HashSet::new();
            for p in c
                .codes
                .iter()
                .filter_map(|e| expand_entry(e).ok())
                .flatten()
            {
                if !seen.insert(p.clone()) {
                    dups.push(format!("{}: {p}", c.key));
                }
            }
        }
        dups
    }

    fn table() -> &'static CharlsonTable {
        quan2005().unwrap()
    }

    fn keys(codes: &[&str]) -> Vec<&'static str> {
        charlson_conditions(codes)
    }

    #[test]
    fn shipped_list_parses_with_all_17_conditions() {
        let t = table();
        assert_eq!(t.conditions().len(), 17);
        assert!(
            duplicate_prefixes(t).is_empty(),
            "{:?}",
            duplicate_prefixes(t)
        );
        let weights: Vec<u32> = t.conditions().iter().map(|c| c.weight).collect();
        assert_eq!(weights, [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 3, 6, 6]);
        // Each condition's codes sit in exactly one condition (Quan's list is disjoint).
        assert!(t.prefixes.values().all(|m| m.count_ones() == 1));
    }

    #[test]
    fn one_code_per_condition() {
        let cases: &[(&str, &str, u32)] = &[
            ("I21.4", "myocardial_infarction", 1),
            ("I25.2", "myocardial_infarction", 1),
            ("I50.9", "congestive_heart_failure", 1),
            ("I42.7", "congestive_heart_failure", 1),
            ("P29.0", "congestive_heart_failure", 1),
            ("I70.2", "peripheral_vascular_disease", 1),
            ("Z95.8", "peripheral_vascular_disease", 1),
            ("I63.9", "cerebrovascular_disease", 1),
            ("H34.0", "cerebrovascular_disease", 1),
            ("F01.1", "dementia", 1),
            ("G30.9", "dementia", 1),
            ("J44.1", "chronic_pulmonary_disease", 1),
            ("J70.3", "chronic_pulmonary_disease", 1),
            ("M05.3", "rheumatic_disease", 1),
            ("M31.5", "rheumatic_disease", 1),
            ("K26.0", "peptic_ulcer_disease", 1),
            ("K70.3", "mild_liver_disease", 1),
            ("Z94.4", "mild_liver_disease", 1),
            ("E11.9", "diabetes_uncomplicated", 1),
            ("E14.6", "diabetes_uncomplicated", 1),
            ("E11.2", "diabetes_complicated", 2),
            ("E10.7", "diabetes_complicated", 2),
            ("G81.9", "hemiplegia_paraplegia", 2),
            ("G83.4", "hemiplegia_paraplegia", 2),
            ("N18.5", "renal_disease", 2),
            ("Z99.2", "renal_disease", 2),
            ("C34.1", "malignancy", 2),
            ("C92.0", "malignancy", 2),
            ("K72.1", "severe_liver_disease", 3),
            ("I85.0", "severe_liver_disease", 3),
            ("C78.0", "metastatic_solid_tumour", 6),
            ("B20.0", "hiv_aids", 6),
            ("B24", "hiv_aids", 6),
        ];
        for &(code, key, weight) in cases {
            assert_eq!(keys(&[code]), [key], "{code}");
            assert_eq!(charlson_score(&[code]), weight, "{code}");
        }
    }

    #[test]
    fn codes_outside_the_list_score_nothing() {
        for code in [
            "I10", "I25.1", "I42.1", "I73.0", "E11", "E66.0", "C44.3", "C80X", "K70.4X", "B23.0",
            "N18X", "", "  ", "11", "Ё11.2", "C4", "Z95.0", "K76.1", "G83.5",
        ] {
            let expect = match code {
                // Longer codes still fall under their prefix.
                "C80X" => 6,
                "K70.4X" => 3,
                "N18X" => 2,
                _ => 0,
            };
            assert_eq!(charlson_score(&[code]), expect, "{code:?}");
        }
    }

    #[test]
    fn dot_case_and_cm_extensions_do_not_matter() {
        assert_eq!(charlson_score(&["E11.2"]), 2);
        assert_eq!(charlson_score(&["E112"]), 2);
        assert_eq!(charlson_score(&[" e11.22 "]), 2);
        assert_eq!(charlson_score(&["I50.33"]), 1);
    }

    #[test]
    fn codes_typed_with_cyrillic_lookalike_letters_score() {
        // Е11.2 and С18 with Cyrillic Е and С, К70.4 with a Cyrillic К.
        assert_eq!(charlson_score(&["Е11.2"]), 2);
        assert_eq!(charlson_conditions(&["С18"]), ["malignancy"]);
        assert_eq!(charlson_score(&["к70.4"]), 3);
    }

    #[test]
    fn each_condition_counts_once() {
        assert_eq!(charlson_score(&["I50.0", "I50.9", "I11.0", "I500"]), 1);
        assert_eq!(charlson_score(&[]), 0);
    }

    #[test]
    fn diabetes_with_complications_supersedes_without() {
        assert_eq!(charlson_score(&["E11.9", "E11.2"]), 2);
        assert_eq!(keys(&["E11.9", "E11.2"]), ["diabetes_complicated"]);
        assert_eq!(charlson_score(&["E11.9"]), 1);
    }

    #[test]
    fn severe_liver_supersedes_mild() {
        assert_eq!(charlson_score(&["K70.3", "K72.1"]), 3);
        assert_eq!(charlson_score(&["B18.2", "I85.9", "K74.6"]), 3);
        assert_eq!(charlson_score(&["K74.6"]), 1);
    }

    #[test]
    fn metastases_supersede_any_malignancy() {
        assert_eq!(charlson_score(&["C34.1", "C78.0"]), 6);
        assert_eq!(keys(&["C50.9", "C79.5"]), ["metastatic_solid_tumour"]);
        assert_eq!(charlson_score(&["C50.9"]), 2);
    }

    #[test]
    fn conditions_add_up() {
        // CHF 1 + diabetes with complications 2 + renal 2 + COPD 1 + HIV 6.
        assert_eq!(
            charlson_score(&["I50.9", "E11.2", "E11.9", "N18.4", "J44.9", "B20"]),
            12
        );
        assert_eq!(
            keys(&["I50.9", "E11.2"]),
            ["congestive_heart_failure", "diabetes_complicated"]
        );
    }

    #[test]
    fn ranges_expand_inclusively() {
        assert_eq!(
            expand_entry("I42.5-I42.9").unwrap(),
            ["I425", "I426", "I427", "I428", "I429"]
        );
        assert_eq!(expand_entry("C00-C02").unwrap(), ["C00", "C01", "C02"]);
        assert_eq!(expand_entry("F05.1").unwrap(), ["F051"]);
        assert!(expand_entry("C00-D02").is_err());
        assert!(expand_entry("C10-C01").is_err());
        assert!(expand_entry("C1-C100").is_err());
        assert!(expand_entry("XYZ").is_err());
    }

    #[test]
    fn parse_rejects_broken_lists() {
        let ok = "[[condition]]\nkey='a'\nname='A'\nweight=1\ncodes=['A01']\n";
        assert!(CharlsonTable::parse(ok).is_ok());
        let twice = format!("{ok}{ok}");
        assert!(CharlsonTable::parse(&twice).unwrap_err().contains("twice"));
        let unknown = format!("{ok}supersedes=['b']\n");
        assert!(
            CharlsonTable::parse(&unknown)
                .unwrap_err()
                .contains("unknown")
        );
        let selfish = format!("{ok}supersedes=['a']\n");
        assert!(CharlsonTable::parse(&selfish).is_err());
        let no_codes = "[[condition]]\nkey='a'\nname='A'\nweight=1\ncodes=[]\n";
        assert!(CharlsonTable::parse(no_codes).is_err());
        let extra = format!("{ok}colour='red'\n");
        assert!(CharlsonTable::parse(&extra).is_err());
        assert!(CharlsonTable::parse("").is_err());
    }

    #[test]
    fn a_custom_list_applies_its_own_hierarchy() {
        let text = "[[condition]]\nkey='a'\nname='A'\nweight=1\ncodes=['A01-A03']\n\
                    [[condition]]\nkey='b'\nname='B'\nweight=4\ncodes=['B01.2']\nsupersedes=['a']\n";
        let t = CharlsonTable::parse(text).unwrap();
        assert_eq!(t.score(&["A02.9"]), 1);
        assert_eq!(t.score(&["A02.9", "B01.2"]), 4);
        assert_eq!(t.score(&["B01.3"]), 0);
    }
}
