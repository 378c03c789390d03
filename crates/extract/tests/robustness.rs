//! Robustness: no input makes the extractor panic, overflow the stack, or
//! take more than roughly linear time; output stays bounded by the input.

use std::time::{Duration, Instant};

use redline_extract::{Extractor, SiteRules, decode_html, links};

fn total_len(paragraphs: &[String]) -> usize {
    paragraphs.iter().map(String::len).sum()
}

/// Extracts with the generic extractor and with rules, checking the output
/// is bounded by the input.
fn survive(html: &str) {
    let article = Extractor::new().extract(html);
    assert!(total_len(&article.paragraphs) <= html.len());
    let rules = SiteRules {
        body: Some("div p, article > div, [data-x=y]".into()),
        remove: vec![".ad".into(), "span span".into()],
    };
    let article = Extractor::with_rules(&rules).expect("valid").extract(html);
    assert!(total_len(&article.paragraphs) <= html.len());
    let _ = links(html);
}

#[test]
fn two_hundred_thousand_nested_divs() {
    let html = format!(
        "{}deep text, with a comma, at the bottom{}",
        "<div>".repeat(200_000),
        "</div>".repeat(200_000)
    );
    let start = Instant::now();
    survive(&html);
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "took {:?}",
        start.elapsed()
    );
}

#[test]
fn deeply_nested_inline_tags_unclosed() {
    let html = format!(
        "<p>{}words inside many inline elements, with commas, and more words to read</p>",
        "<b><i><span><u><em>".repeat(40_000)
    );
    survive(&html);
    let article = Extractor::new().extract(&html);
    assert!(
        article
            .paragraphs
            .iter()
            .any(|p| p.contains("words inside many inline elements")),
        "{:?}",
        article.paragraphs
    );
}

#[test]
fn deeply_nested_closed_inline_tags_keep_their_text() {
    let html = format!(
        "<article><p>start {}middle{} end</p></article>",
        "<span>".repeat(50_000),
        "</span>".repeat(50_000)
    );
    let article = Extractor::new().extract(&html);
    assert_eq!(article.paragraphs, ["start middle end"]);
}

#[test]
fn megabytes_without_tags() {
    let html = "plain words and commas, ".repeat(200_000);
    survive(&html);
}

#[test]
fn huge_attributes_and_unterminated_constructs() {
    let big = "x".repeat(2_000_000);
    for html in [
        format!("<div class=\"{big}\"><p>text</p></div>"),
        format!("<div title='{big}"),
        format!("<!-- {big}"),
        format!("<script>{big}"),
        format!("<![CDATA[{big}"),
        format!("<{big}>"),
        format!("</{big}>"),
        format!("&{big};"),
        format!("<a href={big}>link</a>"),
    ] {
        survive(&html);
    }
}

#[test]
fn many_unbalanced_end_tags_stay_fast() {
    let html = format!(
        "{}<p>x</p>{}",
        "<div>".repeat(600),
        "</span></b></td></li></p></table>".repeat(100_000)
    );
    let start = Instant::now();
    survive(&html);
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "took {:?}",
        start.elapsed()
    );
}

#[test]
fn hundreds_of_similar_sections_stay_fast() {
    let paragraph = "<p>A paragraph of ordinary prose, with commas, clauses, and enough words to be scored as article text by the extractor.</p>";
    let section = format!(
        "<div class=\"section\"><div>{}</div></div>",
        paragraph.repeat(5)
    );
    let html = format!(
        "<html><body><div id=\"main\">{}</div></body></html>",
        section.repeat(2000)
    );
    let start = Instant::now();
    survive(&html);
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "took {:?}",
        start.elapsed()
    );
}

#[test]
fn random_tag_soup_never_panics() {
    const PIECES: &[&str] = &[
        "<div>",
        "</div>",
        "<p>",
        "</p>",
        "<li>",
        "<ul>",
        "</ul>",
        "<table>",
        "<td>",
        "<tr>",
        "</table>",
        "<a href=x>",
        "</a>",
        "<b>",
        "</b>",
        "<script>",
        "</script>",
        "<style>",
        "<!--",
        "-->",
        "<![CDATA[",
        "]]>",
        "<br>",
        "<br/>",
        "</br>",
        "<h2>",
        "</h2>",
        "<svg>",
        "<path/>",
        "</svg>",
        "text ",
        "more words, ",
        "&amp;",
        "&#x1F600;",
        "&#99999999;",
        "&",
        "<",
        ">",
        "\"",
        "'",
        "=",
        "<div class=\"share\">",
        "<article>",
        "</article>",
        "<body>",
        "<html>",
        "</body>",
        "<head>",
        "<title>",
        "</title>",
        "<meta charset=utf-8>",
        "<script type=\"application/ld+json\">{\"@graph\":[",
        "<time datetime=\"2020-01-01\">",
        "<noscript>",
        "<template>",
        "<select><option>",
        "<textarea>",
        "\u{0}",
        "é",
        "\u{feff}",
    ];
    let mut state: u64 = 0x1234_5678_9abc_def1;
    for _ in 0..300 {
        let mut html = String::new();
        for _ in 0..200 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            html.push_str(PIECES[(state % PIECES.len() as u64) as usize]);
        }
        survive(&html);
    }
}

#[test]
fn arbitrary_bytes_decode_and_extract() {
    let mut state: u64 = 42;
    for len in [0usize, 1, 2, 3, 17, 1024, 5000] {
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                (state >> 33) as u8
            })
            .collect();
        let text = decode_html(&bytes, Some("text/html; charset=\"x"));
        survive(&text);
    }
}
