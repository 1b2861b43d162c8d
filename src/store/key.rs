//! The register's passphrase (encryption at rest with SQLCipher): one process-wide holder, set once
//! by the command line before the register is opened, and the keyed open every connection of the
//! register goes through.
//!
//! A file opened without a key is ordinary SQLite. While a passphrase is held, `PRAGMA key` is the
//! first statement on each connection to an encrypted file, and a new (empty) file becomes an
//! encrypted register. A plaintext register still opens as plaintext: the passphrase is for the
//! files that need it.

use rusqlite::{Connection, ErrorCode, OpenFlags};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Once, OnceLock};
use std::time::Duration;
use zeroize::Zeroizing;

/// A passphrase: wiped from memory when dropped, never printed (`Debug` shows no text).
pub struct Passphrase(Zeroizing<String>);

impl Passphrase {
    /// Takes a passphrase; an empty one, or one with a NUL character (SQLite's strings end there),
    /// is refused.
    pub fn new(text: Zeroizing<String>) -> Result<Passphrase, KeyError> {
        if text.is_empty() {
            return Err(KeyError::Empty);
        }
        if text.contains('\0') {
            return Err(KeyError::Nul);
        }
        Ok(Passphrase(text))
    }

    /// The text, for `PRAGMA key` and `ATTACH … KEY` only.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Passphrase(hidden)")
    }
}

/// Why a passphrase was refused or an encrypted register could not be opened: one sentence each.
#[derive(Debug)]
pub enum KeyError {
    /// The file looks encrypted and no passphrase was given.
    Locked {
        /// The file.
        path: PathBuf,
    },
    /// The passphrase given does not open the file.
    Wrong {
        /// The file.
        path: PathBuf,
    },
    /// An empty passphrase.
    Empty,
    /// A passphrase with a NUL character.
    Nul,
}

impl std::fmt::Display for KeyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::i18n::msg;
        let text = match self {
            KeyError::Locked { path } => msg(
                "key-locked",
                &[("path", path.display().to_string().as_str().into())],
            ),
            KeyError::Wrong { path } => msg(
                "key-wrong",
                &[("path", path.display().to_string().as_str().into())],
            ),
            KeyError::Empty => msg("key-empty", &[]),
            KeyError::Nul => msg("key-nul", &[]),
        };
        f.write_str(&text)
    }
}

impl std::error::Error for KeyError {}

/// Asks the person at the terminal for the passphrase of a file (`attempt` counts from 0);
/// `None` when nobody can be asked.
pub type Prompt = fn(&Path, u32) -> Option<Passphrase>;

static HELD: OnceLock<Passphrase> = OnceLock::new();
static PROMPT: OnceLock<Prompt> = OnceLock::new();

/// How many times the terminal is asked before a wrong passphrase is final.
const ATTEMPTS: u32 = 3;

/// Holds the passphrase for every connection this process opens from now on. Only the first
/// call counts: the passphrase is given back when one is held already.
pub fn hold(passphrase: Passphrase) -> Result<(), Passphrase> {
    HELD.set(passphrase)
}

/// The passphrase this process holds, if any.
pub fn held() -> Option<&'static Passphrase> {
    HELD.get()
}

/// Lets the store ask the terminal when it meets an encrypted file and holds no passphrase (the
/// command line sets this when standard input is a terminal). A passphrase that opens the file is
/// then held for the rest of the process.
pub fn set_prompt(prompt: Prompt) {
    let _ = PROMPT.set(prompt);
}

/// Whether `path` looks like an encrypted register: whole pages, and not the plaintext header
/// `SQLite format 3\0`. A file of other bytes looks the same, hence "or it is not an acodesk
/// register" in the sentences. Reads the first bytes of the file: call it before this process
/// opens a connection to the file, or after a failed one (closing any descriptor of a file drops
/// every POSIX lock the process holds on it, SQLite's included).
pub fn looks_encrypted(path: &Path) -> bool {
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut header = [0u8; 16];
    let read = file.take(16).read(&mut header).unwrap_or(0);
    len >= 512 && len % 512 == 0 && read == 16 && &header != b"SQLite format 3\0"
}

/// Sends `PRAGMA key` for `passphrase` on a fresh connection: it must be its first statement.
pub(crate) fn apply(conn: &Connection, passphrase: &Passphrase) -> rusqlite::Result<()> {
    quiet();
    let text = passphrase.expose();
    // PRAGMA takes no bound parameters: the passphrase is quoted as an SQL string literal, in a
    // buffer sized never to reallocate (no stray copy) and wiped when dropped.
    let mut sql = Zeroizing::new(String::with_capacity(2 * text.len() + 16));
    sql.push_str("PRAGMA key = '");
    for c in text.chars() {
        if c == '\'' {
            sql.push('\'');
        }
        sql.push(c);
    }
    sql.push('\'');
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query([])?;
    while rows.next()?.is_some() {}
    Ok(())
}

/// Turns SQLCipher's own log off, once per process: by default it writes a line to stderr for each
/// page that fails to decrypt (a wrong passphrase), which would break the one-sentence errors and
/// the dashboard's screen.
fn quiet() {
    static QUIET: Once = Once::new();
    QUIET.call_once(|| {
        if let Ok(conn) = Connection::open_in_memory() {
            let _ = conn.query_row("PRAGMA cipher_log = off", [], |_| Ok(()));
        }
    });
}

/// Opens `path` with `key` applied first (or none), sets the busy timeout, and reads the schema,
/// so a wrong key fails here with `SQLITE_NOTADB` rather than later.
pub(crate) fn open_keyed(
    path: &Path,
    flags: OpenFlags,
    busy: Duration,
    key: Option<&Passphrase>,
) -> rusqlite::Result<Connection> {
    quiet();
    let conn = Connection::open_with_flags(path, flags)?;
    if let Some(key) = key {
        apply(&conn, key)?;
    }
    conn.busy_timeout(busy)?;
    conn.query_row("SELECT count(*) FROM sqlite_schema", [], |_| Ok(()))?;
    Ok(conn)
}

/// Why [`open`] failed.
#[derive(Debug)]
pub(crate) enum OpenFailure {
    /// The file is encrypted and no passphrase opens it.
    Key(KeyError),
    /// Anything else (a damaged file is `SQLITE_NOTADB` here too).
    Sqlite(rusqlite::Error),
}

fn not_a_db(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _) if f.code == ErrorCode::NotADatabase)
}

/// Opens the register file at `path`: with the held passphrase when it is encrypted (or new),
/// without one when it is plaintext; asks the terminal when it is encrypted, no passphrase is held
/// and a prompt is set. Returns the connection and whether it is keyed. The file is never written
/// to here.
pub(crate) fn open(
    path: &Path,
    flags: OpenFlags,
    busy: Duration,
) -> Result<(Connection, bool), OpenFailure> {
    if let Some(key) = held() {
        match open_keyed(path, flags, busy, Some(key)) {
            Ok(conn) => return Ok((conn, true)),
            Err(e) if not_a_db(&e) => {}
            Err(e) => return Err(OpenFailure::Sqlite(e)),
        }
    }
    match open_keyed(path, flags, busy, None) {
        Ok(conn) => Ok((conn, false)),
        Err(e) if not_a_db(&e) && looks_encrypted(path) => match held() {
            Some(_) => Err(OpenFailure::Key(KeyError::Wrong {
                path: path.to_path_buf(),
            })),
            None => unlock_by_prompt(path, flags, busy),
        },
        Err(e) => Err(OpenFailure::Sqlite(e)),
    }
}

fn unlock_by_prompt(
    path: &Path,
    flags: OpenFlags,
    busy: Duration,
) -> Result<(Connection, bool), OpenFailure> {
    let locked = || {
        OpenFailure::Key(KeyError::Locked {
            path: path.to_path_buf(),
        })
    };
    let Some(prompt) = PROMPT.get() else {
        return Err(locked());
    };
    for attempt in 0..ATTEMPTS {
        let Some(key) = prompt(path, attempt) else {
            return Err(locked());
        };
        match open_keyed(path, flags, busy, Some(&key)) {
            Ok(conn) => {
                let _ = hold(key);
                return Ok((conn, true));
            }
            Err(e) if not_a_db(&e) => continue,
            Err(e) => return Err(OpenFailure::Sqlite(e)),
        }
    }
    Err(OpenFailure::Key(KeyError::Wrong {
        path: path.to_path_buf(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pass(text: &str) -> Passphrase {
        Passphrase::new(Zeroizing::new(text.to_string())).unwrap()
    }

    fn flags() -> OpenFlags {
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE
    }

    #[test]
    fn a_keyed_file_has_no_plaintext_header_and_needs_its_key() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("e.db");
        let key = pass("it's a 'quoted' passphrase");
        let conn = open_keyed(&path, flags(), Duration::ZERO, Some(&key)).unwrap();
        conn.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES ('Иванова');")
            .unwrap();
        drop(conn);
        assert!(looks_encrypted(&path));
        let bytes = std::fs::read(&path).unwrap();
        let name = "Иванова".as_bytes();
        assert!(!bytes.windows(name.len()).any(|w| w == name));
        let wrong = open_keyed(&path, flags(), Duration::ZERO, Some(&pass("nope")));
        assert!(not_a_db(&wrong.err().unwrap()));
        let none = open_keyed(&path, flags(), Duration::ZERO, None);
        assert!(not_a_db(&none.err().unwrap()));
        let again = open_keyed(&path, flags(), Duration::ZERO, Some(&key)).unwrap();
        let name: String = again
            .query_row("SELECT x FROM t", [], |r| r.get(0))
            .unwrap();
        assert_eq!(name, "Иванова");
    }

    #[test]
    fn a_plaintext_file_does_not_look_encrypted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.db");
        Connection::open(&path)
            .unwrap()
            .execute_batch("CREATE TABLE t(x);")
            .unwrap();
        assert!(!looks_encrypted(&path));
        std::fs::write(dir.path().join("notes"), b"short notes").unwrap();
        assert!(!looks_encrypted(&dir.path().join("notes")));
        assert!(!looks_encrypted(&dir.path().join("missing")));
    }

    #[test]
    fn empty_and_nul_passphrases_are_refused_and_none_is_printed() {
        assert!(matches!(
            Passphrase::new(Zeroizing::new(String::new())),
            Err(KeyError::Empty)
        ));
        assert!(matches!(
            Passphrase::new(Zeroizing::new("a\0b".into())),
            Err(KeyError::Nul)
        ));
        assert_eq!(format!("{:?}", pass("secret")), "Passphrase(hidden)");
    }
}
