//! The user's configuration file (`config.toml` in the config directory): who is working, in which
//! language, at which site. Every key is optional; a bad file is one clear sentence naming the key.

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// What a person does in the pilot; decides which screens open first and which actions are offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A care-coordinator nurse working a worklist.
    #[default]
    Nurse,
    /// A clinic or pilot manager.
    Manager,
}

/// The settings read from `config.toml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The user's name as written into the call log and the audit trail.
    pub user_name: Option<String>,
    /// The staff id of the user (e.g. `N03`), for the "mine" worklist filter.
    pub staff_id: Option<String>,
    /// Nurse or manager.
    #[serde(default)]
    pub role: Role,
    /// `en` or `ru`.
    pub language: Option<String>,
    /// The site (organization id) the user works at.
    pub site: Option<String>,
    /// Dates in the user's locale style even in English (`dd.mm.yyyy`), when set to "ru".
    pub date_style: Option<String>,
    /// The business-day calendar of the worklist's deadlines: "ru" (Russia's production calendar,
    /// the default) or "none" (weekends only).
    pub calendar: Option<String>,
    /// Days after which the header's sync indicator turns amber (default 3).
    pub sync_warn_days: Option<u32>,
    /// Days after which it turns red (default 7).
    pub sync_alert_days: Option<u32>,
}

impl Config {
    /// The default location of the configuration file.
    pub fn default_path() -> PathBuf {
        crate::paths::config_dir().join("config.toml")
    }

    /// Reads `path`; a missing file is the default configuration.
    pub fn load(path: &Path) -> Result<Config, String> {
        match read_optional(path)? {
            Some(text) => {
                Self::from_toml_str(&text).map_err(|e| format!("{}: {e}", path.display()))
            }
            None => Ok(Config::default()),
        }
    }

    /// Parses configuration text.
    pub fn from_toml_str(text: &str) -> Result<Config, String> {
        toml::from_str(text).map_err(|e| crate::toml_error::describe(text, &e))
    }

    /// The name to record as the author of calls: the configured name, else the login name.
    pub fn user(&self) -> String {
        self.user_name
            .clone()
            .or_else(|| std::env::var("USER").ok())
            .or_else(|| std::env::var("USERNAME").ok())
            .unwrap_or_else(|| "nurse".into())
    }
}

/// The text of one of the user's optional files (config.toml, keymap.toml, worklist.toml):
/// `None` when it does not exist, an error sentence naming the file when it exists but cannot be
/// read (permissions, a folder in its place, invalid UTF-8), so a setting the user wrote is never
/// silently replaced by the default.
pub fn read_optional(path: &Path) -> Result<Option<String>, String> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(crate::i18n::msg(
            "config-cannot-read",
            &[
                ("path", path.display().to_string().as_str().into()),
                ("error", e.to_string().as_str().into()),
            ],
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unreadable_settings_file_is_an_error_and_a_missing_one_the_default() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(read_optional(&dir.path().join("keymap.toml")), Ok(None));
        // A folder where the file should be cannot be read: said, not silently ignored.
        std::fs::create_dir(dir.path().join("keymap.toml")).unwrap();
        let e = read_optional(&dir.path().join("keymap.toml")).unwrap_err();
        assert!(e.contains("keymap.toml"), "{e}");
        std::fs::write(dir.path().join("config.toml"), [0xff, 0xfe, b'x']).unwrap();
        assert!(Config::load(&dir.path().join("config.toml")).is_err());
        std::fs::write(
            dir.path().join("ok.toml"),
            "role = \"manager\"\n\nrole = 1\n",
        )
        .unwrap();
        let e = Config::load(&dir.path().join("ok.toml")).unwrap_err();
        assert!(e.contains("ok.toml: line 3, column 1"), "{e}");
    }

    #[test]
    fn parses_and_names_bad_keys() {
        let c = Config::from_toml_str(
            "user_name = \"Иванова М. П.\"\nrole = \"manager\"\nlanguage = \"ru\"",
        )
        .unwrap();
        assert_eq!(c.role, Role::Manager);
        assert_eq!(c.user(), "Иванова М. П.");
        let e = Config::from_toml_str("colour = 1").unwrap_err();
        assert!(e.contains("colour"), "{e}");
        assert!(Config::from_toml_str("role = \"boss\"").is_err());
    }

    #[test]
    fn missing_file_is_default() {
        let c = Config::load(Path::new("/nonexistent/acodesk/config.toml")).unwrap();
        assert_eq!(c, Config::default());
    }
}
