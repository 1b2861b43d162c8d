//! Offline sync: the hub's register and the nurses' device registers exchange what the other side
//! has not acknowledged, as bundles of SQLite session changesets — in a file on a USB stick, or
//! over an SSH channel.
//!
//! - **Capture** ([`capture`]): everything a register has not yet put in its outbox becomes
//!   numbered outbox entries, one SQLite changeset each. The append-only tables (calls, changes,
//!   audit) are swept by rowid; on the hub each import's transaction writes its own entry of
//!   what it changed in the imported tables (`crate::store::hub_changes`), so no capture reads
//!   more than what changed.
//! - **Exchange** ([`export`], [`bundle`], [`remote`]): a bundle carries the entries the other
//!   side has not acknowledged, its own acknowledgement of the other side's entries, a sequence
//!   range, and a SHA-256 checksum.
//! - **Apply** ([`apply`]): one transaction; the conflict rules are in [`rules`].

pub mod apply;
pub mod base;
pub mod bundle;
pub mod capture;
mod error;
pub mod export;
pub mod filter;
pub mod remote;
pub mod rules;
pub mod scope;
pub mod seal;
pub mod setup;
pub mod status;
pub mod tables;
pub mod wire;

pub use error::{OldCopy, Problem, SyncError};

use rusqlite::{Connection, OptionalExtension};

/// The part a register plays in sync.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The one register every device exchanges with; it imports the hospital's data.
    Hub,
    /// A nurse's laptop: a copy of the hub's register that logs calls and changes offline.
    Device,
}

impl Role {
    /// The code stored in `meta` and in bundles.
    pub fn code(self) -> &'static str {
        match self {
            Role::Hub => "hub",
            Role::Device => "device",
        }
    }

    /// Parses a stored code.
    pub fn parse(code: &str) -> Option<Role> {
        match code {
            "hub" => Some(Role::Hub),
            "device" => Some(Role::Device),
            _ => None,
        }
    }
}

/// This register's role, if it takes part in sync.
pub fn role(conn: &Connection) -> rusqlite::Result<Option<Role>> {
    let code: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = 'sync_role'", [], |r| {
            r.get(0)
        })
        .optional()?;
    Ok(code.as_deref().and_then(Role::parse))
}

/// This register's device id (the `meta` key every call and change carries).
pub fn device_id(conn: &Connection) -> rusqlite::Result<String> {
    conn.query_row("SELECT value FROM meta WHERE key = 'device_id'", [], |r| {
        r.get(0)
    })
}

/// The register's role, or the error saying sync is not set up.
pub fn require_role(conn: &Connection) -> Result<Role, SyncError> {
    role(conn)?.ok_or(SyncError::NotSetUp)
}

/// The current UTC time as sync records it (`YYYY-MM-DDTHH:MM:SSZ`).
pub fn now_utc() -> String {
    crate::store::hub_changes::now_utc()
}
