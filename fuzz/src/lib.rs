//! Helpers shared by the fuzz targets: the output bounds they assert and a
//! scratch directory for the archive target.

use std::path::PathBuf;
use std::sync::OnceLock;

use redline_extract::Article;

/// Bytes of text an extraction produced: title, byline and paragraphs.
pub fn extracted_len(article: &Article) -> usize {
    article.title.as_deref().map_or(0, str::len)
        + article.byline.as_deref().map_or(0, str::len)
        + article.paragraphs.iter().map(String::len).sum::<usize>()
}

/// The most text an extraction may produce from `html_len` bytes of HTML:
/// 12/5 of the input, plus 320 bytes.
///
/// Why: every byte of output comes from the page, and whitespace only
/// collapses. The one growth is a character reference decoding to more
/// bytes than it is written with: `&nGt;` and `&nLt;` give 6 bytes for 5
/// (no other named or numeric reference grows), a factor 6/5. And one
/// piece of the page can feed two fields without limit: an `<h1>` is the
/// title (when the metadata names none) and, unless it opens the body,
/// also a paragraph, so 2 × 6/5 = 12/5. The byline can reuse page text
/// too (`<h1 class=byline>`, `<a rel=author>`), but only under 80
/// characters of at most 4 bytes: 320 bytes. Metadata (meta tags, JSON-LD)
/// feeds one field per piece of text.
pub fn extraction_bound(html_len: usize) -> usize {
    (12 * html_len).div_ceil(5) + 320
}

/// Checks `article` against [`extraction_bound`], with a readable message.
pub fn assert_bounded(html: &str, article: &Article) {
    let out = extracted_len(article);
    assert!(
        out <= extraction_bound(html.len()),
        "{out} bytes of text extracted from {} bytes of HTML: {article:#?}",
        html.len()
    );
    for p in &article.paragraphs {
        assert!(!p.is_empty(), "empty paragraph in {article:#?}");
    }
}

/// `decode_html` turns each input byte into at most one character of at
/// most 3 bytes (U+FFFD or a BMP character; 4-byte characters come from
/// at least 4 input bytes).
pub fn assert_decoded_bounded(bytes: &[u8], decoded: &str) {
    assert!(
        decoded.len() <= 3 * bytes.len(),
        "{} bytes decoded to {} bytes",
        bytes.len(),
        decoded.len()
    );
}

/// A private scratch directory for this fuzzing process, created once.
pub fn scratch_dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("redline-fuzz-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch directory");
        dir
    })
}

/// The URL listings are fetched from in the discovery targets.
pub fn listing_base() -> url::Url {
    url::Url::parse("https://news.example.com/section/feed.xml").expect("valid base")
}

/// What every listing must satisfy, whatever the input: at most
/// `MAX_ENTRIES` articles, every URL already canonical (canonicalising it
/// again changes nothing), at most `MAX_CHILD_SITEMAPS` child sitemaps.
pub fn assert_listing_sane(listing: &redline_discover::Listing) {
    use redline_discover::{MAX_ENTRIES, canonicalize, sitemap::MAX_CHILD_SITEMAPS};
    assert!(listing.articles.len() <= MAX_ENTRIES);
    assert!(listing.sitemaps.len() <= MAX_CHILD_SITEMAPS);
    let urls = listing
        .articles
        .iter()
        .map(|d| &d.url)
        .chain(&listing.sitemaps);
    for url in urls {
        let again = canonicalize(url.as_str(), None)
            .unwrap_or_else(|e| panic!("listed URL {url} does not canonicalise again: {e}"));
        assert_eq!(&again, url, "listed URL is not canonical");
    }
}
