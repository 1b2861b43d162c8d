//! Roles: making a register the hub, adding a device at the hub, and installing a device.
//!
//! A device starts as a copy of the hub's register made by `acodesk sync add-device`: the copy
//! gets a new device id and knows its hub, and the hub registers the device as having everything
//! the copy holds. `acodesk sync join FILE` installs that copy as the laptop's register.

use super::capture::{capture, mark_everything_captured};
use super::scope::Scope;
use super::{Role, SyncError, device_id, now_utc, role};
use crate::store::Store;
use rusqlite::{Connection, TransactionBehavior, params};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Makes this register the hub: records the role; what its imports change from now on is
/// captured by the imports themselves ([`crate::store::hub_changes`]).
pub fn init_hub(store: &mut Store) -> Result<(), SyncError> {
    if role(store.conn())?.is_some() {
        return Err(SyncError::AlreadySetUp);
    }
    let conn = store.conn();
    let tx = rusqlite::Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?;
    let me = device_id(&tx)?;
    set_meta(&tx, "sync_role", Role::Hub.code())?;
    set_meta(&tx, "sync_hub", &me)?;
    mark_everything_captured(&tx)?;
    tx.commit()?;
    Ok(())
}

fn set_meta(conn: &Connection, key: &str, value: &str) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

/// The outbox's highest sequence number ever given.
pub fn issued_seq(conn: &Connection) -> rusqlite::Result<u64> {
    conn.query_row(
        "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'sync_outbox'), 0)",
        [],
        |r| r.get::<_, i64>(0),
    )
    .map(|n| n as u64)
}

/// On the hub: writes `out`, a copy of the register that becomes a new device named `name`,
/// sealed under `passphrase` ([`super::seal`]), and registers that device with the key their
/// bundles will be sealed with. Returns the new device's id.
pub fn add_device(
    store: &mut Store,
    name: &str,
    out: &Path,
    user: &str,
    passphrase: &str,
) -> Result<String, SyncError> {
    add_scoped_device(store, name, None, out, user, passphrase)
}

/// [`add_device`] for a device holding only the patients of `scope` (`None`: the whole
/// register): the copy carries only theirs ([`super::scope`]).
pub fn add_scoped_device(
    store: &mut Store,
    name: &str,
    scope: Option<&Scope>,
    out: &Path,
    user: &str,
    passphrase: &str,
) -> Result<String, SyncError> {
    if super::require_role(store.conn())? != Role::Hub {
        return Err(SyncError::NeedsHub);
    }
    if out.exists() {
        return Err(SyncError::Exists(out.to_path_buf()));
    }
    if let Some(scope) = scope {
        super::scope::validate(store.conn(), scope)?;
    }
    // Everything so far is in the outbox, so the copy and the numbering agree.
    capture(store)?;
    let hub = store.device_id();
    let seq = issued_seq(store.conn())?;
    let preparing = with_suffix(out, ".preparing");
    let _ = std::fs::remove_file(&preparing);
    crate::store::backup::backup_to(store, &preparing, user)
        .map_err(|e| SyncError::Copy(e.to_string()))?;
    let device = uuid::Uuid::now_v7().to_string();
    // A new device has written nothing yet: its patients are those of its sites and nurse.
    let held = match scope {
        Some(scope) => Some(super::scope::members(store.conn(), &device, scope)?),
        None => None,
    };
    let key = super::seal::new_key();
    let sealing = with_suffix(out, ".sealing");
    let _ = std::fs::remove_file(&sealing);
    let made = make_device(&preparing, &device, &hub, seq, &key, held.as_ref())
        .and_then(|()| super::seal::seal_join_file(&preparing, &sealing, passphrase));
    let _ = std::fs::remove_file(&preparing);
    if let Err(e) = made {
        let _ = std::fs::remove_file(&sealing);
        return Err(e);
    }
    let tx = store
        .conn_mut()
        .transaction_with_behavior(TransactionBehavior::Immediate)?;
    tx.execute(
        "INSERT INTO sync_peers (device_id, role, name, registered_at, applied_seq, acked_seq, bundle_key)
         VALUES (?1, 'device', ?2, ?3, 0, ?4, ?5)",
        params![device, name, now_utc(), seq as i64, key.as_slice()],
    )?;
    if let (Some(scope), Some(held)) = (scope, &held) {
        super::scope::register(&tx, &device, scope, held, seq)?;
    }
    tx.commit()?;
    std::fs::rename(&sealing, out).map_err(|source| SyncError::Io {
        path: out.to_path_buf(),
        source,
    })?;
    Ok(device)
}

/// Turns a fresh copy of the hub into device `device`, holding only the patients `keep` when
/// given (the copy is then compacted, so the join file shrinks with the scope).
fn make_device(
    copy: &Path,
    device: &str,
    hub: &str,
    seq: u64,
    key: &super::bundle::Key,
    keep: Option<&BTreeSet<String>>,
) -> Result<(), SyncError> {
    let mut copy = Store::open_existing(copy)?;
    let tx = copy
        .conn_mut()
        .transaction_with_behavior(TransactionBehavior::Immediate)?;
    set_meta(&tx, "device_id", device)?;
    set_meta(&tx, "sync_role", Role::Device.code())?;
    set_meta(&tx, "sync_hub", hub)?;
    tx.execute_batch(
        "DELETE FROM sync_outbox; DELETE FROM sync_peers; DELETE FROM sync_marks;
         DELETE FROM sqlite_sequence WHERE name = 'sync_outbox';",
    )?;
    let now = now_utc();
    tx.execute(
        "INSERT INTO sync_peers (device_id, role, name, registered_at, applied_seq, acked_seq, last_sync_at,
            bundle_key)
         VALUES (?1, 'hub', 'hub', ?2, ?3, 0, ?2, ?4)",
        params![hub, now, seq as i64, key.as_slice()],
    )?;
    mark_everything_captured(&tx)?;
    if let Some(keep) = keep {
        super::scope::trim_copy(&tx, keep)?;
    }
    tx.commit()?;
    if keep.is_some() {
        copy.conn().execute_batch("VACUUM")?;
    }
    let checkpoint = copy
        .conn()
        .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
    checkpoint?;
    Ok(())
}

/// What `join` installed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Joined {
    /// This device's id.
    pub device: String,
    /// Its hub's id.
    pub hub: String,
}

/// Installs the device register sealed in `file` (made by `add-device`, opened with
/// `passphrase`) as the register at `db`, which must not exist yet.
pub fn join(file: &Path, db: &Path, user: &str, passphrase: &str) -> Result<Joined, SyncError> {
    if db.exists() {
        return Err(SyncError::Exists(db.to_path_buf()));
    }
    if let Some(dir) = db.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|source| SyncError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
    }
    // The opened copy lives beside the new register (owner-only) only while it is copied in.
    let opened = with_suffix(db, ".joining");
    let _ = std::fs::remove_file(&opened);
    let result = super::seal::open_join_file(file, &opened, passphrase)
        .and_then(|()| install(file, &opened, db, user));
    let _ = std::fs::remove_file(&opened);
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(with_suffix(&opened, suffix));
    }
    result
}

fn install(file: &Path, opened: &Path, db: &Path, user: &str) -> Result<Joined, SyncError> {
    let not_join = || SyncError::NotAJoinFile(file.to_path_buf());
    let source = Store::open_existing(opened).map_err(|_| not_join())?;
    if role(source.conn()).ok().flatten() != Some(Role::Device) {
        return Err(not_join());
    }
    let hub: String = source
        .conn()
        .query_row(
            "SELECT device_id FROM sync_peers WHERE role = 'hub'",
            [],
            |r| r.get(0),
        )
        .map_err(|_| not_join())?;
    let device = source.device_id();
    crate::store::backup::backup_to(&source, db, user)
        .map_err(|e| SyncError::Copy(e.to_string()))?;
    Ok(Joined { device, hub })
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}
