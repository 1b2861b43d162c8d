//! Scoped laptops (#23): a laptop holds only the patients of its sites (or its nurse's) and the
//! ones it logged something for; the join file and bundles carry only theirs; a patient moving
//! between sites and a change of the laptop's sites reach it at the next exchange (entering with
//! the whole history, leaving once nothing of the laptop's is unacknowledged); the hub keeps
//! everything and the laptop matches the hub restricted to its scope, over random histories.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "sync/helpers.rs"]
#[allow(dead_code)]
mod helpers;

use acodesk::domain::types::CallOutcome;
use acodesk::store::Store;
use acodesk::sync::scope::{self, Scope};
use acodesk::sync::setup;
use acodesk::sync::tables::{APPEND_ONLY, HUB_TABLES, patient_column};
use helpers::*;
use rusqlite::Connection;
use rusqlite::types::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A hub (the shared sample register), a laptop scoped to one site and one holding everything.
struct Region {
    dir: PathBuf,
    hub: PathBuf,
    /// The scoped laptop and its id.
    a: PathBuf,
    a_id: String,
    /// The whole-register laptop and its id.
    b: PathBuf,
    b_id: String,
    /// The scoped laptop's site, and another site.
    site: String,
    other: String,
    /// The join files' sizes: scoped, whole.
    join_sizes: (u64, u64),
}

fn sites(db: &Path) -> Vec<String> {
    let c = Connection::open(db).unwrap();
    let mut stmt = c
        .prepare(
            "SELECT site_id FROM patients WHERE site_id IS NOT NULL
             GROUP BY site_id ORDER BY count(*), site_id",
        )
        .unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect()
}

fn region(name: &str) -> Region {
    let hub = common::private_copy(&format!("{name}-hub"));
    let dir = hub.parent().unwrap().to_path_buf();
    let all = sites(&hub);
    assert!(all.len() >= 2, "the sample has several sites: {all:?}");
    let (site, other) = (all[0].clone(), all[1].clone());
    let mut store = Store::open_existing(&hub).unwrap();
    setup::init_hub(&mut store).unwrap();
    let scope = Scope {
        sites: vec![site.clone()],
        nurse: None,
    };
    let a_file = dir.join("A.join");
    let a_id = setup::add_scoped_device(
        &mut store,
        "A",
        Some(&scope),
        &a_file,
        "manager",
        JOIN_PASSPHRASE,
    )
    .unwrap();
    let b_file = dir.join("B.join");
    let b_id = setup::add_device(&mut store, "B", &b_file, "manager", JOIN_PASSPHRASE).unwrap();
    let join_sizes = (
        std::fs::metadata(&a_file).unwrap().len(),
        std::fs::metadata(&b_file).unwrap().len(),
    );
    drop(store);
    let a = dir.join("A.db");
    let b = dir.join("B.db");
    setup::join(&a_file, &a, "nurse", JOIN_PASSPHRASE).unwrap();
    setup::join(&b_file, &b, "nurse", JOIN_PASSPHRASE).unwrap();
    Region {
        dir,
        hub,
        a,
        a_id,
        b,
        b_id,
        site,
        other,
        join_sizes,
    }
}

fn ids(db: &Path, sql: &str) -> BTreeSet<String> {
    let c = Connection::open(db).unwrap();
    let mut stmt = c.prepare(sql).unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect()
}

fn held(db: &Path) -> BTreeSet<String> {
    ids(db, "SELECT id FROM patients")
}

/// The hub's patients of a site: registered there or with an appointment there.
fn of_site(db: &Path, site: &str) -> BTreeSet<String> {
    ids(
        db,
        &format!(
            "SELECT id FROM patients WHERE site_id = '{site}'
             UNION SELECT patient_id FROM appointments WHERE site_id = '{site}'"
        ),
    )
}

/// Every row of the carried tables, sorted by table; rows of tables kept per patient only when
/// their patient is in `only` (rows without a patient always).
fn contents(db: &Path, only: Option<&BTreeSet<String>>) -> BTreeMap<String, Vec<String>> {
    let c = Connection::open(db).unwrap();
    APPEND_ONLY
        .iter()
        .chain(HUB_TABLES.iter())
        .map(|t| {
            let mut stmt = c.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
            let names: Vec<String> = stmt.column_names().map(|s| s.to_string()).collect();
            let position = patient_column(t).and_then(|p| names.iter().position(|n| n == p));
            let n = names.len();
            let mut rows: Vec<String> = stmt
                .query_map([], |r| {
                    let values: Vec<Value> = (0..n).map(|i| r.get(i).unwrap()).collect();
                    Ok(values)
                })
                .unwrap()
                .map(|r| r.unwrap())
                .filter(|values| match (only, position) {
                    (Some(only), Some(p)) => match &values[p] {
                        Value::Text(id) => only.contains(id),
                        _ => true,
                    },
                    _ => true,
                })
                .map(|values| {
                    values
                        .iter()
                        .map(|v| format!("{v:?}"))
                        .collect::<Vec<_>>()
                        .join("|")
                })
                .collect();
            rows.sort();
            (t.to_string(), rows)
        })
        .collect()
}

/// Asserts the laptop holds exactly the hub's rows of the patients it holds, and (`expected`)
/// exactly those patients.
fn assert_matches_hub(r: &Region, laptop: &Path, expected: &BTreeSet<String>) {
    let mine = held(laptop);
    assert_eq!(&mine, expected, "the laptop holds its scope's patients");
    let hub = contents(&r.hub, Some(&mine));
    let device = contents(laptop, None);
    for (table, rows) in &hub {
        let theirs = &device[table];
        if rows != theirs {
            let only_hub: Vec<_> = rows
                .iter()
                .filter(|x| !theirs.contains(x))
                .take(3)
                .collect();
            let only_dev: Vec<_> = theirs
                .iter()
                .filter(|x| !rows.contains(x))
                .take(3)
                .collect();
            panic!("{table}: hub only {only_hub:?}, laptop only {only_dev:?}");
        }
    }
}

/// Patients the laptop logged a call or a change for, at the hub.
fn touched(r: &Region, device: &str) -> BTreeSet<String> {
    ids(
        &r.hub,
        &format!(
            "SELECT patient_id FROM calls WHERE device = '{device}'
             UNION SELECT patient_id FROM changes WHERE device = '{device}'"
        ),
    )
}

fn exchange(r: &Region, laptop: &Path, id: &str, n: &mut usize) {
    *n += 1;
    send(laptop, None, &r.hub, &r.dir.join(format!("up-{n}.acosync")));
    send(
        &r.hub,
        Some(id),
        laptop,
        &r.dir.join(format!("down-{n}.acosync")),
    );
}

#[test]
fn a_one_site_laptop_holds_and_receives_only_its_sites_patients() {
    let r = region("scope-site");
    let expected = of_site(&r.hub, &r.site);
    let mut n = 0;
    exchange(&r, &r.a, &r.a_id, &mut n);
    assert!(!expected.is_empty());
    assert!(expected.len() < held(&r.hub).len());
    assert_matches_hub(&r, &r.a, &expected);
    assert_eq!(
        held(&r.b),
        held(&r.hub),
        "an unscoped laptop holds everything"
    );
    assert!(
        r.join_sizes.0 < r.join_sizes.1,
        "the scoped join file is smaller: {:?}",
        r.join_sizes
    );
    // A call logged on the other laptop about a patient of another site does not reach A; one
    // about A's patient does.
    let outside = ids(
        &r.hub,
        &format!(
            "SELECT id FROM patients WHERE id NOT IN ({}) LIMIT 1",
            quoted(&expected)
        ),
    );
    let outside = outside.first().unwrap().clone();
    let inside = expected.first().unwrap().clone();
    let c_out = log_call(&r.b, &outside, CallOutcome::NoAnswer);
    let c_in = log_call(&r.b, &inside, CallOutcome::NoAnswer);
    exchange(&r, &r.b, &r.b_id, &mut n);
    export_to(&r.hub, Some(&r.a_id), &r.dir.join("to-a.acosync"));
    apply_from(&r.a, &r.dir.join("to-a.acosync")).unwrap();
    let calls_on_a = ids(&r.a, "SELECT id FROM calls");
    assert!(calls_on_a.contains(&c_in));
    assert!(!calls_on_a.contains(&c_out));
    assert_matches_hub(&r, &r.a, &expected);
    // The laptop says a patient it does not hold may be outside its scope.
    let a = Store::open_existing(&r.a).unwrap();
    assert!(scope::is_scoped(a.conn()).unwrap());
    let b = Store::open_existing(&r.b).unwrap();
    assert!(!scope::is_scoped(b.conn()).unwrap());
}

fn quoted(ids: &BTreeSet<String>) -> String {
    ids.iter()
        .map(|i| format!("'{i}'"))
        .collect::<Vec<_>>()
        .join(",")
}

#[test]
fn a_patient_moving_between_sites_arrives_with_history_and_leaves_once_acknowledged() {
    let r = region("scope-move");
    let mut n = 0;
    let mut expected = of_site(&r.hub, &r.site);
    // A patient of the other site with a history (calls from the other laptop and the hub).
    let mover = ids(
        &r.hub,
        &format!(
            "SELECT id FROM patients WHERE site_id = '{}' AND id NOT IN ({}) LIMIT 1",
            r.other,
            quoted(&expected)
        ),
    )
    .into_iter()
    .next()
    .unwrap();
    let history = log_call(&r.b, &mover, CallOutcome::CallBackLater);
    exchange(&r, &r.b, &r.b_id, &mut n);
    // The hub's import moves the patient to A's site.
    move_patient(&r.hub, &mover, &r.site);
    exchange(&r, &r.a, &r.a_id, &mut n);
    expected.insert(mover.clone());
    assert_matches_hub(&r, &r.a, &expected);
    assert!(ids(&r.a, "SELECT id FROM calls").contains(&history));

    // Two patients leave A's site. The laptop logs a call about one of them before it hears of
    // it: that call is not lost, and the patient stays (the laptop's own user touched it); the
    // other goes from the laptop, and only from it.
    let stays_at_site = |p: &String| {
        ids(
            &r.hub,
            &format!(
                "SELECT id FROM appointments WHERE patient_id = '{p}' AND site_id = '{}'",
                r.site
            ),
        )
        .is_empty()
    };
    let leaving: Vec<String> = expected
        .iter()
        .filter(|p| *p != &mover && stays_at_site(p))
        .filter(|p| !touched(&r, &r.a_id).contains(*p))
        .take(2)
        .cloned()
        .collect();
    assert_eq!(leaving.len(), 2);
    for p in &leaving {
        move_patient(&r.hub, p, &r.other);
    }
    let unsent = log_call(&r.a, &leaving[1], CallOutcome::NoAnswer);
    send(
        &r.hub,
        Some(&r.a_id),
        &r.a,
        &r.dir.join("leave-down.acosync"),
    );
    let now = held(&r.a);
    assert!(
        !now.contains(&leaving[0]),
        "an untouched patient who left is removed"
    );
    assert!(
        now.contains(&leaving[1]),
        "a patient with an unsent call stays"
    );
    assert!(ids(&r.a, "SELECT id FROM calls").contains(&unsent));
    assert!(held(&r.hub).contains(&leaving[0]), "the hub keeps everyone");
    exchange(&r, &r.a, &r.a_id, &mut n);
    assert!(ids(&r.hub, "SELECT id FROM calls").contains(&unsent));
    let mut expected = of_site(&r.hub, &r.site);
    expected.extend(touched(&r, &r.a_id));
    assert!(expected.contains(&leaving[1]));
    assert_matches_hub(&r, &r.a, &expected);
    // Moving back: the patient arrives again, whole.
    move_patient(&r.hub, &leaving[0], &r.site);
    exchange(&r, &r.a, &r.a_id, &mut n);
    expected.insert(leaving[0].clone());
    assert_matches_hub(&r, &r.a, &expected);
}

#[test]
fn a_change_of_the_laptops_sites_or_nurse_reaches_it_at_the_next_exchange() {
    let r = region("scope-change");
    let mut n = 0;
    let mine = of_site(&r.hub, &r.site);
    let called = mine.first().unwrap().clone();
    log_call(&r.a, &called, CallOutcome::NoAnswer);
    exchange(&r, &r.a, &r.a_id, &mut n);
    assert!(touched(&r, &r.a_id).contains(&called));
    assert!(held(&r.a).contains(&called));
    let mut hub = Store::open_existing(&r.hub).unwrap();
    let to_other = Scope {
        sites: vec![r.other.clone()],
        nurse: None,
    };
    scope::set_scope(&mut hub, "A", &to_other, "manager").unwrap();
    let audited: i64 = value(
        &r.hub,
        "SELECT count(*) FROM audit WHERE action = 'sync_scope' AND subject = 'A'",
    );
    assert_eq!(audited, 1);
    // Unknown sites and nurses are refused.
    let bad = Scope {
        sites: vec!["NO-SUCH-SITE".into()],
        nurse: None,
    };
    assert!(matches!(
        scope::set_scope(&mut hub, "A", &bad, "manager"),
        Err(acodesk::sync::SyncError::UnknownSite(_))
    ));
    drop(hub);
    // One exchange: the new site's patients arrive, the old site's leave (the one the laptop
    // called stays).
    exchange(&r, &r.a, &r.a_id, &mut n);
    let mut expected = of_site(&r.hub, &r.other);
    expected.insert(called.clone());
    assert_matches_hub(&r, &r.a, &expected);
    // A nurse instead of sites.
    let nurse: String = value(
        &r.hub,
        "SELECT nurse_id FROM patients WHERE nurse_id IS NOT NULL GROUP BY nurse_id
         ORDER BY count(*) LIMIT 1",
    );
    let mut hub = Store::open_existing(&r.hub).unwrap();
    let by_nurse = Scope {
        sites: Vec::new(),
        nurse: Some(nurse.clone()),
    };
    scope::set_scope(&mut hub, &r.a_id, &by_nurse, "manager").unwrap();
    drop(hub);
    exchange(&r, &r.a, &r.a_id, &mut n);
    let mut expected = ids(
        &r.hub,
        &format!("SELECT id FROM patients WHERE nurse_id = '{nurse}'"),
    );
    expected.insert(called);
    assert_matches_hub(&r, &r.a, &expected);
    // The unscoped laptop still matches the whole hub.
    exchange(&r, &r.b, &r.b_id, &mut n);
    assert_eq!(contents(&r.b, None), contents(&r.hub, None));
}

/// Random histories: calls on both laptops, patients moving between sites at the hub, the scoped
/// laptop's sites changing, bundles lost. After a final exchange round the hub holds every call,
/// the whole laptop equals the hub, and the scoped laptop equals the hub restricted to its scope.
#[test]
fn scoped_and_whole_laptops_converge_over_random_histories() {
    let seeds: u64 = std::env::var("ACODESK_SYNC_SEEDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(6);
    let base = region("scope-random");
    let all_sites = sites(&base.hub);
    for seed in 0..seeds {
        let r = Region {
            dir: common::scratch(&format!("scope-random-{seed}")),
            ..copy_region(&base)
        };
        let r = relocate(&base, r);
        let mut rng = fastrand::Rng::with_seed(seed);
        let mut logged = Vec::new();
        let mut n = 0;
        for _ in 0..14 {
            match rng.u32(0..6) {
                0 => {
                    let on_a: Vec<String> = held(&r.a).into_iter().collect();
                    let p = &on_a[rng.usize(0..on_a.len())];
                    logged.push(log_call(&r.a, p, CallOutcome::NoAnswer));
                }
                1 => {
                    let on_b: Vec<String> = held(&r.b).into_iter().collect();
                    let p = &on_b[rng.usize(0..on_b.len())];
                    logged.push(log_call(&r.b, p, CallOutcome::CallBackLater));
                }
                2 => {
                    let every: Vec<String> = held(&r.hub).into_iter().collect();
                    let p = &every[rng.usize(0..every.len())];
                    let site = &all_sites[rng.usize(0..all_sites.len())];
                    move_patient(&r.hub, p, site);
                }
                3 => {
                    let site = all_sites[rng.usize(0..all_sites.len())].clone();
                    let mut hub = Store::open_existing(&r.hub).unwrap();
                    let s = Scope {
                        sites: vec![site],
                        nurse: None,
                    };
                    scope::set_scope(&mut hub, &r.a_id, &s, "manager").unwrap();
                }
                _ => {
                    // An exchange in one direction, its bundle lost one time in four.
                    n += 1;
                    let file = r.dir.join(format!("b-{n}.acosync"));
                    let (from, device, to) = match rng.u32(0..4) {
                        0 => (&r.a, None, &r.hub),
                        1 => (&r.b, None, &r.hub),
                        2 => (&r.hub, Some(r.a_id.as_str()), &r.a),
                        _ => (&r.hub, Some(r.b_id.as_str()), &r.b),
                    };
                    export_to(from, device, &file);
                    if rng.u32(0..4) != 0 {
                        apply_from(to, &file).unwrap();
                    }
                }
            }
        }
        for _ in 0..2 {
            exchange(&r, &r.a, &r.a_id, &mut n);
            exchange(&r, &r.b, &r.b_id, &mut n);
        }
        let at_hub = ids(&r.hub, "SELECT id FROM calls");
        for call in &logged {
            assert!(at_hub.contains(call), "seed {seed}: call {call} lost");
        }
        assert_eq!(contents(&r.b, None), contents(&r.hub, None), "seed {seed}");
        let hub = Store::open_existing(&r.hub).unwrap();
        let s = scope::scope_of(hub.conn(), &r.a_id).unwrap().unwrap();
        let expected = scope::members(hub.conn(), &r.a_id, &s).unwrap();
        drop(hub);
        assert_matches_hub(&r, &r.a, &expected);
    }
}

/// The same region's files (closed registers, the hub's base) in the copy's folder.
fn copy_region(from: &Region) -> Region {
    Region {
        dir: from.dir.clone(),
        hub: from.hub.clone(),
        a: from.a.clone(),
        a_id: from.a_id.clone(),
        b: from.b.clone(),
        b_id: from.b_id.clone(),
        site: from.site.clone(),
        other: from.other.clone(),
        join_sizes: from.join_sizes,
    }
}

/// The hub's import moves `patient` to `site` (raw SQL standing for an import, under the same
/// capture an import's transaction runs).
fn move_patient(hub: &Path, patient: &str, site: &str) {
    let conn = Connection::open(hub).unwrap();
    acodesk::store::hub_changes::write_captured(&conn, |tx| {
        tx.execute(
            "UPDATE patients SET site_id = ?1 WHERE id = ?2",
            [site, patient],
        )
    })
    .unwrap();
}

fn relocate(from: &Region, mut to: Region) -> Region {
    let copy = |p: &Path| {
        let dest = to.dir.join(p.file_name().unwrap());
        std::fs::copy(p, &dest).unwrap();
        dest
    };
    to.hub = copy(&from.hub);
    to.a = copy(&from.a);
    to.b = copy(&from.b);
    to
}

/// The commands: `sync add-device --sites`, `sync scope` (audited, unknown sites refused), and a
/// scoped laptop's answer for a patient it does not hold, in English and Russian.
#[test]
fn the_cli_adds_a_scoped_laptop_changes_its_scope_and_says_why_a_patient_is_missing() {
    let hub = common::private_copy("scope-cli");
    let dir = hub.parent().unwrap().to_path_buf();
    let all = sites(&hub);
    let pass = dir.join("pass.txt");
    std::fs::write(&pass, format!("{JOIN_PASSPHRASE}\n")).unwrap();
    let run = |db: &Path, args: &[&str]| {
        let out = common::command()
            .arg("--db")
            .arg(db)
            .args(args)
            .stdin(std::fs::File::open(&pass).unwrap())
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    assert!(run(&hub, &["sync", "init", "--hub"]).0);
    let join = dir.join("pc.join");
    let join_arg = join.to_str().unwrap();
    let (ok, _, err) = run(
        &hub,
        &[
            "sync",
            "add-device",
            "--name",
            "pc",
            "--sites",
            "NO-SUCH",
            "--out",
            join_arg,
            "--join-passphrase-fd",
            "0",
        ],
    );
    assert!(
        !ok && err.contains("no site") && err.contains("NO-SUCH"),
        "{err}"
    );
    assert!(!join.exists());
    let (ok, out, err) = run(
        &hub,
        &[
            "sync",
            "add-device",
            "--name",
            "pc",
            "--sites",
            &all[0],
            "--out",
            join_arg,
            "--join-passphrase-fd",
            "0",
        ],
    );
    assert!(ok && out.contains("scope"), "{out}{err}");
    let laptop = dir.join("laptop.db");
    let (ok, _, err) = run(
        &laptop,
        &["sync", "join", join_arg, "--join-passphrase-fd", "0"],
    );
    assert!(ok, "{err}");
    let outside: String = value(
        &hub,
        &format!(
            "SELECT id FROM patients WHERE site_id <> '{}' AND id NOT IN (SELECT patient_id FROM appointments WHERE site_id = '{}') LIMIT 1",
            all[0], all[0]
        ),
    );
    let (ok, _, err) = run(&laptop, &["patient", &outside]);
    assert!(!ok && err.contains("outside its scope"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    let (ok, _, err) = run(&laptop, &["--lang", "ru", "patient", &outside]);
    assert!(!ok && err.contains("вне охвата"), "{err}");
    // Widening the scope at the hub: audited, and the patient arrives at the next exchange.
    let (ok, out, err) = run(
        &hub,
        &["sync", "scope", "--device", "pc", "--sites", &all.join(",")],
    );
    assert!(ok && out.contains("pc"), "{out}{err}");
    let audited: i64 = value(
        &hub,
        "SELECT count(*) FROM audit WHERE action = 'sync_scope'",
    );
    assert_eq!(audited, 1);
    let (ok, _, err) = run(&hub, &["sync", "scope", "--device", "pc"]);
    assert!(!ok, "a scope needs sites or a nurse: {err}");
    let up = dir.join("up.acosync");
    let down = dir.join("down.acosync");
    assert!(run(&laptop, &["sync", "export", "--out", up.to_str().unwrap()]).0);
    assert!(run(&hub, &["sync", "apply", up.to_str().unwrap()]).0);
    assert!(
        run(
            &hub,
            &[
                "sync",
                "export",
                "--device",
                "pc",
                "--out",
                down.to_str().unwrap()
            ]
        )
        .0
    );
    let (ok, _, err) = run(&laptop, &["sync", "apply", down.to_str().unwrap()]);
    assert!(ok, "{err}");
    let (ok, out, err) = run(&laptop, &["patient", &outside]);
    assert!(ok && out.contains(&outside), "{out}{err}");
}
