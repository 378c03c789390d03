//! An extractor with arbitrary per-site CSS rules on arbitrary HTML:
//! `Extractor::with_rules` may refuse a selector, never panic; a valid
//! one extracts within the same bounds as the generic extractor.
//!
//! Input: `BODY\nREMOVE\nREMOVE...\0HTML` (lossy UTF-8; an empty BODY line
//! means no body rule, other empty lines are skipped; without a NUL the whole input is HTML and the rules
//! are empty). `fuzz/dicts/css.dict` helps the fuzzer write selectors.
#![no_main]

use libfuzzer_sys::fuzz_target;
use redline_extract::{Extractor, SiteRules};
use redline_fuzz::assert_bounded;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (rules, html) = text.split_once('\0').unwrap_or(("", &text));
    let mut lines = rules.split('\n');
    let body = lines.next().filter(|l| !l.is_empty()).map(str::to_string);
    let remove = lines
        .filter(|l| !l.is_empty())
        .take(8)
        .map(str::to_string)
        .collect();
    let rules = SiteRules { body, remove };
    let Ok(extractor) = Extractor::with_rules(&rules) else {
        return;
    };
    let article = extractor.extract(html);
    assert_bounded(html, &article);
});
