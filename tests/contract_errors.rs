//! A mistyped contract is refused by the binary in one sentence in the user's language, naming
//! the file, the line, the column and the key (#19 item 6); the payer's quality score is entered
//! and shown with its source (#19 item 3).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use acodesk::domain::finance::contract::preset_source;

fn manager_config(name: &str) -> std::path::PathBuf {
    let dir = common::scratch(name);
    let config = dir.join("config.toml");
    std::fs::write(&config, "role = \"manager\"\nuser_name = \"manager\"\n").unwrap();
    config
}

/// The words of `sentence` outside code (`…`), quoted text and the file name.
fn prose_words(sentence: &str, file: &str) -> Vec<String> {
    let mut text = sentence.replace(file, " ");
    for mark in ['`', '"'] {
        text = text.split(mark).step_by(2).collect::<Vec<_>>().join(" ");
    }
    text.split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// The 1-based line and column of the first occurrence of `needle` in `text`.
fn place(text: &str, needle: &str) -> (usize, usize) {
    let at = text.find(needle).unwrap();
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = before[before.rfind('\n').map_or(0, |i| i + 1)..]
        .chars()
        .count()
        + 1;
    (line, column)
}

#[test]
fn typical_mistakes_are_one_sentence_in_russian_and_in_english() {
    let db = common::private_copy("contract-errors");
    let db = db.to_str().unwrap();
    let config = manager_config("contract-errors-config");
    let config = config.to_str().unwrap();
    let dir = common::scratch("contract-errors-files");
    let preset = preset_source("regional-pilot").unwrap();
    // (what the file says, the key the sentence names, where the mistake is (its text), words
    // the English sentence carries)
    let cases: [(&str, String, Option<&str>, &str, &[&str]); 5] = [
        (
            "trend",
            preset.replace("trend = 1.04", "trend = 10.4"),
            Some("benchmark.from_baseline.trend"),
            "10.4",
            &["10.4", "0.8", "1.3", "--force"],
        ),
        (
            "weights",
            preset.replace("weights = [0.4, 0.6]", "weights = [0.5, 0.6]"),
            Some("benchmark.from_baseline.weights"),
            "[0.5, 0.6]",
            &["must sum to 1"],
        ),
        (
            "lags",
            preset.replace("[0.60, 0.85, 0.95, 1.00]", "[0.60, 0.95, 0.85, 1.00]"),
            Some("claims.lag_completion"),
            "0.85, 1.00]",
            &["lag 2", "cannot fall"],
        ),
        (
            "unknown",
            preset.replace("payment_cap = 0.10", "paymnet_cap = 0.10"),
            Some("sharing.paymnet_cap"),
            "paymnet_cap",
            &["not known here", "`payment_cap`"],
        ),
        (
            "syntax",
            preset.replace("max_rate = 0.50", "max_rate = 0.50."),
            Some("sharing.max_rate"),
            "0.50.\n",
            &["invalid TOML"],
        ),
    ];
    for (name, text, key, at, english) in cases {
        let file = dir.join(format!("{name}.toml"));
        std::fs::write(&file, &text).unwrap();
        let file = file.to_str().unwrap();
        let (line, mut column) = place(&text, at);
        if name == "syntax" {
            // The parser points at the second point, after "0.50".
            column += 4;
        }
        let run = |lang: &str| {
            common::command()
                .args(["--lang", lang, "--config", config, "--db", db])
                .args(["finance", "contract", "--use", file])
                .output()
                .unwrap()
        };
        let ru = common::one_sentence(&run("ru"));
        let en = common::one_sentence(&run("en"));
        assert!(ru.contains(&format!("файле договора {file}")), "{ru}");
        assert!(en.contains(&format!("contract file {file}")), "{en}");
        assert!(
            ru.contains(&format!("строка {line}, столбец {column}")),
            "{name}: {ru}"
        );
        assert!(
            en.contains(&format!("line {line}, column {column}")),
            "{name}: {en}"
        );
        if let Some(key) = key {
            assert!(ru.contains(&format!("`{key}`")), "{ru}");
            assert!(en.contains(&format!("`{key}`")), "{en}");
        }
        // "acodesk:" is the program's name before every error, the same in both languages.
        let sentence = ru.strip_prefix("acodesk: ").unwrap_or(&ru);
        let latin: Vec<String> = prose_words(sentence, file)
            .into_iter()
            .filter(|w| w.chars().any(|c| c.is_ascii_alphabetic()))
            .collect();
        assert!(latin.is_empty(), "{name}: English words {latin:?} in {ru}");
        for words in english {
            assert!(en.contains(words), "{name}: {en} lacks {words}");
        }
    }
    // Nothing was stored.
    let saved: i64 = acodesk::store::Store::open_existing(std::path::Path::new(db))
        .unwrap()
        .conn()
        .query_row("SELECT count(*) FROM contract", [], |r| r.get(0))
        .unwrap();
    assert_eq!(saved, 0);
}
