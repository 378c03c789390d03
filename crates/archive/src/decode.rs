//! Content decoding of archived payloads (gzip, deflate, br) with an output
//! cap, for [`crate::StoredCapture::decoded_payload`].

use std::io::Read;

use flate2::read::{DeflateDecoder, MultiGzDecoder, ZlibDecoder};

use crate::error::ArchiveError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Coding {
    Gzip,
    Deflate,
    Brotli,
}

impl Coding {
    fn name(self) -> &'static str {
        match self {
            Coding::Gzip => "gzip",
            Coding::Deflate => "deflate",
            Coding::Brotli => "br",
        }
    }
}

/// The codings named by Content-Encoding header values, in the order applied.
pub(crate) fn parse_codings<'a>(
    values: impl IntoIterator<Item = &'a [u8]>,
) -> Result<Vec<Coding>, ArchiveError> {
    let mut codings = Vec::new();
    for value in values {
        for name in String::from_utf8_lossy(value).split(',') {
            let name = name.trim().to_ascii_lowercase();
            match name.as_str() {
                "" | "identity" => {}
                "gzip" | "x-gzip" => codings.push(Coding::Gzip),
                "deflate" => codings.push(Coding::Deflate),
                "br" => codings.push(Coding::Brotli),
                _ => return Err(ArchiveError::UnsupportedEncoding(name)),
            }
        }
    }
    Ok(codings)
}

/// Undoes `codings`, last applied first, stopping past `limit` bytes.
pub(crate) fn decode(codings: &[Coding], raw: &[u8], limit: u64) -> Result<Vec<u8>, ArchiveError> {
    let mut data: Option<Vec<u8>> = None;
    for &coding in codings.iter().rev() {
        let mut out = Vec::new();
        let read = {
            let input = data.as_deref().unwrap_or(raw);
            let reader: Box<dyn Read + '_> = match coding {
                Coding::Gzip => Box::new(MultiGzDecoder::new(input)),
                Coding::Deflate if looks_like_zlib(input) => Box::new(ZlibDecoder::new(input)),
                Coding::Deflate => Box::new(DeflateDecoder::new(input)),
                Coding::Brotli => Box::new(brotli::Decompressor::new(input, 8192)),
            };
            reader.take(limit.saturating_add(1)).read_to_end(&mut out)
        };
        match read {
            Ok(_) if out.len() as u64 > limit => {
                return Err(ArchiveError::DecodedTooLarge { limit });
            }
            Ok(_) => data = Some(out),
            Err(e) => {
                return Err(ArchiveError::Decode {
                    encoding: coding.name().to_string(),
                    detail: e.to_string(),
                });
            }
        }
    }
    Ok(data.unwrap_or_else(|| raw.to_vec()))
}

fn looks_like_zlib(input: &[u8]) -> bool {
    match input {
        [cmf, flg, ..] => cmf & 0x0f == 8 && (u16::from(*cmf) << 8 | u16::from(*flg)) % 31 == 0,
        _ => false,
    }
}
