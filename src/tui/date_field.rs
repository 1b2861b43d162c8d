//! A date typed as people type it: digits fill the mask (`дд.мм.гггг` in Russian style,
//! `yyyy-mm-dd` in ISO style) and the separators are placed for you; Backspace takes the last
//! digit back; `+`/`-` move a day and PgDn/PgUp a week; the quick picks put the date 1, 7, 14 or
//! 30 days ahead of today (as Simple's overdue list offers for a call-back); an impossible date
//! (31.02, month 13, an unfinished date) is refused with a sentence saying what is wrong.
//!
//! One component for every date field of the dashboard (the call form's agreed visit, call-back
//! and date of death): it knows no form, only keys, today and the date style.

use crate::i18n::{DateStyle, I18n};
use chrono::{Datelike, Days, NaiveDate};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Digits in a complete date.
const FULL: usize = 8;
/// The earliest year the field accepts (a typo like 0026 is refused, not stored).
const MIN_YEAR: i32 = 1900;
/// The latest year the field accepts.
const MAX_YEAR: i32 = 2199;

/// The quick picks: the key on the Latin layout, the same physical key on the Russian one, and
/// the days from today (Simple's "in 1 day, 7, 14, 30 days").
pub const QUICK_PICKS: &[(char, char, u64)] =
    &[('t', 'е', 1), ('w', 'ц', 7), ('f', 'а', 14), ('m', 'ь', 30)];

/// Why the typed text is not a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateError {
    /// Some digits are missing.
    Incomplete,
    /// The digits name no day of the calendar (31.02, month 13, year 0026).
    NoSuchDate,
}

impl DateError {
    /// The sentence shown under the field, in the user's language, with the mask to follow.
    pub fn message(self, i18n: &I18n, typed: &str) -> String {
        let mask = mask(i18n, i18n.fmt.date_style);
        let key = match self {
            DateError::Incomplete => "date-error-incomplete",
            DateError::NoSuchDate => "date-error-no-such-date",
        };
        i18n.t_args(
            key,
            &[("typed", typed.into()), ("mask", mask.as_str().into())],
        )
    }
}

/// What a key did to the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateKey {
    /// The key edited the field.
    Edited,
    /// The key belongs to the field but could not act: the date as it stands is not one.
    Refused(DateError),
    /// Not a key of the field: the form may use it.
    Ignored,
}

/// The mask of a date style in the user's language (`дд.мм.гггг`, `yyyy-mm-dd`).
pub fn mask(i18n: &I18n, style: DateStyle) -> String {
    i18n.t(match style {
        DateStyle::Russian => "date-mask-dmy",
        DateStyle::Iso => "date-mask-ymd",
    })
}

/// The state of a date field: the digits typed so far, in the order of the style.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateField {
    style: DateStyle,
    digits: String,
    /// The date was filled in by the program (a default, a quick pick, `+`/`-`): the next digit
    /// typed starts a new date instead of being refused as a ninth.
    filled: bool,
}

impl DateField {
    /// An empty field in `style`.
    pub fn new(style: DateStyle) -> DateField {
        DateField {
            style,
            digits: String::new(),
            filled: false,
        }
    }

    /// A field holding `date` (or empty).
    pub fn with(style: DateStyle, date: Option<NaiveDate>) -> DateField {
        let mut f = DateField::new(style);
        f.set(date);
        f
    }

    /// Replaces the content with `date` (`None`: empty).
    pub fn set(&mut self, date: Option<NaiveDate>) {
        self.digits = match date {
            None => String::new(),
            Some(d) => match self.style {
                DateStyle::Russian => d.format("%d%m%Y").to_string(),
                DateStyle::Iso => d.format("%Y%m%d").to_string(),
            },
        };
        self.filled = date.is_some();
    }

    /// True when nothing is typed.
    pub fn is_empty(&self) -> bool {
        self.digits.is_empty()
    }

    /// The digits typed so far with their separators, as shown: `05.1`, `05.12.`, `2026-`.
    pub fn text(&self) -> String {
        let (first, second, sep) = self.layout();
        let mut out = String::with_capacity(10);
        for (i, c) in self.digits.chars().enumerate() {
            out.push(c);
            let typed = i + 1;
            if (typed == first || typed == first + second) && typed < FULL {
                out.push(sep);
            }
        }
        out
    }

    /// The part of the mask still to type, to show dimmed after [`DateField::text`]
    /// (`м.гггг` after `05.1` in Russian, `m.yyyy` in English).
    pub fn rest_of_mask(&self, i18n: &I18n) -> String {
        mask(i18n, self.style)
            .chars()
            .skip(self.text().chars().count())
            .collect()
    }

    /// The date, `None` when the field is empty; an error when it is unfinished or impossible.
    pub fn value(&self) -> Result<Option<NaiveDate>, DateError> {
        if self.digits.is_empty() {
            return Ok(None);
        }
        if self.digits.len() < FULL {
            return Err(DateError::Incomplete);
        }
        let n = |r: std::ops::Range<usize>| self.digits.get(r).and_then(|s| s.parse::<u32>().ok());
        let (y, m, d) = match self.style {
            DateStyle::Russian => (n(4..8), n(2..4), n(0..2)),
            DateStyle::Iso => (n(0..4), n(4..6), n(6..8)),
        };
        let (Some(y), Some(m), Some(d)) = (y, m, d) else {
            return Err(DateError::NoSuchDate);
        };
        let y = i32::try_from(y).map_err(|_| DateError::NoSuchDate)?;
        if !(MIN_YEAR..=MAX_YEAR).contains(&y) {
            return Err(DateError::NoSuchDate);
        }
        NaiveDate::from_ymd_opt(y, m, d)
            .map(Some)
            .ok_or(DateError::NoSuchDate)
    }

    /// Handles one key. `today` anchors the quick picks and `+`/`-` on an empty field; `pick_day`
    /// may move a picked date (the form moves it to a business day).
    pub fn on_key(
        &mut self,
        key: KeyEvent,
        today: NaiveDate,
        pick_day: impl Fn(NaiveDate) -> NaiveDate,
    ) -> DateKey {
        if key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
        {
            return DateKey::Ignored;
        }
        match key.code {
            KeyCode::Backspace => {
                self.digits.pop();
                self.filled = false;
                DateKey::Edited
            }
            KeyCode::Delete => {
                self.set(None);
                DateKey::Edited
            }
            KeyCode::PageDown => self.shift(7, today),
            KeyCode::PageUp => self.shift(-7, today),
            KeyCode::Char('+') => self.shift(1, today),
            // In ISO style `-` is also the separator: it separates while a part is half typed.
            KeyCode::Char('-') if self.style == DateStyle::Iso && self.half_typed() => {
                self.separator('-')
            }
            KeyCode::Char('-') => self.shift(-1, today),
            KeyCode::Char(c) if c.is_ascii_digit() => self.digit(c),
            KeyCode::Char(c @ ('.' | '/' | ',' | ' ')) => self.separator(c),
            KeyCode::Char(c) => {
                let latin = crate::tui::keymap::latin_equivalent(c)
                    .unwrap_or(c)
                    .to_ascii_lowercase();
                match QUICK_PICKS.iter().find(|(k, _, _)| *k == latin) {
                    Some((_, _, days)) => {
                        let date = today.checked_add_days(Days::new(*days)).unwrap_or(today);
                        self.set(Some(pick_day(date)));
                        DateKey::Edited
                    }
                    None => DateKey::Ignored,
                }
            }
            _ => DateKey::Ignored,
        }
    }

    /// The lengths of the first two parts and the separator of the style.
    fn layout(&self) -> (usize, usize, char) {
        match self.style {
            DateStyle::Russian => (2, 2, '.'),
            DateStyle::Iso => (4, 2, '-'),
        }
    }

    /// Some digits typed, the date not complete.
    fn half_typed(&self) -> bool {
        !self.digits.is_empty() && self.digits.len() < FULL
    }

    fn digit(&mut self, c: char) -> DateKey {
        if self.filled {
            // A date the program filled in: typing starts a new one.
            self.digits.clear();
            self.filled = false;
        }
        if self.digits.len() >= FULL {
            return DateKey::Refused(DateError::NoSuchDate);
        }
        self.digits.push(c);
        match self.value() {
            Err(DateError::NoSuchDate) => DateKey::Refused(DateError::NoSuchDate),
            _ => DateKey::Edited,
        }
    }

    /// A separator typed after one digit of a day or month pads it (`5.` → `05.`); elsewhere it
    /// is already placed and changes nothing. In ISO style a dot after a day's one or two digits
    /// says the date is written day first (`02.11.2026`): the field follows.
    fn separator(&mut self, c: char) -> DateKey {
        if self.style == DateStyle::Iso && c == '.' && (1..=2).contains(&self.digits.len()) {
            self.style = DateStyle::Russian;
        }
        let (first, _, _) = self.layout();
        let n = self.digits.len();
        let pad_at = match self.style {
            // Day then month: one digit of either is padded.
            DateStyle::Russian if n == 1 || n == first + 1 => Some(n - 1),
            // Year first: only the month can be one digit.
            DateStyle::Iso if n == first + 1 => Some(n - 1),
            _ => None,
        };
        if let Some(at) = pad_at {
            self.digits.insert(at, '0');
        }
        self.filled = false;
        DateKey::Edited
    }

    /// Moves the date `days` (negative: back); an empty field starts from today.
    fn shift(&mut self, days: i64, today: NaiveDate) -> DateKey {
        let base = match self.value() {
            Ok(Some(d)) => d,
            Ok(None) => today,
            Err(e) => return DateKey::Refused(e),
        };
        let moved = if days >= 0 {
            base.checked_add_days(Days::new(days.unsigned_abs()))
        } else {
            base.checked_sub_days(Days::new(days.unsigned_abs()))
        };
        match moved.filter(|d| (MIN_YEAR..=MAX_YEAR).contains(&d.year())) {
            Some(d) => {
                self.set(Some(d));
                DateKey::Edited
            }
            None => DateKey::Refused(DateError::NoSuchDate),
        }
    }
}

/// The field as drawn: the digits typed (bold), a cursor when it has the focus, the rest of the
/// mask (dimmed) and, for a complete date, its weekday.
pub fn spans(
    field: &DateField,
    i18n: &I18n,
    theme: &crate::tui::theme::Theme,
    focused: bool,
) -> Vec<ratatui::text::Span<'static>> {
    use ratatui::style::Modifier;
    use ratatui::text::Span;
    let mut out = vec![Span::styled(
        field.text(),
        theme.text.add_modifier(Modifier::BOLD),
    )];
    if focused {
        out.push(Span::styled("▏", theme.key));
        out.push(Span::styled(field.rest_of_mask(i18n), theme.dim));
    }
    if let Ok(Some(d)) = field.value() {
        out.push(Span::styled(format!(" ({})", weekday(i18n, d)), theme.dim));
    }
    out
}

/// The hint under a date field: its keys and the quick picks, in the user's language.
pub fn hint(i18n: &I18n) -> String {
    let picks: Vec<String> = QUICK_PICKS
        .iter()
        .map(|(key, ru, days)| {
            i18n.t_args(
                "date-pick",
                &[
                    ("key", key.to_string().as_str().into()),
                    ("ru", ru.to_string().as_str().into()),
                    ("days", (*days).into()),
                ],
            )
        })
        .collect();
    i18n.t_args("date-hint", &[("picks", picks.join(" · ").as_str().into())])
}

/// The weekday of `date`, short, in the user's language (`пн`, `Mon`): shown beside a complete
/// date so a Sunday is seen before it is saved.
pub fn weekday(i18n: &I18n, date: NaiveDate) -> String {
    i18n.t(&format!("weekday-{}", date.weekday().number_from_monday()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 6).unwrap()
    }

    fn same(d: NaiveDate) -> NaiveDate {
        d
    }

    fn typed(style: DateStyle, keys: &str) -> (DateField, Vec<DateKey>) {
        let mut f = DateField::new(style);
        let answers = keys
            .chars()
            .map(|c| f.on_key(key(KeyCode::Char(c)), today(), same))
            .collect();
        (f, answers)
    }

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn digits_fill_the_russian_mask_and_the_dots_are_placed() {
        let mut f = DateField::new(DateStyle::Russian);
        let mut shown = Vec::new();
        for c in "15012027".chars() {
            assert_eq!(
                f.on_key(key(KeyCode::Char(c)), today(), same),
                DateKey::Edited
            );
            shown.push(f.text());
        }
        assert_eq!(
            shown,
            [
                "1",
                "15.",
                "15.0",
                "15.01.",
                "15.01.2",
                "15.01.20",
                "15.01.202",
                "15.01.2027"
            ]
        );
        assert_eq!(f.value(), Ok(Some(ymd(2027, 1, 15))));
    }

    #[test]
    fn digits_fill_the_iso_mask() {
        let (f, _) = typed(DateStyle::Iso, "20270115");
        assert_eq!(f.text(), "2027-01-15");
        assert_eq!(f.value(), Ok(Some(ymd(2027, 1, 15))));
        let (half, _) = typed(DateStyle::Iso, "2027");
        assert_eq!(half.text(), "2027-");
    }

    #[test]
    fn backspace_takes_the_last_digit_back_across_a_dot() {
        let (mut f, _) = typed(DateStyle::Russian, "1501");
        assert_eq!(f.text(), "15.01.");
        f.on_key(key(KeyCode::Backspace), today(), same);
        assert_eq!(f.text(), "15.0");
        f.on_key(key(KeyCode::Backspace), today(), same);
        f.on_key(key(KeyCode::Backspace), today(), same);
        assert_eq!(f.text(), "1");
        f.on_key(key(KeyCode::Backspace), today(), same);
        f.on_key(key(KeyCode::Backspace), today(), same);
        assert!(f.is_empty());
        assert_eq!(f.value(), Ok(None));
    }

    #[test]
    fn a_typed_dot_pads_a_one_digit_day_or_month() {
        let (f, _) = typed(DateStyle::Russian, "5.1.2027");
        assert_eq!(f.text(), "05.01.2027");
        let (f, _) = typed(DateStyle::Russian, "15.01.2027");
        assert_eq!(
            f.text(),
            "15.01.2027",
            "dots typed where they are placed change nothing"
        );
        let (f, _) = typed(DateStyle::Iso, "2027-1-5");
        assert_eq!(f.text(), "2027-01-5");
        // A day-first date typed in an ISO field: the field follows the dot.
        let (f, _) = typed(DateStyle::Iso, "2.11.2026");
        assert_eq!(f.text(), "02.11.2026");
        assert_eq!(f.value(), Ok(Some(ymd(2026, 11, 2))));
    }

    #[test]
    fn plus_and_minus_move_a_day_and_page_keys_a_week() {
        let mut f = DateField::with(DateStyle::Russian, Some(ymd(2026, 12, 31)));
        f.on_key(key(KeyCode::Char('+')), today(), same);
        assert_eq!(f.value(), Ok(Some(ymd(2027, 1, 1))));
        f.on_key(key(KeyCode::Char('-')), today(), same);
        f.on_key(key(KeyCode::Char('-')), today(), same);
        assert_eq!(f.value(), Ok(Some(ymd(2026, 12, 30))));
        f.on_key(key(KeyCode::PageDown), today(), same);
        assert_eq!(f.value(), Ok(Some(ymd(2027, 1, 6))));
        f.on_key(key(KeyCode::PageUp), today(), same);
        f.on_key(key(KeyCode::PageUp), today(), same);
        assert_eq!(f.value(), Ok(Some(ymd(2026, 12, 23))));
        // An empty field starts from today.
        let mut empty = DateField::new(DateStyle::Iso);
        empty.on_key(key(KeyCode::Char('+')), today(), same);
        assert_eq!(empty.value(), Ok(Some(ymd(2026, 12, 7))));
        // In ISO style a half-typed part takes `-` as its separator, a whole date as a day back.
        let (mut iso, _) = typed(DateStyle::Iso, "2027-1-");
        assert_eq!(iso.text(), "2027-01-");
        iso.on_key(key(KeyCode::Char('0')), today(), same);
        iso.on_key(key(KeyCode::Char('5')), today(), same);
        iso.on_key(key(KeyCode::Char('-')), today(), same);
        assert_eq!(iso.value(), Ok(Some(ymd(2027, 1, 4))));
    }

    #[test]
    fn moving_an_unfinished_date_is_refused() {
        let (mut f, _) = typed(DateStyle::Russian, "150");
        assert_eq!(
            f.on_key(key(KeyCode::Char('+')), today(), same),
            DateKey::Refused(DateError::Incomplete)
        );
        assert_eq!(f.text(), "15.0");
    }

    #[test]
    fn quick_picks_put_the_date_1_7_14_30_days_ahead_on_both_layouts() {
        let mut f = DateField::new(DateStyle::Russian);
        for (k, ru, days) in QUICK_PICKS {
            for c in [*k, *ru] {
                assert_eq!(
                    f.on_key(key(KeyCode::Char(c)), today(), same),
                    DateKey::Edited
                );
                assert_eq!(
                    f.value(),
                    Ok(Some(today() + chrono::Duration::days(*days as i64))),
                    "{c}"
                );
            }
        }
        // The form may move a pick (to a business day).
        f.on_key(key(KeyCode::Char('w')), today(), |d| {
            d + chrono::Duration::days(1)
        });
        assert_eq!(f.value(), Ok(Some(ymd(2026, 12, 14))));
        // A digit after a pick starts a new date.
        f.on_key(key(KeyCode::Char('0')), today(), same);
        assert_eq!(f.text(), "0");
        assert_eq!(
            f.on_key(key(KeyCode::Char('x')), today(), same),
            DateKey::Ignored,
            "other letters are the form's"
        );
    }

    #[test]
    fn impossible_dates_are_refused() {
        for text in ["31022027", "00012027", "15132027", "01010026"] {
            let (f, answers) = typed(DateStyle::Russian, text);
            assert_eq!(f.value(), Err(DateError::NoSuchDate), "{text}");
            assert_eq!(
                answers.last(),
                Some(&DateKey::Refused(DateError::NoSuchDate))
            );
        }
        let (leap, _) = typed(DateStyle::Russian, "29022028");
        assert_eq!(leap.value(), Ok(Some(ymd(2028, 2, 29))));
        let (short, _) = typed(DateStyle::Russian, "2902");
        assert_eq!(short.value(), Err(DateError::Incomplete));
        // A ninth digit is refused, the date kept.
        let (mut full, _) = typed(DateStyle::Russian, "29022028");
        assert_eq!(
            full.on_key(key(KeyCode::Char('1')), today(), same),
            DateKey::Refused(DateError::NoSuchDate)
        );
        assert_eq!(full.text(), "29.02.2028");
    }

    #[test]
    fn a_filled_date_is_replaced_by_typing_and_delete_clears() {
        let mut f = DateField::with(DateStyle::Russian, Some(ymd(2026, 12, 9)));
        assert_eq!(f.text(), "09.12.2026");
        f.on_key(key(KeyCode::Char('1')), today(), same);
        assert_eq!(f.text(), "1");
        let mut g = DateField::with(DateStyle::Russian, Some(ymd(2026, 12, 9)));
        g.on_key(key(KeyCode::Backspace), today(), same);
        assert_eq!(g.text(), "09.12.202", "Backspace edits the filled date");
        g.on_key(key(KeyCode::Char('7')), today(), same);
        assert_eq!(g.value(), Ok(Some(ymd(2027, 12, 9))));
        g.on_key(key(KeyCode::Delete), today(), same);
        assert!(g.is_empty());
    }

    #[test]
    fn messages_and_hints_exist_in_both_languages() {
        for lang in [crate::i18n::Lang::Ru, crate::i18n::Lang::En] {
            let i18n = I18n::new(lang);
            let (f, _) = typed(i18n.fmt.date_style, "3102");
            let m = DateError::Incomplete.message(&i18n, &f.text());
            assert!(m.contains("31"), "{m}");
            assert!(!m.contains("date-error"), "{m}");
            let m = DateError::NoSuchDate.message(&i18n, "31.02.2027");
            assert!(m.contains("31.02.2027") && !m.contains("date-error"), "{m}");
            let h = hint(&i18n);
            assert!(
                h.contains("14") && h.contains("30") && !h.contains("date-"),
                "{h}"
            );
            assert_eq!(
                weekday(&i18n, ymd(2026, 12, 6)).chars().count(),
                2 + usize::from(lang == crate::i18n::Lang::En),
                "{lang:?}"
            );
            let f = DateField::new(i18n.fmt.date_style);
            assert_eq!(f.rest_of_mask(&i18n).chars().count(), 10);
        }
    }
}
