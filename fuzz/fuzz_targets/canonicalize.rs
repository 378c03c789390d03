//! `canonicalize` over arbitrary strings, with and without an arbitrary
//! base: never panics, and its output is canonical (canonicalising it
//! again, with or without the base, gives the same URL), http(s), without
//! fragment, credentials or empty query, within `MAX_URL_LEN`.
//! `lookup_candidates` must not panic either.
//!
//! Input: `BASE\0INPUT` (lossy UTF-8), or just `INPUT` (no base).
#![no_main]

use libfuzzer_sys::fuzz_target;
use redline_discover::canonical::MAX_URL_LEN;
use redline_discover::{canonicalize, lookup_candidates};
use url::Url;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (base, input) = match text.split_once('\0') {
        Some((base, input)) => (Url::parse(base).ok(), input),
        None => (None, &*text),
    };
    let _ = lookup_candidates(input);
    let Ok(url) = canonicalize(input, base.as_ref()) else {
        return;
    };
    assert!(matches!(url.scheme(), "http" | "https"), "{url}");
    assert!(url.fragment().is_none(), "{url}");
    assert!(
        url.username().is_empty() && url.password().is_none(),
        "{url}"
    );
    assert!(url.as_str().len() <= MAX_URL_LEN, "{url}");
    assert_ne!(url.query(), Some(""), "{url}");
    let again = canonicalize(url.as_str(), None)
        .unwrap_or_else(|e| panic!("{url} does not canonicalise again: {e}"));
    assert_eq!(again, url, "not idempotent");
    if let Some(base) = &base {
        let again = canonicalize(url.as_str(), Some(base))
            .unwrap_or_else(|e| panic!("{url} does not canonicalise again against {base}: {e}"));
        assert_eq!(again, url, "not idempotent against {base}");
    }
});
