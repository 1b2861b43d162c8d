//! Logs go to a daily file in the log directory, never to the terminal the TUI draws on.
//!
//! The file is plain text whatever the terminal: the formatter is told not to colour, and every
//! line also passes through [`PlainWriter`], which drops the ANSI escape sequences that coloured
//! values bring with them (an error report formatted by color-eyre colours its own text).

use std::io::{self, Write};
use tracing_appender::non_blocking::{NonBlocking, WorkerGuard};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;

/// Starts file logging; keep the guard alive for the program's life so buffered lines are written.
/// `ACODESK_LOG` sets the filter (default `info`). Failure to log is not fatal: it returns `None`.
pub fn init() -> Option<WorkerGuard> {
    let dir = crate::paths::log_dir();
    std::fs::create_dir_all(&dir).ok()?;
    let appender = tracing_appender::rolling::daily(dir, "acodesk.log");
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let filter = EnvFilter::try_from_env("ACODESK_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_writer(PlainLog(writer))
        .with_ansi(false)
        .with_env_filter(filter)
        .try_init()
        .ok()?;
    Some(guard)
}

/// Makes a [`PlainWriter`] over the log file's writer for each event.
struct PlainLog(NonBlocking);

impl<'a> MakeWriter<'a> for PlainLog {
    type Writer = PlainWriter<NonBlocking>;

    fn make_writer(&'a self) -> Self::Writer {
        PlainWriter::new(self.0.clone())
    }
}

/// A writer that passes text on without ANSI escape sequences (CSI sequences such as the colour
/// codes `ESC [ 31 m`, and two-byte escapes). A sequence split across writes is still removed.
pub struct PlainWriter<W: Write> {
    inner: W,
    state: Escape,
}

/// Where in an escape sequence the writer is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Escape {
    /// Plain text.
    None,
    /// Just after ESC.
    Started,
    /// Inside `ESC [ …` until its final byte (0x40–0x7E).
    Csi,
}

impl<W: Write> PlainWriter<W> {
    /// Wraps `inner`.
    pub fn new(inner: W) -> Self {
        PlainWriter {
            inner,
            state: Escape::None,
        }
    }
}

/// `bytes` without ANSI escape sequences, continuing from `state` (and leaving it where the
/// bytes end).
fn strip_escapes(bytes: &[u8], state: &mut Escape) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    for &b in bytes {
        *state = match (*state, b) {
            (Escape::None, 0x1B) => Escape::Started,
            (Escape::None, _) => {
                out.push(b);
                Escape::None
            }
            (Escape::Started, b'[') => Escape::Csi,
            (Escape::Started, _) => Escape::None,
            (Escape::Csi, 0x40..=0x7E) => Escape::None,
            (Escape::Csi, _) => Escape::Csi,
        };
    }
    out
}

impl<W: Write> Write for PlainWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.state == Escape::None && !buf.contains(&0x1B) {
            self.inner.write_all(buf)?;
        } else {
            let plain = strip_escapes(buf, &mut self.state);
            self.inner.write_all(&plain)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_codes_never_reach_the_log() {
        let mut w = PlainWriter::new(Vec::new());
        w.write_all(b"\x1b[31mError:\x1b[0m the \x1b[1;3").unwrap();
        w.write_all(b"2mfile\x1b[0m is gone\n").unwrap();
        w.write_all(b"plain line\n").unwrap();
        assert_eq!(
            String::from_utf8(w.inner).unwrap(),
            "Error: the file is gone\nplain line\n"
        );
    }

    #[test]
    fn an_error_report_logged_in_debug_form_is_plain() {
        let report = color_eyre::eyre::eyre!("\x1b[32mcoloured\x1b[0m cause");
        let mut w = PlainWriter::new(Vec::new());
        write!(w, "{report:?}").unwrap();
        let text = String::from_utf8(w.inner).unwrap();
        assert!(!text.contains('\x1b'), "{text:?}");
        assert!(text.contains("coloured cause"), "{text:?}");
    }
}
