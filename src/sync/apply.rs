//! Applying a bundle: one transaction, all or nothing.
//!
//! Entries are applied in sequence order, each once: an entry at or below what was already applied
//! from the sender is skipped, and a bundle that starts past the next expected entry is refused
//! (an earlier bundle is missing). So applying a bundle twice, out of order, or after a newer one
//! changes nothing wrong, and the caller can say so. Conflicts follow [`super::rules`].

use super::bundle::Bundle;
use super::error::OldCopy;
use super::tables::{APPEND_ONLY, HUB_TABLES, Shape, allowed_from, patient_column};
use super::{Problem, Role, SyncError, require_role, rules};
use crate::store::Store;
use rusqlite::fallible_streaming_iterator::FallibleStreamingIterator;
use rusqlite::hooks::Action;
use rusqlite::session::{ChangesetItem, ChangesetIter, ConflictAction, ConflictType};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Above this many touched patients the stored worklist is rebuilt by its next reader instead of
/// being refreshed patient by patient inside the apply.
const REFRESH_LIMIT: usize = 500;

/// What applying a bundle did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Applied {
    /// Entries applied now.
    pub entries: u64,
    /// Row changes in them.
    pub rows: u64,
    /// Entries the bundle carried that were already applied before.
    pub skipped: u64,
    /// Rows settled by a rule (already present, or the hub's version kept).
    pub resolved: u64,
    /// Patients whose records the bundle touched.
    pub patients: u64,
}

/// A peer's row as an apply reads it: role, applied, acknowledged, last sync, last entry's hash.
type PeerRecord = (String, i64, i64, Option<String>, Option<Vec<u8>>);

/// What the entries of a bundle touch, read before anything is applied.
#[derive(Default)]
struct Touched {
    /// Patients whose rows changed.
    patients: BTreeSet<String>,
    /// Patients whose device-writable fields may need settling.
    settle: BTreeSet<String>,
    /// Some imported table changed.
    hub_tables: bool,
    /// A table that is not per patient changed (organizations, staff…).
    whole_register: bool,
    /// Patients whose `patients` row the bundle inserts (on a scoped device: entering its scope).
    inserted: BTreeSet<String>,
}

/// Applies `bundle` (read from `file`, named in errors) to the register.
pub fn apply(store: &mut Store, bundle: &Bundle, file: &str) -> Result<Applied, SyncError> {
    apply_by(store, bundle, file, None)
}

/// [`apply`], recording in the audit trail, in the same transaction, that `user` applied it.
pub fn apply_by(
    store: &mut Store,
    bundle: &Bundle,
    file: &str,
    user: Option<&str>,
) -> Result<Applied, SyncError> {
    let bad = |problem| SyncError::BadBundle {
        file: file.to_string(),
        problem,
    };
    let role = require_role(store.conn())?;
    let me = store.device_id();
    let header = &bundle.header;
    if header.to != me {
        return Err(bad(Problem::OtherRegister));
    }
    let ours = store.schema_version()?;
    if header.schema != ours {
        return Err(bad(Problem::Schema {
            theirs: header.schema,
            ours,
        }));
    }
    let tx = store
        .conn_mut()
        .transaction_with_behavior(TransactionBehavior::Immediate)?;
    let peer: Option<PeerRecord> = tx
        .query_row(
            "SELECT role, applied_seq, acked_seq, last_sync_at, applied_hash FROM sync_peers
             WHERE device_id = ?1",
            [&header.from],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?;
    let (applied_before, acked, last_sync, applied_hash) = match (role, peer) {
        (Role::Hub, Some((r, applied, acked, last, hash))) if r == "device" => {
            (applied as u64, acked as u64, last, hash)
        }
        (Role::Device, Some((r, applied, acked, last, hash))) if r == "hub" => {
            (applied as u64, acked as u64, last, hash)
        }
        _ => return Err(bad(Problem::UnknownSender(header.from.clone()))),
    };
    // A bundle written after the last one applied from this peer must not go back on what the
    // peer said before; an older bundle (applied late, or again) may, and changes nothing.
    let newer = last_sync
        .as_deref()
        .is_none_or(|t| header.created_at.as_str() > t);
    let ours = super::setup::issued_seq(&tx)?;
    let at_applied = bundle.entries.iter().find(|e| e.seq == applied_before);
    let copied = match (at_applied, &applied_hash) {
        (Some(entry), Some(hash)) => entry_hash(&entry.changeset).as_slice() != hash.as_slice(),
        _ => false,
    };
    if let Some(which) = old_copy(
        role,
        Seen {
            their_ack: header.ack,
            their_issued: header.issued,
            our_issued: ours,
            acked,
            applied: applied_before,
        },
        newer,
        copied,
    ) {
        return Err(bad(Problem::OldCopy(which)));
    }
    let sender_is_hub = role == Role::Device;
    let fresh: Vec<_> = bundle
        .entries
        .iter()
        .filter(|e| e.seq > applied_before)
        .collect();
    // A bundle starts after what its sender was told we applied; starting past what we hold
    // means we acknowledged entries we no longer have: this register went back (a restore).
    if let Some(first) = fresh.first() {
        if first.seq != applied_before + 1 {
            return Err(bad(Problem::OldCopy(match role {
                Role::Hub => OldCopy::ThisHub,
                Role::Device => OldCopy::ThisDevice,
            })));
        }
    }
    let mut report = Applied {
        skipped: (bundle.entries.len() - fresh.len()) as u64,
        ..Applied::default()
    };
    let mut touched = Touched::default();
    // The patients each entry inserts (a scoped device: entering its scope again).
    let mut entering: Vec<BTreeSet<String>> = Vec::with_capacity(fresh.len());
    for entry in &fresh {
        if !entry.changeset.is_empty() {
            scan(&tx, &entry.changeset, sender_is_hub, &mut touched).map_err(|e| match e {
                ScanError::Forbidden(table) => bad(Problem::Forbidden(table)),
                ScanError::Sqlite(e) => {
                    tracing::warn!(error = %e, "a bundle's changeset does not read");
                    bad(Problem::Damaged)
                }
            })?;
        }
        entering.push(std::mem::take(&mut touched.inserted));
    }
    let resolved = Arc::new(AtomicU64::new(0));
    for (entry, entering) in fresh.iter().zip(&entering) {
        if entry.changeset.is_empty() {
            // An entry for another device, or one with nothing of this device's scope.
            report.entries += 1;
            continue;
        }
        if role == Role::Device {
            // Just before the entry that brings them back: an earlier entry of the same bundle
            // may have noted that they left.
            super::scope::reenter(&tx, entering)?;
        }
        let mut input: &[u8] = &entry.changeset;
        let counter = Arc::clone(&resolved);
        tx.apply_strm(
            &mut input,
            None::<fn(&str) -> bool>,
            move |kind, item: ChangesetItem| resolve(kind, &item, &counter),
        )?;
        report.entries += 1;
        report.rows += u64::from(entry.rows);
    }
    report.resolved = resolved.load(Ordering::Relaxed);
    report.patients = touched.patients.len() as u64;
    let status_changed = rules::settle_patients(&tx, &touched.settle)?;
    if touched.whole_register || touched.patients.len() > REFRESH_LIMIT {
        crate::store::worklist_index::invalidate(&tx)?;
    } else {
        let ids: Vec<&str> = touched.patients.iter().map(String::as_str).collect();
        crate::store::worklist_index::refresh_patients(&tx, &ids)?;
        if touched.hub_tables || status_changed {
            crate::store::views::budget_inputs::drop_cached_inputs(&tx)?;
        }
    }
    let last_applied = fresh.last().map_or(applied_before, |e| e.seq);
    record_exchange(
        &tx,
        &header.from,
        last_applied,
        header.ack,
        &header.created_at,
    )?;
    if let Some(last) = fresh.last() {
        tx.execute(
            "UPDATE sync_peers SET applied_hash = ?2 WHERE device_id = ?1",
            params![header.from, entry_hash(&last.changeset).as_slice()],
        )?;
    }
    if role == Role::Device {
        // Patients that left this laptop's scope go once the hub has everything about them.
        super::scope::prune(&tx)?;
    }
    if let Some(user) = user {
        let detail = format!(
            "from {} entries {} rows {} patients {}",
            header.from, report.entries, report.rows, report.patients
        );
        crate::store::audit::record(&tx, user, &me, "sync_apply", None, file, &detail)?;
    }
    tx.commit()?;
    Ok(report)
}

/// What the two registers said of each other, for [`old_copy`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Seen {
    /// The last of our entries the peer says it applied.
    pub their_ack: u64,
    /// The highest sequence number the peer has given.
    pub their_issued: u64,
    /// The highest sequence number we have given.
    pub our_issued: u64,
    /// The last of our entries the peer acknowledged before.
    pub acked: u64,
    /// The last of the peer's entries we applied before.
    pub applied: u64,
}

/// Which register is an old copy (restored from a backup, or copied), if one is: its numbers
/// fall behind what the other recorded. `newer`: what the peer says is more recent than what it
/// said before (an old bundle applied late legitimately says less). `copied`: the peer's entry
/// at the number we applied last differs from the one we applied (another register with the
/// same numbering).
pub(crate) fn old_copy(role: Role, seen: Seen, newer: bool, copied: bool) -> Option<OldCopy> {
    let (this, sender) = match role {
        Role::Hub => (OldCopy::ThisHub, OldCopy::SenderDevice),
        Role::Device => (OldCopy::ThisDevice, OldCopy::SenderHub),
    };
    // The peer applied entries of ours that we have never numbered: we went back.
    if seen.their_ack > seen.our_issued {
        return Some(this);
    }
    if copied || (newer && (seen.their_ack < seen.acked || seen.their_issued < seen.applied)) {
        return Some(sender);
    }
    None
}

/// The SHA-256 of an entry's changeset, kept for the last entry applied from each peer.
pub(crate) fn entry_hash(changeset: &[u8]) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    Sha256::digest(changeset).into()
}

/// Notes what the peer has and what it acknowledged, and removes outbox entries every peer has.
pub(crate) fn record_exchange(
    conn: &Connection,
    peer: &str,
    applied: u64,
    ack: u64,
    peer_time: &str,
) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE sync_peers SET applied_seq = max(applied_seq, ?2) WHERE device_id = ?1",
        params![peer, applied as i64],
    )?;
    note_ack(conn, peer, ack)?;
    note_synced(conn, peer, peer_time)
}

/// Records that `peer` has applied our entries up to `ack`, and removes the outbox entries every
/// peer has.
pub(crate) fn note_ack(conn: &Connection, peer: &str, ack: u64) -> rusqlite::Result<()> {
    // An acknowledgement can never be past what this register has numbered.
    let ack = ack.min(super::setup::issued_seq(conn)?);
    conn.execute(
        "UPDATE sync_peers SET acked_seq = max(acked_seq, ?2) WHERE device_id = ?1",
        params![peer, ack as i64],
    )?;
    conn.execute(
        "DELETE FROM sync_outbox WHERE seq <= (SELECT min(acked_seq) FROM sync_peers)",
        [],
    )?;
    Ok(())
}

/// Records a successful exchange with `peer` as of `time` (UTC; an older time changes nothing).
pub(crate) fn note_synced(conn: &Connection, peer: &str, time: &str) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE sync_peers SET last_sync_at = ?2
         WHERE device_id = ?1 AND (last_sync_at IS NULL OR last_sync_at < ?2)",
        params![peer, time],
    )?;
    Ok(())
}

/// The conflict rules, as the session extension asks them row by row.
fn resolve(kind: ConflictType, item: &ChangesetItem, resolved: &AtomicU64) -> ConflictAction {
    let append_only = item
        .op()
        .map(|op| APPEND_ONLY.contains(&op.table_name()))
        .unwrap_or(false);
    match kind {
        // The row is already here: an append-only entry is the same entry (same UUID); an
        // imported record takes the hub's version.
        ConflictType::SQLITE_CHANGESET_CONFLICT | ConflictType::SQLITE_CHANGESET_DATA => {
            resolved.fetch_add(1, Ordering::Relaxed);
            if append_only {
                ConflictAction::SQLITE_CHANGESET_OMIT
            } else {
                ConflictAction::SQLITE_CHANGESET_REPLACE
            }
        }
        // An update or removal of a row this register does not have: nothing to do.
        ConflictType::SQLITE_CHANGESET_NOTFOUND => {
            resolved.fetch_add(1, Ordering::Relaxed);
            ConflictAction::SQLITE_CHANGESET_OMIT
        }
        // A broken constraint or reference: the bundle is refused whole.
        _ => ConflictAction::SQLITE_CHANGESET_ABORT,
    }
}

enum ScanError {
    Forbidden(String),
    Sqlite(rusqlite::Error),
}

impl From<rusqlite::Error> for ScanError {
    fn from(e: rusqlite::Error) -> Self {
        ScanError::Sqlite(e)
    }
}

/// Reads which tables and patients a changeset touches, refusing tables its sender may not change.
fn scan(
    conn: &Connection,
    changeset: &[u8],
    sender_is_hub: bool,
    touched: &mut Touched,
) -> Result<(), ScanError> {
    let mut input: &[u8] = changeset;
    let reader: &mut dyn std::io::Read = &mut input;
    let mut iter = ChangesetIter::start_strm(&reader)?;
    let mut positions: HashMap<String, Option<usize>> = HashMap::new();
    while let Some(item) = iter.next()? {
        let op = item.op()?;
        let table = op.table_name().to_string();
        let append_only = APPEND_ONLY.contains(&table.as_str());
        if !allowed_from(&table, sender_is_hub)
            || (append_only && op.code() != Action::SQLITE_INSERT)
        {
            return Err(ScanError::Forbidden(table));
        }
        if !positions.contains_key(&table) {
            let position = match patient_column(&table) {
                Some(column) => Shape::of(conn, "main", &table)?.position(column),
                None => None,
            };
            positions.insert(table.clone(), position);
        }
        let is_hub_table = HUB_TABLES.contains(&table.as_str());
        touched.hub_tables |= is_hub_table;
        let Some(position) = positions[&table] else {
            touched.whole_register |= is_hub_table;
            continue;
        };
        let value = match op.code() {
            Action::SQLITE_INSERT => item.new_value(position),
            _ => item.old_value(position),
        }?;
        let Ok(patient) = value.as_str() else {
            continue;
        };
        touched.patients.insert(patient.to_string());
        if table == "patients" && op.code() == Action::SQLITE_INSERT {
            touched.inserted.insert(patient.to_string());
        }
        if table == "changes" || table == "patients" {
            touched.settle.insert(patient.to_string());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two registers in step: each acknowledged 5 of the other's 7 entries.
    fn in_step() -> Seen {
        Seen {
            their_ack: 5,
            their_issued: 7,
            our_issued: 7,
            acked: 5,
            applied: 5,
        }
    }

    #[test]
    fn registers_in_step_are_no_old_copy() {
        assert_eq!(old_copy(Role::Hub, in_step(), true, false), None);
        assert_eq!(old_copy(Role::Device, in_step(), true, false), None);
    }

    #[test]
    fn an_acknowledgement_past_our_numbering_means_we_went_back() {
        let seen = Seen {
            their_ack: 8,
            ..in_step()
        };
        assert_eq!(
            old_copy(Role::Hub, seen, false, false),
            Some(OldCopy::ThisHub)
        );
        assert_eq!(
            old_copy(Role::Device, seen, false, false),
            Some(OldCopy::ThisDevice)
        );
    }

    #[test]
    fn a_newer_word_that_says_less_than_before_means_the_sender_went_back() {
        let forgot_acks = Seen {
            their_ack: 4,
            ..in_step()
        };
        let fewer_entries = Seen {
            their_issued: 4,
            ..in_step()
        };
        for seen in [forgot_acks, fewer_entries] {
            assert_eq!(
                old_copy(Role::Hub, seen, true, false),
                Some(OldCopy::SenderDevice)
            );
            assert_eq!(
                old_copy(Role::Device, seen, true, false),
                Some(OldCopy::SenderHub)
            );
            // An older bundle applied late may say less: it is no sign of a restore.
            assert_eq!(old_copy(Role::Hub, seen, false, false), None);
        }
    }

    #[test]
    fn another_entry_under_a_number_already_applied_is_a_copy() {
        assert_eq!(
            old_copy(Role::Hub, in_step(), false, true),
            Some(OldCopy::SenderDevice)
        );
        let a = entry_hash(b"one");
        assert_ne!(a, entry_hash(b"two"));
        assert_eq!(a, entry_hash(b"one"));
    }
}
