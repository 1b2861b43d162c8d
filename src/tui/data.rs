//! The TUI's questions to the register and their answers. The worker thread runs [`handle`] on its
//! own connection; tests call it directly. Views only ever read the answers.

use super::context::AppContext;
use crate::domain::finance::projection::WhatIf;
use crate::store::Store;
use crate::store::calls::{self, NewCall};
use crate::store::patients::{self, PatientCard, PatientListItem, PatientQuery};
use crate::store::views::{
    self, BudgetView, ProgressView, ReadmissionsView, WorklistFilter, WorklistView,
};

/// A question the UI asks the worker.
#[derive(Debug, Clone)]
pub enum Request {
    /// The worklist with a filter.
    Worklist(WorklistFilter),
    /// A page of the patient list.
    Patients(PatientQuery),
    /// A patient's card.
    Card(String),
    /// The Readmissions tab.
    Readmissions,
    /// The Budget tab, with a what-if.
    Budget(WhatIf),
    /// The Progress tab.
    Progress,
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
}

/// An answer from the worker.
#[derive(Debug, Clone)]
pub enum Loaded {
    /// The worklist.
    Worklist(Box<WorklistView>),
    /// A page of patients for the query that asked for it.
    Patients {
        query: PatientQuery,
        rows: Vec<PatientListItem>,
    },
    /// A patient card (`None`: no such patient).
    Card(Option<Box<PatientCard>>),
    /// The Readmissions tab's figures.
    Readmissions(Box<ReadmissionsView>),
    /// The Budget tab's figures.
    Budget(Box<BudgetView>),
    /// The Progress tab's figures.
    Progress(Box<ProgressView>),
    /// A call is on disk.
    CallSaved { patient_id: String, call_id: String },
    /// Patients were assigned (how many changed).
    Assigned { count: u64, nurse: String },
    /// Another process changed the register: reload what is shown.
    Changed,
    /// A request failed: one sentence for the status line.
    Failed(String),
}

/// Answers one request.
pub fn handle(store: &mut Store, ctx: &AppContext, request: Request) -> Loaded {
    let result: Result<Loaded, String> = match request {
        Request::Worklist(filter) => views::worklist(store.conn(), &ctx.clock, &filter)
            .map(|v| Loaded::Worklist(Box::new(v)))
            .map_err(|e| e.to_string()),
        Request::Patients(query) => patients::list(store.conn(), &query)
            .map(|rows| Loaded::Patients { query, rows })
            .map_err(|e| e.to_string()),
        Request::Card(id) => crate::store::audit::card_viewed(store, &ctx.config.user(), &id)
            .map(|c| Loaded::Card(c.map(Box::new)))
            .map_err(|e| e.to_string()),
        Request::Readmissions => views::readmissions(store.conn(), ctx.clock.as_of)
            .map(|v| Loaded::Readmissions(Box::new(v)))
            .map_err(|e| e.to_string()),
        Request::Budget(what_if) => {
            views::budget::budget_with(store.conn(), ctx.clock.as_of, &what_if)
                .map(|v| Loaded::Budget(Box::new(v)))
                .map_err(|e| e.to_string())
        }
        Request::Progress => views::progress(store.conn(), ctx.clock.as_of)
            .map(|v| Loaded::Progress(Box::new(v)))
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
    };
    result.unwrap_or_else(|e| {
        tracing::error!(error = %e, "request failed");
        Loaded::Failed(e)
    })
}
