//! Importers: each streams one source format into the register in a single transaction.

pub mod csv_dir;
pub mod csv_file;
pub mod csv_rows;
pub mod encoding;
pub mod fhir;
pub mod progress;
pub mod records;
pub mod rejects;
pub mod summary;
pub mod synthea;

/// What every import does last, inside its own transaction: enrol the patients the programme's
/// code list includes, mark the stored worklist and the Budget tab's cached figures stale (the
/// next reader rebuilds them), and — for a foreign export — name the pilot when the register has
/// no name yet (amounts in US dollars). Returns the patients enrolled.
pub(crate) fn finish_import(
    tx: &rusqlite::Connection,
    foreign_name: Option<&str>,
) -> color_eyre::Result<u64> {
    use color_eyre::eyre::WrapErr;
    let enrolled =
        crate::store::enrol::enrol_all(tx).wrap_err("enrolling patients in the programme")?;
    crate::store::worklist_index::invalidate(tx)
        .wrap_err("marking the worklist for recomputation")?;
    if let Some(name) = foreign_name {
        let pilot = crate::domain::pilot::PilotInfo {
            name: name.into(),
            name_en: name.into(),
            currency: "USD".into(),
            ..crate::domain::pilot::PilotInfo::unnamed()
        };
        let json = serde_json::to_string(&pilot).wrap_err("encoding the pilot description")?;
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('pilot', ?1) ON CONFLICT (key) DO NOTHING",
            [json],
        )
        .wrap_err("writing the pilot description")?;
    }
    Ok(enrolled)
}
