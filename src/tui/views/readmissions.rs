//! The Readmissions tab: the 30-day rate by month against the target, by hospital, and the open
//! windows the nurses can still act on, with LACE in its four parts.

use crate::tui::app::App;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Bar, BarChart, BarGroup, Block, Borders, Cell, Paragraph, Row, StatefulWidget, Table,
    TableState, Widget,
};

use crate::domain::readmission::TARGET_RATE;

/// Draws the tab into `area`.
pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let i18n = &app.ctx.i18n;
    let theme = &app.ctx.theme;
    let Some(v) = &app.readmissions else {
        Paragraph::new(i18n.t("loading"))
            .style(theme.dim)
            .render(area, buf);
        return;
    };
    let s = &v.summary;
    let rate = s
        .rate
        .map(|r| i18n.fmt.percent(r))
        .unwrap_or_else(|| "—".into());
    let rate_style = if s.rate.is_some_and(|r| r > TARGET_RATE) {
        theme.urgent
    } else {
        theme.good
    };
    let summary = Line::from(vec![
        Span::styled(format!("{}: ", i18n.t("readm-rate")), theme.title),
        Span::styled(rate, rate_style),
        Span::raw(format!(
            " ({}/{})",
            i18n.fmt.int(s.readmissions as i64),
            i18n.fmt.int(s.index_stays as i64)
        )),
        Span::styled(
            format!(
                " · {} {}",
                i18n.t("readm-target"),
                i18n.fmt.percent(TARGET_RATE)
            ),
            theme.dim,
        ),
        Span::raw(format!(
            " · {}: {}",
            i18n.t("readm-open"),
            v.open_windows.len()
        )),
        Span::styled(
            format!(
                " · {} – {}",
                i18n.fmt.date(s.period.from),
                i18n.fmt.date(s.period.to)
            ),
            theme.dim,
        ),
    ]);
    let chart_height = if area.height >= 20 { 8 } else { 5 };
    let [summary_area, chart_area, list_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(chart_height),
        Constraint::Min(3),
    ])
    .areas(area);
    Paragraph::new(summary).render(summary_area, buf);

    let [months_area, orgs_area] =
        Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)])
            .spacing(1)
            .areas(chart_area);
    let bars: Vec<Bar> = s
        .by_month
        .iter()
        .map(|m| {
            let pct = m.rate.map(|r| (r * 100.0).round() as u64).unwrap_or(0);
            let style = if m.rate.is_some_and(|r| r > TARGET_RATE) {
                theme.urgent
            } else {
                theme.series
            };
            Bar::default()
                .value(pct)
                .label(Line::from(m.month.get(5..7).unwrap_or("").to_string()))
                .text_value(format!("{pct}"))
                .style(style)
        })
        .collect();
    // The period rarely starts on the 1st: the title dates the partial first month.
    let from = i18n.fmt.date(v.summary.period.from);
    BarChart::default()
        .block(
            Block::default()
                .borders(Borders::TOP)
                .title(i18n.t_args("readm-by-month", &[("from", from.as_str().into())])),
        )
        .data(BarGroup::default().bars(&bars))
        .bar_width(2)
        .bar_gap(1)
        .render(months_area, buf);

    let org_rows = s.by_organization.iter().map(|o| {
        let name = o
            .organization_id
            .as_ref()
            .and_then(|id| {
                v.organizations
                    .iter()
                    .find(|(oid, _)| oid == id)
                    .map(|(_, n)| n.clone())
            })
            .unwrap_or_else(|| "—".into());
        let rate = o
            .rate
            .map(|r| i18n.fmt.percent(r))
            .unwrap_or_else(|| "—".into());
        Row::new(vec![
            Cell::from(name),
            Cell::from(rate),
            Cell::from(format!("{}/{}", o.readmissions, o.index_stays)),
        ])
    });
    let orgs = Table::new(
        org_rows,
        [
            Constraint::Min(10),
            Constraint::Length(7),
            Constraint::Length(9),
        ],
    )
    .block(
        Block::default()
            .borders(Borders::TOP)
            .title(i18n.t("readm-by-hospital")),
    );
    Widget::render(orgs, orgs_area, buf);

    if app.readmissions_pairs {
        render_pairs(app, v, list_area, buf);
        return;
    }
    if v.open_windows.is_empty() {
        Paragraph::new(i18n.t("readm-no-open"))
            .style(theme.dim)
            .block(Block::default().borders(Borders::TOP))
            .render(list_area, buf);
        return;
    }
    let header = Row::new(vec![
        Cell::from(i18n.t("col-patient")),
        Cell::from(i18n.t("readm-discharged")),
        Cell::from(i18n.t("readm-days-left")),
        Cell::from("LACE L+A+C+E"),
        Cell::from(i18n.t("col-phone")),
    ])
    .style(theme.title);
    // Only the rows that can be on screen are built: a large register has thousands of windows.
    let (first, selected) = visible_window(
        app.readmissions_selected,
        v.open_windows.len(),
        list_area.height,
    );
    let rows = v
        .open_windows
        .iter()
        .skip(first)
        .take(list_area.height as usize)
        .map(|w| {
            let l = &w.lace;
            let style = if w.readmitted {
                theme.dim
            } else if w.high_risk {
                theme.urgent
            } else {
                theme.text
            };
            let lace = format!("{:>2} = {}+{}+{}+{}", l.total, l.l, l.a, l.c, l.e);
            let left = if w.readmitted {
                i18n.t("readm-readmitted")
            } else {
                w.days_left.to_string()
            };
            Row::new(vec![
                Cell::from(w.full_name.clone()),
                Cell::from(i18n.fmt.date(w.discharged)),
                Cell::from(left),
                Cell::from(lace),
                Cell::from(w.phone.clone().unwrap_or_else(|| i18n.t("no-phone"))),
            ])
            .style(style)
        });
    let table = Table::new(
        rows,
        [
            Constraint::Min(20),
            Constraint::Length(11),
            Constraint::Length(10),
            Constraint::Length(15),
            Constraint::Length(17),
        ],
    )
    .header(header)
    .row_highlight_style(theme.selected)
    .block(
        Block::default()
            .borders(Borders::TOP)
            .title(i18n.t("readm-open-title")),
    );
    let mut state = TableState::default().with_selected(Some(selected));
    StatefulWidget::render(table, list_area, buf, &mut state);
}

/// The readmitted index episodes with both episodes side by side.
/// The narrowest pairs table that shows both stays whole (admission – discharge) beside a name.
const WHOLE_STAYS_WIDTH: u16 = 110;

fn render_pairs(
    app: &App,
    v: &crate::store::views::ReadmissionsView,
    area: Rect,
    buf: &mut Buffer,
) {
    let i18n = &app.ctx.i18n;
    let theme = &app.ctx.theme;
    if v.pairs.is_empty() {
        Paragraph::new(i18n.t("readm-no-pairs"))
            .style(theme.dim)
            .block(Block::default().borders(Borders::TOP))
            .render(area, buf);
        return;
    }
    let org = |id: &Option<String>| {
        id.as_ref()
            .and_then(|id| {
                v.organizations
                    .iter()
                    .find(|(oid, _)| oid == id)
                    .map(|(_, n)| n.clone())
            })
            .unwrap_or_default()
    };
    // A date is never cut: where both stays do not fit whole, each shows the one date the rule
    // joins them by (the index stay's discharge, the readmission's admission).
    let whole_stays = area.width >= WHOLE_STAYS_WIDTH;
    let span = |e: &crate::domain::readmission::Episode| match e.discharged {
        Some(d) => format!("{} – {}", i18n.fmt.date(e.admitted), i18n.fmt.date(d)),
        None => format!("{} –", i18n.fmt.date(e.admitted)),
    };
    let index_text = |e: &crate::domain::readmission::Episode| {
        if whole_stays {
            span(e)
        } else {
            e.discharged.map(|d| i18n.fmt.date(d)).unwrap_or_default()
        }
    };
    let readmission_text = |e: &crate::domain::readmission::Episode| {
        if whole_stays {
            span(e)
        } else {
            i18n.fmt.date(e.admitted)
        }
    };
    let (index_title, readmission_title, stay_width) = if whole_stays {
        ("readm-index", "readm-readmission", 24)
    } else {
        ("readm-index-discharged", "readm-readmitted-on", 11)
    };
    let header = Row::new(vec![
        Cell::from(i18n.t("col-patient")),
        Cell::from(i18n.t(index_title)),
        Cell::from(i18n.t(readmission_title)),
        Cell::from(i18n.t("readm-days-between")),
        Cell::from(i18n.t("col-site")),
    ])
    .style(theme.title);
    let (first, selected) = visible_window(app.readmissions_selected, v.pairs.len(), area.height);
    let rows = v
        .pairs
        .iter()
        .skip(first)
        .take(area.height as usize)
        .map(|p| {
            Row::new(vec![
                Cell::from(p.full_name.clone()),
                Cell::from(index_text(&p.index)),
                Cell::from(readmission_text(&p.readmission)),
                Cell::from(p.days_between.to_string()),
                Cell::from(org(&p.readmission.organization_id)),
            ])
        });
    let table = Table::new(
        rows,
        [
            Constraint::Min(20),
            Constraint::Length(stay_width),
            Constraint::Length(stay_width),
            Constraint::Length(5),
            Constraint::Min(10),
        ],
    )
    .header(header)
    .row_highlight_style(theme.selected)
    .block(
        Block::default()
            .borders(Borders::TOP)
            .title(i18n.t("readm-pairs-title")),
    );
    let mut state = TableState::default().with_selected(Some(selected));
    StatefulWidget::render(table, area, buf, &mut state);
}

/// The first row to build so the selection stays visible in an area of `height` lines (header and
/// border included), and the selection's index within the built rows.
fn visible_window(selected: usize, len: usize, height: u16) -> (usize, usize) {
    let rows = (height as usize).saturating_sub(3).max(1);
    let selected = selected.min(len.saturating_sub(1));
    let first = (selected + 1).saturating_sub(rows);
    (first, selected - first)
}

#[cfg(test)]
mod tests {
    use super::visible_window;

    #[test]
    fn the_selection_stays_on_screen() {
        assert_eq!(visible_window(0, 1000, 13), (0, 0));
        assert_eq!(visible_window(9, 1000, 13), (0, 9));
        assert_eq!(visible_window(10, 1000, 13), (1, 9));
        assert_eq!(visible_window(999, 1000, 13), (990, 9));
        assert_eq!(visible_window(5, 0, 13), (0, 0));
    }
}
