//! A mistyped contract is refused by the binary in one sentence in the user's language, naming
//! the file, the line, the column and the key (#19 item 6); the payer's quality score is entered
//! and shown with its source (#19 item 3).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use acodesk::domain::finance::contract::preset_source;

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

/// A mistake: its name, the file's text, the key the sentence names, the text where the mistake
/// is, and words the English sentence carries.
type Case<'a> = (&'a str, String, Option<&'a str>, &'a str, &'a [&'a str]);

#[test]
fn typical_mistakes_are_one_sentence_in_russian_and_in_english() {
    let db = common::private_copy("contract-errors");
    let db = db.to_str().unwrap();
    let config = common::manager_config("contract-errors-config", "manager");
    let config = config.to_str().unwrap();
    let dir = common::scratch("contract-errors-files");
    let preset = preset_source("regional-pilot").unwrap();
    // (what the file says, the key the sentence names, where the mistake is (its text), words
    // the English sentence carries)
    let cases: [Case; 5] = [
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

#[test]
fn the_payer_s_quality_score_is_entered_checked_and_shown_with_its_source() {
    let db = common::private_copy("quality-score");
    let db = db.to_str().unwrap();
    let config = common::manager_config("quality-score-config", "manager");
    let config = config.to_str().unwrap();
    let run = |args: &[&str]| {
        common::command()
            .args(["--config", config, "--db", db])
            .args(args)
            .output()
            .unwrap()
    };
    let json = |extra: &[&str]| -> serde_json::Value {
        let out = run(&[&["finance", "--format", "json"], extra].concat());
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let out = run(&["finance", "contract", "--use", "mssp-2018-track-1"]);
    assert!(out.status.success(), "{out:?}");
    let total = ["--benchmark-total", "300000000"];
    // Not entered: the payer's gate counts as not met and the problems say how to enter it.
    let asked = json(&total);
    assert_eq!(asked["quality_score_source"], "not_reported");
    assert_eq!(asked["final_sharing_rate"].as_f64(), Some(0.0));
    assert!(
        asked["problems"].to_string().contains("--quality-score"),
        "{}",
        asked["problems"]
    );
    // Entered on the command line: it scales the sharing rate (50 % × 0.9).
    let given = json(&[&total[..], &["--quality-score", "0.9"]].concat());
    assert_eq!(given["quality_score"].as_f64(), Some(0.9));
    assert_eq!(given["quality_score_source"], "payer_reported");
    let rate = given["final_sharing_rate"].as_f64().unwrap();
    assert!((rate - 0.45).abs() < 1e-12, "{rate}");
    assert!(!given["problems"].to_string().contains("--quality-score"));
    // Out of range: one sentence in each language naming the option and the range.
    for (lang, words) in [
        ("en", ["0 and 1", "--quality-score 92"]),
        ("ru", ["от 0 до 1", "--quality-score 92"]),
    ] {
        let out = run(&["--lang", lang, "finance", "--quality-score", "92"]);
        let err = common::one_sentence(&out);
        for w in words {
            assert!(err.contains(w), "{err}");
        }
    }
    // Entered in the contract: stored with the contract (on the audit trail), shown everywhere.
    let dir = common::scratch("quality-score-files");
    let text = preset_source("mssp-2018-track-1").unwrap().replace(
        "gate = \"reported\"",
        "gate = \"reported\"\nreported_score = 0.85",
    );
    let bad = dir.join("bad.toml");
    std::fs::write(&bad, text.replace("0.85", "85")).unwrap();
    let bad = bad.to_str().unwrap();
    let err = common::one_sentence(&run(&["--lang", "ru", "finance", "contract", "--use", bad]));
    assert!(
        err.contains("`quality.reported_score`") && err.contains("от 0 до 1"),
        "{err}"
    );
    let good = dir.join("mssp-reported.toml");
    std::fs::write(&good, &text).unwrap();
    let out = run(&["finance", "contract", "--use", good.to_str().unwrap()]);
    assert!(out.status.success(), "{out:?}");
    let stored = json(&total);
    assert_eq!(stored["quality_score"].as_f64(), Some(0.85));
    assert_eq!(stored["quality_score_source"], "payer_reported");
    // The command line's score comes before the contract's.
    let both = json(&[&total[..], &["--quality-score", "0.7"]].concat());
    assert_eq!(both["quality_score"].as_f64(), Some(0.7));
    // The waterfall's line names the source, in the table, the CSV and the report.
    let table = run(&[&["--lang", "ru", "finance"][..], &total[..]].concat());
    let table = String::from_utf8_lossy(&table.stdout).to_string();
    let line = table
        .lines()
        .find(|l| l.starts_with("× балл качества "))
        .unwrap_or_else(|| panic!("{table}"));
    assert!(
        line.contains("0,85") && line.contains("от плательщика"),
        "{line}"
    );
    let csv = run(&[&["finance", "--format", "csv"][..], &total[..]].concat());
    let csv = String::from_utf8_lossy(&csv.stdout).to_string();
    assert!(
        csv.lines()
            .any(|l| l.starts_with("quality_score,× quality score,,0.85,payer-reported")),
        "{csv}"
    );
    let report = dir.join("report.html");
    let out = run(&["report", "--out", report.to_str().unwrap()]);
    assert!(out.status.success(), "{out:?}");
    let html = std::fs::read_to_string(&report).unwrap();
    let row = html
        .lines()
        .find(|l| l.contains("data-step=\"quality_score\""))
        .expect("the report's waterfall has the quality score");
    assert!(
        row.contains("0.85") && row.contains("payer-reported"),
        "{row}"
    );
    // The dry run shows each side's own score and source.
    let out = run(&[
        "finance",
        "contract",
        "--use",
        "mssp-2018-track-1",
        "--dry-run",
    ]);
    let shown = String::from_utf8_lossy(&out.stdout).to_string();
    let line = shown
        .lines()
        .find(|l| l.starts_with("× quality score"))
        .unwrap_or_else(|| panic!("{shown}"));
    assert!(
        line.contains("0.85 · payer-reported") && line.contains("not reported"),
        "{line}"
    );
}
