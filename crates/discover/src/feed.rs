//! Feeds: RSS 0.9x/1.0/2.0, Atom and JSON Feed, read with `feed-rs`.
//!
//! An entry's article URL is its first link that is an alternate (or has no
//! `rel`), else its id when that is an http(s) URL. The raw bytes are given
//! to the parser so that the XML declaration's encoding is honoured.

use url::Url;

use crate::{DiscoverError, Discovered, MAX_ENTRIES, canonicalize};

/// Parses a feed fetched from `base`.
pub fn parse(body: &[u8], base: &Url) -> Result<Vec<Discovered>, DiscoverError> {
    if declares_entities(body) {
        return Err(DiscoverError::Feed(
            "it declares its own XML entities (<!ENTITY>), which no real feed needs and which \
             can expand to gigabytes (an \"entity bomb\"); it was not read"
                .into(),
        ));
    }
    let parser = feed_rs::parser::Builder::new()
        .base_uri(Some(base.as_str()))
        .build();
    // feed-rs panics on some malformed documents (through quick-xml 0.42:
    // a second XML declaration naming another encoding). Such a feed is
    // unreadable, not a reason to take the crawler down.
    let parsed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| parser.parse(body)))
        .map_err(|_| DiscoverError::Feed("the feed parser gave up on its XML".into()))?;
    let feed = parsed.map_err(|e| DiscoverError::Feed(e.to_string()))?;
    let mut out = Vec::new();
    for entry in feed.entries.into_iter().take(MAX_ENTRIES) {
        let link = entry
            .links
            .iter()
            .find(|l| matches!(l.rel.as_deref(), None | Some("alternate")))
            .map(|l| l.href.as_str())
            .or_else(|| entry.id.starts_with("http").then_some(entry.id.as_str()));
        let Some(url) = link.and_then(|href| canonicalize(href, Some(base)).ok()) else {
            continue;
        };
        out.push(Discovered {
            url,
            title: entry.title.map(|t| t.content.trim().to_string()),
            published: entry.published.or(entry.updated),
        });
    }
    Ok(out)
}

/// True when the document's prolog (before the root element) declares
/// entities. Feeds never need them; refusing them outright means no parser
/// ever expands one.
fn declares_entities(body: &[u8]) -> bool {
    let prolog = &body[..body.len().min(64 * 1024)];
    let needle = b"<!ENTITY";
    prolog
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        Url::parse("https://news.example.com/feeds/all.xml").unwrap()
    }

    fn urls(items: &[Discovered]) -> Vec<&str> {
        items.iter().map(|d| d.url.as_str()).collect()
    }

    #[test]
    fn rss2_links_are_canonicalised() {
        let rss = br#"<?xml version="1.0"?>
<rss version="2.0"><channel><title>News</title>
<item><title>First</title><link>https://news.example.com/a/1?utm_source=rss#x</link>
<pubDate>Tue, 10 Jun 2014 10:00:00 GMT</pubDate></item>
<item><title>Second</title><link>/a/2</link></item>
</channel></rss>"#;
        let items = parse(rss, &base()).unwrap();
        assert_eq!(
            urls(&items),
            [
                "https://news.example.com/a/1",
                "https://news.example.com/a/2"
            ]
        );
        assert_eq!(items[0].title.as_deref(), Some("First"));
        assert_eq!(
            items[0].published.unwrap().to_rfc3339(),
            "2014-06-10T10:00:00+00:00"
        );
    }

    #[test]
    fn rss1_atom_and_json_feed_are_read() {
        let rss1 = br#"<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
<channel rdf:about="https://news.example.com/"><title>N</title><link>https://news.example.com/</link></channel>
<item rdf:about="https://news.example.com/r1"><title>R1</title><link>https://news.example.com/r1</link></item>
</rdf:RDF>"#;
        assert_eq!(
            urls(&parse(rss1, &base()).unwrap()),
            ["https://news.example.com/r1"]
        );

        let atom = br#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>N</title><id>urn:x</id><updated>2024-01-01T00:00:00Z</updated>
<entry><title>A</title><id>urn:a</id><updated>2024-01-01T00:00:00Z</updated>
<link rel="self" href="https://news.example.com/self"/><link rel="alternate" href="https://news.example.com/atom-1"/></entry>
</feed>"#;
        assert_eq!(
            urls(&parse(atom, &base()).unwrap()),
            ["https://news.example.com/atom-1"]
        );

        let json = br#"{"version": "https://jsonfeed.org/version/1.1", "title": "N",
            "items": [{"id": "1", "url": "https://news.example.com/j1", "title": "J"}]}"#;
        assert_eq!(
            urls(&parse(json, &base()).unwrap()),
            ["https://news.example.com/j1"]
        );
    }

    #[test]
    fn entries_without_usable_links_are_skipped() {
        let rss = br#"<rss version="2.0"><channel><title>N</title>
<item><title>No link</title></item>
<item><title>Mail</title><link>mailto:desk@example.com</link></item>
<item><title>Ok</title><link>https://news.example.com/ok</link></item>
</channel></rss>"#;
        assert_eq!(
            urls(&parse(rss, &base()).unwrap()),
            ["https://news.example.com/ok"]
        );
    }

    #[test]
    fn a_feed_in_another_encoding_is_decoded() {
        let mut rss = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss version=\"2.0\"><channel><title>N</title><item><title>Caf".to_vec();
        rss.push(0xE9);
        rss.extend_from_slice(
            b"</title><link>https://news.example.com/cafe</link></item></channel></rss>",
        );
        let items = parse(&rss, &base()).unwrap();
        assert_eq!(items[0].title.as_deref(), Some("Café"));
    }

    #[test]
    fn an_entity_bomb_is_refused_unread() {
        let bomb = br#"<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<rss version="2.0"><channel><title>&b;</title>
<item><title>&b;</title><link>https://news.example.com/x</link></item></channel></rss>"#;
        let err = parse(bomb, &base()).unwrap_err();
        assert!(err.to_string().contains("entity"), "{err}");
    }

    #[test]
    fn garbage_is_a_clear_error() {
        for bad in [
            &b"<html><body>not a feed</body></html>"[..],
            b"",
            b"<rss><channel><item><title>cut",
        ] {
            let err = parse(bad, &base()).unwrap_err();
            assert!(err.to_string().starts_with("not a valid feed"), "{err}");
        }
    }
}
