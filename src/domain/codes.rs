//! ICD-10 codes as people and Russian systems write them, folded to one form for matching.
//!
//! Russian registers often type the letter of an ICD-10 code on a Cyrillic keyboard: "Е11.9" with a
//! Cyrillic Е, "С18", "К70". Such a code looks right and matches nothing. Every code match in
//! acodesk (programme enrolment, Charlson, the readmission cohort exclusions) goes through
//! [`normalize_icd10`], which folds the eleven Cyrillic look-alike capitals (А В Е К М Н О Р С Т Х,
//! and their lower-case forms) to the Latin letters they imitate.

/// The Cyrillic letters that look like Latin capitals used in ICD-10, with the Latin letter each
/// imitates (upper- and lower-case Cyrillic both fold to the Latin capital).
pub const CYRILLIC_LOOKALIKES: [(char, char); 11] = [
    ('А', 'A'),
    ('В', 'B'),
    ('Е', 'E'),
    ('К', 'K'),
    ('М', 'M'),
    ('Н', 'H'),
    ('О', 'O'),
    ('Р', 'P'),
    ('С', 'C'),
    ('Т', 'T'),
    ('Х', 'X'),
];

/// The Latin letter a Cyrillic look-alike imitates, or the character itself upper-cased (ASCII).
pub fn fold_lookalike(c: char) -> char {
    let upper = c.to_uppercase().next().unwrap_or(c);
    CYRILLIC_LOOKALIKES
        .iter()
        .find(|(cyr, _)| *cyr == upper)
        .map_or(c.to_ascii_uppercase(), |(_, latin)| *latin)
}

/// Normalises an ICD-10 code for matching: trims, drops dots and spaces, folds Cyrillic look-alike
/// letters to Latin and upper-cases ("е11.2" with a Cyrillic е → "E112").
pub fn normalize_icd10(code: &str) -> String {
    code.chars()
        .filter(|c| !c.is_whitespace() && *c != '.')
        .map(fold_lookalike)
        .collect()
}

/// A code as it should be stored: trimmed, Cyrillic look-alike letters folded to Latin and
/// upper-cased, the dot kept where it was written ("е11.9" → "E11.9").
pub fn fold_icd10(code: &str) -> String {
    code.trim().chars().map(fold_lookalike).collect()
}

/// A diagnosis code as the register stores it, whichever importer read it: an ICD-10 code folded
/// ([`fold_icd10`]: "Е11.9" with a Cyrillic Е is stored as "E11.9", so one diagnosis is one row),
/// a code of any other system as written.
pub fn stored_diagnosis_code(system: crate::domain::types::CodeSystem, code: &str) -> String {
    match system {
        crate::domain::types::CodeSystem::Icd10 => fold_icd10(code),
        crate::domain::types::CodeSystem::Snomed => code.to_string(),
    }
}

/// The code folded for storage when it has the shape of an ICD-10 code (a letter, two digits,
/// then an optional dot and subdivision: "I21.0", "Е11.9" with a Cyrillic Е), else `None` (a
/// SNOMED CT concept id, free text).
pub fn icd10_shaped(code: &str) -> Option<String> {
    let folded = fold_icd10(code);
    let compact = normalize_icd10(&folded);
    let mut chars = compact.chars();
    let letter = chars.next().filter(char::is_ascii_uppercase)?;
    let rest: String = chars.collect();
    let digits = rest.chars().take_while(char::is_ascii_digit).count();
    let tail_ok = rest.chars().skip(2).all(|c| c.is_ascii_alphanumeric());
    (letter.is_ascii_alphabetic() && digits >= 2 && tail_ok && rest.len() <= 6).then_some(folded)
}

/// One named group of ICD-10 codes in a code-list asset (`assets/codes/*.toml`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeGroup {
    /// Stable identifier, e.g. `cancer` or `palliative`.
    pub key: String,
    /// English label.
    pub name: String,
    /// Russian label.
    pub name_ru: String,
    /// ICD-10 prefixes and ranges as written in the list ("I10-I15", "Z51.5").
    pub codes: Vec<String>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGroups {
    group: Vec<CodeGroup>,
}

/// A parsed code-list asset: named groups with their expanded, normalised prefixes. A code is in a
/// group when it starts with one of the group's prefixes (after [`normalize_icd10`]).
#[derive(Debug, Clone)]
pub struct CodeGroups {
    groups: Vec<(CodeGroup, Vec<String>)>,
}

impl CodeGroups {
    /// Parses a list of `[[group]]` tables (key, name, name_ru, codes); at most 32 groups.
    pub fn parse(toml_text: &str) -> Result<Self, String> {
        let raw: RawGroups = toml::from_str(toml_text).map_err(|e| e.to_string())?;
        if raw.group.len() > 32 {
            return Err(format!("{} groups: at most 32 fit", raw.group.len()));
        }
        let mut groups = Vec::new();
        for g in raw.group {
            let mut prefixes = Vec::new();
            for entry in &g.codes {
                prefixes.extend(expand_entry(entry).map_err(|e| format!("{}: {e}", g.key))?);
            }
            groups.push((g, prefixes));
        }
        Ok(CodeGroups { groups })
    }

    /// The first group a code falls in, if any (Cyrillic look-alike letters fold).
    pub fn group_of(&self, code: &str) -> Option<&CodeGroup> {
        let code = normalize_icd10(code);
        self.groups
            .iter()
            .find(|(_, prefixes)| prefixes.iter().any(|p| code.starts_with(p.as_str())))
            .map(|(g, _)| g)
    }

    /// Bit `i` set when the code is in the `i`-th group.
    pub fn mask(&self, code: &str) -> u32 {
        let code = normalize_icd10(code);
        self.groups
            .iter()
            .enumerate()
            .filter(|(_, (_, prefixes))| prefixes.iter().any(|p| code.starts_with(p.as_str())))
            .fold(0, |m, (i, _)| m | (1 << i))
    }

    /// The bit of the group with this key (0 when there is none).
    pub fn bit(&self, key: &str) -> u32 {
        self.groups
            .iter()
            .position(|(g, _)| g.key == key)
            .map_or(0, |i| 1 << i)
    }

    /// The groups, in the list's order.
    pub fn groups(&self) -> impl Iterator<Item = &CodeGroup> {
        self.groups.iter().map(|(g, _)| g)
    }
}

/// Splits a normalised prefix into its letter and digits, e.g. "I425" → ('I', "425").
fn letter_and_digits(prefix: &str) -> Option<(char, &str)> {
    let mut chars = prefix.chars();
    let letter = chars.next().filter(|c| c.is_ascii_uppercase())?;
    let digits = chars.as_str();
    if digits.len() >= 2 && digits.bytes().all(|b| b.is_ascii_digit()) {
        Some((letter, digits))
    } else {
        None
    }
}

/// Expands one entry of a code list ("I25.2" or "I42.5-I42.9") into normalised prefixes.
pub(crate) fn expand_entry(entry: &str) -> Result<Vec<String>, String> {
    let bad = || format!("\"{entry}\" is not an ICD-10 prefix like I25.2 or a range like I60-I69");
    match entry.split_once('-') {
        None => {
            let p = normalize_icd10(entry);
            letter_and_digits(&p).ok_or_else(bad)?;
            Ok(vec![p])
        }
        Some((a, b)) => {
            let (a, b) = (normalize_icd10(a), normalize_icd10(b));
            let (la, da) = letter_and_digits(&a).ok_or_else(bad)?;
            let (lb, db) = letter_and_digits(&b).ok_or_else(bad)?;
            if la != lb || da.len() != db.len() {
                return Err(bad());
            }
            let start: u32 = da.parse().map_err(|_| bad())?;
            let end: u32 = db.parse().map_err(|_| bad())?;
            if start > end {
                return Err(format!("range \"{entry}\" runs backwards"));
            }
            let width = da.len();
            Ok((start..=end).map(|n| format!("{la}{n:0width$}")).collect())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cyrillic_lookalike_folds_to_its_latin_letter() {
        let cyrillic = "АВЕКМНОРСТХ";
        assert_eq!(normalize_icd10(cyrillic), "ABEKMHOPCTX");
        assert_eq!(normalize_icd10(&cyrillic.to_lowercase()), "ABEKMHOPCTX");
        // Each is a different code point from the Latin letter it imitates.
        assert!(cyrillic.chars().all(|c| !c.is_ascii()));
    }

    #[test]
    fn russian_written_codes_match_their_latin_form() {
        assert_eq!(normalize_icd10("Е11.9"), "E119");
        assert_eq!(normalize_icd10(" с18 "), "C18");
        assert_eq!(normalize_icd10("К70.3"), "K703");
        assert_eq!(fold_icd10(" Е11.9"), "E11.9");
        // Latin codes are unchanged; other letters stay as they are.
        assert_eq!(normalize_icd10("i10"), "I10");
        assert_eq!(normalize_icd10("Ж10"), "Ж10");
    }

    #[test]
    fn only_icd10_shaped_codes_are_taken_as_icd10() {
        assert_eq!(icd10_shaped("I21.0").as_deref(), Some("I21.0"));
        assert_eq!(icd10_shaped("е11.9").as_deref(), Some("E11.9"));
        assert_eq!(icd10_shaped("Z50").as_deref(), Some("Z50"));
        assert_eq!(icd10_shaped("44054006"), None);
        assert_eq!(icd10_shaped("I2"), None);
        assert_eq!(icd10_shaped(""), None);
        assert_eq!(icd10_shaped("chest pain"), None);
    }
}
