//! `acodesk phone PATIENT NUMBER`: a nurse corrects a patient's number.

use super::Session;
use super::args::PhoneArgs;
use crate::store::Store;
use crate::store::phones::{WhichPhone, set_phone};
use color_eyre::eyre::Result;

/// Sets or clears one of a patient's numbers; the old one is kept in the history.
pub fn run(session: &Session, a: PhoneArgs) -> Result<()> {
    let mut store = Store::open_existing(&session.db)?;
    let which = if a.second {
        WhichPhone::Second
    } else {
        WhichPhone::First
    };
    let number = if a.clear { None } else { a.number.as_deref() };
    let changed = set_phone(
        &mut store,
        &a.patient,
        which,
        number,
        &session.config.user(),
    )?;
    let key = if changed {
        "phone-saved"
    } else {
        "phone-unchanged"
    };
    outln!(
        "{}",
        session
            .i18n
            .t_args(key, &[("patient", a.patient.as_str().into())])
    )?;
    Ok(())
}
