//! The measurements behind `cargo bench --bench scale` (and its smoke test in tests/bench_smoke.rs):
//! every figure is the median of several runs, reported with its ratio to a reference measured in
//! the same run on the same register (a full scan of the patients table), so numbers from a noisy
//! shared machine can still be compared.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use acodesk::config::Config;
use acodesk::domain::clock::{Clock, ClockKind};
use acodesk::i18n::{I18n, Lang};
use acodesk::import::csv_dir::{ImportOptions, import_dir};
use acodesk::sample::{SampleSpec, generate};
use acodesk::store::Store;
use acodesk::store::patients::{PatientQuery, card, list};
use acodesk::store::views::worklist::WorklistFilter;
use acodesk::store::views::{self, worklist_page};
use acodesk::store::worklist_index;
use acodesk::tui::action::Action;
use acodesk::tui::app::App;
use acodesk::tui::context::AppContext;
use acodesk::tui::data::{Request, handle};
use acodesk::tui::keymap::Keymap;
use acodesk::tui::theme::Theme;
use chrono::NaiveDate;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The demo's date: every register here is generated as of it.
pub fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()
}

fn clock() -> Clock {
    Clock {
        as_of: as_of(),
        kind: ClockKind::Fixed,
    }
}

/// One line of the results table.
#[derive(Debug, Clone)]
pub struct Measure {
    /// What was measured.
    pub name: String,
    /// Median over the runs.
    pub median: Duration,
    /// The target, when the issue sets one.
    pub target: Option<Duration>,
    /// Extra text (rows/s, MB).
    pub note: String,
}

/// Runs `f` `runs` times and returns the median duration.
pub fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs.max(1))
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

/// The CSV files and the register of a size, built once and reused (`dir/N/`).
pub struct Fixture {
    /// Patients.
    pub size: usize,
    /// The generated CSV folder.
    pub files: PathBuf,
    /// The imported register.
    pub db: PathBuf,
    /// Generation and import, when this run built them.
    pub built: Vec<Measure>,
}

fn rows_in(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "csv"))
        .map(|e| {
            let text = std::fs::File::open(e.path()).unwrap();
            std::io::BufRead::lines(std::io::BufReader::new(text))
                .count()
                .saturating_sub(1) as u64
        })
        .sum()
}

/// Generates and imports a register of `size` patients under `dir` unless already there.
pub fn fixture(dir: &Path, size: usize) -> Fixture {
    let base = dir.join(size.to_string());
    let files = base.join("files");
    let db = base.join("register.db");
    let mut built = Vec::new();
    if !files.join("patients.csv").exists() {
        let t = Instant::now();
        generate(
            &SampleSpec {
                patients: size,
                seed: 42,
                as_of: as_of(),
            },
            &files,
        )
        .unwrap();
        built.push(Measure {
            name: "generate the sample".into(),
            median: t.elapsed(),
            target: None,
            note: String::new(),
        });
    }
    if !db.exists() {
        let building = base.join("register.building.db");
        let _ = std::fs::remove_file(&building);
        let (secs, kb) = import_timed(&files, &building);
        let took = std::time::Duration::from_secs_f64(secs);
        let rows = rows_in(&files);
        let bytes: u64 = std::fs::read_dir(&files)
            .unwrap()
            .filter_map(|e| e.ok()?.metadata().ok())
            .map(|m| m.len())
            .sum();
        built.push(Measure {
            name: "import (acodesk import csv)".into(),
            median: took,
            target: None,
            note: format!(
                "{} rows, {:.0} rows/s; peak RSS {:.1} MB for {:.0} MB of CSV",
                rows,
                rows as f64 / took.as_secs_f64(),
                kb / 1024.0,
                bytes as f64 / 1e6
            ),
        });
        // `.import` with the register's indexes (the target's reference), then into plain tables
        // with no index at all (the practical ceiling of loading these files into SQLite).
        for indexed in [true, false] {
            if let Some(m) = sqlite3_reference(&files, &base, indexed) {
                let ratio = m.median.as_secs_f64() / took.as_secs_f64();
                built.push(Measure {
                    note: format!("{}; acodesk/sqlite3 = {ratio:.2}", m.note),
                    ..m
                });
            }
        }
        std::fs::rename(&building, &db).unwrap();
    }
    Fixture {
        size,
        files,
        db,
        built,
    }
}

/// Imports `files` into `db` and returns the seconds and the peak RSS in kB: in a fresh process
/// when running as the bench (`--import`, so the peak is the import's own), in this one otherwise
/// (the smoke test in tests/, whose binary does not know `--import`).
fn import_timed(files: &Path, db: &Path) -> (f64, f64) {
    let exe = std::env::current_exe().unwrap();
    let is_bench = exe
        .file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with("scale"));
    if !is_bench {
        let (secs, kb) = import_in_this_process(files, db);
        return (secs, kb as f64);
    }
    let out = std::process::Command::new(exe)
        .arg("--import")
        .arg(files)
        .arg(db)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "import: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let mut parts = text.split_whitespace();
    let secs: f64 = parts.next().and_then(|p| p.parse().ok()).unwrap();
    let kb: f64 = parts.next().and_then(|p| p.parse().ok()).unwrap();
    (secs, kb)
}

/// The child process of [`fixture`]: imports `files` into a new register `db` (the import's
/// first load, as `acodesk import csv` runs it) and returns its seconds and peak RSS in kB.
pub fn import_in_this_process(files: &Path, db: &Path) -> (f64, u64) {
    let t = Instant::now();
    {
        let mut store = Store::open(db).unwrap();
        import_dir(&mut store, files, ImportOptions::default()).unwrap();
        store.set_meta("clock_as_of", &as_of().to_string()).unwrap();
    }
    (t.elapsed().as_secs_f64(), peak_rss_kb())
}

/// The same files imported again into the fixture's register (a later import: every row is
/// compared with the register and none changes; the repeat check sorts the keys on disk), in a fresh
/// process for its peak memory.
pub fn reimport(fx: &Fixture) -> Measure {
    let (secs, kb) = import_timed(&fx.files, &fx.db);
    let rows = rows_in(&fx.files);
    Measure {
        name: "import the same files again (every row unchanged)".into(),
        median: std::time::Duration::from_secs_f64(secs),
        target: None,
        note: format!(
            "{:.0} rows/s; peak RSS {:.1} MB",
            rows as f64 / secs,
            kb / 1024.0
        ),
    }
}

/// `sqlite3 .import` of the same files into plain tables, then (when `indexed`) the same indexes,
/// for reference.
fn sqlite3_reference(files: &Path, base: &Path, indexed: bool) -> Option<Measure> {
    let exists = std::process::Command::new("sqlite3")
        .arg("-version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !exists {
        return None;
    }
    let db = base.join("sqlite3-reference.db");
    let _ = std::fs::remove_file(&db);
    let mut script = String::from("PRAGMA journal_mode=WAL;\nPRAGMA synchronous=FULL;\nBEGIN;\n");
    let indexes = [
        ("patients", "id"),
        ("diagnoses", "patient_id, system, code, onset_date"),
        ("observations", "patient_id, loinc, date"),
        ("encounters", "patient_id, start"),
        ("claims", "patient_id, service_date"),
        ("appointments", "patient_id, date"),
        ("calls", "patient_id, called_at"),
    ];
    for name in [
        "organizations",
        "staff",
        "patients",
        "diagnoses",
        "observations",
        "encounters",
        "claims",
        "appointments",
        "calls",
    ] {
        let path = files.join(format!("{name}.csv"));
        script.push_str(&format!(".import --csv {} {name}\n", path.display()));
    }
    for (table, cols) in indexes.iter().filter(|_| indexed) {
        script.push_str(&format!("CREATE INDEX {table}_ix ON {table}({cols});\n"));
    }
    script.push_str("COMMIT;\n");
    let t = Instant::now();
    let out = std::process::Command::new("sqlite3")
        .arg(&db)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child
                .stdin
                .take()
                .map(|mut s| s.write_all(script.as_bytes()));
            child.wait()
        })
        .ok()?;
    let took = t.elapsed();
    let _ = std::fs::remove_file(&db);
    out.success().then(|| {
        let rows = rows_in(files);
        Measure {
            name: if indexed {
                "reference: sqlite3 .import, then the same indexes".into()
            } else {
                "ceiling: sqlite3 .import into plain tables, no index".into()
            },
            median: took,
            target: None,
            note: format!(
                "{rows} rows, {:.0} rows/s",
                rows as f64 / took.as_secs_f64()
            ),
        }
    })
}

fn context(db: &Path) -> Arc<AppContext> {
    let store = Store::open_existing(db).unwrap();
    let pilot = views::budget::pilot_info(store.conn()).unwrap();
    Arc::new(AppContext {
        db_path: db.to_path_buf(),
        i18n: I18n::new(Lang::Ru),
        config: Config {
            user_name: Some("bench".into()),
            ..Config::default()
        },
        keymap: Keymap::defaults(),
        theme: Theme::colour(),
        clock: clock().into(),
        pilot,
        device: "bench".into(),
    })
}

fn settle(app: &mut App, store: &mut Store, mut requests: Vec<Request>) {
    while let Some(r) = requests.pop() {
        let loaded = handle(store, &app.ctx, r);
        requests.extend(app.on_loaded(loaded));
    }
}

/// Every query-side measurement on an existing register.
pub fn measure(fx: &Fixture, runs: usize) -> Vec<Measure> {
    let ms = Duration::from_millis;
    let mut out = fx.built.clone();
    let mut store = Store::open_existing(&fx.db).unwrap();
    let conn_ref = |s: &Store| -> f64 {
        s.conn()
            .query_row(
                "SELECT count(*) FROM patients WHERE search_text <> ''",
                [],
                |r| r.get::<_, i64>(0),
            )
            .unwrap() as f64
    };
    let reference = median(runs, || {
        conn_ref(&store);
    });
    out.push(Measure {
        name: "reference: full scan of patients".into(),
        median: reference,
        target: None,
        note: String::new(),
    });

    let c = clock();
    let t = Instant::now();
    worklist_index::rebuild(store.conn(), &c).unwrap();
    out.push(Measure {
        name: "worklist: full rebuild (once a day)".into(),
        median: t.elapsed(),
        target: None,
        note: String::new(),
    });
    let f = WorklistFilter::default();
    let first = worklist_page::page(store.conn(), &c, &f, None, 200).unwrap();
    out.push(Measure {
        name: "worklist: first page (200 rows)".into(),
        median: median(runs, || {
            worklist_page::page(store.conn(), &c, &f, None, 200).unwrap();
        }),
        target: Some(ms(50)),
        note: String::new(),
    });
    out.push(Measure {
        name: "worklist: page down".into(),
        median: median(runs, || {
            worklist_page::page(store.conn(), &c, &f, first.next.as_ref(), 200).unwrap();
        }),
        target: Some(ms(50)),
        note: String::new(),
    });
    out.push(Measure {
        name: "worklist: counts of the whole list".into(),
        median: median(runs, || {
            worklist_page::counts(store.conn(), &c, &f, 50).unwrap();
        }),
        target: None,
        note: String::new(),
    });
    let mid: String = store
        .conn()
        .query_row(
            "SELECT id FROM patients ORDER BY id LIMIT 1 OFFSET ?1",
            [fx.size as i64 / 2],
            |r| r.get(0),
        )
        .unwrap();
    out.push(Measure {
        name: "patient card".into(),
        median: median(runs, || {
            card(store.conn(), &mid).unwrap();
        }),
        target: Some(ms(30)),
        note: String::new(),
    });
    out.push(Measure {
        name: "search by name (\"смирнов\")".into(),
        median: median(runs, || {
            list(
                store.conn(),
                &PatientQuery {
                    search: "смирнов".into(),
                    limit: 200,
                    ..PatientQuery::default()
                },
            )
            .unwrap();
        }),
        target: Some(ms(100)),
        note: String::new(),
    });
    out.push(Measure {
        name: "readmissions: full recompute".into(),
        median: median(runs.min(3), || {
            views::readmissions(store.conn(), as_of()).unwrap();
        }),
        target: Some(ms(10_000)),
        note: String::new(),
    });
    out.push(Measure {
        name: "Budget tab refresh".into(),
        median: median(runs.min(3), || {
            views::budget(store.conn(), as_of()).unwrap();
        }),
        target: Some(ms(10)),
        note: String::new(),
    });
    out.push(Measure {
        // Nothing has built the stored Progress figures on this register yet (the import leaves
        // them stale), so this is the report's indicators computed on the spot: what `acodesk
        // report` costs on a day no dashboard has refreshed Progress.
        name: "Progress indicators, stored figures not built (views::progress on the spot)".into(),
        median: median(runs.min(3), || {
            views::progress(store.conn(), as_of()).unwrap();
        }),
        target: Some(ms(500)),
        note: String::new(),
    });

    // Full-frame render of each tab at 200×60 on a TestBackend, data already loaded.
    let ctx = context(&fx.db);
    let t = Instant::now();
    let mut app = App::new(Arc::clone(&ctx));
    // As the worker does: the first page answers and is drawn; what it asks for next (the
    // counts of the whole list for the summary line) arrives after the first frame.
    let mut follow_ups = Vec::new();
    for r in app.initial_requests() {
        let loaded = handle(&mut store, &app.ctx, r);
        follow_ups.extend(app.on_loaded(loaded));
    }
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(200, 60)).unwrap();
    terminal
        .draw(|fr| fr.render_widget(&app, fr.area()))
        .unwrap();
    let first_frame = t.elapsed();
    let t = Instant::now();
    settle(&mut app, &mut store, follow_ups);
    terminal
        .draw(|fr| fr.render_widget(&app, fr.area()))
        .unwrap();
    out.push(Measure {
        name: "frame with the whole list's counts (after the first)".into(),
        median: t.elapsed(),
        target: None,
        note: String::new(),
    });
    out.push(Measure {
        name: "first frame with the worklist (in process)".into(),
        median: first_frame,
        target: Some(ms(300)),
        note: String::new(),
    });
    for (name, action) in [
        ("Worklist", Action::TabWorklist),
        ("Patients", Action::TabPatients),
        ("Readmissions", Action::TabReadmissions),
        ("Budget", Action::TabBudget),
        ("Progress", Action::TabProgress),
    ] {
        let r = app.update(action);
        settle(&mut app, &mut store, r);
        out.push(Measure {
            name: format!("render {name} tab at 200×60"),
            median: median(runs, || {
                terminal
                    .draw(|fr| fr.render_widget(&app, fr.area()))
                    .unwrap();
            }),
            target: Some(ms(5)),
            note: String::new(),
        });
    }
    out
}

/// Pages through the whole worklist as the TUI does and returns the peak resident memory (kB).
pub fn page_through_everything(db: &Path) -> (u64, u64) {
    let store = Store::open_existing(db).unwrap();
    let c = clock();
    let f = WorklistFilter::default();
    let mut after = None;
    let mut rows = 0u64;
    loop {
        let p = worklist_page::page(store.conn(), &c, &f, after.as_ref(), 200).unwrap();
        rows += p.rows.len() as u64;
        match p.next {
            Some(k) => after = Some(k),
            None => break,
        }
    }
    (rows, peak_rss_kb())
}

/// The process's peak resident set (VmHWM), in kB; 0 where /proc is absent.
pub fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(String::from)
        })
        .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        .unwrap_or(0)
}

/// Formats the results as a Markdown table with ratios to the reference.
pub fn table(size: usize, results: &[Measure]) -> String {
    let reference = results
        .iter()
        .find(|m| m.name.starts_with("reference: full scan"))
        .map(|m| m.median.as_secs_f64())
        .filter(|r| *r > 0.0);
    let mut s = format!(
        "\n### {size} patients\n\n| measurement | median | target | × reference | |\n|---|---:|---:|---:|---|\n"
    );
    for m in results {
        let ms = m.median.as_secs_f64() * 1000.0;
        let target = m
            .target
            .map(|t| format!("< {} ms", t.as_millis()))
            .unwrap_or_default();
        let verdict = match m.target {
            Some(t) if m.median <= t => "met",
            Some(_) => "**missed**",
            None => "",
        };
        let ratio = reference
            .map(|r| format!("{:.2}", m.median.as_secs_f64() / r))
            .unwrap_or_default();
        s.push_str(&format!(
            "| {} | {ms:.1} ms | {target} | {ratio} | {verdict} {} |\n",
            m.name, m.note
        ));
    }
    s
}
