//! The figures behind each screen, computed from the register by the domain rules. Each function
//! here serves the TUI tab, its CLI twin and the report alike.

pub mod budget;
pub mod budget_inputs;
pub mod budget_steps;
pub mod budget_use;
pub mod call_sheet;
pub mod progress;
pub mod readmissions;
pub mod worklist;
pub mod worklist_page;

pub use budget::{BudgetView, budget};
pub use progress::{ProgressView, progress};
pub use readmissions::ReadmissionsView;
pub use worklist::{WorklistFilter, WorklistView, worklist};

use chrono::NaiveDate;
use rusqlite::Connection;

/// The Readmissions tab's figures for the default period (the 12 months ending 30 days before
/// `as_of`), over the programme's enrolled patients; LACE high risk at the worklist rules'
/// `lace_high_risk` (worklist.toml), the one threshold the worklist uses too.
pub fn readmissions(conn: &Connection, as_of: NaiveDate) -> rusqlite::Result<ReadmissionsView> {
    let period = crate::domain::readmission::ReadmissionPeriod::default_for(as_of);
    readmissions::compute(
        conn,
        &period,
        &readmissions::Population::Enrolled,
        crate::store::worklist_index::rules().0.lace_high_risk,
    )
}
