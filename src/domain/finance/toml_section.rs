//! Helpers for reading contract TOML: typed getters on a table that name the dotted key in every
//! error, and a TOML syntax error with its place; all as typed [`ContractError`]s.

use super::contract_error::{ContractError, ContractProblem, Found, place_of};
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

    pub(super) fn err(&self, key: &str, problem: ContractProblem) -> ContractError {
        ContractError::at_key(self.origin, self.key(key), problem)
    }

    /// Rejects keys the schema does not know (a typo would otherwise be silently ignored).
    pub(super) fn only(&self, allowed: &[&str]) -> Res<()> {
        match self.table.keys().find(|k| !allowed.contains(&k.as_str())) {
            Some(unknown) => Err(self.err(
                unknown,
                ContractProblem::UnknownKey {
                    expected: allowed.iter().map(|k| k.to_string()).collect(),
                },
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
            Some(_) => Err(self.err(
                key,
                ContractProblem::ExpectedTable {
                    name: self.key(key),
                },
            )),
        }
    }

    pub(super) fn text(&self, key: &str) -> Res<Option<&'a str>> {
        match self.table.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.as_str())),
            Some(other) => Err(self.err(
                key,
                ContractProblem::ExpectedText {
                    found: describe(other),
                },
            )),
        }
    }

    pub(super) fn required_text(&self, key: &str) -> Res<&'a str> {
        match self.text(key)? {
            Some(s) if !s.trim().is_empty() => Ok(s),
            _ => Err(self.err(key, ContractProblem::RequiredText)),
        }
    }

    pub(super) fn number(&self, key: &str) -> Res<Option<f64>> {
        match self.table.get(key) {
            None => Ok(None),
            Some(value) => number_of(value).map(Some).ok_or_else(|| {
                self.err(
                    key,
                    ContractProblem::ExpectedNumber {
                        found: describe(value),
                    },
                )
            }),
        }
    }

    pub(super) fn fraction(&self, key: &str) -> Res<Option<f64>> {
        match self.number(key)? {
            Some(x) if !(0.0..=1.0).contains(&x) => {
                Err(self.err(key, ContractProblem::NotAFraction { found: x }))
            }
            other => Ok(other),
        }
    }

    pub(super) fn required_fraction(&self, key: &str) -> Res<f64> {
        self.fraction(key)?
            .ok_or_else(|| self.err(key, ContractProblem::RequiredFraction))
    }

    pub(super) fn fractions(&self, key: &str) -> Res<Option<Vec<f64>>> {
        let Some(value) = self.table.get(key) else {
            return Ok(None);
        };
        let Value::Array(items) = value else {
            return Err(self.err(
                key,
                ContractProblem::ExpectedFractions {
                    found: Some(describe(value)),
                },
            ));
        };
        let list: Option<Vec<f64>> = items
            .iter()
            .map(|v| number_of(v).filter(|x| (0.0..=1.0).contains(x)))
            .collect();
        match list {
            Some(list) if !list.is_empty() => Ok(Some(list)),
            _ => Err(self.err(key, ContractProblem::ExpectedFractions { found: None })),
        }
    }

    pub(super) fn money(&self, key: &str) -> Res<Option<Money>> {
        match self.table.get(key) {
            None => Ok(None),
            Some(value) => money_of(value).map(Some).ok_or_else(|| {
                self.err(
                    key,
                    ContractProblem::ExpectedAmount {
                        found: describe(value),
                    },
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

/// A value as an error names it.
pub(super) fn describe(value: &Value) -> Found {
    match value {
        Value::String(s) => Found::Literal(format!("\"{s}\"")),
        Value::Table(_) => Found::Table,
        Value::Array(_) => Found::List,
        other => Found::Literal(other.to_string()),
    }
}

/// A TOML syntax error: the parser's reason, the place it names, and the key on that line when
/// any (the table above it joined on).
pub(super) fn syntax_error(text: &str, origin: &str, error: &toml::de::Error) -> ContractError {
    let reason = error
        .message()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("; ");
    let problem = ContractProblem::Syntax { reason };
    let Some(span) = error.span() else {
        return ContractError {
            origin: origin.to_string(),
            key: None,
            place: None,
            problem: Box::new(problem),
        };
    };
    let place = place_of(text, span.start);
    let before = text.get(..span.start).unwrap_or(text);
    let line = text
        .lines()
        .nth(usize::try_from(place.line).unwrap_or(1).saturating_sub(1))
        .unwrap_or("");
    let table = before
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('['))
        .map(|l| l.trim_matches(|c| c == '[' || c == ']').trim().to_string());
    let key = line
        .split_once('=')
        .map(|(k, _)| k.trim())
        .filter(|k| !k.is_empty() && !k.starts_with('#') && !k.starts_with('['))
        .map(|k| match &table {
            Some(t) => format!("{t}.{k}"),
            None => k.to_string(),
        });
    ContractError {
        origin: origin.to_string(),
        key,
        place: Some(place),
        problem: Box::new(problem),
    }
}
