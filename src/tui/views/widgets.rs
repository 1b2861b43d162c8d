//! Small drawing helpers shared by the views: display width, truncation, centred popups, ratios.

use crate::domain::indicators::Ratio;
use crate::i18n::I18n;
use ratatui::layout::Rect;
use unicode_width::UnicodeWidthStr;

/// Display width in terminal columns (Cyrillic and CJK safe).
pub fn width(text: &str) -> usize {
    UnicodeWidthStr::width(text)
}

/// Cuts text to at most `max` columns, ending with `…` when cut.
pub fn truncate(text: &str, max: usize) -> String {
    if width(text) <= max {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for ch in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(ch).unwrap_or(0);
        if used + w + 1 > max {
            break;
        }
        out.push(ch);
        used += w;
    }
    out.push('…');
    out
}

/// A rectangle of at most `w`×`h` centred in `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

/// "43.2% (120/278)" or "—" when nobody is in the denominator.
pub fn ratio(i18n: &I18n, r: Ratio) -> String {
    i18n.fmt.ratio(r)
}

/// "43.2%" or "—".
pub fn percent(i18n: &I18n, r: Ratio) -> String {
    i18n.fmt.share(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncates_by_display_width() {
        assert_eq!(truncate("Фёдоров Пётр", 8), "Фёдоров…");
        assert_eq!(truncate("abc", 3), "abc");
        assert_eq!(width("Фёдоров"), 7);
    }
}
