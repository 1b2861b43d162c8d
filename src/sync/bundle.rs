//! The bundle file: what one register sends another, compressed, encrypted and authenticated.
//!
//! Layout: the magic `ACOSYNC2`, the header length (u32 LE), the header (JSON: who sends to whom,
//! which entries — no patient data), the nonce (24 bytes), the body length (u64 LE), and the body:
//! the deflate of the entries sealed with XChaCha20-Poly1305 under the key the hub and that device
//! share ([`super::seal`]), with everything before the body as associated data. Each entry is its
//! sequence number (u64), row and edit counts (u32 each), the changeset length (u32) and the
//! changeset. A file shorter than its lengths say is truncated; one whose tag does not verify was
//! altered, damaged, or sealed for another device: either way it is refused whole.

use super::Problem;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde::{Deserialize, Serialize};

/// The first bytes of every bundle.
pub const MAGIC: &[u8; 8] = b"ACOSYNC2";
/// The bundle layout this acodesk writes and reads.
pub const FORMAT: u32 = 2;
/// The most a body may inflate to (a bundle is refused beyond it rather than filling memory).
const MAX_INFLATED: usize = 1 << 30;
/// Deflate level: the best ratio; a bundle of 10,000 changes still compresses in milliseconds.
const LEVEL: u8 = 9;
/// The nonce's length (XChaCha20-Poly1305: 192 bits, random per bundle).
const NONCE_LEN: usize = 24;
/// The key's length (256 bits).
pub const KEY_LEN: usize = 32;

/// The key a hub and one of its devices seal their bundles with.
pub type Key = [u8; KEY_LEN];

/// What a bundle says about itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// The bundle layout.
    pub format: u32,
    /// The sender's register schema version (both sides must be at the same).
    pub schema: u32,
    /// The sender's device id.
    pub from: String,
    /// `hub` or `device`.
    pub from_role: String,
    /// The recipient's device id.
    pub to: String,
    /// The first and last outbox sequence numbers carried (`first > last`: none).
    pub first_seq: u64,
    /// The last outbox sequence number carried.
    pub last_seq: u64,
    /// The last of the recipient's entries the sender has applied.
    pub ack: u64,
    /// When it was written (UTC).
    pub created_at: String,
    /// Entries carried.
    pub entries: u64,
    /// The highest sequence number the sender has ever given (an old copy of a register gives
    /// fewer than its peer has seen).
    pub issued: u64,
}

/// One outbox entry: a changeset with its sequence number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The sender's sequence number.
    pub seq: u64,
    /// Row changes in the changeset.
    pub rows: u32,
    /// Of which calls and patient changes.
    pub edits: u32,
    /// The SQLite session changeset.
    pub changeset: Vec<u8>,
}

/// A decoded bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bundle {
    /// What it says about itself.
    pub header: Header,
    /// The entries, in sequence order.
    pub entries: Vec<Entry>,
}

impl Bundle {
    /// Row changes carried.
    pub fn rows(&self) -> u64 {
        self.entries.iter().map(|e| u64::from(e.rows)).sum()
    }
}

/// Writes a bundle's bytes, sealed with `key`. Fails only if the header cannot be written.
pub fn encode(bundle: &Bundle, key: &Key) -> Result<Vec<u8>, serde_json::Error> {
    let mut body = Vec::new();
    for entry in &bundle.entries {
        body.extend_from_slice(&entry.seq.to_le_bytes());
        body.extend_from_slice(&entry.rows.to_le_bytes());
        body.extend_from_slice(&entry.edits.to_le_bytes());
        body.extend_from_slice(&(entry.changeset.len() as u32).to_le_bytes());
        body.extend_from_slice(&entry.changeset);
    }
    let packed = miniz_oxide::deflate::compress_to_vec(&body, LEVEL);
    let header = serde_json::to_vec(&bundle.header)?;
    let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
    // The sealed body is the packed body and the 16-byte tag.
    let sealed_len = packed.len() + 16;
    let mut out = Vec::with_capacity(sealed_len + header.len() + 64);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&(header.len() as u32).to_le_bytes());
    out.extend_from_slice(&header);
    out.extend_from_slice(nonce.as_slice());
    out.extend_from_slice(&(sealed_len as u64).to_le_bytes());
    let cipher = XChaCha20Poly1305::new(key.into());
    let sealed = cipher
        .encrypt(
            &nonce,
            Payload {
                msg: &packed,
                aad: &out,
            },
        )
        .map_err(|_| serde::ser::Error::custom("the bundle could not be sealed"))?;
    out.extend_from_slice(&sealed);
    Ok(out)
}

/// The parts of a bundle file, read without the key.
struct Envelope<'a> {
    header: Header,
    nonce: &'a [u8],
    /// Everything before the sealed body (the associated data).
    before: &'a [u8],
    sealed: &'a [u8],
}

fn envelope(bytes: &[u8]) -> Result<Envelope<'_>, Problem> {
    if bytes.len() < MAGIC.len() {
        return Err(if MAGIC.starts_with(bytes) && !bytes.is_empty() {
            Problem::Truncated
        } else {
            Problem::NotABundle
        });
    }
    if &bytes[..MAGIC.len()] != MAGIC {
        return Err(Problem::NotABundle);
    }
    let mut at = MAGIC.len();
    let header_len = read_u32(bytes, &mut at).ok_or(Problem::Truncated)? as usize;
    let header_end = at.checked_add(header_len).ok_or(Problem::Damaged)?;
    if bytes.len() < header_end + NONCE_LEN + 8 {
        return Err(Problem::Truncated);
    }
    let header_bytes = &bytes[at..header_end];
    let nonce = &bytes[header_end..header_end + NONCE_LEN];
    at = header_end + NONCE_LEN;
    let body_len = usize::try_from(read_u64(bytes, &mut at).ok_or(Problem::Truncated)?)
        .map_err(|_| Problem::Damaged)?;
    let body_end = at.checked_add(body_len).ok_or(Problem::Damaged)?;
    if bytes.len() < body_end {
        return Err(Problem::Truncated);
    }
    if bytes.len() > body_end {
        return Err(Problem::Damaged);
    }
    let header: Header = serde_json::from_slice(header_bytes).map_err(|_| Problem::Damaged)?;
    if header.format != FORMAT {
        return Err(Problem::NotABundle);
    }
    Ok(Envelope {
        header,
        nonce,
        before: &bytes[..at],
        sealed: &bytes[at..body_end],
    })
}

/// Reads a bundle's header without opening it (to find the key it was sealed with). The header
/// is not trusted until [`decode`] has verified the whole file.
pub fn peek(bytes: &[u8]) -> Result<Header, Problem> {
    envelope(bytes).map(|e| e.header)
}

/// Reads a bundle sealed with `key`, refusing it whole if anything is wrong.
pub fn decode(bytes: &[u8], key: &Key) -> Result<Bundle, Problem> {
    let Envelope {
        header,
        nonce,
        before,
        sealed,
    } = envelope(bytes)?;
    let cipher = XChaCha20Poly1305::new(key.into());
    let packed = cipher
        .decrypt(
            XNonce::from_slice(nonce),
            Payload {
                msg: sealed,
                aad: before,
            },
        )
        .map_err(|_| Problem::Damaged)?;
    let body = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_INFLATED)
        .map_err(|_| Problem::Damaged)?;
    let entries = read_entries(&body).ok_or(Problem::Damaged)?;
    let consistent = entries.len() as u64 == header.entries
        && entries.windows(2).all(|w| w[0].seq < w[1].seq)
        && entries
            .iter()
            .all(|e| e.seq >= header.first_seq && e.seq <= header.last_seq);
    if !consistent {
        return Err(Problem::Damaged);
    }
    Ok(Bundle { header, entries })
}

fn read_entries(body: &[u8]) -> Option<Vec<Entry>> {
    let mut at = 0;
    let mut entries = Vec::new();
    while at < body.len() {
        let seq = read_u64(body, &mut at)?;
        let rows = read_u32(body, &mut at)?;
        let edits = read_u32(body, &mut at)?;
        let len = read_u32(body, &mut at)? as usize;
        let end = at.checked_add(len)?;
        let changeset = body.get(at..end)?.to_vec();
        at = end;
        entries.push(Entry {
            seq,
            rows,
            edits,
            changeset,
        });
    }
    Some(entries)
}

fn read_u32(bytes: &[u8], at: &mut usize) -> Option<u32> {
    let slice = bytes.get(*at..*at + 4)?;
    *at += 4;
    Some(u32::from_le_bytes(slice.try_into().ok()?))
}

fn read_u64(bytes: &[u8], at: &mut usize) -> Option<u64> {
    let slice = bytes.get(*at..*at + 8)?;
    *at += 8;
    Some(u64::from_le_bytes(slice.try_into().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Bundle {
        Bundle {
            header: Header {
                format: FORMAT,
                schema: 2,
                from: "dev".into(),
                from_role: "device".into(),
                to: "hub".into(),
                first_seq: 3,
                last_seq: 4,
                ack: 7,
                created_at: "2026-11-20T10:00:00Z".into(),
                entries: 2,
                issued: 4,
            },
            entries: vec![
                Entry {
                    seq: 3,
                    rows: 1,
                    edits: 1,
                    changeset: vec![1, 2, 3],
                },
                Entry {
                    seq: 4,
                    rows: 2,
                    edits: 0,
                    changeset: vec![9; 100],
                },
            ],
        }
    }

    const KEY: Key = [7; KEY_LEN];

    #[test]
    fn a_bundle_reads_back_as_written_and_only_with_its_key() {
        let bytes = encode(&sample(), &KEY).unwrap();
        assert_eq!(decode(&bytes, &KEY).unwrap(), sample());
        assert_eq!(peek(&bytes).unwrap(), sample().header);
        assert_eq!(decode(&bytes, &[8; KEY_LEN]).unwrap_err(), Problem::Damaged);
        // Sealed: no changeset byte appears in the file as written.
        let marker = vec![9u8; 100];
        assert!(!bytes.windows(marker.len()).any(|w| w == marker.as_slice()));
    }

    #[test]
    fn every_truncation_is_refused() {
        let bytes = encode(&sample(), &KEY).unwrap();
        for len in 1..bytes.len() {
            let problem = decode(&bytes[..len], &KEY).unwrap_err();
            assert!(
                matches!(problem, Problem::Truncated | Problem::Damaged),
                "cut at {len}: {problem:?}"
            );
        }
        assert_eq!(decode(b"", &KEY).unwrap_err(), Problem::NotABundle);
    }

    #[test]
    fn any_flipped_byte_is_refused() {
        let bytes = encode(&sample(), &KEY).unwrap();
        for i in 0..bytes.len() {
            let mut bad = bytes.clone();
            bad[i] ^= 0x20;
            assert!(decode(&bad, &KEY).is_err(), "byte {i} flipped was accepted");
        }
        assert_eq!(
            decode(b"id,name\n1,x\n", &KEY).unwrap_err(),
            Problem::NotABundle
        );
    }
}
