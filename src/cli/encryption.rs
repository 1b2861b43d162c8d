//! The register's passphrase on the command line, and the commands that set or change it:
//! `acodesk init [--encrypt]`, `acodesk encrypt`, `acodesk rekey`, `acodesk decrypt`.
//!
//! A passphrase is never an argument or an environment value: it is read from a file descriptor
//! (`--passphrase-fd N`, or `ACODESK_PASSPHRASE_FD=N`: its first line is the register's passphrase,
//! the second the new one for `rekey`), or asked on the terminal with echo off.

use super::Session;
use crate::i18n::msg;
use crate::store::Store;
use crate::store::encryption::convert;
use crate::store::key::{self, KeyError, Passphrase};
use color_eyre::eyre::{Result, eyre};
use std::io::{IsTerminal, Read};
use std::path::Path;
use std::sync::OnceLock;
use zeroize::Zeroizing;

/// The most a passphrase descriptor may hold.
const MAX_FD_BYTES: usize = 64 * 1024;

/// The second line of `--passphrase-fd`: the new passphrase of `rekey`.
static NEXT: OnceLock<Passphrase> = OnceLock::new();
/// Whether `--passphrase-fd` was given (then nothing is asked on the terminal).
static FROM_FD: OnceLock<()> = OnceLock::new();

/// Sets up the passphrase before anything opens the register: reads `--passphrase-fd` when given,
/// else lets the store ask on the terminal (when standard input is one) if the register turns out
/// to be encrypted.
pub fn setup(fd: Option<u32>) -> Result<()> {
    let Some(fd) = fd else {
        if std::io::stdin().is_terminal() {
            key::set_prompt(ask);
        }
        return Ok(());
    };
    let _ = FROM_FD.set(());
    let bytes = read_fd(fd)?;
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| eyre!(msg("key-fd-not-text", &[("fd", u64::from(fd).into())])))?;
    let mut lines = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
    let first = Passphrase::new(Zeroizing::new(lines.next().unwrap_or("").to_string()))?;
    let _ = key::hold(first);
    if let Some(second) = lines.next().filter(|l| !l.is_empty()) {
        let _ = NEXT.set(Passphrase::new(Zeroizing::new(second.to_string()))?);
    }
    Ok(())
}

/// Reads descriptor `fd` to its end (at most [`MAX_FD_BYTES`]) into a buffer wiped when dropped.
pub(crate) fn read_fd(fd: u32) -> Result<Zeroizing<Vec<u8>>> {
    // Sized never to grow, so no copy of the passphrase is left behind by a reallocation.
    let mut buf = Zeroizing::new(Vec::with_capacity(MAX_FD_BYTES + 1));
    let limit = MAX_FD_BYTES as u64 + 1;
    let unreadable = |e: std::io::Error| {
        eyre!(msg(
            "key-fd-unreadable",
            &[
                ("fd", u64::from(fd).into()),
                ("error", e.to_string().as_str().into())
            ]
        ))
    };
    if fd == 0 {
        std::io::stdin()
            .lock()
            .take(limit)
            .read_to_end(&mut buf)
            .map_err(unreadable)?;
    } else {
        // Opening the descriptor's /dev/fd entry reads it without unsafe code.
        std::fs::File::open(format!("/dev/fd/{fd}"))
            .map_err(unreadable)?
            .take(limit)
            .read_to_end(&mut buf)
            .map_err(unreadable)?;
    }
    if buf.len() > MAX_FD_BYTES {
        return Err(eyre!(msg(
            "key-fd-not-text",
            &[("fd", u64::from(fd).into())]
        )));
    }
    Ok(buf)
}

/// Asks the terminal for the passphrase of `path` (the store calls this, up to three times).
fn ask(path: &Path, attempt: u32) -> Option<Passphrase> {
    let name = path.display().to_string();
    let prompt = if attempt == 0 {
        msg("key-prompt", &[("path", name.as_str().into())])
    } else {
        msg("key-prompt-again", &[("path", name.as_str().into())])
    };
    let text = Zeroizing::new(rpassword::prompt_password(format!("{prompt} ")).ok()?);
    Passphrase::new(text).ok()
}

/// A new passphrase asked twice on the terminal.
fn ask_new(path: &Path) -> Result<Passphrase> {
    if FROM_FD.get().is_some() || !std::io::stdin().is_terminal() {
        return Err(eyre!(msg("key-new-needed", &[])));
    }
    let name = path.display().to_string();
    let first = Zeroizing::new(rpassword::prompt_password(format!(
        "{} ",
        msg("key-prompt-new", &[("path", name.as_str().into())])
    ))?);
    let second = Zeroizing::new(rpassword::prompt_password(format!(
        "{} ",
        msg("key-prompt-repeat", &[])
    ))?);
    if *first != *second {
        return Err(eyre!(msg("key-mismatch", &[])));
    }
    Ok(Passphrase::new(first)?)
}

/// The passphrase to set on a plaintext or new register: the one given on the descriptor, else
/// asked twice; held from now on.
fn passphrase_to_set(db: &Path) -> Result<&'static Passphrase> {
    if let Some(p) = key::held() {
        return Ok(p);
    }
    let _ = key::hold(ask_new(db)?);
    key::held().ok_or_else(|| eyre!(msg("key-new-needed", &[])))
}

/// The register's current passphrase, checked: the one held, else asked (up to three times).
fn current_passphrase(db: &Path) -> Result<&'static Passphrase> {
    if !key::looks_encrypted(db) {
        return Err(eyre!(msg(
            "key-not-encrypted",
            &[("path", db.display().to_string().as_str().into())]
        )));
    }
    // Opening (and closing) the register asks the terminal when no passphrase is held yet.
    drop(Store::open_existing(db)?);
    key::held().ok_or_else(|| {
        eyre!(KeyError::Locked {
            path: db.to_path_buf()
        })
    })
}

fn refuse_if_encrypted(db: &Path) -> Result<()> {
    if key::looks_encrypted(db) {
        return Err(eyre!(msg(
            "key-already-encrypted",
            &[("path", db.display().to_string().as_str().into())]
        )));
    }
    Ok(())
}

/// `acodesk init [--encrypt]`: a new, empty register; encrypted with `--encrypt` (the passphrase
/// from the descriptor, or asked twice) or whenever a passphrase is given.
pub fn init(session: &Session, encrypt: bool) -> Result<()> {
    let db = &session.db;
    if std::fs::metadata(db).is_ok_and(|m| m.len() > 0) {
        return Err(eyre!(msg(
            "init-exists",
            &[("path", db.display().to_string().as_str().into())]
        )));
    }
    if encrypt {
        passphrase_to_set(db)?;
    }
    let store = Store::open(db)?;
    let line = if store.is_encrypted() {
        "init-done-encrypted"
    } else {
        "init-done"
    };
    outln!(
        "{}",
        session
            .i18n
            .t_args(line, &[("path", db.display().to_string().as_str().into())])
    )?;
    Ok(())
}

/// `acodesk encrypt`: encrypts a plaintext register in place, row for row checked.
pub fn encrypt(session: &Session) -> Result<()> {
    let db = &session.db;
    refuse_if_encrypted(db)?;
    // Checks (and migrates) the register before asking for a passphrase.
    drop(Store::open_existing(db)?);
    let new = passphrase_to_set(db)?;
    let done = convert(db, None, Some(new))?;
    report(session, "encrypt-done", done.rows)
}

/// `acodesk rekey`: gives an encrypted register a new passphrase.
pub fn rekey(session: &Session) -> Result<()> {
    let db = &session.db;
    let current = current_passphrase(db)?;
    let new = match NEXT.get() {
        Some(p) => p,
        None => {
            let _ = NEXT.set(ask_new(db)?);
            NEXT.get()
                .ok_or_else(|| eyre!(msg("key-new-needed", &[])))?
        }
    };
    convert(db, Some(current), Some(new))?;
    report(session, "rekey-done", 0)
}

/// `acodesk decrypt`: turns an encrypted register back into plain SQLite.
pub fn decrypt(session: &Session) -> Result<()> {
    let db = &session.db;
    let current = current_passphrase(db)?;
    let done = convert(db, Some(current), None)?;
    report(session, "decrypt-done", done.rows)
}

/// Says what was done (the register is already converted: a closed output is no error).
fn report(session: &Session, key: &str, rows: u64) -> Result<()> {
    let path = session.db.display().to_string();
    outln!(
        "{}",
        session.i18n.t_args(
            key,
            &[("path", path.as_str().into()), ("rows", rows.into())]
        )
    )?;
    Ok(())
}
