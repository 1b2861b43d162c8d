//! `acodesk palliative PATIENT [--since DATE | --clear]`: a manager marks a patient as in hospice
//! or palliative care (the exclusion CMS122 and CMS165 share), or clears the mark.

use super::Session;
use super::args::PalliativeArgs;
use super::commands::date_flag;
use crate::store::Store;
use crate::store::palliative::set_palliative;
use color_eyre::eyre::{Result, eyre};

/// Sets or clears the flag; the old value is kept in the history and the indicators follow.
pub fn run(session: &Session, a: PalliativeArgs) -> Result<()> {
    if session.config.role != crate::config::Role::Manager {
        return Err(eyre!("{}", session.i18n.t("status-managers-palliative")));
    }
    let mut store = Store::open_existing(&session.db)?;
    let today = session.clock(&store).as_of;
    let since = match (&a.since, a.clear) {
        (_, true) => None,
        (Some(text), false) => Some(date_flag(text, "--since")?),
        (None, false) => Some(today),
    };
    let changed = set_palliative(&mut store, &a.patient, since, today, &session.config.user())?;
    let i18n = &session.i18n;
    let patient = a.patient.as_str();
    let text = match (changed, since) {
        (false, _) => i18n.t_args("palliative-unchanged", &[("patient", patient.into())]),
        (true, Some(d)) => i18n.t_args(
            "palliative-set",
            &[
                ("patient", patient.into()),
                ("date", i18n.fmt.date(d).as_str().into()),
            ],
        ),
        (true, None) => i18n.t_args("palliative-cleared", &[("patient", patient.into())]),
    };
    outln!("{text}")?;
    Ok(())
}
