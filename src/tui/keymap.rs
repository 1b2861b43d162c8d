//! Key bindings from data: the defaults in assets/keymap.toml, overridden by the user's keymap.toml.

use super::action::Action;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::BTreeMap;

/// The default bindings shipped with the binary.
pub const DEFAULT_KEYMAP: &str = include_str!("../../assets/keymap.toml");

/// A key with its modifiers, as written in a keymap file (`ctrl-c`, `pagedown`, `?`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    /// The key.
    pub code: KeyCodeOrd,
    /// Ctrl held.
    pub ctrl: bool,
    /// Alt held.
    pub alt: bool,
}

/// The subset of key codes bindings use, orderable so the keymap iterates deterministically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyCodeOrd {
    /// A printable character.
    Char(char),
    /// A function key.
    F(u8),
    /// A named key.
    Named(NamedKey),
}

/// Keys with names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(missing_docs)]
pub enum NamedKey {
    Enter,
    Esc,
    Tab,
    BackTab,
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    Home,
    End,
    Backspace,
    Delete,
}

const NAMES: &[(&str, NamedKey)] = &[
    ("enter", NamedKey::Enter),
    ("esc", NamedKey::Esc),
    ("tab", NamedKey::Tab),
    ("backtab", NamedKey::BackTab),
    ("up", NamedKey::Up),
    ("down", NamedKey::Down),
    ("left", NamedKey::Left),
    ("right", NamedKey::Right),
    ("pageup", NamedKey::PageUp),
    ("pagedown", NamedKey::PageDown),
    ("home", NamedKey::Home),
    ("end", NamedKey::End),
    ("backspace", NamedKey::Backspace),
    ("delete", NamedKey::Delete),
];

impl Key {
    /// Parses `ctrl-c`, `alt-x`, `f1`, `pagedown`, `?`; `None` when it is not a key name.
    pub fn parse(text: &str) -> Option<Key> {
        let mut rest = text.trim();
        let (mut ctrl, mut alt) = (false, false);
        loop {
            if let Some(r) = rest.strip_prefix("ctrl-").filter(|r| !r.is_empty()) {
                ctrl = true;
                rest = r;
            } else if let Some(r) = rest.strip_prefix("alt-").filter(|r| !r.is_empty()) {
                alt = true;
                rest = r;
            } else {
                break;
            }
        }
        let lower = rest.to_ascii_lowercase();
        let code = if let Some((_, named)) = NAMES.iter().find(|(n, _)| *n == lower) {
            KeyCodeOrd::Named(*named)
        } else if let Some(n) = lower
            .strip_prefix('f')
            .and_then(|n| n.parse::<u8>().ok())
            .filter(|n| (1..=12).contains(n))
        {
            KeyCodeOrd::F(n)
        } else {
            let mut chars = rest.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => KeyCodeOrd::Char(c),
                _ => return None,
            }
        };
        Some(Key { code, ctrl, alt })
    }

    /// The key a terminal event stands for, if it is one bindings can use.
    pub fn from_event(e: &KeyEvent) -> Option<Key> {
        let ctrl = e.modifiers.contains(KeyModifiers::CONTROL);
        let alt = e.modifiers.contains(KeyModifiers::ALT);
        let code = match e.code {
            KeyCode::Char(c) => KeyCodeOrd::Char(c),
            KeyCode::F(n) => KeyCodeOrd::F(n),
            KeyCode::Enter => KeyCodeOrd::Named(NamedKey::Enter),
            KeyCode::Esc => KeyCodeOrd::Named(NamedKey::Esc),
            KeyCode::Tab => KeyCodeOrd::Named(NamedKey::Tab),
            KeyCode::BackTab => KeyCodeOrd::Named(NamedKey::BackTab),
            KeyCode::Up => KeyCodeOrd::Named(NamedKey::Up),
            KeyCode::Down => KeyCodeOrd::Named(NamedKey::Down),
            KeyCode::Left => KeyCodeOrd::Named(NamedKey::Left),
            KeyCode::Right => KeyCodeOrd::Named(NamedKey::Right),
            KeyCode::PageUp => KeyCodeOrd::Named(NamedKey::PageUp),
            KeyCode::PageDown => KeyCodeOrd::Named(NamedKey::PageDown),
            KeyCode::Home => KeyCodeOrd::Named(NamedKey::Home),
            KeyCode::End => KeyCodeOrd::Named(NamedKey::End),
            KeyCode::Backspace => KeyCodeOrd::Named(NamedKey::Backspace),
            KeyCode::Delete => KeyCodeOrd::Named(NamedKey::Delete),
            _ => return None,
        };
        Some(Key { code, ctrl, alt })
    }

    /// How the key is written in hints and in keymap files.
    pub fn label(&self) -> String {
        let mut s = String::new();
        if self.ctrl {
            s.push_str("ctrl-");
        }
        if self.alt {
            s.push_str("alt-");
        }
        match self.code {
            KeyCodeOrd::Char(c) => s.push(c),
            KeyCodeOrd::F(n) => s.push_str(&format!("f{n}")),
            KeyCodeOrd::Named(n) => {
                let name = NAMES
                    .iter()
                    .find(|(_, k)| *k == n)
                    .map(|(s, _)| *s)
                    .unwrap_or("?");
                let pretty = match name {
                    "up" => "↑",
                    "down" => "↓",
                    "left" => "←",
                    "right" => "→",
                    "pagedown" => "PgDn",
                    "pageup" => "PgUp",
                    "enter" => "Enter",
                    "esc" => "Esc",
                    "tab" => "Tab",
                    "backtab" => "S-Tab",
                    other => other,
                };
                s.push_str(pretty);
            }
        }
        s
    }
}

/// The Latin letter on the same physical key of a Russian ЙЦУКЕН keyboard (`й` → `q`), so
/// single-letter commands work without switching layout.
pub fn latin_equivalent(c: char) -> Option<char> {
    const RU: &str = "йцукенгшщзхъфывапролджэячсмитьбю";
    const EN: &str = "qwertyuiop[]asdfghjkl;'zxcvbnm,.";
    let lower = c.to_lowercase().next()?;
    let index = RU.chars().position(|r| r == lower)?;
    EN.chars().nth(index)
}

/// The bindings in force: key → action.
#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: BTreeMap<Key, Action>,
}

impl Keymap {
    /// The shipped defaults.
    pub fn defaults() -> Keymap {
        let mut k = Keymap {
            bindings: BTreeMap::new(),
        };
        // The embedded file is covered by a test; a failure here would leave only the override.
        let _ = k.apply(DEFAULT_KEYMAP);
        k
    }

    /// The defaults with a user's keymap file text applied on top.
    pub fn with_override(text: &str) -> Result<Keymap, String> {
        let mut k = Keymap::defaults();
        k.apply(text)?;
        Ok(k)
    }

    fn apply(&mut self, text: &str) -> Result<(), String> {
        let table: BTreeMap<String, String> =
            toml::from_str(text).map_err(|e| crate::toml_error::describe(text, &e))?;
        for (key_text, action_text) in table {
            let key = Key::parse(&key_text).ok_or_else(|| {
                // Escaped, so a name holding a line break still gives a one-line sentence.
                format!(
                    "\"{}\" is not a key name (e.g. q, ctrl-c, pagedown, f1)",
                    key_text.escape_debug()
                )
            })?;
            if action_text == "none" {
                self.bindings.remove(&key);
                continue;
            }
            let action: Action = serde_json::from_value(serde_json::Value::String(
                action_text.clone(),
            ))
            .map_err(|_| {
                format!(
                    "\"{}\" (bound to {}) is not an action of acodesk",
                    action_text.escape_debug(),
                    key_text.escape_debug()
                )
            })?;
            self.bindings.insert(key, action);
        }
        Ok(())
    }

    /// The action bound to a key event, if any.
    pub fn action_for(&self, e: &KeyEvent) -> Option<Action> {
        let key = Key::from_event(e)?;
        // Shifted punctuation ('?') arrives with SHIFT set; bindings name the character only,
        // which is why `Key` does not record shift. A Russian layout sends Cyrillic letters for
        // the same physical keys: fall back to the Latin letter on that key.
        self.bindings.get(&key).copied().or_else(|| match key.code {
            KeyCodeOrd::Char(c) => {
                let latin = latin_equivalent(c)?;
                // A capital (Shift+Д) finds the capital's binding (L) first, else the letter's.
                let upper = c.is_uppercase().then(|| Key {
                    code: KeyCodeOrd::Char(latin.to_ascii_uppercase()),
                    ..key
                });
                let lower = Key {
                    code: KeyCodeOrd::Char(latin),
                    ..key
                };
                upper
                    .and_then(|k| self.bindings.get(&k).copied())
                    .or_else(|| self.bindings.get(&lower).copied())
            }
            _ => None,
        })
    }

    /// The keys bound to an action, in a stable order (for hints and help).
    pub fn keys_for(&self, action: Action) -> Vec<Key> {
        self.bindings
            .iter()
            .filter(|(_, a)| **a == action)
            .map(|(k, _)| *k)
            .collect()
    }

    /// The first key for an action, written for a hint ("q", "?").
    pub fn hint(&self, action: Action) -> Option<String> {
        // Prefer a plain character or a named key over ctrl combinations.
        let keys = self.keys_for(action);
        if action == Action::Search {
            // Search is named by every plain key, "/" first: on a Russian layout that key types
            // ".", so the footer shows both ("/ .").
            let mut plain: Vec<&Key> = keys.iter().filter(|k| !k.ctrl && !k.alt).collect();
            plain.sort_by_key(|k| k.code != KeyCodeOrd::Char('/'));
            if !plain.is_empty() {
                return Some(
                    plain
                        .iter()
                        .map(|k| k.label())
                        .collect::<Vec<_>>()
                        .join(" "),
                );
            }
        }
        keys.iter()
            .find(|k| !k.ctrl && !k.alt)
            .or(keys.first())
            .map(Key::label)
    }

    /// Every binding, grouped by action in declaration order (for the help overlay).
    pub fn all(&self) -> Vec<(Action, Vec<Key>)> {
        let mut by_action: BTreeMap<String, (Action, Vec<Key>)> = BTreeMap::new();
        for (k, a) in &self.bindings {
            let order = format!("{:02}", *a as u8);
            by_action
                .entry(order)
                .or_insert((*a, Vec::new()))
                .1
                .push(*k);
        }
        by_action.into_values().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_name_with_a_line_break_is_still_one_line() {
        let e = Keymap::with_override("q = \"qu\\nit\"").unwrap_err();
        assert_eq!(e.lines().count(), 1, "{e}");
        assert!(e.contains("qu\\nit"), "{e}");
        let e = Keymap::with_override("\"x\\ny\" = \"quit\"").unwrap_err();
        assert_eq!(e.lines().count(), 1, "{e}");
    }

    #[test]
    fn defaults_parse_and_bind_quit() {
        let mut k = Keymap {
            bindings: BTreeMap::new(),
        };
        k.apply(DEFAULT_KEYMAP).unwrap();
        let q = KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE);
        assert_eq!(k.action_for(&q), Some(Action::Quit));
        assert_eq!(k.hint(Action::Help).as_deref(), Some("?"));
        assert_eq!(k.hint(Action::PageDown).as_deref(), Some("PgDn"));
    }

    #[test]
    fn russian_layout_keys_reach_latin_bindings() {
        let k = Keymap::defaults();
        assert_eq!(latin_equivalent('й'), Some('q'));
        assert_eq!(latin_equivalent('Т'), Some('n'));
        assert_eq!(
            k.action_for(&KeyEvent::new(KeyCode::Char('й'), KeyModifiers::NONE)),
            Some(Action::Quit)
        );
        assert_eq!(
            k.action_for(&KeyEvent::new(KeyCode::Char('с'), KeyModifiers::NONE)),
            Some(Action::LogCall)
        );
    }

    #[test]
    fn user_override_replaces_and_frees_keys() {
        let k = Keymap::with_override("x = \"quit\"\nq = \"none\"").unwrap();
        assert_eq!(
            k.action_for(&KeyEvent::new(KeyCode::Char('x'), KeyModifiers::NONE)),
            Some(Action::Quit)
        );
        assert_eq!(
            k.action_for(&KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE)),
            None
        );
        let e = Keymap::with_override("x = \"fly\"").unwrap_err();
        assert!(e.contains("fly"), "{e}");
        assert!(Keymap::with_override("ctrl- = \"quit\"").is_err());
    }
}
