//! What the user can ask for. Keys translate to actions (via the keymap); only `update` changes state.

use serde::{Deserialize, Serialize};

/// A user intent, named in snake_case so a keymap file reads `q = "quit"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Leave acodesk.
    Quit,
    /// Close the topmost overlay or form, or clear the search; on the main screen it does nothing.
    Back,
    /// Show or hide the help overlay listing every binding.
    Help,
    /// Next tab.
    NextTab,
    /// Previous tab.
    PrevTab,
    /// Jump to the Worklist tab.
    TabWorklist,
    /// Jump to the Patients tab.
    TabPatients,
    /// Jump to the Readmissions tab.
    TabReadmissions,
    /// Jump to the Budget tab.
    TabBudget,
    /// Jump to the Progress tab.
    TabProgress,
    /// Move the selection down one row.
    Down,
    /// Move the selection up one row.
    Up,
    /// Next page of the list.
    PageDown,
    /// Previous page of the list.
    PageUp,
    /// First row.
    Home,
    /// Last row.
    End,
    /// Start typing a search.
    Search,
    /// Open the selected item (the patient card).
    Open,
    /// Log a follow-up call for the selected patient.
    LogCall,
    /// Cycle the worklist filter (all / mine / with a phone).
    Filter,
    /// Reload from the register.
    Refresh,
    /// Worklist: cycle the site filter (all sites → each site).
    FilterSite,
    /// Worklist: cycle the nurse filter (all nurses → each nurse).
    FilterNurse,
    /// Worklist: cycle the reason filter (all reasons → each reason).
    FilterReason,
    /// Worklist: cycle the programme shown (all programmes → diabetes → hypertension → a
    /// region's own …). Progress: the HEARTS panel of the next programme (the first when closed;
    /// after the last, the panel closes).
    FilterProgram,
    /// Assign the selected patient to a nurse (managers).
    Assign,
    /// Correct the patient's latest call (logs a new entry that supersedes it).
    CorrectCall,
    /// Readmissions: switch between the open windows and the readmitted pairs.
    ToggleView,
    /// Budget what-if: raise the selected category's projected spend by 5 %.
    Increase,
    /// Budget what-if: lower the selected category's projected spend by 5 %.
    Decrease,
    /// Budget what-if: back to the actual figures.
    ResetWhatIf,
    /// Progress: sort by the next column (the column Enter lists the patients of).
    SortNext,
    /// Progress: sort by the previous column.
    SortPrev,
    /// Progress: reverse the sort order.
    SortReverse,
    /// Progress: step the month back (the as-of month after the earliest).
    FilterMonth,
    /// Card (managers): give a dead or moved patient back the active status, after a question.
    RestoreStatus,
    /// Card: type a new or corrected phone number (kept in the change history).
    EditPhone,
    /// Card (managers): mark hospice or palliative care from a date, or clear the mark, after a
    /// question (the CMS122 / CMS165 exclusion; kept in the change history).
    Palliative,
    /// Worklist: the next section (to call, reach another way, agreed to visit, call back,
    /// removed, no visit in 12 months).
    NextSection,
    /// Worklist: the previous section.
    PrevSection,
    /// Card: the next patient of the list the card was opened from, without going back to it.
    NextPatient,
    /// Card: the previous patient of that list.
    PrevPatient,
    /// Worklist: write the list on screen (filtered, sectioned) as a printable call sheet (HTML)
    /// and a CSV of the same rows, into the exports folder.
    CallSheet,
}

impl Action {
    /// The message id of the short label shown in the footer and the help overlay.
    pub fn label_key(self) -> &'static str {
        match self {
            Action::Quit => "action-quit",
            Action::Back => "action-back",
            Action::Help => "action-help",
            Action::NextTab => "action-next-tab",
            Action::PrevTab => "action-prev-tab",
            Action::TabWorklist => "tab-worklist",
            Action::TabPatients => "tab-patients",
            Action::TabReadmissions => "tab-readmissions",
            Action::TabBudget => "tab-budget",
            Action::TabProgress => "tab-progress",
            Action::Down => "action-down",
            Action::Up => "action-up",
            Action::PageDown => "action-page-down",
            Action::PageUp => "action-page-up",
            Action::Home => "action-home",
            Action::End => "action-end",
            Action::Search => "action-search",
            Action::Open => "action-open",
            Action::LogCall => "action-log-call",
            Action::Filter => "action-filter",
            Action::Refresh => "action-refresh",
            Action::FilterSite => "action-filter-site",
            Action::FilterNurse => "action-filter-nurse",
            Action::FilterReason => "action-filter-reason",
            Action::FilterProgram => "action-filter-program",
            Action::Assign => "action-assign",
            Action::CorrectCall => "action-correct-call",
            Action::ToggleView => "action-toggle-view",
            Action::Increase => "action-increase",
            Action::Decrease => "action-decrease",
            Action::ResetWhatIf => "action-reset-what-if",
            Action::SortNext => "action-sort-next",
            Action::SortPrev => "action-sort-prev",
            Action::SortReverse => "action-sort-reverse",
            Action::FilterMonth => "action-filter-month",
            Action::RestoreStatus => "action-restore-status",
            Action::EditPhone => "action-edit-phone",
            Action::Palliative => "action-palliative",
            Action::NextSection => "action-next-section",
            Action::PrevSection => "action-prev-section",
            Action::NextPatient => "action-next-patient",
            Action::PrevPatient => "action-prev-patient",
            Action::CallSheet => "action-call-sheet",
        }
    }
}
