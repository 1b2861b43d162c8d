//! The line chart of the report (cumulative spend against the budget): the two series differ in
//! dash and marker, so the chart reads in black and white.

use super::esc;
use super::svg::{WIDTH, open};
use std::fmt::Write;

/// A line of the line chart.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Series {
    /// Legend text.
    pub name: String,
    /// One value per x position.
    pub values: Vec<f64>,
    /// Dashed line with square markers (else solid with round markers).
    pub dashed: bool,
}

/// A "nice" axis step (1, 2 or 5 × a power of ten) giving about four intervals up to `max`.
fn nice_step(max: f64) -> f64 {
    if max <= 0.0 || !max.is_finite() {
        return 1.0;
    }
    let raw = max / 4.0;
    let power = 10f64.powf(raw.log10().floor());
    let m = raw / power;
    let nice = if m <= 1.0 {
        1.0
    } else if m <= 2.0 {
        2.0
    } else if m <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * power
}

/// Lines over the x positions `labels`, from zero, with a legend; `axis` formats y values.
pub(crate) fn lines(
    id: &str,
    title: &str,
    labels: &[String],
    series: &[Series],
    axis: &dyn Fn(f64) -> String,
) -> String {
    let x0 = 80.0;
    let plot_w = WIDTH - x0 - 20.0;
    let top = 34.0;
    let plot_h = 200.0;
    let bottom = top + plot_h;
    let height = bottom + 28.0;
    let max = series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .fold(0.0, f64::max);
    let step = nice_step(max);
    let y_max = ((max / step).ceil() * step).max(step);
    let y = |v: f64| bottom - plot_h * (v / y_max).clamp(0.0, 1.0);
    let n = labels.len().max(1);
    let slot = plot_w / n as f64;
    let x = |i: usize| x0 + slot * (i as f64 + 0.5);
    let mut out = String::new();
    open(&mut out, id, title, height);
    let mut v = 0.0;
    while v <= y_max + step / 2.0 {
        let _ = write!(
            out,
            r##"<line x1="{x0}" y1="{0:.1}" x2="{1}" y2="{0:.1}" stroke="#ccc" stroke-width="0.8"/><text x="{2}" y="{3:.1}" text-anchor="end" fill="#333">{4}</text>"##,
            y(v),
            WIDTH - 20.0,
            x0 - 5.0,
            y(v) + 4.0,
            esc(&axis(v))
        );
        v += step;
    }
    for (i, l) in labels.iter().enumerate() {
        let _ = write!(
            out,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="10">{}</text>"##,
            x(i),
            bottom + 15.0,
            esc(l)
        );
    }
    for (k, s) in series.iter().enumerate() {
        let points: Vec<String> = s
            .values
            .iter()
            .enumerate()
            .map(|(i, v)| format!("{:.1},{:.1}", x(i), y(*v)))
            .collect();
        let dash = if s.dashed {
            r#" stroke-dasharray="6 4""#
        } else {
            ""
        };
        let _ = write!(
            out,
            r##"<polyline points="{}" fill="none" stroke="#000" stroke-width="{}"{dash}/>"##,
            points.join(" "),
            if s.dashed { 1.6 } else { 2.2 }
        );
        for (i, v) in s.values.iter().enumerate() {
            marker(&mut out, s.dashed, x(i), y(*v));
        }
        // Legend entry.
        let lx = x0 + 10.0 + 230.0 * k as f64;
        let _ = write!(
            out,
            r##"<line x1="{lx:.1}" y1="14" x2="{:.1}" y2="14" stroke="#000" stroke-width="{}"{dash}/>"##,
            lx + 36.0,
            if s.dashed { 1.6 } else { 2.2 }
        );
        marker(&mut out, s.dashed, lx + 18.0, 14.0);
        let _ = write!(
            out,
            r##"<text x="{:.1}" y="18">{}</text>"##,
            lx + 44.0,
            esc(&s.name)
        );
    }
    let _ = write!(
        out,
        r##"<line x1="{x0}" y1="{top}" x2="{x0}" y2="{bottom}" stroke="#000" stroke-width="0.8"/><line x1="{x0}" y1="{bottom}" x2="{0}" y2="{bottom}" stroke="#000" stroke-width="0.8"/>"##,
        WIDTH - 20.0
    );
    out.push_str("</svg>");
    out
}

fn marker(out: &mut String, square: bool, x: f64, y: f64) {
    if square {
        let _ = write!(
            out,
            r##"<rect x="{:.1}" y="{:.1}" width="7" height="7" fill="#fff" stroke="#000" stroke-width="1.2"/>"##,
            x - 3.5,
            y - 3.5
        );
    } else {
        let _ = write!(
            out,
            r##"<circle cx="{x:.1}" cy="{y:.1}" r="3.5" fill="#000"/>"##
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_steps() {
        assert_eq!(nice_step(100.0), 50.0);
        assert_eq!(nice_step(9_000.0), 5_000.0);
        assert_eq!(nice_step(0.0), 1.0);
    }

    #[test]
    fn series_differ_in_dash_and_marker() {
        let svg = lines(
            "b",
            "t",
            &["01".into(), "02".into()],
            &[
                Series {
                    name: "budget".into(),
                    values: vec![1.0, 2.0],
                    dashed: false,
                },
                Series {
                    name: "spend".into(),
                    values: vec![0.5, 1.5],
                    dashed: true,
                },
            ],
            &|v| format!("{v}"),
        );
        assert_eq!(svg.matches("<polyline").count(), 2);
        assert!(svg.contains("stroke-dasharray"));
        assert!(svg.contains("<circle") && svg.contains("<rect"));
    }
}
