//! Keeping only some row changes of a changeset, at the byte level: the hub sends a scoped device
//! the changes of its own patients only ([`super::scope`]).
//!
//! The session extension can record and apply changesets but has no filter, so this reads the
//! format it documents (sqlite.org/sessionintro.html, "Changeset Format", and the comment above
//! `sqlite3changeset_start` in sqlite3session.c) and copies the records it keeps:
//!
//! - a table header: `'T'`, a varint column count, one primary-key byte per column, the table name
//!   ending in a zero byte;
//! - then the table's records: an operation byte (`SQLITE_INSERT` 18, `SQLITE_UPDATE` 23,
//!   `SQLITE_DELETE` 9), an indirect flag byte, and the old values (delete, update) and the new
//!   values (insert, update);
//! - a value: a type byte — 0 undefined (an update's column left alone), 1 integer and 2 real
//!   (8 bytes, big-endian), 3 text and 4 blob (a varint length, then the bytes), 5 NULL.
//!
//! A header is written only before the first record of its table that is kept.

use rusqlite::types::Value;

/// What a record does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// A new row (new values only).
    Insert,
    /// A changed row (old values with the key, new values of the changed columns).
    Update,
    /// A removed row (old values only).
    Delete,
}

/// One record, as the filter's caller sees it: `None` for an undefined value.
pub struct Record<'a> {
    /// The table.
    pub table: &'a str,
    /// The operation.
    pub op: Op,
    /// The old values (empty for an insert).
    pub old: &'a [Option<Value>],
    /// The new values (empty for a delete).
    pub new: &'a [Option<Value>],
}

/// The changeset is not in the documented format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Malformed;

/// The records of `changeset` for which `keep` says yes, as a changeset, with their count.
pub fn filter(
    changeset: &[u8],
    mut keep: impl FnMut(&Record<'_>) -> bool,
) -> Result<(Vec<u8>, u64), Malformed> {
    let mut out = Vec::new();
    let mut kept = 0u64;
    let mut at = 0usize;
    // The current table: its name, column count and header bytes, and whether the header is out.
    let mut table: Option<(String, usize, std::ops::Range<usize>, bool)> = None;
    while at < changeset.len() {
        let byte = changeset[at];
        if byte == b'T' {
            let start = at;
            at += 1;
            let (columns, used) = varint(&changeset[at..]).ok_or(Malformed)?;
            at += used;
            let columns = usize::try_from(columns).map_err(|_| Malformed)?;
            at = at.checked_add(columns).ok_or(Malformed)?;
            let end = changeset[at.min(changeset.len())..]
                .iter()
                .position(|b| *b == 0)
                .ok_or(Malformed)?;
            let name = std::str::from_utf8(&changeset[at..at + end]).map_err(|_| Malformed)?;
            at += end + 1;
            table = Some((name.to_string(), columns, start..at, false));
            continue;
        }
        let Some((name, columns, header, written)) = table.as_mut() else {
            return Err(Malformed);
        };
        let op = match byte {
            18 => Op::Insert,
            23 => Op::Update,
            9 => Op::Delete,
            _ => return Err(Malformed),
        };
        let start = at;
        at += 2;
        let mut old = Vec::new();
        let mut new = Vec::new();
        if op != Op::Insert {
            at = values(changeset, at, *columns, &mut old)?;
        }
        if op != Op::Delete {
            at = values(changeset, at, *columns, &mut new)?;
        }
        let record = Record {
            table: name,
            op,
            old: &old,
            new: &new,
        };
        if keep(&record) {
            if !*written {
                out.extend_from_slice(&changeset[header.clone()]);
                *written = true;
            }
            out.extend_from_slice(&changeset[start..at]);
            kept += 1;
        }
    }
    Ok((out, kept))
}

/// Reads `n` values from `at`, returning where they end.
fn values(
    bytes: &[u8],
    mut at: usize,
    n: usize,
    into: &mut Vec<Option<Value>>,
) -> Result<usize, Malformed> {
    for _ in 0..n {
        let kind = *bytes.get(at).ok_or(Malformed)?;
        at += 1;
        let value = match kind {
            0 => None,
            5 => Some(Value::Null),
            1 | 2 => {
                let raw: [u8; 8] = bytes
                    .get(at..at + 8)
                    .ok_or(Malformed)?
                    .try_into()
                    .map_err(|_| Malformed)?;
                at += 8;
                let bits = u64::from_be_bytes(raw);
                Some(if kind == 1 {
                    Value::Integer(bits as i64)
                } else {
                    Value::Real(f64::from_bits(bits))
                })
            }
            3 | 4 => {
                let (len, used) = varint(bytes.get(at..).ok_or(Malformed)?).ok_or(Malformed)?;
                at += used;
                let len = usize::try_from(len).map_err(|_| Malformed)?;
                let data = bytes.get(at..at + len).ok_or(Malformed)?;
                at += len;
                Some(if kind == 3 {
                    Value::Text(String::from_utf8_lossy(data).into_owned())
                } else {
                    Value::Blob(data.to_vec())
                })
            }
            _ => return Err(Malformed),
        };
        into.push(value);
    }
    Ok(at)
}

/// SQLite's varint (as `sqlite3GetVarint`): up to 8 bytes of 7 bits, high bit set when more
/// follow, and a 9th byte of 8 bits. Returns the value and the bytes used.
fn varint(bytes: &[u8]) -> Option<(u64, usize)> {
    let mut value = 0u64;
    for (i, byte) in bytes.iter().enumerate().take(9) {
        if i == 8 {
            return Some(((value << 8) | u64::from(*byte), 9));
        }
        value = (value << 7) | u64::from(byte & 0x7f);
        if byte & 0x80 == 0 {
            return Some((value, i + 1));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::Connection;

    /// A changeset of inserts, an update and a delete over two tables, with every value type.
    fn sample() -> Vec<u8> {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE a (id TEXT PRIMARY KEY, patient_id TEXT, n INTEGER, r REAL, b BLOB);
             CREATE TABLE o (id TEXT PRIMARY KEY, name TEXT);
             INSERT INTO a VALUES ('u1', 'P1', 1, 1.5, x'00ff'), ('u2', 'P2', 2, NULL, NULL);",
        )
        .unwrap();
        let mut session = rusqlite::session::Session::new(&conn).unwrap();
        session.attach::<&str>(None).unwrap();
        let long = "ж".repeat(200);
        conn.execute_batch(&format!(
            "INSERT INTO a VALUES ('u3', 'P1', -7, 2.25, NULL), ('u4', 'P2', 300, 0.0, x'01');
             INSERT INTO o VALUES ('O1', '{long}');
             UPDATE a SET n = 5 WHERE id = 'u1';
             DELETE FROM a WHERE id = 'u2';"
        ))
        .unwrap();
        let mut out = Vec::new();
        session.changeset_strm(&mut out).unwrap();
        drop(session);
        out
    }

    fn applied(changeset: &[u8]) -> Vec<(String, String)> {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE a (id TEXT PRIMARY KEY, patient_id TEXT, n INTEGER, r REAL, b BLOB);
             CREATE TABLE o (id TEXT PRIMARY KEY, name TEXT);
             INSERT INTO a VALUES ('u1', 'P1', 1, 1.5, x'00ff'), ('u2', 'P2', 2, NULL, NULL);",
        )
        .unwrap();
        let mut input: &[u8] = changeset;
        conn.apply_strm(&mut input, None::<fn(&str) -> bool>, |_, _| {
            rusqlite::session::ConflictAction::SQLITE_CHANGESET_ABORT
        })
        .unwrap();
        let mut stmt = conn
            .prepare(
                "SELECT id, quote(patient_id) || quote(n) || quote(r) || quote(b) FROM a
                 UNION ALL SELECT id, CAST(length(name) AS TEXT) FROM o ORDER BY 1",
            )
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
    }

    #[test]
    fn keeping_everything_gives_the_same_bytes() {
        let changeset = sample();
        let (out, kept) = filter(&changeset, |_| true).unwrap();
        assert_eq!(out, changeset);
        assert_eq!(kept, 5);
    }

    #[test]
    fn keeping_nothing_gives_an_empty_changeset() {
        let changeset = sample();
        assert_eq!(filter(&changeset, |_| false).unwrap(), (Vec::new(), 0));
    }

    #[test]
    fn records_are_kept_by_their_values_and_apply_as_sqlite_reads_them() {
        let changeset = sample();
        let mut seen = Vec::new();
        let (out, kept) = filter(&changeset, |r| {
            let patient = match r.op {
                Op::Insert => r.new[1].clone(),
                _ => r.old[1].clone(),
            };
            seen.push((r.table.to_string(), r.op, patient.clone()));
            r.table == "o" || patient == Some(Value::Text("P1".into())) || r.op == Op::Update
        })
        .unwrap();
        // The update's patient column was left alone: undefined in the old values.
        assert!(seen.contains(&("a".into(), Op::Update, None)));
        assert!(seen.contains(&("a".into(), Op::Delete, Some(Value::Text("P2".into())))));
        assert_eq!(kept, 3);
        let rows = applied(&out);
        let ids: Vec<&str> = rows.iter().map(|(id, _)| id.as_str()).collect();
        // u2 is not deleted, u4 not inserted; u1 updated, u3 inserted, O1 inserted.
        assert_eq!(ids, ["O1", "u1", "u2", "u3"]);
        assert_eq!(rows[0].1, "200");
        assert_eq!(rows[1].1, "'P1'51.5X'00FF'");
        assert_eq!(rows[3].1, "'P1'-72.25NULL");
    }

    #[test]
    fn a_cut_changeset_is_malformed() {
        let changeset = sample();
        for cut in [1, 5, changeset.len() - 3] {
            assert_eq!(
                filter(&changeset[..cut], |_| true).map(|_| ()),
                Err(Malformed)
            );
        }
    }

    #[test]
    fn varints_read_as_sqlite_writes_them() {
        assert_eq!(varint(&[0x05]), Some((5, 1)));
        assert_eq!(varint(&[0x81, 0x00]), Some((128, 2)));
        assert_eq!(varint(&[0xff; 9]), Some((u64::MAX, 9)));
        assert_eq!(varint(&[0x81]), None);
    }
}
