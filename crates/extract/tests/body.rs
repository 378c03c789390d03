//! Body extraction on small synthetic pages: the seed artifacts a naive
//! extractor got wrong, paragraph text assembly, and per-site rules.

use redline_extract::{Extractor, RuleError, SiteRules};

/// Invented article paragraphs, long enough to be scored as article text.
const STORY: [&str; 5] = [
    "The town council voted on Tuesday to rebuild the old stone bridge over the river, ending a debate that had run for almost three years.",
    "Engineers told the council that the bridge, built in 1894, could carry cars for another decade at most, and that repairs would cost nearly as much as a new crossing.",
    "Residents who spoke at the meeting were divided, with some arguing that the money should go to the primary school, which has been waiting for a new roof since 2019.",
    "The mayor said work would start in the spring, once the river is low enough for the crews to reach the foundations, and that a ferry would run in the meantime.",
    "A public exhibition of the designs will open next month in the library, where residents can leave comments on the three options the engineers have drawn up.",
];

fn story_html() -> String {
    STORY.iter().map(|p| format!("<p>{p}</p>")).collect()
}

fn page(head: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html><html><head><title>Council backs new bridge | The Example Gazette</title>{head}</head>\
         <body><nav><a href=\"/\">Home</a> <a href=\"/news\">News</a> <a href=\"/sport\">Sport</a></nav>{body}\
         <footer><p>© The Example Gazette. All rights reserved.</p></footer></body></html>"
    )
}

fn paragraphs(html: &str) -> Vec<String> {
    Extractor::new().extract(html).paragraphs
}

#[test]
fn plain_article_is_extracted_whole_and_alone() {
    let html = page(
        "",
        &format!(
            "<div class=\"sidebar\"><h3>Most read</h3><ul><li><a href=\"/1\">Fire at the harbour warehouse</a></li>\
             <li><a href=\"/2\">School roof repairs delayed again</a></li></ul></div>\
             <article><h1>Council backs new bridge</h1>{}</article>",
            story_html()
        ),
    );
    assert_eq!(paragraphs(&html), STORY);
}

#[test]
fn body_repeated_twice_is_kept_once() {
    // A mobile and a desktop copy of the same body.
    let html = page(
        "",
        &format!(
            "<div class=\"article-body mobile-only\">{0}</div><div class=\"promo\">Subscribe today</div>\
             <div class=\"article-body desktop-only\">{0}</div>",
            story_html()
        ),
    );
    assert_eq!(paragraphs(&html), STORY);
}

#[test]
fn article_printed_twice_or_three_times_in_one_container_is_kept_once() {
    for copies in [2, 3] {
        let html = page(
            "",
            &format!(
                "<div class=\"content\">{}</div>",
                story_html().repeat(copies)
            ),
        );
        assert_eq!(paragraphs(&html), STORY, "{copies} copies");
    }
}

#[test]
fn line_that_every_entry_of_a_list_repeats_is_kept_each_time() {
    // A page of webcams: each entry has its name, the same appeal and a
    // description of its own; the appeal is not a copy of the body.
    let appeal = "You can support this webcam by making a gift to the park's conservancy.";
    let entries: String = ["Half Dome", "Yosemite Falls", "Turtleback Dome"]
        .iter()
        .zip(&STORY[2..])
        .map(|(name, text)| format!("<h3>{name}</h3><p>{appeal}</p><p>{text}</p>"))
        .collect();
    let html = page(
        "",
        &format!(
            "<article><h1>Council backs new bridge</h1><p>{}</p><p>{}</p>{entries}</article>",
            STORY[0], STORY[1]
        ),
    );
    let mut expected = vec![STORY[0].to_string(), STORY[1].to_string()];
    for (name, text) in ["Half Dome", "Yosemite Falls", "Turtleback Dome"]
        .iter()
        .zip(&STORY[2..])
    {
        expected.extend([name.to_string(), appeal.to_string(), text.to_string()]);
    }
    assert_eq!(paragraphs(&html), expected);
}

#[test]
fn comment_policy_and_contact_trailers_are_dropped() {
    let html = page(
        "",
        &format!(
            "<div class=\"story\">{}<p>• Jane Doe can be reached at jdoe@example.com.</p>\
             <p>Please read our comment policy before commenting.</p></div>",
            story_html()
        ),
    );
    assert_eq!(paragraphs(&html), STORY);
}

#[test]
fn dateline_glued_to_the_title_is_not_body_text() {
    let html = page(
        "",
        &format!(
            "<div class=\"post\"><h2>Gazette: Council backs new bridge</h2><p>October 3, 2015 - 0:0</p>{}</div>",
            story_html()
        ),
    );
    let got = paragraphs(&html);
    assert!(
        !got.iter().any(|p| p.contains("October 3, 2015")),
        "{got:?}"
    );
    assert_eq!(&got[got.len() - STORY.len()..], STORY);
}

#[test]
fn title_repeated_as_first_paragraph_is_dropped() {
    let html = page(
        "<meta property=\"og:title\" content=\"Council backs new bridge\">",
        &format!(
            "<div class=\"entry-content\"><p>Council backs new bridge</p>{}</div>",
            story_html()
        ),
    );
    assert_eq!(paragraphs(&html), STORY);
}

#[test]
fn headings_and_list_items_are_their_own_paragraphs() {
    let body = format!(
        "<article>{}<h2>What happens next</h2><ul><li>Designs go on show in March.</li><li>Work starts in May.</li></ul>\
         <p>{}</p></article>",
        story_html(),
        STORY[0]
    );
    let got = paragraphs(&page("", &body));
    let tail: Vec<&str> = got[STORY.len()..].iter().map(String::as_str).collect();
    assert_eq!(
        tail,
        [
            "What happens next",
            "Designs go on show in March.",
            "Work starts in May."
        ]
    );
}

#[test]
fn headings_and_table_rows_named_header_are_text() {
    // Newsletter platforms name every subhead `header-anchor-post`, table
    // embeds their first row `…__headerRow`: a heading or a row is not the
    // page's header whatever its class says; a heading's id is its anchor.
    let body = format!(
        "<article>{}<h2 class=\"header-anchor-post\">What happens next</h2><p>{}</p>\
         <h3 id=\"h-social-and-related-costs\">Social and related costs</h3><p>{}</p>\
         <table><tr class=\"table__headerRow\"><th>Option</th><th>Cost</th></tr>\
         <tr><td>Stone arch</td><td>4.1 million</td></tr></table></article>",
        story_html(),
        STORY[1],
        STORY[2]
    );
    let got = paragraphs(&page("", &body));
    assert!(got.iter().any(|p| p == "What happens next"), "{got:?}");
    // Its id is the anchor a table of contents links to, made from its words.
    assert!(
        got.iter().any(|p| p == "Social and related costs"),
        "{got:?}"
    );
    assert!(got.iter().any(|p| p.contains("Option")), "{got:?}");
}

#[test]
fn standfirst_the_article_repeats_further_down_is_not_printed_twice() {
    // The dek beside the headline is also the article's fourth paragraph:
    // that paragraph stays where it is and no copy opens the text.
    let dek = "The vote ends almost three years of debate over the crossing, which engineers say is close to the end of its life.";
    let body = format!(
        "<header><h1>Council backs new bridge</h1><p class=\"standfirst\">{dek}</p></header>\
         <article><p>{}</p><p>{}</p><p>{}</p><p>{dek}</p><p>{}</p></article>",
        STORY[0], STORY[1], STORY[2], STORY[3]
    );
    let got = paragraphs(&page("", &body));
    assert_eq!(got, [STORY[0], STORY[1], STORY[2], dek, STORY[3]]);
}

#[test]
fn table_of_contents_label_goes_with_its_links() {
    // The in-page links go (a <nav>, or a link list); the label in its
    // own box beside them ("Table of Contents [hide]") goes too.
    let toc = "<div class=\"toc-box\"><div class=\"toc-top\"><p>Table of Contents [hide]</p></div>\
               <nav><ul><li><a href=\"#vote\">The vote</a></li><li><a href=\"#cost\">The cost</a></li>\
               <li><a href=\"#next\">What comes next</a></li></ul></nav></div>";
    let body = format!(
        "<article><p>{}</p>{toc}<p>{}</p><p>{}</p><p>{}</p></article>",
        STORY[0], STORY[1], STORY[2], STORY[3]
    );
    let got = paragraphs(&page("", &body));
    assert_eq!(got, &STORY[..4]);
}

#[test]
fn placeholder_text_is_not_article_text() {
    // A template box nobody filled keeps its "Lorem ipsum" placeholder.
    let body = format!(
        "<article>{}<div class=\"tabs\"><p>Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.</p>\
         <p>Lorem ipsum 1</p></div></article>",
        story_html()
    );
    assert_eq!(paragraphs(&page("", &body)), STORY);
}

#[test]
fn accordion_named_after_its_pane_headers_is_text() {
    // A page builder's accordion carries modifier classes naming its
    // parts ("…-pane-header-alignment-left"): it is not the page header.
    let pane = "The engineers compared three designs, a stone arch, a steel truss and a concrete beam, on cost, upkeep and how long each would last.";
    let body = format!(
        "<article>{}<div class=\"kt-accordion-wrap kt-pane-header-alignment-left\">\
         <div class=\"kt-accordion-pane\"><button>How we chose</button>\
         <div class=\"kt-accordion-panel\"><p>{pane}</p></div></div></div></article>",
        story_html()
    );
    let got = paragraphs(&page("", &body));
    assert_eq!(got.last().map(String::as_str), Some(pane), "{got:?}");
}

#[test]
fn affiliate_disclosures_are_small_print() {
    // A note about the page's own links goes, as it does in a box named
    // `disclosure`; a sentence about affiliate marketing is text.
    let note = "This post contains affiliate links, which means we may earn a small commission if you buy.";
    let text = "Affiliate programs: streamers earn a commission when viewers buy games through affiliate links.";
    let body = format!(
        "<article><p>{note}</p>{}<p>{text}</p></article>",
        story_html()
    );
    let got = paragraphs(&page("", &body));
    assert!(!got.iter().any(|p| p == note), "{got:?}");
    assert_eq!(got.last().map(String::as_str), Some(text));
}

#[test]
fn subheads_wrapped_in_their_permalink_are_text() {
    // Markdown renderers and docs sites make every subhead a link to
    // itself; a table of contents of such links still goes.
    let toc = "<ul><li><a href=\"#vote\">The vote</a></li><li><a href=\"#cost\">The cost</a></li>\
               <li><a href=\"#next\">What comes next</a></li></ul>";
    let body = format!(
        "<article>{toc}<p>{}</p><p>{}</p><h2 id=\"cost\"><a href=\"#cost\">The cost</a></h2><p>{}</p><p>{}</p></article>",
        STORY[0], STORY[1], STORY[2], STORY[3]
    );
    let got = paragraphs(&page("", &body));
    assert_eq!(got, [STORY[0], STORY[1], "The cost", STORY[2], STORY[3]]);
}

#[test]
fn linked_subheads_over_their_text_are_text() {
    // A listicle links each item's heading to the product; related-story
    // headings in list items are still a link list.
    let related = "<ul><li><h4><a href=\"/a\">Fire at the harbour warehouse</a></h4></li>\
                   <li><h4><a href=\"/b\">School roof repairs delayed again</a></h4></li></ul>";
    let body = format!(
        "<article><p>{}</p><h3><a href=\"https://shop.example/arch\">1. The stone arch</a></h3><p>{}</p>\
         {related}<p>{}</p><p>{}</p></article>",
        STORY[0], STORY[1], STORY[2], STORY[3]
    );
    let got = paragraphs(&page("", &body));
    assert_eq!(
        got,
        [STORY[0], "1. The stone arch", STORY[1], STORY[2], STORY[3]]
    );
}

#[test]
fn inline_elements_join_without_losing_or_adding_spaces() {
    let body = format!(
        "<article>{}<p>The <b>mayor</b>, <a href=\"/m\">Ms&nbsp;Okafor</a>, said it was <em>over</em>due; \
         the vote was 7&ndash;2 and the fee&#8217;s <span>un</span><span>changed</span>.\n   Done.</p></article>",
        story_html()
    );
    let got = paragraphs(&page("", &body));
    assert_eq!(
        got.last().map(String::as_str),
        Some(
            "The mayor, Ms Okafor, said it was overdue; the vote was 7–2 and the fee’s unchanged. Done."
        )
    );
}

#[test]
fn br_separated_text_in_a_div_is_extracted() {
    let text: String = STORY.iter().map(|p| format!("{p}<br><br>")).collect();
    let html = page("", &format!("<div class=\"text\">{text}</div>"));
    assert_eq!(paragraphs(&html), STORY);
}

#[test]
fn share_bars_related_links_and_ads_inside_the_article_are_dropped() {
    let body = format!(
        "<article><div class=\"share-bar\"><a href=\"#\">Share on Facebook</a> <a href=\"#\">Tweet</a></div>\
         {}<div class=\"ad-slot\" id=\"ad-7f3a\">Advertisement</div>{}\
         <div class=\"related-links\"><h4>Related</h4><a href=\"/r1\">Harbour fire: what we know so far about the blaze</a></div></article>",
        STORY[..2]
            .iter()
            .map(|p| format!("<p>{p}</p>"))
            .collect::<String>(),
        STORY[2..]
            .iter()
            .map(|p| format!("<p>{p}</p>"))
            .collect::<String>(),
    );
    assert_eq!(paragraphs(&page("", &body)), STORY);
}

#[test]
fn rules_body_selector_replaces_detection_and_remove_drops_first() {
    let body = format!(
        "<div id=\"main\"><p class=\"kicker\">Exclusive</p>{}</div><div class=\"other\">{}</div>",
        story_html(),
        "<p>Some other long text that generic detection might also consider, with commas, clauses, and more words.</p>"
    );
    let html = page("", &body);
    let rules = SiteRules {
        body: Some("div#main".into()),
        remove: vec![".kicker".into()],
    };
    let extractor = Extractor::with_rules(&rules).expect("valid rules");
    assert_eq!(extractor.extract(&html).paragraphs, STORY);

    // A body selector that matches nothing falls back to detection.
    let rules = SiteRules {
        body: Some(".no-such-class".into()),
        remove: vec![],
    };
    let got = Extractor::with_rules(&rules)
        .expect("valid rules")
        .extract(&html)
        .paragraphs;
    assert!(got.iter().any(|p| p == STORY[0]));
}

#[test]
fn invalid_rule_selector_is_reported_by_name() {
    let rules = SiteRules {
        body: Some("article".into()),
        remove: vec!["div.ok".into(), "p:nth-child(2)".into()],
    };
    match Extractor::with_rules(&rules) {
        Err(RuleError::InvalidSelector { selector, .. }) => assert_eq!(selector, "p:nth-child(2)"),
        Ok(_) => panic!("invalid selector accepted"),
    }
}

#[test]
fn site_rules_reject_unknown_fields() {
    let parsed: Result<SiteRules, _> = serde_json::from_str(r#"{"body": "article", "remvoe": []}"#);
    assert!(parsed.is_err());
}

#[test]
fn links_are_listed_in_document_order_as_written() {
    let html = r#"<a href="/a">A</a><p><A HREF='https://x.example/b?q=1&amp;r=2'>B</A><a name="anchor">no href</a><a href=" /c ">C</a>"#;
    assert_eq!(
        redline_extract::links(html),
        ["/a", "https://x.example/b?q=1&r=2", "/c"]
    );
}

#[test]
fn script_rendered_page_falls_back_to_json_ld_article_body() {
    let body: String = STORY.join("\\n");
    let html = format!(
        "<html><head><script type=\"application/ld+json\">{{\"@type\": \"NewsArticle\", \
         \"headline\": \"Council backs new bridge\", \"articleBody\": \"{body}\"}}</script></head>\
         <body><div id=\"app\">Loading…</div><script>render()</script></body></html>"
    );
    assert_eq!(paragraphs(&html), STORY);
}

#[test]
fn json_ld_article_body_does_not_replace_a_real_body() {
    let html = page(
        "<script type=\"application/ld+json\">{\"@type\": \"NewsArticle\", \"articleBody\": \"An older, shorter version.\"}</script>",
        &format!("<article>{}</article>", story_html()),
    );
    assert_eq!(paragraphs(&html), STORY);
}

#[test]
fn table_rows_are_paragraphs_with_their_cells_in_order() {
    let body = format!(
        "<article>{}<table><tr><th>Pos</th><th>Driver</th><th>Points</th></tr>\
         <tr><td>1</td><td>Ann Lee</td><td>0</td></tr><tr><td>2</td><td>Bo Kim</td><td>0</td></tr></table></article>",
        story_html()
    );
    let got = paragraphs(&page("", &body));
    assert_eq!(
        &got[STORY.len()..],
        ["Pos Driver Points", "1 Ann Lee 0", "2 Bo Kim 0"]
    );
}

#[test]
fn a_dropped_block_still_separates_the_text_around_it() {
    let body = format!(
        "<article>{}<span>{}</span><div class=\"share-tools\">Share</div><span>{}</span></article>",
        story_html(),
        "First loose sentence of the closing remarks, written outside any paragraph.",
        "Second loose sentence, which must not be glued to the first."
    );
    let got = paragraphs(&page("", &body));
    assert_eq!(
        &got[STORY.len()..],
        [
            "First loose sentence of the closing remarks, written outside any paragraph.",
            "Second loose sentence, which must not be glued to the first."
        ]
    );
}

#[test]
fn opening_byline_goes_but_a_sentence_starting_with_by_stays() {
    let body = format!(
        "<article><p>By Jane Doe and John Roe, Staff Writers</p>{}</article>",
        story_html()
    );
    assert_eq!(paragraphs(&page("", &body)), STORY);
    let opening = "By Tuesday, the river had risen.";
    let body = format!("<article><p>{opening}</p>{}</article>", story_html());
    assert_eq!(paragraphs(&page("", &body))[0], opening);
}

#[test]
fn credit_lines_go_anywhere_in_the_text_but_sentences_stay() {
    let sentence = "Written by hand over two winters, the letters of the bridge's first engineer are kept in the library.";
    let html = page(
        "",
        &story_with(&[
            (0, "<p>Written by Jane Doe</p><p>Edited by: John Roe</p>"),
            (
                2,
                &format!("<p>{sentence}</p><div><span>Reviewed by</span></div>"),
            ),
            (
                4,
                "<p>Latest posts by Jane Doe (see all)</p><p>WRITTEN BY</p>",
            ),
        ]),
    );
    let mut expected: Vec<&str> = STORY.to_vec();
    expected.insert(3, sentence);
    assert_eq!(paragraphs(&html), expected);
}

#[test]
fn a_long_comment_thread_does_not_win_over_the_article() {
    let comment = "I have lived by that bridge for forty years, and honestly, the council should have fixed it long ago, before the repairs got this expensive.";
    let comments: String = (0..30)
        .map(|i| format!("<li class=\"c-item\"><span class=\"who\">Reader {i}</span><p>{comment} ({i})</p></li>"))
        .collect();
    let body = format!(
        "<div class=\"entry-content\">{}</div><h3>30 responses</h3><ol id=\"comments\">{comments}</ol>",
        story_html()
    );
    assert_eq!(paragraphs(&page("", &body)), STORY);
}

#[test]
fn article_in_a_misleadingly_named_wrapper_is_still_found() {
    // Names that usually mean furniture, on the element holding the text.
    for class in [
        "sidebar-layout",
        "post comment-enabled",
        "header-style-2 wrapper",
    ] {
        let html = page(
            "",
            &format!("<div class=\"{class}\">{}</div>", story_html()),
        );
        assert_eq!(paragraphs(&html), STORY, "wrapper class {class:?}");
    }
}

/// The story with `inserts[i]` placed after paragraph `i` (for the
/// indexes given).
fn story_with(inserts: &[(usize, &str)]) -> String {
    let mut html = String::new();
    for (i, p) in STORY.iter().enumerate() {
        html.push_str(&format!("<p>{p}</p>"));
        for (_, insert) in inserts.iter().filter(|(at, _)| *at == i) {
            html.push_str(insert);
        }
    }
    format!("<article><h1>Council backs new bridge</h1>{html}</article>")
}

#[test]
fn live_tickers_go_with_their_label_whatever_their_names() {
    // No class names at all: the items start with a <time>, or with a
    // clock time as text.
    let timed = "<div><strong>Live</strong><ul><li><time>09:56</time> Traffic: delays on the ring road</li>\
                 <li><time>09:31</time> Rail: reduced timetable this weekend</li></ul></div>";
    let clock = "<div><h4>Latest updates</h4><ol><li>9:41 am Markets: shares edge higher</li>\
                 <li>21:05 Weather: heavy showers expected</li><li>8.15pm Courts: hearing postponed</li></ol></div>";
    // Named as a ticker, with items that are not time-stamped.
    let named = "<div class=\"newsTicker\"><span>Breaking</span> Harbour closed after fire</div>";
    let html = page("", &story_with(&[(0, timed), (2, clock), (3, named)]));
    assert_eq!(paragraphs(&html), STORY);
}

#[test]
fn lists_that_are_not_tickers_stay() {
    // A schedule whose first item has no time, a list of scores, and a
    // share-price table whose ticker column is named so.
    let schedule = "<ul><li>Doors open early</li><li>10:30 Speeches</li><li>12:00 Lunch</li></ul>";
    let scores = "<ul><li>3.25 per cent in March</li><li>4.10 per cent in April</li></ul>";
    let table = "<table><tr><th class=\"ticker\">Ticker</th><th>Last</th></tr>\
                 <tr><td class=\"ticker\">HD</td><td>225.86</td></tr></table>";
    let html = page("", &story_with(&[(1, schedule), (2, scores), (3, table)]));
    let got = paragraphs(&html);
    for line in [
        "Doors open early",
        "10:30 Speeches",
        "3.25 per cent in March",
        "Ticker Last",
        "HD 225.86",
    ] {
        assert!(
            got.iter().any(|p| p == line),
            "{line:?} missing from {got:#?}"
        );
    }
}

#[test]
fn read_more_link_paragraphs_go_but_sentences_with_links_stay() {
    let read_more = "<p><strong>Read more:</strong> <a href=\"/a\">Fire at the harbour</a></p>";
    let see_also = "<p>See also » <a href=\"/b\">School roof repairs delayed again</a></p>";
    let sentence = "<p>Read more about the plan in our <a href=\"/c\">explainer</a>.</p>";
    let html = page(
        "",
        &story_with(&[(0, read_more), (1, sentence), (2, see_also)]),
    );
    let mut expected: Vec<&str> = STORY.to_vec();
    expected.insert(2, "Read more about the plan in our explainer.");
    assert_eq!(paragraphs(&html), expected);
}

#[test]
fn pull_quotes_go_but_other_quotations_stay() {
    // A quotation lifted out of the text (no class name), one named as a
    // pull quote, and a quotation the text does not repeat.
    let lifted = "<blockquote><p>could carry cars for another decade at most</p></blockquote>";
    let named = "<div class=\"pull-quote\">Work would start in the spring</div>";
    let speech =
        "<blockquote><p>We will build a bridge that lasts another century.</p></blockquote>";
    let html = page("", &story_with(&[(0, lifted), (2, named), (3, speech)]));
    let mut expected: Vec<&str> = STORY.to_vec();
    expected.insert(4, "We will build a bridge that lasts another century.");
    assert_eq!(paragraphs(&html), expected);
}

#[test]
fn forms_in_the_article_go_but_a_page_wrapped_in_a_form_is_read() {
    let signup = "<form action=\"/subscribe\"><p>Get the day's top stories in your inbox every weekday morning.</p>\
                  <input type=\"email\"><button>Sign up</button></form>";
    let html = page("", &story_with(&[(1, signup)]));
    assert_eq!(paragraphs(&html), STORY);
    // ASP.NET pages put everything in one form.
    let wrapped = page(
        "",
        &format!("<form id=\"aspnetForm\">{}</form>", story_with(&[])),
    );
    assert_eq!(paragraphs(&wrapped), STORY);
}

#[test]
fn photo_captions_go_but_a_line_with_an_inline_icon_stays() {
    // No class names: a photo with its caption below it.
    let photo = "<div><img src=\"/bridge.jpg\" alt=\"\"><br><span>The old stone bridge in 1920. Photo: City Archive</span></div>";
    let icon =
        "<div>Works start in spring <img src=\"/icons/spade.png\" alt=\"\"> and end in 2027.</div>";
    let html = page("", &story_with(&[(0, photo), (2, icon)]));
    let mut expected: Vec<&str> = STORY.to_vec();
    expected.insert(3, "Works start in spring and end in 2027.");
    assert_eq!(paragraphs(&html), expected);
}

#[test]
fn a_sibling_block_of_the_same_kind_joins_the_article() {
    // The article's block, long, and a later block of the same kind with
    // another modifier (a CMS's "c-block" and "c-block is-wide") holding
    // questions and answers: it scores under a fifth of the article, and
    // joins for being the same kind of block.
    let article: String = (1..=4)
        .flat_map(|part| {
            STORY
                .iter()
                .map(move |p| format!("<p>{p} (Part {part}.)</p>"))
        })
        .collect();
    let answers = "<h2>Questions</h2>\
        <h3>When will the work start?</h3><div class=answer><p>In the spring, once the river is low, the crews will reach the foundations, and drain the piers.</p></div>\
        <h3>How will people cross meanwhile?</h3><div class=answer><p>A ferry will run from the old quay, every half hour, from six in the morning, until ten at night.</p></div>";
    let html = page(
        "",
        &format!(
            "<article><div class=\"c-block is-wide\">{article}</div>\
             <section class=\"c-block\">{answers}</section></article>"
        ),
    );
    let text = paragraphs(&html);
    assert_eq!(text.len(), 20 + 5, "{text:?}");
    assert!(text[24].starts_with("A ferry will run"), "{text:?}");
}

#[test]
fn later_sections_in_their_own_deep_wrappers_join_the_article() {
    // A CMS puts the article's body in one field and its later sections
    // (questions and answers here) in another, each section several
    // wrappers deep: they score little, but the two fields' parent is
    // still made of paragraphs, and the sections add more than two thirds
    // as much paragraph text again.
    let answers = [
        (
            "When will the work start?",
            "In the spring, once the river is low, the crews will reach the foundations and drain the piers, which takes about six weeks.",
        ),
        (
            "How will people cross meanwhile?",
            "A ferry will run from the old quay every half hour, from six in the morning until ten at night, and it will carry bicycles free.",
        ),
        (
            "Who pays for the new bridge?",
            "The county pays two thirds of the cost from its roads budget, and the town borrows the rest over twenty years at a fixed rate.",
        ),
        (
            "Will the old stones be kept?",
            "The parapet stones will be numbered, stored in the council depot and set again on the new bridge, as residents asked last year.",
        ),
    ];
    let sections: String = answers
        .iter()
        .map(|(q, a)| {
            format!(
                "<div class=item><div class=item-inner><div class=question><h3>{q}</h3></div>\
                 <div class=wrapper><div class=description><div class=field><div class=field-item>\
                 <p>{a}</p></div></div></div></div></div></div>"
            )
        })
        .collect();
    let html = page(
        "",
        &format!(
            "<article><div class=post-body><div class=field-body>{}</div>\
             <div class=field-sections><div class=faq>{sections}</div></div></div></article>",
            story_html()
        ),
    );
    let mut expected: Vec<String> = STORY.iter().map(|p| p.to_string()).collect();
    for (q, a) in answers {
        expected.extend([q.to_string(), a.to_string()]);
    }
    assert_eq!(paragraphs(&html), expected);
}

#[test]
fn disclaimers_bylines_copyright_lines_author_boxes_and_testimonials_in_the_article_go() {
    // Small print, author furniture and the site's testimonials inside
    // the article container, named as templates across many sites name
    // them.
    let body = format!(
        "<article><div class=\"post-byline\">By Jane Doe, Staff Writer</div>{}\
         <div class=\"saboxplugin-wrap\"><div class=\"saboxplugin-desc\"><p>Jane Doe is the owner of a cleaning company in Denver, and writes about homes and gardens every week.</p></div></div>\
         <div class=\"cmp-richtext--disclaimer\"><p>All investing is subject to risk, including the possible loss of the money you invest, and past performance is no guarantee.</p></div>\
         <div id=\"disclosures\"><p>We may earn a commission when you buy through the links on this page, which does not change what we recommend.</p></div>\
         <p class=\"copyright-notice\">Copyright 2025 The Example Gazette, all rights reserved, no part may be reproduced without permission.</p>\
         <div class=\"blog__contributorwrapper\"><div class=\"blog_contributorshortbio\">Jane Doe worked in radio for ten years, and now writes about the town's roads, bridges and schools.</div></div>\
         <div class=\"testimonials-wrapper\"><blockquote><p>The Gazette has kept our family informed about the town for three generations, and we would not miss an issue.</p></blockquote><div>Mary P.</div></div></article>",
        story_html()
    );
    assert_eq!(paragraphs(&page("", &body)), STORY);
}

#[test]
fn a_sign_up_box_around_an_email_field_goes_whatever_its_names() {
    // A newsletter box between the paragraphs, with no telling names: a
    // pitch, the e-mail field and its small print go together.
    let body = format!(
        "<article><div>{}</div><div class=\"px-5 py-8\"><h3>Get more travel content</h3>\
         <p>Subscribe to our free daily newsletter, with the best of travel, destinations and guides to the cities you love.</p>\
         <div><input type=\"email\" placeholder=\"Your address\"><button>Go</button></div>\
         <p>By subscribing, you agree to our terms of service and privacy policy.</p></div><div>{}</div></article>",
        STORY[..3]
            .iter()
            .map(|p| format!("<p>{p}</p>"))
            .collect::<String>(),
        STORY[3..]
            .iter()
            .map(|p| format!("<p>{p}</p>"))
            .collect::<String>(),
    );
    assert_eq!(paragraphs(&page("", &body)), STORY);
}

#[test]
fn teaser_cards_after_the_article_go_but_sections_under_plain_headings_stay() {
    // A grid of three post cards (linked headline, excerpt) inside the
    // article's container goes with its label; the article's own
    // sections, under headings that are not links, stay.
    let card = |n: u32, title: &str, excerpt: &str| {
        format!(
            "<article class=\"post-card post-{n} category-news\"><h3><a href=\"/news/{n}\">{title}</a></h3>\
             <p>{excerpt}</p></article>"
        )
    };
    let cards = [
        card(
            1,
            "Harbour fire: what we know so far",
            "Crews fought the blaze at the old warehouse through the night, and the road along the quay stays closed.",
        ),
        card(
            2,
            "School roof work to start in June",
            "The primary school will get its new roof during the summer holidays, the council said on Monday.",
        ),
        card(
            3,
            "Library extends its opening hours",
            "From next month the library opens on Sunday afternoons, after a petition signed by four hundred residents.",
        ),
    ]
    .concat();
    let sections: String = STORY
        .chunks(2)
        .enumerate()
        .map(|(i, ps)| {
            let ps: String = ps.iter().map(|p| format!("<p>{p}</p>")).collect();
            format!(
                "<section class=\"part\"><h2>Part {}</h2>{ps}</section>",
                i + 1
            )
        })
        .collect();
    let body = format!(
        "<div class=\"entry\">{sections}<div class=\"more\"><h2>More news</h2><div class=\"grid\">{cards}</div></div></div>"
    );
    let mut expected = Vec::new();
    for (i, ps) in STORY.chunks(2).enumerate() {
        expected.push(format!("Part {}", i + 1));
        expected.extend(ps.iter().map(|p| p.to_string()));
    }
    assert_eq!(paragraphs(&page("", &body)), expected);
}

#[test]
fn teaser_cards_whose_headlines_a_script_writes_go() {
    // A "Trending" grid after the article whose cards' headline links
    // are empty until a script fills them: each card is an image link, an
    // empty link to the story and an excerpt.
    let card = |slug: &str, excerpt: &str| {
        format!(
            "<div class=\"group py-4\"><div class=uppercase><a href=\"/category/travel\"></a></div>\
             <div class=flex><div class=flex-1><a href=\"/{slug}\" class=text-lg> </a><p>{excerpt}</p></div>\
             <a href=\"/{slug}\"><img src=\"/{slug}.jpg\" alt=\"\"></a></div></div>"
        )
    };
    let cards = [
        card("cheapest-flights", "The cheapest places to fly next year include Florida, a hub of affordable destinations."),
        card("island-recovery", "The island is seeing a strong return of travellers as its recovery efforts gain momentum."),
        card("forest-lodges", "From forest lodges to coastal hideaways, these retreats are the quiet stays to book now."),
    ]
    .concat();
    let html = page(
        "",
        &format!(
            "<article>{}<div class=w-full><p class=uppercase>Trending stories</p><div class=flex-col>{cards}</div></div></article>",
            story_html()
        ),
    );
    assert_eq!(paragraphs(&html), STORY);
}

#[test]
fn react_streamed_parts_are_read_where_their_placeholders_are() {
    // A streamed server rendering: placeholders in the article, the parts
    // at the end of the document in hidden divs, written in another order.
    let ps: Vec<String> = STORY.iter().map(|p| format!("<p>{p}</p>")).collect();
    let body = format!(
        "<main><article><h1>Council backs new bridge</h1>{}<template id=\"B:0\"></template>\
         <template id=\"B:1\"></template>{}</article></main>\
         <div hidden id=\"S:1\">{}</div><div hidden id=\"S:0\">{}</div>",
        ps[0],
        ps[4],
        ps[2..4].concat(),
        ps[1],
    );
    assert_eq!(paragraphs(&page("", &body)), STORY);
}

#[test]
fn a_code_listing_keeps_the_lines_its_highlighter_names_comment() {
    // Syntax highlighters name their spans "comment", "meta", "tag": inside
    // a listing those names say nothing of the page.
    let body = format!(
        "<article>{}<pre><code class=\"language-bash hljs\"><span class=\"hljs-comment\"># initialize the repository</span>\n\
         git init\n<span class=\"hljs-comment\"># stage every changed file</span>\ngit add -A</code></pre></article>",
        story_html()
    );
    let mut expected: Vec<String> = STORY.iter().map(|p| p.to_string()).collect();
    expected
        .push("# initialize the repository git init # stage every changed file git add -A".into());
    assert_eq!(paragraphs(&page("", &body)), expected);
}
