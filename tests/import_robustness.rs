//! `acodesk import csv` on what regions really send: Windows-1251 and `;` files, damaged files of
//! every kind (each refused with one `FILE:LINE:COLUMN` sentence and nothing written), repeats,
//! updates, and an import killed midway by SIGKILL (the register is left exactly as it was).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use acodesk::import::csv_dir::{ImportOptions, import_dir};
use acodesk::sample::{SampleSpec, generate};
use acodesk::store::Store;
use acodesk::store::import_summary::ImportSummary;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

/// The tables an import writes, in a fixed order.
const TABLES: &[&str] = &[
    "organizations",
    "staff",
    "patients",
    "diagnoses",
    "observations",
    "encounters",
    "claim_lines",
    "claim_month_totals",
    "appointments",
    "calls",
    "programs",
    "enrolments",
];

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import")
}

/// A temporary copy of `tests/fixtures/import/valid` with some files replaced (`None` removes one).
fn folder(replace: &[(&str, Option<&[u8]>)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(fixtures().join("valid")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
    }
    for (name, bytes) in replace {
        let path = dir.path().join(name);
        match bytes {
            Some(b) => std::fs::write(path, b).unwrap(),
            None => std::fs::remove_file(path).unwrap(),
        }
    }
    dir
}

/// A valid fixture file with `edit` applied to its text.
fn edited(name: &str, edit: impl FnOnce(String) -> String) -> Vec<u8> {
    edit(std::fs::read_to_string(fixtures().join("valid").join(name)).unwrap()).into_bytes()
}

/// Imports `dir` into a new register inside it with `--skip-bad-rows`.
fn import_skipping_bad_rows(dir: &Path) -> (Store, ImportSummary) {
    let mut store = Store::open(&dir.join("register.db")).unwrap();
    let options = ImportOptions {
        skip_bad_rows: true,
    };
    let summary = import_dir(&mut store, dir, options).unwrap();
    (store, summary)
}

/// The given name the register holds for patient P2 (the skip-bad-rows repeat tests' subject).
fn given_name_of_p2(store: &Store) -> String {
    store
        .conn()
        .query_row("SELECT given_name FROM patients WHERE id = 'P2'", [], |r| {
            r.get(0)
        })
        .unwrap()
}

/// The reject file beside patients.csv holds line 5, a second P2, refused as a repeat of line 3.
fn assert_second_p2_rejected(dir: &Path) {
    let rejects = std::fs::read_to_string(dir.join("patients.csv.rejects.csv")).unwrap();
    assert!(
        rejects.contains("5,id,\"\"\"P2\"\" appears again with different values (first on line 3)"),
        "{rejects}"
    );
}

fn import(dir: &Path, store: &mut Store) -> color_eyre::Result<ImportSummary> {
    import_dir(store, dir, ImportOptions::default())
}

fn counts(conn: &rusqlite::Connection) -> Vec<(String, i64)> {
    TABLES
        .iter()
        .map(|t| {
            let sql = format!("SELECT count(*) FROM {t}");
            (
                t.to_string(),
                conn.query_row(&sql, [], |r| r.get(0)).unwrap(),
            )
        })
        .collect()
}

fn total_rows(store: &Store) -> i64 {
    counts(store.conn()).iter().map(|(_, n)| n).sum()
}

/// Every row of every table, as text, sorted: two registers with equal snapshots hold the same data.
fn snapshot(conn: &rusqlite::Connection) -> Vec<(String, Vec<String>)> {
    TABLES
        .iter()
        .map(|t| {
            let mut stmt = conn.prepare(&format!("SELECT * FROM {t}")).unwrap();
            let n = stmt.column_count();
            let mut rows: Vec<String> = stmt
                .query_map([], |r| {
                    let cells: Vec<String> = (0..n)
                        .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                        .collect();
                    Ok(cells.join("|"))
                })
                .unwrap()
                .map(Result::unwrap)
                .collect();
            rows.sort();
            (t.to_string(), rows)
        })
        .collect()
}

/// Imports `dir` into a fresh register and returns the error's sentence, checking nothing was written.
fn refused(dir: &Path) -> String {
    let mut store = Store::open(&dir.join("register.db")).unwrap();
    let err = import(dir, &mut store).expect_err("the import should be refused");
    assert_eq!(total_rows(&store), 0, "nothing is written: {err}");
    let text = err.to_string();
    assert!(!text.contains('\n'), "one sentence: {text}");
    text
}

#[test]
fn the_valid_fixture_imports_and_a_second_import_changes_nothing() {
    let dir = folder(&[]);
    let mut store = Store::open(&dir.path().join("register.db")).unwrap();
    let s = import(dir.path(), &mut store).unwrap();
    assert_eq!(s.count("patients").inserted, 3);
    assert_eq!(s.count("observations").inserted, 3);
    assert_eq!(
        s.count("observations").unchanged,
        1,
        "the unknown LOINC is skipped"
    );
    assert_eq!(s.count("encounters").inserted, 2);
    assert_eq!(s.count("calls").inserted, 1);
    assert_eq!(s.enrolled, 2, "prediabetes does not enrol");
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    let value = |sql: &str| -> f64 { store.conn().query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(
        value("SELECT value FROM observations WHERE id = 'O2'"),
        10.0,
        "mg/dL → mmol/L"
    );
    assert_eq!(value("SELECT value FROM observations WHERE id = 'O1'"), 8.4);
    assert_eq!(
        value("SELECT cost_minor FROM encounters WHERE id = 'E1'"),
        4_500_050.0
    );
    let before = snapshot(store.conn());
    let again = import(dir.path(), &mut store).unwrap();
    for (table, c) in &again.tables {
        assert_eq!((c.inserted, c.updated), (0, 0), "{table}");
    }
    assert_eq!(snapshot(store.conn()), before);
    let total: i64 = store
        .conn()
        .query_row("SELECT sum(paid_minor) FROM claim_month_totals", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(
        total, 4_620_050,
        "a re-import does not double the monthly totals"
    );
}

#[test]
fn windows_1251_with_semicolons_crlf_and_decimal_commas_gives_the_same_register() {
    let utf8 = folder(&[]);
    let mut a = Store::open(&utf8.path().join("register.db")).unwrap();
    import(utf8.path(), &mut a).unwrap();
    let cp1251 = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(fixtures().join("cp1251")).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        assert!(
            std::str::from_utf8(&bytes).is_err() || bytes.is_ascii(),
            "{path:?} is really Windows-1251"
        );
        std::fs::copy(&path, cp1251.path().join(path.file_name().unwrap())).unwrap();
    }
    let mut b = Store::open(&cp1251.path().join("register.db")).unwrap();
    import(cp1251.path(), &mut b).unwrap();
    assert_eq!(snapshot(b.conn()), snapshot(a.conn()));
    let name: String = b
        .conn()
        .query_row(
            "SELECT family_name || ' ' || given_name FROM patients WHERE id = 'P3'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(name, "Ёлкина Зоя");
}

#[test]
fn headers_in_any_order_and_case_bom_and_unknown_columns() {
    let patients = "\u{feff}SEX;Birth_Date;Given_Name;ID;Family_Name;Shoe_Size\r\n\
                    F;1960-01-31;Anna;P2;Smith;38\r\n";
    let dir = folder(&[
        ("patients.csv", Some(patients.as_bytes())),
        ("diagnoses.csv", None),
        ("observations.csv", None),
        ("encounters.csv", None),
        ("claims.csv", None),
        ("appointments.csv", None),
        ("calls.csv", None),
    ]);
    let mut store = Store::open(&dir.path().join("register.db")).unwrap();
    let s = import(dir.path(), &mut store).unwrap();
    assert_eq!(s.count("patients").inserted, 1);
    assert_eq!(s.warnings.len(), 1, "{:?}", s.warnings);
    assert!(
        s.warnings[0].ends_with(
            "patients.csv: column \"shoe_size\" is not part of the format and was ignored"
        )
    );
}

#[test]
fn a_newer_version_of_a_record_updates_it() {
    let dir = folder(&[]);
    let mut store = Store::open(&dir.path().join("register.db")).unwrap();
    import(dir.path(), &mut store).unwrap();
    let changed = edited("patients.csv", |t| {
        t.replace("+7 912 000-00-01", "+7 999 111-22-33")
    });
    std::fs::write(dir.path().join("patients.csv"), changed).unwrap();
    let s = import(dir.path(), &mut store).unwrap();
    assert_eq!(s.count("patients").updated, 1);
    assert_eq!(s.count("patients").unchanged, 2);
    let phone: String = store
        .conn()
        .query_row("SELECT phone FROM patients WHERE id = 'P1'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(phone, "+7 999 111-22-33");
}

/// Imports the valid fixture with `file` replaced by `bytes`: refused with a sentence containing
/// `expected`, nothing written.
fn assert_refused(file: &str, bytes: &[u8], expected: &str) {
    let text = refused(folder(&[(file, Some(bytes))]).path());
    assert!(text.contains(expected), "{text}\nexpected: {expected}");
}

/// `name` from the valid fixture cut just after `after`.
fn cut_after(name: &str, after: &str) -> Vec<u8> {
    edited(name, |t| {
        t[..t.find(after).unwrap() + after.len()].to_string()
    })
}

#[test]
fn an_empty_file_is_refused_and_a_header_alone_is_zero_rows() {
    let empty = "organizations.csv: is empty: expected a header line naming the columns";
    assert_refused("organizations.csv", b"", empty);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("organizations.csv"), "id,name,kind\n").unwrap();
    let mut store = Store::open(&dir.path().join("register.db")).unwrap();
    let s = import(dir.path(), &mut store).unwrap();
    assert_eq!(s.count("organizations"), Default::default());
}

#[test]
fn a_truncated_last_line_names_the_missing_column() {
    assert_refused(
        "patients.csv",
        &cut_after("patients.csv", "Ёлкина,Зоя"),
        "patients.csv:4:patronymic: the file ends in the middle of a row (after 5 of the header's \
         17 fields): expected the whole file (was it copied or downloaded only in part?)",
    );
    // A short row with its line break is not the file's end: it is a row cut short.
    let mut short = cut_after("patients.csv", "Ёлкина,Зоя");
    short.extend_from_slice(b"\n");
    assert_refused(
        "patients.csv",
        &short,
        "patients.csv:4:patronymic: is missing: the row ends after 5 of the header's 17 fields \
         (is the line cut short?)",
    );
}

#[test]
fn bytes_in_neither_encoding_are_refused_with_their_line() {
    assert_refused(
        "organizations.csv",
        b"id,name,kind,region\nH,Hospital,hospital,North\nPC1,\x80\x98\x83\x8A\x9A\x9C,polyclinic,\n",
        "organizations.csv:3: is neither UTF-8 nor Windows-1251 text (byte 0x98 on this line is \
         a character in neither): expected a file saved as \"CSV UTF-8\" or in Windows-1251",
    );
    // UTF-8 with one stray byte: located in its column.
    let mut bytes = edited("patients.csv", |t| t);
    let at = bytes.windows(5).position(|w| w == b"Smith").unwrap();
    bytes[at + 2] = 0xFF;
    assert_refused(
        "patients.csv",
        &bytes,
        "patients.csv:3:family_name: is not valid UTF-8 although the text before it is: \
         expected the whole file in one encoding, UTF-8 or Windows-1251",
    );
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain("id,name,kind\n".encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    assert_refused(
        "organizations.csv",
        &utf16,
        "organizations.csv: is UTF-16 text",
    );
}

#[test]
fn wrong_values_are_refused_in_their_column() {
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "observations.csv",
            "\"8,4\"",
            "2024-01-10",
            "observations.csv:2:value: \"2024-01-10\" is not a number like 8.4",
        ),
        (
            "encounters.csv",
            "\"45 000,50\"",
            "-5",
            "encounters.csv:2:cost: \"-5\" is negative: expected an amount of zero or more",
        ),
        (
            "claims.csv",
            "C2,P3",
            "C2,P9",
            "claims.csv:3:patient_id: \"P9\" is not known: expected an id from patients.csv or \
             already in the register",
        ),
        (
            "observations.csv",
            "\"8,4\"",
            "8,4",
            "observations.csv:2: has 8 fields where the header has 7: expected one value per \
             column (is a delimiter inside a value, like 8,4 in a comma-separated file, unquoted?)",
        ),
        (
            "patients.csv",
            "Smith",
            "Sm\0ith",
            "patients.csv:3:family_name: contains the control character U+0000: expected \
             printable text (is the file damaged?)",
        ),
        (
            "staff.csv",
            "Петров Олег",
            "Петров\u{1b}[31m Олег",
            "staff.csv:3:name: contains the control character U+001B",
        ),
    ];
    for (file, from, to, expected) in cases {
        assert_refused(file, &edited(file, |t| t.replacen(from, to, 1)), expected);
    }
}

#[test]
fn a_repeated_id_is_fine_when_identical_and_refused_when_different() {
    let same = edited("patients.csv", |t| {
        let second = t.lines().nth(2).unwrap().to_string();
        format!("{t}{second}\n")
    });
    let dir = folder(&[("patients.csv", Some(&same))]);
    let mut store = Store::open(&dir.path().join("register.db")).unwrap();
    let s = import(dir.path(), &mut store).unwrap();
    assert_eq!(
        (s.count("patients").inserted, s.count("patients").unchanged),
        (3, 1)
    );

    let other = "P2,,,Smith,Anne,,F,1960-01-31,,,,,,PC1,,,\n";
    assert_refused(
        "patients.csv",
        &edited("patients.csv", |t| t + other),
        "patients.csv:5:id: \"P2\" appears again with different values (first on line 3): \
         expected each record once in a file, or repeated identically",
    );
    // A diagnosis is its patient, code and onset, whatever the date's spelling.
    let other = "P1,icd10,E11.9,другое,01.01.2010\n";
    assert_refused(
        "diagnoses.csv",
        &edited("diagnoses.csv", |t| t + other),
        "diagnoses.csv:5:code: \"E11.9\" (with patient_id P1, system icd10, onset_date \
         01.01.2010) appears again with different values (first on line 2)",
    );
}

#[test]
fn a_repeat_in_a_later_import_is_refused_too_and_a_repeated_call_in_a_first_load() {
    // A first load tells repeats through the register; a later one through memory. Both refuse.
    let dir = folder(&[]);
    let mut store = Store::open(&dir.path().join("register.db")).unwrap();
    import(dir.path(), &mut store).unwrap();
    let other = "P2,,,Smith,Anne,,F,1960-01-31,,,,,,PC1,,,\n";
    std::fs::write(
        dir.path().join("patients.csv"),
        edited("patients.csv", |t| t + other),
    )
    .unwrap();
    let before = total_rows(&store);
    let err = import(dir.path(), &mut store).unwrap_err().to_string();
    assert!(
        err.contains(
            "patients.csv:5:id: \"P2\" appears again with different values (first on line 3)"
        ),
        "{err}"
    );
    assert_eq!(total_rows(&store), before);

    // The call log is append-only: a call repeated with another outcome is refused, not ignored.
    let again = "K1,P1,2024-01-08T09:12:00,Иванова,no_answer,,\n";
    assert_refused(
        "calls.csv",
        &edited("calls.csv", |t| t + again),
        "calls.csv:3:id: \"K1\" appears again with different values (first on line 2)",
    );
}

#[test]
fn skip_bad_rows_in_a_first_load_keeps_the_first_version_of_a_repeated_record() {
    let other = "P2,,,Smith,Anne,,F,1960-01-31,,,,,,PC1,,,\n";
    let dir = folder(&[("patients.csv", Some(&edited("patients.csv", |t| t + other)))]);
    let (store, s) = import_skipping_bad_rows(dir.path());
    assert_eq!(
        (s.count("patients").inserted, s.count("patients").rejected),
        (3, 1)
    );
    assert_eq!(given_name_of_p2(&store), "Anna", "the first version stays");
    assert_second_p2_rejected(dir.path());
    let hits: i64 = store
        .conn()
        .query_row(
            "SELECT count(*) FROM patients_fts WHERE patients_fts MATCH 'smith'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(hits, 1, "the search index holds the kept version once");
    common::integrity_ok(&dir.path().join("register.db"));
}

#[test]
fn skip_bad_rows_in_a_later_import_keeps_the_files_first_version_and_the_rows_after() {
    // A later import finds repeats in a first pass over the file (the register may legitimately
    // hold an older version), so the repeat is refused at its own row and the rest is kept.
    let dir = folder(&[]);
    let (store, _) = import_skipping_bad_rows(dir.path());
    drop(store);
    let newer = edited("patients.csv", |t| {
        let t = t.replacen(",Anna,", ",Anya,", 1);
        t + "P2,,,Smith,Anne,,F,1960-01-31,,,,,,PC1,,,\nP9,,,Новикова,Ольга,,F,1955-02-03,,,,,,PC1,,,\n"
    });
    std::fs::write(dir.path().join("patients.csv"), newer).unwrap();
    let (store, s) = import_skipping_bad_rows(dir.path());
    let p = s.count("patients");
    assert_eq!(
        (p.inserted, p.updated, p.unchanged, p.rejected),
        (1, 1, 2, 1),
        "P9 new, P2 updated once, the repeat refused"
    );
    assert_eq!(
        given_name_of_p2(&store),
        "Anya",
        "the file's first version of P2 wins"
    );
    assert_second_p2_rejected(dir.path());
    common::integrity_ok(&dir.path().join("register.db"));
}

#[test]
fn a_ten_megabyte_cell_is_too_long_and_a_quote_left_open_stops_at_sixteen() {
    let huge = "x".repeat(10 * 1024 * 1024);
    assert_refused(
        "patients.csv",
        &edited("patients.csv", |t| t.replace("с. Заречье", &huge)),
        "patients.csv:4:locality: is too long (10,240 KB): expected at most 64 KB in one cell \
         (is a quote left open?)",
    );
    let mut bytes = edited("calls.csv", |t| t.replace("придёт\"", "придёт"));
    bytes.resize(17 * 1024 * 1024, b'a');
    assert_refused(
        "calls.csv",
        &bytes,
        "calls.csv:2: has a row longer than 16 MB: expected rows of ordinary length (is a quote \
         left open?)",
    );
}

#[test]
fn skip_bad_rows_keeps_the_good_rows_and_writes_the_bad_ones_with_their_reason() {
    let mut bytes = cut_after("patients.csv", "Ёлкина,Зоя");
    bytes.extend_from_slice(b"\nP5,,,Sm\0ith,Ann,,F,1960-01-31,,,,,,,,,\n");
    let observations = b"id,patient_id,date,loinc,value,unit\nO1,P1,2024-01-10,4548-4,90,%\nO2,P1,2024-01-11,4548-4,7.1,%\n";
    let dir = folder(&[
        ("patients.csv", Some(&bytes)),
        ("diagnoses.csv", None),
        ("observations.csv", Some(observations)),
        ("encounters.csv", None),
        ("claims.csv", None),
    ]);
    let (_store, s) = import_skipping_bad_rows(dir.path());
    assert_eq!(s.count("patients").inserted, 2);
    assert_eq!(s.count("patients").rejected, 2);
    assert_eq!(s.count("observations").rejected, 1);
    let rejects = std::fs::read_to_string(dir.path().join("observations.csv.rejects.csv")).unwrap();
    assert!(rejects.contains("not a plausible hba1c value"), "{rejects}");
    assert!(
        rejects.lines().nth(1).unwrap().starts_with("2,value,"),
        "{rejects}"
    );
    let rejects = std::fs::read_to_string(dir.path().join("patients.csv.rejects.csv")).unwrap();
    assert!(rejects.contains("4,patronymic,is missing"), "{rejects}");
    assert!(
        rejects.contains("5,family_name,contains the control character U+0000"),
        "{rejects}"
    );
}

#[test]
fn a_first_load_killed_midway_leaves_the_register_empty_and_in_wal_mode() {
    // A first load runs under a rollback journal (store::bulk_load::RollbackJournal): a kill
    // leaves a hot journal, which the next open rolls back before switching back to WAL.
    let dir = tempfile::tempdir().unwrap();
    let files = dir.path().join("files");
    generate(
        &SampleSpec {
            patients: 3000,
            seed: 42,
            as_of: common::as_of(),
        },
        &files,
    )
    .unwrap();
    let base = dir.path().join("base.db");
    drop(Store::open(&base).unwrap());
    let before = snapshot(Store::open(&base).unwrap().conn());

    let full = dir.path().join("full.db");
    std::fs::copy(&base, &full).unwrap();
    let started = Instant::now();
    assert!(import_command(&full, &files).status().unwrap().success());
    let duration = started.elapsed();
    let after = counts(Store::open(&full).unwrap().conn());

    let mut killed_midway = 0;
    for (i, f) in [0.2, 0.5, 0.8].iter().enumerate() {
        let db = dir.path().join(format!("first{i}.db"));
        std::fs::copy(&base, &db).unwrap();
        let mut child = import_command(&db, &files).spawn().unwrap();
        std::thread::sleep(duration.mul_f64(*f));
        let journal = PathBuf::from(format!("{}-journal", db.display())).exists();
        let finished = child.try_wait().unwrap().is_some();
        child.kill().unwrap();
        child.wait().unwrap();
        let store = Store::open(&db).unwrap();
        let mode: String = store
            .conn()
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal", "kill {i}");
        common::integrity_ok(&db);
        let unchanged = snapshot(store.conn()) == before;
        eprintln!(
            "first load, kill {i} at {f}: rollback journal {journal}, finished {finished}, register empty {unchanged}"
        );
        if unchanged {
            killed_midway += usize::from(!finished && journal);
        } else {
            assert_eq!(
                counts(store.conn()),
                after,
                "kill {i}: a partial first load"
            );
        }
    }
    assert!(
        killed_midway >= 1,
        "no kill landed during the load's rollback journal within {duration:?}"
    );
}

/// Runs the real binary's `import csv` on `files` into `db`.
fn import_command(db: &Path, files: &Path) -> std::process::Command {
    let mut c = common::command();
    c.arg("--db")
        .arg(db)
        .args(["import", "csv"])
        .arg(files)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    c
}

#[test]
fn an_import_killed_midway_leaves_the_register_exactly_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let spec = |patients, seed| SampleSpec {
        patients,
        seed,
        as_of: common::as_of(),
    };
    let (small, big) = (dir.path().join("small"), dir.path().join("big"));
    generate(&spec(40, 7), &small).unwrap();
    generate(&spec(3000, 42), &big).unwrap();
    let base = dir.path().join("base.db");
    {
        let mut store = Store::open(&base).unwrap();
        import(&small, &mut store).unwrap();
        store
            .conn()
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
            .unwrap();
    }
    let before = snapshot(Store::open(&base).unwrap().conn());
    assert!(
        before
            .iter()
            .all(|(t, rows)| !rows.is_empty() || t == "calls"),
        "a non-empty register to start from"
    );

    // One import run to its end: what a finished import leaves, and how long it takes.
    let full = dir.path().join("full.db");
    std::fs::copy(&base, &full).unwrap();
    let started = Instant::now();
    assert!(import_command(&full, &big).status().unwrap().success());
    let duration = started.elapsed();
    let after = counts(Store::open(&full).unwrap().conn());
    assert_ne!(counts(Store::open(&base).unwrap().conn()), after);

    let mut killed_midway = 0;
    // Fixed delays, fractions of a full run, and one kill the moment the WAL starts growing.
    let mut delays: Vec<Option<Duration>> = vec![
        Some(Duration::from_millis(150)),
        Some(Duration::from_millis(400)),
    ];
    delays.extend([0.3, 0.6, 0.85].map(|f| Some(duration.mul_f64(f))));
    delays.push(None);
    for (i, delay) in delays.iter().enumerate() {
        let db = dir.path().join(format!("kill{i}.db"));
        std::fs::copy(&base, &db).unwrap();
        let wal = PathBuf::from(format!("{}-wal", db.display()));
        let mut child = import_command(&db, &big).spawn().unwrap();
        match delay {
            Some(d) => std::thread::sleep(*d),
            None => {
                let deadline = Instant::now() + duration * 2;
                while Instant::now() < deadline
                    && std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0) == 0
                {
                    std::thread::sleep(Duration::from_millis(1));
                }
            }
        }
        let finished = child.try_wait().unwrap().is_some();
        child.kill().unwrap();
        child.wait().unwrap();

        let store = Store::open(&db).unwrap();
        let check: String = store
            .conn()
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(check, "ok", "kill {i} after {delay:?}");
        let fk: i64 = store
            .conn()
            .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(fk, 0, "kill {i}");
        let unchanged = snapshot(store.conn()) == before;
        eprintln!("kill {i} after {delay:?}: finished {finished}, register unchanged {unchanged}");
        if unchanged {
            if !finished {
                killed_midway += 1;
            }
        } else {
            // All or nothing: a register that changed holds the whole import.
            assert_eq!(
                counts(store.conn()),
                after,
                "kill {i} after {delay:?}: a partial import"
            );
        }
    }
    assert!(
        killed_midway >= 1,
        "no kill landed before the import finished (a full import took {duration:?})"
    );
}

#[test]
fn a_mistyped_pilot_toml_is_refused_naming_the_file_line_and_column() {
    let dir = folder(&[(
        "pilot.toml",
        Some("name = \"Пилот\"\nstart_date = = 2026-01-01\n".as_bytes()),
    )]);
    let mut store = Store::open(&dir.path().join("register.db")).unwrap();
    let error = format!("{:#}", import(dir.path(), &mut store).unwrap_err());
    assert!(error.contains("pilot.toml"), "{error}");
    assert!(error.contains("line 2, column "), "{error}");
    assert_eq!(total_rows(&store), 0, "nothing is written: {error}");
}
