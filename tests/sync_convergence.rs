//! Randomized convergence of a hub and two laptops (#23): calls, phone, status and assignment
//! changes on all three registers; re-imports of stale and of changed extracts on the hub;
//! bundles lost, repeated and applied out of order. After a final exchange round the three
//! registers hold identical calls, changes and patient fields, no call acknowledged anywhere is
//! lost, and on every register each field a user or an import changed is what its latest change
//! says (an import never silently undoes a change).
//!
//! `ACODESK_SYNC_SEEDS` (default 24) sets how many seeds run; each seed is one random history.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "sync/helpers.rs"]
#[allow(dead_code)]
mod helpers;

use acodesk::domain::types::CallOutcome;
use acodesk::import::csv_dir::{ImportOptions, import_dir};
use acodesk::store::Store;
use acodesk::store::assign::assign_patient;
use acodesk::store::calls::{NewCall, append};
use acodesk::store::phones::{WhichPhone, set_phone};
use acodesk::sync::{apply, seal, setup};
use helpers::*;
use rusqlite::Connection;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const PATIENTS: usize = 10;
const NURSES: [&str; 3] = ["N01", "N02", "N03"];
const STEPS: usize = 36;

/// One patient as the hospital's extract has it.
#[derive(Clone)]
struct Source {
    phone: String,
    phone2: String,
    nurse: &'static str,
    status: &'static str,
}

fn phone(rng: &mut fastrand::Rng) -> String {
    format!(
        "+7 9{:02} {:03}-{:02}-{:02}",
        rng.u32(10..99),
        rng.u32(100..999),
        rng.u32(10..99),
        rng.u32(10..99)
    )
}

/// Writes the extract (organizations, staff, patients) into `dir`.
fn write_extract(dir: &Path, extract: &[Source]) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(
        dir.join("organizations.csv"),
        "id,name,kind,region\nORG-PC1,Поликлиника № 1,polyclinic,Северная область\n",
    )
    .unwrap();
    let mut staff = String::from("id,name,role,site_id\n");
    for n in NURSES {
        staff.push_str(&format!("{n},Медсестра {n},nurse,ORG-PC1\n"));
    }
    std::fs::write(dir.join("staff.csv"), staff).unwrap();
    let mut patients = String::from(
        "id,policy_number,snils,family_name,given_name,patronymic,sex,birth_date,death_date,phone,phone2,locality,address,site_id,nurse_id,status,moved_on\n",
    );
    for (i, p) in extract.iter().enumerate() {
        let (death, moved) = match p.status {
            "dead" => ("2026-10-01", ""),
            "moved" => ("", "2026-10-01"),
            _ => ("", ""),
        };
        patients.push_str(&format!(
            "P{i:03},,,Пациентов,Пациент,,F,1955-03-0{d},{death},{},{},г. Северогорск,,ORG-PC1,{},{},{moved}\n",
            p.phone,
            p.phone2,
            p.nurse,
            p.status,
            d = 1 + i % 9,
        ));
    }
    std::fs::write(dir.join("patients.csv"), patients).unwrap();
}

/// The hub imported from a first extract, and laptops A and B added at it.
fn base(name: &str, extract: &[Source]) -> Trio {
    let dir = common::scratch(name);
    let files = dir.join("extract");
    write_extract(&files, extract);
    let hub = dir.join("hub.db");
    let mut store = Store::open(&hub).unwrap();
    import_dir(&mut store, &files, ImportOptions::default()).unwrap();
    setup::init_hub(&mut store).unwrap();
    let mut add = |name: &str| {
        let file = dir.join(format!("{name}.join"));
        let id = setup::add_device(&mut store, name, &file, "manager", JOIN_PASSPHRASE).unwrap();
        let db = dir.join(format!("{name}.db"));
        setup::join(&file, &db, "nurse", JOIN_PASSPHRASE).unwrap();
        (db, id)
    };
    let (a, a_id) = add("A");
    let (b, b_id) = add("B");
    drop(store);
    // Closed, so each register is one file and copies of it are whole.
    for db in [&hub, &a, &b] {
        Connection::open(db)
            .unwrap()
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .unwrap();
    }
    Trio {
        dir,
        hub,
        a,
        b,
        a_id,
        b_id,
    }
}

/// A bundle written and not yet applied (or kept to be applied again).
struct Carried {
    file: PathBuf,
    to: PathBuf,
}

struct World<'a> {
    t: &'a Trio,
    rng: fastrand::Rng,
    extract: Vec<Source>,
    calls: BTreeSet<String>,
    written: Vec<Carried>,
    pending: Vec<Carried>,
    n: usize,
}

impl World<'_> {
    fn register(&mut self) -> PathBuf {
        match self.rng.usize(0..3) {
            0 => self.t.hub.clone(),
            1 => self.t.a.clone(),
            _ => self.t.b.clone(),
        }
    }

    fn patient(&mut self) -> String {
        format!("P{:03}", self.rng.usize(0..PATIENTS))
    }

    fn call(&mut self) {
        let db = self.register();
        let patient = self.patient();
        let outcomes = [
            CallOutcome::NoAnswer,
            CallOutcome::CallBackLater,
            CallOutcome::AgreedToVisit,
            CallOutcome::NoAnswer,
            CallOutcome::Moved,
            CallOutcome::Died,
        ];
        let outcome = outcomes[self.rng.usize(0..outcomes.len())];
        let mut store = Store::open_existing(&db).unwrap();
        let id = append(
            &mut store,
            &NewCall {
                patient_id: patient,
                outcome,
                next_date: None,
                note: String::new(),
                user: "nurse".into(),
                supersedes: None,
            },
        )
        .unwrap();
        self.calls.insert(id);
    }

    fn phone(&mut self) {
        let db = self.register();
        let patient = self.patient();
        let which = if self.rng.bool() {
            WhichPhone::First
        } else {
            WhichPhone::Second
        };
        let number = phone(&mut self.rng);
        let mut store = Store::open_existing(&db).unwrap();
        set_phone(&mut store, &patient, which, Some(&number), "nurse").unwrap();
    }

    fn assign(&mut self) {
        let db = self.register();
        let patient = self.patient();
        let nurse = NURSES[self.rng.usize(0..NURSES.len())];
        let mut store = Store::open_existing(&db).unwrap();
        assign_patient(&mut store, &patient, nurse, "manager").unwrap();
    }

    /// The hub imports the extract again: as it was (stale) or with a few records changed.
    fn reimport(&mut self, changed: bool) {
        if changed {
            for _ in 0..self.rng.usize(1..4) {
                let i = self.rng.usize(0..PATIENTS);
                match self.rng.usize(0..4) {
                    0 => self.extract[i].phone = phone(&mut self.rng),
                    1 => self.extract[i].phone2 = phone(&mut self.rng),
                    2 => self.extract[i].nurse = NURSES[self.rng.usize(0..NURSES.len())],
                    _ => {
                        self.extract[i].status = ["active", "moved"][self.rng.usize(0..2)];
                    }
                }
            }
        }
        let files = self.t.dir.join(format!("extract-{}", self.n));
        self.n += 1;
        write_extract(&files, &self.extract);
        let mut store = Store::open_existing(&self.t.hub).unwrap();
        import_dir(&mut store, &files, ImportOptions::default()).unwrap();
    }

    /// One bundle written; then delivered, lost, or held back to arrive later.
    fn exchange(&mut self) {
        let (from, device, to) = match self.rng.usize(0..4) {
            0 => (self.t.a.clone(), None, self.t.hub.clone()),
            1 => (self.t.b.clone(), None, self.t.hub.clone()),
            2 => (
                self.t.hub.clone(),
                Some(self.t.a_id.clone()),
                self.t.a.clone(),
            ),
            _ => (
                self.t.hub.clone(),
                Some(self.t.b_id.clone()),
                self.t.b.clone(),
            ),
        };
        let file = self.t.dir.join(format!("bundle-{}.acosync", self.n));
        self.n += 1;
        export_to(&from, device.as_deref(), &file);
        let carried = Carried { file, to };
        match self.rng.usize(0..10) {
            0 | 1 => {}                          // lost
            2 | 3 => self.pending.push(carried), // arrives later
            _ => {
                deliver(&carried);
                self.written.push(carried);
            }
        }
    }

    /// A held-back bundle arrives, or an old one arrives again.
    fn late(&mut self) {
        if !self.pending.is_empty() && self.rng.bool() {
            let i = self.rng.usize(0..self.pending.len());
            let carried = self.pending.swap_remove(i);
            deliver(&carried);
            self.written.push(carried);
        } else if !self.written.is_empty() {
            let i = self.rng.usize(0..self.written.len());
            deliver(&self.written[i]);
        }
    }
}

/// Applies a bundle: an honest history never makes a refusal.
fn deliver(c: &Carried) {
    let bytes = std::fs::read(&c.file).unwrap();
    let mut store = Store::open_existing(&c.to).unwrap();
    let name = c.file.display().to_string();
    let bundle = seal::read_bundle(&store, &bytes, &name).unwrap();
    if let Err(e) = apply::apply(&mut store, &bundle, &name) {
        panic!("{name} refused on {}: {e}", c.to.display());
    }
}

/// On `db`, every field some change touched holds what its latest change says.
fn fields_follow_history(db: &Path, seed: u64) {
    let c = Connection::open(db).unwrap();
    for (field, column) in [
        ("phone", "phone"),
        ("phone2", "phone2"),
        ("status", "status"),
        ("nurse_id", "nurse_id"),
    ] {
        let sql = format!(
            "SELECT p.id, p.{column}, (SELECT new_value FROM changes c WHERE c.patient_id = p.id
                AND c.field = ?1 ORDER BY changed_at DESC, id DESC LIMIT 1)
             FROM patients p WHERE EXISTS (SELECT 1 FROM changes c WHERE c.patient_id = p.id AND c.field = ?1)"
        );
        let mut stmt = c.prepare(&sql).unwrap();
        let rows: Vec<(String, Option<String>, Option<String>)> = stmt
            .query_map([field], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        for (id, value, latest) in rows {
            assert_eq!(
                value,
                latest,
                "seed {seed}: {id}.{field} on {} is not its latest change",
                db.display()
            );
        }
    }
}

#[test]
fn a_hub_and_two_laptops_converge_whatever_happens_to_the_bundles() {
    let seeds: u64 = std::env::var("ACODESK_SYNC_SEEDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(24);
    let mut rng = fastrand::Rng::with_seed(23);
    let extract: Vec<Source> = (0..PATIENTS)
        .map(|i| Source {
            phone: phone(&mut rng),
            phone2: phone(&mut rng),
            nurse: NURSES[i % NURSES.len()],
            status: "active",
        })
        .collect();
    let start = base("sync-convergence-base", &extract);
    let mut imported_changes = 0;
    for seed in 0..seeds {
        let t = copy_trio(&start, &format!("sync-convergence-{seed}"));
        let mut w = World {
            t: &t,
            rng: fastrand::Rng::with_seed(seed),
            extract: extract.clone(),
            calls: BTreeSet::new(),
            written: Vec::new(),
            pending: Vec::new(),
            n: 0,
        };
        for _ in 0..STEPS {
            match w.rng.usize(0..20) {
                0..=3 => w.call(),
                4..=6 => w.phone(),
                7..=8 => w.assign(),
                9 => w.reimport(false),
                10 => w.reimport(true),
                11..=16 => w.exchange(),
                _ => w.late(),
            }
        }
        // Held-back bundles may still arrive before the final round.
        while let Some(c) = w.pending.pop() {
            deliver(&c);
        }
        // The final round: everyone's work reaches the hub, then the hub's reaches everyone.
        for (i, (from, device, to)) in [
            (&t.a, None, &t.hub),
            (&t.b, None, &t.hub),
            (&t.hub, Some(&t.a_id), &t.a),
            (&t.hub, Some(&t.b_id), &t.b),
        ]
        .into_iter()
        .enumerate()
        {
            let file = t.dir.join(format!("final-{i}.acosync"));
            export_to(from, device.map(String::as_str), &file);
            deliver(&Carried {
                file,
                to: to.clone(),
            });
        }
        assert_identical(&t);
        for db in [&t.hub, &t.a, &t.b] {
            fields_follow_history(db, seed);
            let c = Connection::open(db).unwrap();
            for call in &w.calls {
                let n: i64 = c
                    .query_row("SELECT count(*) FROM calls WHERE id = ?1", [call], |r| {
                        r.get(0)
                    })
                    .unwrap();
                assert_eq!(n, 1, "seed {seed}: call {call} on {}", db.display());
            }
        }
        imported_changes += value::<i64>(
            &t.hub,
            "SELECT count(*) FROM changes WHERE user_name = 'import'",
        );
        let _ = std::fs::remove_dir_all(&t.dir);
    }
    // The histories did exercise the import's changes.
    assert!(seeds < 8 || imported_changes > 0);
    let _ = std::fs::remove_dir_all(&start.dir);
}

/// A copy of the register `db` as a backup holds it.
fn snapshot(db: &Path, name: &str) -> PathBuf {
    let to = db.with_file_name(name);
    let _ = std::fs::remove_file(&to);
    Connection::open(db)
        .unwrap()
        .execute("VACUUM INTO ?1", [to.to_string_lossy().to_string()])
        .unwrap();
    to
}

/// Puts the backup `from` back in place of `db`.
fn restore(from: &Path, db: &Path) {
    for suffix in ["-wal", "-shm"] {
        let mut name = db.as_os_str().to_owned();
        name.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(name));
    }
    std::fs::copy(from, db).unwrap();
}

fn first_source() -> Vec<Source> {
    let mut rng = fastrand::Rng::with_seed(5);
    (0..PATIENTS)
        .map(|i| Source {
            phone: phone(&mut rng),
            phone2: phone(&mut rng),
            nurse: NURSES[i % NURSES.len()],
            status: "active",
        })
        .collect()
}

fn call_on(db: &Path, patient: &str) -> String {
    log_call(db, patient, CallOutcome::NoAnswer)
}

/// Applies `file` to `to` and returns the refusal, checking nothing changed.
fn refused(to: &Path, file: &Path) -> acodesk::sync::SyncError {
    let before = register_contents(to);
    let err = apply_from(to, file).unwrap_err();
    assert_eq!(register_contents(to), before, "nothing is applied");
    let text = err.to_string();
    assert!(text.contains("restored from an old backup"), "{text}");
    assert!(text.contains("the register was not changed"), "{text}");
    assert_eq!(text.lines().count(), 1, "{text}");
    err
}

fn is_old_copy(err: &acodesk::sync::SyncError, which: acodesk::sync::OldCopy) -> bool {
    matches!(err, acodesk::sync::SyncError::BadBundle {
        problem: acodesk::sync::Problem::OldCopy(w),
        ..
    } if *w == which)
}

#[test]
fn a_laptop_restored_from_an_old_backup_is_refused_both_ways() {
    use acodesk::sync::OldCopy;
    let t = base("sync-old-laptop", &first_source());
    let old = snapshot(&t.a, "A-backup.db");
    call_on(&t.a, "P001");
    send(&t.a, None, &t.hub, &t.dir.join("a1.acosync"));
    call_on(&t.a, "P002");
    send(&t.a, None, &t.hub, &t.dir.join("a2.acosync"));
    send(&t.hub, Some(&t.a_id), &t.a, &t.dir.join("h1.acosync"));
    restore(&old, &t.a);
    // Bundles written within the second of the last one applied are taken as possibly older.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    // Its new work would be numbered as entries the hub already applied: refused.
    call_on(&t.a, "P003");
    let file = t.dir.join("a3.acosync");
    export_to(&t.a, None, &file);
    let err = refused(&t.hub, &file);
    assert!(is_old_copy(&err, OldCopy::SenderDevice), "{err}");
    // And the hub's next bundle acknowledges entries the restored laptop never numbered.
    let file = t.dir.join("h2.acosync");
    export_to(&t.hub, Some(&t.a_id), &file);
    let err = refused(&t.a, &file);
    assert!(is_old_copy(&err, OldCopy::ThisDevice), "{err}");
}

#[test]
fn a_hub_restored_from_an_old_backup_is_refused_both_ways() {
    use acodesk::sync::OldCopy;
    let t = base("sync-old-hub", &first_source());
    let old = snapshot(&t.hub, "hub-backup.db");
    call_on(&t.hub, "P004");
    call_on(&t.a, "P001");
    send(&t.a, None, &t.hub, &t.dir.join("a1.acosync"));
    send(&t.hub, Some(&t.a_id), &t.a, &t.dir.join("h1.acosync"));
    restore(&old, &t.hub);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    // The restored hub has forgotten what it acknowledged to the laptop.
    let file = t.dir.join("h2.acosync");
    export_to(&t.hub, Some(&t.a_id), &file);
    let err = refused(&t.a, &file);
    assert!(is_old_copy(&err, OldCopy::SenderHub), "{err}");
    // The laptop has applied hub entries the restored hub never numbered.
    call_on(&t.a, "P002");
    let file = t.dir.join("a2.acosync");
    export_to(&t.a, None, &file);
    let err = refused(&t.hub, &file);
    assert!(is_old_copy(&err, OldCopy::ThisHub), "{err}");
}

#[test]
fn a_laptop_copied_to_another_is_refused() {
    use acodesk::sync::OldCopy;
    let t = base("sync-copied-laptop", &first_source());
    let copy = snapshot(&t.a, "C.db");
    call_on(&t.a, "P001");
    send(&t.a, None, &t.hub, &t.dir.join("a1.acosync"));
    // The copy numbers its own, different, work as the same entry.
    call_on(&copy, "P002");
    let file = t.dir.join("c1.acosync");
    export_to(&copy, None, &file);
    let err = refused(&t.hub, &file);
    assert!(is_old_copy(&err, OldCopy::SenderDevice), "{err}");
}

#[test]
fn a_re_import_keeps_a_users_change_unless_the_source_changed() {
    let extract = first_source();
    let t = base("sync-reimport", &extract);
    let phone_of =
        |db: &Path| -> String { value(db, "SELECT phone FROM patients WHERE id = 'P001'") };
    let nurse_of =
        |db: &Path| -> String { value(db, "SELECT nurse_id FROM patients WHERE id = 'P002'") };
    let mut hub = Store::open_existing(&t.hub).unwrap();
    set_phone(
        &mut hub,
        "P001",
        WhichPhone::First,
        Some("+7 900 000-00-01"),
        "manager",
    )
    .unwrap();
    assign_patient(&mut hub, "P002", "N03", "manager").unwrap();
    drop(hub);
    // The same (stale) extract again: the manager's changes stay, and nothing is recorded.
    let files = t.dir.join("stale");
    write_extract(&files, &extract);
    let mut hub = Store::open_existing(&t.hub).unwrap();
    import_dir(&mut hub, &files, ImportOptions::default()).unwrap();
    drop(hub);
    assert_eq!(phone_of(&t.hub), "+7 900 000-00-01");
    assert_eq!(nurse_of(&t.hub), "N03");
    let imported = "SELECT count(*) FROM changes WHERE user_name = 'import'";
    assert_eq!(value::<i64>(&t.hub, imported), 0);
    // The source changes the phone: the new value is taken and is in the history, dated now.
    let mut changed = extract.clone();
    changed[1].phone = "+7 900 000-00-02".into();
    let files = t.dir.join("changed");
    write_extract(&files, &changed);
    let mut hub = Store::open_existing(&t.hub).unwrap();
    import_dir(&mut hub, &files, ImportOptions::default()).unwrap();
    drop(hub);
    assert_eq!(phone_of(&t.hub), "+7 900 000-00-02");
    assert_eq!(
        nurse_of(&t.hub),
        "N03",
        "the source did not change the nurse"
    );
    assert_eq!(value::<i64>(&t.hub, imported), 1);
    let old: String = value(
        &t.hub,
        "SELECT old_value FROM changes WHERE user_name = 'import' AND patient_id = 'P001'",
    );
    assert_eq!(old, "+7 900 000-00-01");
    // The same changed extract once more is stale in its turn: a later user change stays.
    let mut hub = Store::open_existing(&t.hub).unwrap();
    set_phone(
        &mut hub,
        "P001",
        WhichPhone::First,
        Some("+7 900 000-00-03"),
        "nurse",
    )
    .unwrap();
    import_dir(&mut hub, &files, ImportOptions::default()).unwrap();
    drop(hub);
    assert_eq!(phone_of(&t.hub), "+7 900 000-00-03");
    assert_eq!(value::<i64>(&t.hub, imported), 1);
}
