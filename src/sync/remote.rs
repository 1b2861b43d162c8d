//! Sync over an SSH channel: the device runs `ssh user@hub acodesk sync serve` and the two speak
//! [`super::wire`] frames on its standard input and output. No server of our own, no open port.
//!
//! The device greets and learns what the hub already has, sends its entries in chunks (each
//! applied and acknowledged by the hub in its own transaction), then pulls the hub's entries in
//! chunks the same way. A dropped link loses at most the chunk in flight: the device reconnects
//! (up to [`ATTEMPTS`] times) and both sides carry on from what the other acknowledged.

use super::export::{bundle_for, resolve_peer};
use super::wire::{Ack, Hello, Kind, parse, read_frame, write_frame, write_json};
use super::{Role, SyncError, apply, capture::capture, now_utc, require_role, seal};
use crate::store::Store;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::{IsTerminal, Read, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

/// Changeset bytes per chunk: small enough that a dropped link costs little, large enough that
/// round trips do not dominate.
pub const CHUNK_BYTES: usize = 256 * 1024;
/// Connections tried before giving up.
pub const ATTEMPTS: u32 = 3;

/// What an exchange moved.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Exchanged {
    /// Row changes sent to the hub.
    pub sent_rows: u64,
    /// Row changes received from the hub.
    pub received_rows: u64,
    /// Bytes written to the link.
    pub bytes_out: u64,
    /// Bytes read from the link.
    pub bytes_in: u64,
}

fn link(e: impl std::fmt::Display) -> SyncError {
    SyncError::Link(e.to_string())
}

/// On a device: exchanges with the hub through `command` (e.g. `ssh user@hub acodesk sync serve`),
/// reconnecting after a dropped link.
pub fn exchange(store: &mut Store, command: &[String]) -> Result<Exchanged, SyncError> {
    if require_role(store.conn())? != Role::Device {
        return Err(SyncError::NeedsDevice);
    }
    capture(store)?;
    let progress = Progress::new();
    let mut totals = Exchanged::default();
    let mut attempt = 1;
    loop {
        match exchange_once(store, command, &progress, &mut totals) {
            Ok(()) => break,
            Err(SyncError::Link(message)) if attempt < ATTEMPTS => {
                tracing::warn!(attempt, error = %message, "sync link dropped; reconnecting");
                progress.note(&crate::i18n::msg(
                    "sync-reconnecting",
                    &[("error", message.as_str().into())],
                ));
                std::thread::sleep(Duration::from_millis(500 * u64::from(attempt)));
                attempt += 1;
            }
            Err(e) => {
                progress.finish();
                return Err(e);
            }
        }
    }
    progress.finish();
    Ok(totals)
}

fn exchange_once(
    store: &mut Store,
    command: &[String],
    progress: &Progress,
    totals: &mut Exchanged,
) -> Result<(), SyncError> {
    let (program, args) = command.split_first().ok_or_else(|| link("no command"))?;
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| link(format!("{program}: {e}")))?;
    let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
        return Err(link("no pipe to the other side"));
    };
    let mut out = Counted::new(stdin, progress.clone(), true);
    let mut input = Counted::new(stdout, progress.clone(), false);
    let result = talk(store, &mut out, &mut input, totals);
    totals.bytes_out += out.count;
    totals.bytes_in += input.count;
    drop(out);
    drop(input);
    let _ = child.kill();
    let _ = child.wait();
    result
}

/// The device's side of one connection.
fn talk(
    store: &mut Store,
    out: &mut dyn Write,
    input: &mut dyn Read,
    totals: &mut Exchanged,
) -> Result<(), SyncError> {
    let hub = resolve_peer(store.conn(), None)?;
    let issued = super::setup::issued_seq(store.conn())?;
    let hello = Hello {
        device: store.device_id(),
        schema: store.schema_version()?,
        applied: hub.applied_seq,
        issued,
    };
    write_json(out, Kind::Hello, &hello).map_err(link)?;
    let theirs: Hello = parse(&expect(input, Kind::Hello)?).map_err(link)?;
    if theirs.device != hub.device_id {
        return Err(SyncError::BadBundle {
            file: "ssh".into(),
            problem: super::Problem::UnknownSender(theirs.device),
        });
    }
    refuse_old_copy(
        Role::Device,
        apply::Seen {
            their_ack: theirs.applied,
            their_issued: theirs.issued,
            our_issued: issued,
            acked: hub.acked_seq,
            applied: hub.applied_seq,
        },
    )?;
    apply::note_ack(store.conn(), &hub.device_id, theirs.applied)?;
    // Send ours, chunk by chunk; the last (possibly empty) bundle carries the acknowledgement.
    let mut after = theirs.applied;
    loop {
        let hub = resolve_peer(store.conn(), None)?;
        let bundle = bundle_for(store, &hub, after, Some(CHUNK_BYTES))?;
        write_frame(out, Kind::Bundle, &seal::write_bundle(store, &bundle)?).map_err(link)?;
        let ack: Ack = parse(&expect(input, Kind::Ack)?).map_err(link)?;
        apply::note_ack(store.conn(), &hub.device_id, ack.applied)?;
        totals.sent_rows += bundle.rows();
        if bundle.entries.is_empty() {
            break;
        }
        after = bundle.header.last_seq;
    }
    // Then theirs.
    loop {
        let hub = resolve_peer(store.conn(), None)?;
        write_json(
            out,
            Kind::Pull,
            &Ack {
                applied: hub.applied_seq,
            },
        )
        .map_err(link)?;
        let bytes = expect(input, Kind::Bundle)?;
        let bundle = seal::read_bundle(store, &bytes, "ssh")?;
        let applied = apply::apply(store, &bundle, "ssh")?;
        totals.received_rows += applied.rows;
        if bundle.entries.is_empty() {
            break;
        }
    }
    write_frame(out, Kind::Done, b"").map_err(link)?;
    let hub = resolve_peer(store.conn(), None)?;
    apply::note_synced(store.conn(), &hub.device_id, &now_utc())?;
    Ok(())
}

/// Refuses an exchange with a register that is an old copy, or from one (see
/// [`apply::old_copy`]): over a live link what the other side says is always its latest.
fn refuse_old_copy(role: Role, seen: apply::Seen) -> Result<(), SyncError> {
    match apply::old_copy(role, seen, true, false) {
        Some(which) => Err(SyncError::BadBundle {
            file: "ssh".into(),
            problem: super::Problem::OldCopy(which),
        }),
        None => Ok(()),
    }
}

/// Reads the next frame, which must be of `kind` (an error frame is the other side's sentence).
fn expect(input: &mut dyn Read, kind: Kind) -> Result<Vec<u8>, SyncError> {
    match read_frame(input).map_err(link)? {
        Some((k, payload)) if k == kind => Ok(payload),
        Some((Kind::Error, payload)) => Err(SyncError::Remote(
            String::from_utf8_lossy(&payload).into_owned(),
        )),
        Some(_) => Err(link("unexpected message")),
        None => Err(link(crate::i18n::msg("sync-link-closed", &[]))),
    }
}

/// On the hub: answers one device on `input` / `output` (the SSH channel) until it is done.
pub fn serve(store: &mut Store, input: impl Read, output: impl Write) -> Result<(), SyncError> {
    let mut input = input;
    let mut output = output;
    let result = serve_inner(store, &mut input, &mut output);
    if let Err(e) = &result {
        // The device shows the hub's sentence; a broken link has no one to tell, and the device
        // reconnects when it sees the link close.
        if !matches!(e, SyncError::Link(_)) {
            let _ = write_frame(&mut output, Kind::Error, e.to_string().as_bytes());
        }
        tracing::error!(error = %e, "sync serve failed");
    }
    result
}

fn serve_inner(
    store: &mut Store,
    input: &mut dyn Read,
    output: &mut dyn Write,
) -> Result<(), SyncError> {
    if require_role(store.conn())? != Role::Hub {
        return Err(SyncError::NeedsHub);
    }
    let hello: Hello = parse(&expect(input, Kind::Hello)?).map_err(link)?;
    let ours = store.schema_version()?;
    if hello.schema != ours {
        return Err(SyncError::BadBundle {
            file: "ssh".into(),
            problem: super::Problem::Schema {
                theirs: hello.schema,
                ours,
            },
        });
    }
    let device = resolve_peer(store.conn(), Some(&hello.device))?;
    let issued = super::setup::issued_seq(store.conn())?;
    refuse_old_copy(
        Role::Hub,
        apply::Seen {
            their_ack: hello.applied,
            their_issued: hello.issued,
            our_issued: issued,
            acked: device.acked_seq,
            applied: device.applied_seq,
        },
    )?;
    apply::note_ack(store.conn(), &device.device_id, hello.applied)?;
    write_json(
        output,
        Kind::Hello,
        &Hello {
            device: store.device_id(),
            schema: ours,
            applied: device.applied_seq,
            issued,
        },
    )
    .map_err(link)?;
    let mut captured = false;
    loop {
        match read_frame(input).map_err(link)? {
            Some((Kind::Bundle, bytes)) => {
                let bundle = seal::read_bundle(store, &bytes, "ssh")?;
                apply::apply(store, &bundle, "ssh")?;
                let device = resolve_peer(store.conn(), Some(&hello.device))?;
                write_json(
                    output,
                    Kind::Ack,
                    &Ack {
                        applied: device.applied_seq,
                    },
                )
                .map_err(link)?;
            }
            Some((Kind::Pull, payload)) => {
                let pull: Ack = parse(&payload).map_err(link)?;
                if !captured {
                    // What the device sent is now here: capture it (and any import) for the device.
                    capture(store)?;
                    super::scope::update(store, &hello.device)?;
                    captured = true;
                }
                apply::note_ack(store.conn(), &hello.device, pull.applied)?;
                let device = resolve_peer(store.conn(), Some(&hello.device))?;
                let bundle = bundle_for(store, &device, pull.applied, Some(CHUNK_BYTES))?;
                write_frame(output, Kind::Bundle, &seal::write_bundle(store, &bundle)?)
                    .map_err(link)?;
            }
            Some((Kind::Done, _)) => return Ok(()),
            Some(_) => return Err(link("unexpected message")),
            None => return Err(link(crate::i18n::msg("sync-link-closed", &[]))),
        }
    }
}

/// The progress bar on stderr: bytes sent and received. Draws nothing when stderr is not a
/// terminal.
#[derive(Clone)]
struct Progress {
    bar: Option<ProgressBar>,
    counts: std::sync::Arc<std::sync::Mutex<(u64, u64)>>,
}

impl Progress {
    fn new() -> Progress {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
                bar.set_style(style);
            }
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        Progress {
            bar,
            counts: Default::default(),
        }
    }

    fn add(&self, bytes: u64, sent: bool) {
        let Ok(mut counts) = self.counts.lock() else {
            return;
        };
        if sent {
            counts.0 += bytes;
        } else {
            counts.1 += bytes;
        }
        if let Some(bar) = &self.bar {
            bar.set_message(crate::i18n::msg(
                "sync-progress",
                &[
                    (
                        "sent",
                        indicatif::BinaryBytes(counts.0).to_string().as_str().into(),
                    ),
                    (
                        "received",
                        indicatif::BinaryBytes(counts.1).to_string().as_str().into(),
                    ),
                ],
            ));
        }
    }

    fn note(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.println(line),
            None => eprintln!("{line}"),
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// A pipe end that counts the bytes through it for the progress bar.
struct Counted<T> {
    inner: T,
    progress: Progress,
    sent: bool,
    count: u64,
}

impl<T> Counted<T> {
    fn new(inner: T, progress: Progress, sent: bool) -> Counted<T> {
        Counted {
            inner,
            progress,
            sent,
            count: 0,
        }
    }
}

impl<T: Write> Write for Counted<T> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.count += n as u64;
        self.progress.add(n as u64, self.sent);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

impl<T: Read> Read for Counted<T> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count += n as u64;
        self.progress.add(n as u64, self.sent);
        Ok(n)
    }
}
