//! TOML errors as one sentence that keeps the place: `line 3, column 7: <reason>`.
//!
//! The `toml` crate's `message()` drops the place and its `Display` draws a multi-line excerpt;
//! the user's files (config.toml, keymap.toml, worklist.toml, pilot.toml) are short and edited by
//! hand, so the line and column are what they need to find the mistake.

use crate::i18n::msg;

/// `error`, raised while parsing `text`, as `line L, column C: reason` (the reason alone when the
/// parser gave no place).
pub fn describe(text: &str, error: &toml::de::Error) -> String {
    let reason = reason(error);
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
        assert_eq!(line_and_column("ключ = 1\nабв = x", 17), (2, 3));
        assert_eq!(line_and_column("ключ", 4), (1, 3));
        assert_eq!(line_and_column("ключ", 3), (1, 2));
    }
}
