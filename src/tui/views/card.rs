//! The patient card: who, why on the list, the latest HbA1c and BP with a trend, diagnoses,
//! encounters (admissions highlighted), appointments and the whole call history.

use super::widgets::truncate;
use crate::domain::results_vs_target::{self, Verdict};
use crate::domain::types::{CallOutcome, EncounterClass};
use crate::tui::app::{App, CardState};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Sparkline, Widget, Wrap};

/// Draws the card over the tab body.
pub fn render(app: &App, state: &CardState, area: Rect, buf: &mut Buffer) {
    let i18n = &app.ctx.i18n;
    let theme = &app.ctx.theme;
    let c = &state.card;
    Clear.render(area, buf);
    let name = format!("{} {} {}", c.family_name, c.given_name, c.patronymic)
        .trim()
        .to_string();
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(format!(" {name} "), theme.title));
    let inner = block.inner(area);
    block.render(area, buf);
    // The trends only where there is room: at 80×24 the rows go to the results and the calls.
    let trend_height = if inner.height >= 30 { 3 } else { 0 };
    let (thresholds, _) = crate::store::worklist_index::rules();
    let [trends, text_area] =
        Layout::vertical([Constraint::Length(trend_height), Constraint::Min(1)]).areas(inner);

    if trend_height > 0 {
        let (thresholds, _) = crate::store::rules::rules_ref();
        let [hb_area, bp_area] =
            Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
                .areas(trends);
        let hb: Vec<u64> = c
            .hba1c
            .iter()
            .rev()
            .take(hb_area.width.saturating_sub(2) as usize)
            .rev()
            .map(|(_, v)| (v * 10.0) as u64)
            .collect();
        let latest_hb = c.hba1c.last().map(|(d, v)| {
            format!(
                "{} {}% ({})",
                i18n.t("hba1c"),
                i18n.fmt.decimal(*v, 1),
                i18n.fmt.date(*d)
            )
        });
        Sparkline::default()
            .data(&hb)
            .style(
                if c.hba1c.last().is_some_and(|(_, v)| {
                    results_vs_target::hba1c_verdict(*v, thresholds) == Verdict::Alarm
                }) {
                    theme.urgent
                } else {
                    theme.series
                },
            )
            .block(
                Block::default()
                    .title(latest_hb.unwrap_or_else(|| format!("{} —", i18n.t("hba1c")))),
            )
            .render(hb_area, buf);
        let bp: Vec<u64> = c
            .blood_pressure
            .iter()
            .rev()
            .take(bp_area.width.saturating_sub(2) as usize)
            .rev()
            .map(|(_, s, _)| *s as u64)
            .collect();
        let latest_bp = c.blood_pressure.last().map(|(d, s, di)| {
            format!(
                "{} {}/{} ({})",
                i18n.t("bp"),
                *s as i64,
                *di as i64,
                i18n.fmt.date(*d)
            )
        });
        Sparkline::default()
            .data(&bp)
            .style(
                if c.blood_pressure.last().is_some_and(|(_, s, di)| {
                    results_vs_target::bp_verdict(*s, *di, thresholds) == Verdict::Alarm
                }) {
                    theme.urgent
                } else {
                    theme.series
                },
            )
            .block(
                Block::default().title(latest_bp.unwrap_or_else(|| format!("{} —", i18n.t("bp")))),
            )
            .render(bp_area, buf);
    }

    let mut lines: Vec<Line> = Vec::new();
    let age = c
        .birth_date
        .map(|b| crate::store::views::worklist::age_at(b, app.ctx.clock.get().as_of));
    let mut who = vec![
        c.birth_date
            .map(|d| format!("{} {}", i18n.t("born"), i18n.fmt.date(d)))
            .unwrap_or_default(),
        age.map(|a| i18n.t_args("age-years", &[("count", i64::from(a).into())]))
            .unwrap_or_default(),
        i18n.t(&format!("status-{}", c.status.as_code())),
    ];
    if let Some(d) = c.death_date {
        who.push(format!("† {}", i18n.fmt.date(d)));
    }
    lines.push(Line::from(
        who.into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" · "),
    ));
    if let Some(since) = c.palliative_since {
        lines.push(Line::styled(
            i18n.t_args(
                "card-palliative",
                &[("date", i18n.fmt.date(since).as_str().into())],
            ),
            theme.warn,
        ));
    }
    // Both numbers, main first, the one to dial in bold (the worklist's rule), `p` changes them.
    let mut phone_line = vec![Span::styled(
        format!("{}: ", i18n.t("col-phone")),
        theme.dim,
    )];
    phone_line.extend(super::form_phones::spans(
        app,
        &c.phone_slots,
        c.main_phone_reported_invalid,
    ));
    lines.push(Line::from(phone_line));
    lines.push(Line::from(vec![
        Span::styled(format!("{}: ", i18n.t("policy")), theme.dim),
        Span::raw(c.policy_number.clone().unwrap_or_else(|| "—".into())),
        Span::styled(format!("  {}: ", i18n.t("snils")), theme.dim),
        Span::raw(c.snils.clone().unwrap_or_else(|| "—".into())),
        Span::styled(format!("  {}: ", i18n.t("col-id")), theme.dim),
        Span::raw(c.id.clone()),
    ]));
    lines.push(Line::from(
        format!("{} {}", c.locality, c.address).trim().to_string(),
    ));
    let site = c
        .site
        .as_ref()
        .map(|(_, n)| n.clone())
        .unwrap_or_else(|| "—".into());
    let nurse = c
        .nurse
        .as_ref()
        .map(|(_, n)| n.clone())
        .unwrap_or_else(|| "—".into());
    lines.push(Line::from(vec![
        Span::styled(format!("{}: ", i18n.t("col-site")), theme.dim),
        Span::raw(site),
        Span::styled(format!("  {}: ", i18n.t("col-nurse")), theme.dim),
        Span::raw(nurse),
    ]));

    // Why the patient is on the worklist (the same entry the worklist shows).
    if let Some(row) = app
        .worklist
        .view
        .as_ref()
        .and_then(|v| v.rows.iter().find(|r| r.patient_id == c.id))
    {
        let reasons: Vec<String> = row
            .entry
            .findings
            .iter()
            .map(|f| {
                let late = if f.days_overdue > 0 {
                    format!(" +{}", f.days_overdue)
                } else {
                    String::new()
                };
                let label = crate::i18n::worklist::finding_label(
                    i18n,
                    f,
                    app.ctx.clock.get().as_of,
                    crate::store::rules::programs(),
                );
                format!("{label}{late}")
            })
            .collect();
        lines.push(Line::from(vec![
            Span::styled(format!("{}: ", i18n.t("on-list-because")), theme.warn),
            Span::raw(reasons.join(", ")),
            // Simple's high-risk mark (domain::worklist::is_high_risk): call first.
            Span::styled(
                if row.entry.high_risk {
                    format!(" · {}", i18n.t("high-risk-mark"))
                } else {
                    String::new()
                },
                theme.urgent,
            ),
        ]));

        if row.entry.another_way {
            lines.push(Line::styled(i18n.t("another-way-advice"), theme.urgent));
        }
        if row.entry.unreachable {
            lines.push(Line::styled(i18n.t("unreachable-advice"), theme.warn));
        }
    }

    // Made for the call: the latest results against the target, then the latest calls.
    super::card_results::push(&mut lines, app, c, &thresholds);
    super::card_results::push_trend(&mut lines, app, c);
    section(&mut lines, app, &i18n.t("section-calls"));
    if c.calls.is_empty() {
        lines.push(Line::styled(i18n.t("no-calls"), theme.dim));
    }
    for call in c.calls.iter().take(TOP_CALLS) {
        call_lines(&mut lines, app, call);
    }
    let earlier = c.calls.len().saturating_sub(TOP_CALLS);
    if earlier > 0 {
        lines.push(Line::styled(
            i18n.t_args("card-earlier-calls", &[("count", (earlier as i64).into())]),
            theme.dim,
        ));
    }

    section(&mut lines, app, &i18n.t("section-diagnoses"));
    for d in &c.diagnoses {
        let onset = d.onset_date.map(|x| i18n.fmt.date(x)).unwrap_or_default();
        lines.push(Line::from(format!(
            "{:<9} {}  {}",
            d.code,
            truncate(&d.description, 50),
            onset
        )));
    }
    super::card_results::push_labs(&mut lines, app, c);
    section(&mut lines, app, &i18n.t("section-encounters"));
    for e in c.encounters.iter().take(15) {
        let style = match e.class {
            EncounterClass::Inpatient => theme.warn,
            EncounterClass::Emergency => theme.urgent,
            _ => theme.text,
        };
        let when = match (e.start, e.end) {
            (Some(s), Some(en)) if s != en => {
                format!("{} – {}", i18n.fmt.date(s), i18n.fmt.date(en))
            }
            (Some(s), _) => i18n.fmt.date(s),
            _ => String::new(),
        };
        let planned = if e.planned {
            format!(" ({})", i18n.t("planned"))
        } else {
            String::new()
        };
        lines.push(Line::styled(
            format!(
                "{when:<25} {}{planned}  {}",
                i18n.t(&format!("class-{}", e.class.as_code())),
                e.organization
            ),
            style,
        ));
    }
    section(&mut lines, app, &i18n.t("section-appointments"));
    // Visits agreed on calls are appointments too (issue #20), the nearest arrangements first.
    for d in c.agreed_visits.iter().take(3) {
        lines.push(Line::from(format!(
            "{}  {}",
            i18n.fmt.date(*d),
            i18n.t("card-agreed-visit")
        )));
    }
    for (d, site) in c.appointments.iter().take(5) {
        lines.push(Line::from(format!("{}  {site}", i18n.fmt.date(*d))));
    }
    if earlier > 0 {
        section(&mut lines, app, &i18n.t("section-earlier-calls"));
        for call in c.calls.iter().skip(TOP_CALLS) {
            call_lines(&mut lines, app, call);
        }
    }
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .scroll((state.scroll, 0))
        .render(text_area, buf);
}

/// The latest calls shown near the top of the card; the earlier ones follow at its end.
const TOP_CALLS: usize = 5;

/// One call of the history: when, the outcome and its date, who, on which device; the note below.
fn call_lines(lines: &mut Vec<Line<'static>>, app: &App, call: &crate::store::patients::CallItem) {
    let i18n = &app.ctx.i18n;
    let theme = &app.ctx.theme;
    let at = chrono::NaiveDateTime::parse_from_str(&call.called_at, "%Y-%m-%dT%H:%M:%S")
        .map(|t| i18n.fmt.date_time(crate::tui::clock::utc_to_local(t)))
        .unwrap_or_else(|_| call.called_at.clone());
    let next = call
        .next_date
        .map(|d| format!(" → {}", i18n.fmt.date(d)))
        .unwrap_or_default();
    let style = if call.superseded {
        theme.dim
    } else if call.outcome.is_contact() {
        theme.good
    } else if call.outcome == CallOutcome::NoAnswer {
        theme.warn
    } else {
        theme.text
    };
    let corrected = if call.superseded {
        format!(" ({})", i18n.t("superseded"))
    } else {
        String::new()
    };
    lines.push(Line::styled(
        format!(
            "{at}  {}{next}  · {} · {}{corrected}",
            i18n.t(&format!("outcome-{}", call.outcome.as_code())),
            call.user,
            call.device_short()
        ),
        style,
    ));
    if !call.note.is_empty() {
        for note_line in call.note.lines() {
            lines.push(Line::styled(format!("    {note_line}"), theme.dim));
        }
    }
}

fn section(lines: &mut Vec<Line<'static>>, app: &App, title: &str) {
    lines.push(Line::from(""));
    lines.push(Line::styled(title.to_string(), app.ctx.theme.title));
}

#[cfg(test)]
mod tests {
    use crate::i18n::{I18n, Lang};

    #[test]
    fn earlier_calls_say_how_many_in_both_languages() {
        let n = |lang, count: i64| {
            I18n::new(lang).t_args("card-earlier-calls", &[("count", count.into())])
        };
        assert_eq!(n(Lang::Ru, 1), "ещё 1 звонок — в конце карточки");
        assert_eq!(n(Lang::Ru, 3), "ещё 3 звонка — в конце карточки");
        assert_eq!(n(Lang::Ru, 12), "ещё 12 звонков — в конце карточки");
        assert_eq!(n(Lang::En, 1), "1 earlier call at the end of the card");
        assert_eq!(n(Lang::En, 7), "7 earlier calls at the end of the card");
    }
}
