//! Crash and power-cut safety: the real binary killed with SIGKILL in the middle of an import, of
//! call saves and of a migration, and two processes writing at once. After every kill the
//! register passes `PRAGMA integrity_check`, holds everything that was acknowledged, and nothing
//! half-applied. (SIGKILL stops the process, not the machine: the page cache still reaches the disk.
//! A power cut is covered by `synchronous=FULL`, which these tests cannot pull the plug on.)
//! And bad files: damaged, foreign or write-protected registers and folders give one sentence and
//! exit code 1, never a panic, never a changed file.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use rusqlite::Connection;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::Mutex;
use std::time::Instant;

/// These tests time kills against the binary's run time: one at a time, so they do not slow each
/// other down unevenly on a small machine.
static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

/// Rows of the tables an import writes.
fn data_counts(db: &Path) -> BTreeMap<String, i64> {
    let c = Connection::open(db).unwrap();
    let mut tables: Vec<&str> = acodesk::store::stats::COUNTED_TABLES.to_vec();
    tables.extend(["enrolments", "claim_month_totals", "programs", "changes"]);
    tables
        .into_iter()
        .map(|t| {
            let n: i64 = c
                .query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))
                .unwrap();
            (t.to_string(), n)
        })
        .collect()
}

fn spawn(db: &Path, args: &[&str]) -> Child {
    common::command()
        .arg("--db")
        .arg(db)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn import_args(files: &Path) -> Vec<&str> {
    vec!["import", "csv", files.to_str().unwrap()]
}

#[test]
fn a_kill_during_an_import_leaves_the_register_as_it_was() {
    let _one = serial();
    let files = common::scratch("crash-import-files");
    common::sample_files(&files, 3000);
    // How long a whole import takes here, on a copy.
    let probe = common::private_copy("crash-import-probe");
    let started = Instant::now();
    let out = spawn(&probe, &import_args(&files))
        .wait_with_output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let full = started.elapsed();
    let imported = data_counts(&probe);

    // Kill at half the probe's time; on a machine busier during the probe than now the import
    // may finish sooner, so try earlier on a fresh copy until a kill lands while it runs.
    let mut landed = None;
    for (attempt, divisor) in [2u32, 4, 8, 16].into_iter().enumerate() {
        let db = common::private_copy(&format!("crash-import-{attempt}"));
        let before = data_counts(&db);
        assert_ne!(before, imported);
        let mut child = spawn(&db, &import_args(&files));
        std::thread::sleep(full / divisor);
        let running = child.try_wait().unwrap().is_none();
        child.kill().unwrap();
        child.wait().unwrap();
        if running {
            common::integrity_ok(&db);
            let after = data_counts(&db);
            assert_eq!(after, before, "killed at 1/{divisor} of {full:?}");
            landed = Some(db);
            break;
        }
    }
    let db = landed.expect("no kill landed while the import ran");
    // And the next import runs to the end.
    let out = spawn(&db, &import_args(&files)).wait_with_output().unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(data_counts(&db), imported);
    common::integrity_ok(&db);
}

fn patients(db: &Path, n: usize) -> Vec<String> {
    let c = Connection::open(db).unwrap();
    let mut stmt = c
        .prepare("SELECT id FROM patients WHERE status = 'active' ORDER BY id LIMIT ?1")
        .unwrap();
    stmt.query_map([n as i64], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect()
}

#[test]
fn every_acknowledged_call_survives_kills_in_the_middle_of_saves() {
    let _one = serial();
    let db = common::private_copy("crash-calls");
    let ids = patients(&db, 60);
    // How long one `acodesk call` takes here.
    let started = Instant::now();
    let out = spawn(&db, &["call", &ids[0], "--outcome", "no_answer"])
        .wait_with_output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let one = started.elapsed();
    let mut acknowledged = vec![String::from_utf8(out.stdout).unwrap().trim().to_string()];
    let mut killed = Vec::new();
    let calls_before: i64 = Connection::open(&db)
        .unwrap()
        .query_row("SELECT count(*) FROM calls", [], |r| r.get(0))
        .unwrap();
    // A background thread saves calls one process after another; every third is killed at a
    // random moment of its run. A killed call logs "moved": its consequence (the status) must
    // come with it or not at all.
    let saver = {
        let db = db.clone();
        let ids = ids.clone();
        std::thread::spawn(move || {
            let mut rng = fastrand::Rng::with_seed(7);
            let mut acked = Vec::new();
            let mut killed = Vec::new();
            for (i, id) in ids.iter().enumerate().skip(1) {
                if i % 3 == 0 {
                    let mut child = spawn(&db, &["call", id, "--outcome", "moved"]);
                    let delay = one.mul_f64(rng.f64() * 1.2);
                    std::thread::sleep(delay);
                    child.kill().unwrap();
                    let out = child.wait_with_output().unwrap();
                    let printed = String::from_utf8(out.stdout).unwrap();
                    if !printed.trim().is_empty() {
                        acked.push(printed.trim().to_string());
                    }
                    killed.push(id.clone());
                } else {
                    let out = spawn(&db, &["call", id, "--outcome", "no_answer"])
                        .wait_with_output()
                        .unwrap();
                    assert!(out.status.success(), "{out:?}");
                    acked.push(String::from_utf8(out.stdout).unwrap().trim().to_string());
                }
            }
            (acked, killed)
        })
    };
    let (acked, dead) = saver.join().unwrap();
    acknowledged.extend(acked);
    killed.extend(dead);
    common::integrity_ok(&db);
    let c = Connection::open(&db).unwrap();
    for id in &acknowledged {
        let found: i64 = c
            .query_row("SELECT count(*) FROM calls WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(found, 1, "acknowledged call {id} lost");
    }
    let calls_after: i64 = c
        .query_row("SELECT count(*) FROM calls", [], |r| r.get(0))
        .unwrap();
    // Calls since the count: at least those acknowledged after it, at most one per process.
    let new = (calls_after - calls_before) as usize;
    assert!(
        new + 1 >= acknowledged.len() && new < ids.len(),
        "{new} new calls, {} acknowledged, {} killed",
        acknowledged.len(),
        killed.len()
    );
    let mut landed = 0;
    for id in &killed {
        let call: i64 = c
            .query_row(
                "SELECT count(*) FROM calls WHERE patient_id = ?1 AND outcome = 'moved'",
                [id],
                |r| r.get(0),
            )
            .unwrap();
        let status: String = c
            .query_row("SELECT status FROM patients WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(
            call == 1,
            status == "moved",
            "{id}: call and status together"
        );
        landed += call;
    }
    eprintln!(
        "{} calls acknowledged; of {} killed saves, {landed} had committed",
        acknowledged.len(),
        killed.len()
    );
}

#[test]
fn a_kill_during_a_migration_leaves_an_empty_file_or_a_whole_register() {
    let _one = serial();
    let dir = common::scratch("crash-migration");
    let latest = acodesk::store::schema::MIGRATIONS.len() as i64;
    // `stats` on an empty file runs every migration (then reports an empty register).
    let fresh = |i: usize| {
        let path = dir.join(format!("r{i}.db"));
        std::fs::File::create(&path).unwrap();
        path
    };
    let started = Instant::now();
    let out = spawn(&fresh(0), &["stats"]).wait_with_output().unwrap();
    assert!(out.status.success(), "{out:?}");
    let whole = started.elapsed();
    let (mut empty, mut migrated) = (0, 0);
    for i in 1..=16 {
        let path = fresh(i);
        let mut child = spawn(&path, &["stats"]);
        std::thread::sleep(whole.mul_f64(i as f64 / 16.0));
        let _ = child.kill();
        child.wait().unwrap();
        let c = Connection::open(&path).unwrap();
        let version: i64 = c
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .unwrap();
        let objects: i64 = c
            .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
            .unwrap();
        if version == 0 {
            assert_eq!(objects, 0, "run {i}: tables without a version");
            empty += 1;
        } else if version < latest {
            // Each migration step is its own transaction: killed between two steps, the next
            // start applies the rest.
            let out = spawn(&path, &["stats"]).wait_with_output().unwrap();
            assert!(
                out.status.success(),
                "run {i}: resuming from {version}: {out:?}"
            );
            let now: i64 = c
                .query_row("PRAGMA user_version", [], |r| r.get(0))
                .unwrap();
            assert_eq!(now, latest, "run {i}: resumed from {version}");
            migrated += 1;
        } else {
            assert_eq!(version, latest, "run {i}");
            let device: i64 = c
                .query_row(
                    "SELECT count(*) FROM meta WHERE key = 'device_id'",
                    [],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(device, 1, "run {i}: the version came without its data");
            migrated += 1;
        }
        drop(c);
        common::integrity_ok(&path);
        // Whatever the kill left, the next run opens it.
        let out = spawn(&path, &["stats"]).wait_with_output().unwrap();
        assert!(out.status.success(), "run {i}: {out:?}");
    }
    eprintln!("kills during migration: {empty} left an empty file, {migrated} a whole register");
}

#[test]
fn a_database_that_cannot_be_migrated_is_refused_unchanged() {
    let _one = serial();
    let dir = common::scratch("migration-conflict");
    let path = dir.join("other.db");
    Connection::open(&path)
        .unwrap()
        .execute_batch("CREATE TABLE patients (who TEXT); INSERT INTO patients VALUES ('someone');")
        .unwrap();
    let before = std::fs::read(&path).unwrap();
    let files = dir.join("files");
    common::sample_files(&files, 10);
    for args in [&["stats"][..], &import_args(&files)[..]] {
        let out = spawn(&path, args).wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{out:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(err.contains("is not an acodesk register"), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), before, "{args:?}");
    }
}

#[test]
fn two_call_loops_and_an_import_at_once_never_see_a_locked_database() {
    let _one = serial();
    let db = common::private_copy("two-writers");
    let files = common::scratch("two-writers-files");
    common::sample_files(&files, 1000);
    let ids = patients(&db, 40);
    let import = spawn(&db, &import_args(&files));
    let loops: Vec<_> = [0usize, 1]
        .into_iter()
        .map(|k| {
            let db = db.clone();
            let mine: Vec<String> = ids.iter().skip(k).step_by(2).cloned().collect();
            std::thread::spawn(move || {
                mine.iter()
                    .map(|id| {
                        let out = spawn(&db, &["call", id, "--outcome", "call_back"])
                            .wait_with_output()
                            .unwrap();
                        let err = String::from_utf8_lossy(&out.stderr).to_string();
                        assert!(out.status.success(), "{id}: {err}");
                        assert!(!err.contains("locked"), "{err}");
                        String::from_utf8(out.stdout).unwrap().trim().to_string()
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let acked: Vec<String> = loops.into_iter().flat_map(|h| h.join().unwrap()).collect();
    let out = import.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(acked.len(), ids.len());
    common::integrity_ok(&db);
    let c = Connection::open(&db).unwrap();
    for id in &acked {
        let n: i64 = c
            .query_row("SELECT count(*) FROM calls WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(n, 1, "call {id}");
    }
    let patients: i64 = c
        .query_row("SELECT count(*) FROM patients", [], |r| r.get(0))
        .unwrap();
    assert_eq!(patients, 1000, "the import went through as well");
}

fn run(db: &Path, args: &[&str]) -> std::process::Output {
    spawn(db, args).wait_with_output().unwrap()
}

fn assert_untouched(db: &Path, args: &[&str], expect: &str) {
    let before = std::fs::read(db).unwrap();
    let err = common::one_sentence(&run(db, args));
    assert!(err.contains(expect), "{args:?}: {err}");
    assert_eq!(
        std::fs::read(db).unwrap(),
        before,
        "{args:?} changed the file"
    );
}

#[test]
fn bad_registers_give_one_sentence_and_stay_as_they_were() {
    let _one = serial();
    let dir = common::scratch("bad-files");
    let demo = common::private_copy("bad-files-demo");
    let bytes = std::fs::read(&demo).unwrap();
    let truncated = dir.join("truncated.db");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    let text = dir.join("text.db");
    std::fs::write(
        &text,
        "Иванов Иван, +7 900 000-00-00 — a note, not a database at all",
    )
    .unwrap();
    for db in [&truncated, &text] {
        for args in [
            &["stats"][..],
            &["patient", "P000001"][..],
            &["call", "P000001", "--outcome", "no_answer"][..],
            &["backup", dir.join("never.backup").to_str().unwrap()][..],
        ] {
            assert_untouched(db, args, "is not an acodesk register");
        }
        assert!(!dir.join("never.backup").exists());
    }
}

#[test]
fn read_only_places_give_one_sentence_and_stay_as_they_were() {
    let _one = serial();
    use std::os::unix::fs::PermissionsExt;
    let dir = common::scratch("read-only");
    let files = dir.join("files");
    common::sample_files(&files, 20);
    // A folder the register must be created in, but which is read-only.
    let locked = dir.join("locked");
    std::fs::create_dir_all(&locked).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o500)).unwrap();
    if std::fs::write(locked.join("probe"), b"x").is_ok() {
        eprintln!("skipped: running with privileges that ignore file modes");
        return;
    }
    let db = locked.join("register.db");
    let err = common::one_sentence(&run(&db, &["import", "csv", files.to_str().unwrap()]));
    assert!(err.contains("Permission denied"), "{err}");
    assert_eq!(std::fs::read_dir(&locked).unwrap().count(), 0);
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o700)).unwrap();

    // A read-only register and a write command.
    let db = common::private_copy("read-only-register");
    let patient = patients(&db, 1).remove(0);
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o400)).unwrap();
    if std::fs::OpenOptions::new().write(true).open(&db).is_ok() {
        eprintln!("skipped: running with privileges that ignore file modes");
        return;
    }
    assert_untouched(
        &db,
        &["call", &patient, "--outcome", "no_answer"],
        "readonly",
    );
    assert_untouched(
        &db,
        &["import", "csv", files.to_str().unwrap()],
        "opening the file for writing failed",
    );
}
