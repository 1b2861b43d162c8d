//! The module graph runs one way: import → store → domain rules → views / CLI / report.
//!
//! This test reads every `crate::<module>` reference under `src/` and fails when a file uses a
//! top-level module its own module may not depend on (the table is [`FORBIDDEN`], and the README's
//! Design section shows it). The few edges that break the rule today are listed in [`KNOWN`] with
//! why; the list may only shrink: an entry that no longer occurs fails the test too, so whoever
//! removes an edge also removes its line.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::path::Path;

/// For each top-level module, the top-level modules it must not use. `domain` may use nothing
/// but itself (pure rules: no I/O, no process-global state, no presentation).
const FORBIDDEN: &[(&str, &[&str])] = &[
    (
        "domain",
        &[
            "store",
            "import",
            "tui",
            "cli",
            "report",
            "sync",
            "sample",
            "i18n",
            "toml_error",
            "config",
            "paths",
            "logging",
        ],
    ),
    (
        "i18n",
        &["store", "import", "tui", "cli", "report", "sync", "sample"],
    ),
    (
        "store",
        &["import", "tui", "cli", "report", "sync", "sample"],
    ),
    ("import", &["tui", "cli", "report", "sync", "sample"]),
    ("report", &["tui", "cli", "import", "sync", "sample"]),
    ("sync", &["tui", "cli", "report", "import", "sample"]),
    ("tui", &["cli", "import", "report", "sample"]),
];

/// Edges that break the rule today: (file under src/, module it uses). Each is a piece of work
/// named in issue #17; remove the line when the edge goes.
const KNOWN: &[(&str, &str)] = &[
    // The importers' row types live in import/; they belong below the store.
    ("store/writes.rs", "import"),
    ("store/audit.rs", "import"),
    // Settings and contract parsers describe TOML mistakes in the user's language through a
    // process-global language; they should return typed errors localised where they reach the user.
    ("domain/program.rs", "toml_error"),
    ("domain/pilot.rs", "toml_error"),
    ("domain/finance/toml_section.rs", "toml_error"),
    ("domain/finance/plausible.rs", "i18n"),
    ("domain/finance/contract.rs", "i18n"),
];

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level modules a source text refers to as `crate::name`.
fn crate_references(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut rest = text;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() {
            found.insert(name);
        }
    }
    found
}

#[test]
fn no_module_uses_what_it_must_not() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut found = BTreeSet::new();
    for file in &files {
        let rel = file
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let top = rel
            .split('/')
            .next()
            .unwrap()
            .trim_end_matches(".rs")
            .to_string();
        let Some((_, forbidden)) = FORBIDDEN.iter().find(|(m, _)| *m == top) else {
            continue;
        };
        let text = std::fs::read_to_string(file).unwrap();
        for used in crate_references(&text) {
            if forbidden.contains(&used.as_str()) {
                found.insert((rel.clone(), used));
            }
        }
    }
    let known: BTreeSet<(String, String)> = KNOWN
        .iter()
        .map(|(f, m)| (f.to_string(), m.to_string()))
        .collect();
    let new: Vec<_> = found.difference(&known).collect();
    assert!(
        new.is_empty(),
        "forbidden module edges (see FORBIDDEN in tests/module_graph.rs): {new:?}"
    );
    let gone: Vec<_> = known.difference(&found).collect();
    assert!(
        gone.is_empty(),
        "these edges are gone: remove them from KNOWN in tests/module_graph.rs: {gone:?}"
    );
}

#[test]
fn no_path_attributes_file_paths_match_module_paths() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let attribute = ["#[", "path"].concat();
    let with_path: Vec<_> = files
        .iter()
        .filter(|f| std::fs::read_to_string(f).unwrap().contains(&attribute))
        .collect();
    assert!(with_path.is_empty(), "{with_path:?}");
}

#[test]
fn the_reference_scanner_finds_top_level_modules() {
    let text = "use crate::domain::x; let y = crate::store::views::z(); // crate::i18n";
    let found = crate_references(text);
    assert_eq!(
        found.into_iter().collect::<Vec<_>>(),
        ["domain", "i18n", "store"]
    );
}
