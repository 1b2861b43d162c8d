//! A disease programme, defined by a file: who is enrolled (ICD-10 ranges or prefixes, SNOMED CT
//! codes), what it watches and how often, its worklist reasons with their thresholds, and its
//! targets. Diabetes and hypertension ship in `assets/programmes/`; a region adds or overrides one
//! with a file in the `programmes/` folder beside its config (read by `cli`, never here: this
//! module parses text only).
//!
//! # File format
//!
//! | key | meaning |
//! | --- | --- |
//! | `id` | stable id (`a-z`, `0-9`, `_`, `-`): the enrolments' `program_id` |
//! | `name`, `name_ru` | names in English and Russian |
//! | `short`, `short_ru` | short tags beside the reasons on a worklist line (default: the id) |
//! | `icd10` | ICD-10 ranges of categories (`"I10-I15"`) or code prefixes (`"I25.2"`); Cyrillic look-alike letters fold to Latin |
//! | `snomed` | SNOMED CT concept ids (exact match) |
//! | `[watch.hba1c]` `every_months` | HbA1c at least this often (default `hba1c_interval_months` of worklist.toml): reason `hba1c_overdue` |
//! | `[watch.bp]` `every_months` | blood pressure at least this often (required): reason `bp_not_measured` |
//! | `[worklist.poor_control]` `above_pct` | latest HbA1c above this (default `hba1c_poor_control_pct`) |
//! | `[worklist.bp_urgent]` `systolic`, `diastolic` | latest BP at or above either (default `bp_urgent_*`) |
//! | `[worklist.bp_uncontrolled]` `systolic`, `diastolic`, `follow_up_days` | the last BP at or above either, no visit since, `follow_up_days` passed |
//! | `[targets]` `bp_below = [s, d]`, `hba1c_below_pct` | targets shown beside the readings |
//!
//! The common reasons (missed visit, call-back, post-discharge, after an emergency visit, the
//! transitional-care visit, readmission risk) apply to a patient of any programme.

use super::types::CodeSystem;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The built-in programme files: (file name, text), in the order the worklist names them.
pub const BUILTIN_FILES: &[(&str, &str)] = &[
    (
        "diabetes.toml",
        include_str!("../../assets/programmes/diabetes.toml"),
    ),
    (
        "hypertension.toml",
        include_str!("../../assets/programmes/hypertension.toml"),
    ),
];

/// A blood-pressure limit: a reading is at or above it when either half is.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BpLimit {
    /// Systolic, mm Hg.
    pub systolic: f64,
    /// Diastolic, mm Hg.
    pub diastolic: f64,
}

impl BpLimit {
    /// True when the systolic or the diastolic reading is at or above the limit (a missing half
    /// does not count).
    pub fn reached_by(&self, systolic: Option<f64>, diastolic: Option<f64>) -> bool {
        systolic.is_some_and(|s| s >= self.systolic)
            || diastolic.is_some_and(|d| d >= self.diastolic)
    }
}

/// "BP not controlled at the last visit and no visit since": the limit and the days a
/// follow-up visit may take.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BpFollowUp {
    /// Not controlled at or above this.
    pub limit: BpLimit,
    /// The reason fires once this many days have passed since the reading with no visit.
    pub follow_up_days: u32,
}

/// What a programme watches and which worklist reasons it raises, with its own thresholds; a
/// number left `None` takes the worklist thresholds' value (`worklist.toml`).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct ProgramRules {
    /// HbA1c is watched (reason `hba1c_overdue`).
    pub watch_hba1c: bool,
    /// ... every this many months.
    pub hba1c_every_months: Option<u32>,
    /// Blood pressure is watched every this many months (reason `bp_not_measured`).
    pub bp_every_months: Option<u32>,
    /// Reason `poor_control` is raised.
    pub poor_control: bool,
    /// ... above this HbA1c, %.
    pub poor_control_above_pct: Option<f64>,
    /// Reason `bp_urgent` is raised.
    pub bp_urgent: bool,
    /// ... at or above this.
    pub bp_urgent_at: Option<BpLimit>,
    /// Reason `bp_uncontrolled` is raised with these numbers.
    pub bp_uncontrolled: Option<BpFollowUp>,
}

/// The targets a programme shows beside the readings.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Targets {
    /// Blood pressure below this (both halves).
    pub bp_below: Option<BpLimit>,
    /// HbA1c below this, %.
    pub hba1c_below_pct: Option<f64>,
}

/// A programme of the pilot: its enrolment codes, rules and targets.
#[derive(Debug, Clone, PartialEq)]
pub struct Program {
    /// Stable id, e.g. `diabetes`.
    pub id: String,
    /// English name.
    pub name: String,
    /// Russian name.
    pub name_ru: String,
    /// A short English tag beside the reasons it raises on a worklist line (`DM`; default: the id).
    pub short: String,
    /// The short Russian tag (`СД`; default: the English one).
    pub short_ru: String,
    /// ICD-10 codes that include a patient, folded (no dot, Latin letters): a code matches when it
    /// starts with one (`E11` matches `E11.9`). Ranges of the file are expanded to categories.
    pub icd10_prefixes: Vec<String>,
    /// SNOMED CT concept ids that include a patient (exact match).
    pub snomed_codes: Vec<String>,
    /// What it watches and the worklist reasons it raises.
    pub rules: ProgramRules,
    /// Its targets.
    pub targets: Targets,
    /// The definition's text, as read (stored in the register's `programs` table).
    pub source: String,
}

/// Why a programme file was rejected: the file, the place in it (1-based line and column, when
/// the parser gave one) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgramError {
    /// The file's name or path, as the caller gave it.
    pub file: String,
    /// 1-based line and column in characters.
    pub at: Option<(u64, u64)>,
    /// What is wrong, in plain words.
    pub message: String,
}

impl fmt::Display for ProgramError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.at {
            Some((line, column)) => write!(
                f,
                "{}: line {line}, column {column}: {}",
                self.file, self.message
            ),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for ProgramError {}

/// The file as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ProgramFile {
    id: toml::Spanned<String>,
    name: String,
    name_ru: String,
    short: Option<String>,
    short_ru: Option<String>,
    #[serde(default)]
    icd10: Vec<toml::Spanned<String>>,
    #[serde(default)]
    snomed: Vec<String>,
    #[serde(default)]
    watch: WatchFile,
    #[serde(default)]
    worklist: WorklistFile,
    #[serde(default)]
    targets: TargetsFile,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct WatchFile {
    hba1c: Option<EveryFile>,
    bp: Option<EveryFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EveryFile {
    every_months: Option<toml::Spanned<u32>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct WorklistFile {
    poor_control: Option<PoorControlFile>,
    bp_urgent: Option<BpLimitFile>,
    bp_uncontrolled: Option<BpUncontrolledFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PoorControlFile {
    above_pct: Option<toml::Spanned<f64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BpLimitFile {
    systolic: Option<toml::Spanned<f64>>,
    diastolic: Option<toml::Spanned<f64>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BpUncontrolledFile {
    systolic: toml::Spanned<f64>,
    diastolic: toml::Spanned<f64>,
    follow_up_days: u32,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct TargetsFile {
    bp_below: Option<toml::Spanned<[f64; 2]>>,
    hba1c_below_pct: Option<toml::Spanned<f64>>,
}

/// The 1-based line and column (in characters) of byte `offset` in `text`.
fn line_and_column(text: &str, offset: usize) -> (u64, u64) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() as u64 + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() as u64 + 1;
    (line, column)
}

/// Expands an ICD-10 entry of a file to folded prefixes: a range of categories of one letter
/// (`I10-I15` → I10 … I15, `I60–I64` with an en dash too) or a single prefix (`I25.2` → I252).
pub fn expand_icd10(entry: &str) -> Result<Vec<String>, String> {
    let entry = entry.trim();
    let Some((from, to)) = entry.split_once(['-', '–']) else {
        let code = super::codes::normalize_icd10(entry);
        return if is_code_prefix(&code) {
            Ok(vec![code])
        } else {
            Err(format!("`{entry}` is not an ICD-10 code or range"))
        };
    };
    let (from, to) = (
        super::codes::normalize_icd10(from),
        super::codes::normalize_icd10(to),
    );
    let category = |c: &str| -> Option<(char, u32)> {
        let mut chars = c.chars();
        let letter = chars.next().filter(char::is_ascii_uppercase)?;
        let digits: String = chars.collect();
        (digits.len() == 2 && digits.chars().all(|d| d.is_ascii_digit()))
            .then(|| digits.parse().ok())
            .flatten()
            .map(|n| (letter, n))
    };
    match (category(&from), category(&to)) {
        (Some((a, lo)), Some((b, hi))) if a == b && lo <= hi => {
            Ok((lo..=hi).map(|n| format!("{a}{n:02}")).collect())
        }
        _ => Err(format!(
            "`{entry}` is not a range of ICD-10 categories of one letter, low to high (e.g. I10-I15)"
        )),
    }
}

/// A letter and at least two digits, then letters or digits (folded, no dot).
fn is_code_prefix(code: &str) -> bool {
    let mut chars = code.chars();
    chars.next().is_some_and(|c| c.is_ascii_uppercase())
        && code.len() >= 3
        && code[1..3].chars().all(|c| c.is_ascii_digit())
        && code.chars().all(|c| c.is_ascii_alphanumeric())
}

impl Program {
    /// Parses a programme file; `file` names it in errors.
    pub fn parse(text: &str, file: &str) -> Result<Program, ProgramError> {
        let error = |at: Option<usize>, message: String| ProgramError {
            file: file.to_string(),
            at: at.map(|offset| line_and_column(text, offset)),
            message,
        };
        let raw: ProgramFile = toml::from_str(text).map_err(|e| {
            let reason = e
                .message()
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join("; ");
            error(e.span().map(|s| s.start), reason)
        })?;
        let id = raw.id.get_ref().trim().to_string();
        let id_ok = !id.is_empty()
            && id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
        if !id_ok {
            return Err(error(
                Some(raw.id.span().start),
                format!("the id `{id}` must be lower-case letters, digits, `_` or `-`"),
            ));
        }
        let mut icd10_prefixes = Vec::new();
        for entry in &raw.icd10 {
            let prefixes =
                expand_icd10(entry.get_ref()).map_err(|m| error(Some(entry.span().start), m))?;
            icd10_prefixes.extend(prefixes);
        }
        let snomed_codes: Vec<String> = raw.snomed.iter().map(|c| c.trim().to_string()).collect();
        if icd10_prefixes.is_empty() && snomed_codes.is_empty() {
            return Err(error(
                None,
                "the programme enrols nobody: give `icd10` or `snomed` codes".into(),
            ));
        }
        let months = |every: &Option<toml::Spanned<u32>>| -> Result<Option<u32>, ProgramError> {
            match every {
                Some(m) if *m.get_ref() == 0 => Err(error(
                    Some(m.span().start),
                    "`every_months` must be at least 1".into(),
                )),
                Some(m) => Ok(Some(*m.get_ref())),
                None => Ok(None),
            }
        };
        let positive = |x: &toml::Spanned<f64>, key: &str| -> Result<f64, ProgramError> {
            let v = *x.get_ref();
            if v > 0.0 && v <= 400.0 {
                Ok(v)
            } else {
                Err(error(
                    Some(x.span().start),
                    format!("`{key}` must be above 0 and at most 400, not {v}"),
                ))
            }
        };
        let mut rules = ProgramRules::default();
        if let Some(h) = &raw.watch.hba1c {
            rules.watch_hba1c = true;
            rules.hba1c_every_months = months(&h.every_months)?;
        }
        if let Some(bp) = &raw.watch.bp {
            rules.bp_every_months = Some(
                months(&bp.every_months)?
                    .ok_or_else(|| error(None, "`[watch.bp]` needs `every_months`".into()))?,
            );
        }
        if let Some(p) = &raw.worklist.poor_control {
            rules.poor_control = true;
            rules.poor_control_above_pct = p
                .above_pct
                .as_ref()
                .map(|x| positive(x, "above_pct"))
                .transpose()?;
        }
        if let Some(u) = &raw.worklist.bp_urgent {
            rules.bp_urgent = true;
            let s = u
                .systolic
                .as_ref()
                .map(|x| positive(x, "systolic"))
                .transpose()?;
            let d = u
                .diastolic
                .as_ref()
                .map(|x| positive(x, "diastolic"))
                .transpose()?;
            rules.bp_urgent_at = match (s, d) {
                (Some(systolic), Some(diastolic)) => Some(BpLimit {
                    systolic,
                    diastolic,
                }),
                (None, None) => None,
                _ => {
                    return Err(error(
                        None,
                        "`[worklist.bp_urgent]` takes both `systolic` and `diastolic`, or neither"
                            .into(),
                    ));
                }
            };
        }
        if let Some(u) = &raw.worklist.bp_uncontrolled {
            rules.bp_uncontrolled = Some(BpFollowUp {
                limit: BpLimit {
                    systolic: positive(&u.systolic, "systolic")?,
                    diastolic: positive(&u.diastolic, "diastolic")?,
                },
                follow_up_days: u.follow_up_days,
            });
        }
        let targets = Targets {
            bp_below: raw.targets.bp_below.as_ref().map(|b| {
                let [systolic, diastolic] = *b.get_ref();
                BpLimit {
                    systolic,
                    diastolic,
                }
            }),
            hba1c_below_pct: raw
                .targets
                .hba1c_below_pct
                .as_ref()
                .map(|x| positive(x, "hba1c_below_pct"))
                .transpose()?,
        };
        let short = raw.short.unwrap_or_else(|| id.clone());
        Ok(Program {
            short_ru: raw.short_ru.unwrap_or_else(|| short.clone()),
            short,
            id,
            name: raw.name,
            name_ru: raw.name_ru,
            icd10_prefixes,
            snomed_codes,
            rules,
            targets,
            source: text.to_string(),
        })
    }

    /// The built-in diabetes programme (ICD-10 E10–E14; SNOMED 44054006, 46635009, 73211009).
    pub fn diabetes() -> Program {
        builtin_programs()
            .into_iter()
            .find(|p| p.id == "diabetes")
            .unwrap_or_else(|| Program {
                id: "diabetes".into(),
                name: "Diabetes mellitus".into(),
                name_ru: "Сахарный диабет".into(),
                short: "DM".into(),
                short_ru: "СД".into(),
                icd10_prefixes: ["E10", "E11", "E12", "E13", "E14"]
                    .map(String::from)
                    .to_vec(),
                snomed_codes: ["44054006", "46635009", "73211009"]
                    .map(String::from)
                    .to_vec(),
                rules: ProgramRules {
                    watch_hba1c: true,
                    poor_control: true,
                    bp_urgent: true,
                    ..ProgramRules::default()
                },
                targets: Targets::default(),
                source: String::new(),
            })
    }

    /// The name in `language` ("ru" or else English).
    pub fn name_in(&self, language: &str) -> &str {
        if language == "ru" {
            &self.name_ru
        } else {
            &self.name
        }
    }

    /// The short tag in `language` ("ru" or else English).
    pub fn short_in(&self, language: &str) -> &str {
        if language == "ru" {
            &self.short_ru
        } else {
            &self.short
        }
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

/// The blood-pressure target a patient's card shows: the first of her programmes (`enrolled`, ids)
/// that sets `targets.bp_below`, with that programme; `None` when none does.
pub fn bp_target<'a>(programs: &'a [Program], enrolled: &[&str]) -> Option<(&'a Program, BpLimit)> {
    programs
        .iter()
        .filter(|p| enrolled.contains(&p.id.as_str()))
        .find_map(|p| p.targets.bp_below.map(|t| (p, t)))
}

/// The built-in programme definitions (diabetes, hypertension), parsed. The files are part of the
/// binary and a test parses each, so one that did not parse is left out rather than stop the
/// program.
pub fn builtin_programs() -> Vec<Program> {
    BUILTIN_FILES
        .iter()
        .filter_map(|(file, text)| Program::parse(text, file).ok())
        .collect()
}

/// The programmes in force: the built-in ones, each replaced by a region's definition with the
/// same id, then the region's new ones in the order given.
pub fn merge_programs(builtin: Vec<Program>, region: Vec<Program>) -> Vec<Program> {
    let mut all = builtin;
    for p in region {
        match all.iter_mut().find(|b| b.id == p.id) {
            Some(slot) => *slot = p,
            None => all.push(p),
        }
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_definitions_parse() {
        for (file, text) in BUILTIN_FILES {
            Program::parse(text, file).unwrap();
        }
        let ids: Vec<String> = builtin_programs().into_iter().map(|p| p.id).collect();
        assert_eq!(ids, ["diabetes", "hypertension"]);
    }

    #[test]
    fn diabetes_includes_diabetes_only() {
        let p = Program::diabetes();
        assert_eq!(p.icd10_prefixes, ["E10", "E11", "E12", "E13", "E14"]);
        assert!(p.includes(CodeSystem::Icd10, "E11.9"));
        assert!(p.includes(CodeSystem::Icd10, "e109"));
        assert!(p.includes(CodeSystem::Snomed, "44054006"));
        assert!(
            !p.includes(CodeSystem::Snomed, "15777000"),
            "prediabetes is not diabetes"
        );
        assert!(!p.includes(CodeSystem::Icd10, "E15"));
        assert!(!p.includes(CodeSystem::Icd10, "I10"));
        assert!(p.rules.watch_hba1c && p.rules.poor_control && p.rules.bp_urgent);
        assert_eq!(p.rules.bp_every_months, None);
    }

    #[test]
    fn hypertension_includes_i10_to_i15_and_its_snomed_codes() {
        let p = builtin_programs()
            .into_iter()
            .find(|p| p.id == "hypertension")
            .unwrap();
        for code in ["I10", "I11.9", "I12.0", "I13", "I15.1", "і10"] {
            // "і10": a Ukrainian і is no look-alike of Latin I; it must not enrol.
            assert_eq!(p.includes(CodeSystem::Icd10, code), code != "і10", "{code}");
        }
        assert!(!p.includes(CodeSystem::Icd10, "I16"));
        assert!(!p.includes(CodeSystem::Icd10, "I09"));
        assert!(p.includes(CodeSystem::Snomed, "59621000"));
        assert!(p.includes(CodeSystem::Snomed, "38341003"));
        assert_eq!(p.rules.bp_every_months, Some(6));
        let u = p.rules.bp_uncontrolled.unwrap();
        assert_eq!((u.limit.systolic, u.limit.diastolic), (140.0, 90.0));
        assert_eq!(p.targets.bp_below.map(|b| b.systolic), Some(140.0));
    }

    #[test]
    fn a_code_typed_with_a_cyrillic_letter_enrols() {
        let p = Program::diabetes();
        // "Е11.9" and "е10" with a Cyrillic Е, as Russian systems often write them.
        assert!(p.includes(CodeSystem::Icd10, "Е11.9"));
        assert!(p.includes(CodeSystem::Icd10, "е10"));
        assert!(!p.includes(CodeSystem::Icd10, "С18"));
        // A range written with a Cyrillic С folds too.
        assert_eq!(expand_icd10("С18–С19").unwrap(), ["C18", "C19"]);
    }

    #[test]
    fn ranges_and_prefixes_expand() {
        assert_eq!(expand_icd10("I60-I64").unwrap().len(), 5);
        assert_eq!(expand_icd10("I25.2").unwrap(), ["I252"]);
        assert!(expand_icd10("I15-I10").is_err());
        assert!(expand_icd10("I10-J15").is_err());
        assert!(expand_icd10("heart").is_err());
    }

    #[test]
    fn errors_name_the_file_line_and_column() {
        let text = "id = \"chf\"\nname = \"Heart failure\"\nname_ru = \"ХСН\"\nicd10 = [\"I50\", \"I55-I52\"]\n";
        let e = Program::parse(text, "programmes/chf.toml").unwrap_err();
        assert_eq!(e.at, Some((4, 17)), "{e}");
        assert!(
            e.to_string()
                .starts_with("programmes/chf.toml: line 4, column 17: "),
            "{e}"
        );
        let e = Program::parse(
            "id = \"x\"\nname = \"X\"\nname_ru = \"X\"\nicd10 = [\"I50\"]\n[watch.glucose]\n",
            "x.toml",
        )
        .unwrap_err();
        assert_eq!(e.at.map(|a| a.0), Some(5), "{e}");
        assert!(e.message.contains("glucose"), "{e}");
        let e = Program::parse(
            "id = \"Bad Id\"\nname = \"X\"\nname_ru = \"X\"\nicd10 = [\"I50\"]\n",
            "x.toml",
        )
        .unwrap_err();
        assert_eq!(e.at, Some((1, 6)), "{e}");
        let e =
            Program::parse("id = \"x\"\nname = \"X\"\nname_ru = \"X\"\n", "x.toml").unwrap_err();
        assert!(e.message.contains("enrols nobody"), "{e}");
        let e = Program::parse(
            "id = \"x\"\nname = \"X\"\nname_ru = \"X\"\nicd10 = [\"I50\"]\n[watch.bp]\nevery_months = 0\n",
            "x.toml",
        )
        .unwrap_err();
        assert_eq!(e.at, Some((6, 16)), "{e}");
    }

    #[test]
    fn a_region_overrides_by_id_and_adds_new_programmes() {
        let chf = Program::parse(
            "id = \"chf\"\nname = \"Chronic heart failure\"\nname_ru = \"ХСН\"\nicd10 = [\"I50\"]\n",
            "chf.toml",
        )
        .unwrap();
        let mut strict = Program::diabetes();
        strict.rules.hba1c_every_months = Some(3);
        let all = merge_programs(builtin_programs(), vec![strict.clone(), chf]);
        let ids: Vec<&str> = all.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids, ["diabetes", "hypertension", "chf"]);
        assert_eq!(all[0], strict);
    }
}
