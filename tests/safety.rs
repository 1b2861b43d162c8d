//! Trustworthy with patient data: the audit trail, backup and restore, owner-only files, and one
//! clear sentence (never a panic, never a changed file) for every bad file.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use acodesk::config::Config;
use acodesk::i18n::{I18n, Lang};
use acodesk::store::Store;
use acodesk::store::backup::{backup_to, with_suffix};
use acodesk::tui::context::AppContext;
use acodesk::tui::data::{Loaded, Request, handle};
use acodesk::tui::keymap::Keymap;
use acodesk::tui::theme::Theme;
use rusqlite::Connection;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

fn run(db: &Path, args: &[&str]) -> Output {
    common::command()
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap()
}

fn ok(db: &Path, args: &[&str]) -> String {
    let out = run(db, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn audit(db: &Path, extra: &[&str]) -> Vec<Value> {
    let mut args = vec!["audit", "--format", "json"];
    args.extend_from_slice(extra);
    serde_json::from_str::<Value>(&ok(db, &args))
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn first_patients(db: &Path, n: usize) -> Vec<String> {
    let c = Connection::open(db).unwrap();
    let mut stmt = c
        .prepare("SELECT id FROM patients WHERE status = 'active' ORDER BY id LIMIT ?1")
        .unwrap();
    stmt.query_map([n as i64], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect()
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// Every row of every table, sorted (the restore entry of the audit trail left out).
fn dump(db: &Path) -> BTreeMap<String, Vec<String>> {
    let c = Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let tables: Vec<String> = c
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    let mut out = BTreeMap::new();
    for t in tables {
        let sql = if t == "audit" {
            "SELECT * FROM audit WHERE action <> 'restore'".to_string()
        } else {
            format!("SELECT * FROM \"{t}\"")
        };
        let mut stmt = c.prepare(&sql).unwrap();
        let n = stmt.column_count();
        let mut rows: Vec<String> = stmt
            .query_map([], |r| {
                let cells: Vec<rusqlite::types::Value> =
                    (0..n).map(|i| r.get(i)).collect::<Result<_, _>>()?;
                Ok(format!("{cells:?}"))
            })
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        rows.sort();
        out.insert(t, rows);
    }
    out
}

fn manager_config(dir: &Path) -> PathBuf {
    let path = dir.join("manager.toml");
    std::fs::write(&path, "user_name = \"Главная М. П.\"\nrole = \"manager\"\n").unwrap();
    path
}

#[test]
fn the_audit_trail_names_who_viewed_logged_assigned_and_imported() {
    let dir = common::scratch("audit-trail");
    let files = dir.join("files");
    common::sample_files(&files, 120);
    let db = dir.join("register.db");
    ok(&db, &["import", "csv", files.to_str().unwrap()]);
    let p = first_patients(&db, 2);
    ok(&db, &["patient", &p[0], "--format", "json"]);
    let first = ok(
        &db,
        &["call", &p[0], "--outcome", "refused", "--note", "тайна"],
    );
    let first = first.trim();
    ok(
        &db,
        &["call", &p[0], "--outcome", "no_answer", "--corrects", first],
    );
    let nurse: String = Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT id FROM staff WHERE role = 'nurse'
             AND id IS NOT (SELECT nurse_id FROM patients WHERE id = ?1) ORDER BY id LIMIT 1",
            [&p[0]],
            |r| r.get(0),
        )
        .unwrap();
    let out = common::command()
        .env("ACODESK_CONFIG", manager_config(&dir))
        .arg("--db")
        .arg(&db)
        .args(["assign", &p[0], "--nurse", &nurse])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    // The dashboard's card request goes through the same door.
    let mut store = Store::open_existing(&db).unwrap();
    let ctx = AppContext {
        db_path: db.clone(),
        i18n: I18n::new(Lang::En),
        config: Config {
            user_name: Some("Test Nurse".into()),
            ..Config::default()
        },
        keymap: Keymap::defaults(),
        theme: Theme::monochrome(),
        clock: common::clock().into(),
        pilot: acodesk::store::views::budget::pilot_info(store.conn()).unwrap(),
        device: store.device_id(),
    };
    let loaded = handle(&mut store, &ctx, Request::Card(p[1].clone()));
    assert!(matches!(loaded, Loaded::Card(Some(_))), "{loaded:?}");
    let loaded = handle(&mut store, &ctx, Request::Card("P999999".into()));
    assert!(matches!(loaded, Loaded::Card(None)), "{loaded:?}");

    let all = audit(&db, &[]);
    let device = store.device_id();
    let find = |action: &str, patient: Option<&str>| -> Vec<&Value> {
        all.iter()
            .filter(|e| e["action"] == action && e["patient_id"].as_str() == patient)
            .collect()
    };
    let import = find("import", None);
    assert_eq!(import.len(), 1, "{all:#?}");
    assert_eq!(import[0]["user"], "test-nurse");
    assert!(
        import[0]["subject"]
            .as_str()
            .unwrap()
            .contains(files.to_str().unwrap())
    );
    assert!(
        import[0]["detail"]
            .as_str()
            .unwrap()
            .contains("patients 120 new"),
        "{}",
        import[0]["detail"]
    );
    let viewed = find("view", Some(&p[0]));
    assert_eq!(viewed.len(), 1);
    assert_eq!(viewed[0]["user"], "test-nurse");
    assert_eq!(find("view", Some(&p[1]))[0]["user"], "Test Nurse");
    assert!(find("view", Some("P999999")).is_empty());
    assert_eq!(find("call", Some(&p[0]))[0]["subject"], first);
    let fix = find("call-correction", Some(&p[0]));
    assert!(
        fix[0]["detail"].as_str().unwrap().contains(first),
        "{fix:?}"
    );
    let assigned = find("assign", Some(&p[0]));
    assert_eq!(assigned[0]["user"], "Главная М. П.");
    assert!(
        assigned[0]["detail"]
            .as_str()
            .unwrap()
            .ends_with(&format!("-> {nurse}"))
    );
    for e in &all {
        assert_eq!(e["device"], device.as_str(), "{e}");
        assert!(e["at"].as_str().unwrap().ends_with('Z'), "UTC: {e}");
        assert!(!e.to_string().contains("тайна"), "no call notes: {e}");
    }
    let times: Vec<&str> = all.iter().map(|e| e["at"].as_str().unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "oldest first");

    // Filters.
    let mine = audit(&db, &["--patient", &p[0]]);
    assert_eq!(
        mine.len(),
        4,
        "view, call, correction, assignment: {mine:#?}"
    );
    let boss = audit(&db, &["--user", "Главная М. П."]);
    assert_eq!(boss.len(), 1);
    let csv = ok(&db, &["audit", "--format", "csv"]);
    assert!(csv.starts_with("time (UTC),user,device,action,patient,subject,detail\n"));
    assert_eq!(csv.lines().count(), all.len() + 1);
    // Append-only.
    assert!(store.conn().execute("DELETE FROM audit", []).is_err());
    assert!(
        store
            .conn()
            .execute("UPDATE audit SET user_name = 'nobody'", [])
            .is_err()
    );
}

#[test]
fn backup_then_restore_gives_back_exactly_the_backup() {
    let db = common::private_copy("round-trip");
    let dir = db.parent().unwrap().to_path_buf();
    let p = first_patients(&db, 5);
    for id in &p[..3] {
        ok(
            &db,
            &["call", id, "--outcome", "call_back", "--note", "до копии"],
        );
    }
    let backup = dir.join("backup.acodesk");
    let said = ok(&db, &["backup", backup.to_str().unwrap()]);
    assert!(said.contains("Backup written to"), "{said}");
    #[cfg(unix)]
    assert_eq!(mode(&backup), 0o600);
    assert!(!with_suffix(&backup, "-wal").exists(), "a single file");
    let at_backup = dump(&backup);
    for id in &p[3..] {
        ok(
            &db,
            &["call", id, "--outcome", "moved", "--note", "после копии"],
        );
    }
    assert_ne!(dump(&db)["calls"], at_backup["calls"]);
    let before_restore = dump(&db);

    let said = ok(&db, &["restore", backup.to_str().unwrap()]);
    assert!(said.contains(".before-restore"), "{said}");
    assert_eq!(dump(&db), at_backup, "every table, row for row");
    #[cfg(unix)]
    assert_eq!(mode(&db), 0o600);
    // Nothing is lost: the replaced register is kept whole.
    let kept = with_suffix(&db, ".before-restore");
    assert_eq!(dump(&kept), before_restore);
    assert!(!with_suffix(&db, ".restoring").exists());
    // The restore is on record in the restored register; the backup in the register it was taken
    // from (after the copy was made), which is now the kept one.
    let trail = audit(&db, &[]);
    let restore = trail.iter().find(|e| e["action"] == "restore").unwrap();
    assert!(
        restore["detail"]
            .as_str()
            .unwrap()
            .contains(".before-restore")
    );
    assert!(!trail.iter().any(|e| e["action"] == "backup"));
    let kept_trail = audit(&with_suffix(&db, ".before-restore"), &[]);
    let b = kept_trail.iter().find(|e| e["action"] == "backup").unwrap();
    assert!(b["subject"].as_str().unwrap().ends_with("backup.acodesk"));
    // A second restore keeps the first kept register too.
    ok(&db, &["restore", backup.to_str().unwrap()]);
    assert!(with_suffix(&db, ".before-restore-2").exists());
    assert_eq!(dump(&kept), before_restore);
    ok(&db, &["stats"]);
}

#[test]
fn a_backup_is_consistent_while_another_connection_writes_and_reads() {
    let db = common::private_copy("backup-live");
    let dir = db.parent().unwrap().to_path_buf();
    let patients = first_patients(&db, 50);
    // Registers are in WAL mode from their first open on (the copy is not yet).
    drop(Store::open_existing(&db).unwrap());
    let count = |path: &Path| -> i64 {
        let c = Connection::open(path).unwrap();
        c.busy_timeout(std::time::Duration::from_secs(10)).unwrap();
        c.query_row("SELECT count(*) FROM calls", [], |r| r.get(0))
            .unwrap()
    };
    // A reader in the middle of a read transaction, as the dashboard's worker can be.
    let reader = Connection::open(&db).unwrap();
    reader
        .execute_batch("BEGIN; SELECT count(*) FROM patients;")
        .unwrap();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let (db, stop, patients) = (db.clone(), stop.clone(), patients.clone());
        std::thread::spawn(move || {
            let mut store = Store::open_existing(&db).unwrap();
            let mut written = 0usize;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) || written < 5 {
                let call = acodesk::store::calls::NewCall {
                    patient_id: patients[written % patients.len()].clone(),
                    outcome: acodesk::domain::types::CallOutcome::NoAnswer,
                    next_date: None,
                    note: String::new(),
                    user: "writer".into(),
                    supersedes: None,
                };
                acodesk::store::calls::append(&mut store, &call).unwrap();
                written += 1;
            }
            written
        })
    };
    std::thread::sleep(std::time::Duration::from_millis(100));
    let before = count(&db);
    let store = Store::open_existing(&db).unwrap();
    let target = dir.join("live.backup");
    let report = backup_to(&store, &target, "tester").unwrap();
    let after = count(&db);
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let written = writer.join().unwrap();
    reader.execute_batch("COMMIT").unwrap();
    assert!(written >= 5);
    let copy = Connection::open(&target).unwrap();
    let check: String = copy
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    let in_backup = count(&target);
    assert!(
        before <= in_backup && in_backup <= after,
        "{before} <= {in_backup} <= {after}"
    );
    assert!(report.patients >= 400);
    // The CLI does the same while this process keeps its connection open.
    let cli_target = dir.join("cli.backup");
    ok(&db, &["backup", cli_target.to_str().unwrap()]);
    let out = run(&db, &["backup", cli_target.to_str().unwrap()]);
    assert!(common::one_sentence(&out).contains("already exists"));
}

#[test]
fn restore_refuses_while_the_register_is_open_or_being_written() {
    let db = common::private_copy("restore-busy");
    let backup = db.parent().unwrap().join("b.db");
    ok(&db, &["backup", backup.to_str().unwrap()]);
    ok(
        &db,
        &["call", &first_patients(&db, 1)[0], "--outcome", "refused"],
    );
    let content = dump(&db);
    {
        // The dashboard's worker holds a connection for as long as the dashboard is open.
        let _dashboard = Store::open_existing(&db).unwrap();
        let err = common::one_sentence(&run(&db, &["restore", backup.to_str().unwrap()]));
        assert!(err.contains("is open in another acodesk"), "{err}");
    }
    {
        let writer = Connection::open(&db).unwrap();
        writer.execute_batch("BEGIN IMMEDIATE").unwrap();
        let err = common::one_sentence(&run(&db, &["restore", backup.to_str().unwrap()]));
        assert!(err.contains("is open in another acodesk"), "{err}");
        writer.execute_batch("ROLLBACK").unwrap();
    }
    assert_eq!(dump(&db), content, "nothing changed");
    assert!(!with_suffix(&db, ".before-restore").exists());
    assert!(!with_suffix(&db, ".restoring").exists());
    ok(&db, &["restore", backup.to_str().unwrap()]);
}

#[test]
fn restore_refuses_what_is_not_a_good_register_and_changes_nothing() {
    let db = common::private_copy("restore-bad");
    let dir = db.parent().unwrap().to_path_buf();
    let good = dir.join("good.backup");
    ok(&db, &["backup", good.to_str().unwrap()]);
    let bytes = std::fs::read(&good).unwrap();
    let truncated = dir.join("truncated.backup");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    let text = dir.join("notes.txt");
    std::fs::write(
        &text,
        "not a register, just notes long enough to fill a header......",
    )
    .unwrap();
    let empty_sqlite = dir.join("empty.sqlite");
    Connection::open(&empty_sqlite)
        .unwrap()
        .execute_batch("CREATE TABLE t(x);")
        .unwrap();
    let newer = dir.join("newer.backup");
    std::fs::write(&newer, &bytes).unwrap();
    Connection::open(&newer)
        .unwrap()
        .execute_batch("PRAGMA user_version = 999;")
        .unwrap();
    // A backup whose pages are damaged inside (the header intact): the integrity check finds it.
    let damaged = dir.join("damaged.backup");
    let mut broken = bytes.clone();
    let mid = broken.len() / 2;
    broken[mid..mid + 4096].fill(0x5a);
    std::fs::write(&damaged, &broken).unwrap();
    let register = std::fs::read(&db).unwrap();
    for (file, expect) in [
        (&truncated, "not an acodesk register"),
        (&text, "not an acodesk register"),
        (&empty_sqlite, "not an acodesk register"),
        (&newer, "newer version of acodesk"),
        (&damaged, "integrity check"),
        (&dir.join("missing.backup"), "does not exist"),
        (&db, "is the register itself"),
    ] {
        let err = common::one_sentence(&run(&db, &["restore", file.to_str().unwrap()]));
        assert!(err.contains(expect), "{}: {err}", file.display());
        assert_eq!(std::fs::read(&db).unwrap(), register, "{}", file.display());
        assert!(!with_suffix(&db, ".restoring").exists());
        assert!(!with_suffix(&db, ".before-restore").exists());
    }
    // Restoring onto a new machine, where no register exists yet.
    let fresh = dir.join("new-laptop").join("register.db");
    let said = ok(&fresh, &["restore", good.to_str().unwrap()]);
    assert!(said.contains("now holds the backup"), "{said}");
    ok(&fresh, &["stats"]);
}

#[cfg(unix)]
#[test]
fn new_registers_and_their_journals_are_owner_only() {
    let dir = common::scratch("owner-only");
    let files = dir.join("files");
    common::sample_files(&files, 30);
    let db = dir.join("register.db");
    ok(&db, &["import", "csv", files.to_str().unwrap()]);
    assert_eq!(mode(&db), 0o600);
    // While a connection is open the WAL and shared-memory files exist: same mode as the register.
    let store = Store::open_existing(&db).unwrap();
    store.set_meta("probe", "1").unwrap();
    for side in ["-wal", "-shm"] {
        let path = with_suffix(&db, side);
        if path.exists() {
            assert_eq!(mode(&path), 0o600, "{side}");
        }
    }
}

#[test]
fn the_log_holds_no_names_phones_or_notes() {
    let dir = common::scratch("logs");
    let db = common::private_copy("logs-register");
    let p = first_patients(&db, 1).remove(0);
    let (family, given, phone): (String, String, Option<String>) = Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT family_name, given_name, phone FROM patients WHERE id = ?1",
            [&p],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    let note = "Секретная заметка о здоровье";
    let backup = dir.join("b.db");
    let b = backup.to_str().unwrap();
    for args in [
        &["patient", p.as_str()][..],
        &["call", p.as_str(), "--outcome", "call_back", "--note", note][..],
        &["call", "P404", "--outcome", "no_answer", "--note", note][..],
        &["worklist", "--format", "csv"][..],
        &["audit"][..],
        &["backup", b][..],
        &["restore", b][..],
    ] {
        common::command()
            .env("XDG_DATA_HOME", dir.join("data"))
            .env("ACODESK_LOG", "debug")
            .arg("--db")
            .arg(&db)
            .args(args)
            .output()
            .unwrap();
    }
    let logs = dir.join("data").join("acodesk").join("logs");
    let mut text = String::new();
    for entry in std::fs::read_dir(&logs).unwrap() {
        text.push_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap());
    }
    assert!(text.contains("call logged"), "the log was written: {text}");
    for secret in [family.as_str(), given.as_str(), note] {
        assert!(!text.contains(secret), "{secret} in the log");
    }
    if let Some(phone) = phone {
        assert!(!text.contains(&phone), "a phone in the log");
    }
}

#[test]
fn a_reader_that_stops_reading_ends_the_command_quietly_not_with_a_panic() {
    // `acodesk sample … | head -1`: its lines meet a closed pipe. The pipe is closed right after
    // the start, long before the sample (thousands of rows in ten files) is written and listed.
    let dir = tempfile::tempdir().unwrap();
    let mut child = common::command()
        .args(["sample", "--patients", "300", "--out"])
        .arg(dir.path().join("sample"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(out.status.success(), "{stderr}");
    assert!(dir.path().join("sample/patients.csv").is_file());
}
