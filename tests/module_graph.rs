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

/// Edges that break the rule today: (file under src/, module it uses). Empty since the domain's
/// parsers return typed errors worded where they reach the user (#17); an edge added here would
/// have to name its issue.
const KNOWN: &[(&str, &str)] = &[];

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

/// Strongly connected groups of files that use one another today, each sorted; like [`KNOWN`]
/// this list may only shrink (a cycle that is gone fails the test until its line is removed).
const KNOWN_FILE_CYCLES: &[&[&str]] = &[
    &["import/csv_file.rs", "import/csv_rows.rs"],
    &[
        "sample/care.rs",
        "sample/conditions.rs",
        "sample/observations.rs",
        "sample/patient.rs",
    ],
    &[
        "store/views/progress/board.rs",
        "store/views/progress/compute.rs",
    ],
    &["store/views/worklist.rs", "store/views/worklist_page.rs"],
    &["sync/bundle.rs", "sync/seal.rs"],
    // Grew with scoped laptops (#23): scope.rs and filter.rs joined the loop of rules and tables.
    &[
        "sync/base.rs",
        "sync/capture.rs",
        "sync/export.rs",
        "sync/filter.rs",
        "sync/rules.rs",
        "sync/scope.rs",
        "sync/setup.rs",
        "sync/tables.rs",
    ],
    &["tui/app.rs", "tui/views/mod.rs"],
];

/// The module path of a source file: `store/views/worklist.rs` → `store::views::worklist`
/// (`mod.rs` and `lib.rs` name their folder / the crate).
fn module_of(rel: &str) -> String {
    let path = rel.trim_end_matches(".rs").trim_end_matches("/mod");
    if path == "lib" || path == "main" {
        String::new()
    } else {
        path.replace('/', "::")
    }
}

/// The `crate::…` and `super::…` paths a source text uses, as absolute module paths (the test
/// module at the end of a file is left out: tests may reach anywhere).
fn used_paths(module: &str, text: &str) -> Vec<Vec<String>> {
    let text = text.split("#[cfg(test)]\nmod tests").next().unwrap_or(text);
    let ident = |s: &str| -> Vec<String> {
        let mut parts = Vec::new();
        let mut rest = s;
        loop {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if name.is_empty() {
                break;
            }
            rest = &rest[name.len()..];
            parts.push(name);
            match rest.strip_prefix("::") {
                Some(r) => rest = r,
                None => break,
            }
        }
        parts
    };
    let mut out = Vec::new();
    for (at, _) in text.match_indices("crate::") {
        let before = text[..at].chars().last();
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$') {
            continue;
        }
        out.push(ident(&text[at + "crate::".len()..]));
    }
    for (at, _) in text.match_indices("super::") {
        let before = text[..at].chars().last();
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        let mut base: Vec<String> = module
            .split("::")
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect();
        base.pop();
        let mut rest = &text[at..];
        while let Some(r) = rest.strip_prefix("super::") {
            rest = r;
        }
        let extra_supers = text[at..].len() - rest.len();
        for _ in 1..extra_supers / "super::".len() {
            base.pop();
        }
        base.extend(ident(rest));
        out.push(base);
    }
    out
}

/// Tarjan's strongly connected components of a small graph, each sorted, of two or more nodes.
fn cycles(edges: &std::collections::BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct Walk<'a> {
        edges: &'a std::collections::BTreeMap<String, BTreeSet<String>>,
        index: std::collections::HashMap<&'a str, usize>,
        low: std::collections::HashMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        found: Vec<Vec<String>>,
    }
    impl<'a> Walk<'a> {
        fn visit(&mut self, v: &'a str) {
            let i = self.index.len();
            self.index.insert(v, i);
            self.low.insert(v, i);
            self.stack.push(v);
            self.on_stack.insert(v);
            if let Some(next) = self.edges.get(v) {
                for w in next {
                    let w = w.as_str();
                    if !self.index.contains_key(w) {
                        self.visit(w);
                        let lw = self.low[w];
                        let lv = self.low.get_mut(v).unwrap();
                        *lv = (*lv).min(lw);
                    } else if self.on_stack.contains(w) {
                        let iw = self.index[w];
                        let lv = self.low.get_mut(v).unwrap();
                        *lv = (*lv).min(iw);
                    }
                }
            }
            if self.low[v] == self.index[v] {
                let mut group = Vec::new();
                while let Some(w) = self.stack.pop() {
                    self.on_stack.remove(w);
                    group.push(w.to_string());
                    if w == v {
                        break;
                    }
                }
                if group.len() > 1 {
                    group.sort();
                    self.found.push(group);
                }
            }
        }
    }
    let mut walk = Walk {
        edges,
        index: Default::default(),
        low: Default::default(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for v in edges.keys() {
        if !walk.index.contains_key(v.as_str()) {
            walk.visit(v);
        }
    }
    walk.found.sort();
    walk.found
}

/// No two files use each other, directly or round a longer loop (a parent module and the files
/// it declares are one unit and do not count).
#[test]
fn no_file_level_cycles() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let rel: Vec<String> = files
        .iter()
        .map(|f| {
            f.strip_prefix(&src)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    let by_module: std::collections::BTreeMap<String, String> =
        rel.iter().map(|r| (module_of(r), r.clone())).collect();
    let mut edges: std::collections::BTreeMap<String, BTreeSet<String>> = Default::default();
    for (file, r) in files.iter().zip(&rel) {
        let module = module_of(r);
        let text = std::fs::read_to_string(file).unwrap();
        for path in used_paths(&module, &text) {
            // The longest prefix of the path that is a file's module.
            let target = (1..=path.len())
                .rev()
                .map(|n| path[..n].join("::"))
                .find(|m| by_module.contains_key(m));
            let Some(target) = target else { continue };
            let related = target == module
                || module.starts_with(&format!("{target}::"))
                || target.starts_with(&format!("{module}::"));
            if !related {
                edges
                    .entry(r.clone())
                    .or_default()
                    .insert(by_module[&target].clone());
            }
        }
    }
    let found = cycles(&edges);
    let known: Vec<Vec<String>> = KNOWN_FILE_CYCLES
        .iter()
        .map(|c| c.iter().map(|s| s.to_string()).collect())
        .collect();
    let new: Vec<_> = found.iter().filter(|c| !known.contains(c)).collect();
    assert!(new.is_empty(), "files that use each other: {new:#?}");
    let gone: Vec<_> = known.iter().filter(|c| !found.contains(c)).collect();
    assert!(
        gone.is_empty(),
        "these cycles are gone: remove them from KNOWN_FILE_CYCLES: {gone:?}"
    );
}

#[test]
fn the_cycle_finder_finds_a_loop_and_ignores_a_chain() {
    let mut edges: std::collections::BTreeMap<String, BTreeSet<String>> = Default::default();
    edges.entry("a".into()).or_default().insert("b".into());
    edges.entry("b".into()).or_default().insert("c".into());
    edges.entry("c".into()).or_default().insert("a".into());
    edges.entry("c".into()).or_default().insert("d".into());
    assert_eq!(cycles(&edges), vec![vec!["a", "b", "c"]]);
    assert_eq!(
        used_paths("store::views::worklist", "use super::worklist_page::X;"),
        vec![vec!["store", "views", "worklist_page", "X"]]
    );
}
