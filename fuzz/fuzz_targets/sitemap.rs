//! `parse_listing(ListingKind::Sitemap, ...)` over arbitrary bytes: an error
//! or a sane listing, never a panic (see `assert_listing_sane`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use redline_discover::{ListingKind, parse_listing};
use redline_fuzz::{assert_listing_sane, listing_base};

fuzz_target!(|data: &[u8]| {
    let base = listing_base();
    if let Ok(listing) = parse_listing(ListingKind::Sitemap, data, None, &base) {
        assert_listing_sane(&listing);
    }
});
