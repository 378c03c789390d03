//! Per-request boilerplate ("noise"): the parts of a page that differ on every
//! fetch although the article did not change. A tracker that hashes whole
//! pages records a false change on every visit; one that extracts the article
//! must ignore all of these.

use std::fmt::Write;

use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};

use super::esc;
use crate::model::ArticleId;
use crate::prose::{self, thousands};
use crate::rng::Rng;
use crate::state::{ListEntry, Listing};

/// A slot filled afresh on every request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Noise {
    /// Inline `<script nonce=...>` with a page-view id and timestamp.
    PageScript,
    /// A cookie-consent banner, present on about 40% of responses.
    CookieBanner,
    /// An ad container with a random id and cache-buster.
    AdSlot,
    /// A live-ticker box with random items and times.
    Ticker,
    /// "Updated N minutes ago" relative to the revision time.
    UpdatedAgo,
    /// A random "1,234 comments" count.
    CommentCount,
    /// Share buttons whose links carry a random tracking id.
    ShareLinks,
    /// A random CSRF token (value of a hidden input).
    CsrfToken,
    /// A "Read more:" paragraph linking a random other article.
    ReadMore,
    /// Related articles of the same section, random selection and order.
    Related,
    /// A "Most read" list of random headlines.
    MostRead,
    /// "Page generated at <now> in N ms".
    GeneratedAt,
    /// A random build id.
    BuildId,
}

/// What noise generation may draw on.
pub(crate) struct NoiseCtx<'a> {
    pub rng: Rng,
    pub now: DateTime<Utc>,
    pub listing: &'a Listing,
    /// The article being served (0 on other pages).
    pub id: ArticleId,
    pub section: Option<usize>,
    pub modified: DateTime<Utc>,
}

impl<'a> NoiseCtx<'a> {
    /// Context for a non-article page.
    pub(crate) fn page(listing: &'a Listing) -> Self {
        let now = Utc::now();
        NoiseCtx {
            rng: Rng::for_request(),
            now,
            listing,
            id: 0,
            section: None,
            modified: now,
        }
    }

    fn random_entries(&mut self, n: usize, section: Option<usize>) -> Vec<&'a ListEntry> {
        let entries = &self.listing.entries;
        let mut out: Vec<&ListEntry> = Vec::with_capacity(n);
        if entries.is_empty() {
            return out;
        }
        let id = self.id;
        let start = self.rng.below(entries.len());
        // Same section first (scanning from a random point), then anything.
        for pass in 0..2 {
            for k in 0..entries.len() {
                let e = &entries[(start + k * 7919) % entries.len()];
                let wanted = pass == 1 || section.is_none_or(|s| s == e.section);
                if wanted && e.id != id && !out.iter().any(|o| o.id == e.id) {
                    out.push(e);
                    if out.len() == n {
                        return out;
                    }
                }
                if k > 400 {
                    break;
                }
            }
        }
        out
    }
}

/// Writes the HTML of one noise slot.
pub(crate) fn write(n: Noise, cx: &mut NoiseCtx<'_>, out: &mut String) {
    let rng = &mut cx.rng;
    match n {
        Noise::PageScript => {
            let _ = write!(
                out,
                "<script nonce=\"{}\">window.__pv={{\"id\":\"{}-{}\",\"ts\":{},\"ab\":\"{}\",\"consent\":{}}};</script>",
                rng.hex(22),
                rng.hex(8),
                rng.hex(12),
                cx.now.timestamp_millis(),
                ["control", "variant-a", "variant-b"][rng.below(3)],
                rng.percent(50)
            );
        }
        Noise::CookieBanner => {
            if rng.percent(40) {
                let _ = write!(
                    out,
                    "<div id=\"cookie-consent\" class=\"cookie-banner\" role=\"dialog\" data-v=\"{}\"><p>We use cookies and similar technologies to improve your experience, measure audiences and show personalised advertising. <a href=\"/privacy\">Learn more</a></p><button class=\"accept\">Accept all</button> <button class=\"manage\">Manage preferences</button></div>",
                    rng.hex(6)
                );
            }
        }
        Noise::AdSlot => {
            let _ = write!(
                out,
                "<div class=\"ad-slot\" id=\"ad-{}\" data-campaign=\"{}\" data-cb=\"{}\"><span class=\"ad-label\">Advertisement</span></div>",
                rng.hex(8),
                rng.range(1000, 99999),
                rng.next_u64()
            );
        }
        Noise::Ticker => {
            out.push_str(
                "<div class=\"live-ticker\"><strong class=\"live-label\">Live</strong><ul>",
            );
            let mut minutes = 0i64;
            for _ in 0..3 {
                minutes += rng.range(1, 25) as i64;
                let t = cx.now - TimeDelta::minutes(minutes);
                let _ = write!(
                    out,
                    "<li><time>{}</time> {}</li>",
                    t.format("%H:%M"),
                    esc(rng.pick(prose::TICKER))
                );
            }
            out.push_str("</ul></div>");
        }
        Noise::UpdatedAgo => {
            let mins = (cx.now - cx.modified).num_minutes().max(0);
            match mins {
                0 => out.push_str("Updated just now"),
                1 => out.push_str("Updated 1 minute ago"),
                2..=119 => {
                    let _ = write!(out, "Updated {mins} minutes ago");
                }
                _ => {
                    let _ = write!(out, "Updated {} hours ago", mins / 60);
                }
            }
        }
        Noise::CommentCount => {
            let n = rng.below(6000);
            let _ = write!(
                out,
                "{} comment{}",
                thousands(n),
                if n == 1 { "" } else { "s" }
            );
        }
        Noise::ShareLinks => {
            let t = rng.hex(10);
            out.push_str("<div class=\"share-tools\" aria-label=\"Share this article\">");
            for net in ["email", "facebook", "x", "whatsapp", "copy"] {
                let _ = write!(
                    out,
                    "<a class=\"share share--{net}\" href=\"/share?via={net}&amp;id={}&amp;t={t}\">{}</a>",
                    cx.id,
                    prose::cap(net)
                );
            }
            out.push_str("</div>");
        }
        Noise::CsrfToken => out.push_str(&rng.hex(32)),
        Noise::ReadMore => {
            if let Some(e) = cx.random_entries(1, None).first() {
                let _ = write!(
                    out,
                    "<p class=\"read-more\"><strong>Read more:</strong> <a href=\"{}\">{}</a></p>",
                    e.path,
                    esc(&e.headline)
                );
            }
        }
        Noise::Related => {
            let section = cx.section;
            let picks = cx.random_entries(4, section);
            out.push_str("<ul class=\"related-list\">");
            for e in picks {
                let _ = write!(
                    out,
                    "<li><a href=\"{}?ref=related\">{}</a></li>",
                    e.path,
                    esc(&e.headline)
                );
            }
            out.push_str("</ul>");
        }
        Noise::MostRead => {
            let picks = cx.random_entries(5, None);
            out.push_str("<ol class=\"most-read-list\">");
            for e in picks {
                let _ = write!(
                    out,
                    "<li><a href=\"{}\">{}</a></li>",
                    e.path,
                    esc(&e.headline)
                );
            }
            out.push_str("</ol>");
        }
        Noise::GeneratedAt => {
            let _ = write!(
                out,
                "Page generated at {} in {} ms",
                cx.now.to_rfc3339_opts(SecondsFormat::Millis, true),
                rng.range(3, 180)
            );
        }
        Noise::BuildId => out.push_str(&rng.hex(20)),
    }
}
