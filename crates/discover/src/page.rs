//! Front and section pages: every link on the page, canonicalised, in page
//! order and without repeats. Which of them are articles is the source's
//! URL filter's call.

use std::collections::HashSet;

use url::Url;

use crate::{Discovered, MAX_ENTRIES, canonicalize};

/// Scans a decoded HTML page fetched from `base` for links.
pub fn scan(html: &str, base: &Url) -> Vec<Discovered> {
    let mut seen = HashSet::new();
    redline_extract::links(html)
        .into_iter()
        .filter_map(|href| canonicalize(&href, Some(base)).ok())
        .filter(|url| seen.insert(url.clone()))
        .take(MAX_ENTRIES)
        .map(|url| Discovered {
            url,
            title: None,
            published: None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_resolved_canonicalised_and_deduplicated() {
        let base = Url::parse("https://news.example.com/world/").unwrap();
        let html = r#"<html><body>
            <a href="/world/story-1.html?utm_source=home">One</a>
            <a href="story-2.html#comments">Two</a>
            <a href="https://news.example.com/world/story-1.html">One again</a>
            <a href="mailto:tips@example.com">Tips</a>
        </body></html>"#;
        let urls: Vec<String> = scan(html, &base)
            .into_iter()
            .map(|d| d.url.to_string())
            .collect();
        assert_eq!(
            urls,
            [
                "https://news.example.com/world/story-1.html",
                "https://news.example.com/world/story-2.html"
            ]
        );
    }
}
