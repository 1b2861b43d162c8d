//! Encryption at rest: the real binary with the passphrase on a pipe (`--passphrase-fd 0`), the
//! bytes on disk, wrong and missing passphrases, rekey, plaintext ⇄ encrypted conversion row for
//! row, backup and restore of an encrypted register, and the passphrase kept out of logs and argv.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use acodesk::store::backup::with_suffix;
use rusqlite::Connection;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const PASS: &str = "correct horse battery staple";

/// Runs the binary on `db`; with `stdin`, it is written to the pipe and `--passphrase-fd 0` given.
fn run_in(cmd: Command, db: &Path, stdin: Option<&str>, args: &[&str]) -> Output {
    let mut cmd = cmd;
    cmd.arg("--db").arg(db);
    if stdin.is_some() {
        cmd.args(["--passphrase-fd", "0"]);
    }
    cmd.args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let mut input = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).unwrap();
    }
    drop(input);
    child.wait_with_output().unwrap()
}

fn run(db: &Path, stdin: Option<&str>, args: &[&str]) -> Output {
    run_in(common::command(), db, stdin, args)
}

fn ok(db: &Path, stdin: Option<&str>, args: &[&str]) -> String {
    let out = run(db, stdin, args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A connection to an encrypted file, keyed the way SQLCipher documents it.
fn keyed(db: &Path, pass: &str) -> Connection {
    let c = Connection::open(db).unwrap();
    c.pragma_update(None, "key", pass).unwrap();
    c
}

fn has_plaintext_header(db: &Path) -> bool {
    std::fs::read(db).unwrap().starts_with(b"SQLite format 3\0")
}

/// Every row of every table as text, sorted: equal dumps mean equal tables, row for row.
fn dump(c: &Connection) -> BTreeMap<String, Vec<String>> {
    let tables: Vec<String> = c
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    let mut out = BTreeMap::new();
    for t in tables {
        let mut stmt = c.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
        let n = stmt.column_count();
        let mut rows: Vec<String> = stmt
            .query_map([], |r| {
                Ok((0..n)
                    .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                    .collect::<Vec<_>>()
                    .join("|"))
            })
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        rows.sort();
        out.insert(t, rows);
    }
    out
}

/// Family names and phones of the first patients, to look for in the file's bytes.
fn secrets(c: &Connection) -> Vec<String> {
    let mut stmt = c
        .prepare("SELECT family_name, phone FROM patients ORDER BY id LIMIT 20")
        .unwrap();
    let mut out = Vec::new();
    for row in stmt
        .query_map([], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?))
        })
        .unwrap()
    {
        let (name, phone) = row.unwrap();
        out.push(name);
        out.extend(phone);
    }
    out
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

fn first_patient(c: &Connection) -> String {
    c.query_row(
        "SELECT id FROM patients WHERE status = 'active' ORDER BY id LIMIT 1",
        [],
        |r| r.get(0),
    )
    .unwrap()
}

fn encrypted_copy(name: &str) -> (PathBuf, BTreeMap<String, Vec<String>>) {
    let db = common::private_copy(name);
    let before = dump(&Connection::open(&db).unwrap());
    ok(&db, Some(PASS), &["encrypt"]);
    (db, before)
}

#[test]
fn the_files_on_disk_hold_no_name_phone_or_note_in_plaintext() {
    let db = common::private_copy("enc-bytes");
    let plain = Connection::open(&db).unwrap();
    let mut needles = secrets(&plain);
    let patient = first_patient(&plain);
    drop(plain);
    let note = "Секретная заметка о давлении";
    needles.push(note.to_string());
    let bytes = std::fs::read(&db).unwrap();
    assert!(
        needles[..2].iter().any(|n| contains(&bytes, n)),
        "the plaintext register shows the names (the test can fail)"
    );
    ok(&db, Some(PASS), &["encrypt"]);
    ok(
        &db,
        Some(PASS),
        &["call", &patient, "--outcome", "call_back", "--note", note],
    );
    // A connection kept open keeps the WAL: write through it and look at both files.
    let c = keyed(&db, PASS);
    c.execute_batch("PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0;")
        .unwrap();
    c.execute(
        "UPDATE patients SET locality = ?1 WHERE id = ?2",
        ("Секретное село", &patient),
    )
    .unwrap();
    needles.push("Секретное село".into());
    let wal = std::fs::read(with_suffix(&db, "-wal")).unwrap();
    assert!(!wal.is_empty(), "the update is in the WAL");
    let main = std::fs::read(&db).unwrap();
    for n in &needles {
        assert!(!contains(&main, n), "{n} in the register");
        assert!(!contains(&wal, n), "{n} in the WAL");
    }
    c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);").unwrap();
    drop(c);
    let main = std::fs::read(&db).unwrap();
    for n in &needles {
        assert!(!contains(&main, n), "{n} in the checkpointed register");
    }
    assert!(!has_plaintext_header(&db));
    let notes: i64 = keyed(&db, PASS)
        .query_row("SELECT count(*) FROM calls WHERE note = ?1", [note], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(
        notes, 1,
        "the call and its note are there, readable with the key"
    );
}

#[test]
fn a_missing_or_wrong_passphrase_is_one_sentence_and_changes_nothing() {
    let (db, _) = encrypted_copy("enc-wrong");
    let bytes = std::fs::read(&db).unwrap();
    for args in [
        &["stats"][..],
        &["worklist"][..],
        &["backup", "/tmp/never.db"][..],
    ] {
        let err = common::one_sentence(&run(&db, None, args));
        assert!(err.contains("is encrypted: give its passphrase"), "{err}");
        assert!(err.contains(db.to_str().unwrap()), "{err}");
        let err = common::one_sentence(&run(&db, Some("not the passphrase"), args));
        assert!(err.contains("the passphrase is wrong"), "{err}");
        assert_eq!(std::fs::read(&db).unwrap(), bytes);
    }
    let err = common::one_sentence(&run(&db, Some(""), &["stats"]));
    assert!(err.contains("passphrase is empty"), "{err}");
    // In Russian too.
    let out = run(&db, None, &["--lang", "ru", "stats"]);
    assert!(common::one_sentence(&out).contains("зашифрован"));
    assert_eq!(std::fs::read(&db).unwrap(), bytes);
}

#[test]
fn init_encrypt_makes_an_encrypted_register_that_imports_and_lists() {
    let dir = common::scratch("enc-init");
    let db = dir.join("new.db");
    let said = ok(&db, Some(PASS), &["init", "--encrypt"]);
    assert!(said.contains("encrypted"), "{said}");
    assert!(!has_plaintext_header(&db));
    let err = common::one_sentence(&run(&db, Some(PASS), &["init", "--encrypt"]));
    assert!(err.contains("already exists"), "{err}");
    let files = dir.join("files");
    common::sample_files(&files, 50);
    ok(&db, Some(PASS), &["import", "csv", files.to_str().unwrap()]);
    let stats = ok(&db, Some(PASS), &["stats", "--format", "json"]);
    assert!(stats.contains("\"patients\": 50"), "{stats}");
    assert!(!has_plaintext_header(&db));
    // Without a passphrase, init --encrypt cannot ask anyone (no terminal) and says so.
    let other = dir.join("other.db");
    let err = common::one_sentence(&run(&other, None, &["init", "--encrypt"]));
    assert!(err.contains("new passphrase is needed"), "{err}");
    assert!(!other.exists() || std::fs::metadata(&other).unwrap().len() == 0);
}

#[test]
fn rekey_makes_the_old_passphrase_fail_and_the_new_one_work() {
    let (db, before) = encrypted_copy("enc-rekey");
    let new = "a different, longer passphrase";
    ok(&db, Some(&format!("{PASS}\n{new}\n")), &["rekey"]);
    let err = common::one_sentence(&run(&db, Some(PASS), &["stats"]));
    assert!(err.contains("the passphrase is wrong"), "{err}");
    ok(&db, Some(new), &["stats"]);
    assert_eq!(dump(&keyed(&db, new)), before);
    // A rekey without a new passphrase (no terminal, one line) changes nothing.
    let bytes = std::fs::read(&db).unwrap();
    let err = common::one_sentence(&run(&db, Some(new), &["rekey"]));
    assert!(err.contains("new passphrase is needed"), "{err}");
    assert_eq!(std::fs::read(&db).unwrap(), bytes);
}

#[test]
fn encrypt_then_decrypt_keeps_every_table_row_for_row() {
    let (db, before) = encrypted_copy("enc-convert");
    assert!(before["patients"].len() >= 400, "the register is not empty");
    assert!(!has_plaintext_header(&db));
    let encrypted = keyed(&db, PASS);
    let after = dump(&encrypted);
    assert_eq!(
        after.keys().collect::<Vec<_>>(),
        before.keys().collect::<Vec<_>>()
    );
    for (table, rows) in &before {
        assert_eq!(after[table].len(), rows.len(), "row count of {table}");
        assert_eq!(&after[table], rows, "rows of {table}");
    }
    let version: u32 = encrypted
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert!(version > 0);
    drop(encrypted);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&db).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    let err = common::one_sentence(&run(&db, Some(PASS), &["encrypt"]));
    assert!(err.contains("already encrypted"), "{err}");
    let said = ok(&db, Some(PASS), &["decrypt"]);
    assert!(said.contains("no longer encrypted"), "{said}");
    assert!(has_plaintext_header(&db));
    assert_eq!(dump(&Connection::open(&db).unwrap()), before);
    ok(&db, None, &["stats"]);
    let err = common::one_sentence(&run(&db, Some(PASS), &["decrypt"]));
    assert!(err.contains("is not encrypted"), "{err}");
    assert!(!with_suffix(&db, ".converting").exists());
}

#[test]
fn encrypt_refuses_while_the_register_is_open_and_changes_nothing() {
    let db = common::private_copy("enc-busy");
    ok(&db, None, &["stats"]);
    // Read before the connection opens: closing any descriptor of the file would drop the
    // connection's locks (POSIX locks belong to the process).
    let bytes = std::fs::read(&db).unwrap();
    // As the dashboard holds it: a WAL connection, idle.
    let reader = acodesk::store::Store::open_existing(&db).unwrap();
    let err = common::one_sentence(&run(&db, Some(PASS), &["encrypt"]));
    assert!(err.contains("is open in another acodesk"), "{err}");
    drop(reader);
    assert_eq!(std::fs::read(&db).unwrap(), bytes);
}

#[test]
fn backups_of_an_encrypted_register_stay_encrypted_and_restore() {
    let (db, before) = encrypted_copy("enc-backup");
    let dir = db.parent().unwrap().to_path_buf();
    let backup = dir.join("b.db");
    ok(&db, Some(PASS), &["backup", backup.to_str().unwrap()]);
    assert!(!has_plaintext_header(&backup));
    let bytes = std::fs::read(&backup).unwrap();
    for n in secrets(&keyed(&db, PASS)) {
        assert!(!contains(&bytes, &n), "{n} in the backup");
    }
    assert!(
        Connection::open(&backup)
            .unwrap()
            .query_row("SELECT count(*) FROM patients", [], |r| r.get::<_, i64>(0))
            .is_err()
    );
    let mut backed_up = dump(&keyed(&backup, PASS));
    // A call after the backup, then the restore brings the register back to the backup.
    let patient = first_patient(&keyed(&db, PASS));
    ok(
        &db,
        Some(PASS),
        &["call", &patient, "--outcome", "no_answer"],
    );
    let said = ok(&db, Some(PASS), &["restore", backup.to_str().unwrap()]);
    assert!(said.contains("now holds the backup"), "{said}");
    assert!(!has_plaintext_header(&db));
    let mut restored = dump(&keyed(&db, PASS));
    restored.remove("audit");
    backed_up.remove("audit");
    assert_eq!(restored, backed_up);
    assert_eq!(restored["patients"], before["patients"]);
    let kept = with_suffix(&db, ".before-restore");
    assert!(
        !has_plaintext_header(&kept),
        "the kept register stays encrypted"
    );
    // Without the passphrase, or with a wrong one, the backup is refused and nothing changes.
    let bytes = std::fs::read(&db).unwrap();
    for pass in [None, Some("wrong")] {
        let err = common::one_sentence(&run(&db, pass, &["restore", backup.to_str().unwrap()]));
        assert!(err.contains("passphrase"), "{err}");
        assert_eq!(std::fs::read(&db).unwrap(), bytes);
    }
    // A plaintext backup is not restored over an encrypted register.
    let plain = common::private_copy("enc-backup-plain");
    let plain_backup = dir.join("plain.db");
    ok(&plain, None, &["backup", plain_backup.to_str().unwrap()]);
    let err = common::one_sentence(&run(
        &db,
        Some(PASS),
        &["restore", plain_backup.to_str().unwrap()],
    ));
    assert!(
        err.contains("is not encrypted and the register is"),
        "{err}"
    );
    assert_eq!(std::fs::read(&db).unwrap(), bytes);
    // An encrypted backup restores onto a plaintext register (which then is encrypted).
    ok(&plain, Some(PASS), &["restore", backup.to_str().unwrap()]);
    assert!(!has_plaintext_header(&plain));
    ok(&plain, Some(PASS), &["stats"]);
}

#[test]
fn the_passphrase_is_never_in_the_log_argv_or_environment() {
    let dir = common::scratch("enc-log");
    let db = common::private_copy("enc-log-register");
    let patient = first_patient(&Connection::open(&db).unwrap());
    let secret = "Sekret-Passphrase-4711";
    let logged = |args: &[&str], stdin: Option<&str>| {
        let mut cmd = common::command();
        cmd.env("XDG_DATA_HOME", dir.join("data"))
            .env("ACODESK_LOG", "trace");
        run_in(cmd, &db, stdin, args)
    };
    let new = format!("{secret}\nNew-{secret}\n");
    let b = dir.join("b.db");
    for (args, stdin) in [
        (&["encrypt"][..], Some(secret)),
        (&["stats"][..], Some(secret)),
        (&["stats"][..], Some("wrong-guess-passphrase")),
        (
            &["call", patient.as_str(), "--outcome", "no_answer"][..],
            Some(secret),
        ),
        (&["backup", b.to_str().unwrap()][..], Some(secret)),
        (&["rekey"][..], Some(new.as_str())),
        (&["stats"][..], None),
    ] {
        logged(args, stdin);
    }
    let logs = dir.join("data").join("acodesk").join("logs");
    let mut text = String::new();
    for entry in std::fs::read_dir(&logs).unwrap() {
        text.push_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap());
    }
    assert!(text.contains("register encryption changed"), "{text}");
    for s in [secret, "wrong-guess-passphrase"] {
        assert!(!text.contains(s), "the passphrase is in the log");
    }
    // While the binary waits for its passphrase, its argv and environment are on view in /proc.
    #[cfg(target_os = "linux")]
    {
        let mut child = common::command()
            .arg("--db")
            .arg(&db)
            .args(["--passphrase-fd", "0", "stats"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let proc_dir = PathBuf::from(format!("/proc/{}", child.id()));
        let cmdline = std::fs::read(proc_dir.join("cmdline")).unwrap();
        let environ = std::fs::read(proc_dir.join("environ")).unwrap_or_default();
        let mut input = child.stdin.take().unwrap();
        input.write_all(format!("New-{secret}").as_bytes()).unwrap();
        drop(input);
        assert!(child.wait().unwrap().success());
        assert!(!contains(&cmdline, secret), "the passphrase is in argv");
        assert!(
            !contains(&environ, secret),
            "the passphrase is in the environment"
        );
    }
}
