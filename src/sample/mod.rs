//! The deterministic sample pilot: a fictional regional diabetes pilot of the Mandatory Health
//! Insurance Fund, written in acodesk's own CSV import format plus `pilot.toml`.
//!
//! Patients are generated one at a time, each from its own seeded random stream, and their rows go
//! straight to the nine open files, so memory stays flat whatever the patient count and the same
//! seed, date and count always give byte-identical files.

mod billing;
mod care;
mod conditions;
mod contact;
mod draw;
mod ids;
mod names;
mod network;
mod observations;
mod patient;
mod places;
mod sink;
#[cfg(test)]
mod tests;

use crate::domain::types::EncounterClass;
use crate::store::records::{AppointmentRow, CallRow, ClaimRow, EncounterRow, ObservationRow};
use chrono::{Datelike, NaiveDate};
use color_eyre::Result;
use color_eyre::eyre::{WrapErr, eyre};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

/// The seed of the committed sample data.
pub const DEFAULT_SEED: u64 = 42;
/// The number of patients of the committed sample data.
pub const DEFAULT_PATIENTS: usize = 6000;
/// The as-of date the committed `sample-data/` was generated with (the demo's clock).
pub const DEMO_AS_OF: (i32, u32, u32) = (2026, 11, 20);

/// [`DEMO_AS_OF`] as a date.
pub fn demo_as_of() -> NaiveDate {
    let (y, m, d) = DEMO_AS_OF;
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SampleSpec {
    /// Number of patients.
    pub patients: usize,
    /// Random seed: the same seed, date and count give byte-identical files.
    pub seed: u64,
    /// The last day of data; only appointments lie after it. Its year is the performance year.
    pub as_of: NaiveDate,
}

impl SampleSpec {
    /// The committed demo data set: 6 000 patients, seed 42, as of 20 November 2026.
    pub fn demo() -> SampleSpec {
        SampleSpec {
            patients: DEFAULT_PATIENTS,
            seed: DEFAULT_SEED,
            as_of: demo_as_of(),
        }
    }
}

/// What was written.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SampleSummary {
    /// File name → number of data rows (header excluded).
    pub rows: BTreeMap<String, u64>,
}

/// The dates and trends every generator shares.
struct Ctx {
    seed: u64,
    as_of: NaiveDate,
    /// The performance year (the as-of year).
    year: i32,
    /// 1 January of the performance year.
    year_start: NaiveDate,
    /// 1 January two years earlier: the start of the baseline.
    window_start: NaiveDate,
}

impl Ctx {
    fn new(spec: &SampleSpec) -> Result<Ctx> {
        let year = spec.as_of.year();
        let jan1 = |y| {
            NaiveDate::from_ymd_opt(y, 1, 1)
                .ok_or_else(|| eyre!("as-of year {year} is out of range"))
        };
        Ok(Ctx {
            seed: spec.seed,
            as_of: spec.as_of,
            year,
            year_start: jan1(year)?,
            window_start: jan1(year - 2)?,
        })
    }

    /// Tariff level of a year relative to the first baseline year: medical prices grow 4.5 % a year.
    fn price_index(&self, year: i32) -> f64 {
        match self.year - year {
            ..=0 => 1.09,
            1 => 1.045,
            _ => 1.0,
        }
    }

    /// Admissions in the performance year are fewer: the pilot is working.
    fn hospital_factor(&self, year: i32) -> f64 {
        if year >= self.year { 0.98 } else { 1.0 }
    }

    /// Emergency visits in the performance year are fewer too.
    fn emergency_factor(&self, year: i32) -> f64 {
        if year >= self.year { 0.95 } else { 1.0 }
    }
}

/// `pilot.toml`: the pilot's name, region, currency and years.
#[derive(Serialize)]
struct PilotFile {
    name: &'static str,
    name_en: &'static str,
    region: &'static str,
    currency: &'static str,
    as_of: String,
    start_date: String,
    baseline_years: [i32; 2],
    contract: &'static str,
}

/// Writes the sample pilot into `out_dir` (created if needed): the nine CSV files of
/// `records::FILES` and `pilot.toml`.
pub fn generate(spec: &SampleSpec, out_dir: &Path) -> Result<SampleSummary> {
    std::fs::create_dir_all(out_dir).wrap_err_with(|| format!("creating {}", out_dir.display()))?;
    let ctx = Ctx::new(spec)?;
    let mut sink = sink::Sink::create(out_dir)?;
    for row in network::organizations() {
        sink.organizations.put(&row)?;
    }
    for row in network::staff() {
        sink.staff.put(&row)?;
    }
    let mut ids = Ids::default();
    for index in 1..=spec.patients as u64 {
        write_patient(&mut sink, &mut ids, &ctx, index)?;
    }
    let rows = sink.finish()?;

    let pilot = PilotFile {
        name: "Пилот ОМС «Сахарный диабет» — Северная область",
        name_en: "MHIF diabetes pilot — Northern Region",
        region: network::REGION,
        currency: "RUB",
        as_of: spec.as_of.format("%Y-%m-%d").to_string(),
        start_date: ctx.year_start.format("%Y-%m-%d").to_string(),
        baseline_years: [ctx.year - 2, ctx.year - 1],
        contract: "regional-pilot",
    };
    let text = toml::to_string(&pilot).wrap_err("writing pilot.toml")?;
    let path = out_dir.join("pilot.toml");
    std::fs::write(&path, text).wrap_err_with(|| format!("writing {}", path.display()))?;
    Ok(SampleSummary { rows })
}

/// Running counters of the generated ids.
#[derive(Default)]
struct Ids {
    observation: u64,
    encounter: u64,
    claim: u64,
    appointment: u64,
    call: u64,
}

/// Generates one patient and writes all their rows.
fn write_patient(sink: &mut sink::Sink, ids: &mut Ids, ctx: &Ctx, index: u64) -> Result<()> {
    let mut rng = draw::patient_rng(ctx.seed, index);
    let rng = &mut rng;
    let p = patient::Patient::draw(rng, index, ctx);
    sink.patients.put(p.row())?;
    for row in conditions::diagnoses(&p, ctx.window_start, rng) {
        sink.diagnoses.put(&row)?;
    }

    let encs = care::encounters(&p, ctx, rng);
    for o in observations::observations(&p, &encs, ctx, rng) {
        ids.observation += 1;
        sink.observations.put(&ObservationRow {
            id: format!("O{:06}", ids.observation),
            patient_id: p.id.clone(),
            date: o.date,
            loinc: o.kind.loinc().to_string(),
            value: o.value,
            unit: o.kind.unit().to_string(),
            site_id: Some(o.site.to_string()),
        })?;
    }

    let mut enc_ids = Vec::with_capacity(encs.len());
    for e in &encs {
        ids.encounter += 1;
        let id = format!("E{:06}", ids.encounter);
        sink.encounters.put(&EncounterRow {
            id: id.clone(),
            patient_id: p.id.clone(),
            class: e.class,
            start: draw::timestamp(e.day, e.minute),
            end: e.end.map(|(d, m)| draw::timestamp(d, m)),
            organization_id: Some(e.org.to_string()),
            planned: e.planned,
            disposition: if e.class == EncounterClass::Inpatient {
                e.disposition
            } else {
                None
            },
            cost: e.cost,
            principal_dx: None,
        })?;
        enc_ids.push(id);
    }

    for c in billing::claims(&p, &encs, ctx, rng) {
        ids.claim += 1;
        sink.claims.put(&ClaimRow {
            id: format!("C{:06}", ids.claim),
            patient_id: p.id.clone(),
            service_date: c.date,
            paid: c.paid,
            category: c.category,
            organization_id: Some(c.org.to_string()),
            encounter_id: c.encounter.and_then(|i| enc_ids.get(i).cloned()),
            received: Some(c.received),
            funding: Some(c.funding),
        })?;
    }

    for date in contact::appointments(&p, ctx, rng) {
        ids.appointment += 1;
        sink.appointments.put(&AppointmentRow {
            id: format!("A{:06}", ids.appointment),
            patient_id: p.id.clone(),
            date,
            site_id: Some(p.site.id.to_string()),
        })?;
    }

    for call in contact::calls(&p, &encs, ctx, rng) {
        ids.call += 1;
        sink.calls.put(&CallRow {
            id: format!("CALL-{:06}", ids.call),
            patient_id: p.id.clone(),
            called_at: draw::timestamp(call.day, call.minute),
            user: p.caller.to_string(),
            outcome: call.outcome,
            next_date: call.next,
            note: call.note,
        })?;
    }
    Ok(())
}
