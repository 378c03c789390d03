//! The same article through a redesign is the same text: one article in
//! three templates (`tests/fixtures/redesign/`: an old WordPress-like
//! theme, a React/Next-like redesign, a table-based AMP-era page), each
//! with what made false versions on real pages — the standfirst in
//! different markup and places, a drop cap in its own element, a
//! print-edition note, related-article boxes, embedded social posts (with
//! and without their embed code's class), a visible "Updated at" line,
//! the headline repeated as the first paragraph, captions, a byline in
//! capitals in one and not the other. All three must give exactly the
//! expected text, title and byline.

use chrono::DateTime;
use redline_extract::{Article, Extractor, decode_html};

const TEMPLATES: &[&str] = &["old-wordpress", "new-react", "amp-legacy"];

const HEADLINE: &str = "City council approves riverside park after decade of debate";

/// The article's text: standfirst, paragraphs and subhead; no caption,
/// no tweet, no related links, no print note, no update line.
const EXPECTED: &[&str] = &[
    "The 12-acre park will replace a disused freight yard on the east bank, with construction due to start in the spring.",
    "The city council voted 7-2 on Tuesday night to build a riverside park on the site of the old freight yard, ending more than a decade of debate over what should become of the land.",
    "Supporters packed the chamber for the vote, which came after a four-hour hearing in which residents spoke for and against the plan. Opponents argued that the money would be better spent on housing.",
    "What happens next",
    "Work on clearing the site will begin in March, said Maria Okafor, the city’s parks director. The first section of the park, including a playground and a path along the water, is expected to open next year.",
    "“This is a place that has been fenced off for as long as most people here can remember,” Okafor said. “Now it will belong to everyone.”",
    "The council will vote on the park’s budget, estimated at $48 million, in June.",
];

fn extract(template: &str) -> Article {
    let path = format!(
        "{}/tests/fixtures/redesign/{template}.html",
        env!("CARGO_MANIFEST_DIR")
    );
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    Extractor::new().extract(&decode_html(&bytes, None))
}

#[test]
fn every_template_gives_the_same_text() {
    for template in TEMPLATES {
        let article = extract(template);
        assert_eq!(article.paragraphs, EXPECTED, "text of {template}");
        assert_eq!(
            article.standfirst.as_deref(),
            Some(EXPECTED[0]),
            "standfirst of {template}"
        );
    }
}

#[test]
fn every_template_gives_the_displayed_headline_and_the_same_byline() {
    for template in TEMPLATES {
        let article = extract(template);
        assert_eq!(
            article.title.as_deref(),
            Some(HEADLINE),
            "title of {template}"
        );
        assert_eq!(
            article.byline.as_deref(),
            Some("Jane Doe, Reuters"),
            "byline of {template}"
        );
        assert_eq!(
            article.published,
            Some(DateTime::parse_from_rfc3339("2024-03-05T21:30:00-05:00").unwrap()),
            "published of {template}"
        );
        assert_eq!(
            article.modified,
            Some(DateTime::parse_from_rfc3339("2024-03-06T12:01:00-05:00").unwrap()),
            "modified of {template}"
        );
        assert!(!article.live, "{template} is not a live blog");
        assert_eq!(article.blocked, None, "{template} is the article");
    }
}

#[test]
fn differing_social_and_json_ld_headlines_are_kept_beside_the_title() {
    let old = extract("old-wordpress");
    assert_eq!(
        old.og_title.as_deref(),
        Some("Eastport finally gets its riverside park")
    );
    assert_eq!(old.ld_headline, None);
    let new = extract("new-react");
    assert_eq!(
        new.og_title.as_deref(),
        Some("Eastport finally gets its riverside park")
    );
    assert_eq!(
        new.ld_headline.as_deref(),
        Some("Council backs $48m riverside park")
    );
    let amp = extract("amp-legacy");
    assert_eq!(amp.og_title.as_deref(), Some(HEADLINE));
    assert_eq!(amp.ld_headline.as_deref(), Some(HEADLINE));
}

fn page(head: &str, article: &str) -> String {
    format!(
        "<!DOCTYPE html><html><head><meta charset=utf-8>{head}</head><body>\
         <nav><a href=/>Home</a> <a href=/news>News</a></nav>\
         <article>{article}</article><footer>© Example</footer></body></html>"
    )
}

const BODY: &str = "<p>The river rose two metres overnight, flooding the low streets of the old town and closing the only bridge to the east bank for most of the day.</p>\
<p>Residents said the water came faster than at any time since 1987, when the levee last failed, and many had no time to move their cars.</p>";

#[test]
fn drop_caps_in_every_markup_keep_the_first_paragraph_whole() {
    let expected = [
        "The river rose two metres overnight, flooding the low streets of the old town and closing the only bridge to the east bank for most of the day.",
        "Residents said the water came faster than at any time since 1987, when the levee last failed, and many had no time to move their cars.",
    ];
    let rest = BODY.strip_prefix("<p>The").unwrap();
    for cap in [
        "<p><span class=dropcap>T</span>he",
        "<p><span class=\"drop-cap\" aria-hidden=true>T</span><span class=sr-only>T</span>he",
        "<p class=has-drop-cap><b>T</b>he",
        "<div class=dropcap>T</div><p>he",
        "<p><span class=\"dropcap\"><span>T</span></span>he",
        "<p><img src=/t.png alt=T class=dropcap>he",
    ] {
        let html = page(
            "<title>Flood</title>",
            &format!("<h1>River floods old town</h1>{cap}{rest}"),
        );
        let article = Extractor::new().extract(&html);
        // An image drop cap has no letter in the text: the first word
        // loses it, but the body is whole and stays in place.
        if cap.contains("<img") {
            assert_eq!(
                article.paragraphs.len(),
                2,
                "{cap}: {:?}",
                article.paragraphs
            );
            assert!(article.paragraphs[0].starts_with("he river rose"), "{cap}");
            continue;
        }
        assert_eq!(article.paragraphs, expected, "{cap}");
    }
}

#[test]
fn visible_update_lines_in_several_languages_are_not_text() {
    for line in [
        "Updated at 12:01 p.m. EST, March 6, 2024",
        "Last updated: 12:01",
        "Actualizado a las 12:01h.",
        "Atualizado em 06/03/2024 às 12h01",
        "Mis à jour le 6 mars 2024 à 12h01",
        "Aktualisiert am 06.03.2024, 12:01 Uhr",
        "Aggiornato alle 12:01",
    ] {
        let html = page(
            "",
            &format!("<h1>River floods old town</h1><p>{line}</p>{BODY}"),
        );
        let article = Extractor::new().extract(&html);
        assert_eq!(
            article.paragraphs.len(),
            2,
            "{line}: {:?}",
            article.paragraphs
        );
    }
}

#[test]
fn live_blogs_are_marked() {
    let html = page(
        r#"<script type="application/ld+json">{"@type":"LiveBlogPosting","headline":"Flood: live","coverageStartTime":"2024-03-06T08:00:00Z"}</script>"#,
        BODY,
    );
    assert!(Extractor::new().extract(&html).live);
    let html = page(
        r#"<script type="application/ld+json">{"@type":"NewsArticle","headline":"Flood","liveBlogUpdate":[{"@type":"BlogPosting","headline":"9:00"}]}</script>"#,
        BODY,
    );
    assert!(Extractor::new().extract(&html).live);
    assert!(!Extractor::new().extract(&page("", BODY)).live);
}
