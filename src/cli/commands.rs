//! The commands: each opens the register, asks `store::views` (the same functions the TUI uses)
//! and prints the answer.

use super::Session;
use super::args::*;
use super::output::{Table, print};
use crate::domain::hearts::Counts;
use crate::domain::readmission::ReadmissionPeriod;
use crate::domain::types::CallOutcome;
use crate::domain::worklist::{Reason, Section};
use crate::i18n::msg;
use crate::import::csv_dir::{ImportOptions, import_dir};
use crate::import::csv_file::or_list;
use crate::store::Store;
use crate::store::calls::NewCall;
use crate::store::views::readmissions::Population;
use crate::store::views::{self, WorklistFilter};
use crate::tui::context::AppContext;
use crate::tui::keymap::Keymap;
use crate::tui::theme::Theme;
use color_eyre::eyre::{Result, WrapErr, eyre};

/// A date given to `flag`, or one sentence naming the flag and what was expected.
pub(super) fn date_flag(text: &str, flag: &str) -> Result<chrono::NaiveDate> {
    crate::domain::dates::parse_date(text)
        .map_err(|_| eyre!("{flag}: {}", crate::import::csv_file::date_problem(text)))
}

fn open(session: &Session) -> Result<Store> {
    Ok(Store::open_existing(&session.db)?)
}

/// Opens the dashboard on the session's register.
pub fn open_tui(session: Session) -> Result<()> {
    let store = open(&session)?;
    let clock = session.clock(&store);
    let pilot = views::budget::pilot_info(store.conn())?;
    let device = store.device_id();
    drop(store);
    let keymap_path = session.config_dir.join("keymap.toml");
    let keymap = match crate::config::read_optional(&keymap_path).map_err(|e| eyre!("{e}"))? {
        Some(text) => {
            Keymap::with_override(&text).map_err(|e| eyre!("{}: {e}", keymap_path.display()))?
        }
        None => Keymap::defaults(),
    };
    let ctx = AppContext {
        db_path: session.db,
        i18n: session.i18n,
        config: session.config,
        keymap,
        theme: Theme::from_env(),
        clock: clock.into(),
        pilot,
        device,
    };
    crate::tui::run(ctx)
}

/// `acodesk sample`.
pub fn sample(session: &Session, a: SampleArgs) -> Result<()> {
    let as_of = session
        .as_of_flag
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let spec = crate::sample::SampleSpec {
        patients: a.patients,
        seed: a.seed,
        as_of,
    };
    let summary = crate::sample::generate(&spec, &a.out)?;
    for (file, rows) in &summary.rows {
        outln!("{file}: {rows}")?;
    }
    Ok(())
}

/// `acodesk import …`.
pub fn import(session: &Session, c: ImportCommand) -> Result<()> {
    let mut store = Store::open(&session.db)?;
    let source = super::safety::import_source(&c);
    let summary = match c {
        ImportCommand::Csv { dir, skip_bad_rows } => {
            import_dir(&mut store, &dir, ImportOptions { skip_bad_rows })?
        }
        ImportCommand::Fhir {
            paths,
            skip_bad_rows,
        } => crate::import::fhir::import_fhir(&mut store, &paths, ImportOptions { skip_bad_rows })?,
        ImportCommand::Synthea { dir, skip_bad_rows } => crate::import::synthea::import_synthea(
            &mut store,
            &dir,
            ImportOptions { skip_bad_rows },
        )?,
    };
    crate::store::audit::record_import(&store, &session.config.user(), &source, &summary)?;
    for w in &summary.warnings {
        eprintln!("{}", msg("cli-warning", &[("text", w.as_str().into())]));
    }
    let i18n = &session.i18n;
    let table = Table {
        header: ["table", "inserted", "updated", "unchanged", "rejected"]
            .map(|h| i18n.t(&format!("import-col-{h}")))
            .to_vec(),
        rows: summary
            .tables
            .iter()
            .map(|(t, c)| {
                vec![
                    t.clone(),
                    c.inserted.to_string(),
                    c.updated.to_string(),
                    c.unchanged.to_string(),
                    c.rejected.to_string(),
                ]
            })
            .collect(),
    };
    table.write_aligned(&mut std::io::stdout())?;
    // Each programme in force with its patients (a patient in two programmes is in both lines).
    let enrolled = crate::store::stats::enrolled_by_program(store.conn())?;
    for p in crate::store::rules::programs() {
        let count = enrolled.get(&p.id).copied().unwrap_or(0);
        outln!(
            "{}",
            i18n.t_args(
                "import-enrolled",
                &[
                    ("count", count.into()),
                    ("program", p.name_in(i18n.lang().code()).into())
                ]
            )
        )?;
    }
    Ok(())
}

/// `acodesk stats`.
/// The programme a `--program` flag names: one of the programmes in force (or `all` where
/// `all_allowed`), else one sentence listing them.
fn program_flag(value: &str, all_allowed: bool) -> Result<String> {
    let value = value.trim();
    let programs = crate::store::rules::programs();
    if programs.iter().any(|p| p.id == value) {
        return Ok(value.to_string());
    }
    let mut expected: Vec<&str> = programs.iter().map(|p| p.id.as_str()).collect();
    if all_allowed {
        expected.push("all");
    }
    Err(eyre!(
        "{}",
        msg(
            "cli-bad-program",
            &[
                ("value", value.into()),
                ("expected", expected.join(", ").as_str().into())
            ]
        )
    ))
}

pub fn stats(session: &Session, program: Option<String>, format: Format) -> Result<()> {
    let store = open(session)?;
    let program = program
        .as_deref()
        .map(|p| program_flag(p, false))
        .transpose()?;
    let stats = crate::store::stats::stats(store.conn(), program.as_deref())?;
    print(format, &stats, || {
        let mut rows: Vec<Vec<String>> = stats
            .tables
            .iter()
            .map(|(t, n)| vec![t.clone(), n.to_string()])
            .collect();
        for (p, n) in &stats.enrolled {
            rows.push(vec![format!("enrolled.{p}"), n.to_string()]);
        }
        for (status, n) in &stats.by_status {
            rows.push(vec![format!("status.{status}"), n.to_string()]);
        }
        Table {
            header: vec![
                session.i18n.t("import-col-table"),
                session.i18n.t("cli-col-rows"),
            ],
            rows,
        }
    })
}

/// `acodesk worklist`.
pub fn worklist(session: &Session, a: WorklistArgs) -> Result<()> {
    let store = open(session)?;
    let clock = session.clock(&store);
    let reason = match &a.reason {
        Some(r) => Some(Reason::from_code(r).ok_or_else(|| {
            let expected = Reason::ALL
                .iter()
                .map(|r| r.as_code())
                .collect::<Vec<_>>()
                .join(", ");
            eyre!(
                "{}",
                msg(
                    "cli-bad-reason",
                    &[
                        ("value", r.as_str().into()),
                        ("expected", expected.as_str().into())
                    ]
                )
            )
        })?),
        None => None,
    };
    let section = Section::from_code(&a.section).ok_or_else(|| {
        let expected = Section::ALL
            .iter()
            .map(|s| s.as_code())
            .collect::<Vec<_>>()
            .join(", ");
        eyre!(
            "{}",
            msg(
                "cli-bad-section",
                &[
                    ("value", a.section.as_str().into()),
                    ("expected", expected.as_str().into())
                ]
            )
        )
    })?;
    let filter = WorklistFilter {
        nurse_id: a.nurse,
        site_id: a.site,
        reason,
        has_phone: a.has_phone,
        search: String::new(),
        section,
        program: a
            .program
            .as_deref()
            .map(|p| program_flag(p, false))
            .transpose()?,
    };
    let view = views::worklist(store.conn(), &clock, &filter)?;
    let i18n = &session.i18n;
    if let Some(dir) = &a.call_sheet {
        let sheet = views::call_sheet::from_view(store.conn(), &view, &filter, a.lost, i18n)?;
        let now = chrono::Local::now().naive_local();
        let written = views::call_sheet::write(&sheet, dir, i18n, now)
            .wrap_err_with(|| format!("writing the call sheet into {}", dir.display()))?;
        outln!("{}", views::call_sheet::written_message(i18n, &written))?;
        return Ok(());
    }
    print(a.format, &view, || Table {
        header: [
            "priority",
            "patient",
            "phone",
            "reasons",
            "days_overdue",
            "due",
            "nurse",
            "site",
            "id",
        ]
        .map(|h| i18n.t(&format!("wl-col-{h}")))
        .to_vec(),
        rows: view
            .rows
            .iter()
            .map(|r| {
                // The deciding reason first: the days and the due date beside it are its own.
                let reasons = crate::i18n::worklist::reasons(
                    i18n,
                    &r.entry,
                    view.as_of,
                    crate::store::rules::programs(),
                );
                vec![
                    i18n.t(&format!("priority-{}", r.entry.priority.as_code())),
                    r.full_name.clone(),
                    r.phone.clone().unwrap_or_default(),
                    reasons.join("; "),
                    r.entry.days_overdue.to_string(),
                    i18n.fmt.date(r.entry.due),
                    r.nurse.clone(),
                    r.site.clone(),
                    r.patient_id.clone(),
                ]
            })
            .collect(),
    })
}

/// `acodesk call`.
pub fn call(session: &Session, a: CallArgs) -> Result<()> {
    let mut store = open(session)?;
    let clock = session.clock(&store);
    let as_of = clock.as_of;
    let outcome = CallOutcome::from_code(&a.outcome).ok_or_else(|| {
        let expected = or_list(&CallOutcome::expected());
        eyre!(
            "{}",
            msg(
                "cli-bad-outcome",
                &[
                    ("value", a.outcome.as_str().into()),
                    ("expected", expected.as_str().into())
                ]
            )
        )
    })?;
    let next_date = match &a.next {
        Some(text) => Some(date_flag(text, "--next")?),
        None => crate::domain::worklist::default_next_date(
            outcome,
            as_of,
            &crate::store::worklist_index::rules().0,
            &crate::store::worklist_index::rules().1,
        ),
    };
    let call = NewCall {
        patient_id: a.patient,
        outcome,
        next_date: if outcome.takes_date() {
            next_date
        } else {
            None
        },
        note: a.note,
        user: session.config.user(),
        supersedes: a.corrects,
    };
    let id = crate::store::calls::append(&mut store, &call)?;
    outln!("{id}")?;
    Ok(())
}

/// `acodesk assign`.
pub fn assign(session: &Session, a: AssignArgs) -> Result<()> {
    if session.config.role != crate::config::Role::Manager {
        return Err(eyre!("{}", session.i18n.t("status-managers-assign")));
    }
    let mut store = open(session)?;
    let user = session.config.user();
    let count = match (&a.patient, &a.site) {
        (Some(patient), _) => u64::from(crate::store::assign::assign_patient(
            &mut store, patient, &a.nurse, &user,
        )?),
        (None, Some(site)) => {
            crate::store::assign::assign_site(&mut store, site, &a.nurse, !a.all, &user)?
        }
        (None, None) => return Err(eyre!("{}", msg("cli-assign-needs-target", &[]))),
    };
    outln!(
        "{}",
        session.i18n.t_args(
            "status-assigned",
            &[("count", count.into()), ("nurse", a.nurse.as_str().into())]
        )
    )?;
    Ok(())
}

/// `acodesk patient`.
pub fn patient(session: &Session, id: &str, format: Format) -> Result<()> {
    let store = open(session)?;
    let Some(card) = crate::store::audit::card_viewed(&store, &session.config.user(), id)? else {
        // A laptop holds only its scope: the patient may be at the hub.
        let key = if crate::sync::scope::is_scoped(store.conn())? {
            "cli-no-patient-scoped"
        } else {
            "cli-no-patient"
        };
        return Err(eyre!("{}", msg(key, &[("id", id.into())])));
    };
    let i18n = &session.i18n;
    print(format, &card, || {
        let mut rows = vec![
            vec![
                i18n.t("col-patient"),
                format!(
                    "{} {} {}",
                    card.family_name, card.given_name, card.patronymic
                )
                .trim()
                .to_string(),
            ],
            vec![
                i18n.t("born"),
                card.birth_date
                    .map(|d| i18n.fmt.date(d))
                    .unwrap_or_default(),
            ],
            vec![
                i18n.t("col-status"),
                i18n.t(&format!("status-{}", card.status.as_code())),
            ],
            vec![i18n.t("col-phone"), super::card_rows::phones(i18n, &card)],
        ];
        if let Some(since) = card.palliative_since {
            rows.push(vec![
                i18n.t("palliative-form-title"),
                i18n.t_args(
                    "card-palliative",
                    &[("date", i18n.fmt.date(since).as_str().into())],
                ),
            ]);
        }
        rows.extend(super::card_rows::results(i18n, &card));
        rows.extend(super::card_rows::programs_and_trend(
            i18n,
            &card,
            session.clock(&store).as_of,
        ));
        for c in &card.calls {
            rows.push(vec![
                c.called_at.clone(),
                format!(
                    "{} {}",
                    i18n.t(&format!("outcome-{}", c.outcome.as_code())),
                    c.note
                ),
            ]);
        }
        Table {
            header: vec![card.id.clone(), String::new()],
            rows,
        }
    })
}

/// `acodesk readmissions`.
pub fn readmissions(session: &Session, a: ReadmissionsArgs) -> Result<()> {
    let store = open(session)?;
    let clock = session.clock(&store);
    let as_of = clock.as_of;
    let default = ReadmissionPeriod::default_for(as_of);
    let parse = |t: &Option<String>, flag: &str| -> Result<Option<chrono::NaiveDate>> {
        t.as_deref().map(|t| date_flag(t, flag)).transpose()
    };
    let to = parse(&a.to, "--to")?.unwrap_or(default.to);
    let from = parse(&a.from, "--from")?.unwrap_or_else(|| {
        to.checked_sub_months(chrono::Months::new(12))
            .and_then(|d| d.succ_opt())
            .unwrap_or(default.from)
    });
    if from > to {
        return Err(eyre!(
            "{}",
            msg(
                "cli-from-after-to",
                &[
                    ("from", from.to_string().as_str().into()),
                    ("to", to.to_string().as_str().into())
                ]
            )
        ));
    }
    let population = match a.program.as_deref() {
        None => Population::Enrolled,
        Some("all") => Population::All,
        Some(id) => Population::Program(program_flag(id, true)?),
    };
    let view = views::readmissions::compute(
        store.conn(),
        &ReadmissionPeriod { from, to, as_of },
        &population,
        crate::store::worklist_index::rules().0.lace_high_risk,
    )
    .wrap_err_with(|| msg("cli-computing-readmissions", &[]))?;
    let i18n = &session.i18n;
    let s = &view.summary;
    #[derive(serde::Serialize)]
    struct Out<'a> {
        index_stays: u64,
        readmissions: u64,
        rate: Option<f64>,
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
        as_of: chrono::NaiveDate,
        by_month: &'a [crate::domain::readmission::MonthRate],
        by_organization: &'a [crate::domain::readmission::OrgRate],
        open_windows: usize,
        open: &'a [crate::store::views::readmissions::OpenWindow],
        readmitted: &'a [crate::store::views::readmissions::ReadmittedPair],
    }
    let out = Out {
        index_stays: s.index_stays,
        readmissions: s.readmissions,
        rate: s.rate,
        from,
        to,
        as_of,
        by_month: &s.by_month,
        by_organization: &s.by_organization,
        open_windows: view.open_windows.len(),
        open: &view.open_windows,
        readmitted: &view.pairs,
    };
    print(a.format, &out, || {
        let mut rows: Vec<Vec<String>> = s
            .by_month
            .iter()
            .map(|m| {
                vec![
                    m.month.clone(),
                    m.index_stays.to_string(),
                    m.readmissions.to_string(),
                    m.rate.map(|r| i18n.fmt.percent(r)).unwrap_or_default(),
                ]
            })
            .collect();
        rows.push(vec![
            i18n.t("progress-total"),
            s.index_stays.to_string(),
            s.readmissions.to_string(),
            s.rate.map(|r| i18n.fmt.percent(r)).unwrap_or_default(),
        ]);
        rows.push(vec![
            i18n.t("readm-open"),
            view.open_windows.len().to_string(),
            String::new(),
            String::new(),
        ]);
        Table {
            header: ["month", "index_stays", "readmissions", "rate"]
                .map(|h| i18n.t(&format!("readm-col-{h}")))
                .to_vec(),
            rows,
        }
    })
}

/// `acodesk finance` and `acodesk finance reconcile` (the projection and the contract command
/// live in `cli/finance.rs`).
pub fn finance(session: &Session, a: FinanceArgs) -> Result<()> {
    if let Some(FinanceCommand::Contract {
        use_contract,
        dry_run,
        force,
    }) = &a.command
    {
        let store = open(session)?;
        return super::finance::contract(
            session,
            &store,
            &super::finance::ContractRequest {
                choice: use_contract.as_deref(),
                dry_run: *dry_run,
                force: *force,
            },
        );
    }
    if let Some(FinanceCommand::Reconcile { input, format }) = &a.command {
        let format = match format {
            Format::Json => crate::cli::finance_batch::OutputFormat::Json,
            _ => crate::cli::finance_batch::OutputFormat::Csv,
        };
        // Reconcile into memory first: a bad row prints nothing but the error.
        let mut buffer = Vec::new();
        crate::cli::finance_batch::reconcile_file(input, format, &mut buffer)?;
        use std::io::Write;
        std::io::stdout().write_all(&buffer)?;
        return Ok(());
    }
    let store = open(session)?;
    super::finance::projection(session, &store, &a)
}

/// `acodesk progress`: the Progress tab's figures by site, nurse or month, as a table, CSV (each
/// share as numerator, denominator and percent) or JSON.
pub fn progress(session: &Session, a: ProgressArgs) -> Result<()> {
    use crate::domain::indicators::{Cascade, Ratio, Tally};
    use crate::store::views::progress::{Column, Figure, GroupExtras, ProgressQuery, Workload};
    let store = open(session)?;
    let clock = session.clock(&store);
    let month = a
        .month
        .as_deref()
        .map(|m| {
            chrono::NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d")
                .map_err(|_| eyre!("{}", msg("cli-bad-month", &[("value", m.into())])))
        })
        .transpose()?;
    let query = ProgressQuery {
        site_id: a.site.clone(),
        nurse_id: a.nurse.clone(),
        month,
    };
    let b = views::progress::progress_board(store.conn(), &clock, &query)?;
    let hearts = progress_hearts(&store, &a, &b)?;
    let i18n = &session.i18n;
    // One line per group: its id, display name, indicators and the other figures.
    let lines: Vec<(String, String, &Tally, GroupExtras)> = match a.by {
        GroupBy::Site | GroupBy::Nurse => {
            let (groups, extras) = if a.by == GroupBy::Site {
                (&b.view.sites, &b.sites)
            } else {
                (&b.view.nurses, &b.nurses)
            };
            groups
                .iter()
                .zip(extras)
                .map(|(g, x)| (g.id.clone(), g.name.clone(), &g.tally, x.clone()))
                .collect()
        }
        GroupBy::Month => b
            .series
            .iter()
            .map(|m| {
                let extras = GroupExtras {
                    readmissions: m.readmissions,
                    ..GroupExtras::default()
                };
                (
                    m.end.format("%Y-%m").to_string(),
                    m.end.to_string(),
                    &m.tally,
                    extras,
                )
            })
            .collect(),
    };
    let columns: Vec<Column> = match a.by {
        GroupBy::Site => Column::SITES.to_vec(),
        GroupBy::Nurse => Column::nurses(),
        GroupBy::Month => std::iter::once(Column::Active)
            .chain(Column::TRENDS)
            .collect(),
    };
    // HEARTS per line and programme: a site's or nurse's figures, or a month end's.
    let line_hearts: Vec<Vec<Counts>> = (0..lines.len())
        .map(|i| {
            hearts
                .iter()
                .map(|h| match a.by {
                    GroupBy::Site => h.group(false, &lines[i].0),
                    GroupBy::Nurse => h.group(true, &lines[i].0),
                    GroupBy::Month => b
                        .series
                        .get(i)
                        .map(|m| h.month(m.end))
                        .unwrap_or_else(|| Counts::new(h.total.outcome)),
                })
                .collect()
        })
        .collect();
    let one_program = a.program.is_some();
    #[derive(serde::Serialize)]
    struct HeartsGroup<'a> {
        id: &'a str,
        hearts: &'a Counts,
    }
    #[derive(serde::Serialize)]
    struct HeartsOut<'a> {
        program: &'a str,
        name: &'a str,
        as_of: chrono::NaiveDate,
        total: &'a Counts,
        groups: Vec<HeartsGroup<'a>>,
    }
    #[derive(serde::Serialize)]
    struct Group<'a> {
        id: &'a str,
        name: &'a str,
        tally: &'a Tally,
        /// The chosen programme's HEARTS figures (with `--program`).
        #[serde(skip_serializing_if = "Option::is_none")]
        hearts: Option<&'a Counts>,
        readmissions: Ratio,
        #[serde(skip_serializing_if = "Option::is_none")]
        cascade: Option<&'a Cascade>,
        #[serde(skip_serializing_if = "Option::is_none")]
        workload: Option<&'a Workload>,
    }
    #[derive(serde::Serialize)]
    struct Total<'a> {
        #[serde(flatten)]
        tally: &'a Tally,
        /// Every indicator by its catalogue id (`acodesk measures`).
        measures: Vec<crate::domain::measures::Figure>,
        /// The chosen programme's HEARTS figures (with `--program`).
        #[serde(skip_serializing_if = "Option::is_none")]
        hearts: Option<&'a Counts>,
        readmissions: Ratio,
        cascade: &'a Cascade,
        workload: &'a Workload,
    }
    #[derive(serde::Serialize)]
    struct Out<'a> {
        period: crate::domain::indicators::Period,
        month: crate::domain::indicators::CascadeMonth,
        query: &'a ProgressQuery,
        savings_rate: Option<f64>,
        /// The contract's quality gate (pilot-wide), as `finance --format json` gives it.
        quality_gate: Option<crate::store::views::budget::GateFigure>,
        total: Total<'a>,
        groups: Vec<Group<'a>>,
        /// Every programme shown: its HEARTS figures in total and per line.
        hearts_programs: Vec<HeartsOut<'a>>,
    }
    let by_month = a.by == GroupBy::Month;
    let out = Out {
        period: b.view.period,
        month: b.month,
        query: &b.query,
        savings_rate: b.savings_rate,
        quality_gate: b.quality_gate.map(|g| g.figure(i18n.lang())),
        total: Total {
            tally: &b.view.total,
            measures: crate::domain::measures::tally_figures(&b.view.total),
            hearts: hearts.first().filter(|_| one_program).map(|h| &h.total),
            readmissions: b.total.readmissions,
            cascade: &b.total.cascade,
            workload: &b.total.workload,
        },
        groups: lines
            .iter()
            .zip(&line_hearts)
            .map(|((id, name, tally, x), h)| Group {
                id,
                name,
                tally,
                hearts: h.first().filter(|_| one_program),
                readmissions: x.readmissions,
                cascade: (!by_month).then_some(&x.cascade),
                workload: (!by_month).then_some(&x.workload),
            })
            .collect(),
        hearts_programs: hearts
            .iter()
            .enumerate()
            .map(|(k, h)| HeartsOut {
                program: &h.program,
                name: &h.name,
                as_of: h.end,
                total: &h.total,
                groups: lines
                    .iter()
                    .zip(&line_hearts)
                    .map(|((id, ..), c)| HeartsGroup { id, hearts: &c[k] })
                    .collect(),
            })
            .collect(),
    };
    print(a.format, &out, || {
        let csv = a.format == Format::Csv;
        let first = match a.by {
            GroupBy::Site => "col-site",
            GroupBy::Nurse => "col-nurse",
            GroupBy::Month => "report-col-month",
        };
        // By month, the first columns say what a row is: the month and the day its figures are
        // as of (the month's end, or the as-of date in the current month).
        let mut header = match (csv, a.by) {
            (true, GroupBy::Month) => vec!["month".to_string(), "month_end".to_string()],
            (true, _) => vec!["id".to_string(), "name".to_string()],
            (false, GroupBy::Month) => vec![i18n.t("report-col-month-end")],
            (false, _) => vec![i18n.t(first)],
        };
        for c in &columns {
            match (csv, c.lower_is_better()) {
                (true, Some(_)) => {
                    header.extend(["num", "den", "pct"].map(|p| format!("{}_{p}", c.code())))
                }
                (true, None) => header.push(c.code()),
                (false, _) => header.push(i18n.t(&c.key())),
            }
        }
        // CSV with `--program`: the programme's HEARTS figures as columns named by their
        // catalogue ids (`hearts_controlled`); every programme has its own CSV (the table prints
        // them as tables of their own below, JSON in `hearts_programs`).
        if csv && one_program {
            for h in &hearts {
                header.extend(
                    h.total
                        .figures()
                        .iter()
                        .map(|(name, _)| format!("hearts_{name}")),
                );
            }
        }
        let total = (
            "total".to_string(),
            i18n.t("progress-total"),
            &b.view.total,
            b.total.clone(),
        );
        let total_hearts: Vec<Counts> = hearts.iter().map(|h| h.total.clone()).collect();
        let rows = lines
            .iter()
            .chain(std::iter::once(&total))
            .zip(line_hearts.iter().chain(std::iter::once(&total_hearts)))
            .map(|((id, name, tally, x), hc)| {
                let name = if name.is_empty() {
                    "—"
                } else {
                    name.as_str()
                };
                let mut row = if csv {
                    vec![id.clone(), name.to_string()]
                } else {
                    vec![name.to_string()]
                };
                for c in &columns {
                    match (csv, c.figure(tally, x)) {
                        (_, Figure::Count(n)) => row.push(n.to_string()),
                        (true, Figure::Ratio(r)) => row.extend([
                            r.numerator.to_string(),
                            r.denominator.to_string(),
                            r.rate()
                                .map(|x| format!("{:.1}", x * 100.0))
                                .unwrap_or_default(),
                        ]),
                        (false, Figure::Ratio(r)) => row.push(i18n.fmt.ratio(r)),
                    }
                }
                if csv && one_program {
                    for c in hc {
                        row.extend(c.figures().iter().map(|(_, n)| n.to_string()));
                    }
                }
                row
            })
            .collect();
        Table { header, rows }
    })?;
    if a.format == Format::Table {
        // What each short caption stands for: the catalogue's label, which names the window.
        outln!()?;
        outln!(
            "{}",
            i18n.t(if by_month {
                "progress-trends"
            } else {
                "progress-legend"
            })
        )?;
        for c in &columns {
            outln!("  {} — {}", i18n.t(&c.key()), c.long_label(i18n))?;
        }
        if by_month {
            outln!(
                "{}",
                i18n.t_args(
                    "progress-month-readm",
                    &[("as_of", i18n.fmt.date(b.as_of).as_str().into())]
                )
            )?;
        }
        for (k, h) in hearts.iter().enumerate() {
            hearts_table(i18n, &a, h, &lines, &line_hearts, k)?;
        }
    }
    Ok(())
}

/// The HEARTS boards `progress` shows: the `--program` one, or every programme of the register.
/// An unknown id is refused with the list of known ones.
fn progress_hearts(
    store: &Store,
    a: &ProgressArgs,
    b: &views::progress::ProgressBoard,
) -> Result<Vec<crate::store::hearts::HeartsBoard>> {
    let known = crate::store::hearts::programs(store.conn())?;
    let shown: Vec<(String, String)> = match &a.program {
        None => known,
        Some(p) => match known.iter().find(|k| &k.0 == p) {
            Some(k) => vec![k.clone()],
            None => {
                let ids: Vec<&str> = known.iter().map(|k| k.0.as_str()).collect();
                return Err(eyre!(
                    "{}",
                    msg(
                        "cli-unknown-program",
                        &[
                            ("value", p.as_str().into()),
                            ("known", ids.join(", ").as_str().into())
                        ]
                    )
                ));
            }
        },
    };
    let month_ends: Vec<chrono::NaiveDate> = if a.by == GroupBy::Month {
        b.months()
    } else {
        Vec::new()
    };
    shown
        .iter()
        .map(|p| {
            crate::store::hearts::hearts_board(
                store.conn(),
                p,
                b.view.period.to,
                &month_ends,
                a.site.as_deref(),
                a.nurse.as_deref(),
            )
        })
        .collect::<rusqlite::Result<_>>()
        .map_err(Into::into)
}

/// One programme's HEARTS table under `progress`'s table: a row per line and the total, a
/// column per figure, then each column's catalogue label.
fn hearts_table(
    i18n: &crate::i18n::I18n,
    a: &ProgressArgs,
    h: &crate::store::hearts::HeartsBoard,
    lines: &[(
        String,
        String,
        &crate::domain::indicators::Tally,
        views::progress::GroupExtras,
    )],
    line_hearts: &[Vec<Counts>],
    k: usize,
) -> Result<()> {
    outln!()?;
    outln!(
        "{}",
        i18n.t_args(
            "progress-hearts-title",
            &[
                ("program", h.name.as_str().into()),
                ("as_of", i18n.fmt.date(h.end).as_str().into())
            ]
        )
    )?;
    let first = match a.by {
        GroupBy::Site => "col-site",
        GroupBy::Nurse => "col-nurse",
        GroupBy::Month => "report-col-month-end",
    };
    let figures = h.total.figures();
    let mut header = vec![i18n.t(first)];
    header.extend(
        figures
            .iter()
            .map(|(name, _)| i18n.t(&format!("hearts-col-{name}"))),
    );
    let total = i18n.t("progress-total");
    let rows = lines
        .iter()
        .map(|l| if l.1.is_empty() { "—" } else { l.1.as_str() })
        .chain(std::iter::once(total.as_str()))
        .zip(
            line_hearts
                .iter()
                .map(|c| &c[k])
                .chain(std::iter::once(&h.total)),
        )
        .map(|(name, c)| {
            std::iter::once(name.to_string())
                .chain(c.figures().iter().map(|(_, n)| n.to_string()))
                .collect()
        })
        .collect();
    Table { header, rows }.write_aligned(&mut std::io::stdout().lock())?;
    let lang = match i18n.lang() {
        crate::i18n::Lang::Ru => "ru",
        crate::i18n::Lang::En => "en",
    };
    for (name, _) in &figures {
        if let Some(m) = crate::domain::measures::hearts::hearts_measure(name) {
            outln!(
                "  {} — {}",
                i18n.t(&format!("hearts-col-{name}")),
                m.label.get(lang)
            )?;
        }
    }
    Ok(())
}

/// `acodesk measures`: the catalogue of measures, in the session's language for the table and
/// CSV (JSON carries both languages).
pub fn measures(session: &Session, format: Format) -> Result<()> {
    use crate::domain::measures::CATALOGUE;
    let lang = match session.i18n.lang() {
        crate::i18n::Lang::Ru => "ru",
        crate::i18n::Lang::En => "en",
    };
    let i18n = &session.i18n;
    print(format, &CATALOGUE, || {
        let full = format == Format::Csv;
        let keys: &[&str] = if full {
            &[
                "id",
                "label",
                "population",
                "numerator",
                "denominator",
                "window",
                "as_of",
                "period",
                "source",
            ]
        } else {
            &["id", "label", "window", "source"]
        };
        let header = keys
            .iter()
            .map(|k| {
                if full {
                    (*k).to_string()
                } else {
                    i18n.t(&format!("measures-col-{k}"))
                }
            })
            .collect();
        let rows = CATALOGUE
            .iter()
            .map(|m| {
                keys.iter()
                    .map(|k| match *k {
                        "id" => m.id.to_string(),
                        "label" => m.label.get(lang).to_string(),
                        "population" => m.population.get(lang).to_string(),
                        "numerator" => m.numerator.get(lang).to_string(),
                        "denominator" => m.denominator.get(lang).to_string(),
                        "window" => m.window.get(lang).to_string(),
                        "as_of" => m.as_of.get(lang).to_string(),
                        "period" => m.period.get(lang).to_string(),
                        _ => m.source.to_string(),
                    })
                    .collect()
            })
            .collect();
        Table { header, rows }
    })
}

/// `acodesk report`.
pub fn report(session: &Session, a: ReportArgs) -> Result<()> {
    let store = open(session)?;
    let clock = session.clock(&store);
    let parse = |t: &Option<String>, flag: &str| -> Result<Option<chrono::NaiveDate>> {
        t.as_deref().map(|t| date_flag(t, flag)).transpose()
    };
    let as_of = parse(&a.to, "--to")?.unwrap_or(clock.as_of);
    let from = parse(&a.from, "--from")?;
    let options = crate::report::ReportOptions {
        as_of,
        from,
        out: a.out.clone(),
        csv_dir: a.csv.clone(),
        xlsx: a.xlsx.clone(),
    };
    crate::report::write_report(store.conn(), &session.i18n, &options)?;
    outln!("{}", a.out.display())?;
    Ok(())
}
