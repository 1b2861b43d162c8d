//! The call form: one key per outcome, a pre-filled editable date, a multi-line note, Enter saves.
//!
//! From the worklist a "no answer" is `c n Enter` (3 keys) and "agreed to visit" with the default
//! date is `c a Enter` (3 keys). Outcome keys also work on a Russian keyboard layout.

use super::context::AppContext;
use super::date_field::{DateError, DateField, DateKey};
use super::keymap::latin_equivalent;
use crate::domain::types::CallOutcome;
use crate::domain::worklist::{self, Reason};
use crate::store::calls::NewCall;
use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// The key for each outcome, in the order the form lists them.
pub const OUTCOME_KEYS: &[(char, CallOutcome)] = &[
    ('a', CallOutcome::AgreedToVisit),
    ('b', CallOutcome::CallBackLater),
    ('r', CallOutcome::Refused),
    ('n', CallOutcome::NoAnswer),
    ('w', CallOutcome::InvalidNumber),
    ('v', CallOutcome::AlreadyVisited),
    ('m', CallOutcome::Moved),
    ('d', CallOutcome::Died),
];

/// Which part of the form takes typed keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// Letters pick the outcome.
    Outcome,
    /// Typing edits the date.
    Date,
    /// Typing edits the note.
    Note,
}

/// What a key did to the form.
#[derive(Debug, Clone, PartialEq)]
pub enum FormOutcome {
    /// Keep the form open.
    Continue,
    /// Close without saving.
    Cancel,
    /// Save this call; the form closes when the save is confirmed.
    Save(NewCall),
    /// The user asked to quit (`q`/`й` on the outcome list, or Ctrl-C): the app asks first when
    /// the form holds unsaved input.
    Quit,
}

/// The state of an open call form.
#[derive(Debug, Clone, PartialEq)]
pub struct CallForm {
    /// The patient called.
    pub patient_id: String,
    /// Their name, for the title.
    pub patient_name: String,
    /// The chosen outcome.
    pub outcome: Option<CallOutcome>,
    /// The date (agreed visit, call-back, date of death), typed as people type dates.
    pub date: DateField,
    /// The note as typed.
    pub note: String,
    /// Where typing goes.
    pub focus: Field,
    /// A validation or save error to show.
    pub error: Option<String>,
    /// Enter was pressed and the save is on its way.
    pub saving: bool,
    /// The call this form corrects, if it is a correction.
    pub supersedes: Option<String>,
    /// "Died" or "moved" was submitted once and waits for a second Enter (Esc goes back): a
    /// patient is never taken off every list by one stray key.
    pub confirming: bool,
    /// What the nurse dials and says: phones (main first), the last call, loaded with the form.
    pub info: Option<CallInfo>,
    /// Why the patient is on the list, the deciding reason first (empty off the worklist).
    pub why: Vec<Reason>,
}

/// The patient facts the form shows above the outcomes, so the number is where it is dialled.
#[derive(Debug, Clone, PartialEq)]
pub struct CallInfo {
    /// Every phone, the main one first.
    pub phones: Vec<String>,
    /// The main and the second number as the register holds them.
    pub slots: [Option<String>; 2],
    /// The main number was reported invalid and not changed since: the second is dialled.
    pub main_invalid: bool,
    /// The latest call still in force: outcome and when (`YYYY-MM-DDTHH:MM:SS`, UTC).
    pub last_call: Option<(CallOutcome, String)>,
}

impl CallInfo {
    /// Takes the phones and the latest uncorrected call from a patient card.
    pub fn from_card(card: &crate::store::patients::PatientCard) -> CallInfo {
        CallInfo {
            phones: card.phones.clone(),
            slots: card.phone_slots.clone(),
            main_invalid: card.main_phone_reported_invalid,
            last_call: card
                .calls
                .iter()
                .find(|c| !c.superseded)
                .map(|c| (c.outcome, c.called_at.clone())),
        }
    }
}

impl CallForm {
    /// An empty form for a patient.
    pub fn new(patient_id: String, patient_name: String, ctx: &AppContext) -> CallForm {
        CallForm {
            patient_id,
            patient_name,
            outcome: None,
            date: DateField::new(ctx.i18n.fmt.date_style),
            note: String::new(),
            focus: Field::Outcome,
            error: None,
            saving: false,
            supersedes: None,
            confirming: false,
            info: None,
            why: Vec::new(),
        }
    }

    /// A form that corrects `call`: pre-filled with it, saved as a new entry superseding it.
    pub fn correction(
        patient_id: String,
        patient_name: String,
        call: &crate::store::patients::CallItem,
        ctx: &AppContext,
    ) -> CallForm {
        CallForm {
            patient_id,
            patient_name,
            outcome: Some(call.outcome),
            date: DateField::with(ctx.i18n.fmt.date_style, call.next_date),
            note: call.note.clone(),
            focus: Field::Outcome,
            error: None,
            saving: false,
            supersedes: Some(call.id.clone()),
            confirming: false,
            info: None,
            why: Vec::new(),
        }
    }

    /// Handles one key.
    pub fn on_key(&mut self, key: KeyEvent, ctx: &AppContext) -> FormOutcome {
        if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
            return FormOutcome::Quit;
        }
        if self.saving {
            return FormOutcome::Continue;
        }
        let alt_or_ctrl = key
            .modifiers
            .intersects(KeyModifiers::ALT | KeyModifiers::CONTROL);
        if self.confirming {
            // Only Enter (confirm) and Esc (back to the form) act on the question.
            match key.code {
                KeyCode::Enter => return self.save(ctx),
                KeyCode::Esc => self.confirming = false,
                _ => {}
            }
            return FormOutcome::Continue;
        }
        if self.focus == Field::Date {
            match self.date_key(key, ctx) {
                DateKey::Ignored => {}
                DateKey::Edited => {
                    self.error = None;
                    return FormOutcome::Continue;
                }
                DateKey::Refused(e) => {
                    self.error = Some(e.message(&ctx.i18n, &self.date.text()));
                    return FormOutcome::Continue;
                }
            }
        }
        match key.code {
            KeyCode::Esc => return FormOutcome::Cancel,
            KeyCode::Char(c)
                if self.focus == Field::Outcome
                    && !alt_or_ctrl
                    && latin_equivalent(c).unwrap_or(c) == 'q' =>
            {
                return FormOutcome::Quit;
            }
            KeyCode::Enter if self.focus == Field::Note && alt_or_ctrl => self.note.push('\n'),
            KeyCode::Char('j')
                if self.focus == Field::Note && key.modifiers.contains(KeyModifiers::CONTROL) =>
            {
                self.note.push('\n')
            }
            KeyCode::Enter => return self.submit(ctx),
            KeyCode::Tab | KeyCode::Down => self.focus = next_field(self.focus, true),
            KeyCode::BackTab | KeyCode::Up => self.focus = next_field(self.focus, false),
            KeyCode::Backspace if self.focus == Field::Note => {
                self.note.pop();
            }
            KeyCode::Char(c) if !c.is_control() && !alt_or_ctrl => self.type_char(c, ctx),
            _ => {}
        }
        FormOutcome::Continue
    }

    fn type_char(&mut self, c: char, ctx: &AppContext) {
        match self.focus {
            Field::Outcome => {
                let latin = latin_equivalent(c).unwrap_or(c).to_ascii_lowercase();
                if let Some((_, outcome)) = OUTCOME_KEYS.iter().find(|(k, _)| *k == latin) {
                    self.choose(*outcome, ctx);
                }
            }
            // The date field took its keys in `on_key`; any other letter is not for it.
            Field::Date => {}
            Field::Note => self.note.push(c),
        }
        self.error = None;
    }

    /// True when the form holds input that closing it would lose: a chosen outcome, a date or a
    /// note typed (a correction counts as unsaved from the start).
    pub fn has_unsaved_input(&self) -> bool {
        self.outcome.is_some()
            || !self.note.trim().is_empty()
            || !self.date.is_empty()
            || self.supersedes.is_some()
    }

    /// Picks an outcome and pre-fills its default date ("died": empty, the date of death is
    /// unknown until typed).
    pub fn choose(&mut self, outcome: CallOutcome, ctx: &AppContext) {
        self.outcome = Some(outcome);
        let (thresholds, calendar) = crate::store::worklist_index::rules();
        self.date.set(worklist::default_next_date(
            outcome,
            ctx.clock.get().as_of,
            &thresholds,
            &calendar,
        ));
    }

    /// The date, if one is typed and it is a date.
    pub fn next_date(&self) -> Result<Option<NaiveDate>, DateError> {
        self.date.value()
    }

    /// Gives a key to the date field: quick picks land on a business day (an agreed visit or a
    /// call-back on a Sunday would be missed).
    fn date_key(&mut self, key: KeyEvent, ctx: &AppContext) -> DateKey {
        let (_, calendar) = crate::store::rules::rules_ref();
        self.date.on_key(key, ctx.clock.get().as_of, |d| {
            calendar.business_day_on_or_after(d)
        })
    }

    fn submit(&mut self, ctx: &AppContext) -> FormOutcome {
        let Some(outcome) = self.outcome else {
            self.error = Some(ctx.i18n.t("form-error-no-outcome"));
            return FormOutcome::Continue;
        };
        let next_date = match self.next_date() {
            Ok(d) => d,
            Err(e) => {
                self.error = Some(e.message(&ctx.i18n, &self.date.text()));
                self.focus = Field::Date;
                return FormOutcome::Continue;
            }
        };
        if matches!(
            outcome,
            CallOutcome::AgreedToVisit | CallOutcome::CallBackLater
        ) {
            match next_date {
                None => {
                    self.error = Some(ctx.i18n.t("form-error-date-required"));
                    self.focus = Field::Date;
                    return FormOutcome::Continue;
                }
                Some(d) if d < ctx.clock.get().as_of => {
                    self.error = Some(ctx.i18n.t("form-error-date-past"));
                    self.focus = Field::Date;
                    return FormOutcome::Continue;
                }
                _ => {}
            }
        }
        if outcome == CallOutcome::Died && next_date.is_some_and(|d| d > ctx.clock.get().as_of) {
            self.error = Some(ctx.i18n.t("form-error-death-future"));
            self.focus = Field::Date;
            return FormOutcome::Continue;
        }
        if matches!(outcome, CallOutcome::Died | CallOutcome::Moved) {
            self.confirming = true;
            return FormOutcome::Continue;
        }
        self.save(ctx)
    }

    /// Saves the form as it stands (validated by `submit`).
    fn save(&mut self, ctx: &AppContext) -> FormOutcome {
        let Some(outcome) = self.outcome else {
            return FormOutcome::Continue;
        };
        let next_date = self.next_date().ok().flatten();
        self.confirming = false;
        self.saving = true;
        FormOutcome::Save(NewCall {
            patient_id: self.patient_id.clone(),
            outcome,
            // "Died" carries the date of death the nurse was told (none: unknown).
            next_date: if outcome.takes_date() || outcome == CallOutcome::Died {
                next_date
            } else {
                None
            },
            note: self.note.trim().to_string(),
            user: ctx.config.user(),
            supersedes: self.supersedes.clone(),
        })
    }
}

fn next_field(f: Field, forward: bool) -> Field {
    match (f, forward) {
        (Field::Outcome, true) | (Field::Note, false) => Field::Date,
        (Field::Date, true) | (Field::Outcome, false) => Field::Note,
        (Field::Note, true) | (Field::Date, false) => Field::Outcome,
    }
}
