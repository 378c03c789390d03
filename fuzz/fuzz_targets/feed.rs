//! `parse_listing(ListingKind::Feed, ...)` over arbitrary bytes: an error
//! or a sane listing, never a panic (see `assert_listing_sane`).
#![no_main]

use std::sync::Once;

use libfuzzer_sys::fuzz_target;
use redline_discover::{ListingKind, parse_listing};
use redline_fuzz::{assert_listing_sane, listing_base};

fuzz_target!(|data: &[u8]| {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        // libfuzzer-sys's panic hook aborts on every panic, even one that is
        // caught. The feed parser (feed-rs, through quick-xml) panics on
        // some malformed XML (fuzz/regressions/feed/), and `feed::parse`
        // catches that and returns an error: let those panics unwind to
        // the catch, as they do in the crawler. Any other panic aborts.
        let abort = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let file = info.location().map_or("", |l| l.file());
            if !(file.contains("/quick-xml-") || file.contains("/feed-rs-")) {
                abort(info);
            }
        }));
    });
    let base = listing_base();
    if let Ok(listing) = parse_listing(ListingKind::Feed, data, None, &base) {
        assert_listing_sane(&listing);
    }
});
