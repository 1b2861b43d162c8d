//! TOML errors as one sentence that keeps the place: `line 3, column 7: <reason>`.
//!
//! The `toml` crate's `message()` drops the place and its `Display` draws a multi-line excerpt;
//! the user's files (config.toml, keymap.toml, worklist.toml, pilot.toml) are short and edited by
//! hand, so the line and column are what they need to find the mistake.

use crate::i18n::{I18n, msg, process_lang, strings};

/// `error`, raised while parsing `text`, as `line L, column C: reason` in the process's language
/// (the reason alone when the parser gave no place).
pub fn describe(text: &str, error: &toml::de::Error) -> String {
    let reason = reason_or_generic(strings(process_lang()), &reason(error));
    let Some(span) = error.span() else {
        return reason;
    };
    let (line, column) = line_and_column(text, span.start);
    msg(
        "toml-error-at",
        &[
            ("line", line.into()),
            ("column", column.into()),
            ("reason", reason.as_str().into()),
        ],
    )
}

/// The parser's reason alone, its lines joined into one.
pub fn reason(error: &toml::de::Error) -> String {
    error
        .message()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("; ")
}

/// The `toml` crate's reason (`invalid float, expected newline`) in the language of `i18n`, from
/// the messages `toml-reason-*`: the description, then what was expected when every part of it
/// is known. `None` when the description itself has no message (the caller then says only that
/// the syntax is wrong rather than show English words to a Russian reader).
pub fn reason_in(i18n: &I18n, reason: &str) -> Option<String> {
    let (description, expected) = match reason.split_once(", expected ") {
        Some((d, e)) => (d, Some(e)),
        None => (reason, None),
    };
    let description = phrase(i18n, description)?;
    let expected = expected.and_then(|list| {
        list.split(", ")
            .map(|item| phrase(i18n, item))
            .collect::<Option<Vec<_>>>()
    });
    Some(match expected {
        Some(items) => i18n.t_args(
            "toml-reason-expected",
            &[
                ("reason", description.as_str().into()),
                ("expected", items.join(", ").as_str().into()),
            ],
        ),
        None => description,
    })
}

/// The reason in the language of `i18n` ([`reason_in`]); a reason without a message stays the
/// parser's own in English and becomes "the syntax is wrong" in Russian.
pub fn reason_or_generic(i18n: &I18n, reason: &str) -> String {
    match reason_in(i18n, reason) {
        Some(text) => text,
        None if i18n.lang() == crate::i18n::Lang::En => reason.to_string(),
        None => i18n.t("toml-reason-unknown"),
    }
}

/// One phrase of the parser: a literal in backticks as it is, else its message `toml-reason-*`.
fn phrase(i18n: &I18n, text: &str) -> Option<String> {
    let text = text.trim();
    if text.len() >= 2 && text.starts_with('`') && text.ends_with('`') && !text.contains(' ') {
        return Some(text.to_string());
    }
    let key = format!("toml-reason-{}", slug(text));
    i18n.has(&key).then(|| i18n.t(&key))
}

/// The message id of a parser phrase: lower case, words joined by dashes, `=` and `_` named.
fn slug(text: &str) -> String {
    let named = text
        .replace("`=`", " equals ")
        .replace("`_`", " underscore ")
        .to_lowercase();
    named
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// The 1-based line and column (in characters) of byte `offset` in `text`.
fn line_and_column(text: &str, offset: usize) -> (u64, u64) {
    let place = crate::domain::finance::contract_error::place_of(text, offset);
    (place.line, place.column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_syntax_error_names_its_line_and_column() {
        let text = "name = \"ok\"\nsync_alert_days = = 3\n";
        let error = toml::from_str::<toml::Table>(text).unwrap_err();
        let described = describe(text, &error);
        assert!(described.starts_with("line 2, column "), "{described}");
        assert!(!described.contains('\n'), "{described}");
    }

    #[test]
    fn a_type_error_names_the_line_of_its_value() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Days {
            days: u32,
        }
        let text = "# comment\n\ndays = \"seven\"\n";
        let error = toml::from_str::<Days>(text).unwrap_err();
        let described = describe(text, &error);
        assert!(described.starts_with("line 3, column 8: "), "{described}");
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        assert_eq!(line_and_column("ключ = 1\nабв = x", 13), (2, 1));
        assert_eq!(line_and_column("ключ", 3), (1, 2));
    }

    #[test]
    fn every_reason_the_parser_gives_reads_in_russian() {
        use crate::i18n::Lang;
        let (en, ru) = (I18n::new(Lang::En), I18n::new(Lang::Ru));
        for text in [
            "a = 0.5.\n",
            "a = \n",
            "[t\n",
            "a = [1 2]\n",
            "a = \"x\n",
            "a = 1\na = 2\n",
            "a = {b = 1,,}\n",
            "a == 1\n",
            "a = tru\n",
            "= 1\n",
            "a = 01\n",
            "a = 1_\n",
            "[[t]\n",
            "a = [1,,2]\n",
            "a = 1 x\n",
            "a = \"\\q\"\n",
            "a = 0x\n",
        ] {
            let error = text.parse::<toml::Table>().unwrap_err();
            let raw = reason(&error);
            let russian = reason_in(&ru, &raw).unwrap_or_else(|| panic!("no message: {raw}"));
            // Literals the file must hold stay as code: `true`, `=`.
            let prose: String = russian.split('`').step_by(2).collect();
            assert!(
                !prose.chars().any(|c| c.is_ascii_alphabetic()),
                "{raw} -> {russian}"
            );
            assert_eq!(
                reason_in(&en, &raw).as_deref(),
                Some(raw.as_str()),
                "{text}"
            );
        }
    }

    #[test]
    fn a_reason_without_a_message_is_the_parser_s_in_english_and_generic_in_russian() {
        use crate::i18n::Lang;
        let error = "a = 1979-13-99\n".parse::<toml::Table>().unwrap_err();
        let raw = reason(&error);
        assert_eq!(reason_or_generic(&I18n::new(Lang::En), &raw), raw);
        assert_eq!(
            reason_or_generic(&I18n::new(Lang::Ru), &raw),
            "ошибка синтаксиса"
        );
    }

    #[test]
    fn slugs_name_the_symbols() {
        assert_eq!(slug("extra `=`"), "extra-equals");
        assert_eq!(
            slug("`_` may only go between digits"),
            "underscore-may-only-go-between-digits"
        );
        assert_eq!(slug("end-of-input"), "end-of-input");
    }
}
