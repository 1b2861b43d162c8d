//! The Worklist tab: who to call, why, how late and how urgent; the lost-to-follow-up list apart.

use super::widgets::truncate;
use crate::domain::worklist::{Finding, Priority, Reason};
use crate::store::views::WorklistView;
use crate::tui::action::Action;
use crate::tui::app::{App, Section};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Block, Borders, Cell, Paragraph, Row, StatefulWidget, Table, TableState, Widget,
};

/// The short label of a reason for table cells.
pub fn reason_short(app: &App, r: Reason) -> String {
    app.ctx.i18n.t(&format!("reason-short-{}", r.as_code()))
}

/// A finding's label on a row (see [`crate::i18n::worklist::finding_label`]).
fn finding_label(app: &App, f: &Finding) -> String {
    crate::i18n::worklist::finding_label(
        &app.ctx.i18n,
        f,
        app.ctx.clock.get().as_of,
        crate::store::rules::programs(),
    )
}

fn priority_mark(app: &App, p: Priority) -> (String, Style) {
    let theme = &app.ctx.theme;
    match p {
        Priority::Urgent => ("!!".into(), theme.urgent),
        Priority::High => ("! ".into(), theme.warn),
        Priority::Normal => ("  ".into(), theme.text),
    }
}

/// Draws the worklist into `area`.
pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let i18n = &app.ctx.i18n;
    let theme = &app.ctx.theme;
    let Some(view) = &app.worklist.view else {
        Paragraph::new(i18n.t("loading"))
            .style(theme.dim)
            .render(area, buf);
        return;
    };
    let [bar, area] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    render_section_bar(app, view, bar, buf);
    if app.worklist.section == Section::NoVisit12Months {
        render_lost(app, view, area, buf);
        return;
    }
    let [summary, table_area] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(3)]).areas(area);

    // Summary: counts by priority and the filter in force.
    let f = &app.worklist.filter;
    let count = |p: &str| view.by_priority.get(p).copied().unwrap_or(0) as i64;
    // The whole filtered list's size: counted separately, so "…" for a moment on a big register.
    let total = match view.total {
        Some(n) => i18n.t_args("patients-count", &[("count", (n as i64).into())]),
        None => format!(
            "{}…",
            i18n.t_args(
                "patients-count",
                &[("count", (view.rows.len() as i64).into())]
            )
        ),
    };
    let page = app.worklist.previous_pages.len() + 1;
    let mut spans = vec![
        Span::styled(total, theme.title),
        Span::styled(
            if page > 1 || view.next.is_some() {
                format!(
                    " ({})",
                    i18n.t_args("page-n", &[("page", (page as i64).into())])
                )
            } else {
                String::new()
            },
            theme.dim,
        ),
        Span::raw(" · "),
        Span::styled(
            format!(
                "{} {}",
                i18n.t("priority-urgent"),
                i18n.fmt.int(count("urgent"))
            ),
            theme.urgent,
        ),
        Span::raw(" · "),
        Span::styled(
            format!(
                "{} {}",
                i18n.t("priority-high"),
                i18n.fmt.int(count("high"))
            ),
            theme.warn,
        ),
        Span::raw(" · "),
        Span::raw(format!(
            "{} {}",
            i18n.t("priority-normal"),
            i18n.fmt.int(count("normal"))
        )),
    ];
    // What is typed comes first, so a narrow window never cuts it off.
    if app.worklist.typing || !f.search.is_empty() {
        let cursor = if app.worklist.typing { "▏" } else { "" };
        spans.push(Span::styled(
            format!(" · / {}{cursor}", f.search),
            theme.key,
        ));
    }
    // Which programme is shown: all of them unless one is chosen (the `filter_program` key).
    let lang = i18n.lang().code();
    let program = f.program.as_ref().map_or_else(
        || i18n.t("program-all"),
        |id| crate::store::rules::program(id).map_or(id.clone(), |p| p.name_in(lang).to_string()),
    );
    spans.push(Span::styled(
        format!(" · {}: {program}", i18n.t("program-label")),
        if f.program.is_some() {
            theme.key
        } else {
            theme.dim
        },
    ));
    let mut scope = Vec::new();
    if let Some(nurse) = &f.nurse_id {
        if app.ctx.config.staff_id.as_ref() == Some(nurse) {
            scope.push(i18n.t("filter-mine"));
        } else {
            let name = view
                .nurses
                .iter()
                .find(|(id, _, _)| id == nurse)
                .map_or(nurse.as_str(), |(_, n, _)| n.as_str());
            scope.push(format!("{} {name}", i18n.t("filter-nurse")));
        }
    }
    if let Some(site) = &f.site_id {
        let name = view
            .sites
            .iter()
            .find(|(id, _)| id == site)
            .map_or(site.as_str(), |(_, n)| n.as_str());
        scope.push(name.to_string());
    }
    if let Some(reason) = f.reason {
        scope.push(reason_short(app, reason));
    }
    if f.has_phone {
        scope.push(i18n.t("filter-has-phone"));
    }
    if scope.is_empty() {
        scope.push(i18n.t("filter-all"));
    }
    spans.push(Span::styled(
        format!(" · {}: {}", i18n.t("filter"), scope.join(", ")),
        theme.dim,
    ));
    Paragraph::new(Line::from(spans)).render(summary, buf);

    if view.rows.is_empty() {
        // Say which filter emptied the list, so nobody thinks the day's work is done.
        let mut filters = scope.clone();
        filters.retain(|s| *s != i18n.t("filter-all"));
        if f.program.is_some() {
            filters.insert(0, program.clone());
        }
        if !f.search.is_empty() {
            filters.push(format!("/ {}", f.search));
        }
        let text = if filters.is_empty() {
            match app.worklist.section.list() {
                Some(list) if list != crate::domain::worklist::Section::ToCall => {
                    i18n.t(&format!("section-empty-{}", list.as_code()))
                }
                _ => i18n.t("worklist-empty"),
            }
        } else {
            i18n.t_args(
                "worklist-empty-filter",
                &[("filter", filters.join(", ").as_str().into())],
            )
        };
        Paragraph::new(text)
            .style(theme.dim)
            .block(Block::default().borders(Borders::TOP))
            .render(table_area, buf);
    } else {
        let wide = area.width >= 120;
        let reasons_width: u16 = if area.width >= 160 {
            46
        } else if wide {
            30
        } else {
            24
        };
        // Every column but the name has its width; the name takes the rest and shrinks with an
        // ellipsis, so a phone is never cut (one column of spacing between columns).
        let phone_width =
            super::phone_cell::column_width(app, view.rows.iter().map(|r| r.phone.as_deref()));
        let fixed =
            3 + 4 + phone_width + 1 + reasons_width + 5 + if wide { 16 + 18 + 7 } else { 5 };
        let name_width = area.width.saturating_sub(fixed).max(8);
        let mut widths = vec![
            Constraint::Length(3),
            Constraint::Length(name_width),
            Constraint::Length(4),
            Constraint::Length(phone_width + 1),
            Constraint::Length(reasons_width),
            Constraint::Length(5),
        ];
        let mut header = vec![
            Cell::from(""),
            Cell::from(i18n.t("col-patient")),
            Cell::from(i18n.t("col-age")),
            Cell::from(i18n.t("col-phone")),
            Cell::from(i18n.t("col-reasons")),
            Cell::from(i18n.t("col-overdue")),
        ];
        if wide {
            widths.push(Constraint::Length(16));
            widths.push(Constraint::Length(18));
            header.push(Cell::from(i18n.t("col-nurse")));
            header.push(Cell::from(i18n.t("col-site")));
        }
        let rows = view.rows.iter().map(|r| {
            let (mark, style) = priority_mark(app, r.entry.priority);
            // Simple's high-risk mark beside the priority (the card says what it means).
            let mark = format!("{mark}{}", if r.entry.high_risk { "▲" } else { " " });
            // The deciding reason first (its days are the row's), so a narrow column still
            // shows why the patient is where she is.
            let mut findings = r.entry.findings.clone();
            findings.sort_by_key(|f| f.rank());
            let mut reasons: Vec<String> = findings.iter().map(|f| finding_label(app, f)).collect();
            if r.entry.another_way {
                reasons.insert(0, i18n.t("reason-short-another_way"));
            }
            if r.entry.unreachable {
                reasons.push(i18n.t("reason-short-unreachable"));
            }
            // Outside the list to call, the section's own words come first (the date agreed,
            // the outcome that removed her).
            if let Some(note) = crate::i18n::worklist::section_note(i18n, &r.entry) {
                reasons.retain(|x| *x != i18n.t("reason-short-another_way"));
                reasons.insert(0, note);
            }
            let mut cells = vec![
                Cell::from(Span::styled(mark, style)),
                Cell::from(truncate(&r.full_name, name_width as usize)),
                Cell::from(r.age.map(|a| a.to_string()).unwrap_or_default()),
                Cell::from(super::phone_cell::cell(
                    app,
                    r.phone.as_deref(),
                    r.phone_choice,
                )),
                Cell::from(truncate(&reasons.join(", "), reasons_width as usize)),
                Cell::from(if r.entry.days_overdue > 0 {
                    i18n.fmt.int(r.entry.days_overdue)
                } else {
                    String::new()
                }),
            ];
            if wide {
                cells.push(Cell::from(truncate(&r.nurse, 16)));
                cells.push(Cell::from(truncate(&r.site, 18)));
            }
            Row::new(cells)
        });
        let table = Table::new(rows, widths)
            .header(Row::new(header).style(theme.title))
            .row_highlight_style(theme.selected)
            .block(Block::default().borders(Borders::TOP));
        let mut state = TableState::default().with_selected(Some(app.worklist.selected));
        StatefulWidget::render(table, table_area, buf, &mut state);
    }
}

/// The section bar: every section with its count, the one shown highlighted, and the key that
/// switches them. The counts are the register's (`WorklistCounts::by_section`), so another
/// instance's calls show here after a refresh.
fn render_section_bar(app: &App, view: &WorklistView, area: Rect, buf: &mut Buffer) {
    let i18n = &app.ctx.i18n;
    let theme = &app.ctx.theme;
    let mut spans = Vec::new();
    for (i, section) in Section::ALL.iter().enumerate() {
        let count = match section.list() {
            Some(list) => app
                .worklist
                .section_counts
                .as_ref()
                .and_then(|c| c.get(list.as_code()).copied()),
            None => view.lost_total,
        };
        let count = count.map_or_else(|| "…".to_string(), |n| i18n.fmt.int(n as i64));
        if i > 0 {
            spans.push(Span::styled(" · ", theme.dim));
        }
        let style = if *section == app.worklist.section {
            theme.selected
        } else if *section == Section::AnotherWay && count != "0" && count != "…" {
            theme.urgent
        } else {
            theme.dim
        };
        spans.push(Span::styled(
            format!("{} {count}", i18n.t(section.tab_key())),
            style,
        ));
    }
    if let Some(k) = app.ctx.keymap.hint(Action::NextSection) {
        spans.push(Span::styled(format!("  [{k}]"), theme.key));
    }
    Paragraph::new(Line::from(spans)).render(area, buf);
}

/// "of them 46 taken off the list by a nurse · 12 of them also on the call list" once the
/// counts are in (the catalogue's one lost-to-follow-up definition, `domain::measures::follow_up`,
/// decides the count and both lists' overlap).
fn on_list_note(i18n: &crate::i18n::I18n, view: &WorklistView) -> String {
    match (view.lost_total, view.lost_on_list) {
        (Some(total), Some(n)) if total > 0 => {
            let taken_off = view.lost_taken_off.unwrap_or(0) as i64;
            format!(
                "{} · {}",
                i18n.t_args("lost-taken-off", &[("count", taken_off.into())]),
                i18n.t_args("lost-on-list", &[("count", (n as i64).into())])
            )
        }
        _ => String::new(),
    }
}

/// The "no visit in 12 months" section: the patients lost to follow-up, longest without a visit
/// first, moved through, opened and called like the call list.
fn render_lost(app: &App, view: &WorklistView, area: Rect, buf: &mut Buffer) {
    let i18n = &app.ctx.i18n;
    let theme = &app.ctx.theme;
    let [summary, table_area] =
        Layout::vertical([Constraint::Length(2), Constraint::Min(3)]).areas(area);
    let count = view
        .lost_total
        .map_or(view.lost_to_follow_up.len() as i64, |n| n as i64);
    // The catalogue's label and count: the figure Progress and the report show as `lost`.
    let label =
        crate::domain::measures::measure("lost").map_or("", |m| m.label.get(i18n.lang().code()));
    let title = Span::styled(
        i18n.t_args(
            "lost-title",
            &[("count", count.into()), ("label", label.into())],
        ),
        theme.title,
    );
    // The second line: how many a nurse took off the list, how many are also on the call list.
    let mut spans = Vec::new();
    let note = on_list_note(i18n, view);
    if !note.is_empty() {
        spans.push(Span::styled(note, theme.dim));
    }
    if (view.lost_to_follow_up.len() as i64) < count {
        spans.push(Span::styled(
            format!(
                " ({})",
                i18n.t_args(
                    "section-first-n",
                    &[("count", (view.lost_to_follow_up.len() as i64).into())]
                )
            ),
            theme.dim,
        ));
    }
    Paragraph::new(vec![Line::from(title), Line::from(spans)]).render(summary, buf);
    if view.lost_to_follow_up.is_empty() {
        let text = if view.lost_total.is_none() {
            i18n.t("loading")
        } else {
            i18n.t("section-lost-empty")
        };
        Paragraph::new(text)
            .style(theme.dim)
            .block(Block::default().borders(Borders::TOP))
            .render(table_area, buf);
        return;
    }
    let phone_width = super::phone_cell::column_width(
        app,
        view.lost_to_follow_up.iter().map(|l| l.phone.as_deref()),
    );
    let fixed = phone_width + 1 + 10 + 26 + 3;
    let name_width = area.width.saturating_sub(fixed).max(8);
    let widths = [
        Constraint::Length(name_width),
        Constraint::Length(phone_width + 1),
        Constraint::Length(10),
        Constraint::Length(26),
    ];
    let header = Row::new(vec![
        Cell::from(i18n.t("col-patient")),
        Cell::from(i18n.t("col-phone")),
        Cell::from(i18n.t("col-last-visit")),
        Cell::from(i18n.t("col-site")),
    ])
    .style(theme.title);
    let taken_off = i18n.t("lost-taken-off-mark");
    let rows = view.lost_to_follow_up.iter().map(|l| {
        // Taken off the list by a nurse: still lost (counted), greyed and said so.
        let name = if l.taken_off {
            format!("{} ({taken_off})", l.full_name)
        } else {
            l.full_name.clone()
        };
        let style = if l.taken_off {
            theme.dim
        } else {
            ratatui::style::Style::default()
        };
        Row::new(vec![
            Cell::from(truncate(&name, name_width as usize)),
            Cell::from(super::phone_cell::cell(
                app,
                l.phone.as_deref(),
                l.phone_choice,
            )),
            Cell::from(
                l.last_visit
                    .map(|d| i18n.fmt.date(d))
                    .unwrap_or_else(|| i18n.t("never")),
            ),
            Cell::from(truncate(&l.site, 26)),
        ])
        .style(style)
    });
    let table = Table::new(rows, widths)
        .header(header)
        .row_highlight_style(theme.selected)
        .block(Block::default().borders(Borders::TOP));
    let mut state = TableState::default().with_selected(Some(app.worklist.lost_selected));
    StatefulWidget::render(table, table_area, buf, &mut state);
}
