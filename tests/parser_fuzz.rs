//! Fuzzing the parsers of the user's TOML files — `config.toml`, `keymap.toml`, `worklist.toml`
//! and contract files — with random and mutated text: the shipped files and the seeds in
//! `tests/fuzz-corpus/` with bytes flipped, inserted (control characters, invalid UTF-8, TOML
//! punctuation), deleted, lines doubled and the text cut short. Whatever comes in, the parser must
//! not panic, and a refusal must be one line that names the file (and the line, where the TOML
//! parser gives one). The library is fuzzed with many cases; the binary with a few, end to end.
//!
//! Failures proptest finds are kept in `tests/fuzz-corpus/parser_fuzz.proptest-regressions` and
//! replayed first on every run.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use acodesk::cli::one_line;
use acodesk::config::Config;
use acodesk::domain::finance::Contract;
use acodesk::domain::worklist::Thresholds;
use acodesk::i18n::{I18n, Lang};
use acodesk::tui::keymap::Keymap;
use proptest::prelude::*;
use proptest::test_runner::{Config as RunConfig, FileFailurePersistence};
use std::path::{Path, PathBuf};

const REGRESSIONS: &str = "tests/fuzz-corpus/parser_fuzz.proptest-regressions";

fn run_config(cases: u32) -> RunConfig {
    RunConfig {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(REGRESSIONS))),
        max_shrink_iters: 200,
        ..RunConfig::default()
    }
}

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-corpus")
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

/// The seeds of one kind of file: the shipped asset(s) and the corpus files named `KIND*.toml`.
fn seeds(kind: &str) -> Vec<Vec<u8>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out: Vec<Vec<u8>> = match kind {
        "keymap" => vec![read(&root.join("assets/keymap.toml"))],
        "worklist" => vec![read(&root.join("assets/worklist.toml"))],
        "contract" => std::fs::read_dir(root.join("assets/programs"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.file_name().is_some_and(|n| n != "diabetes.toml"))
            .map(|p| read(&p))
            .collect(),
        _ => Vec::new(),
    };
    let mut names: Vec<PathBuf> = std::fs::read_dir(corpus())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(kind) && n.ends_with(".toml"))
        })
        .collect();
    names.sort();
    out.extend(names.iter().map(|p| read(p)));
    assert!(!out.is_empty(), "no seeds for {kind}");
    out
}

/// One edit of a seed.
#[derive(Debug, Clone)]
enum Edit {
    /// Replace the byte at (position mod length).
    Set(usize, u8),
    /// Insert bytes at (position mod length + 1).
    Insert(usize, Vec<u8>),
    /// Delete up to n bytes from (position mod length).
    Delete(usize, usize),
    /// Cut the text at (position mod length + 1).
    Truncate(usize),
    /// Repeat the line holding (position mod length).
    DoubleLine(usize),
}

/// Bytes worth inserting: control characters, invalid UTF-8, TOML punctuation, Cyrillic.
fn nasty_bytes() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        any::<u8>().prop_map(|b| vec![b]),
        Just(vec![0u8]),
        Just(vec![0x1b]),
        Just(vec![0x7f]),
        Just(vec![b'\r']),
        Just(vec![b'\n']),
        Just(vec![0xff, 0xfe]),
        Just(vec![0xc3]),
        Just(vec![0xed, 0xa0, 0x80]),
        Just(b"\"".to_vec()),
        Just(b"'''".to_vec()),
        Just(b"[".to_vec()),
        Just(b"]]".to_vec()),
        Just(b"=".to_vec()),
        Just(b".".to_vec()),
        Just(b"{".to_vec()),
        Just(b"\\u0000".to_vec()),
        Just(b"1e999".to_vec()),
        Just(b"-9223372036854775809".to_vec()),
        Just(b"nan".to_vec()),
        Just(b"1979-05-27T07:32:00Z".to_vec()),
        Just("ё".as_bytes().to_vec()),
        Just("\u{feff}".as_bytes().to_vec()),
    ];
    prop::collection::vec(piece, 1..4).prop_map(|v| v.concat())
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(p, b)| Edit::Set(p, b)),
        (any::<usize>(), nasty_bytes()).prop_map(|(p, b)| Edit::Insert(p, b)),
        (any::<usize>(), 1usize..40).prop_map(|(p, n)| Edit::Delete(p, n)),
        any::<usize>().prop_map(Edit::Truncate),
        any::<usize>().prop_map(Edit::DoubleLine),
    ]
}

fn apply(mut text: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    for e in edits {
        let len = text.len().max(1);
        match e {
            Edit::Set(p, b) => {
                if !text.is_empty() {
                    let i = p % text.len();
                    text[i] = *b;
                }
            }
            Edit::Insert(p, bytes) => {
                let i = (p % len + 1).min(text.len());
                text.splice(i..i, bytes.iter().copied());
            }
            Edit::Delete(p, n) => {
                if !text.is_empty() {
                    let i = p % text.len();
                    let end = (i + n).min(text.len());
                    text.drain(i..end);
                }
            }
            Edit::Truncate(p) => text.truncate((p % len + 1).min(text.len())),
            Edit::DoubleLine(p) => {
                if !text.is_empty() {
                    let i = p % text.len();
                    let start = text[..i]
                        .iter()
                        .rposition(|&b| b == b'\n')
                        .map_or(0, |x| x + 1);
                    let end = text[i..]
                        .iter()
                        .position(|&b| b == b'\n')
                        .map_or(text.len(), |x| i + x + 1);
                    let line = text[start..end].to_vec();
                    text.splice(end..end, line);
                }
            }
        }
    }
    text
}

/// A seed of `kind` with a few edits, or random bytes, or random text.
fn input(kind: &'static str) -> impl Strategy<Value = Vec<u8>> {
    let seeds = seeds(kind);
    let mutated = (0..seeds.len(), prop::collection::vec(edit(), 1..6))
        .prop_map(move |(i, edits)| apply(seeds[i].clone(), &edits));
    prop_oneof![
        6 => mutated,
        1 => prop::collection::vec(any::<u8>(), 0..200),
        1 => ".{0,200}".prop_map(String::into_bytes),
    ]
}

/// A refusal must be one line, name `file`, and, when the TOML parser placed the error, its line.
fn check_sentence(message: &str, file: &str) -> Result<(), TestCaseError> {
    prop_assert!(!message.trim().is_empty(), "an empty error");
    prop_assert!(
        !message.contains('\n') && !message.contains('\r'),
        "more than one line: {message:?}"
    );
    prop_assert!(message.contains(file), "the file is not named: {message:?}");
    Ok(())
}

/// What the command line shows for a user's keymap file (the dashboard reads it).
fn keymap_error(path: &Path, text: &str) -> Option<String> {
    Keymap::with_override(text)
        .err()
        .map(|e| format!("{}: {e}", path.display()))
}

/// What the command line shows for a user's worklist file (`cli::one_line`: the TOML parser's
/// report spans several lines, with an excerpt of the file).
fn thresholds_error(path: &Path, text: &str) -> Option<String> {
    Thresholds::from_toml_str(text)
        .err()
        .map(|e| one_line(&format!("{}: {e}", path.display())))
}

proptest! {
    #![proptest_config(run_config(400))]

    #[test]
    fn config_files_never_panic_and_refuse_in_one_line(bytes in input("config")) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, &bytes).unwrap();
        if let Err(message) = Config::load(&path) {
            check_sentence(&message, "config.toml")?;
        }
    }

    #[test]
    fn keymap_files_never_panic_and_refuse_in_one_line(bytes in input("keymap")) {
        // The dashboard reads the file as UTF-8 text first; other bytes never reach the parser.
        if let Ok(text) = std::str::from_utf8(&bytes) {
            if let Some(message) = keymap_error(Path::new("keymap.toml"), text) {
                check_sentence(&message, "keymap.toml")?;
            }
        }
    }

    #[test]
    fn worklist_files_never_panic_and_refuse_in_one_line(bytes in input("worklist")) {
        if let Ok(text) = std::str::from_utf8(&bytes) {
            if let Some(message) = thresholds_error(Path::new("worklist.toml"), text) {
                check_sentence(&message, "worklist.toml")?;
            }
        }
    }

    #[test]
    fn contract_files_never_panic_and_refuse_in_one_line(bytes in input("contract")) {
        if let Ok(text) = std::str::from_utf8(&bytes) {
            if let Err(e) = Contract::from_toml(text, "my-contract.toml") {
                // As the command line prints it, in either language: a key with a line break in
                // it is quoted back.
                for lang in [Lang::En, Lang::Ru] {
                    let sentence = acodesk::i18n::contract::sentence(&I18n::new(lang), &e);
                    check_sentence(&one_line(&sentence), "my-contract.toml")?;
                }
            }
        }
    }
}

proptest! {
    // Each case starts the binary: a few cases, a few seconds.
    #![proptest_config(run_config(12))]

    #[test]
    fn the_binary_refuses_a_bad_config_or_worklist_file_in_one_sentence(
        config in input("config"),
        worklist in input("worklist"),
        which in 0..2usize,
    ) {
        let dir = tempfile::tempdir().unwrap();
        // worklist.toml is read from beside the configuration file in use.
        let config_dir = dir.path().to_path_buf();
        let config_path = dir.path().join("config.toml");
        let (file, name) = if which == 0 {
            std::fs::write(&config_path, &config).unwrap();
            (config_path.clone(), "config.toml")
        } else {
            std::fs::write(config_dir.join("worklist.toml"), &worklist).unwrap();
            (config_dir.join("worklist.toml"), "worklist.toml")
        };
        let out = common::command()
            .env("ACODESK_CONFIG", &config_path)
            .env("XDG_CONFIG_HOME", dir.path().join("xdg"))
            .args(["--db"])
            .arg(dir.path().join("none.db"))
            .arg("stats")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).trim().to_string();
        prop_assert!(!stderr.contains("panicked"), "{stderr}");
        prop_assert_eq!(out.status.code(), Some(1), "{}", stderr);
        if stderr.contains(name) {
            check_sentence(&stderr, name)?;
        } else {
            // The file was accepted; the command then fails on the missing register, in the
            // language the accepted config may have chosen (`language = "ru"` is in the seeds).
            prop_assert!(
                stderr.contains("does not exist") || stderr.contains("не существует"),
                "{} not named: {}",
                file.display(),
                stderr
            );
            check_sentence(&stderr, "none.db")?;
        }
    }
}

#[test]
fn every_seed_parses_as_shipped() {
    for text in seeds("keymap") {
        Keymap::with_override(std::str::from_utf8(&text).unwrap()).unwrap();
    }
    for text in seeds("worklist") {
        Thresholds::from_toml_str(std::str::from_utf8(&text).unwrap()).unwrap();
    }
    for text in seeds("contract") {
        Contract::from_toml(std::str::from_utf8(&text).unwrap(), "seed").unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    for (i, text) in seeds("config").into_iter().enumerate() {
        let path = dir.path().join(format!("{i}.toml"));
        std::fs::write(&path, text).unwrap();
        Config::load(&path).unwrap();
    }
}
