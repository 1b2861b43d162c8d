//! The TUI's state and its one place of change: keys become actions, actions and answers update the
//! state and may ask the worker for data. Nothing here draws or touches the database.

use super::action::Action;
use super::call_form::{CallForm, CallInfo, FormOutcome};
use super::context::AppContext;
use super::data::{Loaded, Request};
use super::palliative_form::{PalliativeForm, PalliativeOutcome};
use super::phone_form::{PhoneForm, PhoneOutcome};
use super::picker::{NursePicker, PickerOutcome};
use crate::domain::finance::projection::WhatIf;
use crate::domain::types::ClaimCategory;
use crate::domain::worklist::Reason;
use crate::store::patients::{PatientCard, PatientListItem, PatientQuery};
use crate::store::views::worklist_page::{PageKey, WorklistCounts};
use crate::store::views::{
    BudgetView, ProgressView, ReadmissionsView, WorklistFilter, WorklistView,
};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseEvent, MouseEventKind};
use progress_state::ProgressState;
use std::sync::Arc;

mod card_nav;
pub mod progress_state;

/// The tabs, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    /// Patients to follow up.
    Worklist,
    /// The whole register, searchable.
    Patients,
    /// 30-day readmissions.
    Readmissions,
    /// Savings versus budget.
    Budget,
    /// Pilot progress indicators.
    Progress,
}

impl Tab {
    /// Every tab in display order.
    pub const ALL: [Tab; 5] = [
        Tab::Worklist,
        Tab::Patients,
        Tab::Readmissions,
        Tab::Budget,
        Tab::Progress,
    ];

    /// The message id of the tab's title.
    pub fn title_key(self) -> &'static str {
        match self {
            Tab::Worklist => "tab-worklist",
            Tab::Patients => "tab-patients",
            Tab::Readmissions => "tab-readmissions",
            Tab::Budget => "tab-budget",
            Tab::Progress => "tab-progress",
        }
    }

    fn index(self) -> usize {
        Tab::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }
}

/// How serious a status-line message is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// Confirmation (call saved).
    Info,
    /// Something failed.
    Error,
}

/// The patient list: one keyset page at a time.
#[derive(Debug, Clone, Default)]
pub struct PatientsState {
    /// The rows of the current page.
    pub rows: Vec<PatientListItem>,
    /// The selected row within the page.
    pub selected: usize,
    /// The search text.
    pub search: String,
    /// True while the user types into the search box.
    pub typing: bool,
    /// Keyset starts of the pages before this one (for PgUp).
    pub previous_pages: Vec<Option<(String, String)>>,
    /// Where the current page starts.
    pub page_start: Option<(String, String)>,
    /// True once the first answer arrived.
    pub loaded: bool,
}

/// The Worklist tab's sections, in the order the section key steps through them: the sections
/// of `domain::worklist::place` (computed from the register, so a second instance sees the same),
/// then the separate "no visit in 12 months" list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Section {
    /// The patients to call, in the list's order.
    #[default]
    ToCall,
    /// Refused or invalid number with an urgent recent reading: reach her another way.
    AnotherWay,
    /// Agreed to visit, until the agreed date and the grace days.
    AgreedVisit,
    /// Call back (or retry after no answer), until its date.
    CallBack,
    /// Taken off the calls by a call, with the reason, until a new trigger.
    Removed,
    /// Lost to follow-up (the membership is `domain::worklist::is_lost_to_follow_up`).
    NoVisit12Months,
}

impl Section {
    /// Every section in display order.
    pub const ALL: [Section; 6] = [
        Section::ToCall,
        Section::AnotherWay,
        Section::AgreedVisit,
        Section::CallBack,
        Section::Removed,
        Section::NoVisit12Months,
    ];

    /// The worklist section behind it; `None` for the lost-to-follow-up list.
    pub fn list(self) -> Option<crate::domain::worklist::Section> {
        use crate::domain::worklist::Section as S;
        match self {
            Section::ToCall => Some(S::ToCall),
            Section::AnotherWay => Some(S::AnotherWay),
            Section::AgreedVisit => Some(S::AgreedVisit),
            Section::CallBack => Some(S::CallBack),
            Section::Removed => Some(S::Removed),
            Section::NoVisit12Months => None,
        }
    }

    /// The message id of its short name on the section bar.
    pub fn tab_key(self) -> &'static str {
        match self {
            Section::ToCall => "section-tab-to_call",
            Section::AnotherWay => "section-tab-another_way",
            Section::AgreedVisit => "section-tab-agreed_visit",
            Section::CallBack => "section-tab-call_back",
            Section::Removed => "section-tab-removed",
            Section::NoVisit12Months => "section-tab-lost",
        }
    }

    /// The section `step` places after this one (wrapping).
    fn step(self, step: isize) -> Section {
        let n = Section::ALL.len() as isize;
        let i = Section::ALL.iter().position(|s| *s == self).unwrap_or(0) as isize;
        Section::ALL[(i + step).rem_euclid(n) as usize]
    }
}

/// The worklist with its selection and filter.
#[derive(Debug, Clone, Default)]
pub struct WorklistState {
    /// The computed list.
    pub view: Option<WorklistView>,
    /// Selected row.
    pub selected: usize,
    /// The filter in force.
    pub filter: WorklistFilter,
    /// True while the user types into the search box.
    pub typing: bool,
    /// After a call is saved: the patient who followed the called one (if any) and the row the
    /// called one was on. The selection goes to that follower wherever the re-sorted list puts
    /// the called patient, so it never jumps past patients nobody saw.
    pub advance_after: Option<(Option<String>, usize)>,
    /// Where the page on screen starts (`None`: the first page).
    pub page_start: Option<PageKey>,
    /// The starts of the pages before it, for going back.
    pub previous_pages: Vec<Option<PageKey>>,
    /// The counts of the whole filtered list, once they arrived, with the filter they are for.
    pub counts: Option<(WorklistFilter, WorklistCounts)>,
    /// Select the last row when the page arrives (moving up past the top of a page).
    pub select_last: bool,
    /// The section shown.
    pub section: Section,
    /// The selected row of the "no visit in 12 months" section.
    pub lost_selected: usize,
    /// Patients per worklist section code, from the latest counts (kept while new ones are on
    /// their way, so the section bar does not flicker).
    pub section_counts: Option<std::collections::BTreeMap<String, u64>>,
}

/// A question the app waits on before acting: `y` (or `н`) goes ahead, any other key leaves
/// things as they were.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Question {
    /// Quit although the call form holds unsaved input.
    QuitUnsaved,
    /// Give this patient (id, name) back the active status.
    RestoreStatus(String, String),
    /// Mark this patient (id, name) as in hospice or palliative care since the date.
    SetPalliative(String, String, chrono::NaiveDate),
    /// Clear this patient's (id, name) hospice or palliative care mark (since the date).
    ClearPalliative(String, String, chrono::NaiveDate),
}

/// The open patient card.
#[derive(Debug, Clone)]
pub struct CardState {
    /// The card's contents.
    pub card: Box<PatientCard>,
    /// Lines scrolled.
    pub scroll: u16,
}

/// Rows a page of the patient list holds.
pub const PATIENT_PAGE: usize = 200;

/// The whole UI state.
pub struct App {
    /// Fixed context.
    pub ctx: Arc<AppContext>,
    /// The tab shown.
    pub tab: Tab,
    /// The help overlay is open.
    pub help: bool,
    /// Lines the help overlay is scrolled (it is taller than 80×24).
    pub help_scroll: u16,
    /// Worklist state.
    pub worklist: WorklistState,
    /// Patient list state.
    pub patients: PatientsState,
    /// Readmissions figures.
    pub readmissions: Option<ReadmissionsView>,
    /// Budget figures.
    pub budget: Option<BudgetView>,
    /// Progress figures.
    pub progress: Option<ProgressView>,
    /// Progress tab: population, month, table, sorting and the patients behind a figure.
    pub progress_ui: ProgressState,
    /// The patient card, when open.
    pub card: Option<CardState>,
    /// The call form, when open.
    pub form: Option<CallForm>,
    /// The nurse picker, when open (managers assigning patients).
    pub picker: Option<NursePicker>,
    /// The phone form, when open (a new or corrected number).
    pub phone_form: Option<PhoneForm>,
    /// The hospice / palliative care form, when open (a manager, from the card).
    pub palliative_form: Option<PalliativeForm>,
    /// Readmissions: show the readmitted pairs instead of the open windows.
    pub readmissions_pairs: bool,
    /// The selected row of the Readmissions list shown (open windows or pairs).
    pub readmissions_selected: usize,
    /// Budget: the category the what-if keys change.
    pub budget_category: usize,
    /// Budget: the what-if in force.
    pub what_if: WhatIf,
    /// The last status message.
    pub status: Option<(String, Severity)>,
    /// A card is being loaded (Enter pressed, answer pending).
    pub card_pending: bool,
    /// A step to the next or previous patient from the card waits for a page of the list: the
    /// card follows the selection when it arrives.
    pub card_follows_list: bool,
    /// Set when the user asked to quit.
    pub quit: bool,
    /// A question on screen, waiting for yes or no.
    pub question: Option<Question>,
    /// The window is too small to draw: the screen says so and no key acts (but Ctrl-C).
    pub too_small: bool,
    /// The header's sync indicator (`None`: no sync, or not loaded yet).
    pub sync: Option<crate::sync::status::SyncBadge>,
}

impl App {
    /// A fresh UI on the Worklist tab (managers start on Progress).
    pub fn new(ctx: Arc<AppContext>) -> App {
        let tab = match ctx.config.role {
            crate::config::Role::Manager => Tab::Progress,
            crate::config::Role::Nurse => Tab::Worklist,
        };
        let mut worklist = WorklistState::default();
        if ctx.config.role == crate::config::Role::Nurse {
            worklist.filter.nurse_id = ctx.config.staff_id.clone();
        }
        App {
            ctx,
            tab,
            help: false,
            help_scroll: 0,
            worklist,
            patients: PatientsState::default(),
            readmissions: None,
            budget: None,
            progress: None,
            progress_ui: ProgressState::default(),
            card: None,
            form: None,
            picker: None,
            phone_form: None,
            palliative_form: None,
            readmissions_pairs: false,
            readmissions_selected: 0,
            budget_category: 0,
            what_if: WhatIf::default(),
            status: None,
            card_pending: false,
            card_follows_list: false,
            quit: false,
            question: None,
            too_small: false,
            sync: None,
        }
    }

    /// The requests that fill the first screen.
    pub fn initial_requests(&self) -> Vec<Request> {
        self.reload_requests()
    }

    /// The requests that refresh what is on screen (after a change by another process).
    pub fn reload_requests(&self) -> Vec<Request> {
        let mut r = vec![self.tab_request(self.tab)];
        if let Some(c) = &self.card {
            r.push(Request::Card(c.card.id.clone()));
        }
        r.push(Request::SyncStatus);
        r
    }

    fn tab_request(&self, tab: Tab) -> Request {
        match tab {
            Tab::Worklist => self.worklist_reload(),
            Tab::Patients => {
                Request::Patients(self.patient_query(self.patients.page_start.clone()))
            }
            Tab::Readmissions => Request::Readmissions,
            Tab::Budget => Request::Budget(self.what_if.clone()),
            Tab::Progress => self.progress_ui.request(),
        }
    }

    fn patient_query(&self, after: Option<(String, String)>) -> PatientQuery {
        PatientQuery {
            search: self.patients.search.clone(),
            site_id: None,
            after,
            limit: PATIENT_PAGE,
        }
    }

    /// Handles a key press; returns what to ask the worker.
    pub fn on_key(&mut self, key: KeyEvent) -> Vec<Request> {
        if key.kind == crossterm::event::KeyEventKind::Release {
            return Vec::new();
        }
        let ctrl_c =
            key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL);
        if let Some(question) = self.question.take() {
            return self.answer(question, key);
        }
        if self.too_small && !ctrl_c {
            // The screen shows only "too small": a key here would act on a list nobody sees.
            return Vec::new();
        }
        if let Some(form) = self.form.as_mut() {
            return match form.on_key(key, &self.ctx) {
                FormOutcome::Continue => Vec::new(),
                FormOutcome::Cancel => {
                    self.form = None;
                    Vec::new()
                }
                FormOutcome::Quit => {
                    if form.has_unsaved_input() {
                        self.question = Some(Question::QuitUnsaved);
                    } else {
                        self.quit = true;
                    }
                    Vec::new()
                }
                FormOutcome::Save(call) => vec![Request::SaveCall(call)],
            };
        }
        if ctrl_c {
            self.quit = true;
            return Vec::new();
        }
        if let Some(pf) = self.phone_form.as_mut() {
            if ctrl_c {
                self.quit = true;
                return Vec::new();
            }
            return match pf.on_key(key) {
                PhoneOutcome::Continue => Vec::new(),
                PhoneOutcome::Cancel => {
                    self.phone_form = None;
                    Vec::new()
                }
                PhoneOutcome::Save(which, number) => vec![Request::SetPhone {
                    patient_id: pf.patient_id.clone(),
                    which,
                    number,
                    user: self.ctx.config.user(),
                }],
            };
        }
        if let Some(pf) = self.palliative_form.as_mut() {
            return match pf.on_key(key) {
                PalliativeOutcome::Continue => Vec::new(),
                PalliativeOutcome::Cancel => {
                    self.palliative_form = None;
                    Vec::new()
                }
                PalliativeOutcome::Confirm(date) => {
                    // The form stays under the question: a "no" goes back to it.
                    self.question = Some(Question::SetPalliative(
                        pf.patient_id.clone(),
                        pf.patient_name.clone(),
                        date,
                    ));
                    Vec::new()
                }
            };
        }
        if let Some(picker) = self.picker.as_mut() {
            return match picker.on_key(key, &self.ctx.config.user()) {
                PickerOutcome::Continue => Vec::new(),
                PickerOutcome::Cancel => {
                    self.picker = None;
                    Vec::new()
                }
                PickerOutcome::Submit(request) => {
                    self.picker = None;
                    vec![request]
                }
            };
        }
        if self.help {
            // The moving keys scroll the help; q still quits; any other key closes it.
            match self.ctx.keymap.action_for(&key) {
                Some(Action::Quit) => self.quit = true,
                Some(Action::Down) => self.help_scroll = self.help_scroll.saturating_add(1),
                Some(Action::Up) => self.help_scroll = self.help_scroll.saturating_sub(1),
                Some(Action::PageDown) => self.help_scroll = self.help_scroll.saturating_add(10),
                Some(Action::PageUp) => self.help_scroll = self.help_scroll.saturating_sub(10),
                Some(Action::Home) => self.help_scroll = 0,
                Some(Action::End) => self.help_scroll = u16::MAX,
                _ => self.help = false,
            }
            return Vec::new();
        }
        if self.tab == Tab::Patients && self.patients.typing && self.card.is_none() {
            return self.type_search(key);
        }
        if self.tab == Tab::Worklist && self.worklist.typing && self.card.is_none() {
            return self.type_worklist_search(key);
        }
        match self.ctx.keymap.action_for(&key) {
            Some(action) => self.update(action),
            None => Vec::new(),
        }
    }

    /// Tells the app the window's size, so keys are ignored while it is too small to draw.
    pub fn resize(&mut self, width: u16, height: u16) {
        self.too_small = super::views::too_small(width, height);
    }

    fn answer(&mut self, question: Question, key: KeyEvent) -> Vec<Request> {
        // Only `y` (`н` on a Russian layout) says yes: an Enter meant for the form never quits.
        let yes = match key.code {
            KeyCode::Char(c) => super::keymap::latin_equivalent(c)
                .unwrap_or(c)
                .eq_ignore_ascii_case(&'y'),
            _ => false,
        };
        if !yes {
            return Vec::new();
        }
        match question {
            Question::QuitUnsaved => {
                self.quit = true;
                Vec::new()
            }
            Question::RestoreStatus(patient_id, _) => vec![Request::RestoreStatus {
                patient_id,
                user: self.ctx.config.user(),
            }],
            Question::SetPalliative(patient_id, _, date) => {
                self.palliative_form = None;
                vec![self.palliative_request(patient_id, Some(date))]
            }
            Question::ClearPalliative(patient_id, _, _) => {
                vec![self.palliative_request(patient_id, None)]
            }
        }
    }

    /// Mouse wheel scrolls the list or the card.
    pub fn on_mouse(&mut self, m: MouseEvent) -> Vec<Request> {
        match m.kind {
            MouseEventKind::ScrollDown => self.update(Action::Down),
            MouseEventKind::ScrollUp => self.update(Action::Up),
            _ => Vec::new(),
        }
    }

    fn type_search(&mut self, key: KeyEvent) -> Vec<Request> {
        match key.code {
            KeyCode::Enter | KeyCode::Esc | KeyCode::Down => {
                self.patients.typing = false;
                Vec::new()
            }
            KeyCode::Backspace => {
                self.patients.search.pop();
                self.restart_patient_list()
            }
            KeyCode::Char(c) if !c.is_control() => {
                self.patients.search.push(c);
                self.restart_patient_list()
            }
            _ => Vec::new(),
        }
    }

    fn type_worklist_search(&mut self, key: KeyEvent) -> Vec<Request> {
        match key.code {
            KeyCode::Enter | KeyCode::Esc | KeyCode::Down => {
                self.worklist.typing = false;
                Vec::new()
            }
            KeyCode::Backspace => {
                self.worklist.filter.search.pop();
                self.worklist_restart()
            }
            KeyCode::Char(c) if !c.is_control() => {
                self.worklist.filter.search.push(c);
                self.worklist_restart()
            }
            _ => Vec::new(),
        }
    }

    fn restart_patient_list(&mut self) -> Vec<Request> {
        self.patients.previous_pages.clear();
        self.patients.page_start = None;
        self.patients.selected = 0;
        vec![Request::Patients(self.patient_query(None))]
    }

    /// Applies an action.
    pub fn update(&mut self, action: Action) -> Vec<Request> {
        if self.tab == Tab::Progress
            && self.card.is_none()
            && let Some(requests) = self.progress_ui.update(action)
        {
            return requests;
        }
        match action {
            Action::Quit => {
                self.quit = true;
                Vec::new()
            }
            Action::Back => {
                if self.card.is_some() {
                    self.card = None;
                } else if self.tab == Tab::Patients && !self.patients.search.is_empty() {
                    self.patients.search.clear();
                    return self.restart_patient_list();
                } else if self.tab == Tab::Worklist && !self.worklist.filter.search.is_empty() {
                    self.worklist.filter.search.clear();
                    return self.worklist_restart();
                }
                // On the main screen Esc does nothing: quitting is `q`, never a stray Esc.
                Vec::new()
            }
            Action::Help => {
                self.help = !self.help;
                self.help_scroll = 0;
                Vec::new()
            }
            Action::NextTab => self.switch_tab(Tab::ALL[(self.tab.index() + 1) % Tab::ALL.len()]),
            Action::PrevTab => {
                self.switch_tab(Tab::ALL[(self.tab.index() + Tab::ALL.len() - 1) % Tab::ALL.len()])
            }
            Action::TabWorklist => self.switch_tab(Tab::Worklist),
            Action::TabPatients => self.switch_tab(Tab::Patients),
            Action::TabReadmissions => self.switch_tab(Tab::Readmissions),
            Action::TabBudget => self.switch_tab(Tab::Budget),
            Action::TabProgress => self.switch_tab(Tab::Progress),
            Action::Down => self.move_selection(1),
            Action::Up => self.move_selection(-1),
            Action::PageDown => self.page(true),
            Action::PageUp => self.page(false),
            Action::Home => self.move_selection(i64::MIN / 2),
            Action::End => {
                let more = self
                    .worklist
                    .view
                    .as_ref()
                    .is_some_and(|v| v.next.is_some());
                if self.tab == Tab::Worklist
                    && self.card.is_none()
                    && self.worklist.section == Section::ToCall
                    && more
                {
                    // The end of the whole list, not of the page on screen.
                    return vec![Request::WorklistLastPage(self.worklist.filter.clone())];
                }
                self.move_selection(i64::MAX / 2)
            }
            Action::Search => {
                match self.tab {
                    Tab::Patients => self.patients.typing = true,
                    Tab::Worklist => self.worklist.typing = true,
                    _ => {}
                }
                Vec::new()
            }
            Action::Open => match self.selected_patient_id() {
                Some(id) if self.card.is_none() => {
                    self.card_pending = true;
                    vec![Request::Card(id)]
                }
                _ => Vec::new(),
            },
            Action::LogCall => {
                let Some((id, name)) = self.selected_patient() else {
                    return Vec::new();
                };
                let mut form = CallForm::new(id.clone(), name, &self.ctx);
                form.why = self.reasons_of(&id);
                if let Some(c) = self.card.as_ref().filter(|c| c.card.id == id) {
                    form.info = Some(CallInfo::from_card(&c.card));
                    self.form = Some(form);
                    return Vec::new();
                }
                self.form = Some(form);
                vec![Request::FormInfo(id)]
            }
            Action::Filter => {
                if self.tab == Tab::Worklist {
                    self.worklist
                        .filter
                        .cycle_scope(self.ctx.config.staff_id.as_deref());
                    return self.worklist_restart();
                }
                Vec::new()
            }
            Action::Refresh => {
                // The counts are asked for again with the page: another nurse may have called.
                self.worklist.counts = None;
                self.reload_requests()
            }
            Action::FilterSite
            | Action::FilterNurse
            | Action::FilterReason
            | Action::FilterProgram => {
                if self.tab != Tab::Worklist || self.card.is_some() {
                    return Vec::new();
                }
                self.cycle_filter(action);
                self.worklist_restart()
            }
            Action::Assign => self.open_picker(),
            Action::NextSection | Action::PrevSection => {
                if self.tab != Tab::Worklist || self.card.is_some() {
                    return Vec::new();
                }
                let step = if action == Action::NextSection { 1 } else { -1 };
                self.worklist.section = self.worklist.section.step(step);
                match self.worklist.section.list() {
                    // Each list section is the register's: its page and counts are asked for.
                    Some(list) => {
                        self.worklist.filter.section = list;
                        self.worklist_restart()
                    }
                    None if self.worklist.counts.is_none() => {
                        vec![Request::WorklistCounts(self.worklist.filter.clone())]
                    }
                    None => Vec::new(),
                }
            }
            Action::CallSheet => {
                if self.tab != Tab::Worklist || self.card.is_some() {
                    return Vec::new();
                }
                self.status = Some((self.ctx.i18n.t("sheet-writing"), Severity::Info));
                vec![Request::CallSheet {
                    filter: self.worklist.filter.clone(),
                    lost: self.worklist.section.list().is_none(),
                }]
            }
            Action::EditPhone => {
                match &self.card {
                    Some(c) => {
                        let name = format!(
                            "{} {} {}",
                            c.card.family_name, c.card.given_name, c.card.patronymic
                        );
                        self.phone_form = Some(PhoneForm::new(
                            c.card.id.clone(),
                            name.trim().to_string(),
                            c.card.phone_slots.clone(),
                        ));
                    }
                    None => {
                        self.status =
                            Some((self.ctx.i18n.t("status-phone-from-card"), Severity::Error));
                    }
                }
                Vec::new()
            }
            Action::RestoreStatus => {
                self.ask_restore_status();
                Vec::new()
            }
            Action::NextPatient => self.step_patient(true),
            Action::PrevPatient => self.step_patient(false),
            Action::Palliative => {
                self.open_palliative();
                Vec::new()
            }
            Action::CorrectCall => {
                self.open_correction();
                Vec::new()
            }
            Action::ToggleView => {
                if self.tab == Tab::Readmissions {
                    self.readmissions_pairs = !self.readmissions_pairs;
                    self.readmissions_selected = 0;
                }
                Vec::new()
            }
            // Progress-only keys (handled by `ProgressState::update` above).
            Action::SortNext | Action::SortPrev | Action::SortReverse | Action::FilterMonth => {
                Vec::new()
            }
            Action::Increase | Action::Decrease | Action::ResetWhatIf => {
                if self.tab != Tab::Budget {
                    return Vec::new();
                }
                let category =
                    BUDGET_CATEGORIES[self.budget_category.min(BUDGET_CATEGORIES.len() - 1)];
                match action {
                    Action::ResetWhatIf => self.what_if = WhatIf::default(),
                    _ => {
                        let step = if action == Action::Increase {
                            0.05
                        } else {
                            -0.05
                        };
                        let next = (self.what_if.factor(category) + step).clamp(0.0, 3.0);
                        let next = (next * 100.0).round() / 100.0;
                        if (next - 1.0).abs() < 1e-9 {
                            self.what_if.multipliers.remove(&category);
                        } else {
                            self.what_if.multipliers.insert(category, next);
                        }
                    }
                }
                vec![Request::Budget(self.what_if.clone())]
            }
        }
    }

    fn cycle_filter(&mut self, action: Action) {
        let Some(view) = &self.worklist.view else {
            return;
        };
        let f = &mut self.worklist.filter;
        match action {
            Action::FilterSite => {
                let ids: Vec<String> = view.sites.iter().map(|(id, _)| id.clone()).collect();
                f.site_id = next_in(&ids, f.site_id.as_ref());
            }
            Action::FilterNurse => {
                let ids: Vec<String> = view.nurses.iter().map(|(id, _, _)| id.clone()).collect();
                f.nurse_id = next_in(&ids, f.nurse_id.as_ref());
            }
            Action::FilterProgram => {
                let ids: Vec<String> = crate::store::rules::programs()
                    .iter()
                    .map(|p| p.id.clone())
                    .collect();
                f.program = next_in(&ids, f.program.as_ref());
            }
            _ => {
                let all: Vec<Reason> = Reason::ALL.to_vec();
                f.reason = next_in(&all, f.reason.as_ref());
            }
        }
    }

    fn open_picker(&mut self) -> Vec<Request> {
        if self.ctx.config.role != crate::config::Role::Manager {
            self.status = Some((self.ctx.i18n.t("status-managers-assign"), Severity::Error));
            return Vec::new();
        }
        let Some((patient_id, patient_name)) = self.selected_patient() else {
            return Vec::new();
        };
        let (site_id, site_name) = self.selected_site();
        let nurses = self
            .worklist
            .view
            .as_ref()
            .map(|v| v.nurses.clone())
            .unwrap_or_default();
        if nurses.is_empty() {
            // The nurse list comes with the worklist: fetch it, then try again.
            return vec![self.worklist_reload()];
        }
        let selected = nurses
            .iter()
            .position(|(_, _, site)| site.is_some() && *site == site_id)
            .unwrap_or(0);
        self.picker = Some(NursePicker {
            patient_id,
            patient_name,
            site_id,
            site_name,
            nurses,
            selected,
        });
        Vec::new()
    }

    fn selected_site(&self) -> (Option<String>, String) {
        if let Some(c) = &self.card {
            return c
                .card
                .site
                .clone()
                .map_or((None, String::new()), |(id, name)| (Some(id), name));
        }
        match self.tab {
            Tab::Worklist => self
                .worklist
                .view
                .as_ref()
                .and_then(|v| v.rows.get(self.worklist.selected))
                .map_or((None, String::new()), |r| {
                    (r.site_id.clone(), r.site.clone())
                }),
            Tab::Patients => self
                .patients
                .rows
                .get(self.patients.selected)
                .map_or((None, String::new()), |r| {
                    (r.site_id.clone(), r.site.clone())
                }),
            _ => (None, String::new()),
        }
    }

    fn ask_restore_status(&mut self) {
        let Some(state) = &self.card else {
            self.status = Some((self.ctx.i18n.t("status-restore-from-card"), Severity::Error));
            return;
        };
        if self.ctx.config.role != crate::config::Role::Manager {
            self.status = Some((self.ctx.i18n.t("status-managers-restore"), Severity::Error));
            return;
        }
        if state.card.status == crate::domain::types::PatientStatus::Active {
            self.status = Some((self.ctx.i18n.t("status-already-active"), Severity::Error));
            return;
        }
        let name = format!(
            "{} {} {}",
            state.card.family_name, state.card.given_name, state.card.patronymic
        );
        self.question = Some(Question::RestoreStatus(
            state.card.id.clone(),
            name.trim().to_string(),
        ));
    }

    /// `x` on the card: a manager types the date hospice or palliative care began, or, when the
    /// patient is already marked, is asked whether to clear the mark.
    fn open_palliative(&mut self) {
        let Some(state) = &self.card else {
            self.status = Some((
                self.ctx.i18n.t("status-palliative-from-card"),
                Severity::Error,
            ));
            return;
        };
        if self.ctx.config.role != crate::config::Role::Manager {
            self.status = Some((
                self.ctx.i18n.t("status-managers-palliative"),
                Severity::Error,
            ));
            return;
        }
        let c = &state.card;
        let name = format!("{} {} {}", c.family_name, c.given_name, c.patronymic)
            .trim()
            .to_string();
        let today = self.ctx.clock.get().as_of;
        match c.palliative_since {
            Some(since) => {
                self.question = Some(Question::ClearPalliative(c.id.clone(), name, since));
            }
            None => {
                self.palliative_form = Some(PalliativeForm::new(
                    c.id.clone(),
                    name,
                    today,
                    self.ctx.i18n.fmt.date(today),
                ));
            }
        }
    }

    fn palliative_request(&self, patient_id: String, since: Option<chrono::NaiveDate>) -> Request {
        Request::SetPalliative {
            patient_id,
            since,
            today: self.ctx.clock.get().as_of,
            user: self.ctx.config.user(),
        }
    }

    /// Why a patient is on the worklist page on screen, the deciding reason first.
    fn reasons_of(&self, patient_id: &str) -> Vec<Reason> {
        let Some(row) = self
            .worklist
            .view
            .as_ref()
            .and_then(|v| v.rows.iter().find(|r| r.patient_id == patient_id))
        else {
            return Vec::new();
        };
        let mut findings = row.entry.findings.clone();
        findings.sort_by_key(|f| f.rank());
        findings.iter().map(|f| f.reason).collect()
    }

    fn open_correction(&mut self) {
        let Some(state) = &self.card else {
            self.status = Some((self.ctx.i18n.t("status-correct-from-card"), Severity::Error));
            return;
        };
        let Some(last) = state.card.calls.iter().find(|c| !c.superseded) else {
            self.status = Some((self.ctx.i18n.t("no-calls"), Severity::Error));
            return;
        };
        let name = format!(
            "{} {} {}",
            state.card.family_name, state.card.given_name, state.card.patronymic
        );
        let mut form = CallForm::correction(
            state.card.id.clone(),
            name.trim().to_string(),
            last,
            &self.ctx,
        );
        form.info = Some(CallInfo::from_card(&state.card));
        form.why = self.reasons_of(&state.card.id);
        self.form = Some(form);
    }

    /// The request that reloads the worklist page on screen.
    pub fn worklist_reload(&self) -> Request {
        Request::Worklist {
            filter: self.worklist.filter.clone(),
            after: self.worklist.page_start.clone(),
        }
    }

    /// Back to the first page after the filter changed; the counts are asked for again.
    fn worklist_restart(&mut self) -> Vec<Request> {
        self.worklist.page_start = None;
        self.worklist.previous_pages.clear();
        self.worklist.selected = 0;
        self.worklist.counts = None;
        vec![self.worklist_reload()]
    }

    /// Moves to the next (or previous) page of the worklist.
    fn worklist_page(&mut self, forward: bool, select_last: bool) -> Vec<Request> {
        if forward {
            let Some(next) = self.worklist.view.as_ref().and_then(|v| v.next.clone()) else {
                return Vec::new();
            };
            self.worklist
                .previous_pages
                .push(self.worklist.page_start.take());
            self.worklist.page_start = Some(next);
        } else {
            let Some(start) = self.worklist.previous_pages.pop() else {
                return Vec::new();
            };
            self.worklist.page_start = start;
        }
        self.worklist.selected = 0;
        self.worklist.select_last = select_last;
        vec![self.worklist_reload()]
    }

    fn switch_tab(&mut self, tab: Tab) -> Vec<Request> {
        self.card = None;
        self.tab = tab;
        vec![self.tab_request(tab)]
    }

    /// The patient the selection points at (the card's patient when a card is open).
    pub fn selected_patient_id(&self) -> Option<String> {
        self.selected_patient().map(|(id, _)| id)
    }

    fn selected_patient(&self) -> Option<(String, String)> {
        if let Some(c) = &self.card {
            let name = format!(
                "{} {} {}",
                c.card.family_name, c.card.given_name, c.card.patronymic
            );
            return Some((c.card.id.clone(), name.trim().to_string()));
        }
        match self.tab {
            Tab::Worklist if self.worklist.section == Section::NoVisit12Months => self
                .worklist
                .view
                .as_ref()
                .and_then(|v| v.lost_to_follow_up.get(self.worklist.lost_selected))
                .map(|r| (r.patient_id.clone(), r.full_name.clone())),
            Tab::Worklist => self
                .worklist
                .view
                .as_ref()
                .and_then(|v| v.rows.get(self.worklist.selected))
                .map(|r| (r.patient_id.clone(), r.full_name.clone())),
            Tab::Patients => self
                .patients
                .rows
                .get(self.patients.selected)
                .map(|r| (r.id.clone(), r.full_name.clone())),
            Tab::Readmissions if self.readmissions_pairs => self
                .readmissions
                .as_ref()
                .and_then(|v| v.pairs.get(self.readmissions_selected))
                .map(|p| (p.patient_id.clone(), p.full_name.clone())),
            Tab::Readmissions => self
                .readmissions
                .as_ref()
                .and_then(|v| v.open_windows.get(self.readmissions_selected))
                .map(|w| (w.patient_id.clone(), w.full_name.clone())),
            Tab::Progress => self.progress_ui.selected_patient(),
            _ => None,
        }
    }

    fn move_selection(&mut self, delta: i64) -> Vec<Request> {
        if let Some(c) = self.card.as_mut() {
            let next = (c.scroll as i64 + delta).clamp(0, 2000);
            c.scroll = next as u16;
            return Vec::new();
        }
        let clamp = |current: usize, len: usize| -> usize {
            if len == 0 {
                0
            } else {
                (current as i64 + delta).clamp(0, len as i64 - 1) as usize
            }
        };
        match self.tab {
            Tab::Worklist if self.worklist.section == Section::NoVisit12Months => {
                let len = self
                    .worklist
                    .view
                    .as_ref()
                    .map_or(0, |v| v.lost_to_follow_up.len());
                self.worklist.lost_selected = clamp(self.worklist.lost_selected, len);
            }
            Tab::Worklist => {
                let len = self.worklist.view.as_ref().map_or(0, |v| v.rows.len());
                if delta == 1 && len > 0 && self.worklist.selected + 1 == len {
                    return self.worklist_page(true, false);
                }
                if delta == -1
                    && self.worklist.selected == 0
                    && !self.worklist.previous_pages.is_empty()
                {
                    return self.worklist_page(false, true);
                }
                self.worklist.selected = clamp(self.worklist.selected, len);
            }
            Tab::Patients => {
                let len = self.patients.rows.len();
                let at_end = len > 0 && self.patients.selected + 1 == len && delta == 1;
                if at_end && len == PATIENT_PAGE {
                    return self.page(true);
                }
                if self.patients.selected == 0
                    && delta == -1
                    && !self.patients.previous_pages.is_empty()
                {
                    return self.page(false);
                }
                self.patients.selected = clamp(self.patients.selected, len);
            }
            Tab::Readmissions => {
                let pairs = self.readmissions_pairs;
                if let Some(v) = self.readmissions.as_ref() {
                    let len = if pairs {
                        v.pairs.len()
                    } else {
                        v.open_windows.len()
                    };
                    self.readmissions_selected = clamp(self.readmissions_selected, len);
                }
            }
            Tab::Progress => {
                self.progress_ui.move_selection(delta);
            }
            Tab::Budget => {
                self.budget_category = clamp(self.budget_category, BUDGET_CATEGORIES.len());
            }
        }
        Vec::new()
    }

    fn page(&mut self, forward: bool) -> Vec<Request> {
        match self.tab {
            Tab::Worklist
                if self.card.is_none() && self.worklist.section == Section::NoVisit12Months =>
            {
                self.move_selection(if forward { 20 } else { -20 })
            }
            Tab::Worklist if self.card.is_none() => {
                let has_more = self
                    .worklist
                    .view
                    .as_ref()
                    .is_some_and(|v| v.next.is_some());
                let len = self.worklist.view.as_ref().map_or(0, |v| v.rows.len());
                if forward && (!has_more || self.worklist.selected + 20 < len) {
                    return self.move_selection(20);
                }
                if !forward
                    && (self.worklist.previous_pages.is_empty() || self.worklist.selected >= 20)
                {
                    return self.move_selection(-20);
                }
                self.worklist_page(forward, false)
            }
            Tab::Patients if self.card.is_none() => {
                if forward {
                    let Some(last) = self.patients.rows.last() else {
                        return Vec::new();
                    };
                    if self.patients.rows.len() < PATIENT_PAGE {
                        self.patients.selected = self.patients.rows.len() - 1;
                        return Vec::new();
                    }
                    let next = Some((last.sort_name.clone(), last.id.clone()));
                    self.patients
                        .previous_pages
                        .push(self.patients.page_start.clone());
                    self.patients.page_start = next.clone();
                    self.patients.selected = 0;
                    vec![Request::Patients(self.patient_query(next))]
                } else {
                    match self.patients.previous_pages.pop() {
                        Some(start) => {
                            self.patients.page_start = start.clone();
                            self.patients.selected = 0;
                            vec![Request::Patients(self.patient_query(start))]
                        }
                        None => {
                            self.patients.selected = 0;
                            Vec::new()
                        }
                    }
                }
            }
            _ => self.move_selection(if forward { 20 } else { -20 }),
        }
    }

    /// Applies an answer from the worker; may ask for more.
    pub fn on_loaded(&mut self, loaded: Loaded) -> Vec<Request> {
        match loaded {
            Loaded::WorklistLastPage { filter, start } => {
                if filter != self.worklist.filter {
                    return Vec::new();
                }
                // Back from the last page goes to the first.
                self.worklist.previous_pages = if start.is_some() {
                    vec![None]
                } else {
                    Vec::new()
                };
                self.worklist.page_start = start;
                self.worklist.select_last = true;
                return vec![self.worklist_reload()];
            }
            Loaded::WorklistCounts { filter, counts } => {
                if filter == self.worklist.filter {
                    self.worklist.section_counts = Some(counts.by_section.clone());
                    self.worklist.lost_selected = self
                        .worklist
                        .lost_selected
                        .min(counts.lost.len().saturating_sub(1));
                    if let Some(v) = self.worklist.view.as_mut() {
                        merge_counts(v, &counts);
                    }
                    self.worklist.counts = Some((filter, *counts));
                }
            }
            Loaded::Worklist {
                filter,
                after,
                view,
            } => {
                // An answer for a filter or page the user has already moved away from is dropped.
                if filter != self.worklist.filter || after != self.worklist.page_start {
                    return Vec::new();
                }
                let mut v = *view;
                let mut more = Vec::new();
                match &self.worklist.counts {
                    Some((f, c)) if *f == filter => merge_counts(&mut v, c),
                    _ => more.push(Request::WorklistCounts(filter)),
                }
                if std::mem::take(&mut self.worklist.select_last) {
                    self.worklist.selected = v.rows.len().saturating_sub(1);
                }
                let len = v.rows.len();
                if let Some((follower, row)) = self.worklist.advance_after.take() {
                    self.worklist.selected = follower
                        .and_then(|f| v.rows.iter().position(|r| r.patient_id == f))
                        .unwrap_or(row);
                }
                self.worklist.view = Some(v);
                self.worklist.selected = self.worklist.selected.min(len.saturating_sub(1));
                self.follow_with_card(&mut more);
                return more;
            }
            Loaded::Patients { query, rows } => {
                // Ignore answers to searches the user has already typed past.
                if query.search == self.patients.search && query.after == self.patients.page_start {
                    self.patients.selected =
                        self.patients.selected.min(rows.len().saturating_sub(1));
                    self.patients.rows = rows;
                    self.patients.loaded = true;
                    let mut follow = Vec::new();
                    self.follow_with_card(&mut follow);
                    if !follow.is_empty() {
                        return follow;
                    }
                    if self.patients.rows.is_empty()
                        && !self.patients.search.is_empty()
                        && self.sync.is_some_and(|s| s.scoped)
                    {
                        // A laptop holds only its scope: the patient may be at the hub.
                        self.status =
                            Some((self.ctx.i18n.t("search-outside-scope"), Severity::Info));
                    }
                }
            }
            Loaded::Card(card) => {
                let pending = std::mem::take(&mut self.card_pending);
                match card {
                    Some(card)
                        if pending || self.card.as_ref().is_some_and(|c| c.card.id == card.id) =>
                    {
                        let scroll = self
                            .card
                            .as_ref()
                            .filter(|c| c.card.id == card.id)
                            .map_or(0, |c| c.scroll);
                        self.card = Some(CardState { card, scroll });
                    }
                    Some(_) => {}
                    None => {
                        self.status = Some((self.ctx.i18n.t("status-no-patient"), Severity::Error))
                    }
                }
            }
            Loaded::FormInfo(card) => {
                if let Some(form) = self.form.as_mut().filter(|f| f.patient_id == card.id) {
                    form.info = Some(CallInfo::from_card(&card));
                }
            }
            Loaded::Readmissions(v) => {
                let len = if self.readmissions_pairs {
                    v.pairs.len()
                } else {
                    v.open_windows.len()
                };
                self.readmissions_selected = self.readmissions_selected.min(len.saturating_sub(1));
                self.readmissions = Some(*v);
            }
            Loaded::Budget(v) => self.budget = Some(*v),
            Loaded::ProgressBoard(b) => {
                let current = b.query == self.progress_ui.query;
                if current {
                    self.progress = Some(b.view.clone());
                }
                self.progress_ui.on_board(*b);
                // A refreshed board refreshes the HEARTS panel beside it.
                if current {
                    return self.progress_ui.hearts_request().into_iter().collect();
                }
            }
            Loaded::ProgressPatients(d) => self.progress_ui.on_drill(*d),
            Loaded::Hearts(a) => self.progress_ui.on_hearts(*a),
            Loaded::CallSaved { patient_id, .. } => {
                let form = self.form.take();
                let name = form
                    .as_ref()
                    .map(|f| f.patient_name.clone())
                    .unwrap_or_default();
                // "Invalid number": the right number, if the nurse has it, goes in straight away.
                if let Some(f) = form
                    .filter(|f| f.outcome == Some(crate::domain::types::CallOutcome::InvalidNumber))
                {
                    let slots = f.info.map(|i| i.slots).unwrap_or_default();
                    self.phone_form =
                        Some(PhoneForm::new(patient_id.clone(), f.patient_name, slots));
                }
                self.status = Some((
                    self.ctx
                        .i18n
                        .t_args("status-call-saved", &[("name", name.as_str().into())]),
                    Severity::Info,
                ));
                // Move on to the next patient: the saved one leaves the list or stays at its place.
                let mut requests = vec![
                    self.worklist_reload(),
                    Request::WorklistCounts(self.worklist.filter.clone()),
                ];
                if self.card.as_ref().is_some_and(|c| c.card.id == patient_id) {
                    requests.push(Request::Card(patient_id.clone()));
                }
                if self.tab == Tab::Worklist
                    && self.card.is_none()
                    && self.worklist.section == Section::NoVisit12Months
                {
                    // A call is not a visit: the patient stays in the section; go on to the next.
                    self.worklist.lost_selected += 1;
                } else if self.tab == Tab::Worklist && self.card.is_none() {
                    // The called patient may move to another section at once (agreed, call back,
                    // removed): the cursor stays in this one, on the patient who followed her.
                    let row = self.worklist.selected;
                    let follower = self.worklist.view.as_ref().and_then(|v| {
                        v.rows
                            .iter()
                            .skip(row)
                            .find(|r| r.patient_id != patient_id)
                            .map(|r| r.patient_id.clone())
                    });
                    self.worklist.advance_after = Some((follower, row));
                }
                return requests;
            }
            Loaded::CallSheet(written) => {
                self.status = Some((
                    crate::store::views::call_sheet::written_message(&self.ctx.i18n, &written),
                    Severity::Info,
                ));
                return Vec::new();
            }
            Loaded::Assigned { count, nurse } => {
                let name = self
                    .worklist
                    .view
                    .as_ref()
                    .and_then(|v| {
                        v.nurses
                            .iter()
                            .find(|(id, _, _)| *id == nurse)
                            .map(|(_, n, _)| n.clone())
                    })
                    .unwrap_or(nurse);
                self.status = Some((
                    self.ctx.i18n.t_args(
                        "status-assigned",
                        &[("count", count.into()), ("nurse", name.as_str().into())],
                    ),
                    Severity::Info,
                ));
                let mut r = self.reload_requests();
                if self.tab != Tab::Worklist {
                    r.push(self.worklist_reload());
                }
                return r;
            }
            Loaded::PhoneSaved {
                patient_id,
                changed,
            } => {
                let name = self
                    .phone_form
                    .take()
                    .map(|f| f.patient_name)
                    .unwrap_or_else(|| patient_id.clone());
                let key = if changed {
                    "phone-saved"
                } else {
                    "phone-unchanged"
                };
                self.status = Some((
                    self.ctx
                        .i18n
                        .t_args(key, &[("patient", name.as_str().into())]),
                    Severity::Info,
                ));
                let mut r = self.reload_requests();
                if self.card.as_ref().is_some_and(|c| c.card.id == patient_id) {
                    r.push(Request::Card(patient_id));
                }
                return r;
            }
            Loaded::PalliativeSaved {
                patient_id,
                since,
                changed,
            } => {
                let i18n = &self.ctx.i18n;
                let patient = self
                    .card
                    .as_ref()
                    .filter(|c| c.card.id == patient_id)
                    .map(|c| {
                        format!(
                            "{} {} {}",
                            c.card.family_name, c.card.given_name, c.card.patronymic
                        )
                        .trim()
                        .to_string()
                    })
                    .unwrap_or_else(|| patient_id.clone());
                let patient = patient.as_str();
                let text = match (changed, since) {
                    (false, _) => {
                        i18n.t_args("palliative-unchanged", &[("patient", patient.into())])
                    }
                    (true, Some(d)) => i18n.t_args(
                        "palliative-set",
                        &[
                            ("patient", patient.into()),
                            ("date", i18n.fmt.date(d).as_str().into()),
                        ],
                    ),
                    (true, None) => {
                        i18n.t_args("palliative-cleared", &[("patient", patient.into())])
                    }
                };
                self.status = Some((text, Severity::Info));
                let mut r = self.reload_requests();
                if self.card.as_ref().is_some_and(|c| c.card.id == patient_id) {
                    r.push(Request::Card(patient_id));
                }
                return r;
            }
            Loaded::StatusRestored { patient_id, from } => {
                let key = if from.is_some() {
                    "status-restored"
                } else {
                    "status-already-active"
                };
                self.status = Some((self.ctx.i18n.t(key), Severity::Info));
                let mut r = self.reload_requests();
                if self.card.as_ref().is_some_and(|c| c.card.id == patient_id) {
                    r.push(Request::Card(patient_id));
                }
                r.push(Request::WorklistCounts(self.worklist.filter.clone()));
                return r;
            }
            Loaded::Sync(badge) => self.sync = badge,
            Loaded::Changed => {
                self.worklist.counts = None;
                return self.reload_requests();
            }
            Loaded::NewDay(day) => {
                self.worklist.counts = None;
                let date = self.ctx.i18n.fmt.date(day);
                self.status = Some((
                    self.ctx
                        .i18n
                        .t_args("status-new-day", &[("date", date.as_str().into())]),
                    Severity::Info,
                ));
                return self.reload_requests();
            }
            Loaded::Failed(message) => {
                if let Some(f) = self.form.as_mut() {
                    f.error = Some(message.clone());
                }
                self.card_pending = false;
                self.status = Some((message, Severity::Error));
            }
        }
        Vec::new()
    }
}

/// The categories the Budget tab's what-if changes, in the order its keys step through them.
pub const BUDGET_CATEGORIES: [ClaimCategory; 6] = [
    ClaimCategory::Inpatient,
    ClaimCategory::DayHospital,
    ClaimCategory::Outpatient,
    ClaimCategory::Emergency,
    ClaimCategory::Drugs,
    ClaimCategory::Other,
];

/// The next value after `current` in `values`, wrapping to `None` (= no filter) after the last.
fn next_in<T: Clone + PartialEq>(values: &[T], current: Option<&T>) -> Option<T> {
    match current.and_then(|c| values.iter().position(|v| v == c)) {
        None => values.first().cloned(),
        Some(i) => values.get(i + 1).cloned(),
    }
}

/// Puts the whole list's counts into a page's view.
fn merge_counts(v: &mut WorklistView, c: &WorklistCounts) {
    v.total = Some(c.total);
    v.by_priority = c.by_priority.clone();
    v.by_reason = c.by_reason.clone();
    v.lost_total = Some(c.lost_total);
    v.lost_taken_off = Some(c.lost_taken_off);
    v.lost_on_list = Some(c.lost_on_list);
    v.lost_to_follow_up = c.lost.clone();
}
