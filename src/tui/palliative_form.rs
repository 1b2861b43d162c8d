//! The hospice / palliative care form a manager opens from the card: the date care began,
//! pre-filled with today. Enter leads to a yes/no question before anything is saved (the flag
//! takes the patient out of two quality measures); the change goes to the history like
//! `acodesk palliative` records it.

use crate::domain::dates::parse_date;
use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What a key did to the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PalliativeOutcome {
    /// Keep the form open.
    Continue,
    /// Close without saving.
    Cancel,
    /// The date typed is valid: ask before saving it.
    Confirm(NaiveDate),
}

/// The state of an open palliative-care form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PalliativeForm {
    /// The patient flagged.
    pub patient_id: String,
    /// Their name, for the title and the question.
    pub patient_name: String,
    /// The date as typed.
    pub text: String,
    /// The last day the date may be (today).
    pub today: NaiveDate,
    /// True when the text is not a date on or before today (shown until the next key).
    pub invalid: bool,
}

impl PalliativeForm {
    /// A form pre-filled with today's date as the user's locale writes it.
    pub fn new(
        patient_id: String,
        patient_name: String,
        today: NaiveDate,
        today_text: String,
    ) -> PalliativeForm {
        PalliativeForm {
            patient_id,
            patient_name,
            text: today_text,
            today,
            invalid: false,
        }
    }

    /// Handles one key: digits and date separators type, Enter checks the date, Esc cancels.
    pub fn on_key(&mut self, key: KeyEvent) -> PalliativeOutcome {
        if key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
        {
            return PalliativeOutcome::Continue;
        }
        self.invalid = false;
        match key.code {
            KeyCode::Esc => return PalliativeOutcome::Cancel,
            KeyCode::Backspace => {
                self.text.pop();
            }
            KeyCode::Char(c) if c.is_ascii_digit() || ".-/".contains(c) => self.text.push(c),
            KeyCode::Enter => match parse_date(self.text.trim()) {
                Ok(d) if d <= self.today => return PalliativeOutcome::Confirm(d),
                _ => self.invalid = true,
            },
            _ => {}
        }
        PalliativeOutcome::Continue
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn a_typed_date_on_or_before_today_is_confirmed_and_others_refused() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let mut f = PalliativeForm::new("P1".into(), "Иванова".into(), today, "30.11.2026".into());
        assert_eq!(
            f.on_key(key(KeyCode::Enter)),
            PalliativeOutcome::Confirm(today)
        );
        for _ in 0..10 {
            f.on_key(key(KeyCode::Backspace));
        }
        for c in "01.12.2026".chars() {
            f.on_key(key(KeyCode::Char(c)));
        }
        assert_eq!(f.on_key(key(KeyCode::Enter)), PalliativeOutcome::Continue);
        assert!(f.invalid, "a future date is refused");
        f.text = "2026-10-01".into();
        assert_eq!(
            f.on_key(key(KeyCode::Enter)),
            PalliativeOutcome::Confirm(NaiveDate::from_ymd_opt(2026, 10, 1).unwrap())
        );
        f.text = "сегодня".into();
        f.on_key(key(KeyCode::Char('x')));
        assert_eq!(f.text, "сегодня", "letters are not typed");
        assert_eq!(f.on_key(key(KeyCode::Enter)), PalliativeOutcome::Continue);
        assert_eq!(f.on_key(key(KeyCode::Esc)), PalliativeOutcome::Cancel);
    }
}
