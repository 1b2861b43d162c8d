//! The language of this process, for texts built far from any screen: error sentences of the
//! importers, the store and the CLI. `cli::run` sets it once from `--lang`, the config file or the
//! environment; until then (and in library tests) messages are English.

use super::{Arg, I18n, Lang};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU8, Ordering};

/// 0 = English, 1 = Russian.
static PROCESS_LANG: AtomicU8 = AtomicU8::new(0);
static EN: OnceLock<I18n> = OnceLock::new();
static RU: OnceLock<I18n> = OnceLock::new();

/// Sets the language of this process's messages (`cli::run` sets it from `--lang` and the
/// environment before reading the config file, then again once the config's choice is known).
pub fn set_process_lang(lang: Lang) {
    let code = match lang {
        Lang::En => 0,
        Lang::Ru => 1,
    };
    PROCESS_LANG.store(code, Ordering::Relaxed);
}

/// The language of this process's messages (English until set).
pub fn process_lang() -> Lang {
    match PROCESS_LANG.load(Ordering::Relaxed) {
        1 => Lang::Ru,
        _ => Lang::En,
    }
}

/// The strings of one language, loaded once per process.
pub fn strings(lang: Lang) -> &'static I18n {
    match lang {
        Lang::En => EN.get_or_init(|| I18n::new(Lang::En)),
        Lang::Ru => RU.get_or_init(|| I18n::new(Lang::Ru)),
    }
}

/// A message in the process's language: `msg("import-bad-date", &[("value", raw.into())])`.
/// Error types call this from their `Display`, so an error reads in the user's language wherever
/// it is shown (stderr, the TUI's status line, a reject file).
pub fn msg(key: &str, args: &[(&str, Arg<'_>)]) -> String {
    strings(process_lang()).t_args(key, args)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_english_until_a_language_is_set() {
        // Tests share one process; no library test sets the language.
        assert_eq!(process_lang(), Lang::En);
        assert_eq!(strings(Lang::Ru).lang(), Lang::Ru);
    }
}
