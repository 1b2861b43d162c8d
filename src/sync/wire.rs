//! The frames of the exchange over SSH: one kind byte, a length (u32 LE), and the payload — a JSON
//! message or a bundle in the file format of [`super::bundle`] (checksummed, so a frame damaged in
//! transit is refused like a damaged file).

use serde::{Deserialize, Serialize};
use std::io::{self, Read, Write};

/// The largest frame accepted (a bundle chunk is far smaller).
const MAX_FRAME: usize = 256 << 20;

/// What a frame is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The greeting, each way (JSON [`Hello`]).
    Hello,
    /// A bundle.
    Bundle,
    /// "Applied up to": the hub's answer to a bundle (JSON [`Ack`]).
    Ack,
    /// "Send me what comes after": the device's request (JSON [`Ack`]).
    Pull,
    /// The device is finished.
    Done,
    /// The other side failed: its sentence.
    Error,
}

impl Kind {
    fn byte(self) -> u8 {
        match self {
            Kind::Hello => b'H',
            Kind::Bundle => b'B',
            Kind::Ack => b'A',
            Kind::Pull => b'P',
            Kind::Done => b'D',
            Kind::Error => b'E',
        }
    }

    fn from_byte(b: u8) -> Option<Kind> {
        Some(match b {
            b'H' => Kind::Hello,
            b'B' => Kind::Bundle,
            b'A' => Kind::Ack,
            b'P' => Kind::Pull,
            b'D' => Kind::Done,
            b'E' => Kind::Error,
            _ => return None,
        })
    }
}

/// The greeting: who is speaking and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hello {
    /// The speaker's device id.
    pub device: String,
    /// The speaker's register schema.
    pub schema: u32,
    /// The last of the other side's entries the speaker has applied.
    pub applied: u64,
    /// The highest sequence number the speaker has given (an old copy has given fewer).
    pub issued: u64,
}

/// A position in the other side's numbering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ack {
    /// The last entry applied.
    pub applied: u64,
}

/// Writes one frame and flushes it.
pub fn write_frame(out: &mut dyn Write, kind: Kind, payload: &[u8]) -> io::Result<()> {
    out.write_all(&[kind.byte()])?;
    out.write_all(&(payload.len() as u32).to_le_bytes())?;
    out.write_all(payload)?;
    out.flush()
}

/// Writes a JSON message as one frame.
pub fn write_json<T: Serialize>(out: &mut dyn Write, kind: Kind, value: &T) -> io::Result<()> {
    let payload = serde_json::to_vec(value).map_err(io::Error::other)?;
    write_frame(out, kind, &payload)
}

/// Reads one frame; `None` when the other side closed the link between frames.
pub fn read_frame(input: &mut dyn Read) -> io::Result<Option<(Kind, Vec<u8>)>> {
    let mut head = [0u8; 5];
    let mut got = 0;
    while got < head.len() {
        let n = input.read(&mut head[got..])?;
        if n == 0 {
            return if got == 0 {
                Ok(None)
            } else {
                Err(io::ErrorKind::UnexpectedEof.into())
            };
        }
        got += n;
    }
    let kind = Kind::from_byte(head[0])
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "not a sync frame"))?;
    let len = u32::from_le_bytes([head[1], head[2], head[3], head[4]]) as usize;
    if len > MAX_FRAME {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "frame too large",
        ));
    }
    let mut payload = vec![0u8; len];
    input.read_exact(&mut payload)?;
    Ok(Some((kind, payload)))
}

/// Parses a JSON payload.
pub fn parse<T: for<'de> Deserialize<'de>>(payload: &[u8]) -> io::Result<T> {
    serde_json::from_slice(payload).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_read_back_and_a_cut_frame_is_an_error() {
        let mut buf = Vec::new();
        write_json(&mut buf, Kind::Ack, &Ack { applied: 7 }).unwrap();
        write_frame(&mut buf, Kind::Done, b"").unwrap();
        let mut input: &[u8] = &buf;
        let (kind, payload) = read_frame(&mut input).unwrap().unwrap();
        assert_eq!(kind, Kind::Ack);
        assert_eq!(parse::<Ack>(&payload).unwrap(), Ack { applied: 7 });
        assert_eq!(read_frame(&mut input).unwrap().unwrap().0, Kind::Done);
        assert!(read_frame(&mut input).unwrap().is_none());
        let mut cut: &[u8] = &buf[..buf.len() - 6];
        assert!(read_frame(&mut cut).is_err());
    }
}
