//! Discovery: finds article URLs in a source's listings — feeds (RSS
//! 0.9x/1.0/2.0, Atom, JSON Feed), front and section pages, news sitemaps —
//! and canonicalises them so that one article is one URL.
//!
//! - [`canonical`]: URL canonicalisation and the per-source URL filter.
//! - [`feed`], [`sitemap`], [`page`]: one parser per kind of listing.
//!
//! Nothing here does I/O: the crawler fetches a listing and hands its body
//! to [`parse_listing`].

#![forbid(unsafe_code)]

pub mod canonical;
pub mod feed;
pub mod page;
pub mod sitemap;

use chrono::{DateTime, Utc};
use url::Url;

pub use redline_config::ListingKind;

pub use canonical::{UrlError, UrlFilter, canonicalize, lookup_candidates};

/// Listings are cut off past this many entries: a feed or sitemap listing
/// more is either broken or hostile, and the newest entries come first in
/// every format we read.
pub const MAX_ENTRIES: usize = 50_000;

/// An article URL found in a listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discovered {
    /// Canonical URL.
    pub url: Url,
    /// Headline given by the listing, if any.
    pub title: Option<String>,
    /// Publication time given by the listing, if any.
    pub published: Option<DateTime<Utc>>,
}

/// What a listing yielded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Listing {
    /// Candidate articles, not yet filtered by the source's URL patterns.
    pub articles: Vec<Discovered>,
    /// Further sitemaps named by a sitemap index.
    pub sitemaps: Vec<Url>,
}

/// A listing that could not be read.
#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    #[error("not a valid feed: {0}")]
    Feed(String),
    #[error("not a valid sitemap: {0}")]
    Sitemap(String),
}

/// Parses a fetched listing. `base` is the URL it was fetched from (after
/// redirects), against which relative links are resolved.
pub fn parse_listing(
    kind: ListingKind,
    body: &[u8],
    content_type: Option<&str>,
    base: &Url,
) -> Result<Listing, DiscoverError> {
    match kind {
        ListingKind::Feed => Ok(Listing {
            articles: feed::parse(body, base)?,
            sitemaps: Vec::new(),
        }),
        ListingKind::Sitemap => sitemap::parse(body, base),
        ListingKind::Page => {
            let html = redline_extract::decode_html(body, content_type);
            Ok(Listing {
                articles: page::scan(&html, base),
                sitemaps: Vec::new(),
            })
        }
    }
}
