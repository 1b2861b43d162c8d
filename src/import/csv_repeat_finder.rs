//! Finding the records a file repeats with different values, by sorting its keys.
//!
//! A later import may legitimately update records the register already holds, so only the file
//! itself can tell a record given twice with different values (which one is meant?) from an
//! update. Each row leaves 32 bytes: a 128-bit hash of its key, a 64-bit hash of its values and
//! its line. They are gathered in runs of [`RUN_ENTRIES`] (16 MB), each sorted and, once there is
//! more than one, written to an unnamed temporary file; the sorted runs are then merged in one
//! sequential pass, where equal keys meet.
//!
//! Memory stays flat whatever the file's size, and the disk is read and written sequentially,
//! once. (The earlier design, a temporary SQLite table probed per row, cost a random B-tree insert
//! per row: at a million patients, 77 % of the reader thread's time and the slowest part of a
//! later import of a full extract.)
//!
//! The temporary file holds hashes and line numbers only, no names or values; the OS removes it
//! when it is closed, or when the process dies.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};

/// Rows per sorted run (32 bytes each: 16 MB).
pub const RUN_ENTRIES: usize = 512 * 1024;

/// Bytes of one row in a run.
const ENTRY_BYTES: usize = 32;

/// Bytes read ahead from each run during the merge, at most (the merge's memory is also capped
/// at [`RUN_ENTRIES`] entries across all runs).
const MERGE_READ_BYTES: usize = 256 * 1024;

/// One row as the finder keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Entry {
    key: u128,
    line: u64,
    values: u64,
}

impl Entry {
    fn to_bytes(self) -> [u8; ENTRY_BYTES] {
        let mut b = [0u8; ENTRY_BYTES];
        b[..16].copy_from_slice(&self.key.to_le_bytes());
        b[16..24].copy_from_slice(&self.line.to_le_bytes());
        b[24..].copy_from_slice(&self.values.to_le_bytes());
        b
    }

    fn from_bytes(b: &[u8]) -> Entry {
        let mut key = [0u8; 16];
        let mut line = [0u8; 8];
        let mut values = [0u8; 8];
        key.copy_from_slice(&b[..16]);
        line.copy_from_slice(&b[16..24]);
        values.copy_from_slice(&b[24..ENTRY_BYTES]);
        Entry {
            key: u128::from_le_bytes(key),
            line: u64::from_le_bytes(line),
            values: u64::from_le_bytes(values),
        }
    }
}

/// A record given again with values different from its first appearance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Repeat {
    /// The line of the repeat.
    pub line: u64,
    /// The line where the record first appeared.
    pub first_line: u64,
}

/// Gathers the rows of one file (in any order) and names its repeats at the end.
pub struct RepeatFinder {
    run: Vec<Entry>,
    run_entries: usize,
    spilled: Option<Spilled>,
}

/// The runs already written to the temporary file: (first entry, entries) of each.
struct Spilled {
    file: BufWriter<File>,
    runs: Vec<(u64, u64)>,
    written: u64,
}

impl Default for RepeatFinder {
    fn default() -> Self {
        RepeatFinder::with_run_entries(RUN_ENTRIES)
    }
}

impl RepeatFinder {
    /// A finder whose sorted runs hold `run_entries` rows (tests use small runs to exercise the
    /// merge).
    pub fn with_run_entries(run_entries: usize) -> RepeatFinder {
        RepeatFinder {
            run: Vec::new(),
            run_entries: run_entries.max(1),
            spilled: None,
        }
    }

    /// Notes a row: the hash of its record's key, the hash of its values, its line.
    pub fn add(&mut self, key: u128, values: u64, line: u64) -> io::Result<()> {
        if self.run.len() >= self.run_entries {
            self.spill()?;
        }
        if self.run.capacity() == 0 {
            self.run.reserve_exact(self.run_entries.min(64 * 1024));
        }
        self.run.push(Entry { key, line, values });
        Ok(())
    }

    /// Sorts the current run and appends it to the temporary file.
    fn spill(&mut self) -> io::Result<()> {
        self.run.sort_unstable();
        let spilled = match &mut self.spilled {
            Some(s) => s,
            none => none.insert(Spilled {
                file: BufWriter::with_capacity(MERGE_READ_BYTES, tempfile::tempfile()?),
                runs: Vec::new(),
                written: 0,
            }),
        };
        for e in &self.run {
            spilled.file.write_all(&e.to_bytes())?;
        }
        let entries = self.run.len() as u64;
        spilled.runs.push((spilled.written, entries));
        spilled.written += entries;
        self.run.clear();
        Ok(())
    }

    /// Every row whose values differ from the first appearance of its key, in line order.
    pub fn finish(mut self) -> io::Result<Vec<Repeat>> {
        let mut repeats = Vec::new();
        let mut first: Option<Entry> = None;
        let mut next = |e: Entry| match first {
            Some(f) if f.key == e.key => {
                if f.values != e.values {
                    repeats.push(Repeat {
                        line: e.line,
                        first_line: f.line,
                    });
                }
            }
            _ => first = Some(e),
        };
        if self.spilled.is_some() && !self.run.is_empty() {
            // The last run is written too, so the merge has one kind of input.
            self.spill()?;
        }
        match self.spilled.take() {
            None => {
                self.run.sort_unstable();
                self.run.iter().copied().for_each(&mut next);
            }
            Some(spilled) => {
                self.run = Vec::new();
                let file = spilled.file.into_inner().map_err(|e| e.into_error())?;
                merge(file, &spilled.runs, self.run_entries, &mut next)?;
            }
        }
        repeats.sort_unstable();
        Ok(repeats)
    }
}

/// A sorted run being read back from the temporary file.
struct RunCursor {
    next_entry: u64,
    end_entry: u64,
    buffer: Vec<Entry>,
    position: usize,
}

impl RunCursor {
    /// The run's next entry, reading ahead `chunk` entries at a time.
    fn next(&mut self, file: &mut File, chunk: usize) -> io::Result<Option<Entry>> {
        if self.position == self.buffer.len() {
            let count = (self.end_entry - self.next_entry).min(chunk as u64) as usize;
            if count == 0 {
                return Ok(None);
            }
            let mut bytes = vec![0u8; count * ENTRY_BYTES];
            file.seek(SeekFrom::Start(self.next_entry * ENTRY_BYTES as u64))?;
            file.read_exact(&mut bytes)?;
            self.buffer.clear();
            self.buffer
                .extend(bytes.chunks_exact(ENTRY_BYTES).map(Entry::from_bytes));
            self.position = 0;
            self.next_entry += count as u64;
        }
        let e = self.buffer[self.position];
        self.position += 1;
        Ok(Some(e))
    }
}

/// Feeds `emit` every entry of the sorted `runs` of `file`, in (key, line) order.
fn merge(
    mut file: File,
    runs: &[(u64, u64)],
    memory_entries: usize,
    emit: &mut impl FnMut(Entry),
) -> io::Result<()> {
    let chunk = (memory_entries / runs.len().max(1)).clamp(1, MERGE_READ_BYTES / ENTRY_BYTES);
    let mut cursors: Vec<RunCursor> = runs
        .iter()
        .map(|&(start, entries)| RunCursor {
            next_entry: start,
            end_entry: start + entries,
            buffer: Vec::new(),
            position: 0,
        })
        .collect();
    let mut heads = BinaryHeap::with_capacity(cursors.len());
    for (i, cursor) in cursors.iter_mut().enumerate() {
        if let Some(e) = cursor.next(&mut file, chunk)? {
            heads.push(Reverse((e, i)));
        }
    }
    while let Some(Reverse((e, i))) = heads.pop() {
        emit(e);
        if let Some(next) = cursors[i].next(&mut file, chunk)? {
            heads.push(Reverse((next, i)));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashMap;

    /// The rule the finder implements, the obvious way: each key's first line and values.
    fn naive(rows: &[(u128, u64)]) -> Vec<Repeat> {
        let mut first: HashMap<u128, (u64, u64)> = HashMap::new();
        let mut repeats = Vec::new();
        for (i, &(key, values)) in rows.iter().enumerate() {
            let line = i as u64 + 2;
            match first.get(&key) {
                Some(&(first_line, first_values)) if first_values != values => {
                    repeats.push(Repeat { line, first_line })
                }
                Some(_) => {}
                None => {
                    first.insert(key, (line, values));
                }
            }
        }
        repeats
    }

    fn found(rows: &[(u128, u64)], run_entries: usize) -> Vec<Repeat> {
        let mut finder = RepeatFinder::with_run_entries(run_entries);
        for (i, &(key, values)) in rows.iter().enumerate() {
            finder.add(key, values, i as u64 + 2).unwrap();
        }
        finder.finish().unwrap()
    }

    #[test]
    fn a_repeat_with_other_values_is_found_and_an_identical_one_is_not() {
        let rows = [(7, 1), (8, 1), (7, 1), (9, 5), (7, 2), (9, 6), (7, 2)];
        let expected = vec![
            Repeat {
                line: 6,
                first_line: 2,
            },
            Repeat {
                line: 7,
                first_line: 5,
            },
            Repeat {
                line: 8,
                first_line: 2,
            },
        ];
        assert_eq!(found(&rows, 1000), expected, "in memory");
        assert_eq!(found(&rows, 2), expected, "across runs on disk");
        assert_eq!(found(&rows, 1), expected, "one row per run");
    }

    #[test]
    fn a_repeat_far_beyond_one_run_is_found() {
        let mut rows: Vec<(u128, u64)> = (0..50_000u128).map(|k| (k * 7919, 1)).collect();
        rows.push((3 * 7919, 1));
        rows.push((11 * 7919, 2));
        assert_eq!(
            found(&rows, 4096),
            vec![Repeat {
                line: 50_003,
                first_line: 13
            }]
        );
    }

    proptest! {
        #[test]
        fn the_sorted_runs_agree_with_a_hash_map(
            rows in proptest::collection::vec((0u128..40, 0u64..3), 0..400),
            run_entries in 1usize..64,
        ) {
            prop_assert_eq!(found(&rows, run_entries), naive(&rows));
        }
    }
}
