//! Reading FHIR JSON values without trusting them: every accessor tolerates a missing element or a
//! value of the wrong JSON type, and the ones that must refuse say which FHIR path is wrong.

use crate::domain::dates::{normalise_timestamp, parse_date};
use crate::domain::money::Money;
use crate::i18n::msg;
use crate::import::csv_file::{date_problem, timestamp_problem};
use chrono::NaiveDate;
use serde_json::Value;

/// One bad element of a resource: its FHIR path (`Encounter.period.start`) and what is wrong with
/// it and what was expected, as one sentence. The reader adds the file and the line or entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Bad {
    /// The FHIR path of the element at fault.
    pub field: String,
    /// What is wrong and what was expected.
    pub message: String,
}

/// Builds a [`Bad`].
pub fn bad(field: impl Into<String>, message: impl Into<String>) -> Bad {
    Bad {
        field: field.into(),
        message: message.into(),
    }
}

/// The largest amount of money accepted on one line, in currency units (a guard against garbage).
const MAX_AMOUNT: f64 = 1e11;

/// A string element, trimmed; `None` when absent, empty or not a string.
pub fn text<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// An array element as a slice; empty when absent or not an array.
pub fn array<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

/// The first element of an array element, or the element itself when it is not an array (FHIR R5
/// turned a few single elements, such as `Encounter.class`, into lists).
pub fn first<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    match v.get(key)? {
        Value::Array(items) => items.first(),
        other => Some(other),
    }
}

/// The `reference` of a Reference element, trimmed; `None` when absent.
pub fn reference<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(|r| text(r, "reference"))
}

/// One coding of a CodeableConcept: system, code and display (empty strings when absent).
#[derive(Debug, Clone, Copy)]
pub struct Code<'a> {
    /// The code system URI.
    pub system: &'a str,
    /// The code.
    pub code: &'a str,
    /// The human-readable display, when written.
    pub display: &'a str,
}

/// The codings of a CodeableConcept, or of a bare Coding (R4 `Encounter.class` is one).
pub fn codings(concept: Option<&Value>) -> Vec<Code<'_>> {
    let Some(c) = concept else {
        return Vec::new();
    };
    let mut out: Vec<Code<'_>> = array(c, "coding").iter().filter_map(code_of).collect();
    if out.is_empty() {
        if let Some(code) = code_of(c) {
            out.push(code);
        }
    }
    out
}

fn code_of(v: &Value) -> Option<Code<'_>> {
    let code = text(v, "code")?;
    Some(Code {
        system: text(v, "system").unwrap_or(""),
        code,
        display: text(v, "display").unwrap_or(""),
    })
}

/// True when a CodeableConcept (or Coding) carries one of `codes` (any case), or its text or a
/// display equals one of them.
pub fn concept_is(concept: Option<&Value>, codes: &[&str]) -> bool {
    let Some(c) = concept else {
        return false;
    };
    let matches = |s: &str| codes.iter().any(|k| s.eq_ignore_ascii_case(k));
    codings(Some(c))
        .iter()
        .any(|k| matches(k.code) || matches(k.display))
        || text(c, "text").is_some_and(matches)
}

fn not_text(field: &str, what_key: &str) -> Bad {
    bad(
        field,
        msg(
            "import-fhir-not-string",
            &[("expected", msg(what_key, &[]).as_str().into())],
        ),
    )
}

/// `d`, a birth, service or observation date written in `field`, when it can be true: from 1900
/// to two years past the import's as-of date ([`crate::domain::dates::check_plausible`]).
pub fn plausible(d: NaiveDate, field: &str) -> Result<NaiveDate, Bad> {
    crate::domain::dates::check_plausible(
        d,
        &d.format("%Y-%m-%d").to_string(),
        crate::import::as_of(),
    )
    .map(|()| d)
    .map_err(|p| bad(field, crate::import::csv_file::date_sentence(&p)))
}

/// A full date (`2024-03-05`, or the date part of a timestamp as written), when present.
pub fn date(v: &Value, key: &str, field: &str) -> Result<Option<NaiveDate>, Bad> {
    match v.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => parse_date(s)
            .map(Some)
            .map_err(|_| bad(field, date_problem(s))),
        Some(_) => Err(not_text(field, "import-fhir-expected-date")),
    }
}

/// A FHIR date that may be partial (`1950`, `1950-07`): the first day of the year or month.
pub fn partial_date(v: &Value, key: &str, field: &str) -> Result<Option<NaiveDate>, Bad> {
    let Some(s) = text(v, key) else {
        return date(v, key, field);
    };
    let padded = match s.len() {
        4 => format!("{s}-01-01"),
        7 => format!("{s}-01"),
        _ => return date(v, key, field),
    };
    parse_date(&padded).map(Some).map_err(|_| {
        bad(
            field,
            msg("import-fhir-bad-partial-date", &[("value", s.into())]),
        )
    })
}

/// A timestamp as written, normalised to `YYYY-MM-DDTHH:MM:SS` without any time-zone conversion.
pub fn timestamp(v: &Value, key: &str, field: &str) -> Result<Option<String>, Bad> {
    match v.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => normalise_timestamp(s)
            .map(Some)
            .map_err(|m| bad(field, timestamp_problem(s, &m))),
        Some(_) => Err(not_text(field, "import-fhir-expected-date-time")),
    }
}

/// A decimal element, when present.
pub fn number(v: &Value, key: &str, field: &str) -> Result<Option<f64>, Bad> {
    match v.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => match n.as_f64() {
            Some(x) if x.is_finite() => Ok(Some(x)),
            _ => Err(bad(
                field,
                msg(
                    "import-fhir-number-out-of-range",
                    &[("value", n.to_string().as_str().into())],
                ),
            )),
        },
        Some(other) => Err(bad(
            field,
            msg(
                "import-fhir-not-number",
                &[("value", other.to_string().as_str().into())],
            ),
        )),
    }
}

/// The `value` of a Money element (`{"value": 12.5, "currency": "USD"}`), rounded to the cent.
pub fn money(v: &Value, key: &str, field: &str) -> Result<Option<Money>, Bad> {
    let Some(m) = v.get(key) else {
        return Ok(None);
    };
    let field = format!("{field}.value");
    let Some(x) = number(m, "value", &field)? else {
        return Ok(None);
    };
    if x.abs() > MAX_AMOUNT {
        return Err(bad(
            field,
            msg(
                "import-fhir-implausible-amount",
                &[
                    ("value", x.to_string().as_str().into()),
                    ("max", MAX_AMOUNT.to_string().as_str().into()),
                ],
            ),
        ));
    }
    Ok(Some(Money::from_f64_rounded(x)))
}

/// Adds amounts without ever overflowing (a saturated sum is already absurd).
pub fn add(a: Money, b: Money) -> Money {
    Money(a.minor().saturating_add(b.minor()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn accessors_tolerate_wrong_types() {
        let v = json!({"a": 5, "b": " x ", "c": [1, 2], "d": {"reference": "Patient/1"}});
        assert_eq!(text(&v, "a"), None);
        assert_eq!(text(&v, "b"), Some("x"));
        assert_eq!(array(&v, "c").len(), 2);
        assert!(array(&v, "b").is_empty());
        assert_eq!(reference(&v, "d"), Some("Patient/1"));
        assert!(date(&v, "a", "X.a").is_err());
        assert_eq!(date(&v, "zz", "X.zz"), Ok(None));
        assert!(number(&v, "b", "X.b").is_err());
    }

    #[test]
    fn dates_partial_and_timestamps() {
        let v = json!({"y": "1950", "m": "1950-07", "d": "2021-13-01", "t": "2021-03-04T23:30:00-08:00"});
        assert_eq!(
            partial_date(&v, "y", "b").unwrap(),
            NaiveDate::from_ymd_opt(1950, 1, 1)
        );
        assert_eq!(
            partial_date(&v, "m", "b").unwrap(),
            NaiveDate::from_ymd_opt(1950, 7, 1)
        );
        let e = date(&v, "d", "Encounter.period.start").unwrap_err();
        assert_eq!(e.field, "Encounter.period.start");
        assert!(
            e.message.starts_with("\"2021-13-01\" is not a date"),
            "{e:?}"
        );
        assert_eq!(
            timestamp(&v, "t", "t").unwrap().as_deref(),
            Some("2021-03-04T23:30:00")
        );
    }

    #[test]
    fn codings_of_concepts_and_bare_codings() {
        let cc = json!({"coding": [{"system": "s", "code": "A"}], "text": "Elective"});
        assert_eq!(codings(Some(&cc))[0].code, "A");
        let bare = json!({"system": "s", "code": "IMP"});
        assert_eq!(codings(Some(&bare))[0].code, "IMP");
        assert!(concept_is(Some(&cc), &["elective"]));
        assert!(concept_is(Some(&bare), &["imp"]));
        assert!(!concept_is(None, &["imp"]));
    }
}
