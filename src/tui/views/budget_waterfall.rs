//! The Budget tab's waterfall section: every step from the baseline spend to the amount earned
//! (`store::views::budget_steps`, the same lines `finance` prints and the report shows). When the
//! area is short, the per-month lines go first, then the baseline years, so that the benchmark,
//! the projected spend and the payout steps always show.

use crate::store::views::BudgetView;
use crate::store::views::budget_steps::{Step, lag_method, waterfall};
use crate::tui::app::App;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget};
use unicode_width::UnicodeWidthStr;

/// Steps dropped first when the area is short, in order.
fn drop_rank(step: &Step) -> u8 {
    // The months and the spend by payer (information beside the arithmetic) go first.
    if step.id.starts_with("month_") || step.id.starts_with("paid_by_") {
        0
    } else if step.id.starts_with("baseline_") {
        1
    } else if matches!(
        step.id.as_str(),
        "weighted" | "trended" | "person_years" | "quality_score"
    ) {
        2
    } else if matches!(
        step.id.as_str(),
        "paid_to_date" | "estimated_unbilled" | "projected_remaining" | "before_holdback" | "msr"
    ) {
        3
    } else {
        4
    }
}

/// Draws the waterfall into `area`.
pub fn render(app: &App, v: &BudgetView, area: Rect, buf: &mut Buffer) {
    let i18n = &app.ctx.i18n;
    let theme = &app.ctx.theme;
    let block = Block::default().borders(Borders::TOP).title(format!(
        "{} · {}",
        i18n.t("wf-title"),
        lag_method(v, i18n)
    ));
    let inner = block.inner(area);
    block.render(area, buf);
    let mut steps = waterfall(v, i18n);
    let rows = usize::from(inner.height);
    for rank in 0..4 {
        if steps.len() <= rows {
            break;
        }
        let mut over = steps.len() - rows;
        steps.retain(|s| {
            if over > 0 && drop_rank(s) == rank {
                over -= 1;
                false
            } else {
                true
            }
        });
    }
    let cur = v.currency.as_str();
    let width = usize::from(inner.width);
    let lines: Vec<Line> = steps
        .iter()
        .map(|s| {
            let value = match (s.amount, s.rate) {
                (Some(m), Some(r)) if s.id == "projected_savings" => {
                    format!("{} ({})", i18n.fmt.money(m, cur), i18n.fmt.percent(r))
                }
                (Some(m), _) => i18n.fmt.money(m, cur),
                (None, Some(r)) if s.plain_decimals().is_some() => {
                    i18n.fmt.decimal(r, s.plain_decimals().unwrap_or(1))
                }
                (None, Some(r)) => i18n.fmt.percent(r),
                (None, None) => "—".into(),
            };
            let value = if s.note.is_empty()
                || !matches!(s.id.as_str(), "payment_cap" | "generated" | "quality_score")
            {
                value
            } else {
                format!("{value} · {}", s.note)
            };
            let style = match s.id.as_str() {
                "benchmark_total" | "projected_spend" | "projected_earned" => theme.text,
                _ if s.id.starts_with("month_") => theme.dim,
                _ => theme.dim,
            };
            let room = width.saturating_sub(value.width() + 1);
            let label: String = fit(&s.label, room);
            let pad = width.saturating_sub(label.width() + value.width());
            Line::from(vec![
                Span::styled(label, style),
                Span::raw(" ".repeat(pad)),
                Span::styled(value, style),
            ])
        })
        .collect();
    Paragraph::new(lines).render(inner, buf);
}

/// `text` cut to `width` display columns, with an ellipsis when cut.
fn fit(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    for c in text.chars() {
        if out.width() + c.to_string().width() + 1 > width {
            break;
        }
        out.push(c);
    }
    if width > 0 {
        out.push('…');
    }
    out
}
