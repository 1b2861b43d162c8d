//! A contract error as the user reads it: one sentence in the user's language naming the file,
//! the line and column, the key and what is wrong (messages `contract-error-*` and
//! `contract-problem-*`). The domain returns the typed [`ContractError`]; this is its only writer.

use super::{Arg, I18n, Lang};
use crate::domain::finance::contract_error::{ContractError, ContractProblem, Found};

/// The sentence for `error` in the language of `i18n`.
pub fn sentence(i18n: &I18n, error: &ContractError) -> String {
    let origin = error.origin.as_str();
    if let ContractProblem::NoSuchPreset { expected } = error.problem.as_ref() {
        return i18n.t_args(
            "contract-error-preset",
            &[
                ("id", origin.into()),
                ("expected", expected.join(", ").as_str().into()),
            ],
        );
    }
    let problem = problem(i18n, &error.problem);
    let problem = problem.as_str();
    match (&error.key, error.place) {
        (Some(key), Some(place)) => i18n.t_args(
            "contract-error-at",
            &[
                ("origin", origin.into()),
                ("key", key.as_str().into()),
                ("line", place.line.into()),
                ("column", place.column.into()),
                ("problem", problem.into()),
            ],
        ),
        (Some(key), None) => i18n.t_args(
            "contract-error-key",
            &[
                ("origin", origin.into()),
                ("key", key.as_str().into()),
                ("problem", problem.into()),
            ],
        ),
        (None, Some(place)) => i18n.t_args(
            "contract-error-line",
            &[
                ("origin", origin.into()),
                ("line", place.line.into()),
                ("column", place.column.into()),
                ("problem", problem.into()),
            ],
        ),
        (None, None) => i18n.t_args(
            "contract-error-file",
            &[("origin", origin.into()), ("problem", problem.into())],
        ),
    }
}

/// The sentence for `error` in the process's language (for errors built far from a screen: the
/// store's Budget view, the CLI's error exit).
pub fn sentence_in_process_lang(error: &ContractError) -> String {
    sentence(super::strings(super::process_lang()), error)
}

/// A number as the language writes it (`10.4`, `10,4`): the value the user typed, or a sum of
/// them rounded to nine decimals (0.1 + 0.2 reads 0.3, not 0.30000000000000004).
fn number(i18n: &I18n, x: f64) -> String {
    let rounded = (x * 1e9).round() / 1e9;
    let text = if rounded.is_finite() {
        rounded.to_string()
    } else {
        x.to_string()
    };
    match i18n.lang() {
        Lang::Ru => text.replace('.', ","),
        Lang::En => text,
    }
}

fn found(i18n: &I18n, found: &Found) -> String {
    match found {
        Found::Literal(text) => text.clone(),
        Found::Table => i18n.t("contract-found-table"),
        Found::List => i18n.t("contract-found-list"),
    }
}

/// Words as code: `a`, `b`, `c`.
fn codes(words: &[String]) -> String {
    words
        .iter()
        .map(|w| format!("`{w}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Words as TOML text: "a", "b", "c".
fn quoted(words: &[String]) -> String {
    words
        .iter()
        .map(|w| format!("\"{w}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What is wrong, as the part of the sentence after the key.
fn problem(i18n: &I18n, problem: &ContractProblem) -> String {
    use ContractProblem as P;
    let key = |name: &str| format!("contract-problem-{name}");
    let with = |name: &str, args: &[(&str, Arg<'_>)]| i18n.t_args(&key(name), args);
    let plain = |name: &str| i18n.t(&key(name));
    match problem {
        P::Syntax { reason } => with(
            "syntax",
            &[(
                "reason",
                crate::toml_error::reason_or_generic(i18n, reason)
                    .as_str()
                    .into(),
            )],
        ),
        P::UnknownKey { expected } => with(
            "unknown-key",
            &[("expected", codes(expected).as_str().into())],
        ),
        P::ExpectedTable { name } => with("expected-table", &[("name", name.as_str().into())]),
        P::TableRequired { name } => with("table-required", &[("name", name.as_str().into())]),
        P::RequiredText => plain("required-text"),
        P::Required { example } => with("required", &[("example", example.as_str().into())]),
        P::RequiredWithFixed { example } => with(
            "required-with-fixed",
            &[("example", number_text(i18n, example).as_str().into())],
        ),
        P::ExpectedText { found: f } => with(
            "expected-text",
            &[("found", found(i18n, f).as_str().into())],
        ),
        P::ExpectedNumber { found: f } => with(
            "expected-number",
            &[("found", found(i18n, f).as_str().into())],
        ),
        P::NotAFraction { found: x } => with(
            "not-a-fraction",
            &[("found", number(i18n, *x).as_str().into())],
        ),
        P::RequiredFraction => plain("required-fraction"),
        P::ExpectedFractions { found: None } => plain("expected-fractions"),
        P::ExpectedFractions { found: Some(f) } => with(
            "expected-fractions-found",
            &[("found", found(i18n, f).as_str().into())],
        ),
        P::ExpectedAmount { found: f } => with(
            "expected-amount",
            &[("found", found(i18n, f).as_str().into())],
        ),
        P::NotPositiveAmount => plain("not-positive-amount"),
        P::IdCharacters => plain("id-characters"),
        P::CurrencyCode => plain("currency-code"),
        P::ExpectedCategories { expected, found: f } => with(
            "expected-categories",
            &[
                ("expected", quoted(expected).as_str().into()),
                ("found", found(i18n, f).as_str().into()),
            ],
        ),
        P::BenchmarkBoth => plain("benchmark-both"),
        P::WeightsSum { total } => with(
            "weights-sum",
            &[("total", number(i18n, *total).as_str().into())],
        ),
        P::TrendNotPositive => plain("trend-not-positive"),
        P::SpendCount { count } => with("spend-count", &[("count", (*count).into())]),
        P::ExpectedAmounts { found: f } => with(
            "expected-amounts",
            &[("found", found(i18n, f).as_str().into())],
        ),
        P::OnlyWithSpread => plain("only-with-spread"),
        P::OnlyWithFixed => plain("only-with-fixed"),
        P::Choice {
            expected,
            found: word,
        } => with(
            "choice",
            &[
                ("expected", quoted(expected).as_str().into()),
                ("found", word.as_str().into()),
            ],
        ),
        P::MinAboveMax => plain("min-above-max"),
        P::LagNotPositive => plain("lag-not-positive"),
        P::Seasonality => plain("seasonality"),
        P::OutOfRange {
            found: x, min, max, ..
        } => with(
            "out-of-range",
            &[
                ("found", number(i18n, *x).as_str().into()),
                ("min", number(i18n, *min).as_str().into()),
                ("max", number(i18n, *max).as_str().into()),
            ],
        ),
        P::LagAboveOne { lag, found: x } => with(
            "lag-above-one",
            &[
                ("lag", (*lag).into()),
                ("found", number(i18n, *x).as_str().into()),
            ],
        ),
        P::LagFalls {
            lag,
            found: x,
            previous,
        } => with(
            "lag-falls",
            &[
                ("lag", (*lag).into()),
                ("found", number(i18n, *x).as_str().into()),
                ("previous", number(i18n, *previous).as_str().into()),
            ],
        ),
        P::NoSuchPreset { expected } => with(
            "no-such-preset",
            &[("expected", expected.join(", ").as_str().into())],
        ),
    }
}

/// An example number written as the language writes it.
fn number_text(i18n: &I18n, text: &str) -> String {
    text.parse::<f64>()
        .map_or_else(|_| text.to_string(), |x| number(i18n, x))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::finance::contract::{Contract, preset_source};

    /// The words of a sentence outside code, quotes and the file name: what must be in the
    /// sentence's own language.
    pub(crate) fn prose_words(sentence: &str, origin: &str) -> Vec<String> {
        let mut text = sentence.replace(origin, " ");
        for mark in ['`', '"'] {
            let mut kept = String::new();
            for (i, part) in text.split(mark).enumerate() {
                if i % 2 == 0 {
                    kept.push_str(part);
                    kept.push(' ');
                }
            }
            text = kept;
        }
        text.split(|c: char| !c.is_alphabetic())
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    }

    fn latin(words: &[String]) -> Vec<&String> {
        words
            .iter()
            .filter(|w| w.chars().any(|c| c.is_ascii_alphabetic()))
            .collect()
    }

    fn pilot_with(from: &str, to: &str) -> String {
        let text = preset_source("regional-pilot").unwrap();
        assert!(text.contains(from), "{from}");
        text.replacen(from, to, 1)
    }

    /// Every kind of mistake, each as a file text.
    fn mistakes() -> Vec<String> {
        let minimal = "id = \"x\"\nname = \"X\"\ncurrency = \"RUB\"\n\
            [sharing]\nmax_rate = 0.5\npayment_cap = 0.1\n[msr]\nrule = \"fixed\"\nrate = 0.02\n";
        vec![
            pilot_with("trend = 1.04", "trend = 10.4"),
            pilot_with("weights = [0.4, 0.6]", "weights = [0.5, 0.6]"),
            pilot_with("[0.60, 0.85, 0.95, 1.00]", "[0.60, 0.95, 0.85, 1.00]"),
            pilot_with("[0.60, 0.85, 0.95, 1.00]", "[0.60, 0.85, 0.95, 1.20]"),
            pilot_with("max_rate = 0.50", "max_rat = 0.50"),
            pilot_with("max_rate = 0.50", "max_rate = 0.50."),
            pilot_with("max_rate = 0.50", "max_rate = \"half\""),
            pilot_with("max_rate = 0.50", "max_rate = 50"),
            pilot_with("payment_cap = 0.10", "payment_cap = 0.9"),
            pilot_with("currency = \"RUB\"", "currency = \"рубли\""),
            pilot_with("efficiency_discount = 0.02", "efficiency_discount = 0.2"),
            minimal.replace("rule = \"fixed\"", "rule = \"sliding\""),
            minimal.replace("rate = 0.02\n", ""),
            minimal.replace("[msr]\nrule = \"fixed\"\nrate = 0.02\n", ""),
            format!("{minimal}[claims]\nseasonality = [1, 2]\n"),
            format!("{minimal}[claims]\nlag_completion = 0.5\n"),
            format!("{minimal}[benchmark]\nper_person_year = \"abc\"\n"),
            format!("{minimal}[benchmark]\ncategories = [\"pharmacy\"]\n"),
            format!("{minimal}[losses]\nrate_rule = \"flat\"\nrate = 0.3\n"),
            format!("{minimal}[losses]\nrate_rule = \"other\"\n"),
            format!("{minimal}[quality]\ngate = \"maybe\"\n"),
            format!("{minimal}sharing = 1\n"),
            "id = \"x\"\nid = \"y\"\n".to_string(),
            "id = \n".to_string(),
            "[sharing\n".to_string(),
        ]
    }

    #[test]
    fn every_mistake_reads_in_russian_without_english_words() {
        let ru = I18n::new(Lang::Ru);
        let en = I18n::new(Lang::En);
        for text in mistakes() {
            let error = Contract::from_toml(&text, "my.toml").unwrap_err();
            let russian = sentence(&ru, &error);
            let english = sentence(&en, &error);
            assert!(russian.starts_with("В файле договора my.toml"), "{russian}");
            assert!(
                english.starts_with("The contract file my.toml"),
                "{english}"
            );
            assert!(
                !russian.contains('\n') && russian.ends_with('.'),
                "{russian}"
            );
            let words = prose_words(&russian, "my.toml");
            assert!(latin(&words).is_empty(), "{russian}: {:?}", latin(&words));
            if let Some(key) = &error.key {
                assert!(russian.contains(&format!("`{key}`")), "{russian}");
                assert!(english.contains(&format!("`{key}`")), "{english}");
            }
            if let Some(place) = error.place {
                let at = format!("строка {}, столбец {}", place.line, place.column);
                assert!(russian.contains(&at), "{russian}");
                let at = format!("line {}, column {}", place.line, place.column);
                assert!(english.contains(&at), "{english}");
            }
        }
    }

    #[test]
    fn a_range_names_the_key_the_place_and_the_range_in_both_languages() {
        let text = pilot_with("trend = 1.04", "trend = 10.4");
        let error = Contract::from_toml(&text, "pilot.toml").unwrap_err();
        let line = text.lines().position(|l| l.contains("10.4")).unwrap() + 1;
        assert_eq!(
            sentence(&I18n::new(Lang::En), &error),
            format!(
                "The contract file pilot.toml has a bad value for key \
                 `benchmark.from_baseline.trend` at line {line}, column 9: 10.4 is outside the \
                 plausible range 0.8–1.3 (`--force` accepts it deliberately)."
            )
        );
        assert_eq!(
            sentence(&I18n::new(Lang::Ru), &error),
            format!(
                "В файле договора pilot.toml неверное значение ключа \
                 `benchmark.from_baseline.trend` (строка {line}, столбец 9): 10,4 вне \
                 правдоподобного диапазона 0,8–1,3 (`--force` примет значение намеренно)."
            )
        );
    }

    #[test]
    fn english_sentences_keep_their_words() {
        let minimal = "id = \"x\"\nname = \"X\"\ncurrency = \"RUB\"\n\
            [sharing]\nmax_rate = 0.5\npayment_cap = 0.1\n[msr]\nrule = \"fixed\"\nrate = 0.02\n";
        let en = I18n::new(Lang::En);
        let error = |text: &str| sentence(&en, &Contract::from_toml(text, "my.toml").unwrap_err());
        assert_eq!(
            error(&minimal.replace("max_rate = 0.5", "max_rate = \"half\"")),
            "The contract file my.toml has a bad value for key `sharing.max_rate` at line 5, \
             column 12: expected a number, found \"half\"."
        );
        assert_eq!(
            error(&minimal.replace("rate = 0.02\n", "")),
            "The contract file my.toml has a bad value for key `msr.rate`: this key is required \
             with `rule = \"fixed\"` (e.g. 0.02)."
        );
        assert!(
            error(&minimal.replace("payment_cap", "paymnet_cap")).contains(
                "key `sharing.paymnet_cap` at line 6, column 1: this key is not known here, \
                 expected `max_rate`, `payment_cap`, `holdback`"
            )
        );
        let syntax = error(&minimal.replace("max_rate = 0.5", "max_rate = 0.5."));
        assert!(
            syntax.starts_with(
                "The contract file my.toml has a bad value for key `sharing.max_rate` at line 5, \
                 column 15: invalid TOML (invalid float"
            ),
            "{syntax}"
        );
        assert_eq!(
            error("[sharing\n"),
            "The contract file my.toml has a mistake at line 1, column 9: invalid TOML \
             (unclosed table, expected `]`)."
        );
        assert_eq!(
            sentence(
                &I18n::new(Lang::Ru),
                &Contract::from_toml("[sharing\n", "my.toml").unwrap_err()
            ),
            "В файле договора my.toml ошибка (строка 1, столбец 9): ошибка записи \
             (не закрыт заголовок таблицы, ожидается: `]`)."
        );
    }

    #[test]
    fn falling_factors_and_sums_show_the_numbers() {
        let text = pilot_with("[0.60, 0.85, 0.95, 1.00]", "[0.60, 0.95, 0.85, 1.00]");
        let error = Contract::from_toml(&text, "p.toml").unwrap_err();
        let en = sentence(&I18n::new(Lang::En), &error);
        assert!(
            en.contains("lag 2, 0.85, is below the one before it, 0.95"),
            "{en}"
        );
        let ru = sentence(&I18n::new(Lang::Ru), &error);
        assert!(
            ru.contains("запаздывания 2, 0,85, меньше предыдущего, 0,95"),
            "{ru}"
        );
        let text = pilot_with("weights = [0.4, 0.6]", "weights = [0.1, 0.2, 0.6]");
        let error = Contract::from_toml(&text, "p.toml").unwrap_err();
        let en = sentence(&I18n::new(Lang::En), &error);
        assert!(en.contains("they sum to 0.9."), "{en}");
    }

    #[test]
    fn an_unknown_preset_lists_the_presets() {
        let error = Contract::preset("track-9").unwrap_err();
        let text = sentence(&I18n::new(Lang::En), &error);
        assert!(
            text.contains("track-9") && text.contains("mssp-2018-track-1"),
            "{text}"
        );
        let text = sentence(&I18n::new(Lang::Ru), &error);
        assert!(
            text.contains("track-9") && text.contains("regional-pilot"),
            "{text}"
        );
    }
}
