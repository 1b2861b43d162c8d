//! Reading an input file as UTF-8 whatever the regional software saved it in.
//!
//! A file is UTF-8 (with or without a byte-order mark) or Windows-1251 (CP1251, what Russian
//! Excel writes by "CSV (разделители — точка с запятой)"). The choice is made per file, lazily: bytes
//! pass through untouched while they are ASCII (the two encodings agree there); at the first
//! non-ASCII byte every non-ASCII byte from there to the end of the file is weighed once
//! ([`classify`]; a file opened by path is read a second time from that point by its own handle,
//! so a file whose first non-ASCII byte is late, or whose first ones say little, is judged by all
//! of them): UTF-8 when its well-formed characters outweigh the bytes that cannot be UTF-8 (a bad
//! byte is then reported by the CSV reader at its line), else Windows-1251, which defines every
//! byte but 0x98 (0xA0, Excel's no-break-space thousand separator, included); a file with that
//! byte and no UTF-8 either is refused with one sentence naming the line. A reader that cannot be
//! read twice (text handed over in memory) is judged by the 64 KB from its first non-ASCII byte.
//! Memory is two fixed buffers and, while weighing, a third: nothing grows with the file.
//!
//! Line breaks are passed on as `\n` whatever the file used: CRLF (what Excel and LibreOffice
//! write on Windows) becomes one `\n`, and a lone CR (old Mac files) becomes `\n` too. The CSV
//! reader counts `\n` only, so this is what makes its line numbers the ones an editor shows, for
//! rows and for quoted cells that span lines alike.
//!
//! The reader also counts bytes for the progress bar and refuses a record that runs past
//! [`MAX_RECORD_BYTES`] (a quote left open would otherwise make the CSV reader buffer the rest of
//! the file).

use encoding_rs::{Decoder, DecoderResult, WINDOWS_1251};
use std::cell::Cell;
use std::fmt;
use std::io::{self, Read, Seek, SeekFrom};
use std::rc::Rc;

/// The longest record (all of its cells) the reader passes on before refusing the file.
pub const MAX_RECORD_BYTES: u64 = 16 * 1024 * 1024;

/// Raw input buffered at a time.
const BUFFER: usize = 64 * 1024;
/// How much of the file's start is looked at for sniffing the delimiter.
const DECIDE_WINDOW: usize = 8 * 1024;

/// The text encodings an input file may be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8, with or without a byte-order mark.
    Utf8,
    /// Windows-1251 (CP1251), decoded to UTF-8 on the fly.
    Windows1251,
}

/// Why the reader refused the input: carried inside an `io::Error` to the CSV layer, which turns
/// it into a located error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The 1-based line where the problem was seen; `Some(0)` for the file as a whole; `None`
    /// when only the reader above knows (the line of the record being read).
    pub line: Option<u64>,
    /// What is wrong and what was expected.
    pub message: String,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Refusal {}

/// Counters shared between the reader and the CSV layer above it.
#[derive(Debug, Default)]
pub struct ReadStats {
    raw: Cell<u64>,
    since_mark: Cell<u64>,
    encoding: Cell<Option<Encoding>>,
    /// Bytes passed on to the reader above so far (after decoding and line-break folding).
    passed: Cell<u64>,
    /// The last byte passed on (`\n` until anything is), to tell a file cut in mid-row.
    last: Cell<u8>,
    /// The input has ended and every byte of it has been passed on.
    drained: Cell<bool>,
}

impl ReadStats {
    /// Bytes of the file read so far (for the progress bar).
    pub fn raw_bytes(&self) -> u64 {
        self.raw.get()
    }

    /// Called by the CSV layer after each record: the record limit counts from here.
    pub fn mark(&self) {
        self.since_mark.set(0);
    }

    /// The encoding chosen, once the first non-ASCII byte has been seen.
    pub fn encoding(&self) -> Option<Encoding> {
        self.encoding.get()
    }

    /// True when the whole input has been passed on, `at` bytes in all (the byte position a
    /// CSV reader has reached), and it did not end with a line break: the last row is cut short.
    pub fn ends_unterminated_at(&self, at: u64) -> bool {
        self.drained.get() && self.passed.get() == at && self.last.get() != b'\n'
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Only ASCII so far.
    Undecided,
    Utf8,
    Cp1251,
}

/// A `Read` that yields UTF-8 from a UTF-8 or Windows-1251 input (see the module documentation).
pub struct DecodingReader<R: Read> {
    inner: R,
    buf: Box<[u8]>,
    start: usize,
    end: usize,
    eof: bool,
    started: bool,
    state: State,
    decoder: Decoder,
    out: Box<[u8]>,
    out_start: usize,
    out_end: usize,
    /// Lines passed on while undecided (for the line of an encoding refusal).
    line: u64,
    /// The last byte read was a CR: a LF right after it is the same line break.
    after_cr: bool,
    stats: Rc<ReadStats>,
    /// A second handle on the same file, for weighing the rest of it (see the module
    /// documentation); `None` when the input cannot be read twice.
    rest: Option<Box<dyn SeekRead>>,
}

/// A second, independent handle on an input file: read from any offset to the end.
pub trait SeekRead: Read + Seek {}

impl<T: Read + Seek> SeekRead for T {}

impl<R: Read> DecodingReader<R> {
    /// Wraps `inner`; `stats` is shared with whoever wants the counters.
    pub fn new(inner: R, stats: Rc<ReadStats>) -> Self {
        DecodingReader {
            inner,
            buf: vec![0; BUFFER].into_boxed_slice(),
            start: 0,
            end: 0,
            eof: false,
            started: false,
            state: State::Undecided,
            decoder: WINDOWS_1251.new_decoder_without_bom_handling(),
            out: vec![0; BUFFER].into_boxed_slice(),
            out_start: 0,
            out_end: 0,
            line: 1,
            after_cr: false,
            stats,
            rest: None,
        }
    }

    /// Gives the reader a second handle on the same file (with its own offset), so that the
    /// encoding is decided by every non-ASCII byte of the file, not by the first 64 KB of them.
    pub fn with_second_handle(mut self, second: Box<dyn SeekRead>) -> Self {
        self.rest = Some(second);
        self
    }

    /// The evidence of every byte from the buffer's start to the end of the input: the buffered
    /// window, then (when the input is not all buffered) the rest of the file through the second
    /// handle. Without one, the window alone.
    fn weigh(&mut self) -> io::Result<Scan> {
        let mut scan = Scan::default();
        scan.feed(&self.buf[self.start..self.end]);
        if !self.eof {
            let Some(second) = self.rest.as_mut() else {
                return Ok(scan);
            };
            second.seek(SeekFrom::Start(self.stats.raw.get()))?;
            let mut chunk = vec![0; BUFFER];
            loop {
                match second.read(&mut chunk) {
                    Ok(0) => break,
                    Ok(n) => scan.feed(&chunk[..n]),
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            }
        }
        scan.finish();
        Ok(scan)
    }

    /// The first buffered bytes of the file as they are on disk (for sniffing the delimiter);
    /// empty for an empty file.
    pub fn head(&mut self) -> io::Result<&[u8]> {
        self.fill_to(DECIDE_WINDOW)?;
        Ok(&self.buf[self.start..self.end])
    }

    /// Reads until at least `want` bytes are buffered or the input ends.
    fn fill_to(&mut self, want: usize) -> io::Result<()> {
        let want = want.min(self.buf.len());
        if self.end - self.start >= want || self.eof {
            return Ok(());
        }
        if self.start + want > self.buf.len() {
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
        while self.end - self.start < want && !self.eof {
            match self.inner.read(&mut self.buf[self.end..]) {
                Ok(0) => self.eof = true,
                Ok(n) => {
                    self.end += n;
                    self.stats.raw.set(self.stats.raw.get() + n as u64);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    fn refuse(&self, line: Option<u64>, message: String) -> io::Error {
        io::Error::new(io::ErrorKind::InvalidData, Refusal { line, message })
    }

    /// Looks at the byte-order mark, if any, once at the start.
    fn start(&mut self) -> io::Result<()> {
        self.started = true;
        self.fill_to(4)?;
        let head = &self.buf[self.start..self.end];
        if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
            self.start += 3;
            self.decide(State::Utf8);
        } else if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
            return Err(self.refuse(Some(0), crate::i18n::msg("import-utf16", &[])));
        }
        Ok(())
    }

    fn decide(&mut self, state: State) {
        self.state = state;
        self.stats.encoding.set(Some(match state {
            State::Cp1251 => Encoding::Windows1251,
            _ => Encoding::Utf8,
        }));
    }

    /// Passes on ASCII; at the first other byte, decides the encoding.
    fn read_undecided(&mut self, dst: &mut [u8]) -> io::Result<Option<usize>> {
        self.fill_to(1)?;
        let avail = &self.buf[self.start..self.end];
        if avail.is_empty() {
            return Ok(Some(0));
        }
        // Look no further than the caller can take: small reads must not rescan the buffer.
        let avail = &avail[..avail.len().min(dst.len())];
        // `is_ascii` checks a word at a time: the usual all-ASCII chunk costs no byte loop.
        let ascii = if avail.is_ascii() {
            avail.len()
        } else {
            avail
                .iter()
                .position(|b| !b.is_ascii())
                .unwrap_or(avail.len())
        };
        if ascii > 0 {
            let n = ascii.min(dst.len());
            dst[..n].copy_from_slice(&avail[..n]);
            self.line += avail[..n].iter().filter(|b| **b == b'\n').count() as u64;
            self.start += n;
            return Ok(Some(n));
        }
        self.fill_to(BUFFER)?;
        let scan = self.weigh()?;
        match classify(&scan.evidence) {
            Some(state) => {
                self.decide(state);
                Ok(None)
            }
            None => {
                // Name the byte Windows-1251 lacks, on its own line.
                let line = self.line + scan.lines_before_undefined.unwrap_or(0);
                Err(self.refuse(
                    Some(line),
                    crate::i18n::msg(
                        "import-unknown-encoding",
                        &[("byte", format!("0x{CP1251_UNDEFINED:02X}").as_str().into())],
                    ),
                ))
            }
        }
    }

    /// Decodes buffered CP1251 input into the output buffer.
    fn decode_more(&mut self) -> io::Result<()> {
        self.fill_to(1)?;
        let src = &self.buf[self.start..self.end];
        let (result, read, written) =
            self.decoder
                .decode_to_utf8_without_replacement(src, &mut self.out, self.eof);
        self.start += read;
        self.out_start = 0;
        self.out_end = written;
        if let DecoderResult::Malformed(_, _) = result {
            // Windows-1251 maps every byte; kept for completeness.
            return Err(self.refuse(None, crate::i18n::msg("import-not-cp1251", &[])));
        }
        Ok(())
    }

    /// Rewrites CRLF and lone CR in `chunk` as LF, in place; returns the new length. Chunks
    /// without a CR (every LF file) cost one vectorised search.
    fn fold_line_breaks(&mut self, chunk: &mut [u8]) -> usize {
        let skip_lf = self.after_cr && chunk.first() == Some(&b'\n');
        if !skip_lf && !chunk.contains(&b'\r') {
            self.after_cr = false;
            return chunk.len();
        }
        let mut out = 0;
        for i in 0..chunk.len() {
            let b = chunk[i];
            if b == b'\n' && self.after_cr {
                self.after_cr = false;
                continue;
            }
            self.after_cr = b == b'\r';
            chunk[out] = if self.after_cr { b'\n' } else { b };
            out += 1;
        }
        out
    }

    fn read_decoded(&mut self, dst: &mut [u8]) -> io::Result<usize> {
        match self.state {
            State::Undecided => match self.read_undecided(dst)? {
                Some(n) => Ok(n),
                // Decided (never back to undecided): read in the chosen encoding.
                None => self.read_decoded(dst),
            },
            State::Utf8 => {
                if self.start < self.end {
                    let n = (self.end - self.start).min(dst.len());
                    dst[..n].copy_from_slice(&self.buf[self.start..self.start + n]);
                    self.start += n;
                    return Ok(n);
                }
                if self.eof {
                    return Ok(0);
                }
                loop {
                    match self.inner.read(dst) {
                        Ok(n) => {
                            self.eof = n == 0;
                            self.stats.raw.set(self.stats.raw.get() + n as u64);
                            return Ok(n);
                        }
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                        Err(e) => return Err(e),
                    }
                }
            }
            State::Cp1251 => {
                while self.out_start == self.out_end {
                    if self.start == self.end && self.eof {
                        return Ok(0);
                    }
                    self.decode_more()?;
                }
                let n = (self.out_end - self.out_start).min(dst.len());
                dst[..n].copy_from_slice(&self.out[self.out_start..self.out_start + n]);
                self.out_start += n;
                Ok(n)
            }
        }
    }
}

impl<R: Read> Read for DecodingReader<R> {
    fn read(&mut self, dst: &mut [u8]) -> io::Result<usize> {
        if dst.is_empty() {
            return Ok(0);
        }
        if !self.started {
            self.stats.last.set(b'\n');
            self.start()?;
        }
        let n = loop {
            let n = self.read_decoded(dst)?;
            if n == 0 {
                self.stats.drained.set(true);
                return Ok(0);
            }
            // A chunk that was only the LF of a CRLF folds to nothing: read on (0 means the end).
            let n = self.fold_line_breaks(&mut dst[..n]);
            if n > 0 {
                break n;
            }
        };
        self.stats.passed.set(self.stats.passed.get() + n as u64);
        self.stats.last.set(dst[n - 1]);
        let since = self.stats.since_mark.get() + n as u64;
        self.stats.since_mark.set(since);
        if since > MAX_RECORD_BYTES {
            return Err(self.refuse(
                None,
                format!(
                    "has a row longer than {} MB: expected rows of ordinary length (is a quote \
                     left open?)",
                    MAX_RECORD_BYTES / (1024 * 1024)
                ),
            ));
        }
        Ok(n)
    }
}

/// The one byte Windows-1251 leaves undefined (0x98): a file holding it is not Windows-1251 text.
const CP1251_UNDEFINED: u8 = 0x98;

/// What the non-ASCII bytes of a window say about its encoding.
#[derive(Debug, Default, PartialEq, Eq)]
struct Evidence {
    /// Well-formed multi-byte UTF-8 characters.
    utf8_chars: u32,
    /// Non-ASCII bytes that cannot be part of well-formed UTF-8 there.
    not_utf8: u32,
    /// Bytes Windows-1251 does not define.
    not_cp1251: u32,
}

/// Weighs non-ASCII bytes fed in order, chunk by chunk: a UTF-8 character cut between two chunks
/// is judged whole.
#[derive(Debug, Default)]
struct Scan {
    evidence: Evidence,
    /// The bytes of a character cut by the end of the last chunk.
    carry: Vec<u8>,
    /// Line breaks before the first byte Windows-1251 lacks (while none is seen: so far).
    lines: u64,
    /// Set at the first byte Windows-1251 lacks.
    lines_before_undefined: Option<u64>,
}

impl Scan {
    fn feed(&mut self, chunk: &[u8]) {
        if self.lines_before_undefined.is_none() {
            match chunk.iter().position(|b| *b == CP1251_UNDEFINED) {
                Some(at) => {
                    let before = chunk[..at].iter().filter(|b| **b == b'\n').count() as u64;
                    self.lines_before_undefined = Some(self.lines + before);
                }
                None => self.lines += chunk.iter().filter(|b| **b == b'\n').count() as u64,
            }
        }
        self.evidence.not_cp1251 += chunk.iter().filter(|b| **b == CP1251_UNDEFINED).count() as u32;
        let joined;
        let mut rest = if self.carry.is_empty() {
            chunk
        } else {
            joined = [std::mem::take(&mut self.carry).as_slice(), chunk].concat();
            joined.as_slice()
        };
        loop {
            match std::str::from_utf8(rest) {
                Ok(valid) => {
                    self.evidence.utf8_chars += valid.bytes().filter(|b| *b >= 0xC0).count() as u32;
                    break;
                }
                Err(err) => {
                    let (valid, after) = rest.split_at(err.valid_up_to());
                    self.evidence.utf8_chars += valid.iter().filter(|b| **b >= 0xC0).count() as u32;
                    match err.error_len() {
                        Some(n) => {
                            self.evidence.not_utf8 += n as u32;
                            rest = &after[n..];
                        }
                        // Cut by the chunk's end: judged with the next chunk.
                        None => {
                            self.carry = after.to_vec();
                            break;
                        }
                    }
                }
            }
        }
    }

    /// The input has ended: a character still cut is not UTF-8.
    fn finish(&mut self) {
        self.evidence.not_utf8 += self.carry.len() as u32;
        self.carry.clear();
    }
}

/// Decides the encoding from the evidence of the non-ASCII bytes from the file's first one to its
/// end; `None` when it is neither. Every byte Windows-1251 defines is accepted as such (a file
/// whose only non-ASCII bytes are Excel's no-break-space thousand separators, 0xA0, is
/// Windows-1251); the choice is by the weight of all the evidence: UTF-8 when its well-formed
/// characters outnumber the bytes that cannot be UTF-8 (a stray byte in a UTF-8 file is then
/// reported by the CSV reader at its line), Windows-1251 otherwise unless a byte it lacks is there.
fn classify(e: &Evidence) -> Option<State> {
    if e.not_utf8 == 0 || e.utf8_chars > e.not_utf8 {
        Some(State::Utf8)
    } else if e.not_cp1251 == 0 {
        Some(State::Cp1251)
    } else {
        None
    }
}

/// Wraps `inner` in a [`DecodingReader`] with fresh counters, returning both.
pub fn decoding(inner: Box<dyn Read>) -> (DecodingReader<Box<dyn Read>>, Rc<ReadStats>) {
    let stats = Rc::new(ReadStats::default());
    (DecodingReader::new(inner, Rc::clone(&stats)), stats)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads everything through a decoder, `chunk` bytes at a time.
    fn decode(bytes: &[u8], chunk: usize) -> io::Result<String> {
        let (mut r, _) = decoding(Box::new(io::Cursor::new(bytes.to_vec())));
        let mut out = Vec::new();
        let mut buf = vec![0; chunk];
        loop {
            let n = r.read(&mut buf)?;
            if n == 0 {
                break;
            }
            out.extend_from_slice(&buf[..n]);
        }
        Ok(String::from_utf8(out).unwrap())
    }

    fn cp1251(text: &str) -> Vec<u8> {
        WINDOWS_1251.encode(text).0.into_owned()
    }

    #[test]
    fn utf8_passes_through_and_the_bom_is_dropped() {
        let text = "id;name\nP1;Фёдоров Пётр\n";
        assert_eq!(decode(text.as_bytes(), 7).unwrap(), text);
        let with_bom = [&[0xEF, 0xBB, 0xBF][..], text.as_bytes()].concat();
        assert_eq!(decode(&with_bom, 1).unwrap(), text);
    }

    #[test]
    fn windows_1251_is_detected_even_late_in_the_file() {
        let text = format!(
            "id;name\n{}P1;Фёдоров Пётр «№ 5»\n",
            "X;ascii\n".repeat(20_000)
        );
        let bytes = cp1251(&text);
        assert!(std::str::from_utf8(&bytes).is_err());
        for chunk in [1, 3, 4096, 100_000] {
            assert_eq!(decode(&bytes, chunk).unwrap(), text);
        }
    }

    #[test]
    fn a_file_in_neither_encoding_is_refused_with_its_line() {
        let mut bytes = b"id;name\nP1;ok\nP2;".to_vec();
        bytes.extend_from_slice(&[0x80, 0x98, 0x83, 0x8A, 0x9C, 0xA1, 0xC0, b'\n']);
        let e = decode(&bytes, 64).unwrap_err();
        let refusal = e.get_ref().unwrap().downcast_ref::<Refusal>().unwrap();
        assert_eq!(refusal.line, Some(3));
        assert!(
            refusal
                .message
                .starts_with("is neither UTF-8 nor Windows-1251")
        );
        let utf16 = [0xFF, 0xFE, b'i', 0, b'd', 0];
        assert!(
            decode(&utf16, 64)
                .unwrap_err()
                .to_string()
                .contains("UTF-16")
        );
    }

    #[test]
    fn windows_1251_whose_only_non_ascii_bytes_are_no_break_spaces_is_read() {
        // Excel's thousand separator in a Russian locale: 12 345,60 with U+00A0, byte 0xA0.
        let text = "id;cost\nP1;12\u{a0}345,60\nP2;1\u{a0}000\n";
        let bytes = cp1251(text);
        assert!(std::str::from_utf8(&bytes).is_err());
        assert_eq!(decode(&bytes, 5).unwrap(), text);
        // Every defined byte passes, whatever its mix.
        let mut all: Vec<u8> = b"id;x\nP1;".to_vec();
        all.extend((0x80..=0xFFu8).filter(|b| *b != 0x98));
        all.push(b'\n');
        let out = decode(&all, 64).unwrap();
        assert!(out.contains('\u{a0}') && out.contains('я'), "{out}");
    }

    /// Reads everything through a decoder that has a second handle on the same bytes.
    fn decode_whole(bytes: &[u8], chunk: usize) -> (io::Result<String>, Option<Encoding>) {
        let (r, stats) = decoding(Box::new(io::Cursor::new(bytes.to_vec())));
        let mut r = r.with_second_handle(Box::new(io::Cursor::new(bytes.to_vec())));
        let mut out = Vec::new();
        let mut buf = vec![0; chunk];
        let result = loop {
            match r.read(&mut buf) {
                Ok(0) => break Ok(String::from_utf8_lossy(&out).into_owned()),
                Ok(n) => out.extend_from_slice(&buf[..n]),
                Err(e) => break Err(e),
            }
        };
        (result, stats.encoding())
    }

    /// The encoding a reader without a second handle settles on.
    fn window_only(bytes: &[u8]) -> Option<Encoding> {
        let (mut r, stats) = decoding(Box::new(io::Cursor::new(bytes.to_vec())));
        let mut out = Vec::new();
        let _ = r.read_to_end(&mut out);
        stats.encoding()
    }

    #[test]
    fn the_whole_file_decides_not_its_first_64_kb() {
        let filler = "X;ascii\n".repeat(20_000); // 160 KB
        // Windows-1251 whose first non-ASCII bytes happen to be well-formed UTF-8 ("Р°" is
        // 0xD0 0xB0, UTF-8's "а"), the rest of its Cyrillic far past 64 KB.
        let text = format!("id;name\nP0;Р°\n{filler}P1;Фёдоров Пётр\nP2;Иванова Анна\n");
        let bytes = cp1251(&text);
        // The first 64 KB alone would say UTF-8 (and the file would fail later).
        assert_eq!(window_only(&bytes), Some(Encoding::Utf8));
        for chunk in [1, 4096, 100_000] {
            let (out, encoding) = decode_whole(&bytes, chunk);
            assert_eq!(out.unwrap(), text);
            assert_eq!(encoding, Some(Encoding::Windows1251));
        }
        // UTF-8 whose first non-ASCII byte is one stray Windows-1251 no-break space: its
        // Cyrillic, later, outweighs it and the stray byte is left for the CSV reader to locate.
        let mut bytes = b"id;cost\nP0;1\xA0000\n".to_vec();
        bytes.extend_from_slice(filler.as_bytes());
        bytes.extend_from_slice("P1;Фёдоров Пётр\nP2;Иванова Анна\n".as_bytes());
        let (_, encoding) = decode_whole(&bytes, 4096);
        assert_eq!(encoding, Some(Encoding::Utf8));
        assert_eq!(window_only(&bytes), Some(Encoding::Windows1251));
    }

    #[test]
    fn a_byte_windows_1251_lacks_far_in_the_file_is_named_on_its_line() {
        let mut bytes = b"id;cost\nP0;1\xA0000\n".to_vec();
        bytes.extend_from_slice("X;ascii\n".repeat(20_000).as_bytes());
        bytes.extend_from_slice(b"P1;\x98\n");
        let (out, _) = decode_whole(&bytes, 4096);
        let e = out.unwrap_err();
        let refusal = e.get_ref().unwrap().downcast_ref::<Refusal>().unwrap();
        assert_eq!(refusal.line, Some(20_003));
        assert!(refusal.message.contains("0x98"), "{}", refusal.message);
    }

    #[test]
    fn no_break_spaces_late_and_alone_are_windows_1251() {
        // The only non-ASCII bytes are 0xA0, the first past 64 KB; and a file of 0xA0 only.
        let text = format!(
            "id;cost\n{}P1;12\u{a0}345,60\nP2;1\u{a0}000\n",
            "X;1\n".repeat(30_000)
        );
        let bytes = cp1251(&text);
        for chunk in [7, 65_536] {
            let (out, encoding) = decode_whole(&bytes, chunk);
            assert_eq!(out.unwrap(), text);
            assert_eq!(encoding, Some(Encoding::Windows1251));
        }
        let only = vec![0xA0; 100_000];
        let (out, encoding) = decode_whole(&only, 4096);
        assert_eq!(out.unwrap(), "\u{a0}".repeat(100_000));
        assert_eq!(encoding, Some(Encoding::Windows1251));
    }

    #[test]
    fn line_breaks_of_every_kind_reach_the_csv_reader_as_lf() {
        for text in [
            "a;b\r\nc;\"d\r\ne\"\r\n",
            "a;b\rc;\"d\re\"\r",
            "a;b\nc;\"d\ne\"\n",
        ] {
            for chunk in [1, 2, 3, 64] {
                assert_eq!(decode(text.as_bytes(), chunk).unwrap(), "a;b\nc;\"d\ne\"\n");
            }
        }
    }

    #[test]
    fn a_file_cut_in_mid_row_is_told_from_one_that_ends_its_last_line() {
        for (text, cut) in [
            ("a;b\r\nc;d", true),
            ("a;b\r\nc;d\r\n", false),
            ("a;b\rc;d\r", false),
        ] {
            let (mut r, stats) = decoding(Box::new(io::Cursor::new(text.as_bytes().to_vec())));
            let mut out = Vec::new();
            r.read_to_end(&mut out).unwrap();
            assert_eq!(
                stats.ends_unterminated_at(out.len() as u64),
                cut,
                "{text:?}"
            );
        }
    }

    #[test]
    fn utf8_with_a_stray_byte_stays_utf8_for_the_csv_reader_to_locate() {
        let mut bytes = "id;name\nP1;Пётр\n".as_bytes().to_vec();
        bytes.extend_from_slice(b"P2;\xFF\n");
        let (mut r, stats) = decoding(Box::new(io::Cursor::new(bytes.clone())));
        let mut out = Vec::new();
        r.read_to_end(&mut out).unwrap();
        assert_eq!(out, bytes);
        assert_eq!(stats.encoding(), Some(Encoding::Utf8));
        assert_eq!(stats.raw_bytes(), bytes.len() as u64);
    }

    #[test]
    fn a_runaway_record_is_refused() {
        let mut bytes = b"id;name\nP1;\"".to_vec();
        bytes.resize(MAX_RECORD_BYTES as usize + 10, b'a');
        let e = decode(&bytes, 1 << 16).unwrap_err();
        assert!(e.to_string().contains("is a quote left open"), "{e}");
    }
}
