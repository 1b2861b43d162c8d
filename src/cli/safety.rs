//! `acodesk audit`, `acodesk backup` and `acodesk restore`: the commands that keep patient data
//! accountable and recoverable (see the README's Security section).

use super::Session;
use super::args::{AuditArgs, ImportCommand};
use super::output::{Table, print};
use crate::store::Store;
use crate::store::audit::{self, AuditFilter};
use crate::store::backup::{backup_to, display_path, restore_from};
use color_eyre::eyre::Result;
use std::path::Path;

/// `acodesk audit`: the audit trail, oldest first, optionally for one patient or one user.
pub fn audit(session: &Session, a: AuditArgs) -> Result<()> {
    let store = Store::open_existing(&session.db)?;
    let filter = AuditFilter {
        patient: a.patient,
        user: a.user,
    };
    let entries = audit::entries(store.conn(), &filter)?;
    let i18n = &session.i18n;
    print(a.format, &entries, || Table {
        header: [
            "at", "user", "device", "action", "patient", "subject", "detail",
        ]
        .map(|h| i18n.t(&format!("audit-col-{h}")))
        .to_vec(),
        rows: entries
            .iter()
            .map(|e| {
                vec![
                    e.at.clone(),
                    e.user.clone(),
                    e.device.clone(),
                    e.action.clone(),
                    e.patient_id.clone().unwrap_or_default(),
                    e.subject.clone(),
                    e.detail.clone(),
                ]
            })
            .collect(),
    })
}

/// `acodesk backup FILE`: a consistent, owner-only copy of the register, safe while the dashboard
/// is open.
pub fn backup(session: &Session, file: &Path) -> Result<()> {
    let store = Store::open_existing(&session.db)?;
    let report = backup_to(&store, file, &session.config.user())?;
    let path = report.path.display().to_string();
    println!(
        "{}",
        session.i18n.t_args(
            "backup-written",
            &[
                ("path", path.as_str().into()),
                ("patients", report.patients.into()),
                ("bytes", report.bytes.into()),
            ],
        )
    );
    Ok(())
}

/// `acodesk restore FILE`: replaces the register with a checked backup, keeping the old one.
pub fn restore(session: &Session, file: &Path) -> Result<()> {
    let report = restore_from(&session.db, file, &session.config.user())?;
    let i18n = &session.i18n;
    let db = session.db.display().to_string();
    let kept = report.kept.as_ref().map(|k| k.display().to_string());
    let line = match &kept {
        Some(kept) => i18n.t_args(
            "restore-done",
            &[("path", db.as_str().into()), ("kept", kept.as_str().into())],
        ),
        None => i18n.t_args("restore-done-new", &[("path", db.as_str().into())]),
    };
    println!("{line}");
    Ok(())
}

/// How an import command names its source in the audit trail: the kind and the files or folder.
pub(super) fn import_source(c: &ImportCommand) -> String {
    match c {
        ImportCommand::Csv { dir, .. } => format!("csv {}", display_path(dir)),
        ImportCommand::Synthea { dir, .. } => format!("synthea {}", display_path(dir)),
        ImportCommand::Fhir { paths, .. } => format!(
            "fhir {}",
            paths
                .iter()
                .map(|p| display_path(p.as_path()))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        // Kinds added later are named by their arguments until they get a line of their own.
        #[allow(unreachable_patterns)]
        other => format!("{other:?}"),
    }
}
