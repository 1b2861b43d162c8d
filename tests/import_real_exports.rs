//! `acodesk import csv` on files as third-party software writes them (#24): line numbers as an
//! editor shows them whatever the line ending, the date grammar (two-digit years, Excel serial
//! days, impossible dates), Windows-1251 files whose only non-ASCII bytes are no-break spaces,
//! and clear words for empty rows, quotes left open, files cut in mid-row and Git LFS pointers.
//! Every fixture is written here.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use acodesk::import::csv_dir::{ImportOptions, import_dir};
use acodesk::store::Store;
use std::path::Path;

const PATIENTS_HEADER: &str = "id,family_name,given_name,sex,birth_date,address";

/// A folder holding `files` (name, bytes).
fn folder(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in files {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    dir
}

/// Imports `dir` into a new register inside it.
fn import(
    dir: &Path,
    skip_bad_rows: bool,
) -> color_eyre::Result<acodesk::store::import_summary::ImportSummary> {
    let mut store = Store::open(&dir.join("register.db")).unwrap();
    import_dir(&mut store, dir, ImportOptions { skip_bad_rows })
}

/// The sentence a strict import of `dir` is refused with.
fn refusal(dir: &Path) -> String {
    import(dir, false)
        .expect_err("the import should be refused")
        .to_string()
}

/// `lines` joined by `eol`, ending with one.
fn text(lines: &[&str], eol: &str) -> Vec<u8> {
    let mut t = lines.join(eol);
    t.push_str(eol);
    t.into_bytes()
}

#[test]
fn a_bad_row_has_the_line_an_editor_shows_with_lf_crlf_and_cr() {
    for eol in ["\n", "\r\n", "\r"] {
        // Line 2 holds a quoted address written on two lines (2 and 3); the bad row is line 4.
        let lines = [
            PATIENTS_HEADER,
            "P1,Иванов,Иван,M,1950-03-05,\"ул. Пушкина,",
            "д. 7\"",
            "P2,Smith,Anna,F,31.02.1960,",
            "P3,Ёлкина,Зоя,F,1948-11-02,",
        ];
        let bytes = text(&lines, eol);
        let dir = folder(&[("patients.csv", &bytes)]);
        let e = refusal(dir.path());
        assert!(
            e.contains("patients.csv:4:birth_date: \"31.02.1960\" is not a date"),
            "{eol:?}: {e}"
        );
        let s = import(dir.path(), true).unwrap();
        assert_eq!(s.count("patients").inserted, 2, "{eol:?}");
        let rejects = std::fs::read_to_string(dir.path().join("patients.csv.rejects.csv")).unwrap();
        assert!(
            rejects.lines().nth(1).unwrap().starts_with("4,birth_date,"),
            "{eol:?}: {rejects}"
        );
        // The first data row bad: line 2, never the header's line 1.
        let first_bad = text(&[PATIENTS_HEADER, "P2,Smith,Anna,F,31.02.1960,"], eol);
        let dir = folder(&[("patients.csv", &first_bad)]);
        assert!(
            refusal(dir.path()).contains("patients.csv:2:birth_date:"),
            "{eol:?}"
        );
    }
}

#[test]
fn two_digit_years_excel_serials_and_impossible_dates_are_refused_in_their_cell() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "05.03.24",
            "birth_date",
            "\"05.03.24\" has a two-digit year: write the year in full, like 05.03.2024 or 05.03.1924",
        ),
        (
            "11.10.71",
            "birth_date",
            "\"11.10.71\" has a two-digit year: write the year in full, like 11.10.2071 or 11.10.1971",
        ),
        (
            "9999-12-31",
            "birth_date",
            "\"9999-12-31\" cannot be right here: expected a date from 01.01.1900 to",
        ),
        (
            "0071-10-11",
            "birth_date",
            "\"0071-10-11\" cannot be right here",
        ),
        (
            "21560",
            "birth_date",
            "\"21560\" is an Excel serial day number (it means 10.01.1959), not a date",
        ),
    ];
    for (value, column, expected) in cases {
        let bytes = text(
            &[PATIENTS_HEADER, &format!("P1,Smith,Anna,F,{value},")],
            "\r\n",
        );
        let dir = folder(&[("patients.csv", &bytes)]);
        let e = refusal(dir.path());
        assert!(
            e.contains(&format!("patients.csv:2:{column}: {expected}")),
            "{value}: {e}"
        );
    }
    // Timestamps follow the same grammar.
    let patients = text(&[PATIENTS_HEADER, "P1,Smith,Anna,F,1960-01-31,"], "\n");
    let encounters = text(
        &[
            "id,patient_id,class,start",
            "E1,P1,outpatient,05.03.24 14:30",
        ],
        "\n",
    );
    let dir = folder(&[("patients.csv", &patients), ("encounters.csv", &encounters)]);
    let e = refusal(dir.path());
    assert!(
        e.contains("encounters.csv:2:start: \"05.03.24 14:30\" has a two-digit year"),
        "{e}"
    );
    // A claim dated by an Excel serial day.
    let claims = text(
        &[
            "id,patient_id,service_date,paid,category",
            "C1,P1,45356,100,outpatient",
        ],
        "\n",
    );
    let dir = folder(&[("patients.csv", &patients), ("claims.csv", &claims)]);
    let e = refusal(dir.path());
    assert!(
        e.contains("claims.csv:2:service_date: \"45356\" is an Excel serial day number (it means 05.03.2024)"),
        "{e}"
    );
}

#[test]
fn windows_1251_whose_only_non_ascii_bytes_are_no_break_spaces_imports() {
    let patients = text(&[PATIENTS_HEADER, "P1,Smith,Anna,F,1960-01-31,"], "\r\n");
    // `45 000,50` with Excel's no-break space (0xA0 in Windows-1251), `;`-separated, CRLF.
    let mut claims = b"id;patient_id;service_date;paid;category\r\nC1;P1;05.03.2024;45".to_vec();
    claims.push(0xA0);
    claims.extend_from_slice(b"000,50;outpatient\r\n");
    let dir = folder(&[("patients.csv", &patients), ("claims.csv", &claims)]);
    let s = import(dir.path(), false).unwrap();
    assert_eq!(s.count("claims").inserted, 1);
    let store = Store::open(&dir.path().join("register.db")).unwrap();
    let paid: i64 = store
        .conn()
        .query_row(
            "SELECT paid_minor FROM claim_lines WHERE id = 'C1'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(paid, 4_500_050);
}

#[test]
fn empty_rows_open_quotes_cut_files_and_lfs_pointers_are_named() {
    // Excel's `,,,,,` row: "the row is empty", kept out with --skip-bad-rows.
    let bytes = text(
        &[PATIENTS_HEADER, "P1,Smith,Anna,F,1960-01-31,", ",,,,,"],
        "\r\n",
    );
    let dir = folder(&[("patients.csv", &bytes)]);
    assert!(
        refusal(dir.path()).contains("patients.csv:3: the row is empty"),
        "{}",
        refusal(dir.path())
    );
    let s = import(dir.path(), true).unwrap();
    assert_eq!(s.count("patients").inserted, 1);
    assert_eq!(s.count("patients").rejected, 1);

    // A quote opened on line 2 and never closed swallows the rows after it.
    let bytes = text(
        &[
            PATIENTS_HEADER,
            "P1,Smith,Anna,F,1960-01-31,\"ул. Пушкина, д. 7",
            "P2,Brown,Mary,F,1961-02-01,",
            "P3,Green,Olga,F,1962-03-02,",
        ],
        "\n",
    );
    let dir = folder(&[("patients.csv", &bytes)]);
    let e = refusal(dir.path());
    assert!(
        e.contains("patients.csv:2:address: a quote opened on line 2 is never closed; it swallowed lines 2–4"),
        "{e}"
    );

    // A file that ends in the middle of its last row.
    let mut bytes = text(&[PATIENTS_HEADER, "P1,Smith,Anna,F,1960-01-31,"], "\r\n");
    bytes.extend_from_slice(b"P2,Brown");
    let dir = folder(&[("patients.csv", &bytes)]);
    let e = refusal(dir.path());
    assert!(
        e.contains("patients.csv:3:given_name: the file ends in the middle of a row"),
        "{e}"
    );

    // A Git LFS pointer instead of the data.
    let pointer = b"version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n";
    let dir = folder(&[("patients.csv", pointer)]);
    let e = refusal(dir.path());
    assert!(e.contains("is a Git LFS pointer, not the data"), "{e}");
}

#[test]
fn identifiers_excel_damaged_are_refused_or_kept_out_with_a_way_to_fix_them() {
    let header = "id;policy_number;snils;family_name;given_name;sex;birth_date";
    let cases: &[(&str, &str)] = &[
        (
            "P1;2,94028E+15;;Smith;Anna;F;31.01.1960",
            "patients.csv:2:policy_number: \"2,94028E+15\" is a number Excel rewrote in scientific \
             notation, which lost its last digits: export the file again",
        ),
        (
            "P1;;426-257-934 96;Smith;Anna;F;31.01.1960",
            "patients.csv:2:snils: \"426-257-934 96\" fails the SNILS check number (its first nine \
             digits give 95)",
        ),
        (
            "P1;;4,26258E+10;Smith;Anna;F;31.01.1960",
            "patients.csv:2:snils: \"4,26258E+10\" is a number Excel rewrote in scientific notation",
        ),
        (
            "P1;;2625793495;Smith;Anna;F;31.01.1960",
            "patients.csv:2:snils: \"2625793495\" is not a SNILS: expected eleven digits",
        ),
    ];
    for (row, expected) in cases {
        let bytes = text(
            &[
                header,
                row,
                "P2;2930883108309675;426-257-934 95;Brown;Mary;F;01.02.1961",
            ],
            "\r\n",
        );
        let dir = folder(&[("patients.csv", &bytes)]);
        let e = refusal(dir.path());
        assert!(e.contains(expected), "{row}: {e}");
        let s = import(dir.path(), true).unwrap();
        assert_eq!(
            (s.count("patients").inserted, s.count("patients").rejected),
            (1, 1),
            "{row}"
        );
    }
}

#[test]
fn hba1c_from_two_percent_and_the_refusal_counts_the_files_implausible_rows() {
    let patients = text(&[PATIENTS_HEADER, "P1,Smith,Anna,F,1960-01-31,"], "\n");
    let observations = text(
        &[
            "id,patient_id,date,loinc,value,unit",
            "O1,P1,2024-01-10,4548-4,2.6,%",
            "O2,P1,2024-02-10,4548-4,84,%",
            "O3,P1,2024-03-10,4548-4,1.2,%",
            "O4,P1,2024-04-10,4548-4,7.1,%",
            "O5,P1,2024-05-10,4548-4,95,%",
        ],
        "\n",
    );
    let dir = folder(&[
        ("patients.csv", &patients),
        ("observations.csv", &observations),
    ]);
    let e = refusal(dir.path());
    assert!(
        e.contains(
            "observations.csv:3:value: 84 % is not a plausible hba1c value: expected 2–20 %"
        ),
        "{e}"
    );
    assert!(
        e.contains("the file holds 3 such rows; --skip-bad-rows imports the others"),
        "{e}"
    );
    let s = import(dir.path(), true).unwrap();
    assert_eq!(
        s.count("observations").inserted,
        2,
        "2.6 % (Synthea writes such values) and 7.1 %"
    );
    assert_eq!(s.count("observations").rejected, 3);
}

#[test]
fn a_late_first_no_break_space_and_narrow_no_break_spaces_are_thousand_separators() {
    let patients = text(&[PATIENTS_HEADER, "P1,Smith,Anna,F,1960-01-31,"], "\r\n");
    // Windows-1251 whose first non-ASCII byte, Excel's 0xA0, comes after 64 KB of ASCII rows.
    let mut claims = b"id;patient_id;service_date;paid;category\r\n".to_vec();
    for i in 0..3_000 {
        claims.extend_from_slice(format!("C{i};P1;05.03.2024;100,00;outpatient\r\n").as_bytes());
    }
    assert!(claims.len() > 100_000);
    claims.extend_from_slice(b"LATE;P1;05.03.2024;45\xA0000,50;outpatient\r\n");
    let dir = folder(&[("patients.csv", &patients), ("claims.csv", &claims)]);
    let s = import(dir.path(), false).unwrap();
    assert_eq!(s.count("claims").inserted, 3_001);
    let store = Store::open(&dir.path().join("register.db")).unwrap();
    let paid = |id: &str| -> i64 {
        store
            .conn()
            .query_row(
                "SELECT paid_minor FROM claim_lines WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .unwrap()
    };
    assert_eq!(paid("LATE"), 4_500_050);

    // UTF-8 with the narrow no-break space U+202F (what a French or newer Russian locale writes)
    // and U+00A0 as thousand separators.
    let claims = "id;patient_id;service_date;paid;category\n\
                  N1;P1;05.03.2024;12\u{202f}345,60;outpatient\n\
                  N2;P1;05.03.2024;1\u{a0}234\u{a0}567,00;inpatient\n";
    let dir = folder(&[
        ("patients.csv", &patients),
        ("claims.csv", claims.as_bytes()),
    ]);
    import(dir.path(), false).unwrap();
    let store = Store::open(&dir.path().join("register.db")).unwrap();
    let paid = |id: &str| -> i64 {
        store
            .conn()
            .query_row(
                "SELECT paid_minor FROM claim_lines WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .unwrap()
    };
    assert_eq!((paid("N1"), paid("N2")), (1_234_560, 123_456_700));
}
