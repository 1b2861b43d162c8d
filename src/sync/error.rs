//! Why a sync step failed, as one sentence in the user's language.

use crate::i18n::msg;
use std::path::PathBuf;

/// What is wrong with a bundle file; it is refused whole and the register is not changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// It does not start like an acodesk sync bundle.
    NotABundle,
    /// It is shorter than its own header says: cut short in copying.
    Truncated,
    /// Its checksum does not match its contents, or its contents do not decode.
    Damaged,
    /// It was made for another register.
    OtherRegister,
    /// It comes from a register this one does not exchange with.
    UnknownSender(String),
    /// It was written by an acodesk with another register schema.
    Schema { theirs: u32, ours: u32 },
    /// It changes something its sender may not change (a device changing imported records).
    Forbidden(String),
    /// One of the two registers is an old copy: restored from a backup, or copied from another.
    OldCopy(OldCopy),
}

/// Which register is the old copy, as the receiver of a bundle sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OldCopy {
    /// This laptop: the hub has seen more of its entries, or acknowledged more, than it holds.
    ThisDevice,
    /// This hub: a laptop has applied more of the hub's entries than the hub holds.
    ThisHub,
    /// The sending laptop.
    SenderDevice,
    /// The sending hub.
    SenderHub,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = match self {
            Problem::NotABundle => msg("sync-problem-not-bundle", &[]),
            Problem::Truncated => msg("sync-problem-truncated", &[]),
            Problem::Damaged => msg("sync-problem-damaged", &[]),
            Problem::OtherRegister => msg("sync-problem-other-register", &[]),
            Problem::UnknownSender(id) => msg(
                "sync-problem-unknown-sender",
                &[("device", id.as_str().into())],
            ),
            Problem::Schema { theirs, ours } => msg(
                "sync-problem-schema",
                &[
                    ("theirs", u64::from(*theirs).into()),
                    ("ours", u64::from(*ours).into()),
                ],
            ),
            Problem::Forbidden(table) => msg(
                "sync-problem-forbidden",
                &[("table", table.as_str().into())],
            ),
            Problem::OldCopy(which) => msg(
                match which {
                    OldCopy::ThisDevice => "sync-problem-old-this-device",
                    OldCopy::ThisHub => "sync-problem-old-this-hub",
                    OldCopy::SenderDevice => "sync-problem-old-sender-device",
                    OldCopy::SenderHub => "sync-problem-old-sender-hub",
                },
                &[],
            ),
        };
        f.write_str(&text)
    }
}

/// A sync step that could not be done.
#[derive(Debug)]
pub enum SyncError {
    /// This register takes part in no sync yet.
    NotSetUp,
    /// `sync init` or `join` on a register that already has a role.
    AlreadySetUp,
    /// A hub-only command on a device.
    NeedsHub,
    /// A device-only command on the hub.
    NeedsDevice,
    /// The hub does not know this device (id or name).
    UnknownDevice(String),
    /// The hub has more than one device: say which.
    WhichDevice,
    /// A scope names a site (organization id) the register does not have.
    UnknownSite(String),
    /// A scope names a nurse (staff id) the register does not have.
    UnknownNurse(String),
    /// A bundle was refused whole.
    BadBundle { file: String, problem: Problem },
    /// A file that must not be overwritten exists.
    Exists(PathBuf),
    /// A join file is not a device register made by `acodesk sync add-device`.
    NotAJoinFile(PathBuf),
    /// A join file does not open with the passphrase given (or was altered).
    WrongJoinPassphrase(PathBuf),
    /// No key is shared with the peer (a device added before bundles were sealed).
    NoKey,
    /// A bundle or join file could not be sealed.
    Seal(String),
    /// The other side of a link reported an error.
    Remote(String),
    /// The link to the other side failed.
    Link(String),
    /// Copying the register (for a new device) failed: the backup's own sentence.
    Copy(String),
    /// A file could not be read or written.
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The register could not be opened.
    Store(crate::store::StoreError),
    /// SQLite failed.
    Sqlite(rusqlite::Error),
}

impl std::fmt::Display for SyncError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let path_arg = |p: &PathBuf| p.display().to_string();
        let text = match self {
            SyncError::NotSetUp => msg("sync-not-set-up", &[]),
            SyncError::AlreadySetUp => msg("sync-already-set-up", &[]),
            SyncError::NeedsHub => msg("sync-needs-hub", &[]),
            SyncError::NeedsDevice => msg("sync-needs-device", &[]),
            SyncError::UnknownDevice(d) => {
                msg("sync-unknown-device", &[("device", d.as_str().into())])
            }
            SyncError::WhichDevice => msg("sync-which-device", &[]),
            SyncError::UnknownSite(s) => msg("sync-unknown-site", &[("site", s.as_str().into())]),
            SyncError::UnknownNurse(n) => {
                msg("sync-unknown-nurse", &[("nurse", n.as_str().into())])
            }
            SyncError::BadBundle { file, problem } => msg(
                "sync-bad-bundle",
                &[
                    ("file", file.as_str().into()),
                    ("problem", problem.to_string().as_str().into()),
                ],
            ),
            SyncError::Exists(p) => msg("sync-exists", &[("path", path_arg(p).as_str().into())]),
            SyncError::NotAJoinFile(p) => msg(
                "sync-not-join-file",
                &[("path", path_arg(p).as_str().into())],
            ),
            SyncError::WrongJoinPassphrase(p) => msg(
                "sync-join-wrong-passphrase",
                &[("path", path_arg(p).as_str().into())],
            ),
            SyncError::NoKey => msg("sync-no-key", &[]),
            SyncError::Seal(m) => msg("sync-seal-error", &[("error", m.as_str().into())]),
            SyncError::Remote(m) => msg("sync-remote-error", &[("error", m.as_str().into())]),
            SyncError::Link(m) => msg("sync-link-error", &[("error", m.as_str().into())]),
            SyncError::Copy(m) => m.clone(),
            SyncError::Io { path, source } => msg(
                "sync-io-error",
                &[
                    ("path", path_arg(path).as_str().into()),
                    ("error", source.to_string().as_str().into()),
                ],
            ),
            SyncError::Store(e) => e.to_string(),
            SyncError::Sqlite(e) => msg(
                "sync-sqlite-error",
                &[("error", e.to_string().as_str().into())],
            ),
        };
        f.write_str(&text)
    }
}

impl std::error::Error for SyncError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SyncError::Io { source, .. } => Some(source),
            SyncError::Store(e) => Some(e),
            SyncError::Sqlite(e) => Some(e),
            _ => None,
        }
    }
}

impl From<rusqlite::Error> for SyncError {
    fn from(e: rusqlite::Error) -> Self {
        SyncError::Sqlite(e)
    }
}

impl From<crate::store::StoreError> for SyncError {
    fn from(e: crate::store::StoreError) -> Self {
        SyncError::Store(e)
    }
}
