//! The next and the previous patient from the card (#20 item 7): the card walks the list it was
//! opened from — the worklist's section, the patient list, a Readmissions or Progress list —
//! without going back to it, and the list's selection follows, so Esc returns to the patient
//! last seen.

use super::{App, Section, Severity, Tab};
use crate::tui::data::Request;

impl App {
    /// Opens the card of the list's next (`forward`) or previous patient. A page boundary loads
    /// the page first; the card follows when it arrives ([`App::card_follows_list`]).
    pub(super) fn step_patient(&mut self, forward: bool) -> Vec<Request> {
        let Some(card) = self.card.take() else {
            return Vec::new();
        };
        let delta = if forward { 1 } else { -1 };
        // Walk from the card's patient where she still is in the list. On the worklist, a call
        // made from the card may have moved her to another section: the patient who followed
        // her now holds her place, and is the next one.
        let mut step = true;
        if let Some(pos) = self.list_position(&card.card.id) {
            self.set_list_position(pos);
        } else if self.tab == Tab::Worklist && forward {
            step = false;
        }
        let before = self.selected_patient_id();
        let requests = if step {
            self.move_selection(delta)
        } else {
            Vec::new()
        };
        let after = self.selected_patient_id();
        self.card = Some(card);
        if !requests.is_empty() {
            self.card_follows_list = true;
            return requests;
        }
        match after {
            Some(id) if !step || before.as_deref() != Some(id.as_str()) => {
                self.card_pending = true;
                vec![Request::Card(id)]
            }
            _ => {
                let key = if forward {
                    "card-no-next"
                } else {
                    "card-no-prev"
                };
                self.status = Some((self.ctx.i18n.t(key), Severity::Info));
                Vec::new()
            }
        }
    }

    /// After a page arrives for a step from the card: the card of the patient now selected.
    pub(super) fn follow_with_card(&mut self, requests: &mut Vec<Request>) {
        if !std::mem::take(&mut self.card_follows_list) || self.card.is_none() {
            return;
        }
        let card = self.card.take();
        let id = self.selected_patient_id();
        self.card = card;
        if let Some(id) = id {
            self.card_pending = true;
            requests.push(Request::Card(id));
        }
    }

    /// Where a patient is in the list on screen (the worklist's section or the patient list).
    fn list_position(&self, id: &str) -> Option<usize> {
        match self.tab {
            Tab::Worklist if self.worklist.section == Section::NoVisit12Months => self
                .worklist
                .view
                .as_ref()?
                .lost_to_follow_up
                .iter()
                .position(|r| r.patient_id == id),
            Tab::Worklist => self
                .worklist
                .view
                .as_ref()?
                .rows
                .iter()
                .position(|r| r.patient_id == id),
            Tab::Patients => self.patients.rows.iter().position(|r| r.id == id),
            _ => None,
        }
    }

    fn set_list_position(&mut self, pos: usize) {
        match self.tab {
            Tab::Worklist if self.worklist.section == Section::NoVisit12Months => {
                self.worklist.lost_selected = pos;
            }
            Tab::Worklist => self.worklist.selected = pos,
            Tab::Patients => self.patients.selected = pos,
            _ => {}
        }
    }
}
