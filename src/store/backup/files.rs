//! File-safety helpers of the register's files: owner-only creation, fsync of files and folders,
//! and names beside a file.

use std::path::{Path, PathBuf};

/// Creates `path` as an empty file readable and writable by its owner only (0600 on Unix),
/// unless it exists already (then it is left as it is).
pub fn create_private_if_missing(path: &Path) -> std::io::Result<()> {
    match create_private(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// Creates a new file readable and writable by its owner only (0600 on Unix, whatever the umask);
/// fails if it exists.
pub fn create_private(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(0o600);
        let file = options.open(path)?;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        Ok(file)
    }
    #[cfg(not(unix))]
    options.open(path)
}

/// Flushes a file's contents to the disk.
pub(crate) fn sync_file(path: &Path) -> std::io::Result<()> {
    std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)?
        .sync_all()
}

/// Flushes a folder's entries (a rename into it) to the disk; a no-op where folders cannot be
/// opened.
pub(crate) fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    std::fs::File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

pub(crate) fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// `path` with `suffix` appended to its file name (`register.db` + `-wal`).
pub fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(suffix);
    path.with_file_name(name)
}

/// The absolute path `path` names, whether or not the file exists yet.
pub(super) fn canonical(path: &Path) -> Option<PathBuf> {
    if let Ok(p) = path.canonicalize() {
        return Some(p);
    }
    Some(parent_of(path).canonicalize().ok()?.join(path.file_name()?))
}

/// How the audit trail names a file: its absolute path when it can be found.
pub fn display_path(path: &Path) -> String {
    canonical(path)
        .unwrap_or_else(|| path.to_path_buf())
        .display()
        .to_string()
}

/// Whether two paths name the same file (either may not exist yet).
pub(super) fn same_file(a: &Path, b: &Path) -> bool {
    matches!((canonical(a), canonical(b)), (Some(x), Some(y)) if x == y)
}
