//! Property tests for discovery: canonicalisation is idempotent and does
//! what it promises over generated URLs of every shape (the unit tests in
//! `src/canonical.rs` cover simple https URLs), and no feed, sitemap or page
//! — arbitrary bytes, or a valid listing mutated — makes the parsers panic
//! or list a URL that is not canonical. The fuzz targets `canonicalize`,
//! `feed`, `sitemap` and `page` (see TESTING.md) explore the same
//! properties for longer.

use proptest::prelude::*;
use redline_discover::canonical::MAX_URL_LEN;
use redline_discover::sitemap::MAX_CHILD_SITEMAPS;
use redline_discover::{ListingKind, MAX_ENTRIES, canonicalize, lookup_candidates, parse_listing};
use url::Url;

/// `cases` cases, or `PROPTEST_CASES` when it is set (for longer runs).
fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(cases);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ---- canonicalisation --------------------------------------------------------

fn scheme() -> impl Strategy<Value = &'static str> {
    prop::sample::select(&["http", "https", "HTTP", "HttpS"][..])
}

fn host() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9-]{1,10}(\\.[a-zA-Z]{2,6}){1,2}",
        "(www\\.)?[a-z]{1,6}\\.(com|org|co\\.uk)\\.?",
        "(25[0-5]|1[0-9]{2}|[1-9]?[0-9])(\\.(25[0-5]|1[0-9]{2}|[1-9]?[0-9])){3}",
        Just("[::1]".to_string()),
        Just("[2001:DB8::A]".to_string()),
        Just("bücher.example".to_string()),
        Just("xn--bcher-kva.example".to_string()),
        Just("EXAMPLE.COM".to_string()),
        Just("0x7f.1".to_string()),
    ]
}

fn port() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => Just(String::new()),
        1 => Just(":80".to_string()),
        1 => Just(":443".to_string()),
        1 => (1u16..).prop_map(|p| format!(":{p}")),
        1 => Just(":".to_string()),
    ]
}

fn path() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            "[a-zA-Z0-9._~-]{0,8}",
            Just("..".to_string()),
            Just(".".to_string()),
            Just("%2F".to_string()),
            Just("%7e%41".to_string()),
            Just("a b".to_string()),
            Just("ü".to_string()),
            Just("a%".to_string()),
            Just("%zz".to_string()),
            "\\PC{0,4}",
        ],
        0..5,
    )
    .prop_map(|segments| segments.iter().map(|s| format!("/{s}")).collect::<String>())
}

const PARAM_NAMES: &[&str] = &[
    "utm_source",
    "UTM_Campaign",
    "utm_",
    "fbclid",
    "gclid",
    "ref",
    "REF",
    "src",
    "at_medium",
    "ns_mchannel",
    "_ga",
    "id",
    "page",
    "q",
    "story",
    "a",
    "",
    "x y",
    "%75tm_source",
    "ü",
];

fn query() -> impl Strategy<Value = Option<String>> {
    prop::option::of(
        prop::collection::vec(
            (
                prop::sample::select(PARAM_NAMES),
                prop_oneof![
                    Just(None),
                    prop::option::of("[a-zA-Z0-9%+ =&?/]{0,6}"),
                    prop::option::of("\\PC{0,4}"),
                ],
            ),
            0..5,
        )
        .prop_map(|pairs| {
            pairs
                .iter()
                .map(|(k, v)| match v {
                    Some(v) => format!("{k}={v}"),
                    None => (*k).to_string(),
                })
                .collect::<Vec<_>>()
                .join("&")
        }),
    )
}

fn fragment() -> impl Strategy<Value = Option<String>> {
    prop::option::of("[a-z0-9#?&=]{0,6}")
}

/// Absolute URLs of every shape, most of them valid.
fn absolute_url() -> impl Strategy<Value = String> {
    (
        scheme(),
        prop::option::of("[a-z]{1,4}(:[a-z]{0,4})?@"),
        host(),
        port(),
        path(),
        query(),
        fragment(),
        "[ \t\n]{0,2}",
    )
        .prop_map(|(scheme, user, host, port, path, query, fragment, space)| {
            let mut url = format!(
                "{space}{scheme}://{}{host}{port}{path}",
                user.unwrap_or_default()
            );
            if let Some(q) = query {
                url.push('?');
                url.push_str(&q);
            }
            if let Some(f) = fragment {
                url.push('#');
                url.push_str(&f);
            }
            url.push_str(&space);
            url
        })
}

/// Links as they appear in pages: absolute, protocol-relative, root- and
/// path-relative, query- or fragment-only, other schemes.
fn link() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => absolute_url(),
        1 => (host(), path()).prop_map(|(h, p)| format!("//{h}{p}")),
        2 => (path(), query()).prop_map(|(p, q)| match q {
            Some(q) => format!("{p}?{q}"),
            None => p,
        }),
        1 => path().prop_map(|p| p.trim_start_matches('/').to_string()),
        1 => query().prop_map(|q| format!("?{}", q.unwrap_or_default())),
        1 => fragment().prop_map(|f| format!("#{}", f.unwrap_or_default())),
        1 => prop::sample::select(&[
            "mailto:desk@example.com", "javascript:void(0)", "ftp://example.com/a",
            "data:text/html,<p>x", "tel:+123", "http://", "https:///path", "http:example.com",
            "", " ", "\\\\example.com\\a",
        ][..]).prop_map(str::to_string),
        1 => "\\PC{0,30}",
    ]
}

fn is_tracking_name(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    name.starts_with("utm_") || ["fbclid", "gclid", "ref", "src"].contains(&name.as_str())
}

/// What `canonicalize` promises of its output.
fn check_canonical(url: &Url) -> Result<(), TestCaseError> {
    prop_assert!(matches!(url.scheme(), "http" | "https"), "{}", url);
    prop_assert!(url.host().is_some(), "{}", url);
    prop_assert!(url.fragment().is_none(), "{}", url);
    prop_assert!(
        url.username().is_empty() && url.password().is_none(),
        "{}",
        url
    );
    prop_assert!(url.as_str().len() <= MAX_URL_LEN);
    if let Some(query) = url.query() {
        prop_assert!(!query.is_empty(), "{}", url);
        let pairs: Vec<&str> = query.split('&').collect();
        let mut sorted = pairs.clone();
        sorted.sort_unstable();
        sorted.dedup();
        prop_assert_eq!(
            &pairs,
            &sorted,
            "query not sorted and deduplicated: {}",
            url
        );
        for pair in pairs {
            prop_assert!(!pair.is_empty(), "{}", url);
            let name = pair.split('=').next().unwrap_or_default();
            prop_assert!(!is_tracking_name(name), "tracking parameter kept: {}", url);
        }
    }
    // Idempotent, and absolute: a base changes nothing.
    let again = canonicalize(url.as_str(), None);
    prop_assert_eq!(again.as_ref(), Ok(url), "not idempotent");
    let base = Url::parse("https://other.example/dir/page?x=1#y").unwrap();
    let against_base = canonicalize(url.as_str(), Some(&base));
    prop_assert_eq!(against_base.as_ref(), Ok(url));
    Ok(())
}

fn base_url() -> impl Strategy<Value = Url> {
    absolute_url().prop_filter_map("an absolute http(s) base", |s| Url::parse(s.trim()).ok())
}

proptest! {
    #![proptest_config(config(1024))]

    #[test]
    fn canonical_urls_are_canonical_and_idempotent(input in absolute_url()) {
        if let Ok(url) = canonicalize(&input, None) {
            check_canonical(&url)?;
        }
    }

    #[test]
    fn links_resolved_against_a_base_are_canonical(link in link(), base in base_url()) {
        if let Ok(url) = canonicalize(&link, Some(&base)) {
            check_canonical(&url)?;
        }
    }

    #[test]
    fn parameter_order_does_not_matter(
        host in "[a-z]{1,8}\\.com",
        mut params in prop::collection::vec("[a-z]{1,3}=[a-z0-9]{0,3}", 0..6),
        seed in any::<u64>(),
    ) {
        let url = |params: &[String]| format!("https://{host}/a?{}", params.join("&"));
        let first = canonicalize(&url(&params), None).unwrap();
        // A deterministic shuffle.
        let mut state = seed | 1;
        for i in (1..params.len()).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            params.swap(i, (state % (i as u64 + 1)) as usize);
        }
        prop_assert_eq!(canonicalize(&url(&params), None).unwrap(), first);
    }

    #[test]
    fn lookup_candidates_never_panic_and_start_with_the_canonical_url(input in link()) {
        let candidates = lookup_candidates(&input);
        let trimmed = input.trim();
        let with_scheme = if trimmed.contains("://") {
            trimmed.to_string()
        } else {
            format!("https://{trimmed}")
        };
        match canonicalize(&with_scheme, None) {
            Ok(url) => prop_assert_eq!(candidates.first(), Some(&url.to_string())),
            Err(_) => prop_assert!(candidates.is_empty()),
        }
        let mut unique = candidates.clone();
        unique.sort();
        unique.dedup();
        prop_assert_eq!(unique.len(), candidates.len(), "repeated candidates");
    }

    #[test]
    fn canonicalisation_never_panics_on_arbitrary_strings(
        input in "(?s).{0,300}",
        base in base_url(),
    ) {
        let results = [canonicalize(&input, None), canonicalize(&input, Some(&base))];
        for url in results.into_iter().flatten() {
            check_canonical(&url)?;
        }
    }
}

/// Just under and just over the length limit, before and after
/// canonicalisation (which can lengthen a URL by percent-encoding it).
#[test]
fn the_length_limit_holds_after_canonicalisation() {
    for len in [
        MAX_URL_LEN - 40,
        MAX_URL_LEN - 1,
        MAX_URL_LEN,
        MAX_URL_LEN + 1,
    ] {
        for filler in ["a", " ", "ü", "%", "a=b&"] {
            let mut input = String::from("https://example.com/?");
            while input.len() < len {
                input.push_str(filler);
            }
            if let Ok(url) = canonicalize(&input, None) {
                assert!(
                    url.as_str().len() <= MAX_URL_LEN,
                    "{} bytes",
                    url.as_str().len()
                );
            }
        }
    }
}

// ---- listings --------------------------------------------------------------

fn base() -> Url {
    Url::parse("https://news.example.com/section/feed.xml").unwrap()
}

fn check_listing(kind: ListingKind, body: &[u8]) -> Result<(), TestCaseError> {
    if let Ok(listing) = parse_listing(kind, body, None, &base()) {
        prop_assert!(listing.articles.len() <= MAX_ENTRIES);
        prop_assert!(listing.sitemaps.len() <= MAX_CHILD_SITEMAPS);
        for url in listing
            .articles
            .iter()
            .map(|a| &a.url)
            .chain(&listing.sitemaps)
        {
            check_canonical(url)?;
        }
        if kind == ListingKind::Page {
            let mut urls: Vec<&str> = listing.articles.iter().map(|a| a.url.as_str()).collect();
            urls.sort_unstable();
            let n = urls.len();
            urls.dedup();
            prop_assert_eq!(urls.len(), n, "a page listed a URL twice");
        }
    }
    Ok(())
}

const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>News</title>
<link>https://news.example.com/</link><description>d</description>
<item><title><![CDATA[First & foremost]]></title><link>https://news.example.com/a/1?utm_source=rss&amp;id=3#x</link>
<guid isPermaLink="false">a-1</guid><pubDate>Tue, 10 Jun 2014 10:00:00 GMT</pubDate><dc:creator>Jane</dc:creator></item>
<item><title>Second &#233;</title><link>/a/2</link></item>
<item><title>Third</title><guid>https://news.example.com/a/3</guid></item>
</channel></rss>"#;

const ATOM: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title type="html">N &lt;b&gt;</title><id>urn:x</id>
<updated>2024-01-01T00:00:00Z</updated>
<entry><title>A</title><id>urn:a</id><updated>2024-01-01T00:00:00Z</updated><published>2023-12-31T23:59:59+05:30</published>
<link rel="self" href="https://news.example.com/self"/><link rel="alternate" href="entry-1"/></entry>
<entry><title>B</title><id>https://news.example.com/b</id><updated>2024-01-02T00:00:00Z</updated></entry>
</feed>"#;

const JSON_FEED: &str = r#"{"version": "https://jsonfeed.org/version/1.1", "title": "N",
"items": [{"id": "1", "url": "https://news.example.com/j1?fbclid=x", "title": "J", "date_published": "2024-01-01T00:00:00Z"},
{"id": "https://news.example.com/j2"}, {"id": "3", "url": "/j3"}]}"#;

const RSS1: &str = r#"<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
<channel rdf:about="https://news.example.com/"><title>N</title><link>https://news.example.com/</link></channel>
<item rdf:about="https://news.example.com/r1"><title>R1</title><link>https://news.example.com/r1</link></item>
</rdf:RDF>"#;

const SITEMAP: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://news.example.com/a/1?utm_source=x&amp;id=3</loc>
<news:news><news:publication_date>2026-11-20T08:00:00+01:00</news:publication_date>
<news:title>Storm &amp; flood &#x2014;</news:title></news:news></url>
<url><loc><![CDATA[https://news.example.com/a/2]]></loc><lastmod>2026-11-19</lastmod></url>
<url><loc>/relative/3</loc><lastmod>garbage</lastmod></url>
</urlset>"#;

const SITEMAP_INDEX: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://news.example.com/sitemap-2026-01.xml</loc><lastmod>2026-01-28</lastmod></sitemap>
<sitemap><loc>https://news.example.com/sitemap-2026-02.xml</loc><lastmod>2026-02-28T10:00:00Z</lastmod></sitemap>
<sitemap><loc>sitemap-undated.xml</loc></sitemap>
</sitemapindex>"#;

const PAGE: &str = r#"<html><body><a href="/world/story-1.html?utm_source=home">One</a>
<a href="story-2.html#comments">Two</a><a href="https://news.example.com/world/story-1.html">Again</a>
<a href="//cdn.example.com/x">Protocol-relative</a><a href="mailto:tips@example.com">Tips</a>
<a href=" &#x2F;spaced &amp; encoded ">Spaced</a><a href="http://u:p@NEWS.example.com:80/a?b=2&a=1">Creds</a>
</body></html>"#;

/// Fragments that stress XML and feed parsers when spliced in.
const SPLICES: &[&str] = &[
    "<",
    ">",
    "&",
    "&amp;",
    "&#0;",
    "&#x110000;",
    "&nosuch;",
    "<![CDATA[",
    "]]>",
    "<!--",
    "-->",
    "<!DOCTYPE rss>",
    "<!ENTITY a \"b\">",
    "<?xml version=\"1.0\" encoding=\"UTF-16\"?>",
    "<item>",
    "</item>",
    "<entry>",
    "<link>",
    "</link>",
    "<url>",
    "<loc>",
    "</loc>",
    "<sitemap>",
    "<lastmod>9999-99-99</lastmod>",
    "\u{0}",
    "\u{feff}",
    "\"",
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "<a href=",
    "xmlns:x=\"",
    "<x:y>",
    "</x:y>",
];

#[derive(Debug, Clone)]
enum Mutation {
    Flip(usize, u8),
    Delete(usize, usize),
    Insert(usize, &'static str),
    Duplicate(usize, usize),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Flip(i, b)),
        (any::<usize>(), 1..40usize).prop_map(|(i, n)| Mutation::Delete(i, n)),
        (any::<usize>(), prop::sample::select(SPLICES)).prop_map(|(i, s)| Mutation::Insert(i, s)),
        (any::<usize>(), 1..200usize).prop_map(|(i, n)| Mutation::Duplicate(i, n)),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn mutate(valid: &str, mutations: &[Mutation]) -> Vec<u8> {
    let mut bytes = valid.as_bytes().to_vec();
    for m in mutations {
        let len = bytes.len().max(1);
        match *m {
            Mutation::Flip(i, b) => {
                if !bytes.is_empty() {
                    bytes[i % len] = b;
                }
            }
            Mutation::Delete(i, n) => {
                let start = (i % len).min(bytes.len());
                let end = (start + n).min(bytes.len());
                bytes.drain(start..end);
            }
            Mutation::Insert(i, s) => {
                let at = (i % len).min(bytes.len());
                bytes.splice(at..at, s.bytes());
            }
            Mutation::Duplicate(i, n) => {
                let start = (i % len).min(bytes.len());
                let end = (start + n).min(bytes.len());
                let chunk = bytes[start..end].to_vec();
                bytes.splice(end..end, chunk);
            }
            Mutation::Truncate(i) => bytes.truncate(i % len),
        }
    }
    bytes
}

proptest! {
    #![proptest_config(config(1024))]

    #[test]
    fn arbitrary_bytes_never_break_a_listing_parser(
        body in prop::collection::vec(any::<u8>(), 0..400),
    ) {
        for kind in [ListingKind::Feed, ListingKind::Sitemap, ListingKind::Page] {
            check_listing(kind, &body)?;
        }
    }

    #[test]
    fn arbitrary_text_never_breaks_a_listing_parser(body in "(?s).{0,300}") {
        for kind in [ListingKind::Feed, ListingKind::Sitemap, ListingKind::Page] {
            check_listing(kind, body.as_bytes())?;
        }
    }

    #[test]
    fn mutated_feeds_never_break_the_feed_parser(
        valid in prop::sample::select(&[RSS, ATOM, JSON_FEED, RSS1][..]),
        mutations in prop::collection::vec(mutation(), 1..6),
    ) {
        check_listing(ListingKind::Feed, &mutate(valid, &mutations))?;
    }

    #[test]
    fn mutated_sitemaps_never_break_the_sitemap_parser(
        valid in prop::sample::select(&[SITEMAP, SITEMAP_INDEX][..]),
        mutations in prop::collection::vec(mutation(), 1..6),
    ) {
        check_listing(ListingKind::Sitemap, &mutate(valid, &mutations))?;
    }

    #[test]
    fn mutated_pages_never_break_the_link_scanner(
        mutations in prop::collection::vec(mutation(), 1..6),
    ) {
        check_listing(ListingKind::Page, &mutate(PAGE, &mutations))?;
    }
}

#[test]
fn the_valid_listings_parse() {
    for (kind, body, at_least) in [
        (ListingKind::Feed, RSS, 3),
        (ListingKind::Feed, ATOM, 2),
        (ListingKind::Feed, JSON_FEED, 3),
        (ListingKind::Feed, RSS1, 1),
        (ListingKind::Sitemap, SITEMAP, 3),
        (ListingKind::Page, PAGE, 4),
    ] {
        let listing = parse_listing(kind, body.as_bytes(), None, &base())
            .unwrap_or_else(|e| panic!("{kind:?}: {e}"));
        assert!(listing.articles.len() >= at_least, "{kind:?}: {listing:?}");
    }
    let index = parse_listing(
        ListingKind::Sitemap,
        SITEMAP_INDEX.as_bytes(),
        None,
        &base(),
    )
    .unwrap();
    assert_eq!(index.sitemaps.len(), 3);
}

/// Found by the `feed` fuzz target (`fuzz/regressions/feed/`): feed-rs,
/// through quick-xml 0.42, panicked ("set_encoding() called after prefix
/// buffer was drained") on a second XML declaration naming another
/// encoding. It must be an error.
#[test]
fn a_second_xml_declaration_is_an_error_not_a_panic() {
    let feed = br#"<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><?xml version="1.0" encoding="ISO-8859-1"?><channel></channel></rss>"#;
    let result = parse_listing(ListingKind::Feed, feed, None, &base());
    assert!(result.is_err(), "{result:?}");
}
