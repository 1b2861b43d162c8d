//! Why a contract could not be read, as a typed value: the file, the dotted key, the line and
//! column, and what is wrong with it ([`ContractProblem`]), with no prose.
//!
//! The domain does no presentation: the sentence, in English or Russian, is written where the
//! error reaches the user (`src/i18n/contract.rs`), from the messages `contract-problem-*` in
//! `assets/i18n/*.ftl`.

/// A 1-based line and column (in characters) in a contract file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    /// The line, from 1.
    pub line: u64,
    /// The column in characters, from 1.
    pub column: u64,
}

/// A value found where another was expected, as the message shows it.
#[derive(Debug, Clone, PartialEq)]
pub enum Found {
    /// A scalar as written in TOML: `"half"`, `10`, `true`.
    Literal(String),
    /// A table.
    Table,
    /// A list.
    List,
}

/// What is wrong with a contract file. Each variant carries the values its sentence names; the
/// key and the place are on [`ContractError`].
#[derive(Debug, Clone, PartialEq)]
pub enum ContractProblem {
    /// The text is not TOML: the parser's own reason (as the `toml` crate words it; translated
    /// where it reaches the user).
    Syntax {
        /// The parser's reason, e.g. `invalid float, expected newline`.
        reason: String,
    },
    /// A key the schema does not know at this place (a typo would otherwise be ignored).
    UnknownKey {
        /// The keys allowed here.
        expected: Vec<String>,
    },
    /// A table was expected (`[name]`).
    ExpectedTable {
        /// The table's own name.
        name: String,
    },
    /// A required table is missing.
    TableRequired {
        /// The table's name.
        name: String,
    },
    /// A required text is missing or empty.
    RequiredText,
    /// A required key is missing; `example` shows a value.
    Required {
        /// A value such as `[0.4, 0.6]`.
        example: String,
    },
    /// `msr.rate` is missing with `rule = "fixed"`.
    RequiredWithFixed {
        /// A value such as `0.02`.
        example: String,
    },
    /// Quoted text was expected.
    ExpectedText {
        /// What was found.
        found: Found,
    },
    /// A number was expected.
    ExpectedNumber {
        /// What was found.
        found: Found,
    },
    /// A fraction between 0 and 1 was expected.
    NotAFraction {
        /// The number found.
        found: f64,
    },
    /// A required fraction is missing.
    RequiredFraction,
    /// A non-empty list of fractions between 0 and 1 was expected.
    ExpectedFractions {
        /// What was found, when it is not a list at all.
        found: Option<Found>,
    },
    /// An amount of money was expected.
    ExpectedAmount {
        /// What was found.
        found: Found,
    },
    /// The amount must be above zero.
    NotPositiveAmount,
    /// An id of letters, digits and dashes was expected.
    IdCharacters,
    /// A three-letter ISO currency code was expected.
    CurrencyCode,
    /// A list of claim categories was expected.
    ExpectedCategories {
        /// The category codes allowed.
        expected: Vec<String>,
        /// What was found.
        found: Found,
    },
    /// Both `per_person_year` and `[benchmark.from_baseline]` are given.
    BenchmarkBoth,
    /// The baseline weights do not sum to 1.
    WeightsSum {
        /// Their sum.
        total: f64,
    },
    /// The trend must be a positive factor.
    TrendNotPositive,
    /// The baseline spend list has the wrong length or an entry that is not an amount.
    SpendCount {
        /// One amount per weight.
        count: usize,
    },
    /// The baseline spend is not a list.
    ExpectedAmounts {
        /// What was found.
        found: Found,
    },
    /// `z` and `floor` only go with `rule = "spread"`.
    OnlyWithSpread,
    /// `rate` only goes with `rule = "fixed"`.
    OnlyWithFixed,
    /// One of a few words was expected.
    Choice {
        /// The words allowed.
        expected: Vec<String>,
        /// The word found.
        found: String,
    },
    /// `losses.min_rate` exceeds `losses.max_rate`.
    MinAboveMax,
    /// A completion factor is 0 or below.
    LagNotPositive,
    /// Seasonality must be 12 positive weights.
    Seasonality,
    /// A value outside its plausible range (`--force` accepts it deliberately).
    OutOfRange {
        /// The value.
        found: f64,
        /// The lowest plausible value.
        min: f64,
        /// The highest plausible value.
        max: f64,
        /// The list entry at fault, when the key holds a list (a month's seasonality weight).
        entry: Option<usize>,
    },
    /// A completion factor is not in (0, 1].
    LagAboveOne {
        /// The lag in months (the list's index).
        lag: usize,
        /// The factor.
        found: f64,
    },
    /// A completion factor falls below the one before it.
    LagFalls {
        /// The lag in months (the list's index).
        lag: usize,
        /// The factor.
        found: f64,
        /// The factor of the lag before.
        previous: f64,
    },
    /// There is no embedded preset of that id.
    NoSuchPreset {
        /// The preset ids.
        expected: Vec<String>,
    },
}

impl ContractProblem {
    /// The list entry the problem is about, when it is one entry of a list (the completion
    /// factor of a lag): the place then points at that entry.
    fn entry(&self) -> Option<usize> {
        match self {
            ContractProblem::LagAboveOne { lag, .. } | ContractProblem::LagFalls { lag, .. } => {
                Some(*lag)
            }
            ContractProblem::OutOfRange { entry, .. } => *entry,
            _ => None,
        }
    }

    /// True when the problem is a value outside its plausible range, which `--force` accepts.
    pub fn is_implausible(&self) -> bool {
        matches!(
            self,
            ContractProblem::OutOfRange { .. }
                | ContractProblem::LagAboveOne { .. }
                | ContractProblem::LagFalls { .. }
        )
    }
}

/// Why a contract could not be loaded: the file, the key and place when known, and the problem.
#[derive(Debug, Clone, PartialEq)]
pub struct ContractError {
    /// The file (or preset) the contract came from, as the user named it.
    pub origin: String,
    /// The dotted key at fault, e.g. `sharing.max_rate`, when known.
    pub key: Option<String>,
    /// The line and column of the value (or key) at fault, when it is in the text.
    pub place: Option<Place>,
    /// What is wrong (boxed: the error stays small on the `Ok` path's side).
    pub problem: Box<ContractProblem>,
}

impl ContractError {
    /// An error about `key` (dotted) of the file `origin`; the place is found later from the text
    /// ([`ContractError::located`]).
    pub fn at_key(origin: &str, key: impl Into<String>, problem: ContractProblem) -> ContractError {
        ContractError {
            origin: origin.to_string(),
            key: Some(key.into()),
            place: None,
            problem: Box::new(problem),
        }
    }

    /// Fills in the line and column of the key at fault from the contract's `text`: the value's
    /// place (the list entry's, for a problem with one entry), or the key's own for a key the
    /// schema does not know. Left empty when the key is not in the text (a missing key).
    pub fn located(mut self, text: &str) -> ContractError {
        if self.place.is_some() {
            return self;
        }
        let Some(key) = self.key.as_deref() else {
            return self;
        };
        let at_key = matches!(*self.problem, ContractProblem::UnknownKey { .. });
        if let Some(offset) = offset_of(text, key, at_key, self.problem.entry()) {
            self.place = Some(place_of(text, offset));
        }
        self
    }
}

/// The byte offset of dotted `key` in `text`: its value's start (or the key's own when `at_key`),
/// or entry `entry` of its list value.
fn offset_of(text: &str, key: &str, at_key: bool, entry: Option<usize>) -> Option<usize> {
    use toml::de::{DeTable, DeValue};
    let document = DeTable::parse(text).ok()?;
    let mut table = document.get_ref();
    let mut parts = key.split('.').peekable();
    while let Some(part) = parts.next() {
        let (name, value) = table.get_key_value(part)?;
        if parts.peek().is_none() {
            if at_key {
                return Some(name.span().start);
            }
            if let (Some(i), DeValue::Array(items)) = (entry, value.get_ref())
                && let Some(item) = items.get(i)
            {
                return Some(item.span().start);
            }
            return Some(value.span().start);
        }
        match value.get_ref() {
            DeValue::Table(inner) => table = inner,
            _ => return Some(value.span().start),
        }
    }
    None
}

/// The 1-based line and column (in characters) of byte `offset` in `text`.
pub fn place_of(text: &str, offset: usize) -> Place {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() as u64 + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() as u64 + 1;
    Place { line, column }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_not_bytes() {
        let at = |text, offset| {
            let p = place_of(text, offset);
            (p.line, p.column)
        };
        assert_eq!(at("ключ = 1\nабв = x", 13), (2, 1));
        assert_eq!(at("ключ = 1\nабв = x", 17), (2, 3));
        assert_eq!(at("ключ", 4), (1, 3));
        assert_eq!(at("ключ", 3), (1, 2));
    }

    #[test]
    fn a_key_is_found_at_its_value_its_name_or_its_entry() {
        let text = "id = \"x\"\n[claims]\nlag_completion = [0.6, 0.5, 1.0]\n";
        let error =
            |key: &str, problem| ContractError::at_key("f.toml", key, problem).located(text);
        let e = error(
            "claims.lag_completion",
            ContractProblem::LagFalls {
                lag: 1,
                found: 0.5,
                previous: 0.6,
            },
        );
        assert_eq!(
            e.place,
            Some(Place {
                line: 3,
                column: 24
            })
        );
        let e = error("claims.lag_completion", ContractProblem::Seasonality);
        assert_eq!(
            e.place,
            Some(Place {
                line: 3,
                column: 18
            })
        );
        let unknown = ContractProblem::UnknownKey {
            expected: Vec::new(),
        };
        assert_eq!(
            error("claims.lag_completion", unknown).place,
            Some(Place { line: 3, column: 1 })
        );
        assert_eq!(
            error("claims.seasonality", ContractProblem::Seasonality).place,
            None
        );
    }
}
