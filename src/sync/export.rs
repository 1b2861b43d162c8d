//! Making a bundle for a peer: everything in the outbox it has not acknowledged.

use super::bundle::{Bundle, Entry, FORMAT, Header};
use super::capture::{Captured, capture};
use super::{Role, SyncError, now_utc, require_role};
use crate::store::Store;
use rusqlite::Connection;

/// A register this one exchanges with, as recorded in `sync_peers`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Peer {
    /// Its device id.
    pub device_id: String,
    /// `hub` or `device`.
    pub role: String,
    /// The name given when the device was added.
    pub name: String,
    /// The last of its entries applied here.
    pub applied_seq: u64,
    /// The last of our entries it acknowledged.
    pub acked_seq: u64,
    /// The last successful exchange (UTC), if any.
    pub last_sync_at: Option<String>,
}

/// Every peer of this register, by name.
pub fn peers(conn: &Connection) -> rusqlite::Result<Vec<Peer>> {
    let mut stmt = conn.prepare(
        "SELECT device_id, role, name, applied_seq, acked_seq, last_sync_at FROM sync_peers
         ORDER BY name, device_id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Peer {
            device_id: r.get(0)?,
            role: r.get(1)?,
            name: r.get(2)?,
            applied_seq: r.get::<_, i64>(3)? as u64,
            acked_seq: r.get::<_, i64>(4)? as u64,
            last_sync_at: r.get(5)?,
        })
    })?;
    rows.collect()
}

/// The peer a bundle goes to: a device's hub; on the hub the device named (by id or name), or the
/// only one.
pub fn resolve_peer(conn: &Connection, wanted: Option<&str>) -> Result<Peer, SyncError> {
    let role = require_role(conn)?;
    let all = peers(conn)?;
    match role {
        Role::Device => all
            .into_iter()
            .find(|p| p.role == "hub")
            .ok_or(SyncError::NotSetUp),
        Role::Hub => {
            let devices: Vec<Peer> = all.into_iter().filter(|p| p.role == "device").collect();
            match wanted {
                Some(w) => devices
                    .into_iter()
                    .find(|p| p.device_id == w || p.name == w)
                    .ok_or_else(|| SyncError::UnknownDevice(w.to_string())),
                None if devices.len() == 1 => {
                    Ok(devices.into_iter().next().ok_or(SyncError::WhichDevice)?)
                }
                None => Err(SyncError::WhichDevice),
            }
        }
    }
}

/// A bundle of our outbox entries after `after`, up to about `max_bytes` of changesets (at least
/// one entry; `None`: all), acknowledging what we applied of the peer's. On the hub, an entry for
/// another device goes as an empty entry (the numbering has no holes), and a scoped device gets
/// each entry with only the rows of the patients it held then ([`super::scope::Held`]).
pub fn bundle_for(
    store: &Store,
    peer: &Peer,
    after: u64,
    max_bytes: Option<usize>,
) -> Result<Bundle, SyncError> {
    let conn = store.conn();
    let role = require_role(conn)?;
    let mut held = match role {
        Role::Hub if super::scope::scope_of(conn, &peer.device_id)?.is_some() => {
            Some(super::scope::Held::new(&peer.device_id))
        }
        _ => None,
    };
    let mut stmt = conn.prepare(
        "SELECT seq, rows, edits, changeset, for_device FROM sync_outbox WHERE seq > ?1 ORDER BY seq",
    )?;
    let mut rows = stmt.query([after as i64])?;
    let mut entries = Vec::new();
    let mut size = 0usize;
    while let Some(row) = rows.next()? {
        let seq = row.get::<_, i64>(0)? as u64;
        let for_device: Option<String> = row.get(4)?;
        let mut entry = Entry {
            seq,
            rows: row.get::<_, i64>(1)? as u32,
            edits: row.get::<_, i64>(2)? as u32,
            changeset: row.get(3)?,
        };
        match (for_device, held.as_mut()) {
            (Some(d), _) if d != peer.device_id => {
                entry.changeset.clear();
                entry.rows = 0;
                entry.edits = 0;
            }
            (None, Some(held)) => {
                let (changeset, kept, edits) = held.keeps(conn, seq, &entry.changeset)?;
                entry.changeset = changeset;
                entry.rows = kept as u32;
                entry.edits = edits as u32;
            }
            _ => {}
        }
        if max_bytes.is_some_and(|max| !entries.is_empty() && size + entry.changeset.len() > max) {
            break;
        }
        size += entry.changeset.len();
        entries.push(entry);
    }
    let last_seq = entries.last().map_or(after, |e| e.seq);
    Ok(Bundle {
        header: Header {
            format: FORMAT,
            schema: store.schema_version()?,
            from: store.device_id(),
            from_role: role.code().to_string(),
            to: peer.device_id.clone(),
            first_seq: after + 1,
            last_seq,
            ack: peer.applied_seq,
            created_at: now_utc(),
            entries: entries.len() as u64,
            issued: super::setup::issued_seq(conn)?,
        },
        entries,
    })
}

/// Captures what is new (on the hub, also what entered or left a scoped device's scope), then
/// makes the bundle of everything the peer has not acknowledged.
pub fn export(store: &mut Store, wanted: Option<&str>) -> Result<(Bundle, Captured), SyncError> {
    let peer = resolve_peer(store.conn(), wanted)?;
    let captured = capture(store)?;
    if peer.role == "device" {
        super::scope::update(store, &peer.device_id)?;
    }
    let bundle = bundle_for(store, &peer, peer.acked_seq, None)?;
    Ok((bundle, captured))
}
