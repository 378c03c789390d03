//! Content decoding (`Content-Encoding: gzip, deflate, br`) with an output cap.
//!
//! reqwest's own decompression is off: the raw bytes as received are kept
//! for the archive, and decoding here stops as soon as the output passes the
//! cap, so a compression bomb costs at most the cap in memory and the time to
//! inflate that much.

use std::io::Read;

use flate2::read::{DeflateDecoder, MultiGzDecoder, ZlibDecoder};

/// One content coding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coding {
    Gzip,
    Deflate,
    Brotli,
}

impl Coding {
    /// The coding's name as written in Content-Encoding.
    pub fn name(self) -> &'static str {
        match self {
            Coding::Gzip => "gzip",
            Coding::Deflate => "deflate",
            Coding::Brotli => "br",
        }
    }
}

/// Why a body could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// A coding redline does not know (the name as sent).
    #[error(
        "the body uses Content-Encoding {0:?}, which cannot be decoded (gzip, deflate and br can)"
    )]
    Unsupported(String),
    /// The decoded output passed the cap.
    #[error("the {} body decodes to more than the size limit: possible compression bomb", .coding.name())]
    TooLarge { coding: Coding },
    /// The encoded data is corrupt or truncated.
    #[error("the {} body could not be decoded: {detail}", .coding.name())]
    Corrupt { coding: Coding, detail: String },
}

/// Undoes the content codings named by the `Content-Encoding` header
/// values (gzip, deflate, br, possibly stacked) on `raw`; fails rather than
/// produce more than `limit` bytes. For bodies read back from the archive,
/// which keeps them as received.
pub fn decode_body<'a>(
    content_encoding: impl IntoIterator<Item = &'a [u8]>,
    raw: &[u8],
    limit: u64,
) -> Result<Vec<u8>, DecodeError> {
    decode(&parse_codings(content_encoding)?, raw, limit)
}

/// Parses the values of all `Content-Encoding` headers into the codings in
/// the order they were applied (`identity` is skipped).
pub(crate) fn parse_codings<'a>(
    values: impl IntoIterator<Item = &'a [u8]>,
) -> Result<Vec<Coding>, DecodeError> {
    let mut codings = Vec::new();
    for value in values {
        let value = String::from_utf8_lossy(value);
        for name in value.split(',') {
            let name = name.trim().to_ascii_lowercase();
            match name.as_str() {
                "" | "identity" => {}
                "gzip" | "x-gzip" => codings.push(Coding::Gzip),
                "deflate" => codings.push(Coding::Deflate),
                "br" => codings.push(Coding::Brotli),
                _ => return Err(DecodeError::Unsupported(name)),
            }
        }
    }
    Ok(codings)
}

/// Undoes `codings` (last applied first) on `raw`; fails as soon as any
/// stage's output would exceed `limit` bytes.
pub(crate) fn decode(codings: &[Coding], raw: &[u8], limit: u64) -> Result<Vec<u8>, DecodeError> {
    let mut data: Option<Vec<u8>> = None;
    for &coding in codings.iter().rev() {
        let mut out = Vec::new();
        let read = {
            let input = data.as_deref().unwrap_or(raw);
            // Read at most one byte past the limit: enough to know it was passed.
            decoder(coding, input)
                .take(limit.saturating_add(1))
                .read_to_end(&mut out)
        };
        match read {
            Ok(_) if out.len() as u64 > limit => return Err(DecodeError::TooLarge { coding }),
            Ok(_) => data = Some(out),
            Err(e) => {
                return Err(DecodeError::Corrupt {
                    coding,
                    detail: e.to_string(),
                });
            }
        }
    }
    Ok(data.unwrap_or_else(|| raw.to_vec()))
}

/// Like [`decode`] but never fails: keeps whatever decoded before an error
/// or the cap (used for robots.txt, where a truncated file is still useful).
/// The flag says whether the output is incomplete.
pub(crate) fn decode_lenient(codings: &[Coding], raw: &[u8], limit: u64) -> (Vec<u8>, bool) {
    let mut data: Option<Vec<u8>> = None;
    let mut incomplete = false;
    for &coding in codings.iter().rev() {
        let mut out = Vec::new();
        let input = data.as_deref().unwrap_or(raw);
        let mut reader = decoder(coding, input);
        let mut buf = [0u8; 8192];
        loop {
            let room = (limit as usize).saturating_sub(out.len());
            if room == 0 {
                incomplete = true;
                break;
            }
            let want = room.min(buf.len());
            match reader.read(&mut buf[..want]) {
                Ok(0) => break,
                Ok(n) => out.extend_from_slice(&buf[..n]),
                Err(_) => {
                    incomplete = true;
                    break;
                }
            }
        }
        drop(reader);
        data = Some(out);
    }
    match data {
        Some(d) => (d, incomplete),
        None => {
            let end = raw.len().min(limit as usize);
            (raw[..end].to_vec(), raw.len() > end)
        }
    }
}

fn decoder<'a>(coding: Coding, input: &'a [u8]) -> Box<dyn Read + 'a> {
    match coding {
        Coding::Gzip => Box::new(MultiGzDecoder::new(input)),
        // "deflate" is meant to be zlib-wrapped (RFC 9110) but some servers
        // send raw deflate: look at the zlib header to tell them apart.
        Coding::Deflate if looks_like_zlib(input) => Box::new(ZlibDecoder::new(input)),
        Coding::Deflate => Box::new(DeflateDecoder::new(input)),
        Coding::Brotli => Box::new(brotli::Decompressor::new(input, 8192)),
    }
}

fn looks_like_zlib(input: &[u8]) -> bool {
    match input {
        [cmf, flg, ..] => cmf & 0x0f == 8 && (u16::from(*cmf) << 8 | u16::from(*flg)) % 31 == 0,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::Compression;
    use std::io::Write;

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    fn brotli(data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        {
            let mut w = brotli::CompressorWriter::new(&mut out, 4096, 5, 22);
            w.write_all(data).unwrap();
        }
        out
    }

    #[test]
    fn parses_coding_lists() {
        let v = parse_codings([&b"gzip"[..], b" identity , BR"]).unwrap();
        assert_eq!(v, vec![Coding::Gzip, Coding::Brotli]);
        assert_eq!(
            parse_codings([&b"zstd"[..]]),
            Err(DecodeError::Unsupported("zstd".into()))
        );
    }

    #[test]
    fn decodes_each_coding() {
        let text = b"<html>hello</html>".repeat(100);
        assert_eq!(
            decode(&[Coding::Gzip], &gzip(&text), 1 << 20).unwrap(),
            text
        );
        assert_eq!(
            decode(&[Coding::Brotli], &brotli(&text), 1 << 20).unwrap(),
            text
        );
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), Compression::default());
        z.write_all(&text).unwrap();
        assert_eq!(
            decode(&[Coding::Deflate], &z.finish().unwrap(), 1 << 20).unwrap(),
            text
        );
        let mut d = flate2::write::DeflateEncoder::new(Vec::new(), Compression::default());
        d.write_all(&text).unwrap();
        assert_eq!(
            decode(&[Coding::Deflate], &d.finish().unwrap(), 1 << 20).unwrap(),
            text
        );
    }

    #[test]
    fn stacked_codings_are_undone_in_reverse() {
        let text = b"stacked".repeat(50);
        let raw = brotli(&gzip(&text));
        assert_eq!(
            decode(&[Coding::Gzip, Coding::Brotli], &raw, 1 << 20).unwrap(),
            text
        );
    }

    #[test]
    fn output_cap_is_enforced() {
        let zeros = vec![0u8; 2 << 20];
        assert_eq!(
            decode(&[Coding::Gzip], &gzip(&zeros), 1 << 20),
            Err(DecodeError::TooLarge {
                coding: Coding::Gzip
            })
        );
        assert_eq!(
            decode(&[Coding::Gzip], &gzip(&zeros), 2 << 20)
                .unwrap()
                .len(),
            2 << 20
        );
    }

    #[test]
    fn corrupt_data_is_an_error_not_a_panic() {
        let err = decode(&[Coding::Gzip], b"definitely not gzip", 1000).unwrap_err();
        assert!(matches!(
            err,
            DecodeError::Corrupt {
                coding: Coding::Gzip,
                ..
            }
        ));
        let mut truncated = gzip(&b"abc".repeat(1000));
        truncated.truncate(truncated.len() / 2);
        assert!(decode(&[Coding::Gzip], &truncated, 1 << 20).is_err());
        assert!(decode(&[Coding::Brotli], b"\xff\xff\xff", 1000).is_err());
    }

    #[test]
    fn lenient_keeps_what_it_could_decode() {
        let text = b"line\n".repeat(10_000);
        let (out, incomplete) = decode_lenient(&[Coding::Gzip], &gzip(&text), 1000);
        assert_eq!(out.len(), 1000);
        assert!(incomplete);
        let mut truncated = gzip(&text);
        truncated.truncate(truncated.len() / 2);
        let (out, incomplete) = decode_lenient(&[Coding::Gzip], &truncated, 1 << 20);
        assert!(incomplete);
        assert!(text.starts_with(&out));
        let (out, incomplete) = decode_lenient(&[], b"plain", 3);
        assert_eq!((out.as_slice(), incomplete), (&b"pla"[..], true));
    }
}
