//! Three registers for the sync tests: a hub made from the shared sample register and two devices
//! added at it, and the steps of an exchange through bundle files.

use acodesk::domain::types::CallOutcome;
use acodesk::store::Store;
use acodesk::store::calls::{NewCall, append};
use acodesk::sync::{apply, bundle, export, seal, setup};
use rusqlite::Connection;
use rusqlite::types::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The hub and two devices, with their device ids.
pub struct Trio {
    pub dir: PathBuf,
    pub hub: PathBuf,
    pub a: PathBuf,
    pub b: PathBuf,
    pub a_id: String,
    pub b_id: String,
}

/// The passphrase the tests' join files are sealed with.
pub const JOIN_PASSPHRASE: &str = "берёзовка-2026";

/// A hub (from the shared register) with devices "A" and "B".
pub fn trio(name: &str) -> Trio {
    let hub = super::common::private_copy(&format!("{name}-hub"));
    let dir = hub.parent().unwrap().to_path_buf();
    let mut store = Store::open_existing(&hub).unwrap();
    setup::init_hub(&mut store).unwrap();
    let mut add = |device: &str| {
        let file = dir.join(format!("{device}.join"));
        let id = setup::add_device(&mut store, device, &file, "manager", JOIN_PASSPHRASE).unwrap();
        let db = dir.join(format!("{device}.db"));
        let joined = setup::join(&file, &db, "nurse", JOIN_PASSPHRASE).unwrap();
        assert_eq!(joined.device, id);
        (db, id)
    };
    let (a, a_id) = add("A");
    let (b, b_id) = add("B");
    Trio {
        dir,
        hub,
        a,
        b,
        a_id,
        b_id,
    }
}

/// Copies the three registers (closed, so each is one file) to a new folder.
pub fn copy_trio(from: &Trio, name: &str) -> Trio {
    let dir = super::common::scratch(name);
    let copy = |p: &Path| {
        let to = dir.join(p.file_name().unwrap());
        std::fs::copy(p, &to).unwrap();
        to
    };
    let hub = copy(&from.hub);
    Trio {
        hub,
        a: copy(&from.a),
        b: copy(&from.b),
        a_id: from.a_id.clone(),
        b_id: from.b_id.clone(),
        dir,
    }
}

/// Writes the bundle `from` has for its peer (`device` on the hub) to `file`.
pub fn export_to(from: &Path, device: Option<&str>, file: &Path) -> bundle::Bundle {
    let mut store = Store::open_existing(from).unwrap();
    let (b, _) = export::export(&mut store, device).unwrap();
    std::fs::write(file, seal::write_bundle(&store, &b).unwrap()).unwrap();
    b
}

/// The bytes of `b` sealed as register `from` seals it for its recipient.
pub fn sealed(from: &Path, b: &bundle::Bundle) -> Vec<u8> {
    let store = Store::open_existing(from).unwrap();
    seal::write_bundle(&store, b).unwrap()
}

/// Applies a bundle file to `to`.
pub fn apply_from(to: &Path, file: &Path) -> Result<apply::Applied, acodesk::sync::SyncError> {
    let bytes = std::fs::read(file).unwrap();
    let mut store = Store::open_existing(to).unwrap();
    let b = seal::read_bundle(&store, &bytes, &file.display().to_string())?;
    apply::apply(&mut store, &b, &file.display().to_string())
}

/// One exchange through a file: `from` exports, `to` applies.
pub fn send(from: &Path, device: Option<&str>, to: &Path, file: &Path) -> apply::Applied {
    export_to(from, device, file);
    apply_from(to, file).unwrap()
}

/// Logs a call as a nurse would; returns its id.
pub fn log_call(db: &Path, patient: &str, outcome: CallOutcome) -> String {
    let mut store = Store::open_existing(db).unwrap();
    append(
        &mut store,
        &NewCall {
            patient_id: patient.into(),
            outcome,
            next_date: None,
            note: "перезвонить вечером".into(),
            user: "nurse".into(),
            supersedes: None,
        },
    )
    .unwrap()
}

/// Active patients with a phone, by id.
pub fn patients(db: &Path, n: usize) -> Vec<String> {
    let c = Connection::open(db).unwrap();
    let mut stmt = c
        .prepare(
            "SELECT id FROM patients WHERE status = 'active' AND phone IS NOT NULL ORDER BY id LIMIT ?1",
        )
        .unwrap();
    stmt.query_map([n as i64], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect()
}

/// One value from a query.
pub fn value<T: rusqlite::types::FromSql>(db: &Path, sql: &str) -> T {
    Connection::open(db)
        .unwrap()
        .query_row(sql, [], |r| r.get(0))
        .unwrap()
}

/// Every row of every table of register data, sorted: what "identical registers" means. That is
/// every table sync carries, and the monthly claim totals its triggers derive; each register's own
/// settings, caches and derived lists (`LOCAL_TABLES`) are left out.
pub fn register_contents(db: &Path) -> BTreeMap<String, Vec<String>> {
    use acodesk::sync::tables::{APPEND_ONLY, HUB_TABLES};
    let c = Connection::open(db).unwrap();
    let tables: Vec<String> = APPEND_ONLY
        .iter()
        .chain(HUB_TABLES.iter())
        .chain(["claim_month_totals"].iter())
        .map(|t| t.to_string())
        .collect();
    tables
        .into_iter()
        .map(|t| {
            let mut stmt = c.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
            let n = stmt.column_count();
            let mut rows: Vec<String> = stmt
                .query_map([], |r| {
                    Ok((0..n)
                        .map(|i| format!("{:?}", r.get::<_, Value>(i).unwrap()))
                        .collect::<Vec<_>>()
                        .join("|"))
                })
                .unwrap()
                .map(|r| r.unwrap())
                .collect();
            rows.sort();
            (t, rows)
        })
        .collect()
}

/// Asserts the three registers hold the same rows in every table, naming the first difference.
pub fn assert_identical(t: &Trio) {
    let hub = register_contents(&t.hub);
    for device in [&t.a, &t.b] {
        let other = register_contents(device);
        for (table, rows) in &hub {
            let theirs = &other[table];
            if rows != theirs {
                let only_hub: Vec<_> = rows
                    .iter()
                    .filter(|r| !theirs.contains(r))
                    .take(3)
                    .collect();
                let only_dev: Vec<_> = theirs
                    .iter()
                    .filter(|r| !rows.contains(r))
                    .take(3)
                    .collect();
                panic!(
                    "{table} differs between the hub and {}: hub only {only_hub:?}, device only {only_dev:?}",
                    device.display()
                );
            }
        }
    }
}

/// Inserts `n` calls on a device in one transaction, as `acodesk call` would write them.
pub fn bulk_calls(db: &Path, n: usize) {
    let device: String = value(db, "SELECT value FROM meta WHERE key = 'device_id'");
    let ps = patients(db, 300);
    let mut c = Connection::open(db).unwrap();
    let tx = c.transaction().unwrap();
    let outcomes = [
        "no_answer",
        "call_back",
        "agreed_visit",
        "refused",
        "no_answer",
    ];
    let mut rng = fastrand::Rng::with_seed(11);
    for i in 0..n {
        let next = (i % 3 == 0).then(|| format!("2026-11-{:02}", 21 + i % 9));
        let note = if i % 5 == 0 {
            "перезвонить после 15:00"
        } else {
            ""
        };
        tx.execute(
            "INSERT INTO calls (id, patient_id, called_at, user_name, device, outcome, next_date, note)
             VALUES (?1, ?2, ?3, 'Иванова М. П.', ?4, ?5, ?6, ?7)",
            rusqlite::params![
                uuid::Uuid::now_v7().to_string(),
                ps[rng.usize(..ps.len())],
                format!("2026-11-20T{:02}:{:02}:{:02}", 8 + i / 3600 % 10, i / 60 % 60, i % 60),
                device,
                outcomes[rng.usize(..outcomes.len())],
                next,
                note
            ],
        )
        .unwrap();
    }
    tx.commit().unwrap();
}
