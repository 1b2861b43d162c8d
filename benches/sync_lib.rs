//! The sync benchmark's code, shared with its smoke test (tests/sync_bench_smoke.rs): a hub and a
//! device made from a sample register, the device's offline work (calls and phone changes), and
//! the timings of the device's export and the hub's apply.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use acodesk::import::csv_dir::{ImportOptions, import_dir};
use acodesk::sample::{SampleSpec, generate};
use acodesk::store::Store;
use acodesk::sync::{apply, capture, export, seal, setup};
use chrono::NaiveDate;
use rusqlite::params;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A hub and one device with `changes` changes logged on the device, all closed files that each
/// run copies.
pub struct Fixture {
    /// Patients in the register.
    pub patients: usize,
    /// Changes logged on the device.
    pub changes: usize,
    /// Where the copies go.
    pub dir: PathBuf,
    /// The hub (with its base copy beside it).
    pub hub: PathBuf,
    /// The device, its changes not yet captured.
    pub device: PathBuf,
}

/// Builds (or reuses, when already built in `dir`) the fixture.
pub fn fixture(dir: &Path, patients: usize, changes: usize) -> Fixture {
    let dir = dir.join(format!("sync-{patients}-{changes}"));
    let hub = dir.join("hub.db");
    let device = dir.join("device.db");
    if !device.exists() {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let files = dir.join("files");
        let as_of = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        generate(
            &SampleSpec {
                patients,
                seed: 42,
                as_of,
            },
            &files,
        )
        .unwrap();
        let mut store = Store::open(&hub).unwrap();
        import_dir(&mut store, &files, ImportOptions::default()).unwrap();
        setup::init_hub(&mut store).unwrap();
        let join = dir.join("device.join");
        setup::add_device(&mut store, "bench", &join, "bench", "bench").unwrap();
        drop(store);
        let staging = dir.join("staging.db");
        setup::join(&join, &staging, "bench", "bench").unwrap();
        offline_work(&staging, changes);
        // One closed file, so a run's copy is the whole register.
        Store::open_existing(&staging)
            .unwrap()
            .conn()
            .execute("VACUUM INTO ?1", [device.to_string_lossy()])
            .unwrap();
        let _ = std::fs::remove_file(&staging);
    }
    Fixture {
        patients,
        changes,
        dir,
        hub,
        device,
    }
}

/// A nurse's days offline: nine calls for every phone change, as `acodesk call` and
/// `acodesk phone` write them.
fn offline_work(db: &Path, changes: usize) {
    let mut store = Store::open_existing(db).unwrap();
    let device = store.device_id();
    let ids: Vec<String> = {
        let mut stmt = store
            .conn()
            .prepare("SELECT id FROM patients WHERE status = 'active' ORDER BY id")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
    };
    let tx = store.conn_mut().transaction().unwrap();
    let outcomes = [
        "no_answer",
        "call_back",
        "agreed_visit",
        "refused",
        "no_answer",
    ];
    let mut rng = fastrand::Rng::with_seed(5);
    for i in 0..changes {
        let patient = &ids[rng.usize(..ids.len())];
        let at = format!(
            "2026-11-{:02}T{:02}:{:02}:{:02}",
            16 + i / 4000 % 5,
            8 + i / 400 % 10,
            i / 7 % 60,
            i % 60
        );
        if i % 10 == 9 {
            let number = format!(
                "+7 9{:02} {:03}-{:02}-{:02}",
                i % 100,
                i % 1000,
                i % 97,
                i % 89
            );
            tx.execute(
                "INSERT INTO changes (id, changed_at, user_name, device, patient_id, field, old_value, new_value)
                 SELECT ?1, ?2, 'Иванова М. П.', ?3, id, 'phone', phone, ?4 FROM patients WHERE id = ?5",
                params![uuid::Uuid::now_v7().to_string(), at, device, number, patient],
            )
            .unwrap();
            tx.execute(
                "UPDATE patients SET phone = ?2 WHERE id = ?1",
                params![patient, number],
            )
            .unwrap();
        } else {
            let note = if i % 5 == 0 {
                "перезвонить после 15:00"
            } else {
                ""
            };
            tx.execute(
                "INSERT INTO calls (id, patient_id, called_at, user_name, device, outcome, next_date, note)
                 VALUES (?1, ?2, ?3, 'Иванова М. П.', ?4, ?5, NULL, ?6)",
                params![
                    uuid::Uuid::now_v7().to_string(),
                    patient,
                    at,
                    device,
                    outcomes[rng.usize(..outcomes.len())],
                    note
                ],
            )
            .unwrap();
        }
    }
    tx.commit().unwrap();
}

/// A fresh copy of a fixture file (and the hub's base copy).
fn copy(fx: &Fixture, from: &Path, name: &str) -> PathBuf {
    let to = fx.dir.join(name);
    let _ = std::fs::remove_file(&to);
    let _ = std::fs::remove_file(acodesk::sync::base::path_for(&to));
    std::fs::copy(from, &to).unwrap();
    let base = acodesk::sync::base::path_for(from);
    if base.exists() {
        std::fs::copy(base, acodesk::sync::base::path_for(&to)).unwrap();
    }
    to
}

/// One measured figure.
pub struct Figure {
    /// What was measured.
    pub name: String,
    /// Median time.
    pub median: Duration,
    /// Extra: a size in bytes, when the figure has one.
    pub bytes: Option<u64>,
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// Times the device's export and the hub's apply, `runs` times each on fresh copies; returns the
/// medians and the bundle's size.
pub fn measure(fx: &Fixture, runs: usize) -> Vec<Figure> {
    let mut exports = Vec::new();
    let mut captures = Vec::new();
    let mut bundle_bytes = Vec::new();
    for run in 0..runs.max(1) {
        let db = copy(fx, &fx.device, "run-device.db");
        let mut store = Store::open_existing(&db).unwrap();
        let started = Instant::now();
        let (b, captured) = export::export(&mut store, None).unwrap();
        let bytes = seal::write_bundle(&store, &b).unwrap();
        std::fs::write(fx.dir.join("bundle.acosync"), &bytes).unwrap();
        exports.push(started.elapsed());
        assert_eq!(captured.rows as usize, fx.changes, "run {run}");
        bundle_bytes = bytes;
        drop(store);
        // The capture alone, on another copy.
        let db = copy(fx, &fx.device, "run-device.db");
        let mut store = Store::open_existing(&db).unwrap();
        let started = Instant::now();
        capture::capture(&mut store).unwrap();
        captures.push(started.elapsed());
    }
    let mut applies = Vec::new();
    let mut hub_exports = Vec::new();
    for _ in 0..runs.max(1) {
        let db = copy(fx, &fx.hub, "run-hub.db");
        let mut store = Store::open_existing(&db).unwrap();
        let started = Instant::now();
        let bytes = std::fs::read(fx.dir.join("bundle.acosync")).unwrap();
        let b = seal::read_bundle(&store, &bytes, "bundle").unwrap();
        let applied = apply::apply(&mut store, &b, "bundle").unwrap();
        applies.push(started.elapsed());
        assert_eq!(applied.rows as usize, fx.changes);
        // The hub's next export to the device: the diff of the imported tables and the relay.
        let started = Instant::now();
        export::export(&mut store, None).unwrap();
        hub_exports.push(started.elapsed());
    }
    let n = fx.changes;
    vec![
        Figure {
            name: format!("device: export of {n} changes (capture + bundle + write)"),
            median: median(exports),
            bytes: Some(bundle_bytes.len() as u64),
        },
        Figure {
            name: format!("device: capture of {n} changes"),
            median: median(captures),
            bytes: None,
        },
        Figure {
            name: format!("hub: apply of {n} changes (read + check + apply + settle)"),
            median: median(applies),
            bytes: None,
        },
        Figure {
            name: "hub: next export to the device (diff of imported tables + relay)".into(),
            median: median(hub_exports),
            bytes: None,
        },
    ]
}

/// The figures as a Markdown table.
pub fn table(fx: &Fixture, figures: &[Figure]) -> String {
    let mut out = format!(
        "\n| measurement ({} patients) | median | bundle |\n| --- | ---: | ---: |\n",
        fx.patients
    );
    for f in figures {
        out.push_str(&format!(
            "| {} | {} ms | {} |\n",
            f.name,
            f.median.as_millis(),
            f.bytes
                .map_or(String::new(), |b| format!("{} KB", b / 1024))
        ));
    }
    out
}
