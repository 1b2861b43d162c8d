//! The TUI's questions to the register and their answers. The worker thread runs [`handle`] on its
//! own connection; tests call it directly. Views only ever read the answers.

use super::context::AppContext;
use crate::domain::finance::projection::WhatIf;
use crate::store::Store;
use crate::store::calls::{self, NewCall};
use crate::store::patients::{self, PatientCard, PatientListItem, PatientQuery};
use crate::store::views::progress::{
    Column, DrillGroup, PatientDrill, ProgressBoard, ProgressQuery, progress_board,
    progress_patients,
};
use crate::store::views::worklist_page::{PageKey, WorklistCounts};
use crate::store::views::{self, BudgetView, ReadmissionsView, WorklistFilter, WorklistView};

/// Rows in one page of the worklist.
pub const WORKLIST_PAGE: usize = 200;
/// Patients lost to follow-up listed in the Worklist tab's "no visit in 12 months" section, longest
/// without a visit first (the count covers them all).
pub const LOST_SHOWN: usize = 500;

/// The HEARTS panel's answer: the programmes of the register and the chosen one's figures.
#[derive(Debug, Clone, PartialEq)]
pub struct HeartsAnswer {
    /// The population and month asked for.
    pub query: ProgressQuery,
    /// Every programme (id, name), by id.
    pub programs: Vec<(String, String)>,
    /// The programme's figures (`None` when the register has no programme).
    pub board: Option<crate::store::hearts::HeartsBoard>,
}

/// A question the UI asks the worker.
#[derive(Debug, Clone)]
pub enum Request {
    /// A page of the worklist: the first when `after` is `None`.
    Worklist {
        filter: WorklistFilter,
        after: Option<PageKey>,
    },
    /// Where the last page of the filtered worklist starts (for `End`).
    WorklistLastPage(WorklistFilter),
    /// The counts of the filtered worklist (they scan it, so they come separately).
    WorklistCounts(WorklistFilter),
    /// A page of the patient list.
    Patients(PatientQuery),
    /// A patient's card.
    Card(String),
    /// The phones and last call the call form shows (read like the card, and recorded as a view).
    FormInfo(String),
    /// The Readmissions tab.
    Readmissions,
    /// The Budget tab, with a what-if.
    Budget(WhatIf),
    /// The Progress tab: indicators, cascade, workload and trends for a population and month.
    ProgressBoard(ProgressQuery),
    /// The patients behind one figure of the Progress tab.
    ProgressPatients {
        query: ProgressQuery,
        group: DrillGroup,
        column: Column,
    },
    /// The Progress tab's HEARTS panel: a programme's figures (`None`: the first programme) for
    /// the population and month of the query.
    Hearts {
        query: ProgressQuery,
        program: Option<String>,
    },
    /// Save a call (durably) and report back.
    SaveCall(NewCall),
    /// Assign one patient to a nurse.
    Assign {
        patient_id: String,
        nurse_id: String,
        user: String,
    },
    /// Assign every unassigned active patient of a site to a nurse.
    AssignSite {
        site_id: String,
        nurse_id: String,
        user: String,
    },
    /// The header's sync indicator.
    SyncStatus,
    /// Set or clear one of a patient's numbers.
    SetPhone {
        patient_id: String,
        which: crate::store::phones::WhichPhone,
        number: Option<String>,
        user: String,
    },
    /// Give a dead or moved patient back the active status (a manager, from the card).
    RestoreStatus { patient_id: String, user: String },
    /// Mark hospice or palliative care from a date (`None`: clear the mark); a manager, from the
    /// card. `today` bounds the date.
    SetPalliative {
        patient_id: String,
        since: Option<chrono::NaiveDate>,
        today: chrono::NaiveDate,
        user: String,
    },
    /// Write the worklist for the filter (`lost`: the "no visit in 12 months" list) as a call
    /// sheet into the exports folder.
    CallSheet { filter: WorklistFilter, lost: bool },
}

/// An answer from the worker.
#[derive(Debug, Clone)]
pub enum Loaded {
    /// A page of the worklist for the filter and start that asked for it.
    Worklist {
        filter: WorklistFilter,
        after: Option<PageKey>,
        view: Box<WorklistView>,
    },
    /// Where the last page starts for a filter (`None`: the first page is the last).
    WorklistLastPage {
        filter: WorklistFilter,
        start: Option<PageKey>,
    },
    /// The counts for a filter.
    WorklistCounts {
        filter: WorklistFilter,
        counts: Box<WorklistCounts>,
    },
    /// A page of patients for the query that asked for it.
    Patients {
        query: PatientQuery,
        rows: Vec<PatientListItem>,
    },
    /// A patient card (`None`: no such patient).
    Card(Option<Box<PatientCard>>),
    /// The call form's facts for a patient.
    FormInfo(Box<PatientCard>),
    /// The Readmissions tab's figures.
    Readmissions(Box<ReadmissionsView>),
    /// The Budget tab's figures.
    Budget(Box<BudgetView>),
    /// The Progress tab's whole board.
    ProgressBoard(Box<ProgressBoard>),
    /// The patients behind a Progress figure.
    ProgressPatients(Box<PatientDrill>),
    /// The HEARTS panel's figures.
    Hearts(Box<HeartsAnswer>),
    /// A call is on disk.
    CallSaved { patient_id: String, call_id: String },
    /// A patient's status was set back to active (`from`: the status left, `None`: already active).
    StatusRestored {
        patient_id: String,
        from: Option<String>,
    },
    /// The palliative-care mark was saved (`changed`: false when it already was that).
    PalliativeSaved {
        patient_id: String,
        since: Option<chrono::NaiveDate>,
        changed: bool,
    },
    /// A number was saved (`changed`: false when it already was that).
    PhoneSaved { patient_id: String, changed: bool },
    /// Patients were assigned (how many changed).
    Assigned { count: u64, nurse: String },
    /// The header's sync indicator (`None`: the register takes part in no sync).
    Sync(Option<crate::sync::status::SyncBadge>),
    /// Another process changed the register: reload what is shown.
    Changed,
    /// Midnight passed on a dashboard working on today: the clock moved to this date; reload.
    NewDay(chrono::NaiveDate),
    /// A call sheet was written.
    CallSheet(crate::store::views::call_sheet::Written),
    /// A request failed: one sentence for the status line.
    Failed(String),
}

/// Answers one request.
pub fn handle(store: &mut Store, ctx: &AppContext, request: Request) -> Loaded {
    let result: Result<Loaded, String> = match request {
        Request::Worklist { filter, after } => views::worklist::worklist_first_page(
            store.conn(),
            &ctx.clock.get(),
            &filter,
            after.as_ref(),
            WORKLIST_PAGE,
        )
        .map(|v| Loaded::Worklist {
            filter,
            after,
            view: Box::new(v),
        })
        .map_err(|e| e.to_string()),
        Request::WorklistLastPage(filter) => views::worklist_page::last_page_start(
            store.conn(),
            &ctx.clock.get(),
            &filter,
            WORKLIST_PAGE,
        )
        .map(|start| Loaded::WorklistLastPage { filter, start })
        .map_err(|e| e.to_string()),
        Request::WorklistCounts(filter) => {
            views::worklist_page::counts(store.conn(), &ctx.clock.get(), &filter, LOST_SHOWN)
                .map(|c| Loaded::WorklistCounts {
                    filter,
                    counts: Box::new(c),
                })
                .map_err(|e| e.to_string())
        }
        Request::Patients(query) => patients::list(store.conn(), &query)
            .map(|rows| Loaded::Patients { query, rows })
            .map_err(|e| e.to_string()),
        Request::Card(id) => crate::store::audit::card_viewed(store, &ctx.config.user(), &id)
            .map(|c| Loaded::Card(c.map(Box::new)))
            .map_err(|e| e.to_string()),
        Request::FormInfo(id) => crate::store::audit::card_viewed(store, &ctx.config.user(), &id)
            .map_err(|e| e.to_string())
            .and_then(|c| {
                c.map(|c| Loaded::FormInfo(Box::new(c))).ok_or_else(|| {
                    crate::i18n::msg("cli-no-patient", &[("id", id.as_str().into())])
                })
            }),
        Request::Readmissions => views::readmissions(store.conn(), ctx.clock.get().as_of)
            .map(|v| Loaded::Readmissions(Box::new(v)))
            .map_err(|e| e.to_string()),
        Request::Budget(what_if) => {
            views::budget::budget_with(store.conn(), ctx.clock.get().as_of, &what_if)
                .map(|v| Loaded::Budget(Box::new(v)))
                .map_err(|e| e.to_string())
        }
        Request::ProgressBoard(query) => progress_board(store.conn(), &ctx.clock.get(), &query)
            .map(|b| Loaded::ProgressBoard(Box::new(b)))
            .map_err(|e| e.to_string()),
        Request::ProgressPatients {
            query,
            group,
            column,
        } => progress_patients(store.conn(), &ctx.clock.get(), &query, &group, column)
            .map(|d| Loaded::ProgressPatients(Box::new(d)))
            .map_err(|e| e.to_string()),
        Request::Hearts { query, program } => hearts(store, ctx, query, program)
            .map(|a| Loaded::Hearts(Box::new(a)))
            .map_err(|e| e.to_string()),
        Request::SaveCall(call) => {
            let patient_id = call.patient_id.clone();
            calls::append(store, &call)
                .map(|call_id| Loaded::CallSaved {
                    patient_id,
                    call_id,
                })
                .map_err(|e| e.to_string())
        }
        Request::Assign {
            patient_id,
            nurse_id,
            user,
        } => crate::store::assign::assign_patient(store, &patient_id, &nurse_id, &user)
            .map(|changed| Loaded::Assigned {
                count: u64::from(changed),
                nurse: nurse_id,
            })
            .map_err(|e| e.to_string()),
        Request::AssignSite {
            site_id,
            nurse_id,
            user,
        } => crate::store::assign::assign_site(store, &site_id, &nurse_id, true, &user)
            .map(|count| Loaded::Assigned {
                count,
                nurse: nurse_id,
            })
            .map_err(|e| e.to_string()),
        Request::SetPhone {
            patient_id,
            which,
            number,
            user,
        } => crate::store::phones::set_phone(store, &patient_id, which, number.as_deref(), &user)
            .map(|changed| Loaded::PhoneSaved {
                patient_id,
                changed,
            })
            .map_err(|e| e.to_string()),
        Request::RestoreStatus { patient_id, user } => {
            calls::restore_active(store, &patient_id, &user)
                .map(|from| Loaded::StatusRestored { patient_id, from })
                .map_err(|e| e.to_string())
        }
        Request::SetPalliative {
            patient_id,
            since,
            today,
            user,
        } => crate::store::palliative::set_palliative(store, &patient_id, since, today, &user)
            .map(|changed| Loaded::PalliativeSaved {
                patient_id,
                since,
                changed,
            })
            .map_err(|e| e.to_string()),
        Request::CallSheet { filter, lost } => {
            use crate::store::views::call_sheet;
            call_sheet::call_sheet(store.conn(), &ctx.clock.get(), &filter, lost, &ctx.i18n)
                .map_err(|e| e.to_string())
                .and_then(|sheet| {
                    let dir = call_sheet::default_dir(&ctx.db_path);
                    let now = chrono::Local::now().naive_local();
                    call_sheet::write(&sheet, &dir, &ctx.i18n, now).map_err(|e| {
                        ctx.i18n.t_args(
                            "sheet-failed",
                            &[("error", format!("{}: {e}", dir.display()).as_str().into())],
                        )
                    })
                })
                .map(Loaded::CallSheet)
        }
        Request::SyncStatus => crate::sync::status::badge(
            store.conn(),
            chrono::Utc::now(),
            ctx.config
                .sync_warn_days
                .unwrap_or(crate::sync::status::DEFAULT_WARN_DAYS),
            ctx.config
                .sync_alert_days
                .unwrap_or(crate::sync::status::DEFAULT_ALERT_DAYS),
        )
        .map(Loaded::Sync)
        .map_err(|e| e.to_string()),
    };
    result.unwrap_or_else(|e| {
        tracing::error!(error = %e, "request failed");
        Loaded::Failed(e)
    })
}

/// The HEARTS panel's figures: `program` (or the first programme) at the board's end date, for
/// the query's site and nurse, per site and nurse.
fn hearts(
    store: &Store,
    ctx: &AppContext,
    query: ProgressQuery,
    program: Option<String>,
) -> rusqlite::Result<HeartsAnswer> {
    let programs = crate::store::hearts::programs(store.conn())?;
    let chosen = program
        .and_then(|id| programs.iter().find(|p| p.0 == id))
        .or(programs.first())
        .cloned();
    let end = crate::store::progress_index::progress_clock(&ctx.clock.get()).board_end(query.month);
    let board = chosen
        .map(|p| {
            crate::store::hearts::hearts_board(
                store.conn(),
                &p,
                end,
                &[],
                query.site_id.as_deref(),
                query.nurse_id.as_deref(),
            )
        })
        .transpose()?;
    Ok(HeartsAnswer {
        query,
        programs,
        board,
    })
}
