//! The three article templates (see [`Layout`]), compiled once per revision.

use std::fmt::Write;
use std::sync::{Arc, OnceLock};

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::json;

use super::{Noise, PageBuilder, StaticSeg, esc, script_json};
use crate::model::Layout;
use crate::prose::{SECTIONS, slugify};
use crate::render::CompiledPage;
use crate::state::{OutletMeta, RenderInput, etag_for};

/// Appends about `bytes` of the weight real news pages carry outside the
/// article: a mega-menu of section and tag links and an embedded JSON state
/// blob. Deterministic per article, so it never changes between requests.
fn padding(b: &mut PageBuilder, input: &RenderInput, bytes: usize) {
    if bytes == 0 {
        return;
    }
    let mut menu = String::from("<nav class=\"mega-menu\" aria-label=\"All sections\"><ul>");
    let mut state =
        String::from("<script type=\"application/json\" id=\"__APP_STATE__\">{\"items\":[");
    let mut n = 0usize;
    while menu.len() + state.len() < bytes {
        let section = SECTIONS[(input.id as usize + n) % SECTIONS.len()].name;
        let _ = write!(
            menu,
            "<li class=\"menu-item\"><a href=\"/tag/{section}-{n}\">{section} topic {n}</a></li>"
        );
        let _ = write!(
            state,
            "{{\"id\":{n},\"kind\":\"teaser\",\"section\":\"{section}\",\"path\":\"/tag/{section}-{n}\",\"score\":{}}},",
            (input.id as usize * 31 + n * 7) % 1000
        );
        n += 1;
    }
    menu.push_str("</ul></nav>\n");
    state.push_str("{}]}</script>\n");
    b.s(&menu);
    b.s(&state);
}

/// Compiles the page of `input` for `outlet`.
pub(crate) fn compile(input: &RenderInput, outlet: &OutletMeta) -> CompiledPage {
    let mut b = PageBuilder::new();
    match input.layout {
        Layout::Ledger => ledger(&mut b, input, outlet),
        Layout::Beacon => beacon(&mut b, input, outlet),
        Layout::Courier => courier(&mut b, input, outlet),
    }
    b.finish(etag_for(input.id, &input.revision), input.revision.at)
}

fn iso(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn authors(byline: &str) -> Vec<&str> {
    byline
        .split(" and ")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

/// The meta description: the first paragraph cut at a word boundary.
pub(crate) fn description(first: &str) -> String {
    if first.chars().count() <= 160 {
        return first.to_string();
    }
    let cut: String = first.chars().take(155).collect();
    match cut.rfind(' ') {
        Some(i) => format!("{}…", &cut[..i]),
        None => format!("{cut}…"),
    }
}

fn head(b: &mut PageBuilder, i: &RenderInput, o: &OutletMeta, title: &str, article_body: bool) {
    let r = &i.revision;
    let url = format!("{}{}", o.base, i.path);
    let desc = description(&r.paragraphs[0]);
    let section = SECTIONS[i.section].name;
    let mut ld = json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": r.headline,
        "description": desc,
        "datePublished": iso(i.published),
        "dateModified": iso(r.at),
        "author": authors(&r.byline).iter().map(|a| json!({
            "@type": "Person", "name": a, "url": format!("{}/author/{}/", o.base, slugify(a))
        })).collect::<Vec<_>>(),
        "publisher": {
            "@type": "NewsMediaOrganization",
            "name": o.name,
            "logo": {"@type": "ImageObject", "url": format!("{}/static/logo.png", o.base)}
        },
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "image": [format!("{}/img/{}.jpg", o.base, i.id)],
        "articleSection": section,
        "keywords": i.tags,
        "isAccessibleForFree": true,
    });
    if article_body {
        ld["articleBody"] = json!(r.paragraphs.join("\n\n"));
        ld["wordCount"] = json!(
            r.paragraphs
                .iter()
                .map(|p| p.split_whitespace().count())
                .sum::<usize>()
        );
    }
    let _ = write!(
        b,
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<title>{title}</title>\n<meta name=\"description\" content=\"{desc}\">\n\
<link rel=\"canonical\" href=\"{url}\">\n\
<meta property=\"og:type\" content=\"article\">\n<meta property=\"og:site_name\" content=\"{site}\">\n\
<meta property=\"og:title\" content=\"{h}\">\n<meta property=\"og:description\" content=\"{desc}\">\n\
<meta property=\"og:url\" content=\"{url}\">\n<meta property=\"og:image\" content=\"{base}/img/{id}.jpg\">\n\
<meta property=\"article:published_time\" content=\"{published}\">\n\
<meta property=\"article:modified_time\" content=\"{modified}\">\n\
<meta property=\"article:section\" content=\"{section}\">\n<meta name=\"author\" content=\"{byline}\">\n\
<meta name=\"twitter:card\" content=\"summary_large_image\">\n<meta name=\"robots\" content=\"max-image-preview:large\">\n\
<link rel=\"alternate\" type=\"application/rss+xml\" title=\"{site}\" href=\"/feed.xml\">\n\
<link rel=\"preload\" as=\"image\" href=\"/img/{id}.jpg\">\n\
<script type=\"application/ld+json\">{ld}</script>\n",
        title = esc(title),
        desc = esc(&desc),
        site = esc(&o.name),
        h = esc(&r.headline),
        base = o.base,
        id = i.id,
        published = iso(i.published),
        modified = iso(r.at),
        byline = esc(&r.byline),
        ld = script_json(&ld),
    );
    b.shared(&css(i.layout));
}

fn nav_items(b: &mut PageBuilder, li_class: &str) {
    let _ = write!(b, "<li class=\"{li_class}\"><a href=\"/\">Home</a></li>");
    for s in SECTIONS {
        let _ = write!(
            b,
            "<li class=\"{li_class}\"><a href=\"/news/{}/\">{}</a></li>",
            s.slug, s.name
        );
    }
    let _ = write!(
        b,
        "<li class=\"{li_class}\"><a href=\"/live/\">Live</a></li><li class=\"{li_class}\"><a href=\"/video/\">Video</a></li>"
    );
}

fn byline_links(b: &mut PageBuilder, byline: &str, class: &str) {
    let names = authors(byline);
    for (k, a) in names.iter().enumerate() {
        if k > 0 {
            b.s(" and ");
        }
        let _ = write!(
            b,
            "<a class=\"{class}\" href=\"/author/{}/\" rel=\"author\">{}</a>",
            slugify(a),
            esc(a)
        );
    }
}

fn tags(b: &mut PageBuilder, tags: &[String]) {
    for (k, t) in tags.iter().enumerate() {
        if k > 0 {
            b.s(", ");
        }
        let _ = write!(
            b,
            "<a href=\"/tag/{}/\" rel=\"tag\">{}</a>",
            slugify(t),
            esc(t)
        );
    }
}

fn footer_links(b: &mut PageBuilder, sep: &str) {
    let links = [
        ("/about", "About us"),
        ("/contact", "Contact"),
        ("/privacy", "Privacy"),
        ("/newsletters", "Newsletters"),
        ("/private/staff", "Staff login"),
    ];
    for (k, (href, text)) in links.iter().enumerate() {
        if k > 0 {
            b.s(sep);
        }
        let _ = write!(b, "<a href=\"{href}\">{text}</a>");
    }
}

fn ledger(b: &mut PageBuilder, i: &RenderInput, o: &OutletMeta) {
    let r = &i.revision;
    let sec = &SECTIONS[i.section];
    head(b, i, o, &format!("{} – {}", r.headline, o.name), false);
    b.noise(Noise::PageScript);
    let _ = write!(
        b,
        "</head>\n<body class=\"post-template-default single single-post postid-{id} single-format-standard\">\n",
        id = i.id
    );
    b.noise(Noise::CookieBanner);
    let _ = write!(
        b,
        "<div id=\"page\" class=\"site\">\n<a class=\"skip-link screen-reader-text\" href=\"#content\">Skip to content</a>\n\
<header id=\"masthead\" class=\"site-header\">\n<div class=\"site-branding\"><p class=\"site-title\"><a href=\"/\" rel=\"home\">{site}</a></p>\
<p class=\"site-description\">Independent local journalism since 1887</p></div>\n\
<nav id=\"site-navigation\" class=\"main-navigation\"><button class=\"menu-toggle\" aria-expanded=\"false\">Menu</button><ul id=\"primary-menu\" class=\"menu\">",
        site = esc(&o.name)
    );
    nav_items(b, "menu-item");
    b.s("</ul></nav>\n<form role=\"search\" method=\"get\" class=\"search-form\" action=\"/search\"><label><span class=\"screen-reader-text\">Search for:</span><input type=\"search\" class=\"search-field\" placeholder=\"Search …\" name=\"q\"></label><input type=\"submit\" class=\"search-submit\" value=\"Search\"></form>\n</header>\n");
    b.noise(Noise::AdSlot);
    let _ = write!(
        b,
        "\n<div id=\"content\" class=\"site-content\">\n<nav class=\"breadcrumbs\" aria-label=\"Breadcrumb\"><a href=\"/\">Home</a> &raquo; <a href=\"/news/{slug}/\">{name}</a> &raquo; <span class=\"breadcrumb_last\">{h}</span></nav>\n\
<div id=\"primary\" class=\"content-area\"><main id=\"main\" class=\"site-main\">\n\
<article id=\"post-{id}\" class=\"post-{id} post type-post status-publish format-standard has-post-thumbnail category-{slug}\">\n\
<header class=\"entry-header\">\n<span class=\"cat-links\"><a href=\"/news/{slug}/\" rel=\"category tag\">{name}</a></span>\n\
<h1 class=\"entry-title\">{h}</h1>\n<div class=\"entry-meta\"><span class=\"byline\">By <span class=\"author vcard\">",
        slug = sec.slug,
        name = sec.name,
        h = esc(&r.headline),
        id = i.id
    );
    byline_links(b, &r.byline, "url fn n");
    let _ = write!(
        b,
        "</span></span> <span class=\"posted-on\"><time class=\"entry-date published\" datetime=\"{}\">{}</time></span> <span class=\"updated-ago\">",
        iso(i.published),
        i.published.format("%-d %B %Y at %H:%M")
    );
    b.noise(Noise::UpdatedAgo);
    b.s("</span> <a class=\"comments-link\" href=\"#comments\">");
    b.noise(Noise::CommentCount);
    b.s("</a></div>\n</header>\n");
    b.noise(Noise::ShareLinks);
    b.s("\n<div class=\"entry-content\">\n");
    let n = r.paragraphs.len();
    for (k, p) in r.paragraphs.iter().enumerate() {
        let _ = writeln!(b, "<p>{}</p>", esc(p));
        if k == 1 && n > 3 {
            b.s("<aside class=\"newsletter-signup\"><h3>Sign up to the Morning Briefing</h3><p>Get the day’s top stories in your inbox every weekday morning.</p><form action=\"/newsletters/subscribe\" method=\"post\"><input type=\"hidden\" name=\"csrf\" value=\"");
            b.noise(Noise::CsrfToken);
            b.s("\"><input type=\"email\" name=\"email\" placeholder=\"Your email address\" required><button type=\"submit\">Sign up</button></form><p class=\"small\">We will never share your address.</p></aside>\n");
        }
        if k == 3 && n > 5 {
            b.noise(Noise::ReadMore);
            b.s("\n");
        }
    }
    b.s("</div>\n<footer class=\"entry-footer\"><span class=\"tags-links\">Tagged ");
    tags(b, &i.tags);
    b.s("</span></footer>\n</article>\n<section class=\"related-posts\"><h2 class=\"related-title\">Related stories</h2>");
    b.noise(Noise::Related);
    b.s("</section>\n<section id=\"comments\" class=\"comments-area\"><h2 class=\"comments-title\">");
    b.noise(Noise::CommentCount);
    b.s("</h2><p class=\"comments-note\">Comments are moderated and may take a few minutes to appear.</p></section>\n</main></div>\n<aside id=\"secondary\" class=\"widget-area\"><section class=\"widget widget_most_read\"><h2 class=\"widget-title\">Most read</h2>");
    b.noise(Noise::MostRead);
    b.s("</section>");
    b.noise(Noise::AdSlot);
    b.s("</aside>\n</div>\n<footer id=\"colophon\" class=\"site-footer\"><nav class=\"footer-links\">");
    footer_links(b, " | ");
    let _ = write!(
        b,
        "</nav><p class=\"site-info\">© 2026 {}. <span class=\"generated\">",
        esc(&o.name)
    );
    b.noise(Noise::GeneratedAt);
    b.s("</span></p></footer>\n</div>\n");
    padding(b, i, o.page_padding);
    b.s("<script src=\"/static/theme.js?ver=6.4.2\" id=\"theme-js\"></script>\n</body>\n</html>\n");
}

/// The pull quote of a Beacon page: the first quotation in the body, or the
/// first sentence of the second paragraph.
fn pull_quote(paragraphs: &[String]) -> String {
    for p in paragraphs {
        if let Some(s) = p.find('“')
            && let Some(len) = p[s..].find('”')
        {
            let q = p[s + '“'.len_utf8()..s + len].trim_end_matches([',', '.']);
            if q.len() > 20 {
                return q.to_string();
            }
        }
    }
    let p = &paragraphs[1.min(paragraphs.len() - 1)];
    p.split_inclusive(". ")
        .next()
        .unwrap_or(p)
        .trim()
        .to_string()
}

fn beacon(b: &mut PageBuilder, i: &RenderInput, o: &OutletMeta) {
    let r = &i.revision;
    let sec = &SECTIONS[i.section];
    head(b, i, o, &format!("{} | {}", r.headline, o.name), true);
    b.noise(Noise::PageScript);
    b.s("<script defer src=\"/_next/static/chunks/main-5e1f3b.js\"></script>\n</head>\n<body>\n<div id=\"__next\">");
    b.noise(Noise::CookieBanner);
    let _ = write!(
        b,
        "<header class=\"css-1k3x0ru e1m0l8x70\"><div class=\"css-8atqhb\"><a href=\"/\" class=\"css-logo e1m0l8x71\" aria-label=\"{site} home\">{site}</a>\
<nav class=\"css-1t6ps1v\" data-testid=\"nav\"><ul class=\"css-nav-list\">",
        site = esc(&o.name)
    );
    nav_items(b, "css-nav-item");
    b.s("</ul></nav></div></header>\n<div class=\"css-ticker-wrap\" data-component=\"ticker\">");
    b.noise(Noise::Ticker);
    let _ = write!(
        b,
        "</div>\n<main id=\"main-content\" class=\"css-1c2vnmk\">\n<nav aria-label=\"Breadcrumb\" class=\"css-breadcrumb\"><ol><li><a href=\"/\">Home</a></li><li><a href=\"/news/{slug}/\">{name}</a></li></ol></nav>\n\
<article class=\"css-story e1xkl3l0\" data-component=\"story\" data-article-id=\"{id}\">\n\
<div data-component=\"headline-block\" class=\"css-hb\"><h1 class=\"css-headline e1xkl3l1\" data-testid=\"headline\">{h}</h1></div>\n\
<div class=\"css-meta\"><div class=\"css-byline\" data-testid=\"byline\"><span class=\"css-by\">By </span>",
        slug = sec.slug,
        name = sec.name,
        id = i.id,
        h = esc(&r.headline)
    );
    byline_links(b, &r.byline, "css-author");
    let _ = write!(
        b,
        "</div><time datetime=\"{}\" class=\"css-date\">{}</time> <span class=\"css-updated\">",
        i.published.to_rfc3339_opts(SecondsFormat::Secs, false),
        i.published.format("%a %-d %b %Y %H.%M GMT")
    );
    b.noise(Noise::UpdatedAgo);
    let _ = write!(
        b,
        "</span></div>\n<figure class=\"css-figure\"><img src=\"/img/{id}.jpg\" alt=\"\" width=\"1200\" height=\"675\" loading=\"eager\"><figcaption class=\"css-caption\">{cap}</figcaption></figure>\n\
<div class=\"css-body e1xkl3l2\" data-component=\"text-block\">\n",
        id = i.id,
        cap = esc(&i.caption)
    );
    let n = r.paragraphs.len();
    for (k, p) in r.paragraphs.iter().enumerate() {
        let _ = writeln!(b, "<p class=\"css-par\">{}</p>", esc(p));
        if k == 1 && n >= 4 {
            let _ = writeln!(
                b,
                "<blockquote class=\"pull-quote css-pullquote\"><p>{}</p></blockquote>",
                esc(&pull_quote(&r.paragraphs))
            );
        }
        if k % 3 == 2 && k + 1 < n {
            b.noise(Noise::AdSlot);
            b.s("\n");
        }
    }
    b.s("</div>\n<div class=\"css-comments-cta\"><a href=\"#comments\" class=\"css-cc\">");
    b.noise(Noise::CommentCount);
    let _ = write!(
        b,
        "</a></div>\n</article>\n<aside class=\"css-sidebar\"><section data-component=\"most-read\"><h2>Most read</h2>"
    );
    b.noise(Noise::MostRead);
    let _ = write!(
        b,
        "</section><section data-component=\"related\"><h2>More from {}</h2>",
        sec.name
    );
    b.noise(Noise::Related);
    b.s("</section></aside>\n</main>\n<footer class=\"css-footer\"><nav>");
    footer_links(b, " ");
    b.s("</nav><p class=\"css-gen\">");
    b.noise(Noise::GeneratedAt);
    b.s("</p></footer>\n</div>\n<script id=\"__NEXT_DATA__\" type=\"application/json\">");
    let data = json!({
        "props": {"pageProps": {"article": {
            "id": i.id,
            "headline": r.headline,
            "byline": r.byline,
            "section": sec.slug,
            "published": iso(i.published),
            "body": r.paragraphs.iter().map(|p| json!({"type": "paragraph", "text": p})).collect::<Vec<_>>(),
        }}},
        "page": "/news/[section]/[slug]",
        "query": {},
    });
    let data = script_json(&data);
    b.s(&data[..data.len() - 1]);
    b.s(",\"buildId\":\"");
    b.noise(Noise::BuildId);
    b.s("\"}</script>\n");
    padding(b, i, o.page_padding);
    b.s("</body>\n</html>\n");
}

fn courier(b: &mut PageBuilder, i: &RenderInput, o: &OutletMeta) {
    let r = &i.revision;
    let sec = &SECTIONS[i.section];
    head(b, i, o, &format!("{} - {}", o.name, r.headline), false);
    b.s("</head>\n<body bgcolor=\"#ffffff\" class=\"story-page\">\n");
    b.noise(Noise::CookieBanner);
    let _ = write!(
        b,
        "<div id=\"wrapper\">\n<div id=\"masthead\"><a href=\"/\"><img src=\"/static/masthead.gif\" alt=\"{site}\" width=\"600\" height=\"80\" border=\"0\"></a><div class=\"today\">",
        site = esc(&o.name)
    );
    b.noise(Noise::GeneratedAt);
    b.s("</div></div>\n<table id=\"navbar\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\"><tr>");
    for s in SECTIONS {
        let _ = write!(
            b,
            "<td class=\"navcell\"><a href=\"/news/{}/\">{}</a></td>",
            s.slug,
            s.name.to_uppercase()
        );
    }
    let _ = write!(
        b,
        "</tr></table>\n<div id=\"breadcrumb\">You are here: <a href=\"/\">Home</a> &gt; <a href=\"/news/{slug}/\">{name}</a> &gt; Story</div>\n\
<table width=\"100%\" cellpadding=\"4\"><tr><td valign=\"top\" id=\"main-col\">\n<div id=\"story\">\n<div class=\"kicker\">{name}</div>\n\
<h1 class=\"headline\">{h}</h1>\n<div class=\"byline\">By <b>{by}</b>, Staff Reporter</div>\n\
<div class=\"storydate\">Published: <time datetime=\"{iso}\">{human}</time> | <span class=\"updated\">",
        slug = sec.slug,
        name = sec.name,
        h = esc(&r.headline),
        by = esc(&r.byline),
        iso = iso(i.published),
        human = i.published.format("%d/%m/%Y %H:%M")
    );
    b.noise(Noise::UpdatedAgo);
    b.s("</span> | <a href=\"#comments\">");
    b.noise(Noise::CommentCount);
    let _ = write!(
        b,
        "</a></div>\n<div class=\"photo\"><img src=\"/img/{id}.jpg\" width=\"460\" alt=\"\"><br><span class=\"caption\">{cap}</span></div>\n<div class=\"storytext\">\n",
        id = i.id,
        cap = esc(&i.caption)
    );
    for (k, p) in r.paragraphs.iter().enumerate() {
        let _ = writeln!(b, "<p>{}</p>", esc(p));
        if k == 0 && r.paragraphs.len() > 2 {
            b.noise(Noise::Ticker);
            b.s("\n");
        }
    }
    let _ = write!(
        b,
        "</div>\n<div class=\"storytools\"><a href=\"/share?via=print&amp;id={id}\">Print</a> | <a href=\"/share?via=email&amp;id={id}\">Email this story</a></div>\n\
<div class=\"tags\">Topics: ",
        id = i.id
    );
    tags(b, &i.tags);
    b.s("</div>\n</div>\n<div id=\"comments\"><h3>Reader comments (");
    b.noise(Noise::CommentCount);
    b.s(")</h3></div>\n</td><td valign=\"top\" width=\"200\" id=\"right-col\">\n<div class=\"box mostread\"><h4>Most read</h4>");
    b.noise(Noise::MostRead);
    b.s("</div>\n");
    b.noise(Noise::AdSlot);
    b.s("\n<div class=\"box related\"><h4>Related stories</h4>");
    b.noise(Noise::Related);
    b.s("</div>\n</td></tr></table>\n<div id=\"footer\">");
    footer_links(b, " &middot; ");
    let _ = write!(
        b,
        "<br>Copyright &copy; {}. All rights reserved.</div>\n</div>\n",
        esc(&o.name)
    );
    b.noise(Noise::PageScript);
    b.s("\n");
    padding(b, i, o.page_padding);
    b.s("</body>\n</html>\n");
}

/// The shared stylesheet of each layout (compiled once per process).
fn css(layout: Layout) -> Arc<StaticSeg> {
    static CSS: OnceLock<[Arc<StaticSeg>; 3]> = OnceLock::new();
    let all = CSS.get_or_init(|| {
        Layout::ALL.map(|l| {
            let (font, accent, extra) = match l {
                Layout::Ledger => ("Georgia, 'Times New Roman', serif", "#b3202a", ".entry-content p{margin:0 0 1.4em}.newsletter-signup{border:1px solid #ddd;padding:1em;background:#fafafa}.read-more{font-weight:600}.share-tools a{display:inline-block;margin-right:.5em}"),
                Layout::Beacon => ("'Helvetica Neue', Arial, sans-serif", "#0a5cad", ".css-pullquote{font-size:1.6rem;border-left:4px solid #0a5cad;padding-left:1rem}.css-figure img{max-width:100%;height:auto}.css-caption{color:#666;font-size:.85rem}"),
                Layout::Courier => ("Verdana, Arial, sans-serif", "#003366", ".storytext p{font-size:13px;line-height:1.5}.photo .caption{font-size:11px;color:#555}.box{border:1px solid #ccc;margin-bottom:8px}"),
            };
            let mut s = String::from("<style>\n");
            let _ = write!(
                s,
                ":root{{--accent:{accent};--text:#121212;--muted:#6b6b6b}}\nhtml{{-webkit-text-size-adjust:100%}}body{{margin:0;font-family:{font};color:var(--text);background:#fff}}\n"
            );
            for (sel, rule) in [
                ("a", "color:var(--accent);text-decoration:none"),
                ("a:hover", "text-decoration:underline"),
                ("h1", "font-size:2.4rem;line-height:1.15;margin:.5em 0"),
                ("h2", "font-size:1.4rem;margin:1em 0 .5em"),
                ("nav ul,ol", "list-style:none;margin:0;padding:0"),
                ("nav li", "display:inline-block;margin:0 .6em"),
                (".ad-slot", "min-height:250px;background:#f2f2f2;text-align:center;margin:1.5em 0"),
                (".ad-label", "font:11px/1 sans-serif;text-transform:uppercase;color:#999"),
                (".cookie-banner", "position:fixed;bottom:0;left:0;right:0;background:#222;color:#fff;padding:1em;z-index:999"),
                (".live-ticker", "background:#fff4e5;border-left:4px solid #e67e22;padding:.5em 1em"),
                (".most-read-list li", "counter-increment:mr;margin:.4em 0"),
                (".related-list li", "margin:.4em 0"),
                ("footer", "border-top:1px solid #ddd;margin-top:3em;padding:2em;color:var(--muted)"),
                ("time", "color:var(--muted)"),
                ("@media (max-width:700px)", "h1{font-size:1.8rem}"),
            ] {
                let _ = writeln!(s, "{sel}{{{rule}}}");
            }
            s.push_str(extra);
            s.push_str("\n</style>\n");
            Arc::new(StaticSeg::new(s))
        })
    });
    all[Layout::ALL
        .iter()
        .position(|l| *l == layout)
        .expect("layout")]
    .clone()
}
