//! `redline_fetch::decode_body` — the Content-Encoding decoder every
//! fetched body and every archived payload goes through — over arbitrary
//! codings and bytes: an error or at most the cap, never a panic, and a
//! compression bomb stops at the cap.
//!
//! Input: `CONTENT-ENCODING\nBODY` (the first line, lossy UTF-8, is the
//! header value; commas stack codings).
#![no_main]

use libfuzzer_sys::fuzz_target;

/// The cap in this target (the crawler's default is 10 MB).
const LIMIT: u64 = 1 << 20;

fuzz_target!(|data: &[u8]| {
    let (header, body) = match data.iter().position(|&b| b == b'\n') {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (&data[..0], data),
    };
    let codings_named = !String::from_utf8_lossy(header)
        .split(',')
        .all(|c| matches!(c.trim().to_ascii_lowercase().as_str(), "" | "identity"));
    if let Ok(decoded) = redline_fetch::decode_body([header], body, LIMIT)
        && codings_named
    {
        assert!(
            decoded.len() as u64 <= LIMIT,
            "{} bytes decoded",
            decoded.len()
        );
    }
});
