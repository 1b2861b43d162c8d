//! Utilisation beside money for the Budget tab, `finance` and the report: admissions, emergency
//! visits, bed-days and outpatient visits (day-hospital stays apart) per 1,000 person-years and spend per person-year by
//! category, by the patients' site (`domain::finance::utilisation`). One pass over the year's
//! encounters and claim lines, kept in the Budget tab's cache of patient figures (one as-of date,
//! dropped by every write that changes them).

use crate::domain::finance::lag::elapsed_share;
use crate::domain::finance::utilisation::{SiteUse, UNSTATED_FUNDING, Utilisation};
use crate::domain::money::Money;
use crate::domain::types::ClaimCategory;
use chrono::{Datelike, NaiveDate};
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::BTreeMap;

/// Utilisation over the performance year `year` up to `as_of` (claims received by then).
pub(super) fn utilisation(
    conn: &Connection,
    year: i32,
    as_of: NaiveDate,
) -> rusqlite::Result<Utilisation> {
    let from = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(as_of);
    let to = NaiveDate::from_ymd_opt(year, 12, 31)
        .unwrap_or(as_of)
        .min(as_of);
    let mut sites: BTreeMap<String, SiteUse> = BTreeMap::new();
    if to < from {
        return Ok(Utilisation::default());
    }
    // Person-years: each site's member-months from January to the as-of month (pro rata).
    let mut stmt = conn.prepare_cached(
        "SELECT coalesce(p.site_id, ''), substr(e.enrolled_on, 1, 7),
                substr(min(coalesce(p.death_date, '9999-12'), coalesce(p.moved_on, '9999-12')), 1, 7),
                count(*)
         FROM (SELECT patient_id, min(enrolled_on) AS enrolled_on FROM enrolments WHERE ended_on IS NULL GROUP BY patient_id) e
         JOIN patients p ON p.id = e.patient_id GROUP BY 1, 2, 3",
    )?;
    let spans = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let last_month = to.month();
    let share = if to == as_of {
        elapsed_share(as_of)
    } else {
        1.0
    };
    for (site, first, last, n) in spans {
        let entry = sites.entry(site).or_default();
        for m in 1..=last_month {
            let key = format!("{year:04}-{m:02}");
            if first <= key && key <= last {
                let part = if m == last_month { share } else { 1.0 };
                entry.person_years += n as f64 * part / 12.0;
            }
        }
    }
    // Encounters starting in the period: admissions with their bed-days, emergency, other visits.
    let mut stmt = conn.prepare_cached(
        "SELECT coalesce(p.site_id, ''), en.class, count(*),
                sum(CASE WHEN en.class = 'inpatient'
                         THEN max(1, CAST(julianday(substr(coalesce(en.end_at, ?2), 1, 10))
                                          - julianday(substr(en.start_at, 1, 10)) AS INTEGER))
                         ELSE 0 END)
         FROM encounters en JOIN patients p ON p.id = en.patient_id
         WHERE substr(en.start_at, 1, 10) BETWEEN ?1 AND ?2 GROUP BY 1, 2",
    )?;
    let rows = stmt
        .query_map(params![from.to_string(), to.to_string()], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, Option<i64>>(3)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (site, class, count, bed_days) in rows {
        let entry = sites.entry(site).or_default();
        let count = u64::try_from(count).unwrap_or(0);
        match class.as_str() {
            "inpatient" => {
                entry.admissions += count;
                entry.bed_days += u64::try_from(bed_days.unwrap_or(0)).unwrap_or(0);
            }
            "emergency" => entry.emergency_visits += count,
            // Day-hospital care is no admission (no bed-days) and no visit.
            "day_hospital" => entry.day_hospital_stays += count,
            _ => entry.outpatient_visits += count,
        }
    }
    // Claims by category and by who pays them, received by the as-of date.
    let mut stmt = conn.prepare_cached(
        "SELECT coalesce(p.site_id, ''), c.category, sum(c.paid_minor), c.funding
         FROM claim_lines c JOIN patients p ON p.id = c.patient_id
         WHERE c.service_date BETWEEN ?1 AND ?2 AND coalesce(c.received_on, '') <= ?3
         GROUP BY 1, 2, 4",
    )?;
    let rows = stmt
        .query_map(
            params![from.to_string(), to.to_string(), as_of.to_string()],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, Option<String>>(3)?,
                ))
            },
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (site, category, paid, funding) in rows {
        let category = ClaimCategory::from_code(&category).unwrap_or(ClaimCategory::Other);
        let entry = sites.entry(site).or_default();
        *entry.spend.entry(category).or_insert(Money::ZERO) += Money(paid);
        *entry
            .spend_by_funding
            .entry(funding.unwrap_or_else(|| UNSTATED_FUNDING.to_string()))
            .or_insert(Money::ZERO) += Money(paid);
    }
    // Site names.
    let mut names = conn.prepare_cached("SELECT name FROM organizations WHERE id = ?1")?;
    let mut by_site = Vec::with_capacity(sites.len());
    for (id, mut use_) in sites {
        use_.site = names
            .query_row([&id], |r| r.get::<_, String>(0))
            .optional()?
            .unwrap_or(id);
        by_site.push(use_);
    }
    by_site.sort_by(|a, b| b.person_years.total_cmp(&a.person_years));
    Ok(Utilisation::of(by_site))
}
