//! Keys: bundles only their recipient can read, and join files only whoever knows the passphrase
//! given at `add-device` can open.
//!
//! - Each device shares one random 256-bit key with the hub, made at `add-device` and kept in both
//!   registers' `sync_peers` row for the other (`bundle_key`); the device's copy travels inside
//!   its join file. Every bundle between them is sealed with it (XChaCha20-Poly1305, see
//!   [`super::bundle`]): a bundle altered, or sealed for another device, does not open.
//! - A join file is the device's register sealed with a key derived from the passphrase by
//!   Argon2id (RFC 9106) with a random salt; the cost parameters are in the file, so later
//!   versions can raise them. The join file can therefore travel like a bundle.

use super::bundle::{self, Bundle, KEY_LEN, Key};
use super::{Problem, SyncError};
use crate::store::Store;
use chacha20poly1305::aead::rand_core::RngCore;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rusqlite::{Connection, OptionalExtension};
use std::path::Path;
use zeroize::Zeroizing;

/// The first bytes of a join file.
pub const JOIN_MAGIC: &[u8; 8] = b"ACOJOIN1";
/// Argon2id memory cost in KiB (RFC 9106's second recommended option: 64 MiB).
const ARGON_MEMORY_KIB: u32 = 64 * 1024;
/// Argon2id passes (RFC 9106's second recommended option: 3).
const ARGON_PASSES: u32 = 3;
/// Argon2id lanes.
const ARGON_LANES: u32 = 1;
const SALT_LEN: usize = 16;
const NONCE_LEN: usize = 24;
/// Magic, three u32 parameters, salt, nonce.
const JOIN_HEADER_LEN: usize = 8 + 12 + SALT_LEN + NONCE_LEN;

/// A new random key for a device.
pub fn new_key() -> Key {
    let key = XChaCha20Poly1305::generate_key(&mut OsRng);
    let mut out = [0u8; KEY_LEN];
    out.copy_from_slice(key.as_slice());
    out
}

/// The key this register shares with `peer`, if it has one.
pub fn key_for(conn: &Connection, peer: &str) -> Result<Option<Key>, SyncError> {
    let stored: Option<Option<Vec<u8>>> = conn
        .query_row(
            "SELECT bundle_key FROM sync_peers WHERE device_id = ?1",
            [peer],
            |r| r.get(0),
        )
        .optional()?;
    Ok(stored.flatten().and_then(|k| k.try_into().ok()))
}

/// The bytes of `bundle`, sealed for its recipient.
pub fn write_bundle(store: &Store, bundle: &Bundle) -> Result<Vec<u8>, SyncError> {
    let key = key_for(store.conn(), &bundle.header.to)?.ok_or(SyncError::NoKey)?;
    bundle::encode(bundle, &key).map_err(|e| SyncError::Seal(e.to_string()))
}

/// Reads the bundle `bytes` (from `file`, named in errors) with the key this register shares
/// with its sender. Refused whole: not a bundle, truncated, for another register, from an
/// unknown sender, altered or sealed with another key.
pub fn read_bundle(store: &Store, bytes: &[u8], file: &str) -> Result<Bundle, SyncError> {
    let bad = |problem| SyncError::BadBundle {
        file: file.to_string(),
        problem,
    };
    let header = bundle::peek(bytes).map_err(bad)?;
    if header.to != store.device_id() {
        return Err(bad(Problem::OtherRegister));
    }
    let Some(key) = key_for(store.conn(), &header.from)? else {
        return Err(bad(Problem::UnknownSender(header.from)));
    };
    bundle::decode(bytes, &key).map_err(bad)
}

/// Argon2id of `passphrase` with `salt` under the given costs.
fn derive(
    passphrase: &str,
    salt: &[u8],
    memory: u32,
    passes: u32,
    lanes: u32,
) -> Result<Zeroizing<Key>, SyncError> {
    let params = argon2::Params::new(memory, passes, lanes, Some(KEY_LEN))
        .map_err(|e| SyncError::Seal(e.to_string()))?;
    let argon = argon2::Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params);
    let mut key = Zeroizing::new([0u8; KEY_LEN]);
    argon
        .hash_password_into(passphrase.as_bytes(), salt, key.as_mut())
        .map_err(|e| SyncError::Seal(e.to_string()))?;
    Ok(key)
}

/// Seals the file `plain` (a device register) into `out` under `passphrase`.
pub fn seal_join_file(plain: &Path, out: &Path, passphrase: &str) -> Result<(), SyncError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| SyncError::Io { path, source }
    };
    let contents = Zeroizing::new(std::fs::read(plain).map_err(io(plain))?);
    let mut salt = [0u8; SALT_LEN];
    OsRng.fill_bytes(&mut salt);
    let key = derive(
        passphrase,
        &salt,
        ARGON_MEMORY_KIB,
        ARGON_PASSES,
        ARGON_LANES,
    )?;
    let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
    let mut header = Vec::with_capacity(JOIN_HEADER_LEN);
    header.extend_from_slice(JOIN_MAGIC);
    for n in [ARGON_MEMORY_KIB, ARGON_PASSES, ARGON_LANES] {
        header.extend_from_slice(&n.to_le_bytes());
    }
    header.extend_from_slice(&salt);
    header.extend_from_slice(nonce.as_slice());
    let sealed = XChaCha20Poly1305::new(key.as_ref().into())
        .encrypt(
            &nonce,
            Payload {
                msg: &contents,
                aad: &header,
            },
        )
        .map_err(|_| SyncError::Seal("the join file could not be sealed".into()))?;
    let mut file = crate::store::backup::create_private(out).map_err(io(out))?;
    use std::io::Write;
    file.write_all(&header).map_err(io(out))?;
    file.write_all(&sealed).map_err(io(out))?;
    file.sync_all().map_err(io(out))
}

/// Opens the join file `file` with `passphrase` into the new owner-only file `plain`. A file that
/// is not a join file, is cut short, or does not open with the passphrase is refused.
pub fn open_join_file(file: &Path, plain: &Path, passphrase: &str) -> Result<(), SyncError> {
    let not_join = || SyncError::NotAJoinFile(file.to_path_buf());
    let bytes = std::fs::read(file).map_err(|source| SyncError::Io {
        path: file.to_path_buf(),
        source,
    })?;
    if bytes.len() < JOIN_HEADER_LEN + 16 || &bytes[..8] != JOIN_MAGIC {
        return Err(not_join());
    }
    let number = |at: usize| {
        let mut b = [0u8; 4];
        b.copy_from_slice(&bytes[at..at + 4]);
        u32::from_le_bytes(b)
    };
    let (memory, passes, lanes) = (number(8), number(12), number(16));
    // Costs beyond these are not ours: refuse rather than spend minutes or gigabytes.
    if memory > 4 * 1024 * 1024 || passes > 64 || lanes > 64 {
        return Err(not_join());
    }
    let salt = &bytes[20..20 + SALT_LEN];
    let nonce = &bytes[20 + SALT_LEN..JOIN_HEADER_LEN];
    let key = derive(passphrase, salt, memory, passes, lanes).map_err(|_| not_join())?;
    let contents = Zeroizing::new(
        XChaCha20Poly1305::new(key.as_ref().into())
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: &bytes[JOIN_HEADER_LEN..],
                    aad: &bytes[..JOIN_HEADER_LEN],
                },
            )
            .map_err(|_| SyncError::WrongJoinPassphrase(file.to_path_buf()))?,
    );
    let io = |source| SyncError::Io {
        path: plain.to_path_buf(),
        source,
    };
    let mut out = crate::store::backup::create_private(plain).map_err(io)?;
    use std::io::Write;
    out.write_all(&contents).map_err(io)?;
    out.sync_all().map_err(io)
}
