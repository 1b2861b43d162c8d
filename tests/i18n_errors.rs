//! Error sentences read in the user's language (`--lang`), and keep their machine-readable parts:
//! the binary is run on a bad import and on a file that is not a register.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/valid")
}

/// A copy of the valid import fixture whose first patient was born on 31.02.1950.
fn bad_import_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(fixtures()).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
    }
    let patients = dir.path().join("patients.csv");
    let text = std::fs::read_to_string(&patients).unwrap();
    assert!(text.contains(",05.03.1950,"), "the fixture changed");
    std::fs::write(&patients, text.replacen(",05.03.1950,", ",31.02.1950,", 1)).unwrap();
    dir
}

fn run(args: &[&str]) -> Output {
    common::command().args(args).output().unwrap()
}

fn stderr(out: &Output) -> String {
    assert!(!out.status.success(), "the command should have failed");
    String::from_utf8(out.stderr.clone()).unwrap()
}

fn import_bad_csv(lang: &str) -> (String, String) {
    let files = bad_import_folder();
    let db = tempfile::tempdir().unwrap();
    let db = db.path().join("register.db");
    let out = run(&[
        "--lang",
        lang,
        "--db",
        db.to_str().unwrap(),
        "import",
        "csv",
        files.path().to_str().unwrap(),
    ]);
    let location = format!(
        "{}:2:birth_date: ",
        files.path().join("patients.csv").display()
    );
    (stderr(&out), location)
}

fn has_cyrillic(text: &str) -> bool {
    text.chars()
        .any(|c| ('а'..='я').contains(&c.to_lowercase().next().unwrap_or(c)))
}

#[test]
fn a_bad_date_reads_in_russian_and_still_names_file_line_and_column() {
    let (err, location) = import_bad_csv("ru");
    assert!(err.contains(&location), "{err}");
    assert!(
        err.contains("«31.02.1950» — не дата: ожидалась дата в формате ДД.ММ.ГГГГ или ГГГГ-ММ-ДД"),
        "{err}"
    );
    assert!(!err.contains("is not a date"), "{err}");
}

#[test]
fn a_bad_date_reads_in_english_with_lang_en() {
    let (err, location) = import_bad_csv("en");
    assert!(
        err.contains(&format!(
            "{location}\"31.02.1950\" is not a date like 2024-03-05 or 05.03.2024"
        )),
        "{err}"
    );
    assert!(!has_cyrillic(&err), "{err}");
}

#[test]
fn a_file_that_is_not_a_register_is_refused_in_russian() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("notes.db");
    let junk = b"These are a nurse's notes, not an SQLite database.\n".repeat(200);
    std::fs::write(&db, &junk).unwrap();
    let path = db.to_str().unwrap();
    let err = stderr(&run(&["--lang", "ru", "--db", path, "stats"]));
    assert!(
        err.contains(&format!("{path} — не регистр acodesk")),
        "{err}"
    );
    assert!(err.contains("файл не изменён"), "{err}");
    assert_eq!(
        std::fs::read(&db).unwrap(),
        junk,
        "the file was left untouched"
    );
    let err = stderr(&run(&["--lang", "en", "--db", path, "stats"]));
    assert!(
        err.contains(&format!("{path} is not an acodesk register")),
        "{err}"
    );
}

#[test]
fn a_missing_register_and_a_bad_flag_read_in_russian() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("absent.db");
    let path = db.to_str().unwrap();
    let err = stderr(&run(&["--lang", "ru", "--db", path, "stats"]));
    assert!(err.contains(&format!("{path} не существует")), "{err}");
    let err = stderr(&run(&["--lang", "ru", "--as-of", "32.13.2026", "stats"]));
    assert!(err.contains("--as-of: «32.13.2026» — не дата"), "{err}");
}

#[test]
fn a_synthea_folder_without_patients_is_refused_in_russian() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("register.db");
    let err = stderr(&run(&[
        "--lang",
        "ru",
        "--db",
        db.to_str().unwrap(),
        "import",
        "synthea",
        dir.path().to_str().unwrap(),
    ]));
    assert!(err.contains("нет patients.csv"), "{err}");
    assert!(has_cyrillic(&err), "{err}");
}

#[test]
fn the_contract_is_named_in_the_users_language() {
    let db = common::shared_register().to_str().unwrap();
    let out = |lang: &str| {
        let o = run(&["--lang", lang, "--db", db, "finance"]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).unwrap()
    };
    let ru = out("ru");
    assert!(ru.contains("Пилот по диабету (односторонний)"), "{ru}");
    assert!(!ru.contains("Regional diabetes pilot"), "{ru}");
    let en = out("en");
    assert!(en.contains("Regional diabetes pilot (one-sided)"), "{en}");
}
