//! The sync benchmark's code, shared with its smoke test (tests/sync_bench_smoke.rs): a hub and a
//! device made from a sample register, the device's offline work (calls and phone changes), and
//! the timings of the device's export and the hub's apply; then the hub's side: a day's import
//! and the hub's exports of its changes, to one laptop at two register sizes and to 200 scoped
//! laptops.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use acodesk::import::csv_dir::{ImportOptions, import_dir};
use acodesk::sample::{SampleSpec, generate};
use acodesk::store::Store;
use acodesk::sync::scope::{Scope, members};
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

/// A register of `patients` sample patients made the hub, with no device yet (built once in
/// `dir`, reused after).
pub fn hub_fixture(dir: &Path, patients: usize) -> PathBuf {
    let dir = dir.join(format!("sync-hub-{patients}"));
    let hub = dir.join("hub.db");
    if !hub.exists() {
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
        let building = dir.join("building.db");
        let mut store = Store::open(&building).unwrap();
        import_dir(&mut store, &files, ImportOptions::default()).unwrap();
        setup::init_hub(&mut store).unwrap();
        drop(store);
        let _ = std::fs::remove_dir_all(&files);
        // One closed file, so a copy is the whole register.
        Store::open_existing(&building)
            .unwrap()
            .conn()
            .execute("VACUUM INTO ?1", [hub.to_string_lossy()])
            .unwrap();
        let _ = std::fs::remove_file(&building);
    }
    hub
}

/// Builds (or reuses, when already built in `dir`) the fixture.
pub fn fixture(dir: &Path, patients: usize, changes: usize) -> Fixture {
    let source = hub_fixture(dir, patients);
    let dir = dir.join(format!("sync-{patients}-{changes}"));
    let hub = dir.join("hub.db");
    let device = dir.join("device.db");
    if !device.exists() {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::copy(&source, &hub).unwrap();
        let mut store = Store::open_existing(&hub).unwrap();
        let join = dir.join("device.join");
        setup::add_device(&mut store, "bench", &join, "bench", "bench").unwrap();
        drop(store);
        let staging = dir.join("staging.db");
        setup::join(&join, &staging, "bench", "bench").unwrap();
        let _ = std::fs::remove_file(&join);
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

/// A fresh copy of a fixture file.
fn copy(fx: &Fixture, from: &Path, name: &str) -> PathBuf {
    let to = fx.dir.join(name);
    let _ = std::fs::remove_file(&to);
    std::fs::copy(from, &to).unwrap();
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
        // The hub's next export to the device: the relay of what it applied.
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
            name: format!("hub: next export to the device (relay of the {n} changes)"),
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

/// Patients a day's import discharges (four records each: 1,000 records).
pub const DAY_PATIENTS: usize = 250;

/// The sample's day of work at the hub: one discharge for each of `patients` patients (the stay,
/// its claim, an HbA1c and a blood pressure: four records each), new ids per `day`, written as an
/// import folder.
pub fn day_folder(store: &Store, dir: &Path, day: usize, patients: usize) -> PathBuf {
    let ids: Vec<(String, Option<String>)> = store
        .conn()
        .prepare(
            "SELECT id, site_id FROM patients WHERE status = 'active'
             ORDER BY (rowid * 7919 + ?2) % 100003 LIMIT ?1",
        )
        .unwrap()
        .query_map(params![patients as i64, day as i64], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let folder = dir.join(format!("day-{day}"));
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).unwrap();
    let mut encounters =
        String::from("id,patient_id,class,start,end,organization_id,planned,disposition,cost\n");
    let mut claims = String::from(
        "id,patient_id,service_date,paid,category,organization_id,encounter_id,received,funding\n",
    );
    let mut observations = String::from("id,patient_id,date,loinc,value,unit,site_id\n");
    for (i, (id, site)) in ids.iter().enumerate() {
        let site = site.as_deref().unwrap_or("");
        encounters.push_str(&format!(
            "E-DAY{day}-{i},{id},inpatient,2026-11-14T09:00:00,2026-11-19T12:00:00,ORG-HOSP,false,home,45000.00\n"
        ));
        claims.push_str(&format!(
            "C-DAY{day}-{i},{id},2026-11-19,45000.00,inpatient,ORG-HOSP,E-DAY{day}-{i},2026-11-20,oms\n"
        ));
        observations.push_str(&format!(
            "O-DAY{day}-{i}a,{id},2026-11-19,4548-4,7.{},%,{site}\nO-DAY{day}-{i}b,{id},2026-11-19,8480-6,1{:02}.0,mm[Hg],{site}\n",
            i % 10,
            i % 60 + 20
        ));
    }
    std::fs::write(folder.join("encounters.csv"), encounters).unwrap();
    std::fs::write(folder.join("claims.csv"), claims).unwrap();
    std::fs::write(folder.join("observations.csv"), observations).unwrap();
    folder
}

/// Registers at the hub a laptop as `sync add-device` records it (its key, the hub's numbering so
/// far as acknowledged, the patients of its scope as held), without writing its join file.
pub fn register_laptop(store: &Store, name: &str, scope: Option<&Scope>) -> String {
    let conn = store.conn();
    let device = uuid::Uuid::now_v7().to_string();
    let seq = setup::issued_seq(conn).unwrap() as i64;
    conn.execute(
        "INSERT INTO sync_peers (device_id, role, name, registered_at, applied_seq, acked_seq, bundle_key)
         VALUES (?1, 'device', ?2, '2026-11-20T08:00:00Z', 0, ?3, ?4)",
        params![device, name, seq, seal::new_key().as_slice()],
    )
    .unwrap();
    if let Some(scope) = scope {
        conn.execute(
            "UPDATE sync_peers SET scope_sites = ?2, scope_nurse = ?3 WHERE device_id = ?1",
            params![device, scope.sites.join(","), scope.nurse],
        )
        .unwrap();
        let tx =
            rusqlite::Transaction::new_unchecked(conn, rusqlite::TransactionBehavior::Immediate)
                .unwrap();
        for p in members(&tx, &device, scope).unwrap() {
            tx.execute(
                "INSERT INTO sync_scope_held (device_id, patient_id, since_seq) VALUES (?1, ?2, ?3)",
                params![device, p, seq],
            )
            .unwrap();
        }
        tx.commit().unwrap();
    }
    device
}

/// The hub's export of a day's import to one laptop that holds the whole register: per run, a
/// laptop registered with everything so far acknowledged, a day's import of `patients`
/// discharges (four records each), then the export timed (capture, bundle, seal). Returns the
/// median, the row changes the bundle carried, and its size.
pub fn hub_export(hub: &Path, patients: usize, runs: usize) -> (Duration, u64, u64) {
    let dir = hub.with_file_name("run-export");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("hub.db");
    std::fs::copy(hub, &db).unwrap();
    let mut store = Store::open_existing(&db).unwrap();
    let (mut times, mut rows, mut bytes) = (Vec::new(), 0, 0);
    for run in 0..runs.max(1) {
        let name = format!("laptop-{run}");
        register_laptop(&store, &name, None);
        let folder = day_folder(&store, &dir, run, patients);
        import_dir(&mut store, &folder, ImportOptions::default()).unwrap();
        let started = Instant::now();
        let (bundle, _) = export::export(&mut store, Some(&name)).unwrap();
        let sealed = seal::write_bundle(&store, &bundle).unwrap();
        times.push(started.elapsed());
        rows = bundle.entries.iter().map(|e| u64::from(e.rows)).sum();
        bytes = sealed.len() as u64;
    }
    drop(store);
    let _ = std::fs::remove_dir_all(&dir);
    (median(times), rows, bytes)
}

/// A day at the hub with `laptops` scoped laptops (each one polyclinic, in turn): per run, every
/// laptop has acknowledged everything so far, a day's import of `patients` discharges is timed,
/// then the exports to every laptop (capture, scope check, bundle, seal). Returns the medians of
/// the import and of the exports' total, the median export, and the bundles' total size.
pub fn hub_day(
    hub: &Path,
    laptops: usize,
    patients: usize,
    runs: usize,
) -> (Duration, Duration, Duration, u64) {
    let dir = hub.with_file_name("run-day");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("hub.db");
    std::fs::copy(hub, &db).unwrap();
    let mut store = Store::open_existing(&db).unwrap();
    let sites: Vec<String> = store
        .conn()
        .prepare("SELECT id FROM organizations WHERE kind = 'polyclinic' ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let names: Vec<String> = (0..laptops)
        .map(|i| {
            let name = format!("scoped-{i}");
            let scope = Scope {
                sites: vec![sites[i % sites.len()].clone()],
                nurse: None,
            };
            register_laptop(&store, &name, Some(&scope));
            name
        })
        .collect();
    let (mut imports, mut totals, mut each, mut bytes) = (Vec::new(), Vec::new(), Vec::new(), 0);
    for run in 0..runs.max(1) {
        let issued = setup::issued_seq(store.conn()).unwrap() as i64;
        store
            .conn()
            .execute(
                "UPDATE sync_peers SET acked_seq = ?1 WHERE role = 'device'",
                [issued],
            )
            .unwrap();
        let folder = day_folder(&store, &dir, 1000 + run, patients);
        let started = Instant::now();
        import_dir(&mut store, &folder, ImportOptions::default()).unwrap();
        imports.push(started.elapsed());
        let started = Instant::now();
        bytes = 0;
        for name in &names {
            let one = Instant::now();
            let (bundle, _) = export::export(&mut store, Some(name)).unwrap();
            bytes += seal::write_bundle(&store, &bundle).unwrap().len() as u64;
            each.push(one.elapsed());
        }
        totals.push(started.elapsed());
    }
    drop(store);
    let _ = std::fs::remove_dir_all(&dir);
    (median(imports), median(totals), median(each), bytes)
}
