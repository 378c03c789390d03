//! The generic extractor over arbitrary bytes: `decode_html`, then
//! `Extractor::extract` and `links`. Nothing may panic, and the text
//! extracted is bounded by the input (see `extraction_bound`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use redline_extract::{Extractor, decode_html, links};
use redline_fuzz::{assert_bounded, assert_decoded_bounded};

fuzz_target!(|data: &[u8]| {
    let html = decode_html(data, None);
    assert_decoded_bounded(data, &html);
    let article = Extractor::new().extract(&html);
    assert_bounded(&html, &article);
    let hrefs = links(&html);
    let total: usize = hrefs.iter().map(String::len).sum();
    // An href is an attribute value with references decoded (6/5 at most).
    assert!(
        total * 5 <= html.len() * 6,
        "{total} bytes of links from {}",
        html.len()
    );
});
