//! The nurse picker a manager assigns patients with: one patient, or every unassigned patient of
//! the patient's site at once.

use super::data::Request;
use crossterm::event::{KeyCode, KeyEvent};

/// What the picker is assigning.
#[derive(Debug, Clone, PartialEq)]
pub struct NursePicker {
    /// The patient the picker was opened on.
    pub patient_id: String,
    /// Their name, for the title.
    pub patient_name: String,
    /// Their site, for the bulk assignment.
    pub site_id: Option<String>,
    /// The site's name.
    pub site_name: String,
    /// Nurses to choose from (id, name, home site).
    pub nurses: Vec<(String, String, Option<String>)>,
    /// The highlighted nurse.
    pub selected: usize,
}

/// What a key did to the picker.
#[derive(Debug, Clone)]
pub enum PickerOutcome {
    /// Keep it open.
    Continue,
    /// Close it.
    Cancel,
    /// Close it and ask the worker for this.
    Submit(Request),
}

impl NursePicker {
    /// Handles one key; `user` is recorded as the author of the change.
    pub fn on_key(&mut self, key: KeyEvent, user: &str) -> PickerOutcome {
        let Some((nurse_id, _, _)) = self.nurses.get(self.selected).cloned() else {
            return PickerOutcome::Cancel;
        };
        match key.code {
            KeyCode::Esc => PickerOutcome::Cancel,
            KeyCode::Down | KeyCode::Char('j') => {
                self.selected = (self.selected + 1).min(self.nurses.len().saturating_sub(1));
                PickerOutcome::Continue
            }
            KeyCode::Up | KeyCode::Char('k') => {
                self.selected = self.selected.saturating_sub(1);
                PickerOutcome::Continue
            }
            KeyCode::Enter => PickerOutcome::Submit(Request::Assign {
                patient_id: self.patient_id.clone(),
                nurse_id,
                user: user.to_string(),
            }),
            KeyCode::Char(c) if c == 's' || c == 'ы' => match &self.site_id {
                Some(site_id) => PickerOutcome::Submit(Request::AssignSite {
                    site_id: site_id.clone(),
                    nurse_id,
                    user: user.to_string(),
                }),
                None => PickerOutcome::Continue,
            },
            _ => PickerOutcome::Continue,
        }
    }
}
