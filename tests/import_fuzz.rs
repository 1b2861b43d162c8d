//! Property tests of `import_dir` on damaged input: random bytes, and mutations of the valid fixture
//! (flipped bytes, cuts, repeated lines, swapped delimiters, quotes, line breaks, NULs, long fields),
//! each imported into a fresh register. The import returns Ok or Err and never panics; after an Err
//! the register holds nothing; after an Ok, importing the same folder again changes nothing.
//!
//! Every file in `tests/fixtures/import/corpus/` is replayed first, named `TARGET--what-it-is`:
//! it replaces TARGET in a copy of the valid fixture.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use acodesk::import::csv_dir::{ImportOptions, import_dir};
use acodesk::store::Store;
use proptest::prelude::*;
use std::path::{Path, PathBuf};

const FILES: &[&str] = &[
    "organizations.csv",
    "staff.csv",
    "patients.csv",
    "diagnoses.csv",
    "observations.csv",
    "encounters.csv",
    "claims.csv",
    "appointments.csv",
    "calls.csv",
];

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
    "enrolments",
];

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import")
}

fn valid(name: &str) -> Vec<u8> {
    std::fs::read(fixtures().join("valid").join(name)).unwrap()
}

fn rows(store: &Store) -> i64 {
    TABLES
        .iter()
        .map(|t| {
            let sql = format!("SELECT count(*) FROM {t}");
            store
                .conn()
                .query_row(&sql, [], |r| r.get::<_, i64>(0))
                .unwrap()
        })
        .sum()
}

/// Imports the valid fixture with `target` replaced by `bytes` and checks the properties.
fn check(target: &str, bytes: &[u8], skip_bad_rows: bool) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    for name in FILES {
        let content = if *name == target {
            bytes.to_vec()
        } else {
            valid(name)
        };
        std::fs::write(dir.path().join(name), content).unwrap();
    }
    let mut store = Store::open(&dir.path().join("register.db")).unwrap();
    let options = ImportOptions { skip_bad_rows };
    match import_dir(&mut store, dir.path(), options) {
        Err(e) => {
            prop_assert_eq!(rows(&store), 0, "an import refused with {} left rows", e);
            let text = e.to_string();
            prop_assert!(
                !text.is_empty() && !text.contains('\n'),
                "one sentence: {}",
                text
            );
        }
        Ok(_) => {
            let again = import_dir(&mut store, dir.path(), options);
            prop_assert!(again.is_ok(), "a second import failed: {:?}", again.err());
            if let Ok(again) = again {
                for (table, c) in &again.tables {
                    prop_assert_eq!(
                        (c.inserted, c.updated),
                        (0, 0),
                        "{} changed on re-import",
                        table
                    );
                }
            }
        }
    }
    Ok(())
}

#[test]
fn the_corpus_of_interesting_inputs() {
    let mut entries: Vec<_> = std::fs::read_dir(fixtures().join("corpus"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    assert!(entries.len() >= 10, "the corpus is there");
    for path in entries {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let target = name.split("--").next().unwrap();
        assert!(FILES.contains(&target), "{name}: TARGET--what-it-is");
        let bytes = std::fs::read(&path).unwrap();
        for skip in [false, true] {
            check(target, &bytes, skip).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }
}

/// One change to a file's bytes; positions are taken modulo the length.
#[derive(Debug, Clone)]
enum Mutation {
    Flip(usize, u8),
    Cut(usize),
    RepeatLine(usize),
    SwapDelimiters,
    Insert(usize, Vec<u8>),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let inserts = prop_oneof![
        Just(b"\"".to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\r".to_vec()),
        Just(b"\0".to_vec()),
        Just(b",".to_vec()),
        Just(b";".to_vec()),
        Just(b"\xFF".to_vec()),
        Just(b"\xD0".to_vec()),
        Just(b"\xC1\xEE\xEB".to_vec()),
        Just("\u{feff}".as_bytes().to_vec()),
        Just(b"\"\"".to_vec()),
        Just(b"-1".to_vec()),
        Just(b"2024-13-45".to_vec()),
        Just(vec![b'x'; 70 * 1024]),
        prop::collection::vec(any::<u8>(), 1..16),
    ];
    prop_oneof![
        (any::<usize>(), 1..=255u8).prop_map(|(p, x)| Mutation::Flip(p, x)),
        any::<usize>().prop_map(Mutation::Cut),
        any::<usize>().prop_map(Mutation::RepeatLine),
        Just(Mutation::SwapDelimiters),
        (any::<usize>(), inserts).prop_map(|(p, b)| Mutation::Insert(p, b)),
    ]
}

fn apply(mut bytes: Vec<u8>, m: &Mutation) -> Vec<u8> {
    let at = |p: usize, len: usize| if len == 0 { 0 } else { p % (len + 1) };
    match m {
        Mutation::Flip(p, x) => {
            if !bytes.is_empty() {
                let i = p % bytes.len();
                bytes[i] ^= x;
            }
        }
        Mutation::Cut(p) => bytes.truncate(at(*p, bytes.len())),
        Mutation::RepeatLine(p) => {
            let lines: Vec<&[u8]> = bytes.split_inclusive(|b| *b == b'\n').collect();
            if !lines.is_empty() {
                let line = lines[p % lines.len()].to_vec();
                let mut out = bytes.clone();
                if !out.ends_with(b"\n") {
                    out.push(b'\n');
                }
                out.extend_from_slice(&line);
                bytes = out;
            }
        }
        Mutation::SwapDelimiters => {
            for b in &mut bytes {
                *b = match *b {
                    b',' => b';',
                    b';' => b',',
                    other => other,
                };
            }
        }
        Mutation::Insert(p, b) => {
            let i = at(*p, bytes.len());
            bytes.splice(i..i, b.iter().copied());
        }
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 128,
        max_shrink_iters: 200,
        failure_persistence: None,
        .. ProptestConfig::default()
    })]

    #[test]
    fn mutations_of_the_valid_fixture(
        target in prop::sample::select(FILES),
        mutations in prop::collection::vec(mutation(), 1..4),
        skip_bad_rows in any::<bool>(),
    ) {
        let bytes = mutations.iter().fold(valid(target), apply);
        check(target, &bytes, skip_bad_rows)?;
    }

    #[test]
    fn random_bytes(
        target in prop::sample::select(FILES),
        bytes in prop::collection::vec(any::<u8>(), 0..2048),
        skip_bad_rows in any::<bool>(),
    ) {
        check(target, &bytes, skip_bad_rows)?;
    }
}
