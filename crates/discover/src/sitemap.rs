//! Sitemaps: Google News sitemaps, plain sitemaps and sitemap indexes.
//!
//! A `<urlset>` yields its `<url><loc>`s with the news title and the
//! publication time (`news:publication_date`, else `lastmod`). A
//! `<sitemapindex>` yields its child sitemaps, the most recently modified
//! first and at most [`MAX_CHILD_SITEMAPS`] of them: an archive index of
//! every month since 1995 is not a list of articles to watch.

use chrono::{DateTime, Utc};
use quick_xml::Reader;
use quick_xml::events::Event;
use url::Url;

use crate::{DiscoverError, Discovered, Listing, MAX_ENTRIES, canonicalize};

/// Child sitemaps followed from one index.
pub const MAX_CHILD_SITEMAPS: usize = 10;

#[derive(Default)]
struct Entry {
    loc: String,
    title: String,
    published: String,
    lastmod: String,
}

#[derive(Clone, Copy, PartialEq)]
enum Field {
    None,
    Loc,
    Title,
    Published,
    Lastmod,
}

/// Parses a sitemap or sitemap index fetched from `base`.
pub fn parse(body: &[u8], base: &Url) -> Result<Listing, DiscoverError> {
    let mut reader = Reader::from_reader(body);
    let mut buf = Vec::new();
    let mut root: Option<String> = None;
    let mut entry: Option<Entry> = None;
    let mut field = Field::None;
    let mut entries: Vec<Entry> = Vec::new();
    let mut children: Vec<Entry> = Vec::new();
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| DiscoverError::Sitemap(e.to_string()))?;
        match event {
            Event::Start(start) => {
                let name = start.local_name().as_ref().to_string();
                if root.is_none() {
                    if name != "urlset" && name != "sitemapindex" {
                        let found = name;
                        return Err(DiscoverError::Sitemap(format!(
                            "the root element is <{found}>, not <urlset> or <sitemapindex>"
                        )));
                    }
                    root = Some(name);
                    continue;
                }
                field = match name.as_str() {
                    "url" | "sitemap" => {
                        entry = Some(Entry::default());
                        Field::None
                    }
                    "loc" => Field::Loc,
                    "title" => Field::Title,
                    "publication_date" => Field::Published,
                    "lastmod" => Field::Lastmod,
                    _ => Field::None,
                };
            }
            Event::End(end) => {
                let name = end.local_name();
                if matches!(name.as_ref(), "url" | "sitemap")
                    && let Some(done) = entry.take()
                {
                    if name.as_ref() == "url" {
                        if entries.len() < MAX_ENTRIES {
                            entries.push(done);
                        }
                    } else if children.len() < MAX_ENTRIES {
                        children.push(done);
                    }
                }
                field = Field::None;
            }
            Event::Text(text) => push_text(&mut entry, field, &text.xml10_content()),
            Event::CData(text) => {
                push_text(&mut entry, field, &text.xml10_content());
            }
            Event::GeneralRef(reference) => {
                let resolved = match reference.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    _ => match &*reference {
                        "amp" => Some('&'),
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "quot" => Some('"'),
                        "apos" => Some('\''),
                        _ => None,
                    },
                };
                if let Some(c) = resolved {
                    push_text(&mut entry, field, c.encode_utf8(&mut [0; 4]));
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if root.is_none() {
        return Err(DiscoverError::Sitemap(
            "no <urlset> or <sitemapindex> element".into(),
        ));
    }

    let articles = entries
        .into_iter()
        .filter_map(|e| {
            let url = canonicalize(&e.loc, Some(base)).ok()?;
            let title = (!e.title.trim().is_empty()).then(|| e.title.trim().to_string());
            let published = parse_time(&e.published).or_else(|| parse_time(&e.lastmod));
            Some(Discovered {
                url,
                title,
                published,
            })
        })
        .collect();
    let mut children: Vec<(Option<DateTime<Utc>>, Url)> = children
        .into_iter()
        .filter_map(|e| {
            Some((
                parse_time(&e.lastmod),
                canonicalize(&e.loc, Some(base)).ok()?,
            ))
        })
        .collect();
    // Newest first; entries without a date keep their order after dated ones.
    children.sort_by_key(|c| std::cmp::Reverse(c.0));
    let sitemaps = children
        .into_iter()
        .map(|(_, url)| url)
        .take(MAX_CHILD_SITEMAPS)
        .collect();
    Ok(Listing { articles, sitemaps })
}

fn push_text(entry: &mut Option<Entry>, field: Field, text: &str) {
    let Some(entry) = entry else { return };
    let target = match field {
        Field::Loc => &mut entry.loc,
        Field::Title => &mut entry.title,
        Field::Published => &mut entry.published,
        Field::Lastmod => &mut entry.lastmod,
        Field::None => return,
    };
    // A field longer than any URL or headline is hostile; stop growing it.
    if target.len() < 4096 {
        target.push_str(text);
    }
}

/// W3C datetime as used by sitemaps: a full RFC 3339 time or a date.
fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            chrono::NaiveDate::parse_from_str(text.get(..10)?, "%Y-%m-%d")
                .ok()?
                .and_hms_opt(0, 0, 0)
                .map(|t| t.and_utc())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        Url::parse("https://news.example.com/sitemap.xml").unwrap()
    }

    #[test]
    fn a_news_sitemap_yields_articles_with_titles_and_times() {
        let xml = br#"<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc>https://news.example.com/a/1?utm_source=x&amp;id=3</loc>
    <news:news><news:publication><news:name>N</news:name><news:language>en</news:language></news:publication>
    <news:publication_date>2026-11-20T08:00:00+01:00</news:publication_date>
    <news:title>Storm &amp; flood</news:title></news:news></url>
  <url><loc><![CDATA[https://news.example.com/a/2]]></loc><lastmod>2026-11-19</lastmod></url>
</urlset>"#;
        let listing = parse(xml, &base()).unwrap();
        assert!(listing.sitemaps.is_empty());
        let a = &listing.articles;
        assert_eq!(a.len(), 2);
        assert_eq!(a[0].url.as_str(), "https://news.example.com/a/1?id=3");
        assert_eq!(a[0].title.as_deref(), Some("Storm & flood"));
        assert_eq!(
            a[0].published.unwrap().to_rfc3339(),
            "2026-11-20T07:00:00+00:00"
        );
        assert_eq!(a[1].url.as_str(), "https://news.example.com/a/2");
        assert_eq!(
            a[1].published.unwrap().to_rfc3339(),
            "2026-11-19T00:00:00+00:00"
        );
    }

    #[test]
    fn an_index_yields_its_newest_children() {
        let mut xml =
            String::from(r#"<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">"#);
        for month in 1..=12 {
            xml.push_str(&format!(
                "<sitemap><loc>https://news.example.com/sitemap-2026-{month:02}.xml</loc><lastmod>2026-{month:02}-28</lastmod></sitemap>"
            ));
        }
        xml.push_str("</sitemapindex>");
        let listing = parse(xml.as_bytes(), &base()).unwrap();
        assert!(listing.articles.is_empty());
        assert_eq!(listing.sitemaps.len(), MAX_CHILD_SITEMAPS);
        assert_eq!(
            listing.sitemaps[0].as_str(),
            "https://news.example.com/sitemap-2026-12.xml"
        );
    }

    #[test]
    fn other_documents_are_refused_clearly() {
        let err = parse(b"<html><body>hi</body></html>", &base()).unwrap_err();
        assert!(err.to_string().contains("<html>"), "{err}");
        assert!(parse(b"", &base()).is_err());
        // A truncated sitemap yields what it completed, or an error.
        if let Ok(listing) = parse(
            b"<urlset><url><loc>https://a.b/x</loc></url><url><loc>https://a.b/",
            &base(),
        ) {
            assert_eq!(listing.articles.len(), 1);
        }
    }
}
