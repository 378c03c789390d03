//! One listing poll: fetch a feed, page or sitemap (conditionally), archive
//! it, parse it, keep the URLs the source's patterns accept, and add the new
//! ones as articles due at once.

use chrono::Utc;
use redline_discover::{Discovered, ListingKind};
use redline_fetch::FetchRequest;
use redline_store::{Listing, ListingPoll, NewArticle};
use std::sync::Arc;
use url::Url;

use crate::crawler::Inner;

/// Listings fetched and parsed at once.
pub(crate) const LISTING_SLOTS: usize = 4;

/// A failing listing is polled less often, up to this many times its
/// interval.
const MAX_ERROR_BACKOFF: u32 = 12;

impl Inner {
    /// Polls one listing and records the result.
    pub(crate) async fn poll(self: &Arc<Self>, listing: Listing) {
        // A listing can be megabytes of XML parsed into memory at once; a
        // few at a time keep the crawler's footprint flat.
        let Ok(_permit) = self.listing_slots.acquire().await else {
            return;
        };
        let started = Utc::now();
        let outcome = self.poll_listing(&listing).await;
        let (result, etag, last_modified) = match outcome {
            Ok((added, etag, last_modified)) => (Ok(added), etag, last_modified),
            Err(error) => {
                tracing::warn!(source = %listing.source, url = %listing.url, "listing: {error}");
                (Err(error), None, None)
            }
        };
        let factor = match &result {
            Ok(_) => 1,
            // `consecutive_errors` does not count this failure yet.
            Err(_) => 2u32
                .saturating_pow(listing.consecutive_errors.saturating_add(1).min(8))
                .min(MAX_ERROR_BACKOFF),
        };
        let wait = self.feed_interval * factor;
        let next_poll = crate::schedule::plus(started, wait);
        self.stats.count_poll(&result);
        let poll = ListingPoll {
            url: listing.url.clone(),
            at: started,
            next_poll,
            result,
            etag,
            last_modified,
        };
        if let Err(e) = self.with_store(move |s| s.record_listing_poll(&poll)).await {
            tracing::error!(url = %listing.url, "cannot record the poll of a listing: {e}");
        }
    }

    /// Returns (articles added, etag, last-modified) or the error.
    async fn poll_listing(
        self: &Arc<Self>,
        listing: &Listing,
    ) -> Result<(u32, Option<String>, Option<String>), String> {
        let kind = listing.kind;
        let url = Url::parse(&listing.url).map_err(|e| format!("invalid URL: {e}"))?;
        // A listing on a loopback or private address may lead to entries on
        // that same network (and is itself on it).
        let allow: Vec<_> = redline_fetch::listing_network(&url).into_iter().collect();
        let request = FetchRequest {
            url,
            etag: listing.etag.clone(),
            last_modified: listing.last_modified.clone(),
            allow: allow.clone(),
        };
        let (found, etag, last_modified) = match self.fetch_listing(kind, request).await? {
            None => return Ok((0, listing.etag.clone(), listing.last_modified.clone())),
            Some(found) => found,
        };
        let mut articles = found.articles;
        // One level of sitemap index: fetch the newest child sitemaps.
        for child in found.sitemaps {
            match self
                .fetch_listing(
                    kind,
                    FetchRequest::new(child.clone()).allowing(allow.iter().copied()),
                )
                .await
            {
                Ok(Some((listing, _, _))) => articles.extend(listing.articles),
                Ok(None) => {}
                Err(e) => tracing::warn!(url = %child, "child sitemap: {e}"),
            }
        }
        // Links scanned from a page must stay on its site unless the source
        // has an article pattern.
        let page = (kind == ListingKind::Page)
            .then(|| Url::parse(&listing.url).ok())
            .flatten();
        let added = self
            .add_discovered(&listing.source, page.as_ref(), articles)
            .await?;
        Ok((added, etag, last_modified))
    }

    /// Fetches and parses one listing; None when not modified.
    async fn fetch_listing(
        self: &Arc<Self>,
        kind: ListingKind,
        request: FetchRequest,
    ) -> Result<Option<(redline_discover::Listing, Option<String>, Option<String>)>, String> {
        let fetched = self
            .fetcher
            .fetch(request)
            .await
            .map_err(|e| e.to_string())?;
        if let Err(e) = self.archive_exchange(&fetched).await {
            tracing::warn!("{e}");
        }
        if fetched.not_modified {
            return Ok(None);
        }
        if fetched.is_gone() {
            return Err(format!(
                "HTTP {} from {}: the listing is not there; correct or remove its URL in the \
                 configuration (it will be polled again later, less often)",
                fetched.status, fetched.final_url
            ));
        }
        if !fetched.is_success() {
            return Err(format!(
                "HTTP {} from {}; the listing will be polled again later",
                fetched.status, fetched.final_url
            ));
        }
        let parsed = tokio::task::spawn_blocking(move || {
            let listing = redline_discover::parse_listing(
                kind,
                &fetched.body,
                fetched.content_type.as_deref(),
                &fetched.final_url,
            );
            (listing, fetched.etag, fetched.last_modified)
        })
        .await
        .map_err(|e| format!("parsing failed: {e}"))?;
        let (listing, etag, last_modified) = parsed;
        Ok(Some((
            listing.map_err(|e| e.to_string())?,
            etag,
            last_modified,
        )))
    }

    /// Adds the accepted, recent URLs; returns how many were new.
    async fn add_discovered(
        self: &Arc<Self>,
        source: &str,
        same_site: Option<&Url>,
        found: Vec<Discovered>,
    ) -> Result<u32, String> {
        let Some(runtime) = self.runtime(source).await else {
            return Err(format!(
                "source {source:?} is no longer configured, or its URL patterns are invalid (see the log)"
            ));
        };
        let oldest = crate::schedule::minus(Utc::now(), self.policy.retire_after);
        let articles: Vec<NewArticle> = found
            .into_iter()
            .filter(|d| runtime.filter.accepts(&d.url, same_site))
            // An entry older than the retirement age would retire at once.
            .filter(|d| d.published.is_none_or(|p| p >= oldest))
            .map(|d| NewArticle {
                url: d.url.to_string(),
                title: d.title,
                published: d.published,
            })
            .collect();
        let source = source.to_string();
        let now = Utc::now();
        let added = self
            .with_store(move |s| s.add_articles(&source, &articles, now))
            .await
            .map_err(|e| e.to_string())?;
        if !added.is_empty() {
            tracing::info!(added = added.len(), "new articles discovered");
            self.wake.notify_one();
        }
        Ok(added.len() as u32)
    }
}
