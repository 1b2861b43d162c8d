//! Offline sync between a hub and two devices: convergence after exchanges in every order, the
//! conflict rules, bundles applied twice, out of order, truncated or tampered, a kill during apply,
//! the bundle's size, the CLI, and the exchange over a (fake) SSH channel.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "sync/header.rs"]
mod header;
#[path = "sync/helpers.rs"]
mod helpers;
#[path = "sync/ssh.rs"]
mod ssh;

use acodesk::domain::types::CallOutcome;
use acodesk::store::Store;
use acodesk::store::phones::{WhichPhone, set_phone};
use acodesk::sync::{Problem, SyncError, bundle, status};
use helpers::*;
use rusqlite::Connection;
use std::path::Path;

/// The hub's and the devices' work while apart, done once; each order of exchanges starts from a
/// copy of it.
struct Apart {
    trio: Trio,
    calls: Vec<String>,
    patient: String,
    a_phone: &'static str,
    b_phone: &'static str,
    lab_patient: String,
    imported_phone_patient: String,
    died: String,
}

fn apart() -> Apart {
    let trio = trio("sync-apart");
    let ps = patients(&trio.hub, 6);
    let p = ps[0].clone();
    let (a_phone, b_phone) = ("+7 900 111-11-11", "+7 900 222-22-22");
    let mut calls = vec![
        log_call(&trio.a, &ps[1], CallOutcome::NoAnswer),
        log_call(&trio.a, &p, CallOutcome::CallBackLater),
    ];
    let mut a = Store::open_existing(&trio.a).unwrap();
    set_phone(&mut a, &p, WhichPhone::First, Some(a_phone), "nurse A").unwrap();
    drop(a);
    // B changes the same number later: by the rule, B's number wins everywhere.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    calls.push(log_call(&trio.b, &ps[2], CallOutcome::AgreedToVisit));
    calls.push(log_call(&trio.b, &p, CallOutcome::NoAnswer));
    calls.push(log_call(&trio.b, &ps[5], CallOutcome::Died));
    let mut b = Store::open_existing(&trio.b).unwrap();
    set_phone(&mut b, &p, WhichPhone::First, Some(b_phone), "nurse B").unwrap();
    drop(b);
    // The hub imports a discharge, a lab result and a claim, and a new second number.
    // (Raw SQL standing for an import: the same capture an import's transaction runs.)
    let hub = Connection::open(&trio.hub).unwrap();
    let import = format!(
        "INSERT INTO encounters (id, patient_id, class, start_at, end_at, planned, disposition, cost_minor)
           VALUES ('E-SYNC-1', '{lab}', 'inpatient', '2026-11-10T08:00:00', '2026-11-15T12:00:00', 0, 'home', 4500000);
         INSERT INTO observations (id, patient_id, kind, loinc, value, unit, date)
           VALUES ('O-SYNC-1', '{lab}', 'hba1c', '4548-4', 9.4, '%', '2026-11-16');
         INSERT INTO claim_lines (id, patient_id, service_date, paid_minor, category, encounter_id)
           VALUES ('C-SYNC-1', '{lab}', '2026-11-15', 4500000, 'inpatient', 'E-SYNC-1');
         UPDATE patients SET phone2 = '+7 3452 00-00-00' WHERE id = '{other}';",
        lab = ps[3],
        other = ps[4]
    );
    acodesk::store::hub_changes::write_captured(&hub, |tx| {
        tx.execute_batch(&import)?;
        // An import writes the folded search text with the phones.
        acodesk::store::phones::refresh_search_text(tx, &ps[4])
    })
    .unwrap();
    Apart {
        trio,
        calls,
        patient: p,
        a_phone,
        b_phone,
        lab_patient: ps[3].clone(),
        imported_phone_patient: ps[4].clone(),
        died: ps[5].clone(),
    }
}

#[derive(Clone, Copy, Debug)]
enum Step {
    AToHub,
    BToHub,
    HubToA,
    HubToB,
}

fn run(t: &Trio, step: Step, n: usize) {
    let file = t.dir.join(format!("bundle-{n}.acosync"));
    match step {
        Step::AToHub => send(&t.a, None, &t.hub, &file),
        Step::BToHub => send(&t.b, None, &t.hub, &file),
        Step::HubToA => send(&t.hub, Some(&t.a_id), &t.a, &file),
        Step::HubToB => send(&t.hub, Some(&t.b_id), &t.b, &file),
    };
}

fn permutations(items: &[Step]) -> Vec<Vec<Step>> {
    if items.len() <= 1 {
        return vec![items.to_vec()];
    }
    let mut all = Vec::new();
    for i in 0..items.len() {
        let mut rest = items.to_vec();
        let first = rest.remove(i);
        for mut p in permutations(&rest) {
            p.insert(0, first);
            all.push(p);
        }
    }
    all
}

#[test]
fn three_registers_agree_after_exchanges_in_every_order() {
    let apart = apart();
    let orders = permutations(&[Step::AToHub, Step::BToHub, Step::HubToA, Step::HubToB]);
    assert_eq!(orders.len(), 24);
    for (i, order) in orders.iter().enumerate() {
        let t = copy_trio(&apart.trio, &format!("sync-order-{i}"));
        // The order under test, then one full round so everything has reached everyone.
        let round = [Step::AToHub, Step::BToHub, Step::HubToA, Step::HubToB];
        for (n, step) in order.iter().chain(&round).enumerate() {
            run(&t, *step, n);
        }
        assert_identical(&t);
        for db in [&t.hub, &t.a, &t.b] {
            for call in &apart.calls {
                let n: i64 = value(
                    db,
                    &format!("SELECT count(*) FROM calls WHERE id = '{call}'"),
                );
                assert_eq!(n, 1, "order {order:?}: call {call} in {}", db.display());
            }
            let phone: String = value(
                db,
                &format!("SELECT phone FROM patients WHERE id = '{}'", apart.patient),
            );
            assert_eq!(phone, apart.b_phone, "order {order:?}: {}", db.display());
            let kept: i64 = value(
                db,
                &format!(
                    "SELECT count(*) FROM changes WHERE patient_id = '{}' AND field = 'phone' AND new_value = '{}'",
                    apart.patient, apart.a_phone
                ),
            );
            assert_eq!(kept, 1, "the losing number stays in the history");
            let status: String = value(
                db,
                &format!("SELECT status FROM patients WHERE id = '{}'", apart.died),
            );
            assert_eq!(status, "dead");
            let lab: i64 = value(
                db,
                &format!(
                    "SELECT count(*) FROM observations WHERE id = 'O-SYNC-1' AND patient_id = '{}'",
                    apart.lab_patient
                ),
            );
            assert_eq!(lab, 1);
            let imported: i64 = value(
                db,
                &format!(
                    "SELECT count(*) FROM changes WHERE patient_id = '{}' AND field = 'phone2' AND user_name = 'import'",
                    apart.imported_phone_patient
                ),
            );
            assert_eq!(imported, 1, "the import's new number is in the history");
        }
        // Nothing is left to send once everyone has everything.
        for db in [&t.a, &t.b] {
            let s = status::status(Store::open_existing(db).unwrap().conn())
                .unwrap()
                .unwrap();
            assert_eq!(s.unsent, 0, "{}", db.display());
            assert!(s.last_sync.is_some());
        }
    }
}

#[test]
fn a_bundle_applied_twice_out_of_order_or_after_a_newer_one_changes_nothing() {
    let t = trio("sync-replay");
    let ps = patients(&t.a, 3);
    log_call(&t.a, &ps[0], CallOutcome::NoAnswer);
    let first = t.dir.join("first.acosync");
    export_to(&t.a, None, &first);
    log_call(&t.a, &ps[1], CallOutcome::NoAnswer);
    let second = t.dir.join("second.acosync");
    let b2 = export_to(&t.a, None, &second);
    assert_eq!(
        (b2.header.first_seq, b2.header.last_seq),
        (1, 2),
        "unacknowledged entries travel again"
    );
    let applied = apply_from(&t.hub, &second).unwrap();
    assert_eq!((applied.entries, applied.skipped), (2, 0));
    let after_newer = register_contents(&t.hub);
    // The older one after the newer, and the newer again: already applied, nothing changes.
    for file in [&first, &second] {
        let again = apply_from(&t.hub, file).unwrap();
        assert_eq!(again.entries, 0);
        assert!(again.skipped > 0);
        assert_eq!(register_contents(&t.hub), after_newer);
    }
    // A bundle that starts past the next expected entry is refused: the sender was told entries
    // were applied that this register does not hold, so this register went back (a restore).
    log_call(&t.a, &ps[2], CallOutcome::NoAnswer);
    export_to(&t.a, None, &t.dir.join("third.acosync"));
    log_call(&t.a, &ps[2], CallOutcome::CallBackLater);
    let mut store = Store::open_existing(&t.a).unwrap();
    let (mut b3, _) = acodesk::sync::export::export(&mut store, None).unwrap();
    drop(store);
    b3.entries.retain(|e| e.seq > 3);
    b3.header.first_seq = 4;
    b3.header.entries = b3.entries.len() as u64;
    assert!(!b3.entries.is_empty());
    let gap = t.dir.join("gap.acosync");
    std::fs::write(&gap, sealed(&t.a, &b3)).unwrap();
    let err = apply_from(&t.hub, &gap).unwrap_err();
    assert!(
        matches!(
            err,
            SyncError::BadBundle {
                problem: Problem::OldCopy(acodesk::sync::OldCopy::ThisHub),
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(register_contents(&t.hub), after_newer);
    // A bundle meant for another register is refused too.
    let for_b = t.dir.join("for-b.acosync");
    export_to(&t.hub, Some(&t.b_id), &for_b);
    let err = apply_from(&t.a, &for_b).unwrap_err();
    assert!(
        matches!(
            err,
            SyncError::BadBundle {
                problem: Problem::OtherRegister,
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn a_truncated_or_tampered_bundle_is_refused_whole_with_one_sentence() {
    let t = trio("sync-bad-files");
    let ps = patients(&t.a, 40);
    for p in &ps {
        log_call(&t.a, p, CallOutcome::NoAnswer);
    }
    let good = t.dir.join("good.acosync");
    export_to(&t.a, None, &good);
    let bytes = std::fs::read(&good).unwrap();
    let cut = t.dir.join("cut.acosync");
    std::fs::write(&cut, &bytes[..bytes.len() * 2 / 3]).unwrap();
    let altered = t.dir.join("altered.acosync");
    let mut changed = bytes.clone();
    let middle = changed.len() / 2;
    changed[middle] ^= 0x01;
    std::fs::write(&altered, &changed).unwrap();
    let before = std::fs::read(&t.hub).unwrap();
    for (file, words) in [(&cut, "cut short"), (&altered, "was altered")] {
        let out = common::command()
            .arg("--db")
            .arg(&t.hub)
            .args(["sync", "apply"])
            .arg(file)
            .output()
            .unwrap();
        assert!(!out.status.success());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(&file.display().to_string()), "{stderr}");
        assert!(stderr.contains(words), "{stderr}");
        assert!(stderr.contains("the register was not changed"), "{stderr}");
        assert_eq!(stderr.trim().lines().count(), 1, "one sentence: {stderr}");
        assert_eq!(
            std::fs::read(&t.hub).unwrap(),
            before,
            "the register is untouched"
        );
    }
    // In Russian too.
    let out = common::command()
        .args(["--lang", "ru", "--db"])
        .arg(&t.hub)
        .args(["sync", "apply"])
        .arg(&cut)
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("файл обрезан"),
        "{out:?}"
    );
    // The good one applies.
    assert_eq!(apply_from(&t.hub, &good).unwrap().rows, 40);
    // Sealed: the call notes are not readable in the file.
    let note = "перезвонить вечером".as_bytes();
    assert!(!bytes.windows(note.len()).any(|w| w == note));
    // A bundle sealed for B, readdressed to A, does not open on A: refused whole.
    let for_b = t.dir.join("for-b.acosync");
    export_to(&t.hub, Some(&t.b_id), &for_b);
    let text = std::fs::read(&for_b).unwrap();
    let (from, to) = (t.b_id.as_bytes(), t.a_id.as_bytes());
    let at = text.windows(from.len()).position(|w| w == from).unwrap();
    let mut readdressed = text.clone();
    readdressed[at..at + from.len()].copy_from_slice(to);
    let forged = t.dir.join("readdressed.acosync");
    std::fs::write(&forged, &readdressed).unwrap();
    let before = register_contents(&t.a);
    let err = apply_from(&t.a, &forged).unwrap_err();
    assert!(
        matches!(
            err,
            SyncError::BadBundle {
                problem: Problem::Damaged,
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(register_contents(&t.a), before);
}

#[test]
fn a_device_may_not_change_the_hubs_records() {
    let t = trio("sync-forbidden");
    let ps = patients(&t.a, 1);
    // A changeset that renames a patient, dressed as a bundle from device A.
    let changeset = {
        let c = Connection::open(&t.a).unwrap();
        let mut session = rusqlite::session::Session::new(&c).unwrap();
        session.attach::<&str>(None).unwrap();
        c.execute(
            "UPDATE patients SET family_name = 'Подменный' WHERE id = ?1",
            [&ps[0]],
        )
        .unwrap();
        let mut out = Vec::new();
        session.changeset_strm(&mut out).unwrap();
        out
    };
    let mut store = Store::open_existing(&t.a).unwrap();
    let (mut b, _) = acodesk::sync::export::export(&mut store, None).unwrap();
    b.entries = vec![bundle::Entry {
        seq: 1,
        rows: 1,
        edits: 0,
        changeset,
    }];
    b.header.first_seq = 1;
    b.header.last_seq = 1;
    b.header.entries = 1;
    let file = t.dir.join("forged.acosync");
    std::fs::write(&file, sealed(&t.a, &b)).unwrap();
    let before = register_contents(&t.hub);
    let err = apply_from(&t.hub, &file).unwrap_err();
    assert!(
        matches!(&err, SyncError::BadBundle { problem: Problem::Forbidden(table), .. } if table == "patients"),
        "{err}"
    );
    assert_eq!(register_contents(&t.hub), before);
}

#[test]
fn a_thousand_logged_calls_make_a_bundle_under_100_kb() {
    let t = trio("sync-size");
    bulk_calls(&t.a, 1000);
    let file = t.dir.join("size.acosync");
    let b = export_to(&t.a, None, &file);
    assert_eq!(b.rows(), 1000);
    let size = std::fs::metadata(&file).unwrap().len();
    println!("1,000 calls: {size} bytes");
    assert!(size < 100 * 1024, "{size} bytes");
    assert_eq!(apply_from(&t.hub, &file).unwrap().rows, 1000);
}

#[test]
fn a_kill_during_apply_leaves_the_register_as_before() {
    let t = trio("sync-kill");
    bulk_calls(&t.a, 20_000);
    let file = t.dir.join("big.acosync");
    export_to(&t.a, None, &file);
    let apply = |db: &Path| {
        common::command()
            .arg("--db")
            .arg(db)
            .args(["sync", "apply"])
            .arg(&file)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    // How long a whole apply takes here, on a copy.
    let probe = copy_trio(&t, "sync-kill-probe");
    let started = std::time::Instant::now();
    assert!(apply(&probe.hub).wait().unwrap().success());
    let full = started.elapsed();
    let calls_after: i64 = value(&probe.hub, "SELECT count(*) FROM calls");
    // The audit entry of the apply has its own id and time in each copy.
    let contents_of = |db: &Path| {
        let mut contents = register_contents(db);
        if let Some(rows) = contents.get_mut("audit") {
            rows.retain(|r| !r.contains("sync_apply"));
        }
        contents
    };
    let whole = contents_of(&probe.hub);
    assert_ne!(
        register_contents(&probe.hub),
        whole,
        "the apply is in the audit trail"
    );
    let mut landed = 0;
    for (attempt, fraction) in [0.5, 0.3, 0.7, 0.15, 0.85, 0.05].into_iter().enumerate() {
        let copy = copy_trio(&t, &format!("sync-kill-{attempt}"));
        let before = register_contents(&copy.hub);
        let mut child = apply(&copy.hub);
        std::thread::sleep(full.mul_f64(fraction));
        let running = child.try_wait().unwrap().is_none();
        child.kill().unwrap();
        child.wait().unwrap();
        common::integrity_ok(&copy.hub);
        // Killed before the commit: as before; after it (the process was still exiting): all.
        let contents = contents_of(&copy.hub);
        let applied: i64 = value(
            &copy.hub,
            "SELECT applied_seq FROM sync_peers WHERE name = 'A'",
        );
        if contents == before {
            assert!(running);
            assert_eq!(applied, 0);
            landed += 1;
        } else {
            assert!(
                contents == whole,
                "killed at {fraction} of {full:?}: neither before nor after"
            );
            assert_eq!(applied, 1);
        }
        // Applying again afterwards brings everything, once.
        assert!(apply(&copy.hub).wait().unwrap().success());
        let calls: i64 = value(&copy.hub, "SELECT count(*) FROM calls");
        assert_eq!(calls, calls_after);
    }
    assert!(landed > 0, "no kill landed while the apply ran ({full:?})");
}

#[test]
fn the_command_line_sets_up_exchanges_and_reports() {
    let hub = common::private_copy("sync-cli");
    let dir = hub.parent().unwrap().to_path_buf();
    let run = |db: &Path, args: &[&str]| {
        let out = common::command()
            .arg("--db")
            .arg(db)
            .args(args)
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let path = |p: &Path| p.to_str().unwrap().to_string();
    // The join file's passphrase on standard input (`--join-passphrase-fd 0`).
    let pass_file = dir.join("join-passphrase.txt");
    std::fs::write(&pass_file, format!("{JOIN_PASSPHRASE}\n")).unwrap();
    let run_with = |db: &Path, args: &[&str], pass: &Path| {
        let out = common::command()
            .arg("--db")
            .arg(db)
            .args(args)
            .args(["--join-passphrase-fd", "0"])
            .stdin(std::fs::File::open(pass).unwrap())
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (ok, _, err) = run(&hub, &["sync", "status"]);
    assert!(!ok && err.contains("takes part in no sync"), "{err}");
    let (ok, out, err) = run(&hub, &["sync", "init", "--hub"]);
    assert!(ok && out.contains("now the hub"), "{out}{err}");
    let (ok, _, err) = run(&hub, &["sync", "init", "--hub"]);
    assert!(!ok && err.contains("already"), "{err}");
    let join = dir.join("ward-3.join");
    let (ok, out, err) = run_with(
        &hub,
        &[
            "sync",
            "add-device",
            "--name",
            "ward 3",
            "--out",
            &path(&join),
        ],
        &pass_file,
    );
    assert!(ok && out.contains("acodesk sync join"), "{out}{err}");
    let device = dir.join("laptop.db");
    // The join file is sealed: no patient's name is readable in it, and a wrong passphrase is
    // refused with one sentence, creating nothing.
    let sealed = std::fs::read(&join).unwrap();
    let family: String = value(&hub, "SELECT family_name FROM patients ORDER BY id LIMIT 1");
    assert!(!sealed.windows(family.len()).any(|w| w == family.as_bytes()));
    let wrong = dir.join("wrong-passphrase.txt");
    std::fs::write(&wrong, "не та фраза\n").unwrap();
    let (ok, _, err) = run_with(&device, &["sync", "join", &path(&join)], &wrong);
    assert!(
        !ok && err.contains("does not open with this passphrase"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(!device.exists());
    let (ok, out, err) = run_with(&device, &["sync", "join", &path(&join)], &pass_file);
    assert!(ok && out.contains("device"), "{out}{err}");
    // A device neither imports nor serves.
    let (ok, _, err) = run(&device, &["import", "csv", "/nonexistent"]);
    assert!(!ok && err.contains("only the hub"), "{err}");
    let patient = patients(&device, 1).remove(0);
    let (ok, _, err) = run(&device, &["call", &patient, "--outcome", "no_answer"]);
    assert!(ok, "{err}");
    let (ok, out, _) = run(&device, &["phone", &patient, "8 (912) 000-11-22"]);
    assert!(ok && out.contains("number saved"), "{out}");
    let (ok, out, _) = run(&device, &["sync", "status", "--format", "json"]);
    assert!(ok);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["role"], "device");
    assert_eq!(json["unsent"], 2, "{json}");
    // The call, the phone change, and the audit entry of the join travel.
    let bundle = dir.join("to-hub.acosync");
    let (ok, out, err) = run(&device, &["sync", "export", "--out", &path(&bundle)]);
    assert!(ok && out.contains("3 changes"), "{out}{err}");
    let (ok, out, err) = run(&hub, &["sync", "apply", &path(&bundle)]);
    assert!(
        ok && out.contains("applied: 3 changes (1 patient)"),
        "{out}{err}"
    );
    let (ok, out, _) = run(&hub, &["sync", "apply", &path(&bundle)]);
    assert!(
        ok && out.contains("applied before: nothing changed"),
        "{out}"
    );
    let back = dir.join("to-laptop.acosync");
    let (ok, _, err) = run(&hub, &["sync", "export", "--out", &path(&back)]);
    assert!(ok, "{err}");
    let (ok, _, err) = run(&device, &["sync", "apply", &path(&back)]);
    assert!(ok, "{err}");
    let (_, out, _) = run(&device, &["sync", "status", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["unsent"], 0, "{json}");
    let (ok, out, _) = run(&hub, &["sync", "status"]);
    assert!(ok && out.contains("ward 3"), "{out}");
    // Each sync operation is in the audit trail of the register it was done on.
    let (ok, out, err) = run(&hub, &["audit", "--format", "csv"]);
    assert!(ok, "{err}");
    for action in ["sync_add_device", "sync_apply", "sync_export"] {
        assert!(out.contains(action), "{action}: {out}");
    }
    let (_, out, _) = run(&device, &["audit", "--format", "csv"]);
    for action in ["sync_join", "sync_apply", "sync_export"] {
        assert!(out.contains(action), "{action}: {out}");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for file in [&join, &bundle, &device] {
            let mode = std::fs::metadata(file).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{}", file.display());
        }
    }
}
