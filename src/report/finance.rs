//! The report's savings waterfall: every step from the baseline spend to the amount earned, the
//! claims-lag method, and anything that makes the projection doubtful, as a table after the
//! budget section. The lines are the Budget tab's and `finance`'s (`store::views::budget_steps`).

use super::data::ReportData;
use super::esc;
use crate::i18n::I18n;
use crate::store::views::budget_steps::{lag_method, use_line, waterfall};
use std::fmt::Write as _;

/// Writes the waterfall section into `out`.
pub(crate) fn waterfall_section(out: &mut String, d: &ReportData, i18n: &I18n) {
    let b = &d.budget;
    let cur = b.currency.as_str();
    let _ = write!(
        out,
        "<section id=\"savings-steps\">\n<h2>{}</h2>\n<p class=\"note\">{}</p>\n",
        esc(&i18n.t("wf-title")),
        esc(&lag_method(b, i18n))
    );
    for problem in &b.problems {
        let _ = writeln!(out, "<p class=\"problem\">⚠ {}</p>", esc(problem));
    }
    out.push_str("<table class=\"steps\">\n<tbody>\n");
    for s in waterfall(b, i18n) {
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
        let _ = writeln!(
            out,
            "<tr data-step=\"{}\"><td>{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
            esc(&s.id),
            esc(&s.label),
            esc(&value),
            esc(&s.note)
        );
    }
    out.push_str("</tbody>\n</table>\n");
    // Utilisation beside money, by site.
    let _ = writeln!(out, "<h3>{}</h3>", esc(&i18n.t("use-title")));
    out.push_str("<table class=\"use\">\n<tbody>\n");
    let u = &b.utilisation;
    for site in u.by_site.iter().chain([&u.total]) {
        let name = if site.site.is_empty() {
            i18n.t("use-network")
        } else {
            site.site.clone()
        };
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td></tr>",
            esc(&name),
            esc(&use_line(site, i18n, cur))
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}
