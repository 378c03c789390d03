//! Metadata: title, byline, publication time and canonical URL, on saved
//! benchmark pages (values checked by reading their HTML) and on synthetic
//! edge cases.

mod common;

use chrono::DateTime;
use redline_extract::{Article, Extractor};

fn extract(html: &str) -> Article {
    Extractor::new().extract(html)
}

fn time(rfc3339: &str) -> Option<DateTime<chrono::FixedOffset>> {
    Some(DateTime::parse_from_rfc3339(rfc3339).expect("valid test time"))
}

fn check(prefix: &str, title: &str, byline: Option<&str>, published: Option<&str>) {
    let article = extract(&common::page(prefix));
    assert_eq!(article.title.as_deref(), Some(title), "title of {prefix}");
    assert_eq!(article.byline.as_deref(), byline, "byline of {prefix}");
    assert_eq!(
        article.published,
        published.and_then(time),
        "published of {prefix}"
    );
}

#[test]
fn json_ld_article_with_author_array() {
    // WSJ: NewsArticle with `"author": [{"@type": "Person", ...}]`.
    check(
        "042bb7b5feda",
        "Google Stadia, Microsoft xCloud, Apple Arcade: So Many Ways to Play…and Pay",
        Some("Sarah E. Needleman"),
        Some("2019-11-19T13:03:00Z"),
    );
}

#[test]
fn json_ld_with_fractional_seconds_and_author_objects() {
    check(
        "098bb3e96c0a",
        // The displayed headline (<h1>, also og:title), not the differing
        // JSON-LD headline (which the article keeps in `ld_headline`).
        "‘We had some issues,’ exec says on Disney+ glitches",
        Some("Meg James"),
        Some("2019-11-20T01:50:59.403Z"),
    );
}

#[test]
fn json_ld_offset_without_colon() {
    // CNBC: "datePublished": "2019-11-20T09:29:08+0000", author object.
    check(
        "374ac9a59a85",
        "Emirates inks $9 billion order for 30 Boeing 787 jets, will restart plans to expand airline by early 2020s",
        Some("Natasha Turak"),
        Some("2019-11-20T09:29:08Z"),
    );
}

#[test]
fn opengraph_and_meta_author_without_json_ld() {
    // IndieWire: og:title, <meta name=author>, article:published_time; the
    // <title> is a different, shorter headline with a site suffix.
    check(
        "3d8f3404cf97",
        "The Wild Story of How Mary Steenburgen Wrote the Best Original Movie Song of the Year",
        Some("David Ehrlich"),
        Some("2019-11-13T21:26:50Z"),
    );
}

#[test]
fn itemprop_date_published_meta() {
    check(
        "961bd85ca85a",
        "CPD arrests six in drug investigation",
        Some("Staff Reports"),
        Some("2019-11-20T01:22:37-05:00"),
    );
}

#[test]
fn article_published_time_with_offset_and_byline_from_the_page() {
    // No author in any metadata: the byline is the page's
    // `<div class="ap-story-byline">` (names, then the agency in its own div).
    check(
        "82b6d780c792",
        "Unpredictable Sondland faces questions about Trump, Ukraine",
        Some("LISA MASCARO, MARY CLARE JALONICK and ERIC TUCKER Associated Press"),
        Some("2019-11-20T05:52:20-05:00"),
    );
}

#[test]
fn byline_element_without_its_date() {
    let html = "<html><body><div class=\"article-byline\">By Jane Doe<span>Published 7:07 PM EST Nov 19, 2019</span></div>\
        <p>Text.</p></body></html>";
    assert_eq!(extract(html).byline.as_deref(), Some("Jane Doe"));
    // Comment authors are not the article's.
    let html = "<div class=\"comments\"><span itemprop=\"author\">Guest</span></div>";
    assert_eq!(extract(html).byline, None);
}

#[test]
fn site_name_h1_loses_to_the_headline_h1() {
    let html = "<html><head><title>Harbour plan approved - The Example Blog</title></head><body>\
        <h1 class=\"site\">The Example Blog</h1><h1>Harbour plan approved</h1><h1>Reviews</h1></body></html>";
    assert_eq!(
        extract(html).title.as_deref(),
        Some("Harbour plan approved")
    );
}

#[test]
fn page_only_metadata_rel_author_and_time_element() {
    // No JSON-LD, no OpenGraph: <h1 class=entry-title>, rel=author link,
    // <time datetime>.
    check(
        "95301fb7883e",
        "About bugs",
        Some("Vortex"),
        Some("2018-08-13T08:04:08Z"),
    );
}

#[test]
fn title_tag_without_site_suffix_when_h1_is_a_logo() {
    // No metadata at all; the page's <h1>s are the site logo and name.
    let article = extract(&common::page("0ec95c7261d1"));
    assert_eq!(
        article.title.as_deref(),
        Some("엘제이-류화영 진흙탕 싸움, 공적인 사안으로 봐야하는 이유")
    );
    assert_eq!(article.published, None);
}

#[test]
fn canonical_url_from_link_else_og_url() {
    let article = extract(&common::page("374ac9a59a85"));
    assert_eq!(
        article.canonical_url.as_deref(),
        Some(
            "https://www.cnbc.com/2019/11/20/emirates-inks-order-for-30-boeing-787-jets-talks-expansion-plans.html"
        )
    );
    let html =
        r#"<head><meta property="og:url" content="https://example.com/a?x=1&amp;y=2"></head>"#;
    assert_eq!(
        extract(html).canonical_url.as_deref(),
        Some("https://example.com/a?x=1&y=2")
    );
    let html = r#"<head><link rel="canonical" href="/story/1"><meta property="og:url" content="https://example.com/other"></head>"#;
    assert_eq!(extract(html).canonical_url.as_deref(), Some("/story/1"));
}

#[test]
fn json_ld_graph_is_searched() {
    let html = r#"<html><head><script type="application/ld+json">
        {"@context": "https://schema.org", "@graph": [
            {"@type": "WebSite", "name": "Example News"},
            {"@type": "Organization", "name": "Example Media"},
            {"@type": "NewsArticle", "headline": "Bridge reopens after repairs",
             "datePublished": "2024-03-05T08:15:00+01:00",
             "author": {"@type": "Person", "name": "Ana Ruiz"}}
        ]}
        </script></head><body><p>Text.</p></body></html>"#;
    let article = extract(html);
    assert_eq!(
        article.title.as_deref(),
        Some("Bridge reopens after repairs")
    );
    assert_eq!(article.byline.as_deref(), Some("Ana Ruiz"));
    assert_eq!(article.published, time("2024-03-05T08:15:00+01:00"));
}

#[test]
fn json_ld_top_level_array_and_several_authors() {
    let html = r#"<script type="application/ld+json">[
            {"@type": "BreadcrumbList", "itemListElement": []},
            {"@type": ["NewsArticle", "Article"], "headline": "Harbour plan approved",
             "author": [{"@type": "Person", "name": "Li Wei"}, "Tom Berg", {"name": "Li Wei"}],
             "datePublished": "2023-11-30"}
        ]</script>"#;
    let article = extract(html);
    assert_eq!(article.title.as_deref(), Some("Harbour plan approved"));
    assert_eq!(article.byline.as_deref(), Some("Li Wei, Tom Berg"));
    // A date alone is midnight UTC.
    assert_eq!(article.published, time("2023-11-30T00:00:00Z"));
}

#[test]
fn malformed_json_ld_is_ignored() {
    let html = r#"<head><script type="application/ld+json">{"@type": "NewsArticle", "headline": </script>
        <meta property="og:title" content="Council votes on budget">
        <meta property="article:published_time" content="2022-01-02T03:04:05Z">
        <meta name="author" content="By Sam Lee"></head>"#;
    let article = extract(html);
    assert_eq!(article.title.as_deref(), Some("Council votes on budget"));
    assert_eq!(article.byline.as_deref(), Some("Sam Lee"));
    assert_eq!(article.published, time("2022-01-02T03:04:05Z"));
}

#[test]
fn json_ld_with_raw_newlines_in_strings_is_repaired() {
    let html = "<script type=\"application/ld+json\">{\"@type\": \"Article\", \"headline\": \"Two\nlines\"}</script>";
    assert_eq!(extract(html).title.as_deref(), Some("Two lines"));
}

#[test]
fn h1_preferred_when_metadata_adds_a_site_name() {
    let html = "<html><head><title>Storm closes schools | Example Times</title>\
        <meta property=\"og:title\" content=\"Storm closes schools - Example Times\"></head>\
        <body><h1>Storm closes schools</h1><p>Text.</p></body></html>";
    assert_eq!(extract(html).title.as_deref(), Some("Storm closes schools"));
}

#[test]
fn no_metadata_at_all() {
    let article = extract("<p>Just a paragraph.</p>");
    assert_eq!(article.title, None);
    assert_eq!(article.byline, None);
    assert_eq!(article.published, None);
    assert_eq!(article.canonical_url, None);
}

#[test]
fn visible_date_element_when_no_metadata_has_one() {
    let html = "<html><body><h1>Harbour plan approved</h1>\
        <span class=\"post-date\">Posted on Nov. 18th, 2019 at 9:40 pm</span>\
        <span class=\"updated-date\">December 1, 2019</span><p>Text.</p></body></html>";
    assert_eq!(extract(html).published, time("2019-11-18T00:00:00Z"));
    let html = "<div class=\"date\">18 November 2019</div>";
    assert_eq!(extract(html).published, time("2019-11-18T00:00:00Z"));
}

#[test]
fn date_in_the_canonical_url_is_the_last_resort() {
    let html =
        "<link rel=\"canonical\" href=\"https://example.com/news/2021/03/07/harbour-plan/\">";
    assert_eq!(extract(html).published, time("2021-03-07T00:00:00Z"));
    let html = "<meta property=\"og:url\" content=\"https://example.com/story-20191115/\">";
    assert_eq!(extract(html).published, time("2019-11-15T00:00:00Z"));
    // Numbers that are not a date are not taken for one.
    let html = "<link rel=\"canonical\" href=\"https://example.com/a/1234/56/78\">";
    assert_eq!(extract(html).published, None);
}

#[test]
fn the_site_name_is_never_the_title() {
    // og:title and the logo's <h1> are the site's name; the headline is
    // the other <h1>.
    let html = r#"<html><head><title>自由時報電子報</title>
<meta property="og:site_name" content="自由時報電子報"><meta property="og:title" content="自由時報電子報"></head>
<body><header><a class="logo"><h1>自由時報電子報</h1></a></header>
<article><h1>颱風逼近東部海面，氣象署晚間發布海上警報</h1>
<p>中央氣象署今晚八時三十分發布海上颱風警報，提醒東部及東南部海域航行及作業船隻嚴加戒備。</p></article></body></html>"#;
    assert_eq!(
        extract(html).title.as_deref(),
        Some("颱風逼近東部海面，氣象署晚間發布海上警報")
    );
    // No usable <h1>: the <title> without the part that is the site's
    // name (here named by the JSON-LD publisher), not the og:title that is
    // the site's name.
    let html = r#"<html><head><title>Council approves park - Eastport Ledger</title>
<meta property="og:title" content="Eastport Ledger">
<script type="application/ld+json">{"@type":"NewsArticle","publisher":{"@type":"Organization","name":"Eastport Ledger"}}</script></head>
<body><p>The city council voted 7-2 on Tuesday night to build a riverside park on the site of the old freight yard.</p></body></html>"#;
    assert_eq!(
        extract(html).title.as_deref(),
        Some("Council approves park")
    );
}

const LONG_BODY: &str = "<p>The council met on Tuesday to discuss the budget for the coming year, and the debate went on late into the night.</p><p>Several members argued that the money should go to roads, while others wanted it spent on schools and parks.</p>";

#[test]
fn meta_value_in_place_of_content_is_read() {
    let html = format!(
        "<html><head><meta value=\"Council passes the budget after a long night\" name=\"og:title\">\
         <meta name=\"article:published_time\" value=\"2016-12-29T01:32:00+00:00\">\
         <meta name=\"author\" value=\"Jane Doe\"></head><body><article>{LONG_BODY}</article></body></html>"
    );
    let article = extract(&html);
    assert_eq!(
        article.og_title.as_deref(),
        Some("Council passes the budget after a long night")
    );
    assert_eq!(article.published, time("2016-12-29T01:32:00+00:00"));
    assert_eq!(article.byline.as_deref(), Some("Jane Doe"));
}

#[test]
fn banner_h1_loses_to_the_h2_the_metadata_agrees_with() {
    let html = format!(
        "<html><head><meta property=\"og:title\" content=\"Council passes the budget after a long night\"></head>\
         <body><a href=/blog><h1>The City Desk: Your Daily Local News Fix</h1></a>\
         <article><h2>Council passes the budget after a long night</h2>{LONG_BODY}</article></body></html>"
    );
    let article = extract(&html);
    assert_eq!(
        article.title.as_deref(),
        Some("Council passes the budget after a long night")
    );
    // The headline above the text is not a paragraph of it.
    assert!(article.paragraphs[0].starts_with("The council met"));
}

#[test]
fn byline_from_an_author_page_link_not_from_a_biography_line() {
    let html = format!(
        "<html><head><title>Council passes the budget</title></head><body><article>\
         <h1>Council passes the budget after a long night</h1>\
         <p class=meta>By <a href=\"https://example.com/authors/jane-e-doe/\">Jane E. Doe</a></p>{LONG_BODY}\
         <div class=\"ending-byline\"><p>Jane E. Doe is the paper's city hall reporter.</p></div>\
         </article></body></html>"
    );
    assert_eq!(extract(&html).byline.as_deref(), Some("Jane E. Doe"));
}

#[test]
fn dates_with_minutes_and_an_offset_without_colon() {
    let html = format!(
        "<html><head><meta name=\"date\" content=\"2016-12-28 15:32 -0500\"></head>\
         <body><article>{LONG_BODY}</article></body></html>"
    );
    assert_eq!(extract(&html).published, time("2016-12-28T15:32:00-05:00"));
}
