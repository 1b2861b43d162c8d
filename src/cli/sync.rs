//! `acodesk sync …`: roles, bundle files, and the exchange over SSH.

use super::Session;
use super::args::{Format, SyncArgs, SyncCommand};
use super::output::{Table, print};
use crate::i18n::msg;
use crate::store::Store;
use crate::sync::scope::Scope;
use crate::sync::{self, SyncError, export, remote, setup, status};
use color_eyre::eyre::{Result, eyre};
use serde::Serialize;
use std::io::IsTerminal;
use std::io::Write;
use std::path::Path;
use zeroize::Zeroizing;

/// Runs an `acodesk sync` command.
pub fn run(session: &Session, a: SyncArgs) -> Result<()> {
    match a.command {
        Some(SyncCommand::Init { .. }) => init_hub(session),
        Some(SyncCommand::AddDevice {
            name,
            out,
            sites,
            nurse,
            join_passphrase_fd,
        }) => {
            let scope = Scope::from_args(sites.as_deref(), nurse.as_deref());
            add_device(session, &name, scope.as_ref(), &out, join_passphrase_fd)
        }
        Some(SyncCommand::Scope {
            device,
            sites,
            nurse,
        }) => set_scope(session, &device, sites.as_deref(), nurse.as_deref()),
        Some(SyncCommand::Join {
            file,
            join_passphrase_fd,
        }) => join(session, &file, join_passphrase_fd),
        Some(SyncCommand::Export { out, device }) => export_file(session, &out, device.as_deref()),
        Some(SyncCommand::Apply { file }) => apply_file(session, &file),
        Some(SyncCommand::Status { format }) => show_status(session, format),
        Some(SyncCommand::Serve) => {
            let mut store = Store::open_existing(&session.db)?;
            remote::serve(
                &mut store,
                std::io::stdin().lock(),
                std::io::stdout().lock(),
            )?;
            Ok(())
        }
        None if a.via.is_empty() => Err(SyncError::Link(session.i18n.t("sync-needs-via")).into()),
        None => {
            let mut command: Vec<String> = a
                .via
                .iter()
                .flat_map(|v| v.split_whitespace().map(str::to_string))
                .collect();
            command.extend(a.remote.split_whitespace().map(str::to_string));
            command.extend(["sync".to_string(), "serve".to_string()]);
            let mut store = Store::open_existing(&session.db)?;
            let report = remote::exchange(&mut store, &command)?;
            outln!(
                "{}",
                session.i18n.t_args(
                    "sync-exchanged",
                    &[
                        ("sent", report.sent_rows.into()),
                        ("received", report.received_rows.into()),
                        ("bytes_out", report.bytes_out.into()),
                        ("bytes_in", report.bytes_in.into()),
                    ],
                )
            )?;
            Ok(())
        }
    }
}

/// Refuses an import on a device: imported records are the hub's, and an import there would
/// never reach the hub.
pub fn refuse_import_on_device(session: &Session) -> Result<()> {
    if !session.db.exists() {
        return Ok(());
    }
    let store = Store::open_existing(&session.db)?;
    if sync::role(store.conn())? == Some(sync::Role::Device) {
        return Err(SyncError::NeedsHub.into());
    }
    Ok(())
}

fn init_hub(session: &Session) -> Result<()> {
    let mut store = Store::open_existing(&session.db)?;
    setup::init_hub(&mut store)?;
    let device = store.device_id();
    outln!(
        "{}",
        session
            .i18n
            .t_args("sync-hub-ready", &[("device", device.as_str().into())])
    )?;
    Ok(())
}

/// The join file's passphrase: the first line of descriptor `fd`, else asked on the terminal
/// (twice when it is being set).
fn join_passphrase(fd: Option<u32>, file: &Path, new: bool) -> Result<Zeroizing<String>> {
    let text = match fd {
        Some(fd) => {
            let bytes = super::encryption::read_fd(fd)?;
            let text = std::str::from_utf8(&bytes)
                .map_err(|_| eyre!(msg("key-fd-not-text", &[("fd", u64::from(fd).into())])))?;
            let first = text.split('\n').next().unwrap_or("");
            Zeroizing::new(first.strip_suffix('\r').unwrap_or(first).to_string())
        }
        None if std::io::stdin().is_terminal() => {
            let name = file.display().to_string();
            let key = if new {
                "sync-join-prompt-new"
            } else {
                "sync-join-prompt"
            };
            let first = Zeroizing::new(rpassword::prompt_password(format!(
                "{} ",
                msg(key, &[("path", name.as_str().into())])
            ))?);
            if new {
                let second = Zeroizing::new(rpassword::prompt_password(format!(
                    "{} ",
                    msg("key-prompt-repeat", &[])
                ))?);
                if *first != *second {
                    return Err(eyre!(msg("key-mismatch", &[])));
                }
            }
            first
        }
        None => return Err(eyre!(msg("sync-join-passphrase-needed", &[]))),
    };
    if text.is_empty() {
        return Err(eyre!(msg("sync-join-passphrase-needed", &[])));
    }
    Ok(text)
}

fn add_device(
    session: &Session,
    name: &str,
    scope: Option<&Scope>,
    out: &Path,
    fd: Option<u32>,
) -> Result<()> {
    let mut store = Store::open_existing(&session.db)?;
    if let Some(scope) = scope {
        // Refused before the passphrase is asked for.
        sync::scope::validate(store.conn(), scope)?;
    }
    let passphrase = join_passphrase(fd, out, true)?;
    let device = setup::add_scoped_device(
        &mut store,
        name,
        scope,
        out,
        &session.config.user(),
        &passphrase,
    )?;
    let detail = match scope {
        Some(scope) => format!("{device} {}", scope.describe()),
        None => device.clone(),
    };
    audit(&store, session, "sync_add_device", name, &detail)?;
    let path = out.display().to_string();
    let size = std::fs::metadata(out).map(|m| m.len()).unwrap_or(0);
    let key = if scope.is_some() {
        "sync-device-added-scoped"
    } else {
        "sync-device-added"
    };
    outln!(
        "{}",
        session.i18n.t_args(
            key,
            &[
                ("name", name.into()),
                ("device", device.as_str().into()),
                ("path", path.as_str().into()),
                ("bytes", size.into()),
            ],
        )
    )?;
    Ok(())
}

fn set_scope(
    session: &Session,
    device: &str,
    sites: Option<&str>,
    nurse: Option<&str>,
) -> Result<()> {
    let mut store = Store::open_existing(&session.db)?;
    let scope =
        Scope::from_args(sites, nurse).ok_or_else(|| eyre!(msg("sync-scope-needed", &[])))?;
    sync::scope::set_scope(&mut store, device, &scope, &session.config.user())?;
    let patients = {
        let peer = export::resolve_peer(store.conn(), Some(device))?;
        sync::scope::members(store.conn(), &peer.device_id, &scope)?.len()
    };
    outln!(
        "{}",
        session.i18n.t_args(
            "sync-scope-set",
            &[
                ("device", device.into()),
                ("patients", (patients as u64).into()),
            ],
        )
    )?;
    Ok(())
}

fn join(session: &Session, file: &Path, fd: Option<u32>) -> Result<()> {
    if session.db.exists() {
        return Err(SyncError::Exists(session.db.clone()).into());
    }
    let passphrase = join_passphrase(fd, file, false)?;
    let joined = setup::join(file, &session.db, &session.config.user(), &passphrase)?;
    let store = Store::open_existing(&session.db)?;
    audit(
        &store,
        session,
        "sync_join",
        &file.display().to_string(),
        &joined.hub,
    )?;
    let path = session.db.display().to_string();
    outln!(
        "{}",
        session.i18n.t_args(
            "sync-joined",
            &[
                ("path", path.as_str().into()),
                ("device", joined.device.as_str().into()),
                ("hub", joined.hub.as_str().into()),
            ],
        )
    )?;
    Ok(())
}

fn export_file(session: &Session, out: &Path, device: Option<&str>) -> Result<()> {
    let mut store = Store::open_existing(&session.db)?;
    let (bundle, _) = export::export(&mut store, device)?;
    let bytes = sync::seal::write_bundle(&store, &bundle)?;
    write_private(out, &bytes)?;
    let path = out.display().to_string();
    let detail = format!(
        "to {} entries {}..{} rows {}",
        bundle.header.to,
        bundle.header.first_seq,
        bundle.header.last_seq,
        bundle.rows()
    );
    audit(&store, session, "sync_export", &path, &detail)?;
    let i18n = &session.i18n;
    let line = if bundle.entries.is_empty() {
        i18n.t_args("sync-exported-empty", &[("path", path.as_str().into())])
    } else {
        i18n.t_args(
            "sync-exported",
            &[
                ("path", path.as_str().into()),
                ("rows", bundle.rows().into()),
                ("bytes", (bytes.len() as u64).into()),
                ("first", bundle.header.first_seq.into()),
                ("last", bundle.header.last_seq.into()),
            ],
        )
    };
    outln!("{line}")?;
    Ok(())
}

/// Puts a sync operation in the audit trail (who, on which register, which file, what moved).
fn audit(
    store: &Store,
    session: &Session,
    action: &str,
    subject: &str,
    detail: &str,
) -> Result<()> {
    crate::store::audit::record(
        store.conn(),
        &session.config.user(),
        &store.device_id(),
        action,
        None,
        subject,
        detail,
    )?;
    Ok(())
}

/// Writes `bytes` to `path` owner-only, whole or not at all (a `.partial` file renamed at the end).
fn write_private(path: &Path, bytes: &[u8]) -> Result<(), SyncError> {
    let io = |source| SyncError::Io {
        path: path.to_path_buf(),
        source,
    };
    let partial = crate::store::backup::with_suffix(path, ".partial");
    let _ = std::fs::remove_file(&partial);
    let mut file = crate::store::backup::create_private(&partial).map_err(io)?;
    file.write_all(bytes).map_err(io)?;
    file.sync_all().map_err(io)?;
    drop(file);
    std::fs::rename(&partial, path).map_err(io)
}

fn apply_file(session: &Session, file: &Path) -> Result<()> {
    let name = file.display().to_string();
    let bytes = std::fs::read(file).map_err(|source| SyncError::Io {
        path: file.to_path_buf(),
        source,
    })?;
    let mut store = Store::open_existing(&session.db)?;
    let bundle = sync::seal::read_bundle(&store, &bytes, &name)?;
    let user = session.config.user();
    let applied = sync::apply::apply_by(&mut store, &bundle, &name, Some(&user))?;
    let i18n = &session.i18n;
    let line = if applied.entries == 0 && applied.skipped > 0 {
        i18n.t_args("sync-already-applied", &[("file", name.as_str().into())])
    } else {
        i18n.t_args(
            "sync-applied",
            &[
                ("file", name.as_str().into()),
                ("rows", applied.rows.into()),
                ("patients", applied.patients.into()),
            ],
        )
    };
    outln!("{line}")?;
    Ok(())
}

/// `acodesk sync status --format json`.
#[derive(Serialize)]
struct StatusJson {
    role: String,
    device: String,
    last_sync: Option<String>,
    unsent: u64,
    peers: Vec<PeerJson>,
}

#[derive(Serialize)]
struct PeerJson {
    device: String,
    role: String,
    name: String,
    last_sync: Option<String>,
    applied_seq: u64,
    acked_seq: u64,
}

fn show_status(session: &Session, format: Format) -> Result<()> {
    let store = Store::open_existing(&session.db)?;
    let Some(state) = status::status(store.conn())? else {
        return Err(SyncError::NotSetUp.into());
    };
    let peers = export::peers(store.conn())?;
    let json = StatusJson {
        role: state.role.code().into(),
        device: store.device_id(),
        last_sync: state
            .last_sync
            .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string()),
        unsent: state.unsent,
        peers: peers
            .iter()
            .map(|p| PeerJson {
                device: p.device_id.clone(),
                role: p.role.clone(),
                name: p.name.clone(),
                last_sync: p.last_sync_at.clone(),
                applied_seq: p.applied_seq,
                acked_seq: p.acked_seq,
            })
            .collect(),
    };
    if format == Format::Table {
        let i18n = &session.i18n;
        outln!(
            "{}",
            i18n.t_args(
                "sync-status-line",
                &[
                    (
                        "role",
                        i18n.t(&format!("sync-role-{}", json.role)).as_str().into()
                    ),
                    ("device", json.device.as_str().into()),
                    ("unsent", json.unsent.into()),
                ],
            )
        )?;
    }
    let i18n = &session.i18n;
    print(format, &json, || Table {
        header: ["device", "role", "name", "last-sync", "applied", "acked"]
            .map(|h| i18n.t(&format!("sync-col-{h}")))
            .to_vec(),
        rows: json
            .peers
            .iter()
            .map(|p| {
                vec![
                    p.device.clone(),
                    i18n.t(&format!("sync-role-{}", p.role)),
                    p.name.clone(),
                    p.last_sync.clone().unwrap_or_else(|| "—".into()),
                    p.applied_seq.to_string(),
                    p.acked_seq.to_string(),
                ]
            })
            .collect(),
    })
}
