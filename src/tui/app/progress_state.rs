//! The Progress tab's state and keys: the population and month asked for, the table shown (sites,
//! nurses or trends), its sort column and order, and the patients behind a figure. Declared from
//! `tui::app` (it changes state; drawing is in `views::progress`).

use crate::store::views::progress::{
    Column, DrillGroup, Figure, GroupExtras, GroupTally, PatientDrill, ProgressBoard, ProgressQuery,
};
use crate::tui::action::Action;
use crate::tui::data::{HeartsAnswer, Request};
use chrono::NaiveDate;

/// What the Progress tab shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ProgressMode {
    /// Sites compared on every indicator.
    #[default]
    Sites,
    /// Nurses: workload, call outcomes and indicators.
    Nurses,
    /// Each indicator over the last twelve months.
    Trends,
}

/// The patients behind a figure.
#[derive(Debug, Clone, PartialEq)]
pub struct DrillState {
    /// Whose figure.
    pub group: DrillGroup,
    /// Which figure.
    pub column: Column,
    /// The list (`None` while it loads).
    pub list: Option<PatientDrill>,
    /// Selected row.
    pub selected: usize,
}

/// The Progress tab's state.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProgressState {
    /// The population and month asked for.
    pub query: ProgressQuery,
    /// The latest answer.
    pub board: Option<ProgressBoard>,
    /// The table shown.
    pub mode: ProgressMode,
    /// The sort column (an index into [`ProgressState::columns`]); `None` keeps the id order.
    pub sort: Option<usize>,
    /// Reverse the sort: normally the weakest (or the busiest) row comes first.
    pub reverse: bool,
    /// Selected row of the table, in display order (the total is the last row).
    pub selected: usize,
    /// The indicator the trends view shows large (an index into `Column::TRENDS`).
    pub trend: usize,
    /// The patients behind a figure, when listed.
    pub drill: Option<DrillState>,
    /// The HEARTS panel, when open: the programme shown (`None` until the first answer names it)
    /// and the latest answer.
    pub hearts: Option<HeartsPanel>,
}

/// The Progress tab's HEARTS panel.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HeartsPanel {
    /// The programme asked for (`None`: the first).
    pub program: Option<String>,
    /// The latest answer for it.
    pub answer: Option<HeartsAnswer>,
}

/// One table row: a group's indicators and other figures (`None` id for the total).
pub type GroupRow<'a> = (
    Option<&'a GroupTally>,
    &'a crate::domain::indicators::Tally,
    &'a GroupExtras,
);

impl ProgressState {
    /// The request for the board as asked.
    pub fn request(&self) -> Request {
        Request::ProgressBoard(self.query.clone())
    }

    /// The HEARTS panel's request, when it is open.
    pub fn hearts_request(&self) -> Option<Request> {
        self.hearts.as_ref().map(|h| Request::Hearts {
            query: self.query.clone(),
            program: h.program.clone(),
        })
    }

    /// Takes the HEARTS panel's answer, if it is for the population and programme still shown.
    pub fn on_hearts(&mut self, answer: HeartsAnswer) {
        let Some(h) = self.hearts.as_mut() else {
            return;
        };
        let program = answer.board.as_ref().map(|b| b.program.clone());
        if answer.query != self.query || (h.program.is_some() && h.program != program) {
            return;
        }
        h.program = program;
        h.answer = Some(answer);
    }

    /// The columns of the table shown.
    pub fn columns(&self) -> Vec<Column> {
        match self.mode {
            ProgressMode::Sites => Column::SITES.to_vec(),
            ProgressMode::Nurses => Column::nurses(),
            ProgressMode::Trends => Column::TRENDS.to_vec(),
        }
    }

    /// The column Enter lists the patients of: the sort column (the charted one on the trends),
    /// else the active patients.
    pub fn column(&self) -> Column {
        if self.mode == ProgressMode::Trends {
            return Column::TRENDS[self.trend.min(Column::TRENDS.len() - 1)];
        }
        self.sort
            .and_then(|i| self.columns().get(i).copied())
            .unwrap_or(Column::Active)
    }

    /// The rows of the table shown, sorted, with the total last.
    pub fn rows(&self) -> Vec<GroupRow<'_>> {
        let Some(b) = &self.board else {
            return Vec::new();
        };
        let (groups, extras) = match self.mode {
            ProgressMode::Nurses => (&b.view.nurses, &b.nurses),
            _ => (&b.view.sites, &b.sites),
        };
        let mut rows: Vec<GroupRow<'_>> = groups
            .iter()
            .zip(extras)
            .map(|(g, x)| (Some(g), &g.tally, x))
            .collect();
        if let Some(column) = self.sort.and_then(|i| self.columns().get(i).copied()) {
            // Weakest first: the highest share where lower is better, the lowest where higher
            // is better, the biggest count; rows without a figure always last.
            let descending = column.lower_is_better() != Some(false);
            rows.sort_by(|a, b| {
                let (x, y) = (
                    column.figure(a.1, a.2).sort_value(),
                    column.figure(b.1, b.2).sort_value(),
                );
                match (x, y) {
                    (Some(x), Some(y)) => {
                        let order = x.total_cmp(&y);
                        if descending != self.reverse {
                            order.reverse()
                        } else {
                            order
                        }
                    }
                    (Some(_), None) => std::cmp::Ordering::Less,
                    (None, Some(_)) => std::cmp::Ordering::Greater,
                    (None, None) => std::cmp::Ordering::Equal,
                }
            });
        }
        rows.push((None, &b.view.total, &b.total));
        rows
    }

    /// True when the sort column's rows run from the highest value down.
    pub fn descending(&self) -> bool {
        (self.column().lower_is_better() != Some(false)) != self.reverse
    }

    fn row_count(&self) -> usize {
        self.board.as_ref().map_or(0, |b| match self.mode {
            ProgressMode::Nurses => b.view.nurses.len() + 1,
            _ => b.view.sites.len() + 1,
        })
    }

    /// Handles the keys the tab gives its own meaning; `None` leaves the action to the app.
    pub fn update(&mut self, action: Action) -> Option<Vec<Request>> {
        if self.drill.is_some() {
            return match action {
                Action::Back => {
                    self.drill = None;
                    Some(Vec::new())
                }
                // Enter opens the card and c logs a call: the app does that for the selected row.
                Action::SortNext
                | Action::SortPrev
                | Action::SortReverse
                | Action::ToggleView
                | Action::FilterSite
                | Action::FilterNurse
                | Action::FilterMonth
                | Action::FilterProgram => Some(Vec::new()),
                _ => None,
            };
        }
        match action {
            Action::FilterProgram => {
                match self.hearts.take() {
                    None => self.hearts = Some(HeartsPanel::default()),
                    Some(h) => {
                        // The next programme of the last answer's list; after the last, closed.
                        let ids: Vec<String> = h
                            .answer
                            .as_ref()
                            .map(|a| a.programs.iter().map(|p| p.0.clone()).collect())
                            .unwrap_or_default();
                        if let Some(next) = next_in(&ids, h.program.as_ref()) {
                            self.hearts = Some(HeartsPanel {
                                program: Some(next),
                                answer: h.answer,
                            });
                        }
                    }
                }
                Some(self.hearts_request().into_iter().collect())
            }
            Action::Back if self.hearts.is_some() => {
                self.hearts = None;
                Some(Vec::new())
            }
            Action::ToggleView => {
                self.mode = match self.mode {
                    ProgressMode::Sites => ProgressMode::Nurses,
                    ProgressMode::Nurses => ProgressMode::Trends,
                    ProgressMode::Trends => ProgressMode::Sites,
                };
                self.sort = None;
                self.selected = 0;
                Some(Vec::new())
            }
            Action::SortNext | Action::SortPrev => {
                let forward = action == Action::SortNext;
                if self.mode == ProgressMode::Trends {
                    let n = Column::TRENDS.len();
                    self.trend = (self.trend + if forward { 1 } else { n - 1 }) % n;
                } else {
                    let n = self.columns().len();
                    self.sort = match (self.sort, forward) {
                        (None, true) => Some(0),
                        (None, false) => n.checked_sub(1),
                        (Some(i), true) => (i + 1 < n).then_some(i + 1),
                        (Some(i), false) => i.checked_sub(1),
                    };
                    self.selected = 0;
                }
                Some(Vec::new())
            }
            Action::SortReverse => {
                self.reverse = !self.reverse;
                Some(Vec::new())
            }
            Action::FilterSite | Action::FilterNurse | Action::FilterMonth => {
                let board = self.board.as_ref()?;
                let ids = |options: &[(String, String)]| -> Vec<String> {
                    options.iter().map(|(id, _)| id.clone()).collect()
                };
                match action {
                    Action::FilterSite => {
                        self.query.site_id =
                            next_in(&ids(&board.site_options), self.query.site_id.as_ref());
                        self.query.nurse_id = None;
                    }
                    Action::FilterNurse => {
                        self.query.nurse_id =
                            next_in(&ids(&board.nurse_options), self.query.nurse_id.as_ref());
                    }
                    _ => {
                        // Back one month at a time; after the earliest, the as-of month again.
                        let mut earlier: Vec<NaiveDate> = board.months();
                        earlier.pop();
                        earlier.reverse();
                        self.query.month = next_in(&earlier, self.query.month.as_ref());
                    }
                }
                self.selected = 0;
                // The board's answer brings the HEARTS panel's request with it (`App::on_loaded`).
                Some(vec![self.request()])
            }
            Action::Open if self.hearts.is_some() => Some(Vec::new()),
            Action::Open => {
                let group = if self.mode == ProgressMode::Trends {
                    DrillGroup::Total
                } else {
                    let rows = self.rows();
                    let (group, _, _) = rows.get(self.selected)?;
                    match (group, self.mode) {
                        (None, _) => DrillGroup::Total,
                        (Some(g), ProgressMode::Nurses) => DrillGroup::Nurse(g.id.clone()),
                        (Some(g), _) => DrillGroup::Site(g.id.clone()),
                    }
                };
                let column = self.column();
                self.drill = Some(DrillState {
                    group: group.clone(),
                    column,
                    list: None,
                    selected: 0,
                });
                Some(vec![Request::ProgressPatients {
                    query: self.query.clone(),
                    group,
                    column,
                }])
            }
            _ => None,
        }
    }

    /// Moves the selection: the patient list's, the charted indicator, or the table row.
    pub fn move_selection(&mut self, delta: i64) {
        let clamp = |current: usize, len: usize| -> usize {
            if len == 0 {
                0
            } else {
                (current as i64 + delta).clamp(0, len as i64 - 1) as usize
            }
        };
        if let Some(d) = self.drill.as_mut() {
            let len = d.list.as_ref().map_or(0, |l| l.rows.len());
            d.selected = clamp(d.selected, len);
        } else if self.mode == ProgressMode::Trends {
            self.trend = clamp(self.trend, Column::TRENDS.len());
        } else {
            self.selected = clamp(self.selected, self.row_count());
        }
    }

    /// Takes a board; answers to a query the user has moved on from are dropped.
    pub fn on_board(&mut self, board: ProgressBoard) {
        if board.query != self.query {
            return;
        }
        self.board = Some(board);
        self.selected = self.selected.min(self.row_count().saturating_sub(1));
    }

    /// Takes a patient list, if it is the one still asked for.
    pub fn on_drill(&mut self, list: PatientDrill) {
        if let Some(d) = self.drill.as_mut()
            && d.group == list.group
            && d.column == list.column
            && list.query == self.query
        {
            d.selected = d.selected.min(list.rows.len().saturating_sub(1));
            d.list = Some(list);
        }
    }

    /// The patient selected in the list behind a figure (id, name).
    pub fn selected_patient(&self) -> Option<(String, String)> {
        let d = self.drill.as_ref()?;
        let row = d.list.as_ref()?.rows.get(d.selected)?;
        Some((row.patient_id.clone(), row.full_name.clone()))
    }
}

/// The figure of a row in a column.
pub fn figure(column: Column, row: &GroupRow<'_>) -> Figure {
    column.figure(row.1, row.2)
}

/// The next value after `current` in `values`, wrapping to `None` (= no filter) after the last.
fn next_in<T: Clone + PartialEq>(values: &[T], current: Option<&T>) -> Option<T> {
    match current.and_then(|c| values.iter().position(|v| v == c)) {
        None => values.first().cloned(),
        Some(i) => values.get(i + 1).cloned(),
    }
}
