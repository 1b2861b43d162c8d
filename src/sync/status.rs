//! How current this register is with the other side: the last successful sync and the changes
//! not yet acknowledged, for the dashboard's header and `acodesk sync status`.

use super::tables::APPEND_ONLY;
use super::{Role, capture::mark, device_id, role};
use chrono::{DateTime, NaiveDateTime, Utc};
use rusqlite::{Connection, params};

/// Default age (days) past which the header's sync indicator turns amber.
pub const DEFAULT_WARN_DAYS: u32 = 3;
/// Default age (days) past which it turns red.
pub const DEFAULT_ALERT_DAYS: u32 = 7;

/// The sync state of a register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncStatus {
    /// Hub or device.
    pub role: Role,
    /// On a device, the last successful exchange with the hub; on the hub, the oldest of its
    /// devices' last exchanges (the one holding the figures back). `None`: never.
    pub last_sync: Option<DateTime<Utc>>,
    /// Calls and patient changes made here (on the hub: held here for some device) that the other
    /// side has not acknowledged.
    pub unsent: u64,
    /// Devices registered (on the hub).
    pub devices: u64,
}

/// How worrying the age of the last sync is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freshness {
    /// Recent enough.
    Fresh,
    /// Older than the warning age.
    Stale,
    /// Older than the alert age, or never synced.
    Overdue,
}

impl SyncStatus {
    /// Whole days since the last sync at `now` (`None`: never).
    pub fn age_days(&self, now: DateTime<Utc>) -> Option<i64> {
        self.last_sync.map(|t| (now - t).num_days().max(0))
    }

    /// The indicator's colour for these thresholds (days).
    pub fn freshness(&self, now: DateTime<Utc>, warn_days: u32, alert_days: u32) -> Freshness {
        match self.age_days(now) {
            None => Freshness::Overdue,
            Some(d) if d >= i64::from(alert_days) => Freshness::Overdue,
            Some(d) if d >= i64::from(warn_days) => Freshness::Stale,
            Some(_) => Freshness::Fresh,
        }
    }
}

/// The sync state, or `None` when the register takes part in no sync.
pub fn status(conn: &Connection) -> rusqlite::Result<Option<SyncStatus>> {
    let Some(role) = role(conn)? else {
        return Ok(None);
    };
    let peer_role = match role {
        Role::Hub => "device",
        Role::Device => "hub",
    };
    let (devices, oldest, never, least_acked): (i64, Option<String>, i64, Option<i64>) = conn
        .query_row(
            "SELECT count(*), min(last_sync_at), count(*) - count(last_sync_at), min(acked_seq)
         FROM sync_peers WHERE role = ?1",
            [peer_role],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )?;
    let last_sync = if never > 0 {
        None
    } else {
        oldest.as_deref().and_then(parse_time)
    };
    let in_outbox: i64 = conn.query_row(
        "SELECT coalesce(sum(edits), 0) FROM sync_outbox WHERE seq > ?1",
        [least_acked.unwrap_or(0)],
        |r| r.get(0),
    )?;
    let only = (role == Role::Device)
        .then(|| device_id(conn))
        .transpose()?;
    let mut not_captured = 0i64;
    for table in APPEND_ONLY.iter().filter(|t| **t != "audit") {
        let sql = match *table {
            "calls" => {
                "SELECT count(*) FROM calls WHERE rowid > ?1 AND (?2 IS NULL OR device = ?2)"
            }
            _ => "SELECT count(*) FROM changes WHERE rowid > ?1 AND (?2 IS NULL OR device = ?2)",
        };
        let n: i64 = conn.query_row(sql, params![mark(conn, table)?, only], |r| r.get(0))?;
        not_captured += n;
    }
    Ok(Some(SyncStatus {
        role,
        last_sync,
        unsent: (in_outbox + not_captured) as u64,
        devices: if role == Role::Hub { devices as u64 } else { 0 },
    }))
}

/// What the dashboard's header shows: computed by the worker, drawn by the view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyncBadge {
    /// Whole days since the last sync (`None`: never).
    pub days: Option<i64>,
    /// Changes not yet acknowledged by the other side.
    pub unsent: u64,
    /// The indicator's colour.
    pub freshness: Freshness,
    /// A laptop holding only part of the register ([`super::scope`]).
    pub scoped: bool,
}

/// The header's sync indicator at `now`, or `None` when the register takes part in no sync.
pub fn badge(
    conn: &Connection,
    now: DateTime<Utc>,
    warn_days: u32,
    alert_days: u32,
) -> rusqlite::Result<Option<SyncBadge>> {
    let scoped = super::scope::is_scoped(conn)?;
    Ok(status(conn)?.map(|s| SyncBadge {
        days: s.age_days(now),
        unsent: s.unsent,
        freshness: s.freshness(now, warn_days, alert_days),
        scoped,
    }))
}

fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%SZ")
        .ok()
        .map(|t| t.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status_at(last: Option<&str>) -> SyncStatus {
        SyncStatus {
            role: Role::Device,
            last_sync: last.and_then(parse_time),
            unsent: 0,
            devices: 0,
        }
    }

    #[test]
    fn the_indicator_ages_from_fresh_to_stale_to_overdue() {
        let now = parse_time("2026-11-20T12:00:00Z").unwrap();
        let f = |last| status_at(last).freshness(now, 3, 7);
        assert_eq!(f(Some("2026-11-19T12:00:00Z")), Freshness::Fresh);
        assert_eq!(f(Some("2026-11-17T11:00:00Z")), Freshness::Stale);
        assert_eq!(f(Some("2026-11-13T12:00:00Z")), Freshness::Overdue);
        assert_eq!(f(None), Freshness::Overdue);
        assert_eq!(
            status_at(Some("2026-11-17T11:00:00Z")).age_days(now),
            Some(3)
        );
    }
}
