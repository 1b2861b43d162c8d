//! A disease programme: the inclusion code list that decides who is enrolled.

use super::types::CodeSystem;
use serde::{Deserialize, Serialize};

/// The default programme's definition, shipped with the binary.
pub const DIABETES_TOML: &str = include_str!("../../assets/programs/diabetes.toml");

/// A programme of the pilot (diabetes first) and its inclusion codes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Program {
    /// Stable id, e.g. `diabetes`.
    pub id: String,
    /// English name.
    pub name: String,
    /// Russian name.
    pub name_ru: String,
    /// ICD-10 codes that include a patient: a code matches when it starts with a prefix (`E11` matches `E11.9`).
    pub icd10_prefixes: Vec<String>,
    /// SNOMED CT concept ids that include a patient (exact match).
    pub snomed_codes: Vec<String>,
}

impl Program {
    /// The built-in diabetes programme (ICD-10 E10–E14; SNOMED 44054006, 46635009, 73211009).
    pub fn diabetes() -> Program {
        // The embedded file is part of the binary and covered by a test; fall back to the same
        // list written out rather than fail if it were ever edited badly.
        toml::from_str(DIABETES_TOML).unwrap_or_else(|_| Program {
            id: "diabetes".into(),
            name: "Diabetes mellitus".into(),
            name_ru: "Сахарный диабет".into(),
            icd10_prefixes: ["E10", "E11", "E12", "E13", "E14"]
                .map(String::from)
                .to_vec(),
            snomed_codes: ["44054006", "46635009", "73211009"]
                .map(String::from)
                .to_vec(),
        })
    }

    /// Parses a programme definition from TOML.
    pub fn from_toml_str(text: &str) -> Result<Program, String> {
        toml::from_str(text).map_err(|e| crate::toml_error::describe(text, &e))
    }

    /// True when a diagnosis with this code enrols the patient.
    pub fn includes(&self, system: CodeSystem, code: &str) -> bool {
        let code = code.trim();
        match system {
            CodeSystem::Icd10 => {
                // Cyrillic look-alike letters (Е11.9 typed on a Russian keyboard) fold to Latin.
                let compact = super::codes::normalize_icd10(code);
                self.icd10_prefixes
                    .iter()
                    .any(|p| compact.starts_with(p.as_str()))
            }
            CodeSystem::Snomed => self.snomed_codes.iter().any(|c| c == code),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_definition_parses_and_includes_diabetes_only() {
        let p = Program::from_toml_str(DIABETES_TOML).unwrap();
        assert_eq!(p, Program::diabetes());
        assert!(p.includes(CodeSystem::Icd10, "E11.9"));
        assert!(p.includes(CodeSystem::Icd10, "e109"));
        assert!(p.includes(CodeSystem::Snomed, "44054006"));
        assert!(
            !p.includes(CodeSystem::Snomed, "15777000"),
            "prediabetes is not diabetes"
        );
        assert!(!p.includes(CodeSystem::Icd10, "E15"));
        assert!(!p.includes(CodeSystem::Icd10, "I10"));
    }

    #[test]
    fn a_code_typed_with_a_cyrillic_letter_enrols() {
        let p = Program::diabetes();
        // "Е11.9" and "е10" with a Cyrillic Е, as Russian systems often write them.
        assert!(p.includes(CodeSystem::Icd10, "Е11.9"));
        assert!(p.includes(CodeSystem::Icd10, "е10"));
        assert!(!p.includes(CodeSystem::Icd10, "С18"));
    }
}
