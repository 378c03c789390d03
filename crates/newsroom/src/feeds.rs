//! Discovery documents: RSS 2.0, Atom, JSON Feed 1.1, the Google News sitemap
//! and a sitemap index, rendered from an outlet's listing (newest first).
//!
//! Some entries' links carry tracking parameters and/or fragments (decided by
//! the article id, see [`tracked_link`]) so URL canonicalisation is exercised;
//! ids/guids never change when an article is edited.

use std::fmt::Write;

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::json;

use crate::prose::SECTIONS;
use crate::render::esc;
use crate::state::{ListEntry, Listing, OutletMeta};

/// Which discovery document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum FeedKind {
    Rss,
    Atom,
    Json,
    NewsSitemap,
    SitemapIndex,
}

impl FeedKind {
    pub(crate) fn key(self) -> &'static str {
        match self {
            FeedKind::Rss => "rss",
            FeedKind::Atom => "atom",
            FeedKind::Json => "json",
            FeedKind::NewsSitemap => "news-sitemap",
            FeedKind::SitemapIndex => "sitemap-index",
        }
    }

    pub(crate) fn content_type(self) -> &'static str {
        match self {
            FeedKind::Rss => "application/rss+xml; charset=utf-8",
            FeedKind::Atom => "application/atom+xml; charset=utf-8",
            FeedKind::Json => "application/feed+json; charset=utf-8",
            FeedKind::NewsSitemap | FeedKind::SitemapIndex => "application/xml; charset=utf-8",
        }
    }
}

/// The link a feed gives for article `id`: the canonical URL, or with
/// `?utm_source=<source>&utm_medium=feed` (ids ≡ 1 mod 5), a `#comments`
/// fragment (≡ 3), or both plus `utm_campaign` and `#top` (≡ 4).
pub fn tracked_link(url: &str, id: u64, source: &str) -> String {
    match id % 5 {
        1 => format!("{url}?utm_source={source}&utm_medium=feed"),
        3 => format!("{url}#comments"),
        4 => format!("{url}?utm_source={source}&utm_medium=feed&utm_campaign=daily#top"),
        _ => url.to_string(),
    }
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn newest_modified(entries: &[&ListEntry]) -> DateTime<Utc> {
    entries
        .iter()
        .map(|e| e.modified)
        .max()
        .unwrap_or(DateTime::UNIX_EPOCH)
}

/// Renders `kind` for an outlet.
pub(crate) fn render(
    kind: FeedKind,
    o: &OutletMeta,
    listing: &Listing,
    limit: Option<usize>,
) -> String {
    let entries: Vec<&ListEntry> = listing
        .entries
        .iter()
        .take(limit.unwrap_or(usize::MAX))
        .collect();
    match kind {
        FeedKind::Rss => rss(o, &entries),
        FeedKind::Atom => atom(o, &entries),
        FeedKind::Json => json_feed(o, &entries),
        FeedKind::NewsSitemap => news_sitemap(o, &entries),
        FeedKind::SitemapIndex => format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n\
<sitemap><loc>{}/sitemap-news.xml</loc><lastmod>{}</lastmod></sitemap>\n</sitemapindex>\n",
            o.base,
            rfc3339(newest_modified(&entries))
        ),
    }
}

fn rss(o: &OutletMeta, entries: &[&ListEntry]) -> String {
    let mut s = String::with_capacity(1024 + entries.len() * 700);
    let _ = write!(
        s,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:media=\"http://search.yahoo.com/mrss/\">\n<channel>\n\
<title>{name}</title>\n<link>{base}/</link>\n<description>The latest stories from {name}</description>\n<language>en-gb</language>\n\
<lastBuildDate>{built}</lastBuildDate>\n<ttl>5</ttl>\n<atom:link href=\"{base}/feed.xml\" rel=\"self\" type=\"application/rss+xml\"/>\n",
        name = esc(&o.name),
        base = o.base,
        built = newest_modified(entries).to_rfc2822()
    );
    for e in entries {
        let _ = write!(
            s,
            "<item>\n<title>{title}</title>\n<link>{link}</link>\n<guid isPermaLink=\"false\">newsroom-article-{id}</guid>\n\
<pubDate>{date}</pubDate>\n<dc:creator>{by}</dc:creator>\n<category>{cat}</category>\n<description>{desc}</description>\n\
<media:content url=\"{base}/img/{id}.jpg\" medium=\"image\" width=\"1200\" height=\"675\"/>\n</item>\n",
            title = esc(&e.headline),
            link = esc(&tracked_link(&e.url, e.id, "rss")),
            id = e.id,
            date = e.published.to_rfc2822(),
            by = esc(&e.byline),
            cat = SECTIONS[e.section].name,
            desc = esc(&e.summary),
            base = o.base,
        );
    }
    s.push_str("</channel>\n</rss>\n");
    s
}

fn atom(o: &OutletMeta, entries: &[&ListEntry]) -> String {
    let mut s = String::with_capacity(1024 + entries.len() * 800);
    let _ = write!(
        s,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"en-GB\">\n\
<title>{name}</title>\n<subtitle>The latest stories from {name}</subtitle>\n\
<link rel=\"alternate\" type=\"text/html\" href=\"{base}/\"/>\n<link rel=\"self\" type=\"application/atom+xml\" href=\"{base}/atom.xml\"/>\n\
<id>urn:newsroom:outlet:{idx}</id>\n<updated>{updated}</updated>\n<generator>redline-newsroom</generator>\n",
        name = esc(&o.name),
        base = o.base,
        idx = o.index,
        updated = rfc3339(newest_modified(entries))
    );
    for e in entries {
        let _ = write!(
            s,
            "<entry>\n<title type=\"text\">{title}</title>\n<link rel=\"alternate\" type=\"text/html\" href=\"{link}\"/>\n\
<id>urn:newsroom:article-{id}</id>\n<published>{published}</published>\n<updated>{updated}</updated>\n",
            title = esc(&e.headline),
            link = esc(&tracked_link(&e.url, e.id, "atom")),
            id = e.id,
            published = rfc3339(e.published),
            updated = rfc3339(e.modified),
        );
        for a in e.byline.split(" and ") {
            let _ = writeln!(s, "<author><name>{}</name></author>", esc(a.trim()));
        }
        let sec = &SECTIONS[e.section];
        let _ = write!(
            s,
            "<category term=\"{}\" label=\"{}\"/>\n<summary type=\"text\">{}</summary>\n</entry>\n",
            sec.slug,
            sec.name,
            esc(&e.summary)
        );
    }
    s.push_str("</feed>\n");
    s
}

fn json_feed(o: &OutletMeta, entries: &[&ListEntry]) -> String {
    let items: Vec<_> = entries
        .iter()
        .map(|e| {
            json!({
                "id": format!("newsroom-article-{}", e.id),
                "url": tracked_link(&e.url, e.id, "jsonfeed"),
                "title": e.headline,
                "summary": e.summary,
                "content_text": e.summary,
                "image": format!("{}/img/{}.jpg", o.base, e.id),
                "date_published": rfc3339(e.published),
                "date_modified": rfc3339(e.modified),
                "authors": e.byline.split(" and ").map(|a| json!({"name": a.trim()})).collect::<Vec<_>>(),
                "tags": [SECTIONS[e.section].name],
            })
        })
        .collect();
    let feed = json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": o.name,
        "home_page_url": format!("{}/", o.base),
        "feed_url": format!("{}/feed.json", o.base),
        "language": "en-GB",
        "items": items,
    });
    serde_json::to_string_pretty(&feed).expect("json")
}

fn news_sitemap(o: &OutletMeta, entries: &[&ListEntry]) -> String {
    let mut s = String::with_capacity(512 + entries.len() * 500);
    s.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\">\n");
    for e in entries {
        let _ = write!(
            s,
            "<url>\n<loc>{loc}</loc>\n<lastmod>{modified}</lastmod>\n<news:news>\n<news:publication><news:name>{name}</news:name><news:language>en</news:language></news:publication>\n\
<news:publication_date>{published}</news:publication_date>\n<news:title>{title}</news:title>\n</news:news>\n</url>\n",
            loc = esc(&e.url),
            modified = rfc3339(e.modified),
            name = esc(&o.name),
            published = rfc3339(e.published),
            title = esc(&e.headline),
        );
    }
    s.push_str("</urlset>\n");
    s
}
