//! Charts as inline SVG, written by hand: no scripts, no fonts or images fetched. Readable in black
//! and white: every bar and point carries its value as text, marked bars are hatched, the target
//! and reference lines are dashed and labelled, the line chart is in `svg_lines`.

use super::esc;
use std::fmt::Write;

/// Width of every chart's coordinate system (the SVG scales to the page width).
pub(super) const WIDTH: f64 = 720.0;
const FONT: &str = r#"font-family="sans-serif" font-size="11""#;
const BAR_FILL: &str = "#8fa9c8";
/// Writes a white box, then `text` on it, so text that may cross a line or a bar stays legible.
/// A box rather than a stroked outline: Chromium prints a stroked outline as a second run of the
/// same text, which doubles the words when the PDF is copied or searched. The box is as wide as
/// the text is likely to be (0.62 em per character, generous for sans-serif).
fn backed_text(out: &mut String, x: f64, y: f64, anchor: &str, size: f64, attrs: &str, text: &str) {
    let w = text.chars().count() as f64 * size * 0.62 + 4.0;
    let left = match anchor {
        "middle" => x - w / 2.0,
        "end" => x - w + 2.0,
        _ => x - 2.0,
    };
    let _ = write!(
        out,
        r##"<rect x="{left:.1}" y="{:.1}" width="{w:.1}" height="{:.1}" fill="#fff"/><text x="{x:.1}" y="{y:.1}" text-anchor="{anchor}" font-size="{size}"{attrs}>{}</text>"##,
        y - size * 0.85,
        size * 1.15,
        esc(text)
    );
}

/// One bar: a label, a share (0..=1, `None` when nobody was in the denominator), the text shown
/// beside it, and whether it is marked (the weakest site, a month above target).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Bar {
    /// Category label (site name, month).
    pub label: String,
    /// The share.
    pub value: Option<f64>,
    /// The value as text ("43.2% (120/278)").
    pub text: String,
    /// Drawn hatched and with a ▼.
    pub marked: bool,
}

/// Opens an `<svg>` with its title and the hatch pattern `{id}-hatch`.
pub(super) fn open(out: &mut String, id: &str, title: &str, height: f64) {
    let _ = write!(
        out,
        r#"<svg viewBox="0 0 {WIDTH} {height:.0}" width="100%" role="img" aria-labelledby="{id}-t" {FONT}><title id="{id}-t">{}</title>"#,
        esc(title)
    );
    let _ = write!(
        out,
        r##"<defs><pattern id="{id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/><line x1="0" y1="0" x2="0" y2="6" stroke="#000" stroke-width="2.2"/></pattern></defs>"##
    );
}

fn fill(id: &str, marked: bool) -> String {
    if marked {
        format!("url(#{id}-hatch)")
    } else {
        BAR_FILL.to_string()
    }
}

/// Cuts a label to `max` characters with an ellipsis.
fn clip(label: &str, max: usize) -> String {
    if label.chars().count() <= max {
        label.to_string()
    } else {
        let mut s: String = label.chars().take(max.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}

/// Splits a label into at most two lines of about `max` characters at a space (the end of a
/// long site name, "с. Кедровое", is what tells sites apart, so it is wrapped rather than cut).
fn wrap2(label: &str, max: usize) -> Vec<String> {
    if label.chars().count() <= max {
        return vec![label.to_string()];
    }
    // "…больница, с. Кедровое": break after the comma when both halves fit.
    if let Some(at) = label.rfind(", ") {
        let (head, tail) = (&label[..=at], &label[at + 2..]);
        if head.chars().count() <= max && tail.chars().count() <= max {
            return vec![head.to_string(), tail.to_string()];
        }
    }
    let mut first = String::new();
    let mut rest = String::new();
    for word in label.split(' ') {
        if rest.is_empty() && first.chars().count() + word.chars().count() < max {
            if !first.is_empty() {
                first.push(' ');
            }
            first.push_str(word);
        } else {
            if !rest.is_empty() {
                rest.push(' ');
            }
            rest.push_str(word);
        }
    }
    if first.is_empty() {
        return vec![clip(label, max)];
    }
    vec![first, clip(&rest, max)]
}

/// Horizontal bars of shares, one per site, on a 0–100 % axis, with an optional dashed reference
/// line (the pilot total) labelled `reference.1`. `ticks` are the axis labels at 0, 25, 50, 75
/// and 100 %.
pub(crate) fn hbars(
    id: &str,
    title: &str,
    bars: &[Bar],
    reference: Option<(f64, &str)>,
    ticks: &[String; 5],
) -> String {
    let label_w = 230.0;
    let x0 = label_w + 10.0;
    let plot_w = WIDTH - x0 - 150.0;
    let labels: Vec<Vec<String>> = bars.iter().map(|b| wrap2(&b.label, 36)).collect();
    let row_h = if labels.iter().any(|l| l.len() > 1) {
        28.0
    } else {
        22.0
    };
    let top = 22.0;
    let height = top + row_h * bars.len() as f64 + 24.0;
    let mut out = String::new();
    open(&mut out, id, title, height);
    let bottom = top + row_h * bars.len() as f64;
    for (i, t) in ticks.iter().enumerate() {
        let x = x0 + plot_w * i as f64 / 4.0;
        let _ = write!(
            out,
            r##"<line x1="{x:.1}" y1="{top:.1}" x2="{x:.1}" y2="{bottom:.1}" stroke="#ccc" stroke-width="0.8"/><text x="{x:.1}" y="{:.1}" text-anchor="middle" fill="#333">{}</text>"##,
            bottom + 15.0,
            esc(t)
        );
    }
    for (i, b) in bars.iter().enumerate() {
        let y = top + row_h * i as f64;
        let weight = if b.marked {
            r#" font-weight="bold""#
        } else {
            ""
        };
        let lines = &labels[i];
        for (k, line) in lines.iter().enumerate() {
            let ly = y + row_h / 2.0 + 3.5 + (k as f64 - (lines.len() as f64 - 1.0) / 2.0) * 11.0;
            let _ = write!(
                out,
                r##"<text x="{label_w:.1}" y="{ly:.1}" text-anchor="end" font-size="10"{weight}>{}</text>"##,
                esc(line)
            );
        }
        let w = b.value.map_or(0.0, |v| v.clamp(0.0, 1.0) * plot_w);
        let _ = write!(
            out,
            r##"<rect x="{x0:.1}" y="{:.1}" width="{w:.1}" height="14" fill="{}" stroke="#000" stroke-width="0.8"/>"##,
            y + row_h / 2.0 - 7.0,
            fill(id, b.marked)
        );
        let marker = if b.marked { "▼ " } else { "" };
        backed_text(
            &mut out,
            x0 + w + 5.0,
            y + row_h / 2.0 + 4.0,
            "start",
            11.0,
            weight,
            &format!("{marker}{}", b.text),
        );
    }
    if let Some((share, label)) = reference {
        let x = x0 + share.clamp(0.0, 1.0) * plot_w;
        let _ = write!(
            out,
            r##"<line x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{bottom:.1}" stroke="#000" stroke-width="1.2" stroke-dasharray="5 3"/>"##,
            top - 10.0,
        );
        backed_text(
            &mut out,
            x,
            top - 12.0,
            "middle",
            11.0,
            r#" font-style="italic""#,
            label,
        );
    }
    out.push_str("</svg>");
    out
}

/// Vertical bars of shares by month with a dashed target line. Bars above the target are
/// hatched; each bar shows its value above it and `Bar::label` below (the month; a second line
/// after `\n`, e.g. "3/25").
pub(crate) fn month_bars(
    id: &str,
    title: &str,
    bars: &[Bar],
    target: (f64, &str),
    axis: &dyn Fn(f64) -> String,
) -> String {
    let x0 = 50.0;
    let right = WIDTH - 90.0;
    let plot_w = right - x0;
    let top = 20.0;
    let plot_h = 190.0;
    let bottom = top + plot_h;
    let height = bottom + 40.0;
    let highest = bars.iter().filter_map(|b| b.value).fold(target.0, f64::max);
    // Round the axis up to the next 5 %, leaving room for the value labels.
    let y_max = ((highest * 1.15) / 0.05).ceil().max(1.0) * 0.05;
    let y = |v: f64| bottom - plot_h * (v / y_max).clamp(0.0, 1.0);
    let mut out = String::new();
    open(&mut out, id, title, height);
    let steps = (y_max / 0.05).round() as usize;
    let every = steps.div_ceil(5).max(1);
    for s in (0..=steps).step_by(every) {
        let v = s as f64 * 0.05;
        let _ = write!(
            out,
            r##"<line x1="{x0}" y1="{0:.1}" x2="{right}" y2="{0:.1}" stroke="#ccc" stroke-width="0.8"/><text x="{1}" y="{2:.1}" text-anchor="end" fill="#333">{3}</text>"##,
            y(v),
            x0 - 4.0,
            y(v) + 4.0,
            esc(&axis(v))
        );
    }
    let slot = plot_w / bars.len().max(1) as f64;
    let bar_w = (slot * 0.62).min(40.0);
    for (i, b) in bars.iter().enumerate() {
        let cx = x0 + slot * (i as f64 + 0.5);
        if let Some(v) = b.value {
            let _ = write!(
                out,
                r##"<rect x="{:.1}" y="{:.1}" width="{bar_w:.1}" height="{:.1}" fill="{}" stroke="#000" stroke-width="0.8"/>"##,
                cx - bar_w / 2.0,
                y(v),
                bottom - y(v),
                fill(id, b.marked)
            );
        }
        let weight = if b.marked {
            r#" font-weight="bold""#
        } else {
            ""
        };
        let value_y = b.value.map_or(bottom, y) - 4.0;
        backed_text(&mut out, cx, value_y, "middle", 10.0, weight, &b.text);
        for (line, text) in b.label.split('\n').enumerate() {
            let _ = write!(
                out,
                r##"<text x="{cx:.1}" y="{:.1}" text-anchor="middle" font-size="10">{}</text>"##,
                bottom + 14.0 + 12.0 * line as f64,
                esc(text)
            );
        }
    }
    let ty = y(target.0);
    let _ = write!(
        out,
        r##"<line x1="{x0}" y1="{ty:.1}" x2="{right}" y2="{ty:.1}" stroke="#000" stroke-width="1.4" stroke-dasharray="7 4"/><text x="{0}" y="{1:.1}" font-style="italic">{2}</text>"##,
        right + 4.0,
        ty + 4.0,
        esc(target.1)
    );
    let _ = write!(
        out,
        r##"<line x1="{x0}" y1="{top}" x2="{x0}" y2="{bottom}" stroke="#000" stroke-width="0.8"/><line x1="{x0}" y1="{bottom}" x2="{right}" y2="{bottom}" stroke="#000" stroke-width="0.8"/>"##
    );
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_labels_wrap_on_two_lines() {
        let l = wrap2("Центральная районная больница, с. Кедровое", 36);
        assert_eq!(l, ["Центральная районная больница,", "с. Кедровое"]);
        let l = wrap2("Поликлиника Лесогорской городской больницы", 36);
        assert_eq!(l, ["Поликлиника Лесогорской городской", "больницы"]);
        assert_eq!(wrap2("Поликлиника № 1", 36), ["Поликлиника № 1"]);
    }

    #[test]
    fn labels_are_escaped_and_marked_bars_hatched() {
        let bars = [Bar {
            label: "<Поликлиника & Ко>".into(),
            value: Some(0.5),
            text: "50%".into(),
            marked: true,
        }];
        let svg = hbars("c1", "t", &bars, Some((0.4, "total")), &Default::default());
        assert!(svg.contains("&lt;Поликлиника &amp; Ко&gt;"));
        assert!(svg.contains("url(#c1-hatch)"));
        assert!(svg.contains("▼ 50%"));
        assert!(!svg.contains("<Поликлиника"));
    }
}
