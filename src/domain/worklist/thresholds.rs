//! The tunable numbers of the worklist rules, with defaults from `assets/worklist.toml`.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The default thresholds file, embedded: a template a user can copy and edit.
pub const DEFAULT_THRESHOLDS_TOML: &str = include_str!("../../../assets/worklist.toml");

/// Every key of a thresholds file, in the order of the default file.
const KEYS: &[&str] = &[
    "post_discharge_call_business_days",
    "transitional_care_days",
    "hba1c_interval_months",
    "hba1c_poor_control_pct",
    "bp_urgent_systolic",
    "bp_urgent_diastolic",
    "lost_to_follow_up_months",
    "lace_high_risk",
    "readmission_window_days",
    "unreachable_after_no_answers",
    "missed_visit_high_after_days",
    "clinical_flag_recency_days",
    "tcm_visit_high_risk_days",
    "tcm_visit_days",
    "next_visit_days",
    "call_back_days",
    "no_answer_retry_business_days",
    "agreed_visit_grace_days",
    "kidney_check_interval_months",
];

/// The thresholds the worklist rules use. `Default` equals `assets/worklist.toml` (a test checks it);
/// a user file read with [`Thresholds::from_toml_str`] overrides only the keys it sets.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Thresholds {
    /// The post-discharge call is due this many business days after the discharge (2).
    pub post_discharge_call_business_days: u32,
    /// The transitional-care period: the discharge day and this many calendar days after it (29,
    /// as CMS codes 99495/99496 define the 30-day period).
    pub transitional_care_days: u32,
    /// HbA1c falls due this many calendar months after the last result (6).
    pub hba1c_interval_months: u32,
    /// Poor control: latest HbA1c strictly above this percentage (9.0, as CMS122).
    pub hba1c_poor_control_pct: f64,
    /// Urgent BP: systolic at or above this, mm Hg (180).
    pub bp_urgent_systolic: f64,
    /// Urgent BP: diastolic at or above this, mm Hg (110).
    pub bp_urgent_diastolic: f64,
    /// Lost to follow-up after this many calendar months without a visit (12).
    pub lost_to_follow_up_months: u32,
    /// High readmission risk: LACE total at or above this (10).
    pub lace_high_risk: u32,
    /// The readmission window stays open this many calendar days after the discharge (30).
    pub readmission_window_days: u32,
    /// Flag `unreachable` after this many unanswered calls in a row (3).
    pub unreachable_after_no_answers: u32,
    /// A missed visit older than this many days is high priority (30).
    pub missed_visit_high_after_days: u32,
    /// A clinical flag (urgent BP, poor control) is urgent only while its reading is at most this
    /// many days old (90); an older urgent BP becomes "BP not measured" at normal priority.
    pub clinical_flag_recency_days: u32,
    /// Transitional care: the face-to-face visit is due this many days after a discharge with a
    /// high LACE score (7, CMS 99496: high complexity).
    pub tcm_visit_high_risk_days: u32,
    /// ... and this many days after any other discharge (14, CMS 99495: moderate complexity).
    pub tcm_visit_days: u32,
    /// Call form default: an agreed visit this many calendar days ahead (7).
    pub next_visit_days: u32,
    /// Call form default: call back this many calendar days ahead (7).
    pub call_back_days: u32,
    /// Call form default: after no answer, retry this many business days ahead (1).
    pub no_answer_retry_business_days: u32,
    /// "Agreed to visit" keeps a patient off the call list until the agreed date and this many
    /// calendar days after it (3), the grace a late visit gets; then she is back on it.
    pub agreed_visit_grace_days: u32,
    /// A diabetic patient's kidney function (creatinine and eGFR) falls due this many calendar
    /// months after the last creatinine (12: at least once a year, the Russian diabetes
    /// algorithms, 11th edition 2023).
    pub kidney_check_interval_months: u32,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            post_discharge_call_business_days: 2,
            transitional_care_days: 29,
            hba1c_interval_months: 6,
            hba1c_poor_control_pct: crate::domain::indicators::POOR_CONTROL_ABOVE,
            bp_urgent_systolic: 180.0,
            bp_urgent_diastolic: 110.0,
            lost_to_follow_up_months: 12,
            lace_high_risk: u32::from(crate::domain::lace::DEFAULT_HIGH_RISK_THRESHOLD),
            readmission_window_days: 30,
            unreachable_after_no_answers: 3,
            missed_visit_high_after_days: 30,
            clinical_flag_recency_days: 90,
            tcm_visit_high_risk_days: 7,
            tcm_visit_days: 14,
            next_visit_days: 7,
            call_back_days: 7,
            no_answer_retry_business_days: 1,
            agreed_visit_grace_days: 3,
            kidney_check_interval_months: 12,
        }
    }
}

/// Why a thresholds file was rejected; `key` names the key at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThresholdsError {
    /// The key at fault; `None` for a TOML syntax error.
    pub key: Option<String>,
    /// What is wrong, in plain words.
    pub message: String,
}

impl fmt::Display for ThresholdsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.key {
            Some(key) => write!(f, "worklist thresholds: `{key}`: {}", self.message),
            None => write!(f, "worklist thresholds: {}", self.message),
        }
    }
}

impl std::error::Error for ThresholdsError {}

fn key_error(key: &str, message: impl Into<String>) -> ThresholdsError {
    ThresholdsError {
        key: Some(key.to_string()),
        message: message.into(),
    }
}

impl Thresholds {
    /// True when a blood-pressure reading is urgent: systolic at or above `bp_urgent_systolic` or
    /// diastolic at or above `bp_urgent_diastolic` (a missing half does not count).
    pub fn bp_is_urgent(&self, systolic: Option<f64>, diastolic: Option<f64>) -> bool {
        systolic.is_some_and(|s| s >= self.bp_urgent_systolic)
            || diastolic.is_some_and(|d| d >= self.bp_urgent_diastolic)
    }

    /// The keys a thresholds file may set.
    pub const KEYS: &'static [&'static str] = KEYS;

    /// Parses a thresholds file: keys left out keep their defaults. Unknown keys, values of the
    /// wrong type or out of range (a count of months or calls of 0, a non-positive limit) are
    /// errors naming the key.
    pub fn from_toml_str(text: &str) -> Result<Thresholds, ThresholdsError> {
        let table: toml::Table = toml::from_str(text).map_err(|e| ThresholdsError {
            key: None,
            message: e.to_string(),
        })?;
        let mut t = Thresholds::default();
        for (key, value) in &table {
            t.set(key, value)?;
        }
        t.validate()?;
        Ok(t)
    }

    fn set(&mut self, key: &str, value: &toml::Value) -> Result<(), ThresholdsError> {
        let n = || whole(key, value);
        let x = || number(key, value);
        match key {
            "post_discharge_call_business_days" => self.post_discharge_call_business_days = n()?,
            "transitional_care_days" => self.transitional_care_days = n()?,
            "hba1c_interval_months" => self.hba1c_interval_months = n()?,
            "hba1c_poor_control_pct" => self.hba1c_poor_control_pct = x()?,
            "bp_urgent_systolic" => self.bp_urgent_systolic = x()?,
            "bp_urgent_diastolic" => self.bp_urgent_diastolic = x()?,
            "lost_to_follow_up_months" => self.lost_to_follow_up_months = n()?,
            "lace_high_risk" => self.lace_high_risk = n()?,
            "readmission_window_days" => self.readmission_window_days = n()?,
            "unreachable_after_no_answers" => self.unreachable_after_no_answers = n()?,
            "missed_visit_high_after_days" => self.missed_visit_high_after_days = n()?,
            "clinical_flag_recency_days" => self.clinical_flag_recency_days = n()?,
            "tcm_visit_high_risk_days" => self.tcm_visit_high_risk_days = n()?,
            "tcm_visit_days" => self.tcm_visit_days = n()?,
            "next_visit_days" => self.next_visit_days = n()?,
            "call_back_days" => self.call_back_days = n()?,
            "no_answer_retry_business_days" => self.no_answer_retry_business_days = n()?,
            "agreed_visit_grace_days" => self.agreed_visit_grace_days = n()?,
            "kidney_check_interval_months" => self.kidney_check_interval_months = n()?,
            _ => {
                let message = format!("unknown key; expected one of {}", KEYS.join(", "));
                return Err(key_error(key, message));
            }
        }
        Ok(())
    }

    /// Checks the ranges [`Thresholds::from_toml_str`] enforces.
    pub fn validate(&self) -> Result<(), ThresholdsError> {
        let at_least_one = [
            ("hba1c_interval_months", self.hba1c_interval_months),
            ("lost_to_follow_up_months", self.lost_to_follow_up_months),
            (
                "kidney_check_interval_months",
                self.kidney_check_interval_months,
            ),
            (
                "unreachable_after_no_answers",
                self.unreachable_after_no_answers,
            ),
            (
                "no_answer_retry_business_days",
                self.no_answer_retry_business_days,
            ),
        ];
        if let Some((key, _)) = at_least_one.iter().find(|(_, v)| *v == 0) {
            return Err(key_error(key, "must be at least 1"));
        }
        let positive = [
            ("hba1c_poor_control_pct", self.hba1c_poor_control_pct, 100.0),
            ("bp_urgent_systolic", self.bp_urgent_systolic, 400.0),
            ("bp_urgent_diastolic", self.bp_urgent_diastolic, 400.0),
        ];
        for (key, v, max) in positive {
            if !(v > 0.0 && v <= max) {
                return Err(key_error(
                    key,
                    format!("must be above 0 and at most {max}, not {v}"),
                ));
            }
        }
        Ok(())
    }
}

/// A non-negative whole number that fits `u32`.
fn whole(key: &str, value: &toml::Value) -> Result<u32, ThresholdsError> {
    match value {
        toml::Value::Integer(i) => u32::try_from(*i)
            .map_err(|_| key_error(key, format!("must be a whole number from 0, not {i}"))),
        other => Err(key_error(
            key,
            format!("expected a whole number, found {}", other.type_str()),
        )),
    }
}

/// A number, integer or float.
fn number(key: &str, value: &toml::Value) -> Result<f64, ThresholdsError> {
    match value {
        toml::Value::Float(x) => Ok(*x),
        // Thresholds are small; the conversion is exact for every plausible value.
        toml::Value::Integer(i) => Ok(*i as f64),
        other => Err(key_error(
            key,
            format!("expected a number, found {}", other.type_str()),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_file_equals_default_and_lists_every_key() {
        let parsed = Thresholds::from_toml_str(DEFAULT_THRESHOLDS_TOML).unwrap();
        assert_eq!(parsed, Thresholds::default());
        let table: toml::Table = toml::from_str(DEFAULT_THRESHOLDS_TOML).unwrap();
        let keys: Vec<&str> = table.keys().map(String::as_str).collect();
        let mut expected = KEYS.to_vec();
        expected.sort_unstable();
        assert_eq!(keys, expected);
        assert!(Thresholds::default().validate().is_ok());
    }

    #[test]
    fn partial_override_keeps_other_defaults() {
        let t =
            Thresholds::from_toml_str("hba1c_poor_control_pct = 8\nlace_high_risk = 12").unwrap();
        assert_eq!(t.hba1c_poor_control_pct, 8.0);
        assert_eq!(t.lace_high_risk, 12);
        assert_eq!(t.post_discharge_call_business_days, 2);
        assert_eq!(
            Thresholds::from_toml_str("").unwrap(),
            Thresholds::default()
        );
    }

    #[test]
    fn errors_name_the_key() {
        let cases = [
            ("lace_high_risk = \"ten\"", "lace_high_risk", "found string"),
            ("lace_high_risk = -1", "lace_high_risk", "whole number"),
            ("lace_high_risk = 1.5", "lace_high_risk", "found float"),
            (
                "hba1c_poor_control_pct = true",
                "hba1c_poor_control_pct",
                "number",
            ),
            (
                "hba1c_poor_control_pct = nan",
                "hba1c_poor_control_pct",
                "above 0",
            ),
            ("bp_urgent_systolic = 0", "bp_urgent_systolic", "above 0"),
            (
                "hba1c_interval_months = 0",
                "hba1c_interval_months",
                "at least 1",
            ),
            ("hba1c_months = 6", "hba1c_months", "unknown key"),
        ];
        for (text, key, words) in cases {
            let e = Thresholds::from_toml_str(text).unwrap_err();
            assert_eq!(e.key.as_deref(), Some(key), "{text}");
            assert!(e.to_string().contains(words), "{text}: {e}");
            assert!(e.to_string().contains(key), "{text}: {e}");
        }
        let e = Thresholds::from_toml_str("lace_high_risk = ").unwrap_err();
        assert_eq!(e.key, None);
    }
}
