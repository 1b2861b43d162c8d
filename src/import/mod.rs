//! Importers: each streams one source format into the register in a single transaction.

pub mod csv_dir;
pub mod csv_file;
pub mod csv_repeat_finder;
pub mod csv_repeats;
pub mod csv_rows;
pub mod csv_stream;
pub mod encoding;
pub mod facts;
pub mod fhir;
pub mod progress;
pub mod rejects;
pub mod synthea;

/// The date imports judge dates against (a birth, service or observation more than two years
/// past it is refused): today, by the machine's clock, read once per run.
pub(crate) fn as_of() -> chrono::NaiveDate {
    static TODAY: std::sync::OnceLock<chrono::NaiveDate> = std::sync::OnceLock::new();
    *TODAY.get_or_init(|| chrono::Local::now().date_naive())
}

/// The first and last birth, service or observation date imports accept (computed once).
pub(crate) fn plausible_dates() -> (chrono::NaiveDate, chrono::NaiveDate) {
    static RANGE: std::sync::OnceLock<(chrono::NaiveDate, chrono::NaiveDate)> =
        std::sync::OnceLock::new();
    *RANGE.get_or_init(|| {
        (
            crate::domain::dates::EARLIEST_PLAUSIBLE,
            crate::domain::dates::latest_plausible(as_of()),
        )
    })
}

/// The patients an import wrote to, so that what is derived from their records (enrolment, the
/// stored worklist) is brought up to date for them only. A first load, a foreign export, or more
/// than [`Touched::MAX_TRACKED`] patients count as everyone: the derived tables are then rebuilt
/// whole, which is cheaper than one patient at a time and keeps the import's memory flat.
#[derive(Debug)]
pub(crate) enum Touched {
    /// These patients only.
    Patients(std::collections::HashSet<String>),
    /// Everyone.
    All,
}

impl Touched {
    /// Beyond this many patients the import refreshes everyone (about 1 MB of ids).
    pub(crate) const MAX_TRACKED: usize = 20_000;

    /// Nobody yet.
    pub(crate) fn none() -> Touched {
        Touched::Patients(Default::default())
    }

    /// Notes that a row of `patient_id` was written (inserted or changed).
    pub(crate) fn note(&mut self, patient_id: &str, write: crate::store::writes::Upsert) {
        if write == crate::store::writes::Upsert::Unchanged {
            return;
        }
        if let Touched::Patients(set) = self {
            if !set.contains(patient_id) {
                set.insert(patient_id.to_string());
            }
            if set.len() > Self::MAX_TRACKED {
                *self = Touched::All;
            }
        }
    }
}

/// What every import does last, inside its own transaction: enrol the touched patients the
/// programme's code list includes, bring the stored worklist up to date for them (or mark it
/// stale for everyone, see [`Touched`]), drop the Budget tab's cached figures, and — for a
/// foreign export — name the pilot when the register has no name yet (amounts in US dollars).
/// Returns the patients enrolled.
pub(crate) fn finish_import(
    tx: &rusqlite::Connection,
    foreign_name: Option<&str>,
    touched: &Touched,
) -> color_eyre::Result<u64> {
    use color_eyre::eyre::WrapErr;
    let enrolled = match touched {
        Touched::All => crate::store::enrol::enrol_all(tx),
        Touched::Patients(ids) => crate::store::enrol::enrol_patients(tx, ids),
    }
    .wrap_err_with(|| crate::i18n::msg("import-enrolling", &[]))?;
    match touched {
        Touched::All => crate::store::worklist_index::invalidate(tx),
        Touched::Patients(ids) => {
            let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
            crate::store::worklist_index::refresh_patients(tx, &ids)
                .and_then(|()| crate::store::views::budget_inputs::drop_cached_inputs(tx))
        }
    }
    .wrap_err_with(|| crate::i18n::msg("import-updating-worklist", &[]))?;
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
        .wrap_err_with(|| crate::i18n::msg("import-writing-pilot", &[]))?;
    }
    Ok(enrolled)
}
