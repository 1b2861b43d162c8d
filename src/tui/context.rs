//! What every part of the TUI needs to know and never changes while it runs.

use super::keymap::Keymap;
use super::theme::Theme;
use crate::config::Config;
use crate::domain::clock::Clock;
use crate::domain::pilot::PilotInfo;
use crate::i18n::I18n;
use std::path::PathBuf;

/// The fixed context of a TUI session.
#[derive(Debug)]
pub struct AppContext {
    /// The register's path (the worker opens its own connection to it).
    pub db_path: PathBuf,
    /// Strings and formatting in the user's language.
    pub i18n: I18n,
    /// The user's configuration.
    pub config: Config,
    /// Key bindings.
    pub keymap: Keymap,
    /// Styles.
    pub theme: Theme,
    /// The date lists are computed for (today, the demo's date, or `--as-of`).
    pub clock: Clock,
    /// The pilot's identity.
    pub pilot: PilotInfo,
    /// This register's device id (recorded with each call).
    pub device: String,
}

impl AppContext {
    /// The pilot's name in the user's language.
    pub fn pilot_name(&self) -> &str {
        match self.i18n.lang() {
            crate::i18n::Lang::En if !self.pilot.name_en.is_empty() => &self.pilot.name_en,
            _ => &self.pilot.name,
        }
    }
}
