//! Every user-facing text, in English and Russian, from Fluent files under assets/i18n/.
//!
//! Fluent gives real plural rules (1 пациент, 2 пациента, 5 пациентов). Numbers, money and dates
//! are formatted here too, so every surface shows them the same way for a language.

pub mod card;
pub mod contract;
mod format;
pub mod labs;
mod process;
pub mod worklist;

pub use format::{DateStyle, Formatter};
pub use process::{msg, process_lang, set_process_lang, strings};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::borrow::Cow;
use unic_langid::LanguageIdentifier;

/// The English strings.
pub const EN_FTL: &str = include_str!("../../assets/i18n/en.ftl");
/// The Russian strings.
pub const RU_FTL: &str = include_str!("../../assets/i18n/ru.ftl");

/// A language acodesk speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    /// English (the fallback).
    En,
    /// Russian.
    Ru,
}

impl Lang {
    /// Parses `en`, `ru`, `ru_RU.UTF-8`, `en-US`…; `None` for other languages.
    pub fn parse(text: &str) -> Option<Lang> {
        let t = text.trim().to_ascii_lowercase();
        if t.starts_with("ru") {
            Some(Lang::Ru)
        } else if t.starts_with("en") || t == "c" || t == "posix" || t.starts_with("c.") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// Picks the language: `--lang`, then the config file, then LC_ALL / LC_MESSAGES / LANG, else English.
    pub fn choose(flag: Option<&str>, config: Option<&str>) -> Lang {
        let env = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|v| std::env::var(v).ok())
            .find(|v| !v.is_empty());
        flag.and_then(Lang::parse)
            .or_else(|| config.and_then(Lang::parse))
            .or_else(|| env.as_deref().and_then(Lang::parse))
            .unwrap_or(Lang::En)
    }

    /// The two-letter code.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ru => "ru",
        }
    }
}

/// The strings of one language with its formatter.
pub struct I18n {
    lang: Lang,
    bundle: FluentBundle<FluentResource>,
    /// Number, money and date formatting for this language.
    pub fmt: Formatter,
}

impl std::fmt::Debug for I18n {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("I18n").field("lang", &self.lang).finish()
    }
}

impl I18n {
    /// Loads the strings of `lang`. The files are embedded and checked by tests, so this cannot fail
    /// at run time; a message that failed to parse would show as its key.
    pub fn new(lang: Lang) -> I18n {
        let (id, text): (LanguageIdentifier, &str) = match lang {
            Lang::En => (unic_langid::langid!("en"), EN_FTL),
            Lang::Ru => (unic_langid::langid!("ru"), RU_FTL),
        };
        let mut bundle = FluentBundle::new_concurrent(vec![id]);
        // Isolation marks (U+2068/U+2069) would show as junk or shift columns in a terminal.
        bundle.set_use_isolating(false);
        // Whole numbers in messages are grouped as everywhere else on screen (5 745 / 5,745):
        // Fluent's own formatting writes them bare, so one line could read "5745 patients …
        // (294/1 754)". Plural forms are still chosen from the number itself.
        match lang {
            Lang::En => bundle.set_formatter(Some(grouped_en)),
            Lang::Ru => bundle.set_formatter(Some(grouped_ru)),
        }
        let resource =
            FluentResource::try_new(text.to_string()).unwrap_or_else(|(partial, _)| partial);
        let _ = bundle.add_resource(resource);
        I18n {
            lang,
            bundle,
            fmt: Formatter::new(lang),
        }
    }

    /// The language of these strings.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// The text of a message without arguments; a missing key shows as the key itself.
    pub fn t(&self, key: &str) -> String {
        self.format(key, None)
    }

    /// The text of a message with named arguments (numbers select plural forms).
    pub fn t_args(&self, key: &str, args: &[(&str, Arg<'_>)]) -> String {
        let mut fa = FluentArgs::new();
        for (name, value) in args {
            match value {
                Arg::Num(n) => fa.set(*name, FluentValue::from(*n)),
                Arg::Str(s) => fa.set(*name, FluentValue::String(Cow::Owned(s.to_string()))),
            }
        }
        self.format(key, Some(&fa))
    }

    /// True when the key exists (used by tests and by optional texts).
    pub fn has(&self, key: &str) -> bool {
        self.bundle.has_message(key)
    }

    fn format(&self, key: &str, args: Option<&FluentArgs<'_>>) -> String {
        let Some(pattern) = self.bundle.get_message(key).and_then(|m| m.value()) else {
            tracing::warn!(key, lang = self.lang.code(), "missing message");
            return key.to_string();
        };
        let mut errors = Vec::new();
        let text = self.bundle.format_pattern(pattern, args, &mut errors);
        if !errors.is_empty() {
            tracing::warn!(key, ?errors, "message formatting errors");
        }
        text.into_owned()
    }
}

/// A whole number argument written with the language's thousands separator; anything else is
/// left to Fluent.
fn grouped(value: &FluentValue<'_>, lang: Lang) -> Option<String> {
    match value {
        FluentValue::Number(n)
            if n.value.fract() == 0.0
                && n.value.abs() < 1e15
                && n.options.minimum_fraction_digits.is_none() =>
        {
            Some(Formatter::new(lang).int(n.value as i64))
        }
        _ => None,
    }
}

fn grouped_en<M>(value: &FluentValue<'_>, _: &M) -> Option<String> {
    grouped(value, Lang::En)
}

fn grouped_ru<M>(value: &FluentValue<'_>, _: &M) -> Option<String> {
    grouped(value, Lang::Ru)
}

/// A message argument.
#[derive(Debug, Clone, Copy)]
pub enum Arg<'a> {
    /// A number (selects the plural form).
    Num(f64),
    /// A text.
    Str(&'a str),
}

impl From<i64> for Arg<'_> {
    fn from(n: i64) -> Self {
        Arg::Num(n as f64)
    }
}
impl From<u64> for Arg<'_> {
    fn from(n: u64) -> Self {
        Arg::Num(n as f64)
    }
}
impl From<usize> for Arg<'_> {
    fn from(n: usize) -> Self {
        Arg::Num(n as f64)
    }
}
impl<'a> From<&'a str> for Arg<'a> {
    fn from(s: &'a str) -> Self {
        Arg::Str(s)
    }
}

/// The message ids of a Fluent file (for the completeness test and tooling).
pub fn message_ids(ftl: &str) -> Vec<String> {
    ftl.lines()
        .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_alphabetic()))
        .filter_map(|l| l.split_once('=').map(|(k, _)| k.trim().to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_in_messages_are_grouped_and_keep_their_plural_form() {
        let ru = I18n::new(Lang::Ru);
        let en = I18n::new(Lang::En);
        let count = |i: &I18n, n: i64| i.t_args("patients-count", &[("count", n.into())]);
        assert_eq!(count(&ru, 5745), "5\u{a0}745 пациентов");
        assert_eq!(count(&ru, 1754), "1\u{a0}754 пациента");
        assert_eq!(count(&ru, 21), "21 пациент");
        assert_eq!(count(&en, 5745), "5,745 patients");
        assert_eq!(count(&en, 1), "1 patient");
    }

    #[test]
    fn every_key_exists_in_both_languages_and_parses() {
        for (name, text) in [("en", EN_FTL), ("ru", RU_FTL)] {
            let parsed = FluentResource::try_new(text.to_string());
            assert!(
                parsed.is_ok(),
                "{name}.ftl has syntax errors: {:?}",
                parsed.err().map(|e| e.1)
            );
        }
        let en = message_ids(EN_FTL);
        let ru = message_ids(RU_FTL);
        let missing_ru: Vec<_> = en.iter().filter(|k| !ru.contains(k)).collect();
        let missing_en: Vec<_> = ru.iter().filter(|k| !en.contains(k)).collect();
        assert!(missing_ru.is_empty(), "missing in ru.ftl: {missing_ru:?}");
        assert!(missing_en.is_empty(), "missing in en.ftl: {missing_en:?}");
        let mut seen = std::collections::HashSet::new();
        for k in &en {
            assert!(seen.insert(k), "duplicate key {k} in en.ftl");
        }
    }

    #[test]
    fn russian_plurals() {
        let ru = I18n::new(Lang::Ru);
        let p = |n: i64| ru.t_args("patients-count", &[("count", n.into())]);
        assert_eq!(p(1), "1 пациент");
        assert_eq!(p(2), "2 пациента");
        assert_eq!(p(5), "5 пациентов");
        assert_eq!(p(21), "21 пациент");
        assert_eq!(p(11), "11 пациентов");
        let en = I18n::new(Lang::En);
        assert_eq!(
            en.t_args("patients-count", &[("count", 1i64.into())]),
            "1 patient"
        );
        assert_eq!(
            en.t_args("patients-count", &[("count", 3i64.into())]),
            "3 patients"
        );
    }

    #[test]
    fn language_choice_order() {
        assert_eq!(Lang::choose(Some("ru"), Some("en")), Lang::Ru);
        assert_eq!(Lang::choose(None, Some("ru_RU.UTF-8")), Lang::Ru);
        assert_eq!(Lang::parse("de_DE"), None);
        assert_eq!(Lang::parse("C.UTF-8"), Some(Lang::En));
    }

    #[test]
    fn a_missing_key_shows_as_itself() {
        assert_eq!(I18n::new(Lang::En).t("no-such-key"), "no-such-key");
    }
}
