//! Helpers for reading contract TOML: typed getters on a table that name the dotted key in every
//! error, and a TOML syntax error turned into one sentence.

use super::contract::ContractError;
use crate::domain::money::Money;
use toml::{Table, Value};

/// A table of the file being read, with its dotted path for messages.
pub(super) struct Section<'a> {
    pub(super) origin: &'a str,
    pub(super) path: String,
    pub(super) table: &'a Table,
}

/// The result of reading a contract.
pub(super) type Res<T> = Result<T, ContractError>;

impl<'a> Section<'a> {
    pub(super) fn key(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    pub(super) fn err(&self, key: &str, message: impl Into<String>) -> ContractError {
        ContractError {
            origin: self.origin.to_string(),
            key: Some(self.key(key)),
            message: message.into(),
        }
    }

    /// Rejects keys the schema does not know (a typo would otherwise be silently ignored).
    pub(super) fn only(&self, allowed: &[&str]) -> Res<()> {
        match self.table.keys().find(|k| !allowed.contains(&k.as_str())) {
            Some(unknown) => Err(self.err(
                unknown,
                format!(
                    "this key is not known here, expected {}",
                    allowed.join(", ")
                ),
            )),
            None => Ok(()),
        }
    }

    pub(super) fn sub(&self, key: &str) -> Res<Option<Section<'a>>> {
        match self.table.get(key) {
            None => Ok(None),
            Some(Value::Table(table)) => Ok(Some(Section {
                origin: self.origin,
                path: self.key(key),
                table,
            })),
            Some(_) => Err(self.err(key, "expected a table such as [".to_string() + key + "]")),
        }
    }

    pub(super) fn text(&self, key: &str) -> Res<Option<&'a str>> {
        match self.table.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.as_str())),
            Some(other) => Err(self.err(
                key,
                format!("expected quoted text, found {}", describe(other)),
            )),
        }
    }

    pub(super) fn required_text(&self, key: &str) -> Res<&'a str> {
        match self.text(key)? {
            Some(s) if !s.trim().is_empty() => Ok(s),
            _ => Err(self.err(key, "this key is required and must not be empty")),
        }
    }

    pub(super) fn number(&self, key: &str) -> Res<Option<f64>> {
        match self.table.get(key) {
            None => Ok(None),
            Some(value) => number_of(value).map(Some).ok_or_else(|| {
                self.err(key, format!("expected a number, found {}", describe(value)))
            }),
        }
    }

    pub(super) fn fraction(&self, key: &str) -> Res<Option<f64>> {
        match self.number(key)? {
            Some(x) if !(0.0..=1.0).contains(&x) => Err(self.err(
                key,
                format!("expected a fraction between 0 and 1 (0.5 = 50 %), found {x}"),
            )),
            other => Ok(other),
        }
    }

    pub(super) fn required_fraction(&self, key: &str) -> Res<f64> {
        self.fraction(key)?
            .ok_or_else(|| self.err(key, "this key is required (a fraction such as 0.5)"))
    }

    pub(super) fn fractions(&self, key: &str) -> Res<Option<Vec<f64>>> {
        let Some(value) = self.table.get(key) else {
            return Ok(None);
        };
        let expected = "expected a list of fractions between 0 and 1 such as [0.4, 0.6]";
        let Value::Array(items) = value else {
            return Err(self.err(key, format!("{expected}, found {}", describe(value))));
        };
        let list: Option<Vec<f64>> = items
            .iter()
            .map(|v| number_of(v).filter(|x| (0.0..=1.0).contains(x)))
            .collect();
        match list {
            Some(list) if !list.is_empty() => Ok(Some(list)),
            _ => Err(self.err(key, expected)),
        }
    }

    pub(super) fn money(&self, key: &str) -> Res<Option<Money>> {
        match self.table.get(key) {
            None => Ok(None),
            Some(value) => money_of(value).map(Some).ok_or_else(|| {
                self.err(
                    key,
                    format!(
                        "expected an amount such as \"123456.78\", found {}",
                        describe(value)
                    ),
                )
            }),
        }
    }
}

/// A TOML integer or finite float as f64.
pub(super) fn number_of(value: &Value) -> Option<f64> {
    match value {
        Value::Integer(i) => Some(*i as f64),
        Value::Float(x) if x.is_finite() => Some(*x),
        _ => None,
    }
}

/// A TOML amount: a string "1234.56", an integer, or a float rounded to the cent.
pub(super) fn money_of(value: &Value) -> Option<Money> {
    match value {
        Value::String(s) => Money::parse(s).ok(),
        Value::Integer(i) => i.checked_mul(100).map(Money),
        Value::Float(x) if x.is_finite() => Some(Money::from_f64_rounded(*x)),
        _ => None,
    }
}

/// A value as shown in an error message.
pub(super) fn describe(value: &Value) -> String {
    match value {
        Value::String(s) => format!("\"{s}\""),
        Value::Table(_) => "a table".into(),
        Value::Array(_) => "a list".into(),
        other => other.to_string(),
    }
}

pub(super) fn syntax_error(text: &str, origin: &str, error: &toml::de::Error) -> ContractError {
    let message = crate::toml_error::reason(error);
    let Some(span) = error.span() else {
        return ContractError {
            origin: origin.to_string(),
            key: None,
            message: format!("invalid TOML ({message})"),
        };
    };
    let before = text.get(..span.start).unwrap_or(text);
    let line_no = before.matches('\n').count() + 1;
    let line = text.lines().nth(line_no - 1).unwrap_or("");
    let table = before
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('['))
        .map(|l| l.trim_matches(|c| c == '[' || c == ']').trim().to_string());
    let key = line
        .split_once('=')
        .map(|(k, _)| k.trim())
        .filter(|k| !k.is_empty())
        .map(|k| match &table {
            Some(t) => format!("{t}.{k}"),
            None => k.to_string(),
        });
    ContractError {
        origin: origin.to_string(),
        key,
        message: format!("invalid TOML at line {line_no} ({message})"),
    }
}
