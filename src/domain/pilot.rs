//! The pilot's identity: its name, region, currency and performance year, read from `pilot.toml`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Who the pilot is and which contract it runs under.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PilotInfo {
    /// The pilot's name in Russian (shown in the header in Russian).
    pub name: String,
    /// The pilot's name in English.
    #[serde(default)]
    pub name_en: String,
    /// The region the pilot runs in.
    #[serde(default)]
    pub region: String,
    /// ISO 4217 currency of the contract (RUB, USD).
    #[serde(default = "default_currency")]
    pub currency: String,
    /// The date the data was extracted; the demo's clock. Real registers use today.
    #[serde(default)]
    pub as_of: Option<NaiveDate>,
    /// First day of the performance year.
    #[serde(default)]
    pub start_date: Option<NaiveDate>,
    /// The baseline years the benchmark is built from.
    #[serde(default)]
    pub baseline_years: Vec<i32>,
    /// The contract preset the pilot runs under (a file of assets/programs/).
    #[serde(default = "default_contract")]
    pub contract: String,
}

fn default_currency() -> String {
    "RUB".into()
}

fn default_contract() -> String {
    "regional-pilot".into()
}

impl PilotInfo {
    /// Parses `pilot.toml`; the parser's error keeps the place and the key at fault, for the
    /// caller to put in the user's words (`toml_error::describe`).
    pub fn from_toml_str(text: &str) -> Result<PilotInfo, toml::de::Error> {
        toml::from_str(text)
    }

    /// A pilot with only a name, for registers built from other sources.
    pub fn unnamed() -> PilotInfo {
        PilotInfo {
            name: "Пилот".into(),
            name_en: "Pilot".into(),
            region: String::new(),
            currency: default_currency(),
            as_of: None,
            start_date: None,
            baseline_years: Vec::new(),
            contract: default_contract(),
        }
    }
}
