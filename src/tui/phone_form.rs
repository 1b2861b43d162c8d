//! The phone form: a new or corrected number typed from the card, or straight after an "invalid
//! number" call. Saved like `acodesk phone` saves it: the old number stays in the change history.

use crate::store::phones::{WhichPhone, is_phone_number};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What a key did to the phone form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PhoneOutcome {
    /// Keep the form open.
    Continue,
    /// Close without saving.
    Cancel,
    /// Save this number (`None`: clear it) for this phone.
    Save(WhichPhone, Option<String>),
}

/// The state of an open phone form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneForm {
    /// The patient whose number it is.
    pub patient_id: String,
    /// Their name, for the title.
    pub patient_name: String,
    /// The numbers as they are now (main, second).
    pub current: [Option<String>; 2],
    /// Which number is edited (Tab switches).
    pub which: WhichPhone,
    /// The number as typed.
    pub text: String,
    /// True when the text is not a phone number (shown until the next key).
    pub invalid: bool,
}

impl PhoneForm {
    /// A form for the main number, pre-filled with it (`current`: the main and the second number
    /// as the register holds them).
    pub fn new(
        patient_id: String,
        patient_name: String,
        current: [Option<String>; 2],
    ) -> PhoneForm {
        PhoneForm {
            patient_id,
            patient_name,
            text: current[0].clone().unwrap_or_default(),
            current,
            which: WhichPhone::First,
            invalid: false,
        }
    }

    /// Handles one key: digits and phone punctuation type, Tab switches the number, Enter saves
    /// (an empty text clears the number), Esc cancels.
    pub fn on_key(&mut self, key: KeyEvent) -> PhoneOutcome {
        if key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
        {
            return PhoneOutcome::Continue;
        }
        self.invalid = false;
        match key.code {
            KeyCode::Esc => return PhoneOutcome::Cancel,
            KeyCode::Tab | KeyCode::BackTab | KeyCode::Up | KeyCode::Down => {
                self.which = match self.which {
                    WhichPhone::First => WhichPhone::Second,
                    WhichPhone::Second => WhichPhone::First,
                };
                let i = usize::from(self.which == WhichPhone::Second);
                self.text = self.current[i].clone().unwrap_or_default();
            }
            KeyCode::Backspace => {
                self.text.pop();
            }
            KeyCode::Char(c) if c.is_ascii_digit() || " +-()".contains(c) => self.text.push(c),
            KeyCode::Enter => {
                let text = self.text.trim();
                if text.is_empty() {
                    return PhoneOutcome::Save(self.which, None);
                }
                if !is_phone_number(text) {
                    self.invalid = true;
                    return PhoneOutcome::Continue;
                }
                return PhoneOutcome::Save(self.which, Some(text.to_string()));
            }
            _ => {}
        }
        PhoneOutcome::Continue
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn types_a_number_switches_phones_and_refuses_words() {
        let mut f = PhoneForm::new(
            "P1".into(),
            "Иванова".into(),
            [Some("+7 900 000-00-00".into()), None],
        );
        assert_eq!(f.text, "+7 900 000-00-00");
        f.on_key(key(KeyCode::Tab));
        assert_eq!((f.which, f.text.as_str()), (WhichPhone::Second, ""));
        for c in "8 (937) 492-75-89x".chars() {
            f.on_key(key(KeyCode::Char(c)));
        }
        assert_eq!(
            f.on_key(key(KeyCode::Enter)),
            PhoneOutcome::Save(WhichPhone::Second, Some("8 (937) 492-75-89".into()))
        );
        f.text = "12".into();
        assert_eq!(f.on_key(key(KeyCode::Enter)), PhoneOutcome::Continue);
        assert!(f.invalid);
        assert_eq!(f.on_key(key(KeyCode::Esc)), PhoneOutcome::Cancel);
    }
}
