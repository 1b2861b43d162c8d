//! Utilisation beside money for the Budget tab, `finance` and the report: admissions, emergency
//! visits, bed-days and outpatient visits (day-hospital stays apart) per 1,000 person-years and spend per person-year by
//! category, by the patients' site (`domain::finance::utilisation`).
//!
//! One pass over the performance year's encounters and claim lines gathers them **by day**
//! ([`YearUse`], kept with the Budget figures' year inputs until a write changes the data); the
//! figures of any as-of date of that year are then sums in memory ([`YearUse::at`]), so a new
//! morning does not scan the year again.

use crate::domain::finance::lag::elapsed_share;
use crate::domain::finance::utilisation::{SiteUse, UNSTATED_FUNDING, Utilisation};
use crate::domain::money::Money;
use crate::domain::types::ClaimCategory;
use chrono::{Datelike, NaiveDate};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The performance year's utilisation by day and site: everything an as-of date in it needs.
/// Days are counted from the year's 1 January (day 0); sites are indexes into `sites`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct YearUse {
    /// The performance year.
    pub year: i32,
    /// The patients' sites: id ("" for none) and name.
    sites: Vec<(String, String)>,
    /// Enrolment spans: site, first month, last month (`YYYY-MM`), patients.
    spans: Vec<(usize, String, String, u64)>,
    /// Encounters starting in the year, except inpatient stays with no discharge: site, class,
    /// start day, count, bed-days (inpatient only: discharge − admission, at least 1).
    encounters: Vec<(usize, String, i64, u64, u64)>,
    /// Inpatient stays starting in the year with no discharge yet: site, start day, count (their
    /// bed-days run to the as-of date).
    open_stays: Vec<(usize, i64, u64)>,
    /// Claim lines of services in the year: site, category, funding, the day the line counts from
    /// (the later of its service date and its received date), paid (minor units).
    claims: Vec<(usize, String, Option<String>, i64, i64)>,
}

/// The performance year's utilisation by day: one pass over its encounters and claim lines.
pub(super) fn year_use(conn: &Connection, year: i32) -> rusqlite::Result<YearUse> {
    let (Some(from), Some(to)) = (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year, 12, 31),
    ) else {
        return Ok(YearUse {
            year,
            ..YearUse::default()
        });
    };
    let mut sites = Sites::default();
    let spans = conn
        .prepare_cached(
            "SELECT coalesce(p.site_id, ''), substr(e.enrolled_on, 1, 7),
                    substr(min(coalesce(p.death_date, '9999-12'), coalesce(p.moved_on, '9999-12')), 1, 7),
                    count(*)
             FROM (SELECT patient_id, min(enrolled_on) AS enrolled_on FROM enrolments
                   WHERE ended_on IS NULL GROUP BY patient_id) e
             JOIN patients p ON p.id = e.patient_id GROUP BY 1, 2, 3",
        )?
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?
        .into_iter()
        .map(|(site, first, last, n)| (sites.index(&site), first, last, count(n)))
        .collect();
    let day = |date: &str| -> i64 {
        NaiveDate::parse_from_str(date.get(..10).unwrap_or(date), "%Y-%m-%d")
            .map_or(i64::MAX, |d| (d - from).num_days())
    };
    let mut encounters = Vec::new();
    let mut open_stays = Vec::new();
    let mut stmt = conn.prepare_cached(
        "SELECT coalesce(p.site_id, ''), en.class, substr(en.start_at, 1, 10),
                en.end_at IS NULL AND en.class = 'inpatient', count(*),
                sum(CASE WHEN en.class = 'inpatient' AND en.end_at IS NOT NULL
                         THEN max(1, CAST(julianday(substr(en.end_at, 1, 10))
                                          - julianday(substr(en.start_at, 1, 10)) AS INTEGER))
                         ELSE 0 END)
         FROM encounters en JOIN patients p ON p.id = en.patient_id
         WHERE substr(en.start_at, 1, 10) BETWEEN ?1 AND ?2 GROUP BY 1, 2, 3, 4",
    )?;
    let rows = stmt.query_map(params![from.to_string(), to.to_string()], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, bool>(3)?,
            r.get::<_, i64>(4)?,
            r.get::<_, Option<i64>>(5)?,
        ))
    })?;
    for row in rows {
        let (site, class, start, open, n, bed_days) = row?;
        let site = sites.index(&site);
        if open {
            open_stays.push((site, day(&start), count(n)));
        } else {
            encounters.push((
                site,
                class,
                day(&start),
                count(n),
                count(bed_days.unwrap_or(0)),
            ));
        }
    }
    let mut claims = Vec::new();
    let mut stmt = conn.prepare_cached(
        "SELECT coalesce(p.site_id, ''), c.category, c.funding,
                max(c.service_date, coalesce(c.received_on, '')), sum(c.paid_minor)
         FROM claim_lines c JOIN patients p ON p.id = c.patient_id
         WHERE c.service_date BETWEEN ?1 AND ?2
         GROUP BY 1, 2, 3, 4",
    )?;
    let rows = stmt.query_map(params![from.to_string(), to.to_string()], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<String>>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, i64>(4)?,
        ))
    })?;
    for row in rows {
        let (site, category, funding, counts_from, paid) = row?;
        claims.push((
            sites.index(&site),
            category,
            funding,
            day(&counts_from),
            paid,
        ));
    }
    // Site names.
    let mut names = conn.prepare_cached("SELECT name FROM organizations WHERE id = ?1")?;
    let mut named = Vec::with_capacity(sites.ids.len());
    for id in sites.ids {
        let name = names
            .query_row([&id], |r| r.get::<_, String>(0))
            .optional()?
            .unwrap_or_else(|| id.clone());
        named.push((id, name));
    }
    Ok(YearUse {
        year,
        sites: named,
        spans,
        encounters,
        open_stays,
        claims,
    })
}

impl YearUse {
    /// Utilisation over the year up to `as_of` (claims received by then): person-years pro rata
    /// to the as-of day, encounters starting by then, claims served and received by then.
    pub fn at(&self, as_of: NaiveDate) -> Utilisation {
        let (Some(from), Some(end)) = (
            NaiveDate::from_ymd_opt(self.year, 1, 1),
            NaiveDate::from_ymd_opt(self.year, 12, 31),
        ) else {
            return Utilisation::default();
        };
        let to = end.min(as_of);
        if to < from {
            return Utilisation::default();
        }
        let last_day = (to - from).num_days();
        let received_by = (as_of - from).num_days();
        let mut sites: BTreeMap<usize, SiteUse> = BTreeMap::new();
        // Person-years: each site's member-months from January to the as-of month (pro rata).
        let last_month = to.month();
        let share = if to == as_of {
            elapsed_share(as_of)
        } else {
            1.0
        };
        let year = self.year;
        for (site, first, last, n) in &self.spans {
            let entry = sites.entry(*site).or_default();
            for m in 1..=last_month {
                let key = format!("{year:04}-{m:02}");
                if *first <= key && key <= *last {
                    let part = if m == last_month { share } else { 1.0 };
                    entry.person_years += *n as f64 * part / 12.0;
                }
            }
        }
        // Encounters starting in the period: admissions with their bed-days, emergency, other visits.
        for (site, class, start, n, bed_days) in &self.encounters {
            if *start > last_day {
                continue;
            }
            let entry = sites.entry(*site).or_default();
            match class.as_str() {
                "inpatient" => {
                    entry.admissions += n;
                    entry.bed_days += bed_days;
                }
                "emergency" => entry.emergency_visits += n,
                // Day-hospital care is no admission (no bed-days) and no visit.
                "day_hospital" => entry.day_hospital_stays += n,
                _ => entry.outpatient_visits += n,
            }
        }
        // Stays not yet discharged: their bed-days so far.
        for (site, start, n) in &self.open_stays {
            if *start > last_day {
                continue;
            }
            let entry = sites.entry(*site).or_default();
            entry.admissions += n;
            entry.bed_days += n * u64::try_from((last_day - start).max(1)).unwrap_or(1);
        }
        // Claims by category and by who pays them, served and received by the as-of date.
        for (site, category, funding, counts_from, paid) in &self.claims {
            if *counts_from > received_by {
                continue;
            }
            let category = ClaimCategory::from_code(category).unwrap_or(ClaimCategory::Other);
            let entry = sites.entry(*site).or_default();
            *entry.spend.entry(category).or_insert(Money::ZERO) += Money(*paid);
            *entry
                .spend_by_funding
                .entry(
                    funding
                        .clone()
                        .unwrap_or_else(|| UNSTATED_FUNDING.to_string()),
                )
                .or_insert(Money::ZERO) += Money(*paid);
        }
        // By site id, then the largest first (as the sites were always listed).
        let mut by_site: Vec<(&str, SiteUse)> = sites
            .into_iter()
            .filter_map(|(i, mut use_)| {
                let (id, name) = self.sites.get(i)?;
                use_.site = name.clone();
                Some((id.as_str(), use_))
            })
            .collect();
        by_site.sort_by(|a, b| a.0.cmp(b.0));
        let mut by_site: Vec<SiteUse> = by_site.into_iter().map(|(_, u)| u).collect();
        by_site.sort_by(|a, b| b.person_years.total_cmp(&a.person_years));
        Utilisation::of(by_site)
    }
}

/// Site ids met while reading, by first appearance.
#[derive(Default)]
struct Sites {
    ids: Vec<String>,
    index: BTreeMap<String, usize>,
}

impl Sites {
    fn index(&mut self, id: &str) -> usize {
        if let Some(i) = self.index.get(id) {
            return *i;
        }
        self.ids.push(id.to_string());
        self.index.insert(id.to_string(), self.ids.len() - 1);
        self.ids.len() - 1
    }
}

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}
