//! Live pages (live blogs): recognised by their URL here, by their
//! schema.org type in the extractor. On a live page, new posts are one
//! `live` change listing them, not a huge diff.

/// True for the URL of a live page: `/live/`, `/live-…` or a path ending
/// in `/live`, as news sites name their live blogs.
pub fn is_live_url(url: &str) -> bool {
    let path = url
        .split_once("://")
        .map_or(url, |(_, rest)| rest.split_once('/').map_or("", |(_, p)| p));
    let path = path
        .split(['?', '#'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let path = format!("/{path}");
    path.contains("/live/") || path.contains("/live-") || path.ends_with("/live")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn live_blog_addresses_are_recognised() {
        let live = [
            "https://www.bbc.co.uk/news/live/world-123",
            "https://www.theguardian.com/world/live/2026/dec/01/news",
            "https://example.org/politics/live-election-results",
            "https://example.org/sport/live",
        ];
        for url in live {
            assert!(is_live_url(url), "{url}");
        }
        let not_live = [
            "https://example.org/news/olive-oil-prices",
            "https://example.org/lives-of-others",
            "https://live.example.org/news/story",
            "https://example.org/news?live=1",
        ];
        for url in not_live {
            assert!(!is_live_url(url), "{url}");
        }
    }
}
