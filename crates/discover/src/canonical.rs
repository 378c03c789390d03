//! URL canonicalisation, so that one article is one URL whatever link led
//! to it, and the per-source filter that decides which URLs are articles.
//!
//! Canonical form: http(s) only; scheme and host lower-case and the default
//! port dropped (the `url` crate's normal form); no fragment; tracking
//! parameters (`utm_*`, `fbclid`, `gclid`, ...) removed; the remaining query
//! parameters sorted, so their order does not matter; an empty query
//! dropped. The path is kept as written: sites differ on whether a trailing
//! slash matters. Canonicalising is idempotent.

use regex::Regex;
use url::Url;

/// A URL that cannot be tracked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UrlError {
    #[error("{url:?} is not a valid URL: {reason}")]
    Invalid { url: String, reason: String },
    #[error("{url:?} is not an http or https URL")]
    Scheme { url: String },
    #[error("{url:?} is too long ({len} bytes; the limit is {MAX_URL_LEN})")]
    TooLong { url: String, len: usize },
}

/// URLs longer than this are refused: no article needs one, and they bloat
/// every index they enter.
pub const MAX_URL_LEN: usize = 2048;

/// Query parameters that only say where a reader came from. Matched
/// case-insensitively; entries ending in `_` are prefixes.
const TRACKING_PARAMETERS: &[&str] = &[
    "utm_", "at_", "ns_", "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid",
    "igshid", "mc_cid", "mc_eid", "_ga", "_gl", "ocid", "cmpid", "icid", "s_cid", "smid", "smtyp",
    "emc", "partner", "ito", "xtor", "taid", "mbid", "soc_src", "soc_trk", "ftag", "rss", "ref",
    "referrer", "src", "cmp",
];

fn is_tracking(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    TRACKING_PARAMETERS.iter().any(|t| {
        if t.ends_with('_') && t.len() > 1 {
            name.starts_with(t)
        } else {
            name == *t
        }
    })
}

/// Canonicalises `input`, resolved against `base` when relative.
pub fn canonicalize(input: &str, base: Option<&Url>) -> Result<Url, UrlError> {
    let input = input.trim();
    if input.len() > MAX_URL_LEN {
        return Err(UrlError::TooLong {
            url: input.chars().take(80).collect::<String>() + "...",
            len: input.len(),
        });
    }
    let parsed = match base {
        Some(base) => base.join(input),
        None => Url::parse(input),
    };
    let mut url = parsed.map_err(|e| UrlError::Invalid {
        url: input.to_string(),
        reason: e.to_string(),
    })?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(UrlError::Scheme {
            url: input.to_string(),
        });
    }
    url.set_fragment(None);
    let _ = url.set_username("");
    let _ = url.set_password(None);
    if let Some(query) = url.query() {
        let mut kept: Vec<&str> = query
            .split('&')
            .filter(|pair| !pair.is_empty())
            .filter(|pair| {
                let name = pair.split('=').next().unwrap_or_default();
                !is_tracking(name)
            })
            .collect();
        kept.sort_unstable();
        kept.dedup();
        let query = kept.join("&");
        url.set_query((!query.is_empty()).then_some(query.as_str()));
    }
    if url.as_str().len() > MAX_URL_LEN {
        return Err(UrlError::TooLong {
            url: input.chars().take(80).collect::<String>() + "...",
            len: url.as_str().len(),
        });
    }
    Ok(url)
}

/// The URLs under which an article a reader names might be stored: the
/// input canonicalised (a missing scheme taken as https), then the same with
/// the other scheme, with or without a trailing slash, and without its
/// query. Most likely first; empty if the input is no URL at all.
pub fn lookup_candidates(input: &str) -> Vec<String> {
    let input = input.trim();
    let with_scheme = if input.contains("://") {
        input.to_string()
    } else {
        format!("https://{input}")
    };
    let Ok(url) = canonicalize(&with_scheme, None) else {
        return Vec::new();
    };
    let mut out: Vec<String> = Vec::new();
    let mut push = |u: &Url| {
        let s = u.to_string();
        if !out.contains(&s) {
            out.push(s);
        }
    };
    let mut bases = vec![url.clone()];
    let mut other = url.clone();
    if other
        .set_scheme(if url.scheme() == "https" {
            "http"
        } else {
            "https"
        })
        .is_ok()
    {
        bases.push(other);
    }
    for base in &bases {
        let mut queryless = base.clone();
        queryless.set_query(None);
        for candidate in [base.clone(), queryless] {
            push(&candidate);
            let path = candidate.path().to_string();
            let mut toggled = candidate.clone();
            if let Some(stripped) = path.strip_suffix('/').filter(|p| !p.is_empty()) {
                toggled.set_path(stripped);
            } else if !path.ends_with('/') {
                toggled.set_path(&format!("{path}/"));
            }
            push(&toggled);
        }
    }
    out
}

/// Decides which URLs are articles of a source.
#[derive(Debug, Clone, Default)]
pub struct UrlFilter {
    /// A URL must match this, when set.
    pub article: Option<Regex>,
    /// A URL matching this is dropped.
    pub exclude: Option<Regex>,
}

impl UrlFilter {
    /// True when `url` is an article by the source's patterns. Without an
    /// `article` pattern, links scanned from a page must stay on the page's
    /// site (`same_site_as`), so a front page's links to other sites and to
    /// its own navigation are not all taken for articles.
    pub fn accepts(&self, url: &Url, same_site_as: Option<&Url>) -> bool {
        if let Some(exclude) = &self.exclude
            && exclude.is_match(url.as_str())
        {
            return false;
        }
        match (&self.article, same_site_as) {
            (Some(article), _) => article.is_match(url.as_str()),
            (None, Some(page)) => url.host_str() == page.host_str() && url.path().len() > 1,
            (None, None) => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn canon(s: &str) -> String {
        canonicalize(s, None).unwrap().to_string()
    }

    #[test]
    fn fragments_and_tracking_parameters_go() {
        assert_eq!(
            canon("https://www.example.com/news/a-1?utm_source=rss&utm_medium=feed#comments"),
            "https://www.example.com/news/a-1"
        );
        assert_eq!(
            canon("https://example.com/a?id=7&fbclid=xyz&UTM_Campaign=x&ns_mchannel=rss"),
            "https://example.com/a?id=7"
        );
    }

    #[test]
    fn meaningful_parameters_stay_and_their_order_does_not_matter() {
        assert_eq!(
            canon("https://example.com/story.php?story=12&page=2"),
            canon("https://example.com/story.php?page=2&story=12")
        );
        assert_eq!(
            canon("https://example.com/story.php?story=12"),
            "https://example.com/story.php?story=12"
        );
    }

    #[test]
    fn scheme_and_host_case_and_default_ports_are_normalised() {
        assert_eq!(
            canon("HTTPS://WWW.Example.COM:443/News/A"),
            "https://www.example.com/News/A"
        );
        assert_eq!(canon("http://example.com:80/a?"), "http://example.com/a");
    }

    #[test]
    fn relative_links_resolve_against_the_base() {
        let base = Url::parse("https://example.com/news/index.html").unwrap();
        let url = canonicalize("../world/story-1.html#top", Some(&base)).unwrap();
        assert_eq!(url.as_str(), "https://example.com/world/story-1.html");
    }

    #[test]
    fn non_http_urls_are_refused() {
        for bad in [
            "mailto:desk@example.com",
            "javascript:void(0)",
            "ftp://x.org/a",
        ] {
            assert!(
                matches!(canonicalize(bad, None), Err(UrlError::Scheme { .. })),
                "{bad}"
            );
        }
        assert!(matches!(
            canonicalize("not a url", None),
            Err(UrlError::Invalid { .. })
        ));
        let long = format!("https://example.com/{}", "a".repeat(3000));
        assert!(matches!(
            canonicalize(&long, None),
            Err(UrlError::TooLong { .. })
        ));
    }

    #[test]
    fn lookup_tries_the_forms_a_reader_might_paste() {
        let candidates = lookup_candidates("www.example.com/news/a-1/?utm_source=x");
        assert_eq!(candidates[0], "https://www.example.com/news/a-1/");
        assert!(candidates.contains(&"https://www.example.com/news/a-1".to_string()));
        assert!(candidates.contains(&"http://www.example.com/news/a-1".to_string()));
        let with_query = lookup_candidates("http://example.com/story?id=4");
        assert_eq!(with_query[0], "http://example.com/story?id=4");
        assert!(with_query.contains(&"https://example.com/story".to_string()));
        assert!(lookup_candidates("").is_empty());
    }

    #[test]
    fn the_filter_applies_the_source_patterns() {
        let filter = UrlFilter {
            article: Some(Regex::new(r"^https://www\.bbc\.co\.uk/news/").unwrap()),
            exclude: Some(Regex::new("/(sport|live)/").unwrap()),
        };
        let ok = Url::parse("https://www.bbc.co.uk/news/world-123").unwrap();
        let live = Url::parse("https://www.bbc.co.uk/news/live/world-123").unwrap();
        let other = Url::parse("https://www.bbc.co.uk/weather").unwrap();
        assert!(filter.accepts(&ok, None));
        assert!(!filter.accepts(&live, None));
        assert!(!filter.accepts(&other, None));
    }

    #[test]
    fn without_a_pattern_page_links_stay_on_site() {
        let page = Url::parse("https://example.com/").unwrap();
        let filter = UrlFilter::default();
        assert!(filter.accepts(&Url::parse("https://example.com/a/b").unwrap(), Some(&page)));
        assert!(!filter.accepts(&Url::parse("https://other.org/a").unwrap(), Some(&page)));
        assert!(!filter.accepts(&Url::parse("https://example.com/").unwrap(), Some(&page)));
    }

    proptest! {
        #[test]
        fn canonicalisation_is_idempotent(
            host in "[a-zA-Z]{1,8}\\.(com|org|co\\.uk)",
            path in "(/[a-zA-Z0-9%._~-]{0,8}){0,4}",
            query in prop::collection::vec(("(utm_source|id|page|fbclid|q|[a-z]{1,4})", "[a-zA-Z0-9%+ ]{0,6}"), 0..4),
            fragment in "(#[a-z]{0,5})?",
        ) {
            let query: Vec<String> = query.iter().map(|(k, v)| format!("{k}={v}")).collect();
            let input = format!("https://{host}{path}?{}{fragment}", query.join("&"));
            if let Ok(once) = canonicalize(&input, None) {
                let twice = canonicalize(once.as_str(), None).unwrap();
                prop_assert_eq!(once, twice);
            }
        }

        #[test]
        fn canonicalisation_never_panics(input in "\\PC{0,200}") {
            let _ = canonicalize(&input, None);
            let base = Url::parse("https://example.com/a/").unwrap();
            let _ = canonicalize(&input, Some(&base));
        }
    }
}
